# SPDX-License-Identifier: Apache-2.0
"""podgate serve --policy-file over real HTTPS on 127.0.0.1 (curl + fake_kube.py).

Checks that a bad policy file stops serve from starting (exit 2, file:line in the log),
that a namespace bound by a policy's spec.namespaces gets the policy's verdict and the
podgate-exemptions audit annotation, that an unbound namespace is judged as upstream, and
that the file is re-read through a ConfigMap-style `..data` symlink swap: a valid new file
changes the verdict, an invalid one is logged and the last good policies stay.

usage: test_serve_policy.py PODGATE FAKE_KUBE_PY
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import serverlib
from serverlib import run, wait_for

PODGATE, FAKE_KUBE = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="podgate-serve-policy-")
POLICY_DIR = f"{TMP}/policies"
POLICY_FILE = f"{POLICY_DIR}/policy.yaml"

SC = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
       "spec": {"securityContext": {"runAsNonRoot": True,
                                    "seccompProfile": {"type": "RuntimeDefault"}},
                "initContainers": [{"name": "istio-init", "image": "proxy", "securityContext": {
                    "allowPrivilegeEscalation": False,
                    "capabilities": {"drop": ["ALL"], "add": ["NET_ADMIN"]}}}],
                "containers": [{"name": "app", "image": "app", "securityContext": SC}]}}
HEAD = ("apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: mesh}\n"
        "spec:\n  level: restricted\n  namespaces: [\"mesh-*\"]\n")
EXEMPT = HEAD + ("  exemptions:\n  - checks: [capabilities_restricted]\n"
                 "    containers: [istio-init]\n    values: [NET_ADMIN]\n    reason: iptables\n")
NO_EXEMPTION = HEAD
INVALID = HEAD + "  exemptions:\n  - checks: [noSuchCheck]\n    reason: typo\n"


def publish(text, version):
    """Write a new ConfigMap version and swap `..data` to it atomically, as the kubelet does."""
    os.makedirs(f"{POLICY_DIR}/..v{version}")
    with open(f"{POLICY_DIR}/..v{version}/policy.yaml", "w") as f:
        f.write(text)
    os.symlink(f"..v{version}", f"{POLICY_DIR}/..data_tmp")
    os.replace(f"{POLICY_DIR}/..data_tmp", f"{POLICY_DIR}/..data")
    if not os.path.islink(POLICY_FILE):
        os.symlink("..data/policy.yaml", POLICY_FILE)


def setup():
    os.makedirs(POLICY_DIR)
    serverlib.self_signed_cert(TMP, days=2)
    with open(f"{TMP}/bad.yaml", "w") as f:
        f.write(INVALID)


def serve_args(cluster_port, policy_file):
    return serverlib.serve_args(PODGATE, TMP, cluster_port, "--threads", "2", "--policy-file",
                                policy_file)


class Serve(serverlib.Serve):
    def __init__(self, args):
        super().__init__(args, TMP)

    def review(self, namespace):
        body = json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                           "request": {"uid": "u", "kind": {"group": "", "version": "v1",
                                                            "kind": "Pod"},
                                       "resource": {"group": "", "version": "v1",
                                                    "resource": "pods"},
                                       "namespace": namespace, "name": "p",
                                       "operation": "CREATE", "userInfo": {"username": "t"},
                                       "object": POD}})
        out = run("curl", "-sS", "--cacert", f"{TMP}/tls.crt", "-H",
                  "Content-Type: application/json", "--data-binary", body,
                  f"https://127.0.0.1:{self.port}/")
        return json.loads(out.stdout)["response"]


def test_bad_file_refuses_to_start(cluster_port):
    result = run(*serve_args(cluster_port, f"{TMP}/bad.yaml"))
    assert result.returncode == 2, result
    assert re.search(r'"msg":"cannot start".*bad\.yaml:8:\d+: spec\.exemptions\[0\]\.checks',
                     result.stderr), result.stderr


def test_bound_namespace_uses_policy(serve):
    response = serve.review("mesh-a")
    assert response["allowed"] is True, response
    assert response["auditAnnotations"] == {
        "enforce-policy": "restricted:latest",
        "podgate-exemptions": 'mesh/0: capabilities_restricted container "istio-init" NET_ADMIN',
    }, response


def test_unbound_namespace_is_upstream(serve):
    response = serve.review("open")
    assert response == {"uid": "u", "allowed": True,
                        "auditAnnotations": {"enforce-policy": "privileged:latest"}}, response


def test_valid_new_file_changes_verdict(serve):
    publish(NO_EXEMPTION, 2)
    wait_for(lambda: serve.review("mesh-a")["allowed"] is False, "the new policy's denial")
    response = serve.review("mesh-a")
    assert response["status"]["message"] == (
        'pods "p" is forbidden: violates PodSecurity "restricted:latest": unrestricted '
        'capabilities (container "istio-init" must not include "NET_ADMIN" in '
        "securityContext.capabilities.add)"), response
    assert '"msg":"policy file reloaded"' in serve.log()


def test_invalid_new_file_keeps_last_good(serve):
    publish(EXEMPT.replace("NET_ADMIN]", "NET_ADMIN]\n    bogus: 1"), 3)
    wait_for(lambda: '"msg":"policy file not reloaded' in serve.log(), "the rejection log line")
    line = [x for x in serve.log().splitlines() if "policy file not reloaded" in x][0]
    entry = json.loads(line)
    assert entry["level"] == "error" and re.match(r".*policy\.yaml:\d+:\d+: ", entry["error"]), line
    assert serve.review("mesh-a")["allowed"] is False  # still the last good (no exemption)
    publish(EXEMPT, 4)
    wait_for(lambda: serve.review("mesh-a")["allowed"] is True, "the fixed file's verdict")


def main():
    setup()
    cluster = subprocess.Popen([sys.executable, FAKE_KUBE, json.dumps({"mesh-a": {}, "open": {}})],
                               stdout=subprocess.PIPE, text=True)
    cluster_port = int(cluster.stdout.readline())
    publish(EXEMPT, 1)
    serve = None
    failed = 0
    try:
        test_bad_file_refuses_to_start(cluster_port)
        print("ok - bad policy file: exit 2 with file:line", flush=True)
        serve = Serve(serve_args(cluster_port, POLICY_FILE))
        for name, fn in [("bound namespace uses the policy", test_bound_namespace_uses_policy),
                         ("unbound namespace is upstream", test_unbound_namespace_is_upstream),
                         ("valid new file changes the verdict",
                          test_valid_new_file_changes_verdict),
                         ("invalid new file keeps the last good policies",
                          test_invalid_new_file_keeps_last_good)]:
            try:
                fn(serve)
                print(f"ok - {name}", flush=True)
            except AssertionError as exc:
                failed += 1
                print(f"not ok - {name}: {exc}", flush=True)
    except AssertionError as exc:
        failed += 1
        print(f"not ok - {exc}", flush=True)
    finally:
        if serve is not None:
            serve.proc.terminate()
            serve.proc.wait(timeout=30)
        cluster.kill()
        cluster.wait(timeout=10)
    if failed and serve is not None:
        print(serve.log()[-4000:])
    shutil.rmtree(TMP, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
