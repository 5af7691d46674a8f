#!/bin/bash
#
# End-to-end: config.daemon-json against a real, isolated dockerd started
# with --config-file. A healthy file is accepted; a broken one and SIGHUP
# leave dockerd running with its old configuration (one finding says so
# and that a restart will fail); after 'hosts' is added to
# the file (the harness passes -H, as systemd passes -H fd://) the check
# must predict that the next restart fails -- and a real restart must
# fail with dockerd's own message. Needs root and Debian's docker.io.
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
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH NO_COLOR

dd_skip_unless_root_and_dockerd
[ -x "$DOCTOR" ] || { echo "e2e: '$DOCTOR' not built" >&2; exit 1; }

dd__init_dir || exit 1
CFG=$DD_DIR/daemon.json
printf '{\n  "log-level": "info",\n  "live-restore": true\n}\n' >"$CFG"

doctor() {
	timeout 20 "$DOCTOR" --host "$DD_HOST" --pid "$DD_PID" \
		--only config.daemon-json "$@"
}

dd_case "healthy file given with --config-file"
if ! dd_harness_start --config-file "$CFG"; then
	dd_fail "the harness dockerd did not start with a valid file"
else
	dd_expect_exit 0 doctor -f json
	dd_jq '.findings[] | select(.check == "config.daemon-json" and .severity == "ok") | .summary | contains("accepts")' \
		"ok: dockerd accepts the file"
	dd_jq '.findings[0].evidence.docker_version == "20.10"' \
		"the running daemon's version picks the rules"
fi

dd_case "a broken file and SIGHUP: dockerd keeps running with its old configuration"
if dd__alive "$DD_PID"; then
	log_lines=$(wc -l <"$DD_DIR/dockerd.log")
	printf '{\n  "log-level": "info",\n  "live-restore": true,\n' >"$CFG"
	kill -HUP "$DD_PID"
	# wait on the condition: the reload error in its log (bounded)
	reloaded=
	for _ in $(seq 1 300); do
		if tail -n +"$((log_lines + 1))" "$DD_DIR/dockerd.log" |
			grep -q 'unable to configure the Docker daemon with file'; then
			reloaded=1
			break
		fi
		dd__alive "$DD_PID" || break
		sleep 0.1
	done
	if [ -n "$reloaded" ]; then
		dd_pass "dockerd logged: $(tail -n +"$((log_lines + 1))" "$DD_DIR/dockerd.log" | grep -o 'unable to configure[^"]*' | head -1 | cut -c1-120)"
	else
		dd_fail "no reload error in the log: $(tail -n 5 "$DD_DIR/dockerd.log")"
	fi
	if dd__alive "$DD_PID" && timeout 10 docker -H "$DD_HOST" version \
		--format '{{.Server.Version}}' >/dev/null 2>&1; then
		dd_pass "dockerd (pid $DD_PID) still runs and answers after the reload"
	else
		dd_fail "dockerd stopped or does not answer after SIGHUP"
	fi
	dd_expect_exit 2 doctor -f json
	dd_jq '[.findings[] | select(.severity == "critical") | .summary] | any(contains("is not valid JSON"))' \
		"critical: the file is not valid JSON"
	dd_jq '[.findings[] | select(((.summary + " " + (.detail // "")) | test("reload|restart"; "i")))] | length == 1' \
		"one finding about the running daemon, not two"
	dd_jq '[.findings[] | select(.severity == "critical") | .summary] | any(contains("a reload keeps it running with its old configuration") and contains("the next restart will fail"))' \
		"it says a reload keeps it running and a restart will fail"
	dd_jq '[.findings[] | .detail // ""] | any(contains("logs the error"))' \
		"it says the reload logs the error"
else
	dd_fail "the harness dockerd is not running"
fi

dd_case "the file gains 'hosts': the next restart is predicted to fail"
printf '{\n  "log-level": "info",\n  "hosts": ["tcp://127.0.0.1:1"]\n}\n' >"$CFG"
dd_expect_exit 2 doctor -f json
dd_jq '[.findings[] | select(.severity == "critical") | .summary] | any(contains("'"'"'hosts'"'"' is set both"))' \
	"critical: hosts is set both in the file and as a flag"
dd_jq '[.findings[] | select(.severity == "critical") | .summary] | any(contains("the next restart will fail"))' \
	"critical: the next restart will fail"
dd_jq '[.findings[] | .evidence.flag_value // empty] | any(contains("'"$DD_SOCK"'"))' \
	"the flag value names the harness socket"

dd_case "config check agrees offline"
dd_expect_exit 2 timeout 20 "$DOCTOR" config check --docker-version 20.10 \
	--flags "--data-root $DD_DIR/data -H $DD_HOST --config-file $CFG" "$CFG"

dd_case "and the real dockerd does refuse to restart"
dd_harness_stop
if dd_harness_start --config-file "$CFG" 2>/dev/null; then
	dd_fail "dockerd restarted although the check said it would not"
else
	if grep -q "specified both as a flag and in the configuration file" \
		"$DD_DIR/dockerd.log"; then
		dd_pass "dockerd refused: $(grep -o 'the following directives are specified both[^"]*' "$DD_DIR/dockerd.log" | head -1 | cut -c1-100)"
	else
		dd_fail "dockerd failed to start, but not with the conflict message"
	fi
fi

dd_summary
