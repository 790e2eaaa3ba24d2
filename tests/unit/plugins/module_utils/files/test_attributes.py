# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/files/attributes.py: the one home of the path, owner, group and
mode syntax (the export validation and the directories module both use it)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError
from ansible_collections.stateful.nfs.plugins.module_utils.files.attributes import (
    InvalidAttribute,
    check_absolute,
    check_id,
    check_mode,
)


@pytest.mark.parametrize("value, expected", [("0755", "0755"), ("755", "0755"), ("2775", "2775"), ("0700", "0700")])
def test_modes_are_four_octal_digits(value, expected):
    assert check_mode(value) == expected


@pytest.mark.parametrize("value, message", [
    (493, "493 must be a quoted string such as '0755' (an unquoted 0755 is read by YAML as the decimal number 493)"),
    (True, "True must be a quoted string such as '0755'"),
    ("0999", "'0999' must be an octal mode string such as '0755' or '2775'"),
    ("u+rwx", "'u+rwx' must be an octal mode string"),
    ("75", "'75' must be an octal mode string"),
    (None, "None must be an octal mode string"),
])
def test_bad_modes_are_refused(value, message):
    with pytest.raises(InvalidAttribute) as exc:
        check_mode(value)
    assert str(exc.value).startswith(message)


@pytest.mark.parametrize("value, expected", [("nobody", "nobody"), ("1234", "1234"), (0, "0"), ("_svc-x", "_svc-x"),
                                             ("machine$", "machine$")])
def test_ids_are_names_or_numbers(value, expected):
    assert check_id(value) == expected


@pytest.mark.parametrize("value", ["Bob", "a b", "", None, True, "-x", "1.5", ["root"]])
def test_bad_ids_are_refused(value):
    with pytest.raises(InvalidAttribute) as exc:
        check_id(value)
    assert str(exc.value) == "%r must be a user/group name or a numeric id" % (value,)


def test_a_refusal_is_a_plan_error():
    assert issubclass(InvalidAttribute, PlanError)


@pytest.mark.parametrize("value, message", [
    ("", "must be a non-empty string"),
    (None, "must be a non-empty string"),
    ("srv/x", "'srv/x' must be an absolute path"),
    ("/srv/x/", "'/srv/x/' is not normalised; write it as '/srv/x'"),
    ("/srv/../x", "'/srv/../x' is not normalised; write it as '/x'"),
    ("//srv", "'//srv' is not normalised; write it as '/srv'"),
])
def test_paths_must_be_absolute_and_normalised(value, message):
    with pytest.raises(InvalidAttribute) as exc:
        check_absolute(value)
    assert str(exc.value) == message


def test_a_normalised_path_is_returned():
    assert check_absolute("/srv/nfs/v1") == "/srv/nfs/v1"
