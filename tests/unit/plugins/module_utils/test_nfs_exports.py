# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs_exports.py.

The exportfs -v fixtures were captured on Debian 12 (nfs-utils 2.6.2) by writing
the exports-<name>.txt file next to them into /etc/exports.d and running
``exportfs -ra; exportfs -v``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.nfs_exports import (
    ExportError,
    client_allows,
    compare_client_options,
    compare_kernel_exports,
    exported_facts,
    ganesha_client_settings,
    normalise_options,
    parse_client_host,
    parse_exportfs_v,
    validate_exports,
    validate_path,
    validate_server,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


TUTORIAL = [
    {"path": "/nfs-data/v%d" % i, "clients": [{"host": "*", "options": ["rw", "no_root_squash", "sync"]}]}
    for i in range(1, 5)
]


def one(**overrides):
    export = {"path": "/srv/nfs/v1", "clients": [{"host": "10.0.0.0/24", "options": ["rw"]}]}
    export.update(overrides)
    return [export]


# --------------------------------------------------------------------------- validation: happy paths


def test_tutorial_profile_needs_both_opt_ins_and_warns():
    exports, warnings = validate_exports(copy.deepcopy(TUTORIAL), allow_world_clients=True,
                                         allow_no_root_squash=True)
    assert [e["name"] for e in exports] == ["v1", "v2", "v3", "v4"]
    assert exports[0]["clients"][0]["options"] == ["rw", "sync", "no_root_squash", "no_subtree_check"]
    assert exports[0]["kernel_line"] == "/nfs-data/v1 *(rw,sync,no_root_squash,no_subtree_check)"
    assert len(warnings) == 8
    assert all("nfs_server_allow_" in w for w in warnings)


def test_defaults_are_secure_and_explicit():
    exports, warnings = validate_exports([{"path": "/srv/a", "clients": [{"host": "10.1.2.3"}]}])
    assert warnings == []
    export = exports[0]
    assert export["clients"][0]["options"] == ["ro", "sync", "root_squash", "no_subtree_check"]
    assert (export["owner"], export["group"], export["mode"]) == ("root", "root", "0755")
    assert export["pseudo"] == "/srv/a"
    assert export["ganesha"] == {"access_type": "None", "squash": "root_squash"}


def test_aliases_are_rewritten_and_order_is_canonical():
    options = normalise_options(["no_auth_nlm", "rw", "mp=/srv", "fsid=root", "async"], "e", "f", "kernel")
    assert options == ["rw", "async", "root_squash", "no_subtree_check", "insecure_locks", "mountpoint=/srv",
                       "fsid=0"]


def test_ganesha_pseudo_export_id_and_client_settings():
    exports, _w = validate_exports(
        one(ganesha={"pseudo": "/v1", "export_id": 7},
            clients=[{"host": "10.0.0.0/24", "options": ["rw", "all_squash", "anonuid=1000", "insecure",
                                                         "sec=sys:krb5"]}]),
        backend="ganesha")
    export = exports[0]
    assert (export["pseudo"], export["export_id"]) == ("/v1", 7)
    assert export["clients"][0]["ganesha"] == {
        "access_type": "RW", "squash": "all_squash", "anonymous_uid": 1000, "anonymous_gid": 65534,
        "sectype": ["sys", "krb5"], "privileged_port": False}


def test_kernel_backend_ignores_ganesha_pseudo():
    exports, _w = validate_exports(one(ganesha={"pseudo": "/elsewhere"}), backend="kernel")
    assert exports[0]["pseudo"] == "/srv/nfs/v1"


def test_default_owner_group_mode_are_used():
    exports, _w = validate_exports(one(), default_owner="nobody", default_group="nogroup", default_mode="775")
    assert (exports[0]["owner"], exports[0]["group"], exports[0]["mode"]) == ("nobody", "nogroup", "0775")


def test_exported_facts_shape():
    exports, _w = validate_exports(
        one(clients=[{"host": "10.0.0.0/24", "options": ["rw"]}, {"host": "192.168.1.5", "options": ["ro"]}]))
    facts = exported_facts(exports, "192.168.1.1", 2049)
    assert facts == [{
        "name": "v1", "path": "/srv/nfs/v1", "pseudo": "/srv/nfs/v1", "server": "192.168.1.1", "port": 2049,
        "clients": ["10.0.0.0/24", "192.168.1.5"],
        "options": ["sync", "root_squash", "no_subtree_check"],
        "client_options": [
            {"host": "10.0.0.0/24", "options": ["rw", "sync", "root_squash", "no_subtree_check"]},
            {"host": "192.168.1.5", "options": ["ro", "sync", "root_squash", "no_subtree_check"]}],
        "read_only": False,
    }]


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


# --------------------------------------------------------------------------- validation: errors name the field


@pytest.mark.parametrize("exports,kwargs,message", [
    (one(path="srv/nfs"), {}, "(nfs_server_exports[0]): path: 'srv/nfs' must be an absolute path"),
    (one(path="/srv/nfs/"), {}, "is not normalised; write it as '/srv/nfs'"),
    (one(path="/srv//nfs"), {}, "is not normalised; write it as '/srv/nfs'"),
    (one(path="/srv/../etc"), {}, "is not normalised; write it as '/etc'"),
    (one(path="/srv/my data"), {}, "may only contain"),
    (one(path="/"), {}, "is a system directory"),
    (one(path="/proc/self"), {}, "is under /proc"),
    (one(path="/srv/a") + one(path="/srv/a", name="other"), {}, "path: '/srv/a' is already used by nfs_server_exports[0]"),
    (one(path="/srv/a") + one(path="/data/a"), {}, "export 'a' (nfs_server_exports[1]): name: 'a' is already used"),
    (one(name="V1"), {}, "name: name: 'V1' must be lower case"),
    (one(path="/srv/My_Data"), {}, "name: not given, and the last path component is not usable"),
    (one(clients=[]), {}, "clients: must be a non-empty list"),
    (one(clients=None), {}, "there is no default client"),
    (one(clients=[{"host": "*", "options": ["rw"]}]), {}, "clients[0].host: '*' lets every host mount this export; "
                                                          "set nfs_server_allow_world_clients: true"),
    (one(clients=[{"host": "0.0.0.0/0"}]), {}, "nfs_server_allow_world_clients"),
    (one(clients=[{"host": "10.0.0.0/24", "options": ["rw", "no_root_squash"]}]), {},
     "clients[0].options: no_root_squash gives root on '10.0.0.0/24' root on /srv/nfs/v1; set "
     "nfs_server_allow_no_root_squash: true"),
    (one(clients=[{"host": "10.0.0.1/24"}]), {}, "clients[0].host: '10.0.0.1/24' has host bits set; did you mean "
                                                 "'10.0.0.0/24'?"),
    (one(clients=[{"host": "10.0.0.0/255.255.255.0"}]), {}, "uses a dotted netmask; write it as '10.0.0.0/24'"),
    (one(clients=[{"host": "10.0.0.0/33"}]), {}, "is not a valid CIDR network"),
    (one(clients=[{"host": "300.1.1.1"}]), {}, "'300.1.1.1' is not a valid IPv4 address"),
    (one(clients=[{"host": "bad_host!"}]), {}, "clients[0].host: 'bad_host!' is not a host name"),
    (one(clients=[{"host": "10.0.0.5"}, {"host": "10.0.0.5"}]), {}, "clients[1].host: '10.0.0.5' is already listed"),
    (one(clients=[{"host": "10.0.0.5", "options": ["rw", "ro"]}]), {}, "options 'ro' and 'rw' contradict"),
    (one(clients=[{"host": "10.0.0.5", "options": ["no_root_sqash"]}]), {},
     "clients[0].options: unknown export option 'no_root_sqash'; did you mean 'no_root_squash'?"),
    (one(clients=[{"host": "10.0.0.5", "options": ["rw,sync"]}]), {}, "one option per list item"),
    (one(clients=[{"host": "10.0.0.5", "options": ["rw", "rw"]}]), {}, "option 'rw' is given more than once"),
    (one(clients=[{"host": "10.0.0.5", "options": ["anonuid=nobody"]}]), {}, "anonuid must be a numeric id"),
    (one(clients=[{"host": "10.0.0.5", "options": ["sec=ntlm"]}]), {}, "security flavours must be"),
    (one(clients=[{"host": "10.0.0.5", "options": ["fsid"]}]), {}, "option 'fsid' needs a value"),
    (one(clients=[{"host": "10.0.0.5", "options": ["rw=1"]}]), {}, "option 'rw' takes no value"),
    (one(clients=[{"host": "10.0.0.5", "options": ["refer=/a@b"]}]), {}, "referrals are not managed"),
    (one(clients=[{"host": "10.0.0.5", "options": ["async"]}]), {"backend": "ganesha"},
     "clients[0].options: 'async' is a kernel-only exports(5) option with no NFS-Ganesha equivalent"),
    (one(clients=[{"host": "10.0.0.5", "hosts": "x"}]), {}, "clients[0]: unknown key(s) 'hosts' (did you mean 'host'?)"),
    (one(pahts="/x"), {}, "keys: unknown key(s) 'pahts' (did you mean 'path'?)"),
    (one(mode=0o755), {}, "mode: 493 must be a quoted string such as '0755'"),
    (one(mode="u+rwx"), {}, "mode: 'u+rwx' must be an octal mode string"),
    (one(owner="bad owner"), {}, "owner: 'bad owner' must be a user/group name"),
    (one(ganesha={"pseudo": "relative"}), {"backend": "ganesha"}, "ganesha.pseudo: 'relative' must be an absolute"),
    (one(ganesha={"pseudo": "/p"}) + one(path="/srv/b", ganesha={"pseudo": "/p"}), {"backend": "ganesha"},
     "export 'b' (nfs_server_exports[1]): ganesha.pseudo: '/p' is already the pseudo path of nfs_server_exports[0]"),
    (one(ganesha={"export_id": 3}) + one(path="/srv/b", ganesha={"export_id": 3}), {"backend": "ganesha"},
     "ganesha.export_id: 3 is already used by nfs_server_exports[0]"),
    (one(ganesha={"export_id": 0}), {"backend": "ganesha"}, "ganesha.export_id: 0 must be an integer between 1"),
    (one(ganesha={"access_type": "RW"}), {"backend": "ganesha"},
     "ganesha.access_type: 'RW' grants access to every host not listed"),
    (one(ganesha={"access_type": "rw"}), {"backend": "ganesha"}, "ganesha.access_type: 'rw' must be one of None"),
    (one(ganesha={"squash": "maybe"}), {"backend": "ganesha"}, "ganesha.squash: 'maybe' must be one of"),
    (one(ganesha={"pseudo": "/p", "Pseudo": "/q"}), {"backend": "ganesha"}, "ganesha: unknown key(s) 'Pseudo'"),
    (["not a dict"], {}, "nfs_server_exports[0]: must be a mapping"),
    ("not a list", {}, "nfs_server_exports: must be a list"),
    (one(), {"backend": "zfs"}, "nfs_server_backend: 'zfs' must be one of kernel, ganesha"),
])
def test_invalid_input_is_refused_naming_export_and_field(exports, kwargs, message):
    with pytest.raises(ExportError) as err:
        validate_exports(exports, **kwargs)
    assert message in str(err.value)


def test_validate_path_accepts_ordinary_directories():
    assert validate_path("/srv/nfs-data/v1", "e") == "/srv/nfs-data/v1"


@pytest.mark.parametrize("server,port,message", [
    ("", 2049, "nfs_server_address: must be set"),
    ("10.0.0.0/8", 2049, "must be a single IP address or host name"),
    ("127.0.0.1", 0, "port: 0 must be an integer between 1 and 65535"),
    ("127.0.0.1", True, "port: True must be an integer"),
])
def test_validate_server_errors(server, port, message):
    with pytest.raises(ExportError) as err:
        validate_server(server, port)
    assert message in str(err.value)


def test_validate_server_ok():
    assert validate_server("nfs.example.com", 12049) == ("nfs.example.com", 12049)


def test_ganesha_defaults_match_kernel_semantics():
    settings = ganesha_client_settings(["ro", "sync", "root_squash", "no_subtree_check"])
    assert settings == {"access_type": "RO", "squash": "root_squash", "anonymous_uid": 65534,
                        "anonymous_gid": 65534, "sectype": ["sys"], "privileged_port": True}


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
