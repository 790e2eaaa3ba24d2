# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The storage check: claim names, binding, pinned volumes, capacity, access modes,
the binder's reason for a Pending claim, and option validation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.validator.storage import (
    check_storage,
    normalize_expected_volumes,
)

PINNED = {"0": "pv001", "1": "pv002", "2": "pv003"}


def run(shot, expected=None):
    return check_storage(shot["statefulset"], shot["pods"], shot["claims"], shot["volumes"],
                         shot["claim_events"], expected)


def test_tutorial_claims_bound_to_the_pinned_volumes(shot):
    result = run(shot, PINNED)
    assert result["status"] == "passed", result["violations"]
    assert [(c["claim"], c["volume"], c["capacity"]) for c in result["claims"]] == [
        ("myappdata-myapp-0", "pv001", "1Gi"), ("myappdata-myapp-1", "pv002", "1Gi"),
        ("myappdata-myapp-2", "pv003", "2Gi")]
    assert result["summary"] == "3 of 3 claims Bound to the expected volumes"


def test_summary_without_expected_volumes_claims_no_expectation(shot):
    result = run(shot)
    assert result["status"] == "passed", result["violations"]
    assert all(c["expected_volume"] is None for c in result["claims"])
    assert result["summary"] == "3 of 3 claims Bound"


def test_summary_with_some_volumes_expected_counts_them(shot):
    assert run(shot, {"0": "pv001"})["summary"] == "3 of 3 claims Bound, 1 of them to the expected volume"
    assert run(shot, {"0": "pv001", "2": "pv003"})["summary"] == \
        "3 of 3 claims Bound, 2 of them to the expected volumes"


def test_claim_bound_to_another_volume_fails(shot):
    result = run(shot, {"0": "pv001", "1": "pv002", "2": "pv004"})
    assert result["status"] == "failed"
    assert result["violations"] == [{"check": "storage", "pod": "myapp-2",
                                     "message": "claim myappdata-myapp-2 of myapp-2 is bound to pv003, expected pv004"}]


def test_pending_claim_reports_the_binder_reason(shot):
    claim = shot["claims"][2]
    claim["spec"].pop("volumeName")
    claim["status"] = {"phase": "Pending"}
    shot["claim_events"] = [
        {"metadata": {"name": "myappdata-myapp-2.187b2c3d4e5f6a7b"},
         "involvedObject": {"kind": "PersistentVolumeClaim", "name": "myappdata-myapp-2", "namespace": "default"},
         "reason": "FailedBinding", "type": "Normal", "count": 4,
         "message": "no persistent volumes available for this claim and no storage class is set",
         "firstTimestamp": "2026-11-27T07:00:02Z", "lastTimestamp": "2026-11-27T07:00:47Z"}]
    result = run(shot)
    assert result["violations"][0]["message"] == (
        "claim myappdata-myapp-2 of myapp-2 is Pending: FailedBinding: no persistent volumes available for this "
        "claim and no storage class is set")
    assert result["claims"][2]["reason"].startswith("FailedBinding")


def test_missing_claim_and_wrong_mount(shot):
    del shot["claims"][1]
    shot["pods"][0]["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"] = "other"
    messages = [v["message"] for v in run(shot)["violations"]]
    assert "myapp-0 mounts claim 'other' for template myappdata, expected myappdata-myapp-0" in messages
    assert "claim myappdata-myapp-1 of myapp-1 does not exist" in messages


def test_capacity_and_access_modes(shot):
    shot["claims"][0]["status"]["capacity"]["storage"] = "512Mi"
    shot["claims"][1]["status"]["accessModes"] = ["ReadOnlyMany"]
    shot["volumes"][1]["spec"]["accessModes"] = ["ReadOnlyMany"]
    messages = [v["message"] for v in run(shot)["violations"]]
    assert "claim myappdata-myapp-0 of myapp-0 has capacity 512Mi, less than the 1Gi requested" in messages
    assert "volume pv002 of claim myappdata-myapp-1 lacks access mode(s) ReadWriteOnce" in messages
    assert "claim myappdata-myapp-1 of myapp-1 lacks access mode(s) ReadWriteOnce (has ReadOnlyMany)" in messages


def test_volume_claim_ref_must_point_back(shot):
    shot["volumes"][0]["spec"]["claimRef"]["name"] = "someone-else"
    messages = [v["message"] for v in run(shot)["violations"]]
    assert messages == ["volume pv001 does not point back at claim default/myappdata-myapp-0 "
                        "(claimRef default/someone-else)"]


def test_no_templates_passes_but_pins_are_an_error(shot):
    shot["statefulset"]["spec"]["volumeClaimTemplates"] = []
    assert run(shot)["status"] == "passed"
    assert "has no volumeClaimTemplates" in run(shot, PINNED)["violations"][0]["message"]


def test_pinned_volume_for_a_pod_that_does_not_exist(shot):
    del shot["pods"][2]
    messages = [v["message"] for v in run(shot, PINNED)["violations"]]
    assert messages == ["myapp-2 does not exist, so its claim myappdata-myapp-2 cannot be bound to the expected "
                        "volume pv003"]


@pytest.mark.parametrize("value,message", [
    ({"x": "pv001"}, "expected_volumes['x']: the key must be a pod ordinal"),
    ({"-1": "pv001"}, "expected_volumes['-1']: the ordinal must be >= 0"),
    ({"0": ["pv001"]}, "expected_volumes['0']: must be a PersistentVolume name or a mapping"),
    ({"0": {"nope": "pv001"}}, "expected_volumes['0']: 'nope' is not a volumeClaimTemplate"),
    ({"0": {"data": ""}}, "expected_volumes['0']['data']: must be a PersistentVolume name"),
    ("pv001", "expected_volumes: must be a mapping"),
])
def test_expected_volumes_errors_name_the_field(value, message):
    with pytest.raises(ValueError) as err:
        normalize_expected_volumes(value, ["data"])
    assert message in str(err.value)


def test_expected_volumes_shapes():
    assert normalize_expected_volumes({"0": "a", 1: "b"}, ["data"]) == {(0, "data"): "a", (1, "data"): "b"}
    assert normalize_expected_volumes({"0": {"data": "a", "logs": "b"}}, ["data", "logs"]) == {
        (0, "data"): "a", (0, "logs"): "b"}
    with pytest.raises(ValueError, match="has 2 volumeClaimTemplates"):
        normalize_expected_volumes({"0": "a"}, ["data", "logs"])
