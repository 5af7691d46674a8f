/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the renderers (private to src/render*.c and their
 * unit test). Nothing here prints except render_finish(), which only
 * flushes the stream it is given.
 */
#ifndef DD_RENDER_UTIL_H
#define DD_RENDER_UTIL_H

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/report.h"
#include "core/util.h"

/* Room for "YYYY-MM-DDTHH:MM:SSZ" and for any render_seconds() result. */
#define RENDER_BUF_MAX 48

/*
 * Copy s into a new string in which every byte that is not part of a
 * valid UTF-8 sequence (bad lead byte, truncated sequence, overlong form,
 * surrogate, beyond U+10FFFF) is replaced by U+FFFD, one per byte; valid
 * sequences are kept as they are. Returns 0 and *ret (free() it), or
 * -ENOMEM with *ret untouched.
 */
int render_utf8_sanitize(const char *s, char **ret);

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes available),
 * 1 to 4, with its code point in *ret_cp; 0 when s[0] does not start a
 * valid sequence.
 */
static inline size_t render_utf8_len(const unsigned char *s, size_t n,
				     uint32_t *ret_cp)
{
	uint32_t cp, min;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*ret_cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2, cp = s[0] & 0x1f, min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3, cp = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4, cp = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*ret_cp = cp;
	return len;
}

/* Format ts as UTC "YYYY-MM-DDTHH:MM:SSZ" into buf (RENDER_BUF_MAX). */
static inline void render_iso8601(const struct timespec *ts, char *buf)
{
	struct tm tm;

	if (!gmtime_r(&ts->tv_sec, &tm) ||
	    strftime(buf, RENDER_BUF_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(buf, "1970-01-01T00:00:00Z");
}

/*
 * Format seconds d with the given number of decimals (0 to 9) into buf
 * (RENDER_BUF_MAX), without the locale's decimal point. With trim,
 * trailing zeros and a bare point are dropped. Negative, huge and
 * non-finite values are shown as 0: a duration cannot be any of those.
 */
/* Microseconds since the epoch as "2026-11-24T22:01:02.123456Z". */
static inline void render_time_us(int64_t us, char *buf)
{
	format_time_us(us, true, buf, RENDER_BUF_MAX);
}

static inline void render_seconds(char *buf, double d, int decimals, bool trim)
{
	long long scale = 1, total, ip, fp;
	size_t len;

	for (int i = 0; i < decimals; i++)
		scale *= 10;
	if (!isfinite(d) || d < 0 || d > 1e9)
		d = 0;
	total = llround(d * (double)scale);
	ip = total / scale;
	fp = total % scale;
	if (decimals == 0) {
		snprintf(buf, RENDER_BUF_MAX, "%lld", ip);
		return;
	}
	snprintf(buf, RENDER_BUF_MAX, "%lld.%0*lld", ip, decimals, fp);
	if (!trim)
		return;
	len = strlen(buf);
	while (buf[len - 1] == '0')
		buf[--len] = '\0';
	if (buf[len - 1] == '.')
		buf[--len] = '\0';
}

/* True when finding i is the first one of its check in report order. */
static inline bool render_check_is_first(const struct report *r, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(r->findings[j].check, r->findings[i].check) == 0)
			return false;
	return true;
}

/* Worst severity among the findings of the check of finding i. */
static inline enum severity render_check_worst(const struct report *r, size_t i)
{
	enum severity worst = r->findings[i].severity;

	for (size_t j = 0; j < r->n_findings; j++)
		if (r->findings[j].severity > worst &&
		    strcmp(r->findings[j].check, r->findings[i].check) == 0)
			worst = r->findings[j].severity;
	return worst;
}

/* Number of distinct check ids in the report. */
static inline size_t render_check_count(const struct report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_findings; i++)
		n += render_check_is_first(r, i);
	return n;
}

/* Flush out; -EIO when it or any earlier write failed. */
static inline int render_finish(FILE *out)
{
	if (fflush(out) != 0 || ferror(out))
		return -EIO;
	return 0;
}

#endif
