# SPDX-License-Identifier: Apache-2.0
"""podgate serve fed hostile AdmissionReviews, over real HTTPS on 127.0.0.1.

Each request gets upstream's status and text within a time bound: a review without
`request` (500, as upstream recovers from the nil dereference), the wrong kind or
apiVersion (400), a 100 MiB body (413 before the body is read), a truncated body, 100,000
unclosed `[`, a string past max_string_bytes. The server must answer a well-behaved review
afterwards, and its peak resident memory (VmHWM) must stay bounded: the body limit (3 MiB)
bounds what one request can cost.

usage: test_hostile_reviews.py PODGATE FAKE_KUBE_PY
"""
import http.client
import json
import os
import ssl
import sys
import tempfile
import time

import serverlib

PODGATE, FAKE_KUBE = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="podgate-hostile-reviews-")
REPORT = serverlib.Report()
MIB = 1024 * 1024
ANSWER_SECONDS = 10  # generous: a loaded 2-core machine, or ASan
# The server at rest is about 10 MB; a 3 MiB review's tree about 20 MB more. Under ASan the
# quarantine holds what was freed, so there the bound only catches growth with the input.
HWM_BOUND_MB = 400 if os.environ.get("PG_TEST_ASAN") == "1" else 96

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "test"},
       "spec": {"containers": [{"name": "c", "image": "busybox"}]}}


def review(request=True, kind="AdmissionReview", api_version="admission.k8s.io/v1", obj=POD):
    body = {"apiVersion": api_version, "kind": kind}
    if request:
        body["request"] = {
            "uid": "u1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
            "resource": {"group": "", "version": "v1", "resource": "pods"},
            "namespace": "open", "name": "test", "operation": "CREATE",
            "userInfo": {"username": "tester"}, "object": obj}
    return json.dumps(body).encode()


class Serve(serverlib.Serve):
    def __init__(self, cluster):
        super().__init__(serverlib.serve_args(PODGATE, TMP, cluster.port), TMP)
        self.context = ssl.create_default_context(cafile=f"{TMP}/tls.crt")

    def post(self, body, length=None):
        """POST `body` (bytes, or an iterable of blocks sent with Content-Length `length`, or
        in chunks when `length` is "chunked");
        (status, text, seconds). The server may answer and close before the body is sent."""
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context,
                                           timeout=60)
        start = time.monotonic()
        try:
            conn.putrequest("POST", "/?timeout=10s")
            conn.putheader("Content-Type", "application/json")
            if length == "chunked":
                conn.putheader("Transfer-Encoding", "chunked")
            else:
                conn.putheader("Content-Length", str(len(body) if length is None else length))
            conn.endheaders()
            try:
                for block in ([body] if length is None else body):
                    conn.send(b"%x\r\n%s\r\n" % (len(block), block) if length == "chunked"
                              else block)
                if length == "chunked":
                    conn.send(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                pass  # answered early: read the answer below
            response = conn.getresponse()
            text = response.read().decode()
            return response.status, text, time.monotonic() - start
        finally:
            conn.close()

    def get(self, path):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context,
                                           timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    def hwm_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
        raise AssertionError("no VmHWM in /proc/PID/status")


def expect(serve, body, status, text, length=None):
    got_status, got_text, seconds = serve.post(body, length)
    assert (got_status, got_text.strip()) == (status, text), (got_status, got_text[:300])
    print(f"# {got_status} after {seconds:.2f} s", flush=True)
    assert seconds < ANSWER_SECONDS, f"answered after {seconds:.1f} s"
    return got_text


def test_missing_request(serve):
    expect(serve, review(request=False), 500, "internal server error")


def test_wrong_kind(serve):
    expect(serve, review(kind="Pod"), 400, "unable to decode the request")
    expect(serve, review(api_version="admission.k8s.io/v1beta1"), 400,
           "unexpected AdmissionReview kind: admission.k8s.io/v1beta1, Kind=AdmissionReview")


def test_100_mib_body(serve):
    block = b" " * MIB
    expect(serve, (block for _ in range(100)), 413,
           "request entity is too large; limit is 3145728 bytes", length=100 * MIB)
    # Without a length the limit is found while reading.
    expect(serve, (block for _ in range(100)), 413,
           "request entity is too large; limit is 3145728 bytes", length="chunked")


def test_truncated_body(serve):
    body = review()
    for cut in (1, len(body) // 2, len(body) - 1):
        expect(serve, body[:cut], 400, "unable to decode the request")


def test_deep_nesting(serve):
    expect(serve, b"[" * 100000, 400, "unable to decode the request")
    deep = b'{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "x": ' + \
        b"[" * 100000 + b"]" * 100000 + b"}"
    expect(serve, deep, 400, "unable to decode the request")


def test_huge_string(serve):
    pod = dict(POD, metadata={"name": "test", "annotations": {"a": "x" * (3 * MIB - 4096)}})
    text = expect(serve, review(obj=pod), 400, "unable to decode the request")
    assert len(text) < 4096


def test_still_answers_and_memory_bounded(serve):
    status, text, _ = serve.post(review())
    assert status == 200 and json.loads(text)["response"]["allowed"] is True, (status, text)
    hwm = serve.hwm_mb()
    print(f"# server VmHWM {hwm:.1f} MB", flush=True)
    assert hwm < HWM_BOUND_MB, f"VmHWM {hwm:.1f} MB, bound {HWM_BOUND_MB} MB"


def main():
    serverlib.self_signed_cert(TMP)
    cluster = serverlib.Cluster(FAKE_KUBE, {"open": {}})
    serve = Serve(cluster)
    check = REPORT.check
    check("the server becomes ready", serverlib.wait_for, lambda: serve.get("/readyz") == 200,
          "/readyz")
    check("a review without request: 500, upstream's text", test_missing_request, serve)
    check("the wrong kind or apiVersion: 400", test_wrong_kind, serve)
    check("a 100 MiB body: 413 before it is read", test_100_mib_body, serve)
    check("a truncated body: 400", test_truncated_body, serve)
    check("100,000 nested '[': 400", test_deep_nesting, serve)
    check("a 3 MiB string: 400", test_huge_string, serve)
    check("a good review is still answered; VmHWM bounded", test_still_answers_and_memory_bounded,
          serve)
    return REPORT.finish(serve, cluster)


if __name__ == "__main__":
    sys.exit(main())
