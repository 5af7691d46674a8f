// SPDX-License-Identifier: GPL-2.0-or-later
/* Option parsing: every option, every usage error. */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <string.h>

#include "app/cli.h"
#include "core/util.h"
#include "table.h"

#define MAXARGS 8

struct cli_case {
	const char *argv[MAXARGS];
	int ok; /* 1 parses, 0 usage error */
	const char *err_has; /* substring of the error */
	enum command cmd;
	enum render_format fmt;
	long timeout_ms;
	int pid;
	const char *host;
	const char *only0; /* first --only id */
	int color;
};

/* clang-format off */
static struct cli_case cases[] = {
	{ { "dd" }, 1, NULL, CMD_RUN, FORMAT_TEXT, 3000, 0, NULL, NULL, -1 },
	{ { "dd", "run" }, 1, NULL, CMD_RUN, FORMAT_TEXT, 3000, 0, NULL, NULL, -1 },
	{ { "dd", "list" }, 1, NULL, CMD_LIST, FORMAT_TEXT, 3000, 0, NULL, NULL, -1 },
	{ { "dd", "explain", "daemon.api" }, 1, NULL, CMD_EXPLAIN, FORMAT_TEXT, 3000, 0, NULL, NULL, -1 },
	{ { "dd", "explain", "--all" }, 1, NULL, CMD_EXPLAIN, FORMAT_TEXT, 3000, 0, NULL, NULL, -1 },
	{ { "dd", "-f", "json" }, 1, NULL, CMD_RUN, FORMAT_JSON, 3000, 0, NULL, NULL, -1 },
	{ { "dd", "--format=nagios" }, 1, NULL, CMD_RUN, FORMAT_NAGIOS, 3000, 0, NULL, NULL, -1 },
	{ { "dd", "--format", "prometheus" }, 1, NULL, CMD_RUN, FORMAT_PROMETHEUS, 3000, 0, NULL, NULL, -1 },
	{ { "dd", "--timeout", "0.5" }, 1, NULL, CMD_RUN, FORMAT_TEXT, 500, 0, NULL, NULL, -1 },
	{ { "dd", "-t", "10" }, 1, NULL, CMD_RUN, FORMAT_TEXT, 10000, 0, NULL, NULL, -1 },
	{ { "dd", "--pid", "1234" }, 1, NULL, CMD_RUN, FORMAT_TEXT, 3000, 1234, NULL, NULL, -1 },
	{ { "dd", "-H", "unix:///x.sock" }, 1, NULL, CMD_RUN, FORMAT_TEXT, 3000, 0, "unix:///x.sock", NULL, -1 },
	{ { "dd", "--only", "daemon.api,daemon.process" }, 1, NULL, CMD_RUN, FORMAT_TEXT, 3000, 0, NULL, "daemon.api", -1 },
	{ { "dd", "--no-color" }, 1, NULL, CMD_RUN, FORMAT_TEXT, 3000, 0, NULL, NULL, 0 },
	{ { "dd", "list", "--format", "json" }, 1, NULL, CMD_LIST, FORMAT_JSON, 3000, 0, NULL, NULL, -1 },
	{ { "dd", "--version" }, 1, NULL, CMD_VERSION, FORMAT_TEXT, 3000, 0, NULL, NULL, -1 },
	{ { "dd", "-h" }, 1, NULL, CMD_HELP, FORMAT_TEXT, 3000, 0, NULL, NULL, -1 },
	/* usage errors */
	{ { "dd", "--bogus" }, 0, "unknown option '--bogus'" },
	{ { "dd", "-f" }, 0, "missing argument" },
	{ { "dd", "-f", "xml" }, 0, "unknown format 'xml'" },
	{ { "dd", "--only", "no.such" }, 0, "unknown check 'no.such'" },
	{ { "dd", "--skip", "daemon.api,x" }, 0, "unknown check 'x'" },
	{ { "dd", "--only", "," }, 0, "empty check list" },
	{ { "dd", "--timeout", "0" }, 0, "invalid timeout" },
	{ { "dd", "--timeout", "-1" }, 0, "invalid timeout" },
	{ { "dd", "--timeout", "1e3" }, 0, "invalid timeout" },
	{ { "dd", "--timeout", "99999" }, 0, "invalid timeout" },
	{ { "dd", "--pid", "0" }, 0, "invalid pid" },
	{ { "dd", "--pid", "12x" }, 0, "invalid pid" },
	{ { "dd", "frobnicate" }, 0, "unknown command 'frobnicate'" },
	{ { "dd", "list", "extra" }, 0, "takes no arguments" },
	{ { "dd", "explain" }, 0, "usage: dockerd-doctor explain" },
	{ { "dd", "explain", "nope.nope" }, 0, "unknown check 'nope.nope'" },
	{ { "dd", "watch" }, 1, NULL, CMD_WATCH, FORMAT_TEXT, 3000, 0, NULL, NULL, -1 },
	{ { "dd", "watch", "--interval", "250ms", "--for", "1h" }, 1, NULL, CMD_WATCH, FORMAT_TEXT, 3000, 0, NULL, NULL, -1 },
	{ { "dd", "watch", "extra" }, 0, "usage: dockerd-doctor watch" },
	{ { "dd", "watch", "--interval", "5ms" }, 0, "invalid interval '5ms'" },
	{ { "dd", "watch", "--interval", "2h" }, 0, "invalid interval '2h'" },
	{ { "dd", "watch", "--for", "0" }, 0, "invalid duration '0'" },
	{ { "dd", "watch", "--on-critical", "bundle" }, 0, "bundles are not implemented yet" },
	{ { "dd", "watch", "--on-critical", "mail" }, 0, "invalid --on-critical 'mail'" },
	{ { "dd", "--since", "10x" }, 0, "invalid duration '10x'" },
	{ { "dd", "--since", "400d" }, 0, "invalid duration '400d'" },
	{ { "dd", "--log-lines", "0" }, 0, "invalid line count '0'" },
};
/* clang-format on */

ParameterizedTestParameters(cli, table)
{
	TABLE_PARAMS(cases);
}

ParameterizedTest(size_t *ci, cli, table)
{
	const struct cli_case *c = &cases[*ci];
	char *argv[MAXARGS + 1] = { 0 };
	struct options o;
	char err[256];
	int argc = 0, r;

	while (argc < MAXARGS && c->argv[argc]) {
		argv[argc] = strdup(c->argv[argc]);
		argc++;
	}
	r = cli_parse(argc, argv, &o, err, sizeof(err));
	if (!c->ok) {
		cr_assert_lt(r, 0, "'%s %s' should fail", c->argv[1],
			     c->argv[2] ? c->argv[2] : "");
		cr_assert_not_null(strstr(err, c->err_has),
				   "error '%s' lacks '%s'", err, c->err_has);
		cr_assert_null(strchr(err, '\n'), "one-line message");
		goto out;
	}
	cr_assert_eq(r, 0, "'%s': %s", c->argv[1] ? c->argv[1] : "", err);
	cr_assert_eq(o.command, c->cmd);
	cr_assert_eq(o.format, c->fmt);
	cr_assert_eq(o.timeout_ms, c->timeout_ms);
	cr_assert_eq(o.pid, c->pid);
	cr_assert_eq(o.color, c->color);
	if (c->host)
		cr_assert_str_eq(o.host, c->host);
	else
		cr_assert_null(o.host);
	if (c->only0)
		cr_assert_str_eq(o.only[0], c->only0);
	else
		cr_assert_null(o.only);
	options_release(&o);
out:
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

Test(cli, only_and_skip_collect_all_ids)
{
	char *argv[] = { "dd",
			 "--only",
			 "daemon.api",
			 "--only",
			 "daemon.process",
			 "--skip",
			 "daemon.api",
			 NULL };
	struct options o;
	char err[256];

	cr_assert_eq(cli_parse(7, argv, &o, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(strv_length(o.only), 2);
	cr_assert_str_eq(o.only[1], "daemon.process");
	cr_assert_eq(strv_length(o.skip), 1);
	options_release(&o);
}

Test(cli, explain_markdown)
{
	char *argv[] = { "dd", "explain", "--all", "--markdown", NULL };
	struct options o;
	char err[256];

	cr_assert_eq(cli_parse(4, argv, &o, err, sizeof(err)), 0, "%s", err);
	cr_assert(o.explain_markdown);
	cr_assert_null(o.explain_id);
	options_release(&o);
}

Test(cli, no_color_env)
{
	char *argv[] = { "dd", NULL };
	struct options o;
	char err[256];

	cr_assert_eq(cli_parse(1, argv, &o, err, sizeof(err)), 0);
	setenv("NO_COLOR", "1", 1);
	setenv("DOCKER_HOST", "tcp://h:1", 1);
	cr_assert_eq(cli_load_env(&o), 0);
	cr_assert_eq(o.color, 0);
	cr_assert_str_eq(o.env_docker_host, "tcp://h:1");
	options_release(&o);
	unsetenv("NO_COLOR");
	unsetenv("DOCKER_HOST");
}

Test(cli, process_and_sample_delay)
{
	char *argv[] = { "dd",
			 "--process",
			 "containerd",
			 "--process=1234",
			 "--sample-delay",
			 "0",
			 NULL };
	struct options o;
	char err[256];

	cr_assert_eq(cli_parse(6, argv, &o, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(strv_length(o.processes), 2);
	cr_assert_str_eq(o.processes[0], "containerd");
	cr_assert_str_eq(o.processes[1], "1234");
	cr_assert_eq(o.sample_delay_ms, 0);
	options_release(&o);
	cr_assert_eq(cli_parse(1, argv, &o, err, sizeof(err)), 0);
	cr_assert_eq(o.sample_delay_ms, DEFAULT_SAMPLE_DELAY_MS);
	cr_assert_null(o.processes);
	options_release(&o);
}

Test(cli, process_and_sample_delay_errors)
{
	char *bad_proc[] = { "dd", "--process", "/usr/bin/x", NULL };
	char *empty_proc[] = { "dd", "--process", "", NULL };
	char *bad_delay[] = { "dd", "--sample-delay", "61", NULL };
	char *neg_delay[] = { "dd", "--sample-delay", "-1", NULL };
	struct options o;
	char err[256];

	cr_assert_lt(cli_parse(3, bad_proc, &o, err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "invalid process '/usr/bin/x'"));
	cr_assert_lt(cli_parse(3, empty_proc, &o, err, sizeof(err)), 0);
	cr_assert_lt(cli_parse(3, bad_delay, &o, err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "invalid sample delay '61'"));
	cr_assert_lt(cli_parse(3, neg_delay, &o, err, sizeof(err)), 0);
}

Test(cli, log_and_watch_options)
{
	char *argv[] = { "dd",
			 "--log-source",
			 "kmsg",
			 "--log-source",
			 "file:/x=a",
			 "--since",
			 "90s",
			 "--log-lines",
			 "50",
			 "--log-rules",
			 "/r.conf",
			 "watch",
			 "--dir",
			 "/d",
			 "--for",
			 "1.5m",
			 "--on-critical",
			 "report",
			 NULL };
	struct options o;
	char err[256];

	cr_assert_eq(cli_parse(18, argv, &o, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(o.command, CMD_WATCH);
	cr_assert_str_eq(o.log_sources[0], "kmsg");
	cr_assert_str_eq(o.log_sources[1], "file:/x=a");
	cr_assert_null(o.log_sources[2]);
	cr_assert_eq(o.since_ms, 90000);
	cr_assert_eq(o.log_lines, 50);
	cr_assert_str_eq(o.log_rules, "/r.conf");
	cr_assert_str_eq(o.watch_dir, "/d");
	cr_assert_eq(o.for_ms, 90000);
	cr_assert_eq(o.interval_ms, DEFAULT_INTERVAL_MS);
	options_release(&o);
	cr_assert_eq(cli_parse(1, argv, &o, err, sizeof(err)), 0);
	cr_assert_eq(o.since_ms, DEFAULT_SINCE_MS);
	cr_assert_eq(o.log_lines, DEFAULT_LOG_LINES);
	options_release(&o);
}

struct duration_case {
	const char *s;
	int ret;
	long long ms;
};

/* clang-format off */
static struct duration_case durations[] = {
	{ "90", 0, 90000 }, { "90s", 0, 90000 }, { "1.5s", 0, 1500 },
	{ "250ms", 0, 250 }, { "5m", 0, 300000 }, { "2h", 0, 7200000 },
	{ "1d", 0, 86400000 }, { "0.5m", 0, 30000 }, { "0", 0, 0 },
	{ "", -EINVAL }, { "s", -EINVAL }, { "1.s", -EINVAL }, { "-1s", -EINVAL },
	{ "1w", -EINVAL }, { "1 s", -EINVAL }, { "2d", -ERANGE },
	{ "999999999", -ERANGE },
};
/* clang-format on */

ParameterizedTestParameters(cli, durations)
{
	TABLE_PARAMS(durations);
}

ParameterizedTest(size_t *i, cli, durations)
{
	const struct duration_case *c = &durations[*i];
	long long ms = -7;

	cr_assert_eq(parse_duration_ms(c->s, 86400000, &ms), c->ret, "'%s'",
		     c->s);
	if (c->ret == 0)
		cr_assert_eq(ms, c->ms, "'%s'", c->s);
	else
		cr_assert_eq(ms, -7, "'%s' changed the result", c->s);
}
