#!/bin/bash
#
# Run 'dockerd-doctor config check' over tests/config/corpus and compare with
# tests/config/expected.tsv.  No dockerd is needed; runs as any user.
#
# expected.tsv has one line per case: "name<TAB>verdict<TAB>substrings".
# The verdict is what the real dockerd 20.10.24 did with the case file, the
# case's flags (NNN-name.flags, one line) and the isolation flags that
# tests/config/differential.sh adds (established by that script):
#   accept  the doctor must exit 0 or 1
#   refuse  the doctor must exit 2
# The substrings (separated by " && ", possibly none) must all occur in the
# doctor's findings: their summaries, details and evidence as "key=value"
# (so "line= && column=" asks for a syntax error's position), compared
# without quote characters, so 'key' and "key" both match key.
#
# A case file may name '@CASEDIR@' (see differential.sh); here it is replaced
# by a directory that does not exist.
#
# Exit status (automake): 0 all passed, 1 a case failed, 77 skipped (no jq).

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"

CORPUS=$top_srcdir/tests/config/corpus
EXPECTED=$top_srcdir/tests/config/expected.tsv
DOCTOR=$top_builddir/dockerd-doctor
FAKE=/tmp/ddc.corpus
ISO="--data-root $FAKE/data --exec-root $FAKE/exec --pidfile $FAKE/pid -H unix://$FAKE/sock --bridge=none --iptables=false"

unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH NO_COLOR

if ! command -v jq >/dev/null 2>&1; then
	echo "corpus: skipped: 'jq' not found" >&2
	exit 77
fi
if [ ! -x "$DOCTOR" ]; then
	echo "corpus: '$DOCTOR' not built (run 'make check')" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ddc-corpus.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0

# Record a failed case with a reason and the doctor's output.
fail() {
	echo "FAIL $1: $2"
	sed 's/^/    /' "$tmp/out" "$tmp/err" | head -n 20
	failed=$((failed + 1))
}

# Drop the quote characters that messages may or may not put around names.
unquote() {
	tr -d "\"'\`"
}

declare -A seen
while IFS=$'\t' read -r name verdict subs; do
	[ -n "$name" ] || continue
	seen[$name]=1
	json=$CORPUS/$name.json
	if [ ! -f "$json" ]; then
		echo "FAIL $name: no '$json'"
		failed=$((failed + 1))
		continue
	fi
	flags=
	[ -f "$CORPUS/$name.flags" ] && flags=$(head -n 1 "$CORPUS/$name.flags")
	file=$json
	if grep -q '@CASEDIR@' "$json"; then
		file=$tmp/$name.json
		sed "s|@CASEDIR@|$FAKE|g" "$json" >"$file"
	fi
	timeout 30 "$DOCTOR" config check --docker-version 20.10 \
		--flags "$ISO${flags:+ $flags}" -f json "$file" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	case $verdict:$rc in
	accept:0 | accept:1 | refuse:2) ;;
	*)
		fail "$name" "expected $verdict, got exit $rc"
		continue
		;;
	esac
	if ! hay=$(jq -r '.findings[]? | .summary, .detail,
		(.evidence // {} | to_entries[] | "\(.key)=\(.value)")' \
		"$tmp/out" 2>/dev/null); then
		fail "$name" "output is not JSON with findings"
		continue
	fi
	hay=$(printf '%s' "$hay" | unquote)
	missing=
	rest=$subs
	while [ -n "$rest" ]; do
		piece=${rest%% && *}
		if [ "$piece" = "$rest" ]; then
			rest=
		else
			rest=${rest#* && }
		fi
		piece=$(printf '%s' "$piece" | unquote)
		[[ $hay == *"$piece"* ]] || missing="$missing '$piece'"
	done
	if [ -n "$missing" ]; then
		fail "$name" "exit $rc as expected, but no$missing in the findings"
		continue
	fi
	passed=$((passed + 1))
done <"$EXPECTED"

for json in "$CORPUS"/*.json; do
	name=${json##*/}
	name=${name%.json}
	if [ -z "${seen[$name]-}" ]; then
		echo "FAIL $name: not in '$EXPECTED'"
		failed=$((failed + 1))
	fi
done

echo "corpus: $passed passed, $failed failed"
[ "$failed" = 0 ]
