// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netns.stranded: daemon threads left in network namespaces that no live
 * sandbox owns (seed 000). Go threads that entered a container's namespace
 * and never came back keep that namespace alive after the container is
 * gone; network I/O scheduled on them fails with "network is unreachable".
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/check.h"
#include "core/context.h"
#include "net/netlink.h"
#include "net/netns.h"
#include "core/util.h"

#define ID "netns.stranded"
#define MAX_NS_FINDINGS 32
#define MAX_TARGETS 64

struct target {
	int pid;
	bool is_dockerd;
	const char *exec_root; /* dockerd only */
};

static const char remedy_stranded[] =
	"Restart the daemon (systemctl restart docker); with \"live-restore\": true in daemon.json running containers survive the restart. Upgrade to Docker 24 or later, where moby PR #44356 fixed the known causes (a thread whose namespace cannot be restored is destroyed). After the restart, check that 'docker pull' works every time.";

/*
 * The remedy for stranded threads: restarting docker.service helps the
 * daemon examined, not a process named with --process (another Go daemon,
 * a second dockerd): that one is restarted the way it was started.
 */
static void set_remedy(struct finding *f, const struct target *t,
		       const struct netns_sample *s, const char *before)
{
	if (t->is_dockerd) {
		finding_set_remedy(f, "%s%s", before, remedy_stranded);
		return;
	}
	finding_set_remedy(
		f,
		"%sRestart %s (pid %d) the way it was started (its service manager: systemctl status %d names its unit, if any); only exiting frees a thread that cannot return to its own namespace. If it is a Go program, the same bug as dockerd's is likely: a goroutine that called setns() on a locked OS thread and did not restore it; upgrade it, or report it to its authors with the evidence below.",
		before, s->comm, s->pid, s->pid);
}

/* "1234, 1240 (+3 more)" */
static void fmt_tids(const struct netns_group *g, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < g->n_tids && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%d", i ? ", " : "",
				g->tids[i]);
	if (g->n_threads > g->n_tids && len < size)
		snprintf(buf + len, size - len, " (+%zu more)",
			 g->n_threads - g->n_tids);
}

/* Thread start time as ISO-8601, from ticks after boot. */
static void fmt_start(const struct daemon_set *ds, unsigned long long ticks,
		      char *buf, size_t size)
{
	struct procstat st = { .starttime = ticks };
	time_t t = ds ? (time_t)daemon_start_time(ds, &st) : 0;
	struct tm tm;

	if (!t || !ticks) {
		snprintf(buf, size, "unknown");
		return;
	}
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

/* Evidence shared by every finding about one namespace group. */
static void add_group_evidence(struct finding *f, struct ctx *ctx,
			       const struct netns_sample *s,
			       const struct netns_group *group)
{
	struct netns_group copy = *group, *g = &copy;
	char tids[160], when[32];

	netns_group_describe(&ctx->root, s->pid, g);

	fmt_tids(g, tids, sizeof(tids));
	fmt_start(ctx_daemons(ctx), g->start, when, sizeof(when));
	finding_add_evidence(f, "process", "%s", s->comm);
	finding_add_evidence(f, "pid", "%d", s->pid);
	finding_add_evidence(f, "netns", "%lu", g->ino);
	finding_add_evidence(f, "home_netns", "%lu", s->home_ino);
	finding_add_evidence(f, "threads", "%zu", g->n_threads);
	finding_add_evidence(f, "tids", "%s", tids);
	finding_add_evidence(f, "thread_names", "%s",
			     g->thread_name[0] ? g->thread_name : "?");
	finding_add_evidence(f, "thread_started", "%s", when);
}

static void add_info_evidence(struct finding *f, const struct netns_info *in)
{
	if (in->err) {
		finding_add_evidence(f, "inspect_error", "%s",
				     strerror(-in->err));
		return;
	}
	finding_add_evidence(f, "links", "%s", in->links);
	finding_add_evidence(f, "addresses", "%s", in->addrs);
	finding_add_evidence(f, "routes", "%s", in->routes);
	finding_add_evidence(f, "default_route", "%s",
			     in->has_default ? "yes" : "no");
}

/* An unowned namespace: critical without routes, warning otherwise. */
static void report_unowned(struct ctx *ctx, struct report *r,
			   const struct target *t, const struct netns_sample *s,
			   const struct netns_group *g,
			   const struct netns_info *in)
{
	char tids[160];
	bool norutes = !in->err && in->n_routes == 0;
	struct finding *f;

	fmt_tids(g, tids, sizeof(tids));
	if (norutes)
		f = report_add(
			r, ID, SEV_CRITICAL,
			"%s thread%s %s stranded in network namespace %lu: no container owns it and it has no routes",
			s->comm, g->n_threads > 1 ? "s" : "", tids, g->ino);
	else
		f = report_add(
			r, ID, SEV_WARNING,
			"%s thread%s %s stranded in network namespace %lu, which no container owns%s",
			s->comm, g->n_threads > 1 ? "s" : "", tids, g->ino,
			in->err ? " (its contents could not be read)"
				: " (it still has routes)");
	finding_set_detail(
		f,
		"%s (pid %d) has thread(s) in a network namespace that no live sandbox owns (no nsfs mount of it, no process living in it): the container it belonged to is gone, and only these threads keep the namespace alive. %s",
		s->comm, s->pid,
		norutes ? "When Go schedules the daemon's network I/O (docker pull, push, login) on such a thread, it fails with \"network is unreachable\" or \"unknown host\"; other threads work, so the failures look random."
			: "Network I/O scheduled on these threads leaves through that namespace's interfaces instead of the host's, so it may go to the wrong place or fail at random.");
	set_remedy(f, t, s, "");
	add_group_evidence(f, ctx, s, g);
	add_info_evidence(f, in);
	finding_add_evidence(f, "owner", "none");
}

/*
 * Does a container's SandboxKey hold namespace ino? The key is a path in
 * the daemon's mount namespace, so it is looked at through
 * /proc/PID/root; an nsfs bind mount's inode is the namespace's. Paths
 * are not compared: mountinfo may show them from another root (a chroot).
 */
static bool sandbox_is(struct ctx *ctx, int pid, const char *key,
		       unsigned long ino)
{
	char path[4200];
	struct stat st;

	if (key[0] != '/' || strlen(key) > 4000)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/root%s", pid, key);
	return path_stat(&ctx->root, path, true, &st) == 0 && st.st_ino == ino;
}

/* Name the container whose sandbox holds ino, through the API (bounded). */
static char *container_of_netns(struct ctx *ctx, int pid, unsigned long ino)
{
	json_object *list = NULL, *v, *one;
	char err[256], url[128], *name = NULL;
	size_t n;

	if (!ctx_api(ctx) || !ctx_api(ctx)->reachable ||
	    api_get_json(ctx, "/containers/json", 4 << 20, &list, err,
			 sizeof(err)) < 0)
		return NULL;
	n = json_object_is_type(list, json_type_array)
		    ? json_object_array_length(list)
		    : 0;
	for (size_t i = 0; i < n && i < 64 && !name; i++) {
		const char *id = api_json_string(
			json_object_array_get_idx(list, i), "Id");
		json_object *ns;

		one = NULL;
		if (!id || strlen(id) > 64)
			continue;
		snprintf(url, sizeof(url), "/containers/%s/json", id);
		if (api_get_json(ctx, url, 4 << 20, &one, err, sizeof(err)) < 0)
			continue;
		if (json_object_object_get_ex(one, "NetworkSettings", &ns)) {
			const char *key = api_json_string(ns, "SandboxKey");

			if (key && sandbox_is(ctx, pid, key, ino) &&
			    json_object_object_get_ex(one, "Name", &v))
				name = strdup(json_object_get_string(v));
		}
		json_object_put(one);
	}
	json_object_put(list);
	return name;
}

/* Threads that stayed in a live sandbox's namespace across both samples. */
static void report_owned(struct ctx *ctx, struct report *r,
			 const struct target *t, const struct netns_sample *s,
			 const struct netns_group *g,
			 const struct netns_owner *o)
{
	char tids[160], owner[300];
	char *name = container_of_netns(ctx, s->pid, g->ino);
	struct finding *f;

	if (o->kind == OWNER_MOUNT) {
		snprintf(owner, sizeof(owner), "%s%s%s", o->path,
			 name ? " container " : "", name ? name : "");
	} else {
		char comm[64] = "?";

		/* the owner may have exited since: then its name is unknown */
		procfs_read_comm(&ctx->root, o->pid, comm, sizeof(comm));
		snprintf(owner, sizeof(owner), "process %d (%s)", o->pid, comm);
	}
	fmt_tids(g, tids, sizeof(tids));
	f = report_add(r, ID, SEV_WARNING,
		       "%s thread%s %s stayed in the network namespace of %s",
		       s->comm, g->n_threads > 1 ? "s" : "", tids,
		       name ? name : owner);
	finding_set_detail(
		f,
		"The thread(s) were in that live namespace in both samples, %ld ms apart. The daemon enters container namespaces only briefly while it configures them; a thread that stays there is likely stranded, and becomes a stale one when the container is removed.",
		ctx->opts->sample_delay_ms);
	set_remedy(
		f, t, s,
		"Run the check again: if the thread is still there, it is stranded. ");
	add_group_evidence(f, ctx, s, g);
	finding_add_evidence(f, "owner", "%s", owner);
	free(name);
}

/* Open the namespace of a group through one of its threads. */
static int open_group_ns(struct ctx *ctx, int pid, const struct netns_group *g)
{
	char path[96];
	int fd = -ENOENT;

	for (size_t i = 0; i < g->n_tids && fd < 0; i++) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/ns/net", pid,
			 g->tids[i]);
		fd = path_open(&ctx->root, path, O_RDONLY);
	}
	return fd;
}

/* Unowned namespaces of the first sample, inspected in the background. */
struct inspection {
	unsigned long *inos; /* candidate namespaces, sorted */
	struct netns_info *info; /* their contents, same order */
	size_t n;
	struct netlink_job job;
	bool started;
};

/*
 * Start inspecting every unowned namespace of the first sample, so that
 * the child works while the caller waits for the second one.
 */
static int inspection_start(struct ctx *ctx, const struct netns_sample *s,
			    const struct netns_owners *owners,
			    struct inspection *in)
{
	int *fds = calloc(s->n_groups ? s->n_groups : 1, sizeof(*fds));
	int ret = 0;

	*in = (struct inspection){ 0 };
	in->inos = calloc(s->n_groups ? s->n_groups : 1, sizeof(*in->inos));
	in->info = calloc(s->n_groups ? s->n_groups : 1, sizeof(*in->info));
	if (!fds || !in->inos || !in->info) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < s->n_groups; i++) {
		int fd;

		if (netns_owner_find(owners, s->groups[i].ino))
			continue;
		/* every thread of the group may have gone: nothing to open */
		fd = open_group_ns(ctx, s->pid, &s->groups[i]);
		if (fd < 0)
			continue;
		in->inos[in->n] = s->groups[i].ino;
		fds[in->n++] = fd;
	}
	/* full contents for the namespaces reported one by one */
	if (in->n) {
		ret = netlink_inspect_start(fds, in->n, MAX_NS_FINDINGS,
					    &in->job);
		in->started = ret == 0;
	}
out:
	for (size_t i = 0; fds && i < in->n; i++)
		close(fds[i]);
	free(fds);
	return ret;
}

/* Collect the background inspection. */
static void inspection_finish(struct ctx *ctx, struct inspection *in)
{
	if (in->started)
		netlink_inspect_finish(&in->job,
				       ctx->opts->timeout_ms + 10 * (long)in->n,
				       in->info);
	in->started = false;
}

/* What the inspection found for ino (err -ENOENT when not inspected). */
static const struct netns_info *inspection_get(const struct inspection *in,
					       unsigned long ino)
{
	static const struct netns_info not_read = { .err = -ENOENT };
	bool found;
	size_t pos = netns_ino_search(in->inos, in->n, sizeof(*in->inos), 0,
				      ino, &found);

	return found ? &in->info[pos] : &not_read;
}

static void inspection_release(struct inspection *in)
{
	free(in->inos);
	free(in->info);
}

/* Report the unowned groups that persisted, one by one up to a limit. */
static void report_unowned_all(struct ctx *ctx, struct report *r,
			       const struct target *t,
			       const struct netns_sample *s,
			       const struct netns_group **gs, size_t n,
			       const struct inspection *in)
{
	size_t threads = 0, norutes = 0;
	struct finding *f;

	for (size_t i = 0; i < n && i < MAX_NS_FINDINGS; i++)
		report_unowned(ctx, r, t, s, gs[i],
			       inspection_get(in, gs[i]->ino));
	if (n <= MAX_NS_FINDINGS)
		return;
	for (size_t i = MAX_NS_FINDINGS; i < n; i++) {
		const struct netns_info *info = inspection_get(in, gs[i]->ino);

		threads += gs[i]->n_threads;
		norutes += !info->err && info->n_routes == 0;
	}
	f = report_add(
		r, ID, norutes ? SEV_CRITICAL : SEV_WARNING,
		"%zu more namespaces (%zu without routes) hold %zu more stranded %s threads",
		n - MAX_NS_FINDINGS, norutes, threads, s->comm);
	set_remedy(f, t, s, "");
	finding_add_evidence(f, "process", "%s", s->comm);
	finding_add_evidence(f, "pid", "%d", s->pid);
	finding_add_evidence(f, "namespaces", "%zu", n - MAX_NS_FINDINGS);
	finding_add_evidence(f, "threads", "%zu", threads);
}

/* Sleep for the sample delay. */
static void sample_pause(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The host's network namespace (pid 1's), 0 when unknown. */
static unsigned long host_netns(struct ctx *ctx)
{
	uint32_t saved = ctx_optional_begin(ctx);
	char *link = NULL;
	unsigned long ino = 0;

	/*
	 * Optional: pid 1 may be out of reach (a container, a user
	 * namespace); a thread in the host's namespace is owned by the
	 * processes that live there anyway, and the evidence says unknown.
	 */
	if (path_readlinkf(&ctx->root, &link, "/proc/1/ns/net") == 0)
		netns_parse_link(link, &ino);
	free(link);
	ctx_optional_end(ctx, saved);
	return ino;
}

/*
 * A daemon that runs in a namespace of its own (rootless, docker-in-docker)
 * has the host's namespace as a legitimate second home: threads there are
 * not stranded in a container's namespace. Drop them; return their count.
 */
static size_t drop_host_groups(struct netns_sample *s, unsigned long host)
{
	size_t k = 0, dropped = 0;

	for (size_t i = 0; i < s->n_groups; i++) {
		if (host && s->groups[i].ino == host)
			dropped += s->groups[i].n_threads;
		else
			s->groups[k++] = s->groups[i];
	}
	s->n_groups = k;
	return dropped;
}

/* The ok finding of a process with no thread elsewhere. */
static void report_healthy(struct report *r, const struct netns_sample *s,
			   size_t transient, unsigned long host, size_t in_host)
{
	struct finding *f;

	f = report_add(
		r, ID, SEV_OK,
		"all %zu threads of %s (pid %d) share its network namespace",
		s->n_threads, s->comm, s->pid);
	finding_add_evidence(f, "process", "%s", s->comm);
	finding_add_evidence(f, "pid", "%d", s->pid);
	finding_add_evidence(f, "threads", "%zu", s->n_threads);
	finding_add_evidence(f, "netns", "%lu", s->home_ino);
	finding_add_evidence(f, "namespaces_passed_through", "%zu", transient);
	if (host)
		finding_add_evidence(f, "host_netns", "%lu", host);
	finding_add_evidence(f, "in_host_netns", "%s",
			     host == s->home_ino ? "yes"
			     : host		 ? "no"
						 : "unknown");
	if (in_host)
		finding_add_evidence(f, "threads_in_host_netns", "%zu",
				     in_host);
}

/*
 * Two looks at one process: a full walk, then, after the delay, a recheck
 * of the threads found elsewhere; the unowned namespaces are inspected in
 * a child meanwhile. What persisted is judged.
 */
static int analyse(struct ctx *ctx, struct report *r, const struct target *t,
		   const struct netns_owners *owners)
{
	struct netns_sample s = { 0 };
	struct inspection in = { 0 };
	const struct netns_group **unowned = NULL;
	unsigned long host = host_netns(ctx);
	size_t n_unowned = 0, before, in_host;
	int ret;

	ret = netns_sample(&ctx->root, t->pid, &s);
	if (ret < 0)
		return ctx_error(ctx, ret,
				 "cannot walk the threads of pid %d: %s",
				 t->pid, strerror(-ret));
	in_host = drop_host_groups(&s, host);
	if (s.n_groups == 0) {
		report_healthy(r, &s, 0, host, in_host);
		goto out;
	}
	before = s.n_groups;
	ret = inspection_start(ctx, &s, owners, &in);
	if (ret < 0)
		goto out;
	sample_pause(ctx->opts->sample_delay_ms);
	ret = netns_sample_recheck(&ctx->root, &s);
	inspection_finish(ctx, &in);
	if (ret < 0) {
		ret = ctx_error(ctx, ret,
				"pid %d exited between the two samples",
				t->pid);
		goto out;
	}
	unowned = calloc(s.n_groups ? s.n_groups : 1, sizeof(*unowned));
	if (!unowned) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < s.n_groups; i++) {
		const struct netns_owner *o =
			netns_owner_find(owners, s.groups[i].ino);

		if (!o)
			unowned[n_unowned++] = &s.groups[i];
		else
			report_owned(ctx, r, t, &s, &s.groups[i], o);
	}
	report_unowned_all(ctx, r, t, &s, unowned, n_unowned, &in);
	if (s.n_groups == 0)
		report_healthy(r, &s, before, host, in_host);
out:
	inspection_finish(ctx, &in);
	inspection_release(&in);
	free(unowned);
	netns_sample_release(&s);
	return ret;
}

/* Add every process named name (or the pid it spells) to the targets. */
static int add_targets(struct ctx *ctx, struct report *r, const char *spec,
		       struct target *ts, size_t *n)
{
	int *pids = NULL, np, found = 0;
	long pid;

	if (parse_int(spec, 1, 0x7fffffff, &pid) == 0) {
		if (*n < MAX_TARGETS)
			ts[(*n)++] = (struct target){ .pid = (int)pid };
		return 0;
	}
	np = procfs_list_pids(&ctx->root, &pids);
	for (int i = 0; i < np; i++) {
		char comm[64];

		if (procfs_read_comm(&ctx->root, pids[i], comm, sizeof(comm)) ||
		    strcmp(comm, spec) != 0)
			continue;
		found++;
		if (*n < MAX_TARGETS)
			ts[(*n)++] = (struct target){ .pid = pids[i] };
	}
	free(pids);
	if (!found) {
		struct finding *f = report_add(
			r, ID, SEV_UNKNOWN,
			"cannot check '%s': no process of that name", spec);

		finding_add_evidence(f, "process", "%s", spec);
	}
	return 0;
}

/* The check. */
static int run(struct ctx *ctx, struct report *r)
{
	const struct dockerd_proc *d = ctx_dockerd(ctx);
	struct target ts[MAX_TARGETS];
	struct netns_owners owners = { 0 };
	int mount_pids[MAX_TARGETS + 1];
	size_t n = 0, nm = 0;
	int ret = 0;

	if (d)
		ts[n++] = (struct target){
			.pid = d->st.pid,
			.is_dockerd = true,
			.exec_root = d->exec_root ? d->exec_root
						  : DEFAULT_EXEC_ROOT
		};
	for (size_t i = 0; ctx->opts->processes && ctx->opts->processes[i]; i++)
		add_targets(ctx, r, ctx->opts->processes[i], ts, &n);
	if (n == 0)
		return ctx->opts->processes
			       ? 0
			       : ctx_error(ctx, -ESRCH,
					   "no dockerd process to examine");
	mount_pids[nm++] = 1;
	for (size_t i = 0; i < n; i++)
		mount_pids[nm++] = ts[i].pid;
	ret = netns_owners_collect(&ctx->root, mount_pids, nm, &owners);
	if (ret < 0)
		return ctx_error(ctx, ret, "cannot read namespace owners: %s",
				 strerror(-ret));
	for (size_t i = 0; i < n && ret == 0; i++) {
		ret = analyse(ctx, r, &ts[i], &owners);
		if (ret == -ESRCH && !ts[i].is_dockerd)
			ret = 0; /* a --process target that exited: normal */
	}
	netns_owners_release(&owners);
	return ret;
}

const struct check check_netns_stranded = {
	.id = ID,
	.summary =
		"daemon threads stranded in network namespaces no container owns",
	.needs = NEED_ROOT | NEED_NETLINK,
	.run = run,
	.explain =
		"Walks /proc/PID/task/*/ns/net of dockerd (and of every --process\n"
		"NAME|PID) and groups the threads that are not in the daemon's own\n"
		"network namespace (its main thread's) nor in the host's (pid 1's;\n"
		"a rootless or docker-in-docker daemon runs in a namespace of its\n"
		"own). It samples twice,\n"
		"--sample-delay apart (default 0.1 s), and keeps only threads that\n"
		"stayed, because dockerd enters container namespaces briefly while it\n"
		"configures them. A namespace is owned when an nsfs is mounted on it\n"
		"(Docker's sandbox files under <exec-root>/netns, seen in the daemon's\n"
		"own /proc/PID/mountinfo; 'ip netns' files) or when a process's main\n"
		"thread lives in it (a container's init). The existence of a file is\n"
		"not trusted: Docker unmounts a sandbox at once but deletes the file\n"
		"only every 60 s. Each unowned namespace is inspected once over\n"
		"netlink (links, addresses, routes of every table but local) from a\n"
		"short-lived child process, so this tool never leaves a thread of its\n"
		"own in a foreign namespace.\n"
		"\n"
		"Why it matters (seed 000): a Go thread that entered a container's\n"
		"namespace and was never moved back keeps that namespace alive after\n"
		"the container is gone. When the runtime schedules the daemon's\n"
		"network I/O on it, 'docker pull' and 'docker push' fail at random\n"
		"with \"network is unreachable\". moby v24 (PR #44356) fixed the known\n"
		"paths; the bug class is Go-wide (containerd, kubelet, CNI daemons).\n"
		"\n"
		"Findings:\n"
		"- critical 'thread(s) ... stranded in network namespace N: no\n"
		"  container owns it and it has no routes': the seed's signature.\n"
		"- warning '... stranded in network namespace N, which no container\n"
		"  owns (it still has routes)'.\n"
		"- warning '... stayed in the network namespace of CONTAINER': in a\n"
		"  live container's namespace in both samples.\n"
		"- ok 'all N threads of dockerd share its network namespace'.\n"
		"Fix: restart the daemon (systemctl restart docker); with\n"
		"\"live-restore\": true containers keep running. Upgrade to Docker 24\n"
		"or later. A process named with --process is not docker.service:\n"
		"restart it the way it was started.\n",
};
