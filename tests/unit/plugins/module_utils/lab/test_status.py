# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/lab/status.py: when the lab counts as converged."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from pathlib import Path

import pytest
import yaml

from ansible_collections.stateful.nfs.plugins.module_utils.lab import status

ROLE = Path(__file__).resolve().parents[5] / "roles" / "lab"

NODE = {
    "apiVersion": "v1", "kind": "Node",
    "metadata": {"name": "node1", "annotations": {"lab.stateful.nfs/max-pods": "4096"},
                 "labels": {"stateful.nfs/lab": "true"}},
    "spec": {"podCIDR": "10.244.0.0/19", "podCIDRs": ["10.244.0.0/19"]},
}


def live_node(**changes):
    """NODE as the API server returns it: defaults and other managers' fields added, Ready."""
    live = {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "node1", "uid": "u1", "resourceVersion": "42",
                     "annotations": {"lab.stateful.nfs/max-pods": "4096", "node.alpha.kubernetes.io/ttl": "0"},
                     "labels": {"stateful.nfs/lab": "true", "kubernetes.io/os": "linux"}},
        "spec": {"podCIDR": "10.244.0.0/19", "podCIDRs": ["10.244.0.0/19"]},
        "status": {"conditions": [{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "True"}]},
    }
    for path, value in changes.items():
        where = live
        keys = path.split("__")
        for key in keys[:-1]:
            where = where[key]
        where[keys[-1]] = value
    return live


def test_an_object_with_defaults_and_other_fields_added_contains_the_wanted_one():
    assert status.contains(NODE, live_node()) is None
    assert status.object_problem(NODE, live_node()) is None


def test_a_changed_value_is_named_by_its_path():
    live = live_node()
    live["metadata"]["annotations"]["lab.stateful.nfs/max-pods"] = "110"
    assert status.object_problem(NODE, live) == (
        "Node node1 differs: metadata.annotations.lab.stateful.nfs/max-pods: wanted '4096', found '110'")


def test_a_missing_field_and_a_missing_object_are_problems():
    live = live_node()
    del live["metadata"]["labels"]["stateful.nfs/lab"]
    assert status.object_problem(NODE, live) == (
        "Node node1 differs: metadata.labels.stateful.nfs/lab: wanted 'true', missing")
    assert status.object_problem(NODE, None) == "Node node1: missing"


def test_lists_of_scalars_must_be_equal():
    assert status.contains(NODE, live_node(spec__podCIDRs=["10.244.0.0/19", "10.244.32.0/19"])) == (
        "spec.podCIDRs: wanted ['10.244.0.0/19'], found ['10.244.0.0/19', '10.244.32.0/19']")
    assert status.contains({"verbs": ["list", "watch"]}, {"verbs": ["watch", "list"]}) is not None


def test_lists_of_mappings_match_in_order_with_items_added_by_others():
    wanted = {"tolerations": [{"key": "lab", "operator": "Exists"}]}
    admitted = {"tolerations": [{"key": "lab", "operator": "Exists", "effect": "NoSchedule"},
                                {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300}]}
    assert status.contains(wanted, admitted) is None
    ports = {"ports": [{"name": "dns", "port": 53}, {"name": "dns-tcp", "port": 53}]}
    assert status.contains(ports, {"ports": [{"name": "dns-tcp", "port": 53}, {"name": "dns", "port": 53}]}) == (
        "ports[1]: wanted {'name': 'dns-tcp', 'port': 53}, not found")
    assert status.contains(ports, {"ports": [{"name": "dns", "port": 53}]}) is not None


def test_empty_wanted_fields_may_be_left_out_by_the_api_server():
    assert status.contains({"spec": {"taints": [], "x": None, "y": {}}}, {"spec": {}}) is None
    assert status.contains({"spec": {"taints": [{"key": "a"}]}}, {"spec": {}}) is not None


def test_a_type_mismatch_is_a_difference():
    assert status.contains({"a": {"b": 1}}, {"a": "b"}) == "a: wanted a mapping, found 'b'"
    assert status.contains({"a": [1]}, {"a": 1}) == "a: wanted a list, found 1"
    assert status.contains({"port": 53}, {"port": "53"}) == "port: wanted 53, found '53'"


def test_nodes_and_pods_must_be_ready():
    not_ready = live_node(status={"conditions": [{"type": "Ready", "status": "Unknown"}]})
    assert status.object_problem(NODE, not_ready) == "Node node1: not Ready"
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kube-dns", "namespace": "kube-system"}}
    assert status.object_problem(service, dict(service, status={})) is None


@pytest.mark.parametrize("obj,path", [
    (NODE, "/api/v1/nodes/node1"),
    ({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "kube-system"}},
     "/api/v1/namespaces/kube-system/pods/p"),
    ({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "b"}},
     "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/b"),
])
def test_api_paths(obj, path):
    assert status.api_path(obj) == path


def test_an_object_the_check_cannot_read_is_refused_naming_the_option():
    with pytest.raises(status.LabStatusError, match=r"^objects\[2\]: apiVersion 'apps/v1' kind 'Deployment' is not one"):
        status.api_path({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}}, "objects[2]")
    with pytest.raises(status.LabStatusError, match=r"^objects\[0\]\.metadata\.name: required"):
        status.api_path({"apiVersion": "v1", "kind": "Node", "metadata": {}}, "objects[0]")
    with pytest.raises(status.LabStatusError, match=r"^objects\[1\]: must be a mapping"):
        status.api_path("node1", "objects[1]")


def test_every_object_the_role_applies_can_be_read():
    """The kinds of templates/cluster-objects.yaml.j2 (each document's apiVersion and kind lines)."""
    text = (ROLE / "templates" / "cluster-objects.yaml.j2").read_text()
    kinds = set()
    for document in text.split("\n---\n"):
        found = dict(line.split(": ", 1) for line in document.splitlines()
                     if line.startswith(("apiVersion: ", "kind: ")))
        if found:
            kinds.add((found["apiVersion"], found["kind"]))
    assert kinds and kinds <= set(status.KINDS), kinds - set(status.KINDS)


def test_process_problems():
    args = "/bin/etcd\n--data-dir=/d\n\n"
    assert status.process_problem("etcd", True, "/bin/etcd\n--data-dir=/d\n", args) is None
    assert status.process_problem("etcd", False, args, args) == "etcd: not running"
    assert status.process_problem("etcd", True, None, args) == "etcd: no record of the arguments it runs with"
    assert "etcd: runs with other arguments" in status.process_problem("etcd", True, "/bin/etcd\n--data-dir=/e\n", args)


def test_file_directory_and_link_problems():
    assert status.file_problem("/s/Corefile", "a" * 40, "a" * 40) is None
    assert status.file_problem("/s/Corefile", None, "a" * 40) == "/s/Corefile: missing"
    assert status.file_problem("/s/Corefile", "b" * 40, "a" * 40) == "/s/Corefile: content differs from what the role writes"
    assert status.directory_problem("/s", 0o700, "0700") is None
    assert status.directory_problem("/s", 0o755, "0700") == "/s: mode 0755, wanted 0700"
    assert status.directory_problem("/s", 0o755, None) is None
    assert status.directory_problem("/s", None, "0700") == "/s: not a directory"
    assert status.link_problem("/s/bin", "/c/bin", "/c/bin") is None
    assert status.link_problem("/s/bin", "/c/old", "/c/bin") == "/s/bin: points at /c/old, wanted /c/bin"
    assert status.link_problem("/s/bin", None, "/c/bin") == "/s/bin: not a symbolic link"


def test_summary_is_converged_only_without_problems():
    done = status.summary([("files", [None, None]), ("processes", [None])])
    assert done == {"files": [], "processes": [], "problems": [], "converged": True}
    found = status.summary([("files", [None, "f: missing"]), ("processes", ["kwok: not running"])])
    assert found["problems"] == ["f: missing", "kwok: not running"] and not found["converged"]
    assert found["files"] == ["f: missing"]


def test_up_yml_converges_only_when_the_check_finds_a_problem():
    """up.yml's check is the role's only way past converge.yml: it must be there and conditional."""
    tasks = yaml.safe_load((ROLE / "tasks" / "up.yml").read_text())
    [check] = [t for t in tasks if "stateful.nfs.lab_status" in t]
    [converge] = [t for t in tasks if t.get("ansible.builtin.include_tasks") == "converge.yml"]
    assert check["register"] == "lab_status"
    assert converge["when"] == "lab_reset | bool or not lab_status.converged"
