/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The log ring (seed 003, memlogd): a bounded in-memory store of log lines,
 * each tagged with the time, its source and a level, oldest dropped first.
 *
 * Every source ("dockerd", "containerd", "kernel", ...) has its own budget
 * of bytes and lines, carved out of the ring's total when the source is
 * added, so a flood from one (a chatty daemon) cannot evict another (the
 * kernel). Within a source, the oldest entries go first. What is dropped is
 * counted per source. Lines are redacted (credentials in URLs,
 * Authorization headers, registry tokens, passwords) before they are
 * stored, so no secret is ever held in memory longer than the read buffer.
 *
 * Memory is fixed when the ring is created: logring_new() allocates every
 * byte the ring will ever use; logring_add() never allocates. A ring is not
 * thread-safe: one thread owns it.
 */
#ifndef DD_LOGRING_H
#define DD_LOGRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOGRING_MAX_SOURCES 16
#define LOGRING_SOURCE_NAME_MAX 32
/* longer lines are cut there and marked truncated */
#define LOGRING_LINE_MAX 4096

enum log_level {
	LOG_LEVEL_UNKNOWN = 0,
	LOG_LEVEL_TRACE,
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_FATAL, /* also panic, kernel emerg/alert/crit */
};

/* "unknown", "trace", "debug", "info", "warning", "error", "fatal". */
const char *log_level_name(enum log_level l);

/* Parse logrus/syslog words: "warn", "warning", "err", "error", "crit"... */
enum log_level log_level_from_name(const char *s, size_t len);

/* A kernel/syslog priority 0-7 to a level (0-2 fatal, 3 error, 4 warning,
 * 5-6 info, 7 debug). */
enum log_level log_level_from_syslog(int prio);

struct logring_config {
	size_t max_bytes; /* total line bytes (headers not counted), > 0 */
	size_t max_lines; /* total entries, > 0 */
};

/* One stored entry, as handed out by the iterator (valid until the next
 * logring_add() or logring_free()). line is NUL-terminated. */
struct log_entry {
	int64_t time_us; /* microseconds since the epoch (CLOCK_REALTIME) */
	int source; /* index from logring_add_source() */
	enum log_level level;
	bool truncated; /* cut at LOGRING_LINE_MAX */
	const char *line;
	size_t len;
};

struct logring_source_stats {
	char name[LOGRING_SOURCE_NAME_MAX];
	size_t budget_bytes, budget_lines;
	uint64_t added; /* lines accepted (stored at least once) */
	uint64_t dropped; /* lines evicted to make room, oldest first */
	uint64_t dropped_bytes;
	uint64_t truncated; /* lines cut at LOGRING_LINE_MAX */
	uint64_t redacted; /* lines in which a secret was masked */
	size_t lines, bytes; /* held now */
};

struct logring;

/* Allocate a ring with every byte it will use; NULL on ENOMEM/EINVAL. */
struct logring *logring_new(const struct logring_config *cfg);

/* Free a ring; accepts NULL. */
void logring_free(struct logring *ring);

/*
 * Add a source with a share of the ring: weight relative to the other
 * sources' weights (e.g. dockerd 2, containerd 1, kernel 1). Budgets are
 * recomputed for all sources; entries already stored are trimmed to the
 * new budgets (counted as dropped). Adding the same name again returns the
 * existing index. Returns the index (>= 0) or -ENOSPC (too many sources)
 * / -EINVAL.
 */
int logring_add_source(struct logring *ring, const char *name, unsigned weight);

/* Index of a source by name, or -ENOENT. */
int logring_find_source(const struct logring *ring, const char *name);

/*
 * Store one line (without its newline; a trailing '\n' or "\r\n" is
 * stripped) after redacting it. Never allocates. Evicts the source's
 * oldest entries as needed. Returns 0, or -EINVAL for a bad source index.
 */
int logring_add(struct logring *ring, int source, int64_t time_us,
		enum log_level level, const char *line, size_t len);

/* Number of entries held (all sources). */
size_t logring_count(const struct logring *ring);

/* Stats of a source; -EINVAL for a bad index. */
int logring_source_stats(const struct logring *ring, int source,
			 struct logring_source_stats *ret);

/* Number of sources added. */
int logring_source_count(const struct logring *ring);

/*
 * Iterate over every entry in time order (a merge of the per-source rings;
 * equal times keep each source's order). Usage:
 *   struct logring_iter it; struct log_entry e;
 *   logring_iter_init(&it, ring, since_us);   // entries with time >= since_us
 *   while (logring_iter_next(&it, &e)) ...
 */
struct logring_iter {
	const struct logring *ring;
	size_t pos[LOGRING_MAX_SOURCES];
	int64_t since_us;
};
void logring_iter_init(struct logring_iter *it, const struct logring *ring,
		       int64_t since_us);
bool logring_iter_next(struct logring_iter *it, struct log_entry *ret);

#endif
