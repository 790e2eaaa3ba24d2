# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The field checks every manifest of the collection is built from (pure, no I/O).

Each check takes a value and the field it came from and returns the value (converted where the
API converts it, such as ``"5"`` for an integer) or raises ``SpecError``, a ``ValueError`` whose
message starts with the field. The rules of k8s/ (names, quantities, label keys and values) raise
their own errors; ``_checked`` and ``_quantity`` turn them into a ``SpecError`` naming the field.
Labels, annotations and ``matchExpressions`` are checked here as whole mappings and lists.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import (
    OPERATORS,
    InvalidLabel,
    validate_label_key,
    validate_label_value,
)
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import InvalidName
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.quantity import InvalidQuantity, parse_quantity

ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")


class SpecError(PlanError):
    """Bad input; the message names the field."""


def _checked(check, value, field):
    """``check(value, field)``, one of k8s/'s name or label rules, refusing as a ``SpecError``."""
    try:
        return check(value, field)
    except (InvalidName, InvalidLabel) as exc:
        raise SpecError(str(exc))


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
# quantities and storage
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


def _access_modes(value, field):
    modes = _list(value, field)
    if not modes:
        raise SpecError("%s: must list at least one access mode" % field)
    for index, mode in enumerate(modes):
        _choice(mode, ACCESS_MODES, "%s[%d]" % (field, index))
    return modes


# ---------------------------------------------------------------------------
# labels, annotations and selectors
# ---------------------------------------------------------------------------
def validate_labels(labels, field):
    labels = _mapping(labels, field)
    for key, value in labels.items():
        _checked(validate_label_key, key, field)
        _checked(validate_label_value, value, "%s[%s]" % (field, key))
    return dict(labels)


def validate_annotations(annotations, field):
    annotations = _mapping(annotations, field)
    for key, value in annotations.items():
        _checked(validate_label_key, key, field)
        if not isinstance(value, str):
            raise SpecError("%s[%s]: annotation value must be a string, got %r" % (field, key, value))
    return dict(annotations)


def validate_match_expressions(expressions, field):
    result = []
    for where, expr in _entries(expressions, field):
        unknown = sorted(set(expr) - {"key", "operator", "values"})
        if unknown:
            raise SpecError("%s: unknown keys %s (expected key, operator, values)" % (where, ", ".join(unknown)))
        _checked(validate_label_key, expr.get("key"), where + ".key")
        operator = _choice(expr.get("operator"), OPERATORS, where + ".operator")
        values = _list(expr.get("values"), where + ".values")
        if operator in ("In", "NotIn") and not values:
            raise SpecError("%s.values: must not be empty for operator %s" % (where, operator))
        if operator in ("Exists", "DoesNotExist") and values:
            raise SpecError("%s.values: must be empty for operator %s" % (where, operator))
        for vindex, value in enumerate(values):
            _checked(validate_label_value, value, "%s.values[%d]" % (where, vindex))
        item = {"key": expr["key"], "operator": operator}
        if values:
            item["values"] = list(values)
        result.append(item)
    return result
