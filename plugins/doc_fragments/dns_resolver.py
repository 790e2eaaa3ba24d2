# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options of the DNS resolver that checks cluster DNS records (argument spec:
``DNS_RESOLVER_ARG_SPEC`` in ``plugins/module_utils/validator/options.py``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  dns_transport:
    description:
      - How the DNS questions reach the cluster DNS.
      - V(api) asks a cluster DNS pod through the Kubernetes API server, the one address a pipeline runner
        outside the cluster can reach. The module lists the pods of O(dns_pod_namespace) that match
        O(dns_pod_label_selectors), picks a Running and Ready one (the first by name), opens a port-forward
        to its port O(dns_pod_port) (the C(pods/portforward) subresource, with the credentials of the
        kubernetes.core auth options) and asks DNS over TCP on that stream, pipelined, with a timeout per
        question and one retry. It needs C(list) on pods and C(get) and C(create) on C(pods/portforward) in
        O(dns_pod_namespace), besides what the checks read.
      - V(direct) asks O(dns_server):O(dns_port) from the host the module runs on, over UDP with a fallback
        to TCP for truncated answers.
      - V(auto) is V(direct) when O(dns_server) is set and V(api) when it is not.
      - Either way the checks, the answers and the report are the same; the result's C(checks.dns.transport)
        and C(checks.dns.server) say which path answered, and C(checks.dns.dns_pod) which pod.
    type: str
    choices: [auto, api, direct]
    default: auto
  dns_server:
    description:
      - Address of a DNS server the host the module runs on can reach (the cluster DNS Service address,
        or the stateful.nfs lab's CoreDNS at C(127.0.0.1)). Setting it chooses O(dns_transport=direct)
        unless O(dns_transport) says otherwise.
      - Queries go to this server only; the resolver configuration of the host is not used.
      - Required with O(dns_transport=direct); refused with O(dns_transport=api).
      - It has no default. Unset (and with O(dns_transport=auto)), the cluster DNS is asked through the API
        server. It used to default to C(127.0.0.1), the lab's address, which is wrong on every other cluster.
    type: str
  dns_port:
    description:
      - Port of O(dns_server), UDP with a fallback to TCP for truncated answers.
      - The stateful.nfs lab serves cluster DNS on port C(10053).
    type: int
    default: 53
  dns_timeout:
    description:
      - Seconds to wait for each answer. A query that gets no answer is tried once more, then
        reported as a timeout.
    type: float
    default: 2.0
  dns_pod_namespace:
    description:
      - With O(dns_transport=api), the namespace of the cluster DNS pods.
    type: str
    default: kube-system
  dns_pod_label_selectors:
    description:
      - With O(dns_transport=api), the label selectors that find the cluster DNS pods, as
        kubernetes.core's C(label_selectors) takes them (C(key=value), C(key!=value), C(key), C(!key),
        C(key in (a,b)), C(key notin (a,b)); all must match).
      - CoreDNS and kube-dns pods carry C(k8s-app=kube-dns) in kubeadm, kind, k3s and most managed clusters.
    type: list
    elements: str
    default: [k8s-app=kube-dns]
  dns_pod_port:
    description:
      - With O(dns_transport=api), the port of the DNS pod that serves DNS over TCP (the container port,
        not the Service port).
    type: int
    default: 53
  cluster_domain:
    description:
      - The cluster DNS domain, the last part of C(<pod>.<service>.<namespace>.svc.<cluster_domain>).
    type: str
    default: cluster.local
"""
