# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the integration tests, one module per subject (tests/integration/conftest.py holds the
fixtures, the test modules hold tests, their own fixtures and case tables):

- ``ansible_runs``: running playbooks and ad hoc modules from the work tree, reading the results;
- ``kube``: the lab (``Lab``) and its kubectl (``Kube``), a pod watch, readers of Kubernetes objects;
- ``stacks``: one test's namespace, volumes and StatefulSet (``Stack``, ``FaultStack``,
  ``ManifestStack``), claims and the data written through them;
- ``nfs``: files on exports through libnfs, an NFS-Ganesha of a test's own, this host's NFS state;
- ``validate``: the statefulset_validate module run against the lab;
- ``molecule_scenarios``: finding and running the Molecule scenarios.
"""
