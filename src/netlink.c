// SPDX-License-Identifier: GPL-2.0-or-later
/* The netlink adapter (see netlink.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "netlink.h"
#include "util.h"

#define RT_TABLE_LOCAL_ID 255

/* Append to a bounded comma-separated text field. */
static void text_add(char *buf, const char *item)
{
	size_t len = strlen(buf), n = strlen(item);

	if (len + n + 3 >= NETNS_TEXT_MAX) {
		if (len + 4 < NETNS_TEXT_MAX && !strstr(buf, "..."))
			strcat(buf, len ? ", ..." : "...");
		return;
	}
	if (len)
		strcat(buf, ", ");
	strcat(buf, item);
}

struct walk {
	struct netns_info *info;
	struct nl_cache *links;
};

static void on_link(struct nl_object *obj, void *arg)
{
	struct rtnl_link *l = (struct rtnl_link *)obj;
	struct walk *w = arg;
	char item[64];
	bool up = rtnl_link_get_flags(l) & IFF_UP;

	w->info->n_links++;
	w->info->n_links_up += up;
	snprintf(item, sizeof(item), "%s (%s)", rtnl_link_get_name(l),
		 up ? "UP" : "DOWN");
	text_add(w->info->links, item);
}

static void on_addr(struct nl_object *obj, void *arg)
{
	struct rtnl_addr *a = (struct rtnl_addr *)obj;
	struct walk *w = arg;
	char addr[64], name[IFNAMSIZ] = "?", item[96];

	w->info->n_addrs++;
	rtnl_link_i2name(w->links, rtnl_addr_get_ifindex(a), name,
			 sizeof(name));
	nl_addr2str(rtnl_addr_get_local(a), addr, sizeof(addr));
	snprintf(item, sizeof(item), "%s %s", addr, name);
	text_add(w->info->addrs, item);
}

static void on_route(struct nl_object *obj, void *arg)
{
	struct rtnl_route *r = (struct rtnl_route *)obj;
	struct nl_addr *dst = rtnl_route_get_dst(r);
	struct rtnl_nexthop *nh = rtnl_route_nexthop_n(r, 0);
	struct walk *w = arg;
	char d[64] = "default", gw[64] = "", dev[32] = "", item[192];
	bool is_default = !dst || nl_addr_get_prefixlen(dst) == 0;

	if (rtnl_route_get_table(r) == RT_TABLE_LOCAL_ID)
		return; /* addresses' own routes: not a way out */
	w->info->n_routes++;
	w->info->has_default |= is_default;
	if (!is_default)
		nl_addr2str(dst, d, sizeof(d));
	if (nh && rtnl_route_nh_get_gateway(nh)) {
		strcpy(gw, " via ");
		nl_addr2str(rtnl_route_nh_get_gateway(nh), gw + 5,
			    sizeof(gw) - 5);
	}
	if (nh && rtnl_route_nh_get_ifindex(nh) > 0) {
		char name[IFNAMSIZ] = "?";

		rtnl_link_i2name(w->links, rtnl_route_nh_get_ifindex(nh), name,
				 sizeof(name));
		snprintf(dev, sizeof(dev), " dev %s", name);
	}
	snprintf(item, sizeof(item), "%s%s%s", d, gw, dev);
	text_add(w->info->routes, item);
}

/* Dump links, addresses and routes of the current namespace. */
int netlink_inspect_self(struct netns_info *ret)
{
	struct netns_info info = { 0 };
	struct nl_cache *links = NULL, *addrs = NULL, *routes = NULL;
	struct nl_sock *sk = nl_socket_alloc();
	struct walk w = { .info = &info };
	int r = -ENOMEM;

	if (!sk)
		goto out;
	r = nl_connect(sk, NETLINK_ROUTE);
	if (r < 0 || (r = rtnl_link_alloc_cache(sk, AF_UNSPEC, &links)) < 0 ||
	    (r = rtnl_addr_alloc_cache(sk, &addrs)) < 0 ||
	    (r = rtnl_route_alloc_cache(sk, AF_UNSPEC, 0, &routes)) < 0) {
		r = -EIO;
		goto out;
	}
	w.links = links;
	nl_cache_foreach(links, on_link, &w);
	nl_cache_foreach(addrs, on_addr, &w);
	nl_cache_foreach(routes, on_route, &w);
	if (!info.addrs[0])
		strcpy(info.addrs, "none");
	if (!info.routes[0])
		strcpy(info.routes, "none");
	if (!info.links[0])
		strcpy(info.links, "none");
	*ret = info;
	r = 0;
out:
	nl_cache_free(routes);
	nl_cache_free(addrs);
	nl_cache_free(links);
	nl_socket_free(sk);
	return r;
}

/* Write all of buf, retrying short writes. */
static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

/* The child: one fixed-size record per namespace, in order. */
static void child_main(const int *fds, size_t n, int out)
{
	for (size_t i = 0; i < n; i++) {
		struct netns_info info = { 0 };

		if (setns(fds[i], CLONE_NEWNET) < 0)
			info.err = -errno;
		else
			info.err = netlink_inspect_self(&info);
		if (write_all(out, &info, sizeof(info)) < 0)
			_exit(1);
	}
	_exit(0);
}

/* Milliseconds left until deadline (CLOCK_MONOTONIC seconds). */
static int ms_left(double deadline)
{
	double left = deadline - now_monotonic();

	return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

/* Read n records from the child within the deadline. */
static int read_records(int in, size_t n, double deadline,
			struct netns_info *ret)
{
	size_t want = n * sizeof(*ret), got = 0;
	char *p = (char *)ret;

	while (got < want) {
		struct pollfd pfd = { .fd = in, .events = POLLIN };
		int pr = poll(&pfd, 1, ms_left(deadline));
		ssize_t k;

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			return -ETIMEDOUT;
		k = read(in, p + got, want - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -EIO;
		got += k;
	}
	return 0;
}

/* Fork the inspecting child and collect its records. */
int netlink_inspect(const int *fds, size_t n, long timeout_ms,
		    struct netns_info *ret)
{
	double deadline = now_monotonic() + timeout_ms / 1000.0;
	int pipefd[2], status, r;
	pid_t pid;

	if (n == 0)
		return 0;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		goto fail;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_main(fds, n, pipefd[1]);
	}
	close(pipefd[1]);
	r = read_records(pipefd[0], n, deadline, ret);
	close(pipefd[0]);
	if (r < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r == 0)
		return 0;
fail:
	for (size_t i = 0; i < n; i++)
		ret[i].err = r;
	return r;
}
