# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every Molecule scenario under extensions/molecule/ (one test case each).

A scenario is a directory with a molecule.yml; each runs as ``molecule test -s <name>``
from the repository root and must exit 0. Choose scenarios with pytest's ``-k``
(``pytest tests/integration/test_molecule.py -k nfs_ganesha``) or with
``MOLECULE_SCENARIOS=nfs_ganesha,nfs_kernel`` (a name that does not exist is an
error, not a silent skip).

In CI (``.ci/run`` with CI=true) the NFS packages are purged before the run and
STATEFUL_NFS_FRESH_PACKAGES=1 is set: then the NFS scenarios must start on a host
without the kernel NFS server (no ``exportfs``), as on a fresh machine, and pass there.
Finding, choosing and running the scenarios: helpers/molecule_scenarios.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys

import pytest

from ansible_collections.stateful.nfs.tests.integration.helpers.ansible_runs import REPO
from ansible_collections.stateful.nfs.tests.integration.helpers.molecule_scenarios import (
    discover,
    failure_excerpt,
    kernel_server_absent,
    molecule_env,
    selected,
)

TIMEOUT = int(os.environ.get("MOLECULE_TIMEOUT", "1800"))
SCENARIOS = selected(discover(), os.environ.get("MOLECULE_SCENARIOS"))
# Scenarios that must pass on a host where nothing has installed the kernel NFS server yet.
WITHOUT_KERNEL_SERVER = ("nfs_ganesha", "nfs_kernel")


def test_discovery_finds_only_directories_with_molecule_yml(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "molecule.yml").write_text("---\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "molecule.yml").write_text("---\n")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "tasks.yml").write_text("---\n")
    assert discover(str(tmp_path)) == ["a", "b"]
    assert selected(["a", "b"], "b") == ["b"]
    with pytest.raises(ValueError):
        selected(["a", "b"], "c")


def test_failure_excerpt_keeps_the_failed_task():
    output = "\n".join(["TASK [ok]", "ok: [h]"] * 50 + ["TASK [bad]", "fatal: [h]: FAILED! => {}", "detail"]
                       + ["noise"] * 2000)
    excerpt = failure_excerpt(output, tail=20)
    assert "fatal: [h]: FAILED!" in excerpt and "detail" in excerpt and "TASK [bad]" in excerpt
    assert excerpt.endswith("noise")


@pytest.mark.molecule
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_molecule_scenario(scenario):
    if os.environ.get("STATEFUL_NFS_FRESH_PACKAGES") == "1" and scenario in WITHOUT_KERNEL_SERVER:
        # the fresh-machine run: nothing before this scenario may have installed the kernel server
        assert kernel_server_absent(), (
            "scenario %s must start on a host without nfs-kernel-server (exportfs), as on a fresh machine; "
            "something installed it earlier in this run" % scenario)
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "molecule"), "test", "-s", scenario],
        cwd=REPO, env=molecule_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=TIMEOUT, check=False)
    assert proc.returncode == 0, "molecule test -s %s exited %d:\n%s" % (scenario, proc.returncode,
                                                                         failure_excerpt(proc.stdout))
