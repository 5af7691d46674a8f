// SPDX-License-Identifier: GPL-2.0-or-later
/* The active DNS probe (see dnsprobe.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net/dnsprobe.h"
#include "core/util.h"

#define MAX_PROBES 64
#define MAX_REPLY 4096

/* What the parent prepares for each probe, so that a child only needs
 * system calls (it may be forked from a threaded process). */
struct slot {
	struct sockaddr_storage sa;
	socklen_t salen;
	unsigned char q[DNSPROBE_MAX_QUERY];
	size_t qlen;
	int fd;
	double t0;
	bool pending;
};

/* A namespace child: the probes it runs and what it sent back. */
struct kid {
	pid_t pid;
	int fd; /* read end, -1 once closed */
	int netns_fd;
	size_t idx[MAX_PROBES];
	size_t n;
	size_t got; /* result records received */
	bool exited;
};

/* What a child writes per probe. */
struct record {
	unsigned idx;
	int result;
	int rcode;
	unsigned ancount;
	int err;
	long ms;
	unsigned ignored;
};

void dnsprobe_init(struct dnsprobe *p, const char *server, unsigned port,
		   const char *qname, unsigned qtype, int netns_fd)
{
	memset(p, 0, sizeof(*p));
	strscpy(p->server, server ? server : "", sizeof(p->server));
	p->port = port;
	strscpy(p->qname, qname ? qname : "", sizeof(p->qname));
	p->qtype = qtype;
	p->netns_fd = netns_fd;
}

const char *dnsprobe_result_name(enum dnsprobe_result res)
{
	switch (res) {
	case DNSPROBE_NOT_RUN:
		return "not-run";
	case DNSPROBE_ANSWERED:
		return "answered";
	case DNSPROBE_ERROR_RCODE:
		return "error-rcode";
	case DNSPROBE_REFUSED:
		return "refused";
	case DNSPROBE_TIMEOUT:
		return "timeout";
	case DNSPROBE_SEND_ERROR:
		return "send-error";
	case DNSPROBE_NETNS_ERROR:
		return "netns-error";
	}
	return "unknown";
}

const char *dnsprobe_rcode_name(int rcode, char *buf, size_t size)
{
	static const char *const names[] = { "NOERROR",	 "FORMERR", "SERVFAIL",
					     "NXDOMAIN", "NOTIMP",  "REFUSED",
					     "YXDOMAIN", "YXRRSET", "NXRRSET",
					     "NOTAUTH",	 "NOTZONE" };

	if (rcode >= 0 && (size_t)rcode < ARRAY_SIZE(names))
		return names[rcode];
	snprintf(buf, size, "RCODE%d", rcode);
	return buf;
}

void dnsprobe_describe(const struct dnsprobe *p, char *buf, size_t size)
{
	char rc[16];

	switch (p->result) {
	case DNSPROBE_ANSWERED:
	case DNSPROBE_ERROR_RCODE:
		snprintf(buf, size, "%s %s (%u answer%s) in %ld ms",
			 p->result == DNSPROBE_ANSWERED ? "answered"
							: "answered with error",
			 dnsprobe_rcode_name(p->rcode, rc, sizeof(rc)),
			 p->ancount, p->ancount == 1 ? "" : "s", p->ms);
		break;
	case DNSPROBE_REFUSED:
		snprintf(
			buf, size,
			"refused (ICMP port unreachable: nothing listens) in %ld ms",
			p->ms);
		break;
	case DNSPROBE_TIMEOUT:
		snprintf(buf, size, "no answer within %ld ms%s", p->ms,
			 p->ignored ? " (invalid replies ignored)" : "");
		break;
	case DNSPROBE_SEND_ERROR:
		snprintf(buf, size, "cannot send: %s", strerror(-p->err));
		break;
	case DNSPROBE_NETNS_ERROR:
		snprintf(buf, size, "cannot enter the network namespace: %s",
			 strerror(-p->err));
		break;
	case DNSPROBE_NOT_RUN:
		snprintf(buf, size, "not run");
		break;
	}
}

/* ---- packets ---- */

int dnsprobe_build_query(unsigned char *buf, size_t size, unsigned id,
			 const char *qname, unsigned qtype)
{
	size_t len = 12, total = 0;
	const char *p = qname ? qname : "";

	if (size < 12 + 1 + 4)
		return -EINVAL;
	memset(buf, 0, 12);
	buf[0] = (unsigned char)(id >> 8);
	buf[1] = (unsigned char)id;
	buf[2] = 0x01; /* RD */
	buf[5] = 1; /* QDCOUNT */
	if (strcmp(p, ".") == 0)
		p = "";
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		if (l == 0 || l > 63)
			return -EINVAL;
		total += l + 1;
		if (total > 254 || len + 1 + l + 1 + 4 > size)
			return -EINVAL;
		buf[len++] = (unsigned char)l;
		memcpy(buf + len, p, l);
		len += l;
		p += l;
		if (*p == '.') {
			p++; /* a trailing dot ends the name */
		}
	}
	buf[len++] = 0;
	buf[len++] = (unsigned char)(qtype >> 8);
	buf[len++] = (unsigned char)qtype;
	buf[len++] = 0;
	buf[len++] = 1; /* IN */
	return (int)len;
}

int dnsprobe_check_reply(const unsigned char *q, size_t qlen,
			 const unsigned char *reply, size_t len, int *rcode,
			 unsigned *ancount)
{
	unsigned qd;

	if (len < 12 || qlen < 12)
		return -EBADMSG;
	if (reply[0] != q[0] || reply[1] != q[1])
		return -EBADMSG; /* not our id */
	if (!(reply[2] & 0x80) || (reply[2] & 0x78) != 0)
		return -EBADMSG; /* not a response, or not to a QUERY */
	qd = (unsigned)reply[4] << 8 | reply[5];
	if (qd > 1)
		return -EBADMSG;
	/* a question, when there is one, must be ours byte for byte
	 * (names compare without case: 0x20 randomisation) */
	if (qd == 1) {
		if (len < qlen)
			return -EBADMSG;
		for (size_t i = 12; i < qlen; i++) {
			unsigned char a = q[i], b = reply[i];

			if (a >= 'A' && a <= 'Z')
				a |= 0x20;
			if (b >= 'A' && b <= 'Z')
				b |= 0x20;
			if (a != b)
				return -EBADMSG;
		}
	}
	*rcode = reply[3] & 0x0f;
	*ancount = (unsigned)reply[6] << 8 | reply[7];
	return 0;
}

/* ---- the loop ---- */

static long ms_since(double t0, double now)
{
	double d = (now - t0) * 1000.0;

	return d < 0 ? 0 : (long)(d + 0.5);
}

static void verdict(struct dnsprobe *p, struct slot *s,
		    enum dnsprobe_result res, int err, double now)
{
	p->result = res;
	p->err = err;
	p->ms = ms_since(s->t0, now);
	s->pending = false;
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
}

/* The port a probe goes to. */
static unsigned probe_port(const struct dnsprobe *p)
{
	const char *env;
	long v;

	if (p->port)
		return p->port;
	env = getenv(DNSPROBE_PORT_ENV);
	if (env && parse_int(env, 1, 65535, &v) == 0)
		return (unsigned)v;
	return 53;
}

static unsigned random_id(size_t i)
{
	unsigned short v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == (ssize_t)sizeof(v))
		return v;
	return (unsigned)(((unsigned long)time(NULL) ^ (unsigned long)getpid() ^
			   (i * 40503u)) &
			  0xffff);
}

/* Parent side: address and packet of every probe (no sending yet). */
static int prepare(struct dnsprobe *p, struct slot *s, size_t i)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				  .ai_socktype = SOCK_DGRAM };
	struct addrinfo *ai = NULL;
	char port[8];
	unsigned qtype = p->qtype;
	int r;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->pending = true;
	if (!qtype)
		qtype = !p->qname[0] || strcmp(p->qname, ".") == 0 ? DNS_TYPE_NS
								   : DNS_TYPE_A;
	r = dnsprobe_build_query(s->q, sizeof(s->q), random_id(i), p->qname,
				 qtype);
	if (r < 0)
		return r;
	s->qlen = (size_t)r;
	snprintf(port, sizeof(port), "%u", probe_port(p));
	if (getaddrinfo(p->server, port, &hints, &ai) != 0 || !ai)
		return -EINVAL;
	memcpy(&s->sa, ai->ai_addr, ai->ai_addrlen);
	s->salen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/* Send one prepared probe; the verdict is set at once on failure. */
static void send_one(struct dnsprobe *p, struct slot *s)
{
	int fd;

	s->t0 = now_monotonic();
	fd = socket(s->sa.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		verdict(p, s, DNSPROBE_SEND_ERROR, -errno, now_monotonic());
		return;
	}
	s->fd = fd;
	/* connected: an ICMP port unreachable comes back as ECONNREFUSED */
	if (connect(fd, (struct sockaddr *)&s->sa, s->salen) < 0 ||
	    send(fd, s->q, s->qlen, MSG_NOSIGNAL) < 0) {
		int e = errno;

		verdict(p, s,
			e == ECONNREFUSED ? DNSPROBE_REFUSED
					  : DNSPROBE_SEND_ERROR,
			-e, now_monotonic());
	}
}

/* Read what a socket has; set the verdict on a valid reply or an error. */
static void on_socket(struct dnsprobe *p, struct slot *s)
{
	unsigned char buf[MAX_REPLY];

	while (s->pending) {
		ssize_t n = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT);
		int rcode;
		unsigned an;

		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			if (e == EAGAIN || e == EWOULDBLOCK)
				return;
			verdict(p, s,
				e == ECONNREFUSED ? DNSPROBE_REFUSED
						  : DNSPROBE_SEND_ERROR,
				-e, now_monotonic());
			return;
		}
		if (dnsprobe_check_reply(s->q, s->qlen, buf, (size_t)n, &rcode,
					 &an) < 0) {
			p->ignored++;
			continue;
		}
		p->rcode = rcode;
		p->ancount = an;
		verdict(p, s,
			rcode == DNS_RCODE_NOERROR ||
					rcode == DNS_RCODE_NXDOMAIN
				? DNSPROBE_ANSWERED
				: DNSPROBE_ERROR_RCODE,
			0, now_monotonic());
	}
}

/* Read result records from a child; mark it exited at EOF. */
static void on_kid(struct dnsprobe *p, struct slot *s, struct kid *k)
{
	struct record rec;

	for (;;) {
		ssize_t n = read(k->fd, &rec, sizeof(rec));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return; /* more later, or EOF */
		if (n == (ssize_t)sizeof(rec) && k->got < k->n &&
		    rec.idx < MAX_PROBES) {
			/* only the probes given to this child */
			for (size_t i = 0; i < k->n; i++) {
				struct dnsprobe *t = &p[k->idx[i]];

				if (k->idx[i] != rec.idx)
					continue;
				t->result =
					rec.result > DNSPROBE_NOT_RUN &&
							rec.result <=
								DNSPROBE_NETNS_ERROR
						? (enum dnsprobe_result)
							  rec.result
						: DNSPROBE_NETNS_ERROR;
				t->rcode = rec.rcode;
				t->ancount = rec.ancount;
				t->err = rec.err;
				t->ms = rec.ms;
				t->ignored = rec.ignored;
				s[k->idx[i]].pending = false;
			}
			k->got++;
			continue;
		}
		/* EOF, an error or a short record: the child is done */
		close(k->fd);
		k->fd = -1;
		return;
	}
}

/*
 * Wait for the sockets of s[] and the children until every probe has a
 * verdict or the deadline passes. Only system calls: children run it.
 */
static void wait_all(struct dnsprobe *p, struct slot *s, size_t n,
		     struct kid *kids, size_t nk, double deadline)
{
	for (;;) {
		struct pollfd pfd[MAX_PROBES * 2];
		size_t who[MAX_PROBES * 2], np = 0;
		double now = now_monotonic();
		int left, pr;

		for (size_t i = 0; i < n; i++)
			if (s[i].pending && s[i].fd >= 0) {
				pfd[np] = (struct pollfd){ .fd = s[i].fd,
							   .events = POLLIN };
				who[np++] = i;
			}
		for (size_t k = 0; k < nk; k++)
			if (kids[k].fd >= 0) {
				pfd[np] = (struct pollfd){ .fd = kids[k].fd,
							   .events = POLLIN };
				who[np++] = MAX_PROBES + k;
			}
		if (np == 0 || now >= deadline)
			return;
		left = (int)((deadline - now) * 1000.0) + 1;
		pr = poll(pfd, np, left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return;
		for (size_t j = 0; j < np; j++) {
			if (!pfd[j].revents)
				continue;
			if (who[j] >= MAX_PROBES)
				on_kid(p, s, &kids[who[j] - MAX_PROBES]);
			else
				on_socket(&p[who[j]], &s[who[j]]);
		}
	}
}

/* The child: enter the namespace, probe, write the records, exit. */
static void kid_main(struct dnsprobe *p, struct slot *s, const struct kid *k,
		     int wfd, double deadline)
{
	struct slot mine[MAX_PROBES];
	struct dnsprobe res[MAX_PROBES];
	int err = 0;

	if (setns(k->netns_fd, CLONE_NEWNET) < 0)
		err = -errno;
	for (size_t i = 0; i < k->n; i++) {
		res[i] = p[k->idx[i]];
		mine[i] = s[k->idx[i]];
		mine[i].fd = -1;
		mine[i].t0 = now_monotonic();
		if (err)
			verdict(&res[i], &mine[i], DNSPROBE_NETNS_ERROR, err,
				mine[i].t0);
		else
			send_one(&res[i], &mine[i]);
	}
	if (!err)
		wait_all(res, mine, k->n, NULL, 0, deadline);
	for (size_t i = 0; i < k->n; i++) {
		struct record rec = { .idx = (unsigned)k->idx[i],
				      .result = res[i].result,
				      .rcode = res[i].rcode,
				      .ancount = res[i].ancount,
				      .err = res[i].err,
				      .ms = res[i].ms,
				      .ignored = res[i].ignored };

		if (mine[i].pending) {
			rec.result = DNSPROBE_TIMEOUT;
			rec.ms = ms_since(mine[i].t0, now_monotonic());
		}
		if (write(wfd, &rec, sizeof(rec)) != (ssize_t)sizeof(rec))
			break;
	}
	_exit(0);
}

/* Fork the child of one namespace. */
static int kid_start(struct dnsprobe *p, struct slot *s, struct kid *kids,
		     size_t k, double deadline)
{
	double now = now_monotonic();
	/* the child stops a little early so that its results arrive */
	double margin = (deadline - now) / 10.0;
	int pfd[2];
	pid_t pid;

	if (margin > 0.1)
		margin = 0.1;
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int e = -errno;

		close(pfd[0]);
		close(pfd[1]);
		return e;
	}
	if (pid == 0) {
		close(pfd[0]);
		for (size_t j = 0; j < k; j++)
			if (kids[j].fd >= 0)
				close(kids[j].fd);
		kid_main(p, s, &kids[k], pfd[1], deadline - margin);
	}
	close(pfd[1]);
	/* the parent never blocks on a child that is slow to exit */
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	kids[k].pid = pid;
	kids[k].fd = pfd[0];
	return 0;
}

/* Stop and reap a child. */
static void kid_reap(struct kid *k)
{
	int status;

	if (k->fd >= 0) {
		close(k->fd);
		k->fd = -1;
	}
	if (k->pid <= 0)
		return;
	kill(k->pid, SIGKILL);
	while (waitpid(k->pid, &status, 0) < 0 && errno == EINTR)
		;
	k->pid = 0;
}

int dnsprobe_run(struct dnsprobe *p, size_t n, long timeout_ms)
{
	struct slot s[MAX_PROBES];
	struct kid kids[MAX_PROBES];
	size_t nk = 0;
	double start = now_monotonic(), deadline, end;

	if (timeout_ms <= 0)
		return -EINVAL;
	if (n > MAX_PROBES)
		return -E2BIG;
	deadline = start + timeout_ms / 1000.0;
	for (size_t i = 0; i < n; i++) {
		int r;

		p[i].result = DNSPROBE_NOT_RUN;
		p[i].rcode = p[i].err = 0;
		p[i].ancount = p[i].ignored = 0;
		p[i].ms = 0;
		r = prepare(&p[i], &s[i], i);
		if (r < 0) {
			s[i].t0 = start;
			verdict(&p[i], &s[i], DNSPROBE_SEND_ERROR, r, start);
			continue;
		}
		if (p[i].netns_fd < 0)
			continue;
		/* group the namespace probes by descriptor, one child each */
		size_t k = 0;

		while (k < nk && kids[k].netns_fd != p[i].netns_fd)
			k++;
		if (k == nk) {
			memset(&kids[k], 0, sizeof(kids[k]));
			kids[k].fd = -1;
			kids[k].netns_fd = p[i].netns_fd;
			nk++;
		}
		kids[k].idx[kids[k].n++] = i;
	}
	/* children first: they must not inherit the sockets */
	for (size_t k = 0; k < nk; k++) {
		int r = kid_start(p, s, kids, k, deadline);

		for (size_t j = 0; j < kids[k].n; j++)
			s[kids[k].idx[j]].t0 = now_monotonic();
		if (r < 0)
			for (size_t j = 0; j < kids[k].n; j++)
				verdict(&p[kids[k].idx[j]], &s[kids[k].idx[j]],
					DNSPROBE_NETNS_ERROR, r,
					now_monotonic());
	}
	for (size_t i = 0; i < n; i++)
		if (s[i].pending && p[i].netns_fd < 0)
			send_one(&p[i], &s[i]);
	wait_all(p, s, n, kids, nk, deadline);
	end = now_monotonic();
	for (size_t k = 0; k < nk; k++) {
		/* a child that ended without reporting (not one we stop) */
		for (size_t j = 0; kids[k].fd < 0 && j < kids[k].n; j++)
			if (s[kids[k].idx[j]].pending)
				verdict(&p[kids[k].idx[j]], &s[kids[k].idx[j]],
					DNSPROBE_NETNS_ERROR, -ECHILD, end);
		kid_reap(&kids[k]);
	}
	for (size_t i = 0; i < n; i++)
		if (s[i].pending)
			verdict(&p[i], &s[i], DNSPROBE_TIMEOUT, 0, end);
	return 0;
}
