// SPDX-License-Identifier: GPL-2.0-or-later
/* The running kernel's release and command line (see kernel.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host/kernel.h"
#include "core/util.h"

static int parse_part(const char **s, unsigned *ret)
{
	unsigned long v = 0;

	if (!isdigit((unsigned char)**s))
		return -EINVAL;
	while (isdigit((unsigned char)**s)) {
		v = v * 10 + (unsigned long)(**s - '0');
		if (v > 100000)
			return -EINVAL;
		(*s)++;
	}
	*ret = (unsigned)v;
	return 0;
}

/* Parse "6.1.0-28-amd64". */
int kernel_parse_release(const char *s, struct kernel_release *ret)
{
	struct kernel_release k = { 0 };
	const char *p = s;

	if (!s || parse_part(&p, &k.major) < 0 || *p++ != '.' ||
	    parse_part(&p, &k.minor) < 0)
		return -EINVAL;
	if (*p == '.') {
		p++;
		if (parse_part(&p, &k.patch) < 0)
			k.patch = 0;
	}
	strscpy(k.release, s, sizeof(k.release));
	k.release[strcspn(k.release, "\n")] = '\0';
	*ret = k;
	return 0;
}

/* Read the running kernel's release. */
int kernel_read_release(const struct pathctx *pc, struct kernel_release *ret)
{
	char *buf = NULL;
	int r;

	r = path_read_file(pc, "/proc/sys/kernel/osrelease", 4096, &buf, NULL);
	if (r < 0)
		return r;
	r = kernel_parse_release(buf, ret);
	free(buf);
	return r;
}

/* Compare versions. */
int kernel_cmp(const struct kernel_release *k, unsigned major, unsigned minor,
	       unsigned patch)
{
	if (k->major != major)
		return k->major < major ? -1 : 1;
	if (k->minor != minor)
		return k->minor < minor ? -1 : 1;
	if (k->patch != patch)
		return k->patch < patch ? -1 : 1;
	return 0;
}

/* Look a parameter up on the command line. */
int kernel_cmdline_param(const char *cmdline, const char *name, char *val,
			 size_t size)
{
	size_t nlen = strlen(name);
	const char *p = cmdline;
	int found = 0;

	while (p && *p) {
		const char *w, *end;
		bool quoted = false;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		w = p;
		/* a word ends at unquoted white space */
		while (*p && (quoted || !isspace((unsigned char)*p))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		end = p;
		if ((size_t)(end - w) >= nlen && strncmp(w, name, nlen) == 0 &&
		    (w + nlen == end || w[nlen] == '=')) {
			const char *v = w + nlen + (w + nlen < end);
			size_t n = 0;

			found = 1;
			/* copy without the quotes */
			for (; v < end && n + 1 < size; v++)
				if (*v != '"')
					val[n++] = *v;
			if (size)
				val[n] = '\0';
		}
	}
	return found;
}
