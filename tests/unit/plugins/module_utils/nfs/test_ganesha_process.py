# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs/ganesha_process.py, with ganesha.nfsd, its listener and
run_command replaced by stand-ins (nothing is started, no port is opened)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.nfs import ganesha_process, net
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.errors import GaneshaError
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.ganesha import command
from ansible_collections.stateful.nfs.plugins.module_utils.nfs.ganesha_process import GaneshaProcess


class FakeModule(object):
    """What GaneshaProcess uses of AnsibleModule: params and run_command (recorded)."""

    def __init__(self, tmp_path, rc=0, **overrides):
        self.params = dict(state="started", config=str(tmp_path / "etc" / "ganesha.conf"),
                           pid_file=str(tmp_path / "run" / "ganesha.pid"),
                           log_file=str(tmp_path / "log" / "ganesha.log"), log_level="NIV_EVENT",
                           binary="/usr/bin/ganesha.nfsd", bind_address="0.0.0.0", port=12049, timeout=15)
        self.params.update(overrides)
        self.rc = rc
        self.commands = []

    def run_command(self, argv):
        self.commands.append(argv)
        if self.rc == 0:
            with open(self.params["log_file"], "a") as handle:
                handle.write("ganesha.nfsd Starting: Ganesha Version 4.3\n")
        return self.rc, "", "cannot bind" if self.rc else ""


def test_no_pid_file_is_no_instance(tmp_path):
    assert GaneshaProcess.find_instance(str(tmp_path / "none.pid"), "/etc/ganesha/ganesha.conf") == {
        "running": False, "pid": None, "config": "/etc/ganesha/ganesha.conf", "why": "no pid file"}


def test_a_live_pid_that_is_not_ganesha_is_not_ours(tmp_path):
    (tmp_path / "ganesha.pid").write_text(u"%d\n" % os.getpid())
    info = GaneshaProcess.find_instance(str(tmp_path / "ganesha.pid"), "/etc/ganesha/ganesha.conf")
    assert info["running"] is False and info["pid"] == os.getpid()
    assert info["why"].startswith("pid %d is not ganesha.nfsd -f /etc/ganesha/ganesha.conf" % os.getpid())


@pytest.mark.parametrize("state,result", [
    ("started", dict(changed=True, actions=["start"], pid=None, running=True)),
    ("restarted", dict(changed=True, actions=["start"], pid=None, running=True)),
    ("stopped", dict(changed=False, actions=[], pid=None, running=False)),
])
def test_check_mode_tells_what_it_would_do_and_does_nothing(tmp_path, state, result):
    module = FakeModule(tmp_path)
    assert GaneshaProcess(module).reach(state, check_mode=True) == result
    assert module.commands == [] and not (tmp_path / "run").exists()


def test_a_start_without_the_config_file_is_refused(tmp_path):
    module = FakeModule(tmp_path)
    with pytest.raises(GaneshaError, match=r"^config: .*/etc/ganesha.conf does not exist$"):
        GaneshaProcess(module).reach("started")
    assert module.commands == []


def test_start_waits_for_the_listener_with_the_one_connect_check(tmp_path, monkeypatch):
    """The daemon waits with net.listening (the check Libnfs.listening is), on loopback for a wildcard bind."""
    assert ganesha_process.listening is net.listening
    asked = []
    monkeypatch.setattr(ganesha_process, "listening", lambda host, port, timeout: asked.append((host, port, timeout))
                        or True)
    monkeypatch.setattr(GaneshaProcess, "current_pid", lambda self: 4242)
    module = FakeModule(tmp_path)
    assert GaneshaProcess(module).start() == 4242
    params = module.params
    assert module.commands == [command(params["binary"], params["config"], params["log_file"], params["pid_file"],
                                       "NIV_EVENT")]
    assert asked == [("127.0.0.1", 12049, 1)]


def test_a_failed_start_names_the_command_and_shows_the_log(tmp_path):
    module = FakeModule(tmp_path, rc=2)
    (tmp_path / "log").mkdir()
    (tmp_path / "log" / "ganesha.log").write_text(u"Cannot bind to 0.0.0.0:12049\n")
    with pytest.raises(GaneshaError) as err:
        GaneshaProcess(module).start()
    assert str(err.value).startswith("/usr/bin/ganesha.nfsd -f %s" % module.params["config"])
    assert "failed (rc 2): cannot bind" in str(err.value)
    assert str(err.value).endswith("Cannot bind to 0.0.0.0:12049\n")


def test_a_start_that_never_listens_fails_with_the_end_of_the_log(tmp_path, monkeypatch):
    monkeypatch.setattr(ganesha_process, "listening", lambda host, port, timeout: pytest.fail("no pid, no check"))
    module = FakeModule(tmp_path, timeout=0)
    with pytest.raises(GaneshaError) as err:
        GaneshaProcess(module).start()
    assert str(err.value).startswith("NFS-Ganesha did not come up on 127.0.0.1:12049 within 0 s (pid file %s). "
                                     "End of %s:\n" % (module.params["pid_file"], module.params["log_file"]))
    assert "Starting: Ganesha Version 4.3" in str(err.value)
