/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A check: one file in checks/, one const struct check, listed once in
 * checks/checks.def. A check looks at the host through the context's
 * adapters and adds findings to the report; it never prints.
 */
#ifndef DD_CHECK_H
#define DD_CHECK_H

#include "core/report.h"

struct ctx;

/* What a check needs; the runner reports it unknown when one is missing. */
enum check_need {
	NEED_ROOT = 1 << 0, /* effective uid 0 */
	NEED_DAEMON = 1 << 1, /* a dockerd process was found */
	NEED_API = 1 << 2, /* the daemon API answered */
	NEED_NETLINK = 1 << 3, /* a NETLINK_ROUTE socket can be opened */
};

struct check {
	const char *id; /* stable dotted id, part of the contract */
	const char *summary; /* one line, for 'list' */
	const char *explain; /* what, why and how to fix; for 'explain' */
	unsigned needs; /* enum check_need bits */
	/*
	 * Add findings to r. Returns 0, or -errno when the check could not
	 * evaluate; the runner then adds an unknown finding giving the reason
	 * (ctx_error() text if the check set one, else strerror).
	 */
	int (*run)(struct ctx *ctx, struct report *r);
};

/* The registry, in report order (checks/checks.def). */
extern const struct check *const check_table[];
extern const size_t check_count;

/* Look a check up by id; NULL when there is none. */
const struct check *check_find(const char *id);

#endif
