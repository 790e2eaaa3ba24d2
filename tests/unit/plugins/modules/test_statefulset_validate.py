# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""statefulset_validate end to end (main) with the cluster and DNS replaced by stand-ins:
option errors, check mode, report files, failure msg. The runner's own tests are in
tests/unit/plugins/module_utils/validator/."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from xml.etree import ElementTree

import pytest

from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.stateful.nfs.plugins.module_utils.validator import runner
from ansible_collections.stateful.nfs.plugins.module_utils.validator.client import ApiException
from ansible_collections.stateful.nfs.plugins.modules import statefulset_validate
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.fakes import (
    FakeCluster,
    FakeProbe,
    load,
)


@pytest.fixture
def run_module(monkeypatch, run_main):
    """The shared harness (conftest.py) with the cluster and DNS stand-ins wired into the runner."""
    def _run(args, cluster=None, probe=None, check_mode=False):
        monkeypatch.setattr(runner, "get_api_client", lambda module: type("C", (), {"client": None})())
        monkeypatch.setattr(runner, "StatefulSetClient", lambda dynamic: cluster)
        monkeypatch.setattr(runner, "DnsProbe", lambda *a: probe)
        monkeypatch.setattr(runner, "ApiDnsProbe", lambda *a: probe)
        return run_main(statefulset_validate, args, check_mode=check_mode)
    return _run


def test_module_writes_reports_and_never_changes(run_module, tmp_path):
    shot = load()
    junit, svg = tmp_path / "out" / "r.xml", tmp_path / "r.svg"
    out = run_module({"name": "myapp", "dns_server": "127.0.0.1", "dns_port": 10053, "junit_path": str(junit), "svg_path": str(svg),
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


def test_module_client_error_is_one_clean_failure(run_main, monkeypatch):
    def refuse(module):
        raise CoreException("Could not create API client: Invalid kube-config file. No configuration found.")

    monkeypatch.setattr(runner, "get_api_client", refuse)
    out = run_main(statefulset_validate, {"name": "myapp"})
    assert out.failed and out.result["msg"].startswith("Could not create API client: Invalid kube-config file")


def test_module_api_error_is_one_clean_failure(run_module):
    class Refusing(FakeCluster):
        def snapshot(self, namespace, name, checks, with_pods=None):
            raise ApiException(status=403, reason="Forbidden")

    out = run_module({"name": "myapp"}, Refusing(load()), FakeProbe(load()))
    assert out.failed and out.result["msg"] == "Kubernetes API error: 403 Forbidden"


def test_module_refuses_a_string_for_the_checks(run_module):
    # Ansible's list type would split it into [order, dns] and run a selection the user never wrote
    out = run_module({"name": "myapp", "checks": "order,dns"}, cluster=None)
    assert out.failed and out.result["msg"].startswith("checks: must be a list, got the string 'order,dns'")
