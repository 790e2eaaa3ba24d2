# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab's cluster: where the lab is (``Lab``), its kubectl (``Kube``: run, get, wait, watch pods),
a pod watch through the Kubernetes client (``PodRecorder``), and small readers of Kubernetes objects."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import urllib3
import yaml
from kubernetes import client, config, watch


def _lab_vars():
    """The lab variables of the file STATEFUL_NFS_LAB_VARS names (helpers/ansible_runs.py gives that file to
    every playbook), or none: the default lab."""
    if not os.environ.get("STATEFUL_NFS_LAB_VARS"):
        return {}
    with open(os.environ["STATEFUL_NFS_LAB_VARS"]) as stream:
        return yaml.safe_load(stream) or {}


LAB_VARS = _lab_vars()
# Where playbooks/lab_up.yml keeps the lab (kubeconfig, bin/kubectl).
LAB_STATE_DIR = Path(LAB_VARS.get("lab_state_dir", "~/.local/state/stateful-nfs-lab")).expanduser()


def truthy(value):
    """An environment switch (CI, STATEFUL_NFS_LAB_RESET) read as a boolean."""
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class Kube(object):
    """Read-mostly access to the lab through its own kubectl (JSON output)."""

    def __init__(self, kubectl, kubeconfig):
        self.kubectl = kubectl
        self.kubeconfig = kubeconfig

    def run(self, *args, **kwargs):
        """Run kubectl (``input_text`` on its stdin); returns the CompletedProcess, raises when it fails
        unless ``check=False``."""
        check = kwargs.pop("check", True)
        proc = subprocess.run([self.kubectl, "--kubeconfig", self.kubeconfig] + list(args),
                              capture_output=True, text=True, input=kwargs.pop("input_text", None),
                              timeout=kwargs.pop("timeout", 120), check=False)
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


@dataclass
class Lab:
    """Where the running lab is, and a kubectl bound to it."""

    state_dir: Path
    dns_server: str = "127.0.0.1"
    dns_port: int = int(LAB_VARS.get("lab_dns_port", 10053))

    @property
    def kubeconfig(self):
        return str(self.state_dir / "kubeconfig")

    @property
    def kubectl_path(self):
        return str(self.state_dir / "bin" / "kubectl")

    def kubectl(self, *args, check=True, input_text=None, timeout=120):
        """Run the lab's kubectl (``Kube.run``); returns the CompletedProcess."""
        return Kube(self.kubectl_path, self.kubeconfig).run(*args, check=check, input_text=input_text, timeout=timeout)

    def get_json(self, *args):
        """``kubectl get ... -o json`` parsed."""
        return json.loads(self.kubectl("get", *args, "-o", "json").stdout)

    def pods(self, namespace):
        """``{name: pod}`` of every pod in ``namespace``."""
        return {p["metadata"]["name"]: p for p in self.get_json("pods", "-n", namespace)["items"]}


class PodRecorder:
    """Watches the namespace's pods and records (time, event, pod, ready) tuples."""

    def __init__(self, kubeconfig, namespace):
        self.api = client.CoreV1Api(config.new_client_from_config(config_file=kubeconfig))
        self.namespace = namespace
        self.events = []
        self._watch = watch.Watch()
        self._started = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        rv = self.api.list_namespaced_pod(self.namespace).metadata.resource_version
        self._started.set()
        try:
            for event in self._watch.stream(self.api.list_namespaced_pod, self.namespace,
                                            resource_version=rv, timeout_seconds=300):
                pod = event["object"]
                ready = any(c.type == "Ready" and c.status == "True"
                            for c in (pod.status.conditions or []))
                self.events.append((time.monotonic(), event["type"], pod.metadata.name, ready))
        except urllib3.exceptions.HTTPError:
            # stop() closes the stream under the reader, which then ends with a ProtocolError
            if not self._stopping.is_set():
                raise

    def start(self):
        self._thread.start()
        assert self._started.wait(30), "the pod watch did not start"
        return self

    def stop(self):
        self._stopping.set()
        self._watch.stop()

    def first(self, kind, name, ready=None):
        for stamp, etype, pod, is_ready in self.events:
            if etype == kind and pod == name and (ready is None or is_ready == ready):
                return stamp
        return None

    def first_ready(self, name):
        for stamp, etype, pod, is_ready in self.events:
            if etype != "DELETED" and pod == name and is_ready:
                return stamp
        return None

    def wait_for(self, predicate, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.05)
        return False


def ready(pod):
    """True when the pod (a JSON object) has the condition Ready=True."""
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in (pod.get("status") or {}).get("conditions") or [])


def k8s_time(value):
    """A Kubernetes timestamp (``2024-01-02T03:04:05Z``, whole seconds) as a struct_time."""
    return time.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
