# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The storage check: one bound claim per pod and volumeClaimTemplate (pure, no I/O).

For every pod that exists and every volumeClaimTemplate ``<vct>``, the claim
``<vct>-<sts>-<ordinal>`` must exist, be the one the pod mounts, be Bound to a volume
(the expected one when pinned), whose claimRef points back at it, with a capacity of at
least the template's request and every access mode the template asks for. A Pending
claim is reported with the binder's latest event (e.g. "no persistent volumes available
for this claim and no storage class is set").
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.quantity import parse_quantity
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import pvc_name

CHECK = "storage"


def normalize_expected_volumes(value, templates):
    """Validate ``expected_volumes`` and return ``{(ordinal, template): pv_name}``.

    Accepts ``{ordinal: pv}`` (for a StatefulSet with one volumeClaimTemplate) or
    ``{ordinal: {template: pv}}``. Ordinal keys may be strings (YAML keys usually are).
    """
    result = {}
    if not value:
        return result
    if not isinstance(value, dict):
        raise ValueError("expected_volumes: must be a mapping of ordinal to PersistentVolume name")
    for key, pv in value.items():
        field = "expected_volumes[%r]" % (key,)
        try:
            ordinal = int(key)
        except (TypeError, ValueError):
            raise ValueError("%s: the key must be a pod ordinal (an integer), got %r" % (field, key))
        if ordinal < 0:
            raise ValueError("%s: the ordinal must be >= 0" % field)
        if isinstance(pv, str):
            if len(templates) != 1:
                raise ValueError("%s: the StatefulSet has %d volumeClaimTemplates (%s); give a mapping of template "
                                 "name to PersistentVolume name" % (field, len(templates), ", ".join(templates) or "none"))
            result[(ordinal, templates[0])] = pv
        elif isinstance(pv, dict):
            for template, name in pv.items():
                if template not in templates:
                    raise ValueError("%s: %r is not a volumeClaimTemplate of the StatefulSet (it has: %s)"
                                     % (field, template, ", ".join(templates) or "none"))
                if not isinstance(name, str) or not name:
                    raise ValueError("%s[%r]: must be a PersistentVolume name" % (field, template))
                result[(ordinal, template)] = name
        else:
            raise ValueError("%s: must be a PersistentVolume name or a mapping of template to name" % field)
    return result


def _mounted_claim(pod, template):
    for volume in obj.spec(pod).get("volumes") or []:
        if volume.get("name") == template:
            return (volume.get("persistentVolumeClaim") or {}).get("claimName")
    return None


def check_storage(sts, pods, claims, volumes, events, expected_volumes=None):
    """Return ``{"status", "summary", "violations", "claims"}``.

    ``claims``: the namespace's PVCs; ``volumes``: PVs (all or the bound ones);
    ``events``: Events about the claims; ``expected_volumes``: as accepted by
    ``normalize_expected_volumes``.
    """
    name = obj.meta(sts).get("name")
    namespace = obj.meta(sts).get("namespace") or "default"
    templates = obj.claim_templates(sts)
    expected = normalize_expected_volumes(expected_volumes, [t[0] for t in templates]) if templates else {}
    by_claim = dict((obj.meta(c).get("name"), c) for c in claims)
    by_volume = dict((obj.meta(v).get("name"), v) for v in volumes)
    rows, violations = [], []
    if not templates:
        if expected_volumes:
            violations.append({"check": CHECK, "pod": None, "message": "expected_volumes is set but StatefulSet %s "
                               "has no volumeClaimTemplates" % name})
        return _result(name, rows, violations, "StatefulSet %s has no volumeClaimTemplates: no claims to check" % name)
    own = obj.owned_pods(sts, pods)
    seen = set()
    for pod in own:
        ordinal = obj.pod_ordinal(pod, name)
        seen.add(ordinal)
        for template_name, template in templates:
            row, problems = _check_claim(namespace, name, ordinal, pod, template_name, template, by_claim,
                                         by_volume, events, expected.get((ordinal, template_name)))
            rows.append(row)
            violations.extend({"check": CHECK, "pod": row["pod"], "message": p} for p in problems)
    for (ordinal, template_name), pv in sorted(expected.items()):
        if ordinal not in seen and ordinal in obj.desired_ordinals(sts):
            violations.append({"check": CHECK, "pod": "%s-%d" % (name, ordinal),
                               "message": "%s-%d does not exist, so its claim %s cannot be bound to the expected "
                               "volume %s" % (name, ordinal, pvc_name(template_name, name, ordinal), pv)})
    summary = violations[0]["message"] if violations else bound_summary(rows)
    return _result(name, rows, violations, summary)


def bound_summary(rows):
    """The sentence for claims that passed: how many are Bound and, only when volumes were
    expected for them, how many of those are on their expected volume."""
    bound = sum(1 for r in rows if r["phase"] == "Bound")
    pinned = sum(1 for r in rows if r["expected_volume"])
    summary = "%d of %d claims Bound" % (bound, len(rows))
    if pinned and pinned == len(rows):
        return summary + " to the expected volumes"
    if pinned:
        return summary + ", %d of them to the expected volume%s" % (pinned, "" if pinned == 1 else "s")
    return summary


def _result(name, rows, violations, summary):
    return {"status": "failed" if violations else "passed", "summary": summary,
            "violations": violations, "claims": rows}


def _check_claim(namespace, sts_name, ordinal, pod, template_name, template, by_claim, by_volume, events, want_pv):
    claim_name = pvc_name(template_name, sts_name, ordinal)
    pod_name = obj.meta(pod).get("name")
    request = ((obj.spec(template).get("resources") or {}).get("requests") or {}).get("storage")
    want_modes = obj.spec(template).get("accessModes") or []
    claim = by_claim.get(claim_name)
    row = {"ordinal": ordinal, "pod": pod_name, "template": template_name, "claim": claim_name,
           "phase": None, "volume": None, "expected_volume": want_pv, "capacity": None, "request": request,
           "access_modes": [], "storage_class": None, "reason": None}
    problems = []
    mounted = _mounted_claim(pod, template_name)
    if mounted != claim_name:
        problems.append("%s mounts claim %r for template %s, expected %s" % (pod_name, mounted, template_name,
                                                                             claim_name))
    if claim is None:
        problems.append("claim %s of %s does not exist" % (claim_name, pod_name))
        return row, problems
    cst, csp = obj.status(claim), obj.spec(claim)
    row.update({"phase": cst.get("phase"), "volume": csp.get("volumeName") or None,
                "capacity": (cst.get("capacity") or {}).get("storage"),
                "access_modes": cst.get("accessModes") or [], "storage_class": csp.get("storageClassName")})
    if row["phase"] != "Bound":
        event = obj.latest_event_for(events, "PersistentVolumeClaim", claim_name)
        if event is not None:
            row["reason"] = "%s: %s" % (event.get("reason"), event.get("message") or event.get("note"))
        problems.append("claim %s of %s is %s%s" % (claim_name, pod_name, row["phase"] or "without a phase",
                                                    ": %s" % row["reason"] if row["reason"] else
                                                    " (no binder event found)"))
        return row, problems
    volume = by_volume.get(row["volume"])
    if want_pv and row["volume"] != want_pv:
        problems.append("claim %s of %s is bound to %s, expected %s" % (claim_name, pod_name, row["volume"], want_pv))
    if volume is None:
        problems.append("claim %s of %s is bound to %s, which does not exist" % (claim_name, pod_name, row["volume"]))
    else:
        ref = obj.spec(volume).get("claimRef") or {}
        if ref.get("name") != claim_name or (ref.get("namespace") or namespace) != namespace or \
                (ref.get("uid") and ref.get("uid") != obj.meta(claim).get("uid")):
            problems.append("volume %s does not point back at claim %s/%s (claimRef %s/%s)"
                            % (row["volume"], namespace, claim_name, ref.get("namespace"), ref.get("name")))
        pv_modes = obj.spec(volume).get("accessModes") or []
        missing = [m for m in want_modes if m not in pv_modes]
        if missing:
            problems.append("volume %s of claim %s lacks access mode(s) %s" % (row["volume"], claim_name,
                                                                               ", ".join(missing)))
    missing = [m for m in want_modes if m not in row["access_modes"]]
    if missing:
        problems.append("claim %s of %s lacks access mode(s) %s (has %s)"
                        % (claim_name, pod_name, ", ".join(missing), ", ".join(row["access_modes"]) or "none"))
    if request:
        if row["capacity"] is None:
            problems.append("claim %s of %s reports no capacity (requested %s)" % (claim_name, pod_name, request))
        elif parse_quantity(row["capacity"], "capacity of %s" % claim_name) < parse_quantity(request, "request"):
            problems.append("claim %s of %s has capacity %s, less than the %s requested"
                            % (claim_name, pod_name, row["capacity"], request))
    return row, problems
