# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Client specifications of an export (pure, no I/O).

* ``parse_client_host`` classifies and canonicalises one specification (``*``, IP address, CIDR
  network, wildcard, host name, ``@netgroup``).
* ``client_allows`` tells whether one specification admits an address: the one client-matching rule.
* ``clients_exclude`` applies it to an export's whole client list: whether this host's address is
  certainly not admitted (the exports nfs_probe skips and nfs_exports_info cannot list from here).
* ``names_to_resolve`` picks the host names whose addresses ``exportfs -v`` may print instead.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import fail

_HOST_LABEL_RE = re.compile(r"^[A-Za-z0-9*?]([A-Za-z0-9*?-]{0,61}[A-Za-z0-9*?])?$")
_NETGROUP_RE = re.compile(r"^@[A-Za-z0-9_.-]+$")


def parse_client_host(value, where, field):
    """Classify a client specification; return ``(canonical, kind)``.

    ``kind`` is one of ``world``, ``ip``, ``network``, ``wildcard``, ``hostname``,
    ``netgroup``.  CIDR networks must not have host bits set; dotted netmasks are
    refused in favour of the prefix form (one way to write a network).
    """
    if not isinstance(value, str) or not value.strip():
        fail(where, field, "must be a non-empty string (a host name, IP address, CIDR network, "
             "wildcard such as *.example.com, @netgroup, or * for every host)")
    if value != value.strip():
        fail(where, field, "%r has leading or trailing spaces" % value)
    if value == "*":
        return value, "world"
    if _NETGROUP_RE.match(value):
        return value, "netgroup"
    if "/" in value:
        addr, _sep, prefix = value.partition("/")
        try:
            ipaddress.ip_address(addr)
        except ValueError:
            fail(where, field, "%r: %r is not an IP address" % (value, addr))
        if not prefix.isdigit():
            try:
                mask = ipaddress.ip_address(prefix)
            except ValueError:
                mask = None
            if mask is not None:
                try:
                    better = ipaddress.ip_network(value, strict=False).with_prefixlen
                except ValueError:
                    better = "<address>/<prefix length>"
                fail(where, field, "%r uses a dotted netmask; write it as %r" % (value, better))
            fail(where, field, "%r: the prefix length must be a number" % value)
        try:
            net = ipaddress.ip_network(value, strict=True)
        except ValueError as exc:
            if "host bits set" in str(exc):
                fail(where, field, "%r has host bits set; did you mean %r?"
                     % (value, ipaddress.ip_network(value, strict=False).with_prefixlen))
            fail(where, field, "%r is not a valid CIDR network (%s)" % (value, exc))
        if net.prefixlen == 0:
            return net.with_prefixlen, "world"
        return net.with_prefixlen, "network"
    try:
        return str(ipaddress.ip_address(value)), "ip"
    except ValueError:
        pass
    if len(value) > 253:
        fail(where, field, "%r is longer than 253 characters" % value)
    labels = value.split(".")
    for label in labels:
        if not _HOST_LABEL_RE.match(label):
            fail(where, field, "%r is not a host name, IP address, CIDR network, wildcard, "
                 "@netgroup or *" % value)
    if all(label.isdigit() for label in labels):
        fail(where, field, "%r is not a valid IPv4 address" % value)
    wildcard = "*" in value or "?" in value
    return value.lower(), ("wildcard" if wildcard else "hostname")


def client_allows(host, address):
    """Whether client specification ``host`` admits ``address``.

    Returns True or False for ``*``, IP addresses and networks, and None when
    it cannot be told without name service look-ups (host names, wildcards, netgroups).
    """
    try:
        addr = ipaddress.ip_address(address)
    except ValueError:
        return None
    if host == "*":
        return True
    if _NETGROUP_RE.match(host):
        return None
    try:
        if "/" in host:
            return addr in ipaddress.ip_network(host, strict=False)
        return addr == ipaddress.ip_address(host)
    except ValueError:
        return None


def clients_exclude(clients, address):
    """Whether the client specifications ``clients`` (of one export) certainly do not admit ``address``.

    True only when there is at least one client and every one of them tells False with
    ``client_allows``; a client that cannot be judged without look-ups (host name, wildcard,
    netgroup), or an ``address`` that is not an IP address, never excludes.
    """
    verdicts = [client_allows(host, address) for host in clients]
    return bool(verdicts) and all(verdict is False for verdict in verdicts)


def names_to_resolve(hosts):
    """The host names among the client specifications ``hosts`` (no addresses, networks, wildcards
    or netgroups), sorted and without repeats: exportfs may print them by their resolved names."""
    return sorted(set(host for host in hosts if client_allows(host, "127.0.0.1") is None
                      and not host.startswith("@") and "*" not in host and "?" not in host))
