# SPDX-License-Identifier: Apache-2.0
"""A small fake Kubernetes API for podgate's server tests, on 127.0.0.1 only.

Serves namespaces (paged list, watch, get) and pods (paged list). Tests steer it
through /control/* endpoints: change labels (a MODIFIED event), drop every open
watch, forget history (the next watch from an old resourceVersion gets 410
Gone), and read call counters. For fault tests, /control/fault makes list, watch or
get answer garbage JSON, a list whose items are not a list, hang without answering
until the fault is cleared, or answer normally after SLOW_S seconds ("slow"); a label
change posted with "silent" reaches gets and lists but no watch (a namespace the
webhook's cache misses); the optional second argument
(`{"port": P, "rv": R, "compacted": true, "faults": {...}}`) restarts the API on a
known port with its resourceVersion counter at R and, when compacted, no history
before R.
"""
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self):
        self.lock = threading.Condition()
        self.rv = 100
        self.namespaces = {}
        self.pods = {}
        self.events = []  # (rv, type, object)
        self.oldest_rv = 100
        self.generation = 0  # bumped to drop watches
        self.gone_mode = "event"  # "event": ERROR event with 410; "status": HTTP 410
        self.calls = {"list": 0, "watch": 0, "get": 0, "pods": 0}
        self.faults = {}  # "list"/"watch"/"get" -> "garbage", "wrongtype", "hang" or "slow"
        self.token = None  # when set, API calls need "Authorization: Bearer <token>"
        self.unauthorized = 0

    def ns_object(self, name):
        labels = self.namespaces[name]
        return {"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": name, "resourceVersion": str(self.rv_of(name)),
                             "labels": dict(labels, **{"kubernetes.io/metadata.name": name})}}

    def rv_of(self, name):
        for rv, _, obj in reversed(self.events):
            if obj["metadata"]["name"] == name:
                return rv
        return self.oldest_rv

    def set_labels(self, name, labels, silent=False):
        with self.lock:
            kind = "MODIFIED" if name in self.namespaces else "ADDED"
            self.rv += 1
            self.namespaces[name] = labels
            if not silent:
                self.events.append((self.rv, kind, self.ns_object(name)))
            self.lock.notify_all()


STATE = State()
SLOW_S = 3.0  # how long a "slow" call waits before answering


def status(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def send_json(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        parts = url.path.strip("/").split("/")
        if url.path == "/control/stats":
            with STATE.lock:
                return self.send_json(200, dict(STATE.calls, rv=STATE.rv,
                                                unauthorized=STATE.unauthorized))
        with STATE.lock:
            refused = (STATE.token is not None and
                       self.headers.get("Authorization") != f"Bearer {STATE.token}")
            STATE.unauthorized += refused
        if refused:
            return self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) == 3:
            if query.get("watch") in ("1", "true"):
                return self.watch(query)
            return self.list_namespaces(query)
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) == 4:
            return self.get_namespace(parts[3])
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) == 5 and parts[4] == "pods":
            return self.list_pods(parts[3], query)
        self.send_json(404, status(404, "NotFound", "the server could not find the resource"))

    def page(self, items, query):
        limit = int(query.get("limit", "0") or 0)
        start = int(query.get("continue", "0") or 0)
        end = len(items) if limit <= 0 else min(len(items), start + limit)
        meta = {"resourceVersion": str(STATE.rv)}
        if end < len(items):
            meta["continue"] = str(end)
            meta["remainingItemCount"] = len(items) - end
        return {"kind": "List", "apiVersion": "v1", "metadata": meta, "items": items[start:end]}

    def fault(self, call):
        """Answer as the configured fault for `call`; False when there is none."""
        with STATE.lock:
            STATE.calls[call] += 1
            mode = STATE.faults.get(call)
        if mode == "hang":
            with STATE.lock:  # no answer at all until the fault is cleared, then hang up
                while STATE.faults.get(call) == "hang":
                    STATE.lock.wait(timeout=0.5)
            self.close_connection = True
            return True
        if mode == "slow":
            time.sleep(SLOW_S)
            return False
        if mode in ("garbage", "wrongtype"):
            body = b'{"kind": "NamespaceList", "items": [{"metad' if mode == "garbage" else \
                b'{"kind": "NamespaceList", "metadata": {}, "items": 5}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body + b"\n")
            return True
        return False

    def list_namespaces(self, query):
        if self.fault("list"):
            return
        with STATE.lock:
            items = [STATE.ns_object(n) for n in sorted(STATE.namespaces)]
            body = self.page(items, query)
        self.send_json(200, body)

    def get_namespace(self, name):
        if self.fault("get"):
            return
        with STATE.lock:
            if name not in STATE.namespaces:
                body = None
            else:
                body = STATE.ns_object(name)
        if body is None:
            return self.send_json(404, status(404, "NotFound", f'namespaces "{name}" not found'))
        self.send_json(200, body)

    def list_pods(self, namespace, query):
        with STATE.lock:
            STATE.calls["pods"] += 1
            items = list(STATE.pods.get(namespace, []))
        self.send_json(200, self.page(items, query))

    def watch(self, query):
        rv = int(query.get("resourceVersion", "0") or 0)
        if self.fault("watch"):
            return
        with STATE.lock:
            generation = STATE.generation
            gone = rv < STATE.oldest_rv
            mode = STATE.gone_mode
        if gone and mode == "status":
            return self.send_json(410, status(410, "Expired", "too old resource version"))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if gone:
            event = {"type": "ERROR", "object": status(410, "Expired", "too old resource version")}
            self.wfile.write((json.dumps(event) + "\n").encode())
            return
        self.stream(rv, generation)

    def stream(self, rv, generation):
        while True:
            with STATE.lock:
                pending = [e for e in STATE.events if e[0] > rv]
                if not pending and STATE.generation == generation:
                    STATE.lock.wait(timeout=0.5)
                    continue
                if STATE.generation != generation:
                    return
            for event_rv, kind, obj in pending:
                line = json.dumps({"type": kind, "object": obj}) + "\n"
                try:
                    self.wfile.write(line.encode())
                    self.wfile.flush()
                except OSError:
                    return
                rv = event_rv

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/control/labels":
            STATE.set_labels(body["name"], body["labels"], body.get("silent", False))
        elif self.path == "/control/pods":
            with STATE.lock:
                STATE.pods[body["namespace"]] = body["pods"]
        elif self.path == "/control/fault":
            with STATE.lock:
                STATE.faults = {k: v for k, v in body.items() if v}
                STATE.lock.notify_all()
        elif self.path == "/control/token":
            with STATE.lock:
                STATE.token = body.get("token")
        elif self.path == "/control/disconnect":
            with STATE.lock:
                STATE.generation += 1
                STATE.lock.notify_all()
        elif self.path == "/control/expire":
            with STATE.lock:
                STATE.gone_mode = body.get("mode", "event")
                STATE.oldest_rv = STATE.rv + 1
                STATE.generation += 1
                STATE.lock.notify_all()
        else:
            return self.send_json(404, {})
        self.send_json(200, {})


def main():
    for name, labels in json.loads(sys.argv[1] if len(sys.argv) > 1 else "{}").items():
        STATE.namespaces[name] = labels
    options = json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")
    STATE.rv = options.get("rv", STATE.rv)
    STATE.oldest_rv = STATE.rv if options.get("compacted") else STATE.oldest_rv
    STATE.faults = options.get("faults", {})
    STATE.token = options.get("token")
    server = ThreadingHTTPServer(("127.0.0.1", options.get("port", 0)), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
