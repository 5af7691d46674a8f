// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NetworkManager's configuration, the ifupdown files its plugin reads and
 * its live device state (see netcfg.h).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "net/netcfg.h"
#include "net/netcfg-private.h"
#include "core/util.h"

#define MAX_ENI_DEPTH 8

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
			t = netcfg_trim(buf);
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
		netcfg_warnf(
			&nm->warnings,
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
			r = netcfg_set_src(&s->src, p->path, line);
		}
		if (r < 0 || !key)
			return r;
		if (strcmp(key, "match-device") == 0)
			return netcfg_set_str(&s->match_device, value);
		if (strcmp(key, "managed") == 0) {
			s->managed = netcfg_parse_bool(value);
			return netcfg_set_src(&s->managed_src, p->path, line);
		}
		if (strcmp(key, "stop-match") == 0)
			s->stop_match = netcfg_parse_bool(value) == 1;
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
			r = netcfg_set_str(&nm->unmanaged_devices, value);
		return r < 0 ? r
			     : netcfg_set_src(&nm->unmanaged_src, p->path,
					      line);
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
			r = netcfg_set_str(&joined, value);
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
		int b = netcfg_parse_bool(value);

		if (b >= 0) {
			nm->ifupdown_managed = b;
			return netcfg_set_src(&nm->ifupdown_src, p->path, line);
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
		*enabled = netcfg_parse_bool(value) != 0;
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
	int r = netcfg_read_text(pc, path, &text);

	if (r == -ENOENT && main_file)
		return 0;
	if (r < 0) {
		netcfg_warnf(&nm->warnings, "cannot read '%s': %s", path,
			     netcfg_read_error(r));
		return r == -ENOMEM ? r : 0;
	}
	copy = strdup(text);
	if (!copy) {
		free(text);
		return -ENOMEM;
	}
	netcfg_ini_walk(copy, false, nm_enabled_cb, &enabled);
	free(copy);
	if (enabled || main_file) {
		r = strv_push(&nm->files, path);
		if (r == 0)
			r = netcfg_ini_walk(text, false, nm_on_line, &p);
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

	full = arg[0] == '/' ? strdup(arg)
			     : netcfg_xasprintf("/etc/network/%s", arg);
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

	if (e->depth >= MAX_ENI_DEPTH || e->files >= NETCFG_MAX_FILES)
		return 0;
	e->files++;
	r = netcfg_read_text(e->pc, path, &text);
	if (r == -ENOENT || r == -EISDIR)
		return 0;
	if (r < 0) {
		netcfg_warnf(&e->nm->warnings, "cannot read '%s': %s", path,
			     netcfg_read_error(r));
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
		line = netcfg_trim(line);
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
			src = netcfg_xasprintf("%s:%u", path, lineno);
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
		if (netcfg_is_masked(pc, paths[i]) ||
		    netcfg_read_text(pc, paths[i], &text) < 0)
			return;
		for (line = text; line; line = save) {
			save = strchr(line, '\n');
			if (save)
				*save++ = '\0';
			lineno++;
			line = netcfg_trim(line);
			if (*line != '#' && strstr(line, "\"veth\"") &&
			    strstr(line, "ID_NET_DRIVER") &&
			    strstr(line, "NM_UNMANAGED}=\"1\"")) {
				nm->udev_veth = true;
				netcfg_set_src(&nm->udev_src, paths[i], lineno);
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
	r = netcfg_read_text(pc, path, &text);
	if (r < 0)
		return r;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		line = netcfg_trim(line);
		if (*line == '[')
			in_device = strcmp(line, "[device]") == 0;
		else if (in_device && startswith(line, "managed="))
			managed = netcfg_parse_bool(netcfg_trim(line + 8));
	}
	free(text);
	return managed;
}
