// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc parsers on strings, readers on fixture trees. */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <string.h>

#include "fixture.h"
#include "host/path.h"
#include "host/procfs.h"
#include "core/util.h"
#include "table.h"

struct stat_case {
	const char *buf;
	int ret;
	int pid;
	const char *comm;
	char state;
	int ppid;
	long threads;
	unsigned long long start;
};

/* clang-format off */
static struct stat_case stat_cases[] = {
	{ "1234 (dockerd) S 1 1234 1234 0 -1 4194560 9 0 0 0 10 5 0 0 20 0 17 0 4242 1 2 3\n",
	  0, 1234, "dockerd", 'S', 1, 17, 4242 },
	{ "77 (a) b) c) R 5 0 0 0 -1 0 0 0 0 0 0 0 0 0 -5 -2 3 0 99 0 0\n",
	  0, 77, "a) b) c", 'R', 5, 3, 99 },
	{ "8 (with space) Z 2 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 1\n", 0, 8,
	  "with space", 'Z', 2, 1, 1 },
	{ "9 (x) S 1 2 3", -EINVAL },
	{ "9 x S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", -EINVAL },
	{ "", -EINVAL },
	{ "garbage", -EINVAL },
	{ "10 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 abc 20", -EINVAL },
};
/* clang-format on */

ParameterizedTestParameters(procfs, parse_stat)
{
	TABLE_PARAMS(stat_cases);
}

ParameterizedTest(size_t *ci, procfs, parse_stat)
{
	const struct stat_case *c = &stat_cases[*ci];
	struct procstat st = { .pid = -7 };

	cr_assert_eq(procfs_parse_stat(c->buf, &st), c->ret, "'%s'", c->buf);
	if (c->ret) {
		cr_assert_eq(st.pid, -7, "untouched on failure");
		return;
	}
	cr_assert_eq(st.pid, c->pid);
	cr_assert_str_eq(st.comm, c->comm);
	cr_assert_eq(st.state, c->state);
	cr_assert_eq(st.ppid, c->ppid);
	cr_assert_eq(st.num_threads, c->threads);
	cr_assert_eq(st.starttime, c->start);
}

Test(procfs, parse_cmdline)
{
	char **v = NULL;

	cr_assert_eq(procfs_parse_cmdline("a\0bb\0c c\0", 9, &v), 0);
	cr_assert_eq(strv_length(v), 3);
	cr_assert_str_eq(v[2], "c c");
	strv_free(v);
	cr_assert_eq(procfs_parse_cmdline("no-terminator", 13, &v), 0);
	cr_assert_eq(strv_length(v), 1);
	cr_assert_str_eq(v[0], "no-terminator");
	strv_free(v);
	cr_assert_eq(procfs_parse_cmdline("", 0, &v), 0);
	cr_assert_not_null(v);
	cr_assert_eq(strv_length(v), 0);
	strv_free(v);
}

Test(procfs, parse_btime)
{
	unsigned long long b = 0;

	cr_assert_eq(procfs_parse_btime(
			     "cpu 1 2 3\nbtime 1700000000\nprocesses 5\n", &b),
		     0);
	cr_assert_eq(b, 1700000000ULL);
	cr_assert_eq(procfs_parse_btime("cpu 1\n", &b), -ENOENT);
	cr_assert_eq(procfs_parse_btime("btime x\n", &b), -EINVAL);
}

static const char net_unix[] =
	"Num       RefCount Protocol Flags    Type St Inode Path\n"
	"0000000000000000: 00000002 00000000 00010000 0001 01 1001 /run/docker.sock\n"
	"0000000000000000: 00000003 00000000 00000000 0001 03 1002 /run/docker.sock\n"
	"0000000000000000: 00000002 00000000 00010000 0001 01 1003 /run/docker.sock.old\n"
	"0000000000000000: 00000002 00000000 00010000 0001 01 1004 @/run/docker.sock\n"
	"0000000000000000: 00000002 00000000 00010000 0001 01 1005\n"
	"0000000000000000: 00000002 00000000 00010000 0005 01 1006 /run/docker.sock\n"
	"broken line\n";

Test(procfs, parse_net_unix_listening_only)
{
	unsigned long *ino = NULL;
	int n = procfs_parse_net_unix(net_unix, "/run/docker.sock", &ino);

	cr_assert_eq(n, 2);
	cr_assert_eq(ino[0], 1001);
	cr_assert_eq(ino[1], 1006);
	free(ino);
	ino = NULL;
	cr_assert_eq(procfs_parse_net_unix(net_unix, "/nope", &ino), 0);
	free(ino);
}

Test(procfs, readers_on_fixture)
{
	const char *const argv[] = { "/usr/bin/dockerd", "-H", "fd://", NULL };
	struct fixture fx;
	struct pathctx pc;
	struct procstat st;
	char comm[64];
	char **cmd = NULL;
	int *pids = NULL, n;

	fixture_init(&fx);
	fixture_process(&fx, 300, 1, argv);
	fixture_process(&fx, 20, 1, argv);
	fixture_mkdir(&fx, "/proc/self");
	fixture_mkdir(&fx, "/proc/sys");
	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert(pathctx_is_sysroot(&pc));
	n = procfs_list_pids(&pc, &pids);
	cr_assert_eq(n, 2);
	cr_assert_eq(pids[0], 20, "sorted");
	cr_assert_eq(pids[1], 300);
	cr_assert_eq(procfs_read_comm(&pc, 300, comm, sizeof(comm)), 0);
	cr_assert_str_eq(comm, "dockerd");
	cr_assert_eq(procfs_read_stat(&pc, 300, &st), 0);
	cr_assert_eq(st.ppid, 1);
	cr_assert_eq(procfs_read_cmdline(&pc, 300, &cmd), 0);
	cr_assert_str_eq(cmd[2], "fd://");
	strv_free(cmd);
	cr_assert_eq(procfs_read_stat(&pc, 301, &st), -ENOENT,
		     "a process that is gone is -ENOENT");
	free(pids);
	pathctx_release(&pc);
	fixture_release(&fx);
}

Test(procfs, holds_socket_from_fd_links)
{
	const char *const argv[] = { "dockerd", NULL };
	unsigned long want[] = { 555 };
	struct fixture fx;
	struct pathctx pc;

	fixture_init(&fx);
	fixture_process(&fx, 10, 1, argv);
	fixture_symlink(&fx, "/proc/10/fd/0", "/dev/null");
	fixture_symlink(&fx, "/proc/10/fd/3", "socket:[554]");
	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(procfs_pid_holds_socket(&pc, 10, want, 1), 0);
	fixture_symlink(&fx, "/proc/10/fd/4", "socket:[555]");
	cr_assert_eq(procfs_pid_holds_socket(&pc, 10, want, 1), 1);
	cr_assert_eq(procfs_pid_holds_socket(&pc, 11, want, 1), -ENOENT);
	pathctx_release(&pc);
	fixture_release(&fx);
}

Test(path, read_limits_and_errors)
{
	struct fixture fx;
	struct pathctx pc;
	char *buf = NULL;
	size_t len = 0;
	char big[10000];

	memset(big, 'x', sizeof(big));
	fixture_init(&fx);
	fixture_write(&fx, "/etc/big", big, sizeof(big));
	fixture_write(&fx, "/etc/nul", "a\0b", 3);
	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(path_read_file(&pc, "/etc/big", 4096, &buf, &len), -EFBIG);
	cr_assert_null(buf);
	cr_assert_eq(path_read_file(&pc, "/etc/big", 20000, &buf, &len), 0);
	cr_assert_eq(len, sizeof(big));
	free(buf);
	cr_assert_eq(path_read_file(&pc, "/etc/nul", 100, &buf, &len), 0);
	cr_assert_eq(len, 3, "embedded NULs keep the length");
	free(buf);
	cr_assert_eq(path_read_file(&pc, "/etc/missing", 100, &buf, &len),
		     -ENOENT);
	cr_assert_eq(path_read_file(&pc, "/etc", 100, &buf, &len), -EISDIR);
	pathctx_release(&pc);
	cr_assert_eq(pathctx_init(&pc, "/nonexistent/root"), -ENOENT);
	pathctx_release(&pc);
	fixture_release(&fx);
}

/* ---- mountinfo lines (shared by the netns owners and the cgroups) ---- */

struct mountinfo_case {
	const char *line;
	int ret;
	const char *root, *mnt, *type, *source, *opts;
};

/* clang-format off */
static struct mountinfo_case mountinfo_cases[] = {
	{ "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
	  0, "/", "/sys/fs/cgroup/memory", "cgroup", "cgroup", "rw,memory" },
	{ "30 23 0:27 / /sys/fs/cgroup rw shared:9 master:2 - cgroup2 cgroup2 rw,nsdelegate\r",
	  0, "/", "/sys/fs/cgroup", "cgroup2", "cgroup2", "rw,nsdelegate" },
	{ "612 29 0:4 net:[4026532512] /run/docker/netns/ab\\040c rw shared:304 - nsfs nsfs rw",
	  0, "net:[4026532512]", "/run/docker/netns/ab c", "nsfs", "nsfs", "rw" },
	{ "1 2 3:4 / /x rw - tmpfs my\\134src", 0, "/", "/x", "tmpfs", "my\\src", "" },
	{ "1 2 3:4 / /bad\\999esc rw - ext4 /dev/sda1 rw", 0, "/", "/bad\\999esc", "ext4", "/dev/sda1", "rw" },
	{ "no separator at all", -EINVAL },
	{ "1 2 3:4 / - ext4 /dev/sda1 rw", -EINVAL },
	{ "1 2 3:4 / /x rw - ext4", -EINVAL },
	{ "", -EINVAL },
};
/* clang-format on */

ParameterizedTestParameters(procfs, mountinfo_line)
{
	TABLE_PARAMS(mountinfo_cases);
}

ParameterizedTest(size_t *i, procfs, mountinfo_line)
{
	const struct mountinfo_case *c = &mountinfo_cases[*i];
	struct mountinfo_entry m;

	cr_assert_eq(procfs_parse_mountinfo_line(c->line, strlen(c->line), &m),
		     c->ret, "%s", c->line);
	if (c->ret)
		return;
	cr_assert_str_eq(m.root, c->root);
	cr_assert_str_eq(m.mount_point, c->mnt);
	cr_assert_str_eq(m.fstype, c->type);
	cr_assert_str_eq(m.source, c->source);
	cr_assert_str_eq(m.super_opts, c->opts);
}

Test(procfs, mountinfo_line_too_long)
{
	char line[6000];
	struct mountinfo_entry m;

	memset(line, 'a', sizeof(line));
	memcpy(line, "1 2 3:4 / /", 11);
	cr_assert_eq(procfs_parse_mountinfo_line(line, sizeof(line), &m),
		     -EINVAL);
}
