// SPDX-License-Identifier: GPL-2.0-or-later
/* netplan's YAML files, read with the subset described in netcfg.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/netcfg.h"
#include "net/netcfg-private.h"
#include "core/util.h"

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
			item = netcfg_trim(start);
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
	d->src = netcfg_xasprintf("%s:%u", path, line);
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
			return netcfg_set_str(&st->renderer, np_unquote(value));
		return 0;
	}
	ti = np_type_index(path[1]);
	if (ti < 0)
		return 0;
	if (depth == 3 && strcmp(path[2], "renderer") == 0) {
		return value ? netcfg_set_str(&st->type_renderer[ti],
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
			r = netcfg_set_str(&d->set_name, np_unquote(value));
		else if (strcmp(path[3], "renderer") == 0 && value)
			r = netcfg_set_str(&st->def_renderer[d - st->np->defs],
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
					  ? netcfg_xasprintf("%s\t%s",
							     d->match_driver,
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
			netcfg_warnf(
				&st->np->warnings,
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
		content = netcfg_trim(line + indent);
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
			content = netcfg_trim(content + 1);
		}
		colon = np_key_colon(content);
		if (!colon)
			continue;
		*colon = '\0';
		key = np_unquote(netcfg_trim(content));
		value = netcfg_trim(colon + 1);
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
				path[depth + 1] =
					np_unquote(netcfg_trim(pairs[i]));
				r = np_handle(st, path, depth + 2,
					      netcfg_trim(c + 1), file, lineno);
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
		rr = netcfg_read_text(pc, l.v[i].path, &text);
		if (rr < 0) {
			netcfg_warnf(&np.warnings, "cannot read '%s': %s",
				     l.v[i].path, netcfg_read_error(rr));
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

		r = netcfg_set_str(&np.defs[i].renderer, rend);
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
