# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: drift
type: aggregate
author:
  - stateful.nfs maintainers (@stateful-nfs)
version_added: 0.1.0
short_description: Writes a drift report (JSON, JUnit XML, Markdown) of a C(--check --diff) run
description:
  - The plan stage of a GitOps pipeline. Run a playbook with C(--check --diff) and this callback
    enabled; at the end of the playbook it writes what would change, host by host and resource by
    resource, into O(output_dir).
  - C(drift.json) lists every task result that would change, with the host, the task, the module,
    the resource (C(<kind> <namespace>/<name>) for M(kubernetes.core.k8s), the destination for
    M(ansible.builtin.template), M(ansible.builtin.copy) and other file modules, what the collection's
    own modules report otherwise) and its diff, plus the tasks that change nothing, the errors, the
    per-host counts, C(status) (V(clean), V(drift) or V(error)) and C(exit_code) (0, 2 or 1).
  - The diff of a Kubernetes object leaves out what the API server manages (C(metadata.managedFields),
    C(status), C(metadata.resourceVersion), C(generation), C(uid), C(creationTimestamp) and the
    C(kubectl.kubernetes.io/last-applied-configuration) annotation) and lists only the fields that
    differ, each with its path and its value before and after. Files get a unified diff.
  - C(drift.xml) is JUnit XML, one test suite per host; a resource that would change is a failing test
    case with its diff; a task that changes nothing is a passing case; a failed task or an
    unreachable host is an error case; skipped tasks are left out.
  - C(drift.md) is a short Markdown summary for a merge request.
  - C(ansible-playbook) itself exits 0 in check mode whatever would change. The report's C(exit_code)
    is the plan's contract, as C(terraform plan -detailed-exitcode) has it, 0 no drift, 2 drift, 1 error
    (a failed task or an unreachable host, even with drift); the collection's C(tools/plan.py) runs the
    playbook and exits with it. See C(docs/gitops.md).
requirements:
  - enable it with C(ANSIBLE_CALLBACKS_ENABLED=stateful.nfs.drift) (or C(callbacks_enabled) in C(ansible.cfg)).
options:
  output_dir:
    description:
      - Directory the report goes into (C(drift.json), C(drift.xml), C(drift.md)); it is created when
        missing and the three files are replaced.
    type: path
    default: ./drift-report
    env:
      - name: STATEFUL_NFS_DRIFT_DIR
    ini:
      - section: callback_stateful_nfs_drift
        key: output_dir
"""

import os

from ansible import context
from ansible.errors import AnsibleError
from ansible.plugins.callback import CallbackBase

from ansible_collections.stateful.nfs.plugins.module_utils.report.drift import result_changes
from ansible_collections.stateful.nfs.plugins.module_utils.report.outputs import (
    finish, report_junit, markdown, new_report, report_json)

FILES = {"drift.json": report_json, "drift.xml": report_junit, "drift.md": markdown}


class CallbackModule(CallbackBase):
    """Collects what each task would change and writes the report when the playbook ends."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "stateful.nfs.drift"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display=display)
        self._report = new_report(bool(context.CLIARGS.get("check")))
        self._output_dir = None

    def set_options(self, task_keys=None, var_options=None, direct=None):
        super(CallbackModule, self).set_options(task_keys=task_keys, var_options=var_options, direct=direct)
        output_dir = self.get_option("output_dir")
        if not isinstance(output_dir, str) or not output_dir.strip():
            raise AnsibleError("stateful.nfs.drift: output_dir (STATEFUL_NFS_DRIFT_DIR): expected a directory, got %r"
                               % (output_dir,))
        if os.path.exists(output_dir) and not os.path.isdir(output_dir):
            raise AnsibleError("stateful.nfs.drift: output_dir (STATEFUL_NFS_DRIFT_DIR): %s exists and is not a directory"
                               % output_dir)
        self._output_dir = output_dir

    @staticmethod
    def _where(result):
        task = result._task
        return {"host": result._host.get_name(), "task": task.get_name(),
                "action": getattr(task, "resolved_action", None) or task.action}

    def v2_runner_on_ok(self, result):
        where = self._where(result)
        entries = result_changes(result._result, where["action"])
        for entry in entries:
            entry.update(where)
            self._report["drift"].append(entry)
        if not entries:
            self._report["unchanged"].append(where)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if ignore_errors:
            return
        where = self._where(result)
        where["message"] = str(result._result.get("msg") or "failed")
        self._report["errors"].append(where)

    def v2_runner_on_unreachable(self, result):
        where = self._where(result)
        where["message"] = str(result._result.get("msg") or "unreachable")
        where["unreachable"] = True
        self._report["errors"].append(where)

    def v2_playbook_on_stats(self, stats):
        # a failure a block rescued is no error of the run: keep the hosts the stats still count
        failing = set(host for host in stats.processed
                      if stats.summarize(host)["failures"] or stats.summarize(host)["unreachable"])
        self._report["errors"] = [e for e in self._report["errors"] if e["host"] in failing]
        for host in sorted(failing - set(e["host"] for e in self._report["errors"])):
            self._report["errors"].append({"host": host, "task": "(run)", "action": None, "message": "failed"})
        os.makedirs(self._output_dir, exist_ok=True)
        for name, render in FILES.items():
            with open(os.path.join(self._output_dir, name), "w") as stream:
                stream.write(render(self._report))
        done = finish(self._report)
        self._display.display("stateful.nfs.drift: %s (exit code %d), %d change(s); report in %s"
                              % (done["status"], done["exit_code"], len(done["drift"]), self._output_dir))
