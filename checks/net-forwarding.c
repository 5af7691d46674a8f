// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * net.forwarding: does the kernel forward what containers send? Reads the
 * live switches under /proc/sys (IPv4 ip_forward, the per-interface
 * forwarding of Docker's bridges and of the uplink, IPv6 when the daemon
 * has it on, bridge-nf-call-iptables) and judges them against the
 * daemon's effective configuration (ip-forward, iptables, icc, ipv6),
 * naming the systemd-networkd file or sysctl.d line responsible.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/context.h"
#include "net/netcfg.h"
#include "net/nsview.h"
#include "core/util.h"

#define ID "net.forwarding"
#define MAX_IF_FINDINGS 8

struct fwd {
	struct ctx *ctx;
	struct report *r;
	const struct dconfig_effective *eff;
	const struct dockerd_proc *d;
	json_object *info; /* the daemon's /info, may be NULL */
	struct nsview *view; /* the daemon's namespace */
	char sysctl_cmd[64]; /* "sysctl -w" in the daemon's namespace */
	struct netcfg_iflist ifs;
	struct netcfg_networkd nd;
	bool nd_loaded;
	struct netcfg_sysctld sd;
	bool sd_loaded;
	const struct procstat *networkd; /* running systemd-networkd */
	int ip_forward;
	int problems; /* warning or critical forwarding findings */
	size_t if_findings;
	char **unreadable;
};

/* A boolean member of /info as "true"/"false", NULL when absent. */
static const char *info_bool(const struct fwd *fw, const char *key)
{
	json_object *v;

	if (!fw->info || !json_object_object_get_ex(fw->info, key, &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return NULL;
	return json_object_get_boolean(v) ? "true" : "false";
}

/* Read a switch; record a path that exists but cannot be read. */
static int read_switch(struct fwd *fw, const char *path, int *ret)
{
	int r = nsview_read_int(fw->view, path, ret);

	if (r < 0 && r != -ENOENT) {
		char *line = NULL;

		if (asprintf(&line, "%s: %s", path,
			     r == -EINVAL ? "not a number" : strerror(-r)) >=
		    0) {
			strv_push(&fw->unreadable, line);
			free(line);
		}
	}
	return r;
}

static const struct netcfg_sysctld *sysctld(struct fwd *fw)
{
	if (!fw->sd_loaded)
		fw->sd_loaded = netcfg_sysctld_load(fw->view->files, &fw->sd) ==
				0;
	return fw->sd_loaded ? &fw->sd : NULL;
}

/* A boot-time sysctl file that sets key to 0: "FILE:LINE". */
static const char *sysctl_zero(struct fwd *fw, const char *key)
{
	const struct netcfg_sysctld *s = sysctld(fw);
	const struct netcfg_sysctl_entry *e = s ? netcfg_sysctld_lookup(s, key)
						: NULL;

	return e && strcmp(e->value, "0") == 0 ? e->src : NULL;
}

static const struct netcfg_networkd *networkd(struct fwd *fw)
{
	if (!fw->nd_loaded)
		fw->nd_loaded =
			netcfg_networkd_load(fw->view->files, &fw->nd) == 0;
	return fw->nd_loaded ? &fw->nd : NULL;
}

/* Which .network file systemd-networkd applies to an interface. */
struct nd_owner {
	const char *path; /* NULL: none */
	const char *how; /* "live state" or "first matching file" */
	const struct netcfg_nd_file *file;
	char *live_path;
};

static void find_nd_owner(struct fwd *fw, const char *ifname,
			  enum netcfg_kind kind, int ifindex,
			  struct nd_owner *o)
{
	const struct netcfg_networkd *nd = networkd(fw);
	struct netcfg_nd_link link = { 0 };
	enum netcfg_match m;

	*o = (struct nd_owner){ 0 };
	/* a networkd that does not run is not switching anything off now */
	if (!fw->networkd)
		return;
	if (ifindex > 0 &&
	    nsview_same_netns(fw->view, fw->networkd->pid) != 0 &&
	    netcfg_networkd_link(fw->view->files, ifindex, &link) == 0) {
		if (link.network_file &&
		    strcmp(link.admin_state, "unmanaged") != 0) {
			o->live_path = link.network_file;
			link.network_file = NULL;
			o->path = o->live_path;
			o->how = "systemd-networkd's live state";
			o->file = nd ? netcfg_networkd_find(nd, o->path) : NULL;
		}
		netcfg_nd_link_release(&link);
		return;
	}
	if (!nd)
		return;
	o->file = netcfg_networkd_first(nd, ifname, kind, &m, NULL);
	if (o->file && (o->file->unmanaged == 1))
		o->file = NULL;
	if (o->file) {
		o->path = o->file->path;
		o->how = m == NETCFG_MAYBE ? "the first file that may match"
					   : "the first matching file";
	}
}

/* The forwarding setting of a .network file, for evidence. */
static void add_nd_evidence(struct finding *f, const struct nd_owner *o)
{
	if (!o->path)
		return;
	finding_add_evidence(f, "network_file", "%s", o->path);
	finding_add_evidence(f, "network_file_from", "%s", o->how);
	if (o->file && o->file->ipv4_forwarding)
		finding_add_evidence(f, "ipv4_forwarding_setting",
				     "IPv4Forwarding=%s (%s)",
				     o->file->ipv4_forwarding,
				     o->file->ipv4_forwarding_src);
	else if (o->file && o->file->ip_forward)
		finding_add_evidence(f, "ip_forward_setting",
				     "IPForward=%s (%s)", o->file->ip_forward,
				     o->file->ip_forward_src);
	else if (o->file)
		finding_add_evidence(
			f, "ip_forward_setting",
			"none: systemd 220-227 turned the interface's forwarding off by default");
}

/* The remedy text for an interface whose forwarding is 0. */
static void if_remedy(struct fwd *fw, struct finding *f, const char *ifname,
		      bool docker_if, const struct nd_owner *o,
		      const char *sysctl_src)
{
	const char *key =
		fw->nd.systemd_version >= 256 || !fw->nd_loaded
			? "IPv4Forwarding=yes (systemd 256 and later; older: IPForward=kernel or IPForward=true)"
			: "IPForward=kernel or IPForward=true (systemd 256 and later: IPv4Forwarding=yes)";

	if (o->path && docker_if) {
		finding_set_remedy(
			f,
			"Now: %s net.ipv4.conf.%s.forwarding=1 (dockerd does not repair it: it writes only ip_forward, and only when that is 0). Then keep systemd-networkd off Docker's interfaces: create /etc/systemd/network/05-docker.network with '[Match]' 'Name=docker0 br-* veth*' and '[Link]' 'Unmanaged=yes' (networkd applies the first matching file in name order, so it must sort before %s), then run 'networkctl reload'. Or, if %s must manage %s, add %s to its [Network] section.",
			fw->sysctl_cmd, ifname, o->path, o->path, ifname, key);
	} else if (o->path) {
		finding_set_remedy(
			f,
			"Now: %s net.ipv4.conf.%s.forwarding=1. For good, add %s to the [Network] section of %s (seed 001, 'IP forwarding problems'), then run 'networkctl reload' (or restart systemd-networkd).",
			fw->sysctl_cmd, ifname, key, o->path);
	} else if (sysctl_src) {
		finding_set_remedy(
			f,
			"Now: %s net.ipv4.conf.%s.forwarding=1. For good, change %s to set it to 1 (or remove the line).",
			fw->sysctl_cmd, ifname, sysctl_src);
	} else {
		finding_set_remedy(
			f,
			"Now: %s net.ipv4.conf.%s.forwarding=1 (writing 1 to ip_forward again does not repair it: the kernel copies ip_forward to every interface only when its value changes, and it is 1 already). Then find what turns it off: a network manager's profile for %s, a firewall script, or a sysctl.d file.",
			fw->sysctl_cmd, ifname, ifname);
	}
}

/* An interface whose forwarding is 0 while ip_forward is 1. */
static void report_if_off(struct fwd *fw, const char *ifname,
			  enum netcfg_kind kind, int ifindex, bool docker_if)
{
	char key[96];
	const char *zero;
	struct nd_owner o;
	struct finding *f;
	enum severity sev = fw->d ? SEV_CRITICAL : SEV_WARNING;

	fw->problems++;
	if (fw->if_findings++ >= MAX_IF_FINDINGS)
		return;
	snprintf(key, sizeof(key), "net.ipv4.conf.%s.forwarding", ifname);
	zero = sysctl_zero(fw, key);
	find_nd_owner(fw, ifname, kind, ifindex, &o);
	if (docker_if)
		f = report_add(
			fw->r, ID, sev,
			"%s is 0: the kernel drops what containers on %s send to other networks%s%s%s",
			key, ifname,
			o.path ? " (systemd-networkd applies " : "",
			o.path ? o.path : "", o.path ? " to it)" : "");
	else
		f = report_add(
			fw->r, ID, sev,
			"%s is 0 on %s, which carries the default route: replies to containers and connections to published ports arriving there are not forwarded%s%s%s",
			key, ifname,
			o.path ? " (systemd-networkd applies " : "",
			o.path ? o.path : "", o.path ? " to it)" : "");
	finding_set_detail(
		f,
		"The kernel forwards an IPv4 packet only if forwarding is on for the interface it arrived on (net.ipv4.conf.IF.forwarding); net.ipv4.ip_forward is 1, so something switched this interface off afterwards. systemd-networkd 220-227 did that to every interface it configured unless IPForward= was set; a sysctl.d file or a firewall script can do it too.%s",
		fw->d ? ""
		      : " No dockerd runs now; it will not repair this when it starts.");
	finding_add_evidence(f, "interface", "%s", ifname);
	finding_add_evidence(f, "forwarding", "0");
	finding_add_evidence(f, "ip_forward", "1");
	if (!docker_if)
		finding_add_evidence(f, "role", "default route");
	add_nd_evidence(f, &o);
	if (o.path)
		finding_add_evidence(f, "networkd", "running (pid %d)",
				     fw->networkd->pid);
	if (zero)
		finding_add_evidence(f, "sysctl_file", "%s sets %s = 0", zero,
				     key);
	if_remedy(fw, f, ifname, docker_if, &o, zero);
	free(o.live_path);
}

/* net.ipv4.ip_forward against the daemon's ip-forward. */
static void check_ip_forward(struct fwd *fw)
{
	const char *cached = info_bool(fw, "IPv4Forwarding");
	const char *zero = sysctl_zero(fw, "net.ipv4.ip_forward");
	const char *zero_all = sysctl_zero(fw, "net.ipv4.conf.all.forwarding");
	struct finding *f;

	if (fw->ip_forward != 0)
		return;
	if (!zero)
		zero = zero_all;
	if (!fw->eff->ip_forward) {
		bool flag = false;

		for (size_t i = 1; fw->d && fw->d->argv && fw->d->argv[i]; i++)
			flag |= startswith(fw->d->argv[i], "--ip-forward");
		fw->problems++;
		f = report_add(
			fw->r, ID, SEV_WARNING,
			"net.ipv4.ip_forward is 0 and dockerd is configured with ip-forward=false (%s): containers on bridge networks cannot reach other networks",
			flag		       ? "on its command line"
			: fw->eff->config_file ? fw->eff->config_file
					       : "daemon.json");
		finding_set_detail(
			f,
			"With ip-forward=false the daemon leaves net.ipv4.ip_forward alone; that is a choice, but then forwarding has to be enabled by the host's own configuration.");
		finding_set_remedy(
			f,
			"If this is not intended, remove \"ip-forward\": false (or --ip-forward=false) and restart the daemon. Otherwise enable forwarding yourself: sysctl -w net.ipv4.ip_forward=1, and for good a line 'net.ipv4.ip_forward = 1' in /etc/sysctl.d/99-docker-forward.conf%s%s%s.",
			zero ? " (" : "", zero ? zero : "",
			zero ? " sets it to 0 now)" : "");
		finding_add_evidence(f, "ip_forward", "0");
		finding_add_evidence(f, "daemon_ip_forward", "false");
		if (zero)
			finding_add_evidence(f, "sysctl_file", "%s", zero);
		return;
	}
	if (!fw->d) {
		f = report_add(
			fw->r, ID, SEV_INFO,
			"net.ipv4.ip_forward is 0; no dockerd runs now, and dockerd turns it on when it starts (ip-forward is on)");
		finding_add_evidence(f, "ip_forward", "0");
		if (zero)
			finding_add_evidence(f, "sysctl_file", "%s", zero);
		return;
	}
	fw->problems++;
	f = report_add(
		fw->r, ID, SEV_CRITICAL,
		"net.ipv4.ip_forward is 0, but dockerd (pid %d) runs with ip-forward on: something turned IPv4 forwarding off after the daemon started; containers on bridge networks have no outbound traffic and published ports do not answer",
		fw->d->st.pid);
	finding_set_detail(
		f,
		"dockerd writes 1 to /proc/sys/net/ipv4/ip_forward when it starts (only if it reads 0) and never looks again. A later 'sysctl --system' with a file that sets it to 0, systemd-networkd, or a firewall script turns it off behind the daemon's back. Writing ip_forward also sets every interface's forwarding switch.%s",
		cached && strcmp(cached, "true") == 0
			? " The daemon's /info still says IPv4Forwarding: true (read when the API answered, not now)."
			: "");
	finding_set_remedy(
		f,
		"Turn it back on now: %s net.ipv4.ip_forward=1 (changing it from 0 to 1 also turns forwarding on for every interface). Then remove what turned it off%s%s%s, and keep 'net.ipv4.ip_forward = 1' in /etc/sysctl.d/99-docker-forward.conf.",
		fw->sysctl_cmd,
		zero ? ": "
		     : " (a sysctl.d file, a network manager, a firewall script)",
		zero ? zero : "", zero ? " sets it to 0" : "");
	finding_add_evidence(f, "ip_forward", "0");
	finding_add_evidence(f, "pid", "%d", fw->d->st.pid);
	if (cached)
		finding_add_evidence(f, "info_ipv4_forwarding", "%s", cached);
	if (zero)
		finding_add_evidence(f, "sysctl_file", "%s", zero);
	if (fw->networkd)
		finding_add_evidence(f, "networkd", "running (pid %d)",
				     fw->networkd->pid);
}

/* Per-interface switches of Docker's bridges, the default and the uplink. */
static void check_interfaces(struct fwd *fw, char **uplinks)
{
	char path[128];
	int v;

	if (fw->ip_forward != 1)
		return;
	for (size_t i = 0; i < fw->ifs.n; i++) {
		const struct netcfg_if *it = &fw->ifs.v[i];

		if (!it->exists || it->kind != NETCFG_BRIDGE)
			continue;
		snprintf(path, sizeof(path),
			 "/proc/sys/net/ipv4/conf/%s/forwarding", it->name);
		if (read_switch(fw, path, &v) == 0 && v == 0)
			report_if_off(fw, it->name, NETCFG_BRIDGE, it->ifindex,
				      true);
	}
	for (size_t i = 0; uplinks && uplinks[i]; i++) {
		bool docker_if = false;
		int ifindex = 0;

		for (size_t j = 0; j < fw->ifs.n; j++)
			docker_if |= strcmp(fw->ifs.v[j].name, uplinks[i]) == 0;
		if (docker_if)
			continue;
		snprintf(path, sizeof(path),
			 "/proc/sys/net/ipv4/conf/%s/forwarding", uplinks[i]);
		if (nsview_link(fw->view, uplinks[i]))
			ifindex = nsview_link(fw->view, uplinks[i])->ifindex;
		if (read_switch(fw, path, &v) == 0 && v == 0)
			report_if_off(fw, uplinks[i], NETCFG_OTHER, ifindex,
				      false);
	}
	if (read_switch(fw, "/proc/sys/net/ipv4/conf/default/forwarding", &v) ==
		    0 &&
	    v == 0) {
		const char *zero =
			sysctl_zero(fw, "net.ipv4.conf.default.forwarding");
		struct finding *f;

		fw->problems++;
		f = report_add(
			fw->r, ID, SEV_WARNING,
			"net.ipv4.conf.default.forwarding is 0: bridges Docker creates from now on (new networks) start with forwarding off, and their containers cannot reach other networks");
		finding_set_remedy(
			f, "%s net.ipv4.conf.default.forwarding=1%s%s%s.",
			fw->sysctl_cmd, zero ? "; then change " : "",
			zero ? zero : "",
			zero ? ", which sets it to 0 at boot" : "");
		finding_add_evidence(f, "default_forwarding", "0");
		if (zero)
			finding_add_evidence(f, "sysctl_file", "%s", zero);
	}
}

/* IPv6: only net.ipv6.conf.all.forwarding decides; per-interface
 * switches choose host or router behaviour. */
static void check_ipv6(struct fwd *fw)
{
	struct finding *f;
	enum severity sev;
	int v, r;

	if (!fw->eff->ipv6)
		return;
	r = read_switch(fw, "/proc/sys/net/ipv6/conf/all/forwarding", &v);
	if (r == -ENOENT) {
		fw->problems++;
		f = report_add(
			fw->r, ID, SEV_WARNING,
			"dockerd has ipv6 on, but this kernel has no IPv6 (no /proc/sys/net/ipv6): containers get no IPv6 connectivity");
		finding_set_remedy(
			f,
			"Boot without ipv6.disable=1 (or remove \"ipv6\": true from daemon.json if IPv6 is not wanted).");
		return;
	}
	if (r < 0 || v != 0)
		return;
	sev = !fw->d		    ? SEV_INFO
	      : fw->eff->ip_forward ? SEV_CRITICAL
				    : SEV_WARNING;
	if (sev != SEV_INFO)
		fw->problems++;
	f = report_add(
		fw->r, ID, sev,
		"net.ipv6.conf.all.forwarding is 0 while dockerd has ipv6 on%s: IPv6 traffic of containers is not forwarded",
		!fw->d ? " (no dockerd runs now; it sets it when it starts)"
		: fw->eff->ip_forward ? ""
				      : " and ip-forward=false");
	finding_set_remedy(
		f,
		"sysctl -w net.ipv6.conf.all.forwarding=1 (an uplink configured by router advertisements then needs net.ipv6.conf.IF.accept_ra=2), and keep it in /etc/sysctl.d/99-docker-forward.conf.");
	finding_add_evidence(f, "ipv6_all_forwarding", "0");
}

/* iptables=false and bridge-nf-call-iptables. */
static void check_filtering(struct fwd *fw)
{
	const char *path = "/proc/sys/net/bridge/bridge-nf-call-iptables";
	const char *cached = info_bool(fw, "BridgeNfIptables");
	struct finding *f;
	int v, r;

	if (!fw->eff->iptables) {
		f = report_add(
			fw->r, ID, SEV_INFO,
			"dockerd runs with iptables=false: Docker adds no NAT or forwarding rules; containers reach other networks only through rules you add");
		finding_set_remedy(
			f,
			"Masquerade each bridge subnet and accept its forwarded traffic yourself (e.g. iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE), or remove iptables=false.");
		finding_add_evidence(f, "iptables", "false");
		return;
	}
	r = read_switch(fw, path, &v);
	if (r == -ENOENT) {
		if (fw->eff->icc)
			return;
		fw->problems++;
		f = report_add(
			fw->r, ID, SEV_WARNING,
			"dockerd runs with icc=false, but br_netfilter is not loaded (no %s): traffic between containers on a bridge is not filtered, so icc=false is not enforced",
			path);
		finding_set_remedy(
			f,
			"modprobe br_netfilter, list it in /etc/modules-load.d/br_netfilter.conf, and restart the daemon.");
		finding_add_evidence(f, "br_netfilter", "not loaded");
		finding_add_evidence(f, "icc", "false");
		return;
	}
	if (r < 0 || v != 0)
		return;
	if (!fw->eff->icc)
		fw->problems++;
	f = report_add(
		fw->r, ID, fw->eff->icc ? SEV_INFO : SEV_WARNING,
		fw->eff->icc
			? "net.bridge.bridge-nf-call-iptables is 0: traffic between containers on the same bridge bypasses iptables (this matters for icc=false, userland-proxy=false and your own DOCKER-USER rules)"
			: "net.bridge.bridge-nf-call-iptables is 0 while dockerd runs with icc=false: traffic between containers on the same bridge bypasses iptables, so icc=false is not enforced");
	finding_set_detail(
		f,
		"Bridged frames reach iptables only when br_netfilter is loaded and this switch is 1. Docker sets it when icc=false or userland-proxy=false (moby 28, bridge driver); docker info stopped warning about it in 27.4.1.");
	finding_set_remedy(
		f,
		"sysctl -w net.bridge.bridge-nf-call-iptables=1 and keep 'net.bridge.bridge-nf-call-iptables = 1' in /etc/sysctl.d/99-docker-forward.conf%s%s%s.",
		sysctl_zero(fw, "net.bridge.bridge-nf-call-iptables")
			? " (it is set to 0 by "
			: "",
		sysctl_zero(fw, "net.bridge.bridge-nf-call-iptables")
			? sysctl_zero(fw, "net.bridge.bridge-nf-call-iptables")
			: "",
		sysctl_zero(fw, "net.bridge.bridge-nf-call-iptables") ? ")"
								      : "");
	finding_add_evidence(f, "bridge_nf_call_iptables", "0");
	finding_add_evidence(f, "icc", "%s", fw->eff->icc ? "true" : "false");
	if (cached)
		finding_add_evidence(f, "info_bridge_nf_iptables", "%s",
				     cached);
}

/* The healthy summary. */
static void report_ok(struct fwd *fw, char **uplinks)
{
	char path[128], buf[1024] = "";
	size_t len = 0, bridges = 0;
	struct finding *f;
	int v;

	for (size_t i = 0; i < fw->ifs.n && len < sizeof(buf); i++) {
		const struct netcfg_if *it = &fw->ifs.v[i];

		if (!it->exists || it->kind != NETCFG_BRIDGE)
			continue;
		snprintf(path, sizeof(path),
			 "/proc/sys/net/ipv4/conf/%s/forwarding", it->name);
		if (nsview_read_int(fw->view, path, &v) < 0)
			continue;
		bridges++;
		if (bridges <= 8)
			len += snprintf(buf + len, sizeof(buf) - len, "%s%s=%d",
					len ? ", " : "", it->name, v);
	}
	f = report_add(fw->r, ID, SEV_OK,
		       "IPv4 forwarding is on (net.ipv4.ip_forward=1)%s%s",
		       bridges ? " and on Docker's bridges: "
			       : "; no Docker bridge exists yet",
		       buf);
	finding_add_evidence(f, "ip_forward", "%d", fw->ip_forward);
	finding_add_evidence(f, "bridges", "%zu", bridges);
	if (bridges)
		finding_add_evidence(f, "bridge_forwarding", "%s", buf);
	for (size_t i = 0; uplinks && uplinks[i]; i++) {
		snprintf(path, sizeof(path),
			 "/proc/sys/net/ipv4/conf/%s/forwarding", uplinks[i]);
		if (nsview_read_int(fw->view, path, &v) == 0) {
			finding_add_evidence(f, "uplink", "%s", uplinks[i]);
			finding_add_evidence(f, "uplink_forwarding", "%d", v);
			break;
		}
	}
	if (info_bool(fw, "IPv4Forwarding"))
		finding_add_evidence(f, "info_ipv4_forwarding", "%s",
				     info_bool(fw, "IPv4Forwarding"));
	if (fw->eff->ipv6 &&
	    nsview_read_int(fw->view, "/proc/sys/net/ipv6/conf/all/forwarding",
			    &v) == 0)
		finding_add_evidence(f, "ipv6_all_forwarding", "%d", v);
}

/* Gather the daemon's facts: its namespace, ip_forward, its interfaces. */
static int gather(struct fwd *fw, char ***uplinks)
{
	struct ctx *ctx = fw->ctx;
	const struct api_state *api;
	char *const *extra;
	char err[512];
	int ret;

	ret = nsview_new(&ctx->root, fw->d ? fw->d->st.pid : 0,
			 ctx->opts->timeout_ms, &fw->view);
	if (ret < 0)
		return ctx_error(ctx, ret, "cannot read the network: %s",
				 strerror(-ret));
	if (fw->view->err) {
		nsview_strerror(fw->view, err, sizeof(err));
		return ctx_error(ctx, fw->view->err, "%s", err);
	}
	nsview_sysctl_cmd(fw->view, fw->sysctl_cmd, sizeof(fw->sysctl_cmd));
	ret = nsview_read_int(fw->view, "/proc/sys/net/ipv4/ip_forward",
			      &fw->ip_forward);
	if (ret < 0)
		return ctx_error(
			ctx, ret,
			"cannot read /proc/sys/net/ipv4/ip_forward: %s",
			ret == -EINVAL ? "not a number" : strerror(-ret));
	api = fw->d ? ctx_api(ctx) : NULL;
	fw->info = api ? api->info_json : NULL;
	/* the API's list is the daemon's own: other daemons' br-* are not */
	extra = fw->d ? ctx_api_bridges(ctx) : NULL;
	ret = nsview_docker_ifaces(fw->view, fw->eff->bridge, extra,
				   extra != NULL, &fw->ifs);
	if (ret < 0)
		return ctx_error(ctx, ret,
				 "cannot list Docker's interfaces: %s",
				 strerror(-ret));
	/* a networkd in another namespace does not touch the daemon's links */
	fw->networkd = ctx_process(ctx, "systemd-network", NULL);
	if (fw->networkd && nsview_same_netns(fw->view, fw->networkd->pid) == 0)
		fw->networkd = NULL;
	if (nsview_default_route_ifaces(fw->view, uplinks) < 0) {
		strv_free(*uplinks);
		*uplinks = NULL;
	}
	return 0;
}

static int run(struct ctx *ctx, struct report *r)
{
	struct fwd fw = { .ctx = ctx, .r = r };
	char **uplinks = NULL;
	size_t first = r->n_findings;
	int ret;

	fw.eff = ctx_effective(ctx);
	fw.d = ctx_dockerd(ctx);
	ret = gather(&fw, &uplinks);
	if (ret < 0)
		goto out;
	check_ip_forward(&fw);
	check_interfaces(&fw, uplinks);
	check_ipv6(&fw);
	check_filtering(&fw);
	if (fw.if_findings > MAX_IF_FINDINGS)
		report_add(
			r, ID, SEV_WARNING,
			"%zu more interfaces have forwarding off (not listed)",
			fw.if_findings - MAX_IF_FINDINGS);
	for (size_t i = 0; fw.unreadable && fw.unreadable[i]; i++) {
		struct finding *f = report_add(
			r, ID, SEV_UNKNOWN, "cannot read %s", fw.unreadable[i]);

		finding_add_evidence(f, "file", "%s", fw.unreadable[i]);
	}
	if (!fw.problems && fw.ip_forward == 1)
		report_ok(&fw, uplinks);
	nsview_add_evidence(fw.view, r, first, ID);
out:
	strv_free(uplinks);
	strv_free(fw.unreadable);
	netcfg_iflist_release(&fw.ifs);
	if (fw.nd_loaded)
		netcfg_networkd_release(&fw.nd);
	if (fw.sd_loaded)
		netcfg_sysctld_release(&fw.sd);
	nsview_free(fw.view);
	return ret;
}

const struct check check_net_forwarding = {
	.id = ID,
	.summary =
		"does the kernel forward containers' traffic (ip_forward, bridges, uplink, IPv6)",
	.explain =
		"Reads the live forwarding switches under /proc/sys: net.ipv4.ip_forward,\n"
		"net.ipv4.conf.IF.forwarding of every Docker bridge (docker0 or the\n"
		"daemon's \"bridge\", br-<id>, bridges the API names) and of the\n"
		"interfaces that carry the default route (/proc/net/route),\n"
		"net.ipv4.conf.default.forwarding, net.ipv6.conf.all.forwarding when\n"
		"the daemon has ipv6 on, and net.bridge.bridge-nf-call-iptables when\n"
		"br_netfilter is loaded. It judges them against the daemon's effective\n"
		"configuration (ip-forward, iptables, icc, ipv6) and shows the daemon's\n"
		"cached /info values (IPv4Forwarding, BridgeNfIptables) next to the live\n"
		"ones. For an interface whose forwarding is off it names the\n"
		"systemd-networkd .network file that manages it (from\n"
		"/run/systemd/netif/links, else the first matching file) and any\n"
		"sysctl.d line that sets the value to 0.\n"
		"\n"
		"The values are the daemon's: when dockerd runs in a network namespace\n"
		"other than the tool's (docker-in-docker, a daemon in a netns, the tool\n"
		"in a container, rootless), a short-lived child enters that namespace\n"
		"(setns) to read its switches, links and default route, and files\n"
		"(sysctl.d, networkd) are read through /proc/PID/root when its mount\n"
		"namespace differs. Only the daemon's own bridges are judged: when its\n"
		"API answers, the bridges of its networks (another daemon's br-* on the\n"
		"same host are left out). Every finding's evidence 'view' says which\n"
		"namespace was read; when it cannot be entered (not root) the check is\n"
		"unknown, never ok.\n"
		"\n"
		"Why it matters: dockerd writes 1 to net.ipv4.ip_forward when it starts\n"
		"(only if it reads 0) and never looks again. The kernel forwards an\n"
		"IPv4 packet only if forwarding is on for the interface it arrived on,\n"
		"so a later 'sysctl --system', a firewall script, or systemd-networkd\n"
		"(systemd 220-227 turned forwarding off on every interface it\n"
		"configured unless IPForward= was set; seed 001, 'IP forwarding\n"
		"problems') silently cuts containers off: no outbound traffic,\n"
		"published ports do not answer. The daemon's docker info still says\n"
		"IPv4Forwarding: true until it reads the value again.\n"
		"\n"
		"Findings:\n"
		"- critical 'net.ipv4.ip_forward is 0, but dockerd runs with ip-forward\n"
		"  on'; warning when the daemon is configured with ip-forward=false;\n"
		"  info when no daemon runs (it turns forwarding on when it starts).\n"
		"- critical 'net.ipv4.conf.IF.forwarding is 0' for a Docker bridge or\n"
		"  the default-route interface (warning when no daemon runs), naming\n"
		"  the networkd file responsible.\n"
		"- warning 'net.ipv4.conf.default.forwarding is 0': new networks'\n"
		"  bridges start with forwarding off.\n"
		"- critical/warning 'net.ipv6.conf.all.forwarding is 0' with ipv6 on.\n"
		"- info 'iptables=false': Docker adds no NAT or forwarding rules.\n"
		"- warning 'bridge-nf-call-iptables is 0' (or br_netfilter not loaded)\n"
		"  with icc=false: icc=false is not enforced; info with icc=true.\n"
		"- ok with the values of ip_forward and of each bridge.\n"
		"\n"
		"How to fix: when ip_forward is 0, sysctl -w net.ipv4.ip_forward=1\n"
		"(changing it from 0 also turns every interface's switch on); when only\n"
		"an interface's switch is 0, sysctl -w net.ipv4.conf.IF.forwarding=1\n"
		"(writing 1 to ip_forward again changes nothing: the kernel copies it\n"
		"to the interfaces only when its value changes); in the daemon's\n"
		"namespace prefix nsenter -t PID -n. Then remove the cause: the\n"
		"sysctl.d line named, or, for networkd,\n"
		"IPForward=kernel or IPForward=true (IPv4Forwarding=yes from systemd\n"
		"256) in the [Network] section of the .network file named, or a\n"
		"/etc/systemd/network/05-docker.network with [Match]\n"
		"Name=docker0 br-* veth* and [Link] Unmanaged=yes that sorts before\n"
		"it, then 'networkctl reload'. Keep 'net.ipv4.ip_forward = 1' in\n"
		"/etc/sysctl.d/99-docker-forward.conf.\n",
	.run = run,
};
