# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/files/host.py, on real directories under pytest's tmp_path, owned by
the user running the tests (no other user is needed)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import grp
import os
import pwd
import stat

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.files.directories import DirectoryError, InvalidDirectory
from ansible_collections.stateful.nfs.plugins.module_utils.files.host import HostDirectories

UID, GID = os.getuid(), os.getgid()
USER, GROUP = pwd.getpwuid(UID).pw_name, grp.getgrgid(GID).gr_name
ME = {"owner": USER, "group": GROUP}


def mode_of(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def wanted(path, mode="0755", **attributes):
    return dict(dict(ME, **attributes), path=str(path), mode=mode)


def test_state_of_what_is_there(tmp_path):
    (tmp_path / "d").mkdir(mode=0o750)
    os.chmod(str(tmp_path / "d"), 0o750)
    (tmp_path / "f").write_text(u"x")
    os.symlink(str(tmp_path / "d"), str(tmp_path / "to-d"))
    os.symlink(str(tmp_path / "nothing"), str(tmp_path / "dangling"))
    state = HostDirectories.state
    assert state(str(tmp_path / "d")) == {"type": "directory", "uid": UID, "gid": GID, "mode": 0o750}
    assert state(str(tmp_path / "f"))["type"] == "file"
    assert state(str(tmp_path / "to-d"))["type"] == "directory"
    assert state(str(tmp_path / "dangling"))["type"] == "link"
    assert state(str(tmp_path / "nothing"))["type"] == "absent"


def test_lookup_names_unknown_ones_as_none():
    assert HostDirectories.lookup([USER, "no-such-user-x"], pwd.getpwnam) == {USER: UID, "no-such-user-x": None}
    assert HostDirectories.lookup([GROUP], grp.getgrnam) == {GROUP: GID}


def test_converge_creates_changes_and_then_changes_nothing(tmp_path):
    (tmp_path / "old").mkdir()
    os.chmod(str(tmp_path / "old"), 0o700)
    directories = [wanted(tmp_path / "new" / "a" / "v1", "2770"), wanted(tmp_path / "old", "0755")]
    result = HostDirectories().converge(directories, attributes={"owner": UID, "group": GID, "mode": "0711"}, diff=True)
    assert result["changed"] is True
    # parents before children, otherwise in the order of the list
    assert result["changed_paths"] == [str(tmp_path / "new"), str(tmp_path / "old"), str(tmp_path / "new" / "a"),
                                       str(tmp_path / "new" / "a" / "v1")]
    assert mode_of(tmp_path / "new") == 0o711 and mode_of(tmp_path / "new" / "a") == 0o711
    assert mode_of(tmp_path / "new" / "a" / "v1") == 0o2770
    assert mode_of(tmp_path / "old") == 0o755
    assert [d["before"]["path"] for d in result["diff"]] == result["changed_paths"]
    again = HostDirectories().converge(directories, attributes={"owner": UID, "group": GID, "mode": "0711"}, diff=True)
    assert again["changed"] is False and again["diff"] == [] and again["changed_paths"] == []
    assert [d["path"] for d in again["directories"]] == [str(tmp_path / "old"), str(tmp_path / "new" / "a" / "v1")]


def test_check_mode_tells_and_changes_nothing(tmp_path):
    (tmp_path / "old").mkdir()
    os.chmod(str(tmp_path / "old"), 0o700)
    result = HostDirectories().converge([wanted(tmp_path / "old"), wanted(tmp_path / "new" / "v1")], check_mode=True)
    assert result["changed"] is True
    assert result["changed_paths"] == [str(tmp_path / "old"), str(tmp_path / "new"), str(tmp_path / "new" / "v1")]
    assert "diff" not in result
    assert mode_of(tmp_path / "old") == 0o700
    assert not (tmp_path / "new").exists()


def test_a_refusal_changes_nothing(tmp_path):
    (tmp_path / "file").write_text(u"x")
    (tmp_path / "old").mkdir()
    os.chmod(str(tmp_path / "old"), 0o700)
    directories = [wanted(tmp_path / "old"), wanted(tmp_path / "new"), wanted(tmp_path / "file" / "v1")]
    with pytest.raises(InvalidDirectory) as exc:
        HostDirectories().converge(directories)
    assert str(exc.value) == "directories[2] (%r): path: its parent %r is a file, not a directory" % (
        str(tmp_path / "file" / "v1"), str(tmp_path / "file"))
    assert mode_of(tmp_path / "old") == 0o700 and not (tmp_path / "new").exists()


def test_an_unknown_user_changes_nothing(tmp_path):
    with pytest.raises(InvalidDirectory) as exc:
        HostDirectories().converge([wanted(tmp_path / "a"), wanted(tmp_path / "b", owner="no-such-user-x")])
    assert str(exc.value) == "directories[1] (%r): owner: there is no user 'no-such-user-x' on this host" % str(tmp_path / "b")
    assert not (tmp_path / "a").exists()


def test_a_failed_change_says_what_was_already_done(tmp_path, monkeypatch):
    real_mkdir = os.mkdir

    def mkdir(path, mode=0o777):
        if str(path).endswith("/b"):
            raise OSError(28, "No space left on device")
        return real_mkdir(path, mode)

    monkeypatch.setattr(os, "mkdir", mkdir)
    with pytest.raises(DirectoryError) as exc:
        HostDirectories().converge([wanted(tmp_path / "a"), wanted(tmp_path / "b")])
    assert not isinstance(exc.value, InvalidDirectory)
    assert str(exc.value) == "%s: could not make it a directory %s:%s 0755 (create): No space left on device; " \
        "changed before it: %s" % (tmp_path / "b", USER, GROUP, tmp_path / "a")
    assert exc.value.result == {"changed": True, "changed_paths": [str(tmp_path / "a")]}
