#!/bin/bash
#
# Differential test of 'dockerd-doctor config check' against the real dockerd.
#
# For every case in tests/config/corpus (NNN-name.json, optional NNN-name.flags
# with one line of extra dockerd flags) this starts the real dockerd 20.10 with
# the case file and flags plus the isolation flags
#
#   --data-root D/data --exec-root D/exec --pidfile D/pid -H unix://D/sock
#   --bridge=none --iptables=false
#
# and decides whether it refused the configuration at load time, then asks
# 'dockerd-doctor config check --docker-version 20.10' the same question with
# the same flags.  They agree when (doctor exit == 2) == (dockerd refused).
#
# Isolation: D is a fresh /tmp/ddc.XXXXXX per case.  dockerd runs as PID 1 of
# its own PID, mount and network namespaces (unshare), so killing it kills the
# containerd it starts and every mount it makes disappears with the namespace.
# Inside, tmpfs is mounted over the system state directories that exist
# (/etc/docker holds the trust key 20.10 creates, /run/containerd would make
# it use a system containerd), so nothing outside D is written.  A case file
# may name '@CASEDIR@', replaced by D in the copy dockerd reads (the "graph"
# cases: 20.10 lets "graph" in the file override --data-root).
#
# dockerd's verdict:
#   refuse  it exited before logging "Starting up" (or, at quiet log levels,
#           creating its exec-root): everything before that line in
#           cmd/dockerd/daemon.go (v20.10.24) is configuration load.
#           The messages seen: "unable to configure the Docker daemon with
#           file ...", its "configuration validation from file failed" and
#           "merged configuration validation ..." variants, "conflict labels
#           for ...", "unable to parse logging level: ...", and cobra's
#           "unknown flag: ..." for a flag 20.10 does not have
#   accept  it logged "Starting up" or made its exec-root (then "API listen
#           on" or /_ping answers, or it is still running after
#           DDC_START_WAIT seconds), or it was still running after 5 s;
#           "then failed: ..." notes an exit after configuration load
#
# Usage: differential.sh [--dockerd-only] [CASE...]
#   (DDC_KEEP=1 keeps each D for a look, DDC_START_WAIT=N waits N seconds
#   for "API listen on" after "Starting up", default 6)
#   --dockerd-only  run only dockerd; print "name<TAB>verdict<TAB>message"
#   CASE            case names (NNN-name) to run; default: all
#
# Exit status (automake): 0 all agree, 1 a disagreement (or the program is
# missing), 77 skipped (not root, or no dockerd 20.10, unshare or jq).

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"

CORPUS=$top_srcdir/tests/config/corpus
DOCTOR=$top_builddir/dockerd-doctor
START_WAIT=${DDC_START_WAIT:-6}
LOAD_WAIT=5
PATH=$PATH:/usr/sbin:/sbin
export PATH

# The program must only see what we give it.
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH NO_COLOR

dockerd_only=0
if [ "${1-}" = --dockerd-only ]; then
	dockerd_only=1
	shift
fi

skip() {
	echo "differential: skipped: $*" >&2
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root to run a private dockerd"
DOCKERD=${DDC_DOCKERD:-$(command -v dockerd)} || skip "'dockerd' not found"
for cmd in unshare jq timeout; do
	command -v "$cmd" >/dev/null 2>&1 || skip "'$cmd' not found"
done
version=$("$DOCKERD" --version 2>/dev/null)
case $version in
"Docker version 20.10."*) ;;
*) skip "the verdicts are for dockerd 20.10, '$DOCKERD' is '$version'" ;;
esac
unshare --help 2>&1 | grep -q -- --kill-child ||
	skip "'unshare' has no --kill-child (util-linux too old)"
if [ "$dockerd_only" = 0 ]; then
	if [ ! -x "$DOCTOR" ]; then
		echo "differential: '$DOCTOR' not built (run 'make check')" >&2
		exit 1
	fi
	if ! "$DOCTOR" config check --help 2>&1 | grep -q 'config check'; then
		echo "differential: '$DOCTOR' has no 'config check'" >&2
		exit 1
	fi
fi

HAVE_CURL=0
command -v curl >/dev/null 2>&1 && HAVE_CURL=1
D=
UPID=

# Print the pids of our unshare's children (dockerd, PID 1 of its namespace).
child_pids() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(awk '{print $4}' "$p/stat" 2>/dev/null)" = "$UPID" ] &&
			echo "${p#/proc/}"
	done
}

# Stop the case's dockerd and everything in its namespaces, remove D.
cleanup_case() {
	local pid i m
	if [ -n "$UPID" ]; then
		# Killing PID 1 of the namespace kills the rest of it, and
		# unshare returns only once all of them are gone.
		for pid in $(child_pids); do
			kill -KILL "$pid" 2>/dev/null
		done
		for i in $(seq 1 50); do
			kill -0 "$UPID" 2>/dev/null || break
			[ "$i" = 25 ] && kill -KILL "$UPID" 2>/dev/null
			sleep 0.1
		done
		wait "$UPID" 2>/dev/null
		UPID=
	fi
	if [ -n "$D" ] && [ -d "$D" ]; then
		# Nothing should be mounted here (the mounts lived in the
		# namespace); refuse to delete through a mount if one is.
		m=$(awk -v d="$D" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo)
		if [ -n "$m" ]; then
			echo "differential: '$D' still has mounts, leaving it" >&2
		elif [ -n "${DDC_KEEP-}" ]; then
			echo "differential: kept '$D'" >&2
		else
			rm -rf "$D"
		fi
	fi
	D=
}
trap 'cleanup_case' EXIT
trap 'exit 1' INT TERM

# Print dockerd's error: its first line that is not a log entry (cobra's
# "Status: ..." comes first), else the last fatal or error entry.
dockerd_error() {
	local line
	line=$(grep -av '^time="' "$1" | grep -av '^[[:space:]]*$' | head -n 1)
	if [ -z "$line" ]; then
		line=$(grep -a 'level=\(fatal\|error\)' "$1" | tail -n 1 |
			sed 's/.*msg="\(.*\)".*/\1/')
	fi
	printf '%s' "$line" | tr '\t' ' '
}

# Whether dockerd got past configuration load: it logs "Starting up" right
# after it, but not with "log-level" warn or higher, so the exec-root it
# creates soon after counts too (it stays when dockerd fails later, unlike
# the pidfile; a file cannot move it: "exec-root" would conflict).
past_load() {
	grep -aq 'msg="Starting up"' "$D/err" || [ -d "$D/exec" ]
}

# Whether dockerd is fully up: it logged "API listen on" or answers /_ping.
api_up() {
	grep -aq 'API listen on' "$D/err" && return 0
	[ -S "$D/sock" ] && [ "$HAVE_CURL" = 1 ] || return 1
	[ "$(curl -s --max-time 0.3 --unix-socket "$D/sock" \
		http://localhost/_ping 2>/dev/null)" = OK ]
}

# Run dockerd on case $1 with extra flags "$2"; set DV (refuse/accept), DMSG.
run_dockerd() {
	local json=$1 flags=$2 t=0 started=0 limit extra=()
	D=$(mktemp -d /tmp/ddc.XXXXXX)
	if grep -q '@CASEDIR@' "$json"; then
		sed "s|@CASEDIR@|$D|g" "$json" >"$D/c.json"
	else
		cp "$json" "$D/c.json"
	fi
	read -r -a extra <<<"$flags"
	ISO="--data-root $D/data --exec-root $D/exec --pidfile $D/pid -H unix://$D/sock --bridge=none --iptables=false"
	# shellcheck disable=SC2086,SC2016
	env -i PATH="$PATH" HOME="$D" unshare --mount --net --pid --fork \
		--kill-child=SIGKILL --mount-proc --propagation private \
		/bin/sh -c 'for d in /etc/docker /run/containerd /run/docker \
			/var/lib/docker /var/lib/containerd; do
			[ -d "$d" ] || continue
			mount -t tmpfs -o size=16m,mode=0700 ddc "$d" || exit 125
		done
		exec "$@"' sh "$DOCKERD" --config-file "$D/c.json" $ISO \
		"${extra[@]}" </dev/null >"$D/out" 2>"$D/err" &
	UPID=$!
	limit=$((LOAD_WAIT * 10))
	while [ "$t" -lt "$limit" ]; do
		sleep 0.1
		t=$((t + 1))
		if ! kill -0 "$UPID" 2>/dev/null; then
			wait "$UPID" 2>/dev/null
			UPID=
			break
		fi
		if api_up; then
			break
		fi
		if [ "$started" = 0 ] && past_load; then
			started=1
			limit=$((t + START_WAIT * 10))
		fi
	done
	past_load && started=1
	if [ "$started" = 0 ] && [ -z "$UPID" ]; then
		DV=refuse
		DMSG=$(dockerd_error "$D/err")
	elif [ -z "$UPID" ]; then
		DV=accept
		DMSG="Starting up, then failed: $(dockerd_error "$D/err")"
	elif api_up; then
		DV=accept
		DMSG="API listen on"
	elif [ "$started" = 1 ]; then
		DV=accept
		DMSG="Starting up (still running after ${START_WAIT}s)"
	else
		DV=accept
		DMSG="still running after ${LOAD_WAIT}s"
	fi
	# Name the copy as the case so messages read the same in every run.
	DMSG=${DMSG//$D\/c.json/CASE.json}
	DMSG=${DMSG//$D/D}
}

# Run the doctor on the case copy; set XRC and XSUM.
run_doctor() {
	local flags=$1 out
	out=$(timeout 30 "$DOCTOR" config check --docker-version 20.10 \
		--flags "$ISO${flags:+ $flags}" -f json "$D/c.json" 2>"$D/doctor.err")
	XRC=$?
	XSUM=$(printf '%s' "$out" | jq -r '
		[.findings[]? | select(.check == "config.daemon-json")] as $f
		| ([$f[] | select(.severity == "critical")] + $f)
		| if length > 0 then .[0].summary else "" end' 2>/dev/null |
		head -n 1)
	if [ -z "$XSUM" ]; then
		XSUM=$( (printf '%s\n' "$out"; cat "$D/doctor.err") |
			grep -v '^[[:space:]]*$' | head -n 1)
	fi
	XSUM=${XSUM//$D\/c.json/CASE.json}
	XSUM=${XSUM//$D/D}
}

cases=()
if [ "$#" -gt 0 ]; then
	cases=("$@")
else
	for f in "$CORPUS"/*.json; do
		f=${f##*/}
		cases+=("${f%.json}")
	done
fi

agree=0
disagree=0
for c in "${cases[@]}"; do
	json=$CORPUS/$c.json
	if [ ! -f "$json" ]; then
		echo "differential: no case '$c'" >&2
		disagree=$((disagree + 1))
		continue
	fi
	flags=
	[ -f "$CORPUS/$c.flags" ] && flags=$(head -n 1 "$CORPUS/$c.flags")
	run_dockerd "$json" "$flags"
	if [ "$dockerd_only" = 1 ]; then
		printf '%s\t%s\t%s\n' "$c" "$DV" "$DMSG"
		cleanup_case
		continue
	fi
	run_doctor "$flags"
	cleanup_case
	if { [ "$XRC" = 2 ] && [ "$DV" = refuse ]; } ||
		{ [ "$XRC" != 2 ] && [ "$DV" = accept ]; }; then
		verdict=AGREE
		agree=$((agree + 1))
	else
		verdict=DISAGREE
		disagree=$((disagree + 1))
	fi
	printf '%s\n  dockerd: %s: %s\n  doctor:  exit %s: %s\n  %s\n' \
		"$c" "$DV" "$DMSG" "$XRC" "$XSUM" "$verdict"
done

if [ "$dockerd_only" = 1 ]; then
	exit 0
fi
echo "differential: $agree agree, $disagree disagree"
echo "e2e: $agree passed, $disagree failed, 0 skipped"
[ "$disagree" = 0 ]
