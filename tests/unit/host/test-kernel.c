// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel release and command line, the cgroup collector, and the
 * kernel.version, kernel.swap-limit and kernel.cgroups checks on fixture
 * trees. The real host is covered by tests/e2e/kernel.sh.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <string.h>

#include "host/cgroups.h"
#include "core/check.h"
#include "core/context.h"
#include "config/dconfig.h"
#include "fixture.h"
#include "host/kernel.h"
#include "table.h"
#include "core/util.h"

extern const struct check check_kernel_version;
extern const struct check check_kernel_swap_limit;
extern const struct check check_kernel_cgroups;

/* ---- kernel release ---- */

struct release_case {
	const char *s;
	int ret;
	unsigned major, minor, patch;
};

/* clang-format off */
static struct release_case release_cases[] = {
	{ "6.1.0-28-amd64\n", 0, 6, 1, 0 },
	{ "3.10.0-1160.el7.x86_64", 0, 3, 10, 0 },
	{ "5.15.167", 0, 5, 15, 167 },
	{ "4.19", 0, 4, 19, 0 },
	{ "6.8.0-rc1+", 0, 6, 8, 0 },
	{ "2.6.32-754.el6.x86_64", 0, 2, 6, 32 },
	{ "6.18.44-fc-v657", 0, 6, 18, 44 },
	{ "5.4.0.", 0, 5, 4, 0 },
	{ "", -EINVAL },
	{ "abc", -EINVAL },
	{ "6", -EINVAL },
	{ "6.", -EINVAL },
	{ ".1", -EINVAL },
	{ "99999999.1", -EINVAL },
};
/* clang-format on */

ParameterizedTestParameters(kernel, parse_release)
{
	TABLE_PARAMS(release_cases);
}

ParameterizedTest(size_t *i, kernel, parse_release)
{
	const struct release_case *c = &release_cases[*i];
	struct kernel_release k;

	cr_assert_eq(kernel_parse_release(c->s, &k), c->ret, "%s", c->s);
	if (c->ret)
		return;
	cr_assert_eq(k.major, c->major);
	cr_assert_eq(k.minor, c->minor);
	cr_assert_eq(k.patch, c->patch);
	cr_assert_null(strchr(k.release, '\n'));
}

Test(kernel, compare)
{
	struct kernel_release k;

	cr_assert_eq(kernel_parse_release("3.10.0", &k), 0);
	cr_assert_eq(kernel_cmp(&k, 3, 10, 0), 0);
	cr_assert_lt(kernel_cmp(&k, 3, 10, 1), 0);
	cr_assert_lt(kernel_cmp(&k, 4, 0, 0), 0);
	cr_assert_gt(kernel_cmp(&k, 3, 9, 99), 0);
	cr_assert_gt(kernel_cmp(&k, 2, 6, 32), 0);
}

struct cmdline_case {
	const char *cmdline, *name;
	int found;
	const char *value;
};

/* clang-format off */
static struct cmdline_case cmdline_cases[] = {
	{ "ro quiet swapaccount=1", "swapaccount", 1, "1" },
	{ "swapaccount=0 ro swapaccount=1", "swapaccount", 1, "1" },
	{ "swapaccount=1 ro swapaccount=0\n", "swapaccount", 1, "0" },
	{ "ro quiet", "swapaccount", 0, NULL },
	{ "swapaccountx=1", "swapaccount", 0, NULL },
	{ "xswapaccount=1", "swapaccount", 0, NULL },
	{ "ro quiet", "quiet", 1, "" },
	{ "a=\"b c\" cgroup_enable=memory", "a", 1, "b c" },
	{ "a=\"b c\" cgroup_enable=memory", "cgroup_enable", 1, "memory" },
	{ "", "ro", 0, NULL },
	{ "   ", "ro", 0, NULL },
};
/* clang-format on */

ParameterizedTestParameters(kernel, cmdline_params)
{
	TABLE_PARAMS(cmdline_cases);
}

ParameterizedTest(size_t *i, kernel, cmdline_params)
{
	const struct cmdline_case *c = &cmdline_cases[*i];
	char val[64] = "unset";

	cr_assert_eq(kernel_cmdline_param(c->cmdline, c->name, val,
					  sizeof(val)),
		     c->found, "%s in '%s'", c->name, c->cmdline);
	if (c->found)
		cr_assert_str_eq(val, c->value);
}

/* ---- cgroup parsing ---- */

#define MI_TMPFS "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n"
#define MI_V1                                                                         \
	MI_TMPFS                                                                      \
	"32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n" \
	"34 31 0:31 / /sys/fs/cgroup/cpuset rw - cgroup cgroup rw,cpuset\n"           \
	"35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"           \
	"36 31 0:33 / /sys/fs/cgroup/devices rw - cgroup cgroup rw,devices\n"         \
	"37 31 0:34 / /sys/fs/cgroup/freezer rw - cgroup cgroup rw,freezer\n"         \
	"38 31 0:35 / /sys/fs/cgroup/blkio rw - cgroup cgroup rw,blkio\n"             \
	"39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"               \
	"40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
#define MI_HYBRID \
	MI_V1 "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate\n"
#define MI_V2 \
	"30 23 0:27 / /sys/fs/cgroup rw shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"

Test(cgroups, mountinfo_v1)
{
	struct cgroup_info ci = { 0 };

	cr_assert_eq(cgroups_parse_mountinfo(MI_V1, &ci), 0);
	cr_assert_eq(ci.mode, CGROUP_V1);
	cr_assert_str_eq(cgroups_v1_path(&ci, "cpu"),
			 "/sys/fs/cgroup/cpu,cpuacct");
	cr_assert_str_eq(cgroups_v1_path(&ci, "cpuacct"),
			 "/sys/fs/cgroup/cpu,cpuacct");
	cr_assert_str_eq(cgroups_v1_path(&ci, "memory"),
			 "/sys/fs/cgroup/memory");
	cr_assert_not_null(cgroups_v1_path(&ci, "name=systemd"));
	cr_assert_null(cgroups_v1_path(&ci, "xattr"));
	cr_assert_null(cgroups_v1_path(&ci, "rw"));
	cr_assert_null(cgroups_v1_path(&ci, "hugetlb"));
}

Test(cgroups, mountinfo_hybrid_and_v2)
{
	struct cgroup_info ci = { 0 };

	cr_assert_eq(cgroups_parse_mountinfo(MI_HYBRID, &ci), 0);
	cr_assert_eq(ci.mode, CGROUP_HYBRID);
	cr_assert_str_eq(ci.v2_path, "/sys/fs/cgroup/unified");
	memset(&ci, 0, sizeof(ci));
	cr_assert_eq(cgroups_parse_mountinfo(MI_V2, &ci), 0);
	cr_assert_eq(ci.mode, CGROUP_V2);
	cr_assert_str_eq(ci.v2_path, "/sys/fs/cgroup");
	cr_assert_eq(ci.n_v1, 0);
}

Test(cgroups, mountinfo_odd)
{
	struct cgroup_info ci = { 0 };

	/* escaped mount point, junk lines, a line without the separator */
	cr_assert_eq(
		cgroups_parse_mountinfo(
			"garbage\n\n1 2 3\n"
			"50 1 0:40 / /cg\\040mem rw - cgroup cg rw,memory\n"
			"51 1 0:41 / /x rw - tmpfs tmpfs rw\n",
			&ci),
		0);
	cr_assert_eq(ci.mode, CGROUP_V1);
	cr_assert_str_eq(cgroups_v1_path(&ci, "memory"), "/cg mem");
	memset(&ci, 0, sizeof(ci));
	cr_assert_eq(cgroups_parse_mountinfo("", &ci), 0);
	cr_assert_eq(ci.mode, CGROUP_NONE);
	memset(&ci, 0, sizeof(ci));
	/* cgroup2 somewhere else only: still unified */
	cr_assert_eq(cgroups_parse_mountinfo(
			     "9 1 0:9 / /cgroup2 rw - cgroup2 none rw\n", &ci),
		     0);
	cr_assert_eq(ci.mode, CGROUP_V2);
	cr_assert_str_eq(ci.v2_path, "/cgroup2");
}

Test(cgroups, proc_cgroups)
{
	struct cgroup_info ci = { 0 };

	cr_assert_eq(cgroups_parse_proc_cgroups(
			     "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
			     "cpuset\t3\t6\t1\nmemory\t0\t20\t0\npids 8 6 1\n",
			     &ci),
		     0);
	cr_assert_eq(ci.n_kernel, 3);
	cr_assert(cgroups_kernel(&ci, "cpuset")->enabled);
	cr_assert_not(cgroups_kernel(&ci, "memory")->enabled);
	cr_assert_eq(cgroups_kernel(&ci, "pids")->hierarchy, 8);
	cr_assert_null(cgroups_kernel(&ci, "io"));
	cr_assert_eq(cgroups_parse_proc_cgroups("#only a header\njunk\n", &ci),
		     -EINVAL);
}

Test(cgroups, pid_cgroup)
{
	const char *buf = "7:cpuset:/cs\n"
			  "12:pids:/docker/abc\n"
			  "4:cpu,cpuacct:/system.slice/docker.service\n"
			  "3:memory:/mem/x\r\n"
			  "1:name=systemd:/init.scope\n"
			  "0::/system.slice/docker.service\n";
	char out[128];

	cr_assert_eq(cgroups_parse_pid_cgroup(buf, "", out, sizeof(out)), 1);
	cr_assert_str_eq(out, "/system.slice/docker.service");
	cr_assert_eq(cgroups_parse_pid_cgroup(buf, "cpuacct", out, sizeof(out)),
		     1);
	cr_assert_str_eq(out, "/system.slice/docker.service");
	cr_assert_eq(cgroups_parse_pid_cgroup(buf, "memory", out, sizeof(out)),
		     1);
	cr_assert_str_eq(out, "/mem/x");
	cr_assert_eq(cgroups_parse_pid_cgroup(buf, "blkio", out, sizeof(out)),
		     0);
	cr_assert_eq(cgroups_parse_pid_cgroup("4:memory:/m\n", "", out,
					      sizeof(out)),
		     0);
	cr_assert(cgroups_list_has("cpuset cpu io memory pids\n", "io"));
	cr_assert_not(cgroups_list_has("cpuset cpu io memory pids", "mem"));
	cr_assert_not(cgroups_list_has("", "cpu"));
}

/* ---- exec-opts in the effective configuration ---- */

Test(cgroups, effective_cgroup_driver)
{
	const char *file = "{\"exec-opts\": [\"native.cgroupdriver=systemd\"]}";
	char *flags[] = { "--exec-opt", " Native.CgroupDriver = cgroupfs ",
			  NULL };
	struct dconfig_effective e;

	cr_assert_eq(dconfig_effective(file, strlen(file), NULL, 2010, &e), 0);
	cr_assert_str_eq(e.cgroup_driver, "systemd");
	cr_assert_eq(e.icc, 1);
	dconfig_effective_release(&e);
	cr_assert_eq(dconfig_effective(file, strlen(file), flags, 2010, &e), 0);
	cr_assert_str_eq(e.cgroup_driver, "cgroupfs");
	dconfig_effective_release(&e);
	cr_assert_eq(dconfig_effective("{\"icc\": false}", 14, NULL, 2010, &e),
		     0);
	cr_assert_null(e.cgroup_driver);
	cr_assert_eq(e.icc, 0);
	dconfig_effective_release(&e);
}

/* ---- checks on fixture trees ---- */

static struct fixture fx;

static void setup(void)
{
	fixture_init(&fx);
	fixture_write(&fx, "/proc/stat", "btime 1000\n", -1);
	fixture_write(&fx, "/proc/sys/kernel/osrelease", "6.1.0-28-amd64\n",
		      -1);
	fixture_write(&fx, "/proc/cmdline", "BOOT_IMAGE=/vmlinuz ro quiet\n",
		      -1);
	fixture_write(&fx, "/proc/swaps",
		      "Filename\tType\tSize\tUsed\tPriority\n", -1);
	fixture_write(&fx, "/proc/cgroups",
		      "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
		      "cpuset\t0\t1\t1\ncpu\t0\t1\t1\ncpuacct\t0\t1\t1\n"
		      "blkio\t0\t1\t1\nmemory\t0\t1\t1\ndevices\t0\t1\t1\n"
		      "freezer\t0\t1\t1\npids\t0\t1\t1\n",
		      -1);
}

static void teardown(void)
{
	fixture_release(&fx);
}

/* A dockerd (pid 100) with the given extra arguments and cgroup file. */
static void add_dockerd(const char *arg1, const char *arg2, const char *cgroup)
{
	const char *argv[] = { "/usr/sbin/dockerd", arg1, arg2, NULL };

	fixture_process(&fx, 100, 1, argv);
	fixture_write(&fx, "/proc/100/cgroup", cgroup, -1);
}

/* A v2 host: mountinfo, controllers and the given cgroup files. */
static void v2_host(const char *controllers)
{
	fixture_write(&fx, "/proc/self/mountinfo", MI_V2, -1);
	fixture_write(&fx, "/proc/100/mountinfo", MI_V2, -1);
	fixture_write(&fx, "/sys/fs/cgroup/cgroup.controllers", controllers,
		      -1);
	fixture_write(&fx, "/sys/fs/cgroup/cgroup.subtree_control", controllers,
		      -1);
}

static void v1_host(void)
{
	fixture_write(&fx, "/proc/self/mountinfo", MI_HYBRID, -1);
	fixture_write(&fx, "/proc/100/mountinfo", MI_HYBRID, -1);
	fixture_write(&fx, "/sys/fs/cgroup/memory/memory.limit_in_bytes",
		      "9223372036854771712\n", -1);
}

static struct report *run_check(const struct check *c, int pid)
{
	struct options o = { .timeout_ms = 300, .pid = pid };

	o.host = "unix:///nonexistent/dd.sock";
	return fixture_run_check(&fx, c, &o, 0, NULL, 0);
}

TestSuite(kversion, .init = setup, .fini = teardown);

Test(kversion, healthy)
{
	struct report *r = run_check(&check_kernel_version, 0);
	const struct finding *f = test_find(r, SEV_OK, "6.1.0-28-amd64");

	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "version"), "6.1.0");
	cr_assert_eq(r->n_findings, 1);
	report_free(r);
}

Test(kversion, too_old_is_critical)
{
	struct report *r;

	fixture_write(&fx, "/proc/sys/kernel/osrelease",
		      "2.6.32-754.el6.x86_64\n", -1);
	r = run_check(&check_kernel_version, 0);
	cr_assert_not_null(test_find(r, SEV_CRITICAL, "older than 3.10"));
	cr_assert_eq(report_worst(r), SEV_CRITICAL);
	report_free(r);
}

Test(kversion, exactly_310_is_fine)
{
	struct report *r;

	fixture_write(&fx, "/proc/sys/kernel/osrelease",
		      "3.10.0-1160.el7.x86_64\n", -1);
	r = run_check(&check_kernel_version, 0);
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(kversion, unreadable_release_is_an_error)
{
	struct options o = { .timeout_ms = 300 };
	struct report *r;
	char error[512];

	fixture_write(&fx, "/proc/sys/kernel/osrelease", "garbage\n", -1);
	o.host = "unix:///nonexistent/dd.sock";
	r = fixture_run_check(&fx, &check_kernel_version, &o, -EINVAL, error,
			      sizeof(error));
	cr_assert_not_null(strstr(error, "/proc/sys/kernel/osrelease"));
	report_free(r);
}

Test(kversion, newer_kernel_installed)
{
	struct report *r;
	const struct finding *f;

	fixture_mkdir(&fx, "/lib/modules/6.1.0-28-amd64");
	fixture_mkdir(&fx, "/lib/modules/6.1.0-30-amd64");
	fixture_mkdir(&fx, "/lib/modules/5.10.0-33-amd64");
	fixture_write(&fx, "/boot/vmlinuz-6.1.0-28-amd64", "", -1);
	fixture_write(&fx, "/boot/config-6.1.0-30-amd64", "", -1);
	r = run_check(&check_kernel_version, 0);
	f = test_find(r, SEV_INFO, "6.1.0-30-amd64 is installed");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "installed"),
			 "/lib/modules/6.1.0-30-amd64");
	report_free(r);
}

/* Another flavour of the same or an older version is not "newer". */
Test(kversion, another_flavour_is_not_newer)
{
	struct report *r;

	fixture_mkdir(&fx, "/lib/modules/6.1.0-28-amd64");
	fixture_mkdir(&fx, "/lib/modules/6.1.0-28-cloud-amd64");
	fixture_mkdir(&fx, "/lib/modules/6.1.0-28-rt-amd64");
	fixture_write(&fx, "/boot/vmlinuz-6.1.0-28-cloud-amd64", "", -1);
	r = run_check(&check_kernel_version, 0);
	cr_assert_null(test_find(r, SEV_INFO, "is installed"));
	cr_assert_eq(r->n_findings, 1);
	report_free(r);
}

/* Fedora's next release (fc39 to fc40) is the same flavour. */
Test(kversion, fedora_next_release_is_newer)
{
	struct report *r;

	fixture_write(&fx, "/proc/sys/kernel/osrelease",
		      "6.5.6-300.fc39.x86_64\n", -1);
	fixture_mkdir(&fx, "/lib/modules/6.5.6-300.fc39.x86_64");
	fixture_mkdir(&fx, "/lib/modules/6.8.9-100.fc40.x86_64");
	r = run_check(&check_kernel_version, 0);
	cr_assert_not_null(
		test_find(r, SEV_INFO, "6.8.9-100.fc40.x86_64 is installed"));
	report_free(r);
}

Test(kversion, same_kernel_only_is_quiet)
{
	struct report *r;

	fixture_mkdir(&fx, "/lib/modules/6.1.0-28-amd64");
	fixture_mkdir(&fx, "/lib/modules/5.10.0-33-amd64");
	fixture_write(&fx, "/boot/vmlinuz-6.1.0-28-amd64", "", -1);
	r = run_check(&check_kernel_version, 0);
	cr_assert_eq(r->n_findings, 1);
	report_free(r);
}

Test(kversion, reboot_required)
{
	struct report *r;
	const struct finding *f;

	fixture_write(&fx, "/run/reboot-required",
		      "*** System restart required ***\n", -1);
	fixture_write(&fx, "/run/reboot-required.pkgs",
		      "linux-image-amd64\nlibc6\n", -1);
	r = run_check(&check_kernel_version, 0);
	f = test_find(r, SEV_INFO, "reboot is pending");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "packages"),
			 "linux-image-amd64 libc6");
	report_free(r);
}

TestSuite(swap, .init = setup, .fini = teardown);

Test(swap, v1_supported)
{
	struct report *r;
	const struct finding *f;

	v1_host();
	fixture_write(&fx, "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes",
		      "9223372036854771712\n", -1);
	r = run_check(&check_kernel_swap_limit, 0);
	f = test_find(r, SEV_OK, "swap limits work (cgroup hybrid)");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "supported_by"),
			 "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes");
	report_free(r);
}

Test(swap, v1_missing_with_swap_in_use)
{
	struct report *r;
	const struct finding *f;

	v1_host();
	fixture_write(&fx, "/proc/swaps",
		      "Filename\tType\tSize\tUsed\tPriority\n"
		      "/swapfile file 2097148 0 -2\n",
		      -1);
	r = run_check(&check_kernel_swap_limit, 0);
	f = test_find(r, SEV_WARNING, "no swap limit support");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "swapaccount=1"));
	cr_assert_not_null(strstr(f->remedy, "update-grub"));
	cr_assert_str_eq(test_evidence(f, "swap"), "2097148 kB in 1 device");
	report_free(r);
}

Test(swap, v1_missing_without_swap_is_info)
{
	struct report *r;

	v1_host();
	r = run_check(&check_kernel_swap_limit, 0);
	cr_assert_not_null(test_find(r, SEV_INFO, "no swap is in use"));
	cr_assert_eq(report_worst(r), SEV_INFO);
	report_free(r);
}

Test(swap, v1_swapaccount_zero_is_named)
{
	struct report *r;
	const struct finding *f;

	v1_host();
	fixture_write(&fx, "/proc/cmdline", "ro swapaccount=0\n", -1);
	r = run_check(&check_kernel_swap_limit, 0);
	f = test_find(r, SEV_INFO, "swapaccount=0");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "cmdline_swapaccount"), "0");
	report_free(r);
}

Test(swap, v1_memory_controller_disabled)
{
	struct report *r;
	const struct finding *f;

	fixture_write(
		&fx, "/proc/self/mountinfo",
		MI_TMPFS
		"36 31 0:33 / /sys/fs/cgroup/devices rw - cgroup cgroup rw,devices\n",
		-1);
	fixture_write(&fx, "/proc/cgroups",
		      "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
		      "memory\t0\t1\t0\ndevices\t5\t1\t1\n",
		      -1);
	r = run_check(&check_kernel_swap_limit, 0);
	f = test_find(r, SEV_WARNING, "no memory limits either");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->summary, "disabled"));
	report_free(r);
}

Test(swap, v2_daemon_cgroup_supported)
{
	struct report *r;
	const struct finding *f;

	v2_host("cpuset cpu io memory pids\n");
	add_dockerd("-H", "fd://", "0::/system.slice/docker.service\n");
	fixture_write(
		&fx,
		"/sys/fs/cgroup/system.slice/docker.service/memory.swap.max",
		"max\n", -1);
	r = run_check(&check_kernel_swap_limit, 100);
	f = test_find(r, SEV_OK, "swap limits work (cgroup v2)");
	cr_assert_not_null(f);
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(swap, v2_daemon_in_root_cgroup_is_mobys_false_positive)
{
	struct report *r;
	const struct finding *f;

	v2_host("cpuset cpu io memory pids\n");
	add_dockerd("-H", "unix:///x.sock", "0::/\n");
	fixture_write(&fx, "/sys/fs/cgroup/system.slice/memory.swap.max",
		      "max\n", -1);
	r = run_check(&check_kernel_swap_limit, 100);
	f = test_find(r, SEV_WARNING, "concluded it does not");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "daemon_cgroup"), "/");
	cr_assert_not_null(strstr(f->remedy, "docker.service"));
	cr_assert_null(strstr(f->remedy, "grub"));
	report_free(r);
}

Test(swap, v2_without_daemon_uses_other_cgroups)
{
	struct report *r;

	v2_host("cpuset cpu io memory pids\n");
	fixture_write(&fx, "/sys/fs/cgroup/init.scope/memory.swap.max", "max\n",
		      -1);
	r = run_check(&check_kernel_swap_limit, 0);
	cr_assert_not_null(test_find(r, SEV_OK, "swap limits work"));
	report_free(r);
}

Test(swap, v2_memory_without_swap_files)
{
	struct report *r;

	v2_host("cpuset cpu io memory pids\n");
	fixture_write(&fx, "/proc/swaps",
		      "Filename\tType\tSize\tUsed\tPriority\n"
		      "/dev/vda2 partition 1000 0 -2\n",
		      -1);
	fixture_write(&fx, "/sys/fs/cgroup/system.slice/memory.max", "max\n",
		      -1);
	r = run_check(&check_kernel_swap_limit, 0);
	cr_assert_not_null(test_find(r, SEV_WARNING, "swap accounting is off"));
	report_free(r);
}

Test(swap, v2_no_memory_controller)
{
	struct report *r;

	v2_host("cpuset cpu io pids\n");
	r = run_check(&check_kernel_swap_limit, 0);
	cr_assert_not_null(
		test_find(r, SEV_WARNING, "no memory limits either"));
	report_free(r);
}

Test(swap, v2_kernel_rule_when_nothing_to_look_at)
{
	struct report *r;

	v2_host("cpuset cpu io memory pids\n");
	r = run_check(&check_kernel_swap_limit, 0);
	cr_assert_not_null(test_find(r, SEV_OK, "swap limits work"));
	report_free(r);
	fixture_write(&fx, "/proc/cmdline", "ro swapaccount=0\n", -1);
	r = run_check(&check_kernel_swap_limit, 0);
	cr_assert_not_null(test_find(r, SEV_INFO, "swapaccount=0"));
	report_free(r);
	fixture_write(&fx, "/proc/cmdline", "ro\n", -1);
	fixture_write(&fx, "/proc/sys/kernel/osrelease", "5.4.0-1-generic\n",
		      -1);
	r = run_check(&check_kernel_swap_limit, 0);
	cr_assert_not_null(test_find(r, SEV_UNKNOWN, "cannot tell"));
	report_free(r);
}

Test(swap, no_cgroups_at_all)
{
	struct report *r;

	fixture_write(&fx, "/proc/self/mountinfo",
		      "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n", -1);
	r = run_check(&check_kernel_swap_limit, 0);
	cr_assert_not_null(test_find(r, SEV_UNKNOWN, "no cgroup file system"));
	report_free(r);
}

/* ---- swap: the remedy follows the cause ---- */

/* v1 with memsw missing and swap in use; cmdline and config as given. */
static struct report *swap_v1_missing(const char *cmdline, const char *config)
{
	v1_host();
	fixture_write(&fx, "/proc/swaps",
		      "Filename\tType\tSize\tUsed\tPriority\n"
		      "/swapfile file 2097148 0 -2\n",
		      -1);
	if (cmdline)
		fixture_write(&fx, "/proc/cmdline", cmdline, -1);
	if (config)
		fixture_write(&fx, "/boot/config-6.1.0-28-amd64", config, -1);
	return run_check(&check_kernel_swap_limit, 0);
}

Test(swap, cause_v1_not_enabled_is_swapaccount_1)
{
	struct report *r = swap_v1_missing(NULL, "CONFIG_MEMCG=y\n"
						 "CONFIG_MEMCG_SWAP=y\n");
	const struct finding *f = test_find(r, SEV_WARNING, "no swap limit");

	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "cause"),
			 "swap accounting not enabled");
	cr_assert_not_null(strstr(f->remedy, "swapaccount=1"));
	report_free(r);
}

Test(swap, cause_v1_cmdline_off_is_removed_not_added)
{
	struct report *r = swap_v1_missing("ro swapaccount=0\n", NULL);
	const struct finding *f = test_find(r, SEV_WARNING, "swapaccount=0");

	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "cause"), "swapaccount=0");
	cr_assert(startswith(f->remedy, "Remove swapaccount=0"));
	cr_assert_null(strstr(f->remedy, "cgroup_enable=memory swapaccount=1"));
	report_free(r);
}

Test(swap, cause_v1_kernel_without_memcg_swap)
{
	struct report *r = swap_v1_missing(
		NULL, "CONFIG_MEMCG=y\n# CONFIG_MEMCG_SWAP is not set\n");
	const struct finding *f = test_find(r, SEV_WARNING, "no swap limit");

	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "cause"),
			 "kernel without CONFIG_MEMCG_SWAP");
	cr_assert_not_null(strstr(f->remedy, "swapaccount=1 does nothing"));
	report_free(r);
}

Test(swap, cause_v1_memory_not_mounted)
{
	struct report *r;
	const struct finding *f;

	/* the kernel has it enabled, nothing mounts it */
	fixture_write(
		&fx, "/proc/self/mountinfo",
		MI_TMPFS
		"36 31 0:33 / /sys/fs/cgroup/devices rw - cgroup cgroup rw,devices\n",
		-1);
	r = run_check(&check_kernel_swap_limit, 0);
	f = test_find(r, SEV_WARNING, "no memory limits either");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "cause"),
			 "memory controller not mounted");
	cr_assert_not_null(strstr(f->remedy, "mount -t cgroup -o memory"));
	cr_assert_null(strstr(f->remedy, "GRUB_CMDLINE_LINUX=\"cgroup_enable"));
	report_free(r);
}

Test(swap, cause_v2_memory_bound_to_v1)
{
	struct report *r;
	const struct finding *f;

	v2_host("cpuset cpu io pids\n");
	fixture_write(&fx, "/proc/cgroups",
		      "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
		      "cpuset\t0\t1\t1\ncpu\t0\t1\t1\nio\t0\t1\t1\n"
		      "memory\t7\t1\t1\npids\t0\t1\t1\n",
		      -1);
	r = run_check(&check_kernel_swap_limit, 0);
	f = test_find(r, SEV_WARNING, "bound to a cgroup v1 hierarchy");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "cause"),
			 "memory controller bound to cgroup v1");
	cr_assert_not_null(
		strstr(f->remedy, "systemd.unified_cgroup_hierarchy=1"));
	cr_assert_null(strstr(f->remedy, "GRUB_CMDLINE_LINUX=\"cgroup_enable"));
	report_free(r);
}

Test(swap, cause_v2_no_swap_max)
{
	struct report *r;
	const struct finding *f;

	v2_host("cpuset cpu io memory pids\n");
	fixture_write(&fx, "/proc/swaps",
		      "Filename\tType\tSize\tUsed\tPriority\n"
		      "/dev/vda2 partition 1000 0 -2\n",
		      -1);
	fixture_write(&fx, "/sys/fs/cgroup/system.slice/memory.max", "max\n",
		      -1);
	r = run_check(&check_kernel_swap_limit, 0);
	f = test_find(r, SEV_WARNING, "swap accounting is off");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "cause"), "swap accounting off");
	cr_assert_not_null(strstr(f->remedy, "CONFIG_MEMCG_SWAP"));
	report_free(r);
	fixture_write(&fx, "/proc/cmdline", "ro swapaccount=0\n", -1);
	r = run_check(&check_kernel_swap_limit, 0);
	f = test_find(r, SEV_WARNING, "swap accounting is off");
	cr_assert_not_null(f);
	cr_assert(startswith(f->remedy, "Remove swapaccount=0"));
	report_free(r);
}

Test(swap, cause_memory_disabled_and_swap_off)
{
	struct report *r;
	const struct finding *f;

	/* no swap: nothing to limit today, said so first */
	v1_host();
	r = run_check(&check_kernel_swap_limit, 0);
	f = test_find(r, SEV_INFO, "no swap is in use");
	cr_assert_not_null(f);
	cr_assert(startswith(f->remedy, "Nothing to limit while no swap"));
	report_free(r);

	v2_host("cpuset cpu io pids\n");
	fixture_write(&fx, "/proc/cgroups",
		      "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
		      "memory\t0\t1\t0\n",
		      -1);
	r = run_check(&check_kernel_swap_limit, 0);
	f = test_find(r, SEV_WARNING, "no memory limits either");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "cause"),
			 "memory controller disabled");
	cr_assert_not_null(strstr(f->remedy, "cgroup_disable=memory"));
	report_free(r);
}

TestSuite(cgroups_check, .init = setup, .fini = teardown);

Test(cgroups_check, v2_systemd_default_driver)
{
	struct report *r;
	const struct finding *f;

	v2_host("cpuset cpu io memory hugetlb pids rdma misc\n");
	fixture_mkdir(&fx, "/run/systemd/system");
	add_dockerd("-H", "fd://", "0::/system.slice/docker.service\n");
	r = run_check(&check_kernel_cgroups, 100);
	f = test_find(r, SEV_OK, "cgroup v2, driver systemd (systemd is init)");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "driver_source"),
			 "dockerd's default for this host");
	cr_assert_str_eq(test_evidence(f, "daemon_cgroup"),
			 "/system.slice/docker.service");
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(cgroups_check, v2_systemd_with_cgroupfs_is_a_warning)
{
	struct report *r;
	const struct finding *f;

	v2_host("cpuset cpu io memory pids\n");
	fixture_mkdir(&fx, "/run/systemd/system");
	add_dockerd("--exec-opt", "native.cgroupdriver=cgroupfs",
		    "0::/system.slice/docker.service\n");
	r = run_check(&check_kernel_cgroups, 100);
	f = test_find(r, SEV_WARNING, "two managers");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "driver_source"),
			 "exec-opts native.cgroupdriver");
	cr_assert_not_null(strstr(f->remedy, "native.cgroupdriver=systemd"));
	report_free(r);
}

Test(cgroups_check, systemd_driver_without_systemd_is_critical)
{
	struct report *r;
	const struct finding *f;

	v1_host();
	fixture_write(&fx, "/etc/docker/daemon.json",
		      "{\"exec-opts\": [\"native.cgroupdriver=systemd\"]}\n",
		      -1);
	add_dockerd("-H", "unix:///x.sock", "0::/\n");
	r = run_check(&check_kernel_cgroups, 100);
	f = test_find(r, SEV_CRITICAL, "systemd is not the init system");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "/etc/docker/daemon.json"));
	report_free(r);
}

Test(cgroups_check, v1_healthy_with_deprecation_note)
{
	struct report *r;
	const struct finding *f;

	v1_host();
	r = run_check(&check_kernel_cgroups, 0);
	f = test_find(r, SEV_OK, "cgroup hybrid, driver cgroupfs");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->detail, "deprecated"));
	cr_assert_null(strstr(f->summary, "name=systemd"));
	cr_assert_not_null(strstr(f->summary, "memory"));
	report_free(r);
}

Test(cgroups_check, v1_missing_devices_is_critical)
{
	struct report *r;
	const struct finding *f;

	fixture_write(
		&fx, "/proc/self/mountinfo",
		MI_TMPFS
		"35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
		-1);
	r = run_check(&check_kernel_cgroups, 0);
	f = test_find(r, SEV_CRITICAL,
		      "devices cgroup controller is not mounted");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "mount -t cgroup -o devices"));
	cr_assert_not_null(test_find(r, SEV_WARNING, "pids cgroup controller"));
	cr_assert_null(test_find(r, SEV_WARNING, "memory cgroup controller"));
	cr_assert_not_null(test_find(r, SEV_INFO, "cgroup v1"));
	report_free(r);
}

Test(cgroups_check, v1_disabled_controller_names_the_kernel_parameter)
{
	struct report *r;
	const struct finding *f;

	v1_host();
	fixture_write(
		&fx, "/proc/self/mountinfo",
		MI_TMPFS
		"36 31 0:33 / /sys/fs/cgroup/devices rw - cgroup cgroup rw,devices\n"
		"37 31 0:34 / /sys/fs/cgroup/freezer rw - cgroup cgroup rw,freezer\n",
		-1);
	fixture_write(&fx, "/proc/cgroups",
		      "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
		      "memory\t0\t1\t0\ndevices\t5\t1\t1\nfreezer\t6\t1\t1\n",
		      -1);
	r = run_check(&check_kernel_cgroups, 0);
	f = test_find(r, SEV_WARNING, "memory cgroup controller is disabled");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "cgroup_enable=memory"));
	cr_assert_not_null(test_find(r, SEV_WARNING,
				     "cpu cgroup controller is not built"));
	report_free(r);
}

Test(cgroups_check, v2_controller_bound_to_v1)
{
	struct report *r;
	const struct finding *f;

	v2_host("cpuset cpu memory pids\n");
	fixture_write(&fx, "/proc/cgroups",
		      "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
		      "cpuset\t0\t1\t1\ncpu\t0\t1\t1\nblkio\t7\t1\t1\n"
		      "memory\t0\t1\t1\npids\t0\t1\t1\n",
		      -1);
	r = run_check(&check_kernel_cgroups, 0);
	f = test_find(r, SEV_WARNING, "io cgroup controller");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "v1 hierarchy"));
	cr_assert_eq(report_worst(r), SEV_WARNING);
	report_free(r);
}

Test(cgroups_check, kubelet_driver_mismatch)
{
	static const char *const kubelet[] = { "/usr/bin/kubelet",
					       "--config=/etc/kubelet.yaml",
					       NULL };
	struct report *r;
	const struct finding *f;

	v2_host("cpuset cpu io memory pids\n");
	fixture_mkdir(&fx, "/run/systemd/system");
	add_dockerd("--exec-opt", "native.cgroupdriver=cgroupfs",
		    "0::/system.slice/docker.service\n");
	fixture_process(&fx, 200, 1, kubelet);
	fixture_write(&fx, "/etc/kubelet.yaml",
		      "kind: KubeletConfiguration\ncgroupDriver: \"systemd\"\n",
		      -1);
	r = run_check(&check_kernel_cgroups, 100);
	f = test_find(
		r, SEV_WARNING,
		"kubelet uses the systemd cgroup driver but dockerd uses cgroupfs");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "kubelet_source"),
			 "/etc/kubelet.yaml");
	report_free(r);
}

Test(cgroups_check, kubelet_same_driver_is_quiet)
{
	static const char *const kubelet[] = { "/usr/bin/kubelet",
					       "--cgroup-driver", "systemd",
					       NULL };
	struct report *r;

	v2_host("cpuset cpu io memory pids\n");
	fixture_mkdir(&fx, "/run/systemd/system");
	add_dockerd("-H", "fd://", "0::/system.slice/docker.service\n");
	fixture_process(&fx, 200, 1, kubelet);
	r = run_check(&check_kernel_cgroups, 100);
	cr_assert_null(test_find(r, SEV_WARNING, "kubelet"));
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(cgroups_check, no_cgroups_is_critical)
{
	struct report *r;

	fixture_write(&fx, "/proc/self/mountinfo",
		      "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n", -1);
	r = run_check(&check_kernel_cgroups, 0);
	cr_assert_not_null(test_find(r, SEV_CRITICAL, "no cgroup file system"));
	report_free(r);
}

Test(cgroups_check, unreadable_everything_is_an_error)
{
	struct options o = { .timeout_ms = 300 };
	struct report *r;
	char error[512];

	o.host = "unix:///nonexistent/dd.sock";
	/* nothing in the tree: no /sys/fs/cgroup, no mountinfo */
	r = fixture_run_check(&fx, &check_kernel_cgroups, &o, -ENOENT, error,
			      sizeof(error));
	cr_assert_not_null(strstr(error, "mountinfo"));
	report_free(r);
}
