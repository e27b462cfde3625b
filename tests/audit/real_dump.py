#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""podgate audit on a dump built from ../shared/corpus/real at test time.

Every object of the real-world corpus goes into one `kubectl get -o json`-style List (objects
without a namespace get their repository's name, so namespaces hold a realistic mix), with a
Namespace object per namespace carrying assorted Pod Security labels. Then:

1. the audit reads it without crashing, and its per-namespace counts agree with an independent
   count done here (PyYAML): pods, workload templates, controlled templates;
2. streaming the JSON and reading it whole (--input-format yaml) give the same report;
3. a what-if on the biggest namespace agrees with `podgate scan --level ... --no-defaults` on
   that namespace's objects: the same number of violating pods and workload templates.

usage: real_dump.py PODGATE CORPUS_DIR WORK_DIR
"""
import json
import os
import shlex
import subprocess
import sys

import yaml

GROUPS = {
    "Pod": ("",), "PodTemplate": ("",), "ReplicationController": ("",),
    "ReplicaSet": ("apps", "extensions"), "Deployment": ("apps", "extensions"),
    "DaemonSet": ("apps", "extensions"), "StatefulSet": ("apps",),
    "Job": ("batch",), "CronJob": ("batch",),
}
CONTROLLERS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob",
               "ReplicationController"}
LABELS = [
    {},
    {"pod-security.kubernetes.io/enforce": "baseline"},
    {"pod-security.kubernetes.io/enforce": "restricted",
     "pod-security.kubernetes.io/enforce-version": "v1.24"},
    {"pod-security.kubernetes.io/warn": "restricted",
     "pod-security.kubernetes.io/warn-version": "v1.30"},
    {"pod-security.kubernetes.io/enforce": "Baseline"},
]


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser when PyYAML has it; timestamps stay strings, as in a JSON dump."""


Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def wrapper():
    return shlex.split(os.environ.get("PG_TEST_WRAPPER", ""))


def objects(corpus):
    for repo in sorted(os.listdir(corpus)):
        folder = os.path.join(corpus, repo)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name == "LICENSE":
                continue
            try:
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    docs = list(yaml.load_all(f, Loader=Loader))
            except (yaml.YAMLError, UnicodeDecodeError, ValueError):
                continue
            for doc in docs:
                items = doc.get("items") if isinstance(doc, dict) and \
                    str(doc.get("kind", "")).endswith("List") else [doc]
                for item in items if isinstance(items, list) else []:
                    if isinstance(item, dict) and isinstance(item.get("metadata"), dict):
                        yield repo.replace("__", "-").replace("_", "-").lower()[:63], item


def has_template(obj):
    """A pod, or an object with its pod template where spec §6.3 says (else no pods)."""
    kind = obj.get("kind")
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    if kind == "Pod":
        return True
    if kind == "PodTemplate":
        return obj.get("template") is not None
    if kind == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec") or {})
    return isinstance(spec, dict) and spec.get("template") is not None


def is_workload(obj):
    kind, api = obj.get("kind"), str(obj.get("apiVersion", ""))
    group = api.split("/")[0] if "/" in api else ""
    return kind in GROUPS and group in GROUPS[kind] and has_template(obj)


def controlled(obj):
    for owner in obj["metadata"].get("ownerReferences") or []:
        if isinstance(owner, dict) and owner.get("controller") is True and \
                owner.get("kind") in CONTROLLERS:
            return True
    return False


def build(corpus, work):
    items, counts, namespaces = [], {}, set()
    for repo, obj in objects(corpus):
        ns = obj["metadata"].get("namespace")
        if not isinstance(ns, str) or not ns:
            ns = repo
            obj["metadata"]["namespace"] = ns
        if obj.get("kind") == "Namespace":
            continue
        namespaces.add(ns)
        items.append(obj)
        if is_workload(obj):
            c = counts.setdefault(ns, {"pods": 0, "workloads": 0, "controlled": 0})
            key = "pods" if obj["kind"] == "Pod" else \
                "controlled" if controlled(obj) else "workloads"
            c[key] += 1
    for i, ns in enumerate(sorted(namespaces)):
        items.append({"apiVersion": "v1", "kind": "Namespace",
                      "metadata": {"name": ns, "labels": LABELS[i % len(LABELS)]}})
    path = os.path.join(work, "real-dump.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"apiVersion": "v1", "items": items, "kind": "List",
                   "metadata": {"resourceVersion": ""}}, f, indent=4, default=str)
    return path, counts, items


def audit(podgate, *args):
    proc = subprocess.run(wrapper() + [podgate, "audit"] + list(args), capture_output=True,
                          timeout=1200)
    if proc.returncode not in (0, 2) or not proc.stdout:
        sys.exit("not ok - podgate audit %s: exit %d\n%s" % (" ".join(args), proc.returncode,
                                                             proc.stderr.decode()))
    return proc.stdout.decode()


def check_counts(report, counts):
    failures = 0
    errors = report["summary"]["errors"]
    seen = {ns["name"]: ns for ns in report["namespaces"]}
    for name, want in sorted(counts.items()):
        got = seen.get(name, {"pods": 0, "workloads": 0, "controlled_templates": 0})
        got = (got["pods"], got["workloads"], got["controlled_templates"])
        want = (want["pods"], want["workloads"], want["controlled"])
        # An object podgate cannot judge is reported as an error, never counted.
        if any(g > w for g, w in zip(got, want)) or sum(want) - sum(got) > errors:
            print("not ok - %s: podgate counts %s, python %s" % (name, got, want))
            failures += 1
    total = sum(sum(c.values()) for c in counts.values())
    print("# %d workload objects in %d namespaces, %d input problems" %
          (total, len(counts), errors))
    if total < 800:
        print("not ok - the corpus gave only %d workload objects" % total)
        failures += 1
    return failures


def check_what_if(podgate, work, items, report):
    biggest = max(report["namespaces"], key=lambda ns: ns["pods"] + ns["workloads"])
    name = biggest["name"]
    path = os.path.join(work, "real-%s.json" % name)
    with open(path, "w", encoding="utf-8") as f:
        for obj in items:
            if obj["metadata"].get("namespace") == name and is_workload(obj) and \
                    not controlled(obj):
                f.write(json.dumps(obj, default=str) + "\n")
    what_if = json.loads(audit(podgate, "-f", os.path.join(work, "real-dump.json"), "-o", "json",
                               "--what-if", name + "=restricted:v1.30"))["what_if"][0]
    proc = subprocess.run(wrapper() + [podgate, "scan", "--no-defaults", "--level",
                                       "restricted:v1.30", "-o", "json", path],
                          capture_output=True, timeout=600)
    results = json.loads(proc.stdout.decode())["results"]
    pods = sum(1 for r in results if not r["allowed"] and r["kind"] == "Pod")
    workloads = sum(1 for r in results if not r["allowed"] and r["kind"] != "Pod")
    got = (what_if["violating"]["pods"], what_if["violating"]["workloads"])
    if got != (pods, workloads):
        print("not ok - what-if %s: audit %s, scan %s" % (name, got, (pods, workloads)))
        return 1
    print("ok - what-if %s=restricted:v1.30 agrees with scan: %d pods, %d workloads" %
          (name, pods, workloads))
    return 0


def main():
    podgate, corpus, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    path, counts, items = build(corpus, work)
    text = audit(podgate, "-f", path, "-o", "json")
    report = json.loads(text)
    failures = check_counts(report, counts)
    whole = audit(podgate, "-f", path, "-o", "json", "--input-format", "yaml")
    if whole != text:
        print("not ok - streaming and reading the dump whole disagree")
        failures += 1
    failures += check_what_if(podgate, work, items, report)
    for fmt in ("text", "html"):
        audit(podgate, "-f", path, "-o", fmt)
    print("%s - real-corpus dump: %d namespaces, %d pods, %d workloads" % (
        "ok" if failures == 0 else "not ok", len(report["namespaces"]),
        report["summary"]["pods"], report["summary"]["workloads"]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
