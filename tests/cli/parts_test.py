#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A file too large to scan whole (over 4 MiB) is read in parts that every thread
scans (scan_jobs.c, pg_scan_jobs_scan_parts) and reported in order: -j2, -j3 and
-j8 must give -j1's stdout, stderr and exit code byte for byte, in every format,
with the problems that land between parts: documents that do not parse, a wrong
type, a document over --max-document-bytes by more than the read block (dropped
by the part reader itself, so later document numbers must stay right), and
Namespaces after the workloads they judge; and the same bytes from standard input,
held in memory and cut into parts the same way.

  parts_test.py PODGATE SHARED_DIR"""
import os
import shlex
import subprocess
import sys
import tempfile

JOBS = ["1", "2", "3", "8"]
BROKEN = "apiVersion: v1\nkind: Pod\nmetadata: {name: broken\nspec: [\n"
WRONG_TYPE = ("apiVersion: v1\nkind: Pod\nmetadata: {name: wrong-type, namespace: team-a}\n"
              "spec:\n  containers:\n  - name: c\n    image: x\n"
              "    securityContext: {privileged: maybe}\n")
HUGE = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n  blob: " + "y" * (
    1300 * 1024) + "\n"
NAMESPACE = ("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n  labels:\n"
             "    pod-security.kubernetes.io/enforce: %s\n")
TEAM_POD = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p%d, namespace: team-a}\n"
            "spec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: x\n")


def build_input(shared, path):
    corpus = path + ".corpus"
    subprocess.run([sys.executable, os.path.join(shared, "corpus", "gen-corpus.py"), "--seed",
                    "23", "--docs", "2400", "--format", "yaml", "--out", corpus], check=True)
    with open(corpus) as f:
        docs = [d for d in f.read().split("\n---\n") if d.strip()]
    os.remove(corpus)
    # Problems spread over the whole file, so that they fall in several parts.
    out = []
    for i, doc in enumerate(docs):
        out.append(doc)
        if i % 400 == 17:
            out.append(BROKEN)
        if i % 500 == 250:
            out.append(WRONG_TYPE)
        if i % 300 == 5:
            out.append(TEAM_POD % i)
        if i == 1200:
            out.append(HUGE)
    out.append(NAMESPACE % ("team-a", "baseline"))
    with open(path, "w") as f:
        f.write("\n---\n".join(out) + "\n")


def run(binary, args, stdin_path):
    wrapper = shlex.split(os.environ.get("PG_TEST_WRAPPER", ""))
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", NO_COLOR="1")
    with open(stdin_path, "rb") as stdin:
        proc = subprocess.run(wrapper + [binary, "scan"] + args, env=env, capture_output=True,
                              timeout=900, stdin=stdin)
    return proc.returncode, proc.stdout, proc.stderr


def check(binary, name, args, needles, stdin_path=os.devnull):
    want = run(binary, ["-j1"] + args, stdin_path)
    for jobs in JOBS[1:]:
        got = run(binary, ["-j" + jobs] + args, stdin_path)
        if got != want:
            print("not ok - %s: -j%s differs from -j1 (exit %d vs %d, stdout %d vs %d bytes)"
                  % (name, jobs, got[0], want[0], len(got[1]), len(want[1])))
            print("# stderr: %r" % got[2][-400:])
            return False
    missing = [n for n in needles if n.encode() not in want[1] + want[2]]
    if want[0] != 2 or missing:
        print("not ok - %s: exit %d (want 2), missing %r" % (name, want[0], missing))
        return False
    print("ok - %s: %d bytes, same for -j%s" % (name, len(want[1]), ", -j".join(JOBS)))
    return True


def main():
    binary, shared = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if os.environ.get("PG_TEST_WRAPPER"):
        print("# skipped under a wrapper (valgrind): a 6 MB input, scanned 20 times")
        return 77
    failed = 0
    cases = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "big.yaml")
        build_input(shared, path)
        assert os.path.getsize(path) > 4 * 1024 * 1024, "the input must be read in parts"
        limit = ["--max-document-bytes", "100000"]
        for fmt in ("text", "json", "sarif", "junit"):
            cases += 1
            failed += not check(binary, fmt, ["-o", fmt] + limit + [path],
                                ["max_document_bytes", "team-a"])
        # Standard input under 16 MiB is held in memory and cut into parts the same way.
        cases += 1
        failed += not check(binary, "json stdin", ["-o", "json"] + limit + ["-"],
                            ["max_document_bytes", "team-a"], path)
        cases += 1
        failed += not check(binary, "json --level restricted", ["-o", "json", "--level",
                                                                "restricted", path, path],
                            ["restricted:latest"])
    print("%d passed, %d failed" % (cases - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
