/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * resolv.conf, and the DNS servers libnetwork gives containers.
 *
 * The parser follows resolv.conf(5) as libnetwork reads it (moby v28
 * libnetwork/internal/resolvconf): whitespace-separated fields, a line
 * whose first field starts with '#' or ';' is a comment, "nameserver ADDR"
 * takes one numeric IPv4 or IPv6 address (an IPv6 one may carry a %zone),
 * "search"/"domain" keep the last line, "options" accumulate.
 *
 * The model computes, for one Docker version, what dockerd does with the
 * host's files and its own 'dns' and 'ipv6' settings (moby
 * libnetwork/sandbox_dns_unix.go and the resolvconf package, v20.10.24 to
 * v28.5.2):
 *
 * - Host file choice (resolvconf.Path()): /etc/resolv.conf, unless its only
 *   nameserver is 127.0.0.53 (systemd-resolved's stub): then the default
 *   bridge reads /run/systemd/resolve/resolv.conf. User-defined networks
 *   always read /etc/resolv.conf.
 * - Default bridge: loopback servers are dropped, IPv6 ones too when ipv6
 *   is off; none left: 8.8.8.8 and 8.8.4.4 (and Google's IPv6 pair when
 *   ipv6 is on). A missing file counts as empty. A daemon 'dns' list
 *   replaces the servers as it is, loopback included.
 * - User-defined networks: the container gets 127.0.0.11; the embedded DNS
 *   forwards to upstreams taken from /etc/resolv.conf:
 *     before 26: the IPv4 servers, 127/8 ones queried from the host's
 *       namespace; none: Google's IPv4 pair, from the container's
 *       namespace (networks without IPv6 assumed: IPv6 servers are
 *       dropped from the container's file, never upstreams);
 *     26, 27: every server, loopback, IPv6 and zoned ones from the host's
 *       namespace (user-defined networks without IPv6 assumed); none:
 *       Google, from the container's namespace;
 *     28 and later: every server, all from the host's namespace; none: no
 *       upstream at all (only container names resolve).
 *   A daemon 'dns' list replaces them and is never queried from the host's
 *   namespace (before 26 only its IPv4 entries are upstreams).
 * - The embedded DNS uses at most 3 upstreams, the C library at most 3
 *   nameservers (RC_MAX_USED).
 * - A file that exists but cannot be read (EACCES, EISDIR, ELOOP, EIO)
 *   makes dockerd fail to set up the container: it does not start.
 *
 * Pure functions: no I/O except rc_read_host_file() and rc_nm_dns_mode().
 */
#ifndef DD_RESOLVCONF_H
#define DD_RESOLVCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "host/path.h"

#define RC_ADDR_TEXT 80 /* address text, zone included */
#define RC_MAX_NS 32 /* nameservers kept per list; more are counted */
#define RC_MAX_INVALID 8 /* bad nameserver lines kept */
#define RC_MAX_USED 3 /* maxExtDNS, glibc's MAXNS */
#define RC_TEXT_MAX 256 /* search and options, joined */

#define RC_ETC_PATH "/etc/resolv.conf"
#define RC_SYSTEMD_PATH "/run/systemd/resolve/resolv.conf"
#define RC_SYSTEMD_STUB "127.0.0.53"
#define RC_EMBEDDED_DNS "127.0.0.11"

enum rc_class {
	RC_CLASS_GLOBAL = 0,
	RC_CLASS_PRIVATE, /* 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7 */
	RC_CLASS_LOOPBACK, /* 127/8, ::1, ::ffff:127/104 */
	RC_CLASS_LINK_LOCAL, /* 169.254/16, fe80::/10 */
	RC_CLASS_UNSPECIFIED, /* 0.0.0.0, :: */
	RC_CLASS_OTHER, /* multicast, broadcast, reserved */
};

struct rc_addr {
	char text[RC_ADDR_TEXT]; /* normalised ("2001:db8::1%eth0") */
	int family; /* AF_INET or AF_INET6 */
	unsigned char bytes[16]; /* network order; 4 used for AF_INET */
	char zone[32]; /* IPv6 zone, "" when none */
	enum rc_class cls;
	unsigned line; /* line in its file; 0 for 'dns' and defaults */
};

struct rc_invalid {
	unsigned line;
	char text[64]; /* the value, cut */
};

struct rc_file {
	struct rc_addr ns[RC_MAX_NS]; /* valid nameservers, in order */
	size_t n_ns; /* kept in ns[] */
	size_t n_ns_total; /* valid nameserver lines seen */
	struct rc_invalid invalid[RC_MAX_INVALID];
	size_t n_invalid; /* kept */
	size_t n_invalid_total;
	size_t n_lines;
	size_t n_duplicates; /* nameserver lines repeating an earlier one */
	bool crlf; /* some line ends in \r\n */
	bool nul; /* the file holds a NUL byte */
	char search[RC_TEXT_MAX]; /* the last search/domain line's values */
	char options[RC_TEXT_MAX]; /* every options value, space-separated */
	/*
	 * As libnetwork before 26 reads them (GetSearchDomains, GetOptions):
	 * the last "search" line ("domain" is not one) and the last
	 * "options" line alone.
	 */
	char search_last[RC_TEXT_MAX];
	char options_last[RC_TEXT_MAX];
};

/* Parse one numeric address (IPv6 may end in %zone). 0 or -EINVAL. */
int rc_addr_parse(const char *s, struct rc_addr *ret);

/* True for 127/8, ::1 and IPv4-mapped 127/8. */
bool rc_addr_is_loopback(const struct rc_addr *a);

/* Same address and zone. */
bool rc_addr_equal(const struct rc_addr *a, const struct rc_addr *b);

/* "global", "private", "loopback", "link-local", "unspecified", "other". */
const char *rc_class_name(enum rc_class cls);

/* Parse a resolv.conf buffer (len bytes, may hold NULs); never fails. */
void rc_parse(const char *buf, size_t len, struct rc_file *ret);

/* True when the only nameserver is systemd-resolved's stub 127.0.0.53. */
bool rc_is_systemd_stub_only(const struct rc_file *f);

/* A server a container type uses. */
struct rc_server {
	struct rc_addr addr;
	bool host_ns; /* queried from the host's namespace (HostLoopback) */
	bool fallback; /* one of Docker's default (Google) servers */
	bool from_dns; /* from the daemon's 'dns' setting */
};

/* Which file the default bridge copies, as dockerd chose it at its start. */
enum rc_choice {
	RC_CHOICE_NOW = 0, /* from /etc/resolv.conf as it is now */
	RC_CHOICE_ETC, /* /etc/resolv.conf, whatever it says now */
	RC_CHOICE_SYSTEMD, /* RC_SYSTEMD_PATH, whatever it says now */
};

/*
 * What a container's own resolv.conf holds, as the C library reads it:
 * every nameserver line in order, the last search (or domain) line, and
 * every option. Texts are space-separated, "" when none.
 */
struct rc_conf {
	char nameservers[RC_TEXT_MAX];
	char search[RC_TEXT_MAX];
	char options[RC_TEXT_MAX];
};

enum rc_era {
	RC_ERA_2010, /* 20.10 .. 25: the old resolvconf package */
	RC_ERA_26, /* 26, 27: TransformForIntNS with IPv6 upstreams */
	RC_ERA_28, /* 28 and later: no fallback for the embedded DNS */
};

struct rc_model_input {
	unsigned version; /* major * 100 + minor (2010, 2805) */
	const struct rc_file *etc; /* /etc/resolv.conf parsed, NULL if not read */
	int etc_err; /* 0, or -errno reading it (-ENOENT: missing/dangling) */
	/* /run/systemd/resolve/resolv.conf; read only when the stub rule holds */
	const struct rc_file *systemd;
	int systemd_err;
	char *const *dns; /* the daemon's 'dns' (NULL or empty: none) */
	char *const *dns_search; /* the daemon's 'dns-search' */
	char *const *dns_opts; /* the daemon's 'dns-opts' */
	bool ipv6; /* the daemon's 'ipv6' (the default bridge) */
	/*
	 * The file dockerd chose for the default bridge when it started
	 * (resolvconf.Path() runs once): RC_CHOICE_NOW when that is what
	 * /etc/resolv.conf says today (unchanged since, or no daemon yet).
	 */
	enum rc_choice choice;
};

struct rc_model {
	enum rc_era era;
	bool stub_rule; /* the default bridge reads RC_SYSTEMD_PATH */
	bool stub_now; /* /etc/resolv.conf's only nameserver is the stub now */
	bool dns_override; /* the daemon's 'dns' replaces the host's servers */
	/* 'dns', 'dns-search' or 'dns-opts' set: the file is built, not copied */
	bool built;
	/* the default bridge */
	const char *bridge_file; /* the file it starts from */
	int bridge_err; /* reading it: 0, -ENOENT (empty), other: no start */
	struct rc_server bridge[RC_MAX_NS]; /* its resolv.conf's servers */
	size_t n_bridge;
	bool bridge_fallback; /* nothing usable left: Google */
	struct rc_addr dropped_loopback[RC_MAX_NS]; /* dropped as loopback */
	size_t n_dropped_loopback;
	struct rc_addr dropped_ipv6[RC_MAX_NS]; /* dropped: ipv6 off */
	size_t n_dropped_ipv6;
	/* user-defined networks: the embedded DNS 127.0.0.11 */
	int user_err; /* reading /etc/resolv.conf: as bridge_err */
	struct rc_server user[RC_MAX_NS]; /* upstreams, in order */
	size_t n_user;
	bool user_fallback; /* upstreams are Docker's defaults */
	bool user_none; /* no upstream: only container names resolve */
	/* <26 with 'dns': its IPv6 entries, listed in the container's file */
	struct rc_addr user_direct[RC_MAX_NS];
	size_t n_user_direct;
	/* 'dns' entries that cannot work in a container (loopback, 0.0.0.0) */
	struct rc_addr dns_unusable[RC_MAX_NS];
	size_t n_dns_unusable;
	size_t n_dns; /* valid 'dns' entries */
	/* each container type's own resolv.conf (when it starts) */
	struct rc_conf bridge_conf, user_conf;
	/* user-defined networks: the host's options hold a bad ndots (<26) */
	bool user_bad_ndots;
};

/* The era whose rules apply to a version. */
enum rc_era rc_era_of(unsigned version);

/* Compute what containers get. Pure; never fails. */
void rc_model_compute(const struct rc_model_input *in, struct rc_model *ret);

/*
 * Fill m->bridge_conf and m->user_conf, the files containers get (called
 * by rc_model_compute(), resolvconf-conf.c). Before 26 (checked against
 * dockerd 20.10): the default bridge gets a copy of its host file without
 * the dropped servers (search and options lines as they are); with
 * 'dns', 'dns-search' or 'dns-opts' set, a file built from them and the
 * host file's servers (all, loopback too), last search and last options
 * line. User-defined networks get "nameserver 127.0.0.11" (plus the IPv6
 * servers of a built file), the last search line and the last options
 * line of that file, and "ndots:0" unless an option names ndots; a bad
 * ndots value makes the rebuild fail: the container keeps the filtered
 * copy. From 26 on: the host file's search and options (all options
 * lines), 'dns-search'/'dns-opts' replacing them, the same ndots rule.
 */
void rc_model_conf(const struct rc_model_input *in, struct rc_model *m);

/*
 * Format servers as libnetwork logs them: "host(127.0.0.53) 10.0.0.1",
 * the first `used` of them, then "(+N unused)" for the rest. "none" for
 * an empty list.
 */
void rc_format_servers(const struct rc_server *s, size_t n, size_t used,
		       char *buf, size_t size);

/* Format addresses separated by ", "; "none" for an empty list. */
void rc_format_addrs(const struct rc_addr *a, size_t n, char *buf, size_t size);

/*
 * Read a host file under the root, following symlinks inside the root (an
 * absolute link target names a path under the sysroot, as it would on
 * that host). *ret_target (size tsize) gets the final path when the file
 * is a symlink, "" otherwise: also when it dangles (-ENOENT). 0 or -errno;
 * -ELOOP after 16 links.
 */
int rc_read_host_file(const struct pathctx *pc, const char *path, size_t max,
		      char **ret_buf, size_t *ret_len, char *ret_target,
		      size_t tsize);

/*
 * NetworkManager's [main] dns= value from NetworkManager.conf and the
 * conf.d directories (/usr/lib, /run, /etc; a later file wins, a file in
 * /etc hides one of the same name). Pure part: the value in one buffer.
 * Returns 1 and fills mode when the buffer sets it, 0 when not.
 */
int rc_nm_parse_dns(const char *buf, char *mode, size_t size,
		    unsigned *ret_line);

/*
 * The effective dns= mode ("" when nothing sets it) and the file:line that
 * set it. 0, or -ENOENT when NetworkManager.conf and conf.d are all absent.
 */
int rc_nm_dns_mode(const struct pathctx *pc, char *mode, size_t size,
		   char *where, size_t wsize);

/*
 * Is something bound to UDP port 53 on this address (or the wildcard) in
 * the network namespace of pid (dockerd's: where the embedded DNS sends
 * host-loopback queries; 0: this process's), from /proc/PID/net/udp and
 * udp6? 1 yes, 0 no, -errno when the tables cannot be read.
 */
int rc_udp53_listening(const struct pathctx *pc, int pid,
		       const struct rc_addr *a);

#endif
