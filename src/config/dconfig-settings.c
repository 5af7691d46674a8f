// SPDX-License-Identifier: GPL-2.0-or-later
/* daemon.json analysis: start-up validation of the merged values. */
#include "config.h"

#include "config/dconfig-analyze.h"

/* The merged values as dockerd's start-up validates them. */
void dconfig_check_settings(struct dconfig_run *u)
{
	(void)u;
}
