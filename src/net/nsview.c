// SPDX-License-Identifier: GPL-2.0-or-later
/* The daemon's view of the network (see nsview.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/report.h"
#include "net/nsview.h"
#include "core/util.h"

/* Switches read besides each link's net.ipv4.conf.IF.forwarding. */
static const char *const fixed_sysctls[] = {
	"/proc/sys/net/ipv4/ip_forward",
	"/proc/sys/net/ipv4/conf/all/forwarding",
	"/proc/sys/net/ipv4/conf/default/forwarding",
	"/proc/sys/net/ipv6/conf/all/forwarding",
	"/proc/sys/net/bridge/bridge-nf-call-iptables",
};

/* ---- in the child, inside the daemon's namespace ------------------------ */

struct link_walk {
	struct nsview_facts *f;
	struct nl_cache *cache;
};

/* One link of the netlink dump into the facts. */
static void on_link(struct nl_object *obj, void *arg)
{
	struct rtnl_link *l = (struct rtnl_link *)obj;
	struct link_walk *w = arg;
	struct netcfg_link *k;
	const char *type = rtnl_link_get_type(l);
	const char *name = rtnl_link_get_name(l);

	if (w->f->n_links >= NSVIEW_MAX_LINKS || !name ||
	    strlen(name) >= NETCFG_IFNAMSIZ)
		return;
	k = &w->f->links[w->f->n_links++];
	*k = (struct netcfg_link){ .ifindex = rtnl_link_get_ifindex(l) };
	strscpy(k->name, name, sizeof(k->name));
	k->bridge = type && strcmp(type, "bridge") == 0;
	if (rtnl_link_get_master(l) > 0)
		rtnl_link_i2name(w->cache, rtnl_link_get_master(l), k->master,
				 sizeof(k->master));
}

/* List this namespace's links with netlink. 0 or -errno. */
static int gather_links(struct nsview_facts *f)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct link_walk w = { .f = f };
	int r = -ENOMEM;

	if (!sk)
		return r;
	r = nl_connect(sk, NETLINK_ROUTE) < 0 ||
			    rtnl_link_alloc_cache(sk, AF_UNSPEC, &w.cache) < 0
		    ? -EIO
		    : 0;
	if (r == 0)
		nl_cache_foreach(w.cache, on_link, &w);
	nl_cache_free(w.cache);
	nl_socket_free(sk);
	return r;
}

/* Read one switch of this namespace into the facts' table. */
static void gather_sysctl(const struct pathctx *root, struct nsview_facts *f,
			  const char *path)
{
	struct nsview_sysctl *s;

	if (f->n_sysctls >= NSVIEW_MAX_SYSCTLS)
		return;
	s = &f->sysctls[f->n_sysctls++];
	strscpy(s->path, path, sizeof(s->path));
	s->err = netcfg_read_int(root, path, &s->value);
}

/* Everything the checks need, read from inside the namespace. */
static void gather_inside(const struct pathctx *root, struct nsview_facts *f)
{
	char path[64], **up = NULL;
	int n;

	f->links_err = gather_links(f);
	for (size_t i = 0; i < ARRAY_SIZE(fixed_sysctls); i++)
		gather_sysctl(root, f, fixed_sysctls[i]);
	for (size_t i = 0; i < f->n_links; i++) {
		snprintf(path, sizeof(path),
			 "/proc/sys/net/ipv4/conf/%s/forwarding",
			 f->links[i].name);
		gather_sysctl(root, f, path);
	}
	/* /proc/net is /proc/self/net: this process's namespace now */
	n = netcfg_default_route_ifaces(root, &up);
	f->uplinks_err = n < 0 ? n : 0;
	for (int i = 0; i < n && f->n_uplinks < NSVIEW_MAX_UPLINKS; i++)
		strscpy(f->uplinks[f->n_uplinks++], up[i], NETCFG_IFNAMSIZ);
	strv_free(up);
}

/*
 * The child: enter the daemon's network namespace and read. Entering
 * takes CAP_SYS_ADMIN over the namespace's owner; a rootless daemon's is
 * owned by a user namespace the caller's user owns, so entering that one
 * first gives it.
 */
static void child_main(const struct pathctx *root, int netfd, int userfd,
		       struct nsview_facts *f)
{
	if (setns(netfd, CLONE_NEWNET) < 0) {
		int err = -errno;

		if (err != -EPERM || userfd < 0 ||
		    setns(userfd, CLONE_NEWUSER) < 0 ||
		    setns(netfd, CLONE_NEWNET) < 0) {
			f->err = err;
			_exit(0);
		}
	}
	gather_inside(root, f);
	f->err = 0;
	_exit(0);
}

/* Wait for the child at most timeout_ms; kill it on overrun. 0 or -errno. */
static int wait_child(pid_t pid, int done_fd, long timeout_ms)
{
	struct pollfd pfd = { .fd = done_fd, .events = POLLIN };
	double deadline = now_monotonic() + timeout_ms / 1000.0;
	int r = 0, status = 0, pr;
	char c;

	for (;;) {
		int left = (int)((deadline - now_monotonic()) * 1000) + 1;

		pr = poll(&pfd, 1, left > 0 ? left : 0);
		if (pr < 0 && errno == EINTR)
			continue;
		break;
	}
	if (pr == 0)
		r = -ETIMEDOUT;
	else if (pr < 0 || read(done_fd, &c, 1) != 0)
		r = -EIO;
	if (r < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		r = -EIO;
	return r;
}

/* Fork the reading child and take its facts into v->facts. 0 or -errno. */
static int read_in_child(struct nsview *v, int netfd, int userfd,
			 long timeout_ms)
{
	struct nsview_facts *shared;
	int pipefd[2], r;
	pid_t pid;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return -errno;
	shared->err = -ECHILD; /* not written: the child died early */
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		goto out;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_main(v->root, netfd, userfd, shared);
	}
	close(pipefd[1]);
	r = wait_child(pid, pipefd[0], timeout_ms);
	close(pipefd[0]);
	if (r == 0)
		r = shared->err;
	if (r == 0) {
		v->facts = malloc(sizeof(*v->facts));
		if (!v->facts)
			r = -ENOMEM;
		else
			*v->facts = *shared;
	}
out:
	munmap(shared, sizeof(*shared));
	return r;
}

/* ---- in the tool ----------------------------------------------------------- */

/* Record why the daemon's namespace cannot be read; returns 0. */
static int view_fail(struct nsview *v, int err, const char *what)
{
	v->err = err;
	snprintf(v->what, sizeof(v->what), "%s", what);
	return 0;
}

/* The links of the namespace sysfs shows (the tool's own or a sysroot's). */
static int read_own(struct nsview *v)
{
	v->links_err = netcfg_sys_links(v->root, &v->links, &v->n_links);
	return v->links_err == -ENOMEM ? -ENOMEM : 0;
}

/* Read the daemon's files through /proc/PID/root if its mounts differ. */
static int open_files(struct nsview *v)
{
	char *self = NULL, *theirs = NULL, what[64];
	int r = path_readlinkf(v->root, &self, "/proc/self/ns/mnt");

	if (r == 0)
		r = path_readlinkf(v->root, &theirs, "/proc/%d/ns/mnt", v->pid);
	if (r == 0 && strcmp(self, theirs) != 0) {
		snprintf(what, sizeof(what), "/proc/%d/root", v->pid);
		r = pathctx_init(&v->files_root, what);
		if (r == 0) {
			v->foreign_mnt = true;
			v->files = &v->files_root;
		}
	} else if (r < 0) {
		snprintf(what, sizeof(what), "/proc/%d/ns/mnt", v->pid);
	}
	free(self);
	free(theirs);
	if (r == -ENOMEM)
		return r;
	return r < 0 ? view_fail(v, r, what) : 0;
}

/* Open the daemon's user namespace when it is not the tool's, else -1. */
static int open_userns(struct nsview *v)
{
	char *self = NULL, *theirs = NULL, path[64];
	int fd = -1;

	if (path_readlinkf(v->root, &self, "/proc/self/ns/user") == 0 &&
	    path_readlinkf(v->root, &theirs, "/proc/%d/ns/user", v->pid) == 0 &&
	    strcmp(self, theirs) != 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", v->pid);
		fd = path_open(v->root, path, O_RDONLY | O_CLOEXEC);
	}
	free(self);
	free(theirs);
	return fd < 0 ? -1 : fd;
}

/* The daemon's network namespace: the tool's own, or read from a child. */
static int open_daemon(struct nsview *v, long timeout_ms)
{
	char *self = NULL, *theirs = NULL, path[64];
	int r, netfd = -1, userfd = -1;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", v->pid);
	r = path_readlinkf(v->root, &self, "/proc/self/ns/net");
	if (r < 0) {
		r = r == -ENOMEM ? r : view_fail(v, r, "/proc/self/ns/net");
		goto out;
	}
	r = path_readlinkf(v->root, &theirs, "%s", path);
	if (r < 0) {
		r = r == -ENOMEM ? r : view_fail(v, r, path);
		goto out;
	}
	strscpy(v->own_netns, self, sizeof(v->own_netns));
	strscpy(v->netns, theirs, sizeof(v->netns));
	r = open_files(v);
	if (r < 0 || v->err)
		goto out;
	if (strcmp(self, theirs) == 0) {
		v->kind = NSVIEW_OWN;
		r = read_own(v);
		goto out;
	}
	v->kind = NSVIEW_DAEMON;
	netfd = path_open(v->root, path, O_RDONLY | O_CLOEXEC);
	if (netfd < 0) {
		r = view_fail(v, netfd, path);
		goto out;
	}
	userfd = open_userns(v);
	r = read_in_child(v, netfd, userfd, timeout_ms);
	if (r == -ENOMEM)
		goto out;
	if (r < 0) {
		r = view_fail(v, r,
			      r == -ETIMEDOUT ? "reading it (timed out)"
					      : "entering it (setns)");
		goto out;
	}
	v->links = v->facts->links;
	v->n_links = v->facts->n_links;
	v->links_err = v->facts->links_err;
out:
	if (netfd >= 0)
		close(netfd);
	if (userfd >= 0)
		close(userfd);
	free(self);
	free(theirs);
	return r;
}

int nsview_new(const struct pathctx *root, int pid, long timeout_ms,
	       struct nsview **ret)
{
	struct nsview *v = calloc(1, sizeof(*v));
	int r;

	if (!v)
		return -ENOMEM;
	v->root = root;
	v->files = root;
	v->pid = pid > 0 ? pid : 0;
	v->files_root.fd = -1;
	if (pathctx_is_sysroot(root)) {
		v->kind = NSVIEW_SYSROOT;
		r = read_own(v);
	} else if (!v->pid) {
		v->kind = NSVIEW_OWN;
		r = read_own(v);
	} else {
		r = open_daemon(v, timeout_ms);
	}
	if (r < 0) {
		nsview_free(v);
		return r;
	}
	*ret = v;
	return 0;
}

void nsview_free(struct nsview *v)
{
	if (!v)
		return;
	if (v->facts)
		free(v->facts); /* v->links points into it */
	else
		free(v->links);
	if (v->foreign_mnt)
		pathctx_release(&v->files_root);
	free(v);
}

/* Why the daemon's namespace could not be read. */
void nsview_strerror(const struct nsview *v, char *buf, size_t size)
{
	bool priv = v->err == -EPERM || v->err == -EACCES;

	snprintf(
		buf, size,
		"cannot read dockerd's network namespace %s%s(pid %d): %s: %s%s",
		v->netns, v->netns[0] ? " " : "", v->pid, v->what,
		strerror(-v->err),
		priv ? "; reading another process's namespaces takes root (CAP_SYS_ADMIN and CAP_SYS_PTRACE): run as root, or inside the daemon's namespaces (nsenter -t PID -n -m)"
		     : "");
}

/* Words for evidence: whose namespace the values are from. */
void nsview_describe(const struct nsview *v, char *buf, size_t size)
{
	if (v->kind == NSVIEW_SYSROOT)
		snprintf(buf, size, "sysroot %s (no namespace entered)",
			 v->root->root);
	else if (v->err)
		snprintf(buf, size, "none: dockerd's namespace %s unreadable",
			 v->netns[0] ? v->netns : "");
	else if (v->kind == NSVIEW_DAEMON)
		snprintf(buf, size,
			 "daemon netns %s of pid %d (not the tool's %s)%s",
			 v->netns, v->pid, v->own_netns,
			 v->foreign_mnt ? ", files through /proc/PID/root"
					: "");
	else if (v->pid)
		snprintf(buf, size, "same as the tool's (%s)%s", v->netns,
			 v->foreign_mnt ? ", files through /proc/PID/root"
					: "");
	else
		snprintf(buf, size, "the tool's own (no dockerd)");
}

int nsview_read_int(const struct nsview *v, const char *path, int *ret)
{
	if (v->kind != NSVIEW_DAEMON)
		return netcfg_read_int(v->root, path, ret);
	for (size_t i = 0; i < v->facts->n_sysctls; i++) {
		const struct nsview_sysctl *s = &v->facts->sysctls[i];

		if (strcmp(s->path, path) != 0)
			continue;
		if (s->err == 0)
			*ret = s->value;
		return s->err;
	}
	return -ENOENT; /* not read: no such link in the namespace */
}

const struct netcfg_link *nsview_link(const struct nsview *v, const char *name)
{
	for (size_t i = 0; i < v->n_links; i++)
		if (strcmp(v->links[i].name, name) == 0)
			return &v->links[i];
	return NULL;
}

int nsview_default_route_ifaces(const struct nsview *v, char ***ret)
{
	if (v->kind != NSVIEW_DAEMON)
		return netcfg_default_route_ifaces(v->root, ret);
	if (v->facts->uplinks_err < 0)
		return v->facts->uplinks_err;
	for (size_t i = 0; i < v->facts->n_uplinks; i++)
		if (strv_push(ret, v->facts->uplinks[i]) < 0)
			return -ENOMEM;
	return (int)v->facts->n_uplinks;
}

int nsview_same_netns(const struct nsview *v, int pid)
{
	char *theirs = NULL;
	int r;

	if (v->kind != NSVIEW_DAEMON)
		return netcfg_same_netns(v->root, pid);
	r = path_readlinkf(v->root, &theirs, "/proc/%d/ns/net", pid);
	if (r == 0)
		r = strcmp(theirs, v->netns) == 0;
	free(theirs);
	return r;
}

int nsview_docker_ifaces(const struct nsview *v, const char *bridge_opt,
			 char *const *extra, bool own_only,
			 struct netcfg_iflist *ret)
{
	return netcfg_docker_ifaces_from(v->links, v->n_links, v->links_err,
					 bridge_opt, extra, own_only, ret);
}

void nsview_sysctl_cmd(const struct nsview *v, char *buf, size_t size)
{
	if (v->kind == NSVIEW_DAEMON)
		snprintf(buf, size, "nsenter -t %d -n sysctl -w", v->pid);
	else
		snprintf(buf, size, "sysctl -w");
}

void nsview_add_evidence(const struct nsview *v, struct report *r, size_t first,
			 const char *id)
{
	char buf[192];

	nsview_describe(v, buf, sizeof(buf));
	for (size_t i = first; i < r->n_findings; i++)
		if (strcmp(r->findings[i].check, id) == 0)
			finding_add_evidence(&r->findings[i], "view", "%s",
					     buf);
}
