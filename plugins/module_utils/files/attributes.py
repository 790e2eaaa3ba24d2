# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The syntax of a path, owner, group and mode, and owner names to ids (pure, no I/O).

The one home of these rules: the export validation (``nfs/exports.py``, ``nfs/paths.py``) and the
``directories`` and ``files`` modules use them. Each check returns the normalised value or raises
``InvalidAttribute`` with a message that does not name the field (``field`` says it where the check
knows it): the caller puts its own place and field in front of it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath
import re

from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError

_ID_RE = re.compile(r"^([a-z_][a-z0-9_-]{0,31}\$?|[0-9]+)$")
_MODE_RE = re.compile(r"^[0-7]{3,4}$")


class InvalidAttribute(PlanError):
    """A path, owner, group or mode that is not valid; the caller names the field (``field``, when the
    check knows which of owner and group it refuses)."""

    def __init__(self, msg, field=None):
        super(InvalidAttribute, self).__init__(msg)
        self.field = field


def check_mode(value):
    """``value`` as a four-digit octal string (``'755'`` -> ``'0755'``); an int is refused (YAML's 0755 is 493)."""
    if isinstance(value, (bool, int)):
        raise InvalidAttribute("%r must be a quoted string such as '0755' (an unquoted 0755 is read by "
                               "YAML as the decimal number 493)" % (value,))
    if not isinstance(value, str) or not _MODE_RE.match(value):
        raise InvalidAttribute("%r must be an octal mode string such as '0755' or '2775'" % (value,))
    return value if len(value) == 4 else "0" + value


def check_id(value):
    """``value`` as a user or group name, or a numeric id as a string (an int is taken as the id)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise InvalidAttribute("%r must be a user/group name or a numeric id" % (value,))
    return value


def check_absolute(value):
    """``value`` if it is a non-empty, absolute and normalised path."""
    if not isinstance(value, str) or not value:
        raise InvalidAttribute("must be a non-empty string")
    if not value.startswith("/"):
        raise InvalidAttribute("%r must be an absolute path" % value)
    norm = posixpath.normpath(value)
    if norm.startswith("//"):
        norm = "/" + norm.lstrip("/")
    if norm != value:
        raise InvalidAttribute("%r is not normalised; write it as %r" % (value, norm))
    return value


def owner_names(attribute_sets):
    """``(users, groups)``: the owner and group names (not numeric ids) of ``attribute_sets`` (each with
    checked ``owner`` and ``group``) to look up on the host, each once, in order."""
    users, groups = [], []
    for attributes in attribute_sets:
        for value, names in ((attributes["owner"], users), (attributes["group"], groups)):
            if not value.isdigit() and value not in names:
                names.append(value)
    return users, groups


def resolve_owner(attributes, users, groups):
    """``{'owner': uid, 'group': gid}`` of checked ``attributes``; ``users`` and ``groups`` map the names
    of ``owner_names`` to their ids (``None``: unknown on the host, refused naming the field)."""
    ids = {}
    for field, table, kind in (("owner", users, "user"), ("group", groups, "group")):
        value = attributes[field]
        if value.isdigit():
            ids[field] = int(value)
        elif table.get(value) is None:
            raise InvalidAttribute("there is no %s %r on this host" % (kind, value), field=field)
        else:
            ids[field] = table[value]
    return ids
