// SPDX-License-Identifier: GPL-2.0-or-later
/* 'dockerd-doctor watch' (see watch.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/context.h"
#include "log/logrules.h"
#include "net/netns.h"
#include "render/output.h"
#include "host/procfs.h"
#include "render/render.h"
#include "render/render-util.h"
#include "core/runner.h"
#include "core/util.h"
#include "app/watch.h"

#define ID "watch.transitions"
/* namespaces already judged, so a stranded one is reported once */
#define WATCH_JUDGED_MAX 256
/* judgements of one namespace at most: a flapping one cannot loop */
#define WATCH_REJUDGE_MAX 4
/* transitions put into a report */
#define WATCH_REPORT_EVENTS 32

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Append an event to the bounded history (the oldest goes). */
static void add_event(struct watch_tracker *t, enum watch_event_kind kind,
		      int tid, unsigned long ino, int64_t when, int64_t since)
{
	size_t slot;

	if (t->ev_n == WATCH_EVENTS_MAX) {
		t->ev_first = (t->ev_first + 1) % WATCH_EVENTS_MAX;
		t->ev_n--;
	}
	slot = (t->ev_first + t->ev_n) % WATCH_EVENTS_MAX;
	t->events[slot] = (struct watch_event){ .time_us = when,
						.since_us = since,
						.kind = kind,
						.tid = tid,
						.ino = ino };
	t->ev_n++;
	t->ev_total++;
}

const struct watch_event *watch_event_get(const struct watch_tracker *t,
					  size_t i)
{
	if (i >= t->ev_n)
		return NULL;
	return &t->events[(t->ev_first + t->ev_n - 1 - i) % WATCH_EVENTS_MAX];
}

static int cmp_thread(const void *a, const void *b)
{
	const struct watch_thread *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Read "net:[INO]" of a task relative to the task directory. */
static int task_ino(int dfd, const char *tid, unsigned long *ret)
{
	char path[300], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/ns/net", tid);
	n = readlinkat(dfd, path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	return netns_parse_link(link, ret);
}

/* Walk the threads into t->cur (sorted by tid). */
static int walk(struct watch_tracker *t, const struct pathctx *pc, int pid,
		int64_t now)
{
	char path[64];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = path_opendir(pc, path);
	if (!d)
		return errno == ENOENT ? -ESRCH : -errno;
	t->n_cur = 0;
	t->walked = 0;
	while ((de = readdir(d))) {
		unsigned long ino;
		long tid;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    parse_int(de->d_name, 1, 0x7fffffff, &tid) < 0)
			continue;
		/* a thread that exits during the walk is simply gone */
		if (task_ino(dirfd(d), de->d_name, &ino) < 0)
			continue;
		t->walked++;
		if (ino == t->home_ino)
			continue;
		if (t->n_cur == WATCH_FOREIGN_MAX) {
			t->overflow++;
			continue;
		}
		t->cur[t->n_cur++] = (struct watch_thread){ .tid = (int)tid,
							    .ino = ino,
							    .since_us = now,
							    .samples = 1 };
	}
	closedir(d);
	qsort(t->cur, t->n_cur, sizeof(t->cur[0]), cmp_thread);
	return 0;
}

/* Is a task still there (it left the namespace) or gone (it exited)? */
static bool task_alive(const struct pathctx *pc, int pid, int tid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/task/%d", pid, tid);
	return path_stat(pc, path, false, &st) == 0;
}

/* Compare the new sample with the previous one: a merge by tid. */
static int diff(struct watch_tracker *t, const struct pathctx *pc, int pid,
		int64_t now)
{
	size_t i = 0, j = 0;
	int events = 0;

	while (i < t->n_cur || j < t->n_prev) {
		struct watch_thread *c = i < t->n_cur ? &t->cur[i] : NULL;
		struct watch_thread *p = j < t->n_prev ? &t->prev[j] : NULL;

		if (c && p && c->tid == p->tid && c->ino == p->ino) {
			c->since_us = p->since_us;
			c->samples = p->samples + 1;
			i++, j++;
			continue;
		}
		if (p && (!c || p->tid <= c->tid)) {
			add_event(t,
				  c && c->tid == p->tid		? WATCH_LEAVE
				  : task_alive(pc, pid, p->tid) ? WATCH_LEAVE
								: WATCH_EXIT,
				  p->tid, p->ino, now, p->since_us);
			events++;
			j++;
			if (!c || c->tid != p->tid)
				continue;
		}
		add_event(t, WATCH_ENTER, c->tid, c->ino, now, now);
		events++;
		i++;
	}
	memcpy(t->prev, t->cur, t->n_cur * sizeof(t->cur[0]));
	t->n_prev = t->n_cur;
	return events;
}

int watch_sample(struct watch_tracker *t, const struct pathctx *pc, int pid,
		 int64_t now_us)
{
	char path[64];
	char *link = NULL;
	int r;

	if (pid != t->pid || !t->home_ino) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
		r = path_readlinkf(pc, &link, "%s", path);
		if (r < 0)
			return r == -ENOENT ? -ESRCH : r;
		r = netns_parse_link(link, &t->home_ino);
		free(link);
		if (r < 0)
			return r;
		t->pid = pid;
		t->n_prev = 0;
	}
	r = walk(t, pc, pid, now_us);
	if (r < 0)
		return r;
	t->samples++;
	return diff(t, pc, pid, now_us);
}

/* Is ino an nsfs mount in the mountinfo of pid? */
static bool ns_mounted_in(const struct pathctx *pc, int pid, unsigned long ino)
{
	struct netns_owners o = { 0 };
	char *buf = NULL;
	bool found;

	/* a process that is gone has no mounts to offer */
	if (path_read_filef(pc, 16 << 20, &buf, NULL, "/proc/%d/mountinfo",
			    pid) < 0)
		return false;
	found = netns_owners_parse_mountinfo(&o, buf) == 0 &&
		(netns_owners_sort(&o), netns_owner_find(&o, ino) != NULL);
	netns_owners_release(&o);
	free(buf);
	return found;
}

/* Count the routes of /proc/PID/task/TID/net/route: -1 when unreadable. */
static int ns_routes(const struct pathctx *pc, int pid, int tid)
{
	char *buf = NULL;
	int lines = 0;

	if (path_read_filef(pc, 1 << 20, &buf, NULL,
			    "/proc/%d/task/%d/net/route", pid, tid) < 0)
		return -1;
	for (const char *p = buf; (p = strchr(p, '\n')); p++)
		lines++;
	free(buf);
	return lines > 0 ? lines - 1 : 0; /* the first line is the header */
}

void watch_ns_probe(const struct pathctx *pc, int pid, int tid,
		    unsigned long ino, int owner_pid,
		    struct watch_ns_state *ret)
{
	unsigned long there;
	char *link = NULL;

	ret->mounted = ns_mounted_in(pc, pid, ino) || ns_mounted_in(pc, 1, ino);
	ret->owner_pid = 0;
	if (owner_pid > 0 &&
	    path_readlinkf(pc, &link, "/proc/%d/ns/net", owner_pid) == 0 &&
	    netns_parse_link(link, &there) == 0 && there == ino)
		ret->owner_pid = owner_pid;
	free(link);
	ret->routes = ns_routes(pc, pid, tid);
}

bool watch_ns_rejudge(const struct watch_ns_state *then,
		      const struct watch_ns_state *now)
{
	bool owned_then = then->mounted || then->owner_pid > 0;
	bool owned_now = now->mounted || now->owner_pid > 0;

	return (owned_then && !owned_now) ||
	       (then->routes > 0 && now->routes == 0);
}

/* ---- the command ---- */

struct watch {
	const struct options *o;
	struct ctx ctx; /* the daemon, the log ring and its sources */
	struct watch_tracker *t;
	struct logrules rules;
	bool have_rules;
	int pid;
	struct judged {
		unsigned long ino;
		bool final; /* judged critical: nothing left to tell */
		unsigned times; /* judgements so far */
		struct watch_ns_state state; /* what the last one rested on */
	} judged[WATCH_JUDGED_MAX];
	size_t n_judged;
	int64_t log_mark; /* log lines before this were looked at */
	unsigned reports;
	enum severity worst;
};

static void print_time(FILE *out, int64_t us)
{
	time_t sec = (time_t)(us / 1000000);
	struct tm tm;

	gmtime_r(&sec, &tm);
	fprintf(out, "%02d:%02d:%02d.%03d ", tm.tm_hour, tm.tm_min, tm.tm_sec,
		(int)(us % 1000000 / 1000));
}

/* One line per transition, as it happens. */
static void print_events(struct watch *w, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		const struct watch_event *e = watch_event_get(w->t, (size_t)i);
		char comm[64] = "";

		if (!e)
			continue;
		procfs_read_comm(&w->ctx.root, e->tid, comm, sizeof(comm));
		print_time(stdout, e->time_us);
		if (e->kind == WATCH_ENTER)
			printf("thread %d (%s) entered net:[%lu]\n", e->tid,
			       comm[0] ? comm : "?", e->ino);
		else
			printf("thread %d %s net:[%lu] after %.3f s\n", e->tid,
			       e->kind == WATCH_LEAVE ? "left" : "exited in",
			       e->ino,
			       (double)(e->time_us - e->since_us) / 1e6);
	}
	fflush(stdout);
}

static struct judged *judged(struct watch *w, unsigned long ino)
{
	for (size_t i = 0; i < w->n_judged; i++)
		if (w->judged[i].ino == ino)
			return &w->judged[i];
	return NULL;
}

/* The entry of ino, added (the oldest goes when full). */
static struct judged *judged_add(struct watch *w, unsigned long ino)
{
	struct judged *j = judged(w, ino);

	if (j)
		return j;
	if (w->n_judged == WATCH_JUDGED_MAX) {
		memmove(w->judged, w->judged + 1,
			(WATCH_JUDGED_MAX - 1) * sizeof(w->judged[0]));
		w->n_judged--;
	}
	j = &w->judged[w->n_judged++];
	*j = (struct judged){ .ino = ino };
	return j;
}

/* A thread of the daemon in namespace ino now, 0 when none. */
static int thread_in(const struct watch *w, unsigned long ino)
{
	for (size_t i = 0; i < w->t->n_cur; i++)
		if (w->t->cur[i].ino == ino)
			return w->t->cur[i].tid;
	return 0;
}

/*
 * Before a judgement: record what it rests on for every foreign namespace
 * of this moment (their owners come from one walk of /proc).
 */
static void judged_record(struct watch *w)
{
	struct netns_owners owners = { 0 };
	bool have = netns_owners_collect(&w->ctx.root, NULL, 0, &owners) == 0;

	for (size_t i = 0; i < w->t->n_cur; i++) {
		const struct watch_thread *c = &w->t->cur[i];
		const struct netns_owner *o =
			have ? netns_owner_find(&owners, c->ino) : NULL;
		struct judged *j = judged_add(w, c->ino);

		if (j->final)
			continue;
		watch_ns_probe(&w->ctx.root, w->pid, c->tid, c->ino,
			       o ? o->pid : 0, &j->state);
		j->times++;
	}
	netns_owners_release(&owners);
}

/* After a judgement: the namespaces netns.stranded found critical. */
static void judged_verdicts(struct watch *w, const struct report *r)
{
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct finding *f = &r->findings[i];
		const char *v = NULL;
		unsigned long ino;
		struct judged *j;

		if (f->severity != SEV_CRITICAL ||
		    strcmp(f->check, "netns.stranded"))
			continue;
		for (size_t k = 0; k < f->n_evidence && !v; k++)
			if (!strcmp(f->evidence[k].key, "netns"))
				v = f->evidence[k].value;
		if (v && sscanf(v, "%lu", &ino) == 1 && (j = judged(w, ino)))
			j->final = true;
	}
}

/*
 * A namespace judged before whose owner went away or whose routes
 * disappeared while a daemon thread is still inside: 0 when none.
 */
static unsigned long judged_changed(struct watch *w)
{
	for (size_t i = 0; i < w->n_judged; i++) {
		struct judged *j = &w->judged[i];
		struct watch_ns_state now;
		int tid;

		if (j->final || j->times >= WATCH_REJUDGE_MAX ||
		    !(tid = thread_in(w, j->ino)))
			continue;
		watch_ns_probe(&w->ctx.root, w->pid, tid, j->ino,
			       j->state.owner_pid, &now);
		if (watch_ns_rejudge(&j->state, &now))
			return j->ino;
	}
	return 0;
}

/* The recent transitions as a finding of the report. */
static void add_transitions(struct watch *w, struct report *r)
{
	size_t n = w->t->ev_n < WATCH_REPORT_EVENTS ? w->t->ev_n
						    : WATCH_REPORT_EVENTS;
	struct finding *f;

	f = report_add(
		r, ID, SEV_INFO,
		"watch: %llu thread namespace transitions in %llu samples of dockerd (pid %d)",
		(unsigned long long)w->t->ev_total,
		(unsigned long long)w->t->samples, w->pid);
	finding_add_evidence(f, "interval_ms", "%lld", w->o->interval_ms);
	finding_add_evidence(f, "threads_walked", "%zu", w->t->walked);
	for (size_t i = 0; i < n; i++) {
		const struct watch_event *e = watch_event_get(w->t, i);
		char key[32], t[RENDER_BUF_MAX];

		render_time_us(e->time_us, t);
		snprintf(key, sizeof(key), "event%02zu", i + 1);
		finding_add_evidence(
			f, key, "%s tid %d %s net:[%lu]%s", t, e->tid,
			e->kind == WATCH_ENTER	 ? "entered"
			: e->kind == WATCH_LEAVE ? "left"
						 : "exited in",
			e->ino,
			e->kind == WATCH_ENTER ? "" : " (after entering)");
	}
}

/* Render the report as JSON into DIR/dockerd-doctor-watch-TIME.json. */
static int write_file(struct watch *w, const struct report *r, char *path,
		      size_t size)
{
	struct render_opts ro = { 0 };
	const char *dir = w->o->watch_dir ? w->o->watch_dir : ".";
	struct output out;
	char t[RENDER_BUF_MAX];
	int ret;

	render_iso8601(&r->generated_at, t);
	/* "2026-11-24T230102Z": no colons, as dockerd's stack dump files */
	for (char *p = t, *o = t;; p++) {
		if (*p != ':')
			*o++ = *p;
		if (!*p)
			break;
	}
	snprintf(path, size, "%s/dockerd-doctor-watch-%s-%u.json", dir, t,
		 w->reports + 1);
	ret = output_open(&out, path);
	if (ret < 0)
		return ret;
	ret = render(FORMAT_JSON, r, out.fp, &ro);
	if (ret == 0)
		return output_commit(&out);
	output_abort(&out);
	return ret;
}

/*
 * Run every check once, now, with the watch's ring and transitions in the
 * report; write it when it is critical. Returns the worst severity.
 */
static enum severity full_run(struct watch *w, const char *why)
{
	struct report *r = report_new();
	enum severity worst = SEV_UNKNOWN;
	char path[4096];
	struct ctx c;

	if (!r || ctx_init(&c, w->o) < 0) {
		report_free(r);
		return worst;
	}
	/* the watch's ring: the lines around the moment */
	ctx_borrow_logring(&c, &w->ctx);
	runner_run(&c, r);
	judged_verdicts(w, r);
	add_transitions(w, r);
	ctx_release(&c);

	worst = report_worst(r);
	print_time(stdout, clock_us(CLOCK_REALTIME));
	if (worst == SEV_CRITICAL) {
		size_t *order = calloc(r->n_findings + 1, sizeof(*order));
		const struct finding *f = NULL;
		int ret;

		if (order) {
			report_order(r, order);
			f = &r->findings[order[0]];
		}
		ret = write_file(w, r, path, sizeof(path));
		printf("critical (%s): %s: %s; ", why, f ? f->check : "?",
		       f ? f->summary : "?");
		if (ret < 0) {
			printf("cannot write the report to '%s': %s\n", path,
			       strerror(-ret));
		} else {
			printf("report written to %s\n", path);
			w->reports++;
		}
		free(order);
	} else {
		printf("checked (%s): %s, no critical finding\n", why,
		       severity_name(worst));
	}
	fflush(stdout);
	if (worst > w->worst && worst != SEV_UNKNOWN)
		w->worst = worst;
	report_free(r);
	return worst;
}

/* A thread stayed over two samples in a namespace not judged yet? */
static unsigned long new_persistent(struct watch *w)
{
	for (size_t i = 0; i < w->t->n_cur; i++)
		if (w->t->cur[i].samples >= 2 && !judged(w, w->t->cur[i].ino))
			return w->t->cur[i].ino;
	return 0;
}

/* Critical log rules on the lines that arrived since the last look. */
static bool critical_logs(struct watch *w, char *why, size_t size)
{
	struct report *tmp;
	bool crit = false;

	if (!w->have_rules || !w->ctx.ring)
		return false;
	tmp = report_new();
	if (!tmp)
		return false;
	logrules_apply(&w->rules, w->ctx.ring, w->log_mark, tmp);
	for (size_t i = 0; i < tmp->n_findings && !crit; i++)
		if (tmp->findings[i].severity == SEV_CRITICAL) {
			snprintf(why, size, "log rule %s",
				 tmp->findings[i].check);
			crit = true;
		}
	report_free(tmp);
	return crit;
}

/* One tick: follow the logs, sample the threads, judge what is new. */
static int tick(struct watch *w)
{
	int64_t now = clock_us(CLOCK_REALTIME);
	unsigned long ino;
	char why[128];
	int n;

	if (w->ctx.ring)
		logsrc_follow(&w->ctx.logsrcs, w->ctx.ring);
	n = watch_sample(w->t, &w->ctx.root, w->pid, now);
	if (n < 0)
		return n;
	print_events(w, n);
	if ((ino = new_persistent(w))) {
		snprintf(why, sizeof(why), "a thread stayed in net:[%lu]", ino);
	} else if ((ino = judged_changed(w))) {
		snprintf(why, sizeof(why),
			 "the owner or the routes of net:[%lu] went away", ino);
	} else if (critical_logs(w, why, sizeof(why))) {
		full_run(w, why);
	}
	if (ino) {
		/* every foreign namespace of this moment is judged now */
		judged_record(w);
		full_run(w, why);
	}
	w->log_mark = now;
	return 0;
}

/*
 * Sleep until deadline_us (CLOCK_MONOTONIC: the schedule must not jump
 * with the wall clock), waking early only for a signal.
 */
static void sleep_until(int64_t deadline_us)
{
	int64_t left = deadline_us - clock_us(CLOCK_MONOTONIC);

	if (left > 0 && !stop_signal)
		poll(NULL, 0, (int)((left + 999) / 1000));
}

int watch_run(const struct options *o)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct watch w = { .o = o };
	int64_t start, next, end;
	const struct dockerd_proc *d;
	char err[512] = "";
	int status = 3, r;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	stop_signal = 0;
	w.t = calloc(1, sizeof(*w.t));
	if (!w.t || ctx_init(&w.ctx, o) < 0) {
		fprintf(stderr, "dockerd-doctor: cannot start watching: %s\n",
			w.t ? "cannot open the root" : "out of memory");
		goto out;
	}
	/* --process PID watches that process instead (other Go daemons) */
	d = ctx_dockerd(&w.ctx);
	if (o->processes &&
	    parse_int(o->processes[0], 1, 0x7fffffff, &(long){ 0 }) == 0) {
		w.pid = atoi(o->processes[0]);
	} else if (d) {
		w.pid = d->st.pid;
	} else {
		fprintf(stderr,
			"dockerd-doctor: no dockerd to watch%s (--process PID watches another process)\n",
			o->pid ? " (--pid names none)" : "");
		goto out;
	}
	if (!ctx_logring(&w.ctx, NULL))
		fprintf(stderr, "dockerd-doctor: no log ring: %s\n",
			w.ctx.log_error);
	r = logrules_load(&w.rules, &w.ctx.root, o->log_rules, err,
			  sizeof(err));
	if (r < 0 || err[0])
		fprintf(stderr, "dockerd-doctor: log rules: %s\n",
			err[0] ? err : strerror(-r));
	w.have_rules = r >= 0;
	/* the schedule runs on the monotonic clock, events on the wall clock */
	start = clock_us(CLOCK_MONOTONIC);
	w.log_mark = clock_us(CLOCK_REALTIME);
	end = o->for_ms > 0 ? start + o->for_ms * 1000 : INT64_MAX;
	printf("watching %s (pid %d) every %lld ms%s; Ctrl-C stops\n",
	       d && d->st.pid == w.pid ? "dockerd" : "process", w.pid,
	       o->interval_ms, o->for_ms ? "" : " until a signal");
	fflush(stdout);
	status = 0;
	for (next = start; !stop_signal && clock_us(CLOCK_MONOTONIC) < end;) {
		r = tick(&w);
		if (r == -ESRCH) {
			print_time(stdout, clock_us(CLOCK_REALTIME));
			printf("pid %d is gone; stopping\n", w.pid);
			break;
		}
		next += o->interval_ms * 1000;
		if (next < clock_us(CLOCK_MONOTONIC))
			next = clock_us(
				CLOCK_MONOTONIC); /* slow: do not catch up */
		sleep_until(next < end ? next : end);
	}
	printf("stopped%s: %llu samples, %llu transitions, %u report%s written\n",
	       stop_signal ? " by a signal" : "",
	       (unsigned long long)w.t->samples,
	       (unsigned long long)w.t->ev_total, w.reports,
	       w.reports == 1 ? "" : "s");
	status = severity_exit_code(w.worst);
out:
	if (w.have_rules)
		logrules_release(&w.rules);
	ctx_release(&w.ctx);
	free(w.t);
	return status;
}
