# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs/net.py: the one "is something listening" check.

The connection is a stand-in: no port is opened or bound.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.nfs import net


class Connection(object):
    closed = False

    def close(self):
        self.closed = True


def test_an_accepted_connection_means_listening_and_is_closed(monkeypatch):
    calls = []
    conn = Connection()

    def create_connection(address, timeout):
        calls.append((address, timeout))
        return conn

    monkeypatch.setattr(net.socket, "create_connection", create_connection)
    assert net.listening("127.0.0.1", "12049", timeout=1) is True
    assert calls == [(("127.0.0.1", 12049), 1)]
    assert conn.closed


@pytest.mark.parametrize("error", [ConnectionRefusedError(111, "Connection refused"), socket.timeout("timed out"),
                                   OSError(113, "No route to host"), socket.gaierror(-2, "Name or service not known")])
def test_a_refused_or_unreachable_port_is_not_listening(monkeypatch, error):
    def create_connection(address, timeout):
        raise error

    monkeypatch.setattr(net.socket, "create_connection", create_connection)
    assert net.listening("nfs.example.com", 2049) is False


def test_the_default_wait_is_three_seconds(monkeypatch):
    timeouts = []
    monkeypatch.setattr(net.socket, "create_connection", lambda address, timeout: timeouts.append(timeout) or Connection())
    assert net.listening("127.0.0.1", 2049) is True
    assert timeouts == [3]
