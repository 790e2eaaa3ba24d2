#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nfs_probe
short_description: Prove NFS exports work with real NFSv4 I/O from this host
version_added: 0.1.0
description:
  - For every export, writes a marker file with a fresh random token through NFSv4 (C(nfs-cp) from
    libnfs-utils, no kernel NFS client needed) and reads it back (C(nfs-cat)); the export passes only if
    the token comes back. Read-only exports (O(exports[].read_only)), O(write=false) and check mode only
    list the export's root
    (C(nfs-ls)), which proves the server answers, the export exists and this host may mount and read it.
  - Fails with a message that names every failing export, its URL and a plain explanation (server down,
    access denied or squashed identity without write permission, unknown pseudo path, ...).
  - Never reports C(changed). The marker file O(marker) stays in the export root unless O(cleanup_local) removes
    it through the server's local path.
author:
  - stateful.nfs maintainers (@stateful-nfs)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - stateful.nfs.nfs_exported
  - stateful.nfs.nfs_probe_options
attributes:
  platform:
    support: full
    platforms: posix
  check_mode:
    support: full
    details: Does the read-only listing instead of the write probe.
  diff_mode:
    support: none
requirements:
  - C(nfs-cp), C(nfs-cat), C(nfs-ls) (Debian and EPEL package libnfs-utils).
options:
  client_address:
    description:
      - Address this host's NFS requests come from. Exports whose clients certainly do not admit it (IP
        addresses and networks that do not contain it) are not probed and listed in RV(not_probed) instead of
        failing. Leave unset to probe every export.
    type: str
  timeout:
    description: Seconds allowed for each libnfs command (at least 1).
    type: int
    default: 15
seealso:
  - module: stateful.nfs.nfs_exports_info
"""

EXAMPLES = r"""
- name: Write and read back a marker in every export
  stateful.nfs.nfs_probe:
    exports: "{{ nfs_server_exported }}"

- name: Can this node mount and read every export?
  stateful.nfs.nfs_probe:
    exports: "{{ hostvars[groups['nfs_servers'][0]].nfs_server_exported }}"
    write: false
"""

RETURN = r"""
mode:
  description: V(write) or V(read) (the read-only listing) for the run; each result has its own (read-only exports are listed).
  returned: always
  type: str
  sample: write
probes:
  description: One entry per probed export.
  returned: always
  type: list
  elements: dict
  sample:
    - name: v1
      url: nfs://127.0.0.1/nfs-data/v1/.stateful-nfs-probe?version=4&uid=0&gid=0
      ok: true
      error: ""
      hint: ""
      mode: write
not_probed:
  description: Exports not probed because their clients do not admit O(client_address).
  returned: always
  type: list
  elements: str
  sample: ["v3: clients 10.0.0.0/8 do not include 127.0.0.1"]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.stateful.nfs.plugins.module_utils.common.arguments import fail_on_strings_for_lists
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import NfsError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.exports import EXPORTED_ARG_SPEC
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.libnfs import Libnfs
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.probe import PROBE_ARG_SPEC, run_probes, validate_marker


def main():
    argument_spec = dict(
        PROBE_ARG_SPEC,
        exports=EXPORTED_ARG_SPEC,
        client_address=dict(type="str"),
        timeout=dict(type="int", default=15),
    )
    fail_on_strings_for_lists(argument_spec)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    try:
        validate_marker(params["marker"])  # refused before libnfs-utils is looked for
        result = run_probes(params, Libnfs(module, params["timeout"]), module.check_mode)
    except NfsError as exc:
        module.fail_json(msg=str(exc), **exc.result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
