// SPDX-License-Identifier: GPL-2.0-or-later
/* The check registry: ids, texts, lookups. */
#include "config.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <string.h>

#include "core/check.h"

/* Ids are lowercase dotted words: area.what[-more]. */
static bool valid_id(const char *id)
{
	const char *dot = strchr(id, '.');

	if (!dot || dot == id || !dot[1] || strchr(dot + 1, '.'))
		return false;
	for (const char *p = id; *p; p++)
		if (!islower((unsigned char)*p) &&
		    !isdigit((unsigned char)*p) && *p != '.' && *p != '-')
			return false;
	return true;
}

Test(registry, every_check_is_complete)
{
	cr_assert_gt(check_count, 0);
	for (size_t i = 0; i < check_count; i++) {
		const struct check *c = check_table[i];

		cr_assert_not_null(c);
		cr_assert(valid_id(c->id), "bad id '%s'", c->id);
		cr_assert_not_null(c->run, "%s has no run()", c->id);
		cr_assert_not_null(c->summary);
		cr_assert_lt(strlen(c->summary), 80, "%s: summary over 80",
			     c->id);
		cr_assert_null(strchr(c->summary, '\n'));
		cr_assert_not_null(c->explain);
		cr_assert_gt(strlen(c->explain), 200, "%s: explain too short",
			     c->id);
		cr_assert_eq(c->explain[strlen(c->explain) - 1], '\n');
		cr_assert_eq(c->needs & ~(unsigned)(NEED_ROOT | NEED_DAEMON |
						    NEED_API | NEED_NETLINK),
			     0);
	}
}

Test(registry, ids_unique_and_found)
{
	for (size_t i = 0; i < check_count; i++) {
		for (size_t j = i + 1; j < check_count; j++)
			cr_assert_str_neq(check_table[i]->id,
					  check_table[j]->id);
		cr_assert_eq(check_find(check_table[i]->id), check_table[i]);
	}
	cr_assert_null(check_find("daemon"));
	cr_assert_null(check_find(""));
	cr_assert_null(check_find("daemon.api "));
}

Test(registry, contract_ids_exist)
{
	/* ids are a public contract: these must never disappear */
	static const char *const ids[] = { "daemon.process", "daemon.api" };

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		cr_assert_not_null(check_find(ids[i]), "%s missing", ids[i]);
	cr_assert_str_eq(check_table[0]->id, "daemon.process", "report order");
}
