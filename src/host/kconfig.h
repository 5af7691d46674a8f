/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel build configuration (CONFIG_X=y|m|"str"|123 lines, as in
 * /proc/config.gz or /boot/config-RELEASE; kconfig.c) and the state of
 * kernel modules (/proc/modules, /lib/modules/RELEASE/modules.dep and
 * modules.builtin; kconfig-modules.c). Used by kernel.config,
 * which gathers through kconfig_facts (kconfig-facts.c): the config in use,
 * the module state and the other host files check-config.sh looks at.
 *
 * Files are read through a path context (--sysroot). A gzip file is
 * recognised by its magic bytes, not its name, and needs zlib (HAVE_ZLIB);
 * the decompressed text is bounded (KCONFIG_MAX_SIZE).
 */
#ifndef DD_KCONFIG_H
#define DD_KCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/kernel.h"
#include "host/path.h"

/* Largest kernel config accepted, compressed or decompressed. */
#define KCONFIG_MAX_SIZE (16u << 20)

enum kconfig_state {
	KCONFIG_ABSENT = 0, /* not in the file at all */
	KCONFIG_NOT_SET, /* "# CONFIG_X is not set" (or CONFIG_X=n) */
	KCONFIG_BUILTIN, /* CONFIG_X=y */
	KCONFIG_MODULE, /* CONFIG_X=m */
	KCONFIG_VALUE, /* CONFIG_X="string" or a number */
};

struct kconfig_entry {
	const char *name; /* without "CONFIG_" */
	const char *value; /* "y", "m", the string without its quotes, "123" */
	enum kconfig_state state;
	unsigned line; /* 1-based line of the last assignment */
};

struct kconfig {
	char *path; /* the file read (as given, root-relative) */
	bool compressed; /* it was gzip */
	char *buf; /* the text, cut into the entries' strings */
	size_t size; /* decompressed size */
	struct kconfig_entry *entries; /* one per name, in file order */
	size_t n;
	uint32_t *slots; /* hash index: entry + 1, 0 for an empty slot */
	size_t n_slots;
	unsigned n_garbage; /* lines that are neither comments nor CONFIG_ */
	unsigned first_garbage; /* line of the first one, 0 when none */
	char version[32]; /* "6.18.44" from "# Linux/x86 6.18.44 Kernel ..." */
};

/*
 * Parse config text (len bytes, NUL allowed anywhere). Takes ownership of
 * buf, which must be malloc()ed with room for len + 1 bytes; it is freed on
 * failure too. The last assignment of a name wins, as for kconfig itself.
 * Returns the number of entries (0 for a file without CONFIG_ lines) or
 * -ENOMEM. kc must be zeroed or released.
 */
int kconfig_parse(struct kconfig *kc, char *buf, size_t len);

/* kconfig_parse() of a copy of a C string (tests, small inputs). */
int kconfig_parse_text(struct kconfig *kc, const char *text);

/*
 * Read and parse one file, plain or gzip, at most max bytes (compressed
 * and decompressed). Returns the number of entries or -errno; on failure a
 * one-line reason naming the file is written to err: -ENOENT, -EACCES...
 * (cannot open), -EFBIG (larger than max), -EBADMSG (corrupt or truncated
 * gzip), -ENOTSUP (gzip but built without zlib), -EINVAL (no CONFIG_
 * line: not a kernel config).
 */
int kconfig_read(struct kconfig *kc, const struct pathctx *pc, const char *path,
		 size_t max, char *err, size_t errlen);

/*
 * The places searched for the running kernel's config, in order:
 * /proc/config.gz, /boot/config-RELEASE, /usr/src/linux-RELEASE/.config,
 * /usr/src/linux/.config, /lib/modules/RELEASE/build/.config. Without a
 * release (NULL) only the release-independent ones. Fills paths[] and
 * returns how many.
 */
#define KCONFIG_N_CANDIDATES 5
size_t kconfig_candidates(const char *release,
			  char paths[KCONFIG_N_CANDIDATES][256]);

/*
 * Read the first usable candidate. Returns the number of entries, or
 * -ENOENT when none could be read. notes receives, one "; "-separated item
 * each, why candidates that exist were skipped ("/proc/config.gz: ...");
 * empty when every earlier candidate simply did not exist.
 */
int kconfig_find(struct kconfig *kc, const struct pathctx *pc,
		 const char *release, char *notes, size_t size);

/* An entry by name ("X" or "CONFIG_X"), or NULL. */
const struct kconfig_entry *kconfig_get(const struct kconfig *kc,
					const char *name);

/* The state of a name; KCONFIG_ABSENT when it is not in the file. */
enum kconfig_state kconfig_state_of(const struct kconfig *kc, const char *name);

/* y or m. */
bool kconfig_enabled(const struct kconfig *kc, const char *name);

/* Free everything; the struct is zeroed and can be reused. */
void kconfig_release(struct kconfig *kc);

/* Where a module stands. */
enum kmod_state {
	KMOD_UNKNOWN = 0, /* cannot tell (no release, no modules.dep) */
	KMOD_LOADED, /* in /proc/modules (or /sys/module/NAME/initstate live) */
	KMOD_AVAILABLE, /* not loaded, its file is in modules.dep */
	/* part of the kernel image: listed in modules.builtin */
	KMOD_BUILTIN,
	KMOD_MISSING, /* not loaded and not in modules.dep */
	KMOD_NO_DIR, /* not loaded and /lib/modules/RELEASE does not exist */
};

/* Name of a state for evidence ("loaded", "available", ...). */
const char *kmod_state_name(enum kmod_state st);

struct kmod_strset {
	const char **slots; /* hash table of names (pointing into a buffer) */
	size_t n_slots, n;
};

struct kmod_index {
	char dir[256]; /* "/lib/modules/RELEASE", "" without a release */
	bool dir_missing; /* that directory does not exist */
	int proc_err; /* 0, or why /proc/modules could not be read */
	int dep_err; /* 0, or why modules.dep could not be read */
	char *proc_buf;
	struct kmod_strset loaded; /* normalised names */
	char *dep_buf;
	struct kmod_strset avail; /* normalised basenames without .ko* */
	int builtin_err; /* 0, or why modules.builtin could not be read */
	char *builtin_buf;
	struct kmod_strset builtin; /* as avail, from modules.builtin */
};

/*
 * Load /proc/modules and /lib/modules/RELEASE/modules.dep and
 * modules.builtin (release may be NULL). Unreadable files are recorded in
 * the index, not errors. 0 or -ENOMEM.
 */
int kmod_index_load(struct kmod_index *ix, const struct pathctx *pc,
		    const char *release);

/*
 * The state of a module given by one or more space-separated alternative
 * names ("ipt_MASQUERADE xt_MASQUERADE"): loaded if any is loaded, else
 * built in if modules.builtin lists any, else available if any has a
 * file. '-' and '_' are the same in module names.
 * pc is used for the /sys/module fallback when /proc/modules is missing.
 */
enum kmod_state kmod_lookup(const struct kmod_index *ix,
			    const struct pathctx *pc, const char *names);

/* Free an index; the struct is zeroed. */
void kmod_index_release(struct kmod_index *ix);

/* ---- what kernel.config judges (kconfig-facts.c) ---- */

#define KCONFIG_MAXKEYS_PATH "/proc/sys/kernel/keys/root_maxkeys"

struct kconfig_facts {
	struct kconfig kc;
	char notes[1024]; /* why candidates were skipped (kconfig_find()) */
	/*
	 * The kernel judged: the running one, unless the config is another
	 * kernel's (other_kernel) or the running release is unknown; then the
	 * config's. NULL when neither is known.
	 */
	const struct kernel_release *kernel;
	struct kernel_release config_kernel; /* the release the config is for */
	const char *config_from; /* how that is known: "its header", ... */
	bool other_kernel; /* the config is not the running kernel's */
	struct kmod_index ix; /* read on first need: kconfig_facts_module() */
	bool ix_loaded;
	char installed[512]; /* /lib/modules entries, when ix.dir is missing */
	bool dev_zfs; /* /dev/zfs is a character device */
	bool apparmor_enabled; /* /sys/module/apparmor/parameters/enabled: Y */
	bool apparmor_parser; /* found (looked for only when enabled) */
	int maxkeys_err; /* reading KCONFIG_MAXKEYS_PATH: 0 or -errno */
	char maxkeys[72]; /* its first line */
	char vsyscall[32]; /* vsyscall= of the kernel command line, or "" */
};

/*
 * Read the kernel config: file (--kernel-config; a relative one is
 * relative to the current directory) when not NULL, else the first
 * candidate for the running kernel (may be NULL) under root. Then the host
 * files beside it. The release the config is for comes from its file name
 * (config-RELEASE) or its header; a config of another kernel than the
 * running one is judged as a config only: kconfig_facts_module() does not
 * look at the running kernel's modules for it. kf must be zeroed. 0, or
 * -errno with a one-line reason in err (release kf either way).
 */
int kconfig_facts_gather(struct kconfig_facts *kf, const struct pathctx *root,
			 const char *file, const struct kernel_release *running,
			 char *err, size_t errlen);

/*
 * The state of a module (names as for kmod_lookup()), reading the module
 * index of kf->kernel on first use; KMOD_UNKNOWN for the config of
 * another kernel. 0 or -ENOMEM.
 */
int kconfig_facts_module(struct kconfig_facts *kf, const struct pathctx *pc,
			 const char *names, enum kmod_state *ret);

/* Free what kconfig_facts_gather() read; the struct is zeroed. */
void kconfig_facts_release(struct kconfig_facts *kf);

#endif
