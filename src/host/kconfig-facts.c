// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What kernel.config judges: the kernel config in use, the state of the
 * modules it builds, and the host files check-config.sh reads beside it
 * (see kconfig.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host/kconfig.h"
#include "host/kernel.h"
#include "core/util.h"

/* Read the config given with --kernel-config FILE. */
static int read_given(struct kconfig_facts *kf, const struct pathctx *root,
		      const char *p, char *err, size_t errlen)
{
	char why[512];
	struct pathctx cwd = { 0 };
	const struct pathctx *pc = root;
	int ret;

	/* a relative FILE is relative to the current directory */
	if (p[0] != '/') {
		ret = pathctx_init(&cwd, ".");
		if (ret < 0) {
			snprintf(err, errlen,
				 "cannot open the current directory: %s",
				 strerror(-ret));
			return ret;
		}
		pc = &cwd;
	}
	ret = kconfig_read(&kf->kc, pc, p, KCONFIG_MAX_SIZE, why, sizeof(why));
	pathctx_release(&cwd);
	if (ret < 0) {
		snprintf(err, errlen,
			 "cannot use the kernel config %s (--kernel-config)",
			 why);
		return ret;
	}
	return 0;
}

/* The first usable candidate for the running kernel. */
static int read_found(struct kconfig_facts *kf, const struct pathctx *root,
		      char *err, size_t errlen)
{
	const char *release = kf->kernel ? kf->kernel->release : NULL;
	char paths[KCONFIG_N_CANDIDATES][256], list[1400] = "";
	size_t n, len = 0;
	int ret;

	ret = kconfig_find(&kf->kc, root, release, kf->notes,
			   sizeof(kf->notes));
	if (ret >= 0)
		return 0;
	n = kconfig_candidates(release, paths);
	for (size_t i = 0; i < n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
					i ? ", " : "", paths[i]);
	snprintf(
		err, errlen, "no kernel config found (searched %s%s%s); %s",
		list, kf->notes[0] ? "; " : "", kf->notes,
		strstr(kf->notes, "without zlib")
			? "pass an uncompressed copy: zcat /proc/config.gz > FILE; --kernel-config FILE"
			: "load the configs module (modprobe configs) or pass --kernel-config FILE");
	return -ENOENT;
}

/* AppArmor enabled, and then: is apparmor_parser there? */
static void read_apparmor(struct kconfig_facts *kf, const struct pathctx *pc)
{
	static const char *const dirs[] = { "/sbin", "/usr/sbin", "/usr/bin",
					    "/bin" };
	char *buf = NULL;

	if (path_read_file(pc, "/sys/module/apparmor/parameters/enabled", 64,
			   &buf, NULL) < 0)
		return;
	kf->apparmor_enabled = buf[0] == 'Y';
	free(buf);
	if (!kf->apparmor_enabled)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		char path[64];
		struct stat st;

		snprintf(path, sizeof(path), "%s/apparmor_parser", dirs[i]);
		if (path_stat(pc, path, true, &st) == 0 &&
		    S_ISREG(st.st_mode)) {
			kf->apparmor_parser = true;
			return;
		}
	}
}

/* The host files beside the config: /dev/zfs, AppArmor, keys, vsyscall. */
static void read_host(struct kconfig_facts *kf, const struct pathctx *pc)
{
	char *buf = NULL;
	struct stat st;

	/* /dev/zfs is a character device */
	kf->dev_zfs = path_stat(pc, "/dev/zfs", true, &st) == 0 &&
		      S_ISCHR(st.st_mode);
	read_apparmor(kf, pc);
	kf->maxkeys_err =
		path_read_file(pc, KCONFIG_MAXKEYS_PATH, 64, &buf, NULL);
	if (kf->maxkeys_err >= 0) {
		buf[strcspn(buf, "\n")] = '\0';
		strscpy(kf->maxkeys, buf, sizeof(kf->maxkeys));
		free(buf);
		buf = NULL;
	}
	/* check-config.sh's LEGACY_VSYSCALL note: the command line wins */
	if (path_read_file(pc, "/proc/cmdline", 65536, &buf, NULL) == 0) {
		kernel_cmdline_param(buf, "vsyscall", kf->vsyscall,
				     sizeof(kf->vsyscall));
		free(buf);
	}
}

/*
 * Is the config of release rel (from its header) the running kernel's?
 * Only major.minor are compared: Debian's 6.1.0-28-amd64 is built from
 * 6.1.119 and its header says so.
 */
static bool header_matches(const struct kernel_release *running,
			   const struct kernel_release *rel)
{
	return strcmp(running->release, rel->release) == 0 ||
	       (running->major == rel->major && running->minor == rel->minor);
}

/*
 * The release the config is for, and whether it is the running kernel's:
 * /proc/config.gz always is; /boot/config-RELEASE (or any file named
 * config-RELEASE) is RELEASE's; else the header says ("# Linux/x86
 * 6.1.119 Kernel Configuration"). Without either, the running kernel is
 * assumed.
 */
static void config_release(struct kconfig_facts *kf)
{
	const char *path = kf->kc.path, *base = strrchr(path, '/');
	struct kernel_release *ck = &kf->config_kernel;

	base = base ? base + 1 : path;
	if (strcmp(path, "/proc/config.gz") == 0 && kf->kernel) {
		*ck = *kf->kernel;
		kf->config_from = "/proc/config.gz";
		return;
	}
	if (startswith(base, "config-") &&
	    kernel_parse_release(base + 7, ck) == 0) {
		kf->config_from = "its file name";
		kf->other_kernel = kf->kernel && strcmp(kf->kernel->release,
							ck->release) != 0;
	} else if (kernel_parse_release(kf->kc.version, ck) == 0) {
		kf->config_from = "its header";
		kf->other_kernel = kf->kernel &&
				   !header_matches(kf->kernel, ck);
	} else {
		memset(ck, 0, sizeof(*ck));
		return;
	}
	if (!kf->kernel || kf->other_kernel)
		kf->kernel = ck;
}

/* The config in use and the host files beside it. */
int kconfig_facts_gather(struct kconfig_facts *kf, const struct pathctx *root,
			 const char *file, const struct kernel_release *running,
			 char *err, size_t errlen)
{
	int ret;

	kf->kernel = running;
	if (file)
		ret = read_given(kf, root, file, err, errlen);
	else
		ret = read_found(kf, root, err, errlen);
	if (ret < 0)
		return ret;
	config_release(kf);
	read_host(kf, root);
	return 0;
}

/* Installed module trees, for the reboot remedy: "6.8.0-52-generic, ..." */
static void installed_kernels(const struct pathctx *pc, char *buf, size_t size)
{
	DIR *d = path_opendir(pc, "/lib/modules");
	struct dirent *de;
	size_t len = 0;

	buf[0] = '\0';
	if (!d)
		return;
	while ((de = readdir(d)) && len + 1 < size) {
		if (de->d_name[0] == '.')
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? ", " : "", de->d_name);
	}
	closedir(d);
	if (len >= size)
		buf[size - 1] = '\0';
}

/* A module's state, from the index read on first use. */
int kconfig_facts_module(struct kconfig_facts *kf, const struct pathctx *pc,
			 const char *names, enum kmod_state *ret)
{
	if (kf->other_kernel) {
		/* the running kernel's modules say nothing about it */
		*ret = KMOD_UNKNOWN;
		return 0;
	}
	if (!kf->ix_loaded) {
		int r = kmod_index_load(
			&kf->ix, pc, kf->kernel ? kf->kernel->release : NULL);

		if (r < 0)
			return r;
		kf->ix_loaded = true;
		if (kf->ix.dir_missing)
			installed_kernels(pc, kf->installed,
					  sizeof(kf->installed));
	}
	*ret = kmod_lookup(&kf->ix, pc, names);
	return 0;
}

/* Free the config and the module index. */
void kconfig_facts_release(struct kconfig_facts *kf)
{
	if (kf->ix_loaded)
		kmod_index_release(&kf->ix);
	kconfig_release(&kf->kc);
	memset(kf, 0, sizeof(*kf));
}
