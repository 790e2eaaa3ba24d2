# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs/probe.py (libnfs messages captured from libnfs-utils 4.0)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import ProbeError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.probe import (
    explain_failure,
    probe_result,
    probe_targets,
    validate_marker,
)


@pytest.mark.parametrize("output,needle", [
    ('Failed to mount nfs share : nfs_service failed: RPC: Remote system error - Connection refused',
     "nothing listens there"),
    ('Failed to creat file /m.txt: creat call failed with "NFS4: (path /) failed with NFS4ERR_ACCESS(-13)"',
     "squashed identity"),
    ('Failed to open nfs://127.0.0.1/nope/x?version=4: NFS4: (path /nope) failed with NFS4ERR_NOENT(-2)',
     "pseudo path does not exist"),
    ("timed out after 15 s.", "cannot be reached"),
    # seen on the lab's separate hosts: a second write probe with the same marker
    ('Failed to creat file /.stateful-nfs-probe-node1: creat call failed with "NFS4: (path /) failed with NFS4ERR_EXIST(-17)"',
     "the marker file already exists in the export"),
    ("something new", "libnfs reported an error"),
])
def test_explain_failure(output, needle):
    assert needle in explain_failure(output)


def test_a_closed_port_explains_libnfs_vague_service_failure():
    output = "Failed to mount nfs share : nfs_service failed"
    assert "nothing listens there" in explain_failure(output, listening=False)
    assert "nothing listens there" not in explain_failure(output, listening=True)


@pytest.mark.parametrize("marker", ["", ".", "..", "a/b", "x y", 3])
def test_bad_markers(marker):
    with pytest.raises(ProbeError) as err:
        validate_marker(marker)
    assert "marker:" in str(err.value)


def test_good_marker():
    assert validate_marker(".stateful-nfs-probe-node1") == ".stateful-nfs-probe-node1"


def exported(name, clients):
    return {"name": name, "clients": clients}


def test_probe_targets_skip_only_exports_whose_clients_exclude_this_host():
    exports = [exported("v1", ["10.99.0.0/16"]), exported("v2", ["*"]), exported("v3", ["db-1", "10.99.0.0/16"])]
    assert probe_targets(exports, "127.0.0.1") == (exports[1:], ["v1: clients 10.99.0.0/16 do not include 127.0.0.1"])
    assert probe_targets(exports, None) == (exports, [])


def test_probe_result_names_every_failing_export():
    probes = [{"name": "v1", "url": "nfs://h/v1", "ok": True, "error": "", "hint": "", "mode": "write"},
              {"name": "v2", "url": "nfs://h/v2", "ok": False, "error": "NFS4ERR_ACCESS", "hint": "denied",
               "mode": "write"}]
    assert probe_result("write", probes[:1], ["v3: ..."]) == dict(changed=False, mode="write", probes=probes[:1],
                                                                  not_probed=["v3: ..."])
    with pytest.raises(ProbeError) as err:
        probe_result("write", probes, [])
    assert str(err.value) == "NFS write probe failed for 1 of 2 export(s): export 'v2' (nfs://h/v2): denied [NFS4ERR_ACCESS]"
    assert err.value.result == dict(mode="write", probes=probes, not_probed=[])
