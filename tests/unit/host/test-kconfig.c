// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel.config: the config parser, plain and gzip sources and their
 * search order, the module index, and every verdict of the check on
 * fixture trees; plus the real config of this host.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#ifdef HAVE_ZLIB
#include <zlib.h>
#endif

#include "core/check.h"
#include "core/context.h"
#include "fixture.h"
#include "host/kconfig.h"
#include "core/report.h"
#include "core/util.h"

extern const struct check check_kernel_config;

#define REL "6.1.0-28-amd64"
#define MODDIR "/lib/modules/" REL

static struct fixture fx;

static void setup(void)
{
	fixture_init(&fx);
}

static void teardown(void)
{
	fixture_release(&fx);
}

static void fixture_unlink(const char *path)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s", fx.root, path);
	cr_assert_eq(unlink(full), 0, "unlink %s: %s", full, strerror(errno));
}

/* ---- the parser ---- */

TestSuite(parse);

Test(parse, values)
{
	struct kconfig kc = { 0 };
	const struct kconfig_entry *e;

	cr_assert_eq(kconfig_parse_text(&kc, "CONFIG_A=y\n"
					     "CONFIG_B=m\n"
					     "# CONFIG_C is not set\n"
					     "CONFIG_D=\"hello world\"\n"
					     "CONFIG_E=1024\n"
					     "CONFIG_F=0xff\n"
					     "CONFIG_G=n\n"
					     "CONFIG_H=\"\"\n"),
		     8);
	cr_assert_eq(kconfig_state_of(&kc, "A"), KCONFIG_BUILTIN);
	cr_assert_eq(kconfig_state_of(&kc, "B"), KCONFIG_MODULE);
	cr_assert_eq(kconfig_state_of(&kc, "C"), KCONFIG_NOT_SET);
	e = kconfig_get(&kc, "D");
	cr_assert_not_null(e);
	cr_assert_eq(e->state, KCONFIG_VALUE);
	cr_assert_str_eq(e->value, "hello world");
	cr_assert_str_eq(kconfig_get(&kc, "E")->value, "1024");
	cr_assert_str_eq(kconfig_get(&kc, "F")->value, "0xff");
	cr_assert_eq(kconfig_state_of(&kc, "G"), KCONFIG_NOT_SET);
	cr_assert_str_eq(kconfig_get(&kc, "H")->value, "");
	cr_assert_eq(kconfig_get(&kc, "D")->line, 4);
	cr_assert(kconfig_enabled(&kc, "A"));
	cr_assert(kconfig_enabled(&kc, "B"));
	cr_assert_not(kconfig_enabled(&kc, "C"));
	cr_assert_not(kconfig_enabled(&kc, "D"));
	cr_assert_eq(kc.n_garbage, 0);
	kconfig_release(&kc);
}

Test(parse, names_with_and_without_prefix)
{
	struct kconfig kc = { 0 };

	cr_assert_eq(kconfig_parse_text(&kc, "CONFIG_NET_NS=y\n"), 1);
	cr_assert_eq(kconfig_get(&kc, "CONFIG_NET_NS"),
		     kconfig_get(&kc, "NET_NS"));
	cr_assert_null(kconfig_get(&kc, "NET"));
	cr_assert_null(kconfig_get(&kc, "NET_NS_X"));
	cr_assert_eq(kconfig_state_of(&kc, "PID_NS"), KCONFIG_ABSENT);
	kconfig_release(&kc);
}

Test(parse, garbage_lines_are_counted_and_skipped)
{
	struct kconfig kc = { 0 };

	cr_assert_eq(kconfig_parse_text(&kc, "CONFIG_OK1=y\n"
					     "this is not a config line\n"
					     "CONFIG_=y\n"
					     "CONFIG_NOVALUE\n"
					     "CONFIG_EMPTY=\n"
					     "CONFIG_Q=\"unterminated\n"
					     "CONFIG_W=maybe\n"
					     "CONFIG_OK2=m\n"
					     "# a comment\n"
					     "#CONFIG_OK3 is not set\n"
					     "  \t\n"),
		     3);
	cr_assert_eq(kc.n_garbage, 6);
	cr_assert_eq(kc.first_garbage, 2);
	cr_assert_eq(kconfig_state_of(&kc, "OK1"), KCONFIG_BUILTIN);
	cr_assert_eq(kconfig_state_of(&kc, "OK2"), KCONFIG_MODULE);
	cr_assert_eq(kconfig_state_of(&kc, "OK3"), KCONFIG_NOT_SET);
	cr_assert_eq(kconfig_state_of(&kc, "Q"), KCONFIG_ABSENT);
	cr_assert_eq(kconfig_state_of(&kc, "W"), KCONFIG_ABSENT);
	kconfig_release(&kc);
}

Test(parse, crlf_line_ends)
{
	struct kconfig kc = { 0 };

	cr_assert_eq(kconfig_parse_text(&kc, "CONFIG_A=y\r\n"
					     "# CONFIG_B is not set\r\n"
					     "CONFIG_C=\"x\"\r\n"),
		     3);
	cr_assert_str_eq(kconfig_get(&kc, "A")->value, "y");
	cr_assert_eq(kconfig_state_of(&kc, "A"), KCONFIG_BUILTIN);
	cr_assert_eq(kconfig_state_of(&kc, "B"), KCONFIG_NOT_SET);
	cr_assert_str_eq(kconfig_get(&kc, "C")->value, "x");
	kconfig_release(&kc);
}

Test(parse, no_trailing_newline)
{
	struct kconfig kc = { 0 };

	cr_assert_eq(kconfig_parse_text(&kc, "CONFIG_A=m\nCONFIG_LAST=y"), 2);
	cr_assert_eq(kconfig_state_of(&kc, "LAST"), KCONFIG_BUILTIN);
	kconfig_release(&kc);
}

Test(parse, last_assignment_wins)
{
	struct kconfig kc = { 0 };

	cr_assert_eq(kconfig_parse_text(&kc, "CONFIG_A=y\n"
					     "CONFIG_B=m\n"
					     "# CONFIG_A is not set\n"
					     "CONFIG_B=y\n"),
		     2);
	cr_assert_eq(kconfig_state_of(&kc, "A"), KCONFIG_NOT_SET);
	cr_assert_eq(kconfig_state_of(&kc, "B"), KCONFIG_BUILTIN);
	cr_assert_eq(kconfig_get(&kc, "B")->line, 4);
	kconfig_release(&kc);
}

Test(parse, header_version)
{
	struct kconfig kc = { 0 };

	cr_assert_eq(
		kconfig_parse_text(
			&kc,
			"#\n# Automatically generated file; DO NOT EDIT.\n"
			"# Linux/x86 6.1.119 Kernel Configuration\n#\n"
			"CONFIG_CC_VERSION_TEXT=\"gcc (Debian 12.2.0-14) 12.2.0\"\n"),
		1);
	cr_assert_str_eq(kc.version, "6.1.119");
	cr_assert_str_eq(kconfig_get(&kc, "CC_VERSION_TEXT")->value,
			 "gcc (Debian 12.2.0-14) 12.2.0");
	kconfig_release(&kc);
}

Test(parse, nul_bytes_and_binary)
{
	static const char bin[] = "CONFIG_A=y\n\0\xff\xfe garbage\nCONFIG_B=m\n"
				  "CONF\0IG_C=y\n";
	struct kconfig kc = { 0 };
	char *buf = malloc(sizeof(bin));

	memcpy(buf, bin, sizeof(bin));
	cr_assert_eq(kconfig_parse(&kc, buf, sizeof(bin) - 1), 2);
	cr_assert_eq(kconfig_state_of(&kc, "A"), KCONFIG_BUILTIN);
	cr_assert_eq(kconfig_state_of(&kc, "B"), KCONFIG_MODULE);
	cr_assert_eq(kconfig_state_of(&kc, "C"), KCONFIG_ABSENT);
	kconfig_release(&kc);
}

Test(parse, empty_and_comment_only)
{
	struct kconfig kc = { 0 };

	cr_assert_eq(kconfig_parse_text(&kc, ""), 0);
	cr_assert_null(kconfig_get(&kc, "A"));
	kconfig_release(&kc);
	cr_assert_eq(kconfig_parse_text(&kc, "# nothing\n#\n"), 0);
	kconfig_release(&kc);
}

Test(parse, many_names_all_found)
{
	struct kconfig kc = { 0 };
	size_t size = 6000 * 40, len = 0;
	char *text = malloc(size), name[32];

	for (int i = 0; i < 6000; i++)
		len += (size_t)snprintf(text + len, size - len,
					i % 3 ? "CONFIG_OPT_%d=y\n"
					      : "# CONFIG_OPT_%d is not set\n",
					i);
	cr_assert_eq(kconfig_parse_text(&kc, text), 6000);
	for (int i = 0; i < 6000; i++) {
		snprintf(name, sizeof(name), "OPT_%d", i);
		cr_assert_eq(kconfig_state_of(&kc, name),
			     i % 3 ? KCONFIG_BUILTIN : KCONFIG_NOT_SET, "%s",
			     name);
	}
	cr_assert_null(kconfig_get(&kc, "OPT_6000"));
	free(text);
	kconfig_release(&kc);
}

/* ---- plain and gzip files ---- */

TestSuite(source, .init = setup, .fini = teardown);

static void need_zlib(void)
{
#ifndef HAVE_ZLIB
	cr_skip("built without zlib");
#endif
}

#ifdef HAVE_ZLIB
/* Compress data into a gzip file of the fixture. */
static void write_gz(const char *path, const char *data, size_t len)
{
	char full[512];
	gzFile gz;

	fixture_write(&fx, path, "", 0);
	snprintf(full, sizeof(full), "%s%s", fx.root, path);
	gz = gzopen(full, "wb");
	cr_assert_not_null(gz);
	cr_assert_eq(gzwrite(gz, data, (unsigned)len), (int)len);
	cr_assert_eq(gzclose(gz), Z_OK);
}
#else
static void write_gz(const char *path, const char *data, size_t len)
{
	(void)path;
	(void)data;
	(void)len;
	cr_skip("built without zlib");
}
#endif

/* The bytes of a fixture file. */
static char *slurp(const char *path, size_t *len)
{
	struct pathctx pc;
	char *buf = NULL;

	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(path_read_file(&pc, path, 1 << 26, &buf, len), 0);
	pathctx_release(&pc);
	return buf;
}

static int read_one(struct kconfig *kc, const char *path, size_t max, char *err)
{
	struct pathctx pc;
	int r;

	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	r = kconfig_read(kc, &pc, path, max, err, 512);
	pathctx_release(&pc);
	return r;
}

Test(source, plain_file)
{
	struct kconfig kc = { 0 };
	char err[512] = "";

	fixture_write(&fx, "/boot/config-" REL, "CONFIG_A=y\n", -1);
	cr_assert_eq(read_one(&kc, "/boot/config-" REL, KCONFIG_MAX_SIZE, err),
		     1, "%s", err);
	cr_assert_not(kc.compressed);
	cr_assert_str_eq(kc.path, "/boot/config-" REL);
	kconfig_release(&kc);
}

Test(source, gzip_file_by_magic_not_name)
{
	struct kconfig kc = { 0 };
	char err[512] = "";

	need_zlib();
	write_gz("/tmp/config-without-suffix", "CONFIG_A=m\nCONFIG_B=y\n", 22);
	cr_assert_eq(read_one(&kc, "/tmp/config-without-suffix",
			      KCONFIG_MAX_SIZE, err),
		     2, "%s", err);
	cr_assert(kc.compressed);
	cr_assert_eq(kconfig_state_of(&kc, "A"), KCONFIG_MODULE);
	kconfig_release(&kc);
}

Test(source, gzip_members_concatenated)
{
	struct kconfig kc = { 0 };
	char err[512] = "", *a, *b, *both;
	size_t la, lb;

	need_zlib();
	write_gz("/a.gz", "CONFIG_A=y\n", 11);
	write_gz("/b.gz", "CONFIG_B=m\n", 11);
	a = slurp("/a.gz", &la);
	b = slurp("/b.gz", &lb);
	both = malloc(la + lb);
	memcpy(both, a, la);
	memcpy(both + la, b, lb);
	fixture_write(&fx, "/ab.gz", both, (long)(la + lb));
	cr_assert_eq(read_one(&kc, "/ab.gz", KCONFIG_MAX_SIZE, err), 2, "%s",
		     err);
	cr_assert_eq(kconfig_state_of(&kc, "B"), KCONFIG_MODULE);
	free(a);
	free(b);
	free(both);
	kconfig_release(&kc);
}

Test(source, broken_gzip_is_one_line_naming_the_file)
{
	struct kconfig kc = { 0 };
	char err[512] = "";

	need_zlib();
	fixture_write(&fx, "/proc/config.gz",
		      "\x1f\x8b\x08\x00garbage garbage garbage", 27);
	cr_assert_eq(read_one(&kc, "/proc/config.gz", KCONFIG_MAX_SIZE, err),
		     -EBADMSG);
	cr_assert(startswith(err, "/proc/config.gz: not a valid gzip file ("),
		  "%s", err);
	cr_assert_null(strchr(err, '\n'));
	cr_assert_null(kc.buf);
}

Test(source, truncated_gzip)
{
	struct kconfig kc = { 0 };
	char err[512] = "", *gz, text[4096];
	size_t len;

	need_zlib();
	for (size_t i = 0; i < sizeof(text) - 1; i++)
		text[i] = (char)('A' + (i * 7919) % 26);
	text[sizeof(text) - 1] = '\0';
	write_gz("/full.gz", text, sizeof(text) - 1);
	gz = slurp("/full.gz", &len);
	fixture_write(&fx, "/half.gz", gz, (long)(len / 2));
	cr_assert_eq(read_one(&kc, "/half.gz", KCONFIG_MAX_SIZE, err),
		     -EBADMSG);
	cr_assert_str_eq(
		err, "/half.gz: not a valid gzip file (truncated gzip data)");
	free(gz);
}

Test(source, oversize_plain)
{
	struct kconfig kc = { 0 };
	char err[512] = "", big[3000];

	memset(big, '#', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fixture_write(&fx, "/big", big, -1);
	cr_assert_eq(read_one(&kc, "/big", 1024, err), -EFBIG);
	cr_assert_str_eq(err, "/big: larger than 1024 bytes");
}

Test(source, oversize_after_decompression)
{
	struct kconfig kc = { 0 };
	size_t n = (size_t)KCONFIG_MAX_SIZE + 4096;
	char err[512] = "", *zeros = malloc(n);

	need_zlib();
	/* a tiny file that inflates past the 16 MiB bound */
	memset(zeros, '\n', n);
	write_gz("/proc/config.gz", zeros, n);
	free(zeros);
	cr_assert_eq(read_one(&kc, "/proc/config.gz", KCONFIG_MAX_SIZE, err),
		     -EFBIG);
	cr_assert_str_eq(err,
			 "/proc/config.gz: decompresses to more than 16 MiB");
}

Test(source, not_a_kernel_config)
{
	struct kconfig kc = { 0 };
	char err[512] = "";

	fixture_write(&fx, "/etc/hosts", "127.0.0.1 localhost\n", -1);
	cr_assert_eq(read_one(&kc, "/etc/hosts", KCONFIG_MAX_SIZE, err),
		     -EINVAL);
	cr_assert_str_eq(err,
			 "/etc/hosts: no CONFIG_ lines (not a kernel config?)");
}

Test(source, missing_file)
{
	struct kconfig kc = { 0 };
	char err[512] = "";

	cr_assert_eq(read_one(&kc, "/nope/.config", KCONFIG_MAX_SIZE, err),
		     -ENOENT);
	cr_assert_str_eq(err, "/nope/.config: No such file or directory");
}

/* Which file kconfig_find() picks. */
static const char *found(char *notes)
{
	static char path[256];
	struct kconfig kc = { 0 };
	struct pathctx pc;
	int r;

	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	r = kconfig_find(&kc, &pc, REL, notes, 512);
	pathctx_release(&pc);
	if (r < 0)
		return NULL;
	snprintf(path, sizeof(path), "%s", kc.path);
	kconfig_release(&kc);
	return path;
}

Test(source, search_order)
{
	static const char *const order[] = {
		"/proc/config.gz",
		"/boot/config-" REL,
		"/usr/src/linux-" REL "/.config",
		"/usr/src/linux/.config",
		MODDIR "/build/.config",
	};
	char notes[512];

	need_zlib();
	write_gz(order[0], "CONFIG_A=y\n", 11);
	for (size_t i = 1; i < ARRAY_SIZE(order); i++)
		fixture_write(&fx, order[i], "CONFIG_A=y\n", -1);
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		cr_assert_str_eq(found(notes), order[i]);
		cr_assert_str_eq(notes, "");
		fixture_unlink(order[i]);
	}
	cr_assert_null(found(notes));
}

Test(source, search_skips_a_broken_candidate_and_says_so)
{
	char notes[512];

	fixture_write(&fx, "/proc/config.gz", "\x1f\x8b\x08\x00junkjunk", 12);
	fixture_write(&fx, "/usr/src/linux/.config", "CONFIG_A=y\n", -1);
	cr_assert_str_eq(found(notes), "/usr/src/linux/.config");
	cr_assert(startswith(notes, "/proc/config.gz: "), "%s", notes);
}

Test(source, candidates_without_release)
{
	char paths[KCONFIG_N_CANDIDATES][256];

	cr_assert_eq(kconfig_candidates(NULL, paths), 2);
	cr_assert_str_eq(paths[0], "/proc/config.gz");
	cr_assert_str_eq(paths[1], "/usr/src/linux/.config");
	cr_assert_eq(kconfig_candidates(REL, paths), 5);
	cr_assert_str_eq(paths[4], MODDIR "/build/.config");
}

/* ---- modules ---- */

TestSuite(modules, .init = setup, .fini = teardown);

static enum kmod_state mod_state(const char *release, const char *names)
{
	struct kmod_index ix;
	struct pathctx pc;
	enum kmod_state st;

	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(kmod_index_load(&ix, &pc, release), 0);
	st = kmod_lookup(&ix, &pc, names);
	kmod_index_release(&ix);
	pathctx_release(&pc);
	return st;
}

Test(modules, loaded_available_missing)
{
	fixture_write(&fx, "/proc/modules",
		      "br_netfilter 32768 0 - Live 0x0000000000000000\n"
		      "bridge 311296 1 br_netfilter, Live 0x0000000000000000\n",
		      -1);
	fixture_write(
		&fx, MODDIR "/modules.dep",
		"kernel/net/bridge/bridge.ko.zst: kernel/net/llc/llc.ko.zst\n"
		"kernel/drivers/net/veth.ko.xz:\n"
		"kernel/net/ipv4/netfilter/iptable_nat.ko.gz: x.ko\n"
		"kernel/drivers/md/dm-thin-pool.ko: kernel/drivers/md/dm-mod.ko\n"
		"kernel/fs/overlayfs/overlay.ko\n"
		"kernel/net/netfilter/xt_MASQUERADE.ko.zst:\n",
		-1);
	cr_assert_eq(mod_state(REL, "bridge"), KMOD_LOADED);
	cr_assert_eq(mod_state(REL, "br-netfilter"), KMOD_LOADED);
	cr_assert_eq(mod_state(REL, "veth"), KMOD_AVAILABLE);
	cr_assert_eq(mod_state(REL, "iptable_nat"), KMOD_AVAILABLE);
	cr_assert_eq(mod_state(REL, "dm_thin_pool"), KMOD_AVAILABLE);
	/* only the part before ':' is a module of its own */
	cr_assert_eq(mod_state(REL, "llc"), KMOD_MISSING);
	/* a line without ':' is not a modules.dep entry */
	cr_assert_eq(mod_state(REL, "overlay"), KMOD_MISSING);
	cr_assert_eq(mod_state(REL, "ipt_MASQUERADE xt_MASQUERADE"),
		     KMOD_AVAILABLE);
	cr_assert_eq(mod_state(REL, "vxlan"), KMOD_MISSING);
}

Test(modules, whole_directory_missing)
{
	fixture_write(&fx, "/proc/modules", "bridge 1 0 - Live 0x0\n", -1);
	fixture_mkdir(&fx, "/lib/modules/6.8.0-1-generic");
	cr_assert_eq(mod_state(REL, "veth"), KMOD_NO_DIR);
	/* loaded before the upgrade: still there */
	cr_assert_eq(mod_state(REL, "bridge"), KMOD_LOADED);
}

Test(modules, unknown_without_modules_dep_or_release)
{
	fixture_write(&fx, "/proc/modules", "", 0);
	fixture_mkdir(&fx, MODDIR);
	cr_assert_eq(mod_state(REL, "veth"), KMOD_UNKNOWN);
	cr_assert_eq(mod_state(NULL, "veth"), KMOD_UNKNOWN);
}

Test(modules, sysfs_fallback_without_proc_modules)
{
	fixture_write(&fx, "/sys/module/overlay/initstate", "live\n", -1);
	fixture_write(&fx, "/sys/module/veth/initstate", "going\n", -1);
	fixture_write(&fx, MODDIR "/modules.dep", "kernel/veth.ko:\n", -1);
	cr_assert_eq(mod_state(REL, "overlay"), KMOD_LOADED);
	cr_assert_eq(mod_state(REL, "veth"), KMOD_AVAILABLE);
	/* built in: /sys/module/NAME exists, but no initstate */
	fixture_mkdir(&fx, "/sys/module/bridge/parameters");
	cr_assert_eq(mod_state(REL, "bridge"), KMOD_MISSING);
}

/* ---- the check ---- */

/* Everything the check looks at, for Docker 28.x on kernel 6.1. */
static const char *const all_options[] = {
	"NAMESPACES",
	"NET_NS",
	"PID_NS",
	"IPC_NS",
	"UTS_NS",
	"CGROUPS",
	"CGROUP_CPUACCT",
	"CGROUP_DEVICE",
	"CGROUP_FREEZER",
	"CGROUP_SCHED",
	"CPUSETS",
	"MEMCG",
	"KEYS",
	"VETH",
	"BRIDGE",
	"BRIDGE_NETFILTER",
	"IP_NF_FILTER",
	"IP_NF_MANGLE",
	"IP_NF_TARGET_MASQUERADE",
	"NETFILTER_XT_MATCH_ADDRTYPE",
	"NETFILTER_XT_MATCH_CONNTRACK",
	"NETFILTER_XT_MATCH_IPVS",
	"NETFILTER_XT_MARK",
	"IP_NF_NAT",
	"NF_NAT",
	"POSIX_MQUEUE",
	"IP6_NF_FILTER",
	"IP6_NF_MANGLE",
	"IP6_NF_TARGET_MASQUERADE",
	"IP_NF_RAW",
	"IP6_NF_RAW",
	"IP6_NF_NAT",
	"CGROUP_BPF",
	/* optional */
	"USER_NS",
	"SECCOMP",
	"SECCOMP_FILTER",
	"CGROUP_PIDS",
	"BLK_CGROUP",
	"BLK_DEV_THROTTLING",
	"CGROUP_PERF",
	"CGROUP_HUGETLB",
	"NET_CLS_CGROUP",
	"CGROUP_NET_PRIO",
	"CFS_BANDWIDTH",
	"FAIR_GROUP_SCHED",
	"IP_NF_TARGET_REDIRECT",
	"IP_VS",
	"IP_VS_NFCT",
	"IP_VS_PROTO_TCP",
	"IP_VS_PROTO_UDP",
	"IP_VS_RR",
	"SECURITY_SELINUX",
	"SECURITY_APPARMOR",
	"EXT4_USE_FOR_EXT2",
	"EXT4_FS",
	"EXT4_FS_POSIX_ACL",
	"EXT4_FS_SECURITY",
	"VXLAN",
	"BRIDGE_VLAN_FILTERING",
	"CRYPTO",
	"CRYPTO_AEAD",
	"CRYPTO_GCM",
	"CRYPTO_SEQIV",
	"CRYPTO_GHASH",
	"XFRM",
	"XFRM_USER",
	"XFRM_ALGO",
	"INET_ESP",
	"NETFILTER_XT_MATCH_BPF",
	"IPVLAN",
	"MACVLAN",
	"DUMMY",
	"NF_NAT_FTP",
	"NF_CONNTRACK_FTP",
	"NF_NAT_TFTP",
	"NF_CONNTRACK_TFTP",
	"OVERLAY_FS",
	"BTRFS_FS",
	"BTRFS_FS_POSIX_ACL",
	/* not looked at */
	"LEGACY_VSYSCALL_XONLY",
};

/*
 * A healthy host; extra lines (later ones win) change the config. The
 * header gives header_version, by default the release's numbers.
 */
static void host_setup_v(const char *release, const char *header_version,
			 const char *extra)
{
	size_t size = 8192, len = 0;
	char *text = malloc(size);

	if (!header_version)
		header_version = release;
	len += (size_t)snprintf(text + len, size - len,
				"#\n# Linux/x86 %.*s Kernel Configuration\n",
				(int)strcspn(header_version, "-\n"),
				header_version);
	for (size_t i = 0; i < ARRAY_SIZE(all_options); i++)
		len += (size_t)snprintf(text + len, size - len, "CONFIG_%s=y\n",
					all_options[i]);
	snprintf(text + len, size - len, "%s", extra ? extra : "");
	fixture_write(&fx, "/proc/sys/kernel/osrelease", release, -1);
	fixture_write(&fx, "/proc/sys/kernel/keys/root_maxkeys", "1000000\n",
		      -1);
	fixture_write(&fx, "/proc/modules", "", 0);
	fixture_writef(&fx, text, "/boot/config-%.*s",
		       (int)strcspn(release, "\n"), release);
	free(text);
}

static void host_setup(const char *release, const char *extra)
{
	host_setup_v(release, NULL, extra);
}

struct run_opts {
	const char *docker; /* --docker-version, default 28.5 */
	const char *kernel_config;
	int expect; /* the run's return value */
};

static struct report *run_check_o(struct run_opts ro)
{
	struct options o = { .timeout_ms = 300 };
	struct report *r;
	char error[512];

	o.host = "unix:///nonexistent/dd.sock";
	o.docker_version = (char *)(ro.docker ? ro.docker : "28.5");
	o.kernel_config = (char *)ro.kernel_config;
	r = fixture_run_check(&fx, &check_kernel_config, &o, ro.expect, error,
			      sizeof(error));
	if (ro.expect < 0) {
		/* keep the message for the test */
		finding_set_detail(report_add(r, "error", SEV_UNKNOWN, "%s",
					      error),
				   "%d", ro.expect);
	}
	return r;
}

#define run_check(...) run_check_o((struct run_opts){ __VA_ARGS__ })

TestSuite(check, .init = setup, .fini = teardown);

Test(check, healthy)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", NULL);
	r = run_check();
	f = test_find(
		r, SEV_OK,
		"kernel config /boot/config-" REL
		" has all 32 options Docker needs (32 built in, 0 as modules)");
	cr_assert_not_null(f);
	cr_assert_eq(report_worst(r), SEV_OK);
	cr_assert_eq(r->n_findings, 1);
	cr_assert_str_eq(test_evidence(f, "source"), "/boot/config-" REL);
	cr_assert_str_eq(test_evidence(f, "storage_drivers"),
			 "btrfs, overlay2");
	cr_assert_str_eq(test_evidence(f, "docker_version"),
			 "28.5 (--docker-version)");
	cr_assert_str_eq(test_evidence(f, "kernel"), REL);
	report_free(r);
}

Test(check, necessary_options_missing)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", "# CONFIG_VETH is not set\n"
			     "CONFIG_BRIDGE=n\n"
			     "# CONFIG_NAMESPACES is not set\n");
	r = run_check();
	f = test_find(r, SEV_CRITICAL, "kernel lacks 3 options Docker needs: ");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->summary, "CONFIG_NAMESPACES"));
	cr_assert_not_null(strstr(f->summary, "CONFIG_VETH"));
	cr_assert_not_null(strstr(f->summary, "CONFIG_BRIDGE"));
	cr_assert_str_eq(test_evidence(f, "config_veth"), "missing");
	cr_assert_str_eq(test_evidence(f, "config_bridge"), "missing");
	cr_assert_str_eq(test_evidence(f, "source"), "/boot/config-" REL);
	cr_assert_not_null(strstr(f->remedy, "CONFIG_VETH"));
	cr_assert_not_null(strstr(f->detail, "the default bridge network"));
	cr_assert_null(test_find(r, SEV_OK, ""));
	report_free(r);
}

Test(check, absent_option_counts_as_missing)
{
	const struct finding *f;
	struct report *r;

	/* drop a line entirely: rewrite the config without POSIX_MQUEUE */
	host_setup(REL "\n", NULL);
	fixture_write(&fx, "/boot/config-" REL, "CONFIG_NAMESPACES=y\n", -1);
	r = run_check();
	f = test_find(r, SEV_CRITICAL, "kernel lacks 16 options Docker needs");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "config_posix_mqueue"), "missing");
	cr_assert_null(test_evidence(f, "config_namespaces"));
	cr_assert_null(test_evidence(f, "config_cgroup_freezer"));
	f = test_find(r, SEV_WARNING,
		      "kernel lacks 15 options for Docker features");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "config_cgroup_freezer"), "missing");
	report_free(r);
}

Test(check, modules_not_loaded_but_available)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", "CONFIG_BRIDGE=m\nCONFIG_VETH=m\n"
			     "CONFIG_OVERLAY_FS=m\n");
	fixture_write(&fx, "/proc/modules", "veth 40960 0 - Live 0x0\n", -1);
	fixture_write(
		&fx, MODDIR "/modules.dep",
		"kernel/net/bridge/bridge.ko.zst: kernel/net/llc/llc.ko.zst\n"
		"kernel/drivers/net/veth.ko.zst:\n"
		"kernel/fs/overlayfs/overlay.ko.zst:\n",
		-1);
	r = run_check();
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	f = test_find(
		r, SEV_INFO,
		"1 option built as modules, not loaded: dockerd and the kernel load them on demand");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "config_bridge"),
			 "m (bridge: not loaded, in " MODDIR ")");
	cr_assert_null(test_evidence(f, "config_veth"));
	f = test_find(r, SEV_OK, "(30 built in, 2 as modules)");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "modules_loaded"), "1");
	cr_assert_eq(report_worst(r), SEV_INFO);
	report_free(r);
}

Test(check, module_file_missing)
{
	const struct finding *f;
	struct report *r;

	host_setup(
		REL "\n",
		"CONFIG_BRIDGE_NETFILTER=m\nCONFIG_IP_NF_TARGET_MASQUERADE=m\n");
	fixture_write(&fx, MODDIR "/modules.dep",
		      "kernel/net/netfilter/xt_MASQUERADE.ko.zst:\n", -1);
	r = run_check();
	/* br_netfilter gates --icc=false and the like: a warning */
	f = test_find(
		r, SEV_WARNING,
		"1 option Docker needs is built as modules that are not installed: br_netfilter");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "config_bridge_netfilter"),
			 "m (br_netfilter: module file missing)");
	/* the new name of ipt_MASQUERADE is found */
	cr_assert_null(test_evidence(f, "config_ip_nf_target_masquerade"));
	cr_assert_not_null(strstr(f->remedy, "depmod -a"));
	cr_assert_not_null(strstr(f->remedy, "modprobe br_netfilter"));
	cr_assert_null(test_find(r, SEV_OK, ""));
	report_free(r);
}

Test(check, whole_modules_directory_missing_after_upgrade)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", "CONFIG_BRIDGE=m\nCONFIG_IP_NF_NAT=m\n"
			     "CONFIG_VETH=m\n");
	fixture_write(&fx, "/proc/modules", "veth 40960 0 - Live 0x0\n", -1);
	fixture_write(&fx, "/lib/modules/6.1.0-30-amd64/modules.dep", "", 0);
	r = run_check();
	f = test_find(
		r, SEV_CRITICAL,
		MODDIR
		" does not exist: 2 modules Docker needs cannot be loaded (bridge, iptable_nat)");
	cr_assert_not_null(f, "no finding");
	cr_assert_not_null(strstr(f->summary, "without a reboot"));
	cr_assert_not_null(strstr(f->remedy,
				  "Reboot into the installed kernel "
				  "(/lib/modules has 6.1.0-30-amd64)"));
	cr_assert_str_eq(test_evidence(f, "modules_dir"), MODDIR " missing");
	cr_assert_str_eq(test_evidence(f, "config_bridge"),
			 "m (bridge: modules directory missing)");
	/* loaded before the upgrade: fine */
	cr_assert_null(test_evidence(f, "config_veth"));
	report_free(r);
}

Test(check, builtins_do_not_need_lib_modules)
{
	struct report *r;

	/* this host's situation: everything =y, no /lib/modules at all */
	host_setup(REL "\n", NULL);
	r = run_check();
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(check, optional_group_missing)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", "# CONFIG_VXLAN is not set\n"
			     "# CONFIG_IPVLAN is not set\n"
			     "# CONFIG_SECCOMP_FILTER is not set\n");
	r = run_check();
	f = test_find(
		r, SEV_INFO,
		"overlay networks (swarm) unavailable: CONFIG_VXLAN missing");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "config_vxlan"), "missing");
	cr_assert_str_eq(test_evidence(f, "feature"), "overlay_network");
	cr_assert_not_null(test_find(
		r, SEV_INFO,
		"ipvlan networks unavailable: CONFIG_IPVLAN missing"));
	/* no default syscall filter: a security default lost */
	cr_assert_not_null(test_find(r, SEV_WARNING, "seccomp unavailable"));
	cr_assert_eq(test_count_sev(r, SEV_INFO), 2);
	f = test_find(r, SEV_OK, "has all 32 options");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "optional_features_missing"), "3");
	cr_assert_eq(report_worst(r), SEV_WARNING);
	report_free(r);
}

Test(check, optional_module_without_file)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", "CONFIG_MACVLAN=m\n");
	fixture_write(&fx, MODDIR "/modules.dep", "kernel/veth.ko:\n", -1);
	r = run_check();
	f = test_find(
		r, SEV_INFO,
		"macvlan networks unavailable: CONFIG_MACVLAN=m (no module file) missing");
	cr_assert_not_null(f);
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	report_free(r);
}

Test(check, one_security_module_is_enough)
{
	struct report *r;

	host_setup(REL "\n", "# CONFIG_SECURITY_APPARMOR is not set\n");
	r = run_check();
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
	host_setup(REL "\n", "# CONFIG_SECURITY_APPARMOR is not set\n"
			     "# CONFIG_SECURITY_SELINUX is not set\n");
	r = run_check();
	cr_assert_not_null(test_find(
		r, SEV_INFO,
		"no security module for containers (neither SELinux nor AppArmor): CONFIG_SECURITY_SELINUX, CONFIG_SECURITY_APPARMOR all missing"));
	report_free(r);
}

Test(check, ext3_only_without_ext4_for_ext2)
{
	struct report *r;

	/* EXT4_USE_FOR_EXT2=y: the ext3 options are not looked at */
	host_setup(REL "\n", NULL);
	r = run_check();
	cr_assert_null(test_find(r, SEV_INFO, "ext3"));
	report_free(r);
	host_setup(REL "\n", "# CONFIG_EXT4_USE_FOR_EXT2 is not set\n");
	r = run_check();
	cr_assert_not_null(test_find(
		r, SEV_INFO,
		"ext3 as backing filesystem unsupported: CONFIG_EXT3_FS, CONFIG_EXT3_FS_XATTR, CONFIG_EXT3_FS_POSIX_ACL, CONFIG_EXT3_FS_SECURITY missing"));
	report_free(r);
}

Test(check, no_storage_driver)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", "# CONFIG_OVERLAY_FS is not set\n"
			     "# CONFIG_BTRFS_FS_POSIX_ACL is not set\n");
	r = run_check();
	f = test_find(r, SEV_WARNING, "no storage driver available");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "config_overlay_fs"), "missing");
	cr_assert_str_eq(test_evidence(f, "config_btrfs_fs"), "enabled");
	cr_assert_str_eq(test_evidence(f, "config_btrfs_fs_posix_acl"),
			 "missing");
	cr_assert_null(test_find(r, SEV_OK, ""));
	report_free(r);
}

Test(check, btrfs_alone_is_a_storage_driver)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", "# CONFIG_OVERLAY_FS is not set\n");
	r = run_check();
	cr_assert_null(test_find(r, SEV_WARNING, ""));
	f = test_find(r, SEV_OK, "has all");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "storage_drivers"), "btrfs");
	report_free(r);
}

Test(check, zfs_device_is_a_storage_driver)
{
	char path[512];
	struct report *r;

	host_setup(REL "\n", "# CONFIG_OVERLAY_FS is not set\n"
			     "# CONFIG_BTRFS_FS is not set\n");
	fixture_mkdir(&fx, "/dev");
	snprintf(path, sizeof(path), "%s/dev/zfs", fx.root);
	if (mknod(path, S_IFCHR | 0600, makedev(10, 249)) < 0)
		cr_skip("mknod: %s", strerror(errno));
	r = run_check();
	cr_assert_null(test_find(r, SEV_WARNING, ""));
	cr_assert_str_eq(test_evidence(test_find(r, SEV_OK, "has all"),
				       "storage_drivers"),
			 "zfs");
	report_free(r);
}

Test(check, apparmor_enabled_without_parser)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", NULL);
	fixture_write(&fx, "/sys/module/apparmor/parameters/enabled", "Y\n",
		      -1);
	r = run_check();
	f = test_find(r, SEV_WARNING,
		      "AppArmor is enabled, but apparmor_parser is missing");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "apt-get install apparmor"));
	cr_assert_str_eq(test_evidence(f, "apparmor_parser"), "missing");
	report_free(r);

	fixture_write(&fx, "/usr/sbin/apparmor_parser", "#!/bin/true\n", -1);
	r = run_check();
	cr_assert_null(test_find(r, SEV_WARNING, "AppArmor"));
	report_free(r);

	/* AppArmor built in but off: no parser needed */
	fixture_write(&fx, "/sys/module/apparmor/parameters/enabled", "N\n",
		      -1);
	fixture_unlink("/usr/sbin/apparmor_parser");
	r = run_check();
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(check, low_root_maxkeys)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", NULL);
	fixture_write(&fx, "/proc/sys/kernel/keys/root_maxkeys", "200\n", -1);
	r = run_check();
	f = test_find(r, SEV_WARNING, "kernel.keys.root_maxkeys is 200");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(
		f->remedy, "sysctl -w kernel.keys.root_maxkeys=1000000"));
	cr_assert_not_null(strstr(f->remedy, "/etc/sysctl.d/"));
	cr_assert_str_eq(test_evidence(f, "root_maxkeys"), "200");
	report_free(r);

	fixture_write(&fx, "/proc/sys/kernel/keys/root_maxkeys", "10001\n", -1);
	r = run_check();
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(check, unreadable_root_maxkeys_is_unknown_not_fatal)
{
	struct report *r;

	host_setup(REL "\n", NULL);
	fixture_write(&fx, "/proc/sys/kernel/keys/root_maxkeys", "lots\n", -1);
	r = run_check();
	cr_assert_not_null(test_find(
		r, SEV_UNKNOWN,
		"/proc/sys/kernel/keys/root_maxkeys: unexpected value 'lots'"));
	cr_assert_not_null(test_find(r, SEV_OK, "has all"));
	report_free(r);
}

Test(check, kernel_version_conditions)
{
	const struct finding *f;
	struct report *r;

	/* NF_NAT_IPV4 is needed up to 5.1, NF_NAT_NEEDED up to 5.2 */
	host_setup("5.1.21\n", "# CONFIG_NF_NAT_IPV4 is not set\n");
	r = run_check();
	f = test_find(r, SEV_CRITICAL, "kernel lacks 2 options Docker needs");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "config_nf_nat_ipv4"), "missing");
	cr_assert_str_eq(test_evidence(f, "config_nf_nat_needed"), "missing");
	report_free(r);

	host_setup("5.2.0\n", "# CONFIG_NF_NAT_IPV4 is not set\n");
	r = run_check();
	f = test_find(r, SEV_CRITICAL, "kernel lacks 1 option Docker needs");
	cr_assert_not_null(f);
	cr_assert_null(test_evidence(f, "config_nf_nat_ipv4"));
	cr_assert_str_eq(test_evidence(f, "config_nf_nat_needed"), "missing");
	report_free(r);

	host_setup("5.3.0\n", "# CONFIG_NF_NAT_IPV4 is not set\n");
	r = run_check();
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	report_free(r);
}

Test(check, kernel_version_lower_bound)
{
	struct report *r;

	/* CGROUP_BPF from 4.15; DEVPTS_MULTIPLE_INSTANCES below 4.8 */
	host_setup("4.14.300\n",
		   "# CONFIG_CGROUP_BPF is not set\n"
		   "CONFIG_NF_NAT_IPV4=y\nCONFIG_NF_NAT_NEEDED=y\n"
		   "CONFIG_MEMCG_SWAP=y\nCONFIG_MEMCG_SWAP_ENABLED=y\n"
		   "CONFIG_IOSCHED_CFQ=y\nCONFIG_CFQ_GROUP_IOSCHED=y\n"
		   "CONFIG_INET_XFRM_MODE_TRANSPORT=y\n");
	r = run_check();
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
	host_setup("4.15.0\n",
		   "# CONFIG_CGROUP_BPF is not set\n"
		   "CONFIG_NF_NAT_IPV4=y\nCONFIG_NF_NAT_NEEDED=y\n");
	r = run_check();
	cr_assert_not_null(test_find(
		r, SEV_CRITICAL,
		"kernel lacks 1 option Docker needs: CONFIG_CGROUP_BPF"));
	report_free(r);
}

Test(check, swap_options_only_before_5_8)
{
	const struct finding *f;
	struct report *r;

	/* gone from 5.8 on (moby PR 50553): not reported on 6.1 */
	host_setup(REL "\n", NULL);
	r = run_check();
	cr_assert_null(test_find(r, SEV_INFO, "swap"));
	report_free(r);
	host_setup("5.4.0\n", "CONFIG_MEMCG_SWAP=y\n"
			      "# CONFIG_MEMCG_SWAP_ENABLED is not set\n");
	r = run_check();
	f = test_find(
		r, SEV_INFO,
		"swap limits unavailable (--memory-swap): CONFIG_MEMCG_SWAP_ENABLED missing");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "swapaccount=1"));
	report_free(r);
}

Test(check, docker_version_conditions)
{
	struct report *r;
	const char *extra = "# CONFIG_IP6_NF_FILTER is not set\n"
			    "# CONFIG_IP6_NF_NAT is not set\n";

	host_setup(REL "\n", extra);
	r = run_check(.docker = "27.5");
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	cr_assert_not_null(test_find(r, SEV_OK, "has all 26 options"));
	report_free(r);

	/* check-config.sh checks the IP6_NF_* tables from v28.1 on */
	r = run_check(.docker = "28.0");
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	report_free(r);

	/* dockerd runs without ip6tables: IPv6 NAT is what breaks */
	r = run_check(.docker = "28.5");
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	cr_assert_not_null(test_find(
		r, SEV_WARNING,
		"kernel lacks 2 options for Docker features (containers still run): CONFIG_IP6_NF_FILTER, CONFIG_IP6_NF_NAT"));
	report_free(r);
}

Test(check, docker_20_10_list)
{
	struct report *r;

	/* 20.10's list has no CGROUP_BPF, 23.0's has; IP_NF_MANGLE from 25.0 */
	host_setup(REL "\n", "# CONFIG_IP_NF_MANGLE is not set\n"
			     "# CONFIG_CGROUP_BPF is not set\n");
	r = run_check(.docker = "20.10");
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	cr_assert_not_null(test_find(r, SEV_OK, "has all 24 options"));
	report_free(r);
	r = run_check(.docker = "23.0");
	cr_assert_not_null(test_find(
		r, SEV_CRITICAL,
		"kernel lacks 1 option Docker needs: CONFIG_CGROUP_BPF"));
	cr_assert_null(test_find(r, SEV_WARNING, "CONFIG_IP_NF_MANGLE"));
	report_free(r);
	r = run_check(.docker = "25.0");
	cr_assert_not_null(test_find(
		r, SEV_WARNING,
		"kernel lacks 1 option for Docker features (containers still run): CONFIG_IP_NF_MANGLE"));
	report_free(r);
}

Test(check, old_storage_drivers_for_old_docker)
{
	const struct finding *f;
	struct report *r;

	/* devicemapper counts up to 24.0, not in 25+ */
	host_setup(REL "\n",
		   "# CONFIG_OVERLAY_FS is not set\n"
		   "# CONFIG_BTRFS_FS is not set\n"
		   "CONFIG_BLK_DEV_DM=y\nCONFIG_DM_THIN_PROVISIONING=y\n");
	r = run_check(.docker = "24.0");
	f = test_find(r, SEV_OK, "has all");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "storage_drivers"), "devicemapper");
	report_free(r);
	r = run_check(.docker = "25.0");
	cr_assert_not_null(test_find(r, SEV_WARNING, "no storage driver"));
	report_free(r);
}

Test(check, vsyscall)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", "# CONFIG_LEGACY_VSYSCALL_XONLY is not set\n"
			     "CONFIG_LEGACY_VSYSCALL_NONE=y\n");
	r = run_check();
	f = test_find(r, SEV_INFO, "vsyscall page is disabled");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "vsyscall=emulate"));
	report_free(r);
	/* the command line overrides the config */
	fixture_write(&fx, "/proc/cmdline", "ro quiet vsyscall=emulate\n", -1);
	r = run_check();
	cr_assert_null(test_find(r, SEV_INFO, "vsyscall"));
	report_free(r);
}

Test(check, debian_abi_release_matches_its_config)
{
	struct report *r;

	/* Debian's 6.1.0-28-amd64 is built from 6.1.119: the same kernel */
	host_setup_v(REL "\n", "6.1.119", NULL);
	r = run_check();
	cr_assert_eq(report_worst(r), SEV_OK);
	cr_assert_eq(r->n_findings, 1);
	report_free(r);
}

Test(check, config_of_another_kernel)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", NULL);
	fixture_write(&fx, "/proc/sys/kernel/osrelease", "6.12.9-1\n", -1);
	fixture_write(&fx, "/usr/src/linux/.config",
		      "# Linux/x86 6.1.119 Kernel Configuration\nCONFIG_A=y\n",
		      -1);
	r = run_check();
	f = test_find(
		r, SEV_INFO,
		"kernel config /usr/src/linux/.config is for Linux 6.1.119, but the running kernel is 6.12.9-1");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "config_version"), "6.1.119");
	cr_assert_not_null(strstr(f->remedy, "--kernel-config"));
	report_free(r);
}

Test(check, explicit_kernel_config_gz)
{
	const struct finding *f;
	struct report *r;
	char *text;
	size_t len;

	need_zlib();
	host_setup(REL "\n", NULL);
	text = slurp("/boot/config-" REL, &len);
	write_gz("/srv/cfg.gz", text, len);
	free(text);
	r = run_check(.kernel_config = "/srv/cfg.gz");
	f = test_find(r, SEV_OK, "kernel config /srv/cfg.gz has all 32");
	cr_assert_not_null(f);
	report_free(r);
}

Test(check, explicit_relative_path_is_from_the_current_directory)
{
	char dir[512];
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", NULL);
	fixture_write(&fx, "/srv/work/my.config",
		      "CONFIG_NAMESPACES=y\nCONFIG_VETH=y\nbogus\n", -1);
	snprintf(dir, sizeof(dir), "%s/srv/work", fx.root);
	cr_assert_eq(chdir(dir), 0);
	r = run_check(.kernel_config = "my.config");
	f = test_find(r, SEV_CRITICAL, "kernel lacks 15 options");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "source"), "my.config");
	report_free(r);
}

Test(check, ok_evidence_lists_unloaded_modules_and_odd_lines)
{
	const struct finding *f;
	struct report *r;

	host_setup(REL "\n", "CONFIG_VXLAN=m\nCONFIG_BRIDGE=m\nnot a line\n");
	fixture_write(&fx, MODDIR "/modules.dep",
		      "kernel/net/bridge/bridge.ko:\n"
		      "kernel/drivers/net/vxlan/vxlan.ko.zst:\n",
		      -1);
	r = run_check();
	f = test_find(r, SEV_OK, "has all 32");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "modules_not_loaded"),
			 "bridge, vxlan");
	cr_assert_str_eq(test_evidence(f, "unparsed_lines"),
			 "1 (first: line 85)");
	report_free(r);
}

Test(check, explicit_kernel_config_missing)
{
	struct report *r;
	const struct finding *f;

	host_setup(REL "\n", NULL);
	r = run_check(.kernel_config = "/srv/none", .expect = -ENOENT);
	f = test_find(r, SEV_UNKNOWN, "");
	cr_assert_not_null(f);
	cr_assert_str_eq(
		f->summary,
		"cannot use the kernel config /srv/none: No such file or directory (--kernel-config)");
	cr_assert_eq(r->n_findings, 1);
	report_free(r);
}

Test(check, explicit_kernel_config_broken_gzip)
{
	struct report *r;

	need_zlib();
	host_setup(REL "\n", NULL);
	fixture_write(&fx, "/srv/bad.gz", "\x1f\x8b\x08\x00\x00\x00", 6);
	r = run_check(.kernel_config = "/srv/bad.gz", .expect = -EBADMSG);
	cr_assert_not_null(test_find(
		r, SEV_UNKNOWN,
		"cannot use the kernel config /srv/bad.gz: not a valid gzip file (truncated gzip data)"));
	report_free(r);
}

Test(check, no_config_anywhere_is_unknown)
{
	struct report *r;
	const struct finding *f;

	fixture_write(&fx, "/proc/sys/kernel/osrelease", REL "\n", -1);
	fixture_write(&fx, "/proc/config.gz", "\x1f\x8b\x08", 3);
	r = run_check(.expect = -ENOENT);
	f = test_find(
		r, SEV_UNKNOWN,
		"no kernel config found (searched /proc/config.gz, /boot/config-" REL
		", /usr/src/linux-" REL
		"/.config, /usr/src/linux/.config, " MODDIR
		"/build/.config; /proc/config.gz: ");
	cr_assert_not_null(f);
#ifdef HAVE_ZLIB
	cr_assert_not_null(strstr(
		f->summary,
		"load the configs module (modprobe configs) or pass --kernel-config FILE"));
#else
	cr_assert_not_null(strstr(
		f->summary,
		"without zlib); pass an uncompressed copy: zcat /proc/config.gz > FILE; --kernel-config FILE"));
#endif
	report_free(r);
}

Test(check, config_version_used_when_release_unreadable)
{
	struct report *r;

	/* no /proc/sys/kernel/osrelease: the config's own 6.1.119 applies */
	host_setup(REL "\n", NULL);
	fixture_write(&fx, "/proc/sys/kernel/osrelease", "garbage\n", -1);
	fixture_write(&fx, "/usr/src/linux/.config",
		      "# Linux/x86 4.14.0 Kernel Configuration\n"
		      "CONFIG_NAMESPACES=y\n",
		      -1);
	r = run_check();
	/* 4.14: DEVPTS_MULTIPLE_INSTANCES not needed, NF_NAT_IPV4 needed */
	cr_assert_not_null(test_find(r, SEV_CRITICAL, "CONFIG_NF_NAT_IPV4"));
	cr_assert_null(test_find(r, SEV_CRITICAL, "CONFIG_CGROUP_BPF"));
	report_free(r);
}

/* ---- this host ---- */

TestSuite(real);

Test(real, host_config_has_what_this_host_uses)
{
	struct kernel_release k;
	struct kconfig kc = { 0 };
	struct pathctx pc;
	char notes[512];
	int r;

	cr_assert_eq(pathctx_init(&pc, "/"), 0);
	cr_assert_eq(kernel_read_release(&pc, &k), 0);
	r = kconfig_find(&kc, &pc, k.release, notes, sizeof(notes));
	pathctx_release(&pc);
	if (r == -ENOENT)
		cr_skip("no kernel config on this host (%s)", notes);
	cr_assert_gt(r, 100, "%s", notes);
	cr_log_info("%s: %zu options, %u garbage lines", kc.path, kc.n,
		    kc.n_garbage);
	/* this host runs containers: namespaces work */
	cr_assert(kconfig_enabled(&kc, "NAMESPACES"));
	cr_assert(kconfig_enabled(&kc, "NET_NS"));
	cr_assert(kconfig_enabled(&kc, "PID_NS"));
	/* /proc/self/ns/net exists only with NET_NS */
	cr_assert_eq(access("/proc/self/ns/net", F_OK), 0);
	/* and the config knows the running version */
	if (kc.version[0]) {
		char want[32];

		snprintf(want, sizeof(want), "%u.%u.", k.major, k.minor);
		cr_assert(startswith(kc.version, want) ||
				  strncmp(kc.version, want, strlen(want) - 1) ==
					  0,
			  "%s vs %s", kc.version, k.release);
	}
	kconfig_release(&kc);
}

Test(real, whole_check_on_this_host)
{
	struct options o = { .timeout_ms = 300 };
	struct report *r = report_new();
	struct ctx ctx;
	double t0;
	int ret;

	o.sysroot = "/";
	o.host = "unix:///nonexistent/dd.sock";
	o.docker_version = "28.5";
	cr_assert_eq(ctx_init(&ctx, &o), 0);
	t0 = now_monotonic();
	ret = check_kernel_config.run(&ctx, r);
	cr_log_info("run took %.3f ms", (now_monotonic() - t0) * 1000);
	if (ret == -ENOENT)
		cr_skip("no kernel config on this host: %s", ctx.error);
	cr_assert_eq(ret, 0, "%s", ctx.error);
	cr_assert_gt(r->n_findings, 0);
	for (size_t i = 0; i < r->n_findings; i++) {
		cr_log_info("%s %s", severity_name(r->findings[i].severity),
			    r->findings[i].summary);
		cr_assert_str_eq(r->findings[i].check, "kernel.config");
		cr_assert_not_null(test_evidence(&r->findings[i], "source"));
	}
	/* the namespaces this process is in are not reported missing */
	cr_assert_null(test_find(r, SEV_CRITICAL, "CONFIG_NET_NS"));
	cr_assert_null(test_find(r, SEV_CRITICAL, "CONFIG_NAMESPACES,"));
	ctx_release(&ctx);
	report_free(r);
}

Test(check, xt_ipvs_is_optional_unlike_check_config)
{
	const struct finding *f;
	struct report *r;

	/* check-config.sh calls it necessary; only swarm services use it */
	host_setup(REL "\n", "# CONFIG_NETFILTER_XT_MATCH_IPVS is not set\n");
	r = run_check();
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	f = test_find(r, SEV_INFO, "swarm service load balancing (IPVS)");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "config_netfilter_xt_match_ipvs"),
			 "missing");
	report_free(r);
}

/* ---- verdicts an admin can trust ---- */

Test(check, module_in_modules_builtin_is_there)
{
	const struct finding *f;
	struct report *r;

	/* =m in the config, but this kernel has bridge in its image */
	host_setup(REL "\n", "CONFIG_BRIDGE=m\nCONFIG_VETH=m\n");
	fixture_write(&fx, MODDIR "/modules.dep",
		      "kernel/drivers/net/veth.ko.zst:\n", -1);
	fixture_write(&fx, MODDIR "/modules.builtin",
		      "kernel/net/bridge/bridge.ko\nkernel/fs/ext4/ext4.ko\n",
		      -1);
	r = run_check();
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	cr_assert_eq(test_count_sev(r, SEV_WARNING), 0);
	f = test_find(r, SEV_OK, "(30 built in, 2 as modules)");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "modules_builtin"), "bridge");
	cr_assert_str_eq(test_evidence(f, "modules_not_loaded"), "veth");
	cr_assert_str_eq(test_evidence(f, "modules_loaded"), "1");
	report_free(r);
}

Test(modules, builtin_list)
{
	fixture_write(&fx, "/proc/modules", "", 0);
	fixture_write(&fx, MODDIR "/modules.dep", "kernel/veth.ko:\n", -1);
	fixture_write(&fx, MODDIR "/modules.builtin",
		      "kernel/net/bridge/bridge.ko\n"
		      "kernel/net/netfilter/xt_MASQUERADE.ko\n",
		      -1);
	cr_assert_eq(mod_state(REL, "bridge"), KMOD_BUILTIN);
	cr_assert_eq(mod_state(REL, "ipt_MASQUERADE xt_MASQUERADE"),
		     KMOD_BUILTIN);
	cr_assert_eq(mod_state(REL, "veth"), KMOD_AVAILABLE);
	cr_assert_eq(mod_state(REL, "vxlan"), KMOD_MISSING);
}

Test(check, kernel_config_of_another_kernel_by_file_name)
{
	const struct finding *f;
	struct report *r;
	char *text;
	size_t len;

	/* the next kernel's config, with its modules unknown here */
	host_setup_v("6.12.9-1\n", "6.12.9", "CONFIG_BRIDGE=m\n");
	text = slurp("/boot/config-6.12.9-1", &len);
	fixture_write(&fx, "/srv/config-6.12.9-1", text, (long)len);
	free(text);
	fixture_write(&fx, "/proc/sys/kernel/osrelease", REL "\n", -1);
	fixture_write(&fx, MODDIR "/modules.dep", "kernel/veth.ko:\n", -1);
	r = run_check(.kernel_config = "/srv/config-6.12.9-1");
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	cr_assert_null(test_find(r, SEV_INFO, "not loaded"));
	f = test_find(
		r, SEV_INFO,
		"kernel config /srv/config-6.12.9-1 is for Linux 6.12.9-1, but the running kernel is " REL);
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "config_version_from"),
			 "its file name");
	cr_assert_str_eq(test_evidence(f, "kernel"), "6.12.9-1");
	f = test_find(r, SEV_OK, "has all 32");
	cr_assert_not_null(f);
	cr_assert_null(test_evidence(f, "modules_not_loaded"));
	report_free(r);
}

Test(check, kernel_config_of_another_kernel_by_header)
{
	const struct finding *f;
	struct report *r;

	/* 5.4's config: NF_NAT_IPV4 is not checked on 5.4, on 6.1 neither */
	host_setup(REL "\n", NULL);
	fixture_write(&fx, "/srv/old.config",
		      "# Linux/x86 5.1.21 Kernel Configuration\n"
		      "CONFIG_BRIDGE=m\nCONFIG_NAMESPACES=y\n",
		      -1);
	r = run_check(.kernel_config = "/srv/old.config");
	f = test_find(r, SEV_INFO, "is for Linux 5.1.21, but the running");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "config_version_from"), "its header");
	/* 5.1's own rules: NF_NAT_IPV4 is needed there */
	f = test_find(r, SEV_CRITICAL, "kernel lacks");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "config_nf_nat_ipv4"), "missing");
	/* and no word on the running kernel's modules */
	cr_assert_null(test_find(r, SEV_CRITICAL, "does not exist"));
	cr_assert_null(test_find(r, SEV_CRITICAL, "not installed"));
	report_free(r);
}

Test(check, docker_29_list_is_selectable)
{
	const struct finding *f;
	struct report *r;

	/* no SCTP, nftables, raw table, CGROUP_BPF or RT_GROUP_SCHED */
	host_setup(REL "\n", "# CONFIG_IP_NF_RAW is not set\n");
	r = run_check(.docker = "29.0");
	f = test_find(
		r, SEV_INFO,
		"nftables firewall backend unavailable (firewall-backend: nftables): CONFIG_NFT_CT");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "option_list"),
			 "check-config.sh of Docker v29.0");
	cr_assert_str_eq(test_evidence(f, "docker_version"),
			 "29.0 (--docker-version)");
	cr_assert_not_null(test_find(r, SEV_INFO, "SCTP ports unavailable"));
	cr_assert_not_null(test_find(r, SEV_WARNING, "CONFIG_IP_NF_RAW"));
	cr_assert_null(test_find(r, SEV_INFO, "--cpu-rt-runtime"));
	report_free(r);

	/* 29.1 and later: still v29's list */
	r = run_check(.docker = "29.4");
	cr_assert_not_null(test_find(r, SEV_INFO, "SCTP ports unavailable"));
	report_free(r);

	r = run_check(.docker = "28.5");
	cr_assert_null(test_find(r, SEV_INFO, "nftables"));
	cr_assert_null(test_find(r, SEV_INFO, "SCTP"));
	f = test_find(r, SEV_WARNING, "CONFIG_IP_NF_RAW");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "option_list"),
			 "check-config.sh of Docker v28.1 to v28.5");
	report_free(r);

	/* 20.10: no raw table yet, but RT_GROUP_SCHED (--cpu-rt-*) */
	r = run_check(.docker = "20.10");
	cr_assert_null(test_find(r, SEV_WARNING, ""));
	f = test_find(
		r, SEV_INFO,
		"real-time CPU limits unavailable (--cpu-rt-runtime, --cpu-rt-period): CONFIG_RT_GROUP_SCHED missing");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "option_list"),
			 "check-config.sh of Docker v20.10");
	report_free(r);
}

Test(check, each_missing_option_names_its_feature)
{
	const struct finding *f;
	struct report *r;

	/* no freezer: docker pause breaks, containers run: a warning */
	host_setup(REL "\n", "# CONFIG_CGROUP_FREEZER is not set\n"
			     "# CONFIG_FAIR_GROUP_SCHED is not set\n");
	r = run_check();
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	f = test_find(
		r, SEV_WARNING,
		"kernel lacks 1 option for Docker features (containers still run): CONFIG_CGROUP_FREEZER");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->detail, "docker pause and unpause"));
	cr_assert_str_eq(test_evidence(f, "config_cgroup_freezer"), "missing");
	/* --cpu-shares only, not every CPU limit */
	cr_assert_not_null(test_find(
		r, SEV_INFO,
		"CPU weights unavailable (--cpu-shares): CONFIG_FAIR_GROUP_SCHED missing"));
	cr_assert_null(test_find(r, SEV_INFO, "--cpus"));
	report_free(r);

	/* no POSIX_MQUEUE: no container starts */
	host_setup(REL "\n", "# CONFIG_POSIX_MQUEUE is not set\n");
	r = run_check();
	f = test_find(r, SEV_CRITICAL, "CONFIG_POSIX_MQUEUE");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->detail, "no container starts"));
	report_free(r);
}
