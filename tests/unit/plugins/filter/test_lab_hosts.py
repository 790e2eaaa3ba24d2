# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.stateful.nfs.plugins.filter.lab_hosts import lab_hosts_from_inventory

HOSTVARS = {
    "nfs1": {"ansible_host": "198.51.100.33", "group_names": ["lab_hosts", "nfs_servers"]},
    "node1": {"ansible_host": "198.51.100.11", "group_names": ["k8s_nodes", "lab_hosts", "nfs_clients"]},
    "localhost": {"group_names": ["k8s_control"]},
}


def test_lab_hosts_from_inventory_gives_name_address_and_groups_without_the_lab_group():
    assert lab_hosts_from_inventory(["nfs1", "node1"], HOSTVARS) == [
        {"name": "nfs1", "address": "198.51.100.33", "groups": ["nfs_servers"]},
        {"name": "node1", "address": "198.51.100.11", "groups": ["k8s_nodes", "nfs_clients"]},
    ]
    assert lab_hosts_from_inventory([], HOSTVARS) == []


@pytest.mark.parametrize("names,message", [
    (["localhost"], "lab_hosts_from_inventory: localhost: ansible_host is not set"),
    (["node9"], "lab_hosts_from_inventory: node9 is not in the inventory"),
    ("nfs1", "lab_hosts_from_inventory: expected a list of inventory host names"),
])
def test_lab_hosts_from_inventory_refuses_what_it_cannot_build(names, message):
    with pytest.raises(AnsibleFilterError) as caught:
        lab_hosts_from_inventory(names, HOSTVARS)
    assert str(caught.value).startswith(message)
