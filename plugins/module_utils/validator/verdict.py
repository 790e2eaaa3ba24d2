# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verdict of ``statefulset_validate`` (pure, no I/O).

``evaluate``: a snapshot (+ DNS answers, + watch records) in, the result of every check
out (``evaluation``: the same, one step per check). ``module_answer``: that result in, how the module ends (``fail_json`` or
``exit_json``, with what).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.validator.completion import rollout_status
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns import dns_plan, evaluate_dns
from ansible_collections.stateful.nfs.plugins.module_utils.validator.options import CHECKS, selected_checks
from ansible_collections.stateful.nfs.plugins.module_utils.validator.order_audit import audit_order
from ansible_collections.stateful.nfs.plugins.module_utils.validator.order_watch import watch_order
from ansible_collections.stateful.nfs.plugins.module_utils.validator.storage import check_storage

# the result keys only the report files read; the module does not return them
INTERNAL_KEYS = ("_timeline", "pod_names", "_durations")


def _timeline_public(rows):
    out = []
    for row in rows:
        item = dict((k, v) for k, v in row.items() if k not in ("created", "ready", "terminating", "deleted"))
        for key in ("created", "ready", "terminating", "deleted"):
            item[key] = obj.format_time(row.get(key))
        out.append(item)
    return out


def dns_source(params, source=None):
    """Where the DNS answers came from, as the report gives it: ``transport``, ``server`` (the
    words the messages use after "at") and ``dns_pod`` (null on the direct path). ``source`` is
    the probe's own account; without one it follows from the options."""
    source = dict(source or {})
    if not source:
        if params.get("dns_server") is not None:
            source = {"transport": "direct", "server": "%s:%d" % (params["dns_server"], params["dns_port"])}
        else:
            source = {"transport": "api", "server": "the cluster DNS (port-forward through the API server)"}
    source.setdefault("dns_pod", None)
    return source


def evaluate(params, shot, answers=None, watch=None, waited=None, plan=None, source=None):
    """The module result (without file paths) from a snapshot and what was observed.

    ``shot``: a ``StatefulSetClient.snapshot``; ``answers``: DNS answers for the plan's
    queries, and ``source`` where they came from (the probe's ``source``); ``watch``:
    ``{"records", "controller_deletes", "started", "ended"}`` in watch mode; ``waited``:
    ``{"elapsed", "timed_out"}`` when the run waited for the rollout.
    """
    steps, finish = evaluation(params, shot, answers, watch, waited, plan, source)
    for _check, step in steps:
        step()
    return finish()


def evaluation(params, shot, answers=None, watch=None, waited=None, plan=None, source=None):
    """``evaluate`` in steps, so that the runner can time each check without a clock in here:
    ``([(check, step)], finish)``. Calling each step in order, then ``finish()``, returns what
    ``evaluate`` returns."""
    sts = shot["statefulset"]
    name, namespace = params["name"], params["namespace"]
    selected = selected_checks(params)
    checks = dict((c, {"status": "skipped", "summary": "not selected", "selected": False}) for c in CHECKS)
    violations = []
    result = {"changed": False, "statefulset": name, "namespace": namespace, "mode": params["mode"],
              "checks": checks, "violations": violations, "pods": [], "storage": [], "dns": [],
              "completion": {}, "events": []}
    pods = shot["pods"]
    found = {"timeline": None}

    def order():
        if watch is not None:
            verdict = watch_order(watch["records"], name, watch.get("controller_deletes"))
            result["events"] = [dict(e, time=obj.format_time(e["time"])) for e in verdict.pop("events")]
        else:
            verdict = audit_order(sts, pods, shot["events"])
        found["timeline"] = verdict.pop("timeline")
        violations.extend(verdict.pop("violations"))
        checks["order"] = dict(verdict, selected=True)

    def completion():
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

    def storage():
        verdict = check_storage(sts, pods, shot["claims"], shot["volumes"], shot["claim_events"],
                                params.get("expected_volumes"))
        result["storage"] = verdict.pop("claims")
        violations.extend(verdict.pop("violations"))
        checks["storage"] = dict(verdict, selected=True)

    def dns():
        queries = plan if plan is not None else dns_plan(sts, shot["service"], pods, params["cluster_domain"])
        where = dns_source(params, source)
        verdict = evaluate_dns(queries, answers or {}, where["server"])
        result["dns"] = verdict.pop("records")
        violations.extend(verdict.pop("violations"))
        checks["dns"] = dict(verdict, selected=True, queries=len(queries["queries"]), **where)

    def finish():
        timeline = found["timeline"]
        if timeline is None:  # order not selected: the timeline alone, no order judged
            timeline = audit_order(dict(sts, spec=dict(obj.spec(sts), podManagementPolicy="Parallel")),
                                   pods, [])["timeline"]
        result["pods"] = _timeline_public(sorted(timeline, key=lambda r: (r["ordinal"], r["created"] or 0)))
        result["valid"] = not violations
        result["_timeline"] = timeline
        want = ["%s-%d" % (name, o) for o in obj.desired_ordinals(sts)]
        result["pod_names"] = sorted(set(want) | set(r["name"] for r in timeline))
        return result

    steps = dict(order=order, completion=completion, storage=storage, dns=dns)
    return [(check, steps[check]) for check in selected], finish


def failure_message(violations):
    """``<check> check: <first violation>`` and how many more there are."""
    first = violations[0]
    more = len(violations) - 1
    msg = "%s check: %s" % (first["check"], first["message"])
    if more:
        msg += " (and %d more violation%s)" % (more, "" if more == 1 else "s")
    return msg


# the result's lists with an entry per pod (or per pod event), and the key naming the pod
PER_POD_LISTS = (("pods", "name"), ("storage", "pod"), ("dns", "pod"), ("events", "pod"))


def problem_details(fields):
    """``pod_details=problems``: the per-pod lists (``PER_POD_LISTS``) with only the entries of
    the pods a violation names; the checks' summaries, the violations and the completion verdict
    are not touched. ``{list name: shortened list}``."""
    named = set(v.get("pod") for v in fields.get("violations") or [] if v.get("pod"))
    return dict((key, [e for e in fields.get(key) or [] if e.get(field) in named])
                for key, field in PER_POD_LISTS)


def module_answer(params, result, written=(), check_mode=False):
    """How the module ends: ``(failed, fields)`` for ``fail_json`` (with ``msg``) or ``exit_json``.

    ``result``: what ``Validation.run`` returned (None: the StatefulSet does not exist);
    ``written``: the report paths that were written.
    """
    if result is None:
        what = "StatefulSet %s/%s not found" % (params["namespace"], params["name"])
        if check_mode:
            # an earlier task may only have pretended to create it
            return False, dict(changed=False, valid=True, msg="check mode: %s; nothing to validate yet" % what,
                               checks={}, violations=[], pods=[], storage=[], dns=[], completion={}, events=[],
                               junit_path=None, svg_path=None)
        return True, dict(msg=what, valid=False, changed=False)
    fields = dict((k, v) for k, v in result.items() if k not in INTERNAL_KEYS)
    if params.get("pod_details") == "problems":
        fields.update(problem_details(fields))
    for key in ("junit_path", "svg_path"):
        fields[key] = params.get(key) if params.get(key) and params.get(key) in written else None
    if not fields["valid"] and params["fail_on_violation"]:
        return True, dict(fields, msg=failure_message(fields["violations"]))
    return False, fields
