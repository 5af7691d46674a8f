// SPDX-License-Identifier: GPL-2.0-or-later
/* The DNS servers containers get, gathered for dns.resolver (see dnsview.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/context.h"
#include "core/report.h"
#include "net/dnsview.h"
#include "core/util.h"

#define PROBE_MAX_MS 2000L

/* ---- the view ---- */

/* Does the daemon's command line set --dns? */
static bool flag_sets_dns(const struct dockerd_proc *d)
{
	for (size_t i = 1; d && d->argv && d->argv[i]; i++)
		if (strcmp(d->argv[i], "--dns") == 0 ||
		    startswith(d->argv[i], "--dns="))
			return true;
	return false;
}

/* Read and parse a resolv.conf under the root. */
static void read_rc(struct ctx *ctx, const char *path, struct rc_file *f,
		    int *err, bool *read, char *target, size_t tsize)
{
	char *buf = NULL;
	size_t len = 0;

	*err = rc_read_host_file(ctx_daemon_root(ctx), path, 1 << 20, &buf,
				 &len, target, tsize);
	*read = *err == 0;
	if (*read)
		rc_parse(buf, len, f);
	free(buf);
}

/* Same servers, search and options for the default bridge? */
static bool same_bridge(const struct rc_model *a, const struct rc_model *b)
{
	return a->bridge_err == b->bridge_err &&
	       memcmp(&a->bridge_conf, &b->bridge_conf,
		      sizeof(a->bridge_conf)) == 0;
}

/*
 * /etc/resolv.conf changed after dockerd started: what the default bridge
 * gets if dockerd chose the other file then. The systemd file is a
 * candidate only when it exists now (dockerd chose it for the stub of a
 * running systemd-resolved).
 */
static void gather_alt(struct dnsview *fx, struct rc_model_input *in)
{
	if (!fx->etc_changed || (!fx->m.stub_now && !fx->sd_read))
		return;
	in->choice = fx->m.stub_now ? RC_CHOICE_ETC : RC_CHOICE_SYSTEMD;
	rc_model_compute(in, &fx->alt);
	in->choice = RC_CHOICE_NOW;
	fx->have_alt = !same_bridge(&fx->m, &fx->alt);
}

void dnsview_release(struct dnsview *fx)
{
	if (!fx)
		return;
	strv_free(fx->dns_search);
	strv_free(fx->dns_opts);
	fx->dns_search = fx->dns_opts = NULL;
}

/* Gather what dns.resolver judges. */
void dnsview_gather(struct ctx *ctx, struct dnsview *ret)
{
	struct dnsview *fx = ret;
	const struct dconfig_effective *eff;
	const struct dockerd_proc *d = ctx_dockerd(ctx);
	struct rc_model_input in = { 0 };
	/* whose namespace is "the host's": dockerd's, 0 ours */
	int netns_pid = d ? d->st.pid : 0;

	memset(fx, 0, sizeof(*fx));
	/* first: the daemon's version also picks the daemon.json rules */
	fx->version = ctx_docker_version(ctx, &fx->version_src);
	eff = ctx_effective(ctx);
	fx->dns = eff->dns;
	fx->ipv6 = eff->ipv6 > 0;
	fx->config_file = eff->config_file;
	fx->dns_from_flag = flag_sets_dns(d);
	dnsview_read_lists(ctx, fx);
	read_rc(ctx, RC_ETC_PATH, &fx->etc, &fx->etc_err, &fx->etc_read,
		fx->etc_target, sizeof(fx->etc_target));
	/* also without the stub: dockerd may have chosen it at its start */
	read_rc(ctx, RC_SYSTEMD_PATH, &fx->sd, &fx->sd_err, &fx->sd_read,
		fx->sd_target, sizeof(fx->sd_target));
	dnsview_start_choice(ctx, fx);
	in = (struct rc_model_input){ .version = fx->version,
				      .etc = fx->etc_read ? &fx->etc : NULL,
				      .etc_err = fx->etc_err,
				      .systemd = fx->sd_read ? &fx->sd : NULL,
				      .systemd_err = fx->sd_err,
				      .dns = fx->dns,
				      .dns_search = fx->dns_search,
				      .dns_opts = fx->dns_opts,
				      .ipv6 = fx->ipv6 };
	rc_model_compute(&in, &fx->m);
	gather_alt(fx, &in);
	fx->procs_known = ctx_daemons(ctx) != NULL;
	ctx_process(ctx, "dnsmasq", &fx->n_dnsmasq);
	/* comm is cut to 15 characters */
	fx->resolved_running = ctx_process(ctx, "systemd-resolve", NULL);
	rc_nm_dns_mode(ctx_daemon_root(ctx), fx->nm_dns, sizeof(fx->nm_dns),
		       fx->nm_where, sizeof(fx->nm_where));
	for (size_t i = 0; i < fx->m.n_dropped_loopback; i++)
		fx->dropped_listening[i] = rc_udp53_listening(
			&ctx->root, netns_pid, &fx->m.dropped_loopback[i]);
}

/* ---- the probe ---- */

/* Add a server to probe (once). */
static void add_target(struct dnsview_target *t, size_t *n,
		       const struct rc_server *s, bool bridge)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(t[i].p.server, s->addr.text) == 0)
			break;
	if (i == *n) {
		if (*n >= DNSVIEW_MAX_TARGETS)
			return;
		memset(&t[i], 0, sizeof(t[i]));
		dnsprobe_init(&t[i].p, s->addr.text, 0, ".", DNS_TYPE_NS, -1);
		(*n)++;
	}
	if (bridge)
		t[i].bridge = true;
	else
		t[i].user = true;
	t[i].host_ns |= s->host_ns;
	t[i].fallback |= s->fallback;
}

/* Not one of the networks every daemon has. */
static bool user_network(const char *name)
{
	return strcmp(name, "bridge") != 0 && strcmp(name, "host") != 0 &&
	       strcmp(name, "none") != 0;
}

/* A running container on a user-defined network: 1, or 0 with v->why. */
static int find_victim(struct ctx *ctx, struct dnsview_victim *v)
{
	json_object *list = NULL, *one = NULL, *x, *y;
	char err[256], url[128];
	const char *id = NULL;
	size_t n;
	int ret = 0;

	memset(v, 0, sizeof(*v));
	if (!ctx_api(ctx) || !ctx_api(ctx)->reachable) {
		snprintf(v->why, sizeof(v->why),
			 "the daemon API does not answer");
		return 0;
	}
	if (api_get_json(ctx, "/containers/json", 8 << 20, &list, err,
			 sizeof(err)) < 0) {
		snprintf(v->why, sizeof(v->why), "listing containers: %s", err);
		return 0;
	}
	n = json_object_is_type(list, json_type_array)
		    ? json_object_array_length(list)
		    : 0;
	for (size_t i = 0; i < n && !id; i++) {
		json_object *c = json_object_array_get_idx(list, i);

		if (!json_object_object_get_ex(c, "NetworkSettings", &x) ||
		    !json_object_object_get_ex(x, "Networks", &y) ||
		    !json_object_is_type(y, json_type_object))
			continue;
		json_object_object_foreach(y, key, val)
		{
			(void)val;
			if (!id && user_network(key)) {
				id = api_json_string(c, "Id");
				strscpy(v->network, key, sizeof(v->network));
			}
		}
	}
	if (!id || strlen(id) > 64) {
		snprintf(v->why, sizeof(v->why),
			 "no running container is on a user-defined network");
		goto out;
	}
	snprintf(url, sizeof(url), "/containers/%s/json", id);
	if (api_get_json(ctx, url, 8 << 20, &one, err, sizeof(err)) < 0) {
		snprintf(v->why, sizeof(v->why), "inspecting %.12s: %s", id,
			 err);
		goto out;
	}
	if (json_object_object_get_ex(one, "State", &x) &&
	    json_object_object_get_ex(x, "Pid", &y))
		v->pid = json_object_get_int(y);
	if (json_object_object_get_ex(one, "NetworkSettings", &x)) {
		const char *key = api_json_string(x, "SandboxKey");

		if (key)
			strscpy(v->sandbox, key, sizeof(v->sandbox));
	}
	{
		const char *name = api_json_string(one, "Name");

		strscpy(v->name,
			name && name[0] == '/' ? name + 1
			: name		       ? name
					       : "",
			sizeof(v->name));
	}
	/*
	 * The embedded DNS answers a container's name, and its short id (an
	 * alias on every network): the id when the name is no DNS name.
	 */
	{
		unsigned char q[DNSPROBE_MAX_QUERY];

		if (!v->name[0] ||
		    dnsprobe_build_query(q, sizeof(q), 0, v->name, DNS_TYPE_A) <
			    0)
			snprintf(v->name, sizeof(v->name), "%.12s", id);
	}
	ret = 1;
out:
	json_object_put(one);
	json_object_put(list);
	return ret;
}

/* Open the victim's network namespace: its pid, else its sandbox file. */
static int open_victim_ns(struct ctx *ctx, const struct dnsview_victim *v)
{
	const struct dockerd_proc *d = ctx_dockerd(ctx);
	char path[700];
	int fd = -ENOENT;

	if (v->pid > 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", v->pid);
		fd = path_open(&ctx->root, path, O_RDONLY);
	}
	if (fd < 0 && v->sandbox[0] == '/' && d) {
		/* the daemon's mount namespace holds the sandbox file */
		snprintf(path, sizeof(path), "/proc/%d/root%s", d->st.pid,
			 v->sandbox);
		fd = path_open(&ctx->root, path, O_RDONLY);
	}
	return fd;
}

/* --probe-dns: query every server containers use, and 127.0.0.11. */
int dnsview_probe(struct ctx *ctx, const struct dnsview *view,
		  struct dnsview_probes *ret)
{
	const struct rc_model *m = &view->m;
	struct dnsview_target *t = ret->t;
	struct dnsprobe all[DNSVIEW_MAX_TARGETS + 2];
	size_t n = 0, nall;
	long budget = ctx->opts->timeout_ms < PROBE_MAX_MS
			      ? ctx->opts->timeout_ms
			      : PROBE_MAX_MS;
	struct dnsview_victim *v = &ret->v;
	int nsfd = -1, r;
	bool have_victim;

	memset(ret, 0, sizeof(*ret));
	if (budget <= 0)
		budget = PROBE_MAX_MS;
	if (!m->bridge_err || m->bridge_err == -ENOENT)
		for (size_t i = 0; i < m->n_bridge && i < RC_MAX_USED; i++)
			/* a loopback 'dns' entry is the container's own */
			if (!rc_addr_is_loopback(&m->bridge[i].addr))
				add_target(t, &n, &m->bridge[i], true);
	for (size_t i = 0; i < m->n_user && i < RC_MAX_USED; i++)
		if (m->user[i].host_ns ||
		    !rc_addr_is_loopback(&m->user[i].addr))
			add_target(t, &n, &m->user[i], false);
	if (!ctx->is_root) {
		/* entering another network namespace takes CAP_SYS_ADMIN */
		memset(v, 0, sizeof(*v));
		snprintf(v->why, sizeof(v->why),
			 "entering a container's network namespace needs root");
		have_victim = false;
	} else {
		have_victim = find_victim(ctx, v) > 0;
	}
	if (have_victim) {
		nsfd = open_victim_ns(ctx, v);
		if (nsfd < 0) {
			snprintf(
				v->why, sizeof(v->why),
				"cannot open the network namespace of %s (pid %d): %s",
				v->name, v->pid, strerror(-nsfd));
			have_victim = false;
		}
	}
	for (size_t i = 0; i < n; i++)
		all[i] = t[i].p;
	nall = n;
	if (have_victim) {
		dnsprobe_init(&all[nall++], RC_EMBEDDED_DNS, 53, v->name,
			      DNS_TYPE_A, nsfd);
		dnsprobe_init(&all[nall++], RC_EMBEDDED_DNS, 53, ".",
			      DNS_TYPE_NS, nsfd);
	}
	r = nall ? dnsprobe_run(all, nall, budget) : 0;
	if (nsfd >= 0)
		close(nsfd);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		t[i].p = all[i];
	ret->n = n;
	ret->budget = budget;
	ret->have_victim = have_victim;
	if (have_victim) {
		ret->name = all[n];
		ret->fwd = all[n + 1];
	}
	return 0;
}

/* ---- words for the view ---- */

const char *dnsview_dns_source(const struct dnsview *fx)
{
	if (fx->dns_from_flag)
		return "--dns on the daemon's command line";
	return fx->config_file ? fx->config_file : "the daemon's 'dns' setting";
}

static bool nm_uses_dnsmasq(const struct dnsview *fx)
{
	return strcmp(fx->nm_dns, "dnsmasq") == 0;
}

/*
 * Which program is behind a loopback nameserver, as far as we can tell;
 * listening is rc_udp53_listening() of it.
 */
static void owner_of(const struct dnsview *fx, const struct rc_addr *a,
		     int listening, char *buf, size_t size)
{
	const char *none = listening == 0 ? ", nothing listens on its port 53"
					  : "";

	if (strcmp(a->text, RC_SYSTEMD_STUB) == 0)
		snprintf(buf, size, "systemd-resolved%s%s",
			 !fx->procs_known || fx->resolved_running
				 ? ""
				 : ", which is not running",
			 none);
	else if (nm_uses_dnsmasq(fx))
		snprintf(buf, size, "NetworkManager's dnsmasq%s%s",
			 !fx->procs_known || fx->n_dnsmasq
				 ? ""
				 : ", which is not running",
			 none);
	else if (fx->n_dnsmasq)
		snprintf(buf, size, "dnsmasq%s", none);
	else
		snprintf(buf, size, "a local resolver%s", none);
}

/* "127.0.0.1 (dnsmasq), ::1 (a local resolver)" */
void dnsview_fmt_loopback(const struct dnsview *fx, const struct rc_addr *a,
			  const int *listening, size_t n, char *buf,
			  size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++) {
		char who[160];

		owner_of(fx, &a[i], listening[i], who, sizeof(who));
		len += snprintf(buf + len, size - len, "%s%s (%s)",
				i ? ", " : "", a[i].text, who);
	}
}

/* Where dns=dnsmasq is set, for the remedy. */
const char *dnsview_nm_file(const struct dnsview *fx)
{
	static const char main_conf[] =
		"/etc/NetworkManager/NetworkManager.conf";

	return nm_uses_dnsmasq(fx) && fx->nm_where[0] ? fx->nm_where
						      : main_conf;
}

/* "/etc/resolv.conf is a dangling symlink to ...", "... lists no nameserver" */
void dnsview_fmt_file_state(const char *path, int err, const char *target,
			    bool read, const struct rc_file *f, char *buf,
			    size_t size)
{
	if (err == -ENOENT && target[0])
		snprintf(buf, size,
			 "%s is a dangling symlink to %s, which does not exist",
			 path, target);
	else if (err == -ENOENT)
		snprintf(buf, size, "%s does not exist", path);
	else if (err)
		snprintf(buf, size, "%s cannot be read (%s)", path,
			 strerror(-err));
	else if (read && f->n_ns_total == 0)
		snprintf(buf, size, "%s lists no nameserver", path);
	else
		snprintf(buf, size, "%s", path);
}

/* Is the program behind a loopback server known not to run? */
static bool owner_down(const struct dnsview *fx, const struct rc_addr *a)
{
	if (!fx->procs_known)
		return false;
	if (strcmp(a->text, RC_SYSTEMD_STUB) == 0)
		return !fx->resolved_running;
	return nm_uses_dnsmasq(fx) && !fx->n_dnsmasq;
}

/*
 * Does a local resolver answer on one of the dropped loopback servers in
 * the host's namespace? 1 yes, 0 nothing listens on any, -1 unknown.
 */
int dnsview_loopback_listening(const struct dnsview *fx)
{
	const struct rc_model *m = &fx->m;
	int ret = 0;

	for (size_t i = 0; i < m->n_dropped_loopback; i++) {
		const struct rc_addr *a = &m->dropped_loopback[i];
		int r = fx->dropped_listening[i];

		/* no socket table: the program we expect there is not running */
		if (r < 0 && owner_down(fx, a))
			r = 0;

		if (r > 0)
			return 1;
		if (r < 0)
			ret = -1;
	}
	return m->n_dropped_loopback ? ret : -1;
}

/* "default-bridge containers use it" */
const char *dnsview_used_by(const struct dnsview_target *t)
{
	if (t->bridge && t->user)
		return "default-bridge containers and the embedded DNS of user-defined networks use it";
	if (t->bridge)
		return "default-bridge containers use it";
	return "the embedded DNS of user-defined networks uses it";
}

/* ---- evidence ---- */

/* bridge_nameservers, bridge_search, bridge_options (or user_...). */
static void add_conf_evidence(struct finding *f, const char *kind,
			      const struct rc_conf *c, int err)
{
	char key[32];

	if (err && err != -ENOENT)
		return; /* those containers do not start */
	snprintf(key, sizeof(key), "%s_nameservers", kind);
	finding_add_evidence(f, key, "%s", c->nameservers);
	snprintf(key, sizeof(key), "%s_search", kind);
	finding_add_evidence(f, key, "%s", c->search);
	snprintf(key, sizeof(key), "%s_options", kind);
	finding_add_evidence(f, key, "%s", c->options);
}

/* An epoch time in seconds as RFC 3339. */
static void fmt_epoch(long long t, char *buf, size_t size)
{
	format_time_us((int64_t)t * 1000000, false, buf, size);
}

/* "/etc/resolv.conf (chosen when dockerd started, unchanged since)" */
void dnsview_fmt_choice(const struct dnsview *fx, char *buf, size_t size)
{
	const char *file = fx->m.stub_rule ? RC_SYSTEMD_PATH : RC_ETC_PATH;
	char start[64], changed[64];

	fmt_epoch(fx->daemon_start, start, sizeof(start));
	fmt_epoch(fx->etc_changed_at, changed, sizeof(changed));
	if (!fx->daemon_start)
		snprintf(
			buf, size,
			"%s (no running dockerd seen: chosen at its next start)",
			file);
	else if (!fx->etc_changed)
		snprintf(
			buf, size,
			"%s (chosen when dockerd started at %s; /etc/resolv.conf unchanged since)",
			file, start);
	else
		snprintf(
			buf, size,
			"unknown: /etc/resolv.conf changed at %s, after dockerd started at %s and chose; %s assumed (what a restart chooses)",
			changed, start, file);
}

/* The evidence every dns.resolver finding carries. */
void dnsview_add_evidence(struct finding *f, const struct dnsview *fx)
{
	char buf[1024];
	const struct rc_model *m = &fx->m;

	finding_add_evidence(f, "host_file", "%s%s%s", RC_ETC_PATH,
			     fx->etc_target[0] ? " -> " : "", fx->etc_target);
	if (fx->etc_read) {
		rc_format_addrs(fx->etc.ns, fx->etc.n_ns, buf, sizeof(buf));
		finding_add_evidence(f, "host_nameservers", "%s", buf);
	} else {
		finding_add_evidence(f, "host_nameservers", "unreadable: %s",
				     strerror(-fx->etc_err));
	}
	finding_add_evidence(f, "default_bridge_source", "%s",
			     m->dns_override ? "daemon 'dns'" : m->bridge_file);
	if (m->bridge_err && m->bridge_err != -ENOENT)
		snprintf(buf, sizeof(buf), "containers do not start: %s",
			 strerror(-m->bridge_err));
	else
		rc_format_servers(m->bridge, m->n_bridge, RC_MAX_USED, buf,
				  sizeof(buf));
	finding_add_evidence(f, "default_bridge", "%s%s", buf,
			     m->bridge_fallback ? " (Docker's fallback)" : "");
	if (m->user_err && m->user_err != -ENOENT)
		snprintf(buf, sizeof(buf), "containers do not start: %s",
			 strerror(-m->user_err));
	else
		rc_format_servers(m->user, m->n_user, RC_MAX_USED, buf,
				  sizeof(buf));
	finding_add_evidence(f, "user_defined_upstreams", "%s%s", buf,
			     m->user_fallback ? " (Docker's fallback)" : "");
	if (fx->dns && fx->dns[0]) {
		char *j = strv_join_masked(fx->dns, 512);

		finding_add_evidence(f, "daemon_dns", "%s", j ? j : "?");
		free(j);
	} else {
		finding_add_evidence(f, "daemon_dns", "not set");
	}
	finding_add_evidence(f, "ipv6", "%s", fx->ipv6 ? "true" : "false");
	finding_add_evidence(f, "docker_version", "%u.%u: %s",
			     fx->version / 100, fx->version % 100,
			     fx->version_src ? fx->version_src : "?");
	if (fx->procs_known) {
		if (fx->n_dnsmasq)
			finding_add_evidence(f, "dnsmasq", "running (%zu)",
					     fx->n_dnsmasq);
		else
			finding_add_evidence(f, "dnsmasq", "not running");
		finding_add_evidence(f, "systemd_resolved", "%s",
				     fx->resolved_running ? "running"
							  : "not running");
	} else {
		finding_add_evidence(f, "dnsmasq", "unknown (no process list)");
	}
	if (fx->nm_dns[0])
		finding_add_evidence(f, "networkmanager_dns", "%s (%s)",
				     fx->nm_dns, fx->nm_where);
	for (int i = 0; i < 2; i++) {
		char *const *v = i ? fx->dns_opts : fx->dns_search;
		char *j = v && v[0] ? strv_join_masked(v, 512) : NULL;

		if (j)
			finding_add_evidence(
				f, i ? "daemon_dns_opts" : "daemon_dns_search",
				"%s", j);
		free(j);
	}
	dnsview_fmt_choice(fx, buf, sizeof(buf));
	finding_add_evidence(f, "host_file_choice", "%s", buf);
	add_conf_evidence(f, "bridge", &m->bridge_conf, m->bridge_err);
	add_conf_evidence(f, "user", &m->user_conf, m->user_err);
}
