#!/bin/sh
# Every checks/*.c file is in checks/checks.def and checks/Makemodule.am,
# and every registry line has a file exporting that symbol.
set -u
src=${top_srcdir:-$(dirname "$0")/..}
fail=0
for f in "$src"/checks/*.c; do
	base=$(basename "$f")
	grep -q "checks/$base" "$src/checks/Makemodule.am" || {
		echo "check-registry: checks/$base is not in checks/Makemodule.am"; fail=1; }
	sym=$(sed -n 's/^const struct check \([a-z_0-9]*\) = {$/\1/p' "$f")
	[ -n "$sym" ] || { echo "check-registry: checks/$base exports no 'const struct check'"; fail=1; continue; }
	grep -qx "CHECK($sym)" "$src/checks/checks.def" || {
		echo "check-registry: $sym (checks/$base) is not in checks/checks.def"; fail=1; }
done
for sym in $(sed -n 's/^CHECK(\(.*\))$/\1/p' "$src/checks/checks.def"); do
	grep -lq "^const struct check $sym = {" "$src"/checks/*.c || {
		echo "check-registry: checks.def names $sym, which no checks/*.c defines"; fail=1; }
done
n=$(grep -c '^CHECK(' "$src/checks/checks.def")
[ $fail -eq 0 ] && echo "check-registry: $n checks, registry and build lists agree"
exit $fail
