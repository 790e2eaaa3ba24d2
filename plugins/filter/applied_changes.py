# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``stateful.nfs.applied_changes`` filter (documented in applied_changes.yml).

``kubernetes.core.k8s`` with several objects in ``definition`` keeps each object's diff inside
``result.results``, where ``--diff`` does not show it. The roles print what this filter returns:
one entry per changed object, with the method and the diff. Pure function over the registered
result; no I/O.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.stateful.nfs.plugins.module_utils.report.fields import k8s_field_changes, render_changes


def applied_changes(registered):
    """``[{object, method, diff}]`` for each object a ``kubernetes.core.k8s`` call changed, in order.

    ``object`` is ``<kind>/<name>``; ``diff`` is the module's diff (``--diff`` asks for it) as one line
    per field that differs (``~ spec.replicas: 3 -> 5``), without managedFields, status and the other
    fields the API server manages (module_utils/report/fields.py), else
    ``"created"`` for a created object and ``{}`` otherwise. A one-object call's result is the
    object's own result; a several-object call's is ``result.results``. A skipped task changed nothing.
    """
    if not isinstance(registered, dict):
        raise AnsibleFilterError("applied_changes: expected the registered result of kubernetes.core.k8s, got %r"
                                 % (registered,))
    inner = registered.get("result")
    if isinstance(inner, dict) and "results" in inner:
        items = inner["results"]
    else:
        items = [registered]
    changes = []
    for item in items:
        if not item.get("changed"):
            continue
        obj = item.get("result") or {}
        method = item.get("method")
        diff = item["diff"] if "diff" in item else ("created" if method == "create" else {})
        if isinstance(diff, dict) and ("before" in diff or "after" in diff):
            diff = render_changes(k8s_field_changes(diff.get("before"), diff.get("after"))).splitlines()
        changes.append({
            "object": "%s/%s" % (obj.get("kind"), (obj.get("metadata") or {}).get("name")),
            "method": method,
            "diff": diff,
        })
    return changes


class FilterModule(object):
    def filters(self):
        return {"applied_changes": applied_changes}
