# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""README.md is a guide, not a copy of the option specs: it cannot drift from them because it does not
repeat them. It names every role and points to where the options live (ansible-doc, the role READMEs),
and every role README points to its ansible-doc page."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = sorted(os.path.basename(os.path.dirname(os.path.dirname(path)))
               for path in glob.glob(os.path.join(REPO, "roles", "*", "meta", "argument_specs.yml")))


def _read(*parts):
    with open(os.path.join(REPO, *parts)) as stream:
        return stream.read()


def _role_options():
    for role in ROLES:
        spec = yaml.safe_load(_read("roles", role, "meta", "argument_specs.yml"))["argument_specs"]["main"]
        for name in spec.get("options", {}):
            yield role, name


@pytest.mark.parametrize("role,name", list(_role_options()))
def test_readme_copies_no_role_variable_table(role, name):
    assert not re.search(r"^\|\s*`%s`\s*\|" % re.escape(name), _read("README.md"), re.M), (
        "README.md copies the spec of %s's %s; the reference is ansible-doc -t role" % (role, name))


def test_readme_names_every_role_and_where_the_options_are():
    readme = _read("README.md")
    for role in ROLES:
        assert "stateful.nfs.%s" % role in readme, role
    assert "ansible-doc -t role stateful.nfs." in readme
    assert "ansible-doc stateful.nfs.statefulset_validate" in readme
    assert "## Install" in readme and "ansible-galaxy collection install" in readme


def test_readme_lists_the_two_commands():
    readme = _read("README.md")
    assert "make demo" in readme and "make test" in readme


@pytest.mark.parametrize("role", ROLES)
def test_role_readme_points_to_its_reference(role):
    assert "ansible-doc -t role stateful.nfs.%s" % role in _read("roles", role, "README.md")


def test_readme_is_short():
    # a guide: the option tables that made it 25 KB live in ansible-doc
    assert len(_read("README.md").encode("utf-8")) < 12000
