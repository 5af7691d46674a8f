/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The report: what checks produce and what renderers read.
 *
 * A report is a list of findings plus a little metadata about the host and
 * the daemon. Checks add findings; renderers never look anywhere else.
 * Every string handed in is copied; the report owns all its memory.
 *
 * Allocation failures do not have to be checked at every call: a failed
 * report_add() returns NULL, the finding_*() setters accept NULL and do
 * nothing, and report->oom records that something was lost.
 */
#ifndef DD_REPORT_H
#define DD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * Severities, in order from best to worst. The order is the one used to
 * pick "the worst finding" (monitoring-plugins' max_state_alt(): critical
 * beats warning beats unknown beats ok), so a known problem is never hidden
 * behind a check that could not run.
 */
enum severity {
	SEV_OK = 0,
	SEV_INFO,
	SEV_UNKNOWN,
	SEV_WARNING,
	SEV_CRITICAL,
	SEV__COUNT
};

struct evidence {
	char *key;
	char *value;
};

struct finding {
	char *check; /* stable dotted id, e.g. "daemon.api" */
	enum severity severity;
	char *summary; /* one line */
	char *detail; /* may be NULL */
	char *remedy; /* may be NULL */
	struct evidence *evidence;
	size_t n_evidence;
	size_t alloc_evidence;
};

struct report_daemon {
	int pid; /* 0 when no daemon was found */
	char *version; /* NULL when unknown */
	char *api_version; /* NULL when unknown */
};

/* A line of the log ring, copied into the report (see logring.h). */
struct report_log_entry {
	int64_t time_us; /* microseconds since the epoch */
	char *source; /* "dockerd", "kernel" */
	const char *level; /* static: "info", "error", "unknown" */
	bool truncated;
	char *line;
};

/* Where the ring's lines came from, and what was lost. */
struct report_log_source {
	char *name; /* ring source */
	char *where; /* file, "/dev/kmsg", "journal:docker.service" */
	char *why; /* how it was chosen */
	char *error; /* NULL, or why it could not be read */
	uint64_t read, held, dropped, truncated, redacted;
};

struct report {
	char *tool_version;
	char *host; /* host name, NULL when unknown */
	struct timespec generated_at;
	double duration; /* seconds the run took */
	struct report_daemon daemon;
	struct finding *findings;
	size_t n_findings;
	size_t alloc_findings;
	bool oom; /* an allocation failed: the report is partial */
	/* wall time of each check run, in run order (the runner fills it) */
	struct {
		const char *check; /* static: the registry's id */
		double seconds;
	} timings[64];
	size_t n_timings;
	/* the log ring, when it was collected */
	bool log_collected;
	int64_t log_since_us;
	struct report_log_entry *log;
	size_t n_log, alloc_log;
	struct report_log_source *log_sources;
	size_t n_log_sources;
};

/* Name of a severity ("ok", "info", "unknown", "warning", "critical"). */
const char *severity_name(enum severity sev);

/* Upper-case label of a severity as Nagios and the text report show it. */
const char *severity_label(enum severity sev);

/* Parse a severity name; returns 0 or -EINVAL. */
int severity_from_name(const char *name, enum severity *ret_sev);

/* Exit status for a worst severity: 0 ok/info, 1 warning, 2 critical, 3 unknown. */
int severity_exit_code(enum severity sev);

/* Create an empty report; NULL on allocation failure. */
struct report *report_new(void);

/* Free a report and everything in it; accepts NULL. */
void report_free(struct report *r);

/* Set a string field (host, tool_version, daemon.version...) by copy. */
int report_set_string(struct report *r, char **field, const char *value);

/*
 * Add a finding with a printf-style summary. Returns the finding, owned by
 * the report and valid until the next report_add(), or NULL on failure.
 */
struct finding *report_add(struct report *r, const char *check,
			   enum severity sev, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Replace the one-line summary (a finding re-judged by the runner). */
int finding_set_summary(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set the detail text; f may be NULL. Returns 0 or -ENOMEM. */
int finding_set_detail(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set the remedy text; f may be NULL. Returns 0 or -ENOMEM. */
int finding_set_remedy(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Add a key=value evidence pair; f may be NULL. Keys are unique within a
 * finding: adding a key again replaces its value. Returns 0 or -ENOMEM.
 */
int finding_add_evidence(struct finding *f, const char *key, const char *fmt,
			 ...) __attribute__((format(printf, 3, 4)));

/*
 * Mask "scheme://user:password@" in every text of findings [from, n):
 * summary, detail, remedy and evidence values. A finding may quote input
 * (a line of a file, a key, a flag) that holds credentials. 0 or -ENOMEM.
 */
int report_mask_credentials(struct report *r, size_t from);

/*
 * Append a log line (copied; the line is credential-masked once more).
 * 0 or -ENOMEM (r->oom set).
 */
int report_add_log(struct report *r, int64_t time_us, const char *source,
		   const char *level, bool truncated, const char *line);

/* Append a log source description (strings copied). 0 or -ENOMEM. */
int report_add_log_source(struct report *r,
			  const struct report_log_source *src);

/* The worst severity in the report; SEV_OK for an empty report. */
enum severity report_worst(const struct report *r);

/* Count findings by severity into counts[SEV__COUNT]. */
void report_count(const struct report *r, size_t counts[SEV__COUNT]);

/*
 * Fill order[] (n_findings entries) with finding indexes sorted worst
 * severity first, keeping report order within a severity.
 */
void report_order(const struct report *r, size_t *order);

#endif
