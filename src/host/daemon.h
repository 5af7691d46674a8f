/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Finding the dockerd to examine: every dockerd process on the host, the
 * one picked (--pid, the one serving the API socket, the default pidfile,
 * the only one, the lowest pid), the pidfile's view, and containerd.
 * A collector: it gathers facts; checks judge them.
 */
#ifndef DD_DAEMON_H
#define DD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>

#include "host/path.h"
#include "host/procfs.h"

#define DEFAULT_PIDFILE "/var/run/docker.pid"
#define DEFAULT_EXEC_ROOT "/var/run/docker"
#define DEFAULT_DATA_ROOT "/var/lib/docker"

struct dockerd_proc {
	struct procstat st;
	char **argv;
	/* from the command line; NULL when not given (the default applies) */
	char *pidfile;
	char *exec_root;
	char *data_root;
	char *config_file;
	char *containerd; /* --containerd: an external containerd socket */
	char **hosts; /* every -H/--host value, in order */
	int serves_api; /* 1 holds the API socket, 0 not, -errno unknown */
	bool names_api; /* one of its -H values is the API socket */
};

enum daemon_pick {
	PICK_NONE = 0,
	PICK_PID_OPTION, /* --pid */
	PICK_API_SOCKET, /* it holds the API socket open */
	PICK_HOST_FLAG, /* its -H names the API socket */
	PICK_PIDFILE, /* the default pidfile names it */
	PICK_ONLY, /* the only dockerd */
	PICK_LOWEST, /* several, none matched: the lowest pid */
};

struct daemon_query {
	int want_pid; /* --pid, 0 when not given */
	const char *api_socket; /* API endpoint's unix path, NULL if not unix */
	bool api_explicit; /* the endpoint came from --host or DOCKER_HOST */
};

struct daemon_set {
	struct dockerd_proc *procs; /* every dockerd, by pid */
	size_t n;
	int selected; /* index into procs, -1 for none */
	enum daemon_pick picked_by;
	int want_pid; /* --pid as given */
	int want_pid_err; /* -ESRCH: --pid names no process */
	char want_pid_comm[64]; /* comm of --pid when not a dockerd */
	bool api_mismatch; /* explicit socket served by no dockerd */
	/* the pidfile of the selected daemon, or the default one */
	char *pidfile;
	int pidfile_err; /* reading it: 0 or -errno */
	int pidfile_pid; /* pid in it, 0 when none */
	int pidfile_alive; /* 1 alive, 0 gone */
	char pidfile_comm[64]; /* comm of pidfile_pid when alive */
	/* containerd processes */
	struct procstat *containerd;
	size_t n_containerd;
	/* every process seen by the scan (pid, ppid, comm), by pid */
	struct procstat *all;
	size_t n_all;
	unsigned long long btime; /* boot time, 0 when unknown */
	long clk_tck;
};

/*
 * Parse a dockerd command line into d's fields (pidfile, exec-root,
 * data-root, config-file, containerd, hosts). 0 or -ENOMEM.
 */
int dockerd_parse_argv(char **argv, struct dockerd_proc *d);

/* Scan /proc and pick the daemon. 0 or -errno (cannot read /proc). */
int daemon_find(const struct pathctx *pc, const struct daemon_query *q,
		struct daemon_set **ret);

/* Free a daemon set; accepts NULL. */
void daemon_set_free(struct daemon_set *ds);

/* The selected dockerd, or NULL. */
const struct dockerd_proc *daemon_selected(const struct daemon_set *ds);

/* How the daemon was picked, in words ("--pid", "serves the API socket"). */
const char *daemon_pick_name(enum daemon_pick pick);

/*
 * The processes whose comm is comm, from the scan: the first one (lowest
 * pid) or NULL; *ret_count (may be NULL) gets how many there are.
 */
const struct procstat *daemon_set_find_comm(const struct daemon_set *ds,
					    const char *comm,
					    size_t *ret_count);

/* Start time of a process in seconds since the epoch, 0 when unknown. */
long long daemon_start_time(const struct daemon_set *ds,
			    const struct procstat *st);

#endif
