#!/bin/bash
#
# bench-run.sh BINARY - time dockerd-doctor against 'docker info'.
#
# Starts a private dockerd (tests/e2e/lib.sh) with three running containers,
# then measures side by side, in one run:
#   (i)  BINARY --host $DD_HOST --pid $DD_PID   (all checks, output discarded)
#   (ii) docker -H $DD_HOST info                (first docker client on PATH)
# Wall time with hyperfine (3 warm-ups, 30 runs, no shell); peak RSS with
# /usr/bin/time -v, the median of 5 runs.  Results go to $BENCH_RESULTS
# (default bench/results/ in the source tree).  Needs root.

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$top/tests/e2e/lib.sh"

RUNS=${BENCH_RUNS:-30}
WARMUP=${BENCH_WARMUP:-3}
RSS_RUNS=5

die() {
	echo "bench: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: bench-run.sh BINARY"
bin=$(realpath -e "$1" 2>/dev/null) || die "cannot find '$1'"
[ -x "$bin" ] || die "'$bin' is not executable"
command -v hyperfine >/dev/null || die "'hyperfine' not found (apt-get install hyperfine)"
[ -x /usr/bin/time ] || die "'/usr/bin/time' not found (apt-get install time)"
docker=$(command -v docker) || die "'docker' client not found"
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

doctor_cmd="$bin --host $DD_HOST --pid $DD_PID"
docker_cmd="$docker -H $DD_HOST info"

# Both must work before we time them (the doctor may exit 1 or 2 on findings).
"$bin" --host "$DD_HOST" --pid "$DD_PID" >/dev/null 2>&1
[ $? -le 2 ] || die "'$doctor_cmd' failed"
"$docker" -H "$DD_HOST" info >/dev/null 2>&1 || die "'$docker_cmd' failed"

echo "bench: dockerd $(dd_docker version -f '{{.Server.Version}}'), client $("$docker" version -f '{{.Client.Version}}' 2>/dev/null), 3 containers"
hyperfine -N -i --warmup "$WARMUP" --runs "$RUNS" \
	--export-json "$results/hyperfine.json" \
	--export-markdown "$results/hyperfine.md" \
	-n dockerd-doctor "$doctor_cmd" \
	-n "docker info" "$docker_cmd" || die "hyperfine failed"

# Print the median peak RSS (KiB) of $RSS_RUNS runs of CMD....
median_rss() {
	local out=$DD_DIR/time.out _
	for _ in $(seq 1 "$RSS_RUNS"); do
		/usr/bin/time -v -o "$out" "$@" >/dev/null 2>&1
		awk -F': ' '/Maximum resident set size/ { print $2 }' "$out"
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

rss_doctor=$(median_rss "$bin" --host "$DD_HOST" --pid "$DD_PID")
rss_docker=$(median_rss "$docker" -H "$DD_HOST" info)
if [ -z "$rss_doctor" ] || [ -z "$rss_docker" ]; then
	die "cannot measure RSS"
fi

read -r mean_doctor sd_doctor mean_docker sd_docker < <(jq -r \
	'[.results[0].mean, .results[0].stddev, .results[1].mean,
	  .results[1].stddev] | map(. * 1000) | @tsv' "$results/hyperfine.json")

{
	printf '%-16s %10s %10s %14s\n' command "mean ms" "stddev ms" "peak RSS KiB"
	printf '%-16s %10.1f %10.1f %14d\n' dockerd-doctor "$mean_doctor" \
		"$sd_doctor" "$rss_doctor"
	printf '%-16s %10.1f %10.1f %14d\n' "docker info" "$mean_docker" \
		"$sd_docker" "$rss_docker"
	awk -v a="$mean_doctor" -v b="$mean_docker" -v c="$rss_doctor" \
		-v d="$rss_docker" 'BEGIN {
		printf "ratio doctor/docker: time %.2fx, peak RSS %.2fx\n",
			a / b, c / d }'
} | tee "$results/summary.txt"
echo "bench: results in $results"

dd_harness_teardown
