// SPDX-License-Identifier: GPL-2.0-or-later
/* daemon.json analysis: flags against the file (dconfig-analyze.h). */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/dconfig-analyze.h"
#include "config/dockerd-options.h"
#include "core/util.h"

/* A command-line flag as parsed. */
struct flagval {
	const struct dockerd_option *opt;
	char *value; /* joined with " " when repeated */
};

/* Keep a flag's value; the values of a repeated flag are joined. */
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
	struct dconfig_run *u;
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

	if (o) {
		if (dconfig_merge_flag(w->u, o, value, w->src->source) < 0)
			return -ENOMEM;
		return flag_set(&w->fv, &w->n, o, value);
	}
	if (value)
		f = dconfig_add(
			w->u, SEV_CRITICAL,
			"unknown flag '%s' in the flags from %s: dockerd will refuse to start",
			raw, w->src->source);
	else
		f = dconfig_add(
			w->u, SEV_CRITICAL,
			"'%s' in the flags from %s is not a flag: dockerd will refuse to start (it takes no arguments)",
			raw, w->src->source);
	finding_add_evidence(f, "flags", "%s", w->src->source);
	return 0;
}

/* Parse dockerd's argv with pflag's rules; bad flags become findings. */
static int parse_flags(struct dconfig_run *u, const struct dconfig_flags *src,
		       struct flagval **ret, size_t *ret_n)
{
	struct flag_walk w = { .u = u, .src = src };
	int r = dockerd_walk_argv(src->argv, u->in->version, on_flag, &w);

	*ret = w.fv;
	*ret_n = w.n;
	return r;
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
static void check_merged(struct dconfig_run *u, json_object *flat,
			 const struct flagval *fv, size_t n,
			 const struct dconfig_flags *src)
{
	const char *rt = flag_value(fv, n, "default-runtime");
	const char *lvl = flag_value(fv, n, "log-level");
	struct finding *f;

	if (rt && *rt &&
	    !runtime_defined(flat, flag_value(fv, n, "add-runtime"), rt)) {
		f = dconfig_add(
			u, SEV_CRITICAL,
			"default runtime '%s' (flag in %s) is not defined: dockerd will refuse to start",
			rt, src->source);
		finding_add_evidence(f, "flags", "%s", src->source);
	}
	if (lvl && !dconfig_valid_log_level(lvl)) {
		f = dconfig_add(
			u, SEV_CRITICAL,
			"log level '%s' (flag in %s) is not one of debug, info, warn, error, fatal: dockerd will refuse to start",
			lvl, src->source);
		finding_add_evidence(f, "flags", "%s", src->source);
	}
}

/*
 * 'hosts' in the file and -H in a systemd unit: keep the file's list and
 * start dockerd as the unit does, without -H (the drop-in the gather built
 * from the unit read, dconfig.h).
 */
static void remedy_hosts_dropin(struct dconfig_run *u, struct finding *f,
				const struct dconfig_flags *src)
{
	if (!src->dropin_text) {
		finding_set_remedy(
			f,
			"Keep 'hosts' in daemon.json and drop -H from the unit: a drop-in in /etc/systemd/system/docker.service.d/ with an empty 'ExecStart=' line, then 'ExecStart=' with the unit's command without its -H arguments; then systemctl daemon-reload && systemctl restart docker. Or remove 'hosts' from %s.",
			u->in->path);
		return;
	}
	finding_set_remedy(
		f,
		"Keep 'hosts' in daemon.json and drop -H from the unit: create %s with\n%sthen systemctl daemon-reload && systemctl restart docker%s%s. Or remove 'hosts' from %s.",
		src->dropin_path, src->dropin_text,
		src->dropin_note ? "; " : "",
		src->dropin_note ? src->dropin_note : "", u->in->path);
	finding_add_evidence(f, "dropin", "%s", src->dropin_path);
}

/* Flag and file both set a key: findConfigurationConflicts(). */
int dconfig_check_conflicts(struct dconfig_run *u, json_object *flat,
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
		shown = dconfig_show(val);
		flagval = mask_credentials(fv[i].value);
		f = dconfig_add(
			u, SEV_CRITICAL,
			"dockerd will refuse to start: '%s' is set both in %s and as a flag in %s",
			key, u->in->path, src->source);
		finding_set_detail(
			f,
			"dockerd: \"the following directives are specified both as a flag and in the configuration file: %s: (from flag: %s, from file: %s)\". Only 'runtimes' may be given in both places.",
			key, flagval ? flagval : "?", shown ? shown : "?");
		if (strcmp(key, "hosts") == 0 && src->from_systemd)
			remedy_hosts_dropin(u, f, src);
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
