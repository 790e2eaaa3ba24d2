# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs_probe.py (libnfs messages captured from libnfs-utils 4.0)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.nfs_probe import (
    ProbeError,
    compare_pseudo_root,
    explain_failure,
    first_components,
    nfs_url,
    parse_nfs_ls,
    validate_marker,
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


@pytest.mark.parametrize("output,needle", [
    ('Failed to mount nfs share : nfs_service failed: RPC: Remote system error - Connection refused',
     "nothing listens there"),
    ('Failed to creat file /m.txt: creat call failed with "NFS4: (path /) failed with NFS4ERR_ACCESS(-13)"',
     "squashed identity"),
    ('Failed to open nfs://127.0.0.1/nope/x?version=4: NFS4: (path /nope) failed with NFS4ERR_NOENT(-2)',
     "pseudo path does not exist"),
    ("timed out after 15 s.", "cannot be reached"),
    ("something new", "libnfs reported an error"),
])
def test_explain_failure(output, needle):
    assert needle in explain_failure(output)


def test_a_closed_port_explains_libnfs_vague_service_failure():
    output = "Failed to mount nfs share : nfs_service failed"
    assert "nothing listens there" in explain_failure(output, listening=False)
    assert "nothing listens there" not in explain_failure(output, listening=True)


def test_parse_nfs_ls_and_pseudo_root():
    assert parse_nfs_ls(NFS_LS_ROOT) == ["a", "exp1"]
    assert first_components(["/a/exp2", "/exp1", "/"]) == set(["a", "exp1"])
    assert compare_pseudo_root(["/a/exp2"], parse_nfs_ls(NFS_LS_ROOT)) == ["exp1"]
    assert compare_pseudo_root(["/a/exp2", "/exp1"], parse_nfs_ls(NFS_LS_ROOT)) == []


@pytest.mark.parametrize("marker", ["", ".", "..", "a/b", "x y", 3])
def test_bad_markers(marker):
    with pytest.raises(ProbeError) as err:
        validate_marker(marker)
    assert "marker:" in str(err.value)


def test_good_marker():
    assert validate_marker(".stateful-nfs-probe-node1") == ".stateful-nfs-probe-node1"


@pytest.mark.parametrize("timeout", [0, -5, True, "15", 1.5, None])
def test_bad_timeouts(timeout):
    with pytest.raises(ProbeError, match=r"^timeout: must be a positive number of seconds, got "):
        validate_timeout(timeout)


@pytest.mark.parametrize("timeout", [1, 15, 600])
def test_good_timeouts(timeout):
    assert validate_timeout(timeout) == timeout
