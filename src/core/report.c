// SPDX-License-Identifier: GPL-2.0-or-later
/* The report model: findings with evidence, owned by the report. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/report.h"
#include "core/util.h"

static const char *const sev_names[SEV__COUNT] = {
	[SEV_OK] = "ok",
	[SEV_INFO] = "info",
	[SEV_UNKNOWN] = "unknown",
	[SEV_WARNING] = "warning",
	[SEV_CRITICAL] = "critical",
};

static const char *const sev_labels[SEV__COUNT] = {
	[SEV_OK] = "OK",
	[SEV_INFO] = "INFO",
	[SEV_UNKNOWN] = "UNKNOWN",
	[SEV_WARNING] = "WARNING",
	[SEV_CRITICAL] = "CRITICAL",
};

/* Name of a severity. */
const char *severity_name(enum severity sev)
{
	return (unsigned)sev < SEV__COUNT ? sev_names[sev] : "unknown";
}

/* Upper-case label of a severity. */
const char *severity_label(enum severity sev)
{
	return (unsigned)sev < SEV__COUNT ? sev_labels[sev] : "UNKNOWN";
}

/* Parse a severity name. */
int severity_from_name(const char *name, enum severity *ret_sev)
{
	for (int i = 0; i < SEV__COUNT; i++) {
		if (strcmp(name, sev_names[i]) == 0) {
			*ret_sev = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Nagios exit status for a worst severity. */
int severity_exit_code(enum severity sev)
{
	switch (sev) {
	case SEV_OK:
	case SEV_INFO:
		return 0;
	case SEV_WARNING:
		return 1;
	case SEV_CRITICAL:
		return 2;
	default:
		return 3;
	}
}

/* Create an empty report. */
struct report *report_new(void)
{
	return calloc(1, sizeof(struct report));
}

static void finding_release(struct finding *f)
{
	free(f->check);
	free(f->summary);
	free(f->detail);
	free(f->remedy);
	for (size_t i = 0; i < f->n_evidence; i++) {
		free(f->evidence[i].key);
		free(f->evidence[i].value);
	}
	free(f->evidence);
}

/* Free a report; accepts NULL. */
void report_free(struct report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_findings; i++)
		finding_release(&r->findings[i]);
	free(r->findings);
	free(r->tool_version);
	free(r->host);
	free(r->daemon.version);
	free(r->daemon.api_version);
	for (size_t i = 0; i < r->n_log; i++) {
		free(r->log[i].source);
		free(r->log[i].line);
	}
	free(r->log);
	for (size_t i = 0; i < r->n_log_sources; i++) {
		free(r->log_sources[i].name);
		free(r->log_sources[i].where);
		free(r->log_sources[i].why);
		free(r->log_sources[i].error);
	}
	free(r->log_sources);
	free(r);
}

/* Replace a string field of the report by a copy of value (may be NULL). */
int report_set_string(struct report *r, char **field, const char *value)
{
	char *copy = NULL;

	if (value) {
		copy = strdup(value);
		if (!copy) {
			r->oom = true;
			return -ENOMEM;
		}
	}
	free(*field);
	*field = copy;
	return 0;
}

/* Add a finding. */
struct finding *report_add(struct report *r, const char *check,
			   enum severity sev, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;
	int n;

	if (r->n_findings == r->alloc_findings) {
		size_t na = r->alloc_findings ? 2 * r->alloc_findings : 16;
		struct finding *nf = reallocarray(r->findings, na, sizeof(*nf));

		if (!nf)
			goto oom;
		r->findings = nf;
		r->alloc_findings = na;
	}
	f = &r->findings[r->n_findings];
	memset(f, 0, sizeof(*f));
	f->severity = sev;
	f->check = strdup(check);
	va_start(ap, fmt);
	n = vasprintf(&f->summary, fmt, ap);
	va_end(ap);
	if (n < 0)
		f->summary = NULL;
	if (!f->check || !f->summary) {
		finding_release(f);
		goto oom;
	}
	r->n_findings++;
	return f;
oom:
	r->oom = true;
	return NULL;
}

static int set_text(char **field, const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return -ENOMEM;
	free(*field);
	*field = s;
	return 0;
}

/* Set the detail text. */
int finding_set_detail(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	int ret;

	if (!f)
		return -ENOMEM;
	va_start(ap, fmt);
	ret = set_text(&f->detail, fmt, ap);
	va_end(ap);
	return ret;
}

/* Replace the summary. */
int finding_set_summary(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	int ret;

	if (!f)
		return -ENOMEM;
	va_start(ap, fmt);
	ret = set_text(&f->summary, fmt, ap);
	va_end(ap);
	return ret;
}

/* Set the remedy text. */
int finding_set_remedy(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	int ret;

	if (!f)
		return -ENOMEM;
	va_start(ap, fmt);
	ret = set_text(&f->remedy, fmt, ap);
	va_end(ap);
	return ret;
}

/* Append one evidence pair. */
int finding_add_evidence(struct finding *f, const char *key, const char *fmt,
			 ...)
{
	struct evidence *e;
	va_list ap;
	int n;

	if (!f)
		return -ENOMEM;
	for (size_t i = 0; i < f->n_evidence; i++) {
		if (strcmp(f->evidence[i].key, key) == 0) {
			char *v = NULL;

			va_start(ap, fmt);
			n = vasprintf(&v, fmt, ap);
			va_end(ap);
			if (n < 0)
				return -ENOMEM;
			free(f->evidence[i].value);
			f->evidence[i].value = v;
			return 0;
		}
	}
	if (f->n_evidence == f->alloc_evidence) {
		size_t na = f->alloc_evidence ? 2 * f->alloc_evidence : 4;
		struct evidence *ne =
			reallocarray(f->evidence, na, sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		f->evidence = ne;
		f->alloc_evidence = na;
	}
	e = &f->evidence[f->n_evidence];
	e->key = strdup(key);
	va_start(ap, fmt);
	n = vasprintf(&e->value, fmt, ap);
	va_end(ap);
	if (n < 0)
		e->value = NULL;
	if (!e->key || !e->value) {
		free(e->key);
		free(e->value);
		return -ENOMEM;
	}
	f->n_evidence++;
	return 0;
}

/* Replace *text by its masked copy. */
static int mask_field(char **text)
{
	char *m;

	if (!*text || !strstr(*text, "://"))
		return 0;
	m = mask_credentials(*text);
	if (!m)
		return -ENOMEM;
	free(*text);
	*text = m;
	return 0;
}

/* Mask credentials in findings [from, n). */
int report_mask_credentials(struct report *r, size_t from)
{
	int ret = 0;

	for (size_t i = from; i < r->n_findings; i++) {
		struct finding *f = &r->findings[i];

		ret |= mask_field(&f->summary);
		ret |= mask_field(&f->detail);
		ret |= mask_field(&f->remedy);
		for (size_t k = 0; k < f->n_evidence; k++)
			ret |= mask_field(&f->evidence[k].value);
	}
	if (ret)
		r->oom = true;
	return ret ? -ENOMEM : 0;
}

/* Append a log line. */
int report_add_log(struct report *r, int64_t time_us, const char *source,
		   const char *level, bool truncated, const char *line)
{
	struct report_log_entry *e;

	if (r->n_log == r->alloc_log) {
		size_t n = r->alloc_log ? r->alloc_log * 2 : 256;

		e = realloc(r->log, n * sizeof(*e));
		if (!e)
			goto oom;
		r->log = e;
		r->alloc_log = n;
	}
	e = &r->log[r->n_log];
	*e = (struct report_log_entry){ .time_us = time_us,
					.level = level,
					.truncated = truncated };
	e->source = strdup(source);
	e->line = mask_credentials(line);
	if (!e->source || !e->line) {
		free(e->source);
		free(e->line);
		goto oom;
	}
	r->n_log++;
	return 0;
oom:
	r->oom = true;
	return -ENOMEM;
}

static char *dup_or_null(const char *s, bool *fail)
{
	char *c;

	if (!s)
		return NULL;
	c = strdup(s);
	if (!c)
		*fail = true;
	return c;
}

/* Append a log source description. */
int report_add_log_source(struct report *r, const struct report_log_source *src)
{
	struct report_log_source *v, *n;
	bool fail = false;

	v = realloc(r->log_sources, (r->n_log_sources + 1) * sizeof(*v));
	if (!v)
		goto oom;
	r->log_sources = v;
	n = &v[r->n_log_sources];
	*n = *src;
	n->name = dup_or_null(src->name, &fail);
	n->where = dup_or_null(src->where, &fail);
	n->why = dup_or_null(src->why, &fail);
	n->error = dup_or_null(src->error, &fail);
	if (fail) {
		free(n->name);
		free(n->where);
		free(n->why);
		free(n->error);
		goto oom;
	}
	r->n_log_sources++;
	return 0;
oom:
	r->oom = true;
	return -ENOMEM;
}

/* The worst severity in the report. */
enum severity report_worst(const struct report *r)
{
	enum severity worst = SEV_OK;

	for (size_t i = 0; i < r->n_findings; i++)
		if (r->findings[i].severity > worst)
			worst = r->findings[i].severity;
	return worst;
}

/* Count findings by severity. */
void report_count(const struct report *r, size_t counts[SEV__COUNT])
{
	memset(counts, 0, SEV__COUNT * sizeof(counts[0]));
	for (size_t i = 0; i < r->n_findings; i++)
		counts[r->findings[i].severity]++;
}

/* Indexes worst first, stable within a severity (a counting pass each). */
void report_order(const struct report *r, size_t *order)
{
	size_t k = 0;

	for (int sev = SEV__COUNT - 1; sev >= 0; sev--)
		for (size_t i = 0; i < r->n_findings; i++)
			if ((int)r->findings[i].severity == sev)
				order[k++] = i;
}
