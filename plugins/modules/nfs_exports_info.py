#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nfs_exports_info
short_description: Read what an NFS server actually exports and compare it with what was asked
version_added: 0.1.0
description:
  - For the V(kernel) backend, runs C(exportfs -v) and parses it; every requested client of every export must
    be there with the requested options, and no other client may be granted a requested path. Options that
    C(exportfs -v) never prints (V(secure), V(insecure)) are listed in RV(unverified).
  - For the V(ganesha) backend, checks that the instance named by O(pid_file) runs with O(config), lists the
    NFSv4 pseudo root and every export's pseudo path through NFS with C(nfs-ls) (libnfs-utils), and reports
    exports that are not served and top-level pseudo entries nobody asked for. An export that does not admit
    the address this host probes from (O(client_address)) cannot be listed from here; it is reported in
    RV(unverified) instead of as a problem.
  - Read-only; it never fails because of a mismatch, it reports it in RV(problems) (see RV(matches)).
author:
  - stateful.nfs maintainers (@stateful-nfs)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - stateful.nfs.nfs_exported
  - stateful.nfs.nfs_served
attributes:
  platform:
    support: full
    platforms: posix
  check_mode:
    support: full
    details: Only reads; runs the same in check mode.
  diff_mode:
    support: none
requirements:
  - C(exportfs) (nfs-kernel-server / nfs-utils) for the kernel backend.
  - C(nfs-ls) (libnfs-utils) for the ganesha backend.
options:
  client_address:
    description:
      - Address this host's NFS requests come from. Defaults to each export's server address (true when the
        probe runs on the server itself).
    type: str
  timeout:
    description: Seconds allowed for each C(nfs-ls) (at least 1).
    type: int
    default: 15
seealso:
  - module: stateful.nfs.nfs_exports_validate
  - module: stateful.nfs.nfs_probe
"""

EXAMPLES = r"""
- name: Compare exportfs -v with the requested exports
  stateful.nfs.nfs_exports_info:
    backend: kernel
    exports: "{{ nfs_server_exported }}"
  register: served

- name: Fail on any difference
  ansible.builtin.assert:
    that: served.matches
    fail_msg: "{{ served.problems }}"
"""

RETURN = r"""
matches:
  description: Whether RV(problems) is empty.
  returned: always
  type: bool
  sample: true
problems:
  description: Differences between what was asked and what the server exports, each naming the export.
  returned: always
  type: list
  elements: str
  sample: ["export 'v2' (/nfs-data/v2): client 'db-1' is not exported (exportfs shows 10.0.0.0/8)"]
unverified:
  description: What could not be checked from this host, and why.
  returned: always
  type: list
  elements: str
  sample: ["export 'v1' client '10.0.0.0/8': secure (exportfs -v never shows it)"]
exportfs:
  description: Parsed C(exportfs -v) output (kernel backend).
  returned: when backend is kernel
  type: list
  elements: dict
  sample: [{path: /nfs-data/v1, client: "*", options: [sync, wdelay, hide, no_subtree_check, sec=sys, rw]}]
other_exports:
  description: Exports of paths that were not asked for (another exports file); not a problem.
  returned: when backend is kernel
  type: list
  elements: dict
  sample: []
daemon:
  description: The Ganesha instance (ganesha backend).
  returned: when backend is ganesha
  type: dict
  sample: {running: true, pid: 4242, config: /etc/ganesha/ganesha.conf}
pseudo_root:
  description: Names the NFSv4 pseudo root lists, per server address and port (ganesha backend).
  returned: when backend is ganesha
  type: list
  elements: str
  sample: [nfs-data]
served:
  description: Per export, whether its pseudo path could be listed over NFS (ganesha backend).
  returned: when backend is ganesha
  type: list
  elements: dict
  sample: [{name: v1, url: "nfs://127.0.0.1/nfs-data/v1?version=4", listed: true, error: ""}]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.stateful.nfs.plugins.module_utils.common.arguments import fail_on_strings_for_lists
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import NfsError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.exports import EXPORTED_ARG_SPEC
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.libnfs import Libnfs
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.served import (
    SERVED_ARG_SPEC,
    ServerReader,
    ganesha_info,
    kernel_info,
)


def main():
    argument_spec = dict(
        SERVED_ARG_SPEC,
        exports=EXPORTED_ARG_SPEC,
        client_address=dict(type="str"),
        timeout=dict(type="int", default=15),
    )
    fail_on_strings_for_lists(argument_spec)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    try:
        if params["backend"] == "kernel":
            result = kernel_info(params["exports"], ServerReader(module))
        else:
            result = ganesha_info(params, Libnfs(module, params["timeout"]), ServerReader(module))
    except NfsError as exc:
        module.fail_json(msg=str(exc), **exc.result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
