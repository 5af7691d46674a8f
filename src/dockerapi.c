// SPDX-License-Identifier: GPL-2.0-or-later
/* Docker Engine API over libcurl (see dockerapi.h). */
#include "config.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dockerapi.h"

struct sink {
	struct api_response *resp;
	size_t max;
	bool overflow;
};

/* Initialise libcurl. */
int dockerapi_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -EIO;
}

/* Release libcurl. */
void dockerapi_global_cleanup(void)
{
	curl_global_cleanup();
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

/* Keep the value of a header we care about (trimmed). */
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
		     long timeout_ms, const char *ebuf, char *err,
		     size_t errlen)
{
	long oserr = 0;

	curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &oserr);
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(err, errlen, "no answer within %ld ms%s", timeout_ms,
			 s->resp->connected ? " after connecting" :
					      " (could not connect)");
		return -ETIMEDOUT;
	case CURLE_COULDNT_CONNECT:
		if (!oserr)
			oserr = ECONNREFUSED;
		snprintf(err, errlen, "cannot connect: %s", strerror(oserr));
		return -oserr;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(err, errlen, "cannot resolve host: %s", ebuf);
		return -EHOSTUNREACH;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		snprintf(err, errlen,
			 "the daemon closed the connection without answering");
		return -ECONNRESET;
	case CURLE_WRITE_ERROR:
		if (s->overflow) {
			snprintf(err, errlen, "response larger than %zu bytes",
				 s->max);
			return -EFBIG;
		}
		snprintf(err, errlen, "out of memory reading the response");
		return -ENOMEM;
	default:
		snprintf(err, errlen, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
		return -EPROTO;
	}
}

/* One bounded GET. */
int dockerapi_get(const struct endpoint *ep, const char *sock_path,
		  const char *path, long timeout_ms, size_t max_body,
		  struct api_response *ret, char *err, size_t errlen)
{
	struct api_response resp = { 0 };
	struct sink s = { .resp = &resp, .max = max_body };
	char ebuf[CURL_ERROR_SIZE] = "";
	char *url = NULL;
	CURL *c = NULL;
	CURLcode rc;
	curl_off_t connect_us = 0;
	double total = 0;
	int r = 0;

	if (ep->kind == EP_SSH) {
		snprintf(err, errlen, "ssh:// hosts are not supported");
		*ret = resp;
		return -EPROTONOSUPPORT;
	}
	c = curl_easy_init();
	if (!c || asprintf(&url, "%s%s", ep->base_url, path) < 0) {
		url = NULL;
		snprintf(err, errlen, "cannot set up the HTTP client");
		r = -ENOMEM;
		goto out;
	}
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
	curl_easy_setopt(c, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_body);
	if (ep->kind == EP_UNIX)
		curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH,
				 sock_path ? sock_path : ep->path);
	if (ep->tls) {
		curl_easy_setopt(c, CURLOPT_CAINFO, ep->ca);
		curl_easy_setopt(c, CURLOPT_SSLCERT, ep->cert);
		curl_easy_setopt(c, CURLOPT_SSLKEY, ep->key);
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connect_us);
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &total);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
	resp.connected = connect_us > 0 || resp.status > 0;
	resp.seconds = total;
	if (rc == CURLE_FILESIZE_EXCEEDED) {
		s.overflow = true;
		rc = CURLE_WRITE_ERROR;
	}
	if (rc != CURLE_OK)
		r = map_error(c, rc, &s, timeout_ms, ebuf, err, errlen);
out:
	free(url);
	if (c)
		curl_easy_cleanup(c);
	*ret = resp;
	return r;
}
