# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pod template of a StatefulSet (pure, no I/O): the main container (image, command, ports,
env, resources, probes), the volume claim templates and the mounts they give it, extra volumes and
containers, and the pod's security context.

``render_pod_spec`` checks them in that order and returns the pod spec and the claim templates;
every error is a ``SpecError`` whose message starts with the field (the role's variable).

The pass-throughs (``pod_spec_extra``, ``container_extra``, the claim templates' ``labels``, the pod
labels) may not set what the role renders from an option of its own, nor what the StatefulSet
controller sets on every pod or claim (``owned_keys``): such a value either replaces the option's or is
overwritten on every pod, and it still changes the pod template, so the StatefulSet rolls its pods with
no word.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import (
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
    _quantity,
    _storage,
    _string,
    validate_annotations,
    validate_labels,
)

PROTOCOLS = ("TCP", "UDP", "SCTP")
VOLUME_MODES = ("Filesystem", "Block")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
_IANA_SVC_NAME_RE = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")

# Keys of ``pod_spec_extra`` that are not the pass-through's to set: why, naming the role's own option
# (``{p}`` is the prefix). The controller sets hostname and subdomain on every pod it creates
# (initIdentity in pkg/controller/statefulset/stateful_set_utils.go) whatever the template says.
POD_SPEC_OWNED = (
    ("containers", "rendered by the role from {p}extra_containers (sidecars) and the main container's own options "
                   "({p}image, {p}command, {p}container_extra, ...); set those instead"),
    ("hostname", "set by the StatefulSet controller to the pod name, <{p}name>-<ordinal> (its DNS name is "
                 "<pod>.<{p}service_name>); remove it"),
    ("securityContext", "rendered by the role from {p}pod_security_context; set that instead"),
    ("subdomain", "set by the StatefulSet controller from {p}service_name; remove it"),
)

# Keys of ``container_extra`` (merged into the main container) that the role renders from an option (named
# without the prefix; ``{p}`` is the prefix).
CONTAINER_OWNED = (
    ("args", "args"),
    ("command", "command"),
    ("env", "env"),
    ("envFrom", "env_from"),
    ("image", "image"),
    ("imagePullPolicy", "image_pull_policy"),
    ("livenessProbe", "liveness_probe"),
    ("name", "container_name"),
    ("ports", "container_ports"),
    ("readinessProbe", "readiness_probe"),
    ("resources", "resources"),
    ("securityContext", "container_security_context"),
    ("startupProbe", "startup_probe"),
    ("volumeMounts", "volume_mounts and the mount_path of {p}volume_claim_templates"),
)

# Pod labels the StatefulSet controller sets on every pod (updateIdentity, setPodRevision).
CONTROLLER_POD_LABELS = (
    ("apps.kubernetes.io/pod-index", "the pod's ordinal"),
    ("controller-revision-hash", "the pod's revision"),
    ("statefulset.kubernetes.io/pod-name", "the pod's name, <{p}name>-<ordinal>"),
)


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
        name = _checked(validate_dns1123_label, tpl.get("name"), where + ".name")
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
                _checked(validate_dns1123_subdomain, klass, where + ".storage_class_name")
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


def _container(params, prefix, name):
    """The main container, without its volume mounts: name, image, command, ports, env, resources, probes."""
    def f(option):
        return prefix + option

    container_name = _checked(validate_dns1123_label, params.get("container_name", name), f("container_name"))
    image = _string(params.get("image"), f("image"))
    if re.search(r"\s", image):
        raise SpecError("%s: %r must not contain whitespace" % (f("image"), image))
    container = {"name": container_name, "image": image}
    if params.get("image_pull_policy"):
        container["imagePullPolicy"] = _choice(params["image_pull_policy"], PULL_POLICIES, f("image_pull_policy"))
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
    return container


def owned_keys(params, prefix, claim_templates, selector_labels=None):
    """What the pass-throughs set that the role or the StatefulSet controller owns: one message per key,
    each starting with the variable (``prefix`` + option) and naming the role's own option.

    ``claim_templates`` are the rendered ones; ``selector_labels`` the selector's ``matchLabels``, which the
    controller writes over the labels of every claim it creates (getPersistentVolumeClaims). A claim label of
    the same value is harmless and accepted: a claim template cannot change on a live StatefulSet, so
    refusing it would force a re-create for nothing.
    """
    def f(option):
        return prefix + option

    problems = []
    pod_spec_extra = _mapping(params.get("pod_spec_extra"), f("pod_spec_extra"))
    for key, why in POD_SPEC_OWNED:
        if key in pod_spec_extra:
            problems.append("%s.%s: %s" % (f("pod_spec_extra"), key, why.format(p=prefix)))
    claim_names = [t["metadata"]["name"] for t in claim_templates]
    for where, volume in _entries(pod_spec_extra.get("volumes"), f("pod_spec_extra") + ".volumes"):
        if volume.get("name") in claim_names:
            problems.append(
                "%s.name: %r is a claim template of %s; the StatefulSet controller replaces that volume with "
                "the pod's claim; rename it or remove it" % (where, volume["name"], f("volume_claim_templates")))
    container_extra = _mapping(params.get("container_extra"), f("container_extra"))
    for key, option in CONTAINER_OWNED:
        if key in container_extra:
            how = "those" if " and " in option else "that"
            problems.append("%s.%s: rendered by the role from %s; set %s instead"
                            % (f("container_extra"), key, f(option.format(p=prefix)), how))
    for index, template in enumerate(claim_templates):
        for key, value in sorted((template["metadata"].get("labels") or {}).items()):
            if key in (selector_labels or {}) and value != selector_labels[key]:
                problems.append(
                    "%s[%d].labels[%s]: set on every claim by the StatefulSet controller from %s (%s=%s), so %r "
                    "would never reach a claim; remove it"
                    % (f("volume_claim_templates"), index, key, f("selector_labels"), key, selector_labels[key], value))
    pod_labels = _mapping(params.get("pod_labels"), f("pod_labels"))
    for key, what in CONTROLLER_POD_LABELS:
        if key in pod_labels:
            problems.append("%s[%s]: set on every pod by the StatefulSet controller (%s); remove it"
                            % (f("pod_labels"), key, what.format(p=prefix)))
    return problems


def render_pod_spec(params, prefix, name, selector_labels=None):
    """``(pod_spec, claim_templates)`` of the StatefulSet ``name``; ``prefix`` goes before option names in errors.

    Refuses what a pass-through sets that the role or the StatefulSet controller owns (``owned_keys``, all
    of them in one message), volume mounts that name no volume (neither a claim template nor in
    ``pod_spec_extra.volumes``), a mount path used twice, and a container name used twice.
    """
    def f(option):
        return prefix + option

    container = _container(params, prefix, name)
    container_name = container["name"]
    vcts = _vcts(params.get("volume_claim_templates"), f("volume_claim_templates"))
    extra_mounts = _list(params.get("volume_mounts"), f("volume_mounts"))
    mounts = [(m, "%s[%d].mount_path" % (f("volume_claim_templates"), i)) for i, (_t, m) in enumerate(vcts) if m]
    mounts += [(copy.deepcopy(m), "%s[%d]" % (f("volume_mounts"), i)) for i, m in enumerate(extra_mounts)]
    pod_spec_extra = copy.deepcopy(_mapping(params.get("pod_spec_extra"), f("pod_spec_extra")))
    problems = owned_keys(params, prefix, [t for t, _m in vcts], selector_labels)
    if problems:
        raise SpecError("; ".join(problems))
    volume_names = set(t["metadata"]["name"] for t, _m in vcts)
    for where, volume in _entries(pod_spec_extra.get("volumes"), f("pod_spec_extra") + ".volumes"):
        volume_name = volume.get("name")
        _checked(validate_dns1123_label, volume_name, where + ".name")
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
        extra_name = _checked(validate_dns1123_label, extra.get("name"), where + ".name")
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
    return pod_spec, [t for t, _m in vcts]
