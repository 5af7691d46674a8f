// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The text report: a header, the findings worst first with their detail,
 * remedy and evidence word-wrapped under a label column, and a count line.
 *
 * Every string in the report may come from a hostile daemon, so nothing
 * reaches the terminal unescaped: C0 controls, DEL, C1 controls and bytes
 * that are not valid UTF-8 are shown as \xNN (\u00NN for C1), and only the
 * newlines of detail and remedy text are kept as line breaks.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "render/render-util.h"

/* Width of the label column: "CRITICAL" and one space. */
#define LABEL_COLS 9

struct text_ctx {
	FILE *out;
	unsigned width;
	bool color;
	bool verbose;
};

/* clang-format off */
static const char *const sev_colors[SEV__COUNT] = {
	[SEV_OK] = "\033[32m",
	[SEV_INFO] = "\033[36m",
	[SEV_UNKNOWN] = "\033[35m",
	[SEV_WARNING] = "\033[33m",
	[SEV_CRITICAL] = "\033[1;31m",
};
/* clang-format on */

/* Write s to fp with control bytes and invalid UTF-8 shown escaped. */
static void text_escape(FILE *fp, const char *s, bool keep_newline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	while (n > 0) {
		uint32_t cp;
		size_t len = render_utf8_len(p, n, &cp);

		if (len == 0) {
			fprintf(fp, "\\x%02x", p[0]);
			len = 1;
		} else if (cp == '\n' && keep_newline) {
			fputc('\n', fp);
		} else if (cp < 0x20 || cp == 0x7f) {
			fprintf(fp, "\\x%02x", (unsigned)cp);
		} else if (cp >= 0x80 && cp <= 0x9f) {
			fprintf(fp, "\\u%04x", (unsigned)cp);
		} else {
			fwrite(p, 1, len, fp);
		}
		p += len;
		n -= len;
	}
}

/* Terminal columns of n bytes of escaped (valid UTF-8) text. */
static unsigned text_cols(const char *s, size_t n)
{
	unsigned cols = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			cols++;
	return cols;
}

/* Start a line: prefix if given, else indent spaces. */
static void text_line_start(const struct text_ctx *c, const char *prefix,
			    unsigned indent)
{
	if (prefix)
		fputs(prefix, c->out);
	else
		fprintf(c->out, "%*s", (int)indent, "");
}

/*
 * Print n bytes of escaped text without newlines, word-wrapped: the first
 * line starts with prefix (prefix_cols wide; NULL means indent spaces),
 * the others with indent spaces. Spaces between words on one line are
 * kept, a line's leading spaces too; a word wider than the line is not
 * broken.
 */
static void text_wrap(const struct text_ctx *c, const char *prefix,
		      unsigned prefix_cols, unsigned indent, const char *s,
		      size_t n)
{
	unsigned col = prefix ? prefix_cols : indent;
	bool first = true;
	size_t i = 0;

	for (;;) {
		size_t gap = 0, w = 0;
		const char *word;
		unsigned cols;

		while (i < n && s[i] == ' ') {
			gap++;
			i++;
		}
		word = s + i;
		while (i < n && s[i] != ' ')
			i++;
		w = (size_t)(s + i - word);
		if (w == 0)
			break;
		cols = text_cols(word, w);
		if (first) {
			text_line_start(c, prefix, indent);
		} else if (col + gap + cols > c->width) {
			fputc('\n', c->out);
			text_line_start(c, NULL, indent);
			col = indent;
			gap = 0;
		}
		fprintf(c->out, "%*s", (int)gap, "");
		fwrite(word, 1, w, c->out);
		col += gap + cols;
		first = false;
	}
	if (first && prefix) {
		/* Nothing to show: keep the prefix, not its trailing spaces. */
		size_t len = strlen(prefix);

		while (len > 0 && prefix[len - 1] == ' ')
			len--;
		fwrite(prefix, 1, len, c->out);
	}
	fputc('\n', c->out);
}

/* Print escaped text that may hold newlines, each line wrapped. */
static void text_block(const struct text_ctx *c, const char *prefix,
		       unsigned prefix_cols, unsigned indent, const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '\n')
		n--;
	for (;;) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) : n;

		text_wrap(c, prefix, prefix_cols, indent, s, len);
		if (!nl)
			break;
		prefix = NULL;
		s += len + 1;
		n -= len + 1;
	}
}

/* Finish a memory stream; -ENOMEM when anything written to it was lost. */
static int text_mem_close(FILE *m, char **buf)
{
	int err = ferror(m);

	if (fclose(m) != 0 || err) {
		free(*buf);
		*buf = NULL;
		return -ENOMEM;
	}
	return 0;
}

/*
 * Print one part of a finding: head (e.g. "fix: ") after the label
 * column, then s escaped; continuation lines align after head.
 */
static int text_part(const struct text_ctx *c, const char *head, const char *s)
{
	char *prefix = NULL;
	char *esc = NULL;
	size_t len;
	FILE *m = NULL;
	int ret = -ENOMEM;
	unsigned indent = LABEL_COLS + (unsigned)strlen(head);

	if (asprintf(&prefix, "%*s%s", LABEL_COLS, "", head) < 0) {
		prefix = NULL;
		goto out;
	}
	m = open_memstream(&esc, &len);
	if (!m)
		goto out;
	text_escape(m, s, true);
	ret = text_mem_close(m, &esc);
	if (ret < 0)
		goto out;
	text_block(c, prefix, indent, indent, esc);
out:
	free(esc);
	free(prefix);
	return ret;
}

/* Print the label and "check: summary" line of a finding. */
static int text_headline(const struct text_ctx *c, const struct finding *f)
{
	const char *label = severity_label(f->severity);
	unsigned pad = LABEL_COLS - (unsigned)strlen(label);
	char *prefix = NULL;
	char *line = NULL;
	size_t len;
	FILE *m;
	int ret;

	m = open_memstream(&line, &len);
	if (!m)
		return -ENOMEM;
	text_escape(m, f->check, false);
	fputs(": ", m);
	text_escape(m, f->summary, false);
	ret = text_mem_close(m, &line);
	if (ret < 0)
		goto out;
	if (c->color && (unsigned)f->severity < SEV__COUNT)
		ret = asprintf(&prefix, "%s%s\033[0m%*s",
			       sev_colors[f->severity], label, (int)pad, "");
	else
		ret = asprintf(&prefix, "%s%*s", label, (int)pad, "");
	if (ret < 0) {
		prefix = NULL;
		ret = -ENOMEM;
		goto out;
	}
	ret = 0;
	text_wrap(c, prefix, LABEL_COLS, LABEL_COLS, line, len);
out:
	free(prefix);
	free(line);
	return ret;
}

/* Print the evidence pairs of a finding as one wrapped paragraph. */
static int text_evidence(const struct text_ctx *c, const struct finding *f)
{
	static const char head[] = "evidence: ";
	unsigned indent = LABEL_COLS + sizeof(head) - 1;
	char *line = NULL;
	size_t len;
	FILE *m;
	int ret;

	m = open_memstream(&line, &len);
	if (!m)
		return -ENOMEM;
	fprintf(m, "%*s%s", LABEL_COLS, "", head);
	for (size_t i = 0; i < f->n_evidence; i++) {
		if (i)
			fputs(", ", m);
		text_escape(m, f->evidence[i].key, false);
		fputc('=', m);
		text_escape(m, f->evidence[i].value, false);
	}
	ret = text_mem_close(m, &line);
	if (ret < 0)
		return ret;
	/* The head is in the text, so the first line needs no prefix. */
	text_wrap(c, "", 0, indent, line, len);
	free(line);
	return 0;
}

/* Whether the text of s is worth a line of its own. */
static bool text_has(const char *s)
{
	return s && *s;
}

/* Which of detail/remedy (1) and evidence (2) a finding shows. */
static unsigned text_body(const struct text_ctx *c, const struct finding *f)
{
	unsigned body = 0;

	if ((f->severity != SEV_OK || c->verbose) &&
	    (text_has(f->detail) || text_has(f->remedy)))
		body |= 1;
	if ((f->severity > SEV_INFO || c->verbose) && f->n_evidence > 0)
		body |= 2;
	return body;
}

/* Print one finding with whatever body it shows. */
static int text_finding(const struct text_ctx *c, const struct finding *f)
{
	unsigned body = text_body(c, f);
	int ret;

	ret = text_headline(c, f);
	if (ret == 0 && (body & 1) && text_has(f->detail))
		ret = text_part(c, "", f->detail);
	if (ret == 0 && (body & 1) && text_has(f->remedy))
		ret = text_part(c, "fix: ", f->remedy);
	if (ret == 0 && (body & 2))
		ret = text_evidence(c, f);
	return ret;
}

/* Write the two header lines, the tool and the daemon, to m. */
static void text_header(FILE *m, const struct report *r)
{
	const struct report_daemon *d = &r->daemon;
	char when[RENDER_BUF_MAX];

	render_iso8601(&r->generated_at, when);
	fputs("dockerd-doctor", m);
	if (r->tool_version) {
		fputc(' ', m);
		text_escape(m, r->tool_version, false);
	}
	if (r->host) {
		fputs(" on ", m);
		text_escape(m, r->host, false);
	}
	fprintf(m, ", %s\n", when);

	if (d->pid <= 0 && !d->version && !d->api_version) {
		fputs("dockerd: not found\n", m);
		return;
	}
	fputs("dockerd", m);
	if (d->version) {
		fputc(' ', m);
		text_escape(m, d->version, false);
	}
	if (d->pid > 0)
		fprintf(m, ", pid %d", d->pid);
	if (d->api_version) {
		fputs(", API ", m);
		text_escape(m, d->api_version, false);
	}
	fputc('\n', m);
}

/* Write the closing line: counts by severity and the run time. */
static void text_counts(FILE *m, const struct report *r)
{
	size_t counts[SEV__COUNT];
	char secs[RENDER_BUF_MAX];

	report_count(r, counts);
	render_seconds(secs, r->duration, 3, false);
	fprintf(m,
		"%zu critical, %zu warning, %zu unknown, %zu info, %zu ok in %s s",
		counts[SEV_CRITICAL], counts[SEV_WARNING], counts[SEV_UNKNOWN],
		counts[SEV_INFO], counts[SEV_OK], secs);
}

/* Print lines made by fn, each wrapped at the margin. */
static int text_plain(const struct text_ctx *c, const struct report *r,
		      void (*fn)(FILE *, const struct report *))
{
	char *buf = NULL;
	size_t len;
	FILE *m;
	int ret;

	m = open_memstream(&buf, &len);
	if (!m)
		return -ENOMEM;
	fn(m, r);
	ret = text_mem_close(m, &buf);
	if (ret == 0)
		text_block(c, "", 0, 0, buf);
	free(buf);
	return ret;
}

/* Lines of the ring shown at the end: the newest. */
#define LOG_TAIL 20
#define LOG_TAIL_VERBOSE 100
/* a log line is cut there in the text report (JSON has it whole) */
#define LOG_LINE_COLS 240

/* The log section: where the lines came from, then the newest ones. */
static void text_log(const struct text_ctx *c, const struct report *r)
{
	size_t tail = c->verbose ? LOG_TAIL_VERBOSE : LOG_TAIL;
	size_t first = r->n_log > tail ? r->n_log - tail : 0;
	uint64_t dropped = 0;
	char since[RENDER_BUF_MAX];

	for (size_t i = 0; i < r->n_log_sources; i++)
		dropped += r->log_sources[i].dropped;
	render_time_us(r->log_since_us, since);
	fprintf(c->out, "\nlog: last %zu of %zu lines since %s",
		r->n_log - first, r->n_log, since);
	if (dropped)
		fprintf(c->out, " (%llu older lines dropped)",
			(unsigned long long)dropped);
	fputc('\n', c->out);
	for (size_t i = 0; i < r->n_log_sources; i++) {
		const struct report_log_source *s = &r->log_sources[i];

		fputs("  source ", c->out);
		text_escape(c->out, s->name ? s->name : "?", false);
		if (s->where) {
			fputs(": ", c->out);
			text_escape(c->out, s->where, false);
		}
		if (s->error) {
			fputs(": ", c->out);
			text_escape(c->out, s->error, false);
		} else {
			fprintf(c->out, " (%llu lines)",
				(unsigned long long)s->read);
		}
		fputc('\n', c->out);
	}
	for (size_t i = first; i < r->n_log; i++) {
		const struct report_log_entry *e = &r->log[i];
		char t[RENDER_BUF_MAX], line[LOG_LINE_COLS + 8];
		size_t n = strlen(e->line);

		render_time_us(e->time_us, t);
		/* "2026-11-24T22:01:02.123456Z" -> "22:01:02.123" */
		t[23] = '\0';
		snprintf(line, sizeof(line), "%.*s%s",
			 (int)(n > LOG_LINE_COLS ? LOG_LINE_COLS : n), e->line,
			 n > LOG_LINE_COLS || e->truncated ? "..." : "");
		fprintf(c->out, "%s %-10.10s %-7.7s ", t + 11, e->source,
			e->level);
		text_escape(c->out, line, false);
		fputc('\n', c->out);
	}
}

/* Render the report as text for a terminal. */
int render_text(const struct report *r, FILE *out,
		const struct render_opts *opts)
{
	struct text_ctx c = { .out = out, .width = 80 };
	size_t *order = NULL;
	unsigned prev_body = 0;
	int ret;

	if (opts) {
		c.color = opts->color;
		c.verbose = opts->verbose;
		if (opts->width)
			c.width = opts->width;
	}
	order = calloc(r->n_findings + 1, sizeof(*order));
	if (!order)
		return -ENOMEM;
	report_order(r, order);

	ret = text_plain(&c, r, text_header);
	if (ret < 0)
		goto out;
	fputc('\n', out);
	for (size_t k = 0; k < r->n_findings; k++) {
		const struct finding *f = &r->findings[order[k]];
		unsigned body = text_body(&c, f);

		if (k > 0 && (body || prev_body))
			fputc('\n', out);
		ret = text_finding(&c, f);
		if (ret < 0)
			goto out;
		prev_body = body;
	}
	if (r->n_findings > 0)
		fputc('\n', out);
	ret = text_plain(&c, r, text_counts);
	if (ret == 0 && r->log_collected)
		text_log(&c, r);
	if (ret == 0)
		ret = render_finish(out);
out:
	free(order);
	return ret;
}
