// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 'dockerd-doctor config check': validate a daemon.json before it is
 * deployed, against the flags dockerd will be started with.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cmd-config.h"
#include "core/context.h"
#include "config/dconfig-gather.h"
#include "config/dconfig.h"
#include "render/render.h"
#include "core/util.h"
#include "host/daemon.h"
#include "host/path.h"

#define CHECK_ID "config.daemon-json"

/*
 * The dockerd running here, if any: the daemon a restart with the file
 * replaces, so the sockets it holds are not in the way. 0 when none.
 */
static int running_dockerd(const struct pathctx *pc)
{
	struct daemon_query q = { 0 };
	struct daemon_set *ds = NULL;
	const struct dockerd_proc *d;
	int pid = 0;

	if (daemon_find(pc, &q, &ds) < 0)
		return 0;
	d = daemon_selected(ds);
	if (d)
		pid = d->st.pid;
	daemon_set_free(ds);
	return pid;
}

/* Run the check and render it; returns the exit status. */
int cmd_config_check(const struct options *o)
{
	struct render_opts ro = { .verbose = o->verbose };
	struct report *r = report_new();
	struct dconfig_gather g;
	struct dconfig_host host = { 0 };
	struct pathctx root = { .fd = -1 };
	int ret, refuse, status = 3;

	dconfig_gather_init(&g, CHECK_ID);
	if (!r)
		goto out;
	ret = dconfig_gather_file(&g, NULL, o->config_file);
	if (ret < 0) {
		fprintf(stderr, "dockerd-doctor: cannot read '%s': %s\n",
			o->config_file,
			ret == -EFBIG ? "larger than 4 MiB" : strerror(-ret));
		goto out;
	}
	if (o->check_flags &&
	    dconfig_gather_cmdline(&g, o->check_flags, "--flags") < 0) {
		fprintf(stderr,
			"dockerd-doctor: cannot split --flags '%s': unbalanced quotes\n",
			o->check_flags);
		goto out;
	}
	if (o->systemd_unit) {
		ret = dconfig_gather_unit(&g, NULL, o->systemd_unit, 0);
		if (ret < 0) {
			fprintf(stderr,
				"dockerd-doctor: cannot read unit '%s': %s\n",
				o->systemd_unit, strerror(-ret));
			goto out;
		}
	}
	dconfig_gather_version(&g, o->docker_version, NULL, true, 0);
	if (o->offline) {
		g.in.host_off = "--offline";
	} else if (o->sysroot) {
		g.in.host_off = "--sysroot names another root";
	} else if (pathctx_init(&root, NULL) == 0) {
		host.files = &root;
		host.net = true;
		host.daemon_pid = running_dockerd(&root);
		g.in.host = &host;
	}
	clock_gettime(CLOCK_REALTIME, &r->generated_at);
	report_set_string(r, &r->tool_version, PACKAGE_VERSION);
	refuse = dconfig_check(&g.in, r);
	if (refuse < 0) {
		fprintf(stderr, "dockerd-doctor: out of memory\n");
		goto out;
	}
	ret = render(o->format, r, stdout, &ro);
	/*
	 * 0: dockerd would accept it with nothing to say, 1: accept with
	 * warnings, 2: refuse (every critical finding is a refusal), 3: the
	 * tool cannot tell (a fact it needed could not be read). The JSON
	 * summary's exit_code is the same severity_exit_code().
	 */
	if (ret == 0 && fflush(stdout) == 0)
		status = refuse ? 2 : severity_exit_code(report_worst(r));
out:
	dconfig_gather_release(&g);
	pathctx_release(&root);
	report_free(r);
	return status;
}
