// SPDX-License-Identifier: GPL-2.0-or-later
/* daemon.json analysis: the host facts that decide dockerd's start. */
#include "config.h"

#include "config/dconfig-analyze.h"

/* The host facts that decide the start. */
void dconfig_check_host(struct dconfig_run *u)
{
	(void)u;
}
