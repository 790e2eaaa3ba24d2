# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a recorded task result would change, resource by resource, and the plan's status."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.report.drift import EXIT_CODES, plan_status, result_changes
from ansible_collections.stateful.nfs.plugins.module_utils.report.fields import DiffInputError

from .recorded import k8s_item


def test_the_roles_k8s_call_yields_the_statefulset_only(k8s_multi_result):
    entries = result_changes(k8s_multi_result, "kubernetes.core.k8s")
    assert [(e["type"], e["resource"], e["method"], e["kind"], e["namespace"], e["name"]) for e in entries] == [
        ("k8s", "StatefulSet default/myapp", "apply", "StatefulSet", "default", "myapp")]
    assert entries[0]["diff"].splitlines() == [
        "~ spec.replicas: 3 -> 5",
        '~ spec.template.spec.containers[name=nginx].image: "registry.k8s.io/nginx-slim:0.8" -> "registry.k8s.io/nginx-slim:0.9"']
    assert "managedFields" not in str(entries) and "observedGeneration" not in str(entries)


def test_a_one_object_call_and_a_cluster_scoped_object(objects):
    pv = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv001", "resourceVersion": "7"},
          "spec": {"capacity": {"storage": "1Gi"}}}
    bigger = copy.deepcopy(pv)
    bigger["spec"]["capacity"]["storage"] = "2Gi"
    entries = result_changes(k8s_item(pv, bigger), "kubernetes.core.k8s")
    assert [(e["resource"], e["diff"]) for e in entries] == [("PersistentVolume pv001", '~ spec.capacity.storage: "1Gi" -> "2Gi"')]


def test_created_and_new_objects(objects):
    svc = objects["service"]
    created = k8s_item({}, svc, method="create")
    assert result_changes(created, "kubernetes.core.k8s")[0]["diff"] == "(create Service default/statefulset-headless)"
    applied_new = {"changed": True, "method": "apply", "result": svc, "diff": {"before": {}, "after": svc}}
    diff = result_changes(applied_new, "kubernetes.core.k8s")[0]["diff"].splitlines()
    assert diff[0] == "(new object)" and diff[1:3] == ['+ apiVersion: "v1"', '+ kind: "Service"']
    assert diff[4].startswith('+ spec: {"clusterIP": "None"') and not any("status" in d or "uid" in d for d in diff)


def test_a_template_names_its_destination_not_the_temporary_source(template_result):
    entries = result_changes(template_result, "ansible.builtin.template")
    assert [(e["type"], e["resource"]) for e in entries] == [("file", "/etc/exports")]
    assert entries[0]["diff"].splitlines() == [
        "--- before: /etc/exports", "+++ after: /etc/exports", "@@ -1,2 +1,2 @@",
        " /nfs-data/v1 127.0.0.1(rw,sync,no_subtree_check)",
        "-/nfs-data/v2 127.0.0.1(rw,sync,no_subtree_check)",
        "+/nfs-data/v2 127.0.0.1(ro,sync,no_subtree_check)"]


def test_a_loop_is_read_item_by_item(template_result):
    unchanged = {"changed": False, "diff": [], "dest": "/etc/b"}
    looped = {"changed": True, "results": [dict(template_result, item="a"), dict(unchanged, item="b")]}
    assert [e["resource"] for e in result_changes(looped, "ansible.builtin.template")] == ["/etc/exports"]


def test_the_collections_own_modules_say_what_they_would_do():
    ganesha = {"changed": True, "actions": ["stop", "start"], "pid": 42, "running": True,
               "invocation": {"module_args": {"config": "/etc/ganesha/ganesha.conf"}}}
    assert result_changes(ganesha, "stateful.nfs.nfs_ganesha_daemon") == [
        {"type": "other", "resource": "/etc/ganesha/ganesha.conf", "diff": "actions: stop, start"}]
    stop = {"changed": True, "stopped": ["etcd", "kube-apiserver"], "killed": [], "stale": ["kwok"]}
    assert result_changes(stop, "stateful.nfs.pidfile_processes")[0]["diff"] == "stopped: etcd, kube-apiserver\nstale: kwok"


def test_the_directories_module_is_one_resource_per_path():
    result = {"changed": True, "invocation": {"module_args": {"directories": [], "paths": ["/srv/a", "/srv/b"]}},
              "diff": [{"before": {"path": "/srv/a", "state": "absent"},
                        "after": {"path": "/srv/a", "state": "directory", "owner": 0, "group": 0, "mode": "0755"},
                        "before_header": "/srv/a", "after_header": "/srv/a"},
                       {"before": {"path": "/srv/b", "mode": "0700"}, "after": {"path": "/srv/b", "mode": "0755"},
                        "before_header": "/srv/b", "after_header": "/srv/b"}]}
    entries = result_changes(result, "stateful.nfs.directories")
    assert [(e["resource"], e["diff"]) for e in entries] == [
        ("/srv/a", '+ group: 0\n+ mode: "0755"\n+ owner: 0\n~ state: "absent" -> "directory"'),
        ("/srv/b", '~ mode: "0700" -> "0755"')]


def test_the_files_module_is_one_resource_per_file_with_its_text_diff():
    result = {"changed": True, "changed_paths": ["/etc/ganesha/exports.conf", "/etc/ganesha/ganesha.conf"],
              "invocation": {"module_args": {"files": [{"path": "/etc/ganesha/ganesha.conf"}, {"path": "/etc/ganesha/exports.conf"}]}},
              "diff": [{"before": "a\n", "after": "b\n", "before_header": "/etc/ganesha/exports.conf",
                        "after_header": "/etc/ganesha/exports.conf"},
                       {"before": {"mode": "0600"}, "after": {"mode": "0644"}, "before_header": "/etc/ganesha/ganesha.conf",
                        "after_header": "/etc/ganesha/ganesha.conf"}]}
    entries = result_changes(result, "stateful.nfs.files")
    assert [(e["type"], e["resource"]) for e in entries] == [("file", "/etc/ganesha/exports.conf"), ("other", "/etc/ganesha/ganesha.conf")]
    assert "-a\n+b" in entries[0]["diff"] and entries[1]["diff"] == '~ mode: "0600" -> "0644"'


def test_a_dict_diff_of_another_module_and_a_module_without_diff():
    result = {"changed": True, "diff": {"before": {"state": "absent"}, "after": {"state": "directory"}}, "path": "/srv/x"}
    assert result_changes(result, "ansible.builtin.file")[0]["diff"] == '~ state: "absent" -> "directory"'
    assert result_changes({"changed": True, "cmd": "true"}, "ansible.builtin.command") == [
        {"type": "other", "resource": "ansible.builtin.command", "diff": "(changed; the module reports no diff)"}]


@pytest.mark.parametrize("result", [{"changed": False, "diff": {"before": "a", "after": "b"}},
                                    {"changed": True, "skipped": True}, {"changed": True, "failed": True}])
def test_unchanged_skipped_and_failed_results_are_no_drift(result):
    assert result_changes(result, "ansible.builtin.copy") == []


def test_bad_input_names_the_argument():
    with pytest.raises(DiffInputError, match="^result: expected a task result"):
        result_changes(["x"], "ansible.builtin.copy")
    with pytest.raises(DiffInputError, match="^action: expected the task's module name"):
        result_changes({}, "")
    with pytest.raises(DiffInputError, match="^drift: expected a list"):
        plan_status(None, [])
    with pytest.raises(DiffInputError, match="^errors: expected a list"):
        plan_status([], "boom")


def test_the_exit_code_contract():
    assert EXIT_CODES == {"clean": 0, "error": 1, "drift": 2}
    assert plan_status([], []) == ("clean", 0)
    assert plan_status([{"resource": "x"}], []) == ("drift", 2)
    assert plan_status([{"resource": "x"}], [{"message": "unreachable"}]) == ("error", 1)
    assert plan_status([], [{"message": "failed"}]) == ("error", 1)
