/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runner: runs the selected checks in registry order into a report. */
#ifndef DD_RUNNER_H
#define DD_RUNNER_H

#include <stdbool.h>

#include "core/check.h"
#include "core/context.h"

/* Is this check selected by --only and --skip? */
bool runner_selected(const struct options *o, const struct check *c);

/*
 * Why a check cannot run here (a missing need), written into buf; false
 * when it can run.
 */
bool runner_missing_need(struct ctx *ctx, const struct check *c, char *buf,
			 size_t size);

/*
 * Run every selected check and fill the report's metadata. A check that
 * cannot run, or returns -errno, becomes an unknown finding with the
 * reason. Returns 0 or -ENOMEM.
 */
int runner_run(struct ctx *ctx, struct report *r);

#endif
