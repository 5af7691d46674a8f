// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parsing for the log sources, no reading: the time and level of a log
 * line (logline_parse) and the fields of a /dev/kmsg record (kmsg_parse),
 * see logsrc.h, and the --log-source specs (lsrc_spec_parse).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log/logsrc-private.h"
#include "core/util.h"

/* ---- time and level parsing ----------------------------------------- */

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
	       size_t *ret_msg_len, uint64_t *ret_seq, bool *ret_user)
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
	if (ret_user)
		*ret_user = (prio >> 3) != 0;
	return 0;
}

/* ---- --log-source specs ------------------------------------------------ */

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

/* The specs that are one word. */
static const struct {
	const char *word;
	enum spec_kind kind;
} spec_words[] = {
	{ "auto", SPEC_AUTO },	     { "none", SPEC_NONE },
	{ "kmsg", SPEC_KMSG },	     { "fd", SPEC_FD },
	{ "journal", SPEC_JOURNAL },
};

/* Parse a spec; false with a message in err. */
bool lsrc_spec_parse(const char *s, struct spec *sp, char *err, size_t errlen)
{
	const char *arg, *eq;
	size_t alen;

	memset(sp, 0, sizeof(*sp));
	for (size_t i = 0; i < ARRAY_SIZE(spec_words); i++) {
		if (strcmp(s, spec_words[i].word) == 0) {
			sp->kind = spec_words[i].kind;
			return true;
		}
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
