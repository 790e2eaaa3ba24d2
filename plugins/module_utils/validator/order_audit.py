# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The order check from what is left afterwards (``audit_order``; pure, no I/O).

Pod creation timestamps and Ready transition times (whole seconds), the controller's
SuccessfulCreate and SuccessfulDelete events (their names carry nanoseconds) and the
revision labels. The rules are in ``order``; which pods the controller created at all is
``order_origin``'s.

With OrderedReady, pod N is created only after every lower pod is Ready (and available
for minReadySeconds). For each pod H and each lower pod L, in whole seconds:

* L's current pod was created after H: L was re-created later; H's creation is not judged
  against the L that is gone (a note with the times and the controller's events of L);
* L is Ready since S: S < created(H) is in order (unless created(H) - S < minReadySeconds,
  a violation); S > created(H) is a violation naming both pods and both times - unless L's
  container restarted after H was created, so that S is a later readiness (not checked);
* L is not Ready since S (or has no Ready condition): S < created(H) is a violation; S >
  created(H) is not checked (whether L was Ready before S is not recorded);
* S = created(H): undecided - the one case that whole seconds cannot order.

A pod the controller did not create is reported by name (``order_origin``) and its creation
is not judged against the lower ordinals. What the evidence cannot show is listed in
``unchecked`` and said in the summary: the check never passes what it could not check.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import bisect

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.validator.order import (
    halt,
    order_result,
    timeline_row,
    violation,
)
from ansible_collections.stateful.nfs.plugins.module_utils.validator.order_origin import (
    audit_origins,
    no_events_sentence,
    seconds,
    unknown_sentences,
)

RULE = "OrderedReady creates pod N only after pods %d..N-1 are Ready"


def audit_order(sts, pods, events):
    """Order verdict for an existing StatefulSet from what the API still shows."""
    name = obj.meta(sts).get("name")
    own = obj.owned_pods(sts, pods)
    ctrl = obj.controller_pod_events(events, name)
    timeline = _audit_timeline(sts, own, ctrl)
    notes = []
    if obj.is_parallel(sts):
        return order_result(sts, "audit", [], timeline, notes, None)

    origins = audit_origins(sts, own, events)
    violations = [origins["adopted"][obj.meta(p).get("name")] for p in own
                  if obj.meta(p).get("name") in origins["adopted"]]
    unchecked = []
    if not origins["events"]:
        unchecked.append(no_events_sentence(sts))
    unchecked.extend(unknown_sentences(origins["unknown"]))
    decided, undecided = _audit_creations(sts, own, set(origins["adopted"]), ctrl, violations, notes, unchecked)
    _audit_deletions(ctrl, violations)
    _audit_revisions(sts, own, violations)
    if not ctrl:
        notes.append("no statefulset-controller events left for %s (events expire after an hour): "
                     "deletion order not checked" % name)
        if origins["events"]:
            unchecked.append("the deletion order (no SuccessfulCreate or SuccessfulDelete event of the controller "
                             "is left)")
    if undecided:
        notes.append("%d creation(s) fell in the same second as a lower pod's Ready transition: the 1 s resolution "
                     "of server timestamps cannot order them; a watch-mode run orders them exactly" % undecided)
    result = order_result(sts, "audit", violations, timeline, notes, halt(sts, pods), decided, undecided,
                          unchecked=unchecked, adopted=sorted(origins["adopted"]))
    result["basis"] = _basis(origins["events"], bool(ctrl))
    return result


def _basis(events, ctrl):
    """Which part of the audit verdict rests on what."""
    return {
        "creation order": "pod creationTimestamp and Ready lastTransitionTime (whole seconds)",
        "created by the controller": ("controller references, creation times and SuccessfulCreate events" if events
                                      else "controller references and creation times only (no events left)"),
        "deletion order": "SuccessfulDelete events" if ctrl else "not checked (no controller events left)",
        "update order": "controller-revision-hash labels against status.updateRevision",
    }


def _facts(pod):
    cond = obj.condition(pod, "Ready")
    restarts, started = obj.container_restart(pod)
    return {"name": obj.meta(pod).get("name"), "born": obj.created(pod),
            "ready": cond.get("status") if cond else None,
            "since": obj.parse_time(cond.get("lastTransitionTime")) if cond else None,
            "restarts": restarts, "started": started}


def _judge(low, high, start, min_ready):
    """``(verdict, text)`` for the creation of ``high`` against the lower pod ``low`` (whole seconds):
    verdict ``ok``, ``violation``, ``undecided``, ``replaced`` or ``unknown``."""
    fmt = obj.format_time
    born = seconds(high["born"])
    if seconds(low["born"]) > born:
        return "replaced", None
    rule = RULE % start
    if low["ready"] is None or low["since"] is None:
        if seconds(low["born"]) < born:
            return "violation", "%s was created at %s while %s was not Ready (it has no Ready condition): %s" % (
                high["name"], fmt(high["born"]), low["name"], rule)
        return "undecided", None
    since = seconds(low["since"])
    if since == born:
        return "undecided", None
    if low["ready"] == "True":
        if since < born:
            if born - since < min_ready:
                return "violation", "%s was created at %s, %d s after %s became Ready at %s; minReadySeconds is %d" % (
                    high["name"], fmt(high["born"]), born - since, low["name"], fmt(low["since"]), min_ready)
            return "ok", None
        if low["restarts"] and low["started"] is not None and seconds(low["started"]) >= born:
            return "unknown", ("%s's container restarted at %s, after %s was created at %s: its Ready time %s is a "
                               "later readiness, and whether it was Ready when %s was created is not recorded"
                               % (low["name"], fmt(low["started"]), high["name"], fmt(high["born"]),
                                  fmt(low["since"]), high["name"]))
        return "violation", "%s was created at %s, %d s before %s became Ready at %s (its last Ready transition): %s" % (
            high["name"], fmt(high["born"]), since - born, low["name"], fmt(low["since"]), rule)
    if since < born:
        return "violation", "%s was created at %s while %s was not Ready (Ready=%s since %s)" % (
            high["name"], fmt(high["born"]), low["name"], low["ready"], fmt(low["since"]))
    return "unknown", ("%s has been Ready=%s since %s, after %s was created at %s: whether it was Ready before is "
                       "not recorded" % (low["name"], low["ready"], fmt(low["since"]), high["name"],
                                         fmt(high["born"])))


def _replaced_note(low, high, ctrl):
    fmt = obj.format_time
    earlier = ["%s %s" % ("created" if e["action"] == "create" else "deleted", fmt(e["time"])) for e in ctrl
               if e["pod"] == low["name"] and e["time"] < seconds(low["born"])]
    evidence = ("the controller's events show the earlier %s %s" % (low["name"], ", ".join(earlier)) if earlier
                else "no controller event left shows the earlier %s" % low["name"])
    return ("%s was re-created later: its current pod was created at %s, after %s at %s (%s); %s's creation is not "
            "judged against the %s that is gone"
            % (low["name"], fmt(low["born"]), high["name"], fmt(high["born"]), evidence, high["name"], low["name"]))


def _pairs_to_judge(facts, start, min_ready):
    """For each pod (by ordinal), the lower pods whose pair needs ``_judge``: ``[(high, [low ordinals],
    ok)]``, ``ok`` counting the lower pods it skipped, every one of which ``_judge`` would call ``ok``.

    A pair is ``ok`` exactly when the lower pod is Ready=True with a Ready time, was created no later
    than the higher one (whole seconds: not re-created since) and turned Ready at least
    ``max(1, minReadySeconds)`` whole seconds before it: ``key = max(born, since + m) <= born of the
    higher``. The Ready lower pods wait in a list sorted by that key, so each pod looks only at
    those past its creation second (and at the few not Ready), not at all the pods below it: a
    finished rollout of 1,000 pods is 1,000 short lookups instead of 499,500 judgements."""
    m = max(1, min_ready)
    keys, ready_lows, other_lows = [], [], []  # sorted (key, ordinal) of Ready lows; the rest
    out = []
    for ordinal in sorted(facts):
        high = facts[ordinal]
        if ordinal >= start and high["born"] is not None:
            born = seconds(high["born"])
            cut = bisect.bisect_right(keys, born)
            judge = sorted([o for _key, o in ready_lows[cut:]] + other_lows)
            out.append((ordinal, judge, cut))
            since = seconds(high["since"])
            if high["ready"] == "True" and since is not None:
                key = (max(born, since + m), ordinal)
                at = bisect.bisect_right(ready_lows, key)
                ready_lows.insert(at, key)
                keys.insert(at, key[0])
            else:
                other_lows.append(ordinal)
    return out


def _audit_creations(sts, own, adopted, ctrl, violations, notes, unchecked, pairs=_pairs_to_judge):
    """Judge each pod's creation against the lower pods (``pairs`` chooses which pairs need judging,
    as ``_pairs_to_judge`` does); returns ``(decided, undecided)`` and fills the lists."""
    name = obj.meta(sts).get("name")
    min_ready = obj.min_ready_seconds(sts)
    start = obj.ordinal_start(sts)
    facts = dict((obj.pod_ordinal(pod, name), _facts(pod)) for pod in own)
    decided = undecided = 0
    replaced = {}
    for ordinal, lows, ok in pairs(facts, start, min_ready):
        high = facts[ordinal]
        if ordinal <= start or high["name"] in adopted:
            continue  # an adopted pod is reported as such: its creation was not the controller's
        decided += ok
        for lower in lows:
            low = facts[lower]
            verdict, text = _judge(low, high, start, min_ready)
            if verdict == "replaced":
                notes.append(_replaced_note(low, high, ctrl))
                replaced.setdefault(low["name"], []).append(high["name"])
            elif verdict == "undecided":
                undecided += 1
            elif verdict == "unknown":
                notes.append(text)
                unchecked.append("%s's creation against %s (see notes)" % (high["name"], low["name"]))
            else:
                decided += 1
                if verdict == "violation":
                    violations.append(violation(high["name"], text))
    for low_name, highs in sorted(replaced.items()):
        unchecked.append("the creation of %s against the earlier %s (re-created later)" % (", ".join(highs), low_name))
    return decided, undecided


def _audit_deletions(ctrl, violations):
    """Consecutive controller deletions with no creation in between go highest first. A creation
    Event whose middle occurrences were lost (``span``: client-go kept only the first and the last)
    may have one anywhere in its span, so it counts as possibly in between."""
    deletes = [e for e in ctrl if e["action"] == "delete"]
    creates = [e for e in ctrl if e["action"] == "create"]
    for prev, cur in zip(deletes, deletes[1:]):
        if cur["time"] < prev["time"] + prev["resolution"]:
            continue  # not certainly after
        if any(_possibly_between(c, prev["time"], cur["time"] + cur["resolution"]) for c in creates):
            continue  # a creation (possibly) in between: a new scale-down or an update step
        if cur["ordinal"] > prev["ordinal"]:
            violations.append(violation(cur["pod"], "%s was deleted at %s after %s at %s: the controller deletes "
                                        "the highest ordinal first" % (cur["pod"], obj.format_time(cur["time"]),
                                                                       prev["pod"], obj.format_time(prev["time"]))))


def _possibly_between(entry, after, before):
    """Can an occurrence of the Event of ``entry`` (from ``controller_pod_events``) lie after ``after``
    and before ``before``: the known one, or (``span``) a lost one between its first and last?"""
    if entry["time"] + entry["resolution"] > after and entry["time"] < before:
        return True
    span = entry["span"]
    return span is not None and span[0] < before and span[1] + entry["resolution"] > after


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
