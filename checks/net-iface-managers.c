// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * net.iface-managers: does a network manager (systemd-networkd,
 * NetworkManager, netplan, netscript) manage Docker's interfaces? Seed 001
 * ("Docker networks disappear"): a manager that takes over docker0, br-*
 * or veth* removes addresses and routes it did not configure, so bridges
 * lose their gateway and containers their connectivity at random.
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

#define ID "net.iface-managers"
#define MAX_WARN_LINES 5

static const char networkd_fix[] =
	"Create /etc/systemd/network/05-docker.network, sorting before %s (networkd applies only the first matching file, in name order), with:\n"
	"[Match]\n"
	"Name=docker0 br-* veth*\n"
	"[Link]\n"
	"Unmanaged=yes\n"
	"then run 'networkctl reload' (or 'systemctl restart systemd-networkd') and 'systemctl restart docker'; 'networkctl' must list them as unmanaged (seed 001). Or narrow the [Match] of %s to the real uplinks (e.g. Name=en*).";

/* Interfaces grouped by the setting that makes a manager take them. */
struct group {
	char *key; /* file or reason */
	char **names; /* "docker0", "br-0123456789ab (not created yet)" */
	bool live; /* the manager's live state says so */
	bool maybe;
	const char *why;
	const struct netcfg_nd_file *file;
	struct netcfg_nm_verdict nm;
};

struct groups {
	struct group *v;
	size_t n;
};

static void groups_release(struct groups *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].key);
		strv_free(g->v[i].names);
	}
	free(g->v);
	*g = (struct groups){ 0 };
}

static struct group *group_get(struct groups *g, const char *key)
{
	struct group *nv;

	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->v[i].key, key) == 0)
			return &g->v[i];
	nv = realloc(g->v, (g->n + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	g->v = nv;
	nv = &g->v[g->n];
	*nv = (struct group){ .key = strdup(key) };
	if (!nv->key)
		return NULL;
	g->n++;
	return nv;
}

/* Push an interface's name, "(not created yet)" for a sample. */
static void push_if_name(char ***names, const struct netcfg_if *it)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s%s", it->name,
		 it->sample ? " (not created yet)" : "");
	strv_push(names, buf);
}

static void group_add(struct group *grp, const struct netcfg_if *it)
{
	if (!grp)
		return;
	push_if_name(&grp->names, it);
}

/* "a, b, c" of at most 8 names; the caller frees. */
static char *join_names(char **names)
{
	size_t n = strv_length(names), len = 0;
	char *s = malloc(1024);

	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < n && i < 8 && len < 1024; i++)
		len += snprintf(s + len, 1024 - len, "%s%s", i ? ", " : "",
				names[i]);
	if (n > 8 && len < 1024)
		snprintf(s + len, 1024 - len, " and %zu more", n - 8);
	return s;
}

struct mgr {
	struct ctx *ctx;
	struct report *r;
	struct nsview *view; /* the daemon's namespace and files */
	struct netcfg_iflist ifs;
	struct netcfg_networkd nd;
	struct netcfg_nm nm;
	struct netcfg_netplan np;
	const struct procstat *networkd, *nmd;
	int problems; /* warnings and criticals */
	int notes; /* info findings about a manager */
	char **nd_netplan_ids; /* netplan ids reported through networkd */
	char **ok_notes; /* for the ok finding */
};

/* Count a finding about a manager: a note when info, else a problem. */
static void count_finding(struct mgr *m, enum severity sev)
{
	if (sev == SEV_INFO)
		m->notes++;
	else
		m->problems++;
}

/* The netplan definition a generated networkd file comes from. */
static const struct netcfg_np_def *netplan_source(const struct mgr *m,
						  const char *path)
{
	const char *p = "/run/systemd/network/10-netplan-";

	if (!path || !startswith(path, p))
		return NULL;
	for (size_t i = 0; i < m->np.n; i++) {
		size_t len = strlen(m->np.defs[i].id);

		if (strncmp(path + strlen(p), m->np.defs[i].id, len) == 0 &&
		    strcmp(path + strlen(p) + len, ".network") == 0)
			return &m->np.defs[i];
	}
	return NULL;
}

/* A later file with Unmanaged=yes that the first match hides. */
static const struct netcfg_nd_file *shadowed_unmanaged(const struct mgr *m,
						       const struct group *g)
{
	bool after = false;

	for (size_t i = 0; g->file && i < m->nd.n; i++) {
		const struct netcfg_nd_file *f = &m->nd.files[i];

		if (f == g->file) {
			after = true;
			continue;
		}
		if (after && f->unmanaged == 1)
			for (size_t j = 0; j < m->ifs.n; j++)
				if (netcfg_nd_match(f, m->ifs.v[j].name,
						    m->ifs.v[j].kind,
						    NULL) != NETCFG_NO)
					return f;
	}
	return NULL;
}

/* ---- systemd-networkd --------------------------------------------------- */

/* The line number of a file's [Match] setting ("FILE:LINE"), or NULL. */
static const char *match_line(const struct netcfg_nd_file *f)
{
	const char *c = f && f->match_src ? strrchr(f->match_src, ':') : NULL;

	return c && strncmp(f->match_src, f->path, strlen(f->path)) == 0 ? c + 1
									 : NULL;
}

static void networkd_judge(struct mgr *m, struct groups *gs)
{
	bool live_ok = m->networkd &&
		       nsview_same_netns(m->view, m->networkd->pid) != 0;

	for (size_t i = 0; i < m->ifs.n; i++) {
		const struct netcfg_if *it = &m->ifs.v[i];
		struct netcfg_nd_link link = { 0 };
		const struct netcfg_nd_file *f;
		enum netcfg_match mt;
		const char *why = NULL;
		struct group *g;

		if (live_ok && it->exists && it->ifindex > 0 &&
		    netcfg_networkd_link(m->view->files, it->ifindex, &link) ==
			    0) {
			bool managed = strcmp(link.admin_state, "unmanaged") &&
				       strcmp(link.admin_state, "linger") &&
				       link.network_file;

			if (managed) {
				char key[4200];

				/* live and predicted interfaces apart */
				snprintf(key, sizeof(key), "live:%s",
					 link.network_file);
				g = group_get(gs, key);
				if (g) {
					g->live = true;
					g->file = netcfg_networkd_find(
						&m->nd, link.network_file);
				}
				group_add(g, it);
			}
			netcfg_nd_link_release(&link);
			if (managed ||
			    strcmp(link.admin_state, "unmanaged") == 0)
				continue;
		}
		f = netcfg_networkd_first(&m->nd, it->name, it->kind, &mt,
					  &why);
		if (!f || f->unmanaged == 1)
			continue;
		g = group_get(gs, f->path);
		if (g) {
			g->file = f;
			g->maybe |= mt == NETCFG_MAYBE;
			if (why && !g->why)
				g->why = why;
		}
		group_add(g, it);
	}
}

static void networkd_report(struct mgr *m)
{
	struct groups gs = { 0 };

	networkd_judge(m, &gs);
	for (size_t i = 0; i < gs.n; i++) {
		struct group *g = &gs.v[i];
		const char *path = g->live ? g->key + 5 : g->key;
		const struct netcfg_np_def *np = netplan_source(m, path);
		const struct netcfg_nd_file *later = shadowed_unmanaged(m, g);
		enum severity sev;
		struct finding *f;
		char *names = join_names(g->names);

		/*
		 * Not critical even when the live state shows a bridge
		 * configured: networkd 252 was seen keeping Docker's IPv4
		 * address and routes across configure and restart; the harm
		 * is what the file applies (DHCP, link-local, sysctls) and
		 * what a reload or a later version does.
		 */
		sev = m->networkd ? SEV_WARNING : SEV_INFO;
		count_finding(m, sev);
		if (g->live)
			f = report_add(
				m->r, ID, sev,
				"systemd-networkd configures %s right now with %s (its live state in /run/systemd/netif/links): it applies that file's [Network] settings (DHCP, IPv6 link-local, forwarding and other per-link sysctls) to Docker's interfaces and reconfigures them on every reload",
				names ? names : "?", path);
		else
			f = report_add(
				m->r, ID, sev,
				"systemd-networkd%s %s %s through %s: it is the first .network file whose [Match]%s%s catches them, and it does not set Unmanaged=yes",
				m->networkd ? "" : " (not running) would",
				g->maybe      ? "may manage"
				: m->networkd ? "manages"
					      : "manage",
				names ? names : "?", path,
				match_line(g->file) ? " at line " : "",
				match_line(g->file) ? match_line(g->file) : "");
		finding_set_detail(
			f,
			"networkd applies the first .network file, in file-name order across /etc, /run and /usr/lib, whose [Match] fits a link and ignores every later one; a catch-all such as Name=* in an early file beats a later docker.network with Unmanaged=yes.%s%s",
			g->why ? " Not decidable from the files: " : "",
			g->why ? g->why : "");
		finding_add_evidence(f, "manager", "systemd-networkd");
		finding_add_evidence(f, "network_file", "%s", path);
		finding_add_evidence(f, "interfaces", "%s", names ? names : "");
		finding_add_evidence(f, "from", "%s",
				     g->live ? "live state" : "configuration");
		if (m->networkd)
			finding_add_evidence(f, "pid", "%d", m->networkd->pid);
		if (g->file && g->file->match_src)
			finding_add_evidence(f, "match", "%s",
					     g->file->match_src);
		if (later)
			finding_add_evidence(
				f, "ignored_unmanaged_file",
				"%s (Unmanaged=yes) comes after %s and is ignored",
				later->path, path);
		if (np) {
			finding_add_evidence(f, "netplan_source", "%s",
					     np->src);
			strv_push(&m->nd_netplan_ids, np->id);
			finding_set_remedy(
				f,
				"%s is generated by netplan from the definition '%s' at %s: make it match only the real uplinks (e.g. match: name: en*), then run 'netplan apply' and 'systemctl restart docker' (seed 001, netplan). Also keep networkd off Docker's interfaces with /etc/systemd/network/05-docker.network ([Match] Name=docker0 br-* veth*, [Link] Unmanaged=yes).",
				path, np->id, np->src);
		} else if (later) {
			finding_set_remedy(
				f,
				"Rename %s so that it sorts before %s (e.g. /etc/systemd/network/05-docker.network): networkd applies only the first matching file. Then 'networkctl reload' and 'systemctl restart docker'.",
				later->path, path);
		} else {
			finding_set_remedy(f, networkd_fix, path, path);
		}
		free(names);
	}
	if (m->networkd || m->nd.n) {
		char note[160];

		snprintf(note, sizeof(note),
			 "systemd-networkd %s, %zu .network file%s",
			 m->networkd ? "running" : "not running", m->nd.n,
			 m->nd.n == 1 ? "" : "s");
		strv_push(&m->ok_notes, note);
	}
	groups_release(&gs);
}

/* ---- NetworkManager ------------------------------------------------------ */

static const char *nm_reason(const struct netcfg_nm_verdict *v)
{
	switch (v->reason) {
	case NETCFG_NM_DEVICE_SECTION:
		return "a [device] section sets managed=1";
	case NETCFG_NM_EXTERNAL:
		return "nothing marks them unmanaged, and NetworkManager takes over an externally created bridge once it is up with an address ('connected (externally)')";
	case NETCFG_NM_DEFAULT:
		return "nothing marks them unmanaged";
	default:
		return "";
	}
}

static void nm_report(struct mgr *m)
{
	bool live_ok = m->nmd && nsview_same_netns(m->view, m->nmd->pid) != 0;
	bool ifupdown = strv_contains(m->nm.plugins, "ifupdown");
	struct groups gs = { 0 };

	if (!m->nmd && !m->nm.files)
		return;
	for (size_t i = 0; i < m->ifs.n; i++) {
		const struct netcfg_if *it = &m->ifs.v[i];
		struct netcfg_nm_verdict v;
		struct group *g;
		int live = -ENOENT;

		if (live_ok && it->exists && it->ifindex > 0)
			live = netcfg_nm_device_state(m->view->files,
						      it->ifindex);
		if (live == 1) {
			g = group_get(&gs, "live");
			if (g)
				g->live = true;
			group_add(g, it);
			continue;
		}
		if (live == 0 || live == -1)
			continue;
		netcfg_nm_judge(&m->nm, it->name, it->kind, &v);
		if (!v.managed)
			continue;
		g = group_get(&gs, v.src ? v.src : nm_reason(&v));
		if (g)
			g->nm = v;
		group_add(g, it);
	}
	for (size_t i = 0; i < gs.n; i++) {
		struct group *g = &gs.v[i];
		enum severity sev = m->nmd ? SEV_WARNING : SEV_INFO;
		char *names = join_names(g->names);
		struct finding *f;

		count_finding(m, sev);
		if (g->live)
			f = report_add(
				m->r, ID, sev,
				"NetworkManager (pid %d) manages %s right now (/run/NetworkManager/devices: managed=true)",
				m->nmd->pid, names ? names : "?");
		else
			f = report_add(
				m->r, ID, sev, "NetworkManager%s %s%s: %s%s%s",
				m->nmd ? "" : " (not running)",
				m->nmd ? "takes over " : "would take over ",
				names ? names : "?", nm_reason(&g->nm),
				g->nm.src ? " at " : "",
				g->nm.src ? g->nm.src : "");
		finding_set_detail(
			f,
			"A device is left alone only when [keyfile] unmanaged-devices names it, when the ifupdown plugin (with [ifupdown] managed=false) finds it in /etc/network/interfaces, when a [device] section sets managed=0, or (veth) by NetworkManager's udev rule. Read: %zu configuration file%s.",
			strv_length(m->nm.files),
			strv_length(m->nm.files) == 1 ? "" : "s");
		finding_add_evidence(f, "manager", "NetworkManager");
		finding_add_evidence(f, "interfaces", "%s", names ? names : "");
		finding_add_evidence(f, "from", "%s",
				     g->live ? "live state" : "configuration");
		if (m->nmd)
			finding_add_evidence(f, "pid", "%d", m->nmd->pid);
		if (m->nm.unmanaged_devices)
			finding_add_evidence(f, "unmanaged_devices", "%s (%s)",
					     m->nm.unmanaged_devices,
					     m->nm.unmanaged_src);
		finding_add_evidence(f, "plugins", "%s",
				     ifupdown ? "ifupdown" : "no ifupdown");
		finding_set_remedy(
			f,
			"%sMark Docker's interfaces unmanaged: create /etc/NetworkManager/conf.d/99-docker.conf with\n"
			"[keyfile]\n"
			"unmanaged-devices+=interface-name:docker0;interface-name:br-*;interface-name:veth*\n"
			"then 'systemctl reload NetworkManager'; 'nmcli device' must show them unmanaged. %s",
			g->nm.reason == NETCFG_NM_DEVICE_SECTION
				? "Remove the managed=1 setting named above, or make its match-device exclude Docker's interfaces. "
				: "",
			ifupdown
				? "For docker0 alone, the seed's /etc/network/interfaces.d/20-docker0 with 'iface docker0 inet manual' works too (with [ifupdown] managed=false and 'source /etc/network/interfaces.d/*' in /etc/network/interfaces), then 'systemctl restart NetworkManager'; it cannot cover br-* (the plugin skips names starting with br) or veth*."
				: "The seed's /etc/network/interfaces.d/20-docker0 ('iface docker0 inet manual') works only with plugins=ifupdown,keyfile in [main].");
		free(names);
	}
	{
		char note[160];

		snprintf(note, sizeof(note),
			 "NetworkManager %s, %zu configuration file%s",
			 m->nmd ? "running" : "not running",
			 strv_length(m->nm.files),
			 strv_length(m->nm.files) == 1 ? "" : "s");
		strv_push(&m->ok_notes, note);
	}
	groups_release(&gs);
}

/* ---- netplan ------------------------------------------------------------- */

static void netplan_report(struct mgr *m)
{
	for (size_t i = 0; i < m->np.n; i++) {
		const struct netcfg_np_def *d = &m->np.defs[i];
		bool nm = strcmp(d->renderer, "NetworkManager") == 0;
		bool running = nm ? m->nmd != NULL : m->networkd != NULL;
		enum severity sev = running ? SEV_WARNING : SEV_INFO;
		char **names = NULL, *joined;
		struct finding *f;

		if (strv_contains(m->nd_netplan_ids, d->id))
			continue;
		for (size_t j = 0; j < m->ifs.n; j++)
			if (netcfg_np_match(d, m->ifs.v[j].name,
					    m->ifs.v[j].kind) == NETCFG_YES)
				push_if_name(&names, &m->ifs.v[j]);
		if (!names)
			continue;
		joined = join_names(names);
		count_finding(m, sev);
		f = report_add(m->r, ID, sev,
			       "netplan %s '%s' at %s (renderer %s%s) %s %s",
			       d->virtual_dev ? "creates the device"
					      : "definition",
			       d->id, d->src, d->renderer,
			       running ? "" : ", not running",
			       d->virtual_dev ? "with the name of" : "matches",
			       joined ? joined : "?");
		finding_add_evidence(f, "manager", "netplan");
		finding_add_evidence(f, "definition", "%s", d->id);
		finding_add_evidence(f, "file", "%s", d->src);
		finding_add_evidence(f, "renderer", "%s", d->renderer);
		finding_add_evidence(f, "interfaces", "%s",
				     joined ? joined : "");
		finding_set_remedy(
			f,
			"Make the definition at %s match only the real uplinks, e.g. 'match: name: en*' (seed 001, 'prevent Netplan from overriding the network configuration'), and unmanage Docker's interfaces in %s as well; then 'netplan apply' and 'systemctl restart docker'.",
			d->src, nm ? "NetworkManager" : "systemd-networkd");
		free(joined);
		strv_free(names);
	}
	if (m->np.files) {
		char note[96];

		snprintf(note, sizeof(note), "netplan %zu file%s",
			 strv_length(m->np.files),
			 strv_length(m->np.files) == 1 ? "" : "s");
		strv_push(&m->ok_notes, note);
	}
}

/* ---- netscript ----------------------------------------------------------- */

static void netscript_report(struct mgr *m)
{
	static const char *const pkgs[] = { "netscript-2.4",
					    "netscript-ipfilter", NULL };
	char **found = NULL;
	int n = netcfg_dpkg_installed(m->view->files, pkgs, &found);

	for (int i = 0; i < n; i++) {
		struct finding *f = report_add(
			m->r, ID, SEV_WARNING,
			"package %s is installed (/var/lib/dpkg/status): netscript reconfigures the host's interfaces and is known to take Docker's networks down",
			found[i]);

		m->problems++;
		finding_add_evidence(f, "manager", "netscript");
		finding_add_evidence(f, "package", "%s", found[i]);
		finding_set_remedy(
			f,
			"Uninstall it (seed 001): apt-get remove %s, then 'systemctl restart docker'.",
			found[i]);
	}
	strv_free(found);
}

/* Unreadable files (unknown) and ignored lines (info). */
static void report_warnings(struct mgr *m, char **w, const char *what)
{
	size_t odd = 0;
	const char *first_odd = NULL;

	for (size_t i = 0; w && w[i]; i++) {
		if (startswith(w[i], "cannot read")) {
			struct finding *f = report_add(m->r, ID, SEV_UNKNOWN,
						       "%s: %s", what, w[i]);

			finding_add_evidence(f, "manager", "%s", what);
			continue;
		}
		if (!odd++)
			first_odd = w[i];
	}
	if (odd) {
		struct finding *f = report_add(
			m->r, ID, SEV_INFO, "%s: %zu line%s ignored, first: %s",
			what, odd, odd == 1 ? "" : "s", first_odd);

		finding_add_evidence(f, "manager", "%s", what);
	}
}

static void report_ok(struct mgr *m)
{
	char *notes = NULL, names[512] = "";
	size_t len = 0, n = 0;
	struct finding *f;

	for (size_t i = 0; i < m->ifs.n && len < sizeof(names); i++) {
		if (!m->ifs.v[i].exists)
			continue;
		n++;
		if (n <= 6)
			len += snprintf(names + len, sizeof(names) - len,
					"%s%s", len ? ", " : "",
					m->ifs.v[i].name);
	}
	for (size_t i = 0; m->ok_notes && m->ok_notes[i]; i++) {
		char *s = NULL;

		if (asprintf(&s, "%s%s%s", notes ? notes : "",
			     notes ? "; " : "", m->ok_notes[i]) < 0)
			break;
		free(notes);
		notes = s;
	}
	f = report_add(
		m->r, ID, SEV_OK,
		"no running network manager manages Docker's interfaces (%s)",
		notes ? notes : "none found");
	finding_add_evidence(f, "managers", "%s", notes ? notes : "none");
	finding_add_evidence(f, "interfaces", "%zu", n);
	if (n)
		finding_add_evidence(f, "existing", "%s", names);
	if (m->ifs.default_bridge[0])
		finding_add_evidence(f, "default_bridge", "%s",
				     m->ifs.default_bridge);
	free(notes);
}

/* A manager in another network namespace does not touch the daemon's. */
static const struct procstat *manager(struct mgr *m, const char *comm)
{
	const struct procstat *p = ctx_process(m->ctx, comm, NULL);

	return p && nsview_same_netns(m->view, p->pid) == 0 ? NULL : p;
}

/* Gather the daemon's interfaces and the managers' files. */
static int gather(struct mgr *m)
{
	struct ctx *ctx = m->ctx;
	const struct dockerd_proc *d = ctx_dockerd(ctx);
	char *const *extra = d ? ctx_api_bridges(ctx) : NULL;
	char err[512];
	int ret;

	ret = nsview_new(&ctx->root, d ? d->st.pid : 0, ctx->opts->timeout_ms,
			 &m->view);
	if (ret < 0)
		return ctx_error(ctx, ret, "cannot read the network: %s",
				 strerror(-ret));
	if (m->view->err) {
		nsview_strerror(m->view, err, sizeof(err));
		return ctx_error(ctx, m->view->err, "%s", err);
	}
	ret = nsview_docker_ifaces(m->view, ctx_effective(ctx)->bridge, extra,
				   extra != NULL, &m->ifs);
	if (ret < 0)
		return ctx_error(ctx, ret,
				 "cannot list Docker's interfaces: %s",
				 strerror(-ret));
	ret = netcfg_networkd_load(m->view->files, &m->nd);
	if (ret == 0)
		ret = netcfg_nm_load(m->view->files, &m->nm);
	if (ret == 0)
		ret = netcfg_netplan_load(m->view->files, &m->np);
	if (ret < 0)
		return ctx_error(ctx, ret,
				 "cannot read the network managers' files: %s",
				 strerror(-ret));
	m->networkd = manager(m, "systemd-network");
	m->nmd = manager(m, "NetworkManager");
	return 0;
}

static int run(struct ctx *ctx, struct report *r)
{
	struct mgr m = { .ctx = ctx, .r = r };
	size_t first = r->n_findings;
	int ret = gather(&m);

	if (ret < 0)
		goto out;
	if (m.ifs.sys_err && m.ifs.sys_err != -ENOENT) {
		struct finding *f = report_add(
			r, ID, SEV_UNKNOWN,
			"cannot list /sys/class/net: %s; only the names Docker uses are judged",
			strerror(-m.ifs.sys_err));

		finding_add_evidence(f, "file", "/sys/class/net");
	}
	networkd_report(&m);
	nm_report(&m);
	netplan_report(&m);
	netscript_report(&m);
	report_warnings(&m, m.nd.warnings, "systemd-networkd");
	report_warnings(&m, m.nm.warnings, "NetworkManager");
	report_warnings(&m, m.np.warnings, "netplan");
	if (!m.problems)
		report_ok(&m);
	nsview_add_evidence(m.view, r, first, ID);
out:
	strv_free(m.nd_netplan_ids);
	strv_free(m.ok_notes);
	netcfg_netplan_release(&m.np);
	netcfg_nm_release(&m.nm);
	netcfg_networkd_release(&m.nd);
	netcfg_iflist_release(&m.ifs);
	nsview_free(m.view);
	return ret;
}

const struct check check_net_iface_managers = {
	.id = ID,
	.summary =
		"network managers (networkd, NetworkManager, netplan) grabbing Docker's links",
	.explain =
		"Judges every Docker interface, the existing ones in /sys/class/net\n"
		"(docker0 or the daemon's \"bridge\", br-<id>, veth*, bridges the API\n"
		"names) and the names Docker will create later (br-0123456789ab,\n"
		"veth1234567), against each network manager:\n"
		"- systemd-networkd: its live state /run/systemd/netif/links/IFINDEX\n"
		"  when it runs, else the first .network file (by name across /etc,\n"
		"  /run, /usr/local/lib, /usr/lib and /lib systemd/network, with\n"
		"  masking and drop-ins) whose [Match] catches the name and that does\n"
		"  not set [Link] Unmanaged=yes. networkd applies only the first\n"
		"  matching file, so a catch-all in 10-foo.network beats a later\n"
		"  docker.network with Unmanaged=yes; the check says so.\n"
		"- NetworkManager: its live state /run/NetworkManager/devices/IFINDEX\n"
		"  when it runs, else its configuration (conf.d precedence,\n"
		"  [keyfile] unmanaged-devices with except:, the ifupdown plugin's\n"
		"  /etc/network/interfaces, [device] managed=, the udev rule that\n"
		"  leaves veth alone). An external bridge that nothing marks\n"
		"  unmanaged is taken over once it is up with an address.\n"
		"- netplan: definitions in /etc, /run and /lib netplan/*.yaml whose id\n"
		"  or match: catches Docker's names (file and line).\n"
		"- netscript: the netscript-2.4 or netscript-ipfilter package.\n"
		"The interfaces are those of the daemon's network namespace (read from\n"
		"a child that enters it when it is not the tool's), only its own\n"
		"bridges when its API names them, and the managers' files are read\n"
		"through /proc/PID/root when its mount namespace differs; a manager\n"
		"running in another network namespace does not count. The evidence\n"
		"'view' says which namespace was read.\n"
		"\n"
		"Why it matters (seed 001, 'Docker networks disappear'): a manager\n"
		"that takes over Docker's interfaces applies its own settings to them\n"
		"(DHCP, IPv6 link-local, per-link sysctls such as forwarding), may\n"
		"reconfigure or take them down on a reload, and can drop addresses\n"
		"and routes it did not configure, so docker0 or a user-defined bridge\n"
		"loses its gateway and containers lose their network at random.\n"
		"\n"
		"Findings:\n"
		"- warning: a running manager manages (its live state says so), or by\n"
		"  its files will manage, a Docker interface, naming the file and line;\n"
		"  netscript installed.\n"
		"- info: the files of a manager that is not running would manage them.\n"
		"- unknown: a configuration file that cannot be read.\n"
		"- ok: the managers found, and that Docker's interfaces are unmanaged.\n"
		"\n"
		"How to fix (seed 001): systemd-networkd:\n"
		"/etc/systemd/network/05-docker.network with [Match]\n"
		"Name=docker0 br-* veth* and [Link] Unmanaged=yes, sorting before\n"
		"any catch-all, then 'networkctl reload'. NetworkManager: in\n"
		"/etc/NetworkManager/conf.d/99-docker.conf, [keyfile] and\n"
		"unmanaged-devices+=interface-name:docker0;interface-name:br-*;interface-name:veth*\n"
		"then 'systemctl reload NetworkManager', or (ifupdown plugin)\n"
		"/etc/network/interfaces.d/20-docker0 with 'iface docker0 inet\n"
		"manual'. netplan: match only the real uplinks (match: name: en*),\n"
		"then 'netplan apply'. netscript: apt-get remove netscript-2.4.\n"
		"Restart docker afterwards.\n",
	.run = run,
};
