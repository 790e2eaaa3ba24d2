# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A set of files with their content, owner, group and mode, made so in one call (pure, no I/O).

The logic of the ``files`` module; ``host.py`` (``HostFiles``) does the I/O.

* ``validate_files`` checks the wanted files: path, content, owner, group, mode (root:root 0644 by default).
* ``owner_names`` (``attributes.py``) says which user and group names to look up; the host's state of
  each file and of its directory is read by the I/O class.
* ``plan_files`` compares what is there with what is wanted: one entry per file, with what to change
  (``create``, ``content``, ``owner``, ``group``, ``mode``). Everything is checked before anything is
  changed: a refusal (``InvalidFile``) changes nothing.
* ``file_diffs`` is the ``--diff`` view: the content before and after, as ansible.builtin.template shows it,
  and the owner, group and mode where only they change.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import posixpath

from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError
from ansible_collections.stateful.nfs.plugins.module_utils.files.attributes import (
    InvalidAttribute,
    check_absolute,
    check_id,
    check_mode,
    resolve_owner,
)

DEFAULTS = {"owner": "root", "group": "root", "mode": "0644"}
# What the I/O class reports for a path (``absent``: nothing there).
ABSENT = "absent"
FILE = "file"
DIRECTORY = "directory"


class FileError(Exception):
    """The files could not be made so; ``result`` holds the return values that go with it."""

    def __init__(self, msg, **result):
        super(FileError, self).__init__(msg)
        self.result = result


class InvalidFile(FileError, PlanError):
    """Bad input or a path that cannot be a file, refused before anything is changed; the message names
    the file and the field."""


def _refuse(where, field, msg):
    raise InvalidFile("%s: %s: %s" % (where, field, msg))


def validate_files(files):
    """The wanted files, each ``{path, content, owner, group, mode, where}`` (mode as four octal digits,
    root:root 0644 where not given). ``files`` is a list of ``{path, content, owner, group, mode}``; a
    path may be listed once. Raises ``InvalidFile`` naming the file and the field."""
    if not isinstance(files, list):
        raise InvalidFile("files: must be a list")
    items, seen = [], {}
    for index, value in enumerate(files):
        if not isinstance(value, dict):
            raise InvalidFile("files[%d]: must be a mapping with keys path, content, owner, group and mode" % index)
        path = value.get("path")
        where = "files[%d] (%r)" % (index, path) if isinstance(path, str) and path else "files[%d]" % index
        try:
            check_absolute(path)
        except InvalidAttribute as exc:
            _refuse(where, "path", str(exc))
        if path == "/":
            _refuse(where, "path", "'/' is a directory, not a file")
        if path in seen:
            _refuse(where, "path", "%r is already listed as files[%d]" % (path, seen[path]))
        seen[path] = index
        content = value.get("content")
        if not isinstance(content, str):
            _refuse(where, "content", "must be a string (the whole content of the file), not %s"
                    % ("missing" if content is None else type(content).__name__))
        item = {"path": path, "content": content, "where": where}
        for field, check in (("owner", check_id), ("group", check_id), ("mode", check_mode)):
            given = value.get(field)
            try:
                item[field] = check(DEFAULTS[field] if given is None else given)
            except InvalidAttribute as exc:
                _refuse(where, field, str(exc))
        items.append(item)
    return items


def checksum(data):
    """The SHA-1 of ``data`` (bytes), as ansible.builtin.copy and template report it."""
    return hashlib.sha1(data).hexdigest()


def encoded(item):
    """The bytes the file of ``item`` is to hold (UTF-8)."""
    return item["content"].encode("utf-8")


def plan_files(items, states, users, groups, check_mode=False):
    """One entry per file, in the order given: ``{path, owner, group, mode, uid, gid, state, checksum,
    changes, changed}`` and, for a file that exists, ``before`` (uid, gid, mode, checksum).

    ``states`` maps each path to ``{type, uid, gid, mode, data, directory}``: ``type`` ``absent``,
    ``file`` or what else is there (symbolic links followed), ``data`` the bytes of a file, ``directory``
    the type of the directory it is in. ``users`` and ``groups`` map the names of ``owner_names`` to ids
    (``None``: unknown). Raises ``InvalidFile`` before anything is changed when a name is unknown, a path
    is not a file or its directory does not exist. In check mode a missing directory is not refused (an
    earlier task, in check mode too, may only have said it would create it, as ansible.builtin.template
    then says it would create the file): the file is planned as created."""
    entries = []
    for item in items:
        where, path = item["where"], item["path"]
        try:
            ids = resolve_owner(item, users, groups)
        except InvalidAttribute as exc:
            _refuse(where, exc.field, str(exc))
        state = states[path]
        if state["type"] not in (ABSENT, FILE):
            kind = "a symbolic link whose target does not exist" if state["type"] == "link" else "a %s" % state["type"]
            _refuse(where, "path", "%r is %s, not a file" % (path, kind))
        if state["type"] == ABSENT and state["directory"] != DIRECTORY and not (check_mode and state["directory"] == ABSENT):
            why = "does not exist" if state["directory"] == ABSENT else "is not a directory"
            _refuse(where, "path", "its directory %r %s" % (posixpath.dirname(path), why))
        data = encoded(item)
        entry = {"path": path, "owner": item["owner"], "group": item["group"], "mode": item["mode"],
                 "uid": ids["owner"], "gid": ids["group"], "state": state["type"], "checksum": checksum(data)}
        if state["type"] == ABSENT:
            changes = ["create"]
        else:
            entry["before"] = {"uid": state["uid"], "gid": state["gid"], "mode": "%04o" % state["mode"],
                               "checksum": checksum(state["data"])}
            changes = [field for field, changed in (("content", state["data"] != data),
                                                    ("owner", state["uid"] != ids["owner"]),
                                                    ("group", state["gid"] != ids["group"]),
                                                    ("mode", state["mode"] != int(item["mode"], 8)))
                       if changed]
        entry.update(changes=changes, changed=bool(changes))
        entries.append(entry)
    return entries


def _text(data):
    return data.decode("utf-8", "replace")


def file_diffs(items, entries, states):
    """The ``--diff`` of the changed files, in the order given: the content before and after where it
    changes (before empty for a new file), and owner, group (ids) and mode where only they change."""
    result = []
    for item, entry in zip(items, entries):
        if not entry["changed"]:
            continue
        path = entry["path"]
        if "create" in entry["changes"] or "content" in entry["changes"]:
            before = "" if "create" in entry["changes"] else _text(states[path]["data"])
            result.append({"before": before, "after": item["content"], "before_header": path, "after_header": path})
        attributes = [field for field in ("owner", "group", "mode") if field in entry["changes"]]
        if attributes:
            keys = {"owner": "uid", "group": "gid", "mode": "mode"}
            result.append({"before": dict((field, entry["before"][keys[field]]) for field in attributes),
                           "after": dict((field, entry[keys[field]]) for field in attributes),
                           "before_header": path, "after_header": path})
    return result


def files_summary(entries):
    """The module's result (without ``diff``): ``changed``, the entries, and the paths that changed."""
    return {"changed": any(entry["changed"] for entry in entries), "files": entries,
            "changed_paths": [entry["path"] for entry in entries if entry["changed"]]}
