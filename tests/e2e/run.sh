#!/bin/bash
#
# End-to-end cases for dockerd-doctor against a real, isolated dockerd.
#
# Needs root, Debian's docker.io (dockerd 20.10), busybox-static and jq;
# exits 77 (skipped) without them.  Everything it starts lives under one
# /tmp/ddt.XXXXXX directory and is torn down on exit (see lib.sh).
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
SILENT=$top_builddir/tests/helpers/silent-socket
DAEMON_CHECKS=daemon.process,daemon.api

# The program must only see the daemon address we give it.
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH NO_COLOR

dd_skip_unless_root_and_dockerd
for f in "$DOCTOR" "$SILENT"; do
	if [ ! -x "$f" ]; then
		echo "e2e: '$f' not built (run 'make check')" >&2
		exit 1
	fi
done

T0=$(dd_now_ms)
SS_PID=

# Run the program with a 10 s guard so a hang fails instead of blocking.
doctor() {
	timeout 10 "$DOCTOR" "$@"
}

# Assert the last run finished in under $1 ms.
expect_fast() {
	if [ "$DD_ELAPSED_MS" -lt "$1" ]; then
		dd_pass "finished in $DD_ELAPSED_MS ms (< $1)"
	else
		dd_fail "took $DD_ELAPSED_MS ms (limit $1)"
	fi
}

# jq filter: every finding of the daemon checks is ok or info.
DAEMON_HEALTHY='[.findings[] | select(.check == "daemon.process" or
	.check == "daemon.api") | .severity] | length > 0 and
	all(. == "ok" or . == "info")'

# jq filter: a finding of check $c with severity $s whose summary or detail
# matches regex $re (case-insensitive).
FINDING='any(.findings[]; .check == $c and .severity == $s and
	(((.summary // "") + " " + ((.detail // "") | tostring)) |
	test($re; "i")))'

# Start silent-socket with ARGS... and wait for its "ready" line.
silent_start() {
	local out=$DD_DIR/silent.out _
	: >"$out"
	"$SILENT" "$@" >"$out" 2>&1 &
	SS_PID=$!
	for _ in $(seq 1 50); do
		grep -qx ready "$out" && return 0
		sleep 0.1
	done
	dd_fail "silent-socket $* not ready: $(cat "$out")"
	return 1
}

# Stop the silent-socket we started.
silent_stop() {
	[ -n "$SS_PID" ] || return 0
	kill -TERM "$SS_PID" 2>/dev/null
	wait "$SS_PID" 2>/dev/null
	SS_PID=
}

if ! dd_harness_start; then
	echo "e2e: cannot start a private dockerd" >&2
	exit 1
fi
echo "harness: dockerd pid $DD_PID on $DD_HOST ($(($(dd_now_ms) - T0)) ms)"

# --- a) healthy daemon -------------------------------------------------------

dd_case "a) healthy daemon, --pid given"
dd_expect_exit 0 doctor --host "$DD_HOST" --pid "$DD_PID" --timeout 2.5 \
	--only "$DAEMON_CHECKS" --format json
dd_jq '.schema == "dockerd-doctor/1"' "schema is dockerd-doctor/1"
dd_jq "$DAEMON_HEALTHY" "daemon.process and daemon.api are ok/info"
dd_jq '.daemon.pid == ($pid | tonumber)' ".daemon.pid is $DD_PID" \
	--arg pid "$DD_PID"
dd_jq '.daemon.version | type == "string" and length > 0' \
	".daemon.version is set"
dd_jq '.summary.exit_code == 0 and .summary.worst != null' "summary says 0"
dd_jq 'any(.findings[]; .check == "daemon.process" and
	(.evidence.pid | tostring) == $pid)' "daemon.process evidence pid" \
	--arg pid "$DD_PID"

dd_case "a) healthy daemon, found from the socket (no --pid)"
dd_expect_exit 0 doctor --host "$DD_HOST" --only "$DAEMON_CHECKS" -f json
dd_jq '.daemon.pid == ($pid | tonumber)' ".daemon.pid is $DD_PID" \
	--arg pid "$DD_PID"
dd_jq "$DAEMON_HEALTHY" "daemon.process and daemon.api are ok/info"

dd_case "a) healthy daemon, all checks"
dd_run doctor --host "$DD_HOST" --pid "$DD_PID" --format json
if jq -e . "$DD_OUT" >/dev/null 2>&1; then
	dd_pass "valid JSON"
else
	dd_fail "output is not JSON"
fi
dd_jq '.summary.exit_code == ($rc | tonumber)' \
	"exit status $DD_RC matches .summary.exit_code" --arg rc "$DD_RC"
dd_jq "$DAEMON_HEALTHY" "daemon.process and daemon.api are ok/info"
if [ "$DD_RC" != 0 ]; then
	echo "  note: full run exits $DD_RC; non-daemon findings:"
	jq -r '.findings[] | select(.severity != "ok" and .severity != "info")
		| "    \(.check) \(.severity): \(.summary)"' "$DD_OUT" 2>/dev/null
fi

dd_case "a) the whole run as an unprivileged user: no ok over what it could not read"
cp "$DD_OUT" "$DD_DIR/root.json"
if command -v setpriv >/dev/null 2>&1; then
	# the harness directory is 0700: nobody cannot reach the socket; a clone
	# under /root is out of nobody's reach too, so run a copy
	nobody_dir=$(mktemp -d /tmp/ddn.XXXXXX) && chmod 0755 "$nobody_dir" &&
		cp "$DOCTOR" "$nobody_dir/"
	dd_run setpriv --reuid=65534 --regid=65534 --clear-groups \
		timeout 30 "$nobody_dir/dockerd-doctor" --host "$DD_HOST" \
		--pid "$DD_PID" -f json
	rm -rf "$nobody_dir"
	dd_jq 'any(.findings[]; .check == "logs.patterns" and .severity == "unknown"
		and (.summary | test("could not read|no log source could be read|cannot check the logs")))' \
		"logs.patterns is unknown and says it could not read the log sources"
	dd_jq 'all(.findings[]; .check != "logs.patterns" or .severity != "ok")' \
		"logs.patterns is never ok"
	dd_jq 'any(.findings[]; .check == "dns.resolver" and .severity == "unknown"
		and (.summary | contains("the daemon API")))' \
		"dns.resolver (it rests on the daemon's networks) is unknown, naming the API"
	# every ok left must be one that root sees too, and rest on nothing unread
	dd_jq '[.findings[] | select(.severity == "ok") | .check] - [$root[0].findings[] |
		select(.severity == "ok") | .check] | length == 0' \
		"no check is ok for nobody that is not ok for root" \
		--slurpfile root "$DD_DIR/root.json"
	dd_jq 'all(.findings[]; .severity != "ok" or (.evidence.unread == null))' \
		"no ok finding carries unread inputs"
else
	dd_skip "setpriv not found"
fi

# --- b) formats and -o -------------------------------------------------------

dd_case "b) formats agree on the exit status; -o is atomic; no colour"
rcs=
for fmt in text json nagios prometheus; do
	dd_run doctor --host "$DD_HOST" --pid "$DD_PID" --only "$DAEMON_CHECKS" \
		--format "$fmt"
	rcs="$rcs $fmt=$DD_RC"
	if [ -s "$DD_OUT" ]; then
		dd_pass "$fmt: $(wc -l <"$DD_OUT") lines"
	else
		dd_fail "$fmt: no output"
	fi
	cp "$DD_OUT" "$DD_DIR/report.$fmt"
done
if [ "$rcs" = " text=0 json=0 nagios=0 prometheus=0" ]; then
	dd_pass "all exit 0"
else
	dd_fail "exit statuses differ:$rcs"
fi
if grep -q $'\x1b' "$DD_DIR/report.text"; then
	dd_fail "text output to a file contains escape bytes"
else
	dd_pass "text to a file has no escape bytes"
fi
dd_run doctor --host "$DD_HOST" --only "$DAEMON_CHECKS" --no-color
if grep -q $'\x1b' "$DD_OUT"; then
	dd_fail "--no-color output contains escape bytes"
else
	dd_pass "--no-color has no escape bytes"
fi
if grep -Eq '^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eE]+|NaN' \
	"$DD_DIR/report.prometheus"; then
	dd_pass "prometheus has a sample line"
else
	dd_fail "prometheus output has no sample line"
fi
if head -n 1 "$DD_DIR/report.nagios" | grep -Eq 'OK|WARNING|CRITICAL|UNKNOWN'; then
	dd_pass "nagios status line: $(head -n 1 "$DD_DIR/report.nagios")"
else
	dd_fail "nagios first line has no OK/WARNING/CRITICAL/UNKNOWN"
fi
outdir=$DD_DIR/outdir
mkdir -p "$outdir"
dd_expect_exit 0 doctor --host "$DD_HOST" --pid "$DD_PID" \
	--only "$DAEMON_CHECKS" -f json -o "$outdir/report.json"
if [ -s "$outdir/report.json" ] && jq -e .schema "$outdir/report.json" >/dev/null; then
	dd_pass "-o wrote a JSON report"
else
	dd_fail "-o did not write '$outdir/report.json'"
fi
left=$(find "$outdir" -mindepth 1 ! -name report.json)
if [ -z "$left" ]; then
	dd_pass "no temporary files left beside it"
else
	dd_fail "files left in the output dir: $left"
fi
# Writing over an existing report replaces it.
echo stale >"$outdir/report.json"
dd_expect_exit 0 doctor --host "$DD_HOST" --only "$DAEMON_CHECKS" -f json \
	-o "$outdir/report.json"
if jq -e .schema "$outdir/report.json" >/dev/null 2>&1 &&
	[ "$(find "$outdir" -mindepth 1 | wc -l)" = 1 ]; then
	dd_pass "-o replaces an existing file, nothing left over"
else
	dd_fail "-o over an existing file: $(ls -a "$outdir")"
fi

# --- c) containers running ---------------------------------------------------

dd_case "c) healthy with containers on a user-defined network"
if dd_make_image && dd_make_network ddtest-net &&
	dd_docker run -d --network ddtest-net "$DD_IMAGE" sleep 300 >/dev/null &&
	dd_docker run -d --network ddtest-net "$DD_IMAGE" sleep 300 >/dev/null; then
	dd_pass "two containers running"
	dd_expect_exit 0 doctor --host "$DD_HOST" --pid "$DD_PID" \
		--only "$DAEMON_CHECKS" -f json
	dd_jq "$DAEMON_HEALTHY" "daemon.process and daemon.api are ok/info"
else
	dd_fail "cannot start containers"
fi

# --- h) usage errors and the command set --------------------------------------

# Assert the last run failed with exactly one line on stderr.
expect_usage_error() {
	dd_expect_exit 3 "$@"
	if [ "$(wc -l <"$DD_ERR")" = 1 ]; then
		dd_pass "one line on stderr: $(cat "$DD_ERR")"
	else
		dd_fail "expected one line on stderr, got $(wc -l <"$DD_ERR")"
	fi
}

dd_case "h) usage errors exit 3 with a one-line message"
expect_usage_error doctor --no-such-option
expect_usage_error doctor --only no.such.check
expect_usage_error doctor --skip daemon.api,no.such.check
expect_usage_error doctor --format xml
expect_usage_error doctor --timeout abc
expect_usage_error doctor explain no.such.check

dd_case "h) list, explain, --version, --help"
dd_expect_exit 0 doctor list
if grep -q daemon.process "$DD_OUT" && grep -q daemon.api "$DD_OUT"; then
	dd_pass "list names daemon.process and daemon.api"
else
	dd_fail "list misses a daemon check"
fi
dd_expect_exit 0 doctor explain daemon.api
if [ -s "$DD_OUT" ]; then
	dd_pass "explain prints text"
else
	dd_fail "explain is empty"
fi
dd_expect_exit 0 doctor --version
if [ -s "$DD_OUT" ]; then
	dd_pass "version: $(head -n 1 "$DD_OUT")"
else
	dd_fail "--version prints nothing"
fi
dd_expect_exit 0 doctor --help

# --- e) a socket that accepts and never answers -------------------------------

# Run daemon.api against $1 (timeout 1 s) and expect "unresponsive" quickly.
expect_unresponsive() {
	# --pid: the daemon examined is the harness's, not whatever else runs
	dd_run doctor --host "$1" --pid "$DD_PID" --only daemon.api --timeout 1 -f json
	expect_fast 5000
	if [ "$DD_RC" = 2 ]; then
		dd_pass "exit 2"
	else
		dd_fail "expected exit 2, got $DD_RC"
	fi
	dd_jq "$FINDING" "daemon.api critical mentions 'unresponsive'" \
		--arg c daemon.api --arg s critical --arg re unresponsive
}

dd_case "e) silent UNIX socket"
if silent_start "$DD_DIR/silent.sock" --seconds 30; then
	expect_unresponsive "unix://$DD_DIR/silent.sock"
	silent_stop
fi

dd_case "e) silent TCP socket"
port=$(dd_free_port)
if silent_start --tcp "$port" --seconds 30; then
	expect_unresponsive "tcp://127.0.0.1:$port"
	silent_stop
fi

dd_case "e) sockets that close, send garbage or trickle headers"
for mode in close garbage slow-headers; do
	silent_start "$DD_DIR/$mode.sock" --seconds 30 --mode "$mode" || continue
	dd_run doctor --host "unix://$DD_DIR/$mode.sock" --only daemon.api \
		--timeout 1 -f json
	silent_stop
	expect_fast 5000
	if [ "$DD_RC" = 2 ]; then
		dd_pass "$mode: exit 2"
	else
		dd_fail "$mode: expected exit 2, got $DD_RC"
	fi
	dd_jq "$FINDING" "$mode: daemon.api critical" \
		--arg c daemon.api --arg s critical --arg re .
done

# --- f) bad DOCKER_HOST -------------------------------------------------------

dd_case "f) malformed or dangling DOCKER_HOST"
for host in 'tcp:/bogus' 'foo://x' 'unix:///nonexistent/docker.sock'; do
	dd_run env DOCKER_HOST="$host" timeout 10 "$DOCTOR" \
		--only daemon.api -f json
	if [ "$DD_RC" = 2 ]; then
		dd_pass "DOCKER_HOST='$host': exit 2"
	else
		dd_fail "DOCKER_HOST='$host': expected exit 2, got $DD_RC"
	fi
	case $host in
	unix://*) re='nonexistent/docker\.sock|does not exist|no such|missing|not found' ;;
	*) re='DOCKER_HOST' ;;
	esac
	dd_jq 'any(.findings[]; .check == $c and .severity == $s and
		(.summary | test($re; "i")))' \
		"DOCKER_HOST='$host': critical summary matches /$re/" \
		--arg c daemon.api --arg s critical --arg re "$re"
done

# --- d) /info warnings (restart with an unencrypted TCP listener) -------------

dd_case "d) a daemon that is starting (tcp:// without TLS) is not hung"
port=$(dd_free_port)
dd_harness_stop
log_start=$(wc -l <"$DD_DIR/dockerd.log" 2>/dev/null || echo 0)
rm -f "$DD_PIDFILE"
dockerd --data-root "$DD_DIR/data" --exec-root "$DD_EXECROOT" \
	--pidfile "$DD_PIDFILE" -H "$DD_HOST" -H "tcp://127.0.0.1:$port" \
	--bridge=none --iptables=false >>"$DD_DIR/dockerd.log" 2>&1 </dev/null &
DD_PID=$!
export DD_PID
# freeze it in the middle of its start (after its TCP warning, before it
# serves): deterministic however fast or loaded the machine is
midway=
for _ in $(seq 1 300); do
	if tail -n +"$((log_start + 1))" "$DD_DIR/dockerd.log" |
		grep -q 'Binding to an IP address, even on localhost'; then
		midway=1
		break
	fi
	sleep 0.1
done
if [ -n "$midway" ] && kill -STOP "$DD_PID"; then
	dd_run doctor --host "$DD_HOST" --pid "$DD_PID" --timeout 1 \
		--only daemon.api -f json
	kill -CONT "$DD_PID"
	dd_jq "$FINDING" "daemon.api says it is still starting" \
		--arg c daemon.api --arg s warning --arg re 'still starting'
	dd_jq 'all(.findings[]; .severity != "critical" or
		(.summary | startswith("the Docker API listens on tcp://")))' \
		"no critical 'hung' finding while it starts (exit $DD_RC)"
	dd_jq "$FINDING" "its tcp:// host without TLS is critical already" \
		--arg c daemon.api --arg s critical \
		--arg re "tcp://127\\.0\\.0\\.1:$port without TLS"
	dd_jq 'any(.findings[]; .check == "daemon.api" and
		(.detail | contains("API listen on")))' \
		"the detail says what it has not logged yet"
else
	dd_fail "the daemon did not log its TCP warning: $(tail -n 5 "$DD_DIR/dockerd.log")"
	kill -CONT "$DD_PID" 2>/dev/null
fi
ready=
for _ in $(seq 1 600); do
	if timeout 5 docker -H "$DD_HOST" version >/dev/null 2>&1; then
		ready=1
		break
	fi
	sleep 0.1
done

dd_case "d) daemon warnings from /info; tcp:// host"
if [ -n "$ready" ]; then
	dd_pass "restarted with -H tcp://127.0.0.1:$port (pid $DD_PID)"
	dd_expect_exit 2 doctor --host "$DD_HOST" --pid "$DD_PID" \
		--only "$DAEMON_CHECKS" -f json
	dd_jq "$FINDING" "daemon.api critical names tcp://127.0.0.1:$port" \
		--arg c daemon.api --arg s critical \
		--arg re "tcp://127\\.0\\.0\\.1:$port without TLS, on loopback only"
	dd_jq 'any(.findings[]; .check == "daemon.api" and .severity == "critical" and
		(.evidence.daemon_warning // "" | contains("without encryption")))' \
		"the daemon's own warning is evidence of it"
	dd_jq '[.findings[] | select(((.summary + " " + (.detail // "")) |
		test("without encryption|without TLS")))] | length == 1' \
		"one finding, not the daemon's warning again"
	dd_jq '.summary.worst == "critical" and .summary.exit_code == 2' \
		"summary is critical"
	dd_expect_exit 2 doctor --host "tcp://127.0.0.1:$port" --pid "$DD_PID" \
		--only "$DAEMON_CHECKS" -f json
	dd_jq '.daemon.version | type == "string" and length > 0' \
		"tcp:// reaches the daemon"
	dd_jq '.daemon.pid == ($pid | tonumber)' ".daemon.pid is $DD_PID" \
		--arg pid "$DD_PID"
	dd_jq "$FINDING" "tcp: critical names tcp://127.0.0.1:$port" \
		--arg c daemon.api --arg s critical \
		--arg re "tcp://127\\.0\\.0\\.1:$port without TLS"
else
	dd_fail "cannot restart the harness daemon"
fi

# --- g) daemon stopped --------------------------------------------------------

dd_case "g) daemon stopped"
dd_harness_stop
dd_run doctor --host "$DD_HOST" --pid "$DD_PID" -f json
expect_fast 5000
if [ "$DD_RC" = 2 ]; then
	dd_pass "exit 2"
else
	dd_fail "expected exit 2, got $DD_RC"
fi
dd_jq 'any(.findings[]; .check == "daemon.process" and .severity == "critical")' \
	"daemon.process critical"
dd_jq 'any(.findings[]; .check == "daemon.api" and .severity == "critical")' \
	"daemon.api critical"

dd_summary
status=$?
echo "e2e: total $(($(dd_now_ms) - T0)) ms"
dd_harness_teardown
exit $status
