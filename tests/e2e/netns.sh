#!/bin/bash
#
# End-to-end cases for netns.stranded against a real, isolated dockerd.
#
# The bug (moby/libnetwork#1113): a dockerd OS thread created while another
# thread was switched into a container's network namespace stays there after
# the container is gone, and 'docker pull' fails at random with "network is
# unreachable".  We cannot make Go do that on demand, so the daemon runs with
# tests/inject/netns-inject.so preloaded: its control thread, driven through
# tests/inject/inject-ctl, creates threads inside a namespace we name.
#
# Needs root, Debian's docker.io (dockerd 20.10), busybox-static and jq;
# exits 77 (skipped) without them.  Everything lives under one
# /tmp/ddt.XXXXXX directory and is torn down on exit (see lib.sh); stranded
# threads are dockerd's own threads and die with it.
#
# Exit status (automake): 0 all passed, 1 a case failed, 77 skipped.

# jq programs are single-quoted on purpose; doctor() is called indirectly.
# shellcheck disable=SC2016,SC2317

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"

# shellcheck source=tests/e2e/lib.sh
. "$top_srcdir/tests/e2e/lib.sh"

DOCTOR=$top_builddir/dockerd-doctor
INJECT_SO=${DD_INJECT_SO:-$top_builddir/tests/inject/netns-inject.so}
INJECT_CTL=${DD_INJECT_CTL:-$top_builddir/tests/inject/inject-ctl}
CHECK=netns.stranded
NET=ddtest-net

# The program must only see the daemon address we give it.
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH NO_COLOR

dd_skip_unless_root_and_dockerd
for f in "$DOCTOR" "$INJECT_SO" "$INJECT_CTL"; do
	if [ ! -e "$f" ]; then
		echo "e2e: '$f' not built (run 'make check')" >&2
		exit 1
	fi
done
if ! "$DOCTOR" list 2>/dev/null | grep -q "^$CHECK "; then
	echo "e2e: '$DOCTOR list' does not name '$CHECK'" >&2
	exit 1
fi
DOCTOR_EXE=$(readlink -f "$DOCTOR")
INJECT_SO=$(readlink -f "$INJECT_SO")

T0=$(dd_now_ms)
CASE_T0=
CHURN_PID=

# Run the check against the harness daemon with a 20 s guard.
doctor() {
	timeout 20 "$DOCTOR" --host "$DD_HOST" --pid "$DD_PID" \
		--only "$CHECK" "$@"
}

# Send one command to the injector.
ctl() {
	"$INJECT_CTL" "$DD_DIR/inject.sock" "$@"
}

# Print the network namespace inode of dockerd's thread $1.
thread_netns() {
	local link
	link=$(readlink "/proc/$DD_PID/task/$1/ns/net" 2>/dev/null) || return 1
	link=${link#net:[}
	echo "${link%]}"
}

# Fail the current case if a dockerd-doctor process is still running.
no_doctor_left() {
	local p left=
	# only runs against this harness: other tests may run in parallel
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$DOCTOR_EXE" ] &&
			tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF "$DD_DIR" &&
			left="$left ${p#/proc/}"
	done
	if [ -z "$left" ]; then
		dd_pass "no dockerd-doctor process left"
	else
		dd_fail "dockerd-doctor still running:$left"
	fi
}

# Close the running case (leftover check, time) and start case $1.
netns_case() {
	if [ -n "$CASE_T0" ]; then
		no_doctor_left
		echo "  time: $(($(dd_now_ms) - CASE_T0)) ms"
	fi
	CASE_T0=$(dd_now_ms)
	[ $# -gt 0 ] && dd_case "$1"
}

# Start a container on $NET; print its id.
start_container() {
	dd_docker run -d --network "$NET" "$DD_IMAGE" sleep 600
}

# Print the sandbox key of container $1.
sandbox_key() {
	dd_docker inspect -f '{{.NetworkSettings.SandboxKey}}' "$1"
}

# Strand a thread in the namespace at $1; print its tid.
strand() {
	local reply
	reply=$(ctl strand "$1") || {
		echo "inject-ctl: $reply" >&2
		return 1
	}
	case $reply in
	"tid "[0-9]*) ;;
	*)
		echo "inject-ctl: unexpected reply '$reply'" >&2
		return 1
		;;
	esac
	echo "${reply#tid }"
}

# Release stranded thread $1 and wait until it is gone.
release() {
	local _
	ctl release "$1" >/dev/null || return 1
	for _ in $(seq 1 50); do
		[ -e "/proc/$DD_PID/task/$1" ] || return 0
		sleep 0.1
	done
	return 1
}

# Wait for the background churn loop (killed if still running at exit).
churn_stop() {
	[ -n "$CHURN_PID" ] || return 0
	dd__alive "$CHURN_PID" && [ "${1-}" = kill ] &&
		kill -TERM "$CHURN_PID" 2>/dev/null
	wait "$CHURN_PID" 2>/dev/null
	CHURN_PID=
}

# jq: the check reported, and only ok (or info) findings.
ALL_OK='[.findings[] | select(.check == $c) | .severity] | length > 0 and
	all(. == "ok" or . == "info")'

# jq: no warning or critical finding of the check.
NONE_BAD='all(.findings[]; .check != $c or
	(.severity != "warning" and .severity != "critical"))'

# jq: the findings of the check with severity $s whose tids name tid $t.
WITH_TID='[.findings[] | select(.check == $c and .severity == $s and
	((.evidence.tids // "") | tostring |
	 test("(^|[^0-9])" + $t + "([^0-9]|$)")))]'

# Assert the ok finding of the last JSON run and show its summary.
expect_all_ok() {
	dd_jq "$ALL_OK" "$CHECK is ok" --arg c "$CHECK"
	echo "  summary: $(jq -r --arg c "$CHECK" '.findings[] |
		select(.check == $c) | "\(.severity): \(.summary)"' "$DD_OUT" \
		2>/dev/null)"
}

# --- a) a daemon without the injector ----------------------------------------

netns_case "a) healthy daemon without the injector, 3 containers"
if ! dd_harness_start; then
	echo "e2e: cannot start a private dockerd" >&2
	exit 1
fi
echo "  harness: dockerd pid $DD_PID ($(($(dd_now_ms) - T0)) ms)"
if dd_make_image && dd_make_network "$NET" && start_container >/dev/null &&
	start_container >/dev/null && start_container >/dev/null; then
	dd_pass "three containers on $NET"
else
	dd_fail "cannot start containers"
fi
if grep -q netns-inject "/proc/$DD_PID/maps"; then
	dd_fail "the injector is loaded into a plain harness daemon"
fi
dd_expect_exit 0 doctor -f json
expect_all_ok
dd_jq 'any(.findings[]; .check == $c and .severity == "ok" and
	((.evidence.threads // "") | tostring | test("^[0-9]+$")))' \
	"ok evidence has a thread count" --arg c "$CHECK"
dd_jq '.summary.exit_code == 0' "summary says 0"

# --- f) the injector loaded but idle -----------------------------------------

netns_case "f) injector loaded, idle: nothing changes"
dd_harness_stop
if dd_harness_start_env LD_PRELOAD="$INJECT_SO" \
	DD_INJECT_SOCK="$DD_DIR/inject.sock"; then
	dd_pass "restarted with the injector (pid $DD_PID)"
else
	echo "e2e: cannot start dockerd with the injector" >&2
	exit 1
fi
if grep -q "$INJECT_SO" "/proc/$DD_PID/maps" && [ -S "$DD_DIR/inject.sock" ]; then
	dd_pass "injector mapped in dockerd, control socket present"
else
	dd_fail "injector not active: $(grep netns-inject "$DD_DIR/dockerd.log")"
fi
dd_run ctl list
if [ "$DD_RC" = 0 ] && [ ! -s "$DD_OUT" ]; then
	dd_pass "list: no stranded threads"
else
	dd_fail "list on a fresh injector"
fi
dd_run ctl frobnicate
if [ "$DD_RC" = 1 ] && grep -qx 'error unknown command' "$DD_OUT"; then
	dd_pass "unknown command rejected"
else
	dd_fail "unknown command not rejected"
fi
# The restart stopped the containers; start three again.
# shellcheck disable=SC2046
dd_docker rm -f $(dd_docker ps -aq) >/dev/null 2>&1
if start_container >/dev/null && start_container >/dev/null &&
	start_container >/dev/null; then
	dd_pass "three containers on $NET"
else
	dd_fail "cannot start containers"
fi
dd_expect_exit 0 doctor -f json
expect_all_ok

# --- b) churn: containers come and go while we look --------------------------

netns_case "b) churn: 15 containers started and removed, no alarm meanwhile"
(
	for _ in $(seq 1 15); do
		id=$(dd_docker run -d --network "$NET" "$DD_IMAGE" sleep 600) &&
			dd_docker rm -f "$id" >/dev/null && echo "$id"
	done
) >"$DD_DIR/churn.ids" 2>&1 &
CHURN_PID=$!
# At least 10 runs, and on until the churn ends (at most 60 s).
bad=0
runs=0
deadline=$(($(dd_now_ms) + 60000))
while [ "$runs" -lt 10 ] ||
	{ dd__alive "$CHURN_PID" && [ "$(dd_now_ms)" -lt "$deadline" ]; }; do
	runs=$((runs + 1))
	dd_run doctor -f json
	if [ "$DD_RC" != 0 ] || ! jq -e --arg c "$CHECK" "$NONE_BAD" \
		"$DD_OUT" >/dev/null 2>&1; then
		bad=$((bad + 1))
		dd_fail "run $runs: exit $DD_RC during churn"
	fi
	sleep 0.1
done
churn_stop
n=$(grep -c '^[0-9a-f]\{64\}$' "$DD_DIR/churn.ids")
if [ "$n" = 15 ]; then
	dd_pass "15 containers started and removed"
else
	dd_fail "churn: only $n of 15 containers: $(grep -v '^[0-9a-f]\{64\}$' "$DD_DIR/churn.ids" | head -n 3)"
fi
[ "$bad" = 0 ] && dd_pass "$runs runs during churn: all exit 0, no warning"
dd_expect_exit 0 doctor -f json
expect_all_ok

# --- c) the seed bug: a thread left in a removed container's namespace --------

netns_case "c) thread stranded in a removed container's namespace: critical"
T=
if C=$(start_container) && key=$(sandbox_key "$C") && [ -n "$key" ] &&
	ino=$(stat -L -c %i "$key") && T=$(strand "$key"); then
	dd_pass "thread $T stranded in $key (netns $ino)"
else
	dd_fail "cannot strand a thread in a container's namespace"
fi
if [ -n "$T" ] && [ "$(thread_netns "$T")" = "$ino" ]; then
	dd_pass "/proc/$DD_PID/task/$T/ns/net is net:[$ino]"
else
	dd_fail "thread $T is not in net:[$ino]"
fi
dd_docker rm -f "$C" >/dev/null
if [ -n "$T" ] && [ "$(thread_netns "$T")" = "$ino" ]; then
	dd_pass "after 'docker rm -f' thread $T is still in net:[$ino]"
else
	dd_fail "thread $T left net:[$ino] after the container went"
fi
dd_expect_exit 2 doctor -f json
dd_jq "$WITH_TID | length == 1" "one critical finding names tid $T" \
	--arg c "$CHECK" --arg s critical --arg t "$T"
dd_jq "$WITH_TID | .[0] | (.evidence.routes | tostring) == \"none\" and
	(.summary | test(\"no routes\"; \"i\"))" \
	"routes is 'none', summary says 'no routes'" \
	--arg c "$CHECK" --arg s critical --arg t "$T"
dd_jq "$WITH_TID | .[0].evidence | (.netns | tostring) == \$ino and
	(.pid | tostring) == \$pid and .process == \"dockerd\" and
	(.owner | tostring) == \"none\" and
	(.default_route | tostring) == \"no\" and
	((.threads | tostring) | test(\"^[0-9]+\$\"))" \
	"evidence: netns $ino, pid, process, owner none, no default route" \
	--arg c "$CHECK" --arg s critical --arg t "$T" --arg ino "$ino" \
	--arg pid "$DD_PID"
dd_jq '.summary.worst == "critical" and .summary.exit_code == 2' \
	"summary is critical"
echo "  finding: $(jq -c --arg c "$CHECK" '.findings[] |
	select(.check == $c and .severity == "critical") |
	{summary, evidence}' "$DD_OUT" 2>/dev/null)"
dd_expect_exit 2 doctor
if grep -qw "$T" "$DD_OUT"; then
	dd_pass "text output names tid $T"
else
	dd_fail "text output does not name tid $T"
fi
T_DEAD=$T
INO_DEAD=$ino

# --- d) a thread staying in a live container's namespace ----------------------

netns_case "d) thread staying in a live container's namespace: warning"
T=
if LC=$(start_container) && lkey=$(sandbox_key "$LC") && [ -n "$lkey" ] &&
	lino=$(stat -L -c %i "$lkey") && T=$(strand "$lkey"); then
	dd_pass "thread $T stranded in live $lkey (netns $lino)"
else
	dd_fail "cannot strand a thread in a live container's namespace"
fi
lname=$(dd_docker inspect -f '{{.Name}}' "$LC" 2>/dev/null)
lname=${lname#/}
# With the dead namespace's thread still there: both findings, exit 2.
dd_expect_exit 2 doctor --sample-delay 0.2 -f json
dd_jq "$WITH_TID | length == 1" "critical still names tid $T_DEAD" \
	--arg c "$CHECK" --arg s critical --arg t "$T_DEAD"
dd_jq "$WITH_TID | length == 1" "a warning names tid $T" \
	--arg c "$CHECK" --arg s warning --arg t "$T"
if [ -n "$T_DEAD" ] && release "$T_DEAD"; then
	dd_pass "released thread $T_DEAD (net:[$INO_DEAD])"
else
	dd_fail "cannot release thread $T_DEAD"
fi
dd_expect_exit 1 doctor --sample-delay 0.2 -f json
dd_jq "$WITH_TID | length == 1" "a warning names tid $T" \
	--arg c "$CHECK" --arg s warning --arg t "$T"
dd_jq 'all(.findings[]; .check != $c or .severity != "critical")' \
	"no critical finding" --arg c "$CHECK"
dd_jq "$WITH_TID | .[0].evidence | (.netns | tostring) == \$ino and
	(.owner | tostring) != \"none\" and (.owner | tostring) != \"\"" \
	"evidence: netns $lino, owner set" \
	--arg c "$CHECK" --arg s warning --arg t "$T" --arg ino "$lino"
dd_jq "$WITH_TID | .[0].evidence.owner | tostring | contains(\$key)" \
	"owner names the sandbox '$lkey'" \
	--arg c "$CHECK" --arg s warning --arg t "$T" --arg key "$lkey"
dd_jq "$WITH_TID | .[0].evidence.owner | tostring | contains(\$name)" \
	"owner names the container '$lname'" \
	--arg c "$CHECK" --arg s warning --arg t "$T" --arg name "$lname"
echo "  finding: $(jq -c --arg c "$CHECK" '.findings[] |
	select(.check == $c and .severity == "warning") |
	{summary, evidence}' "$DD_OUT" 2>/dev/null)"

# --- e) released: healthy again ----------------------------------------------

netns_case "e) every stranded thread released: ok again"
left=0
for t in $(ctl list); do
	release "$t" || left=$((left + 1))
done
if [ "$left" = 0 ] && [ -z "$(ctl list)" ]; then
	dd_pass "all released, injector lists none"
else
	dd_fail "$left thread(s) not released: $(ctl list | tr '\n' ' ')"
fi
dd_expect_exit 0 doctor -f json
expect_all_ok

# --- g) not root: unknown -----------------------------------------------------

netns_case "g) not root: unknown, never ok"
if command -v setpriv >/dev/null 2>&1; then
	# a clone under /root (mode 0700) is out of nobody's reach: run a copy
	nobody_bin=$DOCTOR
	if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$DOCTOR"; then
		nobody_dir=$(mktemp -d /tmp/ddn.XXXXXX) && chmod 0755 "$nobody_dir" &&
			cp "$DOCTOR" "$nobody_dir/" && nobody_bin=$nobody_dir/dockerd-doctor
	fi
	dd_run setpriv --reuid=65534 --regid=65534 --clear-groups \
		timeout 20 "$nobody_bin" --pid "$DD_PID" --only "$CHECK" -f json
	[ -n "${nobody_dir-}" ] && rm -rf "$nobody_dir"
	dd_jq 'any(.findings[]; .check == $c and .severity == "unknown") and
		all(.findings[]; .check != $c or .severity != "ok")' \
		"$CHECK is unknown (exit $DD_RC)" --arg c "$CHECK"
else
	dd_skip "setpriv not found"
fi

# --- h) stranded threads die with the daemon ---------------------------------

netns_case "h) a stranded thread dies with dockerd"
T=
if lkey=$(sandbox_key "$LC") && [ -n "$lkey" ] && T=$(strand "$lkey"); then
	dd_pass "thread $T stranded in $lkey"
else
	dd_fail "cannot strand a thread"
fi
pid=$DD_PID
dd_harness_stop
if [ ! -e "/proc/$pid" ]; then
	dd_pass "dockerd $pid and its threads are gone"
else
	dd_fail "dockerd $pid still exists after stop"
fi

netns_case
churn_stop kill
dd_summary
status=$?
echo "e2e: total $(($(dd_now_ms) - T0)) ms"
dd_harness_teardown
exit $status
