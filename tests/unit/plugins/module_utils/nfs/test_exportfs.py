# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs/exportfs.py.

The exportfs -v fixtures were captured on Debian 12 (nfs-utils 2.6.2) by writing
the exports-<name>.txt file next to them into /etc/exports.d and running
``exportfs -ra; exportfs -v``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.exportfs import (
    compare_client_options,
    compare_kernel_exports,
    parse_exportfs_v,
)
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.exports import exported_facts, validate_exports

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


# --------------------------------------------------------------------------- exportfs -v parsing (real outputs)


def test_parse_tutorial_world_export():
    assert parse_exportfs_v(fixture("exportfs-v-tutorial.txt")) == [{
        "path": "/tmp/ktest/a", "client": "*",
        "options": ["sync", "wdelay", "hide", "no_subtree_check", "sec=sys", "rw", "no_root_squash",
                    "no_all_squash"]}]


def test_parse_mixed_clients():
    rows = parse_exportfs_v(fixture("exportfs-v-mixed.txt"))
    assert [(r["path"], r["client"]) for r in rows] == [
        ("/tmp/ktest/b", "127.0.0.1"), ("/tmp/ktest/b", "10.1.0.0/16"), ("/tmp/ktest/c", "2001:db8::/32"),
        ("/tmp/ktest/d", "192.168.3.0/24"), ("/tmp/ktest/b", "*.example.com"), ("/tmp/ktest/c", "@trusted"),
        ("/tmp/ktest/a", "*")]
    assert "sec=krb5p:krb5i" in rows[4]["options"]
    assert "anonuid=1000" in rows[1]["options"]


def test_parse_long_paths_wrap_onto_a_second_line():
    rows = parse_exportfs_v(fixture("exportfs-v-longpath.txt"))
    assert [(r["path"], r["client"]) for r in rows] == [
        ("/tmp/ktest/a-very-long-directory-name/sub", "127.0.0.1"),
        ("/tmp/ktest/with space", "127.0.0.1"),
        ("/tmp/ktest/b", "127.0.0.1"),
        ("/tmp/ktest/a-very-long-directory-name/sub", "10.0.0.0/8")]
    assert rows[3]["options"][-3:] == ["ro", "root_squash", "no_all_squash"]


def test_parse_empty_output():
    assert parse_exportfs_v(fixture("exportfs-v-empty.txt")) == []


@pytest.mark.parametrize("text", ["\t\t127.0.0.1(rw)\n", "/srv/a\n", "/srv/a  \tclient-without-options\n \tjunk\n"])
def test_parse_rejects_garbage(text):
    with pytest.raises(ValueError):
        parse_exportfs_v(text)


# --------------------------------------------------------------------------- comparing asked vs exportfs -v


def _facts(exports, **kwargs):
    normalised, _w = validate_exports(exports, **kwargs)
    return exported_facts(normalised, "127.0.0.1", 2049)


def test_tutorial_matches_its_real_exportfs_output():
    clients = [{"host": "*", "options": ["rw", "no_root_squash", "sync"]}]
    expected = _facts([{"path": "/tmp/ktest/a", "clients": clients}],
                      allow_world_clients=True, allow_no_root_squash=True)
    result = compare_kernel_exports(expected, parse_exportfs_v(fixture("exportfs-v-tutorial.txt")))
    assert result["problems"] == []
    assert result["other_exports"] == []


def test_mixed_matches_its_real_exportfs_output():
    expected = _facts([
        {"path": "/tmp/ktest/b", "clients": [
            {"host": "127.0.0.1", "options": ["ro", "sync", "no_subtree_check"]},
            {"host": "10.1.0.0/16", "options": ["rw", "async", "root_squash", "anonuid=1000", "anongid=1000",
                                                "insecure"]},
            {"host": "*.example.com", "options": ["ro", "all_squash", "sec=krb5p:krb5i"]}]},
        {"path": "/tmp/ktest/c", "clients": [
            {"host": "@trusted", "options": ["rw", "sync", "no_wdelay", "nohide", "crossmnt", "fsid=7",
                                             "insecure_locks"]},
            {"host": "2001:db8::/32", "options": ["rw", "sync", "mountpoint"]}]},
        {"path": "/tmp/ktest/d", "clients": [
            {"host": "192.168.3.0/24", "options": ["rw", "sync", "fsid=root", "no_auth_nlm", "mp=/tmp/ktest"]}]},
    ])
    result = compare_kernel_exports(expected, parse_exportfs_v(fixture("exportfs-v-mixed.txt")))
    assert result["problems"] == []
    assert result["unverified"] == ["export 'b' client '10.1.0.0/16': insecure (exportfs -v never shows it)"]
    assert [r["path"] for r in result["other_exports"]] == ["/tmp/ktest/a"]


def test_hidden_defaults_are_checked_by_the_absence_of_their_opposite():
    expected = _facts([
        {"path": "/tmp/ktest/e", "clients": [{"host": "127.0.0.2", "options": [
            "rw", "sync", "no_subtree_check", "nordirplus", "security_label", "pnfs", "secure_locks", "acl",
            "nocrossmnt", "hide", "wdelay", "no_all_squash"]}]},
        {"path": "/tmp/ktest/a", "clients": [{"host": "127.0.0.3", "options": ["rw", "sync", "subtree_check",
                                                                               "no_acl"]}]}])
    actual = parse_exportfs_v(fixture("exportfs-v-hidden.txt"))
    assert compare_kernel_exports(expected, actual)["problems"] == []
    # flip one: asking for acl where exportfs shows no_acl must be reported
    expected[1]["client_options"][0]["options"] = ["rw", "sync", "subtree_check", "acl"]
    problems = compare_kernel_exports(expected, actual)["problems"]
    assert problems == ["export 'a' (/tmp/ktest/a) client '127.0.0.3': asked for 'acl' but exportfs shows 'no_acl'"]


def test_unresolvable_host_is_reported_missing():
    expected = _facts([{"path": "/tmp/ktest/a", "clients": [
        {"host": "no-such-host.invalid", "options": ["rw"]}, {"host": "127.0.0.1", "options": ["rw"]}]}])
    problems = compare_kernel_exports(expected, parse_exportfs_v(fixture("exportfs-v-unresolvable.txt")))["problems"]
    assert len(problems) == 1
    assert "client 'no-such-host.invalid' is not exported" in problems[0]


def test_resolved_host_names_match_through_aliases():
    expected = _facts([{"path": "/tmp/ktest/with-alias", "clients": [{"host": "localhost", "options": ["rw"]}]}])
    actual = [{"path": "/tmp/ktest/with-alias", "client": "127.0.0.1",
               "options": ["sync", "wdelay", "hide", "no_subtree_check", "sec=sys", "rw", "root_squash",
                           "no_all_squash"]}]
    assert compare_kernel_exports(expected, actual)["problems"] != []
    assert compare_kernel_exports(expected, actual, {"localhost": ["127.0.0.1", "::1"]})["problems"] == []


def test_wrong_access_missing_export_and_extra_client_are_reported():
    expected = _facts([{"path": "/tmp/ktest/a", "clients": [{"host": "10.9.0.0/16", "options": ["rw"]}]},
                       {"path": "/tmp/ktest/zz", "clients": [{"host": "10.9.0.0/16", "options": ["rw"]}]}])
    actual = parse_exportfs_v(fixture("exportfs-v-tutorial.txt")) + [
        {"path": "/tmp/ktest/a", "client": "10.9.0.0/16", "options": ["sync", "ro", "root_squash"]}]
    problems = compare_kernel_exports(expected, actual)["problems"]
    assert any("client '10.9.0.0/16': asked for 'rw'" in p for p in problems)
    assert any("export 'zz' (/tmp/ktest/zz): not exported at all" in p for p in problems)
    assert any("path /tmp/ktest/a is also exported to '*'" in p for p in problems)


@pytest.mark.parametrize("requested,actual,problem", [
    (["anonuid=1000"], ["rw"], "asked for anonuid=1000 but exportfs shows anonuid=65534"),
    (["anonuid=65534"], ["rw"], None),
    (["fsid=7"], ["fsid=8"], "asked for 'fsid=7' but exportfs shows fsid=8"),
    (["fsid=7"], ["rw"], "asked for 'fsid=7' but exportfs shows no fsid="),
    (["secure"], [], None),
])
def test_compare_client_options(requested, actual, problem):
    problems, _unverified = compare_client_options(requested, actual)
    assert problems == ([problem] if problem else [])
