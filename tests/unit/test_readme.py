# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""README.md documents every role variable (from meta/argument_specs.yml) and every option
of statefulset_validate, so it cannot drift from what the roles and the module accept."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _readme():
    with open(os.path.join(REPO, "README.md")) as stream:
        return stream.read()


def _role_options():
    for path in sorted(glob.glob(os.path.join(REPO, "roles", "*", "meta", "argument_specs.yml"))):
        role = path.split(os.sep)[-3]
        with open(path) as stream:
            spec = yaml.safe_load(stream)["argument_specs"]["main"]
        for name in spec.get("options", {}):
            yield role, name


@pytest.mark.parametrize("role,name", list(_role_options()))
def test_readme_lists_role_variable(role, name):
    assert "| `%s` |" % name in _readme(), "README.md has no row for %s's variable %s" % (role, name)


def _module_options():
    with open(os.path.join(REPO, "plugins", "modules", "statefulset_validate.py")) as stream:
        doc = yaml.safe_load(re.search(r'DOCUMENTATION = r?"""(.*?)"""', stream.read(), re.S).group(1))
    with open(os.path.join(REPO, "plugins", "doc_fragments", "dns_resolver.py")) as stream:
        fragment = yaml.safe_load(re.search(r'DOCUMENTATION = r?"""(.*?)"""', stream.read(), re.S).group(1))
    return sorted(doc["options"]) + sorted(fragment["options"])


@pytest.mark.parametrize("name", _module_options())
def test_readme_lists_validator_option(name):
    assert "| `%s` |" % name in _readme(), "README.md has no row for statefulset_validate's option %s" % name
