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
	if (kernel_parse_release(kf->kc.version, &kf->config_kernel) < 0)
		memset(&kf->config_kernel, 0, sizeof(kf->config_kernel));
	else if (!kf->kernel)
		kf->kernel = &kf->config_kernel;
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
