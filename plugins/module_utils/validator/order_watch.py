# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The order check from recorded watch events (``watch_order``; pure, no I/O).

Pod and StatefulSet watch events in the order the API server delivered them: the order
of events is exact, so every rule of ``order`` is checked at the moment it applies.

A pod the controller did not create (``order_origin``: it appeared without a controller
reference to the StatefulSet, or it is older than the StatefulSet) is not judged as a
creation of the controller; if it is still there at the end it is reported by name, as
audit mode reports it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import ordinal_of
from ansible_collections.stateful.nfs.plugins.module_utils.validator.order import (
    halt,
    order_result,
    timeline_row,
    violation,
)
from ansible_collections.stateful.nfs.plugins.module_utils.validator.order_origin import (
    adoption_violation,
    watch_reasons,
)


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
        self.first = {}         # pod uid -> (pod as first seen, how: INITIAL/ADDED/MODIFIED, arrival time)

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
            self.violations.append(violation(pod_name, "%s was created although ordinals.start is %d"
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
            self.violations.append(violation(pod_name, "%s was created while %s %s (OrderedReady creates pod N "
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
                self.violations.append(violation(pod_name, "%s was updated to %s before the higher ordinal(s) %s: a "
                                                 "rolling update goes from the highest ordinal down"
                                                 % (pod_name, update, ", ".join(stale))))
            if ordinal < cut:
                self.violations.append(violation(pod_name, "%s was recreated at the update revision %s although it "
                                                 "is below the partition %d" % (pod_name, update, cut)))

    def check_delete(self, pod_name, ordinal, state, record):
        busy = sorted(s["row"]["name"] for s in self.live.values() if s["terminating"] and s is not state)
        if busy:
            self.suspects.append(violation(pod_name, "%s was deleted at %s while %s was still terminating (one pod "
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
            self.suspects.append(violation(pod_name, "%s was deleted at %s while %s"
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
            self.first.setdefault(uid, (item, "INITIAL", record["time"]))
            row = timeline_row(item, self.name, "watch")
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
            self.first.setdefault(uid, (item, record["type"], record["time"]))
            if self.ordered() and not watch_reasons(self.sts, item, record["type"], record["time"]):
                self.check_create(item, ordinal, record)  # (a pod the controller did not create is judged at the end)
            row = timeline_row(item, self.name, "watch", created=record["time"])
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
    adopted = []
    for row in sorted(replay.rows, key=lambda r: r["ordinal"]):
        first = replay.first.get(row["uid"])
        reasons = watch_reasons(sts, *first) if first else []
        if not reasons:
            continue
        state = replay.live.get(row["name"])
        if state is not None and state["row"] is row:
            adopted.append(adoption_violation(sts, state["pod"], reasons))
        else:
            replay.notes.append("%s (uid %s), gone at %s, was not created by the StatefulSet controller (%s)"
                                % (row["name"], row["uid"], obj.format_time(row["deleted"] or row["terminating"]),
                                   "; ".join(reasons)))
    if not any(r["type"] not in ("INITIAL",) and r["kind"] == "Pod" for r in records):
        replay.notes.append("no pod was created, deleted or changed readiness while watching")
    live_pods = [s["pod"] for s in replay.live.values()]
    violations = [] if obj.is_parallel(sts) else adopted + violations
    result = order_result(sts, "watch", violations, replay.rows, replay.notes, halt(sts, live_pods),
                          replay.decided, 0, adopted=[] if obj.is_parallel(sts) else [v["pod"] for v in adopted])
    result["basis"] = {"creation order": "pod watch events, in the order the API server delivered them",
                       "created by the controller": "controller references as the watch first saw each pod, "
                                                    "and creation times",
                       "deletion order": "pod watch events; SuccessfulDelete events tell the controller's deletions",
                       "update order": "pod watch events and controller-revision-hash labels"}
    result["events"] = replay.log
    return result


def controller_deletes_since(events, sts_name, started):
    """The names of the pods the StatefulSet controller reported deleting (SuccessfulDelete
    events) from ``started`` (an epoch, less the server's timestamp resolution) on, for
    ``watch_order``'s ``controller_deletes``; None when there are no events at all (unknown)."""
    if not events:
        return None
    return set(e["pod"] for e in obj.controller_pod_events(events, sts_name)
               if e["action"] == "delete" and e["time"] >= started - obj.SERVER_RESOLUTION)
