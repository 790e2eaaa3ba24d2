# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The options of the NFS I/O probe (module_utils/nfs/probe.py PROBE_ARG_SPEC): nfs_probe, nfs_server_verify.
    DOCUMENTATION = r"""
options:
  write:
    description: Write and read back a marker file (V(true)), or only list the export root (V(false)).
    type: bool
    default: true
  uid:
    description:
      - User id the NFS requests carry (AUTH_SYS). V(0) is what a pod running as root sends, so with
        V(root_squash) the write happens as the anonymous uid, as it would for such a pod.
    type: int
    default: 0
  gid:
    description: Group id the NFS requests carry.
    type: int
    default: 0
  marker:
    description: Name of the marker file written in each export's root.
    type: str
    default: .stateful-nfs-probe
  cleanup_local:
    description:
      - Remove the marker through the export's local path afterwards. Only meaningful when the module runs
        on the NFS server itself.
    type: bool
    default: false
"""
