// SPDX-License-Identifier: GPL-2.0-or-later
/* The report model: findings, evidence, severities, ordering. */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <string.h>

#include "core/report.h"
#include "table.h"

struct sev_case {
	enum severity sev;
	const char *name;
	int exit_code;
};

/* clang-format off */
static struct sev_case cases[] = {
	{ SEV_OK, "ok", 0 },
	{ SEV_INFO, "info", 0 },
	{ SEV_UNKNOWN, "unknown", 3 },
	{ SEV_WARNING, "warning", 1 },
	{ SEV_CRITICAL, "critical", 2 },
};
/* clang-format on */

ParameterizedTestParameters(report, severity_table)
{
	TABLE_PARAMS(cases);
}

ParameterizedTest(size_t *ci, report, severity_table)
{
	const struct sev_case *c = &cases[*ci];
	enum severity parsed = SEV__COUNT;

	cr_assert_str_eq(severity_name(c->sev), c->name);
	cr_assert_eq(severity_exit_code(c->sev), c->exit_code);
	cr_assert_eq(severity_from_name(c->name, &parsed), 0);
	cr_assert_eq(parsed, c->sev);
}

Test(report, severity_from_bad_name)
{
	enum severity s = SEV_INFO;

	cr_assert_eq(severity_from_name("fatal", &s), -EINVAL);
	cr_assert_eq(s, SEV_INFO, "ret_ left untouched on failure");
}

Test(report, add_and_fields)
{
	struct report *r = report_new();
	struct finding *f;

	cr_assert_not_null(r);
	f = report_add(r, "daemon.api", SEV_WARNING, "x=%d", 42);
	cr_assert_not_null(f);
	cr_assert_eq(finding_set_detail(f, "detail %s", "text"), 0);
	cr_assert_eq(finding_set_remedy(f, "fix it"), 0);
	cr_assert_eq(finding_add_evidence(f, "pid", "%d", 7), 0);
	cr_assert_eq(finding_add_evidence(f, "sock", "/run/x"), 0);
	cr_assert_eq(r->n_findings, 1);
	cr_assert_str_eq(r->findings[0].summary, "x=42");
	cr_assert_str_eq(r->findings[0].detail, "detail text");
	cr_assert_str_eq(r->findings[0].remedy, "fix it");
	cr_assert_eq(r->findings[0].n_evidence, 2);
	cr_assert_str_eq(r->findings[0].evidence[1].value, "/run/x");
	report_free(r);
}

Test(report, evidence_keys_unique_last_wins)
{
	struct report *r = report_new();
	struct finding *f = report_add(r, "a.b", SEV_OK, "s");

	finding_add_evidence(f, "k", "1");
	finding_add_evidence(f, "k", "2");
	cr_assert_eq(f->n_evidence, 1);
	cr_assert_str_eq(f->evidence[0].value, "2");
	report_free(r);
}

Test(report, null_finding_setters_are_safe)
{
	cr_assert_eq(finding_set_detail(NULL, "x"), -ENOMEM);
	cr_assert_eq(finding_set_remedy(NULL, "x"), -ENOMEM);
	cr_assert_eq(finding_add_evidence(NULL, "k", "v"), -ENOMEM);
	report_free(NULL);
}

Test(report, worst_prefers_known_problems_over_unknown)
{
	struct report *r = report_new();

	cr_assert_eq(report_worst(r), SEV_OK);
	report_add(r, "a.a", SEV_INFO, "i");
	cr_assert_eq(report_worst(r), SEV_INFO);
	report_add(r, "a.b", SEV_UNKNOWN, "u");
	cr_assert_eq(report_worst(r), SEV_UNKNOWN);
	report_add(r, "a.c", SEV_WARNING, "w");
	cr_assert_eq(report_worst(r), SEV_WARNING);
	cr_assert_eq(severity_exit_code(report_worst(r)), 1);
	report_add(r, "a.d", SEV_CRITICAL, "c");
	cr_assert_eq(report_worst(r), SEV_CRITICAL);
	report_free(r);
}

Test(report, order_worst_first_stable)
{
	static const enum severity in[] = { SEV_OK, SEV_WARNING, SEV_CRITICAL,
					    SEV_OK, SEV_WARNING, SEV_UNKNOWN };
	static const size_t want[] = { 2, 1, 4, 5, 0, 3 };
	struct report *r = report_new();
	size_t order[6], counts[SEV__COUNT];

	for (size_t i = 0; i < 6; i++)
		report_add(r, "x.y", in[i], "%zu", i);
	report_order(r, order);
	for (size_t i = 0; i < 6; i++)
		cr_assert_eq(order[i], want[i], "position %zu", i);
	report_count(r, counts);
	cr_assert_eq(counts[SEV_OK], 2);
	cr_assert_eq(counts[SEV_WARNING], 2);
	cr_assert_eq(counts[SEV_CRITICAL], 1);
	cr_assert_eq(counts[SEV_INFO], 0);
	report_free(r);
}

Test(report, many_findings_grow)
{
	struct report *r = report_new();

	for (int i = 0; i < 1000; i++) {
		struct finding *f = report_add(r, "x.y", SEV_OK, "%d", i);

		for (int k = 0; k < 10; k++)
			finding_add_evidence(f, k % 2 ? "odd" : "even", "%d",
					     k);
	}
	cr_assert_eq(r->n_findings, 1000);
	cr_assert_str_eq(r->findings[999].summary, "999");
	cr_assert_eq(r->findings[999].n_evidence, 2);
	cr_assert_not(r->oom);
	report_free(r);
}

Test(report, mask_credentials_everywhere)
{
	struct report *r = report_new();
	struct finding *f;

	report_add(r, "a.b", SEV_OK, "untouched http://x:y@h before 'from'");
	f = report_add(r, "a.b", SEV_WARNING, "key 'http://u:s3cret@h' is bad");
	finding_set_detail(f, "line 1: {\"https://me:pw@proxy:3128\": 1}");
	finding_set_remedy(f, "remove tcp://a:b@c");
	finding_add_evidence(f, "key", "ftp://q:r@s/x");
	cr_assert_eq(report_mask_credentials(r, 1), 0);
	cr_assert_str_eq(r->findings[0].summary,
			 "untouched http://x:y@h before 'from'");
	cr_assert_str_eq(f->summary, "key 'http://xxxxx:xxxxx@h' is bad");
	cr_assert_null(strstr(f->detail, "pw@"));
	cr_assert_null(strstr(f->remedy, "a:b@"));
	cr_assert_str_eq(f->evidence[0].value, "ftp://xxxxx:xxxxx@s/x");
	report_free(r);
}
