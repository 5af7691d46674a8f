/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A strict JSON (RFC 8259) scanner for configuration files: it does not
 * build values (json-c does that afterwards), it finds what a person needs
 * to fix: the first syntax error with its line, column and a description,
 * and every duplicate key with its position (dockerd, like Go's
 * encoding/json, silently keeps the last one). Nesting deeper than
 * JSONSCAN_MAX_DEPTH is an error, so hostile input cannot exhaust the
 * stack. Bytes are not required to be valid UTF-8 (Go replaces bad bytes).
 */
#ifndef DD_JSONSCAN_H
#define DD_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>

#define JSONSCAN_MAX_DEPTH 1000
#define JSONSCAN_MAX_DUPS 32

struct jsonscan_dup {
	char key[128]; /* the key, cut if longer */
	char path[256]; /* "/log-opts" for a key inside log-opts */
	int line, col; /* of the second occurrence */
};

struct jsonscan_result {
	bool ok; /* the first value parsed */
	char top; /* '{', '[', '"', 'n' (number), 't', 'f', 'l' (null) */
	size_t end; /* offset just after the first value */
	bool trailing; /* non-space bytes follow the first value */
	int trailing_line, trailing_col;
	char error[160]; /* the syntax error, when !ok */
	size_t err_offset;
	int line, col; /* of the error (1-based; col counts bytes) */
	struct jsonscan_dup dups[JSONSCAN_MAX_DUPS];
	size_t n_dups; /* may exceed JSONSCAN_MAX_DUPS: count only */
};

/* Scan buf[0..len). Never fails; the outcome is in *ret. */
void jsonscan(const char *buf, size_t len, struct jsonscan_result *ret);

/* Line and column (1-based) of an offset. */
void jsonscan_position(const char *buf, size_t len, size_t offset, int *line,
		       int *col);

#endif
