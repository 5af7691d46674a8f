// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Redaction of secrets in log lines (see redact.h): the log ring masks
 * them in every line before it stores it.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "log/redact.h"
#include "log/logring-private.h"

/*
 * One pass, no allocation. The scanner stops only where a secret can
 * start (next_trigger(), 16 bytes at a time): a '=' after the last letter
 * of a secret key name (logfmt, URL queries), a ':' after one or after a
 * '"' (header names, JSON keys) or before "//" (URLs), a ' ' after an 'r'
 * ("Bearer"). There it looks back at the key that ends there, rejected by
 * its last two letters before any comparison. Nothing is copied until the
 * first secret is found; the caller copies a clean line as it is.
 */

enum key_kind {
	KEY_NONE,
	KEY_VALUE, /* mask the value */
	KEY_AUTHZ, /* "[Basic|Bearer|Token] X": mask X */
	KEY_TOKEN, /* X-Registry-Auth: mask the token that follows */
};

/* how the key was written, which decides where its value ends */
enum key_form {
	FORM_JSON, /* "key": "value" */
	FORM_JSON_ESC, /* \"key\":\"value\" (JSON quoted inside a logfmt value) */
	FORM_LOGFMT, /* key=value, key="value" */
	FORM_QUERY, /* ?key=value&... */
	FORM_HEADER, /* Key: value */
};

#define KEY_MAX 48

static const struct {
	const char *name;
	unsigned char len;
	unsigned char kind;
	bool suffix; /* also matches "xxx_NAME", "xxx-NAME", "xxx.NAME" */
} secret_keys[] = {
	{ "password", 8, KEY_VALUE, true },
	{ "passwd", 6, KEY_VALUE, true },
	{ "secret", 6, KEY_VALUE, true },
	{ "token", 5, KEY_VALUE, true },
	{ "access_token", 12, KEY_VALUE, false },
	{ "refresh_token", 13, KEY_VALUE, false },
	{ "identitytoken", 13, KEY_VALUE, false },
	{ "registrytoken", 13, KEY_VALUE, false },
	{ "auth", 4, KEY_VALUE, false },
	{ "authorization", 13, KEY_AUTHZ, true },
	{ "x-registry-auth", 15, KEY_TOKEN, false },
	{ "x-registry-config", 17, KEY_TOKEN, false },
};

/* Last letters of the names above: anything else is rejected at once. */
static const bool key_last[256] = {
	['d'] = true, ['D'] = true, ['t'] = true, ['T'] = true, ['n'] = true,
	['N'] = true, ['h'] = true, ['H'] = true, ['g'] = true, ['G'] = true,
};

static enum key_kind key_kind(const char *k, size_t n)
{
	unsigned last2;

	if (n < 4 || n > KEY_MAX || !key_last[(unsigned char)k[n - 1]])
		return KEY_NONE;
	/* the last two letters of every name above */
	last2 = (unsigned)lower((unsigned char)k[n - 2]) << 8 |
		lower((unsigned char)k[n - 1]);
	switch (last2) {
	case 'r' << 8 | 'd': /* password */
	case 'w' << 8 | 'd': /* passwd */
	case 'e' << 8 | 't': /* secret */
	case 'e' << 8 | 'n': /* token */
	case 'o' << 8 | 'n': /* authorization */
	case 't' << 8 | 'h': /* auth */
	case 'i' << 8 | 'g': /* x-registry-config */
		break;
	default:
		return KEY_NONE;
	}
	for (size_t i = 0; i < sizeof(secret_keys) / sizeof(secret_keys[0]);
	     i++) {
		size_t l = secret_keys[i].len;

		if (n == l && eq_word(k, n, secret_keys[i].name, l))
			return secret_keys[i].kind;
		if (secret_keys[i].suffix && n > l + 1 &&
		    (k[n - l - 1] == '_' || k[n - l - 1] == '-' ||
		     k[n - l - 1] == '.') &&
		    eq_word(k + n - l, l, secret_keys[i].name, l))
			return secret_keys[i].kind;
	}
	return KEY_NONE;
}

static inline bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static inline bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static inline bool is_key_char(unsigned char c)
{
	return is_alnum(c) || c == '_' || c == '-' || c == '.';
}

/* RFC 6750 b64token characters (without the trailing '='s) */
static inline bool is_token_char(unsigned char c)
{
	return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
	       c == '+' || c == '/';
}

struct redactor {
	const char *in;
	size_t len;
	char *out;
	size_t cap; /* bytes of out that may be written */
	size_t o; /* output length so far, as if out had no end */
	size_t copied; /* input before this is accounted for in o */
	bool changed;
};

static void put(struct redactor *r, const char *s, size_t n)
{
	if (r->o < r->cap)
		memcpy(r->out + r->o, s, r->cap - r->o < n ? r->cap - r->o : n);
	r->o += n;
}

/* Replace in[vs, ve) by "***" (or fewer stars when shorter). */
static void mask(struct redactor *r, size_t vs, size_t ve)
{
	static const char stars[] = "***";
	size_t n = ve - vs;

	if (ve <= vs)
		return;
	if (!r->changed) {
		/* first secret: the text so far was not copied yet */
		r->changed = true;
		r->o = 0;
		r->copied = 0;
	}
	put(r, r->in + r->copied, vs - r->copied);
	put(r, stars, n < 3 ? n : 3);
	r->copied = ve;
}

/* End of a quoted string whose opening quote is before p. */
static size_t quoted_end(const struct redactor *r, size_t p, bool escaped)
{
	const char *in = r->in;

	for (; p < r->len; p++) {
		if (escaped) {
			if (in[p] == '\\' && p + 1 < r->len && in[p + 1] == '"')
				return p;
		} else if (in[p] == '\\') {
			p++;
		} else if (in[p] == '"') {
			return p;
		}
	}
	return r->len;
}

/* End of a bare value from p. */
static size_t bare_end(const struct redactor *r, size_t p, enum key_form form)
{
	const char *in = r->in;

	for (; p < r->len; p++) {
		unsigned char c = in[p];

		if (is_space(c) || c == '"')
			break;
		if (form == FORM_QUERY && (c == '&' || c == '#' || c == '\'' ||
					   c == '<' || c == '>' || c == '\\'))
			break;
		if (form == FORM_HEADER &&
		    (c == ']' || c == ',' || c == ';' || c == '\\'))
			break;
	}
	return p;
}

/* The run of b64token characters (and trailing '='s) from p. */
static size_t token_end(const struct redactor *r, size_t p)
{
	while (p < r->len && is_token_char((unsigned char)r->in[p]))
		p++;
	while (p < r->len && r->in[p] == '=')
		p++;
	return p;
}

/*
 * In [p, e): an auth scheme word and the credential after it. Masks the
 * credential and returns where it ends; p when there is no scheme.
 */
static size_t mask_authz(struct redactor *r, size_t p, size_t e)
{
	const char *in = r->in;
	size_t w = p, c;

	while (w < e && ((in[w] | 0x20) >= 'a' && (in[w] | 0x20) <= 'z'))
		w++;
	if (w == e || in[w] != ' ' ||
	    !(eq_word(in + p, w - p, "basic", 5) ||
	      eq_word(in + p, w - p, "bearer", 6) ||
	      eq_word(in + p, w - p, "token", 5)))
		return p;
	while (w < e && in[w] == ' ')
		w++;
	c = w;
	while (c < e && !is_space((unsigned char)in[c]) && in[c] != '"' &&
	       in[c] != '\\' && in[c] != ']' && in[c] != ',' && in[c] != ';' &&
	       in[c] != '\'')
		c++;
	mask(r, w, c);
	return c;
}

/* Mask the value of a secret key whose separator ends at p. */
static size_t mask_value(struct redactor *r, size_t p, enum key_kind kind,
			 enum key_form form)
{
	const char *in = r->in;
	size_t len = r->len, e;
	bool quoted = false, escaped = false;

	if (form == FORM_JSON || form == FORM_JSON_ESC || form == FORM_HEADER) {
		while (p < len && in[p] == ' ')
			p++;
		if (p < len && in[p] == '[')
			p++;
	}
	if (form == FORM_JSON_ESC || form == FORM_LOGFMT ||
	    form == FORM_HEADER || form == FORM_JSON) {
		if (p + 1 < len && in[p] == '\\' && in[p + 1] == '"') {
			p += 2;
			quoted = escaped = true;
		} else if (p < len && in[p] == '"') {
			p++;
			quoted = true;
		}
	}
	if ((form == FORM_JSON || form == FORM_JSON_ESC) && !quoted)
		return p; /* numbers, null, objects: not a secret string */
	e = quoted ? quoted_end(r, p, escaped) : bare_end(r, p, form);

	switch (kind) {
	case KEY_AUTHZ: {
		/* a scheme word ends a bare value: look past it */
		size_t c = mask_authz(r, p, quoted ? e : len);

		if (c != p || (form == FORM_HEADER && !quoted))
			return c;
		break; /* no scheme: the whole value */
	}
	case KEY_TOKEN:
		if (!quoted)
			e = token_end(r, p);
		break;
	default:
		break;
	}
	mask(r, p, e);
	return e > p ? e : p;
}

/* "scheme://user:password@host": the colon of "://" is at i. */
static size_t redact_url(struct redactor *r, size_t i)
{
	const char *in = r->in;
	size_t a = i + 3, p, at = 0, colon = 0;

	for (p = a; p < r->len; p++) {
		unsigned char c = in[p];

		if (c == '/' || c == '?' || c == '#' || is_space(c) ||
		    c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\')
			break;
		if (c == '@')
			at = p;
	}
	if (!at)
		return a;
	for (p = a; p < at; p++)
		if (in[p] == ':') {
			colon = p;
			break;
		}
	if (!colon)
		return at;
	mask(r, colon + 1, at);
	return at;
}

/* A '=' at i: a logfmt or URL query key before it? */
static size_t at_equals(struct redactor *r, size_t i)
{
	const char *in = r->in;
	size_t k = i;
	enum key_kind kind;

	if (i == 0 || !key_last[(unsigned char)in[i - 1]])
		return i + 1;
	while (k > 0 && i - k <= KEY_MAX &&
	       is_key_char((unsigned char)in[k - 1]))
		k--;
	kind = key_kind(in + k, i - k);
	if (kind == KEY_NONE)
		return i + 1;
	return mask_value(r, i + 1, kind,
			  k > 0 && (in[k - 1] == '?' || in[k - 1] == '&')
				  ? FORM_QUERY
				  : FORM_LOGFMT);
}

static inline bool json_before_key(const char *in, size_t q)
{
	unsigned char c;

	if (q == 0)
		return true;
	c = in[q - 1];
	return c == '{' || c == ',' || c == '[' || c == ' ' || c == '\t';
}

/* A ':' at i: URL, JSON key or header name before it? */
static size_t at_colon(struct redactor *r, size_t i)
{
	const char *in = r->in;
	size_t k, end;
	enum key_kind kind;

	if (i + 2 < r->len && in[i + 1] == '/' && in[i + 2] == '/') {
		if (i > 0 && is_alnum((unsigned char)in[i - 1]))
			return redact_url(r, i);
		return i + 1;
	}
	if (i >= 2 && in[i - 1] == '"') {
		bool esc = in[i - 2] == '\\';

		end = esc ? i - 2 : i - 1;
		if (end == 0 || !key_last[(unsigned char)in[end - 1]])
			return i + 1;
		k = end;
		while (k > 0 && end - k <= KEY_MAX && in[k - 1] != '"' &&
		       in[k - 1] != '\\')
			k--;
		if (k == 0 || in[k - 1] != '"')
			return i + 1;
		if (esc) {
			if (k < 2 || in[k - 2] != '\\' ||
			    !json_before_key(in, k - 2))
				return i + 1;
		} else if (!json_before_key(in, k - 1)) {
			return i + 1;
		}
		kind = key_kind(in + k, end - k);
		if (kind == KEY_NONE)
			return i + 1;
		return mask_value(r, i + 1, kind,
				  esc ? FORM_JSON_ESC : FORM_JSON);
	}
	/* "Authorization: Basic X", "X-Registry-Auth: X" */
	if (i == 0 || !key_last[(unsigned char)in[i - 1]])
		return i + 1;
	k = i;
	while (k > 0 && i - k <= KEY_MAX &&
	       (is_alnum((unsigned char)in[k - 1]) || in[k - 1] == '-' ||
		in[k - 1] == '_'))
		k--;
	kind = key_kind(in + k, i - k);
	if (kind != KEY_AUTHZ && kind != KEY_TOKEN)
		return i + 1;
	return mask_value(r, i + 1, kind, FORM_HEADER);
}

/* A ' ' at i: "Bearer" before it and a long token after it? */
static size_t at_space(struct redactor *r, size_t i)
{
	const char *in = r->in;
	size_t p = i + 1, e;

	if (i < 6 || (in[i - 1] | 0x20) != 'r' ||
	    !eq_word(in + i - 6, 6, "bearer", 6) ||
	    (i > 6 && is_alnum((unsigned char)in[i - 7])))
		return i + 1;
	while (p < r->len && is_token_char((unsigned char)in[p]))
		p++;
	if (p - (i + 1) < 16)
		return i + 1;
	e = token_end(r, i + 1);
	mask(r, i + 1, e);
	return e;
}

/*
 * Where a handler may find something: a '=' after the last letter of a
 * secret key name, a ':' after one (or after a '"', or before a '/'), a
 * ' ' after an 'r' (the end of "Bearer"). The handlers check the rest.
 */
static inline bool is_trigger(const unsigned char *u, size_t i, size_t len)
{
	unsigned char c = u[i], p, lp;

	if (i == 0)
		return c == ':' && len > 1 && u[1] == '/';
	p = u[i - 1];
	lp = p | 0x20;
	switch (c) {
	case '=':
		return lp == 'd' || lp == 't' || lp == 'n' || lp == 'h';
	case ':':
		return p == '"' || lp == 'n' || lp == 'h' || lp == 'g' ||
		       (i + 1 < len && u[i + 1] == '/');
	case ' ':
		return lp == 'r';
	default:
		return false;
	}
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
	__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HAVE_VECTOR_SCAN 1
typedef unsigned char v16u8 __attribute__((vector_size(16)));
#endif

/* Index of the next trigger at or after i, or len. */
static size_t next_trigger(const unsigned char *u, size_t i, size_t len)
{
	if (i == 0 && len > 0) {
		if (is_trigger(u, 0, len))
			return 0;
		i = 1;
	}
#ifdef HAVE_VECTOR_SCAN
	/* is_trigger() 16 bytes at a time (SSE2 on x86-64, NEON on arm64) */
	while (len - i >= 17) {
		v16u8 v, p, n, lp, m;
		uint64_t lo, hi;

		memcpy(&v, u + i, 16);
		memcpy(&p, u + i - 1, 16);
		memcpy(&n, u + i + 1, 16);
		lp = p | 0x20;
		m = (v16u8)(((v == '=') & ((lp == 'd') | (lp == 't') |
					   (lp == 'n') | (lp == 'h'))) |
			    ((v == ':') &
			     ((p == '"') | (lp == 'n') | (lp == 'h') |
			      (lp == 'g') | (n == '/'))) |
			    ((v == ' ') & (lp == 'r')));
		memcpy(&lo, &m, 8);
		memcpy(&hi, (const char *)&m + 8, 8);
		if (lo)
			return i + (size_t)__builtin_ctzll(lo) / 8;
		if (hi)
			return i + 8 + (size_t)__builtin_ctzll(hi) / 8;
		i += 16;
	}
#endif
	for (; i < len; i++)
		if (is_trigger(u, i, len))
			return i;
	return len;
}

/*
 * Redact in[0, len) into out, writing at most cap bytes there. Returns the
 * length of the whole redacted line (which may exceed cap); when nothing
 * was masked, out is left untouched and the result is len.
 */
size_t redact_line(const char *in, size_t len, char *out, size_t cap,
		   bool *changed)
{
	struct redactor r = { .in = in, .len = len, .out = out, .cap = cap };
	const unsigned char *u = (const unsigned char *)in;
	size_t i = 0;

	while ((i = next_trigger(u, i, len)) < len) {
		switch (u[i]) {
		case '=':
			i = at_equals(&r, i);
			break;
		case ':':
			i = at_colon(&r, i);
			break;
		default:
			i = at_space(&r, i);
			break;
		}
	}
	*changed = r.changed;
	if (!r.changed)
		return len;
	put(&r, in + r.copied, len - r.copied);
	return r.o;
}

size_t logring_redact(const char *in, size_t len, char *out, bool *ret_changed)
{
	bool changed = false;
	size_t n;

	if (!in)
		len = 0;
	if (!out) {
		if (ret_changed)
			*ret_changed = false;
		return 0;
	}
	n = redact_line(in, len, out, len, &changed);
	if (!changed && len)
		memcpy(out, in, len);
	out[n] = '\0';
	if (ret_changed)
		*ret_changed = changed;
	return n;
}
