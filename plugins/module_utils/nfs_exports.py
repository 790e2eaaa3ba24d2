# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic for NFS exports (no I/O).

* ``validate_exports`` checks the structured export list of the ``nfs_server`` role
  (paths, clients, exports(5) options and their NFS-Ganesha equivalents, opt-ins)
  and returns it normalised, with the derived Ganesha settings and the kernel
  ``/etc/exports`` lines, plus the warnings to show.  Every error names the export
  and the field.
* ``exported_facts`` turns the normalised list into ``nfs_server_exported``, the
  structured facts later roles (PersistentVolumes, client preflight) consume.
* ``parse_exportfs_v`` reads the output of ``exportfs -v``; ``compare_kernel_exports``
  compares it with what was asked.
* ``client_allows`` tells whether a client specification admits an address.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import ipaddress
import posixpath
import re

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import (
    InvalidName,
    validate_dns1123_label,
)

BACKENDS = ("kernel", "ganesha")
KERNEL_PORT = 2049
DEFAULT_ANON_ID = 65534

EXPORT_KEYS = ("name", "path", "owner", "group", "mode", "clients", "ganesha")
CLIENT_KEYS = ("host", "options")
GANESHA_KEYS = ("pseudo", "export_id", "access_type", "squash")

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
GANESHA_ACCESS_TYPES = ("None", "RO", "RW", "MDONLY", "MDONLY_RO")
GANESHA_SQUASH = ("root_squash", "no_root_squash", "all_squash", "root_id_squash")

# Directories that must never be exported (or exported below).
FORBIDDEN_TREES = ("/proc", "/sys", "/dev", "/run", "/boot", "/etc")
FORBIDDEN_EXACT = ("/", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/var", "/var/lib", "/var/lib/nfs", "/root", "/home")
_PATH_RE = re.compile(r"^/[A-Za-z0-9._@+=:,%/-]+$")
_HOST_LABEL_RE = re.compile(r"^[A-Za-z0-9*?]([A-Za-z0-9*?-]{0,61}[A-Za-z0-9*?])?$")
_NETGROUP_RE = re.compile(r"^@[A-Za-z0-9_.-]+$")
_USER_RE = re.compile(r"^([a-z_][a-z0-9_-]{0,31}\$?|[0-9]+)$")
_MODE_RE = re.compile(r"^[0-7]{3,4}$")


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


class ExportError(ValueError):
    """Invalid export input; the message names the export and the field."""


def _where(index, export):
    name = export.get("name") if isinstance(export, dict) else None
    if isinstance(name, str) and name:
        return "export %r (nfs_server_exports[%d])" % (name, index)
    path = export.get("path") if isinstance(export, dict) else None
    if isinstance(path, str) and path:
        return "export %r (nfs_server_exports[%d])" % (path, index)
    return "nfs_server_exports[%d]" % index


def _fail(where, field, msg):
    raise ExportError("%s: %s: %s" % (where, field, msg))


def _unknown_keys(where, field, value, allowed):
    extra = sorted(k for k in value if k not in allowed)
    if extra:
        hints = []
        for key in extra:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hints.append("%r%s" % (key, " (did you mean %r?)" % close[0] if close else ""))
        _fail(where, field, "unknown key(s) %s; allowed: %s" % (", ".join(hints), ", ".join(allowed)))


def validate_path(value, where, field="path"):
    """Return ``value`` if it is an absolute, normalised, exportable directory path."""
    if not isinstance(value, str) or not value:
        _fail(where, field, "must be a non-empty string")
    if not value.startswith("/"):
        _fail(where, field, "%r must be an absolute path" % value)
    norm = posixpath.normpath(value)
    if norm.startswith("//"):
        norm = "/" + norm.lstrip("/")
    if norm != value:
        _fail(where, field, "%r is not normalised; write it as %r" % (value, norm))
    if value in FORBIDDEN_EXACT:
        _fail(where, field, "%r is a system directory and cannot be exported" % value)
    for tree in FORBIDDEN_TREES:
        if value == tree or value.startswith(tree + "/"):
            _fail(where, field, "%r is under %s, which cannot be exported" % (value, tree))
    if not _PATH_RE.match(value):
        _fail(where, field, "%r may only contain letters, digits and . _ @ + = : , %% / -"
              " (no spaces, quotes or parentheses)" % value)
    return value


def parse_client_host(value, where, field):
    """Classify a client specification; return ``(canonical, kind)``.

    ``kind`` is one of ``world``, ``ip``, ``network``, ``wildcard``, ``hostname``,
    ``netgroup``.  CIDR networks must not have host bits set; dotted netmasks are
    refused in favour of the prefix form (one way to write a network).
    """
    if not isinstance(value, str) or not value.strip():
        _fail(where, field, "must be a non-empty string (a host name, IP address, CIDR network, "
              "wildcard such as *.example.com, @netgroup, or * for every host)")
    if value != value.strip():
        _fail(where, field, "%r has leading or trailing spaces" % value)
    if value == "*":
        return value, "world"
    if _NETGROUP_RE.match(value):
        return value, "netgroup"
    if "/" in value:
        addr, _sep, prefix = value.partition("/")
        try:
            ipaddress.ip_address(addr)
        except ValueError:
            _fail(where, field, "%r: %r is not an IP address" % (value, addr))
        if not prefix.isdigit():
            try:
                mask = ipaddress.ip_address(prefix)
            except ValueError:
                mask = None
            if mask is not None:
                try:
                    better = ipaddress.ip_network(value, strict=False).with_prefixlen
                except ValueError:
                    better = "<address>/<prefix length>"
                _fail(where, field, "%r uses a dotted netmask; write it as %r" % (value, better))
            _fail(where, field, "%r: the prefix length must be a number" % value)
        try:
            net = ipaddress.ip_network(value, strict=True)
        except ValueError as exc:
            if "host bits set" in str(exc):
                _fail(where, field, "%r has host bits set; did you mean %r?"
                      % (value, ipaddress.ip_network(value, strict=False).with_prefixlen))
            _fail(where, field, "%r is not a valid CIDR network (%s)" % (value, exc))
        if net.prefixlen == 0:
            return net.with_prefixlen, "world"
        return net.with_prefixlen, "network"
    try:
        return str(ipaddress.ip_address(value)), "ip"
    except ValueError:
        pass
    if len(value) > 253:
        _fail(where, field, "%r is longer than 253 characters" % value)
    labels = value.split(".")
    for label in labels:
        if not _HOST_LABEL_RE.match(label):
            _fail(where, field, "%r is not a host name, IP address, CIDR network, wildcard, "
                  "@netgroup or *" % value)
    if all(label.isdigit() for label in labels):
        _fail(where, field, "%r is not a valid IPv4 address" % value)
    wildcard = "*" in value or "?" in value
    return value.lower(), ("wildcard" if wildcard else "hostname")


def _parse_option(token, where, field, backend):
    if not isinstance(token, str) or not token:
        _fail(where, field, "options must be non-empty strings, got %r" % (token,))
    if token != token.strip() or "," in token or " " in token:
        _fail(where, field, "%r: give one option per list item, without commas or spaces" % token)
    key, sep, val = token.partition("=")
    key = ALIASES.get(key, key)
    if key in UNSUPPORTED:
        _fail(where, field, "%r: %s" % (token, UNSUPPORTED[key]))
    if sep:
        if key not in VALUE_OPTIONS:
            if key in FLAG_OPTIONS:
                _fail(where, field, "%r: option %r takes no value" % (token, key))
            _unknown_option(token, key, where, field)
        if key in ("anonuid", "anongid"):
            if not val.isdigit() or int(val) > 4294967294:
                _fail(where, field, "%r: %s must be a numeric id between 0 and 4294967294" % (token, key))
            val = str(int(val))
        elif key == "fsid":
            if val == "root":
                val = "0"
            elif not (val.isdigit() or re.match(r"^[0-9a-fA-F-]{32,36}$", val)):
                _fail(where, field, "%r: fsid must be a number, 'root' or a UUID" % token)
        elif key == "sec":
            flavours = val.split(":")
            bad = [f for f in flavours if f not in SEC_FLAVOURS]
            if not val or bad:
                _fail(where, field, "%r: security flavours must be a ':'-separated list of %s"
                      % (token, ", ".join(SEC_FLAVOURS)))
            if len(set(flavours)) != len(flavours):
                _fail(where, field, "%r lists a flavour twice" % token)
        elif key == "mountpoint":
            validate_path(val, where, field + " (mountpoint=)")
        token = "%s=%s" % (key, val)
    else:
        if key not in FLAG_OPTIONS:
            if key in VALUE_OPTIONS:
                _fail(where, field, "%r: option %r needs a value (%s=...)" % (token, key, key))
            _unknown_option(token, key, where, field)
        token = key
    if backend == "ganesha" and key not in GANESHA_OPTIONS:
        _fail(where, field, "%r is a kernel-only exports(5) option with no NFS-Ganesha equivalent; "
              "remove it or use nfs_server_backend: kernel" % token)
    return key, token


def _unknown_option(token, key, where, field):
    vocab = sorted(FLAG_OPTIONS | VALUE_OPTIONS | set(ALIASES))
    close = difflib.get_close_matches(key, vocab, n=1)
    _fail(where, field, "unknown export option %r%s (see exports(5))"
          % (token, "; did you mean %r?" % close[0] if close else ""))


def normalise_options(options, where, field, backend):
    """Validate a client's option list; return the effective list.

    Aliases are rewritten, duplicates and contradictions refused, and the kernel's
    defaults for access, sync, squash and subtree checking written out explicitly.
    """
    if options is None:
        options = []
    if not isinstance(options, list):
        _fail(where, field, "must be a list of exports(5) options such as [rw, sync]")
    seen = {}
    ordered = []
    for token in options:
        key, canonical = _parse_option(token, where, field, backend)
        if key in seen:
            _fail(where, field, "option %r is given more than once (%r and %r)" % (key, seen[key], canonical))
        seen[key] = canonical
        ordered.append((key, canonical))
    for group in EXCLUSIVE:
        present = [o for o in group if o in seen]
        if len(present) > 1:
            _fail(where, field, "options %s contradict each other" % " and ".join(repr(o) for o in present))
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


def _kernel_line(path, clients):
    return "%s %s" % (path, " ".join("%s(%s)" % (c["host"], ",".join(c["options"])) for c in clients))


def _validate_ganesha(value, where, path, index):
    field = "ganesha"
    if value is None:
        value = {}
    if not isinstance(value, dict):
        _fail(where, field, "must be a mapping with keys %s" % ", ".join(GANESHA_KEYS))
    _unknown_keys(where, field, value, GANESHA_KEYS)
    pseudo = value.get("pseudo")
    pseudo = path if pseudo in (None, "") else validate_path(pseudo, where, "ganesha.pseudo")
    export_id = value.get("export_id")
    if export_id in (None, ""):
        export_id = index + 1
    elif isinstance(export_id, bool) or not isinstance(export_id, int) or not 1 <= export_id <= 65535:
        _fail(where, "ganesha.export_id", "%r must be an integer between 1 and 65535 (0 is the pseudo root)"
              % (export_id,))
    access = value.get("access_type") or "None"
    if access not in GANESHA_ACCESS_TYPES:
        _fail(where, "ganesha.access_type", "%r must be one of %s (the access of hosts not listed in "
              "clients; None is the safe default)" % (access, ", ".join(GANESHA_ACCESS_TYPES)))
    squash = value.get("squash") or "root_squash"
    if squash not in GANESHA_SQUASH:
        _fail(where, "ganesha.squash", "%r must be one of %s" % (squash, ", ".join(GANESHA_SQUASH)))
    return {"pseudo": pseudo, "export_id": export_id, "access_type": access, "squash": squash}


def _validate_mode(value, where):
    if isinstance(value, bool) or isinstance(value, int):
        _fail(where, "mode", "%r must be a quoted string such as '0755' (an unquoted 0755 is read by "
              "YAML as the decimal number 493)" % (value,))
    if not isinstance(value, str) or not _MODE_RE.match(value):
        _fail(where, "mode", "%r must be an octal mode string such as '0755' or '2775'" % (value,))
    return value if len(value) == 4 else "0" + value


def _validate_id(value, where, field):
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _USER_RE.match(value):
        _fail(where, field, "%r must be a user/group name or a numeric id" % (value,))
    return value


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
                _fail(where, "name", "not given, and the last path component is not usable as one (%s); "
                      "set name explicitly" % exc)
        else:
            try:
                validate_dns1123_label(name, "name")
            except InvalidName as exc:
                _fail(where, "name", str(exc))
        where = "export %r (nfs_server_exports[%d])" % (name, index)
        for seen, key, label in ((names, name, "name"), (paths, path, "path")):
            if key in seen:
                _fail(where, label, "%r is already used by %s" % (key, seen[key]))
            seen[key] = "nfs_server_exports[%d]" % index
        ganesha = _validate_ganesha(export.get("ganesha"), where, path, index)
        if backend == "kernel":
            ganesha["pseudo"] = path
        if ganesha["pseudo"] in pseudos:
            _fail(where, "ganesha.pseudo", "%r is already the pseudo path of %s"
                  % (ganesha["pseudo"], pseudos[ganesha["pseudo"]]))
        pseudos[ganesha["pseudo"]] = "nfs_server_exports[%d]" % index
        if backend == "ganesha":
            if ganesha["export_id"] in ids:
                _fail(where, "ganesha.export_id", "%d is already used by %s"
                      % (ganesha["export_id"], ids[ganesha["export_id"]]))
            ids[ganesha["export_id"]] = "nfs_server_exports[%d]" % index
        owner = _validate_id(export.get("owner") or default_owner, where, "owner")
        group = _validate_id(export.get("group") or default_group, where, "group")
        mode = _validate_mode(export.get("mode") if export.get("mode") is not None else default_mode, where)

        clients_in = export.get("clients")
        if not isinstance(clients_in, list) or not clients_in:
            _fail(where, "clients", "must be a non-empty list of {host, options}; there is no default "
                  "client, name the hosts or networks allowed to mount this export")
        clients = []
        hosts = {}
        for cindex, client in enumerate(clients_in):
            cfield = "clients[%d]" % cindex
            if not isinstance(client, dict):
                _fail(where, cfield, "must be a mapping with keys host and options")
            _unknown_keys(where, cfield, client, CLIENT_KEYS)
            host, kind = parse_client_host(client.get("host"), where, cfield + ".host")
            if host in hosts:
                _fail(where, cfield + ".host", "%r is already listed as %s" % (host, hosts[host]))
            hosts[host] = cfield
            options = normalise_options(client.get("options"), where, cfield + ".options", backend)
            if kind == "world":
                if not allow_world_clients:
                    _fail(where, cfield + ".host", "%r lets every host mount this export; set "
                          "nfs_server_allow_world_clients: true to allow it" % host)
                warnings.append("%s: %s %r lets every host that can reach the server mount %s "
                                "(allowed by nfs_server_allow_world_clients)" % (where, cfield, host, path))
            if "no_root_squash" in options:
                if not allow_no_root_squash:
                    _fail(where, cfield + ".options", "no_root_squash gives root on %r root on %s; set "
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
                    _fail(where, "ganesha.access_type", "%r grants access to every host not listed in "
                          "clients; set nfs_server_allow_world_clients: true to allow it"
                          % ganesha["access_type"])
                warnings.append("%s: ganesha.access_type %s applies to every host that can reach the "
                                "server (allowed by nfs_server_allow_world_clients)" % (where, ganesha["access_type"]))
                if ganesha["squash"] == "no_root_squash":
                    if not allow_no_root_squash:
                        _fail(where, "ganesha.squash", "no_root_squash for every host; set "
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


# The arguments of stateful.nfs.nfs_exports_validate (a controller-side action).
VALIDATE_ARGSPEC = dict(
    exports=dict(type="list", elements="raw", required=True),
    backend=dict(type="str", choices=["kernel", "ganesha"], default="kernel"),
    server=dict(type="str", required=True),
    port=dict(type="int", default=KERNEL_PORT),
    allow_world_clients=dict(type="bool", default=False),
    allow_no_root_squash=dict(type="bool", default=False),
    default_owner=dict(type="str", default="root"),
    default_group=dict(type="str", default="root"),
    default_mode=dict(type="str", default="0755"),
)


def exports_plan(params):
    """What stateful.nfs.nfs_exports_validate returns for ``params`` (checked against VALIDATE_ARGSPEC).

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
    result = dict(changed=False, exports=exports, exported=exported_facts(exports, server, port))
    if warnings:
        result["warnings"] = warnings
    return result


# ---------------------------------------------------------------------------
# exportfs -v
# ---------------------------------------------------------------------------

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


def client_allows(host, address):
    """Whether client specification ``host`` admits ``address``.

    Returns True or False for ``*``, IP addresses and networks, and None when
    it cannot be told without name service look-ups (host names, wildcards, netgroups).
    """
    try:
        addr = ipaddress.ip_address(address)
    except ValueError:
        return None
    if host == "*":
        return True
    if _NETGROUP_RE.match(host):
        return None
    try:
        if "/" in host:
            return addr in ipaddress.ip_network(host, strict=False)
        return addr == ipaddress.ip_address(host)
    except ValueError:
        return None
