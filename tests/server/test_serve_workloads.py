# SPDX-License-Identifier: Apache-2.0
"""podgate serve --enforce-workloads over real HTTPS on 127.0.0.1 (curl + fake_kube.py).

A Deployment is created while its namespace is open; then the namespace is tightened to
baseline. From then on a violating Deployment is denied at CREATE and on a change of its pod
template, while the updates that leave the template alone (scaling, the garbage collector
removing a finalizer of a Deployment being deleted) are still allowed, with upstream's
warning.

usage: test_serve_workloads.py PODGATE FAKE_KUBE_PY
"""
import copy
import json
import shutil
import sys
import tempfile

import serverlib
from serverlib import run, wait_for

PODGATE, FAKE_KUBE = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="podgate-serve-workloads-")
REPORT = serverlib.Report()

BASELINE = {"pod-security.kubernetes.io/enforce": "baseline",
            "pod-security.kubernetes.io/warn": "baseline"}
WEB = {"apiVersion": "apps/v1", "kind": "Deployment",
       "metadata": {"name": "web", "namespace": "team", "uid": "1", "generation": 1},
       "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                             "spec": {"containers": [{
                                 "name": "c", "image": "nginx:1.27",
                                 "env": [{"name": "MODE", "value": "a"}],
                                 "securityContext": {"privileged": True}}]}}},
       "status": {"replicas": 2}}
DENIAL = ('deployments.apps "web" is forbidden: violates PodSecurity "baseline:latest": '
          'privileged (container "c" must not set securityContext.privileged=true)')
WARNING = ('would violate PodSecurity "baseline:latest": privileged (container "c" must not '
           'set securityContext.privileged=true)')


class Serve(serverlib.Serve):
    def __init__(self, cluster):
        super().__init__(serverlib.serve_args(PODGATE, TMP, cluster.port, "--threads", "2",
                                              "--enforce-workloads"), TMP)

    def review(self, obj, operation="CREATE", old=None):
        request = {"uid": "u", "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
                   "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
                   "namespace": "team", "name": "web", "operation": operation,
                   "userInfo": {"username": "tester"}, "object": obj}
        if old is not None:
            request["oldObject"] = old
        body = json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                           "request": request})
        out = run("curl", "-sS", "--cacert", f"{TMP}/tls.crt", "-H",
                  "Content-Type: application/json", "--data-binary", body,
                  f"https://127.0.0.1:{self.port}/")
        return json.loads(out.stdout)["response"]


def changed(**edits):
    """WEB with `edits` applied: replicas, image, env, finalizers, deleting."""
    obj = copy.deepcopy(WEB)
    container = obj["spec"]["template"]["spec"]["containers"][0]
    if "replicas" in edits:
        obj["spec"]["replicas"] = edits["replicas"]
    if "image" in edits:
        container["image"] = edits["image"]
    if "env" in edits:
        container["env"][0]["value"] = edits["env"]
    if "finalizers" in edits:
        obj["metadata"]["finalizers"] = edits["finalizers"]
    if edits.get("deleting"):
        obj["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    return obj


def test_created_while_open(serve, cluster):
    wait_for(lambda: run("curl", "-sS", "--cacert", f"{TMP}/tls.crt",
                         f"https://127.0.0.1:{serve.port}/readyz").stdout == "ok", "/readyz")
    assert serve.review(WEB) == {"uid": "u", "allowed": True}
    cluster.post("/control/labels", {"name": "team", "labels": BASELINE})
    wait_for(lambda: serve.review(WEB)["allowed"] is False, "the tightened namespace")


def test_create_denied(serve, _cluster):
    response = serve.review(WEB)
    assert response["status"]["code"] == 403, response
    assert response["status"]["message"] == DENIAL, response
    assert response["auditAnnotations"] == {"enforce-policy": "baseline:latest"}, response


def test_scale_allowed(serve, _cluster):
    response = serve.review(changed(replicas=5), "UPDATE", WEB)
    assert response == {"uid": "u", "allowed": True, "warnings": [WARNING]}, response


def test_finalizer_removal_allowed(serve, _cluster):
    old = changed(deleting=True, finalizers=["foregroundDeletion"])
    response = serve.review(changed(deleting=True), "UPDATE", old)
    assert response == {"uid": "u", "allowed": True, "warnings": [WARNING]}, response


def test_template_change_denied(serve, _cluster):
    for edit in ({"image": "nginx:1.28"}, {"env": "b"}):
        response = serve.review(changed(**edit), "UPDATE", WEB)
        assert response["allowed"] is False, (edit, response)
        assert response["status"]["message"] == DENIAL, (edit, response)


def main():
    serverlib.self_signed_cert(TMP, days=2)
    cluster = serverlib.Cluster(FAKE_KUBE, {"team": {}})
    serve = Serve(cluster)
    try:
        for name, fn in [("created while the namespace was open, then tightened",
                          test_created_while_open),
                         ("a violating Deployment is denied at CREATE", test_create_denied),
                         ("scaling it is allowed, with the warning", test_scale_allowed),
                         ("removing a finalizer while deleting is allowed",
                          test_finalizer_removal_allowed),
                         ("changing its template (image, env) is denied",
                          test_template_change_denied)]:
            REPORT.check(name, fn, serve, cluster)
    finally:
        status = REPORT.finish(serve, cluster)
        shutil.rmtree(TMP, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
