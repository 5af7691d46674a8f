/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc readers. Parsing is split from reading: procfs_parse_*() take a
 * buffer, procfs_read_*() read through a path context and parse.
 *
 * Processes come and go while we look: -ENOENT or -ESRCH from a per-PID
 * file means the process is gone, which callers treat as normal.
 */
#ifndef DD_PROCFS_H
#define DD_PROCFS_H

#include <stdbool.h>
#include <stddef.h>

#include "host/path.h"

struct procstat {
	int pid;
	char comm[64]; /* as in /proc/PID/stat, without parentheses */
	char state;
	int ppid;
	unsigned long long starttime; /* clock ticks after boot */
	long num_threads;
};

/* Parse the contents of /proc/PID/stat. 0 or -EINVAL. */
int procfs_parse_stat(const char *buf, struct procstat *ret);

/* Read and parse /proc/PID/stat. */
int procfs_read_stat(const struct pathctx *pc, int pid, struct procstat *ret);

/* Read /proc/PID/comm without the newline into buf (size >= 16). */
int procfs_read_comm(const struct pathctx *pc, int pid, char *buf, size_t size);

/* Split a NUL-separated command line into a new string vector. */
int procfs_parse_cmdline(const char *buf, size_t len, char ***ret_argv);

/* Read /proc/PID/cmdline as a string vector (empty for kernel threads). */
int procfs_read_cmdline(const struct pathctx *pc, int pid, char ***ret_argv);

/* List numeric entries of /proc into a new sorted array; returns count. */
int procfs_list_pids(const struct pathctx *pc, int **ret_pids);

/* Parse "btime" (boot time, seconds since the epoch) from /proc/stat. */
int procfs_parse_btime(const char *buf, unsigned long long *ret);

/* One line of /proc/PID/mountinfo, octal escapes undone. */
struct mountinfo_entry {
	char root[512]; /* within the file system: "/", "net:[4026532]" */
	char mount_point[4096];
	char fstype[64];
	char source[512];
	char super_opts[1024]; /* "rw,memory" */
};

/*
 * Parse one mountinfo line (without its newline): "ID PARENT MAJ:MIN ROOT
 * MOUNTPOINT OPTS [OPTIONAL...] - TYPE SOURCE SUPEROPTS". 0, or -EINVAL
 * for a line that does not have that shape or does not fit.
 */
int procfs_parse_mountinfo_line(const char *line, size_t len,
				struct mountinfo_entry *ret);

/*
 * Parse /proc/net/unix and collect the inodes of listening sockets bound
 * to path into ret_inodes (new array); returns the count (may be 0).
 */
int procfs_parse_net_unix(const char *buf, const char *path,
			  unsigned long **ret_inodes);

/*
 * Does process pid hold one of the given socket inodes open? Returns 1
 * yes, 0 no, -errno when its fd table cannot be read (-EACCES when not
 * permitted, -ENOENT when the process is gone).
 */
int procfs_pid_holds_socket(const struct pathctx *pc, int pid,
			    const unsigned long *inodes, size_t n);

#endif
