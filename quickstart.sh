#!/usr/bin/env bash
# One command on a fresh Debian machine: install what is missing, build, scan the examples.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
make
echo "+ build/podgate scan examples/"
status=0
build/podgate scan examples/ || status=$?
echo "(exit status $status: 0 clean, 1 violations at the enforce level, 2 unreadable input)"
