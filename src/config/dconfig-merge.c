// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemon.json analysis: the merged configuration (dconfig-analyze.h). The
 * rules that look at values and at the host judge what dockerd would run
 * with, so every flag's value is added to a copy of the file's keys in the
 * shape the file would give it, and the key remembers where it came from.
 * A flag value its type cannot hold is a refusal: pflag stops dockerd
 * before anything else ("invalid argument "x" for "--mtu" flag").
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/dconfig-analyze.h"
#include "config/dockerd-options.h"
#include "core/util.h"

/* strconv.ParseBool(). */
static int parse_bool(const char *s, bool *ret)
{
	static const char *const yes[] = {
		"1", "t", "T", "TRUE", "true", "True"
	};
	static const char *const no[] = { "0",	   "f",	    "F",
					  "FALSE", "false", "False" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* strconv.ParseInt() for the decimal values people write. */
static int parse_i64(const char *s, int64_t *ret)
{
	long n;

	if (parse_int(s, LONG_MIN, LONG_MAX, &n) < 0)
		return -EINVAL;
	*ret = n;
	return 0;
}

/* The refusal of a flag value the flag's type cannot hold. */
static void bad_flag_value(struct dconfig_run *u,
			   const struct dockerd_option *o, const char *value,
			   const char *source, const char *want)
{
	struct finding *f;
	char *shown = mask_credentials(value);

	f = dconfig_add(
		u, SEV_CRITICAL,
		"flag --%s in %s is '%s', not %s: dockerd will refuse to start",
		o->flag, source, shown ? shown : "?", want);
	finding_set_detail(
		f, "dockerd says: invalid argument \"%s\" for \"--%s\" flag.",
		shown ? shown : "?", o->flag);
	finding_add_evidence(f, "flags", "%s", source);
	free(shown);
}

/* A "NAME=VALUE" flag value split at its first '='. */
static void split_pair(const char *value, char *name, size_t size,
		       const char **ret_rest)
{
	const char *eq = strchr(value, '=');
	size_t n = eq ? (size_t)(eq - value) : strlen(value);

	snprintf(name, size, "%.*s", (int)n, value);
	*ret_rest = eq ? eq + 1 : "";
}

/* A limit as a number, or as the string it is when it is none. */
static json_object *limit_value(const char *s)
{
	int64_t n;

	if (parse_i64(s, &n) == 0)
		return json_object_new_int64(n);
	return json_object_new_string(s);
}

/* --default-ulimit NAME=SOFT[:HARD] as the file's {Name, Soft, Hard}. */
static json_object *ulimit_object(const char *value)
{
	char name[64], *colon;
	const char *rest;
	json_object *o = json_object_new_object();
	char buf[128];

	if (!o)
		return NULL;
	split_pair(value, name, sizeof(name), &rest);
	snprintf(buf, sizeof(buf), "%s", rest);
	colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	json_object_object_add(o, "Name", json_object_new_string(name));
	json_object_object_add(o, "Soft", limit_value(buf));
	json_object_object_add(o, "Hard", limit_value(colon ? colon + 1 : buf));
	return o;
}

/* --default-address-pool base=CIDR,size=N as the file's {base, size}. */
static json_object *pool_object(const char *value)
{
	json_object *o = json_object_new_object();
	char *copy = strdup(value), *save = NULL;

	if (!o || !copy) {
		json_object_put(o);
		free(copy);
		return NULL;
	}
	for (char *f = strtok_r(copy, ",", &save); f;
	     f = strtok_r(NULL, ",", &save)) {
		char name[64];
		const char *rest;
		int64_t n;

		split_pair(f, name, sizeof(name), &rest);
		if (strcmp(name, "size") == 0 && parse_i64(rest, &n) == 0)
			json_object_object_add(o, name,
					       json_object_new_int64(n));
		else
			json_object_object_add(o, name,
					       json_object_new_string(rest));
	}
	free(copy);
	return o;
}

/* The container a flag's values collect in (object or array), made anew
 * the first time a flag sets the key: the file's value is not merged. */
static json_object *flag_container(struct dconfig_run *u, const char *key,
				   json_type type, bool merge_file)
{
	json_object *c;

	if (json_object_object_get_ex(u->from_flags, key, NULL) || merge_file) {
		if (json_object_object_get_ex(u->merged, key, &c) &&
		    json_object_is_type(c, type))
			return c;
	}
	c = type == json_type_array ? json_object_new_array()
				    : json_object_new_object();
	if (c)
		json_object_object_add(u->merged, key, c);
	return c;
}

/* Add one value to an object or array container. */
static int put(json_object *c, const char *name, json_object *v)
{
	if (!c || !v) {
		json_object_put(v);
		return -ENOMEM;
	}
	if (name)
		return json_object_object_add(c, name, v) < 0 ? -ENOMEM : 0;
	return json_object_array_add(c, v) < 0 ? -ENOMEM : 0;
}

/* The value of one flag in the file's shape; 0, 1 (refused), -ENOMEM. */
static int flag_json(struct dconfig_run *u, const struct dockerd_option *o,
		     const char *key, const char *value, const char *source)
{
	char name[256];
	const char *rest;
	bool b;
	int64_t n;

	switch (o->type) {
	case OT_BOOL:
		if (parse_bool(value, &b) < 0) {
			bad_flag_value(u, o, value, source, "a boolean");
			return 1;
		}
		return put(u->merged, key, json_object_new_boolean(b));
	case OT_INT:
		if (parse_i64(value, &n) < 0) {
			bad_flag_value(u, o, value, source, "an integer");
			return 1;
		}
		return put(u->merged, key, json_object_new_int64(n));
	case OT_STRING:
		return put(u->merged, key, json_object_new_string(value));
	case OT_LIST:
		return put(flag_container(u, key, json_type_array, false), NULL,
			   json_object_new_string(value));
	case OT_OBJLIST:
		return put(flag_container(u, key, json_type_array, false), NULL,
			   pool_object(value));
	case OT_MAP:
		split_pair(value, name, sizeof(name), &rest);
		return put(flag_container(u, key, json_type_object, false),
			   name, json_object_new_string(rest));
	case OT_BOOLMAP:
		split_pair(value, name, sizeof(name), &rest);
		if (parse_bool(*rest ? rest : "true", &b) < 0) {
			bad_flag_value(u, o, value, source, "NAME=BOOLEAN");
			return 1;
		}
		return put(flag_container(u, key, json_type_object, false),
			   name, json_object_new_boolean(b));
	case OT_OBJECT:
		split_pair(value, name, sizeof(name), &rest);
		if (strcmp(key, "runtimes") == 0) {
			json_object *rt = json_object_new_object();

			if (rt)
				json_object_object_add(
					rt, "path",
					json_object_new_string(rest));
			/* the one key file and flags both set */
			return put(flag_container(u, key, json_type_object,
						  true),
				   name, rt);
		}
		if (strcmp(key, "default-ulimits") == 0)
			return put(flag_container(u, key, json_type_object,
						  false),
				   name, ulimit_object(value));
		return 0; /* default-network-opts: not judged */
	default:
		return 0;
	}
}

/* Add a flag's value to the merged configuration. */
int dconfig_merge_flag(struct dconfig_run *u, const struct dockerd_option *o,
		       const char *value, const char *source)
{
	const char *key = o->named ? o->named : o->flag;
	char *origin = NULL;
	int r;

	if (!u->merged || o->type == OT_NONE)
		return 0;
	r = flag_json(u, o, key, value, source);
	if (r != 0)
		return r < 0 ? r : 0;
	if (json_object_object_get_ex(u->from_flags, key, NULL))
		return 0;
	if (asprintf(&origin, "the flag --%s in %s", o->flag, source) < 0)
		return -ENOMEM;
	r = json_object_object_add(u->from_flags, key,
				   json_object_new_string(origin));
	free(origin);
	return r < 0 ? -ENOMEM : 0;
}

/* Where a key of the merged configuration was set. */
const char *dconfig_origin(const struct dconfig_run *u, const char *key)
{
	json_object *s;

	if (u->from_flags && json_object_object_get_ex(u->from_flags, key, &s))
		return json_object_get_string(s);
	return u->in->path;
}

/* Start the merged configuration from the file's keys. 0 or -ENOMEM. */
int dconfig_merge_init(struct dconfig_run *u, json_object *flat)
{
	if (json_object_deep_copy(flat, &u->merged, NULL) < 0)
		return -ENOMEM;
	u->from_flags = json_object_new_object();
	return u->from_flags ? 0 : -ENOMEM;
}

/* Free the merged configuration. */
void dconfig_merge_release(struct dconfig_run *u)
{
	json_object_put(u->merged);
	json_object_put(u->from_flags);
	u->merged = u->from_flags = NULL;
}
