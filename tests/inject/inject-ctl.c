/*
 * inject-ctl - send one command to netns-inject's control socket.
 *
 * Usage: inject-ctl SOCKET COMMAND [ARG...]
 *
 * Joins COMMAND and ARGs with spaces, sends them as one line, prints the
 * reply on stdout and exits 0, or 1 when the reply starts with "error" or
 * the socket cannot be used (then a message goes to stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#define TIMEOUT_SEC 10

/* Connect to the UNIX socket at 'path'; returns the fd or -1. */
static int connect_to(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = TIMEOUT_SEC };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "inject-ctl: socket path too long '%s'\n",
			path);
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "inject-ctl: cannot connect to '%s': %s\n",
			path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Send argv[0..argc) joined by spaces and a newline; returns 0 or -1. */
static int send_line(int fd, int argc, char **argv)
{
	char line[8192];
	size_t len = 0;

	for (int i = 0; i < argc; i++) {
		int n = snprintf(line + len, sizeof(line) - len, "%s%s",
				 i ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(line) - len - 1) {
			fprintf(stderr, "inject-ctl: command too long\n");
			return -1;
		}
		len += (size_t)n;
	}
	line[len++] = '\n';
	for (size_t off = 0; off < len;) {
		ssize_t n = send(fd, line + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "inject-ctl: cannot send: %s\n",
				strerror(errno));
			return -1;
		}
		off += (size_t)n;
	}
	shutdown(fd, SHUT_WR);
	return 0;
}

int main(int argc, char **argv)
{
	char reply[4096];
	size_t len = 0;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: inject-ctl SOCKET COMMAND [ARG...]\n");
		return 1;
	}
	fd = connect_to(argv[1]);
	if (fd < 0)
		return 1;
	if (send_line(fd, argc - 2, argv + 2) < 0)
		goto fail;
	for (;;) {
		ssize_t n = read(fd, reply + len, sizeof(reply) - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr,
				"inject-ctl: cannot read the reply: %s\n",
				strerror(errno));
			goto fail;
		}
		if (n == 0 || len + (size_t)n >= sizeof(reply) - 1) {
			len += (size_t)n;
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	reply[len] = '\0';
	fputs(reply, stdout);
	return strncmp(reply, "error", 5) == 0 ? 1 : 0;
fail:
	close(fd);
	return 1;
}
