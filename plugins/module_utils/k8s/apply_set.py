# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``kubernetes.core.k8s`` with ``apply: true`` would do to each object of a set, decided from one
listing of the live objects (pure, no I/O).

kubernetes.core applies one object after another, reading each before it writes. Given the live objects
of one list call, these functions take the same decision without that read, with kubernetes.core's own
client-side apply (``module_utils/apply.py``: the last-applied annotation, the merge patch):

* ``live_by_name``: the items of a list response by name, with the ``kind``/``apiVersion`` a list leaves out.
* ``apply_action``: ``create`` (the body kubernetes.core would POST), ``patch`` (the JSON merge patch it
  would send) or ``unchanged`` (that patch would change nothing: the live object holds every field of the
  definition and the last-applied annotation kubernetes.core would write; no call is needed).
* ``object_result``: the per-object result kubernetes.core returns (``changed``, ``method``, ``result``,
  ``diff``), from the object before and after.
* ``apply_failure_message``: the objects whose call failed, each named.

apply_set_client.py sends what ``apply_action`` decides, concurrently.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible.module_utils.common.dict_transformations import dict_merge
from ansible_collections.kubernetes.core.plugins.module_utils.apply import annotate, apply_patch
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.service import diff_objects

CREATE, PATCH, UNCHANGED = "create", "patch", "unchanged"
# kubernetes.core's client-side apply sends its patch with this content type (apply.py, k8s_apply)
MERGE_PATCH = "application/merge-patch+json"
# what kubernetes.core.k8s reports for every object of an apply: true call, created or not
METHOD = "apply"
NOT_ATTEMPTED = "not attempted: an earlier object failed"


def object_label(obj):
    """``<kind>/<name>`` (``<kind>/<namespace>/<name>`` for a namespaced object), to name it in messages."""
    meta = obj.get("metadata") or {}
    parts = [obj.get("kind") or "?", meta.get("namespace"), meta.get("name") or "?"]
    return "/".join(str(part) for part in parts if part)


def live_by_name(listing, api_version, kind):
    """``{name: object}`` of the items of a list response; each item gets the ``apiVersion`` and ``kind``
    the API server leaves out of list items, as a read of the one object would have them."""
    live = {}
    for item in (listing or {}).get("items") or []:
        obj = dict(item)
        obj.setdefault("apiVersion", api_version)
        obj.setdefault("kind", kind)
        live[(obj.get("metadata") or {}).get("name")] = obj
    return live


def apply_action(definition, live):
    """``(action, body)`` for applying ``definition`` over ``live`` (the live object, None when absent).

    * ``("create", body)``: the definition with its last-applied annotation, as kubernetes.core creates it;
    * ``("patch", patch)``: kubernetes.core's JSON merge patch (fields that differ, fields dropped since
      the last apply, the new annotation);
    * ``("unchanged", None)``: that patch would change nothing, so the call is left out. kubernetes.core
      sends it anyway (its patch always carries every list of the definition) and reports changed=false
      when the object comes back the same; here the live object, merged with the patch, is already the
      same: it holds every field of the definition and the last-applied annotation the apply would write.
    """
    if live is None:
        return CREATE, dict_merge(definition, annotate(definition))
    actual, patch = apply_patch(live, definition)
    if patch is actual or not patch or dict_merge(live, patch) == live:
        return UNCHANGED, None
    return PATCH, patch


def object_result(before, after, diff=False, warnings=None):
    """kubernetes.core.k8s's result for one applied object: ``changed`` when ``after`` differs from
    ``before`` (None: the object did not exist) beyond ``metadata.generation``/``resourceVersion``,
    ``method`` ``apply``, ``result`` the object after, ``diff`` (``before``/``after`` of the fields that
    differ) with ``diff=True`` (``--diff``), and the API server's ``warnings``."""
    if before is None and not diff:  # created: a change, whatever the diff would list (not asked for)
        match, diffs = not after, {}
    else:
        match, diffs = diff_objects(before or {}, after)
    result = {"changed": not match, "method": METHOD, "result": after}
    if diff:
        result["diff"] = diffs
    notes = list(warnings or [])
    if match and diffs:
        notes.append("No meaningful diff was generated, but the API may not be idempotent "
                     "(only metadata.generation or metadata.resourceVersion were changed)")
    if notes:
        result["warnings"] = notes
    return result


def planned_object(live, action, body):
    """The object as the plan says it would be after the call (check mode without a server-side dry run):
    the created body, the live object merged with the patch (kubernetes.core's client-side dry run), or
    the live object."""
    if action == CREATE:
        return body
    if action == PATCH:
        return dict_merge(live, body)
    return live


def error_reason(status, body, fallback=""):
    """What the API server said: the ``message`` of a ``Status`` body, else the body, with the HTTP status."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        message = json.loads(text).get("message") if text else None
    except (ValueError, AttributeError):
        message = None
    reason = message or text or fallback
    return "%s (HTTP %s)" % (reason, status) if status else str(reason)


def apply_failure_message(failures, not_attempted=0):
    """One message naming every object whose call failed (``[(label, reason)]``) and how many were not tried."""
    text = "; ".join("%s: %s" % (label, reason) for label, reason in failures)
    if not_attempted:
        text += "; %d more not attempted after the first failure" % not_attempted
    return "Failed to apply %d object(s): %s" % (len(failures), text)


def apply_summary(actions):
    """``{create: n, patch: n, unchanged: n}`` of the decided ``[(action, body)]``."""
    counts = {CREATE: 0, PATCH: 0, UNCHANGED: 0}
    for action, _body in actions:
        counts[action] += 1
    return counts
