# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The I/O of the ``directories`` and ``files`` modules: ``HostDirectories`` and ``HostFiles``.

They read the state of paths (``os.stat``, symbolic links followed, as ansible.builtin.file does), look up
user and group names, and create and change directories and files; every decision is a pure function of
``directories.py`` and ``contents.py``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import grp
import os
import pwd
import stat
import tempfile

from ansible_collections.stateful.nfs.plugins.module_utils.files.attributes import owner_names
from ansible_collections.stateful.nfs.plugins.module_utils.files.contents import (
    file_diffs,
    encoded,
    files_summary,
    plan_files,
    validate_files,
    FileError,
)
from ansible_collections.stateful.nfs.plugins.module_utils.files.directories import (
    ABSENT,
    DIRECTORY,
    DirectoryError,
    diffs,
    owner_names_to_resolve,
    paths_to_look_at,
    plan_directories,
    directories_summary,
    validate,
)


def _kind(mode):
    if stat.S_ISDIR(mode):
        return DIRECTORY
    if stat.S_ISREG(mode):
        return "file"
    return "special file"


def change_attributes(path, entry):
    """Set the owner, group and mode of ``path`` that the plan's ``entry`` lists in its ``changes``."""
    if "owner" in entry["changes"] or "group" in entry["changes"]:
        os.chown(path, entry["uid"] if "owner" in entry["changes"] else -1,
                 entry["gid"] if "group" in entry["changes"] else -1)
    if "mode" in entry["changes"]:
        os.chmod(path, int(entry["mode"], 8))


class HostDirectories(object):
    """Reads and changes this host's directories."""

    @staticmethod
    def state(path):
        """``{type, uid, gid, mode}`` of ``path``; ``type`` ``absent`` when nothing is there, ``link`` for
        a symbolic link whose target is missing."""
        try:
            found = os.stat(path)
        except OSError:
            return {"type": "link" if os.path.islink(path) else ABSENT, "uid": None, "gid": None, "mode": None}
        return {"type": _kind(found.st_mode), "uid": found.st_uid, "gid": found.st_gid,
                "mode": stat.S_IMODE(found.st_mode)}

    @staticmethod
    def lookup(names, table):
        """``{name: id or None}``, ``table`` being ``pwd.getpwnam`` or ``grp.getgrnam``."""
        ids = {}
        for name in names:
            try:
                entry = table(name)
            except KeyError:
                ids[name] = None
            else:
                ids[name] = entry[2]
        return ids

    @staticmethod
    def apply(entry):
        """Create or change one directory as the plan's ``entry`` says."""
        path, mode = entry["path"], int(entry["mode"], 8)
        if "create" in entry["changes"]:
            # private until it has its owner, group and mode
            os.mkdir(path, 0o700)
            os.chown(path, entry["uid"], entry["gid"])
            os.chmod(path, mode)
            return
        change_attributes(path, entry)

    def converge(self, directories=None, paths=None, attributes=None, check_mode=False, diff=False):
        """Make ``directories`` and ``paths`` so (in check mode: only tell); the module's result. See
        ``directories.validate`` for the arguments.

        Input that is not valid, an unknown name, or a path that cannot be a directory raise
        ``InvalidDirectory`` before anything is changed; a failed change raises ``DirectoryError`` with
        what was already done."""
        items, defaults = validate(directories, paths, attributes)
        users, groups = owner_names_to_resolve(items, defaults)
        states = dict((path, self.state(path)) for path in paths_to_look_at(items))
        entries = plan_directories(items, defaults, states, self.lookup(users, pwd.getpwnam), self.lookup(groups, grp.getgrnam))
        result = directories_summary(entries)
        if diff:
            result["diff"] = diffs(entries)
        if check_mode:
            return result
        done = []
        for entry in entries:
            if not entry["changed"]:
                continue
            try:
                self.apply(entry)
            except OSError as exc:
                raise DirectoryError("%s: could not make it a directory %s:%s %s (%s): %s; changed before it: %s"
                                     % (entry["path"], entry["owner"], entry["group"], entry["mode"],
                                        ", ".join(entry["changes"]), exc.strerror or exc, ", ".join(done) or "nothing"),
                                     changed=bool(done), changed_paths=done)
            done.append(entry["path"])
        return result


class HostFiles(object):
    """Reads and writes this host's files."""

    @staticmethod
    def state(path):
        """``{type, uid, gid, mode, data, directory}`` of ``path`` (symbolic links followed): ``data`` the
        bytes of a regular file, ``directory`` the kind of what holds it."""
        found = HostDirectories.state(path)
        found["data"] = None
        if found["type"] == "file":
            with open(path, "rb") as handle:
                found["data"] = handle.read()
        found["directory"] = HostDirectories.state(os.path.dirname(os.path.realpath(path)) or "/")["type"]
        return found

    @staticmethod
    def apply(entry, data):
        """Make one file as the plan's ``entry`` says; new content is written to a private file next to
        it and renamed over it, so a reader sees the old file or the new one, never half of one."""
        path, mode = os.path.realpath(entry["path"]), int(entry["mode"], 8)
        if "create" not in entry["changes"] and "content" not in entry["changes"]:
            change_attributes(path, entry)
            return
        handle, temporary = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=os.path.dirname(path))
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fchown(out.fileno(), entry["uid"], entry["gid"])
                os.fchmod(out.fileno(), mode)
                os.fsync(out.fileno())
            os.rename(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def converge(self, files, check_mode=False, diff=False):
        """Make ``files`` so (in check mode: only tell); the module's result. See ``contents.validate_files``.

        Input that is not valid, an unknown name, or a path that cannot be a file raise ``InvalidFile``
        before anything is changed; a failed write raises ``FileError`` with what was already done."""
        items = validate_files(files)
        users, groups = owner_names(items)
        states = dict((item["path"], self.state(item["path"])) for item in items)
        entries = plan_files(items, states, HostDirectories.lookup(users, pwd.getpwnam),
                             HostDirectories.lookup(groups, grp.getgrnam), check_mode=check_mode)
        result = files_summary(entries)
        if diff:
            result["diff"] = file_diffs(items, entries, states)
        if check_mode:
            return result
        done = []
        for item, entry in zip(items, entries):
            if not entry["changed"]:
                continue
            try:
                self.apply(entry, encoded(item))
            except OSError as exc:
                raise FileError("%s: could not write it as %s:%s %s (%s): %s; changed before it: %s"
                                % (entry["path"], entry["owner"], entry["group"], entry["mode"],
                                   ", ".join(entry["changes"]), exc.strerror or exc, ", ".join(done) or "nothing"),
                                changed=bool(done), changed_paths=done)
            done.append(entry["path"])
        return result
