// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemon.json analysis, the judge behind config.daemon-json and 'config
 * check' (see dconfig.h): the run and the byte-level stage; the other
 * stages are in dconfig-keys.c, dconfig-flags.c, dconfig-values.c.
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/dconfig-analyze.h"
#include "config/dconfig.h"
#include "config/dockerd-options.h"
#include "config/jsonscan.h"
#include "core/util.h"

/* A finding with the file's evidence already attached. */
struct finding *dconfig_add(struct dconfig_run *u, enum severity sev,
			    const char *fmt, ...)
{
	char *summary = NULL;
	struct finding *f;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&summary, fmt, ap) < 0)
		summary = NULL;
	va_end(ap);
	f = report_add(u->r, u->in->check_id, sev, "%s",
		       summary ? summary : "?");
	free(summary);
	finding_add_evidence(f, "file", "%s", u->in->path);
	finding_add_evidence(f, "docker_version", "%u.%u", u->in->version / 100,
			     u->in->version % 100);
	if (u->in->version_source)
		finding_add_evidence(f, "docker_version_from", "%s",
				     u->in->version_source);
	if (sev == SEV_CRITICAL)
		u->refuse = true;
	return f;
}

/* A JSON value as compact, credential-masked text. */
char *dconfig_show(json_object *v)
{
	const char *s = v ? json_object_to_json_string_ext(
				    v, JSON_C_TO_STRING_PLAIN |
					       JSON_C_TO_STRING_NOSLASHESCAPE)
			  : "null";
	char *m = mask_credentials(s);

	if (m && strlen(m) > 200)
		strcpy(m + 197, "...");
	return m;
}

/*
 * The text of line n of buf (1-based), credential-masked, then cut to 120
 * bytes: masking after the cut could miss a URL whose '@' was cut off.
 */
static void quote_line(const char *buf, size_t len, int n, char *out,
		       size_t size)
{
	char line[4096], *masked;
	size_t i = 0, k = 0;

	for (int l = 1; l < n && i < len; i++)
		if (buf[i] == '\n')
			l++;
	while (i < len && buf[i] != '\n' && k + 1 < sizeof(line)) {
		unsigned char c = (unsigned char)buf[i++];

		line[k++] = c == '\t' ? ' ' : (c < 0x20 ? '?' : (char)c);
	}
	line[k] = '\0';
	masked = mask_credentials(line);
	snprintf(out, size, "%.120s", masked ? masked : "(line not shown)");
	free(masked);
}

/* The byte-level stage: BOM, emptiness, syntax, top-level type. */
static int check_syntax(struct dconfig_run *u, const char **pbuf, size_t *plen)
{
	const char *buf = *pbuf;
	size_t len = *plen, i = 0;
	struct jsonscan_result js;
	struct finding *f;
	char line[128];

	if (len >= 2 &&
	    ((unsigned char)buf[0] == 0xff || (unsigned char)buf[0] == 0xfe) &&
	    ((unsigned char)buf[1] == 0xfe || (unsigned char)buf[1] == 0xff)) {
		f = dconfig_add(
			u, u->in->version < 2300 ? SEV_CRITICAL : SEV_UNKNOWN,
			"'%s' is UTF-16 (a byte order mark): %s", u->in->path,
			u->in->version < 2300
				? "dockerd will refuse to start: before 23.0 it reads only UTF-8"
				: "dockerd 23+ decodes it, this tool cannot check it further");
		finding_set_remedy(
			f,
			"Save it as UTF-8 without a BOM (iconv -f UTF-16 -t UTF-8).");
		return 1;
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		f = dconfig_add(
			u, u->in->version < 2300 ? SEV_CRITICAL : SEV_INFO,
			"'%s' starts with a UTF-8 byte order mark%s",
			u->in->path,
			u->in->version < 2300
				? ": dockerd will refuse to start (\"invalid character 'ï' looking for beginning of value\"); 23.0 and later skip it"
				: " (dockerd 23+ skips it; older ones and other tools do not)");
		finding_set_remedy(
			f, "Remove it: sed -i '1s/^\\xEF\\xBB\\xBF//' %s",
			u->in->path);
		buf += 3;
		len -= 3;
	}
	while (i < len && strchr(" \t\r\n", buf[i]) && buf[i])
		i++;
	if (i == len) {
		f = dconfig_add(
			u, u->in->version < 2300 ? SEV_CRITICAL : SEV_INFO,
			"'%s' is empty%s", u->in->path,
			u->in->version < 2300
				? ": dockerd 20.10 will refuse to start (\"EOF\")"
				: ": dockerd uses no settings from it");
		finding_set_remedy(f, "Write {} into it, or remove the file.");
		*pbuf = buf;
		*plen = len;
		return 1;
	}
	jsonscan(buf, len, &js);
	if (!js.ok) {
		quote_line(buf, len, js.line, line, sizeof(line));
		f = dconfig_add(
			u, SEV_CRITICAL,
			"'%s' is not valid JSON: %s at line %d, column %d: dockerd will refuse to start",
			u->in->path, js.error, js.line, js.col);
		finding_set_detail(
			f, "line %d: %s\n%*s^", js.line, line,
			(int)(js.col + 7 + (js.line > 9) + (js.line > 99)), "");
		finding_set_remedy(
			f,
			"Fix the syntax (python3 -m json.tool %s shows the same error), then restart dockerd.",
			u->in->path);
		finding_add_evidence(f, "line", "%d", js.line);
		finding_add_evidence(f, "column", "%d", js.col);
		return 1;
	}
	if (js.trailing) {
		f = dconfig_add(
			u, u->in->version < 2300 ? SEV_WARNING : SEV_CRITICAL,
			"'%s' has more after the JSON object (line %d, column %d)%s",
			u->in->path, js.trailing_line, js.trailing_col,
			u->in->version < 2300
				? ": dockerd 20.10 ignores it, 23.0 and later refuse to start"
				: ": dockerd will refuse to start (\"invalid character after top-level value\")");
		finding_add_evidence(f, "line", "%d", js.trailing_line);
		finding_add_evidence(f, "column", "%d", js.trailing_col);
	}
	if (js.top == 'l') {
		/* encoding/json decodes null into a nil map: no settings */
		dconfig_add(
			u, SEV_WARNING,
			"'%s' is just null: dockerd accepts it as an empty configuration",
			u->in->path);
		return 1;
	}
	if (js.top != '{') {
		dconfig_add(
			u, SEV_CRITICAL,
			"'%s' is not a JSON object but %s: dockerd will refuse to start",
			u->in->path,
			js.top == '['	? "an array"
			: js.top == '"' ? "a string"
			: js.top == 'l' ? "null"
			: js.top == 't' ? "a boolean"
					: "a number");
		return 1;
	}
	for (size_t d = 0; d < js.n_dups && d < JSONSCAN_MAX_DUPS; d++) {
		f = dconfig_add(
			u, SEV_WARNING,
			"key '%s' appears twice in %s%s (line %d): dockerd silently uses the last one",
			js.dups[d].key, js.dups[d].path[0] ? "'" : "the file",
			js.dups[d].path[0] ? js.dups[d].path : "",
			js.dups[d].line);
		finding_add_evidence(f, "line", "%d", js.dups[d].line);
		finding_add_evidence(f, "column", "%d", js.dups[d].col);
	}
	*pbuf = buf;
	*plen = js.end;
	return 0;
}

/* Build the object with json-c (the syntax is known to be right). */
json_object *dconfig_parse_object(const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(JSONSCAN_MAX_DEPTH + 8);
	json_object *o;

	if (!tok)
		return NULL;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	json_tokener_free(tok);
	return o;
}

/* configValuesSet(): objects of unknown keys are replaced by their keys. */
json_object *dconfig_flatten(json_object *root, unsigned v)
{
	json_object *flat = json_object_new_object();

	if (!flat)
		return NULL;
	json_object_object_foreach(root, key, val)
	{
		if (json_object_is_type(val, json_type_object) &&
		    !dockerd_flat_option(key, v)) {
			json_object_object_foreach(val, k2, v2)
				json_object_object_add(flat, k2,
						       json_object_get(v2));
			continue;
		}
		json_object_object_add(flat, key, json_object_get(val));
	}
	return flat;
}

/* logrus.ParseLevel(): the levels dockerd understands. */
bool dconfig_valid_log_level(const char *l)
{
	static const char *const levels[] = { "panic", "fatal",	  "error",
					      "warn",  "warning", "info",
					      "debug", "trace" };

	for (size_t i = 0; i < ARRAY_SIZE(levels); i++)
		if (strcasecmp(l, levels[i]) == 0)
			return true;
	return false;
}

/* Whether a finding from index before on is a warning, critical or unknown. */
static bool worse_than_info(const struct report *r, size_t before)
{
	for (size_t i = before; i < r->n_findings; i++)
		if (r->findings[i].severity > SEV_INFO)
			return true;
	return false;
}

/* Analyse a daemon.json against the flags. */
int dconfig_check(const struct dconfig_input *in, struct report *r)
{
	struct dconfig_run u = { .in = in, .r = r };
	const char *buf = in->buf;
	size_t len = in->len;
	json_object *root = NULL, *flat = NULL;
	struct finding *f;
	size_t before = r->n_findings;

	if (check_syntax(&u, &buf, &len) != 0)
		goto out;
	root = dconfig_parse_object(buf, len);
	flat = root ? dconfig_flatten(root, in->version) : NULL;
	if (!root || !flat) {
		f = dconfig_add(
			&u, SEV_UNKNOWN, "cannot analyse '%s': %s", in->path,
			root ? "out of memory" : "json-c could not read it");
		goto out;
	}
	if (dconfig_merge_init(&u, flat) < 0) {
		r->oom = true;
		goto out;
	}
	dconfig_check_unknown(&u, flat);
	dconfig_check_ignored(&u, root);
	for (size_t i = 0; i < in->n_flags; i++)
		if (dconfig_check_conflicts(&u, flat, &in->flags[i]) < 0)
			r->oom = true;
	dconfig_check_types(&u, root);
	dconfig_check_history(&u, root);
	dconfig_check_values(&u, root);
	dconfig_check_settings(&u);
	dconfig_check_host(&u);
out:
	if (!worse_than_info(r, before)) {
		f = dconfig_add(&u, SEV_OK, "dockerd %u.%u accepts '%s'%s",
				in->version / 100, in->version % 100, in->path,
				in->n_flags
					? " with the flags it is started with"
					: "");
		for (size_t i = 0; i < in->n_flags; i++)
			finding_add_evidence(f, i ? "flags_2" : "flags", "%s",
					     in->flags[i].source);
	}
	dconfig_merge_release(&u);
	json_object_put(flat);
	json_object_put(root);
	/* keys, flags and quoted lines may hold credentials too */
	report_mask_credentials(r, before);
	return r->oom ? -ENOMEM : u.refuse;
}

/* Which version's rules to apply. */
unsigned dconfig_pick_version(const char *option, const char *daemon_version,
			      const char **ret_source)
{
	unsigned v;

	if (option && dockerd_parse_version(option, &v) == 0) {
		*ret_source = "--docker-version";
	} else if (daemon_version &&
		   dockerd_parse_version(daemon_version, &v) == 0) {
		*ret_source = "the daemon's version";
	} else {
		*ret_source = "the newest version known (no daemon answered)";
		return DOCKER_VERSION_MAX;
	}
	if (v < DOCKER_VERSION_MIN)
		v = DOCKER_VERSION_MIN;
	if (v > DOCKER_VERSION_MAX)
		v = DOCKER_VERSION_MAX;
	return v;
}

/* Which version's rules to apply, the installed binary's included. */
unsigned dconfig_pick_version_bin(const char *option,
				  const char *daemon_version,
				  const struct dconfig_binver *bin,
				  const char **ret_source)
{
	unsigned v = dconfig_pick_version(option, daemon_version, ret_source);

	if (option || daemon_version || !bin ||
	    dockerd_parse_version(bin->version, &v) < 0)
		return dconfig_pick_version(option, daemon_version, ret_source);
	v = dconfig_pick_version(NULL, bin->version, ret_source);
	*ret_source = bin->source;
	return v;
}
