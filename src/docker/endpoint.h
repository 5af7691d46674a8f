/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Daemon addresses as the docker client understands them: DOCKER_HOST,
 * --host. unix:///path, tcp://host[:port] (TLS from DOCKER_TLS_VERIFY and
 * DOCKER_CERT_PATH, as the docker CLI does), and ssh:// (recognised but
 * not supported by this tool).
 */
#ifndef DD_ENDPOINT_H
#define DD_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>

#define DEFAULT_DOCKER_HOST "unix:///var/run/docker.sock"

enum endpoint_kind {
	EP_UNIX,
	EP_TCP,
	EP_SSH,
};

struct endpoint_tls_env {
	const char *tls_verify; /* DOCKER_TLS_VERIFY, NULL when unset */
	const char *cert_path; /* DOCKER_CERT_PATH, NULL when unset */
	const char *home; /* HOME, for ~/.docker */
};

struct endpoint {
	enum endpoint_kind kind;
	char *raw; /* the address as given */
	char *path; /* unix: socket path */
	char *host; /* tcp/ssh: host ("[::1]" keeps brackets) */
	int port; /* tcp: port */
	bool tls; /* tcp: https */
	char *ca, *cert, *key; /* tcp with TLS: file paths */
	char *base_url; /* "http://localhost", "https://h:2376" */
};

/*
 * Parse an address. On failure returns -EINVAL and writes a one-line
 * reason (without the address) into err.
 */
int endpoint_parse(const char *addr, const struct endpoint_tls_env *env,
		   struct endpoint *ret, char *err, size_t errlen);

/* Free the strings of an endpoint; safe on a zeroed one. */
void endpoint_release(struct endpoint *ep);

/* True when the address is local: a unix socket or loopback tcp. */
bool endpoint_is_local(const struct endpoint *ep);

#endif
