# -*- coding: utf-8 -*-
"""Fixtures shared by the integration tests: the lab, and running playbooks.

Integration tests run against the real lab (roles/lab): a control plane built from
the upstream Kubernetes Go modules, KWOK nodes and CoreDNS on loopback. Under CI
(CI=true) or with STATEFUL_NFS_LAB_RESET=1 the session starts from a clean cluster
(etcd wiped) and takes the lab down at the end; otherwise a running lab is reused.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ansible_collections.stateful.nfs.tests.integration.k8s_roles_helpers import HELPERS, LAB_INVENTORY, Kube, run

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin"


def _truthy(value):
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def ansible_env(extra=None):
    """Environment for ansible-* commands run from the work tree."""
    env = dict(os.environ)
    env.update(
        {
            "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
            "ANSIBLE_COLLECTIONS_PATH": str(REPO / ".collections"),
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_NOCOLOR": "1",
            "PATH": "%s:%s" % (VENV_BIN, env.get("PATH", "")),
        }
    )
    env.update(extra or {})
    return env


@dataclass
class PlaybookResult:
    """The outcome of one ansible-playbook run, with its per-host stats parsed."""

    rc: int
    output: str
    stats: dict = field(default_factory=dict)
    plays: list = field(default_factory=list)

    def changed(self, host=None):
        hosts = [host] if host else list(self.stats)
        return sum(self.stats.get(h, {}).get("changed", 0) for h in hosts)

    def failed(self, host=None):
        hosts = [host] if host else list(self.stats)
        return sum(
            self.stats.get(h, {}).get("failures", 0) + self.stats.get(h, {}).get("unreachable", 0)
            for h in hosts
        )

    def task_results(self, task_name):
        """Every host result of the tasks called ``task_name`` (JSON callback)."""
        found = []
        for play in self.plays:
            for task in play.get("tasks", []):
                if task.get("task", {}).get("name") == task_name:
                    found.extend(task.get("hosts", {}).values())
        return found

    def failed_results(self, items=False):
        """``(task name, host, result)`` for every failed or unreachable host result (rescued ones
        included), in play order; with ``items``, also each failed item of a loop (JSON callback)."""
        for play in self.plays:
            for task in play.get("tasks", []):
                for host, res in task.get("hosts", {}).items():
                    candidates = [res] + ([r for r in res.get("results", []) if isinstance(r, dict)] if items else [])
                    for item in candidates:
                        if item.get("failed") or item.get("unreachable"):
                            yield task.get("task", {}).get("name"), host, item

    def failures_text(self):
        """``task [host]: msg`` for every failed host result and loop item."""
        return "\n".join("%s [%s]: %s" % (name, host, item.get("msg") or item.get("stderr") or item)
                         for name, host, item in self.failed_results(items=True))

    def tail(self, lines=60):
        """The failed tasks' messages, or the end of the output when there are none."""
        return self.failures_text() or "\n".join(self.output.splitlines()[-lines:])


def run_playbook(playbook, extra_vars=None, inventory=None, check=False, diff=False,
                 tags=None, env=None, timeout=1800):
    """Run a playbook of this repo with the JSON callback and return a PlaybookResult."""
    cmd = [str(VENV_BIN / "ansible-playbook"), str(REPO / playbook)]
    if inventory:
        cmd += ["-i", str(REPO / inventory)]
    if extra_vars:
        cmd += ["-e", json.dumps(extra_vars)]
    if check:
        cmd.append("--check")
    if diff:
        cmd.append("--diff")
    if tags:
        cmd += ["--tags", ",".join(tags)]
    run_env = ansible_env({"ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", **(env or {})})
    proc = subprocess.run(cmd, cwd=str(REPO), env=run_env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    result = PlaybookResult(rc=proc.returncode, output=proc.stdout + proc.stderr)
    try:
        start = proc.stdout.index("{")
        data = json.loads(proc.stdout[start:])
        result.stats = data.get("stats", {})
        result.plays = data.get("plays", [])
    except ValueError:
        pass
    return result


@dataclass
class Lab:
    """Where the running lab is, and a kubectl bound to it."""

    state_dir: Path
    dns_server: str = "127.0.0.1"
    dns_port: int = 10053

    @property
    def kubeconfig(self):
        return str(self.state_dir / "kubeconfig")

    @property
    def kubectl_path(self):
        return str(self.state_dir / "bin" / "kubectl")

    def kubectl(self, *args, check=True, input_text=None, timeout=120):
        """Run the lab's kubectl; returns the CompletedProcess."""
        proc = subprocess.run(
            [self.kubectl_path, "--kubeconfig", self.kubeconfig, *args],
            capture_output=True, text=True, input=input_text, timeout=timeout, check=False,
        )
        if check and proc.returncode != 0:
            raise AssertionError("kubectl %s failed (rc %d): %s" % (" ".join(args), proc.returncode, proc.stderr))
        return proc

    def get_json(self, *args):
        """``kubectl get ... -o json`` parsed."""
        return json.loads(self.kubectl("get", *args, "-o", "json").stdout)


@pytest.fixture(scope="session")
def lab():
    """The lab, up and healthy (built on first use; a warm start takes seconds)."""
    ci = _truthy(os.environ.get("CI", ""))
    reset = _truthy(os.environ.get("STATEFUL_NFS_LAB_RESET", "1" if ci else "0"))
    result = run_playbook("playbooks/lab_up.yml", extra_vars={"lab_reset": reset})
    if result.rc != 0:
        pytest.fail("lab_up.yml failed (rc %d):\n%s" % (result.rc, result.tail()))
    yield Lab(state_dir=Path(os.path.expanduser("~/.local/state/stateful-nfs-lab")))
    if ci:
        run_playbook("playbooks/lab_down.yml")


@pytest.fixture(scope="session")
def playbook():
    """``run_playbook`` as a fixture."""
    return run_playbook


# --------------------------------------------------------------------------- Kubernetes roles and fault matrix

@pytest.fixture(scope="session")
def kube(lab):
    """A kubectl reader for the lab (k8s_roles_helpers.Kube)."""
    return Kube(lab.kubectl_path, lab.kubeconfig)


@pytest.fixture(scope="session")
def lab_exports(lab, playbook, tmp_path_factory):
    """The lab's nfs_server_exported facts (the nfs_server role run on the lab inventory)."""
    path = tmp_path_factory.mktemp("exports") / "exports.json"
    outcome = run(playbook, HELPERS + "/exports.yml", {"it_exports_file": str(path)}, inventory=LAB_INVENTORY,
                  tags=["it-k8s-facts-only"])
    assert outcome.rc == 0, str(outcome)
    with open(str(path)) as stream:
        exports = json.load(stream)
    assert len(exports) >= 4, exports
    return exports[:4]
