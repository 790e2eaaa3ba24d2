# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of ``statefulset_validate``: the one list of checks, the argument spec
(without kubernetes.core's auth options, which the module adds) and the value checks
the spec cannot express (pure, no I/O).

``CHECKS`` is the only spelling of the checks and of their order: the argument spec's
choices, the result's ``checks``, the JUnit suites and the ``validation_report``
filter's verdict lines all read it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import parse_selector_terms
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import (
    validate_dns1123_label,
    validate_dns1123_subdomain,
)

CHECKS = ("order", "completion", "storage", "dns")

# How the dns check reaches the cluster DNS: ``api`` through the API server (a port-forward to a
# cluster DNS pod), ``direct`` to ``dns_server``; ``auto`` is ``direct`` when ``dns_server`` is set.
DNS_TRANSPORTS = ("auto", "api", "direct")

# The resolver options (documented by the stateful.nfs.dns_resolver doc fragment).
DNS_RESOLVER_ARG_SPEC = dict(
    dns_transport=dict(type="str", choices=list(DNS_TRANSPORTS), default="auto"),
    dns_server=dict(type="str"),
    dns_port=dict(type="int", default=53),
    dns_timeout=dict(type="float", default=2.0),
    dns_pod_namespace=dict(type="str", default="kube-system"),
    dns_pod_label_selectors=dict(type="list", elements="str", default=["k8s-app=kube-dns"]),
    dns_pod_port=dict(type="int", default=53),
    cluster_domain=dict(type="str", default="cluster.local"),
)

VALIDATE_ARG_SPEC = dict(
    name=dict(type="str", required=True),
    namespace=dict(type="str", default="default"),
    checks=dict(type="list", elements="str", choices=list(CHECKS), default=list(CHECKS)),
    mode=dict(type="str", choices=["audit", "watch"], default="audit"),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=300),
    watch_timeout=dict(type="int", default=300),
    expected_volumes=dict(type="dict"),
    junit_path=dict(type="path"),
    svg_path=dict(type="path"),
    fail_on_violation=dict(type="bool", default=True),
    pod_details=dict(type="str", choices=["all", "problems"], default="all"),
)
VALIDATE_ARG_SPEC.update(DNS_RESOLVER_ARG_SPEC)


def selected_checks(params):
    """The selected checks, in the order of ``CHECKS``."""
    return [c for c in CHECKS if c in params["checks"]]


def dns_transport(params):
    """``api`` or ``direct``: the path the dns check takes (``auto``: ``direct`` when ``dns_server`` is set)."""
    transport = params.get("dns_transport") or "auto"
    if transport == "auto":
        return "direct" if params.get("dns_server") is not None else "api"
    return transport


def _check_dns_params(params):
    for field in ("dns_port", "dns_pod_port"):
        if not 0 < params[field] < 65536:
            raise ValueError("%s: must be between 1 and 65535, got %d" % (field, params[field]))
    if params["dns_timeout"] <= 0:
        raise ValueError("dns_timeout: must be a positive number of seconds, got %s" % params["dns_timeout"])
    server, transport = params.get("dns_server"), params.get("dns_transport") or "auto"
    if server is not None and not server.strip():
        raise ValueError("dns_server: must not be empty (leave it unset to ask the cluster DNS through the API server)")
    if transport == "direct" and server is None:
        raise ValueError("dns_server: required with dns_transport=direct: the address of a DNS server this host "
                         "can reach (or dns_transport=api to ask a cluster DNS pod through the API server)")
    if transport == "api" and server is not None:
        raise ValueError("dns_server: not used with dns_transport=api, which asks a cluster DNS pod through the API "
                         "server (dns_pod_namespace, dns_pod_label_selectors, dns_pod_port); leave dns_server unset, "
                         "or set dns_transport=direct to ask %s" % server)
    validate_dns1123_label(params["dns_pod_namespace"], "dns_pod_namespace")
    if not parse_selector_terms(params["dns_pod_label_selectors"], "dns_pod_label_selectors"):
        raise ValueError("dns_pod_label_selectors: give at least one label selector for the cluster DNS pods "
                         "(CoreDNS and kube-dns pods carry k8s-app=kube-dns)")


def check_params(params):
    """Reject bad option values with a message that names the option (ValueError)."""
    validate_dns1123_label(params["name"], "name")
    validate_dns1123_label(params["namespace"], "namespace")
    validate_dns1123_subdomain(params["cluster_domain"].rstrip("."), "cluster_domain")
    if not params["checks"]:
        raise ValueError("checks: select at least one of %s" % ", ".join(CHECKS))
    for field in ("wait_timeout", "watch_timeout"):
        if params[field] <= 0:
            raise ValueError("%s: must be a positive number of seconds, got %d" % (field, params[field]))
    _check_dns_params(params)
    expected = params.get("expected_volumes") or {}
    for key, value in expected.items():
        try:
            int(key)
        except (TypeError, ValueError):
            raise ValueError("expected_volumes[%r]: the key must be a pod ordinal (an integer)" % (key,))
        if not isinstance(value, (str, dict)):
            raise ValueError("expected_volumes[%r]: must be a PersistentVolume name or a mapping of "
                             "volumeClaimTemplate name to PersistentVolume name" % (key,))
