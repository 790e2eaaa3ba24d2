# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate StatefulSet inputs and render the headless Service and StatefulSet (controller side).

The options are declared once, in plugins/modules/statefulset_manifest.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.plans import manifest_plan
from ansible_collections.stateful.nfs.plugins.plugin_utils.plan_action import PlanAction


class ActionModule(PlanAction):
    plan = staticmethod(manifest_plan)
