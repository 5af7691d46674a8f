#!/bin/sh
# Install the build dependencies, build dockerd-doctor in this tree, and run
# a full diagnosis of this host (as root, through sudo when needed).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure --quiet
make -j"$(nproc)" --no-print-directory dockerd-doctor
echo
status=0
if [ "$(id -u)" -eq 0 ]; then
	./dockerd-doctor || status=$?
else
	sudo ./dockerd-doctor || status=$?
fi
echo
echo "dockerd-doctor exited $status (0 ok, 1 warning, 2 critical, 3 unknown);"
echo "run it again with ./dockerd-doctor [--format json|nagios|prometheus]."
