# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The GitOps pipeline the collection ships (extensions/gitops/gitlab/.gitlab-ci.yml, docs/gitops.md), run
by a runner no one here wrote: gitlab-ci-local, its shell executor, each job in a checkout of its own.

The desired state is a git repository the test writes: the shipped pipeline's files and an inventory of
its own, on this machine (connection local): an NFS server host served by an NFS-Ganesha of the test's
own on a free loopback port (fixture own_nfs), a node host, and localhost for the cluster, the lab's.
The Kubernetes objects go to a namespace, volume set and storage class of the test's own
(``it-gitops-<random>``, Stack in helpers/stacks.py). The cluster credential reaches the jobs as the
CI/CD variable KUBECONFIG, as a project's File variable would.

One test, in the order a repository lives it:

a. on a branch other than the default one apply is a manual gate: unopened, the runner starts nothing
   (prove needs apply) and nothing reaches the cluster; opened (``--manual apply``), the whole pipeline
   passes: lint, plan (drift: nothing exists yet, exit 2, allowed), apply, prove (JUnit all passing, SVG,
   Markdown). On the default branch apply runs without the gate, and plan finds nothing (exit 0, no
   failing JUnit case);
b. a hand-made drift, a line added to the export file on the NFS server and the StatefulSet scaled
   behind Ansible's back (kubectl scale): plan exits 2 and its JSON and JUnit name exactly the export
   file (with the reload of the NFS server its handler would do) and the StatefulSet's ``spec.replicas``,
   nothing else;
c. a broken rollout, a pod template whose pods never turn Ready (the lab's never-ready label, as a bad
   image would): prove fails, and its JUnit names the completion check and the pod.

Measured on the build machine (2 cores, warm lab, December 2026): 103 s in all, 21 s of them the lab
fixture's lab_up.yml and 80 s the test: six gitlab-ci-local runs, two of them whole pipelines (jobs:
lint 4 s, plan 14 s, apply 16 s on the first run, prove 4 s; about 1 s of gitlab-ci-local's own a run).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.stateful.nfs.tests.integration.helpers.gitops import DEFAULT_BRANCH, DesiredState
from ansible_collections.stateful.nfs.tests.integration.helpers.stacks import Stack, ready_pods
from ansible_collections.stateful.nfs.tests.integration.helpers.validate import NEVER_READY

pytestmark = pytest.mark.lab

NFS_HOST = "it-gitops-nfs"
DRIFT = "drift-report"
PROVE_JUNIT = "prove-report/myapp.junit.xml"


class GitopsStack(Stack):
    """Stack in a namespace ``it-gitops-<case>-<random>``."""

    prefix = "it-gitops"


@pytest.fixture
def desired(lab, kube, playbook, own_nfs, tmp_path):
    """The desired-state repository (DesiredState) and its stack; the stack is removed at the end (own_nfs
    stops the NFS server)."""
    stack = GitopsStack(lab, kube, playbook, [], "pipe", replicas=3, wait_timeout=60)
    everything = stack.vars()
    del everything["nfs_volumes_exports"]  # site.yml takes them from the nfs_server role's facts
    del everything["stateful_nfs_kubeconfig"]
    # as in the shipped example: the CI/CD variable KUBECONFIG, the cluster DNS through the API server
    everything.update({"stateful_nfs_kubeconfig": "{{ lookup('ansible.builtin.env', 'KUBECONFIG') }}",
                       "stateful_nfs_dns_transport": "api"})
    hosts = {"all": {"vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                     "children": {"nfs_servers": {"hosts": {NFS_HOST: None}},
                                  "k8s_nodes": {"hosts": {"it-gitops-node": None}},
                                  "k8s_control": {"hosts": {"localhost": None}}}}}
    repo = DesiredState(tmp_path / "desired-state", hosts, {"all": everything, "nfs_servers": own_nfs.server},
                        variables={"KUBECONFIG": lab.kubeconfig})
    try:
        yield repo, stack
    finally:
        stack.cleanup()


def drift_resources(run):
    """``{(host, resource)}`` of the plan's drift.json."""
    return set((item["host"], item["resource"]) for item in run.json_artifact("plan", DRIFT + "/drift.json")["drift"])


def failing(cases):
    return dict((key, message) for key, message in cases.items() if message is not None)


def test_pipeline_applies_plans_drift_and_proves(desired, kube, own_nfs):
    repo, stack = desired

    # a. on a branch other than the default one, apply is a manual gate: unopened, the runner runs nothing
    # (prove needs apply) and nothing reaches the cluster
    repo.branch("change")
    gated = repo.run()
    assert gated.rc != 0 and gated.jobs == {}, str(gated)
    assert "apply is when:manual, its needed by prove, and not specified in --manual" in gated.output, str(gated)
    assert kube.get("namespace", stack.namespace) is None

    # ... opened by hand, the whole pipeline runs: plan finds everything missing (drift, allowed), apply, prove
    first = repo.run(manual=["apply"])
    assert first.rc == 0, str(first)
    assert first.jobs == {"lint": ("ok", 0), "plan": ("WARN", 2), "apply": ("ok", 0), "prove": ("ok", 0)}, str(first)
    assert first.json_artifact("plan", DRIFT + "/drift.json")["status"] == "drift"
    assert ready_pods(stack) == ["myapp-0", "myapp-1", "myapp-2"]
    proof = first.junit_cases("prove", PROVE_JUNIT)
    assert failing(proof) == {}, proof
    checks = set(classname.rsplit(".", 1)[1] for classname, _name in proof)
    assert checks == {"order", "completion", "storage", "dns"}, proof
    assert set(name for _check, name in proof) == {"myapp", "myapp-0", "myapp-1", "myapp-2"}
    with open(first.artifact("prove", "prove-report/myapp.md")) as stream:
        summary = stream.read()
    assert "## StatefulSet %s/myapp: valid" % stack.namespace in summary, summary
    assert os.path.getsize(first.artifact("prove", "prove-report/myapp.svg")) > 0

    # on the default branch apply runs without a gate; plan now finds nothing to change
    repo.branch(DEFAULT_BRANCH)
    clean = repo.run()
    assert clean.rc == 0, str(clean)
    assert clean.jobs == {"lint": ("ok", 0), "plan": ("ok", 0), "apply": ("ok", 0), "prove": ("ok", 0)}, str(clean)
    assert clean.json_artifact("plan", DRIFT + "/drift.json")["status"] == "clean"
    assert failing(clean.junit_cases("plan", DRIFT + "/drift.xml")) == {}
    assert failing(clean.junit_cases("prove", PROVE_JUNIT)) == {}

    # b. drift made by hand: the export file edited on the server, the StatefulSet scaled behind Ansible's back
    exports_file = own_nfs.server["nfs_server_ganesha_exports_file"]
    with open(exports_file, "a") as stream:
        stream.write("# edited by hand\n")
    kube.run("scale", "statefulset", stack.name, "-n", stack.namespace, "--replicas=2")
    drift = repo.run("plan")
    assert drift.jobs == {"plan": ("WARN", 2)}, str(drift)
    report = drift.json_artifact("plan", DRIFT + "/drift.json")
    assert (report["status"], report["exit_code"]) == ("drift", 2)
    sts = "StatefulSet %s/%s" % (stack.namespace, stack.name)
    # the edited file, the reload its handler would do (the drift it causes), the StatefulSet; nothing else
    ganesha = own_nfs.server["nfs_server_ganesha_config_file"]
    assert drift_resources(drift) == {(NFS_HOST, exports_file), (NFS_HOST, ganesha), ("localhost", sts)}, report["drift"]
    [reload] = [item for item in report["drift"] if item["resource"] == ganesha]
    assert (reload["action"], reload["diff"]) == ("stateful.nfs.nfs_ganesha_daemon", "actions: hup"), reload
    [scaled] = [item for item in report["drift"] if item["resource"] == sts]
    assert [(c["path"], c["before"], c["after"]) for c in scaled["changes"]] == [("spec.replicas", 2, 3)], scaled
    [edited] = [item for item in report["drift"] if item["resource"] == exports_file]
    assert "-# edited by hand" in edited["diff"], edited
    failed_cases = failing(drift.junit_cases("plan", DRIFT + "/drift.xml"))
    assert sorted(name.rsplit(": ", 1)[1] for _classname, name in failed_cases) == sorted([exports_file, ganesha, sts]), failed_cases

    # c. a broken rollout: the pod template changed behind Ansible's back to one whose pods never turn Ready
    kube.run("patch", "statefulset", stack.name, "-n", stack.namespace, "--type", "merge", "-p",
             json.dumps({"spec": {"template": {"metadata": {"labels": {NEVER_READY: "true"}}}}}))
    kube.wait_for(lambda: (stack.pods().get("myapp-1") or {}).get("metadata", {}).get("labels", {}).get(NEVER_READY),
                  timeout=60, what="myapp-1 recreated from the broken template")
    broken = repo.run("prove")
    assert broken.rc != 0 and broken.jobs == {"prove": ("FAIL", 2)}, str(broken)
    bad = failing(broken.junit_cases("prove", PROVE_JUNIT))
    assert ("stateful.nfs.statefulset_validate.completion", "myapp-1") in bad, bad
    assert "myapp-1" in bad[("stateful.nfs.statefulset_validate.completion", "myapp-1")], bad
    with open(broken.artifact("prove", "prove-report/myapp.md")) as stream:
        summary = stream.read()
    assert "## StatefulSet %s/myapp: INVALID" % stack.namespace in summary, summary
    assert "| completion | myapp-1 |" in summary, summary
