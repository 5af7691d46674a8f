// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The log ring: per-source circular buffers carved out of one allocation.
 *
 * Layout. logring_new() allocates two arrays once: the entry records
 * (time, arrival number, offset, length, level, flags; max_lines of them)
 * and the text area (max_bytes + max_lines + room for the wrap of every
 * possible source). Each source owns a contiguous slice of both, sized by
 * its budget: budget_lines record slots used as a circular array, and a
 * circular byte buffer holding each line followed by its NUL. A line is
 * never split at the end of the buffer: when it does not fit there, it goes
 * to the start, and the tail end stays unused until the oldest entries
 * move past it. The byte buffer is budget_bytes + budget_lines (the NULs) +
 * one longest line, which is exactly what that waste can cost, so the
 * budgets alone decide what is evicted.
 *
 * Adding a source re-carves the budgets. With lines already stored, no
 * existing source's budget grows, every source is first trimmed to its new
 * budget (oldest first, counted as dropped), and the slices are then moved
 * down in index order (each one unwrapped by a rotation, then compacted),
 * all inside the same allocation.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log/logring.h"

#define REC_TRUNCATED 0x1

struct rec {
	int64_t time_us;
	uint64_t seq; /* arrival order over the whole ring */
	uint32_t off; /* of the text in the source's slice */
	uint16_t len;
	uint8_t level;
	uint8_t flags;
};

struct source {
	char name[LOGRING_SOURCE_NAME_MAX];
	unsigned weight;
	size_t budget_lines, budget_bytes;
	size_t rec_base; /* first record slot of the slice */
	size_t text_base, text_cap; /* byte slice */
	size_t first; /* slot of the oldest entry, relative to rec_base */
	size_t count, bytes; /* held */
	size_t head; /* where the next line's text goes */
	size_t first_abs; /* entries ever stored before the oldest held */
	uint64_t added, dropped, dropped_bytes, truncated, redacted;
};

struct logring {
	size_t max_bytes, max_lines;
	struct rec *recs; /* max_lines */
	char *text; /* text_size */
	size_t text_size;
	uint64_t seq;
	size_t count;
	int n_sources;
	struct source src[LOGRING_MAX_SOURCES];
	char scratch[LOGRING_LINE_MAX + 1]; /* the redacted line */
};

/* ---- levels ---- */

static const char *const level_names[] = {
	[LOG_LEVEL_UNKNOWN] = "unknown", [LOG_LEVEL_TRACE] = "trace",
	[LOG_LEVEL_DEBUG] = "debug",	 [LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_WARNING] = "warning", [LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_FATAL] = "fatal",
};

const char *log_level_name(enum log_level l)
{
	if ((unsigned)l >= sizeof(level_names) / sizeof(level_names[0]))
		return "unknown";
	return level_names[l];
}

static const struct {
	const char *word;
	enum log_level level;
} level_words[] = {
	{ "trace", LOG_LEVEL_TRACE },	   { "debug", LOG_LEVEL_DEBUG },
	{ "dbg", LOG_LEVEL_DEBUG },	   { "info", LOG_LEVEL_INFO },
	{ "information", LOG_LEVEL_INFO }, { "notice", LOG_LEVEL_INFO },
	{ "warn", LOG_LEVEL_WARNING },	   { "warning", LOG_LEVEL_WARNING },
	{ "err", LOG_LEVEL_ERROR },	   { "error", LOG_LEVEL_ERROR },
	{ "crit", LOG_LEVEL_FATAL },	   { "critical", LOG_LEVEL_FATAL },
	{ "alert", LOG_LEVEL_FATAL },	   { "emerg", LOG_LEVEL_FATAL },
	{ "emergency", LOG_LEVEL_FATAL },  { "fatal", LOG_LEVEL_FATAL },
	{ "panic", LOG_LEVEL_FATAL },
};

static inline unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Case-insensitive comparison of s[0..n) with a lowercase word. */
static bool eq_word(const char *s, size_t n, const char *word, size_t wlen)
{
	if (n != wlen)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != (unsigned char)word[i])
			return false;
	return true;
}

enum log_level log_level_from_name(const char *s, size_t len)
{
	if (!s)
		return LOG_LEVEL_UNKNOWN;
	for (size_t i = 0; i < sizeof(level_words) / sizeof(level_words[0]);
	     i++)
		if (eq_word(s, len, level_words[i].word,
			    strlen(level_words[i].word)))
			return level_words[i].level;
	return LOG_LEVEL_UNKNOWN;
}

enum log_level log_level_from_syslog(int prio)
{
	if (prio < 0)
		return LOG_LEVEL_UNKNOWN;
	/* a full syslog PRI (facility * 8 + severity) works too */
	switch (prio & 7) {
	case 0:
	case 1:
	case 2:
		return LOG_LEVEL_FATAL;
	case 3:
		return LOG_LEVEL_ERROR;
	case 4:
		return LOG_LEVEL_WARNING;
	case 5:
	case 6:
		return LOG_LEVEL_INFO;
	default:
		return LOG_LEVEL_DEBUG;
	}
}

/* ---- redaction ---- */

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
static size_t redact(const char *in, size_t len, char *out, size_t cap,
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
	n = redact(in, len, out, len, &changed);
	if (!changed && len)
		memcpy(out, in, len);
	out[n] = '\0';
	if (ret_changed)
		*ret_changed = changed;
	return n;
}

/* ---- the ring ---- */

/* Text bytes a source's slice needs for its budgets (see the top). */
static size_t text_need(size_t budget_bytes, size_t budget_lines)
{
	size_t longest = budget_bytes < LOGRING_LINE_MAX ? budget_bytes
							 : LOGRING_LINE_MAX;

	return budget_bytes + budget_lines + longest + 1;
}

struct logring *logring_new(const struct logring_config *cfg)
{
	struct logring *ring;
	size_t text_size, rec_size;

	if (!cfg || cfg->max_bytes == 0 || cfg->max_lines == 0 ||
	    cfg->max_bytes > UINT32_MAX / 2 ||
	    cfg->max_lines > UINT32_MAX / 2) {
		errno = EINVAL;
		return NULL;
	}
	text_size = cfg->max_bytes + cfg->max_lines +
		    (size_t)LOGRING_MAX_SOURCES * (LOGRING_LINE_MAX + 1);
	if (text_size > UINT32_MAX ||
	    cfg->max_lines > (SIZE_MAX - text_size) / sizeof(struct rec)) {
		errno = EINVAL;
		return NULL;
	}
	rec_size = cfg->max_lines * sizeof(struct rec);
	ring = calloc(1, sizeof(*ring));
	if (!ring)
		return NULL;
	/* one block: the records, then the text */
	ring->recs = malloc(rec_size + text_size);
	if (!ring->recs) {
		free(ring);
		errno = ENOMEM;
		return NULL;
	}
	ring->text = (char *)ring->recs + rec_size;
	ring->text_size = text_size;
	ring->max_bytes = cfg->max_bytes;
	ring->max_lines = cfg->max_lines;
	return ring;
}

void logring_free(struct logring *ring)
{
	if (!ring)
		return;
	free(ring->recs);
	free(ring);
}

static inline struct rec *rec_at(const struct logring *ring,
				 const struct source *s, size_t k)
{
	size_t slot = s->first + k;

	if (slot >= s->budget_lines)
		slot -= s->budget_lines;
	return &ring->recs[s->rec_base + slot];
}

/* Drop the oldest entry of a source. */
static void evict(struct logring *ring, struct source *s)
{
	struct rec *r = rec_at(ring, s, 0);

	s->dropped++;
	s->dropped_bytes += r->len;
	s->bytes -= r->len;
	s->count--;
	ring->count--;
	s->first_abs++;
	if (++s->first == s->budget_lines)
		s->first = 0;
	if (s->count == 0) {
		s->first = 0;
		s->head = 0;
	}
}

/* Where need bytes of text fit in the source's slice; evicts if needed. */
static size_t place(struct logring *ring, struct source *s, size_t need)
{
	for (;;) {
		size_t tail, off;

		if (s->count == 0) {
			s->head = need;
			return 0;
		}
		tail = rec_at(ring, s, 0)->off;
		if (s->head > tail) {
			if (s->text_cap - s->head >= need) {
				off = s->head;
				s->head += need;
				return off;
			}
			if (tail >= need) {
				s->head = need;
				return 0;
			}
		} else if (tail - s->head >= need) {
			off = s->head;
			s->head += need;
			return off;
		}
		/* not reached with the slice sized by text_need() */
		evict(ring, s);
	}
}

int logring_add(struct logring *ring, int source, int64_t time_us,
		enum log_level level, const char *line, size_t len)
{
	struct source *s;
	struct rec *r;
	const char *text;
	size_t cap, n, off;
	bool changed, truncated;

	if (!ring || source < 0 || source >= ring->n_sources || (!line && len))
		return -EINVAL;
	s = &ring->src[source];
	if (len && line[len - 1] == '\n') {
		len--;
		if (len && line[len - 1] == '\r')
			len--;
	}
	cap = s->budget_bytes < LOGRING_LINE_MAX ? s->budget_bytes
						 : LOGRING_LINE_MAX;
	n = redact(line, len, ring->scratch, cap, &changed);
	text = changed ? ring->scratch : line;
	truncated = n > cap;
	if (truncated)
		n = cap;

	while (s->count && (s->count + 1 > s->budget_lines ||
			    s->bytes + n > s->budget_bytes))
		evict(ring, s);
	off = place(ring, s, n + 1);
	if (n)
		memcpy(ring->text + s->text_base + off, text, n);
	ring->text[s->text_base + off + n] = '\0';

	r = rec_at(ring, s, s->count);
	*r = (struct rec){
		.time_us = time_us,
		.seq = ring->seq++,
		.off = (uint32_t)off,
		.len = (uint16_t)n,
		.level = (unsigned)level <= LOG_LEVEL_FATAL ? level
							    : LOG_LEVEL_UNKNOWN,
		.flags = truncated ? REC_TRUNCATED : 0,
	};
	s->count++;
	s->bytes += n;
	ring->count++;
	s->added++;
	if (truncated)
		s->truncated++;
	if (changed)
		s->redacted++;
	return 0;
}

/* Split total among n weights: one each, the rest by weight. */
static void carve(size_t total, const unsigned *w, int n, size_t *ret)
{
	uint64_t sum = 0;
	size_t rest = total - (size_t)n, used = 0;

	for (int i = 0; i < n; i++)
		sum += w[i];
	for (int i = 0; i < n; i++) {
		ret[i] = 1 + (size_t)((uint64_t)rest * w[i] / sum);
		used += ret[i];
	}
	for (int i = 0; used < total; i = (i + 1) % n, used++)
		ret[i]++;
}

static void reverse(char *p, size_t n)
{
	for (size_t i = 0, j = n; i + 1 < j; i++) {
		char t = p[i];

		p[i] = p[--j];
		p[j] = t;
	}
}

/* Rotate p[0, n) left by k bytes. */
static void rotate(char *p, size_t n, size_t k)
{
	if (k == 0 || k >= n)
		return;
	reverse(p, k);
	reverse(p + k, n - k);
	reverse(p, n);
}

/*
 * Move a source's entries to a new slice at lower or equal addresses (no
 * larger than the old one, and holding no more than its budgets).
 */
static void relocate(struct logring *ring, struct source *s, size_t rec_base,
		     size_t text_base, size_t budget_lines, size_t budget_bytes)
{
	size_t cap = text_need(budget_bytes, budget_lines), pos = 0;

	if (s->count) {
		rotate((char *)&ring->recs[s->rec_base],
		       s->budget_lines * sizeof(struct rec),
		       s->first * sizeof(struct rec));
		memmove(&ring->recs[rec_base], &ring->recs[s->rec_base],
			s->count * sizeof(struct rec));
	}
	if (s->count) {
		size_t tail = ring->recs[rec_base].off;

		rotate(ring->text + s->text_base, s->text_cap, tail);
		for (size_t k = 0; k < s->count; k++) {
			struct rec *r = &ring->recs[rec_base + k];
			size_t from = r->off >= tail
					      ? r->off - tail
					      : r->off + s->text_cap - tail;

			memmove(ring->text + text_base + pos,
				ring->text + s->text_base + from, r->len + 1u);
			r->off = (uint32_t)pos;
			pos += r->len + 1u;
		}
	}
	s->rec_base = rec_base;
	s->text_base = text_base;
	s->text_cap = cap;
	s->budget_lines = budget_lines;
	s->budget_bytes = budget_bytes;
	s->first = 0;
	s->head = pos;
}

int logring_add_source(struct logring *ring, const char *name, unsigned weight)
{
	size_t lines[LOGRING_MAX_SOURCES], bytes[LOGRING_MAX_SOURCES];
	unsigned w[LOGRING_MAX_SOURCES];
	size_t rec_base = 0, text_base = 0, name_len;
	bool keep = ring && ring->count > 0;
	int n, idx;
	struct source *s;

	if (!ring || !name || weight == 0)
		return -EINVAL;
	name_len = strlen(name);
	if (name_len == 0 || name_len >= LOGRING_SOURCE_NAME_MAX)
		return -EINVAL;
	idx = logring_find_source(ring, name);
	if (idx >= 0)
		return idx;
	n = ring->n_sources + 1;
	if (n > LOGRING_MAX_SOURCES || (size_t)n > ring->max_lines ||
	    (size_t)n > ring->max_bytes)
		return -ENOSPC;

	for (int i = 0; i < n - 1; i++)
		w[i] = ring->src[i].weight;
	w[n - 1] = weight;
	carve(ring->max_lines, w, n, lines);
	carve(ring->max_bytes, w, n, bytes);

	for (int i = 0; i < n - 1; i++) {
		s = &ring->src[i];
		if (keep) {
			/* slices may only shrink: they move down in place */
			if (lines[i] > s->budget_lines)
				lines[i] = s->budget_lines;
			if (bytes[i] > s->budget_bytes)
				bytes[i] = s->budget_bytes;
		}
		while (s->count > lines[i] || s->bytes > bytes[i])
			evict(ring, s);
		relocate(ring, s, rec_base, text_base, lines[i], bytes[i]);
		rec_base += lines[i];
		text_base += s->text_cap;
	}

	s = &ring->src[n - 1];
	*s = (struct source){ .weight = weight };
	memcpy(s->name, name, name_len + 1);
	s->rec_base = rec_base;
	s->text_base = text_base;
	s->budget_lines = lines[n - 1];
	s->budget_bytes = bytes[n - 1];
	s->text_cap = text_need(s->budget_bytes, s->budget_lines);
	ring->n_sources = n;
	return n - 1;
}

int logring_find_source(const struct logring *ring, const char *name)
{
	if (!ring || !name)
		return -ENOENT;
	for (int i = 0; i < ring->n_sources; i++)
		if (strcmp(ring->src[i].name, name) == 0)
			return i;
	return -ENOENT;
}

size_t logring_count(const struct logring *ring)
{
	return ring ? ring->count : 0;
}

int logring_source_count(const struct logring *ring)
{
	return ring ? ring->n_sources : 0;
}

int logring_source_stats(const struct logring *ring, int source,
			 struct logring_source_stats *ret)
{
	const struct source *s;

	if (!ring || !ret || source < 0 || source >= ring->n_sources)
		return -EINVAL;
	s = &ring->src[source];
	*ret = (struct logring_source_stats){
		.budget_bytes = s->budget_bytes,
		.budget_lines = s->budget_lines,
		.added = s->added,
		.dropped = s->dropped,
		.dropped_bytes = s->dropped_bytes,
		.truncated = s->truncated,
		.redacted = s->redacted,
		.lines = s->count,
		.bytes = s->bytes,
	};
	memcpy(ret->name, s->name, sizeof(ret->name));
	return 0;
}

/* ---- iteration ---- */

void logring_iter_init(struct logring_iter *it, const struct logring *ring,
		       int64_t since_us)
{
	*it = (struct logring_iter){ .ring = ring, .since_us = since_us };
	if (!ring)
		return;
	for (int i = 0; i < ring->n_sources; i++)
		it->pos[i] = ring->src[i].first_abs;
}

bool logring_iter_next(struct logring_iter *it, struct log_entry *ret)
{
	const struct logring *ring = it->ring;
	const struct rec *best = NULL;
	int best_src = -1;

	if (!ring)
		return false;
	for (int i = 0; i < ring->n_sources; i++) {
		const struct source *s = &ring->src[i];
		const struct rec *r = NULL;
		size_t end = s->first_abs + s->count;

		/* positions are absolute: entries evicted meanwhile are gone */
		if (it->pos[i] < s->first_abs)
			it->pos[i] = s->first_abs;
		while (it->pos[i] < end) {
			r = rec_at(ring, s, it->pos[i] - s->first_abs);
			if (r->time_us >= it->since_us)
				break;
			r = NULL;
			it->pos[i]++;
		}
		if (!r)
			continue;
		if (!best || r->time_us < best->time_us ||
		    (r->time_us == best->time_us && r->seq < best->seq)) {
			best = r;
			best_src = i;
		}
	}
	if (!best)
		return false;
	it->pos[best_src]++;
	*ret = (struct log_entry){
		.time_us = best->time_us,
		.source = best_src,
		.level = (enum log_level)best->level,
		.truncated = best->flags & REC_TRUNCATED,
		.line = ring->text + ring->src[best_src].text_base + best->off,
		.len = best->len,
	};
	return true;
}
