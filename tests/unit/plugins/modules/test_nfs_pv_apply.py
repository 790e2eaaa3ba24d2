# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""nfs_pv_apply end to end (main) with kubernetes.core's K8SClient replaced by an in-memory cluster: one
list call, no call for a volume that would not change, concurrent creates bounded by ``workers``, check
mode (server-side dry run, or the plan), --diff, the shared-export refusal before any write, and a failure
that names the object. The decisions themselves: tests/unit/plugins/module_utils/k8s/test_apply_set.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import threading

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import apply_set_runner
from ansible_collections.stateful.nfs.plugins.modules import nfs_pv_apply

KUBECONFIG = "/dev/null"


class _Response:
    def __init__(self, obj, status=200, headers=None):
        self.data = json.dumps(obj).encode()
        self.status = status
        self.headers = headers or {}


class _ApiError(Exception):
    def __init__(self, status, message):
        super(_ApiError, self).__init__(message)
        self.status = status
        self.body = json.dumps({"kind": "Status", "message": message})


class FakeCluster:
    """kubernetes.core's K8SClient over a dict of PersistentVolumes: counts calls, applies merge patches,
    honours ``dry_run`` as the API server does (answers, stores nothing)."""

    def __init__(self, volumes=(), dry_run=False, fail=(), barrier=None, warning=None):
        self.store = dict((pv["metadata"]["name"], copy.deepcopy(pv)) for pv in volumes)
        self.dry_run = dry_run
        self.fail = set(fail)
        self.barrier = barrier
        self.warning = warning
        self.calls = []
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0
        self.version = 100

    def resource(self, kind, api_version):
        assert (kind, api_version) == ("PersistentVolume", "v1")
        return "pv-resource"

    def get(self, resource, serialize=True):
        self.calls.append(("list", None))
        items = []
        for pv in self.store.values():
            item = copy.deepcopy(pv)
            del item["kind"], item["apiVersion"]  # list items come without them
            items.append(item)
        return _Response({"kind": "PersistentVolumeList", "apiVersion": "v1", "items": items})

    def _write(self, name, make):
        with self.lock:
            self.calls.append(("write", name))
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.barrier is not None:
                self.barrier.wait(timeout=10)
            if name in self.fail:
                raise _ApiError(422, 'PersistentVolume "%s" is invalid: spec.nfs.server: Required value' % name)
            with self.lock:
                obj = make()
                if not self.dry_run:
                    self.version += 1
                    obj["metadata"]["resourceVersion"] = str(self.version)
                    self.store[name] = obj
                return _Response(copy.deepcopy(obj), headers={"warning": self.warning} if self.warning else None)
        finally:
            with self.lock:
                self.in_flight -= 1

    def create(self, resource, body, serialize=True):
        def make():
            obj = copy.deepcopy(body)
            obj["metadata"].update(uid="uid-" + body["metadata"]["name"], finalizers=["kubernetes.io/pv-protection"])
            obj["spec"].setdefault("volumeMode", "Filesystem")
            obj["status"] = {"phase": "Available"}
            return obj
        return self._write(body["metadata"]["name"], make)

    def patch(self, resource, body, name=None, content_type=None, serialize=True):
        assert content_type == "application/merge-patch+json"

        def merge(target, patch):
            for key, value in patch.items():
                if value is None:
                    target.pop(key, None)
                elif isinstance(value, dict) and isinstance(target.get(key), dict):
                    merge(target[key], value)
                else:
                    target[key] = copy.deepcopy(value)
            return target
        return self._write(name, lambda: merge(copy.deepcopy(self.store[name]), body))

    def writes(self):
        return [name for call, name in self.calls if call == "write"]


def _pv(name, path=None, capacity="1Gi", volume_set="s"):
    return {"apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": {"name": name, "labels": {"stateful.nfs/volume-set": volume_set}},
            "spec": {"capacity": {"storage": capacity}, "accessModes": ["ReadWriteOnce"],
                     "mountOptions": ["nfsvers=4.1"], "nfs": {"server": "127.0.0.1", "path": path or "/nfs-data/" + name}}}


VOLUMES = [_pv("pv001"), _pv("pv002"), _pv("pv003", capacity="2Gi")]
SOURCES = ["nfs_volumes_exports[0]", "nfs_volumes_exports[1]", "nfs_volumes_exports[2]"]


@pytest.fixture
def run_module(monkeypatch, run_main):
    def _run(cluster, check_mode=False, diff=False, **args):
        monkeypatch.setattr(apply_set_runner, "get_api_client", lambda module: cluster)
        args.setdefault("volumes", VOLUMES)
        args.setdefault("sources", SOURCES)
        args.setdefault("field_prefix", "nfs_volumes_")
        args["kubeconfig"] = KUBECONFIG
        if diff:
            args["_ansible_diff"] = True
        return run_main(nfs_pv_apply, args, check_mode=check_mode)
    return _run


def test_creates_every_volume_then_a_rerun_makes_no_call(run_module):
    cluster = FakeCluster()
    out = run_module(cluster, diff=True)
    assert not out.failed and out.result["changed"] is True
    assert out.result["summary"] == {"create": 3, "patch": 0, "unchanged": 0}
    results = out.result["result"]["results"]
    assert [r["result"]["metadata"]["name"] for r in results] == ["pv001", "pv002", "pv003"]  # in order
    assert all(r["changed"] and r["method"] == "apply" and r["diff"]["before"] == {} for r in results)
    assert cluster.calls[0] == ("list", None) and sorted(cluster.writes()) == ["pv001", "pv002", "pv003"]

    again = FakeCluster(cluster.store.values())
    out = run_module(again, diff=True)
    assert out.result["changed"] is False and out.result["summary"] == {"create": 0, "patch": 0, "unchanged": 3}
    assert again.calls == [("list", None)]  # one read, no write
    assert [r["changed"] for r in out.result["result"]["results"]] == [False, False, False]
    assert out.result["result"]["results"][2]["result"]["metadata"]["uid"] == "uid-pv003"  # the live object


def test_only_the_changed_volume_is_patched_with_its_diff(run_module):
    cluster = FakeCluster()
    run_module(cluster)
    changed = [VOLUMES[0], _pv("pv002", capacity="3Gi"), VOLUMES[2]]
    out = run_module(cluster, volumes=changed, diff=True)
    assert out.result["summary"] == {"create": 0, "patch": 1, "unchanged": 2}
    assert [r["changed"] for r in out.result["result"]["results"]] == [False, True, False]
    diff = out.result["result"]["results"][1]["diff"]
    assert diff["before"]["spec"] == {"capacity": {"storage": "1Gi"}} and diff["after"]["spec"] == {"capacity": {"storage": "3Gi"}}
    assert cluster.store["pv002"]["spec"]["capacity"] == {"storage": "3Gi"}


def test_the_api_servers_warnings_stay_with_their_volume(run_module):
    cluster = FakeCluster(warning='299 - "spec.mountOptions: deprecated here"')
    out = run_module(cluster)
    assert [r["warnings"] for r in out.result["result"]["results"]] == [["spec.mountOptions: deprecated here"]] * 3


def test_check_mode_sends_dry_runs_and_stores_nothing(run_module):
    cluster = FakeCluster(dry_run=True)  # kubernetes.core sets dry_run under check mode
    out = run_module(cluster, check_mode=True, diff=True)
    assert out.result["changed"] is True and out.result["summary"]["create"] == 3
    assert cluster.store == {}


def test_check_mode_without_server_dry_run_sends_nothing(run_module):
    cluster = FakeCluster(dry_run=False)  # a kubernetes library too old for a server-side dry run
    out = run_module(cluster, check_mode=True)
    assert out.result["changed"] is True and cluster.writes() == [] and cluster.store == {}
    assert out.result["result"]["results"][0]["result"]["metadata"]["name"] == "pv001"


def test_writes_run_concurrently_and_at_most_workers_at_a_time(run_module):
    volumes = [_pv("pv%03d" % i) for i in range(1, 9)]
    sources = ["nfs_volumes_list[%d]" % i for i in range(8)]
    # each write waits until a second one is in flight: with one worker at a time this would break (timeout)
    cluster = FakeCluster(barrier=threading.Barrier(2))
    out = run_module(cluster, volumes=volumes, sources=sources, workers=2)
    assert not out.failed, out.result
    assert cluster.most_in_flight == 2 and len(cluster.store) == 8


def test_a_failed_volume_is_named_and_the_others_reported(run_module):
    cluster = FakeCluster(fail=["pv002"])
    out = run_module(cluster, workers=1)
    assert out.failed
    assert out.result["msg"].startswith("Failed to apply 1 object(s): PersistentVolume/pv002: "
                                        'PersistentVolume "pv002" is invalid: spec.nfs.server: Required value (HTTP 422)')
    assert "1 more not attempted after the first failure" in out.result["msg"]
    results = out.result["result"]["results"]
    assert results[0]["changed"] is True and "pv002" in results[1]["error"]["msg"]
    assert "not attempted" in results[2]["error"]["msg"] and "pv003" not in cluster.store
    assert out.result["changed"] is True  # pv001 was created: said so


def test_an_export_a_live_volume_of_another_name_uses_is_refused_before_any_write(run_module):
    other = _pv("shop-pv001", path="/nfs-data/pv002/", volume_set="shop")  # the same export, written differently
    cluster = FakeCluster([other])
    out = run_module(cluster)
    assert out.failed and out.result["changed"] is False
    assert out.result["msg"].startswith("nfs_volumes_exports[1]: PersistentVolume pv002 would use export "
                                        "127.0.0.1:/nfs-data/pv002, which PersistentVolume shop-pv001 (volume set shop)")
    assert "nothing was changed" in out.result["msg"] and "nfs_volumes_allow_shared_exports=true" in out.result["msg"]
    assert cluster.writes() == []

    out = run_module(cluster, allow_shared_exports=True)
    assert not out.failed and len(cluster.store) == 4
    assert any("shared on purpose (nfs_volumes_allow_shared_exports=true)" in w for w in out.warnings)


@pytest.mark.parametrize("args, needle", [
    ({"workers": 0}, "nfs_volumes_workers: must be >= 1, got 0"),
    ({"sources": ["a"]}, "nfs_volumes_sources: 1 entries for 3 volumes"),
    ({"volumes": [_pv("pv001"), _pv("pv001", path="/x")], "sources": []}, "nfs_volumes_volumes[1]: PersistentVolume pv001 is also"),
    ({"volumes": [dict(_pv("pv001"), kind="Service")], "sources": []}, "nfs_volumes_volumes[0]: must be a PersistentVolume manifest"),
    ({"volumes": [dict(_pv("pv001"), metadata={})], "sources": ["x[0]"]}, "x[0].metadata.name: must be a non-empty string"),
])
def test_bad_input_is_refused_naming_the_field_before_any_call(run_module, args, needle):
    cluster = FakeCluster()
    out = run_module(cluster, **args)
    assert out.failed and needle in out.result["msg"], out.result["msg"]
    assert cluster.calls == []
