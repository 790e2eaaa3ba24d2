# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks of stateful.nfs.statefulset_validate on the lab (issue 6).

Three measurements, each against its baseline in the same run:

1. ``validate100``: a finished 100-replica OrderedReady StatefulSet with 100 pinned
   PVs. The validator (checks order + storage + dns: A and PTR for every pod) against
   ``kubectl rollout status`` plus a ``dig`` loop asking the same A and PTR questions.
   Target: validator <= 0.5x the baseline.
2. ``watch``: scale a StatefulSet up; how long after the last pod turns Ready (as seen
   by an independent watch in this script) does each tool give its verdict?
   statefulset_validate mode=watch vs kubernetes.core.k8s_info ``wait: true`` (and
   ``kubectl rollout status`` for reference). Target: <= 1 s.
3. ``mass``: 1,000 pods (Parallel, no volumes); the validator with every check, as a
   plain module process: wall time and peak RSS. Target: <= 5 s and <= 150 MB.

Needs the lab up (``make lab-up``), the repo's .venv and ``dig`` (Debian:
``apt-get install bind9-dnsutils``). Everything it creates lives in namespaces
``bench-validator-*`` and PVs labelled ``bench.stateful.nfs/validator``; it removes
them at the end. Results go to ``bench/validator/results.json`` and ``results.md``.

usage: .venv/bin/python bench/validator/bench.py [--only validate100,watch,mass] [--rounds N]
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
LAB = os.path.expanduser(os.environ.get("LAB_STATE", "~/.local/state/stateful-nfs-lab"))
KUBECONFIG = os.path.join(LAB, "kubeconfig")
KUBECTL = os.path.join(LAB, "bin", "kubectl")
BIN = os.path.join(REPO, ".venv", "bin")
DNS_SERVER, DNS_PORT = "127.0.0.1", 10053
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


def bench_nodes(count):
    """KWOK nodes of the benchmark's own, named per run, each admitting 250 pods (its /24 holds 254
    addresses), tainted so that no other pod of the lab lands on them."""
    return [{"apiVersion": "v1", "kind": "Node",
             "metadata": {"name": "bench-validator-%s-node%d" % (RUN, i),
                          "annotations": {"kwok.x-k8s.io/node": "fake", "lab.stateful.nfs/max-pods": "250"},
                          "labels": {LABEL: RUN, "kubernetes.io/hostname": "bench-validator-%s-node%d" % (RUN, i),
                                     "type": "kwok"}},
             "spec": {"podCIDR": "10.244.%d.0/24" % (200 + i), "podCIDRs": ["10.244.%d.0/24" % (200 + i)],
                      "taints": [{"key": LABEL, "value": "yes", "effect": "NoSchedule"}]}}
            for i in range(count)]


def statefulset(ns, name, replicas, policy="OrderedReady", claims=None, storage_class=None):
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name, "namespace": ns},
           "spec": {"replicas": replicas, "serviceName": name, "podManagementPolicy": policy,
                    "selector": {"matchLabels": {"app": name}},
                    "template": {"metadata": {"labels": {"app": name}},
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


def module_process(args):
    """Run the module file as its own process: (seconds, peak RSS in MB, result)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": args}, handle)
    e = env()
    e["PYTHONPATH"] = os.path.join(REPO, ".collections") + os.pathsep + os.path.join(
        BIN, "..", "lib", "python%d.%d" % sys.version_info[:2], "site-packages")
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


BASELINE = r"""
set -euo pipefail
kubectl() { "$KUBECTL" --kubeconfig "$KUBECONFIG" "$@"; }
kubectl -n "$NS" rollout status "statefulset/$STS" --timeout=60s >/dev/null
bad=0
while read -r pod ip; do
  fqdn="$pod.$SVC.$NS.svc.cluster.local"
  a=$(dig +short +time=2 +tries=1 -p "$PORT" "@$SERVER" A "$fqdn")
  [ "$a" = "$ip" ] || { echo "A $fqdn: '$a' != $ip"; bad=1; }
  ptr=$(dig +short +time=2 +tries=1 -p "$PORT" "@$SERVER" -x "$ip")
  [ "$ptr" = "$fqdn." ] || { echo "PTR $ip: '$ptr' != $fqdn."; bad=1; }
done < <(kubectl -n "$NS" get pods -l "app=$STS" -o jsonpath='{range .items[*]}{.metadata.name} {.status.podIP}{"\n"}{end}')
exit $bad
"""


def baseline(ns, sts):
    e = dict(os.environ, KUBECTL=KUBECTL, KUBECONFIG=KUBECONFIG, NS=ns, STS=sts, SVC=sts, SERVER=DNS_SERVER,
             PORT=str(DNS_PORT))
    started = time.monotonic()
    out = subprocess.run(["bash", "-c", BASELINE], capture_output=True, text=True, env=e, timeout=600, check=False)
    elapsed = time.monotonic() - started
    if out.returncode not in (0, 1):
        raise RuntimeError("baseline failed: %s %s" % (out.stdout[-1000:], out.stderr[-1000:]))
    return elapsed, len(out.stdout.splitlines())


def validator_args(ns, sts, checks, **extra):
    # Both tools report what they find and the run goes on: KWOK (v0.8) sometimes gives two pods
    # the same address, which the validator reports as a duplicate PTR and the dig loop as a
    # mismatch. The work, and so the timing, is the same either way; results.json counts them.
    args = {"name": sts, "namespace": ns, "checks": checks, "dns_server": DNS_SERVER, "dns_port": DNS_PORT,
            "kubeconfig": KUBECONFIG, "fail_on_violation": False}
    args.update(extra)
    return args


# --------------------------------------------------------------------------- benchmarks

def bench_validate100(rounds):
    ns, sts, sc = "bench-validator-100", "web", "bench-validator-100"
    apply([namespace(ns)] + pinned_pvs(ns, sts, 100, sc)
          + [headless(ns, sts, sts), statefulset(ns, sts, 100, claims=True, storage_class=sc)])
    started = time.monotonic()
    rollout(ns, sts, 600)
    setup = time.monotonic() - started
    pins = dict((str(i), "%s-pv%03d" % (ns, i)) for i in range(100))
    args = validator_args(ns, sts, ["order", "storage", "dns"], expected_volumes=pins)
    ours, direct, base = [], [], []
    for _round in range(rounds):
        elapsed, result = ansible_module("stateful.nfs.statefulset_validate", args)
        if result.get("failed"):
            raise RuntimeError("validator failed: %s" % result.get("msg"))
        ours.append(elapsed)
        direct.append(module_process(args)[0])
        base_elapsed, mismatches = baseline(ns, sts)
        base.append(base_elapsed)
    return {"replicas": 100, "rollout_seconds": round(setup, 1), "queries": result["checks"]["dns"]["queries"],
            "validator_violations": len(result["violations"]),
            "first_violation": (result["violations"] or [{}])[0].get("message"),
            "baseline_mismatches": mismatches,
            "validator_ansible_s": _stats(ours), "validator_module_process_s": _stats(direct),
            "baseline_rollout_status_plus_dig_s": _stats(base),
            "ratio_ansible": round(statistics.median(ours) / statistics.median(base), 3),
            "ratio_module_process": round(statistics.median(direct) / statistics.median(base), 3),
            "target_ratio": 0.5}


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


def bench_mass(rounds, replicas=1000):
    ns, sts = "bench-validator-mass", "mass"
    apply([namespace(ns), headless(ns, sts, sts), statefulset(ns, sts, replicas, policy="Parallel")])
    started = time.monotonic()
    rollout(ns, sts, 900)
    setup = time.monotonic() - started
    args = validator_args(ns, sts, ["order", "completion", "storage", "dns"])
    times, rss = [], []
    for _round in range(rounds):
        elapsed, peak, result = module_process(args)
        if result.get("failed"):
            raise RuntimeError("validator failed: %s" % result.get("msg"))
        times.append(elapsed)
        rss.append(peak)
    ansible_elapsed = ansible_module("stateful.nfs.statefulset_validate", args)[0]
    return {"replicas": replicas, "rollout_seconds": round(setup, 1), "queries": result["checks"]["dns"]["queries"],
            "validator_violations": len(result["violations"]),
            "first_violation": (result["violations"] or [{}])[0].get("message"),
            "module_process_s": _stats(times), "peak_rss_mb": _stats(rss),
            "via_ansible_s": round(ansible_elapsed, 3), "target_s": 5.0, "target_rss_mb": 150}


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
    for ns in ("bench-validator-100", "bench-validator-watch", "bench-validator-mass", "bench-validator-dns100",
               "bench-validator-dns1000"):
        drop(ns)
    kubectl("delete", "pv", "-l", LABEL, "--ignore-not-found", "--wait=false", check=False)
    kubectl("delete", "node", "-l", LABEL, "--ignore-not-found", "--wait=false", check=False)


def markdown(results):
    lines = ["# statefulset_validate benchmarks", "",
             "Measured by `bench/validator/bench.py` on %s (%s, %d cores) against the lab, at %s."
             % (platform.node(), platform.machine(), os.cpu_count(), results["when"]), ""]
    v = results.get("validate100")
    if v:
        lines += ["## Finished 100-replica StatefulSet (order + storage + A + PTR)", "",
                  "| tool | median s | min | max |", "| --- | --- | --- | --- |",
                  "| statefulset_validate via `ansible` | %(median)s | %(min)s | %(max)s |" % v["validator_ansible_s"],
                  "| statefulset_validate module process | %(median)s | %(min)s | %(max)s |"
                  % v["validator_module_process_s"],
                  "| `kubectl rollout status` + `dig` loop | %(median)s | %(min)s | %(max)s |"
                  % v["baseline_rollout_status_plus_dig_s"], "",
                  "Ratio (target <= %.1fx): **%.2fx** via ansible, %.2fx as a module process; %d DNS queries."
                  % (v["target_ratio"], v["ratio_ansible"], v["ratio_module_process"], v["queries"]),
                  "", "Findings in the lab during the run: validator %d violation(s), dig loop %d mismatch(es)%s."
                  % (v.get("validator_violations", 0), v.get("baseline_mismatches", 0),
                     (" (first: %s)" % v["first_violation"]) if v.get("first_violation") else ""), ""]
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
    s = results.get("mass")
    if s:
        numbers = (s["module_process_s"]["median"], s["target_s"], s["peak_rss_mb"]["median"], s["target_rss_mb"],
                   s["queries"], s["via_ansible_s"])
        lines += ["## %d simulated pods (Parallel), every check" % s["replicas"], "",
                  "Module process: median %.2f s (target <= %.0f s), peak RSS median %.0f MB (target <= %d MB); "
                  "%d DNS queries; via `ansible`: %.2f s." % numbers,
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
    parser.add_argument("--only", default="validate100,watch,mass,dnspaths")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mass-replicas", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="leave the benchmark objects in place")
    opts = parser.parse_args()
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
        # addresses for every pod of the run (1,000 + 100 + 5 at most), 250 a node
        apply(bench_nodes(1 + (opts.mass_replicas + 110) // 250))
        if "validate100" in wanted:
            results["validate100"] = bench_validate100(opts.rounds)
            drop("bench-validator-100")
            print(json.dumps(results["validate100"], indent=1), flush=True)
        if "watch" in wanted:
            results["watch"] = bench_watch(max(3, opts.rounds // 2 + 1))
            drop("bench-validator-watch")
            print(json.dumps(results["watch"], indent=1), flush=True)
        if "mass" in wanted:
            results["mass"] = bench_mass(max(3, opts.rounds // 2 + 1), opts.mass_replicas)
            drop("bench-validator-mass")
            print(json.dumps(results["mass"], indent=1), flush=True)
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
