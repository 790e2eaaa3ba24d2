# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/modules/pidfile_processes.py (the stop itself: test_processes.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import subprocess
import sys

from ansible_collections.stateful.nfs.plugins.modules import pidfile_processes


def test_a_running_process_is_stopped_and_reported_changed(run_main, tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(60)"],
                            stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == b"ready"
        comm = open("/proc/%d/comm" % proc.pid).read().strip()
        pid_file = tmp_path / "child.pid"
        pid_file.write_text(str(proc.pid))
        args = dict(processes=[dict(name=comm, pid_file=str(pid_file))], timeout=5)
        checked = run_main(pidfile_processes, args, check_mode=True)
        assert not checked.failed and checked.result["changed"] and proc.poll() is None
        done = run_main(pidfile_processes, args)
        assert not done.failed and done.result["changed"] and done.result["stopped"] == [comm]
        assert proc.wait(timeout=5) == -15
        again = run_main(pidfile_processes, args)
        assert not again.failed and not again.result["changed"]
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_a_negative_timeout_is_refused_naming_the_option(run_main, tmp_path):
    outcome = run_main(pidfile_processes, dict(processes=[dict(name="etcd", pid_file=str(tmp_path / "x"))],
                                               kill_timeout=-1))
    assert outcome.failed and outcome.result["msg"] == "kill_timeout: must not be negative, got -1.0"
