# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``stateful.nfs.lab_node_problems`` and ``stateful.nfs.lab_nodes_to_replace`` filters
(documented in their .yml files): the rules for the lab's simulated nodes. Pure functions.

KWOK gives a pod an address from the pod CIDR of its node (its own pool per CIDR). A pool
does not stop at the end of its CIDR: the next address after a /24's last one is the first of
the next /24, another node's range. So a node's CIDR must hold every pod the node admits, and
the nodes' CIDRs must not overlap, or two live pods get one address.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

MAX_PODS_ANNOTATION = "lab.stateful.nfs/max-pods"
INTERNAL_IP_ANNOTATION = "lab.stateful.nfs/internal-ip"


def _network(text, where):
    try:
        return ipaddress.ip_network(to_text(text), strict=True), None
    except ValueError as exc:
        return None, "%s: %r is not a network address with a prefix length (%s)" % (where, text, exc)


def usable_addresses(network):
    """The pod addresses a CIDR holds: all but the network and broadcast addresses (IPv4)."""
    if network.version == 4 and network.prefixlen < 31:
        return network.num_addresses - 2
    return network.num_addresses


def lab_node_problems(nodes, pod_cidr, max_pods):
    """The problems of ``lab_nodes`` (a list of messages naming the variable and the field;
    empty when they are fine)."""
    if not isinstance(nodes, list):
        raise AnsibleFilterError("lab_node_problems: lab_nodes must be a list, got %r" % (nodes,))
    problems = []
    cluster, problem = _network(pod_cidr, "lab_pod_cidr")
    if problem:
        problems.append(problem)
    try:
        max_pods = int(max_pods)
    except (TypeError, ValueError):
        return problems + ["lab_node_max_pods: must be a whole number, got %r" % (max_pods,)]
    if max_pods < 1:
        problems.append("lab_node_max_pods: must be at least 1, got %d" % max_pods)
    seen_names, seen_networks = {}, []
    for index, node in enumerate(nodes):
        where = "lab_nodes[%d]" % index
        if not isinstance(node, dict):
            problems.append("%s: must be a mapping with name, internal_ip and pod_cidr, got %r" % (where, node))
            continue
        name = node.get("name")
        if name in seen_names:
            problems.append("%s.name: %r is also lab_nodes[%d].name" % (where, name, seen_names[name]))
        seen_names.setdefault(name, index)
        try:
            ipaddress.ip_address(to_text(node.get("internal_ip")))
        except ValueError:
            problems.append("%s.internal_ip: %r is not an IP address" % (where, node.get("internal_ip")))
        network, problem = _network(node.get("pod_cidr"), where + ".pod_cidr")
        if problem:
            problems.append(problem)
            continue
        if cluster is not None and (network.version != cluster.version or not network.subnet_of(cluster)):
            problems.append("%s.pod_cidr: %s is not inside lab_pod_cidr %s" % (where, network, cluster))
        if usable_addresses(network) < max_pods:
            problems.append("%s.pod_cidr: %s holds %d pod addresses, fewer than the %d pods a node admits "
                            "(lab_node_max_pods); KWOK would hand out addresses of the next range"
                            % (where, network, usable_addresses(network), max_pods))
        for other_index, other in seen_networks:
            if other.version == network.version and network.overlaps(other):
                problems.append("%s.pod_cidr: %s overlaps lab_nodes[%d].pod_cidr %s" % (where, network, other_index, other))
        seen_networks.append((index, network))
    return problems


def lab_nodes_to_replace(existing, nodes, max_pods):
    """The names of ``existing`` Node objects (as the API returns them) that ``lab_nodes`` describes
    with another pod CIDR, capacity or internal IP. A Node's pod CIDR cannot change, and KWOK sets
    the capacity and addresses only when it brings a node up, so such a node is recreated."""
    wanted = dict((node["name"], node) for node in nodes)
    replace = []
    for item in existing or []:
        name = (item.get("metadata") or {}).get("name")
        if name not in wanted:
            continue
        spec = item.get("spec") or {}
        annotations = (item.get("metadata") or {}).get("annotations") or {}
        cidrs = spec.get("podCIDRs") or ([spec["podCIDR"]] if spec.get("podCIDR") else [])
        if (cidrs != [wanted[name]["pod_cidr"]] or annotations.get(MAX_PODS_ANNOTATION) != str(max_pods)
                or annotations.get(INTERNAL_IP_ANNOTATION) != wanted[name].get("internal_ip")):
            replace.append(name)
    return replace


class FilterModule(object):
    def filters(self):
        return {"lab_node_problems": lab_node_problems, "lab_nodes_to_replace": lab_nodes_to_replace}
