# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller-side plan actions statefulset_manifest, statefulset_preflight, nfs_pv_manifest
and nfs_exports_validate: arguments validated against their spec, pure logic, a result or a failure
naming the field; and their documentation (plugins/modules/) in step with their argument specs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import importlib

import pytest
import yaml

from unittest.mock import MagicMock

from ansible.errors import AnsibleActionFail

from ansible_collections.stateful.nfs.plugins.action import (
    nfs_exports_validate,
    nfs_pv_manifest,
    statefulset_manifest,
    statefulset_preflight,
)
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.statefulset import render_statefulset


def run_action(plugin, args, check_mode=False):
    task = MagicMock()
    task.args = args
    task.async_val = 0
    task.check_mode = check_mode
    connection = MagicMock()
    connection._shell.tmpdir = "/nonexistent"
    action = plugin.ActionModule(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={})


TUTORIAL = {
    "name": "myapp",
    "service_name": "statefulset-headless",
    "replicas": 3,
    "selector_labels": {"app": "myapp-pod"},
    "pod_labels": {"app": "myapp-pod"},
    "image": "registry.lab.invalid/k8s/my_nginx:v1",
    "volume_claim_templates": [{"name": "myappdata", "mount_path": "/usr/share/nginx/html", "storage": "1Gi"}],
}


def rendered(**overrides):
    params = copy.deepcopy(TUTORIAL)
    params.update(overrides)
    return render_statefulset(params)


def test_statefulset_manifest_renders_tutorial_in_check_mode():
    out = run_action(statefulset_manifest, TUTORIAL, check_mode=True)
    assert not out.get("failed") and out["changed"] is False
    assert out["statefulset"]["spec"]["replicas"] == 3
    assert out["statefulset"]["spec"]["template"]["spec"]["containers"][0]["name"] == "myapp"
    assert out["service"]["spec"]["clusterIP"] == "None"
    assert out["label_selectors"] == ["app=myapp-pod"]
    assert out["claim_pattern"] == "^(myappdata)-myapp-(0|[1-9][0-9]*)$"
    assert out["claims"] == [{"ordinal": n, "template": "myappdata", "claim": "myappdata-myapp-%d" % n} for n in range(3)]


def test_statefulset_manifest_converts_string_replicas():
    assert run_action(statefulset_manifest, dict(TUTORIAL, replicas="5"))["statefulset"]["spec"]["replicas"] == 5


def test_statefulset_manifest_type_error_fails_before_logic():
    with pytest.raises(AnsibleActionFail, match="replicas"):
        run_action(statefulset_manifest, dict(TUTORIAL, replicas="three"))
    with pytest.raises(AnsibleActionFail, match="image"):
        run_action(statefulset_manifest, dict((k, v) for k, v in TUTORIAL.items() if k != "image"))


def test_statefulset_manifest_failure_names_role_variable():
    out = run_action(statefulset_manifest, dict(TUTORIAL, replicas=-1, field_prefix="statefulset_"))
    assert out["failed"] and out["msg"].startswith("statefulset_replicas: must be >= 0")
    out = run_action(statefulset_manifest, dict(TUTORIAL, service_cluster_ip="10.96.0.10"))
    assert out["failed"] and out["msg"].startswith("service_cluster_ip:")


def test_statefulset_manifest_refuses_a_key_the_role_owns_in_a_pass_through():
    """The role's first task: a refusal here means nothing is read from or sent to the cluster."""
    out = run_action(statefulset_manifest, dict(TUTORIAL, pod_spec_extra={"subdomain": "x", "tolerations": []},
                                                field_prefix="statefulset_"))
    assert out["failed"] and out["changed"] is False
    assert out["msg"] == ("statefulset_pod_spec_extra.subdomain: set by the StatefulSet controller from "
                          "statefulset_service_name; remove it")
    assert "statefulset" not in out and "service" not in out
    out = run_action(statefulset_manifest, dict(TUTORIAL, pod_spec_extra={"tolerations": []}, field_prefix="statefulset_"))
    assert not out.get("failed") and out["statefulset"]["spec"]["template"]["spec"]["tolerations"] == []


def test_preflight_passes_on_fresh_cluster_with_pvs():
    bundle = rendered()
    pvs = [{"metadata": {"name": "pv00%d" % i},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "storageClassName": ""},
            "status": {"phase": "Available"}} for i in range(1, 4)]
    out = run_action(statefulset_preflight, {"statefulset": bundle["statefulset"], "service": bundle["service"],
                                             "persistent_volumes": pvs})
    assert not out.get("failed")
    assert out["immutable_changes"] == [] and out["unbindable_claims"] == [] and out["warnings"] == []
    assert out["recreate_statefulset"] is False and out["recreate_service"] is False


def test_preflight_refuses_immutable_change_unless_recreate():
    live = rendered()["statefulset"]
    args = {"statefulset": rendered(service_name="other-headless")["statefulset"], "live_statefulset": live,
            "storage_check": "skip", "field_prefix": "statefulset_"}
    out = run_action(statefulset_preflight, args)
    assert out["failed"]
    assert "statefulset.spec.serviceName cannot be changed" in out["msg"]
    assert "set statefulset_recreate=true" in out["msg"]
    assert [c["field"] for c in out["immutable_changes"]] == ["statefulset.spec.serviceName"]
    out = run_action(statefulset_preflight, dict(args, recreate=True))
    assert not out.get("failed")
    assert out["recreate_statefulset"] is True and out["recreate_service"] is False


def test_preflight_storage_fail_warn_skip():
    args = {"statefulset": rendered(replicas=2)["statefulset"], "persistent_volumes": [], "field_prefix": "statefulset_"}
    out = run_action(statefulset_preflight, args)
    assert out["failed"]
    assert "myappdata-myapp-0" in out["msg"] and "statefulset_storage_check=warn" in out["msg"]
    out = run_action(statefulset_preflight, dict(args, storage_check="warn"))
    assert not out.get("failed")
    assert [c["claim"] for c in out["unbindable_claims"]] == ["myappdata-myapp-0", "myappdata-myapp-1"]
    assert len(out["warnings"]) == 2 and "would stay Pending" in out["warnings"][0]
    out = run_action(statefulset_preflight, dict(args, storage_check="skip"))
    assert not out.get("failed") and out["unbindable_claims"] == []
    with pytest.raises(AnsibleActionFail, match="storage_check"):
        run_action(statefulset_preflight, dict(args, storage_check="maybe"))


def test_preflight_says_what_to_apply_and_how_long_to_wait():
    bundle = rendered(replicas=2)
    args = {"statefulset": bundle["statefulset"], "service": bundle["service"], "live_namespace": {},
            "create_namespace": True, "persistent_volumes": [], "check_mode": True, "wait_timeout": "120",
            "field_prefix": "statefulset_"}
    out = run_action(statefulset_preflight, args, check_mode=True)
    assert not out.get("failed"), out.get("msg")
    assert [o["kind"] for o in out["apply"]] == ["Namespace", "Service", "StatefulSet"]
    assert out["dry_run_blocker"] == "namespace default does not exist yet and would be created"
    assert len(out["unbindable_claims"]) == 2 and out["wait_timeout"] == 30
    out = run_action(statefulset_preflight, dict(args, create_namespace=False))
    assert out["failed"] and out["msg"] == ("statefulset_namespace: namespace default does not exist; "
                                            "create it or set statefulset_create_namespace=true")
    with pytest.raises(AnsibleActionFail, match="wait_timeout_unbindable"):
        run_action(statefulset_preflight, dict(args, wait_timeout_unbindable="soon"))


def test_statefulset_manifest_refuses_wait_timeouts_first():
    out = run_action(statefulset_manifest, dict(TUTORIAL, replicas=-1, wait_timeout=0, field_prefix="statefulset_"))
    assert out["failed"] and out["msg"] == ("statefulset_wait_timeout: must be a positive number of seconds, got 0; "
                                            "nothing was changed")


def test_nfs_pv_manifest_names_bound_volumes():
    live = [{"metadata": {"name": "pv001", "labels": {"stateful.nfs/volume-set": "default"}},
             "spec": {"claimRef": {"namespace": "default", "name": "myappdata-myapp-0", "uid": "x"}},
             "status": {"phase": "Bound"}}]
    assert run_action(nfs_pv_manifest, {"live_volumes": live})["bound"] == ["pv001 is Bound to default/myappdata-myapp-0"]


EXPORTS = [{"name": "v%d" % i, "path": "/nfs-data/v%d" % i, "pseudo": "/nfs-data/v%d" % i, "server": "127.0.0.1",
            "port": 2049, "clients": [], "options": []} for i in range(1, 5)]


def test_nfs_pv_manifest_tutorial():
    out = run_action(nfs_pv_manifest, {"exports": EXPORTS, "capacities": ["1Gi", "1Gi", "2Gi", "2Gi"],
                                       "mount_options": ["nfsvers=4.1"]}, check_mode=True)
    assert not out.get("failed") and out["changed"] is False
    assert out["names"] == ["pv001", "pv002", "pv003", "pv004"]
    assert out["sources"] == ["exports[0]", "exports[1]", "exports[2]", "exports[3]"]  # for nfs_pv_apply's messages
    assert out["label_selector"] == "stateful.nfs/volume-set=default"
    assert out["volumes"][2]["spec"]["capacity"]["storage"] == "2Gi"
    assert out["reclaim"] == []


def test_nfs_pv_manifest_reclaim():
    live = [{"metadata": {"name": "pv001", "labels": {"stateful.nfs/volume-set": "default"}},
             "spec": {"claimRef": {"namespace": "default", "name": "myappdata-myapp-0", "uid": "x"}},
             "status": {"phase": "Released"}}]
    out = run_action(nfs_pv_manifest, {"live_volumes": live})
    assert out["volumes"] == []
    assert out["reclaim"] == [{"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv001"},
                               "spec": {"claimRef": {"uid": None, "resourceVersion": None}}}]


def test_nfs_pv_manifest_refuses_recycle_and_both_sources():
    out = run_action(nfs_pv_manifest, {"exports": EXPORTS, "reclaim_policy": "Recycle", "field_prefix": "nfs_volumes_"})
    assert out["failed"] and out["msg"].startswith("nfs_volumes_reclaim_policy: Recycle scrubs the export")
    out = run_action(nfs_pv_manifest, {"exports": EXPORTS, "list": [{"server": "h", "path": "/a"}],
                                       "field_prefix": "nfs_volumes_"})
    assert out["failed"] and out["msg"].startswith("nfs_volumes_exports, nfs_volumes_list:")


OTHER_SET_PV = {"apiVersion": "v1", "kind": "PersistentVolume",
                "metadata": {"name": "shop-pv001", "labels": {"stateful.nfs/volume-set": "shop"}},
                "spec": {"nfs": {"server": "127.0.0.1", "path": "/nfs-data/v1/"}, "mountOptions": ["nfsvers=4.1"],
                         "claimRef": {"namespace": "shop", "name": "data-shop-0"}},
                "status": {"phase": "Bound"}}


@pytest.mark.parametrize("check_mode", [False, True])
def test_nfs_pv_manifest_refuses_an_export_another_set_uses(check_mode):
    args = {"exports": EXPORTS, "cluster_volumes": [OTHER_SET_PV], "field_prefix": "nfs_volumes_"}
    out = run_action(nfs_pv_manifest, args, check_mode=check_mode)
    assert out["failed"] and out["changed"] is False
    assert out["msg"].startswith("nfs_volumes_exports[0]: PersistentVolume pv001 would use export 127.0.0.1:/nfs-data/v1, "
                                 "which PersistentVolume shop-pv001 (volume set shop, Bound to shop/data-shop-0) already uses")
    assert "nothing was changed" in out["msg"] and "set nfs_volumes_allow_shared_exports=true" in out["msg"]
    assert "volumes" not in out


def test_nfs_pv_manifest_shares_an_export_on_purpose_with_a_warning():
    args = {"exports": EXPORTS, "cluster_volumes": [OTHER_SET_PV], "allow_shared_exports": True,
            "field_prefix": "nfs_volumes_"}
    out = run_action(nfs_pv_manifest, args)
    assert not out.get("failed") and out["names"] == ["pv001", "pv002", "pv003", "pv004"]
    assert out["warnings"] == out["shared_exports"]
    assert len(out["warnings"]) == 1 and out["warnings"][0].startswith("nfs_volumes_exports[0]: PersistentVolume pv001 ")
    assert "shop-pv001" in out["warnings"][0] and "nfs_volumes_allow_shared_exports=true" in out["warnings"][0]


def test_nfs_pv_manifest_without_cluster_volumes_or_collision_has_no_warning():
    out = run_action(nfs_pv_manifest, {"exports": EXPORTS})
    assert out["shared_exports"] == [] and "warnings" not in out
    out = run_action(nfs_pv_manifest, {"exports": EXPORTS, "cluster_volumes": [dict(OTHER_SET_PV, metadata={"name": "pv001"})]})
    assert not out.get("failed") and out["shared_exports"] == []  # the volume itself, from an earlier run


def test_nfs_pv_manifest_refuses_a_bad_opt_in_or_cluster_volumes():
    with pytest.raises(AnsibleActionFail, match="allow_shared_exports"):
        run_action(nfs_pv_manifest, {"exports": EXPORTS, "allow_shared_exports": "maybe"})
    out = run_action(nfs_pv_manifest, {"exports": EXPORTS, "cluster_volumes": "pv001", "field_prefix": "nfs_volumes_"})
    assert out["failed"] and out["msg"].startswith("nfs_volumes_cluster_volumes: must be a list, got the string 'pv001'")


# ---------------------------------------------------------------------------- options declared once
PLAN_ACTIONS = ["statefulset_manifest", "statefulset_preflight", "nfs_pv_manifest", "nfs_exports_validate"]


@pytest.mark.parametrize("name", PLAN_ACTIONS)
def test_options_are_declared_once_in_the_stub_documentation(name):
    """The stub module documents the options; the action validates against exactly that, nothing else."""
    stub = importlib.import_module("ansible_collections.stateful.nfs.plugins.modules." + name)
    action = importlib.import_module("ansible_collections.stateful.nfs.plugins.action." + name)
    assert not hasattr(stub, "main"), "the action plugin runs; a main() here would be a second way"
    assert not hasattr(action.ActionModule, "ARGSPEC"), "a second declaration of the options"
    spec = action.ActionModule.argument_spec()
    documented = yaml.safe_load(stub.DOCUMENTATION)["options"]
    assert set(documented) <= set(spec)
    for option, doc in documented.items():
        for key in ("type", "elements", "choices", "default"):
            assert spec[option].get(key) == doc.get(key), (option, key)
        assert spec[option].get("required", False) == doc.get("required", False), option
    if name != "nfs_exports_validate":  # its messages name nfs_server_exports[...] without a prefix
        # the pure_plan fragment's option, merged as ansible-doc merges it
        assert spec["field_prefix"] == {"type": "str", "default": ""}


@pytest.mark.parametrize("plugin, args, needle", [
    (nfs_pv_manifest, {"list": [{"server": "h", "path": "/a"}], "capacities": "1Gi,2Gi", "field_prefix": "nfs_volumes_"},
     "nfs_volumes_capacities: must be a list, got the string '1Gi,2Gi'"),
    (nfs_pv_manifest, {"list": [{"server": "h", "path": "/a"}], "access_modes": "ReadWriteOnce"},
     "access_modes: must be a list, got the string 'ReadWriteOnce'"),
    (statefulset_manifest, dict(TUTORIAL, args="sleep,10", field_prefix="statefulset_"),
     "statefulset_args: must be a list, got the string 'sleep,10'"),
    (nfs_exports_validate, {"exports": "v1,v2", "server": "127.0.0.1"}, "exports: must be a list, got the string 'v1,v2'"),
])
def test_a_string_for_a_list_is_refused_naming_the_variable(plugin, args, needle):
    # Ansible's list type would split "1Gi,2Gi" into two capacities without a word
    out = run_action(plugin, args)
    assert out["failed"] and out["changed"] is False
    assert out["msg"].startswith(needle) and out["msg"].endswith("Nothing was changed")


def test_every_refusal_is_one_plan_error():
    from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError
    from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import InvalidLabel
    from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import InvalidName
    from ansible_collections.stateful.nfs.plugins.module_utils.k8s.quantity import InvalidQuantity
    from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import SpecError
    from ansible_collections.stateful.nfs.plugins.module_utils.manifests.plans import PlanFailure
    from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import ExportError
    for error in (SpecError, PlanFailure, ExportError, InvalidLabel, InvalidName, InvalidQuantity):
        assert issubclass(error, PlanError), error


# --------------------------------------------------------------------------- nfs_exports_validate

EXPORTS_TUTORIAL = [{"path": "/nfs-data/v%d" % i, "clients": [{"host": "*", "options": ["rw", "no_root_squash", "sync"]}]}
                    for i in range(1, 5)]


def test_exports_validate_publishes_facts_and_warns_about_opt_ins():
    out = run_action(nfs_exports_validate, {"exports": EXPORTS_TUTORIAL, "backend": "ganesha", "server": "127.0.0.1",
                                            "port": 12049, "allow_world_clients": True,
                                            "allow_no_root_squash": True})
    assert not out.get("failed"), out["msg"]
    assert out["changed"] is False
    assert [e["name"] for e in out["exported"]] == ["v1", "v2", "v3", "v4"]
    assert out["exported"][0]["port"] == 12049
    assert out["exports"][0]["clients"][0]["ganesha"]["squash"] == "no_root_squash"
    assert len(out["warnings"]) == 8


def test_exports_validate_lists_the_directories_for_the_directories_module():
    exports = [{"path": "/srv/a", "clients": [{"host": "10.0.0.0/8"}]},
               {"path": "/srv/b", "owner": "1234", "group": 1234, "mode": "770", "clients": [{"host": "10.0.0.0/8"}]}]
    out = run_action(nfs_exports_validate, {"exports": exports, "server": "127.0.0.1", "default_owner": "nobody",
                                            "default_group": "nogroup"})
    assert out["directories"] == [{"path": "/srv/a", "owner": "nobody", "group": "nogroup", "mode": "0755"},
                                  {"path": "/srv/b", "owner": "1234", "group": "1234", "mode": "0770"}]


def test_exports_validate_kernel_always_publishes_port_2049_without_warnings():
    out = run_action(nfs_exports_validate, {"exports": [{"path": "/srv/a", "clients": [{"host": "10.0.0.0/8"}]}],
                                            "server": "nfs.example.com", "port": 12049})
    assert out["exported"][0]["port"] == 2049
    assert "warnings" not in out


def test_exports_validate_runs_the_same_in_check_mode():
    args = {"exports": [{"path": "/srv/a", "clients": [{"host": "10.0.0.0/8"}]}], "server": "127.0.0.1"}
    assert run_action(nfs_exports_validate, args, check_mode=True)["exports"] == \
        run_action(nfs_exports_validate, args)["exports"]


def test_exports_validate_refuses_without_opt_in_and_says_nothing_changed():
    out = run_action(nfs_exports_validate, {"exports": EXPORTS_TUTORIAL, "server": "127.0.0.1"})
    assert out["failed"] and out["changed"] is False
    assert out["msg"].startswith("invalid NFS exports, nothing was changed: export 'v1' "
                                 "(nfs_server_exports[0]): clients[0].host: '*'")
    assert "exports" not in out and "exported" not in out


def test_exports_validate_refuses_an_empty_server_address():
    out = run_action(nfs_exports_validate, {"exports": [], "server": ""})
    assert out["failed"] and "nfs_server_address: must be set" in out["msg"]


def test_exports_validate_refuses_a_wrong_type_naming_the_option():
    with pytest.raises(AnsibleActionFail, match="allow_world_clients"):
        run_action(nfs_exports_validate, {"exports": [], "server": "127.0.0.1", "allow_world_clients": "maybe"})
