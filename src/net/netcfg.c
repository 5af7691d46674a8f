// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Readers for the network checks (see netcfg.h for the rules followed):
 * the shared helpers, the small readers, dpkg and sysctl.d. Docker's
 * interfaces are listed in netcfg-ifaces.c; each network manager's files
 * are read in its own file: netcfg-networkd.c, netcfg-nm.c and
 * netcfg-netplan.c.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "net/netcfg.h"
#include "net/netcfg-private.h"
#include "core/util.h"

#define MAX_CONF_SIZE (1 << 20)
#define MAX_DPKG_STATUS (64 << 20)

/* ---- helpers ------------------------------------------------------------ */

char *netcfg_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

/* Push a formatted warning; allocation failures lose the line only. */
void netcfg_warnf(char ***w, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s) {
		strv_push(w, s);
		free(s);
	}
}

/* Replace *dst with a copy of src (NULL allowed). */
int netcfg_set_str(char **dst, const char *src)
{
	char *c = NULL;

	if (src) {
		c = strdup(src);
		if (!c)
			return -ENOMEM;
	}
	free(*dst);
	*dst = c;
	return 0;
}

/* Set *dst to "FILE:LINE". */
int netcfg_set_src(char **dst, const char *file, unsigned line)
{
	char *c = netcfg_xasprintf("%s:%u", file, line);

	if (!c)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

char *netcfg_trim(char *s)
{
	char *e;

	while (*s && isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Parse a boolean the way systemd and GKeyFile spell them. -1: not one. */
int netcfg_parse_bool(const char *v)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
	static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	return -1;
}

/*
 * Read a configuration file as text: at most 1 MiB, no NUL byte (a binary
 * file is -EBADMSG). *ret is NUL terminated.
 */
int netcfg_read_text(const struct pathctx *pc, const char *path, char **ret)
{
	char *buf = NULL;
	size_t len = 0;
	int r = path_read_file(pc, path, MAX_CONF_SIZE, &buf, &len);

	if (r < 0)
		return r;
	if (memchr(buf, '\0', len)) {
		free(buf);
		return -EBADMSG;
	}
	*ret = buf;
	return 0;
}

const char *netcfg_read_error(int r)
{
	if (r == -EBADMSG)
		return "not a text file (it holds NUL bytes)";
	if (r == -EFBIG)
		return "larger than 1 MiB";
	return strerror(-r);
}

void conf_list_release(struct conf_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].path);
	}
	free(l->v);
	*l = (struct conf_list){ 0 };
}

bool conf_list_has(const struct conf_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return true;
	return false;
}

/* Is path a link to /dev/null or an empty regular file? */
bool netcfg_is_masked(const struct pathctx *pc, const char *path)
{
	struct stat st;
	char *target = NULL;
	bool masked = false;

	if (path_stat(pc, path, false, &st) < 0)
		return false;
	if (S_ISLNK(st.st_mode)) {
		if (path_readlinkf(pc, &target, "%s", path) == 0)
			masked = strcmp(target, "/dev/null") == 0;
		free(target);
		if (masked)
			return true;
		if (path_stat(pc, path, true, &st) < 0)
			return false;
	}
	return S_ISCHR(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size == 0);
}

/*
 * Add the files of dir ending with suffix, unless a file of that name is
 * already listed (an earlier directory masks a later one).
 */
static int conf_list_add_dir(const struct pathctx *pc, struct conf_list *l,
			     const char *dir, const char *suffix)
{
	DIR *d = path_opendir(pc, dir);
	struct dirent *de;
	int r = 0;

	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	while ((de = readdir(d)) && l->n < NETCFG_MAX_FILES) {
		struct conf_entry e = { 0 };

		if (de->d_name[0] == '.' || !ends_with(de->d_name, suffix) ||
		    conf_list_has(l, de->d_name))
			continue;
		if (l->n == l->alloc) {
			size_t na = l->alloc ? 2 * l->alloc : 16;
			struct conf_entry *nv = realloc(l->v, na * sizeof(*nv));

			if (!nv) {
				r = -ENOMEM;
				break;
			}
			l->v = nv;
			l->alloc = na;
		}
		e.name = strdup(de->d_name);
		e.path = netcfg_xasprintf("%s/%s", dir, de->d_name);
		if (!e.name || !e.path) {
			free(e.name);
			free(e.path);
			r = -ENOMEM;
			break;
		}
		e.masked = netcfg_is_masked(pc, e.path);
		l->v[l->n++] = e;
	}
	closedir(d);
	return r;
}

static int conf_entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct conf_entry *)a)->name,
		      ((const struct conf_entry *)b)->name);
}

/* List files of dirs (earliest wins) sorted by name, masked ones included. */
int conf_list_dirs(const struct pathctx *pc, const char *const *dirs,
		   size_t n_dirs, const char *suffix, struct conf_list *ret)
{
	struct conf_list l = { 0 };
	int r;

	for (size_t i = 0; i < n_dirs; i++) {
		r = conf_list_add_dir(pc, &l, dirs[i], suffix);
		if (r == -ENOMEM) {
			conf_list_release(&l);
			return r;
		}
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), conf_entry_cmp);
	*ret = l;
	return 0;
}

/* ---- small readers ------------------------------------------------------ */

int netcfg_read_int(const struct pathctx *pc, const char *path, int *ret)
{
	char *buf = NULL;
	long v;
	int r = path_read_file(pc, path, 64, &buf, NULL);

	if (r < 0)
		return r == -EFBIG ? -EINVAL : r;
	r = parse_int(netcfg_trim(buf), -1000000, 1000000, &v);
	free(buf);
	if (r < 0)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

int netcfg_ifindex(const struct pathctx *pc, const char *ifname, int *ret)
{
	char path[96];

	if (strlen(ifname) >= NETCFG_IFNAMSIZ || strchr(ifname, '/'))
		return -EINVAL;
	snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex", ifname);
	return netcfg_read_int(pc, path, ret);
}

bool netcfg_fnmatch(const char *pattern, const char *s)
{
	return fnmatch(pattern, s, 0) == 0;
}

int netcfg_default_route_ifaces(const struct pathctx *pc, char ***ret)
{
	char *buf = NULL, *line, *save = NULL;
	int r = path_read_file(pc, "/proc/net/route", 1 << 20, &buf, NULL);
	int n = 0;

	if (r < 0)
		return r;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char ifname[NETCFG_IFNAMSIZ + 8], dest[16], gw[16], mask[16];
		unsigned flags;

		/* Iface Destination Gateway Flags RefCnt Use Metric Mask ... */
		if (sscanf(line, "%23s %15s %15s %x %*s %*s %*s %15s", ifname,
			   dest, gw, &flags, mask) != 5)
			continue;
		if (strcmp(dest, "00000000") != 0 ||
		    strcmp(mask, "00000000") != 0 || !(flags & 1) ||
		    strv_contains(*ret, ifname))
			continue;
		if (strv_push(ret, ifname) < 0) {
			free(buf);
			return -ENOMEM;
		}
		n++;
	}
	free(buf);
	return n;
}

int netcfg_same_netns(const struct pathctx *pc, int pid)
{
	char *self = NULL, *theirs = NULL;
	int r = path_readlinkf(pc, &self, "/proc/self/ns/net");

	if (r == 0)
		r = path_readlinkf(pc, &theirs, "/proc/%d/ns/net", pid);
	if (r == 0)
		r = strcmp(self, theirs) == 0;
	free(self);
	free(theirs);
	return r;
}

/* ---- systemd-style INI --------------------------------------------------- */

/* Walk an INI text (see netcfg-private.h for the rules). */
int netcfg_ini_walk(char *text, bool systemd, netcfg_ini_fn fn, void *arg)
{
	char section[128] = "";
	unsigned lineno = 0;
	char *p = text;
	int r;

	while (p && *p) {
		char *nl, *line, *eq;
		unsigned start;

		/* join continuation lines into one */
		line = p;
		lineno++;
		start = lineno;
		for (;;) {
			nl = strchr(p, '\n');
			if (nl)
				*nl = '\0';
			if (systemd && nl) {
				char *e = nl;

				while (e > line &&
				       (e[-1] == ' ' || e[-1] == '\t' ||
					e[-1] == '\r'))
					e--;
				if (e > line && e[-1] == '\\' &&
				    line[strspn(line, " \t")] != '#' &&
				    line[strspn(line, " \t")] != ';') {
					e[-1] = ' ';
					*nl = ' ';
					p = nl + 1;
					lineno++;
					continue;
				}
			}
			break;
		}
		p = nl ? nl + 1 : NULL;
		line = netcfg_trim(line);
		if (!*line || *line == '#' || (systemd && *line == ';'))
			continue;
		if (*line == '[') {
			char *end = strchr(line, ']');

			if (!end) {
				r = fn(arg, NULL, NULL, line, start);
				if (r < 0)
					return r;
				continue;
			}
			*end = '\0';
			strscpy(section, line + 1, sizeof(section));
			r = fn(arg, section, NULL, NULL, start);
			if (r < 0)
				return r;
			continue;
		}
		eq = strchr(line, '=');
		if (!eq || !section[0]) {
			r = fn(arg, NULL, NULL, line, start);
			if (r < 0)
				return r;
			continue;
		}
		*eq = '\0';
		r = fn(arg, section, netcfg_trim(line), netcfg_trim(eq + 1),
		       start);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- dpkg ----------------------------------------------------------------- */

int netcfg_dpkg_installed(const struct pathctx *pc, const char *const *names,
			  char ***ret)
{
	char *buf = NULL, *line, *next, pkg[128] = "";
	bool installed = false, listed = false;
	int r, n = 0;

	/*
	 * dpkg keeps /var/lib/dpkg/info/NAME.list for every unpacked
	 * package: without one, the (megabytes of) status file need not be
	 * read at all.
	 */
	for (size_t i = 0; names[i] && !listed; i++) {
		char path[192];
		struct stat st;

		snprintf(path, sizeof(path), "/var/lib/dpkg/info/%s.list",
			 names[i]);
		listed = path_stat(pc, path, true, &st) == 0;
	}
	if (!listed)
		return 0;
	r = path_read_file(pc, "/var/lib/dpkg/status", MAX_DPKG_STATUS, &buf,
			   NULL);
	if (r < 0)
		return r;
	for (line = buf; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (startswith(line, "Package:")) {
			strscpy(pkg, netcfg_trim(line + 8), sizeof(pkg));
			installed = false;
		} else if (startswith(line, "Status:")) {
			char *s = netcfg_trim(line + 7),
			     *last = strrchr(s, ' ');

			installed = last &&
				    strcmp(last + 1, "installed") == 0 &&
				    startswith(s, "install ");
		}
		/* a paragraph ends at a blank line (or the end of the file) */
		if (*line && next)
			continue;
		for (size_t i = 0; installed && names[i]; i++) {
			if (strcmp(pkg, names[i]) != 0 ||
			    strv_contains(*ret, pkg))
				continue;
			if (strv_push(ret, pkg) < 0) {
				free(buf);
				return -ENOMEM;
			}
			n++;
		}
		pkg[0] = '\0';
		installed = false;
	}
	free(buf);
	return n;
}

/* ---- sysctl.d ------------------------------------------------------------ */

/* "net/ipv4/conf/eth0.1/forwarding" -> "net.ipv4.conf.eth0/1.forwarding" */
static void sysctl_normalize(char *key)
{
	char *sep = strpbrk(key, "./");

	if (!sep || *sep == '.')
		return;
	for (char *p = key; *p; p++)
		*p = *p == '/' ? '.' : *p == '.' ? '/' : *p;
}

static int sysctld_file(const struct pathctx *pc, struct netcfg_sysctld *s,
			const char *path)
{
	char *text = NULL, *line, *next;
	unsigned lineno = 0;
	int r = netcfg_read_text(pc, path, &text);

	if (r < 0)
		return r == -ENOMEM ? r : 0;
	for (line = text; line && r == 0; line = next) {
		struct netcfg_sysctl_entry e = { 0 }, *nv;
		char *eq, *key;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line = netcfg_trim(line);
		if (!*line || *line == '#' || *line == ';')
			continue;
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		key = netcfg_trim(line);
		if (*key == '-')
			key = netcfg_trim(key + 1);
		sysctl_normalize(key);
		e.key = strdup(key);
		e.value = strdup(netcfg_trim(eq + 1));
		e.src = netcfg_xasprintf("%s:%u", path, lineno);
		nv = realloc(s->v, (s->n + 1) * sizeof(*nv));
		if (!e.key || !e.value || !e.src || !nv) {
			free(e.key);
			free(e.value);
			free(e.src);
			if (nv)
				s->v = nv;
			r = -ENOMEM;
			break;
		}
		s->v = nv;
		s->v[s->n++] = e;
	}
	free(text);
	return r;
}

int netcfg_sysctld_load(const struct pathctx *pc, struct netcfg_sysctld *ret)
{
	static const char *const dirs[] = {
		"/etc/sysctl.d",     "/run/sysctl.d", "/usr/local/lib/sysctl.d",
		"/usr/lib/sysctl.d", "/lib/sysctl.d",
	};
	struct netcfg_sysctld s = { 0 };
	struct conf_list l = { 0 };
	int r = conf_list_dirs(pc, dirs, ARRAY_SIZE(dirs), ".conf", &l);

	for (size_t i = 0; r == 0 && i < l.n; i++)
		if (!l.v[i].masked)
			r = sysctld_file(pc, &s, l.v[i].path);
	/* procps' sysctl --system reads /etc/sysctl.conf last */
	if (r == 0)
		r = sysctld_file(pc, &s, "/etc/sysctl.conf");
	conf_list_release(&l);
	if (r < 0) {
		netcfg_sysctld_release(&s);
		return r;
	}
	*ret = s;
	return 0;
}

void netcfg_sysctld_release(struct netcfg_sysctld *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].key);
		free(s->v[i].value);
		free(s->v[i].src);
	}
	free(s->v);
	*s = (struct netcfg_sysctld){ 0 };
}

const struct netcfg_sysctl_entry *
netcfg_sysctld_lookup(const struct netcfg_sysctld *s, const char *key)
{
	const struct netcfg_sysctl_entry *exact = NULL, *glob = NULL;

	/* an explicit assignment beats a glob one, the last of each wins */
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->v[i].key, key) == 0)
			exact = &s->v[i];
		else if (strpbrk(s->v[i].key, "*?[") &&
			 fnmatch(s->v[i].key, key, 0) == 0)
			glob = &s->v[i];
	}
	return exact ? exact : glob;
}
