# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/k8s/quantity.py: the one quantity parser.

Expected values follow k8s.io/apimachinery/pkg/api/resource ParseQuantity (the API server's grammar,
no trimming) and ValidateNonnegativeQuantity (requests, limits and capacities are >= 0).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from decimal import Decimal

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.quantity import InvalidQuantity, parse_quantity


@pytest.mark.parametrize("value, expected", [
    ("1Gi", Decimal(2 ** 30)),
    ("1024Mi", Decimal(2 ** 30)),
    ("512Mi", Decimal(2 ** 29)),
    ("1.5Gi", Decimal(3 * 2 ** 29)),
    ("2G", Decimal(2 * 10 ** 9)),
    ("100k", Decimal(100000)),
    ("500m", Decimal("0.5")),
    ("100m", Decimal("0.1")),
    ("5n", Decimal("5e-9")),
    ("5u", Decimal("5e-6")),
    ("1e3", Decimal(1000)),
    ("1E3", Decimal(1000)),
    ("1e-3", Decimal("0.001")),
    ("7", Decimal(7)),
    # <number> ::= <digits>. | .<digits>, and an explicit plus sign
    ("1.", Decimal(1)),
    (".5Gi", Decimal(2 ** 29)),
    ("+1Gi", Decimal(2 ** 30)),
    ("0", Decimal(0)),
    # YAML gives numbers as int or float
    (2048, Decimal(2048)),
    (5, Decimal(5)),
    (1.5, Decimal("1.5")),
])
def test_parse_quantity(value, expected):
    assert parse_quantity(value) == expected


@pytest.mark.parametrize("value", [
    "", "Gi", "1GB", "1gb", "1gi", "one", "abc", "1 Gi", "1.2.3", "1e", "1e1.5", "--1", "0x10",
    # ParseQuantity does not trim: surrounding whitespace is not a quantity (it was written verbatim before)
    "1Gi ", " 1Gi", "1Gi\n", "\t2G",
])
def test_parse_quantity_refuses_what_the_api_server_refuses(value):
    with pytest.raises(InvalidQuantity, match=r"^capacity: .* is not a Kubernetes quantity"):
        parse_quantity(value, "capacity")


@pytest.mark.parametrize("value", ["-1Gi", "-1", "-0.5", "-1e3", -1, -2.5])
def test_parse_quantity_refuses_negative_quantities(value):
    # a negative byte count was returned before, by the storage check's copy of the parser
    with pytest.raises(InvalidQuantity, match="^capacity: must not be negative"):
        parse_quantity(value, "capacity")


def test_minus_zero_is_zero():
    assert parse_quantity("-0") == 0


@pytest.mark.parametrize("value", [None, True, False, [], {}])
def test_parse_quantity_refuses_other_types_naming_the_field(value):
    with pytest.raises(InvalidQuantity, match="^request: must be a quantity such as 1Gi"):
        parse_quantity(value, "request")


def test_invalid_quantity_is_a_value_error():
    assert issubclass(InvalidQuantity, ValueError)
