# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Label selectors: the one selector model of the collection (pure, no I/O).

Two kinds of selector exist in the API, with different rules, and each has one function here:

* a ``LabelSelector`` (``{matchLabels, matchExpressions}``: a StatefulSet's ``spec.selector``, a
  claim's or PersistentVolume selector). ``metav1.LabelSelectorAsSelector``: a missing (nil) selector
  selects nothing, an empty one (``{}``) selects everything; matchLabels and every expression must all
  hold (``In``: the key is present with one of the values; ``NotIn``: absent, or present with another
  value; ``Exists``; ``DoesNotExist``).  -> ``selector_matches``
* a Service's ``spec.selector``, a plain ``{key: value}`` map, equality only. A Service without a
  selector (or with an empty one) selects no pods: the EndpointSlice controller leaves such a
  Service alone.  -> ``service_selects``

``selector_terms`` writes a LabelSelector in the list API's string syntax, one term per requirement
(``app=web``, ``tier in (a,b)``, ``!legacy``): the list kubernetes.core's ``label_selectors``
option takes; ``selector_string`` joins them as ``?labelSelector=`` wants them.

``validate_label_key`` and ``validate_label_value`` are the API server's syntax of a label (and
annotation) key, ``IsQualifiedName``, and of a label value, ``IsValidLabelValue``; a refusal is an
``InvalidLabel`` (a ``ValueError``) whose message starts with the field.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import InvalidName, validate_dns1123_subdomain

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
LABEL_NAME_MAX = 63
_LABEL_NAME_RE = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")


class InvalidLabel(PlanError):
    """Not a label key or value the API server accepts; the message starts with the field."""


def validate_label_key(key, field):
    """A qualified label key: ``[prefix/]name`` (prefix a DNS-1123 subdomain, name <= 63)."""
    if not isinstance(key, str) or not key:
        raise InvalidLabel("%s: label key must be a non-empty string, got %r" % (field, key))
    prefix, _sep, name = key.rpartition("/")
    if _sep:
        try:
            validate_dns1123_subdomain(prefix, "%s: prefix of label key %r" % (field, key))
        except InvalidName as exc:
            raise InvalidLabel(str(exc))
    if len(name) > LABEL_NAME_MAX or not _LABEL_NAME_RE.match(name):
        raise InvalidLabel(
            "%s: label key %r: the name part must be at most 63 characters of "
            "[A-Za-z0-9-_.], starting and ending with a letter or digit" % (field, key)
        )
    return key


def validate_label_value(value, field):
    """A label value: empty, or at most 63 characters of ``[A-Za-z0-9-_.]`` that start and end alphanumeric."""
    if isinstance(value, bool) or isinstance(value, (int, float)):
        raise InvalidLabel("%s: label value must be a string (quote it), got %r" % (field, value))
    if not isinstance(value, str):
        raise InvalidLabel("%s: label value must be a string, got %r" % (field, value))
    if value and (len(value) > LABEL_NAME_MAX or not _LABEL_NAME_RE.match(value)):
        raise InvalidLabel(
            "%s: label value %r must be at most 63 characters of [A-Za-z0-9-_.], "
            "starting and ending with a letter or digit" % (field, value)
        )
    return value


def selector_matches(selector, labels):
    """True when the LabelSelector ``selector`` selects an object with ``labels``."""
    if selector is None:
        return False
    labels = labels or {}
    for key, value in (selector.get("matchLabels") or {}).items():
        if key not in labels or labels[key] != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, operator, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if operator == "In":
            matched = key in labels and labels[key] in values
        elif operator == "NotIn":
            matched = key not in labels or labels[key] not in values
        elif operator == "Exists":
            matched = key in labels
        elif operator == "DoesNotExist":
            matched = key not in labels
        else:
            raise ValueError("selector: unsupported matchExpressions operator %r" % (operator,))
        if not matched:
            return False
    return True


def service_selects(selector, labels):
    """True when a Service's plain ``{key: value}`` selector selects a pod with ``labels``."""
    if not selector:
        return False
    return selector_matches({"matchLabels": selector}, labels)


def selector_terms(selector):
    """A LabelSelector as the list API's terms, matchLabels sorted by key, then each expression."""
    selector = selector or {}
    terms = ["%s=%s" % (key, value) for key, value in sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or []:
        key, operator, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if operator == "In":
            terms.append("%s in (%s)" % (key, ",".join(values)))
        elif operator == "NotIn":
            terms.append("%s notin (%s)" % (key, ",".join(values)))
        elif operator == "Exists":
            terms.append(key)
        elif operator == "DoesNotExist":
            terms.append("!%s" % key)
        else:
            raise ValueError("selector: unsupported matchExpressions operator %r" % (operator,))
    return terms


def selector_string(selector):
    """A LabelSelector in the string form of the list API's ``labelSelector`` parameter."""
    return ",".join(selector_terms(selector))
