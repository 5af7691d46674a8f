// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-ring: the ingest rate of the log ring (lines per second on one
 * core) and its peak memory, against the ring's configured size.
 *
 * Lines come from a pool made up front (POOL_LINES realistic dockerd,
 * containerd and kernel lines: logrus text, API calls, plugin loading,
 * bridge and OOM kernel messages; 0.5% long, some past LOGRING_LINE_MAX;
 * 1% carrying a secret to redact), cycled through N times with rising
 * timestamps. Three sources: dockerd (weight 4) floods with 90% of the
 * lines, containerd (2) has 7%, the kernel (2) 3%.
 *
 *   bench-ring [-n LINES] [-b RING_BYTES] [-l RING_LINES] [--clean]
 *   bench-ring --redact-only [-n LINES]
 *
 * --clean puts secret-free lines of the same shape in the secret slots,
 * to show what redaction costs; --redact-only times logring_redact() alone
 * on ordinary and on secret-bearing lines, next to a plain copy.
 *
 * Peak RSS is getrusage()'s ru_maxrss: "base" is taken after the pool is
 * made and before the ring exists, so "peak - base" is the ring.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "log/logring.h"
#include "log/redact.h"

#define POOL_LINES 8192

struct pool_line {
	int src; /* 0 dockerd, 1 containerd, 2 kernel */
	enum log_level level;
	bool secret;
	size_t len;
	char *text;
};

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static void hex(char *buf, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++)
		buf[i] = digits[rnd() % 16];
	buf[n] = '\0';
}

static void b64(char *buf, size_t n)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmno"
				     "pqrstuvwxyz0123456789-_";

	for (size_t i = 0; i < n; i++)
		buf[i] = digits[rnd() % 64];
	buf[n] = '\0';
}

static const char *const api_paths[] = {
	"/v1.43/containers/json?all=1",
	"/v1.43/containers/{id}/json",
	"/v1.43/info",
	"/v1.43/version",
	"/v1.43/networks",
	"/v1.43/containers/{id}/logs?stderr=1&stdout=1&tail=100",
	"/v1.43/events?filters=%7B%22type%22%3A%7B%22container%22%3Atrue%7D%7D",
	"/_ping",
};

static const char *const plugins[] = {
	"io.containerd.snapshotter.v1.overlayfs",
	"io.containerd.content.v1.content",
	"io.containerd.runtime.v2.task",
	"io.containerd.grpc.v1.cri",
	"io.containerd.metadata.v1.bolt",
};

/* One ordinary line of a source into buf; returns its length. */
static size_t ordinary(int src, char *buf, size_t size, enum log_level *lvl)
{
	char id[65], ts[40];
	unsigned k = (unsigned)(rnd() % 100);
	int n;

	snprintf(ts, sizeof(ts), "2024-05-01T12:%02u:%02u.%09uZ",
		 (unsigned)(rnd() % 60), (unsigned)(rnd() % 60),
		 (unsigned)(rnd() % 1000000000));
	hex(id, 64);
	if (src == 2) {
		double up = (double)(rnd() % 10000000) / 1000.0;

		*lvl = LOG_LEVEL_INFO;
		if (k < 40)
			n = snprintf(buf, size,
				     "[%12.6f] docker0: port %u(veth%.7s) "
				     "entered forwarding state",
				     up, (unsigned)(k % 8 + 1), id);
		else if (k < 70)
			n = snprintf(buf, size,
				     "[%12.6f] IPv6: ADDRCONF(NETDEV_CHANGE): "
				     "veth%.7s: link becomes ready",
				     up, id);
		else if (k < 90)
			n = snprintf(buf, size,
				     "[%12.6f] overlayfs: upper fs does not "
				     "support RENAME_WHITEOUT.",
				     up);
		else {
			*lvl = LOG_LEVEL_ERROR;
			n = snprintf(buf, size,
				     "[%12.6f] Memory cgroup out of memory: "
				     "Killed process %u (java) "
				     "total-vm:%ukB, anon-rss:%ukB, "
				     "file-rss:0kB, shmem-rss:0kB, UID:0 "
				     "pgtables:%ukB oom_score_adj:0",
				     up, (unsigned)(rnd() % 65536),
				     (unsigned)(rnd() % 9000000),
				     (unsigned)(rnd() % 4000000),
				     (unsigned)(rnd() % 9000));
		}
		return (size_t)n;
	}
	if (src == 1) {
		*lvl = k < 80 ? LOG_LEVEL_INFO : LOG_LEVEL_DEBUG;
		if (k < 50)
			n = snprintf(buf, size,
				     "time=\"%s\" level=info msg=\"loading "
				     "plugin \\\"%s\\\"...\" type=%.*s",
				     ts, plugins[k % 5],
				     (int)strcspn(plugins[k % 5] + 3, "."),
				     plugins[k % 5]);
		else if (k < 80)
			n = snprintf(buf, size,
				     "time=\"%s\" level=info msg=\"shim "
				     "disconnected\" id=%s namespace=moby",
				     ts, id);
		else
			n = snprintf(buf, size,
				     "time=\"%s\" level=debug msg=\"event "
				     "forwarded\" ns=moby "
				     "topic=/tasks/exit type=containerd.events."
				     "TaskExit",
				     ts);
		return (size_t)n;
	}
	/* dockerd */
	if (k < 45) {
		const char *p = api_paths[rnd() % 8];

		*lvl = LOG_LEVEL_DEBUG;
		n = snprintf(buf, size,
			     "time=\"%s\" level=debug msg=\"Calling HEAD %s\" "
			     "spanID=%.16s traceID=%.32s",
			     ts, p, id, id + 16);
	} else if (k < 70) {
		*lvl = LOG_LEVEL_INFO;
		n = snprintf(buf, size,
			     "time=\"%s\" level=info msg=\"ignoring event\" "
			     "container=%s module=libcontainerd "
			     "namespace=moby topic=/tasks/delete "
			     "type=\"*events.TaskDelete\"",
			     ts, id);
	} else if (k < 85) {
		*lvl = LOG_LEVEL_WARNING;
		n = snprintf(buf, size,
			     "time=\"%s\" level=warning msg=\"Health check "
			     "for container %s error: context deadline "
			     "exceeded\"",
			     ts, id);
	} else if (k < 95) {
		*lvl = LOG_LEVEL_INFO;
		n = snprintf(buf, size,
			     "time=\"%s\" level=info msg=\"Container failed "
			     "to exit within 10s of signal 15 - using the "
			     "force\" container=%s",
			     ts, id);
	} else {
		*lvl = LOG_LEVEL_ERROR;
		n = snprintf(buf, size,
			     "time=\"%s\" level=error msg=\"Handler for GET "
			     "/v1.43/containers/%.12s/json returned error: "
			     "No such container: %.12s\"",
			     ts, id, id);
	}
	return (size_t)n;
}

/* A dockerd line carrying a secret (or, clean, one of the same shape). */
static size_t with_secret(bool clean, char *buf, size_t size)
{
	char tok[400], ts[40];
	unsigned k = (unsigned)(rnd() % 6);
	int n;

	snprintf(ts, sizeof(ts), "2024-05-01T12:%02u:%02u.%09uZ",
		 (unsigned)(rnd() % 60), (unsigned)(rnd() % 60),
		 (unsigned)(rnd() % 1000000000));
	b64(tok, 40 + rnd() % 300);
	switch (k) {
	case 0:
		n = snprintf(buf, size,
			     "time=\"%s\" level=debug msg=\"Trying to pull "
			     "busybox from https://%s%.12s@mirror.example.com/"
			     "v2\"",
			     ts, clean ? "bob-" : "bob:", tok);
		break;
	case 1:
		n = snprintf(buf, size,
			     "time=\"%s\" level=debug msg=\"GET "
			     "/v2/library/busybox/manifests/latest\" "
			     "headers=\"map[Accept:[application/json] "
			     "%s %s] User-Agent:[docker/24.0.7]]\"",
			     ts,
			     clean ? "If-None-Match:[W/"
				   : "Authorization:[Bearer",
			     tok);
		break;
	case 2:
		n = snprintf(
			buf, size,
			"time=\"%s\" level=debug msg=\"form data: "
			"{\\\"serveraddress\\\":\\\"registry.example.com\\\","
			"\\\"username\\\":\\\"bob\\\",\\\"%s\\\":\\\"%.16s\\\"}\"",
			ts, clean ? "email" : "password", tok);
		break;
	case 3:
		n = snprintf(
			buf, size,
			"time=\"%s\" level=debug msg=\"Calling POST "
			"/v1.43/images/create?fromImage=busybox&tag=latest\" "
			"%s: %s",
			ts, clean ? "X-Request-Id" : "X-Registry-Auth", tok);
		break;
	case 4:
		n = snprintf(
			buf, size,
			"time=\"%s\" level=debug msg=\"fetch "
			"https://auth.example.com/token?scope=pull&%s=%s\"",
			ts, clean ? "service" : "access_token", tok);
		break;
	default:
		n = snprintf(buf, size,
			     "time=\"%s\" level=info msg=\"login\" user=bob "
			     "%s=%.20s",
			     ts, clean ? "session" : "secret", tok);
		break;
	}
	return (size_t)n;
}

/* A long dockerd line: an inspect dump; every third one past the limit. */
static size_t long_line(char *buf, size_t size)
{
	size_t want = 1000 + rnd() % 5000, n;

	n = (size_t)snprintf(buf, size,
			     "time=\"2024-05-01T12:00:00.000000000Z\" "
			     "level=debug msg=\"container config: ");
	while (n + 40 < want && n + 40 < size) {
		char id[33];

		hex(id, 32);
		n += (size_t)snprintf(buf + n, size - n, "\\\"Env%s\\\",", id);
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return n;
}

static int make_pool(struct pool_line *pool, bool clean)
{
	static char buf[8192];

	for (size_t i = 0; i < POOL_LINES; i++) {
		struct pool_line *p = &pool[i];
		unsigned k = (unsigned)(rnd() % 1000);

		p->src = k < 900 ? 0 : k < 970 ? 1 : 2;
		p->level = LOG_LEVEL_DEBUG;
		if (i % 100 == 37) {
			/* exactly 1% of the lines carry a secret */
			p->src = 0;
			p->secret = !clean;
			p->len = with_secret(clean, buf, sizeof(buf));
		} else if (p->src == 0 && k % 200 == 3) {
			p->len = long_line(buf, sizeof(buf));
		} else {
			p->len = ordinary(p->src, buf, sizeof(buf), &p->level);
		}
		p->text = malloc(p->len + 1);
		if (!p->text)
			return -ENOMEM;
		memcpy(p->text, buf, p->len + 1);
	}
	return 0;
}

static void free_pool(struct pool_line *pool)
{
	for (size_t i = 0; i < POOL_LINES; i++)
		free(pool[i].text);
	free(pool);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static long max_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Time logring_redact() alone: ordinary lines, secret lines, a copy. */
static int redact_only(const struct pool_line *pool, unsigned long n)
{
	static char out[8192];
	static const char *const names[] = {
		"plain copy (memcpy)",
		"redact, lines without secrets",
		"redact, lines with a secret",
	};
	const struct pool_line **plain, **secret;
	size_t n_plain = 0, n_secret = 0;
	volatile size_t sink = 0;

	plain = calloc(POOL_LINES, sizeof(*plain));
	secret = calloc(POOL_LINES, sizeof(*secret));
	if (!plain || !secret)
		return 1;
	for (size_t i = 0; i < POOL_LINES; i++) {
		if (pool[i].secret)
			secret[n_secret++] = &pool[i];
		else
			plain[n_plain++] = &pool[i];
	}
	for (int mode = 0; mode < 3; mode++) {
		const struct pool_line **v = mode == 2 ? secret : plain;
		size_t nv = mode == 2 ? n_secret : n_plain;
		uint64_t bytes = 0;
		double t0, dt;

		if (nv == 0) {
			printf("%-32s (no such lines: --clean)\n", names[mode]);
			continue;
		}
		t0 = now();
		for (unsigned long i = 0; i < n; i++) {
			const struct pool_line *p = v[i % nv];

			if (mode == 0)
				memcpy(out, p->text, p->len);
			else
				sink += logring_redact(p->text, p->len, out,
						       NULL);
			bytes += p->len;
		}
		dt = now() - t0;
		printf("%-32s %9lu lines %7.1f ns/line %6.3f ns/byte "
		       "(%.0f bytes/line)\n",
		       names[mode], n, dt * 1e9 / (double)n,
		       dt * 1e9 / (double)bytes, (double)bytes / (double)n);
	}
	(void)sink;
	free(plain);
	free(secret);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bench-ring [-n LINES] [-b RING_BYTES] "
		   "[-l RING_LINES] [--clean] [--redact-only]\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "lines", required_argument, NULL, 'n' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "ring-lines", required_argument, NULL, 'l' },
		{ "clean", no_argument, NULL, 'c' },
		{ "redact-only", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static const char *const src_names[] = { "dockerd", "containerd",
						 "kernel" };
	static const unsigned weights[] = { 4, 2, 2 };
	struct logring_config cfg = { .max_bytes = 8u << 20,
				      .max_lines = 50000 };
	unsigned long n = 10000000;
	bool clean = false, only_redact = false;
	struct pool_line *pool;
	struct logring *ring;
	struct logring_iter it;
	struct log_entry e;
	uint64_t offered = 0, secrets = 0;
	double t0, c0, dt, dc, ti;
	long base_rss, peak_rss;
	size_t iterated = 0;
	int c;

	while ((c = getopt_long(argc, argv, "n:b:l:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 'b':
			cfg.max_bytes = strtoul(optarg, NULL, 0);
			break;
		case 'l':
			cfg.max_lines = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			clean = true;
			break;
		case 'r':
			only_redact = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (n == 0) {
		usage(stderr);
		return 2;
	}
	pool = calloc(POOL_LINES, sizeof(*pool));
	if (!pool || make_pool(pool, clean) < 0) {
		fprintf(stderr, "bench-ring: out of memory\n");
		return 1;
	}
	if (only_redact) {
		c = redact_only(pool, n);
		free_pool(pool);
		return c;
	}

	base_rss = max_rss_kib();
	ring = logring_new(&cfg);
	if (!ring) {
		fprintf(stderr,
			"bench-ring: cannot make a ring of %zu bytes, "
			"%zu lines: %s\n",
			cfg.max_bytes, cfg.max_lines, strerror(errno));
		return 1;
	}
	for (int i = 0; i < 3; i++)
		if (logring_add_source(ring, src_names[i], weights[i]) != i) {
			fprintf(stderr, "bench-ring: cannot add a source\n");
			return 1;
		}

	c0 = cpu_seconds();
	t0 = now();
	for (unsigned long i = 0; i < n; i++) {
		const struct pool_line *p = &pool[i % POOL_LINES];

		logring_add(ring, p->src, 1714564800000000 + (int64_t)i,
			    p->level, p->text, p->len);
		offered += p->len;
		secrets += p->secret;
	}
	dt = now() - t0;
	dc = cpu_seconds() - c0;
	peak_rss = max_rss_kib();

	ti = now();
	logring_iter_init(&it, ring, 0);
	while (logring_iter_next(&it, &e))
		iterated++;
	ti = now() - ti;

	printf("mode:            %s (%.2f%% of lines carry a secret)\n",
	       clean ? "clean" : "mixed", 100.0 * (double)secrets / (double)n);
	printf("ring configured: %zu bytes, %zu lines (%.1f MiB)\n",
	       cfg.max_bytes, cfg.max_lines, (double)cfg.max_bytes / (1 << 20));
	printf("lines:           %lu (%.1f MiB offered, %.0f bytes/line)\n", n,
	       (double)offered / (1 << 20), (double)offered / (double)n);
	printf("ingest:          %.3f s wall, %.3f s cpu\n", dt, dc);
	printf("rate:            %.2f M lines/s, %.1f ns/line, %.0f MiB/s\n",
	       (double)n / dt / 1e6, dt * 1e9 / (double)n,
	       (double)offered / dt / (1 << 20));
	printf("peak rss:        %ld KiB (before the ring: %ld KiB; ring: "
	       "+%ld KiB = %.2fx its configured bytes)\n",
	       peak_rss, base_rss, peak_rss - base_rss,
	       (double)(peak_rss - base_rss) * 1024 / (double)cfg.max_bytes);
	printf("iterate:         %zu entries in %.2f ms\n", iterated, ti * 1e3);
	for (int i = 0; i < 3; i++) {
		struct logring_source_stats st;

		logring_source_stats(ring, i, &st);
		printf("source %-10s budget %zu B / %zu lines; held %zu B / "
		       "%zu lines; added %" PRIu64 " dropped %" PRIu64
		       " (%" PRIu64 " B) truncated %" PRIu64
		       " redacted %" PRIu64 "\n",
		       st.name, st.budget_bytes, st.budget_lines, st.bytes,
		       st.lines, st.added, st.dropped, st.dropped_bytes,
		       st.truncated, st.redacted);
	}
	printf("RESULT mode=%s lines=%lu ring_bytes=%zu ring_lines=%zu "
	       "lines_per_s=%.0f ns_per_line=%.1f base_rss_kib=%ld "
	       "peak_rss_kib=%ld\n",
	       clean ? "clean" : "mixed", n, cfg.max_bytes, cfg.max_lines,
	       (double)n / dt, dt * 1e9 / (double)n, base_rss, peak_rss);

	logring_free(ring);
	free_pool(pool);
	return 0;
}
