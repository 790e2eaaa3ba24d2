# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The project's benchmarks, in one command (``make bench``), on the lab.

Every ratio is measured in the same run as its anchor, so a slower or busier machine
moves both sides:

1. ``site``: ``playbooks/site.yml -i inventory/lab`` (the lab's separate hosts over SSH)
   converged once, then re-run (``--rounds`` times): every re-run must report changed=0; the
   median wall time is compared with the target (<= 15 s). Anchors: an ad hoc ``ansible -m
   ping`` of localhost (Ansible's own start-up on this machine), and ``ansible -m ping`` of
   the hosts site.yml plays on, over SSH (target: the re-run <= 8x that). The tutorial runs in a namespace, volume set and
   storage class of the benchmark's own, so nothing else on the lab is touched.
2. ``pv100``: 100 PersistentVolumes created through the ``nfs_volumes`` role
   (``bench/volumes.yml``, one ``stateful.nfs.nfs_pv_apply`` process) against ``kubectl apply -f``
   of the same 100 objects (the role's own rendering, renamed). Both sides start from
   nothing each round and alternate who goes first; the idempotent re-apply is timed
   too. Target: role <= 2x kubectl. Each round also times the floor under any role built on
   kubernetes.core (``bench/floor.yml``): ``ansible-playbook`` alone, and with one
   ``kubernetes.core.k8s_info`` read.
   ``pv1000`` (issue 17 target 3): the same with 1,000 PersistentVolumes (``--pv1000-rounds``, default 3):
   the role's create against ``kubectl apply -f`` of the same 1,000 objects (target <= 1.0x), and the role's
   converged re-run, which must report changed=0 and send no write (its ``summary``: 1,000 unchanged),
   against kubectl's re-apply (target <= 0.5x). Each round also times ``ansible-playbook`` alone and keeps
   the apply task's own account (``durations``: client, list call, decisions, writes); after the rounds
   the role creates the 1,000 once with each other pool size (``nfs_volumes_workers``).
3. ``labwarm``: ``playbooks/lab_up.yml`` (what ``make lab-up`` runs) on the running lab, which must
   change nothing, against ``ansible-playbook`` of one debug task (``bench/debug.yml``), alternating,
   ``--rounds`` times. Target (issue 15): the median <= 10x the anchor's.
4. ``validator``: the figures of issues 6 and 17, by running ``bench/validator/bench.py`` (finished
   100- and 1,000-replica StatefulSets vs the shell anchor ``kubectl rollout status`` + one
   ``kubectl get -o jsonpath`` + one ``dig -f`` + awk, verdict latency after the last Ready,
   1,000 and 5,000 pods) and taking the sections it wrote to its results.json.

Results: ``bench/results/latest.json`` and ``bench/results/latest.md`` (a partial run,
``--only``, keeps the other sections of the previous results). Everything created is
labelled ``bench.stateful.nfs/run=<id>`` (PVs) or lives in ``bench-*`` namespaces and is
removed at the end, also after a failure (``--keep`` leaves it).

The lab is the default one (``make lab-up``); ``LAB_STATE=<state dir>`` points every section at another
lab instance (its kubeconfig and kubectl).

usage: .venv/bin/python bench/run.py [--only site,pv100,pv1000,validator,labwarm,lab] [--rounds N]
                                     [--pv1000-rounds N]
                                     [--validator-rounds N] [--validator-only validate100,validate1000,watch,mass,mass5000,dnspaths]
                                     [--keep] [--strict (exit 1 when a target is missed)]
"""

from __future__ import absolute_import, division, print_function

import argparse
import datetime
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")
RUN_LABEL = "bench.stateful.nfs/run"
SET_LABEL = "stateful.nfs/volume-set"
SITE_TARGET_S = 15.0
# site.yml converged over SSH (inventory/lab's separate hosts) against `ansible -m ping` of the same hosts
SITE_SSH_TARGET_RATIO = 8.0
SITE_HOSTS = "nfs_servers:k8s_nodes:localhost"
PV_TARGET_RATIO = 2.0
PV_COUNT = 100
LAB_DOWN_TARGET_S = 10.0
LAB_WARM_TARGET_RATIO = 10.0
PV_TASK = "stateful.nfs.nfs_volumes : Create or update the PersistentVolumes (one read, concurrent writes)"
# issue 17 target 3: 1,000 PVs, role create <= 1.0x kubectl apply -f, converged re-run (changed=0) <= 0.5x
PV1000_COUNT = 1000
PV1000_CREATE_TARGET_RATIO = 1.0
PV1000_RERUN_TARGET_RATIO = 0.5
PV1000_WORKERS = (1, 4, 16)


def _load_validator_bench():
    """bench/validator/bench.py, for the lab helpers it defines (kubectl, env, paths, statistics)."""
    spec = importlib.util.spec_from_file_location("validator_bench", os.path.join(HERE, "validator", "bench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


vb = _load_validator_bench()
kubectl, stats = vb.kubectl, vb._stats


# --------------------------------------------------------------------------- running things

def run_playbook(playbook, extra_vars, inventory=None):
    """Run a playbook of this repository (JSON callback): seconds, rc, per-host stats, failure messages."""
    cmd = [os.path.join(vb.BIN, "ansible-playbook"), os.path.join(REPO, playbook), "-e", json.dumps(extra_vars)]
    if inventory:
        cmd += ["-i", os.path.join(REPO, inventory)]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=REPO, env=vb.env(), capture_output=True, text=True, timeout=1800, check=False)
    elapsed = time.monotonic() - started
    try:
        data = json.loads(proc.stdout[proc.stdout.index("{"):])
    except ValueError:
        data = {}
    host_stats = data.get("stats", {})
    failures = [str(result.get("msg")) for play in data.get("plays", []) for task in play.get("tasks", [])
                for result in task.get("hosts", {}).values() if result.get("failed") or result.get("unreachable")]
    tasks = [(play["play"]["name"], task["task"]["name"], _seconds(task["task"].get("duration", {})))
             for play in data.get("plays", []) for task in play.get("tasks", [])]
    run = {"seconds": elapsed, "rc": proc.returncode, "stats": host_stats, "failures": failures,
           "changed": sum(h.get("changed", 0) for h in host_stats.values()), "tasks": tasks}
    if proc.returncode != 0:
        raise RuntimeError("%s failed (rc %d): %s\n%s" % (playbook, proc.returncode, failures or "",
                                                          (proc.stdout + proc.stderr)[-3000:]))
    return run


def _seconds(duration):
    """Length of a JSON callback task ``duration`` ({start, end} in ISO 8601, UTC)."""
    try:
        start, end = (datetime.datetime.strptime(duration[k], "%Y-%m-%dT%H:%M:%S.%fZ") for k in ("start", "end"))
    except (KeyError, ValueError):
        return 0.0
    return (end - start).total_seconds()


def per_play(runs):
    """Seconds spent in the tasks of each play, median over ``runs``, in play order."""
    order, per = [], {}
    for run in runs:
        totals = {}
        for play, _name, seconds in run["tasks"]:
            if play not in order:
                order.append(play)
            totals[play] = totals.get(play, 0.0) + seconds
        for play, seconds in totals.items():
            per.setdefault(play, []).append(seconds)
    return [{"play": play, "median_s": round(statistics.median(per[play]), 2)} for play in order]


def slowest(runs, count=8):
    """The tasks that took longest (tasks of the same name added up within a run), median over ``runs``."""
    per_task = {}
    for run in runs:
        totals = {}
        for _play, name, seconds in run["tasks"]:
            totals[name] = totals.get(name, 0.0) + seconds
        for name, seconds in totals.items():
            per_task.setdefault(name, []).append(seconds)
    ranked = sorted(((statistics.median(v), k) for k, v in per_task.items()), reverse=True)[:count]
    return [{"task": name, "median_s": round(seconds, 2)} for seconds, name in ranked]


def timed(cmd, stdin=None):
    started = time.monotonic()
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=vb.env(), timeout=600, check=False)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError("%s failed (rc %d): %s" % (" ".join(cmd[:4]), proc.returncode, proc.stderr[-2000:]))
    return elapsed, proc.stdout


def ansible_anchor():
    """Ansible's own start-up here: an ad hoc ping of localhost."""
    return timed([os.path.join(vb.BIN, "ansible"), "localhost", "-c", "local", "-i", "localhost,", "-m",
                  "ansible.builtin.ping"])[0]


def ssh_ping_anchor():
    """``ansible -m ping`` of the hosts site.yml plays on (inventory/lab: nfs1, node1, node2 over SSH, localhost)."""
    return timed([os.path.join(vb.BIN, "ansible"), SITE_HOSTS, "-i", os.path.join(REPO, "inventory", "lab"), "-m",
                  "ansible.builtin.ping"])[0]


def delete_pvs(selector, timeout=120):
    """Delete PersistentVolumes without waiting for each in turn, then until all are gone."""
    kubectl("delete", "pv", "-l", selector, "--ignore-not-found", "--wait=false", check=False)
    deadline = time.monotonic() + timeout
    while kubectl("get", "pv", "-l", selector, "-o", "name", check=False).strip():
        if time.monotonic() > deadline:
            raise RuntimeError("PersistentVolumes %s still there after %d s" % (selector, timeout))
        time.sleep(0.5)


# --------------------------------------------------------------------------- lab up on a running lab

def bench_labwarm(rounds):
    """``lab_up.yml`` on the running lab (converged once first, not counted) against one debug task."""
    run_playbook("playbooks/lab_up.yml", {})
    ups, anchors = [], []
    for index in range(rounds):
        pair = [lambda: ups.append(run_playbook("playbooks/lab_up.yml", {})),
                lambda: anchors.append(run_playbook("bench/debug.yml", {})["seconds"])]
        for side in pair if index % 2 == 0 else reversed(pair):
            side()
    changed = [r["changed"] for r in ups]
    ratio = statistics.median(r["seconds"] for r in ups) / statistics.median(anchors)
    return {"lab_up_s": stats([r["seconds"] for r in ups]), "lab_up_changed": changed,
            "anchor_debug_playbook_s": stats(anchors), "plays": per_play(ups), "slowest_tasks": slowest(ups, 5),
            "ratio": round(ratio, 2), "target_ratio": LAB_WARM_TARGET_RATIO,
            "passed": all(c == 0 for c in changed) and ratio <= LAB_WARM_TARGET_RATIO}


# --------------------------------------------------------------------------- lab down and up

def bench_lab(rounds):
    """``lab_down.yml`` (what ``make lab-down`` runs) on the running lab, then ``lab_up.yml`` again."""
    downs, ups, anchors = [], [], []
    for _round in range(rounds):
        down = run_playbook("playbooks/lab_down.yml", {})  # raises when a run fails
        up = run_playbook("playbooks/lab_up.yml", {})
        downs.append(down["seconds"])
        ups.append(up["seconds"])
        anchors.append(ansible_anchor())
    median = statistics.median(downs)
    return {"lab_down_s": stats(downs), "lab_up_from_stopped_s": stats(ups), "anchor_ansible_ping_s": stats(anchors),
            "down_over_anchor": round(median / statistics.median(anchors), 2),
            "target_s": LAB_DOWN_TARGET_S, "passed": median <= LAB_DOWN_TARGET_S and max(downs) <= LAB_DOWN_TARGET_S}


# --------------------------------------------------------------------------- site.yml re-run

def site_vars(run_id):
    name = "bench-site-%s" % run_id
    return name, {
        "stateful_nfs_kubeconfig": vb.KUBECONFIG,
        "nfs_volumes_set": name,
        "nfs_volumes_name_prefix": name + "-pv",
        "nfs_volumes_storage_class_name": name,
        # the lab's four exports, which make demo's volumes may use too
        "nfs_volumes_allow_shared_exports": True,
        "statefulset_namespace": name,
        "statefulset_create_namespace": True,
        "statefulset_volume_claim_templates": [{
            "name": "myappdata", "mount_path": "/usr/share/nginx/html", "storage": "1Gi",
            "access_modes": ["ReadWriteOnce"], "storage_class_name": name}],
    }


def bench_site(rounds, run_id):
    _name, extra = site_vars(run_id)
    converge = run_playbook("playbooks/site.yml", extra, inventory="inventory/lab")
    reruns, anchors, pings = [], [], []
    for _round in range(rounds):
        reruns.append(run_playbook("playbooks/site.yml", extra, inventory="inventory/lab"))
        anchors.append(ansible_anchor())
        pings.append(ssh_ping_anchor())
    changed = [r["changed"] for r in reruns]
    median = statistics.median(r["seconds"] for r in reruns)
    over_ping = round(median / statistics.median(pings), 2)
    return {"converge_s": round(converge["seconds"], 3), "converge_changed": converge["changed"],
            "rerun_s": stats([r["seconds"] for r in reruns]), "rerun_changed": changed,
            "anchor_ansible_ping_s": stats(anchors), "tasks": sum(len(r["tasks"]) for r in reruns[:1]),
            "slowest_tasks": slowest(reruns), "plays": per_play(reruns),
            "rerun_over_anchor": round(median / statistics.median(anchors), 2),
            "anchor_ping_same_hosts_s": stats(pings), "rerun_over_ping_same_hosts": over_ping,
            "target_ratio_over_ping": SITE_SSH_TARGET_RATIO,
            "target_s": SITE_TARGET_S, "passed": all(c == 0 for c in changed) and median <= SITE_TARGET_S
            and over_ping <= SITE_SSH_TARGET_RATIO}


def cleanup_site(run_id):
    name, _extra = site_vars(run_id)
    kubectl("delete", "namespace", name, "--ignore-not-found", "--wait=false", check=False)
    kubectl("delete", "pv", "-l", "%s=%s" % (SET_LABEL, name), "--ignore-not-found", "--wait=false", check=False)


# --------------------------------------------------------------------------- 100 PVs: role vs kubectl apply

def pv_role_vars(run_id, tag, count=PV_COUNT, bench="pv100"):
    volume_set = "bench-%s-%s-%s" % (bench, run_id, tag)
    return volume_set, {
        "stateful_nfs_kubeconfig": vb.KUBECONFIG,
        # paths of the set's own: the kubectl copies keep the warm-up set's, and the role refuses a set on
        # exports that live volumes of another set use
        "nfs_volumes_list": [{"server": "127.0.0.1", "path": "/bench/%s/%s/%04d" % (bench, tag, i)}
                             for i in range(1, count + 1)],
        "nfs_volumes_name_prefix": volume_set + "-",
        "nfs_volumes_name_digits": 3 if count < 1000 else 4,
        "nfs_volumes_set": volume_set,
        "nfs_volumes_storage_class_name": "bench-%s-%s" % (bench, run_id),  # no claim anywhere can take them
        "nfs_volumes_labels": {RUN_LABEL: run_id},
    }


def kubectl_manifest(template, run_id, tag, bench="pv100"):
    """The role's PersistentVolumes as a kubectl List, renamed into the volume set ``tag``."""
    source_set = template[0]["metadata"]["labels"][SET_LABEL]
    volume_set = "bench-%s-%s-%s" % (bench, run_id, tag)
    items = []
    for pv in template:
        labels = dict(pv["metadata"]["labels"], **{SET_LABEL: volume_set})
        items.append({"apiVersion": "v1", "kind": "PersistentVolume",
                      "metadata": {"name": pv["metadata"]["name"].replace(source_set, volume_set, 1),
                                   "labels": labels},
                      "spec": pv["spec"]})
    return {"apiVersion": "v1", "kind": "List", "items": items}


def bench_pv100(rounds, run_id):
    selector = "%s=%s" % (RUN_LABEL, run_id)
    # Warm-up (not counted): caches on both sides, and the role's rendering to copy for kubectl.
    warm_set, warm = pv_role_vars(run_id, "warm")
    run_playbook("bench/volumes.yml", warm)
    template = json.loads(kubectl("get", "pv", "-l", "%s=%s" % (SET_LABEL, warm_set), "-o", "json"))["items"]
    if len(template) != PV_COUNT:
        raise RuntimeError("the role created %d PersistentVolumes, expected %d" % (len(template), PV_COUNT))
    template.sort(key=lambda pv: pv["metadata"]["name"])
    with tempfile.TemporaryDirectory(prefix="bench-pv100-") as tmp:
        warm_file = os.path.join(tmp, "warm.json")
        with open(warm_file, "w") as handle:
            json.dump(kubectl_manifest(template, run_id, "kwarm"), handle)
        timed([vb.KUBECTL, "--kubeconfig", vb.KUBECONFIG, "apply", "-f", warm_file])
        delete_pvs(selector)

        role_create, role_task, role_again, kube_create, kube_again, changed_again = [], [], [], [], [], []
        floor_noop, floor_read = [], []
        floor_vars = {"stateful_nfs_kubeconfig": vb.KUBECONFIG, "bench_floor_pv": template[0]["metadata"]["name"]}
        for index in range(rounds):
            manifest = os.path.join(tmp, "round%d.json" % index)
            with open(manifest, "w") as handle:
                json.dump(kubectl_manifest(template, run_id, "k%d" % index), handle)
            _set, role = pv_role_vars(run_id, "r%d" % index)
            apply_cmd = [vb.KUBECTL, "--kubeconfig", vb.KUBECONFIG, "apply", "-f", manifest]

            def role_side():
                first = run_playbook("bench/volumes.yml", role)
                if first["changed"] == 0:
                    raise RuntimeError("the role created nothing")
                second = run_playbook("bench/volumes.yml", role)
                role_create.append(first["seconds"])
                role_task.append(sum(seconds for _play, name, seconds in first["tasks"] if name == PV_TASK))
                role_again.append(second["seconds"])
                changed_again.append(second["changed"])

            def kubectl_side():
                kube_create.append(timed(apply_cmd)[0])
                kube_again.append(timed(apply_cmd)[0])

            for side in ((role_side, kubectl_side) if index % 2 == 0 else (kubectl_side, role_side)):
                side()
            # The floor, in the same round: ansible-playbook alone, then with one kubernetes.core read.
            floor_noop.append(run_playbook("bench/floor.yml", dict(floor_vars, bench_floor_read=False))["seconds"])
            floor_read.append(run_playbook("bench/floor.yml", dict(floor_vars, bench_floor_read=True))["seconds"])
            count = len(kubectl("get", "pv", "-l", selector, "-o", "name").split())
            if count != 2 * PV_COUNT:
                raise RuntimeError("round %d: %d PersistentVolumes, expected %d" % (index + 1, count, 2 * PV_COUNT))
            delete_pvs(selector)
    return {"volumes": PV_COUNT, "rounds": rounds,
            "role_create_s": stats(role_create), "kubectl_apply_create_s": stats(kube_create),
            "role_apply_task_create_s": stats(role_task),
            "ratio_apply_task_create": round(statistics.median(role_task) / statistics.median(kube_create), 3),
            "role_reapply_s": stats(role_again), "kubectl_apply_reapply_s": stats(kube_again),
            "role_reapply_changed": changed_again,
            "ratio_create": round(statistics.median(role_create) / statistics.median(kube_create), 3),
            "ratio_reapply": round(statistics.median(role_again) / statistics.median(kube_again), 3),
            "floor_playbook_noop_s": stats(floor_noop), "floor_one_kubernetes_core_read_s": stats(floor_read),
            "ratio_floor": round(statistics.median(floor_read) / statistics.median(kube_create), 3),
            "target_ratio": PV_TARGET_RATIO,
            "passed": (statistics.median(role_create) / statistics.median(kube_create) <= PV_TARGET_RATIO
                       and all(c == 0 for c in changed_again))}


# --------------------------------------------------------------------------- 1,000 PVs (issue 17 target 3)

def run_role_quiet(extra_vars):
    """``bench/volumes.yml`` with Ansible's default output, what a user waits for (the JSON callback would
    serialise the 1,000 objects of the render and apply results and their arguments: seconds of its own).
    The aggregate callback bench/callback_plugins/bench_tasks.py records the tasks: seconds, and the apply
    task's ``summary`` and ``durations``."""
    with tempfile.NamedTemporaryFile(prefix="bench-tasks-", suffix=".json") as record:
        env = dict(vb.env(), ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default", BENCH_TASKS_FILE=record.name,
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "callback_plugins"), ANSIBLE_CALLBACKS_ENABLED="bench_tasks")
        cmd = [os.path.join(vb.BIN, "ansible-playbook"), os.path.join(HERE, "volumes.yml"), "-e", json.dumps(extra_vars)]
        started = time.monotonic()
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=1800, check=False)
        elapsed = time.monotonic() - started
        if proc.returncode != 0:
            raise RuntimeError("bench/volumes.yml failed (rc %d): %s" % (proc.returncode, (proc.stdout + proc.stderr)[-3000:]))
        with open(record.name) as handle:
            data = json.load(handle)
    apply = [t for t in data["tasks"] if PV_TASK.endswith(t["task"]) and t["status"] == "ok"]
    if len(apply) != 1:
        raise RuntimeError("bench/volumes.yml: the apply task did not run once: %s" % data["tasks"])
    return {"seconds": elapsed, "changed": sum(h.get("changed", 0) for h in data["stats"].values()),
            "summary": apply[0]["summary"], "durations": apply[0]["durations"], "task_s": round(apply[0]["seconds"], 3)}


def module_import_seconds():
    """One Python process importing nfs_pv_apply and everything it imports (kubernetes' client among them)."""
    code = "from ansible_collections.stateful.nfs.plugins.modules import nfs_pv_apply"
    started = time.monotonic()
    subprocess.run([os.path.join(vb.BIN, "python"), "-c", code], env=dict(vb.env(), PYTHONPATH=os.path.join(REPO, ".collections")),
                   check=True, capture_output=True, timeout=120)
    return time.monotonic() - started


def bench_pv1000(rounds, run_id):
    """1,000 PVs: the role against ``kubectl apply -f`` of the same 1,000 objects, created from nothing and
    re-applied (converged: the role must report changed=0 and make no write call); then the role's create
    with other pool sizes (one run each)."""
    selector = "%s=%s" % (RUN_LABEL, run_id)
    count, name = PV1000_COUNT, "pv1000"
    warm_set, warm = pv_role_vars(run_id, "warm", count, name)
    run_role_quiet(warm)
    template = json.loads(kubectl("get", "pv", "-l", "%s=%s" % (SET_LABEL, warm_set), "-o", "json"))["items"]
    if len(template) != count:
        raise RuntimeError("the role created %d PersistentVolumes, expected %d" % (len(template), count))
    template.sort(key=lambda pv: pv["metadata"]["name"])
    role_create, role_rerun, kube_create, kube_rerun, changed_rerun, reports, noop = [], [], [], [], [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-pv1000-") as tmp:
        warm_file = os.path.join(tmp, "warm.json")
        with open(warm_file, "w") as handle:
            json.dump(kubectl_manifest(template, run_id, "kwarm", name), handle)
        timed([vb.KUBECTL, "--kubeconfig", vb.KUBECONFIG, "apply", "-f", warm_file])
        delete_pvs(selector, timeout=600)
        for index in range(rounds):
            manifest = os.path.join(tmp, "round%d.json" % index)
            with open(manifest, "w") as handle:
                json.dump(kubectl_manifest(template, run_id, "k%d" % index, name), handle)
            _set, role = pv_role_vars(run_id, "r%d" % index, count, name)
            apply_cmd = [vb.KUBECTL, "--kubeconfig", vb.KUBECONFIG, "apply", "-f", manifest]

            def role_side():
                created = run_role_quiet(role)
                converged = run_role_quiet(role)
                if (created["summary"] or {}).get("create") != count:
                    raise RuntimeError("the role did not create %d PersistentVolumes: %s" % (count, created))
                if (converged["summary"] or {}).get("unchanged") != count:
                    raise RuntimeError("the converged re-run sent calls: %s" % converged)
                role_create.append(created["seconds"])
                role_rerun.append(converged["seconds"])
                changed_rerun.append(converged["changed"])
                reports.append({"create": created, "rerun": converged})

            def kubectl_side():
                kube_create.append(timed(apply_cmd)[0])
                kube_rerun.append(timed(apply_cmd)[0])

            for side in ((role_side, kubectl_side) if index % 2 == 0 else (kubectl_side, role_side)):
                side()
            noop.append(run_playbook("bench/floor.yml", {"stateful_nfs_kubeconfig": vb.KUBECONFIG,
                                                         "bench_floor_pv": template[0]["metadata"]["name"],
                                                         "bench_floor_read": False})["seconds"])
            found = len(kubectl("get", "pv", "-l", selector, "-o", "name").split())
            if found != 2 * count:
                raise RuntimeError("round %d: %d PersistentVolumes, expected %d" % (index + 1, found, 2 * count))
            delete_pvs(selector, timeout=600)
        pool = {}
        for workers in PV1000_WORKERS:  # the pool size's effect on the create, one run each
            _set, role = pv_role_vars(run_id, "w%d" % workers, count, name)
            run = run_role_quiet(dict(role, nfs_volumes_workers=workers))
            pool[str(workers)] = dict(run, seconds=round(run["seconds"], 3))
            delete_pvs(selector, timeout=600)
    create_ratio = statistics.median(role_create) / statistics.median(kube_create)
    rerun_ratio = statistics.median(role_rerun) / statistics.median(kube_rerun)

    def median(key, part):
        return round(statistics.median(r[key]["durations"][part] for r in reports), 3)

    return {"volumes": count, "rounds": rounds,
            "role_create_s": stats(role_create), "kubectl_apply_create_s": stats(kube_create),
            "ratio_create": round(create_ratio, 3), "target_ratio_create": PV1000_CREATE_TARGET_RATIO,
            "role_rerun_s": stats(role_rerun), "kubectl_apply_rerun_s": stats(kube_rerun),
            "ratio_rerun": round(rerun_ratio, 3), "target_ratio_rerun": PV1000_RERUN_TARGET_RATIO,
            "role_rerun_changed": changed_rerun,
            "profile": {
                "playbook_noop_s": stats(noop),
                "module_imports_s": round(module_import_seconds(), 3),
                "create_task_s": round(statistics.median(r["create"]["task_s"] for r in reports), 3),
                "create_list_s": median("create", "list"), "create_apply_s": median("create", "apply"),
                "create_decide_s": median("create", "decide"), "create_report_s": median("create", "report"),
                "rerun_task_s": round(statistics.median(r["rerun"]["task_s"] for r in reports), 3),
                "rerun_list_s": median("rerun", "list"), "rerun_decide_s": median("rerun", "decide"),
                "rerun_report_s": median("rerun", "report"),
                "default_workers": 8, "pool": pool},
            "rounds_detail": reports,
            "passed": (create_ratio <= PV1000_CREATE_TARGET_RATIO and rerun_ratio <= PV1000_RERUN_TARGET_RATIO
                       and all(c == 0 for c in changed_rerun))}


# --------------------------------------------------------------------------- the validator's figures

VALIDATOR_PARTS = ("validate100", "validate1000", "watch", "mass", "mass5000", "dnspaths")


def _validator_passed(part, x):
    if "passed" in x and part != "dnspaths":  # bench/validator/bench.py judged it
        return x["passed"]
    if part == "watch":
        return x["median"]["validator_verdict_after_last_ready_s"] <= x["target_verdict_after_last_ready_s"]
    if part == "dnspaths":
        return all(size["passed"] for size in x.values() if isinstance(size, dict) and "ratio" in size)
    return x["module_process_s"]["median"] <= x["target_s"] and x["peak_rss_mb"]["median"] <= x["target_rss_mb"]


def bench_validator(rounds, parts, into):
    """bench/validator/bench.py as its own command (it sets up its own KWOK nodes and cleans up), then
    the sections of its results.json this run asked for, stored in ``into``."""
    cmd = [sys.executable, os.path.join(HERE, "validator", "bench.py"), "--only", ",".join(parts),
           "--rounds", str(rounds)]
    proc = subprocess.run(cmd, cwd=REPO, timeout=3600, check=False)  # its progress goes straight to the terminal
    if proc.returncode != 0:
        raise RuntimeError("bench/validator/bench.py failed (rc %d)" % proc.returncode)
    with open(os.path.join(HERE, "validator", "results.json")) as handle:
        theirs = json.load(handle)
    for part in parts:
        into[part] = dict(theirs[part], passed=_validator_passed(part, theirs[part]), when=theirs["when"])


# --------------------------------------------------------------------------- report

def _verdict(section):
    return "pass" if section.get("passed") else "**miss**"


def markdown(results):
    m = results["machine"]
    lines = ["# stateful.nfs benchmarks (latest run)", "",
             "`make bench` (`bench/run.py`) on %s (%s, %d cores, load %s at the start), %s, commit %s."
             % (m["host"], m["arch"], m["cores"], m["load_at_start"], results["when"], results["commit"]), "",
             "| benchmark | stateful.nfs | anchor (same run) | ratio | target | verdict |",
             "| --- | --- | --- | --- | --- | --- |"]
    s = results.get("site")
    if s:
        lines.append("| `site.yml` re-run on the lab, changed=%s | %.2f s median of %d | `ansible -m ping` %.2f s | "
                     "%.1fx | <= %.0f s, changed=0 | %s |"
                     % ("/".join(str(c) for c in s["rerun_changed"]), s["rerun_s"]["median"], s["rerun_s"]["runs"],
                        s["anchor_ansible_ping_s"]["median"], s["rerun_over_anchor"], s["target_s"], _verdict(s)))
        if "rerun_over_ping_same_hosts" in s:
            lines.append("| ... the same re-run against `ansible %s -m ping` over SSH | %.2f s | %.2f s | %.1fx | <= %.0fx | %s |"
                         % (SITE_HOSTS, s["rerun_s"]["median"], s["anchor_ping_same_hosts_s"]["median"],
                            s["rerun_over_ping_same_hosts"], s["target_ratio_over_ping"], _verdict(s)))
    p = results.get("pv100")
    if p:
        lines.append("| %d PVs created: `nfs_volumes` role vs `kubectl apply -f` | %.2f s | %.2f s | %.2fx | <= %.0fx "
                     "| %s |" % (p["volumes"], p["role_create_s"]["median"], p["kubectl_apply_create_s"]["median"],
                                 p["ratio_create"], p["target_ratio"], _verdict(p)))
        lines.append("| ... of which the role's one `nfs_pv_apply` task | %.2f s | %.2f s | %.2fx | - | - |"
                     % (p["role_apply_task_create_s"]["median"], p["kubectl_apply_create_s"]["median"],
                        p["ratio_apply_task_create"]))
        if "ratio_floor" in p:
            lines.append("| ... floor: `ansible-playbook` alone %.2f s; with one `kubernetes.core.k8s_info` read (no "
                         "role, no PV created) | %.2f s | %.2f s | %.2fx | - | - |"
                         % (p["floor_playbook_noop_s"]["median"], p["floor_one_kubernetes_core_read_s"]["median"],
                            p["kubectl_apply_create_s"]["median"], p["ratio_floor"]))
        lines.append("| %d PVs re-applied (role changed=%s) | %.2f s | %.2f s | %.2fx | - | - |"
                     % (p["volumes"], "/".join(str(c) for c in p["role_reapply_changed"]),
                        p["role_reapply_s"]["median"], p["kubectl_apply_reapply_s"]["median"], p["ratio_reapply"]))
    k = results.get("pv1000")
    if k:
        lines.append("| %d PVs created: `nfs_volumes` role vs `kubectl apply -f` | %.2f s | %.2f s | %.2fx | <= %.1fx | %s |"
                     % (k["volumes"], k["role_create_s"]["median"], k["kubectl_apply_create_s"]["median"],
                        k["ratio_create"], k["target_ratio_create"],
                        "pass" if k["ratio_create"] <= k["target_ratio_create"] else "**miss**"))
        lines.append("| %d PVs converged re-run (role changed=%s) vs `kubectl apply -f` re-run | %.2f s | %.2f s | %.2fx "
                     "| <= %.1fx | %s |"
                     % (k["volumes"], "/".join(str(c) for c in k["role_rerun_changed"]), k["role_rerun_s"]["median"],
                        k["kubectl_apply_rerun_s"]["median"], k["ratio_rerun"], k["target_ratio_rerun"],
                        "pass" if k["ratio_rerun"] <= k["target_ratio_rerun"] and not any(k["role_rerun_changed"])
                        else "**miss**"))
    v = results.get("validator", {})
    for key in ("validate100", "validate1000"):
        x = v.get(key)
        if not x or "anchor_s" not in x:
            continue
        lines.append("| validator module process, finished %d-replica StatefulSet (order+completion+storage+A+PTR; "
                     "via `ansible` %.2f s) | %.2f s | shell anchor (rollout status + one `kubectl get` + one `dig -f` + "
                     "awk) %.2f s | %.2fx | <= %.1fx | %s |"
                     % (x["replicas"], x["validator_ansible_s"]["median"], x["validator_module_process_s"]["median"],
                        x["anchor_s"]["median"], x["ratio_module_process"], x["target_ratio"], _verdict(x)))
        if "validator_module_process_problems_s" in x:
            lines.append("| ... the same with `pod_details: problems` (only the pods a violation names in the result) "
                         "| %.2f s | %.2f s | %.2fx | <= %.1fx | %s |"
                         % (x["validator_module_process_problems_s"]["median"], x["anchor_s"]["median"],
                            x["ratio_module_process_problems"], x["target_ratio"],
                            "pass" if x.get("passed_problems") else "**miss**"))
            lines.append("| ... floor: a process that only imports kubernetes.core's client and `AnsibleK8SModule` "
                         "| %.2f s | %.2f s | %.2fx | - | - |"
                         % (x["floor_s"]["median"], x["anchor_s"]["median"], x["ratio_floor"]))
    if v.get("watch"):
        x = v["watch"]["median"]
        lines.append("| validator verdict after the last pod Ready (watch) | %.3f s | k8s_info wait exits %.3f s | - "
                     "| <= %.0f s | %s |" % (x["validator_verdict_after_last_ready_s"],
                                             x["k8s_info_wait_exit_after_last_ready_s"],
                                             v["watch"]["target_verdict_after_last_ready_s"], _verdict(v["watch"])))
    for x in (v.get("mass"), v.get("mass5000")):
        if not x:
            continue
        lines.append("| validator, %d pods, every check | %.2f s, %.0f MB peak | - | - | <= %.0f s, <= %d MB | %s |"
                     % (x["replicas"], x["module_process_s"]["median"], x["peak_rss_mb"]["max"], x["target_s"],
                        x["target_rss_mb"], _verdict(x)))
    warm = results.get("labwarm")
    if warm:
        lines.append("| `make lab-up` (lab_up.yml) on the running lab, changed=%s | %.2f s median of %d | `ansible-playbook` "
                     "of one debug task %.2f s | %.1fx | <= %.0fx | %s |"
                     % ("/".join(str(c) for c in warm["lab_up_changed"]), warm["lab_up_s"]["median"],
                        warm["lab_up_s"]["runs"], warm["anchor_debug_playbook_s"]["median"], warm["ratio"],
                        warm["target_ratio"], _verdict(warm)))
    lab = results.get("lab")
    if lab:
        lines.append("| `make lab-down` (lab_down.yml) on the running lab | %.2f s median of %d (max %.2f s) | "
                     "`ansible -m ping` %.2f s | %.1fx | <= %.0f s | %s |"
                     % (lab["lab_down_s"]["median"], lab["lab_down_s"]["runs"], lab["lab_down_s"]["max"],
                        lab["anchor_ansible_ping_s"]["median"], lab["down_over_anchor"], lab["target_s"], _verdict(lab)))
        lines.append("| ... then `make lab-up` from the stopped lab | %.2f s | - | - | - | - |"
                     % lab["lab_up_from_stopped_s"]["median"])
    sizes = [x for x in v.get("dnspaths", {}).values() if isinstance(x, dict) and "ratio" in x]
    for x in sorted(sizes, key=lambda size: size["replicas"]):
        figures = (x["replicas"], x["api_s"]["median"], x["direct_s"]["median"], x["ratio"], x["target_ratio"], _verdict(x))
        lines.append("| DNS check of %d replicas through the API server (port-forward) vs direct | %.2f s | direct %.2f s "
                     "| %.2fx | <= %.0fx | %s |" % figures)
    if s:
        lines += ["", "Where a `site.yml` re-run spends its time (median seconds in tasks). Per play: %s. Slowest of "
                  "the %d tasks: %s." % ("; ".join("%s %.1f" % (p["play"], p["median_s"]) for p in s["plays"]), s["tasks"],
                                         "; ".join("%s %.1f" % (t["task"], t["median_s"]) for t in s["slowest_tasks"]))]
    if warm:
        lines += ["", "Where a warm `make lab-up` spends its time (median seconds in tasks). Per play: %s. Slowest tasks: %s."
                  % ("; ".join("%s %.2f" % (p["play"], p["median_s"]) for p in warm["plays"]),
                     "; ".join("%s %.2f" % (t["task"], t["median_s"]) for t in warm["slowest_tasks"]))]
    if results.get("error"):
        lines += ["", "**The last run broke off** (the sections above it were kept): `%s`"
                  % results["error"].strip().splitlines()[-1]]
    lines += ["", "Seconds are wall times of whole commands (Ansible start-up included), medians; the JSON next to "
              "this file has min/max and every round. Method: docs/benchmarks.md."]
    return "\n".join(lines)


def _now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--only", default="site,pv100,pv1000,validator,labwarm,lab")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of site and pv100")
    parser.add_argument("--validator-rounds", type=int, default=3)
    parser.add_argument("--pv1000-rounds", type=int, default=3,
                        help="rounds of pv1000 (kubectl's re-apply of 1,000 objects takes minutes)")
    parser.add_argument("--validator-only", default=",".join(VALIDATOR_PARTS))
    parser.add_argument("--keep", action="store_true", help="leave the benchmark objects in place")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    opts = parser.parse_args()
    if not os.path.exists(vb.KUBECONFIG):
        sys.exit("the lab is not up (%s missing): make lab-up" % vb.KUBECONFIG)
    wanted = opts.only.split(",")
    unknown = set(wanted) - {"site", "pv100", "pv1000", "validator", "labwarm", "lab"} | set(opts.validator_only.split(",")) - set(VALIDATOR_PARTS)
    if unknown:
        sys.exit("unknown benchmark(s): %s" % ", ".join(sorted(unknown)))
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, "latest.json")
    results = {}
    if os.path.exists(path):  # a partial run (--only) keeps the other sections
        with open(path) as handle:
            results = json.load(handle)
    run_id = uuid.uuid4().hex[:6]
    results.update(when=_now(), run_id=run_id,
                   commit=subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                                         text=True, check=False).stdout.strip() or "unknown",
                   machine={"host": platform.node(), "arch": platform.machine(), "cores": os.cpu_count(),
                            "load_at_start": "%.1f/%.1f/%.1f" % os.getloadavg()})
    started = time.monotonic()
    error = None
    try:
        if "site" in wanted:
            print(">>> site.yml: converge, then %d idempotent re-runs" % opts.rounds, flush=True)
            results["site"] = dict(bench_site(opts.rounds, run_id), when=_now())
            print(json.dumps(results["site"], indent=1), flush=True)
        if "pv1000" in wanted:
            print(">>> %d PVs: nfs_volumes role vs kubectl apply -f, %d rounds" % (PV1000_COUNT, opts.pv1000_rounds), flush=True)
            results["pv1000"] = dict(bench_pv1000(opts.pv1000_rounds, run_id), when=_now())
            print(json.dumps(dict((k, v) for k, v in results["pv1000"].items() if k != "rounds_detail"), indent=1),
                  flush=True)
        if "pv100" in wanted:
            print(">>> %d PVs: nfs_volumes role vs kubectl apply -f, %d rounds" % (PV_COUNT, opts.rounds), flush=True)
            results["pv100"] = dict(bench_pv100(opts.rounds, run_id), when=_now())
            print(json.dumps(results["pv100"], indent=1), flush=True)
        if "validator" in wanted:
            print(">>> validator (bench/validator/bench.py): %s" % opts.validator_only, flush=True)
            bench_validator(opts.validator_rounds, opts.validator_only.split(","), results.setdefault("validator", {}))
            print(json.dumps(results["validator"], indent=1), flush=True)
        if "labwarm" in wanted:
            print(">>> make lab-up on the running lab vs one debug task, %d rounds" % opts.rounds, flush=True)
            results["labwarm"] = dict(bench_labwarm(opts.rounds), when=_now())
            print(json.dumps(results["labwarm"], indent=1), flush=True)
        if "lab" in wanted:  # last: it stops and starts the lab under everything else
            print(">>> make lab-down, then make lab-up, %d rounds" % opts.rounds, flush=True)
            results["lab"] = dict(bench_lab(opts.rounds), when=_now())
            print(json.dumps(results["lab"], indent=1), flush=True)
    except (RuntimeError, subprocess.SubprocessError) as exc:  # keep what was measured before it broke
        error = str(exc)[-2000:]
    finally:
        if not opts.keep:
            cleanup_site(run_id)
            kubectl("delete", "pv", "-l", "%s=%s" % (RUN_LABEL, run_id), "--ignore-not-found", "--wait=false",
                    check=False)
    results["error"] = error
    results["machine"]["load_at_end"] = "%.1f/%.1f/%.1f" % os.getloadavg()
    results["seconds"] = round(time.monotonic() - started, 1)
    with open(path, "w") as handle:
        json.dump(results, handle, indent=1, sort_keys=True)
    with open(os.path.join(RESULTS, "latest.md"), "w") as handle:
        handle.write(markdown(results) + "\n")
    print(markdown(results))
    if error:
        print("benchmark run broken off: %s" % error, file=sys.stderr)
        return 2
    sections = [results.get(k) for k in ("site", "pv100", "pv1000", "labwarm", "lab")] + list(results.get("validator", {}).values())
    missed = [s for s in sections if s and not s.get("passed")]
    return 1 if opts.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
