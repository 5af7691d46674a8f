/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Atomic output files (-o FILE): write a temporary file in the same
 * directory, then fsync and rename it over FILE, so that a reader such as
 * node_exporter's textfile collector never sees a partial report.
 */
#ifndef DD_OUTPUT_H
#define DD_OUTPUT_H

#include <stdio.h>

struct output {
	FILE *fp;
	char *path;
	char *tmp;
};

/* Open a temporary file next to path. 0 or -errno. */
int output_open(struct output *o, const char *path);

/* Flush, fsync, chmod 0644 and rename over the target. 0 or -errno. */
int output_commit(struct output *o);

/* Close and remove the temporary file; safe after commit. */
void output_abort(struct output *o);

#endif
