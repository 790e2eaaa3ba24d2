# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An NFS server verified in one call (the ``nfs_server_verify`` module): what it serves, compared with
what was asked (``served.py``, as ``nfs_exports_info``), then, only when that matches, real NFS I/O into
every export (``probe.py``, as ``nfs_probe``). Over SSH this is one module round trip instead of two."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import NfsError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.probe import run_probes, validate_marker
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.served import ganesha_info, kernel_info


def verify_server(params, libnfs, reader, check_mode=False):
    """The module's result: the keys of ``nfs_exports_info`` and ``probe``, the result of ``nfs_probe``
    (``None`` when ``params['probe']`` is false or what is served does not match).

    ``libnfs`` returns the libnfs runner when first needed (the kernel backend needs it only for the
    probe), ``reader`` reads the server (exportfs, the Ganesha pid file). A failed probe raises
    ``NfsError`` whose ``result`` holds what is served and the probe's result."""
    if params["probe"]:
        validate_marker(params["marker"])  # refused before anything is read
    if params["backend"] == "kernel":
        result = kernel_info(params["exports"], reader)
    else:
        result = ganesha_info(params, libnfs(), reader)
    result["probe"] = None
    if params["probe"] and result["matches"]:
        try:
            result["probe"] = run_probes(params, libnfs(), check_mode)
        except NfsError as exc:
            raise NfsError(str(exc), **dict(result, probe=exc.result))
    return result
