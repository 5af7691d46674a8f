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

/* Values of the wrong type: json.Unmarshal into Config fails. */
void dconfig_check_types(struct dconfig_run *u, json_object *root);

/* config.Validate() and the label check that follow the merge. */
void dconfig_check_values(struct dconfig_run *u, json_object *root);

#endif
