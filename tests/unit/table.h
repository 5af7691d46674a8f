/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Table-driven Criterion tests. Criterion runs each parameterized case in
 * a worker process that is re-executed, so pointers inside parameters are
 * not valid there; the parameter is the index of the case in a static
 * table instead, and the table itself is the same in every process.
 */
#ifndef DD_TEST_TABLE_H
#define DD_TEST_TABLE_H

#include <criterion/parameterized.h>

/* Free the index array made by TABLE_PARAMS(). */
static inline void table_free_params(struct criterion_test_params *p)
{
	cr_free(p->params);
}

#define TABLE_SIZE(t) (sizeof(t) / sizeof((t)[0]))

/* Body of ParameterizedTestParameters(): one size_t index per row. */
#define TABLE_PARAMS(t)                                                   \
	do {                                                              \
		size_t *idx_ = cr_malloc(sizeof(size_t) * TABLE_SIZE(t)); \
		for (size_t i_ = 0; i_ < TABLE_SIZE(t); i_++)             \
			idx_[i_] = i_;                                    \
		return cr_make_param_array(size_t, idx_, TABLE_SIZE(t),   \
					   table_free_params);            \
	} while (0)

#endif
