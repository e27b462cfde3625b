# SPDX-License-Identifier: Apache-2.0
"""A fake Kubernetes API server for `podgate audit`'s live mode, on 127.0.0.1 only.

Serves cluster-wide LISTs of the resources the audit reads the way the API server does: a
`<Kind>List` with kind and apiVersion on the List only (never on the items), real `limit` /
`continue` paging (opaque base64 tokens that need URL-encoding, `remainingItemCount`), gzip
when the client accepts it, Status objects for errors. HTTPS with a bearer token or a client
certificate signed by a given CA; anything else gets 401.

usage: fake_api.py CONFIG_JSON_FILE  (prints the port, then serves until killed)

CONFIG: {"objects": {"/api/v1/pods": [item, ...], ...},   # items without kind/apiVersion
         "cert": PEM file, "key": PEM file, "client_ca": PEM file or null,
         "token": "secret",
         "absent": [path, ...],   # 404, as /apis/policy/v1beta1/... on Kubernetes >= 1.25
         "forbid": [path, ...],   # 403 for this user
         "expire": [path, ...],   # a continue token for it is expired: 410 Gone
         "loop": [path, ...],     # every page repeats the first page's continue token
         "garbage": [path, ...],  # 200 with an HTML page
         "delay": seconds,        # before each answer (progress on a terminal)
         "hold": path}            # answer it only after GET /control/release
GET /control/requests (no authentication) answers every request so far as
[{"path", "query", "status", "items"}], the held one with status "held".
"""
import base64
import gzip
import json
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KINDS = {
    "/api/v1/namespaces": ("v1", "Namespace"),
    "/api/v1/pods": ("v1", "Pod"),
    "/api/v1/replicationcontrollers": ("v1", "ReplicationController"),
    "/api/v1/podtemplates": ("v1", "PodTemplate"),
    "/apis/apps/v1/deployments": ("apps/v1", "Deployment"),
    "/apis/apps/v1/statefulsets": ("apps/v1", "StatefulSet"),
    "/apis/apps/v1/daemonsets": ("apps/v1", "DaemonSet"),
    "/apis/apps/v1/replicasets": ("apps/v1", "ReplicaSet"),
    "/apis/batch/v1/jobs": ("batch/v1", "Job"),
    "/apis/batch/v1/cronjobs": ("batch/v1", "CronJob"),
    "/apis/policy/v1beta1/podsecuritypolicies": ("policy/v1beta1", "PodSecurityPolicy"),
    "/apis/rbac.authorization.k8s.io/v1/roles": ("rbac.authorization.k8s.io/v1", "Role"),
    "/apis/rbac.authorization.k8s.io/v1/rolebindings":
        ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    "/apis/rbac.authorization.k8s.io/v1/clusterroles":
        ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings":
        ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
}
RESOURCE_VERSION = 4242
EXPIRED = ("The provided continue parameter is too old to display a consistent list result. "
           "You can start a new list without the continue parameter, or use the continue "
           "token in this response to retrieve the remainder of the results. Continuing with "
           "the provided token results in an inconsistent list - objects that were created, "
           "modified, or deleted between the time the first chunk was returned and now may "
           "show up in the list.")
CONFIG = {}
LOG = []
LOCK = threading.Lock()
RELEASE = threading.Event()


def status(code, reason, message, **extra):
    return dict({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                 "message": message, "reason": reason, "code": code}, **extra)


def encode_token(start):
    """Base64 of JSON behind two bytes that encode as `+/`: unusable unless URL-encoded."""
    raw = b"\xfb\xff" + json.dumps({"rv": RESOURCE_VERSION, "start": start}).encode()
    return base64.b64encode(raw).decode()


def decode_token(token):
    try:
        raw = base64.b64decode(token.encode(), validate=True)
        if raw[:2] != b"\xfb\xff":
            raise ValueError("prefix")
        return int(json.loads(raw[2:])["start"])
    except (ValueError, KeyError, TypeError):
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, code, obj, items=None):
        body = json.dumps(obj, separators=(",", ":")).encode()
        with LOCK:
            LOG.append({"path": self.url.path, "query": self.query, "status": code,
                        "items": items})
        if CONFIG.get("delay"):
            time.sleep(CONFIG["delay"])
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        if "gzip" in self.headers.get("Accept-Encoding", "") and len(body) > 16384:
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def authenticated(self):
        if self.headers.get("Authorization") == "Bearer " + str(CONFIG.get("token")):
            return True
        return bool(self.connection.getpeercert())  # verified against client_ca

    def do_GET(self):
        self.url = urllib.parse.urlsplit(self.path)
        # parse_qsl turns an unescaped `+` into a space, as Go's url.ParseQuery does.
        self.query = dict(urllib.parse.parse_qsl(self.url.query, keep_blank_values=True))
        path = self.url.path
        if path == "/control/requests":
            with LOCK:
                log = list(LOG)
            return self.send_json(200, log)
        if path == "/control/release":
            RELEASE.set()
            return self.send_json(200, {})
        if path == CONFIG.get("hold") and not RELEASE.is_set():
            with LOCK:
                LOG.append({"path": path, "query": self.query, "status": "held", "items": None})
            RELEASE.wait(timeout=300)
        if not self.authenticated():
            return self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
        if path not in KINDS or path in CONFIG.get("absent", []):
            return self.send_json(404, status(404, "NotFound",
                                              "the server could not find the requested resource"))
        if path in CONFIG.get("forbid", []):
            resource = path.rsplit("/", 1)[1]
            group = KINDS[path][0].rpartition("/")[0]
            return self.send_json(403, status(
                403, "Forbidden", f'{resource} is forbidden: User "system:serviceaccount:'
                f'audit:podgate" cannot list resource "{resource}" in API group "{group}" at '
                "the cluster scope", details={"kind": resource}))
        if path in CONFIG.get("garbage", []):
            return self.send_html()
        self.list(path)

    def send_html(self):
        body = b"<html><body>502 Bad Gateway</body></html>\n"
        with LOCK:
            LOG.append({"path": self.url.path, "query": self.query, "status": 200,
                        "items": None})
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def list(self, path):
        items = CONFIG["objects"].get(path, [])
        start = 0
        if self.query.get("continue"):
            start = decode_token(self.query["continue"])
            if start is None:
                return self.send_json(400, status(400, "BadRequest",
                                                  "continue key is not valid: bad token"))
            if path in CONFIG.get("expire", []):
                return self.send_json(410, status(410, "Expired", EXPIRED,
                                                  metadata={"continue": encode_token(start)}))
        limit = int(self.query.get("limit", "0") or 0)
        end = len(items) if limit <= 0 else min(len(items), start + limit)
        meta = {"resourceVersion": str(RESOURCE_VERSION)}
        if end < len(items):
            meta["continue"] = encode_token(end if path not in CONFIG.get("loop", []) else limit)
            meta["remainingItemCount"] = len(items) - end
        api_version, kind = KINDS[path]
        self.send_json(200, {"kind": kind + "List", "apiVersion": api_version, "metadata": meta,
                             "items": items[start:end]}, items=end - start)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        CONFIG.update(json.load(f))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(CONFIG["cert"], CONFIG["key"])
    if CONFIG.get("client_ca"):
        context.verify_mode = ssl.CERT_OPTIONAL
        context.load_verify_locations(CONFIG["client_ca"])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
