# -*- coding: utf-8 -*-
"""The lab proves the tutorial: the tutorial's own manifests, applied with the lab's
kubectl, behave as the tutorial says (ordered creation, PVC binding, per-pod DNS,
reverse-order scale-down). Every fact is read from the API (PodRecorder in helpers/kube.py
records the pods' events) or from CoreDNS."""

from __future__ import annotations

from pathlib import Path

import dns.resolver
import dns.reversename
import pytest

from ansible_collections.stateful.nfs.tests.integration.helpers.kube import PodRecorder

FILES = Path(__file__).parent / "files" / "tutorial"
NAMESPACE = "it-lab-tutorial"
PVS = ["pv001", "pv002", "pv003", "pv004"]


@pytest.fixture(scope="module")
def tutorial(lab):
    """The tutorial applied in its own namespace; cleaned up afterwards (PVs too)."""
    # The tutorial's PV names are cluster-wide: a lab that still holds them (make demo's tutorial in
    # "default", for example) would bind them elsewhere, and the cleanup below would delete them.
    taken = lab.kubectl("get", "pv", *PVS, "-o", "name", "--ignore-not-found").stdout.split()
    if taken:
        pytest.fail("%s already exist on the lab (make demo's tutorial?); they are left alone. Run the tests "
                    "with STATEFUL_NFS_LAB_RESET=1 (or CI=true) to start from a clean cluster" % ", ".join(taken))
    lab.kubectl("create", "namespace", NAMESPACE)
    recorder = PodRecorder(lab.kubeconfig, NAMESPACE).start()
    try:
        lab.kubectl("apply", "-f", str(FILES / "pv"))
        lab.kubectl("apply", "-n", NAMESPACE, "-f", str(FILES / "service"))
        assert recorder.wait_for(lambda: recorder.first_ready("myapp-2") is not None, timeout=90), \
            "myapp-2 never turned Ready: %r" % recorder.events
        yield recorder
    finally:
        recorder.stop()
        lab.kubectl("delete", "namespace", NAMESPACE, "--wait=true", "--timeout=120s", check=False)
        lab.kubectl("delete", "pv", *PVS, "--wait=false", "--ignore-not-found", check=False)


def test_pods_created_in_order_each_after_previous_ready(tutorial):
    for ordinal in (1, 2):
        previous_ready = tutorial.first_ready("myapp-%d" % (ordinal - 1))
        created = tutorial.first("ADDED", "myapp-%d" % ordinal)
        assert previous_ready is not None and created is not None, tutorial.events
        assert created >= previous_ready, (
            "myapp-%d was created before myapp-%d was Ready" % (ordinal, ordinal - 1))
    assert [e[2] for e in tutorial.events if e[1] == "ADDED"] == ["myapp-0", "myapp-1", "myapp-2"]


def test_claims_bound_and_fourth_pv_available(lab, tutorial):
    claims = {c["metadata"]["name"]: c for c in lab.get_json("pvc", "-n", NAMESPACE)["items"]}
    assert sorted(claims) == ["myappdata-myapp-0", "myappdata-myapp-1", "myappdata-myapp-2"]
    for name, claim in claims.items():
        assert claim["status"]["phase"] == "Bound", name
    # The binder picks the smallest fitting volume: both 1Gi ones first, then a 2Gi one.
    bound = sorted(claims[n]["spec"]["volumeName"] for n in claims)
    assert bound[:2] == ["pv001", "pv002"] and bound[2] in ("pv003", "pv004")
    pvs = {p["metadata"]["name"]: p for p in lab.get_json("pv", *PVS)["items"]}
    free = [n for n in PVS if n not in bound]
    assert len(free) == 1 and pvs[free[0]]["status"]["phase"] == "Available"
    for name in bound:
        ref = pvs[name]["spec"]["claimRef"]
        assert ref["namespace"] == NAMESPACE and ref["name"] in claims


def test_endpointslice_lists_hostname_and_ip(lab, tutorial):
    pods = lab.pods(NAMESPACE)
    slices = lab.get_json("endpointslices", "-n", NAMESPACE,
                          "-l", "kubernetes.io/service-name=statefulset-headless")["items"]
    endpoints = {ep["hostname"]: ep for s in slices for ep in s.get("endpoints", [])}
    assert sorted(endpoints) == ["myapp-0", "myapp-1", "myapp-2"]
    for name, pod in pods.items():
        assert endpoints[name]["addresses"] == [pod["status"]["podIP"]]
        assert endpoints[name]["conditions"]["ready"] is True


def test_coredns_answers_a_and_ptr(lab, tutorial):
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [lab.dns_server]
    resolver.port = lab.dns_port
    resolver.lifetime = 5
    for name, pod in lab.pods(NAMESPACE).items():
        fqdn = "%s.statefulset-headless.%s.svc.cluster.local" % (name, NAMESPACE)
        ip = pod["status"]["podIP"]
        assert [r.address for r in resolver.resolve(fqdn, "A")] == [ip]
        ptr = resolver.resolve(dns.reversename.from_address(ip), "PTR")
        assert [r.target.to_text() for r in ptr] == [fqdn + "."]


def test_scale_to_one_deletes_highest_ordinal_first(lab, tutorial):
    lab.kubectl("scale", "statefulset", "myapp", "-n", NAMESPACE, "--replicas=1")
    assert tutorial.wait_for(lambda: tutorial.first("DELETED", "myapp-1") is not None, 60), tutorial.events
    deleted = [e[2] for e in tutorial.events if e[1] == "DELETED"]
    assert deleted == ["myapp-2", "myapp-1"]
    # Retain: the claims of the deleted pods stay, still bound.
    claims = lab.get_json("pvc", "-n", NAMESPACE)["items"]
    assert sorted(c["metadata"]["name"] for c in claims) == [
        "myappdata-myapp-0", "myappdata-myapp-1", "myappdata-myapp-2"]
    assert all(c["status"]["phase"] == "Bound" for c in claims)
