// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Docker's interfaces (see netcfg.h): the links of a namespace, from
 * /sys/class/net or a list nsview.c read in the daemon's namespace, and
 * the bridge names the API reports.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "net/netcfg.h"
#include "core/util.h"

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
		      enum netcfg_kind kind, bool exists, bool sample,
		      int ifindex)
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
				  .sample = sample,
				  .ifindex = ifindex };
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

/* The name a /sys/class/net/NAME/master link points to, "" when none. */
static void sys_master(const struct pathctx *pc, const char *name, char *buf,
		       size_t size)
{
	char *target = NULL;
	const char *base;

	buf[0] = '\0';
	if (path_readlinkf(pc, &target, "/sys/class/net/%s/master", name) < 0)
		return;
	base = strrchr(target, '/');
	strscpy(buf, base ? base + 1 : target, size);
	free(target);
}

int netcfg_sys_links(const struct pathctx *pc, struct netcfg_link **ret,
		     size_t *ret_n)
{
	struct netcfg_link *v = NULL, *nv;
	size_t n = 0;
	struct dirent *de;
	DIR *d = path_opendir(pc, "/sys/class/net");
	int r = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		const char *name = de->d_name;
		char path[96];
		struct stat st;

		if (name[0] == '.' || strlen(name) >= NETCFG_IFNAMSIZ)
			continue;
		nv = realloc(v, (n + 1) * sizeof(*nv));
		if (!nv) {
			r = -ENOMEM;
			break;
		}
		v = nv;
		nv = &v[n++];
		*nv = (struct netcfg_link){ 0 };
		strscpy(nv->name, name, sizeof(nv->name));
		snprintf(path, sizeof(path), "/sys/class/net/%s/bridge", name);
		nv->bridge = path_stat(pc, path, true, &st) == 0;
		netcfg_ifindex(pc, name, &nv->ifindex);
		sys_master(pc, name, nv->master, sizeof(nv->master));
	}
	closedir(d);
	if (r < 0) {
		free(v);
		return r;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* Is a veth a port of a bridge that is not in the list (another daemon's)? */
static bool port_of_other(const struct netcfg_iflist *l,
			  const struct netcfg_link *k)
{
	if (!k->master[0])
		return false;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].kind == NETCFG_BRIDGE &&
		    strcmp(l->v[i].name, k->master) == 0)
			return false;
	return true;
}

/* Take the Docker interfaces out of a namespace's links. */
static int iflist_from_links(struct netcfg_iflist *l,
			     const struct netcfg_link *links, size_t n,
			     char *const *extra, bool own_only, bool *have_br,
			     bool *have_veth)
{
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++) {
		const char *nm = links[i].name;

		if (strcmp(nm, l->default_bridge) == 0 ||
		    strv_contains(extra, nm) ||
		    (!own_only && is_user_bridge_name(nm) && links[i].bridge)) {
			r = iflist_add(l, nm, NETCFG_BRIDGE, true, false,
				       links[i].ifindex);
			*have_br |= is_user_bridge_name(nm);
		}
	}
	/* veths after the bridges: whose port a veth is needs them */
	for (size_t i = 0; i < n && r == 0; i++) {
		if (!startswith(links[i].name, "veth") ||
		    (own_only && port_of_other(l, &links[i])))
			continue;
		r = iflist_add(l, links[i].name, NETCFG_VETH, true, false,
			       links[i].ifindex);
		*have_veth = true;
	}
	return r;
}

int netcfg_docker_ifaces_from(const struct netcfg_link *links, size_t n,
			      int sys_err, const char *bridge_opt,
			      char *const *extra, bool own_only,
			      struct netcfg_iflist *ret)
{
	struct netcfg_iflist l = { .sys_err = sys_err };
	bool have_br = false, have_veth = false;
	int r;

	if (!bridge_opt || !*bridge_opt)
		bridge_opt = "docker0";
	if (strcmp(bridge_opt, "none") != 0)
		strscpy(l.default_bridge, bridge_opt, sizeof(l.default_bridge));
	r = iflist_from_links(&l, links, n, extra, own_only, &have_br,
			      &have_veth);
	if (r == 0 && l.default_bridge[0])
		r = iflist_add(&l, l.default_bridge, NETCFG_BRIDGE, false, true,
			       0);
	if (r == 0 && !have_br)
		r = iflist_add(&l, "br-0123456789ab", NETCFG_BRIDGE, false,
			       true, 0);
	if (r == 0 && !have_veth)
		r = iflist_add(&l, "veth1234567", NETCFG_VETH, false, true, 0);
	if (r < 0) {
		netcfg_iflist_release(&l);
		return r;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), if_cmp);
	*ret = l;
	return 0;
}

int netcfg_docker_ifaces(const struct pathctx *pc, const char *bridge_opt,
			 char *const *extra, struct netcfg_iflist *ret)
{
	struct netcfg_link *links = NULL;
	size_t n = 0;
	int sys_err = netcfg_sys_links(pc, &links, &n);
	int r;

	if (sys_err == -ENOMEM)
		return sys_err;
	r = netcfg_docker_ifaces_from(links, n, sys_err, bridge_opt, extra,
				      false, ret);
	free(links);
	return r;
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
