# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host state of the Kubernetes nodes after converge (testinfra): the NFS client packages, and the
tools of the preflight that proved each node can use the exports."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import testinfra.utils.ansible_runner

INVENTORY = os.path.dirname(os.environ["MOLECULE_INVENTORY_FILE"])
RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(INVENTORY)
testinfra_hosts = ["ansible://%s?ansible_inventory=%s" % (name, INVENTORY) for name in RUNNER.get_hosts("k8s_nodes")]


def test_client_packages_are_installed(host):
    for package in ("nfs-common", "libnfs-utils"):
        assert host.package(package).is_installed, package


def test_the_preflight_tools_are_on_the_path(host):
    for tool in ("nfs-ls", "nfs-cp", "nfs-cat"):
        assert host.exists(tool), tool
