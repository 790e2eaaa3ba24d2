# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stateful.nfs.drift callback and tools/plan.py, end to end: real ``ansible-playbook --check --diff``
runs on localhost against files in a temporary directory (no cluster), then the report and the exit code.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys
from xml.etree import ElementTree

import pytest

BIN = os.path.dirname(sys.executable)
PLAYBOOK = """
- name: Plan
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Drifted config
      ansible.builtin.template:
        src: {tmp}/app.conf.j2
        dest: {tmp}/drifted.conf
        mode: "0644"
    - name: Identical config
      ansible.builtin.template:
        src: {tmp}/app.conf.j2
        dest: {tmp}/identical.conf
        mode: "0644"
{extra}"""
FAILING = """    - name: Broken step
      ansible.builtin.command: /bin/false
      check_mode: false
      changed_when: false
"""


@pytest.fixture
def plan(tmp_path, collections_root, repo_root):
    """Write the playbook (``extra`` tasks appended) and run it; returns ``(exit code, report dir, output)``."""
    (tmp_path / "app.conf.j2").write_text("replicas={{ replicas }}\nimage=nginx\n")
    (tmp_path / "drifted.conf").write_text("replicas=3\nimage=nginx\n")
    (tmp_path / "identical.conf").write_text("replicas=5\nimage=nginx\n")
    for name in ("drifted.conf", "identical.conf"):
        os.chmod(str(tmp_path / name), 0o644)

    def run(extra="", wrapper=False, env_extra=None):
        (tmp_path / "plan.yml").write_text(PLAYBOOK.format(tmp=tmp_path, extra=extra))
        out = tmp_path / "report"
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root, HOME=str(tmp_path),
                   ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_NOCOLOR="1")
        env.pop("ANSIBLE_CALLBACKS_ENABLED", None)
        args = ["-i", "localhost,", "-c", "local", "-e", "ansible_python_interpreter=%s" % sys.executable,
                "-e", "replicas=5", str(tmp_path / "plan.yml")]
        if wrapper:
            command = [sys.executable, os.path.join(repo_root, "tools", "plan.py"), "--report-dir", str(out)] + args
            env["ANSIBLE_PLAYBOOK"] = os.path.join(BIN, "ansible-playbook")
        else:
            command = [os.path.join(BIN, "ansible-playbook"), "--check", "--diff"] + args
            env.update(ANSIBLE_CALLBACKS_ENABLED="stateful.nfs.drift", STATEFUL_NFS_DRIFT_DIR=str(out))
        env.update(env_extra or {})
        proc = subprocess.run(command, env=env, cwd=str(tmp_path), check=False, capture_output=True, text=True, timeout=300)
        return proc.returncode, out, proc.stdout + proc.stderr
    return run


def test_the_callback_reports_the_drifted_file_only(plan, tmp_path):
    code, out, output = plan()
    assert code == 0, output  # ansible-playbook's own code says nothing about drift
    report = json.loads((out / "drift.json").read_text())
    assert (report["status"], report["exit_code"], report["check_mode"]) == ("drift", 2, True)
    assert [(d["host"], d["task"], d["resource"], d["type"]) for d in report["drift"]] == [
        ("localhost", "Drifted config", str(tmp_path / "drifted.conf"), "file")]
    assert report["drift"][0]["diff"].splitlines()[2:] == ["@@ -1,2 +1,2 @@", "-replicas=3", "+replicas=5", " image=nginx"]
    assert [u["task"] for u in report["unchanged"]] == ["Identical config"]
    assert (tmp_path / "drifted.conf").read_text() == "replicas=3\nimage=nginx\n"  # check mode changed nothing

    suite = ElementTree.parse(str(out / "drift.xml")).getroot().find("testsuite")
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == ("drift localhost", "2", "1")
    failed = [c.get("name") for c in suite.findall("testcase") if c.find("failure") is not None]
    assert failed == ["Drifted config: %s" % (tmp_path / "drifted.conf")]

    summary = (out / "drift.md").read_text()
    assert summary.startswith("## Drift plan: drift found\n")
    assert "| localhost | Drifted config | %s | content: +1 -1 line(s) |" % (tmp_path / "drifted.conf") in summary
    assert "stateful.nfs.drift: drift (exit code 2), 1 change(s)" in output


def test_the_wrapper_exit_codes(plan, tmp_path):
    code, out, output = plan(wrapper=True)
    assert code == 2, output
    (tmp_path / "drifted.conf").write_text("replicas=5\nimage=nginx\n")
    code, out, output = plan(wrapper=True)
    assert code == 0, output
    assert json.loads((out / "drift.json").read_text())["status"] == "clean"
    (tmp_path / "drifted.conf").write_text("replicas=3\nimage=nginx\n")
    code, out, output = plan(extra=FAILING, wrapper=True)
    assert code == 1, output  # drift and a failed task: an error
    report = json.loads((out / "drift.json").read_text())
    assert (report["status"], len(report["drift"]), [e["task"] for e in report["errors"]]) == ("error", 1, ["Broken step"])


def test_a_run_that_writes_no_report_is_an_error_not_a_stale_clean(plan, tmp_path):
    code, out, output = plan(wrapper=True)
    assert code == 2 and (out / "drift.json").exists()
    code, out, output = plan(extra="    - name: Broken YAML\n      ansible.builtin.debug: {msg: [\n", wrapper=True)
    assert code == 1, output
    assert not (out / "drift.json").exists() and "no drift report" in output


def test_an_output_dir_that_is_a_file_names_the_option(plan, tmp_path):
    """Ansible turns a callback that refuses its options into a warning and runs on without it: the
    plain run exits 0 and writes no report. The wrapper makes a missing report an error."""
    (tmp_path / "afile").write_text("")
    code, out, output = plan(env_extra={"STATEFUL_NFS_DRIFT_DIR": str(tmp_path / "afile")})
    assert code == 0 and not (out / "drift.json").exists()
    assert "output_dir (STATEFUL_NFS_DRIFT_DIR): %s exists and is not a directory" % (tmp_path / "afile") in output


def test_the_wrapper_without_a_report_is_an_error(tmp_path, repo_root):
    env = dict(os.environ, ANSIBLE_PLAYBOOK="/bin/true", STATEFUL_NFS_DRIFT_DIR=str(tmp_path / "report"))
    proc = subprocess.run([sys.executable, os.path.join(repo_root, "tools", "plan.py"), "site.yml"], env=env,
                          check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "plan.py: error: no drift report" in proc.stderr
    proc = subprocess.run([sys.executable, os.path.join(repo_root, "tools", "plan.py"), "--report-dir"], env=env,
                          check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "plan.py: --report-dir: expected a directory" in proc.stderr


def test_ansible_doc_renders_the_callback(collections_root):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root)
    proc = subprocess.run([os.path.join(BIN, "ansible-doc"), "-t", "callback", "--json", "stateful.nfs.drift"], env=env,
                          check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)["stateful.nfs.drift"]["doc"]
    assert doc["type"] == "aggregate"
    assert doc["options"]["output_dir"]["env"] == [{"name": "STATEFUL_NFS_DRIFT_DIR"}]
