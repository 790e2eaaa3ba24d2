# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The order check: did the StatefulSet controller create, delete and update pods in
order?  Pure functions over API objects and recorded watch events (no I/O).

Two sources of evidence:

* **watch** (``watch_order``): pod and StatefulSet watch events in the order the API
  server delivered them. The order of events is exact, so every rule is checked at
  the moment it applies: pod N is created only when every pod in
  ``[ordinals.start, N)`` exists, is not terminating and is Ready (and, with
  minReadySeconds, has been Ready that long); a deletion happens only when no higher
  ordinal is terminating or un-Ready and no higher ordinal on the same revision is
  left (highest first, one at a time); an update recreates pod N only when every
  higher ordinal down to the partition already runs the update revision.
* **audit** (``audit_order``): what is left afterwards. Pod creation timestamps and
  Ready transition times (whole seconds), the controller's SuccessfulCreate and
  SuccessfulDelete events (their names carry nanoseconds) and the revision labels.
  Only what the evidence proves is reported as a violation; what whole-second
  timestamps cannot decide is counted as ``undecided``.

``podManagementPolicy: Parallel`` has no order by design: it is reported as
``unordered``, never as a violation.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import ordinal_of

CHECK = "order"


def _violation(pod, message):
    return {"check": CHECK, "pod": pod, "message": message}


def _instance(pod, sts_name, source, created=None):
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


def _result(sts, evidence, violations, timeline, notes, halted, decided=0, undecided=0):
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


# --------------------------------------------------------------------------- audit

def audit_order(sts, pods, events):
    """Order verdict for an existing StatefulSet from what the API still shows."""
    name = obj.meta(sts).get("name")
    own = obj.owned_pods(sts, pods)
    ctrl = obj.controller_pod_events(events, name)
    timeline = _audit_timeline(sts, own, ctrl)
    notes = []
    if obj.is_parallel(sts):
        return _result(sts, "audit", [], timeline, notes, None)

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
    return _result(sts, "audit", violations, timeline, notes, halt(sts, pods), decided, undecided)


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
                    violations.append(_violation(pod_name, "%s was created at %s while %s was not Ready "
                                                 "(Ready=%s since %s)" % (pod_name, obj.format_time(born), low_name,
                                                                          ready, obj.format_time(since))))
                elif born - since < min_ready:
                    violations.append(_violation(pod_name, "%s was created at %s, %d s after %s became Ready at %s; "
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
            violations.append(_violation(cur["pod"], "%s was deleted at %s after %s at %s: the controller deletes "
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
            violations.append(_violation(obj.meta(pod).get("name"), "%s runs the update revision %s while the higher "
                                         "ordinal(s) %s do not: a rolling update goes from the highest ordinal down"
                                         % (obj.meta(pod).get("name"), update, ", ".join(stale))))


def _audit_timeline(sts, own, ctrl):
    """Rows for the pods that exist, plus earlier incarnations the controller events show."""
    name = obj.meta(sts).get("name")
    rows = []
    current = {}
    for pod in own:
        row = _instance(pod, name, "pod")
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


# --------------------------------------------------------------------------- watch

class _Replay:
    """Replays watch records and checks each rule when it applies."""

    def __init__(self, sts_name, controller_deletes):
        self.name = sts_name
        self.controller_deletes = controller_deletes
        self.sts = None
        self.live = {}          # pod name -> {"pod", "row", "ready", "terminating"}
        self.rows = []
        self.log = []
        self.violations = []
        self.suspects = []      # deletion findings, kept only if the controller did the deleting
        self.notes = []
        self.decided = 0

    # -- helpers
    def ordered(self):
        return self.sts is not None and not obj.is_parallel(self.sts)

    def _log(self, record, kind, pod, ordinal, extra=None):
        entry = {"time": record["time"], "seq": record.get("seq"), "event": kind, "pod": pod, "ordinal": ordinal}
        entry.update(extra or {})
        self.log.append(entry)

    # -- rules
    def check_create(self, pod, ordinal, record):
        sts = self.sts
        start = obj.ordinal_start(sts)
        pod_name = obj.meta(pod).get("name")
        if ordinal < start:
            self.violations.append(_violation(pod_name, "%s was created although ordinals.start is %d"
                                              % (pod_name, start)))
        min_ready = obj.min_ready_seconds(sts)
        for lower in range(start, ordinal):
            low_name = "%s-%d" % (self.name, lower)
            state = self.live.get(low_name)
            self.decided += 1
            if state is None:
                why = "did not exist"
            elif state["terminating"]:
                why = "was terminating"
            elif not state["ready"]:
                why = "was not Ready"
            else:
                since = obj.ready_since(state["pod"])
                born = obj.created(pod)
                if min_ready and since is not None and born is not None and born - since < min_ready:
                    why = "had been Ready for only %d s (minReadySeconds %d)" % (born - since, min_ready)
                else:
                    continue
            self.violations.append(_violation(pod_name, "%s was created while %s %s (OrderedReady creates pod N "
                                              "only when pods %d..N-1 are Ready)" % (pod_name, low_name, why, start)))
            return
        st = obj.status(sts)
        update = st.get("updateRevision")
        if (obj.update_strategy(sts) == "RollingUpdate" and update and update != st.get("currentRevision")
                and obj.revision(pod) == update):
            cut = obj.partition(sts)
            stale = sorted(s["row"]["name"] for s in self.live.values()
                           if s["row"]["ordinal"] > ordinal and s["row"]["ordinal"] >= cut
                           and s["row"]["ordinal"] in obj.desired_ordinals(sts)
                           and obj.revision(s["pod"]) != update)
            if stale:
                self.violations.append(_violation(pod_name, "%s was updated to %s before the higher ordinal(s) %s: a "
                                                  "rolling update goes from the highest ordinal down"
                                                  % (pod_name, update, ", ".join(stale))))
            if ordinal < cut:
                self.violations.append(_violation(pod_name, "%s was recreated at the update revision %s although it "
                                                  "is below the partition %d" % (pod_name, update, cut)))

    def check_delete(self, pod_name, ordinal, state, record):
        busy = sorted(s["row"]["name"] for s in self.live.values() if s["terminating"] and s is not state)
        if busy:
            self.suspects.append(_violation(pod_name, "%s was deleted at %s while %s was still terminating (one pod "
                                            "at a time)" % (pod_name, obj.format_time(record["time"]),
                                                            ", ".join(busy))))
            return
        for other in sorted(self.live.values(), key=lambda s: -s["row"]["ordinal"]):
            higher = other["row"]
            if higher["ordinal"] <= ordinal:
                continue
            if not other["ready"]:
                why = "%s was not Ready" % higher["name"]
            elif obj.revision(other["pod"]) == obj.revision(state["pod"]):
                why = "%s, a higher ordinal on the same revision, still existed (highest ordinal first)" % higher["name"]
            else:
                continue
            self.suspects.append(_violation(pod_name, "%s was deleted at %s while %s"
                                            % (pod_name, obj.format_time(record["time"]), why)))
            return
        self.decided += 1

    # -- replay
    def feed(self, record):
        item = record["object"]
        if record["kind"] == "StatefulSet":
            if record["type"] != "DELETED":
                self.sts = item
            return
        pod_name = obj.meta(item).get("name")
        ordinal = ordinal_of(pod_name, self.name)
        if ordinal is None:
            return
        state = self.live.get(pod_name)
        uid = obj.meta(item).get("uid")
        if record["type"] == "INITIAL":
            row = _instance(item, self.name, "watch")
            row["initial"] = True
            self.rows.append(row)
            self.live[pod_name] = {"pod": item, "row": row, "ready": obj.is_ready(item),
                                   "terminating": obj.is_terminating(item)}
            return
        if state is not None and state["row"]["uid"] != uid:
            state["row"]["deleted"] = record["time"]  # the DELETED event of the old one was missed
            del self.live[pod_name]
            state = None
        if state is None:
            if record["type"] == "DELETED":
                return
            if self.ordered():
                self.check_create(item, ordinal, record)
            row = _instance(item, self.name, "watch", created=record["time"])
            row["ready"] = None
            row["terminating"] = None
            row["initial"] = False
            self.rows.append(row)
            state = {"pod": item, "row": row, "ready": False, "terminating": False}
            self.live[pod_name] = state
            self._log(record, "ADDED", pod_name, ordinal, {"revision": obj.revision(item)})
        row = state["row"]
        ready = obj.is_ready(item) and record["type"] != "DELETED"
        if ready != state["ready"]:
            if ready and row["ready"] is None:
                row["ready"] = record["time"]
            self._log(record, "READY" if ready else "NOT_READY", pod_name, ordinal)
        terminating = obj.is_terminating(item) or record["type"] == "DELETED"
        if terminating and not state["terminating"]:
            if self.ordered():
                self.check_delete(pod_name, ordinal, state, record)
            row["terminating"] = record["time"]
            if record["type"] != "DELETED":
                self._log(record, "TERMINATING", pod_name, ordinal)
        row["ip"] = obj.pod_ip(item) or row["ip"]
        row["node"] = obj.spec(item).get("nodeName") or row["node"]
        row["revision"] = obj.revision(item) or row["revision"]
        state.update({"pod": item, "ready": ready, "terminating": terminating})
        if record["type"] == "DELETED":
            row["deleted"] = record["time"]
            del self.live[pod_name]
            self._log(record, "DELETED", pod_name, ordinal)


def watch_order(records, sts_name, controller_deletes=None):
    """Order verdict from watch records.

    ``records``: dicts ``{"seq", "time", "kind": "Pod"|"StatefulSet", "type":
    "INITIAL"|"ADDED"|"MODIFIED"|"DELETED", "object"}`` in delivery order, starting
    with the INITIAL state of the StatefulSet and its pods. ``controller_deletes``: the
    names of pods the controller reported deleting during the watch (None: unknown, every
    deletion is taken as the controller's). Returns the order result plus ``events``,
    the pod event log.
    """
    replay = _Replay(sts_name, controller_deletes)
    for record in records:
        replay.feed(record)
    sts = replay.sts
    if sts is None:
        raise ValueError("watch records hold no StatefulSet %s" % sts_name)
    violations = list(replay.violations)
    for suspect in replay.suspects:
        if controller_deletes is None or suspect["pod"] in controller_deletes:
            violations.append(suspect)
        else:
            replay.notes.append("%s was deleted by someone other than the controller (no SuccessfulDelete "
                                "event), so its deletion is not an order question" % suspect["pod"])
    if not any(r["type"] not in ("INITIAL",) and r["kind"] == "Pod" for r in records):
        replay.notes.append("no pod was created, deleted or changed readiness while watching")
    live_pods = [s["pod"] for s in replay.live.values()]
    result = _result(sts, "watch", [] if obj.is_parallel(sts) else violations, replay.rows, replay.notes,
                     halt(sts, live_pods), replay.decided, 0)
    result["events"] = replay.log
    return result
