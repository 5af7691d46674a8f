// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Prometheus text exposition format (0.0.4), for node_exporter's
 * textfile collector. All families are gauges. Samples carry no
 * timestamps (the textfile collector rejects them), so the time of the
 * run is a gauge of its own.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "render/render.h"
#include "render/render-util.h"
#include "core/util.h"

#define PROM_PREFIX "dockerd_doctor_"

/* Write the HELP and TYPE lines of a gauge family. */
static void prom_family(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP " PROM_PREFIX "%s %s\n", name, help);
	fprintf(out, "# TYPE " PROM_PREFIX "%s gauge\n", name);
}

/* Write s (NULL: empty) as a label value: valid UTF-8, \\ \" \n escaped. */
static int prom_value(FILE *out, const char *s)
{
	char *clean = NULL;
	int ret;

	ret = render_utf8_sanitize(s ? s : "", &clean);
	if (ret < 0)
		return ret;
	fputc('"', out);
	for (const char *p = clean; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '"')
			fputs("\\\"", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else
			fputc(*p, out);
	}
	fputc('"', out);
	free(clean);
	return 0;
}

/* Write the two per-check families, one series per distinct check. */
static int prom_checks(FILE *out, const struct report *r)
{
	int ret;

	prom_family(out, "check_status",
		    "Worst severity of each check's findings, "
		    "one series per check with value 1.");
	for (size_t i = 0; i < r->n_findings; i++) {
		if (!render_check_is_first(r, i))
			continue;
		fputs(PROM_PREFIX "check_status{check=", out);
		ret = prom_value(out, r->findings[i].check);
		if (ret < 0)
			return ret;
		fprintf(out, ",severity=\"%s\"} 1\n",
			severity_name(render_check_worst(r, i)));
	}
	prom_family(out, "check_severity",
		    "Worst severity of each check as a number: "
		    "0 ok, 1 info, 2 unknown, 3 warning, 4 critical.");
	for (size_t i = 0; i < r->n_findings; i++) {
		if (!render_check_is_first(r, i))
			continue;
		fputs(PROM_PREFIX "check_severity{check=", out);
		ret = prom_value(out, r->findings[i].check);
		if (ret < 0)
			return ret;
		fprintf(out, "} %d\n", (int)render_check_worst(r, i));
	}
	return 0;
}

/* Write the run-wide families: counts, exit status, times. */
static void prom_run(FILE *out, const struct report *r)
{
	size_t counts[SEV__COUNT];
	char buf[RENDER_BUF_MAX];
	long nsec = r->generated_at.tv_nsec;

	report_count(r, counts);
	prom_family(out, "findings", "Number of findings by severity.");
	for (int sev = SEV_OK; sev < SEV__COUNT; sev++)
		fprintf(out, PROM_PREFIX "findings{severity=\"%s\"} %zu\n",
			severity_name(sev), counts[sev]);
	prom_family(out, "exit_status",
		    "Exit status of the run "
		    "(0 ok, 1 warning, 2 critical, 3 unknown).");
	fprintf(out, PROM_PREFIX "exit_status %d\n",
		severity_exit_code(report_worst(r)));
	prom_family(out, "run_duration_seconds", "Wall time the run took.");
	render_seconds(buf, r->duration, 6, true);
	fprintf(out, PROM_PREFIX "run_duration_seconds %s\n", buf);
	prom_family(out, "last_run_timestamp_seconds",
		    "Unix time at which the report was generated.");
	fprintf(out, PROM_PREFIX "last_run_timestamp_seconds %lld",
		(long long)r->generated_at.tv_sec);
	if (nsec > 0 && nsec < 1000000000L) {
		render_seconds(buf, nsec / 1e9, 9, true);
		/* buf is "0.xxx": keep the point and the digits. */
		fputs(buf + 1, out);
	}
	fputc('\n', out);
}

/* Write the info family: a constant 1 with versions as labels. */
static int prom_info(FILE *out, const struct report *r)
{
	int ret;

	prom_family(out, "info", "Build and daemon information.");
	fputs(PROM_PREFIX "info{version=", out);
	ret = prom_value(out, r->tool_version);
	if (ret == 0) {
		fputs(",daemon_version=", out);
		ret = prom_value(out, r->daemon.version);
	}
	if (ret == 0) {
		fputs(",daemon_api_version=", out);
		ret = prom_value(out, r->daemon.api_version);
	}
	if (ret == 0)
		fputs("} 1\n", out);
	return ret;
}

/* The log ring's sources: lines read and dropped (when collected). */
static int prom_log(FILE *out, const struct report *r)
{
	static const char *const fams[][2] = {
		{ "log_lines_read",
		  "Log lines read into the ring in the window, by source." },
		{ "log_lines_dropped",
		  "Log lines the ring dropped (its budget for the source was full), by source." },
	};
	int ret = 0;

	if (!r->log_collected || !r->n_log_sources)
		return 0;
	for (size_t f = 0; f < ARRAY_SIZE(fams); f++) {
		prom_family(out, fams[f][0], fams[f][1]);
		for (size_t i = 0; i < r->n_log_sources && ret == 0; i++) {
			const struct report_log_source *s = &r->log_sources[i];

			fprintf(out, PROM_PREFIX "%s{source=", fams[f][0]);
			ret = prom_value(out, s->name);
			fprintf(out, "} %llu\n",
				(unsigned long long)(f ? s->dropped : s->read));
		}
	}
	return ret;
}

/* Render the report in the Prometheus text exposition format. */
int render_prometheus(const struct report *r, FILE *out,
		      const struct render_opts *opts)
{
	int ret;

	ret = prom_checks(out, r);
	if (ret < 0)
		return ret;
	prom_run(out, r);
	ret = prom_info(out, r);
	if (ret == 0)
		ret = prom_log(out, r);
	if (ret < 0)
		return ret;
	return render_finish(out);
}
