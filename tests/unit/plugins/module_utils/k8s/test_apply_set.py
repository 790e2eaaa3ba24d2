# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/k8s/apply_set.py: what kubernetes.core's apply would do to each
object, decided from a listing (pure logic, no cluster). The module end to end:
tests/unit/plugins/modules/test_nfs_pv_apply.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

import pytest

from ansible_collections.kubernetes.core.plugins.module_utils.apply import LAST_APPLIED_CONFIG_ANNOTATION
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.apply_set import (
    CREATE,
    PATCH,
    UNCHANGED,
    apply_action,
    error_reason,
    apply_failure_message,
    live_by_name,
    object_label,
    object_result,
    planned_object,
    apply_summary,
)


def _pv(name="pv001", capacity="1Gi", options=("nfsvers=4.1",)):
    pv = {"apiVersion": "v1", "kind": "PersistentVolume",
          "metadata": {"name": name, "labels": {"stateful.nfs/volume-set": "s"}},
          "spec": {"capacity": {"storage": capacity}, "accessModes": ["ReadWriteOnce"],
                   "nfs": {"server": "127.0.0.1", "path": "/nfs-data/%s" % name}}}
    if options is not None:
        pv["spec"]["mountOptions"] = list(options)
    return pv


def _as_server_stores(body):
    """``body`` as the API server returns it after a create: defaults, status and server metadata added."""
    live = copy.deepcopy(body)
    live["metadata"].update(uid="u-1", resourceVersion="17", creationTimestamp="2026-01-01T00:00:00Z",
                            finalizers=["kubernetes.io/pv-protection"])
    live["spec"].update(persistentVolumeReclaimPolicy="Retain", volumeMode="Filesystem")
    live["status"] = {"phase": "Available"}
    return live


def _applied(definition):
    """The live object after kubernetes.core applied ``definition`` to nothing."""
    action, body = apply_action(definition, None)
    assert action == CREATE
    return _as_server_stores(body)


def test_an_absent_object_is_created_with_the_last_applied_annotation():
    action, body = apply_action(_pv(), None)
    assert action == CREATE
    annotation = body["metadata"]["annotations"][LAST_APPLIED_CONFIG_ANNOTATION]
    assert json.loads(annotation) == _pv()
    assert annotation == json.dumps(_pv(), separators=(",", ":"), sort_keys=True)  # as kubernetes.core writes it
    assert dict(body, metadata=dict(body["metadata"], annotations=None)) == dict(
        _pv(), metadata=dict(_pv()["metadata"], annotations=None))


def test_an_object_applied_before_and_untouched_needs_no_call():
    # kubernetes.core's own patch is not empty here (it always carries the lists), but it changes nothing
    assert apply_action(_pv(), _applied(_pv())) == (UNCHANGED, None)


@pytest.mark.parametrize("change, expected", [
    (lambda live: live["spec"]["capacity"].update(storage="5Gi"), {"spec": {"capacity": {"storage": "1Gi"}}}),
    (lambda live: live["spec"].update(mountOptions=["nfsvers=3"]), {"spec": {"mountOptions": ["nfsvers=4.1"]}}),
    (lambda live: live["metadata"]["labels"].pop("stateful.nfs/volume-set"),
     {"metadata": {"labels": {"stateful.nfs/volume-set": "s"}}}),
])
def test_a_field_changed_on_the_cluster_is_patched_back(change, expected):
    live = _applied(_pv())
    change(live)
    action, patch = apply_action(_pv(), live)
    assert action == PATCH
    section = next(iter(expected))
    for key, value in expected[section].items():
        assert patch[section][key] == value


def test_a_new_definition_is_patched_with_the_new_annotation():
    live = _applied(_pv(capacity="1Gi"))
    action, patch = apply_action(_pv(capacity="2Gi"), live)
    assert action == PATCH
    assert patch["spec"]["capacity"] == {"storage": "2Gi"}
    assert json.loads(patch["metadata"]["annotations"][LAST_APPLIED_CONFIG_ANNOTATION]) == _pv(capacity="2Gi")


def test_a_field_dropped_from_the_definition_is_deleted():
    live = _applied(_pv())
    action, patch = apply_action(_pv(options=None), live)
    assert action == PATCH and patch["spec"]["mountOptions"] is None


def test_an_object_made_without_the_annotation_gets_it():
    # same fields, but made by hand (kubectl create): the apply writes the annotation, a change
    live = _as_server_stores(_pv())
    action, patch = apply_action(_pv(), live)
    assert action == PATCH
    assert json.loads(patch["metadata"]["annotations"][LAST_APPLIED_CONFIG_ANNOTATION]) == _pv()


def test_another_annotation_text_of_the_same_definition_is_rewritten():
    # kubectl writes the annotation with other spacing: kubernetes.core rewrites it, so it is a change
    live = _applied(_pv())
    live["metadata"]["annotations"][LAST_APPLIED_CONFIG_ANNOTATION] = json.dumps(_pv()) + "\n"
    assert apply_action(_pv(), live)[0] == PATCH


def test_live_by_name_adds_what_list_items_leave_out():
    listing = {"kind": "PersistentVolumeList", "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}
    live = live_by_name(listing, "v1", "PersistentVolume")
    assert sorted(live) == ["a", "b"]
    assert live["a"] == {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "a"}}
    assert "kind" not in listing["items"][0]  # the listing itself is left alone
    assert live_by_name({}, "v1", "PersistentVolume") == {}


def test_object_result_is_kubernetes_cores():
    before = _applied(_pv())
    same = object_result(before, copy.deepcopy(before), diff=True)
    assert same == {"changed": False, "method": "apply", "result": before, "diff": {}}

    after = copy.deepcopy(before)
    after["spec"]["capacity"]["storage"] = "2Gi"
    changed = object_result(before, after, diff=True, warnings=["w"])
    assert changed["changed"] is True and changed["warnings"] == ["w"]
    assert changed["diff"]["before"]["spec"] == {"capacity": {"storage": "1Gi"}}
    assert changed["diff"]["after"]["spec"] == {"capacity": {"storage": "2Gi"}}
    assert "diff" not in object_result(before, after)

    created = object_result(None, before, diff=True)
    assert created["changed"] is True and created["diff"]["before"] == {}
    assert object_result(None, before) == {"changed": True, "method": "apply", "result": before}

    bumped = copy.deepcopy(before)
    bumped["metadata"]["resourceVersion"] = "18"
    only_version = object_result(before, bumped)
    assert only_version["changed"] is False and "No meaningful diff" in only_version["warnings"][0]


def test_planned_object_is_what_check_mode_without_dry_run_shows():
    live = _applied(_pv())
    assert planned_object(None, CREATE, {"a": 1}) == {"a": 1}
    assert planned_object(live, PATCH, {"spec": {"capacity": {"storage": "2Gi"}}})["spec"]["capacity"] == {"storage": "2Gi"}
    assert live["spec"]["capacity"] == {"storage": "1Gi"}  # not modified in place
    assert planned_object(live, UNCHANGED, None) is live


def test_messages_name_the_object_and_the_reason():
    assert object_label(_pv("pv007")) == "PersistentVolume/pv007"
    assert object_label({"kind": "Service", "metadata": {"name": "web", "namespace": "shop"}}) == "Service/shop/web"
    status = json.dumps({"kind": "Status", "message": 'PersistentVolume "pv007" is invalid: spec.capacity: Required value'})
    assert error_reason(422, status.encode()) == 'PersistentVolume "pv007" is invalid: spec.capacity: Required value (HTTP 422)'
    assert error_reason(500, "not json") == "not json (HTTP 500)"
    assert error_reason(None, None, "connection refused") == "connection refused"
    assert apply_failure_message([("PersistentVolume/pv007", "bad (HTTP 422)")], 3) == (
        "Failed to apply 1 object(s): PersistentVolume/pv007: bad (HTTP 422); 3 more not attempted after the first failure")


def test_summary_counts_the_decisions():
    assert apply_summary([(CREATE, {}), (UNCHANGED, None), (UNCHANGED, None)]) == {"create": 1, "patch": 0, "unchanged": 2}
