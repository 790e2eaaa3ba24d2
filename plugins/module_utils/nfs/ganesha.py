# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers for running NFS-Ganesha without systemd (no I/O).

A Ganesha instance is identified by its pid file *and* its command line: the
process named in the pid file must be ``ganesha.nfsd`` started with ``-f`` and
this instance's configuration file, so a recycled pid or another instance (a
test server with its own configuration) is never mistaken for ours.  The I/O
(pid file, /proc, signals, spawning) is ``GaneshaProcess`` in ganesha_process.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.stateful.nfs.plugins.module_utils.common.processes import parse_pid

STATES = ("started", "stopped", "restarted", "reloaded")
# What Ganesha logs when SIGHUP has made it re-read its EXPORT blocks, and the log levels that show it.
RELOAD_DONE = "Reread exports complete"
VERBOSE_LEVELS = ("NIV_EVENT", "NIV_INFO", "NIV_DEBUG", "NIV_MID_DEBUG", "NIV_FULL_DEBUG")


def config_of(argv):
    """The configuration file given with ``-f`` (or ``-fFILE``) in ``argv``."""
    for index, arg in enumerate(argv):
        if arg == "-f" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("-f") and len(arg) > 2:
            return arg[2:]
    return None


def is_our_daemon(argv, config):
    """Whether ``argv`` is a ganesha.nfsd started with configuration file ``config``."""
    if not argv:
        return False
    if os.path.basename(argv[0]) != "ganesha.nfsd":
        return False
    found = config_of(argv)
    return found is not None and os.path.normpath(found) == os.path.normpath(config)


def command(binary, config, log_file, pid_file, log_level):
    """The command line that starts (and daemonises) our Ganesha instance."""
    return [binary, "-f", config, "-L", log_file, "-p", pid_file, "-N", log_level]


def plan(state, running):
    """Which actions reach ``state`` from ``running``: a list of start/stop/hup."""
    if state not in STATES:
        raise ValueError("state: %r must be one of %s" % (state, ", ".join(STATES)))
    if state == "started":
        return [] if running else ["start"]
    if state == "stopped":
        return ["stop"] if running else []
    if state == "restarted":
        return ["stop", "start"] if running else ["start"]
    return ["hup"] if running else ["start"]


def connect_address(bind_address):
    """Where to connect to check the listener: a wildcard bind is reached via loopback."""
    if bind_address in (None, "", "0.0.0.0"):
        return "127.0.0.1"
    if bind_address == "::":
        return "::1"
    return bind_address


def describe_instance(pid_text, argv, config):
    """Decide from the pid file's content and the process's argv whether our instance runs.

    ``pid_text`` is None when there is no pid file, ``argv`` None when the pid
    does not run.  Returns ``{running, pid, config, why}``.
    """
    info = {"running": False, "pid": None, "config": config, "why": ""}
    if pid_text is None:
        info["why"] = "no pid file"
        return info
    pid = parse_pid(pid_text)
    info["pid"] = pid
    if pid is None:
        info["why"] = "the pid file holds no pid"
    elif argv is None:
        info["why"] = "pid %s is not running" % pid
    elif not is_our_daemon(argv, config):
        info["why"] = "pid %s is not ganesha.nfsd -f %s (%s)" % (pid, config, " ".join(argv))
    else:
        info["running"] = True
    return info


def reload_is_logged(log_level):
    """Whether Ganesha at ``log_level`` logs RELOAD_DONE, so that a reload can be waited for."""
    return log_level in VERBOSE_LEVELS


def check_mode_result(state, actions, pid):
    """What the daemon module returns in check mode: what it would do, the current pid, and whether
    the instance would run afterwards."""
    return dict(changed=bool(actions), actions=actions, pid=pid, running=state != "stopped")
