#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generate a cluster dump shaped like `kubectl get ns,pods,deploy,... -A -o json` output.

Pod specs come from the synthetic corpus generator (../shared/corpus/gen-corpus.py, JSON
lines), so every Pod Security check is exercised. Around them this script builds what a
live cluster holds: Namespaces with Pod Security labels, Deployments with their
ReplicaSets, controllers' pods (ownerReferences, status, defaulted spec fields), a few
PodSecurityPolicies and RBAC objects. kubectl (≥ 1.21) leaves managedFields out unless
--show-managed-fields; --managed-fields adds them, as an API server LIST returns them. Output is the 4-space indented List
kubectl prints, written as a stream (memory stays small). Same arguments, same bytes.

usage: gen_dump.py --pods N [--seed S] [--corpus corpus.jsonl] [--managed-fields] --out dump.json
  without --corpus, gen-corpus.py is run into a temporary file first.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GEN_CORPUS = os.path.join(HERE, "..", "..", "shared", "corpus", "gen-corpus.py")
WORKLOADS = {"Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet",
             "ReplicationController", "PodTemplate"}
LABEL_SETS = [
    {},
    {"pod-security.kubernetes.io/enforce": "baseline"},
    {"pod-security.kubernetes.io/enforce": "baseline",
     "pod-security.kubernetes.io/enforce-version": "v1.25",
     "pod-security.kubernetes.io/warn": "restricted"},
    {"pod-security.kubernetes.io/enforce": "restricted",
     "pod-security.kubernetes.io/enforce-version": "v1.30"},
    {"pod-security.kubernetes.io/enforce": "privileged",
     "pod-security.kubernetes.io/audit": "restricted"},
    {"pod-security.kubernetes.io/warn": "baseline",
     "pod-security.kubernetes.io/warn-version": "v1.22"},
]


def fields_v1(value, depth=3):
    """managedFields' FieldsV1 for a value (`f:`/`k:` entries), cut at `depth` levels."""
    if depth == 0:
        return {}
    if isinstance(value, dict):
        return {"f:" + k: fields_v1(v, depth - 1) for k, v in value.items()}
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            key = "k:" + json.dumps({"name": item.get("name", str(i))}) if isinstance(item, dict) \
                else "v:" + json.dumps(item)
            out[key] = fields_v1(item, depth - 1) if isinstance(item, dict) else {}
        return out
    return {}


def managed(manager, obj, subresource=None):
    entry = {"apiVersion": obj["apiVersion"], "fieldsType": "FieldsV1",
             "fieldsV1": {"f:metadata": fields_v1({k: v for k, v in obj["metadata"].items()
                                                   if k in ("labels", "annotations")}),
                          "f:spec": fields_v1(obj.get("spec", {}))},
             "manager": manager, "operation": "Update", "time": "2025-05-01T10:00:00Z"}
    if subresource:
        entry["subresource"] = subresource
    return entry


class Dump:
    def __init__(self, out, rng, managed_fields):
        self.out = out
        self.rng = rng
        self.managed_fields = managed_fields
        self.first = True
        self.pods = 0
        self.uid = 0

    def next_uid(self):
        self.uid += 1
        return "%08x-0000-4000-8000-%012x" % (self.uid, self.uid)

    def write(self, obj):
        text = json.dumps(obj, indent=4)
        text = "\n".join("        " + line for line in text.split("\n"))
        self.out.write(("" if self.first else ",\n") + text)
        self.first = False

    def pod(self, template, ns, name, owner):
        spec = json.loads(json.dumps(template.get("spec") or {}))
        spec.setdefault("restartPolicy", "Always")
        spec.update({"nodeName": "node-%d" % self.rng.randrange(200), "schedulerName":
                     "default-scheduler", "serviceAccountName": "default",
                     "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                     "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority",
                     "priority": 0, "tolerations": [
                         {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                          "operator": "Exists", "tolerationSeconds": 300}]})
        spec.setdefault("volumes", []).append(
            {"name": "kube-api-access-%05d" % self.rng.randrange(100000), "projected": {
                "defaultMode": 420, "sources": [{"serviceAccountToken": {
                    "expirationSeconds": 3607, "path": "token"}}]}})
        meta = dict(template.get("metadata") or {})
        meta.update({"name": name, "namespace": ns, "uid": self.next_uid(),
                     "resourceVersion": str(1000 + self.uid),
                     "creationTimestamp": "2025-05-01T10:00:00Z"})
        if owner:
            meta["ownerReferences"] = [{"apiVersion": owner["apiVersion"], "kind": owner["kind"],
                                        "name": owner["metadata"]["name"], "uid":
                                        owner["metadata"]["uid"], "controller": True,
                                        "blockOwnerDeletion": True}]
        containers = spec.get("containers") or []
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": {
            "phase": "Running", "hostIP": "10.0.0.1", "podIP": "10.1.2.3",
            "podIPs": [{"ip": "10.1.2.3"}], "qosClass": "Burstable",
            "startTime": "2025-05-01T10:00:01Z",
            "conditions": [{"type": t, "status": "True", "lastTransitionTime":
                            "2025-05-01T10:00:05Z"} for t in
                           ("Initialized", "Ready", "ContainersReady", "PodScheduled")],
            "containerStatuses": [{"name": c.get("name", "c"), "image": c.get("image", ""),
                                   "imageID": "docker-pullable://x@sha256:" + "ab" * 32,
                                   "containerID": "containerd://" + "cd" * 32, "ready": True,
                                   "restartCount": 0, "started": True, "state": {"running": {
                                       "startedAt": "2025-05-01T10:00:03Z"}}}
                                  for c in containers if isinstance(c, dict)]}}
        if self.managed_fields:
            meta["managedFields"] = [managed("kube-controller-manager", pod),
                                     managed("kubelet", pod, "status")]
        self.write(pod)
        self.pods += 1

    def controller(self, obj, replicas):
        obj["metadata"]["uid"] = self.next_uid()
        if self.managed_fields:
            obj["metadata"]["managedFields"] = [managed("kubectl-client-side-apply", obj)]
        obj["status"] = {"observedGeneration": 1, "replicas": replicas,
                         "readyReplicas": replicas}
        self.write(obj)


def template_of(obj):
    spec = obj.get("spec") or {}
    if obj["kind"] == "CronJob":
        return ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template")
    if obj["kind"] == "PodTemplate":
        return obj.get("template")
    return spec.get("template")


def expand(dump, obj, ns):
    """Write a workload and the objects a cluster would derive from it."""
    kind, name = obj["kind"], obj["metadata"].get("name", "x")
    obj["metadata"]["namespace"] = ns
    if kind == "Pod":
        dump.pod(obj, ns, name, None)
        return
    template = template_of(obj)
    replicas = 1 + dump.rng.randrange(5)
    dump.controller(obj, replicas)
    if not isinstance(template, dict) or kind == "PodTemplate":
        return
    owner = obj
    if kind in ("Deployment", "CronJob"):
        child_kind = "ReplicaSet" if kind == "Deployment" else "Job"
        child = {"apiVersion": "apps/v1" if kind == "Deployment" else "batch/v1",
                 "kind": child_kind, "metadata": {
                     "name": name + "-7d9f8c6b5", "namespace": ns, "ownerReferences": [{
                         "apiVersion": obj["apiVersion"], "kind": kind, "name": name,
                         "uid": obj["metadata"]["uid"], "controller": True}]},
                 "spec": {"replicas": replicas, "template": template}}
        dump.controller(child, replicas)
        owner = child
    for i in range(1 if kind in ("Job", "CronJob") else replicas):
        dump.pod(template, ns, "%s-%05x" % (owner["metadata"]["name"], dump.rng.randrange(1 << 20)),
                 owner)


def psp_and_rbac(dump, namespaces):
    dump.write({"apiVersion": "policy/v1beta1", "kind": "PodSecurityPolicy",
                "metadata": {"name": "privileged"}, "spec": {
                    "privileged": True, "allowPrivilegeEscalation": True,
                    "allowedCapabilities": ["*"], "volumes": ["*"], "hostNetwork": True,
                    "hostPorts": [{"min": 0, "max": 65535}], "hostIPC": True, "hostPID": True,
                    "runAsUser": {"rule": "RunAsAny"}, "seLinux": {"rule": "RunAsAny"},
                    "supplementalGroups": {"rule": "RunAsAny"}, "fsGroup": {"rule": "RunAsAny"}}})
    dump.write({"apiVersion": "policy/v1beta1", "kind": "PodSecurityPolicy", "metadata": {
        "name": "restricted", "annotations": {
            "seccomp.security.alpha.kubernetes.io/allowedProfileNames": "runtime/default",
            "seccomp.security.alpha.kubernetes.io/defaultProfileName": "runtime/default",
            "apparmor.security.beta.kubernetes.io/allowedProfileNames": "runtime/default",
            "apparmor.security.beta.kubernetes.io/defaultProfileName": "runtime/default"}},
        "spec": {"privileged": False, "allowPrivilegeEscalation": False,
                 "requiredDropCapabilities": ["ALL"], "volumes": [
                     "configMap", "emptyDir", "projected", "secret", "downwardAPI",
                     "persistentVolumeClaim"], "runAsUser": {"rule": "MustRunAsNonRoot"},
                 "seLinux": {"rule": "RunAsAny"}, "supplementalGroups": {
                     "rule": "MustRunAs", "ranges": [{"min": 1, "max": 65535}]},
                 "fsGroup": {"rule": "MustRunAs", "ranges": [{"min": 1, "max": 65535}]},
                 "readOnlyRootFilesystem": False}})
    for name in ("privileged", "restricted"):
        dump.write({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                    "metadata": {"name": "psp:" + name}, "rules": [{
                        "apiGroups": ["policy"], "resources": ["podsecuritypolicies"],
                        "verbs": ["use"], "resourceNames": [name]}]})
    dump.write({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                "metadata": {"name": "psp:restricted"}, "roleRef": {
                    "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                    "name": "psp:restricted"}, "subjects": [{
                        "apiGroup": "rbac.authorization.k8s.io", "kind": "Group",
                        "name": "system:serviceaccounts"}]})
    for ns in sorted(namespaces)[:3]:
        dump.write({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                    "metadata": {"name": "psp:privileged", "namespace": ns}, "roleRef": {
                        "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                        "name": "psp:privileged"}, "subjects": [{
                            "kind": "ServiceAccount", "name": "default", "namespace": ns}]})


def objects(corpus):
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                obj = json.loads(line)
                if isinstance(obj, dict) and obj.get("kind") in WORKLOADS and \
                        isinstance(obj.get("metadata"), dict):
                    yield obj


def generate(args, corpus):
    rng = random.Random(args.seed)
    namespaces = set()
    for obj in objects(corpus):
        namespaces.add(obj["metadata"].get("namespace") or "default")
    with open(args.out, "w", encoding="utf-8") as out:
        out.write('{\n    "apiVersion": "v1",\n    "items": [\n')
        dump = Dump(out, rng, args.managed_fields)
        for i, ns in enumerate(sorted(namespaces)):
            dump.write({"apiVersion": "v1", "kind": "Namespace", "metadata": {
                "name": ns, "uid": dump.next_uid(), "labels": dict(
                    LABEL_SETS[i % len(LABEL_SETS)], **{"kubernetes.io/metadata.name": ns})},
                "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
        psp_and_rbac(dump, namespaces)
        while dump.pods < args.pods:
            before = dump.pods
            for obj in objects(corpus):
                expand(dump, obj, obj["metadata"].get("namespace") or "default")
                if dump.pods >= args.pods:
                    break
            if dump.pods == before:
                sys.exit("gen_dump: the corpus has no workloads")
        out.write('\n    ],\n    "kind": "List",\n    "metadata": {\n        '
                  '"resourceVersion": ""\n    }\n}\n')
    return dump.pods


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pods", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", help="gen-corpus.py --format json output")
    parser.add_argument("--managed-fields", action="store_true")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.corpus:
        pods = generate(args, args.corpus)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = os.path.join(tmp, "corpus.jsonl")
            subprocess.run([sys.executable, GEN_CORPUS, "--seed", str(args.seed), "--docs",
                            str(max(100, args.pods // 6)), "--format", "json", "--out", corpus],
                           check=True)
            pods = generate(args, corpus)
    print("gen_dump: %d pods in %s" % (pods, args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
