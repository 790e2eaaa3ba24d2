# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""inventory/example/: the tutorial's topology, documentation addresses only, exports that the
nfs_server role accepts - both the active tutorial profile and the commented production one.

Nothing here connects anywhere: the inventory is parsed in-process and
``ansible-playbook --list-hosts`` only resolves host patterns.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os
import re
import subprocess
import sys

import pytest
import yaml

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.vars.manager import VariableManager

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.exports import validate_exports, validate_server

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(REPO, "inventory", "example")
DOCUMENTATION_NET = ipaddress.ip_network("198.51.100.0/24")
TUTORIAL_PATHS = ["/nfs-data/v1", "/nfs-data/v2", "/nfs-data/v3", "/nfs-data/v4"]


@pytest.fixture(scope="module")
def inventory():
    loader = DataLoader()
    manager = InventoryManager(loader=loader, sources=[EXAMPLE])
    return manager, VariableManager(loader=loader, inventory=manager)


def host_vars(inventory, name):
    manager, variables = inventory
    return variables.get_vars(host=manager.get_host(name))


def production_profile():
    """The commented production block of group_vars/nfs_servers.yml, uncommented and parsed."""
    with open(os.path.join(EXAMPLE, "group_vars", "nfs_servers.yml")) as stream:
        text = stream.read()
    block = text.split("A production-safe profile", 1)[1]
    settings = [line[2:] for line in block.splitlines() if re.match(r"^# (nfs_server_|  - )", line)]
    return yaml.safe_load("\n".join(settings))


def test_the_tutorial_topology(inventory):
    manager, _variables = inventory
    groups = {name: sorted(h.name for h in group.get_hosts()) for name, group in manager.groups.items()}
    assert groups["nfs_servers"] == ["register"]
    assert groups["k8s_control"] == ["master1"]
    assert groups["k8s_nodes"] == ["node1", "node2"]


def test_only_documentation_addresses(inventory):
    manager, _variables = inventory
    hosts = manager.get_hosts()
    assert len(hosts) == 4
    for host in hosts:
        assert ipaddress.ip_address(host_vars(inventory, host.name)["ansible_host"]) in DOCUMENTATION_NET, host.name
    server = host_vars(inventory, "register")["nfs_server_address"]
    assert ipaddress.ip_address(server) in DOCUMENTATION_NET
    assert validate_server(server, 2049) == (server, 2049)


def test_the_active_profile_is_the_tutorials_exports(inventory):
    hv = host_vars(inventory, "register")
    assert hv["nfs_server_backend"] == "kernel"
    normalised, warnings = validate_exports(hv["nfs_server_exports"], backend=hv["nfs_server_backend"],
                                            allow_world_clients=hv["nfs_server_allow_world_clients"],
                                            allow_no_root_squash=hv["nfs_server_allow_no_root_squash"])
    assert [e["path"] for e in normalised] == TUTORIAL_PATHS
    for export in normalised:
        assert [c["host"] for c in export["clients"]] == ["*"]
        assert {"rw", "no_root_squash", "sync"} <= set(export["clients"][0]["options"])
    assert warnings, "the tutorial's world/no_root_squash exports must warn"


def test_the_commented_production_profile_is_accepted_without_opt_ins(inventory):
    profile = production_profile()
    assert profile["nfs_server_allow_world_clients"] is False
    assert profile["nfs_server_allow_no_root_squash"] is False
    normalised, warnings = validate_exports(profile["nfs_server_exports"], backend="kernel")
    assert [e["path"] for e in normalised] == TUTORIAL_PATHS
    assert warnings == []
    nodes = [ipaddress.ip_address(host_vars(inventory, n)["ansible_host"]) for n in ("node1", "node2")]
    for export in normalised:
        (client,) = export["clients"]
        assert "root_squash" in client["options"] and "no_root_squash" not in client["options"]
        assert all(node in ipaddress.ip_network(client["host"]) for node in nodes), client


def test_the_production_profile_without_its_opt_outs_would_be_refused():
    """The block is really parsed: the world client of the tutorial needs the opt-in it drops."""
    profile = production_profile()
    profile["nfs_server_exports"][0]["clients"][0]["host"] = "*"
    with pytest.raises(ValueError, match=r"nfs_server_allow_world_clients"):
        validate_exports(profile["nfs_server_exports"], backend="kernel",
                         allow_world_clients=profile["nfs_server_allow_world_clients"])


def test_site_yml_targets_the_example_hosts_without_contacting_them():
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".collections"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", EXAMPLE, "--list-hosts",
         os.path.join(REPO, "playbooks", "site.yml")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    targets, pattern = {}, None
    for line in proc.stdout.splitlines():
        play = re.match(r"^\s+play #\d+ \((\w+)\):", line)
        if play:
            pattern = play.group(1)
            targets.setdefault(pattern, [])
        elif pattern and re.match(r"^ {6}\S+$", line):
            targets[pattern] = sorted(set(targets[pattern]) | {line.strip()})
    assert targets == {"nfs_servers": ["register"], "k8s_nodes": ["node1", "node2"], "localhost": ["localhost"]}
