# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which NFS export a PersistentVolume uses (pure, no I/O).

* ``export_key``: ``(server, path, port)`` of a PersistentVolume's ``spec.nfs`` (a manifest or a live
  object), normalised, so that two ways of writing one export compare equal.
* ``volumes_sharing_exports``: the live volumes of another name on the export of each rendered one.

volumes.py refuses (or warns about) what these find, naming the fields.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import posixpath
import re

NFS_DEFAULT_PORT = 2049


def _normal_server(server):
    """A server compared as a host name: case and a final dot do not count, nor the brackets of an IPv6
    address, which is compared in its canonical form (``FD00:0::1`` is ``fd00::1``). Names are not
    resolved: ``localhost`` and ``127.0.0.1`` stay two servers."""
    host = str(server or "").strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    host = host.rstrip(".")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


def _normal_path(path):
    """A path on the server: ``//``, ``.`` and ``..`` components and trailing slashes do not count."""
    path = re.sub(r"/+", "/", str(path or "").strip())
    return posixpath.normpath(path) if path else ""


def _mount_port(options):
    """The ``port=`` of mount options (the last one wins, as for mount), else the NFS port (2049).

    An item may hold several options separated by commas (the role refuses that, a PersistentVolume
    made by hand may have it); ``port=0`` means the default too.
    """
    port = NFS_DEFAULT_PORT
    for item in options or []:
        for option in str(item).split(","):
            name, sep, value = option.strip().partition("=")
            if sep and name.strip().lower() == "port":
                value = value.strip()
                port = int(value) if value.isdigit() else value
    return NFS_DEFAULT_PORT if port == 0 else port


def export_key(pv):
    """``(server, path, port)``: the NFS export a PersistentVolume (manifest or live object) uses,
    normalised, or None when it has no ``spec.nfs``."""
    spec = (pv or {}).get("spec") or {}
    nfs = spec.get("nfs")
    if not isinstance(nfs, dict):
        return None
    return (_normal_server(nfs.get("server")), _normal_path(nfs.get("path")), _mount_port(spec.get("mountOptions")))


def export_text(pv):
    """``server:path`` as the volume writes it, with ``(port N)`` when the port is not 2049."""
    nfs = pv["spec"]["nfs"]
    port = export_key(pv)[2]
    text = "%s:%s" % (nfs.get("server"), nfs.get("path"))
    return text if port == NFS_DEFAULT_PORT else "%s (port %s)" % (text, port)


def volumes_sharing_exports(placed, live_volumes):
    """``(field, volume, live)`` for each rendered volume of ``placed`` (``[(field, manifest)]``) and each
    volume of ``live_volumes`` of another name on the same export, in the order of both.

    Live volumes without an NFS source are left out. A live volume of the same name as a rendered one
    is that volume (the apply updates it), not a second one.
    """
    names = set(pv["metadata"]["name"] for _field, pv in placed)
    by_export = {}
    for live in live_volumes or []:
        if not isinstance(live, dict) or (live.get("metadata") or {}).get("name") in names:
            continue
        key = export_key(live)
        if key is not None:
            by_export.setdefault(key, []).append(live)
    return [(field, pv, live) for field, pv in placed for live in by_export.get(export_key(pv), [])]
