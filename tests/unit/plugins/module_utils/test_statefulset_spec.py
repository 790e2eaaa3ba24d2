# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/statefulset_spec.py (pure logic, no cluster)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils import statefulset_spec as spec
from ansible_collections.stateful.nfs.plugins.module_utils.statefulset_spec import SpecError

# The nfs_server role's `nfs_server_exported` facts for the tutorial's four exports (Ganesha, lab).
EXPORTS = [
    {"name": "v%d" % i, "path": "/nfs-data/v%d" % i, "pseudo": "/nfs-data/v%d" % i,
     "server": "127.0.0.1", "port": 2049, "clients": [{"host": "*", "options": ["rw"]}],
     "options": ["rw", "no_root_squash", "sync"]}
    for i in range(1, 5)
]
TUTORIAL_PV_PARAMS = {
    "exports": EXPORTS,
    "capacities": ["1Gi", "1Gi", "2Gi", "2Gi"],
    "mount_options": ["nfsvers=4.1"],
    "volume_set": "tutorial",
}
TUTORIAL_STS = {
    "name": "myapp",
    "namespace": "default",
    "service_name": "statefulset-headless",
    "replicas": 3,
    "selector_labels": {"app": "myapp-pod"},
    "pod_labels": {"app": "myapp-pod"},
    "image": "registry.lab.invalid/k8s/my_nginx:v1",
    "service_ports": [{"port": 80}],
    "volume_claim_templates": [
        {"name": "myappdata", "mount_path": "/usr/share/nginx/html", "storage": "1Gi",
         "access_modes": ["ReadWriteOnce"]},
    ],
}


def sts(**overrides):
    params = copy.deepcopy(TUTORIAL_STS)
    params.update(overrides)
    return spec.render_statefulset(params, prefix="statefulset_")


# --------------------------------------------------------------------------- quantities (k8s/test_quantity.py)
@pytest.mark.parametrize("storage, needle", [
    ("1Gi ", "is not a Kubernetes quantity"),
    ("-1Gi", "must not be negative"),
    ("0", "must be greater than zero"),
    (None, "must be a quantity such as 1Gi"),
])
def test_claim_template_storage_is_refused_naming_the_field(storage, needle):
    vct = dict(TUTORIAL_STS["volume_claim_templates"][0], storage=storage)
    with pytest.raises(SpecError) as err:
        sts(volume_claim_templates=[vct])
    assert "statefulset_volume_claim_templates[0].storage" in str(err.value)
    assert needle in str(err.value)


# --------------------------------------------------------------------------- labels, selectors
def test_labels_accept_prefixed_keys():
    labels = {"app.kubernetes.io/name": "myapp", "tier": "", "a_b.c-d": "X_y.z"}
    assert spec.validate_labels(labels, "labels") == labels


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
        spec.validate_labels(labels, "statefulset_pod_labels")
    assert "statefulset_pod_labels" in str(err.value)
    assert needle in str(err.value)


# --------------------------------------------------------------------------- PersistentVolumes
def test_tutorial_pvs_from_export_facts():
    pvs = spec.render_persistent_volumes(TUTORIAL_PV_PARAMS, prefix="nfs_volumes_")
    assert [pv["metadata"]["name"] for pv in pvs] == ["pv001", "pv002", "pv003", "pv004"]
    assert [pv["spec"]["capacity"]["storage"] for pv in pvs] == ["1Gi", "1Gi", "2Gi", "2Gi"]
    assert pvs[0] == {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": "pv001", "labels": {
            "app.kubernetes.io/managed-by": "stateful.nfs",
            "stateful.nfs/volume-set": "tutorial",
            "stateful.nfs/export": "v1",
        }},
        "spec": {
            "capacity": {"storage": "1Gi"},
            "accessModes": ["ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain",
            "storageClassName": "",
            "nfs": {"server": "127.0.0.1", "path": "/nfs-data/v1"},
            "mountOptions": ["nfsvers=4.1"],
        },
    }


def test_pv_uses_pseudo_path_and_non_default_port():
    exports = [dict(EXPORTS[0], pseudo="/exports/v1", port=12049)]
    pv = spec.render_persistent_volumes({"exports": exports, "mount_options": ["nfsvers=4.1"]})[0]
    assert pv["spec"]["nfs"] == {"server": "127.0.0.1", "path": "/exports/v1"}
    assert pv["spec"]["mountOptions"] == ["nfsvers=4.1", "port=12049"]


def test_pv_without_pseudo_falls_back_to_path_and_default_capacity():
    exports = [dict(EXPORTS[0], pseudo=None), dict(EXPORTS[1], pseudo="")]
    pvs = spec.render_persistent_volumes({"exports": exports, "capacity": "5Gi", "capacities": ["3Gi"]})
    assert [pv["spec"]["nfs"]["path"] for pv in pvs] == ["/nfs-data/v1", "/nfs-data/v2"]
    assert [pv["spec"]["capacity"]["storage"] for pv in pvs] == ["3Gi", "5Gi"]
    assert "mountOptions" not in pvs[0]["spec"]


def test_pv_pinning_binds_each_pv_to_its_ordinal_claim():
    params = dict(TUTORIAL_PV_PARAMS, pin={"statefulset": "myapp", "claim_template": "myappdata",
                                           "namespace": "shop", "ordinal_start": 2})
    pvs = spec.render_persistent_volumes(params)
    assert [pv["spec"]["claimRef"] for pv in pvs] == [
        {"namespace": "shop", "name": "myappdata-myapp-%d" % n} for n in (2, 3, 4, 5)
    ]
    assert [pv["metadata"]["labels"]["stateful.nfs/ordinal"] for pv in pvs] == ["2", "3", "4", "5"]


def test_pv_explicit_list_with_overrides():
    volumes = [
        {"name": "data-a", "server": "nfs.example.org", "path": "/srv/a", "capacity": "10Gi",
         "access_modes": ["ReadWriteMany"], "labels": {"team": "db"}, "mount_options": ["nfsvers=3"]},
        {"server": "nfs.example.org", "path": "/srv/b", "claim_ref": {"namespace": "db", "name": "data-db-0"}},
    ]
    pvs = spec.render_persistent_volumes({"list": volumes, "name_prefix": "nfs-", "name_digits": 2,
                                          "index_start": 7, "mount_options": ["nfsvers=4.2"]})
    assert pvs[0]["metadata"]["name"] == "data-a"
    assert pvs[0]["spec"]["accessModes"] == ["ReadWriteMany"]
    assert pvs[0]["spec"]["mountOptions"] == ["nfsvers=3"]
    assert pvs[0]["metadata"]["labels"]["team"] == "db"
    assert pvs[1]["metadata"]["name"] == "nfs-08"
    assert pvs[1]["spec"]["claimRef"] == {"namespace": "db", "name": "data-db-0"}
    assert pvs[1]["spec"]["mountOptions"] == ["nfsvers=4.2"]


@pytest.mark.parametrize("overrides, field", [
    ({"list": [{"server": "h", "path": "/x"}]}, "nfs_volumes_exports, nfs_volumes_list"),
    ({"capacities": ["1GB"]}, "nfs_volumes_capacities[0]"),
    ({"capacities": ["0"]}, "nfs_volumes_capacities[0]"),
    ({"capacity": "lots"}, "nfs_volumes_capacity"),
    ({"reclaim_policy": "Recycle"}, "nfs_volumes_reclaim_policy"),
    ({"reclaim_policy": "Keep"}, "nfs_volumes_reclaim_policy"),
    ({"access_modes": ["RWO"]}, "nfs_volumes_access_modes[0]"),
    ({"access_modes": []}, "nfs_volumes_access_modes"),
    ({"name_prefix": "PV_"}, "nfs_volumes_name_prefix"),
    ({"mount_options": ["nfsvers=4.1,hard"]}, "nfs_volumes_mount_options[0]"),
    ({"labels": {"bad key": "x"}}, "nfs_volumes_labels"),
    ({"storage_class_name": "Fast_Class"}, "nfs_volumes_storage_class_name"),
    ({"volume_set": ""}, "nfs_volumes_volume_set"),
    ({"pin": {"statefulset": "My_App", "claim_template": "data"}}, "nfs_volumes_pin.statefulset"),
    ({"pin": {"statefulset": "myapp", "claim_template": "data", "ordinal": 1}}, "nfs_volumes_pin"),
    ({"exports": [dict(EXPORTS[0], pseudo="relative/v1")]}, "nfs_volumes_exports[0].pseudo"),
    ({"exports": [dict(EXPORTS[0], server="nfs://host")]}, "nfs_volumes_exports[0].server"),
    ({"exports": [EXPORTS[0], dict(EXPORTS[1], pseudo="/nfs-data/v1")]}, "nfs_volumes_exports[1]"),
    ({"exports": [dict(EXPORTS[0], port=70000)]}, "nfs_volumes_exports[0].port"),
])
def test_pv_invalid_inputs_name_the_field(overrides, field):
    params = dict(TUTORIAL_PV_PARAMS)
    params.update(overrides)
    with pytest.raises(SpecError) as err:
        spec.render_persistent_volumes(params, prefix="nfs_volumes_")
    assert str(err.value).startswith(field), str(err.value)


def test_pv_duplicate_names_refused():
    volumes = [{"name": "pv1", "server": "h", "path": "/a"}, {"name": "pv1", "server": "h", "path": "/b"}]
    with pytest.raises(SpecError, match=r"nfs_volumes_list\[1\].name: PersistentVolume name 'pv1' is used twice"):
        spec.render_persistent_volumes({"list": volumes}, prefix="nfs_volumes_")


def test_pv_unknown_key_in_explicit_list():
    with pytest.raises(SpecError, match=r"list\[0\]: unknown keys capcity"):
        spec.render_persistent_volumes({"list": [{"server": "h", "path": "/a", "capcity": "1Gi"}]})


# --------------------------------------------------------------------------- reclaim
def _live_pv(name, phase, claim=None, uid="u-1", volume_set="tutorial"):
    pv = {"metadata": {"name": name, "labels": {spec.VOLUME_SET_LABEL: volume_set}},
          "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "storageClassName": ""},
          "status": {"phase": phase}}
    if claim:
        pv["spec"]["claimRef"] = {"kind": "PersistentVolumeClaim", "namespace": "default", "name": claim,
                                  "uid": uid, "apiVersion": "v1", "resourceVersion": "42"}
    return pv


def test_reclaim_keeps_claim_name_by_default_and_skips_non_released():
    live = [_live_pv("pv001", "Released", "myappdata-myapp-0"), _live_pv("pv002", "Bound", "myappdata-myapp-1"),
            _live_pv("pv003", "Available")]
    assert spec.reclaim_patches(live) == [{
        "apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv001"},
        "spec": {"claimRef": {"uid": None, "resourceVersion": None}},
    }]


def test_reclaim_release_mode_and_filters():
    live = [_live_pv("pv001", "Released", "a"), _live_pv("pv002", "Released", "b"),
            _live_pv("pv009", "Released", "c", volume_set="other")]
    patches = spec.reclaim_patches(live, mode="release", volume_set="tutorial")
    assert [(p["metadata"]["name"], p["spec"]["claimRef"]) for p in patches] == [("pv001", None), ("pv002", None)]
    assert [p["metadata"]["name"] for p in spec.reclaim_patches(live, names=["pv002"])] == ["pv002"]
    with pytest.raises(SpecError, match="reclaim_mode"):
        spec.reclaim_patches(live, mode="wipe")


# --------------------------------------------------------------------------- StatefulSet
def test_tutorial_statefulset_and_service():
    bundle = sts()
    assert bundle["service"] == {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "statefulset-headless", "namespace": "default"},
        "spec": {"clusterIP": "None", "selector": {"app": "myapp-pod"}, "ports": [{"port": 80}]},
    }
    s = bundle["statefulset"]
    assert s["metadata"] == {"name": "myapp", "namespace": "default"}
    assert s["spec"]["serviceName"] == "statefulset-headless"
    assert s["spec"]["replicas"] == 3
    assert s["spec"]["selector"] == {"matchLabels": {"app": "myapp-pod"}}
    assert s["spec"]["template"]["metadata"] == {"labels": {"app": "myapp-pod"}}
    assert s["spec"]["template"]["spec"]["containers"] == [{
        "name": "myapp", "image": "registry.lab.invalid/k8s/my_nginx:v1",
        "volumeMounts": [{"name": "myappdata", "mountPath": "/usr/share/nginx/html"}],
    }]
    assert s["spec"]["volumeClaimTemplates"] == [{
        "metadata": {"name": "myappdata"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                 "storageClassName": ""},
    }]
    assert s["spec"]["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert s["spec"]["podManagementPolicy"] == "OrderedReady"
    assert s["spec"]["revisionHistoryLimit"] == 10
    assert s["spec"]["minReadySeconds"] == 0
    assert s["spec"]["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    assert "ordinals" not in s["spec"]


def test_every_field_renders():
    bundle = sts(
        replicas="5", update_strategy="RollingUpdate", update_partition=3, pod_management_policy="Parallel",
        revision_history_limit=2, min_ready_seconds=4, ordinals_start=1,
        pvc_retention_when_deleted="Delete", pvc_retention_when_scaled="Retain",
        container_ports=[{"containerPort": 80, "name": "http"}],
        env=[{"name": "A", "value": "1"}, {"name": "B", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
        resources={"requests": {"cpu": "100m", "memory": "64Mi"}},
        readiness_probe={"httpGet": {"path": "/", "port": 80}},
        container_security_context={"runAsNonRoot": True},
        pod_security_context={"fsGroup": 2000},
        pod_labels={"app": "myapp-pod", "tier": "web"},
        pod_annotations={"lab.stateful.nfs/ready-delay": "3s"},
        pod_spec_extra={"terminationGracePeriodSeconds": 5, "volumes": [{"name": "cfg", "emptyDir": {}}]},
        volume_mounts=[{"name": "cfg", "mountPath": "/etc/app"}],
        extra_containers=[{"name": "sidecar", "image": "registry.lab.invalid/sidecar:1"}],
        service_ports=[{"name": "http", "port": 80, "targetPort": "http"}],
        service_publish_not_ready_addresses=True,
        labels={"app.kubernetes.io/part-of": "shop"},
    )
    s = bundle["statefulset"]["spec"]
    assert s["replicas"] == 5
    assert s["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 3}}
    assert s["podManagementPolicy"] == "Parallel"
    assert (s["revisionHistoryLimit"], s["minReadySeconds"], s["ordinals"]) == (2, 4, {"start": 1})
    assert s["persistentVolumeClaimRetentionPolicy"]["whenDeleted"] == "Delete"
    pod = s["template"]["spec"]
    main = pod["containers"][0]
    assert main["ports"] == [{"containerPort": 80, "name": "http"}]
    assert main["env"][1]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    assert main["readinessProbe"] == {"httpGet": {"path": "/", "port": 80}}
    assert main["securityContext"] == {"runAsNonRoot": True}
    assert main["volumeMounts"][1] == {"name": "cfg", "mountPath": "/etc/app"}
    assert pod["securityContext"] == {"fsGroup": 2000}
    assert pod["terminationGracePeriodSeconds"] == 5
    assert [c["name"] for c in pod["containers"]] == ["myapp", "sidecar"]
    assert s["template"]["metadata"]["annotations"] == {"lab.stateful.nfs/ready-delay": "3s"}
    assert bundle["service"]["spec"]["publishNotReadyAddresses"] is True
    assert bundle["service"]["metadata"]["labels"] == {"app.kubernetes.io/part-of": "shop"}


def test_on_delete_has_no_rolling_update_block():
    s = sts(update_strategy="OnDelete")["statefulset"]["spec"]
    assert s["updateStrategy"] == {"type": "OnDelete"}


def test_storage_class_none_is_omitted():
    tpl = dict(TUTORIAL_STS["volume_claim_templates"][0], storage_class_name=None)
    s = sts(volume_claim_templates=[tpl])["statefulset"]["spec"]
    assert "storageClassName" not in s["volumeClaimTemplates"][0]["spec"]


@pytest.mark.parametrize("overrides, field, needle", [
    ({"name": "MyApp"}, "statefulset_name", "lower case"),
    ({"name": "my_app"}, "statefulset_name", "'_'"),
    ({"name": "a" * 53}, "statefulset_name", "at most 52"),
    ({"namespace": "a" * 64}, "statefulset_namespace", "at most 63"),
    ({"service_name": "statefulset.headless"}, "statefulset_service_name", "'.'"),
    ({"replicas": -1}, "statefulset_replicas", ">= 0"),
    ({"replicas": "three"}, "statefulset_replicas", "integer"),
    ({"replicas": True}, "statefulset_replicas", "integer"),
    ({"service_cluster_ip": "10.96.0.20"}, "statefulset_service_cluster_ip", "headless"),
    ({"service_cluster_ip": ""}, "statefulset_service_cluster_ip", "headless"),
    ({"service_type": "NodePort"}, "statefulset_service_type", "ClusterIP"),
    ({"pod_labels": {"app": "other"}}, "statefulset_selector_labels", "does not match"),
    ({"selector_labels": {}}, "statefulset_selector_labels", "non-empty selector"),
    ({"selector_expressions": [{"key": "app", "operator": "In"}]}, "statefulset_selector_expressions[0].values", "empty"),
    ({"selector_expressions": [{"key": "app", "operator": "NotIn", "values": ["myapp-pod"]}]},
     "statefulset_selector_labels", "matchExpressions"),
    ({"update_strategy": "Rollingupdate"}, "statefulset_update_strategy", "RollingUpdate, OnDelete"),
    ({"update_strategy": "OnDelete", "update_partition": 1}, "statefulset_update_partition", "OnDelete"),
    ({"update_partition": -2}, "statefulset_update_partition", ">= 0"),
    ({"pod_management_policy": "Ordered"}, "statefulset_pod_management_policy", "OrderedReady, Parallel"),
    ({"revision_history_limit": -1}, "statefulset_revision_history_limit", ">= 0"),
    ({"min_ready_seconds": -5}, "statefulset_min_ready_seconds", ">= 0"),
    ({"ordinals_start": -1}, "statefulset_ordinals_start", ">= 0"),
    ({"pvc_retention_when_deleted": "Keep"}, "statefulset_pvc_retention_when_deleted", "Retain, Delete"),
    ({"image": ""}, "statefulset_image", "non-empty"),
    ({"image": "nginx latest"}, "statefulset_image", "whitespace"),
    ({"container_name": "Main"}, "statefulset_container_name", "lower case"),
    ({"container_ports": [{"containerPort": 0}]}, "statefulset_container_ports[0].containerPort", ">= 1"),
    ({"container_ports": [{"containerPort": 80, "name": "very-long-port-name"}]},
     "statefulset_container_ports[0].name", "IANA"),
    ({"env": [{"value": "x"}]}, "statefulset_env[0].name", "needs a name"),
    ({"env": [{"name": "N", "value": 5}]}, "statefulset_env[0].value", "quote"),
    ({"resources": {"limits": {"memory": "64MB"}}}, "statefulset_resources.limits.memory", "quantity"),
    ({"service_ports": []}, "statefulset_service_ports", "at least one port"),
    ({"service_ports": [{"port": 80}, {"port": 81}]}, "statefulset_service_ports[0].name", "needs a name"),
    ({"volume_claim_templates": [{"name": "My-Data", "mount_path": "/d"}]},
     "statefulset_volume_claim_templates[0].name", "lower case"),
    ({"volume_claim_templates": [{"name": "d", "mount_path": "d"}]},
     "statefulset_volume_claim_templates[0].mount_path", "absolute"),
    ({"volume_claim_templates": [{"name": "d", "storage": "1GB"}]},
     "statefulset_volume_claim_templates[0].storage", "quantity"),
    ({"volume_claim_templates": [{"name": "d", "access_modes": ["RWX"]}]},
     "statefulset_volume_claim_templates[0].access_modes[0]", "ReadWriteOnce"),
    ({"volume_claim_templates": [{"name": "d", "size": "1Gi"}]},
     "statefulset_volume_claim_templates[0]", "unknown keys size"),
    ({"volume_claim_templates": [{"name": "d"}, {"name": "d"}]},
     "statefulset_volume_claim_templates[1].name", "used twice"),
    ({"volume_mounts": [{"name": "nope", "mountPath": "/x"}]}, "statefulset_volume_mounts[0]", "neither"),
    ({"volume_mounts": [{"name": "myappdata", "mountPath": "/usr/share/nginx/html"}]},
     "statefulset_volume_mounts[0]", "used twice"),
    ({"pod_spec_extra": {"containers": []}}, "statefulset_pod_spec_extra", "own options"),
    ({"pod_security_context": {"fsGroup": -1}}, "statefulset_pod_security_context.fsGroup", ">= 0"),
    ({"extra_containers": [{"name": "myapp", "image": "x"}]}, "statefulset_extra_containers[0].name", "twice"),
])
def test_statefulset_invalid_inputs_name_the_field(overrides, field, needle):
    with pytest.raises(SpecError) as err:
        sts(**overrides)
    message = str(err.value)
    assert message.startswith(field), message
    assert needle in message, message


def test_claim_names_follow_ordinals_start():
    s = sts(replicas=2, ordinals_start=3)["statefulset"]
    assert [(o, n) for o, _t, n in spec.claim_names(s)] == [(3, "myappdata-myapp-3"), (4, "myappdata-myapp-4")]


# --------------------------------------------------------------------------- immutable fields
def _live(statefulset):
    """What the API returns for a rendered StatefulSet: defaults filled in, VCTs decorated."""
    live = copy.deepcopy(statefulset)
    live["metadata"].update({"uid": "1", "resourceVersion": "7", "generation": 1})
    for tpl in live["spec"]["volumeClaimTemplates"]:
        tpl.update({"apiVersion": "v1", "kind": "PersistentVolumeClaim"})
        tpl["spec"]["volumeMode"] = "Filesystem"
        tpl["status"] = {"phase": "Pending"}
    live["status"] = {"replicas": 3}
    return live


def test_no_immutable_change_against_own_live_object():
    bundle = sts()
    live_svc = copy.deepcopy(bundle["service"])
    assert spec.immutable_changes(bundle["statefulset"], _live(bundle["statefulset"]),
                                  bundle["service"], live_svc) == []
    # mutable fields may differ freely
    changed = sts(replicas=5, image="registry.lab.invalid/k8s/my_nginx:v2", update_partition=2,
                  min_ready_seconds=3, ordinals_start=1)["statefulset"]
    assert spec.immutable_changes(changed, _live(bundle["statefulset"])) == []


def test_equal_quantities_are_not_a_change():
    live = _live(sts()["statefulset"])
    live["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"] = "1024Mi"
    assert spec.immutable_changes(sts()["statefulset"], live) == []


@pytest.mark.parametrize("overrides, field", [
    ({"volume_claim_templates": [{"name": "myappdata", "mount_path": "/usr/share/nginx/html", "storage": "2Gi"}]},
     "statefulset.spec.volumeClaimTemplates[myappdata].resources"),
    ({"volume_claim_templates": [{"name": "other", "mount_path": "/d"}]}, "statefulset.spec.volumeClaimTemplates"),
    ({"volume_claim_templates": [{"name": "myappdata", "mount_path": "/usr/share/nginx/html",
                                  "storage_class_name": "fast"}]},
     "statefulset.spec.volumeClaimTemplates[myappdata].storageClassName"),
    ({"service_name": "other-headless"}, "statefulset.spec.serviceName"),
    ({"selector_labels": {"app": "myapp-pod", "v": "2"}, "pod_labels": {"app": "myapp-pod", "v": "2"}},
     "statefulset.spec.selector"),
    ({"pod_management_policy": "Parallel"}, "statefulset.spec.podManagementPolicy"),
])
def test_immutable_changes_detected(overrides, field):
    live = _live(sts()["statefulset"])
    changes = spec.immutable_changes(sts(**overrides)["statefulset"], live)
    assert [c["field"] for c in changes] == [field]
    assert field in changes[0]["message"] and "cannot be changed" in changes[0]["message"]
    assert "Decimal" not in repr(changes), "quantities must leave as plain strings (task results)"


def test_live_service_not_headless_is_an_immutable_change():
    bundle = sts()
    live_svc = copy.deepcopy(bundle["service"])
    live_svc["spec"]["clusterIP"] = "10.96.12.7"
    changes = spec.immutable_changes(bundle["statefulset"], None, bundle["service"], live_svc)
    assert [c["field"] for c in changes] == ["service.spec.clusterIP"]
    assert "not headless" in changes[0]["message"]


def test_no_live_objects_no_changes():
    bundle = sts()
    assert spec.immutable_changes(bundle["statefulset"], None, bundle["service"], None) == []


# --------------------------------------------------------------------------- storage pre-flight
def _pv(name, size, phase="Available", claim=None, uid=None, klass="", modes=("ReadWriteOnce",), labels=None):
    pv = {"metadata": {"name": name, "labels": labels or {}},
          "spec": {"capacity": {"storage": size}, "accessModes": list(modes), "storageClassName": klass,
                   "persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem",
                   "nfs": {"server": "127.0.0.1", "path": "/nfs-data/" + name}},
          "status": {"phase": phase}}
    if claim:
        pv["spec"]["claimRef"] = {"namespace": "default", "name": claim}
        if uid:
            pv["spec"]["claimRef"]["uid"] = uid
    return pv


def _pvc(name, phase="Bound", volume=None, uid="c-uid"):
    pvc = {"metadata": {"name": name, "namespace": "default", "uid": uid},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                    "storageClassName": "", "volumeMode": "Filesystem"},
           "status": {"phase": phase}}
    if volume:
        pvc["spec"]["volumeName"] = volume
    return pvc


TUTORIAL_PVS = [_pv("pv001", "1Gi"), _pv("pv002", "1Gi"), _pv("pv003", "2Gi"), _pv("pv004", "2Gi")]


def test_tutorial_three_replicas_all_bindable():
    assert spec.unbindable_claims(sts()["statefulset"], TUTORIAL_PVS, []) == []


def test_fifth_claim_with_four_pvs_is_named():
    problems = spec.unbindable_claims(sts(replicas=5)["statefulset"], TUTORIAL_PVS, [])
    assert [(p["claim"], p["ordinal"]) for p in problems] == [("myappdata-myapp-4", 4)]
    assert "would stay Pending" in problems[0]["reason"]
    assert "pv004 goes to myappdata-myapp-3" in problems[0]["reason"]
    assert "pv001 goes to myappdata-myapp-0" in problems[0]["reason"]


def test_bound_claims_keep_their_volumes_and_scale_up_uses_the_rest():
    live_pvs = [_pv("pv001", "1Gi", "Bound", "myappdata-myapp-0", "a"), _pv("pv002", "1Gi", "Bound", "myappdata-myapp-1", "b"),
                _pv("pv003", "2Gi", "Bound", "myappdata-myapp-2", "c"), _pv("pv004", "2Gi")]
    claims = [_pvc("myappdata-myapp-%d" % i, volume="pv00%d" % (i + 1)) for i in range(3)]
    assert spec.unbindable_claims(sts(replicas=4)["statefulset"], live_pvs, claims) == []
    problems = spec.unbindable_claims(sts(replicas=5)["statefulset"], live_pvs, claims)
    assert [p["claim"] for p in problems] == ["myappdata-myapp-4"]
    assert "pv001 Bound (claimRef default/myappdata-myapp-0)" in problems[0]["reason"]


def test_released_pv_is_explained():
    live_pvs = [_pv("pv001", "1Gi", "Released", "myappdata-myapp-0", "old-uid")]
    problems = spec.unbindable_claims(sts(replicas=1)["statefulset"], live_pvs, [])
    assert "Released (stale claimRef default/myappdata-myapp-0: run the reclaim action)" in problems[0]["reason"]


def test_pre_bound_pv_wins_and_is_reserved():
    live_pvs = [_pv("pv001", "1Gi", claim="myappdata-myapp-1"), _pv("pv002", "2Gi")]
    assert spec.unbindable_claims(sts(replicas=2)["statefulset"], live_pvs, []) == []
    problems = spec.unbindable_claims(sts(replicas=1)["statefulset"], [live_pvs[0]], [])
    assert "claimRef default/myappdata-myapp-1" in problems[0]["reason"]


def test_capacity_mode_class_and_selector_rules():
    tpl = dict(TUTORIAL_STS["volume_claim_templates"][0], storage="2Gi", selector={"disk": "fast"})
    s = sts(replicas=1, volume_claim_templates=[tpl])["statefulset"]
    live_pvs = [_pv("a", "1Gi", labels={"disk": "fast"}), _pv("b", "4Gi", klass="gold", labels={"disk": "fast"}),
                _pv("c", "4Gi", modes=("ReadOnlyMany",), labels={"disk": "fast"}), _pv("d", "4Gi")]
    reason = spec.unbindable_claims(s, live_pvs, [])[0]["reason"]
    for needle in ("a too small (1Gi)", "c accessModes ReadOnlyMany", "d labels do not match",
                   "(1 of other classes not considered)"):
        assert needle in reason
    assert "b " not in reason.split("[", 1)[1]
    assert spec.unbindable_claims(s, live_pvs + [_pv("e", "3Gi", labels={"disk": "fast"})], []) == []


PROVISIONING = [{"metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
                 "provisioner": "nfs.csi.k8s.io"},
                {"metadata": {"name": "local"}, "provisioner": "kubernetes.io/no-provisioner"}]


def test_class_served_by_a_provisioner_is_not_checked():
    tpl = dict(TUTORIAL_STS["volume_claim_templates"][0], storage_class_name="standard")
    s = sts(volume_claim_templates=[tpl])["statefulset"]
    assert spec.unbindable_claims(s, [], [], PROVISIONING) == []
    # unset class: the default StorageClass provisions
    tpl = dict(TUTORIAL_STS["volume_claim_templates"][0], storage_class_name=None)
    assert spec.unbindable_claims(sts(volume_claim_templates=[tpl])["statefulset"], [], [], PROVISIONING) == []


def test_static_named_classes_are_checked():
    for klass, classes in (("standard", []), ("local", PROVISIONING), ("it-k8s-x", PROVISIONING)):
        tpl = dict(TUTORIAL_STS["volume_claim_templates"][0], storage_class_name=klass)
        s = sts(replicas=2, volume_claim_templates=[tpl])["statefulset"]
        problems = spec.unbindable_claims(s, [_pv("pv1", "1Gi", klass=klass), _pv("pv2", "1Gi")], [], classes)
        assert [p["claim"] for p in problems] == ["myappdata-myapp-1"], klass
        assert "storageClassName %r" % klass in problems[0]["reason"]
    # unset class and no default StorageClass: like ""
    tpl = dict(TUTORIAL_STS["volume_claim_templates"][0], storage_class_name=None)
    problems = spec.unbindable_claims(sts(replicas=1, volume_claim_templates=[tpl])["statefulset"], [], [], [])
    assert "storageClassName ''" in problems[0]["reason"]


def test_no_pvs_at_all():
    problems = spec.unbindable_claims(sts(replicas=1)["statefulset"], [], [])
    assert "there are no PersistentVolumes of class ''" in problems[0]["reason"]


def test_pending_claim_naming_missing_volume():
    claims = [_pvc("myappdata-myapp-0", phase="Pending", volume="gone")]
    problems = spec.unbindable_claims(sts(replicas=1)["statefulset"], TUTORIAL_PVS, claims)
    assert "names volume gone, which does not exist" in problems[0]["reason"]


def test_claim_pattern_and_label_selectors():
    import re
    tpl2 = {"name": "logs", "mount_path": "/var/log/app"}
    s = sts(volume_claim_templates=TUTORIAL_STS["volume_claim_templates"] + [tpl2])["statefulset"]
    pattern = re.compile(spec.claim_pattern(s))
    assert pattern.match("myappdata-myapp-0") and pattern.match("logs-myapp-12")
    for other in ("myappdata-myapp-01", "myappdata-myapp2-0", "data-myapp-0", "myappdata-myapp-"):
        assert not pattern.match(other)
    assert spec.claim_pattern(sts(volume_claim_templates=[])["statefulset"]) is None
