# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers for probing NFS exports with libnfs-utils (no I/O).

The probe itself (``nfs-cp`` a marker file in, ``nfs-cat`` it back, or ``nfs-ls``
in read-only mode) runs in the modules; this file builds the URLs, explains
libnfs's error messages and checks what the NFSv4 pseudo file system lists.
Its only I/O is the small ``Libnfs`` runner class the modules share.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
import socket
from concurrent.futures import ThreadPoolExecutor

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported by the collection
    from urllib import quote

_MARKER_RE = re.compile(r"^[A-Za-z0-9._-]+$")


class ProbeError(ValueError):
    """Invalid probe input; the message names the field."""


def validate_marker(marker):
    if not isinstance(marker, str) or not _MARKER_RE.match(marker) or marker in (".", ".."):
        raise ProbeError("marker: %r must be a plain file name (letters, digits, '.', '_', '-')" % (marker,))
    return marker


def validate_timeout(timeout):
    """Seconds for one libnfs command: at least 1 (coreutils ``timeout 0`` would mean no limit at all)."""
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1:
        raise ProbeError("timeout: must be a positive number of seconds, got %r" % (timeout,))
    return timeout


def nfs_url(server, pseudo, filename=None, port=2049, uid=None, gid=None):
    """Return the libnfs URL for ``pseudo`` (or a file in it) on ``server``.

    NFSv4 is forced (``version=4``: libnfs defaults to NFSv3, which needs the
    MOUNT protocol); a non-default port is passed as ``nfsport``.
    """
    host = server
    try:
        if ipaddress.ip_address(server).version == 6:
            host = "[%s]" % server
    except ValueError:
        pass
    path = pseudo.rstrip("/") or ""
    if filename:
        path = "%s/%s" % (path, filename)
    elif not path:
        path = "/"
    query = ["version=4"]
    if int(port) != 2049:
        query.append("nfsport=%d" % int(port))
    if uid is not None:
        query.append("uid=%d" % int(uid))
    if gid is not None:
        query.append("gid=%d" % int(gid))
    return "nfs://%s%s?%s" % (host, quote(path, safe="/._-@+=:,%"), "&".join(query))


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
    (("nfs4err_rofs", "read-only"),
     "the export is read-only"),
    (("nfs4err_wrongsec", "wrongsec"),
     "the security flavour (sec=) does not match"),
    (("failed to mount", "mount failed"),
     "the NFS mount was refused"),
)


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


def first_components(pseudos):
    """The first path components of NFSv4 pseudo paths (what the pseudo root lists)."""
    out = set()
    for pseudo in pseudos:
        parts = [p for p in pseudo.split("/") if p]
        if parts:
            out.add(parts[0])
    return out


def parse_nfs_ls(text):
    """Names listed by ``nfs-ls`` (the last column of each line)."""
    names = []
    for line in (text or "").splitlines():
        line = line.rstrip()
        if not line:
            continue
        parts = line.split(None, 5)
        if len(parts) == 6:
            names.append(parts[5])
    return names


def compare_pseudo_root(expected_pseudos, listed):
    """Names in the pseudo root nobody asked for (another config exports them)."""
    wanted = first_components(expected_pseudos)
    return sorted(name for name in listed if name not in wanted)


class Libnfs(object):
    """Runs libnfs-utils commands (each under coreutils ``timeout``) for a module."""

    TOOLS = ("nfs-ls", "nfs-cp", "nfs-cat")
    # Independent commands run at the same time, at most this many.
    PARALLEL = 8

    def __init__(self, module, timeout):
        self.module = module
        try:
            self.timeout = validate_timeout(timeout)
        except ProbeError as exc:
            module.fail_json(msg=str(exc))
        missing = [tool for tool in self.TOOLS if not module.get_bin_path(tool)]
        if missing:
            module.fail_json(msg="%s not found: install libnfs-utils (the nfs_client and nfs_server roles do)"
                             % ", ".join(missing))
        self.timeout_bin = module.get_bin_path("timeout", required=True)

    @staticmethod
    def listening(server, port, timeout=3):
        """Whether a TCP connection to ``server``:``port`` is accepted."""
        try:
            conn = socket.create_connection((server, int(port)), timeout=timeout)
        except (socket.error, OSError):
            return False
        conn.close()
        return True

    def map(self, function, items):
        """``[function(item) for item in items]``, the calls at the same time (a libnfs round trip is
        mostly waiting, and AnsibleModule.run_command sometimes idles a second after a command ends);
        the results keep the order of ``items``."""
        items = list(items)
        if len(items) < 2:
            return [function(item) for item in items]
        with ThreadPoolExecutor(max_workers=min(len(items), self.PARALLEL)) as pool:
            return list(pool.map(function, items))

    def run(self, tool, *args):
        """Run ``tool`` with ``args``; return ``(rc, stdout, stderr)``."""
        cmd = [self.timeout_bin, str(self.timeout), self.module.get_bin_path(tool)] + list(args)
        rc, out, err = self.module.run_command(cmd)
        if rc == 124:
            err = "timed out after %d s. %s" % (self.timeout, err)
        return rc, out, err
