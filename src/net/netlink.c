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
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net/netlink.h"
#include "core/util.h"

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
	if (!w->links)
		return; /* routes only: the counts are all that is wanted */
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

/* Dump links, addresses and routes (or routes only) of this namespace. */
int netlink_inspect_self(bool full, struct netns_info *ret)
{
	struct netns_info info = { 0 };
	struct nl_cache *links = NULL, *addrs = NULL, *routes = NULL;
	struct nl_sock *sk = nl_socket_alloc();
	struct walk w = { .info = &info };
	int r = -ENOMEM;

	if (!sk)
		goto out;
	r = nl_connect(sk, NETLINK_ROUTE);
	if (r < 0 ||
	    (full && (rtnl_link_alloc_cache(sk, AF_UNSPEC, &links) < 0 ||
		      rtnl_addr_alloc_cache(sk, &addrs) < 0)) ||
	    rtnl_route_alloc_cache(sk, AF_UNSPEC, 0, &routes) < 0) {
		r = -EIO;
		goto out;
	}
	w.links = links;
	if (full) {
		nl_cache_foreach(links, on_link, &w);
		nl_cache_foreach(addrs, on_addr, &w);
	}
	nl_cache_foreach(routes, on_route, &w);
	if (!info.addrs[0])
		strcpy(info.addrs, "none");
	if (!info.routes[0])
		strcpy(info.routes,
		       full || !info.n_routes ? "none" : "not read");
	if (!info.links[0])
		strcpy(info.links, full ? "none" : "not read");
	if (!full)
		strcpy(info.addrs, "not read");
	*ret = info;
	r = 0;
out:
	nl_cache_free(routes);
	nl_cache_free(addrs);
	nl_cache_free(links);
	nl_socket_free(sk);
	return r;
}

/* The child: fill the shared results, one namespace after another. */
static void child_main(const int *fds, size_t n, size_t n_full,
		       struct netns_info *results)
{
	for (size_t i = 0; i < n; i++) {
		struct netns_info info = { 0 };

		if (setns(fds[i], CLONE_NEWNET) < 0)
			info.err = -errno;
		else
			info.err = netlink_inspect_self(i < n_full, &info);
		results[i] = info;
	}
	_exit(0);
}

/* Start the inspecting child. */
int netlink_inspect_start(const int *fds, size_t n, size_t n_full,
			  struct netlink_job *job)
{
	size_t size = (n ? n : 1) * sizeof(struct netns_info);
	struct netns_info *res;
	int pipefd[2];
	pid_t pid;

	*job = (struct netlink_job){ .done_fd = -1 };
	res = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		return -errno;
	/* a result the child never wrote reads as "not inspected" */
	for (size_t i = 0; i < n; i++)
		res[i].err = -ECHILD;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		int err = -errno;

		munmap(res, size);
		return err;
	}
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(pipefd[0]);
		close(pipefd[1]);
		munmap(res, size);
		return err;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_main(fds, n, n_full, res); /* pipefd[1] closes at exit */
	}
	close(pipefd[1]);
	*job = (struct netlink_job){
		.pid = pid, .done_fd = pipefd[0], .results = res, .n = n
	};
	return 0;
}

/* Wait for the child, bounded, and take its results. */
int netlink_inspect_finish(struct netlink_job *job, long timeout_ms,
			   struct netns_info *ret)
{
	struct pollfd pfd = { .fd = job->done_fd, .events = POLLIN };
	double deadline = now_monotonic() + timeout_ms / 1000.0;
	int r = 0, status;
	char c;

	for (;;) {
		int left = (int)((deadline - now_monotonic()) * 1000) + 1;
		int pr = poll(&pfd, 1, left > 0 ? left : 0);

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			r = -ETIMEDOUT;
			kill(job->pid, SIGKILL);
		} else if (pr < 0 || read(job->done_fd, &c, 1) != 0) {
			r = -EIO;
			kill(job->pid, SIGKILL);
		}
		break;
	}
	while (waitpid(job->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		r = -EIO;
	for (size_t i = 0; i < job->n; i++) {
		ret[i] = job->results[i];
		if (r < 0)
			ret[i].err = r;
	}
	close(job->done_fd);
	munmap(job->results, (job->n ? job->n : 1) * sizeof(*job->results));
	*job = (struct netlink_job){ .done_fd = -1 };
	return r;
}

/* Start and finish at once. */
int netlink_inspect(const int *fds, size_t n, size_t n_full, long timeout_ms,
		    struct netns_info *ret)
{
	struct netlink_job job;
	int r;

	if (n == 0)
		return 0;
	r = netlink_inspect_start(fds, n, n_full, &job);
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			ret[i].err = r;
		return r;
	}
	return netlink_inspect_finish(&job, timeout_ms, ret);
}
