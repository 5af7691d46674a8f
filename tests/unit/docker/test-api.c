// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The API collector and the daemon.api check against a real HTTP server
 * on a UNIX socket in this process: a healthy fake daemon, and hostile
 * ones (silent, closing, garbage, broken JSON, gigantic, HTTP errors).
 */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/check.h"
#include "core/context.h"
#include "docker/dockerapi.h"
#include "fixture.h"
#include "table.h"

extern const struct check check_daemon_api;

enum mode {
	M_HEALTHY,
	M_SILENT,
	M_CLOSE,
	M_GARBAGE,
	M_BAD_JSON,
	M_HUGE,
	M_HTTP_500,
	M_INFO_HANGS,
	M_NOT_DOCKER,
};

struct server {
	enum mode mode;
	int fd;
	char path[108];
	pthread_t thread;
};

static const char info_json[] =
	"{\"ID\":\"x\",\"ServerVersion\":\"99.1.2\",\"Warnings\":[\"WARNING: IPv4 forwarding is disabled\","
	"\"WARNING: API is accessible on http://0.0.0.0:2375 without encryption.\\n"
	"         Access to the remote API is equivalent to root access.\","
	"\"\\u001b[31mhostile\\u001b[0m\"]}";

/* The /info body of the tcp cases, instead of info_json. */
static const char *tcp_info_json;

static void send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

static void respond(int fd, int status, const char *server, const char *body,
		    size_t len)
{
	char head[512];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %d X\r\nServer: %s\r\nApi-Version: 1.99\r\n"
			 "Content-Type: application/json\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			 status, server, len);

	send_all(fd, head, n);
	send_all(fd, body, len);
}

/* Serve one connection according to the mode. */
static void serve(struct server *s, int c)
{
	char req[4096] = "";
	size_t len = 0;
	const char *body;

	if (s->mode == M_CLOSE)
		return;
	while (len < sizeof(req) - 1 && !strstr(req, "\r\n\r\n")) {
		ssize_t n = recv(c, req + len, sizeof(req) - 1 - len, 0);

		if (n <= 0)
			return;
		len += n;
		req[len] = '\0';
	}
	if (s->mode == M_SILENT ||
	    (s->mode == M_INFO_HANGS && strstr(req, "GET /info"))) {
		sleep(5);
		return;
	}
	if (s->mode == M_GARBAGE) {
		send_all(c, "\x01\x02 not http at all\n", 19);
		return;
	}
	if (s->mode == M_HTTP_500) {
		respond(c, 500, "Docker/99", "{}", 2);
		return;
	}
	if (strstr(req, "GET /_ping")) {
		respond(c, 200,
			s->mode == M_NOT_DOCKER ? "nginx"
						: "Docker/99.1.2 (linux)",
			"OK", 2);
		return;
	}
	if (s->mode == M_BAD_JSON) {
		respond(c, 200, "Docker/99", "{\"Warnings\": [", 14);
		return;
	}
	if (s->mode == M_HUGE) {
		static char chunk[65536];
		char head[256];
		int n;

		memset(chunk, ' ', sizeof(chunk));
		n = snprintf(
			head, sizeof(head),
			"HTTP/1.1 200 OK\r\nServer: Docker/99\r\nContent-Length: %d\r\n\r\n",
			64 << 20);
		send_all(c, head, n);
		for (int i = 0; i < 1024; i++)
			send_all(c, chunk, sizeof(chunk));
		return;
	}
	body = tcp_info_json ? tcp_info_json : info_json;
	respond(c, 200, "Docker/99", body, strlen(body));
}

struct conn {
	struct server *s;
	int fd;
};

/* One thread per connection: the client sends its requests together. */
static void *conn_main(void *arg)
{
	struct conn *c = arg;

	serve(c->s, c->fd);
	close(c->fd);
	free(c);
	return NULL;
}

static void *server_main(void *arg)
{
	struct server *s = arg;
	pthread_t t;
	int fd;

	while ((fd = accept(s->fd, NULL, NULL)) >= 0) {
		struct conn *c = malloc(sizeof(*c));

		c->s = s;
		c->fd = fd;
		if (pthread_create(&t, NULL, conn_main, c) == 0)
			pthread_detach(t);
	}
	return NULL;
}

/* Listen on path (a UNIX socket) and serve in a thread. */
static void server_start_at(struct server *s, enum mode mode, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	s->mode = mode;
	if (path != s->path)
		snprintf(s->path, sizeof(s->path), "%s", path);
	unlink(s->path);
	strcpy(sa.sun_path, s->path);
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(s->fd, 0);
	cr_assert_eq(bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)), 0,
		     "bind: %s", strerror(errno));
	cr_assert_eq(listen(s->fd, 8), 0);
	cr_assert_eq(pthread_create(&s->thread, NULL, server_main, s), 0);
}

static void server_start(struct server *s, enum mode mode)
{
	char path[108];

	snprintf(path, sizeof(path), "/tmp/dd-api-test.%d.sock", getpid());
	server_start_at(s, mode, path);
}

static void server_stop(struct server *s)
{
	unlink(s->path);
	/* the test process exits right after; the thread dies with it */
}

/* Run daemon.api against the server; returns the report. */
static struct report *run_api(struct server *s, long timeout_ms)
{
	struct options o = { .timeout_ms = timeout_ms };
	struct report *r;
	char host[160];

	snprintf(host, sizeof(host), "unix://%s", s->path);
	o.host = host;
	/* no dockerd of this machine is examined: --pid names this test */
	o.pid = getpid();
	r = fixture_run_check(NULL, &check_daemon_api, &o, 0, NULL, 0);
	dockerapi_global_cleanup();
	return r;
}

Test(api, healthy_with_warnings)
{
	struct server s;
	struct report *r;
	const struct finding *f;

	server_start(&s, M_HEALTHY);
	r = run_api(&s, 2000);
	cr_assert_not_null(test_find(r, SEV_OK, "Docker 99.1.2, API 1.99"));
	f = test_find(r, SEV_WARNING,
		      "the daemon warns: IPv4 forwarding is disabled");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "ip_forward"));
	/* the daemon's warning about its tcp:// host is critical, once */
	cr_assert_null(test_find(r, SEV_WARNING, "without encryption"));
	f = test_find(r, SEV_CRITICAL,
		      "tcp://0.0.0.0:2375 without TLS, on all interfaces");
	cr_assert_not_null(f);
	cr_assert_null(strchr(f->summary, '\n'), "summary is one line");
	cr_assert_not_null(strstr(test_evidence(f, "daemon_warning"),
				  "without encryption"));
	cr_assert_not_null(strstr(f->remedy, "--tlsverify"));
	cr_assert_not_null(strstr(f->remedy, "ssh://"));
	cr_assert_not_null(test_find(r, SEV_WARNING, "hostile"));
	cr_assert_eq(r->n_findings, 4);
	server_stop(&s);
	report_free(r);
}

struct bad_case {
	enum mode mode;
	long timeout_ms;
	enum severity sev;
	const char *summary_has;
	double max_seconds;
};

/* clang-format off */
static struct bad_case bad_cases[] = {
	{ M_SILENT, 300, SEV_CRITICAL, "daemon unresponsive: no answer to /_ping within 0.3 s", 2.0 },
	{ M_CLOSE, 2000, SEV_CRITICAL, "closed the connection without answering", 1.5 },
	{ M_GARBAGE, 2000, SEV_CRITICAL, "did not answer /_ping", 1.5 },
	{ M_HTTP_500, 2000, SEV_CRITICAL, "HTTP 500", 1.5 },
	{ M_BAD_JSON, 2000, SEV_WARNING, "/info failed: /info: not a JSON object", 1.5 },
	{ M_HUGE, 5000, SEV_WARNING, "/info failed: response larger than", 4.5 },
	{ M_INFO_HANGS, 300, SEV_CRITICAL, "daemon unresponsive: /info did not answer within 0.3 s", 2.0 },
	{ M_NOT_DOCKER, 2000, SEV_WARNING, "does not say it is Docker", 1.5 },
};
/* clang-format on */

ParameterizedTestParameters(api, hostile)
{
	TABLE_PARAMS(bad_cases);
}

ParameterizedTest(size_t *ci, api, hostile, .timeout = 15)
{
	const struct bad_case *c = &bad_cases[*ci];
	struct server s;
	struct report *r;
	struct timespec a, b;
	double secs;

	server_start(&s, c->mode);
	clock_gettime(CLOCK_MONOTONIC, &a);
	r = run_api(&s, c->timeout_ms);
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	if (!test_find(r, c->sev, c->summary_has))
		for (size_t i = 0; i < r->n_findings; i++)
			cr_log_error("got: %s %s",
				     severity_name(r->findings[i].severity),
				     r->findings[i].summary);
	cr_assert_not_null(test_find(r, c->sev, c->summary_has),
			   "mode %d: no %s finding with '%s'", c->mode,
			   severity_name(c->sev), c->summary_has);
	/* a hang is a failure: the bound is the timeout plus slack */
	cr_assert_lt(secs, c->max_seconds, "took %.2f s", secs);
	server_stop(&s);
	report_free(r);
}

Test(api, missing_socket)
{
	struct server s;
	struct report *r;

	snprintf(s.path, sizeof(s.path), "/tmp/dd-api-missing.%d.sock",
		 getpid());
	unlink(s.path);
	r = run_api(&s, 1000);
	cr_assert_not_null(test_find(r, SEV_CRITICAL, "does not exist"));
	report_free(r);
}

Test(api, not_a_socket)
{
	struct server s;
	struct report *r;
	const struct finding *f;

	snprintf(s.path, sizeof(s.path), "/tmp/dd-api-dir.%d.sock", getpid());
	rmdir(s.path);
	cr_assert_eq(mkdir(s.path, 0755), 0);
	r = run_api(&s, 1000);
	f = test_find(r, SEV_CRITICAL, "exists but is not a socket");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->detail, "directory"));
	rmdir(s.path);
	report_free(r);
}

Test(api, refused_stale_socket)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct server s;
	struct report *r;
	int fd;

	/* bind without listen, then close: a socket file nobody serves */
	snprintf(s.path, sizeof(s.path), "/tmp/dd-api-stale.%d.sock", getpid());
	unlink(s.path);
	strcpy(sa.sun_path, s.path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	r = run_api(&s, 1000);
	cr_assert_not_null(test_find(r, SEV_CRITICAL, "connection refused"));
	unlink(s.path);
	report_free(r);
}

Test(api, docker_host_is_explained)
{
	struct options o = { .timeout_ms = 500 };
	struct report *r;

	o.env_docker_host = "unix:///tmp/dd-api-nothing-here.sock";
	r = fixture_run_check(NULL, &check_daemon_api, &o, 0, NULL, 0);
	cr_assert_not_null(test_find(r, SEV_INFO, "DOCKER_HOST is set"));
	cr_assert_not_null(test_find(r, SEV_CRITICAL, "does not exist"));
	report_free(r);
}

Test(api, bad_docker_host)
{
	struct options o = { .timeout_ms = 500 };
	struct report *r;
	const struct finding *f;

	o.env_docker_host = "tcp:/bogus";
	r = fixture_run_check(NULL, &check_daemon_api, &o, 0, NULL, 0);
	f = test_find(r, SEV_CRITICAL,
		      "DOCKER_HOST 'tcp:/bogus' is not a valid daemon address");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "unset DOCKER_HOST"));
	report_free(r);
}

Test(api, credentials_never_shown)
{
	struct options o = { .timeout_ms = 300 };
	struct report *r;

	o.env_docker_host = "tcp://admin:s3cret@127.0.0.1:1";
	r = fixture_run_check(NULL, &check_daemon_api, &o, 0, NULL, 0);
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct finding *f = &r->findings[i];

		cr_assert_null(strstr(f->summary, "s3cret"), "%s", f->summary);
		for (size_t k = 0; k < f->n_evidence; k++)
			cr_assert_null(strstr(f->evidence[k].value, "s3cret"));
	}
	report_free(r);
}

Test(api, never_starts_a_socket_activated_daemon)
{
	static const char *const systemd_argv[] = { "/sbin/init", NULL };
	struct options o = { .timeout_ms = 500 };
	struct report *r = report_new();
	const struct finding *f;
	struct fixture fx;
	struct ctx ctx;

	/* no dockerd; pid 1 (systemd) holds the listening docker.sock */
	fixture_init(&fx);
	fixture_process(&fx, 1, 0, systemd_argv);
	fixture_write(
		&fx, "/proc/net/unix",
		"Num RefCount Protocol Flags Type St Inode Path\n"
		"0: 00000002 00000000 00010000 0001 01 31337 /run/docker.sock\n",
		-1);
	fixture_symlink(&fx, "/proc/1/fd/9", "socket:[31337]");
	fixture_write(&fx, "/proc/stat", "btime 1700000000\n", -1);
	o.sysroot = fx.root;
	o.host = "unix:///run/docker.sock";
	cr_assert_eq(ctx_init(&ctx, &o), 0);
	cr_assert_eq(check_daemon_api.run(&ctx, r), 0);
	f = test_find(r, SEV_WARNING, "not contacted: no dockerd runs");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->summary, "held by systemd (pid 1"));
	cr_assert(ctx.api->skipped);
	cr_assert_eq(ctx.api->ping.seconds, 0, "no request was made");
	ctx_release(&ctx);
	/* the same tree without pid 1 holding it: the tool does connect */
	report_free(r);
	r = report_new();
	unlink(strcat(strcpy((char[512]){ 0 }, fx.root), "/proc/1/fd/9"));
	cr_assert_eq(ctx_init(&ctx, &o), 0);
	cr_assert_eq(check_daemon_api.run(&ctx, r), 0);
	cr_assert_not(ctx.api->skipped);
	cr_assert_null(test_find(r, SEV_WARNING, "not contacted"));
	ctx_release(&ctx);
	report_free(r);
	fixture_release(&fx);
}

Test(api, permission_denied_names_the_group)
{
	struct server s;
	struct report *r;
	const struct finding *f;
	char host[160];
	pid_t child;
	int status;

	if (geteuid() != 0)
		cr_skip_test("needs root to switch to another user");
	server_start(&s, M_HEALTHY);
	cr_assert_eq(chmod(s.path, 0660), 0);
	cr_assert_eq(chown(s.path, 0, 0), 0);
	snprintf(host, sizeof(host), "unix://%s", s.path);
	child = fork();
	if (child == 0) {
		struct options o = { .timeout_ms = 1000, .host = host };
		struct ctx ctx;

		/* as nobody, outside the socket's group */
		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 ||
		    setuid(65534) < 0)
			_exit(10);
		r = report_new();
		if (ctx_init(&ctx, &o) < 0 || check_daemon_api.run(&ctx, r) < 0)
			_exit(11);
		f = test_find(r, SEV_CRITICAL, "permission denied");
		if (!f || !test_evidence(f, "mode") ||
		    strcmp(test_evidence(f, "mode"), "0660") != 0 ||
		    !strstr(f->remedy, "usermod -aG"))
			_exit(12);
		_exit(0);
	}
	cr_assert_eq(waitpid(child, &status, 0), child);
	cr_assert(WIFEXITED(status));
	cr_assert_eq(WEXITSTATUS(status), 0, "child failed at step %d",
		     WEXITSTATUS(status));
	server_stop(&s);
}

/* ---- tcp:// hosts without TLS client verification ---- */

struct tcp_case {
	const char *argv[8]; /* dockerd's, after the program name */
	const char *json; /* daemon.json, or NULL */
	const char *summary_has; /* NULL: no finding about a tcp host */
	const char *daemon_warning; /* a /info warning folded in, or NULL */
};

/* clang-format off */
static struct tcp_case tcps[] = {
	{ { "-H", "tcp://0.0.0.0:2375" }, NULL, "tcp://0.0.0.0:2375 without TLS, on all interfaces" },
	{ { "-H=tcp://127.0.0.1:2375" }, NULL, "tcp://127.0.0.1:2375 without TLS, on loopback only" },
	{ { "--host", ":2375" }, NULL, "tcp://:2375 without TLS, on loopback only" },
	{ { "-Htcp://10.1.2.3:2375" }, NULL, "tcp://10.1.2.3:2375 without TLS, on that address only" },
	{ { "-H", "tcp://0.0.0.0:2376", "--tls", "--tlscert=/c.pem", "--tlskey=/k.pem" }, NULL,
	  "tcp://0.0.0.0:2376 with TLS but without client verification" },
	{ { "-H", "tcp://0.0.0.0:2376", "--tlsverify", "--tlscacert=/ca.pem" }, NULL, NULL },
	{ { "-H", "tcp://0.0.0.0:2376", "--tlsverify=false" }, NULL,
	  "with TLS but without client verification" },
	{ { "-H", "unix:///run/d.sock" }, NULL, NULL },
	{ { NULL }, "{\"hosts\": [\"tcp://[::]:2375\"]}", "tcp://[::]:2375 without TLS, on all interfaces" },
	{ { NULL }, "{\"hosts\": [\"tcp://10.0.0.5:2376\"], \"tlsverify\": true, \"tlscacert\": \"/ca.pem\"}", NULL },
	{ { NULL }, "{\"hosts\": [\"tcp://0.0.0.0:2376\"], \"tls\": true}", "with TLS but without client verification" },
	{ { "-H", "tcp://127.0.0.1:2375" }, NULL, "tcp://127.0.0.1:2375 without TLS, on loopback only",
	  "WARNING: API is accessible on http://127.0.0.1:2375 without encryption." },
};
/* clang-format on */

ParameterizedTestParameters(tcp, exposure)
{
	TABLE_PARAMS(tcps);
}

/* The check on a tree with dockerd pid 100; a fake API in the tree. */
ParameterizedTest(size_t *ci, tcp, exposure)
{
	const struct tcp_case *c = &tcps[*ci];
	const char *argv[10] = { "/usr/sbin/dockerd" };
	struct options o = { .timeout_ms = 2000, .pid = 100 };
	struct fixture fx;
	struct server s = { .fd = -1 };
	const struct finding *f;
	struct report *r;
	char info[512];

	fixture_init(&fx);
	fixture_write(&fx, "/proc/stat", "btime 1000\n", -1);
	fixture_write(&fx, "/proc/net/unix", "Num\n", -1);
	for (size_t i = 0; c->argv[i]; i++)
		argv[i + 1] = c->argv[i];
	fixture_process(&fx, 100, 1, argv);
	if (c->json)
		fixture_write(&fx, "/etc/docker/daemon.json", c->json, -1);
	o.host = "unix:///nonexistent/dd.sock";
	if (c->daemon_warning) {
		snprintf(
			info, sizeof(info),
			"{\"ServerVersion\":\"20.10.24\",\"Warnings\":[\"%s\"]}",
			c->daemon_warning);
		tcp_info_json = info;
		snprintf(s.path, sizeof(s.path), "%.90s/dd.sock", fx.root);
		server_start_at(&s, M_HEALTHY, s.path);
		o.host = "unix:///dd.sock";
	}
	r = fixture_run_check(&fx, &check_daemon_api, &o, 0, NULL, 0);
	f = test_find(r, SEV_CRITICAL, "the Docker API listens on tcp://");
	if (!c->summary_has) {
		cr_assert_null(f, "no finding expected: %s",
			       f ? f->summary : "");
	} else {
		cr_assert_not_null(f, "no finding with '%s'", c->summary_has);
		cr_assert_not_null(strstr(f->summary, c->summary_has), "%s",
				   f->summary);
		cr_assert_not_null(strstr(f->remedy, "ssh://user@host"));
		cr_assert_str_eq(test_evidence(f, "tlsverify"), "false");
	}
	if (c->daemon_warning) {
		cr_assert_not_null(test_evidence(f, "daemon_warning"),
				   "the daemon's warning is evidence");
		cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 1,
			     "one finding for one host");
		cr_assert_null(test_find(r, SEV_WARNING, "without encryption"));
		server_stop(&s);
	}
	dockerapi_global_cleanup();
	report_free(r);
	fixture_release(&fx);
}
