# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report as JSON, JUnit XML and Markdown."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from xml.etree import ElementTree

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.report.drift import result_changes
from ansible_collections.stateful.nfs.plugins.module_utils.report.fields import DiffInputError
from ansible_collections.stateful.nfs.plugins.module_utils.report.outputs import (
    MARKDOWN_DIFF_LINES, report_junit, markdown, new_report, report_json)


def _report(k8s_multi_result, template_result, errors=()):
    report = new_report(check_mode=True)
    for host, task, action, result in (("cp", "statefulset : Apply", "kubernetes.core.k8s", k8s_multi_result),
                                       ("nfs1", "nfs_server : Exports", "ansible.builtin.template", template_result)):
        for entry in result_changes(result, action):
            entry.update(host=host, task=task, action=action)
            report["drift"].append(entry)
    report["unchanged"].append({"host": "nfs1", "task": "nfs_server : Packages", "action": "ansible.builtin.apt"})
    report["errors"].extend(errors)
    return report


def test_json_has_the_verdict_counts_and_changes(k8s_multi_result, template_result):
    done = json.loads(report_json(_report(k8s_multi_result, template_result)))
    assert (done["status"], done["exit_code"], done["check_mode"]) == ("drift", 2, True)
    assert done["counts"] == {"cp": {"drift": 1, "unchanged": 0, "errors": 0}, "nfs1": {"drift": 1, "unchanged": 1, "errors": 0}}
    assert [(d["host"], d["resource"]) for d in done["drift"]] == [("cp", "StatefulSet default/myapp"), ("nfs1", "/etc/exports")]
    assert done["drift"][0]["changes"][0] == {"path": "spec.replicas", "op": "change", "before": 3, "after": 5}


def test_junit_fails_one_case_per_drifted_resource(k8s_multi_result, template_result):
    root = ElementTree.fromstring(report_junit(_report(k8s_multi_result, template_result)))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "2", "0")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert sorted(suites) == ["drift cp", "drift nfs1"]
    case = suites["drift cp"].find("testcase")
    assert case.get("name") == "statefulset : Apply: StatefulSet default/myapp"
    assert case.find("failure").get("message") == "StatefulSet default/myapp would change (kubernetes.core.k8s)"
    assert case.find("failure").text.startswith("~ spec.replicas: 3 -> 5")
    passing = [c for c in suites["drift nfs1"].findall("testcase") if c.find("failure") is None]
    assert [c.get("name") for c in passing] == ["nfs_server : Packages"]


def test_errors_are_error_cases_and_win_over_drift(k8s_multi_result, template_result):
    errors = [{"host": "nfs2", "task": "Gathering Facts", "action": "ansible.builtin.gather_facts",
               "message": "ssh: connect to host nfs2 port 22: No route", "unreachable": True}]
    report = _report(k8s_multi_result, template_result, errors)
    root = ElementTree.fromstring(report_junit(report))
    error = root.find("testsuite[@name='drift nfs2']/testcase/error")
    assert (error.get("type"), error.get("message")) == ("unreachable", "ssh: connect to host nfs2 port 22: No route")
    text = markdown(report)
    assert text.startswith("## Drift plan: error\n") and "Exit code 1." in text
    assert "- nfs2, Gathering Facts: ssh: connect to host nfs2 port 22: No route" in text


def test_markdown_summary(k8s_multi_result, template_result):
    text = markdown(_report(k8s_multi_result, template_result))
    assert text.splitlines()[:3] == [
        "## Drift plan: drift found", "",
        "2 resource(s) would change on 2 host(s); 1 task(s) unchanged; 0 error(s). Exit code 2."]
    assert ("| cp | statefulset : Apply | StatefulSet default/myapp | `spec.replicas`, "
            "`spec.template.spec.containers[name=nginx].image` |") in text
    assert "| nfs1 | nfs_server : Exports | /etc/exports | content: +1 -1 line(s) |" in text
    assert "```diff\n~ spec.replicas: 3 -> 5\n" in text


def test_markdown_of_a_clean_run_and_a_long_diff():
    report = new_report(check_mode=True)
    assert markdown(report) == ("## Drift plan: no drift\n\n0 resource(s) would change on 0 host(s); 0 task(s) unchanged; "
                                "0 error(s). Exit code 0.\n")
    report["drift"].append({"host": "h", "task": "t", "action": "a", "type": "other", "resource": "r",
                            "diff": "\n".join("line %d" % i for i in range(100))})
    text = markdown(report)
    assert "line %d\n" % (MARKDOWN_DIFF_LINES - 1) in text and "line %d\n" % MARKDOWN_DIFF_LINES not in text
    assert "... %d more line(s) in drift.json" % (100 - MARKDOWN_DIFF_LINES) in text


def test_a_report_without_its_lists_is_refused():
    with pytest.raises(DiffInputError, match="^report.errors: expected a list, got NoneType"):
        report_json({"check_mode": True, "drift": [], "unchanged": [], "errors": None})
