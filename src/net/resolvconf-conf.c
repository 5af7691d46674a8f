// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The resolv.conf each kind of container gets: nameservers, search and
 * options (see rc_model_conf() in resolvconf.h). Before 26 this follows
 * libnetwork's sandbox_dns_unix.go of moby v20.10.24 (setupDNS,
 * updateDNS, rebuildDNS, resolvconf.Build): the default bridge copies its
 * host file, the embedded DNS rebuilds the file of user-defined networks.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/resolvconf.h"
#include "core/util.h"

/* Append one word to a space-separated text. */
static void conf_add(char *dst, size_t size, const char *word)
{
	size_t len = strlen(dst);

	if (!word[0] || len + 1 >= size)
		return;
	snprintf(dst + len, size - len, "%s%s", len ? " " : "", word);
}

/* The daemon's list joined, or NULL when it is not set. */
static const char *joined(char *const *v, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!v || !v[0])
		return NULL;
	for (size_t i = 0; v[i]; i++)
		conf_add(buf, size, v[i]);
	return buf;
}

/* The servers of a container type, as its file lists them. */
static void conf_servers(char *dst, size_t size, const struct rc_server *s,
			 size_t n)
{
	for (size_t i = 0; i < n; i++)
		conf_add(dst, size, s[i].addr.text);
}

/*
 * rebuildDNS()'s ndots rule: the first option naming ndots decides. 1
 * when it is a valid ndots:N (N >= 0: the user's value stays), 0 when no
 * option names ndots (ndots:0 is added), -EINVAL when it is not valid
 * (the rebuild fails).
 */
static int ndots_set(const char *options)
{
	char buf[RC_TEXT_MAX], *save = NULL, *tok;

	strscpy(buf, options, sizeof(buf));
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		char *colon = strchr(tok, ':'), *end = NULL;
		long v;

		if (!strstr(tok, "ndots"))
			continue;
		if (!colon || strchr(colon + 1, ':'))
			return -EINVAL;
		v = strtol(colon + 1, &end, 10);
		if (end == colon + 1 || *end || v < 0)
			return -EINVAL;
		return 1;
	}
	return 0;
}

/* resolvconf.Build() leaves out a search list that is just ".". */
static void build_search(char *dst, size_t size, const char *search)
{
	strscpy(dst, strcmp(search, ".") == 0 ? "" : search, size);
}

/* Before 26: the default bridge's copy, or the file built from settings. */
static void conf_bridge_2010(const struct rc_model_input *in,
			     struct rc_model *m, const struct rc_file *src)
{
	struct rc_conf *c = &m->bridge_conf;
	char buf[RC_TEXT_MAX];
	const char *v;

	conf_servers(c->nameservers, sizeof(c->nameservers), m->bridge,
		     m->n_bridge);
	if (!m->built) {
		/* the host file's other lines are copied as they are */
		strscpy(c->search, src ? src->search : "", sizeof(c->search));
		strscpy(c->options, src ? src->options : "",
			sizeof(c->options));
		return;
	}
	v = joined(in->dns_search, buf, sizeof(buf));
	build_search(c->search, sizeof(c->search),
		     v	   ? v
		     : src ? src->search_last
			   : "");
	v = joined(in->dns_opts, buf, sizeof(buf));
	strscpy(c->options,
		v     ? v
		: src ? src->options_last
		      : "",
		sizeof(c->options));
}

/* Before 26: user-defined networks, rebuilt for the embedded DNS. */
static void conf_user_2010(const struct rc_model_input *in, struct rc_model *m,
			   const struct rc_file *etc)
{
	struct rc_conf *c = &m->user_conf;
	char search[RC_TEXT_MAX], options[RC_TEXT_MAX], buf[RC_TEXT_MAX];
	const char *v;
	int nd;

	/* the file rebuildDNS() starts from: built, or the filtered copy */
	if (m->built) {
		v = joined(in->dns_search, buf, sizeof(buf));
		build_search(search, sizeof(search),
			     v	   ? v
			     : etc ? etc->search_last
				   : "");
		v = joined(in->dns_opts, buf, sizeof(buf));
		strscpy(options,
			v     ? v
			: etc ? etc->options_last
			      : "",
			sizeof(options));
	} else {
		strscpy(search, etc ? etc->search_last : "", sizeof(search));
		strscpy(options, etc ? etc->options_last : "", sizeof(options));
	}
	nd = ndots_set(options);
	if (nd < 0) {
		/* "Updating resolv.conf failed": the copy stays, no 127.0.0.11 */
		m->user_bad_ndots = true;
		if (m->built) {
			conf_servers(c->nameservers, sizeof(c->nameservers),
				     m->user, m->n_user);
			for (size_t i = 0; i < m->n_user_direct; i++)
				conf_add(c->nameservers, sizeof(c->nameservers),
					 m->user_direct[i].text);
			strscpy(c->search, search, sizeof(c->search));
			strscpy(c->options, options, sizeof(c->options));
			return;
		}
		for (size_t i = 0; i < m->n_user; i++)
			if (!m->user[i].host_ns)
				conf_add(c->nameservers, sizeof(c->nameservers),
					 m->user[i].addr.text);
		strscpy(c->search, etc ? etc->search : "", sizeof(c->search));
		strscpy(c->options, etc ? etc->options : "",
			sizeof(c->options));
		return;
	}
	conf_add(c->nameservers, sizeof(c->nameservers), RC_EMBEDDED_DNS);
	for (size_t i = 0; i < m->n_user_direct; i++)
		conf_add(c->nameservers, sizeof(c->nameservers),
			 m->user_direct[i].text);
	build_search(c->search, sizeof(c->search), search);
	strscpy(c->options, options, sizeof(c->options));
	if (!nd)
		conf_add(c->options, sizeof(c->options), "ndots:0");
}

/*
 * 26 and later (not checked against a real daemon): the host file's
 * search and options, replaced by 'dns-search' and 'dns-opts'.
 */
static void conf_new(const struct rc_model_input *in, struct rc_model *m,
		     const struct rc_file *src, const struct rc_file *etc)
{
	char buf[RC_TEXT_MAX];
	const char *s = joined(in->dns_search, buf, sizeof(buf));

	conf_servers(m->bridge_conf.nameservers,
		     sizeof(m->bridge_conf.nameservers), m->bridge,
		     m->n_bridge);
	strscpy(m->bridge_conf.search,
		s     ? s
		: src ? src->search
		      : "",
		sizeof(m->bridge_conf.search));
	strscpy(m->user_conf.search,
		s     ? s
		: etc ? etc->search
		      : "",
		sizeof(m->user_conf.search));
	s = joined(in->dns_opts, buf, sizeof(buf));
	strscpy(m->bridge_conf.options,
		s     ? s
		: src ? src->options
		      : "",
		sizeof(m->bridge_conf.options));
	strscpy(m->user_conf.options,
		s     ? s
		: etc ? etc->options
		      : "",
		sizeof(m->user_conf.options));
	if (ndots_set(m->user_conf.options) == 0)
		conf_add(m->user_conf.options, sizeof(m->user_conf.options),
			 "ndots:0");
	strscpy(m->user_conf.nameservers, RC_EMBEDDED_DNS,
		sizeof(m->user_conf.nameservers));
}

void rc_model_conf(const struct rc_model_input *in, struct rc_model *m)
{
	const struct rc_file *src = m->stub_rule ? in->systemd : in->etc;
	const struct rc_file *etc = in->etc_err ? NULL : in->etc;

	memset(&m->bridge_conf, 0, sizeof(m->bridge_conf));
	memset(&m->user_conf, 0, sizeof(m->user_conf));
	m->user_bad_ndots = false;
	if ((m->stub_rule ? in->systemd_err : in->etc_err) != 0)
		src = NULL;
	if (m->era != RC_ERA_2010) {
		conf_new(in, m, src, etc);
		return;
	}
	if (!m->bridge_err || m->bridge_err == -ENOENT)
		conf_bridge_2010(in, m, src);
	if (!m->user_err || m->user_err == -ENOENT)
		conf_user_2010(in, m, etc);
}
