// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's effective configuration (defaults < daemon.json < flags),
 * and the version of the dockerd binary (see dconfig.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/dconfig.h"
#include "config/dockerd-options.h"
#include "config/jsonscan.h"
#include "core/util.h"

/*
 * Run "BIN --version" with a 2 s limit, output bounded, and keep the
 * version it prints. The program only prints its version; nothing on the
 * host changes. 0, -ENOENT (no version in its output) or -errno.
 */
static int run_version(const char *bin, char *ret, size_t size)
{
	char out[256] = "", *v;
	int pipefd[2], status;
	double deadline;
	size_t got = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		execl(bin, "dockerd", "--version", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	deadline = now_monotonic() + 2.0;
	while (pid > 0 && got + 1 < sizeof(out)) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		int left = (int)((deadline - now_monotonic()) * 1000);
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			break;
		n = read(pipefd[0], out + got, sizeof(out) - 1 - got);
		if (n <= 0)
			break;
		got += n;
	}
	close(pipefd[0]);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	out[got] = '\0';
	/* "Docker version 20.10.24+dfsg1, build 5d6db84" */
	v = strstr(out, "version ");
	if (!v)
		return -ENOENT;
	v += 8;
	v[strcspn(v, ", \n")] = '\0';
	snprintf(ret, size, "%s", v);
	return 0;
}

/* The first executable dockerd in a directory of PATH, into buf. */
static bool find_on_path(char *buf, size_t size)
{
	const char *path = getenv("PATH"), *p = path;

	while (p && *p) {
		size_t n = strcspn(p, ":");

		if (n &&
		    (size_t)snprintf(buf, size, "%.*s/dockerd", (int)n, p) <
			    size &&
		    buf[0] == '/' && access(buf, X_OK) == 0)
			return true;
		p += n;
		if (*p == ':')
			p++;
	}
	return false;
}

/* The version of the examined daemon's binary, else the installed one. */
int dconfig_binary_version(const char *exe, struct dconfig_binver *ret)
{
	static const char *const paths[] = { "/usr/sbin/dockerd",
					     "/usr/bin/dockerd",
					     "/usr/local/bin/dockerd" };
	struct dconfig_binver b = { .version = "" };
	char bin[4096], target[4096] = "";
	ssize_t n;

	/* /proc/PID/exe runs even when the file was replaced since */
	if (exe && access(exe, X_OK) == 0 &&
	    run_version(exe, b.version, sizeof(b.version)) == 0) {
		n = readlink(exe, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		snprintf(
			b.source, sizeof(b.source),
			"no daemon answered: %.400s --version (the examined daemon's %.40s)",
			target[0] ? target : exe, exe);
		*ret = b;
		return 0;
	}
	if (find_on_path(bin, sizeof(bin)) &&
	    run_version(bin, b.version, sizeof(b.version)) == 0) {
		snprintf(
			b.source, sizeof(b.source),
			"no daemon answered: %.400s --version (dockerd on PATH)",
			bin);
		*ret = b;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		if (access(paths[i], X_OK) != 0 ||
		    run_version(paths[i], b.version, sizeof(b.version)) < 0)
			continue;
		snprintf(b.source, sizeof(b.source),
			 "no daemon answered: %s --version", paths[i]);
		*ret = b;
		return 0;
	}
	return -ENOENT;
}

/* The binary's version, asked once per exe in this process. */
const struct dconfig_binver *dconfig_binary_version_once(const char *exe)
{
	static struct {
		char exe[64];
		bool asked;
		int err;
		struct dconfig_binver b;
	} cache[4];
	static size_t next;
	const char *key = exe ? exe : "";
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cache); i++)
		if (cache[i].asked && strcmp(cache[i].exe, key) == 0)
			return cache[i].err ? NULL : &cache[i].b;
	i = next++ % ARRAY_SIZE(cache);
	snprintf(cache[i].exe, sizeof(cache[i].exe), "%s", key);
	cache[i].asked = true;
	cache[i].err = dconfig_binary_version(exe, &cache[i].b);
	return cache[i].err ? NULL : &cache[i].b;
}

/* Set a string field from a JSON string. */
static int eff_str(char **field, json_object *root, const char *key)
{
	json_object *x;

	if (!json_object_object_get_ex(root, key, &x) ||
	    !json_object_is_type(x, json_type_string))
		return 0;
	free(*field);
	*field = strdup(json_object_get_string(x));
	return *field ? 0 : -ENOMEM;
}

static void eff_bool(int *field, json_object *root, const char *key)
{
	json_object *x;

	if (json_object_object_get_ex(root, key, &x) &&
	    json_object_is_type(x, json_type_boolean))
		*field = json_object_get_boolean(x);
}

static int eff_list(char ***field, json_object *root, const char *key)
{
	json_object *x;

	if (!json_object_object_get_ex(root, key, &x) ||
	    !json_object_is_type(x, json_type_array))
		return 0;
	strv_free(*field);
	*field = calloc(1, sizeof(char *));
	if (!*field)
		return -ENOMEM;
	for (size_t i = 0; i < json_object_array_length(x); i++) {
		json_object *e = json_object_array_get_idx(x, i);

		if (json_object_is_type(e, json_type_string) &&
		    strv_push(field, json_object_get_string(e)) < 0)
			return -ENOMEM;
	}
	return 0;
}

/*
 * One exec-opt ("native.cgroupdriver=systemd"; dockerd trims spaces and
 * compares the key case-insensitively). The last one given wins.
 */
static int eff_exec_opt(struct dconfig_effective *e, const char *opt)
{
	const char *eq = strchr(opt, '='), *k = opt, *v;
	size_t klen;

	if (!eq)
		return 0;
	while (*k == ' ')
		k++;
	klen = (size_t)(eq - k);
	while (klen && k[klen - 1] == ' ')
		klen--;
	if (klen != strlen("native.cgroupdriver") ||
	    strncasecmp(k, "native.cgroupdriver", klen) != 0)
		return 0;
	v = eq + 1;
	while (*v == ' ')
		v++;
	free(e->cgroup_driver);
	e->cgroup_driver = strndup(v, strcspn(v, " "));
	return e->cgroup_driver ? 0 : -ENOMEM;
}

/* Apply one command-line flag to the effective configuration. */
static int eff_flag(struct dconfig_effective *e, const char *name,
		    const char *value, bool *hosts_reset, bool *dns_reset)
{
	char **str = NULL;
	int *flag = NULL;

	if (strcmp(name, "exec-root") == 0)
		str = &e->exec_root;
	else if (strcmp(name, "data-root") == 0 || strcmp(name, "graph") == 0)
		str = &e->data_root;
	else if (strcmp(name, "pidfile") == 0)
		str = &e->pidfile;
	else if (strcmp(name, "bridge") == 0)
		str = &e->bridge;
	else if (strcmp(name, "iptables") == 0)
		flag = &e->iptables;
	else if (strcmp(name, "ip-forward") == 0)
		flag = &e->ip_forward;
	else if (strcmp(name, "live-restore") == 0)
		flag = &e->live_restore;
	else if (strcmp(name, "ipv6") == 0)
		flag = &e->ipv6;
	else if (strcmp(name, "icc") == 0)
		flag = &e->icc;
	else if (strcmp(name, "tls") == 0)
		flag = &e->tls;
	else if (strcmp(name, "tlsverify") == 0)
		flag = &e->tlsverify;
	else if (strcmp(name, "tlscacert") == 0)
		str = &e->tlscacert;
	else if (strcmp(name, "tlscert") == 0)
		str = &e->tlscert;
	else if (strcmp(name, "tlskey") == 0)
		str = &e->tlskey;
	if (flag) {
		*flag = strcmp(value, "false") != 0 && strcmp(value, "0") != 0;
		return 0;
	}
	if (str) {
		free(*str);
		*str = strdup(value);
		return *str ? 0 : -ENOMEM;
	}
	if (strcmp(name, "host") == 0 || strcmp(name, "dns") == 0) {
		bool *reset = name[0] == 'h' ? hosts_reset : dns_reset;
		char ***v = name[0] == 'h' ? &e->hosts : &e->dns;

		/* flags replace the file's list, they do not add to it */
		if (!*reset) {
			strv_free(*v);
			*v = NULL;
			*reset = true;
		}
		return strv_push(v, value);
	}
	if (strcmp(name, "exec-opt") == 0)
		return eff_exec_opt(e, value);
	if (strcmp(name, "config-file") == 0) {
		free(e->config_file);
		e->config_file = strdup(value);
		return e->config_file ? 0 : -ENOMEM;
	}
	return 0;
}

static int eff_exec_opts(struct dconfig_effective *e, json_object *root)
{
	json_object *x;

	if (!json_object_object_get_ex(root, "exec-opts", &x) ||
	    !json_object_is_type(x, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(x); i++) {
		json_object *o = json_object_array_get_idx(x, i);

		if (json_object_is_type(o, json_type_string) &&
		    eff_exec_opt(e, json_object_get_string(o)) < 0)
			return -ENOMEM;
	}
	return 0;
}

struct eff_walk {
	struct dconfig_effective *e;
	bool hosts_reset, dns_reset;
	bool tlsverify_given;
};

static int on_eff_flag(void *arg, const char *raw,
		       const struct dockerd_option *o, const char *value)
{
	struct eff_walk *w = arg;

	(void)raw;
	if (!o)
		return 0; /* bad flags are the analysis's business */
	if (strcmp(o->flag, "tlsverify") == 0)
		w->tlsverify_given = true;
	return eff_flag(w->e, o->flag, value, &w->hosts_reset, &w->dns_reset);
}

/* Compute the effective configuration. */
int dconfig_effective(const char *buf, size_t len, char **argv, unsigned v,
		      struct dconfig_effective *ret)
{
	struct dconfig_effective e = { .iptables = 1,
				       .ip_forward = 1,
				       .live_restore = 0,
				       .ipv6 = 0,
				       .icc = 1 };
	json_object *root = NULL;
	struct jsonscan_result js;
	bool tlsverify_given = false;
	int r = -ENOMEM;

	e.exec_root = strdup("/var/run/docker");
	e.data_root = strdup("/var/lib/docker");
	e.pidfile = strdup("/var/run/docker.pid");
	if (!e.exec_root || !e.data_root || !e.pidfile)
		goto fail;
	if (buf && len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (buf) {
		jsonscan(buf, len, &js);
		if (js.ok && js.top == '{')
			root = dconfig_parse_object(buf, js.end);
	}
	if (root) {
		json_object *flat = dconfig_flatten(root, v);

		if (!flat || eff_str(&e.exec_root, flat, "exec-root") < 0 ||
		    eff_str(&e.data_root, flat, "graph") < 0 ||
		    eff_str(&e.data_root, flat, "data-root") < 0 ||
		    eff_str(&e.pidfile, flat, "pidfile") < 0 ||
		    eff_str(&e.bridge, flat, "bridge") < 0 ||
		    eff_str(&e.tlscacert, flat, "tlscacert") < 0 ||
		    eff_str(&e.tlscert, flat, "tlscert") < 0 ||
		    eff_str(&e.tlskey, flat, "tlskey") < 0 ||
		    eff_list(&e.hosts, flat, "hosts") < 0 ||
		    eff_list(&e.dns, flat, "dns") < 0) {
			json_object_put(flat);
			goto fail;
		}
		eff_bool(&e.iptables, flat, "iptables");
		eff_bool(&e.ip_forward, flat, "ip-forward");
		eff_bool(&e.live_restore, flat, "live-restore");
		eff_bool(&e.ipv6, flat, "ipv6");
		eff_bool(&e.icc, flat, "icc");
		eff_bool(&e.tls, flat, "tls");
		eff_bool(&e.tlsverify, flat, "tlsverify");
		tlsverify_given =
			json_object_object_get_ex(flat, "tlsverify", NULL);
		if (eff_exec_opts(&e, flat) < 0) {
			json_object_put(flat);
			goto fail;
		}
		json_object_put(flat);
	}
	{
		struct eff_walk w = { .e = &e };

		if (dockerd_walk_argv(argv, v, on_eff_flag, &w) < 0)
			goto fail;
		/* tlsverify given at all, even false, turns TLS on */
		if (w.tlsverify_given || tlsverify_given)
			e.tls = 1;
	}
	json_object_put(root);
	*ret = e;
	return 0;
fail:
	json_object_put(root);
	dconfig_effective_release(&e);
	return r;
}

/* Free an effective configuration. */
void dconfig_effective_release(struct dconfig_effective *e)
{
	free(e->exec_root);
	free(e->data_root);
	free(e->pidfile);
	free(e->bridge);
	free(e->config_file);
	free(e->cgroup_driver);
	free(e->tlscacert);
	free(e->tlscert);
	free(e->tlskey);
	strv_free(e->hosts);
	strv_free(e->dns);
	memset(e, 0, sizeof(*e));
}
