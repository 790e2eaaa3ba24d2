# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recorded task results as Ansible hands them to a callback in ``--check --diff``.

The Kubernetes ones are built the way kubernetes.core.k8s builds them: the live objects (a recorded
StatefulSet and Service, managedFields and status included) against the server's dry-run answer, diffed
by kubernetes.core's own ``diff_objects``; the file ones are what ansible.builtin.template returns.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os

from ansible_collections.kubernetes.core.plugins.module_utils.k8s.service import diff_objects

LIVE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "report", "live-objects.json")


def live_objects():
    with open(LIVE) as stream:
        return json.load(stream)


def dry_run(statefulset, replicas=5, image="registry.k8s.io/nginx-slim:0.9"):
    """The API server's dry-run answer to applying a StatefulSet with other replicas and image."""
    after = copy.deepcopy(statefulset)
    after["spec"]["replicas"] = replicas
    after["spec"]["template"]["spec"]["containers"][0]["image"] = image
    after["metadata"]["generation"] += 1
    after["metadata"]["resourceVersion"] = "18555"
    after["metadata"]["managedFields"][0]["time"] = "2025-12-01T10:02:13Z"
    last = json.loads(after["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
    last["spec"]["replicas"] = replicas
    after["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = json.dumps(last)
    after["status"]["observedGeneration"] = after["metadata"]["generation"]
    return after


def k8s_item(existing, instance, method="apply"):
    """One object's result of kubernetes.core.k8s with --diff (its runner's shape)."""
    match, diff = diff_objects(existing, instance)
    item = {"changed": not match, "method": method, "result": instance}
    if method not in ("create", "delete"):
        item["diff"] = diff
    return item
