// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel.cgroups: cgroup v1, v2 or hybrid; the controllers Docker uses;
 * and the daemon's cgroup driver against the init system (and kubelet).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/cgroups.h"
#include "core/check.h"
#include "core/context.h"
#include "host/procfs.h"
#include "core/util.h"

#define ID "kernel.cgroups"

/* Controllers Docker (runc) uses, and what is lost without each. */
struct ctl_need {
	const char *name;
	bool fatal; /* runc cannot create containers without it */
	const char *loses;
};

static const struct ctl_need v1_needs[] = {
	{ "devices", true,
	  "device access control: runc refuses to start containers" },
	{ "freezer", true, "docker pause and clean container stops" },
	{ "memory", false, "--memory and --memory-swap limits" },
	{ "cpu", false, "--cpus and --cpu-shares" },
	{ "cpuacct", false, "CPU usage statistics (docker stats)" },
	{ "cpuset", false, "--cpuset-cpus and --cpuset-mems" },
	{ "pids", false, "--pids-limit (fork-bomb protection)" },
	{ "blkio", false, "--blkio-weight and --device-read-bps limits" },
};

static const struct ctl_need v2_needs[] = {
	{ "memory", false, "--memory and --memory-swap limits" },
	{ "cpu", false, "--cpus and --cpu-shares" },
	{ "cpuset", false, "--cpuset-cpus and --cpuset-mems" },
	{ "pids", false, "--pids-limit (fork-bomb protection)" },
	{ "io", false, "--blkio-weight and --device-read-bps limits" },
};

/* Is systemd the init system (sd_booted(): /run/systemd/system exists)? */
static bool systemd_booted(struct ctx *ctx)
{
	struct stat st;

	return path_stat(&ctx->root, "/run/systemd/system", true, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

/* Append ", name" to a list buffer. */
static void list_add(char *buf, size_t size, const char *name)
{
	size_t n = strlen(buf);

	snprintf(buf + n, size - n, "%s%s", n ? " " : "", name);
}

/* The controllers Docker needs that are missing; worst severity found. */
static enum severity missing_controllers(struct ctx *ctx,
					 const struct cgroup_info *ci,
					 struct report *r)
{
	bool v2 = ci->mode == CGROUP_V2;
	const struct ctl_need *needs = v2 ? v2_needs : v1_needs;
	size_t n = v2 ? ARRAY_SIZE(v2_needs) : ARRAY_SIZE(v1_needs);
	enum severity worst = SEV_OK;

	for (size_t i = 0; i < n; i++) {
		const struct cgroup_kernel_ctl *k =
			cgroups_kernel(ci, needs[i].name);
		bool present =
			v2 ? cgroups_list_has(ci->v2_controllers, needs[i].name)
			   : cgroups_v1_path(ci, needs[i].name) != NULL;
		enum severity sev = needs[i].fatal ? SEV_CRITICAL : SEV_WARNING;
		struct finding *f;

		if (present)
			continue;
		/* io is named blkio in /proc/cgroups */
		if (!k && strcmp(needs[i].name, "io") == 0)
			k = cgroups_kernel(ci, "blkio");
		f = report_add(r, ID, sev,
			       "the %s cgroup controller is %s: no %s",
			       needs[i].name,
			       k && !k->enabled ? "disabled"
			       : !k && ci->n_kernel
				       ? "not built into this kernel"
			       : v2 ? "not available in the v2 hierarchy"
				    : "not mounted",
			       needs[i].loses);
		if (k && !k->enabled)
			finding_set_remedy(
				f,
				"Remove cgroup_disable=%s from the kernel command line, or add cgroup_enable=%s (some kernels disable it by default): edit GRUB_CMDLINE_LINUX in /etc/default/grub, run 'sudo update-grub' and reboot.",
				needs[i].name, needs[i].name);
		else if (v2 && k && k->hierarchy != 0)
			finding_set_remedy(
				f,
				"The controller is bound to a cgroup v1 hierarchy (hierarchy %d in /proc/cgroups), so v2 cannot use it: unmount that v1 hierarchy or boot with systemd.unified_cgroup_hierarchy=1.",
				k->hierarchy);
		else if (!v2)
			finding_set_remedy(
				f,
				"Mount it: 'mkdir -p /sys/fs/cgroup/%s && mount -t cgroup -o %s cgroup /sys/fs/cgroup/%s' (the cgroupfs-mount package does this at boot on hosts without systemd).",
				needs[i].name, needs[i].name, needs[i].name);
		else
			finding_set_remedy(
				f, "Use a kernel built with the %s controller.",
				needs[i].name);
		finding_add_evidence(f, "controller", "%s", needs[i].name);
		if (k)
			finding_add_evidence(f, "proc_cgroups",
					     "hierarchy=%d enabled=%d",
					     k->hierarchy, k->enabled);
		if (v2)
			finding_add_evidence(f, "cgroup_controllers", "%s",
					     ci->v2_controllers);
		if (sev > worst)
			worst = sev;
	}
	(void)ctx;
	return worst;
}

/* kubelet's cgroup driver: --cgroup-driver, else its config file. */
static int kubelet_driver(struct ctx *ctx, char *ret, size_t size, char *src,
			  size_t src_size)
{
	const struct procstat *k = ctx_process(ctx, "kubelet", NULL);
	const char *config = "/var/lib/kubelet/config.yaml";
	char **argv = NULL, *buf = NULL, *line;
	int found = 0;

	if (!k)
		return 0;
	if (procfs_read_cmdline(&ctx->root, k->pid, &argv) == 0) {
		for (size_t i = 0; argv && argv[i]; i++) {
			if (startswith(argv[i], "--cgroup-driver=")) {
				snprintf(ret, size, "%s", argv[i] + 16);
				snprintf(src, src_size,
					 "kubelet --cgroup-driver");
				found = 1;
			} else if (strcmp(argv[i], "--cgroup-driver") == 0 &&
				   argv[i + 1]) {
				snprintf(ret, size, "%s", argv[i + 1]);
				snprintf(src, src_size,
					 "kubelet --cgroup-driver");
				found = 1;
			} else if (startswith(argv[i], "--config=")) {
				config = argv[i] + 9;
			}
		}
	}
	if (!found &&
	    path_read_file(&ctx->root, config, 1 << 20, &buf, NULL) == 0) {
		for (line = buf; line && *line;
		     line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
			if (startswith(line, "cgroupDriver:")) {
				char *v = line + 13;

				v += strspn(v, " \t\"'");
				snprintf(ret, size, "%.*s",
					 (int)strcspn(v, " \t\"'\r\n#"), v);
				snprintf(src, src_size, "%s", config);
				found = 1;
				break;
			}
		}
		if (!found) {
			/* KubeletConfiguration's default */
			snprintf(ret, size, "cgroupfs");
			snprintf(src, src_size, "%s (default)", config);
			found = 1;
		}
	}
	free(buf);
	strv_free(argv);
	return found;
}

static int run(struct ctx *ctx, struct report *r)
{
	const struct cgroup_info *ci = ctx_cgroups(ctx);
	const struct dconfig_effective *eff = ctx_effective(ctx);
	const struct api_state *api = ctx_api_evidence(ctx);
	const char *driver, *driver_src, *info_driver = NULL,
					 *info_version = NULL;
	char ctl[512] = "", kdrv[64], ksrc[512];
	bool systemd = systemd_booted(ctx);
	enum severity worst;
	struct finding *f;

	if (!ci)
		return ctx_error(
			ctx, ctx->cgroups_err,
			"cannot tell the cgroup setup: /sys/fs/cgroup and /proc/self/mountinfo are unreadable (%s)",
			strerror(-ctx->cgroups_err));
	if (ci->mode == CGROUP_NONE) {
		f = report_add(
			r, ID, SEV_CRITICAL,
			"no cgroup file system is mounted: dockerd cannot create containers");
		finding_set_remedy(
			f,
			"Mount cgroup v2: 'mount -t cgroup2 none /sys/fs/cgroup' (on hosts without systemd the cgroupfs-mount package or your init scripts do this at boot).");
		finding_add_evidence(f, "decided_by", "%s", ci->decided_by);
		return 0;
	}
	worst = missing_controllers(ctx, ci, r);

	if (api && api->info_json) {
		info_driver = api_json_string(api->info_json, "CgroupDriver");
		info_version = api_json_string(api->info_json, "CgroupVersion");
	}
	if (info_driver) {
		driver = info_driver;
		driver_src = "the running daemon (docker info)";
	} else if (eff->cgroup_driver) {
		driver = eff->cgroup_driver;
		driver_src = "exec-opts native.cgroupdriver";
	} else {
		/* dockerd's default: systemd on v2 when systemd is init */
		driver = ci->mode == CGROUP_V2 && systemd ? "systemd"
							  : "cgroupfs";
		driver_src = "dockerd's default for this host";
	}

	if (strcmp(driver, "systemd") == 0 && !systemd) {
		f = report_add(
			r, ID, SEV_CRITICAL,
			"the cgroup driver is systemd, but systemd is not the init system: containers fail to start");
		finding_set_detail(
			f,
			"With native.cgroupdriver=systemd, runc asks systemd over D-Bus to create a scope for every container; without systemd (no /run/systemd/system) that fails.");
		finding_set_remedy(
			f,
			"Remove \"native.cgroupdriver=systemd\" from exec-opts in %s (or the --exec-opt flag) and restart dockerd, so it uses cgroupfs.",
			eff->config_file ? eff->config_file
					 : "/etc/docker/daemon.json");
		worst = SEV_CRITICAL;
	} else if (strcmp(driver, "cgroupfs") == 0 && systemd &&
		   ci->mode == CGROUP_V2) {
		f = report_add(
			r, ID, SEV_WARNING,
			"cgroup v2 with systemd, but dockerd uses the cgroupfs driver: two managers share the cgroup tree");
		finding_set_detail(
			f,
			"systemd owns the v2 hierarchy and does not know about the cgroups dockerd makes under /sys/fs/cgroup/docker; under memory pressure and on systemd reloads the two can disagree. dockerd's own default here is systemd, and Kubernetes requires the systemd driver on such hosts.");
		finding_set_remedy(
			f,
			"Set \"exec-opts\": [\"native.cgroupdriver=systemd\"] in /etc/docker/daemon.json and restart dockerd (running containers are restarted).");
		if (worst < SEV_WARNING)
			worst = SEV_WARNING;
	} else {
		f = NULL;
	}
	if (f) {
		finding_add_evidence(f, "driver", "%s", driver);
		finding_add_evidence(f, "driver_source", "%s", driver_src);
		finding_add_evidence(f, "systemd_init", "%s",
				     systemd ? "yes" : "no");
	}
	if (info_driver && eff->cgroup_driver &&
	    strcmp(info_driver, eff->cgroup_driver) != 0) {
		f = report_add(
			r, ID, SEV_INFO,
			"the daemon runs with the %s cgroup driver, but its configuration now says %s: the next restart switches",
			info_driver, eff->cgroup_driver);
		finding_set_detail(
			f,
			"Switching drivers moves containers to a different cgroup tree; tools that watch cgroups (kubelet, monitoring agents) must follow.");
		finding_add_evidence(f, "config", "%s",
				     eff->config_file ? eff->config_file
						      : "command line");
	}

	if (kubelet_driver(ctx, kdrv, sizeof(kdrv), ksrc, sizeof(ksrc)) &&
	    strcmp(kdrv, driver) != 0) {
		f = report_add(
			r, ID, SEV_WARNING,
			"kubelet uses the %s cgroup driver but dockerd uses %s",
			kdrv, driver);
		finding_set_detail(
			f,
			"kubelet and the container runtime must use the same cgroup driver; with different ones pods fail to start or their resources are accounted wrongly.");
		finding_set_remedy(
			f,
			"Use the same driver on both, preferably systemd: \"exec-opts\": [\"native.cgroupdriver=systemd\"] in /etc/docker/daemon.json and cgroupDriver: systemd in %s.",
			ksrc);
		finding_add_evidence(f, "kubelet_source", "%s", ksrc);
		if (worst < SEV_WARNING)
			worst = SEV_WARNING;
	}

	if (ci->mode == CGROUP_V2) {
		snprintf(ctl, sizeof(ctl), "%s", ci->v2_controllers);
	} else {
		for (size_t i = 0; i < ci->n_v1; i++)
			if (!startswith(ci->v1[i].name, "name="))
				list_add(ctl, sizeof(ctl), ci->v1[i].name);
	}
	f = report_add(r, ID, worst == SEV_OK ? SEV_OK : SEV_INFO,
		       "cgroup %s, driver %s%s; controllers: %s",
		       cgroup_mode_name(ci->mode), driver,
		       systemd ? " (systemd is init)" : "",
		       ctl[0] ? ctl : "none");
	if (ci->mode != CGROUP_V2)
		finding_set_detail(
			f,
			"cgroup v1 is deprecated: Docker 29 warns about it and plans to drop it by May 2029. Booting with systemd.unified_cgroup_hierarchy=1 (or a distribution release that defaults to v2) moves to cgroup v2.");
	finding_add_evidence(f, "mode", "%s", cgroup_mode_name(ci->mode));
	finding_add_evidence(f, "decided_by", "%s", ci->decided_by);
	if (ci->prefix[0])
		finding_add_evidence(f, "view", "%s", ci->prefix);
	finding_add_evidence(f, "driver", "%s", driver);
	finding_add_evidence(f, "driver_source", "%s", driver_src);
	finding_add_evidence(f, "systemd_init", "%s", systemd ? "yes" : "no");
	if (ci->v2_path[0])
		finding_add_evidence(f, "v2_mount", "%s", ci->v2_path);
	if (ci->daemon_pid) {
		finding_add_evidence(f, "daemon_pid", "%d", ci->daemon_pid);
		if (ci->daemon_v2[0])
			finding_add_evidence(f, "daemon_cgroup", "%s",
					     ci->daemon_v2);
	}
	if (info_version)
		finding_add_evidence(f, "docker_info_cgroup_version", "%s",
				     info_version);
	return 0;
}

const struct check check_kernel_cgroups = {
	.id = ID,
	.summary =
		"cgroup v1, v2 or hybrid, controllers, the cgroup driver vs systemd and kubelet",
	.explain =
		"Decides the cgroup mode the way dockerd does (the file system type of /sys/fs/cgroup, as containerd's cgroups.Mode(); mountinfo when that is not conclusive): v2 (unified), v1, or hybrid (v1 controllers with systemd's cgroup2 at /sys/fs/cgroup/unified, which Docker treats as v1). It reads the view of the selected dockerd (/proc/PID/root), so a daemon in a container is judged by what it sees.\n"
		"\n"
		"It lists the controllers Docker uses and reports each missing one with what is lost: on v1 devices and freezer are required by runc (critical); memory, cpu, cpuacct, cpuset, pids and blkio only lose their limits (warning). On v2 it reads cgroup.controllers for memory, cpu, cpuset, pids and io. A controller disabled on the kernel command line (cgroup_disable=) or still bound to a v1 hierarchy is named as such.\n"
		"\n"
		"The cgroup driver comes from the running daemon (docker info), else exec-opts native.cgroupdriver, else dockerd's default (systemd on cgroup v2 when systemd is init, else cgroupfs). The systemd driver without systemd as init is critical: runc cannot create scopes and containers fail to start. cgroupfs on a systemd host with cgroup v2 is a warning: two managers share the tree; set \"exec-opts\": [\"native.cgroupdriver=systemd\"]. When kubelet runs, its driver (--cgroup-driver or cgroupDriver in its config file) must match.\n"
		"\n"
		"cgroup v1 is deprecated (Docker 29 warns, removal planned by May 2029); boot with systemd.unified_cgroup_hierarchy=1 to move to v2.\n",
	.run = run,
};
