# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every check on objects recorded from the lab (Kubernetes 1.36, KWOK nodes) by
tests/integration/statefulset_validate_recorder.py, and edge cases derived from them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.validator.order_watch import watch_order
from ansible_collections.stateful.nfs.plugins.module_utils.validator.verdict import evaluate

HERE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "statefulset")
NS = "it-validate-rec"
PINS = {"0": NS + "-pv001", "1": NS + "-pv002", "2": NS + "-pv003"}


def recorded(name):
    with open(os.path.join(HERE, "recorded-%s.json" % name)) as stream:
        return copy.deepcopy(json.load(stream))


def params(**extra):
    base = dict(name="myapp", namespace=NS, checks=["order", "completion", "storage"], mode="audit",
                expected_volumes=None, cluster_domain="cluster.local", dns_server="127.0.0.1", dns_port=10053)
    base.update(extra)
    return base


def test_tutorial_recording_passes_with_pinned_volumes():
    result = evaluate(params(expected_volumes=PINS), recorded("tutorial"))
    assert result["valid"], result["violations"]
    assert result["checks"]["order"]["status"] == "passed"
    assert [(c["claim"], c["volume"]) for c in result["storage"]] == [
        ("myappdata-myapp-%d" % i, "%s-pv%03d" % (NS, i + 1)) for i in range(3)]
    # creation times come from the events' nanosecond names, in ordinal order
    created = [obj.parse_time(p["created"]) for p in result["pods"]]
    assert created == sorted(created) and all(c % 1 for c in created)


def test_tutorial_recording_with_a_wrong_pin_fails():
    result = evaluate(params(expected_volumes=dict(PINS, **{"2": NS + "-pv004"})), recorded("tutorial"))
    assert [v["message"] for v in result["violations"]] == [
        "claim myappdata-myapp-2 of myapp-2 is bound to %s-pv003, expected %s-pv004" % (NS, NS)]


def test_pending_claim_recording_halts_at_the_unschedulable_pod():
    result = evaluate(params(), recorded("pending-claim"))
    order = result["checks"]["order"]
    assert order["status"] == "halted" and order["halted_at"]["pod"] == "myapp-4"
    assert order["halted_at"]["higher_ordinals"] == []
    storage = [v["message"] for v in result["violations"] if v["check"] == "storage"]
    assert storage == ['claim myappdata-myapp-4 of myapp-4 is Pending: ProvisioningFailed: '
                       'storageclass.storage.k8s.io "%s" not found' % NS]
    assert result["completion"]["reason"].startswith("myapp-4 is not Ready: phase Pending; PodScheduled=False "
                                                     "(Unschedulable: 0/2 nodes are available")


def test_scaled_down_recording_proves_the_deletion_order_from_events():
    shot = recorded("scaled-down")
    result = evaluate(params(checks=["order", "completion"]), shot)
    assert result["valid"], result["violations"]
    rows = [(p["name"], p["source"]) for p in result["pods"]]
    assert rows == [("myapp-0", "pod"), ("myapp-1", "pod"), ("myapp-2", "events"), ("myapp-3", "events"),
                    ("myapp-4", "events")]
    deleted = dict((p["name"], p["deleted"]) for p in result["pods"] if p["deleted"])
    assert deleted["myapp-4"] < deleted["myapp-3"] < deleted["myapp-2"]
    # derived: the controller deleting 2 before 3 would be out of order
    for event in shot["events"]:
        if event["message"].startswith("Delete Pod myapp-3"):
            event["message"] = event["message"].replace("myapp-3", "myapp-2")
        elif event["message"].startswith("Delete Pod myapp-2"):
            event["message"] = event["message"].replace("myapp-2", "myapp-3")
    broken = evaluate(params(checks=["order"]), shot)
    assert broken["checks"]["order"]["status"] == "failed"
    assert "myapp-3 was deleted at" in broken["violations"][0]["message"]
    assert "after myapp-2" in broken["violations"][0]["message"]


def test_combined_events_keep_only_their_last_message():
    shot = recorded("scaled-down")
    combined = [e for e in shot["events"] if e["message"].startswith("(combined from similar events)")]
    assert combined, "the recording has a combined event (the 11th similar event of the StatefulSet)"
    creates = [e for e in obj.controller_pod_events(shot["events"], "myapp") if e["action"] == "create"]
    assert [e["pod"] for e in creates] == ["myapp-%d" % i for i in range(5)]
    assert creates[-1]["resolution"] == obj.SERVER_RESOLUTION


def test_never_ready_recording_halts_and_no_higher_ordinal_exists():
    result = evaluate(params(), recorded("never-ready"))
    order = result["checks"]["order"]
    assert order["status"] == "halted"
    assert order["halted_at"]["pod"] == "myapp-2"
    assert "kept un-Ready on purpose" in order["halted_at"]["reason"]
    assert order["halted_at"]["higher_ordinals"] == []
    assert order["summary"].endswith("no higher ordinal was created")
    assert not result["completion"]["complete"]
    # the pod below the partition keeps its revision; the one above is named as outdated
    assert any("myapp-1 is at revision" in p["message"] and "partition 1" in p["message"]
               for p in result["completion"]["pending"])


def test_never_ready_derived_higher_pod_created_after_the_halt_is_a_violation():
    shot = recorded("never-ready")
    halted = [p for p in shot["pods"] if p["metadata"]["name"] == "myapp-2"][0]
    since = obj.parse_time(obj.condition(halted, "Ready")["lastTransitionTime"])
    intruder = copy.deepcopy(halted)
    intruder["metadata"].update(name="myapp-3", uid="derived-uid-3",
                                creationTimestamp=obj.format_time(since + 5)[:19] + "Z")
    shot["pods"].append(intruder)
    # as the controller would have recorded it (a pod without its create event would not be the controller's)
    event = copy.deepcopy([e for e in shot["events"] if e["message"].startswith("Create Pod myapp-3")][0])
    stamp = intruder["metadata"]["creationTimestamp"]
    event["metadata"]["name"] = "myapp.%x" % int((obj.parse_time(stamp) + 0.25) * 10 ** 9)
    event.update(firstTimestamp=stamp, lastTimestamp=stamp, count=1)
    shot["events"].append(event)
    result = evaluate(params(checks=["order"]), shot)
    assert result["checks"]["order"]["status"] == "failed"
    assert result["violations"][0]["message"].startswith("myapp-3 was created at")
    assert "while myapp-2 was not Ready" in result["violations"][0]["message"]


def test_recorded_watch_of_a_scale_down_is_in_order():
    records = recorded("watch-scale-down")["records"]
    result = watch_order(records, "myapp", controller_deletes={"myapp-2", "myapp-3", "myapp-4"})
    assert result["status"] == "passed", result["violations"]
    deleted = [e["pod"] for e in result["events"] if e["event"] == "DELETED"]
    assert deleted == ["myapp-4", "myapp-3", "myapp-2"]
    terminating = [e["pod"] for e in result["events"] if e["event"] == "TERMINATING"]
    assert terminating == ["myapp-4", "myapp-3", "myapp-2"]


def test_recorded_watch_reordered_is_caught():
    records = recorded("watch-scale-down")["records"]
    pods = [r for r in records if r["kind"] == "Pod" and r["type"] != "INITIAL"]
    first = [r for r in pods if r["object"]["metadata"]["name"] == "myapp-4"]
    rest = [r for r in records if r not in first]
    # move the deletion of myapp-4 after everything else: myapp-3 was then deleted while myapp-4 still existed
    reordered = rest + first
    result = watch_order(reordered, "myapp", controller_deletes={"myapp-2", "myapp-3", "myapp-4"})
    assert result["status"] == "failed"
    assert result["violations"][0]["pod"] == "myapp-3"
    # (myapp-4 was the Pending pod of the pending-claim step, so it is reported as not Ready)
    assert "while myapp-4 was not Ready" in result["violations"][0]["message"]


@pytest.mark.parametrize("name", ["tutorial", "pending-claim", "scaled-down", "never-ready"])
def test_recorded_objects_have_the_api_shape_the_checks_read(name):
    shot = recorded(name)
    sts = shot["statefulset"]
    assert sts["metadata"]["uid"] and sts["status"]["updateRevision"]
    for pod in obj.owned_pods(sts, shot["pods"]):
        assert obj.revision(pod) and obj.created(pod) and obj.condition(pod, "PodScheduled")
        assert pod["spec"]["hostname"] == pod["metadata"]["name"]
        assert pod["spec"]["subdomain"] == "statefulset-headless"
