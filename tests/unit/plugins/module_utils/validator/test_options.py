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
from ansible_collections.stateful.nfs.plugins.module_utils.validator.options import (
    check_params,
    dns_transport,
    selected_checks,
)
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
    ({"dns_server": " "}, "dns_server: must not be empty (leave it unset to ask the cluster DNS through the API"),
    ({"dns_transport": "direct", "dns_server": None}, "dns_server: required with dns_transport=direct"),
    ({"dns_transport": "api"}, "dns_server: not used with dns_transport=api, which asks a cluster DNS pod through "
                               "the API server"),
    ({"dns_server": None, "dns_pod_namespace": "Kube_System"}, "dns_pod_namespace: 'Kube_System' must be lower case"),
    ({"dns_server": None, "dns_pod_label_selectors": []}, "dns_pod_label_selectors: give at least one label selector"),
    ({"dns_server": None, "dns_pod_label_selectors": ["k8s-app=kube-dns", "tier=a=b"]},
     "dns_pod_label_selectors[1]: 'tier=a=b' is not"),
    ({"dns_server": None, "dns_pod_label_selectors": ["k8s-app = kube dns"]},
     "dns_pod_label_selectors[0]: 'k8s-app = kube dns' is not a label selector term"),
    ({"dns_server": None, "dns_pod_label_selectors": ["app in ()"]},
     "dns_pod_label_selectors[0]: 'app in ()': in needs at least one value"),
    ({"dns_pod_port": 0}, "dns_pod_port: must be between 1 and 65535, got 0"),
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


@pytest.mark.parametrize("transport,server,path", [
    ("auto", None, "api"), ("auto", "10.96.0.10", "direct"), ("api", None, "api"), ("direct", "127.0.0.1", "direct"),
])
def test_the_dns_path_follows_dns_server_unless_told(transport, server, path):
    given = params(dns_transport=transport, dns_server=server)
    check_params(given)
    assert dns_transport(given) == path


def test_the_resolver_options_are_declared_once():
    """The argument spec and the stateful.nfs.dns_resolver fragment agree on every resolver option."""
    from ansible_collections.stateful.nfs.plugins.doc_fragments.dns_resolver import ModuleDocFragment

    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert sorted(documented) == sorted(options.DNS_RESOLVER_ARG_SPEC)
    for name, spec in options.DNS_RESOLVER_ARG_SPEC.items():
        for key in ("type", "default", "choices", "elements"):
            assert documented[name].get(key) == spec.get(key), (name, key)
    assert options.DNS_RESOLVER_ARG_SPEC["dns_server"].get("default") is None
    assert documented["dns_transport"]["choices"] == list(options.DNS_TRANSPORTS)
