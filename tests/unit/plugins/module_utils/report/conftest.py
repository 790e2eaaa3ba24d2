# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the report tests: the recorded task results of recorded.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from .recorded import dry_run, k8s_item, live_objects


@pytest.fixture
def objects():
    return live_objects()


@pytest.fixture
def k8s_multi_result(objects):
    """The roles' one call for the Service and the StatefulSet: the StatefulSet would change."""
    sts, svc = objects["statefulset"], objects["service"]
    return {"changed": True, "result": {"results": [k8s_item(svc, copy.deepcopy(svc)), k8s_item(sts, dry_run(sts))]},
            "invocation": {"module_args": {"state": "present", "apply": True}}, "_ansible_no_log": False}


@pytest.fixture
def template_result():
    """ansible.builtin.template in check mode with --diff: no ``dest`` key, a temporary after_header."""
    return {"changed": True, "_ansible_no_log": False, "diff": [{
        "before": "/nfs-data/v1 127.0.0.1(rw,sync,no_subtree_check)\n/nfs-data/v2 127.0.0.1(rw,sync,no_subtree_check)\n",
        "after": "/nfs-data/v1 127.0.0.1(rw,sync,no_subtree_check)\n/nfs-data/v2 127.0.0.1(ro,sync,no_subtree_check)\n",
        "before_header": "/etc/exports",
        "after_header": "/root/.ansible/tmp/ansible-local-3015/tmpqiazd98z/exports.j2"}],
        "invocation": {"module_args": {"dest": "/etc/exports", "src": "exports.j2", "mode": "0644"}}}
