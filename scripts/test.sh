#!/bin/bash
# The whole test suite, as CI runs it: install the test dependencies, build
# with -Werror, run every test (unit, registry, docs, end-to-end against a
# real isolated dockerd), check formatting, 'make distcheck', then build
# and run the suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
# Ends with one line: "tests: N passed, M failed, K skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then
	exec sudo -E "$0" "$@"  # the end-to-end tests need root
fi

scripts/install-deps.sh --test || exit 1
jobs=$(nproc)
logdir=$(mktemp -d /tmp/dd-test-logs.XXXXXX)
failed_steps=()

step() {
	local name=$1
	shift
	echo "== $name"
	if ! "$@"; then
		echo "== $name: FAILED"
		failed_steps+=("$name")
		return 1
	fi
}

# Keep the logs of one 'make check' pass for the summary.
keep_logs() {
	local pass=$1
	mkdir -p "$logdir/$pass"
	find tests \( -name '*.log' -o -name '*.trs' \) -exec cp --parents {} "$logdir/$pass" \; 2>/dev/null
	cp test-suite.log "$logdir/$pass/" 2>/dev/null || true
}

build() {
	./configure --quiet --enable-werror "$@" &&
		make -s clean >/dev/null &&
		make -s -j"$jobs" >/dev/null
}

[ -x configure ] || autoreconf -fi || exit 1

step "build (-Werror)" build &&
	step "make check" make -s -j"$jobs" check
keep_logs plain
step "make check-format" make -s check-format
step "make distcheck" make -s -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror \
	>"$logdir/distcheck.out" 2>&1 || tail -40 "$logdir/distcheck.out"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
step "build (ASan+UBSan)" build --enable-sanitizers &&
	step "make check (ASan+UBSan)" make -s -j"$jobs" check
keep_logs sanitizers
unset ASAN_OPTIONS UBSAN_OPTIONS

# Leave a normal build in the tree for ./dockerd-doctor.
step "rebuild" build

# Sum up: Criterion syntheses, the e2e line and the shell tests.
passed=0 failed=0 skipped=0
for pass in plain sanitizers; do
	for log in "$logdir/$pass"/tests/unit/*/*.log; do
		[ -f "$log" ] || continue
		line=$(grep 'Synthesis: Tested:' "$log" | tail -1)
		if [ -z "$line" ]; then
			failed=$((failed + 1))
			echo "no Criterion synthesis in $pass/${log##*/}"
			continue
		fi
		p=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' <<<"$line")
		f=$(sed -n 's/.*Failing: \([0-9]*\).*/\1/p' <<<"$line")
		c=$(sed -n 's/.*Crashing: \([0-9]*\).*/\1/p' <<<"$line")
		passed=$((passed + p)) failed=$((failed + f + c))
	done
	# shell suites end with "NAME: N passed, M failed[, K skipped]"
	for log in "$logdir/$pass"/tests/e2e/*.sh.log "$logdir/$pass"/tests/config/*.sh.log; do
		[ -f "$log" ] || continue
		if grep -q '^SKIP' "${log%.log}.trs" 2>/dev/null ||
			grep -q ':test-result: SKIP' "${log%.log}.trs" 2>/dev/null; then
			skipped=$((skipped + 1))
			continue
		fi
		line=$(grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
		if [ -z "$line" ]; then
			failed=$((failed + 1))
			echo "no summary line in $pass/${log##*/}"
			continue
		fi
		read -r p f s < <(sed -E 's/^[a-z0-9-]+: ([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?.*/\1 \2 \4/' <<<"$line")
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
	done
	for trs in "$logdir/$pass"/tests/check-*.trs; do
		[ -f "$trs" ] || continue
		case $(sed -n 's/^:test-result: //p' "$trs") in
		PASS) passed=$((passed + 1)) ;;
		SKIP) skipped=$((skipped + 1)) ;;
		*) failed=$((failed + 1)) ;;
		esac
	done
done
echo
if [ ${#failed_steps[@]} -gt 0 ]; then
	echo "failed steps: ${failed_steps[*]} (logs in $logdir)"
	[ "$failed" -gt 0 ] || failed=${#failed_steps[@]}
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ ${#failed_steps[@]} -eq 0 ] && [ "$failed" -eq 0 ]; then
	rm -rf "$logdir"
	exit 0
fi
exit 1
