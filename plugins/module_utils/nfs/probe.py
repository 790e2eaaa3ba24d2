# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Probing NFS exports with real NFSv4 I/O (stateful.nfs.nfs_probe).

Pure: ``validate_marker``, ``explain_failure`` (libnfs's error messages in plain words),
``probe_targets`` (which exports this host can probe at all) and ``probe_result``.
``run_probes`` does the probes through a ``Libnfs`` (libnfs.py), the I/O class of this area: it
writes a marker file with a fresh token and reads it back, or only lists the export's root.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import uuid

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.clients import clients_exclude
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import ProbeError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.libnfs import nfs_url

# The probe's options (doc fragment stateful.nfs.nfs_probe_options), shared by nfs_probe and nfs_server_verify.
PROBE_ARG_SPEC = dict(
    write=dict(type="bool", default=True),
    uid=dict(type="int", default=0),
    gid=dict(type="int", default=0),
    marker=dict(type="str", default=".stateful-nfs-probe"),
    cleanup_local=dict(type="bool", default=False),
)

_MARKER_RE = re.compile(r"^[A-Za-z0-9._-]+$")

_HINTS = (
    (("connection refused", "econnrefused"),
     "nothing listens there: the NFS server is down or bound to another address/port"),
    (("timed out", "timeout", "no route to host", "network is unreachable"),
     "the server cannot be reached (down, firewalled or wrong address)"),
    (("nfs4err_access", "permission denied", "insufficient access", "eacces", "nfs4err_perm"),
     "access denied: the client is not allowed by the export, or the squashed identity "
     "(root_squash maps root to the anonymous uid) may not write to the export directory"),
    (("nfs4err_noent", "no such file", "enoent"),
     "the export's pseudo path does not exist on the server (not exported, or a different pseudo path)"),
    (("nfs4err_exist",),
     "the marker file already exists in the export (an earlier write probe left it, and libnfs cannot replace a "
     "file over NFSv4): remove it on the server, or probe with another marker"),
    (("nfs4err_rofs", "read-only"),
     "the export is read-only"),
    (("nfs4err_wrongsec", "wrongsec"),
     "the security flavour (sec=) does not match"),
    (("failed to mount", "mount failed"),
     "the NFS mount was refused"),
)


def validate_marker(marker):
    if not isinstance(marker, str) or not _MARKER_RE.match(marker) or marker in (".", ".."):
        raise ProbeError("marker: %r must be a plain file name (letters, digits, '.', '_', '-')" % (marker,))
    return marker


def explain_failure(output, listening=None):
    """Turn libnfs-utils error output into a short human explanation.

    ``listening`` is the result of a TCP connect to the server's NFS port, when
    known: libnfs reports a stopped server only as "nfs_service failed".
    """
    if listening is False:
        return _HINTS[0][1]
    text = (output or "").lower()
    for needles, hint in _HINTS:
        if any(n in text for n in needles):
            return hint
    return "libnfs reported an error"


def probe_targets(exports, client_address):
    """Split ``exports`` into ``(to_probe, not_probed)``: without ``client_address`` every export is
    probed; with it, the exports whose clients certainly do not admit it are skipped, each named
    with the reason in ``not_probed``."""
    todo, not_probed = [], []
    for export in exports:
        if client_address and clients_exclude(export["clients"], client_address):
            not_probed.append("%s: clients %s do not include %s"
                              % (export["name"], ", ".join(export["clients"]), client_address))
            continue
        todo.append(export)
    return todo, not_probed


def probe_result(mode, probes, not_probed):
    """The module's result for ``probes`` (one dict per probed export); ProbeError naming every failing
    export, its URL, the explanation and libnfs's message when any failed."""
    failures = ["export %r (%s): %s [%s]" % (p["name"], p["url"], p["hint"], p["error"])
                for p in probes if not p["ok"]]
    if failures:
        raise ProbeError("NFS %s probe failed for %d of %d export(s): %s"
                         % (mode, len(failures), len(probes), "; ".join(failures)),
                         mode=mode, probes=probes, not_probed=not_probed)
    return dict(changed=False, mode=mode, probes=probes, not_probed=not_probed)


def probe_export(nfs, export, write, params):
    """Probe one export through ``nfs``: write a fresh token into the marker file and read it back
    (and remove it through the export's local path when ``cleanup_local``), or with ``write`` false
    list the export's root. Returns ``(url, ok, error)``."""
    port = export["port"]
    if not write:
        url = nfs_url(export["server"], export["pseudo"], port=port, uid=params["uid"], gid=params["gid"])
        rc, out, err = nfs.run("nfs-ls", url)
        return url, rc == 0, (err or out).strip() if rc else ""
    url = nfs_url(export["server"], export["pseudo"], params["marker"], port=port,
                  uid=params["uid"], gid=params["gid"])
    token = "stateful.nfs probe %s\n" % uuid.uuid4()
    rc, out, err = nfs.put(token, url)
    if rc != 0:
        return url, False, "write failed: %s" % (err or out).strip()
    rc, out, err = nfs.run("nfs-cat", url)
    if rc != 0:
        return url, False, "read-back failed: %s" % (err or out).strip()
    if out != token:
        return url, False, "read back %r, expected the token just written %r" % (out[:80], token)
    if params["cleanup_local"]:
        try:
            os.unlink(os.path.join(export["path"], params["marker"]))
        except OSError as exc:
            return url, False, "wrote and read back, but cannot remove the marker locally: %s" % exc
    return url, True, ""


def run_probes(params, nfs, check_mode=False):
    """Probe the exports of ``params`` (the options of nfs_probe) through ``nfs``, every export at the
    same time; the module's result, or ProbeError (see ``probe_result``)."""
    validate_marker(params["marker"])
    write = params["write"] and not check_mode
    todo, not_probed = probe_targets(params["exports"], params["client_address"])

    def probe(export):
        export_write = write and not export["read_only"]
        url, ok, error = probe_export(nfs, export, export_write, params)
        hint = "" if ok else explain_failure(error, nfs.listening(export["server"], export["port"]))
        return {"name": export["name"], "url": url, "ok": ok, "error": error, "hint": hint,
                "mode": "write" if export_write else "read"}

    # The exports are independent (each has its own URL and marker): probed at the same time.
    return probe_result("write" if write else "read", nfs.map(probe, todo), not_probed)
