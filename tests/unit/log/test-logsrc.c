// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Log sources: line parsing (logrus text/JSON/terminal, RFC 3339, syslog,
 * /dev/kmsg records), --log-source specs, discovery on fixture trees, and
 * reading: file backlog and following (append, truncation, rotation),
 * kmsg record files, the real /dev/kmsg, and real journal files written by
 * systemd-journal-remote.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "log/logring.h"
#include "log/logsrc.h"
#include "host/path.h"
#include "table.h"
#include "core/util.h"

#define S(x) ((int64_t)(x)*1000000)
#define FB S(1718452800) /* 2024-06-15T12:00:00Z */
#define T0 S(1704207845) /* 2024-01-02T15:04:05Z */
#define LIT(s) s, sizeof(s) - 1
#define CET "CET-1CEST,M3.5.0,M10.5.0/3"

static void set_tz(const char *tz)
{
	setenv("TZ", tz ? tz : "UTC", 1);
	tzset();
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- logline_parse ------------------------------------------------------ */

struct line_case {
	const char *line;
	size_t len; /* 0: strlen */
	const char *tz; /* NULL: UTC */
	int64_t fallback;
	bool found;
	int64_t time; /* when !found: the fallback */
	enum log_level level;
};

static const struct line_case line_cases[] = {
	/* logrus text, as dockerd writes to a file or the journal */
	{ "time=\"2024-01-02T15:04:05.123456789Z\" level=info msg=\"Starting up\"",
	  0, NULL, FB, true, T0 + 123456, LOG_LEVEL_INFO },
	{ "time=\"2024-01-02T15:04:05.123456789+08:00\" level=warning msg=x", 0,
	  NULL, FB, true, S(1704179045) + 123456, LOG_LEVEL_WARNING },
	{ "time=\"2024-01-02T15:04:05-05:30\" level=error msg=\"x\"", 0, NULL,
	  FB, true, S(1704227645), LOG_LEVEL_ERROR },
	{ "time=\"2024-01-02T15:04:05.5Z\" level=debug", 0, NULL, FB, true,
	  T0 + 500000, LOG_LEVEL_DEBUG },
	{ "time=\"2024-01-02T15:04:05Z\" level=fatal msg=\"boom\"", 0, NULL, FB,
	  true, T0, LOG_LEVEL_FATAL },
	{ "time=\"2024-01-02T15:04:05Z\" level=panic msg=\"boom\"", 0, NULL, FB,
	  true, T0, LOG_LEVEL_FATAL },
	{ "time=\"2024-01-02T15:04:05Z\" level=trace", 0, NULL, FB, true, T0,
	  LOG_LEVEL_TRACE },
	{ "level=warning msg=\"no time here\"", 0, NULL, FB, false, FB,
	  LOG_LEVEL_WARNING },
	/* keys inside a quoted value are not fields */
	{ "time=\"2024-01-02T15:04:05.000001Z\" level=info msg=\"level=error time=\\\"2020-01-01T00:00:00Z\\\"\"",
	  0, NULL, FB, true, T0 + 1, LOG_LEVEL_INFO },
	{ "msg=\"level=error quoted\" level=info", 0, NULL, FB, false, FB,
	  LOG_LEVEL_INFO },
	{ "time=\"2024-02-30T00:00:00Z\" level=info", 0, NULL, FB, false, FB,
	  LOG_LEVEL_INFO },
	{ "time=\"not a time\" level=info", 0, NULL, FB, false, FB,
	  LOG_LEVEL_INFO },
	{ "time=\"2024-01-02T15:04:05+0100\" level=info", 0, NULL, FB, true,
	  S(1704204245), LOG_LEVEL_INFO },
	{ "time=\"2024-01-02T15:04:05Z\" level=verbose", 0, NULL, FB, true, T0,
	  LOG_LEVEL_UNKNOWN },
	{ "time=2024-01-02T15:04:05Z level=info", 0, NULL, FB, true, T0,
	  LOG_LEVEL_INFO },
	{ "time=\"2024-01-02T15:04:05Z\" level=WARN", 0, NULL, FB, true, T0,
	  LOG_LEVEL_WARNING },
	{ "time=\"2024-01-02t15:04:05z\" level=\"error\"", 0, NULL, FB, true,
	  T0, LOG_LEVEL_ERROR },
	/* leap second: 23:59:60 is the next day's 00:00:00 */
	{ "time=\"2016-12-31T23:59:60Z\" level=info", 0, NULL, FB, true,
	  S(1483228800), LOG_LEVEL_INFO },
	/* logrus JSON: keys in any order, nested values skipped */
	{ "{\"level\":\"info\",\"msg\":\"Starting up\",\"time\":\"2024-01-02T15:04:05.123456789Z\"}",
	  0, NULL, FB, true, T0 + 123456, LOG_LEVEL_INFO },
	{ "{\"time\":\"2024-01-02T15:04:05+02:00\",\"level\":\"error\",\"msg\":\"x\"}",
	  0, NULL, FB, true, T0 - S(7200), LOG_LEVEL_ERROR },
	{ "{\"msg\":\"\\\"time\\\":\\\"2020-01-01T00:00:00Z\\\" level\",\"level\":\"warning\",\"time\":\"2024-01-02T15:04:05Z\"}",
	  0, NULL, FB, true, T0, LOG_LEVEL_WARNING },
	{ "{\"level\":\"debug\",\"nested\":{\"time\":\"2020-01-01T00:00:00Z\"},\"n\":5,\"a\":[1,{\"level\":\"error\"}],\"time\":\"2024-01-02T15:04:05Z\"}",
	  0, NULL, FB, true, T0, LOG_LEVEL_DEBUG },
	{ "{\"level\":\"info\",\"msg\":\"unterminated", 0, NULL, FB, false, FB,
	  LOG_LEVEL_INFO },
	{ "{\"foo\":1}", 0, NULL, FB, false, FB, LOG_LEVEL_UNKNOWN },
	{ "{ \"level\" : \"warning\" , \"time\" : \"2024-01-02T15:04:05Z\" }",
	  0, NULL, FB, true, T0, LOG_LEVEL_WARNING },
	/* logrus' terminal format (dockerd with stderr on a tty) */
	{ "INFO[2024-01-02T15:04:05.123456789Z] Starting up", 0, NULL, FB, true,
	  T0 + 123456, LOG_LEVEL_INFO },
	{ "WARN[0000] relative seconds only", 0, NULL, FB, false, FB,
	  LOG_LEVEL_WARNING },
	{ "ERRO[2024-01-02T15:04:05Z] failed", 0, NULL, FB, true, T0,
	  LOG_LEVEL_ERROR },
	{ "DEBU[2024-01-02T15:04:05Z] x", 0, NULL, FB, true, T0,
	  LOG_LEVEL_DEBUG },
	{ "FATA[2024-01-02T15:04:05Z] x", 0, NULL, FB, true, T0,
	  LOG_LEVEL_FATAL },
	{ "ABCD[2024-01-02T15:04:05Z] not a level", 0, NULL, FB, false, FB,
	  LOG_LEVEL_UNKNOWN },
	/* an RFC 3339 prefix */
	{ "2024-01-02T15:04:05.123Z some message", 0, NULL, FB, true,
	  T0 + 123000, LOG_LEVEL_UNKNOWN },
	{ "2024-01-02 15:04:05.123456 INFO something", 0, NULL, FB, true,
	  T0 + 123456, LOG_LEVEL_INFO },
	{ "2024-01-02 15:04:05,250 WARNING python style", 0, NULL, FB, true,
	  T0 + 250000, LOG_LEVEL_WARNING },
	{ "2024-01-02T15:04:05+01:00 host dockerd[123]: time=\"2024-01-02T14:04:06Z\" level=error msg=x",
	  0, NULL, FB, true, S(1704204246), LOG_LEVEL_ERROR },
	{ "2024-01-02T15:04:05Z [warn] x", 0, NULL, FB, true, T0,
	  LOG_LEVEL_WARNING },
	{ "2024-01-02T15:04:05Z error: x", 0, NULL, FB, true, T0,
	  LOG_LEVEL_ERROR },
	{ "2024-01-02T15:04:05Z information is here", 0, NULL, FB, true, T0,
	  LOG_LEVEL_UNKNOWN },
	{ "2024-01-02T15:04:05Z host containerd[5]: ERROR x", 0, NULL, FB, true,
	  T0, LOG_LEVEL_ERROR },
	/* zone-less: local time */
	{ "2024-01-02 17:04:05 x", 0, "UTC-2", FB, true, T0,
	  LOG_LEVEL_UNKNOWN },
	/* syslog, the year from the fallback */
	{ "Nov 24 22:00:01 host dockerd[12]: time=\"2024-11-24T22:00:01.5Z\" level=info msg=x",
	  0, NULL, S(1732492800), true, S(1732485601) + 500000,
	  LOG_LEVEL_INFO },
	{ "Jun 15 11:59:00 host dockerd[12]: plain message", 0, NULL, FB, true,
	  S(1718452740), LOG_LEVEL_UNKNOWN },
	{ "Dec 31 23:59:59 host kernel: read on New Year's day", 0, NULL,
	  S(1735689610), true, S(1735689599), LOG_LEVEL_UNKNOWN },
	{ "Jan  1 00:00:05 host x: a clock a little ahead", 0, NULL,
	  S(1735689590), true, S(1735689605), LOG_LEVEL_UNKNOWN },
	/* more than half a year ahead: last year's; up to half: this year's */
	{ "Aug  1 00:00:00 h t: x", 0, NULL, S(1736899200), true, S(1722470400),
	  LOG_LEVEL_UNKNOWN },
	{ "Jul  1 00:00:00 h t: x", 0, NULL, S(1736899200), true, S(1751328000),
	  LOG_LEVEL_UNKNOWN },
	{ "Feb  5 10:00:00 host x: space padded day", 0, NULL, FB, true,
	  S(1707127200), LOG_LEVEL_UNKNOWN },
	{ "Feb 29 12:00:00 h t: only 2024 has it", 0, NULL, S(1685577600), true,
	  S(1709208000), LOG_LEVEL_UNKNOWN },
	{ "Jun 15 14:00:00 h t: local zone UTC+2", 0, "UTC-2", FB, true, FB,
	  LOG_LEVEL_UNKNOWN },
	/* a zone with DST (POSIX rule, no tzdata needed) */
	{ "Jul  1 12:00:00 h t: summer", 0, CET, S(1719878400), true,
	  S(1719828000), LOG_LEVEL_UNKNOWN },
	{ "Jan 10 12:00:00 h t: winter", 0, CET, S(1704931200), true,
	  S(1704884400), LOG_LEVEL_UNKNOWN },
	{ "2024-07-01 12:00:00 summer", 0, CET, FB, true, S(1719828000),
	  LOG_LEVEL_UNKNOWN },
	{ "<30>Jun 15 11:59:00 host dockerd[1]: x", 0, NULL, FB, true,
	  S(1718452740), LOG_LEVEL_INFO },
	{ "<27>1 2024-01-02T15:04:05Z host app - - - msg", 0, NULL, FB, true,
	  T0, LOG_LEVEL_ERROR },
	{ "Jun 15 11:59:00 host containerd[1]: {\"level\":\"warning\",\"time\":\"2024-06-15T11:58:59Z\"}",
	  0, NULL, FB, true, S(1718452739), LOG_LEVEL_WARNING },
	{ "Jun 15 11:59:00 host dockerd[1]: INFO[2024-06-15T11:58:58Z] x", 0,
	  NULL, FB, true, S(1718452738), LOG_LEVEL_INFO },
	/* garbage */
	{ "", 0, NULL, FB, false, FB, LOG_LEVEL_UNKNOWN },
	{ "hello world", 0, NULL, FB, false, FB, LOG_LEVEL_UNKNOWN },
	{ "   \t ", 0, NULL, FB, false, FB, LOG_LEVEL_UNKNOWN },
	{ "Nov 99 25:00:00 x", 0, NULL, FB, false, FB, LOG_LEVEL_UNKNOWN },
	{ "2024-13-01T00:00:00Z x", 0, NULL, FB, false, FB, LOG_LEVEL_UNKNOWN },
	{ "2024-01-02T25:04:05Z x", 0, NULL, FB, false, FB, LOG_LEVEL_UNKNOWN },
	{ "2024-01-02T15:04:05+99:00 x", 0, NULL, FB, false, FB,
	  LOG_LEVEL_UNKNOWN },
	{ "time=\"2024-01-02T15:04:05Z", 0, NULL, FB, true, T0,
	  LOG_LEVEL_UNKNOWN },
	{ "=== level= time= \"\" ===", 0, NULL, FB, false, FB,
	  LOG_LEVEL_UNKNOWN },
	{ "<999999>x", 0, NULL, FB, false, FB, LOG_LEVEL_UNKNOWN },
	/* NUL bytes and lengths */
	{ LIT("time=\"2024-01-02T15:04:05Z\" \0 level=error"), NULL, FB, true,
	  T0, LOG_LEVEL_ERROR },
	{ LIT("time=\"2024-01-02T15:04:05Z\"\0level=error"), NULL, FB, true, T0,
	  LOG_LEVEL_UNKNOWN },
	{ LIT("time=\"2024-01-02\0T15:04:05Z\" level=info"), NULL, FB, false,
	  FB, LOG_LEVEL_INFO },
	{ LIT("\0\0\0\0"), NULL, FB, false, FB, LOG_LEVEL_UNKNOWN },
	/* only len bytes are looked at */
	{ "level=info time=\"2024-01-02T15:04:05Z\"", 10, NULL, FB, false, FB,
	  LOG_LEVEL_INFO },
	{ "2024-01-02T15:04:05Z", 19, NULL, FB, true, T0, LOG_LEVEL_UNKNOWN },
	{ "2024-01-02T15:04:05Z", 18, NULL, FB, false, FB, LOG_LEVEL_UNKNOWN },
};

ParameterizedTestParameters(logline, parse)
{
	TABLE_PARAMS(line_cases);
}

ParameterizedTest(size_t *i, logline, parse)
{
	const struct line_case *c = &line_cases[*i];
	size_t len = c->len ? c->len : strlen(c->line);
	enum log_level l = (enum log_level) - 1;
	int64_t t = -1;
	bool found;

	set_tz(c->tz);
	found = logline_parse(c->line, len, c->fallback, &t, &l);
	cr_assert_eq(found, c->found, "case %zu '%s': found %d", *i, c->line,
		     found);
	cr_assert_eq(t, c->time, "case %zu '%s': time %lld, want %lld", *i,
		     c->line, (long long)t, (long long)c->time);
	cr_assert_eq(l, c->level, "case %zu '%s': level %s, want %s", *i,
		     c->line, log_level_name(l), log_level_name(c->level));
}

/* A megabyte of message before the fields: found, and quickly. */
Test(logline, huge_lines)
{
	size_t n = 1 << 20;
	char *buf = malloc(n + 200);
	enum log_level l;
	int64_t t;
	size_t len;

	cr_assert_not_null(buf);
	memset(buf, 'a', n);
	len = n + (size_t)sprintf(buf + n, " level=error");
	cr_assert_not(logline_parse(buf, len, FB, &t, &l));
	cr_assert_eq(l, LOG_LEVEL_ERROR);

	len = (size_t)sprintf(buf, "{\"level\":\"warning\",\"msg\":\"");
	memset(buf + len, 'x', n);
	len += n;
	len += (size_t)sprintf(buf + len,
			       "\",\"time\":\"2024-01-02T15:04:05Z\"}");
	cr_assert(logline_parse(buf, len, FB, &t, &l));
	cr_assert_eq(t, T0);
	cr_assert_eq(l, LOG_LEVEL_WARNING);

	/* a megabyte of quotes and backslashes: no crash, nothing found */
	for (size_t k = 0; k < n; k++)
		buf[k] = "\"\\={["[k % 5];
	cr_assert_not(logline_parse(buf, n, FB, &t, &l));
	cr_assert_eq(t, FB);
	free(buf);
}

/* ---- kmsg_parse ------------------------------------------------------------ */

struct kmsg_case {
	const char *rec;
	int ret;
	int64_t usec;
	enum log_level level;
	const char *msg;
	uint64_t seq;
	bool user; /* facility other than kern: written from user space */
};

static const struct kmsg_case kmsg_cases[] = {
	{ "6,1234,5678901,-;hello world", 0, 5678901, LOG_LEVEL_INFO,
	  "hello world", 1234 },
	{ "3,1,100,c;err msg\n SUBSYSTEM=net\n DEVICE=n2\n", 0, 100,
	  LOG_LEVEL_ERROR, "err msg", 1 },
	{ "12,5,7,-,caller=T1;user msg", 0, 7, LOG_LEVEL_WARNING, "user msg", 5,
	  true },
	{ "0,0,0,-;", 0, 0, LOG_LEVEL_FATAL, "", 0 },
	{ "7,2,3;no flags", 0, 3, LOG_LEVEL_DEBUG, "no flags", 2 },
	{ "14,9,1000,-;a;b;c", 0, 1000, LOG_LEVEL_INFO, "a;b;c", 9, true },
	/* 'echo "Killed process 1 (dockerd)" > /dev/kmsg': LOG_USER, notice */
	{ "13,10,2000,-;Killed process 1 (dockerd)", 0, 2000, LOG_LEVEL_INFO,
	  "Killed process 1 (dockerd)", 10, true },
	/* a kernel line of the same text */
	{ "3,11,2001,-;Killed process 1 (dockerd)", 0, 2001, LOG_LEVEL_ERROR,
	  "Killed process 1 (dockerd)", 11 },
	{ "4,18446744073709551615,1,-;max seq", 0, 1, LOG_LEVEL_WARNING,
	  "max seq", UINT64_MAX },
	{ "", -EINVAL, 0, 0, NULL, 0 },
	{ "x,1,2,-;m", -EINVAL, 0, 0, NULL, 0 },
	{ "6,1,-;m", -EINVAL, 0, 0, NULL, 0 },
	{ "6,1,2,-", -EINVAL, 0, 0, NULL, 0 },
	{ "6;1,2,-;m", -EINVAL, 0, 0, NULL, 0 },
	{ "6,1,2,-\n;m", -EINVAL, 0, 0, NULL, 0 },
	{ "6,1,18446744073709551616,-;m", -EINVAL, 0, 0, NULL, 0 },
	{ "6,,2,-;m", -EINVAL, 0, 0, NULL, 0 },
	{ "6,1,2x,-;m", -EINVAL, 0, 0, NULL, 0 },
	{ " 6,1,2,-;continuation", -EINVAL, 0, 0, NULL, 0 },
	{ "99999,1,2,-;prio too big", -EINVAL, 0, 0, NULL, 0 },
};

ParameterizedTestParameters(kmsg, parse)
{
	TABLE_PARAMS(kmsg_cases);
}

ParameterizedTest(size_t *i, kmsg, parse)
{
	const struct kmsg_case *c = &kmsg_cases[*i];
	const char *msg = NULL;
	enum log_level l = LOG_LEVEL_UNKNOWN;
	size_t mlen = 0;
	uint64_t seq = 0;
	bool user = true;
	int64_t t = 0;
	int r;

	r = kmsg_parse(c->rec, strlen(c->rec), S(1000), &t, &l, &msg, &mlen,
		       &seq, &user);
	cr_assert_eq(r, c->ret, "case %zu '%s': %d", *i, c->rec, r);
	if (r)
		return;
	cr_assert_eq(t, S(1000) + c->usec);
	cr_assert_eq(l, c->level, "case %zu: %s", *i, log_level_name(l));
	cr_assert_eq(mlen, strlen(c->msg));
	cr_assert_eq(memcmp(msg, c->msg, mlen), 0);
	cr_assert_eq(seq, c->seq);
	cr_assert_eq(user, c->user, "case %zu: written from user space: %d", *i,
		     user);
}

/* ---- --log-source specs ------------------------------------------------- */

#define HELP "(auto, none, kmsg, journal[:UNIT[=NAME]], file:PATH[=NAME], fd)"

struct spec_case {
	const char *spec, *spec2;
	const char *error; /* the start of the message */
};

static const struct spec_case bad_specs[] = {
	{ "x", NULL, "invalid log source 'x' " HELP },
	{ "", NULL, "invalid log source '' " HELP },
	{ "FILE:/x", NULL, "invalid log source 'FILE:/x' " HELP },
	{ "kmsg:x", NULL, "invalid log source 'kmsg:x' " HELP },
	{ "file:", NULL, "invalid log source 'file:': file:PATH needs" },
	{ "file:relative.log", NULL,
	  "invalid log source 'file:relative.log': file:PATH needs" },
	{ "file:/var/log/", NULL, "invalid log source 'file:/var/log/'" },
	{ "file:/x.log=bad name", NULL,
	  "invalid log source 'file:/x.log=bad name': the name after '='" },
	{ "file:/x.log=", NULL, "invalid log source 'file:/x.log=': the name" },
	{ "journal:", NULL, "invalid log source 'journal:': not a unit name" },
	{ "journal:bad unit", NULL,
	  "invalid log source 'journal:bad unit': not a unit name" },
	{ "journal:docker=0123456789012345678901234567890123", NULL,
	  "invalid log source 'journal:docker=0123" },
	{ "none", "kmsg",
	  "invalid log source 'none': it turns every source off" },
	{ "kmsg", "nope", "invalid log source 'nope' " HELP },
};

ParameterizedTestParameters(spec, invalid)
{
	TABLE_PARAMS(bad_specs);
}

ParameterizedTest(size_t *i, spec, invalid)
{
	const struct spec_case *c = &bad_specs[*i];
	char *specs[3] = { (char *)c->spec, (char *)c->spec2, NULL };
	struct logsrc_options o = { .specs = specs };
	struct logsrc_set set = { 0 };
	struct pathctx pc;
	struct fixture fx;
	char err[256] = "";

	fixture_init(&fx);
	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(logsrc_discover(&pc, &o, &set, err, sizeof(err)), -EINVAL);
	cr_assert(startswith(err, c->error), "'%s': got '%s'", c->spec, err);
	cr_assert_eq(set.n, 0);
	logsrc_set_release(&set);
	pathctx_release(&pc);
	fixture_release(&fx);
}

/* ---- helpers for discovery and reading ------------------------------------ */

struct env {
	struct fixture fx;
	struct pathctx pc;
	struct logsrc_set set;
	struct logring *ring;
	char err[256];
};

static void env_init(struct env *e)
{
	struct logring_config cfg = { .max_bytes = 4u << 20,
				      .max_lines = 100000 };

	memset(e, 0, sizeof(*e));
	set_tz(NULL);
	fixture_init(&e->fx);
	cr_assert_eq(pathctx_init(&e->pc, e->fx.root), 0);
	e->ring = logring_new(&cfg);
	cr_assert_not_null(e->ring);
}

static void env_release(struct env *e)
{
	logsrc_set_release(&e->set);
	logring_free(e->ring);
	pathctx_release(&e->pc);
	fixture_release(&e->fx);
}

/* Discover with specs (NULL-terminated list after o). */
static int env_discover(struct env *e, struct logsrc_options *o,
			const char *spec)
{
	char *specs[2] = { (char *)spec, NULL };

	if (spec)
		o->specs = specs;
	int r = logsrc_discover(&e->pc, o, &e->set, e->err, sizeof(e->err));
	o->specs = NULL;
	return r;
}

static const struct logsrc *find_src(const struct env *e, const char *name,
				     const char *where)
{
	for (size_t i = 0; i < e->set.n; i++)
		if ((!name || strcmp(e->set.v[i].name, name) == 0) &&
		    (!where || strstr(e->set.v[i].where, where)))
			return &e->set.v[i];
	return NULL;
}

struct got {
	char src[LOGRING_SOURCE_NAME_MAX];
	int64_t t;
	enum log_level l;
	bool truncated;
	size_t len;
	char line[160];
};

/* The ring's entries in order; count. */
static size_t dump(const struct logring *ring, struct got *g, size_t max)
{
	struct logring_iter it;
	struct log_entry en;
	size_t n = 0;

	logring_iter_init(&it, ring, INT64_MIN);
	while (logring_iter_next(&it, &en)) {
		struct logring_source_stats st;

		if (n < max) {
			cr_assert_eq(logring_source_stats(ring, en.source, &st),
				     0);
			strscpy(g[n].src, st.name, sizeof(g[n].src));
			g[n].t = en.time_us;
			g[n].l = en.level;
			g[n].truncated = en.truncated;
			g[n].len = en.len;
			snprintf(g[n].line, sizeof(g[n].line), "%.*s",
				 (int)(en.len < 159 ? en.len : 159), en.line);
		}
		n++;
	}
	return n;
}

/* A logrus text line at time t (microseconds). */
static int logrus_line(char *buf, size_t size, int64_t t, const char *level,
		       const char *msg)
{
	time_t sec = (time_t)(t / 1000000);
	struct tm tm;

	gmtime_r(&sec, &tm);
	return snprintf(
		buf, size,
		"time=\"%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ\" level=%s msg=\"%s\"\n",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		tm.tm_min, tm.tm_sec, (long long)(t % 1000000), level, msg);
}

static void append(struct env *e, const char *path, const char *data)
{
	char full[512];
	FILE *fp;

	snprintf(full, sizeof(full), "%s%s", e->fx.root, path);
	fp = fopen(full, "a");
	cr_assert_not_null(fp, "%s: %s", full, strerror(errno));
	cr_assert_eq(fputs(data, fp) >= 0, true);
	cr_assert_eq(fclose(fp), 0);
}

/* ---- spec and discovery on fixture trees ------------------------------- */

Test(spec, none_is_empty)
{
	struct logsrc_options o = { 0 };
	struct env e;

	env_init(&e);
	cr_assert_eq(env_discover(&e, &o, "none"), 0);
	cr_assert_eq(e.set.n, 0);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 0);
	env_release(&e);
}

Test(spec, file_names)
{
	static const struct {
		const char *spec, *name, *where;
	} c[] = {
		{ "file:/var/log/app.log", "dockerd", "/var/log/app.log" },
		{ "file:/var/log/app.log=myapp", "myapp", "/var/log/app.log" },
		{ "file:/var/log/containerd-x.log", "containerd",
		  "/var/log/containerd-x.log" },
		{ "file:/var/log/a=b/c.log", "dockerd", "/var/log/a=b/c.log" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		struct logsrc_options o = { 0 };
		struct env e;

		env_init(&e);
		fixture_write(&e.fx, c[i].where, "x\n", -1);
		cr_assert_eq(env_discover(&e, &o, c[i].spec), 0, "%s: %s",
			     c[i].spec, e.err);
		cr_assert_eq(e.set.n, 1);
		cr_assert_str_eq(e.set.v[0].name, c[i].name);
		cr_assert_str_eq(e.set.v[0].where, c[i].where);
		cr_assert_eq(e.set.v[0].kind, LOGSRC_FILE);
		cr_assert_eq(e.set.v[0].err, 0, "%s", e.set.v[0].error);
		cr_assert_str_eq(e.set.v[0].why, "--log-source");
		env_release(&e);
	}
}

Test(spec, journal_names)
{
	static const struct {
		const char *spec, *name, *where;
	} c[] = {
		{ "journal:docker", "dockerd", "journal:docker.service" },
		{ "journal:containerd.service", "containerd",
		  "journal:containerd.service" },
		{ "journal:foo.service=bar", "bar", "journal:foo.service" },
		{ "journal:snap.docker.dockerd.service", "snap.docker.dockerd",
		  "journal:snap.docker.dockerd.service" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		struct logsrc_options o = { 0 };
		struct env e;

		env_init(&e);
		cr_assert_eq(env_discover(&e, &o, c[i].spec), 0, "%s", e.err);
		cr_assert_eq(e.set.n, 1);
		cr_assert_eq(e.set.v[0].kind, LOGSRC_JOURNAL);
		cr_assert_str_eq(e.set.v[0].name, c[i].name);
		cr_assert_str_eq(e.set.v[0].where, c[i].where);
		env_release(&e);
	}
}

Test(spec, journal_plain_is_both_units)
{
	struct logsrc_options o = { 0 };
	struct env e;

	env_init(&e);
	cr_assert_eq(env_discover(&e, &o, "journal"), 0, "%s", e.err);
	cr_assert_eq(e.set.n, 2);
	cr_assert_not_null(find_src(&e, "dockerd", "journal:docker.service"));
	cr_assert_not_null(
		find_src(&e, "containerd", "journal:containerd.service"));
	env_release(&e);
}

Test(spec, file_missing_or_not_regular)
{
	struct logsrc_options o = { 0 };
	struct env e;

	env_init(&e);
	cr_assert_eq(env_discover(&e, &o, "file:/var/log/nope.log"), 0);
	cr_assert_eq(e.set.n, 1);
	cr_assert_eq(e.set.v[0].err, -ENOENT);
	cr_assert_str_eq(
		e.set.v[0].error,
		"cannot open /var/log/nope.log: No such file or directory");
	/* a source in error is not registered with the ring */
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	cr_assert_eq(e.set.v[0].ring_source, -1);
	cr_assert_eq(logring_source_count(e.ring), 0);
	logsrc_set_release(&e.set);

	fixture_mkdir(&e.fx, "/var/log/dir.log");
	cr_assert_eq(env_discover(&e, &o, "file:/var/log/dir.log"), 0);
	cr_assert_eq(e.set.n, 1);
	cr_assert_str_eq(e.set.v[0].error,
			 "/var/log/dir.log is not a regular file");
	env_release(&e);
}

Test(spec, fd_without_daemon)
{
	struct logsrc_options o = { 0 };
	struct env e;

	env_init(&e);
	cr_assert_eq(env_discover(&e, &o, "fd"), 0);
	cr_assert_eq(e.set.n, 1);
	cr_assert_eq(e.set.v[0].err, -ESRCH);
	cr_assert(strstr(e.set.v[0].error, "no dockerd process"));
	env_release(&e);
}

Test(discover, fd_file)
{
	struct logsrc_options o = { .dockerd_pid = 100 };
	struct env e;

	env_init(&e);
	fixture_write(&e.fx, "/var/log/dockerd-out.log", "x\n", -1);
	fixture_symlink(&e.fx, "/proc/100/fd/1", "/var/log/dockerd-out.log");
	fixture_symlink(&e.fx, "/proc/100/fd/2", "/var/log/dockerd-out.log");
	cr_assert_eq(env_discover(&e, &o, "fd"), 0, "%s", e.err);
	cr_assert_eq(e.set.n, 1);
	cr_assert_str_eq(e.set.v[0].name, "dockerd");
	cr_assert_str_eq(e.set.v[0].where, "/var/log/dockerd-out.log");
	cr_assert_str_eq(e.set.v[0].why, "dockerd fd 1 and 2");
	cr_assert_eq(e.set.v[0].err, 0);
	env_release(&e);
}

Test(discover, fd_split_files)
{
	struct logsrc_options o = { .dockerd_pid = 100 };
	struct env e;

	env_init(&e);
	fixture_write(&e.fx, "/var/log/out.log", "x\n", -1);
	fixture_write(&e.fx, "/var/log/err.log", "x\n", -1);
	fixture_symlink(&e.fx, "/proc/100/fd/1", "/var/log/out.log");
	fixture_symlink(&e.fx, "/proc/100/fd/2", "/var/log/err.log");
	cr_assert_eq(env_discover(&e, &o, "fd"), 0, "%s", e.err);
	cr_assert_eq(e.set.n, 2);
	cr_assert_str_eq(find_src(&e, "dockerd", "out.log")->why,
			 "dockerd fd 1");
	cr_assert_str_eq(find_src(&e, "dockerd", "err.log")->why,
			 "dockerd fd 2");
	env_release(&e);
}

Test(discover, fd_socket_devnull_tty)
{
	static const struct {
		const char *t1, *t2, *error;
	} c[] = {
		{ "socket:[1234]", "socket:[1234]",
		  "dockerd's stdout and stderr go to socket:[1234]: journald or a supervisor holds it" },
		{ "pipe:[77]", "/var/log/e.log",
		  "dockerd's stdout goes to pipe:[77]: journald or a supervisor" },
		{ "/dev/null", "/dev/null",
		  "dockerd's stdout and stderr go to /dev/null: its log is discarded" },
		{ "/dev/pts/3", "/var/log/e.log",
		  "dockerd's stdout goes to the terminal /dev/pts/3: not readable" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		struct logsrc_options o = { .dockerd_pid = 100 };
		struct env e;
		const struct logsrc *s;

		env_init(&e);
		fixture_write(&e.fx, "/var/log/e.log", "x\n", -1);
		fixture_symlink(&e.fx, "/proc/100/fd/1", c[i].t1);
		fixture_symlink(&e.fx, "/proc/100/fd/2", c[i].t2);
		cr_assert_eq(env_discover(&e, &o, "fd"), 0, "%s", e.err);
		s = find_src(&e, "dockerd", "/proc/100/fd/1");
		cr_assert_not_null(s, "case %zu", i);
		cr_assert(s->err < 0);
		cr_assert(startswith(s->error, c[i].error), "case %zu: %s", i,
			  s->error);
		cr_assert_eq(e.set.n, strcmp(c[i].t1, c[i].t2) ? 2u : 1u);
		env_release(&e);
	}
}

/* fd 1 and 2 unreadable alike: said once, for both. */
Test(discover, fd_unreadable)
{
	struct logsrc_options o = { .dockerd_pid = 100 };
	struct env e;

	env_init(&e);
	/* not symlinks: readlink() fails with EINVAL */
	fixture_write(&e.fx, "/proc/100/fd/1", "", 0);
	fixture_write(&e.fx, "/proc/100/fd/2", "", 0);
	cr_assert_eq(env_discover(&e, &o, "fd"), 0, "%s", e.err);
	cr_assert_eq(e.set.n, 1);
	cr_assert_eq(e.set.v[0].err, -EINVAL);
	cr_assert_str_eq(e.set.v[0].error,
			 "cannot read /proc/100/fd/1 (dockerd's stdout and "
			 "stderr): Invalid argument");
	env_release(&e);
}

/* containerd started by dockerd shares its fds: one source. */
Test(discover, containerd_shares_dockerd_fds)
{
	struct logsrc_options o = { .dockerd_pid = 100, .containerd_pid = 101 };
	struct env e;

	env_init(&e);
	fixture_write(&e.fx, "/tmp/d.log", "x\n", -1);
	fixture_mkdir(&e.fx, "/dev");
	for (int pid = 100; pid <= 101; pid++)
		for (int fd = 1; fd <= 2; fd++) {
			char p[64];

			snprintf(p, sizeof(p), "/proc/%d/fd/%d", pid, fd);
			fixture_symlink(&e.fx, p, "/tmp/d.log");
		}
	cr_assert_eq(env_discover(&e, &o, NULL), 0, "%s", e.err);
	/* the file, and the kernel log (missing in the fixture) */
	cr_assert_eq(e.set.n, 2);
	cr_assert_str_eq(e.set.v[0].name, "dockerd");
	cr_assert_str_eq(e.set.v[0].why,
			 "dockerd fd 1 and 2; containerd fd 1 and 2");
	cr_assert_str_eq(e.set.v[1].name, "kernel");
	cr_assert_eq(e.set.v[1].err, -ENOENT);
	cr_assert_str_eq(e.set.v[1].error,
			 "cannot open /dev/kmsg: No such file or directory");
	env_release(&e);
}

/* A socket shared with dockerd is said once, for dockerd. */
Test(discover, containerd_shares_socket)
{
	struct logsrc_options o = { .dockerd_pid = 100, .containerd_pid = 101 };
	struct env e;

	env_init(&e);
	for (int pid = 100; pid <= 101; pid++)
		for (int fd = 1; fd <= 2; fd++) {
			char p[64];

			snprintf(p, sizeof(p), "/proc/%d/fd/%d", pid, fd);
			fixture_symlink(&e.fx, p, "socket:[55]");
		}
	cr_assert_eq(env_discover(&e, &o, NULL), 0, "%s", e.err);
	cr_assert_eq(e.set.n, 2);
	cr_assert_str_eq(e.set.v[0].name, "dockerd");
	cr_assert(strstr(e.set.v[0].error, "socket:[55]"));
	cr_assert_null(find_src(&e, "containerd", NULL));
	env_release(&e);
}

Test(discover, usual_files)
{
	struct logsrc_options o = { .dockerd_pid = 100 };
	struct env e;

	env_init(&e);
	fixture_write(&e.fx, "/var/log/docker.log", "x\n", -1);
	fixture_write(&e.fx, "/var/log/upstart/docker.log", "x\n", -1);
	fixture_write(&e.fx, "/var/log/containerd.log", "x\n", -1);
	fixture_write(&e.fx, "/dev/kmsg", "6,1,2,-;x\n", -1);
	/* dockerd's stderr is the usual file: one source */
	fixture_symlink(&e.fx, "/proc/100/fd/2", "/var/log/docker.log");
	cr_assert_eq(env_discover(&e, &o, NULL), 0, "%s", e.err);
	cr_assert_eq(e.set.n, 4);
	cr_assert_str_eq(find_src(&e, "dockerd", "/var/log/docker.log")->why,
			 "dockerd fd 2; usual file");
	cr_assert_str_eq(find_src(&e, "dockerd", "upstart")->why, "usual file");
	cr_assert_not_null(
		find_src(&e, "containerd", "/var/log/containerd.log"));
	cr_assert_eq(find_src(&e, "kernel", NULL)->kind, LOGSRC_KMSG);
	cr_assert_eq(find_src(&e, "kernel", NULL)->err, 0);
	env_release(&e);
}

Test(discover, auto_plus_explicit_dedupes)
{
	char *specs[] = { "auto", "kmsg", "file:/var/log/docker.log", NULL };
	struct logsrc_options o = { .specs = specs };
	struct env e;

	env_init(&e);
	fixture_write(&e.fx, "/var/log/docker.log", "x\n", -1);
	fixture_write(&e.fx, "/dev/kmsg", "6,1,2,-;x\n", -1);
	cr_assert_eq(logsrc_discover(&e.pc, &o, &e.set, e.err, sizeof(e.err)),
		     0, "%s", e.err);
	cr_assert_eq(e.set.n, 2);
	cr_assert_str_eq(find_src(&e, "dockerd", NULL)->why,
			 "usual file; --log-source");
	env_release(&e);
}

/* ---- reading files ------------------------------------------------------- */

#define NOW_MINUS(s) (now - S(s))

Test(load, file_window_and_cap)
{
	struct logsrc_options o = { .max_lines = 3 };
	int64_t now = now_us();
	struct got g[16];
	struct env e;
	char buf[4096] = "", l[256];

	env_init(&e);
	o.since_us = NOW_MINUS(600);
	logrus_line(l, sizeof(l), NOW_MINUS(1200), "info", "too old");
	strcat(buf, l);
	for (int i = 5; i >= 1; i--) {
		char m[32];

		snprintf(m, sizeof(m), "recent %d", i);
		logrus_line(l, sizeof(l), NOW_MINUS(i * 60),
			    i == 1 ? "error" : "info", m);
		strcat(buf, l);
	}
	fixture_write(&e.fx, "/var/log/app.log", buf, -1);
	cr_assert_eq(env_discover(&e, &o, "file:/var/log/app.log"), 0);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	cr_assert_eq(e.set.v[0].err, 0, "%s", e.set.v[0].error);
	/* the three newest of the five in the window */
	cr_assert_eq(dump(e.ring, g, 16), 3);
	cr_assert(strstr(g[0].line, "recent 3"));
	cr_assert(strstr(g[2].line, "recent 1"));
	cr_assert_eq(g[2].l, LOG_LEVEL_ERROR);
	cr_assert_eq(g[1].l, LOG_LEVEL_INFO);
	cr_assert_str_eq(g[0].src, "dockerd");
	cr_assert(g[2].t > NOW_MINUS(61) && g[2].t < NOW_MINUS(59));
	cr_assert_eq(e.set.v[0].lines_read, 3);
	logsrc_set_release(&e.set);

	/* no cap: all five, not the old one */
	o.max_lines = 0;
	logring_free(e.ring);
	e.ring = logring_new(&(struct logring_config){ 1 << 20, 1000 });
	cr_assert_eq(env_discover(&e, &o, "file:/var/log/app.log"), 0);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	cr_assert_eq(dump(e.ring, g, 16), 5);
	cr_assert(strstr(g[0].line, "recent 5"));
	env_release(&e);
}

Test(load, untimed_lines_inherit)
{
	struct logsrc_options o = { .max_lines = 100 };
	int64_t now = now_us();
	struct got g[16];
	struct env e;
	char buf[4096] = "", l[256];

	env_init(&e);
	o.since_us = NOW_MINUS(600);
	strcat(buf, "untimed before any time\n");
	logrus_line(l, sizeof(l), NOW_MINUS(100), "error", "panic follows");
	strcat(buf, l);
	strcat(buf, "goroutine 1 [running]:\r\n");
	strcat(buf, "\tmain.main()\n");
	logrus_line(l, sizeof(l), NOW_MINUS(50), "info", "later");
	strcat(buf, l);
	fixture_write(&e.fx, "/var/log/app.log", buf, -1);
	cr_assert_eq(env_discover(&e, &o, "file:/var/log/app.log"), 0);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	cr_assert_eq(dump(e.ring, g, 16), 5);
	cr_assert_str_eq(g[0].line, "untimed before any time");
	cr_assert_eq(g[0].t, g[1].t);
	cr_assert_str_eq(g[2].line, "goroutine 1 [running]:");
	cr_assert_eq(g[2].t, g[1].t);
	cr_assert_eq(g[3].t, g[1].t);
	cr_assert_eq(g[2].l, LOG_LEVEL_UNKNOWN);
	cr_assert(g[4].t > g[3].t);
	env_release(&e);
}

Test(load, untimed_file_uses_mtime)
{
	struct logsrc_options o = { .max_lines = 100 };
	int64_t now = now_us();
	struct timespec ts[2];
	struct got g[8];
	struct env e;
	char full[512];

	env_init(&e);
	o.since_us = NOW_MINUS(600);
	fixture_write(&e.fx, "/var/log/plain.log", "one\ntwo\n", -1);
	cr_assert_eq(env_discover(&e, &o, "file:/var/log/plain.log"), 0);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	cr_assert_eq(dump(e.ring, g, 8), 2);
	cr_assert(g[0].t >= NOW_MINUS(5));
	logsrc_set_release(&e.set);
	logring_free(e.ring);

	/* modified an hour ago: outside a ten-minute window */
	e.ring = logring_new(&(struct logring_config){ 1 << 20, 1000 });
	snprintf(full, sizeof(full), "%s/var/log/plain.log", e.fx.root);
	ts[0].tv_sec = ts[1].tv_sec = (time_t)(NOW_MINUS(3600) / 1000000);
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	cr_assert_eq(utimensat(AT_FDCWD, full, ts, 0), 0);
	cr_assert_eq(env_discover(&e, &o, "file:/var/log/plain.log"), 0);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	cr_assert_eq(dump(e.ring, g, 8), 0);
	o.since_us = 0;
	logsrc_set_release(&e.set);
	cr_assert_eq(env_discover(&e, &o, "file:/var/log/plain.log"), 0);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	cr_assert_eq(dump(e.ring, g, 8), 2);
	cr_assert_eq(g[0].t, S(ts[0].tv_sec));
	env_release(&e);
}

/* Only the last 8 MiB of a big file are read; the cut line is dropped. */
Test(load, file_tail_only)
{
	struct logsrc_options o = { .max_lines = 0, .since_us = 0 };
	size_t line = 100, total = (9u << 20) / line;
	struct got g[1];
	struct env e;
	char full[512], *buf;
	FILE *fp;
	size_t n;

	env_init(&e);
	fixture_write(&e.fx, "/var/log/big.log", "", 0);
	snprintf(full, sizeof(full), "%s/var/log/big.log", e.fx.root);
	buf = malloc(line * total);
	cr_assert_not_null(buf);
	for (size_t i = 0; i < total; i++) {
		memset(buf + i * line, 'a', line - 1);
		memcpy(buf + i * line, i == 0 ? "FIRST" : "other", 5);
		buf[i * line + line - 1] = '\n';
	}
	fp = fopen(full, "w");
	cr_assert_eq(fwrite(buf, 1, line * total, fp), line * total);
	fclose(fp);
	free(buf);
	logring_free(e.ring);
	e.ring = logring_new(&(struct logring_config){ 16u << 20, 200000 });
	cr_assert_eq(env_discover(&e, &o, "file:/var/log/big.log"), 0);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	n = dump(e.ring, g, 1);
	/* 8 MiB of 100-byte lines, minus the one cut at the start */
	cr_assert(n == (8u << 20) / line || n == (8u << 20) / line - 1, "%zu",
		  n);
	cr_assert(startswith(g[0].line, "other"));
	env_release(&e);
}

/* ---- following files ---------------------------------------------------- */

Test(follow, append_partial_crlf)
{
	struct logsrc_options o = { .max_lines = 100 };
	int64_t now = now_us();
	struct got g[16];
	struct env e;
	char l[256];

	env_init(&e);
	o.since_us = NOW_MINUS(600);
	logrus_line(l, sizeof(l), NOW_MINUS(10), "info", "first");
	fixture_write(&e.fx, "/var/log/app.log", l, -1);
	append(&e, "/var/log/app.log",
	       "time=\"2024-01-02T15:04:05Z\" level=warn");
	cr_assert_eq(env_discover(&e, &o, "file:/var/log/app.log"), 0);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	/* the incomplete line waits */
	cr_assert_eq(dump(e.ring, g, 16), 1);
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 0);
	append(&e, "/var/log/app.log", "ing msg=\"completed\"\r\nplain new\n");
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 2);
	cr_assert_eq(dump(e.ring, g, 16), 3);
	/* the completed line carries its own (2024) time */
	cr_assert_str_eq(
		g[1].line,
		"time=\"2024-01-02T15:04:05Z\" level=warning msg=\"completed\"");
	cr_assert_eq(g[1].t, T0);
	cr_assert_eq(g[1].l, LOG_LEVEL_WARNING);
	cr_assert_str_eq(g[2].line, "plain new");
	/* an untimed new line is stamped now */
	cr_assert(g[2].t >= now);
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 0);
	cr_assert_eq(e.set.v[0].lines_read, 3);
	env_release(&e);
}

Test(follow, truncate_and_rotate)
{
	struct logsrc_options o = { .max_lines = 100 };
	struct got g[16];
	struct env e;
	char a[512], b[512];

	env_init(&e);
	fixture_write(&e.fx, "/var/log/app.log", "one\n", -1);
	cr_assert_eq(env_discover(&e, &o, "file:/var/log/app.log"), 0);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	cr_assert_eq(dump(e.ring, g, 16), 1);

	/* copytruncate: the file shrinks, read from its start */
	fixture_write(&e.fx, "/var/log/app.log", "2\n", -1);
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 1);
	cr_assert_eq(dump(e.ring, g, 16), 2);
	cr_assert_str_eq(g[1].line, "2");

	/* rename + new file: the rest of the old one, then the new one */
	append(&e, "/var/log/app.log", "three\nfour-no-newline");
	snprintf(a, sizeof(a), "%s/var/log/app.log", e.fx.root);
	snprintf(b, sizeof(b), "%s/var/log/app.log.1", e.fx.root);
	cr_assert_eq(rename(a, b), 0);
	/* nothing under the name yet: keep reading the old file */
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 1);
	fixture_write(&e.fx, "/var/log/app.log", "five\nsix\n", -1);
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 3);
	cr_assert_eq(dump(e.ring, g, 16), 6);
	cr_assert_str_eq(g[2].line, "three");
	cr_assert_str_eq(g[3].line, "four-no-newline");
	cr_assert_str_eq(g[5].line, "six");
	/* the new file is followed */
	append(&e, "/var/log/app.log", "seven\n");
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 1);
	env_release(&e);
}

Test(follow, overlong_line_is_cut)
{
	struct logsrc_options o = { .max_lines = 100 };
	size_t n = 3 * LOGRING_LINE_MAX;
	struct got g[4];
	struct env e;
	char *big = malloc(n + 2);

	env_init(&e);
	fixture_write(&e.fx, "/var/log/app.log", "", 0);
	cr_assert_eq(env_discover(&e, &o, "file:/var/log/app.log"), 0);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	memset(big, 'z', n);
	big[n] = '\0';
	/* written in pieces: the partial line is kept across reads */
	append(&e, "/var/log/app.log", big);
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 0);
	append(&e, "/var/log/app.log", big);
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 0);
	append(&e, "/var/log/app.log", "\nshort\n");
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 2);
	cr_assert_eq(dump(e.ring, g, 4), 2);
	cr_assert(g[0].truncated);
	cr_assert_eq(g[0].len, LOGRING_LINE_MAX);
	cr_assert_str_eq(g[1].line, "short");
	free(big);
	env_release(&e);
}

/* ---- the kernel log --------------------------------------------------------- */

Test(kmsg, fixture_file)
{
	struct logsrc_options o = { .max_lines = 100 };
	struct got g[8];
	struct env e;
	int64_t boot = now_us() - (int64_t)(now_monotonic() * 1e6);

	env_init(&e);
	fixture_write(&e.fx, "/dev/kmsg",
		      "6,1,1000000,-;eth0: link up\n"
		      " SUBSYSTEM=net\n"
		      " DEVICE=n2\n"
		      "3,2,2000000,-;overlayfs: failed\n"
		      "garbage line\n"
		      "4,3,3000000,c;cgroup: warn\n",
		      -1);
	cr_assert_eq(env_discover(&e, &o, "kmsg"), 0, "%s", e.err);
	cr_assert_eq(e.set.n, 1);
	cr_assert_eq(e.set.v[0].kind, LOGSRC_KMSG);
	cr_assert_eq(e.set.v[0].err, 0, "%s", e.set.v[0].error);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	cr_assert_eq(dump(e.ring, g, 8), 3);
	cr_assert_str_eq(g[0].src, "kernel");
	cr_assert_str_eq(g[0].line, "eth0: link up");
	cr_assert_eq(g[0].l, LOG_LEVEL_INFO);
	cr_assert_str_eq(g[1].line, "overlayfs: failed");
	cr_assert_eq(g[1].l, LOG_LEVEL_ERROR);
	cr_assert_eq(g[2].l, LOG_LEVEL_WARNING);
	cr_assert(llabs(g[0].t - (boot + S(1))) < S(1), "%lld vs %lld",
		  (long long)g[0].t, (long long)(boot + S(1)));
	cr_assert_eq(g[1].t - g[0].t, S(1));
	/* a regular file is not worth poll()ing */
	cr_assert_eq(logsrc_poll_fds(&e.set, (int[4]){ 0 }, 4), 0);
	/* appended records are followed */
	append(&e, "/dev/kmsg", "2,4,4000000,-;oom\n");
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 1);
	cr_assert_eq(dump(e.ring, g, 8), 4);
	cr_assert_eq(g[3].l, LOG_LEVEL_FATAL);
	env_release(&e);
}

/* The real /dev/kmsg: readable as root; otherwise a clear reason. */
Test(kmsg, real_device)
{
	struct logsrc_options o = { .max_lines = 50, .since_us = 0 };
	struct logring_config cfg = { 1 << 20, 10000 };
	struct logsrc_set set = { 0 };
	struct logring *ring = logring_new(&cfg);
	struct pathctx pc;
	char *specs[] = { "kmsg", NULL };
	char err[256];
	struct got g[64];
	int fds[4];
	size_t n;

	o.specs = specs;
	cr_assert_eq(pathctx_init(&pc, NULL), 0);
	cr_assert_eq(logsrc_discover(&pc, &o, &set, err, sizeof(err)), 0);
	cr_assert_eq(set.n, 1);
	if (set.v[0].err) {
		cr_assert(set.v[0].err == -EPERM || set.v[0].err == -EACCES ||
			  set.v[0].err == -ENOENT);
		if (set.v[0].err != -ENOENT)
			cr_assert(strstr(set.v[0].error,
					 "kernel.dmesg_restrict"),
				  "%s", set.v[0].error);
		cr_log_warn("kmsg not readable here: %s", set.v[0].error);
	} else {
		cr_assert_eq(logsrc_poll_fds(&set, fds, 4), 1);
		cr_assert_eq(logsrc_load(&set, ring, &o), 0);
		n = dump(ring, g, 64);
		cr_assert(n > 0 && n <= 50, "%zu", n);
		for (size_t i = 0; i < n && i < 64; i++) {
			/* what user space wrote (other tests) has its own */
			cr_assert(!strcmp(g[i].src, "kernel") ||
					  !strcmp(g[i].src, LOGSRC_KMSG_USER),
				  "%s", g[i].src);
			cr_assert(g[i].t > S(1000000000) &&
					  g[i].t <= now_us() + S(1),
				  "%lld", (long long)g[i].t);
			for (size_t k = i; k-- > 0;)
				if (!strcmp(g[k].src, g[i].src)) {
					cr_assert(g[i].t >= g[k].t);
					break;
				}
		}
		/* nothing new, or a few records: never blocks */
		cr_assert(logsrc_follow(&set, ring) >= 0);
	}
	logsrc_set_release(&set);
	logring_free(ring);
	pathctx_release(&pc);
}

/* ---- the journal --------------------------------------------------------- */

#define JOURNAL_REMOTE "/lib/systemd/systemd-journal-remote"
#define MACHINE "0123456789abcdef0123456789abcdef"

/* Journal export format, built up entry by entry. */
struct exbuf {
	char d[8192];
	size_t len;
};

/* Write the entries into a journal file under the fixture's
 * /var/log/journal/MACHINE/ with systemd-journal-remote. */
static bool make_journal(struct env *e, const char *file, const struct exbuf *b)
{
	char in[600], out[600], cmd[1400];

	if (access(JOURNAL_REMOTE, X_OK) < 0)
		return false;
	fixture_write(&e->fx, "/in.export", b->d, (long)b->len);
	snprintf(in, sizeof(in), "%s/in.export", e->fx.root);
	fixture_mkdir(&e->fx, "/var/log/journal/" MACHINE);
	snprintf(out, sizeof(out), "%s/var/log/journal/" MACHINE "/%s",
		 e->fx.root, file);
	snprintf(cmd, sizeof(cmd), "%s -o %s - < %s > /dev/null 2>&1",
		 JOURNAL_REMOTE, out, in);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	unlink(in);
	return true;
}

/* One entry; a MESSAGE with newlines in the binary form. Entries of one
 * boot are ordered by their monotonic time: it follows the real time. */
static void export_entry(struct exbuf *b, int64_t t, const char *unit, int prio,
			 const char *msg)
{
	size_t room = sizeof(b->d) - b->len, n = strlen(msg);

	b->len += (size_t)snprintf(
		b->d + b->len, room,
		"__REALTIME_TIMESTAMP=%lld\n__MONOTONIC_TIMESTAMP=%lld\n"
		"_BOOT_ID=" MACHINE "\n_SYSTEMD_UNIT=%s\nPRIORITY=%d\n",
		(long long)t, (long long)(t - S(1600000000)), unit, prio);
	cr_assert(b->len + n + 32 < sizeof(b->d));
	if (strchr(msg, '\n')) {
		memcpy(b->d + b->len, "MESSAGE\n", 8);
		b->len += 8;
		for (int i = 0; i < 8; i++)
			b->d[b->len++] = (char)((uint64_t)n >> (8 * i));
		memcpy(b->d + b->len, msg, n);
		b->len += n;
		b->d[b->len++] = '\n';
	} else {
		b->len += (size_t)snprintf(b->d + b->len, sizeof(b->d) - b->len,
					   "MESSAGE=%s\n", msg);
	}
	b->d[b->len++] = '\n';
}

#ifdef HAVE_SYSTEMD
Test(journal, auto_load_and_follow)
{
	struct logsrc_options o = { .max_lines = 3 };
	int64_t now = now_us();
	static struct exbuf ex;
	struct got g[16];
	struct env e;
	int fds[4];

	env_init(&e);
	o.since_us = NOW_MINUS(600);
	ex.len = 0;
	export_entry(&ex, NOW_MINUS(1200), "docker.service", 6, "too old");
	for (int i = 5; i >= 1; i--) {
		char m[160];

		snprintf(m, sizeof(m),
			 "time=\"2024-01-02T15:04:05Z\" level=%s msg=\"d%d\"",
			 i == 2 ? "error" : "info", i);
		export_entry(&ex, NOW_MINUS(i * 60), "docker.service", 6, m);
	}
	export_entry(&ex, NOW_MINUS(30), "containerd.service", 3,
		     "plain containerd line");
	export_entry(&ex, NOW_MINUS(20), "other.service", 6, "not ours");
	if (!make_journal(&e, "a.journal", &ex))
		cr_skip_test("no " JOURNAL_REMOTE);
	cr_assert_eq(env_discover(&e, &o, NULL), 0, "%s", e.err);
	cr_assert_not_null(find_src(&e, "dockerd", "journal:docker.service"));
	cr_assert_str_eq(find_src(&e, "dockerd", "journal:")->why,
			 "docker.service has entries in the journal");
	cr_assert_not_null(
		find_src(&e, "containerd", "journal:containerd.service"));
	cr_assert_eq(logsrc_poll_fds(&e.set, fds, 4), 2);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	/* dockerd: the newest three of five in the window; containerd 1 */
	cr_assert_eq(dump(e.ring, g, 16), 4);
	cr_assert(strstr(g[0].line, "msg=\"d3\""), "%s", g[0].line);
	/* the journal's time, not the message's */
	cr_assert(llabs(g[0].t - NOW_MINUS(180)) < 2);
	cr_assert_eq(g[0].l, LOG_LEVEL_INFO);
	cr_assert_eq(g[1].l, LOG_LEVEL_ERROR);
	cr_assert_str_eq(g[3].src, "containerd");
	/* no level in the message: PRIORITY=3 */
	cr_assert_eq(g[3].l, LOG_LEVEL_ERROR);

	/* a new journal file appears: followed */
	ex.len = 0;
	export_entry(&ex, now_us(), "docker.service", 4,
		     "new entry\nsecond line");
	make_journal(&e, "b.journal", &ex);
	cr_assert_eq(logsrc_follow(&e.set, e.ring), 2);
	cr_assert_eq(dump(e.ring, g, 16), 6);
	cr_assert_str_eq(g[4].line, "new entry");
	cr_assert_str_eq(g[5].line, "second line");
	cr_assert_eq(g[4].l, LOG_LEVEL_WARNING);
	env_release(&e);
}

Test(journal, window_without_cap_and_empty_units)
{
	struct logsrc_options o = { .max_lines = 0 };
	int64_t now = now_us();
	static struct exbuf ex;
	struct got g[16];
	struct env e;

	env_init(&e);
	o.since_us = NOW_MINUS(100);
	ex.len = 0;
	export_entry(&ex, NOW_MINUS(200), "docker.service", 6, "old");
	export_entry(&ex, NOW_MINUS(50), "docker.service", 6, "in window");
	if (!make_journal(&e, "a.journal", &ex))
		cr_skip_test("no " JOURNAL_REMOTE);
	cr_assert_eq(env_discover(&e, &o, NULL), 0, "%s", e.err);
	/* containerd.service has no entries: not chosen automatically */
	cr_assert_null(find_src(&e, "containerd", NULL));
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	cr_assert_eq(dump(e.ring, g, 16), 1);
	cr_assert_str_eq(g[0].line, "in window");
	logsrc_set_release(&e.set);
	/* asked for by name, an empty unit is a source all the same */
	cr_assert_eq(env_discover(&e, &o, "journal:containerd"), 0);
	cr_assert_eq(e.set.n, 1);
	cr_assert_eq(e.set.v[0].err, 0);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	cr_assert_eq(e.set.v[0].lines_read, 0);
	env_release(&e);
}

/* A journal socket on dockerd's fds is noted on the journal source. */
Test(journal, socket_noted_on_journal_source)
{
	struct logsrc_options o = { .dockerd_pid = 100, .max_lines = 10 };
	static struct exbuf ex;
	struct env e;

	env_init(&e);
	ex.len = 0;
	export_entry(&ex, now_us(), "docker.service", 6, "x");
	if (!make_journal(&e, "a.journal", &ex))
		cr_skip_test("no " JOURNAL_REMOTE);
	fixture_symlink(&e.fx, "/proc/100/fd/1", "socket:[99]");
	fixture_symlink(&e.fx, "/proc/100/fd/2", "socket:[99]");
	cr_assert_eq(env_discover(&e, &o, NULL), 0, "%s", e.err);
	/* journal + kmsg (in error: not in the fixture) */
	cr_assert_eq(e.set.n, 2);
	cr_assert_str_eq(e.set.v[0].why,
			 "docker.service has entries in the journal; "
			 "dockerd fd 1 and 2 is socket:[99]");
	env_release(&e);
}
#endif

/* ---- the set ------------------------------------------------------------- */

Test(set, weights_and_shared_names)
{
	struct logsrc_options o = { .max_lines = 10 };
	char *specs[] = {
		"file:/a.log",	     "file:/b.log", "file:/c.log=containerd",
		"file:/d.log=other", "kmsg",	    NULL
	};
	struct logring_source_stats st[5];
	struct env e;

	env_init(&e);
	fixture_write(&e.fx, "/a.log", "a\n", -1);
	fixture_write(&e.fx, "/b.log", "b\n", -1);
	fixture_write(&e.fx, "/c.log", "c\n", -1);
	fixture_write(&e.fx, "/d.log", "d\n", -1);
	fixture_write(&e.fx, "/dev/kmsg", "6,1,1,-;k\n14,2,2,-;u\n", -1);
	logring_free(e.ring);
	e.ring = logring_new(&(struct logring_config){ 9u << 20, 90000 });
	o.specs = specs;
	cr_assert_eq(logsrc_discover(&e.pc, &o, &e.set, e.err, sizeof(e.err)),
		     0);
	cr_assert_eq(e.set.n, 5);
	cr_assert_eq(logsrc_load(&e.set, e.ring, &o), 0);
	/* both dockerd files share one ring source */
	cr_assert_eq(e.set.v[0].ring_source, e.set.v[1].ring_source);
	/* kmsg brings a second source: what user space wrote there */
	cr_assert_eq(logring_source_count(e.ring), 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(logring_source_stats(e.ring, i, &st[i]), 0);
	/* dockerd 4, containerd 2, other 1, kernel 2 */
	cr_assert_str_eq(st[0].name, "dockerd");
	cr_assert_str_eq(st[1].name, "containerd");
	cr_assert_str_eq(st[2].name, "other");
	cr_assert_str_eq(st[3].name, "kernel");
	cr_assert_str_eq(st[4].name, LOGSRC_KMSG_USER);
	cr_assert_eq(st[3].added, 1, "the kernel's record only");
	cr_assert_eq(st[4].added, 1, "the record user space wrote");
	cr_assert_eq(st[4].budget_lines, st[2].budget_lines);
	cr_assert_eq(st[0].budget_lines, 2 * st[1].budget_lines);
	cr_assert_eq(st[1].budget_lines, 2 * st[2].budget_lines);
	cr_assert_eq(st[3].budget_lines, st[1].budget_lines);
	cr_assert_eq(st[0].added, 2);
	env_release(&e);
}

Test(set, release_is_safe)
{
	struct logsrc_set set = { 0 };

	logsrc_set_release(&set);
	logsrc_set_release(&set);
	cr_assert_eq(logsrc_follow(&set, NULL), 0);
	cr_assert_eq(logsrc_poll_fds(&set, NULL, 0), 0);
}
