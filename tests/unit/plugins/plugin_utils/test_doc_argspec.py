# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/plugin_utils/doc_argspec.py (option docs -> argument spec)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.stateful.nfs.plugins.plugin_utils.doc_argspec import (
    documented_argspec,
    documented_options,
    options_argspec,
)

OPTIONS = {
    "name": {"description": "The name.", "type": "str", "required": True, "aliases": ["n"]},
    "mode": {"description": ["Two", "lines."], "type": "str", "choices": ["a", "b"], "default": "a"},
    "token": {"description": "Secret.", "type": "str", "no_log": True},
    "items": {
        "description": "Entries.", "type": "list", "elements": "dict", "default": [],
        "suboptions": {
            "path": {"description": "A path.", "type": "path", "required": True},
            "ro": {"description": "Read only.", "type": "bool", "default": False},
        },
    },
    "plain": {"description": "No type: a string, as in AnsibleModule."},
}


def test_documented_options_become_an_argument_spec():
    assert options_argspec(OPTIONS) == {
        "name": {"type": "str", "required": True, "aliases": ["n"]},
        "mode": {"type": "str", "choices": ["a", "b"], "default": "a"},
        "token": {"type": "str", "no_log": True},
        "items": {"type": "list", "elements": "dict", "default": [], "options": {
            "path": {"type": "path", "required": True},
            "ro": {"type": "bool", "default": False},
        }},
        "plain": {},
    }


def test_the_spec_validates_as_documented():
    result = ArgumentSpecValidator(options_argspec(OPTIONS)).validate({"n": "x", "items": [{"path": "/a"}]})
    assert result.error_messages == []
    assert result.validated_parameters["items"] == [{"path": "/a", "ro": False}]
    assert result.validated_parameters["mode"] == "a"
    refused = ArgumentSpecValidator(options_argspec(OPTIONS)).validate({"name": "x", "mode": "c"})
    assert any("mode" in message for message in refused.error_messages)


def test_no_options_is_an_empty_spec():
    assert options_argspec(None) == {} and options_argspec({}) == {}


def test_fragment_options_are_added_from_every_collection():
    # statefulset_validate documents its options with fragments of this collection, of kubernetes.core and
    # of ansible.builtin (attributes only): the spec read from its docs has every option its module takes
    from ansible_collections.stateful.nfs.plugins.modules import statefulset_validate

    spec = documented_argspec(statefulset_validate.DOCUMENTATION)
    assert sorted(spec) == sorted(statefulset_validate.argspec())
    assert spec["kubeconfig"]["type"] == "raw"
    assert spec["dns_port"] == {"type": "int", "default": 53}


def test_the_module_own_documentation_wins_over_a_fragment():
    doc = "extends_documentation_fragment: [stateful.nfs.pure_plan]\noptions:\n  field_prefix: {type: int}\n  x: {type: str}\n"
    assert documented_options(doc) == {"field_prefix": {"type": "int"}, "x": {"type": "str"}}
    fragment_only = documented_options("extends_documentation_fragment: stateful.nfs.pure_plan\n")
    assert fragment_only["field_prefix"]["default"] == ""
