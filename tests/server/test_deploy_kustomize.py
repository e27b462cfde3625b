# SPDX-License-Identifier: Apache-2.0
"""deploy/ as kustomize renders it, with and without the enforce-workloads component.

Copies deploy/ to a temporary directory, makes certificates there with make-certs.sh, and
renders it with `kubectl kustomize` (offline): the component must add --enforce-workloads to
the container and make only the workloads entry fail closed, the TLS Secret must keep its
fixed name, and both renderings must pass `podgate scan --level restricted`.

usage: test_deploy_kustomize.py PODGATE KUBECTL DEPLOY_DIR
"""
import shutil
import subprocess
import sys
import tempfile

import yaml

PODGATE, KUBECTL, DEPLOY = sys.argv[1], sys.argv[2], sys.argv[3]


def run(*args, cwd=None):
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=cwd)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def render(deploy, tmp, name):
    text = run(KUBECTL, "kustomize", deploy)
    with open(f"{tmp}/{name}.yaml", "w") as f:
        f.write(text)
    run(PODGATE, "scan", "--level", "restricted", f"{tmp}/{name}.yaml")
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in yaml.safe_load_all(text)}


def container_args(objects):
    return objects[("Deployment", "podgate")]["spec"]["template"]["spec"]["containers"][0]["args"]


def failure_policies(objects):
    webhooks = objects[("ValidatingWebhookConfiguration", "podgate")]["webhooks"]
    return {hook["name"]: hook["failurePolicy"] for hook in webhooks}


def main():
    tmp = tempfile.mkdtemp(prefix="podgate-deploy-")
    try:
        deploy = f"{tmp}/deploy"
        shutil.copytree(DEPLOY, deploy, ignore=shutil.ignore_patterns("certs"))
        run(f"{deploy}/make-certs.sh")
        base = render(deploy, tmp, "base")
        assert "--enforce-workloads" not in container_args(base)
        assert failure_policies(base) == {
            "pod-security-webhook.kubernetes.io": "Fail",
            "advisory.pod-security-webhook.kubernetes.io": "Ignore"}, failure_policies(base)
        assert ("Secret", "podgate-tls") in base, sorted(base)

        with open(f"{deploy}/kustomization.yaml") as f:
            text = f.read()
        enabled = text.replace("# components:\n#   - enforce-workloads",
                               "components:\n  - enforce-workloads")
        assert enabled != text, "the commented components: lines are gone"
        with open(f"{deploy}/kustomization.yaml", "w") as f:
            f.write(enabled)
        enforce = render(deploy, tmp, "enforce")
        assert container_args(enforce) == container_args(base) + ["--enforce-workloads"]
        assert set(failure_policies(enforce).values()) == {"Fail"}, failure_policies(enforce)
        print("ok - deploy/ renders, with and without enforce-workloads, and passes restricted")
        return 0
    except AssertionError as exc:
        print(f"not ok - {exc}")
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
