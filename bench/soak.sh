#!/usr/bin/env bash
# Soak test of podgate serve: wrk load over TLS with keep-alive on 127.0.0.1 for 10 minutes
# (a fake API supplies the namespace), checking zero errors (socket errors, non-2xx, a
# server that died) and flat memory: the server's RSS is sampled every 10 s and the run
# fails if it grows more than 20% above its value at the end of the warm-up. Not run by
# ctest.
#
#   bench/soak.sh                          # 10 minutes, 1 minute warm-up
#   DURATION=120 WARMUP=30 bench/soak.sh   # a short proof run
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
duration=${DURATION:-600}
warmup=${WARMUP:-60}
connections=${CONNECTIONS:-32}
threads=${WRK_THREADS:-2}
server_threads=${SERVER_THREADS:-$(nproc)}
max_growth_pct=${MAX_GROWTH_PCT:-20}
. "$root/bench/lib.sh"

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 2; }
[ -x "$build/podgate" ] || { echo "build first: make" >&2; exit 2; }
((duration > warmup)) || { echo "DURATION must exceed WARMUP" >&2; exit 2; }

bench_cert
bench_fake_api '{"soak": {"pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted"}}'

# A baseline-clean pod that violates restricted: allowed, with a warning and an audit
# annotation, so every request walks enforce, warn and audit.
cat > "$tmp/review.json" <<'JSON'
{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002","kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},"namespace":"soak","name":"web","operation":"CREATE","userInfo":{"username":"system:serviceaccount:kube-system:replicaset-controller"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"soak","labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"registry.example.com/web:1.2.3","ports":[{"containerPort":8080}],"resources":{"limits":{"memory":"256Mi"}}},{"name":"sidecar","image":"registry.example.com/sidecar:1.0"}]}}}}
JSON
bench_post_script "$tmp/post.lua"
bench_start_serve "$server_threads"
url="https://127.0.0.1:$port/"
curl -sk --fail -o /dev/null -H 'Content-Type: application/json' --data-binary @"$tmp/review.json" "$url"

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

echo "soak: ${duration}s (warm-up ${warmup}s), wrk $threads threads x $connections connections, server threads $server_threads"
wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$tmp/post.lua" "$url" > "$tmp/wrk.out" &
wrk_pid=$!
pids+=($wrk_pid)
baseline=0
peak=0
elapsed=0
while kill -0 "$wrk_pid" 2>/dev/null && ((elapsed < duration)); do
  sleep 10
  elapsed=$((elapsed + 10))
  kill -0 "$serve_pid" 2>/dev/null || { echo "FAIL: podgate serve died" >&2; exit 1; }
  rss=$(rss_kib "$serve_pid")
  if ((elapsed <= warmup)); then
    baseline=$rss
    phase=warm-up
  else
    peak=$((rss > peak ? rss : peak))
    phase=$((rss * 100 / baseline - 100))%
  fi
  printf '%4ds  RSS %7s KiB  %s\n' "$elapsed" "$rss" "$phase"
done
wait "$wrk_pid" || { echo "FAIL: wrk failed" >&2; exit 1; }
cat "$tmp/wrk.out"

status=0
if grep -qE 'Non-2xx|Socket errors' "$tmp/wrk.out"; then
  echo "FAIL: errors during the soak" >&2
  status=1
fi
requests=$(awk '/requests in/ {print $1}' "$tmp/wrk.out")
served=$(curl -sk "${url}metrics" | awk '$1 == "podgate_http_requests_total{code=\"200\"}" {print $2}')
echo "wrk requests: $requests; server 200s: ${served:-?}"
growth=$((peak * 100 / baseline - 100))
echo "RSS after warm-up: ${baseline} KiB; peak after: ${peak} KiB (${growth}%, limit ${max_growth_pct}%)"
if ((growth > max_growth_pct)); then
  echo "FAIL: memory grew ${growth}% after the warm-up" >&2
  status=1
fi
((status == 0)) && echo "PASS"
exit "$status"
