// SPDX-License-Identifier: GPL-2.0-or-later
/* systemd unit files: the effective ExecStart= and environment (unitfile.h). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/envfile.h"
#include "config/unitfile.h"
#include "core/util.h"

#define WHITESPACE " \t\n\r"
#define UNIT_FILE_MAX (4u << 20)

/* Search path of system units, highest priority first (systemd.unit(5)). */
static const char *const unit_dirs[] = {
	"/etc/systemd/system",	       "/run/systemd/system",
	"/run/systemd/generator",      "/usr/local/lib/systemd/system",
	"/lib/systemd/system",	       "/usr/lib/systemd/system",
	"/run/systemd/generator.late",
};

enum section { SECTION_NONE, SECTION_OTHER, SECTION_SERVICE };

/* Where the unit parser is: file, logical line, section. */
struct parser {
	struct unit_info *u;
	const char *source;
	unsigned line;
	enum section section;
};

/* Append code point c encoded as UTF-8. */
static int sbuf_add_utf8(struct sbuf *b, uint32_t c)
{
	char u[4];
	size_t n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;

	/* (0xf00 >> n) is the lead byte's 110, 1110 or 11110 marker */
	u[0] = n == 1 ? (char)c : (char)((0xf00 >> n) | (c >> (6 * (n - 1))));
	for (size_t i = 1; i < n; i++)
		u[i] = (char)(0x80 | ((c >> (6 * (n - 1 - i))) & 0x3f));
	return sbuf_add(b, u, n);
}

/*
 * Decode the C escape after a backslash (systemd.syntax(7), "Supported
 * escapes") into b. Returns the characters consumed after the backslash,
 * or -EINVAL for an unknown escape or one that would produce NUL.
 */
static int unescape(const char *p, struct sbuf *b)
{
	static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s ";
	size_t n = *p == 'x' ? 2 : *p == 'u' ? 4 : *p == 'U' ? 8 : 3;
	const char *digits = n == 3 ? p : p + 1;
	char buf[9] = "";
	unsigned long c;
	int r;

	for (const char *s = simple; *s; s += 2)
		if (*p == s[0])
			return (r = sbuf_addc(b, s[1])) < 0 ? r : 1;
	if (n == 3 && (*p < '0' || *p > '7'))
		return -EINVAL;
	memcpy(buf, digits, strnlen(digits, n));
	if (strspn(buf, n == 3 ? "01234567" : "0123456789abcdefABCDEF") != n)
		return -EINVAL;
	c = strtoul(buf, NULL, n == 3 ? 8 : 16);
	if (c == 0 || c > (n < 4 ? 0xff : 0x10ffff) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return -EINVAL;
	r = n < 4 ? sbuf_addc(b, (char)c) : sbuf_add_utf8(b, (uint32_t)c);
	return r < 0 ? r : (int)(n + (n != 3));
}

/*
 * Take the next word at *p with systemd's quoting: '...' and "..." open
 * anywhere in a word and are removed; a backslash escapes the next
 * character, or starts a C escape when cunescape (an unknown one is kept
 * verbatim, as systemd does after warning). relax accepts unbalanced
 * quotes and a trailing backslash. Returns 1 and a new word, 0 at the end,
 * -EINVAL or -ENOMEM.
 */
static int next_word(const char **p, bool cunescape, bool relax, char **ret)
{
	const char *s = *p + strspn(*p, WHITESPACE);
	struct sbuf b = { 0 };
	char quote = 0;
	int r;

	if (!*s) {
		*p = s;
		return 0;
	}
	for (r = sbuf_add(&b, "", 0); r >= 0 && *s; s++) {
		if (*s == '\\' && !s[1]) {
			if (!relax)
				r = -EINVAL;
		} else if (*s == '\\') {
			bool c_esc = cunescape && !strchr(WHITESPACE, s[1]);
			int n = c_esc ? unescape(s + 1, &b) : -EINVAL;

			/* the next character, or an unknown C escape verbatim */
			if (n == -EINVAL) {
				r = c_esc ? sbuf_add(&b, s, 2)
					  : sbuf_addc(&b, s[1]);
				n = 1;
			} else if (n < 0) {
				r = n;
			}
			s += n > 0 ? n : 0;
		} else if (quote) {
			if (*s == quote)
				quote = 0;
			else
				r = sbuf_addc(&b, *s);
		} else if (strchr(WHITESPACE, *s)) {
			break;
		} else if (*s == '"' || *s == '\'') {
			quote = *s;
		} else {
			r = sbuf_addc(&b, *s);
		}
	}
	if (r >= 0 && quote && !relax)
		r = -EINVAL;
	if (r < 0) {
		free(b.s);
		return r;
	}
	*p = s;
	*ret = b.s;
	return 1;
}

/* Split a whole line into a new vector (empty, not NULL, when no words). */
static int split_words(const char *line, bool cunescape, bool relax,
		       char ***ret)
{
	char **v = NULL, *w = NULL;
	int r;

	while ((r = next_word(&line, cunescape, relax, &w)) > 0) {
		r = strv_push(&v, w);
		free(w);
		if (r < 0)
			goto out;
	}
	if (r == 0 && !v && !(v = calloc(1, sizeof(*v))))
		r = -ENOMEM;
out:
	if (r < 0) {
		strv_free(v);
		return r;
	}
	*ret = v;
	return 0;
}

/* Split a command line with systemd's quoting into a new vector. */
int unit_split_words(const char *line, char ***ret)
{
	return split_words(line, true, false, ret);
}

/* Split a variable's value as "$VAR" in a command line is (unitfile.h). */
int unit_split_value(const char *value, char ***ret)
{
	return split_words(value, false, true, ret);
}

/* ExecStart=: an empty value resets the list, else one command is added. */
static int set_exec(struct parser *ps, const char *value)
{
	struct unit_info *u = ps->u;
	char **words = NULL, *source = NULL;
	size_t k, argv0;
	int r;

	if (!*value) {
		strv_free(u->exec_words);
		u->exec_words = NULL;
		free(u->exec_source);
		u->exec_source = NULL;
		u->n_exec_start = 0;
		return 0;
	}
	r = split_words(value, true, false, &words);
	if (r == -EINVAL)
		return add_warning(
			&u->parse_warnings,
			"ignoring '%s:%u': unbalanced quotes in ExecStart=",
			ps->source, ps->line);
	if (r < 0)
		return r;
	/* prefixes -@:+! change how it runs; '@' makes word 2 argv[0] */
	k = words[0] ? strspn(words[0], "-@:+!") : 0;
	argv0 = words[0] && memchr(words[0], '@', k) && words[1] ? 1 : 0;
	if (!words[0] || !words[0][k]) {
		r = add_warning(&u->parse_warnings,
				"ignoring '%s:%u': no command in ExecStart=",
				ps->source, ps->line);
		goto out;
	}
	memmove(words[0], words[0] + k, strlen(words[0] + k) + 1);
	if (argv0) {
		free(words[1]);
		memmove(words + 1, words + 2,
			strv_length(words + 2) * sizeof(*words) +
				sizeof(*words));
	}
	if (asprintf(&source, "%s:%u", ps->source, ps->line) < 0) {
		r = -ENOMEM;
		goto out;
	}
	free(u->exec_source);
	u->exec_source = source;
	strv_free(u->exec_words);
	u->exec_words = words;
	words = NULL;
	u->n_exec_start++;
out:
	strv_free(words);
	return r;
}

/* Environment=: an empty value resets the list, else KEY=VALUE words. */
static int set_environment(struct parser *ps, const char *value)
{
	struct unit_info *u = ps->u;
	char *w = NULL;
	int r;

	if (!*value) {
		strv_free(u->environment);
		u->environment = NULL;
		return 0;
	}
	while ((r = next_word(&value, true, false, &w)) > 0) {
		if (strchr(w, '=') && env_name_valid(w, strcspn(w, "=")))
			r = env_put(&u->environment, w);
		else
			r = add_warning(
				&u->parse_warnings,
				"ignoring '%s:%u': invalid environment assignment '%s'",
				ps->source, ps->line, w);
		free(w);
		if (r < 0)
			break;
	}
	if (r == -EINVAL)
		r = add_warning(
			&u->parse_warnings,
			"ignoring '%s:%u': unbalanced quotes in Environment=",
			ps->source, ps->line);
	return r;
}

/* EnvironmentFile=: an empty value resets the list, else one more file. */
static int set_environment_file(struct parser *ps, const char *value)
{
	struct unit_info *u = ps->u;

	if (!*value) {
		strv_free(u->env_file_specs);
		u->env_file_specs = NULL;
		return 0;
	}
	if (value[value[0] == '-'] != '/')
		return add_warning(
			&u->parse_warnings,
			"ignoring '%s:%u': EnvironmentFile= path '%s' is not absolute",
			ps->source, ps->line, value);
	return strv_push(&u->env_file_specs, value);
}

/* Type=: kept to tell whether several ExecStart= commands are allowed. */
static int set_type(struct parser *ps, const char *value)
{
	char *t = NULL;

	if (*value && !(t = strdup(value)))
		return -ENOMEM;
	free(ps->u->type);
	ps->u->type = t;
	return 0;
}

/* The [Service] settings this parser understands; the rest is ignored. */
static const struct {
	const char *key;
	int (*set)(struct parser *ps, const char *value);
} service_keys[] = {
	{ "ExecStart", set_exec },
	{ "Environment", set_environment },
	{ "EnvironmentFile", set_environment_file },
	{ "Type", set_type },
};

/* Strip leading and trailing white space in place. */
static char *strip(char *s)
{
	size_t n;

	s += strspn(s, WHITESPACE);
	n = strlen(s);
	while (n && strchr(WHITESPACE, s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Apply one logical line: a section header or a Key=Value assignment. */
static int parse_line(struct parser *ps, char *l)
{
	char ***warnings = &ps->u->parse_warnings;
	char *eq;
	size_t n;

	l = strip(l);
	n = strlen(l);
	if (*l == '[') {
		ps->section = SECTION_OTHER;
		if (n < 3 || l[n - 1] != ']')
			return add_warning(
				warnings,
				"'%s:%u': invalid section header '%s' (systemd rejects the file)",
				ps->source, ps->line, l);
		l[n - 1] = '\0';
		if (strcmp(l + 1, "Service") == 0)
			ps->section = SECTION_SERVICE;
		return 0;
	}
	eq = strchr(l, '=');
	if (!eq)
		return add_warning(warnings, "ignoring '%s:%u': no '=' in line",
				   ps->source, ps->line);
	if (ps->section == SECTION_NONE)
		return add_warning(
			warnings,
			"ignoring '%s:%u': assignment outside of a section",
			ps->source, ps->line);
	if (ps->section != SECTION_SERVICE)
		return 0;
	*eq = '\0';
	l = strip(l);
	for (size_t i = 0; i < ARRAY_SIZE(service_keys); i++)
		if (strcmp(l, service_keys[i].key) == 0)
			return service_keys[i].set(ps, strip(eq + 1));
	return 0;
}

/*
 * Parse one unit file or drop-in into u's settings (systemd.syntax(7)):
 * comments are whole lines, also inside a continuation; a line ending in
 * an odd number of backslashes continues, the backslash becoming a space.
 */
static int parse_unit_text(struct unit_info *u, const char *text,
			   const char *source)
{
	struct parser ps = { .u = u, .source = source };
	struct sbuf line = { 0 };
	bool continued = false;
	unsigned no = 0;
	int r = 0;

	if (startswith(text, "\xef\xbb\xbf"))
		text += 3;
	while (r == 0 && *text) {
		const char *l = text;
		size_t n = strcspn(l, "\n"), lead, bs = 0;

		text += n + (l[n] == '\n');
		no++;
		if (n && l[n - 1] == '\r')
			n--;
		lead = strspn(l, " \t");
		lead = lead < n ? lead : n;
		if (lead < n && (l[lead] == '#' || l[lead] == ';'))
			continue;
		if (!continued && lead == n)
			continue;
		if (!continued) {
			ps.line = no;
			line.len = 0;
		}
		r = sbuf_add(&line, l, n);
		while (bs < n && l[n - 1 - bs] == '\\')
			bs++;
		continued = bs % 2 == 1;
		if (r == 0 && continued)
			line.s[line.len - 1] = ' ';
		else if (r == 0)
			r = parse_line(&ps, line.s);
	}
	if (r == 0 && continued)
		r = parse_line(&ps, line.s);
	free(line.s);
	return r;
}

/* Recompute env, env_files, exec_start and warnings from the settings. */
static int unit_rebuild(const struct pathctx *pc, struct unit_info *u)
{
	char **env = NULL, **files = NULL, **warnings = NULL, **argv = NULL;
	int r;

	r = strv_append_all(&env, u->environment);
	if (r == 0)
		r = strv_append_all(&warnings, u->parse_warnings);
	if (r == 0)
		r = envfile_read(pc, u->env_file_specs, &env, &files,
				 &warnings);
	if (r == 0 && u->exec_words)
		r = env_expand_argv(u->exec_words, env, &argv);
	if (r == 0 && u->n_exec_start > 1 &&
	    (!u->type || strcmp(u->type, "oneshot") != 0))
		r = add_warning(
			&warnings,
			"'%s': %zu commands in ExecStart=, but systemd refuses more than one unless Type=oneshot (an empty 'ExecStart=' line resets the list)",
			u->exec_source, u->n_exec_start);
	if (r < 0)
		goto out;
	strv_free(u->env);
	strv_free(u->env_files);
	strv_free(u->warnings);
	strv_free(u->exec_start);
	u->env = env;
	u->env_files = files;
	u->warnings = warnings;
	u->exec_start = argv;
	env = files = warnings = argv = NULL;
out:
	strv_free(env);
	strv_free(files);
	strv_free(warnings);
	strv_free(argv);
	return r;
}

/* Parse one file's text into ret, then recompute the effective values. */
int unit_apply_text(const struct pathctx *pc, const char *text,
		    const char *source, struct unit_info *ret)
{
	int r = parse_unit_text(ret, text, source);

	return r < 0 ? r : unit_rebuild(pc, ret);
}

/* Free everything a unit_info holds and zero it. */
void unit_info_release(struct unit_info *u)
{
	free(u->path);
	free(u->name);
	free(u->exec_source);
	free(u->type);
	strv_free(u->dropins);
	strv_free(u->exec_start);
	strv_free(u->env);
	strv_free(u->env_files);
	strv_free(u->warnings);
	strv_free(u->exec_words);
	strv_free(u->environment);
	strv_free(u->env_file_specs);
	strv_free(u->parse_warnings);
	memset(u, 0, sizeof(*u));
}

/* Path of a symlink's target, relative ones resolved against its folder. */
static char *link_target(const char *link, const char *target)
{
	char *s = NULL;

	if (target[0] == '/')
		return strdup(target);
	if (asprintf(&s, "%.*s/%s", (int)(strrchr(link, '/') - link), link,
		     target) < 0)
		return NULL;
	return s;
}

/*
 * Follow the symlinks of path inside the root: an absolute target is taken
 * relative to the root, not the host. Returns 1 when the file masks the
 * unit (a link to /dev/null, a device, an empty file), 0 with the path of
 * the regular file in *ret, -EISDIR for a directory, or -errno.
 */
static int resolve(const struct pathctx *pc, const char *path, char **ret)
{
	char *cur = strdup(path), *target = NULL, *next;
	struct stat st;
	int r = cur ? 0 : -ENOMEM;

	for (int hops = 0; r == 0; hops++) {
		r = path_stat(pc, cur, false, &st);
		if (r < 0 || !S_ISLNK(st.st_mode))
			break;
		r = hops < 32 ? path_readlinkf(pc, &target, "%s", cur) : -ELOOP;
		if (r == 0 && strcmp(target, "/dev/null") == 0)
			r = 1;
		next = r == 0 ? link_target(cur, target) : NULL;
		if (r == 0 && !next)
			r = -ENOMEM;
		free(target);
		target = NULL;
		free(cur);
		cur = next;
	}
	if (r == 0 && S_ISDIR(st.st_mode))
		r = -EISDIR;
	else if (r == 0 && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ||
			    (S_ISREG(st.st_mode) && st.st_size == 0)))
		r = 1;
	if (r == 0) {
		*ret = cur;
		cur = NULL;
	}
	free(cur);
	return r;
}

/*
 * Read and parse one unit file (1 when masked, -errno when unreadable) or
 * drop-in (skipped when masked, a warning when unreadable).
 */
static int load_file(const struct pathctx *pc, const char *path,
		     struct unit_info *u, bool dropin)
{
	char *real = NULL, *buf = NULL;
	int r;

	r = resolve(pc, path, &real);
	if (r == 0)
		r = path_read_file(pc, real, UNIT_FILE_MAX, &buf, NULL);
	if (r == 0) {
		r = parse_unit_text(u, buf, real);
		if (r == 0 && dropin)
			r = strv_push(&u->dropins, path);
	} else if (dropin && (r == 1 || r == -EISDIR)) {
		r = 0;
	} else if (dropin && r != -ENOMEM) {
		r = add_warning(&u->parse_warnings,
				"cannot read drop-in '%s': %s", path,
				strerror(-r));
	}
	free(real);
	free(buf);
	return r;
}

/* True when a path in paths has the file name name. */
static bool has_file_name(char *const *paths, const char *name)
{
	for (size_t i = 0; paths && paths[i]; i++)
		if (strcmp(strrchr(paths[i], '/') + 1, name) == 0)
			return true;
	return false;
}

/* qsort() order of paths by file name, as systemd applies drop-ins. */
static int cmp_file_name(const void *a, const void *b)
{
	return strcmp(strrchr(*(char *const *)a, '/') + 1,
		      strrchr(*(char *const *)b, '/') + 1);
}

/* Add the *.conf files of dir whose name is not in *paths yet. */
static int collect_dropins(const struct pathctx *pc, const char *dir,
			   char ***paths, char ***warnings)
{
	DIR *d = path_opendir(pc, dir);
	struct dirent *de;
	int r = 0;

	if (!d && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (!d)
		return errno == ENOMEM
			       ? -ENOMEM
			       : add_warning(
					 warnings,
					 "cannot read drop-in directory '%s': %s",
					 dir, strerror(errno));
	while (r == 0 && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char *p;

		if (de->d_name[0] == '.' || n <= 5 ||
		    strcmp(de->d_name + n - 5, ".conf") != 0 ||
		    has_file_name(*paths, de->d_name))
			continue;
		if (asprintf(&p, "%s/%s", dir, de->d_name) < 0) {
			r = -ENOMEM;
			break;
		}
		r = strv_push(paths, p);
		free(p);
	}
	closedir(d);
	return r;
}

/*
 * Apply the drop-ins NAME.d/ *.conf of every directory in file-name order;
 * of two with the same name, the one in the earlier directory wins.
 */
static int load_dropins(const struct pathctx *pc, const char *const *dirs,
			size_t n_dirs, struct unit_info *u)
{
	char **paths = NULL, *dir = NULL;
	int r = 0;

	for (size_t i = 0; r == 0 && i < n_dirs; i++) {
		if (asprintf(&dir, "%s/%s.d", dirs[i], u->name) < 0) {
			r = -ENOMEM;
			break;
		}
		r = collect_dropins(pc, dir, &paths, &u->parse_warnings);
		free(dir);
	}
	if (r == 0 && paths)
		qsort(paths, strv_length(paths), sizeof(*paths), cmp_file_name);
	for (size_t i = 0; r == 0 && paths && paths[i]; i++)
		r = load_file(pc, paths[i], u, true);
	strv_free(paths);
	return r;
}

/* Load the unit at path and the drop-ins for name found in dirs. */
static int load(const struct pathctx *pc, const char *path, const char *name,
		const char *const *dirs, size_t n_dirs, struct unit_info *ret)
{
	struct unit_info u = { 0 };
	int r = -ENOMEM;

	u.name = strdup(name);
	u.path = strdup(path);
	if (!u.name || !u.path)
		goto out;
	r = load_file(pc, path, &u, false);
	if (r == 1) {
		u.masked = true;
		r = add_warning(
			&u.parse_warnings,
			"unit '%s' is masked by '%s' (systemd will not start it)",
			name, path);
	} else if (r == 0) {
		r = load_dropins(pc, dirs, n_dirs, &u);
	}
	if (r == 0)
		r = unit_rebuild(pc, &u);
	if (r < 0)
		goto out;
	*ret = u;
	memset(&u, 0, sizeof(u));
out:
	unit_info_release(&u);
	return r;
}

/* Load a unit by name from the standard directories. */
int unit_load(const struct pathctx *pc, const char *name, struct unit_info *ret)
{
	char *path = NULL;
	struct stat st;
	int r = -ENOENT;

	if (!*name || strchr(name, '/'))
		return -EINVAL;
	for (size_t i = 0; r == -ENOENT && i < ARRAY_SIZE(unit_dirs); i++) {
		free(path);
		if (asprintf(&path, "%s/%s", unit_dirs[i], name) < 0)
			return -ENOMEM;
		r = path_stat(pc, path, false, &st);
	}
	if (r == 0)
		r = load(pc, path, name, unit_dirs, ARRAY_SIZE(unit_dirs), ret);
	free(path);
	return r;
}

/* Load one unit file on the host and the drop-ins in FILE.d/. */
int unit_load_file(const char *path, struct unit_info *ret)
{
	struct pathctx pc = { .fd = -1 };
	char *abs = NULL, *dir = NULL, *cwd = NULL;
	const char *slash, *dirs[1];
	int r = -ENOMEM;

	if (path[0] != '/') {
		cwd = getcwd(NULL, 0);
		if (!cwd)
			return -errno;
		if (asprintf(&abs, "%s/%s", cwd, path) < 0)
			abs = NULL;
	} else {
		abs = strdup(path);
	}
	if (!abs)
		goto out;
	slash = strrchr(abs, '/');
	dir = strndup(abs, slash == abs ? 1 : (size_t)(slash - abs));
	if (!dir)
		goto out;
	r = pathctx_init(&pc, "/");
	if (r < 0)
		goto out;
	dirs[0] = dir;
	r = load(&pc, abs, slash + 1, dirs, 1, ret);
out:
	pathctx_release(&pc);
	free(cwd);
	free(abs);
	free(dir);
	return r;
}
