# shellcheck shell=bash
#
# End-to-end harness: a real, isolated dockerd for dockerd-doctor's tests.
#
# Source this file from bash.  dd_harness_start starts a private dockerd
# (own data-root, exec-root, pidfile and UNIX socket under one temporary
# directory, no bridge, no iptables) and installs a trap that always tears it
# down.  The harness only ever touches processes, mounts and interfaces it
# created itself: a process is ours when its command line names our directory
# or it runs in the cgroup of one of our containers; a mount is ours when it
# lies under our directory; a bridge is ours when we created its network.
#
# Exported after dd_harness_start:
#   DD_DIR       the private directory (/tmp/ddt.XXXXXX, short on purpose:
#                containerd's socket lives under the exec-root and UNIX socket
#                paths are limited to 107 bytes)
#   DD_SOCK      the daemon's UNIX socket; DD_HOST is unix://$DD_SOCK
#   DD_PID       the daemon's pid; DD_PIDFILE its pidfile
#   DD_EXECROOT  the daemon's exec-root
#
# Assertions: dd_case NAME starts a case; dd_pass/dd_fail/dd_skip MESSAGE
# record results; dd_run CMD... runs a command capturing its output into
# $DD_OUT and $DD_ERR, its status into $DD_RC and its wall time into
# $DD_ELAPSED_MS; dd_expect_exit N CMD... does the same and asserts the
# status; dd_jq EXPR MESSAGE asserts 'jq -e EXPR' on $DD_OUT; dd_summary
# prints "e2e: N passed, M failed, K skipped" and returns 1 if any failed.

# dockerd, containerd and runc live in sbin on Debian.
case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH="$PATH:/usr/sbin:/sbin" ;;
esac
export PATH

DD_IMAGE=ddtest/busybox:latest
DD_START_DEADLINE=${DD_START_DEADLINE:-30}
DD_STOP_DEADLINE=${DD_STOP_DEADLINE:-20}

DD_DIR=${DD_DIR-}
DD_PID=${DD_PID-}
DD__TORN_DOWN=0
DD__CASE=
DD__CASE_STATE=
DD__PASSED=0
DD__FAILED=0
DD__SKIPPED=0
DD__FAILED_NAMES=()

# --- small utilities ---------------------------------------------------------

# Print a harness message on stderr.
dd_log() {
	printf 'e2e: %s\n' "$*" >&2
}

# Milliseconds from the monotonic-enough wall clock.
dd_now_ms() {
	local ns
	ns=$(date +%s%N)
	echo $((ns / 1000000))
}

# Succeed if pid $1 exists and is not a zombie.
dd__alive() {
	local pid=$1 stat
	[ -n "$pid" ] || return 1
	stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# Succeed if pid $1's command line names our directory (so it is ours).
dd__is_ours() {
	local pid=$1 args=()
	[ -n "$DD_DIR" ] || return 1
	mapfile -d '' args 2>/dev/null <"/proc/$pid/cmdline" || return 1
	[[ "${args[*]}" == *"$DD_DIR/"* ]]
}

# Print a TCP port on 127.0.0.1 that nothing listens on.
dd_free_port() {
	local port used _
	used=$(awk 'NR > 1 && $4 == "0A" { split($2, a, ":"); print a[2] }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null)
	for _ in $(seq 1 200); do
		port=$((20000 + RANDOM % 40000))
		if ! printf '%s\n' "$used" | grep -qix "$(printf '%04X' "$port")"; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

# Exit 77 (automake "skipped") unless we are root and have what we need.
dd_skip_unless_root_and_dockerd() {
	local cmd bb
	if [ "$(id -u)" != 0 ]; then
		echo "e2e: skipped: needs root to run a private dockerd" >&2
		exit 77
	fi
	for cmd in dockerd containerd runc docker jq; do
		if ! command -v "$cmd" >/dev/null 2>&1; then
			echo "e2e: skipped: '$cmd' not found (install docker.io and jq)" >&2
			exit 77
		fi
	done
	bb=$(dd__busybox) || {
		echo "e2e: skipped: no static busybox (install busybox-static)" >&2
		exit 77
	}
	: "$bb"
}

# Print the path of a statically linked busybox, or fail.
dd__busybox() {
	local bb
	for bb in /bin/busybox /usr/bin/busybox "$(command -v busybox 2>/dev/null)"; do
		[ -n "$bb" ] && [ -x "$bb" ] && [ ! -d "$bb" ] || continue
		# The image has no libc: a dynamic busybox would not run in it.
		if ! LC_ALL=C ldd "$bb" >/dev/null 2>&1; then
			echo "$bb"
			return 0
		fi
	done
	return 1
}

# --- the daemon --------------------------------------------------------------

# Run the docker client against the harness daemon.
dd_docker() {
	docker -H "$DD_HOST" "$@"
}

# Make the private directory (once) and install the teardown trap.
dd__init_dir() {
	[ -n "$DD_DIR" ] && [ -d "$DD_DIR" ] && return 0
	DD_DIR=$(mktemp -d /tmp/ddt.XXXXXX) || return 1
	DD__TORN_DOWN=0
	DD_SOCK=$DD_DIR/docker.sock
	DD_HOST=unix://$DD_SOCK
	DD_PIDFILE=$DD_DIR/dockerd.pid
	DD_EXECROOT=$DD_DIR/exec
	DD_OUT=$DD_DIR/last.out
	DD_ERR=$DD_DIR/last.err
	export DD_DIR DD_SOCK DD_HOST DD_PIDFILE DD_EXECROOT
	trap 'dd_harness_teardown' EXIT
	trap 'dd__on_signal 130' INT
	trap 'dd__on_signal 143' TERM
}

# Tear down and exit on INT/TERM.
dd__on_signal() {
	trap - EXIT INT TERM
	dd_log "interrupted, tearing down"
	dd_harness_teardown
	exit "$1"
}

# Print the tail of the daemon log.
dd__log_tail() {
	echo "--- dockerd log (tail) ---" >&2
	tail -n 30 "$DD_DIR/dockerd.log" >&2 2>/dev/null
	echo "--------------------------" >&2
}

# Start (or restart after dd_harness_stop) the harness daemon.
dd_harness_start() {
	local deadline
	dd__init_dir || return 1
	if dd__alive "$DD_PID"; then
		dd_log "harness daemon already running (pid $DD_PID)"
		return 1
	fi
	rm -f "$DD_PIDFILE"
	dockerd --data-root "$DD_DIR/data" --exec-root "$DD_EXECROOT" \
		--pidfile "$DD_PIDFILE" -H "$DD_HOST" \
		--bridge=none --iptables=false "$@" \
		>>"$DD_DIR/dockerd.log" 2>&1 </dev/null &
	DD_PID=$!
	export DD_PID
	deadline=$(($(dd_now_ms) + DD_START_DEADLINE * 1000))
	while [ "$(dd_now_ms)" -lt "$deadline" ]; do
		if ! dd__alive "$DD_PID"; then
			dd_log "dockerd exited during startup"
			wait "$DD_PID" 2>/dev/null
			dd__log_tail
			return 1
		fi
		if [ -s "$DD_PIDFILE" ] && [ -S "$DD_SOCK" ] &&
			timeout 5 docker -H "$DD_HOST" version \
				--format '{{.Server.Version}}' >/dev/null 2>&1; then
			if [ "$(cat "$DD_PIDFILE")" != "$DD_PID" ]; then
				dd_log "pidfile says $(cat "$DD_PIDFILE"), started $DD_PID"
				dd__log_tail
				return 1
			fi
			return 0
		fi
		sleep 0.2
	done
	dd_log "dockerd not ready after ${DD_START_DEADLINE}s"
	dd__log_tail
	return 1
}

# Kill running containers (fast: our images' pid 1 ignores SIGTERM).
dd__kill_containers() {
	local ids
	dd__alive "$DD_PID" || return 0
	ids=$(timeout 10 docker -H "$DD_HOST" ps -q 2>/dev/null)
	[ -n "$ids" ] || return 0
	# shellcheck disable=SC2086
	timeout 20 docker -H "$DD_HOST" kill $ids >/dev/null 2>&1
}

# Stop the harness daemon but keep its directory (for "daemon down" cases).
dd_harness_stop() {
	local deadline
	[ -n "$DD_PID" ] || return 0
	if dd__alive "$DD_PID" && ! dd__is_ours "$DD_PID"; then
		dd_log "pid $DD_PID is not our dockerd, not stopping it"
		return 1
	fi
	dd__kill_containers
	if dd__alive "$DD_PID"; then
		kill -TERM "$DD_PID" 2>/dev/null
		deadline=$(($(dd_now_ms) + DD_STOP_DEADLINE * 1000))
		while dd__alive "$DD_PID" && [ "$(dd_now_ms)" -lt "$deadline" ]; do
			sleep 0.1
		done
		if dd__alive "$DD_PID"; then
			dd_log "dockerd did not stop in ${DD_STOP_DEADLINE}s, killing it"
			kill -KILL "$DD_PID" 2>/dev/null
			sleep 0.2
		fi
	fi
	# Reap it if it is our child; harmless otherwise.
	wait "$DD_PID" 2>/dev/null
	dd__kill_leftovers
	return 0
}

# Print ids of containers the harness daemon has created.
dd__container_ids() {
	local d
	for d in "$DD_DIR"/data/containers/*/; do
		[ -d "$d" ] || continue
		d=${d%/}
		echo "${d##*/}"
	done
}

# Print pids of leftover processes of ours: containerd, shims, containers.
dd__leftover_pids() {
	local ids p pid id lines=()
	mapfile -t ids < <(dd__container_ids)
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] && continue
		if dd__is_ours "$pid"; then
			echo "$pid"
			continue
		fi
		[ "${#ids[@]}" -gt 0 ] || continue
		mapfile -t lines 2>/dev/null <"$p/cgroup" || continue
		for id in "${ids[@]}"; do
			if [[ "${lines[*]}" == *"$id"* ]]; then
				echo "$pid"
				break
			fi
		done
	done
}

# Kill containerd, shims and container processes of ours that survived.
dd__kill_leftovers() {
	local pids _
	pids=$(dd__leftover_pids)
	[ -n "$pids" ] || return 0
	# shellcheck disable=SC2086
	kill -TERM $pids 2>/dev/null
	# Container init processes ignore SIGTERM: do not wait long for them.
	for _ in $(seq 1 10); do
		sleep 0.1
		pids=$(dd__leftover_pids)
		[ -n "$pids" ] || return 0
	done
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null
	sleep 0.2
}

# Print mount points under our directory, deepest first.
dd__our_mounts() {
	[ -n "$DD_DIR" ] || return 0
	awk -v dir="$DD_DIR/" '
		{ m = $5; gsub(/\\040/, " ", m)
		  if (substr(m, 1, length(dir)) == dir || m == substr(dir, 1, length(dir) - 1))
			print length(m) "\t" m }' /proc/self/mountinfo |
		sort -rn | cut -f2-
}

# Unmount everything under our directory (overlay, netns, bind mounts).
dd__unmount_all() {
	local m _
	for _ in 1 2 3 4 5; do
		[ -n "$(dd__our_mounts)" ] || return 0
		while IFS= read -r m; do
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
		done < <(dd__our_mounts)
	done
	[ -z "$(dd__our_mounts)" ]
}

# Delete bridges of networks we created (they outlive a killed daemon).
dd__delete_bridges() {
	local id
	[ -f "$DD_DIR/networks" ] || return 0
	while IFS= read -r id; do
		[ -n "$id" ] || continue
		if ip link show "br-${id:0:12}" >/dev/null 2>&1; then
			ip link delete "br-${id:0:12}" 2>/dev/null
		fi
	done <"$DD_DIR/networks"
}

# Remove our networks through the daemon while it still runs.
dd__remove_networks() {
	local id
	[ -f "$DD_DIR/networks" ] && dd__alive "$DD_PID" || return 0
	while IFS= read -r id; do
		# shellcheck disable=SC2046
		timeout 10 docker -H "$DD_HOST" rm -f $(timeout 10 docker -H \
			"$DD_HOST" ps -aq --filter "network=$id" 2>/dev/null) \
			>/dev/null 2>&1
		timeout 10 docker -H "$DD_HOST" network rm "$id" >/dev/null 2>&1
	done <"$DD_DIR/networks"
}

# Stop everything and remove the directory; idempotent, safe if dockerd died.
dd_harness_teardown() {
	[ "$DD__TORN_DOWN" = 1 ] && return 0
	[ -n "$DD_DIR" ] && [ -d "$DD_DIR" ] || return 0
	DD__TORN_DOWN=1
	dd__kill_containers
	dd__remove_networks
	dd_harness_stop
	dd__kill_leftovers
	dd__delete_bridges
	if ! dd__unmount_all; then
		dd_log "cannot unmount, leaving '$DD_DIR':"
		dd__our_mounts >&2
		return 1
	fi
	rm -rf --one-file-system "$DD_DIR"
	DD_DIR=
	DD_PID=
	return 0
}

# Create a user-defined network and remember it for teardown.
dd_make_network() {
	local name=$1 id
	id=$(dd_docker network inspect -f '{{.Id}}' "$name" 2>/dev/null) ||
		id=$(dd_docker network create "$name") || return 1
	grep -qx "$id" "$DD_DIR/networks" 2>/dev/null ||
		echo "$id" >>"$DD_DIR/networks"
}

# Make ddtest/busybox:latest from the static busybox (idempotent).
dd_make_image() {
	local img bb applet
	dd_docker image inspect "$DD_IMAGE" >/dev/null 2>&1 && return 0
	bb=$(dd__busybox) || return 1
	img=$DD_DIR/img
	rm -rf "$img"
	mkdir -p "$img/bin" "$img/tmp" "$img/etc" || return 1
	cp "$bb" "$img/bin/busybox" || return 1
	for applet in $("$bb" --list 2>/dev/null) sh sleep true; do
		[ "$applet" = busybox ] && continue
		ln -sf busybox "$img/bin/$applet"
	done
	tar -C "$img" -c . | dd_docker import - "$DD_IMAGE" >/dev/null || return 1
	rm -rf "$img"
}

# --- assertions --------------------------------------------------------------

# Close the current case and count it.
dd__case_end() {
	[ -n "$DD__CASE" ] || return 0
	case $DD__CASE_STATE in
	fail)
		DD__FAILED=$((DD__FAILED + 1))
		DD__FAILED_NAMES+=("$DD__CASE")
		echo "FAIL: $DD__CASE"
		;;
	skip)
		DD__SKIPPED=$((DD__SKIPPED + 1))
		echo "SKIP: $DD__CASE"
		;;
	*)
		DD__PASSED=$((DD__PASSED + 1))
		echo "PASS: $DD__CASE"
		;;
	esac
	DD__CASE=
}

# Start case $1 (closing the previous one).
dd_case() {
	dd__case_end
	DD__CASE=$1
	DD__CASE_STATE=pass
	echo "=== $1"
}

# Record a passed assertion.
dd_pass() {
	echo "  ok: $*"
}

# Record a failed assertion and show the last command's output.
dd_fail() {
	DD__CASE_STATE=fail
	echo "  not ok: $*"
	if [ -n "${DD_LAST_CMD-}" ]; then
		echo "    command: $DD_LAST_CMD"
		echo "    exit: $DD_RC, ${DD_ELAPSED_MS} ms"
		echo "    --- stdout ---"
		head -c 4000 "$DD_OUT" 2>/dev/null | sed 's/^/    /'
		echo "    --- stderr ---"
		head -c 2000 "$DD_ERR" 2>/dev/null | sed 's/^/    /'
		DD_LAST_CMD=
	fi
	return 1
}

# Mark the current case skipped (unless it already failed).
dd_skip() {
	[ "$DD__CASE_STATE" = fail ] || DD__CASE_STATE=skip
	echo "  skip: $*"
}

# Run CMD... capturing stdout/stderr/status/wall time; never fails itself.
dd_run() {
	local t0
	dd__init_dir || return 1
	DD_LAST_CMD=$*
	t0=$(dd_now_ms)
	"$@" >"$DD_OUT" 2>"$DD_ERR" </dev/null
	DD_RC=$?
	DD_ELAPSED_MS=$(($(dd_now_ms) - t0))
	return 0
}

# Run CMD... and assert that it exits with status N.
dd_expect_exit() {
	local want=$1
	shift
	dd_run "$@"
	if [ "$DD_RC" = "$want" ]; then
		dd_pass "exit $want: $*"
	else
		dd_fail "expected exit $want, got $DD_RC: $*"
	fi
}

# Assert 'jq -e EXPR' on the last command's stdout; extra args go to jq.
dd_jq() {
	local expr=$1 msg=$2
	shift 2
	# jq -e exits 0 on empty input: no output is a failure, not a pass
	if ! [ -s "$DD_OUT" ]; then
		dd_fail "$msg (no output)"
		return 1
	fi
	if jq -e "$@" "$expr" "$DD_OUT" >/dev/null 2>&1; then
		dd_pass "$msg"
	else
		dd_fail "$msg (jq: $expr)"
	fi
}

# Print the totals; return 1 if any case failed.
dd_summary() {
	dd__case_end
	if [ "$DD__FAILED" -gt 0 ]; then
		echo "failed cases:"
		printf '  %s\n' "${DD__FAILED_NAMES[@]}"
	fi
	echo "e2e: $DD__PASSED passed, $DD__FAILED failed, $DD__SKIPPED skipped"
	[ "$DD__FAILED" -eq 0 ]
}

# --- extra environment for the daemon -----------------------------------------

# Start the harness daemon with extra environment variables that only dockerd
# (and so its children) sees: dd_harness_start_env NAME=VALUE... [--] [ARGS...]
# (ARGS go to dockerd as in dd_harness_start).  A wrapper in $DD_DIR/bin
# exec()s the real dockerd, so $DD_PID is still dockerd's pid and its
# command line still names our directory.
dd_harness_start_env() {
	local real wrap vars=()
	while [ $# -gt 0 ] && [[ $1 == [A-Za-z_]*=* ]]; do
		vars+=("$1")
		shift
	done
	[ "${1-}" = -- ] && shift
	dd__init_dir || return 1
	real=$(PATH=${PATH//"$DD_DIR/bin:"/} command -v dockerd) || {
		dd_log "dockerd not found"
		return 1
	}
	wrap=$DD_DIR/bin/dockerd
	mkdir -p "$DD_DIR/bin" || return 1
	{
		printf '#!/bin/bash\nexec env'
		[ "${#vars[@]}" -eq 0 ] || printf ' %q' "${vars[@]}"
		printf ' %q "$@"\n' "$real"
	} >"$wrap" && chmod 0755 "$wrap" || return 1
	PATH="$DD_DIR/bin:$PATH" dd_harness_start "$@"
}
