# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running Ansible from the work tree: playbooks (``run_playbook`` -> ``PlaybookResult``, timed by
``run`` -> ``Outcome``), ad hoc modules (``run_module``), and the two verdicts on an outcome
(``ok``, ``refused``). Playbook paths are relative to the repository."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin"
# The playbooks of tests/integration/k8s_roles/ (deploy.yml, exports.yml), and the lab on one machine
# (inventory/local: NFS server and node on loopback), the tests' default inventory. The tests of the
# lab's separate SSH hosts (inventory/lab) name it.
HELPERS = "tests/integration/k8s_roles"
LOCAL_INVENTORY = "inventory/local"
LAB_INVENTORY = "inventory/lab"
# A YAML or JSON file of lab_* variables (another state directory and other ports) given to every playbook
# the tests run, so that the tests can use a second lab beside a running one; unset: the default lab.
LAB_VARS_FILE = os.environ.get("STATEFUL_NFS_LAB_VARS")


def ansible_env(extra=None):
    """Environment for ansible-* commands run from the work tree."""
    env = dict(os.environ)
    env.update(
        {
            "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
            "ANSIBLE_COLLECTIONS_PATH": str(REPO / ".collections"),
            "ANSIBLE_INVENTORY": str(REPO / LOCAL_INVENTORY),
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
        """Every host result of the tasks called ``task_name`` (JSON callback, which names a
        role's task ``<role> : <name>``)."""
        found = []
        for play in self.plays:
            for task in play.get("tasks", []):
                name = task.get("task", {}).get("name")
                if name == task_name or (name or "").endswith(" : " + task_name):
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

    def failures_by_host(self):
        """``{host: failure messages}``: the ``msg`` of each failed host result, one a line, in play order."""
        found = {}
        for _task, host, result in self.failed_results():
            found.setdefault(host, []).append(str(result.get("msg")))
        return dict((host, "\n".join(messages)) for host, messages in found.items())

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
    if LAB_VARS_FILE:
        cmd += ["-e", "@" + LAB_VARS_FILE]
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


class Outcome(object):
    """One timed playbook run (``run``): rc, recap counts, failure messages, time taken."""

    def __init__(self, result, elapsed, args):
        self.result = result
        self.rc = result.rc
        self.elapsed = elapsed
        self.args = args

    @property
    def changed(self):
        return self.result.changed()

    @property
    def failed(self):
        return self.result.failed()

    @property
    def output(self):
        return self.result.output

    @property
    def failure_messages(self):
        """The ``msg`` of every failed task result (rescued ones included), in play order."""
        return [str(result.get("msg")) for _task, _host, result in self.result.failed_results()]

    def __str__(self):
        return "%s\nrc=%s elapsed=%.1fs changed=%s\nfailures: %s\n--- output (tail) ---\n%s" % (
            self.args, self.rc, self.elapsed, self.changed, self.failure_messages, self.result.tail(80))


def run(playbook_runner, playbook, extra_vars, **kwargs):
    """Run ``playbook`` (a path relative to the repository) with ``playbook_runner`` (``run_playbook``,
    the ``playbook`` fixture) and time it."""
    started = time.monotonic()
    result = playbook_runner(playbook, extra_vars=extra_vars, **kwargs)
    return Outcome(result, time.monotonic() - started, "%s %s" % (playbook, kwargs))


def ok(outcome):
    assert outcome.rc == 0 and outcome.failed == 0, str(outcome)
    return outcome


def refused(outcome, *needles):
    assert outcome.rc != 0, "expected a refusal\n%s" % outcome
    text = "\n".join(outcome.failure_messages)
    for needle in needles:
        assert needle in text, "%r not in the failure messages %r\n%s" % (needle, outcome.failure_messages, outcome)
    return text


def run_module(args, **env):
    """An ad hoc module run as a user runs it (``ansible localhost -m ...``); (rc, output)."""
    repo = str(REPO)
    cmd = [os.path.join(repo, ".venv", "bin", "ansible"), "localhost", "-c", "local", "-i", "localhost,",
           "-m", args.pop("_module"), "-a", json.dumps(args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False, cwd=repo,
                          env=ansible_env(dict({"ANSIBLE_PYTHON_INTERPRETER": os.path.join(repo, ".venv", "bin", "python"),
                                                "ANSIBLE_LOCALHOST_WARNING": "False"}, **env)))
    return proc.returncode, proc.stdout + proc.stderr
