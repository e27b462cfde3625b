#!/usr/bin/env bash
# podgate benchmarks: every figure next to its target and its in-run baseline.
# Reproducible with public tools: gen-corpus.py (../shared/corpus), GNU time, valgrind.
#   bench/run.sh            (after `make`; uses build/)
#   DOCS=40000 bench/run.sh (corpus size; 40000 documents ≈ 100 MB)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/..
build=${BUILD:-$root/build}
shared=${PG_SHARED_DIR:-$root/../shared}
docs=${DOCS:-40000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

times1() { # "elapsed user+sys" seconds of one run of a command
  /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$@" > /dev/null 2>&1 || true
  tail -n 1 "$tmp/t" | awk '{print $1, $2 + $3}'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)"
echo "generating $docs documents with gen-corpus.py --seed 7 ..."
python3 "$shared/corpus/gen-corpus.py" --seed 7 --docs "$docs" --format yaml --out "$tmp/corpus.yaml"
bytes=$(stat -c %s "$tmp/corpus.yaml")
mb=$(awk "BEGIN{printf \"%.1f\", $bytes/1e6}")

printf '\n%-46s %-18s %-14s %s\n' "figure" "measured" "target" "baseline (same run)"
line() { printf '%-46s %-18s %-14s %s\n' "$@"; }

for pod in compliant violating; do
  out=$("$build/bench/eval_bench" "$here/data/pod-$pod.yaml" 2000000)
  eval_ns=$(sed -n 's/.*evaluate \([0-9.]*\) ns.*/\1/p' <<< "$out")
  full_ns=$(sed -n 's/.*evaluate+render \([0-9.]*\) ns.*/\1/p' <<< "$out")
  if [ "$pod" = compliant ]; then
    line "evaluate 5.4 kB compliant pod, restricted" "${eval_ns} ns" "<= 200 ns" "upstream Go ~1800 ns (issue 7)"
  else
    line "evaluate+render violating pod (7 checks)" "${full_ns} ns" "<= 1000 ns" "upstream Go ~5700 ns (issue 7)"
  fi
done

# Issue 7 target 3: one AdmissionReview decoded, decided and encoded, as serve does per request.
for pod in compliant violating; do
  out=$("$build/bench/admission_bench" "$here/data/pod-$pod.yaml" 20000)
  ns=$(sed -n 's/.*decode+decide+encode \([0-9.]*\) ns.*/\1/p' <<< "$out")
  allocs=$(sed -n 's/.* \([0-9]*\) allocations.*/\1/p' <<< "$out")
  jsmn=$(sed -n 's/.*jsmn tokenise alone \([0-9.]*\) ns.*/\1/p' <<< "$out")
  bytes=$(sed -n 's/.*review \([0-9]*\) bytes.*/\1/p' <<< "$out")
  line "admission review ${bytes} B, $pod pod" "$(awk "BEGIN{printf \"%.1f us\", $ns/1000}")" \
    "<= 10 us" "jsmn tokenise alone $(awk "BEGIN{printf \"%.1f us\", $jsmn/1000}"); ${allocs} allocs/op"
  if command -v valgrind > /dev/null; then
    line "  same, instructions/op (callgrind)" "$("$here/admission_instr.sh" "$here/data/pod-$pod.yaml")" \
      "-" "jsmn alone $("$here/admission_instr.sh" "$here/data/pod-$pod.yaml" jsmn)"
  fi
done

# The baseline and the scan alternate, five rounds; each figure is the median over the rounds
# of a ratio within one round. This virtual machine has slow spells of seconds (one core at
# times runs 1.7x slower), so a ratio of two bests taken in different spells means little;
# runs next to each other mostly share a spell. Two figures: throughput (elapsed time,
# podgate with its default thread per core, parts of the file scanned in parallel; libyaml
# has one thread), and CPU time with -j1, the cost per byte on one core.
: > "$tmp/yaml"
for _ in 1 2 3 4 5; do
  read -r bw b <<<"$(times1 "$build/bench/yaml_baseline" "$tmp/corpus.yaml")"
  read -r _ s <<<"$(times1 "$build/podgate" scan -j1 -o json "$tmp/corpus.yaml")"
  read -r sw _ <<<"$(times1 "$build/podgate" scan -o json "$tmp/corpus.yaml")"
  echo "$bw $b $s $sw" >> "$tmp/yaml"
done
# Column medians: elapsed ratio, CPU ratio, then MB/s of scan -jN, scan -j1, libyaml.
read -r wall_ratio cpu_ratio scan_mbs scan1_mbs base_mbs <<<"$(awk -v mb="$mb" '
  { w[NR] = $1 / $4; c[NR] = $2 / $3; sm[NR] = mb / $4; s1[NR] = mb / $3; bm[NR] = mb / $1 }
  function med(a, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END { printf "%.2f %.2f %.1f %.1f %.1f\n", med(w, NR), med(c, NR), med(sm, NR), med(s1, NR), med(bm, NR) }' "$tmp/yaml")"
line "scan -o json ${mb} MB YAML (elapsed, -j$(nproc))" "$scan_mbs MB/s, ratio $wall_ratio" \
  ">= 0.80" "libyaml events $base_mbs MB/s (one thread); medians of 5 rounds, load $(cut -d' ' -f1 /proc/loadavg)"
line "  same, CPU time, -j1 (per core)" "$scan1_mbs MB/s, ratio $cpu_ratio" "-" \
  "podgate's CPU time vs libyaml's, round by round"

# Peak RSS of a stream from stdin: the first 16 MiB are read whole (cmd_scan.c), then it is
# scanned in parts of at most 256 KiB (parts.c). The baseline is the binary's own floor:
# `podgate version` (shared libraries' relocated data and touched text count in RSS).
/usr/bin/time -f "%M" -o "$tmp/rss" bash -c \
  "for i in \$(seq 10); do cat '$tmp/corpus.yaml'; echo '---'; done | '$build/podgate' scan -o json - > /dev/null" || true
/usr/bin/time -f "%M" -o "$tmp/rss-version" "$build/podgate" version > /dev/null || true
line "scan $(awk "BEGIN{printf \"%.0f\", 10*$mb}") MB stream from stdin: peak RSS" \
  "$(tail -n 1 "$tmp/rss" | awk '{printf "%.1f MiB", $1/1024}')" "<= 32 MiB" \
  "podgate version $(tail -n 1 "$tmp/rss-version" | awk '{printf "%.1f MiB", $1/1024}')"

# The same corpus as a directory of about 2,000 files (20 documents each), scanned one file
# at a time and then with a thread per core. Elapsed time: only meaningful on a quiet machine.
mkdir "$tmp/dir"
awk -v dir="$tmp/dir" '/^---$/ && n++ % 20 == 0 { if (out) close(out); out = sprintf("%s/f%05d.yaml", dir, files++) }
  { print > out }' "$tmp/corpus.yaml"
cores=$(nproc)
# Alternating rounds; each figure is the median of the ratios within a round (see above).
# Two more figures say whether a short speed-up is the program's or the machine's: how
# many cores -jN kept busy (CPU time / elapsed), and how much faster the machine runs N
# bare libyaml parses at once than one after another.
: > "$tmp/dirs"
for _ in 1 2 3 4 5; do
  read -r w _ <<<"$(times1 "$build/podgate" scan -j1 -o json "$tmp/dir")"
  read -r wn cn <<<"$(times1 "$build/podgate" scan -j"$cores" -o json "$tmp/dir")"
  read -r b _ <<<"$(times1 "$build/bench/yaml_baseline" "$tmp/corpus.yaml")"
  read -r bn _ <<<"$(times1 bash -c "for i in \$(seq $cores); do '$build/bench/yaml_baseline' '$tmp/corpus.yaml' & done; wait")"
  echo "$w $wn $cn $b $bn" >> "$tmp/dirs"
done
read -r speedup one all busy machine <<<"$(awk -v n="$cores" '
  { r[NR] = $1 / $2; o[NR] = $1; a[NR] = $2; k[NR] = $3 / $2; m[NR] = n * $4 / $5 }
  function med(a, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END { printf "%.2f %.2f %.2f %.2f %.2f\n", med(r, NR), med(o, NR), med(a, NR), med(k, NR), med(m, NR) }' "$tmp/dirs")"
line "directory scan speed-up on $cores cores" "${speedup}x (${all} s)" ">= 1.8x" \
  "-j1 ${one} s, $(find "$tmp/dir" -type f | wc -l) files; medians of 5 rounds, load $(cut -d' ' -f1 /proc/loadavg)"
line "  -j$cores: cores kept busy (CPU time / elapsed)" "$busy of $cores" "-" \
  "machine: $cores libyaml parses at once run ${machine}x faster than one after another"

echo
echo "instruction counts are in bench/callgrind-budget.txt (checked by make check);"
echo "webhook figures: bench/webhook.sh (when built with serve)."
