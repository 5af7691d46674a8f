// SPDX-License-Identifier: GPL-2.0-or-later
/* daemon.process: is dockerd running, which one, and is containerd? */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/check.h"
#include "core/context.h"
#include "core/util.h"

#define ID "daemon.process"

static const char *or_default(const char *v, const char *def)
{
	return v ? v : def;
}

/* Seconds as "3d 4h", "2h 5m", "42s". */
static void fmt_age(long long s, char *buf, size_t size)
{
	if (s >= 86400)
		snprintf(buf, size, "%lldd %lldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, size, "%lldh %lldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, size, "%lldm %llds", s / 60, s % 60);
	else
		snprintf(buf, size, "%llds", s < 0 ? 0 : s);
}

/* Evidence describing one dockerd process. */
static void add_process_evidence(struct finding *f, const struct daemon_set *ds,
				 const struct dockerd_proc *d,
				 const struct dconfig_effective *e)
{
	long long started = daemon_start_time(ds, &d->st);
	char *cmd = strv_join_masked(d->argv, 1024);
	char *hosts = strv_join_masked(d->hosts, 512);

	finding_add_evidence(f, "pid", "%d", d->st.pid);
	finding_add_evidence(f, "ppid", "%d", d->st.ppid);
	finding_add_evidence(f, "threads", "%ld", d->st.num_threads);
	if (started) {
		char when[32];
		time_t t = (time_t)started;
		struct tm tm;

		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ",
			 gmtime_r(&t, &tm));
		finding_add_evidence(f, "started", "%s", when);
	}
	finding_add_evidence(f, "cmdline", "%s", cmd ? cmd : "?");
	finding_add_evidence(f, "hosts", "%s",
			     hosts && *hosts ? hosts : "(default)");
	/* flags, daemon.json and defaults together */
	finding_add_evidence(f, "pidfile", "%s", e->pidfile);
	finding_add_evidence(f, "exec_root", "%s", e->exec_root);
	finding_add_evidence(f, "data_root", "%s", e->data_root);
	finding_add_evidence(f, "live_restore", "%s",
			     e->live_restore ? "yes" : "no");
	if (e->config_file)
		finding_add_evidence(f, "config_file", "%s", e->config_file);
	free(cmd);
	free(hosts);
}

/* A one-line list of every dockerd: "1234 (data-root /x), 5678 (...)". */
static char *list_daemons(const struct daemon_set *ds)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);

	if (!fp)
		return NULL;
	for (size_t i = 0; i < ds->n; i++)
		fprintf(fp, "%s%d (data-root %s)", i ? ", " : "",
			ds->procs[i].st.pid,
			or_default(ds->procs[i].data_root, DEFAULT_DATA_ROOT));
	if (fclose(fp) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* No dockerd to examine: say why, with what the pidfile says. */
static void report_not_running(struct ctx *ctx, const struct daemon_set *ds,
			       struct report *r)
{
	const struct api_state *api = ctx_api_endpoint(ctx);
	const char *sock = api && !api->endpoint_err ? api->display : "?";
	char *others = list_daemons(ds);
	struct finding *f;

	if (ds->want_pid && ds->want_pid_err)
		f = report_add(
			r, ID, SEV_CRITICAL,
			"no process with pid %d (--pid): dockerd is not running there",
			ds->want_pid);
	else if (ds->want_pid)
		f = report_add(r, ID, SEV_CRITICAL,
			       "pid %d (--pid) is '%s', not dockerd",
			       ds->want_pid, ds->want_pid_comm);
	else if (ds->api_mismatch)
		f = report_add(r, ID, SEV_CRITICAL, "no dockerd serves %s",
			       sock);
	else
		f = report_add(r, ID, SEV_CRITICAL, "dockerd is not running");
	if (ds->n)
		finding_set_detail(
			f, "Other dockerd processes run on this host: %s.",
			others ? others : "?");
	else if (ds->pidfile_pid && ds->pidfile_alive)
		finding_set_detail(
			f,
			"The pidfile '%s' names pid %d, which is now '%s': dockerd refuses to start while the pid in its pidfile belongs to a live process (\"pid file found, ensure docker is not running or delete %s\").",
			ds->pidfile, ds->pidfile_pid, ds->pidfile_comm,
			ds->pidfile);
	else if (ds->pidfile_pid)
		finding_set_detail(
			f,
			"The pidfile '%s' names pid %d, which has exited: dockerd stopped or crashed without cleaning up.",
			ds->pidfile, ds->pidfile_pid);
	else
		finding_set_detail(
			f,
			"No process named dockerd exists and there is no pidfile at '%s'.",
			ds->pidfile);
	finding_set_remedy(
		f,
		"Start the daemon (systemctl start docker, or service docker start) and read why it stopped: journalctl -u docker.service -n 100 (or /var/log/docker.log). If it refuses to start, 'dockerd-doctor config check /etc/docker/daemon.json' checks its configuration (as 'dockerd --validate' does on Docker 23 and later).");
	finding_add_evidence(f, "dockerd_processes", "%zu", ds->n);
	finding_add_evidence(f, "pidfile", "%s", ds->pidfile);
	if (ds->pidfile_err)
		finding_add_evidence(f, "pidfile_error", "%s",
				     strerror(-ds->pidfile_err));
	else
		finding_add_evidence(f, "pidfile_pid", "%d", ds->pidfile_pid);
	finding_add_evidence(f, "api", "%s", sock);
	free(others);
}

/* Several daemons: name them; two on one data-root or exec-root is bad. */
static void report_several(const struct daemon_set *ds, struct report *r)
{
	const struct dockerd_proc *sel = daemon_selected(ds);
	char *all = list_daemons(ds);
	struct finding *f = NULL;

	for (size_t i = 0; i < ds->n && !f; i++) {
		for (size_t j = i + 1; j < ds->n && !f; j++) {
			const struct dockerd_proc *a = &ds->procs[i];
			const struct dockerd_proc *b = &ds->procs[j];
			const char *ra =
				or_default(a->data_root, DEFAULT_DATA_ROOT);
			const char *rb =
				or_default(b->data_root, DEFAULT_DATA_ROOT);
			const char *ea =
				or_default(a->exec_root, DEFAULT_EXEC_ROOT);
			const char *eb =
				or_default(b->exec_root, DEFAULT_EXEC_ROOT);

			if (strcmp(ra, rb) != 0 && strcmp(ea, eb) != 0)
				continue;
			f = report_add(r, ID, SEV_CRITICAL,
				       "dockerd %d and %d share %s '%s'",
				       a->st.pid, b->st.pid,
				       strcmp(ra, rb) == 0 ? "data-root"
							   : "exec-root",
				       strcmp(ra, rb) == 0 ? ra : ea);
			finding_set_detail(
				f,
				"Two daemons on one data-root or exec-root overwrite each other's state (containers, images, network namespaces).");
			finding_set_remedy(
				f,
				"Stop the leftover daemon (kill PID) or give each daemon its own --data-root, --exec-root, --pidfile and -H socket.");
		}
	}
	f = report_add(r, ID, SEV_INFO, "%zu dockerd processes run: %s", ds->n,
		       all ? all : "?");
	if (sel)
		finding_set_detail(
			f,
			"Examining pid %d (%s). Rootless and system daemons can run side by side; pick another with --pid.",
			sel->st.pid, daemon_pick_name(ds->picked_by));
	free(all);
}

/* Compare the pidfile with the running daemon. */
static void report_pidfile(const struct daemon_set *ds,
			   const struct dockerd_proc *d, struct report *r)
{
	struct finding *f;

	if (ds->pidfile_pid == d->st.pid)
		return;
	if (ds->pidfile_err == -ENOENT)
		f = report_add(r, ID, SEV_WARNING, "pidfile '%s' is missing",
			       ds->pidfile);
	else if (ds->pidfile_err)
		f = report_add(r, ID, SEV_WARNING,
			       "cannot read pidfile '%s': %s", ds->pidfile,
			       ds->pidfile_err == -EINVAL
				       ? "not a process id"
				       : strerror(-ds->pidfile_err));
	else
		f = report_add(
			r, ID, SEV_WARNING,
			"pidfile '%s' names pid %d, not the running dockerd %d",
			ds->pidfile, ds->pidfile_pid, d->st.pid);
	finding_set_detail(
		f,
		"Init scripts (service docker status/stop) act on the pid in the pidfile, so they will miss or hit the wrong process.");
	finding_set_remedy(
		f,
		"Restart the daemon through its service manager so that it rewrites its pidfile, and make sure no other daemon uses the same --pidfile.");
	finding_add_evidence(f, "pidfile", "%s", ds->pidfile);
	finding_add_evidence(f, "pid", "%d", d->st.pid);
}

/* The dockerd a process is a child of, or NULL. */
static const struct dockerd_proc *parent_dockerd(const struct daemon_set *ds,
						 const struct procstat *st)
{
	for (size_t i = 0; i < ds->n; i++)
		if (ds->procs[i].st.pid == st->ppid)
			return &ds->procs[i];
	return NULL;
}

/*
 * The containerd of the examined daemon: its own child, else one that no
 * dockerd started (a system service, which 20.10 uses when its socket is
 * there or --containerd names it). Another daemon's child is not it.
 * Without a daemon, any containerd.
 */
static const struct procstat *own_containerd(const struct daemon_set *ds,
					     const struct dockerd_proc *d,
					     const struct procstat **ret_other)
{
	const struct procstat *service = NULL;

	*ret_other = NULL;
	for (size_t i = 0; i < ds->n_containerd; i++) {
		const struct procstat *c = &ds->containerd[i];

		if (d && c->ppid == d->st.pid)
			return c;
		if (!parent_dockerd(ds, c)) {
			if (!service)
				service = c;
		} else if (!*ret_other) {
			*ret_other = c;
		}
	}
	if (!d && !service)
		return *ret_other;
	return service;
}

/* containerd: managed by dockerd (its child), a system one, or none. */
static void report_containerd(const struct daemon_set *ds,
			      const struct dockerd_proc *d, struct report *r)
{
	const struct procstat *c, *other;
	const struct dockerd_proc *parent;
	struct finding *f;

	c = own_containerd(ds, d, &other);
	if (c) {
		parent = parent_dockerd(ds, c);
		f = report_add(r, ID, d ? SEV_OK : SEV_INFO,
			       "containerd is running (pid %d, %s)", c->pid,
			       parent ? "started by dockerd"
				      : "a separate service");
		finding_add_evidence(f, "containerd_pid", "%d", c->pid);
		if (parent)
			finding_add_evidence(f, "parent_dockerd", "%d",
					     parent->st.pid);
		finding_add_evidence(f, "containerd_processes", "%zu",
				     ds->n_containerd);
		return;
	}
	f = report_add(r, ID, d ? SEV_WARNING : SEV_INFO,
		       "containerd is not running%s%s",
		       d && d->containerd ? " where this host can see it" : "",
		       other ? " for this dockerd" : "");
	finding_set_detail(
		f,
		"dockerd runs containers through containerd; without it containers cannot start or be managed.%s%s",
		d && d->containerd
			? " dockerd uses an external containerd (--containerd), which may run in another PID namespace."
			: "",
		other ? " The containerd that runs belongs to another dockerd (its child): it is not this daemon's."
		      : "");
	if (other)
		finding_add_evidence(f, "other_containerd",
				     "%d (child of dockerd %d)", other->pid,
				     other->ppid);
	finding_set_remedy(
		f,
		"Start it (systemctl start containerd) or restart dockerd, which starts its own containerd when none is configured; see journalctl -u containerd.");
}

/* The check. */
static int run(struct ctx *ctx, struct report *r)
{
	const struct daemon_set *ds = ctx_daemons(ctx);
	const struct dockerd_proc *d;
	struct finding *f;
	char age[32];
	long long started;

	if (!ds)
		return ctx_error(ctx, ctx->daemons_err,
				 "cannot scan '%s/proc': %s", ctx->root.root,
				 strerror(-ctx->daemons_err));
	d = daemon_selected(ds);
	if (ds->n > 1)
		report_several(ds, r);
	if (!d) {
		report_not_running(ctx, ds, r);
		report_containerd(ds, NULL, r);
		return 0;
	}
	started = daemon_start_time(ds, &d->st);
	fmt_age(started ? (long long)time(NULL) - started : 0, age,
		sizeof(age));
	f = report_add(r, ID, SEV_OK, "dockerd is running (pid %d, up %s)",
		       d->st.pid, age);
	finding_add_evidence(f, "picked_by", "%s",
			     daemon_pick_name(ds->picked_by));
	add_process_evidence(f, ds, d, ctx_effective(ctx));
	report_pidfile(ds, d, r);
	report_containerd(ds, d, r);
	return 0;
}

const struct check check_daemon_process = {
	.id = ID,
	.summary =
		"is dockerd running, which one is examined, and is containerd running",
	.needs = 0,
	.run = run,
	.explain =
		"Looks for dockerd processes in /proc (by the command name\n"
		"'dockerd'), and picks the one to examine: the one given with --pid,\n"
		"else the one holding the API socket open (from /proc/net/unix and\n"
		"/proc/PID/fd), else the one whose -H names that socket, else the\n"
		"one the default pidfile /var/run/docker.pid names. It reads the\n"
		"daemon's command line for --pidfile, --exec-root, --data-root,\n"
		"--config-file and -H, compares the pidfile with the running\n"
		"process, and looks for containerd.\n"
		"\n"
		"Findings:\n"
		"- critical 'dockerd is not running': no daemon; the detail says\n"
		"  what the pidfile shows (a stale pid, or a pid reused by another\n"
		"  process, which makes dockerd refuse to start). Fix: start it\n"
		"  (systemctl start docker) and read journalctl -u docker.service.\n"
		"- critical 'no dockerd serves SOCKET': --host or DOCKER_HOST names\n"
		"  a socket no running dockerd holds. Fix: point the client at the\n"
		"  right socket, or start that daemon.\n"
		"- critical 'no process with pid N (--pid)' / 'pid N is X, not\n"
		"  dockerd'.\n"
		"- critical 'dockerd A and B share data-root': two daemons on one\n"
		"  state directory corrupt each other. Fix: stop the leftover one.\n"
		"- info 'N dockerd processes run': rootless and system daemons can\n"
		"  coexist; the report says which one it examined and why.\n"
		"- warning 'pidfile ... names pid N, not the running dockerd' or\n"
		"  missing: init scripts act on the wrong process. Fix: restart the\n"
		"  daemon through its service manager.\n"
		"- warning 'containerd is not running': containers cannot start.\n"
		"  Fix: systemctl start containerd, or restart dockerd.\n"
		"- ok 'dockerd is running (pid N, up T)', with the command line\n"
		"  (credentials masked), pidfile, exec-root and data-root as evidence.\n",
};
