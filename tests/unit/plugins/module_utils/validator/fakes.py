# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-ins for the validator's I/O (StatefulSetClient, DnsProbe) over the synthetic
tutorial snapshot, shared by the runner's tests and the module's tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import reverse_pointer
from ansible_collections.stateful.nfs.plugins.module_utils.validator.options import CHECKS

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "statefulset", "tutorial-synthetic.json")
SVC = "statefulset-headless.default.svc.cluster.local"


def load():
    """A fresh copy of the synthetic tutorial snapshot."""
    with open(FIXTURE) as stream:
        return copy.deepcopy(json.load(stream))


class FakeCluster:
    """What StatefulSetClient offers, from a fixture; ``batches`` scripts the watch."""

    def __init__(self, shot, batches=(), before=None, dns_pods=()):
        self.shot = shot
        self.batches = list(batches)
        self.before = before  # (sts, pods) at the start of a watch; defaults to the shot
        self.dns_pods = list(dns_pods)  # what a list of the cluster DNS pods finds
        self.calls = []

    def pods(self, namespace, selector):
        self.calls.append(("pods", namespace, selector))
        return {"items": copy.deepcopy(self.dns_pods)}

    def snapshot(self, namespace, name, checks, with_pods=None):
        self.calls.append("snapshot")
        if self.shot["statefulset"] is None:
            return {"statefulset": None}
        shot = copy.deepcopy(self.shot)
        if with_pods is not None:
            shot["with_pods"] = with_pods(shot["statefulset"], shot["service"], shot["pods"])
        return shot

    def initial_state(self, namespace, name):
        self.calls.append("initial_state")
        sts, pods = self.before or (self.shot["statefulset"], self.shot["pods"])
        return copy.deepcopy(sts), copy.deepcopy(pods), {"Pod": "1", "StatefulSet": "1"}

    def stream(self, namespace, name, selector, versions, deadline, wake=None):
        self.calls.append("stream")
        yield from self.batches


class FakeProbe:
    """What DnsProbe offers: the answers cluster DNS gives for the shot's pods."""

    def __init__(self, shot):
        self.asked = []
        self.table = {(SVC, "A"): {"rcode": "NOERROR", "values": sorted(p["status"]["podIP"] for p in shot["pods"])}}
        for pod in shot["pods"]:
            fqdn = "%s.%s" % (pod["metadata"]["name"], SVC)
            self.table[(fqdn, "A")] = {"rcode": "NOERROR", "values": [pod["status"]["podIP"]]}
            self.table[(reverse_pointer(pod["status"]["podIP"]), "PTR")] = {"rcode": "NOERROR", "values": [fqdn]}

    def resolve(self, queries):
        self.asked.extend(queries)
        return dict((q, self.table.get(q, {"rcode": "NXDOMAIN", "values": []})) for q in queries)

    def records(self):
        """The table as a DNS server's zone: ``{(name, rdtype): [rdata text]}``."""
        return dict((key, [v + "." if key[1] == "PTR" else v for v in answer["values"]])
                    for key, answer in self.table.items())


def params(**extra):
    """The module's parameters for the tutorial's StatefulSet (pinned volumes), with ``extra``."""
    base = dict(name="myapp", namespace="default", checks=list(CHECKS), mode="audit",
                wait=False, wait_timeout=30, watch_timeout=30, expected_volumes={"0": "pv001", "1": "pv002", "2": "pv003"},
                junit_path=None, svg_path=None, fail_on_violation=True, dns_transport="auto", dns_server="127.0.0.1",
                dns_port=10053, dns_timeout=1.0, dns_pod_namespace="kube-system",
                dns_pod_label_selectors=["k8s-app=kube-dns"], dns_pod_port=53, cluster_domain="cluster.local")
    base.update(extra)
    return base


def report_params(**extra):
    """``params`` for the report tests: the checks that need no DNS stand-in."""
    return params(**dict(dict(checks=["order", "completion", "storage"]), **extra))


def unready(pod):
    """A copy of ``pod`` that is not Ready."""
    pod = copy.deepcopy(pod)
    for cond in pod["status"]["conditions"]:
        if cond["type"] == "Ready":
            cond["status"] = "False"
    return pod
