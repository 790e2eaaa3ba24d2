# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs/libnfs.py (libnfs messages captured from libnfs-utils 4.0)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.nfs import net
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import ProbeError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.libnfs import (
    Libnfs,
    nfs_url,
    parse_nfs_ls,
    validate_timeout,
)

# nfs-ls of a Ganesha 4.3 pseudo root (NFSv4, port 12049)
NFS_LS_ROOT = "drwxr-xr-x  3 65534 65534            0 a\ndrwxr-xr-x  2 65534 65534         4096 exp1\n"


@pytest.mark.parametrize("args,kwargs,url", [
    (("127.0.0.1", "/nfs-data/v1"), {}, "nfs://127.0.0.1/nfs-data/v1?version=4"),
    (("127.0.0.1", "/nfs-data/v1", ".probe"), {"port": 12049, "uid": 0, "gid": 0},
     "nfs://127.0.0.1/nfs-data/v1/.probe?version=4&nfsport=12049&uid=0&gid=0"),
    (("127.0.0.1", "/"), {}, "nfs://127.0.0.1/?version=4"),
    (("::1", "/v1"), {}, "nfs://[::1]/v1?version=4"),
    (("nfs.example.com", "/a b"), {}, "nfs://nfs.example.com/a%20b?version=4"),
])
def test_nfs_url(args, kwargs, url):
    assert nfs_url(*args, **kwargs) == url


def test_parse_nfs_ls():
    assert parse_nfs_ls(NFS_LS_ROOT) == ["a", "exp1"]


@pytest.mark.parametrize("timeout", [0, -5, True, "15", 1.5, None])
def test_bad_timeouts(timeout):
    with pytest.raises(ProbeError, match=r"^timeout: must be a positive number of seconds, got "):
        validate_timeout(timeout)


@pytest.mark.parametrize("timeout", [1, 15, 600])
def test_good_timeouts(timeout):
    assert validate_timeout(timeout) == timeout


# --------------------------------------------------------------------------- Libnfs, the I/O class


class FakeModule(object):
    """What Libnfs uses of AnsibleModule: the tools on PATH, run_command (recorded) and tmpdir."""

    def __init__(self, tmpdir, tools=("nfs-ls", "nfs-cp", "nfs-cat", "timeout"), rc=0):
        self.tmpdir = tmpdir
        self.tools = tools
        self.rc = rc
        self.looked_up = []
        self.commands = []
        self.copied = None

    def get_bin_path(self, tool, required=False, opt_dirs=None):
        self.looked_up.append(tool)
        return "/usr/bin/" + tool if tool in self.tools else None

    def run_command(self, cmd):
        self.commands.append(cmd)
        if cmd[2] == "/usr/bin/nfs-cp":
            with open(cmd[3]) as handle:
                self.copied = handle.read()
        return self.rc, "out", "err"


def test_a_zero_timeout_is_refused_before_any_tool_is_looked_for(tmp_path):
    module = FakeModule(str(tmp_path))
    with pytest.raises(ProbeError, match=r"^timeout: must be a positive number of seconds, got 0$"):
        Libnfs(module, 0)
    assert module.looked_up == []


def test_missing_tools_are_named(tmp_path):
    with pytest.raises(ProbeError) as err:
        Libnfs(FakeModule(str(tmp_path), tools=("nfs-ls", "timeout")), 15)
    assert str(err.value) == ("nfs-cp, nfs-cat not found: install libnfs-utils (the nfs_client and nfs_server "
                              "roles do)")


def test_every_command_runs_under_timeout(tmp_path):
    module = FakeModule(str(tmp_path))
    assert Libnfs(module, 7).run("nfs-ls", "nfs://127.0.0.1/?version=4") == (0, "out", "err")
    assert module.commands == [["/usr/bin/timeout", "7", "/usr/bin/nfs-ls", "nfs://127.0.0.1/?version=4"]]


def test_a_timed_out_command_says_so(tmp_path):
    rc, _out, err = Libnfs(FakeModule(str(tmp_path), rc=124), 7).run("nfs-cat", "nfs://h/x?version=4")
    assert (rc, err) == (124, "timed out after 7 s. err")


def test_put_copies_a_file_holding_the_text_from_the_module_tmpdir(tmp_path):
    module = FakeModule(str(tmp_path))
    assert Libnfs(module, 7).put("token\n", "nfs://h/v1/.m?version=4") == (0, "out", "err")
    [cmd] = module.commands
    assert cmd[:3] == ["/usr/bin/timeout", "7", "/usr/bin/nfs-cp"] and cmd[4] == "nfs://h/v1/.m?version=4"
    assert cmd[3].startswith(str(tmp_path)) and module.copied == "token\n"


def test_map_runs_the_calls_and_keeps_their_order(tmp_path):
    nfs = Libnfs(FakeModule(str(tmp_path)), 7)
    assert nfs.map(lambda n: n * 2, [3, 1, 2]) == [6, 2, 4]
    assert nfs.map(lambda n: n * 2, []) == []


def test_listening_is_the_one_connect_check():
    """Libnfs tells a stopped server with net.listening, the check the Ganesha daemon waits with."""
    assert Libnfs.listening is net.listening
