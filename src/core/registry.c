// SPDX-License-Identifier: GPL-2.0-or-later
/* The explicit check registry, built from checks/checks.def. */
#include "config.h"

#include <string.h>

#include "core/check.h"

#define CHECK(sym) extern const struct check sym;
#include "checks/checks.def"
#undef CHECK

const struct check *const check_table[] = {
#define CHECK(sym) &sym,
#include "checks/checks.def"
#undef CHECK
};

const size_t check_count = sizeof(check_table) / sizeof(check_table[0]);

/* Look a check up by id. */
const struct check *check_find(const char *id)
{
	for (size_t i = 0; i < check_count; i++)
		if (strcmp(check_table[i]->id, id) == 0)
			return check_table[i];
	return NULL;
}
