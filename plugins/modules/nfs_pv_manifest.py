#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: nfs_pv_manifest
short_description: Render static NFS PersistentVolumes from export facts, and reclaim patches for Released ones
version_added: 0.1.0
description:
  - Pure validation and rendering, no cluster or NFS access. Returns PersistentVolume manifests for
    M(stateful.nfs.nfs_pv_apply) (or M(kubernetes.core.k8s)) to apply.
  - The volumes come from the C(nfs_server_exported) facts of the C(stateful.nfs.nfs_server) role
    (O(exports)) or from an explicit list (O(list)). Names follow O(name_prefix),
    O(name_digits) and O(index_start) (C(pv001), C(pv002), ...) unless an explicit entry names one.
  - Optionally pre-binds PV number I(N) to the claim C(<claim_template>-<statefulset>-<ordinal>)
    (O(pin)), so each ordinal always lands on the same export, whatever the sizes.
  - Given O(live_volumes), also returns JSON merge patches that make B(Released) volumes of the set
    bindable again (O(reclaim_mode)). Data on the export is never touched.
  - Given O(cluster_volumes), refuses a volume whose export a live PersistentVolume of another name
    already uses (another volume set, or a volume made by hand), since two applications would write one
    directory. O(allow_shared_exports=true) turns that into a warning.
  - Refuses, naming the field, bad names, quantities, access modes, mount options, labels, relative
    or non-normalised paths, two volumes on one export, duplicate names and the C(Recycle) policy
    (it scrubs the export).
author:
  - stateful.nfs maintainers (@stateful-nfs)
extends_documentation_fragment:
  - stateful.nfs.pure_plan
options:
  exports:
    description:
      - Export facts (C(nfs_server_exported)) with the keys C(name), C(path), C(pseudo), C(server),
        C(port), C(clients), C(options). The PV's C(nfs.path) is C(pseudo) when set (NFSv4 pseudo
        path), else C(path); a C(port) other than 2049 becomes a C(port=) mount option.
      - Mutually exclusive with O(list).
    type: list
    elements: dict
    default: []
  list:
    description:
      - Explicit volumes, each with C(server) and C(path) and optionally C(name), C(port),
        C(capacity), C(access_modes), C(reclaim_policy), C(storage_class_name), C(mount_options),
        C(labels), C(claim_ref) (C(namespace), C(name)); unset keys take the module-wide values.
    type: list
    elements: dict
    default: []
  name_prefix:
    description: Prefix of generated names.
    type: str
    default: pv
  name_digits:
    description: Digits of the zero-padded index in generated names.
    type: int
    default: 3
  index_start:
    description: Index of the first generated name.
    type: int
    default: 1
  capacities:
    description: Capacity per position (first export, second export, ...); positions beyond the list use O(capacity).
    type: list
    elements: str
    default: []
  capacity:
    description: Capacity of volumes without a positional or explicit one.
    type: str
    default: 1Gi
  access_modes:
    description: C(spec.accessModes).
    type: list
    elements: str
    default: [ReadWriteOnce]
  reclaim_policy:
    description:
      - C(spec.persistentVolumeReclaimPolicy). C(Recycle) is refused (it deletes the export's data).
    type: str
    default: Retain
  storage_class_name:
    description: C(spec.storageClassName); empty for static binding to claims without a class.
    type: str
    default: ""
  mount_options:
    description: C(spec.mountOptions), one option per item (for example C(nfsvers=4.1)).
    type: list
    elements: str
    default: []
  labels:
    description:
      - Extra labels. Every volume also gets C(app.kubernetes.io/managed-by=stateful.nfs),
        C(stateful.nfs/volume-set=<volume_set>) and, from export facts, C(stateful.nfs/export=<name>).
    type: dict
    default: {}
  volume_set:
    description: Value of the C(stateful.nfs/volume-set) label that groups these volumes (label value syntax).
    type: str
    default: default
  pin:
    description:
      - Pre-bind volumes to StatefulSet claims with C(claimRef). Keys C(statefulset),
        C(claim_template), C(namespace) (default C(default)), C(ordinal_start) (default 0);
        the volume at position I(i) is reserved for ordinal C(ordinal_start + i).
    type: dict
  live_volumes:
    description: The live PersistentVolumes of the set, for O(reclaim_mode).
    type: list
    elements: dict
    default: []
  cluster_volumes:
    description:
      - The live PersistentVolumes of the cluster, of every set (for example the C(resources) of
        M(kubernetes.core.k8s_info) with C(kind=PersistentVolume)); those without an C(nfs) source are
        left out.
      - A rendered volume whose export one of them of another name already uses is refused, naming
        both volumes and the export. A live volume of the same name is the volume itself, not a second one.
      - Exports are compared normalised, the path without C(//), C(.) components or trailing slashes,
        the server as a host name (case and a final dot do not count, IPv6 addresses in their
        canonical form; names are not resolved), and the port of a C(port=) mount option (default 2049).
    type: list
    elements: dict
    default: []
  allow_shared_exports:
    description:
      - Share an export with the volumes of O(cluster_volumes) on purpose (for example one directory
        that several applications mount C(ReadWriteMany)); a shared export is then a warning, not a refusal.
    type: bool
    default: false
  reclaim_mode:
    description:
      - How Released volumes in O(live_volumes) are made bindable again.
      - C(keep_claim_name) removes only C(claimRef.uid) and C(claimRef.resourceVersion); the volume
        becomes Available for a new claim with the same namespace and name, so ordinal I(N) gets
        its own data back.
      - C(release) removes the whole C(claimRef); any matching claim may take the volume.
    type: str
    choices: [keep_claim_name, release]
    default: keep_claim_name
  reclaim_names:
    description: Only reclaim these volumes (default all Released volumes of the set).
    type: list
    elements: str
    default: []
seealso:
  - module: stateful.nfs.nfs_pv_apply
  - module: kubernetes.core.k8s
  - module: stateful.nfs.statefulset_manifest
"""

EXAMPLES = r"""
- name: Render the tutorial's pv001..pv004 from the nfs_server facts
  stateful.nfs.nfs_pv_manifest:
    exports: "{{ hostvars[groups['nfs_servers'][0]].nfs_server_exported }}"
    capacities: [1Gi, 1Gi, 2Gi, 2Gi]
    mount_options: [nfsvers=4.1]
  register: pvs

- name: Create them (one list call, concurrent writes)
  stateful.nfs.nfs_pv_apply:
    volumes: "{{ pvs.volumes }}"
    sources: "{{ pvs.sources }}"
"""

RETURN = r"""
volumes:
  description: The PersistentVolume manifests, in order.
  returned: success
  type: list
  elements: dict
  sample: [{apiVersion: v1, kind: PersistentVolume, metadata: {name: pv001},
            spec: {capacity: {storage: 1Gi}, nfs: {server: 127.0.0.1, path: /nfs-data/v1}}}]
names:
  description: The names of the rendered volumes.
  returned: success
  type: list
  elements: str
  sample: [pv001, pv002, pv003, pv004]
sources:
  description:
    - The field each volume comes from, in the order of RV(volumes) (C(<field_prefix>exports[0]),
      C(<field_prefix>list[2]), ...); M(stateful.nfs.nfs_pv_apply) names them in its refusals.
  returned: success
  type: list
  elements: str
  sample: ["nfs_volumes_exports[0]", "nfs_volumes_exports[1]"]
label_selector:
  description: Label selector for the volumes of this set.
  returned: success
  type: str
  sample: stateful.nfs/volume-set=default
reclaim:
  description: JSON merge patches (C(merge_type=merge)) for the Released volumes in O(live_volumes).
  returned: success
  type: list
  elements: dict
  sample: [{apiVersion: v1, kind: PersistentVolume, metadata: {name: pv001},
            spec: {claimRef: {uid: null, resourceVersion: null}}}]
bound:
  description:
    - The volumes of the set in O(live_volumes) that are still Bound to a claim, as
      C(<volume> is Bound to <namespace>/<claim>). Deleting them would hang in Terminating
      (pv-protection) until the claim goes.
  returned: success
  type: list
  elements: str
  sample: [pv001 is Bound to default/myappdata-myapp-0]
shared_exports:
  description:
    - With O(allow_shared_exports=true), one line per rendered volume and live volume of
      O(cluster_volumes) on one export (also returned as warnings). Without it such a volume is refused.
  returned: success
  type: list
  elements: str
  sample: ["nfs_volumes_exports[0]: PersistentVolume shop-pv001 would use export 127.0.0.1:/nfs-data/v1, which
            PersistentVolume pv001 (volume set statefulset-nfs, Bound to default/myappdata-myapp-0) already uses;
            shared on purpose (nfs_volumes_allow_shared_exports=true): both write the same directory"]
"""
