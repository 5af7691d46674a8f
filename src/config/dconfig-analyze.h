/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to the daemon.json analysis (dconfig_check(), see dconfig.h),
 * which is split by what it judges:
 *   dconfig-analyze.c  the run: bytes and syntax, then each stage below
 *   dconfig-keys.c     key names: unknown (with "did you mean" and the
 *                      version that knows it), ignored, renamed or removed
 *   dconfig-flags.c    the command-line flags: parsed with pflag's rules,
 *                      conflicts with the file, the merged result
 *   dconfig-values.c   values: the field's type, then Validate()'s rules
 *   dconfig-merge.c    the merged configuration: the file's keys with every
 *                      flag's value added in the file's shape
 *   dconfig-settings.c the merged values as dockerd's start-up validates
 *                      them (registries, networks, log options, runtimes,
 *                      ulimits...) and the flag pairs it refuses
 *   dconfig-host.c     the facts of this host that decide the start
 *                      (group, runtime binaries, storage driver, address
 *                      pools, listen addresses, TLS files)
 * Every stage adds its findings through dconfig_add(); none returns them.
 */
#ifndef DD_DCONFIG_ANALYZE_H
#define DD_DCONFIG_ANALYZE_H

#include <stdbool.h>

#include <json-c/json.h>

#include "config/dconfig.h"
#include "core/report.h"

/* One dconfig_check() call: its input, the report, the verdict so far. */
struct dconfig_run {
	const struct dconfig_input *in;
	struct report *r;
	bool refuse;
	/*
	 * The configuration dockerd would run with: the file's keys
	 * (flattened as dockerd does) with every flag's value added under
	 * its key in the file's shape: booleans and integers typed, list
	 * flags as arrays of strings, --log-opt as an object of strings,
	 * --add-runtime NAME=PATH as runtimes.NAME.path (merged with the
	 * file's runtimes), --default-ulimit as {Name, Soft, Hard},
	 * --default-address-pool as {base, size}. A key set both in the
	 * file and by a flag (a refusal of its own) holds the flag's value.
	 */
	json_object *merged;
	json_object *from_flags; /* key -> "the flag --X in SOURCE" */
};

/* A finding with the file's evidence already attached. */
struct finding *dconfig_add(struct dconfig_run *u, enum severity sev,
			    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A JSON value as compact, credential-masked text (new string or NULL). */
char *dconfig_show(json_object *v);

/* logrus.ParseLevel(): the levels dockerd understands. */
bool dconfig_valid_log_level(const char *l);

/* Unknown keys: findConfigurationConflicts()'s first test. */
void dconfig_check_unknown(struct dconfig_run *u, json_object *flat);

/* Keys that name a flag but no field: accepted and silently ignored. */
void dconfig_check_ignored(struct dconfig_run *u, json_object *root);

/* Keys renamed or removed across versions that the file still uses. */
void dconfig_check_history(struct dconfig_run *u, json_object *root);

/*
 * Flag and file both set a key: findConfigurationConflicts(); then the
 * checks on the merged configuration. 0 or -ENOMEM.
 */
int dconfig_check_conflicts(struct dconfig_run *u, json_object *flat,
			    const struct dconfig_flags *src);

/* Start u->merged from the file's keys. 0 or -ENOMEM. */
int dconfig_merge_init(struct dconfig_run *u, json_object *flat);

/* Add a flag's value to u->merged (a refusal when the type cannot hold it). */
struct dockerd_option;
int dconfig_merge_flag(struct dconfig_run *u, const struct dockerd_option *o,
		       const char *value, const char *source);

/* Where a key of u->merged was set: the file's path or "the flag --X in ...". */
const char *dconfig_origin(const struct dconfig_run *u, const char *key);

/* Free u->merged. */
void dconfig_merge_release(struct dconfig_run *u);

/*
 * The merged values as dockerd's start-up validates them, the flag pairs
 * it refuses, and what it warns about but accepts.
 */
void dconfig_check_settings(struct dconfig_run *u);

/*
 * The host facts that decide the start, read through u->in->host; when
 * that is NULL, one info finding names the rules not applied and why
 * (u->in->host_off).
 */
void dconfig_check_host(struct dconfig_run *u);

/* Values of the wrong type: json.Unmarshal into Config fails. */
void dconfig_check_types(struct dconfig_run *u, json_object *root);

/* config.Validate() and the label check that follow the merge. */
void dconfig_check_values(struct dconfig_run *u, json_object *root);

#endif
