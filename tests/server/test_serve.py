# SPDX-License-Identifier: Apache-2.0
"""podgate serve over real HTTPS on 127.0.0.1, driven with the curl command-line client.

Starts the fake Kubernetes API (fake_kube.py) and `podgate serve --secure-port 0`, then
checks the endpoints, keep-alive, upstream's HTTP errors (a v1beta1 review included),
metrics, that namespace label changes reach verdicts through watch disconnects and 410
Gone, the namespace dry run (paging past upstream's 3,000 pods), certificate rotation under load with zero failed requests, and a graceful SIGTERM.
Every wait is a short poll with a deadline; nothing listens beyond 127.0.0.1.

usage: test_serve.py PODGATE FAKE_KUBE_PY
"""
import http.client as httpclient
import json
import os
import signal
import ssl
import sys
import tempfile
import threading
import time
import urllib.request

import serverlib
from serverlib import run, wait_for

PODGATE, FAKE_KUBE = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="podgate-serve-")
REPORT = serverlib.Report()
check = REPORT.check

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "test"},
       "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
PRIVILEGED = {"pod-security.kubernetes.io/enforce": "privileged"}
RESTRICTED = {"pod-security.kubernetes.io/enforce": "restricted"}


def make_cert(name, ca_name):
    """A CA (made once per ca_name) and a serving cert for 127.0.0.1 signed by it."""
    ca_key, ca_crt = f"{TMP}/{ca_name}.key", f"{TMP}/{ca_name}.crt"
    if not os.path.exists(ca_crt):
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", ca_key, "-out", ca_crt, "-days", "2", "-subj", f"/CN={ca_name}")
    with open(f"{TMP}/ext", "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", f"{TMP}/{name}.key", "-out", f"{TMP}/{name}.csr", "-subj", "/CN=127.0.0.1")
    run("openssl", "x509", "-req", "-in", f"{TMP}/{name}.csr", "-CA", ca_crt, "-CAkey", ca_key,
        "-CAcreateserial", "-out", f"{TMP}/{name}.crt", "-days", "2", "-extfile", f"{TMP}/ext")


class Serve(serverlib.Serve):
    def __init__(self, cluster):
        super().__init__(serverlib.serve_args(PODGATE, TMP, cluster.port, "--threads", "2"), TMP)
        self.base = f"https://127.0.0.1:{self.port}"


def curl(*args, ca="ca1.crt"):
    return run("curl", "-sS", "--cacert", f"{TMP}/{ca}", *args)


def review_body(namespace, obj=POD, resource="pods", operation="CREATE", old=None, uid="u1"):
    request = {"uid": uid, "kind": {"group": "", "version": "v1", "kind": "Pod"},
               "resource": {"group": "", "version": "v1", "resource": resource},
               "namespace": namespace, "name": obj["metadata"]["name"], "operation": operation,
               "userInfo": {"username": "tester"}, "object": obj}
    if old is not None:
        request["oldObject"] = old
    return json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                       "request": request})


def review(serve, namespace, **kwargs):
    result = curl("-H", "Content-Type: application/json", "--data-binary",
                  review_body(namespace, **kwargs), serve.base + "/")
    return json.loads(result.stdout)["response"]


def test_health_and_ready(serve):
    assert curl(serve.base + "/healthz").stdout == "ok"
    wait_for(lambda: curl(serve.base + "/readyz").stdout == "ok", "/readyz")


def test_keep_alive(serve):
    out = curl("-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", "-w",
               "%{num_connects}\n", serve.base + "/healthz", serve.base + "/healthz",
               serve.base + "/readyz").stdout.split()
    assert out == ["1", "0", "0"], out


def handshake_group(serve, groups):
    """The key exchange group of a TLS 1.3 handshake by a client preferring `groups` in order."""
    out = run("openssl", "s_client", "-connect", f"127.0.0.1:{serve.port}", "-tls1_3",
              "-groups", groups, "-brief", input="")
    for line in (out.stdout + out.stderr).splitlines():
        if "Temp Key:" in line:
            return line.split("Temp Key:", 1)[1].strip()
    raise AssertionError(f"no key exchange reported: {out.stdout}{out.stderr}")


def test_key_share_of_go_and_openssl_clients(serve):
    # A TLS 1.3 client sends a key share for its first group only (OpenSSL and Go: X25519;
    # FIPS builds: P-256). The server must take it: picking another group costs a
    # HelloRetryRequest, one more round trip on every new connection.
    for groups, expected in (("X25519:P-256", "X25519"), ("P-256:X25519", "prime256v1"),
                             ("P-384", "secp384r1")):
        group = handshake_group(serve, groups)
        assert expected in group, (groups, group)


def test_denial(serve):
    response = review(serve, "restricted")
    assert response["allowed"] is False
    assert response["status"]["message"].startswith(
        'pods "test" is forbidden: violates PodSecurity "restricted:latest": '
        "allowPrivilegeEscalation != false"), response
    assert response["auditAnnotations"] == {"enforce-policy": "restricted:latest"}


def http(serve, *args):
    out = curl("-o", "-", "-w", "\n%{http_code} %{content_type}", *args, serve.base + "/")
    body, _, tail = out.stdout.rpartition("\n")
    return tail, body.removesuffix("\n")  # http.Error ends the text with a newline


def test_http_errors(serve):
    big = f"{TMP}/big.json"
    with open(big, "wb") as f:
        f.write(b"{" + b" " * (3 * 1024 * 1024) + b"}")
    assert http(serve, "-H", "Content-Type: application/json", "--data-binary", f"@{big}") == (
        "413 text/plain; charset=utf-8", "request entity is too large; limit is 3145728 bytes")
    assert http(serve, "-H", "Content-Type: text/yaml", "--data-binary", "{}") == (
        "400 text/plain; charset=utf-8",
        "unable to process a request with a non-json content type")
    assert http(serve, "-H", "Content-Type: application/json", "--data-binary", "{x") == (
        "400 text/plain; charset=utf-8", "unable to decode the request")
    assert http(serve, "-X", "POST", "-H", "Content-Type: application/json") == (
        "400 text/plain; charset=utf-8", "request body is empty")
    v1beta1 = review_body("restricted").replace('"admission.k8s.io/v1"',
                                                '"admission.k8s.io/v1beta1"')
    assert '"admission.k8s.io/v1beta1"' in v1beta1
    assert http(serve, "-H", "Content-Type: application/json", "--data-binary", v1beta1) == (
        "400 text/plain; charset=utf-8",
        "unexpected AdmissionReview kind: admission.k8s.io/v1beta1, Kind=AdmissionReview")


def test_metrics(serve):
    text = curl(serve.base + "/metrics").stdout
    assert ('pod_security_evaluations_total{decision="deny",mode="enforce",policy_level='
            '"restricted",policy_version="latest",request_operation="create",resource="pod",'
            'subresource=""}') in text, text
    assert "# HELP pod_security_evaluations_total [ALPHA] Number of policy evaluations" in text
    # test_http_errors' 413 was answered from Content-Length alone, before any body: counted.
    assert 'podgate_http_requests_total{code="413"} 1\n' in text, text


def verdict_becomes(serve, namespace, allowed):
    wait_for(lambda: review(serve, namespace)["allowed"] is allowed,
             f"{namespace} allowed={allowed}")


def test_label_changes_reach_verdicts(serve, cluster):
    cluster.post("/control/labels", {"name": "restricted", "labels": PRIVILEGED})
    verdict_becomes(serve, "restricted", True)
    cluster.post("/control/disconnect", {})
    cluster.post("/control/labels", {"name": "restricted", "labels": RESTRICTED})
    verdict_becomes(serve, "restricted", False)


def test_relist_after_410(serve, cluster):
    lists = cluster.stats()["list"]
    cluster.post("/control/expire", {"mode": "event"})
    cluster.post("/control/labels", {"name": "restricted", "labels": PRIVILEGED})
    verdict_becomes(serve, "restricted", True)
    wait_for(lambda: cluster.stats()["list"] > lists, "a relist after the 410 event")
    lists = cluster.stats()["list"]
    cluster.post("/control/expire", {"mode": "status"})
    cluster.post("/control/labels", {"name": "restricted", "labels": RESTRICTED})
    verdict_becomes(serve, "restricted", False)
    wait_for(lambda: cluster.stats()["list"] > lists, "a relist after HTTP 410")


def test_new_namespace_and_missing_namespace(serve, cluster):
    cluster.post("/control/labels", {"name": "fresh", "labels": RESTRICTED})
    verdict_becomes(serve, "fresh", False)
    response = review(serve, "nowhere")
    assert response["status"]["message"] == \
        'Internal error occurred: failed to lookup namespace "nowhere"', response
    assert response["auditAnnotations"]["error"].endswith('namespaces "nowhere" not found')


def enforce_baseline(serve, namespace):
    """The warnings of a review labelling `namespace` enforce=baseline (the dry run's)."""
    new = {"apiVersion": "v1", "kind": "Namespace",
           "metadata": {"name": namespace, "labels": {"pod-security.kubernetes.io/enforce":
                                                      "baseline"}}}
    old = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    response = review(serve, namespace, obj=new, resource="namespaces", operation="UPDATE",
                      old=old)
    return response.get("warnings"), response


def test_namespace_dry_run_lists_pods(serve, cluster):
    pods = [{"metadata": {"name": f"p{i}"},
             "spec": {"containers": [{"name": "c", "image": "i",
                                      "securityContext": {"privileged": True}}]}}
            for i in range(1200)]
    cluster.post("/control/pods", {"namespace": "open", "pods": pods})
    warnings, response = enforce_baseline(serve, "open")
    assert warnings == [
        'existing pods in namespace "open" violate the new PodSecurity enforce level '
        '"baseline:latest"', "p0 (and 1199 other pods): privileged"], response


def test_namespace_dry_run_past_upstreams_3000(serve, cluster):
    # Upstream stops at 3,000 pods; podgate pages on (500 a page) within the time budget.
    pods = [{"metadata": {"name": f"q{i}"},
             "spec": {"containers": [{"name": "c", "image": "i"}], "hostNetwork": i == 3400}}
            for i in range(3500)]
    cluster.post("/control/labels", {"name": "big", "labels": {}})
    cluster.post("/control/pods", {"namespace": "big", "pods": pods})
    pages = cluster.stats()["pods"]
    warnings, response = enforce_baseline(serve, "big")
    # The only violation is pod 3,400, past upstream's cap.
    assert warnings == [
        'existing pods in namespace "big" violate the new PodSecurity enforce level '
        '"baseline:latest"', "q3400: host namespaces"], response
    assert cluster.stats()["pods"] - pages == 7, cluster.stats()


def rotate(serve):
    """Swap in a cert from a second CA, key first; wait until it is served."""
    make_cert("new", "ca2")
    os.replace(f"{TMP}/new.key", f"{TMP}/tls.key")
    os.replace(f"{TMP}/new.crt", f"{TMP}/tls.crt")

    def served_by_ca2():
        out = run("openssl", "s_client", "-connect", f"127.0.0.1:{serve.port}",
                  "-servername", "localhost", input="").stdout
        return "CN = ca2" in out or "CN=ca2" in out
    wait_for(served_by_ca2, "the rotated certificate")


def load_worker(serve, codes, stop):
    """Batches of 20 reviews per curl until stopped; body.json is written before the workers
    start (each rewriting it raced with the others' reads: a truncated body is a 400)."""
    urls = []
    while not stop.is_set():
        for _ in range(20):
            urls += ["-o", "/dev/null", "-H", "Content-Type: application/json",
                     "--data-binary", f"@{TMP}/body.json", serve.base + "/"]
        out = curl("-w", "%{http_code}\n", *urls, ca="both.crt")
        codes.extend(out.stdout.split() or ["curl-failed"])
        if out.returncode != 0:
            codes.append(f"curl-exit-{out.returncode}")
        urls = []


def keep_alive_reviews(serve, bodies, results, index):
    """One keep-alive connection posting `bodies` in turn; the `allowed` answers go to
    results[index] (or the exception raised)."""
    context = ssl.create_default_context(cafile=f"{TMP}/ca1.crt")
    conn = httpclient.HTTPSConnection("127.0.0.1", serve.port, context=context, timeout=30)
    answers = []
    try:
        for body in bodies:
            conn.request("POST", "/", body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            answers.append(json.loads(response.read())["response"]["allowed"])
        results[index] = answers
    except Exception as e:  # reported by the caller with the connection's index
        results[index] = e
    finally:
        conn.close()


def test_many_keep_alive_connections(serve):
    # Each worker thread reads every review it serves into one workspace, so the reviews of
    # these 80 connections interleave in the server's two. Each connection alternates denied
    # and allowed reviews of different sizes, one over the 16 KiB a workspace keeps, so reused
    # memory that leaked from one review into the next would change an answer.
    large = dict(POD, metadata={"name": "large", "annotations": {"a": "x" * 20000}})
    bodies = [review_body("restricted"), review_body("open"),
              review_body("restricted", obj=large), review_body("open", obj=large),
              review_body("restricted")]
    expected = [False, True, False, True, False]
    results = [None] * 80
    threads = [threading.Thread(target=keep_alive_reviews, args=(serve, bodies, results, i))
               for i in range(len(results))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    wrong = [(i, r) for i, r in enumerate(results) if r != expected]
    assert not wrong, wrong[:3]


def test_certificate_rotation_under_load(serve):
    with open(f"{TMP}/both.crt", "w") as out:
        make_cert("unused", "ca2")
        for name in ("ca1.crt", "ca2.crt"):
            with open(f"{TMP}/{name}") as f:
                out.write(f.read())
    with open(f"{TMP}/body.json", "w") as f:
        f.write(review_body("restricted"))
    codes, stop = [], threading.Event()
    workers = [threading.Thread(target=load_worker, args=(serve, codes, stop)) for _ in range(4)]
    for worker in workers:
        worker.start()
    time.sleep(0.3)
    rotate(serve)
    rotated_at = len(codes)
    # Counted, not timed: on a busy machine 0.3 s may hold one batch of curl per worker.
    wait_for(lambda: len(codes) > max(100, rotated_at + 40), "requests after the rotation",
             timeout=120.0)
    stop.set()
    for worker in workers:
        worker.join(timeout=60)
    failed = [c for c in codes if c != "200"]
    assert len(codes) > 100 and not failed, (len(codes), failed[:5])
    assert curl(serve.base + "/healthz", ca="ca2.crt").stdout == "ok"
    assert "serving certificate reloaded" in serve.log()


def test_graceful_sigterm(serve):
    serve.proc.send_signal(signal.SIGTERM)
    assert serve.proc.wait(timeout=30) == 0
    assert '"msg":"stopped"' in serve.log()


def main():
    make_cert("tls", "ca1")
    cluster = serverlib.Cluster(FAKE_KUBE, {"restricted": RESTRICTED, "open": {}})
    serve = Serve(cluster)
    try:
        check("health and readiness", test_health_and_ready, serve)
        check("keep-alive reuses one connection", test_keep_alive, serve)
        check("the client's key share is taken: no HelloRetryRequest",
              test_key_share_of_go_and_openssl_clients, serve)
        check("denial over HTTPS", test_denial, serve)
        check("HTTP errors: 413, content type, undecodable, empty, v1beta1", test_http_errors,
              serve)
        check("metrics", test_metrics, serve)
        check("label changes reach verdicts across watch disconnects",
              test_label_changes_reach_verdicts, serve, cluster)
        check("relist after 410 Gone (event and status)", test_relist_after_410, serve, cluster)
        check("new and missing namespaces", test_new_namespace_and_missing_namespace, serve,
              cluster)
        check("namespace dry run pages through pods", test_namespace_dry_run_lists_pods, serve,
              cluster)
        check("namespace dry run pages past 3,000 pods",
              test_namespace_dry_run_past_upstreams_3000, serve, cluster)
        check("80 keep-alive connections, reviews of mixed sizes", test_many_keep_alive_connections,
              serve)
        check("certificate rotation under load", test_certificate_rotation_under_load, serve)
        check("graceful SIGTERM", test_graceful_sigterm, serve)
    finally:
        status = REPORT.finish(serve, cluster)
    return status


if __name__ == "__main__":
    sys.exit(main())
