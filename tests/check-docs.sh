#!/bin/sh
# doc/checks.md is generated from the checks' own texts ('explain'); fail
# when it is stale, so the reference never drifts from the program.
set -u
src=${top_srcdir:-$(dirname "$0")/..}
bld=${top_builddir:-$src}
tmp=$(mktemp) || exit 99
trap 'rm -f "$tmp"' EXIT
"$bld/dockerd-doctor" explain --all --markdown >"$tmp" || { echo "check-docs: explain failed"; exit 1; }
if ! diff -u "$src/doc/checks.md" "$tmp"; then
	echo "check-docs: doc/checks.md is stale; run: ./dockerd-doctor explain --all --markdown > doc/checks.md"
	exit 1
fi
echo "check-docs: doc/checks.md matches 'explain --all --markdown'"
