# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/manifests/volumes.py: the nfs_volumes role's PersistentVolumes,
the refusal of an export another live PersistentVolume already uses, and the reclaim patches (pure
logic, no cluster)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import SpecError
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.volumes import (
    VOLUME_SET_LABEL,
    bound_volumes,
    place_volumes,
    pv_apply_plan,
    reclaim_patches,
    refuse_shared_exports,
    render_persistent_volumes,
    render_volume_set,
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


# --------------------------------------------------------------------------- one export, two volume sets
def _nfs_pv(name, server="127.0.0.1", path="/nfs-data/v1", options=None, volume_set="other", phase="Available",
            claim=None, deleting=False):
    """A live PersistentVolume as kubernetes.core.k8s_info returns it."""
    pv = {"apiVersion": "v1", "kind": "PersistentVolume",
          "metadata": {"name": name, "labels": {VOLUME_SET_LABEL: volume_set} if volume_set else {}},
          "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                   "nfs": {"server": server, "path": path}},
          "status": {"phase": phase}}
    if options is not None:
        pv["spec"]["mountOptions"] = options
    if claim:
        pv["spec"]["claimRef"] = {"namespace": "shop", "name": claim, "uid": "u-9"}
    if deleting:
        pv["metadata"]["deletionTimestamp"] = "2024-01-02T03:04:05Z"
    return pv


# Written otherwise, the same export as the tutorial's pv001 (127.0.0.1:/nfs-data/v1, port 2049); the
# comparison itself: test_volume_exports.py.
SAME_EXPORT = [
    ("127.0.0.1", "/nfs-data/v1/", None),  # trailing slash
    ("127.0.0.1", "//nfs-data//v1//", None),  # doubled slashes
    ("127.0.0.1", "/nfs-data/./v1/.", None),  # . components
    ("127.0.0.1", "/nfs-data/old/../v1", None),  # .. components
    ("127.0.0.1", "/nfs-data/v1", ["nfsvers=4.1", "port=2049"]),  # the default port, written out
    ("127.0.0.1", "/nfs-data/v1", ["nfsvers=4.1,port=2049,hard"]),  # options in one item (a PV made by hand)
]
OTHER_EXPORT = [
    ("127.0.0.2", "/nfs-data/v1", None),  # another server
    ("localhost", "/nfs-data/v1", None),  # names are not resolved: another server
    ("127.0.0.1", "/nfs-data/v1/sub", None),  # a directory below is another directory
    ("127.0.0.1", "/nfs-data/v1", ["port=12049"]),  # another server process on the same host
]


@pytest.mark.parametrize("server, path, options", SAME_EXPORT)
def test_a_live_volume_written_otherwise_on_the_export_is_refused(server, path, options):
    live = [_nfs_pv("other-pv001", server, path, options)]
    with pytest.raises(SpecError) as err:
        render_persistent_volumes(dict(TUTORIAL_PV_PARAMS, cluster_volumes=live), prefix="nfs_volumes_")
    assert str(err.value).startswith("nfs_volumes_exports[0]: PersistentVolume pv001 would use export 127.0.0.1:/nfs-data/v1, "
                                     "which PersistentVolume other-pv001 (volume set other, Available) already uses")


@pytest.mark.parametrize("server, path, options", OTHER_EXPORT)
def test_a_live_volume_on_another_export_is_no_collision(server, path, options):
    live = [_nfs_pv("other-pv001", server, path, options)]
    assert render_volume_set(dict(TUTORIAL_PV_PARAMS, cluster_volumes=live), prefix="nfs_volumes_")[1] == []


def test_another_volume_set_on_the_export_is_refused_naming_both_volumes_and_the_export():
    live = [_nfs_pv("other-pv001", path="//nfs-data//v1/", claim="data-0", phase="Bound")]
    with pytest.raises(SpecError) as err:
        render_persistent_volumes(dict(TUTORIAL_PV_PARAMS, cluster_volumes=live), prefix="nfs_volumes_")
    assert str(err.value) == (
        "nfs_volumes_exports[0]: PersistentVolume pv001 would use export 127.0.0.1:/nfs-data/v1, which "
        "PersistentVolume other-pv001 (volume set other, Bound to shop/data-0) already uses "
        "(written 127.0.0.1://nfs-data//v1/). Two PersistentVolumes on one export let two applications write "
        "the same directory; nothing was changed. Use another export, delete the other PersistentVolume, or set "
        "nfs_volumes_allow_shared_exports=true to share the export on purpose (ReadWriteMany)")


def test_every_shared_export_is_named_in_one_refusal():
    live = [_nfs_pv("hand-made", server="127.0.0.1", path="/nfs-data/v2", volume_set=None),
            _nfs_pv("old-pv004", path="/nfs-data/v4", phase="Released", deleting=True),
            _nfs_pv("elsewhere", server="10.0.0.9", path="/nfs-data/v3")]
    with pytest.raises(SpecError) as err:
        render_persistent_volumes(dict(TUTORIAL_PV_PARAMS, cluster_volumes=live), prefix="nfs_volumes_")
    message = str(err.value)
    assert message.startswith("nfs_volumes_exports[1]: PersistentVolume pv002 would use export 127.0.0.1:/nfs-data/v2, "
                              "which PersistentVolume hand-made (in no volume set, Available) already uses; "
                              "nfs_volumes_exports[3]: PersistentVolume pv004 would use export 127.0.0.1:/nfs-data/v4, "
                              "which PersistentVolume old-pv004 (volume set other, Released, being deleted) already uses. ")
    assert "pv003" not in message and "elsewhere" not in message


def test_explicit_list_entry_is_named_and_the_port_is_shown():
    volumes = [{"server": "nfs.example.org", "path": "/srv/a"}, {"server": "nfs.example.org", "path": "/srv/b", "port": 12049}]
    live = [_nfs_pv("b-by-hand", server="NFS.example.org", path="/srv/b/", options=["nfsvers=4.1,port=12049"])]
    with pytest.raises(SpecError) as err:
        render_persistent_volumes({"list": volumes, "name_prefix": "shop-pv", "cluster_volumes": live},
                                  prefix="nfs_volumes_")
    assert str(err.value).startswith(
        "nfs_volumes_list[1]: PersistentVolume shop-pv002 would use export nfs.example.org:/srv/b (port 12049), which "
        "PersistentVolume b-by-hand (volume set other, Available) already uses (written NFS.example.org:/srv/b/ (port 12049)). ")


def test_the_same_volume_another_server_or_port_is_no_collision():
    live = [
        # the volume itself, from an earlier run (same name): the apply updates it
        _nfs_pv("pv001", path="/nfs-data/v1", volume_set="tutorial", phase="Bound", claim="myappdata-myapp-0"),
        _nfs_pv("far-pv002", server="10.0.0.9", path="/nfs-data/v2"),
        _nfs_pv("ganesha-pv003", path="/nfs-data/v3", options=["port=12049"]),
        # not NFS: a hostPath of the same path is another thing
        {"metadata": {"name": "local-v4"}, "spec": {"hostPath": {"path": "/nfs-data/v4"}}},
    ]
    volumes, shared = render_volume_set(dict(TUTORIAL_PV_PARAMS, cluster_volumes=live), prefix="nfs_volumes_")
    assert [pv["metadata"]["name"] for pv in volumes] == ["pv001", "pv002", "pv003", "pv004"]
    assert shared == []
    assert volumes == render_persistent_volumes(TUTORIAL_PV_PARAMS)


def test_allow_shared_exports_turns_the_refusal_into_a_warning():
    live = [_nfs_pv("other-pv001", claim="data-0", phase="Bound")]
    params = dict(TUTORIAL_PV_PARAMS, cluster_volumes=live, allow_shared_exports=True)
    volumes, shared = render_volume_set(params, prefix="nfs_volumes_")
    assert volumes == render_persistent_volumes(TUTORIAL_PV_PARAMS)
    assert shared == [
        "nfs_volumes_exports[0]: PersistentVolume pv001 would use export 127.0.0.1:/nfs-data/v1, which PersistentVolume "
        "other-pv001 (volume set other, Bound to shop/data-0) already uses; shared on purpose "
        "(nfs_volumes_allow_shared_exports=true): both write the same directory"]


def test_place_volumes_names_the_field_of_each_volume():
    placed = place_volumes(TUTORIAL_PV_PARAMS, prefix="nfs_volumes_")
    assert [where for where, _pv in placed] == ["nfs_volumes_exports[%d]" % i for i in range(4)]
    assert [pv for _where, pv in placed] == render_persistent_volumes(TUTORIAL_PV_PARAMS)


def test_refuse_shared_exports_is_the_one_rule_for_both_callers():
    placed = place_volumes(TUTORIAL_PV_PARAMS, prefix="nfs_volumes_")
    live = [_nfs_pv("other-pv001", claim="data-0", phase="Bound")]
    with pytest.raises(SpecError, match=r"^nfs_volumes_exports\[0\]: PersistentVolume pv001 would use export"):
        refuse_shared_exports(placed, live, prefix="nfs_volumes_")
    assert refuse_shared_exports(placed, live, True, "nfs_volumes_") == render_volume_set(
        dict(TUTORIAL_PV_PARAMS, cluster_volumes=live, allow_shared_exports=True), prefix="nfs_volumes_")[1]
    assert refuse_shared_exports(placed, [], prefix="nfs_volumes_") == []


def test_pv_apply_plan_checks_the_apply_input_and_defers_the_shared_export_rule():
    volumes = render_persistent_volumes(TUTORIAL_PV_PARAMS)
    params = {"volumes": volumes, "sources": ["nfs_volumes_exports[%d]" % i for i in range(4)],
              "field_prefix": "nfs_volumes_", "workers": 8}
    planned, check_live = pv_apply_plan(params)
    assert planned == volumes
    assert check_live([]) == []
    with pytest.raises(SpecError, match=r"^nfs_volumes_exports\[0\]: .*nothing was changed"):
        check_live([_nfs_pv("other-pv001")])
    assert len(pv_apply_plan(dict(params, allow_shared_exports=True))[1]([_nfs_pv("other-pv001")])) == 1
    # without sources, the volumes are named by their position in the option
    with pytest.raises(SpecError, match=r"^nfs_volumes_volumes\[1\]: PersistentVolume pv001 is also nfs_volumes_volumes\[0\]"):
        pv_apply_plan({"volumes": [volumes[0], volumes[0]], "field_prefix": "nfs_volumes_"})
    with pytest.raises(SpecError, match=r"^nfs_volumes_workers: must be >= 1"):
        pv_apply_plan(dict(params, workers=0))


def test_within_one_call_the_export_is_compared_the_same_way():
    # the server as a host name: one export, refused
    same = [{"server": "NFS.example.org", "path": "/srv/a"}, {"server": "nfs.example.org", "path": "/srv/a"}]
    with pytest.raises(SpecError, match=r"^nfs_volumes_list\[1\]: export nfs.example.org:/srv/a is already used by "
                                        r"nfs_volumes_list\[0\]"):
        render_persistent_volumes({"list": same}, prefix="nfs_volumes_")
    # another port: two server processes on one host, two exports
    two = [{"server": "127.0.0.1", "path": "/srv/a"}, {"server": "127.0.0.1", "path": "/srv/a", "port": 12049}]
    assert [pv["spec"].get("mountOptions") for pv in render_persistent_volumes({"list": two})] == [None, ["port=12049"]]


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
