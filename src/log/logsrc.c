// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Log sources of the log ring (see logsrc.h): the systemd journal, plain
 * files and the kernel log. Read-only: files are opened O_RDONLY, the
 * journal through sd-journal, /dev/kmsg O_RDONLY|O_NONBLOCK.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-journal.h>
#endif

#include "log/logsrc.h"
#include "core/util.h"

/* A file's backlog: only its last 8 MiB are read. */
#define FILE_TAIL_BYTES (8u << 20)
/* At most this much of a file is read by one logsrc_follow(). */
#define FOLLOW_MAX_BYTES (4u << 20)
#define READ_CHUNK (64u << 10)
/* The kernel log buffer is at most 32 MiB of text (log_buf_len). */
#define KMSG_BACKLOG_BYTES (32u << 20)
/* One /dev/kmsg record (CONSOLE_EXT_LOG_MAX is 8 KiB). */
#define KMSG_RECORD_MAX (16u << 10)
/* Records read for the backlog at most (the buffer holds far fewer). */
#define KMSG_BACKLOG_RECORDS 1000000
/* Records read by one logsrc_follow(), so a flood cannot stall it. */
#define KMSG_FOLLOW_MAX 100000
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
	int64_t boot_us; /* kmsg: the epoch time of boot */
	char *buf; /* read buffer: READ_CHUNK, or KMSG_RECORD_MAX */
#ifdef HAVE_SYSTEMD
	sd_journal *j;
	int jfd; /* sd_journal_get_fd(), or -1 */
#endif
};

/* ---- time and level parsing ----------------------------------------- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Exactly n digits at p (within end). */
static bool digits(const char *p, const char *end, int n, int *ret)
{
	int v = 0;

	if (end - p < n)
		return false;
	for (int i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*ret = v;
	return true;
}

static bool leap_year(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };

	return m == 2 && leap_year(y) ? 29 : dim[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * A local (zone-less) time to microseconds since the epoch. Not mktime():
 * glibc's stat()s /etc/localtime on every call when TZ is unset, which
 * for a file of syslog lines is a system call a line; localtime_r() is
 * not. The UTC offset is taken at the time read as UTC, then again at the
 * result (right across a DST change; a time skipped or repeated by one
 * comes out as one of its two readings).
 */
static bool local_to_us(int64_t y, int mo, int d, int h, int mi, int s,
			int64_t *ret)
{
	int64_t as_utc =
		days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	time_t t = (time_t)as_utc;
	struct tm tm;

	for (int i = 0; i < 2; i++) {
		if (!localtime_r(&t, &tm))
			return false;
		t = (time_t)(as_utc - tm.tm_gmtoff);
	}
	*ret = (int64_t)t * 1000000;
	return true;
}

/*
 * An RFC 3339 time at p: "YYYY-MM-DD[T ]hh:mm:ss[.frac][Z|+hh:mm|+hhmm|+hh]"
 * (no zone: local time). Returns the bytes it takes, 0 when there is none.
 */
static size_t parse_rfc3339(const char *p, const char *end, int64_t *ret_us)
{
	const char *s = p;
	int y, mo, d, h, mi, sec, frac = 0, scale = 100000;
	int64_t t;

	if (!digits(p, end, 4, &y) || end - p < 19 || p[4] != '-' ||
	    !digits(p + 5, end, 2, &mo) || p[7] != '-' ||
	    !digits(p + 8, end, 2, &d) ||
	    (p[10] != 'T' && p[10] != 't' && p[10] != ' ') ||
	    !digits(p + 11, end, 2, &h) || p[13] != ':' ||
	    !digits(p + 14, end, 2, &mi) || p[16] != ':' ||
	    !digits(p + 17, end, 2, &sec))
		return 0;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return 0;
	p += 19;
	if (p < end && (*p == '.' || *p == ',') && p + 1 < end &&
	    is_digit(p[1])) {
		for (p++; p < end && is_digit(*p); p++) {
			/* microseconds: further digits are dropped */
			if (scale) {
				frac += (*p - '0') * scale;
				scale /= 10;
			}
		}
	}
	if (p < end && (*p == 'Z' || *p == 'z')) {
		t = (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
		     sec) *
		    1000000;
		p++;
	} else if (p < end && (*p == '+' || *p == '-')) {
		int oh, om = 0, sign = *p == '-' ? -1 : 1;
		const char *z = p + 1;

		if (!digits(z, end, 2, &oh))
			return 0;
		z += 2;
		if (z < end && *z == ':') {
			if (!digits(z + 1, end, 2, &om))
				return 0;
			z += 3;
		} else if (digits(z, end, 2, &om)) {
			z += 2;
		}
		if (oh > 23 || om > 59)
			return 0;
		t = (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
		     sec - sign * (oh * 3600 + om * 60)) *
		    1000000;
		p = z;
	} else if (!local_to_us(y, mo, d, h, mi, sec, &t)) {
		return 0;
	}
	*ret_us = t + frac;
	return (size_t)(p - s);
}

/*
 * A syslog (RFC 3164) time at p: "Mmm dd hh:mm:ss" (dd may be space
 * padded), local time, no year: fallback_us's year, or the one next to
 * it when the months are more than half a year apart (so "Dec 31" read on
 * January 1st is last year's).
 */
static size_t parse_syslog_time(const char *p, const char *end,
				int64_t fallback_us, int64_t *ret_us)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *s = p;
	int mo = 0, d, h, mi, sec, frac = 0, scale = 100000;
	int64_t best = 0;
	struct tm tm;
	time_t now;
	bool found = false;

	if (end - p < 15)
		return 0;
	for (int i = 0; i < 12; i++)
		if (memcmp(p, months + 3 * i, 3) == 0)
			mo = i + 1;
	if (!mo || p[3] != ' ')
		return 0;
	p += 4;
	if (*p == ' ')
		p++;
	if (digits(p, end, 2, &d))
		p += 2;
	else if (digits(p, end, 1, &d))
		p += 1;
	else
		return 0;
	if (p + 9 > end || *p != ' ' || !digits(p + 1, end, 2, &h) ||
	    p[3] != ':' || !digits(p + 4, end, 2, &mi) || p[6] != ':' ||
	    !digits(p + 7, end, 2, &sec))
		return 0;
	p += 9;
	if (d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return 0;
	if (p + 1 < end && *p == '.' && is_digit(p[1])) {
		for (p++; p < end && is_digit(*p); p++) {
			if (scale) {
				frac += (*p - '0') * scale;
				scale /= 10;
			}
		}
	}
	now = (time_t)(fallback_us / 1000000);
	if (!localtime_r(&now, &tm))
		return 0;
	/*
	 * The fallback's year, or the one before for a December line read in
	 * January (or after, for the reverse): the month tells, so a line
	 * costs one conversion. A date that year does not have (February 29)
	 * takes the year next to it that has it.
	 */
	{
		int64_t y = tm.tm_year + 1900;
		int fm = tm.tm_mon + 1;

		if (mo - fm > 6)
			y--;
		else if (fm - mo > 6)
			y++;
		if (d <= days_in_month(y, mo) &&
		    local_to_us(y, mo, d, h, mi, sec, &best))
			found = true;
	}
	/* February 29th: of three years in a row at most one has it */
	for (int64_t y = tm.tm_year + 1900 - 1;
	     !found && y <= tm.tm_year + 1900 + 1; y++)
		if (d <= days_in_month(y, mo) &&
		    local_to_us(y, mo, d, h, mi, sec, &best))
			found = true;
	if (!found)
		return 0;
	*ret_us = best + frac;
	return (size_t)(p - s);
}

/* A level word ("info", "WARN", "erro", "Error"), or LOG_LEVEL_UNKNOWN. */
static enum log_level level_word(const char *s, size_t len)
{
	static const struct {
		const char *abbr, *name;
	} tty[] = {
		{ "trac", "trace" }, { "debu", "debug" }, { "erro", "error" },
		{ "fata", "fatal" }, { "pani", "panic" },
	};
	char w[16];

	if (len == 0 || len >= sizeof(w))
		return LOG_LEVEL_UNKNOWN;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c < 'a' || c > 'z')
			return LOG_LEVEL_UNKNOWN;
		w[i] = c;
	}
	w[len] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(tty); i++)
		if (strcmp(w, tty[i].abbr) == 0)
			return log_level_from_name(tty[i].name,
						   strlen(tty[i].name));
	return log_level_from_name(w, len);
}

/* p at a '"': the byte after the closing quote, or NULL if unterminated. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* Skip a JSON value that is not a string: up to the ',' or '}' after it. */
static const char *skip_value(const char *p, const char *end)
{
	size_t depth = 0;

	while (p < end) {
		switch (*p) {
		case '"':
			p = skip_string(p, end);
			if (!p)
				return NULL;
			continue;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (depth == 0)
				return p;
			depth--;
			break;
		case ',':
			if (depth == 0)
				return p;
			break;
		}
		p++;
	}
	return NULL;
}

struct parsed {
	int64_t time;
	bool have_time;
	enum log_level level;
};

/* "time" and "level" string members of a JSON object (logrus JSON). */
static void parse_json(const char *p, const char *end, struct parsed *r)
{
	for (p++; p < end;) {
		const char *key, *val, *q;
		size_t klen, vlen;

		while (p < end && (is_space(*p) || *p == ',' || *p == '\r'))
			p++;
		if (p >= end || *p != '"')
			return;
		key = p + 1;
		q = skip_string(p, end);
		if (!q)
			return;
		klen = (size_t)(q - 1 - key);
		p = q;
		while (p < end && is_space(*p))
			p++;
		if (p >= end || *p != ':')
			return;
		for (p++; p < end && is_space(*p); p++)
			;
		if (p >= end)
			return;
		if (*p != '"') {
			p = skip_value(p, end);
			if (!p || *p == '}')
				return;
			continue;
		}
		val = p + 1;
		q = skip_string(p, end);
		if (!q)
			return;
		vlen = (size_t)(q - 1 - val);
		p = q;
		if (klen == 4 && memcmp(key, "time", 4) == 0 && !r->have_time) {
			int64_t t;

			if (parse_rfc3339(val, val + vlen, &t)) {
				r->time = t;
				r->have_time = true;
			}
		} else if (klen == 5 && memcmp(key, "level", 5) == 0 &&
			   r->level == LOG_LEVEL_UNKNOWN) {
			r->level = level_word(val, vlen);
		}
	}
}

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       is_digit(c) || c == '_' || c == '.' || c == '-';
}

/* time= and level= pairs of a logfmt line (logrus text); quoted values
 * (msg="... level=x ...") are skipped whole. */
static void parse_logfmt(const char *p, const char *end, struct parsed *r)
{
	while (p < end) {
		const char *k, *v, *q;
		size_t klen, vlen;

		while (p < end && is_space(*p))
			p++;
		k = p;
		while (p < end && key_char(*p))
			p++;
		klen = (size_t)(p - k);
		if (klen == 0 || p >= end || *p != '=') {
			/* a bare word: skip it, quoted runs included */
			while (p < end && !is_space(*p)) {
				if (*p == '"') {
					q = skip_string(p, end);
					p = q ? q : end;
				} else {
					p++;
				}
			}
			continue;
		}
		p++;
		if (p < end && *p == '"') {
			v = p + 1;
			q = skip_string(p, end);
			vlen = q ? (size_t)(q - 1 - v) : (size_t)(end - v);
			p = q ? q : end;
		} else {
			v = p;
			while (p < end && !is_space(*p))
				p++;
			vlen = (size_t)(p - v);
		}
		if (klen == 4 && memcmp(k, "time", 4) == 0 && !r->have_time) {
			int64_t t;

			if (parse_rfc3339(v, v + vlen, &t)) {
				r->time = t;
				r->have_time = true;
			}
		} else if (klen == 5 && memcmp(k, "level", 5) == 0 &&
			   r->level == LOG_LEVEL_UNKNOWN) {
			r->level = level_word(v, vlen);
		}
		if (r->have_time && r->level != LOG_LEVEL_UNKNOWN)
			return;
	}
}

/* logrus' terminal format: "INFO[2024-01-02T15:04:05.000000000Z] msg" or
 * "INFO[0000] msg" (seconds since start: no time). */
static bool parse_tty(const char *p, const char *end, struct parsed *r)
{
	const char *close;
	enum log_level l;
	int64_t t;
	size_t n;

	if (end - p < 6 || p[4] != '[')
		return false;
	for (int i = 0; i < 4; i++)
		if (p[i] < 'A' || p[i] > 'Z')
			return false;
	l = level_word(p, 4);
	if (l == LOG_LEVEL_UNKNOWN)
		return false;
	close = memchr(p + 5, ']', (size_t)(end - p - 5));
	if (!close)
		return false;
	r->level = l;
	n = parse_rfc3339(p + 5, close, &t);
	if (n && p + 5 + n == close) {
		r->time = t;
		r->have_time = true;
	}
	return true;
}

/* A level word at the start of a message after a time prefix: "INFO ",
 * "[warn]", "error:". */
static enum log_level leading_level(const char *p, const char *end)
{
	const char *w;
	bool bracket = false, upper = true;

	if (p < end && *p == '[') {
		bracket = true;
		p++;
	}
	for (w = p;
	     p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'));
	     p++)
		if (*p >= 'a')
			upper = false;
	if (bracket) {
		if (p >= end || *p != ']')
			return LOG_LEVEL_UNKNOWN;
	} else if (p < end && *p == ':') {
		/* "error: ..." */
	} else if (!upper || (p < end && !is_space(*p))) {
		return LOG_LEVEL_UNKNOWN;
	}
	return level_word(w, (size_t)(p - w));
}

/* The message of a line: JSON, logrus terminal format, or logfmt. */
static void parse_body(const char *p, const char *end, struct parsed *r)
{
	while (p < end && is_space(*p))
		p++;
	if (p < end && *p == '{')
		parse_json(p, end, r);
	else if (!parse_tty(p, end, r))
		parse_logfmt(p, end, r);
}

bool logline_parse(const char *line, size_t len, int64_t fallback_us,
		   int64_t *ret_time, enum log_level *ret_level)
{
	const char *p = line, *end = line + len;
	struct parsed prefix = { .time = fallback_us };
	struct parsed body = { .time = fallback_us };
	bool timed_prefix = false;
	size_t n;

	while (p < end && is_space(*p))
		p++;
	/* "<PRI>" of syslog, and the version "1 " of RFC 5424 */
	if (p < end && *p == '<') {
		const char *q = p + 1;
		int prio = 0;

		while (q < end && is_digit(*q) && q - p <= 3)
			prio = prio * 10 + (*q++ - '0');
		if (q > p + 1 && q < end && *q == '>') {
			prefix.level = log_level_from_syslog(prio & 7);
			p = q + 1;
			if (end - p >= 2 && p[0] == '1' && p[1] == ' ')
				p += 2;
		}
	}
	n = parse_rfc3339(p, end, &prefix.time);
	if (n) {
		timed_prefix = true;
		p += n;
		/* RFC 5424: "HOST APP PROCID MSGID SD MSG"; journalctl -o
		 * short-iso: "HOST TAG[PID]: MSG"; otherwise the message */
	} else {
		n = parse_syslog_time(p, end, fallback_us, &prefix.time);
		if (n) {
			const char *q;

			timed_prefix = true;
			p += n;
			/* " host tag[pid]: message" */
			while (p < end && is_space(*p))
				p++;
			while (p < end && !is_space(*p))
				p++;
			while (p < end && is_space(*p))
				p++;
			for (q = p; q < end && !is_space(*q); q++)
				;
			if (q > p && q[-1] == ':')
				p = q;
		}
	}
	prefix.have_time = timed_prefix;
	if (timed_prefix) {
		/* a time prefix, then "host tag: " (syslog) or the message */
		const char *q = p;

		while (q < end && is_space(*q))
			q++;
		parse_body(q, end, &body);
		if (body.level == LOG_LEVEL_UNKNOWN) {
			enum log_level l = leading_level(q, end);
			size_t span = (size_t)(end - q) < 128
					      ? (size_t)(end - q)
					      : 128;
			const char *c;

			/* "host tag[pid]: INFO ..." after an RFC 3339 time */
			if (l == LOG_LEVEL_UNKNOWN &&
			    (c = memchr(q, ':', span)) != NULL) {
				for (c++; c < end && is_space(*c); c++)
					;
				l = leading_level(c, end);
			}
			body.level = l;
		}
	} else {
		parse_body(p, end, &body);
	}
	*ret_time = body.have_time ? body.time : prefix.time;
	*ret_level = body.level != LOG_LEVEL_UNKNOWN ? body.level
						     : prefix.level;
	return body.have_time || prefix.have_time;
}

/* An unsigned decimal number up to a separator. */
static bool parse_u64(const char **pp, const char *end, uint64_t *ret)
{
	const char *p = *pp;
	uint64_t v = 0;

	if (p >= end || !is_digit(*p))
		return false;
	for (; p < end && is_digit(*p); p++) {
		uint64_t dgt = (uint64_t)(*p - '0');

		if (v > UINT64_MAX / 10 ||
		    (v == UINT64_MAX / 10 && dgt > UINT64_MAX % 10))
			return false;
		v = v * 10 + dgt;
	}
	*pp = p;
	*ret = v;
	return true;
}

int kmsg_parse(const char *rec, size_t len, int64_t boot_us, int64_t *ret_time,
	       enum log_level *ret_level, const char **ret_msg,
	       size_t *ret_msg_len, uint64_t *ret_seq)
{
	const char *p = rec, *end = rec + len, *msg, *nl;
	uint64_t prio, seq, usec;

	if (!parse_u64(&p, end, &prio) || prio > 1023 || p >= end ||
	    *p++ != ',' || !parse_u64(&p, end, &seq) || p >= end ||
	    *p++ != ',' || !parse_u64(&p, end, &usec) || p >= end ||
	    (*p != ',' && *p != ';') || usec > (uint64_t)INT64_MAX / 2)
		return -EINVAL;
	/* flags and further fields ("-", "c", "caller=T1") up to ';' */
	for (; p < end && *p != ';'; p++)
		if (*p == '\n')
			return -EINVAL;
	if (p >= end)
		return -EINVAL;
	msg = p + 1;
	nl = memchr(msg, '\n', (size_t)(end - msg));
	*ret_time = boot_us + (int64_t)usec;
	*ret_level = log_level_from_syslog((int)(prio & 7));
	*ret_msg = msg;
	*ret_msg_len = nl ? (size_t)(nl - msg) : (size_t)(end - msg);
	*ret_seq = seq;
	return 0;
}

/* ---- the set ---------------------------------------------------------- */

static void lsrc_free(struct lsrc *p)
{
	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	if (p->dirfd >= 0)
		close(p->dirfd);
#ifdef HAVE_SYSTEMD
	if (p->j)
		sd_journal_close(p->j);
#endif
	free(p->base);
	free(p->partial);
	free(p->buf);
	free(p);
}

static struct lsrc *lsrc_new(void)
{
	struct lsrc *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->fd = -1;
	p->dirfd = -1;
#ifdef HAVE_SYSTEMD
	p->jfd = -1;
#endif
	return p;
}

void logsrc_set_release(struct logsrc_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		lsrc_free(set->v[i].priv);
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

/*
 * Append a source (priv may be NULL for a source in error); takes priv.
 * The pointer is valid until the next set_add(). NULL on ENOMEM.
 */
static struct logsrc *set_add(struct logsrc_set *set, enum logsrc_kind kind,
			      const char *name, const char *where,
			      const char *why, struct lsrc *priv)
{
	struct logsrc *nv = reallocarray(set->v, set->n + 1, sizeof(*nv));
	struct logsrc *s;

	if (!nv) {
		lsrc_free(priv);
		return NULL;
	}
	set->v = nv;
	s = &set->v[set->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	strscpy(s->name, name, sizeof(s->name));
	strscpy(s->where, where, sizeof(s->where));
	strscpy(s->why, why, sizeof(s->why));
	s->ring_source = -1;
	s->priv = priv;
	return s;
}

/* Append a source that could not be opened, with its one-line reason. */
static int set_add_error(struct logsrc_set *set, enum logsrc_kind kind,
			 const char *name, const char *where, const char *why,
			 int err, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
static int set_add_error(struct logsrc_set *set, enum logsrc_kind kind,
			 const char *name, const char *where, const char *why,
			 int err, const char *fmt, ...)
{
	struct logsrc *s = set_add(set, kind, name, where, why, NULL);
	va_list ap;

	if (!s)
		return -ENOMEM;
	s->err = err;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	return 0;
}

/* Add to a source's why ("dockerd fd 2; containerd fd 2"). */
static void why_append(struct logsrc *s, const char *why)
{
	size_t n = strlen(s->why);

	if (!why[0] || strstr(s->why, why))
		return;
	if (n)
		snprintf(s->why + n, sizeof(s->why) - n, "; %s", why);
	else
		strscpy(s->why, why, sizeof(s->why));
}

/* The file source reading the same file (device and inode), or NULL. */
static struct logsrc *find_file(struct logsrc_set *set, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < set->n; i++) {
		struct lsrc *p = set->v[i].priv;

		if (p && p->fd >= 0 && !p->kmsg_dev &&
		    set->v[i].kind != LOGSRC_JOURNAL && p->dev == dev &&
		    p->ino == ino)
			return &set->v[i];
	}
	return NULL;
}

/* The first source of a kind and name, or NULL. */
static struct logsrc *find_source(struct logsrc_set *set, enum logsrc_kind kind,
				  const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i].kind == kind && strcmp(set->v[i].name, name) == 0)
			return &set->v[i];
	return NULL;
}

/*
 * Open a regular file under the root: through its directory (so rotation
 * can be seen later), else through alt (a /proc/PID/fd/N link, which
 * reaches a deleted file or one in another mount namespace). An unreadable
 * file becomes a source in error. 0 or -ENOMEM.
 */
static int add_file(struct logsrc_set *set, const struct pathctx *pc,
		    enum logsrc_kind kind, const char *path, const char *alt,
		    const char *name, const char *why)
{
	const char *slash = strrchr(path, '/');
	struct lsrc *p = lsrc_new();
	struct logsrc *s;
	struct stat st;
	char *dir = NULL;
	int r = -ENOENT;

	if (!p)
		return -ENOMEM;
	if (slash && slash[1]) {
		dir = strndup(path, (size_t)(slash - path) + 1);
		p->base = strdup(slash + 1);
		if (!dir || !p->base) {
			free(dir);
			lsrc_free(p);
			return -ENOMEM;
		}
		r = path_open(pc, dir, O_PATH | O_DIRECTORY);
		free(dir);
		if (r >= 0) {
			p->dirfd = r;
			p->fd = openat(p->dirfd, p->base,
				       O_RDONLY | O_NOCTTY | O_NONBLOCK |
					       O_CLOEXEC);
			r = p->fd < 0 ? -errno : 0;
		}
	}
	if (r < 0 && alt) {
		int fd = path_open(pc, alt, O_RDONLY | O_NOCTTY | O_NONBLOCK);

		if (fd >= 0) {
			if (p->dirfd >= 0)
				close(p->dirfd);
			p->dirfd = -1;
			p->fd = fd;
			r = 0;
		}
	}
	if (r < 0) {
		lsrc_free(p);
		return set_add_error(set, kind, name, path, why, r,
				     "cannot open %s: %s", path, strerror(-r));
	}
	if (fstat(p->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		lsrc_free(p);
		return set_add_error(set, kind, name, path, why, -EINVAL,
				     "%s is not a regular file", path);
	}
	p->dev = st.st_dev;
	p->ino = st.st_ino;
	s = find_file(set, p->dev, p->ino);
	if (s) {
		why_append(s, why);
		lsrc_free(p);
		return 0;
	}
	p->kmsg_fmt = kind == LOGSRC_KMSG;
	p->partial = malloc(PARTIAL_MAX + 1);
	p->buf = malloc(READ_CHUNK);
	if (!p->partial || !p->buf) {
		lsrc_free(p);
		return -ENOMEM;
	}
	if (p->kmsg_fmt)
		p->boot_us =
			clock_us(CLOCK_REALTIME) - clock_us(CLOCK_MONOTONIC);
	return set_add(set, kind, name, path, why, p) ? 0 : -ENOMEM;
}

/*
 * The kernel log. /dev/kmsg is read O_NONBLOCK, one record per read();
 * under a sysroot it may be a regular file of records, one a line.
 */
static int add_kmsg(struct logsrc_set *set, const struct pathctx *pc,
		    const char *why)
{
	struct lsrc *p;
	struct stat st;
	int fd;

	fd = path_open(pc, "/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		char *v = NULL;
		int r = fd;

		if (r == -EPERM || r == -EACCES) {
			if (path_read_file(pc,
					   "/proc/sys/kernel/dmesg_restrict",
					   64, &v, NULL) == 0)
				v[strcspn(v, "\n")] = '\0';
			r = set_add_error(
				set, LOGSRC_KMSG, "kernel", "/dev/kmsg", why,
				fd,
				"cannot read /dev/kmsg: %s (kernel.dmesg_restrict=%s: "
				"reading the kernel log needs CAP_SYSLOG; run as root)",
				strerror(-fd), v ? v : "?");
			free(v);
			return r;
		}
		return set_add_error(set, LOGSRC_KMSG, "kernel", "/dev/kmsg",
				     why, fd, "cannot open /dev/kmsg: %s",
				     strerror(-fd));
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		close(fd);
		return add_file(set, pc, LOGSRC_KMSG, "/dev/kmsg", NULL,
				"kernel", why);
	}
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode)) {
		close(fd);
		return set_add_error(set, LOGSRC_KMSG, "kernel", "/dev/kmsg",
				     why, -EINVAL,
				     "/dev/kmsg is neither a character device "
				     "nor a file of records");
	}
	p = lsrc_new();
	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	p->fd = fd;
	p->kmsg_dev = true;
	p->kmsg_fmt = true;
	/*
	 * Record times are local_clock() since boot, which, like
	 * CLOCK_MONOTONIC, stands still during suspend: realtime minus
	 * monotonic is the boot time in that clock.
	 */
	p->boot_us = clock_us(CLOCK_REALTIME) - clock_us(CLOCK_MONOTONIC);
	p->buf = malloc(KMSG_RECORD_MAX);
	if (!p->buf) {
		lsrc_free(p);
		return -ENOMEM;
	}
	return set_add(set, LOGSRC_KMSG, "kernel", "/dev/kmsg", why, p)
		       ? 0
		       : -ENOMEM;
}

/* The ring name of a unit: docker.service is dockerd's. */
static void unit_default_name(const char *unit, char *name, size_t size)
{
	const char *dot = strrchr(unit, '.');
	size_t n = dot ? (size_t)(dot - unit) : strlen(unit);

	if (strcmp(unit, "docker.service") == 0)
		strscpy(name, "dockerd", size);
	else
		snprintf(name, size, "%.*s", (int)(n < size ? n : size - 1),
			 unit);
}

/*
 * A journal source for one unit. auto_mode: added only when the journal
 * has entries for the unit (and silently left out when it cannot be
 * opened); otherwise always added, in error when it cannot be read.
 */
static int add_journal(struct logsrc_set *set, const struct pathctx *pc,
		       const char *unit, const char *name, const char *why,
		       bool auto_mode)
{
	char where[256];

	snprintf(where, sizeof(where), "journal:%s", unit);
#ifdef HAVE_SYSTEMD
	struct lsrc *p = lsrc_new();
	char match[300];
	int r;

	if (!p)
		return -ENOMEM;
	/* the sysroot's /var/log/journal and /run/log/journal */
	if (pathctx_is_sysroot(pc))
		r = sd_journal_open_directory(&p->j, pc->root,
					      SD_JOURNAL_OS_ROOT);
	else
		r = sd_journal_open(&p->j,
				    SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
	if (r < 0) {
		p->j = NULL;
		lsrc_free(p);
		if (auto_mode)
			return 0;
		return set_add_error(set, LOGSRC_JOURNAL, name, where, why, r,
				     "cannot open the systemd journal%s%s: %s",
				     pathctx_is_sysroot(pc) ? " under " : "",
				     pathctx_is_sysroot(pc) ? pc->root : "",
				     strerror(-r));
	}
	snprintf(match, sizeof(match), "_SYSTEMD_UNIT=%s", unit);
	r = sd_journal_add_match(p->j, match, 0);
	if (r >= 0)
		r = sd_journal_seek_tail(p->j);
	if (r >= 0 && auto_mode) {
		r = sd_journal_previous(p->j);
		if (r == 0) {
			/* no entries for the unit */
			lsrc_free(p);
			return 0;
		}
		if (r > 0)
			r = sd_journal_seek_tail(p->j);
	}
	if (r < 0) {
		lsrc_free(p);
		if (auto_mode)
			return 0;
		return set_add_error(
			set, LOGSRC_JOURNAL, name, where, why, r,
			"cannot read the systemd journal for %s: %s", unit,
			strerror(-r));
	}
	/* set up the inotify watch now, so nothing is missed after load */
	p->jfd = sd_journal_get_fd(p->j);
	if (p->jfd < 0)
		p->jfd = -1;
	return set_add(set, LOGSRC_JOURNAL, name, where, why, p) ? 0 : -ENOMEM;
#else
	(void)pc;
	if (auto_mode)
		return 0;
	return set_add_error(set, LOGSRC_JOURNAL, name, where, why, -EOPNOTSUPP,
			     "cannot read %s from the systemd journal: "
			     "dockerd-doctor was built without libsystemd",
			     unit);
#endif
}

static const char *stream_name(int mask)
{
	return mask == 3   ? "stdout and stderr"
	       : mask == 1 ? "stdout"
			   : "stderr";
}

/*
 * What a process's fd 1 and 2 point at: regular files become file
 * sources; a pipe or socket (journald, a supervisor), a terminal or
 * /dev/null is said so, unless the journal already covers the process.
 * skip: targets to ignore (containerd started by dockerd shares dockerd's
 * fds). ret_targets (may be NULL) gets fd 1's and 2's targets.
 */
static int add_process_fds(struct logsrc_set *set, const struct pathctx *pc,
			   int pid, const char *name, char *const *skip,
			   char **ret_targets)
{
	char *t[2] = { NULL, NULL };
	int err[2] = { 0, 0 }, r = 0;

	for (int i = 0; i < 2; i++)
		err[i] =
			path_readlinkf(pc, &t[i], "/proc/%d/fd/%d", pid, i + 1);
	for (int i = 0; i < 2 && r == 0; i++) {
		char where[64], why[96], alt[64];
		int mask = 1 << i;
		const char *tg = t[i];
		struct logsrc *js;
		size_t tl;

		snprintf(where, sizeof(where), "/proc/%d/fd/%d", pid, i + 1);
		if (err[i] < 0) {
			if (err[i] == -ENOENT || (i == 1 && err[0] == err[1]))
				continue;
			if (i == 0 && err[1] == err[0])
				mask = 3;
			r = set_add_error(
				set, LOGSRC_FILE, name, where, "", err[i],
				"cannot read %s (%s's %s): %s%s", where, name,
				stream_name(mask), strerror(-err[i]),
				err[i] == -EACCES || err[i] == -EPERM
					? "; run as root to find its log"
					: "");
			continue;
		}
		if (i == 1 && t[0] && strcmp(t[0], t[1]) == 0)
			continue;
		if (i == 0 && t[1] && strcmp(t[0], t[1]) == 0)
			mask = 3;
		if (skip &&
		    ((skip[0] && strcmp(skip[0], tg) == 0) ||
		     (skip[1] && strcmp(skip[1], tg) == 0)) &&
		    tg[0] != '/')
			continue;
		snprintf(why, sizeof(why), "%s %s", name,
			 mask == 3   ? "fd 1 and 2"
			 : mask == 1 ? "fd 1"
				     : "fd 2");
		snprintf(alt, sizeof(alt), "/proc/%d/fd/%d", pid, i + 1);
		tl = strlen(tg);
		if (tg[0] == '/' && tl > 10 &&
		    strcmp(tg + tl - 10, " (deleted)") == 0) {
			char w[128];

			snprintf(w, sizeof(w), "%s (deleted file)", why);
			r = add_file(set, pc, LOGSRC_FILE, alt, NULL, name, w);
			continue;
		}
		if (tg[0] == '/') {
			struct stat st;
			int sr = path_stat(pc, tg, true, &st);

			if (strcmp(tg, "/dev/null") == 0) {
				r = set_add_error(
					set, LOGSRC_FILE, name, where, why,
					-ENODATA,
					"%s's %s go%s to /dev/null: its log is discarded",
					name, stream_name(mask),
					mask == 3 ? "" : "es");
				continue;
			}
			if (startswith(tg, "/dev/pts/") ||
			    startswith(tg, "/dev/tty") ||
			    strcmp(tg, "/dev/console") == 0) {
				r = set_add_error(
					set, LOGSRC_FILE, name, where, why,
					-ENOTSUP,
					"%s's %s go%s to the terminal %s: not readable",
					name, stream_name(mask),
					mask == 3 ? "" : "es", tg);
				continue;
			}
			if (sr == 0 && !S_ISREG(st.st_mode)) {
				r = set_add_error(
					set, LOGSRC_FILE, name, where, why,
					-ENOTSUP,
					"%s's %s go%s to %s, not a regular file",
					name, stream_name(mask),
					mask == 3 ? "" : "es", tg);
				continue;
			}
			/* not found here: another mount namespace; the
			 * /proc link still reaches it (live root only) */
			r = add_file(set, pc, LOGSRC_FILE, tg,
				     pathctx_is_sysroot(pc) ? NULL : alt, name,
				     why);
			continue;
		}
		/* pipe:[N], socket:[N], anon_inode:... */
		js = find_source(set, LOGSRC_JOURNAL, name);
		if (js && !js->err) {
			char w[160];

			snprintf(w, sizeof(w), "%s is %.40s", why, tg);
			why_append(js, w);
			continue;
		}
		r = set_add_error(
			set, LOGSRC_FILE, name, where, why, -ENOTSUP,
			"%s's %s go%s to %s: journald or a supervisor holds it, and %s; "
			"name the log with --log-source journal:UNIT or file:PATH",
			name, stream_name(mask), mask == 3 ? "" : "es", tg,
#ifdef HAVE_SYSTEMD
			"the journal has no entries for its unit"
#else
			"this build cannot read the journal (no libsystemd)"
#endif
		);
	}
	if (ret_targets) {
		ret_targets[0] = t[0];
		ret_targets[1] = t[1];
	} else {
		free(t[0]);
		free(t[1]);
	}
	return r;
}

/* The usual files when they exist. */
static int add_usual_files(struct logsrc_set *set, const struct pathctx *pc)
{
	static const struct {
		const char *path, *name;
	} files[] = {
		{ "/var/log/docker.log", "dockerd" },
		{ "/var/log/upstart/docker.log", "dockerd" },
		{ "/var/log/containerd.log", "containerd" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct stat st;
		int r;

		if (path_stat(pc, files[i].path, true, &st) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		r = add_file(set, pc, LOGSRC_FILE, files[i].path, NULL,
			     files[i].name, "usual file");
		if (r < 0)
			return r;
	}
	return 0;
}

static bool valid_name(const char *s, size_t n)
{
	if (n == 0 || n >= LOGRING_SOURCE_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!key_char(s[i]))
			return false;
	return true;
}

static bool valid_unit(const char *s, size_t n)
{
	if (n == 0 || n > 200)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!key_char(s[i]) && s[i] != '@' && s[i] != ':' &&
		    s[i] != '\\')
			return false;
	return true;
}

/* One --log-source spec, split. */
struct spec {
	enum {
		SPEC_AUTO,
		SPEC_NONE,
		SPEC_KMSG,
		SPEC_JOURNAL,
		SPEC_FILE,
		SPEC_FD
	} kind;
	char arg[4096]; /* unit or path */
	char name[LOGRING_SOURCE_NAME_MAX];
};

/* Parse a spec; false with a message in err. */
static bool spec_parse(const char *s, struct spec *sp, char *err, size_t errlen)
{
	const char *arg, *eq;
	size_t alen;

	memset(sp, 0, sizeof(*sp));
	if (strcmp(s, "auto") == 0) {
		sp->kind = SPEC_AUTO;
		return true;
	}
	if (strcmp(s, "none") == 0) {
		sp->kind = SPEC_NONE;
		return true;
	}
	if (strcmp(s, "kmsg") == 0) {
		sp->kind = SPEC_KMSG;
		return true;
	}
	if (strcmp(s, "fd") == 0) {
		sp->kind = SPEC_FD;
		return true;
	}
	if (strcmp(s, "journal") == 0) {
		sp->kind = SPEC_JOURNAL;
		return true;
	}
	if (startswith(s, "journal:")) {
		sp->kind = SPEC_JOURNAL;
		arg = s + 8;
	} else if (startswith(s, "file:")) {
		sp->kind = SPEC_FILE;
		arg = s + 5;
	} else {
		snprintf(err, errlen, "invalid log source '%s' " SPEC_HELP, s);
		return false;
	}
	eq = strrchr(arg, '=');
	if (eq && strchr(eq, '/'))
		eq = NULL; /* file:/a=b/c.log: part of the path */
	alen = eq ? (size_t)(eq - arg) : strlen(arg);
	if (eq) {
		size_t nlen = strlen(eq + 1);

		if (!valid_name(eq + 1, nlen)) {
			snprintf(
				err, errlen,
				"invalid log source '%s': the name after '=' "
				"must be 1 to %d letters, digits, '.', '_' or '-'",
				s, LOGRING_SOURCE_NAME_MAX - 1);
			return false;
		}
		memcpy(sp->name, eq + 1, nlen + 1);
	}
	if (sp->kind == SPEC_JOURNAL) {
		if (!valid_unit(arg, alen)) {
			snprintf(
				err, errlen,
				"invalid log source '%s': not a unit name " SPEC_HELP,
				s);
			return false;
		}
		/* "docker" means docker.service, as systemctl has it */
		snprintf(sp->arg, sizeof(sp->arg), "%.*s%s", (int)alen, arg,
			 memchr(arg, '.', alen) ? "" : ".service");
		if (!sp->name[0])
			unit_default_name(sp->arg, sp->name, sizeof(sp->name));
		return true;
	}
	if (alen == 0 || arg[0] != '/' || alen >= sizeof(sp->arg) ||
	    arg[alen - 1] == '/') {
		snprintf(
			err, errlen,
			"invalid log source '%s': file:PATH needs the absolute "
			"path of a file " SPEC_HELP,
			s);
		return false;
	}
	memcpy(sp->arg, arg, alen);
	sp->arg[alen] = '\0';
	if (!sp->name[0]) {
		const char *b = strrchr(sp->arg, '/') + 1;

		strscpy(sp->name,
			strstr(b, "containerd") ? "containerd" : "dockerd",
			sizeof(sp->name));
	}
	return true;
}

/* The automatic choice (see logsrc.h). */
static int discover_auto(struct logsrc_set *set, const struct pathctx *pc,
			 const struct logsrc_options *o)
{
	char *dt[2] = { NULL, NULL };
	int r;

	r = add_journal(set, pc, "docker.service", "dockerd",
			"docker.service has entries in the journal", true);
	if (r == 0)
		r = add_journal(set, pc, "containerd.service", "containerd",
				"containerd.service has entries in the journal",
				true);
	if (r == 0 && o->dockerd_pid > 0)
		r = add_process_fds(set, pc, o->dockerd_pid, "dockerd", NULL,
				    dt);
	if (r == 0 && o->containerd_pid > 0 &&
	    o->containerd_pid != o->dockerd_pid)
		r = add_process_fds(set, pc, o->containerd_pid, "containerd",
				    dt, NULL);
	free(dt[0]);
	free(dt[1]);
	if (r == 0)
		r = add_usual_files(set, pc);
	if (r == 0)
		r = add_kmsg(set, pc, "auto");
	return r;
}

int logsrc_discover(const struct pathctx *pc, const struct logsrc_options *o,
		    struct logsrc_set *ret, char *err, size_t errlen)
{
	size_t nspecs = strv_length(o->specs);
	struct spec *specs = NULL;
	bool none = false;
	int r = 0;

	ret->v = NULL;
	ret->n = 0;
	if (errlen)
		err[0] = '\0';
	if (nspecs) {
		specs = calloc(nspecs, sizeof(*specs));
		if (!specs)
			return -ENOMEM;
	}
	/* every spec is checked before anything is opened */
	for (size_t i = 0; i < nspecs; i++) {
		if (!spec_parse(o->specs[i], &specs[i], err, errlen)) {
			free(specs);
			return -EINVAL;
		}
		if (specs[i].kind == SPEC_NONE)
			none = true;
	}
	if (none && nspecs > 1) {
		snprintf(err, errlen,
			 "invalid log source 'none': it turns every source off "
			 "and cannot be combined with others " SPEC_HELP);
		free(specs);
		return -EINVAL;
	}
	if (nspecs == 0)
		r = discover_auto(ret, pc, o);
	for (size_t i = 0; i < nspecs && r == 0; i++) {
		struct spec *sp = &specs[i];
		char where[300];

		switch (sp->kind) {
		case SPEC_NONE:
			break;
		case SPEC_AUTO:
			r = discover_auto(ret, pc, o);
			break;
		case SPEC_KMSG:
			if (!find_source(ret, LOGSRC_KMSG, "kernel"))
				r = add_kmsg(ret, pc, "--log-source kmsg");
			break;
		case SPEC_JOURNAL:
			if (!sp->arg[0]) {
				if (!find_source(ret, LOGSRC_JOURNAL,
						 "dockerd"))
					r = add_journal(ret, pc,
							"docker.service",
							"dockerd",
							"--log-source journal",
							false);
				if (r == 0 && !find_source(ret, LOGSRC_JOURNAL,
							   "containerd"))
					r = add_journal(ret, pc,
							"containerd.service",
							"containerd",
							"--log-source journal",
							false);
				break;
			}
			snprintf(where, sizeof(where), "journal:%s", sp->arg);
			for (size_t k = 0; k < ret->n; k++)
				if (strcmp(ret->v[k].where, where) == 0)
					goto next;
			r = add_journal(ret, pc, sp->arg, sp->name,
					"--log-source", false);
			break;
		case SPEC_FILE:
			r = add_file(ret, pc, LOGSRC_FILE, sp->arg, NULL,
				     sp->name, "--log-source");
			break;
		case SPEC_FD:
			if (o->dockerd_pid <= 0)
				r = set_add_error(
					ret, LOGSRC_FILE, "dockerd",
					"/proc/<dockerd>/fd", "--log-source fd",
					-ESRCH,
					"no dockerd process: its fd 1 and 2 cannot be read");
			else
				r = add_process_fds(ret, pc, o->dockerd_pid,
						    "dockerd", NULL, NULL);
			break;
		}
next:;
	}
	free(specs);
	if (r < 0) {
		logsrc_set_release(ret);
		if (errlen)
			snprintf(err, errlen,
				 "cannot choose the log sources: %s",
				 strerror(-r));
	}
	return r;
}

/* ---- reading ------------------------------------------------------------ */

/* Hand one line to the ring (a trailing CR dropped). */
static long emit(struct logsrc *s, struct logring *ring, int64_t t,
		 enum log_level l, const char *line, size_t len)
{
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	if (logring_add(ring, s->ring_source, t, l, line, len) < 0)
		return 0;
	s->lines_read++;
	return 1;
}

/*
 * The time, level and message of one line of a file (logline_parse) or of
 * a kmsg record file (kmsg_parse). false: skip the line (a continuation
 * " KEY=VALUE" line or a broken record).
 */
static bool line_info(const struct lsrc *p, const char *line, size_t len,
		      int64_t fallback, int64_t *t, enum log_level *l,
		      const char **msg, size_t *mlen, bool *timed)
{
	if (p->kmsg_fmt) {
		uint64_t seq;

		if (len == 0 || line[0] == ' ')
			return false;
		if (kmsg_parse(line, len, p->boot_us, t, l, msg, mlen, &seq) <
		    0)
			return false;
		*timed = true;
		return true;
	}
	*msg = line;
	*mlen = len;
	*timed = logline_parse(line, len, fallback, t, l);
	return true;
}

/* The newest lines of a backlog within the window, in order. */
struct tq_ent {
	const char *line;
	size_t len;
	int64_t t;
	enum log_level l;
};

struct tailq {
	struct tq_ent *v;
	size_t cap, head, n;
};

static void tq_push(struct tailq *q, const struct tq_ent *e)
{
	if (q->n == q->cap) {
		q->head = (q->head + 1) % q->cap;
		q->n--;
	}
	q->v[(q->head + q->n) % q->cap] = *e;
	q->n++;
}

/*
 * Read a backlog of complete lines (buf ends with a newline or is empty):
 * the lines within the window, at most o->max_lines of the newest. Lines
 * without a time take the previous line's; those before the first timed
 * line take its time, and when no line has one, untimed_us (the file's
 * modification time). Lines added, or -ENOMEM.
 */
static long backlog_lines(struct logsrc *s, struct logring *ring,
			  const struct logsrc_options *o, const char *buf,
			  size_t len, int64_t untimed_us)
{
	struct lsrc *p = s->priv;
	const char *b = buf, *end = buf + len;
	struct tailq q = { 0 };
	size_t nlines = 0;
	bool seen_time = false;
	int64_t prev = untimed_us;
	long added = 0;

	for (const char *c = b; c < end;) {
		const char *nl = memchr(c, '\n', (size_t)(end - c));

		nlines++;
		if (!nl)
			break;
		c = nl + 1;
	}
	if (nlines == 0)
		return 0;
	q.cap = o->max_lines && o->max_lines < nlines ? o->max_lines : nlines;
	q.v = calloc(q.cap, sizeof(*q.v));
	if (!q.v)
		return -ENOMEM;
	while (b < end) {
		const char *nl = memchr(b, '\n', (size_t)(end - b));
		size_t len1 = nl ? (size_t)(nl - b) : (size_t)(end - b);
		struct tq_ent e;
		bool timed;

		if (line_info(p, b, len1, prev, &e.t, &e.l, &e.line, &e.len,
			      &timed)) {
			if (timed && !seen_time) {
				/* the untimed lines so far precede this one */
				seen_time = true;
				if (e.t < o->since_us)
					q.n = 0;
				for (size_t i = 0; i < q.n; i++)
					q.v[(q.head + i) % q.cap].t = e.t;
			}
			if (timed)
				prev = e.t;
			else
				e.t = prev;
			if (!seen_time || e.t >= o->since_us)
				tq_push(&q, &e);
		}
		b += len1 + 1;
	}
	if (!seen_time && untimed_us < o->since_us)
		q.n = 0;
	for (size_t i = 0; i < q.n; i++) {
		const struct tq_ent *e = &q.v[(q.head + i) % q.cap];

		added += emit(s, ring, e->t, e->l, e->line, e->len);
	}
	free(q.v);
	return added;
}

/* Keep an incomplete line (cut at PARTIAL_MAX). */
static void partial_append(struct lsrc *p, const char *b, size_t len)
{
	size_t room = PARTIAL_MAX - p->plen;

	if (len > room)
		len = room;
	memcpy(p->partial + p->plen, b, len);
	p->plen += len;
}

/* A file's backlog: the last FILE_TAIL_BYTES, lines in the window. */
static long file_load(struct logsrc *s, struct logring *ring,
		      const struct logsrc_options *o)
{
	struct lsrc *p = s->priv;
	size_t want, got = 0;
	const char *b, *last;
	struct stat st;
	off_t start;
	char *buf;
	long n;

	if (fstat(p->fd, &st) < 0) {
		s->err = -errno;
		snprintf(s->error, sizeof(s->error), "cannot stat %.160s: %s",
			 s->where, strerror(errno));
		return 0;
	}
	start = st.st_size > (off_t)FILE_TAIL_BYTES
			? st.st_size - (off_t)FILE_TAIL_BYTES
			: 0;
	want = (size_t)(st.st_size - start);
	buf = malloc(want + 1);
	if (!buf)
		return -ENOMEM;
	while (got < want) {
		ssize_t r =
			pread(p->fd, buf + got, want - got, start + (off_t)got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			s->err = -errno;
			snprintf(s->error, sizeof(s->error),
				 "cannot read %.160s: %s", s->where,
				 strerror(errno));
			free(buf);
			return 0;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	b = buf;
	if (start > 0) {
		/* the first line is cut: start after it */
		const char *nl = memchr(b, '\n', got);

		b = nl ? nl + 1 : buf + got;
	}
	last = b;
	for (const char *c = b; c < buf + got;) {
		const char *nl = memchr(c, '\n', (size_t)(buf + got - c));

		if (!nl)
			break;
		last = nl + 1;
		c = last;
	}
	n = backlog_lines(s, ring, o, b, (size_t)(last - b),
			  (int64_t)st.st_mtim.tv_sec * 1000000 +
				  st.st_mtim.tv_nsec / 1000);
	/* an incomplete last line waits for its end */
	p->plen = 0;
	partial_append(p, last, (size_t)(buf + got - last));
	p->off = start + (off_t)got;
	free(buf);
	return n;
}

/* /dev/kmsg's backlog: every record the kernel holds, in the window. */
static long kmsg_load(struct logsrc *s, struct logring *ring,
		      const struct logsrc_options *o)
{
	struct lsrc *p = s->priv;
	size_t len = 0, alloc = 1 << 16;
	char *buf = malloc(alloc);
	long n;

	if (!buf)
		return -ENOMEM;
	/* a flood could go on for ever: the buffer holds far fewer */
	for (int i = 0; i < KMSG_BACKLOG_RECORDS; i++) {
		ssize_t r = read(p->fd, p->buf, KMSG_RECORD_MAX);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				/* overwritten before we read it */
				s->lost++;
				continue;
			}
			if (errno == EAGAIN)
				break;
			s->err = -errno;
			snprintf(s->error, sizeof(s->error),
				 "cannot read /dev/kmsg: %s", strerror(errno));
			free(buf);
			return 0;
		}
		if (r == 0)
			break;
		if (len + (size_t)r + 1 > alloc) {
			char *nb;

			if (alloc >= KMSG_BACKLOG_BYTES) {
				/* keep the newer half */
				const char *half = memchr(buf + len / 2, '\n',
							  len - len / 2);
				size_t drop = half ? (size_t)(half + 1 - buf)
						   : len;

				memmove(buf, buf + drop, len - drop);
				len -= drop;
			} else {
				nb = realloc(buf, alloc * 2);
				if (!nb) {
					free(buf);
					return -ENOMEM;
				}
				buf = nb;
				alloc *= 2;
			}
		}
		memcpy(buf + len, p->buf, (size_t)r);
		len += (size_t)r;
		if (buf[len - 1] != '\n')
			buf[len++] = '\n';
	}
	n = backlog_lines(s, ring, o, buf, len, 0);
	free(buf);
	return n;
}

#ifdef HAVE_SYSTEMD
/* One journal entry: MESSAGE (split at newlines), the entry's time, the
 * level from the message (logrus) or else PRIORITY. */
static long journal_entry(struct logsrc *s, struct logring *ring)
{
	struct lsrc *p = s->priv;
	enum log_level prio_level = LOG_LEVEL_UNKNOWN;
	const char *m, *end;
	const void *d;
	uint64_t t;
	size_t l;
	long n = 0;

	if (sd_journal_get_realtime_usec(p->j, &t) < 0)
		return 0;
	if (sd_journal_get_data(p->j, "PRIORITY", &d, &l) >= 0 && l == 10 &&
	    is_digit(((const char *)d)[9]))
		prio_level = log_level_from_syslog(((const char *)d)[9] - '0');
	if (sd_journal_get_data(p->j, "MESSAGE", &d, &l) < 0 || l < 8)
		return 0;
	m = (const char *)d + 8;
	end = (const char *)d + l;
	do {
		const char *nl = memchr(m, '\n', (size_t)(end - m));
		size_t len = nl ? (size_t)(nl - m) : (size_t)(end - m);
		enum log_level lvl;
		int64_t ignored;

		logline_parse(m, len, (int64_t)t, &ignored, &lvl);
		if (lvl == LOG_LEVEL_UNKNOWN)
			lvl = prio_level;
		if (len || !nl)
			n += emit(s, ring, (int64_t)t, lvl, m, len);
		m += len + 1;
	} while (m < end);
	return n;
}

/*
 * The journal's backlog: at most max_lines entries back from the end, and
 * none before since. Going back from the tail bounds the work by the cap,
 * however busy the window was.
 */
static long journal_load(struct logsrc *s, struct logring *ring,
			 const struct logsrc_options *o)
{
	struct lsrc *p = s->priv;
	uint64_t t;
	long n = 0;
	int r;

	r = sd_journal_seek_tail(p->j);
	if (r >= 0) {
		if (o->max_lines)
			r = sd_journal_previous_skip(p->j, o->max_lines);
		else
			r = 0;
	}
	if (r < 0)
		goto fail;
	if (r > 0 && (sd_journal_get_realtime_usec(p->j, &t) < 0 ||
		      (int64_t)t < o->since_us))
		r = 0;
	if (r == 0) {
		/* fewer than max_lines in the window (or no cap) */
		r = sd_journal_seek_realtime_usec(
			p->j, o->since_us > 0 ? (uint64_t)o->since_us : 0);
		if (r >= 0)
			r = sd_journal_next(p->j);
		if (r < 0)
			goto fail;
		if (r == 0)
			return 0;
	}
	for (;;) {
		if (sd_journal_get_realtime_usec(p->j, &t) >= 0 &&
		    (int64_t)t >= o->since_us)
			n += journal_entry(s, ring);
		r = sd_journal_next(p->j);
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
	}
	return n;
fail:
	s->err = r;
	snprintf(s->error, sizeof(s->error), "cannot read %.160s: %s", s->where,
		 strerror(-r));
	return n;
}

static long journal_follow(struct logsrc *s, struct logring *ring)
{
	struct lsrc *p = s->priv;
	long n = 0;
	int r;

	if (p->jfd >= 0)
		sd_journal_process(p->j);
	while ((r = sd_journal_next(p->j)) > 0)
		n += journal_entry(s, ring);
	if (r < 0) {
		s->err = r;
		snprintf(s->error, sizeof(s->error), "cannot read %.160s: %s",
			 s->where, strerror(-r));
	}
	return n;
}
#endif

/* A line that arrived while following (untimed: now). */
static long follow_line(struct logsrc *s, struct logring *ring,
			const char *line, size_t len)
{
	struct lsrc *p = s->priv;
	const char *msg;
	enum log_level l;
	size_t mlen;
	bool timed;
	int64_t t;

	if (!line_info(p, line, len, clock_us(CLOCK_REALTIME), &t, &l, &msg,
		       &mlen, &timed))
		return 0;
	return emit(s, ring, t, l, msg, mlen);
}

/* Split new bytes into lines, completing the partial one. */
static long feed(struct logsrc *s, struct logring *ring, const char *b,
		 size_t len)
{
	struct lsrc *p = s->priv;
	long n = 0;

	while (len) {
		const char *nl = memchr(b, '\n', len);
		size_t seg = nl ? (size_t)(nl - b) : len;

		if (p->skip_to_nl) {
			if (nl)
				p->skip_to_nl = false;
		} else if (nl && p->plen == 0) {
			n += follow_line(s, ring, b, seg);
		} else {
			partial_append(p, b, seg);
			if (nl) {
				n += follow_line(s, ring, p->partial, p->plen);
				p->plen = 0;
			}
		}
		if (!nl)
			break;
		b = nl + 1;
		len -= seg + 1;
	}
	return n;
}

/* Read what was appended since the last read. */
static long file_drain(struct logsrc *s, struct logring *ring)
{
	struct lsrc *p = s->priv;
	size_t budget = FOLLOW_MAX_BYTES;
	struct stat st;
	long n = 0;

	if (fstat(p->fd, &st) < 0)
		return 0;
	if (st.st_size < p->off) {
		/* truncated (logrotate's copytruncate): from the start */
		p->off = 0;
		p->plen = 0;
		p->skip_to_nl = false;
	}
	if (st.st_size - p->off > (off_t)FILE_TAIL_BYTES) {
		/* too far behind: the last FILE_TAIL_BYTES only */
		p->off = st.st_size - (off_t)FILE_TAIL_BYTES;
		p->plen = 0;
		p->skip_to_nl = true;
	}
	while (budget) {
		ssize_t r = pread(p->fd, p->buf,
				  budget < READ_CHUNK ? budget : READ_CHUNK,
				  p->off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		p->off += r;
		budget -= (size_t)r;
		n += feed(s, ring, p->buf, (size_t)r);
	}
	return n;
}

/* Follow a file: new lines, then a rotation (a new file under the name). */
static long file_follow(struct logsrc *s, struct logring *ring)
{
	struct lsrc *p = s->priv;
	struct stat st;
	long n = file_drain(s, ring);
	int fd;

	if (p->dirfd < 0 || fstatat(p->dirfd, p->base, &st, 0) < 0 ||
	    !S_ISREG(st.st_mode) ||
	    (st.st_dev == p->dev && st.st_ino == p->ino))
		return n;
	fd = openat(p->dirfd, p->base,
		    O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return n;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return n;
	}
	/* the old file ended: its last line is complete */
	if (p->plen && !p->skip_to_nl)
		n += follow_line(s, ring, p->partial, p->plen);
	close(p->fd);
	p->fd = fd;
	p->dev = st.st_dev;
	p->ino = st.st_ino;
	p->off = 0;
	p->plen = 0;
	p->skip_to_nl = false;
	return n + file_drain(s, ring);
}

/* New /dev/kmsg records. */
static long kmsg_follow(struct logsrc *s, struct logring *ring)
{
	struct lsrc *p = s->priv;
	long n = 0;

	/* again each time: the wall clock may have been stepped (NTP) */
	p->boot_us = clock_us(CLOCK_REALTIME) - clock_us(CLOCK_MONOTONIC);
	for (int i = 0; i < KMSG_FOLLOW_MAX; i++) {
		ssize_t r = read(p->fd, p->buf, KMSG_RECORD_MAX);
		const char *msg;
		enum log_level l;
		uint64_t seq;
		size_t mlen;
		int64_t t;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				s->lost++;
				continue;
			}
			if (errno != EAGAIN) {
				s->err = -errno;
				snprintf(s->error, sizeof(s->error),
					 "cannot read /dev/kmsg: %s",
					 strerror(errno));
			}
			break;
		}
		if (r == 0)
			break;
		if (kmsg_parse(p->buf, (size_t)r, p->boot_us, &t, &l, &msg,
			       &mlen, &seq) == 0)
			n += emit(s, ring, t, l, msg, mlen);
	}
	return n;
}

static unsigned source_weight(const char *name)
{
	if (strcmp(name, "dockerd") == 0)
		return 4;
	if (strcmp(name, "containerd") == 0 || strcmp(name, "kernel") == 0)
		return 2;
	return 1;
}

int logsrc_load(struct logsrc_set *set, struct logring *ring,
		const struct logsrc_options *o)
{
	/* every source first, so the budgets are final before reading */
	for (size_t i = 0; i < set->n; i++) {
		struct logsrc *s = &set->v[i];
		int r;

		s->ring_source = -1;
		if (s->err || !s->priv)
			continue;
		r = logring_add_source(ring, s->name, source_weight(s->name));
		if (r < 0) {
			s->err = r;
			snprintf(s->error, sizeof(s->error),
				 "%.160s not read: %s", s->where,
				 r == -ENOSPC ? "too many log sources"
					      : strerror(-r));
			continue;
		}
		s->ring_source = r;
	}
	for (size_t i = 0; i < set->n; i++) {
		struct logsrc *s = &set->v[i];
		struct lsrc *p = s->priv;
		long n = 0;

		if (s->err || s->ring_source < 0)
			continue;
		if (s->kind == LOGSRC_JOURNAL) {
#ifdef HAVE_SYSTEMD
			n = journal_load(s, ring, o);
#endif
		} else if (p->kmsg_dev) {
			n = kmsg_load(s, ring, o);
		} else {
			n = file_load(s, ring, o);
		}
		if (n < 0)
			return (int)n;
	}
	return 0;
}

long logsrc_follow(struct logsrc_set *set, struct logring *ring)
{
	long n = 0;

	for (size_t i = 0; i < set->n; i++) {
		struct logsrc *s = &set->v[i];
		struct lsrc *p = s->priv;

		if (s->err || s->ring_source < 0 || !p)
			continue;
		if (s->kind == LOGSRC_JOURNAL) {
#ifdef HAVE_SYSTEMD
			n += journal_follow(s, ring);
#endif
		} else if (p->kmsg_dev) {
			n += kmsg_follow(s, ring);
		} else {
			n += file_follow(s, ring);
		}
	}
	return n;
}

size_t logsrc_poll_fds(const struct logsrc_set *set, int *fds, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n && n < max; i++) {
		const struct logsrc *s = &set->v[i];
		const struct lsrc *p = s->priv;

		if (s->err || !p)
			continue;
		if (p->kmsg_dev && p->fd >= 0)
			fds[n++] = p->fd;
#ifdef HAVE_SYSTEMD
		if (s->kind == LOGSRC_JOURNAL && p->jfd >= 0)
			fds[n++] = p->jfd;
#endif
	}
	return n;
}
