/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line options, parsed into a struct without side effects. */
#ifndef DD_CLI_H
#define DD_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "render/render.h"

#define DEFAULT_TIMEOUT_MS 3000
#define DEFAULT_SAMPLE_DELAY_MS 100
#define DEFAULT_SINCE_MS (10LL * 60 * 1000)
#define DEFAULT_LOG_LINES 2000
#define DEFAULT_INTERVAL_MS 1000

enum command {
	CMD_RUN = 0,
	CMD_LIST,
	CMD_EXPLAIN,
	CMD_HELP,
	CMD_VERSION,
	CMD_CONFIG_CHECK,
	CMD_WATCH,
};

struct options {
	enum command command;
	char *explain_id; /* explain ID; NULL with --all */
	bool explain_markdown; /* explain --markdown (doc/checks.md) */
	enum render_format format;
	char **only; /* check ids; NULL means all */
	char **skip;
	char *host; /* --host, NULL when not given */
	int pid; /* --pid, 0 when not given */
	char *daemon_config;
	char *sysroot;
	long timeout_ms;
	char *output; /* -o FILE */
	int color; /* -1 auto, 0 never (--no-color, NO_COLOR) */
	char **processes; /* --process NAME|PID: more daemons to walk */
	long sample_delay_ms; /* --sample-delay: between two thread samples */
	char *config_file; /* config check FILE */
	char *check_flags; /* config check --flags "ARGS" */
	char *systemd_unit; /* config check --systemd-unit FILE */
	char *docker_version; /* --docker-version X.Y */
	bool offline; /* config check --offline: no rules on this host's facts */
	bool probe_dns; /* --probe-dns: active DNS queries (dns.resolver) */
	char *kernel_config; /* --kernel-config FILE (kernel.config) */
	/* the log ring */
	char **log_sources; /* --log-source SPEC, repeatable; NULL: auto */
	long long since_ms; /* --since: the window, back from now */
	long log_lines; /* --log-lines: backlog cap per source */
	char *log_rules; /* --log-rules FILE instead of the installed one */
	/* watch */
	long long interval_ms; /* --interval (default 1 s) */
	long long for_ms; /* --for: stop after, 0 runs until a signal */
	char *watch_dir; /* --dir: where reports go (default .) */
	bool verbose;
	/* from the environment, filled by cli_load_env() */
	char *env_docker_host;
	char *env_tls_verify;
	char *env_cert_path;
	char *env_home;
};

/*
 * Parse argv into ret (initialised here). Returns 0, or -EINVAL with a
 * one-line message in err (usage error: exit 3). Check ids in --only and
 * --skip must exist.
 */
int cli_parse(int argc, char **argv, struct options *ret, char *err,
	      size_t errlen);

/* Copy DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, HOME, NO_COLOR. */
int cli_load_env(struct options *o);

/* Free the strings of an options struct. */
void options_release(struct options *o);

/* The --help text. */
void cli_usage(FILE *out);

#endif
