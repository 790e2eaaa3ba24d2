# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/rbac/statefulset-validate.yml grants exactly what statefulset_validate asks of the API server.

The requests are recorded, not listed by hand: StatefulSetClient runs every read it has (a snapshot
for all checks, the list and watches of wait and watch mode, the re-list after an expired watch)
against a recording stand-in for the dynamic client, and the dns_transport=api path lists the DNS
pods and opens its port-forward with the real kubernetes client against the loopback stand-in API
server. Each request becomes the RBAC (namespace, group, resource, verb) the API server checks; a
websocket port-forward is checked as get, and from Kubernetes 1.35 also as create.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import time

import yaml

from ansible_collections.stateful.nfs.plugins.module_utils.validator.client import StatefulSetClient
from ansible_collections.stateful.nfs.plugins.module_utils.validator.portforward import ApiDnsProbe, ClusterDns
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.fake_apiserver import (
    FakeApiServer,
    RawDynamic,
)
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.test_client import (
    FakeDynamic,
    FakeResponse,
)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MANIFEST = os.path.join(REPO, "docs", "rbac", "statefulset-validate.yml")
NS, DNS_NS = "default", "kube-system"
_PATH = re.compile(r"^/(?:api/v1|apis/(?P<group>[^/]+)/[^/]+)(?:/namespaces/(?P<ns>[^/]+))?/(?P<resource>[^/]+)"
                   r"(?:/(?P<name>[^/]+)(?:/(?P<sub>[^/]+))?)?$")


def rbac_of(method, path, query, headers=None):
    """The (namespace or None, apiGroup, resource, verb) pairs the API server authorizes for a request."""
    match = _PATH.match(path)
    assert match, path
    group, namespace = match.group("group") or "", match.group("ns")
    resource = match.group("resource") + ("/" + match.group("sub") if match.group("sub") else "")
    if match.group("sub") == "portforward":
        assert (headers or {}).get("upgrade", "").lower() == "websocket"
        return {(namespace, group, resource, "get"), (namespace, group, resource, "create")}
    assert method == "GET", (method, path)
    if match.group("name"):
        return {(namespace, group, resource, "get")}
    return {(namespace, group, resource, "watch" if query.get("watch") else "list")}


def _sts():
    return {"metadata": {"name": "web", "namespace": NS, "resourceVersion": "10"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "serviceName": "web", "replicas": 1,
                     "volumeClaimTemplates": [{"metadata": {"name": "data"}}]}}


def validator_reads():
    """Every request StatefulSetClient makes, through every path it has."""
    pending_claim = {"metadata": {"name": "data-web-0"}, "status": {"phase": "Pending"}}
    watched = {"n": 0}

    def pod_watch(query):
        watched["n"] += 1
        if watched["n"] == 1:
            return FakeResponse(lines=[{"type": "ERROR", "object": {"code": 410, "message": "too old"}}])
        return FakeResponse(lines=[None])

    base = "/api/v1/namespaces/%s/" % NS
    routes = {
        ("/apis/apps/v1/namespaces/%s/statefulsets/web" % NS, "list"): lambda q: FakeResponse(_sts()),
        ("/apis/apps/v1/namespaces/%s/statefulsets" % NS, "list"): lambda q: FakeResponse(
            {"items": [_sts()], "metadata": {"resourceVersion": "10"}}),
        ("/apis/apps/v1/namespaces/%s/statefulsets" % NS, "watch"): lambda q: FakeResponse(lines=[None]),
        (base + "pods", "list"): lambda q: FakeResponse({"items": [], "metadata": {"resourceVersion": "11"}}),
        (base + "pods", "watch"): pod_watch,
        (base + "events", "list"): lambda q: FakeResponse({"items": []}),
        (base + "persistentvolumeclaims", "list"): lambda q: FakeResponse({"items": [pending_claim]}),
        ("/api/v1/persistentvolumes", "list"): lambda q: FakeResponse({"items": []}),
        (base + "services/web", "list"): lambda q: FakeResponse({"metadata": {"name": "web"}}),
    }
    dynamic = FakeDynamic(routes)
    client = StatefulSetClient(dynamic)
    client.snapshot(NS, "web", ["order", "completion", "storage", "dns"])
    client.initial_state(NS, "web")
    stream = client.stream(NS, "web", "app=web", {"Pod": "11", "StatefulSet": "10"}, time.monotonic() + 0.5)
    for _batch in stream:
        if watched["n"] >= 2:
            break
    stream.close()
    assert watched["n"] >= 2, "the re-list after an expired watch did not happen"
    needed = set()
    for path, query in dynamic.calls:
        needed |= rbac_of("GET", path, query)
    return needed


def dns_path_requests():
    """The requests of dns_transport=api, made by the real kubernetes client."""
    pod = {"metadata": {"name": "coredns-a", "namespace": DNS_NS},
           "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}}
    server = FakeApiServer([pod], "dns", {("web-0.web.default.svc.cluster.local", "A"): ["10.1.0.5"]})
    try:
        dynamic = RawDynamic(server.host)
        ApiDnsProbe(ClusterDns(StatefulSetClient(dynamic), dynamic), DNS_NS, ["k8s-app=kube-dns"], 53, 1.0).resolve(
            [("web-0.web.default.svc.cluster.local", "A")])
    finally:
        server.close()
    needed = set()
    for method, path, query, headers in server.requests:
        needed |= rbac_of(method, path, query, headers)
    return needed


def granted():
    """What the manifest grants the validator's ServiceAccount: (namespace or None, group, resource, verb)."""
    with open(MANIFEST) as stream:
        manifest = yaml.safe_load(stream)
    assert (manifest["apiVersion"], manifest["kind"]) == ("v1", "List")  # one document: kubectl apply -f takes it
    docs = manifest["items"]
    roles = dict(((d["kind"], d["metadata"].get("namespace"), d["metadata"]["name"]), d)
                 for d in docs if d["kind"] in ("Role", "ClusterRole"))
    grants = set()
    for binding in (d for d in docs if d["kind"] in ("RoleBinding", "ClusterRoleBinding")):
        assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "statefulset-validate", "namespace": NS}]
        ref = binding["roleRef"]
        scope = binding["metadata"].get("namespace")
        role = roles.pop((ref["kind"], scope if ref["kind"] == "Role" else None, ref["name"]))
        for rule in role["rules"]:
            assert set(rule) == {"apiGroups", "resources", "verbs"}, "no resourceNames, no wildcards: %r" % rule
            for group in rule["apiGroups"]:
                for resource in rule["resources"]:
                    for verb in rule["verbs"]:
                        assert "*" not in (group, resource, verb)
                        grants.add((scope, group, resource, verb))
    assert not roles, "roles nobody is bound to: %s" % sorted(roles)
    return grants


def test_the_manifest_grants_exactly_what_the_validator_asks():
    needed = validator_reads() | dns_path_requests()
    grants = granted()
    assert sorted(needed - grants) == [], "asked but not granted"
    assert sorted(grants - needed) == [], "granted but never asked"


def test_what_each_path_needs():
    # spelled out, so that a change of what the validator reads shows here as well as in the manifest
    assert validator_reads() == {
        (NS, "apps", "statefulsets", "get"), (NS, "apps", "statefulsets", "list"),
        (NS, "apps", "statefulsets", "watch"), (NS, "", "pods", "list"), (NS, "", "pods", "watch"),
        (NS, "", "events", "list"), (NS, "", "persistentvolumeclaims", "list"), (None, "", "persistentvolumes", "list"),
        (NS, "", "services", "get")}
    assert dns_path_requests() == {(DNS_NS, "", "pods", "list"), (DNS_NS, "", "pods/portforward", "get"),
                                   (DNS_NS, "", "pods/portforward", "create")}
