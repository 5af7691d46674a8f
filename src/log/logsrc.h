/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Log sources feeding the log ring: the systemd journal (docker.service,
 * containerd.service; libsystemd's sd-journal, optional at build time:
 * HAVE_SYSTEMD), plain files (what dockerd's fd 1 and 2 point at, --log-file
 * style paths, the usual /var/log files), and the kernel log (/dev/kmsg).
 *
 * A source is read twice over: once for the backlog (the window since
 * --since, at most a line cap), then, in watch mode, followed for new lines
 * without blocking. Nothing is ever written; files are opened O_RDONLY and
 * /dev/kmsg O_RDONLY|O_NONBLOCK (reading it needs CAP_SYSLOG, or
 * kernel.dmesg_restrict=0).
 */
#ifndef DD_LOGSRC_H
#define DD_LOGSRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "log/logring.h"
#include "host/path.h"

enum logsrc_kind {
	LOGSRC_JOURNAL,
	LOGSRC_FILE,
	LOGSRC_KMSG,
};

/*
 * The ring source of the records user space wrote to /dev/kmsg (a
 * facility other than kern): shown with the log, never judged as kernel
 * events.
 */
#define LOGSRC_KMSG_USER "kmsg-user"

struct logsrc {
	enum logsrc_kind kind;
	char name[LOGRING_SOURCE_NAME_MAX]; /* ring source: dockerd, kernel */
	char where[512]; /* file path, "/dev/kmsg", "journal:docker.service" */
	char why[128]; /* how it was chosen: "dockerd fd 2", "--log-source" */
	int ring_source; /* index in the ring */
	int err; /* 0, or -errno when it could not be opened/read */
	char error[256]; /* one line when err: names where and what */
	uint64_t lines_read; /* lines handed to the ring */
	/* records known lost: /dev/kmsg records overwritten before they
	 * were read (EPIPE) */
	uint64_t lost;
	/* private state (fd, offset, inode, partial line, journal handle) */
	void *priv;
};

struct logsrc_set {
	struct logsrc *v;
	size_t n;
};

struct logsrc_options {
	int64_t since_us; /* backlog window start, microseconds since epoch */
	size_t max_lines; /* backlog cap per source (the newest are kept);
			   * 0: no cap */
	/*
	 * --log-source specs, NULL for automatic choice:
	 *   auto | none | kmsg | journal | journal:UNIT[=NAME] | file:PATH[=NAME]
	 *   | fd  (dockerd's fd 1 and 2)
	 */
	char **specs;
	int dockerd_pid; /* 0 when no daemon */
	int containerd_pid; /* 0 when none */
};

/*
 * Choose the sources (automatic: the journal when it has entries for
 * docker.service/containerd.service; the regular files that dockerd's and
 * containerd's fd 1 and 2 point at (a pipe or socket there means journald
 * or a supervisor has them: say so); /var/log/docker.log and
 * /var/log/upstart/docker.log when present; /dev/kmsg). A source that
 * cannot be opened stays in the set with err/error filled, so the report
 * can say why its lines are missing. 0 or -ENOMEM; -EINVAL for a bad spec
 * (message in err).
 */
int logsrc_discover(const struct pathctx *pc, const struct logsrc_options *o,
		    struct logsrc_set *ret, char *err, size_t errlen);

/* Register every source with the ring (weights: dockerd 4, containerd 2,
 * kernel 2, others 1) and read each one's backlog into it. 0 or -ENOMEM;
 * per-source failures are recorded in the source. */
int logsrc_load(struct logsrc_set *set, struct logring *ring,
		const struct logsrc_options *o);

/* Read whatever is new in every source (non-blocking); lines added. */
long logsrc_follow(struct logsrc_set *set, struct logring *ring);

/* File descriptors worth poll()ing (kmsg, journal), up to max; count. */
size_t logsrc_poll_fds(const struct logsrc_set *set, int *fds, size_t max);

/* Close everything; safe on a zeroed set. */
void logsrc_set_release(struct logsrc_set *set);

/*
 * Parse the time and level of one line as dockerd/containerd write it:
 * logrus text (time="2024-01-02T15:04:05.123456789Z" level=info msg=...),
 * logrus JSON ({"level":"info","msg":"...","time":"..."}), an RFC 3339
 * prefix, or a syslog prefix ("Nov 24 22:00:01 host dockerd[12]: ...",
 * year from fallback). Fields not found are left: *ret_time = fallback_us,
 * *ret_level = LOG_LEVEL_UNKNOWN. Returns true when a time was found.
 */
bool logline_parse(const char *line, size_t len, int64_t fallback_us,
		   int64_t *ret_time, enum log_level *ret_level);

/*
 * Parse one /dev/kmsg record "PRIO,SEQ,USEC,FLAGS[,...];MESSAGE" (the
 * continuation lines " KEY=VALUE" after it are ignored). USEC is since
 * boot; boot_us converts it to the epoch. *ret_user (may be NULL): the
 * record was written from user space (a facility other than kern: the
 * kernel never lets user space write facility 0), not a kernel event.
 * 0 or -EINVAL.
 */
int kmsg_parse(const char *rec, size_t len, int64_t boot_us, int64_t *ret_time,
	       enum log_level *ret_level, const char **ret_msg,
	       size_t *ret_msg_len, uint64_t *ret_seq, bool *ret_user);

#endif
