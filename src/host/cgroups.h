/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cgroup setup dockerd sees: v1, v2 (unified) or hybrid, where each
 * controller is mounted, which controllers the kernel has and enables,
 * the v2 root's controllers, and the daemon's own cgroup. A collector for
 * kernel.cgroups and kernel.swap-limit.
 *
 * The mode is decided as containerd's cgroups.Mode() (which dockerd uses)
 * decides it: by the file system type of /sys/fs/cgroup (cgroup2: unified;
 * tmpfs with a cgroup2 /sys/fs/cgroup/unified: hybrid; tmpfs: v1). When
 * /sys/fs/cgroup is not a cgroup or tmpfs file system at all (a fixture
 * tree, a container without it), the cgroup mounts in mountinfo decide.
 */
#ifndef DD_CGROUPS_H
#define DD_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>

#include "host/path.h"

enum cgroup_mode {
	CGROUP_NONE = 0, /* no cgroup file system mounted */
	CGROUP_V1,
	CGROUP_HYBRID, /* v1 controllers, systemd's cgroup2 at .../unified */
	CGROUP_V2,
};

#define CGROUP_MAX_CONTROLLERS 32

/* A v1 controller (or name=...) hierarchy as mounted. */
struct cgroup_v1_mount {
	char name[32]; /* "memory", "name=systemd" */
	char path[256]; /* mount point as the viewer sees it */
};

/* A line of /proc/cgroups. */
struct cgroup_kernel_ctl {
	char name[32];
	int hierarchy;
	bool enabled;
};

struct cgroup_info {
	enum cgroup_mode mode;
	const char *decided_by; /* "statfs" or "mountinfo" */
	char prefix[64]; /* "" or "/proc/PID/root": whose view */
	struct cgroup_v1_mount v1[CGROUP_MAX_CONTROLLERS];
	size_t n_v1;
	char v2_path[256]; /* the cgroup2 mount point, "" when none */
	struct cgroup_kernel_ctl kernel[CGROUP_MAX_CONTROLLERS];
	size_t n_kernel;
	int kernel_err; /* reading /proc/cgroups: 0 or -errno */
	char v2_controllers[512]; /* root cgroup.controllers, one line */
	char v2_subtree[512]; /* root cgroup.subtree_control */
	int v2_err; /* reading cgroup.controllers: 0 or -errno */
	/* the daemon's cgroup: v2 path ("0::"), v1 memory path */
	char daemon_v2[512];
	char daemon_memory[512];
	int daemon_pid; /* 0 when no daemon */
};

/* Name of a mode: "none", "v1", "hybrid", "v2". */
const char *cgroup_mode_name(enum cgroup_mode mode);

/*
 * Parse mountinfo for cgroup mounts: v1 hierarchies (controllers from the
 * super options) and the cgroup2 mount. Sets mode from the mounts.
 */
int cgroups_parse_mountinfo(const char *buf, struct cgroup_info *ci);

/* Parse /proc/cgroups. 0 or -EINVAL when no line parses. */
int cgroups_parse_proc_cgroups(const char *buf, struct cgroup_info *ci);

/*
 * From /proc/PID/cgroup contents, the path of a v1 controller (or, with
 * controller "", the v2 "0::" path) into ret. 1 found, 0 not.
 */
int cgroups_parse_pid_cgroup(const char *buf, const char *controller, char *ret,
			     size_t size);

/*
 * Collect everything for the daemon pid (0: the tool's own view).
 * 0, or -errno when neither statfs nor mountinfo can tell anything.
 */
int cgroups_read(const struct pathctx *pc, int pid, struct cgroup_info *ret);

/* The mount point of a v1 controller, or NULL. */
const char *cgroups_v1_path(const struct cgroup_info *ci, const char *name);

/* /proc/cgroups entry of a controller, or NULL. */
const struct cgroup_kernel_ctl *cgroups_kernel(const struct cgroup_info *ci,
					       const char *name);

/* Is a controller in a space-separated list ("cpu io memory")? */
bool cgroups_list_has(const char *list, const char *name);

#endif
