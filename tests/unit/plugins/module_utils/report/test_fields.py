# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Field-level diffs, and the noise of live Kubernetes objects left out."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.report.fields import (
    DiffInputError, field_changes, k8s_field_changes, render_changes, strip_k8s_noise)

from .recorded import dry_run, k8s_item


def test_the_statefulset_diff_is_the_two_fields_that_differ(objects):
    sts = objects["statefulset"]
    diff = k8s_item(sts, dry_run(sts))["diff"]
    assert "managedFields" in diff["before"]["metadata"] and "status" in diff["after"]  # what kubernetes.core gives
    assert k8s_field_changes(diff["before"], diff["after"]) == [
        {"path": "spec.replicas", "op": "change", "before": 3, "after": 5},
        {"path": "spec.template.spec.containers[name=nginx].image", "op": "change",
         "before": "registry.k8s.io/nginx-slim:0.8", "after": "registry.k8s.io/nginx-slim:0.9"},
    ]


def test_full_objects_give_the_same_answer_as_the_diff(objects):
    sts = objects["statefulset"]
    assert [c["path"] for c in k8s_field_changes(sts, dry_run(sts))] == [
        "spec.replicas", "spec.template.spec.containers[name=nginx].image"]


def test_only_server_managed_fields_differ_means_no_change(objects):
    sts = objects["statefulset"]
    after = dry_run(sts, replicas=3, image=sts["spec"]["template"]["spec"]["containers"][0]["image"])
    assert k8s_field_changes(sts, after) == []


def test_noise_is_dropped_and_empty_parents_with_it():
    obj = {"metadata": {"name": "a", "resourceVersion": "1", "annotations": {
        "kubectl.kubernetes.io/last-applied-configuration": "{}"}}, "status": {"x": 1}, "spec": {"a": 1}}
    assert strip_k8s_noise(obj) == {"metadata": {"name": "a"}, "spec": {"a": 1}}
    assert strip_k8s_noise({"metadata": {"generation": 2}}) == {}
    assert strip_k8s_noise(None) == {}
    assert obj["status"] == {"x": 1}  # the input is left alone


def test_added_removed_and_quoted_keys_and_lists():
    before = {"metadata": {"labels": {"app.kubernetes.io/name": "a", "old": "x"}},
              "spec": {"ports": [{"containerPort": 80}], "args": ["a", "b"]}}
    after = {"metadata": {"labels": {"app.kubernetes.io/name": "b"}},
             "spec": {"ports": [{"containerPort": 80}, {"containerPort": 443}], "args": ["a"]}}
    changes = field_changes(before, after)
    assert changes == [
        {"path": 'metadata.labels["app.kubernetes.io/name"]', "op": "change", "before": "a", "after": "b"},
        {"path": "metadata.labels.old", "op": "remove", "before": "x", "after": None},
        {"path": "spec.args[1]", "op": "remove", "before": "b", "after": None},
        {"path": "spec.ports[containerPort=443]", "op": "add", "before": None, "after": {"containerPort": 443}},
    ]
    assert render_changes(changes).splitlines() == [
        '~ metadata.labels["app.kubernetes.io/name"]: "a" -> "b"',
        '- metadata.labels.old: "x"',
        '- spec.args[1]: "b"',
        '+ spec.ports[containerPort=443]: {"containerPort": 443}',
    ]


def test_a_changed_scalar_at_the_top():
    assert field_changes(1, 2) == [{"path": ".", "op": "change", "before": 1, "after": 2}]
    assert field_changes({"a": [1]}, {"a": [1]}) == []


@pytest.mark.parametrize("before, after, message", [
    ({"a": object()}, {}, "before: expected a JSON-like value"),
    ({}, {"a": {1, 2}}, "after: expected a JSON-like value"),
])
def test_values_that_are_not_json_are_refused(before, after, message):
    with pytest.raises(DiffInputError, match=message):
        field_changes(before, after)


def test_an_object_that_is_not_a_dict_is_refused():
    with pytest.raises(DiffInputError, match="^obj: expected a Kubernetes object"):
        strip_k8s_noise(["not", "an", "object"])
