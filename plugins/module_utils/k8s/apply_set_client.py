# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Kubernetes API I/O of an apply set: one list call, then the creates and patches that
apply_set.py decided, at most ``workers`` at a time. Nothing here decides anything.

Every call goes through kubernetes.core's ``K8SClient`` (``get_api_client``: its auth options,
kubeconfig, proxies, and its server-side dry run under check mode). Responses stay unserialised and
are parsed as JSON once (kubernetes.core's ``decode_response`` would also build a ``ResourceInstance`` of
each and turn it back into a dict), the API server's warnings by kubernetes.core's ``decode_warnings``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.kubernetes.core.plugins.module_utils.k8s.service import decode_warnings
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.apply_set import (
    CREATE,
    MERGE_PATCH,
    NOT_ATTEMPTED,
    PATCH,
    error_reason,
)


class ApplySetClient:
    """Lists the live objects of a kind and sends creates and merge patches concurrently."""

    def __init__(self, k8s_client):
        self.client = k8s_client

    @property
    def dry_run(self):
        """Does every write go as a server-side dry run (kubernetes.core sets this under check mode)?"""
        return bool(self.client.dry_run)

    def resource(self, api_version, kind):
        return self.client.resource(kind, api_version)

    def list(self, resource):
        """The list response of every object of ``resource`` (plain JSON, one call)."""
        response = self.client.get(resource, serialize=False)
        return json.loads(response.data)

    def send(self, resource, action, body, name):
        """Create ``body`` or merge-patch ``name`` with it: ``(object after, warnings)``."""
        if action == CREATE:
            response = self.client.create(resource, body, serialize=False)
        elif action == PATCH:
            response = self.client.patch(resource, body, name=name, content_type=MERGE_PATCH, serialize=False)
        else:
            raise ValueError("nothing to send for %s" % action)
        warnings = []
        header = response.headers.get("warning") if response.headers is not None else None
        if header:
            warnings = decode_warnings(header.split(", "))
        return json.loads(response.data), warnings

    def send_all(self, resource, calls, workers):
        """Send ``calls`` (``[(action, body, name)]``) at most ``workers`` at a time. Returns one
        ``(object, warnings, None)`` or ``(None, None, reason)`` per call, in order. After a call fails, the
        calls not started yet are not sent (their reason says so)."""
        failed = threading.Event()

        def one(call):
            if failed.is_set():
                return None, None, NOT_ATTEMPTED
            action, body, name = call
            try:
                after, warnings = self.send(resource, action, body, name)
            except Exception as exc:  # pylint: disable=broad-except  # each failure is reported with its object
                failed.set()
                return None, None, error_reason(getattr(exc, "status", None), getattr(exc, "body", None), str(exc))
            return after, warnings, None

        if not calls:
            return []
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(calls)))) as pool:
            return list(pool.map(one, calls))
