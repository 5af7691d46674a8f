// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Thread namespaces, owners and the netlink adapter: parsers on strings,
 * then real network namespaces made by this test (threads that unshare
 * their network namespace), inspected over real netlink. Skips the real
 * part when it cannot unshare (not root).
 */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/check.h"
#include "core/context.h"
#include "net/netlink.h"
#include "net/netns.h"
#include "fixture.h"
#include "table.h"

extern const struct check check_netns_stranded;

/* ---- parsers ---- */

Test(netns, parse_link)
{
	unsigned long ino = 7;

	cr_assert_eq(netns_parse_link("net:[4026531992]", &ino), 0);
	cr_assert_eq(ino, 4026531992UL);
	cr_assert_eq(netns_parse_link("mnt:[4026531992]", &ino), -EINVAL);
	cr_assert_eq(netns_parse_link("net:[]", &ino), -EINVAL);
	cr_assert_eq(netns_parse_link("net:[12]x", &ino), -EINVAL);
	cr_assert_eq(netns_parse_link("net:[0]", &ino), -EINVAL);
	cr_assert_eq(netns_parse_link("", &ino), -EINVAL);
	cr_assert_eq(ino, 4026531992UL, "untouched on failure");
}

static const char mountinfo[] =
	"22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
	"40 22 0:4 net:[4026532290] /run/docker/netns/8ab54b426c38 rw shared:5 - nsfs nsfs rw\n"
	"41 22 0:4 net:[4026532300] /run/netns/with\\040space rw shared:6 - nsfs nsfs rw\n"
	"42 22 0:4 mnt:[4026532400] /run/mnt-ns rw - nsfs nsfs rw\n"
	"43 22 0:22 / /net:[1] rw - tmpfs tmpfs rw\n"
	"garbage line\n"
	"44 22 0:4 net:[4026532290] /run/docker/netns/default rw - nsfs nsfs rw";

Test(netns, mountinfo_nsfs_only)
{
	struct netns_owners o = { 0 };
	const struct netns_owner *w;

	cr_assert_eq(netns_owners_parse_mountinfo(&o, mountinfo), 0);
	netns_owners_sort(&o);
	cr_assert_eq(o.n, 3);
	w = netns_owner_find(&o, 4026532300UL);
	cr_assert_not_null(w);
	cr_assert_str_eq(w->path, "/run/netns/with space");
	cr_assert_not_null(netns_owner_find(&o, 4026532290UL));
	cr_assert_null(netns_owner_find(&o, 4026532400UL), "mnt ns is not net");
	cr_assert_null(netns_owner_find(&o, 1));
	netns_owners_release(&o);
}

Test(netns, owner_prefers_mount)
{
	struct netns_owner v[] = {
		{ .ino = 9, .kind = OWNER_PROCESS, .pid = 4 },
		{ .ino = 5, .kind = OWNER_PROCESS, .pid = 3 },
		{ .ino = 9, .kind = OWNER_MOUNT },
	};
	struct netns_owners o = { .v = v, .n = 3 };

	netns_owners_sort(&o);
	cr_assert_eq(netns_owner_find(&o, 9)->kind, OWNER_MOUNT);
	cr_assert_eq(netns_owner_find(&o, 5)->pid, 3);
	cr_assert_null(netns_owner_find(&o, 6));
}

static struct netns_group group(unsigned long ino, size_t n, int t0, int t1)
{
	struct netns_group g = { .ino = ino, .n_threads = n };

	g.tids[g.n_tids++] = t0;
	if (t1)
		g.tids[g.n_tids++] = t1;
	return g;
}

Test(netns, recheck_keeps_what_stayed)
{
	struct netns_group a[] = { group(10, 2, 100, 101), group(20, 1, 200, 0),
				   group(30, 5, 300, 301) };
	struct netns_sample sa = { .pid = 7, .groups = a, .n_groups = 3 };
	struct fixture fx;
	struct pathctx pc;

	fixture_init(&fx);
	/* 100 left namespace 10, 101 stayed; 200 moved to 21; 30's are gone */
	fixture_symlink(&fx, "/proc/7/task/100/ns/net", "net:[1]");
	fixture_symlink(&fx, "/proc/7/task/101/ns/net", "net:[10]");
	fixture_write(
		&fx, "/proc/7/task/101/stat",
		"101 (worker x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 9 0 777\n",
		-1);
	fixture_symlink(&fx, "/proc/7/task/200/ns/net", "net:[21]");
	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(netns_sample_recheck(&pc, &sa), 0);
	cr_assert_eq(sa.n_groups, 1);
	cr_assert_eq(sa.groups[0].ino, 10);
	cr_assert_eq(sa.groups[0].n_tids, 1);
	cr_assert_eq(sa.groups[0].tids[0], 101);
	cr_assert_eq(sa.groups[0].n_threads, 1);
	cr_assert_str_eq(sa.groups[0].thread_name, "",
			 "not read until reported");
	netns_group_describe(&pc, 7, &sa.groups[0]);
	cr_assert_str_eq(sa.groups[0].thread_name, "worker x");
	cr_assert_eq(sa.groups[0].start, 777);
	sa.pid = 8;
	cr_assert_eq(netns_sample_recheck(&pc, &sa), -ESRCH);
	pathctx_release(&pc);
	fixture_release(&fx);
}

Test(netns, sample_on_fixture_groups_by_namespace)
{
	struct netns_sample s = { 0 };
	struct fixture fx;
	struct pathctx pc;
	char path[64];

	fixture_init(&fx);
	fixture_write(&fx, "/proc/50/comm", "dockerd\n", -1);
	fixture_symlink(&fx, "/proc/50/ns/net", "net:[1000]");
	for (int tid = 50; tid < 70; tid++) {
		snprintf(path, sizeof(path), "/proc/50/task/%d/ns/net", tid);
		fixture_symlink(&fx, path,
				tid < 60   ? "net:[1000]"
				: tid < 68 ? "net:[2000]"
					   : "net:[1500]");
	}
	fixture_mkdir(&fx, "/proc/50/task/99"); /* exited: no ns link */
	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(netns_sample(&pc, 50, &s), 0);
	cr_assert_str_eq(s.comm, "dockerd");
	cr_assert_eq(s.home_ino, 1000);
	cr_assert_eq(s.n_threads, 20);
	cr_assert_eq(s.n_groups, 2);
	cr_assert_eq(s.groups[0].ino, 1500, "sorted by inode");
	cr_assert_eq(s.groups[0].n_threads, 2);
	cr_assert_eq(s.groups[1].ino, 2000);
	cr_assert_eq(s.groups[1].n_threads, 8);
	netns_sample_release(&s);
	cr_assert_eq(netns_sample(&pc, 51, &s), -ESRCH);
	pathctx_release(&pc);
	fixture_release(&fx);
}

/* ---- real namespaces ---- */

struct holder {
	pthread_t thread;
	int tid;
	int ready[2]; /* the thread writes its result here */
	int release[2]; /* closing this lets the thread exit */
	const char *setup; /* shell commands run inside the namespace */
};

/* A thread that unshares its network namespace and waits. */
static void *holder_main(void *arg)
{
	struct holder *h = arg;
	int result = 0;
	char c;

	h->tid = (int)syscall(SYS_gettid);
	if (unshare(CLONE_NEWNET) < 0)
		result = -errno;
	else if (h->setup && system(h->setup) != 0)
		result = -EIO; /* system() forks: the child inherits our ns */
	if (write(h->ready[1], &result, sizeof(result)) != sizeof(result))
		return NULL;
	if (read(h->release[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

/* Start a holder; skips the test when namespaces cannot be made. */
static void holder_start(struct holder *h, const char *setup)
{
	int result = -1;

	h->setup = setup;
	cr_assert_eq(pipe(h->ready), 0);
	cr_assert_eq(pipe(h->release), 0);
	cr_assert_eq(pthread_create(&h->thread, NULL, holder_main, h), 0);
	cr_assert_eq(read(h->ready[0], &result, sizeof(result)),
		     sizeof(result));
	if (result == -EPERM)
		cr_skip_test("cannot unshare a network namespace (not root)");
	cr_assert_eq(result, 0, "namespace set-up failed: %s",
		     strerror(-result));
}

static void holder_stop(struct holder *h)
{
	close(h->release[1]);
	pthread_join(h->thread, NULL);
	close(h->release[0]);
	close(h->ready[0]);
	close(h->ready[1]);
}

static unsigned long ns_of(const char *path)
{
	char buf[64];
	unsigned long ino = 0;
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	cr_assert_gt(n, 0, "readlink %s", path);
	buf[n] = '\0';
	cr_assert_eq(netns_parse_link(buf, &ino), 0);
	return ino;
}

/* Every thread of this process except the holders is in ns home. */
static void assert_not_stranded(unsigned long home, const int *except,
				size_t n_except)
{
	struct netns_sample s = { 0 };

	struct pathctx pc;

	cr_assert_eq(pathctx_init(&pc, "/"), 0);
	cr_assert_eq(netns_sample(&pc, getpid(), &s), 0);
	cr_assert_eq(s.home_ino, home);
	for (size_t i = 0; i < s.n_groups; i++)
		for (size_t t = 0; t < s.groups[i].n_tids; t++) {
			bool allowed = false;

			for (size_t k = 0; k < n_except; k++)
				allowed |= s.groups[i].tids[t] == except[k];
			cr_assert(allowed,
				  "thread %d of the tool is in netns %lu",
				  s.groups[i].tids[t], s.groups[i].ino);
		}
	netns_sample_release(&s);
	pathctx_release(&pc);
}

#define ROUTED_SETUP                                                      \
	"ip link set lo up && ip link add dd0 type dummy 2>/dev/null || " \
	"ip link add dd0 type veth peer name dd1; ip link set dd0 up && " \
	"ip addr add 10.213.0.2/24 dev dd0 && "                           \
	"ip route add default via 10.213.0.1 dev dd0"

Test(netns_real, sample_and_inspect_without_stranding, .timeout = 30)
{
	unsigned long home = ns_of("/proc/self/ns/net");
	struct holder stale = { 0 }, routed = { 0 };
	struct netns_info info[2];
	struct netns_sample s = { 0 };
	struct pathctx pc;
	int fds[2], tids[2];
	char path[64];

	/* a removed container's namespace: lo still up, nothing else */
	holder_start(&stale, "ip link set lo up");
	holder_start(&routed, ROUTED_SETUP);
	tids[0] = stale.tid;
	tids[1] = routed.tid;
	cr_assert_eq(pathctx_init(&pc, "/"), 0);
	cr_assert_eq(netns_sample(&pc, getpid(), &s), 0);
	cr_assert_eq(s.n_groups, 2);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/self/task/%d/ns/net",
			 tids[i]);
		fds[i] = open(path, O_RDONLY);
		cr_assert_geq(fds[i], 0);
		cr_assert_eq(s.groups[0].n_threads + s.groups[1].n_threads, 2);
	}
	cr_assert_eq(netlink_inspect(fds, 2, 2, 5000, info), 0);
	cr_assert_eq(info[0].err, 0, "%s", strerror(-info[0].err));
	cr_assert_str_eq(info[0].links, "lo (UP)");
	cr_assert_str_eq(info[0].addrs, "127.0.0.1/8 lo, ::1 lo");
	cr_assert_str_eq(info[0].routes, "none");
	cr_assert_eq(info[0].n_routes, 0);
	cr_assert_not(info[0].has_default);
	cr_assert_eq(info[1].err, 0);
	cr_assert(info[1].has_default, "routes: %s", info[1].routes);
	cr_assert_not_null(strstr(info[1].routes,
				  "default via 10.213.0.1 dev dd0"),
			   "%s", info[1].routes);
	cr_assert_not_null(strstr(info[1].addrs, "10.213.0.2/24 dd0"), "%s",
			   info[1].addrs);
	cr_assert_not_null(strstr(info[1].links, "lo (UP)"));
	/* the inspection ran in a child: no thread of ours moved */
	assert_not_stranded(home, tids, 2);
	close(fds[0]);
	close(fds[1]);
	netns_sample_release(&s);
	pathctx_release(&pc);
	holder_stop(&stale);
	holder_stop(&routed);
	assert_not_stranded(home, NULL, 0);
}

Test(netns_real, inspect_bad_fd_is_per_namespace_error)
{
	int fds[1] = { open("/dev/null", O_RDONLY) };
	struct netns_info info[1];

	cr_assert_eq(netlink_inspect(fds, 1, 1, 5000, info), 0);
	cr_assert_eq(info[0].err, -EINVAL, "setns on a non-namespace fd");
	close(fds[0]);
}

/* Run the check with --process <this test's pid>. */
static struct report *run_check(long delay_ms)
{
	char pid[16], *procs[2] = { pid, NULL };
	struct options o = { .timeout_ms = 5000,
			     .sample_delay_ms = delay_ms,
			     .processes = procs };

	snprintf(pid, sizeof(pid), "%d", getpid());
	/* no dockerd is needed for --process; point the API nowhere */
	o.host = "unix:///nonexistent/dd-test.sock";
	return fixture_run_check(NULL, &check_netns_stranded, &o, 0, NULL, 0);
}

Test(netns_real, check_flags_stale_and_routed, .timeout = 30)
{
	struct holder stale = { 0 }, routed = { 0 };
	const struct finding *f;
	struct report *r;
	char tid[16];

	if (geteuid() != 0)
		cr_skip_test("needs root");
	r = run_check(10);
	cr_assert_not_null(test_find(r, SEV_OK, "share its network namespace"),
			   "healthy before any thread is stranded");
	report_free(r);

	holder_start(&stale, "ip link set lo up");
	holder_start(&routed, ROUTED_SETUP);
	r = run_check(10);
	snprintf(tid, sizeof(tid), "%d", stale.tid);
	f = test_find(r, SEV_CRITICAL,
		      "no container owns it and it has no routes");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "tids"), tid);
	cr_assert_str_eq(test_evidence(f, "routes"), "none");
	cr_assert_str_eq(test_evidence(f, "owner"), "none");
	cr_assert_not_null(f->remedy);
	/* a --process target is not dockerd: no docker.service advice */
	cr_assert_null(strstr(f->remedy, "systemctl restart docker"), "%s",
		       f->remedy);
	cr_assert_not_null(strstr(f->remedy, "the way it was started"), "%s",
			   f->remedy);
	f = test_find(r, SEV_WARNING, "(it still has routes)");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "default_route"), "yes");
	cr_assert_eq(severity_exit_code(report_worst(r)), 2);
	report_free(r);

	holder_stop(&stale);
	holder_stop(&routed);
	r = run_check(10);
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(netns_real, owned_namespace_is_not_stale, .timeout = 30)
{
	struct holder h = { 0 };
	struct report *r;
	pid_t child;
	int p[2];
	char c;

	if (geteuid() != 0)
		cr_skip_test("needs root");
	holder_start(&h, NULL);
	/* a process whose main thread lives in that namespace owns it */
	cr_assert_eq(pipe(p), 0);
	child = fork();
	if (child == 0) {
		char path[64];
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/ns/net",
			 getppid(), h.tid);
		fd = open(path, O_RDONLY);
		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
			_exit(1);
		close(p[0]);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	cr_assert_eq(read(p[0], &c, 1), 1);
	r = run_check(10);
	cr_assert_null(test_find(r, SEV_CRITICAL, "no container owns it"));
	cr_assert_not_null(test_find(
		r, SEV_WARNING, "stayed in the network namespace of process"));
	report_free(r);
	kill(child, SIGKILL);
	holder_stop(&h);
}

Test(netns_real, unknown_process_name)
{
	char *procs[] = { "no-such-process-name", NULL };
	struct options o = { .timeout_ms = 1000, .processes = procs };
	struct report *r;

	o.host = "unix:///nonexistent/dd-test.sock";
	r = fixture_run_check(NULL, &check_netns_stranded, &o, 0, NULL, 0);
	cr_assert_not_null(
		test_find(r, SEV_UNKNOWN, "no process of that name"));
	report_free(r);
}
