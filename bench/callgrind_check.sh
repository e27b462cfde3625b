#!/usr/bin/env bash
# Performance regression check without timing noise: count the instructions of a fixed
# scan with callgrind and compare them with the committed budget (bench/callgrind-budget.txt).
#   bench/callgrind_check.sh build/podgate
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
podgate=${1:-build/podgate}
shared=${PG_SHARED_DIR:-$here/../../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$shared/corpus/gen-corpus.py" --seed 42 --docs 400 --format yaml --out "$tmp/corpus.yaml"
budget=$(grep -v '^#' "$here/callgrind-budget.txt" | tr -d '[:space:]')
valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$podgate" scan -o json \
  "$tmp/corpus.yaml" > /dev/null 2> "$tmp/log" || true
measured=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/log")
if [ -z "$measured" ]; then
  cat "$tmp/log"
  echo "callgrind-check: no instruction count" >&2
  exit 1
fi
echo "callgrind-check: $measured instructions (budget $budget)"
if [ "$measured" -gt "$budget" ]; then
  echo "callgrind-check: over budget by $(( (measured - budget) * 100 / budget ))%" >&2
  exit 1
fi
echo "1 passed, 0 failed"
