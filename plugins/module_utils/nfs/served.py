# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an NFS server actually serves, compared with what was asked (stateful.nfs.nfs_exports_info).

Pure: ``first_components``, ``compare_pseudo_root``, ``pseudo_roots``, ``kernel_report`` and
``unlisted_export``. ``ServerReader`` is the I/O of this area (``exportfs -v``, name resolution,
the Ganesha pid file); libnfs listings go through a ``Libnfs`` (libnfs.py). ``kernel_info`` and
``ganesha_info`` read through them and return the module's result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import socket

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.clients import (
    clients_exclude,
    names_to_resolve,
)
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import NfsError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.exportfs import (
    compare_kernel_exports,
    parse_exportfs_v,
)
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.ganesha_process import GaneshaProcess
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.libnfs import nfs_url, parse_nfs_ls
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.probe import explain_failure

# Which server and how to find it (doc fragment stateful.nfs.nfs_served), shared by nfs_exports_info and
# nfs_server_verify.
SERVED_ARG_SPEC = dict(
    backend=dict(type="str", choices=["kernel", "ganesha"], required=True),
    pid_file=dict(type="path"),
    config=dict(type="path", default="/etc/ganesha/ganesha.conf"),
)


class ServerReader(object):
    """The I/O: exportfs, name resolution and the Ganesha pid file (libnfs through Libnfs)."""

    def __init__(self, module):
        self.module = module

    def exportfs(self):
        exportfs = self.module.get_bin_path("exportfs", required=True, opt_dirs=["/usr/sbin", "/sbin"])
        rc, out, err = self.module.run_command([exportfs, "-v"])
        if rc != 0:
            raise NfsError("exportfs -v failed (rc %d): %s" % (rc, err or out))
        return out

    @staticmethod
    def host_aliases(hosts):
        aliases = {}
        for host in hosts:
            names = set()
            try:
                for _fam, _type, _proto, canon, addr in socket.getaddrinfo(host, None, 0, 0, 0,
                                                                           socket.AI_CANONNAME):
                    names.add(addr[0])
                    if canon:
                        names.add(canon)
            except socket.gaierror:
                pass
            aliases[host] = sorted(names)
        return aliases

    @staticmethod
    def ganesha_instance(pid_file, config):
        return GaneshaProcess.find_instance(pid_file, config)


def first_components(pseudos):
    """The first path components of NFSv4 pseudo paths (what the pseudo root lists)."""
    out = set()
    for pseudo in pseudos:
        parts = [p for p in pseudo.split("/") if p]
        if parts:
            out.add(parts[0])
    return out


def compare_pseudo_root(expected_pseudos, listed):
    """Names in the pseudo root nobody asked for (another config exports them)."""
    wanted = first_components(expected_pseudos)
    return sorted(name for name in listed if name not in wanted)


def pseudo_roots(exports):
    """``[((server, port), [pseudo, ...]), ...]``, sorted: the pseudo roots the exports live in."""
    roots = {}
    for export in exports:
        roots.setdefault((export["server"], export["port"]), []).append(export["pseudo"])
    return sorted(roots.items())


def kernel_report(exports, text, aliases):
    """Compare ``exportfs -v`` output ``text`` with ``exports`` (``aliases``: see compare_kernel_exports)."""
    try:
        actual = parse_exportfs_v(text)
    except ValueError as exc:
        raise NfsError("cannot parse exportfs -v output: %s" % exc, stdout=text)
    result = dict(exportfs=actual, **compare_kernel_exports(exports, actual, aliases))
    result.update(changed=False, matches=not result["problems"])
    return result


def unlisted_export(export, client_address):
    """Why ``export`` could not be listed when that is expected: a message for ``unverified`` when its
    clients certainly do not admit the address this host probes from (``client_address``, by default
    the export's server address), None when it should have been listed (a problem)."""
    source = client_address or export["server"]
    if clients_exclude(export["clients"], source):
        return ("export %r (%s): this host (%s) is not one of its clients %s, so it cannot be listed from here"
                % (export["name"], export["pseudo"], source, ", ".join(export["clients"])))
    return None


def kernel_info(exports, reader):
    """Read ``exportfs -v`` (and resolve the host names it may print by address) through ``reader``."""
    text = reader.exportfs()
    hosts = [c["host"] for e in exports for c in e["client_options"]]
    return kernel_report(exports, text, reader.host_aliases(names_to_resolve(hosts)))


def ganesha_info(params, nfs, reader):
    """Check the Ganesha instance (``params``: the options of nfs_exports_info) and list its pseudo
    roots and every export through ``nfs``, all at the same time; the module's result."""
    problems, unverified = [], []
    daemon = None
    if params["pid_file"]:
        config = os.path.normpath(params["config"]) if params["config"] else params["config"]
        daemon = reader.ganesha_instance(params["pid_file"], config)
        if not daemon["running"]:
            problems.append("NFS-Ganesha is not running with %s: %s" % (config, daemon["why"]))
    exports = params["exports"]
    roots = pseudo_roots(exports)
    root_urls = [nfs_url(server, "/", port=port) for (server, port), _pseudos in roots]
    export_urls = [nfs_url(export["server"], export["pseudo"], port=export["port"]) for export in exports]
    # Every listing is independent: all at the same time, results in order.
    listings = nfs.map(lambda url: nfs.run("nfs-ls", url), root_urls + export_urls)
    listed = []
    for ((server, port), pseudos), url, (rc, out, err) in zip(roots, root_urls, listings):
        if rc != 0:
            reason = explain_failure(err + out, nfs.listening(server, port))
            problems.append("cannot list the NFSv4 pseudo root %s: %s (%s)" % (url, reason, (err or out).strip()))
            continue
        names = parse_nfs_ls(out)
        listed.extend(names)
        extra = compare_pseudo_root(pseudos, names)
        if extra:
            problems.append("the pseudo root of %s:%d also lists %s, which no export asked for (another "
                            "configuration exports it)" % (server, port, ", ".join(extra)))
    served = []
    for export, url, (rc, out, err) in zip(exports, export_urls, listings[len(roots):]):
        entry = {"name": export["name"], "url": url, "listed": rc == 0, "error": "" if rc == 0 else (err or out).strip()}
        served.append(entry)
        if rc == 0:
            continue
        why = unlisted_export(export, params["client_address"])
        if why:
            unverified.append(why)
        else:
            hint = explain_failure(entry["error"], nfs.listening(export["server"], export["port"]))
            problems.append("export %r: %s is not served: %s (%s)" % (export["name"], url, hint, entry["error"]))
    return dict(changed=False, matches=not problems, daemon=daemon, pseudo_root=listed, served=served,
                problems=problems, unverified=unverified)
