// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The network readers (netcfg.c) and the two checks built on them,
 * net.forwarding and net.iface-managers, on fixture trees.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/check.h"
#include "core/context.h"
#include "fixture.h"
#include "net/netcfg.h"
#include "net/nsview.h"
#include "core/report.h"
#include "table.h"
#include "core/util.h"

extern const struct check check_net_forwarding;
extern const struct check check_net_iface_managers;

static struct fixture fx;
static struct pathctx pc;

static void setup(void)
{
	fixture_init(&fx);
	fixture_write(&fx, "/proc/stat", "btime 1000\n", -1);
	fixture_write(&fx, "/proc/net/unix", "Num\n", -1);
	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
}

static void teardown(void)
{
	pathctx_release(&pc);
	fixture_release(&fx);
}

/* An interface in /sys/class/net with its IPv4 forwarding switch. */
static void add_if(const char *name, int ifindex, bool bridge, int fwd)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d\n", ifindex);
	fixture_writef(&fx, buf, "/sys/class/net/%s/ifindex", name);
	if (bridge)
		fixture_writef(&fx, "",
			       "/sys/class/net/%s/bridge/forward_delay", name);
	snprintf(buf, sizeof(buf), "%d\n", fwd);
	fixture_writef(&fx, buf, "/proc/sys/net/ipv4/conf/%s/forwarding", name);
}

/* A healthy forwarding tree: ip_forward 1, docker0 and eth0 with 1. */
static void healthy_sysctl(void)
{
	fixture_write(&fx, "/proc/sys/net/ipv4/ip_forward", "1\n", -1);
	fixture_write(&fx, "/proc/sys/net/ipv4/conf/default/forwarding", "1\n",
		      -1);
	add_if("docker0", 4, true, 1);
	add_if("eth0", 2, false, 1);
	fixture_write(
		&fx, "/proc/net/route",
		"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
		"eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
		"eth0\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n"
		"docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n",
		-1);
}

static void add_dockerd(const char *const *argv)
{
	static const char *const def[] = { "/usr/sbin/dockerd", "-H", "fd://",
					   NULL };

	fixture_process(&fx, 100, 1, argv ? argv : def);
}

static void add_networkd(void)
{
	static const char *const argv[] = { "/lib/systemd/systemd-network",
					    NULL };

	fixture_process(&fx, 200, 1, argv);
}

static void add_nm(void)
{
	static const char *const argv[] = { "/usr/sbin/NetworkManager",
					    "--no-daemon", NULL };

	fixture_process(&fx, 300, 1, argv);
}

/* The daemon's answer to GET /networks, for run_check_api(). */
static void set_bridges(struct ctx *ctx, void *data)
{
	char *const *bridges = data;

	for (size_t i = 0; bridges && bridges[i]; i++)
		cr_assert_eq(strv_push(&ctx->api_bridges, bridges[i]), 0);
	/* as ctx_api_bridges(): an empty list when the daemon has none */
	if (bridges && !ctx->api_bridges)
		ctx->api_bridges = calloc(1, sizeof(*ctx->api_bridges));
	ctx->api_bridges_done = bridges != NULL;
}

/*
 * Run c with --pid pid against the tree; bridges (may be NULL) stands for
 * the daemon's answer to GET /networks. Asserts that run() returns expect.
 */
static struct report *run_check_api(const struct check *c, int pid,
				    char *const *bridges, int expect)
{
	struct options o = { .timeout_ms = 300, .pid = pid };

	o.host = "unix:///nonexistent/dd.sock";
	return fixture_run_check_prep(&fx, c, &o, expect, set_bridges,
				      (void *)bridges);
}

/* Run c with --pid pid against the tree; asserts that run() returns expect. */
static struct report *run_check_expect(const struct check *c, int pid,
				       int expect)
{
	return run_check_api(c, pid, NULL, expect);
}

static struct report *run_check(const struct check *c, int pid)
{
	return run_check_expect(c, pid, 0);
}

/* ---- small readers ------------------------------------------------------ */

TestSuite(readers, .init = setup, .fini = teardown);

Test(readers, read_int)
{
	int v = -5;

	fixture_write(&fx, "/a", "1\n", -1);
	fixture_write(&fx, "/b", "junk\n", -1);
	fixture_write(&fx, "/c", " 0 \n", -1);
	cr_assert_eq(netcfg_read_int(&pc, "/a", &v), 0);
	cr_assert_eq(v, 1);
	cr_assert_eq(netcfg_read_int(&pc, "/b", &v), -EINVAL);
	cr_assert_eq(netcfg_read_int(&pc, "/c", &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(netcfg_read_int(&pc, "/missing", &v), -ENOENT);
}

Test(readers, default_route_interfaces)
{
	char **v = NULL;

	healthy_sysctl();
	cr_assert_eq(netcfg_default_route_ifaces(&pc, &v), 1);
	cr_assert_str_eq(v[0], "eth0");
	strv_free(v);
}

Test(readers, docker_interfaces_from_sys)
{
	struct netcfg_iflist l;
	bool docker0 = false, br = false, veth = false, eth = false;

	add_if("docker0", 4, true, 1);
	add_if("br-0123456789ab", 7, true, 1);
	add_if("br-notdocker", 8, true, 1); /* not 12 hex digits */
	add_if("veth1a2b3c4", 9, false, 1);
	add_if("eth0", 2, false, 1);
	cr_assert_eq(netcfg_docker_ifaces(&pc, NULL, NULL, &l), 0);
	for (size_t i = 0; i < l.n; i++) {
		if (strcmp(l.v[i].name, "docker0") == 0) {
			docker0 = l.v[i].exists && l.v[i].is_default &&
				  l.v[i].ifindex == 4;
			cr_assert_eq(i, 0, "default bridge first");
		}
		br |= strcmp(l.v[i].name, "br-0123456789ab") == 0 &&
		      l.v[i].exists && l.v[i].kind == NETCFG_BRIDGE;
		veth |= strcmp(l.v[i].name, "veth1a2b3c4") == 0 &&
			l.v[i].kind == NETCFG_VETH && l.v[i].ifindex == 9;
		eth |= strcmp(l.v[i].name, "eth0") == 0 ||
		       strcmp(l.v[i].name, "br-notdocker") == 0;
		cr_assert(!l.v[i].sample, "%s is a sample", l.v[i].name);
	}
	cr_assert(docker0 && br && veth);
	cr_assert(!eth, "eth0 or br-notdocker listed");
	netcfg_iflist_release(&l);
}

Test(readers, docker_interfaces_samples_and_bridge_none)
{
	struct netcfg_iflist l;
	char *extra[] = { "mybr0", NULL };

	add_if("docker0", 4, true, 1);
	add_if("mybr0", 5, true, 1);
	cr_assert_eq(netcfg_docker_ifaces(&pc, "none", extra, &l), 0);
	cr_assert_str_eq(l.default_bridge, "");
	cr_assert_eq(l.n, 3, "mybr0 and two samples, got %zu", l.n);
	for (size_t i = 0; i < l.n; i++) {
		cr_assert_str_neq(l.v[i].name, "docker0");
		if (strcmp(l.v[i].name, "mybr0") == 0)
			cr_assert(l.v[i].exists && !l.v[i].sample);
		else
			cr_assert(l.v[i].sample && !l.v[i].exists);
	}
	netcfg_iflist_release(&l);
}

Test(readers, docker_interfaces_own_only_leaves_other_daemons_out)
{
	/* this daemon: docker0, br-0123456789ab; another: br-aaaaaaaaaaaa */
	static const struct netcfg_link links[] = {
		{ .name = "lo", .ifindex = 1 },
		{ .name = "docker0", .ifindex = 4, .bridge = true },
		{ .name = "br-0123456789ab", .ifindex = 7, .bridge = true },
		{ .name = "br-aaaaaaaaaaaa", .ifindex = 8, .bridge = true },
		{ .name = "veth1111111", .ifindex = 9, .master = "docker0" },
		{ .name = "veth2222222",
		  .ifindex = 10,
		  .master = "br-aaaaaaaaaaaa" },
		{ .name = "veth3333333", .ifindex = 11 },
	};
	char *own[] = { "docker0", "br-0123456789ab", NULL };
	struct netcfg_iflist l;
	char **names = NULL;

	cr_assert_eq(netcfg_docker_ifaces_from(links, ARRAY_SIZE(links), 0,
					       NULL, own, true, &l),
		     0);
	for (size_t i = 0; i < l.n; i++)
		strv_push(&names, l.v[i].name);
	cr_assert(strv_contains(names, "docker0"));
	cr_assert(strv_contains(names, "br-0123456789ab"));
	cr_assert(strv_contains(names, "veth1111111"));
	cr_assert(strv_contains(names, "veth3333333"), "a veth of no bridge");
	cr_assert(!strv_contains(names, "br-aaaaaaaaaaaa"), "another daemon's");
	cr_assert(!strv_contains(names, "veth2222222"), "a port of another's");
	cr_assert_eq(l.v[0].ifindex, 4);
	strv_free(names);
	netcfg_iflist_release(&l);
	/* without the daemon's list every Docker-like bridge counts */
	cr_assert_eq(netcfg_docker_ifaces_from(links, ARRAY_SIZE(links), 0,
					       NULL, NULL, false, &l),
		     0);
	cr_assert_eq(l.n, 6, "got %zu", l.n);
	netcfg_iflist_release(&l);
}

Test(readers, sys_links_bridge_master_ifindex)
{
	struct netcfg_link *v = NULL;
	size_t n = 0;
	bool br = false, veth = false;

	add_if("docker0", 4, true, 1);
	add_if("veth1a2b3c4", 9, false, 1);
	fixture_symlink(&fx, "/sys/class/net/veth1a2b3c4/master",
			"../../../devices/virtual/net/docker0");
	cr_assert_eq(netcfg_sys_links(&pc, &v, &n), 0);
	cr_assert_eq(n, 2);
	for (size_t i = 0; i < n; i++) {
		br |= strcmp(v[i].name, "docker0") == 0 && v[i].bridge &&
		      v[i].ifindex == 4 && !v[i].master[0];
		veth |= strcmp(v[i].name, "veth1a2b3c4") == 0 && !v[i].bridge &&
			strcmp(v[i].master, "docker0") == 0;
	}
	cr_assert(br && veth);
	free(v);
}

Test(readers, api_bridge_names)
{
	json_object *nets = json_tokener_parse(
		"[{\"Name\":\"bridge\",\"Id\":\"aaaaaaaaaaaaaaaa\",\"Driver\":\"bridge\","
		"\"Options\":{\"com.docker.network.bridge.name\":\"docker0\"}},"
		"{\"Name\":\"web\",\"Id\":\"0123456789abcdef00\",\"Driver\":\"bridge\",\"Options\":{}},"
		"{\"Name\":\"gw\",\"Id\":\"ffff\",\"Driver\":\"bridge\","
		"\"Options\":{\"com.docker.network.bridge.name\":\"docker_gwbridge\"}},"
		"{\"Name\":\"ov\",\"Id\":\"bbbbbbbbbbbbbbbb\",\"Driver\":\"overlay\"},"
		"{\"Name\":\"host\",\"Id\":\"cccccccccccccccc\",\"Driver\":\"host\"}]");
	char **names = NULL;

	cr_assert_not_null(nets);
	cr_assert_eq(netcfg_api_bridges(nets, &names), 3);
	cr_assert(strv_contains(names, "docker0"));
	cr_assert(strv_contains(names, "br-0123456789ab"));
	cr_assert(strv_contains(names, "docker_gwbridge"));
	strv_free(names);
	json_object_put(nets);
}

/* ---- systemd-networkd ---------------------------------------------------- */

TestSuite(networkd, .init = setup, .fini = teardown);

static const char docker_network[] =
	"# keep Docker's interfaces unmanaged\n[Match]\nName=docker0 br-* veth*\n\n[Link]\nUnmanaged=yes\n";

Test(networkd, first_match_wins_over_later_unmanaged)
{
	struct netcfg_networkd nd;
	const struct netcfg_nd_file *f;
	enum netcfg_match m;

	fixture_write(&fx, "/etc/systemd/network/10-all.network",
		      "[Match]\nName=*\n\n[Network]\nDHCP=yes\n", -1);
	fixture_write(&fx, "/etc/systemd/network/99-docker.network",
		      docker_network, -1);
	cr_assert_eq(netcfg_networkd_load(&pc, &nd), 0);
	cr_assert_eq(nd.n, 2);
	f = netcfg_networkd_first(&nd, "docker0", NETCFG_BRIDGE, &m, NULL);
	cr_assert_not_null(f);
	cr_assert_str_eq(f->path, "/etc/systemd/network/10-all.network");
	cr_assert_eq(m, NETCFG_YES);
	cr_assert_eq(f->unmanaged, -1);
	cr_assert_str_eq(f->match_src, "/etc/systemd/network/10-all.network:2");
	netcfg_networkd_release(&nd);
}

Test(networkd, sorted_by_name_across_directories)
{
	struct netcfg_networkd nd;
	const struct netcfg_nd_file *f;

	/* /usr/lib's 05- sorts before /etc's 50-: it wins */
	fixture_write(&fx, "/usr/lib/systemd/network/05-docker.network",
		      docker_network, -1);
	fixture_write(&fx, "/etc/systemd/network/50-all.network",
		      "[Match]\nName=*\n", -1);
	cr_assert_eq(netcfg_networkd_load(&pc, &nd), 0);
	f = netcfg_networkd_first(&nd, "veth1234567", NETCFG_VETH, NULL, NULL);
	cr_assert_str_eq(f->path, "/usr/lib/systemd/network/05-docker.network");
	cr_assert_eq(f->unmanaged, 1);
	netcfg_networkd_release(&nd);
}

Test(networkd, masking_by_name_dev_null_and_empty)
{
	struct netcfg_networkd nd;
	const struct netcfg_nd_file *f;

	fixture_write(&fx, "/usr/lib/systemd/network/10-all.network",
		      "[Match]\nName=*\n", -1);
	fixture_symlink(&fx, "/etc/systemd/network/10-all.network",
			"/dev/null");
	fixture_write(&fx, "/usr/lib/systemd/network/20-eth.network",
		      "[Match]\nName=*\n", -1);
	fixture_write(&fx, "/run/systemd/network/20-eth.network",
		      "[Match]\nName=eth*\n", -1);
	fixture_write(&fx, "/usr/lib/systemd/network/30-empty.network", "", -1);
	fixture_write(&fx, "/etc/systemd/network/99-docker.network",
		      docker_network, -1);
	cr_assert_eq(netcfg_networkd_load(&pc, &nd), 0);
	cr_assert_eq(nd.n, 2, "masked files listed: %zu", nd.n);
	cr_assert_str_eq(nd.files[0].path,
			 "/run/systemd/network/20-eth.network");
	f = netcfg_networkd_first(&nd, "docker0", NETCFG_BRIDGE, NULL, NULL);
	cr_assert_str_eq(f->path, "/etc/systemd/network/99-docker.network");
	netcfg_networkd_release(&nd);
}

Test(networkd, dropins_add_settings)
{
	struct netcfg_networkd nd;
	const struct netcfg_nd_file *f;

	fixture_write(&fx, "/etc/systemd/network/10-br.network",
		      "[Match]\nName=br-*\n[Network]\nIPForward=no\n", -1);
	fixture_write(&fx, "/usr/lib/systemd/network/10-br.network.d/50-x.conf",
		      "[Match]\nName=docker0\n", -1);
	fixture_write(&fx, "/etc/systemd/network/10-br.network.d/90-y.conf",
		      "[Link]\nUnmanaged=yes\n[Network]\nIPv4Forwarding=yes\n",
		      -1);
	cr_assert_eq(netcfg_networkd_load(&pc, &nd), 0);
	f = netcfg_networkd_first(&nd, "docker0", NETCFG_BRIDGE, NULL, NULL);
	cr_assert_not_null(f, "Name= of a drop-in adds to the list");
	cr_assert_eq(f->unmanaged, 1);
	cr_assert_eq(strv_length(f->dropins), 2);
	cr_assert_str_eq(f->ipv4_forwarding, "yes");
	cr_assert_str_eq(f->ipv4_forwarding_src,
			 "/etc/systemd/network/10-br.network.d/90-y.conf:4");
	cr_assert_str_eq(f->ip_forward, "no");
	netcfg_networkd_release(&nd);
}

Test(networkd, negated_match)
{
	struct netcfg_networkd nd;

	fixture_write(&fx, "/etc/systemd/network/10-not-docker.network",
		      "[Match]\nName=!docker0 br-* veth*\n", -1);
	fixture_write(&fx, "/etc/systemd/network/20-mixed.network",
		      "[Match]\nName=en* eth*\nName=!eth9\n", -1);
	cr_assert_eq(netcfg_networkd_load(&pc, &nd), 0);
	cr_assert_eq(netcfg_nd_match(&nd.files[0], "docker0", NETCFG_BRIDGE,
				     NULL),
		     NETCFG_NO);
	cr_assert_eq(netcfg_nd_match(&nd.files[0], "veth12", NETCFG_VETH, NULL),
		     NETCFG_NO);
	cr_assert_eq(netcfg_nd_match(&nd.files[0], "eth0", NETCFG_OTHER, NULL),
		     NETCFG_YES, "only negative words: everything else");
	cr_assert_eq(netcfg_nd_match(&nd.files[1], "eth0", NETCFG_OTHER, NULL),
		     NETCFG_YES);
	cr_assert_eq(netcfg_nd_match(&nd.files[1], "eth9", NETCFG_OTHER, NULL),
		     NETCFG_NO);
	cr_assert_eq(netcfg_nd_match(&nd.files[1], "docker0", NETCFG_BRIDGE,
				     NULL),
		     NETCFG_NO);
	netcfg_networkd_release(&nd);
}

Test(networkd, empty_match_matches_all_and_reset)
{
	struct netcfg_networkd nd;
	const char *why = NULL;

	fixture_write(&fx, "/etc/systemd/network/10-empty.network",
		      "[Match]\n\n[Network]\nDHCP=yes\n", -1);
	fixture_write(&fx, "/etc/systemd/network/20-reset.network",
		      "[Match]\nName=en*\nName=\n", -1);
	cr_assert_eq(netcfg_networkd_load(&pc, &nd), 0);
	cr_assert_eq(netcfg_nd_match(&nd.files[0], "docker0", NETCFG_BRIDGE,
				     &why),
		     NETCFG_YES);
	cr_assert_not_null(why);
	/* Name= with an empty value resets the list: matches all again */
	cr_assert_eq(netcfg_nd_match(&nd.files[1], "docker0", NETCFG_BRIDGE,
				     NULL),
		     NETCFG_YES);
	netcfg_networkd_release(&nd);
}

Test(networkd, type_kind_driver_and_undecidable_keys)
{
	struct netcfg_networkd nd;
	const char *why = NULL;

	fixture_write(&fx, "/etc/systemd/network/10-ether.network",
		      "[Match]\nType=ether\n", -1);
	fixture_write(&fx, "/etc/systemd/network/11-kind.network",
		      "[Match]\nKind=bridge\n", -1);
	fixture_write(&fx, "/etc/systemd/network/12-drv.network",
		      "[Match]\nDriver=veth\n", -1);
	fixture_write(&fx, "/etc/systemd/network/13-perm.network",
		      "[Match]\nPermanentMACAddress=52:54:00:12:34:56\n", -1);
	fixture_write(&fx, "/etc/systemd/network/14-mac.network",
		      "[Match]\nMACAddress=52:54:00:12:34:56\n", -1);
	fixture_write(&fx, "/etc/systemd/network/15-virt.network",
		      "[Match]\nName=*\nVirtualization=container\n", -1);
	fixture_write(&fx, "/etc/systemd/network/16-path.network",
		      "[Match]\nPath=pci-*\n", -1);
	cr_assert_eq(netcfg_networkd_load(&pc, &nd), 0);
	cr_assert_eq(nd.n, 7);
	cr_assert_eq(netcfg_nd_match(&nd.files[0], "veth1", NETCFG_VETH, NULL),
		     NETCFG_YES);
	cr_assert_eq(netcfg_nd_match(&nd.files[0], "docker0", NETCFG_BRIDGE,
				     NULL),
		     NETCFG_NO);
	cr_assert_eq(netcfg_nd_match(&nd.files[1], "docker0", NETCFG_BRIDGE,
				     NULL),
		     NETCFG_YES);
	cr_assert_eq(netcfg_nd_match(&nd.files[1], "veth1", NETCFG_VETH, NULL),
		     NETCFG_NO);
	cr_assert_eq(netcfg_nd_match(&nd.files[2], "veth1", NETCFG_VETH, NULL),
		     NETCFG_YES);
	for (size_t i = 3; i <= 4; i++)
		cr_assert_eq(netcfg_nd_match(&nd.files[i], "docker0",
					     NETCFG_BRIDGE, NULL),
			     NETCFG_NO, "file %zu", i);
	cr_assert_eq(netcfg_nd_match(&nd.files[5], "docker0", NETCFG_BRIDGE,
				     &why),
		     NETCFG_MAYBE);
	cr_assert_str_eq(why, "Virtualization");
	cr_assert_eq(netcfg_nd_match(&nd.files[6], "docker0", NETCFG_BRIDGE,
				     NULL),
		     NETCFG_NO, "virtual devices have no Path");
	netcfg_networkd_release(&nd);
}

Test(networkd, continuation_comments_and_odd_lines)
{
	struct netcfg_networkd nd;

	fixture_write(&fx, "/etc/systemd/network/10-x.network",
		      "; comment\n# comment\n[Match]\nName=en* \\\n  docker0\n"
		      "this is not a setting\n[Network]\nIPForward=ipv4\n",
		      -1);
	cr_assert_eq(netcfg_networkd_load(&pc, &nd), 0);
	cr_assert_eq(netcfg_nd_match(&nd.files[0], "docker0", NETCFG_BRIDGE,
				     NULL),
		     NETCFG_YES, "continued line adds docker0");
	cr_assert_str_eq(nd.files[0].ip_forward, "ipv4");
	cr_assert_str_eq(nd.files[0].ip_forward_src,
			 "/etc/systemd/network/10-x.network:8");
	cr_assert_eq(strv_length(nd.warnings), 1);
	cr_assert_not_null(strstr(nd.warnings[0], "10-x.network:6"));
	netcfg_networkd_release(&nd);
}

Test(networkd, binary_and_unreadable_files_are_skipped)
{
	static const char junk[] = "[Match]\nName=*\0\x01\x02\xff";
	struct netcfg_networkd nd;

	fixture_write(&fx, "/etc/systemd/network/10-junk.network", junk,
		      sizeof(junk));
	fixture_mkdir(&fx, "/etc/systemd/network/11-dir.network");
	fixture_write(&fx, "/etc/systemd/network/99-docker.network",
		      docker_network, -1);
	cr_assert_eq(netcfg_networkd_load(&pc, &nd), 0);
	cr_assert_eq(nd.n, 1);
	cr_assert_eq(strv_length(nd.warnings), 2);
	cr_assert_not_null(strstr(nd.warnings[0], "not a text file"));
	cr_assert_not_null(strstr(nd.warnings[1], "11-dir.network"));
	netcfg_networkd_release(&nd);
}

Test(networkd, live_link_state_and_version)
{
	struct netcfg_nd_link l;
	struct netcfg_networkd nd;

	fixture_write(
		&fx, "/run/systemd/netif/links/4",
		"# This is private data. Do not parse.\nADMIN_STATE=configured\n"
		"OPER_STATE=routable\nNETWORK_FILE=/etc/systemd/network/10-all.network\n"
		"NETWORK_FILE_DROPINS=\"\"\n",
		-1);
	fixture_write(&fx, "/run/systemd/netif/links/5", "OPER_STATE=off\n",
		      -1);
	fixture_write(&fx, "/usr/lib/systemd/libsystemd-shared-252.so", "x",
		      -1);
	cr_assert_eq(netcfg_networkd_link(&pc, 4, &l), 0);
	cr_assert_str_eq(l.admin_state, "configured");
	cr_assert_str_eq(l.network_file, "/etc/systemd/network/10-all.network");
	netcfg_nd_link_release(&l);
	cr_assert_eq(netcfg_networkd_link(&pc, 5, &l), -EBADMSG);
	cr_assert_eq(netcfg_networkd_link(&pc, 6, &l), -ENOENT);
	cr_assert_eq(netcfg_networkd_load(&pc, &nd), 0);
	cr_assert_eq(nd.systemd_version, 252);
	netcfg_networkd_release(&nd);
}

Test(networkd, global_networkd_conf)
{
	struct netcfg_networkd nd;

	fixture_write(&fx, "/usr/lib/systemd/networkd.conf",
		      "[Network]\n#IPv4Forwarding=\n", -1);
	fixture_write(&fx, "/etc/systemd/networkd.conf.d/fwd.conf",
		      "[Network]\nIPv4Forwarding=yes\n", -1);
	cr_assert_eq(netcfg_networkd_load(&pc, &nd), 0);
	cr_assert_str_eq(nd.global_ipv4_forwarding, "yes");
	cr_assert_str_eq(nd.global_src,
			 "/etc/systemd/networkd.conf.d/fwd.conf:2");
	netcfg_networkd_release(&nd);
}

/* ---- NetworkManager device specs (table) --------------------------------- */

struct spec_case {
	const char *specs;
	const char *ifname;
	enum netcfg_kind kind;
	bool match;
};

static const struct spec_case spec_cases[] = {
	{ "interface-name:docker0", "docker0", NETCFG_BRIDGE, true },
	{ "interface-name:docker0", "docker1", NETCFG_BRIDGE, false },
	{ "interface-name:br-*", "br-0123456789ab", NETCFG_BRIDGE, true },
	{ "interface-name:~veth*", "veth1234567", NETCFG_VETH, true },
	{ "interface-name:=br-*", "br-0123456789ab", NETCFG_BRIDGE, false },
	{ "interface-name:=br-*", "br-*", NETCFG_BRIDGE, true },
	{ "interface-name:veth???????", "veth1234567", NETCFG_VETH, true },
	{ "interface-name:vet[h]*", "veth1234567", NETCFG_VETH, false },
	{ "*", "docker0", NETCFG_BRIDGE, true },
	{ "*,except:interface-name:docker0", "docker0", NETCFG_BRIDGE, false },
	{ "*,except:interface-name:docker0", "br-0123456789ab", NETCFG_BRIDGE,
	  true },
	{ "except:interface-name:eth0", "docker0", NETCFG_BRIDGE, true },
	{ "except:type:bridge", "docker0", NETCFG_BRIDGE, false },
	{ "*,except:type:wifi,except:type:gsm,except:type:cdma", "docker0",
	  NETCFG_BRIDGE, true },
	{ "type:bridge", "docker0", NETCFG_BRIDGE, true },
	{ "type:bridge", "veth1", NETCFG_VETH, false },
	{ "driver:veth", "veth1", NETCFG_VETH, true },
	{ "driver:bridge/1.*", "docker0", NETCFG_BRIDGE, true },
	{ "mac:02:42:ac:11:00:02", "docker0", NETCFG_BRIDGE, false },
	{ "02:42:ac:11:00:02", "docker0", NETCFG_BRIDGE, false },
	{ "docker0", "docker0", NETCFG_BRIDGE, true },
	{ " interface-name:eth0 ; interface-name:docker0 ", "docker0",
	  NETCFG_BRIDGE, true },
	{ "interface-name:a\\,b", "a,b", NETCFG_BRIDGE, true },
	{ "except:docker0", "docker0", NETCFG_BRIDGE, true },
	{ "", "docker0", NETCFG_BRIDGE, false },
};

ParameterizedTestParameters(nm_specs, table)
{
	TABLE_PARAMS(spec_cases);
}

ParameterizedTest(size_t *idx, nm_specs, table)
{
	const struct spec_case *c = &spec_cases[*idx];

	cr_assert_eq(netcfg_nm_spec_match(c->specs, c->ifname, c->kind),
		     c->match, "'%s' vs %s", c->specs, c->ifname);
}

/* ---- NetworkManager configuration ---------------------------------------- */

TestSuite(nm, .init = setup, .fini = teardown);

static void judge(const struct netcfg_nm *nm, const char *ifname,
		  enum netcfg_kind kind, bool managed,
		  enum netcfg_nm_reason reason)
{
	struct netcfg_nm_verdict v;

	netcfg_nm_judge(nm, ifname, kind, &v);
	cr_assert_eq(v.managed, managed, "%s managed=%d", ifname, v.managed);
	cr_assert_eq(v.reason, reason, "%s reason %d", ifname, v.reason);
}

Test(nm, ubuntu_server_default_unmanages_all_but_wifi)
{
	struct netcfg_nm nm;

	fixture_write(
		&fx,
		"/usr/lib/NetworkManager/conf.d/10-globally-managed-devices.conf",
		"[keyfile]\nunmanaged-devices=*,except:type:wifi,except:type:gsm,except:type:cdma\n",
		-1);
	cr_assert_eq(netcfg_nm_load(&pc, &nm), 0);
	judge(&nm, "docker0", NETCFG_BRIDGE, false,
	      NETCFG_NM_UNMANAGED_DEVICES);
	cr_assert_str_eq(
		nm.unmanaged_src,
		"/usr/lib/NetworkManager/conf.d/10-globally-managed-devices.conf:2");
	netcfg_nm_release(&nm);
}

Test(nm, etc_and_run_shadow_usr_lib)
{
	struct netcfg_nm nm;

	fixture_write(
		&fx,
		"/usr/lib/NetworkManager/conf.d/10-globally-managed-devices.conf",
		"[keyfile]\nunmanaged-devices=*\n", -1);
	/* netplan's NetworkManager renderer writes an empty one to /run */
	fixture_write(
		&fx,
		"/run/NetworkManager/conf.d/10-globally-managed-devices.conf",
		"", -1);
	fixture_write(&fx, "/usr/lib/NetworkManager/conf.d/20-x.conf",
		      "[keyfile]\nunmanaged-devices=interface-name:veth*\n",
		      -1);
	fixture_write(&fx, "/etc/NetworkManager/conf.d/20-x.conf", "[main]\n",
		      -1);
	cr_assert_eq(netcfg_nm_load(&pc, &nm), 0);
	cr_assert_null(nm.unmanaged_devices);
	judge(&nm, "docker0", NETCFG_BRIDGE, true, NETCFG_NM_EXTERNAL);
	judge(&nm, "veth1234567", NETCFG_VETH, false, NETCFG_NM_UDEV);
	netcfg_nm_release(&nm);
}

Test(nm, later_files_override_and_lists_append)
{
	struct netcfg_nm nm;

	fixture_write(
		&fx, "/etc/NetworkManager/NetworkManager.conf",
		"[main]\nplugins=keyfile\n[keyfile]\nunmanaged-devices=interface-name:docker0;interface-name:eth9\n",
		-1);
	fixture_write(
		&fx, "/etc/NetworkManager/conf.d/50-docker.conf",
		"[keyfile]\nunmanaged-devices+=interface-name:br-*\nunmanaged-devices-=interface-name:eth9\n",
		-1);
	cr_assert_eq(netcfg_nm_load(&pc, &nm), 0);
	cr_assert_str_eq(nm.unmanaged_devices,
			 "interface-name:docker0,interface-name:br-*");
	judge(&nm, "docker0", NETCFG_BRIDGE, false,
	      NETCFG_NM_UNMANAGED_DEVICES);
	judge(&nm, "br-0123456789ab", NETCFG_BRIDGE, false,
	      NETCFG_NM_UNMANAGED_DEVICES);
	cr_assert_eq(strv_length(nm.files), 2);
	netcfg_nm_release(&nm);
}

Test(nm, ifupdown_plugin_and_interfaces_d)
{
	struct netcfg_nm nm;

	fixture_write(
		&fx, "/etc/NetworkManager/NetworkManager.conf",
		"[main]\nplugins=ifupdown,keyfile\n\n[ifupdown]\nmanaged=false\n",
		-1);
	fixture_write(
		&fx, "/etc/network/interfaces",
		"# The loopback network interface\nauto lo\niface lo inet loopback\n"
		"source /etc/network/interfaces.d/*\n",
		-1);
	fixture_write(&fx, "/etc/network/interfaces.d/20-docker0",
		      "iface docker0 inet manual\n", -1);
	fixture_write(&fx, "/etc/network/interfaces.d/30-br",
		      "iface br-0123456789ab inet manual\n", -1);
	cr_assert_eq(netcfg_nm_load(&pc, &nm), 0);
	judge(&nm, "docker0", NETCFG_BRIDGE, false, NETCFG_NM_IFUPDOWN);
	/* the plugin treats names starting with "br" as bridge configs */
	judge(&nm, "br-0123456789ab", NETCFG_BRIDGE, true, NETCFG_NM_EXTERNAL);
	judge(&nm, "lo", NETCFG_OTHER, true, NETCFG_NM_DEFAULT);
	{
		struct netcfg_nm_verdict v;

		netcfg_nm_judge(&nm, "docker0", NETCFG_BRIDGE, &v);
		cr_assert_str_eq(v.src,
				 "/etc/network/interfaces.d/20-docker0:1");
	}
	netcfg_nm_release(&nm);
}

Test(nm, ifupdown_sourcing_loop_ends)
{
	struct netcfg_nm nm;

	fixture_write(&fx, "/etc/NetworkManager/NetworkManager.conf",
		      "[main]\nplugins=ifupdown,keyfile\n", -1);
	fixture_write(&fx, "/etc/network/interfaces",
		      "source-directory /etc/network/interfaces.d\n", -1);
	fixture_write(
		&fx, "/etc/network/interfaces.d/a",
		"source-directory /etc/network/interfaces.d\niface docker0 inet manual\n",
		-1);
	fixture_write(&fx, "/etc/network/interfaces.d/b",
		      "source /etc/network/interfaces\nsource interfaces.d/*\n",
		      -1);
	cr_assert_eq(netcfg_nm_load(&pc, &nm), 0);
	judge(&nm, "docker0", NETCFG_BRIDGE, false, NETCFG_NM_IFUPDOWN);
	cr_assert_eq(strv_length(nm.eni_ifaces), 1);
	netcfg_nm_release(&nm);
}

Test(nm, ifupdown_managed_true_or_no_plugin)
{
	struct netcfg_nm nm;

	fixture_write(
		&fx, "/etc/NetworkManager/NetworkManager.conf",
		"[main]\nplugins=ifupdown,keyfile\n[ifupdown]\nmanaged=true\n",
		-1);
	fixture_write(&fx, "/etc/network/interfaces",
		      "iface docker0 inet manual\n", -1);
	cr_assert_eq(netcfg_nm_load(&pc, &nm), 0);
	judge(&nm, "docker0", NETCFG_BRIDGE, true, NETCFG_NM_EXTERNAL);
	netcfg_nm_release(&nm);
	fixture_write(&fx, "/etc/NetworkManager/NetworkManager.conf",
		      "[main]\nplugins=keyfile\n", -1);
	cr_assert_eq(netcfg_nm_load(&pc, &nm), 0);
	judge(&nm, "docker0", NETCFG_BRIDGE, true, NETCFG_NM_EXTERNAL);
	netcfg_nm_release(&nm);
}

Test(nm, device_sections_order_and_stop_match)
{
	struct netcfg_nm nm;
	struct netcfg_nm_verdict v;

	fixture_write(
		&fx, "/etc/NetworkManager/NetworkManager.conf",
		"[device]\nmanaged=1\n"
		"[device-veth]\nmatch-device=interface-name:veth*\nmanaged=0\n",
		-1);
	fixture_write(
		&fx, "/etc/NetworkManager/conf.d/90-docker.conf",
		"[device-docker-a]\nmatch-device=interface-name:docker0\nstop-match=yes\n"
		"[device-docker-b]\nmatch-device=interface-name:docker*\nmanaged=0\n"
		"[device-br]\nmatch-device=interface-name:br-*\nmanaged=0\n",
		-1);
	cr_assert_eq(netcfg_nm_load(&pc, &nm), 0);
	cr_assert_eq(nm.n_sec, 5);
	cr_assert_str_eq(nm.sec[0].name, "device-docker-a");
	cr_assert_str_eq(nm.sec[1].name, "device-docker-b");
	cr_assert_str_eq(nm.sec[3].name, "device-veth");
	cr_assert_str_eq(nm.sec[4].name, "device");
	/* docker0 stops at device-docker-a: no managed= there, default */
	judge(&nm, "docker0", NETCFG_BRIDGE, true, NETCFG_NM_EXTERNAL);
	judge(&nm, "docker1", NETCFG_BRIDGE, false, NETCFG_NM_DEVICE_SECTION);
	judge(&nm, "br-0123456789ab", NETCFG_BRIDGE, false,
	      NETCFG_NM_DEVICE_SECTION);
	judge(&nm, "veth1234567", NETCFG_VETH, false, NETCFG_NM_DEVICE_SECTION);
	/* [device] managed=1 overrides the udev rule */
	netcfg_nm_judge(&nm, "docker9x", NETCFG_BRIDGE, &v);
	cr_assert(!v.managed);
	netcfg_nm_release(&nm);
	fixture_write(&fx, "/etc/NetworkManager/conf.d/90-docker.conf", "", -1);
	cr_assert_eq(netcfg_nm_load(&pc, &nm), 0);
	netcfg_nm_judge(&nm, "veth1", NETCFG_VETH, &v);
	cr_assert(!v.managed);
	netcfg_nm_judge(&nm, "vethX", NETCFG_VETH, &v);
	cr_assert_eq(v.reason, NETCFG_NM_DEVICE_SECTION);
	netcfg_nm_judge(&nm, "br-1", NETCFG_BRIDGE, &v);
	cr_assert(v.managed);
	cr_assert_eq(v.reason, NETCFG_NM_DEVICE_SECTION);
	cr_assert_str_eq(v.src, "/etc/NetworkManager/NetworkManager.conf:2");
	netcfg_nm_release(&nm);
}

Test(nm, udev_rule_masked_and_config_disabled)
{
	struct netcfg_nm nm;

	fixture_write(
		&fx, "/lib/udev/rules.d/85-nm-unmanaged.rules",
		"ENV{ID_NET_DRIVER}==\"veth\", ENV{INTERFACE}!=\"eth[0-9]*\", ENV{NM_UNMANAGED}=\"1\"\n",
		-1);
	fixture_write(
		&fx, "/etc/NetworkManager/conf.d/00-off.conf",
		"[.config]\nenable=false\n[keyfile]\nunmanaged-devices=*\n",
		-1);
	cr_assert_eq(netcfg_nm_load(&pc, &nm), 0);
	cr_assert_null(nm.unmanaged_devices, "a disabled snippet was read");
	cr_assert(nm.udev_veth);
	cr_assert_str_eq(nm.udev_src,
			 "/lib/udev/rules.d/85-nm-unmanaged.rules:1");
	judge(&nm, "veth1234567", NETCFG_VETH, false, NETCFG_NM_UDEV);
	netcfg_nm_release(&nm);
	fixture_symlink(&fx, "/etc/udev/rules.d/85-nm-unmanaged.rules",
			"/dev/null");
	cr_assert_eq(netcfg_nm_load(&pc, &nm), 0);
	cr_assert(!nm.udev_veth);
	judge(&nm, "veth1234567", NETCFG_VETH, true, NETCFG_NM_DEFAULT);
	netcfg_nm_release(&nm);
}

Test(nm, live_device_state)
{
	fixture_write(&fx, "/run/NetworkManager/devices/4",
		      "[device]\nmanaged=true\nperm-hw-addr-fake=\n", -1);
	fixture_write(&fx, "/run/NetworkManager/devices/5",
		      "[device]\nmanaged=false\n", -1);
	fixture_write(&fx, "/run/NetworkManager/devices/6",
		      "[device]\nnm-owned=false\n", -1);
	cr_assert_eq(netcfg_nm_device_state(&pc, 4), 1);
	cr_assert_eq(netcfg_nm_device_state(&pc, 5), 0);
	cr_assert_eq(netcfg_nm_device_state(&pc, 6), -1);
	cr_assert_eq(netcfg_nm_device_state(&pc, 7), -ENOENT);
}

Test(nm, unreadable_snippet_is_a_warning)
{
	struct netcfg_nm nm;

	fixture_mkdir(&fx, "/etc/NetworkManager/conf.d/30-dir.conf");
	cr_assert_eq(netcfg_nm_load(&pc, &nm), 0);
	cr_assert_eq(strv_length(nm.warnings), 1);
	cr_assert_not_null(strstr(nm.warnings[0], "cannot read"));
	netcfg_nm_release(&nm);
}

/* ---- netplan --------------------------------------------------------------- */

TestSuite(netplan, .init = setup, .fini = teardown);

static const struct netcfg_np_def *np_find(const struct netcfg_netplan *np,
					   const char *id)
{
	for (size_t i = 0; i < np->n; i++)
		if (strcmp(np->defs[i].id, id) == 0)
			return &np->defs[i];
	return NULL;
}

Test(netplan, catch_all_and_uplink_only)
{
	struct netcfg_netplan np;
	const struct netcfg_np_def *d;

	fixture_write(&fx, "/etc/netplan/50-cloud-init.yaml",
		      "# written by cloud-init\n"
		      "network:\n"
		      "  version: 2\n"
		      "  ethernets:\n"
		      "    all:\n"
		      "      dhcp4: true\n"
		      "      match:\n"
		      "        name: \"*\"   # everything\n"
		      "    uplink:\n"
		      "      match:\n"
		      "        name: en*\n"
		      "      set-name: wan0\n"
		      "    eth1:\n"
		      "      addresses: [10.0.0.2/24, \"fd00::2/64\"]\n"
		      "      nameservers:\n"
		      "        addresses:\n"
		      "          - 10.0.0.1\n"
		      "          - name: not-an-id\n",
		      -1);
	cr_assert_eq(netcfg_netplan_load(&pc, &np), 0);
	cr_assert_eq(np.n, 3, "defs: %zu", np.n);
	d = np_find(&np, "all");
	cr_assert_not_null(d);
	cr_assert_str_eq(d->src, "/etc/netplan/50-cloud-init.yaml:5");
	cr_assert_str_eq(d->renderer, "networkd");
	cr_assert_eq(netcfg_np_match(d, "docker0", NETCFG_BRIDGE), NETCFG_YES);
	d = np_find(&np, "uplink");
	cr_assert_str_eq(d->set_name, "wan0");
	cr_assert_eq(netcfg_np_match(d, "docker0", NETCFG_BRIDGE), NETCFG_NO);
	cr_assert_eq(netcfg_np_match(d, "enp1s0", NETCFG_BRIDGE), NETCFG_YES);
	d = np_find(&np, "eth1");
	cr_assert_eq(netcfg_np_match(d, "eth1", NETCFG_VETH), NETCFG_YES);
	cr_assert_eq(netcfg_np_match(d, "veth1", NETCFG_VETH), NETCFG_NO);
	netcfg_netplan_release(&np);
}

Test(netplan, mac_driver_flow_and_virtual_devices)
{
	struct netcfg_netplan np;

	fixture_write(&fx, "/etc/netplan/01-x.yaml",
		      "network:\n"
		      "  renderer: NetworkManager\n"
		      "  ethernets:\n"
		      "    bymac:\n"
		      "      match: {macaddress: \"52:54:00:12:34:56\"}\n"
		      "    byveth:\n"
		      "      match:\n"
		      "        driver: [e1000, \"veth\"]\n"
		      "      renderer: networkd\n"
		      "    flow: {match: {name: 'br-*'}}\n"
		      "  bridges:\n"
		      "    docker0:\n"
		      "      interfaces: [eth0]\n"
		      "  wifis:\n"
		      "    wl0: {match: {name: \"*\"}}\n",
		      -1);
	cr_assert_eq(netcfg_netplan_load(&pc, &np), 0);
	cr_assert_eq(netcfg_np_match(np_find(&np, "bymac"), "docker0",
				     NETCFG_BRIDGE),
		     NETCFG_NO);
	cr_assert_eq(netcfg_np_match(np_find(&np, "byveth"), "veth1",
				     NETCFG_VETH),
		     NETCFG_YES);
	cr_assert_eq(netcfg_np_match(np_find(&np, "byveth"), "docker0",
				     NETCFG_BRIDGE),
		     NETCFG_NO);
	cr_assert_str_eq(np_find(&np, "byveth")->renderer, "networkd");
	cr_assert_str_eq(np_find(&np, "bymac")->renderer, "NetworkManager");
	cr_assert_eq(netcfg_np_match(np_find(&np, "flow"), "br-0123456789ab",
				     NETCFG_BRIDGE),
		     NETCFG_YES);
	cr_assert(np_find(&np, "docker0")->virtual_dev);
	cr_assert_eq(netcfg_np_match(np_find(&np, "docker0"), "docker0",
				     NETCFG_BRIDGE),
		     NETCFG_YES);
	cr_assert_eq(netcfg_np_match(np_find(&np, "wl0"), "docker0",
				     NETCFG_BRIDGE),
		     NETCFG_NO);
	netcfg_netplan_release(&np);
}

Test(netplan, run_shadows_etc_and_bad_files)
{
	static const char junk[] = "network:\0\xff\xfe";
	struct netcfg_netplan np;

	fixture_write(
		&fx, "/etc/netplan/50-cloud-init.yaml",
		"network:\n  ethernets:\n    all:\n      match:\n        name: \"*\"\n",
		-1);
	fixture_write(&fx, "/run/netplan/50-cloud-init.yaml",
		      "network:\n  ethernets:\n    eth0: {}\n", -1);
	fixture_write(&fx, "/etc/netplan/60-tabs.yaml",
		      "network:\n\tethernets:\n", -1);
	fixture_write(&fx, "/lib/netplan/70-junk.yaml", junk, sizeof(junk));
	cr_assert_eq(netcfg_netplan_load(&pc, &np), 0);
	cr_assert_null(np_find(&np, "all"), "/run must shadow /etc");
	cr_assert_not_null(np_find(&np, "eth0"));
	cr_assert_eq(strv_length(np.warnings), 2);
	cr_assert_not_null(strstr(np.warnings[0], "60-tabs.yaml:2"));
	cr_assert_not_null(strstr(np.warnings[1], "not a text file"));
	netcfg_netplan_release(&np);
}

/* ---- dpkg and sysctl.d ------------------------------------------------------ */

TestSuite(packages, .init = setup, .fini = teardown);

Test(packages, dpkg_status)
{
	static const char *const names[] = { "netscript-2.4",
					     "netscript-ipfilter", NULL };
	char **found = NULL;

	fixture_write(&fx, "/var/lib/dpkg/status",
		      "Package: netscript-2.4\nStatus: install ok installed\n",
		      -1);
	/* no /var/lib/dpkg/info/NAME.list: the status file is not read */
	cr_assert_eq(netcfg_dpkg_installed(&pc, names, &found), 0);
	cr_assert_null(found);
	fixture_write(&fx, "/var/lib/dpkg/info/netscript-2.4.list", "/.\n", -1);
	fixture_write(&fx, "/var/lib/dpkg/info/netscript-ipfilter.list", "/.\n",
		      -1);
	fixture_write(
		&fx, "/var/lib/dpkg/status",
		"Package: bash\nStatus: install ok installed\n\n"
		"Package: netscript-ipfilter\nStatus: deinstall ok config-files\n\n"
		"Package: netscript-2.4\nStatus: install ok installed\nVersion: 5.5.5+nmu1\n",
		-1);
	cr_assert_eq(netcfg_dpkg_installed(&pc, names, &found), 1);
	cr_assert_str_eq(found[0], "netscript-2.4");
	strv_free(found);
}

Test(packages, sysctl_d_precedence)
{
	struct netcfg_sysctld s;
	const struct netcfg_sysctl_entry *e;

	fixture_write(
		&fx, "/usr/lib/sysctl.d/50-default.conf",
		"net.ipv4.ip_forward = 1\n-net.ipv4.conf.*.forwarding = 0\n",
		-1);
	fixture_write(&fx, "/etc/sysctl.d/60-off.conf",
		      "# off\nnet/ipv4/ip_forward=0\n", -1);
	fixture_write(&fx, "/etc/sysctl.conf",
		      "net.ipv4.conf.eth0.forwarding = 1\n", -1);
	cr_assert_eq(netcfg_sysctld_load(&pc, &s), 0);
	e = netcfg_sysctld_lookup(&s, "net.ipv4.ip_forward");
	cr_assert_str_eq(e->value, "0");
	cr_assert_str_eq(e->src, "/etc/sysctl.d/60-off.conf:2");
	e = netcfg_sysctld_lookup(&s, "net.ipv4.conf.docker0.forwarding");
	cr_assert_str_eq(e->value, "0");
	e = netcfg_sysctld_lookup(&s, "net.ipv4.conf.eth0.forwarding");
	cr_assert_str_eq(e->value, "1", "an explicit key beats a glob");
	cr_assert_null(
		netcfg_sysctld_lookup(&s, "net.ipv6.conf.all.forwarding"));
	netcfg_sysctld_release(&s);
}

/* ---- net.forwarding ---------------------------------------------------------- */

TestSuite(forwarding, .init = setup, .fini = teardown);

Test(forwarding, healthy)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	add_dockerd(NULL);
	r = run_check(&check_net_forwarding, 100);
	f = test_find(r, SEV_OK, "IPv4 forwarding is on");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "bridge_forwarding"), "docker0=1");
	cr_assert_str_eq(test_evidence(f, "uplink"), "eth0");
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(forwarding, ip_forward_off_while_daemon_runs)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	fixture_write(&fx, "/proc/sys/net/ipv4/ip_forward", "0\n", -1);
	fixture_write(&fx, "/etc/sysctl.d/90-hardening.conf",
		      "net.ipv4.ip_forward = 0\n", -1);
	add_dockerd(NULL);
	r = run_check(&check_net_forwarding, 100);
	f = test_find(r, SEV_CRITICAL, "net.ipv4.ip_forward is 0, but dockerd");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "sysctl_file"),
			 "/etc/sysctl.d/90-hardening.conf:1");
	cr_assert_not_null(
		strstr(f->remedy, "sysctl -w net.ipv4.ip_forward=1"));
	cr_assert_null(test_find(r, SEV_OK, ""));
	report_free(r);
}

Test(forwarding, ip_forward_off_without_daemon_is_info)
{
	struct report *r;

	healthy_sysctl();
	fixture_write(&fx, "/proc/sys/net/ipv4/ip_forward", "0\n", -1);
	r = run_check(&check_net_forwarding, 0);
	cr_assert_not_null(
		test_find(r, SEV_INFO, "dockerd turns it on when it starts"));
	cr_assert_eq(report_worst(r), SEV_INFO);
	report_free(r);
}

Test(forwarding, ip_forward_false_configured)
{
	static const char *const argv[] = { "/usr/sbin/dockerd",
					    "--ip-forward=false", NULL };
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	fixture_write(&fx, "/proc/sys/net/ipv4/ip_forward", "0\n", -1);
	add_dockerd(argv);
	r = run_check(&check_net_forwarding, 100);
	f = test_find(r, SEV_WARNING, "configured with ip-forward=false");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->summary, "on its command line"));
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	report_free(r);
}

Test(forwarding, bridge_off_names_the_networkd_file_from_live_state)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	add_if("br-0123456789ab", 7, true, 0);
	add_dockerd(NULL);
	add_networkd();
	fixture_write(&fx, "/etc/systemd/network/10-bridges.network",
		      "[Match]\nKind=bridge\n[Network]\nIPv4Forwarding=no\n",
		      -1);
	fixture_write(
		&fx, "/run/systemd/netif/links/7",
		"ADMIN_STATE=configured\nNETWORK_FILE=/etc/systemd/network/10-bridges.network\n",
		-1);
	r = run_check(&check_net_forwarding, 100);
	f = test_find(r, SEV_CRITICAL,
		      "net.ipv4.conf.br-0123456789ab.forwarding is 0");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "interface"), "br-0123456789ab");
	cr_assert_str_eq(test_evidence(f, "network_file"),
			 "/etc/systemd/network/10-bridges.network");
	cr_assert_str_eq(test_evidence(f, "network_file_from"),
			 "systemd-networkd's live state");
	cr_assert_not_null(strstr(test_evidence(f, "ipv4_forwarding_setting"),
				  "IPv4Forwarding=no"));
	cr_assert_not_null(strstr(f->remedy, "05-docker.network"));
	cr_assert_null(test_find(r, SEV_CRITICAL, "docker0"));
	report_free(r);
}

Test(forwarding, uplink_off_by_old_networkd_default)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	add_if("eth0", 2, false, 0);
	add_dockerd(NULL);
	add_networkd();
	fixture_write(&fx,
		      "/usr/lib/systemd/network/80-container-host0.network",
		      "[Match]\nVirtualization=container\nName=host0\n", -1);
	fixture_write(&fx, "/etc/systemd/network/20-eth.network",
		      "[Match]\nName=eth*\n[Network]\nDHCP=yes\n", -1);
	r = run_check(&check_net_forwarding, 100);
	f = test_find(r, SEV_CRITICAL,
		      "on eth0, which carries the default route");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "network_file"),
			 "/etc/systemd/network/20-eth.network");
	cr_assert_not_null(
		strstr(test_evidence(f, "ip_forward_setting"), "220-227"));
	cr_assert_not_null(strstr(f->remedy, "IPForward=kernel"));
	report_free(r);
}

Test(forwarding, bridge_off_without_daemon_is_warning)
{
	struct report *r;

	healthy_sysctl();
	add_if("docker0", 4, true, 0);
	r = run_check(&check_net_forwarding, 0);
	cr_assert_not_null(test_find(r, SEV_WARNING,
				     "net.ipv4.conf.docker0.forwarding is 0"));
	cr_assert_eq(test_count_sev(r, SEV_CRITICAL), 0);
	report_free(r);
}

Test(forwarding, bridge_none_leaves_docker0_alone)
{
	static const char *const argv[] = { "/usr/sbin/dockerd",
					    "--bridge=none", NULL };
	struct report *r;

	healthy_sysctl();
	add_if("docker0", 4, true, 0);
	add_dockerd(argv);
	r = run_check(&check_net_forwarding, 100);
	cr_assert_null(test_find(r, SEV_CRITICAL, "docker0"));
	cr_assert_not_null(test_find(r, SEV_OK, "no Docker bridge exists yet"));
	report_free(r);
}

Test(forwarding, default_forwarding_off)
{
	struct report *r;

	healthy_sysctl();
	fixture_write(&fx, "/proc/sys/net/ipv4/conf/default/forwarding", "0\n",
		      -1);
	add_dockerd(NULL);
	r = run_check(&check_net_forwarding, 100);
	cr_assert_not_null(test_find(r, SEV_WARNING,
				     "net.ipv4.conf.default.forwarding is 0"));
	report_free(r);
}

Test(forwarding, ipv6_forwarding_off_with_ipv6_on)
{
	struct report *r;

	healthy_sysctl();
	fixture_write(&fx, "/etc/docker/daemon.json",
		      "{\"ipv6\": true, \"fixed-cidr-v6\": \"fd00::/80\"}\n",
		      -1);
	fixture_write(&fx, "/proc/sys/net/ipv6/conf/all/forwarding", "0\n", -1);
	add_dockerd(NULL);
	r = run_check(&check_net_forwarding, 100);
	cr_assert_not_null(test_find(r, SEV_CRITICAL,
				     "net.ipv6.conf.all.forwarding is 0"));
	report_free(r);
	fixture_write(&fx, "/proc/sys/net/ipv6/conf/all/forwarding", "1\n", -1);
	r = run_check(&check_net_forwarding, 100);
	cr_assert_str_eq(test_evidence(test_find(r, SEV_OK, ""),
				       "ipv6_all_forwarding"),
			 "1");
	report_free(r);
}

Test(forwarding, iptables_false_is_info)
{
	static const char *const argv[] = { "/usr/sbin/dockerd",
					    "--iptables=false", NULL };
	struct report *r;

	healthy_sysctl();
	add_dockerd(argv);
	r = run_check(&check_net_forwarding, 100);
	cr_assert_not_null(test_find(r, SEV_INFO, "iptables=false"));
	cr_assert_not_null(test_find(r, SEV_OK, "IPv4 forwarding is on"));
	report_free(r);
}

Test(forwarding, bridge_nf_call_iptables)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	fixture_write(&fx, "/proc/sys/net/bridge/bridge-nf-call-iptables",
		      "0\n", -1);
	add_dockerd(NULL);
	r = run_check(&check_net_forwarding, 100);
	cr_assert_not_null(
		test_find(r, SEV_INFO, "bridge-nf-call-iptables is 0"));
	cr_assert_eq(test_count_sev(r, SEV_WARNING), 0);
	report_free(r);
	fixture_write(&fx, "/etc/docker/daemon.json", "{\"icc\": false}\n", -1);
	r = run_check(&check_net_forwarding, 100);
	f = test_find(r, SEV_WARNING, "icc=false is not enforced");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "icc"), "false");
	report_free(r);
}

Test(forwarding, br_netfilter_missing_with_icc_false)
{
	struct report *r;

	healthy_sysctl();
	fixture_write(&fx, "/etc/docker/daemon.json", "{\"icc\": false}\n", -1);
	add_dockerd(NULL);
	r = run_check(&check_net_forwarding, 100);
	cr_assert_not_null(
		test_find(r, SEV_WARNING, "br_netfilter is not loaded"));
	report_free(r);
}

Test(forwarding, unreadable_values)
{
	struct report *r;

	healthy_sysctl();
	fixture_write(&fx, "/sys/class/net/br-0123456789ab/ifindex", "7\n", -1);
	fixture_mkdir(&fx, "/sys/class/net/br-0123456789ab/bridge");
	/* a directory where the switch should be: EISDIR */
	fixture_mkdir(&fx,
		      "/proc/sys/net/ipv4/conf/br-0123456789ab/forwarding");
	add_dockerd(NULL);
	r = run_check(&check_net_forwarding, 100);
	cr_assert_not_null(test_find(
		r, SEV_UNKNOWN,
		"cannot read /proc/sys/net/ipv4/conf/br-0123456789ab/forwarding"));
	report_free(r);
}

Test(forwarding, no_ip_forward_file_or_junk)
{
	struct report *r;

	add_dockerd(NULL);
	r = run_check_expect(&check_net_forwarding, 100, -ENOENT);
	report_free(r);
	fixture_write(&fx, "/proc/sys/net/ipv4/ip_forward", "\x01\x02junk", -1);
	r = run_check_expect(&check_net_forwarding, 100, -EINVAL);
	report_free(r);
}

Test(forwarding, bridge_off_remedy_names_its_sysctl_not_ip_forward)
{
	struct report *r;
	const struct finding *f;

	/* ip_forward is 1: writing it again does not reach docker0 */
	healthy_sysctl();
	add_if("docker0", 4, true, 0);
	add_dockerd(NULL);
	r = run_check(&check_net_forwarding, 100);
	f = test_find(r, SEV_CRITICAL, "net.ipv4.conf.docker0.forwarding is 0");
	cr_assert_not_null(f);
	cr_assert_not_null(
		strstr(f->remedy,
		       "sysctl -w net.ipv4.conf.docker0.forwarding=1"),
		"%s", f->remedy);
	cr_assert_null(strstr(f->remedy, "net.ipv4.ip_forward=1"), "%s",
		       f->remedy);
	cr_assert_str_eq(test_evidence(f, "ip_forward"), "1");
	report_free(r);
}

/* A daemon whose API lists no bridge network (--bridge=none) owns none. */
Test(forwarding, a_daemon_without_bridges_owns_no_br)
{
	char *none[] = { NULL };
	struct report *r;

	healthy_sysctl();
	add_if("br-aaaaaaaaaaaa", 8, true, 0);
	add_dockerd(NULL);
	r = run_check_api(&check_net_forwarding, 100, none, 0);
	cr_assert_null(test_find(r, SEV_CRITICAL, "br-aaaaaaaaaaaa"));
	report_free(r);
}

Test(forwarding, other_daemons_bridges_are_not_this_daemons)
{
	char *own[] = { "docker0", "br-0123456789ab", NULL };
	struct report *r;
	const struct finding *f;

	/* br-aaaaaaaaaaaa belongs to another dockerd on the same host */
	healthy_sysctl();
	add_if("br-0123456789ab", 7, true, 1);
	add_if("br-aaaaaaaaaaaa", 8, true, 0);
	add_dockerd(NULL);
	r = run_check_api(&check_net_forwarding, 100, own, 0);
	cr_assert_null(test_find(r, SEV_CRITICAL, "br-aaaaaaaaaaaa"));
	f = test_find(r, SEV_OK, "IPv4 forwarding is on");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "bridge_forwarding"),
			 "docker0=1, br-0123456789ab=1");
	report_free(r);
	/* without the daemon's list it cannot be told apart: judged */
	r = run_check(&check_net_forwarding, 100);
	cr_assert_not_null(test_find(r, SEV_CRITICAL, "br-aaaaaaaaaaaa"));
	report_free(r);
}

Test(forwarding, evidence_names_the_view)
{
	struct report *r;
	const char *v;

	healthy_sysctl();
	add_dockerd(NULL);
	r = run_check(&check_net_forwarding, 100);
	for (size_t i = 0; i < r->n_findings; i++) {
		v = test_evidence(&r->findings[i], "view");
		cr_assert_not_null(v);
		cr_assert(startswith(v, "sysroot "), "%s", v);
	}
	report_free(r);
}

/* ---- net.iface-managers ---------------------------------------------------- */

TestSuite(managers, .init = setup, .fini = teardown);

Test(managers, healthy_networkd_with_docker_network)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	add_if("veth1a2b3c4", 9, false, 1);
	add_networkd();
	fixture_write(&fx, "/etc/systemd/network/05-docker.network",
		      docker_network, -1);
	fixture_write(&fx, "/etc/systemd/network/10-eth.network",
		      "[Match]\nName=eth*\n[Network]\nDHCP=yes\n", -1);
	r = run_check(&check_net_iface_managers, 0);
	f = test_find(r, SEV_OK, "no running network manager");
	cr_assert_not_null(f);
	cr_assert_not_null(
		strstr(test_evidence(f, "managers"),
		       "systemd-networkd running, 2 .network files"));
	cr_assert_str_eq(test_evidence(f, "existing"), "docker0, veth1a2b3c4");
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(managers, catch_all_shadows_docker_network)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	add_networkd();
	fixture_write(&fx, "/etc/systemd/network/10-all.network",
		      "[Match]\nName=en* veth*\n", -1);
	fixture_write(&fx, "/etc/systemd/network/docker.network",
		      docker_network, -1);
	r = run_check(&check_net_iface_managers, 0);
	f = test_find(r, SEV_WARNING,
		      "through /etc/systemd/network/10-all.network");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "interfaces"),
			 "veth1234567 (not created yet)");
	cr_assert_not_null(strstr(test_evidence(f, "ignored_unmanaged_file"),
				  "/etc/systemd/network/docker.network"));
	cr_assert_not_null(strstr(f->remedy, "Rename"));
	cr_assert_null(test_find(r, SEV_OK, ""));
	report_free(r);
}

Test(managers, networkd_not_running_is_info)
{
	struct report *r;

	healthy_sysctl();
	fixture_write(&fx, "/etc/systemd/network/10-all.network",
		      "[Match]\nName=*\n", -1);
	r = run_check(&check_net_iface_managers, 0);
	cr_assert_not_null(
		test_find(r, SEV_INFO, "(not running) would manage"));
	cr_assert_not_null(test_find(r, SEV_OK, "no running network manager"));
	report_free(r);
}

Test(managers, networkd_live_state_configures_bridge)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	add_networkd();
	fixture_write(&fx, "/etc/systemd/network/05-docker.network",
		      docker_network, -1);
	/* the state says otherwise (a file since removed, not reloaded) */
	fixture_write(
		&fx, "/run/systemd/netif/links/4",
		"ADMIN_STATE=configured\nNETWORK_FILE=/run/systemd/network/10-old.network\n",
		-1);
	r = run_check(&check_net_iface_managers, 0);
	f = test_find(r, SEV_WARNING, "configures docker0 right now");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "from"), "live state");
	report_free(r);
}

Test(managers, live_unmanaged_beats_configuration)
{
	struct report *r;

	healthy_sysctl();
	add_networkd();
	fixture_write(&fx, "/etc/systemd/network/10-all.network",
		      "[Match]\nName=docker0\n", -1);
	fixture_write(&fx, "/run/systemd/netif/links/4",
		      "ADMIN_STATE=unmanaged\n", -1);
	r = run_check(&check_net_iface_managers, 0);
	cr_assert_eq(report_worst(r), SEV_OK);
	report_free(r);
}

Test(managers, networkmanager_default_takes_docker0)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	add_if("veth1a2b3c4", 9, false, 1);
	add_nm();
	fixture_write(
		&fx, "/etc/NetworkManager/NetworkManager.conf",
		"[main]\nplugins=ifupdown,keyfile\n[ifupdown]\nmanaged=false\n",
		-1);
	r = run_check(&check_net_iface_managers, 0);
	f = test_find(r, SEV_WARNING, "NetworkManager takes over docker0");
	cr_assert_not_null(f);
	cr_assert_null(strstr(test_evidence(f, "interfaces"), "veth"),
		       "veth is unmanaged by the udev rule");
	cr_assert_not_null(strstr(f->remedy, "iface docker0 inet manual"));
	cr_assert_not_null(strstr(f->remedy, "unmanaged-devices+="));
	report_free(r);
}

Test(managers, networkmanager_unmanaged_devices_ok)
{
	struct report *r;

	healthy_sysctl();
	add_nm();
	fixture_write(
		&fx, "/etc/NetworkManager/conf.d/99-docker.conf",
		"[keyfile]\nunmanaged-devices+=interface-name:docker0;interface-name:br-*;interface-name:veth*\n",
		-1);
	r = run_check(&check_net_iface_managers, 0);
	cr_assert_eq(report_worst(r), SEV_OK);
	cr_assert_not_null(
		strstr(test_evidence(test_find(r, SEV_OK, ""), "managers"),
		       "NetworkManager running, 1 configuration file"));
	report_free(r);
}

Test(managers, networkmanager_live_state)
{
	struct report *r;

	healthy_sysctl();
	add_nm();
	fixture_write(&fx, "/etc/NetworkManager/conf.d/99-docker.conf",
		      "[keyfile]\nunmanaged-devices=interface-name:docker0\n",
		      -1);
	fixture_write(&fx, "/run/NetworkManager/devices/4",
		      "[device]\nmanaged=true\n", -1);
	r = run_check(&check_net_iface_managers, 0);
	cr_assert_not_null(
		test_find(r, SEV_WARNING, "manages docker0 right now"));
	report_free(r);
}

Test(managers, netplan_catch_all_through_networkd)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	add_networkd();
	fixture_write(
		&fx, "/etc/netplan/50-cloud-init.yaml",
		"network:\n  version: 2\n  ethernets:\n    all:\n      dhcp4: true\n      match:\n        name: \"*\"\n",
		-1);
	fixture_write(&fx, "/run/systemd/network/10-netplan-all.network",
		      "[Match]\nName=*\n\n[Network]\nDHCP=ipv4\n", -1);
	fixture_write(&fx, "/etc/systemd/network/docker.network",
		      docker_network, -1);
	r = run_check(&check_net_iface_managers, 0);
	f = test_find(r, SEV_WARNING, "10-netplan-all.network");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "netplan_source"),
			 "/etc/netplan/50-cloud-init.yaml:4");
	cr_assert_not_null(strstr(f->remedy, "match: name: en*"));
	cr_assert_null(test_find(r, SEV_WARNING, "netplan definition"),
		       "reported twice");
	report_free(r);
}

Test(managers, netplan_for_networkmanager_not_running)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	fixture_write(
		&fx, "/etc/netplan/01-network-manager-all.yaml",
		"network:\n  version: 2\n  renderer: NetworkManager\n  ethernets:\n    any:\n      match: {name: \"*\"}\n",
		-1);
	r = run_check(&check_net_iface_managers, 0);
	f = test_find(r, SEV_INFO, "netplan definition 'any'");
	cr_assert_not_null(f);
	cr_assert_str_eq(test_evidence(f, "renderer"), "NetworkManager");
	report_free(r);
}

Test(managers, netscript_installed)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	fixture_write(&fx, "/var/lib/dpkg/status",
		      "Package: netscript-2.4\nStatus: install ok installed\n",
		      -1);
	fixture_write(&fx, "/var/lib/dpkg/info/netscript-2.4.list", "/.\n", -1);
	r = run_check(&check_net_iface_managers, 0);
	f = test_find(r, SEV_WARNING, "package netscript-2.4 is installed");
	cr_assert_not_null(f);
	cr_assert_not_null(strstr(f->remedy, "apt-get remove netscript-2.4"));
	report_free(r);
}

Test(managers, unreadable_configuration_is_unknown)
{
	struct report *r;

	healthy_sysctl();
	fixture_mkdir(&fx, "/etc/NetworkManager/conf.d/30-dir.conf");
	fixture_mkdir(&fx, "/etc/systemd/network/10-dir.network");
	r = run_check(&check_net_iface_managers, 0);
	cr_assert_not_null(
		test_find(r, SEV_UNKNOWN, "NetworkManager: cannot read"));
	cr_assert_not_null(
		test_find(r, SEV_UNKNOWN, "systemd-networkd: cannot read"));
	report_free(r);
}

Test(managers, nothing_installed)
{
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	r = run_check(&check_net_iface_managers, 0);
	f = test_find(r, SEV_OK, "none found");
	cr_assert_not_null(f);
	cr_assert_eq(r->n_findings, 1);
	report_free(r);
}

Test(managers, other_daemons_bridges_are_not_judged)
{
	char *own[] = { "docker0", NULL };
	struct report *r;
	const struct finding *f;

	healthy_sysctl();
	add_if("br-aaaaaaaaaaaa", 8, true, 1);
	add_dockerd(NULL);
	add_networkd();
	fixture_write(&fx, "/etc/systemd/network/10-all.network",
		      "[Match]\nName=br-aaaa*\n", -1);
	r = run_check_api(&check_net_iface_managers, 100, own, 0);
	f = test_find(r, SEV_WARNING, "10-all.network");
	/* only the sample br-0123456789ab is this daemon's, and matches not */
	cr_assert_null(f, "another daemon's bridge judged");
	cr_assert_not_null(test_find(r, SEV_OK, "no running network manager"));
	report_free(r);
}

/* ---- the daemon's namespace (nsview) --------------------------------------- */

/*
 * A process in a network namespace of its own, where ip_forward is 1 and
 * lo's forwarding 0; it waits until the test closes *ret_go. 0, or -errno
 * (-EPERM: this test cannot make namespaces).
 */
static int start_in_netns(pid_t *ret_pid, int *ret_go)
{
	int ready[2], go[2];
	char c = 0;
	pid_t pid;

	cr_assert_eq(pipe(ready), 0);
	cr_assert_eq(pipe(go), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int fd;

		close(ready[0]);
		close(go[1]);
		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		fd = open("/proc/sys/net/ipv4/ip_forward", O_WRONLY);
		if (fd < 0 || write(fd, "1\n", 2) != 2)
			_exit(2);
		close(fd);
		fd = open("/proc/sys/net/ipv4/conf/lo/forwarding", O_WRONLY);
		if (fd < 0 || write(fd, "0\n", 2) != 2)
			_exit(3);
		close(fd);
		if (write(ready[1], "x", 1) != 1)
			_exit(4);
		if (read(go[0], &c, 1) < 0)
			_exit(5);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	if (read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		close(go[1]);
		waitpid(pid, NULL, 0);
		return -EPERM;
	}
	close(ready[0]);
	*ret_pid = pid;
	*ret_go = go[1];
	return 0;
}

TestSuite(nsview);

Test(nsview, reads_the_daemons_namespace_from_a_child)
{
	struct pathctx root;
	struct nsview *v = NULL;
	pid_t pid;
	int go, val = -1;
	char buf[256], cmd[64];

	if (geteuid() != 0 || start_in_netns(&pid, &go) < 0)
		cr_skip_test("cannot make a network namespace here");
	cr_assert_eq(pathctx_init(&root, "/"), 0);
	cr_assert_eq(nsview_new(&root, pid, 2000, &v), 0);
	cr_assert_eq(v->err, 0, "%s: %s", v->what, strerror(-v->err));
	cr_assert_eq(v->kind, NSVIEW_DAEMON);
	cr_assert_eq(nsview_read_int(v, "/proc/sys/net/ipv4/ip_forward", &val),
		     0);
	cr_assert_eq(val, 1);
	cr_assert_eq(nsview_read_int(v, "/proc/sys/net/ipv4/conf/lo/forwarding",
				     &val),
		     0);
	cr_assert_eq(val, 0, "lo's switch in the daemon's namespace");
	cr_assert_not_null(nsview_link(v, "lo"));
	cr_assert_eq(v->n_links, 1, "only lo in a new namespace");
	cr_assert_eq(nsview_same_netns(v, pid), 1);
	cr_assert_eq(nsview_same_netns(v, getpid()), 0);
	nsview_describe(v, buf, sizeof(buf));
	cr_assert(startswith(buf, "daemon netns net:["), "%s", buf);
	cr_assert_not_null(strstr(buf, "not the tool's"), "%s", buf);
	nsview_sysctl_cmd(v, cmd, sizeof(cmd));
	cr_assert(startswith(cmd, "nsenter -t "), "%s", cmd);
	nsview_free(v);
	close(go);
	waitpid(pid, NULL, 0);
	pathctx_release(&root);
}

Test(nsview, own_namespace_and_no_daemon_need_no_child)
{
	struct pathctx root;
	struct nsview *v = NULL;
	char buf[256];

	cr_assert_eq(pathctx_init(&root, "/"), 0);
	cr_assert_eq(nsview_new(&root, 0, 1000, &v), 0);
	cr_assert_eq(v->kind, NSVIEW_OWN);
	cr_assert_null(v->facts);
	nsview_describe(v, buf, sizeof(buf));
	cr_assert_str_eq(buf, "the tool's own (no dockerd)");
	nsview_free(v);
	if (geteuid() == 0) {
		cr_assert_eq(nsview_new(&root, getpid(), 1000, &v), 0);
		cr_assert_eq(v->kind, NSVIEW_OWN);
		cr_assert_eq(v->err, 0);
		nsview_describe(v, buf, sizeof(buf));
		cr_assert(startswith(buf, "same as the tool's"), "%s", buf);
		nsview_free(v);
	}
	pathctx_release(&root);
}

Test(nsview, a_daemon_that_is_gone_is_an_error_not_a_view)
{
	struct pathctx root;
	struct nsview *v = NULL;
	char buf[512];
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0); /* reaped: /proc/PID is gone */
	cr_assert_eq(pathctx_init(&root, "/"), 0);
	cr_assert_eq(nsview_new(&root, pid, 1000, &v), 0);
	cr_assert_neq(v->err, 0);
	nsview_strerror(v, buf, sizeof(buf));
	cr_assert_not_null(strstr(buf, "network namespace"), "%s", buf);
	nsview_free(v);
	pathctx_release(&root);
}
