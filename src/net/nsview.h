/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's view of the network: the links, forwarding switches and
 * default-route interfaces of dockerd's network namespace, and the root its
 * configuration files (sysctl.d, networkd, NetworkManager, netplan) are
 * read under.
 *
 * /proc/sys/net and /proc/net show the namespace of the process reading
 * them, /sys/class/net the namespace sysfs was mounted in: neither is the
 * daemon's when dockerd runs in a namespace of its own (docker-in-docker,
 * a daemon in a netns, this tool in a container, rootless). So when
 * /proc/PID/ns/net is not /proc/self/ns/net, a short-lived child setns()es
 * into the daemon's namespace (first into its user namespace when that is
 * what entering takes, rootless), reads the switches, lists the links with
 * netlink, writes the facts into shared memory and exits; the parent waits
 * at most a timeout and kills an overrun. No thread of this program ever
 * leaves its namespace. Files are read through /proc/PID/root when the
 * daemon's mount namespace is not the tool's.
 *
 * Without a daemon, under --sysroot, or when the namespaces are the tool's
 * own, everything is read under the context's root as before (no child).
 */
#ifndef DD_NSVIEW_H
#define DD_NSVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "host/path.h"
#include "net/netcfg.h"

#define NSVIEW_MAX_LINKS 256
#define NSVIEW_MAX_SYSCTLS (NSVIEW_MAX_LINKS + 8)
#define NSVIEW_MAX_UPLINKS 8
#define NSVIEW_NS_MAX 48

/* A switch under /proc/sys as the daemon's namespace has it. */
struct nsview_sysctl {
	char path[64]; /* "/proc/sys/net/ipv4/conf/docker0/forwarding" */
	int value;
	int err; /* 0, or -errno reading it (-ENOENT: not there) */
};

/* What the child read in the daemon's namespace (fixed size: shared). */
struct nsview_facts {
	int err; /* 0, or -errno: the namespace could not be entered */
	int links_err;
	size_t n_links;
	struct netcfg_link links[NSVIEW_MAX_LINKS];
	size_t n_sysctls;
	struct nsview_sysctl sysctls[NSVIEW_MAX_SYSCTLS];
	int uplinks_err;
	size_t n_uplinks;
	char uplinks[NSVIEW_MAX_UPLINKS][NETCFG_IFNAMSIZ];
};

enum nsview_kind {
	NSVIEW_SYSROOT, /* --sysroot: the tree's files */
	NSVIEW_OWN, /* no daemon, or the daemon shares the tool's namespace */
	NSVIEW_DAEMON, /* the daemon's namespace, read from a child */
};

struct nsview {
	enum nsview_kind kind;
	int pid; /* the daemon examined, 0 none */
	char netns[NSVIEW_NS_MAX]; /* the daemon's "net:[INO]", "" unknown */
	char own_netns[NSVIEW_NS_MAX]; /* the tool's */
	bool foreign_mnt; /* files are read through /proc/PID/root */
	/*
	 * 0, or -errno: the daemon's namespace could not be read (its link
	 * unreadable, entering refused); what[] says which step failed.
	 */
	int err;
	char what[128];
	const struct pathctx *root; /* the context's root */
	const struct pathctx *files; /* root, or files_root */
	struct pathctx files_root;
	struct netcfg_link *links; /* the namespace's links */
	size_t n_links;
	int links_err;
	struct nsview_facts *facts; /* NSVIEW_DAEMON only */
};

/*
 * The view of the daemon pid (0: none) under root. Returns 0 or -ENOMEM;
 * a namespace that cannot be read is not an error here: (*ret)->err says
 * so, and the checks report it as unknown. timeout_ms bounds the child.
 */
int nsview_new(const struct pathctx *root, int pid, long timeout_ms,
	       struct nsview **ret);

void nsview_free(struct nsview *v);

/*
 * Why the daemon's namespace could not be read (v->err), for an unknown
 * finding: which namespace, which step, and the privilege it takes.
 */
void nsview_strerror(const struct nsview *v, char *buf, size_t size);

/* For evidence: "daemon netns net:[INO] (not the tool's)", ... */
void nsview_describe(const struct nsview *v, char *buf, size_t size);

struct report;

/*
 * Say on each finding of check id added since index first whose namespace
 * its values are from (evidence "view", nsview_describe()'s words).
 */
void nsview_add_evidence(const struct nsview *v, struct report *r, size_t first,
			 const char *id);

/*
 * Read a switch under /proc/sys (an absolute path) as the daemon's
 * namespace has it. 0, -ENOENT, -EINVAL (not a number) or -errno.
 */
int nsview_read_int(const struct nsview *v, const char *path, int *ret);

/* The link of that name in the namespace, NULL when there is none. */
const struct netcfg_link *nsview_link(const struct nsview *v, const char *name);

/*
 * Interfaces that carry a default route in the namespace (IPv4): the count
 * (names pushed to *ret) or -errno.
 */
int nsview_default_route_ifaces(const struct nsview *v, char ***ret);

/*
 * Is process pid in the daemon's network namespace? 1 yes, 0 no, -errno
 * when that cannot be told.
 */
int nsview_same_netns(const struct nsview *v, int pid);

/*
 * Docker's interfaces in the namespace (see netcfg_docker_ifaces_from()).
 * extra is the daemon's bridges from its API; own_only when that list is
 * complete (the API answered), else every br-<12 hex> bridge of the
 * namespace counts as the daemon's.
 */
int nsview_docker_ifaces(const struct nsview *v, const char *bridge_opt,
			 char *const *extra, bool own_only,
			 struct netcfg_iflist *ret);

/*
 * The first words of a command that changes a switch in the daemon's
 * namespace: "sysctl -w" or "nsenter -t PID -n sysctl -w".
 */
void nsview_sysctl_cmd(const struct nsview *v, char *buf, size_t size);

#endif
