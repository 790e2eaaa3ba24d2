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

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import (
    validate_dns1123_label,
    validate_dns1123_subdomain,
)

CHECKS = ("order", "completion", "storage", "dns")

# The resolver options (documented by the stateful.nfs.dns_resolver doc fragment).
DNS_RESOLVER_ARG_SPEC = dict(
    dns_server=dict(type="str", default="127.0.0.1"),
    dns_port=dict(type="int", default=53),
    dns_timeout=dict(type="float", default=2.0),
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
)
VALIDATE_ARG_SPEC.update(DNS_RESOLVER_ARG_SPEC)


def selected_checks(params):
    """The selected checks, in the order of ``CHECKS``."""
    return [c for c in CHECKS if c in params["checks"]]


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
    if not 0 < params["dns_port"] < 65536:
        raise ValueError("dns_port: must be between 1 and 65535, got %d" % params["dns_port"])
    if params["dns_timeout"] <= 0:
        raise ValueError("dns_timeout: must be a positive number of seconds, got %s" % params["dns_timeout"])
    if not params["dns_server"]:
        raise ValueError("dns_server: must not be empty")
    expected = params.get("expected_volumes") or {}
    for key, value in expected.items():
        try:
            int(key)
        except (TypeError, ValueError):
            raise ValueError("expected_volumes[%r]: the key must be a pod ordinal (an integer)" % (key,))
        if not isinstance(value, (str, dict)):
            raise ValueError("expected_volumes[%r]: must be a PersistentVolume name or a mapping of "
                             "volumeClaimTemplate name to PersistentVolume name" % (key,))
