# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tutorial on separate machines (inventory/lab): the NFS server nfs1, the nodes node1 and node2 and a
host that is no node, outsider, each its own Debian root, network namespace, address and sshd, reached over
SSH as a non-root user with sudo (roles/lab_hosts); the Kubernetes control plane on this machine.

What only separate hosts show, proved here (docs/lab.md, fault matrix F13):
- site.yml over SSH end to end: packages installed per host, Ganesha on nfs1's own address, each node's
  preflight writing through NFS from its own address, PersistentVolumes on nfs1's default IPv4 address, the
  validator's verdict green; a second run changes nothing.
- Who can mount: a production profile (exports for the nodes' addresses, root_squash) lets node1 and node2
  write and refuses outsider, shown by the client's own error; root on a node is stored as the anonymous user
  with root_squash, and stays root with the tutorial's no_root_squash opt-in (read back on nfs1).
- The kernel backend's files on nfs1's own root, accepted by its exportfs.
- Faults per host: a node host stopped, the server host stopped, sudo refused on a node: the run fails naming
  the host and changes nothing on the cluster; the other hosts' plays go on.

The hosts' state lives in a directory of this test run; the module brings them up (playbooks/lab_up.yml with
inventory/lab, which also finds the Kubernetes lab up) and takes them down. About 2-3 minutes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import os
import uuid

import pytest

from .helpers.ansible_runs import LAB_INVENTORY, REPO, ok, run
from .helpers.lab_hosts import PLAYBOOK as LAB_HOSTS_PLAYBOOK
from .helpers.lab_hosts import LabHosts
from .helpers.stacks import UNSET, Stack

pytestmark = [pytest.mark.lab, pytest.mark.lab_hosts]

SERVER = ("nfs1", "198.51.100.33")
NODES = ("node1", "node2")
PROFILE = "tests/integration/lab_topology/profile.yml"
VALIDATE_TASK = "Validate the StatefulSet (order, completion, storage, DNS)"

# The lab_hosts role's helper stops a host (its PID 1, by the pid file): one home for that rule.
_SPEC = importlib.util.spec_from_file_location("lab_hosts_helper", str(REPO / "roles" / "lab_hosts" / "files" / "lab_hosts.py"))
lab_hosts_helper = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(lab_hosts_helper)


class Topology(LabHosts):
    """The lab's hosts as inventory/lab lists them, with their state in this test run's directory."""

    def __init__(self, runner, state_dir, control_dir):
        super(Topology, self).__init__(state_dir, control_dir)
        self.runner = runner

    def playbook(self, playbook, extra_vars=None, **kwargs):
        values = {"lab_hosts_state_dir": self.state_dir,
                  "ansible_ssh_private_key_file": self.path("id_ed25519"),
                  "ansible_ssh_common_args": "-o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes"
                                             % self.path("known_hosts")}
        values.update(extra_vars or {})
        return run(self.runner, playbook, values, inventory=LAB_INVENTORY,
                   env={"ANSIBLE_SSH_CONTROL_PATH_DIR": self.control_dir}, **kwargs)

    def up(self):
        """playbooks/lab_up.yml: the lab (already up), the hosts and Ganesha on nfs1."""
        return ok(self.playbook("playbooks/lab_up.yml"))

    def stop_host(self, name):
        """End a host the way a machine goes down: its PID 1 and with it every process of the host."""
        host = lab_hosts_helper.Host({"state_dir": self.state_dir, "netns_prefix": self.netns_prefix}, {"name": name, "address": ""})
        assert host.stop(), "%s was not running" % name

    def root_path(self, name, path):
        """A path inside a host's own root (its overlay), as this machine sees it."""
        return self.path("hosts/%s/root/%s" % (name, path.lstrip("/")))

    def installed(self, name, package):
        rc, out, _err = self.ssh(name, "dpkg-query -W -f '${Status}' %s" % package, check=False)
        return rc == 0 and out.endswith(" installed")

    def owner(self, name, path):
        return self.ssh(name, "sudo -n stat -c %%U %s" % path)[1].strip()


@pytest.fixture(scope="module")
def topology(lab, playbook, tmp_path_factory):
    hosts = Topology(playbook, tmp_path_factory.mktemp("topology-hosts"), tmp_path_factory.mktemp("topology-ssh"))
    assert not hosts.netns_exists(), (
        "lab hosts are already up (%s): take them down first (make lab-hosts-down)" % ", ".join(hosts.netns_exists()))
    try:
        hosts.up()
        yield hosts
    finally:
        hosts.close_connections()
        hosts.playbook(LAB_HOSTS_PLAYBOOK, {"lab_hosts_state": "absent"})


@pytest.fixture
def stack(lab, kube, playbook):
    """A namespace, volume set and StatefulSet of the test's own; the volumes come from nfs1's exported facts."""
    made = Stack(lab, kube, playbook, exports=None, case="hosts")
    yield made
    made.cleanup()


def site_vars(stack, **overrides):
    values = stack.vars(nfs_volumes_exports=UNSET)
    values.update(overrides)
    return values


def test_tutorial_over_ssh_end_to_end(topology, stack):
    marker = ".it-topology-%s" % stack.suffix
    first = ok(topology.playbook("playbooks/site.yml", site_vars(
        stack, nfs_client_probe_write=True, nfs_client_probe_marker=marker + "-{{ inventory_hostname }}")))
    assert sorted(first.result.stats) == ["localhost", "nfs1", "node1", "node2"], first.result.stats
    [verdict] = first.result.task_results(VALIDATE_TASK)
    assert verdict["valid"] is True, verdict["checks"]
    assert {check["status"] for check in verdict["checks"].values() if check.get("selected", True)} == {"passed"}
    # the PersistentVolumes name nfs1 by its default IPv4 address (its facts, from the server play)
    pvs = stack.pvs()
    assert len(pvs) == 4 and {pv["spec"]["nfs"]["server"] for pv in pvs.values()} == {SERVER[1]}, pvs
    # packages per host, each in its own root
    assert topology.installed("nfs1", "nfs-ganesha")
    for node in NODES:
        assert topology.installed(node, "nfs-common") and topology.installed(node, "libnfs-utils")
        assert not topology.installed(node, "nfs-ganesha")
    assert not topology.installed("outsider", "libnfs-utils")
    # each node wrote through NFS from its own address; the tutorial's no_root_squash keeps root root
    for node in NODES:
        for number in range(1, 5):
            assert topology.owner("nfs1", "/nfs-data/v%d/%s-%s" % (number, marker, node)) == "root"
    topology.ssh("nfs1", "sudo -n rm -f /nfs-data/v*/%s-*" % marker)

    again = ok(topology.playbook("playbooks/site.yml", site_vars(stack)))
    assert again.changed == 0, str(again)


def test_production_profile_admits_the_nodes_and_refuses_the_outsider(topology):
    """A second Ganesha on nfs1 (port 12049) with exports for node1 and node2 only, root_squash (the default)."""
    root = "/srv/it-topology"
    tag = uuid.uuid4().hex[:6]
    marker = ".it-prod-%s-{{ inventory_hostname }}" % tag
    profile = {
        "nfs_server_backend": "ganesha",
        "nfs_server_ganesha_port": 12049,
        "nfs_server_ganesha_graceless": True,
        "nfs_server_ganesha_config_file": root + "/etc/ganesha.conf",
        "nfs_server_ganesha_exports_file": root + "/etc/exports.conf",
        "nfs_server_ganesha_pid_file": root + "/run/ganesha.pid",
        "nfs_server_ganesha_log_file": root + "/log/ganesha.log",
        "nfs_server_ganesha_recovery_dir": root + "/recovery",
        "nfs_server_allow_world_clients": False,
        "nfs_server_allow_no_root_squash": False,
        "nfs_server_exports": [
            {"name": name, "path": "/nfs-data/it-prod/" + name,
             "clients": [{"host": "198.51.100.11/32", "options": ["rw", "sync"]},
                         {"host": "198.51.100.12/32", "options": ["rw", "sync"]}]}
            for name in ("p1", "p2")],
        "topology_clients": "k8s_nodes:outsiders",
        "nfs_client_probe_marker": marker,
    }
    try:
        outcome = topology.playbook(PROFILE, profile)
        assert outcome.rc != 0, str(outcome)
        failures = outcome.result.failures_by_host()
        assert sorted(failures) == ["outsider"], failures
        refusal = failures["outsider"]
        # the client's own error: libnfs on outsider could not use the exports (Ganesha hides them: NOENT)
        assert "node outsider cannot use NFS export(s) p1, p2" in refusal and "NFS4ERR_" in refusal, refusal
        for name in ("p1", "p2"):
            listing = topology.ssh("nfs1", "sudo -n ls -A /nfs-data/it-prod/%s" % name)[1].split()
            assert sorted(listing) == [".it-prod-%s-node1" % tag, ".it-prod-%s-node2" % tag], listing
            for node in NODES:
                # root on the node, stored as the anonymous user (root_squash)
                assert topology.owner("nfs1", "/nfs-data/it-prod/%s/.it-prod-%s-%s" % (name, tag, node)) == "nobody"
    finally:
        topology.playbook("tests/integration/fault_matrix/nfs_server_stop.yml", profile)
        topology.ssh("nfs1", "sudo -n rm -rf /nfs-data/it-prod %s" % root, check=False)


def test_kernel_backend_files_are_accepted_by_exportfs_on_the_server_host(topology):
    exports_file = "/etc/exports.d/it-topology.exports"
    kernel = {
        "nfs_server_backend": "kernel",
        "nfs_server_kernel_exports_file": exports_file,
        # this kernel has no nfsd: exportfs checks and records the exports, nothing serves them
        "nfs_server_verify_io": False,
        "nfs_server_exports": [{"name": "k1", "path": "/nfs-data/it-kernel/k1",
                                "clients": [{"host": "198.51.100.11/32", "options": ["rw", "sync"]}]}],
        "topology_clients": "none",
    }
    try:
        outcome = ok(topology.playbook(PROFILE, kernel))
        assert outcome.changed > 0
        exported = topology.ssh("nfs1", "sudo -n exportfs -v")[1]
        assert "/nfs-data/it-kernel/k1" in exported and "198.51.100.11" in exported, exported
        # nfs1's own root: its exports file and etab; node1 has neither (another machine)
        assert "/nfs-data/it-kernel/k1" in open(topology.root_path("nfs1", "/var/lib/nfs/etab")).read()
        assert topology.ssh("node1", "test -e %s" % exports_file, check=False)[0] == 1
        assert topology.installed("nfs1", "nfs-kernel-server") and not topology.installed("node1", "nfs-kernel-server")
        again = ok(topology.playbook(PROFILE, kernel))
        assert again.changed == 0, str(again)
    finally:
        topology.ssh("nfs1", "sudo -n rm -f %s && sudo -n exportfs -ra; sudo -n rm -rf /nfs-data/it-kernel" % exports_file, check=False)


@pytest.mark.parametrize("fault", ["node host stopped", "sudo refused on a node", "server host stopped"])
def test_a_broken_host_fails_the_run_naming_it_and_leaves_the_cluster_alone(topology, stack, fault):
    before = stack.snapshot()
    sudoers = topology.root_path("node2", "/etc/sudoers.d/lab-hosts")
    with open(sudoers) as stream:
        sudo_rule = stream.read()
    broken = "nfs1" if fault == "server host stopped" else "node2"
    try:
        if fault == "sudo refused on a node":
            topology.ssh("node2", "sudo -n rm /etc/sudoers.d/lab-hosts")
        else:
            topology.stop_host(broken)
        outcome = topology.playbook("playbooks/site.yml", site_vars(stack))
        assert outcome.rc != 0, str(outcome)
        failures = outcome.result.failures_by_host()
        if fault == "server host stopped":
            # the only server gone: Ansible ends the run after its play
            assert list(failures) == ["nfs1"] and "localhost" not in outcome.result.stats, failures
            assert "198.51.100.33" in failures["nfs1"]
        else:
            assert sorted(failures) == ["localhost", "node2"], failures
            # node1 went through its play; the cluster play stopped at its gate, naming node2
            assert outcome.result.stats["node1"]["failures"] == 0 and outcome.result.stats["node1"]["ok"] > 0
            assert "the NFS server or node play did not complete on node2" in failures["localhost"]
            if fault == "sudo refused on a node":
                assert "sudo" in failures["node2"].lower(), failures["node2"]
        assert stack.snapshot() == before
    finally:
        if fault == "sudo refused on a node" and not os.path.exists(sudoers):
            lab_hosts_helper.write_if_changed(sudoers, sudo_rule, mode=0o440)
        topology.up()
