/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The active DNS probe (dns.resolver --probe-dns): one real UDP query to
 * each server, all in flight at once from one poll() loop, bounded by one
 * total deadline.
 *
 * A probe whose netns_fd is set is sent from inside that network
 * namespace (a container's, to reach its 127.0.0.11): a short-lived child
 * process setns()es there, sends its queries and writes the results back
 * over a pipe; it is killed at the deadline. No thread of the calling
 * process ever changes namespace.
 *
 * Replies are validated (length, ID, QR bit, opcode, the question echoed)
 * and nothing is read from them beyond the rcode and the counts.
 *
 * Test hook: the environment variable DOCKERD_DOCTOR_DNS_PORT (1-65535)
 * replaces port 53 for every probe whose port is 0, so that tests can run
 * responders on unprivileged ports. Nothing else reads it.
 */
#ifndef DD_DNSPROBE_H
#define DD_DNSPROBE_H

#include <stddef.h>

#define DNSPROBE_PORT_ENV "DOCKERD_DOCTOR_DNS_PORT"
#define DNSPROBE_MAX_QUERY 300 /* header + a 255-byte name + type/class */

/* DNS types and rcodes the probe uses. */
#define DNS_TYPE_A 1
#define DNS_TYPE_NS 2
#define DNS_RCODE_NOERROR 0
#define DNS_RCODE_SERVFAIL 2
#define DNS_RCODE_NXDOMAIN 3
#define DNS_RCODE_REFUSED 5

enum dnsprobe_result {
	DNSPROBE_NOT_RUN = 0, /* not sent (the run stopped before) */
	DNSPROBE_ANSWERED, /* NOERROR or NXDOMAIN: the server works */
	DNSPROBE_ERROR_RCODE, /* it answered SERVFAIL, REFUSED, ... */
	DNSPROBE_REFUSED, /* ICMP port unreachable: nothing listens */
	DNSPROBE_TIMEOUT, /* no valid reply before the deadline */
	DNSPROBE_SEND_ERROR, /* socket, connect or send failed (err) */
	DNSPROBE_NETNS_ERROR, /* the namespace could not be entered (err) */
};

struct dnsprobe {
	/* what to send */
	char server[80]; /* numeric address; IPv6 may end in %zone */
	unsigned port; /* 0: 53 (or DOCKERD_DOCTOR_DNS_PORT) */
	char qname[256]; /* "" or ".": the root */
	unsigned qtype; /* 0: NS for the root, A for a name */
	int netns_fd; /* -1: from here; else an nsfs descriptor */
	/* what happened */
	enum dnsprobe_result result;
	int rcode; /* DNSPROBE_ANSWERED / _ERROR_RCODE */
	unsigned ancount; /* answers in the reply */
	int err; /* -errno for _SEND_ERROR, _REFUSED, _NETNS_ERROR */
	long ms; /* from the send to the verdict */
	unsigned ignored; /* replies that failed validation */
};

/* Set the inputs of a probe; qname NULL means the root. */
void dnsprobe_init(struct dnsprobe *p, const char *server, unsigned port,
		   const char *qname, unsigned qtype, int netns_fd);

/*
 * Run every probe at once and wait for them, at most timeout_ms in total.
 * Returns 0 (verdicts are in the probes) or -errno when nothing could be
 * run (-EINVAL: a bad timeout).
 */
int dnsprobe_run(struct dnsprobe *p, size_t n, long timeout_ms);

/* "answered", "error-rcode", "refused", "timeout", "send-error", ... */
const char *dnsprobe_result_name(enum dnsprobe_result res);

/* "NOERROR", "SERVFAIL", "NXDOMAIN", "REFUSED", ... ("RCODE13"). */
const char *dnsprobe_rcode_name(int rcode, char *buf, size_t size);

/* One line: "answered NOERROR (1 answer) in 3 ms", "timeout after 2000 ms". */
void dnsprobe_describe(const struct dnsprobe *p, char *buf, size_t size);

/*
 * Build a query with RD set: the id, one question (name, type, class IN).
 * Returns its length, or -EINVAL for a bad name (a label over 63 bytes, a
 * name over 255, an empty label).
 */
int dnsprobe_build_query(unsigned char *buf, size_t size, unsigned id,
			 const char *qname, unsigned qtype);

/*
 * Validate a reply to query q (qlen bytes): at least a header, the same
 * id, QR set, opcode QUERY, and when it carries a question, exactly q's.
 * 0 with *rcode and *ancount set, or -EBADMSG.
 */
int dnsprobe_check_reply(const unsigned char *q, size_t qlen,
			 const unsigned char *reply, size_t len, int *rcode,
			 unsigned *ancount);

#endif
