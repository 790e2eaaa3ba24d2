# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The validator's DNS check through the API server (issue 14), on the lab as on a real cluster: the
cluster DNS is the pod ``kube-system/coredns-lab-dns`` (labels ``k8s-app=kube-dns``) behind the
Service ``kube-dns``; the API server port-forwards to it through KWOK's kubelet server, which
forwards port 53 to the lab's CoreDNS. The validator reaches nothing but the API server.

Every case is checked against the direct path (the lab's CoreDNS on 127.0.0.1:10053) too: the
two paths must give the same answers and the same messages."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import subprocess
import time
import uuid
from pathlib import Path

import dns.message
import dns.query
import pytest
import yaml

from ansible_collections.stateful.nfs.tests.integration.helpers.ansible_runs import REPO
from ansible_collections.stateful.nfs.tests.integration.helpers.stacks import ManifestStack, StackMaker
from ansible_collections.stateful.nfs.tests.integration.helpers.validate import NEVER_READY, validate

pytestmark = pytest.mark.lab

DNS_POD = "coredns-lab-dns"
RBAC_EXAMPLE = Path(str(REPO)) / "docs" / "rbac" / "statefulset-validate.yml"


@pytest.fixture
def stack(lab):
    made = StackMaker(lambda case: ManifestStack(lab, case))
    yield made
    made.cleanup()


def through_api(lab, **args):
    return validate(lab, dns_transport="api", **args)


def records(result):
    return [(r["pod"], r["ip"], r["a"]["values"], r["ptr"]["values"]) for r in result["dns"]]


def test_the_lab_models_the_cluster_dns(lab):
    service = lab.get_json("service", "kube-dns", "-n", "kube-system")
    assert service["spec"]["clusterIP"] == "10.96.0.10"
    assert service["spec"]["selector"] == {"k8s-app": "kube-dns"}
    pod = lab.get_json("pod", DNS_POD, "-n", "kube-system")
    assert pod["spec"]["nodeName"] == "lab-dns"
    assert [c["status"] for c in pod["status"]["conditions"] if c["type"] == "Ready"] == ["True"]
    node = lab.get_json("node", "lab-dns")
    assert node["status"]["addresses"] == [{"address": "127.0.0.1", "type": "InternalIP"}]
    assert node["spec"]["taints"][0]["key"] == "lab.stateful.nfs/cluster-dns"
    # kubectl's own port-forward (to a loopback port it picks) reaches the lab's CoreDNS through the API server
    forward = subprocess.Popen([lab.kubectl_path, "--kubeconfig", lab.kubeconfig, "port-forward", "-n", "kube-system",
                                "pod/" + DNS_POD, "--address", "127.0.0.1", ":53"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = forward.stdout.readline()
        match = re.match(r"Forwarding from 127\.0\.0\.1:(\d+) -> 53", line)
        assert match, line + forward.stderr.read() if forward.poll() is not None else line
        reply = dns.query.tcp(dns.message.make_query("kubernetes.default.svc.cluster.local", "A"), "127.0.0.1",
                              port=int(match.group(1)), timeout=5)
        assert [rr.to_text() for rrset in reply.answer for rr in rrset] == ["10.96.0.1"]
    finally:
        forward.terminate()
        forward.wait(timeout=10)


def test_tutorial_passes_through_the_api_with_the_answers_of_the_direct_path(lab, stack):
    s = stack("dnsapi")
    s.tutorial()
    s.rollout()
    api = through_api(lab, name="myapp", namespace=s.ns, expected_volumes=s.pins())
    assert not api.get("failed"), api.get("msg")
    assert api["valid"] is True
    dns = api["checks"]["dns"]
    assert dns["status"] == "passed" and dns["transport"] == "api"
    assert dns["dns_pod"]["name"] == DNS_POD and dns["dns_pod"]["namespace"] == "kube-system"
    assert "port-forward through the API server" in dns["server"]
    for record in api["dns"]:
        assert record["a"]["values"] == [record["ip"]]
        assert record["ptr"]["values"] == ["%s.statefulset-headless.%s.svc.cluster.local" % (record["pod"], s.ns)]
        # the tutorial's note: from inside the namespace the short name resolves through the search path
        assert record["search"]["name"] == "%s.statefulset-headless" % record["pod"]
        assert record["search"]["search_domain"] == "%s.svc.cluster.local" % s.ns
    assert len(dns["srv"][0]["answer"]["values"]) == 3

    direct = validate(lab, name="myapp", namespace=s.ns, checks=["dns"])
    assert direct["checks"]["dns"]["transport"] == "direct"
    assert records(direct) == records(api)


def test_a_wrong_record_fails_in_both_paths_with_the_same_message(lab, stack):
    s = stack("dnswrong")
    s.tutorial(claims=False)
    s.rollout()
    # the headless Service stops selecting the pods: their records go away
    s.lab.kubectl("-n", s.ns, "patch", "service/statefulset-headless", "--type=merge", "-p",
                  json.dumps({"spec": {"selector": {"app": "nobody"}}}))
    time.sleep(2)
    direct = validate(lab, name="myapp", namespace=s.ns, checks=["dns"], fail_on_violation=False)
    api = through_api(lab, name="myapp", namespace=s.ns, checks=["dns"], fail_on_violation=False)
    assert direct["valid"] is False and api["valid"] is False

    def messages(result):
        server = result["checks"]["dns"]["server"]
        return [v["message"].replace(server, "<server>") for v in result["violations"]]
    assert messages(api) == messages(direct)
    assert any(m.startswith("A myapp-1.statefulset-headless.%s.svc.cluster.local answered NXDOMAIN" % s.ns)
               for m in messages(api))


def test_no_dns_pod_or_none_ready_is_a_clear_error(lab, stack):
    s = stack("dnspod")
    s.tutorial(claims=False, replicas=1)
    s.rollout()
    missing = through_api(lab, name="myapp", namespace=s.ns, checks=["dns"],
                          dns_pod_label_selectors=["k8s-app=no-such-dns"])
    assert missing["failed"]
    assert missing["msg"].startswith("dns check: no pod in namespace kube-system matches the label selector "
                                     "k8s-app=no-such-dns"), missing["msg"]
    assert "Traceback" not in json.dumps(missing)

    # a "DNS pod" of the test's own that never turns Ready
    s.apply([{"apiVersion": "v1", "kind": "Pod",
              "metadata": {"name": "dns-not-ready", "namespace": s.ns,
                           "labels": {"it-dns": "yes", NEVER_READY: "true"}},
              "spec": {"containers": [{"name": "dns", "image": "registry.example/dns:v1"}]}}])
    time.sleep(3)
    unready = through_api(lab, name="myapp", namespace=s.ns, checks=["dns"], dns_pod_namespace=s.ns,
                          dns_pod_label_selectors=["it-dns=yes"])
    assert unready["failed"]
    assert unready["msg"].startswith("dns check: no Running and Ready DNS pod in namespace %s matches it-dns=yes" % s.ns), \
        unready["msg"]

    # a port the DNS pod does not forward
    closed = through_api(lab, name="myapp", namespace=s.ns, checks=["dns"], dns_pod_port=5353, dns_timeout=1.0)
    assert closed["failed"] and "Traceback" not in json.dumps(closed)
    assert "%s" % DNS_POD in closed["msg"] and "5353" in closed["msg"], closed["msg"]


def rbac_for(namespace, suffix, portforward=True):
    """The shipped example (docs/rbac/statefulset-validate.yml) for a StatefulSet in ``namespace``: its
    objects renamed with ``suffix``; without ``portforward``, the pods/portforward rule dropped."""
    example = yaml.safe_load(RBAC_EXAMPLE.read_text())
    objects = []
    for item in example["items"]:
        item = json.loads(json.dumps(item))
        meta = item["metadata"]
        if meta.get("namespace") == "default":
            meta["namespace"] = namespace
        if item["kind"] != "ServiceAccount":
            meta["name"] += "-" + suffix
        if "roleRef" in item:
            item["roleRef"]["name"] += "-" + suffix
        for subject in item.get("subjects", []):
            subject["namespace"] = namespace
        if not portforward and item["kind"] == "Role":
            item["rules"] = [r for r in item["rules"] if "pods/portforward" not in r["resources"]]
        objects.append(item)
    return objects


def token_kubeconfig(lab, namespace, account, path):
    """A kubeconfig for the lab's API server that authenticates as ServiceAccount ``account``."""
    token = lab.kubectl("create", "token", account, "-n", namespace, "--duration=10m").stdout.strip()
    admin = yaml.safe_load(Path(lab.kubeconfig).read_text())
    cluster = admin["clusters"][0]
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "sa",
        "clusters": [cluster],
        "users": [{"name": "sa", "user": {"token": token}}],
        "contexts": [{"name": "sa", "context": {"cluster": cluster["name"], "user": "sa"}}]}))
    return str(path)


def test_the_shipped_rbac_is_enough_and_a_missing_permission_is_named(lab, stack, tmp_path):
    s = stack("dnsrbac")
    s.tutorial()
    s.rollout()
    suffix = uuid.uuid4().hex[:6]
    objects = rbac_for(s.ns, suffix)
    cluster_scoped = [(o["kind"], o["metadata"]["name"]) for o in objects if "namespace" not in o["metadata"]]
    dns_scoped = [(o["kind"], o["metadata"]["name"]) for o in objects if o["metadata"].get("namespace") == "kube-system"]
    try:
        s.apply(objects)
        kubeconfig = token_kubeconfig(lab, s.ns, "statefulset-validate", tmp_path / "sa.kubeconfig")
        allowed = through_api(lab, name="myapp", namespace=s.ns, kubeconfig=kubeconfig, expected_volumes=s.pins())
        assert not allowed.get("failed"), allowed.get("msg")
        assert allowed["valid"] is True and allowed["checks"]["dns"]["transport"] == "api"

        # the same account without pods/portforward: a clear refusal naming the verbs and the resource
        s.apply(rbac_for(s.ns, suffix, portforward=False))
        time.sleep(1)
        refused = through_api(lab, name="myapp", namespace=s.ns, kubeconfig=kubeconfig, checks=["dns"])
        assert refused["failed"]
        assert "403" in refused["msg"] and "get and create on pods/portforward in namespace kube-system" in refused["msg"], \
            refused["msg"]
        assert "Traceback" not in json.dumps(refused)
    finally:
        for kind, name in cluster_scoped:
            lab.kubectl("delete", kind.lower(), name, "--ignore-not-found", check=False)
        for kind, name in dns_scoped:
            lab.kubectl("delete", kind.lower(), name, "-n", "kube-system", "--ignore-not-found", check=False)
