#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan stage of a GitOps pipeline: ``ansible-playbook --check --diff`` with the stateful.nfs.drift
callback, and an exit code a pipeline can act on (docs/gitops.md).

usage: plan.py [--report-dir DIR] ANSIBLE_PLAYBOOK_ARGUMENTS...

Exit codes, as ``terraform plan -detailed-exitcode`` has them:
  0  nothing would change
  2  drift: something would change (drift-report/drift.md says what)
  1  error: a task failed, a host was unreachable, ansible-playbook failed or wrote no report
     (also when something would change)

The report goes to --report-dir, else $STATEFUL_NFS_DRIFT_DIR, else ./drift-report; an old report
there is removed first, so a run that writes none cannot pass for a clean one. ansible-playbook is
$ANSIBLE_PLAYBOOK, else the one next to this Python, else the one on the PATH.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import subprocess
import sys

CALLBACK = "stateful.nfs.drift"
REPORT_FILES = ("drift.json", "drift.xml", "drift.md")
ERROR = 1


def _ansible_playbook():
    if os.environ.get("ANSIBLE_PLAYBOOK"):
        return os.environ["ANSIBLE_PLAYBOOK"]
    beside = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    return beside if os.access(beside, os.X_OK) else shutil.which("ansible-playbook")


def _arguments(argv):
    report_dir = os.environ.get("STATEFUL_NFS_DRIFT_DIR") or "drift-report"
    if argv[:1] == ["--report-dir"]:
        if len(argv) < 2 or not argv[1]:
            raise SystemExit("plan.py: --report-dir: expected a directory")
        report_dir, argv = argv[1], argv[2:]
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        raise SystemExit(ERROR)
    return report_dir, argv


def main(argv):
    report_dir, playbook_args = _arguments(argv)
    for name in REPORT_FILES:
        path = os.path.join(report_dir, name)
        if os.path.exists(path):
            os.remove(path)
    program = _ansible_playbook()
    if not program:
        print("plan.py: ansible-playbook not found (set ANSIBLE_PLAYBOOK)", file=sys.stderr)
        return ERROR
    env = dict(os.environ, STATEFUL_NFS_DRIFT_DIR=report_dir)
    enabled = [c for c in env.get("ANSIBLE_CALLBACKS_ENABLED", "").split(",") if c.strip()]
    env["ANSIBLE_CALLBACKS_ENABLED"] = ",".join(enabled + ([] if CALLBACK in enabled else [CALLBACK]))
    code = subprocess.call([program, "--check", "--diff"] + playbook_args, env=env)
    try:
        with open(os.path.join(report_dir, "drift.json")) as stream:
            report = json.load(stream)
    except (OSError, ValueError) as exc:
        print("plan.py: error: no drift report (%s); ansible-playbook exited %d" % (exc, code), file=sys.stderr)
        return ERROR
    if code != 0:
        print("plan.py: error: ansible-playbook exited %d (report: %s)" % (code, report_dir), file=sys.stderr)
        return ERROR
    status, exit_code = report.get("status"), report.get("exit_code")
    if exit_code not in (0, 1, 2):
        print("plan.py: error: the report has no exit code (%r)" % (exit_code,), file=sys.stderr)
        return ERROR
    print("plan.py: %s, exit code %d (report: %s)" % (status, exit_code, os.path.join(report_dir, "drift.md")))
    return exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
