# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Field-level differences between two JSON-like values, and the noise of a live Kubernetes object.

``kubernetes.core.k8s`` diffs the live object against the dry-run (or applied) one, so its ``before``
and ``after`` carry what the API server manages: ``metadata.managedFields`` (dozens of ``f:`` keys for a
one-field change), ``status``, ``resourceVersion``, ``generation``... ``k8s_field_changes`` drops those
and lists only the fields that differ, each with its path, its value before and after. Pure functions.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError

# What the API server (or kubectl's client-side apply) writes into an object, never the playbook.
K8S_NOISE = (
    ("metadata", "managedFields"),
    ("metadata", "resourceVersion"),
    ("metadata", "generation"),
    ("metadata", "uid"),
    ("metadata", "creationTimestamp"),
    ("metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"),
    ("status",),
)

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class DiffInputError(PlanError):
    """A diff side that is not a JSON-like value; the message names the argument."""


def _drop(value, path):
    """A copy of ``value`` without the key at ``path`` (a tuple of dict keys); empty parents go too."""
    if not isinstance(value, dict) or path[0] not in value:
        return value
    copy = dict(value)
    if len(path) == 1:
        del copy[path[0]]
        return copy
    child = _drop(copy[path[0]], path[1:])
    if child == {} and copy[path[0]] != {}:
        del copy[path[0]]
    else:
        copy[path[0]] = child
    return copy


def strip_k8s_noise(obj):
    """``obj`` (a Kubernetes object, or part of one as ``recursive_diff`` gives it) without K8S_NOISE."""
    if obj is None:
        return {}
    if not isinstance(obj, dict):
        raise DiffInputError("obj: expected a Kubernetes object (a dict), got %s" % type(obj).__name__)
    for path in K8S_NOISE:
        obj = _drop(obj, path)
    return obj


def _key_path(parent, key):
    if _PLAIN_KEY.match(key):
        return "%s.%s" % (parent, key) if parent else key
    return '%s["%s"]' % (parent, key.replace("\\", "\\\\").replace('"', '\\"'))


# Keys that name an item of a Kubernetes list (the strategic-merge keys kubernetes.core's diff keeps).
MERGE_KEYS = ("name", "mountPath", "containerPort", "devicePath", "ip")


def _merge_key(left, right):
    """The first MERGE_KEYS key every item of both lists has, with distinct values on each side, else
    None: such lists (containers, ports, mounts, env...) are compared item by item, not by position."""
    for key in MERGE_KEYS:
        ok = True
        for items in (left, right):
            values = [item.get(key) if isinstance(item, dict) else None for item in items]
            if any(v is None or isinstance(v, (dict, list)) for v in values) or len(set(values)) != len(values):
                ok = False
                break
        if ok and (left or right):
            return key
    return None


def _walk(before, after, path, out):
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after), key=str):
            child = _key_path(path, str(key))
            if key not in after:
                out.append({"path": child, "op": "remove", "before": before[key], "after": None})
            elif key not in before:
                out.append({"path": child, "op": "add", "before": None, "after": after[key]})
            else:
                _walk(before[key], after[key], child, out)
        return
    if isinstance(before, list) and isinstance(after, list):
        key = _merge_key(before, after)
        if key is not None:
            left = dict((item[key], item) for item in before)
            right = dict((item[key], item) for item in after)
            order = list(left) + [n for n in right if n not in left]
            for name in order:
                child = '%s[%s=%s]' % (path, key, name)
                if name not in right:
                    out.append({"path": child, "op": "remove", "before": left[name], "after": None})
                elif name not in left:
                    out.append({"path": child, "op": "add", "before": None, "after": right[name]})
                else:
                    _walk(left[name], right[name], child, out)
            return
        for index in range(max(len(before), len(after))):
            child = "%s[%d]" % (path, index)
            if index >= len(after):
                out.append({"path": child, "op": "remove", "before": before[index], "after": None})
            elif index >= len(before):
                out.append({"path": child, "op": "add", "before": None, "after": after[index]})
            else:
                _walk(before[index], after[index], child, out)
        return
    if before != after:
        out.append({"path": path or ".", "op": "change", "before": before, "after": after})


def field_changes(before, after):
    """``[{path, op, before, after}]``: every field that differs between two JSON-like values, in a
    stable order. ``op`` is ``add``, ``remove`` or ``change``; a side a field is missing from is None.
    Paths read ``spec.replicas``, ``metadata.labels["app.kubernetes.io/name"]``, lists of named items
    by their key (``spec.template.spec.containers[name=web].image``, ``...ports[containerPort=80]``),
    other lists by index."""
    out = []
    _walk(_plain(before, "before"), _plain(after, "after"), "", out)
    return out


def k8s_field_changes(before, after):
    """``field_changes`` of two Kubernetes objects (or ``kubernetes.core.k8s``'s diff sides) without
    K8S_NOISE. A None side (a created or a deleted object) counts as empty."""
    return field_changes(strip_k8s_noise(_plain(before, "before")), strip_k8s_noise(_plain(after, "after")))


def _plain(value, name):
    try:
        json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise DiffInputError("%s: expected a JSON-like value, %s" % (name, exc))
    return value


def render_changes(changes):
    """One line per change: ``~ path: before -> after``, ``+ path: after``, ``- path: before``."""
    lines = []
    for change in changes:
        if change["op"] == "add":
            lines.append("+ %s: %s" % (change["path"], _value(change["after"])))
        elif change["op"] == "remove":
            lines.append("- %s: %s" % (change["path"], _value(change["before"])))
        else:
            lines.append("~ %s: %s -> %s" % (change["path"], _value(change["before"]), _value(change["after"])))
    return "\n".join(lines)


def _value(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
