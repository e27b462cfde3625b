# SPDX-License-Identifier: Apache-2.0
"""podgate serve --policy-file over real HTTPS on 127.0.0.1 (curl + fake_kube.py).

Checks that a bad policy file stops serve from starting (exit 2, file:line in the log),
that a namespace bound by a policy's spec.namespaces gets the policy's verdict and the
podgate-exemptions audit annotation, that an unbound namespace is judged as upstream, that
the adversarial exemptions hold (a sidecar exemption never opens the pod, an image or a value
exemption leaves the rest violating, with upstream's text for the pod without the exempted
parts; an expired exemption warns), that warn and audit labels still apply on a bound
namespace, and that the file is re-read through a ConfigMap-style `..data` symlink swap: a
valid new file changes the verdict, an invalid one is logged and the last good policies stay.

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
ISTIO = "docker.io/istio/proxyv2:1.20.0"
# Policies the adversarial cases use: each binds the namespace of its name (and labels-version).
ADVERSARIAL = """---
apiVersion: podgate.dev/v1alpha1
kind: Policy
metadata: {name: sidecar}
spec:
  level: restricted
  namespaces: [sidecar]
  exemptions:
  - checks: [hostNamespaces, runAsNonRoot, capabilities_restricted]
    containers: [istio-init]
    reason: the sidecar's own findings only
---
apiVersion: podgate.dev/v1alpha1
kind: Policy
metadata: {name: images}
spec:
  level: restricted
  namespaces: [images]
  exemptions:
  - checks: [capabilities_restricted]
    images: ["docker.io/istio/proxyv2:*"]
    values: [NET_ADMIN]
    reason: istio-init programs iptables
---
apiVersion: podgate.dev/v1alpha1
kind: Policy
metadata: {name: values}
spec:
  level: restricted
  namespaces: [values]
  exemptions:
  - checks: [capabilities_restricted]
    containers: [istio-init]
    values: [NET_ADMIN]
    reason: istio-init programs iptables
---
apiVersion: podgate.dev/v1alpha1
kind: Policy
metadata: {name: expired}
spec:
  level: restricted
  namespaces: [expired]
  exemptions:
  - checks: [capabilities_restricted]
    containers: [istio-init]
    values: [NET_ADMIN]
    reason: until the CNI plugin lands
    expires: "2020-01-31"
---
apiVersion: podgate.dev/v1alpha1
kind: Policy
metadata: {name: labels}
spec:
  level: baseline
  namespaces: [labels, labels-version]
  exemptions:
  - checks: [capabilities_baseline]
    containers: [istio-init]
    values: [NET_ADMIN]
    reason: istio-init programs iptables
"""
NAMESPACES = {
    "mesh-a": {}, "open": {}, "sidecar": {}, "images": {}, "values": {}, "expired": {},
    # Upstream's verdicts to compare with: no policy binds it.
    "upstream": {"pod-security.kubernetes.io/enforce": "restricted"},
    "labels": {"pod-security.kubernetes.io/warn": "restricted",
               "pod-security.kubernetes.io/audit": "restricted"},
    "labels-version": {"pod-security.kubernetes.io/warn-version": "v1.30"},
}
HEAD = ("apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: mesh}\n"
        "spec:\n  level: restricted\n  namespaces: [\"mesh-*\"]\n")
EXEMPT = HEAD + ("  exemptions:\n  - checks: [capabilities_restricted]\n"
                 "    containers: [istio-init]\n    values: [NET_ADMIN]\n    reason: iptables\n"
                 ) + ADVERSARIAL
NO_EXEMPTION = HEAD + ADVERSARIAL
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

    def review(self, namespace, pod=None):
        body = json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                           "request": {"uid": "u", "kind": {"group": "", "version": "v1",
                                                            "kind": "Pod"},
                                       "resource": {"group": "", "version": "v1",
                                                    "resource": "pods"},
                                       "namespace": namespace, "name": "p",
                                       "operation": "CREATE", "userInfo": {"username": "t"},
                                       "object": pod or POD}})
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


def mesh_pod(init_caps, app_caps, **spec):
    """POD with these added capabilities and spec fields, istio-init from the istio image."""
    pod = json.loads(json.dumps(POD))
    pod["spec"].update(spec)
    init, app = pod["spec"]["initContainers"][0], pod["spec"]["containers"][0]
    init["image"], app["image"] = ISTIO, "registry.example/app:1"
    init["securityContext"]["capabilities"]["add"] = init_caps
    app["securityContext"]["capabilities"]["add"] = app_caps
    return pod


def denial(response):
    assert response["allowed"] is False, response
    return response["status"]["message"]


def violates(details):
    return f'pods "p" is forbidden: violates PodSecurity "restricted:latest": {details}'


def test_sidecar_exemption_never_opens_the_pod(serve):
    pod = mesh_pod(["NET_ADMIN"], [], hostNetwork=True)
    pod["spec"]["securityContext"]["runAsNonRoot"] = False
    message = denial(serve.review("sidecar", pod))
    assert message == violates(
        "host namespaces (hostNetwork=true), runAsNonRoot != true (pod must not set "
        "securityContext.runAsNonRoot=false)"), message
    without = mesh_pod([], [], hostNetwork=True)
    without["spec"]["securityContext"]["runAsNonRoot"] = False
    assert message == denial(serve.review("upstream", without))


def test_image_exemption_leaves_another_container_violating(serve):
    response = serve.review("images", mesh_pod(["NET_ADMIN"], ["NET_ADMIN"]))
    message = denial(response)
    assert message == violates(
        'unrestricted capabilities (container "app" must not include "NET_ADMIN" in '
        "securityContext.capabilities.add)"), message
    assert message == denial(serve.review("upstream", mesh_pod([], ["NET_ADMIN"])))
    assert response["auditAnnotations"]["podgate-exemptions"] == (
        'images/0: capabilities_restricted container "istio-init" NET_ADMIN'), response


def test_value_exemption_leaves_another_value_violating(serve):
    message = denial(serve.review("values", mesh_pod(["NET_ADMIN", "SYS_ADMIN"], [])))
    assert message == violates(
        'unrestricted capabilities (container "istio-init" must not include "SYS_ADMIN" in '
        "securityContext.capabilities.add)"), message
    assert message == denial(serve.review("upstream", mesh_pod(["SYS_ADMIN"], [])))


def test_expired_exemption_warns_naming_it(serve):
    response = serve.review("expired", mesh_pod(["NET_ADMIN"], []))
    assert denial(response) == violates(
        'unrestricted capabilities (container "istio-init" must not include "NET_ADMIN" in '
        "securityContext.capabilities.add)"), response
    assert response.get("warnings") == [
        "podgate: exemption expired/0 expired on 2020-01-31 and no longer applies "
        "(reason: until the CNI plugin lands)"], response
    assert "podgate-exemptions" not in response.get("auditAnnotations", {}), response


def test_warn_and_audit_labels_apply_on_a_bound_namespace(serve):
    response = serve.review("labels", mesh_pod(["NET_ADMIN"], []))
    plain = ('would violate PodSecurity "restricted:latest": unrestricted capabilities '
             '(container "istio-init" must not include "NET_ADMIN" in '
             "securityContext.capabilities.add)")
    assert response["allowed"] is True, response
    # The labels' own levels: Pod Security's verdicts, without the policy's exemptions.
    assert response.get("warnings") == [plain], response
    assert response["auditAnnotations"] == {
        "enforce-policy": "baseline:latest", "audit-violations": plain,
        "podgate-exemptions": 'labels/0: capabilities_baseline container "istio-init" NET_ADMIN',
    }, response


def test_warn_version_alone_keeps_warn_the_policy(serve):
    response = serve.review("labels-version", mesh_pod(["NET_ADMIN"], []))
    # warn is baseline:v1.30 with the policy's exemptions: nothing to warn about.
    assert response["allowed"] is True and "warnings" not in response, response
    assert response["auditAnnotations"]["podgate-exemptions"] == (
        'labels/0: capabilities_baseline container "istio-init" NET_ADMIN'), response
    response = serve.review("labels-version", mesh_pod(["NET_ADMIN"], ["SYS_ADMIN"]))
    assert response["allowed"] is False, response
    assert denial(response) == (
        'pods "p" is forbidden: violates PodSecurity "baseline:latest": non-default '
        'capabilities (container "app" must not include "SYS_ADMIN" in '
        "securityContext.capabilities.add)"), response


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
    # The last good set allows the pod: a broken reload that denied everything would show.
    publish(EXEMPT, 3)
    wait_for(lambda: serve.review("mesh-a")["allowed"] is True, "the exempting file's verdict")
    publish(EXEMPT.replace("NET_ADMIN]", "NET_ADMIN]\n    bogus: 1"), 4)
    wait_for(lambda: '"msg":"policy file not reloaded' in serve.log(), "the rejection log line")
    line = [x for x in serve.log().splitlines() if "policy file not reloaded" in x][0]
    entry = json.loads(line)
    assert entry["level"] == "error" and re.match(r".*policy\.yaml:\d+:\d+: ", entry["error"]), line
    response = serve.review("mesh-a")
    assert response["allowed"] is True, response  # still the last good: its exemption applies
    assert response["auditAnnotations"]["podgate-exemptions"] == (
        'mesh/0: capabilities_restricted container "istio-init" NET_ADMIN'), response
    # Reloading still works after a rejection.
    publish(NO_EXEMPTION, 5)
    wait_for(lambda: serve.review("mesh-a")["allowed"] is False, "the next good file's verdict")


def main():
    setup()
    cluster = subprocess.Popen([sys.executable, FAKE_KUBE, json.dumps(NAMESPACES)],
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
                         ("sidecar exemption never opens the pod",
                          test_sidecar_exemption_never_opens_the_pod),
                         ("image exemption leaves another container violating",
                          test_image_exemption_leaves_another_container_violating),
                         ("value exemption leaves another value violating",
                          test_value_exemption_leaves_another_value_violating),
                         ("expired exemption warns naming it",
                          test_expired_exemption_warns_naming_it),
                         ("warn and audit labels apply on a bound namespace",
                          test_warn_and_audit_labels_apply_on_a_bound_namespace),
                         ("warn-version alone keeps warn the policy",
                          test_warn_version_alone_keeps_warn_the_policy),
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
