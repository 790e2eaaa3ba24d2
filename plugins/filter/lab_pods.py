# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``stateful.nfs.lab_pods_unknown_to_kwok`` filter (documented in its .yml file). Pure function.

KWOK keeps its pod address pools in memory. A KWOK that starts again learns that an address is
taken when its stage ``lab-pod-keep-ip`` plays on the pod holding it, and that stage writes the
pod condition ``lab.stateful.nfs/AddressKnown`` with KWOK's start time. Until every Running pod
carries a start time of the new process, a new pod may be given an address in use.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible.errors import AnsibleFilterError

CONDITION = "lab.stateful.nfs/AddressKnown"
# KWOK writes Go's RFC3339Nano; Python reads at most microseconds.
_FRACTION = re.compile(r"(\.\d{1,6})\d*")
# KWOK's start time is taken a moment after the role notes when it started the process.
SLACK_SECONDS = 1.0


def parse_start_time(text):
    """Seconds since the epoch of an RFC 3339 time with up to nanoseconds, or None."""
    if not isinstance(text, str) or not text:
        return None
    text = _FRACTION.sub(r"\1", text.strip())
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.timestamp()


def lab_pods_unknown_to_kwok(pods, started_at):
    """``namespace/name`` of the Running pods holding an address that the KWOK started at
    ``started_at`` (seconds since the epoch) has not learned yet."""
    if not isinstance(pods, list):
        raise AnsibleFilterError("lab_pods_unknown_to_kwok: expected a list of Pod objects, got %r" % (pods,))
    try:
        started_at = float(started_at)
    except (TypeError, ValueError):
        raise AnsibleFilterError("lab_pods_unknown_to_kwok: started_at must be seconds since the epoch, got %r"
                                 % (started_at,))
    unknown = []
    for pod in pods:
        meta, status = pod.get("metadata") or {}, pod.get("status") or {}
        if status.get("phase") != "Running" or not status.get("podIP") or meta.get("deletionTimestamp"):
            continue
        known = [parse_start_time(c.get("message")) for c in status.get("conditions") or []
                 if c.get("type") == CONDITION]
        if not known or known[0] is None or known[0] < started_at - SLACK_SECONDS:
            unknown.append("%s/%s" % (meta.get("namespace"), meta.get("name")))
    return unknown


class FilterModule(object):
    def filters(self):
        return {"lab_pods_unknown_to_kwok": lab_pods_unknown_to_kwok}
