# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base of the controller-side plan actions (statefulset_manifest, statefulset_preflight,
nfs_pv_manifest, nfs_exports_validate).

Each option is declared once, in the action's doc-only stub module ``plugins/modules/<action>.py``:
the argument spec is derived from its DOCUMENTATION (doc fragment options added, see ``doc_argspec``), as
ansible.utils' ``fact_diff`` action does. A run refuses a string given for a list option (Ansible
would split it on commas), validates the arguments against that spec, calls one pure function of
module_utils and returns its result. Bad input is a ``PlanError`` (the one base of the domain errors):
the task fails with its message, which names the field (with the role's ``field_prefix``), and
nothing is changed. Nothing is sent to the target, so the actions run the same in check mode and cost
milliseconds instead of a module round trip.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib

from ansible.module_utils.six import string_types
from ansible.plugins.action import ActionBase

from ansible_collections.stateful.nfs.plugins.module_utils.common.arguments import strings_for_lists
from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError
from ansible_collections.stateful.nfs.plugins.plugin_utils.doc_argspec import documented_argspec

STUBS = "ansible_collections.stateful.nfs.plugins.modules."


class PlanAction(ActionBase):
    """Subclasses set ``plan`` (validated params -> result); the stub module of the same name documents
    the options."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False
    _specs = {}

    @staticmethod
    def plan(params):
        raise NotImplementedError

    @classmethod
    def stub_name(cls):
        """The name of the action, which is the name of its doc-only stub module."""
        return cls.__module__.rsplit(".", 1)[-1]

    @classmethod
    def argument_spec(cls):
        """The argument spec, from the stub module's DOCUMENTATION (read once per action)."""
        name = cls.stub_name()
        if name not in PlanAction._specs:
            stub = importlib.import_module(STUBS + name)
            PlanAction._specs[name] = documented_argspec(stub.DOCUMENTATION)
        return PlanAction._specs[name]

    def run(self, tmp=None, task_vars=None):
        result = super(PlanAction, self).run(tmp, task_vars)
        spec = self.argument_spec()
        prefix = self._task.args.get("field_prefix") or ""
        problems = strings_for_lists(spec, self._task.args, prefix if isinstance(prefix, string_types) else "")
        if problems:
            result.update(failed=True, changed=False, msg="%s. Nothing was changed" % "; ".join(problems))
            return result
        # Raises AnsibleActionFail ("Validation of arguments failed: ...") on a type error.
        dummy, params = self.validate_argument_spec(argument_spec=spec)
        try:
            result.update(self.plan(params))
        except PlanError as exc:
            result.update(getattr(exc, "result", None) or {})
            result.update(failed=True, changed=False, msg=str(exc))
        return result
