/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The running kernel: its release (/proc/sys/kernel/osrelease, the same
 * string as uname -r, read through the root context) and its command
 * line. Shared by the kernel.* checks and the DNS/forwarding checks that
 * depend on a kernel version.
 */
#ifndef DD_KERNEL_H
#define DD_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

#include "host/path.h"

struct kernel_release {
	char release[128]; /* "6.1.0-28-amd64" */
	unsigned major, minor, patch; /* 6, 1, 0 */
};

/*
 * Parse a release string: leading "MAJOR.MINOR[.PATCH]" and anything
 * after it ("-28-amd64", "+", "-rc1"). 0 or -EINVAL.
 */
int kernel_parse_release(const char *s, struct kernel_release *ret);

/* Read and parse /proc/sys/kernel/osrelease. 0 or -errno. */
int kernel_read_release(const struct pathctx *pc, struct kernel_release *ret);

/* Compare with MAJOR.MINOR.PATCH: <0, 0 or >0 like strcmp. */
int kernel_cmp(const struct kernel_release *k, unsigned major, unsigned minor,
	       unsigned patch);

/*
 * Find a parameter on a kernel command line ("... swapaccount=1 ...").
 * Returns 1 and copies its value (empty for a bare word) into val, or 0
 * when absent. The last occurrence wins, as for most kernel parameters.
 * Words inside double quotes are handled as the kernel does.
 */
int kernel_cmdline_param(const char *cmdline, const char *name, char *val,
			 size_t size);

#endif
