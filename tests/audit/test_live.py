#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`podgate audit` reading a cluster from a fake API server (fake_api.py) over HTTPS on
127.0.0.1, compared with `podgate audit -f` on a kubectl-style dump of the same objects.

1. equivalence: the cluster of data/cluster.json (PSPs and RBAC) and one built from
   ../shared/corpus/real give the same report live as from the dump, in every format
   (diagnostics' sources and lines aside), with what-ifs; the API's items carry no kind;
2. paging: `limit` is --chunk-size (500 by default, none with 0), every page is requested
   with the previous continue token (URL-encoded), and memory stays flat with the number of
   pages (skipped under valgrind and ASan);
3. partial failures become diagnostics and exit 2, the rest is still read: PSPs absent (404,
   silent, no RBAC listed), one resource forbidden (403), an expired continue token (410),
   a repeated continue token, a response that is not a List;
4. fatal failures exit 2 with a message naming the server and nothing on stdout: refused
   credentials (401), an unreachable server, a TLS failure, no or a broken kubeconfig, an exec
   credential plugin;
5. where the kubeconfig comes from: --kubeconfig, --context, $KUBECONFIG, ~/.kube/config,
   and a client certificate instead of a token; progress on a terminal.

usage: test_live.py PODGATE FAKE_API_PY CLUSTER_JSON CORPUS_DIR WORK_DIR
"""
import base64
import json
import os
import pty
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import real_dump

PODGATE, FAKE_API, CLUSTER_JSON, CORPUS, WORK = sys.argv[1:6]
TMP = tempfile.mkdtemp(prefix="audit-live-", dir=os.path.abspath(WORK))
WRAPPER = shlex.split(os.environ.get("PG_TEST_WRAPPER", ""))
SLOW = bool(WRAPPER) or os.environ.get("PG_TEST_ASAN") == "1"
TOKEN = "s3cr3t-token"
RESULTS = []

# The live mode's order; a dump in the same order gives diagnostics in the same order.
RESOURCES = [
    ("/api/v1/namespaces", "", "Namespace"), ("/api/v1/pods", "", "Pod"),
    ("/api/v1/replicationcontrollers", "", "ReplicationController"),
    ("/api/v1/podtemplates", "", "PodTemplate"),
    ("/apis/apps/v1/deployments", "apps", "Deployment"),
    ("/apis/apps/v1/statefulsets", "apps", "StatefulSet"),
    ("/apis/apps/v1/daemonsets", "apps", "DaemonSet"),
    ("/apis/apps/v1/replicasets", "apps", "ReplicaSet"),
    ("/apis/batch/v1/jobs", "batch", "Job"), ("/apis/batch/v1/cronjobs", "batch", "CronJob"),
    ("/apis/policy/v1beta1/podsecuritypolicies", "policy", "PodSecurityPolicy"),
    ("/apis/rbac.authorization.k8s.io/v1/roles", "rbac", "Role"),
    ("/apis/rbac.authorization.k8s.io/v1/rolebindings", "rbac", "RoleBinding"),
    ("/apis/rbac.authorization.k8s.io/v1/clusterroles", "rbac", "ClusterRole"),
    ("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", "rbac", "ClusterRoleBinding"),
]
PODS = "/api/v1/pods"
PSPS = "/apis/policy/v1beta1/podsecuritypolicies"
RBAC = [path for path, group, _ in RESOURCES if group == "rbac"]
# Groups an object may name in a manifest and the version the API server serves it at.
OLD_GROUPS = {"extensions": "apps", "policy": "policy", "rbac.authorization.k8s.io": "rbac"}
SERVED = {"": "v1", "apps": "apps/v1", "batch": "batch/v1", "policy": "policy/v1beta1",
          "rbac": "rbac.authorization.k8s.io/v1"}


def run(*args, **kwargs):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=600, **kwargs)


def openssl(*args):
    proc = run("openssl", *args)
    assert proc.returncode == 0, proc.stderr


def make_ca(name):
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", f"{TMP}/{name}.key", "-out", f"{TMP}/{name}.crt", "-days", "2",
            "-subj", f"/CN={name}")


def make_cert(name, ca, ext):
    with open(f"{TMP}/{name}.ext", "w", encoding="utf-8") as f:
        f.write(ext)
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            f"{TMP}/{name}.key", "-out", f"{TMP}/{name}.csr", "-subj", f"/CN={name}")
    openssl("x509", "-req", "-in", f"{TMP}/{name}.csr", "-CA", f"{TMP}/{ca}.crt", "-CAkey",
            f"{TMP}/{ca}.key", "-CAcreateserial", "-out", f"{TMP}/{name}.crt", "-days", "2",
            "-extfile", f"{TMP}/{name}.ext")


def b64file(path):
    with open(path, "rb") as f:
        return base64.b64encode(f.read()).decode()


class Cluster:
    """Objects by resource path, kind and apiVersion as the API server would serve them."""

    def __init__(self, objects):
        self.by_path = {path: [] for path, _, _ in RESOURCES}
        where = {(group, kind): path for path, group, kind in RESOURCES}
        for obj in objects:
            api = str(obj.get("apiVersion", ""))
            group = OLD_GROUPS.get(api.split("/")[0], api.split("/")[0]) if "/" in api else ""
            path = where.get((group, obj.get("kind")))
            if path is not None:
                self.by_path[path].append(dict(obj, apiVersion=SERVED[group]))
        for items in self.by_path.values():  # etcd's order: by namespace, then name
            items.sort(key=lambda o: (str(o["metadata"].get("namespace", "")),
                                      str(o["metadata"].get("name", ""))))

    def served(self):
        return {path: [{k: v for k, v in obj.items() if k not in ("kind", "apiVersion")}
                       for obj in items] for path, items in self.by_path.items()}

    def dump(self, name, with_psps=True):
        """A kubectl dump of what the live mode reads: RBAC only when there are PSPs."""
        items = []
        for path, group, _ in RESOURCES:
            if group == "rbac" and not (with_psps and self.by_path[PSPS]):
                continue
            if path == PSPS and not with_psps:
                continue
            items += self.by_path[path]
        path = os.path.join(TMP, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"apiVersion": "v1", "items": items, "kind": "List",
                       "metadata": {"resourceVersion": ""}}, f, indent=4, default=str)
        return path


class FakeApi:
    def __init__(self, cluster, **options):
        config = dict({"objects": cluster.served(), "cert": f"{TMP}/server.crt",
                       "key": f"{TMP}/server.key", "client_ca": f"{TMP}/ca.crt",
                       "token": TOKEN}, **options)
        self.config_path = tempfile.mktemp(prefix="fake-", suffix=".json", dir=TMP)
        with open(self.config_path, "w", encoding="utf-8") as f:
            json.dump(config, f, default=str)
        self.proc = subprocess.Popen([sys.executable, FAKE_API, self.config_path],
                                     stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())
        self.server = f"https://127.0.0.1:{self.port}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait(timeout=30)

    def requests(self):
        out = run("curl", "-sS", "--max-time", "60", "--cacert", f"{TMP}/ca.crt", f"{self.server}/control/requests")
        return [r for r in json.loads(out.stdout) if r["path"] != "/control/requests"]

    def kubeconfig(self, name="kubeconfig", user=None, ca=None, extra_contexts=""):
        user = user or f"{{token: {TOKEN}}}"
        path = os.path.join(TMP, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("apiVersion: v1\nkind: Config\ncurrent-context: fake\n"
                    "contexts:\n- {name: fake, context: {cluster: fake, user: auditor}}\n"
                    f"{extra_contexts}"
                    f"clusters:\n- {{name: fake, cluster: {{server: '{self.server}', "
                    f"certificate-authority: {ca or 'ca.crt'}}}}}\n"
                    f"users:\n- {{name: auditor, user: {user}}}\n")
        return path


def podgate(*args, env=None):
    return subprocess.run(WRAPPER + [PODGATE, "audit"] + list(args), capture_output=True,
                          text=True, timeout=1200, env=env)


def live(fake, *args, **kwargs):
    return podgate("--kubeconfig", fake.kubeconfig(), *args, **kwargs)


def without_sources(text):
    report = json.loads(text)
    for diag in report["errors"]:
        diag["source"], diag["line"] = "", 0
    return report


def same_reports(fake, dump, *args, chunk_size="500"):
    """Live and dump agree in every format; returns the live JSON report."""
    got = live(fake, "--chunk-size", chunk_size, "-o", "json", *args)
    want = podgate("-f", dump, "-o", "json", *args)
    assert got.returncode == want.returncode, (got.returncode, want.returncode, got.stderr)
    assert without_sources(got.stdout) == without_sources(want.stdout), \
        (got.stdout[:3000], want.stdout[:3000])
    if not json.loads(got.stdout)["errors"]:
        for fmt in ("text", "html"):
            text = live(fake, "--chunk-size", chunk_size, "-o", fmt, *args).stdout
            assert text == podgate("-f", dump, "-o", fmt, *args).stdout, fmt
    return json.loads(got.stdout)


def lists(fake, path):
    return [r for r in fake.requests() if r["path"] == path]


def check(name, fn, *args):
    try:
        fn(*args)
        RESULTS.append((name, None))
        print(f"ok - {name}", flush=True)
    except Exception as exc:  # noqa: BLE001 - report every failure and go on
        RESULTS.append((name, exc))
        print(f"not ok - {name}: {str(exc)[:4000]}", flush=True)


def small_cluster():
    with open(CLUSTER_JSON, encoding="utf-8") as f:
        return Cluster(json.load(f)["items"])


def test_same_report_as_the_dump_with_paging(cluster):
    dump = cluster.dump("small.json")
    with FakeApi(cluster) as fake:
        report = same_reports(fake, dump, "--what-if", "prod=restricted", chunk_size="2")
        assert report["summary"]["pods"] == 7 and report["summary"]["psps"] == 2, report
        pods = lists(fake, PODS)[:4]  # of the JSON report; text and HTML follow
        assert len(lists(fake, PODS)) == 12 and all(r["query"]["limit"] == "2" for r in pods), pods
        assert [r["items"] for r in pods] == [2, 2, 2, 1], pods
        assert "continue" not in pods[0]["query"] and all(r["query"]["continue"].startswith(
            "+/") for r in pods[1:]), pods
        assert all(lists(fake, path) for path in RBAC), "RBAC not listed despite PSPs"


def test_default_and_unlimited_chunk_size(cluster):
    with FakeApi(cluster) as fake:
        assert live(fake, "-o", "json").returncode == 0
        first = fake.requests()
        assert first and all(r["query"].get("limit") == "500" for r in first), first
        assert live(fake, "--chunk-size", "0", "-o", "json").returncode == 0
        second = fake.requests()[len(first):]
        assert len(second) == len(first) and all("limit" not in r["query"] for r in second)


def test_same_report_as_the_dump_on_the_real_corpus():
    objects = []
    namespaces = set()
    for repo, obj in real_dump.objects(CORPUS):
        if not isinstance(obj["metadata"].get("namespace"), str) or \
                not obj["metadata"]["namespace"]:
            obj["metadata"]["namespace"] = repo
        if obj.get("kind") == "Namespace":
            continue
        namespaces.add(obj["metadata"]["namespace"])
        objects.append(obj)
    for i, name in enumerate(sorted(namespaces)):
        objects.append({"apiVersion": "v1", "kind": "Namespace",
                        "metadata": {"name": name, "labels": real_dump.LABELS[i % 5]}})
    cluster = Cluster(objects)
    dump = cluster.dump("corpus.json")
    biggest = max(namespaces, key=lambda n: sum(
        1 for o in cluster.by_path[PODS] if o["metadata"]["namespace"] == n))
    with FakeApi(cluster) as fake:
        report = same_reports(fake, dump, "--what-if", biggest + "=restricted:v1.30",
                              chunk_size="50")
        assert report["summary"]["pods"] + report["summary"]["workloads"] > 300, \
            report["summary"]
        assert max(len(lists(fake, path)) for path, _, _ in RESOURCES) > 2


def test_psps_absent_are_skipped_silently(cluster):
    dump = cluster.dump("no-psp.json", with_psps=False)
    with FakeApi(cluster, absent=[PSPS]) as fake:
        report = same_reports(fake, dump)
        assert report["summary"]["errors"] == 0 and report["summary"]["psps"] == 0
        assert not any(lists(fake, path) for path in RBAC), "RBAC listed without PSPs"


def test_forbidden_resource_is_a_diagnostic(cluster):
    with FakeApi(cluster, forbid=["/apis/apps/v1/deployments", RBAC[0]]) as fake:
        proc = live(fake, "-o", "json")
        assert proc.returncode == 2, proc.stderr
        report = json.loads(proc.stdout)
        assert report["summary"]["pods"] == 7 and report["summary"]["errors"] == 2, report
        messages = {e["source"]: e["message"] for e in report["errors"]}
        deployments = messages[fake.server + "/apis/apps/v1/deployments"]
        assert deployments.startswith("forbidden (403): deployments is forbidden: User ") and \
            deployments.endswith("podgate audit needs `list` on deployments (see the README's "
                                 "RBAC)"), deployments
        assert "list` on roles" in messages[fake.server + RBAC[0]]
        assert lists(fake, RBAC[1]), "the other RBAC resources are still listed"
        assert "warning: " + fake.server + "/apis/apps/v1/deployments: forbidden" in proc.stderr
        assert "2 input problems" in proc.stderr, proc.stderr


def test_expired_continue_token_is_reported(cluster):
    with FakeApi(cluster, expire=[PODS]) as fake:
        proc = live(fake, "--chunk-size", "3", "-o", "json")
        assert proc.returncode == 2, proc.stderr
        report = json.loads(proc.stdout)
        assert report["summary"]["pods"] == 3, report["summary"]
        assert report["summary"]["workloads"] > 0 and report["summary"]["psps"] == 2
        (diag,) = report["errors"]
        assert diag["source"] == fake.server + PODS, diag
        assert diag["message"] == (
            "the continue token expired (410 Gone: listing took longer than the API server "
            "keeps its snapshot) after 3 objects, so the rest of pods is missing from this "
            "report; run the audit again (a larger --chunk-size lists faster)"), diag
        assert [r["status"] for r in lists(fake, PODS)] == [200, 410]


def test_broken_paging_and_answers_end_the_resource(cluster):
    with FakeApi(cluster, loop=[PODS], garbage=["/apis/apps/v1/daemonsets"]) as fake:
        proc = live(fake, "--chunk-size", "2", "-o", "json")
        assert proc.returncode == 2, proc.stderr
        messages = [e["message"] for e in json.loads(proc.stdout)["errors"]]
        assert "the server sent the same continue token twice" in messages, messages
        assert any(m.startswith("the response is not a List") for m in messages), messages
        assert len(lists(fake, PODS)) == 2


def test_refused_credentials_are_fatal(cluster):
    with FakeApi(cluster) as fake:
        proc = podgate("--kubeconfig", fake.kubeconfig(user="{token: wrong}"))
        assert proc.returncode == 2 and proc.stdout == "", proc
        assert proc.stderr == (f"podgate audit: {fake.server} refused the kubeconfig's "
                               "credentials (401 Unauthorized) for GET "
                               "/api/v1/namespaces?limit=500: Unauthorized\n"), proc.stderr


def test_unreachable_server_is_fatal(cluster):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with FakeApi(cluster) as fake:
        path = fake.kubeconfig("unreachable")
    with open(path, encoding="utf-8") as f:
        text = f.read().replace(fake.server, f"https://127.0.0.1:{port}")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    proc = podgate("--kubeconfig", path)
    assert proc.returncode == 2 and proc.stdout == "", proc
    assert proc.stderr.startswith(
        f"podgate audit: cannot reach the Kubernetes API server at https://127.0.0.1:{port} "
        "(GET /api/v1/namespaces?limit=500): Couldn't connect to server"), proc.stderr


def test_tls_failure_is_fatal(cluster):
    with FakeApi(cluster) as fake:
        proc = podgate("--kubeconfig", fake.kubeconfig("wrong-ca", ca="other-ca.crt"))
        assert proc.returncode == 2 and proc.stdout == "", proc
        assert proc.stderr.startswith(
            f"podgate audit: TLS failed with the Kubernetes API server at {fake.server} (GET "
            "/api/v1/namespaces?limit=500): "), proc.stderr
        assert not fake.requests()


def test_client_certificate_instead_of_a_token(cluster):
    user = (f"{{client-certificate-data: {b64file(TMP + '/client.crt')}, "
            f"client-key-data: {b64file(TMP + '/client.key')}}}")
    with FakeApi(cluster) as fake:
        proc = podgate("--kubeconfig", fake.kubeconfig("mtls", user=user), "-o", "json")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["summary"]["pods"] == 7


def test_where_the_kubeconfig_comes_from(cluster):
    home = os.path.join(TMP, "home")
    os.makedirs(os.path.join(home, ".kube"), exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT")}
    env["HOME"] = home
    with FakeApi(cluster) as fake:
        broken = ("- {name: broken, context: {cluster: fake, user: nobody}}\n"
                  "- {name: other, context: {cluster: fake, user: auditor}}\n")
        path = fake.kubeconfig("contexts", extra_contexts=broken)
        proc = podgate("--kubeconfig", path, "--context", "other", "-o", "json", env=env)
        assert proc.returncode == 0, proc.stderr
        proc = podgate("--kubeconfig", path, "--context", "nope", env=env)
        assert proc.returncode == 2 and proc.stderr == (
            f'podgate audit: kubeconfig: context "nope" not found ({path})\n'), proc.stderr
        proc = podgate("-o", "json", env=dict(env, KUBECONFIG=path + ":/nonexistent"))
        assert proc.returncode == 0, proc.stderr
        proc = podgate(env=env)
        assert proc.returncode == 2 and proc.stderr.startswith(
            "podgate audit: found no kubeconfig ($KUBECONFIG, ~/.kube/config): no "
            "--kubeconfig and not in a cluster"), proc.stderr
        os.replace(fake.kubeconfig("home-kubeconfig", ca=f"{TMP}/ca.crt"),
                   os.path.join(home, ".kube", "config"))
        proc = podgate("-o", "json", env=env)
        assert proc.returncode == 0, proc.stderr
        before = len(fake.requests())
        exec_user = "{exec: {apiVersion: client.authentication.k8s.io/v1, command: aws}}"
        proc = podgate("--kubeconfig", fake.kubeconfig("exec", user=exec_user), env=env)
        assert proc.returncode == 2 and "from an exec plugin (aws), which podgate does not " \
            "run" in proc.stderr, proc.stderr
        assert len(fake.requests()) == before, "a request was made without credentials"


def test_command_line_errors():
    for args, want in ((["-f", CLUSTER_JSON, "--context", "x"], "a dump (-f) is read instead"),
                       (["--chunk-size", "-1"], "--chunk-size wants a number"),
                       (["--chunk-size", "10x"], "--chunk-size wants a number"),
                       (["--input-format", "json"], "--input-format is for dumps (-f)"),
                       (["--kubeconfig", "/nonexistent/kubeconfig"], "cannot read kubeconfig")):
        proc = podgate(*args)
        assert proc.returncode == 2 and want in proc.stderr and proc.stdout == "", (args, proc)


def test_memory_stays_flat_with_the_cluster():
    def pods(count):
        items = [{"apiVersion": "v1", "kind": "Pod",
                  "metadata": {"name": f"p{i:06}", "namespace": f"ns{i % 50}",
                               "labels": {"app": f"a{i}"}},
                  "spec": {"containers": [{"name": "c", "image": "nginx",
                                           "env": [{"name": "X", "value": "y" * 200}]}]},
                  "status": {"phase": "Running"}} for i in range(count)]
        return Cluster(items)

    def peak_kb(cluster):
        """VmHWM of podgate once every pod is read, while the API holds back the PSPs."""
        with FakeApi(cluster, hold=PSPS) as fake:
            proc = subprocess.Popen([PODGATE, "audit", "--kubeconfig", fake.kubeconfig(),
                                     "-o", "json"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 300
            while not any(r["status"] == "held" for r in fake.requests()):
                assert proc.poll() is None and time.monotonic() < deadline, "never held"
                time.sleep(0.05)
            with open(f"/proc/{proc.pid}/status", encoding="utf-8") as f:
                peak = int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))
            run("curl", "-sS", "--max-time", "60", "--cacert", f"{TMP}/ca.crt",
                f"{fake.server}/control/release")
            assert proc.wait(timeout=300) == 0
            assert len(lists(fake, PODS)) == len(cluster.by_path[PODS]) // 500
        return peak

    small, big = peak_kb(pods(1000)), peak_kb(pods(20000))
    print(f"# peak RSS: {small} kB for 1,000 pods in 2 pages, {big} kB for 20,000 in 40")
    assert big < small + 4096, (small, big)


def test_progress_on_a_terminal(cluster):
    with FakeApi(cluster, delay=0.1) as fake:
        main_fd, tty = pty.openpty()
        proc = subprocess.Popen(WRAPPER + [PODGATE, "audit", "--kubeconfig", fake.kubeconfig(),
                                           "--chunk-size", "2", "-o", "json"],
                                stdout=subprocess.PIPE, stderr=tty)
        os.close(tty)
        out, _ = proc.communicate(timeout=600)
        seen = b""
        while True:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        os.close(main_fd)
        assert proc.returncode == 0 and json.loads(out)["summary"]["pods"] == 7
        text = seen.decode(errors="replace")
        assert "podgate audit: listing " in text and " objects, " in text, text
        assert text.endswith("\r\x1b[K"), text[-200:]


def main():
    make_ca("ca")
    make_ca("other-ca")
    make_cert("server", "ca", "subjectAltName=IP:127.0.0.1\n")
    make_cert("client", "ca", "extendedKeyUsage=clientAuth\n")
    cluster = small_cluster()
    check("same report as the dump, paged", test_same_report_as_the_dump_with_paging, cluster)
    check("--chunk-size: 500 by default, 0 for no limit", test_default_and_unlimited_chunk_size,
          cluster)
    check("same report as the dump on the real corpus",
          test_same_report_as_the_dump_on_the_real_corpus)
    check("404 PodSecurityPolicies: skipped, no RBAC", test_psps_absent_are_skipped_silently,
          cluster)
    check("403 on one resource: a diagnostic", test_forbidden_resource_is_a_diagnostic, cluster)
    check("410 on a continue token: reported", test_expired_continue_token_is_reported, cluster)
    check("a repeated token or a non-List answer ends the resource",
          test_broken_paging_and_answers_end_the_resource, cluster)
    check("401: fatal, clear message", test_refused_credentials_are_fatal, cluster)
    check("unreachable server: fatal", test_unreachable_server_is_fatal, cluster)
    check("TLS failure: fatal", test_tls_failure_is_fatal, cluster)
    check("client certificate", test_client_certificate_instead_of_a_token, cluster)
    check("kubeconfig: flag, --context, $KUBECONFIG, ~/.kube/config, exec plugin",
          test_where_the_kubeconfig_comes_from, cluster)
    check("command line errors", test_command_line_errors)
    if SLOW:
        print("ok - memory stays flat # SKIP under valgrind or ASan")
    else:
        check("memory stays flat with the number of pages", test_memory_stays_flat_with_the_cluster)
    check("progress on a terminal", test_progress_on_a_terminal, cluster)
    failed = sum(1 for _, exc in RESULTS if exc is not None)
    print(f"{len(RESULTS) - failed} passed, {failed} failed")
    if not failed:
        shutil.rmtree(TMP)  # kept for a look when something failed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
