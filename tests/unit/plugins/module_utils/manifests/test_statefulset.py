# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/manifests/statefulset.py: the StatefulSet, its headless
Service and the claims its templates give the pods."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.statefulset import claim_names, claim_pattern
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.manifests.tutorial import TUTORIAL_STS, refusal, sts


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
    ({"service_ports": []}, "statefulset_service_ports", "at least one port"),
    ({"service_ports": [{"port": 80}, {"port": 81}]}, "statefulset_service_ports[0].name", "needs a name"),
])
def test_statefulset_invalid_inputs_name_the_field(overrides, field, needle):
    message = refusal(**overrides)
    assert message.startswith(field), message
    assert needle in message, message


def test_claim_names_follow_ordinals_start():
    s = sts(replicas=2, ordinals_start=3)["statefulset"]
    assert [(o, n) for o, _t, n in claim_names(s)] == [(3, "myappdata-myapp-3"), (4, "myappdata-myapp-4")]


def test_claim_pattern_and_label_selectors():
    tpl2 = {"name": "logs", "mount_path": "/var/log/app"}
    s = sts(volume_claim_templates=TUTORIAL_STS["volume_claim_templates"] + [tpl2])["statefulset"]
    pattern = re.compile(claim_pattern(s))
    assert pattern.match("myappdata-myapp-0") and pattern.match("logs-myapp-12")
    for other in ("myappdata-myapp-01", "myappdata-myapp2-0", "data-myapp-0", "myappdata-myapp-"):
        assert not pattern.match(other)
    assert claim_pattern(sts(volume_claim_templates=[])["statefulset"]) is None
