// SPDX-License-Identifier: GPL-2.0-or-later
/* Root-relative file access (see path.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/path.h"

/* Open the root directory of a context. */
int pathctx_init(struct pathctx *pc, const char *root)
{
	size_t len;

	pc->fd = -1;
	pc->denied = NULL;
	pc->denied_data = NULL;
	pc->root = strdup(root && *root ? root : "/");
	if (!pc->root)
		return -ENOMEM;
	len = strlen(pc->root);
	while (len > 1 && pc->root[len - 1] == '/')
		pc->root[--len] = '\0';
	pc->fd = open(pc->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pc->fd < 0) {
		int err = -errno;

		free(pc->root);
		pc->root = NULL;
		return err;
	}
	return 0;
}

/* Release a context. */
void pathctx_release(struct pathctx *pc)
{
	if (pc->fd >= 0)
		close(pc->fd);
	pc->fd = -1;
	free(pc->root);
	pc->root = NULL;
}

/* Is this a sysroot rather than the real root? */
bool pathctx_is_sysroot(const struct pathctx *pc)
{
	return strcmp(pc->root, "/") != 0;
}

/* Strip the leading slashes so that openat() resolves under the root fd. */
static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/* Host path of a root-relative path. */
char *path_host(const struct pathctx *pc, const char *path)
{
	char *s = NULL;

	if (!pathctx_is_sysroot(pc))
		return strdup(path);
	if (asprintf(&s, "%s/%s", pc->root, rel(path)) < 0)
		return NULL;
	return s;
}

/* Pass a failure on; tell the listener when privilege was missing. */
static int fail(const struct pathctx *pc, const char *path, int err)
{
	if ((err == -EACCES || err == -EPERM) && pc->denied)
		pc->denied(pc->denied_data, path, err);
	return err;
}

/* open() under the root. */
int path_open(const struct pathctx *pc, const char *path, int flags)
{
	int fd = openat(pc->fd, rel(path), flags | O_CLOEXEC);

	return fd < 0 ? fail(pc, path, -errno) : fd;
}

/* Read up to max bytes from fd into a new NUL-terminated buffer. */
static int read_all(int fd, size_t max, char **ret_buf, size_t *ret_len)
{
	size_t len = 0, alloc = 4096;
	char *buf = malloc(alloc);
	int ret;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (alloc - len < 2) {
			char *nb;

			if (alloc > max) {
				ret = -EFBIG;
				goto out;
			}
			alloc *= 2;
			nb = realloc(buf, alloc);
			if (!nb) {
				ret = -ENOMEM;
				goto out;
			}
			buf = nb;
		}
		n = read(fd, buf + len, alloc - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += n;
		if (len > max) {
			ret = -EFBIG;
			goto out;
		}
	}
	buf[len] = '\0';
	*ret_buf = buf;
	if (ret_len)
		*ret_len = len;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	return ret;
}

/* Read a whole file under the root. */
int path_read_file(const struct pathctx *pc, const char *path, size_t max,
		   char **ret_buf, size_t *ret_len)
{
	int fd = path_open(pc, path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	int ret;

	if (fd < 0)
		return fd;
	ret = read_all(fd, max, ret_buf, ret_len);
	close(fd);
	return ret;
}

/* printf-style path_read_file(). */
int path_read_filef(const struct pathctx *pc, size_t max, char **ret_buf,
		    size_t *ret_len, const char *fmt, ...)
{
	char path[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	return path_read_file(pc, path, max, ret_buf, ret_len);
}

/* readlink() under the root. */
int path_readlinkf(const struct pathctx *pc, char **ret, const char *fmt, ...)
{
	char path[4096], target[4096];
	va_list ap;
	ssize_t n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	n = readlinkat(pc->fd, rel(path), target, sizeof(target) - 1);
	if (n < 0)
		return fail(pc, path, -errno);
	target[n] = '\0';
	s = strdup(target);
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}

/* stat()/lstat() under the root. */
int path_stat(const struct pathctx *pc, const char *path, bool follow,
	      struct stat *ret)
{
	struct stat st;

	if (fstatat(pc->fd, rel(path), &st, follow ? 0 : AT_SYMLINK_NOFOLLOW))
		return fail(pc, path, -errno);
	*ret = st;
	return 0;
}

/* opendir() under the root. */
DIR *path_opendir(const struct pathctx *pc, const char *path)
{
	int fd = path_open(pc, path, O_RDONLY | O_DIRECTORY);
	DIR *d;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	d = fdopendir(fd);
	if (!d) {
		int err = errno;

		close(fd);
		errno = err;
	}
	return d;
}
