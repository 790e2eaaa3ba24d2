# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test stacks: one test's namespace, volumes and StatefulSet, and what the tests read from them.

``Stack`` (test_k8s_roles.py) and ``FaultStack`` (test_fault_matrix.py) drive the real playbooks:
each test works in its own namespace (``it-k8s-<case>-<random>``, ``it-fault-<case>-<random>``) with
its own volume set (label ``stateful.nfs/volume-set``, names ``<set>-pv001``...) and storage class:
PersistentVolumes are cluster-scoped, so the names and the label keep tests apart and let
``Stack.cleanup`` remove exactly what the test created. ``ManifestStack``
(test_statefulset_validate.py) applies the tutorial's objects with kubectl instead, in
``it-validate-<case>-<random>``. ``StackMaker`` removes every stack a test made at its end.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import uuid

from ansible_collections.stateful.nfs.tests.integration.helpers.ansible_runs import HELPERS, run
from ansible_collections.stateful.nfs.tests.integration.helpers.kube import ready
from ansible_collections.stateful.nfs.tests.integration.helpers.nfs import nfs_read, nfs_write, pv_nfs_url

VOLUME_SET_LABEL = "stateful.nfs/volume-set"
# An override that removes one of the stack's variables (a run that forgets it).
UNSET = object()
# The label of ManifestStack's PersistentVolumes.
OWNER = "it.stateful.nfs/owner"


class StackMaker(object):
    """``make(case, **kwargs)`` for a fixture: builds a stack with ``build`` and remembers it;
    ``cleanup`` removes every stack made, at the end of the test."""

    def __init__(self, build):
        self.build = build
        self.made = []

    def __call__(self, case, **kwargs):
        stack = self.build(case, **kwargs)
        self.made.append(stack)
        return stack

    def cleanup(self):
        for stack in self.made:
            stack.cleanup()


class Stack(object):
    """One test's namespace, volume set and StatefulSet, driven through the real playbooks."""

    # the namespace is ``<prefix>-<case>-<random>``; the volume set, PV names and storage class follow it
    prefix = "it-k8s"

    def __init__(self, lab, kube, playbook_runner, exports, case, replicas=3, wait_timeout=90):
        suffix = uuid.uuid4().hex[:6]
        self.suffix = suffix
        self.lab = lab
        self.runner = playbook_runner
        self.markers = []
        self.kube = kube
        self.exports = exports
        self.namespace = "%s-%s-%s" % (self.prefix, case, suffix)
        self.volume_set = self.namespace
        self.pv_prefix = self.namespace + "-pv"
        self.name = "myapp"
        self.selector = "app=myapp-pod"
        # A storage class of its own (no StorageClass object: static binding) keeps other tests'
        # claims off this test's volumes and this test's claims off theirs.
        self.storage_class = self.namespace
        self.base = {
            "stateful_nfs_kubeconfig": lab.kubeconfig,
            "nfs_volumes_exports": exports,
            "nfs_volumes_set": self.volume_set,
            "nfs_volumes_name_prefix": self.pv_prefix,
            "nfs_volumes_storage_class_name": self.storage_class,
            # The lab's four exports are shared on purpose: every test's set (and make demo's pv001..pv004,
            # and the volumes of a finished test still being deleted) points at them. Without this the role
            # refuses a second set on an export (test_fault_matrix.py::test_second_volume_set_on_an_export_is_refused).
            "nfs_volumes_allow_shared_exports": True,
            "statefulset_volume_claim_templates": [self.vct()],
            "statefulset_namespace": self.namespace,
            "statefulset_create_namespace": True,
            "statefulset_replicas": replicas,
            "statefulset_wait_timeout": wait_timeout,
        }

    def vct(self, **overrides):
        """The tutorial's claim template (myappdata, 1Gi, RWO) in this test's storage class."""
        template = {"name": "myappdata", "mount_path": "/usr/share/nginx/html", "storage": "1Gi",
                    "access_modes": ["ReadWriteOnce"], "storage_class_name": self.storage_class}
        template.update(overrides)
        return template

    def vars(self, **overrides):
        result = dict(self.base)
        result.update(overrides)
        return dict((key, value) for key, value in result.items() if value is not UNSET)

    def deploy(self, check=False, diff=False, **overrides):
        return run(self.runner, HELPERS + "/deploy.yml", self.vars(**overrides), check=check, diff=diff)

    def playbook(self, name, check=False, diff=False, inventory=None, **overrides):
        return run(self.runner, "playbooks/" + name, self.vars(**overrides), check=check, diff=diff, inventory=inventory)

    def pv_name(self, number):
        return "%s%03d" % (self.pv_prefix, number)

    def pvs(self):
        return dict((pv["metadata"]["name"], pv) for pv in self.kube.get("pv", selector="%s=%s" % (VOLUME_SET_LABEL, self.volume_set)))

    def claims(self):
        return dict((c["metadata"]["name"], c) for c in self.kube.get("pvc", namespace=self.namespace))

    def pods(self):
        return dict((p["metadata"]["name"], p) for p in self.kube.get("pods", namespace=self.namespace, selector=self.selector))

    def images(self):
        """``{pod: image of its first container}``."""
        return dict((name, pod["spec"]["containers"][0]["image"]) for name, pod in self.pods().items())

    def statefulset(self):
        return self.kube.get("statefulset", self.name, namespace=self.namespace)

    def binding(self):
        """``{claim: volume}`` for every claim of the namespace."""
        return dict((name, c["spec"].get("volumeName")) for name, c in self.claims().items())

    def snapshot(self):
        """What a refused run must not change: every object's uid and resourceVersion."""
        objects = {}
        for kind in ("statefulset", "service", "pvc", "pods"):
            for item in self.kube.get(kind, namespace=self.namespace):
                objects["%s/%s" % (kind, item["metadata"]["name"])] = (item["metadata"]["uid"], item["metadata"]["resourceVersion"])
        for name, pv in self.pvs().items():
            objects["pv/%s" % name] = (pv["metadata"]["uid"], pv["metadata"]["resourceVersion"])
        namespace = self.kube.get("namespace", self.namespace)
        objects["namespace"] = namespace["metadata"]["uid"] if namespace else None
        return objects

    def write_marker(self, pv, filename, content):
        """Write ``filename`` through NFS into the export behind ``pv``; ``cleanup`` removes it again.

        The lab's NFS server runs on this machine, so the file's local path is known from the export
        facts (``pseudo`` -> ``path``): the test removes what it wrote, nothing else.
        """
        nfs_write(pv_nfs_url(pv, filename), content)
        for export in self.exports:
            if export.get("pseudo") == pv["spec"]["nfs"]["path"]:
                self.markers.append(os.path.join(export["path"], filename))

    def cleanup(self):
        for path in self.markers:
            if os.path.isfile(path):
                os.unlink(path)
        self.kube.run("delete", "namespace", self.namespace, "--ignore-not-found", "--wait=false", check=False)
        self.kube.run("delete", "pv", "-l", "%s=%s" % (VOLUME_SET_LABEL, self.volume_set), "--ignore-not-found",
                      "--wait=false", check=False)


class FaultStack(Stack):
    """Stack in a namespace ``it-fault-<case>-<random>`` (test_fault_matrix.py)."""

    prefix = "it-fault"


class ManifestStack(object):
    """The tutorial's objects in a namespace of their own, applied with the lab's kubectl; PVs labelled
    ``it.stateful.nfs/owner=<namespace>``, in a storage class of the same name so that no other claim in
    the lab can take them."""

    def __init__(self, lab, case):
        self.lab = lab
        self.ns = "it-validate-%s-%s" % (case, uuid.uuid4().hex[:6])
        self.apply([{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": self.ns}}])

    def pv(self, index):
        return "%s-pv%03d" % (self.ns, index)

    def apply(self, objects):
        self.lab.kubectl("apply", "-f", "-", input_text=json.dumps({"apiVersion": "v1", "kind": "List",
                                                                   "items": objects}))

    def tutorial(self, replicas=3, claims=True, policy="OrderedReady", labels=None):
        objects = []
        if claims:
            for index, size in enumerate(["1Gi", "1Gi", "2Gi", "2Gi"]):
                pv = {"apiVersion": "v1", "kind": "PersistentVolume",
                      "metadata": {"name": self.pv(index + 1), "labels": {OWNER: self.ns}},
                      "spec": {"capacity": {"storage": size}, "accessModes": ["ReadWriteOnce"],
                               "persistentVolumeReclaimPolicy": "Retain", "storageClassName": self.ns,
                               "nfs": {"server": "127.0.0.1", "path": "/nfs-data/v%d" % (index + 1)}}}
                if index < 3:  # pinned, as the nfs_volumes role pins them
                    pv["spec"]["claimRef"] = {"namespace": self.ns, "name": "myappdata-myapp-%d" % index}
                objects.append(pv)
        objects.append({"apiVersion": "v1", "kind": "Service",
                        "metadata": {"name": "statefulset-headless", "namespace": self.ns},
                        "spec": {"ports": [{"port": 80, "name": "http"}], "clusterIP": "None",
                                 "selector": {"app": "myapp-pod"}}})
        template_labels = {"app": "myapp-pod"}
        template_labels.update(labels or {})
        sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "myapp", "namespace": self.ns},
               "spec": {"serviceName": "statefulset-headless", "replicas": replicas, "podManagementPolicy": policy,
                        "selector": {"matchLabels": {"app": "myapp-pod"}},
                        "template": {"metadata": {"labels": template_labels}, "spec": {"containers": [{
                            "name": "myapp", "image": "registry.example/k8s/my_nginx:v1",
                            "ports": [{"name": "http", "containerPort": 80}]}]}}}}
        if claims:
            sts["spec"]["template"]["spec"]["containers"][0]["volumeMounts"] = [
                {"name": "myappdata", "mountPath": "/usr/share/nginx/html"}]
            sts["spec"]["volumeClaimTemplates"] = [{"metadata": {"name": "myappdata"}, "spec": {
                "accessModes": ["ReadWriteOnce"], "storageClassName": self.ns,
                "resources": {"requests": {"storage": "1Gi"}}}}]
        objects.append(sts)
        self.apply(objects)

    def rollout(self, timeout=120):
        self.lab.kubectl("-n", self.ns, "rollout", "status", "statefulset/myapp", "--timeout=%ds" % timeout,
                         timeout=timeout + 10)

    def pod_names(self):
        return sorted(p["metadata"]["name"] for p in self.lab.get_json("pods", "-n", self.ns)["items"])

    def pins(self):
        return dict((str(i), self.pv(i + 1)) for i in range(3))

    def cleanup(self):
        self.lab.kubectl("delete", "namespace", self.ns, "--ignore-not-found", "--wait=false", check=False)
        self.lab.kubectl("delete", "pv", "-l", "%s=%s" % (OWNER, self.ns), "--ignore-not-found", "--wait=false",
                         check=False)


# --------------------------------------------------------------------------- claims, pods, data

def claim(ordinal):
    return "myappdata-myapp-%d" % ordinal


def vct(**overrides):
    """A claim template for the baseline stack (its storage class is filled in by the test)."""
    template = {"name": "myappdata", "mount_path": "/usr/share/nginx/html", "storage": "1Gi"}
    template.update(overrides)
    return template


def ready_pods(stack):
    return sorted(name for name, pod in stack.pods().items() if ready(pod) and not pod["metadata"].get("deletionTimestamp"))


def uids(objects):
    """``{name: uid}`` of ``{name: object}`` (Stack.pods(), Stack.claims())."""
    return dict((name, item["metadata"]["uid"]) for name, item in objects.items())


def wait_gone(stack, what="pods"):
    """Wait until the stack has no ``what`` (``pods``, ``claims``) left."""
    stack.kube.wait_for(lambda: not getattr(stack, what)(), timeout=90, what="%s of %s to go" % (what, stack.namespace))


def write_markers(stack, ordinals):
    pvs, binding, markers = stack.pvs(), stack.binding(), {}
    for ordinal in ordinals:
        volume = binding[claim(ordinal)]
        filename = "%s-%s.marker" % (stack.namespace, claim(ordinal))
        content = "ordinal=%d claim=%s volume=%s nonce=%s\n" % (ordinal, claim(ordinal), volume, uuid.uuid4().hex)
        stack.write_marker(pvs[volume], filename, content)
        markers[ordinal] = (filename, content, pv_nfs_url(pvs[volume], filename))
    return markers


def assert_markers_through_claims(stack, markers):
    pvs, binding = stack.pvs(), stack.binding()
    for ordinal, (filename, content, _url) in markers.items():
        assert nfs_read(pv_nfs_url(pvs[binding[claim(ordinal)]], filename)) == content
