# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kubernetes resource quantities (``1Gi``, ``500M``, ``1e9``): the one parser of the collection.

The grammar is the API server's (``k8s.io/apimachinery/pkg/api/resource``, ``ParseQuantity``)::

    <quantity>     ::= <signedNumber><suffix>
    <signedNumber> ::= <number> | <sign><number>        <sign> ::= "+" | "-"
    <number>       ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
    <suffix>       ::= <binarySI> | <decimalExponent> | <decimalSI>
    <binarySI>     ::= Ki | Mi | Gi | Ti | Pi | Ei
    <decimalSI>    ::= n | u | m | "" | k | M | G | T | P | E
    <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>

``ParseQuantity`` does not trim: ``"1Gi "`` is not a quantity, and it is refused here rather than
written verbatim into a manifest. Every quantity this collection reads or writes is a storage request,
a resource request or limit, or a volume's capacity, which the API server validates as non-negative
(``ValidateNonnegativeQuantity``: "must be greater than or equal to 0"), so a negative one is refused.
Pure; no I/O.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from decimal import Decimal

from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError

_BINARY = {"Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50, "Ei": 2 ** 60}
_DECIMAL = {"n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
            "k": Decimal(10) ** 3, "M": Decimal(10) ** 6, "G": Decimal(10) ** 9, "T": Decimal(10) ** 12,
            "P": Decimal(10) ** 15, "E": Decimal(10) ** 18}
_QUANTITY_RE = re.compile(
    r"^(?P<num>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?\Z"
)


class InvalidQuantity(PlanError):
    """Not a quantity the API server accepts here; the message starts with the field."""


def parse_quantity(value, field="quantity"):
    """``value`` (a string, or an int or float as YAML gives them) as a ``Decimal`` number of units.

    Raises ``InvalidQuantity`` naming ``field`` for anything ``ParseQuantity`` refuses (surrounding
    whitespace included) and for a negative quantity.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InvalidQuantity("%s: must be a quantity such as 1Gi, got %r" % (field, value))
    text = value if isinstance(value, str) else str(value)
    match = _QUANTITY_RE.match(text)
    if not match:
        raise InvalidQuantity("%s: %r is not a Kubernetes quantity (examples: 1Gi, 500Mi, 2G)" % (field, value))
    number = Decimal(match.group("num"))
    suffix = match.group("suffix") or ""
    if suffix in _BINARY:
        result = number * _BINARY[suffix]
    elif suffix in _DECIMAL:
        result = number * _DECIMAL[suffix]
    else:
        result = number * (Decimal(10) ** int(suffix[1:]))
    if result < 0:
        raise InvalidQuantity("%s: must not be negative, got %r" % (field, value))
    return result
