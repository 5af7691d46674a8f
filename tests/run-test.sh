#!/bin/bash
# The test runner (automake LOG_COMPILER). Shell suites run as they are.
# A Criterion binary runs under a deadline: Criterion 2.4's runner can
# deadlock in its own worker start-up (seen once: a worker blocked in a
# futex for 46 minutes in tests of pure string functions). A run that
# outlives the deadline is said so and run once more; the second verdict
# stands, so a test that really hangs or fails still fails.
case $1 in
*.sh) exec "$@" ;;
esac
deadline=${DD_UNIT_DEADLINE:-600}
timeout -k 10 "$deadline" "$@"
rc=$?
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "run-test: '$1' outlived ${deadline} s (a Criterion runner hang?); running it once more"
	timeout -k 10 "$deadline" "$@"
	rc=$?
fi
exit $rc
