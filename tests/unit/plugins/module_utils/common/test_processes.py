# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/common/processes.py: the pure rules, and
PidFileProcesses against real child processes of this test (which stay zombies until the
test reaps them, as daemons do until a slow PID 1 reaps them)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.common.processes import (
    PidFileProcesses,
    exited,
    is_named,
    parse_cmdline,
    parse_pid,
    parse_stat,
    stop_waves,
)


@pytest.mark.parametrize("text,pid", [("4242\n", 4242), ("", None), (None, None), ("abc", None), ("0", None), ("-1", None)])
def test_parse_pid(text, pid):
    assert parse_pid(text) == pid


def test_parse_cmdline():
    assert parse_cmdline(b"/usr/bin/etcd\x00--data-dir\x00/x\x00") == ["/usr/bin/etcd", "--data-dir", "/x"]
    assert parse_cmdline("") == []


@pytest.mark.parametrize("text,expected", [
    ("42 (kube-apiserver) S 1 42 42 0 -1", ("kube-apiserver", "S")),
    ("42 (a) b) (c) Z 1 42", ("a) b) (c", "Z")),
    ("", None),
    ("42 kube", None),
    ("42 (etcd)", None),
])
def test_parse_stat(text, expected):
    assert parse_stat(text) == expected


def test_names_compare_as_the_kernel_truncates_them():
    assert is_named("kube-controller", "kube-controller-manager")
    assert is_named("etcd", "/opt/lab/bin/etcd")
    assert not is_named("etcd2", "etcd")
    assert not is_named("sleep", "kube-apiserver")


@pytest.mark.parametrize("stat,gone", [(None, True), (("x", "Z"), True), (("x", "X"), True),
                                       (("x", "S"), False), (("x", "R"), False), (("x", "D"), False)])
def test_a_zombie_has_exited(stat, gone):
    assert exited(stat) is gone


def test_waves_keep_the_given_order_within_a_wave():
    processes = [dict(name="etcd", wave=2), dict(name="kwok", wave=0), dict(name="api", wave=1),
                 dict(name="dns", wave=0)]
    assert [[p["name"] for p in wave] for wave in stop_waves(processes)] == [["kwok", "dns"], ["api"], ["etcd"]]
    assert stop_waves([dict(name="a")]) == [[dict(name="a")]]
    assert stop_waves([]) == []


# -- PidFileProcesses against real processes

IGNORES_TERM = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"
SLEEPS = "import time; print('ready', flush=True); time.sleep(60)"


@pytest.fixture
def children(tmp_path):
    """Start Python children (program name ``python3...``) with pid files; reap them at the end."""
    started = []

    def spawn(name, code=SLEEPS):
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        started.append(proc)
        pid_file = tmp_path / (name + ".pid")
        pid_file.write_text("%d\n" % proc.pid)
        comm = open("/proc/%d/comm" % proc.pid).read().strip()
        return proc, dict(name=comm, pid_file=str(pid_file))

    yield spawn
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_stop_counts_an_unreaped_child_as_stopped(children):
    """The child is never reaped during the stop (this test is its parent and does not wait):
    it stays a zombie, which kill(pid, 0) would still call alive."""
    proc, process = children("a")
    result = PidFileProcesses().stop([process], timeout=5, kill_timeout=1)
    assert result["stopped"] == [process["name"]]
    assert result["killed"] == [] and result["survived"] == [] and result["stale"] == []
    assert open("/proc/%d/stat" % proc.pid).read().split(")")[-1].split()[0] == "Z"
    assert not os.path.exists(process["pid_file"])


def test_stop_kills_what_ignores_sigterm_after_the_timeout(children):
    proc, process = children("stubborn", IGNORES_TERM)
    result = PidFileProcesses().stop([process], timeout=0.3, kill_timeout=2)
    assert result["killed"] == [process["name"]] and result["stopped"] == []
    assert proc.wait(timeout=5) == -9


def test_stop_goes_wave_by_wave(children):
    """A later wave is signalled only when the earlier one is gone."""
    proc_a, first = children("first", IGNORES_TERM)
    proc_b, second = children("second")
    first["wave"], second["wave"] = 0, 1
    order = []
    processes = PidFileProcesses()
    signal_one = processes._signal

    def record(pid, signum):
        order.append((pid, signum))
        signal_one(pid, signum)
    processes._signal = record
    result = processes.stop([second, first], timeout=0.3, kill_timeout=2)
    assert [pid for pid, _signum in order] == [proc_a.pid, proc_a.pid, proc_b.pid]
    assert result["killed"] == [first["name"]] and result["stopped"] == [second["name"]]
    assert len(result["seconds"]) == 2


def test_a_recycled_pid_is_not_signalled(children, tmp_path):
    """A pid file whose process runs another program is stale: removed, the process untouched."""
    proc, process = children("other")
    stale = dict(name="kube-apiserver", pid_file=process["pid_file"])
    result = PidFileProcesses().stop([stale], timeout=1, kill_timeout=1)
    assert result["stale"] == ["kube-apiserver"]
    assert result["stopped"] == result["killed"] == result["survived"] == []
    assert proc.poll() is None
    assert not os.path.exists(process["pid_file"])


def test_check_mode_signals_nothing(children):
    proc, process = children("checked")
    result = PidFileProcesses().stop([process], timeout=1, kill_timeout=1, check_mode=True)
    assert result["stopped"] == [process["name"]]
    assert proc.poll() is None
    assert os.path.exists(process["pid_file"])


def test_missing_pid_files_are_nothing_to_do(tmp_path):
    result = PidFileProcesses().stop([dict(name="etcd", pid_file=str(tmp_path / "etcd.pid"))], timeout=1, kill_timeout=1)
    assert result["stopped"] == result["stale"] == result["killed"] == []


def test_the_wait_is_bounded_by_the_clock():
    """With a process that never exits (a fake /proc saying it runs), the wait returns at the deadline."""
    now = [0.0]
    processes = PidFileProcesses(clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    processes.stat = lambda pid: ("etcd", "S")
    assert processes._wait([1, 2], 1.0) == [1, 2]
    assert 1.0 <= now[0] < 1.1
