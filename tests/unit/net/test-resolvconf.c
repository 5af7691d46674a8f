// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dns.resolver: the resolv.conf parser, libnetwork's container DNS model
 * by Docker version, the host-file helpers, the active probe against real
 * sockets (a responder thread; as root, a responder inside a network
 * namespace of its own), and the check on fixture trees.
 */
#include "config.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/check.h"
#include "core/context.h"
#include "net/dnsprobe.h"
#include "fixture.h"
#include "net/resolvconf.h"
#include "table.h"
#include "core/util.h"

#define DNS_RESPONDER_NO_MAIN
#include "../../helpers/dns-responder.c"

extern const struct check check_dns_resolver;

/* ---- the parser ---- */

static void parse_str(const char *s, struct rc_file *f)
{
	rc_parse(s, strlen(s), f);
}

Test(rc_parse, two_servers_in_order)
{
	struct rc_file f;

	parse_str("nameserver 10.0.0.1\nnameserver 10.0.0.2\n", &f);
	cr_assert_eq(f.n_ns, 2);
	cr_assert_str_eq(f.ns[0].text, "10.0.0.1");
	cr_assert_str_eq(f.ns[1].text, "10.0.0.2");
	cr_assert_eq(f.ns[0].line, 1);
	cr_assert_eq(f.ns[1].line, 2);
	cr_assert_eq(f.n_lines, 2);
}

Test(rc_parse, comments_and_trailing_comment)
{
	struct rc_file f;

	parse_str("# nameserver 1.1.1.1\n; nameserver 2.2.2.2\n"
		  "  # indented comment\n"
		  "nameserver 3.3.3.3 # the real one\n",
		  &f);
	cr_assert_eq(f.n_ns, 1);
	cr_assert_str_eq(f.ns[0].text, "3.3.3.3");
	cr_assert_eq(f.ns[0].line, 4);
	cr_assert_eq(f.n_invalid_total, 0);
}

Test(rc_parse, odd_lines_and_whitespace)
{
	struct rc_file f;

	parse_str("   nameserver\t10.1.1.1   \n"
		  "nameserver\n" /* no value: ignored */
		  "nameserver10.2.2.2\n" /* not the directive */
		  "NAMESERVER 10.3.3.3\n" /* keywords are lower case */
		  "sortlist 130.155.160.0/255.255.240.0\n"
		  "\n\n",
		  &f);
	cr_assert_eq(f.n_ns, 1);
	cr_assert_str_eq(f.ns[0].text, "10.1.1.1");
	cr_assert_eq(f.n_invalid_total, 0);
}

Test(rc_parse, ipv6_and_zones)
{
	struct rc_file f;

	parse_str("nameserver fe80::1%eth0\nnameserver 2001:DB8::53\n"
		  "nameserver ::1\n",
		  &f);
	cr_assert_eq(f.n_ns, 3);
	cr_assert_str_eq(f.ns[0].text, "fe80::1%eth0");
	cr_assert_str_eq(f.ns[0].zone, "eth0");
	cr_assert_eq(f.ns[0].cls, RC_CLASS_LINK_LOCAL);
	cr_assert_str_eq(f.ns[1].text, "2001:db8::53", "normalised");
	cr_assert_eq(f.ns[1].family, AF_INET6);
	cr_assert(rc_addr_is_loopback(&f.ns[2]));
}

Test(rc_parse, invalid_addresses_are_kept_aside)
{
	struct rc_file f;

	parse_str("nameserver dns.example.com\nnameserver 1.2.3\n"
		  "nameserver 01.2.3.4\nnameserver 1.2.3.4%eth0\n"
		  "nameserver fe80::1%\nnameserver 256.1.1.1\n"
		  "nameserver 9.9.9.9\n",
		  &f);
	cr_assert_eq(f.n_ns, 1);
	cr_assert_str_eq(f.ns[0].text, "9.9.9.9");
	cr_assert_eq(f.n_invalid_total, 6);
	cr_assert_str_eq(f.invalid[0].text, "dns.example.com");
	cr_assert_eq(f.invalid[0].line, 1);
	cr_assert_eq(f.invalid[2].line, 3);
}

Test(rc_parse, duplicates_counted)
{
	struct rc_file f;

	parse_str("nameserver 10.0.0.1\nnameserver 10.0.0.1\n"
		  "nameserver 10.0.0.2\nnameserver 10.0.0.1\n",
		  &f);
	cr_assert_eq(f.n_ns, 4, "libnetwork keeps duplicates");
	cr_assert_eq(f.n_duplicates, 2);
}

Test(rc_parse, more_servers_than_kept)
{
	char buf[4096] = "";
	struct rc_file f;

	for (int i = 0; i < 40; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			 "nameserver 10.0.0.%d\n", i + 1);
	parse_str(buf, &f);
	cr_assert_eq(f.n_ns, RC_MAX_NS);
	cr_assert_eq(f.n_ns_total, 40);
	cr_assert_str_eq(f.ns[3].text, "10.0.0.4");
}

Test(rc_parse, crlf_line_ends)
{
	struct rc_file f;

	parse_str("nameserver 10.0.0.1\r\nsearch example.com\r\n", &f);
	cr_assert(f.crlf);
	cr_assert_eq(f.n_ns, 1);
	cr_assert_str_eq(f.ns[0].text, "10.0.0.1");
	cr_assert_str_eq(f.search, "example.com");
}

Test(rc_parse, binary_garbage_does_not_crash)
{
	unsigned char buf[4096];
	struct rc_file f;
	unsigned seed = 12345;

	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
	memcpy(buf + 100, "\nnameserver 10.9.9.9\n", 21);
	memcpy(buf + 300, "\nnameserver 10.8.\0.8\n", 21);
	rc_parse((const char *)buf, sizeof(buf), &f);
	cr_assert(f.nul);
	cr_assert_geq(f.n_ns, 1);
	cr_assert_str_eq(f.ns[0].text, "10.9.9.9");
	cr_assert_geq(f.n_invalid_total, 1);
	for (size_t i = 0; i < f.n_invalid; i++)
		cr_assert_eq(strlen(f.invalid[i].text) > 0, true);
}

Test(rc_parse, empty_and_no_newline)
{
	struct rc_file f;

	parse_str("", &f);
	cr_assert_eq(f.n_ns, 0);
	cr_assert_eq(f.n_lines, 0);
	parse_str("nameserver 10.0.0.7", &f);
	cr_assert_eq(f.n_ns, 1);
	cr_assert_eq(f.n_lines, 1);
}

Test(rc_parse, search_last_wins_options_accumulate)
{
	struct rc_file f;

	parse_str("search a.example b.example\ndomain c.example\n"
		  "options ndots:2\noptions edns0 trust-ad\n",
		  &f);
	cr_assert_str_eq(f.search, "c.example");
	cr_assert_str_eq(f.options, "ndots:2 edns0 trust-ad");
}

Test(rc_parse, stub_rule)
{
	struct rc_file f;

	parse_str("nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n",
		  &f);
	cr_assert(rc_is_systemd_stub_only(&f));
	parse_str("nameserver 127.0.0.53\nnameserver 10.0.0.1\n", &f);
	cr_assert_not(rc_is_systemd_stub_only(&f), "mixed: no switch");
	parse_str("nameserver 127.0.0.53\nnameserver 127.0.0.53\n", &f);
	cr_assert_not(rc_is_systemd_stub_only(&f), "two lines: no switch");
	parse_str("nameserver 127.0.0.54\n", &f);
	cr_assert_not(rc_is_systemd_stub_only(&f));
	cr_assert_not(rc_is_systemd_stub_only(NULL));
}

/* ---- address classes ---- */

struct class_case {
	const char *addr;
	enum rc_class cls;
};

/* clang-format off */
static const struct class_case classes[] = {
	{ "127.0.0.53", RC_CLASS_LOOPBACK },
	{ "127.1.2.3", RC_CLASS_LOOPBACK },
	{ "::1", RC_CLASS_LOOPBACK },
	{ "::ffff:127.0.0.1", RC_CLASS_LOOPBACK },
	{ "0.0.0.0", RC_CLASS_UNSPECIFIED },
	{ "::", RC_CLASS_UNSPECIFIED },
	{ "169.254.169.253", RC_CLASS_LINK_LOCAL },
	{ "fe80::1%2", RC_CLASS_LINK_LOCAL },
	{ "10.0.0.1", RC_CLASS_PRIVATE },
	{ "172.16.0.1", RC_CLASS_PRIVATE },
	{ "172.32.0.1", RC_CLASS_GLOBAL },
	{ "192.168.1.1", RC_CLASS_PRIVATE },
	{ "100.64.0.10", RC_CLASS_PRIVATE },
	{ "fd00::53", RC_CLASS_PRIVATE },
	{ "8.8.8.8", RC_CLASS_GLOBAL },
	{ "2001:4860:4860::8888", RC_CLASS_GLOBAL },
	{ "224.0.0.251", RC_CLASS_OTHER },
};
/* clang-format on */

ParameterizedTestParameters(rc_addr, classes)
{
	TABLE_PARAMS(classes);
}

ParameterizedTest(size_t *ci, rc_addr, classes)
{
	const struct class_case *c = &classes[*ci];
	struct rc_addr a;

	cr_assert_eq(rc_addr_parse(c->addr, &a), 0, "%s", c->addr);
	cr_assert_eq(a.cls, c->cls, "%s: %s", c->addr, rc_class_name(a.cls));
	cr_assert_eq(rc_addr_is_loopback(&a), c->cls == RC_CLASS_LOOPBACK);
}

/* ---- the model ---- */

#define ENOENT_ -ENOENT
#define NOFILE NULL

struct model_case {
	const char *name;
	unsigned version;
	const char *etc; /* NULL: etc_err */
	int etc_err;
	const char *systemd; /* NULL: systemd_err (-ENOENT) */
	const char *dns; /* comma-separated */
	bool ipv6;
	/* expected */
	const char *bridge; /* every server, rc_format_servers */
	bool bridge_fallback;
	const char *user;
	bool user_fallback, user_none, stub;
	size_t dropped_loopback, dropped_ipv6, dns_unusable;
};

/* clang-format off */
static const struct model_case models[] = {
	{ "plain 20.10", 2010, "nameserver 10.0.0.1\n", 0, NULL, NULL, false,
	  "10.0.0.1", false, "10.0.0.1", false, false, false, 0, 0, 0 },
	{ "plain 26", 2601, "nameserver 10.0.0.1\n", 0, NULL, NULL, false,
	  "10.0.0.1", false, "10.0.0.1", false, false, false, 0, 0, 0 },
	{ "plain 28: every upstream from the host", 2805,
	  "nameserver 10.0.0.1\n", 0, NULL, NULL, false,
	  "10.0.0.1", false, "host(10.0.0.1)", false, false, false, 0, 0, 0 },
	{ "dnsmasq only 20.10", 2010, "nameserver 127.0.1.1\n", 0, NULL, NULL,
	  false, "8.8.8.8 8.8.4.4", true, "host(127.0.1.1)", false, false,
	  false, 1, 0, 0 },
	{ "dnsmasq only 20.10, ipv6 on", 2010, "nameserver 127.0.0.1\n", 0,
	  NULL, NULL, true,
	  "8.8.8.8 8.8.4.4 2001:4860:4860::8888 2001:4860:4860::8844", true,
	  "host(127.0.0.1)", false, false, false, 1, 0, 0 },
	{ "dnsmasq only 28", 2805, "nameserver 127.0.0.1\n", 0, NULL, NULL,
	  false, "8.8.8.8 8.8.4.4", true, "host(127.0.0.1)", false, false,
	  false, 1, 0, 0 },
	{ "loopback and a real server", 2010,
	  "nameserver 127.0.0.1\nnameserver 10.0.0.1\n", 0, NULL, NULL, false,
	  "10.0.0.1", false, "host(127.0.0.1) 10.0.0.1", false, false, false,
	  1, 0, 0 },
	{ "stub only: the systemd file", 2010, "nameserver 127.0.0.53\n", 0,
	  "nameserver 192.168.1.1\nnameserver 192.168.1.2\n", NULL, false,
	  "192.168.1.1 192.168.1.2", false, "host(127.0.0.53)", false, false,
	  true, 0, 0, 0 },
	{ "stub only 28", 2805, "nameserver 127.0.0.53\n", 0,
	  "nameserver 192.168.1.1\n", NULL, false,
	  "192.168.1.1", false, "host(127.0.0.53)", false, false, true,
	  0, 0, 0 },
	{ "stub mixed: no switch", 2010,
	  "nameserver 127.0.0.53\nnameserver 10.0.0.1\n", 0,
	  "nameserver 192.168.1.1\n", NULL, false,
	  "10.0.0.1", false, "host(127.0.0.53) 10.0.0.1", false, false, false,
	  1, 0, 0 },
	{ "stub only, systemd file missing", 2010, "nameserver 127.0.0.53\n",
	  0, NULL, NULL, false, "8.8.8.8 8.8.4.4", true, "host(127.0.0.53)",
	  false, false, true, 0, 0, 0 },
	{ "stub only, systemd file loopback", 2010, "nameserver 127.0.0.53\n",
	  0, "nameserver 127.0.0.1\n", NULL, false, "8.8.8.8 8.8.4.4", true,
	  "host(127.0.0.53)", false, false, true, 1, 0, 0 },
	{ "IPv6 only, ipv6 off, 20.10", 2010, "nameserver 2001:db8::1\n", 0,
	  NULL, NULL, false, "8.8.8.8 8.8.4.4", true, "8.8.8.8 8.8.4.4", true,
	  false, false, 0, 1, 0 },
	{ "IPv6 only, ipv6 on, 20.10", 2010, "nameserver 2001:db8::1\n", 0,
	  NULL, NULL, true, "2001:db8::1", false, "8.8.8.8 8.8.4.4", true,
	  false, false, 0, 0, 0 },
	{ "IPv6 only 26: from the host", 2601, "nameserver 2001:db8::1\n", 0,
	  NULL, NULL, false, "8.8.8.8 8.8.4.4", true, "host(2001:db8::1)",
	  false, false, false, 0, 1, 0 },
	{ "::1 only 20.10: fallback for both", 2010, "nameserver ::1\n", 0,
	  NULL, NULL, false, "8.8.8.8 8.8.4.4", true, "8.8.8.8 8.8.4.4", true,
	  false, false, 1, 0, 0 },
	{ "::1 only 26", 2700, "nameserver ::1\n", 0, NULL, NULL, false,
	  "8.8.8.8 8.8.4.4", true, "host(::1)", false, false, false, 1, 0, 0 },
	{ "zoned link-local 26", 2700, "nameserver fe80::1%eth0\n", 0, NULL,
	  NULL, true, "fe80::1%eth0", false, "host(fe80::1%eth0)", false,
	  false, false, 0, 0, 0 },
	{ "missing 20.10", 2010, NULL, -ENOENT, NULL, NULL, false,
	  "8.8.8.8 8.8.4.4", true, "8.8.8.8 8.8.4.4", true, false, false,
	  0, 0, 0 },
	{ "missing 26", 2601, NULL, -ENOENT, NULL, NULL, false,
	  "8.8.8.8 8.8.4.4", true, "8.8.8.8 8.8.4.4", true, false, false,
	  0, 0, 0 },
	{ "missing 28: no upstream", 2800, NULL, -ENOENT, NULL, NULL, false,
	  "8.8.8.8 8.8.4.4", true, "none", false, true, false, 0, 0, 0 },
	{ "no nameserver 28", 2805, "# nothing\nsearch example.com\n", 0,
	  NULL, NULL, false, "8.8.8.8 8.8.4.4", true, "none", false, true,
	  false, 0, 0, 0 },
	{ "unreadable: containers fail", 2805, NULL, -EACCES, NULL, NULL,
	  false, "none", false, "none", false, false, false, 0, 0, 0 },
	{ "dns loopback 20.10", 2010, "nameserver 10.0.0.1\n", 0, NULL,
	  "127.0.0.1", false, "127.0.0.1", false, "127.0.0.1", false, false,
	  false, 0, 0, 1 },
	{ "dns loopback 28: never from the host", 2805,
	  "nameserver 127.0.0.53\n", 0, "nameserver 10.0.0.1\n", "127.0.0.1",
	  false, "127.0.0.1", false, "127.0.0.1", false, false, true, 0, 0, 1 },
	{ "dns v4+v6 20.10: IPv6 not an upstream", 2010,
	  "nameserver 127.0.0.1\n", 0, NULL, "10.1.1.1,2001:db8::53", false,
	  "10.1.1.1 2001:db8::53", false, "10.1.1.1", false, false, false,
	  0, 0, 0 },
	{ "dns v4+v6 28", 2805, "nameserver 127.0.0.1\n", 0, NULL,
	  "10.1.1.1,2001:db8::53", false, "10.1.1.1 2001:db8::53", false,
	  "10.1.1.1 2001:db8::53", false, false, false, 0, 0, 0 },
	{ "dns with the file missing 28", 2805, NULL, -ENOENT, NULL,
	  "10.1.1.1", false, "10.1.1.1", false, "10.1.1.1", false, false,
	  false, 0, 0, 0 },
	{ "dns 0.0.0.0 and a bad entry", 2805, "nameserver 10.0.0.1\n", 0,
	  NULL, "0.0.0.0,bogus,10.2.2.2", false, "0.0.0.0 10.2.2.2", false,
	  "0.0.0.0 10.2.2.2", false, false, false, 0, 0, 1 },
	{ "five servers", 2010,
	  "nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\n"
	  "nameserver 10.0.0.4\nnameserver 10.0.0.5\n", 0, NULL, NULL, false,
	  "10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5", false,
	  "10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5", false, false, false,
	  0, 0, 0 },
};
/* clang-format on */

ParameterizedTestParameters(rc_model, table)
{
	TABLE_PARAMS(models);
}

ParameterizedTest(size_t *ci, rc_model, table)
{
	const struct model_case *c = &models[*ci];
	struct rc_file *etc = calloc(1, sizeof(*etc)),
		       *sd = calloc(1, sizeof(*sd));
	struct rc_model *m = calloc(1, sizeof(*m));
	struct rc_model_input in = { .version = c->version, .ipv6 = c->ipv6 };
	char buf[1024], *dnscopy = NULL, *dnsv[8] = { NULL };

	if (c->etc)
		parse_str(c->etc, etc);
	in.etc = c->etc ? etc : NULL;
	in.etc_err = c->etc ? 0 : c->etc_err;
	if (c->systemd)
		parse_str(c->systemd, sd);
	in.systemd = c->systemd ? sd : NULL;
	in.systemd_err = c->systemd ? 0 : -ENOENT;
	if (c->dns) {
		char *save = NULL;
		size_t n = 0;

		dnscopy = strdup(c->dns);
		for (char *t = strtok_r(dnscopy, ",", &save); t && n < 7;
		     t = strtok_r(NULL, ",", &save))
			dnsv[n++] = t;
		in.dns = dnsv;
	}
	rc_model_compute(&in, m);
	rc_format_servers(m->bridge, m->n_bridge, RC_MAX_NS, buf, sizeof(buf));
	cr_assert_str_eq(buf, c->bridge, "%s: bridge", c->name);
	cr_assert_eq(m->bridge_fallback, c->bridge_fallback, "%s", c->name);
	rc_format_servers(m->user, m->n_user, RC_MAX_NS, buf, sizeof(buf));
	cr_assert_str_eq(buf, c->user, "%s: user-defined", c->name);
	cr_assert_eq(m->user_fallback, c->user_fallback, "%s", c->name);
	cr_assert_eq(m->user_none, c->user_none, "%s", c->name);
	cr_assert_eq(m->stub_rule, c->stub, "%s", c->name);
	cr_assert_eq(m->n_dropped_loopback, c->dropped_loopback, "%s", c->name);
	cr_assert_eq(m->n_dropped_ipv6, c->dropped_ipv6, "%s", c->name);
	cr_assert_eq(m->n_dns_unusable, c->dns_unusable, "%s", c->name);
	cr_assert_eq(m->dns_override, c->dns != NULL, "%s", c->name);
	if (c->etc_err && c->etc_err != -ENOENT) {
		cr_assert_eq(m->bridge_err, c->etc_err);
		cr_assert_eq(m->user_err, c->etc_err);
	}
	cr_assert_str_eq(m->bridge_file,
			 c->stub ? RC_SYSTEMD_PATH : RC_ETC_PATH);
	free(dnscopy);
	free(m);
	free(sd);
	free(etc);
}

Test(rc_model, ipv6_dns_entries_listed_directly_before_26)
{
	char *dns[] = { "2001:db8::53", NULL };
	struct rc_model *m = calloc(1, sizeof(*m));
	struct rc_model_input in = { .version = 2010,
				     .etc_err = -ENOENT,
				     .dns = dns };

	rc_model_compute(&in, m);
	cr_assert_eq(m->n_user, 0);
	cr_assert(m->user_none, "no IPv4 upstream for the embedded DNS");
	cr_assert_eq(m->n_user_direct, 1);
	cr_assert_str_eq(m->user_direct[0].text, "2001:db8::53");
	in.version = 2805;
	rc_model_compute(&in, m);
	cr_assert_eq(m->n_user, 1, "an upstream from 26 on");
	cr_assert_eq(m->n_user_direct, 0);
	cr_assert_not(m->user[0].host_ns);
	free(m);
}

Test(rc_model, version_eras)
{
	cr_assert_eq(rc_era_of(2010), RC_ERA_2010);
	cr_assert_eq(rc_era_of(2509), RC_ERA_2010);
	cr_assert_eq(rc_era_of(2600), RC_ERA_26);
	cr_assert_eq(rc_era_of(2705), RC_ERA_26);
	cr_assert_eq(rc_era_of(2800), RC_ERA_28);
	cr_assert_eq(rc_era_of(2905), RC_ERA_28);
}

Test(rc_model, format_used_and_unused)
{
	struct rc_server s[4] = { 0 };
	char buf[256];

	rc_addr_parse("127.0.0.53", &s[0].addr);
	s[0].host_ns = true;
	rc_addr_parse("10.0.0.1", &s[1].addr);
	rc_addr_parse("10.0.0.2", &s[2].addr);
	rc_addr_parse("10.0.0.3", &s[3].addr);
	rc_format_servers(s, 4, RC_MAX_USED, buf, sizeof(buf));
	cr_assert_str_eq(buf, "host(127.0.0.53) 10.0.0.1 10.0.0.2 (+1 unused)");
	rc_format_servers(s, 0, RC_MAX_USED, buf, sizeof(buf));
	cr_assert_str_eq(buf, "none");
	rc_format_addrs(&s[1].addr, 1, buf, sizeof(buf));
	cr_assert_str_eq(buf, "10.0.0.1");
	rc_format_servers(s, 4, RC_MAX_USED, buf, 12);
	cr_assert_eq(strlen(buf), 11, "cut, terminated");
}

/* ---- host files ---- */

static struct fixture hfx;

static void host_setup(void)
{
	fixture_init(&hfx);
}

static void host_teardown(void)
{
	fixture_release(&hfx);
}

TestSuite(rc_host, .init = host_setup, .fini = host_teardown);

static int read_host(const char *path, char **buf, char *target, size_t ts)
{
	struct pathctx pc;
	int r;

	cr_assert_eq(pathctx_init(&pc, hfx.root), 0);
	r = rc_read_host_file(&pc, path, 1 << 20, buf, NULL, target, ts);
	pathctx_release(&pc);
	return r;
}

Test(rc_host, regular_file)
{
	char *buf = NULL, target[256];

	fixture_write(&hfx, "/etc/resolv.conf", "nameserver 10.0.0.1\n", -1);
	cr_assert_eq(
		read_host("/etc/resolv.conf", &buf, target, sizeof(target)), 0);
	cr_assert_str_eq(buf, "nameserver 10.0.0.1\n");
	cr_assert_str_eq(target, "");
	free(buf);
}

Test(rc_host, relative_and_absolute_links_stay_in_the_root)
{
	char *buf = NULL, target[256];

	fixture_write(&hfx, "/run/systemd/resolve/stub-resolv.conf",
		      "nameserver 127.0.0.53\n", -1);
	fixture_symlink(&hfx, "/etc/resolv.conf",
			"../run/systemd/resolve/stub-resolv.conf");
	cr_assert_eq(
		read_host("/etc/resolv.conf", &buf, target, sizeof(target)), 0);
	cr_assert_str_eq(buf, "nameserver 127.0.0.53\n");
	cr_assert_str_eq(target, "/run/systemd/resolve/stub-resolv.conf");
	free(buf);
	buf = NULL;
	/* absolute: resolved under the sysroot, not on this machine */
	fixture_write(&hfx, "/etc/resolvconf/run/resolv.conf",
		      "nameserver 10.7.7.7\n", -1);
	fixture_symlink(&hfx, "/etc/alt.conf",
			"/etc/resolvconf/run/resolv.conf");
	cr_assert_eq(read_host("/etc/alt.conf", &buf, target, sizeof(target)),
		     0);
	cr_assert_str_eq(buf, "nameserver 10.7.7.7\n");
	free(buf);
}

Test(rc_host, dangling_link_names_its_target)
{
	char *buf = NULL, target[256];

	fixture_symlink(&hfx, "/etc/resolv.conf",
			"../run/systemd/resolve/stub-resolv.conf");
	cr_assert_eq(read_host("/etc/resolv.conf", &buf, target,
			       sizeof(target)),
		     -ENOENT);
	cr_assert_str_eq(target, "/run/systemd/resolve/stub-resolv.conf");
	cr_assert_null(buf);
}

Test(rc_host, loops_and_directories)
{
	char *buf = NULL, target[256];

	fixture_symlink(&hfx, "/etc/a", "b");
	fixture_symlink(&hfx, "/etc/b", "a");
	cr_assert_eq(read_host("/etc/a", &buf, target, sizeof(target)), -ELOOP);
	fixture_mkdir(&hfx, "/etc/resolv.conf");
	cr_assert_eq(read_host("/etc/resolv.conf", &buf, target,
			       sizeof(target)),
		     -EISDIR);
	cr_assert_eq(read_host("/etc/nothing", &buf, target, sizeof(target)),
		     -ENOENT);
}

Test(rc_host, networkmanager_dns_mode)
{
	struct pathctx pc;
	char mode[64], where[512];
	unsigned line = 0;

	cr_assert_eq(rc_nm_parse_dns("[main]\nplugins=ifupdown\ndns=dnsmasq\n",
				     mode, sizeof(mode), &line),
		     1);
	cr_assert_str_eq(mode, "dnsmasq");
	cr_assert_eq(line, 3);
	cr_assert_eq(rc_nm_parse_dns("[main]\n#dns=dnsmasq\n", mode,
				     sizeof(mode), NULL),
		     0);
	cr_assert_eq(rc_nm_parse_dns("[logging]\ndns=dnsmasq\n", mode,
				     sizeof(mode), NULL),
		     0);
	cr_assert_eq(rc_nm_parse_dns("[main]\n dns = systemd-resolved \r\n",
				     mode, sizeof(mode), NULL),
		     1);
	cr_assert_str_eq(mode, "systemd-resolved");

	cr_assert_eq(pathctx_init(&pc, hfx.root), 0);
	cr_assert_eq(rc_nm_dns_mode(&pc, mode, sizeof(mode), where,
				    sizeof(where)),
		     -ENOENT);
	fixture_write(&hfx, "/etc/NetworkManager/NetworkManager.conf",
		      "[main]\ndns=dnsmasq\n", -1);
	cr_assert_eq(rc_nm_dns_mode(&pc, mode, sizeof(mode), where,
				    sizeof(where)),
		     0);
	cr_assert_str_eq(mode, "dnsmasq");
	cr_assert_str_eq(where, "/etc/NetworkManager/NetworkManager.conf:2");
	/* conf.d wins; /etc hides /usr/lib's file of the same name */
	fixture_write(&hfx, "/usr/lib/NetworkManager/conf.d/20-x.conf",
		      "[main]\ndns=default\n", -1);
	fixture_write(&hfx, "/etc/NetworkManager/conf.d/20-x.conf",
		      "[main]\n[logging]\nlevel=INFO\n", -1);
	cr_assert_eq(rc_nm_dns_mode(&pc, mode, sizeof(mode), where,
				    sizeof(where)),
		     0);
	cr_assert_str_eq(mode, "dnsmasq");
	fixture_write(&hfx, "/run/NetworkManager/conf.d/30-y.conf",
		      "[main]\ndns=none\n", -1);
	cr_assert_eq(rc_nm_dns_mode(&pc, mode, sizeof(mode), where,
				    sizeof(where)),
		     0);
	cr_assert_str_eq(mode, "none");
	cr_assert_str_eq(where, "/run/NetworkManager/conf.d/30-y.conf:2");
	pathctx_release(&pc);
}

/* A /proc/net/udp line for addr:port in the kernel's notation. */
static void udp_line(char *buf, size_t size, const char *addr, int port)
{
	struct in_addr a;

	inet_pton(AF_INET, addr, &a);
	snprintf(
		buf + strlen(buf), size - strlen(buf),
		"   7: %08X:%04X 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1234 2 0000000000000000 0\n",
		(unsigned)a.s_addr, port);
}

/* A /proc/net/udp6 line: four 32-bit words, each in host order. */
static void udp6_line(char *buf, size_t size, const char *addr, int port)
{
	unsigned char b[16];
	char hex[40] = "";

	inet_pton(AF_INET6, addr, b);
	for (int w = 0; w < 4; w++) {
		unsigned int u;

		memcpy(&u, b + w * 4, 4);
		snprintf(hex + w * 8, sizeof(hex) - (size_t)w * 8, "%08X", u);
	}
	snprintf(
		buf + strlen(buf), size - strlen(buf),
		"   3: %s:%04X 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 99 2 0000000000000000 0\n",
		hex, port);
}

Test(rc_host, udp53_ipv6_in_our_own_namespace)
{
	char udp6[1024] = "  sl  local_address remote_address st\n";
	struct pathctx pc;
	struct rc_addr one, v4;

	rc_addr_parse("::1", &one);
	rc_addr_parse("127.0.0.1", &v4);
	udp6_line(udp6, sizeof(udp6), "::1", 53);
	udp6_line(udp6, sizeof(udp6), "::ffff:127.0.0.1", 53);
	fixture_write(&hfx, "/proc/self/net/udp6", udp6, -1);
	cr_assert_eq(pathctx_init(&pc, hfx.root), 0);
	cr_assert_eq(rc_udp53_listening(&pc, 0, &one), 1);
	cr_assert_eq(rc_udp53_listening(&pc, 0, &v4), 1, "a v4-mapped socket");
	cr_assert_lt(rc_udp53_listening(&pc, 4242, &one), 0, "another pid");
	pathctx_release(&pc);
}

Test(rc_host, udp53_listeners)
{
	char udp[1024] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n";
	struct pathctx pc;
	struct rc_addr a, b;

	rc_addr_parse("127.0.0.1", &a);
	rc_addr_parse("127.0.0.53", &b);
	cr_assert_eq(pathctx_init(&pc, hfx.root), 0);
	cr_assert_lt(rc_udp53_listening(&pc, 1, &a), 0, "no tables: unknown");
	udp_line(udp, sizeof(udp), "127.0.0.53", 53);
	udp_line(udp, sizeof(udp), "127.0.0.1", 5353);
	fixture_write(&hfx, "/proc/1/net/udp", udp, -1);
	cr_assert_eq(rc_udp53_listening(&pc, 1, &b), 1);
	cr_assert_eq(rc_udp53_listening(&pc, 1, &a), 0);
	udp_line(udp, sizeof(udp), "0.0.0.0", 53);
	fixture_write(&hfx, "/proc/1/net/udp", udp, -1);
	cr_assert_eq(rc_udp53_listening(&pc, 1, &a), 1, "the wildcard");
	pathctx_release(&pc);
}

/* ---- the probe against real sockets ---- */

struct responder {
	pthread_t th;
	int fd, port;
	enum resp_mode mode;
	volatile int stop;
};

static void *responder_main(void *arg)
{
	struct responder *r = arg;

	resp_serve(r->fd, r->mode, &r->stop);
	return NULL;
}

/* Start a responder thread on addr:port (0: any free port). */
static bool responder_start(struct responder *r, const char *addr, int port,
			    const char *mode)
{
	int m = resp_parse_mode(mode);

	cr_assert_geq(m, 0, "mode %s", mode);
	memset(r, 0, sizeof(*r));
	r->mode = (enum resp_mode)m;
	r->fd = resp_bind(addr, port, &r->port);
	if (r->fd < 0)
		return false;
	cr_assert_eq(pthread_create(&r->th, NULL, responder_main, r), 0);
	return true;
}

static void responder_stop(struct responder *r)
{
	r->stop = 1;
	pthread_join(r->th, NULL);
	close(r->fd);
}

/* A UDP port on 127.0.0.1 that nothing listens on. */
static int closed_port(void)
{
	int port, fd = resp_bind("127.0.0.1", 0, &port);

	cr_assert_geq(fd, 0);
	close(fd);
	return port;
}

static void probe_one(const char *mode, long timeout_ms, struct dnsprobe *p)
{
	struct responder r;

	cr_assert(responder_start(&r, "127.0.0.1", 0, mode));
	dnsprobe_init(p, "127.0.0.1", (unsigned)r.port, ".", 0, -1);
	cr_assert_eq(dnsprobe_run(p, 1, timeout_ms), 0);
	responder_stop(&r);
}

Test(dnsprobe, answered)
{
	struct dnsprobe p;
	char how[200];

	probe_one("answer", 1000, &p);
	cr_assert_eq(p.result, DNSPROBE_ANSWERED, "%s",
		     dnsprobe_result_name(p.result));
	cr_assert_eq(p.rcode, DNS_RCODE_NOERROR);
	cr_assert_eq(p.ancount, 1);
	cr_assert_lt(p.ms, 500);
	dnsprobe_describe(&p, how, sizeof(how));
	cr_assert_not_null(strstr(how, "answered NOERROR (1 answer)"), "%s",
			   how);
}

Test(dnsprobe, nxdomain_counts_as_answered)
{
	struct dnsprobe p;

	probe_one("nxdomain", 1000, &p);
	cr_assert_eq(p.result, DNSPROBE_ANSWERED);
	cr_assert_eq(p.rcode, DNS_RCODE_NXDOMAIN);
	cr_assert_eq(p.ancount, 0);
}

Test(dnsprobe, servfail)
{
	struct dnsprobe p;
	char how[200];

	probe_one("servfail", 1000, &p);
	cr_assert_eq(p.result, DNSPROBE_ERROR_RCODE);
	cr_assert_eq(p.rcode, DNS_RCODE_SERVFAIL);
	dnsprobe_describe(&p, how, sizeof(how));
	cr_assert_not_null(strstr(how, "SERVFAIL"), "%s", how);
}

Test(dnsprobe, refused_rcode)
{
	struct dnsprobe p;

	probe_one("refused", 1000, &p);
	cr_assert_eq(p.result, DNSPROBE_ERROR_RCODE);
	cr_assert_eq(p.rcode, DNS_RCODE_REFUSED);
}

Test(dnsprobe, closed_port_is_refused)
{
	struct dnsprobe p;

	dnsprobe_init(&p, "127.0.0.1", (unsigned)closed_port(), NULL, 0, -1);
	cr_assert_eq(dnsprobe_run(&p, 1, 1000), 0);
	cr_assert_eq(p.result, DNSPROBE_REFUSED, "%s",
		     dnsprobe_result_name(p.result));
	cr_assert_eq(p.err, -ECONNREFUSED);
	cr_assert_lt(p.ms, 500);
}

Test(dnsprobe, silent_times_out_at_the_deadline)
{
	struct dnsprobe p;
	double t0 = now_monotonic(), took;

	probe_one("silent", 300, &p);
	took = now_monotonic() - t0;
	cr_assert_eq(p.result, DNSPROBE_TIMEOUT);
	cr_assert_geq(p.ms, 280);
	cr_assert_lt(took, 0.9, "took %.3f s", took);
}

Test(dnsprobe, total_deadline_for_many_in_parallel)
{
	struct responder silent, good;
	struct dnsprobe p[6];
	double t0, took;

	cr_assert(responder_start(&silent, "127.0.0.1", 0, "silent"));
	cr_assert(responder_start(&good, "127.0.0.1", 0, "answer"));
	for (size_t i = 0; i < 5; i++)
		dnsprobe_init(&p[i], "127.0.0.1", (unsigned)silent.port, ".", 0,
			      -1);
	dnsprobe_init(&p[5], "127.0.0.1", (unsigned)good.port, ".", 0, -1);
	t0 = now_monotonic();
	cr_assert_eq(dnsprobe_run(p, 6, 400), 0);
	took = now_monotonic() - t0;
	/* five timeouts in parallel cost one deadline, not five */
	cr_assert_lt(took, 1.2, "took %.3f s", took);
	cr_assert_geq(took, 0.38, "took %.3f s", took);
	for (size_t i = 0; i < 5; i++)
		cr_assert_eq(p[i].result, DNSPROBE_TIMEOUT);
	cr_assert_eq(p[5].result, DNSPROBE_ANSWERED);
	cr_assert_lt(p[5].ms, 200, "the answer is timed on its own");
	responder_stop(&silent);
	responder_stop(&good);
}

Test(dnsprobe, invalid_replies_are_ignored)
{
	static const char *const bad[] = { "badid", "noqr", "short", "badq" };
	struct dnsprobe p;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		probe_one(bad[i], 250, &p);
		cr_assert_eq(p.result, DNSPROBE_TIMEOUT, "%s: %s", bad[i],
			     dnsprobe_result_name(p.result));
		cr_assert_geq(p.ignored, 1, "%s", bad[i]);
	}
	probe_one("junk-then-answer", 1000, &p);
	cr_assert_eq(p.result, DNSPROBE_ANSWERED);
	cr_assert_eq(p.ignored, 1);
}

Test(dnsprobe, port_from_the_environment)
{
	struct responder r;
	struct dnsprobe p;
	char port[16];

	cr_assert(responder_start(&r, "127.0.0.1", 0, "answer"));
	snprintf(port, sizeof(port), "%d", r.port);
	setenv(DNSPROBE_PORT_ENV, port, 1);
	dnsprobe_init(&p, "127.0.0.1", 0, NULL, 0, -1);
	cr_assert_eq(dnsprobe_run(&p, 1, 1000), 0);
	unsetenv(DNSPROBE_PORT_ENV);
	cr_assert_eq(p.result, DNSPROBE_ANSWERED);
	responder_stop(&r);
}

Test(dnsprobe, ipv6_loopback)
{
	struct responder r;
	struct dnsprobe p;

	if (!responder_start(&r, "::1", 0, "answer"))
		cr_skip_test("no IPv6 loopback here");
	dnsprobe_init(&p, "::1", (unsigned)r.port, "example.com", 0, -1);
	cr_assert_eq(dnsprobe_run(&p, 1, 1000), 0);
	cr_assert_eq(p.result, DNSPROBE_ANSWERED);
	responder_stop(&r);
}

Test(dnsprobe, bad_inputs)
{
	struct dnsprobe p[65];

	dnsprobe_init(&p[0], "not-an-address", 53, NULL, 0, -1);
	cr_assert_eq(dnsprobe_run(p, 1, 100), 0);
	cr_assert_eq(p[0].result, DNSPROBE_SEND_ERROR);
	cr_assert_eq(p[0].err, -EINVAL);
	dnsprobe_init(&p[0], "127.0.0.1", 53, "a..b", 0, -1);
	cr_assert_eq(dnsprobe_run(p, 1, 100), 0);
	cr_assert_eq(p[0].result, DNSPROBE_SEND_ERROR);
	cr_assert_eq(dnsprobe_run(p, 1, 0), -EINVAL);
	for (size_t i = 0; i < 65; i++)
		dnsprobe_init(&p[i], "127.0.0.1", 53, NULL, 0, -1);
	cr_assert_eq(dnsprobe_run(p, 65, 100), -E2BIG);
}

Test(dnsprobe, build_query)
{
	unsigned char q[DNSPROBE_MAX_QUERY];
	char name[300];
	int n;

	n = dnsprobe_build_query(q, sizeof(q), 0xbeef, ".", DNS_TYPE_NS);
	cr_assert_eq(n, 17);
	cr_assert_eq(q[0], 0xbe);
	cr_assert_eq(q[1], 0xef);
	cr_assert_eq(q[2], 0x01, "RD");
	cr_assert_eq(q[5], 1, "one question");
	cr_assert_eq(q[12], 0, "the root");
	cr_assert_eq(q[14], DNS_TYPE_NS);
	n = dnsprobe_build_query(q, sizeof(q), 1, "web.example.", DNS_TYPE_A);
	cr_assert_eq(n, 12 + 13 + 4);
	cr_assert_eq(memcmp(q + 12, "\003web\007example\000", 13), 0);
	cr_assert_eq(dnsprobe_build_query(q, sizeof(q), 1, "a..b", 1), -EINVAL);
	memset(name, 'x', 64);
	name[64] = '\0';
	cr_assert_eq(dnsprobe_build_query(q, sizeof(q), 1, name, 1), -EINVAL,
		     "a 64-byte label");
	for (int i = 0; i < 128; i++)
		memcpy(name + i * 2, "a.", 2);
	name[256] = '\0';
	cr_assert_eq(dnsprobe_build_query(q, sizeof(q), 1, name, 1), -EINVAL,
		     "a name over 255 bytes");
	cr_assert_eq(dnsprobe_build_query(q, 10, 1, ".", 1), -EINVAL);
}

Test(dnsprobe, check_reply)
{
	unsigned char q[64], r[128];
	int n = dnsprobe_build_query(q, sizeof(q), 0x1234, "Web", DNS_TYPE_A);
	int rcode, again;
	unsigned an;
	size_t len;

	cr_assert_gt(n, 0);
	len = resp_make_reply(q, (size_t)n, RESP_ANSWER, r, sizeof(r), &again);
	cr_assert_eq(dnsprobe_check_reply(q, (size_t)n, r, len, &rcode, &an),
		     0);
	cr_assert_eq(rcode, 0);
	cr_assert_eq(an, 1);
	/* 0x20 randomisation: case may differ */
	r[13] = 'w';
	cr_assert_eq(dnsprobe_check_reply(q, (size_t)n, r, len, &rcode, &an),
		     0);
	r[1] ^= 1;
	cr_assert_eq(dnsprobe_check_reply(q, (size_t)n, r, len, &rcode, &an),
		     -EBADMSG, "wrong id");
	r[1] ^= 1;
	r[2] |= 0x08; /* opcode 1 */
	cr_assert_eq(dnsprobe_check_reply(q, (size_t)n, r, len, &rcode, &an),
		     -EBADMSG, "not a QUERY");
	r[2] &= (unsigned char)~0x08;
	cr_assert_eq(dnsprobe_check_reply(q, (size_t)n, r, 11, &rcode, &an),
		     -EBADMSG, "short");
	cr_assert_eq(dnsprobe_check_reply(q, (size_t)n, r, (size_t)n - 1,
					  &rcode, &an),
		     -EBADMSG, "cut question");
	/* a REFUSED without the question is fine */
	len = resp_make_reply(q, (size_t)n, RESP_REFUSED, r, sizeof(r), &again);
	r[5] = 0;
	cr_assert_eq(dnsprobe_check_reply(q, (size_t)n, r, 12, &rcode, &an), 0);
	cr_assert_eq(rcode, DNS_RCODE_REFUSED);
	r[5] = 2;
	cr_assert_eq(dnsprobe_check_reply(q, (size_t)n, r, len, &rcode, &an),
		     -EBADMSG, "two questions");
}

/* ---- the probe inside a network namespace (root) ---- */

static int lo_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return -errno;
	strcpy(ifr.ifr_name, "lo");
	r = ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	if (r == 0)
		r = ioctl(fd, SIOCSIFFLAGS, &ifr);
	r = r < 0 ? -errno : 0;
	close(fd);
	return r;
}

/* Add an address to lo under a label ("lo:1"), the old ioctl way. */
static int lo_alias(const char *label, const char *addr)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return -errno;
	strscpy(ifr.ifr_name, label, sizeof(ifr.ifr_name));
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, addr, &sin->sin_addr);
	r = ioctl(fd, SIOCSIFADDR, &ifr) < 0 ? -errno : 0;
	close(fd);
	return r;
}

struct nschild {
	pid_t pid;
	int nsfd;
};

/* A process in a new network namespace answering on 127.0.0.11:53. */
static void ns_responder_start(const char *mode, struct nschild *c)
{
	int pfd[2], m = resp_parse_mode(mode);
	char status = 0;

	if (geteuid() != 0)
		cr_skip_test("needs root (a network namespace)");
	cr_assert_eq(pipe(pfd), 0);
	c->pid = fork();
	cr_assert_geq(c->pid, 0);
	if (c->pid == 0) {
		int fd, port;

		close(pfd[0]);
		if (unshare(CLONE_NEWNET) < 0 || lo_up() < 0) {
			status = 'E';
			(void)!write(pfd[1], &status, 1);
			_exit(1);
		}
		fd = resp_bind(RC_EMBEDDED_DNS, 53, &port);
		status = fd < 0 ? 'E' : 'R';
		(void)!write(pfd[1], &status, 1);
		if (fd < 0)
			_exit(1);
		resp_serve(fd, (enum resp_mode)m, NULL);
		_exit(0);
	}
	close(pfd[1]);
	cr_assert_eq(read(pfd[0], &status, 1), 1);
	close(pfd[0]);
	if (status != 'R') {
		waitpid(c->pid, NULL, 0);
		cr_skip_test("cannot make a network namespace here");
	}
	{
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)c->pid);
		c->nsfd = open(path, O_RDONLY | O_CLOEXEC);
		cr_assert_geq(c->nsfd, 0);
	}
}

static void ns_responder_stop(struct nschild *c)
{
	close(c->nsfd);
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
}

/* Every thread of this process is in its main thread's namespace. */
static void assert_threads_home(void)
{
	char home[64], link[64], path[300];
	struct dirent *de;
	ssize_t n;
	DIR *d;

	n = readlink("/proc/self/ns/net", home, sizeof(home) - 1);
	cr_assert_gt(n, 0);
	home[n] = '\0';
	d = opendir("/proc/self/task");
	cr_assert_not_null(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/ns/net",
			 de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		cr_assert_str_eq(link, home, "thread %s", de->d_name);
	}
	closedir(d);
}

/* No child of ours is left (zombie or running) but the responder. */
static void assert_no_probe_child(pid_t except)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		cr_assert_eq(pid, except, "a probe child %d was left", pid);
}

Test(dnsprobe_netns, answers_from_inside_the_namespace)
{
	struct nschild c;
	struct responder local;
	struct dnsprobe p[3];

	ns_responder_start("answer", &c);
	cr_assert(responder_start(&local, "127.0.0.1", 0, "servfail"));
	dnsprobe_init(&p[0], RC_EMBEDDED_DNS, 53, "web", DNS_TYPE_A, c.nsfd);
	dnsprobe_init(&p[1], RC_EMBEDDED_DNS, 53, ".", 0, c.nsfd);
	/* the same run also probes here, where 127.0.0.11 has nothing */
	dnsprobe_init(&p[2], "127.0.0.1", (unsigned)local.port, ".", 0, -1);
	cr_assert_eq(dnsprobe_run(p, 3, 1000), 0);
	cr_assert_eq(p[0].result, DNSPROBE_ANSWERED, "%s",
		     dnsprobe_result_name(p[0].result));
	cr_assert_eq(p[0].ancount, 1);
	cr_assert_eq(p[1].result, DNSPROBE_ANSWERED);
	cr_assert_eq(p[2].result, DNSPROBE_ERROR_RCODE);
	assert_threads_home();
	assert_no_probe_child(c.pid);
	responder_stop(&local);
	ns_responder_stop(&c);
}

Test(dnsprobe_netns, silent_namespace_child_is_killed_at_the_deadline)
{
	struct nschild c;
	struct dnsprobe p;
	double t0, took;

	ns_responder_start("silent", &c);
	dnsprobe_init(&p, RC_EMBEDDED_DNS, 53, "web", DNS_TYPE_A, c.nsfd);
	t0 = now_monotonic();
	cr_assert_eq(dnsprobe_run(&p, 1, 300), 0);
	took = now_monotonic() - t0;
	cr_assert_eq(p.result, DNSPROBE_TIMEOUT);
	cr_assert_lt(took, 0.9, "took %.3f s", took);
	assert_threads_home();
	assert_no_probe_child(c.pid);
	ns_responder_stop(&c);
}

Test(dnsprobe_netns, not_a_namespace)
{
	struct dnsprobe p;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	cr_assert_geq(fd, 0);
	dnsprobe_init(&p, RC_EMBEDDED_DNS, 53, "web", DNS_TYPE_A, fd);
	cr_assert_eq(dnsprobe_run(&p, 1, 500), 0);
	cr_assert_eq(p.result, DNSPROBE_NETNS_ERROR, "%s",
		     dnsprobe_result_name(p.result));
	cr_assert_eq(p.err, -EINVAL);
	close(fd);
	assert_threads_home();
	assert_no_probe_child(0);
}

/* ---- the check on fixture trees ---- */

static struct fixture cfx;

static void check_setup(void)
{
	fixture_init(&cfx);
	fixture_write(&cfx, "/proc/stat", "btime 1000\n", -1);
	fixture_write(&cfx, "/proc/net/unix", "Num\n", -1);
}

static void check_teardown(void)
{
	fixture_release(&cfx);
}

TestSuite(dns_check, .init = check_setup, .fini = check_teardown);

static int check_pid; /* --pid for the next run_check(), 0: none */

static struct report *run_check(const char *version, bool probe, long ms)
{
	struct options o = { .timeout_ms = ms, .pid = check_pid };

	o.host = "unix:///nonexistent/dd.sock";
	o.docker_version = (char *)version;
	o.probe_dns = probe;
	return fixture_run_check(&cfx, &check_dns_resolver, &o, 0, NULL, 0);
}

static void process(int pid, const char *name)
{
	const char *argv[] = { name, NULL };

	fixture_process(&cfx, pid, 1, argv);
}

Test(dns_check, healthy)
{
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf",
		      "nameserver 10.0.0.1\nsearch corp.example\n", -1);
	r = run_check("20.10", false, 300);
	cr_assert_eq(report_worst(r), SEV_OK);
	f = test_find(r, SEV_OK, "containers get usable DNS servers");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "default_bridge"), "10.0.0.1");
	cr_assert_str_eq(test_evidence(f, "user_defined_upstreams"),
			 "10.0.0.1");
	cr_assert_str_eq(test_evidence(f, "daemon_dns"), "not set");
	cr_assert_not_null(strstr(test_evidence(f, "probes"), "not run"));
	cr_assert_not_null(strstr(test_evidence(f, "docker_version"), "20.10"));
	report_free(r);
	r = run_check("28.0", false, 300);
	f = test_find(r, SEV_OK, "containers get usable DNS servers");
	cr_assert_str_eq(test_evidence(f, "user_defined_upstreams"),
			 "host(10.0.0.1)");
	report_free(r);
}

Test(dns_check, networkmanager_dnsmasq_falls_back_to_google)
{
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf",
		      "# Generated by NetworkManager\nnameserver 127.0.1.1\n",
		      -1);
	fixture_write(&cfx, "/etc/NetworkManager/NetworkManager.conf",
		      "[main]\nplugins=ifupdown,keyfile\ndns=dnsmasq\n", -1);
	process(200, "NetworkManager");
	process(201, "dnsmasq");
	r = run_check("20.10", false, 300);
	cr_assert_eq(report_worst(r), SEV_WARNING);
	f = test_find(
		r, SEV_WARNING,
		"default-bridge containers fall back to Google's 8.8.8.8 and 8.8.4.4");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->summary,
				  "127.0.1.1 (NetworkManager's dnsmasq)"),
			   "%s", f->summary);
	cr_assert_not_null(strstr(f->detail,
				  "user-defined networks are not affected"),
			   "%s", f->detail);
	cr_assert_not_null(strstr(f->remedy, "\"dns\""));
	cr_assert_not_null(strstr(f->remedy, "'dns=dnsmasq'"));
	cr_assert_not_null(
		strstr(f->remedy, "/etc/NetworkManager/NetworkManager.conf:3"));
	cr_assert_not_null(
		strstr(f->remedy, "systemctl disable --now dnsmasq"));
	cr_assert_str_eq(test_evidence(f, "default_bridge"),
			 "8.8.8.8 8.8.4.4 (Docker's fallback)");
	cr_assert_str_eq(test_evidence(f, "user_defined_upstreams"),
			 "host(127.0.1.1)");
	cr_assert_str_eq(test_evidence(f, "dnsmasq"), "running (1)");
	cr_assert_null(test_find(r, SEV_OK, ""),
		       "no ok finding with a warning");
	report_free(r);
}

Test(dns_check, networkmanager_dnsmasq_not_running)
{
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 127.0.1.1\n", -1);
	fixture_write(&cfx, "/etc/NetworkManager/conf.d/dns.conf",
		      "[main]\ndns=dnsmasq\n", -1);
	process(200, "NetworkManager");
	r = run_check("27.5", false, 300);
	f = test_find(r, SEV_WARNING, "fall back to Google");
	cr_assert_not_null(f);
	cr_assert_not_null(
		strstr(f->summary,
		       "NetworkManager's dnsmasq, which is not running"),
		"%s", f->summary);
	cr_assert_not_null(strstr(f->detail, "are affected too"), "%s",
			   f->detail);
	cr_assert_not_null(
		strstr(f->remedy, "/etc/NetworkManager/conf.d/dns.conf:2"));
	report_free(r);
}

Test(dns_check, local_resolver_nothing_listening)
{
	const struct finding *f;
	struct report *r;
	char udp[512] = "  sl  local_address rem_address   st\n";

	fixture_write(&cfx, "/etc/resolv.conf",
		      "nameserver 127.0.0.1\nnameserver ::1\n", -1);
	udp_line(udp, sizeof(udp), "127.0.0.1", 5353);
	/* no dockerd: the tool's own namespace */
	fixture_write(&cfx, "/proc/self/net/udp", udp, -1);
	r = run_check("28.0", false, 300);
	f = test_find(r, SEV_WARNING, "fall back to Google");
	cr_assert_not_null(f);
	cr_assert_not_null(
		strstr(f->summary,
		       "127.0.0.1 (a local resolver, nothing listens on its port 53)"),
		"%s", f->summary);
	cr_assert_not_null(strstr(f->summary, "are loopback"));
	/* nothing answers in the host's namespace either */
	cr_assert_not_null(strstr(f->detail,
				  "user-defined networks are affected too"),
			   "%s", f->detail);
	report_free(r);
}

Test(dns_check, daemon_dns_loopback_is_critical)
{
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 10.0.0.1\n", -1);
	fixture_write(&cfx, "/etc/docker/daemon.json",
		      "{\"dns\": [\"127.0.0.1\"]}\n", -1);
	r = run_check("28.0", false, 300);
	cr_assert_eq(report_worst(r), SEV_CRITICAL);
	f = test_find(r, SEV_CRITICAL, "'dns' lists 127.0.0.1");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->summary, "/etc/docker/daemon.json"));
	cr_assert_not_null(strstr(f->detail, "never treats a 'dns' address"));
	cr_assert_str_eq(test_evidence(f, "user_defined_upstreams"),
			 "127.0.0.1");
	report_free(r);
}

Test(dns_check, daemon_dns_partly_loopback_is_a_warning)
{
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 10.0.0.1\n", -1);
	fixture_write(&cfx, "/etc/docker/daemon.json",
		      "{\"dns\": [\"127.0.0.1\", \"10.9.9.9\"]}\n", -1);
	r = run_check("20.10", false, 300);
	cr_assert_eq(report_worst(r), SEV_WARNING);
	cr_assert_not_null(test_find(r, SEV_WARNING, "'dns' lists 127.0.0.1"));
	report_free(r);
}

Test(dns_check, daemon_dns_from_the_command_line)
{
	static const char *const argv[] = {
		"/usr/sbin/dockerd", "-H", "fd://", "--dns", "127.0.0.1", NULL
	};
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 10.0.0.1\n", -1);
	fixture_process(&cfx, 100, 1, argv);
	check_pid = 100; /* the --host given names no socket it serves */
	r = run_check("20.10", false, 300);
	f = test_find(
		r, SEV_CRITICAL,
		"--dns on the daemon's command line 'dns' lists 127.0.0.1");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "(--dns)"));
	cr_assert_str_eq(test_evidence(f, "daemon_dns"), "127.0.0.1");
	report_free(r);
}

Test(dns_check, systemd_stub_with_daemon_dns_says_nothing_of_the_file)
{
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 127.0.0.53\n", -1);
	fixture_write(&cfx, "/etc/docker/daemon.json",
		      "{\"dns\": [\"10.1.1.1\"]}\n", -1);
	r = run_check("28.0", false, 300);
	cr_assert_eq(report_worst(r), SEV_OK);
	cr_assert_null(test_find(r, SEV_INFO, "stub"));
	cr_assert_null(test_find(r, SEV_WARNING, "fall back"));
	cr_assert_not_null(test_find(r, SEV_OK, "default bridge 10.1.1.1"));
	report_free(r);
}

Test(dns_check, systemd_upstream_file_unreadable)
{
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 127.0.0.53\n", -1);
	fixture_mkdir(&cfx, "/run/systemd/resolve/resolv.conf");
	r = run_check("20.10", false, 300);
	cr_assert_eq(report_worst(r), SEV_CRITICAL);
	cr_assert_not_null(test_find(
		r, SEV_CRITICAL,
		"/run/systemd/resolve/resolv.conf cannot be read (Is a directory)"));
	report_free(r);
}

Test(dns_check, missing_file_by_version)
{
	const struct finding *f;
	struct report *r;

	r = run_check("28.0", false, 300);
	f = test_find(r, SEV_CRITICAL, "/etc/resolv.conf does not exist");
	cr_assert_not_null(f);
	cr_assert_not_null(
		strstr(f->summary, "user-defined networks get no DNS server"));
	cr_assert_str_eq(test_evidence(f, "user_defined_upstreams"), "none");
	report_free(r);
	r = run_check("20.10", false, 300);
	cr_assert_eq(report_worst(r), SEV_WARNING);
	f = test_find(r, SEV_WARNING, "/etc/resolv.conf does not exist");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->summary, "8.8.8.8 and 8.8.4.4"));
	report_free(r);
}

Test(dns_check, dangling_symlink_says_where_it_points)
{
	const struct finding *f;
	struct report *r;

	fixture_symlink(&cfx, "/etc/resolv.conf",
			"../run/systemd/resolve/stub-resolv.conf");
	r = run_check("28.0", false, 300);
	f = test_find(r, SEV_CRITICAL, "dangling symlink");
	cr_assert_not_null(f);
	cr_assert_not_null(
		strstr(f->summary, "/run/systemd/resolve/stub-resolv.conf"));
	cr_assert_not_null(strstr(f->remedy, "systemd-resolved"));
	report_free(r);
}

Test(dns_check, no_nameserver_is_like_missing)
{
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf",
		      "# nothing here\nsearch example.com\n", -1);
	r = run_check("28.0", false, 300);
	cr_assert_not_null(test_find(r, SEV_CRITICAL, "lists no nameserver"));
	report_free(r);
}

Test(dns_check, missing_file_with_daemon_dns_is_info)
{
	struct report *r;

	fixture_write(&cfx, "/etc/docker/daemon.json",
		      "{\"dns\": [\"10.1.1.1\"]}\n", -1);
	r = run_check("28.0", false, 300);
	cr_assert_eq(report_worst(r), SEV_INFO);
	cr_assert_not_null(test_find(r, SEV_INFO, "but the daemon's 'dns'"));
	cr_assert_not_null(test_find(r, SEV_OK, "10.1.1.1"));
	report_free(r);
}

Test(dns_check, unreadable_file_stops_containers)
{
	struct report *r;

	fixture_mkdir(&cfx, "/etc/resolv.conf");
	r = run_check("20.10", false, 300);
	cr_assert_eq(report_worst(r), SEV_CRITICAL);
	cr_assert_not_null(
		test_find(r, SEV_CRITICAL, "containers fail to start"));
	report_free(r);
}

Test(dns_check, systemd_stub_handled)
{
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/run/systemd/resolve/stub-resolv.conf",
		      "nameserver 127.0.0.53\noptions edns0 trust-ad\n", -1);
	fixture_symlink(&cfx, "/etc/resolv.conf",
			"../run/systemd/resolve/stub-resolv.conf");
	fixture_write(&cfx, "/run/systemd/resolve/resolv.conf",
		      "nameserver 192.168.1.1\nnameserver 192.168.1.2\n", -1);
	process(300, "systemd-resolve");
	r = run_check("20.10", false, 300);
	cr_assert_eq(report_worst(r), SEV_INFO);
	f = test_find(r, SEV_INFO, "only systemd-resolved's stub 127.0.0.53");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->summary, "192.168.1.1 192.168.1.2"));
	cr_assert_str_eq(test_evidence(f, "default_bridge_source"),
			 RC_SYSTEMD_PATH);
	cr_assert_str_eq(
		test_evidence(f, "host_file"),
		"/etc/resolv.conf -> /run/systemd/resolve/stub-resolv.conf");
	cr_assert_not_null(test_find(r, SEV_OK, "host(127.0.0.53)"));
	report_free(r);
}

Test(dns_check, systemd_stub_without_systemd_resolved)
{
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 127.0.0.53\n", -1);
	fixture_write(&cfx, "/run/systemd/resolve/resolv.conf",
		      "nameserver 192.168.1.1\n", -1);
	process(300, "bash");
	r = run_check("28.0", false, 300);
	cr_assert_not_null(test_find(r, SEV_WARNING,
				     "but systemd-resolved is not running"));
	report_free(r);
}

Test(dns_check, systemd_stub_with_upstream_file_missing)
{
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 127.0.0.53\n", -1);
	r = run_check("20.10", false, 300);
	f = test_find(r, SEV_WARNING, "fall back to Google");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->summary,
				  RC_SYSTEMD_PATH " does not exist"),
			   "%s", f->summary);
	cr_assert_not_null(strstr(f->remedy, "systemd-resolved"));
	report_free(r);
}

Test(dns_check, stub_mixed_with_a_server_is_info)
{
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf",
		      "nameserver 127.0.0.53\nnameserver 10.0.0.1\n", -1);
	r = run_check("20.10", false, 300);
	cr_assert_eq(report_worst(r), SEV_INFO);
	f = test_find(r, SEV_INFO, "skip the loopback nameserver 127.0.0.53");
	cr_assert_not_null(f);
	cr_assert_not_null(
		strstr(f->detail, "only when 127.0.0.53 is the only"));
	report_free(r);
}

Test(dns_check, notes_dnsmasq_bad_lines_too_many)
{
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf",
		      "nameserver ns1.example.com\nnameserver 10.0.0.1\n"
		      "nameserver 10.0.0.2\nnameserver 10.0.0.3\n"
		      "nameserver 10.0.0.4\n",
		      -1);
	process(400, "dnsmasq");
	r = run_check("20.10", false, 300);
	cr_assert_eq(report_worst(r), SEV_INFO);
	cr_assert_not_null(test_find(r, SEV_INFO, "line 1: 'ns1.example.com'"));
	cr_assert_not_null(test_find(r, SEV_INFO, "only the first 3"));
	cr_assert_not_null(
		test_find(r, SEV_INFO, "dnsmasq is running (1 process)"));
	report_free(r);
}

Test(dns_check, ipv6_only_with_ipv6_off)
{
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 2001:db8::53\n",
		      -1);
	r = run_check("28.0", false, 300);
	f = test_find(r, SEV_WARNING, "lists only IPv6 nameservers");
	cr_assert_not_null(f);
	report_free(r);
	fixture_write(&cfx, "/etc/docker/daemon.json", "{\"ipv6\": true}\n",
		      -1);
	r = run_check("28.0", false, 300);
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(dns_check, probe_without_a_daemon_says_127_0_0_11_not_probed)
{
	const struct finding *f;
	struct report *r;

	/* a closed port: the host-side probe answers at once */
	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 127.0.0.1\n", -1);
	fixture_write(&cfx, "/etc/docker/daemon.json",
		      "{\"dns\": [\"127.0.0.1\"]}\n", -1);
	r = run_check("28.0", true, 300);
	f = test_find(r, SEV_INFO, "127.0.0.11) was not probed");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->summary, "API does not answer"));
	/* a loopback 'dns' entry is the container's own: not probed */
	cr_assert_null(
		test_find(r, SEV_WARNING, "nothing listens on DNS server"));
	report_free(r);
}

/* ---- the check with real servers, in a namespace of its own (root) ---- */

/* Move this test process into a new network namespace with 10.99.0.1-3. */
static void private_net(void)
{
	if (geteuid() != 0)
		cr_skip_test("needs root (a network namespace)");
	if (unshare(CLONE_NEWNET) < 0)
		cr_skip_test("unshare(CLONE_NEWNET): %s", strerror(errno));
	cr_assert_eq(lo_up(), 0);
	cr_assert_eq(lo_alias("lo:1", "10.99.0.1"), 0);
	cr_assert_eq(lo_alias("lo:2", "10.99.0.2"), 0);
	cr_assert_eq(lo_alias("lo:3", "10.99.0.3"), 0);
}

Test(dns_check, probe_verdicts_per_server)
{
	struct responder a, b, c;
	const struct finding *f;
	struct report *r;
	double t0, took;

	private_net();
	cr_assert(responder_start(&a, "10.99.0.1", 53, "answer"));
	cr_assert(responder_start(&b, "10.99.0.2", 53, "servfail"));
	cr_assert(responder_start(&c, "10.99.0.3", 53, "silent"));
	fixture_write(&cfx, "/etc/resolv.conf",
		      "nameserver 10.99.0.1\nnameserver 10.99.0.2\n"
		      "nameserver 10.99.0.3\n",
		      -1);
	t0 = now_monotonic();
	r = run_check("20.10", true, 400);
	took = now_monotonic() - t0;
	cr_assert_lt(took, 1.5, "took %.3f s", took);
	cr_assert_eq(report_worst(r), SEV_WARNING, "one server still answers");
	f = test_find(r, SEV_WARNING, "DNS server 10.99.0.2 answered SERVFAIL");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "result"), "error-rcode");
	cr_assert_str_eq(test_evidence(f, "used_by"),
			 "default-bridge,embedded-dns");
	f = test_find(r, SEV_WARNING,
		      "DNS server 10.99.0.3 did not answer within 400 ms");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "result"), "timeout");
	cr_assert_null(test_find(r, SEV_WARNING, "10.99.0.1"));
	responder_stop(&a);
	responder_stop(&b);
	responder_stop(&c);
	report_free(r);
}

Test(dns_check, probe_every_server_failing_is_critical)
{
	struct responder b, c;
	struct report *r;

	private_net();
	cr_assert(responder_start(&b, "10.99.0.2", 53, "servfail"));
	cr_assert(responder_start(&c, "10.99.0.3", 53, "silent"));
	fixture_write(&cfx, "/etc/resolv.conf",
		      "nameserver 10.99.0.2\nnameserver 10.99.0.3\n", -1);
	r = run_check("28.0", true, 300);
	cr_assert_eq(report_worst(r), SEV_CRITICAL);
	cr_assert_not_null(
		test_find(r, SEV_CRITICAL, "10.99.0.2 answered SERVFAIL"));
	cr_assert_not_null(
		test_find(r, SEV_CRITICAL, "10.99.0.3 did not answer"));
	responder_stop(&b);
	responder_stop(&c);
	report_free(r);
}

Test(dns_check, probe_healthy_and_loopback_from_the_host)
{
	struct responder a, lo;
	const struct finding *f;
	struct report *r;

	private_net();
	cr_assert(responder_start(&a, "10.99.0.1", 53, "answer"));
	cr_assert(responder_start(&lo, "127.0.0.1", 53, "answer"));
	fixture_write(&cfx, "/etc/resolv.conf",
		      "nameserver 127.0.0.1\nnameserver 10.99.0.1\n", -1);
	r = run_check("20.10", true, 300);
	cr_assert_eq(report_worst(r), SEV_INFO);
	f = test_find(r, SEV_OK, "containers get usable DNS servers");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(test_evidence(f, "probes"),
				  "10.99.0.1 answered NOERROR"));
	cr_assert_not_null(strstr(test_evidence(f, "probes"),
				  "127.0.0.1 answered NOERROR"),
			   "host(127.0.0.1) is queried from here");
	responder_stop(&a);
	responder_stop(&lo);
	report_free(r);
}

Test(dns_check, probe_unreachable_fallback_servers)
{
	const struct finding *f;
	struct report *r;

	/* no route in an empty namespace: Google cannot be reached */
	private_net();
	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 127.0.0.1\n", -1);
	r = run_check("20.10", true, 300);
	cr_assert_eq(report_worst(r), SEV_CRITICAL);
	f = test_find(r, SEV_CRITICAL, "cannot send a DNS query to 8.8.8.8");
	cr_assert_not_null(f);
	cr_assert_not_null(
		strstr(f->remedy, "cannot reach Google's public DNS"));
	/* host(127.0.0.1) refuses: ICMP port unreachable */
	cr_assert_not_null(test_find(
		r, SEV_CRITICAL, "nothing listens on DNS server 127.0.0.1"));
	report_free(r);
}

/* ---- the file dockerd chose at its start; search and options ---- */

/* A dockerd (pid 100, --pid) that started 123 s after boot time btime. */
static void daemon_started(long long btime)
{
	const char *argv[] = { "/usr/bin/dockerd", NULL };
	char buf[64];

	snprintf(buf, sizeof(buf), "btime %lld\n", btime);
	fixture_write(&cfx, "/proc/stat", buf, -1);
	fixture_process(&cfx, 100, 1, argv);
	check_pid = 100;
}

/* The bridge_* or user_* evidence of a finding, as "ns|search|options". */
static const char *conf_of(const struct finding *f, const char *kind)
{
	static char buf[3][1024];
	static int turn;
	char key[32];
	const char *ns, *search, *options;
	char *out = buf[turn++ % 3];

	snprintf(key, sizeof(key), "%s_nameservers", kind);
	ns = test_evidence(f, key);
	snprintf(key, sizeof(key), "%s_search", kind);
	search = test_evidence(f, key);
	snprintf(key, sizeof(key), "%s_options", kind);
	options = test_evidence(f, key);
	snprintf(out, 1024, "%s|%s|%s", ns ? ns : "(none)",
		 search ? search : "(none)", options ? options : "(none)");
	return out;
}

Test(dns_check, stub_written_after_the_daemon_started)
{
	const struct finding *f;
	struct report *r;

	/* dockerd started in 1970: both files changed since */
	daemon_started(1000);
	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 127.0.0.53\n", -1);
	fixture_write(&cfx, "/run/systemd/resolve/resolv.conf",
		      "nameserver 192.168.1.1\n", -1);
	r = run_check("20.10", false, 300);
	f = test_find(r, SEV_WARNING,
		      "/etc/resolv.conf changed after dockerd started: if it "
		      "chose /etc/resolv.conf then, default-bridge containers "
		      "get 8.8.8.8 8.8.4.4 (Docker's fallback) until dockerd "
		      "restarts, not 192.168.1.1");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "systemctl restart docker"));
	cr_assert_str_eq(test_evidence(f, "other_choice_nameservers"),
			 "8.8.8.8 8.8.4.4");
	cr_assert_str_eq(conf_of(f, "bridge"), "192.168.1.1||");
	cr_assert(startswith(test_evidence(f, "host_file_choice"),
			     "unknown: /etc/resolv.conf changed at "));
	report_free(r);
}

Test(dns_check, real_servers_written_after_a_stub_start)
{
	const struct finding *f;
	struct report *r;

	daemon_started(1000);
	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 10.0.0.1\n", -1);
	fixture_write(&cfx, "/run/systemd/resolve/resolv.conf",
		      "nameserver 192.168.1.1\nsearch lan.example\n", -1);
	r = run_check("20.10", false, 300);
	f = test_find(r, SEV_INFO,
		      "if it chose /run/systemd/resolve/resolv.conf then, "
		      "default-bridge containers get 192.168.1.1 until dockerd "
		      "restarts, not 10.0.0.1");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "other_choice_search"),
			 "lan.example");
	report_free(r);
}

Test(dns_check, unchanged_since_the_daemon_started)
{
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 127.0.0.53\n", -1);
	fixture_write(&cfx, "/run/systemd/resolve/resolv.conf",
		      "nameserver 192.168.1.1\n", -1);
	process(50, "systemd-resolve");
	/* started after the files were written */
	daemon_started((long long)time(NULL));
	r = run_check("20.10", false, 300);
	cr_assert_null(test_find(r, SEV_WARNING, "changed after dockerd"));
	cr_assert_null(test_find(r, SEV_INFO, "changed after dockerd"));
	f = test_find(r, SEV_INFO, "lists only systemd-resolved's stub");
	cr_assert_not_null(f);
	cr_assert(startswith(test_evidence(f, "host_file_choice"),
			     "/run/systemd/resolve/resolv.conf (chosen when "
			     "dockerd started at "));
	cr_assert_str_eq(conf_of(f, "bridge"), "192.168.1.1||");
	report_free(r);
}

Test(dns_check, no_daemon_the_next_start_chooses)
{
	const struct finding *f;
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf", "nameserver 127.0.0.53\n", -1);
	fixture_write(&cfx, "/run/systemd/resolve/resolv.conf",
		      "nameserver 192.168.1.1\n", -1);
	process(50, "systemd-resolve");
	r = run_check("20.10", false, 300);
	f = test_find(r, SEV_INFO, "lists only systemd-resolved's stub");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(test_evidence(f, "host_file_choice"),
				  "chosen at its next start"));
	report_free(r);
}

/* One host file and daemon.json, and what each container kind gets. */
struct conf_case {
	const char *name;
	const char *version;
	const char *etc;
	const char *daemon_json; /* NULL: none */
	const char *bridge; /* "nameservers|search|options" */
	const char *user;
	const char *upstreams; /* user_defined_upstreams */
};

/* clang-format off */
static const struct conf_case confs[] = {
	{ "search and options copied, domain and last options line (20.10)",
	  "20.10",
	  "search corp.example lab.example\nnameserver 127.0.0.1\n"
	  "nameserver 10.0.0.1\noptions edns0\noptions timeout:2\n"
	  "domain d.example\n", NULL,
	  "10.0.0.1|d.example|edns0 timeout:2",
	  "127.0.0.11|corp.example lab.example|timeout:2 ndots:0",
	  "host(127.0.0.1) 10.0.0.1" },
	{ "the host's ndots is kept (20.10)", "20.10",
	  "nameserver 10.0.0.1\noptions ndots:2 rotate\n", NULL,
	  "10.0.0.1||ndots:2 rotate", "127.0.0.11||ndots:2 rotate",
	  "10.0.0.1" },
	{ "a bad ndots: no embedded DNS in the file (20.10)", "20.10",
	  "nameserver 127.0.0.1\nnameserver 10.0.0.1\noptions ndots:x\n",
	  NULL, "10.0.0.1||ndots:x", "10.0.0.1||ndots:x",
	  "host(127.0.0.1) 10.0.0.1" },
	{ "dns-search and dns-opts: a built file, servers unfiltered (20.10)",
	  "20.10", "nameserver 127.0.0.1\nnameserver 10.0.0.1\n"
	  "search h.example\noptions edns0\n",
	  "{\"dns-search\": [\"daemon.example\"], \"dns-opts\": [\"attempts:3\"]}",
	  "127.0.0.1 10.0.0.1|daemon.example|attempts:3",
	  "127.0.0.11|daemon.example|attempts:3 ndots:0",
	  "127.0.0.1 10.0.0.1" },
	{ "dns: the host's last search and options line (20.10)", "20.10",
	  "nameserver 127.0.0.1\nsearch a.example\nsearch b.example\n"
	  "options edns0\noptions rotate\n",
	  "{\"dns\": [\"10.9.9.9\", \"2001:db8::9\"]}",
	  "10.9.9.9 2001:db8::9|b.example|rotate",
	  "127.0.0.11 2001:db8::9|b.example|rotate ndots:0", "10.9.9.9" },
	{ "search . is not written into a built file (20.10)", "20.10",
	  "nameserver 10.0.0.1\nsearch .\n", "{\"dns\": [\"10.9.9.9\"]}",
	  "10.9.9.9||", "127.0.0.11||ndots:0", "10.9.9.9" },
	{ "search . is copied as it is (20.10)", "20.10",
	  "nameserver 10.0.0.1\nsearch .\n", NULL, "10.0.0.1|.|",
	  "127.0.0.11||ndots:0", "10.0.0.1" },
	{ "28: search and options, ndots:0 added", "28.0",
	  "nameserver 10.0.0.1\nsearch a.example\noptions edns0\n", NULL,
	  "10.0.0.1|a.example|edns0", "127.0.0.11|a.example|edns0 ndots:0",
	  "host(10.0.0.1)" },
};
/* clang-format on */

ParameterizedTestParameters(dns_check, conf_table)
{
	TABLE_PARAMS(confs);
}

ParameterizedTest(size_t *ci, dns_check, conf_table)
{
	const struct conf_case *c = &confs[*ci];
	const struct finding *f = NULL;
	struct report *r;

	fixture_write(&cfx, "/etc/resolv.conf", c->etc, -1);
	if (c->daemon_json)
		fixture_write(&cfx, "/etc/docker/daemon.json", c->daemon_json,
			      -1);
	r = run_check(c->version, false, 300);
	for (size_t i = 0; i < r->n_findings && !f; i++)
		if (test_evidence(&r->findings[i], "user_defined_upstreams"))
			f = &r->findings[i];
	cr_assert_not_null(f, "%s: no finding with the evidence", c->name);
	cr_assert_str_eq(conf_of(f, "bridge"), c->bridge, "%s", c->name);
	cr_assert_str_eq(conf_of(f, "user"), c->user, "%s", c->name);
	cr_assert_str_eq(test_evidence(f, "user_defined_upstreams"),
			 c->upstreams, "%s", c->name);
	report_free(r);
}
