# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/manifests/fields.py: labels, annotations, selectors."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import SpecError, validate_labels


# --------------------------------------------------------------------------- labels, selectors
def test_labels_accept_prefixed_keys():
    labels = {"app.kubernetes.io/name": "myapp", "tier": "", "a_b.c-d": "X_y.z"}
    assert validate_labels(labels, "labels") == labels


@pytest.mark.parametrize("labels, needle", [
    ({"Bad Key": "x"}, "label key 'Bad Key'"),
    ({"UPPER.example/x": "x"}, "prefix of label key"),
    ({"app": "-x"}, "label value '-x'"),
    ({"app": "x" * 64}, "at most 63"),
    ({"app": 3}, "must be a string"),
    ({"app": True}, "must be a string"),
])
def test_labels_rejected_with_field(labels, needle):
    with pytest.raises(SpecError) as err:
        validate_labels(labels, "statefulset_pod_labels")
    assert "statefulset_pod_labels" in str(err.value)
    assert needle in str(err.value)
