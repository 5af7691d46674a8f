// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What dns.resolver needs from the daemon beyond the effective
 * configuration: its 'dns-search' and 'dns-opts' (daemon.json or flags),
 * and whether /etc/resolv.conf changed after it started, when it chose
 * the file default-bridge containers copy (see dnsview.h).
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/dconfig.h"
#include "config/dockerd-options.h"
#include "core/context.h"
#include "core/util.h"
#include "host/daemon.h"
#include "net/dnsview.h"

/* Collect --dns-search and --dns-opt from the daemon's command line. */
struct list_walk {
	char ***search, ***opts;
	bool search_reset, opts_reset;
};

/* Take one flag's value; flags replace the file's list. */
static int on_flag(void *arg, const char *raw, const struct dockerd_option *o,
		   const char *value)
{
	struct list_walk *w = arg;
	char ***v;
	bool *reset;

	(void)raw;
	if (!o || !value)
		return 0;
	if (strcmp(o->flag, "dns-search") == 0) {
		v = w->search;
		reset = &w->search_reset;
	} else if (strcmp(o->flag, "dns-opt") == 0) {
		v = w->opts;
		reset = &w->opts_reset;
	} else {
		return 0;
	}
	if (!*reset) {
		strv_free(*v);
		*v = NULL;
		*reset = true;
	}
	return strv_push(v, value);
}

/* A daemon.json list of strings into *ret (left alone when absent). */
static int file_list(json_object *root, const char *key, char ***ret)
{
	json_object *x;

	if (!json_object_object_get_ex(root, key, &x) ||
	    !json_object_is_type(x, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(x); i++) {
		json_object *o = json_object_array_get_idx(x, i);

		if (json_object_is_type(o, json_type_string) &&
		    strv_push(ret, json_object_get_string(o)) < 0)
			return -ENOMEM;
	}
	return 0;
}

int dnsview_read_lists(struct ctx *ctx, struct dnsview *fx)
{
	const struct dockerd_proc *d = ctx_dockerd(ctx);
	struct list_walk w = { .search = &fx->dns_search,
			       .opts = &fx->dns_opts };
	json_object *root = NULL;
	char *buf = NULL;
	size_t len = 0;
	int r = 0;

	if (fx->config_file &&
	    path_read_file(ctx_daemon_root(ctx), fx->config_file, 4 << 20, &buf,
			   &len) == 0) {
		/* a file that does not parse leaves the flags alone */
		root = json_tokener_parse(buf);
		if (root && json_object_is_type(root, json_type_object))
			r = file_list(root, "dns-search", &fx->dns_search)
				    ?: file_list(root, "dns-opts",
						 &fx->dns_opts);
	}
	if (!r && d && d->argv && d->argv[0])
		r = dockerd_walk_argv(d->argv + 1, fx->version, on_flag, &w);
	json_object_put(root);
	free(buf);
	return r;
}

/* The later of a file's mtime and ctime, in seconds; 0 when unknown. */
static long long changed_at(const struct pathctx *pc, const char *path,
			    bool follow)
{
	struct stat st;

	if (path_stat(pc, path, follow, &st) < 0)
		return 0;
	return st.st_mtime > st.st_ctime ? (long long)st.st_mtime
					 : (long long)st.st_ctime;
}

void dnsview_start_choice(struct ctx *ctx, struct dnsview *fx)
{
	const struct dockerd_proc *d = ctx_dockerd(ctx);
	const struct daemon_set *ds = ctx_daemons(ctx);
	long long link, file;

	fx->daemon_start = d && ds ? daemon_start_time(ds, &d->st) : 0;
	/* a replaced symlink, or a file written in place */
	link = changed_at(ctx_daemon_root(ctx), RC_ETC_PATH, false);
	file = changed_at(ctx_daemon_root(ctx),
			  fx->etc_target[0] ? fx->etc_target : RC_ETC_PATH,
			  false);
	fx->etc_changed_at = link > file ? link : file;
	/*
	 * Seconds on both sides, and the start is computed from a boot time
	 * cut to the second plus clock ticks cut to the second: up to 2 s
	 * early. A file written just before dockerd started (a test, a boot
	 * script) must not look changed, so changes within those 2 s count
	 * as before the start.
	 */
	fx->etc_changed = fx->daemon_start > 0 &&
			  fx->etc_changed_at > fx->daemon_start + 2;
}
