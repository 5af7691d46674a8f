/* SPDX-License-Identifier: GPL-2.0-or-later */
/* 'dockerd-doctor config check FILE'. */
#ifndef DD_CMD_CONFIG_H
#define DD_CMD_CONFIG_H

#include "app/cli.h"

/* Check a daemon.json offline; returns the exit status (0, 1, 2, 3). */
int cmd_config_check(const struct options *o);

#endif
