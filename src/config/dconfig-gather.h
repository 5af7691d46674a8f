/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The input of the daemon.json judge (dconfig_check(), dconfig.h),
 * gathered the same way for the check config.daemon-json and for
 * 'dockerd-doctor config check': the file, up to two sources of dockerd
 * flags (a command line, the ExecStart= of a systemd unit with its
 * environment expanded), and the version whose rules apply.
 *
 * A dconfig_gather owns everything its dconfig_input points to. The steps
 * never print: each returns -errno and the caller says what failed and
 * whether that stops it.
 */
#ifndef DD_DCONFIG_GATHER_H
#define DD_DCONFIG_GATHER_H

#include <stdbool.h>

#include "config/dconfig.h"
#include "config/unitfile.h"
#include "host/path.h"

struct dconfig_gather {
	struct dconfig_input in; /* what dconfig_check() reads */
	struct dconfig_flags flags[2]; /* in.flags */
	char source[2][4200]; /* flags[i].source */
	char *buf; /* in.buf */
	char **words; /* the command line of dconfig_gather_cmdline() */
	struct unit_info unit; /* the unit of dconfig_gather_unit() */
	/* the drop-in without -H for the unit's flags (dconfig_flags) */
	char *dropin_path, *dropin_text, *dropin_note;
};

/* How dconfig_gather_unit() takes the unit's ExecStart=. */
enum {
	/* name the flags "NAME (FILE:LINE)" rather than "FILE:LINE" */
	DCONFIG_UNIT_NAMED = 1 << 0,
	/* skip them when they repeat the first flags gathered */
	DCONFIG_UNIT_SKIP_SAME = 1 << 1,
};

/* Start gathering for check_id: no file, no flags, no version yet. */
void dconfig_gather_init(struct dconfig_gather *g, const char *check_id);

/*
 * Read the file path (at most 4 MiB, else -EFBIG) under pc, or on the
 * host when pc is NULL (a relative path from the current directory).
 * in.path is path (borrowed) even on failure. 0 or -errno.
 */
int dconfig_gather_file(struct dconfig_gather *g, const struct pathctx *pc,
			const char *path);

/* Add flags from argv (borrowed: it must outlive g); source is copied. */
void dconfig_gather_argv(struct dconfig_gather *g, char **argv,
			 const char *source);

/*
 * Add flags from a command line split with systemd's quoting (once per
 * gather); source is copied. 0, or -EINVAL for unbalanced quotes, -ENOMEM.
 */
int dconfig_gather_cmdline(struct dconfig_gather *g, const char *line,
			   const char *source);

/*
 * Load a systemd unit (once per gather) and add its ExecStart= arguments
 * when it has a command: with pc, unit is a name under pc (unit_load());
 * without, a file on the host (unit_load_file()). how: DCONFIG_UNIT_*.
 * The flags carry the drop-in that removes -H from the unit
 * (dconfig_hosts_dropin(), in /etc/systemd/system/NAME.d/ for a unit by
 * name, FILE.d/ for a file); with DCONFIG_UNIT_SKIP_SAME, so do the first
 * flags when the unit's are skipped as theirs. 0, or the loader's -errno
 * (nothing is added).
 */
int dconfig_gather_unit(struct dconfig_gather *g, const struct pathctx *pc,
			const char *unit, unsigned how);

/*
 * Set the version whose rules apply (dconfig_pick_version_bin()): option,
 * else daemon_version (may be NULL), else, when run_binary allows it, the
 * dockerd binary's (dconfig_binary_version_once(): the examined daemon's
 * /proc/PID/exe when pid > 0, else the installed one), else the newest
 * known. in.version_source says which.
 */
void dconfig_gather_version(struct dconfig_gather *g, const char *option,
			    const char *daemon_version, bool run_binary,
			    int pid);

/*
 * The drop-in that keeps a unit's ExecStart= (the command as written:
 * its binary, every other argument, $VAR and ${VAR} verbatim) without
 * its -H/--host arguments (-H X, -H=X, -HX, --host X, --host=X), read
 * with dockerd v's flag rules. *ret_path is dir/NAME.conf, named to sort
 * after every drop-in the unit has, so that its 'ExecStart=' reset wins;
 * *ret_text is the file. *ret_note (NULL when none) says when -H still
 * comes from a variable the command expands. -ENOENT when the unit has
 * no ExecStart=, else 0 or -ENOMEM (nothing set).
 */
int dconfig_hosts_dropin(const struct unit_info *u, const char *dir, unsigned v,
			 char **ret_path, char **ret_text, char **ret_note);

/* Free what g holds and zero it; safe on an initialised one. */
void dconfig_gather_release(struct dconfig_gather *g);

#endif
