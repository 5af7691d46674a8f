// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * logsrc-dump: the log ring after logsrc_discover() and logsrc_load(), for
 * the end-to-end tests (tests/e2e/logs.sh). With --follow it then calls
 * logsrc_follow() whenever a source's fd is readable or every 100 ms,
 * until its stdin reaches end of file, and prints the ring after that.
 *
 *   logsrc-dump [--sysroot DIR] [--dockerd-pid N] [--containerd-pid N]
 *               [--since SECONDS] [--lines N] [--source SPEC]... [--follow]
 *
 * Output, tab-separated, one record a line (tabs and newlines inside
 * fields become spaces):
 *   source NAME KIND WHERE WHY ERR LINES_READ LOST ERROR
 *   followed N                  (each follow that added lines)
 *   line SOURCE TIME_US LEVEL TEXT
 * Exit status: 0, or 2 for bad arguments or a bad --source (on stderr).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log/logring.h"
#include "log/logsrc.h"
#include "host/path.h"
#include "core/util.h"

static void put_field(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		putchar(s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ? ' '
								     : s[i]);
}

static void put_str(const char *s)
{
	put_field(s, strlen(s));
}

static const char *kind_name(enum logsrc_kind k)
{
	return k == LOGSRC_JOURNAL ? "journal"
	       : k == LOGSRC_KMSG  ? "kmsg"
				   : "file";
}

static void dump_sources(const struct logsrc_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct logsrc *s = &set->v[i];

		printf("source\t");
		put_str(s->name);
		printf("\t%s\t", kind_name(s->kind));
		put_str(s->where);
		putchar('\t');
		put_str(s->why);
		printf("\t%d\t%llu\t%llu\t", s->err,
		       (unsigned long long)s->lines_read,
		       (unsigned long long)s->lost);
		put_str(s->error);
		putchar('\n');
	}
}

static void dump_ring(const struct logring *ring)
{
	struct logring_iter it;
	struct log_entry e;

	logring_iter_init(&it, ring, INT64_MIN);
	while (logring_iter_next(&it, &e)) {
		struct logring_source_stats st;

		if (logring_source_stats(ring, e.source, &st) < 0)
			strscpy(st.name, "?", sizeof(st.name));
		printf("line\t%s\t%lld\t%s\t", st.name, (long long)e.time_us,
		       log_level_name(e.level));
		put_field(e.line, e.len);
		putchar('\n');
	}
}

/* Follow until stdin reaches end of file. */
static void follow(struct logsrc_set *set, struct logring *ring)
{
	bool eof = false;

	while (!eof) {
		struct pollfd pfd[9] = { { .fd = 0, .events = POLLIN } };
		int fds[8];
		size_t n = logsrc_poll_fds(set, fds, 8);
		long added;

		for (size_t i = 0; i < n; i++)
			pfd[i + 1] = (struct pollfd){ .fd = fds[i],
						      .events = POLLIN };
		if (poll(pfd, n + 1, 100) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents) {
			char buf[256];
			ssize_t r = read(0, buf, sizeof(buf));

			eof = r <= 0;
		}
		added = logsrc_follow(set, ring);
		if (added > 0) {
			printf("followed\t%ld\n", added);
			fflush(stdout);
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysroot", required_argument, NULL, 'r' },
		{ "dockerd-pid", required_argument, NULL, 'd' },
		{ "containerd-pid", required_argument, NULL, 'c' },
		{ "since", required_argument, NULL, 's' },
		{ "lines", required_argument, NULL, 'n' },
		{ "source", required_argument, NULL, 'S' },
		{ "follow", no_argument, NULL, 'f' },
		{ 0 },
	};
	struct logring_config cfg = { .max_bytes = 4u << 20,
				      .max_lines = 20000 };
	struct logsrc_options o = { .max_lines = 2000 };
	struct logsrc_set set = { 0 };
	const char *sysroot = NULL;
	struct logring *ring;
	struct pathctx pc;
	struct timespec ts;
	long since_s = 600, v;
	bool do_follow = false;
	char err[256];
	int c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			sysroot = optarg;
			break;
		case 'd':
		case 'c':
		case 's':
		case 'n':
			if (parse_int(optarg, 0, INT32_MAX, &v) < 0) {
				fprintf(stderr,
					"logsrc-dump: bad number '%s'\n",
					optarg);
				return 2;
			}
			if (c == 'd')
				o.dockerd_pid = (int)v;
			else if (c == 'c')
				o.containerd_pid = (int)v;
			else if (c == 's')
				since_s = v;
			else
				o.max_lines = (size_t)v;
			break;
		case 'S':
			if (strv_push(&o.specs, optarg) < 0)
				return 1;
			break;
		case 'f':
			do_follow = true;
			break;
		default:
			return 2;
		}
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	o.since_us = ((int64_t)ts.tv_sec - since_s) * 1000000;
	r = pathctx_init(&pc, sysroot);
	if (r < 0) {
		fprintf(stderr, "logsrc-dump: %s: %s\n",
			sysroot ? sysroot : "/", strerror(-r));
		return 2;
	}
	ring = logring_new(&cfg);
	if (!ring)
		return 1;
	r = logsrc_discover(&pc, &o, &set, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "logsrc-dump: %s\n", err);
		logring_free(ring);
		pathctx_release(&pc);
		strv_free(o.specs);
		return r == -EINVAL ? 2 : 1;
	}
	r = logsrc_load(&set, ring, &o);
	if (r < 0)
		fprintf(stderr, "logsrc-dump: load: %s\n", strerror(-r));
	if (r == 0 && do_follow)
		follow(&set, ring);
	dump_sources(&set);
	dump_ring(ring);
	logsrc_set_release(&set);
	logring_free(ring);
	pathctx_release(&pc);
	strv_free(o.specs);
	return r < 0 ? 1 : 0;
}
