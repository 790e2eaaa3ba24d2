# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JUnit XML report of a ``statefulset_validate`` result.

A pure function from the module's result to a string; writing the file is the caller's job.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from xml.etree import ElementTree

from ansible_collections.stateful.nfs.plugins.module_utils.validator.options import CHECKS


def junit_xml(result):
    """One ``<testsuite>`` per selected check; one ``<testcase>`` per pod, plus one for the
    StatefulSet itself (violations not tied to a pod). Failed cases carry every violation.

    Times come from ``result["_durations"]`` (the runner's measurements): a suite's time is its
    check's measured duration; the check judges all of its cases in one pass, so each case carries an
    equal share of it and the cases add up to the suite. The root's time is the whole run's, which
    also holds the reads every check shares. Without measurements every time is 0."""
    sts = result["statefulset"]
    namespace = result["namespace"]
    measured = result.get("_durations") or {}
    spent = measured.get("checks") or {}
    pods = sorted(set(result.get("pod_names") or []), key=_natural)
    root = ElementTree.Element("testsuites", name="statefulset_validate %s/%s" % (namespace, sts))
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for check in CHECKS:
        info = result["checks"].get(check)
        if info is None or info.get("selected") is False:
            continue
        suite = ElementTree.SubElement(root, "testsuite", name="%s/%s %s" % (namespace, sts, check))
        found = [v for v in result["violations"] if v["check"] == check]
        cases = [sts] + [p for p in pods if p != sts]
        for extra in sorted(set(v["pod"] for v in found if v["pod"]) - set(cases), key=_natural):
            cases.append(extra)
        seconds = spent.get(check, 0.0)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for case_name in cases:
            case = ElementTree.SubElement(suite, "testcase", name=case_name,
                                          classname="stateful.nfs.statefulset_validate.%s" % check,
                                          time=_seconds(seconds / len(cases)))
            counts["tests"] += 1
            mine = [v for v in found if (v["pod"] or sts) == case_name]
            if info["status"] == "skipped":
                ElementTree.SubElement(case, "skipped", message=info.get("summary") or "not run")
                counts["skipped"] += 1
            elif mine:
                failure = ElementTree.SubElement(case, "failure", message=mine[0]["message"], type=check)
                failure.text = "\n".join(v["message"] for v in mine)
                counts["failures"] += 1
            elif case_name == sts:
                out = ElementTree.SubElement(case, "system-out")
                out.text = "%s: %s" % (info["status"], info.get("summary") or "")
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("errors", "0")
        suite.set("time", _seconds(seconds))
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    root.set("time", _seconds(measured.get("run", sum(spent.values()))))
    _indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _seconds(value):
    """Seconds for a ``time`` attribute: microseconds, since a check that only computes takes less than
    a millisecond and should not read as 0."""
    return "%.6f" % value


def _indent(elem, level=0):
    pad = "\n" + "  " * level
    if len(elem):
        if not (elem.text or "").strip():
            elem.text = pad + "  "
        for child in elem:
            _indent(child, level + 1)
        if not (child.tail or "").strip():
            child.tail = pad
    if level and not (elem.tail or "").strip():
        elem.tail = pad


def _natural(name):
    head, tail = name.rsplit("-", 1) if "-" in name else ("", name)
    return (head, int(tail)) if tail.isdigit() else (name, -1)
