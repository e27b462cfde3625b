#!/usr/bin/env bash
# Instructions per AdmissionReview, counted by callgrind (no timing noise): admission_bench
# runs twice with different iteration counts and the difference is divided by the extra
# requests, so reading the pod, warming up and start-up cancel out.
#   bench/admission_instr.sh POD.yaml [handle|jsmn]     (after `make`; uses build/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD:-$here/../build}
pod=$1
what=${2:-handle}
rounds=5 # ROUNDS in admission_bench.c
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$build/bench/admission_bench" "$pod" "$1" "$what" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
low=$(count 20)
high=$(count 120)
echo $(( (high - low) / (rounds * 100) ))
