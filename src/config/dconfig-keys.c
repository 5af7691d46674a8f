// SPDX-License-Identifier: GPL-2.0-or-later
/* daemon.json analysis: unknown, ignored, old keys (dconfig-analyze.h). */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "config/dconfig-analyze.h"
#include "config/dockerd-options.h"
#include "core/util.h"

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
	if (v < 2900 && strcmp(key, "min-api-version") == 0)
		return "it exists from Docker 29.0, in the file only (no flag)";
	if (strcmp(key, "resolv-conf") == 0 ||
	    strcmp(key, "default-init") == 0 ||
	    strcmp(key, "containerd-plugin-namespace") == 0 ||
	    startswith(key, "swarm-raft-"))
		return "dockerd has a field of that name but no flag, and rejects the key";
	return NULL;
}

/* Unknown keys: findConfigurationConflicts()'s first test. */
void dconfig_check_unknown(struct dconfig_run *u, json_object *flat)
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
		f = dconfig_add(
			u, SEV_CRITICAL,
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
void dconfig_check_ignored(struct dconfig_run *u, json_object *root)
{
	unsigned v = u->in->version;

	json_object_object_foreach(root, key, val)
	{
		const struct dockerd_option *o = dockerd_flag(key, v);
		struct finding *f;

		(void)val;
		/* allow-nondistributable-artifacts, nri-opts: same name */
		if (!o || strlen(key) == 1 || !o->named ||
		    strcmp(o->named, key) == 0)
			continue;
		f = dconfig_add(
			u, SEV_WARNING,
			"key '%s' is accepted but ignored: the file's key is '%s'",
			key, o->named);
		finding_add_evidence(f, "key", "%s", key);
	}
}

/* Keys renamed or removed across versions that the file still uses. */
void dconfig_check_history(struct dconfig_run *u, json_object *root)
{
	unsigned v = u->in->version;
	json_object *x;
	struct finding *f;

	if (json_object_object_get_ex(root, "graph", &x) && v < 2400) {
		bool both = json_object_object_get_ex(root, "data-root", &x);

		f = dconfig_add(
			u, both || v >= 2300 ? SEV_CRITICAL : SEV_WARNING, "%s",
			both ? "'graph' and 'data-root' are both set: dockerd will refuse to start (\"cannot specify both\")"
			: v >= 2300
				? "'graph' is set: Docker 23 refuses it (\"the graph config file option is deprecated; use data-root instead\")"
				: "'graph' is deprecated (renamed 'data-root'); Docker 23 refuses it and 24 does not know it");
		finding_set_remedy(f, "Rename 'graph' to 'data-root'.");
	}
	if (v >= 2300 && v < 2400 &&
	    (json_object_object_get_ex(root, "cluster-store", &x) ||
	     json_object_object_get_ex(root, "cluster-advertise", &x))) {
		f = dconfig_add(
			u, SEV_CRITICAL,
			"'cluster-store'/'cluster-advertise' were removed in Docker 23: dockerd will refuse to start%s",
			"");
		finding_set_remedy(
			f,
			"Remove them (overlay networks now need swarm mode).");
	} else if (v < 2300 &&
		   (json_object_object_get_ex(root, "cluster-store", &x) ||
		    json_object_object_get_ex(root, "cluster-advertise", &x))) {
		dconfig_add(
			u, SEV_WARNING,
			"'cluster-store'/'cluster-advertise' are deprecated and removed in Docker 23%s",
			"");
	}
	if (json_object_object_get_ex(root, "oom-score-adjust", &x) &&
	    v >= 2400 && v < 2600)
		dconfig_add(u, v >= 2500 ? SEV_CRITICAL : SEV_WARNING,
			    "'oom-score-adjust' is deprecated%s",
			    v >= 2500 ? ": Docker 25 refuses it"
				      : " and refused from Docker 25");
	/* from 29.0 the key is unknown: dconfig_check_unknown() says so */
	if (json_object_object_get_ex(root, "api-cors-header", &x) &&
	    v >= 2700 && v < 2900)
		dconfig_add(u, v >= 2800 ? SEV_CRITICAL : SEV_WARNING,
			    "'api-cors-header' is deprecated%s",
			    v >= 2800 ? ": Docker 28 refuses it"
				      : " and refused from Docker 28");
	/* skipValidateOptions from 28.0: accepted, no field behind it */
	if (json_object_object_get_ex(root, "allow-nondistributable-artifacts",
				      &x) &&
	    v >= 2800)
		dconfig_add(
			u, SEV_INFO,
			"'allow-nondistributable-artifacts' is ignored: Docker 28 deprecated it (pushing nondistributable artifacts is on by default)%s",
			v >= 2900 ? " and 29.0 removed its flag" : "");
	if (json_object_object_get_ex(root, "hosts", &x))
		dconfig_add(
			u, SEV_INFO,
			"'hosts' is set: fine on Linux, but Docker Desktop (Windows, Mac) does not support it in daemon.json%s",
			"");
	if (v >= 2800 &&
	    json_object_object_get_ex(root, "host-gateway-ip", &x) &&
	    json_object_object_get_ex(root, "host-gateway-ips", &x))
		dconfig_add(
			u, SEV_CRITICAL,
			"'host-gateway-ip' and 'host-gateway-ips' are both set: dockerd will refuse to start%s",
			"");
}
