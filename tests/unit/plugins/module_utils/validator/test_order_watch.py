# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The order check in watch mode (replayed watch records)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.validator.order_watch import (
    controller_deletes_since,
    watch_order,
)

T0 = 1795762800  # 2026-11-27T07:00:00Z


def _cond(pod, kind):
    return [c for c in pod["status"]["conditions"] if c["type"] == kind][0]


def _state(pod, ready, terminating=False):
    pod = copy.deepcopy(pod)
    _cond(pod, "Ready")["status"] = "True" if ready else "False"
    if terminating:
        pod["metadata"]["deletionTimestamp"] = "2026-11-27T07:10:00Z"
    return pod


class Recorder:
    def __init__(self, sts):
        self.records = [{"seq": 0, "time": 0.0, "kind": "StatefulSet", "type": "INITIAL", "object": sts}]

    def add(self, kind_type, obj, kind="Pod"):
        self.records.append({"seq": len(self.records), "time": float(len(self.records)), "kind": kind,
                             "type": kind_type, "object": obj})
        return self


def _rollout(shot, order=(0, 1, 2)):
    rec = Recorder(shot["statefulset"])
    for index in order:
        pod = shot["pods"][index]
        rec.add("ADDED", _state(pod, False)).add("MODIFIED", _state(pod, True))
    return rec


def test_watch_ordered_rollout_passes_with_an_event_log(shot):
    result = watch_order(_rollout(shot).records, "myapp")
    assert result["status"] == "passed", result["violations"]
    assert result["evidence"] == "watch"
    assert [(e["event"], e["pod"]) for e in result["events"]] == [
        ("ADDED", "myapp-0"), ("READY", "myapp-0"), ("ADDED", "myapp-1"), ("READY", "myapp-1"),
        ("ADDED", "myapp-2"), ("READY", "myapp-2")]
    assert [(r["name"], r["created"], r["ready"]) for r in result["timeline"]] == [
        ("myapp-0", 1.0, 2.0), ("myapp-1", 3.0, 4.0), ("myapp-2", 5.0, 6.0)]


def test_watch_flags_a_pod_created_before_its_predecessor_was_ready(shot):
    rec = Recorder(shot["statefulset"])
    rec.add("ADDED", _state(shot["pods"][0], False)).add("ADDED", _state(shot["pods"][1], False))
    result = watch_order(rec.records, "myapp")
    assert result["status"] == "failed"
    assert result["violations"][0]["message"].startswith("myapp-1 was created while myapp-0 was not Ready")


def test_watch_flags_a_pod_created_while_a_lower_ordinal_is_missing(shot):
    rec = Recorder(shot["statefulset"]).add("ADDED", _state(shot["pods"][2], False))
    result = watch_order(rec.records, "myapp")
    assert result["violations"][0]["message"].startswith("myapp-2 was created while myapp-0 did not exist")


def test_watch_scale_down_highest_first_one_at_a_time_passes(shot):
    rec = Recorder(shot["statefulset"])
    for pod in shot["pods"]:
        rec.records.append({"seq": 0, "time": 0.0, "kind": "Pod", "type": "INITIAL", "object": pod})
    for pod in (shot["pods"][2], shot["pods"][1]):
        rec.add("MODIFIED", _state(pod, True, terminating=True)).add("DELETED", _state(pod, False, terminating=True))
    result = watch_order(rec.records, "myapp", controller_deletes={"myapp-1", "myapp-2"})
    assert result["violations"] == []
    assert [(e["event"], e["pod"]) for e in result["events"]] == [
        ("TERMINATING", "myapp-2"), ("NOT_READY", "myapp-2"), ("DELETED", "myapp-2"),
        ("TERMINATING", "myapp-1"), ("NOT_READY", "myapp-1"), ("DELETED", "myapp-1")]
    deleted = [r["deleted"] for r in result["timeline"]]
    assert deleted[0] is None and deleted[2] < deleted[1]


def test_watch_scale_down_in_the_wrong_order_fails(shot):
    rec = Recorder(shot["statefulset"])
    for pod in shot["pods"]:
        rec.records.append({"seq": 0, "time": 0.0, "kind": "Pod", "type": "INITIAL", "object": pod})
    rec.add("MODIFIED", _state(shot["pods"][1], True, terminating=True))
    rec.add("MODIFIED", _state(shot["pods"][2], True, terminating=True))
    result = watch_order(rec.records, "myapp", controller_deletes={"myapp-1", "myapp-2"})
    messages = [v["message"] for v in result["violations"]]
    assert "myapp-1 was deleted at" in messages[0]
    assert "myapp-2, a higher ordinal on the same revision, still existed (highest ordinal first)" in messages[0]
    assert "myapp-2 was deleted at" in messages[1]
    assert "while myapp-1 was still terminating (one pod at a time)" in messages[1]


def test_watch_deletion_by_someone_else_is_a_note_not_a_violation(shot):
    rec = Recorder(shot["statefulset"])
    for pod in shot["pods"]:
        rec.records.append({"seq": 0, "time": 0.0, "kind": "Pod", "type": "INITIAL", "object": pod})
    rec.add("DELETED", _state(shot["pods"][0], True, terminating=True))
    result = watch_order(rec.records, "myapp", controller_deletes=set())
    assert result["violations"] == []
    assert any("someone other than the controller" in n for n in result["notes"])


def test_watch_rolling_update_goes_from_the_highest_ordinal(shot):
    sts = copy.deepcopy(shot["statefulset"])
    sts["status"]["updateRevision"] = "myapp-new"
    rec = Recorder(shot["statefulset"])
    for pod in shot["pods"]:
        rec.records.append({"seq": 0, "time": 0.0, "kind": "Pod", "type": "INITIAL", "object": pod})
    rec.add("MODIFIED", sts, kind="StatefulSet")
    updated = []
    for index in (1, 2):  # wrong: myapp-1 before myapp-2
        pod = _state(shot["pods"][index], True)
        pod["metadata"]["uid"] += "-new"
        pod["metadata"]["labels"]["controller-revision-hash"] = "myapp-new"
        rec.add("DELETED", _state(shot["pods"][index], False, terminating=True)).add("ADDED", pod)
        updated.append(pod)
    result = watch_order(rec.records, "myapp")
    assert any(v["message"].startswith("myapp-1 was updated to myapp-new before the higher ordinal(s) myapp-2")
               for v in result["violations"])


def test_watch_parallel_is_unordered(shot):
    shot["statefulset"]["spec"]["podManagementPolicy"] = "Parallel"
    rec = Recorder(shot["statefulset"])
    for pod in shot["pods"]:
        rec.add("ADDED", _state(pod, False))
    result = watch_order(rec.records, "myapp")
    assert result["status"] == "unordered"
    assert result["violations"] == []
    assert len(result["events"]) == 3


def test_watch_without_statefulset_is_an_error(shot):
    with pytest.raises(ValueError, match="no StatefulSet myapp"):
        watch_order([], "myapp")


def _delete_event(pod, when):
    stamp = "2026-11-27T07:%02d:%02dZ" % divmod(int(when - T0) % 3600, 60)
    return {"metadata": {"name": "myapp.%x" % int(when * 10 ** 9), "namespace": "default"},
            "involvedObject": {"kind": "StatefulSet", "name": "myapp", "namespace": "default"},
            "reason": "SuccessfulDelete", "message": "delete Pod %s in StatefulSet myapp successful" % pod,
            "source": {"component": "statefulset-controller"}, "firstTimestamp": stamp,
            "lastTimestamp": stamp, "count": 1, "type": "Normal"}


def test_controller_deletes_since_the_watch_started():
    events = [_delete_event("myapp-2", T0 + 10), _delete_event("myapp-1", T0 + 60), _delete_event("myapp-0", T0 + 61)]
    assert controller_deletes_since(events, "myapp", T0 + 60.5) == {"myapp-1", "myapp-0"}  # 1 s resolution
    assert controller_deletes_since(events, "other", T0) == set()
    assert controller_deletes_since([], "myapp", T0) is None  # no events at all: unknown


# --------------------------------------------------------------------------- pods the controller did not create

def _orphan(pod, ready):
    pod = _state(pod, ready)
    del pod["metadata"]["ownerReferences"]
    return pod


def test_watch_pod_added_without_controller_reference_is_reported_not_judged_as_a_creation(shot):
    rec = Recorder(shot["statefulset"])
    rec.add("ADDED", _orphan(shot["pods"][2], False))  # myapp-0 and myapp-1 do not exist
    adopted = _state(shot["pods"][2], True)
    rec.add("MODIFIED", adopted)
    result = watch_order(rec.records, "myapp")
    assert [v["pod"] for v in result["violations"]] == ["myapp-2"]
    assert result["violations"][0]["message"] == (
        "myapp-2 was not created by the StatefulSet controller (it appeared at 1970-01-01T00:00:01.000Z without a "
        "controller reference to the StatefulSet): it was adopted, so its place in the rollout order is not the "
        "controller's")
    assert result["adopted"] == ["myapp-2"]
    assert result["decided"] == 0  # not judged as a creation of the controller ("while myapp-0 did not exist")


def test_watch_initial_orphan_is_reported(shot):
    rec = Recorder(shot["statefulset"])
    for pod in shot["pods"][:2]:
        rec.records.append({"seq": 0, "time": 0.0, "kind": "Pod", "type": "INITIAL", "object": pod})
    orphan = _orphan(shot["pods"][2], True)
    rec.records.append({"seq": 0, "time": 0.0, "kind": "Pod", "type": "INITIAL", "object": orphan})
    result = watch_order(rec.records, "myapp")
    assert [v["pod"] for v in result["violations"]] == ["myapp-2"]
    assert "it had no controller reference to the StatefulSet when first seen" in result["violations"][0]["message"]
    assert result["violations"][0]["message"].endswith("it is an orphan with the StatefulSet's labels and name, "
                                                       "which the controller adopts, so its place in the rollout "
                                                       "order is not the controller's")


def test_watch_pod_older_than_the_statefulset_is_reported(shot):
    sts = copy.deepcopy(shot["statefulset"])
    sts["metadata"]["creationTimestamp"] = "2026-11-27T07:00:02Z"
    rec = Recorder(sts)
    for pod in shot["pods"]:
        rec.records.append({"seq": 0, "time": 0.0, "kind": "Pod", "type": "INITIAL", "object": pod})
    result = watch_order(rec.records, "myapp")
    assert result["adopted"] == ["myapp-0", "myapp-1"]
    assert ("created 2026-11-27T07:00:00.000Z, before the StatefulSet at 2026-11-27T07:00:02.000Z"
            in result["violations"][0]["message"])


def test_watch_orphan_that_is_gone_at_the_end_is_a_note(shot):
    rec = Recorder(shot["statefulset"])
    rec.add("ADDED", _state(shot["pods"][0], False)).add("MODIFIED", _state(shot["pods"][0], True))
    rec.add("ADDED", _orphan(shot["pods"][1], True))
    rec.add("DELETED", _state(shot["pods"][1], True, terminating=True))  # the controller replaces it
    replacement = _state(shot["pods"][1], False)
    replacement["metadata"]["uid"] += "-new"
    rec.add("ADDED", replacement).add("MODIFIED", _state(replacement, True))
    result = watch_order(rec.records, "myapp", controller_deletes={"myapp-1"})
    assert result["violations"] == [] and result["adopted"] == []
    assert any(n.startswith("myapp-1 (uid %s), gone at" % shot["pods"][1]["metadata"]["uid"]) and
               "was not created by the StatefulSet controller" in n for n in result["notes"])
