# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Is a StatefulSet's rollout complete?  A pure predicate with a reason (no I/O).

Unlike kubernetes.core's ``statefulset_ready`` (which needs every replica updated and
so never finishes a partitioned update), this follows the controller's own rules:

* the controller has observed the current generation;
* every ordinal in ``[ordinals.start, ordinals.start + replicas)`` has a pod that is
  not terminating, is Ready and has been Ready for ``minReadySeconds`` (available);
* no pod is left outside that range (a scale-down or an ``ordinals.start`` change has
  finished);
* RollingUpdate: every pod with ordinal >= ``partition`` runs ``status.updateRevision``;
  pods below the partition are left alone. OnDelete: revisions are not waited for (the
  pods still on an older revision are listed as ``outdated``);
* the controller's status counters agree (ready/available replicas, and for a
  RollingUpdate without partition ``currentRevision == updateRevision``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj


def _pending(pod, ordinal, condition, message):
    return {"pod": pod, "ordinal": ordinal, "condition": condition, "message": message}


def rollout_status(sts, pods, now):
    """Return ``{"complete": bool, "reason": str, "pending": [...], "outdated": [...]}``.

    ``sts`` is the StatefulSet, ``pods`` its pods (any list; the StatefulSet's own are
    picked out), ``now`` the current epoch (for minReadySeconds). ``pending`` lists every
    unmet condition, most relevant first; ``reason`` is the first one's sentence.
    """
    name = obj.meta(sts).get("name")
    namespace = obj.meta(sts).get("namespace") or "default"
    st = obj.status(sts)
    generation = obj.meta(sts).get("generation") or 0
    observed = st.get("observedGeneration")
    if observed is None or observed < generation:
        reason = ("StatefulSet %s/%s: the controller has not observed generation %d yet "
                  "(observedGeneration %s)" % (namespace, name, generation, observed))
        return {"complete": False, "reason": reason,
                "pending": [_pending(None, None, "observedGeneration", reason)], "outdated": [], "recheck_at": None}

    want = obj.desired_ordinals(sts)
    count = len(want)
    min_ready = obj.min_ready_seconds(sts)
    strategy = obj.update_strategy(sts)
    cut = obj.partition(sts)
    update_rev = st.get("updateRevision")
    by_ordinal = {}
    for pod in obj.owned_pods(sts, pods):
        by_ordinal[obj.pod_ordinal(pod, name)] = pod

    unready, revisions, condemned, outdated = [], [], [], []
    for ordinal in want:
        pod_name = "%s-%d" % (name, ordinal)
        pod = by_ordinal.get(ordinal)
        if pod is None:
            unready.append(_pending(pod_name, ordinal, "exists", "%s does not exist yet (%d of %d pods exist)"
                                    % (pod_name, sum(1 for o in want if o in by_ordinal), count)))
            continue
        if obj.is_terminating(pod):
            unready.append(_pending(pod_name, ordinal, "terminating", "%s is terminating" % pod_name))
            continue
        if not obj.is_ready(pod):
            unready.append(_pending(pod_name, ordinal, "Ready", "%s is not Ready: %s"
                                    % (pod_name, obj.not_ready_reason(pod))))
            continue
        if not obj.is_available(pod, min_ready, now):
            since = obj.ready_since(pod)
            left = max(0, int((since or now) + min_ready - now + 0.999))
            unready.append(_pending(pod_name, ordinal, "available",
                                    "%s is Ready since %s but not available yet (minReadySeconds %d, %d s left)"
                                    % (pod_name, obj.format_time(since), min_ready, left)))
        rev = obj.revision(pod)
        if update_rev and rev != update_rev:
            if strategy == "RollingUpdate" and ordinal >= cut:
                why = "partition %d: ordinals >= %d are updated" % (cut, cut) if cut else "RollingUpdate"
                revisions.append(_pending(pod_name, ordinal, "revision",
                                          "%s is at revision %s, not the update revision %s (%s)"
                                          % (pod_name, rev, update_rev, why)))
            else:
                outdated.append(pod_name)

    for ordinal in sorted(set(by_ordinal) - set(want), reverse=True):
        pod_name = "%s-%d" % (name, ordinal)
        condemned.append(_pending(pod_name, ordinal, "condemned",
                                  "%s still exists outside the desired ordinals [%d, %d) (scale-down in progress%s)"
                                  % (pod_name, want.start, want.stop,
                                     ", terminating" if obj.is_terminating(by_ordinal[ordinal]) else "")))

    # Updates go from the highest ordinal down: the highest outdated pod is the next one.
    revisions.sort(key=lambda p: -p["ordinal"])
    pending = unready + revisions + condemned
    if not pending:
        pending = _status_counters(sts, count, strategy, cut)
    reason = pending[0]["message"] if pending else _done_sentence(sts, count, strategy, cut, update_rev)
    # when a pod turns available by itself (minReadySeconds), nothing is written to the API
    recheck = [obj.ready_since(by_ordinal[p["ordinal"]]) + min_ready for p in unready
               if p["condition"] == "available" and obj.ready_since(by_ordinal[p["ordinal"]]) is not None]
    return {"complete": not pending, "reason": reason, "pending": pending, "outdated": outdated,
            "recheck_at": min(recheck) if recheck else None}


def status_reports_complete(sts):
    """Whether the StatefulSet's own status says its rollout is complete, as ``kubectl rollout status`` reads
    it (no pods): the controller has observed the current generation, ``replicas`` and ``readyReplicas``
    (and ``availableReplicas``) match the desired count, and for a RollingUpdate every ordinal from the
    partition up is updated (without a partition: ``currentRevision == updateRevision``). A StatefulSet
    that does not exist yet (``{}``) is not complete."""
    if not sts or not obj.meta(sts).get("name"):
        return False
    st = obj.status(sts)
    observed = st.get("observedGeneration")
    if observed is None or observed < (obj.meta(sts).get("generation") or 0):
        return False
    want = obj.desired_ordinals(sts)
    count = len(want)
    strategy = obj.update_strategy(sts)
    cut = obj.partition(sts)
    if _status_counters(sts, count, strategy, cut):
        return False
    if strategy == "RollingUpdate" and cut > obj.ordinal_start(sts):
        return (st.get("updatedReplicas") or 0) >= max(0, want.stop - max(cut, want.start))
    return True


def _status_counters(sts, count, strategy, cut):
    """The controller's status must agree with what the pods say."""
    st = obj.status(sts)
    name = obj.meta(sts).get("name")
    problems = []
    checks = [("replicas", st.get("replicas") or 0), ("readyReplicas", st.get("readyReplicas") or 0)]
    if "availableReplicas" in st or obj.min_ready_seconds(sts):
        checks.append(("availableReplicas", st.get("availableReplicas") or 0))
    for field, value in checks:
        short = value != count if field == "replicas" else value < count
        if short:
            problems.append(_pending(None, None, "status.%s" % field,
                                     "StatefulSet %s: status.%s is %d, waiting for %d (controller status lags the pods)"
                                     % (name, field, value, count)))
    if (strategy == "RollingUpdate" and cut <= obj.ordinal_start(sts) and count
            and st.get("currentRevision") != st.get("updateRevision")):
        problems.append(_pending(None, None, "status.currentRevision",
                                 "StatefulSet %s: status.currentRevision %s is not yet the update revision %s"
                                 % (name, st.get("currentRevision"), st.get("updateRevision"))))
    return problems


def _done_sentence(sts, count, strategy, cut, update_rev):
    name = obj.meta(sts).get("name")
    start = obj.ordinal_start(sts)
    if strategy == "OnDelete":
        return "StatefulSet %s: %d pods Ready (OnDelete: revisions are updated when pods are deleted)" % (name, count)
    if cut > start:
        updated = max(0, start + count - max(cut, start))
        return ("StatefulSet %s: partitioned rollout complete: %d pods with ordinal >= %d at revision %s, "
                "%d below the partition left as they were" % (name, updated, cut, update_rev, count - updated))
    return "StatefulSet %s: rollout complete: %d pods Ready at revision %s" % (name, count, update_rev)
