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
#  4. Container churn on a healthy harness dockerd (runs, execs, a failing
#     command, health checks, stops and removals, networks created and
#     removed, a daemon restart): no logs.daemon-errors finding; whatever
#     level=error lines a healthy daemon logs are in the rule's ignore list.
#  5. A daemon restarted after 6 errors (exec into a stopped container):
#     the previous instance's lines, in the same log file, are not counted;
#     5 errors of the new instance are, and only those.
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

# --- 4. a healthy daemon under container churn -----------------------------

# Wait (up to 10 s) until the command (run anew each time) succeeds.
until_ok() {
	local _
	for _ in $(seq 1 100); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# The level=error lines of dockerd.log from line $1 on.
errors_from() {
	tail -n +"$1" "$DD_DIR/dockerd.log" | grep -c 'level=error'
}

# Conditions to wait for: a health check ran; N errors from line FROM on;
# the clock is past second T.
health_logged() { # NAME
	[ "$(dd_docker inspect -f '{{len .State.Health.Log}}' "$1")" -ge 1 ]
}
errors_at_least() { # FROM N
	[ "$(errors_from "$1")" -ge "$2" ]
}
clock_past() { # T
	[ "$(date +%s)" -gt "$1" ]
}

# Some of everything a busy host does to its daemon.
churn() {
	local i
	for i in 1 2 3; do
		dd_docker run -d --name ddtest-c$i --network "$NET" "$DD_IMAGE" \
			sleep 600 >/dev/null &&
			dd_docker exec ddtest-c$i true &&
			! dd_docker exec ddtest-c$i sh -c 'exit 3' &&
			echo hi | dd_docker exec -i ddtest-c$i cat >/dev/null &&
			dd_docker restart -t 1 ddtest-c$i >/dev/null &&
			dd_docker stop -t 1 ddtest-c$i >/dev/null &&
			dd_docker rm ddtest-c$i >/dev/null || return 1
		dd_docker run --name ddtest-f$i --network none "$DD_IMAGE" \
			sh -c 'echo boom; exit 7' >/dev/null
		[ "$(dd_docker wait ddtest-f$i)" = 7 ] || return 1
		dd_docker rm ddtest-f$i >/dev/null &&
			dd_docker run -d --name ddtest-h$i --network none \
				--health-cmd true --health-interval 1s "$DD_IMAGE" \
				sleep 600 >/dev/null &&
			until_ok health_logged ddtest-h$i &&
			dd_docker rm -f ddtest-h$i >/dev/null &&
			dd_docker network create ddtest-tmp$i >/dev/null &&
			dd_docker run -d --name ddtest-n$i --network ddtest-tmp$i \
				"$DD_IMAGE" sleep 600 >/dev/null &&
			dd_docker network connect "$NET" ddtest-n$i &&
			dd_docker network disconnect "$NET" ddtest-n$i &&
			dd_docker rm -f ddtest-n$i >/dev/null &&
			dd_docker network rm ddtest-tmp$i >/dev/null || return 1
	done
}

dd_case "4) a healthy daemon under container churn: no logs.daemon-errors"
if dd_harness_start && dd_make_image && dd_make_network "$NET"; then
	from=$(($(wc -l <"$DD_DIR/dockerd.log") + 1))
	if churn && dd_harness_stop && dd_harness_start && churn; then
		dd_pass "churned containers, networks and a daemon restart"
	else
		dd_fail "the churn failed"
	fi
	dd_log "level=error lines while churning: $(errors_from "$from")"
	tail -n +"$from" "$DD_DIR/dockerd.log" | grep 'level=error' | head -20
	dd_run doctor --log-source fd --since 30m
	show
	dd_jq "$(F logs.daemon-errors)"' | length == 0' \
		"no logs.daemon-errors on a healthy daemon"
	dd_jq '.log_sources | any(.[]; .name == "dockerd")' \
		"the daemon's log was read"
	dd_harness_stop
else
	dd_fail "cannot start the harness dockerd"
fi

# --- 5. a restart after errors: the old instance's lines -------------------

# n failed execs into a stopped container: one level=error line each.
exec_errors() { # N
	local i
	for i in $(seq 1 "$1"); do
		dd_docker exec ddtest-stopped true 2>/dev/null && return 1
	done
	return 0
}

dd_case "5) a daemon restarted after errors does not count the old ones"
if dd_harness_start && dd_make_image &&
	dd_docker create --name ddtest-stopped --network none "$DD_IMAGE" \
		true >/dev/null; then
	from=$(($(wc -l <"$DD_DIR/dockerd.log") + 1))
	exec_errors 6 || dd_fail "an exec into a stopped container worked"
	until_ok errors_at_least "$from" 6 ||
		dd_fail "no 6 errors in the log: $(errors_from "$from")"
	dd_run doctor --log-source fd --since 30m
	dd_jq "$(F logs.daemon-errors)"' | any(.[]; .evidence.count == "6")' \
		"the old instance's 6 errors fire while it runs"
	# the start is known to the second: the next one must have begun
	last=$(date +%s)
	until_ok clock_past "$((last + 1))"
	dd_harness_stop
	if dd_harness_start; then
		dd_pass "restarted: pid $DD_PID, the same log file"
		dd_run doctor --log-source fd --since 30m
		show
		dd_jq "$(F logs.daemon-errors)"' | length == 0' \
			"the previous instance's errors are not counted"
		from=$(($(wc -l <"$DD_DIR/dockerd.log") + 1))
		exec_errors 5 || dd_fail "an exec into a stopped container worked"
		until_ok errors_at_least "$from" 5
		dd_run doctor --log-source fd --since 30m
		show
		dd_jq "$(F logs.daemon-errors)"' | any(.[];
			.severity == "warning" and .evidence.count == "5" and
			(.evidence.daemon_started | length > 0) and
			(.summary | contains("is not running")))' \
			"the new instance's 5 errors are, and only those"
	else
		dd_fail "cannot restart the harness dockerd"
	fi
	dd_docker rm -f ddtest-stopped >/dev/null 2>&1
	dd_harness_stop
else
	dd_fail "cannot start the harness dockerd with a stopped container"
fi

dd_summary
