# SPDX-License-Identifier: Apache-2.0
"""podgate serve when the Kubernetes API misbehaves, and under slow or flooding clients.

Starts the fake API (fake_kube.py) and `podgate serve` on 127.0.0.1, then: readiness
before and after the first sync (the first LIST answers garbage); garbage on watch and
on relist (logged, backed off, cache kept, recovered); the API killed and restarted
mid-watch, then restarted with compacted history (410 Gone, relist); the API hanging
(cached namespaces still judged, a missing namespace fails closed for a pod with
upstream's 500 denial and open for a controller, /readyz stays ready as upstream's
informer does); the error metrics; the cache's health metrics through each fault (synced
falls to 0 while a relist is pending and returns to 1, relists counted by reason, watch
restarts and API errors counted); slowloris and a connection flood against the
connection limit and --connection-timeout while a well-behaved client keeps getting
answers. Loopback only; every wait has a deadline; socket counts follow `ulimit -n`.

usage: test_faults.py PODGATE FAKE_KUBE_PY
"""
import http.client
import json
import os
import re
import resource
import signal
import socket
import ssl
import sys
import tempfile
import threading
import time
import urllib.request

import serverlib
from serverlib import wait_for

PODGATE, FAKE_KUBE = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="podgate-faults-")
REPORT = serverlib.Report()
check = REPORT.check
CONNECTION_TIMEOUT_S = 2  # serve --connection-timeout
CONNECTION_LIMIT = 4096  # src/server/http.c
LOOKUP_TIMEOUT_S = 10  # the live namespace GET at most (src/server/server.h)

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "test"},
       "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
DEPLOYMENT = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
              "spec": {"template": {"metadata": {}, "spec": POD["spec"]}}}
PRIVILEGED = {"pod-security.kubernetes.io/enforce": "privileged"}
RESTRICTED = {"pod-security.kubernetes.io/enforce": "restricted"}
NAMESPACES = {"restricted": RESTRICTED, "open": {}}


class Cluster(serverlib.Cluster):
    """The fake API serving NAMESPACES; restartable on the same port."""

    def __init__(self, options=None):
        super().__init__(FAKE_KUBE, NAMESPACES, options)


class Serve(serverlib.Serve):
    def __init__(self, cluster):
        super().__init__(serverlib.serve_args(PODGATE, TMP, cluster.port, "--threads", "4",
                                              "--connection-timeout", str(CONNECTION_TIMEOUT_S)),
                         TMP)
        self.context = ssl.create_default_context(cafile=f"{TMP}/tls.crt")

    def connect(self, timeout=30):
        return http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context,
                                           timeout=timeout)

    def get(self, path):
        conn = self.connect()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read().decode()
        finally:
            conn.close()


def metric(serve, series):
    """The value of `series` (name and labels exactly as rendered) in /metrics; None if absent."""
    match = re.search("^" + re.escape(series) + r" (\S+)$", serve.get("/metrics")[1], re.M)
    return float(match.group(1)) if match else None


SYNCED = "podgate_namespace_cache_synced"
RESTARTS = "podgate_namespace_watch_restarts_total"


def relists(reason):
    return f'podgate_namespace_relists_total{{reason="{reason}"}}'


def api_errors(call):
    return f'podgate_kube_api_errors_total{{call="{call}"}}'


def review_body(namespace, obj=POD, resource="pods", group="", uid="u1"):
    request = {"uid": uid, "kind": {"group": group, "version": "v1", "kind": obj["kind"]},
               "resource": {"group": group, "version": "v1", "resource": resource},
               "namespace": namespace, "name": obj["metadata"]["name"], "operation": "CREATE",
               "userInfo": {"username": "tester"}, "object": obj}
    return json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                       "request": request}).encode()


def post_review(conn, namespace, timeout="10s", **kwargs):
    conn.request("POST", f"/?timeout={timeout}", body=review_body(namespace, **kwargs),
                 headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, (response.status, body)
    return json.loads(body)["response"]


def review(serve, namespace, **kwargs):
    conn = serve.connect()
    try:
        return post_review(conn, namespace, **kwargs)
    finally:
        conn.close()


def verdict_becomes(serve, namespace, allowed, timeout=15.0):
    wait_for(lambda: review(serve, namespace)["allowed"] is allowed,
             f"{namespace} allowed={allowed}", timeout)


def test_ready_only_after_first_sync(serve, cluster):
    wait_for(lambda: "namespace list failed" in serve.log(), "the failed first list logged")
    assert serve.get("/readyz")[0] == 503
    assert metric(serve, SYNCED) == 0
    assert metric(serve, api_errors("list")) >= 1
    assert serve.get("/healthz") == (200, "ok")
    # Until the cache syncs, lookups go to the API (a live GET), so verdicts are right.
    assert review(serve, "restricted")["allowed"] is False
    cluster.post("/control/fault", {})
    wait_for(lambda: serve.get("/readyz") == (200, "ok"), "/readyz after the first sync")
    assert metric(serve, SYNCED) == 1
    # The first LIST is no relist.
    for reason in ("gone", "error_event", "undecodable"):
        assert metric(serve, relists(reason)) == 0, reason


def test_garbage_watch_and_list(serve, cluster):
    before = cluster.stats()
    undecodable = metric(serve, relists("undecodable"))
    list_errors = metric(serve, api_errors("list"))
    cluster.post("/control/fault", {"watch": "garbage", "list": "wrongtype"})
    cluster.post("/control/disconnect", {})
    wait_for(lambda: "undecodable watch event" in serve.log(), "the garbage event logged")
    wait_for(lambda: cluster.stats()["list"] > before["list"], "a relist after garbage")
    wait_for(lambda: "items is not a list" in serve.log(), "the bad relist logged")
    # The failed relist keeps the cache: verdicts need no live GET, and readiness holds.
    assert review(serve, "restricted")["allowed"] is False
    assert review(serve, "open")["allowed"] is True
    assert cluster.stats()["get"] == before["get"], "the cache was dropped"
    assert serve.get("/readyz") == (200, "ok")
    # Ready as upstream, but the metrics show the cache is stale until a relist succeeds.
    wait_for(lambda: metric(serve, api_errors("list")) > list_errors, "the list error counted")
    assert metric(serve, SYNCED) == 0
    assert metric(serve, relists("undecodable")) == undecodable
    # Backoff: a few retries in a second, not a busy loop.
    calls = cluster.stats()
    time.sleep(1.0)
    retries = cluster.stats()["list"] + cluster.stats()["watch"] - calls["list"] - calls["watch"]
    assert retries <= 6, f"{retries} retries in 1 s"
    cluster.post("/control/fault", {})
    cluster.post("/control/labels", {"name": "restricted", "labels": PRIVILEGED})
    verdict_becomes(serve, "restricted", True)
    cluster.post("/control/labels", {"name": "restricted", "labels": RESTRICTED})
    verdict_becomes(serve, "restricted", False)
    assert metric(serve, SYNCED) == 1
    assert metric(serve, relists("undecodable")) == undecodable + 1


def test_api_killed_and_restarted(serve, cluster):
    rv = cluster.stats()["rv"]
    restarts, watch_errors = metric(serve, RESTARTS), metric(serve, api_errors("watch"))
    cluster.kill()
    wait_for(lambda: "namespace watch failed" in serve.log(), "the broken watch logged")
    for _ in range(5):
        assert review(serve, "restricted")["allowed"] is False
        assert review(serve, "open")["allowed"] is True
    assert serve.get("/readyz") == (200, "ok")
    time.sleep(1.0)  # let the webhook fail a few reconnects and back off
    # Nothing arrives while the API server is gone: the cache is not current.
    wait_for(lambda: metric(serve, SYNCED) == 0, "synced 0 while the API server is down")
    cluster.start(NAMESPACES, {"rv": rv + 100})
    cluster.post("/control/labels", {"name": "restricted", "labels": PRIVILEGED})
    verdict_becomes(serve, "restricted", True)
    assert cluster.stats()["list"] == 0, "resumed the watch without a relist"
    assert metric(serve, RESTARTS) >= restarts + 2  # the broken watch and failed reconnects
    assert metric(serve, api_errors("watch")) >= watch_errors + 2
    assert metric(serve, SYNCED) == 1


def test_api_restarted_with_compacted_history(serve, cluster):
    rv = cluster.stats()["rv"]
    gone = metric(serve, relists("gone"))
    cluster.kill()
    restarted = dict(NAMESPACES, open=RESTRICTED)  # changed while the webhook could not watch
    cluster.start(restarted, {"rv": rv + 100, "compacted": True, "faults": {}})
    cluster.post("/control/disconnect", {})
    verdict_becomes(serve, "open", False)
    assert cluster.stats()["list"] >= 1, "recovered from 410 Gone by relisting"
    assert metric(serve, relists("gone")) >= gone + 1
    assert metric(serve, SYNCED) == 1
    assert review(serve, "restricted")["allowed"] is False


def timed_review(serve, out, key, namespace, **kwargs):
    started = time.monotonic()
    try:
        out[key] = review(serve, namespace, **kwargs)
    except Exception as exc:  # noqa: BLE001 - reported by the caller
        out[key] = exc
    out[key + "_s"] = time.monotonic() - started


def test_api_hangs(serve, cluster):
    cluster.post("/control/fault", {"list": "hang", "watch": "hang"})
    cluster.post("/control/disconnect", {})
    wait_for(lambda: cluster.stats()["watch"] >= 1, "a hanging watch")
    # Cached namespaces are judged at once while the watch hangs.
    for _ in range(10):
        started = time.monotonic()
        assert review(serve, "open")["allowed"] is False  # restricted since the last test
        assert time.monotonic() - started < 1.0
    assert serve.get("/readyz") == (200, "ok")  # upstream: ready once synced, stays ready
    # A namespace missing from the cache and from the API fails closed at once.
    pod = review(serve, "ghost")
    assert pod["allowed"] is False and pod["status"]["code"] == 500, pod
    assert pod["status"]["message"] == \
        'Internal error occurred: failed to lookup namespace "ghost"', pod
    # The live GET hangs too: pods fail closed, controllers open, once it times out.
    # (The lookup blocks its HTTP worker thread meanwhile; start the two 0.3 s apart so
    # they land on different workers.)
    cluster.post("/control/fault", {"list": "hang", "watch": "hang", "get": "hang"})
    out = {}
    misses = [threading.Thread(target=timed_review, args=(serve, out, "pod", "ghost")),
              threading.Thread(target=timed_review, args=(serve, out, "deployment", "ghost"),
                               kwargs={"obj": DEPLOYMENT, "resource": "deployments",
                                       "group": "apps", "uid": "u2"})]
    for thread in misses:
        thread.start()
        time.sleep(0.3)
    for thread in misses:
        thread.join(timeout=LOOKUP_TIMEOUT_S + 20)
    pod, deployment = out["pod"], out["deployment"]
    assert pod["allowed"] is False and pod["status"]["code"] == 500, pod
    assert pod["status"]["message"] == \
        'Internal error occurred: failed to lookup namespace "ghost"', pod
    assert pod["auditAnnotations"]["error"].startswith(
        'Internal error occurred: failed to lookup namespace "ghost": '), pod
    assert deployment["allowed"] is True, deployment  # controllers fail open
    assert deployment["auditAnnotations"]["error"].startswith(
        'failed to lookup namespace "ghost": '), deployment
    assert out["pod_s"] < LOOKUP_TIMEOUT_S + 5, out
    cluster.post("/control/fault", {})
    cluster.post("/control/labels", {"name": "open", "labels": {}})
    verdict_becomes(serve, "open", True, timeout=20.0)


def test_lookup_ends_at_the_review_timeout(serve, cluster):
    # The API server sends its own wait for the webhook as ?timeout=; a live GET that hangs
    # gives up then (not after the lookup's fixed 10 s), freeing its HTTP worker.
    cluster.post("/control/fault", {"get": "hang"})
    try:
        for timeout in ("1s", "1500ms"):
            started = time.monotonic()
            pod = review(serve, "ghost", timeout=timeout)
            elapsed = time.monotonic() - started
            assert pod["allowed"] is False and pod["status"]["code"] == 500, pod
            assert pod["status"]["message"] == \
                'Internal error occurred: failed to lookup namespace "ghost"', pod
            assert 0.9 < elapsed < LOOKUP_TIMEOUT_S / 2, (timeout, elapsed)
    finally:
        cluster.post("/control/fault", {})


def test_error_metrics(serve):
    text = serve.get("/metrics")[1]
    for series in ('pod_security_errors_total{fatal="true",request_operation="create",'
                   'resource="pod",subresource=""}',
                   'pod_security_errors_total{fatal="true",request_operation="create",'
                   'resource="controller",subresource=""}'):
        match = re.search(re.escape(series) + r" (\d+)", text)
        assert match and int(match.group(1)) >= 1, (series, text)
    assert re.search(r'podgate_http_requests_total\{code="200"\} \d+', text), text


def socket_budget():
    """How many attack sockets this process may open, leaving room for everything else."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return max(0, soft - 256)


class GoodClient:
    """Reviews on a keep-alive connection in a thread, recording each latency."""

    def __init__(self, serve):
        self.serve, self.latencies, self.errors = serve, [], []
        self.stop = threading.Event()
        self.conn = serve.connect(timeout=10)
        post_review(self.conn, "restricted")  # connected and warm before the attack
        self.thread = threading.Thread(target=self.loop)
        self.thread.start()

    def loop(self):
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                assert post_review(self.conn, "restricted")["allowed"] is False
            except Exception as exc:  # noqa: BLE001 - collected and asserted on
                self.errors.append(repr(exc))
                self.conn.close()
                self.conn = self.serve.connect(timeout=10)
            self.latencies.append(time.monotonic() - started)
            time.sleep(0.01)

    def finish(self):
        self.stop.set()
        self.thread.join(timeout=30)
        self.conn.close()
        latencies = sorted(self.latencies)
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        assert not self.errors, self.errors[:3]
        assert len(latencies) >= 20 and p99 < 1.0, (len(latencies), p99)
        return p99


def closed(sock):
    """Whether the server closed `sock` (non-blocking); a TLS alert may come first."""
    try:
        while sock.recv(4096) != b"":
            pass
        return True
    except BlockingIOError:
        return False
    except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
        return False
    except OSError:
        return True


def test_slowloris(serve):
    count = min(400, socket_budget() // 2)
    good = GoodClient(serve)
    slow = []
    for _ in range(count):
        raw = socket.create_connection(("127.0.0.1", serve.port), timeout=10)
        conn = serve.context.wrap_socket(raw, server_hostname="127.0.0.1")
        conn.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
        slow.append(conn)
    # Trickle one header byte per connection every 0.5 s: never idle for the timeout.
    deadline = time.monotonic() + 2 * CONNECTION_TIMEOUT_S
    while time.monotonic() < deadline:
        for conn in slow:
            try:
                conn.sendall(b"X")
            except OSError:
                pass
        time.sleep(0.5)
    p99 = good.finish()
    # Stop trickling: every stalled connection is closed by the server's timeout.
    for conn in slow:
        conn.setblocking(False)
    wait_for(lambda: all(closed(conn) for conn in slow), "stalled connections closed",
             timeout=CONNECTION_TIMEOUT_S + 5)
    for conn in slow:
        conn.close()
    print(f"# slowloris: {count} connections, good client p99 {p99 * 1000:.0f} ms", flush=True)


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def test_connection_flood(serve):
    count = min(CONNECTION_LIMIT + 512, socket_budget())
    good = GoodClient(serve)
    flood = []
    for _ in range(count):
        try:
            flood.append(socket.create_connection(("127.0.0.1", serve.port), timeout=10))
        except OSError:
            break  # the backlog is full: the limit is doing its job
    time.sleep(0.5)
    for sock in flood:
        sock.setblocking(False)
    fds = open_fds(serve.proc.pid)
    p99 = good.finish()
    # At the limit the server stops accepting: the rest wait in the kernel's backlog.
    assert fds <= CONNECTION_LIMIT + 128, fds
    # Idle connections are closed after --connection-timeout, then the backlog is
    # accepted and times out in turn; then new clients get in.
    try:
        wait_for(lambda: all(closed(sock) for sock in flood), "flood connections closed",
                 timeout=2 * CONNECTION_TIMEOUT_S + 8)
    except AssertionError:
        raise AssertionError(f"{sum(1 for s in flood if not closed(s))} of {len(flood)} open, "
                             f"server fds {open_fds(serve.proc.pid)}") from None
    for sock in flood:
        sock.close()
    assert review(serve, "restricted")["allowed"] is False
    print(f"# flood: {len(flood)} connections, server fds {fds}, "
          f"good client p99 {p99 * 1000:.0f} ms", flush=True)


def test_sigterm(serve):
    serve.proc.send_signal(signal.SIGTERM)
    assert serve.proc.wait(timeout=30) == 0


def main():
    serverlib.self_signed_cert(TMP)
    cluster = Cluster({"faults": {"list": "garbage"}})
    serve = Serve(cluster)
    try:
        check("ready only after the first sync", test_ready_only_after_first_sync, serve,
              cluster)
        check("garbage on watch and relist: logged, backed off, cache kept",
              test_garbage_watch_and_list, serve, cluster)
        check("API killed and restarted mid-watch", test_api_killed_and_restarted, serve,
              cluster)
        check("API restarted with compacted history (410, relist)",
              test_api_restarted_with_compacted_history, serve, cluster)
        check("API hangs: cache answers, misses fail closed for pods, open for controllers",
              test_api_hangs, serve, cluster)
        check("a hanging lookup gives up at the review's ?timeout=",
              test_lookup_ends_at_the_review_timeout, serve, cluster)
        check("error metrics", test_error_metrics, serve)
        check("slowloris", test_slowloris, serve)
        check("connection flood", test_connection_flood, serve)
        check("still stops cleanly on SIGTERM", test_sigterm, serve)
    finally:
        status = REPORT.finish(serve, cluster)
    return status


if __name__ == "__main__":
    sys.exit(main())
