# SPDX-License-Identifier: Apache-2.0
"""What the HTTPS suites share: the fake API (fake_kube.py), `podgate serve` started on
127.0.0.1 with a kubeconfig pointing at it, polling with a deadline, and ok/not ok reporting.

Used by test_serve.py, test_faults.py, test_serve_policy.py and the other HTTPS suites; each keeps its own requests
and assertions. Loopback only.
"""
import json
import re
import subprocess
import sys
import time
import urllib.request


def run(*args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, **kwargs)


def wait_for(predicate, what, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def self_signed_cert(tmp, days=1):
    """tmp/tls.key and tmp/tls.crt: a P-256 certificate for 127.0.0.1."""
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", f"{tmp}/tls.key", "-out", f"{tmp}/tls.crt", "-days", str(days),
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")


def serve_args(podgate, tmp, api_port, *extra):
    """`podgate serve` on a free 127.0.0.1 port with tmp/tls.{crt,key}, its API at api_port
    (tmp/kubeconfig is written), and the `extra` options."""
    with open(f"{tmp}/kubeconfig", "w") as f:
        f.write("apiVersion: v1\nkind: Config\ncurrent-context: t\n"
                "contexts: [{name: t, context: {cluster: c, user: u}}]\n"
                f"clusters: [{{name: c, cluster: {{server: 'http://127.0.0.1:{api_port}'}}}}]\n"
                "users: [{name: u, user: {token: secret}}]\n")
    return [podgate, "serve", "--secure-port", "0", "--bind-address", "127.0.0.1",
            "--kubeconfig", f"{tmp}/kubeconfig", "--tls-cert-file", f"{tmp}/tls.crt",
            "--tls-private-key-file", f"{tmp}/tls.key", *extra]


class Cluster:
    """The fake API serving `namespaces`; restartable on the same port (fake_kube.py's
    options: rv, compacted, faults)."""

    def __init__(self, fake_kube, namespaces, options=None):
        self.fake_kube = fake_kube
        self.port = 0
        self.proc = None
        self.start(namespaces, options or {})

    def start(self, namespaces, options):
        options = dict(options, port=self.port)
        self.proc = subprocess.Popen([sys.executable, self.fake_kube, json.dumps(namespaces),
                                      json.dumps(options)], stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def kill(self):
        self.proc.kill()
        self.proc.wait(timeout=10)

    def post(self, path, body):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}",
                                     data=json.dumps(body).encode(), method="POST")
        urllib.request.urlopen(req, timeout=10).read()

    def stats(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/control/stats", timeout=10) as r:
            return json.loads(r.read())


class Serve:
    """A running `podgate serve` (args from serve_args); its stderr goes to tmp/NAME.log, and
    the port is read from its "listening" line (within `timeout` seconds)."""

    def __init__(self, args, tmp, name="serve", timeout=15.0):
        self.stderr = open(f"{tmp}/{name}.log", "w+")
        self.proc = subprocess.Popen(args, stderr=self.stderr)
        self.port = None
        wait_for(self.find_port, "the listening log line", timeout=timeout)

    def find_port(self):
        match = re.search(r'"msg":"listening".*"port":(\d+)', self.log())
        if match:
            self.port = int(match.group(1))
        return self.port is not None

    def log(self):
        self.stderr.seek(0)
        return self.stderr.read()


class Report:
    """Runs checks, prints a line per check, and the summary."""

    def __init__(self):
        self.results = []

    def check(self, name, fn, *args):
        try:
            fn(*args)
            self.results.append((name, None))
            print(f"ok - {name}", flush=True)
        except Exception as exc:  # noqa: BLE001 - report every failure and go on
            self.results.append((name, exc))
            print(f"not ok - {name}: {exc!r}", flush=True)

    def finish(self, serve, cluster):
        """Stop both processes, print the summary (and the server log on failure); the exit
        status."""
        if serve.proc.poll() is None:
            serve.proc.kill()
        cluster.proc.kill()
        serve.proc.wait(timeout=10)
        cluster.proc.wait(timeout=10)
        failed = sum(1 for _, exc in self.results if exc is not None)
        if failed:
            print(serve.log()[-4000:])
        print(f"{len(self.results) - failed} passed, {failed} failed")
        return 1 if failed else 0
