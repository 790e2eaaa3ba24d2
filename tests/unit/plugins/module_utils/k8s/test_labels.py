# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/k8s/labels.py: the one selector model.

LabelSelector semantics follow metav1.LabelSelectorAsSelector (k8s.io/apimachinery/pkg/apis/meta/v1):
nil selects nothing, {} selects everything, every requirement must hold. A Service's selector is a
plain equality map; a Service without one gets no endpoints (the EndpointSlice controller skips it).
Label keys and values follow IsQualifiedName and IsValidLabelValue (k8s.io/apimachinery/pkg/util/validation).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import (
    InvalidLabel,
    parse_selector_terms,
    selector_matches,
    selector_string,
    selector_terms,
    service_selects,
    validate_label_key,
    validate_label_value,
)

LABELS = {"app": "myapp-pod", "tier": "web"}


@pytest.mark.parametrize("selector, expected", [
    ({"matchLabels": {"app": "myapp-pod"}}, True),
    ({"matchLabels": {"app": "other"}}, False),
    ({"matchLabels": {"app": "myapp-pod", "tier": "web"}}, True),
    ({"matchLabels": {"missing": ""}}, False),
    ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "db"]}]}, True),
    ({"matchExpressions": [{"key": "gone", "operator": "In", "values": ["web"]}]}, False),
    ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["web"]}]}, False),
    ({"matchExpressions": [{"key": "gone", "operator": "NotIn", "values": ["web"]}]}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, True),
    ({"matchExpressions": [{"key": "gone", "operator": "Exists"}]}, False),
    ({"matchExpressions": [{"key": "gone", "operator": "DoesNotExist"}]}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, False),
    # matchLabels and expressions are ANDed
    ({"matchLabels": {"app": "myapp-pod"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["db"]}]},
     False),
    # LabelSelectorAsSelector: an empty selector selects everything, a missing one nothing
    ({}, True),
    (None, False),
])
def test_label_selector_matches_as_the_api_server_does(selector, expected):
    assert selector_matches(selector, LABELS) is expected


def test_label_selector_is_not_a_plain_map():
    # the drifted twin read {matchLabels: {...}} as a label named "matchLabels" and said no
    assert selector_matches({"matchLabels": {"app": "myapp-pod"}}, {"app": "myapp-pod"})
    assert not selector_matches({"matchLabels": {"app": "myapp-pod"}}, {"matchLabels": "x"})


def test_unknown_operator_is_refused():
    with pytest.raises(ValueError, match="unsupported matchExpressions operator 'Near'"):
        selector_matches({"matchExpressions": [{"key": "a", "operator": "Near"}]}, LABELS)


@pytest.mark.parametrize("selector, expected", [
    ({"app": "myapp-pod"}, True),
    ({"app": "myapp-pod", "tier": "web"}, True),
    ({"app": "other"}, False),
    ({"tier": "web", "missing": "x"}, False),
    # a Service without a selector selects no pods
    ({}, False),
    (None, False),
])
def test_service_selector_is_an_equality_map(selector, expected):
    assert service_selects(selector, LABELS) is expected


def test_selector_terms_and_string():
    selector = {
        "matchLabels": {"b": "2", "a": "1"},
        "matchExpressions": [
            {"key": "tier", "operator": "In", "values": ["web", "db"]},
            {"key": "env", "operator": "NotIn", "values": ["dev"]},
            {"key": "owner", "operator": "Exists"},
            {"key": "legacy", "operator": "DoesNotExist"},
        ],
    }
    assert selector_terms(selector) == ["a=1", "b=2", "tier in (web,db)", "env notin (dev)", "owner", "!legacy"]
    assert selector_string(selector) == "a=1,b=2,tier in (web,db),env notin (dev),owner,!legacy"
    assert selector_terms({"matchLabels": {"app": "myapp-pod"}}) == ["app=myapp-pod"]
    assert selector_terms(None) == [] and selector_string({}) == ""
    with pytest.raises(ValueError, match="unsupported"):
        selector_terms({"matchExpressions": [{"key": "a", "operator": "Near"}]})


# --------------------------------------------------------------------------- label keys and values
@pytest.mark.parametrize("key", ["app", "app.kubernetes.io/name", "a_b.c-d", "A1", "stateful.nfs/volume-set"])
def test_label_keys_the_api_accepts(key):
    assert validate_label_key(key, "labels") == key


@pytest.mark.parametrize("key, needle", [
    ("", "label key must be a non-empty string"),
    (None, "label key must be a non-empty string"),
    ("Bad Key", "the name part must be at most 63 characters"),
    ("-app", "the name part must be at most 63 characters"),
    ("x" * 64, "the name part must be at most 63 characters"),
    ("UPPER.example/x", "prefix of label key 'UPPER.example/x'"),
    ("/x", "prefix of label key '/x'"),
])
def test_label_keys_refused_naming_the_field(key, needle):
    with pytest.raises(InvalidLabel) as err:
        validate_label_key(key, "statefulset_pod_labels")
    assert str(err.value).startswith("statefulset_pod_labels")
    assert needle in str(err.value)


@pytest.mark.parametrize("value", ["", "myapp-pod", "X_y.z", "x" * 63])
def test_label_values_the_api_accepts(value):
    assert validate_label_value(value, "labels[app]") == value


@pytest.mark.parametrize("value, needle", [
    (3, "must be a string (quote it)"),
    (True, "must be a string (quote it)"),
    (None, "label value must be a string, got None"),
    ("-x", "label value '-x' must be at most 63 characters"),
    ("x" * 64, "must be at most 63 characters"),
    ("a b", "label value 'a b'"),
])
def test_label_values_refused_naming_the_field(value, needle):
    with pytest.raises(InvalidLabel) as err:
        validate_label_value(value, "labels[app]")
    assert str(err.value).startswith("labels[app]: ")
    assert needle in str(err.value)
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize("items, terms", [
    (["k8s-app=kube-dns"], ["k8s-app=kube-dns"]),
    (["k8s-app==kube-dns", " tier != test "], ["k8s-app=kube-dns", "tier!=test"]),
    (["a=b,c in (x, y),!d", "e", "f notin (g)"], ["a=b", "c in (x,y)", "!d", "e", "f notin (g)"]),
    (["example.com/role=dns", "weight>3", "rank<-1", "empty="], ["example.com/role=dns", "weight>3", "rank<-1",
                                                                 "empty="]),
    ([], []),
])
def test_selector_terms_as_users_write_them(items, terms):
    assert parse_selector_terms(items, "dns_pod_label_selectors") == terms
    # what the list API reads back is what selector_terms writes for the same requirements
    assert parse_selector_terms(selector_terms({"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "tier", "operator": "In", "values": ["a", "b"]}, {"key": "x", "operator": "DoesNotExist"}]}),
        "f") == ["app=web", "tier in (a,b)", "!x"]


@pytest.mark.parametrize("items, needle", [
    ([""], "f[0]: '' is not a label selector term"),
    (["a=b,,c"], "f[0]: '' is not a label selector term"),
    (["ok", "a=b=c"], "f[1]: 'a=b=c' is not a label selector term"),
    (["!a=b"], "f[0]: '!a=b' is not a label selector term"),
    (["a in (x"], "f[0]: 'a in (x' is not a label selector term"),
    (["a in ()"], "f[0]: 'a in ()': in needs at least one value"),
    (["a>x"], "f[0]: 'a>x': > needs an integer value"),
    (["a=-x"], "f[0]: label value '-x'"),
    (["-a=x"], "f[0]: label key '-a'"),
    ([3], "f[0]: must be a label selector string such as k8s-app=kube-dns, got 3"),
])
def test_selector_terms_the_api_would_refuse_are_refused_naming_the_field(items, needle):
    with pytest.raises(InvalidLabel) as err:
        parse_selector_terms(items, "f")
    assert needle in str(err.value)
