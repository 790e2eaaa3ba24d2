# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The applied_changes filter on kubernetes.core.k8s results as the nfs_volumes and statefulset roles
register them (one object, several objects, created, updated, unchanged, skipped)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.stateful.nfs.plugins.filter.applied_changes import FilterModule, applied_changes

SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "statefulset-headless", "namespace": "default"}}
STATEFULSET = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "myapp", "namespace": "default"}}
DIFF = {"before": {"spec": {"replicas": 3}, "metadata": {"generation": 4, "managedFields": [{"manager": "x"}]}, "status": {"a": 1}},
        "after": {"spec": {"replicas": 5}, "metadata": {"generation": 5, "managedFields": [{"manager": "y"}]}, "status": {"a": 2}}}
FIELDS = ["~ spec.replicas: 3 -> 5"]


def item(obj, method, changed, diff=None):
    result = {"changed": changed, "method": method, "result": obj}
    if diff is not None:
        result["diff"] = diff
    return result


def test_several_objects_each_changed_one_with_its_diff():
    registered = {"changed": True, "result": {"results": [
        item(SERVICE, "apply", False, {}),
        item(STATEFULSET, "apply", True, DIFF),
    ]}}
    assert applied_changes(registered) == [{"object": "StatefulSet/myapp", "method": "apply", "diff": FIELDS}]


def test_created_objects_without_a_diff_say_created():
    registered = {"changed": True, "result": {"results": [
        item({"kind": "Namespace", "metadata": {"name": "shop"}}, "create", True),
        item(SERVICE, "create", True),
        item(STATEFULSET, "apply", True),
    ]}}
    assert applied_changes(registered) == [
        {"object": "Namespace/shop", "method": "create", "diff": "created"},
        {"object": "Service/statefulset-headless", "method": "create", "diff": "created"},
        {"object": "StatefulSet/myapp", "method": "apply", "diff": {}},
    ]


def test_one_object_is_its_own_result():
    registered = item({"kind": "PersistentVolume", "metadata": {"name": "pv001"}}, "apply", True, DIFF)
    assert applied_changes(registered) == [{"object": "PersistentVolume/pv001", "method": "apply", "diff": FIELDS}]
    assert applied_changes(item(STATEFULSET, "apply", False, {})) == []


def test_a_skipped_task_changed_nothing():
    assert applied_changes({"changed": False, "skipped": True, "skip_reason": "Conditional result was False"}) == []


def test_not_a_registered_result_is_refused():
    with pytest.raises(AnsibleFilterError, match="applied_changes: expected the registered result"):
        applied_changes([item(SERVICE, "apply", True)])


def test_filter_is_registered():
    assert FilterModule().filters()["applied_changes"] is applied_changes
