# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""libnfs-utils: NFS from user space, without a kernel client.

* ``nfs_url`` builds the URL of an export (or of a file in it); ``parse_nfs_ls`` reads ``nfs-ls``.
* ``validate_timeout`` checks the seconds allowed for one command.
* ``Libnfs`` is the I/O: it runs ``nfs-ls``, ``nfs-cp`` and ``nfs-cat`` for a module, each under
  coreutils ``timeout``, and tells whether the server's port accepts connections.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os
import uuid
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import ProbeError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.net import listening

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported by the collection
    from urllib import quote


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


class Libnfs(object):
    """Runs libnfs-utils commands (each under coreutils ``timeout``) for a module.

    Refuses (ProbeError) a timeout below one second before it looks for a tool, and missing tools.
    """

    TOOLS = ("nfs-ls", "nfs-cp", "nfs-cat")
    # Independent commands run at the same time, at most this many.
    PARALLEL = 8
    # Whether the server's NFS port accepts a connection (net.listening, the one connect check).
    listening = staticmethod(listening)

    def __init__(self, module, timeout):
        self.module = module
        self.timeout = validate_timeout(timeout)
        missing = [tool for tool in self.TOOLS if not module.get_bin_path(tool)]
        if missing:
            raise ProbeError("%s not found: install libnfs-utils (the nfs_client and nfs_server roles do)"
                             % ", ".join(missing))
        self.timeout_bin = module.get_bin_path("timeout", required=True)

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

    def put(self, text, url):
        """Write ``text`` to ``url``: ``nfs-cp`` of a file holding it in the module's temporary
        directory; return ``(rc, stdout, stderr)``."""
        local = os.path.join(self.module.tmpdir, "probe-%s" % uuid.uuid4().hex)
        with open(local, "w") as handle:
            handle.write(text)
        return self.run("nfs-cp", local, url)
