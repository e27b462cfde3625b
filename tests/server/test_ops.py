# SPDX-License-Identifier: Apache-2.0
"""podgate serve's operational options, each on a server of its own over HTTPS on 127.0.0.1.

SIGTERM with a review in flight (the fake API's namespace GET made slow), with and without
--shutdown-delay-duration: /readyz turns 503 at once, reviews are still answered during the
delay, the one in flight completes with 200 and the process exits 0. The namespace label of
the metrics, capped at --metrics-namespace-label-limit distinct values. Listening on IPv6
loopback; TLS below 1.2 refused by the server (its protocol_version alert, with a client
willing to speak TLS 1.1), and TLS 1.2 too with --tls-min-version VersionTLS13; upstream's
flags podgate lacks fail with a message saying so.

usage: test_ops.py PODGATE FAKE_KUBE_PY
"""
import http.client
import json
import re
import signal
import ssl
import sys
import tempfile
import threading
import time

import serverlib
from serverlib import run, wait_for

PODGATE, FAKE_KUBE = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="podgate-ops-")
REPORT = serverlib.Report()
check = REPORT.check
SLOW_S = 3.0  # fake_kube.py's "slow" fault

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "test"},
       "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
RESTRICTED = {"pod-security.kubernetes.io/enforce": "restricted"}
PRIVILEGED = {"pod-security.kubernetes.io/enforce": "privileged"}


class Serve(serverlib.Serve):
    """A server of its own (log TMP/NAME.log), ready before it is returned."""

    def __init__(self, cluster, name, *extra, host="127.0.0.1"):
        super().__init__(serverlib.serve_args(PODGATE, TMP, cluster.port, "--threads", "2",
                                              *extra), TMP, name)
        self.host = host
        self.context = ssl.create_default_context(cafile=f"{TMP}/tls.crt")
        self.context.check_hostname = host == "127.0.0.1"  # the certificate names 127.0.0.1
        wait_for(lambda: self.get("/readyz")[0] == 200, f"{name} ready")

    def connect(self, timeout=30):
        return http.client.HTTPSConnection(self.host, self.port, context=self.context,
                                           timeout=timeout)

    def request(self, method, path, body=None, headers=None):
        conn = self.connect()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read().decode()
        finally:
            conn.close()

    def get(self, path):
        return self.request("GET", path)

    def review(self, namespace, obj=POD):
        request = {"uid": "u1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
                   "resource": {"group": "", "version": "v1", "resource": "pods"},
                   "namespace": namespace, "name": obj["metadata"]["name"],
                   "operation": "CREATE", "userInfo": {"username": "tester"}, "object": obj}
        body = json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                           "request": request})
        status, text = self.request("POST", "/?timeout=10s", body,
                                    {"Content-Type": "application/json"})
        assert status == 200, (status, text)
        return json.loads(text)["response"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


SERVES = []


def start(cluster, name, *extra, **kwargs):
    serve = Serve(cluster, name, *extra, **kwargs)
    SERVES.append(serve)
    return serve


def review_in_background(serve, namespace, out):
    try:
        out["response"] = serve.review(namespace)
    except Exception as exc:  # noqa: BLE001 - asserted by the caller
        out["response"] = exc


def slow_review_in_flight(serve, cluster, namespace):
    """A review of a namespace the cache misses, waiting on a slow live GET; once the GET
    has reached the API, returns the thread and where its response will be."""
    cluster.post("/control/labels", {"name": namespace, "labels": RESTRICTED, "silent": True})
    cluster.post("/control/fault", {"get": "slow"})
    gets = cluster.stats()["get"]
    out = {}
    thread = threading.Thread(target=review_in_background, args=(serve, namespace, out))
    thread.start()
    wait_for(lambda: cluster.stats()["get"] > gets, "the live GET in flight")
    return thread, out


def assert_completed(thread, out):
    thread.join(timeout=30)
    response = out.get("response")
    assert isinstance(response, dict), response
    assert response["allowed"] is False, response  # judged at the namespace's level
    assert response["status"]["message"].startswith('pods "test" is forbidden'), response


def test_sigterm_drains_a_review_in_flight(cluster):
    serve = start(cluster, "drain")
    thread, out = slow_review_in_flight(serve, cluster, "late-drain")
    serve.proc.send_signal(signal.SIGTERM)
    assert serve.proc.wait(timeout=30) == 0
    assert_completed(thread, out)
    cluster.post("/control/fault", {})


def test_shutdown_delay(cluster):
    delay_s = 2 * SLOW_S
    serve = start(cluster, "delay", "--shutdown-delay-duration", f"{delay_s:g}s")
    thread, out = slow_review_in_flight(serve, cluster, "late-delay")
    cluster.post("/control/fault", {})  # new lookups answer at once again
    signalled = time.monotonic()
    serve.proc.send_signal(signal.SIGTERM)
    wait_for(lambda: serve.get("/readyz")[0] == 503, "/readyz 503 after SIGTERM", timeout=5)
    # Reviews still arrive while endpoints propagate, and are answered.
    for _ in range(3):
        assert serve.review("restricted")["allowed"] is False
    assert time.monotonic() - signalled < delay_s, "checks outlasted the delay"
    assert serve.proc.poll() is None, "exited before the delay ended"
    assert serve.get("/healthz") == (200, "ok")
    assert serve.proc.wait(timeout=30) == 0
    assert time.monotonic() - signalled >= delay_s
    assert_completed(thread, out)


def test_second_sigterm_ends_the_delay(cluster):
    serve = start(cluster, "delay2", "--shutdown-delay-duration", "120s")
    serve.proc.send_signal(signal.SIGTERM)
    wait_for(lambda: serve.get("/readyz")[0] == 503, "/readyz 503 after SIGTERM", timeout=5)
    assert serve.proc.poll() is None, "exited before the delay ended"
    signalled = time.monotonic()
    serve.proc.send_signal(signal.SIGTERM)
    assert serve.proc.wait(timeout=30) == 0
    assert time.monotonic() - signalled < 30, "the second SIGTERM did not end the delay"


def test_rotated_token_file_is_read_again(_cluster):
    """A kubeconfig tokenFile (as the in-cluster service account token) is read for every
    request, so a rotated token is used by the next watch without a restart."""
    token_file, kubeconfig = f"{TMP}/token", f"{TMP}/kubeconfig-token-file"
    with open(token_file, "w") as f:
        f.write("one\n")
    api = serverlib.Cluster(FAKE_KUBE, {"restricted": RESTRICTED, "open": {}}, {"token": "one"})
    try:
        with open(kubeconfig, "w") as f:
            f.write("apiVersion: v1\nkind: Config\ncurrent-context: t\n"
                    "contexts: [{name: t, context: {cluster: c, user: u}}]\n"
                    f"clusters: [{{name: c, cluster: {{server: 'http://127.0.0.1:{api.port}'}}}}]\n"
                    f"users: [{{name: u, user: {{tokenFile: '{token_file}'}}}}]\n")
        serve = start(api, "token", "--kubeconfig", kubeconfig)
        assert serve.review("restricted")["allowed"] is False
        assert api.stats()["unauthorized"] == 0
        # Rotation: the file gets the new token, the API server accepts only that one and
        # ends the open watch; the label change can only arrive through a new watch.
        with open(token_file, "w") as f:
            f.write("two\n")
        api.post("/control/token", {"token": "two"})
        api.post("/control/disconnect", {})
        api.post("/control/labels", {"name": "restricted", "labels": PRIVILEGED})
        wait_for(lambda: serve.review("restricted")["allowed"] is True,
                 "the label change, watched with the rotated token")
    finally:
        api.kill()


def test_metrics_namespace_label_limit(cluster):
    serve = start(cluster, "nslimit", "--metrics-namespace-label",
                  "--metrics-namespace-label-limit", "3")
    assert serve.review("restricted")["allowed"] is False
    assert serve.review("open")["allowed"] is True
    # Made-up namespaces (unknown to the API: a fatal lookup error each).
    for i in range(6):
        assert serve.review(f"made-up-{i}")["allowed"] is False
    text = serve.get("/metrics")[1]
    values = set(re.findall(r'namespace="([^"]*)"', text))
    assert values == {"restricted", "open", "made-up-0", "_other"}, values
    assert ('pod_security_evaluations_total{decision="deny",mode="enforce",namespace='
            '"restricted",policy_level="restricted",policy_version="latest",'
            'request_operation="create",resource="pod",subresource=""} 1') in text, text
    assert ('pod_security_errors_total{fatal="true",namespace="_other",'
            'request_operation="create",resource="pod",subresource=""} 5') in text, text


def handshake(serve, *args):
    """openssl s_client's output for a handshake with `args` (protocol options)."""
    out = run("openssl", "s_client", "-connect", f"127.0.0.1:{serve.port}", *args, input="")
    return out.returncode, out.stdout + out.stderr


def assert_refused(serve, *args):
    code, text = handshake(serve, *args)
    # The client sent its hello (it was willing: one that is not writes nothing, "no protocols
    # available"), and the server ended the handshake without agreeing on anything.
    assert code != 0 and "Cipher is (NONE)" in text, (args, code, text[-1500:])
    assert re.search(r"written [1-9]\d* bytes", text), (args, text[-1500:])


def assert_accepted(serve, *args):
    code, text = handshake(serve, *args)
    assert code == 0 and "CN = 127.0.0.1" in text, (args, code, text[-1500:])


# OpenSSL 3 offers TLS 1.1 only at security level 0.
TLS11 = ("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")


def test_tls_below_12_refused(cluster):
    serve = start(cluster, "tls12")
    assert_refused(serve, *TLS11)
    assert_accepted(serve, "-tls1_2")
    assert_accepted(serve, "-tls1_3")
    out = run("curl", "-sS", "--cacert", f"{TMP}/tls.crt", "--tlsv1.0", "--tls-max", "1.1",
              "--ciphers", "DEFAULT@SECLEVEL=0", f"https://127.0.0.1:{serve.port}/healthz")
    assert out.returncode == 35 and "SSL_connect" in out.stderr, (out.returncode, out.stderr)


def test_tls_min_version_13(cluster):
    serve = start(cluster, "tls13", "--tls-min-version", "VersionTLS13")
    assert_refused(serve, "-tls1_2")
    assert_refused(serve, *TLS11)
    assert_accepted(serve, "-tls1_3")


def test_ipv6_loopback(cluster):
    serve = start(cluster, "ipv6", "--bind-address", "::1", host="::1")
    assert serve.get("/healthz") == (200, "ok")
    assert serve.review("restricted")["allowed"] is False
    assert '"address":"::1"' in serve.log()


def test_flag_errors(cluster):
    base = serverlib.serve_args(PODGATE, TMP, cluster.port)
    for extra, message in (
            (["--tls-min-version", "VersionTLS11"],
             "--tls-min-version: VersionTLS11 is not supported: TLS 1.2 or 1.3 only"),
            (["--tls-min-version", "TLS12"], "--tls-min-version: invalid value: TLS12"),
            (["--tls-cipher-suites", "TLS_AES_128_GCM_SHA256"],
             "--tls-cipher-suites is not supported"),
            (["--tls-sni-cert-key", "a.crt,a.key"], "--tls-sni-cert-key is not supported"),
            (["--bind-address", "localhost"], "--bind-address: not an IP address: localhost")):
        out = run(*base, *extra)
        assert out.returncode == 2 and message in out.stderr, (extra, out.returncode, out.stderr)
    out = run(PODGATE, "serve", "--version")
    assert out.returncode == 0 and out.stdout.startswith("podgate "), out


def main():
    serverlib.self_signed_cert(TMP)
    cluster = serverlib.Cluster(FAKE_KUBE, {"restricted": RESTRICTED, "open": {}})
    try:
        check("SIGTERM drains a review in flight and exits 0",
              test_sigterm_drains_a_review_in_flight, cluster)
        check("--shutdown-delay-duration: not ready, still serving, then drained",
              test_shutdown_delay, cluster)
        check("a second SIGTERM ends the shutdown delay", test_second_sigterm_ends_the_delay,
              cluster)
        check("a rotated tokenFile is read again", test_rotated_token_file_is_read_again,
              cluster)
        check("--metrics-namespace-label-limit caps the namespace values",
              test_metrics_namespace_label_limit, cluster)
        check("TLS below 1.2 is refused", test_tls_below_12_refused, cluster)
        check("--tls-min-version VersionTLS13 refuses TLS 1.2", test_tls_min_version_13, cluster)
        check("--bind-address ::1 listens on IPv6 loopback", test_ipv6_loopback, cluster)
        check("unsupported and invalid flags say so; --version", test_flag_errors, cluster)
    finally:
        for serve in SERVES:
            serve.stop()
        cluster.kill()
    failed = sum(1 for _, exc in REPORT.results if exc is not None)
    if failed:
        for serve in SERVES:
            print(f"--- {serve.stderr.name}\n{serve.log()[-3000:]}")
    print(f"{len(REPORT.results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
