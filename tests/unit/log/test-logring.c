// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The log ring: budgets (lines and bytes, per source), eviction and drop
 * counts, truncation, the time-ordered merge, re-budgeting when a source is
 * added late, redaction, and a randomized comparison with a reference
 * model.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/logring.h"
#include "log/redact.h"
#include "table.h"

/* ---- helpers ---- */

static struct logring *ring_new(size_t bytes, size_t lines)
{
	struct logring_config cfg = { .max_bytes = bytes, .max_lines = lines };
	struct logring *r = logring_new(&cfg);

	cr_assert_not_null(r);
	return r;
}

static void add(struct logring *r, int src, int64_t t, const char *s)
{
	cr_assert_eq(logring_add(r, src, t, LOG_LEVEL_INFO, s, strlen(s)), 0);
}

static struct logring_source_stats stats(const struct logring *r, int src)
{
	struct logring_source_stats st;

	cr_assert_eq(logring_source_stats(r, src, &st), 0);
	return st;
}

/* The entries as "source:line" joined by '|' (since_us applied). */
static char *dump(const struct logring *r, int64_t since)
{
	static char buf[1 << 16];
	struct logring_iter it;
	struct log_entry e;
	size_t n = 0;

	buf[0] = '\0';
	logring_iter_init(&it, r, since);
	while (logring_iter_next(&it, &e)) {
		cr_assert_eq(strlen(e.line), e.len);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%d:%s",
				      n ? "|" : "", e.source, e.line);
		cr_assert_lt(n, sizeof(buf));
	}
	return buf;
}

static size_t iter_count(const struct logring *r, int64_t since)
{
	struct logring_iter it;
	struct log_entry e;
	size_t n = 0;

	logring_iter_init(&it, r, since);
	while (logring_iter_next(&it, &e))
		n++;
	return n;
}

/* ---- levels ---- */

struct level_case {
	const char *word;
	enum log_level level;
};

/* clang-format off */
static struct level_case levels[] = {
	{ "trace", LOG_LEVEL_TRACE }, { "debug", LOG_LEVEL_DEBUG },
	{ "DEBUG", LOG_LEVEL_DEBUG }, { "info", LOG_LEVEL_INFO },
	{ "Info", LOG_LEVEL_INFO }, { "notice", LOG_LEVEL_INFO },
	{ "warn", LOG_LEVEL_WARNING }, { "warning", LOG_LEVEL_WARNING },
	{ "WARNING", LOG_LEVEL_WARNING }, { "err", LOG_LEVEL_ERROR },
	{ "error", LOG_LEVEL_ERROR }, { "crit", LOG_LEVEL_FATAL },
	{ "critical", LOG_LEVEL_FATAL }, { "alert", LOG_LEVEL_FATAL },
	{ "emerg", LOG_LEVEL_FATAL }, { "fatal", LOG_LEVEL_FATAL },
	{ "panic", LOG_LEVEL_FATAL }, { "", LOG_LEVEL_UNKNOWN },
	{ "inf", LOG_LEVEL_UNKNOWN }, { "warnings", LOG_LEVEL_UNKNOWN },
	{ "errors", LOG_LEVEL_UNKNOWN },
};
/* clang-format on */

ParameterizedTestParameters(logring, level_from_name)
{
	TABLE_PARAMS(levels);
}

ParameterizedTest(size_t *ci, logring, level_from_name)
{
	const struct level_case *c = &levels[*ci];

	cr_assert_eq(log_level_from_name(c->word, strlen(c->word)), c->level,
		     "'%s'", c->word);
}

Test(logring, level_from_name_uses_len)
{
	/* "warning" cut to its first 4 bytes, "error" inside a longer text */
	cr_assert_eq(log_level_from_name("warning", 4), LOG_LEVEL_WARNING);
	cr_assert_eq(log_level_from_name("error msg=x", 5), LOG_LEVEL_ERROR);
	cr_assert_eq(log_level_from_name(NULL, 3), LOG_LEVEL_UNKNOWN);
}

Test(logring, level_names_and_syslog)
{
	static const char *const names[] = { "unknown", "trace",   "debug",
					     "info",	"warning", "error",
					     "fatal" };
	static const enum log_level sys[] = {
		LOG_LEVEL_FATAL, LOG_LEVEL_FATAL,   LOG_LEVEL_FATAL,
		LOG_LEVEL_ERROR, LOG_LEVEL_WARNING, LOG_LEVEL_INFO,
		LOG_LEVEL_INFO,	 LOG_LEVEL_DEBUG,
	};

	for (int i = 0; i <= LOG_LEVEL_FATAL; i++) {
		cr_assert_str_eq(log_level_name(i), names[i]);
		cr_assert_eq(log_level_from_name(names[i], strlen(names[i])),
			     (enum log_level)i);
	}
	cr_assert_str_eq(log_level_name(99), "unknown");
	cr_assert_str_eq(log_level_name(-1), "unknown");
	for (int p = 0; p < 8; p++)
		cr_assert_eq(log_level_from_syslog(p), sys[p], "prio %d", p);
	cr_assert_eq(log_level_from_syslog(-1), LOG_LEVEL_UNKNOWN);
	/* a full PRI: daemon facility (3) * 8 + err (3) */
	cr_assert_eq(log_level_from_syslog(27), LOG_LEVEL_ERROR);
}

/* ---- bad arguments ---- */

Test(logring, new_bad_config)
{
	struct logring_config zero_b = { .max_bytes = 0, .max_lines = 10 };
	struct logring_config zero_l = { .max_bytes = 10, .max_lines = 0 };
	struct logring_config huge = { .max_bytes = SIZE_MAX / 2,
				       .max_lines = 10 };
	struct logring_config huge_l = { .max_bytes = 10,
					 .max_lines = SIZE_MAX / 4 };

	errno = 0;
	cr_assert_null(logring_new(NULL));
	cr_assert_eq(errno, EINVAL);
	errno = 0;
	cr_assert_null(logring_new(&zero_b));
	cr_assert_eq(errno, EINVAL);
	errno = 0;
	cr_assert_null(logring_new(&zero_l));
	cr_assert_eq(errno, EINVAL);
	errno = 0;
	cr_assert_null(logring_new(&huge));
	cr_assert_eq(errno, EINVAL);
	errno = 0;
	cr_assert_null(logring_new(&huge_l));
	cr_assert_eq(errno, EINVAL);
	logring_free(NULL);
}

Test(logring, add_source_bad_args)
{
	struct logring *r = ring_new(1000, 100);
	char longname[LOGRING_SOURCE_NAME_MAX + 1];

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	cr_assert_eq(logring_add_source(NULL, "a", 1), -EINVAL);
	cr_assert_eq(logring_add_source(r, NULL, 1), -EINVAL);
	cr_assert_eq(logring_add_source(r, "", 1), -EINVAL);
	cr_assert_eq(logring_add_source(r, "a", 0), -EINVAL);
	cr_assert_eq(logring_add_source(r, longname, 1), -EINVAL);
	longname[LOGRING_SOURCE_NAME_MAX - 1] = '\0'; /* 31 bytes: fits */
	cr_assert_eq(logring_add_source(r, longname, 1), 0);
	cr_assert_eq(logring_source_count(r), 1);
	cr_assert_eq(logring_find_source(r, longname), 0);
	cr_assert_eq(logring_find_source(r, "nope"), -ENOENT);
	cr_assert_eq(logring_find_source(r, NULL), -ENOENT);
	cr_assert_eq(logring_find_source(NULL, "a"), -ENOENT);
	cr_assert_eq(stats(r, 0).budget_lines, 100);
	logring_free(r);
}

Test(logring, too_many_sources)
{
	struct logring *r = ring_new(1000, 100);
	char name[16];

	for (int i = 0; i < LOGRING_MAX_SOURCES; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		cr_assert_eq(logring_add_source(r, name, 1), i);
	}
	cr_assert_eq(logring_add_source(r, "one-more", 1), -ENOSPC);
	/* an existing name is still found */
	cr_assert_eq(logring_add_source(r, "s3", 5), 3);
	cr_assert_eq(logring_source_count(r), LOGRING_MAX_SOURCES);
	logring_free(r);
}

Test(logring, too_small_for_sources)
{
	/* every source needs at least one line and one byte */
	struct logring *r = ring_new(1000, 2);

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	cr_assert_eq(logring_add_source(r, "b", 1), 1);
	cr_assert_eq(logring_add_source(r, "c", 1), -ENOSPC);
	logring_free(r);
	r = ring_new(1, 10);
	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	cr_assert_eq(logring_add_source(r, "b", 1), -ENOSPC);
	add(r, 0, 1, "hello");
	cr_assert_str_eq(dump(r, 0), "0:h");
	cr_assert_eq(stats(r, 0).truncated, 1);
	logring_free(r);
}

Test(logring, add_bad_args)
{
	struct logring *r = ring_new(1000, 100);
	struct logring_source_stats st;

	cr_assert_eq(logring_add(r, 0, 1, LOG_LEVEL_INFO, "x", 1), -EINVAL,
		     "no source yet");
	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	cr_assert_eq(logring_add(r, -1, 1, LOG_LEVEL_INFO, "x", 1), -EINVAL);
	cr_assert_eq(logring_add(r, 1, 1, LOG_LEVEL_INFO, "x", 1), -EINVAL);
	cr_assert_eq(logring_add(r, 99, 1, LOG_LEVEL_INFO, "x", 1), -EINVAL);
	cr_assert_eq(logring_add(NULL, 0, 1, LOG_LEVEL_INFO, "x", 1), -EINVAL);
	cr_assert_eq(logring_add(r, 0, 1, LOG_LEVEL_INFO, NULL, 3), -EINVAL);
	cr_assert_eq(logring_add(r, 0, 1, LOG_LEVEL_INFO, NULL, 0), 0);
	cr_assert_eq(logring_source_stats(r, 1, &st), -EINVAL);
	cr_assert_eq(logring_source_stats(r, -1, &st), -EINVAL);
	cr_assert_eq(logring_source_stats(NULL, 0, &st), -EINVAL);
	cr_assert_eq(logring_count(r), 1);
	cr_assert_eq(logring_count(NULL), 0);
	cr_assert_eq(logring_source_count(NULL), 0);
	cr_assert_str_eq(dump(r, 0), "0:");
	logring_free(r);
}

Test(logring, iter_null_and_empty)
{
	struct logring *r = ring_new(100, 10);
	struct logring_iter it;
	struct log_entry e;

	logring_iter_init(&it, NULL, 0);
	cr_assert_not(logring_iter_next(&it, &e));
	logring_iter_init(&it, r, 0);
	cr_assert_not(logring_iter_next(&it, &e));
	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	logring_iter_init(&it, r, INT64_MIN);
	cr_assert_not(logring_iter_next(&it, &e));
	logring_free(r);
}

/* ---- budgets ---- */

Test(logring, budgets_by_weight)
{
	struct logring *r = ring_new(4000, 1000);
	size_t bl = 0, bb = 0;

	cr_assert_eq(logring_add_source(r, "dockerd", 2), 0);
	cr_assert_eq(logring_add_source(r, "containerd", 1), 1);
	cr_assert_eq(logring_add_source(r, "kernel", 1), 2);
	/* one each first, the rest by weight, the remainder from the start */
	cr_assert_eq(stats(r, 0).budget_lines, 500);
	cr_assert_eq(stats(r, 1).budget_lines, 250);
	cr_assert_eq(stats(r, 2).budget_lines, 250);
	cr_assert_eq(stats(r, 0).budget_bytes, 2000);
	cr_assert_eq(stats(r, 1).budget_bytes, 1000);
	cr_assert_eq(stats(r, 2).budget_bytes, 1000);
	cr_assert_str_eq(stats(r, 1).name, "containerd");
	logring_free(r);

	r = ring_new(1001, 7);
	cr_assert_eq(logring_add_source(r, "a", 3), 0);
	cr_assert_eq(logring_add_source(r, "b", 1), 1);
	cr_assert_eq(logring_add_source(r, "c", 1), 2);
	for (int i = 0; i < 3; i++) {
		bl += stats(r, i).budget_lines;
		bb += stats(r, i).budget_bytes;
		cr_assert_geq(stats(r, i).budget_lines, 1);
	}
	cr_assert_eq(bl, 7, "every line of the ring is given out");
	cr_assert_eq(bb, 1001, "every byte of the ring is given out");
	logring_free(r);
}

Test(logring, exact_line_budget)
{
	struct logring *r = ring_new(100000, 10);
	struct logring_source_stats st;
	char line[16];

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	for (int i = 0; i < 10; i++) {
		snprintf(line, sizeof(line), "l%d", i);
		add(r, 0, i, line);
	}
	st = stats(r, 0);
	cr_assert_eq(st.lines, 10);
	cr_assert_eq(st.dropped, 0);
	cr_assert_eq(st.bytes, 20);
	add(r, 0, 10, "l10");
	st = stats(r, 0);
	cr_assert_eq(st.lines, 10);
	cr_assert_eq(st.dropped, 1);
	cr_assert_eq(st.dropped_bytes, 2);
	cr_assert_eq(st.added, 11);
	cr_assert_str_eq(dump(r, 0), "0:l1|0:l2|0:l3|0:l4|0:l5|0:l6|0:l7|0:l8|"
				     "0:l9|0:l10");
	logring_free(r);
}

Test(logring, exact_byte_budget)
{
	struct logring *r = ring_new(100, 1000);
	struct logring_source_stats st;
	char line[16];

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	for (int i = 0; i < 10; i++) {
		snprintf(line, sizeof(line), "line-%04d", i); /* 9 bytes */
		add(r, 0, i, line);
	}
	add(r, 0, 10, "0123456789"); /* 90 + 10 = exactly 100 */
	st = stats(r, 0);
	cr_assert_eq(st.bytes, 100);
	cr_assert_eq(st.lines, 11);
	cr_assert_eq(st.dropped, 0);
	add(r, 0, 11, "x"); /* one byte over: the oldest goes */
	st = stats(r, 0);
	cr_assert_eq(st.bytes, 92);
	cr_assert_eq(st.lines, 11);
	cr_assert_eq(st.dropped, 1);
	cr_assert_eq(st.dropped_bytes, 9);
	add(r, 0, 12, "0123456789012345678901234567890"); /* 31 bytes */
	st = stats(r, 0);
	cr_assert_leq(st.bytes, 100);
	cr_assert_eq(st.bytes, 92 - 3 * 9 + 31);
	cr_assert_eq(st.dropped, 4);
	cr_assert_eq(st.added - st.dropped, st.lines);
	logring_free(r);
}

Test(logring, whole_budget_line_and_empty_lines)
{
	struct logring *r = ring_new(50, 5);
	char big[51];

	memset(big, 'b', 50);
	big[50] = '\0';
	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	add(r, 0, 1, "x");
	add(r, 0, 2, big); /* takes every byte: the rest goes */
	cr_assert_eq(stats(r, 0).lines, 1);
	cr_assert_eq(stats(r, 0).bytes, 50);
	cr_assert_eq(stats(r, 0).truncated, 0);
	for (int i = 0; i < 5; i++)
		add(r, 0, 3 + i, ""); /* empty lines cost a line, no bytes */
	cr_assert_eq(stats(r, 0).lines, 5);
	cr_assert_eq(stats(r, 0).bytes, 0);
	cr_assert_eq(stats(r, 0).dropped, 2);
	logring_free(r);
}

/* Lines of varied length, wrapping the ring many times. */
static void line_for(unsigned i, char *buf, size_t size)
{
	unsigned len = (i * 7919u) % 300u;
	int n = snprintf(buf, size, "#%u#", i);

	for (unsigned k = (unsigned)n; k < len && k + 1 < size; k++)
		buf[k] = (char)('a' + (i + k) % 26);
	if (len > (unsigned)n)
		buf[len < size - 1 ? len : size - 1] = '\0';
}

Test(logring, wrap_around_many_times)
{
	struct logring *r = ring_new(8192, 200);
	struct logring_iter it;
	struct log_entry e;
	struct logring_source_stats st;
	char line[512];
	unsigned total = 100000, first;
	uint64_t bytes = 0;

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	for (unsigned i = 0; i < total; i++) {
		line_for(i, line, sizeof(line));
		bytes += strlen(line);
		add(r, 0, i, line);
		if (i % 9973 == 0) {
			st = stats(r, 0);
			cr_assert_leq(st.bytes, 8192);
			cr_assert_leq(st.lines, 200);
		}
	}
	st = stats(r, 0);
	cr_assert_eq(st.added, total);
	cr_assert_eq(st.added - st.dropped, st.lines);
	cr_assert_eq(bytes - st.dropped_bytes, st.bytes);
	/* the newest lines, in order, byte for byte */
	first = total - (unsigned)st.lines;
	logring_iter_init(&it, r, 0);
	for (unsigned i = first; i < total; i++) {
		cr_assert(logring_iter_next(&it, &e));
		line_for(i, line, sizeof(line));
		cr_assert_str_eq(e.line, line);
		cr_assert_eq(e.time_us, (int64_t)i);
	}
	cr_assert_not(logring_iter_next(&it, &e));
	/* full: the next line would not fit in the byte budget or lines */
	line_for(total, line, sizeof(line));
	cr_assert(st.lines == 200 || st.bytes + strlen(line) > 8192 ||
		  st.bytes + 300 > 8192);
	logring_free(r);
}

Test(logring, isolation_under_flood)
{
	struct logring *r = ring_new(64 * 1024, 2000);
	struct logring_source_stats k, d, c;
	char line[128];

	cr_assert_eq(logring_add_source(r, "dockerd", 2), 0);
	cr_assert_eq(logring_add_source(r, "containerd", 1), 1);
	cr_assert_eq(logring_add_source(r, "kernel", 1), 2);
	add(r, 2, 5, "kernel: oom-kill:constraint=CONSTRAINT_MEMCG");
	add(r, 1, 6, "containerd: shim started");
	for (int i = 0; i < 1000000; i++) {
		snprintf(line, sizeof(line),
			 "level=debug msg=\"flood %d\" container=abcdef", i);
		add(r, 0, 10 + i, line);
	}
	add(r, 2, 2000000, "kernel: late line");
	k = stats(r, 2);
	c = stats(r, 1);
	d = stats(r, 0);
	cr_assert_eq(k.dropped, 0);
	cr_assert_eq(k.lines, 2);
	cr_assert_eq(c.dropped, 0);
	cr_assert_eq(c.lines, 1);
	cr_assert_eq(d.added, 1000000);
	cr_assert_gt(d.dropped, 990000);
	cr_assert_leq(d.bytes, d.budget_bytes);
	cr_assert_leq(d.lines, d.budget_lines);
	cr_assert_eq(iter_count(r, 0), d.lines + 3);
	cr_assert_eq(logring_count(r), d.lines + 3);
	/* the kernel's first line is still the oldest entry */
	cr_assert(strncmp(dump(r, 0),
			  "2:kernel: oom-kill:constraint=CONSTRAINT_MEMCG|"
			  "1:containerd: shim started|0:level=debug",
			  80) == 0);
	logring_free(r);
}

/* ---- truncation and line endings ---- */

Test(logring, truncation_at_line_max)
{
	struct logring *r = ring_new(100000, 100);
	static char big[LOGRING_LINE_MAX + 1000];
	struct logring_iter it;
	struct log_entry e;

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	memset(big, 'x', sizeof(big));
	cr_assert_eq(logring_add(r, 0, 1, LOG_LEVEL_ERROR, big, sizeof(big)),
		     0);
	cr_assert_eq(
		logring_add(r, 0, 2, LOG_LEVEL_INFO, big, LOGRING_LINE_MAX), 0);
	cr_assert_eq(logring_add(r, 0, 3, LOG_LEVEL_INFO, big,
				 LOGRING_LINE_MAX + 1),
		     0);
	logring_iter_init(&it, r, 0);
	cr_assert(logring_iter_next(&it, &e));
	cr_assert_eq(e.len, LOGRING_LINE_MAX);
	cr_assert(e.truncated);
	cr_assert_eq(e.level, LOG_LEVEL_ERROR);
	cr_assert_eq(e.line[LOGRING_LINE_MAX], '\0');
	cr_assert(logring_iter_next(&it, &e));
	cr_assert_eq(e.len, LOGRING_LINE_MAX);
	cr_assert_not(e.truncated, "exactly LOGRING_LINE_MAX is whole");
	cr_assert(logring_iter_next(&it, &e));
	cr_assert(e.truncated);
	cr_assert_eq(stats(r, 0).truncated, 2);
	cr_assert_eq(stats(r, 0).bytes, 3 * LOGRING_LINE_MAX);
	logring_free(r);
}

Test(logring, truncation_at_small_budget)
{
	struct logring *r = ring_new(20, 10);

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	add(r, 0, 1, "0123456789012345678901234567890");
	cr_assert_str_eq(dump(r, 0), "0:01234567890123456789");
	cr_assert_eq(stats(r, 0).truncated, 1);
	logring_free(r);
}

Test(logring, newline_stripped)
{
	struct logring *r = ring_new(1000, 10);

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	add(r, 0, 1, "one\n");
	add(r, 0, 2, "two\r\n");
	add(r, 0, 3, "three\n\n");
	add(r, 0, 4, "four\r");
	add(r, 0, 5, "\n");
	cr_assert_str_eq(dump(r, 0), "0:one|0:two|0:three\n|0:four\r|0:");
	cr_assert_eq(stats(r, 0).bytes, 3 + 3 + 6 + 5 + 0);
	logring_free(r);
}

Test(logring, secret_across_the_cut_never_stored)
{
	struct logring *r = ring_new(100000, 10);
	static char line[LOGRING_LINE_MAX + 200];
	struct logring_iter it;
	struct log_entry e;
	size_t n;

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	/* the '@' that makes it a password is past the cut */
	memset(line, 'a', LOGRING_LINE_MAX - 20);
	n = LOGRING_LINE_MAX - 20;
	n += (size_t)sprintf(line + n,
			     " https://bob:longpassword12345678@registry/");
	add(r, 0, 1, line);
	/* a long token that makes the line fit once masked */
	memset(line, 'b', LOGRING_LINE_MAX - 50);
	n = LOGRING_LINE_MAX - 50;
	line[n++] = ' ';
	memcpy(line + n, "token=", 6);
	n += 6;
	memset(line + n, 'T', 100);
	n += 100;
	line[n] = '\0';
	add(r, 0, 2, line);

	logring_iter_init(&it, r, 0);
	cr_assert(logring_iter_next(&it, &e));
	cr_assert(e.truncated);
	cr_assert_eq(e.len, LOGRING_LINE_MAX);
	cr_assert_null(strstr(e.line, "longpass"));
	cr_assert_not_null(strstr(e.line, "https://bob:***@reg"));
	cr_assert(logring_iter_next(&it, &e));
	cr_assert_not(e.truncated, "masked, the line fits");
	cr_assert_eq(e.len, LOGRING_LINE_MAX - 50 + 1 + 6 + 3);
	cr_assert_null(strstr(e.line, "TTT"));
	cr_assert_eq(stats(r, 0).redacted, 2);
	cr_assert_eq(stats(r, 0).truncated, 1);
	logring_free(r);
}

/* ---- order ---- */

Test(logring, merge_in_time_order)
{
	struct logring *r = ring_new(10000, 100);

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	cr_assert_eq(logring_add_source(r, "b", 1), 1);
	cr_assert_eq(logring_add_source(r, "c", 1), 2);
	add(r, 0, 10, "a10");
	add(r, 0, 30, "a30");
	add(r, 1, 5, "b5");
	add(r, 1, 20, "b20");
	add(r, 1, 40, "b40");
	add(r, 2, 25, "c25");
	cr_assert_str_eq(dump(r, 0), "1:b5|0:a10|1:b20|2:c25|0:a30|1:b40");
	cr_assert_str_eq(dump(r, 20), "1:b20|2:c25|0:a30|1:b40");
	cr_assert_str_eq(dump(r, 21), "2:c25|0:a30|1:b40");
	cr_assert_str_eq(dump(r, 41), "");
	cr_assert_str_eq(dump(r, INT64_MIN), dump(r, 0));
	logring_free(r);
}

Test(logring, equal_times_keep_arrival_order)
{
	struct logring *r = ring_new(10000, 100);

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	cr_assert_eq(logring_add_source(r, "b", 1), 1);
	add(r, 1, 7, "b1");
	add(r, 0, 7, "a1");
	add(r, 0, 7, "a2");
	add(r, 1, 7, "b2");
	add(r, 0, 7, "a3");
	add(r, 1, 3, "b-early");
	add(r, 0, 9, "a-late");
	cr_assert_str_eq(dump(r, 0),
			 "1:b1|0:a1|0:a2|1:b2|1:b-early|0:a3|0:a-late");
	logring_free(r);
}

Test(logring, time_going_back_within_a_source)
{
	/* a source's own order is kept even when its clock goes back */
	struct logring *r = ring_new(10000, 100);

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	cr_assert_eq(logring_add_source(r, "b", 1), 1);
	add(r, 0, 10, "a10");
	add(r, 0, 5, "a5");
	add(r, 1, 7, "b7");
	cr_assert_str_eq(dump(r, 0), "1:b7|0:a10|0:a5");
	cr_assert_str_eq(dump(r, 6), "1:b7|0:a10");
	logring_free(r);
}

Test(logring, entry_fields)
{
	struct logring *r = ring_new(1000, 10);
	struct logring_iter it;
	struct log_entry e;

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	cr_assert_eq(logring_add_source(r, "b", 1), 1);
	cr_assert_eq(logring_add(r, 1, -5, LOG_LEVEL_WARNING, "w", 1), 0);
	cr_assert_eq(logring_add(r, 0, 1700000000000000, (enum log_level)42,
				 "odd level", 9),
		     0);
	logring_iter_init(&it, r, INT64_MIN);
	cr_assert(logring_iter_next(&it, &e));
	cr_assert_eq(e.time_us, -5);
	cr_assert_eq(e.source, 1);
	cr_assert_eq(e.level, LOG_LEVEL_WARNING);
	cr_assert_not(e.truncated);
	cr_assert(logring_iter_next(&it, &e));
	cr_assert_eq(e.time_us, 1700000000000000);
	cr_assert_eq(e.source, 0);
	cr_assert_eq(e.level, LOG_LEVEL_UNKNOWN);
	cr_assert_eq(e.len, 9);
	cr_assert_not(logring_iter_next(&it, &e));
	logring_free(r);
}

Test(logring, iterator_survives_eviction)
{
	/* not promised by the header, but an iterator must never misread */
	struct logring *r = ring_new(1000, 3);
	struct logring_iter it;
	struct log_entry e;

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	add(r, 0, 1, "one");
	add(r, 0, 2, "two");
	logring_iter_init(&it, r, 0);
	cr_assert(logring_iter_next(&it, &e));
	cr_assert_str_eq(e.line, "one");
	add(r, 0, 3, "three");
	add(r, 0, 4, "four"); /* "one" and "two" go */
	add(r, 0, 5, "five");
	cr_assert(logring_iter_next(&it, &e));
	cr_assert_str_eq(e.line, "three");
	cr_assert(logring_iter_next(&it, &e));
	cr_assert_str_eq(e.line, "four");
	logring_free(r);
}

/* ---- re-budgeting ---- */

Test(logring, add_source_later_trims)
{
	struct logring *r = ring_new(1000, 100);
	struct logring_source_stats a;
	char line[32];

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	for (int i = 0; i < 100; i++) {
		snprintf(line, sizeof(line), "a%02d", i); /* 3 bytes */
		add(r, 0, i, line);
	}
	cr_assert_eq(stats(r, 0).lines, 100);
	cr_assert_eq(logring_add_source(r, "b", 1), 1);
	a = stats(r, 0);
	cr_assert_eq(a.budget_lines, 50);
	cr_assert_eq(a.budget_bytes, 500);
	cr_assert_eq(a.lines, 50);
	cr_assert_eq(a.dropped, 50, "trimmed entries count as dropped");
	cr_assert_eq(a.dropped_bytes, 150);
	cr_assert_eq(stats(r, 1).budget_lines, 50);
	cr_assert_eq(stats(r, 1).budget_bytes, 500);
	cr_assert(strncmp(dump(r, 0), "0:a50|0:a51|", 12) == 0);
	for (int i = 0; i < 60; i++)
		add(r, 1, 1000 + i, "bb");
	add(r, 0, 2000, "a-new");
	cr_assert_eq(stats(r, 1).lines, 50);
	cr_assert_eq(stats(r, 0).lines, 50);
	cr_assert_eq(logring_count(r), 100);
	cr_assert(strncmp(dump(r, 0), "0:a51|", 6) == 0);
	logring_free(r);
}

Test(logring, add_source_later_after_wrap)
{
	/* the first source's text wrapped: the move must unwrap it */
	struct logring *r = ring_new(2000, 1000);
	struct logring_iter it;
	struct log_entry e;
	char line[512];
	unsigned total = 5003, held, first;

	cr_assert_eq(logring_add_source(r, "a", 3), 0);
	cr_assert_eq(logring_add_source(r, "k", 1), 1);
	add(r, 1, 0, "kernel line");
	for (unsigned i = 0; i < total; i++) {
		line_for(i, line, sizeof(line));
		add(r, 0, 1 + i, line);
	}
	cr_assert_eq(logring_add_source(r, "late", 4), 2);
	cr_assert_leq(stats(r, 0).budget_bytes, 1500);
	cr_assert_leq(stats(r, 0).bytes, stats(r, 0).budget_bytes);
	cr_assert_eq(stats(r, 1).lines, 1);
	cr_assert_str_eq(stats(r, 2).name, "late");
	held = (unsigned)stats(r, 0).lines;
	first = total - held;
	logring_iter_init(&it, r, 0);
	cr_assert(logring_iter_next(&it, &e));
	cr_assert_str_eq(e.line, "kernel line");
	for (unsigned i = first; i < total; i++) {
		cr_assert(logring_iter_next(&it, &e));
		line_for(i, line, sizeof(line));
		cr_assert_str_eq(e.line, line);
	}
	cr_assert_not(logring_iter_next(&it, &e));
	/* and the ring goes on working in the new layout */
	for (unsigned i = 0; i < 3000; i++) {
		line_for(i, line, sizeof(line));
		add(r, (int)(i % 3), 10000 + i, line);
	}
	for (int s = 0; s < 3; s++) {
		cr_assert_leq(stats(r, s).bytes, stats(r, s).budget_bytes);
		cr_assert_leq(stats(r, s).lines, stats(r, s).budget_lines);
	}
	logring_free(r);
}

Test(logring, add_source_never_grows_a_filled_source)
{
	/*
	 * 6 lines for weights 4:1 give 5 and 1; with 4:1:2 the carve would
	 * give the second source 2 (the remainder goes to the first ones).
	 * With lines stored, it keeps 1: slices only move down.
	 */
	struct logring *r = ring_new(6000, 6);

	cr_assert_eq(logring_add_source(r, "a", 4), 0);
	cr_assert_eq(logring_add_source(r, "b", 1), 1);
	cr_assert_eq(stats(r, 0).budget_lines, 5);
	cr_assert_eq(stats(r, 1).budget_lines, 1);
	for (int i = 0; i < 5; i++)
		add(r, 0, i,
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	add(r, 1, 10, "b-line");
	cr_assert_eq(logring_add_source(r, "c", 2), 2);
	cr_assert_eq(stats(r, 1).budget_lines, 1);
	cr_assert_eq(stats(r, 0).budget_lines, 3);
	cr_assert_eq(stats(r, 0).dropped, 2);
	cr_assert_leq(stats(r, 0).budget_lines + stats(r, 1).budget_lines +
			      stats(r, 2).budget_lines,
		      6);
	cr_assert_str_eq(
		dump(r, 0),
		"0:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|"
		"0:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|"
		"0:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|"
		"1:b-line");
	add(r, 2, 20, "c-line");
	add(r, 1, 21, "b-two");
	cr_assert_str_eq(dump(r, 10), "2:c-line|1:b-two");
	logring_free(r);

	/* an empty ring is simply carved again */
	r = ring_new(6000, 6);
	cr_assert_eq(logring_add_source(r, "a", 4), 0);
	cr_assert_eq(logring_add_source(r, "b", 1), 1);
	cr_assert_eq(logring_add_source(r, "c", 2), 2);
	cr_assert_eq(stats(r, 1).budget_lines, 2);
	cr_assert_eq(stats(r, 0).budget_lines + stats(r, 1).budget_lines +
			     stats(r, 2).budget_lines,
		     6);
	logring_free(r);
}

/* ---- redaction ---- */

struct redact_case {
	const char *in;
	const char *out; /* NULL: unchanged */
};

/* clang-format off */
static struct redact_case redactions[] = {
	/* credentials in URLs */
	{ "GET https://user:hunter2@registry.example.com/v2/",
	  "GET https://user:***@registry.example.com/v2/" },
	{ "proxy http://bob:pw@proxy:3128", "proxy http://bob:**@proxy:3128" },
	{ "redis://:s3cr3t@cache:6379/0", "redis://:***@cache:6379/0" },
	{ "tcp://a:b@host", "tcp://a:*@host" },
	{ "a https://u:p%40ss@h/x and https://v:zz@h2/",
	  "a https://u:***@h/x and https://v:**@h2/" },
	{ "HTTPS_PROXY=http://u:pw@10.0.0.1:8080 x",
	  "HTTPS_PROXY=http://u:**@10.0.0.1:8080 x" },
	/* Authorization */
	{ "Authorization: Basic dXNlcjpwYXNzd29yZA==",
	  "Authorization: Basic ***" },
	{ "authorization: bearer eyJhbGciOiJSUzI1NiJ9.e30.sig",
	  "authorization: bearer ***" },
	{ "map[Accept:[*/*] Authorization:[Bearer abc.def.ghi] User-Agent:[docker/24.0]]",
	  "map[Accept:[*/*] Authorization:[Bearer ***] User-Agent:[docker/24.0]]" },
	{ "{\"Authorization\":[\"Bearer xyz123\"]}",
	  "{\"Authorization\":[\"Bearer ***\"]}" },
	{ "Proxy-Authorization: Basic Zm9vOmJhcg==",
	  "Proxy-Authorization: Basic ***" },
	{ "Authorization: Token abcdef", "Authorization: Token ***" },
	{ "authorization=\"Bearer abc\" x=1", "authorization=\"Bearer ***\" x=1" },
	{ "{\"authorization\":\"rawtoken\"}", "{\"authorization\":\"***\"}" },
	{ "got Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.abc ok",
	  "got Bearer *** ok" },
	/* registry auth headers */
	{ "X-Registry-Auth: eyJ1c2VybmFtZSI6ImJvYiJ9", "X-Registry-Auth: ***" },
	{ "map[X-Registry-Auth:[eyJ1c2VybmFtZSI6ImJvYiJ9] Content-Type:[application/json]]",
	  "map[X-Registry-Auth:[***] Content-Type:[application/json]]" },
	{ "{\"X-Registry-Auth\":[\"eyJhIjoiYiJ9\"]}",
	  "{\"X-Registry-Auth\":[\"***\"]}" },
	{ "X-Registry-Config: eyJhIjoiYiJ9", "X-Registry-Config: ***" },
	/* JSON */
	{ "{\"password\":\"hunter2\"}", "{\"password\":\"***\"}" },
	{ "{\"Password\": \"two words\"}", "{\"Password\": \"***\"}" },
	{ "{\"username\":\"bob\",\"password\":\"a\\\"b\",\"x\":1}",
	  "{\"username\":\"bob\",\"password\":\"***\",\"x\":1}" },
	{ "msg=\"{\\\"password\\\":\\\"hunter2\\\",\\\"x\\\":1}\"",
	  "msg=\"{\\\"password\\\":\\\"***\\\",\\\"x\\\":1}\"" },
	{ "{\"access_token\":\"abc\",\"expires_in\":300}",
	  "{\"access_token\":\"***\",\"expires_in\":300}" },
	{ "{\"refresh_token\":\"r1\"}", "{\"refresh_token\":\"**\"}" },
	{ "{\"IdentityToken\":\"idtok\"}", "{\"IdentityToken\":\"***\"}" },
	{ "{\"registrytoken\":\"rt\"}", "{\"registrytoken\":\"**\"}" },
	{ "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"dXNlcjpwYXNz\"}}}",
	  "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"***\"}}}" },
	{ "{\"X-Auth-Token\":\"abc\"}", "{\"X-Auth-Token\":\"***\"}" },
	{ "{\"secret\":\"\"}", NULL },
	/* logfmt */
	{ "level=debug password=hunter2 user=bob",
	  "level=debug password=*** user=bob" },
	{ "password=\"hunter 2\" next=1", "password=\"***\" next=1" },
	{ "PASSWORD=abc", "PASSWORD=***" },
	{ "passwd=ab", "passwd=**" },
	{ "secret=x", "secret=*" },
	{ "token=abcdef", "token=***" },
	{ "DB_PASSWORD=xyz", "DB_PASSWORD=***" },
	{ "client_secret=abcd", "client_secret=***" },
	{ "--password=hunter2", "--password=***" },
	{ "msg=\"login failed password=hunter2\"",
	  "msg=\"login failed password=***\"" },
	{ "msg=\"cmd --password=\\\"abc\\\"\"", "msg=\"cmd --password=\\\"***\\\"\"" },
	{ "user=bob password=a token=b", "user=bob password=* token=*" },
	{ "auth=dXNlcjpwYXNz", "auth=***" },
	/* URL query */
	{ "GET /v2/token?scope=repo&token=abc123&x=1",
	  "GET /v2/token?scope=repo&token=***&x=1" },
	{ "https://h/cb?access_token=abc#frag", "https://h/cb?access_token=***#frag" },
	{ "https://h/login?user=bob&password=pw", "https://h/login?user=bob&password=**" },
	{ "pulling https://a:b@r.io/x?token=t done",
	  "pulling https://a:*@r.io/x?token=* done" },
	/* not secrets: must stay */
	{ "level=info msg=\"authorization plugin allowed request\"", NULL },
	{ "tokens=3 total=5", NULL },
	{ "token_count=5", NULL },
	{ "passwordless=true", NULL },
	{ "secretary=bob", NULL },
	{ "auth_method=token", NULL },
	{ "authenticated=true", NULL },
	{ "http://registry:5000/v2/", NULL },
	{ "ssh://git@github.com/x.git", NULL },
	{ "time=\"2024-01-02T15:04:05.123Z\" level=info msg=\"Loading containers: done.\"", NULL },
	{ "Www-Authenticate: Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"", NULL },
	{ "missing Bearer token in request", NULL },
	{ "basic auth is configured", NULL },
	{ "http://[fe80::1]:8080/path", NULL },
	{ "mail admin@example.com: failed", NULL },
	{ "unauthorized: authentication required", NULL },
	{ "token=", NULL },
	{ "{\"password\":null,\"token\":12}", NULL },
	{ "msg=\"refresh token\": expired", NULL },
	{ "Authorization: denied by plugin", NULL },
	{ "preauthorization: Bearer abc", NULL },
	{ "GET /v2/library/busybox/manifests/latest?ns=docker.io", NULL },
	{ "kernel: [   12.345] br-1234: port 1(veth0) entered forwarding state", NULL },
	{ "http://host/path?q=a@b:c", NULL },
	{ "x=http://user@host", NULL },
	{ "level=warning msg=\"Your kernel does not support swap limit capabilities\"", NULL },
	{ "", NULL },
	{ "=", NULL },
	{ ":", NULL },
	{ "://", NULL },
	{ "a://b:c", NULL },
	{ "bearer ", NULL },
	{ "\"password\"", NULL },
	{ "{\"password\":", NULL },
};
/* clang-format on */

ParameterizedTestParameters(logring, redact_table)
{
	TABLE_PARAMS(redactions);
}

ParameterizedTest(size_t *ci, logring, redact_table)
{
	const struct redact_case *c = &redactions[*ci];
	const char *want = c->out ? c->out : c->in;
	size_t len = strlen(c->in), n;
	char *out = malloc(len + 1);
	bool changed = !c->out;

	cr_assert_not_null(out);
	n = logring_redact(c->in, len, out, &changed);
	cr_assert_str_eq(out, want, "in: %s", c->in);
	cr_assert_eq(n, strlen(want));
	cr_assert_leq(n, len);
	cr_assert_eq(changed, c->out != NULL);
	free(out);
}

/*
 * The scanner looks at 16 bytes at a time, then byte by byte at the end:
 * every case again at each position in a line of spaces.
 */
Test(logring, redact_table_shifted)
{
	char in[512], want[512], out[512];

	for (size_t ci = 0; ci < TABLE_SIZE(redactions); ci++) {
		const struct redact_case *c = &redactions[ci];
		const char *w = c->out ? c->out : c->in;

		for (int shift = 1; shift < 40; shift++) {
			size_t n;

			snprintf(in, sizeof(in), "%*s%s%*s", shift, "", c->in,
				 40 - shift, "");
			snprintf(want, sizeof(want), "%*s%s%*s", shift, "", w,
				 40 - shift, "");
			n = logring_redact(in, strlen(in), out, NULL);
			cr_assert_str_eq(out, want, "shift %d: '%s'", shift,
					 in);
			cr_assert_eq(n, strlen(want));
		}
	}
}

Test(logring, redact_args)
{
	char out[8];

	cr_assert_eq(logring_redact(NULL, 5, out, NULL), 0);
	cr_assert_str_eq(out, "");
	cr_assert_eq(logring_redact("abc", 3, NULL, NULL), 0);
	/* only len bytes are read */
	cr_assert_eq(logring_redact("token=abc", 6, out, NULL), 6);
	cr_assert_str_eq(out, "token=");
	cr_assert_eq(logring_redact("token=abc", 7, out, NULL), 7);
	cr_assert_str_eq(out, "token=*");
}

Test(logring, redact_random_never_longer)
{
	/* noise made of the characters the scanner reacts to */
	static const char alpha[] = "=: \"\\/@[]?&{}abtokenpasswordBearer_-";
	char in[200], out[201];
	unsigned seed = 12345;

	for (int i = 0; i < 200000; i++) {
		size_t len = (seed = seed * 1103515245u + 12345u) % 200;
		size_t n;

		for (size_t k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			in[k] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		n = logring_redact(in, len, out, NULL);
		cr_assert_leq(n, len);
		cr_assert_eq(out[n], '\0');
	}
}

Test(logring, redacted_before_storing)
{
	struct logring *r = ring_new(1000, 10);

	cr_assert_eq(logring_add_source(r, "a", 1), 0);
	add(r, 0, 1, "login password=hunter2 ok\n");
	add(r, 0, 2, "nothing here");
	cr_assert_str_eq(dump(r, 0), "0:login password=*** ok|0:nothing here");
	cr_assert_eq(stats(r, 0).redacted, 1);
	cr_assert_eq(stats(r, 0).bytes, 21 + 12, "budget counts the masked");
	logring_free(r);
}

/* ---- randomized comparison with a reference model ---- */

/*
 * The model: per source, a plain array of the entries held, oldest first,
 * with the same rules (cut at min(LINE_MAX, budget bytes); evict oldest
 * until one more line and its bytes fit the budgets), and a k-way merge by
 * (time, arrival) for the order.
 */
struct m_entry {
	int64_t t;
	uint64_t seq;
	char *text;
	size_t len;
	bool trunc;
	enum log_level level;
};

struct m_source {
	struct m_entry *v;
	size_t head, n, alloc; /* entries [head, head + n) */
	size_t bytes, budget_lines, budget_bytes;
	uint64_t added, dropped, dropped_bytes, truncated;
};

struct model {
	struct m_source s[4];
	int n;
	uint64_t seq;
};

static void m_evict(struct m_source *s)
{
	struct m_entry *e = &s->v[s->head];

	s->dropped++;
	s->dropped_bytes += e->len;
	s->bytes -= e->len;
	free(e->text);
	s->head++;
	s->n--;
}

static void m_trim(struct m_source *s)
{
	while (s->n > s->budget_lines || s->bytes > s->budget_bytes)
		m_evict(s);
}

static void m_add(struct model *m, int src, int64_t t, enum log_level lvl,
		  const char *line, size_t len)
{
	struct m_source *s = &m->s[src];
	size_t cap = s->budget_bytes < LOGRING_LINE_MAX ? s->budget_bytes
							: LOGRING_LINE_MAX;
	struct m_entry e = { .t = t, .seq = m->seq++, .level = lvl };

	if (len && line[len - 1] == '\n') {
		len--;
		if (len && line[len - 1] == '\r')
			len--;
	}
	e.trunc = len > cap;
	e.len = e.trunc ? cap : len;
	e.text = strndup(line, e.len);
	cr_assert_not_null(e.text);
	while (s->n && (s->n + 1 > s->budget_lines ||
			s->bytes + e.len > s->budget_bytes))
		m_evict(s);
	if (s->head + s->n == s->alloc) {
		if (s->head > s->alloc / 2) {
			memmove(s->v, s->v + s->head, s->n * sizeof(*s->v));
			s->head = 0;
		} else {
			s->alloc = s->alloc ? s->alloc * 2 : 64;
			s->v = realloc(s->v, s->alloc * sizeof(*s->v));
			cr_assert_not_null(s->v);
		}
	}
	s->v[s->head + s->n++] = e;
	s->bytes += e.len;
	s->added++;
	if (e.trunc)
		s->truncated++;
}

static void m_budgets_from(struct model *m, const struct logring *r)
{
	for (int i = 0; i < m->n; i++) {
		struct logring_source_stats st = stats(r, i);

		m->s[i].budget_lines = st.budget_lines;
		m->s[i].budget_bytes = st.budget_bytes;
		m_trim(&m->s[i]);
	}
}

static void m_compare(const struct model *m, const struct logring *r,
		      int64_t since)
{
	size_t pos[4] = { 0 };
	struct logring_iter it;
	struct log_entry e;

	for (int i = 0; i < m->n; i++) {
		struct logring_source_stats st = stats(r, i);
		const struct m_source *s = &m->s[i];

		cr_assert_eq(st.lines, s->n, "source %d", i);
		cr_assert_eq(st.bytes, s->bytes);
		cr_assert_eq(st.added, s->added);
		cr_assert_eq(st.dropped, s->dropped);
		cr_assert_eq(st.dropped_bytes, s->dropped_bytes);
		cr_assert_eq(st.truncated, s->truncated);
		cr_assert_eq(st.redacted, 0);
		cr_assert_leq(st.bytes, st.budget_bytes);
		cr_assert_leq(st.lines, st.budget_lines);
	}
	logring_iter_init(&it, r, since);
	for (;;) {
		const struct m_entry *best = NULL;
		int bs = -1;

		for (int i = 0; i < m->n; i++) {
			const struct m_source *s = &m->s[i];
			const struct m_entry *c;

			while (pos[i] < s->n &&
			       s->v[s->head + pos[i]].t < since)
				pos[i]++;
			if (pos[i] == s->n)
				continue;
			c = &s->v[s->head + pos[i]];
			if (!best || c->t < best->t ||
			    (c->t == best->t && c->seq < best->seq)) {
				best = c;
				bs = i;
			}
		}
		if (!best) {
			cr_assert_not(logring_iter_next(&it, &e),
				      "the ring has more entries");
			break;
		}
		pos[bs]++;
		cr_assert(logring_iter_next(&it, &e), "the ring has fewer");
		cr_assert_eq(e.source, bs);
		cr_assert_eq(e.time_us, best->t);
		cr_assert_eq(e.len, best->len);
		cr_assert_eq(e.truncated, best->trunc);
		cr_assert_eq(e.level, best->level);
		cr_assert(memcmp(e.line, best->text, e.len) == 0);
		cr_assert_eq(e.line[e.len], '\0');
	}
}

static void m_free(struct model *m)
{
	for (int i = 0; i < m->n; i++) {
		while (m->s[i].n)
			m_evict(&m->s[i]);
		free(m->s[i].v);
	}
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64*, fixed seed: the same run every time */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/*
 * One run of ops operations on a ring of the given size: sources 0 and 1 at
 * the start, 2 and 3 added at 30% and 60% (re-budgeting with lines
 * stored), source 0 taking 70% of the lines. Line lengths from lo to hi,
 * with 1% of lines past LOGRING_LINE_MAX and 1% empty.
 */
static void model_run(size_t max_bytes, size_t max_lines, size_t lo, size_t hi,
		      long ops, uint64_t seed)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789 .,/-";
	static char line[LOGRING_LINE_MAX + 600];
	struct logring *r = ring_new(max_bytes, max_lines);
	struct model m = { 0 };
	int64_t t = 1000;
	unsigned weights[4] = { 4, 1, 2, 1 };
	char name[8];

	rng_state = seed;
	for (long op = 0; op < ops; op++) {
		if (op == 0 || op == 1 || op == ops * 3 / 10 ||
		    op == ops * 6 / 10) {
			snprintf(name, sizeof(name), "s%d", m.n);
			cr_assert_eq(logring_add_source(r, name, weights[m.n]),
				     m.n);
			m.n++;
			m_budgets_from(&m, r);
			m_compare(&m, r, INT64_MIN);
			continue;
		}
		uint64_t x = rnd();
		int src = x % 10 < 7 ? 0 : (int)(1 + (x >> 8) % (m.n - 1));
		size_t len;
		enum log_level lvl = (enum log_level)((x >> 16) % 7);

		switch ((x >> 24) % 100) {
		case 0:
			len = LOGRING_LINE_MAX - 2 + (x >> 32) % 500;
			break;
		case 1:
			len = 0;
			break;
		default:
			len = lo + (x >> 32) % (hi - lo + 1);
			break;
		}
		for (size_t k = 0; k < len; k++)
			line[k] = alpha[rnd() % (sizeof(alpha) - 1)];
		if (len && (x >> 40) % 20 == 0)
			line[len - 1] = '\n';
		/* time: mostly forward, often equal, sometimes back */
		switch ((x >> 48) % 10) {
		case 0:
		case 1:
			break;
		case 2:
			t -= (int64_t)((x >> 52) % 50);
			break;
		default:
			t += (int64_t)((x >> 52) % 20);
			break;
		}
		cr_assert_eq(logring_add(r, src, t, lvl, line, len), 0);
		m_add(&m, src, t, lvl, line, len);
		if (op % 997 == 0)
			m_compare(&m, r, INT64_MIN);
		if (op % 1999 == 0)
			m_compare(&m, r, t - (int64_t)(rnd() % 400));
	}
	m_compare(&m, r, INT64_MIN);
	for (int i = 0; i < m.n; i++)
		cr_assert_gt(m.s[i].dropped, 0, "every source wrapped");
	m_free(&m);
	logring_free(r);
}

/* the byte budget binds: lines of 0-240 bytes, 48 KiB */
Test(logring, model_bytes_bind, .timeout = 120)
{
	model_run(48 * 1024, 700, 0, 240, 100000, 0x9e3779b97f4a7c15ull);
}

/*
 * Both budgets bind at once (about 10 bytes a line): the wrap at the end
 * of a text slice must never cost an extra eviction.
 */
Test(logring, model_both_bind, .timeout = 120)
{
	model_run(3000, 300, 7, 13, 100000, 0x1234567887654321ull);
}

/* Tiny slices: most lines are cut at the source's byte budget. */
Test(logring, model_tiny, .timeout = 120)
{
	model_run(300, 40, 0, 120, 50000, 0xdeadbeefcafef00dull);
}
