# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/manifests/pod.py: the pod template (containers, ports, env,
volume claim templates, mounts, the pass-throughs and the keys they may not set), through the
StatefulSet it is part of."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import SpecError
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.statefulset import render_statefulset
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.manifests.tutorial import TUTORIAL_STS, refusal, sts


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


def test_storage_class_none_is_omitted():
    tpl = dict(TUTORIAL_STS["volume_claim_templates"][0], storage_class_name=None)
    s = sts(volume_claim_templates=[tpl])["statefulset"]["spec"]
    assert "storageClassName" not in s["volumeClaimTemplates"][0]["spec"]


@pytest.mark.parametrize("overrides, field, needle", [
    ({"image": ""}, "statefulset_image", "non-empty"),
    ({"image": "nginx latest"}, "statefulset_image", "whitespace"),
    ({"container_name": "Main"}, "statefulset_container_name", "lower case"),
    ({"container_ports": [{"containerPort": 0}]}, "statefulset_container_ports[0].containerPort", ">= 1"),
    ({"container_ports": [{"containerPort": 80, "name": "very-long-port-name"}]},
     "statefulset_container_ports[0].name", "IANA"),
    ({"env": [{"value": "x"}]}, "statefulset_env[0].name", "needs a name"),
    ({"env": [{"name": "N", "value": 5}]}, "statefulset_env[0].value", "quote"),
    ({"resources": {"limits": {"memory": "64MB"}}}, "statefulset_resources.limits.memory", "quantity"),
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
    ({"pod_spec_extra": {"containers": []}}, "statefulset_pod_spec_extra.containers", "statefulset_extra_containers"),
    ({"pod_security_context": {"fsGroup": -1}}, "statefulset_pod_security_context.fsGroup", ">= 0"),
    ({"extra_containers": [{"name": "myapp", "image": "x"}]}, "statefulset_extra_containers[0].name", "twice"),
])
def test_pod_template_invalid_inputs_name_the_field(overrides, field, needle):
    message = refusal(**overrides)
    assert message.startswith(field), message
    assert needle in message, message


# --------------------------------------------------------------------------- pass-through keys the role owns
@pytest.mark.parametrize("overrides, message", [
    ({"pod_spec_extra": {"subdomain": "x"}},
     "statefulset_pod_spec_extra.subdomain: set by the StatefulSet controller from statefulset_service_name; remove it"),
    # the same value as the role's option changes the pod template all the same
    ({"pod_spec_extra": {"subdomain": "statefulset-headless"}},
     "statefulset_pod_spec_extra.subdomain: set by the StatefulSet controller from statefulset_service_name; remove it"),
    ({"pod_spec_extra": {"hostname": "myapp"}},
     "statefulset_pod_spec_extra.hostname: set by the StatefulSet controller to the pod name, <statefulset_name>-<ordinal> "
     "(its DNS name is <pod>.<statefulset_service_name>); remove it"),
    ({"pod_spec_extra": {"containers": [{"name": "x", "image": "x"}]}},
     "statefulset_pod_spec_extra.containers: rendered by the role from statefulset_extra_containers (sidecars) and the "
     "main container's own options (statefulset_image, statefulset_command, statefulset_container_extra, ...); "
     "set those instead"),
    ({"pod_spec_extra": {"securityContext": {"fsGroup": 2000}}},
     "statefulset_pod_spec_extra.securityContext: rendered by the role from statefulset_pod_security_context; "
     "set that instead"),
    ({"pod_spec_extra": {"volumes": [{"name": "cfg", "emptyDir": {}}, {"name": "myappdata", "emptyDir": {}}]}},
     "statefulset_pod_spec_extra.volumes[1].name: 'myappdata' is a claim template of statefulset_volume_claim_templates; "
     "the StatefulSet controller replaces that volume with the pod's claim; rename it or remove it"),
    ({"container_extra": {"image": "registry.lab.invalid/k8s/my_nginx:v2"}},
     "statefulset_container_extra.image: rendered by the role from statefulset_image; set that instead"),
    ({"container_extra": {"name": "main"}},
     "statefulset_container_extra.name: rendered by the role from statefulset_container_name; set that instead"),
    ({"container_extra": {"env": []}},
     "statefulset_container_extra.env: rendered by the role from statefulset_env; set that instead"),
    ({"container_extra": {"securityContext": {"runAsNonRoot": True}}},
     "statefulset_container_extra.securityContext: rendered by the role from statefulset_container_security_context; "
     "set that instead"),
    ({"container_extra": {"volumeMounts": []}},
     "statefulset_container_extra.volumeMounts: rendered by the role from statefulset_volume_mounts and the mount_path "
     "of statefulset_volume_claim_templates; set those instead"),
    ({"volume_claim_templates": [{"name": "myappdata", "labels": {"app": "data", "tier": "db"}}]},
     "statefulset_volume_claim_templates[0].labels[app]: set on every claim by the StatefulSet controller from "
     "statefulset_selector_labels (app=myapp-pod), so 'data' would never reach a claim; remove it"),
    ({"pod_labels": {"app": "myapp-pod", "controller-revision-hash": "myapp-1"}},
     "statefulset_pod_labels[controller-revision-hash]: set on every pod by the StatefulSet controller "
     "(the pod's revision); remove it"),
    ({"pod_labels": {"app": "myapp-pod", "statefulset.kubernetes.io/pod-name": "myapp-0"}},
     "statefulset_pod_labels[statefulset.kubernetes.io/pod-name]: set on every pod by the StatefulSet controller "
     "(the pod's name, <statefulset_name>-<ordinal>); remove it"),
    ({"pod_labels": {"app": "myapp-pod", "apps.kubernetes.io/pod-index": "0"}},
     "statefulset_pod_labels[apps.kubernetes.io/pod-index]: set on every pod by the StatefulSet controller "
     "(the pod's ordinal); remove it"),
])
def test_pass_through_keys_the_role_owns_are_refused_naming_its_option(overrides, message):
    with pytest.raises(SpecError) as err:
        sts(**overrides)
    assert str(err.value) == message


@pytest.mark.parametrize("key, option", [
    ("args", "statefulset_args"), ("command", "statefulset_command"), ("envFrom", "statefulset_env_from"),
    ("imagePullPolicy", "statefulset_image_pull_policy"), ("livenessProbe", "statefulset_liveness_probe"),
    ("ports", "statefulset_container_ports"), ("readinessProbe", "statefulset_readiness_probe"),
    ("resources", "statefulset_resources"), ("startupProbe", "statefulset_startup_probe"),
])
def test_every_container_key_the_role_renders_is_refused_in_container_extra(key, option):
    with pytest.raises(SpecError) as err:
        sts(container_extra={key: {}})
    assert str(err.value) == "statefulset_container_extra.%s: rendered by the role from %s; set that instead" % (key, option)


def test_every_owned_key_is_named_in_one_message():
    with pytest.raises(SpecError) as err:
        sts(pod_spec_extra={"subdomain": "x", "hostname": "y", "tolerations": []}, container_extra={"image": "z"})
    fields = [part.split(":", 1)[0] for part in str(err.value).split("; ") if part.startswith("statefulset_")]
    assert fields == ["statefulset_pod_spec_extra.hostname", "statefulset_pod_spec_extra.subdomain",
                      "statefulset_container_extra.image"]


def test_refusals_without_a_prefix_name_the_module_options():
    params = dict(TUTORIAL_STS, pod_spec_extra={"subdomain": "x"})
    with pytest.raises(SpecError) as err:
        render_statefulset(params)
    assert str(err.value) == "pod_spec_extra.subdomain: set by the StatefulSet controller from service_name; remove it"


def test_harmless_pass_through_keys_are_accepted_and_rendered():
    extra = {
        "tolerations": [{"key": "lab", "operator": "Exists", "effect": "NoSchedule"}],
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 1, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                                              "labelSelector": {"matchLabels": {"app": "myapp-pod"}}}}]}},
        "terminationGracePeriodSeconds": 5,
        "initContainers": [{"name": "init", "image": "registry.lab.invalid/init:1"}],
        "volumes": [{"name": "cfg", "emptyDir": {}}],
    }
    container_extra = {"lifecycle": {"preStop": {"exec": {"command": ["sleep", "1"]}}}, "workingDir": "/srv"}
    bundle = sts(pod_spec_extra=extra, container_extra=container_extra,
                 container_security_context={"runAsNonRoot": True}, pod_security_context={"fsGroup": 2000},
                 pod_labels={"app": "myapp-pod", "tier": "web"},
                 volume_claim_templates=[dict(TUTORIAL_STS["volume_claim_templates"][0],
                                              labels={"app": "myapp-pod", "backup": "daily"})])
    template = bundle["statefulset"]["spec"]["template"]
    pod = template["spec"]
    for key, value in extra.items():
        assert pod[key] == value, key
    assert "subdomain" not in pod and "hostname" not in pod
    assert pod["securityContext"] == {"fsGroup": 2000}
    main = pod["containers"][0]
    assert main["lifecycle"] == container_extra["lifecycle"] and main["workingDir"] == "/srv"
    assert main["securityContext"] == {"runAsNonRoot": True}
    assert main["image"] == "registry.lab.invalid/k8s/my_nginx:v1"
    assert main["volumeMounts"] == [{"name": "myappdata", "mountPath": "/usr/share/nginx/html"}]
    assert template["metadata"]["labels"] == {"app": "myapp-pod", "tier": "web"}
    # a claim label equal to the selector's is what the controller writes anyway
    assert bundle["statefulset"]["spec"]["volumeClaimTemplates"][0]["metadata"]["labels"] == {
        "app": "myapp-pod", "backup": "daily"}
