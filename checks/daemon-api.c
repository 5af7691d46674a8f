// SPDX-License-Identifier: GPL-2.0-or-later
/* daemon.api: can the Docker API be reached, and what does it warn about? */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/check.h"
#include "core/context.h"
#include "core/util.h"

#define ID "daemon.api"
/* A daemon younger than this that does not answer yet is starting. */
#define START_GRACE_S 60

/* Remedies for the /info warnings we know; matched by a substring. */
static const struct {
	const char *match;
	const char *remedy;
} warning_remedies[] = {
	{ "IPv4 forwarding is disabled",
	  "Enable it: sysctl -w net.ipv4.ip_forward=1 and persist it in /etc/sysctl.d/; with systemd-networkd set IPForward=yes in the .network file of the uplink." },
	{ "bridge-nf-call",
	  "Load br_netfilter and set net.bridge.bridge-nf-call-iptables=1 (and ip6tables) in /etc/sysctl.d/." },
	{ "swap limit",
	  "Enable swap accounting: add cgroup_enable=memory swapaccount=1 to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub and reboot." },
	{ "memory limit",
	  "Enable the memory cgroup: add cgroup_enable=memory to the kernel command line and reboot." },
	{ "seccomp",
	  "Remove seccomp-profile from the daemon configuration (or set it to 'builtin') unless the custom profile is intended." },
	{ "storage-driver is deprecated",
	  "Move to the overlay2 storage driver: it needs a fresh data-root, so save images first (docker save) and reload them." },
};

/* A tcp:// host of the daemon: where it listens, and its finding. */
struct tcp_host {
	char addr[256]; /* as configured after "tcp://", e.g. "0.0.0.0:2375" */
	char port[16]; /* dockerd's default when none is given */
	bool all; /* 0.0.0.0 or :: */
	bool loopback; /* localhost, 127.0.0.0/8, ::1 */
	size_t finding; /* index of its finding in the report */
};

/* The daemon's tcp:// hosts without TLS client verification. */
struct tcp_exposure {
	struct tcp_host h[16];
	size_t n;
};

/*
 * Read a host as dockerd does (opts.ParseHost): "tcp://ADDR", or ADDR
 * without a scheme; an empty host name is "localhost", a missing port
 * 2375 (2376 with TLS). False for unix://, fd:// and the rest.
 */
static bool parse_tcp_host(const char *host, bool tls, struct tcp_host *t)
{
	const char *p = host, *colon;
	char name[256], *end;

	if (strstr(host, "://")) {
		if (!startswith(host, "tcp://"))
			return false;
		p = host + 6;
	} else if (!*host) {
		return false;
	}
	*t = (struct tcp_host){ .finding = 0 };
	snprintf(t->addr, sizeof(t->addr), "%.*s", (int)strcspn(p, "/?"), p);
	snprintf(name, sizeof(name), "%s", t->addr);
	if (name[0] == '[' && (end = strchr(name, ']'))) {
		snprintf(t->port, sizeof(t->port), "%s",
			 end[1] == ':' ? end + 2 : "");
		*end = '\0';
		memmove(name, name + 1, strlen(name));
	} else if ((colon = strrchr(name, ':')) && colon == strchr(name, ':')) {
		snprintf(t->port, sizeof(t->port), "%s", colon + 1);
		name[colon - name] = '\0';
	}
	if (!t->port[0])
		snprintf(t->port, sizeof(t->port), "%s", tls ? "2376" : "2375");
	if (!name[0])
		snprintf(name, sizeof(name), "localhost");
	t->all = strcmp(name, "0.0.0.0") == 0 || strcmp(name, "::") == 0;
	t->loopback = strcmp(name, "localhost") == 0 ||
		      startswith(name, "127.") || strcmp(name, "::1") == 0;
	return true;
}

/*
 * A tcp:// host without TLS client verification is root on the host for
 * whoever reaches it: a client can run a privileged container with / of
 * the host mounted. dockerd says the same of both cases, no TLS and TLS
 * without --tlsverify (its log: "Binding to IP address without
 * --tlsverify is insecure and gives root access on this machine to
 * everyone who has access to your network"; /info: "Access to the remote
 * API is equivalent to root access on the host"), so both are critical.
 * Loopback only is still critical: every local user, and scripts in a
 * browser on this host, can reach it.
 */
static void report_tcp_host(struct tcp_exposure *x, const struct tcp_host *t,
			    bool tls, const char *from, struct report *r)
{
	struct finding *f;

	if (x->n >= ARRAY_SIZE(x->h))
		return;
	f = report_add(
		r, ID, SEV_CRITICAL,
		"the Docker API listens on tcp://%s %s, %s: %s", t->addr,
		tls ? "with TLS but without client verification"
		    : "without TLS",
		t->all	      ? "on all interfaces"
		: t->loopback ? "on loopback only"
			      : "on that address only",
		t->loopback
			? "every local user, and scripts in a browser on this host, can use it as root"
			: "anyone who can reach the port is root on this host");
	finding_set_detail(
		f,
		"Whoever connects can start a privileged container with / of the host mounted. dockerd says so itself (\"Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network\"; /info: \"Access to the remote API is equivalent to root access on the host\"). The host comes from %s.",
		from);
	finding_set_remedy(
		f,
		"%s, or remove the tcp:// host and use the UNIX socket, reaching it from other machines over SSH: DOCKER_HOST=ssh://user@host. Then restart dockerd.",
		tls ? "Require client certificates: add --tlsverify (\"tlsverify\": true in daemon.json) with --tlscacert naming the CA that signs your clients' certificates"
		    : "Require TLS with client certificates: --tlsverify --tlscacert=ca.pem --tlscert=server-cert.pem --tlskey=server-key.pem (or \"tlsverify\": true and the tlscacert, tlscert, tlskey keys in daemon.json; port 2376 by convention)");
	finding_add_evidence(f, "address", "tcp://%s", t->addr);
	finding_add_evidence(f, "listens", "%s",
			     t->all	   ? "all interfaces"
			     : t->loopback ? "loopback"
					   : "one address");
	finding_add_evidence(f, "tls", "%s", tls ? "true" : "false");
	finding_add_evidence(f, "tlsverify", "false");
	finding_add_evidence(f, "from", "%s", from);
	x->h[x->n] = *t;
	x->h[x->n++].finding = r->n_findings - 1;
}

/* The tcp:// hosts of the examined daemon's configuration (flags, file). */
static void report_tcp_hosts(struct ctx *ctx, struct tcp_exposure *x,
			     struct report *r)
{
	const struct dockerd_proc *d = ctx_dockerd(ctx);
	const struct dconfig_effective *e = ctx_effective(ctx);
	char from[512];
	struct tcp_host t;

	if (e->tls && e->tlsverify)
		return;
	for (size_t i = 0; e->hosts && e->hosts[i]; i++) {
		if (!parse_tcp_host(e->hosts[i], e->tls, &t))
			continue;
		if (d && strv_contains(d->hosts, e->hosts[i]))
			snprintf(from, sizeof(from),
				 "the command line of dockerd (pid %d)",
				 d->st.pid);
		else
			snprintf(from, sizeof(from), "'hosts' in %.400s%s",
				 e->config_file ? e->config_file
						: "daemon.json",
				 d ? "" : " (no dockerd runs: when it starts)");
		report_tcp_host(x, &t, e->tls, from, r);
	}
}

/* The exposed host on the port of addr ("HOST:PORT"), or NULL. */
static const struct tcp_host *find_exposed(const struct tcp_exposure *x,
					   const char *addr)
{
	struct tcp_host t;

	if (!parse_tcp_host(addr, false, &t))
		return NULL;
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->h[i].addr, t.addr) == 0)
			return &x->h[i];
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->h[i].port, t.port) == 0)
			return &x->h[i];
	return NULL;
}

/*
 * The daemon's own /info warning about a tcp:// host ("API is accessible
 * on http://ADDR without encryption", "... https://ADDR without TLS
 * client verification"): evidence of the critical finding for that host,
 * or that finding itself when the configuration read did not show it.
 * False for other warnings.
 */
static bool fold_tcp_warning(struct tcp_exposure *x, const char *text, size_t i,
			     struct report *r)
{
	const char *u = strstr(text, "API is accessible on http");
	bool tls = u && startswith(u + 25, "s://");
	const struct tcp_host *h;
	char addr[256];
	struct tcp_host t;

	if (!u || (!strstr(text, "without encryption") &&
		   !strstr(text, "without TLS client verification")))
		return false;
	u += tls ? 29 : 28;
	snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(u, " \n"), u);
	h = find_exposed(x, addr);
	if (!h && parse_tcp_host(addr, tls, &t)) {
		report_tcp_host(x, &t, tls, "the daemon's own /info warning",
				r);
		h = x->n ? &x->h[x->n - 1] : NULL;
	}
	if (h)
		finding_add_evidence(&r->findings[h->finding], "daemon_warning",
				     "GET /info Warnings[%zu]: %.*s", i,
				     (int)strcspn(text, "\n"), text);
	return true;
}

/* Evidence common to every finding about the endpoint. */
static void add_endpoint_evidence(struct finding *f,
				  const struct api_state *api)
{
	finding_add_evidence(f, "address", "%s", api->display);
	finding_add_evidence(f, "source", "%s", api_source_name(api->source));
}

/* DOCKER_HOST is the seed's first trouble: say so whenever it is set. */
static void report_docker_host(const struct api_state *api, struct report *r)
{
	struct finding *f;

	if (api->source != API_FROM_ENV || api->endpoint_err)
		return;
	f = report_add(
		r, ID, SEV_INFO,
		"DOCKER_HOST is set: docker clients in this environment talk to %s",
		api->ep.kind == EP_UNIX ? api->ep.path : api->display);
	finding_set_detail(
		f,
		"Without DOCKER_HOST the client connects to %s. A wrong DOCKER_HOST (often left in ~/.bashrc or ~/.profile) gives \"Cannot connect to the Docker daemon\" although the local daemon runs.",
		DEFAULT_DOCKER_HOST);
	finding_set_remedy(
		f,
		"If that is not intended: unset DOCKER_HOST, and remove it from your shell start-up files.");
	add_endpoint_evidence(f, api);
}

/* The address does not parse: nothing can connect. */
static void report_bad_address(const struct api_state *api, struct report *r)
{
	struct finding *f;

	f = report_add(r, ID, SEV_CRITICAL,
		       "%s '%s' is not a valid daemon address: %s",
		       api->source == API_FROM_ENV ? "DOCKER_HOST" : "--host",
		       api->display, api->endpoint_error);
	finding_set_detail(
		f,
		"docker clients fail with \"unable to parse docker host\" or \"Cannot connect to the Docker daemon\".");
	finding_set_remedy(
		f,
		api->source == API_FROM_ENV
			? "unset DOCKER_HOST to use the local daemon, or set it to unix:///var/run/docker.sock or tcp://HOST:2376 (with DOCKER_TLS_VERIFY=1)."
			: "Use unix:///path/to/docker.sock or tcp://HOST:PORT.");
	add_endpoint_evidence(f, api);
}

/* The socket file is missing, not a socket, or not ours to use. */
static bool report_socket(struct ctx *ctx, const struct api_state *api,
			  struct report *r)
{
	const struct dockerd_proc *d = ctx_dockerd(ctx);
	char *hosts = d ? strv_join_masked(d->hosts, 512) : NULL;
	struct finding *f = NULL;

	if (api->sock_err == -ENOENT) {
		f = report_add(r, ID, SEV_CRITICAL,
			       "the API socket '%s' does not exist",
			       api->ep.path);
		if (d && hosts && *hosts)
			finding_set_detail(f,
					   "dockerd (pid %d) listens on: %s.",
					   d->st.pid, hosts);
		else
			finding_set_detail(
				f,
				"No daemon has created it: dockerd is not running, or it listens elsewhere (-H in its command line, 'hosts' in daemon.json).");
		finding_set_remedy(
			f,
			"Start dockerd, or point the client at the socket it really listens on (DOCKER_HOST=unix:///path).");
	} else if (api->sock_err == -ENOTSOCK) {
		f = report_add(r, ID, SEV_CRITICAL,
			       "'%s' exists but is not a socket", api->ep.path);
		finding_set_detail(
			f,
			"Something created a %s in its place, typically a container started with -v %s:... while the daemon was down, which makes the daemon unable to bind it.",
			S_ISDIR(api->sock_st.st_mode) ? "directory" : "file",
			api->ep.path);
		finding_set_remedy(
			f,
			"Stop dockerd, remove '%s' (rmdir or rm), and start dockerd again.",
			api->ep.path);
	} else if (api->sock_err) {
		f = report_add(r, ID, SEV_CRITICAL, "cannot look at '%s': %s",
			       api->ep.path, strerror(-api->sock_err));
	} else if (!api->sock_access) {
		struct group *g = getgrgid(api->sock_st.st_gid);

		f = report_add(r, ID, SEV_CRITICAL,
			       "permission denied: you may not connect to '%s'",
			       api->ep.path);
		finding_set_detail(
			f,
			"The socket is mode %04o, group '%s', and you are neither its owner nor in that group.",
			api->sock_st.st_mode & 07777, g ? g->gr_name : "?");
		finding_set_remedy(
			f,
			"Use sudo, or add yourself to the group (sudo usermod -aG %s \"$USER\") and log in again. Membership of that group is equivalent to root.",
			g ? g->gr_name : "docker");
		finding_add_evidence(f, "mode", "%04o",
				     api->sock_st.st_mode & 07777);
		finding_add_evidence(f, "uid", "%u", api->sock_st.st_uid);
		finding_add_evidence(f, "gid", "%u", api->sock_st.st_gid);
	}
	free(hosts);
	if (!f)
		return false;
	add_endpoint_evidence(f, api);
	return true;
}

/* What the daemon's own log says about its start. */
struct startup {
	long long age; /* seconds since dockerd started, -1: unknown */
	bool listening; /* "API listen on" logged since then */
	bool slowed; /* 20.10+: the deliberate pause for a TCP host */
	char last[200]; /* the newest daemon line since its start */
};

/* Read the start of the examined daemon from its age and its log. */
static void read_startup(struct ctx *ctx, const struct dockerd_proc *d,
			 struct startup *s)
{
	long long started = daemon_start_time(ctx_daemons(ctx), &d->st);
	const struct logring *ring;
	struct logring_iter it;
	struct log_entry e;

	*s = (struct startup){ .age = -1 };
	if (started <= 0)
		return;
	s->age = clock_us(CLOCK_REALTIME) / 1000000 - started;
	ring = ctx_logring(ctx, NULL);
	if (!ring)
		return;
	logring_iter_init(&it, ring, started * 1000000);
	while (logring_iter_next(&it, &e)) {
		struct logring_source_stats st;

		if (logring_source_stats(ring, e.source, &st) < 0 ||
		    strcmp(st.name, "dockerd"))
			continue;
		if (memmem(e.line, e.len, "API listen on", 13))
			s->listening = true;
		if (memmem(e.line, e.len, "intentionally being slowed down",
			   31))
			s->slowed = true;
		snprintf(s->last, sizeof(s->last), "%.*s", (int)e.len, e.line);
	}
}

/*
 * A daemon seconds old that does not answer yet is starting, not hung: a
 * start takes seconds (containers restored, networks set up), and 20.10
 * with a TCP host without TLS pauses on purpose before it serves.
 */
static bool report_starting(struct ctx *ctx, const struct api_state *api,
			    struct report *r)
{
	const struct dockerd_proc *d = ctx_dockerd(ctx);
	struct startup s;
	struct finding *f;

	if (!d)
		return false;
	read_startup(ctx, d, &s);
	if (s.listening || s.age < 0 || s.age >= START_GRACE_S)
		return false;
	f = report_add(
		r, ID, SEV_WARNING,
		"dockerd (pid %d) started %lld s ago and is still starting: no answer at %s yet",
		d->st.pid, s.age, api->display);
	finding_set_detail(
		f,
		"The daemon has not logged 'API listen on' since it started. %s",
		s.slowed
			? "It listens on TCP without TLS, and this Docker version pauses its start on purpose to show that this is insecure."
			: "A start takes seconds: containers are restored, networks and volumes set up.");
	finding_set_remedy(
		f,
		"Wait and run this again. If it still does not answer %d s after its start, read its log (journalctl -u docker.service -n 50) for what it waits on.",
		START_GRACE_S);
	add_endpoint_evidence(f, api);
	finding_add_evidence(f, "age_s", "%lld", s.age);
	if (s.last[0])
		finding_add_evidence(f, "last_log_line", "%s", s.last);
	return true;
}

/* /_ping failed: unresponsive, refused, closed, or not Docker. */
static void report_ping_failure(struct ctx *ctx, const struct api_state *api,
				struct report *r)
{
	const struct dockerd_proc *d = ctx_dockerd(ctx);
	double secs = ctx->opts->timeout_ms / 1000.0;
	struct finding *f;

	switch (api->ping.err) {
	case -ETIMEDOUT:
		f = report_add(
			r, ID, SEV_CRITICAL,
			"daemon unresponsive: no answer to /_ping within %g s",
			secs);
		finding_set_detail(
			f,
			"The connection %s, but no answer came. A hung daemon (a deadlock, a stuck storage driver or mount, an overloaded host) makes every docker command hang.",
			api->ping.error[0] && strstr(api->ping.error,
						     "could not connect")
				? "could not even be set up in time"
				: "was accepted");
		if (d)
			finding_set_remedy(
				f,
				"Capture a goroutine dump first: kill -USR1 %d writes goroutine-stacks-*.log into the exec-root (%s) and logs its path. Then restart the daemon (systemctl restart docker; with live-restore containers keep running).",
				d->st.pid, ctx_effective(ctx)->exec_root);
		else
			finding_set_remedy(
				f,
				"Find the process that owns the socket (ss -xlp | grep docker), capture a goroutine dump with kill -USR1 PID if it is dockerd, then restart it.");
		break;
	case -ECONNREFUSED:
		f = report_add(
			r, ID, SEV_CRITICAL,
			"connection refused at %s: no daemon is listening",
			api->display);
		finding_set_detail(
			f, "%s",
			api->ep.kind == EP_UNIX
				? "The socket file is left over from a daemon that is gone."
				: "Nothing listens on that address and port, or a firewall rejects the connection.");
		finding_set_remedy(
			f,
			"Start dockerd (systemctl start docker) and check journalctl -u docker.service for why it stopped.");
		break;
	default:
		f = report_add(r, ID, SEV_CRITICAL,
			       "the daemon API at %s did not answer /_ping: %s",
			       api->display,
			       api->ping.error[0] ? api->ping.error
						  : strerror(-api->ping.err));
		finding_set_remedy(
			f,
			"Check that the address is a Docker daemon (curl --unix-socket PATH http://localhost/_ping), then the daemon's log (journalctl -u docker.service).");
		break;
	}
	add_endpoint_evidence(f, api);
	finding_add_evidence(f, "error", "%s", api->ping.error);
	finding_add_evidence(f, "timeout_ms", "%ld", ctx->opts->timeout_ms);
}

/* /info failed after /_ping worked. */
static void report_call_failure(struct ctx *ctx, const struct api_state *api,
				const struct api_call *call, const char *path,
				struct report *r)
{
	struct finding *f;

	if (!call->err)
		return;
	if (call->err == -ETIMEDOUT)
		f = report_add(
			r, ID, SEV_CRITICAL,
			"daemon unresponsive: %s did not answer within %g s",
			path, ctx->opts->timeout_ms / 1000.0);
	else
		f = report_add(r, ID, SEV_WARNING, "%s failed: %s", path,
			       call->error);
	finding_set_detail(
		f,
		"/_ping answered, so the API server runs, but %s needs the daemon's internal locks and drivers; a hang here points at a stuck storage driver, volume plugin or container.",
		path);
	finding_set_remedy(
		f,
		"Capture a goroutine dump (kill -USR1 <dockerd pid>) and look for goroutines blocked for minutes; then restart the daemon.");
	add_endpoint_evidence(f, api);
}

/*
 * Each /info warning becomes a finding of its own, but for those about a
 * tcp:// host, which join the critical finding for that host.
 */
static void report_info_warnings(const struct api_state *api,
				 struct tcp_exposure *x, struct report *r)
{
	json_object *w;
	size_t n;

	if (!api->info_json ||
	    !json_object_object_get_ex(api->info_json, "Warnings", &w) ||
	    !json_object_is_type(w, json_type_array))
		return;
	n = json_object_array_length(w);
	for (size_t i = 0; i < n && i < 64; i++) {
		json_object *e = json_object_array_get_idx(w, i);
		const char *text = json_object_get_string(e);
		const char *s = text;
		struct finding *f;
		size_t len;

		if (!text || !json_object_is_type(e, json_type_string) ||
		    fold_tcp_warning(x, text, i, r))
			continue;
		while (*s == '\n' || *s == ' ')
			s++;
		if (startswith(s, "WARNING: "))
			s += 9;
		len = strcspn(s, "\n");
		f = report_add(r, ID, SEV_WARNING, "the daemon warns: %.*s",
			       (int)(len > 160 ? 160 : len), s);
		finding_set_detail(f, "%s", text);
		for (size_t k = 0; k < ARRAY_SIZE(warning_remedies); k++)
			if (strstr(text, warning_remedies[k].match)) {
				finding_set_remedy(f, "%s",
						   warning_remedies[k].remedy);
				break;
			}
		finding_add_evidence(f, "source", "GET /info Warnings[%zu]", i);
	}
}

/* The API answered: say how fast and what it is. */
static void report_reachable(const struct api_state *api, struct report *r)
{
	struct finding *f;

	f = report_add(r, ID, SEV_OK,
		       "the API answers at %s in %.0f ms (Docker %s, API %s)",
		       api->display, api->ping.seconds * 1000,
		       api->version ? api->version : "?",
		       api->api_version_header ? api->api_version_header : "?");
	add_endpoint_evidence(f, api);
	finding_add_evidence(f, "ping_ms", "%.1f", api->ping.seconds * 1000);
	if (api->server_header)
		finding_add_evidence(f, "server", "%s", api->server_header);
	if (api->info.err == 0 && api->info_json)
		finding_add_evidence(f, "info_ms", "%.1f",
				     api->info.seconds * 1000);
	if (!api->server_header || !startswith(api->server_header, "Docker/")) {
		f = report_add(r, ID, SEV_WARNING,
			       "the service at %s does not say it is Docker",
			       api->display);
		finding_set_detail(
			f,
			"Its Server header is '%s'. A proxy in front of the socket, or another engine (Podman's API service), may answer differently.",
			api->server_header ? api->server_header : "");
		add_endpoint_evidence(f, api);
	}
}

/* The check. */
static int run(struct ctx *ctx, struct report *r)
{
	const struct api_state *api = ctx_api(ctx);
	struct tcp_exposure x = { .n = 0 };
	struct finding *f;

	if (!api)
		return -ENOMEM;
	report_tcp_hosts(ctx, &x, r);
	if (api->endpoint_err) {
		report_bad_address(api, r);
		return 0;
	}
	report_docker_host(api, r);
	if (api->ep.kind == EP_SSH) {
		f = report_add(
			r, ID, SEV_UNKNOWN,
			"cannot check %s: ssh:// addresses are not supported; run dockerd-doctor on that host",
			api->display);
		add_endpoint_evidence(f, api);
		return 0;
	}
	if (api->skipped) {
		f = report_add(
			r, ID, SEV_WARNING,
			"not contacted: no dockerd runs and '%s' is held by systemd (pid %d, docker.socket)",
			api->ep.path, api->activation_pid);
		finding_set_detail(
			f,
			"Connecting would start dockerd through socket activation; this tool only looks and never starts the daemon.");
		finding_set_remedy(
			f,
			"systemctl start docker.service to start it now; systemctl status docker.service docker.socket and journalctl -u docker.service tell why it is not running.");
		add_endpoint_evidence(f, api);
		return 0;
	}
	if (api->ep.kind == EP_UNIX && api->sock_err == -ENOENT &&
	    report_starting(ctx, api, r))
		return 0;
	if (api->ep.kind == EP_UNIX && report_socket(ctx, api, r))
		return 0;
	if (!api->reachable) {
		if ((api->ping.err == -ETIMEDOUT ||
		     api->ping.err == -ECONNREFUSED) &&
		    report_starting(ctx, api, r))
			return 0;
		report_ping_failure(ctx, api, r);
		return 0;
	}
	report_reachable(api, r);
	report_call_failure(ctx, api, &api->info, "/info", r);
	report_info_warnings(api, &x, r);
	return 0;
}

const struct check check_daemon_api = {
	.id = ID,
	.summary =
		"can the Docker API be reached, and what does the daemon warn about",
	.needs = 0,
	.run = run,
	.explain =
		"Works out the address a docker client would use here (--host, else\n"
		"DOCKER_HOST, else unix:///var/run/docker.sock), looks at the socket\n"
		"file (exists, is a socket, may we connect), then asks GET /_ping and\n"
		"GET /info together, bounded by --timeout, and turns the\n"
		"daemon's own /info Warnings into findings. It never starts a\n"
		"socket-activated daemon: when no dockerd runs and systemd holds the\n"
		"socket (docker.socket), it does not connect.\n"
		"\n"
		"Findings:\n"
		"- info 'DOCKER_HOST is set': clients here talk to that address, not\n"
		"  the local default. Fix, if unintended: unset DOCKER_HOST and remove\n"
		"  it from ~/.bashrc or ~/.profile.\n"
		"- critical 'DOCKER_HOST ... is not a valid daemon address'.\n"
		"- critical 'the API socket ... does not exist', '... is not a\n"
		"  socket' (a directory left by a -v bind mount), 'permission\n"
		"  denied' (not in the socket's group; membership equals root).\n"
		"- critical 'daemon unresponsive': the daemon accepted the connection\n"
		"  and did not answer in time. Fix: kill -USR1 <pid> for a goroutine\n"
		"  dump in the exec-root, then restart the daemon.\n"
		"- critical 'connection refused': a stale socket, no daemon behind it.\n"
		"- warning 'not contacted: ... held by systemd': socket activation.\n"
		"- critical 'the Docker API listens on tcp://ADDR without TLS' (or\n"
		"  'with TLS but without client verification'), one per tcp://\n"
		"  host of the examined daemon (its -H flags, else 'hosts' in\n"
		"  daemon.json; tlsverify given at all turns tls on, as in dockerd):\n"
		"  whoever reaches the port is root on the host, which dockerd\n"
		"  itself says of both cases. It names the address and whether it\n"
		"  listens on all interfaces (0.0.0.0, ::), one address, or loopback\n"
		"  only (still critical: every local user and scripts in a local\n"
		"  browser reach it). Fix: --tlsverify with --tlscacert, --tlscert,\n"
		"  --tlskey, or remove the tcp:// host and use the UNIX socket over\n"
		"  SSH (DOCKER_HOST=ssh://user@host). The daemon's own /info warning\n"
		"  about that host is evidence of this finding, not another one.\n"
		"- warning 'the daemon warns: ...': one per other /info warning\n"
		"  (IPv4 forwarding, swap limit...), with the fix.\n"
		"- ok 'the API answers at ... in N ms', with the daemon version.\n",
};
