/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the log ring (its level words) and the redaction (its secret key
 * names) share; not an API.
 */
#ifndef DD_LOGRING_PRIVATE_H
#define DD_LOGRING_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

/* c in lower case (ASCII). */
static inline unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Case-insensitive comparison of s[0..n) with a lowercase word. */
static inline bool eq_word(const char *s, size_t n, const char *word,
			   size_t wlen)
{
	if (n != wlen)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != (unsigned char)word[i])
			return false;
	return true;
}

#endif
