# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The harness every module test shares: run a module's main() with arguments and get
its result (or failure) back as an exception, with the warnings it emitted."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args


class ModuleExit(Exception):
    """How a module under test ended: ``failed``, its ``result`` and its ``warnings``."""

    def __init__(self, failed, result):
        super(ModuleExit, self).__init__(result.get("msg"))
        self.failed = failed
        self.result = result
        self.warnings = []


@pytest.fixture
def run_main(monkeypatch):
    """``run_main(module, args, check_mode=False)`` -> ModuleExit."""
    warnings = []

    def exit_json(self, **kwargs):
        raise ModuleExit(False, kwargs)

    def fail_json(self, msg, **kwargs):
        kwargs["msg"] = msg
        raise ModuleExit(True, kwargs)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, msg: warnings.append(msg))

    def _run(module, args, check_mode=False):
        args = dict(args)
        if check_mode:
            args["_ansible_check_mode"] = True
        del warnings[:]
        with patch_module_args(args):
            with pytest.raises(ModuleExit) as exc:
                module.main()
        exc.value.warnings = list(warnings)
        return exc.value
    return _run
