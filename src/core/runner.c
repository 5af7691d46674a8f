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

#include "core/runner.h"
#include "log/logring.h"
#include "core/util.h"

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

/* The unseen inputs of the running check, in words: "'X' (reason), ...". */
static void unseen_list(const struct ctx *ctx, char *buf, size_t size)
{
	size_t len = 0, n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ctx->n_unseen && len < size; i++) {
		if (!(ctx->unseen_now & (UINT32_C(1) << i)))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s (%s)",
					n++ ? ", " : "", ctx->unseen[i].what,
					strerror(-ctx->unseen[i].err));
	}
}

/*
 * Never ok for what was not seen: a check whose inputs could not be read
 * for lack of privilege (noted as it ran, by itself or by the collectors
 * it used) has its ok verdicts turned into unknown, naming the inputs;
 * its other findings say what they did not see.
 */
static void judge_unseen(struct ctx *ctx, const struct check *c,
			 struct report *r, size_t first)
{
	char list[1024];

	if (!ctx->unseen_now)
		return;
	unseen_list(ctx, list, sizeof(list));
	for (size_t i = first; i < r->n_findings; i++) {
		struct finding *f = &r->findings[i];
		char *seen;

		finding_add_evidence(f, "unread", "%s", list);
		if (f->severity != SEV_OK)
			continue;
		seen = strdup(f->summary);
		f->severity = SEV_UNKNOWN;
		finding_set_summary(f, "cannot tell: could not read %s", list);
		finding_set_detail(
			f,
			"This check could not read every input its verdict rests on, for lack of privilege. What it could see said: %s. An OK needs all of them.",
			seen ? seen : "?");
		finding_set_remedy(
			f,
			"Run it as root: sudo dockerd-doctor --only %s (or give this user read access to what is named above).",
			c->id);
		finding_add_evidence(f, "seen_ok", "%s", seen ? seen : "?");
		free(seen);
	}
}

/* Run one check, turning "cannot run" into an unknown finding. */
static void run_one(struct ctx *ctx, const struct check *c, struct report *r)
{
	size_t first = r->n_findings;
	char why[512];
	struct finding *f;
	int ret;

	ctx->unseen_now = 0;
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
	judge_unseen(ctx, c, r, first);
}

/*
 * Is the log ring wanted in this run? In reports for people and bundles
 * (text, JSON), and whenever logs.patterns runs; not for a Nagios or
 * Prometheus probe that does not ask for it. --log-source none: never.
 */
static bool log_wanted(struct ctx *ctx)
{
	const struct check *lp = check_find("logs.patterns");

	if (strv_contains(ctx->opts->log_sources, "none"))
		return false;
	return ctx->opts->format == FORMAT_TEXT ||
	       ctx->opts->format == FORMAT_JSON ||
	       (lp && runner_selected(ctx->opts, lp));
}

/* Copy the ring and its sources into the report. */
static void fill_log(struct ctx *ctx, struct report *r)
{
	char names[LOGRING_MAX_SOURCES][LOGRING_SOURCE_NAME_MAX] = { { 0 } };
	const struct logring *ring;
	struct logring_iter it;
	struct log_entry e;
	int64_t since;

	if (!log_wanted(ctx))
		return;
	ring = ctx_logring(ctx, &since);
	r->log_collected = true;
	r->log_since_us = since;
	for (size_t i = 0; i < ctx->logsrcs.n; i++) {
		const struct logsrc *s = &ctx->logsrcs.v[i];
		struct logring_source_stats st = { 0 };
		struct report_log_source rs = {
			.name = (char *)s->name,
			.where = (char *)s->where,
			.why = (char *)s->why,
			.error = s->err ? (char *)s->error : NULL,
			.read = s->lines_read,
		};

		if (ring && s->ring_source >= 0 &&
		    logring_source_stats(ring, s->ring_source, &st) == 0) {
			rs.held = st.lines;
			rs.dropped = st.dropped;
			rs.truncated = st.truncated;
			rs.redacted = st.redacted;
		}
		report_add_log_source(r, &rs);
	}
	if (!ring) {
		struct report_log_source rs = { .name = "ring",
						.error = ctx->log_error };

		report_add_log_source(r, &rs);
		return;
	}
	/* source names once, not a stats copy per line */
	for (int i = 0;
	     i < logring_source_count(ring) && i < LOGRING_MAX_SOURCES; i++) {
		struct logring_source_stats st;

		if (logring_source_stats(ring, i, &st) == 0)
			memcpy(names[i], st.name, sizeof(names[i]));
	}
	logring_iter_init(&it, ring, since);
	while (logring_iter_next(&it, &e))
		if (e.source >= 0 && e.source < LOGRING_MAX_SOURCES)
			report_add_log(r, e.time_us, names[e.source],
				       log_level_name(e.level), e.truncated,
				       e.line);
}

/* Run the selected checks. */
int runner_run(struct ctx *ctx, struct report *r)
{
	double start = now_monotonic();

	clock_gettime(CLOCK_REALTIME, &r->generated_at);
	report_set_string(r, &r->tool_version, PACKAGE_VERSION);
	fill_host(ctx, r);
	for (size_t i = 0; i < check_count; i++) {
		double t0 = now_monotonic();

		if (!runner_selected(ctx->opts, check_table[i]))
			continue;
		run_one(ctx, check_table[i], r);
		if (r->n_timings < ARRAY_SIZE(r->timings)) {
			r->timings[r->n_timings].check = check_table[i]->id;
			r->timings[r->n_timings++].seconds =
				now_monotonic() - t0;
		}
	}
	fill_daemon(ctx, r);
	fill_log(ctx, r);
	/* a safety net: no check may show a password it read somewhere */
	report_mask_credentials(r, 0);
	r->duration = now_monotonic() - start;
	return r->oom ? -ENOMEM : 0;
}
