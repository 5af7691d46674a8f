// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dns-responder ADDR PORT MODE: a tiny UDP DNS server for the tests of
 * dns.resolver --probe-dns. It binds ADDR:PORT (PORT 0: any free port),
 * prints "ready PORT" once bound, and answers every query until killed:
 *
 *   answer     NOERROR, the question echoed and one A record (192.0.2.1)
 *   nxdomain   NXDOMAIN, no answer
 *   servfail   SERVFAIL
 *   refused    REFUSED (the DNS rcode; a closed port gives ICMP instead)
 *   silent     never answers
 *   badid      a reply with the wrong id (invalid: the probe ignores it)
 *   noqr       a "reply" without the QR bit (invalid)
 *   short      5 bytes (invalid)
 *   badq       a reply to another question (invalid)
 *   junk-then-answer  an invalid reply, then the right one
 *
 * The unit tests include this file with DNS_RESPONDER_NO_MAIN defined and
 * run resp_serve() in a thread.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum resp_mode {
	RESP_ANSWER,
	RESP_NXDOMAIN,
	RESP_SERVFAIL,
	RESP_REFUSED,
	RESP_SILENT,
	RESP_BADID,
	RESP_NOQR,
	RESP_SHORT,
	RESP_BADQ,
	RESP_JUNK_THEN_ANSWER,
};

static const char *const resp_modes[] = {
	"answer", "nxdomain", "servfail", "refused", "silent",
	"badid",  "noqr",     "short",	  "badq",    "junk-then-answer",
};

/* The mode named s, or -1. */
static int resp_parse_mode(const char *s)
{
	for (size_t i = 0; i < sizeof(resp_modes) / sizeof(resp_modes[0]); i++)
		if (strcmp(s, resp_modes[i]) == 0)
			return (int)i;
	return -1;
}

/* End of the question section, or 0 when the query is malformed. */
static size_t resp_question_end(const unsigned char *q, size_t len)
{
	size_t p = 12;

	if (len < 12 || q[4] != 0 || q[5] != 1)
		return 0;
	while (p < len && q[p]) {
		if (q[p] > 63)
			return 0; /* no compression in a query */
		p += 1 + q[p];
	}
	if (p + 1 + 4 > len)
		return 0;
	return p + 1 + 4;
}

/*
 * Build the reply (or the invalid reply) for a mode into out. Returns its
 * length, 0 for no reply. *again is set when a second, valid reply must
 * follow (junk-then-answer).
 */
static size_t resp_make_reply(const unsigned char *q, size_t len,
			      enum resp_mode mode, unsigned char *out,
			      size_t size, int *again)
{
	static const unsigned char rr[] = { 0xc0, 0x0c, 0, 1, 0,   1, 0, 0,
					    0,	  60,	0, 4, 192, 0, 2, 1 };
	size_t qend = resp_question_end(q, len);
	int rcode = 0, answer = 0;

	*again = 0;
	if (!qend || qend + sizeof(rr) > size || mode == RESP_SILENT)
		return 0;
	if (mode == RESP_SHORT) {
		memcpy(out, q, 5);
		return 5;
	}
	memcpy(out, q, qend);
	out[2] = (unsigned char)(0x80 | (q[2] & 0x01)); /* QR, RD copied */
	out[3] = 0x80; /* RA */
	memset(out + 6, 0, 6); /* no answer, authority, additional yet */
	switch (mode) {
	case RESP_ANSWER:
		answer = 1;
		break;
	case RESP_NXDOMAIN:
		rcode = 3;
		break;
	case RESP_SERVFAIL:
		rcode = 2;
		break;
	case RESP_REFUSED:
		rcode = 5;
		break;
	case RESP_BADID:
		out[0] ^= 0x5a;
		out[1] ^= 0xa5;
		answer = 1;
		break;
	case RESP_NOQR:
		out[2] &= 0x7f;
		answer = 1;
		break;
	case RESP_BADQ:
		out[qend - 1] ^= 0x01; /* another class */
		answer = 1;
		break;
	case RESP_JUNK_THEN_ANSWER:
		out[0] ^= 0xff;
		answer = 1;
		*again = 1;
		break;
	default:
		break;
	}
	out[3] |= (unsigned char)rcode;
	if (!answer)
		return qend;
	out[7] = 1;
	memcpy(out + qend, rr, sizeof(rr));
	return qend + sizeof(rr);
}

/* Answer on fd until *stop is set (checked every 50 ms). */
static void resp_serve(int fd, enum resp_mode mode, volatile int *stop)
{
	while (!stop || !*stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		unsigned char q[1500], out[1600];
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n;
		size_t rlen;
		int again;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from,
			     &flen);
		if (n <= 0)
			continue;
		rlen = resp_make_reply(q, (size_t)n, mode, out, sizeof(out),
				       &again);
		if (!rlen)
			continue;
		sendto(fd, out, rlen, 0, (struct sockaddr *)&from, flen);
		if (again) {
			rlen = resp_make_reply(q, (size_t)n, RESP_ANSWER, out,
					       sizeof(out), &again);
			sendto(fd, out, rlen, 0, (struct sockaddr *)&from,
			       flen);
		}
	}
}

/* Bind a UDP socket to addr:port (0: any); *ret_port gets the port. */
static int resp_bind(const char *addr, int port, int *ret_port)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int fd;

	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)port);
		len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)port);
		len = sizeof(*s6);
	} else {
		return -EINVAL;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	*ret_port =
		ntohs(ss.ss_family == AF_INET ? s4->sin_port : s6->sin6_port);
	return fd;
}

#ifndef DNS_RESPONDER_NO_MAIN
int main(int argc, char **argv)
{
	int mode, fd, port = 0;
	char *end;
	long p;

	if (argc != 4) {
		fprintf(stderr, "usage: dns-responder ADDR PORT MODE\n");
		return 2;
	}
	p = strtol(argv[2], &end, 10);
	mode = resp_parse_mode(argv[3]);
	if (*end || p < 0 || p > 65535 || mode < 0) {
		fprintf(stderr, "dns-responder: bad port or mode\n");
		return 2;
	}
	fd = resp_bind(argv[1], (int)p, &port);
	if (fd < 0) {
		fprintf(stderr, "dns-responder: cannot bind %s:%ld: %s\n",
			argv[1], p, strerror(-fd));
		return 1;
	}
	printf("ready %d\n", port);
	fflush(stdout);
	resp_serve(fd, (enum resp_mode)mode, NULL);
	return 0;
}
#endif
