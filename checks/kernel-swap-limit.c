// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel.swap-limit: can containers' swap be limited (docker run
 * --memory-swap)? Decided from the live cgroup files, and compared with
 * what dockerd itself concluded, which on cgroup v2 it gets wrong when it
 * runs in the root cgroup or in one without the memory controller.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/cgroups.h"
#include "core/check.h"
#include "core/context.h"
#include "host/kconfig.h"
#include "host/kernel.h"
#include "core/util.h"

#define ID "kernel.swap-limit"

enum verdict { SWAP_UNKNOWN = 0, SWAP_YES, SWAP_NO, SWAP_NO_MEMCG };

/* Why there is no swap limit: each has its own remedy (remedy_of()). */
enum cause {
	C_NONE = 0,
	C_CMDLINE_OFF, /* swapaccount=0 on the kernel command line */
	C_NOT_ENABLED, /* built in, off by default: swapaccount=1 turns it on */
	C_NO_KERNEL_SWAP, /* the config lacks CONFIG_MEMCG_SWAP */
	C_V2_OFF, /* v2: memory on, no memory.swap.max, cause not known */
	C_MEMCG_UNMOUNTED, /* v1/hybrid: no memory hierarchy mounted */
	C_MEMCG_DISABLED, /* /proc/cgroups: enabled 0 (cgroup_disable=memory) */
	C_MEMCG_ON_V1, /* v2, but memory is bound to a v1 hierarchy */
	C_NO_MEMCG, /* the kernel has no memory controller at all */
};

struct swap_facts {
	enum verdict v;
	enum cause cause;
	char why[1536]; /* for NO and UNKNOWN */
	char where[1024]; /* the file that decided */
	int daemon_view; /* what dockerd concludes: 1 yes, 0 no, -1 n/a */
	char daemon_file[1024];
};

#define GRUB_REMEDY                                                                               \
	"Edit /etc/default/grub and add to GRUB_CMDLINE_LINUX (keeping what is there): "          \
	"GRUB_CMDLINE_LINUX=\"cgroup_enable=memory swapaccount=1\"; then run 'sudo update-grub' " \
	"(on RPM systems: grubby --update-kernel=ALL --args=\"swapaccount=1\") and reboot. "      \
	"Memory and swap accounting cost about 1% of memory and some performance, even when Docker is not running."

/* The remedy of each cause. */
static const char *const remedies[] = {
	[C_CMDLINE_OFF] =
		"Remove swapaccount=0 from the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, then 'sudo update-grub'; on RPM systems: grubby --update-kernel=ALL --remove-args=swapaccount) and reboot.",
	[C_NOT_ENABLED] = GRUB_REMEDY,
	[C_NO_KERNEL_SWAP] =
		"The kernel is built without swap accounting (CONFIG_MEMCG_SWAP), so swapaccount=1 does nothing: boot a kernel built with it (distribution kernels have it; from 5.8 it is on by default).",
	[C_V2_OFF] =
		"Swap accounting is off in the kernel: on kernels before 5.8 add swapaccount=1 to the kernel command line (GRUB_CMDLINE_LINUX, update-grub, reboot); otherwise boot a kernel built with CONFIG_MEMCG_SWAP (kernel.config shows the config).",
	[C_MEMCG_UNMOUNTED] =
		"Mount the memory controller (mount -t cgroup -o memory cgroup /sys/fs/cgroup/memory, as cgroupfs-mount does), or let systemd manage cgroup v2: boot with systemd.unified_cgroup_hierarchy=1. swapaccount=1 does not help here.",
	[C_MEMCG_DISABLED] =
		"Turn the memory controller on: remove cgroup_disable=memory from the kernel command line, or add cgroup_enable=memory where the kernel needs it (Raspberry Pi OS), then update-grub (or the boot loader's file) and reboot.",
	[C_MEMCG_ON_V1] =
		"The memory controller is bound to a cgroup v1 hierarchy, so the cgroup v2 tree dockerd uses cannot have it: unmount that hierarchy, or boot with systemd.unified_cgroup_hierarchy=1 (without systemd.legacy_systemd_cgroup_controller) so systemd does not mount it. swapaccount=1 does not help here.",
	[C_NO_MEMCG] =
		"Boot a kernel built with CONFIG_MEMCG (and CONFIG_SWAP): this one has no memory controller.",
};

/* Swap accounting built into the kernel, per its config: 1, 0, -1 unknown. */
static int kernel_has_memcg_swap(struct ctx *ctx)
{
	const struct kernel_release *k = ctx_kernel(ctx);
	struct kconfig kc = { 0 };
	char notes[256];
	int ret = -1;

	if (kconfig_find(&kc, &ctx->root, k ? k->release : NULL, notes,
			 sizeof(notes)) > 0) {
		/* 6.1+ has no such option: MEMCG and SWAP are enough */
		if (kconfig_get(&kc, "MEMCG_SWAP"))
			ret = kconfig_enabled(&kc, "MEMCG_SWAP");
		else if (kconfig_enabled(&kc, "MEMCG"))
			ret = kconfig_enabled(&kc, "SWAP");
	}
	kconfig_release(&kc);
	return ret;
}

/* Evidence names of the causes. */
static const char *const cause_names[] = {
	[C_NONE] = "none",
	[C_CMDLINE_OFF] = "swapaccount=0",
	[C_NOT_ENABLED] = "swap accounting not enabled",
	[C_NO_KERNEL_SWAP] = "kernel without CONFIG_MEMCG_SWAP",
	[C_V2_OFF] = "swap accounting off",
	[C_MEMCG_UNMOUNTED] = "memory controller not mounted",
	[C_MEMCG_DISABLED] = "memory controller disabled",
	[C_MEMCG_ON_V1] = "memory controller bound to cgroup v1",
	[C_NO_MEMCG] = "kernel without a memory controller",
};

static bool exists(struct ctx *ctx, const char *path)
{
	struct stat st;

	return path_stat(&ctx->root, path, true, &st) == 0;
}

/* cgroup v1 (and hybrid): the memory hierarchy's root has memsw files. */
static void decide_v1(struct ctx *ctx, const struct cgroup_info *ci,
		      const char *cmdline, struct swap_facts *sf)
{
	const struct cgroup_kernel_ctl *k = cgroups_kernel(ci, "memory");
	const char *mem = cgroups_v1_path(ci, "memory");
	char val[64];

	if (!mem) {
		sf->v = SWAP_NO_MEMCG;
		sf->cause = k && !k->enabled ? C_MEMCG_DISABLED
			    : k		     ? C_MEMCG_UNMOUNTED
					     : C_NO_MEMCG;
		snprintf(
			sf->why, sizeof(sf->why), "%s",
			k && !k->enabled
				? "the memory controller is disabled (/proc/cgroups: enabled 0; cgroup_disable=memory, or a kernel that needs cgroup_enable=memory)"
				: "no memory cgroup hierarchy is mounted");
		sf->daemon_view = ci->daemon_pid ? 0 : -1;
		return;
	}
	snprintf(sf->where, sizeof(sf->where),
		 "%s%s/memory.memsw.limit_in_bytes", ci->prefix, mem);
	if (exists(ctx, sf->where)) {
		sf->v = SWAP_YES;
	} else {
		sf->v = SWAP_NO;
		if (kernel_cmdline_param(cmdline, "swapaccount", val,
					 sizeof(val)) &&
		    strcmp(val, "1") != 0) {
			sf->cause = C_CMDLINE_OFF;
			snprintf(
				sf->why, sizeof(sf->why),
				"swap accounting is turned off on the kernel command line (swapaccount=%s)",
				val);
		} else if (kernel_has_memcg_swap(ctx) == 0) {
			sf->cause = C_NO_KERNEL_SWAP;
			snprintf(
				sf->why, sizeof(sf->why),
				"swap accounting is not built: %s is missing and the kernel config has no CONFIG_MEMCG_SWAP",
				sf->where);
		} else {
			sf->cause = C_NOT_ENABLED;
			snprintf(
				sf->why, sizeof(sf->why),
				"swap accounting is off: %s is missing (the kernel was built without CONFIG_MEMCG_SWAP_ENABLED and swapaccount=1 is not set)",
				sf->where);
		}
	}
	/* dockerd looks at the same file: its view is ours */
	snprintf(sf->daemon_file, sizeof(sf->daemon_file), "%s", sf->where);
	sf->daemon_view = ci->daemon_pid ? sf->v == SWAP_YES : -1;
}

/* cgroup v2: memory.swap.max exists in non-root cgroups with memory on. */
static void decide_v2(struct ctx *ctx, const struct cgroup_info *ci,
		      const char *cmdline, struct swap_facts *sf)
{
	static const char *const probes[] = { "/system.slice", "/init.scope",
					      "/user.slice", "/docker",
					      "/kubepods" };
	const struct kernel_release *k = ctx_kernel(ctx);
	bool memory_seen = false;
	char path[1024], val[64];

	if (!cgroups_list_has(ci->v2_controllers, "memory")) {
		const struct cgroup_kernel_ctl *mk =
			cgroups_kernel(ci, "memory");

		sf->v = SWAP_NO_MEMCG;
		sf->cause = !mk		    ? C_NO_MEMCG
			    : !mk->enabled  ? C_MEMCG_DISABLED
			    : mk->hierarchy ? C_MEMCG_ON_V1
					    : C_NO_MEMCG;
		snprintf(
			sf->why, sizeof(sf->why),
			"the memory controller is not in %s%s/cgroup.controllers (it holds '%s')%s",
			ci->prefix, ci->v2_path, ci->v2_controllers,
			sf->cause == C_MEMCG_ON_V1
				? ": it is bound to a cgroup v1 hierarchy"
				: "");
		sf->daemon_view = ci->daemon_pid ? 0 : -1;
		return;
	}
	/* the daemon's own cgroup first, then the usual ones */
	for (size_t i = 0; i <= ARRAY_SIZE(probes) && sf->v == SWAP_UNKNOWN;
	     i++) {
		const char *cg = i == 0 ? ci->daemon_v2 : probes[i - 1];

		if (!cg[0] || strcmp(cg, "/") == 0)
			continue;
		snprintf(path, sizeof(path), "%s%s%s/memory.swap.max",
			 ci->prefix, ci->v2_path, cg);
		if (exists(ctx, path)) {
			sf->v = SWAP_YES;
			snprintf(sf->where, sizeof(sf->where), "%s", path);
			break;
		}
		snprintf(path, sizeof(path), "%s%s%s/memory.max", ci->prefix,
			 ci->v2_path, cg);
		if (exists(ctx, path))
			memory_seen = true;
	}
	if (sf->v == SWAP_UNKNOWN && memory_seen) {
		sf->v = SWAP_NO;
		sf->cause = kernel_cmdline_param(cmdline, "swapaccount", val,
						 sizeof(val)) &&
					    strcmp(val, "0") == 0
				    ? C_CMDLINE_OFF
				    : C_V2_OFF;
		snprintf(
			sf->why, sizeof(sf->why),
			"cgroups with the memory controller have no memory.swap.max: swap accounting is off%s",
			kernel_cmdline_param(cmdline, "swapaccount", val,
					     sizeof(val))
				? " (swapaccount= on the kernel command line)"
				: "");
	} else if (sf->v == SWAP_UNKNOWN) {
		/* no cgroup to look at: the kernel's rule (5.8+: on by default) */
		if (kernel_cmdline_param(cmdline, "swapaccount", val,
					 sizeof(val)) &&
		    strcmp(val, "0") == 0) {
			sf->v = SWAP_NO;
			sf->cause = C_CMDLINE_OFF;
			snprintf(sf->why, sizeof(sf->why),
				 "swapaccount=0 is on the kernel command line");
		} else if (k && kernel_cmp(k, 5, 8, 0) >= 0) {
			sf->v = SWAP_YES;
			snprintf(
				sf->where, sizeof(sf->where),
				"kernel %s accounts swap by default (no cgroup with the memory controller to confirm)",
				k->release);
		} else {
			snprintf(
				sf->why, sizeof(sf->why),
				"no cgroup under %s%s has the memory controller enabled, so memory.swap.max cannot be looked for",
				ci->prefix, ci->v2_path);
		}
	}
	/* dockerd: /sys/fs/cgroup/<its own cgroup>/memory.swap.max only */
	if (!ci->daemon_pid) {
		sf->daemon_view = -1;
		return;
	}
	snprintf(sf->daemon_file, sizeof(sf->daemon_file),
		 "%s%s%s/memory.swap.max", ci->prefix, ci->v2_path,
		 strcmp(ci->daemon_v2, "/") == 0 ? "" : ci->daemon_v2);
	sf->daemon_view = ci->daemon_v2[0] && strcmp(ci->daemon_v2, "/") != 0 &&
			  exists(ctx, sf->daemon_file);
}

/* Is any swap in use (/proc/swaps has entries)? -1 unknown. */
static int swap_in_use(struct ctx *ctx, char *total, size_t size)
{
	char *buf = NULL, *line;
	unsigned long long kb = 0;
	int n = 0;

	if (path_read_file(&ctx->root, "/proc/swaps", 1 << 20, &buf, NULL) < 0)
		return -1;
	line = strchr(buf, '\n'); /* skip the header */
	while (line && *++line) {
		char name[256], type[32];
		unsigned long long sz;

		if (sscanf(line, "%255s %31s %llu", name, type, &sz) == 3) {
			n++;
			kb += sz;
		}
		line = strchr(line, '\n');
	}
	free(buf);
	snprintf(total, size, "%llu kB in %d device%s", kb, n,
		 n == 1 ? "" : "s");
	return n > 0;
}

static int run(struct ctx *ctx, struct report *r)
{
	const struct cgroup_info *ci = ctx_cgroups(ctx);
	const struct api_state *api = ctx_api_evidence(ctx);
	struct swap_facts sf = { .daemon_view = -1 };
	char *cmdline = NULL, swaps[96] = "";
	struct finding *f = NULL;
	int in_use;

	if (!ci)
		return ctx_error(
			ctx, ctx->cgroups_err,
			"cannot tell the cgroup setup: /sys/fs/cgroup and /proc/self/mountinfo are unreadable (%s)",
			strerror(-ctx->cgroups_err));
	if (path_read_file(&ctx->root, "/proc/cmdline", 64 << 10, &cmdline,
			   NULL) < 0)
		cmdline = NULL;
	if (ci->mode == CGROUP_V2)
		decide_v2(ctx, ci, cmdline ? cmdline : "", &sf);
	else if (ci->mode != CGROUP_NONE)
		decide_v1(ctx, ci, cmdline ? cmdline : "", &sf);
	in_use = swap_in_use(ctx, swaps, sizeof(swaps));

	switch (sf.v) {
	case SWAP_YES:
		if (sf.daemon_view == 0) {
			f = report_add(
				r, ID, SEV_WARNING,
				"the kernel supports swap limits, but dockerd (pid %d) concluded it does not, and discards --memory-swap",
				ci->daemon_pid);
			finding_set_detail(
				f,
				"On cgroup v2 dockerd looks only at its own cgroup (%s) for memory.swap.max; that cgroup is the root or lacks the memory controller, so it warns 'No swap limit support' and drops every --memory-swap. The kernel is fine: the GRUB change of the usual advice does not help here.",
				ci->daemon_v2[0] ? ci->daemon_v2 : "unknown");
			finding_set_remedy(
				f,
				"Run dockerd in a cgroup of its own with the memory controller: start it through systemd (docker.service), or enable the controller for its parent ('echo +memory > PARENT/cgroup.subtree_control') and move it out of the root cgroup; then restart dockerd.");
			finding_add_evidence(f, "daemon_cgroup", "%s",
					     ci->daemon_v2);
			finding_add_evidence(f, "daemon_looks_at", "%s",
					     sf.daemon_file);
		} else {
			f = report_add(
				r, ID, SEV_OK,
				"swap limits work (cgroup %s): containers' --memory-swap is enforced",
				cgroup_mode_name(ci->mode));
		}
		finding_add_evidence(f, "supported_by", "%s", sf.where);
		break;
	case SWAP_NO:
	case SWAP_NO_MEMCG:
		if (sf.v == SWAP_NO_MEMCG)
			f = report_add(
				r, ID, SEV_WARNING,
				"no swap limits, and no memory limits either: %s",
				sf.why);
		else if (in_use == 0)
			f = report_add(
				r, ID, SEV_INFO,
				"no swap limit support, but no swap is in use: %s",
				sf.why);
		else
			f = report_add(r, ID, SEV_WARNING,
				       "no swap limit support: %s", sf.why);
		finding_set_detail(
			f,
			"dockerd warns 'No swap limit support' and discards --memory-swap ('Your kernel does not support swap limit capabilities. Limitation discarded.'): a container limited with --memory can still push the rest of its memory to swap without bound%s.",
			sf.v == SWAP_NO_MEMCG
				? "; without the memory controller even --memory is ignored"
				: "");
		if (sf.v == SWAP_NO && in_use == 0)
			finding_set_remedy(
				f,
				"Nothing to limit while no swap is in use. If you add swap: %s",
				remedies[sf.cause]);
		else
			finding_set_remedy(f, "%s", remedies[sf.cause]);
		finding_add_evidence(f, "cause", "%s", cause_names[sf.cause]);
		break;
	default:
		f = report_add(r, ID, SEV_UNKNOWN,
			       "cannot tell whether swap limits work: %s",
			       ci->mode == CGROUP_NONE
				       ? "no cgroup file system is mounted"
				       : sf.why);
		break;
	}
	finding_add_evidence(f, "cgroup_mode", "%s",
			     cgroup_mode_name(ci->mode));
	if (in_use >= 0)
		finding_add_evidence(f, "swap", "%s", swaps);
	if (cmdline) {
		char val[128];

		if (kernel_cmdline_param(cmdline, "swapaccount", val,
					 sizeof(val)))
			finding_add_evidence(f, "cmdline_swapaccount", "%s",
					     val);
		if (kernel_cmdline_param(cmdline, "cgroup_enable", val,
					 sizeof(val)))
			finding_add_evidence(f, "cmdline_cgroup_enable", "%s",
					     val);
	}
	if (api && api->info_json) {
		json_object *x;

		if (json_object_object_get_ex(api->info_json, "SwapLimit", &x))
			finding_add_evidence(
				f, "docker_info_swap_limit", "%s",
				json_object_get_boolean(x) ? "true" : "false");
	}
	free(cmdline);
	return 0;
}

const struct check check_kernel_swap_limit = {
	.id = ID,
	.summary =
		"can containers' swap use be limited (--memory-swap), as dockerd decides it",
	.explain =
		"Decides from the live cgroup files whether the kernel accounts swap per cgroup, which 'docker run --memory-swap' needs. On cgroup v1 (and hybrid) that is memory.memsw.limit_in_bytes at the root of the memory hierarchy; on cgroup v2 it is memory.swap.max in cgroups that have the memory controller (the daemon's own, then system.slice, init.scope, user.slice, docker). Without it dockerd logs 'Your kernel does not support swap limit capabilities. Limitation discarded.' and a container limited with --memory can still swap without bound.\n"
		"\n"
		"dockerd itself, on cgroup v2, looks only at its own cgroup. When it runs in the root cgroup (outside systemd, in some containers) or in a cgroup without the memory controller, it reports 'No swap limit support' although the kernel supports it, and drops --memory-swap. This check tells the two apart: the fix for the first is running dockerd in a proper cgroup (docker.service), not a kernel parameter.\n"
		"\n"
		"When swap accounting really is off, the remedy follows the cause (evidence 'cause'): swapaccount=0 on the kernel command line is removed; a kernel built with swap accounting but off by default (before 5.8, without CONFIG_MEMCG_SWAP_ENABLED) gets swapaccount=1 (Ubuntu, Debian: edit /etc/default/grub, set GRUB_CMDLINE_LINUX=\"cgroup_enable=memory swapaccount=1\" keeping the other parameters, run 'sudo update-grub' and reboot); a kernel config without CONFIG_MEMCG_SWAP needs another kernel, as swapaccount=1 does nothing there. Without the memory controller there are no memory limits either: when it is not mounted on cgroup v1, mount it (or boot with systemd.unified_cgroup_hierarchy=1); when it is bound to a cgroup v1 hierarchy on a cgroup v2 host, unmount that or boot with systemd.unified_cgroup_hierarchy=1; when it is disabled, remove cgroup_disable=memory (or add cgroup_enable=memory). Memory and swap accounting cost about 1% of memory and some performance. With no swap in use, the missing limit changes nothing today and is reported as info.\n",
	.run = run,
};
