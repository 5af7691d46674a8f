// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Renderers: golden files for every format, plus checks of the shape of
 * each format (JSON parses back, Nagios has one '|', Prometheus families
 * are declared and label values escaped, text fits its width).
 *
 * Regenerate the golden files with DD_UPDATE_GOLDEN=1, then read the
 * diff: a golden file is only as good as the review it got.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "render/render-util.h"
#include "table.h"

#define GOLDEN_DIR TEST_SRCDIR "/tests/golden/"

/* A report with the fixed metadata every case shares. */
static struct report *base_report(void)
{
	struct report *r = report_new();

	cr_assert_not_null(r);
	cr_assert_eq(report_set_string(r, &r->tool_version, "0.1.0"), 0);
	cr_assert_eq(report_set_string(r, &r->host, "testhost"), 0);
	r->generated_at = (struct timespec){ .tv_sec = 1764016200 };
	r->duration = 0.0125;
	r->daemon.pid = 4242;
	cr_assert_eq(report_set_string(r, &r->daemon.version, "20.10.24+dfsg1"),
		     0);
	cr_assert_eq(report_set_string(r, &r->daemon.api_version, "1.41"), 0);
	return r;
}

/* Add a finding and fail the test when that fails. */
static struct finding *add(struct report *r, const char *check,
			   enum severity sev, const char *summary)
{
	struct finding *f = report_add(r, check, sev, "%s", summary);

	cr_assert_not_null(f);
	return f;
}

/* Only ok findings; one has a detail that only verbose output shows. */
static struct report *build_healthy(void)
{
	struct report *r = base_report();
	struct finding *f;

	f = add(r, "daemon.process", SEV_OK, "dockerd is running (pid 4242)");
	finding_add_evidence(f, "pid", "4242");
	finding_add_evidence(f, "exe", "/usr/bin/dockerd");
	f = add(r, "daemon.api", SEV_OK, "daemon answered /_ping in 2 ms");
	finding_add_evidence(f, "latency_ms", "2");
	f = add(r, "storage.space", SEV_OK, "/var/lib/docker is 41% full");
	f = add(r, "storage.driver", SEV_OK, "overlay2 on ext4");
	finding_set_detail(f, "The backing filesystem supports d_type.");
	return r;
}

/* The log ring in the report: sources (one failed), odd and long lines. */
static struct report *build_withlog(void)
{
	struct report *r = build_healthy();
	struct report_log_source ok = { .name = "dockerd",
					.where = "/var/log/docker.log",
					.why = "dockerd fd 1 and 2",
					.read = 3,
					.held = 3 };
	struct report_log_source bad = {
		.name = "kernel",
		.where = "/dev/kmsg",
		.why = "automatic",
		.error = "cannot read /dev/kmsg: Operation not permitted",
	};
	char longline[400];

	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	r->log_collected = true;
	r->log_since_us = 1764021600000000LL; /* 2025-11-24T22:00:00Z */
	ok.dropped = 17;
	report_add_log_source(r, &ok);
	report_add_log_source(r, &bad);
	report_add_log(
		r, 1764021601123456LL, "dockerd", "info", false,
		"time=\"2025-11-24T22:00:01Z\" level=info msg=\"API listen on /run/docker.sock\"");
	report_add_log(
		r, 1764021602000001LL, "dockerd", "error", false,
		"pull from https://bob:hunter2@registry.example/v2/ failed:\x1b[31m network is unreachable");
	report_add_log(r, 1764021603999999LL, "dockerd", "unknown", true,
		       longline);
	return r;
}

/* Every severity, two findings for one check, wrapping, multi-line text. */
static struct report *build_mixed(void)
{
	struct report *r = base_report();
	struct finding *f;

	f = add(r, "daemon.process", SEV_OK, "dockerd is running (pid 4242)");
	finding_add_evidence(f, "pid", "4242");
	finding_add_evidence(f, "exe", "/usr/bin/dockerd");
	f = add(r, "storage.space", SEV_WARNING,
		"/var/lib/docker is 91% full (8.6 GiB free of 96 GiB)");
	finding_set_detail(
		f, "Docker needs free space for image layers, container logs "
		   "and the build cache. Below 10%% free, pulls and builds "
		   "start failing with 'no space left on device' and the "
		   "daemon may be unable to write its own state.");
	finding_set_remedy(
		f, "Remove unused data with 'docker system prune', or move "
		   "the data root to a larger disk (\"data-root\" in "
		   "/etc/docker/daemon.json).");
	finding_add_evidence(f, "path", "/var/lib/docker");
	finding_add_evidence(f, "used_percent", "91");
	finding_add_evidence(f, "free_bytes", "9234567890");
	finding_add_evidence(f, "size_bytes", "103079215104");
	f = add(r, "daemon.api", SEV_CRITICAL,
		"daemon unresponsive: no answer to /_ping within 3 s");
	finding_set_detail(
		f, "The daemon accepted the connection on /run/docker.sock "
		   "but did not answer GET /_ping in time. The process is "
		   "alive, so it is most likely blocked: a stuck storage "
		   "driver, a hung containerd or a deadlock inside dockerd "
		   "itself.");
	finding_set_remedy(
		f, "Collect a goroutine dump first: kill -USR1 4242 (the "
		   "daemon writes it to "
		   "/var/run/docker/goroutine-stacks-*.log).\nThen restart "
		   "the daemon: systemctl restart docker.service");
	finding_add_evidence(f, "socket", "/run/docker.sock");
	finding_add_evidence(f, "timeout_ms", "3000");
	finding_add_evidence(f, "pid", "4242");
	finding_add_evidence(f, "state", "S (sleeping)");
	finding_add_evidence(f, "wchan", "futex_wait_queue");
	f = add(r, "network.bridge", SEV_UNKNOWN,
		"cannot inspect 'docker0': permission denied");
	finding_set_remedy(f, "Run dockerd-doctor as root.");
	f = add(r, "config.daemon_json", SEV_INFO, "live-restore is disabled");
	finding_set_detail(
		f, "Containers stop when the daemon restarts. With "
		   "\"live-restore\": true they keep running during daemon "
		   "upgrades.");
	finding_add_evidence(f, "file", "/etc/docker/daemon.json");
	add(r, "daemon.api", SEV_OK, "API version 1.41 is supported");
	add(r, "storage.driver", SEV_OK, "overlay2 on ext4");
	f = add(r, "logs.rotation", SEV_WARNING,
		"json-file logs are not rotated");
	finding_set_detail(
		f,
		"The largest log is "
		"/var/lib/docker/containers/3f9c2a7b1e4d5f6a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a/3f9c2a7b1e4d-json.log "
		"and it grows without limit.");
	finding_set_remedy(
		f, "Set \"log-opts\": {\"max-size\": \"10m\", \"max-file\": "
		   "\"3\"} in /etc/docker/daemon.json and recreate the "
		   "containers.");
	return r;
}

/* No findings at all. */
static struct report *build_empty(void)
{
	return base_report();
}

/* No daemon, no host name, no tool version. */
static struct report *build_nodaemon(void)
{
	struct report *r = base_report();
	struct finding *f;

	report_set_string(r, &r->tool_version, NULL);
	report_set_string(r, &r->host, NULL);
	report_set_string(r, &r->daemon.version, NULL);
	report_set_string(r, &r->daemon.api_version, NULL);
	r->daemon.pid = 0;
	f = add(r, "daemon.process", SEV_CRITICAL, "dockerd is not running");
	finding_set_remedy(f, "Start it: systemctl start docker.service");
	finding_add_evidence(f, "searched", "/proc");
	add(r, "daemon.api", SEV_UNKNOWN, "skipped: no daemon to ask");
	return r;
}

/* The summary of the first hostile finding, and what valid JSON keeps. */
#define HOSTILE_SUMMARY                                                         \
	"pipe | here\nnew line \x1b]0;pwned\x07 bad \xc3\x28 utf8 caf\xc3\xa9 " \
	"\xe6\x97\xa5\xe6\x9c\xac c1 \xc2\x9b end"
#define HOSTILE_SUMMARY_CLEAN                                            \
	"pipe | here\nnew line \x1b]0;pwned\x07 bad \xef\xbf\xbd( utf8 " \
	"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac c1 \xc2\x9b end"
#define HOSTILE_CHECK "evil\"check\\id\n"

/* Strings a hostile daemon could send us, in every field. */
static struct report *build_hostile(void)
{
	struct report *r = base_report();
	struct finding *f;

	report_set_string(r, &r->host, "evil\x1b[2Jhost");
	report_set_string(r, &r->daemon.version, "20.10\xff\"|\n");
	report_set_string(r, &r->daemon.api_version, "1.41\\\x07");
	f = add(r, HOSTILE_CHECK, SEV_CRITICAL, HOSTILE_SUMMARY);
	finding_set_detail(
		f, "tab\there\r\nCR LF \x7f del \xed\xa0\x80 surrogate");
	finding_set_remedy(f, "run \"rm -rf /\" | never\n\\ backslash");
	finding_add_evidence(f, "key\x1b", "va|ue\n2");
	finding_add_evidence(f, "\"quoted\"", "\xf4\x90\x80\x80 too big");
	/* Both keys become "k\uFFFD" in JSON: the last value must win. */
	finding_add_evidence(f, "k\xff", "one");
	finding_add_evidence(f, "k\xfe", "two");
	add(r, "daemon.api", SEV_WARNING,
	    "\x1b[31mred\x1b[0m \x9b"
	    "2J");
	add(r, "a|b", SEV_OK, "ok | fine");
	return r;
}

struct report_case {
	const char *name;
	struct report *(*build)(void);
	enum severity worst;
	size_t counts[SEV__COUNT];
	size_t checks; /* distinct check ids */
};

/* clang-format off */
static struct report_case reports[] = {
	{ "healthy", build_healthy, SEV_OK, { 4, 0, 0, 0, 0 }, 4 },
	{ "mixed", build_mixed, SEV_CRITICAL, { 3, 1, 1, 2, 1 }, 7 },
	{ "empty", build_empty, SEV_OK, { 0, 0, 0, 0, 0 }, 0 },
	{ "nodaemon", build_nodaemon, SEV_CRITICAL, { 0, 0, 1, 0, 1 }, 2 },
	{ "hostile", build_hostile, SEV_CRITICAL, { 1, 0, 0, 1, 1 }, 3 },
	{ "withlog", build_withlog, SEV_OK, { 4, 0, 0, 0, 0 }, 4 },
};
/* clang-format on */

/* Render r into a new string; fails the test on any error. */
static char *render_str(const struct report *r, enum render_format fmt,
			const struct render_opts *o, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	cr_assert_not_null(m);
	cr_assert_eq(render(fmt, r, m, o), 0);
	cr_assert_eq(fclose(m), 0);
	if (ret_len)
		*ret_len = len;
	return buf;
}

/* Read a whole file into a new string, or NULL when it cannot be read. */
static char *slurp(const char *path, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *in = fopen(path, "r");
	FILE *m;
	int ch;

	if (!in)
		return NULL;
	m = open_memstream(&buf, &len);
	cr_assert_not_null(m);
	while ((ch = fgetc(in)) != EOF)
		fputc(ch, m);
	fclose(in);
	cr_assert_eq(fclose(m), 0);
	*ret_len = len;
	return buf;
}

/* Line number (from 1) of the first byte where a and b differ. */
static size_t first_diff_line(const char *a, size_t na, const char *b,
			      size_t nb)
{
	size_t line = 1;

	for (size_t i = 0; i < na && i < nb && a[i] == b[i]; i++)
		if (a[i] == '\n')
			line++;
	return line;
}

struct golden_case {
	const char *file; /* under tests/golden/ */
	size_t report; /* index in reports[] */
	enum render_format fmt;
	struct render_opts opts;
};

/* clang-format off */
static struct golden_case goldens[] = {
	{ "healthy.text", 0, FORMAT_TEXT, { 0 } },
	{ "healthy.text-verbose", 0, FORMAT_TEXT, { .verbose = true } },
	{ "healthy.json", 0, FORMAT_JSON, { 0 } },
	{ "healthy.nagios", 0, FORMAT_NAGIOS, { 0 } },
	{ "healthy.prometheus", 0, FORMAT_PROMETHEUS, { 0 } },
	{ "mixed.text", 1, FORMAT_TEXT, { 0 } },
	{ "mixed.text-color", 1, FORMAT_TEXT, { .color = true } },
	{ "mixed.text-verbose", 1, FORMAT_TEXT, { .verbose = true } },
	{ "mixed.text-width60", 1, FORMAT_TEXT, { .width = 60 } },
	{ "mixed.json", 1, FORMAT_JSON, { 0 } },
	{ "mixed.nagios", 1, FORMAT_NAGIOS, { 0 } },
	{ "mixed.prometheus", 1, FORMAT_PROMETHEUS, { 0 } },
	{ "empty.text", 2, FORMAT_TEXT, { 0 } },
	{ "empty.json", 2, FORMAT_JSON, { 0 } },
	{ "empty.nagios", 2, FORMAT_NAGIOS, { 0 } },
	{ "empty.prometheus", 2, FORMAT_PROMETHEUS, { 0 } },
	{ "nodaemon.text", 3, FORMAT_TEXT, { 0 } },
	{ "nodaemon.json", 3, FORMAT_JSON, { 0 } },
	{ "nodaemon.nagios", 3, FORMAT_NAGIOS, { 0 } },
	{ "nodaemon.prometheus", 3, FORMAT_PROMETHEUS, { 0 } },
	{ "hostile.text", 4, FORMAT_TEXT, { 0 } },
	{ "hostile.text-color", 4, FORMAT_TEXT, { .color = true } },
	{ "hostile.json", 4, FORMAT_JSON, { 0 } },
	{ "hostile.nagios", 4, FORMAT_NAGIOS, { 0 } },
	{ "hostile.prometheus", 4, FORMAT_PROMETHEUS, { 0 } },
	{ "withlog.text", 5, FORMAT_TEXT, { 0 } },
	{ "withlog.json", 5, FORMAT_JSON, { 0 } },
	{ "withlog.nagios", 5, FORMAT_NAGIOS, { 0 } },
	{ "withlog.prometheus", 5, FORMAT_PROMETHEUS, { 0 } },
};
/* clang-format on */

ParameterizedTestParameters(render, golden)
{
	TABLE_PARAMS(goldens);
}

ParameterizedTest(size_t *gi, render, golden)
{
	const struct golden_case *g = &goldens[*gi];
	const char *update = getenv("DD_UPDATE_GOLDEN");
	struct report *r = reports[g->report].build();
	char path[4096];
	char *got, *want;
	size_t ngot, nwant = 0;

	snprintf(path, sizeof(path), GOLDEN_DIR "%s", g->file);
	got = render_str(r, g->fmt, &g->opts, &ngot);
	if (update && strcmp(update, "1") == 0) {
		FILE *fp = fopen(path, "w");

		cr_assert_not_null(fp, "cannot write '%s'", path);
		cr_assert_eq(fwrite(got, 1, ngot, fp), ngot);
		cr_assert_eq(fclose(fp), 0);
		cr_log_warn("updated '%s'", path);
	}
	want = slurp(path, &nwant);
	cr_assert_not_null(want, "cannot read '%s'", path);
	cr_expect(ngot == nwant && memcmp(got, want, ngot) == 0,
		  "%s: output differs from the golden file at line %zu "
		  "(DD_UPDATE_GOLDEN=1 regenerates it)\n--- got:\n%s",
		  g->file, first_diff_line(got, ngot, want, nwant), got);
	free(want);
	free(got);
	report_free(r);
}

/* Parameters of a test run once per report case. */
#define REPORT_PARAMS(test)                       \
	ParameterizedTestParameters(render, test) \
	{                                         \
		TABLE_PARAMS(reports);            \
	}

/* Code points in n bytes of UTF-8. */
static size_t utf8_cols(const char *s, size_t n)
{
	size_t cols = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			cols++;
	return cols;
}

/* Whether a line is one word after its indent and label/fix/evidence head. */
static bool one_word(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == ' ')
		i++;
	if (n - i >= 4 && memcmp(s + i, "fix:", 4) == 0)
		i += 4;
	else if (n - i >= 9 && memcmp(s + i, "evidence:", 9) == 0)
		i += 9;
	else
		while (i < n && s[i] >= 'A' && s[i] <= 'Z')
			i++;
	while (i < n && s[i] == ' ')
		i++;
	return memchr(s + i, ' ', n - i) == NULL;
}

/*
 * Text at any width: no line wider than it but for one long word. The log
 * lines at the end are quoted as they are (cut at a fixed length), not
 * wrapped: the check stops at the log section.
 */
REPORT_PARAMS(text_width)

ParameterizedTest(size_t *ri, render, text_width)
{
	static const unsigned widths[] = { 40, 60, 80, 100 };
	struct report *r = reports[*ri].build();

	for (size_t w = 0; w < TABLE_SIZE(widths); w++) {
		struct render_opts o = { .width = widths[w] };
		char *text = render_str(r, FORMAT_TEXT, &o, NULL);
		size_t lineno = 0;

		char *log = strstr(text, "\nlog: last ");

		if (log)
			log[1] = '\0';
		for (const char *p = text; *p;) {
			const char *nl = strchr(p, '\n');
			size_t n;

			cr_assert_not_null(nl,
					   "text does not end in a newline");
			n = (size_t)(nl - p);
			lineno++;
			if (utf8_cols(p, n) > widths[w])
				cr_expect(one_word(p, n),
					  "line %zu wider than %u: '%.*s'",
					  lineno, widths[w], (int)n, p);
			cr_expect(n == 0 || p[n - 1] != ' ',
				  "trailing space on line %zu", lineno);
			p = nl + 1;
		}
		for (const char *p = text; *p; p++)
			cr_assert(*p == '\n' || ((unsigned char)*p >= 0x20 &&
						 *p != 0x7f),
				  "raw control byte 0x%02x in text output",
				  (unsigned char)*p);
		free(text);
	}
	report_free(r);
}

/* Whether w occurs in s as a whole word between blanks. */
static bool has_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (const char *at = strstr(s, w); at; at = strstr(at + 1, w))
		if ((at == s || at[-1] == ' ' || at[-1] == '\n') &&
		    (at[n] == ' ' || at[n] == '\n'))
			return true;
	return false;
}

/* Wrapping moves words between lines but never splits or drops one. */
Test(render, text_wrap_keeps_words)
{
	struct report *r = build_mixed();
	const struct finding *f = &r->findings[7];

	cr_assert_str_eq(f->check, "logs.rotation");
	for (unsigned width = 20; width <= 120; width += 5) {
		struct render_opts o = { .width = width };
		char *s = render_str(r, FORMAT_TEXT, &o, NULL);
		char *words = strdup(f->detail), *save = NULL;

		cr_assert_not_null(words);
		for (char *w = strtok_r(words, " ", &save); w;
		     w = strtok_r(NULL, " ", &save)) {
			cr_assert(has_word(s, w), "width %u split or lost '%s'",
				  width, w);
		}
		/* Lines start in the label, text, fix or evidence column. */
		for (const char *p = s; *p; p = strchr(p, '\n') + 1) {
			size_t lead = strspn(p, " ");

			cr_assert(lead == 0 || lead == 9 || lead == 14 ||
					  lead == 19,
				  "width %u: line indented by %zu", width,
				  lead);
		}
		free(words);
		free(s);
	}
	report_free(r);
}

/* Drop "ESC [ ... m" sequences from s in place. */
static void strip_sgr(char *s)
{
	char *q = s;

	while (*s) {
		if (s[0] == '\033' && s[1] == '[') {
			s += 2;
			while (*s == ';' || (*s >= '0' && *s <= '9'))
				s++;
			cr_assert_eq(*s, 'm', "escape other than SGR");
			s++;
			continue;
		}
		*q++ = *s++;
	}
	*q = '\0';
}

/* Colour only adds SGR sequences around labels. */
REPORT_PARAMS(text_color)

ParameterizedTest(size_t *ri, render, text_color)
{
	struct report *r = reports[*ri].build();
	struct render_opts co = { .color = true };
	char *plain = render_str(r, FORMAT_TEXT, NULL, NULL);
	char *color = render_str(r, FORMAT_TEXT, &co, NULL);

	cr_assert_null(strchr(plain, '\033'));
	if (r->n_findings > 0)
		cr_assert_not_null(strstr(color, "\033[0m"));
	strip_sgr(color);
	cr_assert_str_eq(color, plain);
	free(plain);
	free(color);
	report_free(r);
}

/* Parse JSON strictly, as valid UTF-8; fails the test otherwise. */
static struct json_object *parse_json(const char *s, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root;

	cr_assert_not_null(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
					    JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, s, (int)len);
	cr_assert_eq(json_tokener_get_error(tok), json_tokener_success,
		     "invalid JSON: %s",
		     json_tokener_error_desc(json_tokener_get_error(tok)));
	/* The tokener takes the trailing newline as whitespace. */
	cr_assert_eq(json_tokener_get_parse_end(tok), len,
		     "trailing bytes after the document");
	cr_assert_eq(s[len - 1], '\n');
	json_tokener_free(tok);
	return root;
}

/* Member path a.b.c of a JSON object; fails the test when missing. */
static struct json_object *jget(struct json_object *o, const char *a,
				const char *b)
{
	struct json_object *v = NULL;

	cr_assert(json_object_object_get_ex(o, a, &v), "no member '%s'", a);
	if (b)
		cr_assert(json_object_object_get_ex(v, b, &v),
			  "no member '%s.%s'", a, b);
	return v;
}

/* JSON parses back with the report's counts, worst and findings. */
REPORT_PARAMS(json_roundtrip)

ParameterizedTest(size_t *ri, render, json_roundtrip)
{
	const struct report_case *c = &reports[*ri];
	struct report *r = c->build();
	size_t len;
	char *s = render_str(r, FORMAT_JSON, NULL, &len);
	struct json_object *root = parse_json(s, len), *counts, *arr;

	cr_assert_str_eq(json_object_get_string(jget(root, "schema", NULL)),
			 REPORT_SCHEMA);
	cr_assert_str_eq(json_object_get_string(jget(root, "summary", "worst")),
			 severity_name(c->worst));
	cr_assert_eq(json_object_get_int(jget(root, "summary", "exit_code")),
		     severity_exit_code(c->worst));
	counts = jget(root, "summary", "counts");
	for (int sev = 0; sev < SEV__COUNT; sev++)
		cr_assert_eq(json_object_get_int64(
				     jget(counts, severity_name(sev), NULL)),
			     (int64_t)c->counts[sev], "count of %s",
			     severity_name(sev));
	cr_assert_eq(
		json_object_get_double(jget(root, "duration_seconds", NULL)),
		0.0125);
	arr = jget(root, "findings", NULL);
	cr_assert_eq(json_object_array_length(arr), r->n_findings);
	for (size_t i = 0; i < r->n_findings; i++) {
		struct json_object *jf = json_object_array_get_idx(arr, i);

		cr_assert_str_eq(
			json_object_get_string(jget(jf, "severity", NULL)),
			severity_name(r->findings[i].severity));
	}
	cr_assert_eq(json_object_array_length(jget(root, "log", NULL)),
		     r->n_log);
	json_object_put(root);
	free(s);
	report_free(r);
}

/* The valid parts of hostile strings survive; invalid bytes are U+FFFD. */
Test(render, json_hostile_values)
{
	struct report *r = build_hostile();
	size_t len;
	char *s = render_str(r, FORMAT_JSON, NULL, &len);
	struct json_object *root = parse_json(s, len), *f, *ev;

	f = json_object_array_get_idx(jget(root, "findings", NULL), 0);
	cr_assert_str_eq(json_object_get_string(jget(f, "check", NULL)),
			 HOSTILE_CHECK);
	cr_assert_str_eq(json_object_get_string(jget(f, "summary", NULL)),
			 HOSTILE_SUMMARY_CLEAN);
	cr_assert_str_eq(json_object_get_string(jget(f, "detail", NULL)),
			 "tab\there\r\nCR LF \x7f del \xef\xbf\xbd\xef\xbf\xbd"
			 "\xef\xbf\xbd surrogate");
	ev = jget(f, "evidence", NULL);
	cr_assert_eq(json_object_object_length(ev), 3);
	cr_assert_str_eq(json_object_get_string(jget(ev, "key\x1b", NULL)),
			 "va|ue\n2");
	cr_assert_str_eq(
		json_object_get_string(jget(ev, "\"quoted\"", NULL)),
		"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd too big");
	cr_assert_str_eq(
		json_object_get_string(jget(ev, "k\xef\xbf\xbd", NULL)), "two");
	cr_assert_str_eq(
		json_object_get_string(jget(root, "daemon", "version")),
		"20.10\xef\xbf\xbd\"|\n");
	json_object_put(root);
	free(s);
	report_free(r);
}

/* Absent values are JSON null, not empty strings or zero. */
Test(render, json_nulls)
{
	struct report *r = build_nodaemon();
	size_t len;
	char *s = render_str(r, FORMAT_JSON, NULL, &len);
	struct json_object *root = parse_json(s, len), *f;

	cr_assert_null(jget(root, "host", NULL));
	cr_assert_null(jget(root, "tool", "version"));
	cr_assert_null(jget(root, "daemon", "pid"));
	cr_assert_null(jget(root, "daemon", "api_version"));
	f = json_object_array_get_idx(jget(root, "findings", NULL), 1);
	cr_assert_null(jget(f, "detail", NULL));
	cr_assert_null(jget(f, "remedy", NULL));
	json_object_put(root);
	free(s);
	report_free(r);
}

/* Nagios: one status line with one " | ", then one line per problem. */
REPORT_PARAMS(nagios_shape)

ParameterizedTest(size_t *ri, render, nagios_shape)
{
	static const char *const states[SEV__COUNT] = { "OK", "OK", "UNKNOWN",
							"WARNING", "CRITICAL" };
	const struct report_case *c = &reports[*ri];
	struct report *r = c->build();
	char *s = render_str(r, FORMAT_NAGIOS, NULL, NULL);
	char *nl = strchr(s, '\n'), *bar, prefix[64];
	size_t lines = 0, nonok = 0;

	cr_assert_not_null(nl);
	snprintf(prefix, sizeof(prefix), "DOCKERD-DOCTOR %s - ",
		 states[c->worst]);
	cr_assert_eq(strncmp(s, prefix, strlen(prefix)), 0, "%s", s);
	bar = strchr(s, '|');
	cr_assert_not_null(bar);
	cr_assert(bar < nl && bar[-1] == ' ' && bar[1] == ' ');
	cr_assert_null(strchr(bar + 1, '|'), "'|' after the perfdata bar");
	cr_assert_eq(strncmp(bar, "| critical=", 11), 0);
	cr_assert_not_null(strstr(bar, " time=0.0125s;;;0\n"));
	for (const unsigned char *p = (unsigned char *)s; *p; p++) {
		cr_assert(*p == '\n' || (*p >= 0x20 && *p != 0x7f),
			  "control byte 0x%02x", *p);
		cr_assert(p[0] != 0xc2 || p[1] < 0x80 || p[1] > 0x9f,
			  "C1 control in Nagios output");
		lines += *p == '\n';
	}
	for (int sev = SEV_INFO; sev < SEV__COUNT; sev++)
		nonok += c->counts[sev];
	cr_assert_eq(lines, 1 + nonok);
	free(s);
	report_free(r);
}

/* Read a label value at *p (after the opening quote); unescaped copy. */
static char *prom_label_value(const char **p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	const char *s = *p;

	cr_assert_not_null(m);
	for (; *s != '"'; s++) {
		cr_assert(*s != '\0' && *s != '\n', "unterminated label value");
		if (*s == '\\') {
			s++;
			cr_assert(*s == '\\' || *s == '"' || *s == 'n',
				  "bad escape '\\%c'", *s);
			fputc(*s == 'n' ? '\n' : *s, m);
		} else {
			fputc(*s, m);
		}
	}
	*p = s + 1;
	cr_assert_eq(fclose(m), 0);
	return buf;
}

/* Check one sample line; returns the first label value (or NULL). */
static char *prom_sample(const char *line, const char *family)
{
	size_t n = strlen(family);
	const char *p = line + n;
	char *first = NULL, *end;

	cr_assert_eq(strncmp(line, family, n), 0,
		     "sample '%s' outside its family '%s'", line, family);
	if (*p == '{') {
		p++;
		while (*p != '}') {
			char *v;

			while ((*p >= 'a' && *p <= 'z') || *p == '_')
				p++;
			cr_assert_eq(strncmp(p, "=\"", 2), 0, "%s", line);
			p += 2;
			v = prom_label_value(&p);
			if (!first)
				first = v;
			else
				free(v);
			if (*p == ',')
				p++;
		}
		p++;
	}
	cr_assert_eq(*p, ' ', "%s", line);
	strtod(p + 1, &end);
	cr_assert(end != p + 1 && *end == '\0', "bad value in '%s'", line);
	return first;
}

/* Prometheus: HELP and TYPE first, valid samples, no duplicate series. */
REPORT_PARAMS(prometheus_shape)

ParameterizedTest(size_t *ri, render, prometheus_shape)
{
	static const char *const families[] = {
		"check_status",
		"check_severity",
		"findings",
		"exit_status",
		"run_duration_seconds",
		"last_run_timestamp_seconds",
		"info",
		"log_lines_read",
		"log_lines_dropped",
	};
	const struct report_case *c = &reports[*ri];
	struct report *r = c->build();
	char *s = render_str(r, FORMAT_PROMETHEUS, NULL, NULL);
	char family[128] = "", *save = NULL;
	size_t nfam = 0, nstatus = 0, nseries = 0;
	char *series[64];

	for (char *line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *first;

		if (strncmp(line, "# HELP ", 7) == 0) {
			cr_assert_lt(nfam, TABLE_SIZE(families));
			snprintf(family, sizeof(family), "dockerd_doctor_%s",
				 families[nfam++]);
			cr_assert_eq(strncmp(line + 7, family, strlen(family)),
				     0);
			line = strtok_r(NULL, "\n", &save);
			cr_assert_not_null(line);
			cr_assert_eq(strncmp(line, "# TYPE ", 7), 0);
			cr_assert_str_eq(line + 7 + strlen(family), " gauge");
			continue;
		}
		cr_assert_neq(family[0], '\0', "sample before any family");
		first = prom_sample(line, family);
		if (strcmp(family, "dockerd_doctor_check_status") == 0) {
			cr_assert_not_null(first);
			if (nstatus == 0 && *ri == 4)
				cr_assert_str_eq(first, HOSTILE_CHECK);
			nstatus++;
		}
		free(first);
		for (size_t i = 0; i < nseries; i++)
			cr_assert_neq(strcmp(series[i], line), 0,
				      "duplicate series '%s'", line);
		cr_assert_lt(nseries, TABLE_SIZE(series));
		series[nseries++] = line;
	}
	/* the log families only when the report carries a ring */
	cr_assert_eq(nfam, TABLE_SIZE(families) - (r->log_collected ? 0 : 2));
	cr_assert_eq(nstatus, c->checks);
	free(s);
	report_free(r);
}

/* A stream that cannot be written to. */
static FILE *broken_stream(void)
{
	FILE *fp = fopen("/dev/null", "r");

	cr_assert_not_null(fp);
	return fp;
}

/* Every renderer notices a failed write. */
REPORT_PARAMS(write_error)

ParameterizedTest(size_t *ri, render, write_error)
{
	struct report *r = reports[*ri].build();

	for (int fmt = FORMAT_TEXT; fmt <= FORMAT_PROMETHEUS; fmt++) {
		FILE *fp = broken_stream();

		cr_expect_eq(render(fmt, r, fp, NULL), -EIO, "format %d", fmt);
		fclose(fp);
	}
	report_free(r);
}

/* render() dispatches to each renderer; unknown formats are refused. */
Test(render, dispatch)
{
	struct report *r = build_mixed();
	int (*const fns[])(const struct report *, FILE *,
			   const struct render_opts *) = {
		render_text, render_json, render_nagios, render_prometheus
	};

	for (int fmt = FORMAT_TEXT; fmt <= FORMAT_PROMETHEUS; fmt++) {
		char *a = render_str(r, fmt, NULL, NULL), *b = NULL;
		size_t len;
		FILE *m = open_memstream(&b, &len);

		cr_assert_eq(fns[fmt](r, m, NULL), 0);
		cr_assert_eq(fclose(m), 0);
		cr_assert_str_eq(a, b);
		free(a);
		free(b);
	}
	cr_assert_eq(render((enum render_format)42, r, stdout, NULL), -EINVAL);
	report_free(r);
}

struct name_case {
	const char *name;
	int ret;
	enum render_format fmt;
};

/* clang-format off */
static struct name_case names[] = {
	{ "text", 0, FORMAT_TEXT },
	{ "json", 0, FORMAT_JSON },
	{ "nagios", 0, FORMAT_NAGIOS },
	{ "prometheus", 0, FORMAT_PROMETHEUS },
	{ "", -EINVAL, FORMAT_NAGIOS },
	{ "JSON", -EINVAL, FORMAT_NAGIOS },
	{ "prom", -EINVAL, FORMAT_NAGIOS },
	{ "yaml", -EINVAL, FORMAT_NAGIOS },
};
/* clang-format on */

ParameterizedTestParameters(render, format_name)
{
	TABLE_PARAMS(names);
}

ParameterizedTest(size_t *ni, render, format_name)
{
	const struct name_case *c = &names[*ni];
	enum render_format fmt = FORMAT_NAGIOS;

	cr_assert_eq(render_format_from_name(c->name, &fmt), c->ret);
	cr_assert_eq(fmt, c->fmt, "ret left untouched on failure");
}

struct utf8_case {
	const char *in;
	const char *out;
};

#define R "\xef\xbf\xbd" /* U+FFFD */

/* clang-format off */
static struct utf8_case utf8_cases[] = {
	{ "", "" },
	{ "plain ascii \x01\x1f\x7f", "plain ascii \x01\x1f\x7f" },
	{ "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x90\xb3", "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x90\xb3" },
	{ "\xef\xbf\xbd", R },                        /* U+FFFD itself */
	{ "\xc2\x80 \xdf\xbf", "\xc2\x80 \xdf\xbf" }, /* 2-byte bounds */
	{ "\xed\x9f\xbf \xee\x80\x80", "\xed\x9f\xbf \xee\x80\x80" },
	{ "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf" },   /* U+10FFFF */
	{ "\x80", R },                                /* lone continuation */
	{ "a\xbf" "b", "a" R "b" },
	{ "\xff\xfe", R R },
	{ "\xc3", R },                                /* truncated at end */
	{ "\xc3(", R "(" },
	{ "\xe2\x82", R R },
	{ "\xe2\x82x", R R "x" },
	{ "\xf0\x9f\x90", R R R },
	{ "\xc0\xaf", R R },                          /* overlong '/' */
	{ "\xc1\xbf", R R },
	{ "\xe0\x80\xaf", R R R },
	{ "\xe0\x9f\xbf", R R R },                    /* overlong U+07FF */
	{ "\xf0\x80\x80\xaf", R R R R },
	{ "\xf0\x8f\xbf\xbf", R R R R },              /* overlong U+FFFF */
	{ "\xed\xa0\x80", R R R },                    /* U+D800 */
	{ "\xed\xbf\xbf", R R R },                    /* U+DFFF */
	{ "\xf4\x90\x80\x80", R R R R },              /* U+110000 */
	{ "\xf5\x80\x80\x80", R R R R },
	{ "\xf8\x88\x80\x80\x80", R R R R R },
	{ "ok\xe6\x97\xa5\xe6\x97", "ok\xe6\x97\xa5" R R },
};
/* clang-format on */

ParameterizedTestParameters(render, utf8_sanitize)
{
	TABLE_PARAMS(utf8_cases);
}

ParameterizedTest(size_t *ui, render, utf8_sanitize)
{
	const struct utf8_case *c = &utf8_cases[*ui];
	char *out = NULL;

	cr_assert_eq(render_utf8_sanitize(c->in, &out), 0);
	cr_assert_str_eq(out, c->out, "case %zu", *ui);
	free(out);
}

/* Hostile strings reach the terminal escaped, never raw. */
Test(render, text_hostile_escaped)
{
	struct report *r = build_hostile();
	char *s = render_str(r, FORMAT_TEXT, NULL, NULL);

	cr_assert_null(strchr(s, '\033'));
	cr_assert_not_null(strstr(s, "evil\\x1b[2Jhost"));
	cr_assert_not_null(strstr(s, "\\x1b]0;pwned\\x07"));
	cr_assert_not_null(strstr(s, "\\u009b"));
	cr_assert_not_null(strstr(s, "\\x9b2J"));
	cr_assert_not_null(strstr(s, "\\xc3("));
	cr_assert_not_null(strstr(s, "caf\xc3\xa9"));
	free(s);
	report_free(r);
}

/* The width option and NULL options behave as documented. */
Test(render, text_defaults)
{
	struct report *r = build_mixed();
	struct render_opts o80 = { .width = 80 };
	char *a = render_str(r, FORMAT_TEXT, NULL, NULL);
	char *b = render_str(r, FORMAT_TEXT, &o80, NULL);

	cr_assert_str_eq(a, b);
	free(a);
	free(b);
	report_free(r);
}

/* Seconds are formatted without the locale and without float noise. */
Test(render, seconds)
{
	char buf[RENDER_BUF_MAX];

	render_seconds(buf, 0.0125, 3, false);
	cr_assert_str_eq(buf, "0.013");
	render_seconds(buf, 0.0125, 6, true);
	cr_assert_str_eq(buf, "0.0125");
	render_seconds(buf, 2.0, 6, true);
	cr_assert_str_eq(buf, "2");
	render_seconds(buf, 0.1 + 0.2, 9, true);
	cr_assert_str_eq(buf, "0.3");
	render_seconds(buf, -1.0, 3, false);
	cr_assert_str_eq(buf, "0.000");
	render_seconds(buf, 1.0 / 0.0, 6, true);
	cr_assert_str_eq(buf, "0");
}

Test(render, log_lines_are_masked_and_json_has_them_whole)
{
	struct report *r = build_withlog();
	char *json = render_str(r, FORMAT_JSON, NULL, NULL);
	char *text = render_str(r, FORMAT_TEXT, NULL, NULL);

	/* report_add_log() masks credentials once more */
	cr_assert_null(strstr(json, "hunter2"));
	cr_assert_null(strstr(text, "hunter2"));
	cr_assert_not_null(strstr(json, "\"truncated\":true"));
	/* the text report cuts long lines, JSON keeps them whole */
	cr_assert_not_null(strstr(text, "..."));
	cr_assert_null(strstr(text, "\x1b[31m"));
	cr_assert_not_null(strstr(text, "\\x1b"));
	cr_assert_not_null(strstr(text, "log: last 3 of 3 lines since"));
	cr_assert_not_null(strstr(text, "(17 older lines dropped)"));
	free(json);
	free(text);
	report_free(r);
}
