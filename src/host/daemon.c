// SPDX-License-Identifier: GPL-2.0-or-later
/* dockerd discovery from /proc (see daemon.h). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/daemon.h"
#include "core/util.h"

/*
 * dockerd's boolean flags: pflag lets them stand alone, so they take no
 * following value. Every other flag takes one ("-H x" or "-H=x").
 */
static const char *const bool_flags[] = {
	"D",
	"debug",
	"tls",
	"tlsverify",
	"iptables",
	"ip6tables",
	"ip-forward",
	"ip-masq",
	"ipv6",
	"icc",
	"userland-proxy",
	"live-restore",
	"init",
	"experimental",
	"selinux-enabled",
	"no-new-privileges",
	"raw-logs",
	"rootless",
	"cri-containerd",
	"validate",
	"v",
	"version",
	"h",
	"help",
	"ip-forward-no-drop",
	"allow-direct-routing",
};

static bool is_bool_flag(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(bool_flags); i++)
		if (strlen(bool_flags[i]) == len &&
		    strncmp(bool_flags[i], name, len) == 0)
			return true;
	return false;
}

/* Store a flag value in the field it belongs to. */
static int take_value(struct dockerd_proc *d, const char *name, size_t len,
		      const char *value)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "p", offsetof(struct dockerd_proc, pidfile) },
		{ "pidfile", offsetof(struct dockerd_proc, pidfile) },
		{ "exec-root", offsetof(struct dockerd_proc, exec_root) },
		{ "data-root", offsetof(struct dockerd_proc, data_root) },
		{ "g", offsetof(struct dockerd_proc, data_root) },
		{ "graph", offsetof(struct dockerd_proc, data_root) },
		{ "config-file", offsetof(struct dockerd_proc, config_file) },
		{ "containerd", offsetof(struct dockerd_proc, containerd) },
	};

	if ((len == 1 && name[0] == 'H') ||
	    (len == 4 && strncmp(name, "host", 4) == 0))
		return strv_push(&d->hosts, value);
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		char **field = (char **)((char *)d + fields[i].off);

		if (strlen(fields[i].name) != len ||
		    strncmp(fields[i].name, name, len) != 0)
			continue;
		free(*field);
		*field = strdup(value);
		return *field ? 0 : -ENOMEM;
	}
	return 0;
}

/* Parse the flags of a dockerd command line that discovery needs. */
int dockerd_parse_argv(char **argv, struct dockerd_proc *d)
{
	size_t argc = strv_length(argv);

	for (size_t i = 1; i < argc; i++) {
		const char *a = argv[i], *name, *eq, *value;
		size_t len;
		int r;

		if (strcmp(a, "--") == 0)
			break;
		if (a[0] != '-' || a[1] == '\0')
			continue;
		name = a[1] == '-' ? a + 2 : a + 1;
		eq = strchr(name, '=');
		if (a[1] != '-' && !eq && name[1] && !is_bool_flag(name, 1)) {
			/* -Hunix:///x: a shorthand glued to its value */
			len = 1;
			value = name + 1;
		} else {
			len = eq ? (size_t)(eq - name) : strlen(name);
			if (eq)
				value = eq + 1;
			else if (is_bool_flag(name, len))
				continue;
			else if (i + 1 < argc)
				value = argv[++i];
			else
				continue;
		}
		r = take_value(d, name, len, value);
		if (r < 0)
			return r;
	}
	return 0;
}

static void dockerd_release(struct dockerd_proc *d)
{
	strv_free(d->argv);
	free(d->pidfile);
	free(d->exec_root);
	free(d->data_root);
	free(d->config_file);
	free(d->containerd);
	strv_free(d->hosts);
}

/* Free a daemon set. */
void daemon_set_free(struct daemon_set *ds)
{
	if (!ds)
		return;
	for (size_t i = 0; i < ds->n; i++)
		dockerd_release(&ds->procs[i]);
	free(ds->procs);
	free(ds->pidfile);
	free(ds->containerd);
	free(ds->all);
	free(ds);
}

/* The selected daemon. */
const struct dockerd_proc *daemon_selected(const struct daemon_set *ds)
{
	return ds && ds->selected >= 0 ? &ds->procs[ds->selected] : NULL;
}

/* Words for a pick reason. */
const char *daemon_pick_name(enum daemon_pick pick)
{
	switch (pick) {
	case PICK_PID_OPTION:
		return "--pid";
	case PICK_API_SOCKET:
		return "it holds the API socket";
	case PICK_HOST_FLAG:
		return "its -H names the API socket";
	case PICK_PIDFILE:
		return "the pidfile names it";
	case PICK_ONLY:
		return "the only dockerd";
	case PICK_LOWEST:
		return "the lowest pid of several";
	default:
		return "none";
	}
}

/* Start time in seconds since the epoch. */
long long daemon_start_time(const struct daemon_set *ds,
			    const struct procstat *st)
{
	if (!ds->btime || ds->clk_tck <= 0)
		return 0;
	return (long long)(ds->btime + st->starttime / ds->clk_tck);
}

/* Add one process found by the scan; ENOENT/ESRCH mean it is gone. */
static int add_dockerd(const struct pathctx *pc, struct daemon_set *ds,
		       const struct procstat *st)
{
	struct dockerd_proc d = { .st = *st, .serves_api = -ENODATA };
	struct dockerd_proc *np;
	int r;

	r = procfs_read_cmdline(pc, st->pid, &d.argv);
	if (r == -ENOENT || r == -ESRCH)
		return 0;
	if (r < 0)
		return r;
	r = dockerd_parse_argv(d.argv, &d);
	if (r < 0)
		goto fail;
	np = reallocarray(ds->procs, ds->n + 1, sizeof(*np));
	if (!np) {
		r = -ENOMEM;
		goto fail;
	}
	ds->procs = np;
	ds->procs[ds->n++] = d;
	return 0;
fail:
	dockerd_release(&d);
	return r;
}

static int add_containerd(struct daemon_set *ds, const struct procstat *st)
{
	struct procstat *np =
		reallocarray(ds->containerd, ds->n_containerd + 1, sizeof(*np));

	if (!np)
		return -ENOMEM;
	ds->containerd = np;
	ds->containerd[ds->n_containerd++] = *st;
	return 0;
}

/* Walk /proc once: dockerd and containerd processes. */
/* Remember every process, for checks that look for other programs. */
static int add_any(struct daemon_set *ds, const struct procstat *st)
{
	struct procstat *n;

	if (ds->n_all % 64 == 0) {
		n = realloc(ds->all, (ds->n_all + 64) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		ds->all = n;
	}
	ds->all[ds->n_all++] = *st;
	return 0;
}

/* Find processes by comm. */
const struct procstat *daemon_set_find_comm(const struct daemon_set *ds,
					    const char *comm, size_t *ret_count)
{
	const struct procstat *first = NULL;
	size_t n = 0;

	for (size_t i = 0; ds && i < ds->n_all; i++) {
		if (strcmp(ds->all[i].comm, comm) != 0)
			continue;
		if (!first)
			first = &ds->all[i];
		n++;
	}
	if (ret_count)
		*ret_count = n;
	return first;
}

static int scan(const struct pathctx *pc, struct daemon_set *ds)
{
	int *pids = NULL;
	int n, r = 0;

	n = procfs_list_pids(pc, &pids);
	if (n < 0)
		return n;
	for (int i = 0; i < n && r >= 0; i++) {
		struct procstat st;

		/* a process that exited since readdir is simply skipped */
		if (procfs_read_stat(pc, pids[i], &st) < 0)
			continue;
		r = add_any(ds, &st);
		if (r < 0)
			break;
		if (strcmp(st.comm, "dockerd") == 0)
			r = add_dockerd(pc, ds, &st);
		else if (strcmp(st.comm, "containerd") == 0)
			r = add_containerd(ds, &st);
	}
	free(pids);
	return r;
}

static int find_index(const struct daemon_set *ds, int pid)
{
	for (size_t i = 0; i < ds->n; i++)
		if (ds->procs[i].st.pid == pid)
			return (int)i;
	return -1;
}

/* Which dockerd holds the API socket, from /proc/net/unix and fd tables. */
static void match_api_socket(const struct pathctx *pc, struct daemon_set *ds,
			     const struct daemon_query *q)
{
	unsigned long *inodes = NULL;
	char *buf = NULL, *uri = NULL;
	int n;

	if (!q->api_socket)
		return;
	if (path_read_file(pc, "/proc/net/unix", 64 << 20, &buf, NULL) == 0) {
		n = procfs_parse_net_unix(buf, q->api_socket, &inodes);
		for (size_t i = 0; n > 0 && i < ds->n; i++)
			ds->procs[i].serves_api = procfs_pid_holds_socket(
				pc, ds->procs[i].st.pid, inodes, n);
		if (n == 0)
			for (size_t i = 0; i < ds->n; i++)
				ds->procs[i].serves_api = 0;
	}
	if (asprintf(&uri, "unix://%s", q->api_socket) < 0)
		uri = NULL;
	for (size_t i = 0; uri && i < ds->n; i++)
		ds->procs[i].names_api = strv_contains(ds->procs[i].hosts, uri);
	free(uri);
	free(inodes);
	free(buf);
}

/* Pick the daemon to examine, in the order documented in daemon.h. */
static void pick(struct daemon_set *ds, const struct daemon_query *q,
		 int default_pidfile_pid)
{
	bool definitive = true;
	int idx;

	ds->selected = -1;
	if (q->want_pid) {
		idx = find_index(ds, q->want_pid);
		ds->selected = idx;
		ds->picked_by = idx >= 0 ? PICK_PID_OPTION : PICK_NONE;
		return;
	}
	for (size_t i = 0; i < ds->n; i++) {
		if (ds->procs[i].serves_api == 1) {
			ds->selected = (int)i;
			ds->picked_by = PICK_API_SOCKET;
			return;
		}
		if (ds->procs[i].serves_api < 0)
			definitive = false;
	}
	for (size_t i = 0; i < ds->n; i++) {
		if (ds->procs[i].names_api) {
			ds->selected = (int)i;
			ds->picked_by = PICK_HOST_FLAG;
			return;
		}
	}
	if (q->api_socket && q->api_explicit && ds->n && definitive) {
		/* the user named a socket, and no dockerd serves it */
		ds->api_mismatch = true;
		return;
	}
	idx = default_pidfile_pid ? find_index(ds, default_pidfile_pid) : -1;
	if (idx >= 0) {
		ds->selected = idx;
		ds->picked_by = PICK_PIDFILE;
	} else if (ds->n) {
		ds->selected = 0;
		ds->picked_by = ds->n == 1 ? PICK_ONLY : PICK_LOWEST;
	}
}

/* Read a pidfile: its pid and whether that process is alive. */
static void read_pidfile(const struct pathctx *pc, struct daemon_set *ds,
			 const char *path)
{
	char *buf = NULL;
	long pid;

	free(ds->pidfile);
	ds->pidfile = strdup(path);
	ds->pidfile_pid = 0;
	ds->pidfile_alive = 0;
	ds->pidfile_comm[0] = '\0';
	ds->pidfile_err = path_read_file(pc, path, 4096, &buf, NULL);
	if (ds->pidfile_err < 0)
		return;
	buf[strcspn(buf, " \t\r\n")] = '\0';
	if (parse_int(buf, 1, INT32_MAX, &pid) < 0) {
		ds->pidfile_err = -EINVAL;
	} else {
		ds->pidfile_pid = (int)pid;
		ds->pidfile_alive =
			procfs_read_comm(pc, (int)pid, ds->pidfile_comm,
					 sizeof(ds->pidfile_comm)) == 0;
	}
	free(buf);
}

/* Boot time and clock ticks, to turn start ticks into wall time. */
static void read_btime(const struct pathctx *pc, struct daemon_set *ds)
{
	char *buf = NULL;

	ds->clk_tck = sysconf(_SC_CLK_TCK);
	if (path_read_file(pc, "/proc/stat", 1 << 20, &buf, NULL) == 0)
		procfs_parse_btime(buf, &ds->btime);
	free(buf);
}

/* Scan /proc and pick the daemon. */
int daemon_find(const struct pathctx *pc, const struct daemon_query *q,
		struct daemon_set **ret)
{
	struct daemon_set *ds = calloc(1, sizeof(*ds));
	const struct dockerd_proc *sel;
	int default_pid, r;

	if (!ds)
		return -ENOMEM;
	ds->selected = -1;
	ds->want_pid = q->want_pid;
	r = scan(pc, ds);
	if (r < 0)
		goto fail;
	read_btime(pc, ds);
	if (q->want_pid && find_index(ds, q->want_pid) < 0) {
		r = procfs_read_comm(pc, q->want_pid, ds->want_pid_comm,
				     sizeof(ds->want_pid_comm));
		ds->want_pid_err = r < 0 ? -ESRCH : 0;
	}
	if (ds->n)
		match_api_socket(pc, ds, q);
	read_pidfile(pc, ds, DEFAULT_PIDFILE);
	default_pid = ds->pidfile_alive ? ds->pidfile_pid : 0;
	pick(ds, q, default_pid);
	sel = daemon_selected(ds);
	if (sel && sel->pidfile && strcmp(sel->pidfile, DEFAULT_PIDFILE) != 0)
		read_pidfile(pc, ds, sel->pidfile);
	if (!ds->pidfile) {
		r = -ENOMEM;
		goto fail;
	}
	*ret = ds;
	return 0;
fail:
	daemon_set_free(ds);
	return r;
}
