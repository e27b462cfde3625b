#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Validate `podgate scan -o sarif` and `-o junit` against their schemas and against `-o json`.

usage: validate_reports.py PODGATE SHARED_DIR conformance|corpus|policy

Three inputs (one per run, so that ctest runs them side by side):
  (a) the conformance fixtures, SHARED_DIR/conformance/psa-testdata, scanned as one directory
      given by its absolute path from SHARED_DIR (absolute paths below the current directory
      must become relative URIs);
  (b) every file of SHARED_DIR/corpus/real (LICENSE, README.md and SOURCES.tsv aside), named
      one by one as ./relative paths from the corpus root (the ./ must go);
  (c) the custom policy test data (tests/cli/data/policy) scanned with --policy, where
      exemptions remove findings.

For each: the SARIF log validates against SHARED_DIR/schemas/sarif-schema-2.1.0.json with
python3-jsonschema (Draft-07 and the schema's own Draft-04 validator; every $ref is local, so
nothing is fetched), the JUnit report against SHARED_DIR/schemas/junit.xsd with xmllint, both
are byte-for-byte reproducible, and their contents agree with `-o json` of the same input:
one SARIF result per violation with the same check, level and locations (line >= 1), the
URI the path should have, fingerprints equal exactly when the identity (and its repeat number
in the source, for workloads sharing one) is, one notification
per error or warning; then, suppressed, one per check and exemption that removed findings
(`exempted` in -o json), justified by the exemption's reason; JUnit failures == workloads
with an enforce violation (an exemption never fails a case), errors == input errors, and one
`exempted:` line in system-out per exempted finding. For (b), every location is also checked against PyYAML's node marks.
"""
import json
import os
import subprocess
import sys
import urllib.parse
import xml.etree.ElementTree as ET

import jsonschema
import yaml

SKIP = {"LICENSE", "README.md", "SOURCES.tsv"}
LEVELS = {"enforce": "error", "warn": "warning", "audit": "note"}


class Checker:
    def __init__(self):
        self.failed = 0

    def check(self, ok, what):
        if not ok:
            self.failed += 1
            if self.failed <= 50:
                print("not ok - %s" % what)
        return ok


def run(binary, fmt, args, cwd, options=()):
    # PWD as a shell would set it, so a cwd reached through a symlink stays logical.
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", PWD=os.path.abspath(cwd))
    proc = subprocess.run([binary, "scan", "-o", fmt] + list(options) + ["--"] + args, cwd=cwd,
                          env=env,
                          capture_output=True, timeout=600)
    return proc.returncode, proc.stdout


def expected_uri(source, cwd):
    path = os.path.normpath(os.path.join(cwd, source))
    if path == cwd or path.startswith(cwd.rstrip("/") + "/"):
        return urllib.parse.quote(os.path.relpath(path, cwd)), False
    return "file://" + urllib.parse.quote(path), True


def local_refs_only(node):
    if isinstance(node, dict):
        ref = node.get("$ref")
        return (ref is None or ref.startswith("#")) and all(map(local_refs_only, node.values()))
    if isinstance(node, list):
        return all(map(local_refs_only, node))
    return True


def validate_sarif(c, log, schema, name):
    c.check(local_refs_only(schema), "%s: the SARIF schema has only local $refs" % name)
    for validator in (jsonschema.Draft7Validator, jsonschema.Draft4Validator):
        errors = list(validator(schema).iter_errors(log))
        for error in errors[:5]:
            c.check(False, "%s: %s: %s at %s" % (name, validator.__name__, error.message[:200],
                                                 "/".join(map(str, error.absolute_path))))
        c.check(not errors, "%s: SARIF is valid (%s)" % (name, validator.__name__))


def check_result(c, ctx, result, violation, sarif_result):
    name, cwd, rules, fingerprints = ctx
    rule = rules[sarif_result["ruleIndex"]]
    where = "%s: %s %s %s" % (name, result["source"], result["name"], violation["check"])
    c.check(sarif_result["ruleId"] == violation["check"] == rule["id"], where + ": ruleId")
    c.check(sarif_result["level"] == LEVELS[result["mode"]], where + ": level")
    verb = "violates" if result["mode"] == "enforce" else "would violate"
    prefix = '%s PodSecurity "%s": %s' % (verb, result["policy"], violation["reason"])
    c.check(sarif_result["message"]["text"].startswith(prefix), where + ": message")
    want = violation["locations"] or [{"line": result["line"], "column": 1}]
    got = sarif_result["locations"]
    c.check(len(got) == len(want), where + ": %d locations, want %d" % (len(got), len(want)))
    uri, absolute = expected_uri(result["source"], cwd)
    for loc, w in zip(got, want):
        physical = loc["physicalLocation"]
        region = physical.get("region", {})
        c.check(region.get("startLine", 0) >= 1 and region.get("startColumn", 0) >= 1,
                where + ": a region with line and column >= 1")
        c.check((region.get("startLine"), region.get("startColumn")) == (w["line"], w["column"]),
                where + ": region %s, want %s" % (region, w))
        c.check(physical["artifactLocation"]["uri"] == uri,
                where + ": uri %s, want %s" % (physical["artifactLocation"]["uri"], uri))
        c.check(("uriBaseId" in physical["artifactLocation"]) != absolute, where + ": uriBaseId")
    check_fingerprint(c, fingerprints, where, sarif_result,
                      (uri, result["kind"], result["namespace"], result["name"], result["mode"],
                       violation["check"], violation.get("exemption")))


def check_fingerprint(c, fingerprints, where, sarif_result, identity):
    """A fingerprint per identity and repeat: two workloads of a source may share an identity
    (names only from generateName), and each repeat must still get its own fingerprint."""
    repeats = fingerprints.setdefault("repeats", {})
    repeats[identity] = repeats.get(identity, -1) + 1
    identity += (repeats[identity],)
    fingerprint = sarif_result["partialFingerprints"]["workloadCheckHash/v1"]
    c.check(fingerprints.setdefault(fingerprint, identity) == identity,
            where + ": fingerprint %s shared by another identity" % fingerprint)


def exempted_groups(result, rules):
    """`exempted` of a JSON result as the suppressed SARIF results it makes, in their order."""
    order = {r["id"]: i for i, r in enumerate(rules)}
    groups = {}
    for e in result.get("exempted", []):
        policy, index = e["exemption"].rsplit("/", 1)
        key = (order[e["check"]], int(index))
        groups.setdefault(key, {"check": e["check"], "exemption": e["exemption"],
                                "reason": e["reason"], "findings": []})["findings"].append(e)
    return [groups[k] for k in sorted(groups)]


def check_suppressed(c, ctx, result, group, sarif_result):
    name, cwd, rules, fingerprints = ctx
    where = "%s: %s %s %s" % (name, result["source"], result["name"], group["exemption"])
    c.check(sarif_result["ruleId"] == group["check"], where + ": ruleId")
    c.check(sarif_result["level"] == LEVELS[result["mode"]], where + ": level")
    c.check(sarif_result.get("suppressions") == [{"kind": "external",
                                                  "justification": group["reason"]}],
            where + ": suppressions %s" % sarif_result.get("suppressions"))
    c.check(sarif_result["properties"].get("exemption") == group["exemption"], where + ": exemption")
    verb = "violates" if result["mode"] == "enforce" else "would violate"
    c.check(sarif_result["message"]["text"].startswith('%s PodSecurity "%s": ' % (verb, result["policy"])),
            where + ": message")
    c.check(1 <= len(sarif_result["locations"]) <= len(group["findings"]),
            where + ": a location per exempted container or pod field")
    uri, _ = expected_uri(result["source"], cwd)
    check_fingerprint(c, fingerprints, where, sarif_result,
                      (uri, result["kind"], result["namespace"], result["name"], result["mode"],
                       group["check"], group["exemption"]))


def check_sarif(c, name, log, report, cwd):
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    c.check(len(rules) == 19 and len({r["id"] for r in rules}) == 19, name + ": 19 rules")
    expected = []
    for r in report["results"]:
        expected += [(r, v, False) for v in r["violations"]]
        expected += [(r, g, True) for g in exempted_groups(r, rules)]
    results = run_["results"]
    c.check(len(results) == len(expected),
            "%s: %d SARIF results, %d violations and exemption groups in -o json"
            % (name, len(results), len(expected)))
    ctx = (name, cwd, rules, {})
    for (result, violation, suppressed), sarif_result in zip(expected, results):
        if suppressed:
            check_suppressed(c, ctx, result, violation, sarif_result)
        else:
            c.check("suppressions" not in sarif_result, "%s: a violation is not suppressed" % name)
            check_result(c, ctx, result, violation, sarif_result)
    invocation = run_["invocations"][0]
    notifications = invocation["toolExecutionNotifications"]
    c.check(len(notifications) == len(report["errors"]) + len(report["warnings"]),
            name + ": one notification per error and warning")
    c.check(invocation["executionSuccessful"] == (not report["errors"]),
            name + ": executionSuccessful")
    print("# %s: %d SARIF results, %d notifications" % (name, len(results), len(notifications)))


def check_junit(c, name, xml, report, xsd, extra_suites):
    proc = subprocess.run(["xmllint", "--noout", "--schema", xsd, "-"], input=xml,
                          capture_output=True, timeout=600)
    c.check(proc.returncode == 0, "%s: JUnit is valid: %s" % (name, proc.stderr.decode()[-2000:]))
    suites = ET.fromstring(xml).findall("testsuite")
    # A policy file is no scanned source, but its warnings get a suite of their own.
    c.check(len(suites) == report["summary"]["sources"] + extra_suites,
            name + ": one suite per source")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in suites:
        cases = suite.findall("testcase")
        counts = {"tests": len(cases), "failures": sum(1 for t in cases if t.find("failure") is not None),
                  "errors": sum(1 for t in cases if t.find("error") is not None)}
        for key, value in counts.items():
            c.check(int(suite.get(key)) == value, "%s: suite %s: %s" % (name, suite.get("name"), key))
            totals[key] += value
    violating = sum(1 for r in report["results"] if r["mode"] == "enforce" and not r["allowed"])
    c.check(totals["failures"] == violating == report["summary"]["violating"],
            "%s: %d failures, %d workloads with enforce violations" % (name, totals["failures"], violating))
    c.check(totals["errors"] == len(report["errors"]), name + ": one error case per input error")
    c.check(totals["tests"] == len(report["results"]) + len(report["errors"]), name + ": tests")
    exempted = sum(len(r.get("exempted", [])) for r in report["results"])
    noted = sum((s.findtext("system-out") or "").count(": exempted: ") for s in suites)
    c.check(noted == exempted, "%s: %d exempted lines, %d exempted findings" % (name, noted, exempted))
    print("# %s: %d suites, %d cases, %d failures" % (name, len(suites), totals["tests"],
                                                      totals["failures"]))


def resolve(node, path, pos=0, key=None):
    """The node at field path[pos:] ("spec.containers[0].image"; keys may hold dots), and its key."""
    if pos == len(path):
        return node, key
    if path[pos] == "[":
        end = path.index("]", pos)
        index = int(path[pos + 1:end])
        if isinstance(node, yaml.SequenceNode) and index < len(node.value):
            return resolve(node.value[index], path, end + 1)
        return None
    pos += path[pos] == "."
    for k, v in node.value if isinstance(node, yaml.MappingNode) else ():
        end = pos + len(k.value)
        if path.startswith(k.value, pos) and (end == len(path) or path[end] in ".["):
            found = resolve(v, path, end, k)
            if found:
                return found
    return None


def check_marks(c, name, report, cwd):
    """Each location is where PyYAML puts the key of the node (or the node, in a sequence)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    docs = {}
    count = 0
    for result in report["results"]:
        source = result["source"]
        if source not in docs:
            with open(os.path.join(cwd, source), "rb") as f:
                docs[source] = list(yaml.compose_all(f, Loader=loader))
        root = docs[source][result["document"]]
        if "item" in result:
            root = [v for k, v in root.value if k.value == "items"][0].value[result["item"]]
        for violation in result["violations"]:
            for loc in violation["locations"]:
                found = resolve(root, loc["path"])
                mark = (found[1] or found[0]).start_mark if found else None
                want = (mark.line + 1, mark.column + 1) if mark else None
                count += 1
                c.check((loc["line"], loc["column"]) == want, "%s: %s %s %s at %s, PyYAML says %s"
                        % (name, source, violation["check"], loc["path"], (loc["line"], loc["column"]), want))
    print("# %s: %d locations match PyYAML" % (name, count))


def check_input(c, binary, shared, name, args, cwd, marks, options=()):
    code, out = run(binary, "json", args, cwd, options)
    c.check(code in (0, 1), "%s: -o json exit code %d" % (name, code))
    report = json.loads(out)
    with open(os.path.join(shared, "schemas", "sarif-schema-2.1.0.json"), encoding="utf-8") as f:
        schema = json.load(f)
    code, sarif = run(binary, "sarif", args, cwd, options)
    c.check(code in (0, 1) and run(binary, "sarif", args, cwd, options)[1] == sarif,
            name + ": SARIF exit code and reproducibility")
    log = json.loads(sarif)
    validate_sarif(c, log, schema, name)
    check_sarif(c, name, log, report, cwd)
    code, junit = run(binary, "junit", args, cwd, options)
    c.check(code in (0, 1) and run(binary, "junit", args, cwd, options)[1] == junit,
            name + ": JUnit exit code and reproducibility")
    check_junit(c, name, junit, report, os.path.join(shared, "schemas", "junit.xsd"),
                1 if options else 0)
    if marks:
        check_marks(c, name, report, cwd)


# Under `make asan` (PG_TEST_ASAN=1) the writers run on a sample: every format over all
# 4,537 fixtures takes over 20 minutes with the sanitizers; the plain build checks everything.
ASAN = os.environ.get("PG_TEST_ASAN") == "1"


def main():
    binary, shared, which = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
    c = Checker()
    if which == "conformance":
        # As given (say /src/podgate/../shared/...): the URIs must come out normalised.
        given = sys.argv[2] if os.path.isabs(sys.argv[2]) else shared
        fixtures = given.rstrip("/") + "/conformance/psa-testdata"
        if ASAN:
            fixtures += "/restricted/v1.37"
        check_input(c, binary, shared, "conformance", [fixtures], shared, False)
    elif which == "policy":
        data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
        options = ["--policy", "policy/policies.yaml", "--now", "2026-01-15"]
        # With them, a file whose workloads share identities (fingerprints must still differ).
        files = ["policy/exempted.yaml", "policy/mesh.yaml", "policy/checkout.yaml",
                 "repeated-identity.yaml"]
        check_input(c, binary, shared, "policy", files, data, True, options)
        exempted = json.loads(run(binary, "json", files, data, options)[1])
        c.check(any(r.get("exempted") for r in exempted["results"]), "policy: something exempted")
    else:
        corpus = os.path.join(shared, "corpus", "real")
        files = sorted("./" + os.path.relpath(os.path.join(d, n), corpus)
                       for d, _, names in os.walk(corpus) for n in names if n not in SKIP)
        if ASAN:
            files = files[::10]
        check_input(c, binary, shared, "corpus", files, corpus, True)
    print("%s - %d failed checks" % ("not ok" if c.failed else "ok", c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
