# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/manifests/pod.py: the pod template (containers, ports, env,
volume claim templates, mounts), through the StatefulSet it is part of."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import SpecError
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.manifests.tutorial import TUTORIAL_STS, sts


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
    ({"pod_spec_extra": {"containers": []}}, "statefulset_pod_spec_extra", "own options"),
    ({"pod_security_context": {"fsGroup": -1}}, "statefulset_pod_security_context.fsGroup", ">= 0"),
    ({"extra_containers": [{"name": "myapp", "image": "x"}]}, "statefulset_extra_containers[0].name", "twice"),
])
def test_pod_template_invalid_inputs_name_the_field(overrides, field, needle):
    with pytest.raises(SpecError) as err:
        sts(**overrides)
    message = str(err.value)
    assert message.startswith(field), message
    assert needle in message, message
