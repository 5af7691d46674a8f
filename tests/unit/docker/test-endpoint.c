// SPDX-License-Identifier: GPL-2.0-or-later
/* Daemon addresses (DOCKER_HOST rules) and credential masking. */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "docker/endpoint.h"
#include "core/util.h"
#include "table.h"

struct ep_case {
	const char *addr;
	const char *tls_verify;
	int ok;
	const char *err_has;
	enum endpoint_kind kind;
	const char *path_or_host;
	int port;
	const char *base_url;
};

/* clang-format off */
static struct ep_case cases[] = {
	{ "unix:///var/run/docker.sock", NULL, 1, NULL, EP_UNIX, "/var/run/docker.sock", 0, "http://localhost" },
	{ "unix:///run/user/1000/docker.sock", NULL, 1, NULL, EP_UNIX, "/run/user/1000/docker.sock", 0, "http://localhost" },
	{ "tcp://127.0.0.1:2375", NULL, 1, NULL, EP_TCP, "127.0.0.1", 2375, "http://127.0.0.1:2375" },
	{ "tcp://docker.example", NULL, 1, NULL, EP_TCP, "docker.example", 2375, "http://docker.example:2375" },
	{ "tcp://docker.example", "1", 1, NULL, EP_TCP, "docker.example", 2376, "https://docker.example:2376" },
	{ "tcp://[::1]:2376", "1", 1, NULL, EP_TCP, "[::1]", 2376, "https://[::1]:2376" },
	{ "tcp://[::1]", NULL, 1, NULL, EP_TCP, "[::1]", 2375, "http://[::1]:2375" },
	{ "tcp://h:2375/", NULL, 1, NULL, EP_TCP, "h", 2375, "http://h:2375" },
	{ "ssh://me@host", NULL, 1, NULL, EP_SSH, "me@host", 0, NULL },
	{ "tcp:/bogus", NULL, 0, "not of the form scheme://address" },
	{ "bogus", NULL, 0, "not of the form" },
	{ "", NULL, 0, "not of the form" },
	{ "foo://x", NULL, 0, "unsupported scheme 'foo'" },
	{ "http://x:1", NULL, 0, "unsupported scheme 'http'" },
	{ "unix://", NULL, 0, "must be absolute" },
	{ "unix://relative.sock", NULL, 0, "must be absolute" },
	{ "tcp://", NULL, 0, "no host name" },
	{ "tcp://h:0", NULL, 0, "invalid port '0'" },
	{ "tcp://h:65536", NULL, 0, "invalid port" },
	{ "tcp://h:abc", NULL, 0, "invalid port 'abc'" },
	{ "tcp://::1:2375", NULL, 0, "IPv6 address needs brackets" },
	{ "tcp://[::1:2375", NULL, 0, "invalid IPv6 address" },
	{ "unix:///aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL, 0, "longer than 107" },
};
/* clang-format on */

ParameterizedTestParameters(endpoint, table)
{
	TABLE_PARAMS(cases);
}

ParameterizedTest(size_t *ci, endpoint, table)
{
	const struct ep_case *c = &cases[*ci];
	struct endpoint_tls_env env = { .tls_verify = c->tls_verify,
					.cert_path = "/certs",
					.home = "/home/u" };
	struct endpoint ep = { 0 };
	char err[256] = "";
	int r = endpoint_parse(c->addr, &env, &ep, err, sizeof(err));

	if (!c->ok) {
		cr_assert_lt(r, 0, "'%s' should be rejected", c->addr);
		cr_assert_not_null(strstr(err, c->err_has), "'%s': error '%s'",
				   c->addr, err);
		return;
	}
	cr_assert_eq(r, 0, "'%s': %s", c->addr, err);
	cr_assert_eq(ep.kind, c->kind);
	cr_assert_str_eq(ep.kind == EP_UNIX ? ep.path : ep.host,
			 c->path_or_host);
	cr_assert_eq(ep.port, c->port);
	if (c->base_url)
		cr_assert_str_eq(ep.base_url, c->base_url);
	if (ep.tls) {
		cr_assert_str_eq(ep.ca, "/certs/ca.pem");
		cr_assert_str_eq(ep.key, "/certs/key.pem");
	}
	endpoint_release(&ep);
}

Test(endpoint, tls_files_default_to_home_docker)
{
	struct endpoint_tls_env env = { .tls_verify = "1", .home = "/home/u" };
	struct endpoint ep = { 0 };
	char err[128];

	cr_assert_eq(endpoint_parse("tcp://h", &env, &ep, err, sizeof(err)), 0);
	cr_assert_str_eq(ep.cert, "/home/u/.docker/cert.pem");
	endpoint_release(&ep);
}

Test(endpoint, local)
{
	static const char *const local[] = { "unix:///x", "tcp://127.0.0.1:1",
					     "tcp://localhost:1",
					     "tcp://[::1]:1" };
	struct endpoint ep = { 0 };
	char err[128];

	for (size_t i = 0; i < 4; i++) {
		cr_assert_eq(endpoint_parse(local[i], NULL, &ep, err,
					    sizeof(err)),
			     0);
		cr_assert(endpoint_is_local(&ep), "%s", local[i]);
		endpoint_release(&ep);
	}
	cr_assert_eq(endpoint_parse("tcp://10.1.2.3:1", NULL, &ep, err,
				    sizeof(err)),
		     0);
	cr_assert_not(endpoint_is_local(&ep));
	endpoint_release(&ep);
}

struct mask_case {
	const char *in, *out;
};

/* clang-format off */
static struct mask_case masks[] = {
	{ "http://user:secret@proxy:3128", "http://xxxxx:xxxxx@proxy:3128" },
	{ "--http-proxy=http://u:p@h:1 --x", "--http-proxy=http://xxxxx:xxxxx@h:1 --x" },
	{ "a://b@c d://e:f@g", "a://xxxxx:xxxxx@c d://xxxxx:xxxxx@g" },
	{ "unix:///var/run/docker.sock", "unix:///var/run/docker.sock" },
	{ "no url here", "no url here" },
	{ "://@://@://@", "://xxxxx:xxxxx@://xxxxx:xxxxx@://xxxxx:xxxxx@" },
	{ "tcp://host/path@notcred", "tcp://host/path@notcred" },
};
/* clang-format on */

ParameterizedTestParameters(mask, table)
{
	TABLE_PARAMS(masks);
}

ParameterizedTest(size_t *ci, mask, table)
{
	const struct mask_case *c = &masks[*ci];
	char *m = mask_credentials(c->in);

	cr_assert_str_eq(m, c->out);
	free(m);
}

Test(mask, join_cuts_long_lines)
{
	char *v[] = { "dockerd", "--http-proxy", "http://a:b@c", NULL };
	char *s = strv_join_masked(v, 1024), *t = strv_join_masked(v, 10);

	cr_assert_str_eq(s, "dockerd --http-proxy http://xxxxx:xxxxx@c");
	cr_assert_eq(strlen(t), 10);
	cr_assert_str_eq(t + 7, "...");
	free(s);
	free(t);
}

Test(util, parse_seconds)
{
	long ms = -1;

	cr_assert_eq(parse_seconds_ms("3", &ms), 0);
	cr_assert_eq(ms, 3000);
	cr_assert_eq(parse_seconds_ms("0.25", &ms), 0);
	cr_assert_eq(ms, 250);
	cr_assert_eq(parse_seconds_ms("2s", &ms), 0);
	cr_assert_eq(ms, 2000);
	cr_assert_lt(parse_seconds_ms(".5", &ms), 0);
	cr_assert_lt(parse_seconds_ms("1.", &ms), 0);
	cr_assert_lt(parse_seconds_ms("", &ms), 0);
	cr_assert_lt(parse_seconds_ms("99999999999", &ms), 0);
}
