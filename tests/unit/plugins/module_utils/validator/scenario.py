# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One history of the StatefulSet ``myapp``, told once, seen two ways: what audit mode reads
afterwards (the StatefulSet, its pods and the controller's events, in the API's shapes) and what
a watch started at the beginning records. The order tests build each case once with it, so that
audit mode and watch mode are judged on the same facts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import time

T0 = 1795762800  # 2026-11-27T07:00:00Z
UID = "5f0c8a8e-7a43-4c8e-9d37-0d2b8f7f1a01"
LABELS = {"app": "myapp-pod"}
REVISION = "myapp-7d9c6b5f48"


def stamp(epoch):
    """A server timestamp: RFC 3339, whole seconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


class Scenario:
    """Steps at seconds after T0: ``create``, ``ready``, ``unready``, ``restart``, ``adopt``, ``delete``.
    ``controller=False`` marks a pod created or deleted by someone else (no event, and a created pod
    has no controller reference until ``adopt``)."""

    def __init__(self, replicas=3, sts_at=0.0, min_ready=0):
        self.sts_at = sts_at
        self.sts = {
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "myapp", "namespace": "default", "uid": UID, "generation": 1,
                         "creationTimestamp": stamp(T0 + sts_at)},
            "spec": {"replicas": replicas, "selector": {"matchLabels": dict(LABELS)},
                     "serviceName": "statefulset-headless", "podManagementPolicy": "OrderedReady",
                     "minReadySeconds": min_ready, "updateStrategy": {"type": "RollingUpdate"},
                     "template": {"metadata": {"labels": dict(LABELS)}, "spec": {"containers": [{"name": "myapp"}]}}},
            "status": {"observedGeneration": 1, "replicas": replicas, "readyReplicas": replicas,
                       "currentRevision": REVISION, "updateRevision": REVISION},
        }
        self.steps = []

    def _step(self, at, action, ordinal, **extra):
        self.steps.append((at, len(self.steps), action, ordinal, extra))
        return self

    def create(self, ordinal, at, controller=True):
        return self._step(at, "create", ordinal, controller=controller)

    def ready(self, ordinal, at):
        return self._step(at, "ready", ordinal)

    def unready(self, ordinal, at):
        return self._step(at, "unready", ordinal)

    def restart(self, ordinal, at):
        """The container restarts: un-Ready at ``at``, running again from ``at``."""
        return self._step(at, "restart", ordinal)

    def adopt(self, ordinal, at):
        return self._step(at, "adopt", ordinal)

    def delete(self, ordinal, at, controller=True):
        return self._step(at, "delete", ordinal, controller=controller)

    def scale(self, replicas, at):
        """``kubectl scale``: a new generation of the StatefulSet with ``replicas``."""
        return self._step(at, "scale", None, replicas=replicas)

    # -- the two views
    def play(self):
        """``(statefulset, pods, events, records)``: the StatefulSet and the pods at the end, the
        controller's events and the watch records (delivery order, arrival times)."""
        pods, events, records, counter = {}, {}, [], [0]
        initial = copy.deepcopy(self.sts)
        sts_seen = False
        if self.sts_at <= 0:
            records.append(self._record(T0, "StatefulSet", "INITIAL", self.sts))
            sts_seen = True
        for at, _seq, action, ordinal, extra in sorted(self.steps):
            when = T0 + at
            if not sts_seen and at >= self.sts_at:
                records.append(self._record(T0 + self.sts_at, "StatefulSet", "ADDED", self.sts))
                sts_seen = True
            if action == "scale":
                self.sts["metadata"]["generation"] += 1
                self.sts["spec"]["replicas"] = extra["replicas"]
                self.sts["status"].update(observedGeneration=self.sts["metadata"]["generation"],
                                          replicas=extra["replicas"], readyReplicas=extra["replicas"])
                records.append(self._record(when, "StatefulSet", "MODIFIED", self.sts))
                continue
            name = "myapp-%d" % ordinal
            if action == "create":
                counter[0] += 1
                pods[name] = self._pod(name, ordinal, when, "uid-%d" % counter[0], extra["controller"])
                if extra["controller"]:
                    self._event(events, "create", name, when)
                records.append(self._record(when, "Pod", "ADDED", pods[name]))
                continue
            pod = pods[name]
            if action in ("ready", "unready", "restart"):
                cond = [c for c in pod["status"]["conditions"] if c["type"] == "Ready"][0]
                cond.update(status="True" if action == "ready" else "False", lastTransitionTime=stamp(when))
                if action == "restart":
                    status = pod["status"]["containerStatuses"][0]
                    status["restartCount"] += 1
                    status["state"] = {"running": {"startedAt": stamp(when)}}
            elif action == "adopt":
                pod["metadata"]["ownerReferences"] = [self._owner()]
            elif action == "delete":
                pod["metadata"]["deletionTimestamp"] = stamp(when)
                if extra["controller"]:
                    self._event(events, "delete", name, when)
                records.append(self._record(when, "Pod", "DELETED", pod))
                del pods[name]
                continue
            records.append(self._record(when, "Pod", "MODIFIED", pod))
        if not sts_seen:
            records.append(self._record(T0 + self.sts_at, "StatefulSet", "ADDED", self.sts))
        for seq, record in enumerate(records):
            record["seq"] = seq
        final, self.sts = self.sts, initial
        return final, sorted(pods.values(), key=lambda p: p["metadata"]["name"]), list(events.values()), records

    def shot(self, events=True):
        """What audit mode reads afterwards (``StatefulSetClient.snapshot``); ``events=False``: they expired."""
        sts, pods, kept, _records = self.play()
        return {"statefulset": sts, "pods": pods, "events": kept if events else [],
                "claims": [], "volumes": [], "claim_events": [], "service": None, "taken": T0 + 3600}

    def records(self):
        return self.play()[3]

    # -- the shapes
    def _owner(self):
        return {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "myapp", "uid": UID, "controller": True,
                "blockOwnerDeletion": True}

    def _pod(self, name, ordinal, when, uid, controller):
        meta = {"name": name, "namespace": "default", "uid": uid, "creationTimestamp": stamp(when),
                "labels": dict(LABELS, **{"statefulset.kubernetes.io/pod-name": name})}
        if controller:
            meta["labels"]["controller-revision-hash"] = REVISION
            meta["ownerReferences"] = [self._owner()]
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
                "spec": {"hostname": name, "subdomain": "statefulset-headless", "nodeName": "node1",
                         "containers": [{"name": "myapp"}]},
                "status": {"phase": "Running", "podIP": "10.244.0.%d" % (10 + ordinal),
                           "conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": stamp(when)}],
                           "containerStatuses": [{"name": "myapp", "ready": False, "restartCount": 0,
                                                  "state": {"running": {"startedAt": stamp(when)}}}]}}

    @staticmethod
    def _record(when, kind, kind_type, item):
        return {"seq": None, "time": when, "kind": kind, "type": kind_type, "object": copy.deepcopy(item)}

    @staticmethod
    def _event(events, action, pod, when):
        """The controller's event, deduplicated by message as client-go does (count, lastTimestamp)."""
        message = "%s Pod %s in StatefulSet myapp successful" % (action, pod)
        event = events.get(message)
        if event is None:
            events[message] = {
                "apiVersion": "v1", "kind": "Event",
                "metadata": {"name": "myapp.%x" % int((when + 0.004) * 10 ** 9), "namespace": "default",
                             "creationTimestamp": stamp(when)},
                "involvedObject": {"kind": "StatefulSet", "name": "myapp", "namespace": "default", "uid": UID},
                "reason": "SuccessfulCreate" if action == "create" else "SuccessfulDelete", "message": message,
                "source": {"component": "statefulset-controller"}, "firstTimestamp": stamp(when),
                "lastTimestamp": stamp(when), "count": 1, "type": "Normal"}
        else:
            event["count"] += 1
            event["lastTimestamp"] = stamp(when)
