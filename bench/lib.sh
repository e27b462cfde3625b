# SPDX-License-Identifier: Apache-2.0
# What bench/webhook.sh and bench/soak.sh share, sourced after `set -euo pipefail` with
# $root and $build set: a temporary directory ($tmp) removed on exit together with every
# process whose pid is added to $pids; a serving certificate for 127.0.0.1; the fake API
# (tests/server/fake_kube.py) and a kubeconfig pointing at it; a wrk script posting
# $tmp/review.json; and `podgate serve` started on a free port and waited for until ready.
# Everything listens on 127.0.0.1 only.

tmp=$(mktemp -d)
pids=()
bench_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap bench_cleanup EXIT

# $tmp/tls.key and $tmp/tls.crt: a P-256 certificate for 127.0.0.1, valid for a day.
bench_cert() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -keyout "$tmp/tls.key" -out "$tmp/tls.crt" -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 2>/dev/null
}

# NAMESPACES_JSON: start the fake API with these namespaces and labels, write
# $tmp/kubeconfig for it, and set serve_args (podgate serve's options, without the port).
bench_fake_api() {
  python3 "$root/tests/server/fake_kube.py" "$1" > "$tmp/kube.port" &
  pids+=($!)
  for _ in $(seq 50); do [ -s "$tmp/kube.port" ] && break; sleep 0.1; done
  [ -s "$tmp/kube.port" ] || { echo "the fake API did not start" >&2; exit 1; }
  cat > "$tmp/kubeconfig" <<KC
apiVersion: v1
kind: Config
current-context: b
contexts: [{name: b, context: {cluster: b, user: b}}]
clusters: [{name: b, cluster: {server: "http://127.0.0.1:$(cat "$tmp/kube.port")"}}]
users: [{name: b, user: {token: bench}}]
KC
  serve_args=(serve --bind-address 127.0.0.1 --kubeconfig "$tmp/kubeconfig"
    --tls-cert-file "$tmp/tls.crt" --tls-private-key-file "$tmp/tls.key")
}

# FILE [DELAY_MS]: a wrk script posting $tmp/review.json, pacing each connection when
# DELAY_MS is given (wrk's delay(): wait that long after each response).
bench_post_script() {
  cat > "$1" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$tmp/review.json", "rb")
wrk.body = f:read("*a")
f:close()
LUA
  if [ -n "${2:-}" ]; then printf 'function delay()\n  return %s\nend\n' "$2" >> "$1"; fi
}

# THREADS: start podgate serve (serve_args) on a free port, its log in $tmp/serve.log; wait
# until /readyz answers (up to 5 s). Sets serve_pid and port.
bench_start_serve() {
  "$build/podgate" "${serve_args[@]}" --secure-port 0 --threads "$1" 2> "$tmp/serve.log" &
  serve_pid=$!
  pids+=("$serve_pid")
  port=
  for _ in $(seq 100); do
    port=$(grep -o '"msg":"listening".*"port":[0-9]*' "$tmp/serve.log" 2>/dev/null |
      grep -o '"port":[0-9]*' | head -1 | cut -d: -f2 || true)
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "podgate serve did not start" >&2; exit 1; }
  for _ in $(seq 100); do
    [ "$(curl -sk "https://127.0.0.1:$port/readyz" || true)" = ok ] && return 0
    sleep 0.05
  done
  echo "podgate serve on port $port never became ready" >&2
  exit 1
}
