# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab's separate SSH test hosts (roles/lab_hosts, playbooks/lab_hosts.yml), without the Kubernetes lab.

The hosts come up (building the shared root on first use), Ansible reaches each of them over SSH as a
non-root user and becomes root with sudo, with host keys checked against the lab's known_hosts; each host
has its own hostname, address, /etc and export directory; a second run changes nothing; the teardown
leaves no namespace, link, mount or process behind. The tests run in file order on one set of hosts.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest

from .helpers.ansible_runs import LAB_INVENTORY, ok, run
from .helpers.lab_hosts import PLAYBOOK, LabHosts

pytestmark = pytest.mark.lab_hosts

HOSTS = {"nfs1": "198.51.100.33", "node1": "198.51.100.11", "node2": "198.51.100.12", "outsider": "198.51.100.50"}
PROBE = "/etc/lab-hosts-probe"


@pytest.fixture(scope="module")
def hosts(playbook, tmp_path_factory):
    """The four default hosts, up, with their state in a directory of this test run."""
    lab_hosts = LabHosts(tmp_path_factory.mktemp("lab-hosts"), tmp_path_factory.mktemp("ssh-cp"))
    assert not lab_hosts.netns_exists(), (
        "lab hosts are already up (%s): take them down first (make lab-hosts-down)" % ", ".join(lab_hosts.netns_exists()))
    ok(run(playbook, PLAYBOOK, lab_hosts.extra_vars("present"), inventory=LAB_INVENTORY))
    yield lab_hosts
    lab_hosts.close_connections()
    run(playbook, PLAYBOOK, lab_hosts.extra_vars("absent"), inventory=LAB_INVENTORY)


def test_lab_hosts_refuse_an_address_outside_test_net_2_before_any_change(playbook, tmp_path):
    state_dir = tmp_path / "state"
    bad = [{"name": "node1", "address": "203.0.113.11"}]
    outcome = run(playbook, PLAYBOOK, {"lab_hosts_state_dir": str(state_dir), "lab_hosts_list": bad}, inventory=LAB_INVENTORY)
    assert outcome.rc != 0
    assert "lab_hosts_list: node1: 203.0.113.11 is not a host address of 198.51.100.0/24" in outcome.output, str(outcome)
    assert not state_dir.exists()


def test_lab_hosts_answer_ansible_over_ssh_with_sudo(hosts):
    rc, output = hosts.ansible("all", "-m", "ansible.builtin.command", "-a", "id -u", "-b")
    assert rc == 0, output
    for name in HOSTS:
        assert re.search(r"^%s \| CHANGED \| rc=0 >>\n0$" % name, output, re.M), output
    rc, output = hosts.ansible("all", "-m", "ansible.builtin.ping", "-b")
    assert rc == 0 and output.count("SUCCESS") == len(HOSTS), output
    with open(hosts.path("inventory.yml")) as stream:
        inventory = stream.read()
    assert "-o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes" % hosts.path("known_hosts") in inventory


def test_lab_hosts_login_user_is_not_root_and_has_sudo(hosts):
    assert hosts.ssh("node1", "id -un; id -u; sudo -n id -u")[1].split() == ["ansible", "1000", "0"]


def test_lab_hosts_refuse_a_host_key_that_is_not_in_known_hosts(hosts, tmp_path):
    """node1 presented with node2's keys in known_hosts: ssh refuses, so the keys really are checked."""
    with open(hosts.path("known_hosts")) as stream:
        lines = stream.read().splitlines()
    swapped = [line.replace("node2,%s " % HOSTS["node2"], "node1,%s " % HOSTS["node1"])
               for line in lines if line.startswith("node2,")]
    wrong = tmp_path / "known_hosts"
    wrong.write_text("\n".join(swapped) + "\n")
    rc, _out, err = hosts.ssh("node1", "true", check=False, known_hosts=str(wrong))
    assert rc != 0 and "Host key verification failed" in err, err


def test_lab_hosts_each_have_their_own_name_address_and_etc(hosts):
    for name, address in HOSTS.items():
        out = hosts.ssh(name, "hostname; ip -o -4 addr show dev eth0; stat -f -c %T /etc /nfs-data")[1].split("\n")
        assert out[0] == name
        assert " %s/24 " % address in out[1], out
        assert out[2:4] == ["overlayfs", "ext2/ext3"], out
    hosts.ssh("node1", "echo node1 | sudo -n tee %s >/dev/null" % PROBE)
    assert hosts.ssh("node1", "cat %s" % PROBE)[1] == "node1\n"
    for name in ("node2", "nfs1", "outsider"):
        rc, _out, _err = hosts.ssh(name, "test -e %s" % PROBE, check=False)
        assert rc == 1, "%s sees node1's %s" % (name, PROBE)


def test_lab_hosts_reach_each_other_and_nothing_beyond_the_lab_network(hosts):
    probe = "python3 -c 'import socket; socket.create_connection((\"%s\", 22), timeout=5).close()'" % HOSTS["nfs1"]
    hosts.ssh("node1", probe)
    # A default route (Ansible's default_ipv4 is the host's address) to a gateway no one holds.
    assert hosts.ssh("outsider", "ip -4 route show")[1].split("\n")[:-1] == [
        "default via 198.51.100.254 dev eth0 ",
        "198.51.100.0/24 dev eth0 proto kernel scope link src %s " % HOSTS["outsider"]]
    facts = hosts.ansible("outsider", "-m", "ansible.builtin.setup", "-a", "gather_subset=min,network filter=ansible_default_ipv4")[1]
    assert '"address": "%s"' % HOSTS["outsider"] in facts, facts
    # so nothing beyond the lab network answers: the gateway's address is not resolved (no route to host)
    rc, _out, err = hosts.ssh("outsider", "python3 -c 'import socket; socket.create_connection((\"198.51.100.254\", 80), timeout=10)'",
                              check=False)
    assert rc != 0 and "No route to host" in err, err


def test_lab_hosts_inventory_groups(hosts):
    rc, output = hosts.ansible("nfs_clients", "--list-hosts")
    assert rc == 0 and output.split()[2:] == ["node1", "node2"], output
    rc, output = hosts.ansible("nfs_servers", "--list-hosts")
    assert rc == 0 and output.split()[2:] == ["nfs1"], output


def test_lab_hosts_second_run_changes_nothing(hosts, playbook):
    again = ok(run(playbook, PLAYBOOK, hosts.extra_vars("present"), inventory=LAB_INVENTORY))
    assert again.changed == 0, str(again)


def test_lab_hosts_teardown_leaves_nothing(hosts, playbook):
    assert len(hosts.netns_exists()) == len(HOSTS)
    hosts.close_connections()
    down = ok(run(playbook, PLAYBOOK, hosts.extra_vars("absent"), inventory=LAB_INVENTORY))
    assert down.changed > 0
    assert hosts.leftovers() == []
    assert not os.path.exists(hosts.path("hosts"))
    for name in ("inventory.yml", "known_hosts", "ssh_config"):
        assert not os.path.exists(hosts.path(name)), name
    again = ok(run(playbook, PLAYBOOK, hosts.extra_vars("absent"), inventory=LAB_INVENTORY))
    assert again.changed == 0, str(again)
