// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Log rules: the file format (folding, comments, errors naming file:line,
 * replacing and turning off rules), loading from the installed file and
 * /etc, running rules over a ring (placeholders, min-count, level, source
 * and time filters, evidence), every shipped rule against real log lines
 * and near misses, and the logs.patterns check's OOM counters on fixture
 * trees (and, on request, a real OOM kill in a real memory cgroup).
 */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/check.h"
#include "core/context.h"
#include "fixture.h"
#include "log/logrules.h"
#include "table.h"
#include "core/util.h"

#define SHIPPED TEST_SRCDIR "/data/log-rules.conf"
#define T0 1700000000000000LL /* 2023-11-14T22:13:20Z */
#define SEC 1000000LL

extern const struct check check_logs_patterns;
int logs_patterns_evaluate(struct ctx *ctx, const struct logring *ring,
			   int64_t since_us, const struct logrules *rules,
			   struct report *r);

/* ---- helpers ---- */

/* Parse text; the number of errors must be as expected. */
static void parse_ok(struct logrules *rules, const char *text, int errors,
		     char *err, size_t errlen)
{
	char local[4096];
	int n;

	if (!err) {
		err = local;
		errlen = sizeof(local);
	}
	n = logrules_parse(rules, text, strlen(text), "t.conf", err, errlen);
	cr_assert_eq(n, errors, "errors %d, want %d: %s", n, errors, err);
}

static const struct logrule *rule(const struct logrules *rules,
				  const char *name)
{
	for (size_t i = 0; i < rules->n; i++)
		if (!strcmp(rules->v[i].name, name))
			return &rules->v[i];
	return NULL;
}

/* A ring with the usual sources: dockerd 0, containerd 1, kernel 2. */
static struct logring *ring_std(void)
{
	struct logring_config cfg = { .max_bytes = 1 << 20, .max_lines = 4096 };
	struct logring *ring = logring_new(&cfg);

	cr_assert_not_null(ring);
	cr_assert_eq(logring_add_source(ring, "dockerd", 4), 0);
	cr_assert_eq(logring_add_source(ring, "containerd", 2), 1);
	cr_assert_eq(logring_add_source(ring, "kernel", 2), 2);
	return ring;
}

static void ring_line(struct logring *ring, const char *src, int64_t t,
		      enum log_level level, const char *line)
{
	int s = logring_find_source(ring, src);

	cr_assert_geq(s, 0, "no source %s", src);
	cr_assert_eq(logring_add(ring, s, t, level, line, strlen(line)), 0);
}

/* The shipped rules, parsed from the source tree. */
static void load_shipped(struct logrules *rules)
{
	char err[4096];
	int n;

	memset(rules, 0, sizeof(*rules));
	n = logrules_load(rules, NULL, SHIPPED, err, sizeof(err));
	cr_assert_eq(n, 0, "%s", err);
}

/* Findings of a check id. */
static const struct finding *by_check(const struct report *r, const char *check)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (!strcmp(r->findings[i].check, check))
			return &r->findings[i];
	return NULL;
}

static size_t count_check(const struct report *r, const char *check)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_findings; i++)
		n += !strcmp(r->findings[i].check, check);
	return n;
}

/* Apply rules text to a ring; the report for inspection. */
static struct report *apply_text(const char *text, struct logring *ring,
				 int64_t since)
{
	struct logrules rules = { 0 };
	struct report *r = report_new();

	parse_ok(&rules, text, 0, NULL, 0);
	cr_assert_geq(logrules_apply(&rules, ring, since, r), 0);
	logrules_release(&rules);
	return r;
}

/* ---- the format ---- */

Test(parse, minimal_rule_and_defaults)
{
	struct logrules rules = { 0 };
	const struct logrule *r;

	parse_ok(&rules, "[rule x]\npattern = foo\nsummary = s\n", 0, NULL, 0);
	cr_assert_eq(rules.n, 1);
	r = rule(&rules, "x");
	cr_assert_str_eq(r->check, "logs.x");
	cr_assert_null(r->sources);
	cr_assert_eq(r->min_level, LOG_LEVEL_UNKNOWN);
	cr_assert_eq(r->min_count, 1);
	cr_assert_eq(r->severity, SEV_WARNING);
	cr_assert_not(r->icase);
	cr_assert_null(r->detail);
	cr_assert_null(r->remedy);
	cr_assert_str_eq(r->file, "t.conf:1");
	logrules_release(&rules);
}

Test(parse, every_key)
{
	struct logrules rules = { 0 };
	const struct logrule *r;

	parse_ok(&rules,
		 "# a comment\n\n"
		 "[rule oom-x]\n"
		 "check = memory.oom\n"
		 "source = kernel, dockerd\n"
		 "level = warn\n"
		 "pattern = Killed process ([0-9]+)\n"
		 "icase = yes\n"
		 "min-count = 3\n"
		 "severity = critical\n"
		 "summary = killed {1}\n"
		 "detail = d\n"
		 "remedy = r\n"
		 "enabled = yes\n",
		 0, NULL, 0);
	r = rule(&rules, "oom-x");
	cr_assert_not_null(r);
	cr_assert_str_eq(r->check, "memory.oom");
	cr_assert_eq(strv_length(r->sources), 2);
	cr_assert_str_eq(r->sources[0], "kernel");
	cr_assert_str_eq(r->sources[1], "dockerd");
	cr_assert_eq(r->min_level, LOG_LEVEL_WARNING);
	cr_assert(r->icase);
	cr_assert_eq(r->min_count, 3);
	cr_assert_eq(r->severity, SEV_CRITICAL);
	cr_assert_str_eq(r->pattern, "Killed process ([0-9]+)");
	cr_assert_str_eq(r->detail, "d");
	cr_assert_str_eq(r->remedy, "r");
	cr_assert_str_eq(r->file, "t.conf:3");
	logrules_release(&rules);
}

Test(parse, folding_joins_with_one_space_and_patterns_without)
{
	struct logrules rules = { 0 };
	const struct logrule *r;

	parse_ok(&rules,
		 "[rule f]\n"
		 "pattern = abc\n"
		 "  (def|ghi)\n"
		 "summary = first\n"
		 "\tsecond   \n"
		 "    third\n"
		 "remedy = one\n"
		 "  # not a comment here\n",
		 0, NULL, 0);
	r = rule(&rules, "f");
	cr_assert_str_eq(r->pattern, "abc(def|ghi)");
	cr_assert_str_eq(r->summary, "first second third");
	cr_assert_str_eq(r->remedy, "one # not a comment here");
	logrules_release(&rules);
}

Test(parse, comments_blank_lines_and_crlf)
{
	struct logrules rules = { 0 };

	parse_ok(&rules,
		 "# top\r\n"
		 "   # indented comment outside a value\r\n"
		 "\r\n"
		 "[rule a]\r\n"
		 "# inside\r\n"
		 "pattern = x$\r\n"
		 "summary = s\r\n",
		 0, NULL, 0);
	cr_assert_str_eq(rule(&rules, "a")->pattern, "x$");
	cr_assert_str_eq(rule(&rules, "a")->summary, "s");
	logrules_release(&rules);
}

Test(parse, unknown_key_skips_the_rule_and_names_the_line)
{
	struct logrules rules = { 0 };
	char err[512];

	parse_ok(&rules,
		 "[rule a]\npattern = x\nsumary = typo\nsummary = s\n"
		 "[rule b]\npattern = y\nsummary = s\n",
		 1, err, sizeof(err));
	cr_assert_str_eq(err, "t.conf:3: unknown key 'sumary' in rule 'a'");
	cr_assert_null(rule(&rules, "a"));
	cr_assert_not_null(rule(&rules, "b"));
	logrules_release(&rules);
}

Test(parse, bad_regex_names_the_pattern_line)
{
	struct logrules rules = { 0 };
	char err[512];

	parse_ok(&rules,
		 "[rule a]\nsummary = s\n\npattern = (unclosed\n"
		 "[rule b]\npattern = ok\nsummary = s\n",
		 1, err, sizeof(err));
	cr_assert(startswith(err, "t.conf:4: bad pattern '(unclosed': "), "%s",
		  err);
	cr_assert_eq(rules.n, 1);
	cr_assert_not_null(rule(&rules, "b"));
	logrules_release(&rules);
}

Test(parse, duplicate_names_replace_in_place)
{
	struct logrules rules = { 0 };

	parse_ok(&rules,
		 "[rule a]\npattern = one\nsummary = s\n"
		 "[rule b]\npattern = b\nsummary = s\n"
		 "[rule a]\npattern = two\nsummary = s\n",
		 0, NULL, 0);
	cr_assert_eq(rules.n, 2);
	cr_assert_str_eq(rules.v[0].name, "a");
	cr_assert_str_eq(rules.v[0].pattern, "two");
	cr_assert_str_eq(rules.v[0].file, "t.conf:7");
	logrules_release(&rules);
}

Test(parse, enabled_no_removes_an_earlier_rule)
{
	struct logrules rules = { 0 };
	char err[256];

	parse_ok(&rules,
		 "[rule a]\npattern = x\nsummary = s\n"
		 "[rule b]\npattern = y\nsummary = s\n",
		 0, NULL, 0);
	/* a later file: only the header and enabled = no */
	cr_assert_eq(logrules_parse(&rules, "[rule a]\nenabled = no\n", 22,
				    "etc.conf", err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(rules.n, 1);
	cr_assert_str_eq(rules.v[0].name, "b");
	/* turning off one that does not exist is fine */
	parse_ok(&rules, "[rule zzz]\nenabled = false\n", 0, NULL, 0);
	cr_assert_eq(rules.n, 1);
	logrules_release(&rules);
}

Test(parse, a_broken_override_keeps_the_earlier_rule)
{
	struct logrules rules = { 0 };
	char err[256];

	parse_ok(&rules, "[rule a]\npattern = good\nsummary = s\n", 0, NULL, 0);
	parse_ok(&rules, "[rule a]\npattern = [bad\nsummary = s\n", 1, err,
		 sizeof(err));
	cr_assert_str_eq(rule(&rules, "a")->pattern, "good");
	logrules_release(&rules);
}

Test(parse, bad_values)
{
	static const struct {
		const char *line;
		const char *msg;
	} cases[] = {
		{ "severity = ok",
		  "severity 'ok' is not info, warning or critical" },
		{ "severity = unknown", "severity 'unknown' is not info" },
		{ "severity = loud", "severity 'loud' is not" },
		{ "level = verbose", "level 'verbose' is not one of" },
		{ "min-count = 0", "min-count '0' is not a number from 1" },
		{ "min-count = many", "min-count 'many' is not a number" },
		{ "icase = maybe", "icase 'maybe' is not yes or no" },
		{ "enabled = off-ish", "enabled 'off-ish' is not yes or no" },
		{ "check = Logs.X", "check 'Logs.X' is not a dotted id" },
		{ "source = kernel, ,dockerd", "bad source name ''" },
		{ "source = a-source-name-that-is-far-too-long-for-the-ring",
		  "bad source name" },
		{ "summary2 = x", "unknown key 'summary2'" },
		{ "no equals sign", "expected 'key = value'" },
		{ "pattern = again", "'pattern' is set twice" },
	};

	for (size_t i = 0; i < TABLE_SIZE(cases); i++) {
		struct logrules rules = { 0 };
		char text[512], err[512];

		snprintf(text, sizeof(text),
			 "[rule a]\npattern = x\nsummary = s\n%s\n",
			 cases[i].line);
		parse_ok(&rules, text, 1, err, sizeof(err));
		cr_assert(startswith(err, "t.conf:"), "%s", err);
		cr_assert_not_null(strstr(err, cases[i].msg), "%s: got '%s'",
				   cases[i].line, err);
		cr_assert_eq(rules.n, 0, "%s", cases[i].line);
		logrules_release(&rules);
	}
}

Test(parse, missing_pattern_or_summary_names_the_header)
{
	struct logrules rules = { 0 };
	char err[512];

	parse_ok(&rules, "\n[rule a]\nsummary = s\n\n[rule b]\npattern = x\n",
		 2, err, sizeof(err));
	cr_assert_str_eq(err, "t.conf:2: rule 'a' has no pattern\n"
			      "t.conf:5: rule 'b' has no summary");
	cr_assert_eq(rules.n, 0);
	logrules_release(&rules);
}

Test(parse, headers_and_names)
{
	struct logrules rules = { 0 };
	char err[1024];

	/* one error per broken section; its keys are not reported again */
	parse_ok(&rules,
		 "pattern = outside\n"
		 "[rules a]\npattern = x\nbogus = 1\n"
		 "[rule Bad Name]\npattern = x\n"
		 "[rule]\n"
		 "[rule ok.one_2]\npattern = x\nsummary = s\n",
		 4, err, sizeof(err));
	cr_assert_not_null(strstr(err, "t.conf:1: 'pattern' is outside"), "%s",
			   err);
	cr_assert_not_null(strstr(err, "t.conf:2: expected '[rule NAME]'"));
	cr_assert_not_null(strstr(err, "t.conf:5: rule name 'Bad Name'"));
	cr_assert_not_null(strstr(err, "t.conf:7: expected '[rule NAME]'"));
	cr_assert_eq(rules.n, 1);
	cr_assert_str_eq(rules.v[0].check, "logs.ok.one_2");
	logrules_release(&rules);
}

Test(parse, placeholders_must_name_existing_groups)
{
	struct logrules rules = { 0 };
	char err[512];

	parse_ok(&rules,
		 "[rule a]\npattern = (x)(y)\nsummary = {1} {2}\n"
		 "remedy = see {3}\n",
		 1, err, sizeof(err));
	cr_assert_str_eq(
		err, "t.conf:4: remedy uses {3} but the pattern has 2 groups");
	/* Go templates and shell braces are left alone */
	parse_ok(&rules,
		 "[rule b]\npattern = x\nsummary = {count} {0} {first}\n"
		 "remedy = docker inspect -f '{{.State.OOMKilled}}' ${X}\n",
		 0, NULL, 0);
	logrules_release(&rules);
}

Test(parse, nul_byte_and_length_bound)
{
	struct logrules rules = { 0 };
	static const char text[] = "[rule a]\npattern = x\nsum\0mary = s\n";
	char err[256];

	cr_assert_eq(logrules_parse(&rules, text, sizeof(text) - 1, "n.conf",
				    err, sizeof(err)),
		     1);
	cr_assert_str_eq(err, "n.conf:3: NUL byte in the line");
	cr_assert_eq(rules.n, 0);
	/* only len bytes are read: the rest of the buffer is not a rule */
	cr_assert_eq(logrules_parse(&rules,
				    "[rule b]\npattern = y\nsummary = s\n"
				    "[rule c]\n",
				    33, "n.conf", err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(rules.n, 1);
	logrules_release(&rules);
}

Test(parse, errors_accumulate_one_per_line_and_small_buffers_stay_terminated)
{
	struct logrules rules = { 0 };
	const char *text = "[rule a]\npattern = (\nsummary = s\n"
			   "[rule b]\npattern = )(\nsummary = s\n"
			   "[rule c]\nseverity = x\npattern = x\nsummary = s\n";
	char err[512], tiny[12];

	parse_ok(&rules, text, 3, err, sizeof(err));
	cr_assert_eq(strchr(strchr(err, '\n') + 1, '\n') != NULL, true, "%s",
		     err);
	cr_assert_eq(logrules_parse(&rules, text, strlen(text), "t.conf", tiny,
				    sizeof(tiny)),
		     3);
	cr_assert_lt(strlen(tiny), sizeof(tiny));
	cr_assert_eq(logrules_parse(&rules, text, strlen(text), "t.conf", NULL,
				    0),
		     3);
	logrules_release(&rules);
}

/* ---- loading ---- */

static struct fixture fx;

static void fx_setup(void)
{
	fixture_init(&fx);
}

static void fx_teardown(void)
{
	fixture_release(&fx);
}

TestSuite(load, .init = fx_setup, .fini = fx_teardown);

Test(load, override_then_etc_then_dropins_in_name_order)
{
	struct logrules rules = { 0 };
	struct pathctx pc;
	char main_file[300], err[1024];

	snprintf(main_file, sizeof(main_file), "%s/main.conf", fx.root);
	fixture_write(&fx, "/main.conf",
		      "[rule a]\npattern = a\nsummary = s\n"
		      "[rule b]\npattern = b\nsummary = s\n"
		      "[rule c]\npattern = c\nsummary = s\n",
		      -1);
	fixture_write(&fx, "/etc/dockerd-doctor/log-rules.conf",
		      "[rule a]\npattern = a-etc\nsummary = s\n", -1);
	fixture_write(&fx, "/etc/dockerd-doctor/log-rules.d/20-late.conf",
		      "[rule b]\npattern = b-20\nsummary = s\n", -1);
	fixture_write(&fx, "/etc/dockerd-doctor/log-rules.d/10-early.conf",
		      "[rule b]\npattern = b-10\nsummary = s\n"
		      "[rule c]\nenabled = no\n",
		      -1);
	fixture_write(&fx, "/etc/dockerd-doctor/log-rules.d/99.conf.bak",
		      "[rule a]\nenabled = no\n", -1);
	fixture_write(&fx, "/etc/dockerd-doctor/log-rules.d/.hidden.conf",
		      "[rule a]\nenabled = no\n", -1);
	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(logrules_load(&rules, &pc, main_file, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_eq(rules.n, 2);
	cr_assert_str_eq(rule(&rules, "a")->pattern, "a-etc");
	cr_assert_str_eq(rule(&rules, "a")->file,
			 "/etc/dockerd-doctor/log-rules.conf:1");
	cr_assert_str_eq(rule(&rules, "b")->pattern, "b-20");
	cr_assert_null(rule(&rules, "c"));
	logrules_release(&rules);
	pathctx_release(&pc);
}

Test(load, errors_in_etc_files_are_counted_and_named)
{
	struct logrules rules = { 0 };
	struct pathctx pc;
	char main_file[300], err[1024];

	snprintf(main_file, sizeof(main_file), "%s/main.conf", fx.root);
	fixture_write(&fx, "/main.conf", "[rule a]\npattern = a\nsummary = s\n",
		      -1);
	fixture_write(&fx, "/etc/dockerd-doctor/log-rules.conf",
		      "[rule a]\npattern = (\nsummary = s\n", -1);
	fixture_write(&fx, "/etc/dockerd-doctor/log-rules.d/x.conf",
		      "[rule z]\nwhat = 1\n", -1);
	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(logrules_load(&rules, &pc, main_file, err, sizeof(err)), 2,
		     "%s", err);
	cr_assert(
		startswith(err,
			   "/etc/dockerd-doctor/log-rules.conf:2: bad pattern"),
		"%s", err);
	cr_assert_not_null(strstr(
		err,
		"\n/etc/dockerd-doctor/log-rules.d/x.conf:2: unknown key 'what'"));
	cr_assert_str_eq(rule(&rules, "a")->pattern, "a");
	logrules_release(&rules);
	pathctx_release(&pc);
}

Test(load, missing_main_file_is_an_error_naming_it)
{
	struct logrules rules = { 0 };
	struct pathctx pc;
	char err[512];

	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(logrules_load(&rules, &pc, "/nonexistent/rules.conf", err,
				   sizeof(err)),
		     -ENOENT);
	cr_assert_str_eq(
		err,
		"cannot read the log rules '/nonexistent/rules.conf': No such file or directory");
	cr_assert_eq(logrules_load(&rules, &pc, fx.root, err, sizeof(err)),
		     -EISDIR);
	cr_assert_eq(rules.n, 0);
	pathctx_release(&pc);
}

Test(load, a_fifo_is_refused_without_waiting, .timeout = 5)
{
	struct logrules rules = { 0 };
	char path[300], err[512];

	snprintf(path, sizeof(path), "%s/rules.fifo", fx.root);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_eq(logrules_load(&rules, NULL, path, err, sizeof(err)),
		     -EINVAL);
	cr_assert(strstr(err, "rules.fifo': not a regular file"), "%s", err);
}

Test(load, the_doc_lists_every_shipped_rule)
{
	FILE *fp = fopen(TEST_SRCDIR "/doc/log-rules.md", "r");
	static char doc[1 << 16];
	struct logrules rules;
	size_t n;

	cr_assert_not_null(fp);
	n = fread(doc, 1, sizeof(doc) - 1, fp);
	fclose(fp);
	doc[n] = '\0';
	load_shipped(&rules);
	for (size_t i = 0; i < rules.n; i++) {
		char row[128];

		snprintf(row, sizeof(row), "| `%s` | ", rules.v[i].name);
		cr_assert_not_null(strstr(doc, row),
				   "doc/log-rules.md has no row for %s",
				   rules.v[i].name);
	}
	logrules_release(&rules);
}

Test(load, shipped_rules_all_parse)
{
	static const char *const names[] = {
		"oom-daemon",	     "oom-shim",	 "oom-container",
		"netdev-unregister", "conntrack-full",	 "dns-fallback",
		"pull-unreachable",  "seccomp-kill",	 "hung-task",
		"no-space",	     "daemon-errors",	 "daemon-fatal",
		"containerd-errors", "containerd-fatal", "daemon-panic",
	};
	struct logrules rules;
	FILE *fp = fopen(SHIPPED, "r");
	char line[1024];
	size_t headers = 0;

	cr_assert_not_null(fp, "%s: %s", SHIPPED, strerror(errno));
	while (fgets(line, sizeof(line), fp))
		headers += startswith(line, "[rule ");
	fclose(fp);
	load_shipped(&rules);
	cr_assert_eq(rules.n, headers, "%zu of %zu rules", rules.n, headers);
	cr_assert_eq(rules.n, TABLE_SIZE(names));
	for (size_t i = 0; i < TABLE_SIZE(names); i++) {
		const struct logrule *r = rule(&rules, names[i]);

		cr_assert_not_null(r, "%s", names[i]);
		cr_assert_not_null(r->remedy, "%s has no remedy", names[i]);
		cr_assert_not_null(r->sources, "%s reads every source",
				   names[i]);
		cr_assert_neq(r->severity, SEV_INFO, "%s", names[i]);
	}
	logrules_release(&rules);
}

/* ---- running rules over a ring ---- */

Test(apply, placeholders)
{
	struct logring *ring = ring_std();
	const struct finding *f;
	struct report *r;

	ring_line(ring, "kernel", T0, LOG_LEVEL_ERROR, "task a:1 died");
	ring_line(ring, "kernel", T0 + 61 * SEC, LOG_LEVEL_ERROR,
		  "task b:22 died");
	r = apply_text(
		"[rule p]\nsource = kernel\n"
		"pattern = task ([a-z]+):([0-9]+) (died|(lived))\n"
		"summary = {1}/{2} {count}x {first}..{last} [{0}] <{4}>\n"
		"detail = pid {2}\nremedy = kill {1} {{.X}}\n",
		ring, 0);
	f = by_check(r, "logs.p");
	cr_assert_not_null(f);
	cr_assert_str_eq(
		f->summary,
		"b/22 2x 2023-11-14T22:13:20Z..2023-11-14T22:14:21Z [task b:22 died] <>");
	cr_assert_str_eq(f->detail, "pid 22");
	cr_assert_str_eq(f->remedy, "kill b {{.X}}");
	cr_assert_str_eq(test_evidence(f, "count"), "2");
	cr_assert_str_eq(test_evidence(f, "first"),
			 "2023-11-14T22:13:20.000000Z");
	cr_assert_str_eq(test_evidence(f, "rule"), "p");
	cr_assert_str_eq(test_evidence(f, "defined"), "t.conf:1");
	cr_assert_str_eq(test_evidence(f, "line1"),
			 "2023-11-14T22:13:20.000000Z kernel task a:1 died");
	report_free(r);
	logring_free(ring);
}

Test(apply, long_captures_are_cut_and_control_characters_replaced)
{
	struct logring *ring = ring_std();
	char line[600];
	struct report *r;
	const char *s;

	memset(line, 'x', sizeof(line));
	memcpy(line, "val=", 4);
	line[10] = '\t';
	line[sizeof(line) - 1] = '\0';
	ring_line(ring, "dockerd", T0, LOG_LEVEL_INFO, line);
	r = apply_text("[rule c]\npattern = val=(.*)\nsummary = <{1}>\n", ring,
		       0);
	s = by_check(r, "logs.c")->summary;
	cr_assert_eq(strlen(s), 1 + 256 + 3 + 1, "%s", s);
	cr_assert_eq(s[7], '?');
	cr_assert(strstr(s, "x...>"));
	report_free(r);
	logring_free(ring);
}

Test(apply, min_count)
{
	struct logring *ring = ring_std();
	const char *rules = "[rule m]\npattern = boom\nmin-count = 3\n"
			    "summary = {count}\n";
	struct report *r;

	ring_line(ring, "dockerd", T0, LOG_LEVEL_INFO, "boom 1");
	ring_line(ring, "dockerd", T0 + 1, LOG_LEVEL_INFO, "boom 2");
	r = apply_text(rules, ring, 0);
	cr_assert_eq(r->n_findings, 0);
	report_free(r);
	ring_line(ring, "dockerd", T0 + 2, LOG_LEVEL_INFO, "boom 3");
	r = apply_text(rules, ring, 0);
	cr_assert_eq(r->n_findings, 1);
	cr_assert_str_eq(r->findings[0].summary, "3");
	report_free(r);
	logring_free(ring);
}

Test(apply, level_filter)
{
	struct logring *ring = ring_std();
	struct report *r;

	ring_line(ring, "dockerd", T0, LOG_LEVEL_UNKNOWN, "err a");
	ring_line(ring, "dockerd", T0 + 1, LOG_LEVEL_WARNING, "err b");
	ring_line(ring, "dockerd", T0 + 2, LOG_LEVEL_ERROR, "err c");
	ring_line(ring, "dockerd", T0 + 3, LOG_LEVEL_FATAL, "err d");
	r = apply_text("[rule l]\nlevel = error\npattern = err\n"
		       "summary = {count}\n[rule any]\nlevel = any\n"
		       "pattern = err\nsummary = {count}\n",
		       ring, 0);
	cr_assert_str_eq(by_check(r, "logs.l")->summary, "2");
	cr_assert_str_eq(test_evidence(by_check(r, "logs.l"), "line1") + 28,
			 "dockerd err c");
	cr_assert_str_eq(by_check(r, "logs.any")->summary, "4");
	report_free(r);
	logring_free(ring);
}

Test(apply, source_filter)
{
	struct logring *ring = ring_std();
	struct report *r;

	ring_line(ring, "dockerd", T0, LOG_LEVEL_INFO, "same text");
	ring_line(ring, "containerd", T0 + 1, LOG_LEVEL_INFO, "same text");
	ring_line(ring, "kernel", T0 + 2, LOG_LEVEL_INFO, "same text");
	r = apply_text("[rule k]\nsource = kernel\npattern = same\n"
		       "summary = {count}\n"
		       "[rule two]\nsource = dockerd,containerd\n"
		       "pattern = same\nsummary = {count}\n"
		       "[rule none]\nsource = journal-of-nothing\n"
		       "pattern = same\nsummary = {count}\n",
		       ring, 0);
	cr_assert_str_eq(by_check(r, "logs.k")->summary, "1");
	cr_assert_str_eq(by_check(r, "logs.two")->summary, "2");
	cr_assert_null(by_check(r, "logs.none"));
	report_free(r);
	logring_free(ring);
}

Test(apply, since_filter)
{
	struct logring *ring = ring_std();
	struct report *r;

	ring_line(ring, "kernel", T0, LOG_LEVEL_INFO, "old event");
	ring_line(ring, "kernel", T0 + 600 * SEC, LOG_LEVEL_INFO, "new event");
	r = apply_text("[rule s]\npattern = event\nsummary = {count} {first}\n",
		       ring, T0 + SEC);
	cr_assert_str_eq(by_check(r, "logs.s")->summary,
			 "1 2023-11-14T22:23:20Z");
	report_free(r);
	logring_free(ring);
}

Test(apply, evidence_keeps_the_first_and_the_newest_four)
{
	struct logring *ring = ring_std();
	const struct finding *f;
	struct report *r;
	char line[32];

	for (int i = 1; i <= 8; i++) {
		snprintf(line, sizeof(line), "hit %d", i);
		ring_line(ring, "kernel", T0 + i * SEC, LOG_LEVEL_INFO, line);
	}
	r = apply_text("[rule e]\npattern = hit\nsummary = s\n", ring, 0);
	f = by_check(r, "logs.e");
	cr_assert_str_eq(test_evidence(f, "count"), "8");
	cr_assert_str_eq(test_evidence(f, "omitted"), "3");
	cr_assert(strstr(test_evidence(f, "line1"), "kernel hit 1"));
	cr_assert(strstr(test_evidence(f, "line2"), "kernel hit 5"));
	cr_assert(strstr(test_evidence(f, "line5"), "kernel hit 8"));
	cr_assert_null(test_evidence(f, "line6"));
	cr_assert_str_eq(test_evidence(f, "last"),
			 "2023-11-14T22:13:28.000000Z");
	report_free(r);
	logring_free(ring);
}

Test(apply, evidence_of_few_matches_has_each_once_in_order)
{
	struct logring *ring = ring_std();
	const struct finding *f;
	struct report *r;

	ring_line(ring, "kernel", T0, LOG_LEVEL_INFO, "hit a");
	ring_line(ring, "kernel", T0 + 1, LOG_LEVEL_INFO, "miss");
	ring_line(ring, "kernel", T0 + 2, LOG_LEVEL_INFO, "hit b");
	ring_line(ring, "kernel", T0 + 3, LOG_LEVEL_INFO, "hit c");
	r = apply_text("[rule e]\npattern = hit\nsummary = s\n", ring, 0);
	f = by_check(r, "logs.e");
	cr_assert(strstr(test_evidence(f, "line1"), "hit a"));
	cr_assert(strstr(test_evidence(f, "line2"), "hit b"));
	cr_assert(strstr(test_evidence(f, "line3"), "hit c"));
	cr_assert_null(test_evidence(f, "line4"));
	cr_assert_null(test_evidence(f, "omitted"));
	report_free(r);
	logring_free(ring);
}

Test(apply, icase)
{
	struct logring *ring = ring_std();
	struct report *r;

	ring_line(ring, "dockerd", T0, LOG_LEVEL_INFO, "No Space Left");
	r = apply_text("[rule i]\nicase = yes\npattern = no space left\n"
		       "summary = s\n"
		       "[rule c]\npattern = no space left\nsummary = s\n",
		       ring, 0);
	cr_assert_not_null(by_check(r, "logs.i"));
	cr_assert_null(by_check(r, "logs.c"));
	report_free(r);
	logring_free(ring);
}

Test(apply, no_rules_or_no_ring_adds_nothing)
{
	struct logrules rules = { 0 };
	struct logring *ring = ring_std();
	struct report *r = report_new();

	cr_assert_eq(logrules_apply(&rules, ring, 0, r), 0);
	parse_ok(&rules, "[rule a]\npattern = x\nsummary = s\n", 0, NULL, 0);
	cr_assert_eq(logrules_apply(&rules, NULL, 0, r), 0);
	cr_assert_eq(logrules_apply(&rules, ring, 0, r), 0);
	cr_assert_eq(r->n_findings, 0);
	logrules_release(&rules);
	logrules_release(&rules); /* twice is fine */
	report_free(r);
	logring_free(ring);
}

/*
 * The quick literal test before regexec() must never hide a match: each
 * pattern against a line it matches (and one it does not).
 */
static const struct {
	const char *pattern, *hit, *miss;
} literal_cases[] = {
	{ "colou?r", "the color red", "the colr" },
	{ "ab*c", "xacx", "abd" },
	{ "x+y", "axxyb", "ay" },
	{ "(foo|bar)baz", "barbaz", "bazbar" },
	{ "top|level", "level up", "neither" },
	{ "\\.conf$", "a.conf", "aconf" },
	{ "a{0,2}bc", "bc", "b c" },
	{ "[[:digit:]]+ms", "took 12ms", "took ms" },
	{ "ab\\]cd", "ab]cd", "abcd" },
	{ "(a(b)c)d*e", "abce", "abde" },
	{ "^start", "start here", "not start" },
	{ "dockerd\\[[0-9]+\\]: panic", "dockerd[12]: panic",
	  "dockerd: panic" },
	{ "x[]y]z", "x]z", "xz" },
	{ "lit.ral", "lit ral", "litral" },
};

ParameterizedTestParameters(apply, literal_prefilter)
{
	TABLE_PARAMS(literal_cases);
}

ParameterizedTest(size_t *i, apply, literal_prefilter)
{
	struct logring *ring = ring_std();
	struct report *r;
	char text[256];

	snprintf(text, sizeof(text), "[rule l]\npattern = %s\nsummary = {0}\n",
		 literal_cases[*i].pattern);
	ring_line(ring, "dockerd", T0, LOG_LEVEL_INFO, literal_cases[*i].miss);
	ring_line(ring, "dockerd", T0 + 1, LOG_LEVEL_INFO,
		  literal_cases[*i].hit);
	r = apply_text(text, ring, 0);
	cr_assert_eq(r->n_findings, 1, "%s", literal_cases[*i].pattern);
	cr_assert_str_eq(test_evidence(&r->findings[0], "count"), "1", "%s",
			 literal_cases[*i].pattern);
	report_free(r);
	logring_free(ring);
}

/* ---- the shipped rules on real lines ---- */

#define CID "3f4e1a2b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f"

static const struct sample {
	const char *rule; /* the rule that must (or must not) fire */
	const char *source;
	enum log_level level;
	int repeat; /* the line this many times (0: once) */
	const char *line;
	bool fires;
	const char *summary; /* a piece of the summary, when it fires */
} samples[] = {
	/* OOM kills of the daemons: kernel >= 5.1, memcg, and old kernels */
	{ "oom-daemon", "kernel", LOG_LEVEL_ERROR, 0,
	  "Out of memory: Killed process 1234 (dockerd) total-vm:1723400kB, anon-rss:512000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1500kB oom_score_adj:-500",
	  true, "killed dockerd (pid 1234)" },
	{ "oom-daemon", "kernel", LOG_LEVEL_ERROR, 0,
	  "Memory cgroup out of memory: Killed process 812 (containerd) total-vm:2012400kB, anon-rss:80000kB, file-rss:30000kB, shmem-rss:0kB, UID:0 pgtables:600kB oom_score_adj:-999",
	  true, "killed containerd (pid 812)" },
	{ "oom-daemon", "kernel", LOG_LEVEL_ERROR, 0,
	  "Killed process 1234 (dockerd) total-vm:1723400kB, anon-rss:512000kB, file-rss:0kB, shmem-rss:0kB",
	  true, "(pid 1234)" },
	{ "oom-daemon", "kernel", LOG_LEVEL_ERROR, 0,
	  "Killed process 999 (docker-containe) total-vm:300000kB, anon-rss:20000kB, file-rss:0kB",
	  true, "docker-containe" },
	/* the old selection line: the kill line follows (or a child dies) */
	{ "oom-daemon", "kernel", LOG_LEVEL_ERROR, 0,
	  "Out of memory: Kill process 1234 (dockerd) score 1 or sacrifice child",
	  false, NULL },
	/* the one-line summary: the kill line of the same kill counts */
	{ "oom-daemon", "kernel", LOG_LEVEL_INFO, 0,
	  "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/docker.service,task=dockerd,pid=1234,uid=0",
	  false, NULL },
	{ "oom-daemon", "kernel", LOG_LEVEL_ERROR, 0,
	  "Out of memory: Killed process 4321 (java) total-vm:8000000kB, anon-rss:6000000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:12000kB oom_score_adj:0",
	  false, NULL },
	{ "oom-daemon", "kernel", LOG_LEVEL_INFO, 0,
	  "oom_reaper: reaped process 1234 (dockerd), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
	  false, NULL },
	{ "oom-daemon", "kernel", LOG_LEVEL_ERROR, 0,
	  "Out of memory: Killed process 2222 (containerd-shim) total-vm:712000kB, anon-rss:9000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:100kB oom_score_adj:-998",
	  false, NULL },
	{ "oom-daemon", "dockerd", LOG_LEVEL_ERROR, 0,
	  "Killed process 1234 (dockerd) total-vm:1kB", false, NULL },
	{ "oom-shim", "kernel", LOG_LEVEL_ERROR, 0,
	  "Out of memory: Killed process 2222 (containerd-shim) total-vm:712000kB, anon-rss:9000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:100kB oom_score_adj:-998",
	  true, "killed containerd-shim (pid 2222)" },
	{ "oom-shim", "kernel", LOG_LEVEL_ERROR, 0,
	  "Killed process 3333 (docker-proxy) total-vm:1100000kB, anon-rss:4000kB, file-rss:0kB",
	  true, "docker-proxy" },
	/* OOM kills inside containers: systemd and cgroupfs drivers, old kernels */
	{ "oom-container", "kernel", LOG_LEVEL_INFO, 0,
	  "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=docker-" CID
	  ".scope,mems_allowed=0,oom_memcg=/system.slice/docker-" CID
	  ".scope,task_memcg=/system.slice/docker-" CID
	  ".scope,task=python3,pid=4321,uid=0",
	  true, "in container 3f4e1a2b5c6d at" },
	{ "oom-container", "kernel", LOG_LEVEL_INFO, 0,
	  "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/docker/" CID
	  ",task=node,pid=777,uid=1000",
	  true, "container 3f4e1a2b5c6d" },
	{ "oom-container", "kernel", LOG_LEVEL_INFO, 0,
	  "Task in /docker/" CID " killed as a result of limit of /docker/" CID,
	  true, "container 3f4e1a2b5c6d" },
	{ "oom-container", "kernel", LOG_LEVEL_INFO, 0,
	  "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods/burstable/pod0a1b,task_memcg=/kubepods/burstable/pod0a1b/" CID
	  ",task=java,pid=1,uid=0",
	  false, NULL },
	{ "oom-container", "kernel", LOG_LEVEL_INFO, 0,
	  "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/docker.service,task=dockerd,pid=1234,uid=0",
	  false, NULL },
	/* a leaked reference to a removed namespace's device */
	{ "netdev-unregister", "kernel", LOG_LEVEL_FATAL, 0,
	  "unregister_netdevice: waiting for eth0 to become free. Usage count = 1",
	  true, "waiting for eth0 to become free (usage count 1)" },
	{ "netdev-unregister", "kernel", LOG_LEVEL_FATAL, 3,
	  "unregister_netdevice: waiting for lo to become free. Usage count = 2",
	  true, "(3 message(s) since" },
	{ "netdev-unregister", "kernel", LOG_LEVEL_INFO, 0,
	  "IPv6: ADDRCONF(NETDEV_CHANGE): veth1a2b3c4: link becomes ready",
	  false, NULL },
	{ "netdev-unregister", "dockerd", LOG_LEVEL_INFO, 0,
	  "unregister_netdevice: waiting for eth0 to become free. Usage count = 1",
	  false, NULL },
	/* seccomp kills of Docker's processes */
	{ "seccomp-kill", "kernel", LOG_LEVEL_WARNING, 0,
	  "audit: type=1326 audit(1700000000.123:45): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=1234 comm=\"dockerd\" exe=\"/usr/bin/dockerd\" sig=31 arch=c000003e syscall=160 compat=0 ip=0x55d4c3b1e0ae code=0x0",
	  true,
	  "seccomp killed dockerd (pid 1234) for system call 160 (arch c000003e, signal 31)" },
	{ "seccomp-kill", "kernel", LOG_LEVEL_WARNING, 0,
	  "audit: type=1326 audit(1700000001.5:46): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=4242 comm=\"runc:[2:INIT]\" exe=\"/usr/bin/runc\" sig=31 arch=c00000b7 syscall=435 compat=0 ip=0xffff8a2b code=0x80000000",
	  true, "runc:[2:INIT] (pid 4242) for system call 435" },
	{ "seccomp-kill", "kernel", LOG_LEVEL_WARNING, 0,
	  "audit: type=1326 audit(1700000002.1:47): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=5000 comm=\"nginx\" exe=\"/usr/sbin/nginx\" sig=31 arch=c000003e syscall=160 compat=0 ip=0x7f code=0x0",
	  false, NULL },
	/* SECCOMP_RET_ERRNO with logging on: not a kill */
	{ "seccomp-kill", "kernel", LOG_LEVEL_WARNING, 0,
	  "audit: type=1326 audit(1700000003.9:48): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1234 comm=\"dockerd\" exe=\"/usr/bin/dockerd\" sig=0 arch=c000003e syscall=160 compat=0 ip=0x55d4c3b1e0ae code=0x50001",
	  false, NULL },
	/* hung tasks */
	{ "hung-task", "kernel", LOG_LEVEL_ERROR, 0,
	  "INFO: task dockerd:1234 blocked for more than 120 seconds.", true,
	  "dockerd thread 1234 has been blocked in the kernel for more than 120 seconds" },
	{ "hung-task", "kernel", LOG_LEVEL_ERROR, 0,
	  "INFO: task containerd:999 blocked for more than 245 seconds.", true,
	  "containerd thread 999" },
	{ "hung-task", "kernel", LOG_LEVEL_ERROR, 0,
	  "INFO: task runc:[2:INIT]:4242 blocked for more than 120 seconds.",
	  true, "runc:[2:INIT] thread 4242" },
	{ "hung-task", "kernel", LOG_LEVEL_ERROR, 0,
	  "INFO: task kworker/0:1:55 blocked for more than 120 seconds.", false,
	  NULL },
	{ "hung-task", "kernel", LOG_LEVEL_ERROR, 0,
	  "INFO: task mydockerd:77 blocked for more than 120 seconds.", false,
	  NULL },
	/* conntrack */
	{ "conntrack-full", "kernel", LOG_LEVEL_WARNING, 0,
	  "nf_conntrack: nf_conntrack: table full, dropping packet", true,
	  "the connection tracking table is full" },
	{ "conntrack-full", "kernel", LOG_LEVEL_WARNING, 0,
	  "nf_conntrack: table full, dropping packet", true, "(1 report(s)" },
	{ "conntrack-full", "kernel", LOG_LEVEL_WARNING, 0,
	  "ip_conntrack: table full, dropping packet.", true, NULL },
	{ "conntrack-full", "kernel", LOG_LEVEL_WARNING, 0,
	  "nf_conntrack: expectation table full", false, NULL },
	/* ENOSPC from the daemons */
	{ "no-space", "dockerd", LOG_LEVEL_ERROR, 0,
	  "time=\"2024-03-01T10:00:00.000000000Z\" level=error msg=\"Handler for POST /v1.41/images/create returned error: write /var/lib/docker/tmp/GetImageBlob123: no space left on device\"",
	  true,
	  "the newest: /var/lib/docker/tmp/GetImageBlob123: no space left on device" },
	{ "no-space", "containerd", LOG_LEVEL_ERROR, 0,
	  "time=\"2024-03-01T10:00:00Z\" level=error msg=\"failed to write\" error=\"mkdir /var/lib/containerd/tmpmounts: No space left on device\"",
	  true, "/var/lib/containerd/tmpmounts: No space left" },
	{ "no-space", "kernel", LOG_LEVEL_ERROR, 0,
	  "EXT4-fs warning (device sda1): ext4_dx_add_entry: no space left on device",
	  false, NULL },
	/* the daemon's own errors */
	{ "daemon-errors", "dockerd", LOG_LEVEL_ERROR, 5,
	  "time=\"2024-03-01T10:00:00Z\" level=error msg=\"Error setting up exec command in container web: Container 4f2a is not running\"",
	  true,
	  "dockerd logged 5 errors since 2023-11-14T22:13:20Z; the newest: Error setting up exec command in container web: Container 4f2a is not running" },
	{ "daemon-errors", "dockerd", LOG_LEVEL_ERROR, 4,
	  "time=\"2024-03-01T10:00:00Z\" level=error msg=\"x\"", false, NULL },
	{ "daemon-errors", "dockerd", LOG_LEVEL_WARNING, 9,
	  "time=\"2024-03-01T10:00:00Z\" level=warning msg=\"x\"", false,
	  NULL },
	{ "daemon-errors", "dockerd", LOG_LEVEL_ERROR, 5,
	  "{\"level\":\"error\",\"msg\":\"failed to \\\"mount\\\" it\",\"time\":\"2024-03-01T10:00:00Z\"}",
	  true, "the newest: failed to \\\"mount\\\" it" },
	{ "daemon-fatal", "dockerd", LOG_LEVEL_FATAL, 0,
	  "time=\"2024-03-01T10:00:00Z\" level=fatal msg=\"failed to start daemon: error initializing graphdriver: driver not supported\"",
	  true,
	  "dockerd logged a fatal error at 2023-11-14T22:13:20Z: failed to start daemon: error initializing graphdriver: driver not supported" },
	{ "daemon-fatal", "dockerd", LOG_LEVEL_ERROR, 0,
	  "time=\"2024-03-01T10:00:00Z\" level=error msg=\"not fatal\"", false,
	  NULL },
	{ "containerd-errors", "containerd", LOG_LEVEL_ERROR, 10,
	  "time=\"2024-03-01T10:00:00Z\" level=error msg=\"failed to delete\" error=\"not found\"",
	  true, "containerd logged 10 errors" },
	{ "containerd-errors", "dockerd", LOG_LEVEL_ERROR, 10,
	  "time=\"2024-03-01T10:00:00Z\" level=error msg=\"x\"", false, NULL },
	{ "containerd-fatal", "containerd", LOG_LEVEL_FATAL, 0,
	  "time=\"2024-03-01T10:00:00Z\" level=fatal msg=\"failed to load TOML: /etc/containerd/config.toml: (5, 2): unexpected token\"",
	  true, "failed to load TOML" },
	{ "daemon-panic", "dockerd", LOG_LEVEL_UNKNOWN, 0,
	  "panic: runtime error: invalid memory address or nil pointer dereference",
	  true, "crashed at 2023-11-14T22:13:20Z: panic: runtime error" },
	{ "daemon-panic", "containerd", LOG_LEVEL_UNKNOWN, 0,
	  "fatal error: concurrent map writes", true,
	  "fatal error: concurrent map writes" },
	{ "daemon-panic", "dockerd", LOG_LEVEL_UNKNOWN, 0,
	  "Mar  1 10:00:00 host dockerd[812]: panic: assignment to entry in nil map",
	  true, "panic: assignment to entry in nil map" },
	{ "daemon-panic", "dockerd", LOG_LEVEL_ERROR, 0,
	  "time=\"2024-03-01T10:00:00Z\" level=error msg=\"plugin recovered from panic: x\"",
	  false, NULL },
	/* the DNS fallback, both wordings */
	{ "dns-fallback", "dockerd", LOG_LEVEL_INFO, 0,
	  "time=\"2024-03-01T10:00:00.123456789Z\" level=info msg=\"No non-localhost DNS nameservers are left in resolv.conf. Using default external servers: [nameserver 8.8.8.8 nameserver 8.8.4.4]\"",
	  true, "Google's public DNS servers" },
	{ "dns-fallback", "dockerd", LOG_LEVEL_INFO, 0,
	  "time=\"2025-01-02T10:00:00Z\" level=info msg=\"No non-localhost DNS nameservers are left in resolv.conf. Using default external servers\"",
	  true, "(1 time(s) since" },
	{ "dns-fallback", "dockerd", LOG_LEVEL_INFO, 0,
	  "time=\"2024-03-01T10:00:00Z\" level=info msg=\"detected 127.0.0.53 nameserver, assuming systemd-resolved, so using resolv.conf: /run/systemd/resolve/resolv.conf\"",
	  false, NULL },
	/* pulls failing on a thread stranded in a dead namespace */
	{ "pull-unreachable", "dockerd", LOG_LEVEL_ERROR, 0,
	  "time=\"2024-03-01T10:00:00Z\" level=error msg=\"Handler for POST /v1.41/images/create returned error: Get \\\"https://registry-1.docker.io/v2/\\\": dial tcp 54.236.113.205:443: connect: network is unreachable\"",
	  true, "(\"network is unreachable\") 1 time(s)" },
	{ "pull-unreachable", "dockerd", LOG_LEVEL_INFO, 0,
	  "time=\"2024-03-01T10:00:00Z\" level=info msg=\"Attempting next endpoint for pull after error: Get \\\"https://registry-1.docker.io/v2/\\\": dial tcp 54.236.113.205:443: connect: network is unreachable\"",
	  false, NULL },
};

ParameterizedTestParameters(shipped, sample_lines)
{
	TABLE_PARAMS(samples);
}

ParameterizedTest(size_t *i, shipped, sample_lines)
{
	const struct sample *s = &samples[*i];
	struct logring *ring = ring_std();
	struct report *r = report_new();
	struct logrules rules;
	const struct finding *f;
	char check[64];

	load_shipped(&rules);
	cr_assert_not_null(rule(&rules, s->rule), "no rule %s", s->rule);
	for (int k = 0; k < (s->repeat ? s->repeat : 1); k++)
		ring_line(ring, s->source, T0 + k, s->level, s->line);
	cr_assert_geq(logrules_apply(&rules, ring, 0, r), 0);
	snprintf(check, sizeof(check), "logs.%s", s->rule);
	f = by_check(r, check);
	if (!s->fires) {
		cr_assert_null(f, "%s fired on: %s", s->rule, s->line);
	} else {
		cr_assert_not_null(f, "%s did not fire on: %s", s->rule,
				   s->line);
		cr_assert_eq(f->severity, rule(&rules, s->rule)->severity);
		cr_assert_not_null(f->remedy);
		if (s->summary)
			cr_assert_not_null(strstr(f->summary, s->summary),
					   "summary '%s' lacks '%s'",
					   f->summary, s->summary);
		cr_assert_not_null(strstr(test_evidence(f, "line1"), s->line));
		/* exactly one rule fires on a real problem line */
		cr_assert_eq(r->n_findings, 1, "also fired: %s",
			     r->findings[r->n_findings > 1].check);
	}
	logrules_release(&rules);
	report_free(r);
	logring_free(ring);
}

Test(shipped, one_oom_kill_in_new_kernels_counts_once)
{
	struct logring *ring = ring_std();
	struct report *r = report_new();
	struct logrules rules;
	const struct finding *f;

	load_shipped(&rules);
	ring_line(
		ring, "kernel", T0, LOG_LEVEL_WARNING,
		"dockerd invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=-500");
	ring_line(
		ring, "kernel", T0 + 1, LOG_LEVEL_INFO,
		"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/docker.service,task=dockerd,pid=1234,uid=0");
	ring_line(
		ring, "kernel", T0 + 2, LOG_LEVEL_ERROR,
		"Out of memory: Killed process 1234 (dockerd) total-vm:1723400kB, anon-rss:512000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1500kB oom_score_adj:-500");
	ring_line(
		ring, "kernel", T0 + 3, LOG_LEVEL_INFO,
		"oom_reaper: reaped process 1234 (dockerd), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB");
	cr_assert_eq(logrules_apply(&rules, ring, 0, r), 1);
	f = by_check(r, "logs.oom-daemon");
	cr_assert_str_eq(test_evidence(f, "count"), "1");
	cr_assert_eq(f->severity, SEV_CRITICAL);
	logrules_release(&rules);
	report_free(r);
	logring_free(ring);
}

Test(shipped, old_kernel_sacrificing_a_child_is_not_dockerd)
{
	struct logring *ring = ring_std();
	struct report *r = report_new();
	struct logrules rules;

	load_shipped(&rules);
	ring_line(
		ring, "kernel", T0, LOG_LEVEL_ERROR,
		"Out of memory: Kill process 1234 (dockerd) score 300 or sacrifice child");
	ring_line(
		ring, "kernel", T0 + 1, LOG_LEVEL_ERROR,
		"Killed process 2345 (docker-proxy) total-vm:100000kB, anon-rss:3000kB, file-rss:0kB, shmem-rss:0kB");
	cr_assert_eq(logrules_apply(&rules, ring, 0, r), 1);
	cr_assert_null(by_check(r, "logs.oom-daemon"));
	cr_assert_not_null(by_check(r, "logs.oom-shim"));
	logrules_release(&rules);
	report_free(r);
	logring_free(ring);
}

Test(shipped, daemon_errors_quote_the_newest)
{
	struct logring *ring = ring_std();
	struct report *r = report_new();
	struct logrules rules;
	const struct finding *f;
	char line[128];

	load_shipped(&rules);
	for (int i = 1; i <= 7; i++) {
		snprintf(
			line, sizeof(line),
			"time=\"2024-03-01T10:00:0%dZ\" level=error msg=\"error %d\"",
			i, i);
		ring_line(ring, "dockerd", T0 + i * SEC, LOG_LEVEL_ERROR, line);
	}
	logrules_apply(&rules, ring, 0, r);
	f = by_check(r, "logs.daemon-errors");
	cr_assert_not_null(f);
	cr_assert(strstr(f->summary, "7 errors"));
	cr_assert(strstr(f->summary, "the newest: error 7"), "%s", f->summary);
	cr_assert(strstr(test_evidence(f, "line1"), "error 1"));
	cr_assert(strstr(test_evidence(f, "line5"), "error 7"));
	cr_assert_str_eq(test_evidence(f, "omitted"), "2");
	logrules_release(&rules);
	report_free(r);
	logring_free(ring);
}

Test(shipped, disable_one_under_etc)
{
	struct logring *ring = ring_std();
	struct report *r = report_new();
	struct logrules rules;
	char err[256];

	load_shipped(&rules);
	const char *off = "[rule conntrack-full]\nenabled = no\n";

	cr_assert_eq(logrules_parse(&rules, off, strlen(off), "local.conf", err,
				    sizeof(err)),
		     0, "%s", err);
	ring_line(ring, "kernel", T0, LOG_LEVEL_WARNING,
		  "nf_conntrack: table full, dropping packet");
	cr_assert_eq(logrules_apply(&rules, ring, 0, r), 0);
	logrules_release(&rules);
	report_free(r);
	logring_free(ring);
}

/* ---- the check: OOM counters and the summary ---- */

static struct fixture cfx;

static void check_setup(void)
{
	fixture_init(&cfx);
	fixture_write(&cfx, "/proc/vmstat",
		      "nr_free_pages 1000\noom_kill 0\nnr_zspages 0\n", -1);
	fixture_write(&cfx, "/proc/uptime", "3600.50 7000.00\n", -1);
}

static void check_teardown(void)
{
	fixture_release(&cfx);
}

TestSuite(check, .init = check_setup, .fini = check_teardown);

/* Run the core with a ring (may be NULL) and the rules (may be NULL). */
static struct report *evaluate(const struct logring *ring,
			       const struct logrules *rules, int64_t since)
{
	struct options o = { .timeout_ms = 300 };
	struct report *r = report_new();
	struct ctx ctx;

	o.sysroot = cfx.root;
	cr_assert_eq(ctx_init(&ctx, &o), 0);
	cr_assert_eq(logs_patterns_evaluate(&ctx, ring, since, rules, r), 0,
		     "%s", ctx.error);
	test_log_findings(r);
	ctx_release(&ctx);
	return r;
}

static void v2_tree(void)
{
	fixture_write(&cfx, "/sys/fs/cgroup/cgroup.controllers",
		      "cpuset cpu io memory pids\n", -1);
}

static void v2_events(const char *dir, unsigned oom, unsigned kills)
{
	char text[256];

	snprintf(
		text, sizeof(text),
		"low 0\nhigh 0\nmax 12\noom %u\noom_kill %u\noom_group_kill 0\n",
		oom, kills);
	fixture_writef(&cfx, text, "/sys/fs/cgroup/%s/memory.events", dir);
}

Test(check, healthy_host_one_ok_finding_with_counts)
{
	struct logring *ring = ring_std();
	struct logrules rules;
	const struct finding *f;
	struct report *r;

	v2_tree();
	v2_events("system.slice/docker-" CID ".scope", 0, 0);
	v2_events("system.slice/docker.service", 0, 0);
	load_shipped(&rules);
	ring_line(
		ring, "dockerd", T0, LOG_LEVEL_INFO,
		"time=\"2024-03-01T10:00:00Z\" level=info msg=\"API listen on /run/docker.sock\"");
	ring_line(ring, "kernel", T0 + 1, LOG_LEVEL_INFO,
		  "docker0: port 1(veth1) entered forwarding state");
	r = evaluate(ring, &rules, 0);
	cr_assert_eq(r->n_findings, 1);
	f = test_find(r, SEV_OK, "no known problem in 2 log lines (15 rules)");
	cr_assert_not_null(f);
	cr_assert_str_eq(f->check, "logs.patterns");
	cr_assert_str_eq(test_evidence(f, "vmstat_oom_kill"), "0");
	cr_assert_str_eq(test_evidence(f, "sources"),
			 "dockerd containerd kernel");
	cr_assert_str_eq(test_evidence(f, "cgroup_counters"),
			 "cgroup v2 memory.events");
	cr_assert_str_eq(test_evidence(f, "container_cgroups"), "1");
	cr_assert_str_eq(test_evidence(f, "since"), "1970-01-01T00:00:00Z");
	logrules_release(&rules);
	report_free(r);
	logring_free(ring);
}

Test(check, a_rule_that_fires_replaces_the_ok_finding)
{
	struct logring *ring = ring_std();
	struct logrules rules;
	struct report *r;

	load_shipped(&rules);
	ring_line(ring, "kernel", T0, LOG_LEVEL_WARNING,
		  "nf_conntrack: table full, dropping packet");
	r = evaluate(ring, &rules, 0);
	cr_assert_null(test_find(r, SEV_OK, ""));
	cr_assert_not_null(test_find(r, SEV_CRITICAL,
				     "connection tracking table is full"));
	logrules_release(&rules);
	report_free(r);
	logring_free(ring);
}

Test(check, vmstat_kills_since_boot_are_info)
{
	struct report *r;
	const struct finding *f;

	fixture_write(&cfx, "/proc/vmstat", "oom_kill 3\n", -1);
	r = evaluate(NULL, NULL, 0);
	f = test_find(
		r, SEV_INFO,
		"the kernel has OOM-killed 3 processes since boot (/proc/vmstat oom_kill)");
	cr_assert_not_null(f);
	cr_assert_str_eq(f->check, "logs.oom-counters");
	cr_assert_str_eq(test_evidence(f, "uptime_seconds"), "3600.50");
	report_free(r);
}

Test(check, old_kernel_without_the_vmstat_counter)
{
	struct logring *ring = ring_std();
	struct logrules rules;
	const struct finding *f;
	struct report *r;

	load_shipped(&rules);
	fixture_write(&cfx, "/proc/vmstat", "nr_free_pages 5\n", -1);
	r = evaluate(ring, &rules, 0);
	f = test_find(r, SEV_OK, "no known problem in 0 log lines");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "vmstat_oom_kill"),
			 "not available (kernel < 4.13)");
	cr_assert_str_eq(test_evidence(f, "cgroup_counters"),
			 "no memory cgroup found");
	logrules_release(&rules);
	report_free(r);
	logring_free(ring);
}

Test(check, every_rule_turned_off_is_said)
{
	struct logring *ring = ring_std();
	struct logrules rules = { 0 };
	struct report *r;

	r = evaluate(ring, &rules, 0);
	cr_assert_not_null(test_find(r, SEV_INFO, "no log rules are enabled"));
	cr_assert_null(test_find(r, SEV_OK, ""));
	report_free(r);
	logring_free(ring);
}

Test(check, v2_container_kills_systemd_and_cgroupfs_drivers)
{
	const char *other =
		"aaaabbbbccccddddeeeeffff00001111222233334444555566667777888899990000";
	const struct finding *f;
	struct report *r;

	v2_tree();
	v2_events("system.slice/docker-" CID ".scope", 3, 2);
	v2_events("system.slice/docker-not-a-container.scope", 9, 9);
	v2_events("system.slice/cron.service", 9, 9);
	fixture_writef(&cfx, "low 0\noom 1\noom_kill 1\n",
		       "/sys/fs/cgroup/docker/%.64s/memory.events", other);
	v2_events("docker/short", 9, 9);
	r = evaluate(NULL, NULL, 0);
	f = test_find(
		r, SEV_WARNING,
		"container 3f4e1a2b5c6d: the kernel OOM-killed 2 processes in it since it started");
	cr_assert_not_null(f);
	cr_assert_str_eq(f->check, "logs.oom-counters");
	cr_assert_str_eq(test_evidence(f, "container"), CID);
	cr_assert_str_eq(test_evidence(f, "oom"), "3");
	cr_assert_str_eq(test_evidence(f, "file"),
			 "/sys/fs/cgroup/system.slice/docker-" CID
			 ".scope/memory.events");
	cr_assert(strstr(f->remedy, "docker update --memory"));
	cr_assert_not_null(test_find(
		r, SEV_WARNING,
		"container aaaabbbbcccc: the kernel OOM-killed 1 process in it"));
	cr_assert_eq(count_check(r, "logs.oom-counters"), 2);
	report_free(r);
}

Test(check, v2_docker_service_kills_with_its_limit)
{
	const struct finding *f;
	struct report *r;

	v2_tree();
	v2_events("system.slice/docker.service", 1, 1);
	fixture_write(&cfx,
		      "/sys/fs/cgroup/system.slice/docker.service/memory.max",
		      "536870912\n", -1);
	v2_events("system.slice/containerd.service", 0, 0);
	r = evaluate(NULL, NULL, 0);
	f = test_find(
		r, SEV_WARNING,
		"the kernel OOM-killed 1 process in docker.service since it started");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "memory_max"), "536870912");
	cr_assert(strstr(f->remedy,
			 "systemctl show docker.service -p MemoryMax"));
	cr_assert_eq(count_check(r, "logs.oom-counters"), 1);
	report_free(r);
}

Test(check, v1_oom_control_kills_and_a_container_stuck_under_oom)
{
	const char *stuck =
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct report *r;

	fixture_writef(&cfx, "oom_kill_disable 0\nunder_oom 0\noom_kill 4\n",
		       "/sys/fs/cgroup/memory/docker/%s/memory.oom_control",
		       CID);
	fixture_writef(&cfx, "oom_kill_disable 1\nunder_oom 1\noom_kill 0\n",
		       "/sys/fs/cgroup/memory/docker/%s/memory.oom_control",
		       stuck);
	/* kernels before 4.13: no oom_kill line, nothing to say */
	fixture_write(
		&cfx,
		"/sys/fs/cgroup/memory/system.slice/docker.service/memory.oom_control",
		"oom_kill_disable 0\nunder_oom 0\n", -1);
	r = evaluate(NULL, NULL, 0);
	cr_assert_not_null(test_find(
		r, SEV_WARNING,
		"container 3f4e1a2b5c6d: the kernel OOM-killed 4 processes"));
	cr_assert_not_null(
		test_find(r, SEV_CRITICAL,
			  "container 0123456789ab is out of memory now"));
	cr_assert_eq(count_check(r, "logs.oom-counters"), 2);
	cr_assert_null(
		test_evidence(test_find(r, SEV_WARNING, "container"), "oom"));
	report_free(r);
}

Test(check, many_containers_are_summed_up)
{
	struct report *r;
	const struct finding *f;

	v2_tree();
	for (int i = 0; i < 13; i++) {
		char dir[128];

		snprintf(dir, sizeof(dir), "docker/%02d%062d", i, 0);
		v2_events(dir, 1, 1);
	}
	r = evaluate(NULL, NULL, 0);
	cr_assert_eq(count_check(r, "logs.oom-counters"), 11);
	f = test_find(
		r, SEV_WARNING,
		"3 more containers had processes OOM-killed (3 kills in all)");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "containers"),
			 "100000000000 110000000000 120000000000");
	report_free(r);
}

Test(check, no_ring_is_unknown_and_counters_still_run)
{
	struct logrules rules = { 0 };
	struct report *r;

	fixture_write(&cfx, "/proc/vmstat", "oom_kill 1\n", -1);
	r = evaluate(NULL, &rules, 0);
	cr_assert_not_null(test_find(
		r, SEV_UNKNOWN, "cannot check the logs for known problems"));
	cr_assert_not_null(
		test_find(r, SEV_INFO, "OOM-killed 1 process since boot"));
	cr_assert_null(test_find(r, SEV_OK, ""));
	report_free(r);
}

Test(check, unreadable_rules_never_claim_ok)
{
	struct logring *ring = ring_std();
	struct report *r;

	r = evaluate(ring, NULL, 0);
	cr_assert_eq(r->n_findings, 0);
	report_free(r);
	logring_free(ring);
}

/* run(), as the runner calls it, with the log sources turned off. */
static struct report *run_check(const char *rules_file)
{
	char *none[] = { "none", NULL };
	struct options o = { .timeout_ms = 300, .log_sources = none };

	o.log_rules = (char *)rules_file;
	return fixture_run_check(&cfx, &check_logs_patterns, &o, 0, NULL, 0);
}

/*
 * A /dev/kmsg record user space wrote (facility user, as 'echo ... >
 * /dev/kmsg' gives) is no kernel event: no OOM finding from it; the same
 * text from the kernel (facility kern) is one.
 */
Test(check, kmsg_lines_from_user_space_are_no_kernel_events)
{
	char *kmsg[] = { "kmsg", NULL };
	struct options o = { .timeout_ms = 300, .log_sources = kmsg };
	struct timespec mono;
	struct report *r;
	long long usec;
	char rec[256];

	clock_gettime(CLOCK_MONOTONIC, &mono);
	usec = (long long)mono.tv_sec * 1000000 + mono.tv_nsec / 1000 - 1000000;
	snprintf(rec, sizeof(rec),
		 "14,1,%lld,-;Out of memory: Killed process 4242 (dockerd)\n",
		 usec);
	fixture_write(&cfx, "/dev/kmsg", rec, -1);
	o.log_rules = SHIPPED;
	r = fixture_run_check(&cfx, &check_logs_patterns, &o, 0, NULL, 0);
	cr_assert_null(test_find(r, SEV_CRITICAL, "OOM killer killed dockerd"),
		       "a line user space wrote made an OOM finding");
	cr_assert_not_null(test_find(r, SEV_OK, "no known problem"));
	report_free(r);

	snprintf(rec, sizeof(rec),
		 "3,1,%lld,-;Out of memory: Killed process 4242 (dockerd)\n",
		 usec);
	fixture_write(&cfx, "/dev/kmsg", rec, -1);
	r = fixture_run_check(&cfx, &check_logs_patterns, &o, 0, NULL, 0);
	cr_assert_not_null(test_find(r, SEV_CRITICAL,
				     "OOM killer killed dockerd"),
			   "the kernel's own line is the event");
	report_free(r);
}

Test(check, run_with_sources_off_says_so_and_reports_counters)
{
	struct report *r;

	v2_tree();
	v2_events("system.slice/docker.service", 2, 2);
	fixture_write(&cfx, "/etc/dockerd-doctor/log-rules.d/bad.conf",
		      "[rule x]\npattern = (\nsummary = s\n", -1);
	r = run_check(SHIPPED);
	cr_assert_not_null(test_find(
		r, SEV_INFO, "the logs were not read (--log-source none)"));
	cr_assert_not_null(test_find(
		r, SEV_WARNING,
		"1 error in the log rules; that rule is skipped: /etc/dockerd-doctor/log-rules.d/bad.conf:2: bad pattern"));
	cr_assert_not_null(test_find(
		r, SEV_WARNING, "OOM-killed 2 processes in docker.service"));
	report_free(r);
}

Test(check, run_without_the_rules_file_is_unknown)
{
	struct report *r = run_check("/nonexistent/log-rules.conf");
	const struct finding *f;

	f = test_find(
		r, SEV_UNKNOWN,
		"cannot check the logs: cannot read the log rules '/nonexistent/log-rules.conf'");
	cr_assert_not_null(f);
	cr_assert(strstr(f->remedy, "--log-rules"));
	report_free(r);
}

Test(check, registered)
{
	const struct check *c = check_find("logs.patterns");

	cr_assert_eq(c, &check_logs_patterns);
	cr_assert(strstr(c->explain, "/etc/dockerd-doctor/log-rules.d/"));
}

/* ---- since the daemon's start; errors a healthy daemon logs ---- */

Test(parse, since_and_repeated_folded_ignore)
{
	struct logrules rules = { 0 };
	char err[512];

	parse_ok(&rules,
		 "[rule a]\npattern = x\nsummary = s\nsince = daemon-start\n"
		 "ignore = one\nignore = tw\n  o\n"
		 "[rule b]\npattern = x\nsummary = s\nsince = window\n",
		 0, err, sizeof(err));
	cr_assert_eq(rules.n, 2);
	parse_ok(&rules,
		 "[rule c]\npattern = x\nsummary = s\nsince = boot\n"
		 "[rule d]\npattern = x\nsummary = s\nignore = ok\n"
		 "ignore = (bad\n"
		 "[rule e]\npattern = x\nsummary = s\nignore =\n",
		 3, err, sizeof(err));
	cr_assert(
		strstr(err,
		       "t.conf:4: since 'boot' is not window or daemon-start"),
		"%s", err);
	cr_assert(strstr(err, "t.conf:9: bad ignore pattern '(bad'"), "%s",
		  err);
	cr_assert(strstr(err, "t.conf:13: ignore has no pattern"), "%s", err);
	cr_assert_eq(rules.n, 2, "the broken rules are skipped");
	logrules_release(&rules);
}

Test(apply, ignored_lines_are_not_counted)
{
	struct logring *ring = ring_std();
	const char *rules =
		"[rule i]\npattern = err ([a-z]+)\nicase = yes\n"
		"min-count = 2\nsummary = {count} {1}\n"
		"ignore = ERR BENIGN\nignore = err (qu\n  iet|calm)\n";
	struct report *r;

	ring_line(ring, "dockerd", T0, LOG_LEVEL_ERROR, "err real");
	ring_line(ring, "dockerd", T0 + 1, LOG_LEVEL_ERROR, "err benign");
	ring_line(ring, "dockerd", T0 + 2, LOG_LEVEL_ERROR, "err quiet");
	ring_line(ring, "dockerd", T0 + 3, LOG_LEVEL_ERROR, "Err Calm");
	r = apply_text(rules, ring, 0);
	cr_assert_eq(r->n_findings, 0, "ignored lines were counted");
	report_free(r);
	ring_line(ring, "dockerd", T0 + 4, LOG_LEVEL_ERROR, "err again");
	ring_line(ring, "dockerd", T0 + 5, LOG_LEVEL_ERROR, "err benign");
	r = apply_text(rules, ring, 0);
	cr_assert_eq(r->n_findings, 1);
	/* the newest counted line, not the newest (ignored) one */
	cr_assert_str_eq(r->findings[0].summary, "2 again");
	report_free(r);
	logring_free(ring);
}

/* dockerd (pid 4242) started at btime + 12345 ticks: T0 + 123.45 s. */
#define STARTED (T0 + 12345 * SEC / 100)

static void started_daemon(void)
{
	static const char *const argv[] = { "/usr/bin/dockerd", "-H", "fd://",
					    NULL };

	cr_assert_eq(sysconf(_SC_CLK_TCK), 100);
	fixture_write(&cfx, "/proc/stat", "cpu 1\nbtime 1700000000\n", -1);
	fixture_process(&cfx, 4242, 1, argv);
}

/* n dockerd errors from t on, a second apart. */
static void errors_at(struct logring *ring, int64_t t, int n, const char *what)
{
	char line[160];

	for (int i = 0; i < n; i++) {
		snprintf(
			line, sizeof(line),
			"time=\"2023-11-14T22:15:00Z\" level=error msg=\"%s %d\"",
			what, i + 1);
		ring_line(ring, "dockerd", t + i * SEC, LOG_LEVEL_ERROR, line);
	}
}

Test(check, daemon_errors_count_only_the_running_daemon)
{
	struct logring *ring = ring_std();
	struct logrules rules;
	const struct finding *f;
	struct report *r;

	started_daemon();
	load_shipped(&rules);
	/* the previous instance's errors, up to just before the start */
	errors_at(ring, STARTED - 9 * SEC - 1, 10, "old");
	r = evaluate(ring, &rules, 0);
	cr_assert_null(by_check(r, "logs.daemon-errors"),
		       "the previous daemon's errors were counted");
	cr_assert_not_null(test_find(r, SEV_OK, "no known problem in 10 log"));
	report_free(r);
	errors_at(ring, STARTED, 4, "new");
	r = evaluate(ring, &rules, 0);
	cr_assert_null(by_check(r, "logs.daemon-errors"), "4 errors fired");
	report_free(r);
	errors_at(ring, STARTED + 100 * SEC, 1, "newest");
	r = evaluate(ring, &rules, 0);
	f = by_check(r, "logs.daemon-errors");
	cr_assert_not_null(f, "5 errors since the start did not fire");
	cr_assert_str_eq(test_evidence(f, "count"), "5");
	cr_assert(strstr(test_evidence(f, "line1"), "new 1"));
	cr_assert_str_eq(test_evidence(f, "daemon_started"),
			 "2023-11-14T22:15:23.450000Z");
	cr_assert(strstr(f->summary, "5 errors since 2023-11-14T22:15:23Z"),
		  "%s", f->summary);
	logrules_release(&rules);
	report_free(r);
	logring_free(ring);
}

Test(check, other_rules_and_an_unknown_start_keep_the_window)
{
	struct logring *ring = ring_std();
	struct logrules rules;
	struct report *r;

	load_shipped(&rules);
	errors_at(ring, STARTED - 10 * SEC, 5, "no space left on device");
	/* no dockerd: no start to bound by, the window counts */
	r = evaluate(ring, &rules, 0);
	cr_assert_str_eq(
		test_evidence(by_check(r, "logs.daemon-errors"), "count"), "5");
	cr_assert_null(test_evidence(by_check(r, "logs.daemon-errors"),
				     "daemon_started"));
	report_free(r);
	/* a daemon started since: rules without "since" still see them */
	started_daemon();
	r = evaluate(ring, &rules, 0);
	cr_assert_null(by_check(r, "logs.daemon-errors"));
	cr_assert_not_null(by_check(r, "logs.no-space"));
	report_free(r);
	/* watch's logrules_apply() has no daemon start: no bound */
	r = report_new();
	cr_assert_eq(logrules_apply(&rules, ring, 0, r), 2);
	cr_assert_not_null(by_check(r, "logs.daemon-errors"));
	logrules_release(&rules);
	report_free(r);
	logring_free(ring);
}

/* level=error lines a healthy 20.10 logs (data/log-rules.conf ignore =) */
static const char *const benign[] = {
	"time=\"2024-03-01T10:00:00.573764570Z\" level=error msg=\"stream copy error: reading from a closed fifo\"",
	"{\"level\":\"error\",\"msg\":\"stream copy error: reading from a closed fifo\",\"time\":\"2024-03-01T10:00:00Z\"}",
};

Test(shipped, errors_a_healthy_daemon_logs_do_not_count)
{
	struct logring *ring = ring_std();
	struct report *r = report_new();
	struct logrules rules;
	const struct finding *f;
	int64_t t = T0;

	load_shipped(&rules);
	for (int k = 0; k < 5; k++)
		for (size_t i = 0; i < TABLE_SIZE(benign); i++)
			ring_line(ring, "dockerd", t++, LOG_LEVEL_ERROR,
				  benign[i]);
	errors_at(ring, t, 4, "real");
	cr_assert_eq(logrules_apply(&rules, ring, 0, r), 0,
		     "benign errors were counted: %s",
		     r->n_findings ? r->findings[0].summary : "");
	report_free(r);
	errors_at(ring, t + 10 * SEC, 1, "fifth");
	ring_line(ring, "dockerd", t + 20 * SEC, LOG_LEVEL_ERROR, benign[0]);
	r = report_new();
	cr_assert_eq(logrules_apply(&rules, ring, 0, r), 1);
	f = by_check(r, "logs.daemon-errors");
	cr_assert_str_eq(test_evidence(f, "count"), "5");
	cr_assert(strstr(f->summary, "the newest: fifth 1"), "%s", f->summary);
	logrules_release(&rules);
	report_free(r);
	logring_free(ring);
}

/* ---- a real OOM kill in a real memory cgroup ---- */

/*
 * A child named dd-oomtest is OOM-killed in a memory cgroup made for the
 * test, ".../dd-rules-test-PID/docker/ID" (v1 memory controller or v2).
 * The check reads the cgroup's real counters through a fixture root whose
 * /sys/fs/cgroup[/memory] points at the test's cgroup; the kernel's own
 * report of the kill, read back from /dev/kmsg with the name and the
 * cgroup prefix replaced by Docker's, must fire the shipped OOM rules.
 *
 * It leaves the kill in the kernel log and in /proc/vmstat oom_kill (a
 * count since boot, which the check then reports as info on this host), so
 * it runs only with DD_TEST_REAL_OOM=1, as root.
 */
#define OOM_COMM "dd-oomtest"

struct real_cg {
	bool v2;
	char mount[64]; /* /sys/fs/cgroup or /sys/fs/cgroup/memory */
	char top[128]; /* dd-rules-test-PID */
	char leaf[512]; /* full path of .../docker/ID */
};

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

/* Make the cgroups; false (with a reason logged) to skip. */
static bool real_cg_make(struct real_cg *cg)
{
	struct stat st;
	char path[600];

	memset(cg, 0, sizeof(*cg));
	cg->v2 = stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0;
	snprintf(cg->mount, sizeof(cg->mount), "%s",
		 cg->v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory");
	if (stat(cg->mount, &st) < 0)
		return false;
	snprintf(cg->top, sizeof(cg->top), "dd-rules-test-%d", (int)getpid());
	snprintf(path, sizeof(path), "%s/%s", cg->mount, cg->top);
	if (mkdir(path, 0755) < 0)
		return false;
	if (cg->v2) {
		snprintf(path, sizeof(path), "%s/%s/cgroup.subtree_control",
			 cg->mount, cg->top);
		if (write_file(path, "+memory") < 0)
			return false;
	}
	snprintf(path, sizeof(path), "%s/%s/docker", cg->mount, cg->top);
	if (mkdir(path, 0755) < 0)
		return false;
	if (cg->v2) {
		snprintf(path, sizeof(path),
			 "%s/%s/docker/cgroup.subtree_control", cg->mount,
			 cg->top);
		if (write_file(path, "+memory") < 0)
			return false;
	}
	snprintf(cg->leaf, sizeof(cg->leaf), "%s/%s/docker/%s", cg->mount,
		 cg->top, CID);
	if (mkdir(cg->leaf, 0755) < 0)
		return false;
	snprintf(path, sizeof(path), "%s/%s", cg->leaf,
		 cg->v2 ? "memory.max" : "memory.limit_in_bytes");
	if (write_file(path, "16777216") < 0)
		return false;
	snprintf(path, sizeof(path), "%s/%s", cg->leaf,
		 cg->v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes");
	write_file(path,
		   cg->v2 ? "0" : "16777216"); /* no swap accounting: fine */
	return true;
}

static void real_cg_remove(struct real_cg *cg)
{
	char path[600];

	if (!cg->top[0])
		return;
	rmdir(cg->leaf);
	snprintf(path, sizeof(path), "%s/%s/docker", cg->mount, cg->top);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/%s", cg->mount, cg->top);
	rmdir(path);
}

/* The child: join the cgroup, take a name, eat memory until killed. */
static void oom_child(const struct real_cg *cg)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->leaf);
	if (write_file(path, "0") < 0)
		_exit(3);
	prctl(PR_SET_NAME, OOM_COMM);
	for (size_t total = 0; total < (512u << 20); total += 1 << 20) {
		char *p = malloc(1 << 20);

		if (!p)
			_exit(4);
		memset(p, 0x5a, 1 << 20);
	}
	_exit(5); /* not killed: the limit did not hold */
}

/* Replace every "from" in s (size bytes) by a shorter "to". */
static void replace_all(char *s, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to);
	char *p;

	while ((p = strstr(s, from))) {
		memmove(p + tl, p + fl, strlen(p + fl) + 1);
		memcpy(p, to, tl);
	}
}

/* The kernel's lines about pid from /dev/kmsg, rewritten as Docker's. */
static size_t kmsg_lines(int pid, const struct real_cg *cg, char out[][1024],
			 size_t max)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	char rec[8192], pidtxt[32], prefix[200];
	size_t n = 0;

	if (fd < 0)
		return 0;
	snprintf(pidtxt, sizeof(pidtxt), "%d", pid);
	snprintf(prefix, sizeof(prefix), "/%s/docker/", cg->top);
	for (;;) {
		ssize_t len = read(fd, rec, sizeof(rec) - 1);
		char *msg, *end;

		if (len < 0 && errno == EPIPE)
			continue; /* overwritten while reading */
		if (len <= 0)
			break;
		rec[len] = '\0';
		msg = strchr(rec, ';');
		if (!msg || !strstr(msg, OOM_COMM) || !strstr(msg, pidtxt) ||
		    n == max)
			continue;
		end = strchr(++msg, '\n');
		if (end)
			*end = '\0';
		/* the victim's name and cgroup as Docker's would read */
		snprintf(out[n], 1024, "%s", msg);
		replace_all(out[n], OOM_COMM, "dockerd");
		replace_all(out[n], prefix, "/docker/");
		n++;
	}
	close(fd);
	return n;
}

Test(real, oom_kill_in_a_memory_cgroup, .init = check_setup,
     .fini = check_teardown, .timeout = 60)
{
	const char *want = getenv("DD_TEST_REAL_OOM");
	struct logring *ring;
	struct logrules rules;
	struct real_cg cg;
	const struct finding *f;
	struct report *r;
	char lines[16][1024], target[300];
	int status = 0;
	size_t n;
	pid_t pid;

	if (!want || strcmp(want, "1") != 0 || geteuid() != 0)
		cr_skip_test(
			"set DD_TEST_REAL_OOM=1 and run as root: it OOM-kills a test process");
	if (!real_cg_make(&cg)) {
		real_cg_remove(&cg);
		cr_skip_test("cannot make a memory cgroup here: %s",
			     strerror(errno));
	}
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0)
		oom_child(&cg);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		  "the child was not OOM-killed (status %#x)", status);

	/* the counters, through a root whose cgroup mount is the test's */
	snprintf(target, sizeof(target), "%s/%s", cg.mount, cg.top);
	fixture_symlink(&cfx,
			cg.v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory",
			target);
	if (cg.v2)
		fixture_write(&cfx, "/proc/vmstat", "oom_kill 0\n", -1);
	r = evaluate(NULL, NULL, 0);
	f = test_find(
		r, SEV_WARNING,
		"container 3f4e1a2b5c6d: the kernel OOM-killed 1 process in it since it started");
	cr_assert_not_null(f);
	report_free(r);

	/* the kernel's report of the kill against the shipped rules */
	n = kmsg_lines(pid, &cg, lines, 16);
	real_cg_remove(&cg);
	cr_assert_geq(n, 1, "no kernel line about pid %d", pid);
	ring = ring_std();
	for (size_t i = 0; i < n; i++) {
		cr_log_info("kernel: %s", lines[i]);
		ring_line(ring, "kernel", T0 + (int64_t)i, LOG_LEVEL_ERROR,
			  lines[i]);
	}
	load_shipped(&rules);
	r = report_new();
	logrules_apply(&rules, ring, 0, r);
	f = by_check(r, "logs.oom-daemon");
	cr_assert_not_null(f, "the kill line did not match");
	cr_assert_str_eq(test_evidence(f, "count"), "1");
	cr_assert_not_null(test_find(
		r, SEV_WARNING, "killed a process in container 3f4e1a2b5c6d"));
	logrules_release(&rules);
	report_free(r);
	logring_free(ring);
}
