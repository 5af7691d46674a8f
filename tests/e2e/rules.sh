#!/bin/bash
#
# End-to-end cases for logs.patterns: the shipped log rules on what a real
# kernel and a real dockerd write, and the kernel's OOM counters of a real
# container.
#
#  1. A container of the harness dockerd (20.10) with a 16 MiB memory limit
#     whose child process eats memory until the kernel OOM-kills it; the
#     container keeps running. The kernel's report (/dev/kmsg) fires
#     logs.oom-container naming the container, and the container's memory
#     cgroup counters (memory.oom_control on v1, memory.events on v2) give a
#     logs.oom-counters warning naming it. No rule about dockerd fires.
#  2. A second harness dockerd in a private mount namespace whose
#     /etc/resolv.conf lists only 127.0.0.1: a container on a user-defined
#     network makes dockerd log its fallback to Google's DNS servers, read
#     from the daemon's own log file (found through its fd 2), and the
#     dns-fallback rule fires.
#  3. Rules turned off and broken under /etc/dockerd-doctor of a --sysroot
#     tree: the off rule stays quiet, the broken one is reported with its
#     file and line, and the rest still run.
#
# Needs root, Debian's docker.io, busybox-static, jq and util-linux
# (unshare). Exits 77 (skipped) without them. The OOM kill stays in the
# kernel log and adds one to /proc/vmstat oom_kill (a count since boot).
# Everything else lives under one /tmp/ddt.XXXXXX directory and is torn
# down on exit.
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
RULES=$top_srcdir/data/log-rules.conf
CHECK=logs.patterns
NET=ddtest-rules
CNAME=ddtest-oom

unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH NO_COLOR

dd_skip_unless_root_and_dockerd
if [ ! -x "$DOCTOR" ]; then
	echo "e2e: '$DOCTOR' not built (run 'make check')" >&2
	exit 1
fi
if ! "$DOCTOR" list 2>/dev/null | grep -q "^$CHECK "; then
	echo "e2e: '$DOCTOR list' does not name '$CHECK'" >&2
	exit 1
fi
dd__init_dir || exit 1

# jq: the findings of one check id.
F() {
	printf '[.findings[] | select(.check == "%s")]' "$1"
}

# Show the findings of the last run; a sanitizer report fails the case.
show() {
	jq -r '.findings[] | "  \(.severity) \(.check): \(.summary)"' \
		"$DD_OUT" 2>/dev/null
	if grep -q 'Sanitizer' "$DD_ERR" 2>/dev/null; then
		dd_fail "sanitizer report: $(head -c 600 "$DD_ERR")"
	fi
}

# The tool on the harness daemon, the shipped rules, JSON.
doctor() {
	timeout 30 "$DOCTOR" --host "$DD_HOST" --pid "$DD_PID" --only "$CHECK" \
		--log-rules "$RULES" -f json "$@"
}

# The memory cgroup counters file of a container, or nothing.
oom_file() { # ID
	local f
	for f in "/sys/fs/cgroup/memory/docker/$1/memory.oom_control" \
		"/sys/fs/cgroup/memory/system.slice/docker-$1.scope/memory.oom_control" \
		"/sys/fs/cgroup/docker/$1/memory.events" \
		"/sys/fs/cgroup/system.slice/docker-$1.scope/memory.events"; do
		[ -r "$f" ] && {
			echo "$f"
			return 0
		}
	done
	return 1
}

# --- 1. a real OOM kill in a real container ------------------------------

dd_case "1) a container's child OOM-killed: the kernel's report and the counters"
if dd_harness_start && dd_make_image && dd_make_network "$NET"; then
	dd_pass "harness dockerd $DD_PID"
	# the subshell doubles a string until the kernel kills it; sh waits
	CID=$(dd_docker run -d --name "$CNAME" --network "$NET" \
		--memory 16m --memory-swap 16m "$DD_IMAGE" \
		sh -c '(x=a; while :; do x=$x$x; done); sleep 600' 2>"$DD_ERR")
	FILE=
	[ -n "$CID" ] && FILE=$(oom_file "$CID")
	if [ -z "$FILE" ]; then
		dd_fail "no container or no memory cgroup for it: $(cat "$DD_ERR")"
	else
		kills=0
		for _ in $(seq 1 100); do
			kills=$(awk '$1 == "oom_kill" { print $2 }' "$FILE")
			[ "${kills:-0}" -ge 1 ] && break
			sleep 0.1
		done
		if [ "${kills:-0}" -ge 1 ]; then
			dd_pass "$FILE: oom_kill $kills"
		else
			dd_fail "no OOM kill in $FILE: $(cat "$FILE")"
		fi
		running=$(dd_docker inspect -f '{{.State.Running}}' "$CID")
		[ "$running" = true ] && dd_pass "the container still runs" ||
			dd_fail "the container stopped: $running"
		dd_run doctor --log-source kmsg --since 5m
		show
		if [ "$DD_RC" -ne 1 ] && [ "$DD_RC" -ne 2 ]; then
			dd_fail "expected a warning exit (1), got $DD_RC"
		fi
		dd_jq "$(F logs.oom-container)"' | any(.[];
			.severity == "warning" and
			(.summary | contains("in container '"${CID:0:12}"' at")) and
			([.evidence | to_entries[] | select(.key | startswith("line")) |
			  .value] | any(contains("'"$CID"'"))))' \
			"logs.oom-container names the container, from the kernel's line"
		dd_jq "$(F logs.oom-counters)"' | any(.[];
			.severity == "warning" and
			.evidence.container == "'"$CID"'" and
			(.evidence.oom_kill | tonumber) >= 1)' \
			"logs.oom-counters reads the container's counter"
		dd_jq '[.findings[] | select(.check == "logs.oom-daemon" or
			.check == "logs.oom-shim")] | length == 0' \
			"no daemon is said to be killed"
		dd_jq "$(F logs.patterns)"' | length == 0' \
			"no all-clear next to a problem"
	fi
	dd_docker rm -f "$CNAME" >/dev/null 2>&1
	dd_harness_stop
else
	dd_fail "cannot start the harness dockerd"
fi

# --- 2. the daemon's own DNS fallback message ----------------------------

dd_case "2) dockerd falls back to Google's DNS: read from its log file"
mkdir -p "$DD_DIR/bin"
printf 'nameserver 127.0.0.1\noptions ndots:0\n' >"$DD_DIR/resolv.conf"
# dockerd in a private mount namespace with only a local nameserver;
# unshare execs, so the harness's pid is dockerd's
cat >"$DD_DIR/bin/dockerd" <<EOF
#!/bin/sh
exec unshare -m --propagation private sh -c \\
	'mount --bind "$DD_DIR/resolv.conf" /etc/resolv.conf && exec "\$0" "\$@"' \\
	"$(command -v dockerd)" "\$@"
EOF
chmod +x "$DD_DIR/bin/dockerd"
if PATH="$DD_DIR/bin:$PATH" dd_harness_start && dd_make_image &&
	dd_make_network "$NET"; then
	dd_pass "harness dockerd $DD_PID with a local-only resolv.conf"
	dd_docker run -d --name ddtest-dns1 --network "$NET" "$DD_IMAGE" \
		sleep 600 >/dev/null 2>"$DD_ERR" ||
		dd_fail "cannot run a container: $(cat "$DD_ERR")"
	for _ in $(seq 1 50); do
		grep -q 'No non-localhost DNS nameservers' "$DD_DIR/dockerd.log" &&
			break
		sleep 0.1
	done
	dd_run doctor --log-source fd --since 5m
	show
	dd_jq "$(F logs.dns-fallback)"' | any(.[];
		.severity == "warning" and
		(.summary | contains("Google")) and
		(.evidence.line1 | contains(" dockerd ")))' \
		"dns-fallback fires on dockerd's own line"
	dd_jq '.log_sources | any(.[]; .name == "dockerd")' \
		"the line came from the dockerd source"
	dd_docker rm -f ddtest-dns1 >/dev/null 2>&1
	dd_harness_stop
else
	dd_fail "cannot start the harness dockerd in a mount namespace"
fi

# --- 3. overrides under /etc of a sysroot --------------------------------

dd_case "3) a rule turned off and a broken one under /etc/dockerd-doctor"
ROOT=$DD_DIR/root
mkdir -p "$ROOT/etc/dockerd-doctor/log-rules.d" "$ROOT/proc" "$ROOT/logs"
printf 'oom_kill 0\n' >"$ROOT/proc/vmstat"
cat >"$ROOT/logs/dockerd.log" <<EOF
time="$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" level=info msg="No non-localhost DNS nameservers are left in resolv.conf. Using default external servers"
time="$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" level=error msg="write /var/lib/docker/tmp/x: no space left on device"
EOF
printf '[rule dns-fallback]\nenabled = no\n' \
	>"$ROOT/etc/dockerd-doctor/log-rules.d/10-off.conf"
printf '[rule mine]\nsource = dockerd\npattern = (unclosed\nsummary = s\n' \
	>"$ROOT/etc/dockerd-doctor/log-rules.d/20-broken.conf"
dd_run timeout 30 "$DOCTOR" --sysroot "$ROOT" --host "unix://$DD_DIR/none.sock" \
	--only "$CHECK" --log-rules "$RULES" -f json --since 5m \
	--log-source "file:/logs/dockerd.log=dockerd"
show
dd_jq "$(F logs.dns-fallback)"' | length == 0' "the rule turned off is quiet"
dd_jq "$(F logs.no-space)"' | any(.[]; .severity == "critical")' \
	"the other rules still run"
dd_jq "$(F logs.patterns)"' | any(.[]; .severity == "warning" and
	(.summary | contains("/etc/dockerd-doctor/log-rules.d/20-broken.conf:3: bad pattern")))' \
	"the broken rule is named with its file and line"

dd_summary
