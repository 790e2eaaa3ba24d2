# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JUnit XML report of a validation result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from xml.etree import ElementTree

from ansible_collections.stateful.nfs.plugins.module_utils.validator.junit import junit_xml
from ansible_collections.stateful.nfs.plugins.module_utils.validator.verdict import evaluate
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.fakes import report_params as params


def test_junit_has_a_suite_per_selected_check_and_a_case_per_pod(shot):
    result = evaluate(params(expected_volumes={"0": "pv001", "1": "pv002", "2": "pv004"}), shot)
    result["_durations"] = {"checks": {"order": 0.25, "completion": 0.0001, "storage": 1.5}, "run": 2.0}
    root = ElementTree.fromstring(junit_xml(result))
    suites = root.findall("testsuite")
    names = ["default/myapp order", "default/myapp completion", "default/myapp storage"]
    assert [s.get("name") for s in suites] == names
    assert [c.get("name") for c in suites[0].findall("testcase")] == ["myapp", "myapp-0", "myapp-1", "myapp-2"]
    assert root.get("tests") == "12" and root.get("failures") == "1"
    storage = suites[2]
    failed = [c for c in storage.findall("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["myapp-2"]
    assert failed[0].find("failure").get("message") == \
        "claim myappdata-myapp-2 of myapp-2 is bound to pv003, expected pv004"
    assert storage.get("failures") == "1" and storage.get("time") == "1.500000"
    assert "passed" in suites[0].find("testcase").find("system-out").text


def test_junit_statefulset_level_failure(shot):
    shot["statefulset"]["status"]["readyReplicas"] = 1
    result = evaluate(params(checks=["completion"]), shot)
    root = ElementTree.fromstring(junit_xml(result))
    case = root.find("testsuite").find("testcase")
    assert case.get("name") == "myapp"
    assert "status.readyReplicas is 1, waiting for 3" in case.find("failure").get("message")


def test_junit_times_are_the_measured_durations(shot):
    result = evaluate(params(), shot)
    result["_durations"] = {"checks": {"order": 0.25, "completion": 0.00002, "storage": 1.2}, "run": 2.0}
    root = ElementTree.fromstring(junit_xml(result))
    assert root.get("time") == "2.000000"  # the whole run, shared reads included
    times = dict((s.get("name").split()[-1], s) for s in root.findall("testsuite"))
    for check, seconds in result["_durations"]["checks"].items():
        suite = times[check]
        cases = [float(c.get("time")) for c in suite.findall("testcase")]
        assert float(suite.get("time")) == seconds
        # one pass judges every case: equal shares that add up to the suite
        assert len(set(cases)) == 1 and abs(sum(cases) - seconds) < 1e-5 and cases[0] > 0, check


def test_junit_without_measurements_says_zero(shot):
    root = ElementTree.fromstring(junit_xml(evaluate(params(checks=["order"]), shot)))
    assert set(c.get("time") for c in root.iter("testcase")) == {"0.000000"}
