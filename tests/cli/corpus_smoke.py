#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Scan every file of the real-world corpus (../shared/corpus/real) with -o json.

Passes when podgate exits 0 or 1 (never 2 or a signal), prints valid JSON,
reports no errors, and finds a result for every file that holds a workload.
"""
import json
import os
import subprocess
import sys

SKIP = {"LICENSE", "README.md", "SOURCES.tsv"}


def main():
    binary, root = sys.argv[1], sys.argv[2]
    files = []
    for dirpath, _, names in os.walk(root):
        files += [os.path.join(dirpath, n) for n in sorted(names) if n not in SKIP]
    files.sort()
    proc = subprocess.run([binary, "scan", "-o", "json", "--"] + files, capture_output=True,
                          timeout=600)
    failed = 0
    if proc.returncode not in (0, 1):
        print("not ok - exit code %d\n%s" % (proc.returncode, proc.stderr.decode()[:2000]))
        failed += 1
    report = json.loads(proc.stdout)
    for error in report["errors"]:
        print("not ok - error: %s" % json.dumps(error))
        failed += 1
    sources_with_results = {r["source"] for r in report["results"]}
    missing = [f for f in files if f not in sources_with_results]
    for path in missing:
        print("not ok - no workload found in %s" % path)
        failed += 1
    summary = report["summary"]
    print("# %d files, %d documents, %d workloads, %d violating restricted:latest"
          % (len(files), summary["documents"], summary["workloads"], summary["violating"]))
    passed = len(files) - len(missing)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
