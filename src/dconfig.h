/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemon.json against the flags dockerd is (or will be) started with:
 * will dockerd accept it? The rules follow moby's daemon/config at the
 * version being checked: the file must be one JSON object (20.10 also
 * refuses an empty file and a BOM, which 23+ accept), no key may be
 * unknown, no key may also be given as a flag (only "runtimes" merges),
 * values must have the field's type, and Validate()'s checks hold.
 *
 * Findings are added to a report under the given check id: critical for
 * "dockerd will refuse to start", warning for accepted but wrong, info.
 * Values shown are credential-masked.
 */
#ifndef DD_DCONFIG_H
#define DD_DCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

/* One source of command-line flags. */
struct dconfig_flags {
	char **argv; /* the arguments after the program name */
	const char *source; /* where they come from, for messages */
	bool from_systemd; /* offer the drop-in fix for 'hosts' */
};

struct dconfig_input {
	const char *check_id;
	const char *path; /* the file, for messages */
	const char *buf; /* its contents */
	size_t len;
	unsigned version; /* dockerd-options.h encoding */
	const char *version_source; /* how the version was chosen */
	const struct dconfig_flags *flags;
	size_t n_flags;
};

/*
 * Analyse and add findings. Returns 1 when dockerd would refuse to start,
 * 0 when it would accept, -ENOMEM.
 */
int dconfig_check(const struct dconfig_input *in, struct report *r);

/*
 * The version whose rules apply: the option (--docker-version), else the
 * daemon's own (from the API), else the newest known. *ret_source says
 * which, for the report.
 */
unsigned dconfig_pick_version(const char *option, const char *daemon_version,
			      const char **ret_source);

#endif
