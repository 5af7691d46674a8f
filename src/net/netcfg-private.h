/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the netcfg readers (netcfg.c and the per-manager
 * netcfg-networkd.c, netcfg-nm.c, netcfg-netplan.c). Not part of the
 * netcfg API: only src/net/netcfg*.c include this header. Like the rest of
 * netcfg, they read under a path context and never print.
 */
#ifndef DD_NETCFG_PRIVATE_H
#define DD_NETCFG_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "net/netcfg.h"

/* At most this many files from one directory (and ifupdown sources). */
#define NETCFG_MAX_FILES 512

/* asprintf(3) that returns the string, or NULL when out of memory. */
char *netcfg_xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* Push a formatted warning; allocation failures lose the line only. */
void netcfg_warnf(char ***w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Replace *dst with a copy of src (NULL allowed). 0 or -ENOMEM. */
int netcfg_set_str(char **dst, const char *src);

/* Set *dst to "FILE:LINE". 0 or -ENOMEM. */
int netcfg_set_src(char **dst, const char *file, unsigned line);

/* Strip white space at both ends of s in place; returns the new start. */
char *netcfg_trim(char *s);

/* Parse a boolean the way systemd and GKeyFile spell them. -1: not one. */
int netcfg_parse_bool(const char *v);

/*
 * Read a configuration file as text: at most 1 MiB, no NUL byte (a binary
 * file is -EBADMSG). *ret is NUL terminated; the caller frees it.
 */
int netcfg_read_text(const struct pathctx *pc, const char *path, char **ret);

/* Words for a netcfg_read_text() error, for a warning line. */
const char *netcfg_read_error(int r);

/* One entry of a configuration directory listing. */
struct conf_entry {
	char *name;
	char *path;
	bool masked; /* empty or a link to /dev/null */
};

struct conf_list {
	struct conf_entry *v;
	size_t n, alloc;
};

void conf_list_release(struct conf_list *l);

/* Is a file of that name listed? */
bool conf_list_has(const struct conf_list *l, const char *name);

/* Is path a link to /dev/null or an empty regular file? */
bool netcfg_is_masked(const struct pathctx *pc, const char *path);

/*
 * List files of dirs (earliest wins) sorted by name, masked ones included.
 * 0 or -ENOMEM; a directory that cannot be read adds nothing.
 */
int conf_list_dirs(const struct pathctx *pc, const char *const *dirs,
		   size_t n_dirs, const char *suffix, struct conf_list *ret);

/*
 * Walk an INI text (systemd.syntax(7) / GKeyFile): calls fn for each
 * assignment with the section, key, value and line; a header calls it with
 * key NULL. '#' and (if semicolon) ';' start comments; a trailing backslash
 * continues a line (systemd only). Lines that are neither are reported to
 * fn with section NULL. The text is modified.
 */
typedef int (*netcfg_ini_fn)(void *arg, const char *section, const char *key,
			     const char *value, unsigned line);

int netcfg_ini_walk(char *text, bool systemd, netcfg_ini_fn fn, void *arg);

#endif
