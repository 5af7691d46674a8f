/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * systemd unit files: the effective ExecStart= and environment of a
 * service, as systemd would compute them from the unit and its drop-ins.
 * Written for docker.service, reusable for every unit (the syscall-filter
 * check reads other units' SystemCallFilter= the same way).
 *
 * Rules followed (systemd.unit(5), systemd.service(5), systemd.exec(5)):
 * - search order /etc/systemd/system, /run/systemd/system,
 *   /run/systemd/generator, /usr/local/lib/systemd/system,
 *   /lib/systemd/system, /usr/lib/systemd/system,
 *   /run/systemd/generator.late: the first file found is the unit; drop-ins
 *   NAME.d/ *.conf from all of them are applied in file-name order, a
 *   drop-in in an earlier directory masking one with the same name in a
 *   later one; a unit or drop-in that links to /dev/null or is empty is
 *   masked; symlinks are followed inside the sysroot;
 * - "[Section]" headers, '#' and ';' comments (also skipped inside a
 *   continuation), a trailing backslash joins lines (it becomes a space),
 *   leading/trailing white space is ignored; keys are case-sensitive and
 *   only [Service] is read;
 * - ExecStart= with an empty value resets the list; prefixes -@:+! are
 *   stripped (with '@', the argv[0] word is dropped); arguments are split
 *   with systemd's quoting ("..." and '...' anywhere in a word, C escapes);
 * - Environment= holds quoted or unquoted KEY=VALUE words;
 *   EnvironmentFile= names a file of KEY=VALUE lines ('-' prefix: missing
 *   is fine), read when the service starts, so its assignments override
 *   every Environment= whatever the order; an empty value resets either
 *   list; later assignments win;
 * - in ExecStart=, "$VAR" expands to the value split into words and
 *   "${VAR}" to one word; unset variables expand to nothing.
 *
 * Everything is read through a path context (--sysroot). Functions return
 * 0 or -errno; they never print.
 */
#ifndef DD_UNITFILE_H
#define DD_UNITFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "host/path.h"

struct unit_info {
	char *path; /* the unit file used, NULL when not found */
	char **dropins; /* drop-in files applied, in order */
	char **exec_start; /* effective ExecStart argv, expanded; NULL if none */
	char *exec_source; /* "FILE:LINE" of the ExecStart= that won */
	char **env; /* KEY=VALUE, after every Environment(File)= */
	char **env_files; /* EnvironmentFile= paths read (or missing) */
	char **warnings; /* one line each: unreadable files, bad lines */
	char *name; /* unit name, e.g. "docker.service" (loaders) */
	bool masked; /* the unit links to /dev/null or is empty */
	char *type; /* Type=, NULL when unset (systemd: simple) */
	/*
	 * ExecStart= commands in effect. exec_start is the last one; more
	 * than one makes systemd refuse the unit unless Type=oneshot (a
	 * drop-in that adds ExecStart= without resetting it first), which
	 * is also in warnings.
	 */
	size_t n_exec_start;
	/*
	 * The settings as parsed, before expansion: the fields above are
	 * recomputed from these after each file, because systemd expands
	 * ExecStart= with the final environment. Written only by
	 * unitfile.c; exec_words (the winning ExecStart= split, prefixes
	 * stripped, $VAR and ${VAR} kept) may be read, to print the command
	 * as written.
	 */
	char **exec_words;
	char **environment;
	char **env_file_specs;
	char **parse_warnings;
};

/*
 * Load unit name (e.g. "docker.service") from the standard directories
 * under the path context. -ENOENT when no unit file exists, -EINVAL for a
 * name with '/', another -errno when the unit file cannot be read. A
 * masked unit loads (0) with masked set, a warning and no exec_start.
 * Paths in ret are as seen under the root; ret is untouched on failure.
 */
int unit_load(const struct pathctx *pc, const char *name,
	      struct unit_info *ret);

/*
 * Load one given unit file (for --systemd-unit FILE, a path on the host,
 * not under the sysroot; a relative one is made absolute), with the
 * drop-ins found next to it (FILE.d/). Returns as unit_load() does.
 */
int unit_load_file(const char *path, struct unit_info *ret);

/*
 * Apply the text of one unit or drop-in file (source names it in messages
 * and exec_source) to ret, as unit_load() does for each file; pc is used
 * for EnvironmentFile=. ret may be zeroed or hold earlier files; its
 * exec_start, env, env_files and warnings are then recomputed from all
 * the text applied so far. For tests and for the loaders. On -ENOMEM ret
 * may be partly updated; it stays valid for unit_info_release().
 */
int unit_apply_text(const struct pathctx *pc, const char *text,
		    const char *source, struct unit_info *ret);

/*
 * Split a command line with systemd's quoting into a new vector (empty,
 * not NULL, for a blank line). An unknown escape such as "\d" is kept
 * verbatim, as systemd does after a warning. -EINVAL for an unbalanced
 * quote or a trailing backslash.
 */
int unit_split_words(const char *line, char ***ret);

/*
 * Split the value of a variable as "$VAR" in ExecStart= is: quotes are
 * respected, C escapes are not decoded, an unbalanced quote or a trailing
 * backslash is accepted. 0 (a new vector, empty for a blank value) or
 * -ENOMEM.
 */
int unit_split_value(const char *value, char ***ret);

/* Free a unit_info; safe on a zeroed one. */
void unit_info_release(struct unit_info *u);

#endif
