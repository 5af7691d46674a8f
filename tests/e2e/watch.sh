#!/bin/bash
#
# End-to-end: 'dockerd-doctor watch' catches the seed-000 stranding as it
# happens. A real, isolated dockerd runs with the fault injector preloaded
# (tests/inject/); while watch samples every 200 ms, a daemon thread is
# stranded in a container's namespace while the container lives (judged
# once: a warning, no report), then the container is removed (seed 000's
# sequence). watch must print the transition (thread T entered net:[N]),
# judge the namespace again when its owner goes away, write one JSON report
# with the critical netns.stranded finding, the transitions and the log
# ring (with a marker written to /dev/kmsg and the daemon's own lines), print
# the thread's exit when it is released, and stop cleanly on SIGTERM.
# Needs root and Debian's docker.io.
#
# Exit status (automake): 0 all passed, 1 a case failed, 77 skipped.

# shellcheck disable=SC2016,SC2317
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
# shellcheck source=tests/e2e/lib.sh
. "$top_srcdir/tests/e2e/lib.sh"

DOCTOR=$top_builddir/dockerd-doctor
INJECT_SO=$top_builddir/tests/inject/netns-inject.so
INJECT_CTL=$top_builddir/tests/inject/inject-ctl
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH NO_COLOR

dd_skip_unless_root_and_dockerd
for f in "$DOCTOR" "$INJECT_SO" "$INJECT_CTL"; do
	[ -e "$f" ] || { echo "e2e: '$f' not built" >&2; exit 1; }
done
dd__init_dir || exit 1
WDIR=$DD_DIR/watch
WOUT=$DD_DIR/watch.out
mkdir -p "$WDIR"
WATCH_PID=

ctl() { "$INJECT_CTL" "$DD_DIR/inject.sock" "$@"; }

# Wait up to $2 seconds for a line matching $1 in the watch output.
wait_for() {
	local _
	for _ in $(seq 1 $(($2 * 10))); do
		grep -qE "$1" "$WOUT" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

stop_watch() {
	[ -n "$WATCH_PID" ] && kill -TERM "$WATCH_PID" 2>/dev/null
	[ -n "$WATCH_PID" ] && wait "$WATCH_PID" 2>/dev/null
	WATCH_PID=
}

dd_case "setup: dockerd with the injector, a container on a network"
if dd_harness_start_env LD_PRELOAD="$INJECT_SO" DD_INJECT_SOCK="$DD_DIR/inject.sock" &&
	dd_make_image >/dev/null && dd_make_network ddwatch >/dev/null &&
	C=$(dd_docker run -d --network ddwatch "$DD_IMAGE" sleep 600) &&
	KEY=$(dd_docker inspect -f '{{.NetworkSettings.SandboxKey}}' "$C") &&
	INO=$(stat -L -c %i "$KEY"); then
	dd_pass "container ${C:0:12}, sandbox net:[$INO]"
else
	dd_fail "cannot set up the daemon and a container"
	dd_summary
	exit 1
fi

dd_case "watch runs and sees nothing while the daemon is healthy"
"$DOCTOR" watch --host "$DD_HOST" --pid "$DD_PID" --interval 0.2s --for 300s \
	--dir "$WDIR" >"$WOUT" 2>"$DD_DIR/watch.err" &
WATCH_PID=$!
if wait_for "^watching dockerd \\(pid $DD_PID\\)" 5; then
	dd_pass "watch started: $(head -1 "$WOUT")"
else
	dd_fail "watch did not start: $(cat "$DD_DIR/watch.err")"
fi
sleep 1
if grep -q "entered" "$WOUT"; then
	dd_fail "a transition was printed on a healthy daemon: $(grep entered "$WOUT")"
else
	dd_pass "no transition on a healthy daemon"
fi

dd_case "a thread is stranded while its container lives: one judgement, a warning"
MARK="dockerd-doctor-watch-test-$$-$(date +%s%N)"
echo "$MARK" >/dev/kmsg 2>/dev/null || dd_log "cannot write /dev/kmsg"
reply=$(ctl strand "$KEY")
T=${reply#tid }
case $reply in
"tid "[0-9]*) dd_pass "thread $T stranded in net:[$INO]" ;;
*) dd_fail "cannot strand a thread: $reply" ;;
esac
if wait_for "thread $T \\([^)]*\\) entered net:\\[$INO\\]" 10; then
	dd_pass "watch printed: $(grep -m1 "thread $T " "$WOUT")"
else
	dd_fail "no transition printed for thread $T: $(tr '\n' '|' <"$WOUT")"
fi
# the seed's sequence: the container still lives, so this is not critical
if wait_for "checked \\(a thread stayed in net:\\[$INO\\]\\): warning" 30; then
	dd_pass "watch printed: $(grep -m1 'checked (a thread stayed' "$WOUT")"
else
	dd_fail "no first judgement (warning) while the container lives: $(tr '\n' '|' <"$WOUT")"
fi
if grep -q "report written" "$WOUT"; then
	dd_fail "a report was written while the container lives"
else
	dd_pass "no report while the container lives"
fi

dd_case "the container is removed later: the namespace is judged again, one critical report"
dd_docker rm -f "$C" >/dev/null
if wait_for "critical \\(the owner or the routes of net:\\[$INO\\] went away\\): netns.stranded: .*report written to" 30; then
	dd_pass "watch printed: $(grep -m1 'report written' "$WOUT")"
else
	dd_fail "no critical report after the removal: $(tr '\n' '|' <"$WOUT")"
fi
REPORT=$(ls "$WDIR"/dockerd-doctor-watch-*.json 2>/dev/null | head -1)
if [ -n "$REPORT" ] && cp "$REPORT" "$DD_OUT"; then
	dd_jq '[.findings[] | select(.check == "netns.stranded" and .severity == "critical")] | length >= 1' \
		"the report holds the critical netns.stranded finding"
	dd_jq '[.findings[] | select(.check == "watch.transitions") | .evidence | to_entries[] | .value | tostring | select(test("tid '"$T"' entered net:\\['"$INO"'\\]"))] | length == 1' \
		"the report lists the transition of thread $T"
	dd_jq '[.log[] | select(.source == "dockerd")] | length > 0' \
		"the report carries the daemon's log lines"
	dd_jq '[.log[] | select(.source == "kmsg-user" and (.line | contains("'"$MARK"'")))] | length == 1' \
		"the report carries the /dev/kmsg marker written before the stranding"
	dd_jq '.summary.exit_code == 2' "the report's exit status is critical"
else
	dd_fail "no report file in $WDIR"
fi

dd_case "the thread is released: watch prints its exit"
if ctl release "$T" >/dev/null && wait_for "thread $T exited in net:\\[$INO\\]" 5; then
	dd_pass "watch printed: $(grep -m1 "thread $T exited" "$WOUT")"
else
	dd_fail "no exit printed for thread $T"
fi
n=$(ls "$WDIR" | wc -l)
sleep 1
if [ "$(ls "$WDIR" | wc -l)" = "$n" ]; then
	dd_pass "no further report for the same namespace"
else
	dd_fail "more reports were written: $(ls "$WDIR")"
fi

dd_case "SIGTERM stops watch cleanly, exit 2 after a critical report"
kill -TERM "$WATCH_PID"
wait "$WATCH_PID"
rc=$?
WATCH_PID=
if [ "$rc" = 2 ] && grep -q "^stopped by a signal: .* 1 report written" "$WOUT"; then
	dd_pass "exit $rc: $(tail -1 "$WOUT")"
else
	dd_fail "exit $rc, last line: $(tail -1 "$WOUT")"
fi
if [ -s "$DD_DIR/watch.err" ] && grep -qv "^dockerd-doctor: log rules" "$DD_DIR/watch.err"; then
	dd_log "watch stderr: $(cat "$DD_DIR/watch.err")"
fi

stop_watch
dd_summary
