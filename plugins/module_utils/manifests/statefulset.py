# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The StatefulSet and its headless Service for the statefulset role (pure, no I/O).

* ``render_statefulset``: every field of the tutorial's attribute list plus minReadySeconds,
  persistentVolumeClaimRetentionPolicy, ordinals.start and a pass-through container/pod spec
  (the pod template is pod.py's); refuses bad input naming the field, and pass-through keys that
  the role's own options or the StatefulSet controller set.
* ``claim_names`` and ``claim_pattern``: the claims a StatefulSet's templates give its pods.

Every error is a ``SpecError`` whose message starts with the field.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import selector_matches
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import pvc_name, validate_dns1123_label
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import (
    SpecError,
    _checked,
    _choice,
    _int,
    _list,
    _mapping,
    validate_annotations,
    validate_labels,
    validate_match_expressions,
)
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.pod import (
    PROTOCOLS,
    _port_name,
    render_pod_spec,
)

UPDATE_STRATEGIES = ("RollingUpdate", "OnDelete")
POD_MANAGEMENT_POLICIES = ("OrderedReady", "Parallel")
RETENTION_POLICIES = ("Retain", "Delete")
STATEFULSET_NAME_MAX = 52


def _selector(params, prefix):
    """``(selector_labels, selector, pod_labels)``: a non-empty selector that selects the pod template."""
    def f(option):
        return prefix + option

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
    return selector_labels, selector, pod_labels


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


def _service(params, prefix, service_name, namespace, common_labels, selector):
    """The headless Service that governs the StatefulSet; it selects what ``selector`` (a plain map) selects."""
    def f(option):
        return prefix + option

    service_labels = dict(common_labels)
    service_labels.update(validate_labels(params.get("service_labels"), f("service_labels")))
    service_spec = {
        "clusterIP": "None",
        "selector": selector,
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
    return service


def render_statefulset(params, prefix=""):
    """Validate the statefulset options and render ``{"service": ..., "statefulset": ...}``.

    Refuses (``SpecError`` naming ``prefix + option``): names that are not DNS-1123, a selector
    that does not match the pod template labels, replicas < 0, a Service that is not headless,
    unknown update strategies or policies, a partition with OnDelete, bad quantities, ports,
    labels and volume claim templates, volume mounts that name no volume, and pass-through keys the
    role or the StatefulSet controller owns (pod.py's ``owned_keys``).
    """
    def f(name):
        return prefix + name

    name = _checked(validate_dns1123_label, params.get("name"), f("name"))
    if len(name) > STATEFULSET_NAME_MAX:
        raise SpecError(
            "%s: %r is %d characters long; its pods get the label controller-revision-hash="
            "<name>-<hash of 10 characters>, which must fit in 63, so a StatefulSet name has at most %d"
            % (f("name"), name, len(name), STATEFULSET_NAME_MAX)
        )
    namespace = _checked(validate_dns1123_label, params.get("namespace", "default"), f("namespace"))
    service_name = _checked(validate_dns1123_label, params.get("service_name"), f("service_name"))
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

    selector_labels, selector, pod_labels = _selector(params, prefix)
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

    pod_spec, claim_templates = render_pod_spec(params, prefix, name, selector_labels)

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
        "volumeClaimTemplates": claim_templates,
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

    service_selector = dict(selector_labels) if selector_labels else dict(pod_labels)
    service = _service(params, prefix, service_name, namespace, common_labels, service_selector)
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
