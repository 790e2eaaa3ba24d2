# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/manifests/volume_exports.py: which NFS export a PersistentVolume
uses, compared normalised, and the live volumes of another name on a rendered volume's export (pure
logic, no cluster). The refusal that names the fields: test_volumes.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.volume_exports import (
    export_key,
    export_text,
    volumes_sharing_exports,
)


def _pv(name, server="127.0.0.1", path="/nfs-data/v1", options=None):
    pv = {"metadata": {"name": name}, "spec": {"nfs": {"server": server, "path": path}}}
    if options is not None:
        pv["spec"]["mountOptions"] = options
    return pv


@pytest.mark.parametrize("server, path, options", [
    ("127.0.0.1", "/nfs-data/v1/", None),  # trailing slash
    ("127.0.0.1", "//nfs-data//v1//", None),  # doubled slashes
    ("127.0.0.1", "/nfs-data/./v1/.", None),  # . components
    ("127.0.0.1", "/nfs-data/old/../v1", None),  # .. components
    (" 127.0.0.1 ", "/nfs-data/v1", None),
    ("127.0.0.1", "/nfs-data/v1", ["nfsvers=4.1", "port=2049"]),  # the default port, written out
    ("127.0.0.1", "/nfs-data/v1", ["nfsvers=4.1,port=2049,hard"]),  # options in one item (a PV made by hand)
    ("127.0.0.1", "/nfs-data/v1", ["Port = 2049"]),
    ("127.0.0.1", "/nfs-data/v1", ["port=0"]),  # 0: the default port
])
def test_export_key_normalises_path_and_port(server, path, options):
    assert export_key(_pv("x", server, path, options)) == ("127.0.0.1", "/nfs-data/v1", 2049)


@pytest.mark.parametrize("written, same_as", [
    ("NFS.Example.ORG", "nfs.example.org"),  # host names are case-insensitive
    ("nfs.example.org.", "nfs.example.org"),  # a final dot (FQDN) names the same host
    ("[FD00:0::1]", "fd00::1"),  # IPv6: brackets, case and zero compression do not count
])
def test_export_key_compares_the_server_as_a_host_name(written, same_as):
    assert export_key(_pv("x", written, "/a")) == export_key(_pv("y", same_as, "/a"))


@pytest.mark.parametrize("server, path, options", [
    ("127.0.0.2", "/nfs-data/v1", None),  # another server
    ("localhost", "/nfs-data/v1", None),  # names are not resolved: another server
    ("127.0.0.1", "/nfs-data/v10", None),
    ("127.0.0.1", "/nfs-data/v1/sub", None),  # a directory below is another directory (the role exports leaves)
    ("127.0.0.1", "/nfs-data/v1", ["port=12049"]),  # another server process on the same host
    ("127.0.0.1", "/nfs-data/v1", ["port=2049", "port=12049"]),  # the last port= wins, as for mount
])
def test_export_key_tells_other_exports_apart(server, path, options):
    assert export_key(_pv("x", server, path, options)) != ("127.0.0.1", "/nfs-data/v1", 2049)


def test_export_key_of_a_volume_without_nfs_source_is_none():
    assert export_key({"metadata": {"name": "local"}, "spec": {"hostPath": {"path": "/nfs-data/v1"}}}) is None
    assert export_key({}) is None and export_key(None) is None


def test_export_text_is_as_written_with_a_port_other_than_2049():
    assert export_text(_pv("x", "NFS.example.org", "/srv//a/")) == "NFS.example.org:/srv//a/"
    assert export_text(_pv("x", options=["port=2049"])) == "127.0.0.1:/nfs-data/v1"
    assert export_text(_pv("x", options=["nfsvers=4.1", "port=12049"])) == "127.0.0.1:/nfs-data/v1 (port 12049)"


def test_volumes_sharing_exports_pairs_each_volume_with_the_live_ones_of_another_name():
    placed = [("list[0]", _pv("a-1", path="/a")), ("list[1]", _pv("a-2", path="/b"))]
    live = [
        _pv("a-1", path="/a"),  # the volume itself
        _pv("b-1", path="/a/"),
        _pv("c-1", server="127.0.0.1.", path="//a"),
        _pv("b-2", path="/b", options=["port=12049"]),  # another server process
        {"metadata": {"name": "host"}, "spec": {"hostPath": {"path": "/b"}}},  # not NFS
        "not a volume",
    ]
    pairs = volumes_sharing_exports(placed, live)
    assert [(field, pv["metadata"]["name"], other["metadata"]["name"]) for field, pv, other in pairs] == [
        ("list[0]", "a-1", "b-1"), ("list[0]", "a-1", "c-1")]
    assert volumes_sharing_exports(placed, None) == [] and volumes_sharing_exports([], live) == []
