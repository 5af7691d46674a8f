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
#include <stddef.h>

struct kconfig;
struct kernel_release;

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
	KCONFIG_G_RESCOUNTERS,
	KCONFIG_G_BLKIO,
	KCONFIG_G_BLK_THROTTLE,
	KCONFIG_G_BLK_WEIGHT,
	KCONFIG_G_PERF,
	KCONFIG_G_HUGETLB,
	KCONFIG_G_NETCG,
	KCONFIG_G_CPU_CFS,
	KCONFIG_G_CPU_SHARES,
	KCONFIG_G_CPU_RT,
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
	KCONFIG_G_DUMMY,
	KCONFIG_G_FTP,
	KCONFIG_G_ST_BTRFS,
	KCONFIG_G_ST_OVERLAY,
	KCONFIG_G_ST_AUFS,
	KCONFIG_G_ST_DM,
	KCONFIG_G__COUNT
};

/*
 * What a missing option costs: the severity kernel.config gives it. A
 * critical one stops dockerd or every container; a warning one breaks one
 * feature everybody may use (docker pause, --memory, ...); an info one an
 * optional feature (swarm, a network driver, ...).
 */
enum kconfig_impact {
	KCONFIG_I_INFO = 0,
	KCONFIG_I_WARNING,
	KCONFIG_I_CRITICAL,
};

struct kconfig_group_info {
	const char *key; /* short name for evidence */
	const char *what; /* summary: "... unavailable" */
	unsigned char impact; /* enum kconfig_impact of the group's options */
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
 * The lists are contrib/check-config.sh's, at each release tag. Docker
 * versions: v23.0.0 adds CGROUP_BPF, SECCOMP_FILTER and SECURITY_*;
 * v24.0.0 drops RT_GROUP_SCHED and aufs; v25.0.0 adds IP_NF_MANGLE and
 * NETFILTER_XT_MATCH_BPF and drops devicemapper; v28.1.0 adds the
 * IP6_NF_* and IP_NF_RAW tables; v29.0.0 adds IP_SCTP and the nftables
 * options. The kernel bounds are the script's, except MEMCG_SWAP*, which
 * v29 (moby PR 50553) checks only before 5.8, where the options still
 * exist; older scripts' MEMCG_SWAP on 5.8+ is a false alarm, not kept.
 */
struct kconfig_opt {
	const char *name;
	unsigned char group;
	const char *module;
	unsigned kmin, kmax;
	unsigned short dmin, dmax;
	const char *unless;
	/* necessary options: what breaks without it, and how badly */
	const char *why;
	unsigned char impact; /* enum kconfig_impact */
};

/* The number of entries in kconfig_opts[]. */
#define KCONFIG_N_OPTS 105

/*
 * The check-config.sh whose list applies to a Docker version (2905 for
 * 29.5): "v29.0", "v28.1 to v28.5", ... Versions past the newest list
 * known get that list.
 */
const char *kconfig_list_name(unsigned docker);

/* The first Docker version of the newest list known (29.0). */
#define KCONFIG_DOCKER_NEWEST 2900

/*
 * Is option o checked for kernel k (NULL: unknown, taken as a current
 * one) and Docker version docker (2805), with config kc (for 'unless')?
 */
bool kconfig_opt_applies(const struct kconfig_opt *o,
			 const struct kernel_release *k, unsigned docker,
			 const struct kconfig *kc);

/* An option's evidence key: "config_bridge" for "BRIDGE". */
void kconfig_opt_key(const char *name, char *buf, size_t size);

/* One entry per group, indexed by enum kconfig_group. */
extern const struct kconfig_group_info kconfig_groups[KCONFIG_G__COUNT];
/* check-config.sh's options, in its order (KCONFIG_N_OPTS of them). */
extern const struct kconfig_opt kconfig_opts[];

#endif /* DD_KCONFIG_OPTIONS_H */
