# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NFS for the integration tests: read and write files on an export through libnfs (``nfs-cp``,
``nfs-cat``), an NFS-Ganesha of a test's own on loopback (``OwnNfs``), and what a test checks on
this host (the lab's Ganesha, the package database, loopback ports)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import hashlib
import os
import socket
import subprocess
import tempfile

import yaml

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.libnfs import nfs_url

NFS_SERVER_STOP_PLAYBOOK = "tests/integration/fault_matrix/nfs_server_stop.yml"


def pv_nfs_url(pv, filename):
    """libnfs URL of ``filename`` in the export behind a PersistentVolume (server, path, port= option)."""
    port = 2049
    for option in pv["spec"].get("mountOptions") or []:
        if option.startswith("port="):
            port = int(option.split("=", 1)[1])
    return nfs_url(pv["spec"]["nfs"]["server"], pv["spec"]["nfs"]["path"], filename, port=port)


def nfs_write(url, content):
    handle, path = tempfile.mkstemp(prefix="it-k8s-marker-")
    try:
        with os.fdopen(handle, "w") as stream:
            stream.write(content)
        proc = subprocess.run(["nfs-cp", path, url], capture_output=True, text=True, timeout=60, check=False)
        if proc.returncode != 0:
            raise AssertionError("nfs-cp to %s failed (rc=%d): %s%s" % (url, proc.returncode, proc.stdout, proc.stderr))
    finally:
        os.unlink(path)


def nfs_read(url):
    proc = subprocess.run(["nfs-cat", url], capture_output=True, text=True, timeout=60, check=False)
    if proc.returncode != 0:
        raise AssertionError("nfs-cat %s failed (rc=%d): %s%s" % (url, proc.returncode, proc.stdout, proc.stderr))
    return proc.stdout


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port):
    """True when something accepts connections on 127.0.0.1:``port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class OwnNfs(object):
    """An inventory whose NFS server is an NFS-Ganesha of this test's own, on loopback."""

    def __init__(self, root, runner):
        self.root = root
        self.runner = runner
        self.port = free_port()
        self.names = ["f1", "f2", "f3", "f4"]
        self.daemon = {"config": "%s/etc/ganesha.conf" % root, "pid_file": "%s/run/ganesha.pid" % root,
                       "log_file": "%s/log/ganesha.log" % root}
        # the server's variables, for an inventory of a test's own (test_gitops_pipeline.py writes them as group_vars)
        self.server = server = {
            "nfs_server_backend": "ganesha", "nfs_server_address": "127.0.0.1", "nfs_server_service_manager": "none",
            "nfs_server_ganesha_bind_address": "127.0.0.1", "nfs_server_ganesha_port": self.port,
            "nfs_server_ganesha_config_file": self.daemon["config"],
            "nfs_server_ganesha_exports_file": "%s/etc/exports.conf" % root,
            "nfs_server_ganesha_pid_file": self.daemon["pid_file"], "nfs_server_ganesha_log_file": self.daemon["log_file"],
            "nfs_server_ganesha_recovery_dir": "%s/recovery" % root, "nfs_server_ganesha_graceless": True,
            "nfs_server_exports": [{"name": n, "path": "%s/data/%s" % (root, n),
                                    "clients": [{"host": "127.0.0.1", "options": ["rw", "sync"]}]} for n in self.names],
        }
        self.inventory = os.path.join(root, "inventory.yml")
        with open(self.inventory, "w") as stream:
            yaml.safe_dump({"all": {
                "vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                "children": {"nfs_servers": {"hosts": {"it-fault-nfs": server}},
                             "k8s_nodes": {"hosts": {"it-fault-node": {}}}}}}, stream)

    def stop(self):
        """Stop it through the nfs_server role's own ``stop`` entry point (by its pid file)."""
        result = self.runner(NFS_SERVER_STOP_PLAYBOOK, inventory=self.inventory)
        assert result.rc == 0, result.tail(40)
        return result

    def tree(self):
        """The server's configuration files and export directories (what a verify run must not change)."""
        found = {}
        for path in sorted(glob.glob(self.root + "/etc/*") + glob.glob(self.root + "/data/*/*")):
            with open(path, "rb") as stream:
                found[path] = hashlib.sha256(stream.read()).hexdigest()
        return found

    def assert_every_export_named(self, text):
        """``text`` (a failure message) names every export of this server, and says nothing listens."""
        for name in self.names:
            assert "export '%s'" % name in text, "export %s not named in %r" % (name, text)
        assert "nothing listens there" in text, text


def lab_ganesha_pid():
    """The pid of the lab's own NFS-Ganesha (its pid file)."""
    with open("/run/ganesha/ganesha.pid") as stream:
        return stream.read().strip()


def host_state():
    """What a refused run could change on this host: the package database and the lab's Ganesha files."""
    found = {}
    for path in ["/var/lib/dpkg/status"] + sorted(glob.glob("/etc/ganesha/*")):
        with open(path, "rb") as stream:
            found[path] = hashlib.sha256(stream.read()).hexdigest()
    return found
