// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tables of kconfig-options.h: check-config.sh's feature groups and
 * options, with the version conditions kernel.config applies.
 */
#include "config.h"

#include <stdio.h>

#include "host/kconfig-options.h"
#include "host/kconfig.h"
#include "host/kernel.h"
#include "core/util.h"

const struct kconfig_group_info kconfig_groups[KCONFIG_G__COUNT] = {
	[KCONFIG_G_NEEDED] = { .key = "necessary",
			       .what = "options Docker needs" },
	[KCONFIG_G_USERNS] = { .key = "userns",
			       .what = "user namespaces unavailable (userns-remap, rootless mode)" },
	/* the default profile is a security boundary: a warning */
	[KCONFIG_G_SECCOMP] = { .key = "seccomp",
				.what = "seccomp unavailable: containers run without the default syscall filter",
				.impact = KCONFIG_I_WARNING },
	[KCONFIG_G_PIDS] = { .key = "pids",
			     .what = "process limits unavailable (--pids-limit)" },
	[KCONFIG_G_SWAP] = { .key = "swap",
			     .what = "swap limits unavailable (--memory-swap)" },
	[KCONFIG_G_KMEM] = { .key = "kmem",
			     .what = "kernel memory limits unavailable (--kernel-memory)" },
	[KCONFIG_G_RESCOUNTERS] = { .key = "resource_counters",
				    .what = "memory limits unavailable on this pre-3.19 kernel (--memory)" },
	[KCONFIG_G_BLKIO] = { .key = "blkio",
			      .what = "block I/O cgroup unavailable (every --blkio-* and --device-*-bps/iops limit)" },
	[KCONFIG_G_BLK_THROTTLE] = { .key = "blkio_throttle",
				     .what = "block I/O rate limits unavailable (--device-read-bps, --device-write-iops, ...)" },
	[KCONFIG_G_BLK_WEIGHT] = { .key = "blkio_weight",
				   .what = "block I/O weights unavailable (--blkio-weight, CFQ scheduler)" },
	[KCONFIG_G_PERF] = { .key = "perf",
			     .what = "perf_event cgroup unavailable (perf per container)" },
	[KCONFIG_G_HUGETLB] = { .key = "hugetlb",
				.what = "hugepage limits unavailable (hugetlb cgroup)" },
	[KCONFIG_G_NETCG] = { .key = "netcgroups",
			      .what = "net_cls/net_prio cgroups unavailable" },
	[KCONFIG_G_CPU_CFS] = { .key = "cpu_quota",
				.what = "CPU quotas unavailable (--cpus, --cpu-quota, --cpu-period)" },
	[KCONFIG_G_CPU_SHARES] = { .key = "cpu_shares",
				   .what = "CPU weights unavailable (--cpu-shares)" },
	[KCONFIG_G_CPU_RT] = { .key = "cpu_rt",
			       .what = "real-time CPU limits unavailable (--cpu-rt-runtime, --cpu-rt-period)" },
	[KCONFIG_G_REDIRECT] = { .key = "redirect",
				 .what = "iptables REDIRECT target unavailable" },
	[KCONFIG_G_IPVS] = { .key = "ipvs",
			     .what = "swarm service load balancing (IPVS) unavailable" },
	[KCONFIG_G_SCTP] = { .key = "sctp",
			     .what = "SCTP ports unavailable (-p PORT/sctp)" },
	[KCONFIG_G_NFT] = { .key = "nftables",
			    .what = "nftables firewall backend unavailable (firewall-backend: nftables)" },
	[KCONFIG_G_LSM] = { .key = "lsm",
			    .what = "no security module for containers (neither SELinux nor AppArmor)",
			    .any = true },
	[KCONFIG_G_EXT3] = { .key = "ext3",
			     .what = "ext3 as backing filesystem unsupported" },
	[KCONFIG_G_EXT4] = { .key = "ext4",
			     .what = "ext4 as backing filesystem unsupported" },
	[KCONFIG_G_OVERLAYNET] = { .key = "overlay_network",
				   .what = "overlay networks (swarm) unavailable" },
	[KCONFIG_G_ENCRYPTED] = { .key = "encrypted_overlay",
				  .what = "encrypted overlay networks unavailable (--opt encrypted)" },
	[KCONFIG_G_IPVLAN] = { .key = "ipvlan",
			       .what = "ipvlan networks unavailable" },
	[KCONFIG_G_MACVLAN] = { .key = "macvlan",
				.what = "macvlan networks unavailable" },
	[KCONFIG_G_DUMMY] = { .key = "dummy",
			      .what = "macvlan and ipvlan networks without -o parent unavailable (dummy parent link)" },
	[KCONFIG_G_FTP] = { .key = "ftp_tftp",
			    .what = "ftp/tftp clients in NATed containers unavailable" },
	[KCONFIG_G_ST_BTRFS] = { .key = "btrfs",
				 .what = "btrfs storage driver",
				 .storage = true },
	[KCONFIG_G_ST_OVERLAY] = { .key = "overlay2",
				   .what = "overlay2 storage driver",
				   .storage = true },
	[KCONFIG_G_ST_AUFS] = { .key = "aufs",
				.what = "aufs storage driver",
				.storage = true },
	[KCONFIG_G_ST_DM] = { .key = "devicemapper",
			      .what = "devicemapper storage driver",
			      .storage = true },
};

/*
 * What each necessary option gates. Critical: dockerd does not start, or
 * no container does (runc mounts /dev/mqueue in every container, and
 * refuses to run one whose device access it cannot confine). Warning: one
 * feature breaks, the rest works (runc skips a cgroup controller that is
 * not there unless a limit needs it; dockerd turns its raw-table and
 * ip6tables rules off when the tables are missing).
 */
#define NS "container isolation (namespaces): no container starts"
#define CRIT .impact = KCONFIG_I_CRITICAL
#define WARN .impact = KCONFIG_I_WARNING
#define IPT \
	"port publishing and NAT (iptables): dockerd cannot set up its bridge network"
#define IP6T "IPv6 port publishing and NAT (ip6tables) for --ipv6 networks"
#define SWARM_MARK \
	"swarm services' routing mesh and VIPs (packet marks in the mangle table)"
#define RAW \
	"blocking direct access to container addresses from other hosts (raw table rules)"

/* clang-format off */
const struct kconfig_opt kconfig_opts[] = {
	/* Generally Necessary */
	{ .name = "NAMESPACES", .group = KCONFIG_G_NEEDED, .why = NS, CRIT },
	{ .name = "NET_NS", .group = KCONFIG_G_NEEDED, .why = NS, CRIT },
	{ .name = "PID_NS", .group = KCONFIG_G_NEEDED, .why = NS, CRIT },
	{ .name = "IPC_NS", .group = KCONFIG_G_NEEDED, .why = NS, CRIT },
	{ .name = "UTS_NS", .group = KCONFIG_G_NEEDED, .why = NS, CRIT },
	{ .name = "CGROUPS", .group = KCONFIG_G_NEEDED, .why = "control groups: no resource control, and runc cannot place containers", CRIT },
	{ .name = "CGROUP_CPUACCT", .group = KCONFIG_G_NEEDED, .why = "CPU usage per container on cgroup v1 (docker stats)", WARN },
	{ .name = "CGROUP_DEVICE", .group = KCONFIG_G_NEEDED, .why = "device access control on cgroup v1: runc refuses to start containers without it", CRIT },
	{ .name = "CGROUP_FREEZER", .group = KCONFIG_G_NEEDED, .why = "docker pause and unpause (freezer cgroup)", WARN },
	{ .name = "CGROUP_SCHED", .group = KCONFIG_G_NEEDED, .why = "CPU limits (--cpus, --cpu-shares, --cpu-quota)", WARN },
	{ .name = "CPUSETS", .group = KCONFIG_G_NEEDED, .why = "CPU and memory node pinning (--cpuset-cpus, --cpuset-mems)", WARN },
	{ .name = "MEMCG", .group = KCONFIG_G_NEEDED, .why = "memory limits and usage (--memory, --memory-swap, docker stats)", WARN },
	{ .name = "KEYS", .group = KCONFIG_G_NEEDED, .why = "a session keyring per container (keyctl in containers)", WARN },
	{ .name = "VETH", .group = KCONFIG_G_NEEDED, .module = "veth", .why = "container network interfaces (bridge networks)", CRIT },
	{ .name = "BRIDGE", .group = KCONFIG_G_NEEDED, .module = "bridge", .why = "the default bridge network: dockerd does not start without --bridge=none", CRIT },
	{ .name = "BRIDGE_NETFILTER", .group = KCONFIG_G_NEEDED, .module = "br_netfilter", .why = "iptables rules on bridged traffic (--icc=false, userland-proxy: false)", WARN },
	{ .name = "IP_NF_FILTER", .group = KCONFIG_G_NEEDED, .module = "iptable_filter", .why = IPT, CRIT },
	{ .name = "IP_NF_MANGLE", .group = KCONFIG_G_NEEDED, .module = "iptable_mangle", .dmin = 2500, .why = SWARM_MARK, WARN },
	{ .name = "IP_NF_TARGET_MASQUERADE", .group = KCONFIG_G_NEEDED, .module = "ipt_MASQUERADE xt_MASQUERADE", .why = IPT, CRIT },
	{ .name = "NETFILTER_XT_MATCH_ADDRTYPE", .group = KCONFIG_G_NEEDED, .module = "xt_addrtype", .why = IPT, CRIT },
	{ .name = "NETFILTER_XT_MATCH_CONNTRACK", .group = KCONFIG_G_NEEDED, .module = "xt_conntrack", .why = IPT, CRIT },
	/*
	 * check-config.sh lists it as generally necessary, but only swarm
	 * services' load balancing uses it (iptables -m ipvs): an optional
	 * feature here, like the rest of IPVS.
	 */
	{ .name = "NETFILTER_XT_MATCH_IPVS", .group = KCONFIG_G_IPVS, .module = "xt_ipvs", .why = "swarm service load balancing rules (iptables -m ipvs)" },
	{ .name = "NETFILTER_XT_MARK", .group = KCONFIG_G_NEEDED, .module = "xt_mark", .why = SWARM_MARK, WARN },
	{ .name = "IP_NF_NAT", .group = KCONFIG_G_NEEDED, .module = "iptable_nat", .why = IPT, CRIT },
	{ .name = "NF_NAT", .group = KCONFIG_G_NEEDED, .module = "nf_nat", .why = IPT, CRIT },
	{ .name = "POSIX_MQUEUE", .group = KCONFIG_G_NEEDED, .why = "the /dev/mqueue mount of every container: no container starts", CRIT },
	/* v28.1+: ip6tables by default; dockerd goes on without it */
	{ .name = "IP6_NF_FILTER", .group = KCONFIG_G_NEEDED, .module = "ip6table_filter", .dmin = 2801, .why = IP6T, WARN },
	{ .name = "IP6_NF_MANGLE", .group = KCONFIG_G_NEEDED, .module = "ip6table_mangle", .dmin = 2801, .why = IP6T, WARN },
	{ .name = "IP6_NF_TARGET_MASQUERADE", .group = KCONFIG_G_NEEDED, .module = "ip6t_MASQUERADE xt_MASQUERADE", .dmin = 2801, .why = IP6T, WARN },
	{ .name = "IP_NF_RAW", .group = KCONFIG_G_NEEDED, .module = "iptable_raw", .dmin = 2801, .why = RAW, WARN },
	{ .name = "IP6_NF_RAW", .group = KCONFIG_G_NEEDED, .module = "ip6table_raw", .dmin = 2801, .why = RAW " (IPv6)", WARN },
	{ .name = "IP6_NF_NAT", .group = KCONFIG_G_NEEDED, .module = "ip6table_nat", .dmin = 2801, .why = IP6T, WARN },
	{ .name = "DEVPTS_MULTIPLE_INSTANCES", .group = KCONFIG_G_NEEDED, .kmax = KCONFIG_KV(4, 8, 0), .why = "a private /dev/pts per container (containers share the host's ptys)", CRIT },
	{ .name = "NF_NAT_IPV4", .group = KCONFIG_G_NEEDED, .module = "nf_nat_ipv4", .kmax = KCONFIG_KV(5, 2, 0), .why = IPT, CRIT },
	{ .name = "NF_NAT_NEEDED", .group = KCONFIG_G_NEEDED, .kmax = KCONFIG_KV(5, 3, 0), .why = IPT, CRIT },
	{ .name = "CGROUP_BPF", .group = KCONFIG_G_NEEDED, .kmin = KCONFIG_KV(4, 15, 0), .dmin = 2300, .why = "device access control on cgroup v2 (BPF): runc refuses to start containers without it", CRIT },

	/* Optional Features */
	{ .name = "USER_NS", .group = KCONFIG_G_USERNS },
	{ .name = "SECCOMP", .group = KCONFIG_G_SECCOMP },
	{ .name = "SECCOMP_FILTER", .group = KCONFIG_G_SECCOMP, .dmin = 2300 },
	{ .name = "CGROUP_PIDS", .group = KCONFIG_G_PIDS },
	/* gone since 5.8 (swap accounting is part of MEMCG), moby PR 50553 */
	{ .name = "MEMCG_SWAP", .group = KCONFIG_G_SWAP, .kmax = KCONFIG_KV(5, 8, 0) },
	{ .name = "MEMCG_SWAP_ENABLED", .group = KCONFIG_G_SWAP, .kmax = KCONFIG_KV(5, 8, 0) },
	{ .name = "MEMCG_KMEM", .group = KCONFIG_G_KMEM, .kmax = KCONFIG_KV(4, 6, 0) },
	{ .name = "RESOURCE_COUNTERS", .group = KCONFIG_G_RESCOUNTERS, .kmax = KCONFIG_KV(3, 19, 0) },
	{ .name = "IOSCHED_CFQ", .group = KCONFIG_G_BLK_WEIGHT, .module = "cfq_iosched", .kmax = KCONFIG_KV(5, 0, 0) },
	{ .name = "CFQ_GROUP_IOSCHED", .group = KCONFIG_G_BLK_WEIGHT, .kmax = KCONFIG_KV(5, 0, 0) },
	{ .name = "BLK_CGROUP", .group = KCONFIG_G_BLKIO },
	{ .name = "BLK_DEV_THROTTLING", .group = KCONFIG_G_BLK_THROTTLE },
	{ .name = "CGROUP_PERF", .group = KCONFIG_G_PERF },
	{ .name = "CGROUP_HUGETLB", .group = KCONFIG_G_HUGETLB },
	{ .name = "NET_CLS_CGROUP", .group = KCONFIG_G_NETCG, .module = "cls_cgroup" },
	{ .name = "NETPRIO_CGROUP", .group = KCONFIG_G_NETCG, .module = "netprio_cgroup", .kmax = KCONFIG_KV(3, 14, 0) },
	{ .name = "CGROUP_NET_PRIO", .group = KCONFIG_G_NETCG, .kmin = KCONFIG_KV(3, 14, 0) },
	{ .name = "CFS_BANDWIDTH", .group = KCONFIG_G_CPU_CFS },
	{ .name = "FAIR_GROUP_SCHED", .group = KCONFIG_G_CPU_SHARES },
	{ .name = "RT_GROUP_SCHED", .group = KCONFIG_G_CPU_RT, .dmax = 2300 },
	{ .name = "IP_NF_TARGET_REDIRECT", .group = KCONFIG_G_REDIRECT, .module = "ipt_REDIRECT xt_REDIRECT" },
	{ .name = "IP_VS", .group = KCONFIG_G_IPVS, .module = "ip_vs" },
	{ .name = "IP_VS_NFCT", .group = KCONFIG_G_IPVS },
	{ .name = "IP_VS_PROTO_TCP", .group = KCONFIG_G_IPVS },
	{ .name = "IP_VS_PROTO_UDP", .group = KCONFIG_G_IPVS },
	{ .name = "IP_VS_RR", .group = KCONFIG_G_IPVS, .module = "ip_vs_rr" },
	{ .name = "IP_SCTP", .group = KCONFIG_G_SCTP, .module = "sctp", .dmin = 2900 },
	{ .name = "NFT_CT", .group = KCONFIG_G_NFT, .module = "nft_ct", .dmin = 2900 },
	{ .name = "NFT_FIB_IPV4", .group = KCONFIG_G_NFT, .module = "nft_fib_ipv4", .dmin = 2900 },
	{ .name = "NFT_FIB_IPV6", .group = KCONFIG_G_NFT, .module = "nft_fib_ipv6", .dmin = 2900 },
	{ .name = "NFT_FIB", .group = KCONFIG_G_NFT, .module = "nft_fib", .dmin = 2900 },
	{ .name = "NFT_MASQ", .group = KCONFIG_G_NFT, .module = "nft_masq", .dmin = 2900 },
	{ .name = "NFT_NAT", .group = KCONFIG_G_NFT, .module = "nft_nat", .dmin = 2900 },
	{ .name = "NF_TABLES", .group = KCONFIG_G_NFT, .module = "nf_tables", .dmin = 2900 },
	{ .name = "SECURITY_SELINUX", .group = KCONFIG_G_LSM, .dmin = 2300 },
	{ .name = "SECURITY_APPARMOR", .group = KCONFIG_G_LSM, .dmin = 2300 },
	{ .name = "EXT3_FS", .group = KCONFIG_G_EXT3, .module = "ext3 ext4", .unless = "EXT4_USE_FOR_EXT2" },
	{ .name = "EXT3_FS_XATTR", .group = KCONFIG_G_EXT3, .unless = "EXT4_USE_FOR_EXT2" },
	{ .name = "EXT3_FS_POSIX_ACL", .group = KCONFIG_G_EXT3, .unless = "EXT4_USE_FOR_EXT2" },
	{ .name = "EXT3_FS_SECURITY", .group = KCONFIG_G_EXT3, .unless = "EXT4_USE_FOR_EXT2" },
	{ .name = "EXT4_FS", .group = KCONFIG_G_EXT4, .module = "ext4" },
	{ .name = "EXT4_FS_POSIX_ACL", .group = KCONFIG_G_EXT4 },
	{ .name = "EXT4_FS_SECURITY", .group = KCONFIG_G_EXT4 },
	/* Network Drivers */
	{ .name = "VXLAN", .group = KCONFIG_G_OVERLAYNET, .module = "vxlan" },
	{ .name = "BRIDGE_VLAN_FILTERING", .group = KCONFIG_G_OVERLAYNET },
	{ .name = "CRYPTO", .group = KCONFIG_G_ENCRYPTED, .module = "crypto" },
	{ .name = "CRYPTO_AEAD", .group = KCONFIG_G_ENCRYPTED, .module = "aead" },
	{ .name = "CRYPTO_GCM", .group = KCONFIG_G_ENCRYPTED, .module = "gcm" },
	{ .name = "CRYPTO_SEQIV", .group = KCONFIG_G_ENCRYPTED, .module = "seqiv" },
	{ .name = "CRYPTO_GHASH", .group = KCONFIG_G_ENCRYPTED, .module = "ghash_generic" },
	{ .name = "XFRM", .group = KCONFIG_G_ENCRYPTED },
	{ .name = "XFRM_USER", .group = KCONFIG_G_ENCRYPTED, .module = "xfrm_user" },
	{ .name = "XFRM_ALGO", .group = KCONFIG_G_ENCRYPTED, .module = "xfrm_algo" },
	{ .name = "INET_ESP", .group = KCONFIG_G_ENCRYPTED, .module = "esp4" },
	{ .name = "NETFILTER_XT_MATCH_BPF", .group = KCONFIG_G_ENCRYPTED, .module = "xt_bpf", .dmin = 2500 },
	{ .name = "INET_XFRM_MODE_TRANSPORT", .group = KCONFIG_G_ENCRYPTED, .module = "xfrm4_mode_transport", .kmax = KCONFIG_KV(5, 4, 0) },
	{ .name = "IPVLAN", .group = KCONFIG_G_IPVLAN, .module = "ipvlan" },
	{ .name = "MACVLAN", .group = KCONFIG_G_MACVLAN, .module = "macvlan" },
	{ .name = "DUMMY", .group = KCONFIG_G_DUMMY, .module = "dummy" },
	{ .name = "NF_NAT_FTP", .group = KCONFIG_G_FTP, .module = "nf_nat_ftp" },
	{ .name = "NF_CONNTRACK_FTP", .group = KCONFIG_G_FTP, .module = "nf_conntrack_ftp" },
	{ .name = "NF_NAT_TFTP", .group = KCONFIG_G_FTP, .module = "nf_nat_tftp" },
	{ .name = "NF_CONNTRACK_TFTP", .group = KCONFIG_G_FTP, .module = "nf_conntrack_tftp" },
	/* Storage Drivers (zfs: /dev/zfs) */
	{ .name = "BTRFS_FS", .group = KCONFIG_G_ST_BTRFS, .module = "btrfs" },
	{ .name = "BTRFS_FS_POSIX_ACL", .group = KCONFIG_G_ST_BTRFS },
	{ .name = "OVERLAY_FS", .group = KCONFIG_G_ST_OVERLAY, .module = "overlay" },
	{ .name = "AUFS_FS", .group = KCONFIG_G_ST_AUFS, .module = "aufs", .dmax = 2300 },
	{ .name = "BLK_DEV_DM", .group = KCONFIG_G_ST_DM, .module = "dm_mod", .dmax = 2400 },
	{ .name = "DM_THIN_PROVISIONING", .group = KCONFIG_G_ST_DM, .module = "dm_thin_pool", .dmax = 2400 },
};
/* clang-format on */

/* The check-config.sh lists, by the first Docker version of each. */
static const struct {
	unsigned from;
	const char *name;
} lists[] = {
	{ 2300, "v23.0" },	    { 2400, "v24.0" },
	{ 2500, "v25.0 to v27.5" }, { 2800, "v28.0" },
	{ 2801, "v28.1 to v28.5" }, { KCONFIG_DOCKER_NEWEST, "v29.0" },
};

/* The list of a Docker version: the last one that starts at or below it. */
const char *kconfig_list_name(unsigned docker)
{
	const char *name = "v20.10";

	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		if (docker >= lists[i].from)
			name = lists[i].name;
	return name;
}

/* Evidence key "config_bridge". */
void kconfig_opt_key(const char *name, char *buf, size_t size)
{
	size_t i = 0;

	i = (size_t)snprintf(buf, size, "config_");
	for (; *name && i + 1 < size; name++)
		buf[i++] = (char)(*name >= 'A' && *name <= 'Z' ? *name + 32
							       : *name);
	buf[i < size ? i : size - 1] = '\0';
}

/* The version conditions of an option. */
bool kconfig_opt_applies(const struct kconfig_opt *o,
			 const struct kernel_release *k, unsigned docker,
			 const struct kconfig *kc)
{
	if (o->dmin && docker < o->dmin)
		return false;
	if (o->dmax && docker > o->dmax)
		return false;
	if (o->unless && kconfig_enabled(kc, o->unless))
		return false;
	if (k && o->kmin &&
	    kernel_cmp(k, o->kmin >> 16, (o->kmin >> 8) & 0xff,
		       o->kmin & 0xff) < 0)
		return false;
	if (k && o->kmax &&
	    kernel_cmp(k, o->kmax >> 16, (o->kmax >> 8) & 0xff,
		       o->kmax & 0xff) >= 0)
		return false;
	/* without any kernel version: assume a current kernel */
	return k || !o->kmax;
}

_Static_assert(ARRAY_SIZE(kconfig_opts) == KCONFIG_N_OPTS,
	       "KCONFIG_N_OPTS is the number of entries in kconfig_opts[]");
