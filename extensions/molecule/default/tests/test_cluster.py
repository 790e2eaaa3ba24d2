# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cluster half of verify: runs verify.yml (stateful.nfs.statefulset_validate and its
assertions) against the scenario's inventory; the playbook must pass, and the reports it wrote
must be there."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys
from xml.etree import ElementTree

INVENTORY = os.path.dirname(os.environ["MOLECULE_INVENTORY_FILE"])
SCENARIO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPORTS = os.path.join(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"], "reports")
testinfra_hosts = ["local://"]


def test_the_validator_passes_on_the_end_state():
    for stale in ("verify.junit.xml", "verify.svg"):
        if os.path.exists(os.path.join(REPORTS, stale)):
            os.unlink(os.path.join(REPORTS, stale))
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "--inventory", INVENTORY,
         os.path.join(SCENARIO, "verify.yml")],
        cwd=SCENARIO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
        timeout=600, check=False)
    print(proc.stdout)
    assert proc.returncode == 0, proc.stdout[-6000:]
    assert "failed=0" in proc.stdout

    suites = ElementTree.parse(os.path.join(REPORTS, "verify.junit.xml")).getroot()
    names = sorted(suite.get("name") for suite in suites.iter("testsuite"))
    assert len(names) == 4, names
    cases = [case.get("name") for case in suites.iter("testcase")]
    for pod in ("myapp-0", "myapp-1", "myapp-2"):
        assert any(pod in (name or "") for name in cases), (pod, cases)
    assert sum(int(suite.get("failures", "0")) + int(suite.get("errors", "0")) for suite in suites.iter("testsuite")) == 0
    assert os.path.getsize(os.path.join(REPORTS, "verify.svg")) > 0
