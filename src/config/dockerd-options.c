// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dockerd option table. Each row was read from moby's sources at the
 * release tags v20.10.24, v23.0.0, v24.0.0, v25.0.0, v26.0.0, v27.5.1,
 * v28.0.0, v28.5.2 and docker-v29.0.0 to docker-v29.7.2, each 29 minor
 * (the .go files of cmd/dockerd, from 29 daemon/command, for flags;
 * daemon/config and the registry's ServiceOptions for the JSON tags,
 * flatOptions and skipValidateOptions).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/dockerd-options.h"
#include "core/util.h"

#define B true
#define _ false

/* clang-format off */
static const struct dockerd_option options[] = {
	/* flag                          sh   named                     type        bool since until */
	{ "add-runtime",                  0, "runtimes",                 OT_OBJECT,  _, 0, 0 },
	{ "allow-nondistributable-artifacts", 0, "allow-nondistributable-artifacts", OT_LIST, _, 0, 2900 },
	{ "api-cors-header",              0, NULL,                       OT_STRING,  _, 0, 2900 },
	{ "authorization-plugin",         0, "authorization-plugins",    OT_LIST,    _, 0, 0 },
	{ "bip",                          0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "bip6",                         0, NULL,                       OT_STRING,  _, 2800, 0 },
	{ "bridge",                     'b', NULL,                       OT_STRING,  _, 0, 0 },
	{ "bridge-accept-fwmark",         0, NULL,                       OT_STRING,  _, 2900, 0 },
	{ "cdi-spec-dir",                 0, "cdi-spec-dirs",            OT_LIST,    _, 2500, 0 },
	{ "cgroup-parent",                0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "cluster-advertise",            0, NULL,                       OT_STRING,  _, 0, 2400 },
	{ "cluster-store",                0, NULL,                       OT_STRING,  _, 0, 2400 },
	{ "cluster-store-opt",            0, "cluster-store-opts",       OT_MAP,     _, 0, 2400 },
	{ "config-file",                  0, NULL,                       OT_NONE,    _, 0, 0 },
	{ "containerd",                   0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "containerd-namespace",         0, NULL,                       OT_STRING,  _, 0, 0 },
	/* the JSON tag is the singular containerd-plugin-namespace: no field */
	{ "containerd-plugins-namespace", 0, NULL,                       OT_NONE,    _, 0, 0 },
	{ "cpu-rt-period",                0, NULL,                       OT_INT,     _, 0, 0 },
	{ "cpu-rt-runtime",               0, NULL,                       OT_INT,     _, 0, 0 },
	{ "cri-containerd",               0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "data-root",                    0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "debug",                      'D', NULL,                       OT_BOOL,    B, 0, 0 },
	{ "default-address-pool",         0, "default-address-pools",    OT_OBJLIST, _, 0, 0 },
	{ "default-cgroupns-mode",        0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "default-gateway",              0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "default-gateway-v6",           0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "default-ipc-mode",             0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "default-network-opt",          0, "default-network-opts",     OT_OBJECT,  _, 2400, 0 },
	{ "default-runtime",              0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "default-shm-size",             0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "default-stop-timeout",         0, NULL,                       OT_INT,     _, 2907, 0 },
	{ "default-ulimit",               0, "default-ulimits",          OT_OBJECT,  _, 0, 0 },
	{ "dns",                          0, NULL,                       OT_LIST,    _, 0, 0 },
	{ "dns-opt",                      0, "dns-opts",                 OT_LIST,    _, 0, 0 },
	{ "dns-search",                   0, NULL,                       OT_LIST,    _, 0, 0 },
	{ "exec-opt",                     0, "exec-opts",                OT_LIST,    _, 0, 0 },
	{ "exec-root",                    0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "experimental",                 0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "feature",                      0, "features",                 OT_BOOLMAP,  _, 2705, 0 },
	{ "firewall-backend",             0, NULL,                       OT_STRING,  _, 2900, 0 },
	{ "fixed-cidr",                   0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "fixed-cidr-v6",                0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "graph",                      'g', NULL,                       OT_STRING,  _, 0, 2400 },
	{ "group",                      'G', NULL,                       OT_STRING,  _, 0, 0 },
	{ "help",                       'h', NULL,                       OT_NONE,    B, 0, 0 },
	{ "host",                       'H', "hosts",                    OT_LIST,    _, 0, 0 },
	{ "host-gateway-ip",              0, NULL,                       OT_STRING,  _, 0, 2800 },
	{ "host-gateway-ip",              0, "host-gateway-ips",         OT_LIST,    _, 2800, 0 },
	{ "http-proxy",                   0, NULL,                       OT_STRING,  _, 2300, 0 },
	{ "https-proxy",                  0, NULL,                       OT_STRING,  _, 2300, 0 },
	{ "icc",                          0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "init",                         0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "init-path",                    0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "insecure-registry",            0, "insecure-registries",      OT_LIST,    _, 0, 0 },
	{ "ip",                           0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "ip-forward",                   0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "ip-forward-no-drop",           0, NULL,                       OT_BOOL,    B, 2800, 0 },
	{ "ip-masq",                      0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "allow-direct-routing",         0, NULL,                       OT_BOOL,    B, 2805, 0 },
	{ "ip6tables",                    0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "iptables",                     0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "ipv6",                         0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "label",                        0, "labels",                   OT_LIST,    _, 0, 0 },
	{ "live-restore",                 0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "log-driver",                   0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "log-format",                   0, NULL,                       OT_STRING,  _, 2500, 0 },
	{ "log-level",                  'l', NULL,                       OT_STRING,  _, 0, 0 },
	{ "log-opt",                      0, "log-opts",                 OT_MAP,     _, 0, 0 },
	{ "max-concurrent-downloads",     0, NULL,                       OT_INT,     _, 0, 0 },
	{ "max-concurrent-uploads",       0, NULL,                       OT_INT,     _, 0, 0 },
	{ "max-download-attempts",        0, NULL,                       OT_INT,     _, 0, 0 },
	{ "metrics-addr",                 0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "mtu",                          0, NULL,                       OT_INT,     _, 0, 0 },
	{ "network-control-plane-mtu",    0, NULL,                       OT_INT,     _, 0, 0 },
	{ "network-diagnostic-port",      0, NULL,                       OT_INT,     _, 0, 0 },
	{ "no-new-privileges",            0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "no-proxy",                     0, NULL,                       OT_STRING,  _, 2300, 0 },
	{ "node-generic-resource",        0, "node-generic-resources",   OT_LIST,    _, 0, 0 },
	/* a NamedOption whose flag and key share the name */
	{ "nri-opts",                     0, "nri-opts",                 OT_OBJECT,  _, 2902, 0 },
	{ "oom-score-adjust",             0, NULL,                       OT_INT,     _, 0, 2600 },
	{ "pidfile",                    'p', NULL,                       OT_STRING,  _, 0, 0 },
	{ "raw-logs",                     0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "registry-mirror",              0, "registry-mirrors",         OT_LIST,    _, 0, 0 },
	{ "restart",                    'r', NULL,                       OT_NONE,    B, 0, 0 },
	{ "rootless",                     0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "seccomp-profile",              0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "selinux-enabled",              0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "shutdown-timeout",             0, NULL,                       OT_INT,     _, 0, 0 },
	{ "storage-driver",             's', NULL,                       OT_STRING,  _, 0, 0 },
	{ "storage-opt",                  0, "storage-opts",             OT_LIST,    _, 0, 0 },
	{ "swarm-default-advertise-addr", 0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "tls",                          0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "tlscacert",                    0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "tlscert",                      0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "tlskey",                       0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "tlsverify",                    0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "userland-proxy",               0, NULL,                       OT_BOOL,    B, 0, 0 },
	{ "userland-proxy-path",          0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "userns-remap",                 0, NULL,                       OT_STRING,  _, 0, 0 },
	{ "validate",                     0, NULL,                       OT_NONE,    B, 2300, 0 },
	{ "version",                    'v', NULL,                       OT_NONE,    B, 0, 0 },
	{ NULL, 0, NULL, OT_NONE, _, 0, 0 },
};
/* clang-format on */

static bool in_version(const struct dockerd_option *o, unsigned v)
{
	return (!o->since || v >= o->since) && (!o->until || v < o->until);
}

/* A flag by long name or shorthand. */
const struct dockerd_option *dockerd_flag(const char *name, unsigned v)
{
	bool shorthand = strlen(name) == 1;

	for (const struct dockerd_option *o = options; o->flag; o++)
		if (in_version(o, v) &&
		    (shorthand ? o->shorthand == name[0]
			       : strcmp(o->flag, name) == 0))
			return o;
	return NULL;
}

/* The flag behind a NamedOption key. */
const struct dockerd_option *dockerd_named(const char *key, unsigned v)
{
	for (const struct dockerd_option *o = options; o->flag; o++)
		if (in_version(o, v) && o->named && strcmp(o->named, key) == 0)
			return o;
	return NULL;
}

/* Iterate the options of a version. */
const struct dockerd_option *dockerd_option_next(const struct dockerd_option *o,
						 unsigned v)
{
	o = o ? o + 1 : options;
	while (o->flag && !in_version(o, v))
		o++;
	return o->flag ? o : NULL;
}

/*
 * skipValidateOptions. 28.0 added allow-nondistributable-artifacts (its flag
 * deprecated, then gone in 29.0, the key still skipped); 29.0 added
 * min-api-version, a file-only key with no flag.
 */
bool dockerd_skip_validate(const char *key, unsigned v)
{
	return strcmp(key, "features") == 0 || strcmp(key, "builder") == 0 ||
	       strcmp(key, "deprecated-key-path") == 0 ||
	       (v >= 2800 &&
		strcmp(key, "allow-nondistributable-artifacts") == 0) ||
	       (v >= 2900 && strcmp(key, "min-api-version") == 0);
}

/* flatOptions. */
bool dockerd_flat_option(const char *key, unsigned v)
{
	static const char *const flat[] = {
		"cluster-store-opts", "log-opts", "runtimes",
		"default-ulimits",    "features", "builder"
	};

	for (size_t i = 0; i < ARRAY_SIZE(flat); i++)
		if (strcmp(key, flat[i]) == 0)
			return true;
	return (v >= 2400 && strcmp(key, "default-network-opts") == 0) ||
	       (v >= 2902 && strcmp(key, "nri-opts") == 0);
}

/* Keys with a config field; "graph" and the file-only objects included. */
enum opt_type dockerd_key_type(const char *key, unsigned v)
{
	const struct dockerd_option *o = dockerd_named(key, v);

	if (o)
		return o->type;
	if (strcmp(key, "features") == 0)
		return OT_BOOLMAP;
	if (strcmp(key, "builder") == 0)
		return OT_OBJECT;
	if (v >= 2300 && strcmp(key, "proxies") == 0)
		return OT_OBJECT;
	if (v >= 2900 && strcmp(key, "min-api-version") == 0)
		return OT_STRING;
	o = dockerd_flag(key, v);
	if (!o || strlen(key) == 1)
		return OT_NONE;
	/* a named option's own flag name has no field: "label", "log-opt" */
	return o->named ? OT_NONE : o->type;
}

/* Parse a version string. */
int dockerd_parse_version(const char *s, unsigned *ret)
{
	unsigned major, minor;

	if (*s == 'v')
		s++;
	if (sscanf(s, "%u.%u", &major, &minor) != 2 || major > 99 || minor > 99)
		return -EINVAL;
	*ret = major * 100 + minor;
	return 0;
}

/* Walk dockerd's arguments like pflag. */
int dockerd_walk_argv(char **argv, unsigned v,
		      int (*cb)(void *arg, const char *raw,
				const struct dockerd_option *opt,
				const char *value),
		      void *arg)
{
	size_t argc = strv_length(argv);
	int r = 0;

	for (size_t i = 0; i < argc && r >= 0; i++) {
		const char *a = argv[i], *name, *eq, *value = NULL;
		const struct dockerd_option *o;
		char nm[64];

		if (!*a)
			continue; /* an empty expansion */
		if (a[0] != '-' || !a[1] || strcmp(a, "--") == 0) {
			r = cb(arg, a, NULL, NULL);
			continue;
		}
		name = a[1] == '-' ? a + 2 : a + 1;
		eq = strchr(name, '=');
		snprintf(nm, sizeof(nm), "%.*s",
			 (int)(eq ? (size_t)(eq - name) : strlen(name)), name);
		if (a[1] != '-' && strlen(nm) > 1) {
			/* -Hunix:///x: a shorthand with its value glued on */
			value = name + 1;
			nm[1] = '\0';
		}
		o = dockerd_flag(nm, v);
		if (!o || (a[1] == '-' && strlen(nm) == 1)) {
			r = cb(arg, a, NULL, "");
			continue;
		}
		if (eq)
			value = eq + 1;
		else if (!value && o->bool_flag)
			value = "true";
		else if (!value && i + 1 < argc)
			value = argv[++i];
		else if (!value)
			value = "";
		r = cb(arg, a, o, value);
	}
	return r < 0 ? r : 0;
}
