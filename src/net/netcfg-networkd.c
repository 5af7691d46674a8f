// SPDX-License-Identifier: GPL-2.0-or-later
/* systemd-networkd's .network files and live state (see netcfg.h). */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "net/netcfg.h"
#include "net/netcfg-private.h"
#include "core/util.h"

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
		w = netcfg_xasprintf("%s%s", invert ? "!" : "", tok);
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
		netcfg_warnf(p->warnings, "%s:%u: ignoring line '%.60s'",
			     p->path, line, value);
		return 0;
	}
	if (!key)
		return 0;
	if (strcmp(section, "Match") == 0) {
		if (strcmp(key, "Name") == 0) {
			r = add_words(&f->names, value);
			if (r == 0)
				r = netcfg_set_src(&f->match_src, p->path,
						   line);
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
			r = netcfg_set_src(&f->match_src, p->path, line);
		return r;
	}
	if (strcmp(section, "Link") == 0 && strcmp(key, "Unmanaged") == 0) {
		int b = netcfg_parse_bool(value);

		if (!*value)
			b = -1;
		else if (b < 0) {
			netcfg_warnf(
				p->warnings,
				"%s:%u: Unmanaged=%s is not a boolean, ignored",
				p->path, line, value);
			return 0;
		}
		f->unmanaged = b;
		return netcfg_set_src(&f->unmanaged_src, p->path, line);
	}
	if (strcmp(section, "Network") == 0) {
		if (strcmp(key, "IPForward") == 0) {
			r = netcfg_set_str(&f->ip_forward,
					   *value ? value : NULL);
			if (r == 0)
				r = netcfg_set_src(&f->ip_forward_src, p->path,
						   line);
		} else if (strcmp(key, "IPv4Forwarding") == 0) {
			r = netcfg_set_str(&f->ipv4_forwarding,
					   *value ? value : NULL);
			if (r == 0)
				r = netcfg_set_src(&f->ipv4_forwarding_src,
						   p->path, line);
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
	int r = netcfg_read_text(pc, path, &text);

	if (r < 0) {
		netcfg_warnf(warnings, "cannot read '%s': %s", path,
			     netcfg_read_error(r));
		return r == -ENOMEM ? r : 1;
	}
	p->path = path;
	r = netcfg_ini_walk(text, true, nd_on_line, p);
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
		dirs[i] = netcfg_xasprintf("%s/%s.d", networkd_dirs[i], name);
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
	r = netcfg_set_str(&nd->global_ipv4_forwarding, *value ? value : NULL);
	return r < 0 ? r : netcfg_set_src(&nd->global_src, p->path, line);
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
		if (netcfg_read_text(pc, mains[i], &text) == 0) {
			p.path = mains[i];
			netcfg_ini_walk(text, true, nd_global, &p);
			free(text);
		}
		break;
	}
	if (conf_list_dirs(pc, dropin_dirs, ARRAY_SIZE(dropin_dirs), ".conf",
			   &dl) == 0) {
		for (size_t i = 0; i < dl.n; i++) {
			if (dl.v[i].masked ||
			    netcfg_read_text(pc, dl.v[i].path, &text) < 0)
				continue;
			p.path = dl.v[i].path;
			netcfg_ini_walk(text, true, nd_global, &p);
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
	r = netcfg_read_text(pc, path, &text);
	if (r < 0)
		return r;
	for (line = strtok_r(text, "\n", &save); line && r == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		if (startswith(line, "ADMIN_STATE="))
			strscpy(l.admin_state, line + 12,
				sizeof(l.admin_state));
		else if (startswith(line, "NETWORK_FILE=") && line[13])
			r = netcfg_set_str(&l.network_file, line + 13);
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
