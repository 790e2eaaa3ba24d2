# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base of the controller-side plan actions (statefulset_manifest, statefulset_preflight,
nfs_pv_manifest, nfs_exports_validate): validate the task's arguments against the action's
argument spec, call one pure function of module_utils (manifests/plans.py, nfs/exports.py),
return its result. Nothing is sent to the
target and nothing is changed, so they run the same in check mode and cost milliseconds instead
of a module round trip."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.plans import PlanFailure, SpecError


class PlanAction(ActionBase):
    """Subclasses set ``ARGSPEC`` (an AnsibleModule argument spec) and ``plan`` (params -> result),
    and ``REFUSALS`` when their pure function refuses bad input with another exception."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False
    ARGSPEC = {}
    REFUSALS = (SpecError,)

    @staticmethod
    def plan(params):
        raise NotImplementedError

    def run(self, tmp=None, task_vars=None):
        result = super(PlanAction, self).run(tmp, task_vars)
        # Raises AnsibleActionFail ("Validation of arguments failed: ...") on a type error.
        dummy, params = self.validate_argument_spec(argument_spec=self.ARGSPEC)
        try:
            result.update(self.plan(params))
        except PlanFailure as exc:
            result.update(exc.result)
            result.update(failed=True, msg=str(exc))
        except self.REFUSALS as exc:
            result.update(failed=True, changed=False, msg=str(exc))
        return result
