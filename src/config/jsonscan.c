// SPDX-License-Identifier: GPL-2.0-or-later
/* A strict JSON scanner: errors with positions, duplicate keys. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/jsonscan.h"

struct keyset {
	char **keys;
	size_t n, alloc;
};

struct scan {
	const char *buf;
	size_t len, pos;
	int depth;
	bool failed;
	struct jsonscan_result *res;
	char path[256];
};

static void fail(struct scan *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Record the first error at the current position. */
static void fail(struct scan *s, const char *fmt, ...)
{
	va_list ap;

	if (s->failed)
		return;
	s->failed = true;
	va_start(ap, fmt);
	vsnprintf(s->res->error, sizeof(s->res->error), fmt, ap);
	va_end(ap);
	s->res->err_offset = s->pos;
}

/* A printable description of the byte at the current position. */
static const char *here(struct scan *s, char *tmp, size_t size)
{
	unsigned char c;

	if (s->pos >= s->len)
		return "the end of the file";
	c = (unsigned char)s->buf[s->pos];
	if (c >= 0x20 && c < 0x7f)
		snprintf(tmp, size, "'%c'", c);
	else
		snprintf(tmp, size, "byte 0x%02x", c);
	return tmp;
}

static void skip_ws(struct scan *s)
{
	while (s->pos < s->len && strchr(" \t\r\n", s->buf[s->pos]) &&
	       s->buf[s->pos])
		s->pos++;
}

static bool literal(struct scan *s, const char *word)
{
	size_t n = strlen(word);

	if (s->len - s->pos < n || memcmp(s->buf + s->pos, word, n) != 0)
		return false;
	s->pos += n;
	return true;
}

/* A string; its decoded-enough text (escapes kept) into key when wanted. */
static void scan_string(struct scan *s, char *key, size_t keysize)
{
	size_t k = 0;
	char tmp[32];

	s->pos++; /* the opening quote */
	for (;;) {
		unsigned char c;

		if (s->pos >= s->len) {
			fail(s, "unterminated string (%s)", "missing '\"'");
			return;
		}
		c = (unsigned char)s->buf[s->pos];
		if (c == '"')
			break;
		if (c < 0x20) {
			fail(s,
			     "control character %s in a string (use \\n, \\t...)",
			     here(s, tmp, sizeof(tmp)));
			return;
		}
		if (c == '\\') {
			char e;

			if (++s->pos >= s->len) {
				fail(s, "unterminated string (%s)",
				     "missing '\"'");
				return;
			}
			e = s->buf[s->pos];
			if (e == 'u') {
				for (int i = 1; i <= 4; i++) {
					char h = s->pos + i < s->len
							 ? s->buf[s->pos + i]
							 : 0;

					if (!strchr("0123456789abcdefABCDEF",
						    h) ||
					    !h) {
						s->pos += i;
						fail(s,
						     "invalid \\u escape in a string%s",
						     "");
						return;
					}
				}
				s->pos += 4;
			} else if (!strchr("\"\\/bfnrt", e) || !e) {
				fail(s, "invalid escape '\\%s' in a string",
				     (char[2]){ e >= 0x20 && e < 0x7f ? e : '?',
						0 });
				return;
			}
			if (key && k + 2 < keysize) {
				key[k++] = '\\';
				key[k++] = e;
			}
			s->pos++;
			continue;
		}
		if (key && k + 1 < keysize)
			key[k++] = (char)c;
		s->pos++;
	}
	if (key)
		key[k] = '\0';
	s->pos++; /* the closing quote */
}

/* Skip one or more digits; none fails with "invalid number: ... where". */
static bool scan_digits(struct scan *s, const char *where)
{
	char tmp[32];

	if (s->pos >= s->len || s->buf[s->pos] < '0' || s->buf[s->pos] > '9') {
		fail(s, "invalid number: %s %s", here(s, tmp, sizeof(tmp)),
		     where);
		return false;
	}
	while (s->pos < s->len && s->buf[s->pos] >= '0' &&
	       s->buf[s->pos] <= '9')
		s->pos++;
	return true;
}

static void scan_number(struct scan *s)
{
	size_t start = s->pos;

	if (s->buf[s->pos] == '-')
		s->pos++;
	if (s->pos < s->len && s->buf[s->pos] == '0')
		s->pos++;
	else if (!scan_digits(s, "after '-'"))
		return;
	if (s->pos < s->len && s->buf[s->pos] == '.') {
		s->pos++;
		if (!scan_digits(s, "after '.'"))
			return;
	}
	if (s->pos < s->len &&
	    (s->buf[s->pos] == 'e' || s->buf[s->pos] == 'E')) {
		s->pos++;
		if (s->pos < s->len && strchr("+-", s->buf[s->pos]) &&
		    s->buf[s->pos])
			s->pos++;
		if (!scan_digits(s, "in the exponent"))
			return;
	}
	(void)start;
}

static void scan_value(struct scan *s);

/* Remember a key of the current object; report it when seen before. */
static void note_key(struct scan *s, struct keyset *ks, const char *key,
		     size_t key_offset)
{
	struct jsonscan_result *r = s->res;

	for (size_t i = 0; i < ks->n; i++) {
		if (strcmp(ks->keys[i], key) != 0)
			continue;
		if (r->n_dups < JSONSCAN_MAX_DUPS) {
			struct jsonscan_dup *d = &r->dups[r->n_dups];

			snprintf(d->key, sizeof(d->key), "%s", key);
			snprintf(d->path, sizeof(d->path), "%s", s->path);
			jsonscan_position(s->buf, s->len, key_offset, &d->line,
					  &d->col);
		}
		r->n_dups++;
		return;
	}
	if (ks->n == ks->alloc) {
		size_t na = ks->alloc ? ks->alloc * 2 : 8;
		char **nk = reallocarray(ks->keys, na, sizeof(*nk));

		if (!nk)
			return; /* duplicates past this point go unnoticed */
		ks->keys = nk;
		ks->alloc = na;
	}
	ks->keys[ks->n] = strdup(key);
	if (ks->keys[ks->n])
		ks->n++;
}

static void scan_object(struct scan *s)
{
	struct keyset ks = { 0 };
	size_t pathlen = strlen(s->path);
	char tmp[32];

	s->pos++; /* '{' */
	skip_ws(s);
	if (s->pos < s->len && s->buf[s->pos] == '}') {
		s->pos++;
		goto out;
	}
	for (;;) {
		char key[128];
		size_t key_offset;

		skip_ws(s);
		if (s->pos >= s->len || s->buf[s->pos] != '"') {
			if (s->pos < s->len && s->buf[s->pos] == '}')
				fail(s, "trailing comma before %s",
				     here(s, tmp, sizeof(tmp)));
			else
				fail(s,
				     "expected a key in double quotes, found %s",
				     here(s, tmp, sizeof(tmp)));
			goto out;
		}
		key_offset = s->pos;
		scan_string(s, key, sizeof(key));
		if (s->failed)
			goto out;
		note_key(s, &ks, key, key_offset);
		skip_ws(s);
		if (s->pos >= s->len || s->buf[s->pos] != ':') {
			fail(s, "expected ':' after the key, found %s",
			     here(s, tmp, sizeof(tmp)));
			goto out;
		}
		s->pos++;
		if (s->depth == 1)
			snprintf(s->path + pathlen, sizeof(s->path) - pathlen,
				 "/%s", key);
		scan_value(s);
		s->path[pathlen] = '\0';
		if (s->failed)
			goto out;
		skip_ws(s);
		if (s->pos < s->len && s->buf[s->pos] == ',') {
			s->pos++;
			continue;
		}
		if (s->pos < s->len && s->buf[s->pos] == '}') {
			s->pos++;
			goto out;
		}
		fail(s, "expected ',' or '}' after a value, found %s",
		     here(s, tmp, sizeof(tmp)));
		goto out;
	}
out:
	for (size_t i = 0; i < ks.n; i++)
		free(ks.keys[i]);
	free(ks.keys);
}

static void scan_array(struct scan *s)
{
	char tmp[32];

	s->pos++; /* '[' */
	skip_ws(s);
	if (s->pos < s->len && s->buf[s->pos] == ']') {
		s->pos++;
		return;
	}
	for (;;) {
		skip_ws(s);
		if (s->pos < s->len && s->buf[s->pos] == ']') {
			fail(s, "trailing comma before %s", "']'");
			return;
		}
		scan_value(s);
		if (s->failed)
			return;
		skip_ws(s);
		if (s->pos < s->len && s->buf[s->pos] == ',') {
			s->pos++;
			continue;
		}
		if (s->pos < s->len && s->buf[s->pos] == ']') {
			s->pos++;
			return;
		}
		fail(s, "expected ',' or ']' after a value, found %s",
		     here(s, tmp, sizeof(tmp)));
		return;
	}
}

/* One value, whatever it is. */
static void scan_value(struct scan *s)
{
	char tmp[32];
	char c;

	skip_ws(s);
	if (s->pos >= s->len) {
		fail(s, "unexpected end of file: %s", "a value is missing");
		return;
	}
	if (++s->depth > JSONSCAN_MAX_DEPTH) {
		fail(s, "nested deeper than %s levels", "1000");
		return;
	}
	c = s->buf[s->pos];
	if (c == '{')
		scan_object(s);
	else if (c == '[')
		scan_array(s);
	else if (c == '"')
		scan_string(s, NULL, 0);
	else if (c == '-' || (c >= '0' && c <= '9'))
		scan_number(s);
	else if (literal(s, "true") || literal(s, "false") ||
		 literal(s, "null"))
		;
	else if (c == '\'')
		fail(s,
		     "single quotes are not JSON: use double quotes (found %s)",
		     here(s, tmp, sizeof(tmp)));
	else if (c == '/')
		fail(s, "comments are not allowed in JSON (found %s)",
		     here(s, tmp, sizeof(tmp)));
	else
		fail(s, "expected a value, found %s",
		     here(s, tmp, sizeof(tmp)));
	s->depth--;
}

/* Line and column of an offset. */
void jsonscan_position(const char *buf, size_t len, size_t offset, int *line,
		       int *col)
{
	int l = 1, c = 1;

	for (size_t i = 0; i < offset && i < len; i++) {
		if (buf[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* Scan a whole buffer. */
void jsonscan(const char *buf, size_t len, struct jsonscan_result *ret)
{
	struct scan s = { .buf = buf, .len = len, .res = ret };
	char c;

	memset(ret, 0, sizeof(*ret));
	skip_ws(&s);
	c = s.pos < len ? buf[s.pos] : 0;
	ret->top = c == '{' || c == '[' || c == '"' ? c
		   : c == 't' || c == 'f'	    ? 't'
		   : c == 'n'			    ? 'l'
						    : 'n';
	scan_value(&s);
	if (!s.failed) {
		ret->ok = true;
		ret->end = s.pos;
		skip_ws(&s);
		if (s.pos < len) {
			ret->trailing = true;
			jsonscan_position(buf, len, s.pos, &ret->trailing_line,
					  &ret->trailing_col);
		}
		return;
	}
	jsonscan_position(buf, len, ret->err_offset, &ret->line, &ret->col);
}
