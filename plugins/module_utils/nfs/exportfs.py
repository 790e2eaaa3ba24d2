# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the kernel NFS server exports (pure, no I/O).

* ``parse_exportfs_v`` reads the output of ``exportfs -v``.
* ``compare_kernel_exports`` compares it with the ``nfs_server_exported`` facts that were asked
  for; ``compare_client_options`` compares one client's options.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.options import DEFAULT_ANON_ID

_EXPORTFS_LINE = re.compile(r"^(?P<path>\S.*?)\s+(?P<client>[^\s()]+)\((?P<options>[^()]*)\)$")
_EXPORTFS_CLIENT = re.compile(r"^\s+(?P<client>[^\s()]+)\((?P<options>[^()]*)\)$")


def parse_exportfs_v(text):
    """Parse ``exportfs -v`` output into ``[{path, client, options}]``.

    exportfs prints ``<path> <tab><client>(<options>)``, and puts the client on a
    second, tab-indented line when the path is long.  ``<world>`` stands for ``*``.
    """
    entries = []
    pending = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line.strip():
            continue
        match = _EXPORTFS_CLIENT.match(line) if line[0].isspace() else None
        if match:
            if pending is None:
                raise ValueError("exportfs -v line %d: client %r without a path" % (lineno, line.strip()))
            path = pending
        else:
            match = _EXPORTFS_LINE.match(line)
            if not match:
                if line[0].isspace():
                    raise ValueError("exportfs -v line %d: cannot parse %r" % (lineno, line))
                pending = line
                continue
            path = match.group("path")
        pending = None
        client = match.group("client")
        entries.append({
            "path": path,
            "client": "*" if client == "<world>" else client,
            "options": [o for o in match.group("options").split(",") if o],
        })
    if pending is not None:
        raise ValueError("exportfs -v: path %r has no client line" % pending)
    return entries


# How each requested option shows (or not) in exportfs -v:
# options exportfs prints only when they differ from its default are checked by
# the absence of their opposite; secure/insecure are never printed.
_HIDDEN_DEFAULTS = {
    "subtree_check": "no_subtree_check",
    "secure_locks": "insecure_locks",
    "acl": "no_acl",
    "nocrossmnt": "crossmnt",
    "no_pnfs": "pnfs",
}
_UNVERIFIABLE = ("secure", "insecure")


def _kv(options):
    out = {}
    for opt in options:
        key, sep, val = opt.partition("=")
        if sep:
            out[key] = val
    return out


def compare_client_options(requested, actual):
    """Return ``(problems, unverified)`` comparing requested options with exportfs -v's."""
    problems, unverified = [], []
    actual_set = set(actual)
    actual_kv = _kv(actual)
    for opt in requested:
        key, sep, val = opt.partition("=")
        if opt in _UNVERIFIABLE:
            unverified.append(opt)
        elif opt in _HIDDEN_DEFAULTS:
            if _HIDDEN_DEFAULTS[opt] in actual_set:
                problems.append("asked for %r but exportfs shows %r" % (opt, _HIDDEN_DEFAULTS[opt]))
        elif sep and key in ("anonuid", "anongid"):
            shown = actual_kv.get(key, str(DEFAULT_ANON_ID))
            if shown != val:
                problems.append("asked for %s but exportfs shows %s=%s" % (opt, key, shown))
        elif sep:
            if key not in actual_kv:
                problems.append("asked for %r but exportfs shows no %s=" % (opt, key))
            elif actual_kv[key] != val:
                problems.append("asked for %r but exportfs shows %s=%s" % (opt, key, actual_kv[key]))
        elif opt not in actual_set:
            problems.append("asked for %r but exportfs shows (%s)" % (opt, ",".join(actual)))
    return problems, unverified


def compare_kernel_exports(expected, actual, aliases=None):
    """Compare ``nfs_server_exported`` facts with parsed ``exportfs -v`` output.

    ``aliases`` maps a requested host name to the names/addresses exportfs may
    print for it (exportfs shows a resolved host by its canonical name).
    Returns ``{"problems": [...], "unverified": [...], "other_exports": [...]}``.
    """
    aliases = aliases or {}
    problems, unverified = [], []
    wanted_paths = set(e["path"] for e in expected)
    used = set()
    for export in expected:
        rows = [(i, a) for i, a in enumerate(actual) if a["path"] == export["path"]]
        if not rows:
            problems.append("export %r (%s): not exported at all (exportfs -v does not list it)"
                            % (export["name"], export["path"]))
            continue
        for client in export["client_options"]:
            names = set([client["host"]]) | set(aliases.get(client["host"], ()))
            match = [(i, a) for i, a in rows if a["client"] in names and i not in used]
            if not match:
                problems.append("export %r (%s): client %r is not exported (exportfs shows %s; a host "
                                "name that does not resolve is skipped by exportfs)"
                                % (export["name"], export["path"], client["host"],
                                   ", ".join(a["client"] for _i, a in rows)))
                continue
            index, row = match[0]
            used.add(index)
            bad, unchecked = compare_client_options(client["options"], row["options"])
            problems.extend("export %r (%s) client %r: %s" % (export["name"], export["path"],
                                                              client["host"], b) for b in bad)
            unverified.extend("export %r client %r: %s (exportfs -v never shows it)"
                              % (export["name"], client["host"], u) for u in unchecked)
    for index, row in enumerate(actual):
        if row["path"] in wanted_paths and index not in used:
            problems.append("path %s is also exported to %r (%s), which was not asked for; another "
                            "exports file grants it" % (row["path"], row["client"], ",".join(row["options"])))
    others = [row for row in actual if row["path"] not in wanted_paths]
    return {"problems": problems, "unverified": unverified, "other_exports": others}
