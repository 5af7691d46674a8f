// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemon.json analysis: the strict scanner (positions, duplicates, depth)
 * and the dockerd rules per version. The verdicts for 20.10 are also
 * checked against the real dockerd by tests/config/differential.sh.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/dconfig-gather.h"
#include "config/dconfig.h"
#include "config/dockerd-options.h"
#include "fixture.h"
#include "config/jsonscan.h"
#include "table.h"
#include "core/util.h"

/* ---- the scanner ---- */

struct scan_case {
	const char *json;
	int ok;
	int line, col;
	const char *error_has;
	size_t dups;
};

/* clang-format off */
static struct scan_case scans[] = {
	{ "{}", 1 },
	{ "  {\"a\": [1, 2.5e3, -0, true, null, \"x\\u00e9\\n\"]}  ", 1 },
	{ "{\"a\":1,\"a\":2}", 1, .dups = 1 },
	{ "{\"o\":{\"k\":1,\"k\":2},\"k\":3}", 1, .dups = 1 },
	{ "{\"a\":1,}", 0, 1, 8, "trailing comma" },
	{ "{\n  \"a\": 1\n  \"b\": 2\n}", 0, 3, 3, "expected ',' or '}'" },
	{ "{'a': 1}", 0, 1, 2, "expected a key in double quotes" },
	{ "{\"a\": 'x'}", 0, 1, 7, "single quotes" },
	{ "{\"a\": 1 // no\n}", 0, 1, 9, "expected ',' or '}'" },
	{ "{\"a\": /* c */ 1}", 0, 1, 7, "comments are not allowed" },
	{ "{\"a\": tru}", 0, 1, 7, "expected a value" },
	{ "{\"a\": \"x", 0, 1, 9, "unterminated string" },
	{ "{\"a\": \"\\q\"}", 0, 1, 9, "invalid escape" },
	{ "{\"a\": \"\\u12g4\"}", 0, 1, 12, "invalid \\u escape" },
	{ "{\"a\": 01}", 0, 1, 8, "expected ',' or '}'" },
	{ "{\"a\": 1.}", 0, 1, 9, "after '.'" },
	{ "{\"a\": -}", 0, 1, 8, "after '-'" },
	{ "{\"a\": 1e}", 0, 1, 9, "exponent" },
	{ "{\"a\": \"tab\there\"}", 0, 1, 11, "control character" },
	{ "{", 0, 1, 2, "expected a key" },
	{ "", 0, 1, 1, "unexpected end of file" },
	{ "{\"a\":[1,]}", 0, 1, 9, "trailing comma" },
};
/* clang-format on */

ParameterizedTestParameters(jsonscan, table)
{
	TABLE_PARAMS(scans);
}

ParameterizedTest(size_t *ci, jsonscan, table)
{
	const struct scan_case *c = &scans[*ci];
	struct jsonscan_result r;

	jsonscan(c->json, strlen(c->json), &r);
	cr_assert_eq(r.ok, c->ok, "'%s': %s", c->json, r.error);
	if (c->ok) {
		cr_assert_eq(r.n_dups, c->dups, "'%s'", c->json);
		return;
	}
	cr_assert_eq(r.line, c->line, "'%s': line %d", c->json, r.line);
	cr_assert_eq(r.col, c->col, "'%s': col %d (%s)", c->json, r.col,
		     r.error);
	cr_assert_not_null(strstr(r.error, c->error_has), "'%s': %s", c->json,
			   r.error);
}

Test(jsonscan, deep_nesting_is_bounded)
{
	size_t n = 200000;
	char *buf = malloc(n);
	struct jsonscan_result r;

	memset(buf, '[', n);
	jsonscan(buf, n, &r);
	cr_assert_not(r.ok);
	cr_assert_not_null(strstr(r.error, "nested deeper"));
	free(buf);
}

Test(jsonscan, trailing_data_and_duplicate_positions)
{
	const char *s = "{\"debug\": true,\n \"debug\": false} x";
	struct jsonscan_result r;

	jsonscan(s, strlen(s), &r);
	cr_assert(r.ok);
	cr_assert(r.trailing);
	cr_assert_eq(r.trailing_col, 18);
	cr_assert_eq(r.n_dups, 1);
	cr_assert_str_eq(r.dups[0].key, "debug");
	cr_assert_eq(r.dups[0].line, 2);
	cr_assert_eq(r.dups[0].col, 2);
}

/* ---- the rules ---- */

struct rule_case {
	const char *json;
	unsigned version;
	const char *flags; /* space-separated, no quoting */
	int refuse;
	enum severity worst;
	const char *summary_has;
};

/* clang-format off */
static struct rule_case rules[] = {
	{ "{}", 2010, NULL, 0, SEV_OK, "accepts" },
	{ "{\"debug\": true, \"log-opts\": {\"max-size\": \"10m\"}}", 2805, NULL, 0, SEV_OK, "accepts" },
	{ "{\"hosts\": [\"tcp://127.0.0.1:2376\"]}", 2010, "-H fd://", 1, SEV_CRITICAL, "'hosts' is set both" },
	{ "{\"hosts\": [\"unix:///x\"]}", 2010, NULL, 0, SEV_INFO, "Docker Desktop (Windows, Mac) does not support it" },
	{ "{\"debug\": true}", 2010, "--debug", 1, SEV_CRITICAL, "'debug' is set both" },
	{ "{\"debug\": true}", 2010, "-D", 1, SEV_CRITICAL, "'debug' is set both" },
	{ "{\"labels\": [\"a=b\"]}", 2010, "--label x=y", 1, SEV_CRITICAL, "'labels' is set both" },
	{ "{\"runtimes\": {\"crun\": {\"path\": \"/usr/bin/crun\"}}}", 2010, "--add-runtime kata=/bin/kata", 0, SEV_OK, "accepts" },
	{ "{\"storage-driver\": \"overlay2\"}", 2010, "-s vfs", 1, SEV_CRITICAL, "'storage-driver' is set both" },
	{ "{\"bogus\": {\"debug\": true}}", 2010, "--debug", 1, SEV_CRITICAL, "'debug' is set both" },
	{ "{\"bogus\": {\"debug\": true}}", 2010, NULL, 0, SEV_OK, "accepts" },
	{ "{\"debugg\": true}", 2010, NULL, 1, SEV_CRITICAL, "unknown key 'debugg'" },
	{ "{\"D\": true}", 2010, NULL, 1, SEV_CRITICAL, "unknown key 'D'" },
	{ "{\"resolv-conf\": \"/x\"}", 2010, NULL, 1, SEV_CRITICAL, "unknown key 'resolv-conf'" },
	{ "{\"log-format\": \"json\"}", 2010, NULL, 1, SEV_CRITICAL, "unknown key 'log-format'" },
	{ "{\"log-format\": \"json\"}", 2500, NULL, 0, SEV_OK, "accepts" },
	{ "{\"proxies\": {\"http-proxy\": \"http://a:b@p:3128\"}}", 2010, NULL, 1, SEV_CRITICAL, "unknown key 'http-proxy'" },
	{ "{\"proxies\": {\"http-proxy\": \"http://a:b@p:3128\"}}", 2300, "--http-proxy http://c:d@q:1", 1, SEV_CRITICAL, "'http-proxy' is set both" },
	{ "{\"debug\": \"true\"}", 2010, NULL, 1, SEV_CRITICAL, "'debug' must be a boolean" },
	{ "{\"max-concurrent-downloads\": \"3\"}", 2010, NULL, 1, SEV_CRITICAL, "must be a whole number" },
	{ "{\"max-concurrent-downloads\": 3.5}", 2010, NULL, 1, SEV_CRITICAL, "must be a whole number" },
	{ "{\"dns\": \"8.8.8.8\"}", 2010, NULL, 1, SEV_CRITICAL, "'dns' must be an array of strings" },
	{ "{\"dns\": [\"8.8.8.8\", \"dns.example\"]}", 2010, NULL, 1, SEV_CRITICAL, "'dns.example' is not an IP address" },
	{ "{\"log-opts\": [\"a\"]}", 2010, NULL, 1, SEV_CRITICAL, "'log-opts' must be an object of strings" },
	{ "{\"labels\": [\"a=b\", \"a=c\"]}", 2010, NULL, 1, SEV_CRITICAL, "conflicting labels" },
	{ "{\"labels\": [\"nolabel\"]}", 2010, NULL, 1, SEV_CRITICAL, "not KEY=VALUE" },
	{ "{\"label\": [\"a=b\"]}", 2010, NULL, 0, SEV_WARNING, "accepted but ignored" },
	{ "{\"debug\": true, \"debug\": false}", 2010, NULL, 0, SEV_WARNING, "appears twice" },
	{ "{\"graph\": \"/srv/docker\"}", 2010, NULL, 0, SEV_WARNING, "'graph' is deprecated" },
	{ "{\"graph\": \"/a\", \"data-root\": \"/b\"}", 2010, NULL, 1, SEV_CRITICAL, "both set" },
	{ "{\"graph\": \"/a\"}", 2400, NULL, 1, SEV_CRITICAL, "unknown key 'graph'" },
	{ "{\"cluster-store\": \"consul://x\"}", 2300, NULL, 1, SEV_CRITICAL, "removed in Docker 23" },
	{ "{\"oom-score-adjust\": -500}", 2500, NULL, 1, SEV_CRITICAL, "Docker 25 refuses it" },
	{ "{\"runtimes\": {\"runc\": {\"path\": \"/x\"}}}", 2010, NULL, 1, SEV_CRITICAL, "'runc' is reserved" },
	{ "{\"default-runtime\": \"kata\"}", 2010, NULL, 1, SEV_CRITICAL, "not defined in 'runtimes'" },
	{ "", 2010, NULL, 1, SEV_CRITICAL, "is empty" },
	{ "  \n", 2805, NULL, 0, SEV_INFO, "is empty" },
	{ "\xef\xbb\xbf{}", 2010, NULL, 1, SEV_CRITICAL, "byte order mark" },
	{ "\xef\xbb\xbf{}", 2805, NULL, 0, SEV_INFO, "byte order mark" },
	{ "[]", 2010, NULL, 1, SEV_CRITICAL, "not a JSON object but an array" },
	{ "{} {}", 2010, NULL, 0, SEV_WARNING, "has more after the JSON object" },
	{ "{} {}", 2300, NULL, 1, SEV_CRITICAL, "has more after the JSON object" },
	{ "{\"debug\": true}", 2010, "--no-such-flag", 1, SEV_CRITICAL, "unknown flag '--no-such-flag'" },
	{ "{\"debug\": true}", 2010, "positional", 1, SEV_CRITICAL, "is not a flag" },
	{ "{\"data-root\": \"/x\"}", 2010, "--data-root=/y", 1, SEV_CRITICAL, "'data-root' is set both" },
	{ "{\"features\": {\"buildkit\": true}}", 2010, NULL, 0, SEV_OK, "accepts" },
	{ "{\"default-address-pools\": [{\"base\": \"10.0.0.0/8\", \"size\": 24}]}", 2010, NULL, 0, SEV_OK, "accepts" },
	/* Docker 29: keys and flags added, removed, renamed */
	{ "{\"firewall-backend\": \"nftables\"}", 2900, NULL, 0, SEV_OK, "accepts" },
	{ "{\"firewall-backend\": \"nftables\"}", 2805, NULL, 1, SEV_CRITICAL, "unknown key 'firewall-backend'" },
	{ "{\"debug\": true}", 2900, "--firewall-backend=nftables", 0, SEV_OK, "accepts" },
	{ "{\"debug\": true}", 2805, "--firewall-backend=nftables", 1, SEV_CRITICAL, "unknown flag '--firewall-backend" },
	{ "{\"bridge-accept-fwmark\": \"0x1/0xff\"}", 2900, NULL, 0, SEV_OK, "accepts" },
	{ "{\"bridge-accept-fwmark\": \"0x1/0xff\"}", 2805, NULL, 1, SEV_CRITICAL, "unknown key 'bridge-accept-fwmark'" },
	{ "{\"min-api-version\": \"1.24\"}", 2900, NULL, 0, SEV_OK, "accepts" },
	{ "{\"min-api-version\": \"1.24\"}", 2805, NULL, 1, SEV_CRITICAL, "unknown key 'min-api-version'" },
	{ "{\"min-api-version\": 1.24}", 2901, NULL, 1, SEV_CRITICAL, "'min-api-version' must be a string" },
	{ "{\"nri-opts\": {\"enable\": true}}", 2902, NULL, 0, SEV_OK, "accepts" },
	{ "{\"nri-opts\": {\"enable\": true}}", 2901, NULL, 1, SEV_CRITICAL, "unknown key 'enable'" },
	{ "{\"nri-opts\": {\"enable\": true}}", 2907, "--nri-opts enable=true", 1, SEV_CRITICAL, "'nri-opts' is set both" },
	{ "{\"default-stop-timeout\": 5}", 2907, NULL, 0, SEV_OK, "accepts" },
	{ "{\"default-stop-timeout\": 5}", 2906, NULL, 1, SEV_CRITICAL, "unknown key 'default-stop-timeout'" },
	{ "{\"api-cors-header\": \"*\"}", 2805, NULL, 1, SEV_CRITICAL, "Docker 28 refuses it" },
	{ "{\"api-cors-header\": \"*\"}", 2900, NULL, 1, SEV_CRITICAL, "unknown key 'api-cors-header'" },
	{ "{\"debug\": true}", 2900, "--api-cors-header=*", 1, SEV_CRITICAL, "unknown flag '--api-cors-header" },
	{ "{\"allow-nondistributable-artifacts\": []}", 2010, NULL, 0, SEV_OK, "accepts" },
	{ "{\"allow-nondistributable-artifacts\": []}", 2900, NULL, 0, SEV_INFO, "29.0 removed its flag" },
	{ "{\"debug\": true}", 2900, "--allow-nondistributable-artifacts=r.example", 1, SEV_CRITICAL, "unknown flag '--allow-nondistributable-artifacts" },
};
/* clang-format on */

ParameterizedTestParameters(dconfig, rules)
{
	TABLE_PARAMS(rules);
}

/* Split a simple space-separated flag string. */
static char **split(const char *s)
{
	char *copy = strdup(s), *save = NULL, **v = calloc(16, sizeof(*v));
	size_t n = 0;

	for (char *t = strtok_r(copy, " ", &save); t && n < 15;
	     t = strtok_r(NULL, " ", &save))
		v[n++] = strdup(t);
	free(copy);
	return v;
}

ParameterizedTest(size_t *ci, dconfig, rules)
{
	const struct rule_case *c = &rules[*ci];
	struct dconfig_flags fl = { .source = "test" };
	struct dconfig_input in = { .check_id = "config.daemon-json",
				    .path = "daemon.json",
				    .buf = c->json,
				    .len = strlen(c->json),
				    .version = c->version };
	struct report *r = report_new();
	int ret;

	if (c->flags) {
		fl.argv = split(c->flags);
		in.flags = &fl;
		in.n_flags = 1;
	}
	ret = dconfig_check(&in, r);
	test_log_findings(r);
	cr_assert_eq(ret, c->refuse, "'%s' (v%u): refuse=%d", c->json,
		     c->version, ret);
	cr_assert_eq(report_worst(r), c->worst, "'%s': worst %s", c->json,
		     severity_name(report_worst(r)));
	cr_assert_not_null(test_find(r, c->worst, c->summary_has),
			   "'%s': no %s finding with '%s'", c->json,
			   severity_name(c->worst), c->summary_has);
	for (size_t i = 0; fl.argv && fl.argv[i]; i++)
		free(fl.argv[i]);
	free(fl.argv);
	report_free(r);
}

Test(dconfig, credentials_are_masked)
{
	const char *json =
		"{\"proxies\": {\"http-proxy\": \"http://u:s3cret@p:1\"}}";
	char *argv[] = { "--http-proxy", "http://v:t0psecret@q:2", NULL };
	struct dconfig_flags fl = { .argv = argv, .source = "test" };
	struct dconfig_input in = { .check_id = "c.d",
				    .path = "f",
				    .buf = json,
				    .len = strlen(json),
				    .version = 2805,
				    .flags = &fl,
				    .n_flags = 1 };
	struct report *r = report_new();

	cr_assert_eq(dconfig_check(&in, r), 1);
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct finding *f = &r->findings[i];

		cr_assert_null(strstr(f->summary, "s3cret"));
		cr_assert(!f->detail || (!strstr(f->detail, "s3cret") &&
					 !strstr(f->detail, "t0psecret")));
		for (size_t k = 0; k < f->n_evidence; k++) {
			cr_assert_null(strstr(f->evidence[k].value, "s3cret"));
			cr_assert_null(
				strstr(f->evidence[k].value, "t0psecret"));
		}
	}
	report_free(r);
}

Test(dconfig, syntax_error_names_line_and_column)
{
	const char *json = "{\n  \"debug\": true,\n  \"hosts\": [\"a\",]\n}\n";
	struct dconfig_input in = { .check_id = "c.d",
				    .path = "daemon.json",
				    .buf = json,
				    .len = strlen(json),
				    .version = 2010 };
	struct report *r = report_new();
	const struct finding *f;

	cr_assert_eq(dconfig_check(&in, r), 1);
	f = test_find(r, SEV_CRITICAL, "line 3, column 17");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->detail, "\"hosts\": [\"a\",]"));
	cr_assert_str_eq(test_evidence(f, "line"), "3");
	report_free(r);
}

Test(dconfig, version_parse_and_pick)
{
	unsigned v = 0;
	const char *src;

	cr_assert_eq(dockerd_parse_version("20.10.24+dfsg1", &v), 0);
	cr_assert_eq(v, 2010);
	cr_assert_eq(dockerd_parse_version("v28.2", &v), 0);
	cr_assert_eq(v, 2802);
	cr_assert_eq(dockerd_parse_version("29.1", &v), 0);
	cr_assert_eq(v, 2901);
	cr_assert_eq(dockerd_parse_version("29.7.2", &v), 0);
	cr_assert_eq(v, 2907);
	cr_assert_eq(dconfig_pick_version("29.1", NULL, &src), 2901);
	cr_assert_geq(DOCKER_VERSION_MAX, 2907, "the table reads 29.7");
	cr_assert_lt(dockerd_parse_version("twenty", &v), 0);
	cr_assert_eq(dconfig_pick_version("24.0", "20.10.24", &src), 2400);
	cr_assert_str_eq(src, "--docker-version");
	cr_assert_eq(dconfig_pick_version(NULL, "20.10.24", &src), 2010);
	cr_assert_eq(dconfig_pick_version(NULL, NULL, &src),
		     DOCKER_VERSION_MAX);
	cr_assert_eq(dconfig_pick_version("1.13", NULL, &src),
		     DOCKER_VERSION_MIN);
}

/* The one refusal of json at v: its summary has text, its detail why. */
static void assert_detail(const char *json, unsigned v, const char *text,
			  const char *why)
{
	struct dconfig_input in = { .check_id = "c.d",
				    .path = "daemon.json",
				    .buf = json,
				    .len = strlen(json),
				    .version = v };
	struct report *r = report_new();
	const struct finding *f;

	dconfig_check(&in, r);
	test_log_findings(r);
	f = test_find(r, SEV_CRITICAL, text);
	cr_assert_not_null(f, "'%s' (v%u): no '%s'", json, v, text);
	cr_assert_not_null(f->detail, "'%s' (v%u): no detail", json, v);
	cr_assert_not_null(strstr(f->detail, why), "'%s' (v%u): detail '%s'",
			   json, v, f->detail);
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 1,
		     "'%s' (v%u): one refusal, said once", json, v);
	report_free(r);
}

Test(dconfig, docker29_history)
{
	assert_detail("{\"api-cors-header\": \"*\"}", 2901,
		      "unknown key 'api-cors-header'",
		      "removed in Docker 29.0");
	assert_detail("{\"firewall-backend\": \"iptables\"}", 2805,
		      "unknown key 'firewall-backend'",
		      "exists from Docker 29.0");
	assert_detail("{\"nri-opts\": null}", 2805, "unknown key 'nri-opts'",
		      "exists from Docker 29.2");
	assert_detail("{\"default-stop-timeout\": 3}", 2902,
		      "unknown key 'default-stop-timeout'",
		      "exists from Docker 29.7");
	assert_detail("{\"min-api-version\": \"1.24\"}", 2805,
		      "unknown key 'min-api-version'",
		      "exists from Docker 29.0");
}

Test(dconfig, docker29_table)
{
	cr_assert_null(dockerd_flag("api-cors-header", 2900));
	cr_assert_not_null(dockerd_flag("api-cors-header", 2805));
	cr_assert_null(dockerd_flag("allow-nondistributable-artifacts", 2900));
	cr_assert(dockerd_skip_validate("allow-nondistributable-artifacts",
					2907));
	cr_assert(dockerd_skip_validate("min-api-version", 2900));
	cr_assert_not(dockerd_skip_validate("min-api-version", 2805));
	cr_assert(dockerd_flat_option("nri-opts", 2902));
	cr_assert_not(dockerd_flat_option("nri-opts", 2901));
	cr_assert_eq(dockerd_key_type("nri-opts", 2902), OT_OBJECT);
	cr_assert_eq(dockerd_key_type("firewall-backend", 2900), OT_STRING);
	cr_assert_eq(dockerd_key_type("default-stop-timeout", 2907), OT_INT);
	cr_assert_eq(dockerd_key_type("min-api-version", 2900), OT_STRING);
	cr_assert_eq(dockerd_key_type("api-cors-header", 2900), OT_NONE);
}

/* ---- the check on fixture trees ---- */

#include "core/check.h"
#include "core/context.h"

extern const struct check check_config_daemon_json;

static struct fixture cfx;

static void check_setup(void)
{
	static const char *const dockerd_argv[] = { "/usr/sbin/dockerd", "-H",
						    "fd://",
						    "--containerd=/run/c.sock",
						    NULL };

	fixture_init(&cfx);
	fixture_write(&cfx, "/proc/stat", "btime 1000\n", -1);
	fixture_write(&cfx, "/proc/net/unix", "Num\n", -1);
	fixture_process(&cfx, 100, 1, dockerd_argv);
	fixture_write(
		&cfx, "/lib/systemd/system/docker.service",
		"[Service]\nEnvironmentFile=-/etc/default/docker\n"
		"ExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/c.sock $DOCKER_OPTS\n",
		-1);
}

static void check_teardown(void)
{
	fixture_release(&cfx);
}

static struct report *run_config_check(const char *daemon_config)
{
	struct options o = { .timeout_ms = 300, .pid = 100 };

	o.host = "unix:///nonexistent/dd.sock";
	o.daemon_config = (char *)daemon_config;
	return fixture_run_check(&cfx, &check_config_daemon_json, &o, 0, NULL,
				 0);
}

TestSuite(config_check, .init = check_setup, .fini = check_teardown);

Test(config_check, no_file_is_fine)
{
	struct report *r = run_config_check(NULL);

	cr_assert_not_null(test_find(r, SEV_OK, "no /etc/docker/daemon.json"));
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(config_check, healthy_file)
{
	struct report *r;

	fixture_write(&cfx, "/etc/docker/daemon.json",
		      "{\"log-level\": \"warn\", \"live-restore\": true}\n",
		      -1);
	r = run_config_check(NULL);
	cr_assert_eq(report_worst(r), SEV_OK);
	cr_assert_not_null(
		test_find(r, SEV_OK, "accepts '/etc/docker/daemon.json'"));
	report_free(r);
}

Test(config_check, hosts_against_running_daemon_and_unit)
{
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/etc/docker/daemon.json",
		      "{\"hosts\": [\"tcp://0.0.0.0:2376\"]}\n", -1);
	r = run_config_check(NULL);
	/* the unit starts dockerd exactly as it runs: reported once */
	f = test_find(r, SEV_CRITICAL, "'hosts' is set both");
	cr_assert_not_null(f);
	cr_assert_not_null(
		strstr(test_evidence(f, "flags"), "running dockerd (pid 100)"));
	cr_assert_not_null(test_find(
		r, SEV_CRITICAL, "is running, but the next restart will fail"));
	report_free(r);
}

Test(config_check, broken_file_while_running_reload_keeps_it)
{
	const struct finding *f = NULL;
	struct report *r;
	size_t n = 0;

	fixture_write(&cfx, "/etc/docker/daemon.json", "{\"debug\": true,\n",
		      -1);
	r = run_config_check(NULL);
	cr_assert_not_null(test_find(r, SEV_CRITICAL, "is not valid JSON"));
	for (size_t i = 0; i < r->n_findings; i++)
		if (strstr(r->findings[i].summary, "next restart") ||
		    strstr(r->findings[i].summary, "reload")) {
			f = &r->findings[i];
			n++;
		}
	cr_assert_eq(n, 1, "one finding about the running daemon, not %zu", n);
	cr_assert_not_null(strstr(f->summary, "the next restart will fail"));
	cr_assert_not_null(
		strstr(f->summary,
		       "a reload keeps it running with its old configuration"));
	cr_assert_not_null(strstr(f->detail, "logs the error"));
	cr_assert_null(strstr(f->detail, "and stop"), "%s", f->detail);
	report_free(r);
}

Test(config_check, environment_file_flags_from_the_unit)
{
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/etc/default/docker",
		      "DOCKER_OPTS=\"--debug --label env=prod\"\n", -1);
	fixture_write(&cfx, "/etc/docker/daemon.json", "{\"debug\": true}\n",
		      -1);
	r = run_config_check(NULL);
	f = test_find(r, SEV_CRITICAL, "'debug' is set both");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(test_evidence(f, "flags"), "docker.service"));
	cr_assert_not_null(strstr(test_evidence(f, "flags"),
				  "/lib/systemd/system/docker.service:3"));
	report_free(r);
}

Test(config_check, dropin_fix_clears_hosts_for_the_next_start)
{
	struct report *r;

	fixture_write(&cfx, "/etc/docker/daemon.json",
		      "{\"hosts\": [\"unix:///var/run/docker.sock\"]}\n", -1);
	fixture_write(&cfx, "/etc/systemd/system/docker.service.d/docker.conf",
		      "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd\n",
		      -1);
	r = run_config_check(NULL);
	/* the running daemon still has -H fd://; the unit no longer */
	cr_assert_eq(test_find(r, SEV_CRITICAL, "'hosts' is set both") != NULL,
		     true);
	for (size_t i = 0; i < r->n_findings; i++)
		if (r->findings[i].severity == SEV_CRITICAL)
			cr_assert_null(
				strstr(test_evidence(&r->findings[i], "flags")
					       ?: "",
				       "docker.service"),
				"the drop-in removed -H from the unit");
	report_free(r);
}

Test(config_check, missing_config_file_of_the_daemon)
{
	static const char *const argv[] = { "dockerd", "--config-file",
					    "/etc/docker/other.json", NULL };
	struct report *r;

	fixture_process(&cfx, 100, 1, argv);
	r = run_config_check(NULL);
	cr_assert_not_null(
		test_find(r, SEV_CRITICAL,
			  "does not exist, but dockerd is told to use it"));
	report_free(r);
}

Test(config_check, missing_daemon_config_option_cannot_check)
{
	struct options o = { .timeout_ms = 300, .pid = 100 };
	struct report *r;
	char error[512];

	o.host = "unix:///nonexistent/dd.sock";
	o.daemon_config = "/etc/docker/nothere.json";
	r = fixture_run_check(&cfx, &check_config_daemon_json, &o, -ENOENT,
			      error, sizeof(error));
	cr_assert_not_null(strstr(
		error,
		"cannot read '/etc/docker/nothere.json' (--daemon-config)"));
	report_free(r);
}

/* ---- the effective configuration ---- */

Test(effective, defaults_file_then_flags)
{
	const char *json = "{\"exec-root\": \"/srv/exec\", \"hosts\": "
			   "[\"unix:///a.sock\", \"tcp://127.0.0.1:2\"], "
			   "\"iptables\": false, \"live-restore\": true, "
			   "\"dns\": [\"10.0.0.2\"]}";
	char *argv[] = { "-H",
			 "fd://",
			 "--data-root=/srv/data",
			 "--iptables=true",
			 "--dns",
			 "1.1.1.1",
			 NULL };
	struct dconfig_effective e;

	cr_assert_eq(dconfig_effective(NULL, 0, NULL, 2010, &e), 0);
	cr_assert_str_eq(e.exec_root, "/var/run/docker");
	cr_assert_str_eq(e.data_root, "/var/lib/docker");
	cr_assert_str_eq(e.pidfile, "/var/run/docker.pid");
	cr_assert_eq(e.iptables, 1);
	cr_assert_eq(e.ip_forward, 1);
	cr_assert_eq(e.live_restore, 0);
	cr_assert_null(e.hosts);
	dconfig_effective_release(&e);

	cr_assert_eq(dconfig_effective(json, strlen(json), NULL, 2010, &e), 0);
	cr_assert_str_eq(e.exec_root, "/srv/exec");
	cr_assert_eq(strv_length(e.hosts), 2);
	cr_assert_eq(e.iptables, 0);
	cr_assert_eq(e.live_restore, 1);
	dconfig_effective_release(&e);

	cr_assert_eq(dconfig_effective(json, strlen(json), argv, 2010, &e), 0);
	cr_assert_str_eq(e.exec_root, "/srv/exec", "the file where no flag");
	cr_assert_str_eq(e.data_root, "/srv/data", "flags win");
	cr_assert_eq(strv_length(e.hosts), 1, "-H replaces the file's list");
	cr_assert_str_eq(e.hosts[0], "fd://");
	cr_assert_str_eq(e.dns[0], "1.1.1.1");
	cr_assert_eq(e.iptables, 1);
	dconfig_effective_release(&e);
}

struct tls_case {
	const char *json; /* daemon.json, or NULL */
	const char *argv[6];
	int tls, tlsverify;
	const char *cacert;
};

/* clang-format off */
static struct tls_case tlss[] = {
	{ NULL, { NULL }, 0, 0, NULL },
	{ NULL, { "--tls" }, 1, 0, NULL },
	{ NULL, { "--tlsverify", "--tlscacert", "/ca.pem" }, 1, 1, "/ca.pem" },
	{ NULL, { "--tlsverify=false" }, 1, 0, NULL },
	{ NULL, { "--tlsverify", "--tls=false" }, 1, 1, NULL },
	{ "{\"tls\": true, \"tlscacert\": \"/f.pem\"}", { NULL }, 1, 0, "/f.pem" },
	{ "{\"tlsverify\": true}", { NULL }, 1, 1, NULL },
	{ "{\"tlsverify\": false}", { NULL }, 1, 0, NULL },
	{ "{\"tls\": false, \"tlsverify\": true}", { NULL }, 1, 1, NULL },
	{ "{\"tlscacert\": \"/f.pem\"}", { "--tlsverify", "--tlscacert=/a.pem" }, 1, 1, "/a.pem" },
};
/* clang-format on */

ParameterizedTestParameters(effective, tls)
{
	TABLE_PARAMS(tlss);
}

/* dockerd turns TLS on whenever tlsverify is given, in either place. */
ParameterizedTest(size_t *ci, effective, tls)
{
	const struct tls_case *c = &tlss[*ci];
	struct dconfig_effective e;

	cr_assert_eq(dconfig_effective(c->json, c->json ? strlen(c->json) : 0,
				       (char **)c->argv, 2010, &e),
		     0);
	cr_assert_eq(e.tls, c->tls, "case %zu: tls %d", *ci, e.tls);
	cr_assert_eq(e.tlsverify, c->tlsverify, "case %zu: tlsverify %d", *ci,
		     e.tlsverify);
	if (c->cacert)
		cr_assert_str_eq(e.tlscacert, c->cacert, "case %zu", *ci);
	else
		cr_assert_null(e.tlscacert, "case %zu", *ci);
	dconfig_effective_release(&e);
}

Test(effective, broken_file_keeps_defaults_and_flags)
{
	const char *json = "{\"exec-root\": ";
	char *argv[] = { "--exec-root", "/x", NULL };
	struct dconfig_effective e;

	cr_assert_eq(dconfig_effective(json, strlen(json), argv, 2805, &e), 0);
	cr_assert_str_eq(e.exec_root, "/x");
	cr_assert_str_eq(e.data_root, "/var/lib/docker");
	dconfig_effective_release(&e);
	cr_assert_eq(dconfig_effective("\xef\xbb\xbf{\"graph\": \"/g\"}", 18,
				       NULL, 2010, &e),
		     0);
	cr_assert_str_eq(e.data_root, "/g", "graph is data-root in 20.10");
	dconfig_effective_release(&e);
}

Test(dconfig, binary_version)
{
	struct dconfig_binver b;
	unsigned n = 0;

	if (access("/usr/sbin/dockerd", X_OK) != 0 &&
	    access("/usr/bin/dockerd", X_OK) != 0)
		cr_skip_test("no dockerd binary installed");
	cr_assert_eq(dconfig_binary_version(NULL, &b), 0);
	cr_assert_eq(dockerd_parse_version(b.version, &n), 0, "'%s'",
		     b.version);
	cr_assert_geq(n, 2010);
	cr_assert_not_null(strstr(b.source, "dockerd --version"), "%s",
			   b.source);
}

/* ---- the version when no daemon answers: the dockerd binary's ---- */

static struct fixture bfx;
static char *saved_path;

/* A fake dockerd in the fixture that prints version v. */
static void fake_dockerd(const char *path, const char *v)
{
	char script[256], full[512];

	snprintf(script, sizeof(script),
		 "#!/bin/sh\necho 'Docker version %s, build fake'\n", v);
	fixture_write(&bfx, path, script, -1);
	snprintf(full, sizeof(full), "%s%s", bfx.root, path);
	cr_assert_eq(chmod(full, 0755), 0);
}

static void bin_setup(void)
{
	char path[512];

	fixture_init(&bfx);
	fake_dockerd("/bin/dockerd", "23.0.6");
	fake_dockerd("/exe/dockerd", "24.0.9");
	saved_path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	snprintf(path, sizeof(path), "%s/bin", bfx.root);
	setenv("PATH", path, 1);
}

static void bin_teardown(void)
{
	if (saved_path)
		setenv("PATH", saved_path, 1);
	free(saved_path);
	fixture_release(&bfx);
}

TestSuite(binver, .init = bin_setup, .fini = bin_teardown);

Test(binver, the_examined_daemons_exe_then_path)
{
	struct dconfig_binver b;
	char exe[512];
	const char *src;

	snprintf(exe, sizeof(exe), "%s/exe/dockerd", bfx.root);
	cr_assert_eq(dconfig_binary_version(exe, &b), 0);
	cr_assert_str_eq(b.version, "24.0.9");
	cr_assert_not_null(strstr(b.source, "the examined daemon's"), "%s",
			   b.source);
	cr_assert_eq(dconfig_binary_version("/nonexistent/exe", &b), 0);
	cr_assert_str_eq(b.version, "23.0.6", "dockerd on PATH comes next");
	cr_assert_not_null(strstr(b.source, "on PATH"), "%s", b.source);
	cr_assert_eq(dconfig_pick_version_bin(NULL, NULL, &b, &src), 2300);
	cr_assert_str_eq(src, b.source);
	cr_assert_not_null(strstr(src, "no daemon answered"));
	cr_assert_eq(dconfig_pick_version_bin(NULL, "20.10.24", &b, &src), 2010,
		     "the daemon's own version wins");
}

Test(binver, config_check_and_the_rules_agree)
{
	struct options o = { .timeout_ms = 300 };
	struct dconfig_gather g;
	struct ctx ctx;
	const char *src = NULL;

	/* no daemon: --pid names this test, which is no dockerd */
	o.host = "unix:///nonexistent/dd.sock";
	o.pid = getpid();
	dconfig_gather_init(&g, "config.daemon-json");
	dconfig_gather_version(&g, NULL, NULL, true, 0);
	cr_assert_eq(g.in.version, 2300, "config check: %u (%s)", g.in.version,
		     g.in.version_source);
	cr_assert_not_null(strstr(g.in.version_source, "on PATH"));
	dconfig_gather_release(&g);
	cr_assert_eq(ctx_init(&ctx, &o), 0);
	cr_assert_eq(ctx_docker_version(&ctx, &src), 2300, "the rules: %s",
		     src);
	cr_assert_not_null(strstr(src, "no daemon answered"), "%s", src);
	cr_assert_not_null(strstr(src, "/bin/dockerd --version"), "%s", src);
	ctx_release(&ctx);
}

/* ---- the drop-in for 'hosts', applied to the tree and read back ---- */

#include "config/unitfile.h"

/* Debian's docker.service (docker.io), the parts that matter here. */
static const char debian_unit[] =
	"[Unit]\nDescription=Docker Application Container Engine\n"
	"[Service]\nType=notify\n"
	"EnvironmentFile=-/etc/default/docker\n"
	"ExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS\n"
	"ExecReload=/bin/kill -s HUP $MAINPID\n";

struct dropin_case {
	const char *name;
	const char *dropin; /* an override.conf already there, or NULL */
	bool running; /* a dockerd runs with the unit's flags */
	const char *want[8]; /* the ExecStart argv once the fix is applied */
	const char *verbatim; /* a word kept as written, not expanded */
};

/* clang-format off */
static struct dropin_case dropins[] = {
	{ "debian", NULL, false,
	  { "/usr/sbin/dockerd", "--containerd=/run/containerd/containerd.sock", "--log-level", "warn" },
	  "$DOCKER_OPTS" },
	{ "debian, dockerd running", NULL, true,
	  { "/usr/sbin/dockerd", "--containerd=/run/containerd/containerd.sock", "--log-level", "warn" },
	  "$DOCKER_OPTS" },
	{ "existing drop-in, -H= and --host=", "[Service]\nEnvironment=EXTRA=--debug\nExecStart=\n"
	  "ExecStart=/usr/local/bin/dockerd -H=fd:// --host=unix:///run/d.sock --data-root \"/srv/my docker\" ${EXTRA}\n",
	  false,
	  { "/usr/local/bin/dockerd", "--data-root", "/srv/my docker", "--debug" },
	  "${EXTRA}" },
};
/* clang-format on */

ParameterizedTestParameters(dropin, applied_and_read_back)
{
	TABLE_PARAMS(dropins);
}

/* Run config.daemon-json on the tree; pid 100 is the daemon if it runs. */
static struct report *run_dropin_check(struct fixture *fx, bool running)
{
	struct options o = { .timeout_ms = 300, .pid = running ? 100 : 0 };

	o.host = "unix:///nonexistent/dd.sock";
	return fixture_run_check(fx, &check_config_daemon_json, &o, 0, NULL, 0);
}

/* Take the file to create and its text out of the 'hosts' remedy. */
static void parse_dropin_remedy(const char *remedy, char **ret_path,
				char **ret_text)
{
	const char *p = strstr(remedy, "create "), *with, *then;

	cr_assert_not_null(p, "no file to create in: %s", remedy);
	p += strlen("create ");
	with = strstr(p, " with\n");
	cr_assert_not_null(with, "no ' with' in: %s", remedy);
	then = strstr(with, "then systemctl daemon-reload");
	cr_assert_not_null(then, "no 'then' in: %s", remedy);
	*ret_path = strndup(p, (size_t)(with - p));
	p = with + strlen(" with\n");
	*ret_text = strndup(p, (size_t)(then - p));
}

ParameterizedTest(size_t *ci, dropin, applied_and_read_back)
{
	const struct dropin_case *c = &dropins[*ci];
	struct fixture fx;
	struct pathctx pc = { .fd = -1 };
	struct unit_info u = { 0 };
	const struct finding *f;
	struct report *r;
	char *path = NULL, *text = NULL;
	size_t n = 0;

	fixture_init(&fx);
	fixture_write(&fx, "/proc/stat", "btime 1000\n", -1);
	fixture_write(&fx, "/proc/net/unix", "Num\n", -1);
	fixture_write(&fx, "/lib/systemd/system/docker.service", debian_unit,
		      -1);
	fixture_write(&fx, "/etc/default/docker",
		      "DOCKER_OPTS=\"--log-level warn\"\n", -1);
	if (c->dropin)
		fixture_write(
			&fx,
			"/etc/systemd/system/docker.service.d/override.conf",
			c->dropin, -1);
	if (c->running) {
		static const char *const argv[] = {
			"/usr/sbin/dockerd",
			"-H",
			"fd://",
			"--containerd=/run/containerd/containerd.sock",
			"--log-level",
			"warn",
			NULL
		};
		fixture_process(&fx, 100, 1, argv);
	}
	fixture_write(&fx, "/etc/docker/daemon.json",
		      "{\"hosts\": [\"unix:///var/run/docker.sock\"]}\n", -1);

	r = run_dropin_check(&fx, c->running);
	f = test_find(r, SEV_CRITICAL, "'hosts' is set both");
	cr_assert_not_null(f, "%s: no hosts conflict", c->name);
	cr_assert_not_null(f->remedy);
	parse_dropin_remedy(f->remedy, &path, &text);
	cr_assert(startswith(path, "/etc/systemd/system/docker.service.d/"),
		  "%s: '%s'", c->name, path);
	if (c->dropin)
		cr_assert_gt(strcmp(strrchr(path, '/') + 1, "override.conf"), 0,
			     "'%s' must sort after override.conf", path);
	cr_assert_not_null(strstr(text, c->verbatim), "%s: '%s' not in:\n%s",
			   c->name, c->verbatim, text);
	report_free(r);

	/* apply it as the admin would, and read the unit back */
	fixture_write(&fx, path, text, -1);
	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(unit_load(&pc, "docker.service", &u), 0);
	cr_assert_eq(u.n_exec_start, 1,
		     "%s: the drop-in resets ExecStart=", c->name);
	cr_assert_null(u.warnings, "%s: %s", c->name,
		       u.warnings ? u.warnings[0] : "");
	while (c->want[n])
		n++;
	cr_assert_eq(strv_length(u.exec_start), n, "%s: %zu words", c->name,
		     strv_length(u.exec_start));
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(u.exec_start[i], c->want[i], "%s: word %zu",
				 c->name, i);
	cr_assert(strv_contains(u.exec_words, c->verbatim),
		  "%s: '%s' kept as written", c->name, c->verbatim);

	/* the unit no longer conflicts with 'hosts' */
	r = run_dropin_check(&fx, c->running);
	for (size_t i = 0; i < r->n_findings; i++) {
		const char *fl = test_evidence(&r->findings[i], "flags");

		if (!strstr(r->findings[i].summary, "'hosts' is set both"))
			continue;
		cr_assert(c->running, "%s: a hosts conflict is left", c->name);
		cr_assert_null(strstr(fl ?: "", "docker.service"),
			       "%s: the unit still conflicts", c->name);
	}
	if (!c->running)
		cr_assert_leq(report_worst(r), SEV_INFO, "%s: %s", c->name,
			      severity_name(report_worst(r)));
	report_free(r);
	unit_info_release(&u);
	pathctx_release(&pc);
	free(path);
	free(text);
	fixture_release(&fx);
}
