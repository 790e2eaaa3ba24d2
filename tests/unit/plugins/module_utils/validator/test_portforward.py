# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""dns_transport=api end to end on loopback: ApiDnsProbe lists the DNS pods and opens a port-forward
with the real kubernetes.stream client against a stand-in API server (fake_apiserver.py), then asks
DNS over TCP on it; refusals and dropped streams become sentences, never tracebacks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.validator.client import StatefulSetClient
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_pod import DnsPathError
from ansible_collections.stateful.nfs.plugins.module_utils.validator.portforward import ApiDnsProbe, ClusterDns
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.fake_apiserver import (
    FakeApiServer,
    RawDynamic,
)

SVC = "web.ns.svc.cluster.local"
TABLE = {("web-0." + SVC, "A"): ["10.1.0.5"], ("5.0.1.10.in-addr.arpa", "PTR"): ["web-0.%s." % SVC]}
FORBIDDEN = ('pods "coredns-a" is forbidden: User "system:serviceaccount:ci:validator" cannot get resource '
             '"pods/portforward" in API group "" in the namespace "kube-system"')


def dns_pod(name, ready=True, phase="Running"):
    return {"metadata": {"name": name, "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
            "status": {"phase": phase, "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}}


@pytest.fixture
def api():
    servers = []

    def start(pods=(dns_pod("coredns-b"), dns_pod("coredns-a")), forward="dns"):
        server = FakeApiServer(pods, forward, TABLE)
        servers.append(server)
        dynamic = RawDynamic(server.host)
        probe = ApiDnsProbe(ClusterDns(StatefulSetClient(dynamic), dynamic), "kube-system",
                            ["k8s-app=kube-dns", "tier!=test"], 53, 0.5)
        return server, probe
    yield start
    for server in servers:
        server.close()


def test_questions_go_through_a_port_forward_to_a_ready_dns_pod(api):
    server, probe = api()
    answers = probe.resolve([("web-0." + SVC, "A"), ("5.0.1.10.in-addr.arpa", "PTR"), ("web-1." + SVC, "A")])
    assert answers[("web-0." + SVC, "A")]["values"] == ["10.1.0.5"]
    assert answers[("5.0.1.10.in-addr.arpa", "PTR")]["values"] == ["web-0." + SVC]
    assert answers[("web-1." + SVC, "A")]["rcode"] == "NXDOMAIN"
    calls = [(method, path, query) for method, path, query, _headers in server.requests]
    assert calls == [
        ("GET", "/api/v1/namespaces/kube-system/pods", {"labelSelector": "k8s-app=kube-dns,tier!=test", "limit": "1000"}),
        ("GET", "/api/v1/namespaces/kube-system/pods/coredns-a/portforward", {"ports": "53"})]
    assert server.requests[1][3]["upgrade"].lower() == "websocket"
    assert len(server.responders) == 1 and len(server.responders[0].asked) == 3  # one stream for all
    assert probe.source == {
        "transport": "api", "server": "kube-system/coredns-a:53 (port-forward through the API server)",
        "dns_pod": {"namespace": "kube-system", "name": "coredns-a", "port": 53,
                    "label_selector": "k8s-app=kube-dns,tier!=test", "streams": 1}}


def test_no_questions_no_api_calls(api):
    server, probe = api()
    assert probe.resolve([]) == {}
    assert server.requests == []


def test_a_forbidden_port_forward_names_the_verbs_resource_and_namespace(api):
    _server, probe = api(forward=("refuse", 403, "Forbidden", FORBIDDEN))
    with pytest.raises(DnsPathError) as err:
        probe.resolve([("web-0." + SVC, "A")])
    message = str(err.value)
    assert message.startswith("the port-forward to DNS pod kube-system/coredns-a port 53 through the API server was "
                              "refused: 403 Forbidden: " + FORBIDDEN)
    assert "needs the verbs get and create on pods/portforward in namespace kube-system" in message


def test_a_vanished_pod_is_a_404_sentence(api):
    _server, probe = api(forward=("refuse", 404, "Not Found", 'pods "coredns-a" not found'))
    with pytest.raises(DnsPathError, match=r"found no pod: 404 Not Found: pods \"coredns-a\" not found\. The pod "
                                           r"was listed a moment before"):
        probe.resolve([("web-0." + SVC, "A")])


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # the client's proxy thread
def test_an_error_on_the_error_channel_is_reported_with_its_text(api):
    server, probe = api(forward=("error", "error forwarding port 53 to pod 1f2e, uid : connection refused"))
    with pytest.raises(DnsPathError) as err:
        probe.resolve([("web-0." + SVC, "A")])
    assert str(err.value) == (
        "the port-forward to DNS pod kube-system/coredns-a port 53 closed before any answer (the stream was closed: "
        "the API server said: error forwarding port 53 to pod 1f2e, uid : connection refused): nothing listens for "
        "DNS over TCP on that port of the pod, or the API server or kubelet dropped the stream; check dns_pod_port")
    assert len(server.requests) == 3  # the list, then the port-forward and its one retry


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
@pytest.mark.parametrize("attempt", range(5))
def test_a_dropped_port_forward_says_so_at_once(api, attempt):
    # the client's proxy thread either sees the close frame and closes the stream, or dies writing to the
    # closed connection and leaves the stream open: both are reported, without waiting for the timeouts
    _server, probe = api(forward="drop")
    probe.timeout = 5.0
    started = time.monotonic()
    with pytest.raises(DnsPathError, match=r"closed before any answer \(the (stream was closed|port-forward stopped "
                                           r"carrying data): the API server closed the port-forward without saying "
                                           r"why\)"):
        probe.resolve([("web-0." + SVC, "A")])
    assert time.monotonic() - started < 3.0  # not the 2 x 5 s of the timeouts


def test_no_dns_pod_names_the_selector_and_namespace(api):
    server, probe = api(pods=())
    with pytest.raises(DnsPathError, match=r"^no pod in namespace kube-system matches the label selector "
                                           r"k8s-app=kube-dns,tier!=test \(dns_pod_namespace, dns_pod_label_selectors\)"):
        probe.resolve([("web-0." + SVC, "A")])
    assert len(server.requests) == 1  # no port-forward attempted


def test_no_ready_dns_pod_says_the_state_of_each(api):
    _server, probe = api(pods=(dns_pod("coredns-a", ready=False), dns_pod("coredns-b", phase="Pending", ready=False)))
    with pytest.raises(DnsPathError) as err:
        probe.resolve([("web-0." + SVC, "A")])
    assert str(err.value) == ("no Running and Ready DNS pod in namespace kube-system matches k8s-app=kube-dns,tier!=test: "
                              "coredns-a: phase Running; Ready=False; coredns-b: phase Pending; Ready=False")


def test_impersonation_is_refused_rather_than_dropped(api):
    server, probe = api()
    probe.cluster.dynamic.client.set_default_header("Impersonate-User", "validator")
    with pytest.raises(DnsPathError) as err:
        probe.resolve([("web-0." + SVC, "A")])
    assert str(err.value).startswith("the port-forward to DNS pod kube-system/coredns-a cannot carry the "
                                     "impersonation (Impersonate-User headers, from impersonate_user or "
                                     "impersonate_groups)")
    assert [r[1] for r in server.requests] == ["/api/v1/namespaces/kube-system/pods"]  # no port-forward made
