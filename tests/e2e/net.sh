#!/bin/bash
#
# End-to-end cases for net.forwarding and net.iface-managers.
#
# net.forwarding runs inside a fresh network namespace (unshare --net
# --mount, with a private sysfs mounted on /sys): /proc/sys/net is private
# there, so the script creates bridges named docker0 and br-0123456789ab, a
# veth, and a dummy uplink with a default route, sets real forwarding
# switches with sysctl, and checks the verdicts -- without a daemon (--pid 1
# names no dockerd).
#
# The daemon's view: a second dockerd (its own data-root and socket under
# the harness directory, with a bridge) runs inside unshare --net --mount;
# the tool runs in the host namespace with --pid of that daemon and must
# report that namespace's docker0 and switches, not the host's, nor the
# bridge of the harness dockerd (lib.sh; bridge=none, iptables=false) that
# runs on the host with a network of its own.
#
# net.iface-managers runs against a real systemd-networkd started inside
# such a namespace (private tmpfs on /run and /etc/systemd/network), so the
# "first matching .network file wins" rule is checked against networkd
# itself, and against a --sysroot tree made here (NetworkManager's files,
# a fake NetworkManager process) whose /sys is the namespace's real sysfs.
#
# Nothing of the host is changed but the harness dockerd's own network
# bridge (its forwarding set to 0; removed at teardown): every other
# sysctl, link and mount lives in a namespace that dies with its process.
# Needs root, unshare, ip, sysctl and jq (exit 77 otherwise); the harness
# cases also need dockerd, nsenter and (the unprivileged case) setpriv.
#
# Exit status (automake): 0 all passed, 1 a case failed, 77 skipped.

# jq programs are single-quoted on purpose; helpers are called indirectly.
# shellcheck disable=SC2016,SC2317

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"

# shellcheck source=tests/e2e/lib.sh
. "$top_srcdir/tests/e2e/lib.sh"

DOCTOR=$top_builddir/dockerd-doctor
FWD=net.forwarding
MGR=net.iface-managers
NETWORKD=/lib/systemd/systemd-networkd

unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH NO_COLOR

if [ "$(id -u)" != 0 ]; then
	echo "e2e: skipped: needs root for network namespaces" >&2
	exit 77
fi
for cmd in unshare ip sysctl jq mount timeout; do
	if ! command -v "$cmd" >/dev/null 2>&1; then
		echo "e2e: skipped: '$cmd' not found" >&2
		exit 77
	fi
done
if [ ! -x "$DOCTOR" ]; then
	echo "e2e: '$DOCTOR' not built (run 'make check')" >&2
	exit 1
fi
if ! unshare --net --mount --propagation private true 2>/dev/null; then
	echo "e2e: skipped: cannot create network and mount namespaces" >&2
	exit 77
fi
DOCTOR=$(readlink -f "$DOCTOR")

dd__init_dir || exit 1
W=$DD_DIR/net
mkdir -p "$W" || exit 1
NOSOCK=unix://$W/none.sock

# --- the namespace runners ---------------------------------------------------

# ns.sh IP_FORWARD DOCKER0 BR UPLINK BRNF CMD...: set up a namespace with
# docker0, br-0123456789ab, veth1a2b3c4 (peer ceth0) and an uplink up0 (a
# veth whose peer up0p stays outside Docker's names) with the default route, set the switches, then run CMD. BRNF "-"
# leaves bridge-nf-call-iptables alone.
cat >"$W/ns.sh" <<'EOF'
#!/bin/bash
set -e
ipf=$1 d0=$2 br=$3 up=$4 brnf=$5
shift 5
mount -t sysfs sysfs /sys
ip link set lo up
ip link add docker0 type bridge
ip link add br-0123456789ab type bridge
ip link add veth1a2b3c4 type veth peer name ceth0
ip link add up0 type veth peer name up0p
ip addr add 192.0.2.2/24 dev up0
ip link set up0 up
ip route add default via 192.0.2.1 dev up0
# ip_forward first: writing it resets every interface's switch
sysctl -qw net.ipv4.ip_forward="$ipf"
sysctl -qw net.ipv4.conf.docker0.forwarding="$d0"
sysctl -qw net.ipv4.conf.br-0123456789ab.forwarding="$br"
sysctl -qw net.ipv4.conf.up0.forwarding="$up"
if [ "$brnf" != - ]; then
	sysctl -qw net.bridge.bridge-nf-call-iptables="$brnf"
fi
exec "$@"
EOF

# ns-networkd.sh DOCKER_FILE OUT CMD...: a namespace with its own /run and
# /etc/systemd/network holding 10-all.network (Name=*) and the seed's
# Docker file under the name DOCKER_FILE; a real systemd-networkd runs
# there while CMD runs; networkd's state file for docker0 is copied to
# OUT.link and its log to OUT.log.
cat >"$W/ns-networkd.sh" <<'EOF'
#!/bin/bash
set -e
docker_file=$1 out=$2
shift 2
# read-only: networkd then does not wait for udev to announce the links
mount -t sysfs -o ro sysfs /sys
mount -t tmpfs tmpfs /run
mkdir -p /run/systemd
mount -t tmpfs tmpfs /etc/systemd/network
printf '[Match]\nName=*\n\n[Network]\nDHCP=no\nLinkLocalAddressing=no\n' \
	>/etc/systemd/network/10-all.network
printf '[Match]\nName=docker0 br-* veth*\n\n[Link]\nUnmanaged=yes\n' \
	>"/etc/systemd/network/$docker_file"
ip link set lo up
ip link add docker0 type bridge
ip link set docker0 up
ip link add veth1a2b3c4 type veth peer name ceth0
ip link set veth1a2b3c4 up
timeout 60 /lib/systemd/systemd-networkd >"$out.log" 2>&1 &
nd=$!
idx=$(cat /sys/class/net/docker0/ifindex)
for _ in $(seq 1 100); do
	grep -qs '^ADMIN_STATE=\(configured\|configuring\|unmanaged\|failed\)' \
		"/run/systemd/netif/links/$idx" && break
	sleep 0.1
done
cp "/run/systemd/netif/links/$idx" "$out.link" 2>/dev/null || :
set +e
"$@"
rc=$?
kill "$nd" 2>/dev/null
wait "$nd" 2>/dev/null
exit "$rc"
EOF

# ns-root.sh ROOT NM_LIVE CMD...: a namespace with docker0,
# br-0123456789ab and veth1a2b3c4 whose sysfs is mounted on ROOT/sys; with
# NM_LIVE 1, ROOT/run/NetworkManager/devices/IFINDEX of docker0 says
# managed=true.
cat >"$W/ns-root.sh" <<'EOF'
#!/bin/bash
set -e
root=$1 live=$2
shift 2
ip link add docker0 type bridge
ip link add br-0123456789ab type bridge
ip link add veth1a2b3c4 type veth peer name ceth0
mount -t sysfs sysfs "$root/sys"
rm -rf "$root/run/NetworkManager/devices"
if [ "$live" = 1 ]; then
	mkdir -p "$root/run/NetworkManager/devices"
	printf '[device]\nmanaged=true\n' \
		>"$root/run/NetworkManager/devices/$(cat "$root/sys/class/net/docker0/ifindex")"
fi
exec "$@"
EOF

# Run ns.sh with the switches, then the doctor with the remaining args.
in_ns() {
	local ipf=$1 d0=$2 br=$3 up=$4 brnf=$5
	shift 5
	dd_run timeout 30 unshare --net --mount --propagation private \
		bash "$W/ns.sh" "$ipf" "$d0" "$br" "$up" "$brnf" \
		"$DOCTOR" --only "$FWD" -f json "$@"
}

# The same without a daemon: pid 1 is no dockerd; an empty daemon.json
# unless $1 names another.
in_ns_nodaemon() {
	local cfg=$W/empty.json
	if [ $# -gt 5 ]; then
		cfg=$6
	fi
	in_ns "$1" "$2" "$3" "$4" "$5" --pid 1 --host "$NOSOCK" \
		--daemon-config "$cfg"
}

# jq: findings of check $c with severity $s
SEV='[.findings[] | select(.check == $c and .severity == $s)]'

# dd_jq on a JSON report that must exist: jq 1.6 -e exits 0 on empty input.
njq() {
	if ! [ -s "$DD_OUT" ] || ! jq -e '.findings | type == "array"' \
		"$DD_OUT" >/dev/null 2>&1; then
		dd_fail "$2 (no JSON report)"
		return 1
	fi
	dd_jq "$@"
}

# njq with one string argument: njq_arg NAME VALUE EXPR MESSAGE.
njq_arg() {
	njq "$3" "$4" --arg "$1" "$2"
}

# Assert a finding of check $1, severity $2, whose summary contains $3.
expect_finding() {
	local c=$1 s=$2 text=$3
	njq "$SEV | any(.summary | contains(\$t))" \
		"$s finding of $c: '$text'" --arg c "$c" --arg s "$s" --arg t "$text"
}

# Assert no finding of check $1 with severity $2.
expect_none() {
	njq "$SEV | length == 0" "no $2 finding of $1" --arg c "$1" --arg s "$2"
}

# Assert the exit status of the last run.
expect_rc() {
	if [ "$DD_RC" = "$1" ]; then
		dd_pass "exit $1"
	else
		dd_fail "exit $DD_RC, want $1"
	fi
}

# Show the findings of the last JSON run.
show() {
	jq -r '.findings[] | "  finding: \(.severity): \(.summary)"' "$DD_OUT" \
		2>/dev/null | cut -c1-220
}

echo '{}' >"$W/empty.json"
echo '{"icc": false}' >"$W/icc-false.json"
echo '{"ip-forward": false}' >"$W/ipf-false.json"

# --- net.forwarding without a daemon -------------------------------------------

dd_case "forwarding: healthy namespace, no daemon"
in_ns_nodaemon 1 1 1 1 -
expect_rc 0
show
expect_finding "$FWD" ok "IPv4 forwarding is on"
njq '.findings[] | select(.severity == "ok") | .evidence |
	(.bridge_forwarding | contains("docker0=1")) and
	(.bridge_forwarding | contains("br-0123456789ab=1")) and
	.uplink == "up0" and .uplink_forwarding == "1"' \
	"ok evidence: docker0=1, br-0123456789ab=1, uplink up0=1"

dd_case "forwarding: ip_forward=0 with no daemon is info"
in_ns_nodaemon 0 0 0 0 -
expect_rc 0
show
expect_finding "$FWD" info "dockerd turns it on when it starts"
expect_none "$FWD" critical

dd_case "forwarding: ip-forward=false in daemon.json and ip_forward=0"
in_ns_nodaemon 0 0 0 0 - "$W/ipf-false.json"
expect_rc 1
show
expect_finding "$FWD" warning "configured with ip-forward=false ($W/ipf-false.json)"

dd_case "forwarding: docker0 forwarding=0, no daemon: warning naming docker0"
in_ns_nodaemon 1 0 1 1 -
expect_rc 1
show
expect_finding "$FWD" warning "net.ipv4.conf.docker0.forwarding is 0"
njq '[.findings[] | select(.severity == "warning") | .evidence.interface] ==
	["docker0"]' "only docker0 is named"
njq '.findings[] | select(.severity == "warning") | .remedy |
	contains("sysctl -w net.ipv4.conf.docker0.forwarding=1")' \
	"remedy: sysctl -w net.ipv4.conf.docker0.forwarding=1"

dd_case "forwarding: uplink forwarding=0, no daemon: warning naming up0"
in_ns_nodaemon 1 1 1 0 -
expect_rc 1
show
expect_finding "$FWD" warning "on up0, which carries the default route"

dd_case "forwarding: bridge-nf-call-iptables=0 (namespace's own switch)"
if unshare --net test -e /proc/sys/net/bridge/bridge-nf-call-iptables; then
	in_ns_nodaemon 1 1 1 1 0
	show
	expect_finding "$FWD" info "bridge-nf-call-iptables is 0"
	expect_none "$FWD" warning
	in_ns_nodaemon 1 1 1 1 0 "$W/icc-false.json"
	expect_rc 1
	show
	expect_finding "$FWD" warning "icc=false is not enforced"
	in_ns_nodaemon 1 1 1 1 1 "$W/icc-false.json"
	expect_none "$FWD" warning
else
	dd_skip "br_netfilter is not available in a new network namespace"
fi

# --- net.forwarding against the harness dockerd ---------------------------------

HARNESS=0
for cmd in dockerd containerd runc docker; do
	command -v "$cmd" >/dev/null 2>&1 || HARNESS=$cmd
done
if [ "$HARNESS" = 0 ]; then
	if dd_harness_start; then
		HARNESS=1
	else
		echo "e2e: cannot start the harness dockerd" >&2
		exit 1
	fi
fi

dd_case "forwarding: harness dockerd (bridge=none, iptables=false), host namespace"
if [ "$HARNESS" = 1 ]; then
	dd_run timeout 30 "$DOCTOR" --only "$FWD" -f json --pid "$DD_PID" \
		--host "$DD_HOST"
	show
	expect_finding "$FWD" info "dockerd runs with iptables=false"
	njq '.findings[] | select(.severity == "info" and
		(.summary | contains("iptables=false"))) | .evidence.iptables ==
		"false"' "evidence iptables=false"
	expect_none "$FWD" unknown
	njq '.findings[] | select(.check == "net.forwarding") | .evidence.view |
		startswith("same as the tool'"'"'s")' "view: the tool's own namespace"
else
	dd_skip "'$HARNESS' not found"
fi

dd_case "forwarding: harness dockerd (host), tool in another namespace: the daemon's values"
if [ "$HARNESS" = 1 ]; then
	# the tool's namespace has ip_forward 0 and every bridge off: none of
	# it is the daemon's (the daemon runs in the host namespace)
	in_ns 0 0 0 0 - --pid "$DD_PID" --host "$DD_HOST"
	show
	njq_arg v "daemon netns $(readlink /proc/"$DD_PID"/ns/net)" \
		'[.findings[] | select(.check == "net.forwarding")] | length > 0 and
		all(.evidence.view | startswith($v))' \
		"every finding: the daemon's namespace, not the tool's"
	njq '[.findings[].evidence.interface // empty] | all(. != "docker0" and
		. != "br-0123456789ab" and . != "up0")' \
		"no interface of the tool's namespace is named"
	if [ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ]; then
		expect_none "$FWD" critical
	fi
else
	dd_skip "'$HARNESS' not found"
fi

# --- net.forwarding against a dockerd in its own namespaces ---------------------

# ns-dockerd.sh DIR: in the new namespaces, turn ip_forward on and exec a
# dockerd with a default bridge (docker0) whose files are all under DIR.
cat >"$W/ns-dockerd.sh" <<'EOS'
#!/bin/bash
set -e
dir=$1
ip link set lo up
sysctl -qw net.ipv4.ip_forward=1
exec dockerd --data-root "$dir/data" --exec-root "$dir/exec" \
	--pidfile "$dir/dockerd.pid" -H "unix://$dir/docker.sock" \
	--iptables=false
EOS

NSD=$DD_DIR/nsd
NSD_PID=
NSD_NS=
NSD_HOST=unix://$NSD/docker.sock

# Start the namespaced dockerd; wait until it answers and docker0 exists.
nsd_start() {
	local deadline
	mkdir -p "$NSD" || return 1
	unshare --net --mount --propagation private bash "$W/ns-dockerd.sh" \
		"$NSD" >>"$NSD/dockerd.log" 2>&1 </dev/null &
	NSD_PID=$!
	deadline=$(($(dd_now_ms) + DD_START_DEADLINE * 1000))
	while [ "$(dd_now_ms)" -lt "$deadline" ]; do
		dd__alive "$NSD_PID" || break
		if [ "$(cat "$NSD/dockerd.pid" 2>/dev/null)" = "$NSD_PID" ] &&
			timeout 5 docker -H "$NSD_HOST" version >/dev/null 2>&1 &&
			nsenter -t "$NSD_PID" -n ip link show docker0 >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.2
	done
	dd_log "the namespaced dockerd did not start"
	tail -n 20 "$NSD/dockerd.log" >&2
	return 1
}

# Stop it: TERM, then KILL after the harness's deadline.
nsd_stop() {
	local deadline
	[ -n "$NSD_PID" ] || return 0
	if dd__alive "$NSD_PID"; then
		kill -TERM "$NSD_PID" 2>/dev/null
		deadline=$(($(dd_now_ms) + DD_STOP_DEADLINE * 1000))
		while dd__alive "$NSD_PID" && [ "$(dd_now_ms)" -lt "$deadline" ]; do
			sleep 0.1
		done
		dd__alive "$NSD_PID" && kill -KILL "$NSD_PID" 2>/dev/null
	fi
	wait "$NSD_PID" 2>/dev/null
	NSD_PID=
}
trap 'nsd_stop; dd_harness_teardown' EXIT

# Set a switch inside the namespaced dockerd's network namespace.
nsd_sysctl() {
	nsenter -t "$NSD_PID" -n sysctl -qw "$@"
}

# Run the tool from the host namespace against the namespaced dockerd.
nsd_doctor() {
	dd_run timeout 30 "$DOCTOR" --only "$1" -f json --pid "$NSD_PID" \
		--host "$NSD_HOST"
}

NSD_OK=0
HOSTBR=
if [ "$HARNESS" = 1 ] && command -v nsenter >/dev/null 2>&1 && nsd_start; then
	NSD_OK=1
	NSD_NS=$(readlink /proc/"$NSD_PID"/ns/net)
	# the host dockerd's own bridge, forwarding off: it must not leak
	if dd_make_network ddhostnet; then
		HOSTBR=br-$(dd_docker network inspect -f '{{.Id}}' ddhostnet | cut -c1-12)
		sysctl -qw "net.ipv4.conf.$HOSTBR.forwarding=0" || HOSTBR=
	fi
fi

# Assert that nothing of the host namespace is named in the last report.
expect_no_host() {
	local names
	names=$(nsenter -t "$NSD_PID" -n ip -o link show |
		awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | jq -R . | jq -sc .)
	njq '[.findings[].evidence.interface // empty] - $ns == []' \
		"every interface named is in the daemon's namespace" \
		--argjson ns "$names"
	if [ -n "$HOSTBR" ]; then
		njq_arg br "$HOSTBR" 'tostring | contains($br) | not' \
			"the host dockerd's $HOSTBR (forwarding 0) is not in the report"
	else
		dd_fail "no host bridge to test a leak with"
	fi
}

dd_case "forwarding: dockerd in its own netns, healthy, tool on the host"
if [ "$NSD_OK" = 1 ]; then
	nsd_sysctl net.ipv4.conf.docker0.forwarding=1
	nsd_doctor "$FWD"
	expect_rc 0
	show
	expect_finding "$FWD" ok "IPv4 forwarding is on"
	njq '.findings[] | select(.severity == "ok") | .evidence.bridge_forwarding ==
		"docker0=1"' "ok evidence: the daemon's docker0=1"
	njq_arg v "daemon netns $NSD_NS of pid $NSD_PID" \
		'.findings[] | select(.severity == "ok") | .evidence.view |
		startswith($v)' "view: the daemon's netns"
	expect_no_host
else
	dd_skip "no harness, or cannot start a dockerd in a namespace"
fi

dd_case "forwarding: dockerd in its own netns, docker0 forwarding=0: critical naming it"
if [ "$NSD_OK" = 1 ]; then
	nsd_sysctl net.ipv4.conf.docker0.forwarding=0
	nsd_doctor "$FWD"
	expect_rc 2
	show
	expect_finding "$FWD" critical "net.ipv4.conf.docker0.forwarding is 0"
	njq '[.findings[] | select(.severity == "critical") | .evidence.interface] ==
		["docker0"]' "only the daemon's docker0"
	njq_arg v "daemon netns $NSD_NS" '.findings[] | select(.severity ==
		"critical") | .evidence.view | startswith($v)' \
		"evidence view: daemon netns $NSD_NS"
	njq_arg c "nsenter -t $NSD_PID -n sysctl -w net.ipv4.conf.docker0.forwarding=1" \
		'.findings[] | select(.severity == "critical") | .remedy |
		contains($c) and (contains("net.ipv4.ip_forward=1") | not)' \
		"remedy: the interface's sysctl in the daemon's netns, not ip_forward"
	expect_no_host
else
	dd_skip "no harness, or cannot start a dockerd in a namespace"
fi

dd_case "managers: dockerd in its own netns: its interfaces, not the host's"
if [ "$NSD_OK" = 1 ]; then
	nsd_doctor "$MGR"
	show
	njq '[.findings[] | select(.check == "net.iface-managers")] |
		length > 0 and all(.evidence.view | startswith("daemon netns"))' \
		"every finding: the daemon's namespace"
	njq_arg br "${HOSTBR:-none}" 'tostring | contains($br) | not' \
		"the host dockerd's bridge is not judged"
	njq '.findings[] | select(.severity == "ok") | .evidence.existing |
		contains("docker0")' "docker0 of the daemon's namespace exists"
else
	dd_skip "no harness, or cannot start a dockerd in a namespace"
fi

dd_case "forwarding: dockerd in its own netns, ip_forward=0: critical"
if [ "$NSD_OK" = 1 ]; then
	nsd_sysctl net.ipv4.ip_forward=0
	nsd_doctor "$FWD"
	expect_rc 2
	show
	expect_finding "$FWD" critical "but dockerd (pid $NSD_PID) runs with ip-forward on"
	njq '.findings[] | select(.severity == "critical") |
		.evidence.info_ipv4_forwarding != null' \
		"the daemon's cached /info value is shown"
	# 0 -> 1 sets every interface's switch again: docker0 is back on
	nsd_sysctl net.ipv4.ip_forward=1
	nsd_doctor "$FWD"
	expect_rc 0
	expect_finding "$FWD" ok "docker0=1"
else
	dd_skip "no harness, or cannot start a dockerd in a namespace"
fi

dd_case "forwarding: dockerd in its own netns, tool not root: unknown, never ok"
if [ "$NSD_OK" = 1 ] && command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$DOCTOR"; then
	dd_run timeout 30 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$DOCTOR" --only "$FWD" -f json --pid "$NSD_PID" --host "$NSD_HOST"
	show
	expect_none "$FWD" ok
	njq_arg p "pid $NSD_PID" '[.findings[] | select(.severity == "unknown")] |
		any(.summary | contains($p) and contains("network namespace") and
		contains("root"))' "unknown naming the daemon's namespace and root"
else
	dd_skip "no namespaced dockerd, no setpriv, or the tool is not executable for nobody"
fi
nsd_stop

# --- net.iface-managers against a real systemd-networkd ----------------------------

in_networkd() {
	local file=$1 out=$2
	dd_run timeout 90 unshare --net --mount --propagation private \
		bash "$W/ns-networkd.sh" "$file" "$out" \
		"$DOCTOR" --only "$MGR" -f json --pid 1 --host "$NOSOCK"
}

dd_case "managers: real networkd, 10-all.network (Name=*) before 99-docker.network"
if [ -x "$NETWORKD" ] && id systemd-network >/dev/null 2>&1; then
	in_networkd 99-docker.network "$W/nd1"
	expect_rc 1
	show
	if grep -qx 'NETWORK_FILE=/etc/systemd/network/10-all.network' "$W/nd1.link"; then
		dd_pass "networkd itself applies 10-all.network to docker0: $(grep ADMIN_STATE "$W/nd1.link")"
	else
		dd_fail "networkd's state for docker0: $(tr '\n' ' ' <"$W/nd1.link" 2>/dev/null | cut -c1-200)"
	fi
	expect_finding "$MGR" warning "systemd-networkd configures docker0, veth1a2b3c4 right now with /etc/systemd/network/10-all.network"
	njq '[.findings[] | select(.severity == "warning" and .evidence.from == "live state")] |
		.[0].evidence.ignored_unmanaged_file | contains("99-docker.network")' \
		"evidence: 99-docker.network (Unmanaged=yes) is ignored"
	njq '[.findings[] | select(.severity == "warning" and .evidence.from == "configuration")] |
		.[0].evidence.interfaces == "br-0123456789ab (not created yet)"' \
		"the bridge Docker will create is predicted from the files"
	njq '.findings[] | select(.evidence.from == "live state") | .remedy |
		contains("05-docker.network")' "remedy: a Docker file that sorts first"
else
	dd_skip "no $NETWORKD or no systemd-network user"
fi

dd_case "managers: real networkd, 05-docker.network sorts first: unmanaged, ok"
if [ -x "$NETWORKD" ] && id systemd-network >/dev/null 2>&1; then
	in_networkd 05-docker.network "$W/nd2"
	expect_rc 0
	show
	if grep -qx 'ADMIN_STATE=unmanaged' "$W/nd2.link"; then
		dd_pass "networkd itself leaves docker0 unmanaged"
	else
		dd_fail "networkd's state for docker0: $(tr '\n' ' ' <"$W/nd2.link" 2>/dev/null | cut -c1-200)"
	fi
	expect_finding "$MGR" ok "systemd-networkd running"
	njq '[.findings[] | select(.evidence.manager == "systemd-networkd")] |
		length == 0' "no networkd finding"
else
	dd_skip "no $NETWORKD or no systemd-network user"
fi

# --- net.iface-managers on a sysroot with the namespace's real sysfs --------------

R=$W/root
mkdir -p "$R/sys" "$R/proc/300" "$R/proc/net" "$R/etc/network/interfaces.d" \
	"$R/etc/NetworkManager/conf.d" || exit 1
echo "btime 1000" >"$R/proc/stat"
echo "Num" >"$R/proc/net/unix"
echo "300 (NetworkManager) S 1 300 300 0 -1 4194560 100 0 0 0 10 5 0 0 20 0 7 0 12345 1000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0" \
	>"$R/proc/300/stat"
echo NetworkManager >"$R/proc/300/comm"
printf '/usr/sbin/NetworkManager\0--no-daemon\0' >"$R/proc/300/cmdline"
printf '[main]\nplugins=ifupdown,keyfile\n\n[ifupdown]\nmanaged=false\n' \
	>"$R/etc/NetworkManager/NetworkManager.conf"
printf 'auto lo\niface lo inet loopback\n\nsource /etc/network/interfaces.d/*\n' \
	>"$R/etc/network/interfaces"

in_root() {
	dd_run timeout 30 unshare --net --mount --propagation private \
		bash "$W/ns-root.sh" "$R" "$1" \
		"$DOCTOR" --sysroot "$R" --only "$MGR" -f json --pid 1 \
		--host "$NOSOCK"
}

dd_case "managers: NetworkManager running, nothing unmanaged"
in_root 0
expect_rc 1
show
expect_finding "$MGR" warning "NetworkManager takes over docker0, br-0123456789ab"
njq '.findings[] | select(.severity == "warning") | .evidence.interfaces |
	contains("veth") | not' "veth1a2b3c4 is left alone (udev rule)"

dd_case "managers: the seed's interfaces.d/20-docker0 covers docker0 only"
echo "iface docker0 inet manual" >"$R/etc/network/interfaces.d/20-docker0"
in_root 0
show
njq '[.findings[] | select(.severity == "warning") | .evidence.interfaces] ==
	["br-0123456789ab"]' "only br-0123456789ab is still taken over"

dd_case "managers: unmanaged-devices+= for all of Docker's names: ok"
printf '[keyfile]\nunmanaged-devices+=interface-name:docker0;interface-name:br-*;interface-name:veth*\n' \
	>"$R/etc/NetworkManager/conf.d/99-docker.conf"
in_root 0
expect_rc 0
show
expect_finding "$MGR" ok "NetworkManager running, 2 configuration files"
njq '.findings[] | select(.severity == "ok") | .evidence.existing |
	contains("docker0") and contains("br-0123456789ab") and
	contains("veth1a2b3c4")' "the namespace's interfaces were read from its sysfs"

dd_case "managers: NetworkManager's live state says docker0 is managed"
in_root 1
expect_rc 1
show
expect_finding "$MGR" warning "NetworkManager (pid 300) manages docker0 right now"

dd_summary
