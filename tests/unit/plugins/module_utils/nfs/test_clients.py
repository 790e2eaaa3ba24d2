# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs/clients.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.clients import (
    client_allows,
    clients_exclude,
    names_to_resolve,
    parse_client_host,
)


@pytest.mark.parametrize("host,canonical,kind", [
    ("*", "*", "world"),
    ("0.0.0.0/0", "0.0.0.0/0", "world"),
    ("10.0.0.0/8", "10.0.0.0/8", "network"),
    ("2001:db8::/32", "2001:db8::/32", "network"),
    ("192.168.1.7", "192.168.1.7", "ip"),
    ("2001:DB8::1", "2001:db8::1", "ip"),
    ("Node1.Example.com", "node1.example.com", "hostname"),
    ("*.example.com", "*.example.com", "wildcard"),
    ("node?.lab", "node?.lab", "wildcard"),
    ("@trusted", "@trusted", "netgroup"),
])
def test_client_hosts(host, canonical, kind):
    assert parse_client_host(host, "e", "f") == (canonical, kind)


@pytest.mark.parametrize("host,address,expected", [
    ("*", "127.0.0.1", True),
    ("127.0.0.0/8", "127.0.0.1", True),
    ("10.0.0.0/8", "127.0.0.1", False),
    ("127.0.0.1", "127.0.0.1", True),
    ("127.0.0.2", "127.0.0.1", False),
    ("node1.example.com", "127.0.0.1", None),
    ("@trusted", "127.0.0.1", None),
    ("*", "nfs.example.com", None),
])
def test_client_allows(host, address, expected):
    assert client_allows(host, address) is expected


# The one "client of this host" rule: nfs_probe skips such an export (not_probed), nfs_exports_info
# reports it as unverified instead of as a problem. Both ask clients_exclude.
@pytest.mark.parametrize("clients,address,excluded", [
    (["10.99.0.0/16"], "127.0.0.1", True),
    (["10.99.0.0/16", "192.168.1.5"], "127.0.0.1", True),
    (["10.99.0.0/16", "127.0.0.0/8"], "127.0.0.1", False),
    (["*"], "127.0.0.1", False),
    (["127.0.0.1"], "127.0.0.1", False),
    # a client that cannot be judged without name service look-ups never excludes
    (["10.99.0.0/16", "node1.example.com"], "127.0.0.1", False),
    (["10.99.0.0/16", "*.example.com"], "127.0.0.1", False),
    (["10.99.0.0/16", "@trusted"], "127.0.0.1", False),
    # nor does an address that is not an IP address, nor an export without clients
    (["10.99.0.0/16"], "nfs.example.com", False),
    ([], "127.0.0.1", False),
    (["2001:db8::/32"], "2001:db8::7", False),
    (["2001:db8::/32"], "2001:db9::7", True),
])
def test_clients_exclude(clients, address, excluded):
    assert clients_exclude(clients, address) is excluded


def test_names_to_resolve_are_the_plain_host_names():
    hosts = ["db-1", "*", "10.0.0.0/8", "127.0.0.1", "::1", "*.example.com", "node?.lab", "@trusted",
             "localhost", "db-1"]
    assert names_to_resolve(hosts) == ["db-1", "localhost"]
