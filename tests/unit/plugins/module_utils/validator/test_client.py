# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Kubernetes API I/O: StatefulSetClient against a stand-in for kubernetes.core's
dynamic client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

from ansible_collections.stateful.nfs.plugins.module_utils.validator.client import StatefulSetClient


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
    assert [c[0] for c in dyn.calls] == ["/apis/apps/v1/namespaces/ns/statefulsets/web",
                                         "/api/v1/namespaces/ns/pods", "/api/v1/namespaces/ns/events"]
    assert dyn.calls[1][1] == {"labelSelector": "app=web", "limit": "1000"}
    assert dyn.calls[2][1] == {"fieldSelector": "involvedObject.kind=StatefulSet,involvedObject.name=web", "limit": "1000"}
    assert shot["claims"] == [] and shot["service"] is None
    # the reads are timed: the shared ones, and the order check's own (its events)
    assert sorted(shot["read_seconds"]) == ["order", "statefulset"]
    assert all(seconds >= 0 for seconds in shot["read_seconds"].values())


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
