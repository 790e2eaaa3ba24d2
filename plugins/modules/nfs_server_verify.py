#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nfs_server_verify
short_description: Verify an NFS server in one call, what it serves and real NFSv4 I/O into every export
version_added: 0.1.0
description:
  - Does what M(stateful.nfs.nfs_exports_info) and then M(stateful.nfs.nfs_probe) do, in one module call (over SSH
    each call costs a round trip).
  - First compares what the server serves with O(exports), as M(stateful.nfs.nfs_exports_info) does, and returns
    the same values. A mismatch does not fail the module; it is reported in RV(problems) and RV(matches), and no
    probe runs (RV(probe) is V(null)).
  - When it matches and O(probe) is true, probes every export as M(stateful.nfs.nfs_probe) does (writes a marker
    with a fresh token through NFSv4 and reads it back; read-only exports, O(write=false) and check mode only list)
    and returns its result in RV(probe). A failed probe fails the module with a message naming every failing
    export, its URL and a plain explanation.
  - Never reports C(changed).
author:
  - stateful.nfs maintainers (@stateful-nfs)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - stateful.nfs.nfs_exported
  - stateful.nfs.nfs_served
  - stateful.nfs.nfs_probe_options
attributes:
  platform:
    support: full
    platforms: posix
  check_mode:
    support: full
    details: Reads what is served as always; the probe does the read-only listing instead of the write.
  diff_mode:
    support: none
requirements:
  - C(exportfs) (nfs-kernel-server / nfs-utils) for the kernel backend.
  - C(nfs-ls), C(nfs-cp), C(nfs-cat) (libnfs-utils) for the ganesha backend and for the probe.
options:
  probe:
    description: Probe the exports with real NFS I/O once what is served matches (V(false) only compares).
    type: bool
    default: true
  client_address:
    description:
      - Address this host's NFS requests come from. Exports whose clients certainly do not admit it are neither
        listed nor probed; they are reported in RV(unverified) and in C(not_probed) of RV(probe). Defaults to each export's
        server address (true when the module runs on the server itself).
    type: str
  timeout:
    description: Seconds allowed for each libnfs command (at least 1).
    type: int
    default: 15
seealso:
  - module: stateful.nfs.nfs_exports_info
  - module: stateful.nfs.nfs_probe
"""

EXAMPLES = r"""
- name: Verify what the server serves, then write and read back a marker in every export
  stateful.nfs.nfs_server_verify:
    backend: ganesha
    exports: "{{ nfs_server_exported }}"
    pid_file: /run/ganesha/ganesha.pid
    cleanup_local: true
  register: verified

- name: Fail on any difference
  ansible.builtin.assert:
    that: verified.matches
    fail_msg: "{{ verified.problems }}"
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
  sample: ["export 'v3': nfs://127.0.0.1/nfs-data/v3?version=4 is not served"]
unverified:
  description: What could not be checked from this host, and why.
  returned: always
  type: list
  elements: str
  sample: []
exportfs:
  description: Parsed C(exportfs -v) output (kernel backend), as M(stateful.nfs.nfs_exports_info) returns it.
  returned: when backend is kernel
  type: list
  elements: dict
  sample: [{path: /nfs-data/v1, client: "*", options: [sync, wdelay, hide, no_subtree_check, sec=sys, rw]}]
other_exports:
  description: Exports of paths that were not asked for (kernel backend); not a problem.
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
  description: Names the NFSv4 pseudo root lists (ganesha backend).
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
probe:
  description:
    - The probe's result as M(stateful.nfs.nfs_probe) returns it (C(mode), C(probes), C(not_probed)); V(null) when
      O(probe) is false or what is served does not match.
  returned: always
  type: dict
  sample: {mode: write, probes: [{name: v1, ok: true, mode: write}], not_probed: []}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.stateful.nfs.plugins.module_utils.common.arguments import fail_on_strings_for_lists
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import NfsError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.exports import EXPORTED_ARG_SPEC
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.libnfs import Libnfs
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.probe import PROBE_ARG_SPEC
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.served import SERVED_ARG_SPEC, ServerReader
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.verify import verify_server


def main():
    argument_spec = dict(
        SERVED_ARG_SPEC,
        exports=EXPORTED_ARG_SPEC,
        probe=dict(type="bool", default=True),
        client_address=dict(type="str"),
        timeout=dict(type="int", default=15),
        **PROBE_ARG_SPEC
    )
    fail_on_strings_for_lists(argument_spec)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    runner = []

    def libnfs():
        if not runner:
            runner.append(Libnfs(module, params["timeout"]))
        return runner[0]

    try:
        result = verify_server(params, libnfs, ServerReader(module), module.check_mode)
    except NfsError as exc:
        module.fail_json(msg=str(exc), **exc.result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
