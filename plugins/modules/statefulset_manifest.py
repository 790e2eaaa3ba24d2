#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: statefulset_manifest
short_description: Validate StatefulSet inputs and render the headless Service and StatefulSet
version_added: 0.1.0
description:
  - Pure validation and rendering, no cluster access. It checks every input the way the API
    server would (and a few ways it would not), refuses bad input with a message that names the
    field, and returns the two manifests for M(kubernetes.core.k8s) to apply in one call.
  - Refused, among others, are names that are not DNS-1123 labels, a selector that does not match
    the pod template labels, O(replicas) below zero, a Service that is not headless, a partition
    with the C(OnDelete) strategy, bad quantities, ports, labels, volume claim templates, volume
    mounts that name no volume, and pass-through keys that the module's own options or the
    StatefulSet controller set (see O(pod_spec_extra), O(container_extra), O(pod_labels) and the
    C(labels) of O(volume_claim_templates)); such a key would change the pod template, and so roll
    the pods, for a value that is replaced or overwritten anyway.
  - The M(stateful.nfs.statefulset_preflight) module compares the result with the live objects.
  - The C(stateful.nfs.statefulset) role calls this module as its first task.
author:
  - stateful.nfs maintainers (@stateful-nfs)
extends_documentation_fragment:
  - stateful.nfs.pure_plan
options:
  name:
    description: Name of the StatefulSet (a DNS-1123 label; pods are C(<name>-<ordinal>)).
    type: str
    required: true
  namespace:
    description: Namespace of the StatefulSet and the Service.
    type: str
    default: default
  labels:
    description: Labels put on the StatefulSet and the Service objects themselves.
    type: dict
    default: {}
  replicas:
    description: Desired number of pods (C(spec.replicas)); zero or more.
    type: int
    default: 1
  service_name:
    description: Name of the governing headless Service (C(spec.serviceName)).
    type: str
    required: true
  service_cluster_ip:
    description:
      - C(clusterIP) of the governing Service. It must be the string C(None) (headless); any other
        value is refused, because per-pod DNS names only exist behind a headless Service.
    type: str
    default: None
  service_type:
    description: Type of the governing Service; only C(ClusterIP) makes sense for a headless Service.
    type: str
    default: ClusterIP
  service_ports:
    description:
      - Ports of the headless Service, in the API's own format (C(name), C(port), C(targetPort),
        C(protocol)). Every port needs a C(name) when there is more than one.
    type: list
    elements: dict
    default: [{port: 80}]
  service_labels:
    description: Extra labels for the Service.
    type: dict
    default: {}
  service_annotations:
    description: Annotations for the Service.
    type: dict
    default: {}
  service_publish_not_ready_addresses:
    description: Publish DNS records for pods that are not Ready yet (C(publishNotReadyAddresses)).
    type: bool
    default: false
  selector_labels:
    description:
      - C(spec.selector.matchLabels); the Service selects the same labels. Must be contained in
        O(pod_labels).
    type: dict
    required: true
  selector_expressions:
    description: C(spec.selector.matchExpressions) (C(key), C(operator), C(values)).
    type: list
    elements: dict
    default: []
  pod_labels:
    description:
      - Labels of the pod template; the selector must match them.
      - The labels the StatefulSet controller sets on every pod (C(controller-revision-hash),
        C(statefulset.kubernetes.io/pod-name), C(apps.kubernetes.io/pod-index)) are refused.
    type: dict
    required: true
  pod_annotations:
    description: Annotations of the pod template.
    type: dict
    default: {}
  update_strategy:
    description: C(spec.updateStrategy.type).
    type: str
    choices: [RollingUpdate, OnDelete]
    default: RollingUpdate
  update_partition:
    description:
      - C(spec.updateStrategy.rollingUpdate.partition); pods with an ordinal at or above it are
        updated, the others keep the old revision. Only with O(update_strategy=RollingUpdate).
    type: int
    default: 0
  pod_management_policy:
    description: C(spec.podManagementPolicy); cannot be changed on an existing StatefulSet.
    type: str
    choices: [OrderedReady, Parallel]
    default: OrderedReady
  revision_history_limit:
    description: C(spec.revisionHistoryLimit).
    type: int
    default: 10
  min_ready_seconds:
    description: C(spec.minReadySeconds).
    type: int
    default: 0
  ordinals_start:
    description: C(spec.ordinals.start), the first ordinal; rendered only when not zero.
    type: int
    default: 0
  pvc_retention_when_deleted:
    description: C(spec.persistentVolumeClaimRetentionPolicy.whenDeleted).
    type: str
    choices: [Retain, Delete]
    default: Retain
  pvc_retention_when_scaled:
    description: C(spec.persistentVolumeClaimRetentionPolicy.whenScaled).
    type: str
    choices: [Retain, Delete]
    default: Retain
  container_name:
    description: Name of the main container; defaults to O(name).
    type: str
  image:
    description: Image of the main container.
    type: str
    required: true
  image_pull_policy:
    description: C(imagePullPolicy) of the main container (C(Always), C(IfNotPresent) or C(Never)); left to the API default when unset.
    type: str
  command:
    description: C(command) of the main container.
    type: list
    elements: str
    default: []
  args:
    description: C(args) of the main container.
    type: list
    elements: str
    default: []
  container_ports:
    description: C(ports) of the main container, in the API's format (C(containerPort), C(name), C(protocol)).
    type: list
    elements: dict
    default: []
  env:
    description: C(env) of the main container, in the API's format (C(name) with C(value) or C(valueFrom)).
    type: list
    elements: dict
    default: []
  env_from:
    description: C(envFrom) of the main container, in the API's format.
    type: list
    elements: dict
    default: []
  resources:
    description: C(resources) of the main container (C(requests), C(limits)); quantities are checked.
    type: dict
    default: {}
  liveness_probe:
    description: C(livenessProbe) of the main container, passed through.
    type: dict
    default: {}
  readiness_probe:
    description: C(readinessProbe) of the main container, passed through.
    type: dict
    default: {}
  startup_probe:
    description: C(startupProbe) of the main container, passed through.
    type: dict
    default: {}
  container_security_context:
    description: C(securityContext) of the main container, passed through.
    type: dict
    default: {}
  container_extra:
    description:
      - Further fields merged into the main container (for example C(lifecycle), C(workingDir)).
      - The fields this module renders from its own options are refused, naming the option - C(name)
        (O(container_name)), C(image), C(imagePullPolicy), C(command), C(args), C(ports) (O(container_ports)),
        C(env), C(envFrom), C(resources), C(livenessProbe), C(readinessProbe), C(startupProbe),
        C(securityContext) (O(container_security_context)) and C(volumeMounts) (O(volume_mounts) and the
        C(mount_path) of O(volume_claim_templates)).
    type: dict
    default: {}
  extra_containers:
    description: Further containers (sidecars), in the API's format; each needs a unique C(name) and an C(image).
    type: list
    elements: dict
    default: []
  pod_security_context:
    description: C(securityContext) of the pod, for example C(fsGroup).
    type: dict
    default: {}
  pod_spec_extra:
    description:
      - Further pod spec fields merged in (C(nodeSelector), C(tolerations), C(affinity),
        C(terminationGracePeriodSeconds), C(initContainers), C(volumes), ...).
      - Refused, naming the option that owns them - C(containers) (O(extra_containers) and the main
        container's options) and C(securityContext) (O(pod_security_context)), which this module renders;
        C(subdomain) (O(service_name)) and C(hostname) (the pod name), which the StatefulSet controller
        sets on every pod; and a C(volumes) entry named like a claim template of O(volume_claim_templates),
        which the controller replaces with the pod's claim.
    type: dict
    default: {}
  volume_mounts:
    description:
      - Extra C(volumeMounts) of the main container (API format), for volumes in
        C(volumes) of O(pod_spec_extra). Mounts of the claim templates come from their C(mount_path).
    type: list
    elements: dict
    default: []
  volume_claim_templates:
    description:
      - C(spec.volumeClaimTemplates), one entry per claim every pod gets, as C(<name>-<statefulset>-<ordinal>).
      - Keys are C(name) (required, DNS-1123 label), C(mount_path) (mounted into the main container),
        C(storage) (default C(1Gi)), C(access_modes) (default C([ReadWriteOnce])),
        C(storage_class_name) (default C("") for static binding to pre-created PersistentVolumes;
        null leaves it unset so a default StorageClass applies), C(labels), C(annotations),
        C(volume_mode), C(selector) (match labels on PersistentVolumes), C(sub_path), C(read_only).
      - The StatefulSet controller sets the selector's O(selector_labels) on every claim, so a C(labels)
        key of the selector with another value is refused.
      - Cannot be changed on an existing StatefulSet.
    type: list
    elements: dict
    default: []
  wait_timeout:
    description:
      - Seconds the caller will wait for the rollout. Only checked here (a positive number), so that a
        bad value is refused with the other inputs, before anything is read or changed;
        M(stateful.nfs.statefulset_preflight) decides the wait.
    type: int
    default: 300
  wait_timeout_unbindable:
    description:
      - Seconds the caller will wait when claims cannot bind (see M(stateful.nfs.statefulset_preflight)).
        Only checked here (a positive number).
    type: int
    default: 30
seealso:
  - module: stateful.nfs.statefulset_preflight
  - module: kubernetes.core.k8s
"""

EXAMPLES = r"""
- name: Render the tutorial's headless Service and StatefulSet
  stateful.nfs.statefulset_manifest:
    name: myapp
    service_name: statefulset-headless
    replicas: 3
    selector_labels: {app: myapp-pod}
    pod_labels: {app: myapp-pod}
    image: registry.lab.invalid/k8s/my_nginx:v1
    volume_claim_templates:
      - name: myappdata
        mount_path: /usr/share/nginx/html
        storage: 1Gi
  register: manifest

- name: Apply both in one call
  kubernetes.core.k8s:
    apply: true
    definition: "{{ [manifest.service, manifest.statefulset] }}"
"""

RETURN = r"""
service:
  description: The headless Service manifest.
  returned: success
  type: dict
  sample: {apiVersion: v1, kind: Service, metadata: {name: statefulset-headless, namespace: default},
           spec: {clusterIP: None, selector: {app: myapp-pod}, ports: [{port: 80}]}}
statefulset:
  description: The StatefulSet manifest.
  returned: success
  type: dict
  sample: {apiVersion: apps/v1, kind: StatefulSet, metadata: {name: myapp, namespace: default}}
label_selectors:
  description: The selector's C(matchLabels) as C(key=value) strings (for M(kubernetes.core.k8s_info)).
  returned: success
  type: list
  elements: str
  sample: [app=myapp-pod]
claim_pattern:
  description: Regular expression matching the names of all claims the templates produce, any ordinal (null without templates).
  returned: success
  type: str
  sample: ^(myappdata)-myapp-(0|[1-9][0-9]*)$
claims:
  description: The claim each ordinal gets from each volume claim template, in ordinal order.
  returned: success
  type: list
  elements: dict
  sample: [{ordinal: 0, template: myappdata, claim: myappdata-myapp-0}]
"""
