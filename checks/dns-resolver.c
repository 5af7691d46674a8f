// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dns.resolver: which DNS servers containers get (seed 001, "DNS resolver
 * found in resolv.conf and containers can't use it"). The host's
 * resolv.conf, the daemon's 'dns' and 'ipv6', and libnetwork's rules for
 * the Docker version give what a default-bridge container's resolv.conf
 * holds and where the embedded DNS (127.0.0.11) of user-defined networks
 * forwards to. With --probe-dns, real queries check those servers and one
 * live container's 127.0.0.11. net/dnsview.c gathers those facts and
 * words them; this file judges them.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/context.h"
#include "net/dnsview.h"
#include "core/util.h"

#define ID "dns.resolver"

/* The report being written, and whether a warning or worse went in. */
struct judged {
	struct report *r;
	bool problem; /* a warning or critical finding was added */
};

static const char remedy_fixes[] =
	"Use one of the two fixes. (1) Tell Docker which DNS servers to give containers: add \"dns\": [\"<your network's DNS server>\", \"8.8.8.8\"] to /etc/docker/daemon.json (if your internal DNS server cannot resolve public names, include at least one that can, so that pulls and public names work), then run 'systemctl restart docker' and check with 'docker run --rm busybox nslookup <an internal host name>'. (2) Turn dnsmasq off so that /etc/resolv.conf lists the real servers: on Ubuntu comment out the line 'dns=dnsmasq' (make it '# dns=dnsmasq') in %s, then run 'systemctl restart NetworkManager' and 'systemctl restart docker'; on RHEL, CentOS or Fedora run 'systemctl disable --now dnsmasq' and configure the DNS servers by hand. Containers started before the fix keep their resolv.conf until they are restarted.";

/* Could this tool simply not read it (not dockerd, which runs as root)? */
static bool our_problem(struct ctx *ctx, int err)
{
	return !ctx->is_root && (err == -EACCES || err == -EPERM);
}

static struct finding *add(struct judged *jd, const struct dnsview *fx,
			   enum severity sev, const char *summary)
{
	struct finding *f = report_add(jd->r, ID, sev, "%s", summary);

	if (sev >= SEV_WARNING)
		jd->problem = true;
	dnsview_add_evidence(f, fx);
	return f;
}

/* ---- findings ---- */

/* A loopback (or 0.0.0.0) address in the daemon's 'dns'. */
static void report_dns_loopback(struct judged *jd, const struct dnsview *fx)
{
	const struct rc_model *m = &fx->m;
	char list[512], sum[1024];
	bool all = m->n_dns_unusable == m->n_dns;
	struct finding *f;

	if (!m->n_dns_unusable)
		return;
	rc_format_addrs(m->dns_unusable, m->n_dns_unusable, list, sizeof(list));
	snprintf(
		sum, sizeof(sum),
		"%s 'dns' lists %s: containers send those queries to their own loopback, where no DNS server runs%s",
		dnsview_dns_source(fx), list,
		all ? ": containers cannot resolve any name"
		    : ", and wait for each before trying the next server");
	f = add(jd, fx, all ? SEV_CRITICAL : SEV_WARNING, sum);
	finding_set_detail(
		f,
		"The daemon's 'dns' replaces the host's servers for every container. Default-bridge containers get it in their resolv.conf as it is; on user-defined networks the embedded DNS (127.0.0.11) forwards to it from the container's network namespace: dockerd never treats a 'dns' address as the host's loopback (only loopback servers read from /etc/resolv.conf are queried from the host). In a container, %s is the container itself.",
		list);
	finding_set_remedy(
		f,
		"Replace the loopback entries of \"dns\" in %s with addresses containers can reach: your network's DNS server, or an address of this host on which the local resolver listens (for dnsmasq: listen-address=<docker0's address>), plus one server that resolves public names; then run 'systemctl restart docker'. Or remove \"dns\" altogether: containers on user-defined networks then reach the host's loopback resolver through the embedded DNS, which queries it from the host's namespace.",
		fx->dns_from_flag ? "the daemon's command line (--dns)"
		: fx->config_file ? fx->config_file
				  : "/etc/docker/daemon.json");
	finding_add_evidence(f, "unusable", "%s", list);
}

/* /etc/resolv.conf missing, dangling, unreadable, or without servers. */
static bool report_etc(struct judged *jd, const struct dnsview *fx)
{
	const struct rc_model *m = &fx->m;
	bool none = fx->etc_err == -ENOENT ||
		    (fx->etc_read && fx->etc.n_ns_total == 0);
	char state[1200], sum[1600];
	struct finding *f;

	dnsview_fmt_file_state(RC_ETC_PATH, fx->etc_err, fx->etc_target,
			       fx->etc_read, &fx->etc, state, sizeof(state));
	if (fx->etc_err && fx->etc_err != -ENOENT) {
		snprintf(
			sum, sizeof(sum),
			"%s: dockerd cannot build containers' resolv.conf, so containers fail to start",
			state);
		f = add(jd, fx, SEV_CRITICAL, sum);
		finding_set_detail(
			f,
			"dockerd reads the host's resolv.conf for every container it starts (even with 'dns' set, for the search domains and options); an error other than 'does not exist' aborts the start.");
		finding_set_remedy(
			f,
			"Make %s a readable regular file (or a symlink to one), e.g. 'ls -lL %s'; with systemd-resolved: 'ln -sf ../run/systemd/resolve/stub-resolv.conf %s'.",
			RC_ETC_PATH, RC_ETC_PATH, RC_ETC_PATH);
		return true;
	}
	if (!none)
		return false;
	if (m->dns_override) {
		snprintf(
			sum, sizeof(sum),
			"%s, but the daemon's 'dns' gives containers their servers",
			state);
		f = add(jd, fx, SEV_INFO, sum);
		finding_set_detail(
			f,
			"Containers use the servers of %s; the host itself has no DNS server configured.",
			dnsview_dns_source(fx));
		return true;
	}
	if (m->era == RC_ERA_28) {
		snprintf(
			sum, sizeof(sum),
			"%s: containers on user-defined networks get no DNS server for names outside Docker (Docker 28 and later), and default-bridge ones fall back to Google's 8.8.8.8 and 8.8.4.4",
			state);
		f = add(jd, fx, SEV_CRITICAL, sum);
	} else {
		snprintf(
			sum, sizeof(sum),
			"%s: containers fall back to Google's public DNS servers 8.8.8.8 and 8.8.4.4",
			state);
		f = add(jd, fx, SEV_WARNING, sum);
	}
	finding_set_detail(
		f,
		"dockerd builds containers' DNS settings from the host's resolv.conf. Without a nameserver, default-bridge containers get 8.8.8.8 and 8.8.4.4; %s. Internal names do not resolve through Google, and on hosts without internet access (air-gapped, filtered) every lookup waits for unreachable servers. A missing file is usually a dangling symlink: systemd-resolved not running (stub-resolv.conf), or resolvconf/NetworkManager not having written it yet at boot; containers that started then keep what they got until they are restarted.",
		m->era == RC_ERA_28
			? "since Docker 28 the embedded DNS of user-defined networks uses no fallback, so those containers resolve only container names"
			: "the embedded DNS of user-defined networks forwards to the same fallback servers, from the container's namespace");
	finding_set_remedy(
		f,
		"Restore %s%s%s (for systemd-resolved: 'systemctl enable --now systemd-resolved'; or write the servers into the file), or set \"dns\": [\"<your DNS server>\"] in /etc/docker/daemon.json and run 'systemctl restart docker'. Then restart the containers.",
		RC_ETC_PATH, fx->etc_target[0] ? "'s target " : "",
		fx->etc_target);
	return true;
}

/* Why the default bridge fell back to Google. */
static void report_bridge_fallback(struct judged *jd, const struct dnsview *fx)
{
	const struct rc_model *m = &fx->m;
	char lo[1024], v6[512], sum[2048], user[512], state[1200];
	bool user_ok = !m->user_fallback && !m->user_none &&
		       dnsview_loopback_listening(fx) != 0;
	struct finding *f;

	rc_format_servers(m->user, m->n_user, RC_MAX_USED, user, sizeof(user));
	dnsview_fmt_loopback(fx, m->dropped_loopback, fx->dropped_listening,
			     m->n_dropped_loopback, lo, sizeof(lo));
	rc_format_addrs(m->dropped_ipv6, m->n_dropped_ipv6, v6, sizeof(v6));
	if (m->stub_rule && (fx->sd_err || fx->sd.n_ns_total == 0)) {
		dnsview_fmt_file_state(RC_SYSTEMD_PATH, fx->sd_err,
				       fx->sd_target, fx->sd_read, &fx->sd,
				       state, sizeof(state));
		snprintf(
			sum, sizeof(sum),
			"default-bridge containers fall back to Google's 8.8.8.8 and 8.8.4.4: /etc/resolv.conf has only systemd-resolved's stub 127.0.0.53, and %s",
			state);
	} else if (m->n_dropped_loopback) {
		snprintf(
			sum, sizeof(sum),
			"default-bridge containers fall back to Google's 8.8.8.8 and 8.8.4.4%s: %s in %s, %s, %s loopback, which containers cannot reach%s%s%s",
			fx->ipv6 ? " (and its IPv6 pair)" : "",
			m->n_dropped_loopback > 1 ? "the nameservers"
						  : "the nameserver",
			m->bridge_file, lo,
			m->n_dropped_loopback > 1 ? "are" : "is",
			m->n_dropped_ipv6 ? ", and its IPv6 ones (" : "",
			m->n_dropped_ipv6 ? v6 : "",
			m->n_dropped_ipv6 ? ") are dropped with 'ipv6' off"
					  : "");
	} else {
		snprintf(
			sum, sizeof(sum),
			"default-bridge containers fall back to Google's 8.8.8.8 and 8.8.4.4: %s lists only IPv6 nameservers (%s), which dockerd drops because 'ipv6' is off",
			m->bridge_file, v6);
	}
	f = add(jd, fx, SEV_WARNING, sum);
	finding_set_detail(
		f,
		"The default bridge has no embedded DNS: dockerd copies the host's servers into the container's resolv.conf and drops loopback ones, because in the container's own network namespace 127.0.0.1 is the container itself. With nothing left it logs \"No non-localhost DNS nameservers are left in resolv.conf. Using default external servers\" and uses Google's servers. Names only your network's resolver knows then do not resolve on the default bridge, and on hosts without internet access (air-gapped, filtered) lookups hang on servers that cannot be reached. Containers on user-defined networks %s: they use 127.0.0.11, which forwards to %s%s.",
		user_ok ? "are not affected" : "are affected too", user,
		!user_ok ? ""
		: m->n_dropped_loopback
			? ", querying host(...) servers from the host's network namespace, where the local resolver runs"
			: "");
	if (m->stub_rule)
		finding_set_remedy(
			f,
			"Make systemd-resolved write its upstream servers ('systemctl enable --now systemd-resolved', 'resolvectl status' should list a DNS server), or set \"dns\": [\"<your network's DNS server>\", \"8.8.8.8\"] in /etc/docker/daemon.json and run 'systemctl restart docker'. Run containers on a user-defined network ('docker network create') to use the host's resolver through the embedded DNS.");
	else
		finding_set_remedy(f, remedy_fixes, dnsview_nm_file(fx));
	finding_add_evidence(f, "dropped_loopback", "%s",
			     m->n_dropped_loopback ? lo : "none");
	if (m->n_dropped_ipv6)
		finding_add_evidence(f, "dropped_ipv6", "%s", v6);
}

/* The default bridge drops some loopback servers but keeps others. */
static void report_bridge_partial(struct judged *jd, const struct dnsview *fx)
{
	const struct rc_model *m = &fx->m;
	char lo[1024], kept[512], sum[2048];
	struct finding *f;

	dnsview_fmt_loopback(fx, m->dropped_loopback, fx->dropped_listening,
			     m->n_dropped_loopback, lo, sizeof(lo));
	rc_format_servers(m->bridge, m->n_bridge, RC_MAX_USED, kept,
			  sizeof(kept));
	snprintf(
		sum, sizeof(sum),
		"default-bridge containers skip the loopback nameserver%s %s and use %s",
		m->n_dropped_loopback > 1 ? "s" : "", lo, kept);
	f = add(jd, fx, SEV_INFO, sum);
	finding_set_detail(
		f,
		"Loopback addresses cannot be reached from a container's own network namespace, so dockerd leaves them out of default-bridge containers' resolv.conf; the other servers remain. %s",
		strcmp(m->dropped_loopback[0].text, RC_SYSTEMD_STUB) == 0
			? "dockerd switches to /run/systemd/resolve/resolv.conf only when 127.0.0.53 is the only nameserver, so here the other servers of /etc/resolv.conf are used instead."
			: "Names only the local resolver knows (its cache, /etc/hosts entries it serves) do not resolve there; user-defined networks reach it through the embedded DNS.");
	finding_add_evidence(f, "dropped_loopback", "%s", lo);
}

/* The stub rule: say which file the default bridge reads. */
static void report_stub(struct judged *jd, const struct dnsview *fx)
{
	const struct rc_model *m = &fx->m;
	char servers[512], sum[1024];
	bool down = fx->procs_known && !fx->resolved_running;
	struct finding *f;

	rc_format_servers(m->bridge, m->n_bridge, RC_MAX_USED, servers,
			  sizeof(servers));
	snprintf(
		sum, sizeof(sum),
		"/etc/resolv.conf lists only systemd-resolved's stub 127.0.0.53: default-bridge containers get the servers of %s (%s), user-defined networks forward to 127.0.0.53 from the host's namespace%s",
		RC_SYSTEMD_PATH, servers,
		down ? ", but systemd-resolved is not running" : "");
	f = add(jd, fx, down ? SEV_WARNING : SEV_INFO, sum);
	finding_set_detail(
		f,
		"When 127.0.0.53 is the only nameserver, dockerd assumes systemd-resolved and logs \"detected 127.0.0.53 nameserver, assuming systemd-resolved, so using resolv.conf: %s\": that file lists the real upstream servers. dockerd makes this choice once, when it starts: restart it after /etc/resolv.conf changes between the stub and real servers. Default-bridge containers get a copy at creation and do not follow later changes until they are restarted. User-defined networks read /etc/resolv.conf itself; their embedded DNS forwards to 127.0.0.53 from the host's network namespace, so systemd-resolved's caching, split DNS and VPN domains keep working there.",
		RC_SYSTEMD_PATH);
	if (down)
		finding_set_remedy(
			f,
			"Start systemd-resolved ('systemctl enable --now systemd-resolved'), or point /etc/resolv.conf at real servers.");
	if (fx->sd_target[0])
		finding_add_evidence(f, "systemd_file", "%s -> %s",
				     RC_SYSTEMD_PATH, fx->sd_target);
}

/* /etc/resolv.conf changed after dockerd chose which file to copy. */
static void report_changed(struct judged *jd, const struct dnsview *fx)
{
	const struct rc_model *m = &fx->m, *a = &fx->alt;
	char now[512], alt[512], sum[1600], choice[1024];
	bool worse = a->bridge_fallback && !m->bridge_fallback;
	struct finding *f;

	if (!fx->have_alt || m->dns_override)
		return;
	rc_format_servers(m->bridge, m->n_bridge, RC_MAX_USED, now,
			  sizeof(now));
	rc_format_servers(a->bridge, a->n_bridge, RC_MAX_USED, alt,
			  sizeof(alt));
	dnsview_fmt_choice(fx, choice, sizeof(choice));
	snprintf(
		sum, sizeof(sum),
		"/etc/resolv.conf changed after dockerd started: if it chose %s then, default-bridge containers get %s%s until dockerd restarts, not %s",
		a->stub_rule ? RC_SYSTEMD_PATH : RC_ETC_PATH, alt,
		a->bridge_fallback ? " (Docker's fallback)" : "", now);
	f = add(jd, fx, worse ? SEV_WARNING : SEV_INFO, sum);
	finding_set_detail(
		f,
		"dockerd picks the file default-bridge containers copy once, when it starts: %s when /etc/resolv.conf lists only systemd-resolved's stub 127.0.0.53 then, /etc/resolv.conf otherwise. It reads that file again for every new container, so later edits of its content count, but a change between the stub and real servers does not until dockerd restarts. Which one it chose this time is not known here: %s.",
		RC_SYSTEMD_PATH, choice);
	finding_set_remedy(
		f,
		"Restart the daemon ('systemctl restart docker') so that it chooses from the current /etc/resolv.conf, then restart the default-bridge containers.");
	finding_add_evidence(f, "other_choice_nameservers", "%s",
			     a->bridge_conf.nameservers);
	finding_add_evidence(f, "other_choice_search", "%s",
			     a->bridge_conf.search);
	finding_add_evidence(f, "other_choice_options", "%s",
			     a->bridge_conf.options);
}

/* Smaller notes: bad lines, too many servers, an unused dnsmasq. */
static void report_notes(struct judged *jd, const struct dnsview *fx)
{
	const struct rc_model *m = &fx->m;
	struct finding *f;
	bool loopback = false;

	if (fx->etc_read && fx->etc.n_invalid_total) {
		char lines[512];
		size_t len = 0;

		lines[0] = '\0';
		for (size_t i = 0; i < fx->etc.n_invalid && len < sizeof(lines);
		     i++)
			len += snprintf(lines + len, sizeof(lines) - len,
					"%sline %u: '%s'", i ? ", " : "",
					fx->etc.invalid[i].line,
					fx->etc.invalid[i].text);
		f = report_add(
			jd->r, ID, SEV_INFO,
			"%s has %zu nameserver line%s that %s not an IP address (%s): dockerd and the C library ignore %s",
			RC_ETC_PATH, fx->etc.n_invalid_total,
			fx->etc.n_invalid_total > 1 ? "s" : "",
			fx->etc.n_invalid_total > 1 ? "are" : "is", lines,
			fx->etc.n_invalid_total > 1 ? "them" : "it");
		finding_set_remedy(
			f,
			"Write one numeric address per nameserver line (resolv.conf does not take host names).");
		finding_add_evidence(f, "invalid", "%s", lines);
	}
	if ((m->n_bridge > RC_MAX_USED && !m->bridge_fallback) ||
	    m->n_user > RC_MAX_USED) {
		char b[512], u[512];

		rc_format_servers(m->bridge, m->n_bridge, RC_MAX_USED, b,
				  sizeof(b));
		rc_format_servers(m->user, m->n_user, RC_MAX_USED, u,
				  sizeof(u));
		f = report_add(
			jd->r, ID, SEV_INFO,
			"containers use only the first %d nameservers: the C library in default-bridge containers and the embedded DNS both stop at %d",
			RC_MAX_USED, RC_MAX_USED);
		finding_set_detail(
			f,
			"glibc and musl read at most 3 nameserver lines (MAXNS); libnetwork's embedded resolver keeps at most 3 upstreams (maxExtDNS). Put the servers that matter first.");
		finding_add_evidence(f, "default_bridge", "%s", b);
		finding_add_evidence(f, "user_defined_upstreams", "%s", u);
	}
	for (size_t i = 0; fx->etc_read && i < fx->etc.n_ns; i++)
		loopback |= rc_addr_is_loopback(&fx->etc.ns[i]);
	if (fx->n_dnsmasq && !loopback) {
		f = report_add(
			jd->r, ID, SEV_INFO,
			"dnsmasq is running (%zu process%s) but %s does not point at a loopback resolver: containers do not use it",
			fx->n_dnsmasq, fx->n_dnsmasq > 1 ? "es" : "",
			RC_ETC_PATH);
		finding_set_detail(
			f,
			"This dnsmasq serves something else (libvirt's virtual networks, a DHCP server, another interface); it does not stand between containers and their DNS servers.");
		finding_add_evidence(f, "dnsmasq", "%zu", fx->n_dnsmasq);
	}
}

/* ---- the probe ---- */

/* A server that failed the probe. */
static void report_failed_server(struct judged *jd, const struct dnsview *fx,
				 const struct dnsview_target *t, bool critical,
				 long budget, const char *all)
{
	char how[200], sum[8192], rc[16];
	struct finding *f;

	dnsprobe_describe(&t->p, how, sizeof(how));
	switch (t->p.result) {
	case DNSPROBE_ERROR_RCODE:
		snprintf(
			sum, sizeof(sum),
			"DNS server %s answered %s to a query for the root (.): %s",
			t->p.server,
			dnsprobe_rcode_name(t->p.rcode, rc, sizeof(rc)),
			dnsview_used_by(t));
		break;
	case DNSPROBE_REFUSED:
		snprintf(
			sum, sizeof(sum),
			"nothing listens on DNS server %s port 53 (ICMP port unreachable): %s",
			t->p.server, dnsview_used_by(t));
		break;
	case DNSPROBE_SEND_ERROR:
		snprintf(sum, sizeof(sum),
			 "cannot send a DNS query to %s (%s): %s", t->p.server,
			 strerror(-t->p.err), dnsview_used_by(t));
		break;
	default:
		snprintf(sum, sizeof(sum),
			 "DNS server %s did not answer within %ld ms: %s",
			 t->p.server, budget, dnsview_used_by(t));
		break;
	}
	f = add(jd, fx, critical ? SEV_CRITICAL : SEV_WARNING, sum);
	finding_set_detail(
		f,
		"One UDP query for the root's NS records was sent from this host's network namespace%s. %s",
		t->user && !t->host_ns && !t->bridge
			? " (the embedded DNS sends from the container's namespace: its route and NAT may differ)"
			: "",
		critical
			? "No server of that container type answered: its containers cannot resolve names outside Docker."
			: "Containers try the next server after a timeout, so lookups are slow rather than failing.");
	if (t->fallback)
		finding_set_remedy(
			f,
			"This host cannot reach Google's public DNS (air-gapped or filtered), and containers fall back to it. %s",
			"Set \"dns\": [\"<your network's DNS server>\"] in /etc/docker/daemon.json and run 'systemctl restart docker' (fix 1 of the troubleshooting guide), or make the host's resolv.conf list servers containers can use.");
	else
		finding_set_remedy(
			f,
			"Check the server: 'dig @%s . NS' (or 'nslookup . %s'); fix or replace it in %s, or give containers working servers with \"dns\" in /etc/docker/daemon.json and 'systemctl restart docker'.",
			t->p.server, t->p.server,
			fx->m.dns_override ? "the daemon's 'dns'"
					   : RC_ETC_PATH);
	finding_add_evidence(f, "server", "%s", t->p.server);
	finding_add_evidence(f, "result", "%s",
			     dnsprobe_result_name(t->p.result));
	finding_add_evidence(f, "probe", "%s", how);
	finding_add_evidence(f, "probes", "%s", all);
	finding_add_evidence(
		f, "used_by", "%s%s%s", t->bridge ? "default-bridge" : "",
		t->bridge && t->user ? "," : "",
		t->user ? (t->host_ns ? "embedded-dns(host)" : "embedded-dns")
			: "");
}

/* Probe evidence for the ok finding. */
struct probe_summary {
	char text[1024];
	size_t len;
};

/* Append to the probe evidence. */
static void summary_add(struct probe_summary *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void summary_add(struct probe_summary *s, const char *fmt, ...)
{
	va_list ap;

	if (s->len >= sizeof(s->text))
		return;
	va_start(ap, fmt);
	s->len += (size_t)vsnprintf(s->text + s->len, sizeof(s->text) - s->len,
				    fmt, ap);
	va_end(ap);
}

/* 127.0.0.11 in a running container: its own name, and forwarding. */
static void report_embedded(struct judged *jd, const struct dnsview *fx,
			    const struct dnsview_victim *v,
			    const struct dnsprobe *name,
			    const struct dnsprobe *fwd,
			    struct probe_summary *ps)
{
	char how[200], how2[200], sum[1024], up[512], hostside[1024];
	struct finding *f;

	dnsprobe_describe(name, how, sizeof(how));
	dnsprobe_describe(fwd, how2, sizeof(how2));
	rc_format_servers(fx->m.user, fx->m.n_user, RC_MAX_USED, up,
			  sizeof(up));
	strscpy(hostside, ps->len ? ps->text : "none", sizeof(hostside));
	summary_add(ps, "%s127.0.0.11 in %s: name %s; forwarding %s",
		    ps->len ? "; " : "", v->name, how, how2);
	if (name->result == DNSPROBE_NETNS_ERROR) {
		/* our failure, not the resolver's */
		f = report_add(
			jd->r, ID, SEV_INFO,
			"the embedded DNS (127.0.0.11) was not probed: %s (container %s)",
			how, v->name);
		finding_add_evidence(f, "container", "%s", v->name);
		return;
	}
	if (name->result == DNSPROBE_ANSWERED && name->ancount > 0 &&
	    name->rcode == DNS_RCODE_NOERROR) {
		if (fwd->result == DNSPROBE_ANSWERED)
			return;
		snprintf(
			sum, sizeof(sum),
			"the embedded DNS (127.0.0.11) in container %s resolves container names but does not forward other names (a query for the root: %s)",
			v->name, how2);
		f = add(jd, fx, SEV_WARNING, sum);
		finding_set_detail(
			f,
			"127.0.0.11 forwards names outside Docker to %s; servers not marked host(...) are queried from the container's network namespace, so they need a route and NAT from there (dockerd with --iptables=false has no masquerading).",
			up);
		finding_set_remedy(
			f,
			"Check the upstream servers above (the probe of each from the host is reported separately); with --iptables=false, add the masquerading rule for the network yourself or list a server reachable from the containers in \"dns\".");
	} else if (name->result == DNSPROBE_ANSWERED) {
		snprintf(
			sum, sizeof(sum),
			"the embedded DNS (127.0.0.11) in container %s answered %s for the container's own name",
			v->name, how);
		f = add(jd, fx, SEV_WARNING, sum);
		finding_set_detail(
			f,
			"127.0.0.11 works but does not know the container: its service records may be out of step with the network (network %s).",
			v->network);
		finding_set_remedy(
			f,
			"Reconnect the container ('docker network disconnect' and 'connect') or restart it; if that does not help, restart the daemon.");
	} else {
		snprintf(
			sum, sizeof(sum),
			"the embedded DNS (127.0.0.11) in container %s does not work: a query for its own name: %s",
			v->name, how);
		f = add(jd, fx, SEV_CRITICAL, sum);
		finding_set_detail(
			f,
			"Containers on user-defined networks (network %s here) resolve every name through 127.0.0.11; dockerd redirects it with NAT rules inside the container's namespace to a socket it listens on. Without an answer, no name resolves in those containers.",
			v->network);
		finding_set_remedy(
			f,
			"Look for \"Resolver Setup function failed\" or \"Resolver Start failed\" in the daemon log ('journalctl -u docker'); restart the container, then the daemon ('systemctl restart docker'). 'nsenter -n -t <pid> iptables -t nat -S' shows the DOCKER_OUTPUT rules the resolver needs.");
	}
	finding_add_evidence(f, "container", "%s", v->name);
	finding_add_evidence(f, "network", "%s", v->network);
	finding_add_evidence(f, "pid", "%d", v->pid);
	finding_add_evidence(f, "name_query", "%s", how);
	finding_add_evidence(f, "forward_query", "%s", how2);
	finding_add_evidence(f, "upstream_probes", "%s", hostside);
}

/* --probe-dns: the servers that failed, and 127.0.0.11. */
static void report_probes(struct judged *jd, const struct dnsview *fx,
			  const struct dnsview_probes *pr,
			  struct probe_summary *ps)
{
	const struct dnsview_target *t = pr->t;
	size_t n = pr->n, fail_bridge = 0, fail_user = 0, n_bridge = 0,
	       n_user = 0;

	for (size_t i = 0; i < n; i++) {
		bool ok = t[i].p.result == DNSPROBE_ANSWERED;

		n_bridge += t[i].bridge;
		n_user += t[i].user;
		fail_bridge += t[i].bridge && !ok;
		fail_user += t[i].user && !ok;
	}
	for (size_t i = 0; i < n; i++) {
		char how[200];

		dnsprobe_describe(&t[i].p, how, sizeof(how));
		summary_add(ps, "%s%s %s", ps->len ? "; " : "", t[i].p.server,
			    how);
	}
	for (size_t i = 0; i < n; i++) {
		bool critical = (t[i].bridge && fail_bridge == n_bridge) ||
				(t[i].user && fail_user == n_user);

		if (t[i].p.result != DNSPROBE_ANSWERED)
			report_failed_server(jd, fx, &t[i], critical,
					     pr->budget, ps->text);
	}
	if (pr->have_victim) {
		report_embedded(jd, fx, &pr->v, &pr->name, &pr->fwd, ps);
	} else {
		struct finding *f = report_add(
			jd->r, ID, SEV_INFO,
			"the embedded DNS (127.0.0.11) was not probed: %s",
			pr->v.why);

		finding_set_detail(
			f,
			"--probe-dns queries 127.0.0.11 from inside a running container on a user-defined network, in a short-lived child process that enters its network namespace.");
		summary_add(ps, "%s127.0.0.11 not probed (%s)",
			    ps->len ? "; " : "", pr->v.why);
	}
}

/* ---- the check ---- */

/* Nothing wrong: what each kind of container gets. */
static void report_ok(struct judged *jd, const struct dnsview *fx, bool probed,
		      const struct probe_summary *ps)
{
	const struct rc_model *m = &fx->m;
	char b[512], u[512], sum[1400];
	struct finding *f;

	rc_format_servers(m->bridge, m->n_bridge, RC_MAX_USED, b, sizeof(b));
	rc_format_servers(m->user, m->n_user, RC_MAX_USED, u, sizeof(u));
	snprintf(
		sum, sizeof(sum),
		"containers get usable DNS servers: default bridge %s%s; user-defined networks 127.0.0.11, forwarding to %s%s",
		b, m->bridge_fallback ? " (Docker's fallback)" : "", u,
		m->user_fallback ? " (Docker's fallback)" : "");
	f = add(jd, fx, SEV_OK, sum);
	finding_add_evidence(
		f, "probes", "%s",
		probed ? ps->text : "not run (--probe-dns sends real queries)");
}

/* Gather the view (and the probes' answers), then judge it. */
static int run(struct ctx *ctx, struct report *r)
{
	struct dnsview *fx = calloc(1, sizeof(*fx));
	struct dnsview_probes pr;
	struct judged jd = { .r = r, .problem = false };
	struct probe_summary ps = { .len = 0 };
	const struct rc_model *m;
	size_t first = r->n_findings;
	int ret = 0, probe_err = 0;

	if (!fx)
		return -ENOMEM;
	dnsview_gather(ctx, fx);
	m = &fx->m;
	if (our_problem(ctx, fx->etc_err)) {
		ret = ctx_error(ctx, fx->etc_err,
				"cannot read %s: %s (run as root)", RC_ETC_PATH,
				strerror(-fx->etc_err));
		goto out;
	}
	if (ctx->opts->probe_dns)
		probe_err = dnsview_probe(ctx, fx, &pr);
	report_dns_loopback(&jd, fx);
	if (!report_etc(&jd, fx)) {
		if (m->stub_rule && our_problem(ctx, fx->sd_err)) {
			struct finding *f = report_add(
				r, ID, SEV_UNKNOWN,
				"cannot read %s (%s): what default-bridge containers get is unknown",
				RC_SYSTEMD_PATH, strerror(-fx->sd_err));

			finding_set_remedy(f, "Run dockerd-doctor as root.");
		} else if (m->bridge_err && m->bridge_err != -ENOENT) {
			char state[1200], sum[1400];
			struct finding *f;

			dnsview_fmt_file_state(m->bridge_file, m->bridge_err,
					       fx->sd_target, false, &fx->sd,
					       state, sizeof(state));
			snprintf(
				sum, sizeof(sum),
				"%s: dockerd cannot build default-bridge containers' resolv.conf, so they fail to start",
				state);
			f = add(&jd, fx, SEV_CRITICAL, sum);
			finding_set_remedy(
				f,
				"Make %s readable, or check systemd-resolved ('systemctl status systemd-resolved').",
				m->bridge_file);
		} else if (m->bridge_fallback && !m->dns_override) {
			report_bridge_fallback(&jd, fx);
		} else if (m->n_dropped_loopback && !m->dns_override) {
			report_bridge_partial(&jd, fx);
		}
		if (m->stub_rule && !m->bridge_fallback && !m->bridge_err &&
		    !m->dns_override)
			report_stub(&jd, fx);
	}
	report_changed(&jd, fx);
	report_notes(&jd, fx);
	if (ctx->opts->probe_dns) {
		if (probe_err < 0) {
			ret = ctx_error(ctx, probe_err,
					"the DNS probe could not run: %s",
					strerror(-probe_err));
			goto out;
		}
		report_probes(&jd, fx, &pr, &ps);
	}
	if (!jd.problem)
		report_ok(&jd, fx, ctx->opts->probe_dns, &ps);
	report_mask_credentials(r, first);
out:
	dnsview_release(fx);
	free(fx);
	return ret;
}

const struct check check_dns_resolver = {
	.id = ID,
	.summary =
		"the DNS servers containers get (loopback resolvers, dnsmasq, daemon 'dns')",
	.run = run,
	.explain =
		"Works out which DNS servers containers get, as dockerd's libnetwork\n"
		"does for the Docker version in use (20.10 to 28), from the host's\n"
		"/etc/resolv.conf (a symlink is followed; a dangling one is named), the\n"
		"daemon's effective 'dns' and 'ipv6' (daemon.json and flags), and\n"
		"/run/systemd/resolve/resolv.conf when systemd-resolved's stub\n"
		"127.0.0.53 is the only nameserver. It also notes whether dnsmasq and\n"
		"systemd-resolved run and whether NetworkManager sets dns=dnsmasq.\n"
		"\n"
		"Default-bridge containers get a copy of the host's servers without\n"
		"the loopback ones (127.0.0.0/8, ::1: dnsmasq, a NetworkManager cache,\n"
		"systemd-resolved), and without IPv6 ones when 'ipv6' is off; with\n"
		"nothing left, Google's 8.8.8.8 and 8.8.4.4. When 127.0.0.53 is the\n"
		"only nameserver, dockerd reads systemd-resolved's upstream list in\n"
		"/run/systemd/resolve/resolv.conf instead. Containers on user-defined\n"
		"networks get 127.0.0.11, the embedded DNS, which forwards to the\n"
		"servers of /etc/resolv.conf and queries loopback ones from the\n"
		"host's network namespace, so a local resolver keeps working there\n"
		"(Docker 28 queries all of them from the host; before Docker 26 only\n"
		"IPv4 servers are upstreams). A daemon 'dns' setting replaces the\n"
		"host's servers for both kinds and is never queried from the host, so\n"
		"a loopback address in it reaches the container itself. Only the\n"
		"first 3 servers are used.\n"
		"\n"
		"dockerd chooses between /etc/resolv.conf and systemd-resolved's file\n"
		"once, when it starts, and reads the chosen file for every new\n"
		"container. When /etc/resolv.conf changed after the daemon started,\n"
		"the check says so and what default-bridge containers get if dockerd\n"
		"chose the other file. It also predicts each container's search and\n"
		"options: before Docker 26 default-bridge containers get the host\n"
		"file's lines as they are; user-defined networks get its last search\n"
		"and last options line, plus ndots:0 unless an option sets ndots; the\n"
		"daemon's 'dns', 'dns-search' or 'dns-opts' make dockerd write the file\n"
		"from them instead (then the host's servers are copied unfiltered).\n"
		"The evidence bridge_nameservers, bridge_search, bridge_options and\n"
		"user_* holds those predictions.\n"
		"\n"
		"Why it matters (seed 001, \"DNS resolver found in resolv.conf and\n"
		"containers can't use it\"): with a loopback-only resolv.conf,\n"
		"default-bridge containers silently use Google's servers: internal\n"
		"names do not resolve, and on air-gapped hosts every lookup hangs.\n"
		"Since Docker 28 a missing /etc/resolv.conf leaves user-defined\n"
		"networks with no upstream server at all.\n"
		"\n"
		"Findings:\n"
		"- critical: a loopback address in the daemon's 'dns'; /etc/resolv.conf\n"
		"  unreadable (containers fail to start); missing or without a\n"
		"  nameserver on Docker 28+; a failing 127.0.0.11 or every server of a\n"
		"  container type failing (--probe-dns).\n"
		"- warning: default-bridge containers fall back to 8.8.8.8/8.8.4.4\n"
		"  (named: the loopback servers and the program behind them); a missing\n"
		"  /etc/resolv.conf before Docker 28; systemd-resolved's stub without\n"
		"  systemd-resolved running; a server that fails the probe.\n"
		"- warning: /etc/resolv.conf changed since dockerd started and the\n"
		"  other choice gives default-bridge containers Google's servers.\n"
		"- info: which file dockerd uses with systemd-resolved; loopback\n"
		"  servers skipped while others remain; dnsmasq running but unused;\n"
		"  bad nameserver lines; more than 3 servers.\n"
		"- ok: what each kind of container gets.\n"
		"\n"
		"--probe-dns (off by default) sends one real UDP query (the root's NS\n"
		"records) to each server containers use, all at once, within\n"
		"min(--timeout, 2 s), and reports timeouts, error answers (SERVFAIL,\n"
		"REFUSED) and ICMP refusals. It also queries 127.0.0.11 for the name\n"
		"of a running container on a user-defined network, from inside that\n"
		"container's network namespace (a short-lived child process enters\n"
		"it, as root; no thread of this tool does), and a name outside Docker\n"
		"to see that the embedded DNS forwards. Upstream servers are queried\n"
		"from this host's network namespace; before Docker 28 the embedded\n"
		"DNS queries non-loopback ones from the container's, so a route or\n"
		"NAT only containers lack shows in that forwarding query.\n"
		"\n"
		"Fix (the troubleshooting guide's two ways): (1) set \"dns\":\n"
		"[\"<server>\", ...] in /etc/docker/daemon.json, with at least one\n"
		"server that resolves public names, and 'systemctl restart docker';\n"
		"or (2) turn dnsmasq off: comment out 'dns=dnsmasq' in\n"
		"/etc/NetworkManager/NetworkManager.conf and restart NetworkManager\n"
		"and docker (RHEL, CentOS, Fedora: 'systemctl disable --now\n"
		"dnsmasq'). Restart containers afterwards. User-defined networks\n"
		"('docker network create') use the host's local resolver through the\n"
		"embedded DNS.\n",
};
