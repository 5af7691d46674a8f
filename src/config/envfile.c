// SPDX-License-Identifier: GPL-2.0-or-later
/* The environment of a service: EnvironmentFile=, "$VAR" (envfile.h). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/envfile.h"
#include "config/unitfile.h"
#include "core/util.h"

#define WHITESPACE " \t\n\r"
#define ENV_FILE_MAX (4u << 20)

/* Append n bytes to b. */
int sbuf_add(struct sbuf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->alloc) {
		size_t alloc = (b->len + n + 1) * 2;
		char *s = realloc(b->s, alloc);

		if (!s)
			return -ENOMEM;
		b->s = s;
		b->alloc = alloc;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* Append one character to b. */
int sbuf_addc(struct sbuf *b, char c)
{
	return sbuf_add(b, &c, 1);
}

/* Append a formatted line to a warning list. */
int add_warning(char ***list, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	r = strv_push(list, s);
	free(s);
	return r;
}

/* Append copies of every string of src to *dst. */
int strv_append_all(char ***dst, char *const *src)
{
	int r = 0;

	for (size_t i = 0; r == 0 && src && src[i]; i++)
		r = strv_push(dst, src[i]);
	return r;
}

/* True for a variable name (n bytes): letters, digits, '_', no digit first. */
bool env_name_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '_' || (i && s[i] >= '0' && s[i] <= '9') ||
		      ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')))
			return false;
	return n > 0;
}

/* Value of the variable name (n bytes) in env, or NULL. */
static const char *env_get(char *const *env, const char *name, size_t n)
{
	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			return env[i] + n + 1;
	return NULL;
}

/* Put a KEY=VALUE assignment into *env, replacing one of the same key. */
int env_put(char ***env, const char *assignment)
{
	size_t n = strcspn(assignment, "=");

	for (size_t i = 0; *env && (*env)[i]; i++) {
		char *copy;

		if (strncmp((*env)[i], assignment, n + 1) != 0)
			continue;
		copy = strdup(assignment);
		if (!copy)
			return -ENOMEM;
		free((*env)[i]);
		(*env)[i] = copy;
		return 0;
	}
	return strv_push(env, assignment);
}

/* Store key (n bytes) and value of an environment file, or warn. */
static int env_file_assign(const char *source, unsigned line, const char *key,
			   size_t n, const char *value, char ***env,
			   char ***warnings)
{
	char *a = NULL;
	int r;

	while (n && strchr(WHITESPACE, key[n - 1]))
		n--;
	if (!env_name_valid(key, n))
		return add_warning(
			warnings,
			"ignoring '%s:%u': invalid variable name '%.*s'",
			source, line, (int)n, key);
	if (asprintf(&a, "%.*s=%s", (int)n, key, value) < 0)
		return -ENOMEM;
	r = env_put(env, a);
	free(a);
	return r;
}

/*
 * Parse the value after '=' at *p into b, as systemd v250+ does
 * (systemd.exec(5), EnvironmentFile=). Before the value and after a closing
 * quote, white space is skipped and ' or " opens a quote that may span
 * lines: '...' is verbatim, in "..." a backslash keeps one of "\`$ or
 * joins lines. Elsewhere a backslash keeps the next character or joins
 * lines, and trailing white space is dropped. Returns 1 when a quote is
 * left open.
 */
static int env_value(const char **p, unsigned *line, struct sbuf *b)
{
	const char *s = *p;
	bool pre = true;
	size_t keep = 0;
	char quote = 0;
	int r;

	b->len = 0;
	for (r = sbuf_add(b, "", 0); r == 0 && *s; s++) {
		bool esc = *s == '\\' && s[1] && quote != '\'';
		char c = esc ? s[1] : *s;

		if (!quote && !esc && c == '\n')
			break;
		if (!quote && !esc && pre && strchr(" \t\r'\"", c)) {
			quote = c == '\'' || c == '"' ? c : 0;
			continue;
		}
		if (quote && !esc && c == quote) {
			quote = 0;
			pre = true;
			continue;
		}
		s += esc;
		*line += c == '\n';
		if (!quote)
			pre = false;
		if (esc && c == '\n')
			continue;
		if (esc && quote && !strchr("\"\\`$", c))
			r = sbuf_addc(b, '\\');
		if (r == 0)
			r = sbuf_addc(b, c);
		if (quote || esc || !strchr(" \t\r", c))
			keep = b->len;
	}
	if (r < 0)
		return r;
	b->s[b->len = keep] = '\0';
	*p = s;
	return quote != 0;
}

/* Parse the text of an EnvironmentFile= into *env (see envfile.h). */
int unit_parse_env(const char *text, const char *source, char ***env,
		   char ***warnings)
{
	struct sbuf val = { 0 };
	const char *p = text;
	unsigned line = 1;
	int r = 0;

	while (r == 0 && *p) {
		unsigned kline = line;
		const char *key = p;
		size_t n = strcspn(p, "=\n"), bs = 0;

		if (strchr(" \t\r\n", *p)) {
			line += *p++ == '\n';
		} else if (*p == '#' || *p == ';') {
			n = strcspn(p, "\n");
			while (bs < n && p[n - 1 - bs] == '\\')
				bs++;
			p += n;
			/* before v254, systemd ignored the next line too */
			if (bs % 2)
				r = add_warning(
					warnings,
					"'%s:%u': comment ends with a backslash (systemd before v254 also ignores the next line)",
					source, kline);
		} else if (p[n] != '=') {
			r = add_warning(
				warnings,
				"ignoring '%s:%u': not a KEY=VALUE assignment",
				source, kline);
			p += n;
		} else {
			p += n + 1;
			r = env_value(&p, &line, &val);
			if (r == 1)
				r = add_warning(warnings,
						"'%s:%u': unterminated quote",
						source, kline);
			if (r == 0)
				r = env_file_assign(source, kline, key, n,
						    val.s, env, warnings);
		}
	}
	free(val.s);
	return r;
}

/* Expand "${VAR}" and "$$" inside one word into b; other '$' stay. */
static int expand_word(const char *w, char *const *env, struct sbuf *b)
{
	int r = sbuf_add(b, "", 0);

	while (r == 0 && *w) {
		const char *end = w[0] == '$' && w[1] == '{' ? strchr(w, '}')
							     : NULL;
		const char *v;

		if (end) {
			v = env_get(env, w + 2, end - w - 2);
			r = v ? sbuf_add(b, v, strlen(v)) : 0;
			w = end + 1;
		} else if (w[0] == '$' && w[1] == '$') {
			r = sbuf_addc(b, '$');
			w += 2;
		} else {
			r = sbuf_addc(b, *w++);
		}
	}
	return r;
}

/*
 * The argv of a command with the final environment (systemd.service(5),
 * "Command lines"): a word "$VAR" becomes the value split with quotes
 * respected, "${VAR}" is replaced in place; unset variables are empty.
 * The executable (words[0]) is never expanded.
 */
int env_expand_argv(char *const *words, char *const *env, char ***ret)
{
	char **argv = NULL, **split = NULL;
	struct sbuf b = { 0 };
	int r = 0;

	for (size_t i = 0; r == 0 && words[i]; i++) {
		const char *w = words[i], *v;

		if (i == 0) {
			r = strv_push(&argv, w);
		} else if (w[0] == '$' && w[1] != '{' && w[1] != '$') {
			v = env_get(env, w + 1, strlen(w + 1));
			r = v ? unit_split_value(v, &split) : 0;
			if (r == 0)
				r = strv_append_all(&argv, split);
			strv_free(split);
			split = NULL;
		} else {
			b.len = 0;
			r = expand_word(w, env, &b);
			if (r == 0)
				r = strv_push(&argv, b.s);
		}
	}
	free(b.s);
	if (r < 0) {
		strv_free(argv);
		return r;
	}
	*ret = argv;
	return 0;
}

/* Read the EnvironmentFile= files into *env, each noted in *files. */
int envfile_read(const struct pathctx *pc, char *const *specs, char ***env,
		 char ***files, char ***warnings)
{
	int r = 0;

	for (size_t i = 0; r == 0 && specs && specs[i]; i++) {
		const char *spec = specs[i];
		const char *path = spec + (spec[0] == '-');
		char *buf = NULL;
		int err;

		r = strv_push(files, path);
		err = r ? r
			: path_read_file(pc, path, ENV_FILE_MAX, &buf, NULL);
		if (err == 0)
			r = unit_parse_env(buf, path, env, warnings);
		else if (err == -ENOENT && spec[0] == '-')
			r = 0;
		else if (err != -ENOMEM)
			r = add_warning(
				warnings,
				"cannot read environment file '%s': %s%s", path,
				strerror(-err),
				err == -ENOENT
					? " (systemd fails to start the unit; a '-' prefix makes the file optional)"
					: "");
		else
			r = err;
		free(buf);
	}
	return r;
}
