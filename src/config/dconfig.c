// SPDX-License-Identifier: GPL-2.0-or-later
/* daemon.json analysis (see dconfig.h). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/dconfig.h"
#include "config/dockerd-options.h"
#include "config/jsonscan.h"
#include "core/util.h"

struct run {
	const struct dconfig_input *in;
	struct report *r;
	bool refuse;
};

/* A finding with the file's evidence already attached. */
static struct finding *add(struct run *u, enum severity sev, const char *fmt,
			   ...) __attribute__((format(printf, 3, 4)));

static struct finding *add(struct run *u, enum severity sev, const char *fmt,
			   ...)
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
	if (sev == SEV_CRITICAL)
		u->refuse = true;
	return f;
}

/* A JSON value as compact, credential-masked text. */
static char *show(json_object *v)
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
static int check_syntax(struct run *u, const char **pbuf, size_t *plen)
{
	const char *buf = *pbuf;
	size_t len = *plen, i = 0;
	struct jsonscan_result js;
	struct finding *f;
	char line[128];

	if (len >= 2 &&
	    ((unsigned char)buf[0] == 0xff || (unsigned char)buf[0] == 0xfe) &&
	    ((unsigned char)buf[1] == 0xfe || (unsigned char)buf[1] == 0xff)) {
		f = add(u, u->in->version < 2300 ? SEV_CRITICAL : SEV_UNKNOWN,
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
		f = add(u, u->in->version < 2300 ? SEV_CRITICAL : SEV_INFO,
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
		f = add(u, u->in->version < 2300 ? SEV_CRITICAL : SEV_INFO,
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
		f = add(u, SEV_CRITICAL,
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
		f = add(u, u->in->version < 2300 ? SEV_WARNING : SEV_CRITICAL,
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
		add(u, SEV_WARNING,
		    "'%s' is just null: dockerd accepts it as an empty configuration",
		    u->in->path);
		return 1;
	}
	if (js.top != '{') {
		add(u, SEV_CRITICAL,
		    "'%s' is not a JSON object but %s: dockerd will refuse to start",
		    u->in->path,
		    js.top == '['   ? "an array"
		    : js.top == '"' ? "a string"
		    : js.top == 'l' ? "null"
		    : js.top == 't' ? "a boolean"
				    : "a number");
		return 1;
	}
	for (size_t d = 0; d < js.n_dups && d < JSONSCAN_MAX_DUPS; d++) {
		f = add(u, SEV_WARNING,
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

/* Edit distance, for "did you mean". */
static unsigned distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[64];

	if (la > 60 || lb > 60)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned prev = row[0], tmp;

		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] =
				a[i - 1] == b[j - 1]
					? prev
					: 1 + (prev < row[j]
						       ? (prev < row[j - 1]
								  ? prev
								  : row[j - 1])
						       : (row[j] < row[j - 1]
								  ? row[j]
								  : row[j - 1]));
			prev = tmp;
		}
	}
	return row[lb];
}

/* The closest valid key to key, or NULL. */
static const char *suggest(const char *key, unsigned v)
{
	const struct dockerd_option *o = NULL;
	const char *best = NULL;
	unsigned bd = 3;

	while ((o = dockerd_option_next(o, v))) {
		const char *k = o->named ? o->named : o->flag;
		unsigned d = distance(key, k);

		if (d < bd) {
			bd = d;
			best = k;
		}
	}
	return best;
}

/* Where an unknown key is known from, or why it is gone. */
static const char *history(const char *key, unsigned v)
{
	static char buf[160];

	for (unsigned w = DOCKER_VERSION_MIN; w <= DOCKER_VERSION_MAX; w++) {
		const struct dockerd_option *o = dockerd_flag(key, w);

		if (!o)
			o = dockerd_named(key, w);
		if (!o || strlen(key) == 1)
			continue;
		if (w > v) {
			snprintf(buf, sizeof(buf),
				 "it exists from Docker %u.%u", w / 100,
				 w % 100);
			return buf;
		}
		if (o->until && o->until <= v) {
			snprintf(buf, sizeof(buf),
				 "it was removed in Docker %u.%u",
				 o->until / 100, o->until % 100);
			return buf;
		}
	}
	if (strcmp(key, "resolv-conf") == 0 ||
	    strcmp(key, "default-init") == 0 ||
	    strcmp(key, "containerd-plugin-namespace") == 0 ||
	    startswith(key, "swarm-raft-"))
		return "dockerd has a field of that name but no flag, and rejects the key";
	return NULL;
}

/* Unknown keys: findConfigurationConflicts()'s first test. */
static void check_unknown(struct run *u, json_object *flat)
{
	unsigned v = u->in->version;

	json_object_object_foreach(flat, key, val)
	{
		const char *why, *near;
		struct finding *f;

		(void)val;
		if ((dockerd_flag(key, v) && strlen(key) > 1) ||
		    dockerd_skip_validate(key, v) || dockerd_named(key, v))
			continue;
		f = add(u, SEV_CRITICAL,
			"unknown key '%s': dockerd will refuse to start (\"the following directives don't match any configuration option: %s\")",
			key, key);
		why = history(key, v);
		near = suggest(key, v);
		if (strlen(key) == 1 && dockerd_flag(key, v))
			finding_set_detail(
				f,
				"'%s' is the shorthand of --%s; the file takes long names only.",
				key, dockerd_flag(key, v)->flag);
		else if (why || near)
			finding_set_detail(f, "%s%s%s%s%s", why ? why : "",
					   why && near ? "; " : "",
					   near ? "did you mean '" : "",
					   near ? near : "", near ? "'?" : "");
		finding_set_remedy(
			f,
			"Remove or rename the key; 'dockerd --help' lists the options (the file uses the long names, plural for lists: labels, log-opts).");
		finding_add_evidence(f, "key", "%s", key);
	}
}

/* Keys that name a flag but no field: accepted and silently ignored. */
static void check_ignored(struct run *u, json_object *root)
{
	unsigned v = u->in->version;

	json_object_object_foreach(root, key, val)
	{
		const struct dockerd_option *o = dockerd_flag(key, v);
		struct finding *f;

		(void)val;
		if (!o || strlen(key) == 1 || !o->named)
			continue;
		f = add(u, SEV_WARNING,
			"key '%s' is accepted but ignored: the file's key is '%s'",
			key, o->named);
		finding_add_evidence(f, "key", "%s", key);
	}
}

/* A command-line flag as parsed. */
struct flagval {
	const struct dockerd_option *opt;
	char *value; /* joined with ", " when repeated */
};

static int flag_set(struct flagval **fv, size_t *n,
		    const struct dockerd_option *o, const char *value)
{
	struct flagval *nv;
	char *joined;

	for (size_t i = 0; i < *n; i++) {
		if ((*fv)[i].opt != o)
			continue;
		if (asprintf(&joined, "%s %s", (*fv)[i].value, value) < 0)
			return -ENOMEM;
		free((*fv)[i].value);
		(*fv)[i].value = joined;
		return 0;
	}
	nv = reallocarray(*fv, *n + 1, sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	*fv = nv;
	nv[*n].opt = o;
	nv[*n].value = strdup(value);
	if (!nv[*n].value)
		return -ENOMEM;
	(*n)++;
	return 0;
}

struct flag_walk {
	struct run *u;
	const struct dconfig_flags *src;
	struct flagval *fv;
	size_t n;
};

/* One argument of a flag source: a flag to keep, or a finding. */
static int on_flag(void *arg, const char *raw, const struct dockerd_option *o,
		   const char *value)
{
	struct flag_walk *w = arg;
	struct finding *f;

	if (o)
		return flag_set(&w->fv, &w->n, o, value);
	if (value)
		f = add(w->u, SEV_CRITICAL,
			"unknown flag '%s' in the flags from %s: dockerd will refuse to start",
			raw, w->src->source);
	else
		f = add(w->u, SEV_CRITICAL,
			"'%s' in the flags from %s is not a flag: dockerd will refuse to start (it takes no arguments)",
			raw, w->src->source);
	finding_add_evidence(f, "flags", "%s", w->src->source);
	return 0;
}

/* Parse dockerd's argv with pflag's rules; bad flags become findings. */
static int parse_flags(struct run *u, const struct dconfig_flags *src,
		       struct flagval **ret, size_t *ret_n)
{
	struct flag_walk w = { .u = u, .src = src };
	int r = dockerd_walk_argv(src->argv, u->in->version, on_flag, &w);

	*ret = w.fv;
	*ret_n = w.n;
	return r;
}

/* logrus.ParseLevel(): the levels dockerd understands. */
static bool valid_log_level(const char *l)
{
	static const char *const levels[] = { "panic", "fatal",	  "error",
					      "warn",  "warning", "info",
					      "debug", "trace" };

	for (size_t i = 0; i < ARRAY_SIZE(levels); i++)
		if (strcasecmp(l, levels[i]) == 0)
			return true;
	return false;
}

/* The value of a parsed flag, or NULL. */
static const char *flag_value(const struct flagval *fv, size_t n,
			      const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fv[i].opt->flag, name) == 0)
			return fv[i].value;
	return NULL;
}

/* Is name a runtime of the file or of an --add-runtime flag? */
static bool runtime_defined(json_object *flat, const char *add_runtime,
			    const char *name)
{
	json_object *rts;
	size_t len = strlen(name);
	const char *p = add_runtime;

	if (strcmp(name, "runc") == 0)
		return true;
	if (json_object_object_get_ex(flat, "runtimes", &rts) &&
	    json_object_is_type(rts, json_type_object) &&
	    json_object_object_get_ex(rts, name, NULL))
		return true;
	/* --add-runtime values are "name=path", joined by spaces */
	while (p && *p) {
		if (strncmp(p, name, len) == 0 && p[len] == '=')
			return true;
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return false;
}

/* Checks on the merged configuration (file and flags together). */
static void check_merged(struct run *u, json_object *flat,
			 const struct flagval *fv, size_t n,
			 const struct dconfig_flags *src)
{
	const char *rt = flag_value(fv, n, "default-runtime");
	const char *lvl = flag_value(fv, n, "log-level");
	struct finding *f;

	if (rt && *rt &&
	    !runtime_defined(flat, flag_value(fv, n, "add-runtime"), rt)) {
		f = add(u, SEV_CRITICAL,
			"default runtime '%s' (flag in %s) is not defined: dockerd will refuse to start",
			rt, src->source);
		finding_add_evidence(f, "flags", "%s", src->source);
	}
	if (lvl && !valid_log_level(lvl)) {
		f = add(u, SEV_CRITICAL,
			"log level '%s' (flag in %s) is not one of debug, info, warn, error, fatal: dockerd will refuse to start",
			lvl, src->source);
		finding_add_evidence(f, "flags", "%s", src->source);
	}
}

/* Flag and file both set a key: findConfigurationConflicts(). */
static int check_conflicts(struct run *u, json_object *flat,
			   const struct dconfig_flags *src)
{
	struct flagval *fv = NULL;
	size_t n = 0;
	int r = parse_flags(u, src, &fv, &n);

	for (size_t i = 0; i < n; i++) {
		const struct dockerd_option *o = fv[i].opt;
		char sh[2] = { o->shorthand, 0 };
		const char *key = o->named ? o->named : o->flag;
		json_object *val;
		struct finding *f;
		char *shown, *flagval;

		if (strcmp(key, "runtimes") == 0)
			continue; /* the one option that merges */
		if (!json_object_object_get_ex(flat, key, &val) &&
		    !(o->named == NULL && o->shorthand &&
		      json_object_object_get_ex(flat, sh, &val)))
			continue;
		shown = show(val);
		flagval = mask_credentials(fv[i].value);
		f = add(u, SEV_CRITICAL,
			"dockerd will refuse to start: '%s' is set both in %s and as a flag in %s",
			key, u->in->path, src->source);
		finding_set_detail(
			f,
			"dockerd: \"the following directives are specified both as a flag and in the configuration file: %s: (from flag: %s, from file: %s)\". Only 'runtimes' may be given in both places.",
			key, flagval ? flagval : "?", shown ? shown : "?");
		if (strcmp(key, "hosts") == 0 && src->from_systemd)
			finding_set_remedy(
				f,
				"Keep 'hosts' in daemon.json and drop -H from the unit: create /etc/systemd/system/docker.service.d/docker.conf with\n[Service]\nExecStart=\nExecStart=/usr/bin/dockerd\n(the path of your dockerd), then systemctl daemon-reload && systemctl restart docker. Or remove 'hosts' from %s.",
				u->in->path);
		else
			finding_set_remedy(
				f,
				"Set '%s' in one place only: remove it from %s, or remove the flag from %s.",
				key, u->in->path, src->source);
		finding_add_evidence(f, "key", "%s", key);
		finding_add_evidence(f, "flag_value", "%s",
				     flagval ? flagval : "?");
		finding_add_evidence(f, "file_value", "%s",
				     shown ? shown : "?");
		finding_add_evidence(f, "flags", "%s", src->source);
		free(shown);
		free(flagval);
	}
	check_merged(u, flat, fv, n, src);
	for (size_t i = 0; i < n; i++)
		free(fv[i].value);
	free(fv);
	return r;
}

static const char *type_name(enum opt_type t)
{
	switch (t) {
	case OT_BOOL:
		return "a boolean (true or false)";
	case OT_STRING:
		return "a string";
	case OT_INT:
		return "a whole number";
	case OT_LIST:
		return "an array of strings";
	case OT_MAP:
		return "an object of strings";
	case OT_OBJECT:
		return "an object";
	case OT_OBJLIST:
		return "an array of objects";
	case OT_BOOLMAP:
		return "an object of booleans";
	default:
		return "anything";
	}
}

/* Does a JSON value fit a field type, as encoding/json decides? */
static bool fits(json_object *val, enum opt_type t)
{
	enum json_type jt = json_object_get_type(val);

	if (jt == json_type_null)
		return true; /* Go leaves the field at its zero value */
	switch (t) {
	case OT_BOOL:
		return jt == json_type_boolean;
	case OT_STRING:
		return jt == json_type_string;
	case OT_INT:
		return jt == json_type_int;
	case OT_OBJECT:
		return jt == json_type_object;
	case OT_LIST:
	case OT_OBJLIST:
		if (jt != json_type_array)
			return false;
		for (size_t i = 0; i < json_object_array_length(val); i++) {
			json_object *e = json_object_array_get_idx(val, i);
			enum json_type et = json_object_get_type(e);

			if (et != json_type_null &&
			    et != (t == OT_LIST ? json_type_string
						: json_type_object))
				return false;
		}
		return true;
	case OT_MAP:
	case OT_BOOLMAP:
		if (jt != json_type_object)
			return false;
		json_object_object_foreach(val, k, e)
		{
			(void)k;
			if (!json_object_is_type(
				    e, t == OT_MAP ? json_type_string
						   : json_type_boolean) &&
			    !json_object_is_type(e, json_type_null))
				return false;
		}
		return true;
	default:
		return true;
	}
}

static const char *json_type_word(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a fractional number";
	case json_type_int:
		return "a number";
	case json_type_string:
		return "a string";
	case json_type_array:
		return "an array";
	case json_type_object:
		return "an object";
	default:
		return "null";
	}
}

/* Values of the wrong type: json.Unmarshal into Config fails. */
static void check_types(struct run *u, json_object *root)
{
	unsigned v = u->in->version;

	json_object_object_foreach(root, key, val)
	{
		enum opt_type t = dockerd_key_type(key, v);
		struct finding *f;
		char *shown;

		if (t == OT_NONE || fits(val, t))
			continue;
		shown = show(val);
		f = add(u, SEV_CRITICAL,
			"'%s' must be %s, not %s: dockerd will refuse to start",
			key, type_name(t), json_type_word(val));
		finding_set_detail(
			f,
			"dockerd: \"json: cannot unmarshal ... into Go struct field Config.%s\"; the value is %s.",
			key, shown ? shown : "?");
		finding_add_evidence(f, "key", "%s", key);
		free(shown);
	}
}

/* Keys renamed or removed across versions that the file still uses. */
static void check_history(struct run *u, json_object *root)
{
	unsigned v = u->in->version;
	json_object *x;
	struct finding *f;

	if (json_object_object_get_ex(root, "graph", &x) && v < 2400) {
		bool both = json_object_object_get_ex(root, "data-root", &x);

		f = add(u, both || v >= 2300 ? SEV_CRITICAL : SEV_WARNING, "%s",
			both ? "'graph' and 'data-root' are both set: dockerd will refuse to start (\"cannot specify both\")"
			: v >= 2300
				? "'graph' is set: Docker 23 refuses it (\"the graph config file option is deprecated; use data-root instead\")"
				: "'graph' is deprecated (renamed 'data-root'); Docker 23 refuses it and 24 does not know it");
		finding_set_remedy(f, "Rename 'graph' to 'data-root'.");
	}
	if (v >= 2300 && v < 2400 &&
	    (json_object_object_get_ex(root, "cluster-store", &x) ||
	     json_object_object_get_ex(root, "cluster-advertise", &x))) {
		f = add(u, SEV_CRITICAL,
			"'cluster-store'/'cluster-advertise' were removed in Docker 23: dockerd will refuse to start%s",
			"");
		finding_set_remedy(
			f,
			"Remove them (overlay networks now need swarm mode).");
	} else if (v < 2300 &&
		   (json_object_object_get_ex(root, "cluster-store", &x) ||
		    json_object_object_get_ex(root, "cluster-advertise", &x))) {
		add(u, SEV_WARNING,
		    "'cluster-store'/'cluster-advertise' are deprecated and removed in Docker 23%s",
		    "");
	}
	if (json_object_object_get_ex(root, "oom-score-adjust", &x) &&
	    v >= 2400 && v < 2600)
		add(u, v >= 2500 ? SEV_CRITICAL : SEV_WARNING,
		    "'oom-score-adjust' is deprecated%s",
		    v >= 2500 ? ": Docker 25 refuses it"
			      : " and refused from Docker 25");
	if (json_object_object_get_ex(root, "api-cors-header", &x) && v >= 2700)
		add(u, v >= 2800 ? SEV_CRITICAL : SEV_WARNING,
		    "'api-cors-header' is deprecated%s",
		    v >= 2800 ? ": Docker 28 refuses it"
			      : " and refused from Docker 28");
	if (json_object_object_get_ex(root, "hosts", &x))
		add(u, SEV_INFO,
		    "'hosts' is set: fine on Linux, but Docker Desktop (Windows, Mac) does not support it in daemon.json%s",
		    "");
	if (v >= 2800 &&
	    json_object_object_get_ex(root, "host-gateway-ip", &x) &&
	    json_object_object_get_ex(root, "host-gateway-ips", &x))
		add(u, SEV_CRITICAL,
		    "'host-gateway-ip' and 'host-gateway-ips' are both set: dockerd will refuse to start%s",
		    "");
}

/* Lower bounds that Validate() enforces. */
static const struct {
	const char *key;
	long min;
} limits[] = {
	{ "max-concurrent-downloads", 0 },
	{ "max-concurrent-uploads", 0 },
	{ "max-download-attempts", 1 },
};

/* config.Validate() and the label check that follow the merge. */
static void check_values(struct run *u, json_object *root)
{
	json_object *x;
	struct finding *f;

	if (json_object_object_get_ex(root, "dns", &x) &&
	    json_object_is_type(x, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(x); i++) {
			const char *s = json_object_get_string(
				json_object_array_get_idx(x, i));
			unsigned char b[16];

			if (s && inet_pton(AF_INET, s, b) != 1 &&
			    inet_pton(AF_INET6, s, b) != 1)
				add(u, SEV_CRITICAL,
				    "'dns' entry '%s' is not an IP address: dockerd will refuse to start",
				    s);
		}
	}
	if (json_object_object_get_ex(root, "labels", &x) &&
	    json_object_is_type(x, json_type_array)) {
		size_t n = json_object_array_length(x);

		for (size_t i = 0; i < n; i++) {
			const char *a = json_object_get_string(
				json_object_array_get_idx(x, i));
			const char *eq = a ? strchr(a, '=') : NULL;

			if (a && !eq) {
				add(u, SEV_CRITICAL,
				    "label '%s' is not KEY=VALUE: dockerd will refuse to start (\"bad attribute format: %s\")",
				    a, a);
				continue;
			}
			for (size_t j = 0; eq && j < i; j++) {
				const char *b = json_object_get_string(
					json_object_array_get_idx(x, j));

				if (b && strncmp(a, b, eq - a + 1) == 0 &&
				    strcmp(a, b) != 0) {
					f = add(u, SEV_CRITICAL,
						"conflicting labels '%s' and '%s': dockerd will refuse to start",
						b, a);
					finding_set_detail(
						f,
						"dockerd: \"conflict labels for %s and %s\".",
						a, b);
				}
			}
		}
	}
	if (json_object_object_get_ex(root, "log-level", &x) &&
	    json_object_is_type(x, json_type_string) &&
	    *json_object_get_string(x) &&
	    !valid_log_level(json_object_get_string(x)))
		add(u, SEV_CRITICAL,
		    "log level '%s' is not one of debug, info, warn, error, fatal: dockerd will refuse to start (\"unable to parse logging level\")",
		    json_object_get_string(x));
	if (json_object_object_get_ex(root, "default-ipc-mode", &x) &&
	    json_object_is_type(x, json_type_string) &&
	    *json_object_get_string(x) &&
	    strcmp(json_object_get_string(x), "private") != 0 &&
	    strcmp(json_object_get_string(x), "shareable") != 0)
		add(u, SEV_CRITICAL,
		    "'default-ipc-mode' '%s' is not supported as a default (use \"shareable\" or \"private\"): dockerd will refuse to start",
		    json_object_get_string(x));
	if (json_object_object_get_ex(root, "default-cgroupns-mode", &x) &&
	    json_object_is_type(x, json_type_string) &&
	    *json_object_get_string(x) &&
	    strcmp(json_object_get_string(x), "private") != 0 &&
	    strcmp(json_object_get_string(x), "host") != 0)
		add(u, SEV_CRITICAL,
		    "'default-cgroupns-mode' '%s' is invalid (use \"private\" or \"host\"): dockerd will refuse to start",
		    json_object_get_string(x));
	for (size_t i = 0; i < ARRAY_SIZE(limits); i++) {
		long long n;

		if (!json_object_object_get_ex(root, limits[i].key, &x) ||
		    !json_object_is_type(x, json_type_int))
			continue;
		n = (long long)json_object_get_int64(x);
		if (n < limits[i].min)
			add(u, SEV_CRITICAL,
			    "'%s' is %lld, below %ld: dockerd will refuse to start (\"invalid %s: %lld\")",
			    limits[i].key, n, limits[i].min, limits[i].key, n);
	}
	if (json_object_object_get_ex(root, "runtimes", &x) &&
	    json_object_is_type(x, json_type_object) &&
	    json_object_object_get_ex(x, "runc", NULL))
		add(u, SEV_CRITICAL,
		    "runtime name 'runc' is reserved: dockerd will refuse to start%s",
		    "");
	if (json_object_object_get_ex(root, "default-runtime", &x) &&
	    json_object_is_type(x, json_type_string)) {
		const char *rt = json_object_get_string(x);
		json_object *rts = NULL;

		json_object_object_get_ex(root, "runtimes", &rts);
		if (strcmp(rt, "runc") != 0 && *rt &&
		    !(rts && json_object_is_type(rts, json_type_object) &&
		      json_object_object_get_ex(rts, rt, NULL)))
			add(u, SEV_CRITICAL,
			    "default runtime '%s' is not defined in 'runtimes': dockerd will refuse to start",
			    rt);
	}
}

/* Analyse a daemon.json against the flags. */
int dconfig_check(const struct dconfig_input *in, struct report *r)
{
	struct run u = { .in = in, .r = r };
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
		f = add(&u, SEV_UNKNOWN, "cannot analyse '%s': %s", in->path,
			root ? "out of memory" : "json-c could not read it");
		goto out;
	}
	check_unknown(&u, flat);
	check_ignored(&u, root);
	for (size_t i = 0; i < in->n_flags; i++)
		if (check_conflicts(&u, flat, &in->flags[i]) < 0)
			r->oom = true;
	check_types(&u, root);
	check_history(&u, root);
	check_values(&u, root);
out:
	if (r->n_findings == before) {
		f = add(&u, SEV_OK, "dockerd %u.%u accepts '%s'%s",
			in->version / 100, in->version % 100, in->path,
			in->n_flags ? " with the flags it is started with"
				    : "");
		for (size_t i = 0; i < in->n_flags; i++)
			finding_add_evidence(f, i ? "flags_2" : "flags", "%s",
					     in->flags[i].source);
	}
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
