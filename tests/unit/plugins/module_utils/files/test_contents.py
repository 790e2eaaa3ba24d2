# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/files/contents.py: input, the plan from the state of the host, the
diff and the result (pure; the host's state is given as data)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError
from ansible_collections.stateful.nfs.plugins.module_utils.files.attributes import owner_names
from ansible_collections.stateful.nfs.plugins.module_utils.files.contents import (
    InvalidFile,
    file_diffs,
    files_summary,
    plan_files,
    validate_files,
)

USERS = {"root": 0, "ganesha": 120}
GROUPS = {"root": 0, "ganesha": 130}


def absent(directory="directory"):
    return {"type": "absent", "uid": None, "gid": None, "mode": None, "data": None, "directory": directory}


def regular(data, uid=0, gid=0, mode=0o644):
    return {"type": "file", "uid": uid, "gid": gid, "mode": mode, "data": data, "directory": "directory"}


def planned(files, states=None, check_mode=False):
    items = validate_files(files)
    users, groups = owner_names(items)
    states = dict((item["path"], (states or {}).get(item["path"], absent())) for item in items)
    entries = plan_files(items, states, dict((n, USERS.get(n)) for n in users), dict((n, GROUPS.get(n)) for n in groups),
                         check_mode=check_mode)
    return items, entries, states


def refusal(files, states=None):
    with pytest.raises(InvalidFile) as exc:
        planned(files, states)
    assert isinstance(exc.value, PlanError)
    return str(exc.value)


# ------------------------------------------------------------------ input

def test_defaults_are_root_root_0644_and_a_short_mode_gets_four_digits():
    items = validate_files([{"path": "/etc/a.conf", "content": "x\n"}, {"path": "/etc/b.conf", "content": "", "mode": "600"}])
    assert [(i["owner"], i["group"], i["mode"]) for i in items] == [("root", "root", "0644"), ("root", "root", "0600")]


@pytest.mark.parametrize("files, message", [
    ("a", "files: must be a list"),
    (["a"], "files[0]: must be a mapping"),
    ([{"content": "x"}], "files[0]: path: must be a non-empty string"),
    ([{"path": "etc/a", "content": "x"}], "files[0] ('etc/a'): path: 'etc/a' must be an absolute path"),
    ([{"path": "/etc//a", "content": "x"}], "files[0] ('/etc//a'): path: '/etc//a' is not normalised; write it as '/etc/a'"),
    ([{"path": "/", "content": "x"}], "files[0] ('/'): path: '/' is a directory, not a file"),
    ([{"path": "/etc/a"}], "files[0] ('/etc/a'): content: must be a string (the whole content of the file), not missing"),
    ([{"path": "/etc/a", "content": 3}], "files[0] ('/etc/a'): content: must be a string (the whole content of the file), not int"),
    ([{"path": "/etc/a", "content": "x", "mode": 420}], "files[0] ('/etc/a'): mode: 420 must be a quoted string"),
    ([{"path": "/etc/a", "content": "x", "owner": "Bad Name"}], "files[0] ('/etc/a'): owner: 'Bad Name' must be a user/group name"),
    ([{"path": "/etc/a", "content": "x"}, {"path": "/etc/a", "content": "y"}],
     "files[1] ('/etc/a'): path: '/etc/a' is already listed as files[0]"),
])
def test_bad_input_is_refused_naming_the_file_and_the_field(files, message):
    assert message in refusal(files)


# ------------------------------------------------------------------ plan

def test_a_missing_file_is_created_with_its_ids_and_checksum():
    _items, entries, _states = planned([{"path": "/etc/a.conf", "content": "x\n", "owner": "ganesha", "group": "130"}])
    assert entries == [{"path": "/etc/a.conf", "owner": "ganesha", "group": "130", "mode": "0644", "uid": 120, "gid": 130,
                        "state": "absent", "checksum": hashlib.sha1(b"x\n").hexdigest(), "changes": ["create"],
                        "changed": True}]


def test_a_file_that_holds_everything_is_left_alone():
    _items, entries, _states = planned([{"path": "/etc/a.conf", "content": "é\n"}],
                                       {"/etc/a.conf": regular(u"é\n".encode("utf-8"))})
    assert entries[0]["changes"] == [] and not entries[0]["changed"]
    assert entries[0]["before"] == {"uid": 0, "gid": 0, "mode": "0644", "checksum": hashlib.sha1(u"é\n".encode("utf-8")).hexdigest()}


def test_each_difference_is_named():
    _items, entries, _states = planned(
        [{"path": "/etc/a", "content": "new\n"}, {"path": "/etc/b", "content": "same\n", "owner": "ganesha", "mode": "0600"},
         {"path": "/etc/c", "content": "same\n", "group": "ganesha"}],
        {"/etc/a": regular(b"old\n"), "/etc/b": regular(b"same\n"), "/etc/c": regular(b"same\n")})
    assert [e["changes"] for e in entries] == [["content"], ["owner", "mode"], ["group"]]
    assert files_summary(entries)["changed_paths"] == ["/etc/a", "/etc/b", "/etc/c"]


@pytest.mark.parametrize("state, message", [
    ({"type": "directory", "uid": 0, "gid": 0, "mode": 0o755, "data": None, "directory": "directory"},
     "files[0] ('/etc/a'): path: '/etc/a' is a directory, not a file"),
    ({"type": "link", "uid": None, "gid": None, "mode": None, "data": None, "directory": "directory"},
     "'/etc/a' is a symbolic link whose target does not exist, not a file"),
    (absent("absent"), "files[0] ('/etc/a'): path: its directory '/etc' does not exist"),
    (absent("file"), "files[0] ('/etc/a'): path: its directory '/etc' is not a directory"),
])
def test_a_path_that_cannot_be_a_file_is_refused(state, message):
    assert message in refusal([{"path": "/etc/a", "content": "x"}], {"/etc/a": state})


def test_in_check_mode_a_file_in_a_missing_directory_is_planned_as_created():
    # an earlier task in check mode only said it would create the directory (the plan of a fresh host)
    _items, entries, _states = planned([{"path": "/etc/ganesha/ganesha.conf", "content": "x"}],
                                       {"/etc/ganesha/ganesha.conf": absent("absent")}, check_mode=True)
    assert entries[0]["changes"] == ["create"]
    with pytest.raises(InvalidFile):  # a directory that is a file cannot become one
        planned([{"path": "/etc/a", "content": "x"}], {"/etc/a": absent("file")}, check_mode=True)


def test_an_unknown_owner_is_refused_naming_the_field_before_anything_else():
    message = refusal([{"path": "/etc/a", "content": "x"}, {"path": "/etc/b", "content": "x", "group": "nosuch"}])
    assert message == "files[1] ('/etc/b'): group: there is no group 'nosuch' on this host"


# ------------------------------------------------------------------ diff and result

def test_the_diff_shows_content_and_attributes_of_changed_files_only():
    items, entries, states = planned(
        [{"path": "/etc/new", "content": "n\n"}, {"path": "/etc/same", "content": "s\n"},
         {"path": "/etc/edited", "content": "after\n", "mode": "0600"}],
        {"/etc/same": regular(b"s\n"), "/etc/edited": regular(b"before\n")})
    assert file_diffs(items, entries, states) == [
        {"before": "", "after": "n\n", "before_header": "/etc/new", "after_header": "/etc/new"},
        {"before": "before\n", "after": "after\n", "before_header": "/etc/edited", "after_header": "/etc/edited"},
        {"before": {"mode": "0644"}, "after": {"mode": "0600"},
         "before_header": "/etc/edited", "after_header": "/etc/edited"}]
    summary = files_summary(entries)
    assert summary["changed"] and summary["changed_paths"] == ["/etc/new", "/etc/edited"]


def test_nothing_changed_is_not_changed():
    _items, entries, _states = planned([{"path": "/etc/a", "content": "x"}], {"/etc/a": regular(b"x")})
    assert files_summary(entries) == {"changed": False, "files": entries, "changed_paths": []}
