/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the files of the log sources share; not an API (logsrc.h is).
 * logsrc-parse.c parses lines, kmsg records and --log-source specs,
 * logsrc-discover.c chooses and opens the sources (the set), logsrc.c
 * reads them: a source's private state (struct logsrc's priv) is made by
 * the one and read by the other.
 */
#ifndef DD_LOGSRC_PRIVATE_H
#define DD_LOGSRC_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-journal.h>
#endif

#include "log/logsrc.h"

#define READ_CHUNK (64u << 10)
/* One /dev/kmsg record (CONSOLE_EXT_LOG_MAX is 8 KiB). */
#define KMSG_RECORD_MAX (16u << 10)
/* A partial line is kept up to this; the ring marks longer lines cut. */
#define PARTIAL_MAX (LOGRING_LINE_MAX + 1)

#define SPEC_HELP \
	"(auto, none, kmsg, journal[:UNIT[=NAME]], file:PATH[=NAME], fd)"

/* Private state of a source (struct logsrc's priv). */
struct lsrc {
	int fd; /* the file or /dev/kmsg; -1 */
	int dirfd; /* the file's directory, for rotation checks; -1 */
	char *base; /* the file's name in dirfd */
	dev_t dev;
	ino_t ino;
	off_t off; /* next byte to read */
	char *partial; /* an incomplete last line, up to PARTIAL_MAX */
	size_t plen;
	bool skip_to_nl; /* resynchronize at the next newline */
	bool kmsg_fmt; /* lines are /dev/kmsg records (a kmsg fixture file) */
	bool kmsg_dev; /* /dev/kmsg itself: one record per read() */
	int user_source; /* kmsg: ring source of user-space records, -1 */
	int64_t boot_us; /* kmsg: the epoch time of boot */
	char *buf; /* read buffer: READ_CHUNK, or KMSG_RECORD_MAX */
#ifdef HAVE_SYSTEMD
	sd_journal *j;
	int jfd; /* sd_journal_get_fd(), or -1 */
#endif
};

/* What a --log-source spec names. */
enum spec_kind {
	SPEC_AUTO,
	SPEC_NONE,
	SPEC_KMSG,
	SPEC_JOURNAL,
	SPEC_FILE,
	SPEC_FD
};

/* One --log-source spec, split. */
struct spec {
	enum spec_kind kind;
	char arg[4096]; /* unit or path */
	char name[LOGRING_SOURCE_NAME_MAX];
};

/* Parse a spec; false with a message in err. */
bool lsrc_spec_parse(const char *s, struct spec *sp, char *err, size_t errlen);

/* A decimal digit. */
static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

#endif
