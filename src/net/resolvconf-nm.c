// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NetworkManager's dns= mode (see resolvconf.h): NetworkManager.conf and
 * the conf.d directories, read in NetworkManager's order.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "net/resolvconf.h"
#include "core/util.h"

int rc_nm_parse_dns(const char *buf, char *mode, size_t size,
		    unsigned *ret_line)
{
	const char *p = buf;
	bool in_main = false;
	unsigned line = 0;
	int found = 0;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);

		line++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p == '[') {
			in_main = (size_t)(end - p) >= 6 &&
				  strncmp(p, "[main]", 6) == 0;
		} else if (in_main && (size_t)(end - p) > 3 &&
			   strncmp(p, "dns", 3) == 0) {
			const char *q = p + 3;

			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			if (q < end && *q == '=') {
				const char *v = q + 1, *ve = end;
				size_t k;

				while (v < ve && (*v == ' ' || *v == '\t'))
					v++;
				while (ve > v &&
				       (ve[-1] == ' ' || ve[-1] == '\t' ||
					ve[-1] == '\r'))
					ve--;
				k = (size_t)(ve - v);
				if (size) {
					if (k >= size)
						k = size - 1;
					memcpy(mode, v, k);
					mode[k] = '\0';
				}
				if (ret_line)
					*ret_line = line;
				found = 1;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return found;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the *.conf names of a directory (unique). */
static void list_confs(const struct pathctx *pc, const char *dir, char ***names)
{
	DIR *d = path_opendir(pc, dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n <= 5 || strcmp(de->d_name + n - 5, ".conf") != 0 ||
		    strv_contains(*names, de->d_name))
			continue;
		if (strv_push(names, de->d_name) < 0)
			break;
	}
	closedir(d);
}

/* Apply one file; remember where the value came from. */
static bool nm_apply(const struct pathctx *pc, const char *path, char *mode,
		     size_t size, char *where, size_t wsize)
{
	char *buf = NULL;
	unsigned line = 0;

	if (path_read_file(pc, path, 1 << 20, &buf, NULL) < 0)
		return false;
	if (rc_nm_parse_dns(buf, mode, size, &line) > 0 && wsize)
		snprintf(where, wsize, "%s:%u", path, line);
	free(buf);
	return true;
}

int rc_nm_dns_mode(const struct pathctx *pc, char *mode, size_t size,
		   char *where, size_t wsize)
{
	static const char *const dirs[] = { "/etc/NetworkManager/conf.d",
					    "/run/NetworkManager/conf.d",
					    "/usr/lib/NetworkManager/conf.d" };
	char **names = NULL;
	bool any;

	if (size)
		mode[0] = '\0';
	if (wsize)
		where[0] = '\0';
	any = nm_apply(pc, "/etc/NetworkManager/NetworkManager.conf", mode,
		       size, where, wsize);
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		list_confs(pc, dirs[i], &names);
	if (names)
		qsort(names, strv_length(names), sizeof(*names), cmp_str);
	for (size_t i = 0; names && names[i]; i++) {
		/* the first directory holding the name hides the others */
		for (size_t k = 0; k < ARRAY_SIZE(dirs); k++) {
			char path[512];
			struct stat st;

			snprintf(path, sizeof(path), "%s/%s", dirs[k],
				 names[i]);
			if (path_stat(pc, path, true, &st) < 0)
				continue;
			any |= nm_apply(pc, path, mode, size, where, wsize);
			break;
		}
	}
	strv_free(names);
	return any ? 0 : -ENOENT;
}
