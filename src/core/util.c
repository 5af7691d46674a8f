// SPDX-License-Identifier: GPL-2.0-or-later
/* Small helpers shared by the core and the checks. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* Free a string vector. */
void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

/* Length of a string vector. */
size_t strv_length(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* Append a copy of s. */
int strv_push(char ***v, const char *s)
{
	size_t n = strv_length(*v);
	char **nv;
	char *copy = strdup(s);

	if (!copy)
		return -ENOMEM;
	nv = reallocarray(*v, n + 2, sizeof(*nv));
	if (!nv) {
		free(copy);
		return -ENOMEM;
	}
	nv[n] = copy;
	nv[n + 1] = NULL;
	*v = nv;
	return 0;
}

/* Membership test. */
bool strv_contains(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Parse a bounded decimal integer. */
int parse_int(const char *s, long min, long max, long *ret)
{
	char *end = NULL;
	long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end)
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

/*
 * Parse the "W" or "W.F" at the start of s (digits only: no sign, no
 * exponent): the whole part, at most max, and the fraction in units of
 * 1/denom (digits beyond that precision are dropped). *ret_end is where the
 * number stops. 0, -EINVAL or -ERANGE.
 */
static int parse_decimal(const char *s, long long max, long long denom,
			 long long *ret_whole, long long *ret_frac,
			 const char **ret_end)
{
	long long whole = 0, frac = 0, scale = denom;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > max)
			return -ERANGE;
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++) {
			scale /= 10;
			frac += (*p - '0') * scale;
		}
	}
	*ret_whole = whole;
	*ret_frac = frac;
	*ret_end = p;
	return 0;
}

/* Parse "S" or "S.FFF" seconds into milliseconds (no exponents, no sign). */
int parse_seconds_ms(const char *s, long *ret_ms)
{
	long long whole, frac;
	const char *p;
	int r;

	/* thousandths of a second */
	r = parse_decimal(s, 86400, 1000, &whole, &frac, &p);
	if (r < 0)
		return r;
	if (*p == 's')
		p++;
	if (*p)
		return -EINVAL;
	*ret_ms = (long)(whole * 1000 + frac);
	return 0;
}

/* A clock in microseconds. */
int64_t clock_us(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts))
		return 0;
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* RFC 3339 UTC, with microseconds when frac. */
void format_time_us(int64_t us, bool frac, char *buf, size_t size)
{
	time_t sec = (time_t)(us / 1000000);
	long rest = (long)(us % 1000000);
	struct tm tm;
	size_t n;

	if (rest < 0) {
		rest += 1000000;
		sec--;
	}
	if (!gmtime_r(&sec, &tm) ||
	    (n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm)) == 0) {
		snprintf(buf, size, "%lld", (long long)us);
		return;
	}
	if (frac)
		snprintf(buf + n, size - n, ".%06ldZ", rest);
	else
		snprintf(buf + n, size - n, "Z");
}

/* "90", "90s", "1.5s", "250ms", "5m", "2h", "7d" into milliseconds. */
int parse_duration_ms(const char *s, long long max_ms, long long *ret_ms)
{
	static const struct {
		const char *suffix;
		long long ms;
	} units[] = { { "ms", 1 },	    { "s", 1000 },
		      { "", 1000 },	    { "m", 60 * 1000 },
		      { "h", 3600 * 1000 }, { "d", 86400 * 1000 } };
	long long whole, frac;
	const char *p;
	int r;

	/* millionths of the unit */
	r = parse_decimal(s, 100000000LL, 1000000, &whole, &frac, &p);
	if (r < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		long long v;

		if (strcmp(p, units[i].suffix) != 0)
			continue;
		v = whole * units[i].ms + frac * units[i].ms / 1000000;
		if (v > max_ms)
			return -ERANGE;
		*ret_ms = v;
		return 0;
	}
	return -EINVAL;
}

/* Monotonic clock in seconds. */
double now_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Bounded string copy that always terminates. */
size_t strscpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size == 0)
		return 0;
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}

/* Prefix test. */
bool startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Mask "user:pass@" after every "://" in s. */
char *mask_credentials(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(len * 4 + 16),
	     *o = out; /* ":://@" grows to 15 bytes */
	const char *p = s;

	if (!out)
		return NULL;
	while (*p) {
		const char *sep = strstr(p, "://");
		const char *at, *end;

		if (!sep)
			break;
		sep += 3;
		memcpy(o, p, sep - p);
		o += sep - p;
		end = sep + strcspn(sep, "/ \t\n\"',;");
		at = memchr(sep, '@', end - sep);
		if (at) {
			memcpy(o, "xxxxx:xxxxx", 11);
			o += 11;
			sep = at;
		}
		p = sep;
	}
	strcpy(o, p);
	return out;
}

/* Join with spaces, masked, cut at max bytes (with "..."). */
char *strv_join_masked(char *const *v, size_t max)
{
	size_t len = 1, n;
	char *joined, *masked, *o;

	for (size_t i = 0; v && v[i]; i++)
		len += strlen(v[i]) + 1;
	joined = malloc(len);
	if (!joined)
		return NULL;
	o = joined;
	*o = '\0';
	for (size_t i = 0; v && v[i]; i++) {
		n = strlen(v[i]);
		if (i)
			*o++ = ' ';
		memcpy(o, v[i], n);
		o += n;
		*o = '\0';
	}
	masked = mask_credentials(joined);
	free(joined);
	if (masked && strlen(masked) > max && max > 3)
		strcpy(masked + max - 3, "...");
	return masked;
}
