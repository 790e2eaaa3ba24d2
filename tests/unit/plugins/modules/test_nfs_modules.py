# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NFS modules end to end, with libnfs, exportfs and the Ganesha process replaced by stand-ins."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import threading
import time
import types

import pytest

from ansible.module_utils import basic

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.libnfs import Libnfs
from ansible_collections.stateful.nfs.plugins.modules import (
    nfs_exports_info,
    nfs_ganesha_daemon,
    nfs_probe,
    nfs_server_verify,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "module_utils", "nfs", "fixtures")


@pytest.fixture
def run_module(run_main):
    """The shared harness (conftest.py) under the name these tests use."""
    return run_main


# --------------------------------------------------------------------------- nfs_probe

class FakeNfs(object):
    """A stand-in for Libnfs: one server holding files by URL path; ``up`` and ``writable`` script it.
    Its ``map`` and ``put`` are the real ones (the calls at the same time; the text written to a file
    in ``module.tmpdir``, then nfs-cp)."""

    PARALLEL = Libnfs.PARALLEL
    map = Libnfs.map
    put = Libnfs.put

    def __init__(self, up=True, writable=True, corrupt=False, tmpdir=None):
        self.up, self.writable, self.corrupt = up, writable, corrupt
        self.module = types.SimpleNamespace(tmpdir=tmpdir)
        self.files = {}
        self.calls = []

    @staticmethod
    def _key(url):
        return url.split("?")[0]

    def listening(self, server, port):
        return self.up

    def run(self, tool, *args):
        self.calls.append(tool)
        if not self.up:
            return 1, "", "Failed to mount nfs share : nfs_service failed"
        if tool == "nfs-ls":
            return 0, "drwxr-xr-x  2 0 0 4096 .\n", ""
        if tool == "nfs-cp":
            if not self.writable:
                return 1, "", 'creat call failed with "NFS4: (path /) failed with NFS4ERR_ACCESS(-13)"'
            with open(args[0]) as handle:
                self.files[self._key(args[1])] = handle.read()
            return 0, "copied", ""
        if tool == "nfs-cat":
            content = self.files.get(self._key(args[0]))
            if content is None:
                return 1, "", "NFS4ERR_NOENT"
            return 0, ("garbage\n" if self.corrupt else content), ""
        raise AssertionError(tool)


def exported(name="v1", read_only=False, clients=("*",), path="/srv/nfs/v1"):
    return {"name": name, "path": path, "pseudo": path, "server": "127.0.0.1", "port": 12049,
            "clients": list(clients), "options": [], "client_options": [], "read_only": read_only}


@pytest.fixture
def module_tmpdir(tmp_path):
    """The module's temporary directory (AnsibleModule.tmpdir), where Libnfs.put writes the token."""
    path = tmp_path / "moduletmp"
    path.mkdir()
    return str(path)


@pytest.fixture
def fake_nfs(monkeypatch, module_tmpdir):
    def _install(**kwargs):
        fake = FakeNfs(tmpdir=module_tmpdir, **kwargs)
        monkeypatch.setattr(nfs_probe, "Libnfs", lambda module, timeout: fake)
        return fake
    return _install


def test_probe_writes_reads_back_and_never_reports_changed(run_module, fake_nfs):
    fake = fake_nfs()
    out = run_module(nfs_probe, {"exports": [exported(), exported("ro", read_only=True, path="/srv/nfs/ro")]})
    assert not out.failed, out.result["msg"]
    assert out.result["changed"] is False
    assert [(r["name"], r["mode"], r["ok"]) for r in out.result["probes"]] == [("v1", "write", True),
                                                                               ("ro", "read", True)]
    assert list(fake.files) == ["nfs://127.0.0.1/srv/nfs/v1/.stateful-nfs-probe"]
    assert fake.files[list(fake.files)[0]].startswith("stateful.nfs probe ")


def test_probe_names_the_export_when_the_server_is_down(run_module, fake_nfs):
    fake_nfs(up=False)
    out = run_module(nfs_probe, {"exports": [exported("v1"), exported("v2", path="/srv/nfs/v2")]})
    assert out.failed
    assert "NFS write probe failed for 2 of 2 export(s): export 'v1' (nfs://127.0.0.1/srv/nfs/v1/" in out.result["msg"]
    assert "nothing listens there" in out.result["msg"]


def test_probe_explains_squash_denials(run_module, fake_nfs):
    fake_nfs(writable=False)
    out = run_module(nfs_probe, {"exports": [exported()]})
    assert out.failed and "squashed identity" in out.result["msg"]


def test_probe_detects_a_wrong_read_back(run_module, fake_nfs):
    fake_nfs(corrupt=True)
    out = run_module(nfs_probe, {"exports": [exported()]})
    assert out.failed and "expected the token just written" in out.result["msg"]


def test_probe_only_lists_in_check_mode(run_module, fake_nfs):
    fake = fake_nfs()
    out = run_module(nfs_probe, {"exports": [exported()]}, check_mode=True)
    assert not out.failed and out.result["mode"] == "read"
    assert fake.calls == ["nfs-ls"] and fake.files == {}


def test_probe_skips_exports_that_do_not_admit_this_host(run_module, fake_nfs):
    fake = fake_nfs()
    out = run_module(nfs_probe, {"exports": [exported(clients=["10.99.0.0/16"])], "client_address": "127.0.0.1"})
    assert not out.failed
    assert out.result["not_probed"] == ["v1: clients 10.99.0.0/16 do not include 127.0.0.1"]
    assert fake.calls == []


def test_probe_cleans_up_the_marker_locally(run_module, fake_nfs, tmp_path):
    fake_nfs()
    marker = tmp_path / ".stateful-nfs-probe"
    marker.write_text("left by the write")
    out = run_module(nfs_probe, {"exports": [exported(path=str(tmp_path))], "cleanup_local": True})
    assert not out.failed, out.result["msg"]
    assert not marker.exists()


class MeetingNfs(FakeNfs):
    """Every export's first command waits until all three exports have reached it: only
    probes that run at the same time get past (sequential ones break the barrier)."""

    def __init__(self, tmpdir):
        super(MeetingNfs, self).__init__(tmpdir=tmpdir)
        self.barrier = threading.Barrier(3, timeout=5)
        self.finished = []

    def run(self, tool, *args):
        if tool == "nfs-cp":
            self.barrier.wait()
            # v1 finishes last, v3 first: the result must still follow the order of the exports.
            time.sleep({"v1": 0.2, "v2": 0.1, "v3": 0.0}[args[1].split("/")[-2]])
        rc, out, err = super(MeetingNfs, self).run(tool, *args)
        if tool == "nfs-cat":
            self.finished.append(args[0].split("/")[-2])
        return rc, out, err


def test_probe_runs_the_exports_at_the_same_time_and_reports_them_in_order(run_module, monkeypatch, module_tmpdir):
    fake = MeetingNfs(module_tmpdir)
    monkeypatch.setattr(nfs_probe, "Libnfs", lambda module, timeout: fake)
    exports = [exported("v%d" % i, path="/srv/nfs/v%d" % i) for i in (1, 2, 3)]
    out = run_module(nfs_probe, {"exports": exports})
    assert not out.failed, out.result["msg"]
    assert [r["name"] for r in out.result["probes"]] == ["v1", "v2", "v3"]
    assert fake.finished == ["v3", "v2", "v1"]


@pytest.mark.parametrize("module", [nfs_probe, nfs_exports_info])
def test_a_zero_timeout_is_refused_before_any_command(run_module, monkeypatch, module):
    """coreutils ``timeout 0`` means no limit: refused by the real Libnfs before it looks for a tool."""
    monkeypatch.setattr(basic.AnsibleModule, "get_bin_path", lambda *a, **k: pytest.fail("looked for a tool"))
    monkeypatch.setattr(basic.AnsibleModule, "run_command", lambda *a, **k: pytest.fail("ran a command"))
    args = {"exports": [exported()], "timeout": 0}
    if module is nfs_exports_info:
        args["backend"] = "ganesha"
    out = run_module(module, args)
    assert out.failed and out.result["msg"] == "timeout: must be a positive number of seconds, got 0"


def test_probe_refuses_a_marker_path(run_module, fake_nfs):
    fake_nfs()
    out = run_module(nfs_probe, {"exports": [exported()], "marker": "../etc/x"})
    assert out.failed and out.result["msg"].startswith("marker:")


# --------------------------------------------------------------------------- nfs_exports_info (kernel)

def test_info_compares_real_exportfs_output(run_module, monkeypatch):
    with open(os.path.join(FIXTURES, "exportfs-v-tutorial.txt")) as handle:
        text = handle.read()
    monkeypatch.setattr(nfs_exports_info.ServerReader, "exportfs", lambda self: text)
    expected = dict(exported("v1", path="/tmp/ktest/a"),
                    client_options=[{"host": "*", "options": ["rw", "sync", "no_root_squash", "no_subtree_check"]}])
    out = run_module(nfs_exports_info, {"backend": "kernel", "exports": [expected]})
    assert out.result["matches"] is True and out.result["problems"] == []
    expected["client_options"][0]["options"][0] = "ro"
    out = run_module(nfs_exports_info, {"backend": "kernel", "exports": [expected]})
    assert out.result["matches"] is False
    assert out.result["problems"] == ["export 'v1' (/tmp/ktest/a) client '*': asked for 'ro' but exportfs shows "
                                      "(sync,wdelay,hide,no_subtree_check,sec=sys,rw,no_root_squash,no_all_squash)"]


class ListingNfs(FakeNfs):
    """nfs-ls of a Ganesha pseudo root that lists nfs-data, and of exports of which ``missing`` are not
    served. Every listing waits until all five (the root and four exports) have started."""

    def __init__(self, missing=()):
        super(ListingNfs, self).__init__()
        self.missing = missing
        self.barrier = threading.Barrier(5, timeout=5)

    def run(self, tool, *args):
        assert tool == "nfs-ls", tool
        self.barrier.wait()
        path = self._key(args[0]).split("127.0.0.1", 1)[1]
        if path == "/":
            return 0, "drwxr-xr-x  3 0 0 0 nfs-data\n", ""
        if path.rsplit("/", 1)[-1] in self.missing:
            return 1, "", "nfs_mount: NFS4ERR_NOENT"
        return 0, "drwxr-xr-x  2 0 0 4096 .\n", ""


def test_info_lists_root_and_exports_at_the_same_time_and_reports_in_order(run_module, monkeypatch):
    fake = ListingNfs(missing=("v3",))
    monkeypatch.setattr(nfs_exports_info, "Libnfs", lambda module, timeout: fake)
    exports = [dict(exported("v%d" % i, path="/nfs-data/v%d" % i), port=2049) for i in (1, 2, 3, 4)]
    out = run_module(nfs_exports_info, {"backend": "ganesha", "exports": exports})
    assert out.result["pseudo_root"] == ["nfs-data"]
    assert [(s["name"], s["listed"]) for s in out.result["served"]] == [("v1", True), ("v2", True), ("v3", False),
                                                                        ("v4", True)]
    assert out.result["matches"] is False
    assert out.result["problems"] == ["export 'v3': nfs://127.0.0.1/nfs-data/v3?version=4 is not served: the "
                                      "export's pseudo path does not exist on the server (not exported, or a "
                                      "different pseudo path) (nfs_mount: NFS4ERR_NOENT)"]


# --------------------------------------------------------------------------- nfs_ganesha_daemon

def test_daemon_check_mode_reports_a_start_without_starting(run_module, tmp_path, monkeypatch):
    monkeypatch.setattr(nfs_ganesha_daemon.GaneshaProcess, "start",
                        lambda self: pytest.fail("started in check mode"))
    args = {"config": str(tmp_path / "ganesha.conf"), "pid_file": str(tmp_path / "ganesha.pid"),
            "log_file": str(tmp_path / "ganesha.log")}
    out = run_module(nfs_ganesha_daemon, args, check_mode=True)
    assert out.result["changed"] is True and out.result["actions"] == ["start"]


def test_daemon_stopped_with_no_instance_is_a_no_op(run_module, tmp_path):
    (tmp_path / "ganesha.pid").write_text("%d\n" % os.getpid())  # a live pid that is not ganesha.nfsd
    args = {"state": "stopped", "config": str(tmp_path / "ganesha.conf"), "pid_file": str(tmp_path / "ganesha.pid"),
            "log_file": str(tmp_path / "ganesha.log")}
    out = run_module(nfs_ganesha_daemon, args)
    assert out.result["changed"] is False and out.result["actions"] == []


def test_daemon_refuses_to_start_without_its_config(run_module, tmp_path):
    args = {"config": str(tmp_path / "missing.conf"), "pid_file": str(tmp_path / "ganesha.pid"),
            "log_file": str(tmp_path / "ganesha.log")}
    out = run_module(nfs_ganesha_daemon, args)
    assert out.failed and "does not exist" in out.result["msg"]


@pytest.mark.parametrize("module, args, needle", [
    (nfs_probe, {"exports": "v1,v2"}, "exports: must be a list, got the string 'v1,v2'"),
    (nfs_probe, {"exports": [dict(exported(), clients="a,b")]}, "exports[0].clients: must be a list, got the string 'a,b'"),
    (nfs_exports_info, {"exports": "v1", "backend": "kernel"}, "exports: must be a list, got the string 'v1'"),
])
def test_a_string_for_a_list_is_refused_before_anything_runs(run_module, fake_nfs, module, args, needle):
    fake = fake_nfs()
    out = run_module(module, args)
    assert out.failed and needle in out.result["msg"] and "Nothing was changed" in out.result["msg"]
    assert not fake.files


# --------------------------------------------------------------------------- nfs_server_verify

class ServedNfs(FakeNfs):
    """FakeNfs whose pseudo root (nfs-ls of /) lists nfs-data, as Ganesha's does for /nfs-data/* exports."""

    def run(self, tool, *args):
        if tool == "nfs-ls" and self.up and self._key(args[0]).split("127.0.0.1", 1)[1] == "/":
            self.calls.append(tool)
            return 0, "drwxr-xr-x  3 0 0 0 nfs-data\n", ""
        return super(ServedNfs, self).run(tool, *args)


@pytest.fixture
def verify_nfs(monkeypatch, module_tmpdir):
    """Install a stand-in for libnfs in nfs_server_verify; every call of the module shares it."""
    def _install(fake):
        fake.module = types.SimpleNamespace(tmpdir=module_tmpdir)
        monkeypatch.setattr(nfs_server_verify, "Libnfs", lambda module, timeout: fake)
        return fake
    return _install


def test_verify_compares_then_probes_in_one_call(run_module, verify_nfs):
    fake = verify_nfs(ServedNfs())
    exports = [dict(exported("v%d" % i, path="/nfs-data/v%d" % i), port=2049) for i in (1, 2)]
    out = run_module(nfs_server_verify, {"backend": "ganesha", "exports": exports})
    assert not out.failed and out.result["changed"] is False
    assert out.result["matches"] is True and [s["name"] for s in out.result["served"]] == ["v1", "v2"]
    assert out.result["probe"]["mode"] == "write"
    assert [(p["name"], p["ok"]) for p in out.result["probe"]["probes"]] == [("v1", True), ("v2", True)]
    assert fake.calls.count("nfs-cp") == 2 and fake.calls.count("nfs-cat") == 2


def test_verify_does_not_probe_what_is_not_served_as_asked(run_module, verify_nfs):
    fake = verify_nfs(ListingNfs(missing=("v3",)))
    exports = [dict(exported("v%d" % i, path="/nfs-data/v%d" % i), port=2049) for i in (1, 2, 3, 4)]
    out = run_module(nfs_server_verify, {"backend": "ganesha", "exports": exports})
    assert not out.failed and out.result["matches"] is False and out.result["probe"] is None
    assert out.result["problems"][0].startswith("export 'v3': nfs://127.0.0.1/nfs-data/v3?version=4 is not served")


def test_verify_fails_naming_the_export_a_probe_could_not_write_with_what_is_served(run_module, verify_nfs):
    verify_nfs(ServedNfs(writable=False))
    exports = [dict(exported("v1", path="/nfs-data/v1"), port=2049)]
    out = run_module(nfs_server_verify, {"backend": "ganesha", "exports": exports})
    assert out.failed and "NFS write probe failed for 1 of 1 export(s): export 'v1'" in out.result["msg"]
    assert out.result["matches"] is True and out.result["probe"]["probes"][0]["ok"] is False


def test_verify_only_compares_without_probe_and_lists_in_check_mode(run_module, verify_nfs):
    fake = verify_nfs(ServedNfs())
    exports = [dict(exported("v1", path="/nfs-data/v1"), port=2049)]
    out = run_module(nfs_server_verify, {"backend": "ganesha", "exports": exports, "probe": False})
    assert out.result["matches"] is True and out.result["probe"] is None and "nfs-cp" not in fake.calls
    out = run_module(nfs_server_verify, {"backend": "ganesha", "exports": exports}, check_mode=True)
    assert out.result["probe"]["mode"] == "read" and "nfs-cp" not in fake.calls


def test_verify_kernel_reads_exportfs_and_refuses_a_marker_path_before_reading(run_module, monkeypatch, verify_nfs):
    verify_nfs(FakeNfs())
    monkeypatch.setattr(nfs_server_verify.ServerReader, "exportfs", lambda self: pytest.fail("read exportfs"))
    out = run_module(nfs_server_verify, {"backend": "kernel", "exports": [exported()], "marker": "../etc/x"})
    assert out.failed and out.result["msg"].startswith("marker:")
