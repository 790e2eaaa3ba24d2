# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""statefulset_validate end to end with the cluster and DNS replaced by stand-ins:
option errors, check mode, wait (watch-driven), watch mode, report files, failure msg."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os
from xml.etree import ElementTree

import pytest


from ansible_collections.stateful.nfs.plugins.module_utils import statefulset_validator
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import reverse_pointer
from ansible_collections.stateful.nfs.plugins.modules import statefulset_validate

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "module_utils", "fixtures", "statefulset",
                       "tutorial-synthetic.json")
SVC = "statefulset-headless.default.svc.cluster.local"


def load():
    with open(FIXTURE) as stream:
        return copy.deepcopy(json.load(stream))


class FakeCluster:
    """What StatefulSetClient offers, from a fixture; ``batches`` scripts the watch."""

    def __init__(self, shot, batches=(), before=None):
        self.shot = shot
        self.batches = list(batches)
        self.before = before  # (sts, pods) at the start of a watch; defaults to the shot
        self.calls = []

    def snapshot(self, namespace, name, checks):
        self.calls.append("snapshot")
        if self.shot["statefulset"] is None:
            return {"statefulset": None}
        return copy.deepcopy(self.shot)

    def initial_state(self, namespace, name):
        self.calls.append("initial_state")
        sts, pods = self.before or (self.shot["statefulset"], self.shot["pods"])
        return copy.deepcopy(sts), copy.deepcopy(pods), {"Pod": "1", "StatefulSet": "1"}

    def stream(self, namespace, name, selector, versions, deadline, wake=None):
        self.calls.append("stream")
        yield from self.batches


class FakeProbe:
    def __init__(self, shot):
        self.asked = []
        self.table = {(SVC, "A"): {"rcode": "NOERROR", "values": sorted(p["status"]["podIP"] for p in shot["pods"])}}
        for pod in shot["pods"]:
            fqdn = "%s.%s" % (pod["metadata"]["name"], SVC)
            self.table[(fqdn, "A")] = {"rcode": "NOERROR", "values": [pod["status"]["podIP"]]}
            self.table[(reverse_pointer(pod["status"]["podIP"]), "PTR")] = {"rcode": "NOERROR", "values": [fqdn]}

    def resolve(self, queries):
        self.asked.extend(queries)
        return dict((q, self.table.get(q, {"rcode": "NXDOMAIN", "values": []})) for q in queries)


def params(**extra):
    base = dict(name="myapp", namespace="default", checks=list(statefulset_validator.ALL_CHECKS), mode="audit",
                wait=False, wait_timeout=30, watch_timeout=30, expected_volumes={"0": "pv001", "1": "pv002", "2": "pv003"},
                junit_path=None, svg_path=None, fail_on_violation=True, dns_server="127.0.0.1", dns_port=10053,
                dns_timeout=1.0, cluster_domain="cluster.local")
    base.update(extra)
    return base


def _unready(pod):
    pod = copy.deepcopy(pod)
    for cond in pod["status"]["conditions"]:
        if cond["type"] == "Ready":
            cond["status"] = "False"
    return pod


# --------------------------------------------------------------------------- Validation

def test_audit_run_on_the_tutorial_is_valid():
    shot = load()
    probe = FakeProbe(shot)
    cluster = FakeCluster(shot)
    result = statefulset_validator.Validation(params(), cluster, probe).run()
    assert result["valid"], result["violations"]
    assert cluster.calls == ["snapshot"]
    assert len(probe.asked) == 7
    assert result["checks"]["dns"]["status"] == "passed"
    assert result["completion"]["complete"] is True and result["completion"]["waited"] is None


def test_wait_returns_at_once_when_complete_and_on_the_event_that_completes():
    shot = load()
    cluster = FakeCluster(shot)
    validation = statefulset_validator.Validation(params(wait=True, checks=["completion"]), cluster, None)
    result = validation.run()
    assert cluster.calls == ["initial_state", "snapshot"]
    assert result["completion"]["complete"]

    before = (shot["statefulset"], shot["pods"][:2] + [_unready(shot["pods"][2])])
    cluster = FakeCluster(shot, batches=[[("Pod", "MODIFIED", shot["pods"][2], 0.0)], [("Pod", "MODIFIED", {}, 0.0)]],
                          before=before)
    result = statefulset_validator.Validation(params(wait=True, checks=["completion"]), cluster, None).run()
    assert cluster.calls == ["initial_state", "stream", "snapshot"]
    assert result["valid"]


def test_wait_timeout_gives_the_reason():
    shot = load()
    shot["pods"][2] = _unready(shot["pods"][2])
    cluster = FakeCluster(shot, batches=[])
    result = statefulset_validator.Validation(params(wait=True, checks=["completion"]), cluster, None).run()
    assert not result["valid"]
    assert result["completion"]["reason"].startswith("timed out after 0 s waiting for the rollout: myapp-2 is not "
                                                     "Ready")


def test_check_mode_neither_waits_nor_watches_nor_writes(tmp_path):
    shot = load()
    cluster = FakeCluster(shot)
    validation = statefulset_validator.Validation(params(wait=True, mode="watch", junit_path=str(tmp_path / "j.xml")),
                                                  cluster, FakeProbe(shot), check_mode=True)
    result = validation.run()
    assert cluster.calls == ["snapshot"]
    assert validation.reports(result) == {}
    assert result["valid"]


def test_watch_mode_records_until_complete_after_a_change():
    shot = load()
    start_pods = shot["pods"][:2]
    new = _unready(shot["pods"][2])
    sts2 = copy.deepcopy(shot["statefulset"])
    batches = [[("Pod", "ADDED", new, 100.0)],
               [("Pod", "MODIFIED", shot["pods"][2], 101.0), ("StatefulSet", "MODIFIED", sts2, 101.1)],
               [("Pod", "MODIFIED", {"metadata": {"name": "never-reached"}}, 102.0)]]
    before_sts = copy.deepcopy(shot["statefulset"])
    before_sts["status"].update(replicas=2, readyReplicas=2, availableReplicas=2)
    cluster = FakeCluster(shot, batches=batches, before=(before_sts, start_pods))
    shot["statefulset"] = sts2
    validation = statefulset_validator.Validation(params(mode="watch", checks=["order", "completion"]), cluster, None)
    result = validation.run()
    assert result["checks"]["order"]["evidence"] == "watch"
    assert [(e["event"], e["pod"]) for e in result["events"]] == [("ADDED", "myapp-2"), ("READY", "myapp-2")]
    assert result["watch"]["stopped"] == "complete"  # the third batch is never read
    assert result["watch"]["records"] == 1 + 2 + 3


def test_missing_statefulset_returns_none():
    shot = load()
    shot["statefulset"] = None
    assert statefulset_validator.Validation(params(checks=["order"]), FakeCluster(shot), None).run() is None


@pytest.mark.parametrize("change,message", [
    ({"name": "My_App"}, "name: 'My_App' must be lower case"),
    ({"namespace": "-x"}, "namespace: '-x' must start and end with a letter or digit"),
    ({"checks": []}, "checks: select at least one"),
    ({"wait_timeout": 0}, "wait_timeout: must be a positive number of seconds"),
    ({"dns_port": 70000}, "dns_port: must be between 1 and 65535"),
    ({"dns_timeout": 0}, "dns_timeout: must be a positive number"),
    ({"cluster_domain": "bad_domain"}, "cluster_domain"),
    ({"expected_volumes": {"zero": "pv001"}}, "expected_volumes['zero']: the key must be a pod ordinal"),
])
def test_bad_options_name_the_field(change, message):
    with pytest.raises(ValueError) as err:
        statefulset_validator.check_params(params(**change))
    assert message in str(err.value)


# --------------------------------------------------------------------------- module main

@pytest.fixture
def run_module(monkeypatch, run_main):
    """The shared harness (conftest.py) with the cluster and DNS stand-ins wired in."""
    def _run(args, cluster=None, probe=None, check_mode=False):
        monkeypatch.setattr(statefulset_validate, "get_api_client", lambda module: type("C", (), {"client": None})())
        monkeypatch.setattr(statefulset_validate, "StatefulSetClient", lambda dynamic: cluster)
        monkeypatch.setattr(statefulset_validate, "DnsProbe", lambda *a: probe)
        return run_main(statefulset_validate, args, check_mode=check_mode)
    return _run


def test_module_writes_reports_and_never_changes(run_module, tmp_path):
    shot = load()
    junit, svg = tmp_path / "out" / "r.xml", tmp_path / "r.svg"
    out = run_module({"name": "myapp", "dns_port": 10053, "junit_path": str(junit), "svg_path": str(svg),
                      "expected_volumes": {"0": "pv001", "1": "pv002", "2": "pv003"}}, FakeCluster(shot), FakeProbe(shot))
    assert not out.failed, out.result.get("msg")
    assert out.result["changed"] is False and out.result["valid"] is True
    assert out.result["junit_path"] == str(junit) and out.result["svg_path"] == str(svg)
    assert "_timeline" not in out.result and "pod_names" not in out.result
    assert ElementTree.parse(str(junit)).getroot().get("failures") == "0"
    assert ElementTree.parse(str(svg)).getroot().tag == "{http://www.w3.org/2000/svg}svg"


def test_module_fails_with_the_first_violation(run_module):
    shot = load()
    out = run_module({"name": "myapp", "checks": ["storage", "dns"],
                      "expected_volumes": {"0": "pv001", "1": "pv002", "2": "pv004"}}, FakeCluster(shot), FakeProbe(shot))
    assert out.failed
    assert out.result["msg"] == "storage check: claim myappdata-myapp-2 of myapp-2 is bound to pv003, expected pv004"
    assert out.result["valid"] is False and out.result["changed"] is False


def test_module_reports_without_failing_when_asked(run_module):
    shot = load()
    out = run_module({"name": "myapp", "checks": ["storage"], "fail_on_violation": False,
                      "expected_volumes": {"0": "pv009"}}, FakeCluster(shot), FakeProbe(shot))
    assert not out.failed and out.result["valid"] is False
    assert out.result["violations"][0]["message"].endswith("expected pv009")


def test_module_bad_option_fails_before_connecting(run_module):
    out = run_module({"name": "myapp", "dns_port": 0}, cluster=None)
    assert out.failed and out.result["msg"].startswith("dns_port: must be between 1 and 65535")


def test_module_missing_statefulset(run_module):
    shot = load()
    shot["statefulset"] = None
    out = run_module({"name": "myapp"}, FakeCluster(shot), FakeProbe(load()))
    assert out.failed and out.result["msg"] == "StatefulSet default/myapp not found"
    out = run_module({"name": "myapp"}, FakeCluster(shot), FakeProbe(load()), check_mode=True)
    assert not out.failed and "check mode: StatefulSet default/myapp not found" in out.result["msg"]
