# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/common/arguments.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.stateful.nfs.plugins.module_utils.common.arguments import (
    StringForList,
    refuse_strings_for_lists,
    strings_for_lists,
    type_name,
)

SPEC = {
    "capacities": {"type": "list", "elements": "str", "default": []},
    "checks": {"type": "list", "elements": "str", "aliases": ["check"]},
    "name": {"type": "str"},
    "exports": {"type": "list", "elements": "dict", "options": {
        "name": {"type": "str"},
        "clients": {"type": "list", "elements": "str"},
    }},
    "pin": {"type": "dict", "options": {"ordinals": {"type": "list", "elements": "int"}}},
}


def test_ansible_itself_splits_a_string_given_for_a_list():
    # the reason for the rule: Ansible's validation accepts it without a word
    result = ArgumentSpecValidator({"capacities": SPEC["capacities"]}).validate({"capacities": "1Gi,2Gi"})
    assert result.error_messages == [] and result.validated_parameters["capacities"] == ["1Gi", "2Gi"]


@pytest.mark.parametrize("params, expected", [
    ({"capacities": "1Gi,2Gi"}, ["nfs_volumes_capacities: must be a list, got the string '1Gi,2Gi'"]),
    ({"capacities": "1Gi"}, ["nfs_volumes_capacities: must be a list, got the string '1Gi'"]),
    ({"check": "order,dns"}, ["nfs_volumes_checks: must be a list, got the string 'order,dns'"]),
    ({"exports": [{"name": "v1", "clients": ["a"]}, {"name": "v2", "clients": "a,b"}]},
     ["nfs_volumes_exports[1].clients: must be a list, got the string 'a,b'"]),
    ({"exports": "v1,v2"}, ["nfs_volumes_exports: must be a list, got the string 'v1,v2'"]),
    ({"pin": {"ordinals": "0,1"}}, ["nfs_volumes_pin.ordinals: must be a list, got the string '0,1'"]),
    ({"capacities": "a", "checks": "b"}, ["nfs_volumes_capacities:", "nfs_volumes_checks:"]),
])
def test_a_string_for_a_list_is_named_with_its_path(params, expected):
    problems = strings_for_lists(SPEC, params, "nfs_volumes_")
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected):
        assert problem.startswith(start), problem


@pytest.mark.parametrize("params", [
    {}, {"capacities": []}, {"capacities": ["1Gi"]}, {"capacities": None}, {"name": "a,b"},
    {"exports": [{"name": "v1", "clients": ["a", "b"]}, "not a dict"]}, {"pin": None}, {"pin": {}},
])
def test_lists_and_other_types_pass(params):
    assert strings_for_lists(SPEC, params) == []
    refuse_strings_for_lists(SPEC, params)


def test_refuse_raises_naming_every_option():
    with pytest.raises(StringForList, match=r"^capacities: .*; checks: "):
        refuse_strings_for_lists(SPEC, {"capacities": "x", "checks": "y"})


class _TaggedStr(str):
    pass


@pytest.mark.parametrize("value, expected", [
    ("a", "str"), (_TaggedStr("a"), "str"), (1, "int"), (True, "bool"), (1.5, "float"), ({}, "dict"),
    ([], "list"), ((), "list"), (None, "null"), (object(), "object"),
])
def test_type_name_is_the_plain_name(value, expected):
    assert type_name(value) == expected
