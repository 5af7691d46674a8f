/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel options moby's contrib/check-config.sh checks, as data: the
 * feature groups kernel.config reports on and every option with the kernel
 * and Docker versions it is checked for. kernel.config judges a kernel
 * config (kconfig.h) against these tables.
 */
#ifndef DD_KCONFIG_OPTIONS_H
#define DD_KCONFIG_OPTIONS_H

#include <stdbool.h>

/* Kernel versions in the table: KCONFIG_KV(5, 2, 0). */
#define KCONFIG_KV(a, b, c) (((unsigned)(a) << 16) | ((unsigned)(b) << 8) | (c))

/* The feature groups: one finding each when something is missing. */
enum kconfig_group {
	KCONFIG_G_NEEDED = 0,
	KCONFIG_G_USERNS,
	KCONFIG_G_SECCOMP,
	KCONFIG_G_PIDS,
	KCONFIG_G_SWAP,
	KCONFIG_G_KMEM,
	KCONFIG_G_BLKIO,
	KCONFIG_G_PERF,
	KCONFIG_G_HUGETLB,
	KCONFIG_G_NETCG,
	KCONFIG_G_CPU,
	KCONFIG_G_REDIRECT,
	KCONFIG_G_IPVS,
	KCONFIG_G_SCTP,
	KCONFIG_G_NFT,
	KCONFIG_G_LSM,
	KCONFIG_G_EXT3,
	KCONFIG_G_EXT4,
	KCONFIG_G_OVERLAYNET,
	KCONFIG_G_ENCRYPTED,
	KCONFIG_G_IPVLAN,
	KCONFIG_G_MACVLAN,
	KCONFIG_G_FTP,
	KCONFIG_G_ST_BTRFS,
	KCONFIG_G_ST_OVERLAY,
	KCONFIG_G_ST_AUFS,
	KCONFIG_G_ST_DM,
	KCONFIG_G__COUNT
};

struct kconfig_group_info {
	const char *key; /* short name for evidence */
	const char *what; /* summary: "... unavailable" */
	bool any; /* satisfied when any one option is there */
	bool storage; /* a storage driver: missing is fine if another works */
};

/*
 * One option. It is checked when kmin <= kernel < kmax and dmin <= Docker
 * <= dmax (0: no bound), and not when 'unless' is set (y/m). module names
 * what CONFIG_X=m builds (space-separated alternatives across kernel
 * versions: IP_NF_TARGET_MASQUERADE=m gives ipt_MASQUERADE on older
 * kernels, xt_MASQUERADE on newer ones, where it only selects that);
 * NULL for options that cannot be modules.
 *
 * The lists are contrib/check-config.sh's. Docker versions: v20.10.24
 * has no IP_NF_MANGLE, CGROUP_BPF, SECCOMP_FILTER, SECURITY_* and
 * NETFILTER_XT_MATCH_BPF (the 23.0 branch adds them); RT_GROUP_SCHED and
 * aufs go after 23.0, devicemapper after 24.0; v28.1.0 adds the IP6_NF_*
 * and IP_NF_RAW tables; v29 adds IP_SCTP and the nftables options. The
 * kernel bounds are the script's, except MEMCG_SWAP*, which v29 (moby PR
 * 50553) checks only before 5.8, where the options still exist.
 */
struct kconfig_opt {
	const char *name;
	unsigned char group;
	const char *module;
	unsigned kmin, kmax;
	unsigned short dmin, dmax;
	const char *unless;
	const char *why; /* what breaks (necessary options) */
};

/* The number of entries in kconfig_opts[]. */
#define KCONFIG_N_OPTS 105

/* One entry per group, indexed by enum kconfig_group. */
extern const struct kconfig_group_info kconfig_groups[KCONFIG_G__COUNT];
/* check-config.sh's options, in its order (KCONFIG_N_OPTS of them). */
extern const struct kconfig_opt kconfig_opts[];

#endif /* DD_KCONFIG_OPTIONS_H */
