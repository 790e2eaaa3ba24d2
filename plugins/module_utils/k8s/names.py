# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure naming helpers shared by the whole collection (no I/O).

Kubernetes object names, the names a StatefulSet derives (pods, claims), the
per-pod DNS name behind a headless Service and the reverse-pointer name of an
address all come from here, so roles, modules and tests agree on them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError

DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_MAX = 253
_LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


class InvalidName(PlanError):
    """A value is not a valid name; the message names the field."""


def _check_string(value, field):
    if not isinstance(value, str):
        raise InvalidName("%s: must be a string, got %s" % (field, type(value).__name__))
    if value == "":
        raise InvalidName("%s: must not be empty" % field)
    return value


def _check_label(value, field, what, max_length=DNS1123_LABEL_MAX):
    _check_string(value, field)
    if max_length is not None and len(value) > max_length:
        raise InvalidName(
            "%s: %r is %d characters long; a %s has at most %d"
            % (field, value, len(value), what, max_length)
        )
    if value != value.lower():
        raise InvalidName("%s: %r must be lower case (%s)" % (field, value, what))
    bad = sorted(set(c for c in value if not (c.isalnum() and c.isascii()) and c != "-"))
    if bad:
        raise InvalidName(
            "%s: %r contains %s; a %s may only contain a-z, 0-9 and '-'"
            % (field, value, ", ".join(repr(c) for c in bad), what)
        )
    if not _LABEL_RE.match(value):
        raise InvalidName(
            "%s: %r must start and end with a letter or digit (%s)" % (field, value, what)
        )
    return value


# Labels found valid (the check is a pure function of the string): a StatefulSet of 5,000 pods has
# its names checked some 45,000 times, mostly the same few.
_VALID_LABELS = set()


def validate_dns1123_label(value, field="name"):
    """Return ``value`` if it is an RFC 1123 label (Service, pod, StatefulSet names).

    Raises ``InvalidName`` (a ``ValueError``) with a message that names ``field``.
    """
    if isinstance(value, str) and value in _VALID_LABELS:
        return value
    _check_label(value, field, "DNS-1123 label")
    if len(_VALID_LABELS) < 100000:
        _VALID_LABELS.add(value)
    return value


def validate_dns1123_subdomain(value, field="name"):
    """Return ``value`` if it is an RFC 1123 subdomain (PV, PVC, namespace-less object names).

    Same rule as Kubernetes' ``IsDNS1123Subdomain``: at most 253 characters,
    dot-separated parts of a-z, 0-9 and '-' that start and end with a letter
    or digit. Like Kubernetes, it does not limit a single part to 63
    characters (``<vct>-<sts>-<ordinal>`` claim names are often longer).
    """
    _check_string(value, field)
    if len(value) > DNS1123_SUBDOMAIN_MAX:
        raise InvalidName(
            "%s: %r is %d characters long; a DNS-1123 subdomain has at most %d"
            % (field, value, len(value), DNS1123_SUBDOMAIN_MAX)
        )
    parts = value.split(".")
    for index, part in enumerate(parts):
        where = "%s (part %d of %d in %r)" % (field, index + 1, len(parts), value)
        if part == "":
            raise InvalidName("%s: must not be empty (no leading, trailing or double '.')" % where)
        _check_label(part, where, "DNS-1123 subdomain part", max_length=None)
    return value


def _check_ordinal(ordinal, field="ordinal"):
    if isinstance(ordinal, bool) or not isinstance(ordinal, int):
        raise InvalidName("%s: must be an integer, got %r" % (field, ordinal))
    if ordinal < 0:
        raise InvalidName("%s: must be >= 0, got %d" % (field, ordinal))
    return ordinal


def pod_name(statefulset, ordinal):
    """``<statefulset>-<ordinal>``: the stable name of a StatefulSet's pod."""
    validate_dns1123_label(statefulset, "statefulset")
    name = "%s-%d" % (statefulset, _check_ordinal(ordinal))
    return validate_dns1123_label(name, "pod name")


def pvc_name(claim_template, statefulset, ordinal):
    """``<volumeClaimTemplate>-<statefulset>-<ordinal>``: the claim a pod gets from a VCT."""
    validate_dns1123_label(claim_template, "volume claim template")
    name = "%s-%s" % (claim_template, pod_name(statefulset, ordinal))
    return validate_dns1123_subdomain(name, "claim name")


def ordinal_of(pod, statefulset):
    """The ordinal of ``pod`` if it is named ``<statefulset>-<N>``, else ``None``."""
    validate_dns1123_label(statefulset, "statefulset")
    prefix = statefulset + "-"
    if not isinstance(pod, str) or not pod.startswith(prefix):
        return None
    rest = pod[len(prefix):]
    if not rest.isdigit() or (len(rest) > 1 and rest[0] == "0"):
        return None
    return int(rest)


def pod_fqdn(pod, service, namespace, cluster_domain="cluster.local"):
    """``<pod>.<service>.<namespace>.svc.<cluster_domain>``: a pod's name behind a headless Service."""
    validate_dns1123_label(pod, "pod")
    validate_dns1123_label(service, "service")
    validate_dns1123_label(namespace, "namespace")
    validate_dns1123_subdomain(cluster_domain, "cluster_domain")
    return "%s.%s.%s.svc.%s" % (pod, service, namespace, cluster_domain)


def search_path(namespace, cluster_domain="cluster.local"):
    """The search list the kubelet writes into a pod's resolv.conf (dnsPolicy ClusterFirst):
    ``<namespace>.svc.<cluster_domain> svc.<cluster_domain> <cluster_domain>``. With ``ndots:5`` a
    short name such as ``<pod>.<service>`` is tried with the first one first."""
    validate_dns1123_label(namespace, "namespace")
    validate_dns1123_subdomain(cluster_domain, "cluster_domain")
    return ["%s.svc.%s" % (namespace, cluster_domain), "svc.%s" % cluster_domain, cluster_domain]


def reverse_pointer(address, field="address"):
    """The PTR owner name of an IPv4/IPv6 address, e.g. ``24.3.244.10.in-addr.arpa``."""
    if not isinstance(address, str):
        raise InvalidName("%s: must be a string, got %s" % (field, type(address).__name__))
    if "%" in address:
        raise InvalidName(
            "%s: %r has a zone index ('%%...'); a PTR name is only defined for the bare address"
            % (field, address)
        )
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        raise InvalidName("%s: %r is not an IPv4 or IPv6 address" % (field, address))
    return ip.reverse_pointer
