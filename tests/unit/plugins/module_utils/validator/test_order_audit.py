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
    # myapp-1 and myapp-2 were created in the second their predecessor turned Ready: whole seconds
    # cannot order those two pairs, so they are undecided (not "consistent"); myapp-2 after myapp-0 is decided
    assert result["decided"] == 1 and result["undecided"] == 2
    assert result["adopted"] == [] and result["unchecked"] == []
    assert result["summary"] == ("StatefulSet myapp: no order violation in the audit evidence; undecided: 2 "
                                 "creation(s) in the same second as a lower pod's Ready transition")
    assert [r["name"] for r in result["timeline"]] == ["myapp-0", "myapp-1", "myapp-2"]
    # the create event's name (UnixNano) refines the whole-second creationTimestamp
    assert result["timeline"][1]["created"] == pytest.approx(1795762801.012, abs=1e-3)


def test_audit_flags_a_pod_created_while_a_lower_one_was_not_ready(shot):
    _cond(shot["pods"][1], "Ready").update(status="False", lastTransitionTime="2026-11-27T07:00:01Z")
    shot["pods"][2]["metadata"]["creationTimestamp"] = "2026-11-27T07:00:05Z"
    # the controller's create event moves with the creation (else myapp-2 would not be the controller's)
    events = [e for e in shot["events"] if not e["message"].startswith("create Pod myapp-2")]
    events.append(_event("create", "myapp-2", T0_NS + 5 * 10 ** 9 + 12345678))
    result = audit_order(shot["statefulset"], shot["pods"], events)
    assert result["status"] == "failed"
    assert result["violations"][0]["pod"] == "myapp-2"
    assert "myapp-2 was created at 2026-11-27T07:00:05.000Z while myapp-1 was not Ready" in \
        result["violations"][0]["message"]


def test_audit_flags_min_ready_seconds(shot):
    shot["statefulset"]["spec"]["minReadySeconds"] = 5
    # the StatefulSet and myapp-0 are from 06:00 (else myapp-1, created 06:10, would predate the StatefulSet)
    shot["statefulset"]["metadata"]["creationTimestamp"] = "2026-11-27T06:00:00Z"
    shot["pods"][0]["metadata"]["creationTimestamp"] = "2026-11-27T06:00:00Z"
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


def test_audit_deletions_with_creations_lost_in_aggregated_events_are_not_compared(shot):
    # scaled 3 -> 1 -> 3 three times within the hour: client-go folds each pod's repeated event into one
    # (count, first and last occurrence), so the creations between the second and third scale-down are
    # known only as "somewhere between the first and the last" - not as no creation at all
    s = 10 ** 9
    events = [_event("create", "myapp-1", T0_NS + 1 * s, count=4, last="2026-11-27T07:02:10Z"),
              _event("create", "myapp-2", T0_NS + 2 * s, count=4, last="2026-11-27T07:02:11Z"),
              _event("delete", "myapp-2", T0_NS + 60 * s, count=3, last="2026-11-27T07:02:00Z"),
              _event("delete", "myapp-1", T0_NS + 61 * s, count=3, last="2026-11-27T07:02:01Z")]
    result = audit_order(shot["statefulset"], shot["pods"], events)
    assert result["violations"] == []
    # the same deletions with every creation known (one occurrence each, none in between) are compared
    lone = [_event("create", "myapp-1", T0_NS + 1 * s), _event("create", "myapp-2", T0_NS + 2 * s),
            _event("delete", "myapp-1", T0_NS + 61 * s), _event("delete", "myapp-2", T0_NS + 120 * s)]
    messages = [v["message"] for v in audit_order(shot["statefulset"], shot["pods"], lone)["violations"]]
    assert any(m.startswith("myapp-2 was deleted at 2026-11-27T07:02:00.000Z after myapp-1") for m in messages)


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


# --------------------------------------------------------------------------- whole seconds decide, or they do not

def test_audit_inversion_shown_by_whole_seconds_is_a_violation_naming_both_pods_and_times(shot):
    # myapp-0 (Ready since 07:00:01 in the fixture) turned Ready at 07:00:04: after myapp-1 (07:00:01) was created
    _cond(shot["pods"][0], "Ready")["lastTransitionTime"] = "2026-11-27T07:00:04Z"
    result = audit_order(shot["statefulset"], shot["pods"], shot["events"])
    assert result["status"] == "failed"
    assert result["violations"][0] == {
        "check": "order", "pod": "myapp-1",
        "message": "myapp-1 was created at 2026-11-27T07:00:01.000Z, 3 s before myapp-0 became Ready at "
                   "2026-11-27T07:00:04.000Z (its last Ready transition): OrderedReady creates pod N only after "
                   "pods 0..N-1 are Ready"}
    assert [v["pod"] for v in result["violations"]] == ["myapp-1", "myapp-2"]  # myapp-2 (07:00:02) as well
    assert result["decided"] == 2 and result["undecided"] == 1  # only (myapp-1, myapp-2) shares a second


def test_audit_equal_whole_seconds_are_undecided_not_passed_as_in_order(shot):
    _cond(shot["pods"][0], "Ready")["lastTransitionTime"] = "2026-11-27T07:00:02Z"
    shot["pods"][2]["metadata"]["creationTimestamp"] = "2026-11-27T07:00:03Z"
    _cond(shot["pods"][1], "Ready")["lastTransitionTime"] = "2026-11-27T07:00:03Z"
    result = audit_order(shot["statefulset"], shot["pods"], [])
    # (0,1): Ready 02 after created 01 -> violation; (0,2): Ready 02, created 03 -> in order; (1,2): 03 = 03
    assert [v["pod"] for v in result["violations"]] == ["myapp-1"]
    assert result["decided"] == 2 and result["undecided"] == 1
    assert any(n.startswith("1 creation(s) fell in the same second as a lower pod's Ready transition") for n in
               result["notes"])


def test_audit_lower_pod_recreated_later_is_not_a_violation_and_says_so_with_times(shot):
    pod0 = shot["pods"][0]
    pod0["metadata"].update(creationTimestamp="2026-11-27T07:05:00Z", uid="myapp-0-second")
    _cond(pod0, "Ready")["lastTransitionTime"] = "2026-11-27T07:05:01Z"
    event = [e for e in shot["events"] if e["message"].startswith("create Pod myapp-0")][0]
    event.update(count=2, lastTimestamp="2026-11-27T07:05:00Z")  # the controller's second creation of myapp-0
    result = audit_order(shot["statefulset"], shot["pods"], shot["events"])
    assert result["status"] == "passed" and result["violations"] == []
    assert ("myapp-0 was re-created later: its current pod was created at 2026-11-27T07:05:00.000Z, after myapp-1 "
            "at 2026-11-27T07:00:01.000Z (the controller's events show the earlier myapp-0 created "
            "2026-11-27T07:00:00.012Z); myapp-1's creation is not judged against the myapp-0 that is gone") \
        in result["notes"]
    assert result["unchecked"] == ["the creation of myapp-1, myapp-2 against the earlier myapp-0 (re-created later)"]
    assert "not checked: the creation of myapp-1, myapp-2 against the earlier myapp-0" in result["summary"]
    assert result["undecided"] == 1  # (1,2) in the same second, as in the tutorial


# --------------------------------------------------------------------------- pods the controller did not create

def _without_create_event(events, pod):
    return [e for e in events if not e["message"].startswith("create Pod %s " % pod)]


def test_audit_pod_without_its_create_event_is_reported_as_not_the_controllers(shot):
    result = audit_order(shot["statefulset"], shot["pods"], _without_create_event(shot["events"], "myapp-2"))
    assert result["status"] == "failed" and result["adopted"] == ["myapp-2"]
    assert result["violations"] == [{"check": "order", "pod": "myapp-2", "message": (
        "myapp-2 was not created by the StatefulSet controller (no SuccessfulCreate event, though the StatefulSet's "
        "events are kept from 2026-11-27T07:00:00.008Z on and name myapp-0, myapp-1; created "
        "2026-11-27T07:00:02.000Z): it was adopted, so its place in the rollout order is not the controller's")}]


def test_audit_pod_older_than_the_statefulset_is_reported(shot):
    shot["statefulset"]["metadata"]["creationTimestamp"] = "2026-11-27T07:10:05Z"
    for pod in shot["pods"]:
        pod["metadata"]["creationTimestamp"] = pod["metadata"]["creationTimestamp"].replace("07:00:0", "07:10:0")
        ready = _cond(pod, "Ready")
        ready["lastTransitionTime"] = ready["lastTransitionTime"].replace("07:00:0", "07:10:0")
    shot["pods"][0]["metadata"]["creationTimestamp"] = "2026-11-27T07:10:05Z"
    shot["pods"][2]["metadata"]["creationTimestamp"] = "2026-11-27T07:10:01Z"
    result = audit_order(shot["statefulset"], shot["pods"], [])
    assert result["adopted"] == ["myapp-1", "myapp-2"]
    messages = [v["message"] for v in result["violations"]]
    assert messages[1] == ("myapp-2 was not created by the StatefulSet controller (created 2026-11-27T07:10:01.000Z, "
                           "before the StatefulSet at 2026-11-27T07:10:05.000Z): it was adopted, so its place in the "
                           "rollout order is not the controller's")
    # the inversion it would have made (myapp-2 older than myapp-0) is not judged as the controller's
    assert not any("re-created" in n for n in result["notes"] if n.startswith("myapp-0"))


def test_audit_pod_older_than_the_statefulset_with_a_create_event_names_the_earlier_statefulset(shot):
    shot["statefulset"]["metadata"]["creationTimestamp"] = "2026-11-27T07:00:02Z"
    result = audit_order(shot["statefulset"], shot["pods"], shot["events"])
    assert result["adopted"] == ["myapp-0", "myapp-1"]
    assert ("(created 2026-11-27T07:00:00.000Z, before the StatefulSet at 2026-11-27T07:00:02.000Z; the "
            "SuccessfulCreate event at 2026-11-27T07:00:00.012Z is an earlier StatefulSet's of that name)"
            in result["violations"][0]["message"])


def test_audit_orphan_without_controller_reference_is_reported(shot):
    del shot["pods"][1]["metadata"]["ownerReferences"]
    result = audit_order(shot["statefulset"], shot["pods"], _without_create_event(shot["events"], "myapp-1"))
    message = result["violations"][0]["message"]
    assert message.startswith("myapp-1 was not created by the StatefulSet controller (it has no controller reference "
                              "to the StatefulSet; no SuccessfulCreate event, though")
    assert message.endswith("it is an orphan with the StatefulSet's labels and name, which the controller adopts, so "
                            "its place in the rollout order is not the controller's")


# --------------------------------------------------------------------------- evidence that is gone

def test_audit_without_any_event_says_what_rests_on_timestamps_and_what_was_not_checked(shot):
    result = audit_order(shot["statefulset"], shot["pods"], [])
    assert result["status"] == "passed" and result["violations"] == []
    assert result["summary"] != "StatefulSet myapp: pods were created, deleted and updated in order (audit evidence)"
    assert result["summary"].startswith("StatefulSet myapp: no order violation in the audit evidence; undecided: 2 "
                                        "creation(s) in the same second as a lower pod's Ready transition; not "
                                        "checked: which pods the controller created, and the deletion order (no "
                                        "events of StatefulSet myapp are left")
    assert result["summary"].endswith("the creation order rests on pod timestamps only")
    assert result["basis"]["deletion order"] == "not checked (no controller events left)"
    assert result["basis"]["created by the controller"].endswith("(no events left)")


def test_audit_missing_event_of_a_pod_older_than_the_oldest_kept_event_is_not_checked(shot):
    # events of the first second expired: myapp-0's creation (07:00:00) is no longer covered
    events = [e for e in shot["events"] if e["firstTimestamp"] != "2026-11-27T07:00:00Z"]
    result = audit_order(shot["statefulset"], shot["pods"], events)
    assert result["violations"] == [] and result["adopted"] == []
    assert result["unchecked"] == ["whether the controller created myapp-0 (created before the oldest event kept, "
                                   "2026-11-27T07:00:01.008Z)"]


def test_audit_missing_event_within_a_combined_event_is_not_checked(shot):
    events = _without_create_event(shot["events"], "myapp-2")
    combined = [e for e in events if e["message"].startswith("create Pod myapp-1")][0]
    combined.update(message="(combined from similar events): create Pod myapp-1 in StatefulSet myapp successful",
                    lastTimestamp="2026-11-27T07:00:05Z", count=3)
    result = audit_order(shot["statefulset"], shot["pods"], events)
    assert result["adopted"] == []
    # the combined event keeps only its latest occurrence (07:00:05) for myapp-1: neither creation is shown
    assert result["unchecked"] == ["whether the controller created myapp-1, myapp-2 (created while the controller "
                                   "folded its similar events into one (combined from similar events))"]


def test_audit_missing_event_after_the_spam_burst_is_not_checked(shot):
    events = _without_create_event(shot["events"], "myapp-2")
    events[0]["count"] = 30  # the controller had recorded more than client-go's burst of 25 by then
    result = audit_order(shot["statefulset"], shot["pods"], events)
    assert result["adopted"] == []
    assert result["unchecked"][0].startswith("whether the controller created myapp-2 (created after the controller "
                                             "had recorded 25 events")


# --------------------------------------------------------------------------- readiness history

def test_audit_restart_after_the_higher_pod_was_created_is_not_a_violation(shot):
    pod0 = shot["pods"][0]
    _cond(pod0, "Ready")["lastTransitionTime"] = "2026-11-27T07:00:09Z"
    pod0["status"]["containerStatuses"][0].update(restartCount=1, state={"running": {
        "startedAt": "2026-11-27T07:00:08Z"}})
    result = audit_order(shot["statefulset"], shot["pods"], shot["events"])
    assert result["violations"] == []
    assert any(n.startswith("myapp-0's container restarted at 2026-11-27T07:00:08.000Z, after myapp-1 was created")
               for n in result["notes"])
    assert "myapp-1's creation against myapp-0 (see notes)" in result["unchecked"]
    # a restart before the higher pod's creation does not explain a later Ready time
    pod0["status"]["containerStatuses"][0]["state"]["running"]["startedAt"] = "2026-11-27T07:00:00Z"
    assert [v["pod"] for v in audit_order(shot["statefulset"], shot["pods"], shot["events"])["violations"]] == [
        "myapp-1", "myapp-2"]


def test_audit_lower_pod_unready_since_after_the_creation_is_not_checked(shot):
    _cond(shot["pods"][0], "Ready").update(status="False", lastTransitionTime="2026-11-27T07:00:09Z")
    result = audit_order(shot["statefulset"], shot["pods"], shot["events"])
    assert result["violations"] == [] and result["status"] == "halted"
    assert any(n.startswith("myapp-0 has been Ready=False since 2026-11-27T07:00:09.000Z, after myapp-1 was created")
               for n in result["notes"])


def test_audit_lower_pod_without_ready_condition_created_earlier_is_a_violation(shot):
    shot["pods"][0]["status"]["conditions"] = [c for c in shot["pods"][0]["status"]["conditions"]
                                               if c["type"] != "Ready"]
    result = audit_order(shot["statefulset"], shot["pods"], shot["events"])
    assert result["violations"][0]["message"] == (
        "myapp-1 was created at 2026-11-27T07:00:01.000Z while myapp-0 was not Ready (it has no Ready condition): "
        "OrderedReady creates pod N only after pods 0..N-1 are Ready")
