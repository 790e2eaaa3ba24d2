# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs/ganesha.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.common.processes import parse_cmdline
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.ganesha import (
    check_mode_result,
    command,
    config_of,
    connect_address,
    describe_instance,
    is_our_daemon,
    plan,
    reload_is_logged,
)

# /proc/<pid>/cmdline of a Ganesha 4.3 started by the module
CMDLINE = (b"/usr/bin/ganesha.nfsd\x00-f\x00/srv/molecule-nfs/ganesha/etc/ganesha.conf\x00-L\x00"
           b"/srv/molecule-nfs/ganesha/log/ganesha.log\x00-p\x00/srv/molecule-nfs/ganesha/run/ganesha.pid\x00"
           b"-N\x00NIV_EVENT\x00")
CONF = "/srv/molecule-nfs/ganesha/etc/ganesha.conf"


def test_our_daemon_is_recognised_by_binary_and_config():
    argv = parse_cmdline(CMDLINE)
    assert config_of(argv) == CONF
    assert is_our_daemon(argv, CONF)
    assert is_our_daemon(argv, CONF.replace("/etc/", "/etc/./"))
    assert not is_our_daemon(argv, "/etc/ganesha/ganesha.conf")
    assert not is_our_daemon(["/usr/bin/sleep", "-f", CONF], CONF)
    assert not is_our_daemon([], CONF)
    assert is_our_daemon(["ganesha.nfsd", "-f" + CONF], CONF)


def test_command_round_trips_through_config_of():
    argv = command("/usr/bin/ganesha.nfsd", CONF, "/l", "/p", "NIV_EVENT")
    assert argv == ["/usr/bin/ganesha.nfsd", "-f", CONF, "-L", "/l", "-p", "/p", "-N", "NIV_EVENT"]
    assert is_our_daemon(argv, CONF)


@pytest.mark.parametrize("state,running,actions", [
    ("started", True, []), ("started", False, ["start"]),
    ("stopped", True, ["stop"]), ("stopped", False, []),
    ("restarted", True, ["stop", "start"]), ("restarted", False, ["start"]),
    ("reloaded", True, ["hup"]), ("reloaded", False, ["start"]),
])
def test_plan(state, running, actions):
    assert plan(state, running) == actions


def test_plan_rejects_unknown_state():
    with pytest.raises(ValueError) as err:
        plan("paused", True)
    assert "state:" in str(err.value)


@pytest.mark.parametrize("bind,target", [("0.0.0.0", "127.0.0.1"), ("", "127.0.0.1"), ("::", "::1"),
                                         ("127.0.0.5", "127.0.0.5")])
def test_connect_address(bind, target):
    assert connect_address(bind) == target


@pytest.mark.parametrize("pid_text,argv,running,why", [
    (None, None, False, "no pid file"),
    ("junk", None, False, "the pid file holds no pid"),
    ("4242\n", None, False, "pid 4242 is not running"),
    ("4242\n", ["/usr/bin/sleep", "100"], False, "pid 4242 is not ganesha.nfsd -f " + CONF),
    ("4242\n", parse_cmdline(CMDLINE), True, ""),
])
def test_describe_instance(pid_text, argv, running, why):
    info = describe_instance(pid_text, argv, CONF)
    assert info["running"] is running
    assert info["why"].startswith(why)
    assert info["config"] == CONF


@pytest.mark.parametrize("level,logged", [("NIV_EVENT", True), ("NIV_FULL_DEBUG", True), ("NIV_WARN", False),
                                          ("NIV_CRIT", False)])
def test_reload_is_logged(level, logged):
    assert reload_is_logged(level) is logged


def test_check_mode_result():
    assert check_mode_result("started", ["start"], None) == dict(changed=True, actions=["start"], pid=None,
                                                                 running=True)
    assert check_mode_result("stopped", [], None) == dict(changed=False, actions=[], pid=None, running=False)
    assert check_mode_result("stopped", ["stop"], 42) == dict(changed=True, actions=["stop"], pid=42, running=False)
