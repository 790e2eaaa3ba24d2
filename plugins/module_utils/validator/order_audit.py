# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The order check from what is left afterwards (``audit_order``; pure, no I/O).

Pod creation timestamps and Ready transition times (whole seconds), the controller's
SuccessfulCreate and SuccessfulDelete events (their names carry nanoseconds) and the
revision labels. Only what the evidence proves is reported as a violation; what
whole-second timestamps cannot decide is counted as ``undecided``. The rules are in
``order``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.validator.order import (
    halt,
    order_result,
    timeline_row,
    violation,
)


def audit_order(sts, pods, events):
    """Order verdict for an existing StatefulSet from what the API still shows."""
    name = obj.meta(sts).get("name")
    own = obj.owned_pods(sts, pods)
    ctrl = obj.controller_pod_events(events, name)
    timeline = _audit_timeline(sts, own, ctrl)
    notes = []
    if obj.is_parallel(sts):
        return order_result(sts, "audit", [], timeline, notes, None)

    violations = []
    decided, undecided = _audit_creations(sts, own, violations, notes)
    _audit_deletions(ctrl, violations)
    _audit_revisions(sts, own, violations)
    if not ctrl:
        notes.append("no statefulset-controller events left for %s (events expire after an hour): "
                     "deletion order not checked" % name)
    if undecided:
        notes.append("%d creation(s) could not be ordered against lower ordinals at the 1 s resolution of "
                     "server timestamps; a watch-mode run orders them exactly" % undecided)
    return order_result(sts, "audit", violations, timeline, notes, halt(sts, pods), decided, undecided)


def _audit_creations(sts, own, violations, notes):
    name = obj.meta(sts).get("name")
    min_ready = obj.min_ready_seconds(sts)
    start = obj.ordinal_start(sts)
    facts = {}
    for pod in own:
        cond = obj.condition(pod, "Ready")
        facts[obj.pod_ordinal(pod, name)] = (
            obj.meta(pod).get("name"), obj.created(pod),
            cond.get("status") if cond else None,
            obj.parse_time(cond.get("lastTransitionTime")) if cond else None)
    decided = undecided = 0
    for ordinal in sorted(facts):
        pod_name, born = facts[ordinal][:2]
        if born is None or ordinal <= start:
            continue
        for lower in range(start, ordinal):
            if lower not in facts:
                continue
            low_name, low_born, ready, since = facts[lower]
            if low_born is None or low_born > born:
                undecided += 1  # replaced after `pod_name` was created: its predecessor is gone
                continue
            if since is None or ready is None:
                undecided += 1
                continue
            if since < born:
                decided += 1
                if ready != "True":
                    violations.append(violation(pod_name, "%s was created at %s while %s was not Ready "
                                                "(Ready=%s since %s)" % (pod_name, obj.format_time(born), low_name,
                                                                         ready, obj.format_time(since))))
                elif born - since < min_ready:
                    violations.append(violation(pod_name, "%s was created at %s, %d s after %s became Ready at %s; "
                                                "minReadySeconds is %d" % (pod_name, obj.format_time(born),
                                                                           born - since, low_name,
                                                                           obj.format_time(since), min_ready)))
            elif since == born and ready == "True" and not min_ready:
                decided += 1  # Ready and created within the same second: consistent
            else:
                undecided += 1
                if ready == "True" and since > born:
                    notes.append("%s last became Ready at %s, after %s was created at %s: either it lost and "
                                 "regained readiness, or %s was created too early"
                                 % (low_name, obj.format_time(since), pod_name, obj.format_time(born), pod_name))
    return decided, undecided


def _audit_deletions(ctrl, violations):
    """Consecutive controller deletions with no creation in between go highest first."""
    deletes = [e for e in ctrl if e["action"] == "delete"]
    creates = [e for e in ctrl if e["action"] == "create"]
    for prev, cur in zip(deletes, deletes[1:]):
        if cur["time"] < prev["time"] + prev["resolution"]:
            continue  # not certainly after
        if any(c["time"] + c["resolution"] > prev["time"] and c["time"] < cur["time"] + cur["resolution"]
               for c in creates):
            continue  # a creation (possibly) in between: a new scale-down or an update step
        if cur["ordinal"] > prev["ordinal"]:
            violations.append(violation(cur["pod"], "%s was deleted at %s after %s at %s: the controller deletes "
                                        "the highest ordinal first" % (cur["pod"], obj.format_time(cur["time"]),
                                                                       prev["pod"], obj.format_time(prev["time"]))))


def _audit_revisions(sts, own, violations):
    """Mid-update, the pods at the update revision are the highest ordinals."""
    st = obj.status(sts)
    update, current = st.get("updateRevision"), st.get("currentRevision")
    if obj.update_strategy(sts) != "RollingUpdate" or not update or update == current:
        return
    name = obj.meta(sts).get("name")
    want = obj.desired_ordinals(sts)
    cut = obj.partition(sts)
    lane = [(obj.pod_ordinal(p, name), p) for p in own
            if obj.pod_ordinal(p, name) in want and obj.pod_ordinal(p, name) >= cut and not obj.is_terminating(p)]
    for ordinal, pod in lane:
        if obj.revision(pod) != update:
            continue
        stale = [obj.meta(p).get("name") for o, p in lane if o > ordinal and obj.revision(p) != update]
        if stale:
            violations.append(violation(obj.meta(pod).get("name"), "%s runs the update revision %s while the higher "
                                        "ordinal(s) %s do not: a rolling update goes from the highest ordinal down"
                                        % (obj.meta(pod).get("name"), update, ", ".join(stale))))


def _audit_timeline(sts, own, ctrl):
    """Rows for the pods that exist, plus earlier incarnations the controller events show."""
    name = obj.meta(sts).get("name")
    rows = []
    current = {}
    for pod in own:
        row = timeline_row(pod, name, "pod")
        # the create event of this incarnation is finer than creationTimestamp
        for event in ctrl:
            if (event["action"] == "create" and event["pod"] == row["name"] and row["created"] is not None
                    and 0 <= event["time"] - row["created"] < obj.SERVER_RESOLUTION and event["resolution"] < 1):
                row["created"] = event["time"]
        rows.append(row)
        current[row["name"]] = row
    born = {}
    for event in ctrl:
        if event["action"] == "create":
            born[event["pod"]] = event["time"]
            continue
        row = current.get(event["pod"])
        if row is not None and row["created"] is not None and event["time"] >= row["created"] - obj.SERVER_RESOLUTION:
            continue  # the deletion of the incarnation that exists now: its row has it
        rows.append({"ordinal": event["ordinal"], "name": event["pod"], "uid": None,
                     "created": born.pop(event["pod"], None), "ready": None, "terminating": event["time"],
                     "deleted": event["time"], "revision": None, "ip": None, "node": None, "source": "events"})
    return rows
