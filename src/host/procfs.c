// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc readers and parsers (see procfs.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/procfs.h"
#include "core/util.h"

#define PROC_SMALL_MAX (64 * 1024)
#define PROC_NET_UNIX_MAX (64 * 1024 * 1024)

/*
 * Parse /proc/PID/stat. comm may contain spaces and parentheses, so the
 * fields after it are found from the last ')' (as procps does).
 */
int procfs_parse_stat(const char *buf, struct procstat *ret)
{
	struct procstat st = { 0 };
	const char *open = strchr(buf, '(');
	const char *close = strrchr(buf, ')');
	unsigned long long field[20];
	const char *p;
	size_t len;
	int i;

	if (!open || !close || close < open || sscanf(buf, "%d", &st.pid) != 1)
		return -EINVAL;
	len = close - open - 1;
	if (len >= sizeof(st.comm))
		len = sizeof(st.comm) - 1;
	memcpy(st.comm, open + 1, len);
	st.comm[len] = '\0';
	p = close + 1;
	if (sscanf(p, " %c", &st.state) != 1)
		return -EINVAL;
	p += 2;
	/* fields 4..22: ppid ... starttime (field 22) */
	for (i = 0; i < 19; i++) {
		char *end;

		while (*p == ' ')
			p++;
		if (*p == '-')
			p++; /* negative values (nice, priority): magnitude only */
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		field[i] = strtoull(p, &end, 10);
		p = end;
	}
	st.ppid = (int)field[0];
	st.num_threads = (long)field[16];
	st.starttime = field[18];
	*ret = st;
	return 0;
}

/* Read and parse /proc/PID/stat. */
int procfs_read_stat(const struct pathctx *pc, int pid, struct procstat *ret)
{
	char *buf = NULL;
	int r;

	r = path_read_filef(pc, PROC_SMALL_MAX, &buf, NULL, "/proc/%d/stat",
			    pid);
	if (r < 0)
		return r;
	r = procfs_parse_stat(buf, ret);
	free(buf);
	return r;
}

/* Read /proc/PID/comm. */
int procfs_read_comm(const struct pathctx *pc, int pid, char *buf, size_t size)
{
	char *s = NULL;
	size_t len;
	int r;

	r = path_read_filef(pc, PROC_SMALL_MAX, &s, &len, "/proc/%d/comm", pid);
	if (r < 0)
		return r;
	if (len && s[len - 1] == '\n')
		s[len - 1] = '\0';
	strscpy(buf, s, size);
	free(s);
	return 0;
}

/* Split a NUL-separated buffer into a string vector. */
int procfs_parse_cmdline(const char *buf, size_t len, char ***ret_argv)
{
	char **argv = NULL;
	size_t i = 0;
	int r;

	/* an empty vector is a valid result: allocate the terminator */
	argv = calloc(1, sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	while (i < len) {
		size_t n = strnlen(buf + i, len - i);
		char *arg = strndup(buf + i, n);

		if (!arg) {
			r = -ENOMEM;
			goto fail;
		}
		r = strv_push(&argv, arg);
		free(arg);
		if (r < 0)
			goto fail;
		i += n + 1;
	}
	*ret_argv = argv;
	return 0;
fail:
	strv_free(argv);
	return r;
}

/* Read /proc/PID/cmdline. */
int procfs_read_cmdline(const struct pathctx *pc, int pid, char ***ret_argv)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	r = path_read_filef(pc, 1024 * 1024, &buf, &len, "/proc/%d/cmdline",
			    pid);
	if (r < 0)
		return r;
	r = procfs_parse_cmdline(buf, len, ret_argv);
	free(buf);
	return r;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* List the PIDs in /proc. */
int procfs_list_pids(const struct pathctx *pc, int **ret_pids)
{
	DIR *d = path_opendir(pc, "/proc");
	struct dirent *de;
	int *pids = NULL;
	size_t n = 0, alloc = 0;
	int ret;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		long pid;

		if (parse_int(de->d_name, 1, INT32_MAX, &pid) < 0)
			continue;
		if (n == alloc) {
			size_t na = alloc ? alloc * 2 : 256;
			int *np = reallocarray(pids, na, sizeof(*np));

			if (!np) {
				ret = -ENOMEM;
				goto out;
			}
			pids = np;
			alloc = na;
		}
		pids[n++] = (int)pid;
	}
	if (n)
		qsort(pids, n, sizeof(*pids), cmp_int);
	*ret_pids = pids;
	pids = NULL;
	ret = (int)n;
out:
	free(pids);
	closedir(d);
	return ret;
}

/* Find "btime N" in /proc/stat. */
int procfs_parse_btime(const char *buf, unsigned long long *ret)
{
	const char *p = buf;

	while (p && *p) {
		if (strncmp(p, "btime ", 6) == 0)
			return sscanf(p + 6, "%llu", ret) == 1 ? 0 : -EINVAL;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

/*
 * /proc/net/unix lines: "Num RefCount Protocol Flags Type St Inode Path".
 * Flags has __SO_ACCEPTCON (0x10000) for a listening socket. The path is
 * the rest of the line after the inode.
 */
int procfs_parse_net_unix(const char *buf, const char *path,
			  unsigned long **ret_inodes)
{
	unsigned long *inodes = NULL;
	const char *line = buf;
	int n = 0;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t linelen = eol ? (size_t)(eol - line) : strlen(line);
		unsigned long flags, inode;
		int off = 0;

		if (sscanf(line, "%*s %*s %*s %lx %*s %*s %lu %n", &flags,
			   &inode, &off) == 2 &&
		    off > 0 && (size_t)off <= linelen && (flags & 0x10000) &&
		    linelen - off == strlen(path) &&
		    memcmp(line + off, path, linelen - off) == 0) {
			unsigned long *ni =
				reallocarray(inodes, n + 1, sizeof(*ni));

			if (!ni) {
				free(inodes);
				return -ENOMEM;
			}
			inodes = ni;
			inodes[n++] = inode;
		}
		line = eol ? eol + 1 : NULL;
	}
	*ret_inodes = inodes;
	return n;
}

/* Scan /proc/PID/fd for "socket:[INODE]" links. */
int procfs_pid_holds_socket(const struct pathctx *pc, int pid,
			    const unsigned long *inodes, size_t n)
{
	char dir[64];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	d = path_opendir(pc, dir);
	if (!d)
		return -errno;
	while (!ret && (de = readdir(d))) {
		char *target = NULL;
		unsigned long ino;

		if (de->d_name[0] == '.')
			continue;
		/* an fd closed between readdir and readlink is normal */
		if (path_readlinkf(pc, &target, "%s/%s", dir, de->d_name) < 0)
			continue;
		if (sscanf(target, "socket:[%lu]", &ino) == 1)
			for (size_t i = 0; i < n; i++)
				if (inodes[i] == ino)
					ret = 1;
		free(target);
	}
	closedir(d);
	return ret;
}

/* Undo mountinfo's octal escapes ("\\040" for a space) in place. */
static void mountinfo_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* Copy the next space-separated word of [*p, end) into buf. */
static bool mountinfo_word(const char **p, const char *end, char *buf,
			   size_t size)
{
	const char *w;
	size_t n;

	while (*p < end && **p == ' ')
		(*p)++;
	w = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	n = (size_t)(*p - w);
	if (n == 0 || n >= size)
		return false;
	memcpy(buf, w, n);
	buf[n] = '\0';
	return true;
}

/* Parse one mountinfo line. */
int procfs_parse_mountinfo_line(const char *line, size_t len,
				struct mountinfo_entry *ret)
{
	const char *end = line + len, *sep = memmem(line, len, " - ", 3);
	const char *p = line;
	char skip[64];

	if (!sep)
		return -EINVAL;
	/* ID PARENT MAJ:MIN, then ROOT and MOUNTPOINT */
	for (int i = 0; i < 3; i++)
		if (!mountinfo_word(&p, sep, skip, sizeof(skip)))
			return -EINVAL;
	if (!mountinfo_word(&p, sep, ret->root, sizeof(ret->root)) ||
	    !mountinfo_word(&p, sep, ret->mount_point,
			    sizeof(ret->mount_point)))
		return -EINVAL;
	p = sep + 3;
	if (!mountinfo_word(&p, end, ret->fstype, sizeof(ret->fstype)) ||
	    !mountinfo_word(&p, end, ret->source, sizeof(ret->source)))
		return -EINVAL;
	if (!mountinfo_word(&p, end, ret->super_opts, sizeof(ret->super_opts)))
		ret->super_opts[0] = '\0';
	ret->super_opts[strcspn(ret->super_opts, "\r")] = '\0';
	mountinfo_unescape(ret->root);
	mountinfo_unescape(ret->mount_point);
	mountinfo_unescape(ret->source);
	return 0;
}
