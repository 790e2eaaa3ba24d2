# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/modules/directories.py, through main() (the plan: module_utils/files/)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import grp
import os
import pwd
import stat

from ansible_collections.stateful.nfs.plugins.modules import directories

USER = pwd.getpwuid(os.getuid()).pw_name
GROUP = grp.getgrgid(os.getgid()).gr_name


def mode_of(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def test_check_diff_then_converge_then_nothing_to_do(run_main, tmp_path):
    args = dict(directories=[dict(path=str(tmp_path / "data" / "v1"), owner=USER, group=GROUP, mode="0770")],
                paths=[str(tmp_path / "etc")], owner=os.getuid(), group=str(os.getgid()), mode="0750", _ansible_diff=True)
    checked = run_main(directories, args, check_mode=True)
    assert not checked.failed and checked.result["changed"]
    assert checked.result["changed_paths"] == [str(tmp_path / "data"), str(tmp_path / "etc"), str(tmp_path / "data" / "v1")]
    assert checked.result["diff"][2] == {
        "before": {"path": str(tmp_path / "data" / "v1"), "state": "absent"},
        "after": {"path": str(tmp_path / "data" / "v1"), "state": "directory", "owner": os.getuid(), "group": os.getgid(),
                  "mode": "0770"},
        "before_header": str(tmp_path / "data" / "v1"), "after_header": str(tmp_path / "data" / "v1")}
    assert not (tmp_path / "data").exists() and not (tmp_path / "etc").exists()

    done = run_main(directories, args)
    assert not done.failed and done.result["changed"]
    assert done.result["changed_paths"] == checked.result["changed_paths"]
    assert (mode_of(tmp_path / "data"), mode_of(tmp_path / "etc"), mode_of(tmp_path / "data" / "v1")) == (0o750, 0o750, 0o770)

    again = run_main(directories, args)
    assert not again.failed and not again.result["changed"] and again.result["diff"] == []
    assert [(d["path"], d["changed"]) for d in again.result["directories"]] == [
        (str(tmp_path / "etc"), False), (str(tmp_path / "data" / "v1"), False)]


def test_an_unquoted_mode_is_refused_naming_the_directory_and_nothing_is_changed(run_main, tmp_path):
    outcome = run_main(directories, dict(directories=[
        dict(path=str(tmp_path / "a"), owner=USER, group=GROUP, mode="0755"),
        dict(path=str(tmp_path / "b"), owner=USER, group=GROUP, mode=493)]))
    assert outcome.failed
    assert outcome.result["msg"] == ("directories[1] (%r): mode: 493 must be a quoted string such as '0755' (an unquoted "
                                     "0755 is read by YAML as the decimal number 493). Nothing was changed" % str(tmp_path / "b"))
    assert not (tmp_path / "a").exists()


def test_an_unknown_group_is_refused_and_nothing_is_changed(run_main, tmp_path):
    outcome = run_main(directories, dict(paths=[str(tmp_path / "a")], group="no-such-group-x"))
    assert outcome.failed and outcome.result["msg"] == (
        "paths[0] (%r): group: there is no group 'no-such-group-x' on this host. Nothing was changed" % str(tmp_path / "a"))
    assert not (tmp_path / "a").exists()


def test_a_string_for_a_list_is_refused_naming_the_option(run_main, tmp_path):
    outcome = run_main(directories, dict(paths="%s,%s" % (tmp_path / "a", tmp_path / "b")))
    assert outcome.failed and outcome.result["msg"].startswith("paths: must be a list, got the string")
    assert not (tmp_path / "a").exists()


def test_nothing_listed_is_nothing_to_do(run_main):
    outcome = run_main(directories, dict(directories=[]))
    assert not outcome.failed and outcome.result["changed"] is False and outcome.result["directories"] == []
