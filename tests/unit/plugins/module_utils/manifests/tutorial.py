# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tutorial's inputs the manifests tests share: the nfs_server role's export facts, the
nfs_volumes and statefulset options, and ``sts()``, the StatefulSet they render."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import SpecError
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.statefulset import render_statefulset

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
    return render_statefulset(params, prefix="statefulset_")


def refusal(**overrides):
    """The message of the SpecError that rendering the tutorial's StatefulSet with ``overrides`` raises."""
    with pytest.raises(SpecError) as err:
        sts(**overrides)
    return str(err.value)
