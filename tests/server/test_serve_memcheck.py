# SPDX-License-Identifier: Apache-2.0
"""podgate serve's main paths under PG_TEST_WRAPPER (valgrind memcheck in `make valgrind`).

Starts the fake API (fake_kube.py) and `podgate serve --policy-file` under the wrapper
(valgrind writes to its own --log-file), then runs one short pass over what a webhook does:
an allowed pod, a denied pod, a Deployment's warning, a namespace relabel's dry run over a
few pods, a custom policy's verdict, a policy reload, a malformed and an oversized body,
/metrics, a certificate reload, and SIGTERM. The server must exit 0 (valgrind's
--error-exitcode turns memory errors and definite leaks into another status) and neither
valgrind's log nor the server's stderr may report an invalid access, a use of uninitialised
memory, a definite leak or a sanitizer error.

Without PG_TEST_WRAPPER the same pass runs against the plain binary (and, under `make asan`,
the sanitizers'), so the test checks the same behaviour in every build.

usage: test_serve_memcheck.py PODGATE FAKE_KUBE_PY
"""
import json
import os
import shlex
import shutil
import signal
import sys
import tempfile

import serverlib
from serverlib import run, wait_for

PODGATE, FAKE_KUBE = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="podgate-serve-memcheck-")
WRAPPER = shlex.split(os.environ.get("PG_TEST_WRAPPER", ""))
VALGRIND_LOG = f"{TMP}/valgrind.log"
# Valgrind starts GnuTLS and libcurl about 50 times slower than the plain binary.
SLOW = 90.0 if WRAPPER else 15.0
REPORT = serverlib.Report()
check = REPORT.check

RESTRICTED = {"pod-security.kubernetes.io/enforce": "restricted"}
WARNED = {"pod-security.kubernetes.io/warn": "baseline"}
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
       "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
PRIVILEGED_POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{
    "name": "c", "image": "busybox", "securityContext": {"privileged": True}}]}}
DEPLOYMENT = {"apiVersion": "apps/v1", "kind": "Deployment",
              "metadata": {"name": "web", "namespace": "warned"},
              "spec": {"selector": {"matchLabels": {"app": "web"}},
                       "template": {"metadata": {"labels": {"app": "web"}},
                                    "spec": PRIVILEGED_POD["spec"]}}}
POLICY = ("apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: mesh}\n"
          "spec:\n  level: restricted\n  namespaces: [\"mesh-*\"]\n")
BASELINE_POLICY = POLICY.replace("level: restricted", "level: baseline")


def wrapped(args):
    """args under the wrapper; valgrind's report goes to its own file, not the server log."""
    if not WRAPPER:
        return args
    extra = [f"--log-file={VALGRIND_LOG}"] if os.path.basename(WRAPPER[0]) == "valgrind" else []
    return WRAPPER + extra + args


def curl(serve, *args, path="/"):
    return run("curl", "-sS", "--max-time", "60", "--cacert", f"{TMP}/tls.crt", *args,
               f"https://127.0.0.1:{serve.port}{path}")


def review(serve, namespace, obj, resource="pods", kind=("", "Pod"), operation="CREATE",
           old=None):
    request = {"uid": "u", "kind": {"group": kind[0], "version": "v1", "kind": kind[1]},
               "resource": {"group": kind[0], "version": "v1", "resource": resource},
               "namespace": namespace, "name": obj["metadata"]["name"],
               "operation": operation, "userInfo": {"username": "tester"}, "object": obj}
    if old is not None:
        request["oldObject"] = old
    body = json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                       "request": request})
    out = curl(serve, "-H", "Content-Type: application/json", "--data-binary", body)
    return json.loads(out.stdout)["response"]


def status_of(serve, *args):
    """The HTTP status and body of a POST to / with these curl arguments."""
    out = curl(serve, "-o", "-", "-w", "\n%{http_code}", "-H", "Content-Type: application/json",
               *args)
    body, _, code = out.stdout.rpartition("\n")
    return code, body.strip()


def test_ready(serve):
    wait_for(lambda: curl(serve, path="/readyz").stdout == "ok", "/readyz", timeout=SLOW)


def test_allowed_and_denied_pods(serve):
    assert review(serve, "open", POD) == {
        "uid": "u", "allowed": True, "auditAnnotations": {"enforce-policy": "privileged:latest"}}
    response = review(serve, "restricted", POD)
    assert response["allowed"] is False, response
    assert response["status"]["message"].startswith(
        'pods "p" is forbidden: violates PodSecurity "restricted:latest": '), response


def test_deployment_warning(serve):
    response = review(serve, "warned", DEPLOYMENT, resource="deployments",
                      kind=("apps", "Deployment"))
    assert response["allowed"] is True, response
    assert response.get("warnings") == [
        'would violate PodSecurity "baseline:latest": privileged (container "c" must not set '
        "securityContext.privileged=true)"], response


def test_namespace_dry_run(serve, cluster):
    pods = [dict(PRIVILEGED_POD, metadata={"name": f"p{i}"}) for i in range(3)]
    pods.append(dict(POD, metadata={"name": "plain"}))
    cluster.post("/control/pods", {"namespace": "open", "pods": pods})
    new = {"apiVersion": "v1", "kind": "Namespace",
           "metadata": {"name": "open", "labels": {"pod-security.kubernetes.io/enforce":
                                                   "baseline"}}}
    old = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "open"}}
    response = review(serve, "open", new, resource="namespaces", kind=("", "Namespace"),
                      operation="UPDATE", old=old)
    assert response.get("warnings") == [
        'existing pods in namespace "open" violate the new PodSecurity enforce level '
        '"baseline:latest"', "p0 (and 2 other pods): privileged"], response


def test_policy_file_and_reload(serve):
    response = review(serve, "mesh-a", PRIVILEGED_POD)
    assert response["allowed"] is False and "restricted:latest" in \
        response["status"]["message"], response
    with open(f"{TMP}/policy.new", "w") as f:
        f.write(BASELINE_POLICY)
    os.replace(f"{TMP}/policy.new", f"{TMP}/policy.yaml")
    wait_for(lambda: '"msg":"policy file reloaded"' in serve.log(), "the policy reload",
             timeout=SLOW)
    response = review(serve, "mesh-a", POD)
    assert response["auditAnnotations"] == {"enforce-policy": "baseline:latest"}, response


def test_malformed_and_oversized_bodies(serve):
    assert status_of(serve, "--data-binary", "{x") == ("400", "unable to decode the request")
    big = f"{TMP}/big.json"
    with open(big, "wb") as f:
        f.write(b"{" + b" " * (3 * 1024 * 1024) + b"}")
    assert status_of(serve, "--data-binary", f"@{big}") == (
        "413", "request entity is too large; limit is 3145728 bytes")


def test_metrics(serve):
    text = curl(serve, path="/metrics").stdout
    assert ('pod_security_evaluations_total{decision="deny",mode="enforce",policy_level='
            '"restricted",policy_version="latest",request_operation="create",resource="pod",'
            'subresource=""}') in text, text


def test_certificate_reload(serve):
    os.makedirs(f"{TMP}/next")
    serverlib.self_signed_cert(f"{TMP}/next", days=3)
    os.replace(f"{TMP}/next/tls.key", f"{TMP}/tls.key")
    os.replace(f"{TMP}/next/tls.crt", f"{TMP}/tls.crt")
    wait_for(lambda: '"msg":"serving certificate reloaded"' in serve.log(),
             "the certificate reload", timeout=SLOW)
    # curl trusts only the new self-signed certificate: the handshake proves it is served.
    assert curl(serve, path="/healthz").stdout == "ok"


def test_sigterm_exits_cleanly(serve):
    serve.proc.send_signal(signal.SIGTERM)
    status = serve.proc.wait(timeout=SLOW)
    assert status == 0, f"exit status {status}"
    assert '"msg":"stopped"' in serve.log()


# What valgrind memcheck and the sanitizers print for a memory error or a leak.
ERRORS = ("Invalid read", "Invalid write", "Invalid free", "uninitialised", "definitely lost",
          "indirectly lost", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def test_no_memory_errors(serve):
    text = serve.log()
    if WRAPPER and os.path.basename(WRAPPER[0]) == "valgrind":
        with open(VALGRIND_LOG) as f:  # valgrind creates it at startup, even when quiet
            text += f.read()
    found = [line for line in text.splitlines() if any(e in line for e in ERRORS)]
    assert not found, "\n".join(found[:20])


def main():
    serverlib.self_signed_cert(TMP, days=2)
    with open(f"{TMP}/policy.yaml", "w") as f:
        f.write(POLICY)
    cluster = serverlib.Cluster(FAKE_KUBE, {"open": {}, "restricted": RESTRICTED,
                                            "warned": WARNED, "mesh-a": {}})
    args = serverlib.serve_args(PODGATE, TMP, cluster.port, "--threads", "2", "--policy-file",
                                f"{TMP}/policy.yaml")
    serve = serverlib.Serve(wrapped(args), TMP, timeout=SLOW)
    print(f"# under {shlex.join(WRAPPER) if WRAPPER else 'no wrapper'}", flush=True)
    try:
        check("ready", test_ready, serve)
        check("an allowed and a denied pod", test_allowed_and_denied_pods, serve)
        check("a Deployment's warning", test_deployment_warning, serve)
        check("a namespace relabel's dry run", test_namespace_dry_run, serve, cluster)
        check("a custom policy, then its reload", test_policy_file_and_reload, serve)
        check("malformed and oversized bodies", test_malformed_and_oversized_bodies, serve)
        check("metrics", test_metrics, serve)
        check("certificate reload", test_certificate_reload, serve)
        check("SIGTERM: exit status 0", test_sigterm_exits_cleanly, serve)
        check("no memory errors or leaks reported", test_no_memory_errors, serve)
    finally:
        status = REPORT.finish(serve, cluster)
        if status == 0:
            shutil.rmtree(TMP, ignore_errors=True)
        elif os.path.exists(VALGRIND_LOG):
            with open(VALGRIND_LOG) as f:
                print(f.read()[-8000:])
    return status


if __name__ == "__main__":
    sys.exit(main())
