# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure accessors over StatefulSet, Pod and Event objects (plain dicts, no I/O).

Every check of ``statefulset_validate`` reads API objects through these helpers so
they agree on what "Ready", "terminating", "the revision of a pod" and "the ordinals
a StatefulSet wants" mean. Objects are the JSON dicts the API server returns.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import functools
import re
import time

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import ordinal_of

REVISION_LABEL = "controller-revision-hash"
CONTROLLER = "statefulset-controller"
# Server timestamps (metav1.Time) are RFC 3339 with whole seconds.
SERVER_RESOLUTION = 1.0

_TS_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}:?\d{2})?$"
)
# "create Pod web-0 in StatefulSet web successful" (Kubernetes 1.36 writes "Create ...")
_COMBINED = "(combined from similar events): "
_EVENT_MESSAGE_RE = re.compile(r"^(create|delete) Pod (\S+) in StatefulSet (\S+) (successful|failed)", re.IGNORECASE)


def parse_time(value):
    """RFC 3339 timestamp (``metav1.Time`` or ``MicroTime``) -> epoch seconds (float), or None."""
    if not value or not isinstance(value, str):
        return None
    return _parse_rfc3339(value)


# The checks of a 1,000-pod StatefulSet read about 9,000 timestamps, mostly the same few
# thousand (a pod's creation is read by several checks; pods share their seconds).
@functools.lru_cache(maxsize=8192)
def _parse_rfc3339(value):
    match = _TS_RE.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction = float(match.group(7)) if match.group(7) else 0.0
    epoch = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)) + fraction
    zone = match.group(8)
    if zone and zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        epoch -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return epoch


def format_time(epoch):
    """Epoch seconds -> RFC 3339 UTC with milliseconds (``None`` stays ``None``)."""
    if epoch is None:
        return None
    whole = int(epoch)
    millis = int(round((epoch - whole) * 1000))
    if millis == 1000:
        whole, millis = whole + 1, 0
    return "%s.%03dZ" % (time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)), millis)


def meta(obj):
    return obj.get("metadata") or {}


def spec(obj):
    return obj.get("spec") or {}


def status(obj):
    return obj.get("status") or {}


# --------------------------------------------------------------------------- StatefulSet

def replicas(sts):
    value = spec(sts).get("replicas")
    return 1 if value is None else int(value)


def ordinal_start(sts):
    return int((spec(sts).get("ordinals") or {}).get("start") or 0)


def desired_ordinals(sts):
    """The ordinals the StatefulSet wants: ``[start, start + replicas)``."""
    start = ordinal_start(sts)
    return range(start, start + replicas(sts))


def is_parallel(sts):
    return spec(sts).get("podManagementPolicy") == "Parallel"


def min_ready_seconds(sts):
    return int(spec(sts).get("minReadySeconds") or 0)


def update_strategy(sts):
    return (spec(sts).get("updateStrategy") or {}).get("type") or "RollingUpdate"


def partition(sts):
    """The RollingUpdate partition (0 when unset or for OnDelete)."""
    strategy = spec(sts).get("updateStrategy") or {}
    if (strategy.get("type") or "RollingUpdate") != "RollingUpdate":
        return 0
    return int((strategy.get("rollingUpdate") or {}).get("partition") or 0)


def claim_templates(sts):
    """``[(name, template), ...]`` of the volumeClaimTemplates."""
    return [(meta(t).get("name"), t) for t in spec(sts).get("volumeClaimTemplates") or []]


# --------------------------------------------------------------------------- Pod

def pod_ordinal(pod, sts_name):
    return ordinal_of(meta(pod).get("name"), sts_name)


def owned_pods(sts, pods):
    """The pods of ``pods`` that belong to ``sts``: controller reference (or name) and ordinal."""
    name, uid = meta(sts).get("name"), meta(sts).get("uid")
    owned = []
    for pod in pods:
        ordinal = pod_ordinal(pod, name)
        if ordinal is None:
            continue
        refs = [r for r in meta(pod).get("ownerReferences") or [] if r.get("controller")]
        if refs and not any(r.get("kind") == "StatefulSet" and (r.get("uid") == uid or not uid)
                            and r.get("name") == name for r in refs):
            continue
        owned.append((ordinal, pod))
    owned.sort(key=lambda item: item[0])
    return [item[1] for item in owned]


def controller_ref(item):
    """The ownerReference of ``item`` that is its controller, or None."""
    for ref in meta(item).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def controlled_by(pod, sts):
    """Is ``sts`` the controller of ``pod`` (kind, name, and uid when both sides have one)?"""
    ref = controller_ref(pod)
    if not ref or ref.get("kind") != "StatefulSet" or ref.get("name") != meta(sts).get("name"):
        return False
    uid = meta(sts).get("uid")
    return not uid or not ref.get("uid") or ref.get("uid") == uid


def container_restart(pod):
    """``(restarts, started)``: the restarts of the pod's containers (summed ``restartCount``) and the
    latest ``state.running.startedAt`` among them (epoch, or None)."""
    restarts, started = 0, None
    for item in status(pod).get("containerStatuses") or []:
        restarts += int(item.get("restartCount") or 0)
        when = parse_time(((item.get("state") or {}).get("running") or {}).get("startedAt"))
        if when is not None and (started is None or when > started):
            started = when
    return restarts, started


def condition(pod, kind):
    for cond in status(pod).get("conditions") or []:
        if cond.get("type") == kind:
            return cond
    return None


def is_ready(pod):
    cond = condition(pod, "Ready")
    return bool(cond and cond.get("status") == "True")


def ready_since(pod):
    """Epoch of the last Ready transition if the pod is Ready now, else None."""
    cond = condition(pod, "Ready")
    if cond and cond.get("status") == "True":
        return parse_time(cond.get("lastTransitionTime"))
    return None


def is_available(pod, min_ready, now):
    """Ready for at least ``min_ready`` seconds at ``now`` (the controller's rule)."""
    if not is_ready(pod):
        return False
    if not min_ready:
        return True
    since = ready_since(pod)
    return since is not None and since + min_ready <= now


def is_terminating(pod):
    return bool(meta(pod).get("deletionTimestamp"))


def revision(pod):
    return (meta(pod).get("labels") or {}).get(REVISION_LABEL)


def created(pod):
    return parse_time(meta(pod).get("creationTimestamp"))


def pod_ip(pod):
    return status(pod).get("podIP") or None


def not_ready_reason(pod):
    """A short human reason why a pod is not Ready: phase and the failing condition."""
    phase = status(pod).get("phase") or "Unknown"
    parts = ["phase %s" % phase]
    ready = condition(pod, "Ready")
    scheduled = condition(pod, "PodScheduled")
    if scheduled and scheduled.get("status") != "True":
        parts.append(_condition_text(scheduled))
    elif ready is None:
        parts.append("no Ready condition yet")
    else:
        parts.append(_condition_text(ready))
    return "; ".join(parts)


def _condition_text(cond):
    text = "%s=%s" % (cond.get("type"), cond.get("status"))
    detail = ": ".join(x for x in (cond.get("reason"), cond.get("message")) if x)
    return "%s (%s)" % (text, detail) if detail else text


def slim_pod(pod):
    """Keep only the fields the checks read (watch mode holds many snapshots)."""
    md, sp, st = meta(pod), spec(pod), status(pod)
    return {
        "metadata": {k: md[k] for k in ("name", "namespace", "uid", "labels", "creationTimestamp",
                                        "deletionTimestamp", "ownerReferences", "resourceVersion")
                     if k in md},
        "spec": {
            "nodeName": sp.get("nodeName"),
            "hostname": sp.get("hostname"),
            "subdomain": sp.get("subdomain"),
            "volumes": [v for v in sp.get("volumes") or [] if "persistentVolumeClaim" in v],
            "containers": [{"name": c.get("name"), "ports": c.get("ports") or []}
                           for c in sp.get("containers") or []],
        },
        "status": {k: st[k] for k in ("phase", "podIP", "podIPs", "conditions") if k in st},
    }


# --------------------------------------------------------------------------- Events

def event_occurrences(event):
    """``[(epoch, resolution), ...]`` for an Event: its first and (if repeated) last time.

    core/v1 Events recorded by client-go are named ``<object>.<hex UnixNano>`` at their
    first occurrence, which is far finer than ``firstTimestamp`` (whole seconds); that
    name is used when it agrees with ``firstTimestamp``. An aggregated event
    (``count`` > 1) keeps only its first and last occurrence; the ones between are lost.
    """
    md = meta(event)
    first = parse_time(event.get("eventTime")) or parse_time(event.get("firstTimestamp")) \
        or parse_time(md.get("creationTimestamp"))
    if first is None:
        return []
    occurrences = []
    suffix = (md.get("name") or "").rsplit(".", 1)
    precise = None
    if len(suffix) == 2 and re.match(r"^[0-9a-f]{12,17}$", suffix[1]):
        precise = int(suffix[1], 16) / 1e9
        if abs(precise - first) > 2:
            precise = None
    if precise is not None:
        occurrences.append((precise, 1e-6))
    elif event.get("eventTime"):
        occurrences.append((first, 1e-6))
    else:
        occurrences.append((first, SERVER_RESOLUTION))
    count = event_count(event)
    last = parse_time(event.get("lastTimestamp")) or parse_time((event.get("series") or {}).get("lastObservedTime"))
    if count > 1 and last is not None and last > occurrences[0][0]:
        occurrences.append((last, SERVER_RESOLUTION))
    return occurrences


def statefulset_events(events, sts_name):
    """The Events about the StatefulSet ``sts_name`` (``involvedObject``, or ``regarding`` of events.k8s.io)."""
    found = []
    for event in events:
        involved = event.get("involvedObject") or event.get("regarding") or {}
        if involved.get("kind") == "StatefulSet" and involved.get("name") == sts_name:
            found.append(event)
    return found


def event_message(event):
    return event.get("message") or event.get("note") or ""


def is_combined(event):
    """Is this client-go's aggregate of similar events (only its latest message is kept)?"""
    return event_message(event).startswith(_COMBINED)


def event_count(event):
    """How many times an Event was recorded (``count`` or ``series.count``; at least 1)."""
    return int(event.get("count") or (event.get("series") or {}).get("count") or 1)


def last_written(event):
    """When an Event was last written (its last occurrence), epoch or None. The API server deletes
    an Event a fixed time (``--event-ttl``, an hour by default) after its last write."""
    occurrences = event_occurrences(event)
    last = parse_time(event.get("lastTimestamp")) or parse_time((event.get("series") or {}).get("lastObservedTime"))
    if last is not None:
        return max(last, occurrences[0][0]) if occurrences else last
    return occurrences[-1][0] if occurrences else None


def controller_pod_events(events, sts_name):
    """Controller create/delete events of ``sts_name``'s pods, sorted by time.

    Returns ``[{"action": "create"|"delete", "pod": name, "ordinal": n, "time": t,
    "resolution": r, "span": (first, last)}]``, one entry per known occurrence. ``span`` is the
    first and last occurrence of the Event the entry comes from when occurrences between them
    were lost (``count`` > 2), else None.
    """
    result = []
    for event in statefulset_events(events, sts_name):
        reason = event.get("reason")
        if reason not in ("SuccessfulCreate", "SuccessfulDelete"):
            continue
        message = event_message(event)
        combined = message.startswith(_COMBINED)
        match = _EVENT_MESSAGE_RE.match(message[len(_COMBINED):] if combined else message)
        if not match or match.group(3) != sts_name:
            continue
        ordinal = ordinal_of(match.group(2), sts_name)
        if ordinal is None:
            continue
        occurrences = event_occurrences(event)
        if combined:
            # client-go folds the 11th and later similar events of an object into one event that
            # keeps only the latest message: only its last occurrence is about this pod
            last = parse_time(event.get("lastTimestamp")) or occurrences[-1][0] if occurrences else None
            occurrences = [(last, SERVER_RESOLUTION)] if last is not None else []
        span = None
        if not combined and event_count(event) > 2 and len(occurrences) > 1:
            span = (occurrences[0][0], occurrences[-1][0])
        for when, res in occurrences:
            result.append({"action": match.group(1).lower(), "pod": match.group(2), "ordinal": ordinal,
                           "time": when, "resolution": res, "span": span})
    result.sort(key=lambda e: (e["time"], e["ordinal"]))
    return result


def latest_event_for(events, kind, name):
    """The most recent Event about ``kind``/``name`` (by last occurrence), or None."""
    best, best_time = None, None
    for event in events:
        involved = event.get("involvedObject") or event.get("regarding") or {}
        if involved.get("kind") != kind or involved.get("name") != name:
            continue
        occurrences = event_occurrences(event)
        when = occurrences[-1][0] if occurrences else 0
        if best is None or when >= best_time:
            best, best_time = event, when
    return best
