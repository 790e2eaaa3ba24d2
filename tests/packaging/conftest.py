# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the packaging tests: the collection tarball, built once per session, and the tarball
installed (without Galaxy) next to kubernetes.core, as an execution environment's builder stage has them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess
import sys

import pytest

from ansible_collections.stateful.nfs.tests.packaging.collection_build import REPO, build


@pytest.fixture(scope="session")
def tarball(tmp_path_factory):
    """The collection built from this clone with ``ansible-galaxy collection build``."""
    return build(REPO, str(tmp_path_factory.mktemp("build")))


@pytest.fixture(scope="session")
def installed(tmp_path_factory, tarball):
    """A collections directory with the tarball installed and kubernetes.core (from the pinned ansible package)."""
    root = tmp_path_factory.mktemp("collections")
    env = dict(os.environ, ANSIBLE_HOME=str(root / "ansible-home"))
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)
    # --force: a stateful.nfs installed in the default collection paths would otherwise be taken as done
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-galaxy"), "collection", "install",
                           "--offline", "--no-deps", "--force", "-p", str(root), tarball],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, env=env, check=False)
    assert proc.returncode == 0, proc.stdout
    import ansible_collections.kubernetes.core as kubernetes_core

    shutil.copytree(list(kubernetes_core.__path__)[0], str(root / "ansible_collections" / "kubernetes" / "core"))
    return root
