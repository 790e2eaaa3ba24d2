# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Structured NFS exports (pure, no I/O).

* ``validate_exports`` checks the structured export list of the ``nfs_server`` role
  (paths, clients, exports(5) options and their NFS-Ganesha equivalents, opt-ins)
  and returns it normalised, with the derived Ganesha settings and the kernel
  ``/etc/exports`` lines, plus the warnings to show.  Every error names the export
  and the field.
* ``exported_facts`` turns the normalised list into ``nfs_server_exported``, the
  structured facts later roles (PersistentVolumes, client preflight) consume.
* ``export_directories`` lists the export directories for the ``directories`` module.
* ``exports_plan`` is what the ``nfs_exports_validate`` action returns.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import posixpath

from ansible_collections.stateful.nfs.plugins.module_utils.files.attributes import InvalidAttribute, check_id, check_mode
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import (
    InvalidName,
    validate_dns1123_label,
)
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.clients import parse_client_host
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import ExportError, fail
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.options import (
    ganesha_client_settings,
    normalise_options,
)
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.paths import validate_path

BACKENDS = ("kernel", "ganesha")
KERNEL_PORT = 2049

EXPORT_KEYS = ("name", "path", "owner", "group", "mode", "clients", "ganesha")
CLIENT_KEYS = ("host", "options")
GANESHA_KEYS = ("pseudo", "export_id", "access_type", "squash")
GANESHA_ACCESS_TYPES = ("None", "RO", "RW", "MDONLY", "MDONLY_RO")
GANESHA_SQUASH = ("root_squash", "no_root_squash", "all_squash", "root_id_squash")


# Argument spec of one entry of nfs_server_exported (doc fragment stateful.nfs.nfs_exported).
EXPORTED_ARG_SPEC = dict(
    type="list",
    elements="dict",
    required=True,
    options=dict(
        name=dict(type="str", required=True),
        path=dict(type="str", required=True),
        pseudo=dict(type="str", required=True),
        server=dict(type="str", required=True),
        port=dict(type="int", default=KERNEL_PORT),
        clients=dict(type="list", elements="str", default=[]),
        options=dict(type="list", elements="str", default=[]),
        client_options=dict(type="list", elements="dict", default=[]),
        read_only=dict(type="bool", default=False),
    ),
)


def _where(index, export):
    name = export.get("name") if isinstance(export, dict) else None
    if isinstance(name, str) and name:
        return "export %r (nfs_server_exports[%d])" % (name, index)
    path = export.get("path") if isinstance(export, dict) else None
    if isinstance(path, str) and path:
        return "export %r (nfs_server_exports[%d])" % (path, index)
    return "nfs_server_exports[%d]" % index


def _unknown_keys(where, field, value, allowed):
    extra = sorted(k for k in value if k not in allowed)
    if extra:
        hints = []
        for key in extra:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hints.append("%r%s" % (key, " (did you mean %r?)" % close[0] if close else ""))
        fail(where, field, "unknown key(s) %s; allowed: %s" % (", ".join(hints), ", ".join(allowed)))


def _kernel_line(path, clients):
    return "%s %s" % (path, " ".join("%s(%s)" % (c["host"], ",".join(c["options"])) for c in clients))


def _validate_ganesha(value, where, path, index):
    field = "ganesha"
    if value is None:
        value = {}
    if not isinstance(value, dict):
        fail(where, field, "must be a mapping with keys %s" % ", ".join(GANESHA_KEYS))
    _unknown_keys(where, field, value, GANESHA_KEYS)
    pseudo = value.get("pseudo")
    pseudo = path if pseudo in (None, "") else validate_path(pseudo, where, "ganesha.pseudo")
    export_id = value.get("export_id")
    if export_id in (None, ""):
        export_id = index + 1
    elif isinstance(export_id, bool) or not isinstance(export_id, int) or not 1 <= export_id <= 65535:
        fail(where, "ganesha.export_id", "%r must be an integer between 1 and 65535 (0 is the pseudo root)"
             % (export_id,))
    access = value.get("access_type") or "None"
    if access not in GANESHA_ACCESS_TYPES:
        fail(where, "ganesha.access_type", "%r must be one of %s (the access of hosts not listed in "
             "clients; None is the safe default)" % (access, ", ".join(GANESHA_ACCESS_TYPES)))
    squash = value.get("squash") or "root_squash"
    if squash not in GANESHA_SQUASH:
        fail(where, "ganesha.squash", "%r must be one of %s" % (squash, ", ".join(GANESHA_SQUASH)))
    return {"pseudo": pseudo, "export_id": export_id, "access_type": access, "squash": squash}


def _validate_attribute(check, value, where, field):
    try:
        return check(value)
    except InvalidAttribute as exc:
        fail(where, field, str(exc))


def validate_exports(exports, backend="kernel", allow_world_clients=False, allow_no_root_squash=False,
                     default_owner="root", default_group="root", default_mode="0755"):
    """Validate and normalise the ``nfs_server_exports`` list.

    Returns ``(normalised, warnings)``.  Raises ``ExportError`` naming the export
    and the field on the first problem; nothing is half-accepted.
    """
    if backend not in BACKENDS:
        raise ExportError("nfs_server_backend: %r must be one of %s" % (backend, ", ".join(BACKENDS)))
    if exports is None:
        exports = []
    if not isinstance(exports, list):
        raise ExportError("nfs_server_exports: must be a list of exports, got %s" % type(exports).__name__)
    warnings = []
    result = []
    names, paths, pseudos, ids = {}, {}, {}, {}
    for index, export in enumerate(exports):
        where = _where(index, export)
        if not isinstance(export, dict):
            raise ExportError("%s: must be a mapping with keys %s" % (where, ", ".join(EXPORT_KEYS)))
        _unknown_keys(where, "keys", export, EXPORT_KEYS)
        path = validate_path(export.get("path"), where)
        name = export.get("name")
        if name in (None, ""):
            name = posixpath.basename(path)
            try:
                validate_dns1123_label(name, "name")
            except InvalidName as exc:
                fail(where, "name", "not given, and the last path component is not usable as one (%s); "
                     "set name explicitly" % exc)
        else:
            try:
                validate_dns1123_label(name, "name")
            except InvalidName as exc:
                fail(where, "name", str(exc))
        where = "export %r (nfs_server_exports[%d])" % (name, index)
        for seen, key, label in ((names, name, "name"), (paths, path, "path")):
            if key in seen:
                fail(where, label, "%r is already used by %s" % (key, seen[key]))
            seen[key] = "nfs_server_exports[%d]" % index
        ganesha = _validate_ganesha(export.get("ganesha"), where, path, index)
        if backend == "kernel":
            ganesha["pseudo"] = path
        if ganesha["pseudo"] in pseudos:
            fail(where, "ganesha.pseudo", "%r is already the pseudo path of %s"
                 % (ganesha["pseudo"], pseudos[ganesha["pseudo"]]))
        pseudos[ganesha["pseudo"]] = "nfs_server_exports[%d]" % index
        if backend == "ganesha":
            if ganesha["export_id"] in ids:
                fail(where, "ganesha.export_id", "%d is already used by %s"
                     % (ganesha["export_id"], ids[ganesha["export_id"]]))
            ids[ganesha["export_id"]] = "nfs_server_exports[%d]" % index
        owner = _validate_attribute(check_id, export.get("owner") or default_owner, where, "owner")
        group = _validate_attribute(check_id, export.get("group") or default_group, where, "group")
        mode = _validate_attribute(check_mode, export.get("mode") if export.get("mode") is not None else default_mode,
                                   where, "mode")

        clients_in = export.get("clients")
        if not isinstance(clients_in, list) or not clients_in:
            fail(where, "clients", "must be a non-empty list of {host, options}; there is no default "
                 "client, name the hosts or networks allowed to mount this export")
        clients = []
        hosts = {}
        for cindex, client in enumerate(clients_in):
            cfield = "clients[%d]" % cindex
            if not isinstance(client, dict):
                fail(where, cfield, "must be a mapping with keys host and options")
            _unknown_keys(where, cfield, client, CLIENT_KEYS)
            host, kind = parse_client_host(client.get("host"), where, cfield + ".host")
            if host in hosts:
                fail(where, cfield + ".host", "%r is already listed as %s" % (host, hosts[host]))
            hosts[host] = cfield
            options = normalise_options(client.get("options"), where, cfield + ".options", backend)
            if kind == "world":
                if not allow_world_clients:
                    fail(where, cfield + ".host", "%r lets every host mount this export; set "
                         "nfs_server_allow_world_clients: true to allow it" % host)
                warnings.append("%s: %s %r lets every host that can reach the server mount %s "
                                "(allowed by nfs_server_allow_world_clients)" % (where, cfield, host, path))
            if "no_root_squash" in options:
                if not allow_no_root_squash:
                    fail(where, cfield + ".options", "no_root_squash gives root on %r root on %s; set "
                         "nfs_server_allow_no_root_squash: true to allow it" % (host, path))
                warnings.append("%s: %s %r has no_root_squash: root on that client is root on %s "
                                "(allowed by nfs_server_allow_no_root_squash)" % (where, cfield, host, path))
            entry = {"host": host, "kind": kind, "options": options}
            if backend == "ganesha":
                entry["ganesha"] = ganesha_client_settings(options)
            clients.append(entry)
        if backend == "ganesha":
            if ganesha["access_type"] != "None":
                if not allow_world_clients:
                    fail(where, "ganesha.access_type", "%r grants access to every host not listed in "
                         "clients; set nfs_server_allow_world_clients: true to allow it"
                         % ganesha["access_type"])
                warnings.append("%s: ganesha.access_type %s applies to every host that can reach the "
                                "server (allowed by nfs_server_allow_world_clients)" % (where, ganesha["access_type"]))
                if ganesha["squash"] == "no_root_squash":
                    if not allow_no_root_squash:
                        fail(where, "ganesha.squash", "no_root_squash for every host; set "
                             "nfs_server_allow_no_root_squash: true to allow it")
                    warnings.append("%s: ganesha.squash no_root_squash applies to every host "
                                    "(allowed by nfs_server_allow_no_root_squash)" % where)
        result.append({
            "name": name,
            "path": path,
            "owner": owner,
            "group": group,
            "mode": mode,
            "clients": clients,
            "pseudo": ganesha["pseudo"],
            "export_id": ganesha["export_id"],
            "ganesha": {"access_type": ganesha["access_type"], "squash": ganesha["squash"]},
            "kernel_line": _kernel_line(path, clients),
        })
    return result, warnings


def exported_facts(normalised, server, port):
    """Build the ``nfs_server_exported`` facts from ``validate_exports`` output.

    ``options`` holds the options every client shares (in the first client's
    order); ``client_options`` keeps each client's full list.
    """
    facts = []
    for export in normalised:
        first = export["clients"][0]["options"] if export["clients"] else []
        common = [o for o in first if all(o in c["options"] for c in export["clients"])]
        facts.append({
            "name": export["name"],
            "path": export["path"],
            "pseudo": export["pseudo"],
            "server": server,
            "port": int(port),
            "clients": [c["host"] for c in export["clients"]],
            "options": common,
            "client_options": [{"host": c["host"], "options": list(c["options"])} for c in export["clients"]],
            "read_only": all("rw" not in c["options"] for c in export["clients"]),
        })
    return facts


def export_directories(normalised):
    """The export directories with their owner, group and mode, as stateful.nfs.directories takes them."""
    return [dict((key, export[key]) for key in ("path", "owner", "group", "mode")) for export in normalised]


def validate_server(server, port, where="nfs_server_address"):
    """Check the address clients use and the port; return ``(server, port)``."""
    if not isinstance(server, str) or not server:
        raise ExportError("%s: must be set to the address clients use to reach this server "
                          "(no default IPv4 address was found)" % where)
    host, kind = parse_client_host(server, where, "value")
    if kind not in ("ip", "hostname"):
        raise ExportError("%s: %r must be a single IP address or host name" % (where, server))
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ExportError("port: %r must be an integer between 1 and 65535" % (port,))
    return host, port


def exports_plan(params):
    """What stateful.nfs.nfs_exports_validate returns for ``params`` (checked against the options documented in plugins/modules/nfs_exports_validate.py).

    Raises ExportError, whose message says that nothing was changed and names the export and field.
    """
    port = KERNEL_PORT if params["backend"] == "kernel" else params["port"]
    try:
        server, port = validate_server(params["server"], port)
        exports, warnings = validate_exports(
            params["exports"],
            backend=params["backend"],
            allow_world_clients=params["allow_world_clients"],
            allow_no_root_squash=params["allow_no_root_squash"],
            default_owner=params["default_owner"],
            default_group=params["default_group"],
            default_mode=params["default_mode"],
        )
    except ExportError as exc:
        raise ExportError("invalid NFS exports, nothing was changed: %s" % exc)
    result = dict(changed=False, exports=exports, exported=exported_facts(exports, server, port),
                  directories=export_directories(exports))
    if warnings:
        result["warnings"] = warnings
    return result
