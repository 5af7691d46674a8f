// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel.config: the kernel options moby's contrib/check-config.sh checks
 * (v20.10.24, v27.5.1, v28.5.2, and the v29 additions), read from the
 * running kernel's configuration, with the state of the options built as
 * modules (loaded, loadable, or missing from /lib/modules after a kernel
 * upgrade without a reboot). Also the script's apparmor_parser and
 * kernel.keys.root_maxkeys checks. The cgroup hierarchy part is
 * kernel.cgroups'. host/kconfig-facts.c reads the config and the host
 * files, host/kconfig-options.c holds check-config.sh's lists; this file
 * judges the one against the other.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/dockerd-options.h"
#include "core/check.h"
#include "core/context.h"
#include "docker/api.h"
#include "host/kconfig.h"
#include "host/kconfig-options.h"
#include "host/kernel.h"
#include "core/util.h"

#define ID "kernel.config"

/* What the check found about one option. */
enum verdict {
	V_SKIP = 0, /* not checked for this kernel/Docker version */
	V_BUILTIN,
	V_MODULE, /* =m, loaded, loadable or unknown */
	V_MISSING, /* absent or not set */
	V_NOMOD, /* =m but the module cannot be loaded */
};

struct state {
	struct report *r;
	struct kconfig_facts kf;
	unsigned docker; /* 2805; may be past KCONFIG_DOCKER_NEWEST */
	const char *docker_src;
	enum verdict v[KCONFIG_N_OPTS];
	enum kmod_state mod[KCONFIG_N_OPTS];
	size_t n_needed; /* necessary options checked */
};

/* Is the option checked for this kernel and Docker version? */
static bool applies(const struct state *s, const struct kconfig_opt *o)
{
	return kconfig_opt_applies(o, s->kf.kernel, s->docker, &s->kf.kc);
}

/*
 * The Docker version whose check-config.sh list applies: --docker-version,
 * else the daemon's, else the newest list. Not ctx_docker_version()'s
 * value, which stops at the newest version whose daemon options are known
 * (28.5): v29's list has options v28's has not.
 */
static unsigned pick_docker(struct ctx *ctx, const char **ret_source)
{
	const struct api_state *api;
	unsigned v = ctx_docker_version(ctx, ret_source);

	if (ctx->opts->docker_version &&
	    dockerd_parse_version(ctx->opts->docker_version, &v) == 0)
		return v;
	api = ctx_api(ctx);
	if (api && api->version && dockerd_parse_version(api->version, &v) == 0)
		return v;
	return KCONFIG_DOCKER_NEWEST;
}

/* The module state of every option checked and built as a module. */
static int gather_modules(struct state *s, const struct pathctx *root)
{
	for (size_t i = 0; i < KCONFIG_N_OPTS; i++) {
		const struct kconfig_opt *o = &kconfig_opts[i];
		int r;

		if (!o->module || !applies(s, o) ||
		    kconfig_state_of(&s->kf.kc, o->name) != KCONFIG_MODULE)
			continue;
		r = kconfig_facts_module(&s->kf, root, o->module, &s->mod[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Judge every option. */
static void evaluate(struct state *s)
{
	for (size_t i = 0; i < KCONFIG_N_OPTS; i++) {
		const struct kconfig_opt *o = &kconfig_opts[i];
		enum kconfig_state st;

		if (!applies(s, o)) {
			s->v[i] = V_SKIP;
			continue;
		}
		if (o->group == KCONFIG_G_NEEDED)
			s->n_needed++;
		st = kconfig_state_of(&s->kf.kc, o->name);
		if (st == KCONFIG_BUILTIN) {
			s->v[i] = V_BUILTIN;
			continue;
		}
		if (st != KCONFIG_MODULE) {
			s->v[i] = V_MISSING;
			continue;
		}
		s->v[i] = V_MODULE;
		if (!o->module)
			continue;
		/* a module in modules.builtin is there: KMOD_BUILTIN */
		if (s->mod[i] == KMOD_MISSING || s->mod[i] == KMOD_NO_DIR)
			s->v[i] = V_NOMOD;
	}
}

/* Source evidence shared by every finding. */
static void add_source(struct state *s, struct finding *f)
{
	finding_add_evidence(f, "source", "%s", s->kf.kc.path);
}

static bool has_source(const struct finding *f)
{
	for (size_t i = 0; i < f->n_evidence; i++)
		if (strcmp(f->evidence[i].key, "source") == 0)
			return true;
	return false;
}

/* Severities of the impacts (enum kconfig_impact). */
static const enum severity impact_sev[] = {
	[KCONFIG_I_INFO] = SEV_INFO,
	[KCONFIG_I_WARNING] = SEV_WARNING,
	[KCONFIG_I_CRITICAL] = SEV_CRITICAL,
};

/* Impacts for list_needed(). */
#define IMPACT_ANY 0xffu
#define IMPACT(i) (1u << (i))

/*
 * The necessary options judged v (V_MISSING or V_NOMOD) whose impact is
 * one of impacts (IMPACT()): how many, their names ("CONFIG_A, CONFIG_B")
 * in list, and in more what each is for ("CONFIG_A: why; ...") when
 * missing, else its module ("veth, bridge").
 */
static size_t list_needed(const struct state *s, enum verdict v,
			  unsigned impacts, char *list, size_t lsize,
			  char *more, size_t msize)
{
	size_t n = 0, ll = 0, ml = 0;

	for (size_t i = 0; i < KCONFIG_N_OPTS; i++) {
		if (kconfig_opts[i].group != KCONFIG_G_NEEDED || s->v[i] != v ||
		    !(impacts & IMPACT(kconfig_opts[i].impact)))
			continue;
		n++;
		if (ll < lsize)
			ll += (size_t)snprintf(list + ll, lsize - ll,
					       "%sCONFIG_%s", ll ? ", " : "",
					       kconfig_opts[i].name);
		if (ml >= msize)
			continue;
		if (v == V_MISSING)
			ml += (size_t)snprintf(more + ml, msize - ml,
					       "%sCONFIG_%s: %s",
					       ml ? "; " : "",
					       kconfig_opts[i].name,
					       kconfig_opts[i].why);
		else
			ml += (size_t)snprintf(
				more + ml, msize - ml, "%s%.*s", ml ? ", " : "",
				(int)strcspn(kconfig_opts[i].module, " "),
				kconfig_opts[i].module);
	}
	return n;
}

/* Verdicts of options that are not there, for add_lacking(). */
#define LACKING_MISSING (1u << V_MISSING)
#define LACKING_NOMOD (1u << V_NOMOD)

/*
 * Evidence for the options of group g whose verdict is one of which
 * (LACKING_*) and impact one of impacts: "config_x=missing", or
 * "config_x=m (module: state)".
 */
static void add_lacking(const struct state *s, struct finding *f, unsigned g,
			unsigned which, unsigned impacts)
{
	char key[80];

	for (size_t i = 0; i < KCONFIG_N_OPTS; i++) {
		if (kconfig_opts[i].group != g || !(which & (1u << s->v[i])) ||
		    !(impacts & IMPACT(kconfig_opts[i].impact)))
			continue;
		kconfig_opt_key(kconfig_opts[i].name, key, sizeof(key));
		if (s->v[i] == V_NOMOD)
			finding_add_evidence(f, key, "m (%s: %s)",
					     kconfig_opts[i].module,
					     kmod_state_name(s->mod[i]));
		else
			finding_add_evidence(f, key, "missing");
	}
}

/* Necessary options missing from the config that stop Docker. */
static void report_needed_missing(struct state *s)
{
	char list[1024] = "", why[2048] = "";
	size_t n = list_needed(s, V_MISSING, IMPACT(KCONFIG_I_CRITICAL), list,
			       sizeof(list), why, sizeof(why));
	struct finding *f;

	if (!n)
		return;
	f = report_add(s->r, ID, SEV_CRITICAL,
		       "kernel lacks %zu option%s Docker needs: %s", n,
		       n == 1 ? "" : "s", list);
	finding_set_detail(
		f,
		"The kernel config of %s (%s) has neither =y nor =m for %s. What %s for: %s.",
		s->kf.kernel ? s->kf.kernel->release : "the kernel",
		s->kf.kc.path, n == 1 ? "it" : "them",
		n == 1 ? "it is" : "they are", why);
	finding_set_remedy(
		f,
		"Boot a kernel built with %s=y (or =m): a distribution's standard kernel package has %s; for a custom kernel, set %s in .config (make menuconfig), rebuild and reboot.",
		list, n == 1 ? "it" : "them", n == 1 ? "it" : "them");
	add_lacking(s, f, KCONFIG_G_NEEDED, LACKING_MISSING,
		    IMPACT(KCONFIG_I_CRITICAL));
	add_source(s, f);
}

/*
 * Necessary options (check-config.sh's word) missing from the config
 * that break one feature each: docker pause, --memory, IPv6 NAT...
 */
static void report_features_missing(struct state *s)
{
	char list[1024] = "", why[2048] = "";
	size_t n = list_needed(s, V_MISSING, IMPACT(KCONFIG_I_WARNING), list,
			       sizeof(list), why, sizeof(why));
	struct finding *f;

	if (!n)
		return;
	f = report_add(
		s->r, ID, SEV_WARNING,
		"kernel lacks %zu option%s for Docker features (containers still run): %s",
		n, n == 1 ? "" : "s", list);
	finding_set_detail(
		f,
		"The kernel config of %s (%s) has neither =y nor =m for %s; check-config.sh lists %s as generally necessary, but only these features need %s: %s.",
		s->kf.kernel ? s->kf.kernel->release : "the kernel",
		s->kf.kc.path, n == 1 ? "it" : "them", n == 1 ? "it" : "them",
		n == 1 ? "it" : "them", why);
	finding_set_remedy(
		f,
		"If you use these features, boot a kernel built with %s=y (or =m); otherwise nothing needs fixing.",
		list);
	add_lacking(s, f, KCONFIG_G_NEEDED, LACKING_MISSING,
		    IMPACT(KCONFIG_I_WARNING));
	add_source(s, f);
}

/* Necessary options built as modules whose files are not installed. */
static void report_needed_nomod(struct state *s)
{
	char list[1024] = "", mods[1024] = "";
	const char *inst = s->kf.installed;
	size_t n = list_needed(s, V_NOMOD, IMPACT_ANY, list, sizeof(list), mods,
			       sizeof(mods));
	/* critical when a critical option's module is among them */
	enum severity sev = list_needed(s, V_NOMOD, IMPACT(KCONFIG_I_CRITICAL),
					NULL, 0, NULL, 0)
				    ? SEV_CRITICAL
				    : SEV_WARNING;
	struct finding *f;

	if (!n)
		return;
	if (s->kf.ix.dir_missing) {
		f = report_add(
			s->r, ID, sev,
			"%s does not exist: %zu module%s Docker needs cannot be loaded (%s); was the kernel upgraded without a reboot?",
			s->kf.ix.dir, n, n == 1 ? "" : "s", mods);
		finding_set_detail(
			f,
			"The running kernel %s builds %s as modules, and its module directory is gone: a kernel package upgrade removes the old kernel's modules while it still runs. Modules already loaded keep working; dockerd cannot load bridge, overlay or iptables modules on its next start (\"failed to create NAT chain\", \"driver not supported\").",
			s->kf.kernel ? s->kf.kernel->release : "", list);
		if (inst[0])
			finding_set_remedy(
				f,
				"Reboot into the installed kernel (/lib/modules has %s). If you cannot reboot now, do not restart dockerd until you do.",
				inst);
		else
			finding_set_remedy(
				f,
				"Reinstall the running kernel's modules package (Debian/Ubuntu: apt-get install --reinstall linux-modules-%s) or reboot into an installed kernel.",
				s->kf.kernel ? s->kf.kernel->release
					     : "$(uname -r)");
		finding_add_evidence(f, "modules_dir", "%s missing",
				     s->kf.ix.dir);
		if (inst[0])
			finding_add_evidence(f, "installed", "%s", inst);
	} else {
		f = report_add(
			s->r, ID, sev,
			"%zu option%s Docker needs %s built as modules that are not installed: %s",
			n, n == 1 ? "" : "s", n == 1 ? "is" : "are", mods);
		finding_set_detail(
			f,
			"%s has %s=m, but neither /proc/modules nor %s/modules.dep lists the module: dockerd's modprobe will fail.",
			s->kf.kc.path, list, s->kf.ix.dir);
		finding_set_remedy(
			f,
			"Install the running kernel's extra modules (Ubuntu: apt-get install linux-modules-extra-%s; others: the kernel-modules package of the same version), then 'depmod -a' and 'modprobe %.*s'. A stale modules.dep is rebuilt by 'depmod -a'.",
			s->kf.kernel ? s->kf.kernel->release : "$(uname -r)",
			(int)strcspn(mods, ","), mods);
	}
	add_lacking(s, f, KCONFIG_G_NEEDED, LACKING_NOMOD, IMPACT_ANY);
	add_source(s, f);
}

/* Necessary modules that are not loaded yet: fine, listed. */
static void report_needed_unloaded(struct state *s)
{
	char key[80];
	size_t n = 0;
	struct finding *f;

	for (size_t i = 0; i < KCONFIG_N_OPTS; i++)
		if (kconfig_opts[i].group == KCONFIG_G_NEEDED &&
		    s->v[i] == V_MODULE && s->mod[i] == KMOD_AVAILABLE)
			n++;
	if (!n)
		return;
	f = report_add(
		s->r, ID, SEV_INFO,
		"%zu option%s built as modules, not loaded: dockerd and the kernel load them on demand",
		n, n == 1 ? "" : "s");
	for (size_t i = 0; i < KCONFIG_N_OPTS; i++) {
		if (kconfig_opts[i].group != KCONFIG_G_NEEDED ||
		    s->v[i] != V_MODULE || s->mod[i] != KMOD_AVAILABLE)
			continue;
		kconfig_opt_key(kconfig_opts[i].name, key, sizeof(key));
		finding_add_evidence(f, key, "m (%s: not loaded, in %s)",
				     kconfig_opts[i].module, s->kf.ix.dir);
	}
	add_source(s, f);
}

/* Is a group fully there (or, for 'any' groups, partly)? */
static bool group_ok(const struct state *s, unsigned g, size_t *ret_checked)
{
	size_t checked = 0, ok = 0;

	for (size_t i = 0; i < KCONFIG_N_OPTS; i++) {
		if (kconfig_opts[i].group != g || s->v[i] == V_SKIP)
			continue;
		checked++;
		if (s->v[i] == V_BUILTIN || s->v[i] == V_MODULE)
			ok++;
	}
	if (ret_checked)
		*ret_checked = checked;
	return kconfig_groups[g].any ? ok > 0 || !checked : ok == checked;
}

/* One info finding per optional feature that lacks something. */
static size_t report_optional(struct state *s)
{
	size_t n_groups = 0;

	for (unsigned g = KCONFIG_G_NEEDED + 1; g < KCONFIG_G__COUNT; g++) {
		char list[512] = "";
		size_t ll = 0, checked, nomod = 0;
		struct finding *f;

		if (kconfig_groups[g].storage || group_ok(s, g, &checked) ||
		    !checked)
			continue;
		n_groups++;
		for (size_t i = 0; i < KCONFIG_N_OPTS; i++) {
			if (kconfig_opts[i].group != g ||
			    (s->v[i] != V_MISSING && s->v[i] != V_NOMOD))
				continue;
			nomod += s->v[i] == V_NOMOD;
			if (ll < sizeof(list))
				ll += (size_t)snprintf(
					list + ll, sizeof(list) - ll,
					"%sCONFIG_%s%s", ll ? ", " : "",
					kconfig_opts[i].name,
					s->v[i] == V_NOMOD
						? "=m (no module file)"
						: "");
		}
		f = report_add(s->r, ID, impact_sev[kconfig_groups[g].impact],
			       "%s: %s %s", kconfig_groups[g].what, list,
			       kconfig_groups[g].any ? "all missing"
						     : "missing");
		if (g == KCONFIG_G_SWAP &&
		    kconfig_enabled(&s->kf.kc, "MEMCG_SWAP"))
			finding_set_remedy(
				f,
				"Swap accounting is built but off by default: add swapaccount=1 to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub and reboot.");
		else if (nomod)
			finding_set_remedy(
				f,
				"Install the modules of the running kernel (or reboot into the installed kernel), then modprobe them.");
		else
			finding_set_remedy(
				f,
				"Only needed for this feature: use a kernel built with %s if you need it.",
				list);
		add_lacking(s, f, g, LACKING_MISSING | LACKING_NOMOD,
			    IMPACT_ANY);
		finding_add_evidence(f, "feature", "%s", kconfig_groups[g].key);
		add_source(s, f);
	}
	return n_groups;
}

/* Storage drivers the kernel can run; 0 when none. */
static size_t storage_drivers(struct state *s, char *buf, size_t size)
{
	size_t n = 0, len = 0;

	buf[0] = '\0';
	for (unsigned g = 0; g < KCONFIG_G__COUNT; g++) {
		size_t checked;

		if (!kconfig_groups[g].storage || !group_ok(s, g, &checked) ||
		    !checked)
			continue;
		n++;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
					"%s%s", len ? ", " : "",
					kconfig_groups[g].key);
	}
	if (s->kf.dev_zfs) {
		n++;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
					"%szfs", len ? ", " : "");
	}
	return n;
}

static void report_no_storage(struct state *s)
{
	struct finding *f = report_add(
		s->r, ID, SEV_WARNING,
		"no storage driver available: the kernel has neither overlay (CONFIG_OVERLAY_FS) nor btrfs, and there is no /dev/zfs");
	finding_set_detail(
		f,
		"dockerd needs a copy-on-write storage driver; without one it falls back to vfs (a full copy of every layer for every container) or refuses to start.");
	finding_set_remedy(
		f,
		"Boot a kernel with CONFIG_OVERLAY_FS=y or =m (overlay2, Docker's default), or CONFIG_BTRFS_FS and CONFIG_BTRFS_FS_POSIX_ACL with /var/lib/docker on btrfs.");
	for (size_t i = 0; i < KCONFIG_N_OPTS; i++) {
		char key[80];

		if (!kconfig_groups[kconfig_opts[i].group].storage ||
		    s->v[i] == V_SKIP)
			continue;
		kconfig_opt_key(kconfig_opts[i].name, key, sizeof(key));
		finding_add_evidence(f, key, "%s",
				     s->v[i] == V_NOMOD ? "m (no module file)"
				     : s->v[i] == V_MISSING ? "missing"
							    : "enabled");
	}
	finding_add_evidence(f, "dev_zfs", "missing");
	add_source(s, f);
}

/* AppArmor enabled without apparmor_parser. */
static void check_apparmor(struct state *s)
{
	struct finding *f;

	if (!s->kf.apparmor_enabled || s->kf.apparmor_parser)
		return;
	f = report_add(
		s->r, ID, SEV_WARNING,
		"AppArmor is enabled, but apparmor_parser is missing: dockerd cannot load the docker-default profile");
	finding_set_detail(
		f,
		"/sys/module/apparmor/parameters/enabled is Y and there is no apparmor_parser in /sbin, /usr/sbin or /usr/bin; containers fail to start with \"AppArmor enabled on system but the docker-default profile could not be loaded\".");
	finding_set_remedy(
		f,
		"Install the parser: apt-get install apparmor (Debian/Ubuntu), yum install apparmor-parser, or your distribution's apparmor package.");
	finding_add_evidence(f, "apparmor_enabled", "Y");
	finding_add_evidence(f, "apparmor_parser", "missing");
}

/* kernel.keys.root_maxkeys > 10000 */
static void check_maxkeys(struct state *s)
{
	static const char path[] = KCONFIG_MAXKEYS_PATH;
	struct finding *f;
	long v;
	int r = s->kf.maxkeys_err;

	if (r == -ENOENT && !kconfig_enabled(&s->kf.kc, "KEYS"))
		return; /* reported with the options */
	if (r < 0) {
		f = report_add(s->r, ID, SEV_UNKNOWN, "cannot read %s: %s",
			       path, strerror(-r));
		return;
	}
	if (parse_int(s->kf.maxkeys, 0, 1L << 40, &v) < 0) {
		f = report_add(s->r, ID, SEV_UNKNOWN,
			       "%s: unexpected value '%s'", path,
			       s->kf.maxkeys);
		return;
	}
	if (v > 10000)
		return;
	f = report_add(
		s->r, ID, SEV_WARNING,
		"kernel.keys.root_maxkeys is %ld: containers run as root share this key quota, so past about %ld containers new ones fail",
		v, v);
	finding_set_detail(
		f,
		"Every container gets its own session keyring, charged to root's key quota (%s); when it is used up, starting a container fails with \"could not create session key: disk quota exceeded\". Docker's check-config.sh wants more than 10000.",
		path);
	finding_set_remedy(
		f,
		"sysctl -w kernel.keys.root_maxkeys=1000000, and to keep it: echo 'kernel.keys.root_maxkeys = 1000000' > /etc/sysctl.d/90-docker-keys.conf (raise kernel.keys.root_maxbytes to 25000000 the same way).");
	finding_add_evidence(f, "root_maxkeys", "%ld", v);
}

/* check-config.sh's LEGACY_VSYSCALL note; vsyscall= on the command line wins. */
static void check_vsyscall(struct state *s)
{
	char mode[32] = "";
	struct finding *f;

	strscpy(mode, s->kf.vsyscall, sizeof(mode));
	if (!mode[0]) {
		if (kconfig_enabled(&s->kf.kc, "LEGACY_VSYSCALL_NATIVE"))
			snprintf(mode, sizeof(mode), "native");
		else if (kconfig_enabled(&s->kf.kc, "LEGACY_VSYSCALL_NONE"))
			snprintf(mode, sizeof(mode), "none");
	}
	if (strcmp(mode, "native") == 0) {
		f = report_add(
			s->r, ID, SEV_INFO,
			"vsyscall page is native (executable): an ASLR-bypassing target with usable ROP gadgets");
		finding_set_remedy(
			f,
			"Boot with vsyscall=xonly or vsyscall=emulate (kernel command line), or a kernel with CONFIG_LEGACY_VSYSCALL_XONLY.");
	} else if (strcmp(mode, "none") == 0) {
		f = report_add(
			s->r, ID, SEV_INFO,
			"vsyscall page is disabled: containers with eglibc <= 2.13 (e.g. centos:6 images) crash");
		finding_set_remedy(
			f,
			"If you run such images, boot with vsyscall=emulate on the kernel command line (this weakens ASLR of the vsyscall page).");
	} else {
		return;
	}
	finding_add_evidence(f, "vsyscall", "%s", mode);
	add_source(s, f);
}

/*
 * A config of another kernel than the running one (kconfig-facts.c
 * decides): judged as a config only, and said so.
 */
static void check_config_version(struct state *s, const char *running)
{
	struct finding *f;

	if (!s->kf.other_kernel)
		return;
	f = report_add(
		s->r, ID, SEV_INFO,
		"kernel config %s is for Linux %s, but the running kernel is %s: the results describe that config, judged as =y, =m or missing only",
		s->kf.kc.path, s->kf.config_kernel.release, running);
	finding_set_detail(
		f,
		"The release comes from %s. Its options built as modules are not looked up in /proc/modules or /lib/modules/%s, which belong to the running kernel; its own kernel version decides which options are checked.",
		s->kf.config_from, running);
	finding_set_remedy(
		f,
		"To judge the running kernel, pass its config with --kernel-config FILE (/boot/config-%s), or load the configs module (modprobe configs) for /proc/config.gz.",
		running);
	finding_add_evidence(f, "config_version", "%s",
			     s->kf.config_kernel.release);
	finding_add_evidence(f, "config_version_from", "%s", s->kf.config_from);
	finding_add_evidence(f, "running_kernel", "%s", running);
}

/* Evidence key: the modules (=m) whose state is st, if any. */
static void add_modules(const struct state *s, struct finding *f,
			const char *key, enum kmod_state st)
{
	char list[512] = "";
	size_t len = 0;

	for (size_t i = 0; i < KCONFIG_N_OPTS; i++)
		if (s->v[i] == V_MODULE && s->mod[i] == st &&
		    len < sizeof(list))
			len += (size_t)snprintf(
				list + len, sizeof(list) - len, "%s%.*s",
				len ? ", " : "",
				(int)strcspn(kconfig_opts[i].module, " "),
				kconfig_opts[i].module);
	if (len)
		finding_add_evidence(f, key, "%s", list);
}

static void report_ok(struct state *s, const char *drivers, size_t n_optional,
		      const char *notes)
{
	size_t nb = 0, nm = 0, nml = 0;
	struct finding *f;

	for (size_t i = 0; i < KCONFIG_N_OPTS; i++) {
		if (kconfig_opts[i].group != KCONFIG_G_NEEDED)
			continue;
		nb += s->v[i] == V_BUILTIN;
		nm += s->v[i] == V_MODULE;
		nml += s->v[i] == V_MODULE &&
		       (s->mod[i] == KMOD_LOADED || s->mod[i] == KMOD_BUILTIN);
	}
	f = report_add(
		s->r, ID, SEV_OK,
		"kernel config %s has all %zu options Docker needs (%zu built in, %zu as modules)",
		s->kf.kc.path, s->n_needed, nb, nm);
	add_source(s, f);
	finding_add_evidence(f, "necessary", "%zu", s->n_needed);
	finding_add_evidence(f, "builtin", "%zu", nb);
	finding_add_evidence(f, "modules", "%zu", nm);
	finding_add_evidence(f, "modules_loaded", "%zu", nml);
	finding_add_evidence(f, "optional_features_missing", "%zu", n_optional);
	finding_add_evidence(f, "storage_drivers", "%s", drivers);
	if (notes && *notes)
		finding_add_evidence(f, "skipped", "%s", notes);
	if (s->kf.kc.n_garbage)
		finding_add_evidence(f, "unparsed_lines", "%u (first: line %u)",
				     s->kf.kc.n_garbage,
				     s->kf.kc.first_garbage);
	add_modules(s, f, "modules_not_loaded", KMOD_AVAILABLE);
	/* =m in the config, in the kernel image all the same */
	add_modules(s, f, "modules_builtin", KMOD_BUILTIN);
}

/* Gather the config and the host files, then judge them. */
static int run(struct ctx *ctx, struct report *r)
{
	struct state *s = calloc(1, sizeof(*s));
	char err[sizeof(ctx->error)], drivers[128];
	size_t n_optional, n_storage;
	int ret;

	if (!s)
		return -ENOMEM;
	s->r = r;
	ret = kconfig_facts_gather(&s->kf, &ctx->root, ctx->opts->kernel_config,
				   ctx_kernel(ctx), err, sizeof(err));
	if (ret < 0) {
		ret = ctx_error(ctx, ret, "%s", err);
		goto out;
	}
	s->docker = pick_docker(ctx, &s->docker_src);
	ret = gather_modules(s, &ctx->root);
	if (ret < 0)
		goto out;

	evaluate(s);
	report_needed_missing(s);
	report_features_missing(s);
	report_needed_nomod(s);
	report_needed_unloaded(s);
	n_optional = report_optional(s);
	n_storage = storage_drivers(s, drivers, sizeof(drivers));
	if (!n_storage)
		report_no_storage(s);
	check_apparmor(s);
	check_maxkeys(s);
	check_vsyscall(s);
	check_config_version(s,
			     ctx_kernel(ctx) ? ctx_kernel(ctx)->release : "");
	if (n_storage &&
	    !list_needed(s, V_MISSING, IMPACT_ANY, NULL, 0, NULL, 0) &&
	    !list_needed(s, V_NOMOD, IMPACT_ANY, NULL, 0, NULL, 0))
		report_ok(s, drivers, n_optional, s->kf.notes);
	/* the applicable versions, on every finding of this run */
	for (size_t i = 0; i < r->n_findings; i++) {
		struct finding *f = &r->findings[i];

		if (strcmp(f->check, ID) != 0)
			continue;
		if (!has_source(f))
			add_source(s, f);
		finding_add_evidence(f, "docker_version", "%u.%u (%s)",
				     s->docker / 100, s->docker % 100,
				     s->docker_src);
		finding_add_evidence(f, "option_list",
				     "check-config.sh of Docker %s",
				     kconfig_list_name(s->docker));
		if (s->kf.kernel)
			finding_add_evidence(f, "kernel", "%s",
					     s->kf.kernel->release);
	}
	ret = r->oom ? -ENOMEM : 0;
out:
	kconfig_facts_release(&s->kf);
	free(s);
	return ret;
}

const struct check check_kernel_config = {
	.id = "kernel.config",
	.summary =
		"kernel options Docker needs (check-config.sh), and can their modules be loaded",
	.explain =
		"Reads the running kernel's build configuration: --kernel-config FILE\n"
		"(plain or gzip), else the first of /proc/config.gz,\n"
		"/boot/config-RELEASE, /usr/src/linux-RELEASE/.config,\n"
		"/usr/src/linux/.config and /lib/modules/RELEASE/build/.config. It\n"
		"checks the options moby's contrib/check-config.sh checks, with the\n"
		"script's kernel-version conditions (NF_NAT_IPV4 up to 5.1, CGROUP_BPF\n"
		"from 4.15, ...) and the list of the Docker version (--docker-version,\n"
		"else the daemon's, else the newest: v20.10, v23.0, v24.0, v25.0 to\n"
		"v27.5, v28.0, v28.1 to v28.5 or v29.0; evidence option_list says which).\n"
		"An option built as a module (=m) is looked up in /proc/modules and\n"
		"/lib/modules/RELEASE (modules.dep; modules.builtin lists the modules\n"
		"built into the kernel image, which are there). A config of another\n"
		"kernel (its file name config-RELEASE or its header says so) is judged\n"
		"as a config only: =y, =m or missing. It also checks, as the script\n"
		"does, that a storage driver is possible (overlay, btrfs or /dev/zfs),\n"
		"that apparmor_parser exists when AppArmor is enabled, and that\n"
		"kernel.keys.root_maxkeys is above 10000. The cgroup hierarchy is\n"
		"kernel.cgroups' part.\n"
		"\n"
		"Each missing option is reported with the feature it gates, at the\n"
		"severity of that feature, where the script calls them all necessary:\n"
		"without namespaces, cgroups, POSIX_MQUEUE, device control, veth, the\n"
		"bridge or iptables NAT no container runs or dockerd does not start\n"
		"(critical); without the freezer docker pause fails, without MEMCG\n"
		"--memory, without the IP6_NF_* tables IPv6 NAT, without the mangle\n"
		"table and MARK swarm's routing mesh (warning). NETFILTER_XT_MATCH_IPVS\n"
		"is reported with the optional IPVS options, RT_GROUP_SCHED as\n"
		"--cpu-rt-* only. The common case on a working host is a kernel upgrade\n"
		"without a reboot: /lib/modules/RELEASE is gone, so modules not loaded\n"
		"yet cannot be, and dockerd fails on its next restart.\n"
		"\n"
		"Findings:\n"
		"- critical 'kernel lacks N options Docker needs': boot a kernel\n"
		"  built with them (=y or =m).\n"
		"- critical '/lib/modules/RELEASE does not exist' or '... built as\n"
		"  modules that are not installed': reboot into the installed kernel,\n"
		"  or install the running kernel's modules package.\n"
		"- warning 'kernel lacks N options for Docker features': only the\n"
		"  features named need them.\n"
		"- warning 'no storage driver available', 'AppArmor is enabled, but\n"
		"  apparmor_parser is missing' (apt-get install apparmor),\n"
		"  'kernel.keys.root_maxkeys is N' (sysctl -w\n"
		"  kernel.keys.root_maxkeys=1000000 and a file in /etc/sysctl.d), and\n"
		"  a missing seccomp.\n"
		"- info: one per optional feature that lacks options, modules not\n"
		"  loaded yet, a config of another kernel.\n"
		"- unknown 'no kernel config found': modprobe configs (for\n"
		"  /proc/config.gz), install the kernel's config file, or pass\n"
		"  --kernel-config FILE.\n",
	.run = run,
};
