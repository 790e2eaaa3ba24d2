# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The nfs_volumes and statefulset roles and the site/scale/update/teardown/reclaim playbooks,
on the lab: a real control plane (StatefulSet, PV binder and garbage collector controllers as
upstream), KWOK nodes, NFS-Ganesha on loopback.

Each test uses its own namespace and volume set (Stack in helpers/stacks.py) and removes them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest

from ansible_collections.stateful.nfs.tests.integration.helpers.ansible_runs import LOCAL_INVENTORY, ok, refused, run
from ansible_collections.stateful.nfs.tests.integration.helpers.kube import Kube, k8s_time, ready
from ansible_collections.stateful.nfs.tests.integration.helpers.nfs import nfs_read
from ansible_collections.stateful.nfs.tests.integration.helpers.stacks import (
    Stack,
    StackMaker,
    assert_markers_through_claims,
    claim,
    ready_pods,
    vct,
    write_markers,
)

pytestmark = pytest.mark.lab

IMAGE_V1 = "registry.lab.invalid/k8s/my_nginx:v1"
IMAGE_V2 = "registry.lab.invalid/k8s/my_nginx:v2"


@pytest.fixture
def stacks(lab, kube, playbook, lab_exports):
    """``make(case, **kwargs)``: a Stack on the lab's exports, removed at the end of the test."""
    made = StackMaker(lambda case, **kwargs: Stack(lab, kube, playbook, lab_exports, case, **kwargs))
    yield made
    made.cleanup()


# --------------------------------------------------------------------------- the tutorial, end to end
def test_site_yml_replays_the_tutorial(stacks, kube, lab_exports):
    stack = stacks("site")
    extra = stack.vars()
    del extra["nfs_volumes_exports"]  # site.yml takes them from the nfs_server role's facts

    def site(**kwargs):
        return run(stack.runner, "playbooks/site.yml", extra, inventory=LOCAL_INVENTORY, **kwargs)

    dry = ok(site(check=True, diff=True))
    assert kube.get("namespace", stack.namespace) is None, "check mode created the namespace"
    assert stack.pvs() == {}, "check mode created PersistentVolumes"
    assert "would be created" in dry.output

    ok(site())

    pvs = stack.pvs()
    assert sorted(pvs) == [stack.pv_name(n) for n in (1, 2, 3, 4)]
    for number, (export, size) in enumerate(zip(lab_exports, ["1Gi", "1Gi", "2Gi", "2Gi"]), 1):
        pv = pvs[stack.pv_name(number)]["spec"]
        assert pv["capacity"]["storage"] == size
        assert pv["accessModes"] == ["ReadWriteOnce"]
        assert pv["persistentVolumeReclaimPolicy"] == "Retain"
        assert pv["storageClassName"] == stack.storage_class
        assert pv["nfs"] == {"server": export["server"], "path": export["pseudo"]}
        assert "nfsvers=4.1" in pv["mountOptions"]

    svc = kube.get("service", "statefulset-headless", namespace=stack.namespace)
    assert svc["spec"]["clusterIP"] == "None"
    assert [p["port"] for p in svc["spec"]["ports"]] == [80]
    assert svc["spec"]["selector"] == {"app": "myapp-pod"}

    sts = stack.statefulset()
    assert sts["spec"]["serviceName"] == "statefulset-headless"
    assert sts["spec"]["replicas"] == 3 and sts["status"]["readyReplicas"] == 3
    assert sts["spec"]["podManagementPolicy"] == "OrderedReady"
    vct = sts["spec"]["volumeClaimTemplates"][0]
    assert vct["metadata"]["name"] == "myappdata"
    assert vct["spec"]["resources"]["requests"]["storage"] == "1Gi"
    mounts = sts["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
    assert mounts == [{"name": "myappdata", "mountPath": "/usr/share/nginx/html"}]

    pods = stack.pods()
    assert ready_pods(stack) == ["myapp-0", "myapp-1", "myapp-2"]
    for ordinal in (1, 2):  # created only after the previous pod was Ready (whole seconds)
        previous = [c for c in pods["myapp-%d" % (ordinal - 1)]["status"]["conditions"] if c["type"] == "Ready"][0]
        assert k8s_time(pods["myapp-%d" % ordinal]["metadata"]["creationTimestamp"]) >= k8s_time(previous["lastTransitionTime"])

    # The binder picks the smallest fitting volume: the 1Gi ones for ordinals 0 and 1.
    binding = stack.binding()
    assert sorted(binding) == [claim(0), claim(1), claim(2)]
    assert sorted([binding[claim(0)], binding[claim(1)]]) == [stack.pv_name(1), stack.pv_name(2)]
    assert binding[claim(2)] in (stack.pv_name(3), stack.pv_name(4))
    spare = ({stack.pv_name(3), stack.pv_name(4)} - {binding[claim(2)]}).pop()
    assert stack.pvs()[spare]["status"]["phase"] == "Available"

    again = ok(site())
    assert again.changed == 0, "second run changed something\n%s" % again
    dry = ok(site(check=True, diff=True))
    assert dry.changed == 0, "check mode after convergence reports changes\n%s" % dry


# --------------------------------------------------------------------------- scaling
def test_scale_beyond_volumes_reverse_scale_down_and_back(stacks, kube):
    stack = stacks("scale")
    ok(stack.deploy())
    before = stack.binding()
    claim_uids = dict((name, c["metadata"]["uid"]) for name, c in stack.claims().items())
    assert sorted(before) == [claim(0), claim(1), claim(2)]

    # Default: refused before anything changes, naming the claim that could not bind.
    snapshot = stack.snapshot()
    refused(stack.playbook("scale.yml", statefulset_replicas=5), claim(4), "would stay Pending")
    assert stack.snapshot() == snapshot

    # Opting in: the fifth claim stays Pending and the play says so, quickly.
    stalled = stack.playbook("scale.yml", statefulset_replicas=5, statefulset_storage_check="warn",
                             statefulset_wait_timeout_unbindable=20)
    text = refused(stalled, claim(4))
    assert "Pending" in text
    assert stalled.elapsed < 120, "the stalled scale-up took %.0fs" % stalled.elapsed
    claims = stack.claims()
    assert claims[claim(3)]["status"]["phase"] == "Bound"
    assert claims[claim(4)]["status"]["phase"] == "Pending"
    assert ready_pods(stack) == ["myapp-0", "myapp-1", "myapp-2", "myapp-3"]
    assert not ready(stack.pods()["myapp-4"])

    # 5 -> 1: the highest ordinal goes first, one at a time.
    watch = kube.watch_pods(stack.namespace, stack.selector)
    time.sleep(1.5)
    ok(stack.playbook("scale.yml", statefulset_replicas=1))
    events = Kube.stop_watch(watch)
    deleted = [e["object"]["metadata"]["name"] for e in events if e.get("type") == "DELETED"]
    assert deleted == ["myapp-4", "myapp-3", "myapp-2", "myapp-1"], deleted
    assert sorted(stack.pods()) == ["myapp-0"]
    assert set(stack.claims()) == {claim(n) for n in range(5)}, "scale-down deleted claims"

    # Back to 3: every ordinal gets its own claim and volume again.
    ok(stack.playbook("scale.yml", statefulset_replicas=3))
    assert ready_pods(stack) == ["myapp-0", "myapp-1", "myapp-2"]
    after = stack.binding()
    claims = stack.claims()
    for ordinal in range(3):
        assert after[claim(ordinal)] == before[claim(ordinal)]
        assert claims[claim(ordinal)]["metadata"]["uid"] == claim_uids[claim(ordinal)]
    assert ok(stack.playbook("scale.yml", statefulset_replicas=3)).changed == 0


# --------------------------------------------------------------------------- data
def test_data_survives_statefulset_delete_recreate_and_teardown(stacks, kube):
    stack = stacks("data")
    ok(stack.deploy())
    binding = stack.binding()
    claim_uids = dict((name, c["metadata"]["uid"]) for name, c in stack.claims().items())
    markers = write_markers(stack, range(3))

    # Delete the StatefulSet and the Service (teardown without purge).
    ok(stack.playbook("teardown.yml"))
    assert stack.statefulset() is None and stack.pods() == {}
    assert kube.get("service", "statefulset-headless", namespace=stack.namespace) is None
    assert stack.binding() == binding, "claims changed when the StatefulSet was deleted"
    assert all(pv["status"]["phase"] == "Bound" for name, pv in stack.pvs().items() if name in binding.values())
    assert ok(stack.playbook("teardown.yml")).changed == 0

    # Re-create it: same claims, same volumes, same data per ordinal.
    ok(stack.deploy())
    assert ready_pods(stack) == ["myapp-0", "myapp-1", "myapp-2"]
    assert stack.binding() == binding
    assert dict((n, c["metadata"]["uid"]) for n, c in stack.claims().items()) == claim_uids
    assert_markers_through_claims(stack, markers)

    # Purge: claims and PersistentVolume objects go, the files on the exports stay.
    ok(stack.playbook("teardown.yml", teardown_purge=True))
    assert stack.claims() == {} and stack.pvs() == {}
    for _ordinal, (_filename, content, url) in markers.items():
        assert nfs_read(url) == content


def test_deleted_claims_reclaim_gives_each_ordinal_its_volume_back(stacks):
    stack = stacks("reclaim")
    ok(stack.deploy())
    binding = stack.binding()
    markers = write_markers(stack, range(3))

    ok(stack.deploy(it_deploy_volumes=False, statefulset_state="absent", statefulset_delete_claims=True))
    assert stack.claims() == {}
    released = sorted(name for name, pv in stack.pvs().items() if pv["status"]["phase"] == "Released")
    assert released == sorted(binding.values())

    # Without the reclaim the pre-flight names the stale claimRefs instead of letting claims hang.
    refused(stack.deploy(), "run the reclaim action")

    reclaimed = ok(stack.playbook("reclaim.yml"))
    assert reclaimed.changed > 0
    pvs = stack.pvs()
    for name in released:
        kube_ref = pvs[name]["spec"]["claimRef"]
        assert "uid" not in kube_ref and kube_ref["namespace"] == stack.namespace
    stack.kube.wait_for(lambda: all(stack.pvs()[n]["status"]["phase"] == "Available" for n in released),
                        what="reclaimed volumes to turn Available")
    assert ok(stack.playbook("reclaim.yml")).changed == 0

    ok(stack.deploy())
    assert stack.binding() == binding, "an ordinal landed on another ordinal's volume"
    assert_markers_through_claims(stack, markers)


def test_pinned_volumes_bind_ordinal_n_to_volume_n(stacks):
    stack = stacks("pin")
    pin = {"statefulset": "myapp", "claim_template": "myappdata", "namespace": stack.namespace, "ordinal_start": 0}
    # Sizes chosen so that the binder alone would pick differently (smallest first).
    ok(stack.deploy(nfs_volumes_pin=pin, nfs_volumes_capacities=["2Gi", "2Gi", "1Gi", "1Gi"]))
    assert stack.binding() == dict((claim(n), stack.pv_name(n + 1)) for n in range(3))
    assert stack.pvs()[stack.pv_name(4)]["spec"]["claimRef"]["name"] == claim(3)
    assert ok(stack.deploy(nfs_volumes_pin=pin, nfs_volumes_capacities=["2Gi", "2Gi", "1Gi", "1Gi"])).changed == 0


# --------------------------------------------------------------------------- updates
def test_canary_update_stops_at_the_partition_then_promotes(stacks):
    stack = stacks("update")
    ok(stack.deploy())
    assert set(stack.images().values()) == {IMAGE_V1}

    ok(stack.playbook("update.yml", statefulset_image=IMAGE_V2, update_promote=False))
    sts = stack.statefulset()
    assert sts["spec"]["updateStrategy"]["rollingUpdate"]["partition"] == 2
    assert stack.images() == {"myapp-0": IMAGE_V1, "myapp-1": IMAGE_V1, "myapp-2": IMAGE_V2}
    assert sts["status"]["updatedReplicas"] == 1
    assert sts["status"]["currentRevision"] != sts["status"]["updateRevision"]
    assert ok(stack.playbook("update.yml", statefulset_image=IMAGE_V2, update_promote=False)).changed == 0
    assert stack.images()["myapp-1"] == IMAGE_V1

    ok(stack.playbook("update.yml", statefulset_image=IMAGE_V2))
    assert stack.statefulset()["spec"]["updateStrategy"]["rollingUpdate"]["partition"] == 0
    assert set(stack.images().values()) == {IMAGE_V2}
    assert ready_pods(stack) == ["myapp-0", "myapp-1", "myapp-2"]
    assert ok(stack.playbook("update.yml", statefulset_image=IMAGE_V2)).changed == 0


def test_recreate_option_keeps_pods_and_claims(stacks):
    stack = stacks("recreate")
    ok(stack.deploy())
    sts_uid = stack.statefulset()["metadata"]["uid"]
    pod_uids = dict((n, p["metadata"]["uid"]) for n, p in stack.pods().items())
    claim_uids = dict((n, c["metadata"]["uid"]) for n, c in stack.claims().items())

    refused(stack.deploy(statefulset_pod_management_policy="Parallel"), "statefulset.spec.podManagementPolicy")
    assert stack.statefulset()["metadata"]["uid"] == sts_uid

    ok(stack.deploy(statefulset_pod_management_policy="Parallel", statefulset_recreate=True))
    sts = stack.statefulset()
    assert sts["metadata"]["uid"] != sts_uid and sts["spec"]["podManagementPolicy"] == "Parallel"
    assert dict((n, p["metadata"]["uid"]) for n, p in stack.pods().items()) == pod_uids, "pods were restarted"
    assert dict((n, c["metadata"]["uid"]) for n, c in stack.claims().items()) == claim_uids
    assert all(ref["uid"] == sts["metadata"]["uid"] for p in stack.pods().values() for ref in p["metadata"]["ownerReferences"])
    assert ok(stack.deploy(statefulset_pod_management_policy="Parallel")).changed == 0


# --------------------------------------------------------------------------- refusals
@pytest.fixture(scope="module")
def baseline(lab, kube, playbook, lab_exports):
    stack = Stack(lab, kube, playbook, lab_exports, "refuse")
    try:
        ok(stack.deploy())
        yield stack
    finally:
        stack.cleanup()


INVALID = [
    ("deploy", {"statefulset_name": "My_App"}, "statefulset_name: 'My_App' must be lower case"),
    ("deploy", {"statefulset_pod_labels": {"app": "other"}}, "statefulset_selector_labels: the selector"),
    ("deploy", {"statefulset_replicas": -1}, "statefulset_replicas: must be >= 0"),
    ("deploy", {"statefulset_service_cluster_ip": "10.96.0.50"}, "statefulset_service_cluster_ip: the Service"),
    ("deploy", {"statefulset_update_strategy": "OnDelete", "statefulset_update_partition": 1},
     "statefulset_update_partition: a partition only applies to RollingUpdate"),
    ("deploy", {"statefulset_volume_claim_templates": [vct(name="Data")]},
     "statefulset_volume_claim_templates[0].name"),
    ("deploy", {"statefulset_service_name": "other-headless"}, "statefulset.spec.serviceName cannot be changed"),
    ("deploy", {"statefulset_volume_claim_templates": [vct(storage="2Gi")]},
     "statefulset.spec.volumeClaimTemplates[myappdata].resources cannot be changed"),
    ("deploy", {"statefulset_pod_management_policy": "Parallel"}, "statefulset.spec.podManagementPolicy cannot be changed"),
    ("deploy", {"statefulset_selector_labels": {"app": "myapp-pod", "tier": "web"},
                "statefulset_pod_labels": {"app": "myapp-pod", "tier": "web"}}, "statefulset.spec.selector cannot be changed"),
    ("scale.yml", {"statefulset_replicas": 6}, "myappdata-myapp-4"),
    ("deploy", {"statefulset_namespace": "it-k8s-absent-namespace", "statefulset_create_namespace": False},
     "statefulset_namespace: namespace it-k8s-absent-namespace does not exist"),
    ("deploy", {"nfs_volumes_reclaim_policy": "Recycle"}, "nfs_volumes_reclaim_policy"),
    ("deploy", {"nfs_volumes_capacities": ["1GB"]}, "nfs_volumes_capacities[0]: '1GB' is not a Kubernetes quantity"),
    ("deploy", {"nfs_volumes_exports": [], "nfs_volumes_list": [{"server": "127.0.0.1", "path": "/a"},
                                                                {"server": "127.0.0.1", "path": "/a"}]},
     "nfs_volumes_list[1]: export 127.0.0.1:/a is already used"),
    ("deploy", {"nfs_volumes_mount_options": ["nfsvers=4.1,hard"]}, "nfs_volumes_mount_options[0]"),
    # Pass-through keys the role or the StatefulSet controller owns (issue 13). Before they were refused, the
    # first four reached the cluster: a new pod template, a rolling restart, and the controller overwrote the
    # value on every pod anyway (the image was replaced). The claim-named volume and the claim label were
    # refused, but without naming the role's own option.
    ("deploy", {"statefulset_pod_spec_extra": {"subdomain": "x"}},
     "statefulset_pod_spec_extra.subdomain: set by the StatefulSet controller from statefulset_service_name; remove it"),
    ("deploy", {"statefulset_pod_spec_extra": {"hostname": "x"}},
     "statefulset_pod_spec_extra.hostname: set by the StatefulSet controller to the pod name"),
    ("deploy", {"statefulset_container_extra": {"image": IMAGE_V2}},
     "statefulset_container_extra.image: rendered by the role from statefulset_image; set that instead"),
    ("deploy", {"statefulset_pod_labels": {"app": "myapp-pod", "controller-revision-hash": "x"}},
     "statefulset_pod_labels[controller-revision-hash]: set on every pod by the StatefulSet controller"),
    ("deploy", {"statefulset_pod_spec_extra": {"volumes": [{"name": "myappdata", "emptyDir": {}}]}},
     "statefulset_pod_spec_extra.volumes[0].name: 'myappdata' is a claim template of statefulset_volume_claim_templates"),
    ("deploy", {"statefulset_volume_claim_templates": [vct(labels={"app": "data"})]},
     "statefulset_volume_claim_templates[0].labels[app]: set on every claim by the StatefulSet controller from "
     "statefulset_selector_labels"),
]


@pytest.mark.parametrize("playbook_name, overrides, needle", INVALID, ids=["%02d" % i for i in range(len(INVALID))])
def test_invalid_input_is_refused_and_changes_nothing(baseline, kube, playbook_name, overrides, needle):
    before = baseline.snapshot()
    overrides = dict(overrides)
    if "statefulset_volume_claim_templates" in overrides:
        overrides["statefulset_volume_claim_templates"] = [
            dict(t, storage_class_name=baseline.storage_class) for t in overrides["statefulset_volume_claim_templates"]]
    if playbook_name == "deploy":
        outcome = baseline.deploy(**overrides)
    else:
        outcome = baseline.playbook(playbook_name, **overrides)
    refused(outcome, needle)
    assert baseline.snapshot() == before, "a refused run changed the cluster"
    assert kube.get("namespace", "it-k8s-absent-namespace") is None


def test_service_that_is_not_headless_is_refused(stacks, kube):
    stack = stacks("svc")
    kube.run("create", "namespace", stack.namespace)
    kube.run("create", "service", "clusterip", "statefulset-headless", "--tcp=80:80", "-n", stack.namespace)
    before = stack.snapshot()
    refused(stack.deploy(it_deploy_volumes=False), "service.spec.clusterIP cannot be changed", "not headless")
    assert stack.snapshot() == before and stack.statefulset() is None
