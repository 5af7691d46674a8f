// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Nagios plugin output: one status line with performance data, then
 * one long-text line per finding that is not ok. See the Nagios plugin
 * development guidelines: '|' starts performance data anywhere in the
 * output, so it may not appear in any text we pass on.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "render/render.h"
#include "render/render-util.h"

/* Write s as valid UTF-8 with '|' made '/' and controls made spaces. */
static int nagios_text(FILE *out, const char *s)
{
	char *clean = NULL;
	int ret;

	ret = render_utf8_sanitize(s, &clean);
	if (ret < 0)
		return ret;
	for (const unsigned char *p = (unsigned char *)clean; *p; p++) {
		if (*p == '|') {
			fputc('/', out);
		} else if (*p < 0x20 || *p == 0x7f) {
			fputc(' ', out);
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* A C1 control (U+0080..U+009F), e.g. CSI. */
			fputc(' ', out);
			p++;
		} else {
			fputc(*p, out);
		}
	}
	free(clean);
	return 0;
}

/* Write "check: summary" of a finding. */
static int nagios_finding(FILE *out, const struct finding *f)
{
	int ret;

	ret = nagios_text(out, f->check);
	if (ret == 0) {
		fputs(": ", out);
		ret = nagios_text(out, f->summary);
	}
	return ret;
}

/* Write the text part of the status line. */
static int nagios_status(FILE *out, const struct report *r, const size_t *order)
{
	size_t problems = 0, checks;
	int ret;

	for (size_t i = 0; i < r->n_findings; i++)
		if (r->findings[i].severity >= SEV_UNKNOWN)
			problems++;
	if (problems > 0) {
		ret = nagios_finding(out, &r->findings[order[0]]);
		if (ret < 0)
			return ret;
		if (problems == 2)
			fputs(" (+1 more problem)", out);
		else if (problems > 2)
			fprintf(out, " (+%zu more problems)", problems - 1);
		return 0;
	}
	checks = render_check_count(r);
	if (checks == 0)
		fputs("no checks ran", out);
	else
		fprintf(out, "%zu check%s ok", checks, checks == 1 ? "" : "s");
	return 0;
}

/* Render the report as Nagios plugin output. */
int render_nagios(const struct report *r, FILE *out,
		  const struct render_opts *opts)
{
	enum severity worst = report_worst(r);
	size_t counts[SEV__COUNT];
	char secs[RENDER_BUF_MAX];
	size_t *order;
	int ret;

	order = calloc(r->n_findings + 1, sizeof(*order));
	if (!order)
		return -ENOMEM;
	report_order(r, order);
	report_count(r, counts);

	fprintf(out, "DOCKERD-DOCTOR %s - ",
		worst <= SEV_INFO ? "OK" : severity_label(worst));
	ret = nagios_status(out, r, order);
	if (ret < 0)
		goto out;
	render_seconds(secs, r->duration, 6, true);
	fprintf(out,
		" | critical=%zu;;;0 warning=%zu;;;0 unknown=%zu;;;0"
		" info=%zu;;;0 ok=%zu;;;0 time=%ss;;;0\n",
		counts[SEV_CRITICAL], counts[SEV_WARNING], counts[SEV_UNKNOWN],
		counts[SEV_INFO], counts[SEV_OK], secs);

	for (size_t k = 0; k < r->n_findings; k++) {
		const struct finding *f = &r->findings[order[k]];

		if (f->severity == SEV_OK)
			continue;
		fprintf(out, "%s: ", severity_label(f->severity));
		ret = nagios_finding(out, f);
		if (ret < 0)
			goto out;
		fputc('\n', out);
	}
	ret = render_finish(out);
out:
	free(order);
	return ret;
}
