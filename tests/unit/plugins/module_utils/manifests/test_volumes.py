# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/manifests/volumes.py: the nfs_volumes role's PersistentVolumes
and the reclaim patches (pure logic, no cluster)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import SpecError
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.volumes import (
    VOLUME_SET_LABEL,
    bound_volumes,
    reclaim_patches,
    render_persistent_volumes,
)
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.manifests.tutorial import (
    EXPORTS,
    TUTORIAL_PV_PARAMS,
)


# --------------------------------------------------------------------------- PersistentVolumes
def test_tutorial_pvs_from_export_facts():
    pvs = render_persistent_volumes(TUTORIAL_PV_PARAMS, prefix="nfs_volumes_")
    assert [pv["metadata"]["name"] for pv in pvs] == ["pv001", "pv002", "pv003", "pv004"]
    assert [pv["spec"]["capacity"]["storage"] for pv in pvs] == ["1Gi", "1Gi", "2Gi", "2Gi"]
    assert pvs[0] == {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": "pv001", "labels": {
            "app.kubernetes.io/managed-by": "stateful.nfs",
            "stateful.nfs/volume-set": "tutorial",
            "stateful.nfs/export": "v1",
        }},
        "spec": {
            "capacity": {"storage": "1Gi"},
            "accessModes": ["ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain",
            "storageClassName": "",
            "nfs": {"server": "127.0.0.1", "path": "/nfs-data/v1"},
            "mountOptions": ["nfsvers=4.1"],
        },
    }


def test_pv_uses_pseudo_path_and_non_default_port():
    exports = [dict(EXPORTS[0], pseudo="/exports/v1", port=12049)]
    pv = render_persistent_volumes({"exports": exports, "mount_options": ["nfsvers=4.1"]})[0]
    assert pv["spec"]["nfs"] == {"server": "127.0.0.1", "path": "/exports/v1"}
    assert pv["spec"]["mountOptions"] == ["nfsvers=4.1", "port=12049"]


def test_pv_without_pseudo_falls_back_to_path_and_default_capacity():
    exports = [dict(EXPORTS[0], pseudo=None), dict(EXPORTS[1], pseudo="")]
    pvs = render_persistent_volumes({"exports": exports, "capacity": "5Gi", "capacities": ["3Gi"]})
    assert [pv["spec"]["nfs"]["path"] for pv in pvs] == ["/nfs-data/v1", "/nfs-data/v2"]
    assert [pv["spec"]["capacity"]["storage"] for pv in pvs] == ["3Gi", "5Gi"]
    assert "mountOptions" not in pvs[0]["spec"]


def test_pv_pinning_binds_each_pv_to_its_ordinal_claim():
    params = dict(TUTORIAL_PV_PARAMS, pin={"statefulset": "myapp", "claim_template": "myappdata",
                                           "namespace": "shop", "ordinal_start": 2})
    pvs = render_persistent_volumes(params)
    assert [pv["spec"]["claimRef"] for pv in pvs] == [
        {"namespace": "shop", "name": "myappdata-myapp-%d" % n} for n in (2, 3, 4, 5)
    ]
    assert [pv["metadata"]["labels"]["stateful.nfs/ordinal"] for pv in pvs] == ["2", "3", "4", "5"]


def test_pv_explicit_list_with_overrides():
    volumes = [
        {"name": "data-a", "server": "nfs.example.org", "path": "/srv/a", "capacity": "10Gi",
         "access_modes": ["ReadWriteMany"], "labels": {"team": "db"}, "mount_options": ["nfsvers=3"]},
        {"server": "nfs.example.org", "path": "/srv/b", "claim_ref": {"namespace": "db", "name": "data-db-0"}},
    ]
    pvs = render_persistent_volumes({"list": volumes, "name_prefix": "nfs-", "name_digits": 2,
                                     "index_start": 7, "mount_options": ["nfsvers=4.2"]})
    assert pvs[0]["metadata"]["name"] == "data-a"
    assert pvs[0]["spec"]["accessModes"] == ["ReadWriteMany"]
    assert pvs[0]["spec"]["mountOptions"] == ["nfsvers=3"]
    assert pvs[0]["metadata"]["labels"]["team"] == "db"
    assert pvs[1]["metadata"]["name"] == "nfs-08"
    assert pvs[1]["spec"]["claimRef"] == {"namespace": "db", "name": "data-db-0"}
    assert pvs[1]["spec"]["mountOptions"] == ["nfsvers=4.2"]


@pytest.mark.parametrize("overrides, field", [
    ({"list": [{"server": "h", "path": "/x"}]}, "nfs_volumes_exports, nfs_volumes_list"),
    ({"capacities": ["1GB"]}, "nfs_volumes_capacities[0]"),
    ({"capacities": ["0"]}, "nfs_volumes_capacities[0]"),
    ({"capacity": "lots"}, "nfs_volumes_capacity"),
    ({"reclaim_policy": "Recycle"}, "nfs_volumes_reclaim_policy"),
    ({"reclaim_policy": "Keep"}, "nfs_volumes_reclaim_policy"),
    ({"access_modes": ["RWO"]}, "nfs_volumes_access_modes[0]"),
    ({"access_modes": []}, "nfs_volumes_access_modes"),
    ({"name_prefix": "PV_"}, "nfs_volumes_name_prefix"),
    ({"mount_options": ["nfsvers=4.1,hard"]}, "nfs_volumes_mount_options[0]"),
    ({"labels": {"bad key": "x"}}, "nfs_volumes_labels"),
    ({"storage_class_name": "Fast_Class"}, "nfs_volumes_storage_class_name"),
    ({"volume_set": ""}, "nfs_volumes_volume_set"),
    ({"pin": {"statefulset": "My_App", "claim_template": "data"}}, "nfs_volumes_pin.statefulset"),
    ({"pin": {"statefulset": "myapp", "claim_template": "data", "ordinal": 1}}, "nfs_volumes_pin"),
    ({"exports": [dict(EXPORTS[0], pseudo="relative/v1")]}, "nfs_volumes_exports[0].pseudo"),
    ({"exports": [dict(EXPORTS[0], server="nfs://host")]}, "nfs_volumes_exports[0].server"),
    ({"exports": [EXPORTS[0], dict(EXPORTS[1], pseudo="/nfs-data/v1")]}, "nfs_volumes_exports[1]"),
    ({"exports": [dict(EXPORTS[0], port=70000)]}, "nfs_volumes_exports[0].port"),
])
def test_pv_invalid_inputs_name_the_field(overrides, field):
    params = dict(TUTORIAL_PV_PARAMS)
    params.update(overrides)
    with pytest.raises(SpecError) as err:
        render_persistent_volumes(params, prefix="nfs_volumes_")
    assert str(err.value).startswith(field), str(err.value)


def test_pv_duplicate_names_refused():
    volumes = [{"name": "pv1", "server": "h", "path": "/a"}, {"name": "pv1", "server": "h", "path": "/b"}]
    with pytest.raises(SpecError, match=r"nfs_volumes_list\[1\].name: PersistentVolume name 'pv1' is used twice"):
        render_persistent_volumes({"list": volumes}, prefix="nfs_volumes_")


def test_pv_unknown_key_in_explicit_list():
    with pytest.raises(SpecError, match=r"list\[0\]: unknown keys capcity"):
        render_persistent_volumes({"list": [{"server": "h", "path": "/a", "capcity": "1Gi"}]})


# --------------------------------------------------------------------------- reclaim
def _live_pv(name, phase, claim=None, uid="u-1", volume_set="tutorial"):
    pv = {"metadata": {"name": name, "labels": {VOLUME_SET_LABEL: volume_set}},
          "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "storageClassName": ""},
          "status": {"phase": phase}}
    if claim:
        pv["spec"]["claimRef"] = {"kind": "PersistentVolumeClaim", "namespace": "default", "name": claim,
                                  "uid": uid, "apiVersion": "v1", "resourceVersion": "42"}
    return pv


def test_reclaim_keeps_claim_name_by_default_and_skips_non_released():
    live = [_live_pv("pv001", "Released", "myappdata-myapp-0"), _live_pv("pv002", "Bound", "myappdata-myapp-1"),
            _live_pv("pv003", "Available")]
    assert reclaim_patches(live) == [{
        "apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv001"},
        "spec": {"claimRef": {"uid": None, "resourceVersion": None}},
    }]


def test_reclaim_release_mode_and_filters():
    live = [_live_pv("pv001", "Released", "a"), _live_pv("pv002", "Released", "b"),
            _live_pv("pv009", "Released", "c", volume_set="other")]
    patches = reclaim_patches(live, mode="release", volume_set="tutorial")
    assert [(p["metadata"]["name"], p["spec"]["claimRef"]) for p in patches] == [("pv001", None), ("pv002", None)]
    assert [p["metadata"]["name"] for p in reclaim_patches(live, names=["pv002"])] == ["pv002"]
    with pytest.raises(SpecError, match="reclaim_mode"):
        reclaim_patches(live, mode="wipe")


# --------------------------------------------------------------------------- volumes still bound
def test_bound_volumes_of_the_set_name_their_claims():
    live = [_live_pv("pv001", "Bound", "myappdata-myapp-0"), _live_pv("pv002", "Released", "myappdata-myapp-1"),
            _live_pv("pv003", "Available"), _live_pv("pv004", "Bound", "other-0", volume_set="other")]
    assert bound_volumes(live, "tutorial") == ["pv001 is Bound to default/myappdata-myapp-0"]
    assert bound_volumes(live) == ["pv001 is Bound to default/myappdata-myapp-0", "pv004 is Bound to default/other-0"]
    assert bound_volumes([]) == [] and bound_volumes(None) == []
