/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Redaction of secrets in log lines: credentials in URLs, Authorization
 * headers, registry tokens, passwords. The log ring redacts every line
 * before it stores it (logring.h), so no secret is held in memory longer
 * than the read buffer. One pass over the line, no allocation.
 */
#ifndef DD_REDACT_H
#define DD_REDACT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Redact secrets in a line into out (size >= len + 1, not overlapping in;
 * never longer than the input: each secret value becomes "***", or as many
 * '*' as it has characters when shorter; NUL-terminated). Returns the new
 * length; *ret_changed (may be NULL) tells whether anything was masked.
 * Masks: "scheme://user:password@" (the password), "Authorization: Basic
 * X" and "Bearer X" (X), "X-Registry-Auth: X", JSON/logfmt values of keys
 * named password, passwd, secret, token, access_token, refresh_token,
 * identitytoken, registrytoken, auth (case-insensitive; "key":"value",
 * key=value, key="value"), and "?...token=X" / "&password=X" in URLs.
 */
size_t logring_redact(const char *in, size_t len, char *out, bool *ret_changed);

/*
 * Redact in[0, len) into out, writing at most cap bytes there (no NUL).
 * Returns the length of the whole redacted line (which may exceed cap);
 * when nothing was masked, out is left untouched and the result is len.
 * *changed tells whether anything was masked.
 */
size_t redact_line(const char *in, size_t len, char *out, size_t cap,
		   bool *changed);

#endif
