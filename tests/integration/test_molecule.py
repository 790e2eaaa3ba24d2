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
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO_ROOT = os.path.join(REPO, "extensions", "molecule")
TIMEOUT = int(os.environ.get("MOLECULE_TIMEOUT", "1800"))


def discover(root=SCENARIO_ROOT):
    """Names of the directories under ``root`` that hold a molecule.yml, sorted."""
    if not os.path.isdir(root):
        return []
    return sorted(name for name in os.listdir(root)
                  if os.path.isfile(os.path.join(root, name, "molecule.yml")))


def selected(found, wanted=None):
    """Filter ``found`` by the comma-separated ``wanted`` list (all when empty)."""
    if not wanted:
        return found
    names = [n.strip() for n in wanted.split(",") if n.strip()]
    unknown = [n for n in names if n not in found]
    if unknown:
        raise ValueError("MOLECULE_SCENARIOS names unknown scenario(s) %s; found %s"
                         % (", ".join(unknown), ", ".join(found)))
    return names


def _environment():
    env = dict(os.environ)
    venv_bin = os.path.dirname(sys.executable)
    env.update({
        "PATH": "%s:%s" % (venv_bin, env.get("PATH", "")),
        "ANSIBLE_CONFIG": os.path.join(REPO, "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": os.path.join(REPO, ".collections"),
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_NOCOLOR": "1",
        "NO_COLOR": "1",
        "PY_COLORS": "0",
    })
    return env


SCENARIOS = selected(discover(), os.environ.get("MOLECULE_SCENARIOS"))
# Scenarios that must pass on a host where nothing has installed the kernel NFS server yet.
WITHOUT_KERNEL_SERVER = ("nfs_ganesha", "nfs_kernel")


def kernel_server_absent():
    """True when neither dpkg nor the PATH knows the kernel NFS server (``exportfs``)."""
    proc = subprocess.run(["dpkg-query", "--show", "--showformat=${db:Status-Status}", "nfs-kernel-server"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True, check=False)
    return proc.stdout.strip() != "installed" and shutil.which("exportfs") is None


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
        cwd=REPO, env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=TIMEOUT, check=False)
    assert proc.returncode == 0, "molecule test -s %s exited %d:\n%s" % (scenario, proc.returncode,
                                                                         failure_excerpt(proc.stdout))


def failure_excerpt(output, context=40, tail=8000, last=3):
    """The last ``last`` failed tasks (each with the lines that follow it) and the end of the output.

    Only the last ones: a scenario may provoke and rescue failures on purpose before the one that counts.
    """
    lines = output.splitlines()
    starts = [index for index, line in enumerate(lines) if "fatal:" in line or "[ERROR]" in line][-last:]
    picked = []
    for index in starts:
        picked.extend(lines[max(0, index - 3):index + context] + ["..."])
    return "\n".join(picked) + "\n--- end of output ---\n" + output[-tail:]
