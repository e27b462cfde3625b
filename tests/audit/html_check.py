#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The HTML audit report in a real browser (headless Chromium, Debian package `chromium`).

Renders data/cluster.json (with a namespace and a pod named like markup) as HTML, then:
1. the file is self-contained: no URL, no external script, style, font or image;
2. names from the cluster are escaped: the hostile namespace never becomes markup;
3. Chromium loads it (scripts on) and the DOM it dumps has every namespace of the JSON
   report in the overview and details tables, every recommended `kubectl label` command,
   the what-if lines, and the mark the inline script sets when it ran without an error;
4. a screenshot (1280x900) is kept in the build directory as a test artifact.

If Chromium is missing or cannot run, the test fails: it never skips.

usage: html_check.py PODGATE DATA_DIR WORK_DIR
"""
import html.parser
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


class Dom(html.parser.HTMLParser):
    """Text of table rows by table id, of elements by id, and body attributes."""

    def __init__(self):
        super().__init__()
        self.rows = {}
        self.texts = {}
        self.body = {}
        self.open_ids = []
        self.table = None
        self.row = None
        self.tags = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "body":
            self.body = attrs
        if tag == "table":
            self.table = attrs.get("id")
        if tag == "tr" and "data-ns" in attrs and self.table:
            self.row = attrs["data-ns"]
            self.rows.setdefault(self.table, []).append(self.row)
        if "id" in attrs:
            self.open_ids.append((tag, attrs["id"]))
            self.texts.setdefault(attrs["id"], "")

    def handle_endtag(self, tag):
        if self.open_ids and self.open_ids[-1][0] == tag:
            self.open_ids.pop()
        if tag == "table":
            self.table = None

    def handle_data(self, data):
        for _, element in self.open_ids:
            self.texts[element] += data


def podgate(binary, *args):
    wrapper = shlex.split(os.environ.get("PG_TEST_WRAPPER", ""))
    proc = subprocess.run(wrapper + [binary, "audit"] + list(args), capture_output=True,
                          timeout=300)
    if proc.returncode != 0:
        sys.exit("not ok - podgate audit %s: exit %d\n%s" % (args, proc.returncode,
                                                             proc.stderr.decode()))
    return proc.stdout.decode()


def chromium(profile, *args):
    try:
        proc = subprocess.run(["chromium"] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile] +
                              list(args), capture_output=True, timeout=180)
    except (OSError, subprocess.TimeoutExpired) as err:
        sys.exit("not ok - chromium cannot run: %s (apt-get install chromium)" % err)
    if proc.returncode != 0:
        sys.exit("not ok - chromium exit %d:\n%s" % (proc.returncode,
                                                     proc.stderr.decode()[-2000:]))
    return proc.stdout.decode()


def static_checks(page, names):
    failures = []
    for pattern in (r"https?:", r"<link", r"\ssrc=", r"@import", r"url\(", r"@font-face"):
        if re.search(pattern, page, re.I):
            failures.append("the page refers to something outside it: %s" % pattern)
    if "x<b>" in page or "<script>alert" in page:
        failures.append("a name from the cluster became markup")
    for escaped in ("x&lt;b&gt;&amp;amp;&quot;y&apos;", "&lt;script&gt;alert(1)&lt;/script&gt;"):
        if escaped not in page:
            failures.append("a hostile name is not there, escaped: %s" % escaped)
    if not all(n for n in names):
        failures.append("empty namespace name")
    return failures


def dom_checks(dom, report):
    failures = []
    names = [ns["name"] for ns in report["namespaces"]]
    for table in ("overview", "details"):
        if dom.rows.get(table) != names:
            failures.append("table %s rows %s, want %s" % (table, dom.rows.get(table), names))
    commands = dom.texts.get("commands", "")
    for ns in report["namespaces"]:
        for command in ns["commands"]:
            if command not in commands:
                failures.append("command missing from the page: %s" % command)
    if not any(ns["commands"] for ns in report["namespaces"]):
        failures.append("the report recommends no command at all")
    for what_if in report["what_if"]:
        for line in what_if["warnings"]:
            if line not in "".join(dom.texts.values()) and line not in dom.rawdata:
                failures.append("what-if line missing: %s" % line)
    if dom.body.get("data-script") != "ok":
        failures.append("the inline script did not run to its end")
    return failures


def main():
    binary, data, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    dump = os.path.join(data, "cluster.json")
    page_path = os.path.join(work, "audit-report.html")
    shot = os.path.join(work, "audit-report.png")
    args = ["-f", dump, "--what-if", "prod=restricted", "--what-if", "x<b>&amp;\"y'=restricted"]
    page = podgate(binary, *(args + ["-o", "html"]))
    report = json.loads(podgate(binary, *(args + ["-o", "json"])))
    with open(page_path, "w", encoding="utf-8") as f:
        f.write(page)
    failures = static_checks(page, [ns["name"] for ns in report["namespaces"]])
    with tempfile.TemporaryDirectory() as profile:
        dumped = chromium(profile, "--dump-dom", "file://" + os.path.abspath(page_path))
        if os.path.exists(shot):
            os.remove(shot)
        chromium(profile, "--screenshot=" + shot, "--window-size=1280,900",
                 "file://" + os.path.abspath(page_path))
    dom = Dom()
    dom.feed(dumped)
    dom.rawdata = dumped
    failures += dom_checks(dom, report)
    with open(shot, "rb") as f:
        png = f.read()
    if not png.startswith(b"\x89PNG") or len(png) < 10000:
        failures.append("the screenshot is not a picture of the page")
    for failure in failures:
        print("not ok - " + failure)
    print("# screenshot: %s" % shot)
    print("%s - HTML report in headless Chromium: %d namespaces, %d commands" % (
        "ok" if not failures else "not ok", len(report["namespaces"]),
        sum(len(ns["commands"]) for ns in report["namespaces"])))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
