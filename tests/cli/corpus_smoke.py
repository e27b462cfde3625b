#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Scan every file of the real-world corpus (../shared/corpus/real) with -o json.

Passes when podgate exits 0 or 1 (never 2 or a signal), prints valid JSON,
reports no errors, and finds exactly as many workloads in each file as an
independent count with PyYAML (the nine kinds in their API groups, List items
included).
"""
import json
import os
import shlex
import subprocess
import sys

import yaml

GROUPS = {
    "Pod": {""}, "PodTemplate": {""}, "ReplicationController": {""},
    "ReplicaSet": {"apps", "extensions"}, "Deployment": {"apps", "extensions"},
    "DaemonSet": {"apps", "extensions"}, "StatefulSet": {"apps"},
    "Job": {"batch"}, "CronJob": {"batch"},
}


def is_workload(obj):
    if not isinstance(obj, dict) or not isinstance(obj.get("apiVersion"), str):
        return False
    api = obj["apiVersion"]
    group = api.split("/")[0] if "/" in api else ""
    return group in GROUPS.get(obj.get("kind"), ())


def count_workloads(path):
    with open(path, "rb") as f:
        docs = list(yaml.load_all(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    count = 0
    for doc in docs:
        if isinstance(doc, dict) and str(doc.get("kind", "")).endswith("List") \
                and isinstance(doc.get("items"), list):
            count += sum(1 for item in doc["items"] if is_workload(item))
        elif is_workload(doc):
            count += 1
    return count

SKIP = {"LICENSE", "README.md", "SOURCES.tsv"}


def main():
    binary, root = sys.argv[1], sys.argv[2]
    files = []
    for dirpath, _, names in os.walk(root):
        files += [os.path.join(dirpath, n) for n in sorted(names) if n not in SKIP]
    files.sort()
    wrapper = shlex.split(os.environ.get("PG_TEST_WRAPPER", ""))
    proc = subprocess.run(wrapper + [binary, "scan", "-o", "json", "--"] + files,
                          capture_output=True, timeout=1200)
    failed = 0
    if proc.returncode not in (0, 1):
        print("not ok - exit code %d\n%s" % (proc.returncode, proc.stderr.decode()[:2000]))
        failed += 1
    report = json.loads(proc.stdout)
    for error in report["errors"]:
        print("not ok - error: %s" % json.dumps(error))
        failed += 1
    found = {}
    for result in report["results"]:
        if result["mode"] == "enforce":
            found[result["source"]] = found.get(result["source"], 0) + 1
    mismatched = []
    for path in files:
        want = count_workloads(path)
        if found.get(path, 0) != want:
            print("not ok - %s: %d workloads, PyYAML counts %d" % (path, found.get(path, 0), want))
            mismatched.append(path)
    failed += len(mismatched)
    summary = report["summary"]
    print("# %d files, %d documents, %d workloads, %d violating restricted:latest"
          % (len(files), summary["documents"], summary["workloads"], summary["violating"]))
    passed = len(files) - len(mismatched)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
