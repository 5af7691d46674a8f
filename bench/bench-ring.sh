#!/bin/bash
#
# bench-ring.sh BINARY - ingest rate and peak memory of the log ring.
#
# BINARY is bench/bench-ring (bench/bench-ring.c linked with libdoctor.a).
# Every run is pinned to one CPU (taskset, when present) and measured twice
# over: by the program itself (wall and CPU time of the ingest loop,
# getrusage ru_maxrss before the ring exists and at the end) and by
# /usr/bin/time -v (whole process). Runs:
#   - 10 million lines (BENCH_RING_LINES) into rings of several sizes,
#     1% of the lines carrying a secret to redact;
#   - the 8 MiB ring again with 1 million lines: peak RSS must not move;
#   - the 8 MiB ring with the secrets replaced by plain text ("clean"),
#     and logring_redact() timed alone: what redaction costs.
# Results go to $BENCH_RESULTS/ring.txt (default bench/results/); the raw
# output of every run to $BENCH_RESULTS/ring-raw.txt. No root needed.

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)

LINES=${BENCH_RING_LINES:-10000000}
# ring sizes: bytes:lines (4 MiB/20000 is what dockerd-doctor uses)
SIZES=${BENCH_RING_SIZES:-"1048576:5000 4194304:20000 8388608:50000 33554432:200000"}

die() {
	echo "bench: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: bench-ring.sh BINARY"
bin=$(realpath -e "$1" 2>/dev/null) || die "cannot find '$1'"
[ -x "$bin" ] || die "'$bin' is not executable"
[ -x /usr/bin/time ] || die "'/usr/bin/time' not found (apt-get install time)"

results=${BENCH_RESULTS:-$top/bench/results}
mkdir -p "$results" || die "cannot create '$results'"
out=$results/ring.txt
raw=$results/ring-raw.txt

pin=()
if command -v taskset >/dev/null; then
	# the first CPU this shell may run on
	cpu=$(taskset -pc $$ 2>/dev/null | sed 's/.*: *//; s/[-,].*//')
	[ -n "$cpu" ] && pin=(taskset -c "$cpu")
fi

tmp=$(mktemp -d) || die "cannot make a temporary directory"
trap 'rm -rf "$tmp"' EXIT

: >"$raw"
rows=()

# run NAME ARGS...: one measured run; appends a row to the table
run() {
	local name=$1 res rss elapsed
	shift
	if ! /usr/bin/time -v -o "$tmp/time" "${pin[@]}" "$bin" "$@" \
		>"$tmp/out" 2>&1; then
		cat "$tmp/out" >&2
		die "'$bin $*' failed"
	fi
	{
		echo "== $name: ${pin[*]} $(basename "$bin") $*"
		cat "$tmp/out"
		grep -E 'Maximum resident|Elapsed \(wall' "$tmp/time"
		echo
	} >>"$raw"
	res=$(grep '^RESULT ' "$tmp/out") || die "no RESULT line from '$bin $*'"
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
	elapsed=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time")
	rows+=("$name $res time_v_rss_kib=$rss time_v_elapsed=$elapsed")
	echo "bench: $name: $(grep -E '^(rate|peak rss):' "$tmp/out" | tr -s ' ' | paste -sd ';')" >&2
}

for s in $SIZES; do
	b=${s%%:*}
	l=${s##*:}
	run "ring-$((b / 1048576))MiB" -n "$LINES" -b "$b" -l "$l"
done
run "ring-8MiB-1M-lines" -n 1000000 -b 8388608 -l 50000
run "ring-8MiB-clean" -n "$LINES" -b 8388608 -l 50000 --clean
"${pin[@]}" "$bin" --redact-only -n 5000000 >"$tmp/redact" 2>&1 ||
	die "'$bin --redact-only' failed"
{
	echo "== redact-only"
	cat "$tmp/redact"
} >>"$raw"

# field NAME ROW: the value of NAME=... in a row
field() {
	sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"
}

{
	echo "# log ring: ingest rate (one core) and peak memory"
	echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm)," \
		"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
		"pinned: ${pin[*]:-no}"
	echo "# lines: logrus/kernel mix, ~200 bytes on average, 0.5% long" \
		"(1-6 KB), 1% with a secret (clean: none); sources dockerd" \
		"(weight 4, 90% of the lines), containerd (2, 7%), kernel (2, 3%)"
	echo "# base = ru_maxrss before the ring exists (pool of sample lines," \
		"libc); ring = peak - base"
	echo
	printf '%-20s %6s %9s %9s %7s %8s %9s %8s %9s %8s %10s\n' run mode \
		ring_MiB ring_lines lines_M "Mlines/s" ns/line base_KiB \
		peak_KiB ring_KiB "ring/conf"
	for r in "${rows[@]}"; do
		name=${r%% *}
		rb=$(field ring_bytes "$r")
		base=$(field base_rss_kib "$r")
		peak=$(field peak_rss_kib "$r")
		awk -v name="$name" -v mode="$(field mode "$r")" -v rb="$rb" \
			-v rl="$(field ring_lines "$r")" -v n="$(field lines "$r")" \
			-v lps="$(field lines_per_s "$r")" \
			-v ns="$(field ns_per_line "$r")" -v base="$base" \
			-v peak="$peak" 'BEGIN {
			printf "%-20s %6s %9.1f %9d %7.1f %8.2f %9.1f %8d %9d %8d %9.2fx\n",
				name, mode, rb / 1048576, rl, n / 1e6, lps / 1e6, ns,
				base, peak, peak - base, (peak - base) * 1024 / rb
		}'
	done
	echo
	echo "# /usr/bin/time -v (whole process)"
	for r in "${rows[@]}"; do
		printf '%-20s max RSS %6s KiB, elapsed %s\n' "${r%% *}" \
			"$(field time_v_rss_kib "$r")" "$(field time_v_elapsed "$r")"
	done
	echo
	echo "# logring_redact() alone, 5M lines each"
	cat "$tmp/redact"
} >"$out"
cat "$out"
