// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The state of kernel modules (see kconfig.h): /proc/modules, and the
 * running kernel's /lib/modules/RELEASE/modules.dep and modules.builtin.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host/kconfig.h"
#include "core/util.h"

/* FNV-1a of a name. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

const char *kmod_state_name(enum kmod_state st)
{
	switch (st) {
	case KMOD_LOADED:
		return "loaded";
	case KMOD_AVAILABLE:
		return "available";
	case KMOD_BUILTIN:
		return "built in (modules.builtin)";
	case KMOD_MISSING:
		return "module file missing";
	case KMOD_NO_DIR:
		return "modules directory missing";
	case KMOD_UNKNOWN:
		break;
	}
	return "unknown";
}

/* Module names: '-' and '_' are the same. */
static void normalise(char *s)
{
	for (; *s; s++)
		if (*s == '-')
			*s = '_';
}

/* A set of strings: open addressing, at most half full. */
static int strset_init(struct kmod_strset *set, size_t max)
{
	size_t n = 16;

	while (n < 2 * max)
		n *= 2;
	set->slots = calloc(n, sizeof(*set->slots));
	if (!set->slots)
		return -ENOMEM;
	set->n_slots = n;
	return 0;
}

static const char **strset_slot(const struct kmod_strset *set, const char *s)
{
	size_t mask = set->n_slots - 1, i = name_hash(s) & mask;

	while (set->slots[i] && strcmp(set->slots[i], s) != 0)
		i = (i + 1) & mask;
	return &set->slots[i];
}

static void strset_add(struct kmod_strset *set, const char *s)
{
	const char **slot = strset_slot(set, s);

	if (!*slot) {
		*slot = s;
		set->n++;
	}
}

static bool strset_has(const struct kmod_strset *set, const char *s)
{
	return set->n_slots && *strset_slot(set, s) != NULL;
}

/* Count lines to size an array. */
static size_t count_lines(const char *buf, size_t len)
{
	size_t n = 1;

	for (const char *q = buf; (q = memchr(q, '\n', buf + len - q)); q++)
		n++;
	return n;
}

/* First word of every line of /proc/modules. */
static int load_proc_modules(struct kmod_index *ix, const struct pathctx *pc)
{
	size_t len = 0;
	char *p, *end;
	int r;

	r = path_read_file(pc, "/proc/modules", 8u << 20, &ix->proc_buf, &len);
	if (r < 0) {
		ix->proc_err = r;
		return r == -ENOMEM ? r : 0;
	}
	if (strset_init(&ix->loaded, count_lines(ix->proc_buf, len)) < 0)
		return -ENOMEM;
	end = ix->proc_buf + len;
	for (p = ix->proc_buf; p < end;) {
		char *nl = memchr(p, '\n', end - p), *eol = nl ? nl : end;
		size_t w;

		*eol = '\0';
		w = strcspn(p, " \t");
		p[w] = '\0';
		if (*p) {
			normalise(p);
			strset_add(&ix->loaded, p);
		}
		p = eol + 1;
	}
	return 0;
}

/*
 * A line of modules.dep ("kernel/net/bridge/bridge.ko.zst:
 * kernel/net/llc/llc.ko.zst") or modules.builtin
 * ("kernel/net/bridge/bridge.ko", no colon): the basename of the part
 * before the colon, without .ko and a compression suffix. NULL when the
 * line is not an entry (a modules.dep line without its colon).
 */
static char *ko_name(char *line, bool dep)
{
	char *colon = strchr(line, ':'), *base, *ko;

	if (dep && !colon)
		return NULL;
	if (colon)
		*colon = '\0';
	base = strrchr(line, '/');
	base = base ? base + 1 : line;
	ko = strstr(base, ".ko");
	if (!ko || ko == base)
		return NULL;
	if (ko[3] && strcmp(ko + 3, ".xz") != 0 &&
	    strcmp(ko + 3, ".zst") != 0 && strcmp(ko + 3, ".gz") != 0)
		return NULL;
	*ko = '\0';
	normalise(base);
	return base;
}

/* Read a list of module paths (name under ix->dir) into a set of ix. */
static int load_list(struct kmod_index *ix, const struct pathctx *pc,
		     const char *name, char **ret_buf, struct kmod_strset *set)
{
	char path[300];
	size_t len = 0;
	char *p, *end;
	int r;

	snprintf(path, sizeof(path), "%s/%s", ix->dir, name);
	r = path_read_file(pc, path, 64u << 20, ret_buf, &len);
	if (r < 0)
		return r;
	if (strset_init(set, count_lines(*ret_buf, len)) < 0)
		return -ENOMEM;
	end = *ret_buf + len;
	for (p = *ret_buf; p < end;) {
		char *nl = memchr(p, '\n', end - p), *eol = nl ? nl : end;
		char *m;

		*eol = '\0';
		m = ko_name(p, set == &ix->avail);
		if (m)
			strset_add(set, m);
		p = eol + 1;
	}
	return 0;
}

/* modules.dep and modules.builtin of ix->dir. */
static int load_module_dir(struct kmod_index *ix, const struct pathctx *pc)
{
	struct stat st;
	int r;

	r = path_stat(pc, ix->dir, true, &st);
	if (r == -ENOENT || r == -ENOTDIR) {
		ix->dir_missing = true;
		ix->dep_err = r;
		return 0;
	}
	r = load_list(ix, pc, "modules.dep", &ix->dep_buf, &ix->avail);
	if (r == -ENOMEM)
		return r;
	ix->dep_err = r;
	r = load_list(ix, pc, "modules.builtin", &ix->builtin_buf,
		      &ix->builtin);
	if (r == -ENOMEM)
		return r;
	ix->builtin_err = r;
	return 0;
}

int kmod_index_load(struct kmod_index *ix, const struct pathctx *pc,
		    const char *release)
{
	int r;

	memset(ix, 0, sizeof(*ix));
	r = load_proc_modules(ix, pc);
	if (r < 0)
		return r;
	if (!release || !*release || strchr(release, '/')) {
		ix->dep_err = -EINVAL;
		return 0;
	}
	snprintf(ix->dir, sizeof(ix->dir), "/lib/modules/%s", release);
	return load_module_dir(ix, pc);
}

/* /sys/module/NAME/initstate says "live" (no /proc/modules). */
static bool sysfs_live(const struct pathctx *pc, const char *name)
{
	char *buf = NULL;
	bool live;

	if (path_read_filef(pc, 64, &buf, NULL, "/sys/module/%s/initstate",
			    name) < 0)
		return false;
	live = startswith(buf, "live");
	free(buf);
	return live;
}

enum kmod_state kmod_lookup(const struct kmod_index *ix,
			    const struct pathctx *pc, const char *names)
{
	char buf[256], *save = NULL;
	bool avail = false, builtin = false;

	snprintf(buf, sizeof(buf), "%s", names ? names : "");
	normalise(buf);
	for (char *w = strtok_r(buf, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		if (ix->proc_err == 0 ? strset_has(&ix->loaded, w)
				      : sysfs_live(pc, w))
			return KMOD_LOADED;
		if (strset_has(&ix->builtin, w))
			builtin = true;
		if (strset_has(&ix->avail, w))
			avail = true;
	}
	if (builtin)
		return KMOD_BUILTIN;
	if (avail)
		return KMOD_AVAILABLE;
	if (ix->dir_missing)
		return KMOD_NO_DIR;
	if (ix->dep_err)
		return KMOD_UNKNOWN;
	return KMOD_MISSING;
}

void kmod_index_release(struct kmod_index *ix)
{
	free(ix->proc_buf);
	free(ix->loaded.slots);
	free(ix->dep_buf);
	free(ix->avail.slots);
	free(ix->builtin_buf);
	free(ix->builtin.slots);
	memset(ix, 0, sizeof(*ix));
}
