# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which directories may be exported (pure, no I/O): absolute, normalised, no system trees."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.stateful.nfs.plugins.module_utils.files.attributes import InvalidAttribute, check_absolute
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import fail

# Directories that must never be exported (or exported below).
FORBIDDEN_TREES = ("/proc", "/sys", "/dev", "/run", "/boot", "/etc")
FORBIDDEN_EXACT = ("/", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/var", "/var/lib", "/var/lib/nfs", "/root", "/home")
_PATH_RE = re.compile(r"^/[A-Za-z0-9._@+=:,%/-]+$")


def validate_path(value, where, field="path"):
    """Return ``value`` if it is an absolute, normalised, exportable directory path."""
    try:
        check_absolute(value)
    except InvalidAttribute as exc:
        fail(where, field, str(exc))
    if value in FORBIDDEN_EXACT:
        fail(where, field, "%r is a system directory and cannot be exported" % value)
    for tree in FORBIDDEN_TREES:
        if value == tree or value.startswith(tree + "/"):
            fail(where, field, "%r is under %s, which cannot be exported" % (value, tree))
    if not _PATH_RE.match(value):
        fail(where, field, "%r may only contain letters, digits and . _ @ + = : , %% / -"
             " (no spaces, quotes or parentheses)" % value)
    return value
