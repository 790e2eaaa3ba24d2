# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host state of the NFS server after converge (testinfra): the packages, the scenario's Ganesha
configuration with one EXPORT block per export, and its ganesha.nfsd process serving on its port.

The expected values come from the scenario's inventory (group_vars/nfs_servers.yml), not from here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import testinfra.utils.ansible_runner

INVENTORY = os.path.dirname(os.environ["MOLECULE_INVENTORY_FILE"])
RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(INVENTORY)
testinfra_hosts = ["ansible://%s?ansible_inventory=%s" % (name, INVENTORY) for name in RUNNER.get_hosts("nfs_servers")]


def settings(host):
    """The host's inventory variables (untemplated: the scenario writes literal values)."""
    return host.ansible.get_variables()


def test_server_packages_are_installed(host):
    for package in ("nfs-ganesha", "nfs-ganesha-vfs", "libnfs-utils"):
        assert host.package(package).is_installed, package


def test_core_configuration_binds_the_server_address_on_the_scenario_port(host):
    """The server's own address (the inventory's ansible_host, which is its default IPv4 address), not every interface."""
    conf = settings(host)
    config = host.file(conf["nfs_server_ganesha_config_file"])
    assert config.is_file and config.user == "root" and config.mode == 0o644
    text = config.content_string
    assert re.search(r"Bind_addr\s*=\s*%s\s*;" % re.escape(conf["ansible_host"]), text), text
    assert re.search(r"NFS_Port\s*=\s*%d\s*;" % conf["nfs_server_ganesha_port"], text), text
    assert conf["nfs_server_ganesha_exports_file"] in text, "the core configuration does not include the exports"


def test_one_export_block_per_export_with_the_tutorial_options(host):
    conf = settings(host)
    text = host.file(conf["nfs_server_ganesha_exports_file"]).content_string
    blocks = re.findall(r"EXPORT\s*\{(.*?)\n\}", text, re.S)
    wanted = [export["path"] for export in conf["nfs_server_exports"]]
    assert [re.search(r"\bPath\s*=\s*\"?([^\";]+)\"?\s*;", block).group(1) for block in blocks] == wanted
    for block in blocks:
        assert re.search(r"Access_Type\s*=\s*RW\s*;", block), block
        assert re.search(r"Squash\s*=\s*No_Root_Squash\s*;", block, re.I), block
        assert re.search(r"Clients\s*=\s*\"?\*\"?\s*;", block), block
    for path in wanted:
        assert host.file(path).is_directory, path


def test_ganesha_runs_from_its_pid_file_with_this_configuration(host):
    conf = settings(host)
    pid = int(host.file(conf["nfs_server_ganesha_pid_file"]).content_string.strip())
    cmdline = host.file("/proc/%d/cmdline" % pid).content.split(b"\0")
    assert os.path.basename(cmdline[0].decode()) == "ganesha.nfsd", cmdline
    assert conf["nfs_server_ganesha_config_file"].encode() in cmdline, cmdline
    assert any(p.pid == pid for p in host.process.filter(comm="ganesha.nfsd"))


def test_ganesha_listens_on_the_server_address_only(host):
    """Ganesha binds an IPv6 socket, so 198.51.100.33 shows as ::ffff:198.51.100.33."""
    conf = settings(host)
    port = ":%d" % conf["nfs_server_ganesha_port"]
    tcp = [s for s in host.socket.get_listening_sockets() if s.startswith("tcp://") and s.endswith(port)]
    assert tcp, "nothing listens on TCP port %s" % port
    assert {s[len("tcp://"):-len(port)] for s in tcp} <= {conf["ansible_host"], "::ffff:" + conf["ansible_host"]}, tcp
