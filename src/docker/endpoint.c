// SPDX-License-Identifier: GPL-2.0-or-later
/* Daemon address parsing, following the docker client's rules. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docker/endpoint.h"
#include "core/util.h"

/* Release an endpoint's strings. */
void endpoint_release(struct endpoint *ep)
{
	free(ep->raw);
	free(ep->path);
	free(ep->host);
	free(ep->ca);
	free(ep->cert);
	free(ep->key);
	free(ep->base_url);
	memset(ep, 0, sizeof(*ep));
}

/* tcp://host[:port][/path]: split host and port, check both. */
static int parse_tcp(const char *rest, bool tls, struct endpoint *ep, char *err,
		     size_t errlen)
{
	size_t hostlen = strcspn(rest, "/?#");
	const char *at = memchr(rest, '@', hostlen);
	char *hp;

	if (at) {
		/* user:password@ is allowed by URL syntax; the daemon ignores it */
		hostlen -= at + 1 - rest;
		rest = at + 1;
	}
	hp = strndup(rest, hostlen);
	char *colon = NULL;
	long port = tls ? 2376 : 2375;
	int ret = -EINVAL;

	if (!hp)
		return -ENOMEM;
	if (hp[0] == '[') {
		char *close = strchr(hp, ']');

		if (!close || close == hp + 1) {
			snprintf(err, errlen, "invalid IPv6 address");
			goto out;
		}
		if (close[1] == ':')
			colon = close + 1;
		else if (close[1]) {
			snprintf(err, errlen, "invalid host");
			goto out;
		}
	} else {
		colon = strrchr(hp, ':');
		if (colon && strchr(hp, ':') != colon) {
			snprintf(err, errlen, "IPv6 address needs brackets");
			goto out;
		}
	}
	if (colon) {
		*colon = '\0';
		if (parse_int(colon + 1, 1, 65535, &port) < 0) {
			snprintf(err, errlen, "invalid port '%s'", colon + 1);
			goto out;
		}
	}
	if (!hp[0]) {
		snprintf(err, errlen, "no host name");
		goto out;
	}
	ep->host = hp;
	hp = NULL;
	ep->port = (int)port;
	ret = 0;
out:
	free(hp);
	return ret;
}

/* TLS files: DOCKER_CERT_PATH or ~/.docker, as the docker CLI does. */
static int set_tls(struct endpoint *ep, const struct endpoint_tls_env *env)
{
	const char *dir = env && env->cert_path && *env->cert_path
				  ? env->cert_path
				  : NULL;
	char *def = NULL;
	int ret = 0;

	if (!dir) {
		if (asprintf(&def, "%s/.docker",
			     env && env->home ? env->home : "") < 0)
			return -ENOMEM;
		dir = def;
	}
	if (asprintf(&ep->ca, "%s/ca.pem", dir) < 0 ||
	    asprintf(&ep->cert, "%s/cert.pem", dir) < 0 ||
	    asprintf(&ep->key, "%s/key.pem", dir) < 0)
		ret = -ENOMEM;
	free(def);
	return ret;
}

/* Parse a daemon address. */
int endpoint_parse(const char *addr, const struct endpoint_tls_env *env,
		   struct endpoint *ret, char *err, size_t errlen)
{
	struct endpoint ep = { 0 };
	const char *sep = strstr(addr, "://");
	int r = -EINVAL;

	if (!sep) {
		snprintf(err, errlen,
			 "not of the form scheme://address (unix:///path or "
			 "tcp://host:port)");
		return -EINVAL;
	}
	ep.raw = strdup(addr);
	if (!ep.raw)
		return -ENOMEM;
	if (sep == addr + 4 && strncmp(addr, "unix", 4) == 0) {
		ep.kind = EP_UNIX;
		if (sep[3] != '/') {
			snprintf(err, errlen,
				 "unix socket path must be absolute");
			goto out;
		}
		if (strlen(sep + 3) > 107) {
			snprintf(err, errlen,
				 "unix socket path longer than 107 bytes");
			goto out;
		}
		ep.path = strdup(sep + 3);
		if (!ep.path || !(ep.base_url = strdup("http://localhost"))) {
			r = -ENOMEM;
			goto out;
		}
	} else if (sep == addr + 3 && strncmp(addr, "tcp", 3) == 0) {
		ep.kind = EP_TCP;
		ep.tls = env && env->tls_verify && *env->tls_verify;
		r = parse_tcp(sep + 3, ep.tls, &ep, err, errlen);
		if (r < 0)
			goto out;
		if (ep.tls && set_tls(&ep, env) < 0) {
			r = -ENOMEM;
			goto out;
		}
		if (asprintf(&ep.base_url, "%s://%s:%d",
			     ep.tls ? "https" : "http", ep.host, ep.port) < 0) {
			ep.base_url = NULL;
			r = -ENOMEM;
			goto out;
		}
	} else if (sep == addr + 3 && strncmp(addr, "ssh", 3) == 0) {
		ep.kind = EP_SSH;
		ep.host = strdup(sep + 3);
		if (!ep.host) {
			r = -ENOMEM;
			goto out;
		}
	} else {
		snprintf(err, errlen,
			 "unsupported scheme '%.*s' (use unix:// or tcp://)",
			 (int)(sep - addr > 32 ? 32 : sep - addr), addr);
		goto out;
	}
	*ret = ep;
	return 0;
out:
	endpoint_release(&ep);
	return r;
}

/* Is the endpoint on this host? */
bool endpoint_is_local(const struct endpoint *ep)
{
	if (ep->kind == EP_UNIX)
		return true;
	if (ep->kind != EP_TCP)
		return false;
	return strcmp(ep->host, "localhost") == 0 ||
	       startswith(ep->host, "127.") || strcmp(ep->host, "[::1]") == 0;
}
