# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runner of ``statefulset_validate``: option checks, the verdict and the flow.

``evaluate`` is pure: snapshot (+ DNS answers, + watch records) in, module result out.
``Validation`` drives one run through a ``StatefulSetClient`` and a ``DnsProbe`` (the
only I/O), with the clocks injected so that tests can drive it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import selector_string
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import (
    validate_dns1123_label,
    validate_dns1123_subdomain,
)
from ansible_collections.stateful.nfs.plugins.module_utils.statefulset_completion import rollout_status
from ansible_collections.stateful.nfs.plugins.module_utils.statefulset_dns import (
    DNS_RESOLVER_ARG_SPEC,
    dns_plan,
    evaluate_dns,
)
from ansible_collections.stateful.nfs.plugins.module_utils.statefulset_order import (
    audit_order,
    watch_order,
)
from ansible_collections.stateful.nfs.plugins.module_utils.statefulset_report import junit_xml, svg_timeline
from ansible_collections.stateful.nfs.plugins.module_utils.statefulset_storage import (
    check_storage,
    normalize_expected_volumes,
)

ALL_CHECKS = ("order", "completion", "storage", "dns")

VALIDATE_ARG_SPEC = dict(
    name=dict(type="str", required=True),
    namespace=dict(type="str", default="default"),
    checks=dict(type="list", elements="str", choices=list(ALL_CHECKS), default=list(ALL_CHECKS)),
    mode=dict(type="str", choices=["audit", "watch"], default="audit"),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=300),
    watch_timeout=dict(type="int", default=300),
    expected_volumes=dict(type="dict"),
    junit_path=dict(type="path"),
    svg_path=dict(type="path"),
    fail_on_violation=dict(type="bool", default=True),
)
VALIDATE_ARG_SPEC.update(DNS_RESOLVER_ARG_SPEC)


def check_params(params):
    """Reject bad option values with a message that names the option (ValueError)."""
    validate_dns1123_label(params["name"], "name")
    validate_dns1123_label(params["namespace"], "namespace")
    validate_dns1123_subdomain(params["cluster_domain"].rstrip("."), "cluster_domain")
    if not params["checks"]:
        raise ValueError("checks: select at least one of %s" % ", ".join(ALL_CHECKS))
    for field in ("wait_timeout", "watch_timeout"):
        if params[field] <= 0:
            raise ValueError("%s: must be a positive number of seconds, got %d" % (field, params[field]))
    if not 0 < params["dns_port"] < 65536:
        raise ValueError("dns_port: must be between 1 and 65535, got %d" % params["dns_port"])
    if params["dns_timeout"] <= 0:
        raise ValueError("dns_timeout: must be a positive number of seconds, got %s" % params["dns_timeout"])
    if not params["dns_server"]:
        raise ValueError("dns_server: must not be empty")
    expected = params.get("expected_volumes") or {}
    for key, value in expected.items():
        try:
            int(key)
        except (TypeError, ValueError):
            raise ValueError("expected_volumes[%r]: the key must be a pod ordinal (an integer)" % (key,))
        if not isinstance(value, (str, dict)):
            raise ValueError("expected_volumes[%r]: must be a PersistentVolume name or a mapping of "
                             "volumeClaimTemplate name to PersistentVolume name" % (key,))


def is_change(kind, kind_type, item, before, first_generation):
    """Is a watch event a change of the rollout (not status noise)?"""
    if kind == "StatefulSet":
        return kind_type in ("ADDED", "DELETED") or obj.meta(item).get("generation") != first_generation
    if kind_type in ("ADDED", "DELETED") or before is None:
        return True
    return (obj.is_ready(item) != obj.is_ready(before)
            or obj.is_terminating(item) != obj.is_terminating(before)
            or obj.meta(item).get("uid") != obj.meta(before).get("uid"))


def _timeline_public(rows):
    out = []
    for row in rows:
        item = dict((k, v) for k, v in row.items() if k not in ("created", "ready", "terminating", "deleted"))
        for key in ("created", "ready", "terminating", "deleted"):
            item[key] = obj.format_time(row.get(key))
        out.append(item)
    return out


def evaluate(params, shot, answers=None, watch=None, waited=None, plan=None):
    """The module result (without file paths) from a snapshot and what was observed.

    ``shot``: a ``StatefulSetClient.snapshot``; ``answers``: DNS answers for the plan's
    queries; ``watch``: ``{"records", "controller_deletes", "started", "ended"}`` in watch
    mode; ``waited``: ``{"elapsed", "timed_out"}`` when the run waited for the rollout.
    """
    sts = shot["statefulset"]
    name, namespace = params["name"], params["namespace"]
    selected = [c for c in ALL_CHECKS if c in params["checks"]]
    checks = dict((c, {"status": "skipped", "summary": "not selected", "selected": False}) for c in ALL_CHECKS)
    violations = []
    result = {"changed": False, "statefulset": name, "namespace": namespace, "mode": params["mode"],
              "checks": checks, "violations": violations, "pods": [], "storage": [], "dns": [],
              "completion": {}, "events": []}
    pods = shot["pods"]
    timeline = []

    if "order" in selected:
        if watch is not None:
            order = watch_order(watch["records"], name, watch.get("controller_deletes"))
            result["events"] = [dict(e, time=obj.format_time(e["time"])) for e in order.pop("events")]
        else:
            order = audit_order(sts, pods, shot["events"])
        timeline = order.pop("timeline")
        violations.extend(order.pop("violations"))
        checks["order"] = dict(order, selected=True)
    else:
        timeline = audit_order(dict(sts, spec=dict(obj.spec(sts), podManagementPolicy="Parallel")),
                               pods, [])["timeline"]

    if "completion" in selected:
        status = rollout_status(sts, pods, shot["taken"])
        reason = status["reason"]
        if waited and waited.get("timed_out") and not status["complete"]:
            reason = "timed out after %d s waiting for the rollout: %s" % (waited["elapsed"], reason)
        result["completion"] = {"complete": status["complete"], "reason": reason, "pending": status["pending"],
                                "outdated": status["outdated"],
                                "waited": round(waited["elapsed"], 3) if waited else None}
        for index, item in enumerate(status["pending"]):
            violations.append({"check": "completion", "pod": item["pod"],
                               "message": reason if index == 0 else item["message"]})
        checks["completion"] = {"status": "passed" if status["complete"] else "failed", "summary": reason,
                                "selected": True}

    if "storage" in selected:
        storage = check_storage(sts, pods, shot["claims"], shot["volumes"], shot["claim_events"],
                                params.get("expected_volumes"))
        result["storage"] = storage.pop("claims")
        violations.extend(storage.pop("violations"))
        checks["storage"] = dict(storage, selected=True)

    if "dns" in selected:
        if plan is None:
            plan = dns_plan(sts, shot["service"], pods, params["cluster_domain"])
        server = "%s:%d" % (params["dns_server"], params["dns_port"])
        dns = evaluate_dns(plan, answers or {}, server)
        result["dns"] = dns.pop("records")
        violations.extend(dns.pop("violations"))
        checks["dns"] = dict(dns, selected=True, server=server, queries=len(plan["queries"]))

    result["pods"] = _timeline_public(sorted(timeline, key=lambda r: (r["ordinal"], r["created"] or 0)))
    result["valid"] = not violations
    result["_timeline"] = timeline
    want = ["%s-%d" % (name, o) for o in obj.desired_ordinals(sts)]
    result["pod_names"] = sorted(set(want) | set(r["name"] for r in timeline))
    return result


class Validation:
    """One run: (watch or wait), snapshot, DNS, verdict, report files."""

    def __init__(self, params, client, probe, check_mode=False, clock=time.time, monotonic=time.monotonic):
        self.params = params
        self.client = client
        self.probe = probe
        self.check_mode = check_mode
        self.clock = clock
        self.monotonic = monotonic

    def _follow(self, timeout, record):
        """Follow pod and StatefulSet watch events until the rollout is complete (after a
        change, when ``record``) or ``timeout``. Returns what was seen."""
        p = self.params
        started_m = self.monotonic()
        started = self.clock()
        deadline = started_m + timeout
        sts, pods, versions = self.client.initial_state(p["namespace"], p["name"])
        first_generation = obj.meta(sts).get("generation") if sts else None
        records, seq = [], 0
        if record and sts is not None:
            records.append({"seq": seq, "time": started, "kind": "StatefulSet", "type": "INITIAL", "object": sts})
        current = dict((obj.meta(x).get("name"), x) for x in pods)
        if record:
            for pod in obj.owned_pods(sts, pods) if sts else []:
                seq += 1
                records.append({"seq": seq, "time": started, "kind": "Pod", "type": "INITIAL",
                                "object": obj.slim_pod(pod)})
        changed = False
        status = rollout_status(sts, list(current.values()), self.clock()) if sts else None
        if status and status["complete"] and not record:
            return {"complete": True, "timed_out": False, "elapsed": self.monotonic() - started_m,
                    "records": records, "started": started}
        selector = selector_string(obj.spec(sts).get("selector")) if sts else None
        wake = [status["recheck_at"] if status else None]
        stream = self.client.stream(p["namespace"], p["name"], selector, versions, deadline, wake)
        complete = False
        try:
            for batch in stream:
                for kind, kind_type, item, when in batch:
                    if kind == "StatefulSet":
                        changed = changed or is_change(kind, kind_type, item, None, first_generation)
                        sts = None if kind_type == "DELETED" else item
                    elif kind == "Pod":
                        key = obj.meta(item).get("name")
                        if obj.pod_ordinal(item, p["name"]) is None:
                            continue
                        changed = changed or is_change(kind, kind_type, item, current.get(key), None)
                        if kind_type == "DELETED":
                            current.pop(key, None)
                        else:
                            current[key] = item
                    else:
                        continue
                    if record:
                        seq += 1
                        records.append({"seq": seq, "time": when, "kind": kind, "type": kind_type,
                                        "object": item if kind == "StatefulSet" else obj.slim_pod(item)})
                if sts is None:
                    continue
                status = rollout_status(sts, list(current.values()), self.clock())
                wake[0] = status["recheck_at"]
                if status["complete"] and (changed or not record):
                    complete = True
                    break
        finally:
            stream.close()
        elapsed = self.monotonic() - started_m
        return {"complete": complete, "timed_out": not complete, "elapsed": elapsed, "records": records,
                "started": started, "changed": changed}

    def run(self):
        p = self.params
        check_params(p)
        selected = [c for c in ALL_CHECKS if c in p["checks"]]
        watch = waited = None
        if not self.check_mode:
            if p["mode"] == "watch":
                seen = self._follow(p["watch_timeout"], record=True)
                watch = {"records": seen["records"], "started": seen["started"], "ended": self.clock()}
                waited = seen
            elif p["wait"]:
                waited = self._follow(p["wait_timeout"], record=False)
        shot = self.client.snapshot(p["namespace"], p["name"], selected)
        if shot["statefulset"] is None:
            return None
        if shot["statefulset"] is not None and p.get("expected_volumes"):
            normalize_expected_volumes(p["expected_volumes"], [t[0] for t in obj.claim_templates(shot["statefulset"])])
        if watch is not None and "order" in selected:
            deletes = [e for e in obj.controller_pod_events(shot["events"], p["name"])
                       if e["action"] == "delete" and e["time"] >= watch["started"] - obj.SERVER_RESOLUTION]
            watch["controller_deletes"] = set(e["pod"] for e in deletes) if shot["events"] else None
        answers = plan = None
        if "dns" in selected:
            plan = dns_plan(shot["statefulset"], shot["service"], shot["pods"], p["cluster_domain"])
            answers = self.probe.resolve(plan["queries"])
        result = evaluate(p, shot, answers, watch, waited, plan)
        if watch is not None:
            result["watch"] = {"started": obj.format_time(watch["started"]), "ended": obj.format_time(watch["ended"]),
                               "records": len(watch["records"]), "stopped": "complete" if waited["complete"]
                               else "watch_timeout"}
        return result

    def reports(self, result):
        """The report files to write: ``{path: text}`` (none in check mode)."""
        files = {}
        if self.check_mode:
            return files
        end = self.clock()
        if self.params.get("junit_path"):
            files[self.params["junit_path"]] = junit_xml(result, (result.get("completion") or {}).get("waited") or 0)
        if self.params.get("svg_path"):
            files[self.params["svg_path"]] = svg_timeline(dict(result, timeline=result["_timeline"]), end)
        return files
