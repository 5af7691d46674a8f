#!/bin/bash
#
# End-to-end cases for dns.resolver, real sockets and a real dockerd.
#
# Part 1, a private network namespace (unshare -n): DNS servers on
# 10.99.0.1-3 (a dummy interface, or lo when the kernel has no dummy
# driver) answer, fail (SERVFAIL) or stay silent; 127.0.0.1 has nothing
# (ICMP refusal) or a "dnsmasq" (the responder under that name). The
# tool runs there with --probe-dns on a --sysroot tree whose
# etc/resolv.conf lists those servers (proc -> /proc, so processes are
# real), and the per-server verdicts in the JSON are checked.
#
# Part 2, the harness dockerd (20.10, --bridge=none --iptables=false): a
# container on a user-defined network, its embedded DNS 127.0.0.11 probed
# from inside its namespace (the name resolves), no thread of the tool
# left in another namespace (strace), and 127.0.0.11 broken on purpose
# (the container's DNAT rules flushed) reported as critical.
#
# Needs root, Debian's docker.io, busybox-static, jq, iproute2 and
# util-linux (unshare, nsenter); strace for one assertion. Exits 77
# (skipped) without root or dockerd. Everything lives under one
# /tmp/ddt.XXXXXX directory and is torn down on exit.
#
# Exit status (automake): 0 all passed, 1 a case failed, 77 skipped.

# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"

# shellcheck source=tests/e2e/lib.sh
. "$top_srcdir/tests/e2e/lib.sh"

DOCTOR=$top_builddir/dockerd-doctor
RESPONDER=$top_builddir/tests/helpers/dns-responder
CHECK=dns.resolver
NET=ddtest-dns
CNAME=ddtest-dnsweb

unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH NO_COLOR
unset DOCKERD_DOCTOR_DNS_PORT

dd_skip_unless_root_and_dockerd
for f in "$DOCTOR" "$RESPONDER"; do
	if [ ! -x "$f" ]; then
		echo "e2e: '$f' not built (run 'make check')" >&2
		exit 1
	fi
done
if ! "$DOCTOR" list 2>/dev/null | grep -q "^$CHECK "; then
	echo "e2e: '$DOCTOR list' does not name '$CHECK'" >&2
	exit 1
fi

NSPID=
RESP_PIDS=()

# Stop what part 1 started: the namespace holder and the responders.
dns_cleanup() {
	local p
	for p in "${RESP_PIDS[@]}" $NSPID; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	RESP_PIDS=()
	NSPID=
}

dd__init_dir || exit 1
trap 'dns_cleanup; dd_harness_teardown' EXIT
trap 'dns_cleanup; dd__on_signal 130' INT
trap 'dns_cleanup; dd__on_signal 143' TERM

ROOT=$DD_DIR/root
NOSOCK=unix://$DD_DIR/no-daemon.sock

# jq: the findings of the check.
F='[.findings[] | select(.check == "dns.resolver")]'

# Run a command inside the private namespace.
in_ns() {
	nsenter -t "$NSPID" -n "$@"
}

# Start a responder in the namespace: in_ns_responder PROGRAM ADDR MODE.
in_ns_responder() {
	local prog=$1 addr=$2 mode=$3 out _
	out=$DD_DIR/resp.$addr.$mode
	# nsenter itself, not a function in a subshell: it execs the
	# responder, so $! is the responder's pid
	nsenter -t "$NSPID" -n "$prog" "$addr" 53 "$mode" >"$out" 2>&1 &
	RESP_PIDS+=("$!")
	for _ in $(seq 1 50); do
		grep -q '^ready' "$out" 2>/dev/null && return 0
		sleep 0.1
	done
	dd_log "responder $addr $mode did not start: $(cat "$out")"
	return 1
}

# The tool in the namespace on the sysroot tree.
doctor_ns() {
	in_ns timeout 20 "$DOCTOR" --sysroot "$ROOT" --host "$NOSOCK" \
		--only "$CHECK" -f json "$@"
}

# Write the tree's etc/resolv.conf.
resolv() {
	rm -f "$ROOT/etc/resolv.conf"
	printf '%s\n' "$@" >"$ROOT/etc/resolv.conf"
}

# Show the check's findings of the last run; a sanitizer report fails it.
show() {
	jq -r "$F"' | .[] | "  \(.severity): \(.summary)"' "$DD_OUT" 2>/dev/null
	if grep -q 'Sanitizer' "$DD_ERR" 2>/dev/null; then
		dd_fail "sanitizer report: $(head -c 600 "$DD_ERR")"
	fi
}

# --- part 1: a private network namespace --------------------------------------

PART1=1
for cmd in unshare nsenter ip; do
	command -v "$cmd" >/dev/null 2>&1 || PART1=0
done

dd_case "1a) probe verdicts per server in a private namespace (20.10 rules)"
if [ "$PART1" = 0 ]; then
	dd_skip "unshare, nsenter or ip missing"
else
	unshare -n sleep 3600 &
	NSPID=$!
	sleep 0.2
	in_ns ip link set lo up
	if in_ns ip link add dd0 type dummy 2>/dev/null; then
		DEV=dd0
		in_ns ip link set dd0 up
		for i in 1 2 3; do in_ns ip addr add "10.99.0.$i/24" dev dd0; done
	else
		# no dummy driver in this kernel: the same addresses on lo
		DEV=lo
		for i in 1 2 3; do in_ns ip addr add "10.99.0.$i/32" dev lo; done
	fi
	echo "  namespace: holder pid $NSPID, servers on $DEV"
	mkdir -p "$ROOT/etc" "$ROOT/run"
	ln -s /proc "$ROOT/proc"
	if in_ns_responder "$RESPONDER" 10.99.0.1 answer &&
		in_ns_responder "$RESPONDER" 10.99.0.2 servfail &&
		in_ns_responder "$RESPONDER" 10.99.0.3 silent; then
		dd_pass "responders on 10.99.0.1 (answer), .2 (servfail), .3 (silent)"
	else
		dd_fail "cannot start the responders"
		PART1=0
	fi
fi
if [ "$PART1" = 1 ]; then
	resolv "nameserver 127.0.0.1" "nameserver 10.99.0.1" \
		"nameserver 10.99.0.2" "nameserver 10.99.0.3"
	dd_expect_exit 1 doctor_ns --docker-version 20.10 --probe-dns \
		--timeout 1.5
	show
	if [ "$DD_ELAPSED_MS" -lt 3500 ]; then
		dd_pass "done in $DD_ELAPSED_MS ms (probe budget 1500 ms)"
	else
		dd_fail "took $DD_ELAPSED_MS ms"
	fi
	dd_jq "$F"' | any(.[]; .evidence.server == "10.99.0.2" and
		.evidence.result == "error-rcode" and .severity == "warning")' \
		"10.99.0.2: SERVFAIL, warning"
	dd_jq "$F"' | any(.[]; .evidence.server == "10.99.0.3" and
		.evidence.result == "timeout" and
		(.summary | contains("within 1500 ms")))' \
		"10.99.0.3: timeout at the 1500 ms budget"
	dd_jq "$F"' | any(.[]; .evidence.server == "127.0.0.1" and
		.evidence.result == "refused" and
		.evidence.used_by == "embedded-dns(host)")' \
		"127.0.0.1: refused, an upstream of the embedded DNS only (host namespace)"
	dd_jq "$F"' | all(.[]; .evidence.server != "10.99.0.1")' \
		"10.99.0.1 answered: no finding"
	dd_jq "$F"' | any(.[]; .severity == "info" and
		(.summary | contains("skip the loopback nameserver 127.0.0.1")))' \
		"default bridge skips 127.0.0.1, keeps the others"
	dd_jq "$F"' | any(.[]; .evidence.default_bridge == "10.99.0.1 10.99.0.2 10.99.0.3" and
		.evidence.user_defined_upstreams == "host(127.0.0.1) 10.99.0.1 10.99.0.2 (+1 unused)")' \
		"what each container type gets (20.10)"
	dd_jq "$F"' | all(.[]; .severity != "critical")' "no critical finding"

	dd_case "1b) every server failing is critical (28 rules)"
	resolv "nameserver 10.99.0.2" "nameserver 10.99.0.3"
	dd_expect_exit 2 doctor_ns --docker-version 28.0 --probe-dns --timeout 0.5
	show
	dd_jq "$F"' | any(.[]; .severity == "critical" and .evidence.server == "10.99.0.2")' \
		"10.99.0.2 critical"
	dd_jq "$F"' | any(.[]; .severity == "critical" and .evidence.server == "10.99.0.3" and
		.evidence.result == "timeout")' "10.99.0.3 critical (timeout)"
	dd_jq "$F"' | any(.[]; .evidence.user_defined_upstreams == "host(10.99.0.2) host(10.99.0.3)")' \
		"28: every upstream queried from the host"

	dd_case "1c) dnsmasq on loopback: default bridge falls back to Google"
	mkdir -p "$DD_DIR/fake"
	cp "$RESPONDER" "$DD_DIR/fake/dnsmasq"
	if in_ns_responder "$DD_DIR/fake/dnsmasq" 127.0.0.1 answer; then
		dd_pass "a 'dnsmasq' answers on 127.0.0.1:53 in the namespace"
	else
		dd_fail "cannot start the fake dnsmasq"
	fi
	resolv "# Generated by NetworkManager" "nameserver 127.0.0.1"
	dd_run doctor_ns --docker-version 20.10 --probe-dns --timeout 0.5
	show
	dd_jq "$F"' | any(.[]; .severity == "warning" and
		(.summary | contains("fall back to Google")) and
		(.summary | contains("127.0.0.1 (dnsmasq")))' \
		"warning names 127.0.0.1 and dnsmasq"
	dd_jq "$F"' | any(.[]; (.evidence.dnsmasq // "") | startswith("running"))' \
		"dnsmasq seen running"
	dd_jq "$F"' | any(.[]; .evidence.user_defined_upstreams == "host(127.0.0.1)")' \
		"user-defined networks forward to host(127.0.0.1)"
	dd_jq "$F"' | any(.[]; (.remedy // "") | contains("dns=dnsmasq")) and
		any(.[]; (.remedy // "") | contains("\"dns\""))' \
		"both fixes in the remedy"
	dd_jq "$F"' | any(.[]; .severity == "critical" and .evidence.server == "8.8.8.8" and
		.evidence.result == "send-error")' \
		"8.8.8.8 unreachable from a namespace without routes: critical"
	dd_jq "$F"' | all(.[]; .evidence.server != "127.0.0.1")' \
		"host(127.0.0.1) answered from the namespace"

	dd_case "1d) loopback in the daemon's dns is critical"
	resolv "nameserver 10.99.0.1"
	mkdir -p "$ROOT/etc/docker"
	echo '{"dns": ["127.0.0.1"]}' >"$ROOT/etc/docker/daemon.json"
	dd_expect_exit 2 doctor_ns --docker-version 28.0
	show
	dd_jq "$F"' | any(.[]; .severity == "critical" and
		(.summary | contains("lists 127.0.0.1")))' "critical names the entry"
	rm -f "$ROOT/etc/docker/daemon.json"

	dd_case "1e) healthy, with and without probes"
	resolv "nameserver 10.99.0.1"
	dd_expect_exit 0 doctor_ns --docker-version 20.10 --probe-dns --timeout 1
	show
	dd_jq "$F"' | any(.[]; .severity == "ok" and
		(.evidence.probes | contains("10.99.0.1 answered NOERROR (1 answer)")))' \
		"ok, 10.99.0.1 answered"
	dd_expect_exit 0 doctor_ns --docker-version 20.10
	dd_jq "$F"' | any(.[]; .severity == "ok" and
		(.evidence.probes | startswith("not run")))' "probes not run by default"

	dd_case "1f) dangling /etc/resolv.conf on 28 is critical"
	rm -f "$ROOT/etc/resolv.conf"
	ln -s ../run/systemd/resolve/stub-resolv.conf "$ROOT/etc/resolv.conf"
	dd_expect_exit 2 doctor_ns --docker-version 28.0
	show
	dd_jq "$F"' | any(.[]; .severity == "critical" and
		(.summary | contains("dangling symlink to /run/systemd/resolve/stub-resolv.conf")))' \
		"names where the link points"

	dd_case "1g) part 1 leaves no process behind"
	started=("${RESP_PIDS[@]}" "$NSPID")
	dns_cleanup
	left=
	for p in "${started[@]}"; do
		[ -d "/proc/$p" ] && left="$left $p"
	done
	if [ -z "$left" ]; then
		dd_pass "responders and the namespace holder are gone"
	else
		dd_fail "still running:$left"
	fi
fi

# --- part 2: the harness dockerd ----------------------------------------------

doctor() {
	timeout 30 "$DOCTOR" --host "$DD_HOST" --pid "$DD_PID" \
		--only "$CHECK" -f json "$@"
}

dd_case "2a) harness daemon, no container on a user-defined network yet"
if ! dd_harness_start; then
	echo "e2e: cannot start a private dockerd" >&2
	exit 1
fi
if dd_make_image && dd_make_network "$NET"; then
	dd_pass "image and network $NET"
else
	dd_fail "cannot make the image or the network"
fi
dd_run doctor --probe-dns
show
dd_jq "$F"' | any(.[]; .severity == "info" and
	(.summary | contains("no running container is on a user-defined network")))' \
	"127.0.0.11 not probed: says why"

dd_case "2b) 127.0.0.11 in a live container answers its name"
CID=$(dd_docker run -d --name "$CNAME" --network "$NET" "$DD_IMAGE" sleep 600)
CPID=$(dd_docker inspect -f '{{.State.Pid}}' "$CNAME" 2>/dev/null)
if [ -n "$CID" ] && [ -n "$CPID" ] && [ "$CPID" != 0 ]; then
	dd_pass "container $CNAME (pid $CPID) on $NET"
else
	dd_fail "cannot start a container on $NET"
fi
# The embedded resolver works without --iptables: it sets its own NAT
# rules inside the container's namespace.
if timeout 10 docker -H "$DD_HOST" exec "$CNAME" /bin/busybox nslookup "$CNAME" 127.0.0.11 \
	>"$DD_DIR/nslookup.out" 2>&1; then
	dd_pass "nslookup $CNAME in the container works"
else
	dd_fail "nslookup in the container: $(cat "$DD_DIR/nslookup.out")"
fi
dd_run doctor --probe-dns
show
NAME_OK='any(.[]; ((.evidence.name_query // "") | startswith("answered NOERROR (1 answer)")) or
	((.evidence.probes // "") | contains("127.0.0.11 in '"$CNAME"': name answered NOERROR (1 answer)")))'
dd_jq "$F | $NAME_OK" "127.0.0.11 resolved $CNAME inside its namespace"
dd_jq "$F"' | all(.[]; (.summary | contains("does not work")) | not)' \
	"no critical 127.0.0.11 finding"
echo "  forwarding: $(jq -r "$F"' | map(.evidence.forward_query // empty) | first // "answered"' "$DD_OUT")"

dd_case "2c) no thread of the tool enters the container's namespace"
if ! command -v strace >/dev/null 2>&1; then
	dd_skip "strace not installed"
else
	dd_run strace -f -qq -e trace=execve,clone,clone3,fork,vfork,setns \
		-o "$DD_DIR/strace.out" timeout 30 "$DOCTOR" --host "$DD_HOST" \
		--pid "$DD_PID" --only "$CHECK" -f json --probe-dns
	# the tool is the process that execs dockerd-doctor
	main=$(awk '/execve\(".*dockerd-doctor"/ { print $1; exit }' "$DD_DIR/strace.out")
	setns_pids=$(awk '/setns\(/ { print $1 }' "$DD_DIR/strace.out" | sort -u)
	if [ -n "$main" ] && [ -n "$setns_pids" ]; then
		dd_pass "setns() seen (tool pid $main)"
	else
		dd_fail "no setns() or no tool pid in the trace"
	fi
	bad=
	for p in $setns_pids; do
		[ "$p" = "$main" ] && bad="$bad $p(main)"
		# a child process: created without CLONE_THREAD
		grep -E "^$main +clone.*= $p\$" "$DD_DIR/strace.out" | grep -q CLONE_THREAD &&
			bad="$bad $p(thread)"
	done
	if [ -z "$bad" ]; then
		dd_pass "setns() only in child processes, never the tool's threads"
	else
		dd_fail "setns() by:$bad"
		head -40 "$DD_DIR/strace.out"
	fi
	left=
	for p in $setns_pids; do
		[ -d "/proc/$p" ] && left="$left $p"
	done
	if [ -z "$left" ]; then
		dd_pass "the probe's children are gone"
	else
		dd_fail "children left:$left"
	fi
fi

dd_case "2d) 127.0.0.11 broken (its NAT rules flushed) is critical"
if nsenter -t "$CPID" -n iptables -t nat -F DOCKER_OUTPUT 2>"$DD_DIR/ipt.err"; then
	dd_pass "flushed DOCKER_OUTPUT in $CNAME's namespace"
	dd_expect_exit 2 doctor --probe-dns --timeout 1
	show
	dd_jq "$F"' | any(.[]; .severity == "critical" and
		(.summary | contains("127.0.0.11) in container '"$CNAME"' does not work")))' \
		"critical: the embedded DNS does not answer"
	if [ "$DD_ELAPSED_MS" -lt 5000 ]; then
		dd_pass "bounded: $DD_ELAPSED_MS ms"
	else
		dd_fail "took $DD_ELAPSED_MS ms"
	fi
else
	dd_skip "cannot change the container's NAT rules: $(cat "$DD_DIR/ipt.err")"
fi

# --- part 3: predictions against real containers --------------------------------
#
# For each host variant, dockerd runs in a private mount and network
# namespace of its own (unshare -m -n) where a file of ours is bind-mounted
# over /etc/resolv.conf (and systemd-resolved's file made in a tmpfs): the
# host's real files are never touched. It gets its default bridge there
# (a docker0 nobody else sees). dockerd is restarted after each variant is
# in place, since it chooses its file when it starts. The tool runs in the
# daemon's mount namespace, and its evidence (bridge_* and user_*) is
# compared, field by field, with /etc/resolv.conf in real containers on
# the default bridge and on a user-defined network.

FIELDS=0
AGREED=0
VARDIR=$DD_DIR/variant

# The fields of a resolv.conf as the C library reads it: "ns|search|options".
rc_fields() {
	awk '$1 == "nameserver" { ns = ns (ns ? " " : "") $2 }
		$1 == "search" || $1 == "domain" {
			s = ""; for (i = 2; i <= NF; i++) s = s (s ? " " : "") $i }
		$1 == "options" { for (i = 2; i <= NF; i++) o = o (o ? " " : "") $i }
		END { print ns "|" s "|" o }'
}

# Write the dockerd wrapper: private namespaces, our files, then dockerd.
write_ns_wrapper() {
	local real
	real=$(PATH=${PATH//"$DD_DIR/bin:"/} command -v dockerd) || return 1
	mkdir -p "$DD_DIR/bin" || return 1
	cat >"$DD_DIR/bin/ns-dockerd" <<-WRAP || return 1
		#!/bin/bash
		# in the new namespaces: our resolv.conf files, then dockerd
		set -e
		ip link set lo up
		mount --bind "$VARDIR/resolv.conf" /etc/resolv.conf
		if [ -f "$VARDIR/systemd-resolv.conf" ]; then
			if [ -d /run/systemd/resolve ]; then
				mount -t tmpfs ddtest /run/systemd/resolve
			else
				mount -t tmpfs ddtest /run/systemd
				mkdir -p /run/systemd/resolve
			fi
			cp "$VARDIR/systemd-resolv.conf" /run/systemd/resolve/resolv.conf
		fi
		args=()
		for a in "\$@"; do
			[ "\$a" = --bridge=none ] || args+=("\$a")
		done
		exec "$real" "\${args[@]}"
	WRAP
	printf '#!/bin/bash\nexec unshare -m -n --propagation private %q "$@"\n' \
		"$DD_DIR/bin/ns-dockerd" >"$DD_DIR/bin/dockerd" || return 1
	chmod 0755 "$DD_DIR/bin/ns-dockerd" "$DD_DIR/bin/dockerd"
}

# Start dockerd for a variant: variant_start ETC [SYSTEMD|-] [DOCKERD ARGS...]
variant_start() {
	local etc=$1 sd=$2
	shift 2
	dd_harness_stop
	rm -rf "$VARDIR"
	mkdir -p "$VARDIR"
	printf '%b' "$etc" >"$VARDIR/resolv.conf"
	[ "$sd" = - ] || printf '%b' "$sd" >"$VARDIR/systemd-resolv.conf"
	PATH="$DD_DIR/bin:$PATH" dd_harness_start "$@"
}

# The tool's prediction for a kind (bridge, user) or prefix: "ns|search|options".
predicted() {
	jq -r --arg k "$1" "$F"' | map(.evidence | select(.[$k + "_nameservers"] != null))
		| first | "\(.[$k + "_nameservers"])|\(.[$k + "_search"])|\(.[$k + "_options"])"' \
		"$DD_OUT"
}

# Compare a prediction with a real container's file, field by field.
compare() {
	local what=$1 want=$2 got=$3 i w g names=(nameservers search options)
	for i in 0 1 2; do
		w=$(cut -d'|' -f$((i + 1)) <<<"$want")
		g=$(cut -d'|' -f$((i + 1)) <<<"$got")
		FIELDS=$((FIELDS + 1))
		if [ "$w" = "$g" ]; then
			AGREED=$((AGREED + 1))
			dd_pass "$what ${names[$i]}: '$g'"
		else
			dd_fail "$what ${names[$i]}: predicted '$w', container has '$g'"
		fi
	done
}

# A container's /etc/resolv.conf fields: container_fields [--network NET].
container_fields() {
	timeout 60 docker -H "$DD_HOST" run --rm "$@" "$DD_IMAGE" \
		/bin/busybox cat /etc/resolv.conf 2>"$DD_DIR/run.err" | rc_fields
}

# Run the tool from the host's namespaces with --pid: it must read the
# daemon's files through /proc/PID/root, not the host's /etc/resolv.conf.
doctor_in_daemon_ns() {
	timeout 30 "$DOCTOR" --host "$DD_HOST" \
		--pid "$DD_PID" --only "$CHECK" -f json "$@"
}

# One variant: compare both kinds; extra checks on the last tool run after.
variant_compare() {
	local name=$1 bridge user
	dd_run doctor_in_daemon_ns
	show
	echo "  choice: $(jq -r "$F"' | map(.evidence.host_file_choice // empty) | first' "$DD_OUT")"
	bridge=$(container_fields)
	user=$(container_fields --network "$NET")
	echo "  bridge container: $bridge"
	echo "  user-defined container: $user"
	compare "$name, default bridge:" "$(predicted bridge)" "$bridge"
	compare "$name, user-defined:" "$(predicted user)" "$user"
}

dd_case "3) predictions match real containers"
PART3=1
if ! write_ns_wrapper; then
	dd_skip "cannot write the dockerd wrapper"
	PART3=0
elif [ ! -d /run/systemd/resolve ] && [ ! -d /run/systemd ]; then
	dd_skip "no /run/systemd to put a resolved file on in a private namespace"
	PART3=0
else
	dd_pass "dockerd wrapper: private mount and network namespaces"
fi

if [ "$PART3" = 1 ]; then
	dd_case "3a) loopback-only host"
	if variant_start 'search corp.example lab.example\noptions edns0 timeout:2\nnameserver 127.0.0.1\n' -; then
		dd_make_network "$NET" >/dev/null 2>&1
		variant_compare loopback
		dd_jq "$F"' | any(.[]; .evidence.host_file_choice | startswith("/etc/resolv.conf (chosen when dockerd started"))' \
			"the choice: /etc/resolv.conf, unchanged since the start"
	else
		dd_fail "dockerd did not start in its namespaces"
	fi

	dd_case "3b) systemd-resolved stub host"
	if variant_start 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan.example\n' \
		'nameserver 192.0.2.1\nnameserver 192.0.2.2\nsearch lan.example\n'; then
		variant_compare resolved-stub
	else
		dd_fail "dockerd did not start in its namespaces"
	fi

	dd_case "3c) mixed host (loopback and a real server, ndots, domain)"
	if variant_start 'nameserver 127.0.0.1\nnameserver 192.0.2.7\noptions ndots:2 rotate\noptions timeout:1\ndomain d.example\n' -; then
		variant_compare mixed
	else
		dd_fail "dockerd did not start in its namespaces"
	fi

	dd_case "3d) daemon --dns, --dns-search, --dns-opt"
	if variant_start 'nameserver 127.0.0.1\nnameserver 192.0.2.7\nsearch h.example\noptions edns0\n' - \
		--dns 192.0.2.9 --dns-search daemon.example --dns-opt attempts:3; then
		variant_compare daemon-dns
	else
		dd_fail "dockerd did not start in its namespaces"
	fi

	dd_case "3e) daemon --dns-search alone: the host's servers copied unfiltered"
	if variant_start 'nameserver 127.0.0.1\nnameserver 192.0.2.7\nsearch h.example\n' - \
		--dns-search daemon.example; then
		variant_compare dns-search-only
	else
		dd_fail "dockerd did not start in its namespaces"
	fi

	dd_case "3f) stub replaced by a real server after dockerd started"
	if variant_start 'nameserver 127.0.0.53\n' \
		'nameserver 192.0.2.1\nsearch lan.example\n'; then
		t0=$(date +%s)
		# the change must fall in a later second than dockerd's start
		# (the tool allows 2 s for its second-granular start time)
		for _ in $(seq 1 50); do
			[ "$(date +%s)" -gt "$((t0 + 2))" ] && break
			sleep 0.1
		done
		# written in place: the bind mount shows the new content
		printf 'nameserver 192.0.2.7\n' >"$VARDIR/resolv.conf"
		dd_run doctor_in_daemon_ns
		show
		dd_jq "$F"' | any(.[]; .evidence.host_file_choice | startswith("unknown: /etc/resolv.conf changed at"))' \
			"the choice is unknown: the file changed after the start"
		dd_jq "$F"' | any(.[]; .summary | contains("changed after dockerd started: if it chose /run/systemd/resolve/resolv.conf then"))' \
			"names the other choice"
		bridge=$(container_fields)
		user=$(container_fields --network "$NET")
		echo "  bridge container: $bridge"
		echo "  user-defined container: $user"
		compare "stale, default bridge (the other choice):" "$(predicted other_choice)" "$bridge"
		compare "stale, user-defined:" "$(predicted user)" "$user"
	else
		dd_fail "dockerd did not start in its namespaces"
	fi
	echo "  fields compared: $FIELDS, agreed: $AGREED"
fi

dd_summary
