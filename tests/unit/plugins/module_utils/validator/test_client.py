# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Kubernetes API I/O: StatefulSetClient against a stand-in for kubernetes.core's
dynamic client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading
import time

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.validator.client import ApiException, StatefulSetClient


class FakeResponse:
    def __init__(self, payload=None, lines=None):
        self.data = json.dumps(payload).encode() if payload is not None else b""
        self.lines = lines or []
        self.closed = False

    def stream(self, amt=None, decode_content=False):
        for line in self.lines:
            if self.closed:
                return
            if line is None:
                time.sleep(0.05)
                continue
            yield (json.dumps(line) + "\n").encode()
        while not self.closed:
            time.sleep(0.01)

    def release_conn(self):
        pass

    def shutdown(self):
        self.closed = True


class FakeDynamic:
    """Stands in for kubernetes.core's K8SDynamicClient: ``request`` -> raw response."""

    def __init__(self, routes):
        self.routes = routes
        self.calls = []

    def request(self, method, path, query_params=None, header_params=None, _request_timeout=None, serialize=True):
        assert serialize is False, "plain JSON, not ResourceInstance"
        query = dict(query_params or [])
        self.calls.append((path, query))
        key = (path, "watch" if query.get("watch") else "list")
        answer = self.routes[key]
        if callable(answer):
            answer = answer(query)
        return answer


def _sts():
    return {"metadata": {"name": "web", "namespace": "ns", "resourceVersion": "10"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "serviceName": "web", "replicas": 1,
                     "volumeClaimTemplates": [{"metadata": {"name": "data"}}]}}


def _pod(name, rv):
    return {"metadata": {"name": name, "namespace": "ns", "resourceVersion": rv}}


def test_snapshot_reads_only_what_the_checks_need():
    routes = {
        ("/apis/apps/v1/namespaces/ns/statefulsets/web", "list"): FakeResponse(_sts()),
        ("/api/v1/namespaces/ns/pods", "list"): FakeResponse({"items": [_pod("web-0", "11")], "metadata": {}}),
        ("/api/v1/namespaces/ns/events", "list"): FakeResponse({"items": []}),
    }
    dyn = FakeDynamic(routes)
    shot = StatefulSetClient(dyn).snapshot("ns", "web", ["order", "completion"])
    assert [p["metadata"]["name"] for p in shot["pods"]] == ["web-0"]
    # the StatefulSet first (its selector says which pods), then its pods and events at once
    assert dyn.calls[0][0] == "/apis/apps/v1/namespaces/ns/statefulsets/web"
    calls = dict(dyn.calls[1:])
    assert sorted(calls) == ["/api/v1/namespaces/ns/events", "/api/v1/namespaces/ns/pods"]
    assert calls["/api/v1/namespaces/ns/pods"] == {"labelSelector": "app=web", "limit": "1000"}
    assert calls["/api/v1/namespaces/ns/events"] == {
        "fieldSelector": "involvedObject.kind=StatefulSet,involvedObject.name=web", "limit": "1000"}
    assert shot["claims"] == [] and shot["service"] is None
    # the reads are timed: the shared ones, and the order check's own (its events)
    assert sorted(shot["read_seconds"]) == ["order", "statefulset"]
    assert all(seconds >= 0 for seconds in shot["read_seconds"].values())


def _all_routes(pending_claim=False):
    claim = {"metadata": {"name": "data-web-0"}, "status": {"phase": "Pending" if pending_claim else "Bound"}}
    return {
        ("/apis/apps/v1/namespaces/ns/statefulsets/web", "list"): FakeResponse(_sts()),
        ("/api/v1/namespaces/ns/pods", "list"): FakeResponse({"items": [_pod("web-0", "11")], "metadata": {}}),
        ("/api/v1/namespaces/ns/events", "list"): lambda q: FakeResponse({"items": [{"reason": q["fieldSelector"]}]}),
        ("/api/v1/namespaces/ns/persistentvolumeclaims", "list"): FakeResponse({"items": [claim]}),
        ("/api/v1/persistentvolumes", "list"): FakeResponse({"items": [{"metadata": {"name": "pv1"}}]}),
        ("/api/v1/namespaces/ns/services/web", "list"): FakeResponse({"metadata": {"name": "web"}}),
    }


class Gate:
    """Holds every read of ``paths`` until all of them have started: reads made one after
    another never get there (the test fails on the timeout)."""

    def __init__(self, routes, paths):
        self.routes, self.paths = routes, set(paths)
        self.started = set()
        self.all_in = threading.Event()
        self.lock = threading.Lock()

    def wrap(self):
        gate = self

        def held(path, answer):
            def answer_when_all_in(query):
                with gate.lock:
                    gate.started.add(path)
                    if gate.started >= gate.paths:
                        gate.all_in.set()
                assert gate.all_in.wait(2), "read one after another: %s started, %s never did" % (
                    sorted(gate.started), sorted(gate.paths - gate.started))
                return answer(query) if callable(answer) else answer
            return answer_when_all_in

        return dict((key, held(key[0], answer) if key[0] in self.paths else answer)
                    for key, answer in self.routes.items())


def test_snapshot_reads_what_follows_the_statefulset_at_once():
    paths = ["/api/v1/namespaces/ns/pods", "/api/v1/namespaces/ns/events",
             "/api/v1/namespaces/ns/persistentvolumeclaims", "/api/v1/persistentvolumes"]
    dyn = FakeDynamic(Gate(_all_routes(), paths).wrap())
    shot = StatefulSetClient(dyn).snapshot("ns", "web", ["order", "completion", "storage", "dns"])
    assert [p["metadata"]["name"] for p in shot["pods"]] == ["web-0"]
    assert [c["metadata"]["name"] for c in shot["claims"]] == ["data-web-0"] and shot["claim_events"] == []
    assert [v["metadata"]["name"] for v in shot["volumes"]] == ["pv1"]
    assert shot["events"] == [{"reason": "involvedObject.kind=StatefulSet,involvedObject.name=web"}]
    assert shot["service"] == {"metadata": {"name": "web"}}
    assert sorted(shot["read_seconds"]) == ["dns", "order", "statefulset", "storage"]


def test_snapshot_asks_with_pods_while_the_other_reads_go_on():
    # with_pods goes on only once the volumes' read has started: were it called after the other
    # reads, or they after it, it would wait in vain (the test fails on the timeout)
    reading = threading.Event()
    routes = _all_routes(pending_claim=True)
    volumes = routes[("/api/v1/persistentvolumes", "list")]

    def volumes_read(query):
        reading.set()
        return volumes

    routes[("/api/v1/persistentvolumes", "list")] = volumes_read
    seen = []

    def with_pods(sts, service, pods):
        assert reading.wait(2), "the volumes' read had not started while with_pods ran"
        seen.append((sts["metadata"]["name"], service["metadata"]["name"], [p["metadata"]["name"] for p in pods]))
        return "answers"

    shot = StatefulSetClient(FakeDynamic(routes)).snapshot("ns", "web", ["storage", "dns"], with_pods=with_pods)
    assert seen == [("web", "web", ["web-0"])] and shot["with_pods"] == "answers"
    # a claim not Bound: its events were read after the claims (same thread)
    assert shot["claim_events"] == [{"reason": "involvedObject.kind=PersistentVolumeClaim"}]
    assert shot["events"] == []  # order not selected


def test_snapshot_raises_the_first_failed_read_after_all_ended():
    routes = _all_routes()
    finished = []

    def forbidden(query):
        raise ApiException(status=403, reason="Forbidden")

    def slow_volumes(query):
        time.sleep(0.1)
        finished.append("volumes")
        return FakeResponse({"items": []})

    routes[("/api/v1/namespaces/ns/events", "list")] = forbidden
    routes[("/api/v1/persistentvolumes", "list")] = slow_volumes
    with pytest.raises(ApiException) as err:
        StatefulSetClient(FakeDynamic(routes)).snapshot("ns", "web", ["order", "storage"])
    assert err.value.status == 403
    assert finished == ["volumes"]  # no thread is left running behind the error


def test_stream_merges_both_watches_and_relists_after_410():
    relist = {"items": [_pod("web-1", "30")], "metadata": {"resourceVersion": "30"}}
    watches = {"pods": 0}

    def pod_watch(query):
        watches["pods"] += 1
        if watches["pods"] == 1:
            assert query["resourceVersion"] == "5" and query["labelSelector"] == "app=web"
            return FakeResponse(lines=[{"type": "ADDED", "object": _pod("web-0", "20")},
                                       {"type": "BOOKMARK", "object": {"metadata": {"resourceVersion": "21"}}},
                                       {"type": "ERROR", "object": {"code": 410, "message": "too old"}}])
        assert query["resourceVersion"] == "30"
        return FakeResponse(lines=[None])

    routes = {
        ("/api/v1/namespaces/ns/pods", "watch"): pod_watch,
        ("/api/v1/namespaces/ns/pods", "list"): FakeResponse(relist),
        ("/apis/apps/v1/namespaces/ns/statefulsets", "watch"): FakeResponse(
            lines=[{"type": "MODIFIED", "object": _sts()}]),
    }
    client = StatefulSetClient(FakeDynamic(routes))
    seen = []
    stream = client.stream("ns", "web", "app=web", {"Pod": "5", "StatefulSet": "9"}, time.monotonic() + 1.0)
    for batch in stream:
        seen.extend((kind, kind_type, item["metadata"]["name"]) for kind, kind_type, item, _when in batch)
        if len(seen) >= 4:
            break
    stream.close()
    assert sorted(seen) == sorted([("Pod", "ADDED", "web-0"), ("StatefulSet", "MODIFIED", "web"),
                                   ("Pod", "MODIFIED", "web-1"), ("Pod", "DELETED", "web-0")])


def test_stream_ends_at_the_deadline_and_wakes_for_time_based_conditions():
    routes = {
        ("/api/v1/namespaces/ns/pods", "watch"): lambda q: FakeResponse(lines=[None]),
        ("/apis/apps/v1/namespaces/ns/statefulsets", "watch"): lambda q: FakeResponse(lines=[None]),
    }
    client = StatefulSetClient(FakeDynamic(routes))
    wake = [time.time() + 0.2]
    started = time.monotonic()
    batches = list(client.stream("ns", "web", None, {"Pod": "1", "StatefulSet": "1"}, started + 0.6, wake))
    elapsed = time.monotonic() - started
    assert batches == [[]]
    assert 0.55 <= elapsed < 1.5


def _pods_in_pages(count, page_size, expire_at=None):
    """A pod list route that serves ``count`` pods in pages of ``limit`` (as the API server chunks),
    each pod with managedFields; a continue token at page ``expire_at`` has expired (410)."""
    pods = [_pod("web-%d" % i, "40") for i in range(count)]

    def route(query):
        for pod in pods:
            pod["metadata"]["managedFields"] = [{"manager": "kube-controller-manager", "fieldsV1": {"f:spec": {}}}]
        if "limit" not in query:
            return FakeResponse({"items": pods, "metadata": {"resourceVersion": "40"}})
        assert int(query["limit"]) == page_size
        start = int(query.get("continue") or 0)
        if expire_at is not None and start == expire_at * page_size:
            from kubernetes.client.exceptions import ApiException
            raise ApiException(status=410, reason="Expired")
        metadata = {"resourceVersion": "40"}
        if start + page_size < count:
            metadata.update({"continue": str(start + page_size), "remainingItemCount": count - start - page_size})
        return FakeResponse({"items": pods[start:start + page_size], "metadata": metadata})
    return route


def test_lists_are_read_in_pages_without_managed_fields(monkeypatch):
    from ansible_collections.stateful.nfs.plugins.module_utils.validator import client as client_module
    monkeypatch.setattr(client_module, "LIST_PAGE", 2)
    dyn = FakeDynamic({("/api/v1/namespaces/ns/pods", "list"): _pods_in_pages(5, 2)})
    listing = StatefulSetClient(dyn).pods("ns", "app=web")
    assert [p["metadata"]["name"] for p in listing["items"]] == ["web-%d" % i for i in range(5)]
    assert all("managedFields" not in p["metadata"] for p in listing["items"])
    assert listing["metadata"] == {"resourceVersion": "40"}
    assert [q.get("continue") for _path, q in dyn.calls] == [None, "2", "4"]
    assert all(q["labelSelector"] == "app=web" for _path, q in dyn.calls)


def test_an_expired_continue_token_reads_the_whole_list_again(monkeypatch):
    from ansible_collections.stateful.nfs.plugins.module_utils.validator import client as client_module
    monkeypatch.setattr(client_module, "LIST_PAGE", 2)
    dyn = FakeDynamic({("/api/v1/namespaces/ns/pods", "list"): _pods_in_pages(5, 2, expire_at=1)})
    listing = StatefulSetClient(dyn).pods("ns", "app=web")
    assert [p["metadata"]["name"] for p in listing["items"]] == ["web-%d" % i for i in range(5)]
    assert all("managedFields" not in p["metadata"] for p in listing["items"])
    assert [("limit" in q, q.get("continue")) for _path, q in dyn.calls] == [(True, None), (True, "2"), (False, None)]
