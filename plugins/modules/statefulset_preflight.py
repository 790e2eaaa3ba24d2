#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: statefulset_preflight
short_description: Compare a rendered StatefulSet with the live objects before applying it
version_added: 0.1.0
description:
  - Pure comparison, no cluster access; the caller reads the live objects with
    M(kubernetes.core.k8s_info) and passes them in.
  - B(Immutable fields.) The API refuses changes to C(spec.selector), C(spec.serviceName),
    C(spec.volumeClaimTemplates) and C(spec.podManagementPolicy) of an existing StatefulSet, and
    to C(spec.clusterIP) of an existing Service. Such a change fails here, naming the field with
    its live and desired value, unless O(recreate=true); then the result says the StatefulSet
    (and, when needed, the Service) must be deleted with C(propagationPolicy=Orphan) and created
    again, which keeps the pods and the PersistentVolumeClaims.
  - B(Storage.) For statically bound claim templates (class C("") or a class no provisioner
    serves), the claims the desired replicas need are matched against the PersistentVolumes the
    way the PV binder does.
    A claim that would stay Pending (for example the fifth claim when only four PVs exist) is
    named with the reason, before anything is changed. O(storage_check) decides whether that
    fails, warns or is skipped.
author:
  - stateful.nfs maintainers (@stateful-nfs)
extends_documentation_fragment:
  - stateful.nfs.pure_plan
options:
  statefulset:
    description: The desired StatefulSet, as rendered by M(stateful.nfs.statefulset_manifest).
    type: dict
    required: true
  service:
    description: The desired headless Service.
    type: dict
    default: {}
  live_statefulset:
    description: The live StatefulSet (empty when it does not exist).
    type: dict
    default: {}
  live_service:
    description: The live Service (empty when it does not exist).
    type: dict
    default: {}
  persistent_volumes:
    description: The live PersistentVolumes (all of them, or those the claims may bind to).
    type: list
    elements: dict
    default: []
  claims:
    description: The live PersistentVolumeClaims in the StatefulSet's namespace.
    type: list
    elements: dict
    default: []
  storage_classes:
    description:
      - The live StorageClasses. A claim is checked when its class is C("") or a class no
        provisioner serves (no StorageClass of that name, or C(kubernetes.io/no-provisioner));
        an unset class means the default StorageClass, if any.
    type: list
    elements: dict
    default: []
  storage_check:
    description:
      - C(fail) refuses when a claim would stay Pending; C(warn) reports it and goes on (the
        rollout wait will then stop at that pod); C(skip) does not look.
    type: str
    choices: [fail, warn, skip]
    default: fail
  recreate:
    description:
      - Accept changes to immutable fields by re-creating the objects (StatefulSet deleted with
        C(propagationPolicy=Orphan), so pods and claims stay). Without it such changes fail.
    type: bool
    default: false
  live_namespace:
    description:
      - The live Namespace of the StatefulSet, empty (C({})) when it does not exist. Left out, the
        namespace is not checked (it is taken to exist).
      - An empty one fails unless O(create_namespace=true); then RV(apply) starts with the Namespace.
    type: dict
  create_namespace:
    description: Create the namespace when O(live_namespace) is empty, rather than failing.
    type: bool
    default: false
  check_mode:
    description:
      - The caller runs in check mode (pass C(ansible_check_mode)). The PersistentVolumes an earlier
        task would create do not exist then, so O(storage_check=fail) only warns.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait for the rollout; RV(wait_timeout) is what is left of it after the storage check.
    type: int
    default: 300
  wait_timeout_unbindable:
    description:
      - Seconds to wait instead when a claim cannot bind (O(storage_check=warn)). The rollout cannot
        complete then, so the wait only gives the ordinals before it time to come up.
    type: int
    default: 30
notes:
  - Existing claims keep their size when the claim templates change through a re-create; only
    new claims use the new template.
seealso:
  - module: stateful.nfs.statefulset_manifest
"""

EXAMPLES = r"""
- name: Refuse immutable changes and claims that would stay Pending
  stateful.nfs.statefulset_preflight:
    statefulset: "{{ manifest.statefulset }}"
    service: "{{ manifest.service }}"
    live_statefulset: "{{ live_sts.resources | first | default({}) }}"
    live_service: "{{ live_svc.resources | first | default({}) }}"
    persistent_volumes: "{{ live_pvs.resources }}"
    claims: "{{ live_pvcs.resources }}"
  register: preflight
"""

RETURN = r"""
immutable_changes:
  description: Changes the API would refuse, each with C(field), C(live), C(desired) and C(message).
  returned: always
  type: list
  elements: dict
  sample: [{field: statefulset.spec.serviceName, live: statefulset-headless, desired: other,
            message: "statefulset.spec.serviceName cannot be changed on an existing object (live 'statefulset-headless', desired 'other')"}]
recreate_statefulset:
  description: The StatefulSet must be deleted (orphaning pods and claims) and created again.
  returned: always
  type: bool
recreate_service:
  description: The Service must be deleted and created again (it is not headless).
  returned: always
  type: bool
unbindable_claims:
  description: Claims that no existing PersistentVolume can satisfy, each with C(claim), C(ordinal), C(reason).
  returned: always
  type: list
  elements: dict
  sample: [{claim: myappdata-myapp-4, ordinal: 4, reason: "claim default/myappdata-myapp-4 ... would stay Pending"}]
apply:
  description:
    - What the one M(kubernetes.core.k8s) apply call sends, in order - the Namespace when O(live_namespace)
      is empty, the Service (when O(service) is given) and the StatefulSet.
  returned: always
  type: list
  elements: dict
  sample: [{apiVersion: v1, kind: Service, metadata: {name: statefulset-headless}}, {apiVersion: apps/v1, kind: StatefulSet}]
dry_run_blocker:
  description:
    - Why check mode cannot dry-run the apply (an empty string when it can) - a namespace that does not
      exist yet holds no server-side dry run, and a re-create's delete is only simulated.
  returned: always
  type: str
  sample: namespace shop does not exist yet and would be created
wait_timeout:
  description:
    - Seconds to wait for the rollout - O(wait_timeout), or the smaller O(wait_timeout_unbindable) when
      RV(unbindable_claims) is not empty.
  returned: always
  type: int
  sample: 300
live_rollout_complete:
  description:
    - Whether the live StatefulSet's own status (O(live_statefulset), read before the apply) says its rollout is
      complete, as C(kubectl rollout status) reads it - the current generation observed, every replica Ready
      (and available), and every ordinal from the partition up updated. False when it does not exist.
    - The statefulset role skips its wait when this is true and the apply changed nothing.
  returned: always
  type: bool
  sample: true
"""
