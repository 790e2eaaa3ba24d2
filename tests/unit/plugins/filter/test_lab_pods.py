# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/filter/lab_pods.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from pathlib import Path

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.stateful.nfs.plugins.filter.lab_pods import (
    CONDITION,
    lab_pods_unknown_to_kwok,
    parse_start_time,
)

# 2026-12-01T14:00:00Z
T = 1796133600.0


def pod(name, message=None, phase="Running", ip="10.244.0.5", deleting=False):
    conditions = [{"type": "Ready", "status": "True"}]
    if message is not None:
        conditions.append({"type": CONDITION, "status": "True", "message": message})
    meta = {"name": name, "namespace": "ns"}
    if deleting:
        meta["deletionTimestamp"] = "2026-12-01T14:00:00Z"
    return {"metadata": meta, "status": {"phase": phase, "podIP": ip, "conditions": conditions}}


@pytest.mark.parametrize("text,seconds", [
    ("2026-12-01T14:00:00.123456789Z", T + 0.123456),
    ("2026-12-01T15:00:00.5+01:00", T + 0.5),
    ("2026-12-01T14:00:00Z", T),
    ("2026-12-01T14:00:00", None),
    ("yesterday", None),
    ("", None),
    (None, None),
])
def test_parse_start_time(text, seconds):
    assert parse_start_time(text) == (pytest.approx(seconds) if seconds is not None else None)


def test_pods_known_to_an_older_kwok_or_to_none_are_listed():
    pods = [pod("new", "2026-12-01T14:00:01.5Z"), pod("old", "2026-12-01T13:00:00Z"), pod("never"),
            pod("garbled", "soon"), pod("just-before", "2026-12-01T13:59:59.5Z"),
            pod("pending", None, phase="Pending", ip=None), pod("no-ip", None, ip=""),
            pod("going", None, deleting=True)]
    assert lab_pods_unknown_to_kwok(pods, T) == ["ns/old", "ns/never", "ns/garbled"]
    assert lab_pods_unknown_to_kwok(pods, str(T - 7200)) == ["ns/never", "ns/garbled"]


def test_bad_input_is_refused():
    with pytest.raises(AnsibleFilterError, match="expected a list of Pod objects"):
        lab_pods_unknown_to_kwok({"items": []}, T)
    with pytest.raises(AnsibleFilterError, match="started_at must be seconds since the epoch"):
        lab_pods_unknown_to_kwok([], "now")


def test_every_stage_that_gives_an_address_writes_the_condition():
    """The ready stages and the keep-ip stage write the condition the filter reads."""
    template = (Path(__file__).resolve().parents[4] / "roles" / "lab" / "templates" / "kwok.yaml.j2").read_text()
    assert template.count("type: " + CONDITION) == 2  # the keep-ip stage, and the ready stages' shared block
    assert "{% for stage in ['ready', 'never-ready'] %}" in template
