#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Hostile input for `podgate scan`: alias bombs, deep nesting, huge documents
and streams, long lines, duplicate keys, YAML booleans, truncated and binary
files, invalid UTF-8, NUL bytes and fields of the wrong type.

Every input is generated here, into a temporary directory, and each case
asserts the exit status, a substring of the output, and bounds on wall time
and peak memory (the child's CPU time and peak RSS, from GNU time, else from
wait4: CPU time, not wall time, so that a loaded machine does not fail the
suite; a wall-clock timeout catches hangs). Without GNU time the peak also
counts this runner's own (Linux keeps the old image's at exec), so it is only a
ceiling. Nothing may crash, hang,
grow without bound or end in a wrong "allowed".

    run_hostile.py PODGATE [-k SUBSTRING] [-v]

Environment: PG_TEST_WRAPPER (valgrind) skips the heavy cases and the bounds;
PG_TEST_ASAN=1 (set by `make asan`) relaxes the bounds for the sanitizers'
overhead. Timing numbers go to stdout for the record; they are not benchmarks.
"""
import concurrent.futures
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

MIB = 1024 * 1024
WRAPPER = shlex.split(os.environ.get("PG_TEST_WRAPPER", ""))
ASAN = os.environ.get("PG_TEST_ASAN") == "1"
# The sanitizers cost time and memory (shadow memory, quarantine, arena debug: one malloc
# per node); valgrind is skipped for the heavy cases and checked for errors only.
TIME_FACTOR = 8 if ASAN else 1
MEMORY_FACTOR = 4 if ASAN else 1
MEMORY_SLACK_MB = 64 if ASAN else 0
# Address space for the plain build: a backstop that turns runaway allocation into a failure
# (prlimit, not preexec_fn, so that the child is not a forked copy of this interpreter).
ADDRESS_SPACE = 2048 * MIB
PRLIMIT = shutil.which("prlimit")
# GNU time measures the child it forks itself, so its peak RSS is podgate's alone; without it
# the peak from wait4 also counts this runner's own (Linux keeps the old image's at exec).
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def pod(name, security_context="{}", extra_spec="", container_extra=""):
    return ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\nspec:\n%s"
            "  containers:\n  - name: c\n    image: busybox\n%s"
            "    securityContext: %s\n" % (name, extra_spec, container_extra, security_context))


PRIVILEGED_POD = pod("priv", "{privileged: true}")
CLEAN_POD = pod("clean")


class Case:
    """One run of podgate: input files, arguments, and what must come out."""

    def __init__(self, name, files, args, status, expect=(), reject=(), stdin=None,
                 seconds=2.0, memory_mb=64, heavy=False):
        self.name = name
        self.files = files          # {relative name: bytes or callable(path)}
        self.args = args            # after `podgate scan`
        self.status = status        # expected exit status
        self.expect = expect        # substrings that must be in stdout + stderr
        self.reject = reject        # substrings that must not be
        self.stdin = stdin          # name of a file fed to stdin
        self.seconds = seconds      # CPU time bound (plain build)
        self.memory_mb = memory_mb  # peak RSS bound (plain build)
        self.heavy = heavy          # skipped under PG_TEST_WRAPPER


# ---- generators ----------------------------------------------------------------------------


def billion_laughs(levels=10, width=10):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append("a%d: &a%d [%s]" % (i, i, ", ".join(["*a%d" % (i - 1)] * width)))
    return ("\n".join(lines) + "\n").encode()


def bomb_in_pod():
    """The bomb where a check would walk it: a list of containers built from aliases."""
    lines = ["apiVersion: v1", "kind: Pod", "metadata: {name: bomb}", "x:",
             "  c0: &c0 [{name: a, image: b}, {name: a, image: b}, {name: a, image: b}]"]
    for i in range(1, 12):
        lines.append("  c%d: &c%d [*c%d, *c%d, *c%d]" % (i, i, i - 1, i - 1, i - 1))
    lines.append("spec: {containers: *c11}")
    return ("\n".join(lines) + "\n").encode()


def write_big(size, head, fill, tail):
    """A writer for a file of about `size` bytes, built in blocks (no 100 MB string)."""
    def write(path):
        block = fill * (MIB // len(fill))
        with open(path, "wb") as f:
            f.write(head)
            written = len(head)
            while written + len(block) <= size:
                f.write(block)
                written += len(block)
            f.write(tail)
    return write


def lazy(make):
    """A writer for content made only when the case runs, so the runner stays small."""
    def write(path):
        with open(path, "wb") as f:
            f.write(make())
    return write


def many_documents(count):
    def write(path):
        chunk = b"---\nk: v\n" * 10000
        with open(path, "wb") as f:
            for _ in range(count // 10000):
                f.write(chunk)
            f.write(b"---\n" + PRIVILEGED_POD.encode())
    return write


def json_documents(count):
    def write(path):
        chunk = b'{"k": "v"}\n' * 10000
        with open(path, "wb") as f:
            for _ in range(count // 10000):
                f.write(chunk)
            f.write(b'{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "last"}, '
                    b'"spec": {"hostPID": true, "containers": [{"name": "c"}]}}\n')
    return write


def dense_stream(chunks):
    """Pods with several findings each and long env lists: `-o json` is about as large as
    the input. Each chunk is 500 documents of 61 lines."""
    env = "    env:\n" + "".join("    - {name: E%d, value: v}\n" % k for k in range(48))
    chunk = "".join("---\n" + pod("p%d" % i, "{privileged: true, capabilities: {add: [SYS_ADMIN]}}",
                                  "  hostNetwork: true\n  hostPID: true\n", env)
                    for i in range(500)).encode()

    def write(path):
        with open(path, "wb") as f:
            for _ in range(chunks):
                f.write(chunk)
    return write


def random_bytes(size, seed, alphabet=None):
    rng = random.Random(seed)
    if alphabet is None:
        return bytes(rng.getrandbits(8) for _ in range(size))
    return bytes(rng.choice(alphabet) for _ in range(size))


def many_keys(count):
    keys = "".join("  k%d: v\n" % i for i in range(count))
    return (pod("keys", "{privileged: true}") + "  annotations:\n" + keys).encode()


# ---- cases ---------------------------------------------------------------------------------


def cases():
    out = []

    def add(*args, **kwargs):
        out.append(Case(*args, **kwargs))

    # Alias bombs: the budget stops them where the total passes the limit, in microseconds.
    add("alias bomb (billion laughs)", {"bomb.yaml": billion_laughs() + b"---\n" +
                                        PRIVILEGED_POD.encode()},
        ["--level", "baseline", "bomb.yaml"], 2,
        ["aliases expand to more than 1000000 nodes (max_alias_expansion)", "bomb.yaml:6:45:",
         "Pod priv: privileged"])
    add("alias bomb under a pod's containers", {"bomb.yaml": bomb_in_pod()},
        ["bomb.yaml"], 2, ["aliases expand to more than 1000000 nodes"])
    add("alias bomb in JSON is just text", {"bomb.json": b'{"a": "&a [*a, *a]", "b": "*a"}'},
        ["bomb.json"], 0, ["1 document"])
    add("recursive alias", {"rec.yaml": b"a: &a [*a]\n"}, ["rec.yaml"], 2,
        ["alias *a is inside its own anchor"])

    # Deep nesting, block and flow: the depth limit stops each before libyaml's quadratic
    # flow scanner or jsmn (which has no depth limit) get far.
    deep = 10000
    add("10,000-deep block sequences", {"deep.yaml": b"- " * deep + b"x\n"}, ["deep.yaml"], 2,
        ["deep.yaml:1:513: error: nesting deeper than 256 (max_depth)"])
    add("1,000-deep block mappings", {"deep.yaml": "".join(
        " " * i + "k%d:\n" % i for i in range(1000)).encode()}, ["deep.yaml"], 2,
        ["deep.yaml:257:257: error: nesting deeper than 256 (max_depth)"])
    add("10,000-deep flow sequences", {"deep.yaml": b"[" * deep + b"]" * deep}, ["deep.yaml"], 2,
        ["deep.yaml:1:257: error: nesting deeper than 256 (max_depth)"])
    add("10,000-deep flow mappings", {"deep.yaml": b"{a: " * deep + b"}" * deep},
        ["--input-format", "yaml", "deep.yaml"], 2, ["nesting deeper than 256 (max_depth)"])
    add("10,000-deep JSON arrays", {"deep.json": b"[" * deep + b"]" * deep}, ["deep.json"], 2,
        ["deep.json:1:257: error: nesting deeper than 256 (max_depth)"])
    add("10,000-deep JSON objects", {"deep.json": b'{"a":' * deep + b"}" * deep}, ["deep.json"],
        2, ["nesting deeper than 256 (max_depth)"])
    add("1,000,000-deep JSON arrays, unclosed", {"deep.json": b"[" * 1000000}, ["deep.json"], 2,
        ["nesting deeper than 256 (max_depth)"])
    add("--max-depth 10000 still stops 100,000-deep flow YAML", {"deep.yaml": b"[" * 100000},
        ["--max-depth", "10000", "deep.yaml"], 2, ["nesting deeper than 10000 (max_depth)"],
        seconds=10)

    # Sizes: a document over max_document_bytes is refused before it is parsed, and the
    # scan goes on with the next one.
    big = 100 * MIB
    add("100 MB single document (file)", {"big.yaml": write_big(
        big, b"apiVersion: v1\nkind: ConfigMap\ndata:\n  blob: \"", b"x" * 4096,
        b"\"\n---\n" + PRIVILEGED_POD.encode())},
        ["--level", "baseline", "big.yaml"], 2,
        ["big.yaml:1:1: error: document larger than 3145728 bytes (max_document_bytes)",
         "Pod priv: privileged"], seconds=10, memory_mb=64, heavy=True)
    add("100 MB single document (stdin)", {"big.yaml": write_big(
        big, b"apiVersion: v1\nkind: ConfigMap\ndata:\n", b"  k: " + b"x" * 4090 + b"\n",
        b"---\n" + PRIVILEGED_POD.encode())},
        ["--level", "baseline", "-"], 2,
        ["document larger than", "max_document_bytes", "Pod priv: privileged"],
        stdin="big.yaml", seconds=10, memory_mb=64, heavy=True)
    add("1,000,000 tiny documents in one stream", {"many.yaml": many_documents(1000000)},
        ["--level", "baseline", "many.yaml"], 1,
        ["many.yaml:2000010:23: error: Pod priv: privileged", "1000001 documents, 1 workload"],
        seconds=20, memory_mb=64, heavy=True)
    add("200,000 JSON values in one stream", {"many.json": json_documents(200000)},
        ["--level", "baseline", "many.json"], 1, ["200001:", "200001 documents, 1 workload"],
        seconds=10, memory_mb=64, heavy=True)
    # A stream from stdin is read whole up to 16 MiB, then cut into parts of a few hundred KiB,
    # and each part's report is written out before the next one is scanned: the peak is the
    # binary (about 8 MiB) and that head, not the input or the report. Holding a report for
    # the whole head (as before) peaked at 45 MB here, and 33 MiB on gen-corpus.py output.
    # Under ASan the quarantine keeps up to 256 MB of what was freed (281 MB measured), so
    # there the bound only catches growth with the input.
    add("64 MB stream from stdin, -o json as large as the input: flat memory",
        {"dense.yaml": dense_stream(86)}, ["-o", "json", "-"], 1,
        ['"document": 42999, "line": 2622941,',
         '"documents": 43000, "workloads": 43000, "violating": 43000,'],
        stdin="dense.yaml", seconds=10, memory_mb=96 if ASAN else 30, heavy=True)
    oversized_then_pods = write_big(
        6 * MIB, b"apiVersion: v1\nkind: ConfigMap\ndata:\n", b"  k: " + b"x" * 1018 + b"\n",
        ("---\n" + pod("p0", "{privileged: true}") + "---\n" + pod("p1", "{privileged: true}") +
         "---\n" + pod("p2", "{privileged: true}") + "---\nkind: ConfigMap\ndata:\n" +
         "".join("  k%d: x\n" % i for i in range(50000))).encode())
    add("a document over the limit is skipped, the ones after it are judged (file)",
        {"skip.yaml": oversized_then_pods}, ["--level", "baseline", "skip.yaml"], 2,
        ["skip.yaml:1:1: error: document larger than 3145728 bytes (max_document_bytes)",
         "Pod p0: privileged", "Pod p1: privileged", "skip.yaml:5153:23: error: Pod p2: privileged",
         "3 workloads"], seconds=5, memory_mb=64, heavy=True)
    add("a document over the limit is skipped, the ones after it are judged (stdin)",
        {"skip.yaml": oversized_then_pods}, ["--level", "baseline", "-"], 2,
        ["document larger than 3145728 bytes", "Pod p0: privileged", "Pod p1: privileged",
         "-:5153:23: error: Pod p2: privileged", "3 workloads"], stdin="skip.yaml", seconds=5,
        memory_mb=64, heavy=True)
    # Within a part the reader finds the end of a value over a limit and goes on after it.
    privileged_json = (b'{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "priv"}, '
                       b'"spec": {"containers": [{"name": "c", "image": "i", '
                       b'"securityContext": {"privileged": true}}]}}\n')
    add("a 10,000-deep JSON value costs only itself: the stream goes on",
        {"deep.json": b"[" * deep + b"]" * deep + b"\n" + privileged_json}, ["deep.json"], 2,
        ["deep.json:1:257: error: nesting deeper than 256 (max_depth)",
         "deep.json:2:", "Pod priv: privileged", "2 documents"])
    add("a 1,000,000-deep unclosed JSON value ends the stream, and says so",
        {"deep.json": b"[" * 1000000 + b"\n" + privileged_json}, ["deep.json"], 2,
        ["nesting deeper than 256 (max_depth); the document does not end, so nothing after it "
         "is read", "1 document"], ["priv"])
    add("200,000 JSON values each over --max-string-bytes, then a privileged Pod",
        {"long.json": lazy(lambda: b'{"k": "0123456789abcdefghij"}\n' * 200000 +
                           privileged_json)},
        ["--level", "baseline", "--max-string-bytes", "16", "long.json"], 2,
        ["long.json:200000:7: error: scalar longer than 16 bytes (max_string_bytes)",
         "long.json:200001:", "Pod priv: privileged", "200001 documents"],
        seconds=10, memory_mb=64, heavy=True)
    # A value that fits in the part read is skipped by the reader, which goes on after it;
    # a longer one runs across the blocks the parts are read in, and ends the stream.
    items = (b'{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "inner"}, "spec": '
             b'{"hostPID": true}}, ' * 50)
    add("a JSON value over the limit costs only itself; none of its items is judged alone",
        {"big.json": write_big(5 * MIB, b'{"kind": "List", "items": [', items,
                               b'{}]}\n' + privileged_json)},
        ["--level", "baseline", "big.json"], 2,
        ["big.json:1:1: error: document larger than 3145728 bytes (max_document_bytes)\n",
         "Pod priv: privileged", "2 documents"], ["inner"], seconds=5, memory_mb=64, heavy=True)
    add("a JSON value far over the limit ends the stream, and says so",
        {"big.json": write_big(10 * MIB, b'{"kind": "List", "items": [', items,
                               b'{}]}\n' + privileged_json)},
        ["--level", "baseline", "big.json"], 2,
        ["document larger than 3145728 bytes (max_document_bytes); the JSON stream is not read "
         "past it"], ["inner", "priv"], seconds=5, memory_mb=64, heavy=True)
    # Parts are cut at document markers after any line break the reader knows; a file of many
    # blocks with CR, NEL or LS breaks only must not look like one oversized document.
    for label, brk in [("CR", b"\r"), ("CRLF", b"\r\n"), ("NEL", b"\xc2\x85"),
                       ("LS", b"\xe2\x80\xa8")]:
        add("20,000 documents with %s line breaks: documents and lines counted alike" % label,
            {"breaks.yaml": lazy(lambda brk=brk: (b"---" + brk + b"k: " + b"v" * 100 + brk) *
                                 20000 + b"---" + brk + pod("last", "{privileged: true}").encode()
                                 .replace(b"\n", brk))},
            ["--level", "baseline", "--max-document-bytes", "64Ki", "breaks.yaml"], 1,
            ["breaks.yaml:40010:23: error: Pod last: privileged", "20001 documents"],
            seconds=2, memory_mb=64, heavy=True)
    add("--max-input-bytes stops a large file once, after what it could read", {
        "in.yaml": lazy(lambda: (b"---\nk: " + b"v" * 1000 + b"\n") * 10000)},
        ["--max-input-bytes", "4Mi", "in.yaml"], 2,
        ["in.yaml:", "error: input is larger than 4194304 bytes (max_input_bytes)",
         "1 input error"], seconds=2, heavy=True)
    add("10 MB one-line scalar", {"long.yaml": write_big(
        10 * MIB, b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: ", b"n" * 4096,
        b"\n---\n" + CLEAN_POD.encode())},
        ["--level", "baseline", "long.yaml"], 2,
        ["long.yaml:1:1: error: document larger than 3145728 bytes (max_document_bytes)",
         "1 workload"], seconds=5, memory_mb=96, heavy=True)
    add("10 MB one-line scalar with a larger document limit", {"long.yaml": write_big(
        10 * MIB, b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: ", b"n" * 4096, b"\n")},
        ["--max-document-bytes", "16Mi", "long.yaml"], 2,
        ["long.yaml:4:9: error: scalar longer than 1048576 bytes (max_string_bytes)"],
        seconds=5, memory_mb=96, heavy=True)
    add("10 MB JSON string", {"long.json": write_big(
        10 * MIB, b'{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "', b"n" * 4096,
        b'"}}')},
        ["--max-document-bytes", "16Mi", "long.json"], 2,
        ["scalar longer than 1048576 bytes (max_string_bytes)"], seconds=5, memory_mb=96,
        heavy=True)
    add("10 MB line of spaces", {"spaces.yaml": write_big(
        10 * MIB, b"", b" " * 4096, b"\n" + PRIVILEGED_POD.encode())},
        ["--level", "baseline", "spaces.yaml"], None, ["spaces.yaml"], seconds=5,
        memory_mb=96, heavy=True)
    add("100,000 keys in one map, a duplicate among them",
        {"keys.yaml": lazy(lambda: many_keys(100000) + b"  k5: again\n")},
        ["--level", "baseline", "keys.yaml"], 1,
        ['duplicate key "k5": the last value wins', "Pod keys: privileged"], seconds=5)
    add("600,000 duplicate keys: a hundred warnings, then a count", {
        "dups.yaml": lazy(lambda: b"a: 1\n" * 600000)}, ["dups.yaml"], 0,
        ["599899 more duplicate keys in this document (only the first 100 are shown)",
         "101 warnings"], seconds=2, memory_mb=128, heavy=True)
    add("the largest tree within the limits: a 3 MiB flow list",
        {"flat.yaml": lazy(lambda: b"[" + b"1," * 1570000 + b"1]\n")},
        ["flat.yaml"], 2, ["flat.yaml:1:2000000: error: document has more than 1000000 nodes"],
        seconds=3, memory_mb=192, heavy=True)
    add("the largest tree within the limits: a 3 MiB JSON array",
        {"flat.json": lazy(lambda: b"[" + b"1," * 1570000 + b"1]\n")},
        ["flat.json"], 2, ["flat.json:1:2000000: error: document has more than 1000000 nodes"],
        seconds=3, memory_mb=192, heavy=True)
    # Work that grows with two things at once: every workload looks up its Namespace, every
    # finding its location. Both were quadratic.
    add("30,000 labelled Namespaces and 30,000 Pods in them", {"ns.yaml": lazy(lambda: "---\n".join(
        ["apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n%d\n  labels: "
         "{pod-security.kubernetes.io/enforce: baseline}\n" % i for i in range(30000)] +
        ["apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n%d}\nspec: {containers: "
         "[{name: c, image: i, securityContext: {privileged: %s}}]}\n" % (i, "true" if i == 29999
                                                                         else "false")
         for i in range(30000)]).encode())},
        ["ns.yaml"], 1, ['Pod n29999/p: privileged: violates PodSecurity "baseline:latest"',
                         "60000 documents, 30000 workloads"], seconds=3, heavy=True)
    add("a Pod with 10,000 containers that each break eight checks", {"wide.yaml": lazy(
        lambda: ("apiVersion: v1\nkind: Pod\nmetadata: {name: wide}\nspec:\n  containers: [" +
                 ", ".join("{name: c%d, ports: [{hostPort: 1}], securityContext: {privileged: true, "
                           "runAsUser: 0, procMount: Unmasked, capabilities: {add: [SYS_ADMIN]}, "
                           "seLinuxOptions: {type: x}}, livenessProbe: {httpGet: {host: h}}}" % i
                           for i in range(10000)) + "]\n").encode())},
        ["--level", "restricted", "-o", "json", "wide.yaml"], 1,
        ['"name": "wide"', '"check": "privileged"'], seconds=3, memory_mb=128, heavy=True)
    add("a Pod with 10,000 hostPath volumes", {"vols.yaml": lazy(
        lambda: ("apiVersion: v1\nkind: Pod\nmetadata: {name: vols}\nspec:\n  containers: "
                 "[{name: c}]\n  volumes: [" + ", ".join("{name: v%d, hostPath: {path: /x}}" % i
                                                          for i in range(10000)) + "]\n").encode())},
        ["--level", "baseline", "vols.yaml"], 1, ["Pod vols: hostPathVolumes: violates"],
        seconds=2, heavy=True)
    add("--max-input-bytes refuses a larger file", {"in.yaml": CLEAN_POD.encode() * 10},
        ["--max-input-bytes", "1Ki", "in.yaml"], 2,
        ["in.yaml:1:1: error: input is larger than 1024 bytes (max_input_bytes)"])

    # What kubectl reads: duplicate keys keep the last value, YAML 1.1 booleans are booleans.
    add("duplicate key flips privileged to true", {"dup.yaml": pod(
        "flip", "\n      privileged: false\n      privileged: true").encode()},
        ["--level", "baseline", "dup.yaml"], 1,
        ['dup.yaml:11:7: warning: duplicate key "privileged": the last value wins '
         "(it replaces the value at line 10)", "Pod flip: privileged: violates"])
    add("duplicate key flips privileged to false: allowed, as kubectl reads it, with a warning",
        {"dup.yaml": pod("flop", "\n      privileged: true\n      privileged: false").encode()},
        ["--level", "baseline", "dup.yaml"], 0, ['warning: duplicate key "privileged"'],
        ["violates"])
    add("duplicate securityContext keeps the last one", {"dup.yaml": pod(
        "sc", "{privileged: false}", container_extra="    securityContext: {privileged: true}\n"
    ).encode()}, ["--level", "baseline", "dup.yaml"], 0, ['duplicate key "securityContext"'])
    add("duplicate keys in JSON keep the last value", {"dup.json": (
        b'{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {"containers": '
        b'[{"name": "c", "securityContext": {"privileged": false, "privileged": true}}]}}')},
        ["--level", "baseline", "dup.json"], 1, ['duplicate key "privileged"', "privileged"])
    for word in ["Y", "y", "yes", "Yes", "on", "ON", "True"]:
        add("privileged: %s is true" % word, {"bool.yaml": pod(
            "b", "{privileged: %s}" % word).encode()},
            ["--level", "baseline", "bool.yaml"], 1, ["Pod b: privileged: violates"])
    add("privileged: \"yes\" (quoted) is a string: an error, not a guess", {"bool.yaml": pod(
        "b", '{privileged: "yes"}').encode()}, ["--level", "baseline", "bool.yaml"], 2,
        ['privileged: expected boolean, got string "yes"', "1 document, 0 workloads"])
    add("hostNetwork: on", {"host.yaml": pod("h", extra_spec="  hostNetwork: on\n").encode()},
        ["--level", "baseline", "host.yaml"], 1, ["host namespaces (hostNetwork=true)"])

    # Wrong types: an error naming the field, never "allowed".
    for value, message in [
            ('"maybe"', 'privileged: expected boolean, got string "maybe"'),
            ("maybe", 'privileged: expected boolean, got string "maybe"'),
            ("1", "privileged: expected boolean, got integer 1"),
            ("!foo true", "unknown tag !foo"),
            ("!!str true", 'privileged: expected boolean, got string "true"')]:
        add("privileged: %s" % value, {"t.yaml": pod("t", "{privileged: %s}" % value).encode()},
            ["--level", "baseline", "t.yaml"], 2, [message, "1 document, 0 workloads"])
    for value, message in [
            ("-1.5", "runAsUser: expected integer, got number -1.5"),
            ("99999999999999999999", "runAsUser: expected integer, got number 99999999999999999999"),
            ("-9223372036854775809", "expected integer, got number -9223372036854775809"),
            ("1.5e0", "runAsUser: expected integer, got number 1.5e0"),
            ("1e16", "runAsUser: expected integer, got number 1e16"),
            (".nan", "runAsUser: expected integer, got number .nan")]:
        add("runAsUser: %s" % value, {"t.yaml": pod("t", "{runAsUser: %s}" % value).encode()},
            ["--level", "restricted", "t.yaml"], 2, [message])
    # kubectl sends a whole-valued float as an integer: 0.0 is root, not a type error.
    add("runAsUser: 0.0", {"t.yaml": pod("t", "{runAsUser: 0.0}").encode()},
        ["--level", "restricted", "t.yaml"], 1, ['runAsUser=0 (container "c" must not set runAsUser=0)'])
    add("containers: {}", {"t.yaml": b"apiVersion: v1\nkind: Pod\nmetadata: {name: t}\n"
                                     b"spec:\n  containers: {}\n"},
        ["t.yaml"], 2, ["t.yaml:5:15: error: spec.containers: expected list, got object"])
    add("a JSON number beyond int64", {"t.json": (
        b'{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {"containers": '
        b'[{"name": "c", "ports": [{"hostPort": 18446744073709551616}]}]}}')},
        ["--level", "baseline", "t.json"], 2, ["hostPort: expected integer, got number"])
    add("a hostPort beyond int32", {"t.yaml": pod(
        "p", container_extra="    ports: [{hostPort: 4294967376}]\n").encode()},
        ["--level", "baseline", "t.yaml"], 2, ["4294967376 is out of range"])

    # Broken files: every prefix of a valid file either reads or fails cleanly.
    sample_yaml = (pod("a", "{privileged: true}") + "---\n" +
                   pod("b", '{capabilities: {add: ["NET_RAW", SYS_ADMIN]}}')).encode()
    sample_json = (b'{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j\\u00e9"}, '
                   b'"spec": {"containers": [{"name": "c", "securityContext": '
                   b'{"privileged": true, "runAsUser": 0}}]}}')
    # 24 cuts each; 8 under valgrind, where one run takes a second or two.
    cuts = 8 if WRAPPER else 24
    for cut in range(7, len(sample_yaml), max(1, len(sample_yaml) // cuts)):
        add("YAML cut at byte %d" % cut, {"cut.yaml": sample_yaml[:cut]},
            ["--level", "baseline", "cut.yaml"], None)
    for cut in range(1, len(sample_json), max(1, len(sample_json) // cuts)):
        add("JSON cut at byte %d" % cut, {"cut.json": sample_json[:cut]},
            ["--level", "baseline", "cut.json"], 2, ["invalid JSON"])
    add("YAML cut inside a quoted string", {"cut.yaml": b'a: "abc\n  def'}, ["cut.yaml"], 2,
        ["found unexpected end of stream"])

    # Bytes that are not text.
    add("1 MiB of random bytes", {"garbage.bin": lazy(lambda: random_bytes(MIB, 1))},
        ["garbage.bin"], 2,
        ["error:", "0 workloads"], seconds=5)
    add("random bytes after '{' read as JSON",
        {"garbage.json": lazy(lambda: b"{" + random_bytes(MIB, 2))},
        ["garbage.json"], 2, ["invalid JSON"])
    add("random YAML punctuation", {"punct.yaml": lazy(lambda: random_bytes(
        256 * 1024, 3, b"-:?[]{},&*!|>'\"%@` \n\t#abc01"))}, ["punct.yaml"], 2, ["error:"],
        seconds=5)
    add("UTF-16 byte order mark", {"utf16.yaml": "\ufeffa: 1\n".encode("utf-16-le")},
        ["utf16.yaml"], 2, ["utf16.yaml:1:1: error:"])
    for label, raw in [("a lone continuation byte", b"\x80"), ("an overlong NUL", b"\xc0\x80"),
                       ("a UTF-8 surrogate", b"\xed\xa0\x80"),
                       ("a code point past U+10FFFF", b"\xf4\x90\x80\x80"),
                       ("a truncated sequence", b"\xe2\x82")]:
        add("invalid UTF-8 in YAML: %s" % label, {"u.yaml": pod("nX").encode().replace(b"nX", b"n" + raw)},
            ["u.yaml"], 2, ["u.yaml:4:", "0 workloads"])
        add("invalid UTF-8 in JSON: %s" % label, {"u.json": (
            b'{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "n' + raw + b'"}}')},
            ["u.json"], 2, ["invalid UTF-8 in a string"])
    add("a NUL byte in YAML", {"nul.yaml": pod("n\x00ul").encode()}, ["nul.yaml"], 2,
        ["nul.yaml:4:10: error: control characters are not allowed (byte 0x00)"])
    add("a NUL byte in JSON", {"nul.json": b'{"kind": "Pod", "metadata": {"name": "a\x00"}}'},
        ["nul.json"], 2, ["nul.json:1:40: error: invalid JSON: NUL byte"])
    add("an escaped NUL in a JSON container name", {"nul.json": (
        b'{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {"containers": '
        b'[{"name": "c\\u0000", "securityContext": {"privileged": true}}]}}')},
        ["--level", "baseline", "nul.json"], 2,
        ["spec.containers[0].name: a string must not contain a NUL character"])
    add("an escaped NUL in a YAML namespace", {"nul.yaml": (
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "prod\\0x"\n  labels:\n'
        "    pod-security.kubernetes.io/enforce: privileged\n---\n" +
        pod("p", "{privileged: true}").replace("  name: p\n", "  name: p\n  namespace: prod\n")
    ).encode()}, ["nul.yaml"], 2,
        ["metadata.name: a string must not contain a NUL character",
         'violates PodSecurity "restricted:latest"'])
    add("control characters in names are escaped", {"esc.yaml": pod(
        '"\\e[2J\\nforged"', "{privileged: true}").encode()},
        ["--level", "baseline", "esc.yaml"], 1, ["Pod \\x1b[2J\\x0aforged: privileged"], ["\x1b"])
    add("a line break in a file name stays on its line in a JUnit failure",
        {"evil\nname.yaml": PRIVILEGED_POD.encode()},
        ["--level", "baseline", "-o", "junit", "evil\nname.yaml"], 1,
        ["\n  evil\\x0aname.yaml:", 'classname="evil&#10;name.yaml"'], ["\n  evil\nname.yaml"])
    add("a FIFO and a link to /dev/zero in a walked directory are not read", {
        "tree": special_files_tree}, ["--level", "baseline", "tree"], 2,
        ["tree/fifo.yaml: error: cannot read: not a regular file",
         "tree/zero.yaml: error: cannot read: not a regular file", "Pod priv: privileged"],
        seconds=2)
    return out


def special_files_tree(path):
    os.mkdir(path)
    os.mkfifo(os.path.join(path, "fifo.yaml"))
    os.symlink("/dev/zero", os.path.join(path, "zero.yaml"))
    with open(os.path.join(path, "pod.yaml"), "w") as f:
        f.write(PRIVILEGED_POD)


# ---- running -------------------------------------------------------------------------------


def run_case(binary, case, tmp):
    for name, content in case.files.items():
        path = os.path.join(tmp, name)
        if callable(content):
            content(path)
        else:
            with open(path, "wb") as f:
                f.write(content)
    timeout = max(60.0, case.seconds * TIME_FACTOR * 10)
    stdin = open(os.path.join(tmp, case.stdin), "rb") if case.stdin else subprocess.DEVNULL
    out_path = os.path.join(tmp, "out")
    usage_path = os.path.join(tmp, "usage")
    with open(out_path, "wb") as out:
        start = time.monotonic()
        backstop = [] if WRAPPER or ASAN or not PRLIMIT else [PRLIMIT, "--as=%d" % ADDRESS_SPACE]
        timer = [GNU_TIME, "-q", "-f", "%M %U %S", "-o", usage_path] if GNU_TIME else []
        proc = subprocess.Popen(backstop + timer + WRAPPER + [binary, "scan"] + case.args,
                                cwd=tmp, stdin=stdin, stdout=out, stderr=subprocess.STDOUT,
                                env=dict(os.environ, NO_COLOR="1"))
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        killer.cancel()
        elapsed = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    if case.stdin:
        stdin.close()
    with open(out_path, "rb") as f:
        output = f.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    rss_mb = usage.ru_maxrss / 1024.0
    if GNU_TIME and os.path.exists(usage_path):
        with open(usage_path) as f:
            fields = f.read().split()
        if len(fields) == 3:
            rss_mb, cpu = int(fields[0]) / 1024.0, float(fields[1]) + float(fields[2])
        os.unlink(usage_path)
    for name in list(case.files) + ["out"]:
        path = os.path.join(tmp, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    return proc.returncode, output, elapsed, cpu, rss_mb


def check(case, code, output, cpu, rss_mb):
    problems = []
    if code < 0:
        problems.append("killed by signal %d" % -code)
    elif case.status is None and code not in (0, 1, 2):
        problems.append("exit status %d, want 0, 1 or 2" % code)
    elif case.status is not None and code != case.status:
        problems.append("exit status %d, want %d" % (code, case.status))
    problems += ["output lacks %r" % text for text in case.expect if text not in output]
    problems += ["output has %r" % text for text in case.reject if text in output]
    if not WRAPPER:
        if cpu > case.seconds * TIME_FACTOR:
            problems.append("took %.2f s of CPU, bound %.1f s" % (cpu, case.seconds * TIME_FACTOR))
        memory_bound = case.memory_mb * MEMORY_FACTOR + MEMORY_SLACK_MB
        if rss_mb > memory_bound:
            problems.append("peak RSS %.0f MB, bound %d MB" % (rss_mb, memory_bound))
    return problems


def run_one(binary, case, tmp):
    """Run a case in its own directory; returns the lines to print and whether it passed."""
    if case.heavy and WRAPPER:
        return ["ok - %s # SKIP heavy under PG_TEST_WRAPPER" % case.name], None
    os.mkdir(tmp)
    code, output, elapsed, cpu, rss_mb = run_case(binary, case, tmp)
    os.rmdir(tmp)
    problems = check(case, code, output, cpu, rss_mb)
    lines = ["%s - %s (exit %d, %.2f s CPU, %.2f s wall, %.0f MB)" % (
        "not ok" if problems else "ok", case.name, code, cpu, elapsed, rss_mb)]
    lines += ["#   " + problem for problem in problems]
    if problems or VERBOSE:
        lines.append("#   output: " + output[:2000].replace("\n", "\n#   "))
    return lines, not problems


VERBOSE = "-v" in sys.argv


def main():
    binary = os.path.abspath(sys.argv[1])
    only = sys.argv[sys.argv.index("-k") + 1] if "-k" in sys.argv else None
    selected = [case for case in cases() if only is None or only in case.name]
    # Cases are independent: run two at a time (CPU time and memory are per child).
    jobs = 1 if WRAPPER else min(2, os.cpu_count() or 1)
    results = {True: 0, False: 0, None: 0}
    with tempfile.TemporaryDirectory(prefix="podgate-hostile-") as tmp:
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            runs = pool.map(lambda item: run_one(binary, item[1], os.path.join(
                tmp, "case-%d" % item[0])), enumerate(selected))
            for lines, passed in runs:
                print("\n".join(lines), flush=True)
                results[passed] += 1
    print("%d passed, %d failed, %d skipped" % (results[True], results[False], results[None]))
    return 1 if results[False] or results[True] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
