// SPDX-License-Identifier: GPL-2.0-or-later
/* The input of the daemon.json judge, gathered (dconfig-gather.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/dconfig-gather.h"
#include "config/dockerd-options.h"
#include "config/envfile.h"
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

/* Which words of a command line are -H/--host arguments. */
struct host_walk {
	char **words;
	bool *drop;
	bool found;
};

/* One flag of the walk: mark -H and the word that holds its value. */
static int on_host_flag(void *arg, const char *raw,
			const struct dockerd_option *o, const char *value)
{
	struct host_walk *w = arg;

	if (!o || strcmp(o->flag, "host") != 0)
		return 0;
	w->found = true;
	for (size_t i = 0; w->words && w->words[i]; i++) {
		if (w->words[i] != raw)
			continue;
		w->drop[i] = true;
		/* "-H fd://": the value is the next word */
		if (w->words[i + 1] && value == w->words[i + 1])
			w->drop[i + 1] = true;
	}
	return 0;
}

/* Append word to b, in double quotes when systemd would split it. */
static int add_word(struct sbuf *b, const char *word)
{
	bool quote = !*word || word[strcspn(word, " \t\n\"'\\;")];

	if (b->len && sbuf_add(b, " ", 1) < 0)
		return -ENOMEM;
	if (!quote)
		return sbuf_add(b, word, strlen(word));
	if (sbuf_add(b, "\"", 1) < 0)
		return -ENOMEM;
	for (const char *p = word; *p; p++) {
		if ((*p == '"' || *p == '\\') && sbuf_addc(b, '\\') < 0)
			return -ENOMEM;
		if (sbuf_addc(b, *p) < 0)
			return -ENOMEM;
	}
	return sbuf_add(b, "\"", 1);
}

/* A drop-in name that sorts after every drop-in of the unit. */
static int dropin_name(const struct unit_info *u, const char *dir, char **ret)
{
	char name[128] = "hosts.conf";
	const char *max = "";

	for (size_t i = 0; u->dropins && u->dropins[i]; i++) {
		const char *base = strrchr(u->dropins[i], '/');

		base = base ? base + 1 : u->dropins[i];
		if (strcmp(base, max) > 0)
			max = base;
	}
	if (strcmp(name, max) <= 0)
		snprintf(name, sizeof(name), "zz-hosts.conf");
	while (strcmp(name, max) <= 0 && strlen(name) + 2 < sizeof(name)) {
		memmove(name + 1, name, strlen(name) + 1);
		name[0] = 'z';
	}
	return asprintf(ret, "%s/%s", dir, name) < 0 ? -ENOMEM : 0;
}

/* Does the command, expanded with the unit's environment, still have -H? */
static int still_has_host(char *const *words, const struct unit_info *u,
			  unsigned v, bool *ret)
{
	struct host_walk w = { 0 };
	char **argv = NULL;
	int r = env_expand_argv(words, u->env, &argv);

	if (r == 0 && argv && argv[0])
		r = dockerd_walk_argv(argv + 1, v, on_host_flag, &w);
	strv_free(argv);
	*ret = w.found;
	return r;
}

/* The drop-in that drops -H from a unit's ExecStart=. */
int dconfig_hosts_dropin(const struct unit_info *u, const char *dir, unsigned v,
			 char **ret_path, char **ret_text, char **ret_note)
{
	size_t n = strv_length(u->exec_words);
	struct host_walk w = { 0 };
	struct sbuf cmd = { 0 };
	char **kept = NULL, *path = NULL, *text = NULL, *note = NULL;
	bool left = false;
	int r = -ENOENT;

	if (!n)
		return r;
	r = -ENOMEM;
	w.words = u->exec_words + 1;
	w.drop = calloc(n, sizeof(*w.drop));
	if (!w.drop)
		goto out;
	r = dockerd_walk_argv(w.words, v, on_host_flag, &w);
	for (size_t i = 0; r == 0 && i < n; i++)
		if (i == 0 || !w.drop[i - 1])
			r = strv_push(&kept, u->exec_words[i]);
	for (size_t i = 0; r == 0 && kept[i]; i++)
		r = add_word(&cmd, kept[i]);
	if (r == 0)
		r = still_has_host(kept, u, v, &left);
	if (r == 0 && left)
		r = asprintf(
			    &note,
			    "-H also comes from a variable the command expands (Environment= or EnvironmentFile= of %s): remove it there too",
			    u->name ? u->name : "the unit") < 0
			    ? -ENOMEM
			    : 0;
	if (r == 0)
		r = dropin_name(u, dir, &path);
	if (r == 0 &&
	    asprintf(&text, "[Service]\nExecStart=\nExecStart=%s\n", cmd.s) < 0)
		r = -ENOMEM;
	if (r < 0)
		goto out;
	*ret_path = path;
	*ret_text = text;
	*ret_note = note;
	path = text = note = NULL;
out:
	free(w.drop);
	free(cmd.s);
	strv_free(kept);
	free(path);
	free(text);
	free(note);
	return r;
}

/* Give the flags the drop-in that drops -H from the unit. */
static void offer_dropin(struct dconfig_gather *g, struct dconfig_flags *fl,
			 bool by_name)
{
	char dir[4200];

	if (!g->dropin_text) {
		if (by_name)
			snprintf(dir, sizeof(dir), "/etc/systemd/system/%s.d",
				 g->unit.name);
		else
			snprintf(dir, sizeof(dir), "%s.d", g->unit.path);
		/* the version is not known yet: the newest rules for -H */
		if (dconfig_hosts_dropin(&g->unit, dir, DOCKER_VERSION_MAX,
					 &g->dropin_path, &g->dropin_text,
					 &g->dropin_note) < 0)
			return;
	}
	fl->from_systemd = true;
	fl->dropin_path = g->dropin_path;
	fl->dropin_text = g->dropin_text;
	fl->dropin_note = g->dropin_note;
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
	size_t n;
	int r;

	if (u->name)
		return -EBUSY;
	r = pc ? unit_load(pc, unit, u) : unit_load_file(unit, u);
	if (r < 0)
		return r;
	if (!u->exec_start || !u->exec_start[0])
		return 0;
	if ((how & DCONFIG_UNIT_SKIP_SAME) && g->in.n_flags &&
	    same_args(g->flags[0].argv, u->exec_start + 1)) {
		/* the unit started them: its drop-in fixes them */
		offer_dropin(g, &g->flags[0], pc != NULL);
		return 0;
	}
	at = u->exec_source ? u->exec_source : u->path;
	if (how & DCONFIG_UNIT_NAMED)
		snprintf(where, sizeof(where), "%s (%s)", u->name, at);
	else
		snprintf(where, sizeof(where), "%s", at);
	n = g->in.n_flags;
	add_flags(g, u->exec_start + 1, where, true);
	if (g->in.n_flags > n)
		offer_dropin(g, &g->flags[n], pc != NULL);
	return 0;
}

/* Pick the version whose rules apply. */
void dconfig_gather_version(struct dconfig_gather *g, const char *option,
			    const char *daemon_version, bool run_binary,
			    int pid)
{
	const struct dconfig_binver *bin = NULL;
	char exe[64];

	snprintf(exe, sizeof(exe), "/proc/%d/exe", pid);
	if (!option && !daemon_version && run_binary)
		bin = dconfig_binary_version_once(pid > 0 ? exe : NULL);
	/* no binary either: the newest rules */
	g->in.version = dconfig_pick_version_bin(option, daemon_version, bin,
						 &g->in.version_source);
}

/* Free what the gather holds. */
void dconfig_gather_release(struct dconfig_gather *g)
{
	unit_info_release(&g->unit);
	strv_free(g->words);
	free(g->buf);
	free(g->dropin_path);
	free(g->dropin_text);
	free(g->dropin_note);
	memset(g, 0, sizeof(*g));
}
