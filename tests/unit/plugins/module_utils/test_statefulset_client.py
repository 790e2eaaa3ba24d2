# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The I/O layer: DnsProbe against a real UDP DNS server on loopback (started here),
StatefulSetClient against a stand-in for kubernetes.core's dynamic client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import threading
import time

import dns.message
import dns.rdatatype
import dns.rcode
import dns.rrset
import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.statefulset_client import DnsProbe, StatefulSetClient


class TinyDns:
    """A loopback UDP DNS server answering from a table; names in ``silent`` get no reply."""

    def __init__(self, table, silent=()):
        self.table = table
        self.silent = set(silent)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.asked = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                data, peer = self.sock.recvfrom(4096)
            except OSError:
                return
            query = dns.message.from_wire(data)
            question = query.question[0]
            name = question.name.to_text(omit_final_dot=True)
            rdtype = dns.rdatatype.to_text(question.rdtype)
            self.asked.append((name, rdtype))
            if name in self.silent:
                continue
            reply = dns.message.make_response(query)
            values = self.table.get((name, rdtype))
            if values is None:
                reply.set_rcode(dns.rcode.NXDOMAIN)
            else:
                reply.answer.append(dns.rrset.from_text_list(question.name, 5, "IN", rdtype, values))
            self.sock.sendto(reply.to_wire(), peer)

    def close(self):
        self.sock.close()


@pytest.fixture
def tiny_dns():
    server = TinyDns({
        ("web-0.web.ns.svc.cluster.local", "A"): ["10.1.0.5"],
        ("5.0.1.10.in-addr.arpa", "PTR"): ["web-0.web.ns.svc.cluster.local.", "web-0.other.ns.svc.cluster.local."],
        ("_http._tcp.web.ns.svc.cluster.local", "SRV"): ["0 100 8080 web-0.web.ns.svc.cluster.local."],
    }, silent={"slow.example"})
    yield server
    server.close()


def test_probe_normalises_answers(tiny_dns):
    probe = DnsProbe("127.0.0.1", tiny_dns.port, 1.0)
    answers = probe.resolve([("web-0.web.ns.svc.cluster.local.", "A"), ("5.0.1.10.in-addr.arpa", "PTR"),
                             ("_http._tcp.web.ns.svc.cluster.local", "SRV"), ("web-9.web.ns.svc.cluster.local", "A")])
    assert answers[("web-0.web.ns.svc.cluster.local", "A")] == {
        "rcode": "NOERROR", "values": ["10.1.0.5"], "error": None}
    assert answers[("5.0.1.10.in-addr.arpa", "PTR")]["values"] == [
        "web-0.other.ns.svc.cluster.local", "web-0.web.ns.svc.cluster.local"]
    assert answers[("_http._tcp.web.ns.svc.cluster.local", "SRV")]["values"] == ["web-0.web.ns.svc.cluster.local:8080"]
    assert answers[("web-9.web.ns.svc.cluster.local", "A")]["rcode"] == "NXDOMAIN"


def test_probe_times_out_once_retried_and_does_not_block_the_others(tiny_dns):
    probe = DnsProbe("127.0.0.1", tiny_dns.port, 0.3)
    started = time.monotonic()
    answers = probe.resolve([("slow.example", "A")] + [("web-0.web.ns.svc.cluster.local", "A")] * 20)
    elapsed = time.monotonic() - started
    assert answers[("slow.example", "A")] == {"rcode": "TIMEOUT", "values": [], "error": "no reply within 0.3 s"}
    assert tiny_dns.asked.count(("slow.example", "A")) == 2
    assert answers[("web-0.web.ns.svc.cluster.local", "A")]["values"] == ["10.1.0.5"]
    assert elapsed < 1.5


def test_probe_reports_an_unreachable_port_as_a_timeout_or_error():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    answer = DnsProbe("127.0.0.1", port, 0.2).ask("web-0.web.ns.svc.cluster.local", "A")
    assert answer["rcode"] in ("TIMEOUT", "ERROR") and answer["values"] == []


# --------------------------------------------------------------------------- kubernetes side

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
    assert dyn.calls[1][1] == {"labelSelector": "app=web"}
    assert dyn.calls[2][1] == {"fieldSelector": "involvedObject.kind=StatefulSet,involvedObject.name=web"}
    assert shot["claims"] == [] and shot["service"] is None


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


def test_probe_pipeline_window_answers_every_question(tiny_dns):
    probe = DnsProbe("127.0.0.1", tiny_dns.port, 1.0, window=4)
    names = ["web-%d.web.ns.svc.cluster.local" % i for i in range(40)]
    answers = probe.resolve([(n, "A") for n in names] + [("web-0.web.ns.svc.cluster.local", "A")])
    assert len(answers) == 40
    assert answers[("web-0.web.ns.svc.cluster.local", "A")]["values"] == ["10.1.0.5"]
    assert all(answers[(n, "A")]["rcode"] == "NXDOMAIN" for n in names[1:])
    assert len(tiny_dns.asked) == 40  # the duplicate question is asked once


@pytest.mark.parametrize("qname,rdtype", [("web-0.web.ns.svc.cluster.local", "A"), ("5.0.1.10.in-addr.arpa", "PTR"),
                                          ("_http._tcp.web.ns.svc.cluster.local", "SRV")])
def test_hand_built_query_is_what_dnspython_builds(qname, rdtype):
    reference = dns.message.make_query(qname, rdtype)
    reference.id = 4242
    wanted = dns.rdatatype.from_text(rdtype)
    assert DnsProbe._query_wire(qname, wanted, 4242) == reference.to_wire()
