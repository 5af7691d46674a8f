// SPDX-License-Identifier: GPL-2.0-or-later
/* Readers for the network checks (see netcfg.h for the rules followed). */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <sys/stat.h>

#include "net/netcfg.h"
#include "core/util.h"

#define MAX_CONF_SIZE (1 << 20)
#define MAX_DPKG_STATUS (64 << 20)
#define MAX_FILES 512
#define MAX_ENI_DEPTH 8

/* ---- helpers ------------------------------------------------------------ */

static char *xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *xasprintf(const char *fmt, ...)
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
static void warnf(char ***w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warnf(char ***w, const char *fmt, ...)
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
static int set_str(char **dst, const char *src)
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
static int set_src(char **dst, const char *file, unsigned line)
{
	char *c = xasprintf("%s:%u", file, line);

	if (!c)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

static char *trim(char *s)
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
static int parse_bool(const char *v)
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
static int read_text(const struct pathctx *pc, const char *path, char **ret)
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

static const char *read_error(int r)
{
	if (r == -EBADMSG)
		return "not a text file (it holds NUL bytes)";
	if (r == -EFBIG)
		return "larger than 1 MiB";
	return strerror(-r);
}

/* One entry of a configuration directory listing. */
struct conf_entry {
	char *name;
	char *path;
	bool masked; /* empty or a link to /dev/null */
};

struct conf_list {
	struct conf_entry *v;
	size_t n, alloc;
};

static void conf_list_release(struct conf_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].path);
	}
	free(l->v);
	*l = (struct conf_list){ 0 };
}

static bool conf_list_has(const struct conf_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return true;
	return false;
}

/* Is path a link to /dev/null or an empty regular file? */
static bool is_masked(const struct pathctx *pc, const char *path)
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
	while ((de = readdir(d)) && l->n < MAX_FILES) {
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
		e.path = xasprintf("%s/%s", dir, de->d_name);
		if (!e.name || !e.path) {
			free(e.name);
			free(e.path);
			r = -ENOMEM;
			break;
		}
		e.masked = is_masked(pc, e.path);
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
static int conf_list_dirs(const struct pathctx *pc, const char *const *dirs,
			  size_t n_dirs, const char *suffix,
			  struct conf_list *ret)
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
	r = parse_int(trim(buf), -1000000, 1000000, &v);
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

/* ---- Docker's interfaces ------------------------------------------------- */

static bool is_user_bridge_name(const char *name)
{
	if (strncmp(name, "br-", 3) != 0 || strlen(name) != 15)
		return false;
	for (const char *p = name + 3; *p; p++)
		if (!isxdigit((unsigned char)*p) || isupper((unsigned char)*p))
			return false;
	return true;
}

static int iflist_add(struct netcfg_iflist *l, const char *name,
		      enum netcfg_kind kind, bool exists, bool sample)
{
	struct netcfg_if *nv;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return 0;
	nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	l->v = nv;
	nv = &l->v[l->n++];
	*nv = (struct netcfg_if){ .kind = kind,
				  .exists = exists,
				  .sample = sample };
	strscpy(nv->name, name, sizeof(nv->name));
	nv->is_default = strcmp(name, l->default_bridge) == 0;
	return 0;
}

static int if_cmp(const void *a, const void *b)
{
	const struct netcfg_if *x = a, *y = b;

	/* default bridge first, then bridges, then veths, by name */
	if (x->is_default != y->is_default)
		return x->is_default ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind == NETCFG_BRIDGE ? -1 : 1;
	return strcmp(x->name, y->name);
}

int netcfg_docker_ifaces(const struct pathctx *pc, const char *bridge_opt,
			 char *const *extra, struct netcfg_iflist *ret)
{
	struct netcfg_iflist l = { 0 };
	bool have_br = false, have_veth = false;
	struct dirent *de;
	DIR *d;
	int r = 0;

	if (!bridge_opt || !*bridge_opt)
		bridge_opt = "docker0";
	if (strcmp(bridge_opt, "none") != 0)
		strscpy(l.default_bridge, bridge_opt, sizeof(l.default_bridge));
	d = path_opendir(pc, "/sys/class/net");
	if (!d)
		l.sys_err = -errno;
	while (d && (de = readdir(d)) && r == 0) {
		const char *n = de->d_name;
		char path[96];
		struct stat st;

		if (n[0] == '.' || strlen(n) >= NETCFG_IFNAMSIZ)
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/bridge", n);
		if (strcmp(n, l.default_bridge) == 0 ||
		    strv_contains(extra, n) ||
		    (is_user_bridge_name(n) &&
		     path_stat(pc, path, true, &st) == 0)) {
			r = iflist_add(&l, n, NETCFG_BRIDGE, true, false);
			have_br |= is_user_bridge_name(n);
		} else if (startswith(n, "veth")) {
			r = iflist_add(&l, n, NETCFG_VETH, true, false);
			have_veth = true;
		}
	}
	if (d)
		closedir(d);
	if (r == 0 && l.default_bridge[0])
		r = iflist_add(&l, l.default_bridge, NETCFG_BRIDGE, false,
			       true);
	if (r == 0 && !have_br)
		r = iflist_add(&l, "br-0123456789ab", NETCFG_BRIDGE, false,
			       true);
	if (r == 0 && !have_veth)
		r = iflist_add(&l, "veth1234567", NETCFG_VETH, false, true);
	for (size_t i = 0; r == 0 && i < l.n; i++)
		if (l.v[i].exists)
			netcfg_ifindex(pc, l.v[i].name, &l.v[i].ifindex);
	if (r < 0) {
		netcfg_iflist_release(&l);
		return r;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), if_cmp);
	*ret = l;
	return 0;
}

void netcfg_iflist_release(struct netcfg_iflist *l)
{
	free(l->v);
	*l = (struct netcfg_iflist){ 0 };
}

static const char *json_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int netcfg_api_bridges(json_object *networks, char ***ret)
{
	size_t n = json_object_is_type(networks, json_type_array)
			   ? json_object_array_length(networks)
			   : 0;
	int count = 0;

	for (size_t i = 0; i < n && i < 4096; i++) {
		json_object *net = json_object_array_get_idx(networks, i), *o;
		const char *drv = json_str(net, "Driver"),
			   *id = json_str(net, "Id");
		const char *name = NULL;
		char buf[NETCFG_IFNAMSIZ];

		if (!drv || strcmp(drv, "bridge") != 0)
			continue;
		if (json_object_object_get_ex(net, "Options", &o))
			name = json_str(o, "com.docker.network.bridge.name");
		if (!name && id && strlen(id) >= 12) {
			snprintf(buf, sizeof(buf), "br-%.12s", id);
			name = buf;
		}
		if (!name || !*name || strlen(name) >= NETCFG_IFNAMSIZ ||
		    strv_contains(*ret, name))
			continue;
		if (strv_push(ret, name) < 0)
			return -ENOMEM;
		count++;
	}
	return count;
}

/* ---- systemd-style INI --------------------------------------------------- */

/*
 * Walk an INI text (systemd.syntax(7) / GKeyFile): calls fn for each
 * assignment with the section, key, value and line; a header calls it with
 * key NULL. '#' and (if semicolon) ';' start comments; a trailing backslash
 * continues a line (systemd only). Lines that are neither are reported to
 * fn with section NULL. The text is modified.
 */
typedef int (*ini_fn)(void *arg, const char *section, const char *key,
		      const char *value, unsigned line);

static int ini_walk(char *text, bool systemd, ini_fn fn, void *arg)
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
		line = trim(line);
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
		r = fn(arg, section, trim(line), trim(eq + 1), start);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- systemd-networkd ---------------------------------------------------- */

static const char *const networkd_dirs[] = {
	"/etc/systemd/network",		  "/run/systemd/network",
	"/usr/local/lib/systemd/network", "/usr/lib/systemd/network",
	"/lib/systemd/network",
};

struct nd_parse {
	struct netcfg_nd_file *f;
	const char *path;
	char ***warnings;
	char **orig; /* OriginalName= */
	char **nullmatch[3]; /* Path=, SSID=, WLANInterfaceType= */
	bool perm_mac, bssid;
	char **conds; /* conditions and Property= (maybe) */
};

/* Add the words of a match assignment ('!' prefix negates all). */
static int add_words(char ***v, const char *value)
{
	bool invert = value[0] == '!';
	char *copy, *tok, *save = NULL;
	int r = 0;

	if (!*value) {
		strv_free(*v);
		*v = NULL;
		return 0;
	}
	copy = strdup(value + invert);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, " \t", &save); tok && r == 0;
	     tok = strtok_r(NULL, " \t", &save)) {
		char *w;
		size_t len = strlen(tok);

		/* quotes around a word are removed, as extract_first_word does */
		if (len >= 2 && (tok[0] == '"' || tok[0] == '\'') &&
		    tok[len - 1] == tok[0]) {
			tok[len - 1] = '\0';
			tok++;
		}
		w = xasprintf("%s%s", invert ? "!" : "", tok);
		if (!w) {
			r = -ENOMEM;
			break;
		}
		r = strv_push(v, w);
		free(w);
	}
	free(copy);
	return r;
}

static int nd_on_line(void *arg, const char *section, const char *key,
		      const char *value, unsigned line)
{
	static const char *const conditions[] = {
		"Host",		 "Virtualization", "KernelCommandLine",
		"KernelVersion", "Credential",	   "Architecture",
		"Firmware",	 "Property",
	};
	struct nd_parse *p = arg;
	struct netcfg_nd_file *f = p->f;
	int r = 0;

	if (!section) {
		warnf(p->warnings, "%s:%u: ignoring line '%.60s'", p->path,
		      line, value);
		return 0;
	}
	if (!key)
		return 0;
	if (strcmp(section, "Match") == 0) {
		if (strcmp(key, "Name") == 0) {
			r = add_words(&f->names, value);
			if (r == 0)
				r = set_src(&f->match_src, p->path, line);
		} else if (strcmp(key, "Type") == 0) {
			r = add_words(&f->types, value);
		} else if (strcmp(key, "Kind") == 0) {
			r = add_words(&f->kinds, value);
		} else if (strcmp(key, "Driver") == 0) {
			r = add_words(&f->drivers, value);
		} else if (strcmp(key, "OriginalName") == 0) {
			r = add_words(&p->orig, value);
		} else if (strcmp(key, "Path") == 0) {
			r = add_words(&p->nullmatch[0], value);
		} else if (strcmp(key, "SSID") == 0) {
			r = add_words(&p->nullmatch[1], value);
		} else if (strcmp(key, "WLANInterfaceType") == 0) {
			r = add_words(&p->nullmatch[2], value);
		} else if (strcmp(key, "PermanentMACAddress") == 0) {
			p->perm_mac = *value != '\0';
		} else if (strcmp(key, "BSSID") == 0) {
			p->bssid = *value != '\0';
		} else if (strcmp(key, "MACAddress") == 0) {
			/* Docker's devices get random addresses: a file cannot
			 * name one in advance */
			if (*value && !strv_contains(f->never, "MACAddress"))
				r = strv_push(&f->never, "MACAddress");
		} else {
			for (size_t i = 0; i < ARRAY_SIZE(conditions); i++)
				if (strcmp(key, conditions[i]) == 0 &&
				    !strv_contains(p->conds, key))
					r = strv_push(&p->conds, key);
		}
		if (r == 0 && !f->match_src)
			r = set_src(&f->match_src, p->path, line);
		return r;
	}
	if (strcmp(section, "Link") == 0 && strcmp(key, "Unmanaged") == 0) {
		int b = parse_bool(value);

		if (!*value)
			b = -1;
		else if (b < 0) {
			warnf(p->warnings,
			      "%s:%u: Unmanaged=%s is not a boolean, ignored",
			      p->path, line, value);
			return 0;
		}
		f->unmanaged = b;
		return set_src(&f->unmanaged_src, p->path, line);
	}
	if (strcmp(section, "Network") == 0) {
		if (strcmp(key, "IPForward") == 0) {
			r = set_str(&f->ip_forward, *value ? value : NULL);
			if (r == 0)
				r = set_src(&f->ip_forward_src, p->path, line);
		} else if (strcmp(key, "IPv4Forwarding") == 0) {
			r = set_str(&f->ipv4_forwarding, *value ? value : NULL);
			if (r == 0)
				r = set_src(&f->ipv4_forwarding_src, p->path,
					    line);
		}
	}
	return r;
}

/* Fold the parse state into the file's match lists. */
static int nd_finish(struct nd_parse *p)
{
	struct netcfg_nd_file *f = p->f;
	static const char *const nullkeys[] = { "Path", "SSID",
						"WLANInterfaceType" };
	int r = 0;

	/* a list with a positive word never matches a device without it */
	for (size_t i = 0; i < ARRAY_SIZE(nullkeys) && r == 0; i++) {
		bool positive = false;

		for (size_t j = 0; p->nullmatch[i] && p->nullmatch[i][j]; j++)
			positive |= p->nullmatch[i][j][0] != '!';
		if (positive && !strv_contains(f->never, nullkeys[i]))
			r = strv_push(&f->never, nullkeys[i]);
		if (p->nullmatch[i])
			f->has_match = true;
	}
	if (r == 0 && p->perm_mac)
		r = strv_push(&f->never, "PermanentMACAddress");
	if (r == 0 && p->bssid)
		r = strv_push(&f->never, "BSSID");
	for (size_t i = 0; r == 0 && p->conds && p->conds[i]; i++)
		if (!strv_contains(f->maybe, p->conds[i]))
			r = strv_push(&f->maybe, p->conds[i]);
	/* OriginalName= of a Docker device is its name: fold it in */
	if (r == 0 && p->orig) {
		if (!strv_contains(f->maybe, "OriginalName"))
			r = strv_push(&f->maybe, "OriginalName");
	}
	f->has_match |= strv_length(f->names) || strv_length(f->types) ||
			strv_length(f->kinds) || strv_length(f->drivers) ||
			strv_length(f->never) || strv_length(f->maybe) ||
			p->orig;
	return r;
}

static void nd_parse_release(struct nd_parse *p)
{
	strv_free(p->orig);
	for (size_t i = 0; i < ARRAY_SIZE(p->nullmatch); i++)
		strv_free(p->nullmatch[i]);
	strv_free(p->conds);
}

static void nd_file_release(struct netcfg_nd_file *f)
{
	free(f->path);
	strv_free(f->dropins);
	strv_free(f->names);
	strv_free(f->types);
	strv_free(f->kinds);
	strv_free(f->drivers);
	strv_free(f->never);
	strv_free(f->maybe);
	free(f->match_src);
	free(f->unmanaged_src);
	free(f->ip_forward);
	free(f->ip_forward_src);
	free(f->ipv4_forwarding);
	free(f->ipv4_forwarding_src);
}

/* Apply one file's text (main file or drop-in) through a parse state. */
static int nd_apply(const struct pathctx *pc, const char *path,
		    struct nd_parse *p, char ***warnings)
{
	char *text = NULL;
	int r = read_text(pc, path, &text);

	if (r < 0) {
		warnf(warnings, "cannot read '%s': %s", path, read_error(r));
		return r == -ENOMEM ? r : 1;
	}
	p->path = path;
	r = ini_walk(text, true, nd_on_line, p);
	free(text);
	return r;
}

/* The drop-ins of a .network file, from every directory, in name order. */
static int nd_dropins(const struct pathctx *pc, const char *name,
		      struct conf_list *ret)
{
	char *dirs[ARRAY_SIZE(networkd_dirs)] = { 0 };
	int r = 0;

	for (size_t i = 0; i < ARRAY_SIZE(networkd_dirs); i++) {
		dirs[i] = xasprintf("%s/%s.d", networkd_dirs[i], name);
		if (!dirs[i])
			r = -ENOMEM;
	}
	if (r == 0)
		r = conf_list_dirs(pc, (const char *const *)dirs,
				   ARRAY_SIZE(dirs), ".conf", ret);
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		free(dirs[i]);
	return r;
}

/* networkd.conf [Network] IPv4Forwarding= and the systemd version. */
static int nd_global(void *arg, const char *section, const char *key,
		     const char *value, unsigned line)
{
	struct nd_parse *p = arg;
	struct netcfg_networkd *nd = (struct netcfg_networkd *)p->f;
	int r;

	if (!section || !key || strcmp(section, "Network") ||
	    strcmp(key, "IPv4Forwarding"))
		return 0;
	r = set_str(&nd->global_ipv4_forwarding, *value ? value : NULL);
	return r < 0 ? r : set_src(&nd->global_src, p->path, line);
}

static void nd_load_global(const struct pathctx *pc, struct netcfg_networkd *nd)
{
	static const char *const mains[] = {
		"/etc/systemd/networkd.conf", "/run/systemd/networkd.conf",
		"/usr/local/lib/systemd/networkd.conf",
		"/usr/lib/systemd/networkd.conf"
	};
	static const char *const dropin_dirs[] = {
		"/etc/systemd/networkd.conf.d", "/run/systemd/networkd.conf.d",
		"/usr/local/lib/systemd/networkd.conf.d",
		"/usr/lib/systemd/networkd.conf.d"
	};
	static const char *const libdirs[] = { "/usr/lib/systemd",
					       "/lib/systemd",
					       "/usr/lib64/systemd" };
	struct nd_parse p = { .f = (struct netcfg_nd_file *)nd };
	struct conf_list dl = { 0 };
	char *text;

	for (size_t i = 0; i < ARRAY_SIZE(mains); i++) {
		struct stat st;

		if (path_stat(pc, mains[i], true, &st) < 0)
			continue;
		if (read_text(pc, mains[i], &text) == 0) {
			p.path = mains[i];
			ini_walk(text, true, nd_global, &p);
			free(text);
		}
		break;
	}
	if (conf_list_dirs(pc, dropin_dirs, ARRAY_SIZE(dropin_dirs), ".conf",
			   &dl) == 0) {
		for (size_t i = 0; i < dl.n; i++) {
			if (dl.v[i].masked ||
			    read_text(pc, dl.v[i].path, &text) < 0)
				continue;
			p.path = dl.v[i].path;
			ini_walk(text, true, nd_global, &p);
			free(text);
		}
		conf_list_release(&dl);
	}
	for (size_t i = 0; i < ARRAY_SIZE(libdirs) && !nd->systemd_version;
	     i++) {
		DIR *d = path_opendir(pc, libdirs[i]);
		struct dirent *de;

		while (d && (de = readdir(d)))
			if (startswith(de->d_name, "libsystemd-shared-") &&
			    isdigit((unsigned char)de->d_name[18]))
				nd->systemd_version = (unsigned)strtoul(
					de->d_name + 18, NULL, 10);
		if (d)
			closedir(d);
	}
}

int netcfg_networkd_load(const struct pathctx *pc, struct netcfg_networkd *ret)
{
	struct netcfg_networkd nd = { 0 };
	struct conf_list l = { 0 };
	int r;

	r = conf_list_dirs(pc, networkd_dirs, ARRAY_SIZE(networkd_dirs),
			   ".network", &l);
	if (r < 0)
		return r;
	nd.files = calloc(l.n ? l.n : 1, sizeof(*nd.files));
	if (!nd.files) {
		conf_list_release(&l);
		return -ENOMEM;
	}
	for (size_t i = 0; i < l.n && r >= 0; i++) {
		struct netcfg_nd_file *f = &nd.files[nd.n];
		struct nd_parse p = { .f = f, .warnings = &nd.warnings };
		struct conf_list dl = { 0 };

		if (l.v[i].masked)
			continue;
		*f = (struct netcfg_nd_file){ .unmanaged = -1 };
		f->path = strdup(l.v[i].path);
		if (!f->path) {
			r = -ENOMEM;
			break;
		}
		r = nd_apply(pc, f->path, &p, &nd.warnings);
		if (r == 1) {
			/* unreadable: networkd skips it too */
			nd_parse_release(&p);
			nd_file_release(f);
			r = 0;
			continue;
		}
		if (r == 0)
			r = nd_dropins(pc, l.v[i].name, &dl);
		for (size_t j = 0; r >= 0 && j < dl.n; j++) {
			if (dl.v[j].masked)
				continue;
			r = strv_push(&f->dropins, dl.v[j].path);
			if (r == 0)
				r = nd_apply(pc, dl.v[j].path, &p,
					     &nd.warnings);
			if (r == 1)
				r = 0;
		}
		conf_list_release(&dl);
		if (r >= 0)
			r = nd_finish(&p);
		nd_parse_release(&p);
		nd.n++;
	}
	conf_list_release(&l);
	if (r < 0) {
		netcfg_networkd_release(&nd);
		return r;
	}
	nd_load_global(pc, &nd);
	*ret = nd;
	return 0;
}

void netcfg_networkd_release(struct netcfg_networkd *nd)
{
	for (size_t i = 0; i < nd->n; i++)
		nd_file_release(&nd->files[i]);
	free(nd->files);
	strv_free(nd->warnings);
	free(nd->global_ipv4_forwarding);
	free(nd->global_src);
	*nd = (struct netcfg_networkd){ 0 };
}

/* systemd's net_condition_test_strv(): '!' words exclude, others include. */
static bool test_words(char *const *words, const char *s)
{
	bool match = false, positive = false;

	if (!words || !words[0])
		return true;
	for (size_t i = 0; words[i]; i++) {
		const char *w = words[i];
		bool invert = *w == '!';

		w += invert;
		if (!invert)
			positive = true;
		if (s && fnmatch(w, s, 0) == 0) {
			if (invert)
				return false;
			match = true;
		}
	}
	return positive ? match : true;
}

enum netcfg_match netcfg_nd_match(const struct netcfg_nd_file *f,
				  const char *ifname, enum netcfg_kind kind,
				  const char **why)
{
	const char *type = kind == NETCFG_BRIDGE ? "bridge" : "ether";
	const char *drv = kind == NETCFG_BRIDGE ? "bridge" : "veth";

	if (why)
		*why = NULL;
	if (!f->has_match) {
		if (why)
			*why = "its [Match] is empty, it matches every link";
		return NETCFG_YES;
	}
	if (kind == NETCFG_OTHER) {
		/* a host interface: only its name and "no kind" are known */
		bool unknown = (f->types && f->types[0]) ||
			       (f->drivers && f->drivers[0]) ||
			       (f->never && f->never[0]) ||
			       (f->maybe && f->maybe[0]);

		if (!test_words(f->names, ifname) ||
		    !test_words(f->kinds, NULL))
			return NETCFG_NO;
		if (unknown && why)
			*why = "settings other than Name=";
		return unknown ? NETCFG_MAYBE : NETCFG_YES;
	}
	if (f->never && f->never[0])
		return NETCFG_NO;
	if (!test_words(f->names, ifname) || !test_words(f->types, type) ||
	    !test_words(f->kinds, drv) || !test_words(f->drivers, drv))
		return NETCFG_NO;
	if (f->maybe && f->maybe[0]) {
		if (why)
			*why = f->maybe[0];
		/* OriginalName= alone is decided by the name, which matched */
		return NETCFG_MAYBE;
	}
	return NETCFG_YES;
}

const struct netcfg_nd_file *
netcfg_networkd_first(const struct netcfg_networkd *nd, const char *ifname,
		      enum netcfg_kind kind, enum netcfg_match *ret_m,
		      const char **why)
{
	for (size_t i = 0; i < nd->n; i++) {
		enum netcfg_match m =
			netcfg_nd_match(&nd->files[i], ifname, kind, why);

		if (m != NETCFG_NO) {
			if (ret_m)
				*ret_m = m;
			return &nd->files[i];
		}
	}
	if (ret_m)
		*ret_m = NETCFG_NO;
	return NULL;
}

const struct netcfg_nd_file *
netcfg_networkd_find(const struct netcfg_networkd *nd, const char *path)
{
	for (size_t i = 0; path && i < nd->n; i++)
		if (strcmp(nd->files[i].path, path) == 0)
			return &nd->files[i];
	return NULL;
}

int netcfg_networkd_link(const struct pathctx *pc, int ifindex,
			 struct netcfg_nd_link *ret)
{
	struct netcfg_nd_link l = { 0 };
	char path[64], *text = NULL, *line, *save = NULL;
	int r;

	snprintf(path, sizeof(path), "/run/systemd/netif/links/%d", ifindex);
	r = read_text(pc, path, &text);
	if (r < 0)
		return r;
	for (line = strtok_r(text, "\n", &save); line && r == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		if (startswith(line, "ADMIN_STATE="))
			strscpy(l.admin_state, line + 12,
				sizeof(l.admin_state));
		else if (startswith(line, "NETWORK_FILE=") && line[13])
			r = set_str(&l.network_file, line + 13);
	}
	free(text);
	if (r < 0) {
		netcfg_nd_link_release(&l);
		return r;
	}
	if (!l.admin_state[0]) {
		netcfg_nd_link_release(&l);
		return -EBADMSG;
	}
	*ret = l;
	return 0;
}

void netcfg_nd_link_release(struct netcfg_nd_link *l)
{
	free(l->network_file);
	l->network_file = NULL;
}

/* ---- NetworkManager ---------------------------------------------------- */

/* NM's "simple globbing": '*' and '?' only, no ranges, no escapes. */
static bool nm_glob(const char *p, const char *s)
{
	for (; *p; p++, s++) {
		if (*p == '*') {
			for (const char *t = s;; t++) {
				if (nm_glob(p + 1, t))
					return true;
				if (!*t)
					return false;
			}
		}
		if (!*s || (*p != '?' && *p != *s))
			return false;
	}
	return !*s;
}

/*
 * Split a device spec list at ',' and ';' (a backslash escapes them and
 * spells \s \t \n \\), trimming white space around each spec.
 */
static int nm_split(const char *specs, char ***ret)
{
	size_t len = strlen(specs);
	char *buf = malloc(len + 1);
	size_t o = 0;
	int r = 0;

	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i <= len && r == 0; i++) {
		char c = specs[i];

		if (c == '\\' && i + 1 < len) {
			char n = specs[++i];

			buf[o++] = n == 's'   ? ' '
				   : n == 't' ? '\t'
				   : n == 'n' ? '\n'
					      : n;
			continue;
		}
		if (c == ',' || c == ';' || c == '\0') {
			char *t;

			buf[o] = '\0';
			t = trim(buf);
			if (*t)
				r = strv_push(ret, t);
			o = 0;
			continue;
		}
		buf[o++] = c;
	}
	free(buf);
	return r;
}

/* One qualified spec against Docker's interface. */
static bool nm_spec_one(const char *s, const char *ifname,
			enum netcfg_kind kind, bool qualified_only)
{
	const char *type = kind == NETCFG_BRIDGE ? "bridge" : "veth";

	if (strcmp(s, "*") == 0)
		return !qualified_only;
	if (startswith(s, "interface-name:")) {
		s += 15;
		if (*s == '=')
			return strcmp(s + 1, ifname) == 0;
		if (*s == '~')
			s++;
		return nm_glob(s, ifname);
	}
	if (startswith(s, "type:"))
		return strcmp(s + 5, type) == 0;
	if (startswith(s, "driver:")) {
		size_t n = strcspn(s + 7, "/");

		return strlen(type) == n && strncmp(s + 7, type, n) == 0;
	}
	if (strchr(s, ':'))
		return false; /* mac:, s390-subchannels:, HWADDR, ... */
	return !qualified_only && strcmp(s, ifname) == 0;
}

bool netcfg_nm_spec_match(const char *specs, const char *ifname,
			  enum netcfg_kind kind)
{
	char **v = NULL;
	bool pos = false, has_pos = false, neg = false, any;

	if (!specs || nm_split(specs, &v) < 0) {
		strv_free(v);
		return false;
	}
	for (size_t i = 0; v && v[i]; i++) {
		if (startswith(v[i], "except:")) {
			neg |= nm_spec_one(v[i] + 7, ifname, kind, true);
		} else {
			has_pos = true;
			pos |= nm_spec_one(v[i], ifname, kind, false);
		}
	}
	any = v && v[0];
	strv_free(v);
	if (neg || !any)
		return false;
	/* only except: specs behave as if "*" were there too */
	return has_pos ? pos : true;
}

/* Add (+=) or take (-=) specs from a list value. */
static int nm_list_edit(char **value, const char *arg, bool add, char sep)
{
	char **cur = NULL, **chg = NULL, *out = NULL;
	size_t len = 0;
	int r;

	r = *value ? nm_split(*value, &cur) : 0;
	if (r == 0)
		r = nm_split(arg, &chg);
	for (size_t i = 0; r == 0 && chg && chg[i]; i++) {
		if (add && !strv_contains(cur, chg[i]))
			r = strv_push(&cur, chg[i]);
		if (!add)
			for (size_t j = 0; cur && cur[j]; j++)
				if (strcmp(cur[j], chg[i]) == 0) {
					free(cur[j]);
					memmove(&cur[j], &cur[j + 1],
						(strv_length(cur) - j) *
							sizeof(char *));
					j--;
				}
	}
	for (size_t i = 0; r == 0 && cur && cur[i]; i++)
		len += strlen(cur[i]) + 1;
	if (r == 0) {
		out = calloc(1, len + 1);
		if (!out)
			r = -ENOMEM;
	}
	for (size_t i = 0, o = 0; r == 0 && cur && cur[i]; i++) {
		if (i)
			out[o++] = sep;
		memcpy(out + o, cur[i], strlen(cur[i]));
		o += strlen(cur[i]);
	}
	strv_free(cur);
	strv_free(chg);
	if (r < 0) {
		free(out);
		return r;
	}
	free(*value);
	*value = out;
	return 0;
}

struct nm_parse {
	struct netcfg_nm *nm;
	const char *path;
	bool main_file;
};

static struct netcfg_nm_section *nm_section(struct netcfg_nm *nm,
					    const char *name)
{
	for (size_t i = 0; i < nm->n_sec; i++)
		if (strcmp(nm->sec[i].name, name) == 0)
			return &nm->sec[i];
	return NULL;
}

static int nm_on_line(void *arg, const char *section, const char *key,
		      const char *value, unsigned line)
{
	struct nm_parse *p = arg;
	struct netcfg_nm *nm = p->nm;
	struct netcfg_nm_section *s;
	size_t kl;
	char op = 0, base[64];
	int r = 0;

	if (!section) {
		warnf(&nm->warnings,
		      "%s:%u: not a key=value line, NetworkManager refuses the file: '%.60s'",
		      p->path, line, value);
		return 0;
	}
	if (startswith(section, "device") && !startswith(section, ".")) {
		s = nm_section(nm, section);
		if (!s) {
			struct netcfg_nm_section *nv =
				realloc(nm->sec, (nm->n_sec + 1) * sizeof(*nv));

			if (!nv)
				return -ENOMEM;
			nm->sec = nv;
			s = &nm->sec[nm->n_sec++];
			*s = (struct netcfg_nm_section){ .managed = -1 };
			s->name = strdup(section);
			if (!s->name)
				return -ENOMEM;
			r = set_src(&s->src, p->path, line);
		}
		if (r < 0 || !key)
			return r;
		if (strcmp(key, "match-device") == 0)
			return set_str(&s->match_device, value);
		if (strcmp(key, "managed") == 0) {
			s->managed = parse_bool(value);
			return set_src(&s->managed_src, p->path, line);
		}
		if (strcmp(key, "stop-match") == 0)
			s->stop_match = parse_bool(value) == 1;
		return 0;
	}
	if (!key)
		return 0;
	kl = strlen(key);
	if (kl > 1 && kl < sizeof(base) &&
	    (key[kl - 1] == '+' || key[kl - 1] == '-')) {
		op = key[kl - 1];
		memcpy(base, key, kl - 1);
		base[kl - 1] = '\0';
		key = base;
	}
	if (strcmp(section, "keyfile") == 0 &&
	    strcmp(key, "unmanaged-devices") == 0) {
		if (op)
			r = nm_list_edit(&nm->unmanaged_devices, value,
					 op == '+', ',');
		else
			r = set_str(&nm->unmanaged_devices, value);
		return r < 0 ? r : set_src(&nm->unmanaged_src, p->path, line);
	}
	if (strcmp(section, "main") == 0 && strcmp(key, "plugins") == 0) {
		char *joined = NULL;

		if (op) {
			for (size_t i = 0; nm->plugins && nm->plugins[i]; i++)
				if (nm_list_edit(&joined, nm->plugins[i], true,
						 ',') < 0) {
					free(joined);
					return -ENOMEM;
				}
			r = nm_list_edit(&joined, value, op == '+', ',');
		} else {
			r = set_str(&joined, value);
		}
		strv_free(nm->plugins);
		nm->plugins = NULL;
		if (r == 0 && joined)
			r = nm_split(joined, &nm->plugins);
		if (r == 0 && !nm->plugins)
			r = strv_push(&nm->plugins, "");
		free(joined);
		return r;
	}
	if (strcmp(section, "ifupdown") == 0 && strcmp(key, "managed") == 0) {
		int b = parse_bool(value);

		if (b >= 0) {
			nm->ifupdown_managed = b;
			return set_src(&nm->ifupdown_src, p->path, line);
		}
	}
	return 0;
}

/* [.config] enable=false skips a snippet (never the main file). */
static int nm_enabled_cb(void *arg, const char *section, const char *key,
			 const char *value, unsigned line)
{
	bool *enabled = arg;

	(void)line;
	if (section && key && strcmp(section, ".config") == 0 &&
	    strcmp(key, "enable") == 0)
		*enabled = parse_bool(value) != 0;
	return 0;
}

/* Read one NetworkManager configuration file into nm. */
static int nm_read(const struct pathctx *pc, struct netcfg_nm *nm,
		   const char *path, bool main_file)
{
	struct nm_parse p = { .nm = nm, .path = path, .main_file = main_file };
	char *text = NULL, *copy;
	bool enabled = true;
	size_t first_new = nm->n_sec;
	int r = read_text(pc, path, &text);

	if (r == -ENOENT && main_file)
		return 0;
	if (r < 0) {
		warnf(&nm->warnings, "cannot read '%s': %s", path,
		      read_error(r));
		return r == -ENOMEM ? r : 0;
	}
	copy = strdup(text);
	if (!copy) {
		free(text);
		return -ENOMEM;
	}
	ini_walk(copy, false, nm_enabled_cb, &enabled);
	free(copy);
	if (enabled || main_file) {
		r = strv_push(&nm->files, path);
		if (r == 0)
			r = ini_walk(text, false, nm_on_line, &p);
	}
	free(text);
	/*
	 * NM merges each file's [device*] groups bottom to top and reverses
	 * everything at the end: later files come first, a file's own
	 * sections top to bottom. Reverse this file's new sections here;
	 * nm_order_sections() reverses the whole list.
	 */
	for (size_t i = first_new, j = nm->n_sec; r == 0 && i + 1 < j;
	     i++, j--) {
		struct netcfg_nm_section tmp = nm->sec[i];

		nm->sec[i] = nm->sec[j - 1];
		nm->sec[j - 1] = tmp;
	}
	return r;
}

/* ifupdown: names of "iface" stanzas (and mappings) in the interfaces files. */
struct eni {
	const struct pathctx *pc;
	struct netcfg_nm *nm;
	int depth;
	int files; /* read so far: a bound against sourcing loops */
};

static int eni_file(struct eni *e, const char *path);

/* "source" and "source-directory": relative paths are under /etc/network. */
static int eni_source(struct eni *e, const char *arg, bool dir)
{
	char *full, *slash, *dname, *pattern;
	struct conf_list l = { 0 };
	int r = 0;

	full = arg[0] == '/' ? strdup(arg) : xasprintf("/etc/network/%s", arg);
	if (!full)
		return -ENOMEM;
	if (dir) {
		dname = full;
		pattern = NULL;
	} else if (!strpbrk(full, "*?[")) {
		r = eni_file(e, full);
		free(full);
		return r;
	} else {
		slash = strrchr(full, '/');
		*slash = '\0';
		dname = full;
		pattern = slash + 1;
	}
	r = conf_list_dirs(e->pc, (const char *const *)&dname, 1, "", &l);
	for (size_t i = 0; r == 0 && i < l.n; i++) {
		if (pattern && fnmatch(pattern, l.v[i].name, FNM_PERIOD) != 0)
			continue;
		r = eni_file(e, l.v[i].path);
	}
	conf_list_release(&l);
	free(full);
	return r;
}

static int eni_file(struct eni *e, const char *path)
{
	char *text = NULL, *line, *save = NULL;
	unsigned lineno = 0;
	int r;

	if (e->depth >= MAX_ENI_DEPTH || e->files >= MAX_FILES)
		return 0;
	e->files++;
	r = read_text(e->pc, path, &text);
	if (r == -ENOENT || r == -EISDIR)
		return 0;
	if (r < 0) {
		warnf(&e->nm->warnings, "cannot read '%s': %s", path,
		      read_error(r));
		return r == -ENOMEM ? r : 0;
	}
	e->depth++;
	for (line = text; line && r == 0; line = save) {
		char *words[4] = { 0 }, *tok, *s2 = NULL;
		int n = 0;

		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		lineno++;
		line = trim(line);
		if (!*line || *line == '#')
			continue;
		for (tok = strtok_r(line, " \t", &s2); tok && n < 4;
		     tok = strtok_r(NULL, " \t", &s2))
			words[n++] = tok;
		if (n < 2)
			continue;
		if (strcmp(words[0], "iface") == 0 ||
		    strcmp(words[0], "mapping") == 0) {
			char *src;

			if (strcmp(words[0], "iface") == 0 &&
			    (startswith(words[1], "br") ||
			     strcmp(words[1], "lo") == 0))
				continue;
			if (strv_contains(e->nm->eni_ifaces, words[1]))
				continue;
			src = xasprintf("%s:%u", path, lineno);
			if (!src)
				r = -ENOMEM;
			if (r == 0)
				r = strv_push(&e->nm->eni_ifaces, words[1]);
			if (r == 0)
				r = strv_push(&e->nm->eni_srcs, src);
			free(src);
		} else if (strcmp(words[0], "source") == 0) {
			r = eni_source(e, words[1], false);
		} else if (strcmp(words[0], "source-directory") == 0) {
			r = eni_source(e, words[1], true);
		}
	}
	e->depth--;
	free(text);
	return r;
}

/* The udev rule that leaves veth devices unmanaged (NM >= 1.2). */
static void nm_udev(const struct pathctx *pc, struct netcfg_nm *nm)
{
	static const char *const paths[] = {
		"/etc/udev/rules.d/85-nm-unmanaged.rules",
		"/run/udev/rules.d/85-nm-unmanaged.rules",
		"/usr/lib/udev/rules.d/85-nm-unmanaged.rules",
		"/lib/udev/rules.d/85-nm-unmanaged.rules",
	};
	char *text = NULL, *line, *save = NULL;
	unsigned lineno = 0;

	/* without the file, assume NetworkManager's own rule */
	nm->udev_veth = true;
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		struct stat st;

		if (path_stat(pc, paths[i], false, &st) < 0)
			continue;
		nm->udev_veth = false;
		if (is_masked(pc, paths[i]) ||
		    read_text(pc, paths[i], &text) < 0)
			return;
		for (line = text; line; line = save) {
			save = strchr(line, '\n');
			if (save)
				*save++ = '\0';
			lineno++;
			line = trim(line);
			if (*line != '#' && strstr(line, "\"veth\"") &&
			    strstr(line, "ID_NET_DRIVER") &&
			    strstr(line, "NM_UNMANAGED}=\"1\"")) {
				nm->udev_veth = true;
				set_src(&nm->udev_src, paths[i], lineno);
				break;
			}
		}
		free(text);
		return;
	}
}

/* Order [device*] sections as NM searches them. */
static void nm_order_sections(struct netcfg_nm *nm)
{
	struct netcfg_nm_section tmp;

	/* NM searches later files first; [device] itself comes last */
	for (size_t i = 0; i < nm->n_sec / 2; i++) {
		tmp = nm->sec[i];
		nm->sec[i] = nm->sec[nm->n_sec - 1 - i];
		nm->sec[nm->n_sec - 1 - i] = tmp;
	}
	for (size_t i = 0; i + 1 < nm->n_sec; i++)
		if (strcmp(nm->sec[i].name, "device") == 0) {
			tmp = nm->sec[i];
			memmove(&nm->sec[i], &nm->sec[i + 1],
				(nm->n_sec - i - 1) * sizeof(tmp));
			nm->sec[nm->n_sec - 1] = tmp;
			break;
		}
}

int netcfg_nm_load(const struct pathctx *pc, struct netcfg_nm *ret)
{
	static const char *const usr = "/usr/lib/NetworkManager/conf.d";
	static const char *const run = "/run/NetworkManager/conf.d";
	static const char *const etc = "/etc/NetworkManager/conf.d";
	struct netcfg_nm nm = { 0 };
	struct conf_list lu = { 0 }, lr = { 0 }, le = { 0 };
	struct eni e = { .pc = pc, .nm = &nm };
	int r;

	r = conf_list_dirs(pc, &usr, 1, ".conf", &lu);
	if (r == 0)
		r = conf_list_dirs(pc, &run, 1, ".conf", &lr);
	if (r == 0)
		r = conf_list_dirs(pc, &etc, 1, ".conf", &le);
	for (size_t i = 0; r == 0 && i < lu.n; i++)
		if (!conf_list_has(&le, lu.v[i].name) &&
		    !conf_list_has(&lr, lu.v[i].name))
			r = nm_read(pc, &nm, lu.v[i].path, false);
	for (size_t i = 0; r == 0 && i < lr.n; i++)
		if (!conf_list_has(&le, lr.v[i].name))
			r = nm_read(pc, &nm, lr.v[i].path, false);
	if (r == 0)
		r = nm_read(pc, &nm, "/etc/NetworkManager/NetworkManager.conf",
			    true);
	for (size_t i = 0; r == 0 && i < le.n; i++)
		r = nm_read(pc, &nm, le.v[i].path, false);
	conf_list_release(&lu);
	conf_list_release(&lr);
	conf_list_release(&le);
	if (r == 0 && strv_contains(nm.plugins, "ifupdown") &&
	    !nm.ifupdown_managed)
		r = eni_file(&e, "/etc/network/interfaces");
	if (r < 0) {
		netcfg_nm_release(&nm);
		return r;
	}
	nm_order_sections(&nm);
	nm_udev(pc, &nm);
	*ret = nm;
	return 0;
}

void netcfg_nm_release(struct netcfg_nm *nm)
{
	strv_free(nm->files);
	free(nm->unmanaged_devices);
	free(nm->unmanaged_src);
	strv_free(nm->plugins);
	free(nm->ifupdown_src);
	for (size_t i = 0; i < nm->n_sec; i++) {
		free(nm->sec[i].name);
		free(nm->sec[i].src);
		free(nm->sec[i].match_device);
		free(nm->sec[i].managed_src);
	}
	free(nm->sec);
	strv_free(nm->eni_ifaces);
	strv_free(nm->eni_srcs);
	free(nm->udev_src);
	strv_free(nm->warnings);
	*nm = (struct netcfg_nm){ 0 };
}

void netcfg_nm_judge(const struct netcfg_nm *nm, const char *ifname,
		     enum netcfg_kind kind, struct netcfg_nm_verdict *ret)
{
	*ret = (struct netcfg_nm_verdict){ .managed = false };
	if (netcfg_nm_spec_match(nm->unmanaged_devices, ifname, kind)) {
		ret->reason = NETCFG_NM_UNMANAGED_DEVICES;
		ret->src = nm->unmanaged_src;
		return;
	}
	if (strv_contains(nm->plugins, "ifupdown") && !nm->ifupdown_managed) {
		for (size_t i = 0; nm->eni_ifaces && nm->eni_ifaces[i]; i++)
			if (strcmp(nm->eni_ifaces[i], ifname) == 0) {
				ret->reason = NETCFG_NM_IFUPDOWN;
				ret->src = nm->eni_srcs[i];
				return;
			}
	}
	for (size_t i = 0; i < nm->n_sec; i++) {
		const struct netcfg_nm_section *s = &nm->sec[i];

		if (s->match_device &&
		    !netcfg_nm_spec_match(s->match_device, ifname, kind))
			continue;
		if (s->managed >= 0) {
			ret->managed = s->managed;
			ret->reason = NETCFG_NM_DEVICE_SECTION;
			ret->src = s->managed_src;
			return;
		}
		if (s->stop_match)
			break;
	}
	if (kind == NETCFG_VETH && nm->udev_veth &&
	    !(ifname[0] == 'e' && ifname[1] == 't' && ifname[2] == 'h' &&
	      isdigit((unsigned char)ifname[3]))) {
		ret->reason = NETCFG_NM_UDEV;
		ret->src = nm->udev_src;
		return;
	}
	ret->managed = true;
	ret->reason = kind == NETCFG_BRIDGE ? NETCFG_NM_EXTERNAL
					    : NETCFG_NM_DEFAULT;
}

int netcfg_nm_device_state(const struct pathctx *pc, int ifindex)
{
	char path[64], *text = NULL, *line, *save = NULL;
	bool in_device = false;
	int r, managed = -1;

	snprintf(path, sizeof(path), "/run/NetworkManager/devices/%d", ifindex);
	r = read_text(pc, path, &text);
	if (r < 0)
		return r;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		line = trim(line);
		if (*line == '[')
			in_device = strcmp(line, "[device]") == 0;
		else if (in_device && startswith(line, "managed="))
			managed = parse_bool(trim(line + 8));
	}
	free(text);
	return managed;
}

/* ---- netplan ------------------------------------------------------------ */

static const char *const np_types[] = {
	/* physical */
	"ethernets",
	"wifis",
	"modems",
	/* virtual: netplan creates these devices */
	"bridges",
	"bonds",
	"vlans",
	"tunnels",
	"vrfs",
	"dummy-devices",
	"virtual-ethernets",
};
#define NP_N_PHYSICAL 3

struct np_state {
	struct netcfg_netplan *np;
	char *renderer; /* network: renderer: */
	char *type_renderer[ARRAY_SIZE(np_types)];
	char **def_renderer; /* per def, its own renderer: (parallel) */
};

static int np_type_index(const char *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(np_types); i++)
		if (strcmp(np_types[i], t) == 0)
			return (int)i;
	return -1;
}

/* Remove YAML quotes from a scalar in place. */
static char *np_unquote(char *s)
{
	size_t len = strlen(s);
	char *o, *i;

	if (len < 2 || (s[0] != '"' && s[0] != '\'') || s[len - 1] != s[0])
		return s;
	s[len - 1] = '\0';
	for (i = s + 1, o = s; *i; i++) {
		if (s[0] == '\'' && i[0] == '\'' && i[1] == '\'')
			i++;
		else if (s[0] == '"' && i[0] == '\\' && i[1])
			i++;
		*o++ = *i;
	}
	*o = '\0';
	return s;
}

/* Position of the ':' that ends a mapping key, or NULL. */
static char *np_key_colon(char *s)
{
	char q = 0;

	for (char *p = s; *p; p++) {
		if (q) {
			if (*p == q)
				q = 0;
			continue;
		}
		if ((*p == '"' || *p == '\'') && p == s)
			q = *p;
		else if (*p == ':' && (p[1] == '\0' || p[1] == ' '))
			return p;
	}
	return NULL;
}

/* Split a flow collection body at top-level commas. */
static int np_flow_split(char *body, char ***ret)
{
	int depth = 0;
	char q = 0, *start = body;
	int r = 0;

	for (char *p = body;; p++) {
		if (q) {
			if (*p == q)
				q = 0;
			else if (!*p)
				break;
			continue;
		}
		if (*p == '"' || *p == '\'')
			q = *p;
		else if (*p == '[' || *p == '{')
			depth++;
		else if ((*p == ']' || *p == '}') && depth > 0)
			depth--;
		if (*p == '\0' || (*p == ',' && depth == 0)) {
			char end = *p, *item;

			*p = '\0';
			item = trim(start);
			if (*item)
				r = strv_push(ret, np_unquote(item));
			if (!end || r < 0)
				break;
			start = p + 1;
		}
	}
	return r;
}

static struct netcfg_np_def *np_def(struct np_state *st, const char *type,
				    const char *id, const char *path,
				    unsigned line)
{
	struct netcfg_netplan *np = st->np;
	struct netcfg_np_def *nv, *d;
	char **nr;
	int ti = np_type_index(type);

	for (size_t i = 0; i < np->n; i++)
		if (strcmp(np->defs[i].type, type) == 0 &&
		    strcmp(np->defs[i].id, id) == 0)
			return &np->defs[i];
	nv = realloc(np->defs, (np->n + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	np->defs = nv;
	nr = realloc(st->def_renderer, (np->n + 1) * sizeof(*nr));
	if (!nr)
		return NULL;
	st->def_renderer = nr;
	nr[np->n] = NULL;
	d = &np->defs[np->n];
	*d = (struct netcfg_np_def){ .virtual_dev = ti >= NP_N_PHYSICAL };
	d->id = strdup(id);
	d->type = strdup(type);
	d->src = xasprintf("%s:%u", path, line);
	np->n++;
	if (!d->id || !d->type || !d->src)
		return NULL;
	return d;
}

/* One key (with its path from "network") and its value, if any. */
static int np_handle(struct np_state *st, char **path, size_t depth,
		     char *value, const char *file, unsigned line)
{
	struct netcfg_np_def *d;
	char **items = NULL;
	int ti, r = 0;

	if (depth < 2 || strcmp(path[0], "network") != 0)
		return 0;
	if (depth == 2) {
		if (strcmp(path[1], "renderer") == 0 && value)
			return set_str(&st->renderer, np_unquote(value));
		return 0;
	}
	ti = np_type_index(path[1]);
	if (ti < 0)
		return 0;
	if (depth == 3 && strcmp(path[2], "renderer") == 0) {
		return value ? set_str(&st->type_renderer[ti],
				       np_unquote(value))
			     : 0;
	}
	d = np_def(st, path[1], path[2], file, line);
	if (!d)
		return -ENOMEM;
	if (depth == 3)
		return 0;
	if (depth == 4) {
		if (strcmp(path[3], "match") == 0)
			d->has_match = true;
		else if (strcmp(path[3], "set-name") == 0 && value)
			r = set_str(&d->set_name, np_unquote(value));
		else if (strcmp(path[3], "renderer") == 0 && value)
			r = set_str(&st->def_renderer[d - st->np->defs],
				    np_unquote(value));
		return r;
	}
	if (depth != 5 || strcmp(path[3], "match") != 0 || !value)
		return 0;
	d->has_match = true;
	if (strcmp(path[4], "macaddress") == 0 ||
	    strcmp(path[4], "permanentmacaddress") == 0) {
		d->match_mac = true;
		return 0;
	}
	if (value[0] == '[') {
		size_t len = strlen(value);

		if (len < 2 || value[len - 1] != ']')
			return 0;
		value[len - 1] = '\0';
		r = np_flow_split(value + 1, &items);
	} else {
		r = strv_push(&items, np_unquote(value));
	}
	if (r == 0 && strcmp(path[4], "name") == 0) {
		for (size_t i = 0; r == 0 && items && items[i]; i++)
			r = strv_push(&d->match_names, items[i]);
	} else if (r == 0 && strcmp(path[4], "driver") == 0 && items) {
		/* several drivers are alternatives; keep them tab-joined */
		for (size_t i = 0; r == 0 && items[i]; i++) {
			char *j = d->match_driver
					  ? xasprintf("%s\t%s", d->match_driver,
						      items[i])
					  : strdup(items[i]);

			if (!j)
				r = -ENOMEM;
			free(d->match_driver);
			d->match_driver = j;
		}
	}
	strv_free(items);
	return r;
}

#define NP_MAX_DEPTH 16

/* Scan one YAML file with the subset described in netcfg.h. */
static int np_scan(struct np_state *st, const char *file, char *text)
{
	struct {
		int indent;
		char *key;
	} stack[NP_MAX_DEPTH];
	char *path[NP_MAX_DEPTH + 1];
	size_t depth = 0;
	unsigned lineno = 0;
	char *line, *next;
	int r = 0;

	for (line = text; line && r == 0; line = next) {
		char *content, *colon, *key, *value, *hash;
		int indent;
		char q = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		indent = (int)strspn(line, " ");
		if (line[indent] == '\t') {
			warnf(&st->np->warnings,
			      "%s:%u: a tab in the indentation: netplan refuses the file, skipped",
			      file, lineno);
			r = 1;
			break;
		}
		/* comments: '#' at the start or after white space, unquoted */
		for (hash = line + indent; *hash; hash++) {
			if (q) {
				if (*hash == q)
					q = 0;
			} else if (*hash == '"' || *hash == '\'') {
				q = *hash;
			} else if (*hash == '#' &&
				   (hash == line + indent || hash[-1] == ' ' ||
				    hash[-1] == '\t')) {
				*hash = '\0';
				break;
			}
		}
		content = trim(line + indent);
		if (!*content || strcmp(content, "---") == 0 ||
		    strcmp(content, "...") == 0)
			continue;
		/* a sequence item: "- key: value" opens a mapping under "-" */
		while (content[0] == '-' &&
		       (content[1] == ' ' || content[1] == '\0')) {
			while (depth && stack[depth - 1].indent >= indent)
				depth--;
			if (depth < NP_MAX_DEPTH) {
				stack[depth].indent = indent;
				stack[depth].key = "-";
				depth++;
			}
			indent += 1 + (int)strspn(content + 1, " ");
			content = trim(content + 1);
		}
		colon = np_key_colon(content);
		if (!colon)
			continue;
		*colon = '\0';
		key = np_unquote(trim(content));
		value = trim(colon + 1);
		while (depth && stack[depth - 1].indent >= indent)
			depth--;
		if (depth >= NP_MAX_DEPTH)
			continue;
		for (size_t i = 0; i < depth; i++)
			path[i] = stack[i].key;
		path[depth] = key;
		if (*value == '{') {
			char **pairs = NULL;
			size_t len = strlen(value);

			r = np_handle(st, path, depth + 1, NULL, file, lineno);
			if (r == 0 && len >= 2 && value[len - 1] == '}') {
				value[len - 1] = '\0';
				r = np_flow_split(value + 1, &pairs);
			}
			for (size_t i = 0; r == 0 && pairs && pairs[i]; i++) {
				char *c = np_key_colon(pairs[i]);

				if (!c || depth + 1 >= NP_MAX_DEPTH)
					continue;
				*c = '\0';
				path[depth + 1] = np_unquote(trim(pairs[i]));
				r = np_handle(st, path, depth + 2, trim(c + 1),
					      file, lineno);
			}
			strv_free(pairs);
			continue;
		}
		r = np_handle(st, path, depth + 1, *value ? value : NULL, file,
			      lineno);
		if (!*value) {
			stack[depth].indent = indent;
			stack[depth].key = key;
			depth++;
		}
	}
	return r < 0 ? r : 0;
}

int netcfg_netplan_load(const struct pathctx *pc, struct netcfg_netplan *ret)
{
	static const char *const dirs[] = { "/run/netplan", "/etc/netplan",
					    "/lib/netplan" };
	struct netcfg_netplan np = { 0 };
	struct np_state st = { .np = &np };
	struct conf_list l = { 0 };
	int r;

	r = conf_list_dirs(pc, dirs, ARRAY_SIZE(dirs), ".yaml", &l);
	for (size_t i = 0; r == 0 && i < l.n; i++) {
		char *text = NULL;
		int rr;

		if (l.v[i].masked)
			continue;
		rr = read_text(pc, l.v[i].path, &text);
		if (rr < 0) {
			warnf(&np.warnings, "cannot read '%s': %s", l.v[i].path,
			      read_error(rr));
			r = rr == -ENOMEM ? rr : 0;
			continue;
		}
		r = strv_push(&np.files, l.v[i].path);
		if (r == 0)
			r = np_scan(&st, l.v[i].path, text);
		free(text);
	}
	conf_list_release(&l);
	/* the effective renderer: the id's, its type's, the network's */
	for (size_t i = 0; r == 0 && i < np.n; i++) {
		int ti = np_type_index(np.defs[i].type);
		const char *rend = st.def_renderer[i]	  ? st.def_renderer[i]
				   : st.type_renderer[ti] ? st.type_renderer[ti]
				   : st.renderer	  ? st.renderer
							  : "networkd";

		r = set_str(&np.defs[i].renderer, rend);
	}
	for (size_t i = 0; i < np.n; i++)
		free(st.def_renderer ? st.def_renderer[i] : NULL);
	free(st.def_renderer);
	free(st.renderer);
	for (size_t i = 0; i < ARRAY_SIZE(np_types); i++)
		free(st.type_renderer[i]);
	if (r < 0) {
		netcfg_netplan_release(&np);
		return r;
	}
	*ret = np;
	return 0;
}

void netcfg_netplan_release(struct netcfg_netplan *np)
{
	for (size_t i = 0; i < np->n; i++) {
		struct netcfg_np_def *d = &np->defs[i];

		free(d->id);
		free(d->type);
		free(d->src);
		strv_free(d->match_names);
		free(d->match_driver);
		free(d->set_name);
		free(d->renderer);
	}
	free(np->defs);
	strv_free(np->files);
	strv_free(np->warnings);
	*np = (struct netcfg_netplan){ 0 };
}

enum netcfg_match netcfg_np_match(const struct netcfg_np_def *d,
				  const char *ifname, enum netcfg_kind kind)
{
	const char *drv = kind == NETCFG_BRIDGE ? "bridge" : "veth";
	int ti = np_type_index(d->type);
	bool ok;

	if (d->virtual_dev)
		return strcmp(d->id, ifname) == 0 ? NETCFG_YES : NETCFG_NO;
	/* wifis and modems never describe Docker's devices */
	if (ti != 0)
		return NETCFG_NO;
	if (!d->has_match)
		return netcfg_fnmatch(d->id, ifname) ? NETCFG_YES : NETCFG_NO;
	/* a MAC match is on the permanent address, which these lack */
	if (d->match_mac)
		return NETCFG_NO;
	if (d->match_names) {
		ok = false;
		for (size_t i = 0; d->match_names[i]; i++)
			ok |= netcfg_fnmatch(d->match_names[i], ifname);
		if (!ok)
			return NETCFG_NO;
	}
	if (d->match_driver) {
		char *copy = strdup(d->match_driver), *tok, *save = NULL;

		if (!copy)
			return NETCFG_NO;
		ok = false;
		for (tok = strtok_r(copy, "\t", &save); tok;
		     tok = strtok_r(NULL, "\t", &save))
			ok |= netcfg_fnmatch(tok, drv);
		free(copy);
		if (!ok)
			return NETCFG_NO;
	}
	/* "match: {}" matches every device */
	return NETCFG_YES;
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
			strscpy(pkg, trim(line + 8), sizeof(pkg));
			installed = false;
		} else if (startswith(line, "Status:")) {
			char *s = trim(line + 7), *last = strrchr(s, ' ');

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
	int r = read_text(pc, path, &text);

	if (r < 0)
		return r == -ENOMEM ? r : 0;
	for (line = text; line && r == 0; line = next) {
		struct netcfg_sysctl_entry e = { 0 }, *nv;
		char *eq, *key;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line = trim(line);
		if (!*line || *line == '#' || *line == ';')
			continue;
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		key = trim(line);
		if (*key == '-')
			key = trim(key + 1);
		sysctl_normalize(key);
		e.key = strdup(key);
		e.value = strdup(trim(eq + 1));
		e.src = xasprintf("%s:%u", path, lineno);
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
