# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""nfs_pv_apply runs behind kubernetes.core's own action for its k8s modules, as kubernetes.core.k8s did in
the nfs_volumes role: a kubeconfig path is found (and decrypted) on the controller, and one that does not
exist is named there, before the module runs. The module is plugins/modules/nfs_pv_apply.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.kubernetes.core.plugins.action.k8s_info import ActionModule as KubernetesCoreAction


class ActionModule(KubernetesCoreAction):
    """kubernetes.core's k8s action, unchanged."""
