# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One apply-set run on an ``AnsibleK8SModule``: list the live objects of the kind once, let a check
refuse (naming the field) before anything is written, decide per object (apply_set.py), send the
creates and patches concurrently (apply_set_client.py), and end the module with kubernetes.core.k8s's
result shape (``result.results``, one entry per object, in order).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.apply_set import (
    NOT_ATTEMPTED,
    UNCHANGED,
    apply_action,
    apply_failure_message,
    live_by_name,
    object_label,
    object_result,
    planned_object,
    apply_summary,
)
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.apply_set_client import ApplySetClient


def run_apply_set(module, definitions, api_version, kind, workers, check_live=None):
    """Apply ``definitions`` (objects of ``api_version``/``kind``, each with ``metadata.name``).

    ``check_live(live_objects)`` runs after the list call and before any write; it returns warnings or
    raises ``PlanError`` (then nothing is written and the module fails with its message).
    """
    clock = time.monotonic
    started = clock()
    durations = {}
    client = ApplySetClient(get_api_client(module))
    resource = client.resource(api_version, kind)
    durations["client"] = clock() - started

    mark = clock()
    live = live_by_name(client.list(resource), api_version, kind)
    durations["list"] = clock() - mark

    warnings = []
    if check_live is not None:
        try:
            warnings = list(check_live(list(live.values())) or [])
        except PlanError as exc:
            module.fail_json(msg=str(exc), changed=False)
    for warning in warnings:
        module.warn(warning)

    mark = clock()
    names = [d["metadata"]["name"] for d in definitions]
    actions = [apply_action(d, live.get(name)) for d, name in zip(definitions, names)]
    durations["decide"] = clock() - mark

    mark = clock()
    todo = [i for i, (action, _body) in enumerate(actions) if action != UNCHANGED]
    if module.check_mode and not client.dry_run:  # no server-side dry run: what the plan says, nothing sent
        sent = [(planned_object(live.get(names[i]), *actions[i]), [], None) for i in todo]
    else:
        sent = client.send_all(resource, [(actions[i][0], actions[i][1], names[i]) for i in todo], workers)
    outcome = dict(zip(todo, sent))
    durations["apply"] = clock() - mark

    mark = clock()
    results, failures, skipped = [], [], 0
    for index, definition in enumerate(definitions):
        before = live.get(names[index])
        if index not in outcome:
            results.append(object_result(before, before, diff=module._diff))
            continue
        after, notes, reason = outcome[index]
        if reason is None:
            results.append(object_result(before, after, diff=module._diff, warnings=notes))
        elif reason == NOT_ATTEMPTED:
            skipped += 1
            results.append({"changed": False, "method": "apply", "result": {}, "error": {"msg": reason}})
        else:
            label = object_label(dict(definition, kind=kind))
            failures.append((label, reason))
            results.append({"changed": False, "method": "apply", "result": {},
                            "error": {"msg": "%s: Failed to apply object: %s" % (label, reason)}})
    durations["report"] = clock() - mark
    durations = dict((key, round(value, 3)) for key, value in durations.items())
    ret = {"changed": any(r["changed"] for r in results), "result": {"results": results},
           "summary": apply_summary(actions), "durations": durations}
    if failures:
        module.fail_json(msg=apply_failure_message(failures, skipped), **ret)
    return ret
