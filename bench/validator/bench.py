# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks of stateful.nfs.statefulset_validate on the lab (issue 6).

Measurements, each against its anchor in the same run:

1. ``validate100`` and ``validate1000``: a finished OrderedReady StatefulSet of 100 (1,000)
   replicas with as many pinned PVs. The validator (checks order + completion + storage + dns:
   A and PTR for every pod), as a module process (every pod in its result, and with
   ``pod_details: problems``) and through ``ansible``, against the shell
   anchor of issue 17 (``anchor.sh``): ``kubectl rollout status``, one ``kubectl get pods,pvc
   -o jsonpath``, one ``dig -f`` process for every question, compared with awk (``anchor.awk``);
   it fails when an answer or a claim is wrong. Targets: module process <= 1.0x the anchor at
   100 replicas, <= 0.5x at 1,000. In the same rounds, the floor under any module process built
   on kubernetes.core's client: a process that only imports it and exits.
2. ``watch``: scale a StatefulSet up; how long after the last pod turns Ready (as seen
   by an independent watch in this script) does each tool give its verdict?
   statefulset_validate mode=watch vs kubernetes.core.k8s_info ``wait: true`` (and
   ``kubectl rollout status`` for reference). Target: <= 1 s.
3. ``mass`` and ``mass5000``: 1,000 (``--mass-replicas``) and 5,000 pods (Parallel, no volumes);
   the validator with every check, as a plain module process: wall time and peak RSS, and whether
   every pod got an address of its own. Targets: <= 5 s and <= 150 MB at 1,000 pods (issue 6),
   <= 10 s and <= 200 MB at 5,000 (issue 17).

Needs the lab up (``make lab-up``; another lab: ``--lab-vars FILE`` or the environment variable
STATEFUL_NFS_LAB_VARS naming the variables file it was started with, as for the integration
tests), the repo's .venv, ``dig`` and ``awk`` (``make bench-tools``). Everything it creates lives in namespaces
``bench-validator-*`` and PVs labelled ``bench.stateful.nfs/validator``; it removes
them at the end. Results go to ``bench/validator/results.json`` and ``results.md``.

usage: .venv/bin/python bench/validator/bench.py [--only validate100,validate1000,watch,mass,mass5000,dnspaths]
                                                 [--rounds N] [--mass-replicas N] [--lab-vars FILE]
"""

from __future__ import absolute_import, division, print_function

import argparse
import calendar
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.join(REPO, ".venv", "bin")
ANCHOR = os.path.join(HERE, "anchor.sh")


def lab_settings(lab_vars):
    """Where the lab of these variables (a lab_up.yml variables file, as a dict; {} for the default
    lab) keeps its kubeconfig and kubectl, and where its CoreDNS listens: the role's defaults for
    what the variables do not set."""
    state = os.path.expanduser(lab_vars.get("lab_state_dir") or "~/.local/state/stateful-nfs-lab")
    return {"state_dir": state,
            "kubeconfig": os.path.expanduser(lab_vars.get("stateful_nfs_kubeconfig")
                                             or os.path.join(state, "kubeconfig")),
            "kubectl": os.path.join(state, "bin", "kubectl"),
            "dns_server": lab_vars.get("lab_bind_address") or "127.0.0.1",
            "dns_port": int(lab_vars.get("lab_dns_port") or 10053)}


def read_lab_vars(path):
    """The variables file ``path`` names (YAML), or {} without one."""
    if not path:
        return {}
    import yaml  # pylint: disable=import-outside-toplevel
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


def use_lab(path):
    """Point the benchmark at the lab of the variables file ``path`` (None: the default lab)."""
    global LAB, KUBECONFIG, KUBECTL, DNS_SERVER, DNS_PORT  # pylint: disable=global-statement
    lab = lab_settings(read_lab_vars(path))
    LAB, KUBECONFIG, KUBECTL = lab["state_dir"], lab["kubeconfig"], lab["kubectl"]
    DNS_SERVER, DNS_PORT = lab["dns_server"], lab["dns_port"]


LAB = KUBECONFIG = KUBECTL = DNS_SERVER = DNS_PORT = None
use_lab(os.environ.get("STATEFUL_NFS_LAB_VARS"))
LABEL = "bench.stateful.nfs/validator"
MODULE = os.path.join(REPO, "plugins", "modules", "statefulset_validate.py")


def env():
    e = dict(os.environ)
    e.update(PATH=BIN + os.pathsep + e.get("PATH", ""), ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
             ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".collections"), K8S_AUTH_KUBECONFIG=KUBECONFIG,
             ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
             ANSIBLE_PYTHON_INTERPRETER=os.path.join(BIN, "python"), ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
             ANSIBLE_LOCALHOST_WARNING="False")
    return e


def kubectl(*args, stdin=None, check=True):
    out = subprocess.run([KUBECTL, "--kubeconfig", KUBECONFIG] + list(args), input=stdin, capture_output=True,
                         text=True, timeout=600, check=False)
    if check and out.returncode:
        raise RuntimeError("kubectl %s: %s" % (" ".join(args), out.stderr.strip()))
    return out.stdout


def apply(objects):
    kubectl("apply", "-f", "-", stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}))


def namespace(name):
    # a namespace of an earlier run may still be terminating
    kubectl("wait", "--for=delete", "namespace/" + name, "--timeout=300s", check=False)
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": {LABEL: "yes"}}}


def headless(ns, name, app):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
            "spec": {"clusterIP": "None", "selector": {"app": app}, "ports": [{"port": 80}]}}


RUN = time.strftime("%H%M%S")


NODE_PODS = 1000


def bench_nodes(count):
    """KWOK nodes of the benchmark's own, named per run, each admitting NODE_PODS pods from a /22 of
    10.244.64.0/18 (1,022 addresses; the lab's own nodes and its DNS node use other parts of
    10.244.0.0/16), tainted so that no other pod of the lab lands on them: at most 16 nodes."""
    if count > 16:
        raise ValueError("at most 16 benchmark nodes (%d pods), not %d" % (16 * NODE_PODS, count))
    return [{"apiVersion": "v1", "kind": "Node",
             "metadata": {"name": "bench-validator-%s-node%d" % (RUN, i),
                          "annotations": {"kwok.x-k8s.io/node": "fake",
                                          "lab.stateful.nfs/max-pods": str(NODE_PODS)},
                          "labels": {LABEL: RUN, "kubernetes.io/hostname": "bench-validator-%s-node%d" % (RUN, i),
                                     "type": "kwok"}},
             "spec": {"podCIDR": "10.244.%d.0/22" % (64 + 4 * i), "podCIDRs": ["10.244.%d.0/22" % (64 + 4 * i)],
                      "taints": [{"key": LABEL, "value": "yes", "effect": "NoSchedule"}]}}
            for i in range(count)]


def nodes_for(pods):
    """How many benchmark nodes hold ``pods`` pods at once."""
    return max(1, -(-pods // NODE_PODS))


def statefulset(ns, name, replicas, policy="OrderedReady", claims=None, storage_class=None, ready_delay=None):
    template_meta = {"labels": {"app": name}}
    if ready_delay:  # the lab's pods turn Ready after this (default 1 s)
        template_meta["annotations"] = {"lab.stateful.nfs/ready-delay": ready_delay}
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name, "namespace": ns},
           "spec": {"replicas": replicas, "serviceName": name, "podManagementPolicy": policy,
                    "selector": {"matchLabels": {"app": name}},
                    "template": {"metadata": template_meta,
                                 "spec": {"containers": [{"name": "app", "image": "registry.example/app:1"}],
                                          "nodeSelector": {LABEL: RUN},
                                          "tolerations": [{"key": LABEL, "operator": "Equal", "value": "yes",
                                                           "effect": "NoSchedule"}]}}}}
    if claims:
        sts["spec"]["volumeClaimTemplates"] = [{"metadata": {"name": "data"}, "spec": {
            "accessModes": ["ReadWriteOnce"], "storageClassName": storage_class,
            "resources": {"requests": {"storage": "1Gi"}}}}]
    return sts


def pinned_pvs(ns, sts, count, storage_class):
    return [{"apiVersion": "v1", "kind": "PersistentVolume",
             "metadata": {"name": "%s-pv%03d" % (ns, i), "labels": {LABEL: "yes"}},
             "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                      "persistentVolumeReclaimPolicy": "Retain", "storageClassName": storage_class,
                      "nfs": {"server": "127.0.0.1", "path": "/bench/%d" % i},
                      "claimRef": {"namespace": ns, "name": "data-%s-%d" % (sts, i)}}} for i in range(count)]


def rollout(ns, name, timeout):
    kubectl("-n", ns, "rollout", "status", "statefulset/" + name, "--timeout=%ds" % timeout)


def ansible_module(module, args, timeout=300):
    """Run one module through ``ansible`` (ad hoc, as a playbook task would): (seconds, result)."""
    started = time.monotonic()
    out = subprocess.run([os.path.join(BIN, "ansible"), "localhost", "-c", "local", "-i", "localhost,", "-m", module,
                          "-a", json.dumps(args)], capture_output=True, text=True, env=env(), timeout=timeout,
                         check=False)
    elapsed = time.monotonic() - started
    try:
        result = json.loads(out.stdout)["plays"][0]["tasks"][0]["hosts"]["localhost"]
    except (ValueError, KeyError, IndexError):
        raise RuntimeError("ansible %s failed: %s %s" % (module, out.stdout[-2000:], out.stderr[-2000:]))
    return elapsed, result


def process_env():
    """``env()`` for a plain Python process of the venv that imports the collection (no Ansible in front)."""
    e = env()
    e["PYTHONPATH"] = os.path.join(REPO, ".collections") + os.pathsep + os.path.join(
        BIN, "..", "lib", "python%d.%d" % sys.version_info[:2], "site-packages")
    return e


def module_process(args):
    """Run the module file as its own process: (seconds, peak RSS in MB, result)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": args}, handle)
    e = process_env()
    started = time.monotonic()
    proc = subprocess.Popen([os.path.join(BIN, "python"), MODULE, handle.name], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=e)
    stdout = proc.stdout.read()
    proc.stderr.read()
    _pid, _status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - started
    proc.returncode = 0
    os.unlink(handle.name)
    return elapsed, usage.ru_maxrss / 1024.0, json.loads(stdout)


def anchor(ns, sts, pins=None):
    """The shell anchor (anchor.sh) on a finished StatefulSet: (seconds, exit code, its mismatch lines).
    ``pins``: the prefix of the pinned volumes' names (claims ``data-<pod>`` checked), or None."""
    e = dict(os.environ, KUBECTL=KUBECTL, KUBECONFIG=KUBECONFIG, NS=ns, STS=sts, SVC=sts, SERVER=DNS_SERVER,
             PORT=str(DNS_PORT), CLAIM="data" if pins else "", PINS=pins or "")
    started = time.monotonic()
    out = subprocess.run(["bash", ANCHOR], capture_output=True, text=True, env=e, timeout=600, check=False)
    elapsed = time.monotonic() - started
    if out.returncode not in (0, 1):
        raise RuntimeError("anchor failed (rc %d): %s %s" % (out.returncode, out.stdout[-1000:], out.stderr[-1000:]))
    return elapsed, out.returncode, out.stdout.splitlines()


def validator_args(ns, sts, checks, **extra):
    # Both tools report what they find and the run goes on: KWOK (v0.8) sometimes gives two pods
    # the same address, which the validator reports as a duplicate PTR and the dig loop as a
    # mismatch. The work, and so the timing, is the same either way; results.json counts them.
    args = {"name": sts, "namespace": ns, "checks": checks, "dns_server": DNS_SERVER, "dns_port": DNS_PORT,
            "kubeconfig": KUBECONFIG, "fail_on_violation": False}
    args.update(extra)
    return args


# --------------------------------------------------------------------------- benchmarks

TARGET_RATIO = {100: 1.0, 1000: 0.5}


FLOOR_IMPORTS = ("from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client; "
                 "from ansible_collections.kubernetes.core.plugins.module_utils.k8s.core import AnsibleK8SModule")


def floor_process():
    """The floor under any module process built on kubernetes.core's client: a Python process that
    only imports that client and ``AnsibleK8SModule`` (the ``kubernetes`` package, Ansible's
    ``basic``) and exits. Seconds."""
    e = process_env()
    started = time.monotonic()
    subprocess.run([os.path.join(BIN, "python"), "-c", FLOOR_IMPORTS], env=e, check=True)
    return time.monotonic() - started


def bench_validate(rounds, replicas):
    """A finished OrderedReady StatefulSet of ``replicas`` pods, each with a claim pinned to its own
    PV: the validator (order + completion + storage + dns) as a module process (with every pod in
    its result, and with ``pod_details: problems``) and through ``ansible`` vs the shell anchor,
    alternating which goes first, in the same rounds; and the floor under any module built on
    kubernetes.core's client (``floor_process``)."""
    ns, sts, sc = "bench-validator-%d" % replicas, "web", "bench-validator-%d" % replicas
    apply([namespace(ns)] + pinned_pvs(ns, sts, replicas, sc)
          + [headless(ns, sts, sts),
             statefulset(ns, sts, replicas, claims=True, storage_class=sc, ready_delay="10ms")])
    started = time.monotonic()
    rollout(ns, sts, 1800)
    setup = time.monotonic() - started
    pins = dict((str(i), "%s-pv%03d" % (ns, i)) for i in range(replicas))
    args = validator_args(ns, sts, ["order", "completion", "storage", "dns"], expected_volumes=pins)
    short_args = dict(args, pod_details="problems")
    ours, direct, short, floor, base, rss, anchor_rcs = [], [], [], [], [], [], []
    short_sizes, mismatches = None, []
    for index in range(rounds):
        sides = ["module", "short", "anchor", "floor"]
        for side in sides[index % 4:] + sides[:index % 4]:
            if side in ("module", "short"):
                elapsed, peak, result = module_process(args if side == "module" else short_args)
                if result.get("failed") and not result.get("violations"):
                    raise RuntimeError("validator failed: %s" % result.get("msg"))
                (direct if side == "module" else short).append(elapsed)
                if side == "module":
                    rss.append(peak)
                else:
                    short_sizes = len(result["pods"]), len(result["storage"]), len(result["dns"])
            elif side == "floor":
                floor.append(floor_process())
            else:
                elapsed, code, mismatches = anchor(ns, sts, pins="%s-pv" % ns)
                base.append(elapsed)
                anchor_rcs.append(code)
        elapsed, result = ansible_module("stateful.nfs.statefulset_validate", args)
        if result.get("failed") and not result.get("violations"):
            raise RuntimeError("validator failed: %s" % result.get("msg"))
        ours.append(elapsed)
    anchor_median = statistics.median(base)
    ratio = statistics.median(direct) / anchor_median
    ratio_short = statistics.median(short) / anchor_median
    target = TARGET_RATIO.get(replicas, 1.0)
    fine = result.get("valid") is True and set(anchor_rcs) == {0}
    return {"replicas": replicas, "rollout_seconds": round(setup, 1), "queries": result["checks"]["dns"]["queries"],
            "validator_valid": result.get("valid"), "validator_violations": len(result["violations"]),
            "first_violation": (result["violations"] or [{}])[0].get("message"),
            "checks": dict((k, v.get("status")) for k, v in result["checks"].items()),
            "anchor_exit_codes": anchor_rcs, "anchor_mismatches": len(mismatches),
            "first_anchor_mismatch": (mismatches or [None])[0],
            "validator_ansible_s": _stats(ours), "validator_module_process_s": _stats(direct),
            "validator_module_process_problems_s": _stats(short), "problems_result_entries": short_sizes and list(short_sizes),
            "floor_s": _stats(floor), "ratio_floor": round(statistics.median(floor) / anchor_median, 3),
            "validator_module_peak_rss_mb": _stats(rss), "anchor_s": _stats(base),
            "ratio_ansible": round(statistics.median(ours) / anchor_median, 3),
            "ratio_module_process": round(ratio, 3), "ratio_module_process_problems": round(ratio_short, 3),
            "target_ratio": target, "passed": ratio <= target and fine,
            "passed_problems": ratio_short <= target and fine}


class ReadyWatch(threading.Thread):
    """Independent reference: arrival time of every pod Ready transition (kubectl get -w)."""

    def __init__(self, ns):
        threading.Thread.__init__(self, daemon=True)
        self.ns = ns
        self.ready = {}
        self.proc = None

    def run(self):
        self.proc = subprocess.Popen([KUBECTL, "--kubeconfig", KUBECONFIG, "-n", self.ns, "get", "pods", "-w",
                                      "--output-watch-events", "-o",
                                      "jsonpath={.type} {.object.metadata.name} "
                                      "{.object.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}"],
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        for line in self.proc.stdout:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "True":
                self.ready.setdefault(parts[1], time.time())
            elif len(parts) >= 2:
                self.ready.pop(parts[1], None)

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def _timed(cmd, e=None):
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=e or env())
    holder = {}

    def wait():
        out, err = proc.communicate(timeout=300)
        holder.update(end=time.time(), out=out, err=err, rc=proc.returncode)
    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    return thread, holder


def bench_watch(rounds):
    ns, sts = "bench-validator-watch", "lat"
    apply([namespace(ns), headless(ns, sts, sts), statefulset(ns, sts, 2)])
    rollout(ns, sts, 120)
    rows = []
    for index in range(rounds):
        watcher = ReadyWatch(ns)
        watcher.start()
        time.sleep(1.0)
        ours = _timed([os.path.join(BIN, "ansible"), "localhost", "-c", "local", "-i", "localhost,", "-m",
                       "stateful.nfs.statefulset_validate", "-a",
                       json.dumps(validator_args(ns, sts, ["order", "completion"], mode="watch", watch_timeout=120))])
        time.sleep(6.0)  # the module is watching (ansible start-up takes 1-4 s on the loaded 2-core machine)
        scaled = time.time()
        kubectl("-n", ns, "scale", "statefulset/" + sts, "--replicas=5")
        theirs = _timed([os.path.join(BIN, "ansible"), "localhost", "-c", "local", "-i", "localhost,", "-m",
                         "kubernetes.core.k8s_info", "-a",
                         json.dumps({"kind": "StatefulSet", "name": sts, "namespace": ns, "wait": True,
                                     "wait_timeout": 120, "kubeconfig": KUBECONFIG})])
        rollout_status = _timed([KUBECTL, "--kubeconfig", KUBECONFIG, "-n", ns, "rollout", "status",
                                 "statefulset/" + sts, "--timeout=120s"])
        for started_thread in (ours[0], theirs[0], rollout_status[0]):
            started_thread.join(300)
        time.sleep(0.5)
        watcher.stop()
        wanted = ["%s-%d" % (sts, i) for i in range(5)]
        last_ready = max(watcher.ready[p] for p in wanted if p in watcher.ready)
        result = json.loads(ours[1]["out"])["plays"][0]["tasks"][0]["hosts"]["localhost"]
        ended = result["watch"]["ended"]  # 2026-11-27T07:10:05.833Z
        verdict = calendar.timegm(time.strptime(ended[:19], "%Y-%m-%dT%H:%M:%S")) + float(ended[19:-1])
        rows.append({
            "round": index + 1, "rollout_seconds": round(last_ready - scaled, 2),
            "validator_valid": result.get("valid"), "validator_events": len(result.get("events") or []),
            "validator_verdict_after_last_ready_s": round(verdict - last_ready, 3),
            "validator_process_exit_after_last_ready_s": round(ours[1]["end"] - last_ready, 3),
            "k8s_info_wait_exit_after_last_ready_s": round(theirs[1]["end"] - last_ready, 3),
            "kubectl_rollout_status_exit_after_last_ready_s": round(rollout_status[1]["end"] - last_ready, 3),
        })
        kubectl("-n", ns, "scale", "statefulset/" + sts, "--replicas=2")
        rollout(ns, sts, 120)
        time.sleep(2.0)
    keys = [k for k in rows[0] if k.endswith("_s")]
    return {"rounds": rows, "median": dict((k, round(statistics.median(r[k] for r in rows), 3)) for k in keys),
            "target_verdict_after_last_ready_s": 1.0}


MASS_TARGETS = {1000: (5.0, 150), 5000: (10.0, 200)}  # seconds, MB (issues 6 and 17)


def unique_addresses(ns):
    """(pods, distinct pod IPs) in ``ns``: the lab must give every pod an address of its own."""
    out = kubectl("-n", ns, "get", "pods", "-o", "jsonpath={range .items[*]}{.status.podIP}{\"\\n\"}{end}")
    ips = [line for line in out.splitlines() if line]
    return len(ips), len(set(ips))


def bench_mass(rounds, replicas=1000):
    ns, sts = "bench-validator-mass", "mass"
    apply([namespace(ns), headless(ns, sts, sts), statefulset(ns, sts, replicas, policy="Parallel")])
    started = time.monotonic()
    rollout(ns, sts, 1800)
    setup = time.monotonic() - started
    pods, distinct = unique_addresses(ns)
    args = validator_args(ns, sts, ["order", "completion", "storage", "dns"])
    times, rss = [], []
    for _round in range(rounds):
        elapsed, peak, result = module_process(args)
        if result.get("failed") and not result.get("violations"):
            raise RuntimeError("validator failed: %s" % result.get("msg"))
        times.append(elapsed)
        rss.append(peak)
    ansible_elapsed = ansible_module("stateful.nfs.statefulset_validate", args)[0]
    target_s, target_mb = MASS_TARGETS.get(replicas, MASS_TARGETS[1000])
    return {"replicas": replicas, "rollout_seconds": round(setup, 1), "queries": result["checks"]["dns"]["queries"],
            "pods": pods, "distinct_pod_ips": distinct,
            "validator_valid": result.get("valid"), "validator_violations": len(result["violations"]),
            "first_violation": (result["violations"] or [{}])[0].get("message"),
            "checks": dict((k, v.get("status")) for k, v in result["checks"].items()),
            "dns_unchecked": result["checks"]["dns"].get("unchecked"),
            "module_process_s": _stats(times), "peak_rss_mb": _stats(rss),
            "via_ansible_s": round(ansible_elapsed, 3), "target_s": target_s, "target_rss_mb": target_mb,
            # the targets are time and memory with every check run; the verdict is a finding, reported
            "passed": statistics.median(times) <= target_s and max(rss) <= target_mb and distinct == pods == replicas}


def bench_dns_paths(rounds, sizes=(100, 1000)):
    """The DNS check alone (A, PTR, SRV of every pod) through the API server (a port-forward to the
    cluster DNS pod) vs the direct path (the lab's CoreDNS on loopback), as module processes,
    alternating which goes first."""
    out = {}
    for replicas in sizes:
        ns, sts = "bench-validator-dns%d" % replicas, "dns"
        apply([namespace(ns), headless(ns, sts, sts), statefulset(ns, sts, replicas, policy="Parallel")])
        rollout(ns, sts, 900)
        direct_args = validator_args(ns, sts, ["dns"])
        api_args = dict(direct_args, dns_transport="api")
        del api_args["dns_server"], api_args["dns_port"]
        direct, api = [], []
        for index in range(rounds):
            order = [(direct_args, direct), (api_args, api)]
            for args, into in (order if index % 2 == 0 else order[::-1]):
                elapsed, _peak, result = module_process(args)
                if result.get("failed") or result["checks"]["dns"]["status"] != "passed":
                    raise RuntimeError("dns check (%s) did not pass: %s" % (
                        args.get("dns_transport", "direct"), result.get("msg") or result.get("violations", [])[:3]))
                into.append(elapsed)
        out[str(replicas)] = {"replicas": replicas, "queries": result["checks"]["dns"]["queries"],
                              "direct_s": _stats(direct), "api_s": _stats(api),
                              "ratio": round(statistics.median(api) / statistics.median(direct), 2),
                              "target_ratio": 2.0 if replicas <= 100 else 3.0}
        out[str(replicas)]["passed"] = out[str(replicas)]["ratio"] <= out[str(replicas)]["target_ratio"]
        drop(ns)
    return out


def _stats(values):
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "runs": len(values)}


def drop(ns):
    """Remove a step's namespace before the next step (KWOK may hand its addresses out again)."""
    kubectl("delete", "namespace", ns, "--ignore-not-found", "--wait=true", "--timeout=300s", check=False)


def cleanup():
    for ns in ("bench-validator-100", "bench-validator-1000", "bench-validator-watch", "bench-validator-mass", "bench-validator-dns100",
               "bench-validator-dns1000"):
        drop(ns)
    kubectl("delete", "pv", "-l", LABEL, "--ignore-not-found", "--wait=false", check=False)
    kubectl("delete", "node", "-l", LABEL, "--ignore-not-found", "--wait=false", check=False)


def markdown(results):
    lines = ["# statefulset_validate benchmarks", "",
             "Measured by `bench/validator/bench.py` on %s (%s, %d cores) against the lab, at %s."
             % (platform.node(), platform.machine(), os.cpu_count(), results["when"]), ""]
    for key in ("validate100", "validate1000"):
        v = results.get(key)
        if not v or "anchor_s" not in v:
            continue
        lines += ["## Finished %d-replica StatefulSet (order + completion + storage + A + PTR)" % v["replicas"], "",
                  "| tool | median s | min | max |", "| --- | --- | --- | --- |",
                  "| statefulset_validate via `ansible` | %(median)s | %(min)s | %(max)s |" % v["validator_ansible_s"],
                  "| statefulset_validate module process | %(median)s | %(min)s | %(max)s |"
                  % v["validator_module_process_s"],
                  "| ... with `pod_details: problems` | %(median)s | %(min)s | %(max)s |"
                  % v.get("validator_module_process_problems_s", {"median": "-", "min": "-", "max": "-"}),
                  "| floor: a process importing only kubernetes.core's client and `AnsibleK8SModule` "
                  "| %(median)s | %(min)s | %(max)s |" % v.get("floor_s", {"median": "-", "min": "-", "max": "-"}),
                  "| shell anchor: `kubectl rollout status` + one `kubectl get -o jsonpath` + one `dig -f` + awk "
                  "| %(median)s | %(min)s | %(max)s |" % v["anchor_s"], "",
                  "Ratio, module process / anchor (target <= %.1fx): **%.2fx**, with `pod_details: problems` "
                  "**%sx**; the floor %sx; via ansible %.2fx; %d DNS queries; module peak RSS %.0f MB."
                  % (v["target_ratio"], v["ratio_module_process"], v.get("ratio_module_process_problems", "-"),
                     v.get("ratio_floor", "-"), v["ratio_ansible"], v["queries"],
                     v["validator_module_peak_rss_mb"]["median"]),
                  "", "Verdicts: validator valid=%s, %d violation(s)%s; anchor exit codes %s%s." % (
                      v.get("validator_valid"), v.get("validator_violations", 0),
                      (" (first: %s)" % v["first_violation"]) if v.get("first_violation") else "",
                      v.get("anchor_exit_codes"),
                      (" (first mismatch: %s)" % v["first_anchor_mismatch"]) if v.get("first_anchor_mismatch") else ""),
                  ""]
    w = results.get("watch")
    if w:
        m = w["median"]
        lines += ["## Verdict after the last pod turns Ready (scale 2 -> 5, median of %d)" % len(w["rounds"]), "",
                  "| tool | seconds after the last Ready |", "| --- | --- |",
                  "| statefulset_validate mode=watch, verdict | %s |" % m["validator_verdict_after_last_ready_s"],
                  "| statefulset_validate mode=watch, process exit | %s |"
                  % m["validator_process_exit_after_last_ready_s"],
                  "| kubernetes.core.k8s_info wait: true, process exit | %s |"
                  % m["k8s_info_wait_exit_after_last_ready_s"],
                  "| kubectl rollout status, process exit | %s |" % m["kubectl_rollout_status_exit_after_last_ready_s"],
                  "", "Target: verdict <= 1 s.", ""]
    for s in (results.get("mass"), results.get("mass5000")):
        if not s:
            continue
        numbers = (s["module_process_s"]["median"], s["target_s"], s["peak_rss_mb"]["max"], s["target_rss_mb"],
                   s["queries"], s["via_ansible_s"])
        lines += ["## %d simulated pods (Parallel), every check" % s["replicas"], "",
                  "Module process: median %.2f s (target <= %.0f s), peak RSS max %.0f MB (target <= %d MB); "
                  "%d DNS queries; via `ansible`: %.2f s." % numbers,
                  "", "The lab held %s pods with %s distinct addresses; rollout %s s." % (
                      s.get("pods"), s.get("distinct_pod_ips"), s.get("rollout_seconds")),
                  "", "Findings in the lab during the run: %d violation(s)%s." % (
                      s.get("validator_violations", 0),
                      (" (first: %s)" % s["first_violation"]) if s.get("first_violation") else ""), ""]
    d = results.get("dnspaths")
    if d:
        lines += ["## The DNS check through the API server vs direct (module process, A + PTR + SRV of every pod)", "",
                  "| replicas | queries | direct s | through the API s | ratio | target |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for key in sorted(d, key=int):
            x = d[key]
            lines.append("| %d | %d | %.2f | %.2f | %.2fx | <= %.0fx |" % (
                x["replicas"], x["queries"], x["direct_s"]["median"], x["api_s"]["median"], x["ratio"],
                x["target_ratio"]))
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--only", default="validate100,validate1000,watch,mass,mass5000,dnspaths")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mass-replicas", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="leave the benchmark objects in place")
    parser.add_argument("--lab-vars", default=os.environ.get("STATEFUL_NFS_LAB_VARS"),
                        help="the variables file the lab was started with (default: STATEFUL_NFS_LAB_VARS, "
                             "else the default lab)")
    opts = parser.parse_args()
    use_lab(opts.lab_vars)
    if not os.path.exists(KUBECONFIG):
        sys.exit("the lab is not up (%s missing): make lab-up" % KUBECONFIG)
    path = os.path.join(HERE, "results.json")
    results = {}
    if os.path.exists(path):  # a partial run (--only) keeps the other measurements
        with open(path) as handle:
            results = json.load(handle)
    results["when"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    wanted = opts.only.split(",")
    try:
        # addresses for the largest step's pods (each step's namespace goes before the next), and a few
        apply(bench_nodes(nodes_for(max([opts.mass_replicas, 1000] + [5000] * ("mass5000" in wanted)) + 10)))
        for replicas in (100, 1000):
            key = "validate%d" % replicas
            if key in wanted:
                results[key] = bench_validate(opts.rounds, replicas)
                drop("bench-validator-%d" % replicas)
                kubectl("delete", "pv", "-l", LABEL, "--ignore-not-found", "--wait=false", check=False)
                print(json.dumps(results[key], indent=1), flush=True)
        if "watch" in wanted:
            results["watch"] = bench_watch(max(3, opts.rounds // 2 + 1))
            drop("bench-validator-watch")
            print(json.dumps(results["watch"], indent=1), flush=True)
        for key, replicas in (("mass", opts.mass_replicas), ("mass5000", 5000)):
            if key in wanted:
                results[key] = bench_mass(max(3, opts.rounds // 2 + 1), replicas)
                drop("bench-validator-mass")
                print(json.dumps(results[key], indent=1), flush=True)
        if "dnspaths" in wanted:
            results["dnspaths"] = bench_dns_paths(max(3, opts.rounds // 2 + 1))
            print(json.dumps(results["dnspaths"], indent=1), flush=True)
    finally:
        if not opts.keep:
            cleanup()
    with open(path, "w") as handle:
        json.dump(results, handle, indent=1, sort_keys=True)
    with open(os.path.join(HERE, "results.md"), "w") as handle:
        handle.write(markdown(results) + "\n")
    print(markdown(results))


if __name__ == "__main__":
    main()
