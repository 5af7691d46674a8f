// SPDX-License-Identifier: GPL-2.0-or-later
/* The API collector (see api.h). */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docker/api.h"
#include "core/context.h"
#include "docker/dockerapi.h"
#include "host/procfs.h"
#include "core/util.h"

/* Free the state. */
void api_state_free(struct api_state *st)
{
	if (!st)
		return;
	endpoint_release(&st->ep);
	free(st->display);
	free(st->sock_host_path);
	free(st->server_header);
	free(st->api_version_header);
	free(st->version);
	json_object_put(st->info_json);
	free(st);
}

/* Words for an address source. */
const char *api_source_name(enum api_source src)
{
	switch (src) {
	case API_FROM_OPTION:
		return "--host";
	case API_FROM_ENV:
		return "DOCKER_HOST";
	default:
		return "default";
	}
}

/* A string member of a JSON object. */
const char *api_json_string(json_object *obj, const char *key)
{
	json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* May we connect to a socket with these owner and mode bits? */
static int socket_access(const struct stat *st)
{
	gid_t groups[256];
	int n;

	if (geteuid() == 0)
		return 1;
	if (st->st_uid == geteuid())
		return !!(st->st_mode & S_IWUSR);
	n = getgroups(ARRAY_SIZE(groups), groups);
	if (st->st_gid == getegid())
		return !!(st->st_mode & S_IWGRP);
	for (int i = 0; i < n; i++)
		if (groups[i] == st->st_gid)
			return !!(st->st_mode & S_IWGRP);
	return !!(st->st_mode & S_IWOTH);
}

/* Resolve the address a docker client would use, and stat its socket. */
int api_resolve(struct ctx *ctx, struct api_state **ret)
{
	const struct options *o = ctx->opts;
	struct api_state *st = calloc(1, sizeof(*st));
	struct endpoint_tls_env env = {
		.tls_verify = o->env_tls_verify,
		.cert_path = o->env_cert_path,
		.home = o->env_home,
	};
	int r;

	if (!st)
		return -ENOMEM;
	if (o->host) {
		st->source = API_FROM_OPTION;
		st->address = o->host;
	} else if (o->env_docker_host && *o->env_docker_host) {
		st->source = API_FROM_ENV;
		st->address = o->env_docker_host;
	} else {
		st->source = API_FROM_DEFAULT;
		st->address = DEFAULT_DOCKER_HOST;
	}
	st->display = mask_credentials(st->address);
	if (!st->display)
		goto fail;
	r = endpoint_parse(st->address, &env, &st->ep, st->endpoint_error,
			   sizeof(st->endpoint_error));
	if (r == -ENOMEM)
		goto fail;
	st->endpoint_err = r;
	if (r == 0 && st->ep.kind == EP_UNIX) {
		st->sock_host_path = path_host(&ctx->root, st->ep.path);
		if (!st->sock_host_path)
			goto fail;
		st->sock_err =
			path_stat(&ctx->root, st->ep.path, true, &st->sock_st);
		if (!st->sock_err && !S_ISSOCK(st->sock_st.st_mode))
			st->sock_err = -ENOTSOCK;
		st->sock_access = st->sock_err ? 0
					       : socket_access(&st->sock_st);
	}
	*ret = st;
	return 0;
fail:
	api_state_free(st);
	return -ENOMEM;
}

/*
 * With no dockerd running, a listening socket held by pid 1 is systemd's
 * docker.socket: connecting would start the daemon, so we do not.
 */
static int activation_holder(struct ctx *ctx, const struct api_state *st)
{
	unsigned long *inodes = NULL;
	char *buf = NULL;
	int n, pid = 0;

	if (path_read_file(&ctx->root, "/proc/net/unix", 64 << 20, &buf, NULL) <
	    0)
		return 0;
	n = procfs_parse_net_unix(buf, st->ep.path, &inodes);
	if (n > 0 && procfs_pid_holds_socket(&ctx->root, 1, inodes, n) == 1)
		pid = 1;
	free(inodes);
	free(buf);
	return pid;
}

/* Parse a JSON object body into *ret; records a one-line error. */
static void parse_body(const struct api_response *resp, json_object **ret,
		       struct api_call *call, const char *what)
{
	struct json_tokener *tok;
	json_object *obj;

	if (strlen(resp->body ? resp->body : "") != resp->len || !resp->len) {
		call->err = -EBADMSG;
		snprintf(call->error, sizeof(call->error),
			 "%s: empty or binary response", what);
		return;
	}
	tok = json_tokener_new();
	if (!tok) {
		call->err = -ENOMEM;
		return;
	}
	obj = json_tokener_parse_ex(tok, resp->body, (int)resp->len);
	if (!obj || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(obj, json_type_object)) {
		call->err = -EBADMSG;
		snprintf(call->error, sizeof(call->error),
			 "%s: not a JSON object (%s at byte %zu)", what,
			 obj ? "wrong type"
			     : json_tokener_error_desc(
				       json_tokener_get_error(tok)),
			 json_tokener_get_parse_end(tok));
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	*ret = obj;
}

/* Turn a finished request into a call record; HTTP errors are errors. */
static void take_call(struct api_request *req, struct api_call *call)
{
	call->err = req->err;
	call->status = req->resp.status;
	call->seconds = req->resp.seconds;
	snprintf(call->error, sizeof(call->error), "%s", req->error);
	if (!call->err && req->resp.status != 200) {
		snprintf(call->error, sizeof(call->error), "%s: HTTP %ld",
			 req->path, req->resp.status);
		call->err = -EPROTO;
	}
}

/* "Docker/20.10.24+dfsg1 (linux)" -> "20.10.24+dfsg1". */
static char *version_from_server(const char *server)
{
	if (!server || !startswith(server, "Docker/"))
		return NULL;
	return strndup(server + 7, strcspn(server + 7, " "));
}

/* /_ping and /info together, unless socket activation forbids it. */
void api_contact(struct ctx *ctx, struct api_state *st)
{
	const struct daemon_set *ds = ctx_daemons(ctx);
	struct api_request reqs[2] = {
		{ .path = "/_ping", .max_body = 4096 },
		{ .path = "/info", .max_body = DOCKERAPI_MAX_BODY },
	};
	const char *v;

	if (st->endpoint_err)
		return;
	if (st->ep.kind == EP_UNIX) {
		if (ds && ds->n == 0)
			st->activation_pid = activation_holder(ctx, st);
		if (st->activation_pid) {
			st->skipped = true;
			return;
		}
	}
	if (dockerapi_get_all(&st->ep, st->sock_host_path,
			      ctx->opts->timeout_ms, reqs, 2) < 0) {
		snprintf(st->ping.error, sizeof(st->ping.error),
			 "out of memory");
		st->ping.err = -ENOMEM;
		return;
	}
	take_call(&reqs[0], &st->ping);
	st->reachable = st->ping.err == 0;
	if (reqs[0].resp.server)
		st->server_header = strdup(reqs[0].resp.server);
	if (reqs[0].resp.api_version)
		st->api_version_header = strdup(reqs[0].resp.api_version);
	if (st->reachable) {
		take_call(&reqs[1], &st->info);
		if (!st->info.err)
			parse_body(&reqs[1].resp, &st->info_json, &st->info,
				   "/info");
	}
	v = api_json_string(st->info_json, "ServerVersion");
	st->version = v ? strdup(v) : version_from_server(st->server_header);
	api_response_release(&reqs[0].resp);
	api_response_release(&reqs[1].resp);
}

/* GET and parse any JSON value. */
int api_get_json(struct ctx *ctx, const char *path, size_t max,
		 json_object **ret, char *err, size_t errlen)
{
	const struct api_state *st = ctx_api(ctx);
	struct api_response resp = { 0 };
	enum json_tokener_error jerr;
	json_object *obj;
	int r;

	if (!st || !st->reachable) {
		snprintf(err, errlen, "the daemon API is not reachable");
		return -ENOTCONN;
	}
	r = dockerapi_get(&st->ep, st->sock_host_path, path,
			  ctx->opts->timeout_ms, max, &resp, err, errlen);
	if (r == 0 && resp.status != 200) {
		snprintf(err, errlen, "%s: HTTP %ld", path, resp.status);
		r = -EPROTO;
	}
	if (r == 0) {
		obj = json_tokener_parse_verbose(resp.body ? resp.body : "",
						 &jerr);
		if (!obj) {
			snprintf(err, errlen, "%s: %s", path,
				 json_tokener_error_desc(jerr));
			r = -EBADMSG;
		} else {
			*ret = obj;
		}
	}
	api_response_release(&resp);
	return r;
}
