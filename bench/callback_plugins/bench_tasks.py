# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper (bench/run.py, pv1000): records each task's seconds, its changed flag and, when the
module returns them, ``summary`` and ``durations``, plus the play recap, as JSON into the file named by
BENCH_TASKS_FILE. It prints nothing: the run keeps Ansible's default output, what a user waits for,
instead of the JSON callback, which would serialise every returned object and argument."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: bench_tasks
type: aggregate
short_description: Task seconds and the apply task's own account, for bench/run.py
description:
  - Writes C({tasks, stats}) as JSON to the file named by the environment variable C(BENCH_TASKS_FILE).
requirements:
  - enabled with C(callbacks_enabled)
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_tasks"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self.tasks = []
        self.started = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started = time.monotonic()

    def _record(self, result, status):
        res = result._result
        self.tasks.append({"task": result._task.get_name(), "status": status, "changed": bool(res.get("changed")),
                           "seconds": time.monotonic() - (self.started or time.monotonic()),
                           "summary": res.get("summary"), "durations": res.get("durations")})

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("BENCH_TASKS_FILE")
        if not path:
            return
        with open(path, "w") as handle:
            json.dump({"tasks": self.tasks, "stats": dict((host, stats.summarize(host)) for host in stats.processed)},
                      handle)
