# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The storage pre-flight: which claims of a StatefulSet can no PersistentVolume satisfy (pure, no I/O).

``unbindable_claims`` follows the PV binder's matching rules for static binding, so a scale-up
that would stall on a Pending claim is named before anything is applied; ``static_classes`` tells
the classes a provisioner serves (those claims are not checked) and the default class.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from decimal import Decimal

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import selector_matches
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import SpecError, _quantity
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.statefulset import claim_names

NO_PROVISIONER = "kubernetes.io/no-provisioner"
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
REJECTED_SHOWN = 8


def _pv_capacity(pv):
    try:
        return _quantity(((pv.get("spec") or {}).get("capacity") or {}).get("storage"), "capacity")
    except SpecError:
        return Decimal(-1)


def _claim_ref_key(pv):
    ref = (pv.get("spec") or {}).get("claimRef") or {}
    if not ref:
        return None
    return (ref.get("namespace"), ref.get("name"), ref.get("uid"))


def _pv_state(pv):
    phase = (pv.get("status") or {}).get("phase") or "Available"
    ref = _claim_ref_key(pv)
    if ref and phase == "Released":
        return "Released (stale claimRef %s/%s: run the reclaim action)" % (ref[0], ref[1])
    if ref:
        return "%s (claimRef %s/%s)" % (phase, ref[0], ref[1])
    return phase


def static_classes(storage_classes):
    """``(provisioning, default)``: the classes a provisioner serves, and the default class name."""
    provisioning, default = set(), None
    for klass in storage_classes or []:
        meta = klass.get("metadata") or {}
        if klass.get("provisioner") and klass.get("provisioner") != NO_PROVISIONER:
            provisioning.add(meta.get("name"))
        if (meta.get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true":
            default = meta.get("name")
    return provisioning, default


def unbindable_claims(statefulset, persistent_volumes, claims, storage_classes=None):
    """Claims of ``statefulset`` (at its desired replicas) that no existing PV can satisfy.

    Only statically bound claims are checked: class ``""``, or a class no provisioner serves
    (no StorageClass of that name in ``storage_classes``, or ``kubernetes.io/no-provisioner``);
    an unset class means the default StorageClass when there is one. Otherwise a provisioner may
    create the volume. The PV binder's rules are followed: a PV pre-bound (claimRef) to the claim
    wins; otherwise an Available PV without claimRef, same class and volume mode, access modes
    covering the request, capacity >= request, matching the template's selector, smallest first.
    Bound claims are fine. Returns a list of ``{"claim", "ordinal", "reason"}``, in ordinal order.
    """
    namespace = statefulset["metadata"].get("namespace", "default")
    provisioning, default_class = static_classes(storage_classes)
    live_claims = dict(((c.get("metadata") or {}).get("name"), c) for c in claims or [])
    pvs = dict(((pv.get("metadata") or {}).get("name"), pv) for pv in persistent_volumes or [])
    taken = {}
    problems = []
    for ordinal, tpl, name in claim_names(statefulset):
        tpl_spec = tpl.get("spec") or {}
        live = live_claims.get(name)
        if live is not None:
            if (live.get("status") or {}).get("phase") == "Bound":
                taken[(live.get("spec") or {}).get("volumeName")] = name
                continue
            spec = live.get("spec") or {}
            uid = (live.get("metadata") or {}).get("uid")
        else:
            spec = tpl_spec
            uid = None
        klass = spec.get("storageClassName")
        if klass is None:
            klass = default_class or ""
        if klass in provisioning:
            continue
        try:
            request = _quantity(((spec.get("resources") or {}).get("requests") or {}).get("storage"), name)
        except SpecError:
            continue
        modes = set(spec.get("accessModes") or [])
        volume_mode = spec.get("volumeMode") or "Filesystem"
        selector = spec.get("selector") or {}
        if spec.get("volumeName"):
            pv = pvs.get(spec["volumeName"])
            if pv is None:
                problems.append({"claim": name, "ordinal": ordinal,
                                 "reason": "claim %s/%s names volume %s, which does not exist" % (namespace, name, spec["volumeName"])})
            else:
                taken[spec["volumeName"]] = name
            continue
        best = None
        rejected = []
        other_classes = 0
        for pv_name in sorted(pvs):
            pv = pvs[pv_name]
            pv_spec = pv.get("spec") or {}
            if (pv_spec.get("storageClassName") or "") != klass:
                other_classes += 1
                continue
            ref = _claim_ref_key(pv)
            pre_bound = ref is not None and ref[0] == namespace and ref[1] == name and (not ref[2] or ref[2] == uid)
            phase = (pv.get("status") or {}).get("phase") or "Available"
            if (pv.get("metadata") or {}).get("deletionTimestamp"):
                rejected.append("%s being deleted" % pv_name)
                continue
            if ref is not None and not pre_bound:
                rejected.append("%s %s" % (pv_name, _pv_state(pv)))
                continue
            if pv_name in taken:
                rejected.append("%s goes to %s" % (pv_name, taken[pv_name]))
                continue
            if phase not in ("Available", "Pending") and not pre_bound:
                rejected.append("%s %s" % (pv_name, phase))
                continue
            if (pv_spec.get("volumeMode") or "Filesystem") != volume_mode:
                rejected.append("%s volumeMode %s" % (pv_name, pv_spec.get("volumeMode")))
                continue
            if not modes.issubset(set(pv_spec.get("accessModes") or [])):
                rejected.append("%s accessModes %s" % (pv_name, ",".join(pv_spec.get("accessModes") or [])))
                continue
            if _pv_capacity(pv) < request:
                rejected.append("%s too small (%s)" % (pv_name, ((pv_spec.get("capacity") or {}).get("storage"))))
                continue
            if selector and not selector_matches(selector, (pv.get("metadata") or {}).get("labels") or {}):
                rejected.append("%s labels do not match the claim selector" % pv_name)
                continue
            candidate = (0 if pre_bound else 1, _pv_capacity(pv), pv_name)
            if best is None or candidate < best:
                best = candidate
        if best is None:
            storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
            if rejected:
                shown = rejected[:REJECTED_SHOWN]
                if len(rejected) > REJECTED_SHOWN:
                    shown.append("%d more" % (len(rejected) - REJECTED_SHOWN))
                detail = " [" + "; ".join(shown) + "]"
            else:
                detail = " (there are no PersistentVolumes of class %r)" % klass
            problems.append({
                "claim": name,
                "ordinal": ordinal,
                "reason": "claim %s/%s (storageClassName %r, %s, %s) would stay Pending: no Available "
                "PersistentVolume fits%s%s" % (
                    namespace, name, klass, ",".join(sorted(modes)), storage, detail,
                    (" (%d of other classes not considered)" % other_classes) if other_classes and rejected else ""),
            })
        else:
            taken[best[2]] = name
    return problems
