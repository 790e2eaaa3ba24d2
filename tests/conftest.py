# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make ``ansible_collections.stateful.nfs`` importable for every test under tests/.

Collection code imports itself by its full name
(``from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import ...``),
so Python needs a directory that holds ``ansible_collections/stateful/nfs``
pointing at this clone.  ``make setup`` links one at ``.collections/``; when that
link is missing (a plain clone, ``pytest`` run directly), an equivalent link is
made in a temporary directory for the duration of the test session.  Nothing in
the work tree is created or changed here.

kubernetes.core comes from the ``ansible`` package in the virtualenv: its
``ansible_collections`` directory is a namespace package portion, merged with
this one by Python's import system.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import atexit
import os
import shutil
import sys
import tempfile

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMESPACE, NAME = "stateful", "nfs"


def _links_here(collections_root):
    target = os.path.join(collections_root, "ansible_collections", NAMESPACE, NAME)
    return os.path.isdir(target) and os.path.samefile(target, REPO_ROOT)


def _temporary_collections_root():
    root = tempfile.mkdtemp(prefix="stateful-nfs-collections-")
    namespace_dir = os.path.join(root, "ansible_collections", NAMESPACE)
    os.makedirs(namespace_dir)
    link = os.path.join(namespace_dir, NAME)
    os.symlink(REPO_ROOT, link)

    def _cleanup():
        os.unlink(link)  # the link only, never what it points at
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(_cleanup)
    return root


def _collections_root():
    made_by_setup = os.path.join(REPO_ROOT, ".collections")
    if _links_here(made_by_setup):
        return made_by_setup
    return _temporary_collections_root()


COLLECTIONS_ROOT = _collections_root()
if COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, COLLECTIONS_ROOT)


@pytest.fixture(scope="session")
def collections_root():
    """The directory holding ``ansible_collections/stateful/nfs`` (for ANSIBLE_COLLECTIONS_PATH)."""
    return COLLECTIONS_ROOT


@pytest.fixture(scope="session")
def repo_root():
    """The root of this clone (the collection's own directory)."""
    return REPO_ROOT
