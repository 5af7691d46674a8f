// SPDX-License-Identifier: GPL-2.0-or-later
/* The cgroup setup dockerd sees (see cgroups.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "host/cgroups.h"
#include "host/procfs.h"
#include "core/util.h"

const char *cgroup_mode_name(enum cgroup_mode mode)
{
	switch (mode) {
	case CGROUP_V1:
		return "v1";
	case CGROUP_HYBRID:
		return "hybrid";
	case CGROUP_V2:
		return "v2";
	default:
		return "none";
	}
}

bool cgroups_list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		size_t w;

		p += strspn(p, " \t\n");
		w = strcspn(p, " \t\n");
		if (w == n && strncmp(p, name, n) == 0)
			return true;
		p += w;
	}
	return false;
}

/* Super options of a v1 cgroup mount that are not controllers. */
static bool is_controller_token(const char *t)
{
	static const char *const not_ctl[] = {
		"rw",
		"ro",
		"xattr",
		"noprefix",
		"clone_children",
		"cpuset_v2_mode",
		"favordynmods",
		"nsdelegate",
		"memory_localevents",
		"memory_recursiveprot",
	};

	if (!*t || strncmp(t, "release_agent=", 14) == 0)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(not_ctl); i++)
		if (strcmp(t, not_ctl[i]) == 0)
			return false;
	return true;
}

static void add_v1(struct cgroup_info *ci, const char *name, const char *path)
{
	for (size_t i = 0; i < ci->n_v1; i++)
		if (strcmp(ci->v1[i].name, name) == 0)
			return; /* the first mount wins, as in moby */
	if (ci->n_v1 >= CGROUP_MAX_CONTROLLERS)
		return;
	strscpy(ci->v1[ci->n_v1].name, name, sizeof(ci->v1[0].name));
	strscpy(ci->v1[ci->n_v1].path, path, sizeof(ci->v1[0].path));
	ci->n_v1++;
}

/*
 * mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - TYPE
 * SOURCE SUPEROPTS".
 */
int cgroups_parse_mountinfo(const char *buf, struct cgroup_info *ci)
{
	const char *line = buf;
	int v2_rank = 0;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *cur = line;
		struct mountinfo_entry m;

		line = nl ? nl + 1 : NULL;
		if (procfs_parse_mountinfo_line(cur, len, &m) < 0)
			continue;
		if (strcmp(m.fstype, "cgroup2") == 0) {
			/* /sys/fs/cgroup, then systemd's .../unified, then any */
			int rank = strcmp(m.mount_point, "/sys/fs/cgroup") == 0
					   ? 3
				   : strcmp(m.mount_point,
					    "/sys/fs/cgroup/unified") == 0
					   ? 2
					   : 1;

			if (rank > v2_rank) {
				v2_rank = rank;
				strscpy(ci->v2_path, m.mount_point,
					sizeof(ci->v2_path));
			}
		} else if (strcmp(m.fstype, "cgroup") == 0) {
			char *tok, *save = NULL;

			for (tok = strtok_r(m.super_opts, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save))
				if (is_controller_token(tok))
					add_v1(ci, tok, m.mount_point);
		}
	}
	if (v2_rank == 3)
		ci->mode = CGROUP_V2;
	else if (ci->n_v1 && ci->v2_path[0])
		ci->mode = CGROUP_HYBRID;
	else if (ci->n_v1)
		ci->mode = CGROUP_V1;
	else if (ci->v2_path[0])
		ci->mode = CGROUP_V2;
	else
		ci->mode = CGROUP_NONE;
	return 0;
}

/* "#subsys_name hierarchy num_cgroups enabled" lines. */
int cgroups_parse_proc_cgroups(const char *buf, struct cgroup_info *ci)
{
	const char *line = buf;

	ci->n_kernel = 0;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		struct cgroup_kernel_ctl k = { 0 };
		int hier, num, en;
		char name[32];

		if (*line != '#' &&
		    sscanf(line, "%31s %d %d %d", name, &hier, &num, &en) ==
			    4 &&
		    ci->n_kernel < CGROUP_MAX_CONTROLLERS) {
			strscpy(k.name, name, sizeof(k.name));
			k.hierarchy = hier;
			k.enabled = en != 0;
			ci->kernel[ci->n_kernel++] = k;
		}
		line = nl ? nl + 1 : NULL;
	}
	return ci->n_kernel ? 0 : -EINVAL;
}

/* "4:memory:/docker/ID", "0::/system.slice/docker.service". */
int cgroups_parse_pid_cgroup(const char *buf, const char *controller, char *ret,
			     size_t size)
{
	const char *line = buf;
	size_t cl = strlen(controller);

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *c1 = memchr(line, ':', len), *c2;

		if (c1 &&
		    (c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line)))) {
			const char *ctl = c1 + 1;
			size_t ctl_len = (size_t)(c2 - ctl);
			bool match = false;

			if (cl == 0) {
				match = ctl_len == 0 && len >= 2 &&
					line[0] == '0';
			} else {
				/* "cpu,cpuacct": any of the comma list */
				for (const char *t = ctl; t < c2;) {
					size_t w = strcspn(t, ",:");

					if (w == cl &&
					    strncmp(t, controller, cl) == 0)
						match = true;
					t += w + 1;
				}
			}
			if (match) {
				size_t plen = len - (size_t)(c2 + 1 - line);

				if (plen >= size)
					plen = size - 1;
				memcpy(ret, c2 + 1, plen);
				ret[plen] = '\0';
				ret[strcspn(ret, "\r")] = '\0';
				return 1;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* The file system type of a directory under the root; 0 when unknown. */
static long fs_magic(const struct pathctx *pc, const char *path)
{
	struct statfs sf;
	int fd = path_open(pc, path, O_PATH | O_DIRECTORY);
	long magic = 0;

	if (fd < 0)
		return 0;
	if (fstatfs(fd, &sf) == 0)
		magic = (long)sf.f_type;
	close(fd);
	return magic;
}

/*
 * Is path a mount point (its device differs from its parent's)? A plain
 * directory that happens to live on a tmpfs (a fixture under /tmp) is not.
 */
static bool is_mount_point(const struct pathctx *pc, const char *path)
{
	char parent[512];
	struct stat a, b;
	char *slash;

	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return true;
	*slash = '\0';
	if (path_stat(pc, path, true, &a) < 0 ||
	    path_stat(pc, parent, true, &b) < 0)
		return false;
	return a.st_dev != b.st_dev;
}

/* Read a one-line file into buf (empty on failure); 0 or -errno. */
static int read_line(const struct pathctx *pc, char *buf, size_t size,
		     const char *prefix, const char *dir, const char *file)
{
	char *data = NULL;
	int r;

	buf[0] = '\0';
	r = path_read_filef(pc, 64 << 10, &data, NULL, "%s%s/%s", prefix, dir,
			    file);
	if (r < 0)
		return r;
	strscpy(buf, data, size);
	buf[strcspn(buf, "\n")] = '\0';
	free(data);
	return 0;
}

int cgroups_read(const struct pathctx *pc, int pid, struct cgroup_info *ret)
{
	struct cgroup_info ci = { 0 };
	char *buf = NULL, path[512];
	enum cgroup_mode by_mounts;
	long magic;
	int r;

	/* whose view: the daemon's own root when we can see it */
	if (pid > 0) {
		struct stat st;

		snprintf(path, sizeof(path), "/proc/%d/root/sys/fs/cgroup",
			 pid);
		if (path_stat(pc, path, true, &st) == 0)
			snprintf(ci.prefix, sizeof(ci.prefix), "/proc/%d/root",
				 pid);
	}
	if (pid > 0)
		r = path_read_filef(pc, 16 << 20, &buf, NULL,
				    "/proc/%d/mountinfo", pid);
	else
		r = path_read_file(pc, "/proc/self/mountinfo", 16 << 20, &buf,
				   NULL);
	if (r == 0)
		cgroups_parse_mountinfo(buf, &ci);
	free(buf);
	buf = NULL;
	by_mounts = ci.mode;

	snprintf(path, sizeof(path), "%s/sys/fs/cgroup", ci.prefix);
	magic = fs_magic(pc, path);
	ci.decided_by = "mountinfo";
	if (magic == CGROUP2_SUPER_MAGIC) {
		ci.mode = CGROUP_V2;
		ci.decided_by = "statfs";
		strscpy(ci.v2_path, "/sys/fs/cgroup", sizeof(ci.v2_path));
	} else if (magic == CGROUP_SUPER_MAGIC ||
		   (magic == TMPFS_MAGIC && is_mount_point(pc, path))) {
		snprintf(path, sizeof(path), "%s/sys/fs/cgroup/unified",
			 ci.prefix);
		ci.mode = fs_magic(pc, path) == CGROUP2_SUPER_MAGIC
				  ? CGROUP_HYBRID
				  : CGROUP_V1;
		if (ci.mode == CGROUP_HYBRID)
			strscpy(ci.v2_path, "/sys/fs/cgroup/unified",
				sizeof(ci.v2_path));
		ci.decided_by = "statfs";
		if (ci.mode == CGROUP_V1 && !ci.n_v1 &&
		    by_mounts == CGROUP_NONE)
			ci.mode = CGROUP_NONE; /* an empty tmpfs */
	} else if (r < 0) {
		return r;
	}

	if (path_read_file(pc, "/proc/cgroups", 64 << 10, &buf, NULL) == 0) {
		ci.kernel_err = cgroups_parse_proc_cgroups(buf, &ci);
		free(buf);
		buf = NULL;
	} else {
		ci.kernel_err = -ENOENT;
	}
	if (ci.v2_path[0]) {
		ci.v2_err = read_line(pc, ci.v2_controllers,
				      sizeof(ci.v2_controllers), ci.prefix,
				      ci.v2_path, "cgroup.controllers");
		read_line(pc, ci.v2_subtree, sizeof(ci.v2_subtree), ci.prefix,
			  ci.v2_path, "cgroup.subtree_control");
	} else {
		ci.v2_err = -ENOENT;
	}
	if (pid > 0 && path_read_filef(pc, 1 << 20, &buf, NULL,
				       "/proc/%d/cgroup", pid) == 0) {
		ci.daemon_pid = pid;
		cgroups_parse_pid_cgroup(buf, "", ci.daemon_v2,
					 sizeof(ci.daemon_v2));
		cgroups_parse_pid_cgroup(buf, "memory", ci.daemon_memory,
					 sizeof(ci.daemon_memory));
		free(buf);
	}
	*ret = ci;
	return 0;
}

const char *cgroups_v1_path(const struct cgroup_info *ci, const char *name)
{
	for (size_t i = 0; i < ci->n_v1; i++)
		if (strcmp(ci->v1[i].name, name) == 0)
			return ci->v1[i].path;
	return NULL;
}

const struct cgroup_kernel_ctl *cgroups_kernel(const struct cgroup_info *ci,
					       const char *name)
{
	for (size_t i = 0; i < ci->n_kernel; i++)
		if (strcmp(ci->kernel[i].name, name) == 0)
			return &ci->kernel[i];
	return NULL;
}
