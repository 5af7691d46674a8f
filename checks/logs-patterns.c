// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * logs.patterns: known problems in the logs, found by rules kept as data
 * (log-rules.conf, doc/log-rules.md), and the kernel's OOM-kill counters,
 * which outlive logs that have rotated away: /proc/vmstat oom_kill (since
 * boot) and the memory.events (cgroup v2) or memory.oom_control (v1) of
 * Docker's cgroups: the containers' and docker.service's, containerd's.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/check.h"
#include "core/context.h"
#include "log/logrules.h"
#include "core/util.h"

#define ID "logs.patterns"
#define OOM_ID "logs.oom-counters"
#define COUNTER_FILE_MAX 65536
/* containers reported one by one; the rest in one finding */
#define MAX_CONTAINER_FINDINGS 10

/* The core, without the collectors (tests call it with their own ring). */
int logs_patterns_evaluate(struct ctx *ctx, const struct logring *ring,
			   int64_t since_us, const struct logrules *rules,
			   struct report *r);

/* The value of a "key N" line (vmstat, memory.events, memory.oom_control). */
static bool counter(const char *buf, const char *key, uint64_t *ret)
{
	size_t n = strlen(key);
	const char *s = buf;

	while (s && *s) {
		if (strncmp(s, key, n) == 0 && s[n] == ' ' &&
		    isdigit((unsigned char)s[n + 1])) {
			*ret = strtoull(s + n + 1, NULL, 10);
			return true;
		}
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return false;
}

/* A memory cgroup's OOM counters. */
struct cg_oom {
	char path[512]; /* the counters file */
	bool have_kill; /* oom_kill is there (v1: kernel >= 4.13) */
	uint64_t oom_kill, oom;
	bool under_oom; /* v1: stuck now (oom-kill disabled) */
};

/* Where Docker's memory cgroups are: the v2 tree or the v1 controller. */
struct cg_layout {
	bool v2;
	const char *base, *file;
};

static int read_cg(struct ctx *ctx, const struct cg_layout *l, const char *dir,
		   struct cg_oom *ret)
{
	char *buf = NULL;
	uint64_t v = 0;
	int r;

	memset(ret, 0, sizeof(*ret));
	snprintf(ret->path, sizeof(ret->path), "%s/%s/%s", l->base, dir,
		 l->file);
	r = path_read_file(&ctx->root, ret->path, COUNTER_FILE_MAX, &buf, NULL);
	if (r < 0)
		return r;
	ret->have_kill = counter(buf, "oom_kill", &ret->oom_kill);
	counter(buf, "oom", &ret->oom);
	ret->under_oom = counter(buf, "under_oom", &v) && v > 0;
	free(buf);
	return 0;
}

static bool is_container_id(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) &&
		    !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return true;
}

/* What the cgroup scan found, for the summary. */
struct oom_scan {
	size_t containers; /* container cgroups read */
	size_t reported; /* container findings added */
	size_t more; /* containers with kills beyond MAX_CONTAINER_FINDINGS */
	uint64_t more_kills;
	char more_ids[512];
	size_t problems; /* findings added (containers, units) */
};

static void container_finding(struct report *r, const struct cg_layout *l,
			      const char *id, const struct cg_oom *c,
			      struct oom_scan *scan)
{
	struct finding *f;

	if (c->under_oom) {
		f = report_add(
			r, OOM_ID, SEV_CRITICAL,
			"container %.12s is out of memory now and its processes are stuck: its OOM killer is disabled (%s: under_oom 1)",
			id, c->path);
		finding_set_remedy(
			f,
			"Free memory in it or raise its limit: 'docker update --memory BIGGER --memory-swap BIGGER %.12s', or restart it ('docker restart %.12s'). Use --oom-kill-disable only together with a --memory limit you know is enough.",
			id, id);
	} else if (scan->reported < MAX_CONTAINER_FINDINGS) {
		f = report_add(
			r, OOM_ID, SEV_WARNING,
			"container %.12s: the kernel OOM-killed %" PRIu64
			" process%s in it since it started (%s: oom_kill %" PRIu64
			")",
			id, c->oom_kill, c->oom_kill == 1 ? "" : "es", c->path,
			c->oom_kill);
		finding_set_detail(
			f,
			"The container reached its memory limit (or the host ran out of memory) and the kernel killed a process in it. The container still runs, so a child process was killed, or its main process was restarted by its init. The counter is kept until the container is recreated or restarted.");
		finding_set_remedy(
			f,
			"Look at its memory use ('docker stats --no-stream %.12s') and limit ('docker inspect -f \"{{.HostConfig.Memory}}\" %.12s'); raise the limit with 'docker update --memory BIGGER --memory-swap BIGGER %.12s' or fix the application's memory use. 'journalctl -k | grep -i oom' shows which process was killed.",
			id, id, id);
		scan->reported++;
	} else {
		size_t n = strlen(scan->more_ids);

		scan->more++;
		scan->more_kills += c->oom_kill;
		if (n + 14 < sizeof(scan->more_ids))
			snprintf(scan->more_ids + n, sizeof(scan->more_ids) - n,
				 "%s%.12s", n ? " " : "", id);
		scan->problems++;
		return;
	}
	finding_add_evidence(f, "container", "%s", id);
	finding_add_evidence(f, "file", "%s", c->path);
	finding_add_evidence(f, "oom_kill", "%" PRIu64, c->oom_kill);
	if (l->v2)
		finding_add_evidence(f, "oom", "%" PRIu64, c->oom);
	scan->problems++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The container id in a cgroup directory name, or NULL. */
static const char *container_of(const char *name, bool scopes)
{
	size_t n = strlen(name);

	if (scopes) {
		if (!startswith(name, "docker-") || n < 13 ||
		    strcmp(name + n - 6, ".scope") != 0)
			return NULL;
		name += 7;
		n -= 13;
	}
	return is_container_id(name, n) ? name : NULL;
}

/* Container cgroups under one directory ("docker-ID.scope" or "ID"), in
 * name order so that reports compare. */
static void scan_dir(struct ctx *ctx, const struct cg_layout *l,
		     const char *parent, bool scopes, struct report *r,
		     struct oom_scan *scan)
{
	char dir[512], **names = NULL;
	struct dirent *de;
	struct cg_oom c;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", l->base, parent);
	d = path_opendir(&ctx->root, dir);
	if (!d)
		return; /* no such driver layout here */
	while ((de = readdir(d)))
		if (container_of(de->d_name, scopes) &&
		    strv_push(&names, de->d_name) < 0)
			break; /* ENOMEM: r->oom tells at the end */
	closedir(d);
	if (names)
		qsort(names, strv_length(names), sizeof(*names), cmp_str);
	for (size_t i = 0; names && names[i]; i++) {
		char sub[512], id[65];

		snprintf(sub, sizeof(sub), "%s/%s", parent, names[i]);
		if (read_cg(ctx, l, sub, &c) < 0)
			continue; /* gone since readdir, or no memory controller */
		scan->containers++;
		if (!c.under_oom && !(c.have_kill && c.oom_kill > 0))
			continue;
		snprintf(id, sizeof(id), "%.64s",
			 container_of(names[i], scopes));
		container_finding(r, l, id, &c, scan);
	}
	strv_free(names);
}

/* docker.service and containerd.service (systemd hosts). */
static void scan_unit(struct ctx *ctx, const struct cg_layout *l,
		      const char *unit, struct report *r, struct oom_scan *scan)
{
	char sub[128], *max = NULL;
	struct finding *f;
	struct cg_oom c;

	snprintf(sub, sizeof(sub), "system.slice/%s", unit);
	if (read_cg(ctx, l, sub, &c) < 0 || !c.have_kill || c.oom_kill == 0)
		return;
	f = report_add(
		r, OOM_ID, SEV_WARNING,
		"the kernel OOM-killed %" PRIu64
		" process%s in %s since it started (%s: oom_kill %" PRIu64 ")",
		c.oom_kill, c.oom_kill == 1 ? "" : "es", unit, c.path,
		c.oom_kill);
	finding_set_detail(
		f,
		"Processes of the service itself (the daemon, docker-proxy, shims) were killed for memory while the service kept running. A memory limit on the unit (MemoryMax=, MemoryLimit=) that is too small does this, as does a host out of memory.");
	finding_set_remedy(
		f,
		"Check the unit's limit: 'systemctl show %s -p MemoryMax -p MemoryHigh'. Raise or remove it in a drop-in ('systemctl edit %s': [Service] MemoryMax=infinity), then 'systemctl daemon-reload'; the kernel log ('journalctl -k | grep -i oom') names what was killed.",
		unit, unit);
	finding_add_evidence(f, "unit", "%s", unit);
	finding_add_evidence(f, "file", "%s", c.path);
	finding_add_evidence(f, "oom_kill", "%" PRIu64, c.oom_kill);
	if (l->v2) {
		finding_add_evidence(f, "oom", "%" PRIu64, c.oom);
		if (path_read_filef(&ctx->root, 256, &max, NULL,
				    "%s/%s/memory.max", l->base, sub) == 0) {
			max[strcspn(max, "\n")] = '\0';
			finding_add_evidence(f, "memory_max", "%s", max);
			free(max);
		}
	}
	scan->problems++;
}

/* The cgroup counters of Docker's containers and services. */
static void scan_cgroups(struct ctx *ctx, struct report *r,
			 struct oom_scan *scan, const char **ret_layout)
{
	struct cg_layout l = { .v2 = true,
			       .base = "/sys/fs/cgroup",
			       .file = "memory.events" };
	struct stat st;

	if (path_stat(&ctx->root, "/sys/fs/cgroup/cgroup.controllers", true,
		      &st) < 0) {
		l = (struct cg_layout){ .v2 = false,
					.base = "/sys/fs/cgroup/memory",
					.file = "memory.oom_control" };
		if (path_stat(&ctx->root, l.base, true, &st) < 0) {
			*ret_layout = "no memory cgroup found";
			return;
		}
	}
	*ret_layout = l.v2 ? "cgroup v2 memory.events"
			   : "cgroup v1 memory.oom_control";
	scan_dir(ctx, &l, "system.slice", true, r, scan);
	scan_dir(ctx, &l, "docker", false, r, scan);
	scan_unit(ctx, &l, "docker.service", r, scan);
	scan_unit(ctx, &l, "containerd.service", r, scan);
	if (scan->more) {
		struct finding *f = report_add(
			r, OOM_ID, SEV_WARNING,
			"%zu more containers had processes OOM-killed (%" PRIu64
			" kills in all)",
			scan->more, scan->more_kills);

		finding_add_evidence(f, "containers", "%s", scan->more_ids);
	}
}

/* /proc/vmstat oom_kill: every OOM kill since boot (kernel >= 4.13). */
static void vmstat_oom(struct ctx *ctx, struct report *r, bool *ret_have,
		       uint64_t *ret_kills)
{
	char *buf = NULL, *up = NULL;
	struct finding *f;

	*ret_have = false;
	if (path_read_file(&ctx->root, "/proc/vmstat", 1 << 20, &buf, NULL) < 0)
		return;
	*ret_have = counter(buf, "oom_kill", ret_kills);
	free(buf);
	if (!*ret_have || *ret_kills == 0)
		return;
	f = report_add(r, OOM_ID, SEV_INFO,
		       "the kernel has OOM-killed %" PRIu64
		       " process%s since boot (/proc/vmstat oom_kill)",
		       *ret_kills, *ret_kills == 1 ? "" : "es");
	finding_set_detail(
		f,
		"A host-wide count: the victims may have been any process, in a container or not, at any time since boot. The log rules and the cgroup counters say which were Docker's.");
	finding_set_remedy(
		f,
		"See which processes were killed and when: 'journalctl -k | grep -iE \"out of memory|oom-kill\"' (or 'dmesg -T'). Set memory limits on containers so one cannot take the host's memory.");
	finding_add_evidence(f, "oom_kill", "%" PRIu64, *ret_kills);
	if (path_read_file(&ctx->root, "/proc/uptime", 256, &up, NULL) == 0) {
		up[strcspn(up, " \n")] = '\0';
		finding_add_evidence(f, "uptime_seconds", "%s", up);
		free(up);
	}
}

/* The logs could not be read: say why, as unknown (or info when asked). */
static void no_ring(struct ctx *ctx, struct report *r)
{
	struct finding *f;

	if (strv_contains(ctx->opts->log_sources, "none")) {
		report_add(
			r, ID, SEV_INFO,
			"the logs were not read (--log-source none); only the kernel's OOM counters were checked");
		return;
	}
	f = report_add(r, ID, SEV_UNKNOWN,
		       "cannot check the logs for known problems: %s",
		       ctx->log_error[0] ? ctx->log_error
					 : "no log source could be read");
	finding_set_remedy(
		f,
		"Run as root (the kernel log needs CAP_SYSLOG and the journal the systemd-journal or adm group), or name the sources with --log-source (journal:docker.service, file:/var/log/docker.log, kmsg).");
}

/* The healthy summary: what was looked at. */
static void all_clear(struct report *r, const struct logring *ring,
		      int64_t since_us, const struct logrules *rules,
		      bool have_vm, uint64_t kills, const char *layout,
		      size_t containers)
{
	struct logring_iter it;
	struct log_entry e;
	size_t lines = 0;
	struct finding *f;
	char sources[512] = "";
	char since[64];

	logring_iter_init(&it, ring, since_us);
	while (logring_iter_next(&it, &e))
		lines++;
	for (int i = 0; i < logring_source_count(ring); i++) {
		struct logring_source_stats st;
		size_t n = strlen(sources);

		if (logring_source_stats(ring, i, &st) == 0)
			snprintf(sources + n, sizeof(sources) - n, "%s%s",
				 n ? " " : "", st.name);
	}
	format_time_us(since_us, false, since, sizeof(since));
	if (rules->n == 0) {
		report_add(
			r, ID, SEV_INFO,
			"no log rules are enabled: every rule is turned off under /etc/dockerd-doctor/");
		return;
	}
	f = report_add(r, ID, SEV_OK,
		       "no known problem in %zu log line%s (%zu rule%s)", lines,
		       lines == 1 ? "" : "s", rules->n,
		       rules->n == 1 ? "" : "s");
	finding_add_evidence(f, "lines", "%zu", lines);
	finding_add_evidence(f, "rules", "%zu", rules->n);
	finding_add_evidence(f, "sources", "%s", sources);
	finding_add_evidence(f, "since", "%s", since);
	if (have_vm)
		finding_add_evidence(f, "vmstat_oom_kill", "%" PRIu64, kills);
	else
		finding_add_evidence(f, "vmstat_oom_kill",
				     "not available (kernel < 4.13)");
	finding_add_evidence(f, "cgroup_counters", "%s", layout);
	finding_add_evidence(f, "container_cgroups", "%zu", containers);
}

/*
 * When the examined dockerd started, in microseconds since the epoch (0:
 * no daemon, or not known): rules with "since = daemon-start" count only
 * its own lines. Boot time is known to the second, the start to the tick.
 */
static int64_t daemon_started_us(struct ctx *ctx)
{
	const struct daemon_set *ds = ctx_daemons(ctx);
	const struct dockerd_proc *d = ds ? daemon_selected(ds) : NULL;
	long long s = d ? daemon_start_time(ds, &d->st) : 0;

	if (s <= 0)
		return 0;
	return (int64_t)s * 1000000 +
	       (int64_t)(d->st.starttime % (unsigned long long)ds->clk_tck) *
		       1000000 / ds->clk_tck;
}

int logs_patterns_evaluate(struct ctx *ctx, const struct logring *ring,
			   int64_t since_us, const struct logrules *rules,
			   struct report *r)
{
	struct oom_scan scan = { 0 };
	const char *layout = "";
	uint64_t kills = 0;
	bool have_vm;
	int fired = 0;

	if (ring && rules) {
		fired = logrules_apply_daemon(rules, ring, since_us,
					      daemon_started_us(ctx), r);
		if (fired < 0)
			return ctx_error(ctx, fired,
					 "cannot run the log rules: %s",
					 strerror(-fired));
	} else if (!ring) {
		no_ring(ctx, r);
	}
	scan_cgroups(ctx, r, &scan, &layout);
	vmstat_oom(ctx, r, &have_vm, &kills);
	if (ring && rules && fired == 0)
		all_clear(r, ring, since_us, rules, have_vm, kills, layout,
			  scan.containers);
	return r->oom ? ctx_error(ctx, -ENOMEM, "out of memory") : 0;
}

/* Errors in the rules files: those rules are skipped, the rest run. */
static void rule_errors(struct report *r, int n, const char *err)
{
	struct finding *f;
	char key[16];
	int i = 0;

	f = report_add(r, ID, SEV_WARNING,
		       "%d error%s in the log rules; %s skipped: %.*s", n,
		       n == 1 ? "" : "s",
		       n == 1 ? "that rule is" : "those rules are",
		       (int)strcspn(err, "\n"), err);
	finding_set_remedy(
		f,
		"Fix the lines named (the format is in doc/log-rules.md, 'man dockerd-doctor'), or remove the override file under /etc/dockerd-doctor/.");
	for (const char *s = err; *s && i < 20; i++) {
		size_t len = strcspn(s, "\n");

		snprintf(key, sizeof(key), "error%d", i + 1);
		finding_add_evidence(f, key, "%.*s", (int)len, s);
		s += len + (s[len] == '\n');
	}
}

static int run(struct ctx *ctx, struct report *r)
{
	struct logrules rules = { 0 };
	const struct logring *ring;
	int64_t since = 0;
	char err[4096];
	int n;

	n = logrules_load(&rules, &ctx->root, ctx->opts->log_rules, err,
			  sizeof(err));
	if (n == -ENOMEM) {
		logrules_release(&rules);
		return ctx_error(ctx, n, "out of memory loading the log rules");
	}
	if (n < 0) {
		struct finding *f = report_add(
			r, ID, SEV_UNKNOWN, "cannot check the logs: %s", err);

		finding_set_remedy(
			f,
			"Reinstall dockerd-doctor (the rules file is part of it), or name a rules file with --log-rules FILE.");
	} else if (n > 0) {
		rule_errors(r, n, err);
	}
	ring = ctx_logring(ctx, &since);
	n = logs_patterns_evaluate(ctx, ring, since, n < 0 ? NULL : &rules, r);
	logrules_release(&rules);
	return n;
}

const struct check check_logs_patterns = {
	.id = ID,
	.summary =
		"known problems in the daemon and kernel logs, and OOM kills",
	.explain =
		"Runs the log rules over the lines read from the daemon's and the kernel's logs in the window (--since, 10 minutes by default): OOM kills of dockerd, containerd and container processes, 'unregister_netdevice: waiting for ... to become free' (a leaked network namespace reference), seccomp kills of Docker's processes, hung dockerd/containerd tasks, a full conntrack table, 'no space left on device', repeated daemon errors (only the running daemon's, logged since it started, and not the ones a healthy daemon logs in normal operation) and fatal errors, the daemon falling back to Google's DNS servers, and pulls failing with 'network is unreachable'. Each rule that fires is a finding of its own (logs.NAME) with the matching lines as evidence: the first and the newest.\n\n"
		"The rules are data, not code: the file installed with the program (log-rules.conf), overridden or turned off one by one by files under /etc/dockerd-doctor/ (log-rules.conf and log-rules.d/*.conf). doc/log-rules.md describes the format.\n\n"
		"Because logs rotate and the kernel rate-limits its OOM reports, the check also reads the kernel's own counters: /proc/vmstat oom_kill (every OOM kill since boot, kernel 4.13 and later) and the OOM counters of Docker's cgroups (memory.events on cgroup v2, memory.oom_control on v1): each running container's (system.slice/docker-ID.scope with the systemd cgroup driver, docker/ID with cgroupfs), and docker.service's and containerd.service's. These are reported as logs.oom-counters.\n\n"
		"Fix: each finding carries its own remedy. Memory: set container limits (docker run --memory) so one container cannot take the host's memory, and raise the limits of containers that are killed. A rule that does not fit a host can be turned off with a file /etc/dockerd-doctor/log-rules.d/local.conf holding '[rule NAME]' and 'enabled = no'.\n",
	.run = run,
};
