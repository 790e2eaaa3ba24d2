# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The accessors the order check's evidence rests on: controller references, container restarts,
and what the StatefulSet's Events say about themselves."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj

STS = {"metadata": {"name": "myapp", "uid": "u-1"}}


def _pod(refs=None, statuses=None):
    return {"metadata": {"name": "myapp-0", "ownerReferences": refs or []},
            "status": {"containerStatuses": statuses or []}}


def test_controlled_by_needs_the_controller_reference_of_the_statefulset():
    ref = {"kind": "StatefulSet", "name": "myapp", "uid": "u-1", "controller": True}
    assert obj.controlled_by(_pod([ref]), STS)
    assert obj.controller_ref(_pod([dict(ref, controller=False)])) is None
    assert not obj.controlled_by(_pod([dict(ref, controller=False)]), STS)  # an owner, not the controller
    assert not obj.controlled_by(_pod([dict(ref, uid="u-2")]), STS)  # an earlier StatefulSet of that name
    assert not obj.controlled_by(_pod([dict(ref, name="other")]), STS)
    assert not obj.controlled_by(_pod(), STS)
    assert obj.controlled_by(_pod([dict(ref, uid=None)]), STS)  # no uid to compare


def test_container_restart_sums_restarts_and_takes_the_latest_start():
    assert obj.container_restart(_pod()) == (0, None)
    pod = _pod(statuses=[
        {"restartCount": 2, "state": {"running": {"startedAt": "2026-11-27T07:00:09Z"}}},
        {"restartCount": 1, "state": {"waiting": {"reason": "CrashLoopBackOff"}}},
        {"restartCount": 0, "state": {"running": {"startedAt": "2026-11-27T07:00:03Z"}}}])
    assert obj.container_restart(pod) == (3, obj.parse_time("2026-11-27T07:00:09Z"))


def _event(name, message, first, last, count, kind="StatefulSet", reason="SuccessfulCreate"):
    return {"metadata": {"name": name}, "involvedObject": {"kind": kind, "name": "myapp"}, "reason": reason,
            "message": message, "firstTimestamp": first, "lastTimestamp": last, "count": count}


def test_event_accessors():
    first = obj.parse_time("2026-11-27T07:00:00Z")
    event = _event("myapp.%x" % int((first + 0.25) * 10 ** 9), "create Pod myapp-0 in StatefulSet myapp successful",
                   "2026-11-27T07:00:00Z", "2026-11-27T07:05:00Z", 3)
    other = _event("web.1", "create Pod web-0 in StatefulSet web successful", "2026-11-27T07:00:00Z",
                   "2026-11-27T07:00:00Z", 1, kind="Pod")
    assert obj.statefulset_events([event, other], "myapp") == [event]
    assert obj.event_count(event) == 3 and obj.event_count({}) == 1
    assert obj.last_written(event) == first + 300
    assert obj.last_written(dict(event, lastTimestamp=None, count=1)) == pytest.approx(first + 0.25, abs=1e-6)
    assert not obj.is_combined(event)
    assert obj.is_combined(dict(event, message="(combined from similar events): " + event["message"]))
    creates = obj.controller_pod_events([event], "myapp")
    # count 3: the occurrence between the first and the last is lost, so the entries carry the span
    precise = creates[0]["time"]
    assert precise == pytest.approx(first + 0.25, abs=1e-6)
    assert [(e["time"], e["span"]) for e in creates] == [(precise, (precise, first + 300)),
                                                         (first + 300, (precise, first + 300))]
    twice = obj.controller_pod_events([dict(event, count=2)], "myapp")
    assert [e["span"] for e in twice] == [None, None]
