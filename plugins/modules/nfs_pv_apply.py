#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nfs_pv_apply
short_description: Apply NFS PersistentVolumes concurrently, with one read, refusing an export another volume uses
version_added: 0.2.0
author:
  - stateful.nfs maintainers (@stateful-nfs)
description:
  - Creates or updates the PersistentVolumes that M(stateful.nfs.nfs_pv_manifest) rendered, with the
    semantics of M(kubernetes.core.k8s) and O(kubernetes.core.k8s#module:apply=true) (client-side apply, the
    C(kubectl.kubernetes.io/last-applied-configuration) annotation, a JSON merge patch) and through
    kubernetes.core's client, in one process.
  - Reads every live PersistentVolume with one list call. Before anything is written, a volume whose NFS
    export a live PersistentVolume of another name already uses is refused, naming its field (O(sources)),
    both volumes and the export, unless O(allow_shared_exports=true) (then a warning); the rule is
    M(stateful.nfs.nfs_pv_manifest)'s.
  - For each volume it decides from the listing what kubernetes.core's apply would do. A volume whose live
    object already holds every rendered field and whose last-applied annotation is the one the apply would
    write is left alone, without a call. The others are created or patched at most O(workers) at a time.
  - Each volume's result is kubernetes.core.k8s's (C(changed), C(method), C(result), C(diff) with C(--diff)),
    in the order of O(volumes). A failed call names the object and the API server's reason; the volumes not
    started yet after a failure are not sent.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - kubernetes.core.k8s_auth_options
options:
  volumes:
    description:
      - The PersistentVolume manifests (C(apiVersion) v1, C(kind) PersistentVolume, C(metadata.name)), for
        example the C(volumes) of M(stateful.nfs.nfs_pv_manifest).
    type: list
    elements: dict
    required: true
  sources:
    description:
      - The field each volume comes from, in the order of O(volumes) (the C(sources) of
        M(stateful.nfs.nfs_pv_manifest), such as C(nfs_volumes_exports[0])), to name it in a refusal.
      - Empty names them C(volumes[0]), C(volumes[1]), ...
    type: list
    elements: str
    default: []
  allow_shared_exports:
    description:
      - Share an export with a live PersistentVolume of another name on purpose (for example one directory
        that several applications mount C(ReadWriteMany)); a shared export is then a warning, not a refusal.
    type: bool
    default: false
  field_prefix:
    description:
      - Put in front of option names in messages (the role passes C(nfs_volumes_), so a refusal tells you to
        set C(nfs_volumes_allow_shared_exports)).
    type: str
    default: ""
  workers:
    description:
      - At most this many create or patch calls at a time.
      - kubernetes' client keeps 5 connections per CPU; more workers than that open and drop connections.
    type: int
    default: 8
attributes:
  action_group:
    description: Use C(group/stateful.nfs.k8s) in C(module_defaults) to set kubernetes.core's auth options
      (O(kubeconfig), O(context), O(host), ...) once for this module and kubernetes.core's C(k8s) group.
    support: full
    membership:
      - stateful.nfs.k8s
      - stateful.nfs.role_k8s
  platform:
    support: full
    platforms: posix
  check_mode:
    support: full
    details:
      - Reads and refuses as without check mode; every create and patch goes as a server-side dry run
        (C(dryRun=All)), so C(changed), C(result) and C(diff) say what would change and nothing is written.
  diff_mode:
    support: full
    details:
      - Each changed volume's C(diff) (C(before) and C(after) of the fields that differ) is in its entry of
        C(result.results), as M(kubernetes.core.k8s) puts it; the C(stateful.nfs.applied_changes) filter prints them.
notes:
  - The decision to skip a volume uses the listing, not a read just before the write; an object changed by
    someone else between the list call and the apply is patched from what the list showed, as kubectl and
    kubernetes.core do from their own read.
seealso:
  - module: stateful.nfs.nfs_pv_manifest
  - module: kubernetes.core.k8s
"""

EXAMPLES = r"""
- name: Render the volumes
  stateful.nfs.nfs_pv_manifest:
    exports: "{{ nfs_server_exported }}"
  register: plan

- name: Create or update them (one list call, concurrent writes)
  stateful.nfs.nfs_pv_apply:
    volumes: "{{ plan.volumes }}"
    sources: "{{ plan.sources }}"
    kubeconfig: /etc/kubernetes/admin.conf
  register: applied

- name: Show what changed (--diff)
  ansible.builtin.debug:
    msg: "{{ applied | stateful.nfs.applied_changes }}"
  when: ansible_diff_mode and applied is changed
"""

RETURN = r"""
result:
  description: The result of each volume, as M(kubernetes.core.k8s) returns it for several objects.
  returned: success, and on a failed apply
  type: dict
  contains:
    results:
      description:
        - One entry per volume of O(volumes), in order, with C(changed), C(method) (always C(apply)), C(result)
          (the object after the apply; in check mode, after the server-side dry run), C(diff) (with C(--diff))
          and C(warnings) (the API server's).
        - A volume whose call failed has an empty C(result) and C(error.msg) naming it and the API server's reason.
      type: list
      elements: dict
      sample: [{changed: true, method: apply, result: {apiVersion: v1, kind: PersistentVolume, metadata: {name: pv001}}}]
summary:
  description: How many volumes were created, patched, and left unchanged without a call.
  returned: success, and on a failed apply
  type: dict
  sample: {create: 4, patch: 0, unchanged: 0}
durations:
  description:
    - Seconds spent building the client, in the list call, deciding, in the create and patch calls, and
      building the per-volume results (C(report)).
  returned: success, and on a failed apply
  type: dict
  sample: {client: 0.05, list: 0.08, decide: 0.01, apply: 0.6, report: 0.02}
"""

import copy

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.core import AnsibleK8SModule
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.apply_set_runner import run_apply_set
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.volumes import pv_apply_plan

PV_APPLY_ARG_SPEC = {
    "volumes": {"type": "list", "elements": "dict", "required": True},
    "sources": {"type": "list", "elements": "str", "default": []},
    "allow_shared_exports": {"type": "bool", "default": False},
    "field_prefix": {"type": "str", "default": ""},
    "workers": {"type": "int", "default": 8},
}


def pv_apply_argument_spec():
    argument_spec = copy.deepcopy(AUTH_ARG_SPEC)
    argument_spec.update(copy.deepcopy(PV_APPLY_ARG_SPEC))
    return argument_spec


def main():
    module = AnsibleK8SModule(argument_spec=pv_apply_argument_spec(), supports_check_mode=True)
    try:
        volumes, check_live = pv_apply_plan(module.params)
        module.exit_json(**run_apply_set(module, volumes, "v1", "PersistentVolume", module.params["workers"],
                                         check_live=check_live))
    except CoreException as exc:
        module.fail_from_exception(exc)
    except PlanError as exc:  # bad input, named, before anything is read or written
        module.fail_json(msg=str(exc), changed=False)


if __name__ == "__main__":
    main()
