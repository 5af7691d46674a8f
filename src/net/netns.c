// SPDX-License-Identifier: GPL-2.0-or-later
/* Thread namespaces and namespace owners (see netns.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/netns.h"
#include "host/procfs.h"
#include "core/util.h"

/* Parse "net:[INODE]". */
int netns_parse_link(const char *link, unsigned long *ret_ino)
{
	unsigned long ino;
	int end = 0;

	if (sscanf(link, "net:[%lu]%n", &ino, &end) != 1 || !end ||
	    link[end] != '\0' || ino == 0)
		return -EINVAL;
	*ret_ino = ino;
	return 0;
}

/* readlinkat() + parse, relative to an open directory. */
static int read_ns_at(int dirfd, const char *rel, unsigned long *ret_ino)
{
	char buf[64];
	ssize_t n = readlinkat(dirfd, rel, buf, sizeof(buf) - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return netns_parse_link(buf, ret_ino);
}

/* The inode of element i of an array (see netns_ino_search()). */
static unsigned long ino_at(const void *base, size_t i, size_t size, size_t off)
{
	return *(const unsigned long *)((const char *)base + i * size + off);
}

/* Binary search of ino in an array sorted by inode. */
size_t netns_ino_search(const void *base, size_t n, size_t size, size_t off,
			unsigned long ino, bool *found)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ino_at(base, mid, size, off) < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < n && ino_at(base, lo, size, off) == ino;
	return lo;
}

/* Name and start time of the first threads of a group (bounded work). */
static void describe_thread(int taskfd, int tid, struct netns_group *g)
{
	char rel[64], buf[1024];
	struct procstat st;
	ssize_t n;
	int fd;

	snprintf(rel, sizeof(rel), "%d/stat", tid);
	fd = openat(taskfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* the thread is gone: normal */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (procfs_parse_stat(buf, &st) < 0)
		return;
	if (!g->thread_name[0])
		strscpy(g->thread_name, st.comm, sizeof(g->thread_name));
	if (!g->start || st.starttime < g->start)
		g->start = st.starttime;
}

/* Count a foreign thread into its group. */
static int add_thread(struct netns_sample *s, int tid, unsigned long ino)
{
	struct netns_group *g;
	bool found;
	size_t pos = netns_ino_search(s->groups, s->n_groups,
				      sizeof(*s->groups),
				      offsetof(struct netns_group, ino), ino,
				      &found);

	if (!found) {
		struct netns_group *ng =
			reallocarray(s->groups, s->n_groups + 1, sizeof(*ng));

		if (!ng)
			return -ENOMEM;
		s->groups = ng;
		memmove(&ng[pos + 1], &ng[pos],
			(s->n_groups - pos) * sizeof(*ng));
		memset(&ng[pos], 0, sizeof(*ng));
		ng[pos].ino = ino;
		s->n_groups++;
	}
	g = &s->groups[pos];
	g->n_threads++;
	if (g->n_tids < NETNS_TIDS_MAX)
		g->tids[g->n_tids++] = tid;
	return 0;
}

/* Take one sample. */
int netns_sample(const struct pathctx *pc, int pid, struct netns_sample *ret)
{
	struct netns_sample s = { .pid = pid };
	char dir[64];
	struct dirent *de;
	DIR *d = NULL;
	int r;

	snprintf(dir, sizeof(dir), "/proc/%d", pid);
	d = path_opendir(pc, dir);
	if (!d)
		return errno == ENOENT ? -ESRCH : -errno;
	r = read_ns_at(dirfd(d), "ns/net", &s.home_ino);
	if (r == 0)
		r = procfs_read_comm(pc, pid, s.comm, sizeof(s.comm));
	closedir(d);
	if (r < 0)
		return r == -ENOENT ? -ESRCH : r;
	snprintf(dir, sizeof(dir), "/proc/%d/task", pid);
	d = path_opendir(pc, dir);
	if (!d)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((de = readdir(d))) {
		char rel[64];
		unsigned long ino;
		long tid;

		if (parse_int(de->d_name, 1, 0x7fffffff, &tid) < 0)
			continue;
		snprintf(rel, sizeof(rel), "%ld/ns/net", tid);
		/* a thread that exited since readdir is simply not counted */
		if (read_ns_at(dirfd(d), rel, &ino) < 0)
			continue;
		s.n_threads++;
		if (ino != s.home_ino) {
			r = add_thread(&s, (int)tid, ino);
			if (r < 0)
				goto fail;
		}
	}
	closedir(d);
	*ret = s;
	return 0;
fail:
	closedir(d);
	netns_sample_release(&s);
	return r;
}

/* Keep what persisted: re-read the recorded tids only. */
int netns_sample_recheck(const struct pathctx *pc, struct netns_sample *s)
{
	char dir[64];
	size_t k = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/task", s->pid);
	d = path_opendir(pc, dir);
	if (!d)
		return errno == ENOENT ? -ESRCH : -errno;
	for (size_t i = 0; i < s->n_groups; i++) {
		struct netns_group g = s->groups[i];
		size_t n = 0;

		for (size_t t = 0; t < g.n_tids; t++) {
			char rel[64];
			unsigned long ino;

			snprintf(rel, sizeof(rel), "%d/ns/net", g.tids[t]);
			/* gone, or moved elsewhere: it did not stay */
			if (read_ns_at(dirfd(d), rel, &ino) == 0 &&
			    ino == g.ino)
				g.tids[n++] = g.tids[t];
		}
		if (!n)
			continue;
		if (n < g.n_tids)
			g.n_threads -= g.n_tids - n;
		g.n_tids = n;
		s->groups[k++] = g;
	}
	s->n_groups = k;
	closedir(d);
	return 0;
}

/* Name and start time of a reported group's threads. */
void netns_group_describe(const struct pathctx *pc, int pid,
			  struct netns_group *g)
{
	char dir[64];
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/task", pid);
	d = path_opendir(pc, dir);
	if (!d)
		return; /* the process is gone: nothing to describe */
	for (size_t t = 0; t < g->n_tids; t++)
		describe_thread(dirfd(d), g->tids[t], g);
	closedir(d);
}

/* Free a sample. */
void netns_sample_release(struct netns_sample *s)
{
	free(s->groups);
	s->groups = NULL;
	s->n_groups = 0;
}

/* Append an owner (unsorted). */
static int owner_add(struct netns_owners *o, const struct netns_owner *w)
{
	struct netns_owner *nv = reallocarray(o->v, o->n + 1, sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	o->v = nv;
	o->v[o->n++] = *w;
	return 0;
}

/*
 * mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - TYPE
 * SOURCE SUPEROPTS". For an nsfs mount of a network namespace, ROOT is
 * "net:[INODE]".
 */
int netns_owners_parse_mountinfo(struct netns_owners *o, const char *buf)
{
	const char *line = buf;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		struct netns_owner w = { .kind = OWNER_MOUNT };
		struct mountinfo_entry m;

		/* a cheap look first: most lines are not nsfs mounts */
		if (memmem(line, len, " - nsfs ", 8) &&
		    procfs_parse_mountinfo_line(line, len, &m) == 0 &&
		    netns_parse_link(m.root, &w.ino) == 0) {
			w.path = strdup(m.mount_point);
			if (!w.path || owner_add(o, &w) < 0) {
				free(w.path);
				return -ENOMEM;
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	return 0;
}

/* Every process's main-thread namespace. */
static int collect_processes(const struct pathctx *pc, struct netns_owners *o)
{
	int *pids = NULL;
	int n = procfs_list_pids(pc, &pids), r = 0;
	DIR *proc = path_opendir(pc, "/proc");

	if (n < 0 || !proc) {
		r = n < 0 ? n : -errno;
		goto out;
	}
	for (int i = 0; i < n && r == 0; i++) {
		struct netns_owner w = { .kind = OWNER_PROCESS,
					 .pid = pids[i] };
		char rel[64];

		snprintf(rel, sizeof(rel), "%d/ns/net", pids[i]);
		/* kernel threads and exited processes have no link: skip */
		if (read_ns_at(dirfd(proc), rel, &w.ino) < 0)
			continue;
		r = owner_add(o, &w);
	}
out:
	if (proc)
		closedir(proc);
	free(pids);
	return r;
}

static int cmp_owner(const void *a, const void *b)
{
	const struct netns_owner *x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (int)x->kind - (int)y->kind; /* mounts first */
}

/* Sort by inode, mounts before processes. */
void netns_owners_sort(struct netns_owners *o)
{
	if (o->n)
		qsort(o->v, o->n, sizeof(*o->v), cmp_owner);
}

/* Collect every owner. */
int netns_owners_collect(const struct pathctx *pc, const int *mount_pids,
			 size_t n, struct netns_owners *ret)
{
	struct netns_owners o = { 0 };
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++) {
		char *buf = NULL;

		/* a process that is gone has no mounts to offer */
		if (path_read_filef(pc, 16 << 20, &buf, NULL,
				    "/proc/%d/mountinfo", mount_pids[i]) < 0)
			continue;
		r = netns_owners_parse_mountinfo(&o, buf);
		free(buf);
	}
	if (r == 0)
		r = collect_processes(pc, &o);
	if (r < 0) {
		netns_owners_release(&o);
		return r;
	}
	netns_owners_sort(&o);
	*ret = o;
	return 0;
}

/* The owner of ino, mounts first. */
const struct netns_owner *netns_owner_find(const struct netns_owners *o,
					   unsigned long ino)
{
	bool found;
	size_t pos = netns_ino_search(o->v, o->n, sizeof(*o->v),
				      offsetof(struct netns_owner, ino), ino,
				      &found);

	return found ? &o->v[pos] : NULL;
}

/* Free the owners. */
void netns_owners_release(struct netns_owners *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->v[i].path);
	free(o->v);
	o->v = NULL;
	o->n = 0;
}
