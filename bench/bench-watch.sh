#!/bin/bash
#
# bench-watch.sh BINARY - the CPU cost of one 'watch' interval on a process
# with 1,000 threads, and its memory over time.
#
# Starts bench/netns-fixture with 1,000 threads spread over 10 network
# namespaces (all owned, so nothing is critical: this is the steady state,
# every thread outside the process's own namespace, the worst case for the
# per-interval comparison). Runs 'watch --process PID --interval 50ms' for a
# short and a long time and takes the difference of user+system CPU time
# (/usr/bin/time), so start-up (the log backlog, the first full check run
# per namespace) cancels out: CPU per interval = (CPU(long) - CPU(short)) /
# (intervals(long) - intervals(short)). Peak RSS of both runs shows whether
# memory grows with time. Runs with the log sources on (the default) and
# off. Results go to $BENCH_RESULTS (default bench/results/). Needs root.

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
THREADS=${BENCH_WATCH_THREADS:-1000}
SHORT=${BENCH_WATCH_SHORT:-2}
LONG=${BENCH_WATCH_LONG:-12}
INTERVAL_MS=50

die() {
	echo "bench: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: bench-watch.sh BINARY"
bin=$(realpath -e "$1" 2>/dev/null) || die "cannot find '$1'"
[ "$(id -u)" = 0 ] || die "needs root (the fixture makes network namespaces)"
[ -x /usr/bin/time ] || die "'/usr/bin/time' not found (apt-get install time)"
results=${BENCH_RESULTS:-$top/bench/results}
mkdir -p "$results" || die "cannot create '$results'"

tmp=$(mktemp -d /tmp/ddbw.XXXXXX) || die "mktemp"
fixture_pid=
cleanup() {
	[ -n "$fixture_pid" ] && kill -TERM "$fixture_pid" 2>/dev/null
	[ -n "$fixture_pid" ] && wait "$fixture_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

cc -std=gnu11 -O2 -Wall -Wextra -o "$tmp/netns-fixture" \
	"$here/netns-fixture.c" -lpthread || die "cannot build the fixture"
mkfifo "$tmp/ctl"
"$tmp/netns-fixture" --threads "$THREADS" --namespaces 10 --owned-percent 100 \
	<"$tmp/ctl" >"$tmp/ready" 2>"$tmp/fixture.err" &
fixture_pid=$!
exec 9>"$tmp/ctl"
for _ in $(seq 1 100); do
	grep -q '^ready' "$tmp/ready" 2>/dev/null && break
	sleep 0.1
done
grep -q '^ready' "$tmp/ready" || die "fixture not ready: $(cat "$tmp/fixture.err")"
# the pid the fixture reports (its threads), not the shell's idea of it
target=$(sed -n 's/^ready pid=\([0-9]*\).*/\1/p' "$tmp/ready")
[ "$(ls "/proc/$target/task" | wc -l)" -ge "$THREADS" ] ||
	die "fixture pid $target does not have $THREADS threads"

# Print "CPU_SECONDS MAX_RSS_KIB SAMPLES" of one watch run of $1 seconds.
run_watch() {
	local secs=$1 logs=$2 out=$tmp/watch.out
	/usr/bin/time -f '%U %S %M' -o "$tmp/time" \
		"$bin" watch --process "$target" --interval "${INTERVAL_MS}ms" \
		--for "${secs}s" --dir "$tmp" $logs >"$out" 2>/dev/null
	read -r u s m < <(tail -1 "$tmp/time")
	samples=$(sed -n 's/^stopped: \([0-9]*\) samples.*/\1/p' "$out")
	echo "$u $s $m ${samples:-0}"
}

{
	echo "watch: $THREADS threads in 10 namespaces, interval ${INTERVAL_MS} ms, runs of ${SHORT} s and ${LONG} s"
	printf '%-10s %14s %14s %16s %16s\n' logs "CPU/interval" "% of a core" "RSS short KiB" "RSS long KiB"
	for logs in on off; do
		flag=
		[ "$logs" = off ] && flag="--log-source none"
		read -r u1 s1 m1 n1 < <(run_watch "$SHORT" "$flag")
		read -r u2 s2 m2 n2 < <(run_watch "$LONG" "$flag")
		awk -v u1="$u1" -v s1="$s1" -v u2="$u2" -v s2="$s2" -v n1="$n1" \
			-v n2="$n2" -v m1="$m1" -v m2="$m2" -v l="$logs" -v iv="$INTERVAL_MS" 'BEGIN {
			per = (u2 + s2 - u1 - s1) / (n2 - n1)
			printf "%-10s %11.3f ms %13.2f%% %16d %16d\n", l, per * 1000,
				per * 100 / (iv / 1000), m1, m2 }'
	done
} | tee "$results/watch.txt"
echo "bench: results in $results"
