# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for tests/integration/test_k8s_roles.py and test_fault_matrix.py (their session fixtures
``kube`` and ``lab_exports`` are in conftest.py): run the playbooks, read the cluster with the
lab's kubectl, read and write files on the lab's NFS-Ganesha through libnfs.

Every test works in its own namespace (``it-k8s-<case>-<random>``) with its own volume set
(label ``stateful.nfs/volume-set``, names ``<set>-pv001``...): PersistentVolumes are
cluster-scoped, so the names and the label keep tests apart and let ``Stack.cleanup`` remove
exactly what the test created.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import tempfile
import time
import uuid

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.libnfs import nfs_url

# Paths relative to the repository, as conftest's run_playbook takes them.
HELPERS = "tests/integration/k8s_roles"
LAB_INVENTORY = "inventory/lab"
VOLUME_SET_LABEL = "stateful.nfs/volume-set"
# An override that removes one of the stack's variables (a run that forgets it).
UNSET = object()


class Outcome(object):
    """One playbook run (conftest's ``run_playbook``): rc, recap counts, failure messages, time taken."""

    def __init__(self, result, elapsed, args):
        self.result = result
        self.rc = result.rc
        self.elapsed = elapsed
        self.args = args

    @property
    def changed(self):
        return self.result.changed()

    @property
    def failed(self):
        return self.result.failed()

    @property
    def output(self):
        return self.result.output

    @property
    def failure_messages(self):
        """The ``msg`` of every failed task result (rescued ones included), in play order."""
        return [str(result.get("msg")) for _task, _host, result in self.result.failed_results()]

    def __str__(self):
        return "%s\nrc=%s elapsed=%.1fs changed=%s\nfailures: %s\n--- output (tail) ---\n%s" % (
            self.args, self.rc, self.elapsed, self.changed, self.failure_messages, self.result.tail(80))


def run(playbook_runner, playbook, extra_vars, **kwargs):
    """Run ``playbook`` (a path relative to the repository) and time it."""
    started = time.monotonic()
    result = playbook_runner(playbook, extra_vars=extra_vars, **kwargs)
    return Outcome(result, time.monotonic() - started, "%s %s" % (playbook, kwargs))


class Kube(object):
    """Read-mostly access to the lab through its own kubectl (JSON output)."""

    def __init__(self, kubectl, kubeconfig):
        self.kubectl = kubectl
        self.kubeconfig = kubeconfig

    def run(self, *args, **kwargs):
        check = kwargs.pop("check", True)
        proc = subprocess.run([self.kubectl, "--kubeconfig", self.kubeconfig] + list(args),
                              capture_output=True, text=True, timeout=kwargs.pop("timeout", 120), check=False)
        if check and proc.returncode != 0:
            raise AssertionError("kubectl %s failed (rc=%d): %s" % (" ".join(args), proc.returncode, proc.stderr))
        return proc

    def get(self, kind, name=None, namespace=None, selector=None):
        """One object (or None when it does not exist), or the list of items without ``name``."""
        args = ["get", kind, "-o", "json"]
        if name:
            args.insert(2, name)
        if namespace:
            args += ["-n", namespace]
        if selector:
            args += ["-l", selector]
        proc = self.run(*args, check=False)
        if proc.returncode != 0:
            if "NotFound" in proc.stderr or "not found" in proc.stderr:
                return None
            raise AssertionError("kubectl %s failed: %s" % (" ".join(args), proc.stderr))
        data = json.loads(proc.stdout)
        return data if name else data.get("items", [])

    def wait_for(self, predicate, timeout=60, interval=0.5, what="condition"):
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError("timed out after %ds waiting for %s" % (timeout, what))
            time.sleep(interval)

    def watch_pods(self, namespace, selector):
        """Start ``kubectl get pods --watch`` (output to a file, never a full pipe); ``stop_watch`` ends it."""
        args = [self.kubectl, "--kubeconfig", self.kubeconfig, "get", "pods", "-n", namespace, "-l", selector,
                "--watch", "--output-watch-events", "-o", "json"]
        sink = tempfile.TemporaryFile(mode="w+")
        proc = subprocess.Popen(args, stdout=sink, stderr=subprocess.DEVNULL, text=True)
        proc.sink = sink
        return proc

    @staticmethod
    def stop_watch(proc):
        """Stop the watch; return its events (``{"type", "object"}``) in the order kubectl printed them."""
        proc.terminate()
        proc.wait(timeout=30)
        proc.sink.seek(0)
        out = proc.sink.read().strip()
        proc.sink.close()
        decoder = json.JSONDecoder()
        events, index = [], 0
        while index < len(out):
            try:
                obj, end = decoder.raw_decode(out, index)
            except ValueError:
                break  # the document kubectl was writing when it was stopped
            events.append(obj)
            index = end
            while index < len(out) and out[index].isspace():
                index += 1
        return events


def pv_nfs_url(pv, filename):
    """libnfs URL of ``filename`` in the export behind a PersistentVolume (server, path, port= option)."""
    port = 2049
    for option in pv["spec"].get("mountOptions") or []:
        if option.startswith("port="):
            port = int(option.split("=", 1)[1])
    return nfs_url(pv["spec"]["nfs"]["server"], pv["spec"]["nfs"]["path"], filename, port=port)


def nfs_write(url, content):
    handle, path = tempfile.mkstemp(prefix="it-k8s-marker-")
    try:
        with os.fdopen(handle, "w") as stream:
            stream.write(content)
        proc = subprocess.run(["nfs-cp", path, url], capture_output=True, text=True, timeout=60, check=False)
        if proc.returncode != 0:
            raise AssertionError("nfs-cp to %s failed (rc=%d): %s%s" % (url, proc.returncode, proc.stdout, proc.stderr))
    finally:
        os.unlink(path)


def nfs_read(url):
    proc = subprocess.run(["nfs-cat", url], capture_output=True, text=True, timeout=60, check=False)
    if proc.returncode != 0:
        raise AssertionError("nfs-cat %s failed (rc=%d): %s%s" % (url, proc.returncode, proc.stdout, proc.stderr))
    return proc.stdout


class Stack(object):
    """One test's namespace, volume set and StatefulSet, driven through the real playbooks."""

    def __init__(self, lab, kube, playbook_runner, exports, case, replicas=3, wait_timeout=90):
        suffix = uuid.uuid4().hex[:6]
        self.suffix = suffix
        self.lab = lab
        self.runner = playbook_runner
        self.markers = []
        self.kube = kube
        self.exports = exports
        self.namespace = "it-k8s-%s-%s" % (case, suffix)
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


def ready(pod):
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in (pod.get("status") or {}).get("conditions") or [])


# --------------------------------------------------------------------------- outcomes, claims, data

def ok(outcome):
    assert outcome.rc == 0 and outcome.failed == 0, str(outcome)
    return outcome


def refused(outcome, *needles):
    assert outcome.rc != 0, "expected a refusal\n%s" % outcome
    text = "\n".join(outcome.failure_messages)
    for needle in needles:
        assert needle in text, "%r not in the failure messages %r\n%s" % (needle, outcome.failure_messages, outcome)
    return text


def claim(ordinal):
    return "myappdata-myapp-%d" % ordinal


def ready_pods(stack):
    return sorted(name for name, pod in stack.pods().items() if ready(pod) and not pod["metadata"].get("deletionTimestamp"))


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


def vct(**overrides):
    """A claim template for the baseline stack (its storage class is filled in by the test)."""
    template = {"name": "myappdata", "mount_path": "/usr/share/nginx/html", "storage": "1Gi"}
    template.update(overrides)
    return template
