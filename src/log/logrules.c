// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Log rules: the rules files (doc/log-rules.md) parsed into compiled
 * rules, and the rules run over the log ring into findings. This file
 * loads the files and applies the rules; logrules-parse.c parses them.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log/logrules.h"
#include "core/util.h"

#ifndef DD_PKGDATADIR
#define DD_PKGDATADIR "/usr/local/share/dockerd-doctor"
#endif

#define RULES_INSTALLED DD_PKGDATADIR "/log-rules.conf"

/*
 * data/log-rules.conf as compiled in (src/log/log-rules-builtin.c, generated
 * at build time): used when the installed file is absent, so a program run
 * from its build tree, or copied alone to a host, still has its rules.
 */
extern const char log_rules_builtin[];
#define RULES_ETC "/etc/dockerd-doctor/log-rules.conf"
#define RULES_ETC_DIR "/etc/dockerd-doctor/log-rules.d"
#define RULES_FILE_MAX (1u << 20)
/* matching lines kept as evidence: the first and the newest */
#define EVIDENCE_LINES 5
/* a capture group quoted in a summary is cut there */
#define CAPTURE_MAX 256
#define NMATCH 10

/* ---- loading ---- */

/*
 * Read a file of the tool's own (not under the sysroot). O_NONBLOCK: a
 * FIFO named by mistake must not hang the run; only regular files pass.
 */
static int read_plain(const char *path, char **ret_buf, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	int r = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto out;
	}
	buf = malloc(RULES_FILE_MAX + 1);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, RULES_FILE_MAX + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > RULES_FILE_MAX) {
			r = -EFBIG;
			goto out;
		}
	}
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return r;
}

/* Append one error text (lines) to the caller's buffer. */
static void append_err(char *err, size_t errlen, const char *more)
{
	size_t used;

	if (!err || !errlen || !more[0])
		return;
	used = strlen(err);
	if (used + 1 < errlen)
		snprintf(err + used, errlen - used, "%s%s", used ? "\n" : "",
			 more);
}

/* Parse a file under the root; a missing file is fine. */
static int load_etc(struct logrules *rules, const struct pathctx *pc,
		    const char *path, char *err, size_t errlen)
{
	char one[2048], *buf = NULL;
	size_t len = 0;
	int r;

	r = path_read_file(pc, path, RULES_FILE_MAX, &buf, &len);
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		snprintf(one, sizeof(one), "%s: cannot read: %s", path,
			 strerror(-r));
		append_err(err, errlen, one);
		return r == -ENOMEM ? r : 1;
	}
	r = logrules_parse(rules, buf, len, path, one, sizeof(one));
	free(buf);
	if (r > 0)
		append_err(err, errlen, one);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.conf files of the drop-in directory, in name order. */
static int load_dir(struct logrules *rules, const struct pathctx *pc, char *err,
		    size_t errlen)
{
	DIR *dir = path_opendir(pc, RULES_ETC_DIR);
	char **names = NULL, path[512];
	struct dirent *de;
	int errors = 0, r = 0;

	if (!dir)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	while ((de = readdir(dir))) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.' || n < 6 ||
		    strcmp(de->d_name + n - 5, ".conf") != 0)
			continue;
		if (strv_push(&names, de->d_name) < 0) {
			r = -ENOMEM;
			goto out;
		}
	}
	if (names)
		qsort(names, strv_length(names), sizeof(*names), cmp_str);
	for (size_t i = 0; names && names[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", RULES_ETC_DIR, names[i]);
		r = load_etc(rules, pc, path, err, errlen);
		if (r < 0)
			goto out;
		errors += r;
	}
	r = errors;
out:
	strv_free(names);
	closedir(dir);
	return r;
}

int logrules_load(struct logrules *rules, const struct pathctx *pc,
		  const char *override, char *err, size_t errlen)
{
	const char *main_file = override ? override : RULES_INSTALLED;
	char *buf = NULL, *one = NULL;
	size_t len = 0;
	int r, errors;

	if (err && errlen)
		err[0] = '\0';
	r = read_plain(main_file, &buf, &len);
	if (r == -ENOENT && !override) {
		buf = strdup(log_rules_builtin);
		if (!buf)
			return -ENOMEM;
		len = strlen(buf);
		main_file = "(built-in copy of " RULES_INSTALLED ")";
		r = 0;
	}
	if (r < 0) {
		if (err && errlen)
			snprintf(err, errlen,
				 "cannot read the log rules '%s': %s",
				 main_file,
				 r == -EINVAL ? "not a regular file"
					      : strerror(-r));
		return r;
	}
	one = malloc(errlen ? errlen : 1);
	if (!one) {
		free(buf);
		return -ENOMEM;
	}
	errors = logrules_parse(rules, buf, len, main_file, one,
				errlen ? errlen : 1);
	free(buf);
	if (errors > 0)
		append_err(err, errlen, one);
	free(one);
	if (errors < 0 || !pc)
		return errors;
	r = load_etc(rules, pc, RULES_ETC, err, errlen);
	if (r < 0)
		return r;
	errors += r;
	r = load_dir(rules, pc, err, errlen);
	if (r < 0 && r != -ENOMEM) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s: cannot read: %s", RULES_ETC_DIR,
			 strerror(-r));
		append_err(err, errlen, msg);
		r = 1;
	}
	return r < 0 ? r : errors + r;
}

/* ---- applying ---- */

/* A piece of text every match contains. */
struct literal {
	char s[128];
	size_t n;
};

/* Past a bracket expression starting at s ("[...]"); NULL if unclosed. */
static const char *skip_bracket(const char *s)
{
	s++;
	if (*s == '^')
		s++;
	if (*s == ']')
		s++;
	while (*s && *s != ']') {
		if (s[0] == '[' &&
		    (s[1] == ':' || s[1] == '.' || s[1] == '=')) {
			const char *e = s + 2;

			while (*e && !(e[0] == s[1] && e[1] == ']'))
				e++;
			if (!*e)
				return NULL;
			s = e + 2;
		} else {
			s++;
		}
	}
	return *s ? s + 1 : NULL;
}

/* Past a group starting at s ("(...)"); NULL if unclosed. */
static const char *skip_group(const char *s)
{
	int depth = 0;

	while (s && *s) {
		if (*s == '\\') {
			s += s[1] ? 2 : 1;
		} else if (*s == '[') {
			s = skip_bracket(s);
		} else {
			if (*s == '(')
				depth++;
			else if (*s == ')' && --depth == 0)
				return s + 1;
			s++;
		}
	}
	return NULL;
}

/* Does the pattern have a '|' outside groups and brackets? */
static bool top_level_alternation(const char *s)
{
	while (s && *s) {
		if (*s == '\\')
			s += s[1] ? 2 : 1;
		else if (*s == '[')
			s = skip_bracket(s);
		else if (*s == '(')
			s = skip_group(s);
		else if (*s++ == '|')
			return true;
	}
	return !s; /* unbalanced: no literal, to be safe */
}

static void literal_flush(struct literal *cur, struct literal *best)
{
	if (cur->n > best->n) {
		memcpy(best->s, cur->s, cur->n);
		best->s[cur->n] = '\0';
		best->n = cur->n;
	}
	cur->n = 0;
}

static void literal_add(struct literal *cur, struct literal *best, char c)
{
	if (cur->n + 1 >= sizeof(cur->s))
		literal_flush(cur, best);
	cur->s[cur->n++] = c;
}

/*
 * The longest run of plain characters at the top level of an ERE: every
 * match contains it, so a line without it is passed over before the much
 * slower regexec(). A character followed by '*', '?' or '{' is optional
 * and left out; anything unusual ends the run, which only makes the
 * literal shorter, never wrong.
 */
static void required_literal(const char *s, struct literal *best)
{
	struct literal cur = { .n = 0 };

	best->n = 0;
	best->s[0] = '\0';
	if (top_level_alternation(s))
		return;
	while (s && *s) {
		char c = *s;

		if (c == '\\' && s[1] && strchr(".[]()*+?{}|^$\\/-", s[1])) {
			literal_add(&cur, best, s[1]);
			s += 2;
		} else if (c == '*' || c == '?' || c == '{') {
			if (cur.n)
				cur.n--;
			literal_flush(&cur, best);
			s = c == '{' && strchr(s, '}') ? strchr(s, '}') + 1
						       : s + 1;
		} else if (c == '[' || c == '(') {
			literal_flush(&cur, best);
			s = c == '[' ? skip_bracket(s) : skip_group(s);
		} else if (c == '\\' || c == '.' || c == '^' || c == '$' ||
			   c == ')' || c == '+') {
			literal_flush(&cur, best);
			s += c == '\\' && s[1] ? 2 : 1;
		} else {
			literal_add(&cur, best, c);
			s++;
		}
	}
	literal_flush(&cur, best);
}

/* What one rule has seen so far. */
struct match_state {
	uint32_t sources; /* bit per ring source it reads */
	struct literal lit;
	size_t count;
	struct log_entry first;
	/* the newest matches: match k (from 1) at (k - 1) % RECENT */
#define RECENT (EVIDENCE_LINES - 1)
	struct log_entry recent[RECENT];
};

static void prepare(const struct logrule *rule, const struct logring *ring,
		    struct match_state *st)
{
	int n = logring_source_count(ring);

	if (!rule->sources) {
		st->sources = n >= 32 ? UINT32_MAX : (1u << n) - 1;
	} else {
		for (size_t i = 0; rule->sources[i]; i++) {
			int s = logring_find_source(ring, rule->sources[i]);

			if (s >= 0 && s < 32)
				st->sources |= 1u << s;
		}
	}
	required_literal(rule->pattern, &st->lit);
}

/* Does the entry count for the rule (daemon_start_us: 0 for no bound)? */
static bool rule_matches(const struct logrule *rule,
			 const struct match_state *st,
			 const struct log_entry *e, int64_t daemon_start_us)
{
	if (e->source < 0 || e->source >= 32 ||
	    !(st->sources & (1u << e->source)))
		return false;
	if (rule->min_level != LOG_LEVEL_UNKNOWN && e->level < rule->min_level)
		return false;
	if (rule->since_daemon_start && daemon_start_us > 0 &&
	    e->time_us < daemon_start_us)
		return false;
	if (st->lit.n && !(rule->icase ? strcasestr(e->line, st->lit.s)
				       : strstr(e->line, st->lit.s)))
		return false;
	if (regexec(&rule->re, e->line, 0, NULL, 0) != 0)
		return false;
	for (size_t i = 0; i < rule->n_ignore; i++)
		if (regexec(&rule->ignore[i], e->line, 0, NULL, 0) == 0)
			return false;
	return true;
}

static void record(struct match_state *st, const struct log_entry *e)
{
	if (st->count == 0)
		st->first = *e;
	st->recent[st->count % RECENT] = *e;
	st->count++;
}

/* What placeholders expand to. */
struct expansion {
	size_t count;
	int64_t first_us, last_us;
	const char *line; /* the newest match */
	regmatch_t pm[NMATCH];
};

/* A capture group, cut and with control characters replaced. */
static void put_group(FILE *out, const struct expansion *x, int g)
{
	regoff_t so = x->pm[g].rm_so, eo = x->pm[g].rm_eo;

	if (so < 0 || eo < so)
		return;
	if (eo - so > CAPTURE_MAX)
		eo = so + CAPTURE_MAX;
	for (regoff_t i = so; i < eo; i++) {
		unsigned char c = (unsigned char)x->line[i];

		fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
	}
	if (x->pm[g].rm_eo - so > CAPTURE_MAX)
		fputs("...", out);
}

/* Expand {count}, {first}, {last} and {0}..{9}; NULL on ENOMEM. */
static char *expand(const char *tpl, const struct expansion *x)
{
	char *buf = NULL, t[64];
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	if (!out)
		return NULL;
	for (const char *s = tpl; *s; s++) {
		if (*s == '{' && isdigit((unsigned char)s[1]) && s[2] == '}') {
			put_group(out, x, s[1] - '0');
			s += 2;
		} else if (startswith(s, "{count}")) {
			fprintf(out, "%zu", x->count);
			s += 6;
		} else if (startswith(s, "{first}") ||
			   startswith(s, "{last}")) {
			bool first = s[1] == 'f';

			format_time_us(first ? x->first_us : x->last_us, false,
				       t, sizeof(t));
			fputs(t, out);
			s += first ? 6 : 5;
		} else {
			fputc(*s, out);
		}
	}
	if (fclose(out) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Evidence "lineN" = "TIME SOURCE LINE". */
static void add_line(struct finding *f, const struct logring *ring, int n,
		     const struct log_entry *e)
{
	struct logring_source_stats st;
	char key[16], t[64];

	if (logring_source_stats(ring, e->source, &st) < 0)
		snprintf(st.name, sizeof(st.name), "%d", e->source);
	format_time_us(e->time_us, true, t, sizeof(t));
	snprintf(key, sizeof(key), "line%d", n);
	finding_add_evidence(f, key, "%s %s %s", t, st.name, e->line);
}

/* One finding for a rule that fired. */
static int add_finding(const struct logrule *rule, const struct match_state *st,
		       const struct logring *ring, int64_t daemon_start_us,
		       struct report *r)
{
	const struct log_entry *last = &st->recent[(st->count - 1) % RECENT];
	struct expansion x = { .count = st->count,
			       .first_us = st->first.time_us,
			       .last_us = last->time_us,
			       .line = last->line };
	char *summary, *detail = NULL, *remedy = NULL, t[64];
	size_t from = st->count > RECENT + 1 ? st->count - RECENT + 1 : 2;
	struct finding *f = NULL;
	int n = 1;

	if (regexec(&rule->re, last->line, NMATCH, x.pm, 0) != 0)
		for (int g = 0; g < NMATCH; g++)
			x.pm[g].rm_so = x.pm[g].rm_eo = -1;
	summary = expand(rule->summary, &x);
	if (rule->detail)
		detail = expand(rule->detail, &x);
	if (rule->remedy)
		remedy = expand(rule->remedy, &x);
	if (summary && (!rule->detail || detail) && (!rule->remedy || remedy))
		f = report_add(r, rule->check, rule->severity, "%s", summary);
	if (f) {
		if (detail)
			finding_set_detail(f, "%s", detail);
		if (remedy)
			finding_set_remedy(f, "%s", remedy);
		finding_add_evidence(f, "rule", "%s", rule->name);
		finding_add_evidence(f, "defined", "%s", rule->file);
		finding_add_evidence(f, "count", "%zu", st->count);
		format_time_us(st->first.time_us, true, t, sizeof(t));
		finding_add_evidence(f, "first", "%s", t);
		format_time_us(last->time_us, true, t, sizeof(t));
		finding_add_evidence(f, "last", "%s", t);
		if (rule->since_daemon_start && daemon_start_us > 0) {
			format_time_us(daemon_start_us, true, t, sizeof(t));
			finding_add_evidence(f, "daemon_started", "%s", t);
		}
		add_line(f, ring, n++, &st->first);
		if (from > 2)
			finding_add_evidence(f, "omitted", "%zu", from - 2);
		for (size_t k = from; k <= st->count; k++)
			add_line(f, ring, n++, &st->recent[(k - 1) % RECENT]);
	}
	free(summary);
	free(detail);
	free(remedy);
	return f ? 0 : -ENOMEM;
}

int logrules_apply_daemon(const struct logrules *rules,
			  const struct logring *ring, int64_t since_us,
			  int64_t daemon_start_us, struct report *r)
{
	struct match_state *st;
	struct logring_iter it;
	struct log_entry e;
	int added = 0;

	if (!rules || !rules->n || !ring)
		return 0;
	st = calloc(rules->n, sizeof(*st));
	if (!st)
		return -ENOMEM;
	for (size_t i = 0; i < rules->n; i++)
		prepare(&rules->v[i], ring, &st[i]);
	logring_iter_init(&it, ring, since_us);
	while (logring_iter_next(&it, &e))
		for (size_t i = 0; i < rules->n; i++)
			if (rule_matches(&rules->v[i], &st[i], &e,
					 daemon_start_us))
				record(&st[i], &e);
	for (size_t i = 0; i < rules->n; i++) {
		if (st[i].count == 0 || st[i].count < rules->v[i].min_count)
			continue;
		if (add_finding(&rules->v[i], &st[i], ring, daemon_start_us,
				r) < 0) {
			added = -ENOMEM;
			break;
		}
		added++;
	}
	free(st);
	return added;
}

int logrules_apply(const struct logrules *rules, const struct logring *ring,
		   int64_t since_us, struct report *r)
{
	return logrules_apply_daemon(rules, ring, since_us, 0, r);
}
