// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JSON report (schema REPORT_SCHEMA), built with json-c.
 *
 * json-c copies string bytes through unchanged, so a daemon that answers
 * with invalid UTF-8 would make us write invalid JSON. Every string from
 * the report goes through render_utf8_sanitize() first.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "render/render.h"
#include "render/render-util.h"

/* Add v (may be NULL, i.e. null) under key; v is put on failure. */
static int json_add(struct json_object *obj, const char *key,
		    struct json_object *v)
{
	if (json_object_object_add(obj, key, v) < 0) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}

/* A new JSON string holding s made valid UTF-8; NULL on failure. */
static struct json_object *json_string(const char *s)
{
	struct json_object *v;
	char *clean = NULL;

	if (render_utf8_sanitize(s, &clean) < 0)
		return NULL;
	v = json_object_new_string(clean);
	free(clean);
	return v;
}

/* Add s (or null when s is NULL) under key. */
static int json_add_string(struct json_object *obj, const char *key,
			   const char *s)
{
	struct json_object *v = NULL;

	if (s) {
		v = json_string(s);
		if (!v)
			return -ENOMEM;
	}
	return json_add(obj, key, v);
}

/* Add a new empty object or array under key; returns it or NULL. */
static struct json_object *json_add_new(struct json_object *obj,
					const char *key, bool array)
{
	struct json_object *v;

	v = array ? json_object_new_array() : json_object_new_object();
	if (!v || json_add(obj, key, v) < 0)
		return NULL;
	return v;
}

/* Add an integer under key. */
static int json_add_int(struct json_object *obj, const char *key, int64_t n)
{
	struct json_object *v = json_object_new_int64(n);

	return v ? json_add(obj, key, v) : -ENOMEM;
}

/* Add the tool, host, time and daemon members. */
static int json_meta(struct json_object *root, const struct report *r)
{
	struct json_object *tool, *daemon, *v;
	char buf[RENDER_BUF_MAX];

	if (json_add_string(root, "schema", REPORT_SCHEMA) < 0)
		return -ENOMEM;
	tool = json_add_new(root, "tool", false);
	if (!tool || json_add_string(tool, "name", "dockerd-doctor") < 0 ||
	    json_add_string(tool, "version", r->tool_version) < 0)
		return -ENOMEM;
	if (json_add_string(root, "host", r->host) < 0)
		return -ENOMEM;
	render_iso8601(&r->generated_at, buf);
	if (json_add_string(root, "generated_at", buf) < 0)
		return -ENOMEM;
	/* Our own digits: short, and free of the locale's decimal point. */
	render_seconds(buf, r->duration, 6, true);
	v = json_object_new_double_s(r->duration, buf);
	if (!v || json_add(root, "duration_seconds", v) < 0)
		return -ENOMEM;

	daemon = json_add_new(root, "daemon", false);
	if (!daemon)
		return -ENOMEM;
	if (r->daemon.pid > 0) {
		if (json_add_int(daemon, "pid", r->daemon.pid) < 0)
			return -ENOMEM;
	} else if (json_add(daemon, "pid", NULL) < 0) {
		return -ENOMEM;
	}
	if (json_add_string(daemon, "version", r->daemon.version) < 0 ||
	    json_add_string(daemon, "api_version", r->daemon.api_version) < 0)
		return -ENOMEM;
	return 0;
}

/* Add the summary member: worst severity, exit code, counts. */
static int json_summary(struct json_object *root, const struct report *r)
{
	enum severity worst = report_worst(r);
	struct json_object *summary, *counts;
	size_t n[SEV__COUNT];

	summary = json_add_new(root, "summary", false);
	if (!summary ||
	    json_add_string(summary, "worst", severity_name(worst)) < 0 ||
	    json_add_int(summary, "exit_code", severity_exit_code(worst)) < 0)
		return -ENOMEM;
	counts = json_add_new(summary, "counts", false);
	if (!counts)
		return -ENOMEM;
	report_count(r, n);
	for (int sev = SEV_OK; sev < SEV__COUNT; sev++)
		if (json_add_int(counts, severity_name(sev), (int64_t)n[sev]) <
		    0)
			return -ENOMEM;
	return 0;
}

/* Add the evidence object of f; a repeated key keeps its last value. */
static int json_evidence(struct json_object *jf, const struct finding *f)
{
	struct json_object *ev = json_add_new(jf, "evidence", false);

	if (!ev)
		return -ENOMEM;
	for (size_t i = 0; i < f->n_evidence; i++) {
		char *key = NULL;
		int ret;

		if (render_utf8_sanitize(f->evidence[i].key, &key) < 0)
			return -ENOMEM;
		ret = json_add_string(ev, key, f->evidence[i].value);
		free(key);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Append one finding to the findings array. */
static int json_finding(struct json_object *arr, const struct finding *f)
{
	struct json_object *jf = json_object_new_object();

	if (!jf)
		return -ENOMEM;
	if (json_object_array_add(arr, jf) < 0) {
		json_object_put(jf);
		return -ENOMEM;
	}
	if (json_add_string(jf, "check", f->check) < 0 ||
	    json_add_string(jf, "severity", severity_name(f->severity)) < 0 ||
	    json_add_string(jf, "summary", f->summary) < 0 ||
	    json_add_string(jf, "detail", f->detail) < 0 ||
	    json_add_string(jf, "remedy", f->remedy) < 0)
		return -ENOMEM;
	return json_evidence(jf, f);
}

/* One log line: time, source, level, line (and truncated when cut). */
static int json_log_entry(struct json_object *arr,
			  const struct report_log_entry *e)
{
	struct json_object *je = json_object_new_object();
	char t[RENDER_BUF_MAX];

	if (!je || json_object_array_add(arr, je) < 0) {
		json_object_put(je);
		return -ENOMEM;
	}
	render_time_us(e->time_us, t);
	if (json_add_string(je, "time", t) < 0 ||
	    json_add_string(je, "source", e->source) < 0 ||
	    json_add_string(je, "level", e->level) < 0 ||
	    json_add_string(je, "line", e->line) < 0)
		return -ENOMEM;
	if (e->truncated &&
	    json_add(je, "truncated", json_object_new_boolean(1)) < 0)
		return -ENOMEM;
	return 0;
}

static int json_log_source(struct json_object *arr,
			   const struct report_log_source *s)
{
	struct json_object *js = json_object_new_object();

	if (!js || json_object_array_add(arr, js) < 0) {
		json_object_put(js);
		return -ENOMEM;
	}
	if (json_add_string(js, "name", s->name) < 0 ||
	    json_add_string(js, "where", s->where) < 0 ||
	    json_add_string(js, "why", s->why) < 0 ||
	    json_add_string(js, "error", s->error) < 0 ||
	    json_add_int(js, "read", (int64_t)s->read) < 0 ||
	    json_add_int(js, "held", (int64_t)s->held) < 0 ||
	    json_add_int(js, "dropped", (int64_t)s->dropped) < 0 ||
	    json_add_int(js, "truncated", (int64_t)s->truncated) < 0 ||
	    json_add_int(js, "redacted", (int64_t)s->redacted) < 0)
		return -ENOMEM;
	return 0;
}

/*
 * The log ring: "log" holds every line (always present, empty when no
 * ring was collected); "log_sources" and "log_since" only when it was.
 */
static int json_log(struct json_object *root, const struct report *r)
{
	struct json_object *arr = json_add_new(root, "log", true);
	char t[RENDER_BUF_MAX];

	if (!arr)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_log; i++)
		if (json_log_entry(arr, &r->log[i]) < 0)
			return -ENOMEM;
	if (!r->log_collected)
		return 0;
	render_time_us(r->log_since_us, t);
	if (json_add_string(root, "log_since", t) < 0)
		return -ENOMEM;
	arr = json_add_new(root, "log_sources", true);
	if (!arr)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_log_sources; i++)
		if (json_log_source(arr, &r->log_sources[i]) < 0)
			return -ENOMEM;
	return 0;
}

/*
 * Seconds each check took, when the runner measured them. The first check
 * that needs a collector (the API, the cgroup setup) pays for it.
 */
static int json_timings(struct json_object *root, const struct report *r)
{
	struct json_object *t;

	if (!r->n_timings)
		return 0;
	t = json_add_new(root, "timings", false);
	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_timings; i++)
		if (json_add(t, r->timings[i].check,
			     json_object_new_double(r->timings[i].seconds)) < 0)
			return -ENOMEM;
	return 0;
}

/* Render the report as one pretty-printed JSON document. */
int render_json(const struct report *r, FILE *out,
		const struct render_opts *opts)
{
	struct json_object *root, *arr;
	const char *text;
	int ret = -ENOMEM;

	root = json_object_new_object();
	if (!root)
		goto out;
	ret = json_meta(root, r);
	if (ret == 0)
		ret = json_summary(root, r);
	if (ret < 0)
		goto out;
	ret = -ENOMEM;
	arr = json_add_new(root, "findings", true);
	if (!arr)
		goto out;
	for (size_t i = 0; i < r->n_findings; i++)
		if (json_finding(arr, &r->findings[i]) < 0)
			goto out;
	if (json_log(root, r) < 0 || json_timings(root, r) < 0)
		goto out;
	text = json_object_to_json_string_ext(
		root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text)
		goto out;
	fputs(text, out);
	fputc('\n', out);
	ret = render_finish(out);
out:
	json_object_put(root);
	return ret;
}
