# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verdict: how the module ends for a result (not found, check mode, violations, report
paths). ``evaluate`` itself is exercised by the check, report and recorded tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.validator.verdict import (
    evaluate,
    failure_message,
    module_answer,
)
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.fakes import params


def _violations(count):
    return [{"check": "storage", "pod": "myapp-%d" % i, "message": "problem %d" % i} for i in range(count)]


def test_missing_statefulset_fails_except_in_check_mode():
    failed, fields = module_answer(params(), None)
    assert failed and fields == {"msg": "StatefulSet default/myapp not found", "valid": False, "changed": False}
    failed, fields = module_answer(params(), None, check_mode=True)
    assert not failed and fields["valid"] is True and fields["changed"] is False
    assert fields["msg"] == "check mode: StatefulSet default/myapp not found; nothing to validate yet"
    assert fields["checks"] == {} and fields["junit_path"] is None and fields["svg_path"] is None


def test_valid_result_exits_without_the_internal_keys(shot):
    result = evaluate(params(checks=["order", "completion", "storage"]), shot)
    failed, fields = module_answer(params(junit_path="/r/j.xml", svg_path="/r/t.svg"), result, {"/r/j.xml": "x"})
    assert not failed and fields["valid"] is True
    assert "_timeline" not in fields and "pod_names" not in fields
    assert "_timeline" in result  # the caller's result is left as it was
    assert fields["junit_path"] == "/r/j.xml" and fields["svg_path"] is None  # only what was written


def test_violations_fail_with_the_first_unless_told_not_to():
    result = {"valid": False, "violations": _violations(3), "changed": False}
    failed, fields = module_answer(params(), result)
    assert failed and fields["msg"] == "storage check: problem 0 (and 2 more violations)"
    failed, fields = module_answer(params(fail_on_violation=False), result)
    assert not failed and "msg" not in fields and fields["valid"] is False


def test_problem_details_keep_only_the_pods_a_violation_names(shot):
    shot["claims"][1]["spec"]["volumeName"] = "pv009"  # myapp-1's claim bound elsewhere
    result = evaluate(params(checks=["order", "completion", "storage"], fail_on_violation=False), shot)
    _failed, full = module_answer(params(fail_on_violation=False), result)
    assert [p["name"] for p in full["pods"]] == ["myapp-0", "myapp-1", "myapp-2"]
    _failed, short = module_answer(params(fail_on_violation=False, pod_details="problems"), result)
    assert set(v["pod"] for v in short["violations"]) == {"myapp-1"}
    assert [p["name"] for p in short["pods"]] == ["myapp-1"]
    assert [c["pod"] for c in short["storage"]] == ["myapp-1"]
    # everything but the per-pod lists is the same, and the caller's result keeps every pod
    assert dict(short, pods=None, storage=None) == dict(full, pods=None, storage=None)
    assert len(result["pods"]) == 3 and len(result["storage"]) == 3


def test_problem_details_of_a_valid_result_are_empty_lists(shot):
    result = evaluate(params(checks=["order", "completion", "storage"]), shot)
    failed, fields = module_answer(params(pod_details="problems"), result)
    assert not failed and fields["valid"] is True
    assert fields["pods"] == [] and fields["storage"] == [] and fields["dns"] == [] and fields["events"] == []
    assert fields["checks"]["storage"]["summary"] == "3 of 3 claims Bound to the expected volumes"


def test_problem_details_filter_watch_events_and_dns_entries_by_pod():
    violations = [{"check": "dns", "pod": "web-1", "message": "m"}, {"check": "order", "pod": None, "message": "m"}]
    result = {"valid": False, "changed": False, "violations": violations,
              "pods": [], "storage": [], "dns": [{"pod": "web-0"}, {"pod": "web-1"}],
              "events": [{"pod": "web-1", "event": "ADDED"}, {"pod": "web-2", "event": "ADDED"}]}
    _failed, fields = module_answer(params(fail_on_violation=False, pod_details="problems"), result)
    assert fields["dns"] == [{"pod": "web-1"}] and fields["events"] == [{"pod": "web-1", "event": "ADDED"}]


def test_failure_message_counts_the_others():
    assert failure_message(_violations(1)) == "storage check: problem 0"
    assert failure_message(_violations(2)) == "storage check: problem 0 (and 1 more violation)"


def test_storage_summary_without_pins_claims_no_expectation(shot):
    result = evaluate(params(checks=["storage"], expected_volumes=None), shot)
    assert result["checks"]["storage"]["summary"] == "3 of 3 claims Bound"
    result = evaluate(params(checks=["storage"]), shot)
    assert result["checks"]["storage"]["summary"] == "3 of 3 claims Bound to the expected volumes"
