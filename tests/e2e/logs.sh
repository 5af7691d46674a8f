#!/bin/bash
#
# End-to-end cases for the log sources of the log ring (src/log/logsrc.c),
# through tests/helpers/logsrc-dump (logsrc_discover + logsrc_load, then
# logsrc_follow until its stdin closes; it prints the sources and the ring
# as tab-separated records: "source NAME KIND WHERE WHY ERR LINES LOST
# ERROR", "followed N", "line SOURCE TIME_US LEVEL TEXT").
#
#  1. The harness dockerd (20.10, its stdout and stderr on
#     $DD_DIR/dockerd.log): the file is found through /proc/PID/fd/1 and 2
#     (containerd, started by dockerd, shares them), its startup lines are
#     read with source dockerd and their logrus levels, and a line dockerd
#     writes later (SIGUSR1: "goroutine stacks written to ...") is followed.
#  2. /dev/kmsg: a marker written to the kernel log is read back with
#     source kmsg-user (user space wrote it: never a kernel event, never
#     under source kernel) and a time within seconds of now, in the backlog and
#     while following; as an unprivileged user with kernel.dmesg_restrict=1
#     the source is in error and says why.
#  3. A file followed through appends, a partial line, a rotation (mv and
#     a new file) and a copytruncate.
#  4. A real journal written by systemd-journal-remote under a --sysroot
#     tree: docker.service and containerd.service entries, levels from the
#     message or PRIORITY, and a new journal file followed.
#
# Needs root (exits 77 otherwise); part 1 also dockerd, containerd, runc
# and docker (Debian's docker.io), part 4 systemd-journal-remote. Writes
# one marker line into the kernel log; everything else lives under one
# /tmp/ddt.XXXXXX directory, torn down on exit.
#
# Exit status (automake): 0 all passed, 1 a case failed, 77 skipped.

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"

# shellcheck source=tests/e2e/lib.sh
. "$top_srcdir/tests/e2e/lib.sh"

DUMP=$top_builddir/tests/helpers/logsrc-dump
JREMOTE=/lib/systemd/systemd-journal-remote

if [ "$(id -u)" != 0 ]; then
	echo "e2e: skipped: needs root (/proc/PID/fd of dockerd, /dev/kmsg)" >&2
	exit 77
fi
if [ ! -x "$DUMP" ]; then
	echo "e2e: '$DUMP' not built (run 'make check')" >&2
	exit 1
fi
dd__init_dir || exit 1

# Microseconds since the epoch.
now_us() {
	date +%s%6N
}

# A logrus text line stamped now.
logrus_line() {
	printf 'time="%s" level=%s msg="%s"\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" "$1" "$2"
}

# Fields of the dump's records in $DD_OUT (or $1).
lines_of() { # SOURCE
	awk -F'\t' -v s="$1" '$1 == "line" && $2 == s' "${2:-$DD_OUT}"
}
source_of() { # NAME KIND
	awk -F'\t' -v n="$1" -v k="$2" '$1 == "source" && $2 == n && $3 == k' \
		"${3:-$DD_OUT}"
}

# Run the dump in the background with --follow; stdin is a FIFO held by
# fd 3 until follow_end closes it.
FOLLOW_PID=
follow_start() { # OUT ARGS...
	local out=$1
	shift
	rm -f "$DD_DIR/ctl"
	mkfifo "$DD_DIR/ctl" || return 1
	"$DUMP" --follow "$@" <"$DD_DIR/ctl" >"$out" 2>"$out.err" &
	FOLLOW_PID=$!
	exec 3>"$DD_DIR/ctl"
	sleep 0.5
}
follow_end() {
	exec 3>&-
	wait "$FOLLOW_PID"
	FOLLOW_RC=$?
	FOLLOW_PID=
}

# --- 1. the harness dockerd ----------------------------------------------------

have_dockerd=yes
for cmd in dockerd containerd runc docker; do
	command -v "$cmd" >/dev/null 2>&1 || have_dockerd=no
done

dd_case "dockerd's log through /proc/PID/fd/1 and 2"
if [ "$have_dockerd" = no ]; then
	dd_skip "dockerd, containerd, runc or docker not installed"
elif ! dd_harness_start; then
	dd_fail "the harness dockerd did not start"
else
	started=$(now_us)
	# containerd is dockerd's child and writes to dockerd's stdout/stderr
	cpid=
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = containerd ] || continue
		stat=$(cat "$p/stat" 2>/dev/null) || continue
		read -r -a f <<<"${stat##*) }"
		[ "${f[1]}" = "$DD_PID" ] && cpid=${p#/proc/} && break
	done
	before=$(wc -l <"$DD_DIR/dockerd.log")
	dd_run "$DUMP" --dockerd-pid "$DD_PID" ${cpid:+--containerd-pid "$cpid"} \
		--since 600 --lines 100000
	after=$(wc -l <"$DD_DIR/dockerd.log")
	if [ "$DD_RC" != 0 ]; then
		dd_fail "logsrc-dump exited $DD_RC"
	fi
	src=$(source_of dockerd file)
	IFS=$'\t' read -r _ _ _ where why err _ <<<"$src"
	if [ "${where-}" = "$DD_DIR/dockerd.log" ] && [ "${err-}" = 0 ]; then
		dd_pass "one file source for dockerd: $where"
	else
		dd_fail "no dockerd source on $DD_DIR/dockerd.log: '$src'"
	fi
	want="dockerd fd 1 and 2"
	[ -n "$cpid" ] && want="$want; containerd fd 1 and 2"
	if [ "${why-}" = "$want" ]; then
		dd_pass "chosen as '$why'"
	else
		dd_fail "why is '${why-}', want '$want'"
	fi
	if [ "$(source_of containerd file | wc -l)" = 0 ]; then
		dd_pass "containerd's identical fds make no second source"
	else
		dd_fail "a separate containerd source"
	fi
	n=$(lines_of dockerd | wc -l)
	if [ "$n" -ge "$before" ] && [ "$n" -le "$after" ] && [ "$n" -gt 0 ]; then
		dd_pass "every line of dockerd.log is in the ring ($n)"
	else
		dd_fail "$n dockerd lines in the ring, the file has $before..$after"
	fi
	if lines_of dockerd | awk -F'\t' '$4 == "info" && $5 ~ /msg="Starting up"/' | grep -q .; then
		dd_pass "dockerd's 'Starting up' with level info"
	else
		dd_fail "no 'Starting up' line at level info"
	fi
	if lines_of dockerd | awk -F'\t' -v s="$DD_SOCK" '$4 == "info" && index($5, "API listen on " s)' | grep -q .; then
		dd_pass "'API listen on $DD_SOCK' at level info"
	else
		dd_fail "no 'API listen on' line"
	fi
	# each line's level is the one logrus wrote
	bad=$(lines_of dockerd | awk -F'\t' '
		match($5, /level=[a-z]+/) {
			l = substr($5, RSTART + 6, RLENGTH - 6)
			if (l == "warn") l = "warning"
			if (l == "panic") l = "fatal"
			if (l != $4) print
		}')
	if [ -z "$bad" ]; then
		dd_pass "every line's level matches its level= field"
	else
		dd_fail "levels differ: $(echo "$bad" | head -3)"
	fi
	# the time is the logrus time: within the run
	ts=$(lines_of dockerd | awk -F'\t' '$5 ~ /msg="Starting up"/ { print $3; exit }')
	if [ -n "$ts" ] && [ $((ts - (started - 60000000))) -gt 0 ] && [ "$ts" -le "$(now_us)" ]; then
		dd_pass "'Starting up' is stamped with its own time"
	else
		dd_fail "'Starting up' time '$ts' outside the run"
	fi

	dd_case "dockerd's log followed: a line written on SIGUSR1"
	follow_start "$DD_DIR/f1.out" --dockerd-pid "$DD_PID" --since 600
	kill -USR1 "$DD_PID"
	for _ in $(seq 1 50); do
		grep -q "goroutine stacks written" "$DD_DIR/dockerd.log" && break
		sleep 0.1
	done
	sleep 0.5
	follow_end
	if grep -q "^followed" "$DD_DIR/f1.out" &&
		lines_of dockerd "$DD_DIR/f1.out" | awk -F'\t' '$4 == "info" && $5 ~ /goroutine stacks written to/' | grep -q .; then
		dd_pass "the new line was followed, level info"
	else
		dd_fail "the SIGUSR1 line was not followed: $(tail -3 "$DD_DIR/f1.out")"
	fi
	dd_harness_stop
fi

# --- 2. the kernel log --------------------------------------------------------------

dd_case "/dev/kmsg: a marker user space wrote is read back as kmsg-user, not kernel"
marker="dockerd-doctor-test-$$-$RANDOM-marker"
t0=$(now_us)
if ! echo "$marker" >/dev/kmsg 2>/dev/null; then
	dd_skip "cannot write to /dev/kmsg here"
else
	dd_run "$DUMP" --source kmsg --since 60 --lines 100000
	rec=$(lines_of kmsg-user | grep -F "$marker" | head -1)
	IFS=$'\t' read -r _ _ ts level text <<<"$rec"
	if [ "${text-}" = "$marker" ]; then
		dd_pass "the marker is in the ring as written"
	else
		dd_fail "no marker line (source kmsg-user): '$rec'"
	fi
	if lines_of kernel | grep -qF "$marker"; then
		dd_fail "the marker (written from user space) is under source kernel"
	else
		dd_pass "not under source kernel: user space cannot forge a kernel event"
	fi
	d=$(( ${ts:-0} - t0 ))
	if [ "${d#-}" -le 3000000 ]; then
		dd_pass "its time is within 3 s of the write (${d} us)"
	else
		dd_fail "its time is off by ${d} us"
	fi
	if [ -n "${level-}" ] && [ "$level" != unknown ]; then
		dd_pass "level from the record's priority: $level"
	else
		dd_fail "no level"
	fi

	dd_case "/dev/kmsg followed: a second marker"
	follow_start "$DD_DIR/k.out" --source kmsg --since 5
	echo "$marker-2" >/dev/kmsg
	sleep 0.5
	follow_end
	if grep -q "^followed" "$DD_DIR/k.out" &&
		lines_of kmsg-user "$DD_DIR/k.out" | awk -F'\t' -v m="$marker-2" '$5 == m' | grep -q .; then
		dd_pass "the new record was followed (poll on /dev/kmsg)"
	else
		dd_fail "the second marker was not followed"
	fi
fi

dd_case "/dev/kmsg unreadable for an unprivileged user: a clear reason"
restrict=$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null)
if ! command -v setpriv >/dev/null 2>&1; then
	dd_skip "no setpriv"
elif [ "$restrict" != 1 ]; then
	dd_skip "kernel.dmesg_restrict is '$restrict': anyone may read"
else
	dd_run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$DUMP" --source kmsg
	src=$(source_of kernel kmsg)
	if [ "$DD_RC" = 0 ] && [[ $src == *"cannot read /dev/kmsg: Operation not permitted (kernel.dmesg_restrict=1: reading the kernel log needs CAP_SYSLOG"* ]]; then
		dd_pass "the source names /dev/kmsg, the sysctl and CAP_SYSLOG"
	else
		dd_fail "unexpected: '$src'"
	fi
	if [ "$(grep -c '^line' "$DD_OUT")" = 0 ]; then
		dd_pass "no lines"
	else
		dd_fail "lines read without permission"
	fi
fi

# --- 3. following a file: appends, partial line, rotation, copytruncate -----

dd_case "a file followed through rotation and truncation"
L=$DD_DIR/logs
mkdir -p "$L"
logrus_line info "before start" >"$L/app.log"
follow_start "$DD_DIR/f3.out" --source "file:$L/app.log=app" --since 60
logrus_line warning "appended one" >>"$L/app.log"
line=$(logrus_line error "partial then completed")
printf '%s' "${line:0:30}" >>"$L/app.log"
sleep 0.4
printf '%s\n' "${line:30}" >>"$L/app.log"
sleep 0.4
printf 'last line of the old file\n' >>"$L/app.log"
mv "$L/app.log" "$L/app.log.1"
sleep 0.4
logrus_line info "first of the new file" >"$L/app.log"
sleep 0.4
logrus_line info "second of the new file, long enough to be cut" >>"$L/app.log"
sleep 0.4
# copytruncate: the same inode, shorter
: >"$L/app.log"
logrus_line info "after truncate" >>"$L/app.log"
sleep 0.5
follow_end
if [ "$FOLLOW_RC" = 0 ]; then
	dd_pass "logsrc-dump exited 0"
else
	dd_fail "logsrc-dump exited $FOLLOW_RC: $(cat "$DD_DIR/f3.out.err")"
fi
for want in "info:before start" "warning:appended one" \
	"error:partial then completed" "unknown:last line of the old file" \
	"info:first of the new file" "info:second of the new file" \
	"info:after truncate"; do
	lvl=${want%%:*} msg=${want#*:}
	c=$(lines_of app "$DD_DIR/f3.out" | awk -F'\t' -v l="$lvl" -v m="$msg" '$4 == l && index($5, m)' | wc -l)
	if [ "$c" = 1 ]; then
		dd_pass "'$msg' once, level $lvl"
	else
		dd_fail "'$msg' at level $lvl seen $c times"
	fi
done
if [ "$(lines_of app "$DD_DIR/f3.out" | wc -l)" = 7 ]; then
	dd_pass "nothing else (no duplicate after rotation or truncation)"
else
	dd_fail "$(lines_of app "$DD_DIR/f3.out" | wc -l) lines, want 7"
fi
if [ "$(grep -c '^followed' "$DD_DIR/f3.out")" -ge 4 ]; then
	dd_pass "followed in several steps"
else
	dd_fail "too few follow steps: $(grep -c '^followed' "$DD_DIR/f3.out")"
fi

# --- 4. a real journal under a sysroot ---------------------------------------------

dd_case "the journal: files written by systemd-journal-remote"
if [ ! -x "$JREMOTE" ]; then
	dd_skip "no $JREMOTE (systemd-journal-remote)"
else
	R=$DD_DIR/jroot
	J=$R/var/log/journal/0123456789abcdef0123456789abcdef
	mkdir -p "$J"
	# journal export format: one entry per paragraph
	entry() { # TIME_US UNIT PRIORITY MESSAGE
		# one boot's entries are ordered by their monotonic time
		printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n' \
			"$1" $(($1 - 1600000000000000))
		printf '_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=ddtest\n'
		printf '_SYSTEMD_UNIT=%s\nPRIORITY=%s\nMESSAGE=%s\n\n' "$2" "$3" "$4"
	}
	now=$(now_us)
	{
		entry $((now - 3600000000)) docker.service 6 'time="x" level=info msg="an hour ago"'
		entry $((now - 30000000)) docker.service 6 "$(logrus_line info 'Starting up' | tr -d '\n')"
		entry $((now - 20000000)) docker.service 6 "$(logrus_line error 'failed to start daemon' | tr -d '\n')"
		entry $((now - 10000000)) containerd.service 4 "plain containerd warning"
		entry $((now - 5000000)) cron.service 6 "not ours"
	} >"$DD_DIR/a.export"
	if ! "$JREMOTE" -o "$J/a.journal" - <"$DD_DIR/a.export" >/dev/null 2>&1; then
		dd_skip "systemd-journal-remote cannot write journal files here"
	else
		dd_run "$DUMP" --sysroot "$R" --since 600
		if source_of dockerd journal | grep -q $'\tjournal:docker.service\tdocker.service has entries in the journal\t0\t'; then
			dd_pass "docker.service chosen from the journal"
		else
			dd_fail "no dockerd journal source: $(grep ^source "$DD_OUT")"
		fi
		if source_of containerd journal | grep -q $'\tjournal:containerd.service\t'; then
			dd_pass "containerd.service chosen from the journal"
		else
			dd_fail "no containerd journal source"
		fi
		if [ "$(lines_of dockerd | wc -l)" = 2 ] &&
			lines_of dockerd | awk -F'\t' '$4 == "error" && $5 ~ /failed to start daemon/' | grep -q .; then
			dd_pass "dockerd: the two entries in the window, level from the message"
		else
			dd_fail "dockerd lines: $(lines_of dockerd)"
		fi
		if lines_of containerd | awk -F'\t' '$4 == "warning" && $5 == "plain containerd warning"' | grep -q .; then
			dd_pass "containerd: level from PRIORITY=4"
		else
			dd_fail "containerd lines: $(lines_of containerd)"
		fi
		if ! grep -q "not ours" "$DD_OUT"; then
			dd_pass "other units are not read"
		else
			dd_fail "cron.service read"
		fi
		ts=$(lines_of containerd | cut -f3)
		if [ "$ts" = $((now - 10000000)) ]; then
			dd_pass "the entry's __REALTIME_TIMESTAMP is the line's time"
		else
			dd_fail "time '$ts', want $((now - 10000000))"
		fi

		dd_case "the journal followed: a new journal file"
		follow_start "$DD_DIR/j.out" --sysroot "$R" --since 600
		entry "$(now_us)" docker.service 3 "a new entry" >"$DD_DIR/b.export"
		"$JREMOTE" -o "$J/b.journal" - <"$DD_DIR/b.export" >/dev/null 2>&1
		sleep 0.5
		follow_end
		if grep -q "^followed" "$DD_DIR/j.out" &&
			lines_of dockerd "$DD_DIR/j.out" | awk -F'\t' '$4 == "error" && $5 == "a new entry"' | grep -q .; then
			dd_pass "the new entry was followed, level from PRIORITY=3"
		else
			dd_fail "not followed: $(grep -v '^line' "$DD_DIR/j.out")"
		fi
	fi
fi

dd_summary
