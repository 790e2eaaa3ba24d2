# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs/exports.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.exports import (
    ExportError,
    exported_facts,
    validate_exports,
    validate_server,
)

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
