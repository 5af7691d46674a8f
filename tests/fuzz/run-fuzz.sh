#!/bin/bash
#
# Build tests/fuzz/fuzz-dconfig.c with libFuzzer, ASan and UBSan, and run it
# for SECONDS (default 60) on a working copy of tests/fuzz/corpus-seed.
#
#   tests/fuzz/run-fuzz.sh [SECONDS]
#
# Everything (the build, the corpus, crash inputs) goes into one temporary
# directory; nothing is written anywhere else. The directory is removed when
# the run is clean and kept (its path printed) when something was found.
#
# Environment: CC (default clang), FUZZ_ARGS (more libFuzzer options),
# DDFUZZ_NO_MASK_CHECK=1 (skip the credential-masking invariant).
#
# Exit status: 0 no crash, 1 a crash, leak, timeout or out-of-memory input
# was found, 2 the fuzzer could not be built or run.

set -u

seconds=${1:-60}
case $seconds in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS]" >&2
	exit 2
	;;
esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
CC=${CC:-clang}

work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-dconfig.XXXXXX") || exit 2
keep=0
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	if [ "$keep" = 0 ]; then
		rm -rf "$work"
	fi
}
trap cleanup EXIT
export TMPDIR=$work

# the sources include "config.h": a stand-in, so no configure is needed
mkdir -p "$work/include" "$work/corpus" "$work/artifacts"
cat >"$work/include/config.h" <<'EOF'
#define PACKAGE_NAME "dockerd-doctor"
#define PACKAGE_VERSION "0.1.0"
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
EOF

if ! json_c=$(pkg-config --cflags --libs json-c); then
	echo "fuzz: cannot build: json-c not found by pkg-config" >&2
	exit 2
fi

src=$top/src
# shellcheck disable=SC2086 # json_c is a list of words
if ! "$CC" -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer \
	-I"$work/include" -I"$src" \
	-o "$work/fuzz-dconfig" \
	"$here/fuzz-dconfig.c" "$src/config/jsonscan.c" \
	"$src/config/dconfig-analyze.c" "$src/config/dconfig-keys.c" \
	"$src/config/dconfig-flags.c" "$src/config/dconfig-values.c" \
	"$src/config/dockerd-options.c" "$src/core/report.c" "$src/core/util.c" \
	"$src/host/path.c" $json_c >"$work/build.log" 2>&1; then
	cat "$work/build.log" >&2
	if grep -q 'libclang_rt.fuzzer' "$work/build.log"; then
		echo "fuzz: the libFuzzer runtime is missing (Debian: apt-get install libclang-rt-14-dev)" >&2
	fi
	exit 2
fi

cp -- "$here"/corpus-seed/* "$work/corpus/" 2>/dev/null
seeds=$(find "$work/corpus" -type f | wc -l)
echo "fuzz: $seeds seed inputs, running for ${seconds}s"

# shellcheck disable=SC2086 # FUZZ_ARGS is a list of options
(cd "$work" && ./fuzz-dconfig -max_total_time="$seconds" -max_len=65536 \
	-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$work/artifacts/" ${FUZZ_ARGS:-} \
	"$work/corpus") >"$work/fuzz.log" 2>&1
status=$?

final_stat() {
	sed -n "s/^stat::$1: *//p" "$work/fuzz.log" | tail -n 1
}
# the last status line: "#N  DONE  cov: C ft: F corp: U/SIZE ... exec/s: E"
last=$(grep -E '^#[0-9]+' "$work/fuzz.log" | tail -n 1)
field() {
	echo "$last" | sed -n "s/.* $1: \([^ ]*\).*/\1/p"
}

echo "executions:  $(final_stat number_of_executed_units)"
echo "exec/s:      $(final_stat average_exec_per_sec)"
echo "coverage:    cov $(field cov), ft $(field ft)"
echo "corpus:      $(field corp) (units/size), $(final_stat new_units_added) new"
echo "peak rss:    $(final_stat peak_rss_mb) MB"

found=$(find "$work/artifacts" -type f | sort)
if [ -z "$found" ] && [ "$status" = 0 ]; then
	echo "crash:       none"
	exit 0
fi

keep=1
if [ -z "$found" ]; then
	echo "fuzz: the fuzzer failed (exit $status):" >&2
	tail -n 30 "$work/fuzz.log" >&2
	echo "kept: $work" >&2
	exit 2
fi
echo "crash:       yes (fuzzer exit $status)"
for f in $found; do
	echo "input $(basename "$f") ($(wc -c <"$f") bytes):"
	od -An -tx1 -v "$f" | head -n 20
done
echo "--- fuzzer log (end) ---"
sed -n '/^==[0-9]*==ERROR\|runtime error\|deadly signal/,$p' \
	"$work/fuzz.log" | head -n 60
echo "kept: $work (reproduce: $work/fuzz-dconfig FILE)"
exit 1
