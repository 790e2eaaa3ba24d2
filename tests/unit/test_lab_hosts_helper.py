# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure rules of the lab_hosts role's helper (roles/lab_hosts/files/lab_hosts.py): host list checks,
the root's cache key and /etc/hosts. The I/O is covered by tests/integration/test_lab_hosts.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import os

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SPEC = importlib.util.spec_from_file_location("lab_hosts_helper", os.path.join(REPO, "roles", "lab_hosts", "files", "lab_hosts.py"))
helper = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(helper)

GOOD = [{"name": "nfs1", "address": "198.51.100.33"}, {"name": "node1", "address": "198.51.100.11"}]


def test_lab_hosts_accepts_the_default_topology():
    helper.check_hosts(GOOD, "snfs-", "198.51.100.1")


@pytest.mark.parametrize("hosts,gateway,message", [
    ([{"name": "n", "address": "203.0.113.10"}], "198.51.100.1", "lab_hosts_list: n: 203.0.113.10 is not a host address of 198.51.100.0/24"),
    ([{"name": "n", "address": "198.51.100.255"}], "198.51.100.1", "lab_hosts_list: n: 198.51.100.255 is not a host address of 198.51.100.0/24"),
    ([{"name": "n", "address": "10.0.0.1"}], "198.51.100.1", "lab_hosts_list: n: 10.0.0.1 is not a host address"),
    ([{"name": "n", "address": "node"}], "198.51.100.1", "lab_hosts_list: n: 'node' is not an IP address"),
    (GOOD, "10.0.0.1", "lab_hosts_bridge_address: 10.0.0.1 is not in 198.51.100.0/24"),
    ([], "198.51.100.1", "lab_hosts_list: no hosts"),
    ([{"name": "Node1", "address": "198.51.100.11"}], "198.51.100.1", "lab_hosts_list: host name 'Node1' is not a lower-case name"),
    ([{"name": "a-very-long-name", "address": "198.51.100.11"}], "198.51.100.1", "snfs-a-very-long-name is longer than 15 characters"),
    (GOOD + [{"name": "node1", "address": "198.51.100.12"}], "198.51.100.1", "lab_hosts_list: host name node1 is listed twice"),
    (GOOD + [{"name": "node2", "address": "198.51.100.11"}], "198.51.100.1", "lab_hosts_list: node2: address 198.51.100.11 is used twice"),
    ([{"name": "n", "address": "198.51.100.1"}], "198.51.100.1", "lab_hosts_list: n: address 198.51.100.1 is used twice"),
    # the default gateway is an address no host holds: a host there would answer for it
    ([{"name": "n", "address": "198.51.100.254"}], "198.51.100.1", "lab_hosts_list: n: address 198.51.100.254 is used twice"),
])
def test_lab_hosts_refuses_bad_host_lists(hosts, gateway, message):
    with pytest.raises(helper.LabHostsError) as caught:
        helper.check_hosts(hosts, "snfs-", gateway)
    assert message in str(caught.value)


def test_lab_hosts_root_key_follows_the_package_set_only():
    key = helper.root_key("bookworm", "http://deb.debian.org/debian", ["sudo", "python3"])
    assert key == helper.root_key("bookworm", "http://deb.debian.org/debian", ["python3", "sudo", "sudo"])
    assert key != helper.root_key("bookworm", "http://deb.debian.org/debian", ["python3", "sudo", "nfs-ganesha"])
    assert key != helper.root_key("trixie", "http://deb.debian.org/debian", ["python3", "sudo"])


@pytest.mark.parametrize("gateway", ["198.51.100.1", "203.0.113.1"])
def test_lab_hosts_refuses_a_gateway_someone_holds_or_outside_the_network(gateway):
    with pytest.raises(helper.LabHostsError) as caught:
        helper.check_hosts(GOOD, "snfs-", "198.51.100.1", gateway)
    assert str(caught.value).startswith("lab_hosts_gateway: %s must be an address of 198.51.100.0/24 that nothing holds" % gateway)


def test_lab_hosts_root_key_follows_the_local_repository():
    key = helper.root_key("bookworm", "http://deb.debian.org/debian", ["sudo"])
    with_repo = helper.root_key("bookworm", "http://deb.debian.org/debian", ["sudo"], ["nfs-common", "libnfs-utils"])
    assert with_repo != key
    assert with_repo == helper.root_key("bookworm", "http://deb.debian.org/debian", ["sudo"], ["libnfs-utils", "nfs-common", "nfs-common"])
    # a package moved from the local repository into the root is another root
    assert with_repo != helper.root_key("bookworm", "http://deb.debian.org/debian", ["sudo", "nfs-common"], ["libnfs-utils"])


def test_lab_hosts_packages_index_is_the_control_text_with_file_name_size_and_digest():
    debs = [
        ("nfs-common_2.6.2-4_amd64.deb", "Package: nfs-common\nVersion: 1:2.6.2-4\nArchitecture: amd64\n", 250000, "ab" * 32),
        ("libnfs13_5.0.2-1_amd64.deb", "Package: libnfs13\nVersion: 5.0.2-1\nArchitecture: amd64\n", 120000, "cd" * 32),
    ]
    index = helper.packages_index(debs)
    stanzas = index.split("\n\n")
    assert [s.splitlines()[0] for s in stanzas] == ["Package: libnfs13", "Package: nfs-common"]
    assert stanzas[1].splitlines()[3:] == ["Filename: ./nfs-common_2.6.2-4_amd64.deb", "Size: 250000", "SHA256: " + "ab" * 32]
    assert index.endswith("\n") and helper.packages_index([]) == ""


def test_lab_hosts_pid_ranges_differ_per_host_and_stay_below_the_smallest_pid_max():
    bases = [helper.pid_base("198.51.100.%d" % octet) for octet in range(1, 255)]
    assert len(set(bases)) == len(bases) and max(bases) < 32768
    assert helper.pid_base("198.51.100.11") == 1100


def test_lab_hosts_etc_hosts_names_every_host():
    assert helper.etc_hosts(GOOD).splitlines()[2:] == ["198.51.100.33\tnfs1", "198.51.100.11\tnode1"]


HOSTS3 = [{"name": "nfs1", "address": "198.51.100.33", "groups": ["nfs_servers"]},
          {"name": "node1", "address": "198.51.100.11", "groups": ["k8s_nodes", "nfs_clients"]},
          {"name": "outsider", "address": "198.51.100.50", "groups": []}]


def test_lab_hosts_inventory_text_lists_hosts_groups_and_checked_host_keys():
    inventory = yaml.safe_load(helper.inventory_text("/s", "ansible", HOSTS3))["all"]
    assert inventory["hosts"] == {"nfs1": {"ansible_host": "198.51.100.33"}, "node1": {"ansible_host": "198.51.100.11"},
                                  "outsider": {"ansible_host": "198.51.100.50"}}
    assert inventory["children"] == {"k8s_nodes": {"hosts": {"node1": None}}, "nfs_clients": {"hosts": {"node1": None}},
                                     "nfs_servers": {"hosts": {"nfs1": None}}}
    assert inventory["vars"]["ansible_user"] == "ansible"
    assert inventory["vars"]["ansible_ssh_private_key_file"] == "/s/id_ed25519"
    assert inventory["vars"]["ansible_ssh_common_args"] == \
        "-o UserKnownHostsFile=/s/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes"


def test_lab_hosts_ssh_config_and_known_hosts_name_every_host():
    config = helper.ssh_config_text("/s", "ansible", HOSTS3)
    assert "Host node1\n    HostName 198.51.100.11\n" in config
    assert "    UserKnownHostsFile /s/known_hosts\n    StrictHostKeyChecking yes\n" in config
    keys = {"nfs1": {"rsa": "ssh-rsa AAAA1", "ed25519": "ssh-ed25519 AAAA2"}, "node1": {"ed25519": "ssh-ed25519 AAAA3"}}
    lines = [line for line in helper.known_hosts_text(HOSTS3, keys).splitlines() if not line.startswith("#")]
    # in the order of HOST_KEY_TYPES; a host without keys (not up) has no line
    assert lines == ["nfs1,198.51.100.33 ssh-ed25519 AAAA2", "nfs1,198.51.100.33 ssh-rsa AAAA1",
                     "node1,198.51.100.11 ssh-ed25519 AAAA3"]
