# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Which NFS server serves the exports (module_utils/nfs/served.py SERVED_ARG_SPEC): nfs_exports_info, nfs_server_verify.
    DOCUMENTATION = r"""
options:
  backend:
    description: Which server serves O(exports).
    type: str
    choices: [kernel, ganesha]
    required: true
  pid_file:
    description: Pid file of the Ganesha instance (ganesha backend without systemd). Empty to skip the pid check.
    type: path
  config:
    description: Configuration file the Ganesha instance must run with.
    type: path
    default: /etc/ganesha/ganesha.conf
"""
