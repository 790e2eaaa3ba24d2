# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The I/O of one NFS-Ganesha instance run without systemd: ``GaneshaProcess``.

It reads the pid file and /proc, sends signals, spawns ``ganesha.nfsd`` and waits for it; every
decision (which instance is ours, which actions reach a state) is a pure function of ganesha.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import os
import signal
import time

from ansible_collections.stateful.nfs.plugins.module_utils.common.processes import parse_cmdline, parse_pid
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import GaneshaError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.ganesha import (
    RELOAD_DONE,
    check_mode_result,
    command,
    connect_address,
    describe_instance,
    plan,
    reload_is_logged,
)
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.net import listening


class GaneshaProcess(object):
    """Pid file, /proc, signals, spawning and waiting, for the instance ``module.params`` describes
    (the options of stateful.nfs.nfs_ganesha_daemon). Failures raise GaneshaError."""

    def __init__(self, module):
        self.module = module
        self.params = module.params

    @staticmethod
    def find_instance(pid_file, config):
        """Read ``pid_file`` and ``/proc/<pid>/cmdline``; see ganesha.describe_instance."""
        try:
            with open(pid_file) as handle:
                pid_text = handle.read()
        except IOError:
            return describe_instance(None, None, config)
        argv = None
        pid = parse_pid(pid_text)
        if pid is not None:
            try:
                with open("/proc/%d/cmdline" % pid, "rb") as handle:
                    argv = parse_cmdline(handle.read())
            except IOError:
                argv = None
        return describe_instance(pid_text, argv, config)

    def current_pid(self):
        instance = self.find_instance(self.params["pid_file"], self.params["config"])
        return instance["pid"] if instance["running"] else None

    def reach(self, state, check_mode=False):
        """Do (in check mode: only tell) what brings the instance to ``state``; the module's result."""
        pid = self.current_pid()
        actions = plan(state, pid is not None)
        if check_mode:
            return check_mode_result(state, actions, pid)
        if "start" in actions and not os.path.exists(self.params["config"]):
            raise GaneshaError("config: %s does not exist" % self.params["config"])
        for action in actions:
            if action == "stop":
                self.stop(pid)
                pid = None
            elif action == "hup":
                self.hup(pid)
            else:
                pid = self.start()
        return dict(changed=bool(actions), actions=actions, pid=pid, running=pid is not None)

    @staticmethod
    def _alive(pid):
        try:
            os.kill(pid, 0)
        except OSError as exc:
            return exc.errno == errno.EPERM
        return True

    def stop(self, pid):
        os.kill(pid, signal.SIGTERM)
        deadline = time.time() + self.params["timeout"]
        while time.time() < deadline:
            if not self._alive(pid) or self.current_pid() != pid:
                break
            time.sleep(0.1)
        else:
            raise GaneshaError("NFS-Ganesha (pid %d) did not exit within %d s of SIGTERM"
                               % (pid, self.params["timeout"]))
        if os.path.exists(self.params["pid_file"]) and self.current_pid() is None:
            os.unlink(self.params["pid_file"])

    def hup(self, pid):
        """SIGHUP, then wait until the log says the export list was re-read."""
        log = self.params["log_file"]
        try:
            offset = os.path.getsize(log)
        except OSError:
            offset = None
        os.kill(pid, signal.SIGHUP)
        if offset is None or not reload_is_logged(self.params["log_level"]):
            time.sleep(1)  # nothing to watch for: give the reload a moment
            return
        deadline = time.time() + self.params["timeout"]
        while time.time() < deadline:
            with open(log, "rb") as handle:
                handle.seek(offset)
                text = handle.read().decode("utf-8", "replace")
            if RELOAD_DONE in text:
                return
            time.sleep(0.1)
        raise GaneshaError("NFS-Ganesha (pid %d) did not log %r within %d s of SIGHUP. End of %s:\n%s"
                           % (pid, RELOAD_DONE, self.params["timeout"], log, self._log_tail()))

    def _log_tail(self):
        try:
            with open(self.params["log_file"], "rb") as handle:
                handle.seek(0, os.SEEK_END)
                handle.seek(max(0, handle.tell() - 3000))
                return handle.read().decode("utf-8", "replace")
        except IOError as exc:
            return "(cannot read %s: %s)" % (self.params["log_file"], exc)

    def start(self):
        params = self.params
        for path in (params["pid_file"], params["log_file"]):
            directory = os.path.dirname(path)
            if directory and not os.path.isdir(directory):
                os.makedirs(directory, 0o755)
        if os.path.exists(params["pid_file"]):
            os.unlink(params["pid_file"])  # stale: current_pid() found no instance of ours
        argv = command(params["binary"], params["config"], params["log_file"], params["pid_file"],
                       params["log_level"])
        rc, out, err = self.module.run_command(argv)
        if rc != 0:
            raise GaneshaError("%s failed (rc %d): %s\n%s" % (" ".join(argv), rc, out + err, self._log_tail()))
        address = connect_address(params["bind_address"])
        deadline = time.time() + params["timeout"]
        while time.time() < deadline:
            pid = self.current_pid()
            if pid is not None and listening(address, params["port"], timeout=1):
                return pid
            time.sleep(0.1)
        raise GaneshaError(
            "NFS-Ganesha did not come up on %s:%d within %d s (pid file %s). End of %s:\n%s"
            % (address, params["port"], params["timeout"],
               params["pid_file"], params["log_file"], self._log_tail()))
