// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The watch tracker on real threads of this test process: a worker thread
 * enters a network namespace of its own, comes back, enters again and
 * exits there; every sample must record exactly those transitions. Also
 * the bound on the history. Skips when it cannot unshare (not root).
 */
#define _GNU_SOURCE
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "host/path.h"
#include "app/watch.h"

/* A worker that moves between namespaces on command. */
struct worker {
	pthread_t thread;
	sem_t go, done;
	int tid;
	int cmd; /* 1 enter a new namespace, 2 go home, 3 exit */
	int home_fd;
	int err;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	w->tid = (int)syscall(SYS_gettid);
	sem_post(&w->done);
	for (;;) {
		sem_wait(&w->go);
		if (w->cmd == 1 && unshare(CLONE_NEWNET) < 0)
			w->err = errno;
		if (w->cmd == 2 && setns(w->home_fd, CLONE_NEWNET) < 0)
			w->err = errno;
		if (w->cmd == 3)
			break;
		sem_post(&w->done);
	}
	return NULL;
}

static void do_cmd(struct worker *w, int cmd)
{
	w->cmd = cmd;
	sem_post(&w->go);
	if (cmd != 3)
		sem_wait(&w->done);
	else
		pthread_join(w->thread, NULL);
}

static void start_worker(struct worker *w)
{
	memset(w, 0, sizeof(*w));
	sem_init(&w->go, 0, 0);
	sem_init(&w->done, 0, 0);
	w->home_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	cr_assert_geq(w->home_fd, 0);
	cr_assert_eq(pthread_create(&w->thread, NULL, worker_main, w), 0);
	sem_wait(&w->done);
}

static int64_t t_us(int64_t s)
{
	return s * 1000000;
}

static struct pathctx pc;
static struct watch_tracker *t;

static void setup(void)
{
	cr_assert_eq(pathctx_init(&pc, "/"), 0);
	t = calloc(1, sizeof(*t));
	cr_assert_not_null(t);
}

static void teardown(void)
{
	free(t);
	pathctx_release(&pc);
}

TestSuite(watch, .init = setup, .fini = teardown);

Test(watch, enter_leave_enter_exit)
{
	const struct watch_event *e;
	struct worker w;
	int pid = getpid();

	start_worker(&w);
	cr_assert_eq(watch_sample(t, &pc, pid, t_us(1)), 0, "nothing yet");
	cr_assert_geq(t->walked, 2);
	do_cmd(&w, 1);
	if (w.err == EPERM)
		cr_skip_test("cannot unshare a network namespace (not root)");
	cr_assert_eq(w.err, 0);
	cr_assert_eq(watch_sample(t, &pc, pid, t_us(2)), 1);
	e = watch_event_get(t, 0);
	cr_assert_eq(e->kind, WATCH_ENTER);
	cr_assert_eq(e->tid, w.tid);
	cr_assert_neq(e->ino, t->home_ino);
	/* staying there: no new event, the sample count grows */
	cr_assert_eq(watch_sample(t, &pc, pid, t_us(3)), 0);
	cr_assert_eq(t->n_cur, 1);
	cr_assert_eq(t->cur[0].samples, 2);
	cr_assert_eq(t->cur[0].since_us, t_us(2));
	do_cmd(&w, 2);
	cr_assert_eq(watch_sample(t, &pc, pid, t_us(4)), 1);
	e = watch_event_get(t, 0);
	cr_assert_eq(e->kind, WATCH_LEAVE);
	cr_assert_eq(e->since_us, t_us(2));
	cr_assert_eq(e->time_us, t_us(4));
	do_cmd(&w, 1);
	cr_assert_eq(watch_sample(t, &pc, pid, t_us(5)), 1);
	do_cmd(&w, 3);
	cr_assert_eq(watch_sample(t, &pc, pid, t_us(6)), 1);
	e = watch_event_get(t, 0);
	cr_assert_eq(e->kind, WATCH_EXIT);
	cr_assert_eq(e->tid, w.tid);
	cr_assert_eq(t->ev_total, 4);
	cr_assert_eq(t->samples, 6);
	close(w.home_fd);
}

Test(watch, moving_between_two_foreign_namespaces)
{
	struct worker w;
	int pid = getpid();
	unsigned long first;

	start_worker(&w);
	cr_assert_eq(watch_sample(t, &pc, pid, t_us(1)), 0);
	do_cmd(&w, 1);
	if (w.err == EPERM)
		cr_skip_test("cannot unshare a network namespace (not root)");
	cr_assert_eq(watch_sample(t, &pc, pid, t_us(2)), 1);
	first = watch_event_get(t, 0)->ino;
	do_cmd(&w, 1); /* another new one, without going home */
	cr_assert_eq(watch_sample(t, &pc, pid, t_us(3)), 2);
	cr_assert_eq(watch_event_get(t, 1)->kind, WATCH_LEAVE);
	cr_assert_eq(watch_event_get(t, 1)->ino, first);
	cr_assert_eq(watch_event_get(t, 0)->kind, WATCH_ENTER);
	cr_assert_neq(watch_event_get(t, 0)->ino, first);
	do_cmd(&w, 3);
	close(w.home_fd);
}

Test(watch, history_is_bounded)
{
	struct worker w;
	int pid = getpid();
	size_t rounds = WATCH_EVENTS_MAX + 100;

	start_worker(&w);
	watch_sample(t, &pc, pid, 0);
	for (size_t i = 0; i < rounds; i++) {
		do_cmd(&w, i % 2 ? 2 : 1);
		if (w.err == EPERM)
			cr_skip_test("cannot unshare (not root)");
		cr_assert_eq(watch_sample(t, &pc, pid, (int64_t)i + 1), 1);
	}
	cr_assert_eq(t->ev_total, rounds);
	cr_assert_eq(t->ev_n,
		     rounds < WATCH_EVENTS_MAX ? rounds : WATCH_EVENTS_MAX);
	/* the newest is the last sample's */
	cr_assert_eq(watch_event_get(t, 0)->time_us, (int64_t)rounds);
	cr_assert_null(watch_event_get(t, t->ev_n));
	do_cmd(&w, 3);
	close(w.home_fd);
}

Test(watch, a_gone_process_is_esrch)
{
	cr_assert_eq(watch_sample(t, &pc, 0x7ffffff0, 1), -ESRCH);
}

/* ---- re-judging a namespace (fixture trees) ---- */

#define NS_INO 4026532999UL
#define NS_MOUNT                                                              \
	"612 28 0:4 net:[4026532999] /run/docker/netns/0c1f rw shared:287 - " \
	"nsfs nsfs rw\n"
#define OTHER_MOUNT "25 1 8:1 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
#define ROUTES_HDR                                                             \
	"Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\t" \
	"Window\tIRTT\n"
#define ROUTE_DEFAULT \
	"eth0\t00000000\t010012AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
#define ROUTE_LINK \
	"eth0\t000012AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"

static struct pathctx fx_pc;

static void probe_fixture(struct fixture *fx, const char *mountinfo,
			  const char *owner_link, const char *routes)
{
	fixture_write(fx, "/proc/100/mountinfo", mountinfo, -1);
	fixture_write(fx, "/proc/1/mountinfo", OTHER_MOUNT, -1);
	if (owner_link)
		fixture_symlink(fx, "/proc/200/ns/net", owner_link);
	if (routes)
		fixture_write(fx, "/proc/100/task/101/net/route", routes, -1);
}

Test(watch_rejudge, a_live_container_then_its_removal)
{
	struct watch_ns_state then, now;
	struct fixture fx;

	fixture_init(&fx);
	probe_fixture(&fx, OTHER_MOUNT NS_MOUNT, "net:[4026532999]",
		      ROUTES_HDR ROUTE_DEFAULT ROUTE_LINK);
	cr_assert_eq(pathctx_init(&fx_pc, fx.root), 0);
	watch_ns_probe(&fx_pc, 100, 101, NS_INO, 200, &then);
	cr_assert(then.mounted);
	cr_assert_eq(then.owner_pid, 200);
	cr_assert_eq(then.routes, 2);
	/* nothing changed: no second judgement */
	watch_ns_probe(&fx_pc, 100, 101, NS_INO, then.owner_pid, &now);
	cr_assert_not(watch_ns_rejudge(&then, &now));

	/* docker rm: the sandbox unmounted, the init gone, the veth gone */
	fixture_release(&fx);
	fixture_init(&fx);
	probe_fixture(&fx, OTHER_MOUNT, NULL, ROUTES_HDR);
	pathctx_release(&fx_pc);
	cr_assert_eq(pathctx_init(&fx_pc, fx.root), 0);
	watch_ns_probe(&fx_pc, 100, 101, NS_INO, then.owner_pid, &now);
	cr_assert_not(now.mounted);
	cr_assert_eq(now.owner_pid, 0);
	cr_assert_eq(now.routes, 0);
	cr_assert(watch_ns_rejudge(&then, &now));
	pathctx_release(&fx_pc);
	fixture_release(&fx);
}

Test(watch_rejudge, an_owner_pid_reused_elsewhere_is_no_owner)
{
	struct watch_ns_state now;
	struct fixture fx;

	fixture_init(&fx);
	probe_fixture(&fx, OTHER_MOUNT, "net:[4026531992]", NULL);
	cr_assert_eq(pathctx_init(&fx_pc, fx.root), 0);
	watch_ns_probe(&fx_pc, 100, 101, NS_INO, 200, &now);
	cr_assert_eq(now.owner_pid, 0);
	cr_assert_eq(now.routes, -1, "an unreadable route table is unknown");
	pathctx_release(&fx_pc);
	fixture_release(&fx);
}

struct rejudge_row {
	struct watch_ns_state then, now;
	bool want;
};

Test(watch_rejudge, when_to_judge_again)
{
	static const struct rejudge_row rows[] = {
		/* the sandbox mount went away */
		{ { true, 0, 2 }, { false, 0, 2 }, true },
		/* the container's init went away (no mount seen) */
		{ { false, 7, 2 }, { false, 0, 2 }, true },
		/* the routes disappeared, the owner still there */
		{ { true, 7, 2 }, { true, 7, 0 }, true },
		/* nothing changed */
		{ { true, 7, 2 }, { true, 7, 2 }, false },
		/* one route fewer is no reason */
		{ { true, 7, 2 }, { true, 7, 1 }, false },
		/* unknown routes then: a count now is no change */
		{ { true, 7, -1 }, { true, 7, 0 }, false },
		/* no owner then, none now: judged on that already */
		{ { false, 0, 0 }, { false, 0, 0 }, false },
		/* the mount went, the init stays: still owned */
		{ { true, 7, 2 }, { false, 7, 2 }, false },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		cr_expect_eq(watch_ns_rejudge(&rows[i].then, &rows[i].now),
			     rows[i].want, "row %zu", i);
}
