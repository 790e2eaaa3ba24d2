# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report of a plan run as JSON, JUnit XML and Markdown.

A report is a dict (``new_report`` makes one; the ``stateful.nfs.drift`` callback fills it):
``drift`` (one entry per host, task and resource that would change, from ``drift.result_changes``),
``unchanged`` (one per host and task that changed nothing), ``errors`` (failed tasks, unreachable
hosts) and ``status``/``exit_code`` (``drift.plan_status``). Pure functions from the report to a
string; writing the files is the caller's job.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from xml.etree import ElementTree

from ansible_collections.stateful.nfs.plugins.module_utils.report.drift import plan_status
from ansible_collections.stateful.nfs.plugins.module_utils.report.fields import DiffInputError

MARKDOWN_DIFF_LINES = 40
HEADLINES = {"clean": "no drift", "drift": "drift found", "error": "error"}


def new_report(check_mode):
    return {"check_mode": bool(check_mode), "drift": [], "unchanged": [], "errors": []}


def finish(report):
    """The report with its ``status``, ``exit_code`` and per-host ``counts``, ready to render."""
    for key in ("drift", "unchanged", "errors"):
        if not isinstance(report.get(key), list):
            raise DiffInputError("report.%s: expected a list, got %s" % (key, type(report.get(key)).__name__))
    done = dict(report)
    done["status"], done["exit_code"] = plan_status(report["drift"], report["errors"])
    counts = {}
    for key in ("drift", "unchanged", "errors"):
        for entry in report[key]:
            counts.setdefault(entry["host"], {"drift": 0, "unchanged": 0, "errors": 0})[key] += 1
    done["counts"] = dict(sorted(counts.items()))
    return done


def report_json(report):
    return json.dumps(finish(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _case_name(entry):
    return "%s: %s" % (entry["task"], entry["resource"])


def report_junit(report):
    """One ``<testsuite>`` per host; in it one failing ``<testcase>`` per resource that would change
    (the diff is the failure's text), one passing case per task that changes nothing, and one
    ``<error>`` case per failed task or unreachable host. Skipped tasks are left out."""
    report = finish(report)
    root = ElementTree.Element("testsuites", name="stateful.nfs drift plan")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for host in report["counts"]:
        suite = ElementTree.SubElement(root, "testsuite", name="drift %s" % host)
        counts = {"tests": 0, "failures": 0, "errors": 0}
        classname = "drift.%s" % host
        for entry in (e for e in report["drift"] if e["host"] == host):
            case = ElementTree.SubElement(suite, "testcase", name=_case_name(entry), classname=classname)
            failure = ElementTree.SubElement(case, "failure", type="drift",
                                             message="%s would change (%s)" % (entry["resource"], entry["action"]))
            failure.text = entry["diff"]
            counts["tests"] += 1
            counts["failures"] += 1
        for entry in (e for e in report["unchanged"] if e["host"] == host):
            ElementTree.SubElement(suite, "testcase", name=entry["task"], classname=classname)
            counts["tests"] += 1
        for entry in (e for e in report["errors"] if e["host"] == host):
            case = ElementTree.SubElement(suite, "testcase", name=entry["task"], classname=classname)
            kind = "unreachable" if entry.get("unreachable") else "failed"
            error = ElementTree.SubElement(case, "error", type=kind, message=entry["message"])
            error.text = entry["message"]
            counts["tests"] += 1
            counts["errors"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _what(entry):
    changes = entry.get("changes")
    if changes:
        paths = [c["path"] for c in changes]
        return ", ".join("`%s`" % p for p in paths[:5]) + (" and %d more" % (len(paths) - 5) if len(paths) > 5 else "")
    lines = entry["diff"].splitlines()
    if entry["type"] == "file" and lines[:1] and lines[0].startswith("--- "):
        added = sum(1 for line in lines[2:] if line.startswith("+"))
        removed = sum(1 for line in lines[2:] if line.startswith("-"))
        return "content: +%d -%d line(s)" % (added, removed)
    return lines[0] if lines else ""


def markdown(report):
    """A short summary a merge request can show: the verdict and counts, a table of what would
    change, the (shortened) diffs, and the errors."""
    report = finish(report)
    hosts_with_drift = sorted(set(e["host"] for e in report["drift"]))
    verb = "would change" if report["check_mode"] else "changed"
    lines = ["## Drift plan: %s" % HEADLINES[report["status"]], ""]
    lines.append("%d resource(s) %s on %d host(s); %d task(s) unchanged; %d error(s). Exit code %d."
                 % (len(report["drift"]), verb, len(hosts_with_drift), len(report["unchanged"]),
                    len(report["errors"]), report["exit_code"]))
    if report["drift"]:
        lines += ["", "| host | task | resource | what |", "| --- | --- | --- | --- |"]
        for entry in report["drift"]:
            lines.append("| %s | %s | %s | %s |" % (_cell(entry["host"]), _cell(entry["task"]),
                                                    _cell(entry["resource"]), _cell(_what(entry))))
        for entry in report["drift"]:
            diff = entry["diff"].splitlines()
            if len(diff) > MARKDOWN_DIFF_LINES:
                diff = diff[:MARKDOWN_DIFF_LINES] + ["... %d more line(s) in drift.json" % (len(diff) - MARKDOWN_DIFF_LINES)]
            lines += ["", "<details><summary>%s: %s</summary>" % (_cell(entry["host"]), _cell(entry["resource"])),
                      "", "```diff"] + [line.replace("```", "` ` `") for line in diff] + ["```", "", "</details>"]
    if report["errors"]:
        lines += ["", "### Errors", ""]
        for entry in report["errors"]:
            lines.append("- %s, %s: %s" % (entry["host"], entry["task"], _cell(entry["message"])))
    return "\n".join(lines) + "\n"
