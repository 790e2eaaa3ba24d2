# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a task result would change (``--check --diff``), resource by resource, and the plan's status.

``result_changes`` reads one task result as Ansible hands it to a callback and returns one entry per
resource it changed (or, in check mode, would change): Kubernetes objects of ``kubernetes.core.k8s``
(several per call, kept in ``result.results``), files of ``template``/``copy``/``lineinfile``..., and
what the collection's own modules report. ``plan_status`` turns the whole run into ``clean``, ``drift``
or ``error`` and its exit code (``EXIT_CODES``). Pure functions; the ``stateful.nfs.drift`` callback
does the I/O.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib

from ansible_collections.stateful.nfs.plugins.module_utils.report.fields import (
    DiffInputError, field_changes, k8s_field_changes, render_changes, strip_k8s_noise)

# The plan's contract, as ``terraform plan -detailed-exitcode`` has it: 0 nothing would change,
# 2 something would, 1 the run itself failed (a failed task or an unreachable host, drift or not).
EXIT_CODES = {"clean": 0, "error": 1, "drift": 2}

# What the collection's own modules return instead of a diff, by module.
OWN_MODULE_FIELDS = {
    "stateful.nfs.nfs_ganesha_daemon": ("actions",),
    "stateful.nfs.pidfile_processes": ("stopped", "killed", "stale"),
}
_TARGET_KEYS = ("dest", "path", "name")


def _k8s_items(result):
    """The per-object results of a ``kubernetes.core.k8s`` result, or None for any other result."""
    inner = result.get("result")
    if not isinstance(inner, dict):
        return None
    if isinstance(inner.get("results"), list):
        return [item for item in inner["results"] if isinstance(item, dict)]
    if "method" in result or ("kind" in inner and "metadata" in inner):
        return [result]
    return None


def _k8s_entry(item):
    obj = item.get("result") if isinstance(item.get("result"), dict) else {}
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    name = meta.get("name")
    if meta.get("namespace"):
        name = "%s/%s" % (meta["namespace"], name)
    method = item.get("method")
    entry = {"type": "k8s", "resource": "%s %s" % (obj.get("kind"), name), "method": method,
             "kind": obj.get("kind"), "namespace": meta.get("namespace"), "name": meta.get("name")}
    diff = item.get("diff")
    if isinstance(diff, dict) and ("before" in diff or "after" in diff):
        entry["changes"] = k8s_field_changes(diff.get("before"), diff.get("after"))
        entry["diff"] = render_changes(entry["changes"]) or "(only fields the API server manages differ)"
        if not strip_k8s_noise(diff.get("before")):
            entry["diff"] = "(new object)\n" + entry["diff"]
    elif method in ("create", "delete"):
        entry["changes"] = []
        entry["diff"] = "(%s %s)" % (method, entry["resource"])
    else:
        entry["changes"] = []
        entry["diff"] = "(no diff: run with --diff)"
    return entry


def _text_diff(diff, target):
    before, after = diff.get("before"), diff.get("after")
    before = "" if before is None else before
    after = "" if after is None else after
    lines = difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                 "before: %s" % target, "after: %s" % target)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines).rstrip("\n")


def _target(result):
    for key in _TARGET_KEYS:
        if isinstance(result.get(key), str):
            return result[key]
    args = (result.get("invocation") or {}).get("module_args") or {}
    for key in _TARGET_KEYS + ("config",):
        if isinstance(args.get(key), str):
            return args[key]
    return None


def _diff_entry(diff, result, action):
    # a template's after_header is a temporary file: the destination names the resource
    target = _target(result) or diff.get("before_header") or diff.get("after_header") or action
    entry = {"type": "other", "resource": target}
    notes = [diff[key] for key in ("dst_binary", "src_binary", "dst_larger", "src_larger") if key in diff]
    if isinstance(diff.get("before"), dict) or isinstance(diff.get("after"), dict):
        entry["changes"] = field_changes(diff.get("before") or {}, diff.get("after") or {})
        entry["diff"] = render_changes(entry["changes"])
    elif "before" in diff or "after" in diff:
        entry["type"] = "file"
        entry["diff"] = _text_diff(diff, target)
    elif "prepared" in diff:
        entry["diff"] = str(diff["prepared"]).rstrip("\n")
    elif notes:
        entry["type"] = "file"
        entry["diff"] = "(diff skipped: binary or large file)"
    else:
        return None
    return entry


def _own_entry(result, action):
    fields = OWN_MODULE_FIELDS[action]
    said = ["%s: %s" % (key, ", ".join(str(v) for v in result[key]) if isinstance(result[key], list) else result[key])
            for key in fields if result.get(key)]
    return {"type": "other", "resource": _target(result) or action, "diff": "\n".join(said) or "(changed)"}


def result_changes(result, action):
    """``[{type, resource, diff, ...}]``: what one task result changed (would change, in check mode).

    ``result`` is the task's result dict (``TaskResult._result``); ``action`` the module's resolved
    name. A loop's items are read one by one. A result that did not change yields nothing."""
    if not isinstance(result, dict):
        raise DiffInputError("result: expected a task result (a dict), got %s" % type(result).__name__)
    if not isinstance(action, str) or not action:
        raise DiffInputError("action: expected the task's module name, got %r" % (action,))
    if isinstance(result.get("results"), list) and "diff" not in result:
        entries = []
        for item in result["results"]:
            if isinstance(item, dict):
                entries.extend(result_changes(item, action))
        return entries
    if not result.get("changed") or result.get("skipped") or result.get("failed"):
        return []
    items = _k8s_items(result)
    if items is not None:
        return [_k8s_entry(item) for item in items if item.get("changed")]
    diffs = result.get("diff")
    diffs = diffs if isinstance(diffs, list) else [diffs] if isinstance(diffs, dict) else []
    entries = [e for e in (_diff_entry(d, result, action) for d in diffs if isinstance(d, dict)) if e]
    if entries:
        return entries
    if action in OWN_MODULE_FIELDS:
        return [_own_entry(result, action)]
    return [{"type": "other", "resource": _target(result) or action, "diff": "(changed; the module reports no diff)"}]


def plan_status(drift, errors):
    """``(status, exit_code)`` of a plan: ``error`` when any task failed or host was unreachable (even
    with drift), else ``drift`` when anything would change, else ``clean``."""
    if not isinstance(drift, list):
        raise DiffInputError("drift: expected a list of changes, got %s" % type(drift).__name__)
    if not isinstance(errors, list):
        raise DiffInputError("errors: expected a list of failures, got %s" % type(errors).__name__)
    status = "error" if errors else "drift" if drift else "clean"
    return status, EXIT_CODES[status]
