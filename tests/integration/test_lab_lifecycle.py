# -*- coding: utf-8 -*-
"""The lab holds up at scale and across restarts: 5,000 pods get 5,000 addresses, each from
its node's pod CIDR, also after KWOK restarts; a process that starts again starts a fresh log;
a warm ``lab_up.yml`` on a healthy lab changes nothing and skips every converge step, and one
on a lab with a process stopped or a file changed repairs exactly that; ``lab_down.yml`` stops
every process with SIGTERM and leaves none behind.

These tests restart lab processes, so they end by bringing the lab up again (lab_up.yml) for
the tests that follow."""

from __future__ import annotations

import ipaddress
import json
import os
import time
from collections import Counter
from pathlib import Path

import pytest

from ansible_collections.stateful.nfs.tests.integration.helpers.ansible_runs import run_playbook

NAMESPACE = "it-lab-scale"
REPLICAS = 5000
MORE = 300
# Every program the lab starts, with its pid file and log under the state directory.
PROGRAMS = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "coredns"]

STATEFULSET = {
    "apiVersion": "apps/v1",
    "kind": "StatefulSet",
    "metadata": {"name": "many", "namespace": NAMESPACE},
    "spec": {
        "serviceName": "many",
        "replicas": REPLICAS,
        "podManagementPolicy": "Parallel",
        "selector": {"matchLabels": {"app": "many"}},
        "template": {
            "metadata": {"labels": {"app": "many"}},
            "spec": {"containers": [{"name": "app", "image": "busybox"}]},
        },
    },
}


def live_pods(lab):
    return [p for p in lab.get_json("pods", "-n", NAMESPACE)["items"] if not p["metadata"].get("deletionTimestamp")]


def wait_running(lab, count, timeout):
    deadline = time.monotonic() + timeout
    while True:
        pods = live_pods(lab)
        running = [p for p in pods if p.get("status", {}).get("phase") == "Running" and p["status"].get("podIP")]
        if len(running) >= count or time.monotonic() > deadline:
            return running
        time.sleep(3)


def address_problems(lab, pods):
    """Addresses held by two live pods, and addresses outside the pod's node's pod CIDR."""
    cidrs = {n["metadata"]["name"]: ipaddress.ip_network(n["spec"]["podCIDR"])
             for n in lab.get_json("nodes", "-l", "stateful.nfs/lab=true")["items"]}
    owners = Counter(p["status"]["podIP"] for p in pods)
    shared = sorted(ip for ip, count in owners.items() if count > 1)
    outside = sorted("%s %s on %s" % (p["metadata"]["name"], p["status"]["podIP"], p["spec"]["nodeName"])
                     for p in pods
                     if ipaddress.ip_address(p["status"]["podIP"]) not in cidrs[p["spec"]["nodeName"]])
    return shared, outside


def pid_of(lab, program):
    return int((lab.state_dir / "run" / (program + ".pid")).read_text())


def stop_program(lab, program):
    """Stop one lab process the way a crash or a kill would, by its pid."""
    pid = pid_of(lab, program)
    os.kill(pid, 15)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            state = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return
        if state == "Z":
            return
        time.sleep(0.05)
    pytest.fail("%s (pid %d) did not exit within 20 s of SIGTERM" % (program, pid))


def lab_up():
    result = run_playbook("playbooks/lab_up.yml")
    assert result.rc == 0, result.output[-3000:]
    return result


@pytest.fixture(scope="module")
def many(lab):
    """A Parallel StatefulSet of 5,000 pods; the namespace is deleted (and waited for) at the end."""
    lab.kubectl("create", "namespace", NAMESPACE)
    try:
        lab.kubectl("apply", "-f", "-", input_text=json.dumps(STATEFULSET))
        yield lab
    finally:
        lab.kubectl("delete", "namespace", NAMESPACE, "--wait=true", timeout=600)


def test_5000_pods_get_distinct_addresses_from_their_nodes_cidr_also_after_kwok_restarts(many):
    lab = many
    running = wait_running(lab, REPLICAS, timeout=400)
    assert len(running) == REPLICAS, "%d of %d pods Running" % (len(running), REPLICAS)
    shared, outside = address_problems(lab, running)
    assert shared == [], "%d addresses are held by two pods: %s" % (len(shared), shared[:10])
    assert outside == [], outside[:10]

    # KWOK keeps its address pools in memory: it restarts knowing nothing, and must learn the
    # addresses its Running pods hold before it hands out new ones. Its log starts afresh.
    log = lab.state_dir / "logs" / "kwok.log"
    marker = "-- it-lab-scale: written before the restart --\n"
    stop_program(lab, "kwok")
    with log.open("a") as stream:
        stream.write(marker)
    lab_up()
    assert marker not in log.read_text(), "KWOK's log was appended to, not rotated, when it started again"
    assert (log.parent / "kwok.log.1").read_text().endswith(marker)

    lab.kubectl("scale", "statefulset", "many", "-n", NAMESPACE, "--replicas=%d" % (REPLICAS + MORE))
    running = wait_running(lab, REPLICAS + MORE, timeout=300)
    assert len(running) == REPLICAS + MORE
    shared, outside = address_problems(lab, running)
    assert shared == [], "after KWOK restarted, %d addresses are held by two pods: %s" % (len(shared), shared[:10])
    assert outside == [], outside[:10]


def test_a_restarted_process_starts_a_fresh_log_and_keeps_one_old(lab):
    """Logs stay bounded: each start moves the last log to <name>.log.1, dropping the one before."""
    log = lab.state_dir / "logs" / "coredns.log"
    old = log.parent / "coredns.log.1"
    for marker in ("-- first --\n", "-- second --\n"):
        stop_program(lab, "coredns")
        with log.open("a") as stream:
            stream.write(marker)
        lab_up()
        assert marker not in log.read_text()
        assert old.read_text().endswith(marker)
    assert "-- first --" not in old.read_text(), "the log before the last one was kept: logs grow without bound"


def pids(lab):
    return dict((program, pid_of(lab, program)) for program in PROGRAMS)


def lab_check(result):
    """The result of the lab role's one check (stateful.nfs.lab_status) in a lab_up.yml run."""
    [check] = result.task_results("Check the running lab against its inputs (binaries, files, processes, health, "
                                  "cluster objects)")
    return check


def converge_skipped(result):
    [converge] = result.task_results("Bring the lab to its inputs (only what the check found)")
    return bool(converge.get("skipped"))


def test_a_warm_run_on_a_healthy_lab_changes_nothing_and_skips_the_converge_steps(lab):
    lab_up()  # whatever an earlier test left to repair
    before = pids(lab)
    result = lab_up()
    check = lab_check(result)
    assert check["converged"] and check["problems"] == [], check["problems"]
    assert converge_skipped(result), "a healthy lab went through the converge steps"
    assert result.changed("localhost") == 0, result.output[-3000:]
    assert pids(lab) == before


def test_a_warm_run_restarts_exactly_the_stopped_process_and_reports_it(lab):
    lab_up()
    before = pids(lab)
    stop_program(lab, "kube-scheduler")
    result = lab_up()
    check = lab_check(result)
    assert check["restart"] == ["kube-scheduler"], check["problems"]
    assert "kube-scheduler: not running" in check["problems"]
    assert result.changed("localhost") >= 1 and not converge_skipped(result)
    started = [r for r in result.task_results("Start the process - kube-scheduler") if r.get("changed")]
    assert len(started) == 1, "kube-scheduler was not started again"
    after = pids(lab)
    assert after["kube-scheduler"] != before["kube-scheduler"]
    assert dict((p, after[p]) for p in PROGRAMS if p != "kube-scheduler") == dict(
        (p, before[p]) for p in PROGRAMS if p != "kube-scheduler"), "a running process was restarted"
    again = lab_up()
    assert lab_check(again)["converged"] and again.changed("localhost") == 0


def test_a_warm_run_restores_a_changed_configuration_file(lab):
    corefile = lab.state_dir / "Corefile"
    original = corefile.read_text()
    before = pids(lab)
    corefile.write_text(original + "# edited by hand\n")
    result = lab_up()
    assert lab_check(result)["files"] == ["%s: content differs from what the role writes" % corefile]
    assert result.changed("localhost") >= 1
    assert corefile.read_text() == original
    # CoreDNS runs with the configuration the role writes: it is not restarted for a hand edit.
    assert pids(lab) == before
    assert lab_check(lab_up())["converged"]


def test_lab_down_stops_every_process_with_sigterm_and_leaves_none(lab):
    bin_dir = (lab.state_dir / "bin").resolve()
    try:
        result = run_playbook("playbooks/lab_down.yml")
        assert result.rc == 0, result.output[-3000:]
        [stop] = [r for r in result.task_results("Stop the lab processes") if r.get("stopped") is not None]
        assert sorted(stop["stopped"]) == sorted(PROGRAMS), stop
        assert stop["killed"] == [] and stop["survived"] == [], stop
        assert len(stop["seconds"]) == 3, "three waves: the API server's clients, the API server, etcd"
        left = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                exe = Path(os.readlink(str(entry / "exe")))
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if exe.parent == bin_dir and state != "Z":
                left.append("%s (pid %s)" % (exe.name, entry.name))
        assert left == [], "still running after lab_down.yml: %s" % left
        assert not [p for p in PROGRAMS if (lab.state_dir / "run" / (p + ".pid")).exists()]
    finally:
        lab_up()
