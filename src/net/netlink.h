/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The netlink adapter (libnl-route): what a network namespace contains.
 *
 * Namespaces are inspected from a short-lived child process that setns()es
 * into each one in turn and exits, so no thread of this program is ever
 * left in a foreign namespace (a stranded thread is what we look for in
 * others). Results come back over a pipe as compact records.
 */
#ifndef DD_NETLINK_H
#define DD_NETLINK_H

#include <stdbool.h>
#include <stddef.h>

#define NETNS_TEXT_MAX 512

struct netns_info {
	int err; /* 0, or -errno: this namespace could not be read */
	int n_links; /* including lo */
	int n_links_up; /* IFF_UP */
	int n_addrs; /* addresses, lo's included */
	int n_routes; /* routes outside the local table */
	bool has_default; /* a default route (0/0 or ::/0) */
	char links[NETNS_TEXT_MAX]; /* "lo (DOWN), eth0 (UP)" */
	char addrs[NETNS_TEXT_MAX]; /* "127.0.0.1/8 lo, ..." or "none" */
	char routes[NETNS_TEXT_MAX]; /* "default via 10.0.0.1 dev eth0" or "none" */
};

/* A running inspection: the child and the results it writes. */
struct netlink_job {
	int pid; /* the child, 0 when none */
	int done_fd; /* reads EOF when the child has exited */
	struct netns_info *results; /* shared mapping, n entries */
	size_t n;
};

/*
 * Start inspecting in a child process, which writes into shared memory, so
 * that the caller can do other work (the second sample) meanwhile. The
 * descriptors may be closed once this returns. 0 or -errno.
 */
int netlink_inspect_start(const int *fds, size_t n, size_t n_full,
			  struct netlink_job *job);

/*
 * Wait (at most timeout_ms) for the child and copy its results into
 * ret[0..n); releases the job. 0, or -ETIMEDOUT/-EIO (every ret[i].err
 * is set then; a child that overran is killed).
 */
int netlink_inspect_finish(struct netlink_job *job, long timeout_ms,
			   struct netns_info *ret);

/*
 * Inspect the namespaces behind the open nsfs descriptors fds[0..n) into
 * ret[0..n): links, addresses and routes for the first n_full, only the
 * route counts (n_routes, has_default) for the rest. Returns 0 (per-namespace failures are in ret[i].err) or
 * -errno when the child could not be run or did not finish within
 * timeout_ms (every ret[i].err is set then).
 */
int netlink_inspect(const int *fds, size_t n, size_t n_full, long timeout_ms,
		    struct netns_info *ret);

/*
 * Inspect the caller's own namespace in the calling thread (the child uses
 * it; so can tests): everything when full, else routes only.
 */
int netlink_inspect_self(bool full, struct netns_info *ret);

#endif
