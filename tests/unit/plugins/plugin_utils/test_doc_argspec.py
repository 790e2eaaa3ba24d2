# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/plugin_utils/doc_argspec.py (option docs -> argument spec)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.stateful.nfs.plugins.plugin_utils.doc_argspec import options_argspec

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
