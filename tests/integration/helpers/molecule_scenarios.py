# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Molecule scenarios for test_molecule.py: which scenarios exist under extensions/molecule/
(``discover``) and which are chosen (``selected``), the environment ``molecule test`` runs in,
whether this host is fresh for the kernel NFS server, and the excerpt of a failed run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess
import sys

from ansible_collections.stateful.nfs.tests.integration.helpers.ansible_runs import REPO

SCENARIO_ROOT = os.path.join(str(REPO), "extensions", "molecule")


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


def molecule_env():
    """Environment for ``molecule test``: this Python's virtualenv first on the PATH, no colours."""
    env = dict(os.environ)
    venv_bin = os.path.dirname(sys.executable)
    env.update({
        "PATH": "%s:%s" % (venv_bin, env.get("PATH", "")),
        "ANSIBLE_CONFIG": os.path.join(str(REPO), "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": os.path.join(str(REPO), ".collections"),
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_NOCOLOR": "1",
        "NO_COLOR": "1",
        "PY_COLORS": "0",
    })
    return env


def kernel_server_absent():
    """True when neither dpkg nor the PATH knows the kernel NFS server (``exportfs``)."""
    proc = subprocess.run(["dpkg-query", "--show", "--showformat=${db:Status-Status}", "nfs-kernel-server"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True, check=False)
    return proc.stdout.strip() != "installed" and shutil.which("exportfs") is None


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
