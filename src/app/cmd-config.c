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
#include "config/dconfig.h"
#include "render/render.h"
#include "config/unitfile.h"
#include "core/util.h"

#define CHECK_ID "config.daemon-json"
#define CONFIG_MAX (4 << 20)

/* Read a whole host file (not under a sysroot; relative to the cwd). */
static int read_host_file(const char *path, char **ret, size_t *ret_len)
{
	struct pathctx pc;
	int r = pathctx_init(&pc, path[0] == '/' ? "/" : ".");

	if (r < 0)
		return r;
	r = path_read_file(&pc, path, CONFIG_MAX, ret, ret_len);
	pathctx_release(&pc);
	return r;
}

/* Run the check and render it; returns the exit status. */
int cmd_config_check(const struct options *o)
{
	struct dconfig_flags flags[2] = { { 0 } };
	struct unit_info unit = { 0 };
	struct render_opts ro = { .verbose = o->verbose };
	struct dconfig_input in = { .check_id = CHECK_ID,
				    .path = o->config_file };
	struct report *r = report_new();
	char **words = NULL, source[4200];
	char *buf = NULL, *binver = NULL;
	size_t len = 0;
	int ret, refuse, status = 3;

	if (!r)
		goto out;
	ret = read_host_file(o->config_file, &buf, &len);
	if (ret < 0) {
		fprintf(stderr, "dockerd-doctor: cannot read '%s': %s\n",
			o->config_file,
			ret == -EFBIG ? "larger than 4 MiB" : strerror(-ret));
		goto out;
	}
	if (o->check_flags) {
		if (unit_split_words(o->check_flags, &words) < 0) {
			fprintf(stderr,
				"dockerd-doctor: cannot split --flags '%s': unbalanced quotes\n",
				o->check_flags);
			goto out;
		}
		flags[in.n_flags++] =
			(struct dconfig_flags){ .argv = words,
						.source = "--flags" };
	}
	if (o->systemd_unit) {
		ret = unit_load_file(o->systemd_unit, &unit);
		if (ret < 0) {
			fprintf(stderr,
				"dockerd-doctor: cannot read unit '%s': %s\n",
				o->systemd_unit, strerror(-ret));
			goto out;
		}
		snprintf(source, sizeof(source), "%s",
			 unit.exec_source ? unit.exec_source : o->systemd_unit);
		if (unit.exec_start && unit.exec_start[0])
			flags[in.n_flags++] = (struct dconfig_flags){
				.argv = unit.exec_start + 1,
				.source = source,
				.from_systemd = true,
			};
	}
	in.buf = buf;
	in.len = len;
	in.flags = flags;
	if (!o->docker_version)
		dconfig_binary_version(&binver); /* none: the newest rules */
	in.version = dconfig_pick_version(o->docker_version, binver,
					  &in.version_source);
	clock_gettime(CLOCK_REALTIME, &r->generated_at);
	report_set_string(r, &r->tool_version, PACKAGE_VERSION);
	refuse = dconfig_check(&in, r);
	if (refuse < 0) {
		fprintf(stderr, "dockerd-doctor: out of memory\n");
		goto out;
	}
	ret = render(o->format, r, stdout, &ro);
	/* 0: dockerd would accept it (warnings or not), 2: it would refuse */
	if (ret == 0 && fflush(stdout) == 0)
		status = refuse ? 2 : report_worst(r) == SEV_UNKNOWN ? 3 : 0;
out:
	unit_info_release(&unit);
	strv_free(words);
	free(binver);
	free(buf);
	report_free(r);
	return status;
}
