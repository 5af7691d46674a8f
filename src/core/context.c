// SPDX-License-Identifier: GPL-2.0-or-later
/* The run context and its lazily collected facts. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/netcfg.h"
#include "core/util.h"

#include "core/context.h"

/* Add an unseen input (once) and mark it as the running check's. */
static void unseen_add(struct ctx *ctx, int err, const char *what)
{
	size_t i;

	for (i = 0; i < ctx->n_unseen; i++)
		if (!strcmp(ctx->unseen[i].what, what))
			break;
	if (i == ctx->n_unseen) {
		/* full: the last slot stands for every input beyond it */
		if (i == CTX_UNSEEN_MAX - 1) {
			snprintf(ctx->unseen[i].what,
				 sizeof(ctx->unseen[i].what),
				 "other inputs (%s and more)", what);
			ctx->unseen[i].err = err;
			ctx->n_unseen++;
		}
		if (i >= CTX_UNSEEN_MAX - 1) {
			ctx->unseen_lost++;
			ctx->unseen_now |= UINT32_C(1) << (CTX_UNSEEN_MAX - 1);
			return;
		}
		snprintf(ctx->unseen[i].what, sizeof(ctx->unseen[i].what), "%s",
			 what);
		ctx->unseen[i].err = err;
		ctx->n_unseen++;
	}
	ctx->unseen_now |= UINT32_C(1) << i;
}

/* The root's listener: a read refused for lack of privilege. */
static void on_denied(void *data, const char *path, int err)
{
	char what[256];

	snprintf(what, sizeof(what), "'%s'", path);
	unseen_add(data, err, what);
}

void ctx_unseen(struct ctx *ctx, int err, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	unseen_add(ctx, err, what);
}

/*
 * Collectors run once and are used by many checks: what a collector could
 * not read is kept (*mask) and told to every check that uses it, except
 * for the daemon scan: its facts (pid, command line, start) are world
 * readable, and what it misses (a pidfile, the descriptors) is reported
 * by daemon.process itself.
 */
static uint32_t collect_begin(struct ctx *ctx)
{
	uint32_t saved = ctx->unseen_now;

	ctx->unseen_now = 0;
	return saved;
}

static void collect_end(struct ctx *ctx, uint32_t saved, uint32_t *mask)
{
	*mask = ctx->unseen_now;
	ctx->unseen_now |= saved;
}

/* Set up a context. */
int ctx_init(struct ctx *ctx, const struct options *opts)
{
	int r;

	*ctx = (struct ctx){ .opts = opts,
			     .root = { .fd = -1 },
			     .daemon_root = { .fd = -1 } };
	ctx->is_root = geteuid() == 0;
	r = pathctx_init(&ctx->root, opts->sysroot);
	ctx->root.denied = on_denied;
	ctx->root.denied_data = ctx;
	return r;
}

/* Release a context. */
void ctx_release(struct ctx *ctx)
{
	daemon_set_free(ctx->daemons);
	dconfig_effective_release(&ctx->effective);
	api_state_free(ctx->api);
	strv_free(ctx->api_bridges);
	if (ctx->daemon_root_foreign)
		pathctx_release(&ctx->daemon_root);
	if (!ctx->log_borrowed) {
		logsrc_set_release(&ctx->logsrcs);
		logring_free(ctx->ring);
	}
	pathctx_release(&ctx->root);
}

/* Collect the daemon set once. */
const struct daemon_set *ctx_daemons(struct ctx *ctx)
{
	const struct api_state *api;
	struct daemon_query q = { .want_pid = ctx->opts->pid };
	uint32_t saved;

	if (ctx->daemons_done)
		return ctx->daemons;
	ctx->daemons_done = true;
	saved = collect_begin(ctx);
	/*
	 * The API address is resolved first (without contacting anything):
	 * the daemon that serves it is the one to examine.
	 */
	api = ctx_api_endpoint(ctx);
	if (api && api->endpoint_err == 0 && api->ep.kind == EP_UNIX) {
		q.api_socket = api->ep.path;
		q.api_explicit = api->source != API_FROM_DEFAULT;
	}
	ctx->daemons_err = daemon_find(&ctx->root, &q, &ctx->daemons);
	ctx->unseen_now = saved; /* not told: see collect_begin() */
	return ctx->daemons;
}

/* The selected daemon. */
const struct dockerd_proc *ctx_dockerd(struct ctx *ctx)
{
	return daemon_selected(ctx_daemons(ctx));
}

/* Resolve the API address once, without contacting the daemon. */
const struct api_state *ctx_api_endpoint(struct ctx *ctx)
{
	if (!ctx->api_resolved) {
		ctx->api_resolved = true;
		if (api_resolve(ctx, &ctx->api) < 0)
			ctx->api = NULL;
	}
	return ctx->api;
}

/* The API facts for evidence only: an unreadable API is not told. */
const struct api_state *ctx_api_evidence(struct ctx *ctx)
{
	uint32_t saved = ctx->unseen_now;
	const struct api_state *api = ctx_api(ctx);

	ctx->unseen_now = saved;
	return api;
}

/* Collect the API facts once. */
const struct api_state *ctx_api(struct ctx *ctx)
{
	if (!ctx_api_endpoint(ctx))
		return NULL;
	if (!ctx->api_contacted) {
		uint32_t saved = collect_begin(ctx);

		ctx->api_contacted = true;
		ctx_daemons(ctx);
		api_contact(ctx, ctx->api);
		/* a socket we may not open: the daemon was not seen at all */
		if (!ctx->api->reachable &&
		    (ctx->api->sock_err == -EACCES ||
		     (ctx->api->sock_err == 0 && ctx->api->ep.kind == EP_UNIX &&
		      !ctx->api->sock_access) ||
		     ctx->api->ping.err == -EACCES))
			ctx_unseen(ctx, -EACCES, "the daemon API at '%s'",
				   ctx->api->display);
		collect_end(ctx, saved, &ctx->api_unseen);
	} else {
		ctx->unseen_now |= ctx->api_unseen;
	}
	return ctx->api;
}

/* The examined daemon's root, decided once. */
const struct pathctx *ctx_daemon_root(struct ctx *ctx)
{
	const struct dockerd_proc *d;
	char *self = NULL, *theirs = NULL, path[64];
	uint32_t saved;

	if (ctx->daemon_root_done) {
		ctx->unseen_now |= ctx->daemon_root_unseen;
		return ctx->daemon_root_foreign ? &ctx->daemon_root
						: &ctx->root;
	}
	ctx->daemon_root_done = true;
	d = ctx_dockerd(ctx);
	if (!d || pathctx_is_sysroot(&ctx->root))
		return &ctx->root;
	saved = collect_begin(ctx);
	if (path_readlinkf(&ctx->root, &self, "/proc/self/ns/mnt") == 0 &&
	    path_readlinkf(&ctx->root, &theirs, "/proc/%d/ns/mnt", d->st.pid) ==
		    0 &&
	    strcmp(self, theirs) != 0) {
		snprintf(path, sizeof(path), "/proc/%d/root", d->st.pid);
		if (pathctx_init(&ctx->daemon_root, path) == 0) {
			ctx->daemon_root.denied = on_denied;
			ctx->daemon_root.denied_data = ctx;
			ctx->daemon_root_foreign = true;
		} else {
			ctx_unseen(ctx, -EACCES, "the daemon's files ('%s')",
				   path);
		}
	}
	free(self);
	free(theirs);
	collect_end(ctx, saved, &ctx->daemon_root_unseen);
	return ctx->daemon_root_foreign ? &ctx->daemon_root : &ctx->root;
}

/* The effective configuration of the selected daemon. */
const struct dconfig_effective *ctx_effective(struct ctx *ctx)
{
	const struct pathctx *root;
	const struct dockerd_proc *d;
	const char *path, *src;
	char *buf = NULL;
	size_t len = 0;
	unsigned v;
	uint32_t saved;

	if (ctx->effective_done) {
		ctx->unseen_now |= ctx->effective_unseen;
		return &ctx->effective;
	}
	ctx->effective_done = true;
	saved = collect_begin(ctx);
	d = ctx_dockerd(ctx);
	path = ctx->opts->daemon_config ? ctx->opts->daemon_config
	       : d && d->config_file	? d->config_file
					: "/etc/docker/daemon.json";
	/* --daemon-config names a file here; the daemon's own is in its root */
	root = ctx->opts->daemon_config ? &ctx->root : ctx_daemon_root(ctx);
	/* a missing or unreadable file leaves the defaults and the flags */
	if (path_read_file(root, path, 4 << 20, &buf, &len) < 0)
		buf = NULL;
	v = dconfig_pick_version(
		ctx->opts->docker_version,
		ctx->api_contacted && ctx->api ? ctx->api->version : NULL,
		&src);
	if (dconfig_effective(buf, len, d && d->argv ? d->argv + 1 : NULL, v,
			      &ctx->effective) == 0 &&
	    buf && !ctx->effective.config_file)
		ctx->effective.config_file = strdup(path);
	free(buf);
	collect_end(ctx, saved, &ctx->effective_unseen);
	return &ctx->effective;
}

/* Look for other programs by name. */
const struct procstat *ctx_process(struct ctx *ctx, const char *comm,
				   size_t *ret_count)
{
	return daemon_set_find_comm(ctx_daemons(ctx), comm, ret_count);
}

/* Read the kernel release once. */
const struct kernel_release *ctx_kernel(struct ctx *ctx)
{
	if (!ctx->kernel_done) {
		uint32_t saved = collect_begin(ctx);

		ctx->kernel_done = true;
		ctx->kernel_err = kernel_read_release(&ctx->root, &ctx->kernel);
		collect_end(ctx, saved, &ctx->kernel_unseen);
	} else {
		ctx->unseen_now |= ctx->kernel_unseen;
	}
	return ctx->kernel_err == 0 ? &ctx->kernel : NULL;
}

/* Collect the cgroup setup once. */
const struct cgroup_info *ctx_cgroups(struct ctx *ctx)
{
	const struct dockerd_proc *d;

	if (!ctx->cgroups_done) {
		uint32_t saved = collect_begin(ctx);

		ctx->cgroups_done = true;
		d = ctx_dockerd(ctx);
		ctx->cgroups_err = cgroups_read(&ctx->root, d ? d->st.pid : 0,
						&ctx->cgroups);
		collect_end(ctx, saved, &ctx->cgroups_unseen);
	} else {
		ctx->unseen_now |= ctx->cgroups_unseen;
	}
	return ctx->cgroups_err == 0 ? &ctx->cgroups : NULL;
}

/* Bridge names from the API, once. */
char *const *ctx_api_bridges(struct ctx *ctx)
{
	const struct api_state *api;
	json_object *nets = NULL;
	char err[256];
	uint32_t saved;

	if (ctx->api_bridges_done) {
		ctx->unseen_now |= ctx->bridges_unseen;
		return ctx->api_bridges;
	}
	ctx->api_bridges_done = true;
	saved = collect_begin(ctx);
	api = ctx_api(ctx);
	collect_end(ctx, saved, &ctx->bridges_unseen);
	if (!api || !api->reachable ||
	    api_get_json(ctx, "/networks", 4 << 20, &nets, err, sizeof(err)) <
		    0)
		return NULL;
	if (netcfg_api_bridges(nets, &ctx->api_bridges) < 0) {
		strv_free(ctx->api_bridges);
		ctx->api_bridges = NULL;
	} else if (!ctx->api_bridges) {
		/* the daemon answered: it has no bridge network (--bridge=none) */
		ctx->api_bridges = calloc(1, sizeof(*ctx->api_bridges));
	}
	json_object_put(nets);
	return ctx->api_bridges;
}

/* Set the ring up and read the backlog once. */
static int logring_collect(struct ctx *ctx)
{
	struct logring_config cfg = { .max_bytes = CTX_LOGRING_BYTES,
				      .max_lines = CTX_LOGRING_LINES };
	const struct dockerd_proc *d = ctx_dockerd(ctx);
	const struct procstat *cd = ctx_process(ctx, "containerd", NULL);
	long long since = ctx->opts->since_ms > 0 ? ctx->opts->since_ms
						  : DEFAULT_SINCE_MS;
	struct logsrc_options o = {
		.max_lines = ctx->opts->log_lines > 0
				     ? (size_t)ctx->opts->log_lines
				     : DEFAULT_LOG_LINES,
		.specs = ctx->opts->log_sources,
		.dockerd_pid = d ? d->st.pid : 0,
		.containerd_pid = cd ? cd->pid : 0,
	};
	int r;

	ctx->log_since_us = clock_us(CLOCK_REALTIME) - since * 1000;
	o.since_us = ctx->log_since_us;
	if (strv_contains(ctx->opts->log_sources, "none")) {
		snprintf(ctx->log_error, sizeof(ctx->log_error),
			 "log sources are turned off (--log-source none)");
		return -ENOENT;
	}
	ctx->ring = logring_new(&cfg);
	if (!ctx->ring)
		return -ENOMEM;
	r = logsrc_discover(&ctx->root, &o, &ctx->logsrcs, ctx->log_error,
			    sizeof(ctx->log_error));
	if (r < 0)
		return r;
	return logsrc_load(&ctx->logsrcs, ctx->ring, &o);
}

/* Use another context's ring and sources. */
void ctx_borrow_logring(struct ctx *ctx, const struct ctx *from)
{
	ctx->ring = from->ring;
	ctx->logsrcs = from->logsrcs;
	ctx->log_since_us = from->log_since_us;
	ctx->log_err = from->log_err;
	memcpy(ctx->log_error, from->log_error, sizeof(ctx->log_error));
	ctx->log_done = true;
	ctx->log_borrowed = true;
}

/* The log ring, collected once. */
const struct logring *ctx_logring(struct ctx *ctx, int64_t *ret_since_us)
{
	if (!ctx->log_done) {
		uint32_t saved = collect_begin(ctx);

		ctx->log_done = true;
		ctx->log_err = logring_collect(ctx);
		if (ctx->log_err < 0 && !ctx->log_error[0])
			snprintf(ctx->log_error, sizeof(ctx->log_error),
				 "cannot set up the log ring: %s",
				 strerror(-ctx->log_err));
		collect_end(ctx, saved, &ctx->log_unseen);
	} else {
		ctx->unseen_now |= ctx->log_unseen;
	}
	if (ret_since_us)
		*ret_since_us = ctx->log_since_us;
	return ctx->log_err == 0 ? ctx->ring : NULL;
}

/*
 * The Docker version that applies. With no --docker-version and no daemon
 * answering, the dockerd binary's own (the examined daemon's
 * /proc/PID/exe, else the installed one), as config.daemon-json and
 * 'config check' find it; not under a sysroot, whose binaries are not run.
 */
unsigned ctx_docker_version(struct ctx *ctx, const char **ret_source)
{
	const struct api_state *api = ctx_api(ctx);
	const char *daemon = api ? api->version : NULL;
	const struct dconfig_binver *bin = NULL;
	const struct dockerd_proc *d;
	const char *src;
	char exe[64];
	unsigned v;

	if (!ctx->opts->docker_version && !daemon &&
	    !pathctx_is_sysroot(&ctx->root)) {
		d = ctx_dockerd(ctx);
		if (d)
			snprintf(exe, sizeof(exe), "/proc/%d/exe", d->st.pid);
		bin = dconfig_binary_version_once(d ? exe : NULL);
	}
	v = dconfig_pick_version_bin(ctx->opts->docker_version, daemon, bin,
				     &src);
	if (ret_source)
		*ret_source = src;
	return v;
}

/* Record a reason for an unknown result. */
int ctx_error(struct ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
	va_end(ap);
	return err;
}
