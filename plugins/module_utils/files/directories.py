# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A set of directories with their owner, group and mode, made so in one call (pure, no I/O).

The logic of the ``directories`` module; ``host.py`` does the I/O.

* ``validate`` checks the wanted directories and the attributes of the ``paths`` and missing parents.
* ``paths_to_look_at`` and ``owner_names_to_resolve`` say what to read from the host: every directory and its
  ancestors, the user and group names.
* ``plan_directories`` compares what is there with what is wanted and returns one entry per directory to create or
  change (and per listed directory that is already right), parents first. Missing parents are created
  with the call's own owner, group and mode (root:root 0755 by default, as the ``paths`` get); parents
  that exist are left as they are.
  Everything is checked before anything is changed: a refusal (``InvalidDirectory``) changes nothing.
* ``diffs`` is the ``--diff`` view, before/after per path as ansible.builtin.file shows it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError
from ansible_collections.stateful.nfs.plugins.module_utils.files.attributes import (
    InvalidAttribute,
    check_absolute,
    check_id,
    check_mode,
    owner_names,
    resolve_owner,
)

DEFAULTS = {"owner": "root", "group": "root", "mode": "0755"}
# What the I/O class reports for a path that is not a directory (``absent``: nothing there).
ABSENT = "absent"
DIRECTORY = "directory"


class DirectoryError(Exception):
    """The directories could not be made so; ``result`` holds the return values that go with it."""

    def __init__(self, msg, **result):
        super(DirectoryError, self).__init__(msg)
        self.result = result


class InvalidDirectory(DirectoryError, PlanError):
    """Bad input or a path that cannot be a directory, refused before anything is changed; the message
    names the directory and the field."""


def _refuse(where, field, msg):
    raise InvalidDirectory("%s: %s: %s" % (where, field, msg))


def _attributes(value, where, prefix=""):
    result = {}
    for field, check in (("owner", check_id), ("group", check_id), ("mode", check_mode)):
        try:
            result[field] = check(value.get(field))
        except InvalidAttribute as exc:
            if where:
                _refuse(where, prefix + field, str(exc))
            raise InvalidDirectory("%s%s: %s" % (prefix, field, exc))
    return result


def _item(option, index, path, attributes, seen):
    where = "%s[%d] (%r)" % (option, index, path) if isinstance(path, str) and path else "%s[%d]" % (option, index)
    try:
        check_absolute(path)
    except InvalidAttribute as exc:
        _refuse(where, "path", str(exc))
    if path == "/":
        _refuse(where, "path", "'/' cannot be managed")
    if path in seen:
        _refuse(where, "path", "%r is already listed as %s" % (path, seen[path]))
    seen[path] = "%s[%d]" % (option, index)
    return dict(attributes, path=path, where=where)


def validate(directories=None, paths=None, attributes=None):
    """``(items, defaults)``: the wanted directories, each ``{path, owner, group, mode, where}`` with the
    mode as four octal digits, and the checked ``attributes`` (owner, group, mode; root:root 0755 where
    not given), which the ``paths`` get and the missing parents are created with.

    ``directories`` is a list of ``{path, owner, group, mode}``, ``paths`` a list of paths (one listed
    twice there is one directory). A path may not be in both, nor twice in ``directories``. Raises
    ``InvalidDirectory`` naming the option, the path and the field."""
    given = dict((k, v) for k, v in (attributes or {}).items() if v is not None)
    defaults = _attributes(dict(DEFAULTS, **given), None)
    items, seen = [], {}
    for option, values in (("directories", directories), ("paths", paths)):
        values = [] if values is None else values
        if not isinstance(values, list):
            raise InvalidDirectory("%s: must be a list" % option)
        for index, value in enumerate(values):
            if option == "paths":
                if value not in values[:index]:
                    items.append(_item(option, index, value, defaults, seen))
                continue
            if not isinstance(value, dict):
                raise InvalidDirectory("directories[%d]: must be a mapping with keys path, owner, group and mode" % index)
            item = _item(option, index, value.get("path"), {}, seen)
            item.update(_attributes(value, item["where"]))
            items.append(item)
    return items, defaults


def ancestors(path):
    """The ancestors of ``path`` from the top, without ``/``: ``/a/b/c`` -> ``['/a', '/a/b']``."""
    parts = path.strip("/").split("/")[:-1]
    return ["/" + "/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def paths_to_look_at(items):
    """Every path whose state the plan needs: each directory and its ancestors, in a stable order."""
    paths = []
    for item in items:
        for path in ancestors(item["path"]) + [item["path"]]:
            if path not in paths:
                paths.append(path)
    return paths


def owner_names_to_resolve(items, defaults):
    """``(users, groups)``: the owner and group names (not numeric ids) to look up on the host."""
    return owner_names(list(items) + [defaults])


def _resolve(attributes, users, groups, where):
    try:
        return resolve_owner(attributes, users, groups)
    except InvalidAttribute as exc:
        _refuse(where, exc.field, str(exc))


def _entry(path, attributes, ids, state, parent):
    entry = {"path": path, "parent": parent, "owner": attributes["owner"], "group": attributes["group"],
             "mode": attributes["mode"], "uid": ids["owner"], "gid": ids["group"], "state": state["type"]}
    if state["type"] == ABSENT:
        changes = ["create"]
    else:
        changes = [field for field, have, want in (("owner", state["uid"], ids["owner"]),
                                                   ("group", state["gid"], ids["group"]),
                                                   ("mode", state["mode"], int(attributes["mode"], 8)))
                   if have != want]
    entry.update(changes=changes, changed=bool(changes))
    if state["type"] != ABSENT:
        entry["before"] = {"uid": state["uid"], "gid": state["gid"], "mode": "%04o" % state["mode"]}
    return entry


def _not_a_directory(state):
    kind = state["type"]
    return "a symbolic link whose target does not exist" if kind == "link" else "a %s" % kind


def plan_directories(items, defaults, states, users, groups):
    """One entry per directory to create or change, and per listed directory, parents before children.

    ``states`` maps every path of ``paths_to_look_at`` to ``{type, uid, gid, mode}`` (``type``: ``absent``,
    ``directory``, or what else is there; symbolic links followed). ``users`` and ``groups`` map the names
    of ``owner_names_to_resolve`` to their ids (``None``: unknown). Raises ``InvalidDirectory`` before anything
    is changed when a name is unknown or a path or one of its parents is not a directory.
    """
    listed = dict((item["path"], item) for item in items)
    parent_ids = None
    entries = {}
    order = []
    for item in items:
        ids = _resolve(item, users, groups, item["where"])
        for path in ancestors(item["path"]):
            state = states[path]
            if path in listed or path in entries:
                continue
            if state["type"] == DIRECTORY:
                continue
            if state["type"] != ABSENT:
                _refuse(item["where"], "path", "its parent %r is %s, not a directory" % (path, _not_a_directory(state)))
            if parent_ids is None:
                parent_ids = _resolve(defaults, users, groups, "missing parent %r" % path)
            entries[path] = _entry(path, defaults, parent_ids, state, True)
            order.append(path)
        state = states[item["path"]]
        if state["type"] not in (ABSENT, DIRECTORY):
            _refuse(item["where"], "path", "%r is %s, not a directory" % (item["path"], _not_a_directory(state)))
        entries[item["path"]] = _entry(item["path"], item, ids, state, False)
        order.append(item["path"])
    # parents before children; otherwise the order of the list
    ranked = sorted(enumerate(order), key=lambda pair: (pair[1].count("/"), pair[0]))
    return [entries[path] for _index, path in ranked]


def diffs(entries):
    """The ``--diff`` of the changed entries: before/after per path, as ansible.builtin.file shows them
    (state, owner and group as ids, mode as an octal string)."""
    result = []
    for entry in entries:
        if not entry["changed"]:
            continue
        before, after = {"path": entry["path"]}, {"path": entry["path"]}
        if "create" in entry["changes"]:
            before["state"] = ABSENT
            after.update(state=DIRECTORY, owner=entry["uid"], group=entry["gid"], mode=entry["mode"])
        else:
            for field, key in (("owner", "uid"), ("group", "gid"), ("mode", "mode")):
                if field in entry["changes"]:
                    before[field] = entry["before"][key]
                    after[field] = entry[key]
        result.append({"before": before, "after": after, "before_header": entry["path"], "after_header": entry["path"]})
    return result


def directories_summary(entries):
    """The module's result (without ``diff``): ``changed``, the entries, and the paths that changed."""
    return {"changed": any(entry["changed"] for entry in entries), "directories": entries,
            "changed_paths": [entry["path"] for entry in entries if entry["changed"]]}
