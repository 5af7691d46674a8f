// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which log sources there are (see logsrc_discover() in logsrc.h): the
 * journal's units, the files dockerd's and containerd's fd 1 and 2 point
 * at, the usual files, the kernel log, or what the --log-source specs
 * name. Each source is opened here, read-only, and read by logsrc.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log/logsrc-private.h"
#include "core/util.h"

/* ---- the set ---------------------------------------------------------- */

static void lsrc_free(struct lsrc *p)
{
	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	if (p->dirfd >= 0)
		close(p->dirfd);
#ifdef HAVE_SYSTEMD
	if (p->j)
		sd_journal_close(p->j);
#endif
	free(p->base);
	free(p->partial);
	free(p->buf);
	free(p);
}

static struct lsrc *lsrc_new(void)
{
	struct lsrc *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->fd = -1;
	p->dirfd = -1;
	p->user_source = -1;
#ifdef HAVE_SYSTEMD
	p->jfd = -1;
#endif
	return p;
}

void logsrc_set_release(struct logsrc_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		lsrc_free(set->v[i].priv);
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

/*
 * Append a source (priv may be NULL for a source in error); takes priv.
 * The pointer is valid until the next set_add(). NULL on ENOMEM.
 */
static struct logsrc *set_add(struct logsrc_set *set, enum logsrc_kind kind,
			      const char *name, const char *where,
			      const char *why, struct lsrc *priv)
{
	struct logsrc *nv = reallocarray(set->v, set->n + 1, sizeof(*nv));
	struct logsrc *s;

	if (!nv) {
		lsrc_free(priv);
		return NULL;
	}
	set->v = nv;
	s = &set->v[set->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	strscpy(s->name, name, sizeof(s->name));
	strscpy(s->where, where, sizeof(s->where));
	strscpy(s->why, why, sizeof(s->why));
	s->ring_source = -1;
	s->priv = priv;
	return s;
}

/* Append a source that could not be opened, with its one-line reason. */
static int set_add_error(struct logsrc_set *set, enum logsrc_kind kind,
			 const char *name, const char *where, const char *why,
			 int err, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
static int set_add_error(struct logsrc_set *set, enum logsrc_kind kind,
			 const char *name, const char *where, const char *why,
			 int err, const char *fmt, ...)
{
	struct logsrc *s = set_add(set, kind, name, where, why, NULL);
	va_list ap;

	if (!s)
		return -ENOMEM;
	s->err = err;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	return 0;
}

/* Add to a source's why ("dockerd fd 2; containerd fd 2"). */
static void why_append(struct logsrc *s, const char *why)
{
	size_t n = strlen(s->why);

	if (!why[0] || strstr(s->why, why))
		return;
	if (n)
		snprintf(s->why + n, sizeof(s->why) - n, "; %s", why);
	else
		strscpy(s->why, why, sizeof(s->why));
}

/* The file source reading the same file (device and inode), or NULL. */
static struct logsrc *find_file(struct logsrc_set *set, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < set->n; i++) {
		struct lsrc *p = set->v[i].priv;

		if (p && p->fd >= 0 && !p->kmsg_dev &&
		    set->v[i].kind != LOGSRC_JOURNAL && p->dev == dev &&
		    p->ino == ino)
			return &set->v[i];
	}
	return NULL;
}

/* The first source of a kind and name, or NULL. */
static struct logsrc *find_source(struct logsrc_set *set, enum logsrc_kind kind,
				  const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i].kind == kind && strcmp(set->v[i].name, name) == 0)
			return &set->v[i];
	return NULL;
}

/*
 * Open a regular file under the root: through its directory (so rotation
 * can be seen later), else through alt (a /proc/PID/fd/N link, which
 * reaches a deleted file or one in another mount namespace). An unreadable
 * file becomes a source in error. 0 or -ENOMEM.
 */
static int add_file(struct logsrc_set *set, const struct pathctx *pc,
		    enum logsrc_kind kind, const char *path, const char *alt,
		    const char *name, const char *why)
{
	const char *slash = strrchr(path, '/');
	struct lsrc *p = lsrc_new();
	struct logsrc *s;
	struct stat st;
	char *dir = NULL;
	int r = -ENOENT;

	if (!p)
		return -ENOMEM;
	if (slash && slash[1]) {
		dir = strndup(path, (size_t)(slash - path) + 1);
		p->base = strdup(slash + 1);
		if (!dir || !p->base) {
			free(dir);
			lsrc_free(p);
			return -ENOMEM;
		}
		r = path_open(pc, dir, O_PATH | O_DIRECTORY);
		free(dir);
		if (r >= 0) {
			p->dirfd = r;
			p->fd = openat(p->dirfd, p->base,
				       O_RDONLY | O_NOCTTY | O_NONBLOCK |
					       O_CLOEXEC);
			r = p->fd < 0 ? -errno : 0;
		}
	}
	if (r < 0 && alt) {
		int fd = path_open(pc, alt, O_RDONLY | O_NOCTTY | O_NONBLOCK);

		if (fd >= 0) {
			if (p->dirfd >= 0)
				close(p->dirfd);
			p->dirfd = -1;
			p->fd = fd;
			r = 0;
		}
	}
	if (r < 0) {
		lsrc_free(p);
		return set_add_error(set, kind, name, path, why, r,
				     "cannot open %s: %s", path, strerror(-r));
	}
	if (fstat(p->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		lsrc_free(p);
		return set_add_error(set, kind, name, path, why, -EINVAL,
				     "%s is not a regular file", path);
	}
	p->dev = st.st_dev;
	p->ino = st.st_ino;
	s = find_file(set, p->dev, p->ino);
	if (s) {
		why_append(s, why);
		lsrc_free(p);
		return 0;
	}
	p->kmsg_fmt = kind == LOGSRC_KMSG;
	p->partial = malloc(PARTIAL_MAX + 1);
	p->buf = malloc(READ_CHUNK);
	if (!p->partial || !p->buf) {
		lsrc_free(p);
		return -ENOMEM;
	}
	if (p->kmsg_fmt)
		p->boot_us =
			clock_us(CLOCK_REALTIME) - clock_us(CLOCK_MONOTONIC);
	return set_add(set, kind, name, path, why, p) ? 0 : -ENOMEM;
}

/*
 * The kernel log. /dev/kmsg is read O_NONBLOCK, one record per read();
 * under a sysroot it may be a regular file of records, one a line.
 */
static int add_kmsg(struct logsrc_set *set, const struct pathctx *pc,
		    const char *why)
{
	struct lsrc *p;
	struct stat st;
	int fd;

	fd = path_open(pc, "/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		char *v = NULL;
		int r = fd;

		if (r == -EPERM || r == -EACCES) {
			if (path_read_file(pc,
					   "/proc/sys/kernel/dmesg_restrict",
					   64, &v, NULL) == 0)
				v[strcspn(v, "\n")] = '\0';
			r = set_add_error(
				set, LOGSRC_KMSG, "kernel", "/dev/kmsg", why,
				fd,
				"cannot read /dev/kmsg: %s (kernel.dmesg_restrict=%s: "
				"reading the kernel log needs CAP_SYSLOG; run as root)",
				strerror(-fd), v ? v : "?");
			free(v);
			return r;
		}
		return set_add_error(set, LOGSRC_KMSG, "kernel", "/dev/kmsg",
				     why, fd, "cannot open /dev/kmsg: %s",
				     strerror(-fd));
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		close(fd);
		return add_file(set, pc, LOGSRC_KMSG, "/dev/kmsg", NULL,
				"kernel", why);
	}
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode)) {
		close(fd);
		return set_add_error(set, LOGSRC_KMSG, "kernel", "/dev/kmsg",
				     why, -EINVAL,
				     "/dev/kmsg is neither a character device "
				     "nor a file of records");
	}
	p = lsrc_new();
	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	p->fd = fd;
	p->kmsg_dev = true;
	p->kmsg_fmt = true;
	/*
	 * Record times are local_clock() since boot, which, like
	 * CLOCK_MONOTONIC, stands still during suspend: realtime minus
	 * monotonic is the boot time in that clock.
	 */
	p->boot_us = clock_us(CLOCK_REALTIME) - clock_us(CLOCK_MONOTONIC);
	p->buf = malloc(KMSG_RECORD_MAX);
	if (!p->buf) {
		lsrc_free(p);
		return -ENOMEM;
	}
	return set_add(set, LOGSRC_KMSG, "kernel", "/dev/kmsg", why, p)
		       ? 0
		       : -ENOMEM;
}

/*
 * A journal source for one unit. auto_mode: added only when the journal
 * has entries for the unit (and silently left out when it cannot be
 * opened); otherwise always added, in error when it cannot be read.
 */
static int add_journal(struct logsrc_set *set, const struct pathctx *pc,
		       const char *unit, const char *name, const char *why,
		       bool auto_mode)
{
	char where[256];

	snprintf(where, sizeof(where), "journal:%s", unit);
#ifdef HAVE_SYSTEMD
	struct lsrc *p = lsrc_new();
	char match[300];
	int r;

	if (!p)
		return -ENOMEM;
	/* the sysroot's /var/log/journal and /run/log/journal */
	if (pathctx_is_sysroot(pc))
		r = sd_journal_open_directory(&p->j, pc->root,
					      SD_JOURNAL_OS_ROOT);
	else
		r = sd_journal_open(&p->j,
				    SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
	if (r < 0) {
		p->j = NULL;
		lsrc_free(p);
		if (auto_mode)
			return 0;
		return set_add_error(set, LOGSRC_JOURNAL, name, where, why, r,
				     "cannot open the systemd journal%s%s: %s",
				     pathctx_is_sysroot(pc) ? " under " : "",
				     pathctx_is_sysroot(pc) ? pc->root : "",
				     strerror(-r));
	}
	snprintf(match, sizeof(match), "_SYSTEMD_UNIT=%s", unit);
	r = sd_journal_add_match(p->j, match, 0);
	if (r >= 0)
		r = sd_journal_seek_tail(p->j);
	if (r >= 0 && auto_mode) {
		r = sd_journal_previous(p->j);
		if (r == 0) {
			/* no entries for the unit */
			lsrc_free(p);
			return 0;
		}
		if (r > 0)
			r = sd_journal_seek_tail(p->j);
	}
	if (r < 0) {
		lsrc_free(p);
		if (auto_mode)
			return 0;
		return set_add_error(
			set, LOGSRC_JOURNAL, name, where, why, r,
			"cannot read the systemd journal for %s: %s", unit,
			strerror(-r));
	}
	/* set up the inotify watch now, so nothing is missed after load */
	p->jfd = sd_journal_get_fd(p->j);
	if (p->jfd < 0)
		p->jfd = -1;
	return set_add(set, LOGSRC_JOURNAL, name, where, why, p) ? 0 : -ENOMEM;
#else
	(void)pc;
	if (auto_mode)
		return 0;
	return set_add_error(set, LOGSRC_JOURNAL, name, where, why, -EOPNOTSUPP,
			     "cannot read %s from the systemd journal: "
			     "dockerd-doctor was built without libsystemd",
			     unit);
#endif
}

static const char *stream_name(int mask)
{
	return mask == 3   ? "stdout and stderr"
	       : mask == 1 ? "stdout"
			   : "stderr";
}

/*
 * What a process's fd 1 and 2 point at: regular files become file
 * sources; a pipe or socket (journald, a supervisor), a terminal or
 * /dev/null is said so, unless the journal already covers the process.
 * skip: targets to ignore (containerd started by dockerd shares dockerd's
 * fds). ret_targets (may be NULL) gets fd 1's and 2's targets.
 */
static int add_process_fds(struct logsrc_set *set, const struct pathctx *pc,
			   int pid, const char *name, char *const *skip,
			   char **ret_targets)
{
	char *t[2] = { NULL, NULL };
	int err[2] = { 0, 0 }, r = 0;

	for (int i = 0; i < 2; i++)
		err[i] =
			path_readlinkf(pc, &t[i], "/proc/%d/fd/%d", pid, i + 1);
	for (int i = 0; i < 2 && r == 0; i++) {
		char where[64], why[96], alt[64];
		int mask = 1 << i;
		const char *tg = t[i];
		struct logsrc *js;
		size_t tl;

		snprintf(where, sizeof(where), "/proc/%d/fd/%d", pid, i + 1);
		if (err[i] < 0) {
			if (err[i] == -ENOENT || (i == 1 && err[0] == err[1]))
				continue;
			if (i == 0 && err[1] == err[0])
				mask = 3;
			r = set_add_error(
				set, LOGSRC_FILE, name, where, "", err[i],
				"cannot read %s (%s's %s): %s%s", where, name,
				stream_name(mask), strerror(-err[i]),
				err[i] == -EACCES || err[i] == -EPERM
					? "; run as root to find its log"
					: "");
			continue;
		}
		if (i == 1 && t[0] && strcmp(t[0], t[1]) == 0)
			continue;
		if (i == 0 && t[1] && strcmp(t[0], t[1]) == 0)
			mask = 3;
		if (skip &&
		    ((skip[0] && strcmp(skip[0], tg) == 0) ||
		     (skip[1] && strcmp(skip[1], tg) == 0)) &&
		    tg[0] != '/')
			continue;
		snprintf(why, sizeof(why), "%s %s", name,
			 mask == 3   ? "fd 1 and 2"
			 : mask == 1 ? "fd 1"
				     : "fd 2");
		snprintf(alt, sizeof(alt), "/proc/%d/fd/%d", pid, i + 1);
		tl = strlen(tg);
		if (tg[0] == '/' && tl > 10 &&
		    strcmp(tg + tl - 10, " (deleted)") == 0) {
			char w[128];

			snprintf(w, sizeof(w), "%s (deleted file)", why);
			r = add_file(set, pc, LOGSRC_FILE, alt, NULL, name, w);
			continue;
		}
		if (tg[0] == '/') {
			struct stat st;
			int sr = path_stat(pc, tg, true, &st);

			if (strcmp(tg, "/dev/null") == 0) {
				r = set_add_error(
					set, LOGSRC_FILE, name, where, why,
					-ENODATA,
					"%s's %s go%s to /dev/null: its log is discarded",
					name, stream_name(mask),
					mask == 3 ? "" : "es");
				continue;
			}
			if (startswith(tg, "/dev/pts/") ||
			    startswith(tg, "/dev/tty") ||
			    strcmp(tg, "/dev/console") == 0) {
				r = set_add_error(
					set, LOGSRC_FILE, name, where, why,
					-ENOTSUP,
					"%s's %s go%s to the terminal %s: not readable",
					name, stream_name(mask),
					mask == 3 ? "" : "es", tg);
				continue;
			}
			if (sr == 0 && !S_ISREG(st.st_mode)) {
				r = set_add_error(
					set, LOGSRC_FILE, name, where, why,
					-ENOTSUP,
					"%s's %s go%s to %s, not a regular file",
					name, stream_name(mask),
					mask == 3 ? "" : "es", tg);
				continue;
			}
			/* not found here: another mount namespace; the
			 * /proc link still reaches it (live root only) */
			r = add_file(set, pc, LOGSRC_FILE, tg,
				     pathctx_is_sysroot(pc) ? NULL : alt, name,
				     why);
			continue;
		}
		/* pipe:[N], socket:[N], anon_inode:... */
		js = find_source(set, LOGSRC_JOURNAL, name);
		if (js && !js->err) {
			char w[160];

			snprintf(w, sizeof(w), "%s is %.40s", why, tg);
			why_append(js, w);
			continue;
		}
		r = set_add_error(
			set, LOGSRC_FILE, name, where, why, -ENOTSUP,
			"%s's %s go%s to %s: journald or a supervisor holds it, and %s; "
			"name the log with --log-source journal:UNIT or file:PATH",
			name, stream_name(mask), mask == 3 ? "" : "es", tg,
#ifdef HAVE_SYSTEMD
			"the journal has no entries for its unit"
#else
			"this build cannot read the journal (no libsystemd)"
#endif
		);
	}
	if (ret_targets) {
		ret_targets[0] = t[0];
		ret_targets[1] = t[1];
	} else {
		free(t[0]);
		free(t[1]);
	}
	return r;
}

/* The usual files when they exist. */
static int add_usual_files(struct logsrc_set *set, const struct pathctx *pc)
{
	static const struct {
		const char *path, *name;
	} files[] = {
		{ "/var/log/docker.log", "dockerd" },
		{ "/var/log/upstart/docker.log", "dockerd" },
		{ "/var/log/containerd.log", "containerd" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct stat st;
		int r;

		if (path_stat(pc, files[i].path, true, &st) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		r = add_file(set, pc, LOGSRC_FILE, files[i].path, NULL,
			     files[i].name, "usual file");
		if (r < 0)
			return r;
	}
	return 0;
}

/* The automatic choice (see logsrc.h). */
static int discover_auto(struct logsrc_set *set, const struct pathctx *pc,
			 const struct logsrc_options *o)
{
	char *dt[2] = { NULL, NULL };
	int r;

	r = add_journal(set, pc, "docker.service", "dockerd",
			"docker.service has entries in the journal", true);
	if (r == 0)
		r = add_journal(set, pc, "containerd.service", "containerd",
				"containerd.service has entries in the journal",
				true);
	if (r == 0 && o->dockerd_pid > 0)
		r = add_process_fds(set, pc, o->dockerd_pid, "dockerd", NULL,
				    dt);
	if (r == 0 && o->containerd_pid > 0 &&
	    o->containerd_pid != o->dockerd_pid)
		r = add_process_fds(set, pc, o->containerd_pid, "containerd",
				    dt, NULL);
	free(dt[0]);
	free(dt[1]);
	if (r == 0)
		r = add_usual_files(set, pc);
	if (r == 0)
		r = add_kmsg(set, pc, "auto");
	return r;
}

int logsrc_discover(const struct pathctx *pc, const struct logsrc_options *o,
		    struct logsrc_set *ret, char *err, size_t errlen)
{
	size_t nspecs = strv_length(o->specs);
	struct spec *specs = NULL;
	bool none = false;
	int r = 0;

	ret->v = NULL;
	ret->n = 0;
	if (errlen)
		err[0] = '\0';
	if (nspecs) {
		specs = calloc(nspecs, sizeof(*specs));
		if (!specs)
			return -ENOMEM;
	}
	/* every spec is checked before anything is opened */
	for (size_t i = 0; i < nspecs; i++) {
		if (!lsrc_spec_parse(o->specs[i], &specs[i], err, errlen)) {
			free(specs);
			return -EINVAL;
		}
		if (specs[i].kind == SPEC_NONE)
			none = true;
	}
	if (none && nspecs > 1) {
		snprintf(err, errlen,
			 "invalid log source 'none': it turns every source off "
			 "and cannot be combined with others " SPEC_HELP);
		free(specs);
		return -EINVAL;
	}
	if (nspecs == 0)
		r = discover_auto(ret, pc, o);
	for (size_t i = 0; i < nspecs && r == 0; i++) {
		struct spec *sp = &specs[i];
		char where[300];

		switch (sp->kind) {
		case SPEC_NONE:
			break;
		case SPEC_AUTO:
			r = discover_auto(ret, pc, o);
			break;
		case SPEC_KMSG:
			if (!find_source(ret, LOGSRC_KMSG, "kernel"))
				r = add_kmsg(ret, pc, "--log-source kmsg");
			break;
		case SPEC_JOURNAL:
			if (!sp->arg[0]) {
				if (!find_source(ret, LOGSRC_JOURNAL,
						 "dockerd"))
					r = add_journal(ret, pc,
							"docker.service",
							"dockerd",
							"--log-source journal",
							false);
				if (r == 0 && !find_source(ret, LOGSRC_JOURNAL,
							   "containerd"))
					r = add_journal(ret, pc,
							"containerd.service",
							"containerd",
							"--log-source journal",
							false);
				break;
			}
			snprintf(where, sizeof(where), "journal:%s", sp->arg);
			for (size_t k = 0; k < ret->n; k++)
				if (strcmp(ret->v[k].where, where) == 0)
					goto next;
			r = add_journal(ret, pc, sp->arg, sp->name,
					"--log-source", false);
			break;
		case SPEC_FILE:
			r = add_file(ret, pc, LOGSRC_FILE, sp->arg, NULL,
				     sp->name, "--log-source");
			break;
		case SPEC_FD:
			if (o->dockerd_pid <= 0)
				r = set_add_error(
					ret, LOGSRC_FILE, "dockerd",
					"/proc/<dockerd>/fd", "--log-source fd",
					-ESRCH,
					"no dockerd process: its fd 1 and 2 cannot be read");
			else
				r = add_process_fds(ret, pc, o->dockerd_pid,
						    "dockerd", NULL, NULL);
			break;
		}
next:;
	}
	free(specs);
	if (r < 0) {
		logsrc_set_release(ret);
		if (errlen)
			snprintf(err, errlen,
				 "cannot choose the log sources: %s",
				 strerror(-r));
	}
	return r;
}
