# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs/served.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import NfsError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.libnfs import parse_nfs_ls
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.served import (
    compare_pseudo_root,
    first_components,
    ganesha_info,
    kernel_info,
    kernel_report,
    pseudo_roots,
    unlisted_export,
)

# nfs-ls of a Ganesha 4.3 pseudo root (NFSv4, port 12049)
NFS_LS_ROOT = "drwxr-xr-x  3 65534 65534            0 a\ndrwxr-xr-x  2 65534 65534         4096 exp1\n"


def test_pseudo_root():
    assert first_components(["/a/exp2", "/exp1", "/"]) == set(["a", "exp1"])
    assert compare_pseudo_root(["/a/exp2"], parse_nfs_ls(NFS_LS_ROOT)) == ["exp1"]
    assert compare_pseudo_root(["/a/exp2", "/exp1"], parse_nfs_ls(NFS_LS_ROOT)) == []


def export(name, clients=("*",), server="127.0.0.1", port=2049, pseudo=None):
    return {"name": name, "path": "/srv/nfs/" + name, "pseudo": pseudo or "/nfs-data/" + name, "server": server,
            "port": port, "clients": list(clients), "options": [], "client_options": [], "read_only": False}


def test_pseudo_roots_group_the_exports_by_server_and_port():
    exports = [export("v1", server="10.0.0.2"), export("v2", port=12049), export("v3"), export("v4", port=12049)]
    assert pseudo_roots(exports) == [(("10.0.0.2", 2049), ["/nfs-data/v1"]), (("127.0.0.1", 2049), ["/nfs-data/v3"]),
                                     (("127.0.0.1", 12049), ["/nfs-data/v2", "/nfs-data/v4"])]


def test_unparsable_exportfs_output_is_refused_with_the_output():
    with pytest.raises(NfsError) as err:
        kernel_report([], "\t\t127.0.0.1(rw)\n", {})
    assert str(err.value).startswith("cannot parse exportfs -v output: exportfs -v line 1: client")
    assert err.value.result == {"stdout": "\t\t127.0.0.1(rw)\n"}


def test_an_export_this_host_is_not_a_client_of_is_unverified_not_a_problem():
    assert unlisted_export(export("v1", clients=["10.99.0.0/16"]), None) == (
        "export 'v1' (/nfs-data/v1): this host (127.0.0.1) is not one of its clients 10.99.0.0/16, so it cannot be "
        "listed from here")
    assert unlisted_export(export("v1", clients=["10.99.0.0/16"]), "10.99.0.7") is None
    assert unlisted_export(export("v1", clients=["10.99.0.0/16", "node1"]), None) is None


class Reader(object):
    """A stand-in for ServerReader."""

    def __init__(self, text="", running=True):
        self.text, self.running = text, running
        self.resolved = None
        self.instance = None

    def exportfs(self):
        return self.text

    def host_aliases(self, hosts):
        self.resolved = hosts
        return dict((host, ["127.0.0.1"]) for host in hosts)

    def ganesha_instance(self, pid_file, config):
        self.instance = (pid_file, config)
        return {"running": self.running, "pid": 4242 if self.running else None, "config": config,
                "why": "" if self.running else "no pid file"}


def test_kernel_info_resolves_only_the_host_names():
    exported = dict(export("a", clients=["localhost"], pseudo="/tmp/ktest/a"), path="/tmp/ktest/a", client_options=[
        {"host": "localhost", "options": ["rw"]}, {"host": "10.0.0.0/8", "options": ["rw"]},
        {"host": "*.example.com", "options": ["rw"]}])
    reader = Reader("/tmp/ktest/a\t127.0.0.1(sync,rw)\n")
    result = kernel_info([exported], reader)
    assert reader.resolved == ["localhost"]
    assert result["exportfs"] == [{"path": "/tmp/ktest/a", "client": "127.0.0.1", "options": ["sync", "rw"]}]
    assert result["matches"] is False and result["changed"] is False
    assert [p.split(": ", 1)[1] for p in result["problems"]] == ["client '10.0.0.0/8' is not exported (exportfs "
                                                                 "shows 127.0.0.1; a host name that does not resolve "
                                                                 "is skipped by exportfs)",
                                                                 "client '*.example.com' is not exported (exportfs "
                                                                 "shows 127.0.0.1; a host name that does not resolve "
                                                                 "is skipped by exportfs)"]


class Listing(object):
    """A stand-in for Libnfs: nfs-ls of a pseudo root listing nfs-data; ``down`` refuses everything."""

    def __init__(self, down=False):
        self.down = down
        self.asked = []

    def map(self, function, items):
        return [function(item) for item in items]

    def listening(self, server, port):
        self.asked.append((server, port))
        return not self.down

    def run(self, tool, url):
        if self.down:
            return 1, "", "Failed to mount nfs share : nfs_service failed"
        return 0, "drwxr-xr-x  3 0 0 0 nfs-data\n" if url.split("?")[0].endswith("/") else "", ""


def params(exports, **overrides):
    result = dict(exports=exports, pid_file=None, config="/etc/ganesha/ganesha.conf", client_address=None)
    result.update(overrides)
    return result


def test_ganesha_info_checks_the_instance_with_the_normalised_config():
    reader = Reader(running=False)
    result = ganesha_info(params([export("v1")], pid_file="/run/g.pid", config="/etc/ganesha/./ganesha.conf"),
                          Listing(), reader)
    assert reader.instance == ("/run/g.pid", "/etc/ganesha/ganesha.conf")
    assert result["problems"] == ["NFS-Ganesha is not running with /etc/ganesha/ganesha.conf: no pid file"]
    assert result["pseudo_root"] == ["nfs-data"] and result["served"][0]["listed"] is True


def test_ganesha_info_explains_a_server_that_is_down_and_skips_exports_it_cannot_list():
    nfs = Listing(down=True)
    exports = [export("v1"), export("v2", clients=["10.99.0.0/16"])]
    result = ganesha_info(params(exports), nfs, Reader())
    assert result["matches"] is False and result["daemon"] is None
    assert result["problems"] == [
        "cannot list the NFSv4 pseudo root nfs://127.0.0.1/?version=4: nothing listens there: the NFS server is "
        "down or bound to another address/port (Failed to mount nfs share : nfs_service failed)",
        "export 'v1': nfs://127.0.0.1/nfs-data/v1?version=4 is not served: nothing listens there: the NFS server is "
        "down or bound to another address/port (Failed to mount nfs share : nfs_service failed)"]
    assert result["unverified"] == ["export 'v2' (/nfs-data/v2): this host (127.0.0.1) is not one of its clients "
                                    "10.99.0.0/16, so it cannot be listed from here"]
    assert nfs.asked == [("127.0.0.1", 2049), ("127.0.0.1", 2049)]
