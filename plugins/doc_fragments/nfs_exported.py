# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The exports as published by the nfs_server role (fact nfs_server_exported).
    DOCUMENTATION = r"""
options:
  exports:
    description:
      - The exports to work on, as published by the M(stateful.nfs.nfs_exports_validate) module and the
        C(stateful.nfs.nfs_server) role in the fact C(nfs_server_exported).
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Short identifier of the export, used in messages.
        type: str
        required: true
      path:
        description: Directory on the NFS server.
        type: str
        required: true
      pseudo:
        description: NFSv4 path clients mount (equal to O(exports[].path) for the kernel server).
        type: str
        required: true
      server:
        description: Address clients use to reach the server.
        type: str
        required: true
      port:
        description: TCP port of the NFS service.
        type: int
        default: 2049
      clients:
        description: Client specifications (host, network, wildcard, netgroup or V(*)).
        type: list
        elements: str
        default: []
      options:
        description: Options every client shares.
        type: list
        elements: str
        default: []
      client_options:
        description: Each client with its full option list.
        type: list
        elements: dict
        default: []
      read_only:
        description: Whether no client may write.
        type: bool
        default: false
"""
