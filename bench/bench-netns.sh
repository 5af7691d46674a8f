#!/bin/bash
#
# bench-netns.sh TOOL_BINARY - time the netns.stranded check against the
# manual method, on a fixture process with stale network namespaces.
#
# For each size THREADS/NAMESPACES (default 100/10 1000/100 10000/1000;
# BENCH_NETNS_SIZES overrides), starts bench/netns-fixture (10% of the
# namespaces owned by a child process, 20% with routes), checks its layout
# from /proc, then measures side by side:
#   (i)  TOOL_BINARY --only netns.stranded --process PID --sample-delay 0
#        -f json   (10 runs; once more with the default sample delay)
#   (ii) the manual method: 'ls -l /proc/PID/task/*/ns/net', then
#        'nsenter --net=... ip route' for each namespace that differs from
#        the main thread's   (10 runs, 3 at 10,000 threads or more)
# Wall time with hyperfine (1 warm-up, no shell); peak RSS with
# /usr/bin/time -v (the median of 3 runs for the tool, 1 for the manual
# method; for the manual method it is the largest single process of the
# pipeline, as wait4() reports it).  The tool's JSON report is checked
# against the fixture's layout: every stale namespace reported (one by one or
# in the "N more namespaces" finding), no owned one reported as stranded,
# thread counts and routes right.
#
# Until TOOL_BINARY lists netns.stranded, only the fixture is checked and the
# manual method timed.  FIXTURE=path uses a prebuilt fixture instead of
# building bench/netns-fixture.c.  Results go to $BENCH_RESULTS (default
# bench/results/ in the source tree) as netns-*.  Needs root.

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)

SIZES=${BENCH_NETNS_SIZES:-"100/10 1000/100 10000/1000"}
OWNED_PERCENT=10
ROUTES_PERCENT=20
TOOL_RUNS=10
MANUAL_RUNS=10
MANUAL_RUNS_BIG=3 # at 10,000 threads or more
RSS_RUNS=3

die() {
	echo "bench: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: bench-netns.sh TOOL_BINARY"
tool=$(realpath -e "$1" 2>/dev/null) || die "cannot find '$1'"
[ -x "$tool" ] || die "'$tool' is not executable"
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, nsenter)"
for c in hyperfine jq nsenter ip; do
	command -v "$c" >/dev/null || die "'$c' not found"
done
[ -x /usr/bin/time ] || die "'/usr/bin/time' not found (apt-get install time)"

results=${BENCH_RESULTS:-$top/bench/results}
mkdir -p "$results" || die "cannot create '$results'"
tmp=$(mktemp -d /tmp/bench-netns.XXXXXX) || die "cannot make a temp dir"

fixture_pid=
owner_pids=()

# Stop the fixture and check that it and its owner children are gone.
fixture_stop() {
	local p

	[ -n "$fixture_pid" ] || return 0
	kill -TERM "$fixture_pid" 2>/dev/null
	wait "$fixture_pid" 2>/dev/null
	for p in "$fixture_pid" "${owner_pids[@]}"; do
		if kill -0 "$p" 2>/dev/null; then
			echo "bench: process $p still running, killing it" >&2
			kill -KILL "$p" 2>/dev/null
		fi
	done
	fixture_pid=
	owner_pids=()
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	fixture_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

if [ -n "${FIXTURE:-}" ]; then
	fixture=$(realpath -e "$FIXTURE" 2>/dev/null) || die "cannot find '$FIXTURE'"
else
	fixture=$tmp/netns-fixture
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -Wmissing-prototypes \
		-Wstrict-prototypes -o "$fixture" "$here/netns-fixture.c" \
		-lpthread || die "cannot build the fixture"
fi

# The seed's manual method, as one command hyperfine can run.
cat >"$tmp/manual.sh" <<'EOF'
#!/bin/bash
# manual.sh PID - list every thread's network namespace, then show the routes
# of each namespace the main thread is not in, through one thread in it.
pid=$1
declare -A first
main=
while read -r path ns; do
	tid=${path#/proc/"$pid"/task/}
	tid=${tid%%/*}
	[ "$tid" = "$pid" ] && main=$ns
	[ -n "${first[$ns]:-}" ] || first[$ns]=$tid
done < <(LC_ALL=C ls -l /proc/"$pid"/task/*/ns/net |
	awk '{ print $(NF - 2), $NF }')
for ns in "${!first[@]}"; do
	[ "$ns" = "$main" ] && continue
	echo "== $ns (thread ${first[$ns]})"
	nsenter --net=/proc/"$pid"/task/"${first[$ns]}"/ns/net ip route
done
EOF

have_check=no
if "$tool" list 2>/dev/null | grep -q '^netns\.stranded[[:space:]]'; then
	have_check=yes
fi

# Start the fixture with THREADS NAMESPACES; wait for its ready line.
fixture_start() {
	local line log=$results/netns-$1-fixture.log

	coproc FIX { exec "$fixture" --threads "$1" --namespaces "$2" \
		--owned-percent "$OWNED_PERCENT" \
		--routes-percent "$ROUTES_PERCENT" 2>"$log"; }
	fixture_pid=$FIX_PID
	if ! read -r -t 600 line <&"${FIX[0]}"; then
		cat "$log" >&2
		die "the fixture ($1 threads, $2 namespaces) did not get ready"
	fi
	[ "$line" = "ready pid=$fixture_pid threads=$1 namespaces=$2" ] ||
		die "unexpected line from the fixture: '$line'"
	mapfile -t owner_pids < <(pgrep -P "$fixture_pid")
}

# Write the layout "ino threads first_tid owned routed" of the fixture's
# namespaces (the main thread's excluded) to $tmp/layout; check it against
# THREADS NAMESPACES; print one line saying whether it is right.
fixture_check() {
	local n=$1 m=$2 pid=$fixture_pid main self q r bad=
	local want_owned=$((m * OWNED_PERCENT / 100))
	local want_routed=$((m * ROUTES_PERCENT / 100))

	main=$(readlink "/proc/$pid/task/$pid/ns/net" | tr -dc 0-9)
	self=$(readlink /proc/self/ns/net | tr -dc 0-9)
	[ "$main" = "$self" ] || bad+=" main-thread-moved"
	find "/proc/$pid/task" -mindepth 3 -maxdepth 3 -path '*/ns/net' \
		-printf '%p %l\n' | awk -F'[/ ]' '{ gsub(/[^0-9]/, "", $8);
		n[$8]++; if (!($8 in t)) t[$8] = $5 }
		END { for (i in n) print i, n[i], t[i] }' |
		sort -n >"$tmp/threads"
	[ "$(awk -v m="$main" '$1 == m { print $2 }' "$tmp/threads")" = 1 ] ||
		bad+=" main-namespace-not-1-thread"
	for p in "${owner_pids[@]}"; do
		[ "$(cat "/proc/$p/comm")" = netns-owner ] || bad+=" owner-$p-comm"
	done
	for p in "${owner_pids[@]}"; do
		readlink "/proc/$p/ns/net" | tr -dc 0-9
		echo
	done | sort -n >"$tmp/owned"
	awk -v m="$main" '$1 != m' "$tmp/threads" |
		while read -r ino cnt tid; do
			own=0
			grep -qx "$ino" "$tmp/owned" && own=1
			rt=$(nsenter --net="/proc/$pid/task/$tid/ns/net" \
				ip -4 route show 2>/dev/null | wc -l)
			echo "$ino $cnt $tid $own $((rt > 0))"
		done >"$tmp/layout"
	q=$(((n - 1) / m))
	r=$(((n - 1) % m))
	[ "$(wc -l <"$tmp/layout")" = "$m" ] || bad+=" namespace-count"
	[ "$(awk -v q=$((q + 1)) '$2 == q' "$tmp/layout" | wc -l)" = "$r" ] ||
		bad+=" threads-per-namespace"
	[ "$(awk -v q="$q" '$2 == q' "$tmp/layout" | wc -l)" = $((m - r)) ] ||
		bad+=" threads-per-namespace"
	[ "$(sort -u "$tmp/owned" | wc -l)" = "$want_owned" ] || bad+=" owners"
	[ "$(awk '$4' "$tmp/layout" | wc -l)" = "$want_owned" ] ||
		bad+=" owned-namespaces"
	[ "$(awk '$5' "$tmp/layout" | wc -l)" = "$want_routed" ] ||
		bad+=" routed-namespaces"
	find "/proc/$pid/fd" -lname 'net:\[*' | grep -q . &&
		bad+=" fixture-holds-ns-fds"
	cp "$tmp/layout" "$results/netns-$n-layout.txt"
	if [ -n "$bad" ]; then
		echo "layout WRONG:$bad"
		return 1
	fi
	echo "layout ok: main thread alone in $main; $m namespaces of $q-$((q + (r > 0))) threads; $want_owned owned, $want_routed with routes"
}

# Compare the tool's JSON report FILE about fixture PID with $tmp/layout;
# print the verdict.  Findings about other processes (the host's dockerd is
# walked too) are left out; the "N more namespaces" finding has no pid
# evidence and is recognised by the fixture's name in its summary.
report_check() {
	jq -r --arg pid "$2" '.findings[] | select(.check == "netns.stranded")
		| select(.evidence.pid == $pid or (.evidence.pid == null and
			(.summary | test("netns-fixture")))) |
		if .evidence.netns then
			"ns \(.evidence.netns) \(.evidence.owner // "?" |
			split(" ")[0]) \(.evidence.threads // "?") \(
			if (.summary | test("has no routes")) then 0
			elif (.summary | test("still has routes")) then 1
			else "?" end)"
		elif .evidence.namespaces then
			"more \(.evidence.namespaces) \(.evidence.threads) \(
			(.summary | capture("\\((?<n>[0-9]+) without routes")
			| .n) // "?")"
		else "other \(.severity) \(.summary)" end' "$1" |
		awk -v layout="$tmp/layout" '
		BEGIN {
			while ((getline l < layout) > 0) {
				split(l, f, " ")
				thr[f[1]] = f[2]; own[f[1]] = f[4]; rt[f[1]] = f[5]
				if (!f[4]) { stale++; sthr += f[2]; snort += !f[5] }
			}
		}
		$1 == "ns" && !($2 in own) { err = err " unknown-ns-" $2; next }
		$1 == "ns" && $3 == "none" {
			if (own[$2]) { err = err " owned-" $2 "-flagged-stranded"; next }
			if (seen[$2]++) err = err " ns-" $2 "-twice"
			one++; othr += $4; onort += ($5 == 0)
			if ($4 != thr[$2]) err = err " ns-" $2 "-threads-" $4 "-not-" thr[$2]
			if ($5 != rt[$2]) err = err " ns-" $2 "-routes-wrong"
			next
		}
		$1 == "ns" {
			if (!own[$2]) err = err " stale-" $2 "-reported-owned"
			else ownwarn++
			next
		}
		$1 == "more" { more += $2; mthr += $3; mnort += $4; next }
		{ other++ }
		END {
			if (one + more != stale)
				err = err " stale-reported-" one + more "-of-" stale
			if (othr + mthr != sthr)
				err = err " threads-" othr + mthr "-of-" sthr
			if (onort + mnort != snort)
				err = err " no-route-ns-" onort + mnort "-of-" snort
			printf "%s: %d stale namespaces reported (%d one by one, %d in \"more\"), %d of them without routes; %d owned reported as \"stayed\" (warning); %d other findings\n",
				err ? "report WRONG:" err : "report ok",
				one + more, one, more, onort + mnort, ownwarn, other
			exit err ? 1 : 0
		}'
}

# Print the mean (ms) of the first result of a hyperfine JSON export.
hf_mean() {
	jq -r '.results[0].mean * 1000' "$1"
}

# Print the median peak RSS (KiB) of RUNS runs of CMD....
median_rss() {
	local runs=$1 out=$tmp/time.out _
	shift
	for _ in $(seq 1 "$runs"); do
		/usr/bin/time -v -o "$out" "$@" >/dev/null 2>&1
		awk -F': ' '/Maximum resident set size/ { print $2 }' "$out"
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "bench: fixture '$fixture'; tool '$tool' (netns.stranded: $have_check)"
rows=()
status=0
for size in $SIZES; do
	n=${size%/*}
	m=${size#*/}
	fixture_start "$n" "$m"
	echo "bench: $n threads, $m namespaces: pid $fixture_pid; $(sed 's/^netns-fixture: //' "$results/netns-$n-fixture.log")"
	setup=$(sed -n 's/.*set-up \([0-9]*\) ms.*/\1/p' "$results/netns-$n-fixture.log")
	fixture_check "$n" "$m" | tee "$results/netns-$n-check.txt"
	[ "${PIPESTATUS[0]}" = 0 ] || status=1

	tool_ms=- tool_def_ms=- tool_rss=-
	if [ "$have_check" = yes ]; then
		cmd="$tool --only netns.stranded --process $fixture_pid"
		"$tool" --only netns.stranded --process "$fixture_pid" \
			--sample-delay 0 -f json >"$results/netns-$n-report.json"
		rc=$?
		echo "tool exit status $rc" >>"$results/netns-$n-check.txt"
		if [ "$rc" -gt 2 ]; then
			echo "bench: the tool exited $rc (unknown or error)" |
				tee -a "$results/netns-$n-check.txt"
			status=1
		fi
		report_check "$results/netns-$n-report.json" "$fixture_pid" |
			tee -a "$results/netns-$n-check.txt"
		[ "${PIPESTATUS[0]}" = 0 ] || status=1
		hyperfine -N -i --style basic --warmup 1 --runs "$TOOL_RUNS" \
			--export-json "$results/netns-$n-tool.json" \
			-n "netns.stranded $n" "$cmd --sample-delay 0 -f json" ||
			die "hyperfine failed"
		hyperfine -N -i --style basic --runs 1 \
			--export-json "$results/netns-$n-tool-default.json" \
			-n "netns.stranded $n (default delay)" "$cmd -f json" ||
			die "hyperfine failed"
		tool_ms=$(hf_mean "$results/netns-$n-tool.json")
		tool_def_ms=$(hf_mean "$results/netns-$n-tool-default.json")
		tool_rss=$(median_rss "$RSS_RUNS" "$tool" --only netns.stranded \
			--process "$fixture_pid" --sample-delay 0 -f json)
	fi

	runs=$MANUAL_RUNS
	[ "$n" -ge 10000 ] && runs=$MANUAL_RUNS_BIG
	hyperfine -N --style basic --warmup 1 --runs "$runs" \
		--export-json "$results/netns-$n-manual.json" \
		-n "manual $n" "bash $tmp/manual.sh $fixture_pid" ||
		die "hyperfine failed"
	manual_ms=$(hf_mean "$results/netns-$n-manual.json")
	manual_rss=$(median_rss 1 bash "$tmp/manual.sh" "$fixture_pid")

	fixture_stop
	rows+=("$n/$m $setup $tool_ms $manual_ms $tool_rss $manual_rss $tool_def_ms")
done

{
	printf '%-11s %9s %13s %14s %9s %14s %16s %19s\n' threads/ns "setup ms" \
		"tool mean ms" "manual mean ms" speed-up "tool RSS KiB" \
		"manual RSS KiB" "tool default-delay ms"
	for row in "${rows[@]}"; do
		echo "$row"
	done | awk '{
		up = ($3 == "-") ? "-" : sprintf("%.1fx", $4 / $3)
		printf "%-11s %9s %13s %14.1f %9s %14s %16s %19s\n", $1, $2,
			$3 == "-" ? "-" : sprintf("%.1f", $3), $4, up, $5, $6,
			$7 == "-" ? "-" : sprintf("%.1f", $7)
	}'
	printf '%s\n' "${rows[@]}" | awk '
		NR == 1 { n0 = $1; t0 = $3; m0 = $4 }
		{ n1 = $1; t1 = $3; m1 = $4 }
		END {
			split(n0, a, "/"); split(n1, b, "/")
			if (NR < 2) exit
			if (t0 != "-")
				printf "tool time from %s to %s threads: %.1f ms -> %.1f ms (%.1fx for %.0fx the threads)\n",
					a[1], b[1], t0, t1, t1 / t0, b[1] / a[1]
			printf "manual time from %s to %s threads: %.1f ms -> %.1f ms (%.1fx)\n",
				a[1], b[1], m0, m1, m1 / m0
		}'
	[ "$have_check" = yes ] ||
		echo "(the tool does not list netns.stranded yet: manual method and fixture only)"
} | tee "$results/netns-summary.txt"
echo "bench: results in $results/netns-*"
exit "$status"
