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
option takes; ``selector_string`` joins them as ``?labelSelector=`` wants them. ``parse_selector_terms``
reads such a list given by a user (an element may hold several terms separated by commas, as
``kubectl -l`` takes them) and refuses what the API server's ``labels.Parse`` would refuse.

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
# one term of the list API's selector syntax: ``key``, ``!key``, ``key=v``, ``key==v``, ``key!=v``,
# ``key>N``, ``key<N``, ``key in (a,b)``, ``key notin (a,b)``
_TERM_RE = re.compile(r"^(?P<not>!)?(?P<key>[^\s=!<>(),]+)(?:"
                      r"\s*(?P<op>==|=|!=|<|>)\s*(?P<value>[^\s=!<>(),]*)"
                      r"|\s+(?P<set>in|notin)\s*\((?P<values>[^()]*)\))?$")
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


def _split_terms(text):
    """``a=b,c in (x,y)`` -> ``["a=b", "c in (x,y)"]``: commas inside parentheses stay."""
    terms, depth, current = [], 0, []
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            terms.append("".join(current))
            current = []
        else:
            current.append(char)
    terms.append("".join(current))
    return [term.strip() for term in terms]


def parse_selector_terms(items, field):
    """A user's list of label selector terms, checked and normalised (``key=value``, ``key in (a,b)``...).

    Each element may hold several terms separated by commas. Raises ``InvalidLabel`` naming ``field``
    and the term for an empty term, a bad key or value, or an operator the API does not know.
    """
    terms = []
    for index, item in enumerate(items or []):
        where = "%s[%d]" % (field, index)
        if not isinstance(item, str):
            raise InvalidLabel("%s: must be a label selector string such as k8s-app=kube-dns, got %r" % (where, item))
        for term in _split_terms(item):
            match = _TERM_RE.match(term)
            if not term or not match or (match.group("not") and (match.group("op") or match.group("set"))):
                raise InvalidLabel("%s: %r is not a label selector term; use key=value, key!=value, key, !key, "
                                   "key in (a,b) or key notin (a,b)" % (where, term))
            key = validate_label_key(match.group("key"), where)
            if match.group("op") in ("<", ">"):
                if not re.match(r"^-?[0-9]+$", match.group("value")):
                    raise InvalidLabel("%s: %r: %s needs an integer value" % (where, term, match.group("op")))
                terms.append("%s%s%s" % (key, match.group("op"), match.group("value")))
            elif match.group("op"):
                value = validate_label_value(match.group("value"), where)
                terms.append("%s%s%s" % (key, "!=" if match.group("op") == "!=" else "=", value))
            elif match.group("set"):
                values = [v.strip() for v in match.group("values").split(",")]
                if not any(values):
                    raise InvalidLabel("%s: %r: %s needs at least one value" % (where, term, match.group("set")))
                for value in values:
                    validate_label_value(value, where)
                terms.append("%s %s (%s)" % (key, match.group("set"), ",".join(values)))
            else:
                terms.append(("!" if match.group("not") else "") + key)
    return terms


def selector_string(selector):
    """A LabelSelector in the string form of the list API's ``labelSelector`` parameter."""
    return ",".join(selector_terms(selector))
