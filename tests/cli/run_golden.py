#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Golden tests of the podgate binary.

A case file (tests/cli/cases/*.test) holds one or more cases:

    === name of the case
    $ podgate scan --level restricted pod.yaml      (the command, shell-split; it may
                                                     start with NAME=value environment
                                                     assignments, as in a shell)
    < input.yaml                                    (optional: file fed to stdin)
    ? 1                                             (expected exit code)
    --- stdout                                      (expected stdout, exact)
    ...
    --- stderr                                      (expected stderr, exact; absent = empty)
    ...

The next `=== ` line ends a case, so expected output may end in blank lines.

Commands run in tests/cli/data with NO_COLOR=1. `--update` rewrites the
expectations from the current binary (review the diff before committing).
"""
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def parse(path):
    cases, case, section = [], None, None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("=== "):
                case = {"name": line[4:], "stdin": None, "stdout": "", "stderr": "", "exit": 0}
                cases.append(case)
                section = None
            elif case is None or (section is None and line.startswith("#")):
                continue
            elif section is None and line.startswith("$ "):
                case["args"] = shlex.split(line[2:])
            elif section is None and line.startswith("< "):
                case["stdin"] = line[2:]
            elif section is None and line.startswith("? "):
                case["exit"] = int(line[2:])
            elif line in ("--- stdout", "--- stderr"):
                section = line[4:]
            elif section is not None:
                case[section] += raw if raw.endswith("\n") else raw + "\n"
    return cases


def split_env(args):
    """Leading NAME=value words are environment assignments, as in a shell."""
    env = {}
    while args and "=" in args[0] and args[0].split("=", 1)[0].isidentifier():
        name, value = args[0].split("=", 1)
        env[name] = value
        args = args[1:]
    return env, args


def run(binary, case):
    data = os.path.join(HERE, "data")
    stdin = open(os.path.join(data, case["stdin"]), "rb") if case["stdin"] else subprocess.DEVNULL
    assignments, args = split_env(case["args"])
    env = dict(os.environ, NO_COLOR="1", **assignments)
    try:
        wrapper = shlex.split(os.environ.get("PG_TEST_WRAPPER", ""))
        proc = subprocess.run(wrapper + [binary] + args[1:], cwd=data, stdin=stdin,
                              capture_output=True, env=env, timeout=300)
    finally:
        if case["stdin"]:
            stdin.close()
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def write_case(f, case, code, out, err):
    f.write("=== %s\n$ %s\n" % (case["name"], shlex.join(case["args"])))
    if case["stdin"]:
        f.write("< %s\n" % case["stdin"])
    f.write("? %d\n--- stdout\n%s" % (code, out))
    if err:
        f.write("--- stderr\n%s" % err)


def main():
    binary = os.path.abspath(sys.argv[1])
    update = "--update" in sys.argv
    files = sorted(p for p in os.listdir(os.path.join(HERE, "cases")) if p.endswith(".test"))
    passed = failed = 0
    for name in files:
        path = os.path.join(HERE, "cases", name)
        cases = parse(path)
        results = []
        for case in cases:
            code, out, err = run(binary, case)
            results.append((case, code, out, err))
            ok = (code, out, err) == (case["exit"], case["stdout"], case["stderr"])
            if ok or update:
                passed += 1
                print("ok - %s: %s" % (name, case["name"]))
                continue
            failed += 1
            print("not ok - %s: %s" % (name, case["name"]))
            print("#   exit: got %d want %d" % (code, case["exit"]))
            for label, got, want in (("stdout", out, case["stdout"]), ("stderr", err, case["stderr"])):
                if got != want:
                    print("#   %s got:\n%s#   %s want:\n%s" % (label, got, label, want))
        if update:
            with open(path, "w", encoding="utf-8") as f:
                for case, code, out, err in results:
                    write_case(f, case, code, out, err)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
