/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who configures the host's network interfaces, and what the kernel's
 * forwarding switches say: the readers behind net.forwarding and
 * net.iface-managers. A collector: it reads files under a path context
 * (--sysroot works), never judges, never prints, never runs a program.
 *
 * Docker's interfaces: the default bridge (docker0, or the daemon's
 * "bridge" setting; "none" means none), user-defined bridges br-<12 hex>,
 * the host ends of container links veth*, and bridges named by the API
 * (com.docker.network.bridge.name). Existing ones come from
 * /sys/class/net, or from the daemon's namespace's links (nsview.h);
 * names Docker will create later are added as samples
 * (br-0123456789ab, veth1234567), so a host without containers is judged
 * too.
 *
 * systemd-networkd (systemd.network(5)): .network files from
 * /etc/systemd/network, /run/systemd/network, /usr/local/lib/systemd/network,
 * /usr/lib/systemd/network and /lib/systemd/network; a file name in an
 * earlier directory masks the same name in a later one, an empty file or a
 * link to /dev/null masks it for good; files are sorted by name across
 * directories; drop-ins FILE.network.d/ *.conf are applied in name order.
 * networkd applies the FIRST file whose [Match] matches a link and ignores
 * every later one, so a catch-all in 10-foo.network beats a later
 * docker.network with Unmanaged=yes. [Match] Name= is a list of shell
 * globs; a leading '!' negates every word of that assignment; assignments
 * add up and an empty one resets. Type=, Kind= and Driver= are evaluated
 * for Docker's interfaces (a bridge: type "bridge", kind and driver
 * "bridge"; a veth: type "ether", kind and driver "veth");
 * PermanentMACAddress=, Path=, SSID=, BSSID= and WLANInterfaceType= never
 * match them (virtual devices have none of these); MACAddress=, Property=
 * and the conditions (Host=, Virtualization=, KernelCommandLine=, ...)
 * cannot be decided from files and make a match a "maybe". A file whose
 * [Match] has no setting matches every link. The live state is in
 * /run/systemd/netif/links/IFINDEX (ADMIN_STATE=, NETWORK_FILE=).
 *
 * NetworkManager (NetworkManager.conf(5)): /usr/lib/NetworkManager/conf.d,
 * then /run/NetworkManager/conf.d (each skipped when /etc/NetworkManager/
 * conf.d, or for /usr/lib also /run, has the same name), then
 * /etc/NetworkManager/NetworkManager.conf, then /etc/NetworkManager/
 * conf.d; later files override a key, "key+=" and "key-=" add to or take
 * from a device list. [keyfile] unmanaged-devices= (and, with the ifupdown
 * plugin and [ifupdown] managed=false, its default, every "iface" of
 * /etc/network/interfaces and the files it sources, except names starting
 * with "br" and "lo") make a device strictly unmanaged. Otherwise the first
 * [device*] section (later files first, top to bottom within a file,
 * [device] itself last) that matches and sets managed= decides; then the
 * udev rule 85-nm-unmanaged.rules (NetworkManager >= 1.2: veth devices not
 * named eth* are unmanaged); then an externally created bridge is taken
 * over ("connected (externally)") once it is up with an address. Device
 * specs: "*", NAME, interface-name:[~|=]NAME (globs * and ?), mac:,
 * type:, driver:, except:SPEC, separated by ',' or ';'. The live state is
 * /run/NetworkManager/devices/IFINDEX ([device] managed=).
 *
 * netplan (netplan(5), netplan-generate(8)): /lib/netplan, /etc/netplan and
 * /run/netplan *.yaml; /run shadows /etc, both shadow /lib. Only a subset
 * of YAML is read, by indentation: block mappings and sequences, quoted
 * and plain scalars, flow sequences [a, b] and one-level flow mappings
 * {name: x}; '#' comments; no anchors, tags or multi-line scalars. Under
 * "network:" it reads "renderer:" and, for ethernets, wifis, modems,
 * bridges, bonds, vlans, tunnels, vrfs, dummy-devices and
 * virtual-ethernets, each interface id with its "match:" (name, macaddress,
 * driver), "set-name:" and "renderer:". A physical id without match: is
 * the interface name; a virtual one is the device netplan creates.
 *
 * Functions return 0 (or a count) or -errno and never print.
 */
#ifndef DD_NETCFG_H
#define DD_NETCFG_H

#include <stdbool.h>
#include <stddef.h>

#include "host/path.h"

#define NETCFG_IFNAMSIZ 16

/* ---- small readers ----------------------------------------------------- */

/*
 * Read a sysctl-style number ("0\n", "1\n", "2\n") into *ret. -EINVAL for
 * anything else, -errno when the file cannot be read.
 */
int netcfg_read_int(const struct pathctx *pc, const char *path, int *ret);

/* The ifindex of an interface from /sys/class/net/NAME/ifindex. */
int netcfg_ifindex(const struct pathctx *pc, const char *ifname, int *ret);

/* Shell glob match (fnmatch(3) without flags). */
bool netcfg_fnmatch(const char *pattern, const char *s);

/*
 * Interfaces that carry a default route, from /proc/net/route (IPv4).
 * Returns how many were found (names pushed to *ret) or -errno.
 */
int netcfg_default_route_ifaces(const struct pathctx *pc, char ***ret);

/*
 * Is process pid in this process's network namespace? 1 yes, 0 no, -errno
 * when either link cannot be read (not root, a sysroot without them).
 */
int netcfg_same_netns(const struct pathctx *pc, int pid);

/* ---- Docker's interfaces ------------------------------------------------ */

/* A link of a network namespace, as /sys/class/net or netlink list it. */
struct netcfg_link {
	char name[NETCFG_IFNAMSIZ];
	char master[NETCFG_IFNAMSIZ]; /* the bridge it is a port of, "" none */
	int ifindex; /* 0 when unknown */
	bool bridge; /* a bridge device */
};

/*
 * The links in /sys/class/net (the namespace sysfs was mounted in, not
 * necessarily the reader's): *ret (the caller frees) and *ret_n. 0 or
 * -errno (-ENOMEM, or the directory cannot be read).
 */
int netcfg_sys_links(const struct pathctx *pc, struct netcfg_link **ret,
		     size_t *ret_n);

enum netcfg_kind {
	NETCFG_BRIDGE,
	NETCFG_VETH,
	NETCFG_OTHER, /* a host interface (an uplink): type and driver unknown */
};

struct netcfg_if {
	char name[NETCFG_IFNAMSIZ];
	enum netcfg_kind kind;
	bool exists; /* in /sys/class/net */
	bool sample; /* a name Docker will create later */
	bool is_default; /* the default bridge */
	int ifindex; /* 0 when unknown */
};

struct netcfg_iflist {
	struct netcfg_if *v;
	size_t n;
	char default_bridge[NETCFG_IFNAMSIZ]; /* "" when "none" */
	int sys_err; /* reading /sys/class/net: 0 or -errno */
};

/*
 * Docker's interfaces. bridge_opt is the daemon's "bridge" setting (NULL:
 * docker0, "none": no default bridge); extra names bridges the API
 * reported (may be NULL). Samples are added for names not present.
 * 0 or -ENOMEM; an unreadable /sys/class/net is recorded in sys_err.
 */
int netcfg_docker_ifaces(const struct pathctx *pc, const char *bridge_opt,
			 char *const *extra, struct netcfg_iflist *ret);

/*
 * The same from a list of links (a namespace's, see nsview.h); sys_err is
 * recorded as the list's error. With own_only, extra is taken as the
 * complete list of the daemon's bridges (its API answered): a br-<12 hex>
 * bridge it does not name belongs to another daemon and is left out, and
 * so is a veth that is a port of a bridge left out.
 */
int netcfg_docker_ifaces_from(const struct netcfg_link *links, size_t n,
			      int sys_err, const char *bridge_opt,
			      char *const *extra, bool own_only,
			      struct netcfg_iflist *ret);

void netcfg_iflist_release(struct netcfg_iflist *l);

/*
 * Bridge names from the API's GET /networks answer: every "bridge" network's
 * com.docker.network.bridge.name option, else "br-" and 12 characters of
 * its id. Returns how many were pushed to *ret, or -ENOMEM.
 */
struct json_object;
int netcfg_api_bridges(struct json_object *networks, char ***ret);

/* ---- systemd-networkd --------------------------------------------------- */

enum netcfg_match {
	NETCFG_NO = 0,
	NETCFG_YES,
	NETCFG_MAYBE, /* the files cannot decide (MACAddress=, conditions) */
};

struct netcfg_nd_file {
	char *path; /* the .network file as seen under the root */
	char **dropins;
	bool has_match; /* at least one [Match] setting */
	char **names; /* Name= words, "!" prefixed when negated */
	char **types, **kinds, **drivers;
	char **never; /* keys that never match a virtual device */
	char **maybe; /* keys the files cannot decide, e.g. "MACAddress" */
	char *match_src; /* "FILE:LINE" of the last Name= (or [Match]) */
	int unmanaged; /* [Link] Unmanaged=: -1 unset, 0, 1 */
	char *unmanaged_src;
	char *ip_forward; /* [Network] IPForward= as written, NULL unset */
	char *ip_forward_src;
	char *ipv4_forwarding; /* [Network] IPv4Forwarding= (systemd 256+) */
	char *ipv4_forwarding_src;
};

struct netcfg_networkd {
	struct netcfg_nd_file *files; /* in the order networkd tries them */
	size_t n;
	char **warnings; /* unreadable or odd files, one line each */
	char *global_ipv4_forwarding; /* networkd.conf [Network] */
	char *global_src;
	unsigned systemd_version; /* from libsystemd-shared-NNN.so, 0 unknown */
};

int netcfg_networkd_load(const struct pathctx *pc, struct netcfg_networkd *ret);

void netcfg_networkd_release(struct netcfg_networkd *nd);

/* Does one file's [Match] match Docker's interface? *why names a maybe. */
enum netcfg_match netcfg_nd_match(const struct netcfg_nd_file *f,
				  const char *ifname, enum netcfg_kind kind,
				  const char **why);

/*
 * The file networkd applies to the interface: the first that matches or
 * may match (*ret_m says which); NULL when none does.
 */
const struct netcfg_nd_file *
netcfg_networkd_first(const struct netcfg_networkd *nd, const char *ifname,
		      enum netcfg_kind kind, enum netcfg_match *ret_m,
		      const char **why);

/* The file of that path, NULL when not loaded. */
const struct netcfg_nd_file *
netcfg_networkd_find(const struct netcfg_networkd *nd, const char *path);

/* networkd's live state of a link. */
struct netcfg_nd_link {
	char admin_state[32]; /* "configured", "unmanaged", ... */
	char *network_file; /* NULL when none */
};

/* Read /run/systemd/netif/links/IFINDEX. -ENOENT when absent. */
int netcfg_networkd_link(const struct pathctx *pc, int ifindex,
			 struct netcfg_nd_link *ret);

void netcfg_nd_link_release(struct netcfg_nd_link *l);

/* ---- NetworkManager ----------------------------------------------------- */

struct netcfg_nm_section {
	char *name; /* "device", "device-docker" */
	char *src; /* "FILE:LINE" of the header */
	char *match_device; /* NULL: matches every device */
	int managed; /* -1 unset, 0, 1 */
	char *managed_src;
	int stop_match; /* 0 or 1 */
};

struct netcfg_nm {
	char **files; /* read, in order */
	char *unmanaged_devices; /* the value in effect, NULL unset */
	char *unmanaged_src;
	char **plugins; /* [main] plugins=, NULL unset */
	int ifupdown_managed; /* [ifupdown] managed=, default 0 */
	char *ifupdown_src;
	struct netcfg_nm_section *sec; /* in the order NM searches them */
	size_t n_sec;
	char **eni_ifaces; /* ifupdown "iface" names NM leaves alone */
	char **eni_srcs; /* "FILE:LINE" of each */
	bool udev_veth; /* veth devices unmanaged by udev */
	char *udev_src;
	char **warnings;
};

int netcfg_nm_load(const struct pathctx *pc, struct netcfg_nm *ret);

void netcfg_nm_release(struct netcfg_nm *nm);

/* Does a device spec list match Docker's interface? (1 or 0) */
bool netcfg_nm_spec_match(const char *specs, const char *ifname,
			  enum netcfg_kind kind);

enum netcfg_nm_reason {
	NETCFG_NM_UNMANAGED_DEVICES, /* [keyfile] unmanaged-devices */
	NETCFG_NM_IFUPDOWN, /* listed in /etc/network/interfaces */
	NETCFG_NM_DEVICE_SECTION, /* a [device*] managed= */
	NETCFG_NM_UDEV, /* 85-nm-unmanaged.rules */
	NETCFG_NM_EXTERNAL, /* default: an external bridge is taken over */
	NETCFG_NM_DEFAULT, /* default: managed */
};

struct netcfg_nm_verdict {
	bool managed;
	enum netcfg_nm_reason reason;
	const char *src; /* "FILE:LINE" when a setting decided, else NULL */
};

void netcfg_nm_judge(const struct netcfg_nm *nm, const char *ifname,
		     enum netcfg_kind kind, struct netcfg_nm_verdict *ret);

/* [device] managed= of /run/NetworkManager/devices/IFINDEX: 1, 0, -1
 * (no key); -errno when the file cannot be read. */
int netcfg_nm_device_state(const struct pathctx *pc, int ifindex);

/* ---- netplan ------------------------------------------------------------ */

struct netcfg_np_def {
	char *id;
	char *type; /* "ethernets", "bridges", ... */
	char *src; /* "FILE:LINE" of the id */
	bool virtual_dev; /* netplan creates it (bridges, bonds, ...) */
	bool has_match;
	char **match_names; /* match: name: globs */
	char *match_driver;
	bool match_mac;
	char *set_name;
	char *renderer; /* effective: the id's, its type's, or network's */
};

struct netcfg_netplan {
	struct netcfg_np_def *defs;
	size_t n;
	char **files;
	char **warnings;
};

int netcfg_netplan_load(const struct pathctx *pc, struct netcfg_netplan *ret);

void netcfg_netplan_release(struct netcfg_netplan *np);

/* Does a netplan definition catch Docker's interface? */
enum netcfg_match netcfg_np_match(const struct netcfg_np_def *d,
				  const char *ifname, enum netcfg_kind kind);

/* ---- dpkg and sysctl.d -------------------------------------------------- */

/*
 * Which of the names are installed ("install ok installed") according to
 * /var/lib/dpkg/status; the file is read only when one of them has a
 * /var/lib/dpkg/info/NAME.list. Returns the count (names pushed to *ret)
 * or -errno.
 */
int netcfg_dpkg_installed(const struct pathctx *pc, const char *const *names,
			  char ***ret);

struct netcfg_sysctl_entry {
	char *key; /* dotted, may hold globs */
	char *value;
	char *src; /* "FILE:LINE" */
};

/* Boot-time sysctl settings (sysctl.d(5) and /etc/sysctl.conf). */
struct netcfg_sysctld {
	struct netcfg_sysctl_entry *v; /* in the order they are applied */
	size_t n;
};

int netcfg_sysctld_load(const struct pathctx *pc, struct netcfg_sysctld *ret);

void netcfg_sysctld_release(struct netcfg_sysctld *s);

/* The last assignment that applies to key (dotted), or NULL. */
const struct netcfg_sysctl_entry *
netcfg_sysctld_lookup(const struct netcfg_sysctld *s, const char *key);

#endif
