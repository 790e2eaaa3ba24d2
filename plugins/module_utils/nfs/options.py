# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""exports(5) options of one client (pure, no I/O).

* ``normalise_options`` validates a client's option list and returns the effective one (aliases
  rewritten, contradictions refused, the kernel's defaults written out).
* ``ganesha_client_settings`` maps effective options onto an NFS-Ganesha CLIENT block.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import re

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import fail
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.paths import validate_path

DEFAULT_ANON_ID = 65534

# exports(5) flags (nfs-utils 2.6).  Aliases are rewritten to the name exportfs -v prints.
FLAG_OPTIONS = frozenset((
    "rw", "ro", "sync", "async", "secure", "insecure", "wdelay", "no_wdelay",
    "hide", "nohide", "crossmnt", "nocrossmnt", "subtree_check", "no_subtree_check",
    "secure_locks", "insecure_locks", "mountpoint", "nordirplus", "pnfs", "no_pnfs",
    "security_label", "root_squash", "no_root_squash", "all_squash", "no_all_squash",
    "acl", "no_acl",
))
VALUE_OPTIONS = frozenset(("anonuid", "anongid", "fsid", "sec", "mountpoint"))
ALIASES = {"auth_nlm": "secure_locks", "no_auth_nlm": "insecure_locks", "mp": "mountpoint"}
UNSUPPORTED = {
    "refer": "NFSv4 referrals are not managed by this role",
    "replicas": "NFSv4 replicas are not managed by this role",
    "xprtsec": "not supported by the nfs-utils versions this role targets",
}
# Pairs (or groups) of options that exclude each other; the first one is the default.
EXCLUSIVE = (
    ("ro", "rw"),
    ("sync", "async"),
    ("root_squash", "no_root_squash"),
    ("no_all_squash", "all_squash"),
    ("no_subtree_check", "subtree_check"),
    ("secure", "insecure"),
    ("wdelay", "no_wdelay"),
    ("hide", "nohide"),
    ("nocrossmnt", "crossmnt"),
    ("secure_locks", "insecure_locks"),
    ("no_pnfs", "pnfs"),
    ("acl", "no_acl"),
)
# Written explicitly into every client's option list (the kernel's defaults, made
# visible so nobody has to remember them, and so exportfs does not warn).
EXPLICIT_DEFAULTS = ("ro", "sync", "root_squash", "no_subtree_check")
SEC_FLAVOURS = ("sys", "krb5", "krb5i", "krb5p")

# Options NFS-Ganesha honours (mapped onto its CLIENT block) or that describe what
# Ganesha always does.  Everything else from exports(5) has no Ganesha equivalent.
GANESHA_OPTIONS = frozenset((
    "rw", "ro", "sync", "root_squash", "no_root_squash", "all_squash", "no_all_squash",
    "secure", "insecure", "no_subtree_check", "anonuid", "anongid", "sec",
))


def _parse_option(token, where, field, backend):
    if not isinstance(token, str) or not token:
        fail(where, field, "options must be non-empty strings, got %r" % (token,))
    if token != token.strip() or "," in token or " " in token:
        fail(where, field, "%r: give one option per list item, without commas or spaces" % token)
    key, sep, val = token.partition("=")
    key = ALIASES.get(key, key)
    if key in UNSUPPORTED:
        fail(where, field, "%r: %s" % (token, UNSUPPORTED[key]))
    if sep:
        if key not in VALUE_OPTIONS:
            if key in FLAG_OPTIONS:
                fail(where, field, "%r: option %r takes no value" % (token, key))
            _unknown_option(token, key, where, field)
        if key in ("anonuid", "anongid"):
            if not val.isdigit() or int(val) > 4294967294:
                fail(where, field, "%r: %s must be a numeric id between 0 and 4294967294" % (token, key))
            val = str(int(val))
        elif key == "fsid":
            if val == "root":
                val = "0"
            elif not (val.isdigit() or re.match(r"^[0-9a-fA-F-]{32,36}$", val)):
                fail(where, field, "%r: fsid must be a number, 'root' or a UUID" % token)
        elif key == "sec":
            flavours = val.split(":")
            bad = [f for f in flavours if f not in SEC_FLAVOURS]
            if not val or bad:
                fail(where, field, "%r: security flavours must be a ':'-separated list of %s"
                     % (token, ", ".join(SEC_FLAVOURS)))
            if len(set(flavours)) != len(flavours):
                fail(where, field, "%r lists a flavour twice" % token)
        elif key == "mountpoint":
            validate_path(val, where, field + " (mountpoint=)")
        token = "%s=%s" % (key, val)
    else:
        if key not in FLAG_OPTIONS:
            if key in VALUE_OPTIONS:
                fail(where, field, "%r: option %r needs a value (%s=...)" % (token, key, key))
            _unknown_option(token, key, where, field)
        token = key
    if backend == "ganesha" and key not in GANESHA_OPTIONS:
        fail(where, field, "%r is a kernel-only exports(5) option with no NFS-Ganesha equivalent; "
             "remove it or use nfs_server_backend: kernel" % token)
    return key, token


def _unknown_option(token, key, where, field):
    vocab = sorted(FLAG_OPTIONS | VALUE_OPTIONS | set(ALIASES))
    close = difflib.get_close_matches(key, vocab, n=1)
    fail(where, field, "unknown export option %r%s (see exports(5))"
         % (token, "; did you mean %r?" % close[0] if close else ""))


def normalise_options(options, where, field, backend):
    """Validate a client's option list; return the effective list.

    Aliases are rewritten, duplicates and contradictions refused, and the kernel's
    defaults for access, sync, squash and subtree checking written out explicitly.
    """
    if options is None:
        options = []
    if not isinstance(options, list):
        fail(where, field, "must be a list of exports(5) options such as [rw, sync]")
    seen = {}
    ordered = []
    for token in options:
        key, canonical = _parse_option(token, where, field, backend)
        if key in seen:
            fail(where, field, "option %r is given more than once (%r and %r)" % (key, seen[key], canonical))
        seen[key] = canonical
        ordered.append((key, canonical))
    for group in EXCLUSIVE:
        present = [o for o in group if o in seen]
        if len(present) > 1:
            fail(where, field, "options %s contradict each other" % " and ".join(repr(o) for o in present))
    result = []
    for group in EXCLUSIVE:
        if group[0] in EXPLICIT_DEFAULTS:
            chosen = [o for o in group if o in seen]
            result.append(chosen[0] if chosen else group[0])
    if backend == "ganesha":
        result = [o for o in result if o in GANESHA_OPTIONS]
    result.extend(tok for key, tok in ordered if tok not in result)
    return result


def _option_value(options, key, default=None):
    for opt in options:
        k, sep, v = opt.partition("=")
        if sep and k == key:
            return v
    return default


def ganesha_client_settings(options):
    """Map effective exports(5) options onto the parameters of a Ganesha CLIENT block."""
    if "all_squash" in options:
        squash = "all_squash"
    elif "no_root_squash" in options:
        squash = "no_root_squash"
    else:
        squash = "root_squash"
    sec = _option_value(options, "sec", "sys").split(":")
    return {
        "access_type": "RW" if "rw" in options else "RO",
        "squash": squash,
        "anonymous_uid": int(_option_value(options, "anonuid", DEFAULT_ANON_ID)),
        "anonymous_gid": int(_option_value(options, "anongid", DEFAULT_ANON_ID)),
        "sectype": sec,
        "privileged_port": "insecure" not in options,
    }
