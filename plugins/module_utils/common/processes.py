# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Processes named by pid files: the pure rules (what a pid file, ``/proc/<pid>/stat`` and
``/proc/<pid>/cmdline`` say) and ``PidFileProcesses``, the I/O that stops them in waves.

A process counts as gone when it no longer exists *or* is a zombie: a zombie has exited
and only waits for its parent to reap it. ``kill(pid, 0)`` still succeeds on a zombie, so a
stop that polls with it (start-stop-daemon does) waits as long as the reaper takes, which
on a host whose PID 1 reaps once a second adds a second or two to every stop.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import os
import signal
import time

# /proc/<pid>/comm holds at most 15 characters of the program name.
COMM_LENGTH = 15


def parse_pid(text):
    """The pid in a pid file's content, or None when it holds no positive integer."""
    text = (text or "").strip()
    if not text.isdigit():
        return None
    pid = int(text)
    return pid if pid > 0 else None


def parse_cmdline(raw):
    """``/proc/<pid>/cmdline`` (NUL-separated bytes) as a list of strings."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    return [part for part in (raw or "").split("\0") if part]


def parse_stat(text):
    """``(comm, state)`` from the content of ``/proc/<pid>/stat``, or None when it cannot be read.

    The name sits between the first ``(`` and the *last* ``)`` (a name may contain either),
    and the one-letter state follows it."""
    if not text:
        return None
    start, end = text.find("("), text.rfind(")")
    if start < 0 or end < start:
        return None
    rest = text[end + 1:].split()
    if not rest:
        return None
    return text[start + 1:end], rest[0]


def is_named(comm, name):
    """Whether a process whose ``comm`` is given runs program ``name`` (compared as the kernel
    truncates it, like ``start-stop-daemon --name``)."""
    return comm == os.path.basename(name)[:COMM_LENGTH]


def exited(stat):
    """Whether a process with this parsed stat has exited: gone (None), a zombie or dead."""
    return stat is None or stat[1] in ("Z", "X", "x")


def stop_waves(processes):
    """The processes (dicts with ``name``, ``pid_file`` and ``wave``) grouped into waves, lowest
    ``wave`` first, each wave in the order given."""
    by_wave = {}
    for process in processes:
        by_wave.setdefault(process.get("wave", 0), []).append(process)
    return [by_wave[key] for key in sorted(by_wave)]


class PidFileProcesses(object):
    """Reads pid files and /proc, sends signals and waits. Stops only a process whose pid file
    names it *and* whose program name matches, so a recycled pid is never signalled."""

    def __init__(self, proc="/proc", clock=time.monotonic, sleep=time.sleep, poll=0.02):
        self.proc = proc
        self.clock = clock
        self.sleep = sleep
        self.poll = poll

    def stat(self, pid):
        try:
            with open(os.path.join(self.proc, str(pid), "stat")) as handle:
                return parse_stat(handle.read())
        except (IOError, OSError):
            return None

    @staticmethod
    def read_pid(pid_file):
        try:
            with open(pid_file) as handle:
                return parse_pid(handle.read())
        except (IOError, OSError):
            return None

    def find(self, process):
        """The live pid of ``process`` (``name``, ``pid_file``), or None."""
        pid = self.read_pid(process["pid_file"])
        if pid is None:
            return None
        stat = self.stat(pid)
        if exited(stat) or not is_named(stat[0], process["name"]):
            return None
        return pid

    @staticmethod
    def _signal(pid, signum):
        try:
            os.kill(pid, signum)
        except OSError as exc:
            if exc.errno != errno.ESRCH:
                raise

    def _wait(self, pids, seconds):
        """Wait until every pid has exited or ``seconds`` passed; the pids still running."""
        deadline = self.clock() + seconds
        running = list(pids)
        while running:
            running = [pid for pid in running if not exited(self.stat(pid))]
            if not running or self.clock() >= deadline:
                break
            self.sleep(self.poll)
        return running

    @staticmethod
    def _remove(pid_file):
        try:
            os.unlink(pid_file)
        except OSError as exc:
            if exc.errno != errno.ENOENT:
                raise

    def stop(self, processes, timeout, kill_timeout, check_mode=False):
        """Stop ``processes`` wave after wave: SIGTERM to a whole wave, SIGKILL to what still runs
        after ``timeout`` seconds. Pid files of stopped or gone processes are removed.

        Returns a dict: ``stopped`` (names that exited after SIGTERM), ``killed`` (after SIGKILL),
        ``stale`` (pid files naming no live process of that name), ``survived`` (still running
        ``kill_timeout`` seconds after SIGKILL) and ``seconds`` per wave."""
        result = dict(stopped=[], killed=[], stale=[], survived=[], seconds=[])
        for wave in stop_waves(processes):
            started = self.clock()
            live = {}
            for process in wave:
                pid = self.find(process)
                if pid is None:
                    if os.path.exists(process["pid_file"]):
                        result["stale"].append(process["name"])
                        if not check_mode:
                            self._remove(process["pid_file"])
                    continue
                live[pid] = process
            if check_mode:
                result["stopped"].extend(process["name"] for process in live.values())
                continue
            for pid in live:
                self._signal(pid, signal.SIGTERM)
            running = self._wait(live, timeout)
            for pid in running:
                self._signal(pid, signal.SIGKILL)
            survivors = self._wait(running, kill_timeout)
            for pid, process in live.items():
                key = "survived" if pid in survivors else "killed" if pid in running else "stopped"
                result[key].append(process["name"])
                if pid not in survivors:
                    self._remove(process["pid_file"])
            result["seconds"].append(round(self.clock() - started, 3))
        return result
