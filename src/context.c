// SPDX-License-Identifier: GPL-2.0-or-later
/* The run context and its lazily collected facts. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "context.h"

/* Set up a context. */
int ctx_init(struct ctx *ctx, const struct options *opts)
{
	*ctx = (struct ctx){ .opts = opts, .root = { .fd = -1 } };
	ctx->is_root = geteuid() == 0;
	return pathctx_init(&ctx->root, opts->sysroot);
}

/* Release a context. */
void ctx_release(struct ctx *ctx)
{
	daemon_set_free(ctx->daemons);
	api_state_free(ctx->api);
	pathctx_release(&ctx->root);
}

/* Collect the daemon set once. */
const struct daemon_set *ctx_daemons(struct ctx *ctx)
{
	const struct api_state *api;
	struct daemon_query q = { .want_pid = ctx->opts->pid };

	if (ctx->daemons_done)
		return ctx->daemons;
	ctx->daemons_done = true;
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

/* Collect the API facts once. */
const struct api_state *ctx_api(struct ctx *ctx)
{
	if (!ctx_api_endpoint(ctx))
		return NULL;
	if (!ctx->api_contacted) {
		ctx->api_contacted = true;
		ctx_daemons(ctx);
		api_contact(ctx, ctx->api);
	}
	return ctx->api;
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
