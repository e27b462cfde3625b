#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`podgate scan -j N` writes the same bytes and exits with the same code for
every N. The input is a directory of many files: gen-corpus.py output cut into
files in nested directories, the real-world corpus, Namespace labels that
judge workloads in other files (some come after them), a policy label, broken
YAML, a wrong type, a dangling symlink, a FIFO, a file large enough to be left
to the main thread, and standard input between two directories. Every output
format is compared at -j1, -j2 and -j8, with and without custom policies,
with --level (no learning pass) and with each --fail-on mode.

usage: parallel_test.py PODGATE SHARED_DIR
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

JOBS = ["1", "2", "8"]

POLICY = """\
apiVersion: podgate.dev/v1alpha1
kind: Policy
metadata: {name: mesh}
spec:
  level: restricted
  namespaces: ["payments", "team-*"]
  exemptions:
  - checks: [capabilities_restricted]
    containers: ["*"]
    reason: sidecars add NET_ADMIN
  - checks: [runAsNonRoot]
    images: ["nginx:*"]
    reason: nginx images start as root
  - checks: [seccompProfile_restricted]
    reason: old nodes
    expires: 2025-12-31
  - checks: [privileged]
    containers: ["never-there"]
    reason: unused on purpose
---
apiVersion: podgate.dev/v1alpha1
kind: Policy
metadata: {name: agents}
spec:
  level: baseline
  exemptions:
  - checks: [hostNamespaces]
    reason: node agents
"""

# Namespace objects in files of their own, one sorting before the workloads they judge
# and one after; gen-corpus.py has Namespace objects of its own all over the corpus too.
EARLY_NAMESPACES = """\
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
  labels: {pod-security.kubernetes.io/enforce: Restricted}
---
apiVersion: v1
kind: Namespace
metadata:
  name: kube-system
  labels: {podgate.dev/policy: agents}
"""
LATE_NAMESPACES = """\
apiVersion: v1
kind: Namespace
metadata:
  name: audited
  labels: {pod-security.kubernetes.io/enforce: baseline, pod-security.kubernetes.io/audit: restricted}
"""
# Namespaces defined once each, in files of their own, judging a workload in another file:
# a label lost or applied out of order changes a result.
UNIQUE_NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: unique-%d\n" \
                   "  labels: {pod-security.kubernetes.io/enforce: %s}\n"
UNIQUE_APP = "apiVersion: v1\nkind: Pod\nmetadata: {name: app, namespace: unique-%d}\n" \
             "spec:\n  hostNetwork: true\n  containers: [{name: c, image: c}]\n"
AUDITED = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: audited}\n" \
          "spec:\n  template:\n    spec:\n      containers: [{name: c, image: c}]\n"
BROKEN = "apiVersion: v1\nkind: Pod\nmetadata: {name: [}\n---\n" \
         "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n  containers: [{name: c, image: c}]\n"
WRONG_TYPE = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  hostPID: 'yes'\n" \
             "  containers: [{name: c, image: c}]\n"
STDIN = "apiVersion: v1\nkind: Pod\nmetadata: {name: from-stdin, namespace: checkout}\n" \
        "spec:\n  hostNetwork: true\n  containers: [{name: c, image: c}]\n"


def split_documents(text):
    return [doc for doc in re.split(r"(?m)^---[ \t]*\n", text) if doc.strip()]


def generate(shared, root, docs, files, big_docs):
    """The corpus cut into `files` files over nested directories, plus one large file."""
    corpus = os.path.join(root, "corpus.yaml")
    gen = os.path.join(shared, "corpus", "gen-corpus.py")
    subprocess.run([sys.executable, gen, "--seed", "11", "--docs", str(docs + big_docs),
                    "--format", "yaml", "--out", corpus], check=True)
    with open(corpus) as f:
        all_docs = split_documents(f.read())
    os.remove(corpus)
    small, big = all_docs[:docs], all_docs[docs:]
    per_file = max(1, len(small) // files)
    tree = os.path.join(root, "tree")
    for i in range(0, len(small), per_file):
        sub = os.path.join(tree, "d%d" % (i // per_file % 7), "e%d" % (i // per_file % 3))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "f%05d.yaml" % i), "w") as f:
            f.write("---\n".join(small[i:i + per_file]))
    if big:
        with open(os.path.join(tree, "d3", "big.yaml"), "w") as f:
            f.write("---\n".join(big))
    # Every input error is under d2, so that the other directories scan cleanly.
    extras = {"d0/00-namespaces.yaml": EARLY_NAMESPACES, "d6/zz-namespaces.yaml": LATE_NAMESPACES,
              "d1/audited.yaml": AUDITED, "d2/broken.yaml": BROKEN, "d2/e0/wrong-type.yml": WRONG_TYPE}
    for i in range(30):
        extras["d%d/ns-%02d.yaml" % (i % 7, i)] = UNIQUE_NAMESPACE % (
            i, ("baseline", "privileged")[i % 2])
        extras["d%d/e%d/app-%02d.yaml" % ((i + 3) % 7, i % 3, i)] = UNIQUE_APP % i
    for name, text in extras.items():
        os.makedirs(os.path.dirname(os.path.join(tree, name)), exist_ok=True)
        with open(os.path.join(tree, name), "w") as f:
            f.write(text)
    os.symlink("nowhere.yaml", os.path.join(tree, "d2", "dangling.yaml"))
    os.mkfifo(os.path.join(tree, "d2", "e1", "fifo.yaml"))
    with open(os.path.join(root, "policy.yaml"), "w") as f:
        f.write(POLICY)
    with open(os.path.join(root, "stdin.yaml"), "w") as f:
        f.write(STDIN)
    return tree


def run(binary, args, cwd, stdin_path):
    wrapper = shlex.split(os.environ.get("PG_TEST_WRAPPER", ""))
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", NO_COLOR="1")
    with open(stdin_path, "rb") as stdin:
        proc = subprocess.run(wrapper + [binary, "scan"] + args, cwd=cwd, stdin=stdin, env=env,
                              capture_output=True, timeout=900)
    return proc.returncode, proc.stdout, proc.stderr


def check(binary, root, case):
    """One case: every -j gives -j1's exit code, stdout and stderr, and those are as expected."""
    name, args, exit_code, needles = case
    stdin_path = os.path.join(root, "stdin.yaml")
    want = run(binary, ["-j1"] + args, root, stdin_path)
    for jobs in JOBS[1:]:
        got = run(binary, ["-j" + jobs] + args, root, stdin_path)
        if got != want:
            print("not ok - %s: -j%s differs from -j1 (exit %d vs %d, stdout %d vs %d bytes)"
                  % (name, jobs, got[0], want[0], len(got[1]), len(want[1])))
            print("# stderr: %r" % got[2][-400:])
            return False
    missing = [needle for needle in needles if needle.encode() not in want[1]]
    if want[0] != exit_code or missing:
        print("not ok - %s: exit %d (want %d), missing %r" % (name, want[0], exit_code, missing))
        return False
    print("ok - %s: exit %d, %d bytes, same for -j%s" % (name, want[0], len(want[1]),
                                                        ", -j".join(JOBS)))
    return True


def main():
    binary, shared = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    light = bool(os.environ.get("PG_TEST_WRAPPER")) or os.environ.get("PG_TEST_ASAN") == "1"
    # Under valgrind or the sanitizers: fewer documents, and no file past the 4 MiB mark.
    docs, files, big_docs = (300, 40, 0) if light else (2400, 240, 2000)
    # The policy file's warnings come last, from exemption uses merged over every thread.
    used_everywhere = ["exemption mesh/3 is unused", "exemption mesh/2 expired"]
    cases = [("text", ["tree", "-", "tree/d6"], 2, ["tree/d2/dangling.yaml", "from-stdin"])]
    for fmt in ("text", "json", "sarif", "junit"):
        cases.append(("%s with policies" % fmt, ["-o", fmt, "--policy", "policy.yaml", "--now",
                                                 "2026-01-15", "tree", "-"], 2, used_everywhere))
    cases += [
        ("json --level baseline", ["-o", "json", "--level", "baseline", "tree"], 2, []),
        ("text --fail-on never", ["--fail-on", "never", "tree/d0", "tree/d3", "-"], 0,
         ["namespace legacy has invalid Pod Security labels"]),
        ("sarif --fail-on audit", ["-o", "sarif", "--fail-on", "audit", "tree/d1", "tree/d6"], 1,
         ['"level": "note"']),
        ("junit", ["-o", "junit", "tree/d4", "tree/d5"], 1, ["<failure"]),
        ("junit privileged", ["-o", "junit", "--level", "privileged", "tree/d0/e1"], 0, []),
        ("json real corpus", ["-o", "json", os.path.join(shared, "corpus", "real"), "tree/d1"], 1,
         []),
    ]
    tmp = tempfile.mkdtemp()
    failed = 0
    try:
        generate(shared, tmp, docs, files, big_docs)
        for case in cases:
            failed += not check(binary, tmp, case)
    finally:
        shutil.rmtree(tmp)
    print("%d passed, %d failed" % (len(cases) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
