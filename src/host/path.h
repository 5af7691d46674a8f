/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Root-relative file access. Every read of /proc, /sys, /etc and /run goes
 * through a path context, so that --sysroot DIR (tests, captured trees)
 * reads DIR/proc/... instead (util-linux's path_cxt, lscpu --sysroot).
 *
 * Paths are given absolute ("/proc/1/stat") and resolved relative to the
 * root directory file descriptor with openat(). All functions return 0 (or
 * a count / fd) on success and -errno on failure; ret_* are untouched then.
 */
#ifndef DD_PATH_H
#define DD_PATH_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

struct pathctx {
	char *root; /* "/" or the sysroot, without a trailing slash */
	int fd; /* O_PATH descriptor of root */
	/*
	 * Told of every access refused for lack of privilege (EACCES, EPERM),
	 * with the path and the -errno: how a check learns what it could not
	 * see. NULL (the default): nobody listens.
	 */
	void (*denied)(void *data, const char *path, int err);
	void *denied_data;
};

/* Open the root; root NULL means "/". No listener for refusals. */
int pathctx_init(struct pathctx *pc, const char *root);

/* Close and free; safe on a zeroed or released context. */
void pathctx_release(struct pathctx *pc);

/* True when the root is not "/". */
bool pathctx_is_sysroot(const struct pathctx *pc);

/* Build the host path of an absolute path under the root (caller frees). */
char *path_host(const struct pathctx *pc, const char *path);

/* open() a root-relative path; returns an fd or -errno. */
int path_open(const struct pathctx *pc, const char *path, int flags);

/*
 * Read a whole file, at most max bytes (-EFBIG beyond that), NUL
 * terminated. *ret_len (may be NULL) excludes the terminator.
 */
int path_read_file(const struct pathctx *pc, const char *path, size_t max,
		   char **ret_buf, size_t *ret_len);

/* printf-style variant of path_read_file(). */
int path_read_filef(const struct pathctx *pc, size_t max, char **ret_buf,
		    size_t *ret_len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* readlink() into a new string. */
int path_readlinkf(const struct pathctx *pc, char **ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* stat() (follow true) or lstat() a root-relative path. */
int path_stat(const struct pathctx *pc, const char *path, bool follow,
	      struct stat *ret);

/* opendir() a root-relative path; NULL with errno set on failure. */
DIR *path_opendir(const struct pathctx *pc, const char *path);

#endif
