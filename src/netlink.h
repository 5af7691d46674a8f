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

/*
 * Inspect the namespaces behind the open nsfs descriptors fds[0..n) into
 * ret[0..n). Returns 0 (per-namespace failures are in ret[i].err) or
 * -errno when the child could not be run or did not finish within
 * timeout_ms (every ret[i].err is set then).
 */
int netlink_inspect(const int *fds, size_t n, long timeout_ms,
		    struct netns_info *ret);

/* Inspect the caller's own namespace, in the calling thread (tests). */
int netlink_inspect_self(struct netns_info *ret);

#endif
