# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The order check: did the StatefulSet controller create, delete and update pods in
order?  Pure functions over API objects and recorded watch events (no I/O).

This file holds what both sources of evidence share: the violation and timeline row
shapes, the check's result and where an OrderedReady rollout halts. The two sources:

* **watch** (``order_watch.watch_order``): pod and StatefulSet watch events in the
  order the API server delivered them. The order of events is exact, so every rule is
  checked at the moment it applies: pod N is created only when every pod in
  ``[ordinals.start, N)`` exists, is not terminating and is Ready (and, with
  minReadySeconds, has been Ready that long); a deletion happens only when no higher
  ordinal is terminating or un-Ready and no higher ordinal on the same revision is
  left (highest first, one at a time); an update recreates pod N only when every
  higher ordinal down to the partition already runs the update revision.
* **audit** (``order_audit.audit_order``): what is left afterwards. Pod creation
  timestamps and Ready transition times (whole seconds), the controller's
  SuccessfulCreate and SuccessfulDelete events (their names carry nanoseconds) and the
  revision labels. Only what the evidence proves is reported as a violation; what
  whole-second timestamps cannot decide is counted as ``undecided``.

``podManagementPolicy: Parallel`` has no order by design: it is reported as
``unordered``, never as a violation.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj

CHECK = "order"


def violation(pod, message):
    """One violation of the order check."""
    return {"check": CHECK, "pod": pod, "message": message}


def timeline_row(pod, sts_name, source, created=None):
    """A timeline row for one pod incarnation (times are epoch floats)."""
    return {
        "ordinal": obj.pod_ordinal(pod, sts_name),
        "name": obj.meta(pod).get("name"),
        "uid": obj.meta(pod).get("uid"),
        "created": created if created is not None else obj.created(pod),
        "ready": obj.ready_since(pod),
        "terminating": obj.parse_time(obj.meta(pod).get("deletionTimestamp")),
        "deleted": None,
        "revision": obj.revision(pod),
        "ip": obj.pod_ip(pod),
        "node": obj.spec(pod).get("nodeName"),
        "source": source,
    }


def order_result(sts, evidence, violations, timeline, notes, halted, decided=0, undecided=0, unchecked=(),
                 adopted=()):
    """The order check's result: status and summary from the evidence, with its details.

    ``unchecked``: sentences naming what the evidence could not show; ``adopted``: the pods the
    controller did not create. A pass says in its summary what it rests on: "in order" only when
    nothing was undecided or unchecked.
    """
    name = obj.meta(sts).get("name")
    if obj.is_parallel(sts):
        status = "unordered"
        summary = ("StatefulSet %s uses podManagementPolicy Parallel: pods are created and deleted "
                   "without order by design, so there is no order to verify" % name)
    elif violations:
        status = "failed"
        summary = violations[0]["message"]
    elif halted:
        status = "halted"
        summary = halted["message"]
    elif undecided or unchecked:
        status = "passed"
        parts = []
        if undecided:
            parts.append("undecided: %d creation(s) in the same second as a lower pod's Ready transition"
                         % undecided)
        if unchecked:
            parts.append("not checked: %s" % "; ".join(unchecked))
        summary = "StatefulSet %s: no order violation in the %s evidence; %s" % (name, evidence, "; ".join(parts))
    else:
        status = "passed"
        summary = "StatefulSet %s: pods were created, deleted and updated in order (%s evidence)" % (name, evidence)
    return {
        "status": status,
        "summary": summary,
        "policy": obj.spec(sts).get("podManagementPolicy") or "OrderedReady",
        "evidence": evidence,
        "violations": violations,
        "halted_at": halted,
        "decided": decided,
        "undecided": undecided,
        "unchecked": list(unchecked),
        "adopted": list(adopted),
        "notes": notes,
        "timeline": sorted(timeline, key=lambda i: (i["ordinal"], i["created"] or 0)),
    }


def halt(sts, pods):
    """Where an OrderedReady rollout stops: the lowest wanted ordinal that is missing,
    terminating or not Ready, with the higher ordinals that exist anyway (or None)."""
    if obj.is_parallel(sts):
        return None
    name = obj.meta(sts).get("name")
    by_ordinal = dict((obj.pod_ordinal(p, name), p) for p in obj.owned_pods(sts, pods))
    want = obj.desired_ordinals(sts)
    for ordinal in want:
        pod = by_ordinal.get(ordinal)
        if pod is not None and obj.is_ready(pod) and not obj.is_terminating(pod):
            continue
        pod_name = "%s-%d" % (name, ordinal)
        if pod is None:
            why = "does not exist"
        elif obj.is_terminating(pod):
            why = "is terminating"
        else:
            why = "is not Ready (%s)" % obj.not_ready_reason(pod)
        higher = sorted((o for o in by_ordinal if o > ordinal and o in want))
        higher_names = ["%s-%d" % (name, o) for o in higher]
        if higher_names:
            tail = "higher ordinals exist: %s" % ", ".join(higher_names)
        else:
            tail = "no higher ordinal was created"
        return {"ordinal": ordinal, "pod": pod_name, "reason": why,
                "higher_ordinals": higher_names,
                "message": "rollout halted at %s, which %s; %s" % (pod_name, why, tail)}
    return None
