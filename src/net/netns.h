/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network namespaces of a process's threads, and who owns namespaces.
 *
 * A sample walks /proc/PID/task/TID/ns/net once and groups the threads that
 * are not in the process's own namespace (its main thread's) by namespace
 * inode. Memory grows with namespaces, not threads: a group keeps a count
 * and the first NETNS_TIDS_MAX tids. Threads that exit during the walk are
 * skipped: that is normal, not an error.
 *
 * Owners: an nsfs bind mount of the namespace (Docker's sandbox files under
 * <exec-root>/netns, 'ip netns' files under /run/netns), seen in the
 * mountinfo of the daemon (its mount namespace) and of pid 1; or a process
 * whose main thread lives in it (a container's init). The existence of a
 * file is not trusted: Docker unmounts a sandbox at once but removes the
 * file only every 60 s.
 */
#ifndef DD_NETNS_H
#define DD_NETNS_H

#include <stdbool.h>
#include <stddef.h>

#include "host/path.h"

#define NETNS_TIDS_MAX 4

struct netns_group {
	unsigned long ino; /* namespace inode */
	size_t n_threads;
	size_t n_tids; /* tids[] entries used */
	int tids[NETNS_TIDS_MAX]; /* the first threads seen there */
	char thread_name[16]; /* comm of the first thread */
	unsigned long long start; /* start time (ticks) of that thread */
};

struct netns_sample {
	int pid;
	char comm[16];
	unsigned long home_ino; /* the main thread's namespace */
	size_t n_threads; /* threads walked */
	struct netns_group *groups; /* foreign namespaces, by inode */
	size_t n_groups;
};

enum netns_owner_kind {
	OWNER_MOUNT, /* an nsfs bind mount */
	OWNER_PROCESS, /* a process's main thread lives there */
};

struct netns_owner {
	unsigned long ino;
	enum netns_owner_kind kind;
	char *path; /* OWNER_MOUNT: the mount point */
	int pid; /* OWNER_PROCESS: the process */
};

struct netns_owners {
	struct netns_owner *v; /* sorted by inode */
	size_t n;
};

/* Parse "net:[4026531992]" into an inode. 0 or -EINVAL. */
int netns_parse_link(const char *link, unsigned long *ret_ino);

/*
 * Binary search of a namespace inode in an array sorted by inode: n elements
 * of size bytes at base, each with its inode as an unsigned long at byte
 * offset off (offsetof(), 0 for a plain array of inodes). Returns the index
 * of ino, or where it would be inserted; *found says which.
 */
size_t netns_ino_search(const void *base, size_t n, size_t size, size_t off,
			unsigned long ino, bool *found);

/* Take one sample of a process's threads. 0 or -errno (-ESRCH: gone). */
int netns_sample(const struct pathctx *pc, int pid, struct netns_sample *ret);

/*
 * The second look, after a delay: keep only the recorded threads that are
 * still in the same namespace (a group left with none is dropped: threads
 * passing through). Costs one readlink per recorded tid (at most NETNS_TIDS_MAX a group),
 * not a second walk of every thread; threads beyond those are counted as
 * they were in the first sample.
 * 0 or -errno (-ESRCH: the process is gone).
 */
int netns_sample_recheck(const struct pathctx *pc, struct netns_sample *s);

/*
 * Read the name and start time of a group's recorded threads (for the
 * groups that are reported: it costs a file read per thread).
 */
void netns_group_describe(const struct pathctx *pc, int pid,
			  struct netns_group *g);

/* Free a sample's groups. */
void netns_sample_release(struct netns_sample *s);

/*
 * Collect nsfs mounts from /proc/P/mountinfo of every pid in mount_pids,
 * and the namespace of every process's main thread. 0 or -errno.
 */
int netns_owners_collect(const struct pathctx *pc, const int *mount_pids,
			 size_t n, struct netns_owners *ret);

/* Add the nsfs mounts of network namespaces in a mountinfo buffer. */
int netns_owners_parse_mountinfo(struct netns_owners *o, const char *buf);

/* Sort the owners by inode (after adding to them by hand). */
void netns_owners_sort(struct netns_owners *o);

/* The owner of a namespace, preferring a mount; NULL when none. */
const struct netns_owner *netns_owner_find(const struct netns_owners *o,
					   unsigned long ino);

/* Free the owners. */
void netns_owners_release(struct netns_owners *o);

#endif
