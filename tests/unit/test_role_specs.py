# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every role's meta/argument_specs.yml stays in sync with its defaults/main.yml."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(role, *parts):
    with open(os.path.join(REPO, "roles", role, *parts)) as handle:
        return yaml.safe_load(handle)


@pytest.mark.parametrize("role", sorted(os.listdir(os.path.join(REPO, "roles"))))
def test_every_default_is_specified_with_the_same_value(role):
    defaults = load(role, "defaults", "main.yml")
    options = load(role, "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    assert sorted(defaults) == sorted(options)
    for name, value in defaults.items():
        assert name.startswith(role + "_")
        if "default" in options[name]:
            assert options[name]["default"] == value, name
        else:  # no default in the spec: none at all (null), or a computed one (a template) described instead
            assert value is None or (isinstance(value, str) and "{{" in value), name
