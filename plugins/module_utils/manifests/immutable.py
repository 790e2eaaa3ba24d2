# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Desired vs live: the changes the API server would refuse (pure, no I/O).

``immutable_changes`` compares a rendered StatefulSet and Service with the live objects, after
normalising what the API fills in (defaults, decorated claim templates) and quantities
(``1024Mi`` == ``1Gi``), for the fields that cannot change in place.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from decimal import Decimal

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import _quantity

IMMUTABLE_FIELDS = ("spec.selector", "spec.serviceName", "spec.volumeClaimTemplates", "spec.podManagementPolicy")


def _norm_resources(resources):
    out = {}
    for kind in ("requests", "limits"):
        values = (resources or {}).get(kind) or {}
        if values:
            out[kind] = dict((k, _quantity(v, kind + "." + k)) for k, v in values.items())
    return out


def _norm_vct(tpl):
    meta = tpl.get("metadata") or {}
    spec = tpl.get("spec") or {}
    return {
        "name": meta.get("name"),
        "labels": meta.get("labels") or {},
        "annotations": meta.get("annotations") or {},
        "accessModes": list(spec.get("accessModes") or []),
        "resources": _norm_resources(spec.get("resources")),
        "storageClassName": spec.get("storageClassName"),
        "volumeMode": spec.get("volumeMode") or "Filesystem",
        "selector": spec.get("selector") or None,
        "volumeName": spec.get("volumeName") or None,
        "dataSource": spec.get("dataSource") or None,
        "dataSourceRef": spec.get("dataSourceRef") or None,
    }


def _norm_selector(selector):
    selector = selector or {}
    return {
        "matchLabels": selector.get("matchLabels") or {},
        "matchExpressions": selector.get("matchExpressions") or [],
    }


def _plain(value):
    """``value`` with quantities (``Decimal``) as strings, fit for a task result."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return dict((k, _plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _describe(value):
    return repr(_plain(value))


def immutable_changes(desired_statefulset, live_statefulset, desired_service=None, live_service=None):
    """The changes the API would refuse: a list of ``{"field", "live", "desired", "message"}``.

    StatefulSet: selector, serviceName, volumeClaimTemplates (compared after normalising the
    API's defaults and quantities, e.g. ``1024Mi`` == ``1Gi``), podManagementPolicy.
    Service: a live Service that is not headless (clusterIP cannot be changed in place).
    """
    changes = []

    def add(field, live, desired, detail=""):
        changes.append({
            "field": field,
            "live": _plain(live),
            "desired": _plain(desired),
            "message": "%s cannot be changed on an existing object (live %s, desired %s)%s"
            % (field, _describe(live), _describe(desired), detail),
        })

    if live_statefulset:
        want = desired_statefulset.get("spec") or {}
        have = live_statefulset.get("spec") or {}
        if _norm_selector(want.get("selector")) != _norm_selector(have.get("selector")):
            add("statefulset.spec.selector", have.get("selector"), want.get("selector"))
        if want.get("serviceName") != have.get("serviceName"):
            add("statefulset.spec.serviceName", have.get("serviceName"), want.get("serviceName"))
        if (want.get("podManagementPolicy") or "OrderedReady") != (have.get("podManagementPolicy") or "OrderedReady"):
            add("statefulset.spec.podManagementPolicy", have.get("podManagementPolicy"), want.get("podManagementPolicy"))
        want_vcts = [_norm_vct(t) for t in want.get("volumeClaimTemplates") or []]
        have_vcts = [_norm_vct(t) for t in have.get("volumeClaimTemplates") or []]
        if [v["name"] for v in want_vcts] != [v["name"] for v in have_vcts]:
            add("statefulset.spec.volumeClaimTemplates",
                [v["name"] for v in have_vcts], [v["name"] for v in want_vcts], " (template names)")
        else:
            for want_vct, have_vct in zip(want_vcts, have_vcts):
                for key in sorted(want_vct):
                    if want_vct[key] != have_vct[key]:
                        add("statefulset.spec.volumeClaimTemplates[%s].%s" % (want_vct["name"], key),
                            have_vct[key], want_vct[key])
    if live_service and desired_service:
        live_ip = (live_service.get("spec") or {}).get("clusterIP")
        if live_ip != "None":
            add("service.spec.clusterIP", live_ip, "None",
                " - the existing Service %r is not headless" % (live_service.get("metadata") or {}).get("name"))
    return changes
