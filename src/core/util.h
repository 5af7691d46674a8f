/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers: string vectors, number parsing, time. None of them print. */
#ifndef DD_UTIL_H
#define DD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Free a NULL-terminated string vector; accepts NULL. */
void strv_free(char **v);

/* Number of strings in a NULL-terminated vector (0 for NULL). */
size_t strv_length(char *const *v);

/* Append a copy of s to *v (NULL-terminated, may start NULL). 0 or -ENOMEM. */
int strv_push(char ***v, const char *s);

/* True when v contains s. */
bool strv_contains(char *const *v, const char *s);

/* Parse a whole decimal int in [min, max]. 0 or -EINVAL/-ERANGE. */
int parse_int(const char *s, long min, long max, long *ret);

/* Parse seconds with an optional fraction ("3", "0.5") into milliseconds. */
int parse_seconds_ms(const char *s, long *ret_ms);

/*
 * Parse a duration: a number with an optional fraction and unit (ms, s,
 * m, h, d; none means seconds). 0, -EINVAL, or -ERANGE above max_ms.
 */
int parse_duration_ms(const char *s, long long max_ms, long long *ret_ms);

/* A clock in microseconds (CLOCK_REALTIME: since the epoch); 0 on error. */
int64_t clock_us(clockid_t id);

/*
 * Microseconds since the epoch as RFC 3339 UTC: "2026-11-24T22:01:02Z", or
 * with frac "2026-11-24T22:01:02.123456Z". A time gmtime() cannot show is
 * written as the number.
 */
void format_time_us(int64_t us, bool frac, char *buf, size_t size);

/* Monotonic time in seconds. */
double now_monotonic(void);

/* Copy src into a fixed buffer, always terminated; returns strlen(dst). */
size_t strscpy(char *dst, const char *src, size_t size);

/* True when s starts with prefix. */
bool startswith(const char *s, const char *prefix);

/*
 * Copy s with the credentials of every "scheme://user:pass@" masked as
 * "xxxxx:xxxxx" (as dockerd masks proxy URLs). NULL on ENOMEM.
 */
char *mask_credentials(const char *s);

/* Join a string vector with spaces into a new string, masking credentials. */
char *strv_join_masked(char *const *v, size_t max);

#endif
