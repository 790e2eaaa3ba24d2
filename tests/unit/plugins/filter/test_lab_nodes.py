# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/filter/lab_nodes.py, and the lab role's defaults checked by it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from pathlib import Path

import ipaddress

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.stateful.nfs.plugins.filter.lab_nodes import (
    INTERNAL_IP_ANNOTATION,
    MAX_PODS_ANNOTATION,
    lab_node_problems,
    lab_nodes_to_replace,
    usable_addresses,
)

ROLE = Path(__file__).resolve().parents[4] / "roles" / "lab"
NODES = [dict(name="node1", internal_ip="127.0.0.11", pod_cidr="10.244.0.0/19"),
         dict(name="node2", internal_ip="127.0.0.12", pod_cidr="10.244.32.0/19")]


def test_the_role_defaults_have_no_problem():
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())
    dns_node = dict(defaults["lab_dns_node"], internal_ip=defaults["lab_bind_address"])
    assert lab_node_problems(defaults["lab_nodes"] + [dns_node], defaults["lab_pod_cidr"], defaults["lab_node_max_pods"]) == []
    # The API server connects to a node's InternalIP (its kubelet): loopback only.
    assert all(ipaddress.ip_address(n["internal_ip"]).is_loopback for n in defaults["lab_nodes"] + [dns_node])
    # The defaults admit the 5,000 pods the lab is tested with.
    assert len(defaults["lab_nodes"]) * defaults["lab_node_max_pods"] >= 5000


def test_the_kwok_stage_reads_the_annotation_the_nodes_carry():
    assert MAX_PODS_ANNOTATION in (ROLE / "templates" / "kwok.yaml.j2").read_text()
    assert MAX_PODS_ANNOTATION + ': "{{ lab_node_max_pods }}"' in (ROLE / "templates" / "cluster-objects.yaml.j2").read_text()


def test_the_old_default_is_refused_naming_the_field():
    """Two /24s for nodes admitting 1,100 pods each: KWOK spilled node1's pods into node2's range."""
    old = [dict(NODES[0], pod_cidr="10.244.1.0/24"), dict(NODES[1], pod_cidr="10.244.2.0/24")]
    problems = lab_node_problems(old, "10.244.0.0/16", 1100)
    assert len(problems) == 2
    assert problems[0].startswith("lab_nodes[0].pod_cidr: 10.244.1.0/24 holds 254 pod addresses, fewer than the 1100")
    assert "lab_node_max_pods" in problems[0]


@pytest.mark.parametrize("nodes,pod_cidr,max_pods,expected", [
    ([dict(NODES[0], pod_cidr="10.245.0.0/19")], "10.244.0.0/16", 10,
     "lab_nodes[0].pod_cidr: 10.245.0.0/19 is not inside lab_pod_cidr 10.244.0.0/16"),
    ([NODES[0], dict(NODES[1], pod_cidr="10.244.16.0/20")], "10.244.0.0/16", 10,
     "lab_nodes[1].pod_cidr: 10.244.16.0/20 overlaps lab_nodes[0].pod_cidr 10.244.0.0/19"),
    ([NODES[0], dict(NODES[1], name="node1")], "10.244.0.0/16", 10, "lab_nodes[1].name: 'node1' is also lab_nodes[0].name"),
    ([dict(NODES[0], internal_ip="node1")], "10.244.0.0/16", 10, "lab_nodes[0].internal_ip: 'node1' is not an IP address"),
    ([dict(NODES[0], pod_cidr="10.244.0.1/19")], "10.244.0.0/16", 10, "lab_nodes[0].pod_cidr: '10.244.0.1/19' is not a network"),
    ([dict(NODES[0], pod_cidr=None)], "10.244.0.0/16", 10, "lab_nodes[0].pod_cidr: None is not a network"),
    (NODES, "10.244.0.0/33", 10, "lab_pod_cidr: '10.244.0.0/33' is not a network"),
    (NODES, "10.244.0.0/16", 0, "lab_node_max_pods: must be at least 1, got 0"),
    (NODES, "10.244.0.0/16", "many", "lab_node_max_pods: must be a whole number, got 'many'"),
    (["node1"], "10.244.0.0/16", 10, "lab_nodes[0]: must be a mapping"),
])
def test_problems_name_the_variable_and_field(nodes, pod_cidr, max_pods, expected):
    problems = lab_node_problems(nodes, pod_cidr, max_pods)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_string_is_not_a_node_list():
    with pytest.raises(AnsibleFilterError, match="lab_nodes must be a list"):
        lab_node_problems("node1", "10.244.0.0/16", 10)


@pytest.mark.parametrize("cidr,count", [("10.0.0.0/24", 254), ("10.0.0.0/19", 8190), ("10.0.0.0/31", 2),
                                        ("10.0.0.0/32", 1), ("fd00::/120", 256)])
def test_usable_addresses(cidr, count):
    assert usable_addresses(ipaddress.ip_network(cidr)) == count


def node(name, cidr, max_pods="4096", plural=True, internal_ip=None):
    spec = {"podCIDR": cidr}
    if plural:
        spec["podCIDRs"] = [cidr]
    if internal_ip is None:
        internal_ip = dict((n["name"], n["internal_ip"]) for n in NODES).get(name)
    return {"metadata": {"name": name, "annotations": {MAX_PODS_ANNOTATION: max_pods, INTERNAL_IP_ANNOTATION: internal_ip}},
            "spec": spec}


def test_nodes_with_another_cidr_or_capacity_are_replaced():
    existing = [node("node1", "10.244.1.0/24", max_pods=None), node("node2", "10.244.32.0/19"),
                node("other", "10.244.9.0/24")]
    assert lab_nodes_to_replace(existing, NODES, 4096) == ["node1"]
    assert lab_nodes_to_replace(existing, NODES, 2048) == ["node1", "node2"]
    assert lab_nodes_to_replace([node("node2", "10.244.32.0/19", plural=False)], NODES, 4096) == []
    assert lab_nodes_to_replace([{"metadata": {"name": "node1"}, "spec": {}}], NODES, 4096) == ["node1"]
    assert lab_nodes_to_replace(None, NODES, 4096) == []
    # A node from before the kubelet endpoint: its InternalIP was 10.89.0.11, which the API server would connect to.
    assert lab_nodes_to_replace([node("node1", "10.244.0.0/19", internal_ip="10.89.0.11")], NODES, 4096) == ["node1"]
