# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which pods did the StatefulSet controller create?  (pure, no I/O)

The order rules judge the controller's own acts. A pod it did not create - an orphan with
the StatefulSet's labels and a name ``<sts>-<N>``, which the controller adopts by making
itself the pod's controller - has no place in the controller's rollout order: it was there
before the controller could order it. The order check reports such a pod by name, as a
violation, instead of judging its creation against the lower ordinals (or letting the
inversion pass as undecided). That is the safe choice: the order check cannot vouch for an
order the controller did not make. After ``kubectl delete statefulset --cascade=orphan`` and
a re-creation, the pods the new StatefulSet adopted are reported the same way until the
controller replaces them (``kubectl rollout restart``).

What proves it, in both modes:

* the pod has no controller reference to the StatefulSet: the controller sets it when it
  creates a pod, so a pod without one is an orphan it has not adopted (yet);
* the pod's ``creationTimestamp`` is before the StatefulSet's, by whole seconds.

Audit mode adds the controller's ``SuccessfulCreate`` events (``audit_origins``): a pod that
has no create event for its creation is not the controller's - but only where the record of
events is complete for that moment, else it is listed as not checked:

* the API server deletes an Event a fixed time after its last write (``--event-ttl``, an
  hour by default), so the oldest last write still kept bounds what is known: a pod created
  after it would still have its event, a pod created before it may have lost it. (One API
  server expires objects in the order of their writes: its etcd leases are shared by the
  writes of a short window and never end before an earlier one's. Events written through
  different API servers of an HA control plane can expire up to about two minutes out of
  that order.);
* client-go folds the 11th and later similar events of an object within ten minutes into
  one "(combined from similar events)" Event that keeps only the latest message: a pod
  created within the span of such an Event may have lost its own;
* client-go records at most 25 events per object in a burst (then one every five
  minutes): after 25, a missing event may have been dropped.

Watch mode adds what it saw (``watch_reasons``): a pod that appeared (ADDED) without a
controller reference to the StatefulSet was created by someone else.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.validator.order import violation

# The longest time between a pod's creationTimestamp (whole seconds) and the controller's
# SuccessfulCreate event of it (written after the create call returns, by another clock).
CREATE_SLACK = 2.0
# client-go's EventSourceObjectSpamFilter: events per source and object in a burst.
SPAM_BURST = 25

NO_EVENTS = "no-events"


def seconds(epoch):
    """The whole second of an epoch (what a server timestamp keeps), or None."""
    return None if epoch is None else int(epoch // 1)


def before_statefulset(sts, pod):
    """``(pod created, StatefulSet created)`` when whole seconds show that the pod is older than
    the StatefulSet, else None."""
    born, sts_born = obj.created(pod), obj.created(sts)
    if born is None or sts_born is None or seconds(born) >= seconds(sts_born):
        return None
    return born, sts_born


def adoption_violation(sts, pod, reasons):
    """The order violation for a pod the controller did not create, with the evidence."""
    name = obj.meta(pod).get("name")
    if obj.controlled_by(pod, sts):
        tail = "it was adopted, so its place in the rollout order is not the controller's"
    else:
        tail = ("it is an orphan with the StatefulSet's labels and name, which the controller adopts, so its place "
                "in the rollout order is not the controller's")
    return violation(name, "%s was not created by the StatefulSet controller (%s): %s"
                     % (name, "; ".join(reasons), tail))


def _older_text(older, event_prefix=""):
    return "%screated %s, before the StatefulSet at %s" % (event_prefix, obj.format_time(older[0]),
                                                           obj.format_time(older[1]))


def watch_reasons(sts, first, kind, when):
    """Why a pod is not the controller's, from how a watch first saw it: ``first`` is the pod as
    first seen, ``kind`` how (INITIAL, ADDED or MODIFIED), ``when`` the arrival time."""
    reasons = []
    if not obj.controlled_by(first, sts):
        if kind == "ADDED":
            reasons.append("it appeared at %s without a controller reference to the StatefulSet"
                           % obj.format_time(when))
        else:
            reasons.append("it had no controller reference to the StatefulSet when first seen at %s"
                           % obj.format_time(when))
    older = before_statefulset(sts, first)
    if older:
        reasons.append(_older_text(older))
    return reasons


def _source(event):
    return (event.get("source") or {}).get("component") or event.get("reportingComponent") \
        or event.get("reportingController")


def _create_event(creates, pod_name, born):
    """The controller's create occurrence for the pod incarnation created at ``born``, or None."""
    low, high = seconds(born) - CREATE_SLACK, seconds(born) + 1 + CREATE_SLACK
    for event in creates:
        if event["pod"] != pod_name:
            continue
        if low <= event["time"] <= high:
            return event
        span = event["span"]
        if span and span[0] - 1 <= born <= span[1] + 1:
            return event  # an occurrence between the first and the last, which the Event no longer has
    return None


class EventRecord:
    """What the kept Events of a StatefulSet can prove about the creation of its pods."""

    def __init__(self, sts, events):
        name = obj.meta(sts).get("name")
        self.kept = obj.statefulset_events(events, name)
        self.creates = [e for e in obj.controller_pod_events(events, name) if e["action"] == "create"]
        written = [w for w in (obj.last_written(e) for e in self.kept) if w is not None]
        self.oldest = min(written) if written else None
        self.folded = []
        self.writes = []
        for event in self.kept:
            occurrences = obj.event_occurrences(event)
            if not occurrences:
                continue
            if event.get("reason") == "SuccessfulCreate" and obj.is_combined(event):
                self.folded.append((occurrences[0][0], occurrences[-1][0]))
            if _source(event) == obj.CONTROLLER:
                self.writes.append((occurrences[0][0], obj.event_count(event)))

    def why_unknown(self, born):
        """Why a missing create event proves nothing for a pod created at ``born`` (None: it proves)."""
        if not self.kept:
            return NO_EVENTS
        if self.oldest is None:
            return "the events kept carry no time"
        if seconds(born) <= seconds(self.oldest):
            return "created before the oldest event kept, %s" % obj.format_time(self.oldest)
        if any(first - 1 - CREATE_SLACK <= born <= last + 1 + CREATE_SLACK for first, last in self.folded):
            return "created while the controller folded its similar events into one (combined from similar events)"
        if sum(count for first, count in self.writes if first <= born + 1) >= SPAM_BURST:
            return ("created after the controller had recorded %d events for the StatefulSet, the most client-go "
                    "records for one object in a burst" % SPAM_BURST)
        return None


def audit_origins(sts, own, events):
    """Which of ``own`` (the StatefulSet's pods) the controller did not create, from the pods and
    the StatefulSet's Events.

    Returns ``{"adopted": {pod name: violation}, "unknown": {reason: [pod names]},
    "events": bool}``: ``unknown`` holds the pods whose creation by the controller the kept
    events cannot show either way (``NO_EVENTS`` when there are none).
    """
    record = EventRecord(sts, events)
    adopted, unknown = {}, {}
    for pod in own:
        pod_name = obj.meta(pod).get("name")
        born = obj.created(pod)
        match = _create_event(record.creates, pod_name, born) if born is not None else None
        reasons = []
        if not obj.controlled_by(pod, sts):
            reasons.append("it has no controller reference to the StatefulSet")
        older = before_statefulset(sts, pod)
        if older and match:
            reasons.append("%s; the SuccessfulCreate event at %s is an earlier StatefulSet's of that name"
                           % (_older_text(older), obj.format_time(match["time"])))
        elif older:
            reasons.append(_older_text(older, "no SuccessfulCreate event; " if record.kept else ""))
        elif match is None and born is not None:
            why = record.why_unknown(born)
            if why is None:
                named = sorted(set(e["pod"] for e in record.creates))
                reasons.append("no SuccessfulCreate event, though the StatefulSet's events are kept from %s on%s; "
                               "created %s" % (obj.format_time(record.oldest),
                                               " and name %s" % ", ".join(named) if named else "",
                                               obj.format_time(born)))
            else:
                unknown.setdefault(why, []).append(pod_name)
        if reasons:
            adopted[pod_name] = adoption_violation(sts, pod, reasons)
    return {"adopted": adopted, "unknown": unknown, "events": bool(record.kept)}


def unknown_sentences(unknown):
    """``audit_origins``' ``unknown`` as "not checked" sentences (``NO_EVENTS`` is left to the caller,
    which says it once for every part of the check)."""
    return ["whether the controller created %s (%s)" % (", ".join(sorted(pods)), why)
            for why, pods in sorted(unknown.items()) if why != NO_EVENTS]


def no_events_sentence(sts):
    """What audit mode cannot check when the StatefulSet has no events left."""
    return ("which pods the controller created, and the deletion order (no events of StatefulSet %s are left: the "
            "API server deletes an event an hour after its last write by default); the creation order rests on "
            "pod timestamps only" % obj.meta(sts).get("name"))
