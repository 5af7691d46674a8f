#!/bin/sh
# Install what dockerd-doctor needs on Debian/Ubuntu.
#   install-deps.sh          build dependencies only
#   install-deps.sh --test   also what the test suite and benchmarks need
#                            (a real dockerd from docker.io, busybox-static,
#                            jq, clang-format, hyperfine, time)
set -eu
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

pkgs="build-essential autoconf automake pkg-config ca-certificates
	libnl-3-dev libnl-route-3-dev libcurl4-openssl-dev libjson-c-dev
	zlib1g-dev libsystemd-dev"
if [ "${1:-}" = "--test" ]; then
	pkgs="$pkgs libcriterion-dev docker.io busybox-static jq iproute2
		clang-format hyperfine time procps systemd-journal-remote strace
		util-linux"
fi

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi
echo "install-deps: installing$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-deps: done"
