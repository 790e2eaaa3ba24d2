# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Modules that only validate and render or compare (no I/O): the same attributes and notes.
    DOCUMENTATION = r"""
attributes:
  action:
    support: full
    description: Runs on the controller as an action plugin; nothing is sent to or run on the target host.
  async:
    support: none
    description: Runs in milliseconds on the controller; there is nothing to run asynchronously.
  platform:
    support: full
    platforms: all
    description: Runs on the controller, whatever the target.
  check_mode:
    support: full
    description: Nothing is changed in any mode; the module computes in check mode too.
  diff_mode:
    support: none
    description: There is nothing to diff; the M(kubernetes.core.k8s) task that applies the result shows the diff.
notes:
  - Pure computation on the host it runs on; it connects to nothing. Bad input fails with a message
    that starts with the field (prefixed with O(field_prefix)), before anything is changed.
options:
  field_prefix:
    description:
      - Put in front of option names in error messages. The roles pass their variable prefix, so
        errors name the variable you set (C(statefulset_replicas) rather than C(replicas)).
    type: str
    default: ""
"""
