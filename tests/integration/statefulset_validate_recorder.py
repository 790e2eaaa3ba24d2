# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Record the unit-test fixtures of statefulset_validate from the lab.

Runs the tutorial's StatefulSet (pinned PVs, headless Service) through a few scenarios
in the namespace ``it-validate-rec`` and writes, per scenario, what
``StatefulSetClient.snapshot`` reads (and for the scale-down, what its watch stream
delivers) to ``tests/unit/plugins/module_utils/fixtures/statefulset/recorded-*.json``.
Cleans up after itself. Re-run it when the lab's Kubernetes version changes:

    .venv/bin/python tests/integration/statefulset_validate_recorder.py
"""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, ".collections"))

from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client  # noqa: E402
from ansible_collections.stateful.nfs.plugins.module_utils.validator.client import StatefulSetClient  # noqa: E402
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.objects import slim_pod  # noqa: E402
from ansible_collections.stateful.nfs.plugins.module_utils.validator.options import CHECKS  # noqa: E402

LAB = os.path.expanduser("~/.local/state/stateful-nfs-lab")
KUBECONFIG = os.path.join(LAB, "kubeconfig")
KUBECTL = os.path.join(LAB, "bin", "kubectl")
NS = "it-validate-rec"
OUT = os.path.join(REPO, "tests", "unit", "plugins", "module_utils", "fixtures", "statefulset")


def kubectl(*args, stdin=None):
    return subprocess.run([KUBECTL, "--kubeconfig", KUBECONFIG] + list(args), input=stdin, text=True,
                          capture_output=True, check=True, timeout=300).stdout


def tutorial_objects(ns):
    """The tutorial's objects; PVs pinned by claimRef (pv004 left free) in a class of their own so
    that nothing else in the lab can take them."""
    pvs = []
    for index, size in enumerate(["1Gi", "1Gi", "2Gi", "2Gi"]):
        pv = {"apiVersion": "v1", "kind": "PersistentVolume",
              "metadata": {"name": "%s-pv%03d" % (ns, index + 1), "labels": {"it.stateful.nfs/owner": ns}},
              "spec": {"capacity": {"storage": size}, "accessModes": ["ReadWriteOnce"],
                       "persistentVolumeReclaimPolicy": "Retain", "storageClassName": ns,
                       "nfs": {"server": "127.0.0.1", "path": "/nfs-data/v%d" % (index + 1)}}}
        if index < 3:
            pv["spec"]["claimRef"] = {"namespace": ns, "name": "myappdata-myapp-%d" % index}
        pvs.append(pv)
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "statefulset-headless", "namespace": ns},
               "spec": {"ports": [{"port": 80}], "clusterIP": "None", "selector": {"app": "myapp-pod"}}}
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "myapp", "namespace": ns},
           "spec": {"serviceName": "statefulset-headless", "replicas": 3,
                    "selector": {"matchLabels": {"app": "myapp-pod"}},
                    "template": {"metadata": {"labels": {"app": "myapp-pod"}}, "spec": {"containers": [{
                        "name": "myapp", "image": "registry.example/k8s/my_nginx:v1",
                        "volumeMounts": [{"name": "myappdata", "mountPath": "/usr/share/nginx/html"}]}]}},
                    "volumeClaimTemplates": [{"metadata": {"name": "myappdata"}, "spec": {
                        "accessModes": ["ReadWriteOnce"], "storageClassName": ns,
                        "resources": {"requests": {"storage": "1Gi"}}}}]}}
    return pvs, service, sts


def apply(objects):
    kubectl("apply", "-f", "-", stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}))


def snapshot(client, label):
    shot = client.snapshot(NS, "myapp", list(CHECKS))
    shot["volumes"] = [v for v in shot["volumes"] if v["metadata"]["name"].startswith(NS + "-")]
    shot["claim_events"] = client.events(NS, "PersistentVolumeClaim")
    shot["_comment"] = ("RECORDED from the stateful.nfs lab (Kubernetes %s) by "
                        "tests/integration/statefulset_validate_recorder.py: %s" % (server_version(), label))
    with open(os.path.join(OUT, "recorded-%s.json" % label), "w") as handle:
        json.dump(shot, handle, indent=1, sort_keys=True)
    return shot


def server_version():
    return json.loads(kubectl("version", "-o", "json")).get("serverVersion", {}).get("gitVersion")


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise RuntimeError("timed out")


def main():
    client = StatefulSetClient(get_api_client(kubeconfig=KUBECONFIG).client)
    pvs, service, sts = tutorial_objects(NS)
    try:
        apply([{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}}] + pvs + [service, sts])
        kubectl("-n", NS, "rollout", "status", "statefulset/myapp", "--timeout=120s")
        snapshot(client, "tutorial")

        # scale to 5 with 4 PVs: myapp-3 takes pv004, myapp-4's claim stays Pending
        kubectl("-n", NS, "scale", "statefulset/myapp", "--replicas=5")
        wait_for(lambda: "myapp-4" in kubectl("-n", NS, "get", "pods", "-o", "name"))
        time.sleep(3)
        snapshot(client, "pending-claim")

        # scale down to 2 while recording the watch stream
        sts_now, pods, versions = client.initial_state(NS, "myapp")
        records = [{"kind": "StatefulSet", "type": "INITIAL", "object": sts_now, "time": time.time()}]
        records += [{"kind": "Pod", "type": "INITIAL", "object": slim_pod(p), "time": time.time()} for p in pods]
        done = threading.Event()

        def follow():
            live = set(p["metadata"]["name"] for p in pods)
            stream = client.stream(NS, "myapp", "app=myapp-pod", versions, time.monotonic() + 60)
            for batch in stream:
                for kind, kind_type, item, when in batch:
                    records.append({"kind": kind, "type": kind_type, "time": when,
                                    "object": slim_pod(item) if kind == "Pod" else item})
                    if kind == "Pod":
                        (live.discard if kind_type == "DELETED" else live.add)(item["metadata"]["name"])
                if done.is_set() and live == {"myapp-0", "myapp-1"}:
                    break
            stream.close()
        thread = threading.Thread(target=follow)
        thread.start()
        time.sleep(1)
        kubectl("-n", NS, "scale", "statefulset/myapp", "--replicas=2")
        done.set()
        thread.join(90)
        for index, record in enumerate(records):
            record["seq"] = index
        with open(os.path.join(OUT, "recorded-watch-scale-down.json"), "w") as handle:
            json.dump({"_comment": "RECORDED watch records of scaling myapp 5 -> 2 (statefulset_validate_recorder.py)",
                       "records": records}, handle, indent=1, sort_keys=True)
        kubectl("-n", NS, "rollout", "status", "statefulset/myapp", "--timeout=60s")
        time.sleep(1)
        snapshot(client, "scaled-down")

        # a pod kept un-Ready: update with the lab's never-ready label above partition 1, scale to 4
        kubectl("-n", NS, "patch", "statefulset/myapp", "--type=merge", "-p", json.dumps({"spec": {
            "replicas": 4, "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 1}},
            "template": {"metadata": {"labels": {"app": "myapp-pod", "lab.stateful.nfs/never-ready": "true"}}}}}))
        time.sleep(6)
        snapshot(client, "never-ready")
    finally:
        kubectl("delete", "namespace", NS, "--ignore-not-found", "--wait=false")
        kubectl("delete", "pv", "-l", "it.stateful.nfs/owner=%s" % NS, "--ignore-not-found", "--wait=false")


if __name__ == "__main__":
    main()
