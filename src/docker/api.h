/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The API collector: which endpoint a docker client would use and why,
 * the socket file, and the answers to /_ping and /info (sent together, so a
 * hung daemon costs one timeout, not two). It gathers facts once per run;
 * the daemon.api check judges them, and other checks use the parsed /info.
 */
#ifndef DD_API_H
#define DD_API_H

#include <json-c/json.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "docker/endpoint.h"

struct ctx;

enum api_source {
	API_FROM_OPTION, /* --host */
	API_FROM_ENV, /* DOCKER_HOST */
	API_FROM_DEFAULT,
};

struct api_call {
	int err; /* 0, or -errno from dockerapi_get() */
	long status; /* HTTP status */
	double seconds;
	char error[256]; /* one line when err or status >= 400 */
};

struct api_state {
	enum api_source source;
	const char *address; /* as given (points into options) */
	char *display; /* the address with credentials masked */
	int endpoint_err; /* -EINVAL: the address does not parse */
	char endpoint_error[256];
	struct endpoint ep;
	/* unix sockets */
	char *sock_host_path; /* path under the sysroot */
	int sock_err; /* lstat(): 0 or -errno */
	struct stat sock_st;
	int sock_access; /* 1 we may connect, 0 permission denied */
	int activation_pid; /* no dockerd, socket held by this pid (systemd) */
	bool skipped; /* not contacted (socket activation guard) */
	/* requests */
	struct api_call ping, info;
	char *server_header; /* "Docker/20.10.24 (linux)" */
	char *api_version_header; /* "1.41" */
	char *version; /* /info ServerVersion, else from Server */
	json_object *info_json;
	bool reachable; /* /_ping answered 200 */
};

/*
 * First phase, no I/O on the daemon: resolve the address and look at the
 * socket file. 0 (facts in *ret, errors inside) or -ENOMEM.
 */
int api_resolve(struct ctx *ctx, struct api_state **ret);

/* Second phase: /_ping and /info, together, within the timeout. */
void api_contact(struct ctx *ctx, struct api_state *st);

/*
 * GET path from the daemon and parse a JSON value (object or array) into
 * *ret (caller puts it). Only after api_contact() found it reachable.
 * 0 or -errno with a one-line reason in err.
 */
int api_get_json(struct ctx *ctx, const char *path, size_t max,
		 json_object **ret, char *err, size_t errlen);

/* Free the state; accepts NULL. */
void api_state_free(struct api_state *st);

/* Words for where the address came from. */
const char *api_source_name(enum api_source src);

/* A string member of a JSON object (/info), NULL when absent. */
const char *api_json_string(json_object *obj, const char *key);

#endif
