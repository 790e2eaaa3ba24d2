# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The thin modules statefulset_manifest, statefulset_preflight and nfs_pv_manifest: argspec in,
pure logic, result or a failure naming the field out."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.stateful.nfs.plugins.modules import (
    nfs_pv_manifest,
    statefulset_manifest,
    statefulset_preflight,
)


class ModuleExit(Exception):
    def __init__(self, failed, result):
        super(ModuleExit, self).__init__(result.get("msg"))
        self.failed = failed
        self.result = result


@pytest.fixture
def run(monkeypatch):
    def exit_json(self, **kwargs):
        raise ModuleExit(False, kwargs)

    def fail_json(self, msg, **kwargs):
        kwargs["msg"] = msg
        raise ModuleExit(True, kwargs)

    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, w: warnings.append(w))

    def _run(module, args, check_mode=False):
        args = dict(args)
        if check_mode:
            args["_ansible_check_mode"] = True
        with patch_module_args(args):
            with pytest.raises(ModuleExit) as exc:
                module.main()
        exc.value.result["warnings_seen"] = list(warnings)
        return exc.value
    return _run


TUTORIAL = {
    "name": "myapp",
    "service_name": "statefulset-headless",
    "replicas": 3,
    "selector_labels": {"app": "myapp-pod"},
    "pod_labels": {"app": "myapp-pod"},
    "image": "registry.lab.invalid/k8s/my_nginx:v1",
    "volume_claim_templates": [{"name": "myappdata", "mount_path": "/usr/share/nginx/html", "storage": "1Gi"}],
}


def test_statefulset_manifest_renders_tutorial(run):
    out = run(statefulset_manifest, TUTORIAL, check_mode=True)
    assert not out.failed and out.result["changed"] is False
    assert out.result["statefulset"]["spec"]["replicas"] == 3
    assert out.result["statefulset"]["spec"]["template"]["spec"]["containers"][0]["name"] == "myapp"
    assert out.result["service"]["spec"]["clusterIP"] == "None"
    assert out.result["label_selectors"] == ["app=myapp-pod"]
    assert out.result["claim_pattern"] == "^(myappdata)-myapp-(0|[1-9][0-9]*)$"
    assert out.result["claims"] == [
        {"ordinal": n, "template": "myappdata", "claim": "myappdata-myapp-%d" % n} for n in range(3)
    ]


def test_statefulset_manifest_converts_string_replicas(run):
    out = run(statefulset_manifest, dict(TUTORIAL, replicas="5"))
    assert out.result["statefulset"]["spec"]["replicas"] == 5


def test_statefulset_manifest_failure_names_role_variable(run):
    out = run(statefulset_manifest, dict(TUTORIAL, replicas=-1, field_prefix="statefulset_"))
    assert out.failed
    assert out.result["msg"].startswith("statefulset_replicas: must be >= 0")


def test_statefulset_manifest_refuses_non_headless(run):
    out = run(statefulset_manifest, dict(TUTORIAL, service_cluster_ip="10.96.0.10"))
    assert out.failed and out.result["msg"].startswith("service_cluster_ip:")



def run_pure_render(**overrides):
    from ansible_collections.stateful.nfs.plugins.module_utils.statefulset_spec import render_statefulset
    params = copy.deepcopy(TUTORIAL)
    params.update(overrides)
    return render_statefulset(params)


def test_preflight_passes_on_fresh_cluster_with_pvs(run):
    bundle = run_pure_render()
    pvs = [{"metadata": {"name": "pv00%d" % i}, "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                                                         "storageClassName": ""}, "status": {"phase": "Available"}}
           for i in range(1, 4)]
    out = run(statefulset_preflight, {"statefulset": bundle["statefulset"], "service": bundle["service"],
                                      "persistent_volumes": pvs})
    assert not out.failed
    assert out.result["immutable_changes"] == [] and out.result["unbindable_claims"] == []
    assert out.result["recreate_statefulset"] is False


def test_preflight_refuses_immutable_change_unless_recreate(run):
    live = run_pure_render()["statefulset"]
    desired = run_pure_render(service_name="other-headless")
    args = {"statefulset": desired["statefulset"], "live_statefulset": live, "storage_check": "skip",
            "field_prefix": "statefulset_"}
    out = run(statefulset_preflight, args)
    assert out.failed
    assert "statefulset.spec.serviceName cannot be changed" in out.result["msg"]
    assert "set statefulset_recreate=true" in out.result["msg"]
    out = run(statefulset_preflight, dict(args, recreate=True))
    assert not out.failed
    assert out.result["recreate_statefulset"] is True and out.result["recreate_service"] is False


def test_preflight_storage_fail_warn_skip(run):
    bundle = run_pure_render(replicas=2)
    args = {"statefulset": bundle["statefulset"], "persistent_volumes": [], "field_prefix": "statefulset_"}
    out = run(statefulset_preflight, args)
    assert out.failed
    assert "myappdata-myapp-0" in out.result["msg"] and "statefulset_storage_check=warn" in out.result["msg"]
    out = run(statefulset_preflight, dict(args, storage_check="warn"))
    assert not out.failed
    assert [c["claim"] for c in out.result["unbindable_claims"]] == ["myappdata-myapp-0", "myappdata-myapp-1"]
    assert len(out.result["warnings_seen"]) == 2
    out = run(statefulset_preflight, dict(args, storage_check="skip"))
    assert not out.failed and out.result["unbindable_claims"] == []


EXPORTS = [{"name": "v%d" % i, "path": "/nfs-data/v%d" % i, "pseudo": "/nfs-data/v%d" % i, "server": "127.0.0.1",
            "port": 2049, "clients": [], "options": []} for i in range(1, 5)]


def test_nfs_pv_manifest_tutorial(run):
    out = run(nfs_pv_manifest, {"exports": EXPORTS, "capacities": ["1Gi", "1Gi", "2Gi", "2Gi"],
                                "mount_options": ["nfsvers=4.1"]}, check_mode=True)
    assert not out.failed and out.result["changed"] is False
    assert out.result["names"] == ["pv001", "pv002", "pv003", "pv004"]
    assert out.result["label_selector"] == "stateful.nfs/volume-set=default"
    assert out.result["volumes"][2]["spec"]["capacity"]["storage"] == "2Gi"
    assert out.result["reclaim"] == []


def test_nfs_pv_manifest_reclaim(run):
    live = [{"metadata": {"name": "pv001", "labels": {"stateful.nfs/volume-set": "default"}},
             "spec": {"claimRef": {"namespace": "default", "name": "myappdata-myapp-0", "uid": "x"}},
             "status": {"phase": "Released"}}]
    out = run(nfs_pv_manifest, {"exports": EXPORTS, "live_volumes": live})
    assert out.result["reclaim"] == [{"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv001"},
                                      "spec": {"claimRef": {"uid": None, "resourceVersion": None}}}]


def test_nfs_pv_manifest_refuses_recycle(run):
    out = run(nfs_pv_manifest, {"exports": EXPORTS, "reclaim_policy": "Recycle", "field_prefix": "nfs_volumes_"})
    assert out.failed and out.result["msg"].startswith("nfs_volumes_reclaim_policy: Recycle scrubs the export")
