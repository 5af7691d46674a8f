/*
 * silent-socket - a listening socket that misbehaves on purpose.
 *
 * Usage: silent-socket [--tcp PORT | PATH] [--seconds N]
 *                      [--mode silent|close|garbage|slow-headers]
 *
 * Listens on the UNIX socket PATH, or on 127.0.0.1:PORT with --tcp (never on
 * any other address), prints "ready" once listening and then serves every
 * connection according to the mode:
 *
 *   silent        accept, never read or write, keep the connection open
 *   close         accept and close at once
 *   garbage       write one line of non-HTTP bytes and shut down writing
 *   slow-headers  write "HTTP/1.1 200 OK\r\n", then one header byte a second
 *
 * It exits after N seconds (default 60), or on SIGTERM/SIGINT, and unlinks
 * PATH.  Single-threaded: one poll() loop; at most MAX_CONNS connections are
 * kept, the oldest is dropped to make room for a new one.
 */
#define _GNU_SOURCE /* accept4(), POLLRDHUP */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#define MAX_CONNS 64

enum mode { MODE_SILENT, MODE_CLOSE, MODE_GARBAGE, MODE_SLOW_HEADERS };

struct conn {
	int fd;
	size_t sent; /* header bytes sent so far (slow-headers) */
	long long next; /* monotonic ms of the next byte (slow-headers) */
};

struct options {
	const char *path;
	int port; /* -1 unless --tcp */
	long seconds;
	enum mode mode;
};

static const char status_line[] = "HTTP/1.1 200 OK\r\n";
static const char header_start[] = "X-Slow-Header: ";
static const char garbage_line[] = "\x01\x02garbage, not HTTP \xff\xfe\r\n";

static volatile sig_atomic_t stop_requested;

/* Note that a terminating signal arrived; the poll loop exits. */
static void on_signal(int sig)
{
	stop_requested = sig;
}

/* Return the monotonic clock in milliseconds. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Print the usage line to 'fp'. */
static void usage(FILE *fp)
{
	fputs("usage: silent-socket [--tcp PORT | PATH] [--seconds N] "
	      "[--mode silent|close|garbage|slow-headers]\n",
	      fp);
}

/* Parse a decimal in [min, max]; 0 on success, -EINVAL otherwise. */
static int parse_long(const char *s, long min, long max, long *ret_value)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*ret_value = v;
	return 0;
}

/* Map a mode name to its value; 0 on success, -EINVAL if unknown. */
static int parse_mode(const char *s, enum mode *ret_mode)
{
	static const char *const names[] = { "silent", "close", "garbage",
					     "slow-headers" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*ret_mode = (enum mode)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Parse argv into 'opts'; 0 on success, -EINVAL on a usage error. */
static int parse_args(int argc, char **argv, struct options *opts)
{
	long v;
	int i;

	opts->path = NULL;
	opts->port = -1;
	opts->seconds = 60;
	opts->mode = MODE_SILENT;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--tcp") && val) {
			if (parse_long(val, 1, 65535, &v))
				return -EINVAL;
			opts->port = (int)v;
			i++;
		} else if (!strcmp(a, "--seconds") && val) {
			if (parse_long(val, 1, INT_MAX / 1000, &v))
				return -EINVAL;
			opts->seconds = v;
			i++;
		} else if (!strcmp(a, "--mode") && val) {
			if (parse_mode(val, &opts->mode))
				return -EINVAL;
			i++;
		} else if (a[0] != '-' && !opts->path) {
			opts->path = a;
		} else {
			return -EINVAL;
		}
	}
	if ((opts->path != NULL) == (opts->port >= 0))
		return -EINVAL;
	return 0;
}

/* Listen on the UNIX socket 'path'; returns the fd or -errno. */
static int listen_unix(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = -1;
	int r;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, strlen(path) + 1);

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* Never unlink an existing path: it may belong to someone else. */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(fd, 128) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

/* Listen on 127.0.0.1:'port'; returns the fd or -errno. */
static int listen_tcp(int port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons((unsigned short)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int one = 1;
	int fd = -1;
	int r;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(fd, 128) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

/* Close connection 'i' and compact the table. */
static void conn_drop(struct conn *conns, size_t *n, size_t i)
{
	close(conns[i].fd);
	memmove(&conns[i], &conns[i + 1], (*n - i - 1) * sizeof(conns[0]));
	(*n)--;
}

/* Write one header byte to 'c'; false when the peer has gone. */
static bool slow_send(struct conn *c, long long now)
{
	char b;

	if (c->sent < sizeof(header_start) - 1)
		b = header_start[c->sent];
	else
		b = 'a';
	if (send(c->fd, &b, 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
	    errno != EAGAIN && errno != EWOULDBLOCK)
		return false;
	c->sent++;
	c->next = now + 1000;
	return true;
}

/* Accept one pending connection and serve it by 'mode'. */
static void accept_one(int lfd, enum mode mode, struct conn *conns, size_t *n)
{
	int fd;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	switch (mode) {
	case MODE_CLOSE:
		close(fd);
		return;
	case MODE_GARBAGE:
		/*
		 * Shut down writing rather than close: closing with the
		 * request unread makes TCP send a reset, and the peer may
		 * then see ECONNRESET instead of the garbage.
		 */
		send(fd, garbage_line, sizeof(garbage_line) - 1, MSG_NOSIGNAL);
		shutdown(fd, SHUT_WR);
		break;
	case MODE_SLOW_HEADERS:
		send(fd, status_line, sizeof(status_line) - 1, MSG_NOSIGNAL);
		break;
	case MODE_SILENT:
		break;
	}
	if (*n == MAX_CONNS)
		conn_drop(conns, n, 0);
	conns[*n].fd = fd;
	conns[*n].sent = 0;
	conns[*n].next = now_ms() + 1000;
	(*n)++;
}

/*
 * Run the poll loop until 'deadline' or a signal.  Connections are polled
 * only for hang-up (POLLRDHUP, never POLLIN), so nothing they send is read.
 */
static void serve(int lfd, enum mode mode, long long deadline)
{
	struct conn conns[MAX_CONNS];
	struct pollfd pfd[MAX_CONNS + 1];
	size_t n = 0;
	size_t i;

	while (!stop_requested) {
		long long now = now_ms();
		long long wake = deadline;
		int r;

		if (now >= deadline)
			break;
		pfd[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (i = 0; i < n; i++) {
			pfd[i + 1] = (struct pollfd){ .fd = conns[i].fd,
						      .events = POLLRDHUP };
			if (mode == MODE_SLOW_HEADERS && conns[i].next < wake)
				wake = conns[i].next;
		}
		r = poll(pfd, n + 1, wake > now ? (int)(wake - now) : 0);
		if (r < 0 && errno != EINTR)
			break;
		now = now_ms();
		/* Walk backwards so dropping entry i keeps pfd[] aligned. */
		for (i = n; i-- > 0;) {
			bool gone = r > 0 &&
				    (pfd[i + 1].revents & (POLLRDHUP | POLLHUP |
							   POLLERR | POLLNVAL));

			if (!gone && mode == MODE_SLOW_HEADERS &&
			    conns[i].next <= now)
				gone = !slow_send(&conns[i], now);
			if (gone)
				conn_drop(conns, &n, i);
		}
		if (r > 0 && (pfd[0].revents & POLLIN))
			accept_one(lfd, mode, conns, &n);
	}
	while (n > 0)
		conn_drop(conns, &n, n - 1);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct options opts;
	int lfd = -1;
	int ret = 1;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (parse_args(argc, argv, &opts)) {
		usage(stderr);
		return 2;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	lfd = opts.path ? listen_unix(opts.path) : listen_tcp(opts.port);
	if (lfd < 0) {
		if (opts.path)
			fprintf(stderr,
				"silent-socket: cannot listen on '%s': %s\n",
				opts.path, strerror(-lfd));
		else
			fprintf(stderr,
				"silent-socket: cannot listen on '127.0.0.1:%d': %s\n",
				opts.port, strerror(-lfd));
		goto out;
	}
	fputs("ready\n", stdout);
	fflush(stdout);

	serve(lfd, opts.mode, now_ms() + opts.seconds * 1000);
	ret = 0;
out:
	if (lfd >= 0) {
		close(lfd);
		if (opts.path)
			unlink(opts.path);
	}
	return ret;
}
