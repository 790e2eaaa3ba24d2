# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The order check in audit mode (timestamps, events, revisions)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.validator.order_audit import audit_order


def _cond(pod, kind):
    return [c for c in pod["status"]["conditions"] if c["type"] == kind][0]


def _event(action, pod, when_ns, count=1, last=None):
    stamp = "2026-11-27T07:%02d:%02dZ" % divmod(int(when_ns // 10 ** 9) % 3600, 60)
    return {"metadata": {"name": "myapp.%x" % when_ns, "namespace": "default"},
            "involvedObject": {"kind": "StatefulSet", "name": "myapp", "namespace": "default"},
            "reason": "SuccessfulCreate" if action == "create" else "SuccessfulDelete",
            "message": "%s Pod %s in StatefulSet myapp successful" % (action, pod),
            "source": {"component": "statefulset-controller"}, "firstTimestamp": stamp,
            "lastTimestamp": last or stamp, "count": count, "type": "Normal"}


T0_NS = 1795762800 * 10 ** 9  # 2026-11-27T07:00:00Z


def test_audit_tutorial_rollout_passes(shot):
    result = audit_order(shot["statefulset"], shot["pods"], shot["events"])
    assert result["status"] == "passed", result["violations"]
    assert result["violations"] == []
    assert result["evidence"] == "audit"
    assert result["decided"] == 3 and result["undecided"] == 0
    assert [r["name"] for r in result["timeline"]] == ["myapp-0", "myapp-1", "myapp-2"]
    # the create event's name (UnixNano) refines the whole-second creationTimestamp
    assert result["timeline"][1]["created"] == pytest.approx(1795762801.012, abs=1e-3)


def test_audit_flags_a_pod_created_while_a_lower_one_was_not_ready(shot):
    _cond(shot["pods"][1], "Ready").update(status="False", lastTransitionTime="2026-11-27T07:00:01Z")
    shot["pods"][2]["metadata"]["creationTimestamp"] = "2026-11-27T07:00:05Z"
    result = audit_order(shot["statefulset"], shot["pods"], shot["events"])
    assert result["status"] == "failed"
    assert result["violations"][0]["pod"] == "myapp-2"
    assert "myapp-2 was created at 2026-11-27T07:00:05.000Z while myapp-1 was not Ready" in \
        result["violations"][0]["message"]


def test_audit_flags_min_ready_seconds(shot):
    shot["statefulset"]["spec"]["minReadySeconds"] = 5
    shot["pods"][2]["metadata"]["creationTimestamp"] = "2026-11-27T07:00:04Z"
    for pod in shot["pods"][:1]:
        _cond(pod, "Ready")["lastTransitionTime"] = "2026-11-27T06:00:00Z"
    shot["pods"][1]["metadata"]["creationTimestamp"] = "2026-11-27T06:10:00Z"
    _cond(shot["pods"][1], "Ready")["lastTransitionTime"] = "2026-11-27T07:00:01Z"
    result = audit_order(shot["statefulset"], shot["pods"], [])
    assert [v["pod"] for v in result["violations"]] == ["myapp-2"]
    assert "3 s after myapp-1 became Ready" in result["violations"][0]["message"]
    assert "minReadySeconds is 5" in result["violations"][0]["message"]


def test_audit_same_second_with_min_ready_is_undecided_not_failed(shot):
    shot["statefulset"]["spec"]["minReadySeconds"] = 1
    result = audit_order(shot["statefulset"], shot["pods"], shot["events"])
    assert result["violations"] == []
    assert result["undecided"] == 2
    assert any("1 s resolution" in n for n in result["notes"])


def test_audit_reports_the_halt_at_a_never_ready_pod(shot):
    _cond(shot["pods"][1], "Ready").update(status="False", reason="ContainersNotReady")
    del shot["pods"][2]
    result = audit_order(shot["statefulset"], shot["pods"], shot["events"][:4])
    assert result["status"] == "halted"
    assert result["violations"] == []
    assert result["halted_at"]["pod"] == "myapp-1"
    assert result["halted_at"]["higher_ordinals"] == []
    assert result["summary"].startswith("rollout halted at myapp-1, which is not Ready (phase Running; Ready=False")
    assert result["summary"].endswith("no higher ordinal was created")


def test_audit_parallel_is_unordered_not_failed(shot):
    shot["statefulset"]["spec"]["podManagementPolicy"] = "Parallel"
    _cond(shot["pods"][0], "Ready")["status"] = "False"
    result = audit_order(shot["statefulset"], shot["pods"], shot["events"])
    assert result["status"] == "unordered"
    assert result["violations"] == []
    assert "Parallel" in result["summary"] and "by design" in result["summary"]


def test_audit_deletions_must_go_highest_first(shot):
    events = [_event("delete", "myapp-1", T0_NS + 60 * 10 ** 9), _event("delete", "myapp-2", T0_NS + 62 * 10 ** 9)]
    result = audit_order(shot["statefulset"], shot["pods"][:1], events)
    assert result["status"] == "failed"
    assert "myapp-2 was deleted at 2026-11-27T07:01:02.000Z after myapp-1" in result["violations"][0]["message"]
    good = [_event("delete", "myapp-2", T0_NS + 60 * 10 ** 9), _event("delete", "myapp-1", T0_NS + 62 * 10 ** 9)]
    assert audit_order(shot["statefulset"], shot["pods"][:1], good)["violations"] == []
    # the deleted incarnations show up in the timeline
    rows = audit_order(shot["statefulset"], shot["pods"][:1], good)["timeline"]
    assert [(r["name"], r["source"]) for r in rows] == [("myapp-0", "pod"), ("myapp-1", "events"), ("myapp-2", "events")]


def test_audit_deletions_separated_by_a_creation_are_not_compared(shot):
    events = [_event("delete", "myapp-1", T0_NS + 60 * 10 ** 9), _event("create", "myapp-1", T0_NS + 61 * 10 ** 9),
              _event("delete", "myapp-2", T0_NS + 65 * 10 ** 9)]
    assert audit_order(shot["statefulset"], shot["pods"], events)["violations"] == []


def test_audit_rolling_update_must_go_from_the_highest_ordinal(shot):
    sts = shot["statefulset"]
    sts["status"]["updateRevision"] = "myapp-new"
    shot["pods"][1]["metadata"]["labels"]["controller-revision-hash"] = "myapp-new"
    result = audit_order(sts, shot["pods"], shot["events"])
    assert result["status"] == "failed"
    assert "myapp-1 runs the update revision myapp-new while the higher ordinal(s) myapp-2 do not" in \
        result["violations"][0]["message"]
    shot["pods"][2]["metadata"]["labels"]["controller-revision-hash"] = "myapp-new"
    assert audit_order(sts, shot["pods"], shot["events"])["violations"] == []
