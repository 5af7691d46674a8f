// SPDX-License-Identifier: GPL-2.0-or-later
/* Docker Engine API over libcurl (see dockerapi.h). */
#include "config.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docker/dockerapi.h"

#define MAX_BATCH 8

struct sink {
	struct api_response *resp;
	size_t max;
	bool overflow;
	char ebuf[CURL_ERROR_SIZE];
};

static bool curl_ready;

/* Initialise libcurl once. */
int dockerapi_global_init(void)
{
	if (!curl_ready)
		curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
	return curl_ready ? 0 : -EIO;
}

/* Release libcurl. */
void dockerapi_global_cleanup(void)
{
	if (curl_ready)
		curl_global_cleanup();
	curl_ready = false;
}

/* Free a response. */
void api_response_release(struct api_response *resp)
{
	free(resp->body);
	free(resp->server);
	free(resp->api_version);
	memset(resp, 0, sizeof(*resp));
}

/* Append body bytes, refusing more than max (returning short aborts). */
static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct sink *s = user;
	struct api_response *r = s->resp;
	size_t n = size * nmemb;
	char *nb;

	if (r->len + n > s->max) {
		s->overflow = true;
		return 0;
	}
	nb = realloc(r->body, r->len + n + 1);
	if (!nb)
		return 0;
	memcpy(nb + r->len, data, n);
	r->len += n;
	nb[r->len] = '\0';
	r->body = nb;
	return n;
}

/* Keep the value of a header we care about (trimmed, at most 256 bytes). */
static void keep_header(char **field, const char *v, size_t n)
{
	while (n && isspace((unsigned char)*v))
		v++, n--;
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	free(*field);
	*field = strndup(v, n > 256 ? 256 : n);
}

/* Collect the Server and Api-Version headers. */
static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	struct sink *s = user;
	size_t n = size * nmemb;

	if (n > 7 && strncasecmp(data, "Server:", 7) == 0)
		keep_header(&s->resp->server, data + 7, n - 7);
	else if (n > 12 && strncasecmp(data, "Api-Version:", 12) == 0)
		keep_header(&s->resp->api_version, data + 12, n - 12);
	return n;
}

/* Map a failed transfer to -errno and a one-line reason. */
static int map_error(CURL *c, CURLcode rc, const struct sink *s,
		     long timeout_ms, char *err, size_t errlen)
{
	long oserr = 0;

	curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &oserr);
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(err, errlen, "no answer within %ld ms%s", timeout_ms,
			 s->resp->connected ? " after connecting"
					    : " (could not connect)");
		return -ETIMEDOUT;
	case CURLE_COULDNT_CONNECT:
		/*
		 * A real refusal carries ECONNREFUSED from the kernel. Without
		 * an errno, the peer accepted and closed the connection before
		 * curl had verified it: that is a daemon that hangs up.
		 */
		if (!oserr) {
			snprintf(
				err, errlen,
				"the daemon closed the connection without answering");
			return -ECONNRESET;
		}
		snprintf(err, errlen, "cannot connect: %s", strerror(oserr));
		return -oserr;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(err, errlen, "cannot resolve host: %s", s->ebuf);
		return -EHOSTUNREACH;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		snprintf(err, errlen,
			 "the daemon closed the connection without answering");
		return -ECONNRESET;
	case CURLE_FILESIZE_EXCEEDED:
	case CURLE_WRITE_ERROR:
		if (s->overflow || rc == CURLE_FILESIZE_EXCEEDED) {
			snprintf(err, errlen, "response larger than %zu bytes",
				 s->max);
			return -EFBIG;
		}
		snprintf(err, errlen, "out of memory reading the response");
		return -ENOMEM;
	default:
		snprintf(err, errlen, "%s",
			 s->ebuf[0] ? s->ebuf : curl_easy_strerror(rc));
		return -EPROTO;
	}
}

/* Set up one easy handle for a request. */
static CURL *make_handle(const struct endpoint *ep, const char *sock_path,
			 const char *url, long timeout_ms, struct sink *s)
{
	CURL *c = curl_easy_init();

	if (!c)
		return NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS,
			 (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_USERAGENT,
			 PACKAGE_NAME "/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, s->ebuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s->max);
	curl_easy_setopt(c, CURLOPT_PRIVATE, s);
	if (ep->kind == EP_UNIX)
		curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH,
				 sock_path ? sock_path : ep->path);
	if (ep->tls) {
		curl_easy_setopt(c, CURLOPT_CAINFO, ep->ca);
		curl_easy_setopt(c, CURLOPT_SSLCERT, ep->cert);
		curl_easy_setopt(c, CURLOPT_SSLKEY, ep->key);
	}
	return c;
}

/* Record the outcome of a finished transfer in its request. */
static void finish(CURL *c, CURLcode rc, struct api_request *req,
		   struct sink *s, long timeout_ms)
{
	curl_off_t connect_us = 0;
	double total = 0;

	curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connect_us);
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &total);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &req->resp.status);
	req->resp.connected = connect_us > 0 || req->resp.status > 0;
	req->resp.seconds = total;
	req->err = rc == CURLE_OK ? 0
				  : map_error(c, rc, s, timeout_ms, req->error,
					      sizeof(req->error));
}

/* Run a batch of requests concurrently. */
int dockerapi_get_all(const struct endpoint *ep, const char *sock_path,
		      long timeout_ms, struct api_request *reqs, size_t n)
{
	struct sink sinks[MAX_BATCH] = { 0 };
	CURL *handles[MAX_BATCH] = { 0 };
	CURLM *m = NULL;
	CURLMsg *msg;
	int running = 0, left, ret = 0;

	for (size_t i = 0; i < n; i++) {
		reqs[i].err = -EINPROGRESS;
		reqs[i].error[0] = '\0';
		memset(&reqs[i].resp, 0, sizeof(reqs[i].resp));
	}
	if (ep->kind == EP_SSH || n > MAX_BATCH) {
		for (size_t i = 0; i < n; i++) {
			reqs[i].err = -EPROTONOSUPPORT;
			snprintf(reqs[i].error, sizeof(reqs[i].error),
				 "ssh:// hosts are not supported");
		}
		return 0;
	}
	if (dockerapi_global_init() < 0 || !(m = curl_multi_init())) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char *url = NULL;

		sinks[i].resp = &reqs[i].resp;
		sinks[i].max = reqs[i].max_body;
		if (asprintf(&url, "%s%s", ep->base_url, reqs[i].path) < 0) {
			ret = -ENOMEM;
			goto out;
		}
		handles[i] =
			make_handle(ep, sock_path, url, timeout_ms, &sinks[i]);
		free(url);
		if (!handles[i] || curl_multi_add_handle(m, handles[i])) {
			ret = -ENOMEM;
			goto out;
		}
	}
	/* every handle has its own CURLOPT_TIMEOUT_MS, so this loop ends */
	do {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		if (running)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	} while (running);
	while ((msg = curl_multi_info_read(m, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		for (size_t i = 0; i < n; i++)
			if (handles[i] == msg->easy_handle)
				finish(handles[i], msg->data.result, &reqs[i],
				       &sinks[i], timeout_ms);
	}
out:
	for (size_t i = 0; i < n; i++) {
		if (reqs[i].err == -EINPROGRESS) {
			reqs[i].err = ret ? ret : -EIO;
			snprintf(reqs[i].error, sizeof(reqs[i].error),
				 "the HTTP client failed");
		}
		if (handles[i]) {
			if (m)
				curl_multi_remove_handle(m, handles[i]);
			curl_easy_cleanup(handles[i]);
		}
	}
	if (m)
		curl_multi_cleanup(m);
	return ret;
}

/* One bounded GET: a batch of one. */
int dockerapi_get(const struct endpoint *ep, const char *sock_path,
		  const char *path, long timeout_ms, size_t max_body,
		  struct api_response *ret, char *err, size_t errlen)
{
	struct api_request req = { .path = path, .max_body = max_body };

	dockerapi_get_all(ep, sock_path, timeout_ms, &req, 1);
	*ret = req.resp;
	snprintf(err, errlen, "%s", req.error);
	return req.err;
}
