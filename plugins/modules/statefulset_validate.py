#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: statefulset_validate
short_description: Prove a StatefulSet's ordered rollout, claim binding and per-pod DNS
version_added: 0.1.0
author:
  - stateful.nfs maintainers (@stateful-nfs)
description:
  - Validates a StatefulSet the way the StatefulSet tutorial checks it by eye, and returns a verdict
    a playbook, a Molecule verify step or a CI pipeline can trust.
  - B(order) - with C(podManagementPolicy=OrderedReady), pod N is created only after pods
    C(ordinals.start)..N-1 are Ready (and available for C(minReadySeconds)); a scale-down deletes the
    highest ordinal first, one at a time; a rolling update goes from the highest ordinal down and stops
    at the partition. C(Parallel) StatefulSets are reported as C(unordered), by design, not as a violation.
    A rollout stuck at a pod that is not Ready is reported as C(halted) at that ordinal. A pod the controller
    did not create (an orphan with the StatefulSet's labels and name, which it adopts) is a violation that
    names the pod and the evidence, because its place in the rollout order is not the controller's.
  - B(completion) - the rollout is complete, computed from the pods for C(RollingUpdate) with and without
    partition, C(OnDelete), C(minReadySeconds) and C(ordinals.start); otherwise the reason names the pod,
    the condition and the revision. With O(wait=true) the module follows watch events and answers as soon
    as the last pod is ready, not after a poll interval.
  - B(storage) - each pod's claim C(<template>-<statefulset>-<ordinal>) exists, is mounted by the pod, is
    Bound (to the pinned PersistentVolume when O(expected_volumes) says so) with a capacity of at least the
    request and the access modes of the template; a Pending claim is reported with the binder's reason.
  - B(dns) - for every pod, C(A)/C(AAAA) of C(<pod>.<service>.<namespace>.svc.<cluster_domain>) is the pod
    IP (that name is also the search-path form of the short name C(<pod>.<service>) a pod of the namespace
    asks, and each pod's record says so), the C(PTR) of the pod IP is that name and nothing else, C(SRV)
    records of named Service ports list the pods; NotReady gaps are reported (aware of
    C(publishNotReadyAddresses)); the Service is headless and selects the pods. Queries go concurrently, with
    timeouts and one retry, either through the API server (O(dns_transport=api), the default when
    O(dns_server) is not set) as DNS over TCP pipelined on one port-forward to a Running and Ready cluster DNS
    pod, or (O(dns_transport=direct)) pipelined on one UDP socket to O(dns_server):O(dns_port).
  - B(mode=audit) judges an existing StatefulSet from pod creation timestamps, Ready transition times,
    controller events and revision labels. An order that whole seconds show inverted is a violation; only
    orderings within the same second are C(undecided). What the evidence cannot show (events expire after an
    hour) is listed in the order check's C(unchecked) and said in its summary, never passed as checked.
    B(mode=watch) watches pods and the StatefulSet while a rollout, scale or update happens and records
    every pod ADDED, Ready and DELETED event with its time.
  - Never changes anything in the cluster (C(changed) is always false). Optionally writes a JUnit XML
    report and an SVG timeline.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - kubernetes.core.k8s_auth_options
  - stateful.nfs.dns_resolver
options:
  name:
    description:
      - Name of the StatefulSet.
    type: str
    required: true
  namespace:
    description:
      - Namespace of the StatefulSet.
    type: str
    default: default
  checks:
    description:
      - The checks to run.
    type: list
    elements: str
    choices: [order, completion, storage, dns]
    default: [order, completion, storage, dns]
  mode:
    description:
      - V(audit) judges the StatefulSet as it is now (from timestamps, events and revisions). Server timestamps
        have whole seconds. A pod created a whole second or more before a lower pod became Ready is a violation;
        a creation in the same second as the lower pod's Ready transition is counted as undecided, not failed.
      - V(watch) watches pods and the StatefulSet, starting before or during a change, until the rollout is
        complete after a change has been seen, or for O(watch_timeout) seconds; every rule is then checked
        in the exact order the API server reported the events.
    type: str
    choices: [audit, watch]
    default: audit
  wait:
    description:
      - Before judging, wait until the rollout is complete or O(wait_timeout) passes. Driven by watch events
        (and by the clock only for C(minReadySeconds)), so it returns as soon as the last pod is ready.
      - Ignored in check mode, where nothing is waited for.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true). When they pass, the completion check fails with the reason.
    type: int
    default: 300
  watch_timeout:
    description:
      - The longest time in seconds that O(mode=watch) records events.
    type: int
    default: 300
  expected_volumes:
    description:
      - PersistentVolumes the claims must be bound to, for pinned (static) volumes.
      - A mapping of pod ordinal to PersistentVolume name when the StatefulSet has one volumeClaimTemplate,
        or of pod ordinal to a mapping of template name to PersistentVolume name.
    type: dict
  junit_path:
    description:
      - Write a JUnit XML report here, one test suite per check and one test case per pod (plus one for the
        StatefulSet itself). Not written in check mode.
      - A suite's time is its check's measured duration (its own reads, DNS questions, wait or watch, and
        evaluation), shared equally by its test cases; the report's time is the whole run's.
    type: path
  svg_path:
    description:
      - Write an SVG timeline here, one row per ordinal with created, Ready and deleted times. Not written in
        check mode.
      - The time axis covers the rollout (first creation to last Ready), broken over quiet gaps so that a later
        scale-down or update has a window of its own; a caption says how long after the last event the report
        was written.
    type: path
  fail_on_violation:
    description:
      - Fail the task, with the first violation in C(msg), when any check finds a violation. With V(false)
        the result only says RV(valid=false).
    type: bool
    default: true
  pod_details:
    description:
      - V(all) returns an entry for every pod in RV(pods), RV(storage), RV(dns) and RV(events).
      - V(problems) keeps in those lists only the entries of the pods a violation names, so a valid
        StatefulSet returns them empty. RV(checks), RV(violations) and RV(completion) are the same either
        way, and so are the report files (O(junit_path), O(svg_path)), which always have every pod.
      - For large StatefulSets. At 1,000 pods the full result is about 1.4 MB, which Ansible copies, sends
        to the controller and keeps with the task's result (and AWX stores with the job's events).
    type: str
    choices: [all, problems]
    default: all
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
      - Only reads. In check mode it neither waits nor watches nor writes report files, and a StatefulSet
        that does not exist yet (because an earlier task only pretended to create it) is not a failure.
  diff_mode:
    support: none
notes:
  - Audit mode reads the controller's events, which the API server keeps for an hour (after their last write);
    older deletions are not judged, and whether the controller created a pod older than the oldest event kept
    is not checked. The order check's C(unchecked) and summary say so; its C(basis) says what each part of the
    verdict rests on.
  - A pod that lost and regained readiness without a container restart (a failing readiness probe, a node that
    went NotReady) looks to audit mode like a pod that became Ready late, and a higher pod created before that
    is reported as a violation with both times. Watch mode sees the real order.
  - Pods adopted by a StatefulSet re-created with C(--cascade=orphan) are reported as not created by its
    controller until it replaces them (for example C(kubectl rollout restart)).
  - Deletions made by someone other than the StatefulSet controller (for example C(kubectl delete pod)) are
    not judged by the order rules; the controller's SuccessfulDelete events tell them apart.
  - The permissions it needs are listed in C(docs/statefulset_validate.md) of the collection, with a Role and
    ClusterRole manifest in C(docs/rbac/statefulset-validate.yml). O(dns_transport=api) adds C(list) on pods and
    C(get) and C(create) on C(pods/portforward) in O(dns_pod_namespace).
  - O(dns_transport=api) cannot be combined with kubernetes.core's O(impersonate_user) or O(impersonate_groups).
    The kubernetes client's websocket, which carries the port-forward, sends only the credentials, so the module
    fails rather than port-forward as the authenticated user.
seealso:
  - module: kubernetes.core.k8s_info
  - module: kubernetes.core.k8s
requirements:
  - kubernetes >= 24.2.0
"""

EXAMPLES = r"""
- name: Judge the tutorial's StatefulSet, pinned to the four NFS volumes
  stateful.nfs.statefulset_validate:
    name: myapp
    namespace: default
    expected_volumes:
      0: pv001
      1: pv002
      2: pv003
    dns_server: 127.0.0.1
    dns_port: 10053
    junit_path: "{{ playbook_dir }}/reports/myapp.junit.xml"
    svg_path: "{{ playbook_dir }}/reports/myapp.svg"

- name: From a pipeline runner outside the cluster - ask the cluster DNS through the API server
  stateful.nfs.statefulset_validate:
    name: web
    namespace: shop
    checks: [dns]
    # dns_server unset: a port-forward to a Running and Ready pod of kube-system labelled k8s-app=kube-dns
    dns_pod_namespace: kube-system
    dns_pod_label_selectors: [k8s-app=kube-dns]
  register: dns_verdict

- name: Which pod answered
  ansible.builtin.debug:
    msg: "{{ dns_verdict.checks.dns.server }}"

- name: Wait for a rollout (partition and minReadySeconds aware), nothing else
  stateful.nfs.statefulset_validate:
    name: web
    namespace: shop
    checks: [completion]
    wait: true
    wait_timeout: 120

- name: Record a scale-down and prove its order (start before the change)
  stateful.nfs.statefulset_validate:
    name: web
    namespace: shop
    mode: watch
    watch_timeout: 120
    checks: [order, completion]
  async: 150
  poll: 0
  register: watcher

- name: Report violations without failing
  stateful.nfs.statefulset_validate:
    name: web
    fail_on_violation: false
  register: verdict

- name: Show the first violation
  ansible.builtin.debug:
    msg: "{{ verdict.violations[0].message }}"
  when: not verdict.valid

- name: Cluster access once for the validator and kubernetes.core's k8s modules
  module_defaults:
    group/stateful.nfs.k8s:
      kubeconfig: ~/.kube/prod.kubeconfig
      context: prod
  block:
    - name: Scale the StatefulSet
      kubernetes.core.k8s_scale:
        kind: StatefulSet
        name: web
        namespace: shop
        replicas: 5

    - name: Wait for the scale-up
      stateful.nfs.statefulset_validate:
        name: web
        namespace: shop
        checks: [completion]
        wait: true
"""

RETURN = r"""
valid:
  description: Whether every selected check passed (no violations).
  returned: always
  type: bool
  sample: true
checks:
  description:
    - Per check (order, completion, storage, dns) its C(status) (passed, failed, halted, unordered or
      skipped), a one-sentence C(summary), C(selected), and details of the check.
    - The order check adds C(policy), C(evidence) (audit or watch), C(halted_at) (ordinal, pod, reason and the
      higher ordinals that exist), C(decided) and C(undecided) pair counts (undecided - a creation in the same
      whole second as a lower pod's Ready transition - only in audit mode), C(adopted) (the pods the controller
      did not create, each also a violation), C(unchecked) (sentences naming what the evidence could not show),
      C(basis) (what each part of the verdict rests on) and C(notes).
    - The dns check adds C(transport) (V(api) or V(direct)), C(server) (where the answers came from, as its
      messages say it, for example C(kube-system/coredns-7db6d8ff4d-x2m4q:53 (port-forward through the API
      server)) or C(127.0.0.1:10053)), C(dns_pod) (with V(api) the C(namespace), C(name) and C(port) of the DNS
      pod asked, the C(label_selector) that found it and how many port-forward C(streams) were opened; null with
      V(direct)), C(queries), C(srv), C(service) and C(unchecked) (sentences naming a name that lists every pod
      (the headless Service's own A/AAAA record, an SRV name) whose answer does not fit in one DNS message even
      over TCP (more than about 4,090 pods). No client can get that whole list, so it is not compared with the
      pods (each pod's own name still is), and the summary says so).
    - The order status is V(passed) when there is no violation and the rollout is not halted. Its summary says
      V(pods were created, deleted and updated in order) only when nothing was undecided or unchecked; otherwise
      it says V(no order violation in the audit evidence) followed by what was undecided and what was not
      checked. When no events are left, for example, it says that which pods the controller created and the
      deletion order were not checked, and that the creation order rests on pod timestamps only.
  returned: always
  type: dict
  sample:
    order:
      status: passed
      policy: OrderedReady
      evidence: watch
      summary: "StatefulSet myapp: pods were created, deleted and updated in order (watch evidence)"
      adopted: []
      unchecked: []
    completion: {status: passed, summary: "StatefulSet myapp: rollout complete: 3 pods Ready at revision myapp-5d8f7b9c4"}
violations:
  description: Every violation found, each with the check, the pod (or null for the StatefulSet) and a sentence.
  returned: always
  type: list
  elements: dict
  sample:
    - check: storage
      pod: myapp-2
      message: "claim myappdata-myapp-2 of myapp-2 is bound to pv004, expected pv003"
pods:
  description:
    - The pod timeline, one entry per pod incarnation; times are UTC RFC 3339 (whole seconds in audit mode,
      milliseconds of arrival in watch mode) or null.
    - With O(pod_details=problems) only the pods a violation names.
  returned: always
  type: list
  elements: dict
  sample:
    - {ordinal: 0, name: myapp-0, uid: 0b8e3f0e-1d5a-4d77-9a51-1c3f5f1c2a10, created: "2026-11-27T07:10:01.000Z",
       ready: "2026-11-27T07:10:02.000Z", terminating: null, deleted: null, revision: myapp-5d8f7b9c4,
       ip: 10.244.1.5, node: node1, source: pod}
storage:
  description:
    - Per pod and volumeClaimTemplate, the claim, its phase, volume, capacity, request, access modes and the binder's reason when not Bound.
    - With O(pod_details=problems) only the pods a violation names.
  returned: always
  type: list
  elements: dict
  sample:
    - {ordinal: 0, pod: myapp-0, template: myappdata, claim: myappdata-myapp-0, phase: Bound, volume: pv001,
       expected_volume: pv001, capacity: 1Gi, request: 1Gi, access_modes: [ReadWriteOnce], storage_class: "", reason: null}
dns:
  description:
    - Per pod, its name, IP, whether DNS should publish it, and the A/AAAA and PTR answers (rcode and values).
    - C(search) is the short name C(<pod>.<service>) in its search-path form, the name a pod of the same
      namespace asks (the first domain of its search list appended); it is the A/AAAA question, so it has the
      same answer.
    - With O(pod_details=problems) only the pods a violation names.
  returned: always
  type: list
  elements: dict
  sample:
    - pod: myapp-0
      fqdn: myapp-0.statefulset-headless.default.svc.cluster.local
      ip: 10.244.1.5
      published: true
      a: {query: myapp-0.statefulset-headless.default.svc.cluster.local, type: A, rcode: NOERROR, values: [10.244.1.5]}
      ptr: {query: 5.1.244.10.in-addr.arpa, type: PTR, rcode: NOERROR, values: [myapp-0.statefulset-headless.default.svc.cluster.local]}
      search: {name: myapp-0.statefulset-headless, form: search path, search_domain: default.svc.cluster.local,
               query: myapp-0.statefulset-headless.default.svc.cluster.local, type: A, rcode: NOERROR, values: [10.244.1.5]}
completion:
  description:
    - The rollout verdict, C(complete) and C(reason), with every C(pending) condition, the C(outdated) pods
      (OnDelete, below a partition) and the seconds C(waited).
  returned: when the completion check is selected
  type: dict
  sample: {complete: false, reason: "myapp-1 is not Ready: phase Running; Ready=False (ContainersNotReady)", pending: [], outdated: [], waited: 30.0}
events:
  description:
    - In watch mode, the pod events seen (ADDED, READY, NOT_READY, TERMINATING, DELETED) with their time of arrival.
    - With O(pod_details=problems) only the events of the pods a violation names.
  returned: always (empty in audit mode)
  type: list
  elements: dict
  sample:
    - {time: "2026-11-27T07:10:01.412Z", seq: 7, event: READY, pod: myapp-0, ordinal: 0}
watch:
  description: In watch mode, when recording started and ended, how many records were seen, and why it stopped (complete or watch_timeout).
  returned: in watch mode
  type: dict
  sample: {started: "2026-11-27T07:10:00.101Z", ended: "2026-11-27T07:10:05.833Z", records: 21, stopped: complete}
junit_path:
  description: Where the JUnit XML report was written, or null.
  returned: always
  type: str
  sample: /tmp/reports/myapp.junit.xml
svg_path:
  description: Where the SVG timeline was written, or null.
  returned: always
  type: str
  sample: /tmp/reports/myapp.svg
"""

import copy

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.core import AnsibleK8SModule
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.stateful.nfs.plugins.module_utils.common.arguments import fail_on_strings_for_lists
from ansible_collections.stateful.nfs.plugins.module_utils.validator.options import VALIDATE_ARG_SPEC
from ansible_collections.stateful.nfs.plugins.module_utils.validator.runner import run_module


def argspec():
    argument_spec = copy.deepcopy(AUTH_ARG_SPEC)
    argument_spec.update(copy.deepcopy(VALIDATE_ARG_SPEC))
    return argument_spec


def main():
    argument_spec = argspec()
    fail_on_strings_for_lists(argument_spec)
    module = AnsibleK8SModule(argument_spec=argument_spec, supports_check_mode=True)
    try:
        run_module(module)
    except CoreException as exc:
        module.fail_from_exception(exc)


if __name__ == "__main__":
    main()
