/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fixture trees for parser tests: a fake /proc, /etc, /run under a temp dir. */
#ifndef DD_TEST_FIXTURE_H
#define DD_TEST_FIXTURE_H

#include <stddef.h>

struct fixture {
	char root[256];
};

/* Create an empty tree under /tmp; aborts the test on failure. */
void fixture_init(struct fixture *fx);

/* Write a file (parents created); len -1 means strlen(data). */
void fixture_write(struct fixture *fx, const char *path, const char *data,
		   long len);

/* printf-style path variant of fixture_write() for text content. */
void fixture_writef(struct fixture *fx, const char *data, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Create a symlink path -> target (parents created). */
void fixture_symlink(struct fixture *fx, const char *path, const char *target);

/* Create a directory (and parents). */
void fixture_mkdir(struct fixture *fx, const char *path);

/*
 * Add a fake process: /proc/PID/{stat,comm,cmdline}. argv is a
 * NULL-terminated vector; comm is argv[0]'s basename.
 */
void fixture_process(struct fixture *fx, int pid, int ppid,
		     const char *const *argv);

/* Remove the tree. */
void fixture_release(struct fixture *fx);

struct report;
struct finding;
struct check;
struct options;
struct ctx;

/*
 * Run check c as the runner does, with the options o (their sysroot set to
 * fx's root when fx is not NULL), log the findings, and assert that run()
 * returns expect. The context's error message (why the check could not
 * evaluate) is copied into err when err is not NULL. Returns the report.
 */
struct report *fixture_run_check(struct fixture *fx, const struct check *c,
				 const struct options *o, int expect, char *err,
				 size_t size);

/* fixture_run_check() with prep(ctx, data) called before the run. */
struct report *fixture_run_check_prep(struct fixture *fx, const struct check *c,
				      const struct options *o, int expect,
				      void (*prep)(struct ctx *, void *),
				      void *data);

/* The first finding of a severity whose summary contains text, or NULL. */
const struct finding *test_find(const struct report *r, int sev,
				const char *text);

/* The value of an evidence key of f (may be NULL), or NULL. */
const char *test_evidence(const struct finding *f, const char *key);

/* How many findings of a severity r has. */
size_t test_count_sev(const struct report *r, int sev);

/* Log every finding of r (check, severity, summary) to the test's output. */
void test_log_findings(const struct report *r);

#endif
