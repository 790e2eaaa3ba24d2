#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: pidfile_processes
short_description: Stop daemons named by pid files, in waves, within a bounded time
version_added: 0.1.0
description:
  - Stops processes that were started with a pid file (for example by C(start-stop-daemon --make-pidfile)),
    on hosts and in containers where no service manager runs them. The P(stateful.nfs.lab#role) role stops
    its control plane with it.
  - A process is stopped only if its pid file names a live process whose program name matches O(processes.name)
    (compared as the kernel truncates it to 15 characters, like C(start-stop-daemon --name)), so a recycled pid
    is never signalled. A pid file that names no such process is stale and is removed.
  - The processes of one O(processes.wave) get SIGTERM together; the next wave starts when they have all
    exited. What still runs O(timeout) seconds after SIGTERM gets SIGKILL.
  - A zombie (exited, not yet reaped by its parent) counts as stopped. Polling with C(kill -0), as
    C(start-stop-daemon --retry) does, waits until the parent reaps it, which takes a second or more on
    hosts whose PID 1 reaps slowly.
author:
  - stateful.nfs maintainers (@stateful-nfs)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  platform:
    support: full
    platforms: posix
    details: Linux (reads C(/proc)).
  check_mode:
    support: full
    details: Reports which processes it would stop and signals nothing.
  diff_mode:
    support: none
options:
  processes:
    description: The processes to stop.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Program name of the process (its file name; the part after the last C(/) counts).
        type: str
        required: true
      pid_file:
        description: Pid file of the process.
        type: path
        required: true
      wave:
        description: Processes with a lower wave are stopped first; those with the same wave together.
        type: int
        default: 0
  timeout:
    description: Seconds to wait after SIGTERM before SIGKILL, per wave.
    type: float
    default: 5
  kill_timeout:
    description: Seconds to wait after SIGKILL; a process still running then fails the task.
    type: float
    default: 2
seealso:
  - module: stateful.nfs.nfs_ganesha_daemon
"""

EXAMPLES = r"""
- name: Stop the clients of the API server, then the API server, then etcd
  stateful.nfs.pidfile_processes:
    processes:
      - {name: kube-scheduler, pid_file: /run/lab/kube-scheduler.pid, wave: 0}
      - {name: kube-controller-manager, pid_file: /run/lab/kube-controller-manager.pid, wave: 0}
      - {name: kube-apiserver, pid_file: /run/lab/kube-apiserver.pid, wave: 1}
      - {name: etcd, pid_file: /run/lab/etcd.pid, wave: 2}
    timeout: 4
"""

RETURN = r"""
stopped:
  description: Names of the processes that exited after SIGTERM (in check mode, those that would be signalled).
  returned: always
  type: list
  elements: str
  sample: [kube-scheduler, kube-apiserver]
killed:
  description: Names of the processes that needed SIGKILL.
  returned: always
  type: list
  elements: str
  sample: []
stale:
  description: Names whose pid file named no live process of that name; the pid file was removed.
  returned: always
  type: list
  elements: str
  sample: [coredns]
survived:
  description: Names still running O(kill_timeout) seconds after SIGKILL (the task then fails).
  returned: always
  type: list
  elements: str
  sample: []
seconds:
  description: How long each wave took, in seconds.
  returned: always
  type: list
  elements: float
  sample: [0.05, 1.02, 0.02]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.stateful.nfs.plugins.module_utils.common.processes import PidFileProcesses


def main():
    module = AnsibleModule(
        argument_spec=dict(
            processes=dict(type="list", elements="dict", required=True, options=dict(
                name=dict(type="str", required=True),
                pid_file=dict(type="path", required=True),
                wave=dict(type="int", default=0),
            )),
            timeout=dict(type="float", default=5),
            kill_timeout=dict(type="float", default=2),
        ),
        supports_check_mode=True,
    )
    for option in ("timeout", "kill_timeout"):
        if module.params[option] < 0:
            module.fail_json(msg="%s: must not be negative, got %s" % (option, module.params[option]))
    result = PidFileProcesses().stop(module.params["processes"], module.params["timeout"],
                                     module.params["kill_timeout"], check_mode=module.check_mode)
    changed = bool(result["stopped"] or result["killed"] or result["stale"])
    if result["survived"]:
        message = "still running %s s after SIGKILL: %s" % (module.params["kill_timeout"], ", ".join(result["survived"]))
        module.fail_json(msg=message, changed=changed, **result)
    module.exit_json(changed=changed, **result)


if __name__ == "__main__":
    main()
