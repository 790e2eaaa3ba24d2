# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/manifests/plans.py: what the roles read from the plans instead
of computing it in Jinja - the wait timeouts' check, the namespace, what the apply sends, what check
mode cannot dry-run, how long to wait, which volumes are still bound."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import SpecError
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.plans import (
    PlanFailure,
    manifest_plan,
    preflight_plan,
    pv_plan,
)
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.manifests.tutorial import TUTORIAL_STS, sts

NAMESPACE = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default", "uid": "n-1"}}


def manifest(**overrides):
    params = dict(copy.deepcopy(TUTORIAL_STS), field_prefix="statefulset_")
    params.update(overrides)
    return manifest_plan(params)


def preflight(bundle=None, **overrides):
    bundle = bundle or sts()
    params = {"statefulset": bundle["statefulset"], "service": bundle["service"], "storage_check": "skip",
              "field_prefix": "statefulset_"}
    params.update(overrides)
    return preflight_plan(params)


def _available(name, size="1Gi"):
    return {"metadata": {"name": name},
            "spec": {"capacity": {"storage": size}, "accessModes": ["ReadWriteOnce"], "storageClassName": ""},
            "status": {"phase": "Available"}}


# --------------------------------------------------------------------------- wait timeouts
@pytest.mark.parametrize("overrides, message", [
    ({"wait_timeout": 0},
     "statefulset_wait_timeout: must be a positive number of seconds, got 0; nothing was changed"),
    ({"wait_timeout_unbindable": -3},
     "statefulset_wait_timeout_unbindable: must be a positive number of seconds, got -3; nothing was changed"),
    ({"wait_timeout": 0, "wait_timeout_unbindable": 0},
     "statefulset_wait_timeout: must be a positive number of seconds, got 0; "
     "statefulset_wait_timeout_unbindable: must be a positive number of seconds, got 0; nothing was changed"),
    # checked before the manifest, as the role's first task did
    ({"wait_timeout": 0, "replicas": -1},
     "statefulset_wait_timeout: must be a positive number of seconds, got 0; nothing was changed"),
])
def test_wait_timeouts_are_refused_before_anything_else(overrides, message):
    with pytest.raises(SpecError) as err:
        manifest(**overrides)
    assert str(err.value) == message
    with pytest.raises(SpecError) as err:
        preflight(**dict((k, v) for k, v in overrides.items() if k.startswith("wait_")))
    assert str(err.value) == message


def test_manifest_without_timeouts_renders_as_before():
    assert manifest()["statefulset"] == sts()["statefulset"]
    assert manifest(wait_timeout=1, wait_timeout_unbindable=1)["service"] == sts()["service"]


# --------------------------------------------------------------------------- namespace and apply
def test_apply_is_service_then_statefulset_when_the_namespace_exists():
    bundle = sts()
    for live in ({"live_namespace": NAMESPACE}, {}):  # left out: not looked up, taken to exist
        out = preflight(bundle, **live)
        assert out["apply"] == [bundle["service"], bundle["statefulset"]]
        assert out["dry_run_blocker"] == ""


def test_live_rollout_complete_is_the_live_statefulsets_own_status():
    bundle = sts()
    assert preflight(bundle)["live_rollout_complete"] is False  # nothing live yet
    live = copy.deepcopy(bundle["statefulset"])
    live["metadata"].update(generation=4, uid="s-1")
    live["status"] = {"observedGeneration": 4, "replicas": 3, "readyReplicas": 3, "availableReplicas": 3,
                      "currentRevision": "myapp-1", "updateRevision": "myapp-1", "updatedReplicas": 3}
    assert preflight(bundle, live_statefulset=live)["live_rollout_complete"] is True
    live["status"]["readyReplicas"] = 2
    assert preflight(bundle, live_statefulset=live)["live_rollout_complete"] is False


def test_missing_namespace_is_refused_naming_the_variables():
    with pytest.raises(SpecError) as err:
        preflight(live_namespace={})
    assert not isinstance(err.value, PlanFailure)
    assert str(err.value) == ("statefulset_namespace: namespace default does not exist; create it or set "
                              "statefulset_create_namespace=true")


def test_missing_namespace_is_created_first_and_check_mode_says_so():
    bundle = sts()
    out = preflight(bundle, live_namespace={}, create_namespace=True)
    assert out["apply"] == [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}},
                            bundle["service"], bundle["statefulset"]]
    assert out["dry_run_blocker"] == "namespace default does not exist yet and would be created"


def test_recreate_is_what_check_mode_cannot_dry_run():
    live = sts()["statefulset"]
    changed = sts(service_name="other-headless")
    with pytest.raises(PlanFailure) as err:
        preflight(changed, live_statefulset=live)
    assert err.value.result["dry_run_blocker"].endswith("re-created for: statefulset.spec.serviceName")
    out = preflight(changed, live_statefulset=live, recreate=True)
    assert out["dry_run_blocker"] == ("the StatefulSet/Service would be deleted (orphaning pods and claims) and "
                                      "re-created for: statefulset.spec.serviceName")
    assert out["recreate_statefulset"] is True
    # a missing namespace is named first (nothing to re-create in it)
    assert preflight(changed, live_namespace={}, create_namespace=True, live_statefulset=live,
                     recreate=True)["dry_run_blocker"].startswith("namespace default does not exist yet")


# --------------------------------------------------------------------------- check mode and the wait
def test_check_mode_turns_a_storage_refusal_into_a_warning():
    bundle = sts(replicas=2)
    with pytest.raises(PlanFailure) as err:
        preflight(bundle, storage_check="fail", persistent_volumes=[])
    assert "statefulset_storage_check=warn" in str(err.value)
    out = preflight(bundle, storage_check="fail", persistent_volumes=[], check_mode=True)
    assert [c["claim"] for c in out["unbindable_claims"]] == ["myappdata-myapp-0", "myappdata-myapp-1"]
    assert len(out["warnings"]) == 2
    assert preflight(bundle, storage_check="skip", persistent_volumes=[], check_mode=True)["unbindable_claims"] == []


@pytest.mark.parametrize("volumes, timeouts, expected", [
    (2, {}, 300),
    (2, {"wait_timeout": 45}, 45),
    (1, {}, 30),
    (1, {"wait_timeout": 90, "wait_timeout_unbindable": 20}, 20),
    # the shorter of the two: never longer than statefulset_wait_timeout
    (1, {"wait_timeout": 10, "wait_timeout_unbindable": 30}, 10),
])
def test_wait_timeout_is_cut_when_a_claim_cannot_bind(volumes, timeouts, expected):
    pvs = [_available("pv%03d" % n) for n in range(volumes)]
    out = preflight(sts(replicas=2), storage_check="warn", persistent_volumes=pvs, **timeouts)
    assert out["wait_timeout"] == expected


# --------------------------------------------------------------------------- volumes still bound
def test_pv_plan_names_the_volumes_still_bound():
    live = [
        {"metadata": {"name": "pv001", "labels": {"stateful.nfs/volume-set": "tutorial"}},
         "spec": {"claimRef": {"namespace": "default", "name": "myappdata-myapp-0"}}, "status": {"phase": "Bound"}},
        {"metadata": {"name": "pv002", "labels": {"stateful.nfs/volume-set": "tutorial"}},
         "spec": {}, "status": {"phase": "Available"}},
    ]
    out = pv_plan({"live_volumes": live, "volume_set": "tutorial"})
    assert out["volumes"] == [] and out["reclaim"] == []
    assert out["bound"] == ["pv001 is Bound to default/myappdata-myapp-0"]
    assert pv_plan({"live_volumes": live, "volume_set": "other"})["bound"] == []
