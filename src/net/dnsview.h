/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The DNS servers containers get on this host, as the facts dns.resolver
 * judges: the host's resolv.conf (and systemd-resolved's, when its stub is
 * the only nameserver), the daemon's 'dns' and 'ipv6', the Docker version,
 * what libnetwork makes of them (resolvconf.h's model), the local
 * resolvers that run, and NetworkManager's dns= mode. With --probe-dns,
 * the answers of those servers and of one live container's 127.0.0.11.
 *
 * Gathering never judges: nothing here adds a finding.
 */
#ifndef DD_DNSVIEW_H
#define DD_DNSVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "net/dnsprobe.h"
#include "net/resolvconf.h"

struct ctx;

#define DNSVIEW_MAX_TARGETS 8 /* servers probed at most */

struct dnsview {
	struct rc_file etc, sd;
	int etc_err, sd_err;
	bool etc_read, sd_read; /* parsed */
	char etc_target[1024], sd_target[1024];
	struct rc_model m;
	char **dns; /* the daemon's 'dns' */
	char **dns_search,
		**dns_opts; /* its 'dns-search', 'dns-opts' (owned) */
	bool dns_from_flag;
	const char *config_file; /* daemon.json used, NULL when none */
	bool ipv6;
	unsigned version;
	const char *version_src;
	bool procs_known;
	size_t n_dnsmasq;
	bool resolved_running;
	char nm_dns[64], nm_where[600];
	/*
	 * rc_udp53_listening() of each m.dropped_loopback[i], in the network
	 * namespace that is "the host's": dockerd's, else ours.
	 */
	int dropped_listening[RC_MAX_NS];
	/*
	 * dockerd chose the default bridge's file when it started: its start
	 * (seconds since the epoch, 0 when no daemon runs) and when
	 * /etc/resolv.conf (the link or its target) last changed. When that
	 * is later, m assumes the choice today's file gives, and alt (when
	 * have_alt) is what containers get if dockerd chose the other file:
	 * only when its prediction differs.
	 */
	long long daemon_start, etc_changed_at;
	bool etc_changed;
	bool have_alt;
	struct rc_model alt;
};

/*
 * Gather the view. Never fails: what cannot be read is recorded (etc_err,
 * sd_err, procs_known...). dns, config_file and version_src point into the
 * context and live as long as it does.
 */
void dnsview_gather(struct ctx *ctx, struct dnsview *ret);

/* Free what the view owns (dns_search, dns_opts); safe on a zeroed one. */
void dnsview_release(struct dnsview *fx);

/* For dnsview_gather() (dnsview-daemon.c). */

/* The daemon's 'dns-search' and 'dns-opts'. 0 or -ENOMEM. */
int dnsview_read_lists(struct ctx *ctx, struct dnsview *fx);

/* daemon_start, etc_changed_at and etc_changed (after etc is read). */
void dnsview_start_choice(struct ctx *ctx, struct dnsview *fx);

/* A server containers use, probed from this host. */
struct dnsview_target {
	struct dnsprobe p;
	bool bridge, user; /* which container types use the server */
	bool host_ns; /* the embedded DNS queries it from the host */
	bool fallback;
};

/* A running container on a user-defined network, through the API. */
struct dnsview_victim {
	char name[256];
	char network[256];
	int pid;
	char sandbox[512];
	char why[800]; /* when none was found */
};

/* What --probe-dns found. */
struct dnsview_probes {
	long budget; /* ms the queries had */
	struct dnsview_target t[DNSVIEW_MAX_TARGETS]; /* each server once */
	size_t n;
	struct dnsview_victim v;
	bool have_victim; /* else v.why says why 127.0.0.11 was not probed */
	struct dnsprobe name, fwd; /* 127.0.0.11: v's own name, the root */
};

/*
 * Query every server containers use (view->m), all at once within
 * min(--timeout, 2 s), and 127.0.0.11 inside a running container on a
 * user-defined network (as root). 0, or -errno when the probe could not
 * run (*ret is then not to be used).
 */
int dnsview_probe(struct ctx *ctx, const struct dnsview *view,
		  struct dnsview_probes *ret);

/* Words for the view, for dns.resolver's findings. */

/* Who sets the daemon's 'dns': "--dns on the daemon's command line", ... */
const char *dnsview_dns_source(const struct dnsview *fx);

/*
 * "127.0.0.1 (dnsmasq), ::1 (a local resolver)": the n loopback servers a
 * with the program behind each; listening[i] is rc_udp53_listening() of
 * a[i].
 */
void dnsview_fmt_loopback(const struct dnsview *fx, const struct rc_addr *a,
			  const int *listening, size_t n, char *buf,
			  size_t size);

/* Where dns=dnsmasq is set (NetworkManager.conf when unknown). */
const char *dnsview_nm_file(const struct dnsview *fx);

/*
 * The state of a resolv.conf as read (err, the symlink target, the parsed
 * file f when read): "/etc/resolv.conf is a dangling symlink to ...",
 * "... lists no nameserver", or just the path.
 */
void dnsview_fmt_file_state(const char *path, int err, const char *target,
			    bool read, const struct rc_file *f, char *buf,
			    size_t size);

/*
 * Does a local resolver answer on one of the dropped loopback servers in
 * the host's namespace? 1 yes, 0 nothing listens on any, -1 unknown.
 */
int dnsview_loopback_listening(const struct dnsview *fx);

/* Which containers use a probed server: "default-bridge containers use it" */
const char *dnsview_used_by(const struct dnsview_target *t);

/*
 * Which file the default bridge copies and why: "/etc/resolv.conf
 * (chosen when dockerd started, unchanged since)", "... changed at ...".
 */
void dnsview_fmt_choice(const struct dnsview *fx, char *buf, size_t size);

/*
 * The evidence every dns.resolver finding carries: the host files, the
 * daemon's settings, and what each kind of container gets (the
 * bridge_* and user_* keys: nameservers, search, options).
 */
struct finding;
void dnsview_add_evidence(struct finding *f, const struct dnsview *fx);

#endif
