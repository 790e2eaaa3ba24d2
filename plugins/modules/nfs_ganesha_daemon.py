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

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import NfsError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.ganesha import STATES
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.ganesha_process import GaneshaProcess


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type="str", choices=list(STATES), default="started"),
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
    try:
        result = GaneshaProcess(module).reach(module.params["state"], module.check_mode)
    except NfsError as exc:
        module.fail_json(msg=str(exc), **exc.result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
