// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel.version: is the running kernel new enough for Docker (3.10), and
 * is a newer kernel installed but not yet running?
 */
#include "config.h"

#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/context.h"
#include "host/kernel.h"
#include "core/util.h"

#define ID "kernel.version"

/*
 * Order two releases: by version, then by the rest (Debian's "6.1.0-28"
 * and "6.1.0-30" share 6.1.0; the ABI number tells them apart).
 */
static int release_cmp(const struct kernel_release *a,
		       const struct kernel_release *b)
{
	int c = kernel_cmp(a, b->major, b->minor, b->patch);

	return c ? c : strverscmp(a->release, b->release);
}

/*
 * The flavour of a release: what follows "X.Y.Z" with the digits left out
 * ("6.1.0-28-cloud-amd64" is "--cloud-amd", "6.5.6-300.fc39.x86_64" is
 * "-.fc.x_"). Another flavour of a kernel is not a newer one: Debian's
 * cloud or rt kernel next to the running amd64 one is not waiting for a
 * reboot, while the same flavour's next ABI or Fedora's next release is.
 */
static void flavour(const struct kernel_release *k, char *buf, size_t size)
{
	const char *p = k->release;
	size_t n = 0;

	/* skip "X.Y.Z": digits and the first two dots */
	for (int dots = 0;
	     *p && (isdigit((unsigned char)*p) || (*p == '.' && dots < 2)); p++)
		dots += *p == '.';
	for (; *p && n + 1 < size; p++)
		if (!isdigit((unsigned char)*p))
			buf[n++] = *p;
	buf[n] = '\0';
}

/* The newest kernel of the running flavour in /boot or /lib/modules. */
static void find_newer(struct ctx *ctx, const struct kernel_release *run,
		       struct kernel_release *best, char *where, size_t size)
{
	static const struct {
		const char *dir, *prefix;
	} places[] = { { "/boot", "vmlinuz-" }, { "/lib/modules", "" } };
	char want[128], fl[128];

	flavour(run, want, sizeof(want));
	for (size_t i = 0; i < ARRAY_SIZE(places); i++) {
		DIR *d = path_opendir(&ctx->root, places[i].dir);
		struct dirent *de;

		if (!d)
			continue;
		while ((de = readdir(d))) {
			struct kernel_release k;
			const char *p = places[i].prefix;

			if (!startswith(de->d_name, p) ||
			    kernel_parse_release(de->d_name + strlen(p), &k) <
				    0 ||
			    release_cmp(&k, run) <= 0)
				continue;
			flavour(&k, fl, sizeof(fl));
			if (strcmp(fl, want))
				continue;
			if (best->release[0] && release_cmp(&k, best) <= 0)
				continue;
			*best = k;
			snprintf(where, size, "%s/%s", places[i].dir,
				 de->d_name);
		}
		closedir(d);
	}
}

/* Debian and Ubuntu leave /run/reboot-required after such upgrades. */
static void report_reboot_required(struct ctx *ctx, struct report *r)
{
	char *pkgs = NULL;
	struct finding *f;
	struct stat st;

	if (path_stat(&ctx->root, "/run/reboot-required", true, &st) < 0)
		return;
	f = report_add(r, ID, SEV_INFO,
		       "a reboot is pending (/run/reboot-required exists)");
	finding_set_detail(
		f,
		"Packages were upgraded that take effect only after a reboot; until then the running kernel is not the installed one, and kernel modules Docker loads on demand may be missing for it.");
	finding_set_remedy(f, "Reboot when convenient.");
	if (path_read_file(&ctx->root, "/run/reboot-required.pkgs", 4096, &pkgs,
			   NULL) == 0) {
		for (char *p = pkgs; *p; p++)
			if (*p == '\n' && p[1])
				*p = ' ';
		pkgs[strcspn(pkgs, "\n")] = '\0';
		finding_add_evidence(f, "packages", "%s", pkgs);
		free(pkgs);
	}
}

static int run(struct ctx *ctx, struct report *r)
{
	const struct kernel_release *k = ctx_kernel(ctx);
	const struct api_state *api = ctx_api_evidence(ctx);
	struct kernel_release newer = { 0 };
	char where[512] = "", *version = NULL;
	struct finding *f;

	if (!k)
		return ctx_error(
			ctx, ctx->kernel_err,
			"cannot read the kernel release from /proc/sys/kernel/osrelease: %s",
			strerror(-ctx->kernel_err));
	if (kernel_cmp(k, 3, 10, 0) < 0) {
		f = report_add(
			r, ID, SEV_CRITICAL,
			"kernel %s is older than 3.10: Docker does not run on it",
			k->release);
		finding_set_detail(
			f,
			"Docker needs Linux 3.10 or later (namespaces, cgroups, overlay file systems and netfilter features it relies on). Older kernels fail in unpredictable ways.");
		finding_set_remedy(
			f,
			"Upgrade to a supported kernel (your distribution's current one) and reboot; 'dockerd-doctor --only kernel.config' then checks its features.");
	} else {
		f = report_add(r, ID, SEV_OK,
			       "kernel %s (Docker needs 3.10 or later)",
			       k->release);
	}
	finding_add_evidence(f, "release", "%s", k->release);
	finding_add_evidence(f, "version", "%u.%u.%u", k->major, k->minor,
			     k->patch);
	if (path_read_file(&ctx->root, "/proc/version", 4096, &version, NULL) ==
	    0) {
		version[strcspn(version, "\n")] = '\0';
		finding_add_evidence(f, "proc_version", "%s", version);
		free(version);
	}
	if (api && api->info_json) {
		const char *kv =
			api_json_string(api->info_json, "KernelVersion");

		if (kv)
			finding_add_evidence(f, "docker_info_kernel", "%s", kv);
	}

	find_newer(ctx, k, &newer, where, sizeof(where));
	if (newer.release[0]) {
		f = report_add(
			r, ID, SEV_INFO,
			"a newer kernel %s is installed but %s is running",
			newer.release, k->release);
		finding_set_detail(
			f,
			"The newer kernel takes effect at the next reboot. Until then, if the running kernel's modules were removed by the upgrade, modules Docker loads on demand (bridge, overlay, netfilter) cannot be loaded.");
		finding_set_remedy(f, "Reboot into %s when convenient.",
				   newer.release);
		finding_add_evidence(f, "installed", "%s", where);
		finding_add_evidence(f, "running", "%s", k->release);
	}
	report_reboot_required(ctx, r);
	return 0;
}

const struct check check_kernel_version = {
	.id = ID,
	.summary =
		"is the running kernel new enough, and is a newer one waiting for a reboot",
	.explain =
		"Reads the running kernel's release from /proc/sys/kernel/osrelease (what 'uname -r' prints) and /proc/version. Docker needs Linux 3.10 or later; an older kernel is critical.\n"
		"\n"
		"It also looks for a newer kernel installed in /boot (vmlinuz-*) or /lib/modules and for Debian's /run/reboot-required: after a kernel upgrade without a reboot, the running kernel's modules may be gone, so modules Docker loads on demand (bridge, veth, overlay, netfilter) fail to load. Reboot to run the installed kernel.\n"
		"\n"
		"When the daemon answers, the kernel version it recorded at start-up (docker info) is shown next to the live one.\n",
	.run = run,
};
