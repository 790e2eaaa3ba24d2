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


def test_failure_message_counts_the_others():
    assert failure_message(_violations(1)) == "storage check: problem 0"
    assert failure_message(_violations(2)) == "storage check: problem 0 (and 1 more violation)"


def test_storage_summary_without_pins_claims_no_expectation(shot):
    result = evaluate(params(checks=["storage"], expected_volumes=None), shot)
    assert result["checks"]["storage"]["summary"] == "3 of 3 claims Bound"
    result = evaluate(params(checks=["storage"]), shot)
    assert result["checks"]["storage"]["summary"] == "3 of 3 claims Bound to the expected volumes"
