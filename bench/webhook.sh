#!/usr/bin/env bash
# Load test of podgate serve with wrk over TLS with keep-alive, against the same HTTP/TLS
# stack answering a fixed response (bench/static_server.c), all on 127.0.0.1. Prints
# requests/s, p99 latency and the server's RSS for each. Not run by ctest.
#
#   bench/webhook.sh                 # 10 s per run, 2 wrk threads, 32 connections
#   DURATION=30s CONNECTIONS=64 bench/webhook.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-32}
threads=${WRK_THREADS:-2}
server_threads=${SERVER_THREADS:-$(nproc)}
tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 2; }
[ -x "$build/podgate" ] && [ -x "$build/bench/static_server" ] ||
  { echo "build first: make" >&2; exit 2; }

# Serving certificate for 127.0.0.1.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -keyout "$tmp/tls.key" -out "$tmp/tls.crt" -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 2>/dev/null

# A fake API with one restricted namespace, for the namespace cache.
python3 "$root/tests/server/fake_kube.py" \
  '{"bench": {"pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/warn": "restricted"}}' \
  > "$tmp/kube.port" &
pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/kube.port" ] && break; sleep 0.1; done
cat > "$tmp/kubeconfig" <<KC
apiVersion: v1
kind: Config
current-context: b
contexts: [{name: b, context: {cluster: b, user: b}}]
clusters: [{name: b, cluster: {server: "http://127.0.0.1:$(cat "$tmp/kube.port")"}}]
users: [{name: b, user: {token: bench}}]
KC

# A pod as the API server sends it after defaulting (about 3 KB), restricted-compliant.
python3 - "$tmp" <<'PY'
import json, sys
pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {
    "name": "web-7d4b9c8f6-x2x9z", "generateName": "web-7d4b9c8f6-", "namespace": "bench",
    "labels": {"app": "web", "pod-template-hash": "7d4b9c8f6", "tier": "frontend"},
    "annotations": {"kubectl.kubernetes.io/restartedAt": "2024-01-01T00:00:00Z"},
    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d4b9c8f6",
                         "uid": "0b7f5b8e-1b1b-4d1b-9b1b-1b1b1b1b1b1b", "controller": True,
                         "blockOwnerDeletion": True}]},
  "spec": {"securityContext": {"runAsNonRoot": True, "runAsUser": 1000, "fsGroup": 2000,
                               "seccompProfile": {"type": "RuntimeDefault"}},
           "serviceAccountName": "default", "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
           "terminationGracePeriodSeconds": 30, "schedulerName": "default-scheduler",
           "volumes": [{"name": "kube-api-access", "projected": {"defaultMode": 420, "sources": [
               {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
               {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
               {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}},
               {"name": "cache", "emptyDir": {}}],
           "containers": [{"name": name, "image": f"registry.example.com/{name}:1.2.3",
                           "imagePullPolicy": "IfNotPresent",
                           "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                           "env": [{"name": "MODE", "value": "production"}, {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}],
                           "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
                           "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"}, "periodSeconds": 10},
                           "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]}},
                           "volumeMounts": [{"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": True}],
                           "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
                          for name in ("web", "sidecar")]}}
review = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
    "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
    "kind": {"group": "", "version": "v1", "kind": "Pod"},
    "resource": {"group": "", "version": "v1", "resource": "pods"},
    "requestKind": {"group": "", "version": "v1", "kind": "Pod"},
    "requestResource": {"group": "", "version": "v1", "resource": "pods"},
    "name": "web-7d4b9c8f6-x2x9z", "namespace": "bench", "operation": "CREATE",
    "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller",
                 "uid": "a1b2", "groups": ["system:serviceaccounts", "system:authenticated"]},
    "object": pod, "oldObject": None, "dryRun": False,
    "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}}}
open(sys.argv[1] + "/review.json", "w").write(json.dumps(review))
PY
cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$tmp/review.json", "rb")
wrk.body = f:read("*a")
f:close()
LUA

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

run_wrk() { # name url pid
  local out
  curl -sk -o /dev/null -H 'Content-Type: application/json' --data-binary @"$tmp/review.json" "$2" # warm-up
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$tmp/post.lua" "$2")
  local rps p99 p50
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)
  printf '%-14s %10s req/s   p50 %-9s p99 %-9s RSS %6s KiB (peak %s KiB) %s\n' \
    "$1" "$rps" "$p50" "$p99" "$(rss_kib "$3")" "$(hwm_kib "$3")" "$errors"
}

"$build/podgate" serve --secure-port 0 --bind-address 127.0.0.1 --kubeconfig "$tmp/kubeconfig" \
  --tls-cert-file "$tmp/tls.crt" --tls-private-key-file "$tmp/tls.key" \
  --threads "$server_threads" 2> "$tmp/serve.log" &
pids+=($!)
serve_pid=$!
for _ in $(seq 100); do grep -q '"msg":"listening"' "$tmp/serve.log" 2>/dev/null && break; sleep 0.05; done
port=$(grep -o '"port":[0-9]*' "$tmp/serve.log" | head -1 | cut -d: -f2)
for _ in $(seq 100); do [ "$(curl -sk "https://127.0.0.1:$port/readyz")" = ok ] && break; sleep 0.05; done

static_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$build/bench/static_server" "$static_port" "$tmp/tls.crt" "$tmp/tls.key" "$server_threads" &
pids+=($!)
static_pid=$!
for _ in $(seq 100); do curl -sk -o /dev/null "https://127.0.0.1:$static_port/" && break; sleep 0.05; done

echo "wrk: $threads threads, $connections keep-alive connections, $duration; server threads: $server_threads; body $(wc -c < "$tmp/review.json") bytes; $(nproc) CPUs shared with wrk"
run_wrk "podgate serve" "https://127.0.0.1:$port/" "$serve_pid"
run_wrk "static (same stack)" "https://127.0.0.1:$static_port/" "$static_pid"
