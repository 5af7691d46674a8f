// SPDX-License-Identifier: GPL-2.0-or-later
/* Fixture trees for parser tests. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "core/check.h"
#include "core/context.h"
#include "core/report.h"

/* Create an empty tree. */
void fixture_init(struct fixture *fx)
{
	strcpy(fx->root, "/tmp/dd-fixture.XXXXXX");
	cr_assert_not_null(mkdtemp(fx->root), "mkdtemp: %s", strerror(errno));
}

/* mkdir -p of the parent of path (inside the tree). */
static void make_parents(const char *full)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", full);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			cr_assert_fail("mkdir %s: %s", buf, strerror(errno));
		*p = '/';
	}
}

/* Write a file. */
void fixture_write(struct fixture *fx, const char *path, const char *data,
		   long len)
{
	char full[512];
	FILE *fp;

	snprintf(full, sizeof(full), "%s%s", fx->root, path);
	make_parents(full);
	fp = fopen(full, "w");
	cr_assert_not_null(fp, "fopen %s: %s", full, strerror(errno));
	if (len < 0)
		len = (long)strlen(data);
	cr_assert_eq(fwrite(data, 1, len, fp), (size_t)len);
	cr_assert_eq(fclose(fp), 0);
}

/* Write a file, printf-style path. */
void fixture_writef(struct fixture *fx, const char *data, const char *fmt, ...)
{
	char path[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	fixture_write(fx, path, data, -1);
}

/* Make a symlink. */
void fixture_symlink(struct fixture *fx, const char *path, const char *target)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s", fx->root, path);
	make_parents(full);
	cr_assert_eq(symlink(target, full), 0, "symlink %s: %s", full,
		     strerror(errno));
}

/* Make a directory. */
void fixture_mkdir(struct fixture *fx, const char *path)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s/", fx->root, path);
	make_parents(full);
}

/* Add a fake process. */
void fixture_process(struct fixture *fx, int pid, int ppid,
		     const char *const *argv)
{
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1
						 : argv[0];
	char stat[512], cmdline[4096], comm[64];
	size_t len = 0;

	snprintf(
		stat, sizeof(stat),
		"%d (%s) S %d %d %d 0 -1 4194560 100 0 0 0 10 5 0 0 20 0 7 0 12345 1000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
		pid, base, ppid, pid, pid);
	fixture_writef(fx, stat, "/proc/%d/stat", pid);
	snprintf(comm, sizeof(comm), "%s\n", base);
	fixture_writef(fx, comm, "/proc/%d/comm", pid);
	for (size_t i = 0; argv[i]; i++) {
		size_t n = strlen(argv[i]) + 1;

		memcpy(cmdline + len, argv[i], n);
		len += n;
	}
	snprintf(stat, sizeof(stat), "/proc/%d/cmdline", pid);
	fixture_write(fx, stat, cmdline, (long)len);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove the tree. */
void fixture_release(struct fixture *fx)
{
	if (fx->root[0])
		nftw(fx->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	fx->root[0] = '\0';
}

/* Run a check against the tree. */
/* Run c over fx with o: prep (may be NULL) sets the context up first. */
static struct report *run_check(struct fixture *fx, const struct check *c,
				const struct options *o, int expect,
				void (*prep)(struct ctx *, void *), void *data,
				char *err, size_t size)
{
	struct options opts = *o;
	struct report *r = report_new();
	struct ctx ctx;
	int ret;

	if (fx)
		opts.sysroot = fx->root;
	cr_assert_eq(ctx_init(&ctx, &opts), 0);
	if (prep)
		prep(&ctx, data);
	ret = c->run(&ctx, r);
	cr_assert_eq(ret, expect, "%s: run: %d, not %d: %s", c->id, ret, expect,
		     ctx.error);
	if (ret < 0)
		cr_log_info("error: %s", ctx.error);
	test_log_findings(r);
	if (err)
		snprintf(err, size, "%s", ctx.error);
	ctx_release(&ctx);
	return r;
}

struct report *fixture_run_check(struct fixture *fx, const struct check *c,
				 const struct options *o, int expect, char *err,
				 size_t size)
{
	return run_check(fx, c, o, expect, NULL, NULL, err, size);
}

struct report *fixture_run_check_prep(struct fixture *fx, const struct check *c,
				      const struct options *o, int expect,
				      void (*prep)(struct ctx *, void *),
				      void *data)
{
	return run_check(fx, c, o, expect, prep, data, NULL, 0);
}

/* Find a finding by severity and summary text. */
const struct finding *test_find(const struct report *r, int sev,
				const char *text)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if ((int)r->findings[i].severity == sev &&
		    strstr(r->findings[i].summary, text))
			return &r->findings[i];
	return NULL;
}

/* Look up an evidence value. */
const char *test_evidence(const struct finding *f, const char *key)
{
	for (size_t i = 0; f && i < f->n_evidence; i++)
		if (strcmp(f->evidence[i].key, key) == 0)
			return f->evidence[i].value;
	return NULL;
}

/* Count findings of a severity. */
size_t test_count_sev(const struct report *r, int sev)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_findings; i++)
		n += (int)r->findings[i].severity == sev;
	return n;
}

/* Log the findings. */
void test_log_findings(const struct report *r)
{
	for (size_t i = 0; i < r->n_findings; i++)
		cr_log_info("%s %s %s", r->findings[i].check,
			    severity_name(r->findings[i].severity),
			    r->findings[i].summary);
}
