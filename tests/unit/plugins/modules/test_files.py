# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/modules/files.py, through main() on real files (the plan: module_utils/files/)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import grp
import os
import pwd
import stat

from ansible_collections.stateful.nfs.plugins.modules import files

USER = pwd.getpwuid(os.getuid()).pw_name
GROUP = grp.getgrgid(os.getgid()).gr_name


def mode_of(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def test_check_diff_then_write_then_nothing_to_do(run_main, tmp_path):
    (tmp_path / "old.conf").write_text("old\n")
    os.chmod(str(tmp_path / "old.conf"), 0o644)
    args = dict(files=[dict(path=str(tmp_path / "new.conf"), content="new\n", owner=USER, group=GROUP, mode="0600"),
                       dict(path=str(tmp_path / "old.conf"), content="changed\n", owner=os.getuid(), group=str(os.getgid()))],
                _ansible_diff=True)
    checked = run_main(files, args, check_mode=True)
    assert not checked.failed and checked.result["changed"]
    assert checked.result["changed_paths"] == [str(tmp_path / "new.conf"), str(tmp_path / "old.conf")]
    assert [d["after"] for d in checked.result["diff"]] == ["new\n", "changed\n"]
    assert not (tmp_path / "new.conf").exists() and (tmp_path / "old.conf").read_text() == "old\n"

    done = run_main(files, args)
    assert not done.failed and done.result["changed"]
    assert [f["changes"] for f in done.result["files"]] == [["create"], ["content"]]
    assert (tmp_path / "new.conf").read_text() == "new\n" and mode_of(tmp_path / "new.conf") == 0o600
    assert (tmp_path / "old.conf").read_text() == "changed\n" and mode_of(tmp_path / "old.conf") == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.conf", "old.conf"]  # no temporary file left

    again = run_main(files, args)
    assert not again.failed and not again.result["changed"] and again.result["diff"] == []


def test_a_mode_change_alone_keeps_the_content_and_the_inode(run_main, tmp_path):
    target = tmp_path / "a.conf"
    target.write_text("x\n")
    inode = os.stat(str(target)).st_ino
    outcome = run_main(files, dict(files=[dict(path=str(target), content="x\n", owner=USER, group=GROUP, mode="0640")]))
    assert not outcome.failed and outcome.result["files"][0]["changes"] == ["mode"]
    assert mode_of(target) == 0o640 and os.stat(str(target)).st_ino == inode


def test_a_symbolic_link_is_followed(run_main, tmp_path):
    (tmp_path / "real.conf").write_text("old\n")
    os.symlink("real.conf", str(tmp_path / "link.conf"))
    outcome = run_main(files, dict(files=[dict(path=str(tmp_path / "link.conf"), content="new\n", owner=USER, group=GROUP)]))
    assert not outcome.failed and outcome.result["changed"]
    assert os.path.islink(str(tmp_path / "link.conf")) and (tmp_path / "real.conf").read_text() == "new\n"


def test_bad_input_is_refused_naming_the_file_and_nothing_is_changed(run_main, tmp_path):
    outcome = run_main(files, dict(files=[
        dict(path=str(tmp_path / "a.conf"), content="a\n", owner=USER, group=GROUP),
        dict(path=str(tmp_path / "missing" / "b.conf"), content="b\n", owner=USER, group=GROUP)]))
    assert outcome.failed
    assert outcome.result["msg"] == "files[1] (%r): path: its directory %r does not exist. Nothing was changed" % (
        str(tmp_path / "missing" / "b.conf"), str(tmp_path / "missing"))
    assert not (tmp_path / "a.conf").exists()


def test_check_mode_on_a_fresh_host_reports_the_file_in_a_missing_directory_as_created(run_main, tmp_path):
    target = tmp_path / "etc" / "ganesha" / "ganesha.conf"
    outcome = run_main(files, dict(files=[dict(path=str(target), content="x\n", owner=USER, group=GROUP)]), check_mode=True)
    assert not outcome.failed and outcome.result["changed_paths"] == [str(target)]
    assert not (tmp_path / "etc").exists()


def test_a_string_for_the_list_is_refused(run_main, tmp_path):
    outcome = run_main(files, dict(files=str(tmp_path / "a.conf")))
    assert outcome.failed and "files" in outcome.result["msg"] and not (tmp_path / "a.conf").exists()
