// SPDX-License-Identifier: GPL-2.0-or-later
/* The runner (see runner.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <unistd.h>

#include "runner.h"
#include "util.h"

/* Is c selected by --only/--skip? */
bool runner_selected(const struct options *o, const struct check *c)
{
	if (o->only && !strv_contains(o->only, c->id))
		return false;
	return !strv_contains(o->skip, c->id);
}

static bool netlink_available(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* The first missing need of a check, in words. */
bool runner_missing_need(struct ctx *ctx, const struct check *c, char *buf,
			 size_t size)
{
	const struct api_state *api;

	if ((c->needs & NEED_ROOT) && !ctx->is_root) {
		snprintf(buf, size, "needs root (run it with sudo)");
		return true;
	}
	if ((c->needs & NEED_DAEMON) && !ctx_dockerd(ctx)) {
		snprintf(buf, size,
			 "needs a running dockerd, and none was found");
		return true;
	}
	if (c->needs & NEED_API) {
		api = ctx_api(ctx);
		if (!api || !api->reachable) {
			snprintf(
				buf, size,
				"needs the daemon API, which did not answer at '%s'",
				api ? api->display : "?");
			return true;
		}
	}
	if ((c->needs & NEED_NETLINK) && !netlink_available()) {
		snprintf(buf, size, "needs a netlink route socket: %s",
			 strerror(errno));
		return true;
	}
	return false;
}

/* Host name from the (sys)root, falling back to gethostname(). */
static void fill_host(struct ctx *ctx, struct report *r)
{
	char *buf = NULL;
	char name[256];

	if (path_read_file(&ctx->root, "/proc/sys/kernel/hostname", 4096, &buf,
			   NULL) == 0) {
		buf[strcspn(buf, "\n")] = '\0';
		report_set_string(r, &r->host, buf);
		free(buf);
		return;
	}
	if (gethostname(name, sizeof(name)) == 0) {
		name[sizeof(name) - 1] = '\0';
		report_set_string(r, &r->host, name);
	}
}

/* Daemon metadata from whatever was collected (nothing is forced). */
static void fill_daemon(struct ctx *ctx, struct report *r)
{
	const struct dockerd_proc *d =
		ctx->daemons_done ? daemon_selected(ctx->daemons) : NULL;
	const struct api_state *api = ctx->api_contacted ? ctx->api : NULL;

	r->daemon.pid = d ? d->st.pid : 0;
	if (!api)
		return;
	report_set_string(r, &r->daemon.version, api->version);
	report_set_string(r, &r->daemon.api_version, api->api_version_header);
}

/* Run one check, turning "cannot run" into an unknown finding. */
static void run_one(struct ctx *ctx, const struct check *c, struct report *r)
{
	char why[512];
	struct finding *f;
	int ret;

	if (runner_missing_need(ctx, c, why, sizeof(why))) {
		f = report_add(r, c->id, SEV_UNKNOWN, "cannot check: %s", why);
		finding_add_evidence(f, "reason", "%s", why);
		return;
	}
	ctx->error[0] = '\0';
	ret = c->run(ctx, r);
	if (ret < 0) {
		f = report_add(r, c->id, SEV_UNKNOWN, "cannot check: %s",
			       ctx->error[0] ? ctx->error : strerror(-ret));
		finding_add_evidence(f, "errno", "%s", strerror(-ret));
	}
}

/* Run the selected checks. */
int runner_run(struct ctx *ctx, struct report *r)
{
	double start = now_monotonic();

	clock_gettime(CLOCK_REALTIME, &r->generated_at);
	report_set_string(r, &r->tool_version, PACKAGE_VERSION);
	fill_host(ctx, r);
	for (size_t i = 0; i < check_count; i++)
		if (runner_selected(ctx->opts, check_table[i]))
			run_one(ctx, check_table[i], r);
	fill_daemon(ctx, r);
	/* a safety net: no check may show a password it read somewhere */
	report_mask_credentials(r, 0);
	r->duration = now_monotonic() - start;
	return r->oom ? -ENOMEM : 0;
}
