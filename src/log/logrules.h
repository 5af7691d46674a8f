/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Log rules: patterns kept as data. A rules file maps a pattern on lines
 * of a source to a finding (check id, severity, summary, remedy); the
 * logs.patterns check runs them over the log ring and attaches the
 * matching lines as evidence. Format: doc/log-rules.md.
 *
 * Files: the one installed with the program ($(pkgdatadir)/log-rules.conf),
 * then /etc/dockerd-doctor/log-rules.conf and /etc/dockerd-doctor/
 * log-rules.d/ *.conf in name order; a later rule with the same name
 * replaces an earlier one, "enabled = no" turns one off. --log-rules FILE
 * replaces the installed file (tests, trying a rule).
 */
#ifndef DD_LOGRULES_H
#define DD_LOGRULES_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "log/logring.h"
#include "host/path.h"
#include "core/report.h"

struct logrule {
	char *name; /* [rule NAME] */
	char *check; /* finding's check id, "logs.NAME" by default */
	char **sources; /* ring source names; NULL: any */
	enum log_level min_level; /* LOG_LEVEL_UNKNOWN: any */
	char *pattern; /* POSIX extended regex, case-insensitive if icase */
	bool icase;
	regex_t re;
	unsigned min_count; /* matches in the window before it fires (>= 1) */
	/* "since = daemon-start": only lines since the examined dockerd started */
	bool since_daemon_start;
	regex_t *ignore; /* "ignore =": matching lines that are not counted */
	size_t n_ignore;
	enum severity severity;
	char *summary; /* {count}, {first}, {last}, {1}..{9} (groups of the last match) */
	char *detail;
	char *remedy;
	char *file; /* where it was defined, "path:line" */
};

struct logrules {
	struct logrule *v;
	size_t n;
};

/*
 * Parse one rules file's text into rules (appending; same name replaces).
 * Errors name "file:line" and what is wrong in err; the bad rule is
 * skipped and parsing goes on. Returns the number of errors (>= 0) or
 * -ENOMEM.
 */
int logrules_parse(struct logrules *rules, const char *buf, size_t len,
		   const char *file, char *err, size_t errlen);

/* Load the installed file (or override) and the /etc ones under pc. */
int logrules_load(struct logrules *rules, const struct pathctx *pc,
		  const char *override, char *err, size_t errlen);

void logrules_release(struct logrules *rules);

/*
 * Run every rule over the ring (entries since since_us) and add one
 * finding per rule that fired, with up to 5 matching lines (the first and
 * the newest) as evidence ("line1" = "TIME SOURCE LINE", ...), and the
 * count. Rules with "since = daemon-start" count only entries since
 * daemon_start_us too, the examined dockerd's start (0: not known, no
 * bound). Returns the number of findings added or -ENOMEM.
 */
int logrules_apply_daemon(const struct logrules *rules,
			  const struct logring *ring, int64_t since_us,
			  int64_t daemon_start_us, struct report *r);

/* logrules_apply_daemon() without a daemon start (watch's ticks). */
int logrules_apply(const struct logrules *rules, const struct logring *ring,
		   int64_t since_us, struct report *r);

#endif
