#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nfs_ganesha_daemon
short_description: Run NFS-Ganesha as a plain daemon with a pid file (hosts without systemd)
version_added: 0.1.0
description:
  - Starts, stops, restarts or reloads one NFS-Ganesha instance identified by its pid file and its
    configuration file, for hosts and containers where systemd does not run. Under systemd use
    M(ansible.builtin.systemd_service) with the C(nfs-ganesha) unit instead.
  - The process named in the pid file counts as running only if it is C(ganesha.nfsd) started with
    C(-f) O(config), so a recycled pid or another Ganesha instance is never touched.
  - V(reloaded) sends SIGHUP, which makes Ganesha re-read its EXPORT blocks (core parameters such as the
    port or bind address need V(restarted)).
  - After a start the module waits until Ganesha listens on O(bind_address):O(port) and fails with the end
    of the log file when it does not.
author:
  - stateful.nfs maintainers (@stateful-nfs)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  platform:
    support: full
    platforms: posix
  check_mode:
    support: full
    details: Reports what it would do and does nothing.
  diff_mode:
    support: none
options:
  state:
    description: Desired state of the instance.
    type: str
    choices: [started, stopped, restarted, reloaded]
    default: started
  config:
    description: Configuration file of the instance (C(ganesha.nfsd -f)).
    type: path
    required: true
  pid_file:
    description: Pid file of the instance (C(ganesha.nfsd -p)).
    type: path
    required: true
  log_file:
    description: Log file of the instance (C(ganesha.nfsd -L)).
    type: path
    required: true
  log_level:
    description: Log level (C(ganesha.nfsd -N)).
    type: str
    default: NIV_EVENT
  binary:
    description: Path of C(ganesha.nfsd).
    type: path
    default: /usr/bin/ganesha.nfsd
  bind_address:
    description: Address Ganesha binds to (its C(Bind_addr)); V(0.0.0.0) is checked through loopback.
    type: str
    default: 0.0.0.0
  port:
    description: TCP port Ganesha listens on (its C(NFS_Port)).
    type: int
    default: 2049
  timeout:
    description: Seconds to wait for the listener after a start, and for the process to exit after a stop.
    type: int
    default: 15
seealso:
  - module: stateful.nfs.nfs_exports_info
"""

EXAMPLES = r"""
- name: Start Ganesha unless this instance already runs
  stateful.nfs.nfs_ganesha_daemon:
    config: /etc/ganesha/ganesha.conf
    pid_file: /run/ganesha/ganesha.pid
    log_file: /var/log/ganesha/ganesha.log
    bind_address: 127.0.0.1
    port: 2049

- name: Re-read the EXPORT blocks
  stateful.nfs.nfs_ganesha_daemon:
    state: reloaded
    config: /etc/ganesha/ganesha.conf
    pid_file: /run/ganesha/ganesha.pid
    log_file: /var/log/ganesha/ganesha.log
"""

RETURN = r"""
actions:
  description: What was done (or would be done in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: [stop, start]
pid:
  description: Pid of the running instance afterwards (the old one in check mode, null when stopped).
  returned: always
  type: int
  sample: 4242
running:
  description: Whether the instance runs afterwards (in check mode, whether it would).
  returned: always
  type: bool
  sample: true
"""

import errno
import os
import signal
import socket
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.stateful.nfs.plugins.module_utils.nfs_ganesha import (
    command,
    connect_address,
    find_instance,
    plan,
)

RELOAD_DONE = "Reread exports complete"
VERBOSE_LEVELS = ("NIV_EVENT", "NIV_INFO", "NIV_DEBUG", "NIV_MID_DEBUG", "NIV_FULL_DEBUG")


class GaneshaProcess(object):
    """The I/O: pid file, /proc, signals, spawning and waiting."""

    def __init__(self, module):
        self.module = module
        self.params = module.params

    def current_pid(self):
        instance = find_instance(self.params["pid_file"], self.params["config"])
        return instance["pid"] if instance["running"] else None

    def _alive(self, pid):
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
            self.module.fail_json(msg="NFS-Ganesha (pid %d) did not exit within %d s of SIGTERM"
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
        if offset is None or self.params["log_level"] not in VERBOSE_LEVELS:
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
        self.module.fail_json(msg="NFS-Ganesha (pid %d) did not log %r within %d s of SIGHUP. End of %s:\n%s"
                              % (pid, RELOAD_DONE, self.params["timeout"], log, self._log_tail()))

    def _log_tail(self):
        try:
            with open(self.params["log_file"], "rb") as handle:
                handle.seek(0, os.SEEK_END)
                handle.seek(max(0, handle.tell() - 3000))
                return handle.read().decode("utf-8", "replace")
        except IOError as exc:
            return "(cannot read %s: %s)" % (self.params["log_file"], exc)

    def _listening(self):
        host = connect_address(self.params["bind_address"])
        try:
            conn = socket.create_connection((host, self.params["port"]), timeout=1)
        except (socket.error, OSError):
            return False
        conn.close()
        return True

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
            self.module.fail_json(msg="%s failed (rc %d): %s\n%s" % (" ".join(argv), rc, out + err,
                                                                     self._log_tail()))
        deadline = time.time() + params["timeout"]
        while time.time() < deadline:
            pid = self.current_pid()
            if pid is not None and self._listening():
                return pid
            time.sleep(0.1)
        self.module.fail_json(
            msg="NFS-Ganesha did not come up on %s:%d within %d s (pid file %s). End of %s:\n%s"
            % (connect_address(params["bind_address"]), params["port"], params["timeout"],
               params["pid_file"], params["log_file"], self._log_tail()))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type="str", choices=["started", "stopped", "restarted", "reloaded"], default="started"),
            config=dict(type="path", required=True),
            pid_file=dict(type="path", required=True),
            log_file=dict(type="path", required=True),
            log_level=dict(type="str", default="NIV_EVENT"),
            binary=dict(type="path", default="/usr/bin/ganesha.nfsd"),
            bind_address=dict(type="str", default="0.0.0.0"),
            port=dict(type="int", default=2049),
            timeout=dict(type="int", default=15),
        ),
        supports_check_mode=True,
    )
    process = GaneshaProcess(module)
    pid = process.current_pid()
    actions = plan(module.params["state"], pid is not None)
    if module.check_mode:
        module.exit_json(changed=bool(actions), actions=actions, pid=pid,
                         running=module.params["state"] != "stopped")
    if "start" in actions and not os.path.exists(module.params["config"]):
        module.fail_json(msg="config: %s does not exist" % module.params["config"])
    for action in actions:
        if action == "stop":
            process.stop(pid)
            pid = None
        elif action == "hup":
            process.hup(pid)
        else:
            pid = process.start()
    module.exit_json(changed=bool(actions), actions=actions, pid=pid, running=pid is not None)


if __name__ == "__main__":
    main()
