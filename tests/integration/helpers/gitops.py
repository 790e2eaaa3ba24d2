# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shipped GitLab pipeline (extensions/gitops/gitlab/) run by gitlab-ci-local: a git repository of
the desired state (``DesiredState``: the pipeline's files and an inventory of the test's own), a
pipeline or some of its jobs run in it (``DesiredState.run`` -> ``PipelineRun``), and what a job left:
its verdict and exit code, its log and its artifacts.

gitlab-ci-local (npm) comes from ``make gitops-tools``, into .tools/; each job runs with its shell
executor in a copy of the repository of its own (``--shell-isolation``, which copies with rsync), and
inherits this process's environment, as a runner's jobs inherit the image's."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import shutil
import subprocess
from xml.etree import ElementTree

import yaml

from ansible_collections.stateful.nfs.tests.integration.helpers.ansible_runs import REPO, ansible_env

GITLAB_CI_LOCAL = REPO / ".tools" / "gitlab-ci-local" / "node_modules" / ".bin" / "gitlab-ci-local"
PIPELINE = REPO / "extensions" / "gitops" / "gitlab"
DEFAULT_BRANCH = "main"
# "plan finished in 41 s  WARN 2" (allowed failure), "prove finished in 9.1 s  FAIL 2", "lint finished in 12 s"
_FINISHED = re.compile(r"^(?P<job>\S+)\s+finished in .*?(?:(?P<verdict>WARN|FAIL) (?P<code>\d+))?\s*$")


def gitlab_ci_local():
    """The pinned gitlab-ci-local, or a failure saying where it comes from."""
    if not os.access(str(GITLAB_CI_LOCAL), os.X_OK):
        raise AssertionError("%s is missing: `make gitops-tools` installs gitlab-ci-local (npm) and rsync" % GITLAB_CI_LOCAL)
    if not shutil.which("rsync"):
        raise AssertionError("rsync is missing (gitlab-ci-local's shell isolation): `make gitops-tools` installs it")
    return str(GITLAB_CI_LOCAL)


def git(root, *args):
    subprocess.run(["git", "-C", str(root), "-c", "user.name=stateful.nfs tests", "-c", "user.email=tests@stateful-nfs.invalid"]
                   + list(args), check=True, capture_output=True, text=True, timeout=60)


class _Dumper(yaml.SafeDumper):
    """YAML as yamllint's defaults (ansible-lint's production profile) want it: list items indented."""

    def increase_indent(self, flow=False, indentless=False):
        return super(_Dumper, self).increase_indent(flow, False)


class PipelineRun(object):
    """What one gitlab-ci-local run left: its exit code and output, each job's verdict and exit code
    (``jobs``: ``{job: (verdict, code)}``, verdict ``ok``, ``WARN`` for an allowed failure, ``FAIL``),
    logs and artifacts."""

    def __init__(self, root, proc):
        self.root = root
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr
        self.jobs = {}
        for line in self.output.splitlines():
            match = _FINISHED.match(line.strip())
            if match and match.group("job") != "pipeline":
                self.jobs[match.group("job")] = (match.group("verdict") or "ok", int(match.group("code") or 0))

    def log(self, job):
        with open(os.path.join(self.root, ".gitlab-ci-local", "output", job + ".log")) as stream:
            return stream.read()

    def artifact(self, job, path):
        """The path of a job's artifact, as the next stages (and a merge request) get it."""
        return os.path.join(self.root, ".gitlab-ci-local", "artifacts", job, path)

    def json_artifact(self, job, path):
        with open(self.artifact(job, path)) as stream:
            return json.load(stream)

    def junit_cases(self, job, path):
        """``{(classname, name): failure message or None}`` of a JUnit artifact, with its error cases as failures."""
        cases = {}
        for case in ElementTree.parse(self.artifact(job, path)).iter("testcase"):
            bad = case.find("failure")
            bad = case.find("error") if bad is None else bad
            cases[(case.get("classname"), case.get("name"))] = None if bad is None else (bad.get("message") or "")
        return cases

    def __str__(self):
        return "gitlab-ci-local rc=%d jobs=%s\n--- output (tail) ---\n%s" % (
            self.rc, self.jobs, "\n".join(self.output.splitlines()[-120:]))


class DesiredState(object):
    """A git repository holding the shipped pipeline's files and a desired state of the test's own:
    ``inventory/hosts.yml`` and ``inventory/group_vars/<group>.yml`` from ``hosts`` and ``group_vars``."""

    def __init__(self, root, hosts, group_vars, variables=None):
        self.root = str(root)
        self.variables = dict(variables or {})
        shutil.copytree(str(PIPELINE), self.root, ignore=shutil.ignore_patterns("inventory"))
        os.makedirs(os.path.join(self.root, "inventory", "group_vars"))
        self.write("inventory/hosts.yml", hosts)
        for group, values in group_vars.items():
            self.write("inventory/group_vars/%s.yml" % group, values)
        git(self.root, "init", "-q", "-b", DEFAULT_BRANCH)
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", "desired state")

    def write(self, path, data):
        with open(os.path.join(self.root, path), "w") as stream:
            stream.write("---\n")
            yaml.dump(data, stream, Dumper=_Dumper, default_flow_style=False, sort_keys=False)

    def branch(self, name):
        git(self.root, "checkout", "-q", "-B", name)

    def command(self, *args):
        return [gitlab_ci_local(), "--no-color", "--force-shell-executor", "--shell-executor-no-image",
                "--shell-isolation", "--no-artifacts-to-source", "--concurrency", "1"] + [
                    "--variable=%s=%s" % item for item in sorted(self.variables.items())] + list(args)

    def run(self, *jobs, manual=(), timeout=900):
        """The whole pipeline (no ``jobs``), or those jobs alone; ``manual``: manual jobs started by hand."""
        args = list(jobs)
        for job in manual:
            args += ["--manual", job]
        env = ansible_env()
        # the repository is the job's checkout: no ansible.cfg or inventory of this clone, as on a runner
        env.pop("ANSIBLE_CONFIG", None)
        env.pop("ANSIBLE_INVENTORY", None)
        proc = subprocess.run(self.command(*args), cwd=self.root, env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)
        return PipelineRun(self.root, proc)
