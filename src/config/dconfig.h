/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon.json judge: the one analysis behind the check
 * config.daemon-json (checks/config-daemon-json.c) and the command
 * 'dockerd-doctor config check' (src/app/cmd-config.c). Both gather its
 * input with dconfig-gather.h and hand it to dconfig_check(), which lives
 * in dconfig-analyze.c and its stages (dconfig-analyze.h lists them).
 * dconfig-effective.c computes the configuration dockerd runs with.
 *
 * daemon.json against the flags dockerd is (or will be) started with:
 * will dockerd accept it? The rules follow moby's daemon/config at the
 * version being checked: the file must be one JSON object (20.10 also
 * refuses an empty file and a BOM, which 23+ accept), no key may be
 * unknown, no key may also be given as a flag (only "runtimes" merges),
 * values must have the field's type, and Validate()'s checks hold.
 *
 * Findings are added to a report under the given check id: critical for
 * "dockerd will refuse to start", warning for accepted but wrong, info.
 * Values shown are credential-masked.
 */
#ifndef DD_DCONFIG_H
#define DD_DCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/report.h"
#include "host/path.h"

/* One source of command-line flags. */
struct dconfig_flags {
	char **argv; /* the arguments after the program name */
	const char *source; /* where they come from, for messages */
	bool from_systemd; /* offer the drop-in fix for 'hosts' */
	/*
	 * With from_systemd, the drop-in that keeps the unit's ExecStart=
	 * but drops its -H/--host arguments (dconfig-gather.h builds it from
	 * the unit read): the file to create and its text. NULL: a generic
	 * remedy. dropin_note: why the drop-in alone is not enough (-H also
	 * comes from a variable), or NULL.
	 */
	const char *dropin_path;
	const char *dropin_text;
	const char *dropin_note;
};

/*
 * The host dockerd would start on, for the rules that depend on it
 * (dconfig-host.c): its files, and whether its network is the one this
 * process sees.
 */
struct dconfig_host {
	/* where /etc/group, runtime binaries, TLS files, /proc are read */
	const struct pathctx *files;
	/*
	 * Routes, addresses and listening sockets are this process's
	 * network namespace's, which is the daemon's. When false, the rules
	 * on address pools and listen addresses are not applied and
	 * net_off says why.
	 */
	bool net;
	const char *net_off;
	/* a running dockerd (0: none): the sockets it holds are its own */
	int daemon_pid;
};

struct dconfig_input {
	const char *check_id;
	const char *path; /* the file, for messages */
	const char *buf; /* its contents */
	size_t len;
	unsigned version; /* dockerd-options.h encoding */
	const char *version_source; /* how the version was chosen */
	const struct dconfig_flags *flags;
	size_t n_flags;
	/* NULL: the rules on this host's facts are not applied, because */
	const struct dconfig_host *host;
	const char *host_off; /* "--offline", "--sysroot names another root" */
};

/*
 * Analyse and add findings. Returns 1 when dockerd would refuse to start,
 * 0 when it would accept, -ENOMEM.
 */
int dconfig_check(const struct dconfig_input *in, struct report *r);

/* json-c object of a buffer known to be one valid JSON value; NULL on ENOMEM. */
struct json_object;
struct json_object *dconfig_parse_object(const char *buf, size_t len);

/* configValuesSet(): one level of unknown objects flattened (new object). */
struct json_object *dconfig_flatten(struct json_object *root, unsigned v);

/*
 * The version whose rules apply: the option (--docker-version), else the
 * daemon's own (from the API), else the newest known. *ret_source says
 * which, for the report.
 */
unsigned dconfig_pick_version(const char *option, const char *daemon_version,
			      const char **ret_source);

/* The version of a dockerd binary and where it was found. */
struct dconfig_binver {
	char version[64]; /* "20.10.24+dfsg1" */
	/*
	 * "no daemon answered: /usr/sbin/dockerd --version (the examined
	 * daemon's /proc/N/exe)"
	 */
	char source[512];
};

/*
 * The version of the dockerd binary (dockerd --version), for when no
 * daemon answers: exe when given and executable (the examined daemon's
 * /proc/PID/exe), else the first dockerd on PATH, else /usr/sbin/dockerd,
 * /usr/bin/dockerd, /usr/local/bin/dockerd. Runs it with a 2 s limit.
 * 0 or -errno (-ENOENT: no dockerd); ret is untouched on failure.
 */
int dconfig_binary_version(const char *exe, struct dconfig_binver *ret);

/*
 * dconfig_binary_version() asked once per exe (NULL: the search) in this
 * process and remembered, for the checks of one run that all need it.
 * NULL when there is no dockerd to ask. Not thread-safe.
 */
const struct dconfig_binver *dconfig_binary_version_once(const char *exe);

/*
 * dconfig_pick_version() with the installed binary's version (bin, may
 * be NULL) between the daemon's and the newest known; *ret_source is
 * then bin->source.
 */
unsigned dconfig_pick_version_bin(const char *option,
				  const char *daemon_version,
				  const struct dconfig_binver *bin,
				  const char **ret_source);

/*
 * The configuration dockerd runs with: its defaults, overridden by the
 * file, overridden by the command line (a key in both places makes dockerd
 * refuse to start, so either wins). Other checks read the real exec-root,
 * hosts, DNS and network switches from here instead of assuming defaults.
 * Booleans are 1/0. Strings and vectors are owned.
 */
struct dconfig_effective {
	char *exec_root;
	char *data_root;
	char *pidfile;
	char *bridge;
	char **hosts;
	char **dns;
	int iptables;
	int ip_forward;
	int live_restore;
	int ipv6;
	int icc; /* inter-container communication on the default bridge */
	/* native.cgroupdriver from exec-opts; NULL: the daemon's default */
	char *cgroup_driver;
	char *config_file; /* the file used, NULL when none */
	/*
	 * TLS of the tcp:// hosts: dockerd turns tls on whenever tlsverify
	 * is given at all (--tlsverify, --tlsverify=false, or the key in
	 * the file). Not seen: DOCKER_TLS_VERIFY in the daemon's environment,
	 * which makes --tlsverify default to true.
	 */
	int tls;
	int tlsverify; /* clients must show a certificate signed by tlscacert */
	char *tlscacert, *tlscert, *tlskey; /* NULL: dockerd's defaults */
};

/*
 * Compute the effective configuration from a file (buf may be NULL: no
 * file, or one that does not parse) and dockerd's arguments (argv without
 * argv[0], may be NULL). 0 or -ENOMEM.
 */
int dconfig_effective(const char *buf, size_t len, char **argv, unsigned v,
		      struct dconfig_effective *ret);

/* Free an effective configuration; safe on a zeroed one. */
void dconfig_effective_release(struct dconfig_effective *e);

#endif
