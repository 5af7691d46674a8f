// SPDX-License-Identifier: GPL-2.0-or-later
/* resolv.conf parsing and libnetwork's container DNS (see resolvconf.h). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "net/resolvconf.h"
#include "core/util.h"

/* ---- addresses ---- */

static enum rc_class classify4(const unsigned char *b)
{
	if (b[0] == 127)
		return RC_CLASS_LOOPBACK;
	if (b[0] == 0)
		return b[1] | b[2] | b[3] ? RC_CLASS_OTHER
					  : RC_CLASS_UNSPECIFIED;
	if (b[0] == 169 && b[1] == 254)
		return RC_CLASS_LINK_LOCAL;
	if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
	    (b[0] == 192 && b[1] == 168) ||
	    (b[0] == 100 && (b[1] & 0xc0) == 64))
		return RC_CLASS_PRIVATE;
	if (b[0] >= 224)
		return RC_CLASS_OTHER; /* multicast, reserved, broadcast */
	return RC_CLASS_GLOBAL;
}

static bool is_v4_mapped(const unsigned char *b)
{
	static const unsigned char prefix[12] = { 0, 0, 0, 0, 0,    0,
						  0, 0, 0, 0, 0xff, 0xff };

	return memcmp(b, prefix, sizeof(prefix)) == 0;
}

static enum rc_class classify6(const unsigned char *b)
{
	static const unsigned char zero[16], one[16] = { [15] = 1 };

	if (memcmp(b, zero, 16) == 0)
		return RC_CLASS_UNSPECIFIED;
	if (memcmp(b, one, 16) == 0)
		return RC_CLASS_LOOPBACK;
	if (is_v4_mapped(b))
		return classify4(b + 12);
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return RC_CLASS_LINK_LOCAL;
	if ((b[0] & 0xfe) == 0xfc)
		return RC_CLASS_PRIVATE;
	if (b[0] == 0xff)
		return RC_CLASS_OTHER;
	return RC_CLASS_GLOBAL;
}

/* A zone as Go's netip accepts it: non-empty, no '%'. */
static bool zone_ok(const char *z)
{
	if (!*z || strlen(z) >= sizeof(((struct rc_addr *)0)->zone))
		return false;
	for (; *z; z++)
		if (*z == '%' || (unsigned char)*z <= ' ')
			return false;
	return true;
}

int rc_addr_parse(const char *s, struct rc_addr *ret)
{
	struct rc_addr a = { 0 };
	char host[INET6_ADDRSTRLEN + 1];
	const char *pct = strchr(s, '%');
	size_t hlen = pct ? (size_t)(pct - s) : strlen(s);

	if (hlen == 0 || hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (!pct && inet_pton(AF_INET, host, a.bytes) == 1) {
		a.family = AF_INET;
		a.cls = classify4(a.bytes);
	} else if (strchr(host, ':') &&
		   inet_pton(AF_INET6, host, a.bytes) == 1) {
		a.family = AF_INET6;
		a.cls = classify6(a.bytes);
		if (pct) {
			if (!zone_ok(pct + 1))
				return -EINVAL;
			strscpy(a.zone, pct + 1, sizeof(a.zone));
		}
	} else {
		return -EINVAL;
	}
	inet_ntop(a.family, a.bytes, a.text, sizeof(a.text));
	if (a.zone[0]) {
		size_t n = strlen(a.text);

		snprintf(a.text + n, sizeof(a.text) - n, "%%%s", a.zone);
	}
	*ret = a;
	return 0;
}

bool rc_addr_is_loopback(const struct rc_addr *a)
{
	return a->cls == RC_CLASS_LOOPBACK;
}

bool rc_addr_equal(const struct rc_addr *a, const struct rc_addr *b)
{
	size_t n = a->family == AF_INET ? 4 : 16;

	return a->family == b->family && memcmp(a->bytes, b->bytes, n) == 0 &&
	       strcmp(a->zone, b->zone) == 0;
}

const char *rc_class_name(enum rc_class cls)
{
	switch (cls) {
	case RC_CLASS_GLOBAL:
		return "global";
	case RC_CLASS_PRIVATE:
		return "private";
	case RC_CLASS_LOOPBACK:
		return "loopback";
	case RC_CLASS_LINK_LOCAL:
		return "link-local";
	case RC_CLASS_UNSPECIFIED:
		return "unspecified";
	case RC_CLASS_OTHER:
		break;
	}
	return "other";
}

/* ---- the parser ---- */

/* Whitespace as Go's strings.Fields sees it in ASCII (\r included). */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

#define MAX_FIELDS 16

/* Split one line (not NUL-terminated) into at most MAX_FIELDS fields. */
static size_t split_fields(const char *p, const char *end, const char **f,
			   size_t *flen)
{
	size_t n = 0;

	while (p < end && n < MAX_FIELDS) {
		while (p < end && is_space(*p))
			p++;
		if (p >= end)
			break;
		f[n] = p;
		while (p < end && !is_space(*p))
			p++;
		flen[n] = (size_t)(p - f[n]);
		n++;
	}
	return n;
}

/* Append fields to a space-separated text, cut at the buffer's end. */
static void append_fields(char *dst, size_t size, const char **f,
			  const size_t *flen, size_t from, size_t n)
{
	size_t len = strlen(dst);

	for (size_t i = from; i < n && len + 1 < size; i++) {
		size_t k = flen[i];

		if (len && len + 1 < size)
			dst[len++] = ' ';
		if (k > size - 1 - len)
			k = size - 1 - len;
		memcpy(dst + len, f[i], k);
		len += k;
		dst[len] = '\0';
	}
}

static void add_nameserver(struct rc_file *rc, const char *v, size_t vlen,
			   unsigned line)
{
	char text[RC_ADDR_TEXT];
	struct rc_addr a;

	if (vlen < sizeof(text)) {
		memcpy(text, v, vlen);
		text[vlen] = '\0';
	}
	if (vlen >= sizeof(text) || rc_addr_parse(text, &a) < 0) {
		if (rc->n_invalid < RC_MAX_INVALID) {
			struct rc_invalid *bad = &rc->invalid[rc->n_invalid++];
			size_t k = vlen < sizeof(bad->text) - 1
					   ? vlen
					   : sizeof(bad->text) - 1;

			bad->line = line;
			memcpy(bad->text, v, k);
			bad->text[k] = '\0';
			/* a NUL byte inside would cut the text: show it */
			for (size_t i = 0; i < k; i++)
				if (!bad->text[i])
					bad->text[i] = '?';
		}
		rc->n_invalid_total++;
		return;
	}
	a.line = line;
	for (size_t i = 0; i < rc->n_ns; i++)
		if (rc_addr_equal(&rc->ns[i], &a)) {
			rc->n_duplicates++;
			break;
		}
	rc->n_ns_total++;
	if (rc->n_ns < RC_MAX_NS)
		rc->ns[rc->n_ns++] = a;
}

static void parse_line(struct rc_file *rc, const char *p, const char *end,
		       unsigned line)
{
	const char *f[MAX_FIELDS];
	size_t flen[MAX_FIELDS];
	size_t n = split_fields(p, end, f, flen);

	if (n == 0 || f[0][0] == '#' || f[0][0] == ';')
		return;
	if (flen[0] == 10 && memcmp(f[0], "nameserver", 10) == 0) {
		if (n >= 2)
			add_nameserver(rc, f[1], flen[1], line);
	} else if ((flen[0] == 6 && memcmp(f[0], "search", 6) == 0) ||
		   (flen[0] == 6 && memcmp(f[0], "domain", 6) == 0)) {
		if (n >= 2) {
			rc->search[0] = '\0';
			append_fields(rc->search, sizeof(rc->search), f, flen,
				      1, n);
		}
		if (f[0][0] == 's') {
			rc->search_last[0] = '\0';
			append_fields(rc->search_last, sizeof(rc->search_last),
				      f, flen, 1, n);
		}
	} else if (flen[0] == 7 && memcmp(f[0], "options", 7) == 0) {
		append_fields(rc->options, sizeof(rc->options), f, flen, 1, n);
		rc->options_last[0] = '\0';
		append_fields(rc->options_last, sizeof(rc->options_last), f,
			      flen, 1, n);
	}
}

void rc_parse(const char *buf, size_t len, struct rc_file *ret)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;

	memset(ret, 0, sizeof(*ret));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		line++;
		if (eol > p && eol[-1] == '\r' && nl)
			ret->crlf = true;
		if (memchr(p, '\0', (size_t)(eol - p)))
			ret->nul = true;
		parse_line(ret, p, eol, line);
		p = nl ? nl + 1 : end;
	}
	ret->n_lines = line;
}

bool rc_is_systemd_stub_only(const struct rc_file *f)
{
	struct rc_addr stub;

	return f && f->n_ns_total == 1 &&
	       rc_addr_parse(RC_SYSTEMD_STUB, &stub) == 0 &&
	       rc_addr_equal(&f->ns[0], &stub) && !f->ns[0].zone[0];
}

/* ---- the model ---- */

enum rc_era rc_era_of(unsigned version)
{
	if (version >= 2800)
		return RC_ERA_28;
	if (version >= 2600)
		return RC_ERA_26;
	return RC_ERA_2010;
}

static void push_server(struct rc_server *v, size_t *n, const struct rc_addr *a,
			bool host_ns, bool fallback, bool from_dns)
{
	if (*n >= RC_MAX_NS)
		return;
	v[*n] = (struct rc_server){ .addr = *a,
				    .host_ns = host_ns,
				    .fallback = fallback,
				    .from_dns = from_dns };
	(*n)++;
}

static void push_addr(struct rc_addr *v, size_t *n, const struct rc_addr *a)
{
	if (*n < RC_MAX_NS)
		v[(*n)++] = *a;
}

/* Docker's fallback servers. */
static size_t default_servers(bool ipv6, struct rc_addr *out)
{
	static const char *const v4[] = { "8.8.8.8", "8.8.4.4" };
	static const char *const v6[] = { "2001:4860:4860::8888",
					  "2001:4860:4860::8844" };
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(v4); i++)
		rc_addr_parse(v4[i], &out[n++]);
	for (size_t i = 0; ipv6 && i < ARRAY_SIZE(v6); i++)
		rc_addr_parse(v6[i], &out[n++]);
	return n;
}

/* Append Docker's fallback servers to a container type's servers. */
static void push_defaults(struct rc_server *v, size_t *n, bool ipv6)
{
	struct rc_addr defaults[4];
	size_t nd = default_servers(ipv6, defaults);

	for (size_t i = 0; i < nd; i++)
		push_server(v, n, &defaults[i], false, true, false);
}

/* Append the daemon's 'dns' entries, which replace the host's servers. */
static void push_dns(struct rc_server *v, size_t *n, const struct rc_addr *dns,
		     size_t n_dns)
{
	for (size_t i = 0; i < n_dns; i++)
		push_server(v, n, &dns[i], false, false, true);
}

/* The daemon's 'dns' entries as addresses (bad ones are skipped). */
static size_t dns_addrs(char *const *dns, struct rc_addr *out)
{
	size_t n = 0;

	for (size_t i = 0; dns && dns[i] && n < RC_MAX_NS; i++)
		if (rc_addr_parse(dns[i], &out[n]) == 0)
			n++;
	return n;
}

/* The default bridge (TransformForLegacyNw, FilterResolvDNS). */
static void model_bridge(const struct rc_model_input *in, struct rc_model *m,
			 const struct rc_addr *dns, size_t n_dns)
{
	const struct rc_file *src = m->stub_rule ? in->systemd : in->etc;
	int err = m->stub_rule ? in->systemd_err : in->etc_err;

	m->bridge_file = m->stub_rule ? RC_SYSTEMD_PATH : RC_ETC_PATH;
	m->bridge_err = err;
	if (err && err != -ENOENT)
		return; /* the container does not start */
	if (m->dns_override) {
		push_dns(m->bridge, &m->n_bridge, dns, n_dns);
		return;
	}
	if (m->built && m->era == RC_ERA_2010) {
		/* Build() takes the host's servers unfiltered, no fallback */
		for (size_t i = 0; !err && src && i < src->n_ns; i++)
			push_server(m->bridge, &m->n_bridge, &src->ns[i], false,
				    false, false);
		return;
	}
	for (size_t i = 0; !err && src && i < src->n_ns; i++) {
		const struct rc_addr *a = &src->ns[i];

		if (rc_addr_is_loopback(a))
			push_addr(m->dropped_loopback, &m->n_dropped_loopback,
				  a);
		else if (a->family == AF_INET6 && !in->ipv6)
			push_addr(m->dropped_ipv6, &m->n_dropped_ipv6, a);
		else
			push_server(m->bridge, &m->n_bridge, a, false, false,
				    false);
	}
	if (m->n_bridge)
		return;
	m->bridge_fallback = true;
	push_defaults(m->bridge, &m->n_bridge, in->ipv6);
}

/*
 * Before 26: the IPv4 servers are upstreams, 127/8 ones from the host.
 * The network is assumed without IPv6 (the default of 'docker network
 * create'): updateDNS() then strips IPv6 servers from the container's
 * file before rebuildDNS(), which falls back to the IPv4 servers of that
 * file (Google's when nothing was left) when the host had no IPv4 one.
 */
static void model_user_2010(const struct rc_model_input *in, struct rc_model *m,
			    const struct rc_addr *dns, size_t n_dns)
{
	const struct rc_file *etc = in->etc_err ? NULL : in->etc;

	if (m->built) {
		/*
		 * updateDNS() leaves a built file alone: IPv6 stays listed.
		 * Its servers are 'dns', else the host's, loopback included,
		 * and none is queried from the host's namespace.
		 */
		const struct rc_addr *a = dns;
		size_t n = n_dns;

		if (!m->dns_override) {
			a = etc ? etc->ns : NULL;
			n = etc ? etc->n_ns : 0;
		}
		for (size_t i = 0; i < n; i++) {
			if (a[i].family == AF_INET)
				push_server(m->user, &m->n_user, &a[i], false,
					    false, m->dns_override);
			else
				push_addr(m->user_direct, &m->n_user_direct,
					  &a[i]);
		}
		m->user_none = m->n_user == 0;
		return;
	}
	for (size_t i = 0; etc && i < etc->n_ns; i++)
		if (etc->ns[i].family == AF_INET)
			push_server(m->user, &m->n_user, &etc->ns[i],
				    rc_addr_is_loopback(&etc->ns[i]), false,
				    false);
	if (m->n_user)
		return;
	m->user_fallback = true;
	push_defaults(m->user, &m->n_user, false);
}

/* 26 and later (TransformForIntNS). */
static void model_user_new(const struct rc_model_input *in, struct rc_model *m,
			   const struct rc_addr *dns, size_t n_dns)
{
	const struct rc_file *etc = in->etc_err ? NULL : in->etc;

	if (m->dns_override) {
		push_dns(m->user, &m->n_user, dns, n_dns);
		return;
	}
	for (size_t i = 0; etc && i < etc->n_ns; i++) {
		const struct rc_addr *a = &etc->ns[i];
		/* 26, 27: user-defined networks without IPv6 assumed */
		bool host = m->era == RC_ERA_28 || rc_addr_is_loopback(a) ||
			    a->family == AF_INET6 || a->zone[0];

		push_server(m->user, &m->n_user, a, host, false, false);
	}
	if (m->n_user)
		return;
	if (m->era == RC_ERA_28) {
		m->user_none = true;
		return;
	}
	m->user_fallback = true;
	push_defaults(m->user, &m->n_user, false);
}

void rc_model_compute(const struct rc_model_input *in, struct rc_model *ret)
{
	struct rc_model *m = ret;
	struct rc_addr dns[RC_MAX_NS];
	size_t n_dns;

	memset(m, 0, sizeof(*m));
	m->era = rc_era_of(in->version);
	n_dns = dns_addrs(in->dns, dns);
	m->n_dns = n_dns;
	m->dns_override = n_dns > 0;
	for (size_t i = 0; i < n_dns; i++)
		if (dns[i].cls == RC_CLASS_LOOPBACK ||
		    dns[i].cls == RC_CLASS_UNSPECIFIED)
			push_addr(m->dns_unusable, &m->n_dns_unusable, &dns[i]);
	m->built = m->dns_override || (in->dns_search && in->dns_search[0]) ||
		   (in->dns_opts && in->dns_opts[0]);
	m->stub_now = !in->etc_err && rc_is_systemd_stub_only(in->etc);
	/* resolvconf.Path() chose once, when dockerd started */
	m->stub_rule = in->choice == RC_CHOICE_NOW
			       ? m->stub_now
			       : in->choice == RC_CHOICE_SYSTEMD;
	model_bridge(in, m, dns, n_dns);
	m->user_err = in->etc_err == -ENOENT ? -ENOENT : in->etc_err;
	if (!in->etc_err || in->etc_err == -ENOENT) {
		if (m->era == RC_ERA_2010)
			model_user_2010(in, m, dns, n_dns);
		else
			model_user_new(in, m, dns, n_dns);
	}
	rc_model_conf(in, m);
}

void rc_format_servers(const struct rc_server *s, size_t n, size_t used,
		       char *buf, size_t size)
{
	size_t len = 0;

	if (!size)
		return;
	buf[0] = '\0';
	if (n == 0) {
		snprintf(buf, size, "none");
		return;
	}
	for (size_t i = 0; i < n && i < used && len < size; i++)
		len += snprintf(buf + len, size - len,
				s[i].host_ns ? "%shost(%s)" : "%s%s",
				i ? " " : "", s[i].addr.text);
	if (n > used && len < size)
		snprintf(buf + len, size - len, " (+%zu unused)", n - used);
}

void rc_format_addrs(const struct rc_addr *a, size_t n, char *buf, size_t size)
{
	size_t len = 0;

	if (!size)
		return;
	buf[0] = '\0';
	if (n == 0) {
		snprintf(buf, size, "none");
		return;
	}
	for (size_t i = 0; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				a[i].text);
}

/* ---- host files ---- */

/* Join a link target to the folder of path, lexically ("a/../b"). */
static int join_link(const char *path, const char *target, char *out,
		     size_t size)
{
	char tmp[4096];
	char *parts[256], *save = NULL, *tok;
	size_t n = 0, len = 0;
	int w;

	if (target[0] == '/') {
		w = snprintf(tmp, sizeof(tmp), "%s", target);
	} else {
		const char *slash = strrchr(path, '/');
		int dlen = slash ? (int)(slash - path) : 0;

		w = snprintf(tmp, sizeof(tmp), "%.*s/%s", dlen, path, target);
	}
	if (w < 0 || (size_t)w >= sizeof(tmp))
		return -ENAMETOOLONG;
	for (tok = strtok_r(tmp, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			if (n)
				n--;
			continue;
		}
		if (n >= ARRAY_SIZE(parts))
			return -ENAMETOOLONG;
		parts[n++] = tok;
	}
	if (size < 2)
		return -ENAMETOOLONG;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		w = snprintf(out + len, size - len, "/%s", parts[i]);
		if (w < 0 || (size_t)w >= size - len)
			return -ENAMETOOLONG;
		len += (size_t)w;
	}
	if (!n)
		strcpy(out, "/");
	return 0;
}

int rc_read_host_file(const struct pathctx *pc, const char *path, size_t max,
		      char **ret_buf, size_t *ret_len, char *ret_target,
		      size_t tsize)
{
	char cur[4096], next[4096];
	struct stat st;
	int r;

	if (tsize)
		ret_target[0] = '\0';
	if (strlen(path) >= sizeof(cur))
		return -ENAMETOOLONG;
	strcpy(cur, path);
	for (int hops = 0;; hops++) {
		char *link = NULL;

		r = path_stat(pc, cur, false, &st);
		if (r < 0)
			return r;
		if (!S_ISLNK(st.st_mode))
			break;
		if (hops >= 16)
			return -ELOOP;
		r = path_readlinkf(pc, &link, "%s", cur);
		if (r < 0)
			return r;
		r = join_link(cur, link, next, sizeof(next));
		free(link);
		if (r < 0)
			return r;
		strcpy(cur, next);
		if (tsize)
			strscpy(ret_target, cur, tsize);
	}
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	return path_read_file(pc, cur, max, ret_buf, ret_len);
}

/* ---- who listens on port 53 ---- */

/* Parse "0100007F:0035" (IPv4) or 32 hex digits (IPv6) and the port. */
static int parse_sock_addr(const char *s, int family, unsigned char *bytes,
			   unsigned *port)
{
	size_t words = family == AF_INET ? 1 : 4;

	for (size_t w = 0; w < words; w++) {
		char hex[9];
		unsigned long v;
		unsigned int u;
		char *end;

		memcpy(hex, s + w * 8, 8);
		hex[8] = '\0';
		v = strtoul(hex, &end, 16);
		if (*end)
			return -EINVAL;
		/* the kernel prints each 32-bit word in host order */
		u = (unsigned int)v;
		memcpy(bytes + w * 4, &u, 4);
	}
	if (s[words * 8] != ':')
		return -EINVAL;
	return sscanf(s + words * 8 + 1, "%x", port) == 1 ? 0 : -EINVAL;
}

/* Scan one table for a socket bound to addr:53 or to the wildcard. */
static int scan_udp(const char *buf, const struct rc_addr *a, int family)
{
	const char *line = strchr(buf, '\n');
	static const unsigned char zero[16];
	size_t alen = family == AF_INET ? 4 : 16;

	while (line && *++line) {
		char local[64];
		unsigned char bytes[16];
		unsigned port;

		if (sscanf(line, " %*s %63s", local) == 1 &&
		    parse_sock_addr(local, family, bytes, &port) == 0 &&
		    port == 53) {
			if (memcmp(bytes, zero, alen) == 0)
				return 1;
			if (a->family == family &&
			    memcmp(bytes, a->bytes, alen) == 0)
				return 1;
			/* an IPv4 address seen through an IPv6 socket */
			if (family == AF_INET6 && a->family == AF_INET &&
			    is_v4_mapped(bytes) &&
			    memcmp(bytes + 12, a->bytes, 4) == 0)
				return 1;
		}
		line = strchr(line, '\n');
	}
	return 0;
}

int rc_udp53_listening(const struct pathctx *pc, int pid,
		       const struct rc_addr *a)
{
	static const char *const tables[] = { "udp", "udp6" };
	int read_any = 0, err = -ENOENT;

	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		char *buf = NULL, who[16] = "self";
		int r;

		if (pid > 0)
			snprintf(who, sizeof(who), "%d", pid);
		r = path_read_filef(pc, 16 << 20, &buf, NULL, "/proc/%s/net/%s",
				    who, tables[i]);

		if (r < 0) {
			err = r;
			continue;
		}
		read_any = 1;
		r = scan_udp(buf, a, i == 0 ? AF_INET : AF_INET6);
		free(buf);
		if (r)
			return 1;
	}
	return read_any ? 0 : err;
}
