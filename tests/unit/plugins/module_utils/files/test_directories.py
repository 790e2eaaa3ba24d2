# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/files/directories.py: input, the plan from the state of the host,
the diff and the result (pure; the host's state is given as data)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError
from ansible_collections.stateful.nfs.plugins.module_utils.files.directories import (
    InvalidDirectory,
    ancestors,
    diffs,
    owner_names_to_resolve,
    paths_to_look_at,
    plan_directories,
    directories_summary,
    validate,
)

USERS = {"root": 0, "nobody": 65534}
GROUPS = {"root": 0, "nogroup": 65534}


def absent():
    return {"type": "absent", "uid": None, "gid": None, "mode": None}


def directory(uid=0, gid=0, mode=0o755):
    return {"type": "directory", "uid": uid, "gid": gid, "mode": mode}


def export(path, owner="nobody", group="nogroup", mode="0755"):
    return {"path": path, "owner": owner, "group": group, "mode": mode}


def planned(directories=None, paths=None, states=None, attributes=None, users=None, groups=None):
    """The plan for the input, on a host where ``states`` lists what exists (the rest is absent) and
    ``users`` and ``groups`` (default: USERS, GROUPS) the names."""
    users = USERS if users is None else users
    groups = GROUPS if groups is None else groups
    items, defaults = validate(directories, paths, attributes)
    states = states or {}
    looked_at = dict((path, states.get(path, absent())) for path in paths_to_look_at(items))
    names_users, names_groups = owner_names_to_resolve(items, defaults)
    return plan_directories(items, defaults, looked_at, dict((n, users.get(n)) for n in names_users),
                            dict((n, groups.get(n)) for n in names_groups))


def refusal(**kwargs):
    with pytest.raises(InvalidDirectory) as exc:
        planned(**kwargs)
    return str(exc.value)


# ------------------------------------------------------------------ input

def test_validate_normalises_modes_and_ids():
    items, defaults = validate([export("/srv/v1", owner=1234, group="1234", mode="770")], ["/etc/x"])
    assert items == [
        {"path": "/srv/v1", "owner": "1234", "group": "1234", "mode": "0770", "where": "directories[0] ('/srv/v1')"},
        {"path": "/etc/x", "owner": "root", "group": "root", "mode": "0755", "where": "paths[0] ('/etc/x')"},
    ]
    assert defaults == {"owner": "root", "group": "root", "mode": "0755"}


def test_a_path_listed_twice_in_paths_is_one_directory():
    items, _defaults = validate(paths=["/a", "/b", "/a"])
    assert [item["path"] for item in items] == ["/a", "/b"]


def test_paths_take_the_given_attributes():
    items, defaults = validate(paths=["/etc/x"], attributes={"owner": "nobody", "group": None, "mode": "0700"})
    assert defaults == {"owner": "nobody", "group": "root", "mode": "0700"}
    assert items[0]["owner"] == "nobody" and items[0]["mode"] == "0700"


@pytest.mark.parametrize("kwargs, message", [
    (dict(directories=[export("/srv/v1", mode=493)]),
     "directories[0] ('/srv/v1'): mode: 493 must be a quoted string such as '0755'"),
    (dict(directories=[export("/srv/v1", mode="0999")]),
     "directories[0] ('/srv/v1'): mode: '0999' must be an octal mode string such as '0755' or '2775'"),
    (dict(directories=[export("/srv/v1"), export("/srv/v2", owner="Bad User")]),
     "directories[1] ('/srv/v2'): owner: 'Bad User' must be a user/group name or a numeric id"),
    (dict(directories=[export("/srv/v1", group=None)]),
     "directories[0] ('/srv/v1'): group: None must be a user/group name or a numeric id"),
    (dict(directories=[export("srv/v1")]), "directories[0] ('srv/v1'): path: 'srv/v1' must be an absolute path"),
    (dict(directories=[export("/srv/v1/")]),
     "directories[0] ('/srv/v1/'): path: '/srv/v1/' is not normalised; write it as '/srv/v1'"),
    (dict(directories=[export("/")]), "directories[0] ('/'): path: '/' cannot be managed"),
    (dict(directories=[export(None)]), "directories[0]: path: must be a non-empty string"),
    (dict(directories=[export("/srv/v1")], paths=["/srv/v1"]),
     "paths[0] ('/srv/v1'): path: '/srv/v1' is already listed as directories[0]"),
    (dict(directories=[export("/a"), export("/a", mode="0700")]),
     "directories[1] ('/a'): path: '/a' is already listed as directories[0]"),
    (dict(directories=["/srv/v1"]), "directories[0]: must be a mapping with keys path, owner, group and mode"),
    (dict(directories="/srv/v1"), "directories: must be a list"),
    (dict(paths=["/a"], attributes={"mode": 755}), "mode: 755 must be a quoted string such as '0755'"),
    (dict(paths=["/a"], attributes={"owner": "Root"}), "owner: 'Root' must be a user/group name or a numeric id"),
])
def test_bad_input_is_refused_naming_the_directory_and_the_field(kwargs, message):
    assert refusal(**kwargs).startswith(message)


def test_a_refusal_is_a_plan_error():
    assert issubclass(InvalidDirectory, PlanError)


def test_ancestors_from_the_top_without_the_root():
    assert ancestors("/a/b/c") == ["/a", "/a/b"]
    assert ancestors("/a") == []


def test_paths_to_look_at_are_each_directory_and_its_ancestors_once():
    items, _defaults = validate([export("/srv/nfs/v1"), export("/srv/nfs/v2")], ["/etc/g"])
    assert paths_to_look_at(items) == ["/srv", "/srv/nfs", "/srv/nfs/v1", "/srv/nfs/v2", "/etc", "/etc/g"]


def test_only_names_are_resolved_not_numeric_ids():
    items, defaults = validate([export("/a", owner="1234", group="nogroup"), export("/b", owner="nobody")])
    assert owner_names_to_resolve(items, defaults) == (["nobody", "root"], ["nogroup", "root"])


# ------------------------------------------------------------------ the plan

def test_nothing_to_do_on_a_converged_host():
    states = {"/srv": directory(), "/srv/v1": directory(65534, 65534, 0o755), "/srv/v2": directory(1234, 1234, 0o2770)}
    entries = planned(directories=[export("/srv/v1"), export("/srv/v2", "1234", "1234", "2770")], states=states)
    assert [(e["path"], e["changed"], e["changes"]) for e in entries] == [("/srv/v1", False, []), ("/srv/v2", False, [])]
    assert directories_summary(entries) == {"changed": False, "directories": entries, "changed_paths": []}
    assert diffs(entries) == []


def test_missing_parents_are_created_as_root_before_their_children():
    entries = planned(directories=[export("/nfs-data/x/v1"), export("/nfs-data/x/v2")], states={})
    assert [(e["path"], e["parent"], e["owner"], e["group"], e["mode"], e["uid"], e["changes"]) for e in entries] == [
        ("/nfs-data", True, "root", "root", "0755", 0, ["create"]),
        ("/nfs-data/x", True, "root", "root", "0755", 0, ["create"]),
        ("/nfs-data/x/v1", False, "nobody", "nogroup", "0755", 65534, ["create"]),
        ("/nfs-data/x/v2", False, "nobody", "nogroup", "0755", 65534, ["create"]),
    ]
    assert directories_summary(entries)["changed_paths"] == ["/nfs-data", "/nfs-data/x", "/nfs-data/x/v1", "/nfs-data/x/v2"]


def test_existing_parents_are_left_as_they_are():
    # /srv belongs to someone else with mode 0700: not listed, so not touched
    entries = planned(directories=[export("/srv/v1")], states={"/srv": directory(1234, 1234, 0o700)})
    assert [e["path"] for e in entries] == ["/srv/v1"]


def test_a_listed_parent_gets_its_own_attributes_and_comes_first():
    entries = planned(directories=[export("/d/a/b"), export("/d/a", "1234", "1234", "0770")], states={"/d": directory()})
    assert [(e["path"], e["parent"], e["uid"], e["mode"]) for e in entries] == [
        ("/d/a", False, 1234, "0770"), ("/d/a/b", False, 65534, "0755")]


def test_only_what_differs_is_changed():
    states = {"/srv": directory(), "/srv/v1": directory(0, 65534, 0o700)}
    entry = planned(directories=[export("/srv/v1")], states=states)[0]
    assert entry["changes"] == ["owner", "mode"] and entry["changed"]
    assert entry["before"] == {"uid": 0, "gid": 65534, "mode": "0700"}
    assert diffs([entry]) == [{
        "before": {"path": "/srv/v1", "owner": 0, "mode": "0700"},
        "after": {"path": "/srv/v1", "owner": 65534, "mode": "0755"},
        "before_header": "/srv/v1", "after_header": "/srv/v1"}]


def test_setgid_and_sticky_bits_count():
    states = {"/srv": directory(), "/srv/v1": directory(65534, 65534, 0o755)}
    assert planned(directories=[export("/srv/v1", mode="2755")], states=states)[0]["changes"] == ["mode"]
    states["/srv/v1"] = directory(65534, 65534, 0o2755)
    assert planned(directories=[export("/srv/v1", mode="0755")], states=states)[0]["changes"] == ["mode"]


def test_a_created_directory_shows_its_new_state_in_the_diff():
    entries = planned(paths=["/etc/g"], states={"/etc": directory()})
    assert diffs(entries) == [{"before": {"path": "/etc/g", "state": "absent"},
                               "after": {"path": "/etc/g", "state": "directory", "owner": 0, "group": 0, "mode": "0755"},
                               "before_header": "/etc/g", "after_header": "/etc/g"}]


@pytest.mark.parametrize("kwargs, message", [
    (dict(directories=[export("/srv/v1", owner="nosuchuser")]),
     "directories[0] ('/srv/v1'): owner: there is no user 'nosuchuser' on this host"),
    (dict(directories=[export("/srv/v1", group="nosuchgroup")]),
     "directories[0] ('/srv/v1'): group: there is no group 'nosuchgroup' on this host"),
    (dict(paths=["/srv/v1"], attributes={"group": "wheel"}), "paths[0] ('/srv/v1'): group: there is no group 'wheel' on this host"),
    (dict(directories=[export("/srv/v1")], states={"/srv": {"type": "file", "uid": 0, "gid": 0, "mode": 0o644}}),
     "directories[0] ('/srv/v1'): path: its parent '/srv' is a file, not a directory"),
    (dict(directories=[export("/srv/v1")],
          states={"/srv": directory(), "/srv/v1": {"type": "file", "uid": 0, "gid": 0, "mode": 0o644}}),
     "directories[0] ('/srv/v1'): path: '/srv/v1' is a file, not a directory"),
    (dict(directories=[export("/srv/v1")], states={"/srv": {"type": "link", "uid": None, "gid": None, "mode": None}}),
     "directories[0] ('/srv/v1'): path: its parent '/srv' is a symbolic link whose target does not exist, not a directory"),
])
def test_what_the_host_refuses_is_refused_before_anything_is_planned(kwargs, message):
    assert refusal(**kwargs) == message


def test_the_parents_owner_must_exist_when_a_parent_is_missing():
    message = refusal(directories=[export("/srv/v1")], attributes={"owner": "nosuchuser"})
    assert message == "missing parent '/srv': owner: there is no user 'nosuchuser' on this host"
    # ... and does not matter when no parent is missing
    assert planned(directories=[export("/srv/v1")], attributes={"owner": "nosuchuser"},
                   states={"/srv": directory()})[0]["changes"] == ["create"]


def test_numeric_ids_need_no_user_on_the_host():
    entry = planned(directories=[export("/srv/v1", "4321", "4321")], states={"/srv": directory()}, users={}, groups={})[0]
    assert (entry["uid"], entry["gid"]) == (4321, 4321)
