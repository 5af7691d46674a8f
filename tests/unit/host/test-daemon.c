// SPDX-License-Identifier: GPL-2.0-or-later
/* dockerd discovery and the daemon.process check, on fixture trees. */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <string.h>

#include "core/check.h"
#include "core/context.h"
#include "host/daemon.h"
#include "fixture.h"
#include "core/util.h"
#include "table.h"

extern const struct check check_daemon_process;

/* ---- command-line parsing ---- */

struct argv_case {
	const char *argv[10];
	const char *pidfile, *exec_root, *data_root, *config_file;
	const char *host0, *host1;
};

/* clang-format off */
static struct argv_case argv_cases[] = {
	{ { "dockerd" } },
	{ { "dockerd", "-H", "fd://", "--containerd=/run/containerd/containerd.sock" },
	  .host0 = "fd://" },
	{ { "dockerd", "--pidfile", "/p", "--exec-root=/e", "--data-root", "/d" },
	  "/p", "/e", "/d" },
	{ { "dockerd", "-p", "/p2", "-g", "/old" }, "/p2", .data_root = "/old" },
	{ { "dockerd", "-D", "-H", "unix:///a.sock", "--host=tcp://0.0.0.0:2375" },
	  .host0 = "unix:///a.sock", .host1 = "tcp://0.0.0.0:2375" },
	{ { "dockerd", "-Hunix:///glued.sock", "--debug", "--config-file", "/c.json" },
	  .config_file = "/c.json", .host0 = "unix:///glued.sock" },
	{ { "dockerd", "--iptables", "-H", "unix:///x" }, .host0 = "unix:///x" },
	{ { "dockerd", "--iptables=false", "--live-restore", "-p=/eq" }, "/eq" },
	{ { "dockerd", "--", "-H", "unix:///after-dashdash" } },
	{ { "dockerd", "--pidfile" } },
};
/* clang-format on */

ParameterizedTestParameters(daemon, parse_argv)
{
	TABLE_PARAMS(argv_cases);
}

static void expect_str(const char *got, const char *want, const char *what)
{
	if (want)
		cr_assert_str_eq(got ? got : "(null)", want, "%s", what);
	else
		cr_assert_null(got, "%s should be unset, is '%s'", what, got);
}

ParameterizedTest(size_t *ci, daemon, parse_argv)
{
	const struct argv_case *c = &argv_cases[*ci];
	struct dockerd_proc d = { 0 };
	char **argv = NULL;

	for (size_t i = 0; c->argv[i]; i++)
		strv_push(&argv, c->argv[i]);
	cr_assert_eq(dockerd_parse_argv(argv, &d), 0);
	expect_str(d.pidfile, c->pidfile, "pidfile");
	expect_str(d.exec_root, c->exec_root, "exec-root");
	expect_str(d.data_root, c->data_root, "data-root");
	expect_str(d.config_file, c->config_file, "config-file");
	expect_str(d.hosts ? d.hosts[0] : NULL, c->host0, "host 0");
	expect_str(d.hosts && d.hosts[0] ? d.hosts[1] : NULL, c->host1,
		   "host 1");
	strv_free(argv);
	strv_free(d.hosts);
	free(d.pidfile);
	free(d.exec_root);
	free(d.data_root);
	free(d.config_file);
	free(d.containerd);
}

/* ---- discovery on fixture trees ---- */

static const char *const dockerd_argv[] = { "/usr/sbin/dockerd", "-H", "fd://",
					    NULL };
static const char *const dockerd2_argv[] = {
	"dockerd",   "--data-root", "/srv/d2", "--exec-root",	      "/run/d2",
	"--pidfile", "/run/d2.pid", "-H",      "unix:///run/d2.sock", NULL
};
static const char *const containerd_argv[] = { "/usr/bin/containerd", NULL };
static const char *const sleep_argv[] = { "sleep", "100", NULL };

static struct fixture fx;

static void setup(void)
{
	fixture_init(&fx);
	fixture_write(&fx, "/proc/stat", "cpu 1\nbtime 1700000000\n", -1);
	fixture_write(&fx, "/proc/net/unix",
		      "Num RefCount Protocol Flags Type St Inode Path\n", -1);
	fixture_write(&fx, "/proc/sys/kernel/hostname", "fixture\n", -1);
}

static void teardown(void)
{
	fixture_release(&fx);
}

static struct daemon_set *find(int want_pid, const char *sock, bool explicit)
{
	struct daemon_query q = { .want_pid = want_pid,
				  .api_socket = sock,
				  .api_explicit = explicit };
	struct daemon_set *ds = NULL;
	struct pathctx pc;

	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(daemon_find(&pc, &q, &ds), 0);
	pathctx_release(&pc);
	return ds;
}

TestSuite(discovery, .init = setup, .fini = teardown);

Test(discovery, only_daemon_and_its_containerd)
{
	struct daemon_set *ds;

	fixture_process(&fx, 100, 1, dockerd_argv);
	fixture_process(&fx, 120, 100, containerd_argv);
	fixture_process(&fx, 130, 1, sleep_argv);
	fixture_write(&fx, "/var/run/docker.pid", "100", -1);
	ds = find(0, NULL, false);
	cr_assert_eq(ds->n, 1);
	cr_assert_eq(daemon_selected(ds)->st.pid, 100);
	cr_assert_eq(ds->picked_by, PICK_PIDFILE);
	cr_assert_eq(ds->pidfile_pid, 100);
	cr_assert_eq(ds->n_containerd, 1);
	cr_assert_eq(ds->containerd[0].ppid, 100);
	cr_assert_eq(daemon_start_time(ds, &ds->procs[0].st),
		     1700000000LL + 12345 / ds->clk_tck);
	daemon_set_free(ds);
}

Test(discovery, several_picks_the_socket_holder)
{
	struct daemon_set *ds;

	fixture_process(&fx, 100, 1, dockerd_argv);
	fixture_process(&fx, 200, 1, dockerd2_argv);
	fixture_write(
		&fx, "/proc/net/unix",
		"Num RefCount Protocol Flags Type St Inode Path\n"
		"0: 00000002 00000000 00010000 0001 01 4242 /var/run/docker.sock\n",
		-1);
	fixture_symlink(&fx, "/proc/200/fd/5", "socket:[4242]");
	fixture_mkdir(&fx, "/proc/100/fd");
	ds = find(0, "/var/run/docker.sock", false);
	cr_assert_eq(daemon_selected(ds)->st.pid, 200);
	cr_assert_eq(ds->picked_by, PICK_API_SOCKET);
	cr_assert_str_eq(ds->pidfile, "/run/d2.pid",
			 "the selected daemon's own pidfile is read");
	daemon_set_free(ds);
}

Test(discovery, host_flag_names_the_socket)
{
	struct daemon_set *ds;

	fixture_process(&fx, 100, 1, dockerd_argv);
	fixture_process(&fx, 200, 1, dockerd2_argv);
	ds = find(0, "/run/d2.sock", true);
	cr_assert_eq(daemon_selected(ds)->st.pid, 200);
	cr_assert_eq(ds->picked_by, PICK_HOST_FLAG);
	daemon_set_free(ds);
}

Test(discovery, explicit_socket_nobody_serves)
{
	struct daemon_set *ds;

	fixture_process(&fx, 100, 1, dockerd_argv);
	fixture_mkdir(&fx, "/proc/100/fd");
	fixture_write(
		&fx, "/proc/net/unix",
		"Num RefCount Protocol Flags Type St Inode Path\n"
		"0: 00000002 00000000 00010000 0001 01 77 /tmp/other.sock\n",
		-1);
	ds = find(0, "/tmp/other.sock", true);
	cr_assert_null(daemon_selected(ds));
	cr_assert(ds->api_mismatch);
	daemon_set_free(ds);
}

Test(discovery, pid_option)
{
	struct daemon_set *ds;

	fixture_process(&fx, 100, 1, dockerd_argv);
	fixture_process(&fx, 200, 1, dockerd2_argv);
	fixture_process(&fx, 300, 1, sleep_argv);
	ds = find(200, NULL, false);
	cr_assert_eq(daemon_selected(ds)->st.pid, 200);
	cr_assert_eq(ds->picked_by, PICK_PID_OPTION);
	daemon_set_free(ds);
	ds = find(999, NULL, false);
	cr_assert_null(daemon_selected(ds));
	cr_assert_eq(ds->want_pid_err, -ESRCH);
	daemon_set_free(ds);
	ds = find(300, NULL, false);
	cr_assert_null(daemon_selected(ds));
	cr_assert_eq(ds->want_pid_err, 0);
	cr_assert_str_eq(ds->want_pid_comm, "sleep");
	daemon_set_free(ds);
}

Test(discovery, stale_and_reused_pidfile)
{
	struct daemon_set *ds;

	fixture_write(&fx, "/var/run/docker.pid", "4000\n", -1);
	ds = find(0, NULL, false);
	cr_assert_eq(ds->n, 0);
	cr_assert_eq(ds->pidfile_pid, 4000);
	cr_assert_eq(ds->pidfile_alive, 0);
	daemon_set_free(ds);
	fixture_process(&fx, 4000, 1, sleep_argv);
	ds = find(0, NULL, false);
	cr_assert_eq(ds->pidfile_alive, 1);
	cr_assert_str_eq(ds->pidfile_comm, "sleep");
	daemon_set_free(ds);
	fixture_write(&fx, "/var/run/docker.pid", "not a pid", -1);
	ds = find(0, NULL, false);
	cr_assert_eq(ds->pidfile_err, -EINVAL);
	daemon_set_free(ds);
}

/* ---- the daemon.process check ---- */

/* Run the check against the fixture tree; returns the report. */
static struct report *run_check(int want_pid)
{
	struct options o = { .timeout_ms = 1000, .pid = want_pid };

	return fixture_run_check(&fx, &check_daemon_process, &o, 0, NULL, 0);
}

TestSuite(process_check, .init = setup, .fini = teardown);

Test(process_check, healthy)
{
	struct report *r;
	const struct finding *f;

	fixture_process(&fx, 100, 1, dockerd_argv);
	fixture_process(&fx, 120, 100, containerd_argv);
	fixture_write(&fx, "/var/run/docker.pid", "100", -1);
	r = run_check(0);
	cr_assert_eq(report_worst(r), SEV_OK);
	f = test_find(r, SEV_OK, "dockerd is running (pid 100");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "pidfile"), "/var/run/docker.pid");
	cr_assert_str_eq(test_evidence(f, "hosts"), "fd://");
	cr_assert_str_eq(test_evidence(f, "data_root"), "/var/lib/docker");
	cr_assert_not_null(test_find(
		r, SEV_OK,
		"containerd is running (pid 120, started by dockerd)"));
	report_free(r);
}

Test(process_check, not_running_stale_pidfile)
{
	struct report *r;
	const struct finding *f;

	fixture_write(&fx, "/var/run/docker.pid", "4000", -1);
	r = run_check(0);
	f = test_find(r, SEV_CRITICAL, "dockerd is not running");
	cr_assert_not_null(f);
	cr_assert_not_null(
		strstr(f->detail, "names pid 4000, which has exited"));
	cr_assert_not_null(f->remedy);
	cr_assert_eq(severity_exit_code(report_worst(r)), 2);
	report_free(r);
}

Test(process_check, not_running_pid_reused)
{
	struct report *r;
	const struct finding *f;

	fixture_write(&fx, "/var/run/docker.pid", "4000", -1);
	fixture_process(&fx, 4000, 1, sleep_argv);
	r = run_check(0);
	f = test_find(r, SEV_CRITICAL, "dockerd is not running");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->detail, "which is now 'sleep'"));
	cr_assert_not_null(strstr(f->detail, "refuses to start"));
	report_free(r);
}

Test(process_check, pid_option_not_dockerd)
{
	struct report *r;

	fixture_process(&fx, 300, 1, sleep_argv);
	r = run_check(300);
	cr_assert_not_null(test_find(
		r, SEV_CRITICAL, "pid 300 (--pid) is 'sleep', not dockerd"));
	report_free(r);
	r = run_check(301);
	cr_assert_not_null(
		test_find(r, SEV_CRITICAL, "no process with pid 301"));
	report_free(r);
}

Test(process_check, two_daemons_one_data_root)
{
	static const char *const dup_argv[] = {
		"dockerd", "--pidfile",		 "/run/x.pid",
		"-H",	   "unix:///run/x.sock", NULL
	};
	struct report *r;

	fixture_process(&fx, 100, 1, dockerd_argv);
	fixture_process(&fx, 150, 1, dup_argv);
	fixture_process(&fx, 200, 1, dockerd2_argv);
	fixture_write(&fx, "/var/run/docker.pid", "100", -1);
	r = run_check(0);
	cr_assert_not_null(test_find(
		r, SEV_CRITICAL,
		"dockerd 100 and 150 share data-root '/var/lib/docker'"));
	cr_assert_not_null(test_find(r, SEV_INFO, "3 dockerd processes run"));
	report_free(r);
}

Test(process_check, rootless_and_system_are_info_only)
{
	struct report *r;

	fixture_process(&fx, 100, 1, dockerd_argv);
	fixture_process(&fx, 101, 100, containerd_argv);
	fixture_process(&fx, 200, 1, dockerd2_argv);
	fixture_write(&fx, "/var/run/docker.pid", "100", -1);
	r = run_check(0);
	cr_assert_eq(report_worst(r), SEV_INFO);
	report_free(r);
}

/* The containerd another dockerd started is not the examined one's. */
Test(process_check, another_daemons_containerd_is_not_this_ones)
{
	struct report *r;
	const struct finding *f;

	fixture_process(&fx, 100, 1, dockerd_argv);
	fixture_process(&fx, 200, 1, dockerd2_argv);
	fixture_process(&fx, 201, 200, containerd_argv);
	r = run_check(100);
	cr_assert_null(test_find(r, SEV_OK, "containerd is running"),
		       "dockerd 200's containerd counted for dockerd 100");
	f = test_find(r, SEV_WARNING,
		      "containerd is not running for this dockerd");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "other_containerd"),
			 "201 (child of dockerd 200)");
	report_free(r);
	/* the other daemon examined: its own child */
	r = run_check(200);
	cr_assert_not_null(test_find(
		r, SEV_OK,
		"containerd is running (pid 201, started by dockerd)"));
	report_free(r);
}

Test(process_check, pidfile_mismatch_and_no_containerd)
{
	struct report *r;

	fixture_process(&fx, 100, 1, dockerd_argv);
	fixture_write(&fx, "/var/run/docker.pid", "99", -1);
	r = run_check(0);
	cr_assert_not_null(test_find(
		r, SEV_WARNING, "names pid 99, not the running dockerd 100"));
	cr_assert_not_null(
		test_find(r, SEV_WARNING, "containerd is not running"));
	cr_assert_eq(severity_exit_code(report_worst(r)), 1);
	report_free(r);
}

Test(process_check, credentials_masked_in_cmdline)
{
	static const char *const proxy_argv[] = {
		"dockerd", "--http-proxy", "http://bob:hunter2@proxy:3128", NULL
	};
	struct report *r;
	const struct finding *f;

	fixture_process(&fx, 100, 1, proxy_argv);
	r = run_check(0);
	f = test_find(r, SEV_OK, "dockerd is running");
	cr_assert_not_null(f);
	cr_assert_null(strstr(test_evidence(f, "cmdline"), "hunter2"));
	cr_assert_not_null(
		strstr(test_evidence(f, "cmdline"), "xxxxx:xxxxx@proxy"));
	report_free(r);
}

Test(process_check, unreadable_proc_is_an_error)
{
	struct options o = { .timeout_ms = 1000 };
	struct report *r;
	char error[512];

	fixture_release(&fx);
	fixture_init(&fx); /* an empty tree: no /proc at all */
	r = fixture_run_check(&fx, &check_daemon_process, &o, -ENOENT, error,
			      sizeof(error));
	cr_assert_not_null(strstr(error, "cannot scan"));
	cr_assert_not_null(strstr(error, "/proc"));
	report_free(r);
}
