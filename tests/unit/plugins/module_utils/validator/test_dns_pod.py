# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cluster DNS pod to ask, and the sentences for what the API server refuses (pure)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
from kubernetes.client.exceptions import ApiException

from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_pod import (
    DnsPathError,
    api_failure,
    choose_dns_pod,
    forward_refusal,
    listing_refusal,
)

TERMS = ["k8s-app=kube-dns"]
FORBIDDEN = ('pods "coredns-a" is forbidden: User "ci" cannot get resource "pods/portforward" in API group "" '
             'in the namespace "kube-system"')


def pod(name, phase="Running", ready=True, terminating=False, reason=None):
    cond = {"type": "Ready", "status": "True" if ready else "False"}
    if reason:
        cond["reason"] = reason
    item = {"metadata": {"name": name}, "status": {"phase": phase, "conditions": [cond]}}
    if terminating:
        item["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    return item


def test_the_first_running_and_ready_pod_by_name_is_chosen():
    pods = [pod("coredns-c"), pod("coredns-a", ready=False), pod("coredns-b"), pod("coredns-0", terminating=True)]
    assert choose_dns_pod(pods, "kube-system", TERMS)["metadata"]["name"] == "coredns-b"


def test_ready_but_not_running_is_not_chosen():
    pods = [pod("coredns-a", phase="Succeeded"), pod("coredns-b")]
    assert choose_dns_pod(pods, "kube-system", TERMS)["metadata"]["name"] == "coredns-b"


def test_no_pod_names_namespace_selector_and_options():
    with pytest.raises(DnsPathError) as err:
        choose_dns_pod([], "dns", ["app=coredns", "tier=dns"])
    assert str(err.value).startswith("no pod in namespace dns matches the label selector app=coredns,tier=dns "
                                     "(dns_pod_namespace, dns_pod_label_selectors)")
    assert "dns_transport=direct and dns_server" in str(err.value)


def test_no_usable_pod_says_why_each_one_is_not():
    pods = [pod("coredns-a", ready=False, reason="ContainersNotReady"), pod("coredns-b", terminating=True),
            pod("coredns-c", phase="Pending", ready=False)]
    with pytest.raises(DnsPathError) as err:
        choose_dns_pod(pods, "kube-system", TERMS)
    assert str(err.value) == ("no Running and Ready DNS pod in namespace kube-system matches k8s-app=kube-dns: "
                              "coredns-a: phase Running; Ready=False (ContainersNotReady); coredns-b is terminating; "
                              "coredns-c: phase Pending; Ready=False")


def status_body(code, message):
    return json.dumps({"kind": "Status", "status": "Failure", "message": message, "code": code})


def test_api_failure_of_a_plain_api_exception():
    exc = ApiException(status=403, reason="Forbidden")
    exc.body = status_body(403, 'pods is forbidden: User "ci" cannot list resource "pods"')
    assert api_failure(exc) == (403, "Forbidden", 'pods is forbidden: User "ci" cannot list resource "pods"')


def test_api_failure_of_a_refused_websocket_upgrade_from_its_text():
    # kubernetes.stream wraps websocket-client's bad-status error in ApiException(status=0)
    text = "Handshake status 403 Forbidden -+-+- {'content-type': 'application/json'} -+-+- %s" % status_body(
        403, FORBIDDEN)
    assert api_failure(ApiException(status=0, reason=text)) == (403, "Forbidden", FORBIDDEN)


def test_api_failure_without_an_http_answer():
    exc = ApiException(status=0, reason="[Errno 111] Connection refused")
    assert api_failure(exc) == (None, None, "[Errno 111] Connection refused")


def test_api_failure_with_a_body_that_is_not_json():
    text = "Handshake status 502 Bad Gateway -+-+- {} -+-+- upstream unavailable"
    assert api_failure(ApiException(status=0, reason=text)) == (502, "Bad Gateway", "upstream unavailable")


@pytest.mark.parametrize("status,reason,expected", [
    (403, "Forbidden", "was refused: 403 Forbidden: %s. Asking the cluster DNS through the API server needs the "
                       "verbs get and create on pods/portforward in namespace kube-system" % FORBIDDEN),
    (401, "Unauthorized", "was refused: 401 Unauthorized: %s: the API server did not accept the credentials"
     % FORBIDDEN),
    (404, "Not Found", "found no pod: 404 Not Found: %s. The pod was listed a moment before" % FORBIDDEN),
    (400, "Bad Request", "failed: 400 Bad Request: %s" % FORBIDDEN),
])
def test_forward_refusals_name_the_pod_and_what_to_grant(status, reason, expected):
    exc = ApiException(status=status, reason=reason)
    exc.body = status_body(status, FORBIDDEN)
    message = forward_refusal(exc, "kube-system", "coredns-a", 53)
    assert message.startswith("the port-forward to DNS pod kube-system/coredns-a port 53 through the API server "
                              + expected), message


def test_a_connection_failure_is_said_as_it_is():
    message = forward_refusal(ApiException(status=0, reason="[Errno 111] Connection refused"), "kube-system",
                              "coredns-a", 53)
    assert message == ("the port-forward to DNS pod kube-system/coredns-a port 53 through the API server could not "
                       "be opened: [Errno 111] Connection refused")


def test_a_refused_listing_names_the_verb_and_namespace():
    exc = ApiException(status=403, reason="Forbidden")
    exc.body = status_body(403, 'pods is forbidden: User "ci" cannot list resource "pods" in the namespace "kube-system"')
    message = listing_refusal(exc, "kube-system", TERMS)
    assert message.startswith("listing the cluster DNS pods (namespace kube-system, label selector k8s-app=kube-dns; "
                              "dns_pod_namespace, dns_pod_label_selectors) was refused: 403 Forbidden: pods is "
                              "forbidden")
    assert "It needs the verb list on pods in namespace kube-system" in message
