# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""inventory/lab: the lab's hosts are the ones stateful.nfs.lab_hosts builds by default, and the literal
connection paths are that role's state directory."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(path):
    with open(os.path.join(REPO, path)) as stream:
        return yaml.safe_load(stream)


def test_lab_inventory_lists_the_role_default_hosts_with_their_addresses_and_groups():
    inventory = load("inventory/lab/hosts.yml")["all"]["children"]
    defaults = load("roles/lab_hosts/defaults/main.yml")["lab_hosts_list"]
    hosts = inventory["lab_hosts"]["hosts"]
    assert {name: host["ansible_host"] for name, host in hosts.items()} == {h["name"]: h["address"] for h in defaults}
    for host in defaults:
        member_of = sorted(group for group, body in inventory.items()
                           if group != "lab_hosts" and host["name"] in (body.get("hosts") or {}))
        assert member_of == sorted(host["groups"]), host["name"]


def test_lab_inventory_connection_paths_are_the_role_state_directory():
    state_dir = load("roles/lab_hosts/defaults/main.yml")["lab_hosts_state_dir"]
    assert load("inventory/lab/group_vars/all.yml")["lab_hosts_state_dir"] == state_dir
    connection = load("inventory/lab/hosts.yml")["all"]["children"]["lab_hosts"]["vars"]
    assert connection["ansible_ssh_private_key_file"] == state_dir + "/id_ed25519"
    assert "-o UserKnownHostsFile=%s/known_hosts -o StrictHostKeyChecking=yes" % state_dir in connection["ansible_ssh_common_args"]
    assert connection["ansible_user"] == "ansible" and connection["ansible_become"] is True
