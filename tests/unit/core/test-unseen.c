// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "Unknown is never reported as ok" (the man page's promise), for every
 * check in the registry: each check runs, as the runner runs it, as an
 * unprivileged user over a tree whose every folder it may not read: no
 * finding may be ok then.
 * Needs root (to drop to nobody); skips otherwise.
 */
#define _GNU_SOURCE
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "core/check.h"
#include "core/context.h"
#include "core/runner.h"

#define NOBODY 65534

static const char *const locked[] = { "/proc", "/sys",	"/etc", "/run", "/var",
				      "/dev",  "/boot", "/lib", "/usr" };

/* A tree of folders only root may enter. */
static void locked_tree(struct fixture *fx)
{
	char path[512];

	fixture_init(fx);
	cr_assert_eq(chmod(fx->root, 0755), 0);
	for (size_t i = 0; i < sizeof(locked) / sizeof(locked[0]); i++) {
		fixture_mkdir(fx, locked[i]);
		snprintf(path, sizeof(path), "%s%s", fx->root, locked[i]);
		cr_assert_eq(chmod(path, 0700), 0);
	}
}

/*
 * In a child that became nobody: run check c over the tree and write one
 * line per offending finding to fd. Exits 0 when there is none.
 */
static void run_as_nobody(const struct fixture *fx, const struct check *c,
			  int fd)
{
	char *only[] = { (char *)c->id, NULL };
	struct options o = { .timeout_ms = 300,
			     .sysroot = (char *)fx->root,
			     .format = FORMAT_JSON,
			     .only = only };
	struct report *r = report_new();
	int bad = 0;
	struct ctx ctx;

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY) || !r ||
	    ctx_init(&ctx, &o) < 0)
		_exit(2);
	runner_run(&ctx, r);
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct finding *f = &r->findings[i];

		if (f->severity == SEV_OK) {
			dprintf(fd, "%s: ok: %s\n", f->check, f->summary);
			bad = 1;
		}
	}
	ctx_release(&ctx);
	report_free(r);
	_exit(bad);
}

Test(unseen, no_check_is_ok_over_inputs_it_could_not_read)
{
	struct fixture fx;

	if (geteuid() != 0)
		cr_skip_test("needs root to become an unprivileged user");
	locked_tree(&fx);
	for (size_t i = 0; i < check_count; i++) {
		const struct check *c = check_table[i];
		char out[4096] = "";
		int p[2], status;
		ssize_t n;
		pid_t pid;

		cr_assert_eq(pipe(p), 0);
		pid = fork();
		cr_assert_geq(pid, 0);
		if (pid == 0) {
			close(p[0]);
			run_as_nobody(&fx, c, p[1]);
		}
		close(p[1]);
		n = read(p[0], out, sizeof(out) - 1);
		out[n > 0 ? n : 0] = '\0';
		close(p[0]);
		cr_assert_eq(waitpid(pid, &status, 0), pid);
		cr_expect(
			WIFEXITED(status) && WEXITSTATUS(status) == 0,
			"%s reports ok over unreadable inputs (status %d):\n%s",
			c->id, status, out);
	}
	fixture_release(&fx);
}

/* More unreadable inputs than the table holds: none is dropped silently. */
Test(unseen, a_full_table_still_tells_the_check)
{
	struct options o = { .timeout_ms = 300 };
	struct ctx ctx;

	cr_assert_eq(ctx_init(&ctx, &o), 0);
	for (int i = 0; i < CTX_UNSEEN_MAX; i++)
		ctx_unseen(&ctx, -EACCES, "'/input/%d'", i);
	ctx.unseen_now = 0; /* the next check */
	ctx_unseen(&ctx, -EACCES, "'/input/%d'", CTX_UNSEEN_MAX + 7);
	cr_assert_neq(ctx.unseen_now, 0, "the 40th input is not told");
	cr_assert_eq(ctx.n_unseen, CTX_UNSEEN_MAX);
	cr_assert_not_null(
		strstr(ctx.unseen[CTX_UNSEEN_MAX - 1].what, "other inputs"));
	ctx_release(&ctx);
}
