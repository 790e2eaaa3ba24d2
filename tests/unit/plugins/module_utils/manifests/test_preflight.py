# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/manifests/preflight.py: the PV binder's rules for static
binding, claim by claim."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.preflight import unbindable_claims
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.manifests.tutorial import TUTORIAL_STS, sts


# --------------------------------------------------------------------------- storage pre-flight
def _pv(name, size, phase="Available", claim=None, uid=None, klass="", modes=("ReadWriteOnce",), labels=None):
    pv = {"metadata": {"name": name, "labels": labels or {}},
          "spec": {"capacity": {"storage": size}, "accessModes": list(modes), "storageClassName": klass,
                   "persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem",
                   "nfs": {"server": "127.0.0.1", "path": "/nfs-data/" + name}},
          "status": {"phase": phase}}
    if claim:
        pv["spec"]["claimRef"] = {"namespace": "default", "name": claim}
        if uid:
            pv["spec"]["claimRef"]["uid"] = uid
    return pv


def _pvc(name, phase="Bound", volume=None, uid="c-uid"):
    pvc = {"metadata": {"name": name, "namespace": "default", "uid": uid},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                    "storageClassName": "", "volumeMode": "Filesystem"},
           "status": {"phase": phase}}
    if volume:
        pvc["spec"]["volumeName"] = volume
    return pvc


TUTORIAL_PVS = [_pv("pv001", "1Gi"), _pv("pv002", "1Gi"), _pv("pv003", "2Gi"), _pv("pv004", "2Gi")]


def test_tutorial_three_replicas_all_bindable():
    assert unbindable_claims(sts()["statefulset"], TUTORIAL_PVS, []) == []


def test_fifth_claim_with_four_pvs_is_named():
    problems = unbindable_claims(sts(replicas=5)["statefulset"], TUTORIAL_PVS, [])
    assert [(p["claim"], p["ordinal"]) for p in problems] == [("myappdata-myapp-4", 4)]
    assert "would stay Pending" in problems[0]["reason"]
    assert "pv004 goes to myappdata-myapp-3" in problems[0]["reason"]
    assert "pv001 goes to myappdata-myapp-0" in problems[0]["reason"]


def test_bound_claims_keep_their_volumes_and_scale_up_uses_the_rest():
    live_pvs = [_pv("pv001", "1Gi", "Bound", "myappdata-myapp-0", "a"), _pv("pv002", "1Gi", "Bound", "myappdata-myapp-1", "b"),
                _pv("pv003", "2Gi", "Bound", "myappdata-myapp-2", "c"), _pv("pv004", "2Gi")]
    claims = [_pvc("myappdata-myapp-%d" % i, volume="pv00%d" % (i + 1)) for i in range(3)]
    assert unbindable_claims(sts(replicas=4)["statefulset"], live_pvs, claims) == []
    problems = unbindable_claims(sts(replicas=5)["statefulset"], live_pvs, claims)
    assert [p["claim"] for p in problems] == ["myappdata-myapp-4"]
    assert "pv001 Bound (claimRef default/myappdata-myapp-0)" in problems[0]["reason"]


def test_released_pv_is_explained():
    live_pvs = [_pv("pv001", "1Gi", "Released", "myappdata-myapp-0", "old-uid")]
    problems = unbindable_claims(sts(replicas=1)["statefulset"], live_pvs, [])
    assert "Released (stale claimRef default/myappdata-myapp-0: run the reclaim action)" in problems[0]["reason"]


def test_pre_bound_pv_wins_and_is_reserved():
    live_pvs = [_pv("pv001", "1Gi", claim="myappdata-myapp-1"), _pv("pv002", "2Gi")]
    assert unbindable_claims(sts(replicas=2)["statefulset"], live_pvs, []) == []
    problems = unbindable_claims(sts(replicas=1)["statefulset"], [live_pvs[0]], [])
    assert "claimRef default/myappdata-myapp-1" in problems[0]["reason"]


def test_capacity_mode_class_and_selector_rules():
    tpl = dict(TUTORIAL_STS["volume_claim_templates"][0], storage="2Gi", selector={"disk": "fast"})
    s = sts(replicas=1, volume_claim_templates=[tpl])["statefulset"]
    live_pvs = [_pv("a", "1Gi", labels={"disk": "fast"}), _pv("b", "4Gi", klass="gold", labels={"disk": "fast"}),
                _pv("c", "4Gi", modes=("ReadOnlyMany",), labels={"disk": "fast"}), _pv("d", "4Gi")]
    reason = unbindable_claims(s, live_pvs, [])[0]["reason"]
    for needle in ("a too small (1Gi)", "c accessModes ReadOnlyMany", "d labels do not match",
                   "(1 of other classes not considered)"):
        assert needle in reason
    assert "b " not in reason.split("[", 1)[1]
    assert unbindable_claims(s, live_pvs + [_pv("e", "3Gi", labels={"disk": "fast"})], []) == []


PROVISIONING = [{"metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
                 "provisioner": "nfs.csi.k8s.io"},
                {"metadata": {"name": "local"}, "provisioner": "kubernetes.io/no-provisioner"}]


def test_class_served_by_a_provisioner_is_not_checked():
    tpl = dict(TUTORIAL_STS["volume_claim_templates"][0], storage_class_name="standard")
    s = sts(volume_claim_templates=[tpl])["statefulset"]
    assert unbindable_claims(s, [], [], PROVISIONING) == []
    # unset class: the default StorageClass provisions
    tpl = dict(TUTORIAL_STS["volume_claim_templates"][0], storage_class_name=None)
    assert unbindable_claims(sts(volume_claim_templates=[tpl])["statefulset"], [], [], PROVISIONING) == []


def test_static_named_classes_are_checked():
    for klass, classes in (("standard", []), ("local", PROVISIONING), ("it-k8s-x", PROVISIONING)):
        tpl = dict(TUTORIAL_STS["volume_claim_templates"][0], storage_class_name=klass)
        s = sts(replicas=2, volume_claim_templates=[tpl])["statefulset"]
        problems = unbindable_claims(s, [_pv("pv1", "1Gi", klass=klass), _pv("pv2", "1Gi")], [], classes)
        assert [p["claim"] for p in problems] == ["myappdata-myapp-1"], klass
        assert "storageClassName %r" % klass in problems[0]["reason"]
    # unset class and no default StorageClass: like ""
    tpl = dict(TUTORIAL_STS["volume_claim_templates"][0], storage_class_name=None)
    problems = unbindable_claims(sts(replicas=1, volume_claim_templates=[tpl])["statefulset"], [], [], [])
    assert "storageClassName ''" in problems[0]["reason"]


def test_no_pvs_at_all():
    problems = unbindable_claims(sts(replicas=1)["statefulset"], [], [])
    assert "there are no PersistentVolumes of class ''" in problems[0]["reason"]


def test_pending_claim_naming_missing_volume():
    claims = [_pvc("myappdata-myapp-0", phase="Pending", volume="gone")]
    problems = unbindable_claims(sts(replicas=1)["statefulset"], TUTORIAL_PVS, claims)
    assert "names volume gone, which does not exist" in problems[0]["reason"]
