/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Renderers: each turns a report into one output format on a stream.
 * They read only the report (and, later, the log ring). All return 0 or
 * -errno (-EIO when writing failed).
 */
#ifndef DD_RENDER_H
#define DD_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "core/report.h"

enum render_format {
	FORMAT_TEXT = 0,
	FORMAT_JSON,
	FORMAT_NAGIOS,
	FORMAT_PROMETHEUS,
};

struct render_opts {
	bool color; /* ANSI colours (text only) */
	bool verbose; /* text: evidence for every finding, not only problems */
	unsigned width; /* text: wrap column, 0 means 80 */
};

/* JSON schema version written in the "schema" member. */
#define REPORT_SCHEMA "dockerd-doctor/1"

/* Parse a format name; returns 0 or -EINVAL. */
int render_format_from_name(const char *name, enum render_format *ret);

/* Render r in the given format. */
int render(enum render_format fmt, const struct report *r, FILE *out,
	   const struct render_opts *opts);

int render_text(const struct report *r, FILE *out,
		const struct render_opts *opts);
int render_json(const struct report *r, FILE *out,
		const struct render_opts *opts);
int render_nagios(const struct report *r, FILE *out,
		  const struct render_opts *opts);
int render_prometheus(const struct report *r, FILE *out,
		      const struct render_opts *opts);

#endif
