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
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


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
