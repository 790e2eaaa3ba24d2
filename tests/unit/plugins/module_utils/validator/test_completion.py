# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rollout completion: RollingUpdate with/without partition, OnDelete, minReadySeconds,
ordinals.start, scale-down, and the reason given when not complete."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy


from ansible_collections.stateful.nfs.plugins.module_utils.k8s.objects import format_time, parse_time
from ansible_collections.stateful.nfs.plugins.module_utils.validator.completion import rollout_status, status_reports_complete


def _set_revision(pod, rev):
    pod["metadata"]["labels"]["controller-revision-hash"] = rev


def _unready(pod, reason="ContainersNotReady"):
    for cond in pod["status"]["conditions"]:
        if cond["type"] in ("Ready", "ContainersReady"):
            cond.update(status="False", reason=reason, message="containers with unready status: [myapp]")


def test_finished_tutorial_rollout_is_complete(shot):
    status = rollout_status(shot["statefulset"], shot["pods"], shot["taken"])
    assert status["complete"] is True
    assert status["pending"] == []
    assert "rollout complete: 3 pods Ready at revision myapp-7d9c6b5f48" in status["reason"]


def test_unobserved_generation_is_not_complete(shot):
    shot["statefulset"]["metadata"]["generation"] = 2
    status = rollout_status(shot["statefulset"], shot["pods"], shot["taken"])
    assert status["complete"] is False
    assert "has not observed generation 2 yet (observedGeneration 1)" in status["reason"]


def test_missing_pod_is_named(shot):
    del shot["pods"][2]
    status = rollout_status(shot["statefulset"], shot["pods"], shot["taken"])
    assert not status["complete"]
    assert status["reason"] == "myapp-2 does not exist yet (2 of 3 pods exist)"
    assert status["pending"][0]["pod"] == "myapp-2"


def test_unready_pod_reports_the_condition(shot):
    _unready(shot["pods"][1])
    status = rollout_status(shot["statefulset"], shot["pods"], shot["taken"])
    assert not status["complete"]
    assert status["reason"].startswith("myapp-1 is not Ready: phase Running; Ready=False (ContainersNotReady")


def test_min_ready_seconds_waits_for_availability_and_says_when(shot):
    sts = shot["statefulset"]
    sts["spec"]["minReadySeconds"] = 10
    for pod in shot["pods"][:2]:
        pod["status"]["conditions"][1]["lastTransitionTime"] = "2026-11-27T06:00:00Z"
    ready_at = parse_time(shot["pods"][2]["status"]["conditions"][1]["lastTransitionTime"])
    status = rollout_status(sts, shot["pods"], ready_at + 4)
    assert not status["complete"]
    assert status["reason"] == ("myapp-2 is Ready since %s but not available yet (minReadySeconds 10, 6 s left)"
                                % format_time(ready_at))
    assert status["recheck_at"] == ready_at + 10
    assert rollout_status(sts, shot["pods"], ready_at + 10)["complete"]


def test_rolling_update_in_progress_names_the_highest_outdated_pod(shot):
    sts = shot["statefulset"]
    sts["status"]["updateRevision"] = "myapp-new"
    sts["status"]["updatedReplicas"] = 1
    _set_revision(shot["pods"][2], "myapp-new")
    status = rollout_status(sts, shot["pods"], shot["taken"])
    assert not status["complete"]
    assert status["reason"] == ("myapp-1 is at revision myapp-7d9c6b5f48, not the update revision myapp-new "
                                "(RollingUpdate)")
    assert [p["pod"] for p in status["pending"]] == ["myapp-1", "myapp-0"]


def test_partitioned_rollout_complete_when_ordinals_from_partition_are_updated(shot):
    sts = shot["statefulset"]
    sts["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = 2
    sts["status"].update(updateRevision="myapp-new", updatedReplicas=1)
    _set_revision(shot["pods"][2], "myapp-new")
    status = rollout_status(sts, shot["pods"], shot["taken"])
    assert status["complete"], status["reason"]
    assert "partitioned rollout complete: 1 pods with ordinal >= 2 at revision myapp-new" in status["reason"]
    assert status["outdated"] == ["myapp-0", "myapp-1"]


def test_partitioned_rollout_incomplete_names_the_partition(shot):
    sts = shot["statefulset"]
    sts["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = 1
    sts["status"].update(updateRevision="myapp-new")
    _set_revision(shot["pods"][2], "myapp-new")
    status = rollout_status(sts, shot["pods"], shot["taken"])
    assert not status["complete"]
    assert status["reason"].endswith("(partition 1: ordinals >= 1 are updated)")
    assert status["pending"][0]["pod"] == "myapp-1"


def test_unpartitioned_rollout_waits_for_current_revision_in_status(shot):
    sts = shot["statefulset"]
    sts["status"].update(updateRevision="myapp-new")
    for pod in shot["pods"]:
        _set_revision(pod, "myapp-new")
    status = rollout_status(sts, shot["pods"], shot["taken"])
    assert not status["complete"]
    assert "status.currentRevision myapp-7d9c6b5f48 is not yet the update revision myapp-new" in status["reason"]
    sts["status"]["currentRevision"] = "myapp-new"
    assert rollout_status(sts, shot["pods"], shot["taken"])["complete"]


def test_on_delete_does_not_wait_for_revisions(shot):
    sts = shot["statefulset"]
    sts["spec"]["updateStrategy"] = {"type": "OnDelete"}
    sts["status"]["updateRevision"] = "myapp-new"
    status = rollout_status(sts, shot["pods"], shot["taken"])
    assert status["complete"], status["reason"]
    assert status["outdated"] == ["myapp-0", "myapp-1", "myapp-2"]
    assert "OnDelete" in status["reason"]


def test_scale_down_in_progress_is_not_complete(shot):
    sts = shot["statefulset"]
    sts["spec"]["replicas"] = 2
    sts["metadata"]["generation"] = sts["status"]["observedGeneration"] = 2
    shot["pods"][2]["metadata"]["deletionTimestamp"] = "2026-11-27T07:05:00Z"
    status = rollout_status(sts, shot["pods"], shot["taken"])
    assert not status["complete"]
    assert status["reason"] == ("myapp-2 still exists outside the desired ordinals [0, 2) "
                                "(scale-down in progress, terminating)")
    del shot["pods"][2]
    sts["status"].update(replicas=2, readyReplicas=2, availableReplicas=2)
    assert rollout_status(sts, shot["pods"], shot["taken"])["complete"]


def test_ordinals_start_shifts_the_wanted_pods(shot):
    sts = shot["statefulset"]
    sts["spec"]["ordinals"] = {"start": 1}
    status = rollout_status(sts, shot["pods"], shot["taken"])
    assert not status["complete"]
    assert status["reason"] == "myapp-3 does not exist yet (2 of 3 pods exist)"
    assert any(p["pod"] == "myapp-0" and p["condition"] == "condemned" for p in status["pending"])


def test_status_counters_must_agree(shot):
    shot["statefulset"]["status"]["readyReplicas"] = 2
    status = rollout_status(shot["statefulset"], shot["pods"], shot["taken"])
    assert not status["complete"]
    assert "status.readyReplicas is 2, waiting for 3" in status["reason"]


def test_zero_replicas_complete_without_pods(shot):
    sts = shot["statefulset"]
    sts["spec"]["replicas"] = 0
    sts["status"].update(replicas=0, readyReplicas=0, availableReplicas=0)
    assert rollout_status(sts, [], shot["taken"])["complete"]
    assert not rollout_status(sts, shot["pods"][:1], shot["taken"])["complete"]


def test_pods_of_another_statefulset_are_ignored(shot):
    stranger = copy.deepcopy(shot["pods"][0])
    stranger["metadata"]["name"] = "myapp-9"
    stranger["metadata"]["ownerReferences"][0]["uid"] = "another-uid"
    status = rollout_status(shot["statefulset"], shot["pods"] + [stranger], shot["taken"])
    assert status["complete"], status["reason"]


def test_status_reports_complete_reads_the_statefulset_status_alone(shot):
    sts = shot["statefulset"]
    assert status_reports_complete(sts) is True
    assert status_reports_complete({}) is False
    sts["metadata"]["generation"] = 2  # a change the controller has not seen yet
    assert status_reports_complete(sts) is False
    sts["metadata"]["generation"] = 1
    sts["status"]["readyReplicas"] = 2
    assert status_reports_complete(sts) is False
    sts["status"]["readyReplicas"] = 3
    sts["status"].update(updateRevision="myapp-new")  # an update under way, no partition
    assert status_reports_complete(sts) is False


def test_status_reports_complete_counts_the_updated_ordinals_from_the_partition(shot):
    sts = shot["statefulset"]
    sts["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = 1
    sts["status"].update(updateRevision="myapp-new", updatedReplicas=1)
    assert status_reports_complete(sts) is False  # ordinals 1 and 2 must be updated
    sts["status"]["updatedReplicas"] = 2
    assert status_reports_complete(sts) is True
