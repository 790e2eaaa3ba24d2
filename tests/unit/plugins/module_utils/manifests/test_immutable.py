# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/manifests/immutable.py: the changes the API would refuse,
against API-decorated live objects."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.immutable import immutable_changes
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.manifests.tutorial import sts


# --------------------------------------------------------------------------- immutable fields
def _live(statefulset):
    """What the API returns for a rendered StatefulSet: defaults filled in, VCTs decorated."""
    live = copy.deepcopy(statefulset)
    live["metadata"].update({"uid": "1", "resourceVersion": "7", "generation": 1})
    for tpl in live["spec"]["volumeClaimTemplates"]:
        tpl.update({"apiVersion": "v1", "kind": "PersistentVolumeClaim"})
        tpl["spec"]["volumeMode"] = "Filesystem"
        tpl["status"] = {"phase": "Pending"}
    live["status"] = {"replicas": 3}
    return live


def test_no_immutable_change_against_own_live_object():
    bundle = sts()
    live_svc = copy.deepcopy(bundle["service"])
    assert immutable_changes(bundle["statefulset"], _live(bundle["statefulset"]),
                             bundle["service"], live_svc) == []
    # mutable fields may differ freely
    changed = sts(replicas=5, image="registry.lab.invalid/k8s/my_nginx:v2", update_partition=2,
                  min_ready_seconds=3, ordinals_start=1)["statefulset"]
    assert immutable_changes(changed, _live(bundle["statefulset"])) == []


def test_equal_quantities_are_not_a_change():
    live = _live(sts()["statefulset"])
    live["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"] = "1024Mi"
    assert immutable_changes(sts()["statefulset"], live) == []


@pytest.mark.parametrize("overrides, field", [
    ({"volume_claim_templates": [{"name": "myappdata", "mount_path": "/usr/share/nginx/html", "storage": "2Gi"}]},
     "statefulset.spec.volumeClaimTemplates[myappdata].resources"),
    ({"volume_claim_templates": [{"name": "other", "mount_path": "/d"}]}, "statefulset.spec.volumeClaimTemplates"),
    ({"volume_claim_templates": [{"name": "myappdata", "mount_path": "/usr/share/nginx/html",
                                  "storage_class_name": "fast"}]},
     "statefulset.spec.volumeClaimTemplates[myappdata].storageClassName"),
    ({"service_name": "other-headless"}, "statefulset.spec.serviceName"),
    ({"selector_labels": {"app": "myapp-pod", "v": "2"}, "pod_labels": {"app": "myapp-pod", "v": "2"}},
     "statefulset.spec.selector"),
    ({"pod_management_policy": "Parallel"}, "statefulset.spec.podManagementPolicy"),
])
def test_immutable_changes_detected(overrides, field):
    live = _live(sts()["statefulset"])
    changes = immutable_changes(sts(**overrides)["statefulset"], live)
    assert [c["field"] for c in changes] == [field]
    assert field in changes[0]["message"] and "cannot be changed" in changes[0]["message"]
    assert "Decimal" not in repr(changes), "quantities must leave as plain strings (task results)"


def test_live_service_not_headless_is_an_immutable_change():
    bundle = sts()
    live_svc = copy.deepcopy(bundle["service"])
    live_svc["spec"]["clusterIP"] = "10.96.12.7"
    changes = immutable_changes(bundle["statefulset"], None, bundle["service"], live_svc)
    assert [c["field"] for c in changes] == ["service.spec.clusterIP"]
    assert "not headless" in changes[0]["message"]


def test_no_live_objects_no_changes():
    bundle = sts()
    assert immutable_changes(bundle["statefulset"], None, bundle["service"], None) == []
