# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options: the one list of checks, and the value checks that name the option."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible_collections.stateful.nfs.plugins.filter import validation_report
from ansible_collections.stateful.nfs.plugins.module_utils.validator import junit, options
from ansible_collections.stateful.nfs.plugins.module_utils.validator.options import check_params, selected_checks
from ansible_collections.stateful.nfs.plugins.modules import statefulset_validate
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.fakes import params


@pytest.mark.parametrize("change,message", [
    ({"name": "My_App"}, "name: 'My_App' must be lower case"),
    ({"namespace": "-x"}, "namespace: '-x' must start and end with a letter or digit"),
    ({"checks": []}, "checks: select at least one"),
    ({"wait_timeout": 0}, "wait_timeout: must be a positive number of seconds"),
    ({"dns_port": 70000}, "dns_port: must be between 1 and 65535"),
    ({"dns_timeout": 0}, "dns_timeout: must be a positive number"),
    ({"cluster_domain": "bad_domain"}, "cluster_domain"),
    ({"expected_volumes": {"zero": "pv001"}}, "expected_volumes['zero']: the key must be a pod ordinal"),
])
def test_bad_options_name_the_field(change, message):
    with pytest.raises(ValueError) as err:
        check_params(params(**change))
    assert message in str(err.value)


def test_one_list_of_checks_everywhere():
    """The argument spec, the module's documentation, the JUnit report and the report filter
    all read the one CHECKS."""
    assert options.CHECKS == ("order", "completion", "storage", "dns")
    spec = options.VALIDATE_ARG_SPEC["checks"]
    assert spec["choices"] == list(options.CHECKS) and spec["default"] == list(options.CHECKS)
    documented = yaml.safe_load(statefulset_validate.DOCUMENTATION)["options"]["checks"]
    assert documented["choices"] == list(options.CHECKS) and documented["default"] == list(options.CHECKS)
    assert validation_report.CHECKS is options.CHECKS
    assert junit.CHECKS is options.CHECKS


def test_selected_checks_follow_the_order_of_the_list():
    assert selected_checks(params(checks=["dns", "order", "storage"])) == ["order", "storage", "dns"]
