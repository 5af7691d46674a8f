// SPDX-License-Identifier: GPL-2.0-or-later
/* The input of the daemon.json judge, gathered (dconfig-gather.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/dconfig-gather.h"
#include "core/util.h"

#define CONFIG_MAX (4 << 20)

/* Start gathering: everything empty. */
void dconfig_gather_init(struct dconfig_gather *g, const char *check_id)
{
	memset(g, 0, sizeof(*g));
	g->in.check_id = check_id;
	g->in.flags = g->flags;
}

/* Read the file under pc, or on the host relative to the cwd. */
int dconfig_gather_file(struct dconfig_gather *g, const struct pathctx *pc,
			const char *path)
{
	struct pathctx host = { .fd = -1 };
	int r = 0;

	g->in.path = path;
	if (!pc) {
		r = pathctx_init(&host, path[0] == '/' ? "/" : ".");
		pc = &host;
	}
	if (r == 0)
		r = path_read_file(pc, path, CONFIG_MAX, &g->buf, &g->in.len);
	pathctx_release(&host);
	if (r < 0)
		return r;
	g->in.buf = g->buf;
	return 0;
}

/* Add one source of flags; the source text is copied. */
static void add_flags(struct dconfig_gather *g, char **argv, const char *source,
		      bool from_systemd)
{
	size_t i = g->in.n_flags;

	if (i >= ARRAY_SIZE(g->flags))
		return;
	snprintf(g->source[i], sizeof(g->source[i]), "%s", source);
	g->flags[i] = (struct dconfig_flags){
		.argv = argv,
		.source = g->source[i],
		.from_systemd = from_systemd,
	};
	g->in.n_flags++;
}

/* Add flags from a borrowed argv. */
void dconfig_gather_argv(struct dconfig_gather *g, char **argv,
			 const char *source)
{
	add_flags(g, argv, source, false);
}

/* Add flags from a command line. */
int dconfig_gather_cmdline(struct dconfig_gather *g, const char *line,
			   const char *source)
{
	int r;

	if (g->words)
		return -EBUSY;
	r = unit_split_words(line, &g->words);
	if (r < 0)
		return r;
	add_flags(g, g->words, source, false);
	return 0;
}

/* True when two argument vectors are equal. */
static bool same_args(char **a, char **b)
{
	size_t n = strv_length(a);

	if (n != strv_length(b))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* Load a unit and add the arguments of its ExecStart=. */
int dconfig_gather_unit(struct dconfig_gather *g, const struct pathctx *pc,
			const char *unit, unsigned how)
{
	struct unit_info *u = &g->unit;
	const char *at;
	char where[4200];
	int r;

	if (u->name)
		return -EBUSY;
	r = pc ? unit_load(pc, unit, u) : unit_load_file(unit, u);
	if (r < 0)
		return r;
	if (!u->exec_start || !u->exec_start[0])
		return 0;
	if ((how & DCONFIG_UNIT_SKIP_SAME) && g->in.n_flags &&
	    same_args(g->flags[0].argv, u->exec_start + 1))
		return 0;
	at = u->exec_source ? u->exec_source : u->path;
	if (how & DCONFIG_UNIT_NAMED)
		snprintf(where, sizeof(where), "%s (%s)", u->name, at);
	else
		snprintf(where, sizeof(where), "%s", at);
	add_flags(g, u->exec_start + 1, where, true);
	return 0;
}

/* Pick the version whose rules apply. */
void dconfig_gather_version(struct dconfig_gather *g, const char *option,
			    const char *daemon_version, bool run_binary)
{
	if (!option && !daemon_version && run_binary)
		dconfig_binary_version(&g->binver); /* none: the newest rules */
	g->in.version = dconfig_pick_version(
		option, daemon_version ? daemon_version : g->binver,
		&g->in.version_source);
}

/* Free what the gather holds. */
void dconfig_gather_release(struct dconfig_gather *g)
{
	unit_info_release(&g->unit);
	strv_free(g->words);
	free(g->binver);
	free(g->buf);
	memset(g, 0, sizeof(*g));
}
