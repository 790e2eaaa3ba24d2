# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``stateful.nfs.validation_report`` filter (documented in validation_report.yml).

Turns what ``stateful.nfs.statefulset_validate`` returned into a short report for people:
the rollout per ordinal (created -> Ready), each pod's claim and volume, each pod's A and
PTR answers, the verdict of every check and where the JUnit XML and SVG files are.
Pure functions over the module's documented return values; no I/O.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible.errors import AnsibleFilterError
from ansible_collections.stateful.nfs.plugins.module_utils.validator.options import CHECKS

_RFC3339 = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:Z|[+-]00:?00)?$")
_ACCESS_MODES = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX",
                 "ReadWriteOncePod": "RWOP"}


def report_time(value):
    """A UTC RFC 3339 time as the validator writes it (``2026-11-27T07:10:01.412Z``, from
    ``k8s.objects.format_time``) as a ``datetime`` for display, or None; anything else is an
    error. Not ``k8s.objects.parse_time``, which reads API timestamps in any zone into epoch
    seconds and answers None for what it cannot read."""
    if not value:
        return None
    match = _RFC3339.match(str(value))
    if not match:
        raise AnsibleFilterError("validation_report: %r is not an RFC 3339 UTC time" % (value,))
    year, month, day, hour, minute, second, fraction = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    return datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro)


def clock(moment):
    """``07:10:01.412`` (milliseconds only when the source has them)."""
    text = moment.strftime("%H:%M:%S")
    if moment.microsecond:
        text += ".%03d" % (moment.microsecond // 1000)
    return text


def stamp(moment, origin):
    """``07:10:01.412 (+1.4s)``: the clock time and the seconds after ``origin`` (when known)."""
    if origin is None:
        return clock(moment)
    return "%s (%+.1fs)" % (clock(moment), (moment - origin).total_seconds())


def timeline_lines(pods, evidence):
    """One line per pod incarnation, ordered by ordinal then creation."""
    if not pods:
        return ["  (no pods)"]
    rows = []
    for pod in pods:
        rows.append((pod.get("ordinal") if pod.get("ordinal") is not None else -1,
                     report_time(pod.get("created")), pod))
    created = [row[1] for row in rows if row[1] is not None]
    origin = min(created) if created else None
    rows.sort(key=lambda row: (row[0], row[1] or datetime.datetime.min))
    width = max(len(str(row[2].get("name") or "")) for row in rows)
    lines = []
    for _ordinal, born, pod in rows:
        parts = ["  %-*s" % (width, pod.get("name") or "?")]
        parts.append("created %s" % stamp(born, origin) if born else "created ?")
        ready = report_time(pod.get("ready"))
        parts.append("Ready %s" % stamp(ready, origin) if ready else "not Ready")
        deleted = report_time(pod.get("deleted"))
        terminating = report_time(pod.get("terminating"))
        if deleted:
            parts.append("deleted %s" % stamp(deleted, origin))
        elif terminating:
            parts.append("terminating since %s" % clock(terminating))
        if pod.get("node"):
            parts.append("on %s" % pod["node"])
        lines.append("  ".join(parts))
    if evidence == "audit":
        lines.append("  (API timestamps: Ready times have whole seconds; t=0 is the first creation)")
    elif evidence == "watch":
        lines.append("  (times the watch events arrived; t=0 is the first creation)")
    return lines


def storage_lines(storage):
    """``myapp-0  myappdata-myapp-0 -> pv001  (Bound, 1Gi, RWO)`` per pod and claim template."""
    if not storage:
        return ["  (no claims)"]
    width = max(len(str(item.get("pod") or "")) for item in storage)
    lines = []
    for item in sorted(storage, key=lambda s: (s.get("ordinal", 0), s.get("template") or "")):
        details = [item.get("phase") or "missing"]
        if item.get("capacity"):
            details.append(str(item["capacity"]))
        modes = [_ACCESS_MODES.get(mode, mode) for mode in item.get("access_modes") or []]
        if modes:
            details.append(",".join(modes))
        line = "  %-*s  %s -> %s  (%s)" % (
            width, item.get("pod") or "?", item.get("claim") or "?", item.get("volume") or "no volume",
            ", ".join(details))
        if item.get("reason"):
            line += ": %s" % item["reason"]
        lines.append(line)
    return lines


def _answer(answer):
    """The values of one DNS answer, or its rcode when there are none."""
    if not answer:
        return "not asked"
    values = answer.get("values") or []
    if values:
        return ", ".join(str(value) for value in values)
    return answer.get("rcode") or "no answer"


def dns_lines(dns):
    """The A (or AAAA) and PTR question and answer of every pod, and its short name in the search-path form."""
    if not dns:
        return ["  (no pod addresses)"]
    width = max(len(str(item.get("pod") or "")) for item in dns)
    lines = []
    for item in sorted(dns, key=lambda d: d.get("ordinal", 0)):
        forward = item.get("a") or {}
        reverse = item.get("ptr") or {}
        kind = forward.get("type") or "A"
        lines.append("  %-*s  %-4s %s -> %s" % (width, item.get("pod") or "?", kind,
                                                forward.get("query") or item.get("fqdn") or "?", _answer(forward)))
        lines.append("  %-*s  %-4s %s -> %s" % (width, "", "PTR", reverse.get("query") or item.get("ip") or "?",
                                                _answer(reverse)))
        search = item.get("search")
        if search:
            lines.append("  %-*s  %-4s %s (search path %s) -> %s" % (
                width, "", search.get("type") or kind, search.get("name") or "?", search.get("search_domain") or "?",
                _answer(search)))
        if not item.get("published", True):
            lines.append("  %-*s  (not published: the pod is not Ready)" % (width, ""))
    return lines


def verdict_lines(result):
    """``valid``/``INVALID`` with each selected check's status and summary, then the violations."""
    checks = result.get("checks") or {}
    lines = ["Verdict: %s" % ("valid" if result.get("valid") else "INVALID")]
    for name in CHECKS:
        check = checks.get(name) or {}
        if check and check.get("selected", True) and check.get("status") != "skipped":
            lines.append("  %-10s %-9s %s" % (name, check.get("status"), check.get("summary") or ""))
    for violation in result.get("violations") or []:
        lines.append("  violation (%s, %s): %s" % (
            violation.get("check"), violation.get("pod") or "StatefulSet", violation.get("message")))
    return lines


def report_lines(result):
    """Where the JUnit XML and SVG timeline went."""
    lines = ["Reports:"]
    for label, key in (("JUnit XML", "junit_path"), ("SVG timeline", "svg_path")):
        lines.append("  %-12s %s" % (label, result.get(key) or "not written"))
    return lines


def validation_report(result, heading=None):
    """The whole report as a list of lines (see validation_report.yml)."""
    if not isinstance(result, dict):
        raise AnsibleFilterError("validation_report: expected the registered result of "
                                 "stateful.nfs.statefulset_validate (a dict), got %s" % type(result).__name__)
    if result.get("failed") and "checks" not in result:
        raise AnsibleFilterError("validation_report: the validation itself failed: %s" % result.get("msg"))
    order = (result.get("checks") or {}).get("order") or {}
    lines = []
    if heading:
        lines.append(str(heading))
    lines.append("Rollout, per ordinal:")
    lines.extend(timeline_lines(result.get("pods") or [], order.get("evidence")))
    lines.append("Claims (PVC -> PV):")
    lines.extend(storage_lines(result.get("storage") or []))
    server = ((result.get("checks") or {}).get("dns") or {}).get("server")
    lines.append("DNS%s:" % (" (asked %s)" % server if server else ""))
    lines.extend(dns_lines(result.get("dns") or []))
    lines.extend(verdict_lines(result))
    lines.extend(report_lines(result))
    return lines


class FilterModule(object):
    """stateful.nfs report filters."""

    def filters(self):
        return {"validation_report": validation_report}
