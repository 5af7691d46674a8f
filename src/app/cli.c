// SPDX-License-Identifier: GPL-2.0-or-later
/* Command-line parsing (see cli.h). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "app/cli.h"
#include "config/dockerd-options.h"
#include "core/util.h"

enum {
	OPT_ONLY = 0x100,
	OPT_SKIP,
	OPT_PID,
	OPT_DAEMON_CONFIG,
	OPT_SYSROOT,
	OPT_NO_COLOR,
	OPT_ALL,
	OPT_MARKDOWN,
	OPT_PROCESS,
	OPT_SAMPLE_DELAY,
	OPT_FLAGS,
	OPT_SYSTEMD_UNIT,
	OPT_DOCKER_VERSION,
	OPT_OFFLINE,
	OPT_PROBE_DNS,
	OPT_KERNEL_CONFIG,
	OPT_LOG_SOURCE,
	OPT_SINCE,
	OPT_LOG_LINES,
	OPT_LOG_RULES,
	OPT_INTERVAL,
	OPT_FOR,
	OPT_ON_CRITICAL,
	OPT_DIR,
};

static const struct option long_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "skip", required_argument, NULL, OPT_SKIP },
	{ "host", required_argument, NULL, 'H' },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "daemon-config", required_argument, NULL, OPT_DAEMON_CONFIG },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "timeout", required_argument, NULL, 't' },
	{ "output", required_argument, NULL, 'o' },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "markdown", no_argument, NULL, OPT_MARKDOWN },
	{ "process", required_argument, NULL, OPT_PROCESS },
	{ "sample-delay", required_argument, NULL, OPT_SAMPLE_DELAY },
	{ "flags", required_argument, NULL, OPT_FLAGS },
	{ "systemd-unit", required_argument, NULL, OPT_SYSTEMD_UNIT },
	{ "docker-version", required_argument, NULL, OPT_DOCKER_VERSION },
	{ "offline", no_argument, NULL, OPT_OFFLINE },
	{ "probe-dns", no_argument, NULL, OPT_PROBE_DNS },
	{ "kernel-config", required_argument, NULL, OPT_KERNEL_CONFIG },
	{ "log-source", required_argument, NULL, OPT_LOG_SOURCE },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "log-lines", required_argument, NULL, OPT_LOG_LINES },
	{ "log-rules", required_argument, NULL, OPT_LOG_RULES },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "for", required_argument, NULL, OPT_FOR },
	{ "on-critical", required_argument, NULL, OPT_ON_CRITICAL },
	{ "dir", required_argument, NULL, OPT_DIR },
	{ NULL, 0, NULL, 0 },
};

/* Print the usage text. */
void cli_usage(FILE *out)
{
	fputs("usage: dockerd-doctor [OPTIONS] [run | list | explain ID]\n"
	      "       dockerd-doctor config check [--flags ARGS] [--systemd-unit FILE]\n"
	      "                                   [--docker-version X.Y] [--offline] FILE\n"
	      "       dockerd-doctor watch [--interval 1s] [--for DURATION]\n"
	      "                            [--on-critical report] [--dir DIR]\n"
	      "\n"
	      "Diagnose the Docker daemon on this host: what is wrong, the evidence,\n"
	      "and how to fix it.\n"
	      "\n"
	      "commands:\n"
	      "  run                 run the checks and print a report (default)\n"
	      "  list                list every check id with a one-line summary\n"
	      "  explain ID          what a check looks at and how to fix what it finds\n"
	      "  config check FILE   would dockerd start with this daemon.json on this\n"
	      "                      host? exit 0: yes, nothing to say; 1: yes, with\n"
	      "                      warnings; 2: it would refuse to start; 3: the\n"
	      "                      file or a fact needed could not be read.\n"
	      "                      --offline (or --sysroot) skips the rules on this\n"
	      "                      host's facts (group, runtime binaries, storage\n"
	      "                      driver, address pools, listen addresses, TLS\n"
	      "                      files), for a file meant for another machine\n"
	      "  watch               follow the logs and the daemon's thread namespaces,\n"
	      "                      print every transition, write a report to --dir\n"
	      "                      when something critical appears\n"
	      "\n"
	      "options:\n"
	      "  -f, --format FMT    text, json, nagios or prometheus (default text)\n"
	      "      --only ID,...   run only these checks\n"
	      "      --skip ID,...   do not run these checks\n"
	      "  -H, --host URL      daemon address (default $DOCKER_HOST, else\n"
	      "                      unix:///var/run/docker.sock)\n"
	      "      --pid PID       examine this dockerd process\n"
	      "      --daemon-config PATH  daemon.json to read\n"
	      "      --sysroot DIR   read /proc, /sys, /etc and /run under DIR\n"
	      "  -t, --timeout SEC   limit for every daemon request (default 3)\n"
	      "  -o, --output FILE   write the report to FILE atomically\n"
	      "      --process NAME|PID  also walk this daemon's threads (netns.stranded)\n"
	      "      --sample-delay SEC  between the two thread samples (default 0.1)\n"
	      "      --probe-dns     send real DNS queries to the servers containers use\n"
	      "      --kernel-config FILE  kernel configuration to read (plain or .gz)\n"
	      "      --log-source SPEC  log source for the ring: auto, none, kmsg, fd,\n"
	      "                      journal[:UNIT[=NAME]], file:PATH[=NAME] (repeatable)\n"
	      "      --since DURATION  log window back from now (default 10m)\n"
	      "      --log-lines N   at most N backlog lines per source (default 2000)\n"
	      "      --log-rules FILE  log rules instead of the installed ones\n"
	      "      --no-color      no colour (also NO_COLOR); colour only on a tty\n"
	      "  -v, --verbose       show evidence for every finding\n"
	      "  -V, --version       print the version\n"
	      "  -h, --help          print this help\n"
	      "\n"
	      "exit status: 0 ok, 1 warning, 2 critical, 3 unknown or usage error\n",
	      out);
}

/* Split "a,b,c" into *v, checking every id against the registry. */
static int add_ids(char ***v, const char *list, char *err, size_t errlen)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int r = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && !r;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!check_find(tok)) {
			snprintf(
				err, errlen,
				"unknown check '%s' (see 'dockerd-doctor list')",
				tok);
			r = -EINVAL;
		} else {
			r = strv_push(v, tok);
		}
	}
	if (!r && strv_length(*v) == 0) {
		snprintf(err, errlen, "empty check list");
		r = -EINVAL;
	}
	free(copy);
	return r;
}

static int set_str(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	return *field ? 0 : -ENOMEM;
}

/* Handle one option; 0 or -EINVAL with err set. */
static int take_option(struct options *o, int c, const char *arg,
		       bool *explain_all, char *err, size_t errlen)
{
	long v;

	switch (c) {
	case 'f':
		if (render_format_from_name(arg, &o->format) < 0) {
			snprintf(
				err, errlen,
				"unknown format '%s' (text, json, nagios, prometheus)",
				arg);
			return -EINVAL;
		}
		return 0;
	case OPT_ONLY:
		return add_ids(&o->only, arg, err, errlen);
	case OPT_SKIP:
		return add_ids(&o->skip, arg, err, errlen);
	case 'H':
		return set_str(&o->host, arg);
	case OPT_PID:
		if (parse_int(arg, 1, 0x7fffffff, &v) < 0) {
			snprintf(err, errlen, "invalid pid '%s'", arg);
			return -EINVAL;
		}
		o->pid = (int)v;
		return 0;
	case OPT_DAEMON_CONFIG:
		return set_str(&o->daemon_config, arg);
	case OPT_SYSROOT:
		return set_str(&o->sysroot, arg);
	case 't':
		if (parse_seconds_ms(arg, &o->timeout_ms) < 0 ||
		    o->timeout_ms < 1 || o->timeout_ms > 3600 * 1000) {
			snprintf(
				err, errlen,
				"invalid timeout '%s' (seconds, e.g. 3 or 0.5)",
				arg);
			return -EINVAL;
		}
		return 0;
	case 'o':
		return set_str(&o->output, arg);
	case OPT_NO_COLOR:
		o->color = 0;
		return 0;
	case 'v':
		o->verbose = true;
		return 0;
	case 'V':
		o->command = CMD_VERSION;
		return 0;
	case 'h':
		o->command = CMD_HELP;
		return 0;
	case OPT_ALL:
		*explain_all = true;
		return 0;
	case OPT_MARKDOWN:
		o->explain_markdown = true;
		return 0;
	case OPT_PROCESS:
		if (!*arg || strchr(arg, '/')) {
			snprintf(err, errlen,
				 "invalid process '%s' (a name or a pid)", arg);
			return -EINVAL;
		}
		return strv_push(&o->processes, arg);
	case OPT_PROBE_DNS:
		o->probe_dns = true;
		return 0;
	case OPT_KERNEL_CONFIG:
		return set_str(&o->kernel_config, arg);
	case OPT_LOG_SOURCE:
		return strv_push(&o->log_sources, arg);
	case OPT_SINCE:
		if (parse_duration_ms(arg, 366LL * 86400 * 1000, &o->since_ms) <
		    0) {
			snprintf(
				err, errlen,
				"invalid duration '%s' (e.g. 90s, 10m, 2h, 1d)",
				arg);
			return -EINVAL;
		}
		return 0;
	case OPT_LOG_LINES:
		if (parse_int(arg, 1, 10000000, &v) < 0) {
			snprintf(err, errlen,
				 "invalid line count '%s' (1 to 10000000)",
				 arg);
			return -EINVAL;
		}
		o->log_lines = v;
		return 0;
	case OPT_LOG_RULES:
		return set_str(&o->log_rules, arg);
	case OPT_INTERVAL:
		if (parse_duration_ms(arg, 3600 * 1000, &o->interval_ms) < 0 ||
		    o->interval_ms < 10) {
			snprintf(err, errlen,
				 "invalid interval '%s' (10ms to 1h, e.g. 1s)",
				 arg);
			return -EINVAL;
		}
		return 0;
	case OPT_FOR:
		if (parse_duration_ms(arg, 366LL * 86400 * 1000, &o->for_ms) <
			    0 ||
		    o->for_ms < 1) {
			snprintf(err, errlen,
				 "invalid duration '%s' (e.g. 30s, 10m, 12h)",
				 arg);
			return -EINVAL;
		}
		return 0;
	case OPT_ON_CRITICAL:
		if (strcmp(arg, "report") == 0)
			return 0;
		if (strcmp(arg, "bundle") == 0)
			snprintf(
				err, errlen,
				"--on-critical bundle: diagnostic bundles are not implemented yet; use report");
		else
			snprintf(err, errlen,
				 "invalid --on-critical '%s' (report)", arg);
		return -EINVAL;
	case OPT_DIR:
		return set_str(&o->watch_dir, arg);
	case OPT_FLAGS:
		return set_str(&o->check_flags, arg);
	case OPT_SYSTEMD_UNIT:
		return set_str(&o->systemd_unit, arg);
	case OPT_OFFLINE:
		o->offline = true;
		return 0;
	case OPT_DOCKER_VERSION:
		if (dockerd_parse_version(arg, &(unsigned){ 0 }) < 0) {
			snprintf(
				err, errlen,
				"invalid Docker version '%s' (e.g. 20.10 or 28.2)",
				arg);
			return -EINVAL;
		}
		return set_str(&o->docker_version, arg);
	case OPT_SAMPLE_DELAY:
		if (parse_seconds_ms(arg, &o->sample_delay_ms) < 0 ||
		    o->sample_delay_ms > 60 * 1000) {
			snprintf(err, errlen,
				 "invalid sample delay '%s' (seconds, 0 to 60)",
				 arg);
			return -EINVAL;
		}
		return 0;
	default:
		snprintf(err, errlen,
			 "unknown option (see 'dockerd-doctor --help')");
		return -EINVAL;
	}
}

/* The subcommand and its arguments. */
static int take_command(struct options *o, int argc, char **argv,
			bool explain_all, char *err, size_t errlen)
{
	const char *cmd = argc > 0 ? argv[0] : "run";

	if (strcmp(cmd, "run") == 0 || strcmp(cmd, "list") == 0) {
		if (argc > 1) {
			snprintf(err, errlen, "'%s' takes no arguments", cmd);
			return -EINVAL;
		}
		if (cmd[0] == 'l')
			o->command = CMD_LIST;
		return 0;
	}
	if (strcmp(cmd, "explain") == 0) {
		o->command = CMD_EXPLAIN;
		if (explain_all && argc == 1)
			return 0;
		if (argc != 2 || explain_all) {
			snprintf(err, errlen,
				 "usage: dockerd-doctor explain ID | --all");
			return -EINVAL;
		}
		if (!check_find(argv[1])) {
			snprintf(
				err, errlen,
				"unknown check '%s' (see 'dockerd-doctor list')",
				argv[1]);
			return -EINVAL;
		}
		return set_str(&o->explain_id, argv[1]);
	}
	if (strcmp(cmd, "config") == 0) {
		if (argc != 3 || strcmp(argv[1], "check") != 0) {
			snprintf(
				err, errlen,
				"usage: dockerd-doctor config check [--flags ARGS] [--systemd-unit FILE] [--docker-version X.Y] [--offline] FILE");
			return -EINVAL;
		}
		o->command = CMD_CONFIG_CHECK;
		return set_str(&o->config_file, argv[2]);
	}
	if (strcmp(cmd, "watch") == 0) {
		if (argc != 1) {
			snprintf(
				err, errlen,
				"usage: dockerd-doctor watch [--interval 1s] [--for DURATION] [--on-critical report] [--dir DIR]");
			return -EINVAL;
		}
		o->command = CMD_WATCH;
		return 0;
	}
	snprintf(err, errlen,
		 "unknown command '%s' (run, list, explain, config, watch)",
		 cmd);
	return -EINVAL;
}

/* Parse the command line. */
int cli_parse(int argc, char **argv, struct options *ret, char *err,
	      size_t errlen)
{
	struct options o = { .timeout_ms = DEFAULT_TIMEOUT_MS,
			     .color = -1,
			     .sample_delay_ms = DEFAULT_SAMPLE_DELAY_MS,
			     .since_ms = DEFAULT_SINCE_MS,
			     .log_lines = DEFAULT_LOG_LINES,
			     .interval_ms = DEFAULT_INTERVAL_MS };
	bool explain_all = false;
	enum command flag_cmd;
	int c, r = 0;

	err[0] = '\0';
	optind = 0; /* full re-initialisation, so tests can call us again */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:H:t:o:vVh", long_options,
				NULL)) != -1) {
		if (c == '?' || c == ':') {
			const char *what = argv[optind - 1];

			snprintf(err, errlen,
				 "%s '%s' (see 'dockerd-doctor --help')",
				 c == '?' ? "unknown option"
					  : "missing argument for",
				 what);
			r = -EINVAL;
			goto out;
		}
		r = take_option(&o, c, optarg, &explain_all, err, errlen);
		if (r < 0)
			goto out;
	}
	flag_cmd = o.command;
	r = take_command(&o, argc - optind, argv + optind, explain_all, err,
			 errlen);
	if (r < 0)
		goto out;
	if (flag_cmd == CMD_HELP || flag_cmd == CMD_VERSION)
		o.command = flag_cmd;
out:
	if (r < 0) {
		if (r == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		options_release(&o);
		return -EINVAL;
	}
	*ret = o;
	return 0;
}

static int dup_env(char **field, const char *name)
{
	const char *v = getenv(name);

	if (!v)
		return 0;
	return set_str(field, v);
}

/* Copy the environment variables the tool honours. */
int cli_load_env(struct options *o)
{
	const char *nc = getenv("NO_COLOR");

	if (nc && *nc)
		o->color = 0;
	if (dup_env(&o->env_docker_host, "DOCKER_HOST") < 0 ||
	    dup_env(&o->env_tls_verify, "DOCKER_TLS_VERIFY") < 0 ||
	    dup_env(&o->env_cert_path, "DOCKER_CERT_PATH") < 0 ||
	    dup_env(&o->env_home, "HOME") < 0)
		return -ENOMEM;
	return 0;
}

/* Free the options' strings. */
void options_release(struct options *o)
{
	free(o->explain_id);
	strv_free(o->only);
	strv_free(o->skip);
	strv_free(o->processes);
	free(o->config_file);
	free(o->check_flags);
	free(o->systemd_unit);
	free(o->docker_version);
	free(o->kernel_config);
	strv_free(o->log_sources);
	free(o->log_rules);
	free(o->watch_dir);
	free(o->host);
	free(o->daemon_config);
	free(o->sysroot);
	free(o->output);
	free(o->env_docker_host);
	free(o->env_tls_verify);
	free(o->env_cert_path);
	free(o->env_home);
	memset(o, 0, sizeof(*o));
}
