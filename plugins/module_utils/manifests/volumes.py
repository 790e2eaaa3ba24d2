# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Static NFS PersistentVolumes for the nfs_volumes role (pure, no I/O).

* ``render_persistent_volumes``: the PersistentVolumes from the nfs_server role's export facts
  (or an explicit list), optionally pre-bound (claimRef) to ``<vct>-<sts>-<ordinal>``.
* ``render_volume_set``: the same, refusing a volume on an export that a live PersistentVolume of
  another name already uses (another volume set, or one made by hand; which export a volume uses is
  volume_exports.py's), unless sharing it is asked for.
* ``reclaim_patches``: JSON merge patches that make Released PVs bindable again, without ever
  touching the data behind them.
* ``bound_volumes``: the volumes of a set that are still Bound to a claim (deleting them would hang).

Every error is a ``SpecError`` whose message starts with the field.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import InvalidLabel, validate_label_value
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import (
    pvc_name,
    validate_dns1123_label,
    validate_dns1123_subdomain,
)
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import (
    SpecError,
    _access_modes,
    _checked,
    _choice,
    _entries,
    _int,
    _list,
    _mapping,
    _storage,
    _string,
    validate_labels,
)
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.volume_exports import (
    NFS_DEFAULT_PORT,
    export_key,
    export_text,
    volumes_sharing_exports,
)

RECLAIM_POLICIES = ("Retain", "Delete")
VOLUME_SET_LABEL = "stateful.nfs/volume-set"
EXPORT_LABEL = "stateful.nfs/export"
ORDINAL_LABEL = "stateful.nfs/ordinal"
MANAGED_BY = {"app.kubernetes.io/managed-by": "stateful.nfs"}


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


def _export_label(export_name):
    """The export's name as the value of ``EXPORT_LABEL``, or None when it cannot be a label value."""
    if not export_name:
        return None
    try:
        return validate_label_value(export_name, "export")
    except InvalidLabel:
        return None


def render_persistent_volumes(params, prefix=""):
    """Render the PersistentVolume manifests described by ``params`` (the nfs_volumes options).

    ``params`` keys: ``exports`` (nfs_server facts) or ``list`` (explicit volumes), ``name_prefix``,
    ``name_digits``, ``index_start``, ``capacities``, ``capacity``, ``access_modes``,
    ``reclaim_policy``, ``storage_class_name``, ``mount_options``, ``labels``, ``volume_set``,
    ``pin`` (``{statefulset, claim_template, namespace, ordinal_start}`` or None), and
    ``cluster_volumes``/``allow_shared_exports`` (see ``render_volume_set``).
    ``prefix`` is prepended to field names in errors (the role passes ``nfs_volumes_``).
    """
    return render_volume_set(params, prefix)[0]


def render_volume_set(params, prefix=""):
    """``(volumes, shared)``: the PersistentVolumes of ``params`` and the exports they share.

    A volume whose export (``export_key``) a PersistentVolume of ``params["cluster_volumes"]`` (the live
    ones) of another name already uses is refused (a ``SpecError`` naming the volume's field, both
    volumes and the export), unless ``params["allow_shared_exports"]``: then ``shared`` says so, one
    line per pair, for a warning (``refuse_shared_exports``).
    """
    placed = place_volumes(params, prefix)
    shared = refuse_shared_exports(placed, params.get("cluster_volumes"), params.get("allow_shared_exports"), prefix)
    return [pv for _where, pv in placed], shared


def place_volumes(params, prefix=""):
    """``[(field, manifest)]``: each rendered PersistentVolume with the field it comes from
    (``<prefix>exports[i]``, ``<prefix>list[i]``), for messages about it."""
    return _render(params, prefix)


def refuse_shared_exports(placed, cluster_volumes, allow_shared_exports=False, prefix=""):
    """The rule for one export under two PersistentVolumes: a volume of ``placed`` (``[(field, manifest)]``)
    whose export a live volume of ``cluster_volumes`` of another name already uses is refused (a
    ``SpecError`` naming the field, both volumes and the export, and that nothing was changed), unless
    ``allow_shared_exports``: then one warning line per pair is returned."""
    collisions = _shared_exports(placed, cluster_volumes)
    if collisions and not allow_shared_exports:
        raise SpecError(
            "%s. Two PersistentVolumes on one export let two applications write the same directory; "
            "nothing was changed. Use another export, delete the other PersistentVolume, or set "
            "%sallow_shared_exports=true to share the export on purpose (ReadWriteMany)"
            % ("; ".join(collisions), prefix)
        )
    return ["%s; shared on purpose (%sallow_shared_exports=true): both write the same directory" % (line, prefix)
            for line in collisions]


def pv_apply_plan(params):
    """nfs_pv_apply's input, checked: ``(volumes, check_live)``.

    ``params``: ``volumes`` (rendered PersistentVolumes), ``sources`` (the field of each, default
    ``volumes[i]``), ``allow_shared_exports``, ``field_prefix``, ``workers``. Refuses (``SpecError`` naming
    the field) a volume that is not a named v1 PersistentVolume, a name given twice, ``sources`` of
    another length and ``workers`` below 1. ``check_live(live_volumes)`` is ``refuse_shared_exports`` of
    these volumes against the live ones.
    """
    prefix = params.get("field_prefix") or ""
    volumes = params.get("volumes") or []
    sources = params.get("sources") or ["%svolumes[%d]" % (prefix, i) for i in range(len(volumes))]
    if len(sources) != len(volumes):
        raise SpecError("%ssources: %d entries for %d volumes; give one field per volume, or none"
                        % (prefix, len(sources), len(volumes)))
    _int(params.get("workers", 1), prefix + "workers", minimum=1)
    seen = {}
    for where, pv in zip(sources, volumes):
        if not isinstance(pv, dict) or pv.get("apiVersion") != "v1" or pv.get("kind") != "PersistentVolume":
            raise SpecError("%s: must be a PersistentVolume manifest (apiVersion v1, kind PersistentVolume); nothing "
                            "was changed" % where)
        name = _string((pv.get("metadata") or {}).get("name"), where + ".metadata.name")
        if name in seen:
            raise SpecError("%s: PersistentVolume %s is also %s; nothing was changed" % (where, name, seen[name]))
        seen[name] = where
    placed = list(zip(sources, volumes))

    def check_live(live_volumes):
        return refuse_shared_exports(placed, live_volumes, params.get("allow_shared_exports"), prefix)

    return volumes, check_live


def _render(params, prefix):
    """``[(field, manifest)]``: each PersistentVolume with the field (``<prefix>exports[i]``, ...) it comes from."""
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
        _checked(validate_dns1123_subdomain, storage_class, f("storage_class_name"))
    mount_options = _mount_options(params.get("mount_options", []), f("mount_options"))
    labels = validate_labels(params.get("labels"), f("labels"))
    volume_set = params.get("volume_set", "default")
    _checked(validate_label_value, volume_set, f("volume_set"))
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
        _checked(validate_dns1123_subdomain, name, name_field)
        if name in seen_names:
            raise SpecError("%s: PersistentVolume name %r is used twice (also by %s)" % (name_field, name, seen_names[name]))
        seen_names[name] = where

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
            _checked(validate_dns1123_subdomain, klass, where + ".storage_class_name")
        options = list(mount_options)
        if source.get("mount_options") is not None:
            options = _mount_options(source["mount_options"], where + ".mount_options")
        if source.get("port") and not any(o.startswith("port=") for o in options):
            options.append("port=%d" % source["port"])
        key = export_key({"spec": {"nfs": {"server": source["server"], "path": source["path"]}, "mountOptions": options}})
        if key in seen_exports:
            raise SpecError(
                "%s: export %s:%s is already used by %s; two PersistentVolumes on one export would "
                "let two pods write the same directory" % (where, source["server"], source["path"], seen_exports[key])
            )
        seen_exports[key] = where

        pv_labels = dict(MANAGED_BY)
        pv_labels[VOLUME_SET_LABEL] = volume_set
        export_label = _export_label(source.get("export"))
        if export_label:
            pv_labels[EXPORT_LABEL] = export_label
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
        rendered.append((where, {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": name, "labels": pv_labels},
            "spec": spec,
        }))
    return rendered


# ---------------------------------------------------------------------------
# one export, two PersistentVolumes (which export a volume uses: volume_exports.py)
# ---------------------------------------------------------------------------
def _describe_live(pv):
    """``PersistentVolume <name> (volume set <set>, Bound to <ns>/<claim>, ...)`` of a live volume."""
    meta = pv.get("metadata") or {}
    facts = []
    volume_set = (meta.get("labels") or {}).get(VOLUME_SET_LABEL)
    facts.append("volume set %s" % volume_set if volume_set else "in no volume set")
    phase = (pv.get("status") or {}).get("phase")
    ref = (pv.get("spec") or {}).get("claimRef") or {}
    if phase == "Bound" and ref:
        facts.append("Bound to %s/%s" % (ref.get("namespace"), ref.get("name")))
    elif phase:
        facts.append(phase)
    if meta.get("deletionTimestamp"):
        facts.append("being deleted")
    return "PersistentVolume %s (%s)" % (meta.get("name"), ", ".join(facts))


def _shared_exports(placed, cluster_volumes):
    """One line per volume of ``placed`` (``[(field, manifest)]``) and live volume of another name on its export."""
    lines = []
    for where, pv, live in volumes_sharing_exports(placed, cluster_volumes):
        written = export_text(live)
        lines.append("%s: PersistentVolume %s would use export %s, which %s already uses%s" % (
            where, pv["metadata"]["name"], export_text(pv), _describe_live(live),
            "" if written == export_text(pv) else " (written %s)" % written))
    return lines


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
        "namespace": _checked(validate_dns1123_label, value.get("namespace"), field + ".namespace"),
        "name": _checked(validate_dns1123_subdomain, value.get("name"), field + ".name"),
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
        "statefulset": _checked(validate_dns1123_label, value.get("statefulset"), field + ".statefulset"),
        "claim_template": _checked(validate_dns1123_label, value.get("claim_template"), field + ".claim_template"),
        "namespace": _checked(validate_dns1123_label, value.get("namespace", "default"), field + ".namespace"),
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


def bound_volumes(live_volumes, volume_set=None):
    """``<pv> is Bound to <namespace>/<claim>`` for each volume (of ``volume_set``) in phase Bound.

    Deleting such a volume hangs in Terminating (pv-protection) until its claim goes.
    """
    bound = []
    for pv in live_volumes or []:
        meta = pv.get("metadata") or {}
        if (pv.get("status") or {}).get("phase") != "Bound":
            continue
        if volume_set and (meta.get("labels") or {}).get(VOLUME_SET_LABEL) != volume_set:
            continue
        ref = (pv.get("spec") or {}).get("claimRef") or {}
        bound.append("%s is Bound to %s/%s" % (meta.get("name"), ref.get("namespace"), ref.get("name")))
    return bound
