# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic behind the nfs_volumes and statefulset roles (no I/O).

* ``render_persistent_volumes``: static NFS PersistentVolumes from the nfs_server role's
  export facts (or an explicit list), optionally pre-bound (claimRef) to ``<vct>-<sts>-<ordinal>``.
* ``reclaim_patches``: JSON merge patches that make Released PVs bindable again, without
  ever touching the data behind them.
* ``render_statefulset``: the headless Service and the StatefulSet, every field of the
  tutorial's attribute list plus minReadySeconds, persistentVolumeClaimRetentionPolicy,
  ordinals.start and a pass-through container/pod spec; refuses bad input naming the field.
* ``immutable_changes``: desired vs live, for the fields the API will not let you change.
* ``unbindable_claims``: which claims of a StatefulSet no existing PV can satisfy (the PV
  binder's matching rules for static binding), so a scale-up that would stall is named up front.

Every error is a ``SpecError`` (a ``ValueError``) whose message starts with the field.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re
from decimal import Decimal

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import selector_matches, selector_terms
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.quantity import InvalidQuantity, parse_quantity
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import (
    InvalidName,
    pvc_name,
    validate_dns1123_label,
    validate_dns1123_subdomain,
)


class SpecError(ValueError):
    """Bad input; the message names the field."""


ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")
RECLAIM_POLICIES = ("Retain", "Delete")
UPDATE_STRATEGIES = ("RollingUpdate", "OnDelete")
POD_MANAGEMENT_POLICIES = ("OrderedReady", "Parallel")
RETENTION_POLICIES = ("Retain", "Delete")
VOLUME_MODES = ("Filesystem", "Block")
PROTOCOLS = ("TCP", "UDP", "SCTP")
SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
NFS_DEFAULT_PORT = 2049
STATEFULSET_NAME_MAX = 52
VOLUME_SET_LABEL = "stateful.nfs/volume-set"
EXPORT_LABEL = "stateful.nfs/export"
ORDINAL_LABEL = "stateful.nfs/ordinal"
MANAGED_BY = {"app.kubernetes.io/managed-by": "stateful.nfs"}
IMMUTABLE_FIELDS = ("spec.selector", "spec.serviceName", "spec.volumeClaimTemplates", "spec.podManagementPolicy")


def _name(check, value, field):
    try:
        return check(value, field)
    except InvalidName as exc:
        raise SpecError(str(exc))


def _bool(value):
    return value is True


def _int(value, field, minimum=None, maximum=None, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool):
        raise SpecError("%s: must be an integer, got %r" % (field, value))
    if isinstance(value, str) and re.match(r"^-?[0-9]+$", value.strip()):
        value = int(value.strip())
    if not isinstance(value, int):
        raise SpecError("%s: must be an integer, got %r" % (field, value))
    if minimum is not None and value < minimum:
        raise SpecError("%s: must be >= %d, got %d" % (field, minimum, value))
    if maximum is not None and value > maximum:
        raise SpecError("%s: must be <= %d, got %d" % (field, maximum, value))
    return value


def _choice(value, choices, field):
    if value not in choices:
        raise SpecError("%s: must be one of %s, got %r" % (field, ", ".join(choices), value))
    return value


def _mapping(value, field):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SpecError("%s: must be a mapping, got %s" % (field, type(value).__name__))
    return value


def _list(value, field):
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise SpecError("%s: must be a list, got %s" % (field, type(value).__name__))
    return list(value)


def _entries(value, field):
    """``(where, mapping)`` for each entry of the list ``value``: ``where`` is ``field[i]``."""
    for index, item in enumerate(_list(value, field)):
        where = "%s[%d]" % (field, index)
        yield where, _mapping(item, where)


def _string(value, field):
    if not isinstance(value, str) or not value.strip():
        raise SpecError("%s: must be a non-empty string, got %r" % (field, value))
    return value


# ---------------------------------------------------------------------------
# quantities
# ---------------------------------------------------------------------------
def _quantity(value, field):
    """k8s.quantity.parse_quantity, refusing as a ``SpecError`` (the message names the field)."""
    try:
        return parse_quantity(value, field)
    except InvalidQuantity as exc:
        raise SpecError(str(exc))


def _storage(value, field):
    """Validate a storage size: a positive quantity, returned as given (a string)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if _quantity(value, field) <= 0:
        raise SpecError("%s: must be greater than zero, got %r" % (field, value))
    return value


# ---------------------------------------------------------------------------
# labels and selectors
# ---------------------------------------------------------------------------
_LABEL_NAME_RE = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")


def validate_label_key(key, field):
    """A qualified label key: ``[prefix/]name`` (prefix a DNS-1123 subdomain, name <= 63)."""
    if not isinstance(key, str) or not key:
        raise SpecError("%s: label key must be a non-empty string, got %r" % (field, key))
    prefix, _sep, name = key.rpartition("/")
    if _sep:
        _name(validate_dns1123_subdomain, prefix, "%s: prefix of label key %r" % (field, key))
    if len(name) > 63 or not _LABEL_NAME_RE.match(name):
        raise SpecError(
            "%s: label key %r: the name part must be at most 63 characters of "
            "[A-Za-z0-9-_.], starting and ending with a letter or digit" % (field, key)
        )
    return key


def validate_label_value(value, field):
    if isinstance(value, bool) or isinstance(value, (int, float)):
        raise SpecError("%s: label value must be a string (quote it), got %r" % (field, value))
    if not isinstance(value, str):
        raise SpecError("%s: label value must be a string, got %r" % (field, value))
    if value and (len(value) > 63 or not _LABEL_NAME_RE.match(value)):
        raise SpecError(
            "%s: label value %r must be at most 63 characters of [A-Za-z0-9-_.], "
            "starting and ending with a letter or digit" % (field, value)
        )
    return value


def validate_labels(labels, field):
    labels = _mapping(labels, field)
    for key, value in labels.items():
        validate_label_key(key, field)
        validate_label_value(value, "%s[%s]" % (field, key))
    return dict(labels)


def validate_annotations(annotations, field):
    annotations = _mapping(annotations, field)
    for key, value in annotations.items():
        validate_label_key(key, field)
        if not isinstance(value, str):
            raise SpecError("%s[%s]: annotation value must be a string, got %r" % (field, key, value))
    return dict(annotations)


def validate_match_expressions(expressions, field):
    result = []
    for where, expr in _entries(expressions, field):
        unknown = sorted(set(expr) - {"key", "operator", "values"})
        if unknown:
            raise SpecError("%s: unknown keys %s (expected key, operator, values)" % (where, ", ".join(unknown)))
        validate_label_key(expr.get("key"), where + ".key")
        operator = _choice(expr.get("operator"), SELECTOR_OPERATORS, where + ".operator")
        values = _list(expr.get("values"), where + ".values")
        if operator in ("In", "NotIn") and not values:
            raise SpecError("%s.values: must not be empty for operator %s" % (where, operator))
        if operator in ("Exists", "DoesNotExist") and values:
            raise SpecError("%s.values: must be empty for operator %s" % (where, operator))
        for vindex, value in enumerate(values):
            validate_label_value(value, "%s.values[%d]" % (where, vindex))
        item = {"key": expr["key"], "operator": operator}
        if values:
            item["values"] = list(values)
        result.append(item)
    return result


# ---------------------------------------------------------------------------
# PersistentVolumes
# ---------------------------------------------------------------------------
def _access_modes(value, field):
    modes = _list(value, field)
    if not modes:
        raise SpecError("%s: must list at least one access mode" % field)
    for index, mode in enumerate(modes):
        _choice(mode, ACCESS_MODES, "%s[%d]" % (field, index))
    return modes


def _mount_options(value, field):
    options = _list(value, field)
    for index, option in enumerate(options):
        where = "%s[%d]" % (field, index)
        _string(option, where)
        if re.search(r"[\s,]", option):
            raise SpecError("%s: %r must be a single mount option (no spaces or commas)" % (where, option))
    return options


def _nfs_path(value, field):
    _string(value, field)
    if not value.startswith("/"):
        raise SpecError("%s: NFS path %r must be absolute" % (field, value))
    if "//" in value or "/../" in value + "/" or "/./" in value + "/":
        raise SpecError("%s: NFS path %r must be normalised" % (field, value))
    return value.rstrip("/") or "/"


def _nfs_server(value, field):
    _string(value, field)
    if re.search(r"[\s/:]", value) and not re.match(r"^[0-9A-Fa-f:]+$", value):
        raise SpecError("%s: %r must be a host name or address (no scheme, path or spaces)" % (field, value))
    return value


def _sources_from_exports(exports, field):
    sources = []
    for where, export in _entries(exports, field):
        pseudo = export.get("pseudo")
        path = pseudo if pseudo else export.get("path")
        source = {
            "server": _nfs_server(export.get("server"), where + ".server"),
            "path": _nfs_path(path, where + (".pseudo" if pseudo else ".path")),
            "export": export.get("name"),
            "where": where,
        }
        port = export.get("port")
        if port not in (None, "", NFS_DEFAULT_PORT, str(NFS_DEFAULT_PORT)):
            source["port"] = _int(port, where + ".port", 1, 65535)
        sources.append(source)
    return sources


_VOLUME_KEYS = {
    "name", "server", "path", "port", "capacity", "access_modes", "reclaim_policy",
    "storage_class_name", "mount_options", "labels", "claim_ref",
}


def _sources_from_list(volumes, field):
    sources = []
    for where, volume in _entries(volumes, field):
        unknown = sorted(set(volume) - _VOLUME_KEYS)
        if unknown:
            raise SpecError("%s: unknown keys %s (expected %s)" % (where, ", ".join(unknown), ", ".join(sorted(_VOLUME_KEYS))))
        source = dict(volume)
        source["server"] = _nfs_server(volume.get("server"), where + ".server")
        source["path"] = _nfs_path(volume.get("path"), where + ".path")
        if volume.get("port") not in (None, NFS_DEFAULT_PORT):
            source["port"] = _int(volume.get("port"), where + ".port", 1, 65535)
        source["where"] = where
        sources.append(source)
    return sources


def render_persistent_volumes(params, prefix=""):
    """Render the PersistentVolume manifests described by ``params`` (the nfs_volumes options).

    ``params`` keys: ``exports`` (nfs_server facts) or ``list`` (explicit volumes), ``name_prefix``,
    ``name_digits``, ``index_start``, ``capacities``, ``capacity``, ``access_modes``,
    ``reclaim_policy``, ``storage_class_name``, ``mount_options``, ``labels``, ``volume_set``,
    ``pin`` (``{statefulset, claim_template, namespace, ordinal_start}`` or None).
    ``prefix`` is prepended to field names in errors (the role passes ``nfs_volumes_``).
    """
    def f(name):
        return prefix + name

    exports = params.get("exports") or []
    volumes = params.get("list") or []
    if exports and volumes:
        raise SpecError("%s, %s: give the exports facts or an explicit volume list, not both" % (f("exports"), f("list")))
    if volumes:
        sources = _sources_from_list(volumes, f("list"))
    else:
        sources = _sources_from_exports(exports, f("exports"))

    name_prefix = params.get("name_prefix", "pv")
    digits = _int(params.get("name_digits", 3), f("name_digits"), 1, 10)
    index_start = _int(params.get("index_start", 1), f("index_start"), 0)
    capacities = _list(params.get("capacities"), f("capacities"))
    for index, capacity in enumerate(capacities):
        _storage(capacity, "%s[%d]" % (f("capacities"), index))
    default_capacity = _storage(params.get("capacity", "1Gi"), f("capacity"))
    access_modes = _access_modes(params.get("access_modes", ["ReadWriteOnce"]), f("access_modes"))
    reclaim_policy = _reclaim_policy(params.get("reclaim_policy", "Retain"), f("reclaim_policy"))
    storage_class = params.get("storage_class_name", "")
    if storage_class is None:
        storage_class = ""
    if storage_class:
        _name(validate_dns1123_subdomain, storage_class, f("storage_class_name"))
    mount_options = _mount_options(params.get("mount_options", []), f("mount_options"))
    labels = validate_labels(params.get("labels"), f("labels"))
    volume_set = params.get("volume_set", "default")
    validate_label_value(volume_set, f("volume_set"))
    if not volume_set:
        raise SpecError("%s: must not be empty" % f("volume_set"))
    pin = _pin(params.get("pin"), f("pin"))

    rendered = []
    seen_names = {}
    seen_exports = {}
    for position, source in enumerate(sources):
        where = source["where"]
        if source.get("name"):
            name = source["name"]
            name_field = where + ".name"
        else:
            name = "%s%0*d" % (name_prefix, digits, index_start + position)
            name_field = f("name_prefix")
        _name(validate_dns1123_subdomain, name, name_field)
        if name in seen_names:
            raise SpecError("%s: PersistentVolume name %r is used twice (also by %s)" % (name_field, name, seen_names[name]))
        seen_names[name] = where
        key = (source["server"], source["path"])
        if key in seen_exports:
            raise SpecError(
                "%s: export %s:%s is already used by %s; two PersistentVolumes on one export would "
                "let two pods write the same directory" % (where, key[0], key[1], seen_exports[key])
            )
        seen_exports[key] = where

        if "capacity" in source and source["capacity"] is not None:
            capacity = _storage(source["capacity"], where + ".capacity")
        elif position < len(capacities):
            capacity = str(capacities[position])
        else:
            capacity = default_capacity
        modes = _access_modes(source["access_modes"], where + ".access_modes") if source.get("access_modes") else access_modes
        policy = _reclaim_policy(source["reclaim_policy"], where + ".reclaim_policy") if source.get("reclaim_policy") else reclaim_policy
        klass = source.get("storage_class_name", storage_class)
        if klass is None:
            klass = ""
        if klass:
            _name(validate_dns1123_subdomain, klass, where + ".storage_class_name")
        options = list(mount_options)
        if source.get("mount_options") is not None:
            options = _mount_options(source["mount_options"], where + ".mount_options")
        if source.get("port") and not any(o.startswith("port=") for o in options):
            options.append("port=%d" % source["port"])

        pv_labels = dict(MANAGED_BY)
        pv_labels[VOLUME_SET_LABEL] = volume_set
        export_name = source.get("export")
        if isinstance(export_name, str) and export_name and _LABEL_NAME_RE.match(export_name) and len(export_name) <= 63:
            pv_labels[EXPORT_LABEL] = export_name
        pv_labels.update(labels)
        pv_labels.update(validate_labels(source.get("labels"), where + ".labels"))

        spec = {
            "capacity": {"storage": capacity},
            "accessModes": list(modes),
            "persistentVolumeReclaimPolicy": policy,
            "storageClassName": klass,
            "nfs": {"server": source["server"], "path": source["path"]},
        }
        if options:
            spec["mountOptions"] = options
        claim_ref = None
        if source.get("claim_ref"):
            claim_ref = _claim_ref(source["claim_ref"], where + ".claim_ref")
        elif pin:
            ordinal = pin["ordinal_start"] + position
            claim_ref = {
                "namespace": pin["namespace"],
                "name": pvc_name(pin["claim_template"], pin["statefulset"], ordinal),
            }
            pv_labels[ORDINAL_LABEL] = str(ordinal)
        if claim_ref:
            spec["claimRef"] = claim_ref
        rendered.append({
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": name, "labels": pv_labels},
            "spec": spec,
        })
    return rendered


def _reclaim_policy(value, field):
    if value == "Recycle":
        raise SpecError(
            "%s: Recycle scrubs the export (rm -rf) when a claim goes away and is deprecated; "
            "use Retain (the default) and the reclaim action" % field
        )
    return _choice(value, RECLAIM_POLICIES, field)


def _claim_ref(value, field):
    value = _mapping(value, field)
    unknown = sorted(set(value) - {"name", "namespace"})
    if unknown:
        raise SpecError("%s: unknown keys %s (expected name, namespace)" % (field, ", ".join(unknown)))
    return {
        "namespace": _name(validate_dns1123_label, value.get("namespace"), field + ".namespace"),
        "name": _name(validate_dns1123_subdomain, value.get("name"), field + ".name"),
    }


def _pin(value, field):
    if not value:
        return None
    value = _mapping(value, field)
    unknown = sorted(set(value) - {"statefulset", "claim_template", "namespace", "ordinal_start"})
    if unknown:
        raise SpecError(
            "%s: unknown keys %s (expected statefulset, claim_template, namespace, ordinal_start)"
            % (field, ", ".join(unknown))
        )
    return {
        "statefulset": _name(validate_dns1123_label, value.get("statefulset"), field + ".statefulset"),
        "claim_template": _name(validate_dns1123_label, value.get("claim_template"), field + ".claim_template"),
        "namespace": _name(validate_dns1123_label, value.get("namespace", "default"), field + ".namespace"),
        "ordinal_start": _int(value.get("ordinal_start", 0), field + ".ordinal_start", 0),
    }


def reclaim_patches(live_volumes, mode="keep_claim_name", names=None, volume_set=None):
    """Merge patches for Released PVs so they can be bound again. Data is never touched.

    ``keep_claim_name`` drops only ``claimRef.uid``/``resourceVersion``: the PV becomes Available
    for a new claim with the *same* namespace/name (ordinal N gets its own data back).
    ``release`` drops the whole claimRef: any matching claim may take the PV.
    Only PVs in phase Released (and in ``names``/``volume_set`` when given) are patched.
    """
    _choice(mode, ("keep_claim_name", "release"), "reclaim_mode")
    wanted = set(names or [])
    patches = []
    for pv in live_volumes or []:
        meta = pv.get("metadata") or {}
        if (pv.get("status") or {}).get("phase") != "Released":
            continue
        if wanted and meta.get("name") not in wanted:
            continue
        if volume_set and (meta.get("labels") or {}).get(VOLUME_SET_LABEL) != volume_set:
            continue
        claim_ref = (pv.get("spec") or {}).get("claimRef")
        if mode == "release" or not claim_ref:
            new_ref = None
        else:
            new_ref = {"uid": None, "resourceVersion": None}
        patches.append({
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": meta.get("name")},
            "spec": {"claimRef": new_ref},
        })
    return patches


# ---------------------------------------------------------------------------
# StatefulSet and headless Service
# ---------------------------------------------------------------------------
_IANA_SVC_NAME_RE = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


def _port_name(value, field):
    if not isinstance(value, str) or len(value) > 15 or not _IANA_SVC_NAME_RE.match(value) \
            or "--" in value or not re.search(r"[a-z]", value):
        raise SpecError(
            "%s: port name %r must be an IANA service name (at most 15 characters of a-z, 0-9 "
            "and '-', with a letter, no '--')" % (field, value)
        )
    return value


def _container_ports(ports, field):
    result = []
    names = set()
    for where, port in _entries(ports, field):
        port = copy.deepcopy(port)
        port["containerPort"] = _int(port.get("containerPort"), where + ".containerPort", 1, 65535)
        if "name" in port:
            _port_name(port["name"], where + ".name")
            if port["name"] in names:
                raise SpecError("%s.name: %r is used twice" % (where, port["name"]))
            names.add(port["name"])
        if "protocol" in port:
            _choice(port["protocol"], PROTOCOLS, where + ".protocol")
        result.append(port)
    return result


def _service_ports(ports, field):
    ports = _list(ports, field)
    if not ports:
        raise SpecError("%s: a headless Service for a StatefulSet needs at least one port" % field)
    result = []
    for index, port in enumerate(ports):
        where = "%s[%d]" % (field, index)
        port = copy.deepcopy(_mapping(port, where))
        port["port"] = _int(port.get("port"), where + ".port", 1, 65535)
        if "name" in port:
            _port_name(port["name"], where + ".name")
        elif len(ports) > 1:
            raise SpecError("%s.name: every port needs a name when the Service has more than one" % where)
        if "protocol" in port:
            _choice(port["protocol"], PROTOCOLS, where + ".protocol")
        if "targetPort" in port and not isinstance(port["targetPort"], str):
            port["targetPort"] = _int(port["targetPort"], where + ".targetPort", 1, 65535)
        result.append(port)
    return result


def _env(env, field):
    result = []
    for where, item in _entries(env, field):
        if not isinstance(item.get("name"), str) or not item["name"]:
            raise SpecError("%s.name: every environment variable needs a name" % where)
        if "value" in item and not isinstance(item["value"], str):
            raise SpecError("%s.value: must be a string (quote it), got %r" % (where, item["value"]))
        result.append(copy.deepcopy(item))
    return result


def _vcts(templates, field):
    result = []
    names = set()
    for where, tpl in _entries(templates, field):
        allowed = {"name", "mount_path", "storage", "access_modes", "storage_class_name",
                   "labels", "annotations", "volume_mode", "selector", "sub_path", "read_only"}
        unknown = sorted(set(tpl) - allowed)
        if unknown:
            raise SpecError("%s: unknown keys %s (expected %s)" % (where, ", ".join(unknown), ", ".join(sorted(allowed))))
        name = _name(validate_dns1123_label, tpl.get("name"), where + ".name")
        if name in names:
            raise SpecError("%s.name: %r is used twice" % (where, name))
        names.add(name)
        mount_path = tpl.get("mount_path")
        if mount_path is not None:
            _string(mount_path, where + ".mount_path")
            if not mount_path.startswith("/"):
                raise SpecError("%s.mount_path: %r must be an absolute path" % (where, mount_path))
        spec = {
            "accessModes": _access_modes(tpl.get("access_modes", ["ReadWriteOnce"]), where + ".access_modes"),
            "resources": {"requests": {"storage": _storage(tpl.get("storage", "1Gi"), where + ".storage")}},
        }
        klass = tpl.get("storage_class_name", "")
        if klass is not None:
            if klass:
                _name(validate_dns1123_subdomain, klass, where + ".storage_class_name")
            spec["storageClassName"] = klass
        if tpl.get("volume_mode") is not None:
            spec["volumeMode"] = _choice(tpl["volume_mode"], VOLUME_MODES, where + ".volume_mode")
        if tpl.get("selector"):
            spec["selector"] = {"matchLabels": validate_labels(tpl["selector"], where + ".selector")}
        metadata = {"name": name}
        if tpl.get("labels"):
            metadata["labels"] = validate_labels(tpl["labels"], where + ".labels")
        if tpl.get("annotations"):
            metadata["annotations"] = validate_annotations(tpl["annotations"], where + ".annotations")
        mount = None
        if mount_path:
            mount = {"name": name, "mountPath": mount_path}
            if tpl.get("sub_path"):
                mount["subPath"] = _string(tpl["sub_path"], where + ".sub_path")
            if tpl.get("read_only"):
                mount["readOnly"] = True
        result.append(({"metadata": metadata, "spec": spec}, mount))
    return result


def render_statefulset(params, prefix=""):
    """Validate the statefulset options and render ``{"service": ..., "statefulset": ...}``.

    Refuses (``SpecError`` naming ``prefix + option``): names that are not DNS-1123, a selector
    that does not match the pod template labels, replicas < 0, a Service that is not headless,
    unknown update strategies or policies, a partition with OnDelete, bad quantities, ports,
    labels and volume claim templates, and volume mounts that name no volume.
    """
    def f(name):
        return prefix + name

    name = _name(validate_dns1123_label, params.get("name"), f("name"))
    if len(name) > STATEFULSET_NAME_MAX:
        raise SpecError(
            "%s: %r is %d characters long; its pods get the label controller-revision-hash="
            "<name>-<hash of 10 characters>, which must fit in 63, so a StatefulSet name has at most %d"
            % (f("name"), name, len(name), STATEFULSET_NAME_MAX)
        )
    namespace = _name(validate_dns1123_label, params.get("namespace", "default"), f("namespace"))
    service_name = _name(validate_dns1123_label, params.get("service_name"), f("service_name"))
    replicas = _int(params.get("replicas", 1), f("replicas"), 0)

    cluster_ip = params.get("service_cluster_ip", "None")
    if cluster_ip != "None":
        raise SpecError(
            "%s: the Service that governs a StatefulSet must be headless (clusterIP: None) so each pod "
            "gets its own DNS name; got %r" % (f("service_cluster_ip"), cluster_ip)
        )
    service_type = params.get("service_type", "ClusterIP")
    if service_type != "ClusterIP":
        raise SpecError("%s: a headless Service has type ClusterIP, got %r" % (f("service_type"), service_type))

    selector_labels = validate_labels(params.get("selector_labels"), f("selector_labels"))
    selector_expressions = validate_match_expressions(params.get("selector_expressions"), f("selector_expressions"))
    if not selector_labels and not selector_expressions:
        raise SpecError("%s: a StatefulSet needs a non-empty selector" % f("selector_labels"))
    pod_labels = validate_labels(params.get("pod_labels"), f("pod_labels"))
    selector = {}
    if selector_labels:
        selector["matchLabels"] = selector_labels
    if selector_expressions:
        selector["matchExpressions"] = selector_expressions
    if not selector_matches(selector, pod_labels):
        missing = ["%s=%s" % (k, v) for k, v in sorted(selector_labels.items()) if pod_labels.get(k) != v]
        detail = ("labels %s missing from the pod template" % ", ".join(missing)) if missing else "matchExpressions do not select the pod labels"
        raise SpecError(
            "%s: the selector %s does not match the pod template labels %s (%s); the API rejects "
            "such a StatefulSet" % (f("selector_labels"), selector, pod_labels, detail)
        )
    pod_annotations = validate_annotations(params.get("pod_annotations"), f("pod_annotations"))

    update_strategy = _choice(params.get("update_strategy", "RollingUpdate"), UPDATE_STRATEGIES, f("update_strategy"))
    partition = _int(params.get("update_partition"), f("update_partition"), 0, allow_none=True)
    if update_strategy == "OnDelete" and partition:
        raise SpecError("%s: a partition only applies to RollingUpdate, not OnDelete" % f("update_partition"))
    policy = _choice(params.get("pod_management_policy", "OrderedReady"), POD_MANAGEMENT_POLICIES, f("pod_management_policy"))
    history = _int(params.get("revision_history_limit", 10), f("revision_history_limit"), 0)
    min_ready = _int(params.get("min_ready_seconds", 0), f("min_ready_seconds"), 0)
    ordinals_start = _int(params.get("ordinals_start", 0), f("ordinals_start"), 0)
    when_deleted = _choice(params.get("pvc_retention_when_deleted", "Retain"), RETENTION_POLICIES, f("pvc_retention_when_deleted"))
    when_scaled = _choice(params.get("pvc_retention_when_scaled", "Retain"), RETENTION_POLICIES, f("pvc_retention_when_scaled"))

    container_name = _name(validate_dns1123_label, params.get("container_name", name), f("container_name"))
    image = _string(params.get("image"), f("image"))
    if re.search(r"\s", image):
        raise SpecError("%s: %r must not contain whitespace" % (f("image"), image))
    container = {"name": container_name, "image": image}
    if params.get("image_pull_policy"):
        container["imagePullPolicy"] = _choice(params["image_pull_policy"], ("Always", "IfNotPresent", "Never"), f("image_pull_policy"))
    for option, key in (("command", "command"), ("args", "args")):
        values = _list(params.get(option), f(option))
        for index, value in enumerate(values):
            if not isinstance(value, str):
                raise SpecError("%s[%d]: must be a string (quote it), got %r" % (f(option), index, value))
        if values:
            container[key] = values
    ports = _container_ports(params.get("container_ports"), f("container_ports"))
    if ports:
        container["ports"] = ports
    env = _env(params.get("env"), f("env"))
    if env:
        container["env"] = env
    for option, key in (("env_from", "envFrom"),):
        values = _list(params.get(option), f(option))
        if values:
            container[key] = copy.deepcopy(values)
    for option, key in (("resources", "resources"), ("liveness_probe", "livenessProbe"),
                        ("readiness_probe", "readinessProbe"), ("startup_probe", "startupProbe"),
                        ("container_security_context", "securityContext")):
        value = _mapping(params.get(option), f(option))
        if value:
            container[key] = copy.deepcopy(value)
    for kind in ("limits", "requests"):
        for key, value in ((container.get("resources") or {}).get(kind) or {}).items():
            _quantity(value, "%s.%s.%s" % (f("resources"), kind, key))

    vcts = _vcts(params.get("volume_claim_templates"), f("volume_claim_templates"))
    extra_mounts = _list(params.get("volume_mounts"), f("volume_mounts"))
    mounts = [(m, "%s[%d].mount_path" % (f("volume_claim_templates"), i)) for i, (_t, m) in enumerate(vcts) if m]
    mounts += [(copy.deepcopy(m), "%s[%d]" % (f("volume_mounts"), i)) for i, m in enumerate(extra_mounts)]
    pod_spec_extra = copy.deepcopy(_mapping(params.get("pod_spec_extra"), f("pod_spec_extra")))
    forbidden = sorted(set(pod_spec_extra) & {"containers", "securityContext"})
    if forbidden:
        raise SpecError(
            "%s: %s have their own options (%s, %s)" % (
                f("pod_spec_extra"), ", ".join(forbidden), f("extra_containers"), f("pod_security_context"))
        )
    volume_names = set(t["metadata"]["name"] for t, _m in vcts)
    for where, volume in _entries(pod_spec_extra.get("volumes"), f("pod_spec_extra") + ".volumes"):
        volume_name = volume.get("name")
        _name(validate_dns1123_label, volume_name, where + ".name")
        if volume_name in volume_names:
            raise SpecError("%s.name: %r is also a volume claim template" % (where, volume_name))
        volume_names.add(volume_name)
    mount_paths = {}
    for mount, where in mounts:
        mount = _mapping(mount, where)
        if mount.get("name") not in volume_names:
            raise SpecError(
                "%s: mounts volume %r, which is neither a volume claim template nor in %s.volumes"
                % (where, mount.get("name"), f("pod_spec_extra"))
            )
        path = mount.get("mountPath")
        if not isinstance(path, str) or not path.startswith("/"):
            raise SpecError("%s: mountPath must be an absolute path, got %r" % (where, path))
        if path in mount_paths:
            raise SpecError("%s: mountPath %r is used twice (also by volume %r)" % (where, path, mount_paths[path]))
        mount_paths[path] = mount.get("name")
    if mounts:
        container["volumeMounts"] = [m for m, _w in mounts]
    container.update(copy.deepcopy(_mapping(params.get("container_extra"), f("container_extra"))))

    extra_containers = _list(params.get("extra_containers"), f("extra_containers"))
    container_names = {container_name}
    for where, extra in _entries(extra_containers, f("extra_containers")):
        extra_name = _name(validate_dns1123_label, extra.get("name"), where + ".name")
        if extra_name in container_names:
            raise SpecError("%s.name: container name %r is used twice" % (where, extra_name))
        container_names.add(extra_name)
        _string(extra.get("image"), where + ".image")

    pod_spec = {"containers": [container] + copy.deepcopy(extra_containers)}
    pod_security = _mapping(params.get("pod_security_context"), f("pod_security_context"))
    if pod_security:
        if "fsGroup" in pod_security:
            _int(pod_security["fsGroup"], f("pod_security_context") + ".fsGroup", 0)
        pod_spec["securityContext"] = copy.deepcopy(pod_security)
    pod_spec.update(pod_spec_extra)

    template_metadata = {"labels": pod_labels}
    if pod_annotations:
        template_metadata["annotations"] = pod_annotations

    strategy = {"type": update_strategy}
    if update_strategy == "RollingUpdate":
        strategy["rollingUpdate"] = {"partition": partition or 0}

    common_labels = validate_labels(params.get("labels"), f("labels"))
    spec = {
        "serviceName": service_name,
        "replicas": replicas,
        "selector": selector,
        "template": {"metadata": template_metadata, "spec": pod_spec},
        "revisionHistoryLimit": history,
        "updateStrategy": strategy,
        "podManagementPolicy": policy,
        "minReadySeconds": min_ready,
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": when_deleted, "whenScaled": when_scaled},
        "volumeClaimTemplates": [t for t, _m in vcts],
    }
    if ordinals_start:
        spec["ordinals"] = {"start": ordinals_start}
    statefulset = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }
    if common_labels:
        statefulset["metadata"]["labels"] = dict(common_labels)

    service_labels = dict(common_labels)
    service_labels.update(validate_labels(params.get("service_labels"), f("service_labels")))
    service_spec = {
        "clusterIP": "None",
        "selector": dict(selector_labels) if selector_labels else dict(pod_labels),
        "ports": _service_ports(params.get("service_ports", [{"port": 80}]), f("service_ports")),
    }
    if params.get("service_publish_not_ready_addresses"):
        service_spec["publishNotReadyAddresses"] = True
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": service_name, "namespace": namespace},
        "spec": service_spec,
    }
    if service_labels:
        service["metadata"]["labels"] = service_labels
    annotations = validate_annotations(params.get("service_annotations"), f("service_annotations"))
    if annotations:
        service["metadata"]["annotations"] = annotations
    return {"service": service, "statefulset": statefulset}


def claim_names(statefulset):
    """Every claim name the StatefulSet's current replicas use, in ordinal order."""
    spec = statefulset["spec"]
    start = (spec.get("ordinals") or {}).get("start", 0) or 0
    names = []
    for ordinal in range(start, start + int(spec.get("replicas", 1))):
        for tpl in spec.get("volumeClaimTemplates") or []:
            names.append((ordinal, tpl, pvc_name(tpl["metadata"]["name"], statefulset["metadata"]["name"], ordinal)))
    return names


def claim_pattern(statefulset):
    """A regular expression matching every claim name the StatefulSet's templates produce, any ordinal."""
    templates = [re.escape(t["metadata"]["name"]) for t in statefulset["spec"].get("volumeClaimTemplates") or []]
    if not templates:
        return None
    return "^(%s)-%s-(0|[1-9][0-9]*)$" % ("|".join(templates), re.escape(statefulset["metadata"]["name"]))


# ---------------------------------------------------------------------------
# desired vs live
# ---------------------------------------------------------------------------
def _norm_resources(resources):
    out = {}
    for kind in ("requests", "limits"):
        values = (resources or {}).get(kind) or {}
        if values:
            out[kind] = dict((k, _quantity(v, kind + "." + k)) for k, v in values.items())
    return out


def _norm_vct(tpl):
    meta = tpl.get("metadata") or {}
    spec = tpl.get("spec") or {}
    return {
        "name": meta.get("name"),
        "labels": meta.get("labels") or {},
        "annotations": meta.get("annotations") or {},
        "accessModes": list(spec.get("accessModes") or []),
        "resources": _norm_resources(spec.get("resources")),
        "storageClassName": spec.get("storageClassName"),
        "volumeMode": spec.get("volumeMode") or "Filesystem",
        "selector": spec.get("selector") or None,
        "volumeName": spec.get("volumeName") or None,
        "dataSource": spec.get("dataSource") or None,
        "dataSourceRef": spec.get("dataSourceRef") or None,
    }


def _norm_selector(selector):
    selector = selector or {}
    return {
        "matchLabels": selector.get("matchLabels") or {},
        "matchExpressions": selector.get("matchExpressions") or [],
    }


def _plain(value):
    """``value`` with quantities (``Decimal``) as strings, fit for a task result."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return dict((k, _plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _describe(value):
    return repr(_plain(value))


def immutable_changes(desired_statefulset, live_statefulset, desired_service=None, live_service=None):
    """The changes the API would refuse: a list of ``{"field", "live", "desired", "message"}``.

    StatefulSet: selector, serviceName, volumeClaimTemplates (compared after normalising the
    API's defaults and quantities, e.g. ``1024Mi`` == ``1Gi``), podManagementPolicy.
    Service: a live Service that is not headless (clusterIP cannot be changed in place).
    """
    changes = []

    def add(field, live, desired, detail=""):
        changes.append({
            "field": field,
            "live": _plain(live),
            "desired": _plain(desired),
            "message": "%s cannot be changed on an existing object (live %s, desired %s)%s"
            % (field, _describe(live), _describe(desired), detail),
        })

    if live_statefulset:
        want = desired_statefulset.get("spec") or {}
        have = live_statefulset.get("spec") or {}
        if _norm_selector(want.get("selector")) != _norm_selector(have.get("selector")):
            add("statefulset.spec.selector", have.get("selector"), want.get("selector"))
        if want.get("serviceName") != have.get("serviceName"):
            add("statefulset.spec.serviceName", have.get("serviceName"), want.get("serviceName"))
        if (want.get("podManagementPolicy") or "OrderedReady") != (have.get("podManagementPolicy") or "OrderedReady"):
            add("statefulset.spec.podManagementPolicy", have.get("podManagementPolicy"), want.get("podManagementPolicy"))
        want_vcts = [_norm_vct(t) for t in want.get("volumeClaimTemplates") or []]
        have_vcts = [_norm_vct(t) for t in have.get("volumeClaimTemplates") or []]
        if [v["name"] for v in want_vcts] != [v["name"] for v in have_vcts]:
            add("statefulset.spec.volumeClaimTemplates",
                [v["name"] for v in have_vcts], [v["name"] for v in want_vcts], " (template names)")
        else:
            for want_vct, have_vct in zip(want_vcts, have_vcts):
                for key in sorted(want_vct):
                    if want_vct[key] != have_vct[key]:
                        add("statefulset.spec.volumeClaimTemplates[%s].%s" % (want_vct["name"], key),
                            have_vct[key], want_vct[key])
    if live_service and desired_service:
        live_ip = (live_service.get("spec") or {}).get("clusterIP")
        if live_ip != "None":
            add("service.spec.clusterIP", live_ip, "None",
                " - the existing Service %r is not headless" % (live_service.get("metadata") or {}).get("name"))
    return changes


# ---------------------------------------------------------------------------
# storage pre-flight: which claims can no PV satisfy?
# ---------------------------------------------------------------------------
def _pv_capacity(pv):
    try:
        return _quantity(((pv.get("spec") or {}).get("capacity") or {}).get("storage"), "capacity")
    except SpecError:
        return Decimal(-1)


def _claim_ref_key(pv):
    ref = (pv.get("spec") or {}).get("claimRef") or {}
    if not ref:
        return None
    return (ref.get("namespace"), ref.get("name"), ref.get("uid"))


def _pv_state(pv):
    phase = (pv.get("status") or {}).get("phase") or "Available"
    ref = _claim_ref_key(pv)
    if ref and phase == "Released":
        return "Released (stale claimRef %s/%s: run the reclaim action)" % (ref[0], ref[1])
    if ref:
        return "%s (claimRef %s/%s)" % (phase, ref[0], ref[1])
    return phase


NO_PROVISIONER = "kubernetes.io/no-provisioner"
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
REJECTED_SHOWN = 8


def static_classes(storage_classes):
    """``(provisioning, default)``: the classes a provisioner serves, and the default class name."""
    provisioning, default = set(), None
    for klass in storage_classes or []:
        meta = klass.get("metadata") or {}
        if klass.get("provisioner") and klass.get("provisioner") != NO_PROVISIONER:
            provisioning.add(meta.get("name"))
        if (meta.get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true":
            default = meta.get("name")
    return provisioning, default


def unbindable_claims(statefulset, persistent_volumes, claims, storage_classes=None):
    """Claims of ``statefulset`` (at its desired replicas) that no existing PV can satisfy.

    Only statically bound claims are checked: class ``""``, or a class no provisioner serves
    (no StorageClass of that name in ``storage_classes``, or ``kubernetes.io/no-provisioner``);
    an unset class means the default StorageClass when there is one. Otherwise a provisioner may
    create the volume. The PV binder's rules are followed: a PV pre-bound (claimRef) to the claim
    wins; otherwise an Available PV without claimRef, same class and volume mode, access modes
    covering the request, capacity >= request, matching the template's selector, smallest first.
    Bound claims are fine. Returns a list of ``{"claim", "ordinal", "reason"}``, in ordinal order.
    """
    namespace = statefulset["metadata"].get("namespace", "default")
    provisioning, default_class = static_classes(storage_classes)
    live_claims = dict(((c.get("metadata") or {}).get("name"), c) for c in claims or [])
    pvs = dict(((pv.get("metadata") or {}).get("name"), pv) for pv in persistent_volumes or [])
    taken = {}
    problems = []
    for ordinal, tpl, name in claim_names(statefulset):
        tpl_spec = tpl.get("spec") or {}
        live = live_claims.get(name)
        if live is not None:
            if (live.get("status") or {}).get("phase") == "Bound":
                taken[(live.get("spec") or {}).get("volumeName")] = name
                continue
            spec = live.get("spec") or {}
            uid = (live.get("metadata") or {}).get("uid")
        else:
            spec = tpl_spec
            uid = None
        klass = spec.get("storageClassName")
        if klass is None:
            klass = default_class or ""
        if klass in provisioning:
            continue
        try:
            request = _quantity(((spec.get("resources") or {}).get("requests") or {}).get("storage"), name)
        except SpecError:
            continue
        modes = set(spec.get("accessModes") or [])
        volume_mode = spec.get("volumeMode") or "Filesystem"
        selector = spec.get("selector") or {}
        if spec.get("volumeName"):
            pv = pvs.get(spec["volumeName"])
            if pv is None:
                problems.append({"claim": name, "ordinal": ordinal,
                                 "reason": "claim %s/%s names volume %s, which does not exist" % (namespace, name, spec["volumeName"])})
            else:
                taken[spec["volumeName"]] = name
            continue
        best = None
        rejected = []
        other_classes = 0
        for pv_name in sorted(pvs):
            pv = pvs[pv_name]
            pv_spec = pv.get("spec") or {}
            if (pv_spec.get("storageClassName") or "") != klass:
                other_classes += 1
                continue
            ref = _claim_ref_key(pv)
            pre_bound = ref is not None and ref[0] == namespace and ref[1] == name and (not ref[2] or ref[2] == uid)
            phase = (pv.get("status") or {}).get("phase") or "Available"
            if (pv.get("metadata") or {}).get("deletionTimestamp"):
                rejected.append("%s being deleted" % pv_name)
                continue
            if ref is not None and not pre_bound:
                rejected.append("%s %s" % (pv_name, _pv_state(pv)))
                continue
            if pv_name in taken:
                rejected.append("%s goes to %s" % (pv_name, taken[pv_name]))
                continue
            if phase not in ("Available", "Pending") and not pre_bound:
                rejected.append("%s %s" % (pv_name, phase))
                continue
            if (pv_spec.get("volumeMode") or "Filesystem") != volume_mode:
                rejected.append("%s volumeMode %s" % (pv_name, pv_spec.get("volumeMode")))
                continue
            if not modes.issubset(set(pv_spec.get("accessModes") or [])):
                rejected.append("%s accessModes %s" % (pv_name, ",".join(pv_spec.get("accessModes") or [])))
                continue
            if _pv_capacity(pv) < request:
                rejected.append("%s too small (%s)" % (pv_name, ((pv_spec.get("capacity") or {}).get("storage"))))
                continue
            if selector and not selector_matches(selector, (pv.get("metadata") or {}).get("labels") or {}):
                rejected.append("%s labels do not match the claim selector" % pv_name)
                continue
            candidate = (0 if pre_bound else 1, _pv_capacity(pv), pv_name)
            if best is None or candidate < best:
                best = candidate
        if best is None:
            storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
            if rejected:
                shown = rejected[:REJECTED_SHOWN]
                if len(rejected) > REJECTED_SHOWN:
                    shown.append("%d more" % (len(rejected) - REJECTED_SHOWN))
                detail = " [" + "; ".join(shown) + "]"
            else:
                detail = " (there are no PersistentVolumes of class %r)" % klass
            problems.append({
                "claim": name,
                "ordinal": ordinal,
                "reason": "claim %s/%s (storageClassName %r, %s, %s) would stay Pending: no Available "
                "PersistentVolume fits%s%s" % (
                    namespace, name, klass, ",".join(sorted(modes)), storage, detail,
                    (" (%d of other classes not considered)" % other_classes) if other_classes and rejected else ""),
            })
        else:
            taken[best[2]] = name
    return problems


# ---------------------------------------------------------------------------
# The three plan actions (statefulset_manifest, statefulset_preflight, nfs_pv_manifest):
# argument specs and results. The action plugins validate their arguments against these specs
# and call these functions on the controller; plugins/modules/ hold their documentation.
# ---------------------------------------------------------------------------
class PlanFailure(SpecError):
    """A refusal that still carries a result (for example the immutable changes found)."""

    def __init__(self, message, result):
        super(PlanFailure, self).__init__(message)
        self.result = result


MANIFEST_ARGSPEC = dict(
    name=dict(type="str", required=True),
    namespace=dict(type="str", default="default"),
    labels=dict(type="dict", default={}),
    replicas=dict(type="int", default=1),
    service_name=dict(type="str", required=True),
    service_cluster_ip=dict(type="str", default="None"),
    service_type=dict(type="str", default="ClusterIP"),
    service_ports=dict(type="list", elements="dict", default=[{"port": 80}]),
    service_labels=dict(type="dict", default={}),
    service_annotations=dict(type="dict", default={}),
    service_publish_not_ready_addresses=dict(type="bool", default=False),
    selector_labels=dict(type="dict", required=True),
    selector_expressions=dict(type="list", elements="dict", default=[]),
    pod_labels=dict(type="dict", required=True),
    pod_annotations=dict(type="dict", default={}),
    update_strategy=dict(type="str", choices=["RollingUpdate", "OnDelete"], default="RollingUpdate"),
    update_partition=dict(type="int", default=0),
    pod_management_policy=dict(type="str", choices=["OrderedReady", "Parallel"], default="OrderedReady"),
    revision_history_limit=dict(type="int", default=10),
    min_ready_seconds=dict(type="int", default=0),
    ordinals_start=dict(type="int", default=0),
    pvc_retention_when_deleted=dict(type="str", choices=["Retain", "Delete"], default="Retain"),
    pvc_retention_when_scaled=dict(type="str", choices=["Retain", "Delete"], default="Retain"),
    container_name=dict(type="str"),
    image=dict(type="str", required=True),
    image_pull_policy=dict(type="str"),
    command=dict(type="list", elements="str", default=[]),
    args=dict(type="list", elements="str", default=[]),
    container_ports=dict(type="list", elements="dict", default=[]),
    env=dict(type="list", elements="dict", default=[]),
    env_from=dict(type="list", elements="dict", default=[]),
    resources=dict(type="dict", default={}),
    liveness_probe=dict(type="dict", default={}),
    readiness_probe=dict(type="dict", default={}),
    startup_probe=dict(type="dict", default={}),
    container_security_context=dict(type="dict", default={}),
    container_extra=dict(type="dict", default={}),
    extra_containers=dict(type="list", elements="dict", default=[]),
    pod_security_context=dict(type="dict", default={}),
    pod_spec_extra=dict(type="dict", default={}),
    volume_mounts=dict(type="list", elements="dict", default=[]),
    volume_claim_templates=dict(type="list", elements="dict", default=[]),
    field_prefix=dict(type="str", default=""),
)


PREFLIGHT_ARGSPEC = dict(
    statefulset=dict(type="dict", required=True),
    service=dict(type="dict", default={}),
    live_statefulset=dict(type="dict", default={}),
    live_service=dict(type="dict", default={}),
    persistent_volumes=dict(type="list", elements="dict", default=[]),
    claims=dict(type="list", elements="dict", default=[]),
    storage_classes=dict(type="list", elements="dict", default=[]),
    storage_check=dict(type="str", choices=["fail", "warn", "skip"], default="fail"),
    recreate=dict(type="bool", default=False),
    field_prefix=dict(type="str", default=""),
)

PV_ARGSPEC = dict(
    exports=dict(type="list", elements="dict", default=[]),
    list=dict(type="list", elements="dict", default=[]),
    name_prefix=dict(type="str", default="pv"),
    name_digits=dict(type="int", default=3),
    index_start=dict(type="int", default=1),
    capacities=dict(type="list", elements="str", default=[]),
    capacity=dict(type="str", default="1Gi"),
    access_modes=dict(type="list", elements="str", default=["ReadWriteOnce"]),
    reclaim_policy=dict(type="str", default="Retain"),
    storage_class_name=dict(type="str", default=""),
    mount_options=dict(type="list", elements="str", default=[]),
    labels=dict(type="dict", default={}),
    volume_set=dict(type="str", default="default"),
    pin=dict(type="dict"),
    live_volumes=dict(type="list", elements="dict", default=[]),
    reclaim_mode=dict(type="str", choices=["keep_claim_name", "release"], default="keep_claim_name"),
    reclaim_names=dict(type="list", elements="str", default=[]),
    field_prefix=dict(type="str", default=""),
)


def manifest_plan(params):
    """statefulset_manifest: validated options in, ``{service, statefulset, claims, ...}`` out."""
    params = dict(params)
    prefix = params.pop("field_prefix", "")
    if params.get("container_name") is None:
        params["container_name"] = params["name"]
    bundle = render_statefulset(params, prefix=prefix)
    return {
        "changed": False,
        "service": bundle["service"],
        "statefulset": bundle["statefulset"],
        "claims": [{"ordinal": ordinal, "template": tpl["metadata"]["name"], "claim": claim}
                   for ordinal, tpl, claim in claim_names(bundle["statefulset"])],
        "claim_pattern": claim_pattern(bundle["statefulset"]),
        "label_selectors": selector_terms(bundle["statefulset"]["spec"]["selector"]),
    }


def preflight_plan(params):
    """statefulset_preflight: the result, and ``PlanFailure`` for a refusal."""
    prefix = params.get("field_prefix", "")
    changes = immutable_changes(params["statefulset"], params.get("live_statefulset"),
                                params.get("service"), params.get("live_service"))
    check = params.get("storage_check", "fail")
    pending = [] if check == "skip" else unbindable_claims(
        params["statefulset"], params.get("persistent_volumes"), params.get("claims"), params.get("storage_classes"))
    result = {
        "changed": False,
        "immutable_changes": changes,
        "recreate_statefulset": any(c["field"].startswith("statefulset.") for c in changes),
        "recreate_service": any(c["field"].startswith("service.") for c in changes),
        "unbindable_claims": pending,
    }
    if changes and not params.get("recreate"):
        raise PlanFailure(
            "%s. Refusing to touch the cluster: set %srecreate=true to delete the StatefulSet with "
            "propagationPolicy=Orphan (pods and PersistentVolumeClaims stay) and create it again"
            % ("; ".join(c["message"] for c in changes), prefix), result)
    if pending and check == "fail":
        raise PlanFailure(
            "%s. Refusing to scale into claims that cannot bind: add PersistentVolumes (or reclaim "
            "Released ones), lower %sreplicas, or set %sstorage_check=warn"
            % ("; ".join(c["reason"] for c in pending), prefix, prefix), result)
    result["warnings"] = [c["reason"] for c in pending]
    return result


def pv_plan(params):
    """nfs_pv_manifest: ``{volumes, names, label_selector, reclaim}``."""
    volumes = render_persistent_volumes(params, prefix=params.get("field_prefix", ""))
    volume_set = params.get("volume_set", "default")
    return {
        "changed": False,
        "volumes": volumes,
        "names": [v["metadata"]["name"] for v in volumes],
        "label_selector": "%s=%s" % (VOLUME_SET_LABEL, volume_set),
        "reclaim": reclaim_patches(params.get("live_volumes"), params.get("reclaim_mode", "keep_claim_name"),
                                   params.get("reclaim_names"), volume_set),
    }
