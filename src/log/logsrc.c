// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Log sources of the log ring (see logsrc.h): the systemd journal, plain
 * files and the kernel log. Read-only: files are opened O_RDONLY, the
 * journal through sd-journal, /dev/kmsg O_RDONLY|O_NONBLOCK.
 *
 * This file reads the sources: the backlog, then what follows.
 * logsrc-discover.c chooses and opens them, logsrc-parse.c parses their
 * lines.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log/logsrc-private.h"
#include "core/util.h"

/* A file's backlog: only its last 8 MiB are read. */
#define FILE_TAIL_BYTES (8u << 20)
/* At most this much of a file is read by one logsrc_follow(). */
#define FOLLOW_MAX_BYTES (4u << 20)
/* The kernel log buffer is at most 32 MiB of text (log_buf_len). */
#define KMSG_BACKLOG_BYTES (32u << 20)
/* Records read for the backlog at most (the buffer holds far fewer). */
#define KMSG_BACKLOG_RECORDS 1000000
/* Records read by one logsrc_follow(), so a flood cannot stall it. */
#define KMSG_FOLLOW_MAX 100000

/* ---- reading ------------------------------------------------------------ */

/*
 * Hand one line to the ring (a trailing CR dropped). A kmsg record written
 * from user space goes to the source of its own, never to "kernel": any
 * process that may write /dev/kmsg could forge a kernel event otherwise.
 */
static long emit(struct logsrc *s, struct logring *ring, int64_t t,
		 enum log_level l, const char *line, size_t len, bool user)
{
	const struct lsrc *p = s->priv;
	int src = user ? p->user_source : s->ring_source;

	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	if (src < 0 || logring_add(ring, src, t, l, line, len) < 0)
		return 0;
	s->lines_read++;
	return 1;
}

/*
 * The time, level and message of one line of a file (logline_parse) or of
 * a kmsg record file (kmsg_parse). false: skip the line (a continuation
 * " KEY=VALUE" line or a broken record).
 */
static bool line_info(const struct lsrc *p, const char *line, size_t len,
		      int64_t fallback, int64_t *t, enum log_level *l,
		      const char **msg, size_t *mlen, bool *timed, bool *user)
{
	*user = false;
	if (p->kmsg_fmt) {
		uint64_t seq;

		if (len == 0 || line[0] == ' ')
			return false;
		if (kmsg_parse(line, len, p->boot_us, t, l, msg, mlen, &seq,
			       user) < 0)
			return false;
		*timed = true;
		return true;
	}
	*msg = line;
	*mlen = len;
	*timed = logline_parse(line, len, fallback, t, l);
	return true;
}

/* The newest lines of a backlog within the window, in order. */
struct tq_ent {
	const char *line;
	size_t len;
	int64_t t;
	enum log_level l;
	bool user; /* kmsg: written from user space */
};

struct tailq {
	struct tq_ent *v;
	size_t cap, head, n;
};

static void tq_push(struct tailq *q, const struct tq_ent *e)
{
	if (q->n == q->cap) {
		q->head = (q->head + 1) % q->cap;
		q->n--;
	}
	q->v[(q->head + q->n) % q->cap] = *e;
	q->n++;
}

/*
 * Read a backlog of complete lines (buf ends with a newline or is empty):
 * the lines within the window, at most o->max_lines of the newest. Lines
 * without a time take the previous line's; those before the first timed
 * line take its time, and when no line has one, untimed_us (the file's
 * modification time). Lines added, or -ENOMEM.
 */
static long backlog_lines(struct logsrc *s, struct logring *ring,
			  const struct logsrc_options *o, const char *buf,
			  size_t len, int64_t untimed_us)
{
	struct lsrc *p = s->priv;
	const char *b = buf, *end = buf + len;
	struct tailq q = { 0 };
	size_t nlines = 0;
	bool seen_time = false;
	int64_t prev = untimed_us;
	long added = 0;

	for (const char *c = b; c < end;) {
		const char *nl = memchr(c, '\n', (size_t)(end - c));

		nlines++;
		if (!nl)
			break;
		c = nl + 1;
	}
	if (nlines == 0)
		return 0;
	q.cap = o->max_lines && o->max_lines < nlines ? o->max_lines : nlines;
	q.v = calloc(q.cap, sizeof(*q.v));
	if (!q.v)
		return -ENOMEM;
	while (b < end) {
		const char *nl = memchr(b, '\n', (size_t)(end - b));
		size_t len1 = nl ? (size_t)(nl - b) : (size_t)(end - b);
		struct tq_ent e;
		bool timed;

		if (line_info(p, b, len1, prev, &e.t, &e.l, &e.line, &e.len,
			      &timed, &e.user)) {
			if (timed && !seen_time) {
				/* the untimed lines so far precede this one */
				seen_time = true;
				if (e.t < o->since_us)
					q.n = 0;
				for (size_t i = 0; i < q.n; i++)
					q.v[(q.head + i) % q.cap].t = e.t;
			}
			if (timed)
				prev = e.t;
			else
				e.t = prev;
			if (!seen_time || e.t >= o->since_us)
				tq_push(&q, &e);
		}
		b += len1 + 1;
	}
	if (!seen_time && untimed_us < o->since_us)
		q.n = 0;
	for (size_t i = 0; i < q.n; i++) {
		const struct tq_ent *e = &q.v[(q.head + i) % q.cap];

		added += emit(s, ring, e->t, e->l, e->line, e->len, e->user);
	}
	free(q.v);
	return added;
}

/* Keep an incomplete line (cut at PARTIAL_MAX). */
static void partial_append(struct lsrc *p, const char *b, size_t len)
{
	size_t room = PARTIAL_MAX - p->plen;

	if (len > room)
		len = room;
	memcpy(p->partial + p->plen, b, len);
	p->plen += len;
}

/* A file's backlog: the last FILE_TAIL_BYTES, lines in the window. */
static long file_load(struct logsrc *s, struct logring *ring,
		      const struct logsrc_options *o)
{
	struct lsrc *p = s->priv;
	size_t want, got = 0;
	const char *b, *last;
	struct stat st;
	off_t start;
	char *buf;
	long n;

	if (fstat(p->fd, &st) < 0) {
		s->err = -errno;
		snprintf(s->error, sizeof(s->error), "cannot stat %.160s: %s",
			 s->where, strerror(errno));
		return 0;
	}
	start = st.st_size > (off_t)FILE_TAIL_BYTES
			? st.st_size - (off_t)FILE_TAIL_BYTES
			: 0;
	want = (size_t)(st.st_size - start);
	buf = malloc(want + 1);
	if (!buf)
		return -ENOMEM;
	while (got < want) {
		ssize_t r =
			pread(p->fd, buf + got, want - got, start + (off_t)got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			s->err = -errno;
			snprintf(s->error, sizeof(s->error),
				 "cannot read %.160s: %s", s->where,
				 strerror(errno));
			free(buf);
			return 0;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	b = buf;
	if (start > 0) {
		/* the first line is cut: start after it */
		const char *nl = memchr(b, '\n', got);

		b = nl ? nl + 1 : buf + got;
	}
	last = b;
	for (const char *c = b; c < buf + got;) {
		const char *nl = memchr(c, '\n', (size_t)(buf + got - c));

		if (!nl)
			break;
		last = nl + 1;
		c = last;
	}
	n = backlog_lines(s, ring, o, b, (size_t)(last - b),
			  (int64_t)st.st_mtim.tv_sec * 1000000 +
				  st.st_mtim.tv_nsec / 1000);
	/* an incomplete last line waits for its end */
	p->plen = 0;
	partial_append(p, last, (size_t)(buf + got - last));
	p->off = start + (off_t)got;
	free(buf);
	return n;
}

/*
 * Read one /dev/kmsg record into p->buf: its length, 0 when there is none
 * now (or at the end), -1 on a read error (s->err and s->error set).
 * Records overwritten before we read them (EPIPE) are counted as lost.
 */
static ssize_t kmsg_read(struct logsrc *s)
{
	struct lsrc *p = s->priv;

	for (;;) {
		ssize_t r = read(p->fd, p->buf, KMSG_RECORD_MAX);

		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno == EPIPE) {
			s->lost++;
			continue;
		}
		if (errno == EAGAIN)
			return 0;
		s->err = -errno;
		snprintf(s->error, sizeof(s->error),
			 "cannot read /dev/kmsg: %s", strerror(errno));
		return -1;
	}
}

/* /dev/kmsg's backlog: every record the kernel holds, in the window. */
static long kmsg_load(struct logsrc *s, struct logring *ring,
		      const struct logsrc_options *o)
{
	struct lsrc *p = s->priv;
	size_t len = 0, alloc = 1 << 16;
	char *buf = malloc(alloc);
	long n;

	if (!buf)
		return -ENOMEM;
	/* a flood could go on for ever: the buffer holds far fewer */
	for (int i = 0; i < KMSG_BACKLOG_RECORDS; i++) {
		ssize_t r = kmsg_read(s);

		if (r < 0) {
			free(buf);
			return 0;
		}
		if (r == 0)
			break;
		if (len + (size_t)r + 1 > alloc) {
			char *nb;

			if (alloc >= KMSG_BACKLOG_BYTES) {
				/* keep the newer half */
				const char *half = memchr(buf + len / 2, '\n',
							  len - len / 2);
				size_t drop = half ? (size_t)(half + 1 - buf)
						   : len;

				memmove(buf, buf + drop, len - drop);
				len -= drop;
			} else {
				nb = realloc(buf, alloc * 2);
				if (!nb) {
					free(buf);
					return -ENOMEM;
				}
				buf = nb;
				alloc *= 2;
			}
		}
		memcpy(buf + len, p->buf, (size_t)r);
		len += (size_t)r;
		if (buf[len - 1] != '\n')
			buf[len++] = '\n';
	}
	n = backlog_lines(s, ring, o, buf, len, 0);
	free(buf);
	return n;
}

#ifdef HAVE_SYSTEMD
/* One journal entry: MESSAGE (split at newlines), the entry's time, the
 * level from the message (logrus) or else PRIORITY. */
static long journal_entry(struct logsrc *s, struct logring *ring)
{
	struct lsrc *p = s->priv;
	enum log_level prio_level = LOG_LEVEL_UNKNOWN;
	const char *m, *end;
	const void *d;
	uint64_t t;
	size_t l;
	long n = 0;

	if (sd_journal_get_realtime_usec(p->j, &t) < 0)
		return 0;
	if (sd_journal_get_data(p->j, "PRIORITY", &d, &l) >= 0 && l == 10 &&
	    is_digit(((const char *)d)[9]))
		prio_level = log_level_from_syslog(((const char *)d)[9] - '0');
	if (sd_journal_get_data(p->j, "MESSAGE", &d, &l) < 0 || l < 8)
		return 0;
	m = (const char *)d + 8;
	end = (const char *)d + l;
	do {
		const char *nl = memchr(m, '\n', (size_t)(end - m));
		size_t len = nl ? (size_t)(nl - m) : (size_t)(end - m);
		enum log_level lvl;
		int64_t ignored;

		logline_parse(m, len, (int64_t)t, &ignored, &lvl);
		if (lvl == LOG_LEVEL_UNKNOWN)
			lvl = prio_level;
		if (len || !nl)
			n += emit(s, ring, (int64_t)t, lvl, m, len, false);
		m += len + 1;
	} while (m < end);
	return n;
}

/*
 * The journal's backlog: at most max_lines entries back from the end, and
 * none before since. Going back from the tail bounds the work by the cap,
 * however busy the window was.
 */
static long journal_load(struct logsrc *s, struct logring *ring,
			 const struct logsrc_options *o)
{
	struct lsrc *p = s->priv;
	uint64_t t;
	long n = 0;
	int r;

	r = sd_journal_seek_tail(p->j);
	if (r >= 0) {
		if (o->max_lines)
			r = sd_journal_previous_skip(p->j, o->max_lines);
		else
			r = 0;
	}
	if (r < 0)
		goto fail;
	if (r > 0 && (sd_journal_get_realtime_usec(p->j, &t) < 0 ||
		      (int64_t)t < o->since_us))
		r = 0;
	if (r == 0) {
		/* fewer than max_lines in the window (or no cap) */
		r = sd_journal_seek_realtime_usec(
			p->j, o->since_us > 0 ? (uint64_t)o->since_us : 0);
		if (r >= 0)
			r = sd_journal_next(p->j);
		if (r < 0)
			goto fail;
		if (r == 0)
			return 0;
	}
	for (;;) {
		if (sd_journal_get_realtime_usec(p->j, &t) >= 0 &&
		    (int64_t)t >= o->since_us)
			n += journal_entry(s, ring);
		r = sd_journal_next(p->j);
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
	}
	return n;
fail:
	s->err = r;
	snprintf(s->error, sizeof(s->error), "cannot read %.160s: %s", s->where,
		 strerror(-r));
	return n;
}

static long journal_follow(struct logsrc *s, struct logring *ring)
{
	struct lsrc *p = s->priv;
	long n = 0;
	int r;

	if (p->jfd >= 0)
		sd_journal_process(p->j);
	while ((r = sd_journal_next(p->j)) > 0)
		n += journal_entry(s, ring);
	if (r < 0) {
		s->err = r;
		snprintf(s->error, sizeof(s->error), "cannot read %.160s: %s",
			 s->where, strerror(-r));
	}
	return n;
}
#endif

/* A line that arrived while following (untimed: now). */
static long follow_line(struct logsrc *s, struct logring *ring,
			const char *line, size_t len)
{
	struct lsrc *p = s->priv;
	const char *msg;
	enum log_level l;
	size_t mlen;
	bool timed, user;
	int64_t t;

	if (!line_info(p, line, len, clock_us(CLOCK_REALTIME), &t, &l, &msg,
		       &mlen, &timed, &user))
		return 0;
	return emit(s, ring, t, l, msg, mlen, user);
}

/* Split new bytes into lines, completing the partial one. */
static long feed(struct logsrc *s, struct logring *ring, const char *b,
		 size_t len)
{
	struct lsrc *p = s->priv;
	long n = 0;

	while (len) {
		const char *nl = memchr(b, '\n', len);
		size_t seg = nl ? (size_t)(nl - b) : len;

		if (p->skip_to_nl) {
			if (nl)
				p->skip_to_nl = false;
		} else if (nl && p->plen == 0) {
			n += follow_line(s, ring, b, seg);
		} else {
			partial_append(p, b, seg);
			if (nl) {
				n += follow_line(s, ring, p->partial, p->plen);
				p->plen = 0;
			}
		}
		if (!nl)
			break;
		b = nl + 1;
		len -= seg + 1;
	}
	return n;
}

/* Read what was appended since the last read. */
static long file_drain(struct logsrc *s, struct logring *ring)
{
	struct lsrc *p = s->priv;
	size_t budget = FOLLOW_MAX_BYTES;
	struct stat st;
	long n = 0;

	if (fstat(p->fd, &st) < 0)
		return 0;
	if (st.st_size < p->off) {
		/* truncated (logrotate's copytruncate): from the start */
		p->off = 0;
		p->plen = 0;
		p->skip_to_nl = false;
	}
	if (st.st_size - p->off > (off_t)FILE_TAIL_BYTES) {
		/* too far behind: the last FILE_TAIL_BYTES only */
		p->off = st.st_size - (off_t)FILE_TAIL_BYTES;
		p->plen = 0;
		p->skip_to_nl = true;
	}
	while (budget) {
		ssize_t r = pread(p->fd, p->buf,
				  budget < READ_CHUNK ? budget : READ_CHUNK,
				  p->off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		p->off += r;
		budget -= (size_t)r;
		n += feed(s, ring, p->buf, (size_t)r);
	}
	return n;
}

/* Follow a file: new lines, then a rotation (a new file under the name). */
static long file_follow(struct logsrc *s, struct logring *ring)
{
	struct lsrc *p = s->priv;
	struct stat st;
	long n = file_drain(s, ring);
	int fd;

	if (p->dirfd < 0 || fstatat(p->dirfd, p->base, &st, 0) < 0 ||
	    !S_ISREG(st.st_mode) ||
	    (st.st_dev == p->dev && st.st_ino == p->ino))
		return n;
	fd = openat(p->dirfd, p->base,
		    O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return n;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return n;
	}
	/* the old file ended: its last line is complete */
	if (p->plen && !p->skip_to_nl)
		n += follow_line(s, ring, p->partial, p->plen);
	close(p->fd);
	p->fd = fd;
	p->dev = st.st_dev;
	p->ino = st.st_ino;
	p->off = 0;
	p->plen = 0;
	p->skip_to_nl = false;
	return n + file_drain(s, ring);
}

/* New /dev/kmsg records. */
static long kmsg_follow(struct logsrc *s, struct logring *ring)
{
	struct lsrc *p = s->priv;
	long n = 0;

	/* again each time: the wall clock may have been stepped (NTP) */
	p->boot_us = clock_us(CLOCK_REALTIME) - clock_us(CLOCK_MONOTONIC);
	for (int i = 0; i < KMSG_FOLLOW_MAX; i++) {
		ssize_t r = kmsg_read(s);
		const char *msg;
		enum log_level l;
		uint64_t seq;
		size_t mlen;
		int64_t t;
		bool user;

		if (r <= 0)
			break;
		if (kmsg_parse(p->buf, (size_t)r, p->boot_us, &t, &l, &msg,
			       &mlen, &seq, &user) == 0)
			n += emit(s, ring, t, l, msg, mlen, user);
	}
	return n;
}

static unsigned source_weight(const char *name)
{
	if (strcmp(name, "dockerd") == 0)
		return 4;
	if (strcmp(name, "containerd") == 0 || strcmp(name, "kernel") == 0)
		return 2;
	return 1;
}

int logsrc_load(struct logsrc_set *set, struct logring *ring,
		const struct logsrc_options *o)
{
	/* every source first, so the budgets are final before reading */
	for (size_t i = 0; i < set->n; i++) {
		struct logsrc *s = &set->v[i];
		struct lsrc *p = s->priv;
		int r;

		s->ring_source = -1;
		if (s->err || !s->priv)
			continue;
		r = logring_add_source(ring, s->name, source_weight(s->name));
		if (r < 0) {
			s->err = r;
			snprintf(s->error, sizeof(s->error),
				 "%.160s not read: %s", s->where,
				 r == -ENOSPC ? "too many log sources"
					      : strerror(-r));
			continue;
		}
		s->ring_source = r;
		/* kmsg: user-space records have a source of their own */
		if (p->kmsg_fmt || p->kmsg_dev)
			p->user_source =
				logring_add_source(ring, LOGSRC_KMSG_USER, 1);
	}
	for (size_t i = 0; i < set->n; i++) {
		struct logsrc *s = &set->v[i];
		struct lsrc *p = s->priv;
		long n = 0;

		if (s->err || s->ring_source < 0)
			continue;
		if (s->kind == LOGSRC_JOURNAL) {
#ifdef HAVE_SYSTEMD
			n = journal_load(s, ring, o);
#endif
		} else if (p->kmsg_dev) {
			n = kmsg_load(s, ring, o);
		} else {
			n = file_load(s, ring, o);
		}
		if (n < 0)
			return (int)n;
	}
	return 0;
}

long logsrc_follow(struct logsrc_set *set, struct logring *ring)
{
	long n = 0;

	for (size_t i = 0; i < set->n; i++) {
		struct logsrc *s = &set->v[i];
		struct lsrc *p = s->priv;

		if (s->err || s->ring_source < 0 || !p)
			continue;
		if (s->kind == LOGSRC_JOURNAL) {
#ifdef HAVE_SYSTEMD
			n += journal_follow(s, ring);
#endif
		} else if (p->kmsg_dev) {
			n += kmsg_follow(s, ring);
		} else {
			n += file_follow(s, ring);
		}
	}
	return n;
}

size_t logsrc_poll_fds(const struct logsrc_set *set, int *fds, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n && n < max; i++) {
		const struct logsrc *s = &set->v[i];
		const struct lsrc *p = s->priv;

		if (s->err || !p)
			continue;
		if (p->kmsg_dev && p->fd >= 0)
			fds[n++] = p->fd;
#ifdef HAVE_SYSTEMD
		if (s->kind == LOGSRC_JOURNAL && p->jfd >= 0)
			fds[n++] = p->jfd;
#endif
	}
	return n;
}
