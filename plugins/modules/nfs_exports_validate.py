#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nfs_exports_validate
short_description: Validate and normalise structured NFS exports
version_added: 0.1.0
description:
  - Checks a structured list of NFS exports before anything on the host is changed, and returns it
    normalised, together with the facts later roles consume (C(nfs_server_exported)).
  - Paths must be absolute, normalised, unique and not system directories; clients must be a host name,
    IP address, CIDR network, wildcard (V(*.example.com)), V(@netgroup) or V(*); options come from the
    exports(5) vocabulary, and for the V(ganesha) backend only those with an NFS-Ganesha equivalent.
  - Secure by default. Every export needs at least one client, V(*) (or a V(/0) network, or a Ganesha
    V(ganesha.access_type) other than V(None)) needs O(allow_world_clients), and V(no_root_squash)
    needs O(allow_no_root_squash); both print a warning when allowed.
  - The error message names the export and the field. The module does no I/O and changes nothing; it runs on
    the controller as an action plugin, in milliseconds, like the other pure plans of this collection.
author:
  - stateful.nfs maintainers (@stateful-nfs)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  platform:
    support: full
    platforms: all
  check_mode:
    support: full
  diff_mode:
    support: none
options:
  exports:
    description:
      - The exports, as in the C(nfs_server_exports) variable of the C(stateful.nfs.nfs_server) role. Each is a
        mapping with the keys below; any other key is refused (a typo must not be silently ignored).
      - V(path) (required) the directory exported by the server.
      - V(name) short identifier, a DNS-1123 label such as V(v1); defaults to the last component of V(path).
      - V(clients) (required, non-empty) a list of V({host, options}); V(options) is a list of exports(5) options.
      - V(owner), V(group) and V(mode) of the directory (default O(default_owner), O(default_group),
        O(default_mode)); V(mode) is a quoted octal string such as V('0755').
      - V(ganesha) NFS-Ganesha settings (ignored by the kernel backend) - V(pseudo), the NFSv4 path clients mount
        (default V(path)); V(export_id) (default the position in the list plus 1); V(access_type) for hosts not
        listed in V(clients) (default V(None)); V(squash) for those hosts (default V(root_squash)).
    type: list
    elements: raw
    required: true
  backend:
    description: Which server will serve the exports.
    type: str
    choices: [kernel, ganesha]
    default: kernel
  server:
    description: Address clients use to reach the server, published in the facts.
    type: str
    required: true
  port:
    description: TCP port of the NFS service, published in the facts. The kernel server always uses 2049.
    type: int
    default: 2049
  allow_world_clients:
    description: Allow exports to every host (V(*), V(0.0.0.0/0), Ganesha access for unlisted hosts).
    type: bool
    default: false
  allow_no_root_squash:
    description: Allow V(no_root_squash).
    type: bool
    default: false
  default_owner:
    description: Owner of export directories that do not set one.
    type: str
    default: root
  default_group:
    description: Group of export directories that do not set one.
    type: str
    default: root
  default_mode:
    description: Mode of export directories that do not set one.
    type: str
    default: "0755"
seealso:
  - module: stateful.nfs.nfs_exports_info
  - module: stateful.nfs.nfs_probe
"""

EXAMPLES = r"""
- name: Validate the exports before touching the host
  stateful.nfs.nfs_exports_validate:
    backend: ganesha
    server: 127.0.0.1
    exports:
      - path: /nfs-data/v1
        clients:
          - host: 10.244.0.0/16
            options: [rw, sync]
  register: plan

- name: Publish the structured facts
  ansible.builtin.set_fact:
    nfs_server_exported: "{{ plan.exported }}"
"""

RETURN = r"""
exports:
  description: The exports, normalised (defaults filled in, aliases rewritten, effective options explicit).
  returned: success
  type: list
  elements: dict
  sample:
    - name: v1
      path: /nfs-data/v1
      owner: nobody
      group: nogroup
      mode: "0755"
      pseudo: /nfs-data/v1
      export_id: 1
      ganesha: {access_type: None, squash: root_squash}
      clients:
        - host: 10.244.0.0/16
          kind: network
          options: [rw, sync, root_squash, no_subtree_check]
          ganesha: {access_type: RW, squash: root_squash, anonymous_uid: 65534, anonymous_gid: 65534,
                    sectype: [sys], privileged_port: true}
      kernel_line: /nfs-data/v1 10.244.0.0/16(rw,sync,root_squash,no_subtree_check)
directories:
  description: The export directories with their owner, group and mode, as M(stateful.nfs.directories) takes them.
  returned: success
  type: list
  elements: dict
  sample:
    - {path: /nfs-data/v1, owner: nobody, group: nogroup, mode: "0755"}
exported:
  description: The facts later roles consume (C(nfs_server_exported)), one per export.
  returned: success
  type: list
  elements: dict
  sample:
    - name: v1
      path: /nfs-data/v1
      pseudo: /nfs-data/v1
      server: 127.0.0.1
      port: 2049
      clients: [10.244.0.0/16]
      options: [rw, sync, root_squash, no_subtree_check]
      client_options:
        - host: 10.244.0.0/16
          options: [rw, sync, root_squash, no_subtree_check]
      read_only: false
"""
