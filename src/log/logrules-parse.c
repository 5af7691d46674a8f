// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Log rules: a rules file's text (doc/log-rules.md) parsed into compiled
 * rules, and the rules freed. logrules.c loads the files and runs the
 * rules over the log ring.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/logrules.h"
#include "core/util.h"

#define RULE_NAME_MAX 64
#define MIN_COUNT_MAX 1000000
/* "ignore =" lines one rule may have */
#define IGNORE_MAX 64

/* ---- parsing ---- */

enum key {
	KEY_CHECK,
	KEY_SOURCE,
	KEY_LEVEL,
	KEY_PATTERN,
	KEY_ICASE,
	KEY_MIN_COUNT,
	KEY_SEVERITY,
	KEY_SUMMARY,
	KEY_DETAIL,
	KEY_REMEDY,
	KEY_ENABLED,
	KEY_SINCE,
	KEY_IGNORE,
	KEY__COUNT
};

static const char *const key_names[KEY__COUNT] = {
	[KEY_CHECK] = "check",	     [KEY_SOURCE] = "source",
	[KEY_LEVEL] = "level",	     [KEY_PATTERN] = "pattern",
	[KEY_ICASE] = "icase",	     [KEY_MIN_COUNT] = "min-count",
	[KEY_SEVERITY] = "severity", [KEY_SUMMARY] = "summary",
	[KEY_DETAIL] = "detail",     [KEY_REMEDY] = "remedy",
	[KEY_ENABLED] = "enabled",   [KEY_SINCE] = "since",
	[KEY_IGNORE] = "ignore",
};

/* A [rule] section being read: raw values, interpreted at its end. */
struct draft {
	bool active; /* inside a section */
	bool bad; /* an error was reported: the section is skipped */
	char name[RULE_NAME_MAX + 1];
	unsigned line; /* of the header */
	char *val[KEY__COUNT];
	unsigned val_line[KEY__COUNT];
	/* "ignore" may repeat: its values joined by '\n', and their lines */
	unsigned ignore_line[IGNORE_MAX];
	size_t n_ignore;
	int fold; /* key a continuation line extends, -1: none */
};

struct parser {
	struct logrules *rules;
	const char *file;
	char *err;
	size_t errlen;
	int errors;
	bool oom;
	struct draft d;
};

/* Append "file:line: what" to the error text (lines joined by '\n'). */
static void __attribute__((format(printf, 3, 4)))
perr(struct parser *p, unsigned line, const char *fmt, ...)
{
	size_t used = p->err && p->errlen ? strlen(p->err) : 0;
	va_list ap;
	int n;

	p->errors++;
	if (!p->err || used + 1 >= p->errlen)
		return;
	n = snprintf(p->err + used, p->errlen - used,
		     "%s%s:%u: ", used ? "\n" : "", p->file, line);
	if (n < 0 || (size_t)n >= p->errlen - used)
		return;
	used += (size_t)n;
	va_start(ap, fmt);
	vsnprintf(p->err + used, p->errlen - used, fmt, ap);
	va_end(ap);
}

static void draft_reset(struct draft *d)
{
	for (int k = 0; k < KEY__COUNT; k++)
		free(d->val[k]);
	memset(d, 0, sizeof(*d));
	d->fold = -1;
}

static void rule_release(struct logrule *r)
{
	free(r->name);
	free(r->check);
	strv_free(r->sources);
	free(r->pattern);
	if (r->pattern)
		regfree(&r->re);
	for (size_t i = 0; i < r->n_ignore; i++)
		regfree(&r->ignore[i]);
	free(r->ignore);
	free(r->summary);
	free(r->detail);
	free(r->remedy);
	free(r->file);
	memset(r, 0, sizeof(*r));
}

static int find_rule(const struct logrules *rules, const char *name)
{
	for (size_t i = 0; i < rules->n; i++)
		if (strcmp(rules->v[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Drop a rule by name ("enabled = no"). */
static void remove_rule(struct logrules *rules, const char *name)
{
	int i = find_rule(rules, name);

	if (i < 0)
		return;
	rule_release(&rules->v[i]);
	memmove(&rules->v[i], &rules->v[i + 1],
		(rules->n - (size_t)i - 1) * sizeof(rules->v[0]));
	rules->n--;
}

/* Add a rule, or replace the one of the same name in its place. */
static int put_rule(struct logrules *rules, struct logrule *r)
{
	int i = find_rule(rules, r->name);
	struct logrule *v;

	if (i >= 0) {
		rule_release(&rules->v[i]);
		rules->v[i] = *r;
		return 0;
	}
	v = realloc(rules->v, (rules->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	rules->v = v;
	rules->v[rules->n++] = *r;
	return 0;
}

static bool parse_bool(const char *s, bool *ret)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1"))
		*ret = true;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0"))
		*ret = false;
	else
		return false;
	return true;
}

static bool valid_id(const char *s, bool dots)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) ||
		      isdigit((unsigned char)*s) || *s == '-' || *s == '_' ||
		      (dots && *s == '.')))
			return false;
	return true;
}

/* "a, b" into a vector; "any" (alone) is NULL. */
static int parse_sources(struct parser *p, const char *s, char ***ret)
{
	unsigned line = p->d.val_line[KEY_SOURCE];
	char *copy = strdup(s), *save = NULL, *tok;
	int r = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t n;

		while (isspace((unsigned char)*tok))
			tok++;
		n = strlen(tok);
		while (n && isspace((unsigned char)tok[n - 1]))
			tok[--n] = '\0';
		if (!strcmp(tok, "any"))
			continue;
		if (!n || n >= LOGRING_SOURCE_NAME_MAX) {
			perr(p, line, "bad source name '%s'", tok);
			r = -EINVAL;
			break;
		}
		if (strv_push(ret, tok) < 0) {
			r = -ENOMEM;
			break;
		}
	}
	free(copy);
	return r;
}

/* {N} in a text must name a group the pattern has. */
static bool check_groups(struct parser *p, int key, size_t nsub)
{
	const char *s = p->d.val[key];

	for (; s && (s = strchr(s, '{')); s++)
		if (isdigit((unsigned char)s[1]) && s[2] == '}' &&
		    (size_t)(s[1] - '0') > nsub) {
			perr(p, p->d.val_line[key],
			     "%s uses {%c} but the pattern has %zu group%s",
			     key_names[key], s[1], nsub, nsub == 1 ? "" : "s");
			return false;
		}
	return true;
}

/* Interpret the scalar keys; false after reporting an error. */
static bool build_scalars(struct parser *p, struct logrule *r)
{
	struct draft *d = &p->d;
	long n;

	r->min_count = 1;
	r->severity = SEV_WARNING;
	if (d->val[KEY_LEVEL] && strcmp(d->val[KEY_LEVEL], "any") != 0) {
		r->min_level = log_level_from_name(d->val[KEY_LEVEL],
						   strlen(d->val[KEY_LEVEL]));
		if (r->min_level == LOG_LEVEL_UNKNOWN) {
			perr(p, d->val_line[KEY_LEVEL],
			     "level '%s' is not one of trace, debug, info, warning, error, fatal, any",
			     d->val[KEY_LEVEL]);
			return false;
		}
	}
	if (d->val[KEY_ICASE] && !parse_bool(d->val[KEY_ICASE], &r->icase)) {
		perr(p, d->val_line[KEY_ICASE], "icase '%s' is not yes or no",
		     d->val[KEY_ICASE]);
		return false;
	}
	if (d->val[KEY_MIN_COUNT]) {
		if (parse_int(d->val[KEY_MIN_COUNT], 1, MIN_COUNT_MAX, &n) <
		    0) {
			perr(p, d->val_line[KEY_MIN_COUNT],
			     "min-count '%s' is not a number from 1 to %d",
			     d->val[KEY_MIN_COUNT], MIN_COUNT_MAX);
			return false;
		}
		r->min_count = (unsigned)n;
	}
	if (d->val[KEY_SEVERITY] &&
	    (severity_from_name(d->val[KEY_SEVERITY], &r->severity) < 0 ||
	     r->severity == SEV_OK || r->severity == SEV_UNKNOWN)) {
		perr(p, d->val_line[KEY_SEVERITY],
		     "severity '%s' is not info, warning or critical",
		     d->val[KEY_SEVERITY]);
		return false;
	}
	if (d->val[KEY_SINCE] && strcmp(d->val[KEY_SINCE], "window") != 0) {
		if (strcmp(d->val[KEY_SINCE], "daemon-start") != 0) {
			perr(p, d->val_line[KEY_SINCE],
			     "since '%s' is not window or daemon-start",
			     d->val[KEY_SINCE]);
			return false;
		}
		r->since_daemon_start = true;
	}
	if (d->val[KEY_CHECK] && !valid_id(d->val[KEY_CHECK], true)) {
		perr(p, d->val_line[KEY_CHECK],
		     "check '%s' is not a dotted id (a-z, 0-9, '.', '-', '_')",
		     d->val[KEY_CHECK]);
		return false;
	}
	return true;
}

/* Compile the pattern and check the texts against it. */
static bool build_pattern(struct parser *p, struct logrule *r)
{
	struct draft *d = &p->d;
	char msg[256];
	int ret;

	if (!d->val[KEY_PATTERN] || !d->val[KEY_PATTERN][0]) {
		perr(p, d->line, "rule '%s' has no pattern", d->name);
		return false;
	}
	if (!d->val[KEY_SUMMARY] || !d->val[KEY_SUMMARY][0]) {
		perr(p, d->line, "rule '%s' has no summary", d->name);
		return false;
	}
	ret = regcomp(&r->re, d->val[KEY_PATTERN],
		      REG_EXTENDED | (r->icase ? REG_ICASE : 0));
	if (ret != 0) {
		regerror(ret, &r->re, msg, sizeof(msg));
		perr(p, d->val_line[KEY_PATTERN], "bad pattern '%s': %s",
		     d->val[KEY_PATTERN], msg);
		return false;
	}
	if (!check_groups(p, KEY_SUMMARY, r->re.re_nsub) ||
	    !check_groups(p, KEY_DETAIL, r->re.re_nsub) ||
	    !check_groups(p, KEY_REMEDY, r->re.re_nsub)) {
		regfree(&r->re);
		return false;
	}
	r->pattern = d->val[KEY_PATTERN];
	d->val[KEY_PATTERN] = NULL;
	return true;
}

/* Compile the "ignore" patterns (one per line of the joined value). */
static int build_ignore(struct parser *p, struct logrule *r)
{
	struct draft *d = &p->d;
	const char *s = d->val[KEY_IGNORE];
	char msg[256], *one;
	int ret;

	if (!d->n_ignore)
		return 0;
	r->ignore = calloc(d->n_ignore, sizeof(*r->ignore));
	if (!r->ignore)
		return -ENOMEM;
	for (size_t i = 0; i < d->n_ignore; i++) {
		size_t n = strcspn(s, "\n");

		one = strndup(s, n);
		if (!one)
			return -ENOMEM;
		if (!one[0]) {
			perr(p, d->ignore_line[i], "ignore has no pattern");
			free(one);
			return -EINVAL;
		}
		ret = regcomp(&r->ignore[i], one,
			      REG_EXTENDED | REG_NOSUB |
				      (r->icase ? REG_ICASE : 0));
		if (ret != 0) {
			regerror(ret, &r->ignore[i], msg, sizeof(msg));
			perr(p, d->ignore_line[i],
			     "bad ignore pattern '%s': %s", one, msg);
			free(one);
			return -EINVAL;
		}
		free(one);
		r->n_ignore++;
		s += n + (s[n] == '\n');
	}
	return 0;
}

/* Take a raw value over into the rule. */
static char *take(struct draft *d, int key)
{
	char *s = d->val[key];

	d->val[key] = NULL;
	return s;
}

/* The end of a section: check it and add, replace or drop the rule. */
static int finish_rule(struct parser *p)
{
	struct draft *d = &p->d;
	struct logrule r = { 0 };
	bool enabled = true;
	char where[1024];
	int ret = 0;

	if (!d->active || d->bad)
		goto out;
	if (d->val[KEY_ENABLED] && !parse_bool(d->val[KEY_ENABLED], &enabled)) {
		perr(p, d->val_line[KEY_ENABLED],
		     "enabled '%s' is not yes or no", d->val[KEY_ENABLED]);
		goto out;
	}
	if (!enabled) {
		remove_rule(p->rules, d->name);
		goto out;
	}
	if (!build_scalars(p, &r) ||
	    (d->val[KEY_SOURCE] &&
	     (ret = parse_sources(p, d->val[KEY_SOURCE], &r.sources)) < 0))
		goto fail;
	if (!build_pattern(p, &r) || (ret = build_ignore(p, &r)) < 0)
		goto fail;
	snprintf(where, sizeof(where), "%s:%u", p->file, d->line);
	r.name = strdup(d->name);
	r.file = strdup(where);
	if (d->val[KEY_CHECK])
		r.check = take(d, KEY_CHECK);
	else if (asprintf(&r.check, "logs.%s", d->name) < 0)
		r.check = NULL;
	r.summary = take(d, KEY_SUMMARY);
	r.detail = take(d, KEY_DETAIL);
	r.remedy = take(d, KEY_REMEDY);
	if (!r.name || !r.file || !r.check ||
	    (ret = put_rule(p->rules, &r)) < 0) {
		ret = -ENOMEM;
		goto fail;
	}
	goto out;
fail:
	if (ret == -ENOMEM)
		p->oom = true;
	rule_release(&r);
out:
	draft_reset(d);
	return p->oom ? -ENOMEM : 0;
}

/* "[rule NAME]" */
static void parse_header(struct parser *p, char *s, size_t n, unsigned line)
{
	struct draft *d = &p->d;
	size_t i = 5;

	d->active = true;
	d->line = line;
	if (n < 3 || s[n - 1] != ']' || strncmp(s, "[rule", 5) != 0 ||
	    !isspace((unsigned char)s[5])) {
		perr(p, line, "expected '[rule NAME]', got '%.*s'", (int)n, s);
		d->bad = true;
		return;
	}
	s[--n] = '\0';
	while (isspace((unsigned char)s[i]))
		i++;
	while (n > i && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	if (n - i > RULE_NAME_MAX || !valid_id(s + i, true)) {
		perr(p, line,
		     "rule name '%s' must be 1-%d of a-z, 0-9, '.', '-', '_'",
		     s + i, RULE_NAME_MAX);
		d->bad = true;
		return;
	}
	memcpy(d->name, s + i, n - i + 1);
}

/* One more "ignore = REGEX" line: appended to the ones before. */
static int add_ignore(struct parser *p, const char *v, unsigned line)
{
	struct draft *d = &p->d;
	char *nv;

	if (d->n_ignore == IGNORE_MAX) {
		perr(p, line, "more than %d ignore lines in rule '%s'",
		     IGNORE_MAX, d->name);
		d->bad = true;
		d->fold = -1;
		return 0;
	}
	if (asprintf(&nv, "%s%s%s",
		     d->val[KEY_IGNORE] ? d->val[KEY_IGNORE] : "",
		     d->val[KEY_IGNORE] ? "\n" : "", v) < 0)
		return -ENOMEM;
	free(d->val[KEY_IGNORE]);
	d->val[KEY_IGNORE] = nv;
	d->val_line[KEY_IGNORE] = line;
	d->ignore_line[d->n_ignore++] = line;
	d->fold = KEY_IGNORE;
	return 0;
}

/* "key = value" */
static int parse_key(struct parser *p, char *s, unsigned line)
{
	struct draft *d = &p->d;
	char *eq = strchr(s, '='), *v, *k_end;
	int k;

	if (!eq) {
		perr(p, line, "expected 'key = value', got '%s'", s);
		goto bad;
	}
	for (k_end = eq; k_end > s && isspace((unsigned char)k_end[-1]);)
		k_end--;
	*k_end = '\0';
	for (v = eq + 1; isspace((unsigned char)*v);)
		v++;
	if (!d->active) {
		perr(p, line, "'%s' is outside a [rule NAME] section", s);
		return 0;
	}
	for (k = 0; k < KEY__COUNT; k++)
		if (!strcmp(s, key_names[k]))
			break;
	if (k == KEY__COUNT) {
		perr(p, line, "unknown key '%s' in rule '%s'", s, d->name);
		goto bad;
	}
	if (k == KEY_IGNORE)
		return add_ignore(p, v, line);
	if (d->val[k]) {
		perr(p, line, "'%s' is set twice in rule '%s'", s, d->name);
		goto bad;
	}
	d->val[k] = strdup(v);
	if (!d->val[k])
		return -ENOMEM;
	d->val_line[k] = line;
	d->fold = k;
	return 0;
bad:
	d->bad = d->active;
	d->fold = -1;
	return 0;
}

/* An indented line continues the last value (patterns without a space). */
static int fold_value(struct parser *p, const char *s)
{
	struct draft *d = &p->d;
	const char *sep = d->fold == KEY_PATTERN || d->fold == KEY_IGNORE ? ""
									  : " ";
	char *old = d->val[d->fold], *nv;

	if (asprintf(&nv, "%s%s%s", old, old[0] ? sep : "", s) < 0)
		return -ENOMEM;
	free(old);
	d->val[d->fold] = nv;
	return 0;
}

/* One line (NUL-terminated, without its newline). */
static int parse_line(struct parser *p, char *s, size_t n, unsigned line)
{
	bool indented = n && (s[0] == ' ' || s[0] == '\t');

	if (n && s[n - 1] == '\r')
		s[--n] = '\0';
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	if (!n) {
		p->d.fold = -1;
		return 0;
	}
	if (indented && p->d.fold >= 0)
		return p->d.bad ? 0 : fold_value(p, s);
	p->d.fold = -1;
	if (s[0] == '#')
		return 0;
	if (s[0] == '[') {
		if (finish_rule(p) < 0)
			return -ENOMEM;
		parse_header(p, s, n, line);
		return 0;
	}
	if (p->d.bad) /* the rest of a broken section */
		return 0;
	return parse_key(p, s, line);
}

int logrules_parse(struct logrules *rules, const char *buf, size_t len,
		   const char *file, char *err, size_t errlen)
{
	struct parser p = { .rules = rules,
			    .file = file ? file : "-",
			    .err = err,
			    .errlen = errlen };
	const char *s = buf, *end = buf + len;
	unsigned line = 0;
	int ret = 0;

	if (err && errlen)
		err[0] = '\0';
	draft_reset(&p.d);
	while (s < end && ret == 0) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char *copy;

		line++;
		if (memchr(s, '\0', n)) {
			perr(&p, line, "NUL byte in the line");
			p.d.bad = p.d.active;
		} else if (!(copy = strndup(s, n))) {
			ret = -ENOMEM;
		} else {
			ret = parse_line(&p, copy, n, line);
			free(copy);
		}
		s += n + 1;
	}
	if (ret == 0)
		ret = finish_rule(&p);
	draft_reset(&p.d);
	return ret < 0 ? ret : p.errors;
}

void logrules_release(struct logrules *rules)
{
	if (!rules)
		return;
	for (size_t i = 0; i < rules->n; i++)
		rule_release(&rules->v[i]);
	free(rules->v);
	rules->v = NULL;
	rules->n = 0;
}
