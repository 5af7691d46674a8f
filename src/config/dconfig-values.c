// SPDX-License-Identifier: GPL-2.0-or-later
/* daemon.json analysis: types and Validate()'s rules (dconfig-analyze.h). */
#include "config.h"

#include <arpa/inet.h>
#include <json-c/json.h>
#include <string.h>

#include "config/dconfig-analyze.h"
#include "config/dockerd-options.h"
#include "core/util.h"

/* A field type in words, for messages. */
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

/* The type of a JSON value in words, for messages. */
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
void dconfig_check_types(struct dconfig_run *u, json_object *root)
{
	unsigned v = u->in->version;

	json_object_object_foreach(root, key, val)
	{
		enum opt_type t = dockerd_key_type(key, v);
		struct finding *f;
		char *shown;

		if (t == OT_NONE || fits(val, t))
			continue;
		shown = dconfig_show(val);
		f = dconfig_add(
			u, SEV_CRITICAL,
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

/* Lower bounds that Validate() enforces. */
static const struct {
	const char *key;
	long min;
} limits[] = {
	{ "max-concurrent-downloads", 0 },
	{ "max-concurrent-uploads", 0 },
	{ "max-download-attempts", 1 },
};

/* Settings that take one of two words, and what dockerd says otherwise. */
static const struct {
	const char *key, *one, *other, *why;
} modes[] = {
	{ "default-ipc-mode", "private", "shareable",
	  "is not supported as a default (use \"shareable\" or \"private\")" },
	{ "default-cgroupns-mode", "private", "host",
	  "is invalid (use \"private\" or \"host\")" },
};

/* config.Validate() and the label check that follow the merge. */
void dconfig_check_values(struct dconfig_run *u, json_object *root)
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
				dconfig_add(
					u, SEV_CRITICAL,
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
				dconfig_add(
					u, SEV_CRITICAL,
					"label '%s' is not KEY=VALUE: dockerd will refuse to start (\"bad attribute format: %s\")",
					a, a);
				continue;
			}
			for (size_t j = 0; eq && j < i; j++) {
				const char *b = json_object_get_string(
					json_object_array_get_idx(x, j));

				if (b && strncmp(a, b, eq - a + 1) == 0 &&
				    strcmp(a, b) != 0) {
					f = dconfig_add(
						u, SEV_CRITICAL,
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
	    !dconfig_valid_log_level(json_object_get_string(x)))
		dconfig_add(
			u, SEV_CRITICAL,
			"log level '%s' is not one of debug, info, warn, error, fatal: dockerd will refuse to start (\"unable to parse logging level\")",
			json_object_get_string(x));
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		const char *m;

		if (!json_object_object_get_ex(root, modes[i].key, &x) ||
		    !json_object_is_type(x, json_type_string))
			continue;
		m = json_object_get_string(x);
		if (*m && strcmp(m, modes[i].one) != 0 &&
		    strcmp(m, modes[i].other) != 0)
			dconfig_add(
				u, SEV_CRITICAL,
				"'%s' '%s' %s: dockerd will refuse to start",
				modes[i].key, m, modes[i].why);
	}
	for (size_t i = 0; i < ARRAY_SIZE(limits); i++) {
		long long n;

		if (!json_object_object_get_ex(root, limits[i].key, &x) ||
		    !json_object_is_type(x, json_type_int))
			continue;
		n = (long long)json_object_get_int64(x);
		if (n < limits[i].min)
			dconfig_add(
				u, SEV_CRITICAL,
				"'%s' is %lld, below %ld: dockerd will refuse to start (\"invalid %s: %lld\")",
				limits[i].key, n, limits[i].min, limits[i].key,
				n);
	}
	if (json_object_object_get_ex(root, "runtimes", &x) &&
	    json_object_is_type(x, json_type_object) &&
	    json_object_object_get_ex(x, "runc", NULL))
		dconfig_add(
			u, SEV_CRITICAL,
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
			dconfig_add(
				u, SEV_CRITICAL,
				"default runtime '%s' is not defined in 'runtimes': dockerd will refuse to start",
				rt);
	}
}
