/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The environment of a systemd service: the files named by EnvironmentFile=
 * (the /etc/default/docker and /etc/sysconfig/docker that set DOCKER_OPTS),
 * KEY=VALUE lists, and "$VAR" / "${VAR}" in ExecStart= expanded with them.
 * unitfile.c reads the unit and calls these; tests call unit_parse_env().
 *
 * Files are read through a path context (--sysroot). Functions return 0 or
 * -errno; they never print.
 */
#ifndef DD_ENVFILE_H
#define DD_ENVFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "host/path.h"

/*
 * Parse the text of an EnvironmentFile= (systemd.exec(5): '#'/';'
 * comments, shell-like single and double quotes that may span lines,
 * backslash continuations, no variable expansion) into *env, replacing
 * assignments of the same name. A line that is not an assignment, or
 * whose name is not a valid variable name, is skipped and appended to
 * *warnings as "ignoring 'SOURCE:LINE': ...". 0 or -ENOMEM.
 */
int unit_parse_env(const char *text, const char *source, char ***env,
		   char ***warnings);

/*
 * Read the EnvironmentFile= files of specs (a '-' prefix: a missing file
 * is fine) in order into *env, each path noted in *files. A file that
 * cannot be read becomes a line in *warnings. 0 or -ENOMEM.
 */
int envfile_read(const struct pathctx *pc, char *const *specs, char ***env,
		 char ***files, char ***warnings);

/*
 * The argv of a command with the final environment (systemd.service(5),
 * "Command lines"): a word "$VAR" becomes the value split into words,
 * "${VAR}" is replaced in place, "$$" is a '$'; unset variables are empty.
 * The executable (words[0]) is never expanded. 0 or -ENOMEM.
 */
int env_expand_argv(char *const *words, char *const *env, char ***ret);

/* True for a variable name (n bytes): letters, digits, '_', no digit first. */
bool env_name_valid(const char *s, size_t n);

/* Put a KEY=VALUE assignment into *env, replacing one of the same key. */
int env_put(char ***env, const char *assignment);

/*
 * Helpers shared by the two parsers of systemd's syntax, envfile.c and
 * unitfile.c; not meant for other files.
 */

/* Growable string, NUL terminated once anything was added. */
struct sbuf {
	char *s;
	size_t len, alloc;
};

/* Append n bytes to b. 0 or -ENOMEM. */
int sbuf_add(struct sbuf *b, const char *p, size_t n);

/* Append one character to b. 0 or -ENOMEM. */
int sbuf_addc(struct sbuf *b, char c);

/* Append a formatted line to a warning list. 0 or -ENOMEM. */
int add_warning(char ***list, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append copies of every string of src to *dst. 0 or -ENOMEM. */
int strv_append_all(char ***dst, char *const *src);

#endif
