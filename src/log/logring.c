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
#include "log/logring-private.h"
#include "log/redact.h"

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
	n = redact_line(line, len, ring->scratch, cap, &changed);
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
