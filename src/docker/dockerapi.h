/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Docker Engine API client (libcurl): one bounded GET at a time over a
 * UNIX socket or TCP (optionally TLS). Every request has a hard time limit
 * and a body size limit, so a silent, slow or gigantic daemon cannot hang
 * or exhaust the tool. Not thread-safe across dockerapi_global_init().
 */
#ifndef DD_DOCKERAPI_H
#define DD_DOCKERAPI_H

#include <stdbool.h>
#include <stddef.h>

#include "docker/endpoint.h"

#define DOCKERAPI_MAX_BODY (16 * 1024 * 1024)

struct api_response {
	long status; /* HTTP status, 0 when none was received */
	char *body; /* NUL-terminated, may contain NULs */
	size_t len;
	char *server; /* "Server" header, e.g. "Docker/20.10.24 (linux)" */
	char *api_version; /* "Api-Version" header */
	bool connected; /* the connection was established */
	double seconds; /* total time of the request */
};

/* One request of a batch for dockerapi_get_all(). */
struct api_request {
	const char *path; /* e.g. "/_ping" */
	size_t max_body;
	struct api_response resp;
	int err; /* 0 or -errno, as for dockerapi_get() */
	char error[256];
};

/*
 * Initialise libcurl; done on first use, so call it only to fail early.
 * Not thread-safe: call it before any thread exists. 0 or -EIO.
 */
int dockerapi_global_init(void);

/* Release libcurl's global state if it was initialised. */
void dockerapi_global_cleanup(void);

/*
 * Send every request at once (curl multi) and wait for all of them, each
 * bounded by timeout_ms: the whole batch takes at most about timeout_ms.
 * Results are in reqs[i].resp/err/error. Returns 0 or -ENOMEM.
 */
int dockerapi_get_all(const struct endpoint *ep, const char *sock_path,
		      long timeout_ms, struct api_request *reqs, size_t n);

/*
 * GET path (e.g. "/_ping") from the endpoint. sock_path overrides the
 * endpoint's unix socket path when not NULL (sysroot). Returns 0 when an
 * HTTP response arrived (any status), else -errno with a one-line reason
 * in err: -ETIMEDOUT (no answer in time), -ECONNREFUSED, -ENOENT, -EACCES,
 * -ECONNRESET (closed without answering), -EPROTO (not HTTP, TLS failure),
 * -EFBIG (body over max_body), -EHOSTUNREACH (name or route).
 * ret is filled in both cases (connected, seconds); free it with
 * api_response_release().
 */
int dockerapi_get(const struct endpoint *ep, const char *sock_path,
		  const char *path, long timeout_ms, size_t max_body,
		  struct api_response *ret, char *err, size_t errlen);

/* Free a response's strings; safe on a zeroed one. */
void api_response_release(struct api_response *resp);

#endif
