#!/bin/bash
#
# bench-host.sh BINARY - what the host networking and kernel checks cost.
#
# Starts a private dockerd (tests/e2e/lib.sh) with three containers on a
# user-defined network, then times in one hyperfine run (3 warm-ups,
# 30 runs, no shell):
#   all        the default run (every check)
#   without    the default run with the seven host checks skipped
#   host only  only the seven host checks
#   baseline   only daemon.api (start-up, /proc scan, the API's /_ping and
#              /info, which most checks read, rendering)
#   each host check alone
# The cost of the host checks in a default run is "all - without"; the cost
# of one check is "that check alone - baseline". Results go to
# $BENCH_RESULTS (default bench/results/). Needs root.

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$top/tests/e2e/lib.sh"

RUNS=${BENCH_RUNS:-30}
WARMUP=${BENCH_WARMUP:-3}
HOST_CHECKS=dns.resolver,net.forwarding,net.iface-managers,kernel.version,kernel.config,kernel.swap-limit,kernel.cgroups

die() {
	echo "bench: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: bench-host.sh BINARY"
bin=$(realpath -e "$1" 2>/dev/null) || die "cannot find '$1'"
command -v hyperfine >/dev/null || die "'hyperfine' not found (apt-get install hyperfine)"
dd_skip_unless_root_and_dockerd

results=${BENCH_RESULTS:-$top/bench/results}
mkdir -p "$results" || die "cannot create '$results'"

# shellcheck disable=SC2119 # no extra dockerd arguments
dd_harness_start || die "cannot start a private dockerd"
dd_make_image || die "cannot make the test image"
dd_make_network ddtest-net || die "cannot create a network"
for i in 1 2 3; do
	dd_docker run -d --name "bench$i" --network ddtest-net "$DD_IMAGE" \
		sleep 3600 >/dev/null || die "cannot start a container"
done

base="$bin --host $DD_HOST --pid $DD_PID"
args=(-n all "$base"
	-n without "$base --skip $HOST_CHECKS"
	-n "host only" "$base --only $HOST_CHECKS"
	-n baseline "$base --only daemon.api")
for c in ${HOST_CHECKS//,/ }; do
	args+=(-n "$c" "$base --only $c")
done

hyperfine -N -i --warmup "$WARMUP" --runs "$RUNS" \
	--export-json "$results/hyperfine-host.json" \
	--export-markdown "$results/hyperfine-host.md" \
	"${args[@]}" >/dev/null || die "hyperfine failed"

jq -r '
	(.results | map({key: .command, value: (.mean * 1000)}) | from_entries) as $m
	| def r2: (. * 100 | round) / 100;
	"command\tmean ms\tstddev ms",
	(.results[] | "\(.command)\t\(.mean * 1000 | r2)\t\(.stddev * 1000 | r2)"),
	"host checks in a default run (all - without): \(($m.all - $m.without) | r2) ms",
	(.results[4:][] | "  \(.command) alone - baseline: \((.mean * 1000 - $m.baseline) | r2) ms")
' "$results/hyperfine-host.json" | column -t -s "$(printf '\t')" | tee "$results/summary-host.txt"
# In-process: the runner's per-check wall time (JSON "timings"), the
# mean of $RUNS default runs. Less noisy than differences of whole runs.
for _ in $(seq 1 "$RUNS"); do
	$base -f json 2>/dev/null | jq -c '.timings'
done | jq -s -r --arg host "$HOST_CHECKS" '
	($host | split(",")) as $h
	| (.[0] | keys_unsorted) as $ids
	| [ $ids[] as $id | {id: $id, ms: (map(.[$id]) | add / length * 1000)} ] as $t
	| "check\tmean ms in a default run",
	  ($t[] | "\(.id)\t\(.ms * 1000 | round / 1000)"),
	  "the seven host checks together\t\([$t[] | select(.id as $i | $h | index($i)) | .ms] | add * 1000 | round / 1000)"
' | column -t -s "$(printf '\t')" | tee "$results/timings-host.txt"
echo "bench: results in $results"

dd_harness_teardown
