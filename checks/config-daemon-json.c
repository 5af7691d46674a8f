// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config.daemon-json: will dockerd start with its daemon.json and the flags
 * it is (or will be) started with? Predicts the refusal before the next
 * restart, from the running daemon's command line and docker.service.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/check.h"
#include "core/context.h"
#include "config/dconfig-gather.h"
#include "config/dconfig.h"
#include "core/util.h"
#include "net/netcfg.h"

#define ID "config.daemon-json"
#define DEFAULT_DAEMON_JSON "/etc/docker/daemon.json"

/* Which file, and whether dockerd requires it to exist. */
static const char *config_path(struct ctx *ctx, const struct dockerd_proc *d,
			       bool *explicit)
{
	*explicit = true;
	if (ctx->opts->daemon_config)
		return ctx->opts->daemon_config;
	if (d && d->config_file)
		return d->config_file;
	*explicit = false;
	return DEFAULT_DAEMON_JSON;
}

/* The file is missing: fine unless it was named explicitly. */
static void report_missing(struct report *r, const char *path, bool explicit,
			   const struct dockerd_proc *d)
{
	struct finding *f;

	if (!explicit) {
		f = report_add(r, ID, SEV_OK,
			       "no %s: dockerd uses its flags and defaults",
			       path);
		finding_add_evidence(f, "file", "%s", path);
		return;
	}
	f = report_add(
		r, ID, SEV_CRITICAL,
		"'%s' does not exist, but dockerd is told to use it: it will refuse to start",
		path);
	finding_set_remedy(
		f,
		"Create it (an empty object {} will do) or remove --config-file%s.",
		d ? " from the daemon's command line" : "");
	finding_add_evidence(f, "file", "%s", path);
}

/*
 * dockerd runs, yet would not start again: say so plainly, in one finding.
 * A reload does not stop it: on SIGHUP (systemctl reload docker) dockerd
 * reads the file with the same rules, logs the error ("unable to
 * configure the Docker daemon with file ...") and keeps running with the
 * configuration it has. Only a restart or a reboot makes it refuse.
 */
static void report_next_restart(struct ctx *ctx, struct report *r,
				const char *path, const struct dockerd_proc *d)
{
	char host[4200];
	struct stat st;
	struct finding *f;
	long long started = daemon_start_time(ctx_daemons(ctx), &d->st);

	snprintf(host, sizeof(host), "%s", path);
	if (path_stat(&ctx->root, host, true, &st) < 0)
		return;
	f = report_add(
		r, ID, SEV_CRITICAL,
		"dockerd (pid %d) is running, but the next restart will fail with the current %s; a reload keeps it running with its old configuration",
		d->st.pid, path);
	finding_set_detail(
		f,
		"%s. A reload (systemctl reload docker, or SIGHUP) reads the file again, logs the error (\"unable to configure the Docker daemon with file %s: ...\") and keeps the daemon running with the configuration it has, so nothing seems wrong until a restart, an upgrade or a reboot: then dockerd refuses to start.",
		started && st.st_mtime > started
			? "The file changed after the daemon started"
			: "The daemon was started with different flags or an earlier file",
		path);
	finding_set_remedy(
		f,
		"Fix the problems above before the next restart; 'dockerd-doctor config check %s' checks a fix (and 'dockerd --validate --config-file %s' does too on Docker 23 and later).",
		path, path);
	finding_add_evidence(f, "pid", "%d", d->st.pid);
}

/*
 * The host the next start happens on: the daemon's files (through its
 * root when its mount namespace is not ours) and, when its network
 * namespace is ours, the routes, addresses and sockets this process sees.
 * Under --sysroot the tree is another machine's: no host rules.
 */
static void host_view(struct ctx *ctx, const struct dockerd_proc *d,
		      struct dconfig_host *host, struct dconfig_input *in)
{
	if (pathctx_is_sysroot(&ctx->root)) {
		in->host_off = "--sysroot names another root";
		return;
	}
	*host = (struct dconfig_host){ .files = ctx_daemon_root(ctx),
				       .net = true,
				       .daemon_pid = d ? d->st.pid : 0 };
	if (d && netcfg_same_netns(&ctx->root, d->st.pid) != 1) {
		host->net = false;
		host->net_off =
			"dockerd's network namespace is not this tool's (or could not be compared)";
	}
	in->host = host;
}

/* The check. */
static int run(struct ctx *ctx, struct report *r)
{
	const struct dockerd_proc *d = ctx_dockerd(ctx);
	const struct api_state *api = ctx_api(ctx);
	struct dconfig_gather g;
	struct dconfig_host host;
	char running[64];
	bool explicit;
	int ret;

	dconfig_gather_init(&g, ID);
	ret = dconfig_gather_file(&g, &ctx->root,
				  config_path(ctx, d, &explicit));
	if (ret == -ENOENT && ctx->opts->daemon_config)
		return ctx_error(ctx, ret,
				 "cannot read '%s' (--daemon-config): %s",
				 g.in.path, strerror(-ret));
	if (ret == -ENOENT) {
		report_missing(r, g.in.path, explicit, d);
		return 0;
	}
	if (ret < 0)
		return ctx_error(ctx, ret, "cannot read '%s': %s", g.in.path,
				 ret == -EFBIG ? "larger than 4 MiB"
					       : strerror(-ret));
	if (d && d->argv && d->argv[0]) {
		snprintf(running, sizeof(running),
			 "the running dockerd (pid %d)", d->st.pid);
		dconfig_gather_argv(&g, d->argv + 1, running);
	}
	/* no unit, or one that cannot be read: the running flags only */
	dconfig_gather_unit(&g, &ctx->root, "docker.service",
			    DCONFIG_UNIT_NAMED | DCONFIG_UNIT_SKIP_SAME);
	dconfig_gather_version(&g, ctx->opts->docker_version,
			       api && api->version ? api->version : NULL,
			       !pathctx_is_sysroot(&ctx->root),
			       d ? d->st.pid : 0);
	host_view(ctx, d, &host, &g.in);
	ret = dconfig_check(&g.in, r);
	if (ret == 1 && d)
		report_next_restart(ctx, r, g.in.path, d);
	dconfig_gather_release(&g);
	return ret < 0 ? ret : 0;
}

const struct check check_config_daemon_json = {
	.id = ID,
	.summary =
		"will dockerd accept daemon.json with the flags it is started with",
	.needs = 0,
	.run = run,
	.explain =
		"Reads the daemon configuration (--daemon-config, else the running\n"
		"daemon's --config-file, else /etc/docker/daemon.json) and checks it\n"
		"the way dockerd of the running version does when it starts\n"
		"(moby's daemon/config, 20.10 to 29; with no daemon answering, the\n"
		"version its binary prints with --version: the examined daemon's\n"
		"/proc/PID/exe, else dockerd on PATH, /usr/sbin, /usr/bin, as\n"
		"'config check' finds it; evidence docker_version_from says which):\n"
		"one JSON object (20.10 also\n"
		"refuses an empty file and a UTF-8 BOM), no unknown key, no key also\n"
		"given as a flag, values of the right type, and Validate()'s rules\n"
		"(DNS addresses, labels, runtimes, download limits). The flags are\n"
		"those of the running dockerd (/proc/PID/cmdline) and those\n"
		"docker.service will start it with (the unit and its drop-ins, an\n"
		"empty ExecStart= resetting the list, $VARIABLES from Environment=\n"
		"and EnvironmentFile= expanded). 'dockerd --validate' (Docker 23+)\n"
		"only sees flags typed on its own command line, so it misses the\n"
		"common case: 'hosts' in the file and -H fd:// in the unit.\n"
		"\n"
		"Findings:\n"
		"- critical 'dockerd will refuse to start: KEY is set both in FILE\n"
		"  and as a flag': remove one; for 'hosts' with systemd, the remedy\n"
		"  is a drop-in in /etc/systemd/system/docker.service.d/ (named to\n"
		"  sort after the unit's other drop-ins) with [Service] /\n"
		"  ExecStart= / ExecStart= the unit's own command as written (its\n"
		"  binary, --containerd=..., $DOCKER_OPTS) without -H fd://.\n"
		"- critical 'not valid JSON ... at line L, column C', 'not a JSON\n"
		"  object', 'unknown key' (with 'did you mean'), 'must be a\n"
		"  boolean...', 'conflicting labels', 'graph and data-root'.\n"
		"- critical 'dockerd is running, but the next restart will fail ...;\n"
		"  a reload keeps it running with its old configuration': one\n"
		"  finding. On SIGHUP (systemctl reload docker) dockerd logs the\n"
		"  error and keeps running with what it has; a restart, an upgrade\n"
		"  or a reboot makes it refuse to start.\n"
		"- warning: a key that appears twice (the last one wins), a key\n"
		"  accepted but ignored ('label' instead of 'labels'), deprecated keys.\n"
		"- ok 'dockerd X.Y accepts FILE'. Credentials in proxy URLs are\n"
		"  masked in every message.\n"
		"'dockerd-doctor config check FILE' runs the same analysis offline.\n",
};
