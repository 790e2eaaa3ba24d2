# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for tests/fresh_packages.py (CI's purge of the packages the NFS roles install)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest
import yaml

from ansible_collections.stateful.nfs.tests.fresh_packages import REPO, role_files, role_packages, running_programs


def _vars(relative):
    with open(os.path.join(REPO, relative)) as stream:
        return yaml.safe_load(stream)


def test_every_package_the_roles_install_on_debian_is_purged():
    packages = role_packages(_vars("roles/nfs_server/vars/Debian.yml"), _vars("roles/nfs_client/vars/Debian.yml"))
    # the kernel backend, the Ganesha backend, the probe tools and the client, each once
    assert packages == ["nfs-kernel-server", "nfs-ganesha", "nfs-ganesha-vfs", "libnfs-utils", "nfs-common"]


def test_role_packages_flattens_per_backend_lists_and_drops_repeats():
    server = {"__nfs_server_packages": {"a": ["p1"], "b": ["p2", "p3"]}, "__nfs_server_probe_packages": ["p4"]}
    client = {"__nfs_client_packages": ["p5"], "__nfs_client_probe_packages": ["p4"]}
    assert role_packages(server, client) == ["p1", "p2", "p3", "p4", "p5"]


def test_role_packages_refuses_vars_files_without_package_names():
    with pytest.raises(ValueError, match="no package names found"):
        role_packages({}, {})


def test_role_files_are_the_nfs_server_defaults_and_skip_templated_paths():
    defaults = _vars("roles/nfs_server/defaults/main.yml")
    assert role_files(defaults) == ["/etc/exports.d/stateful-nfs.exports", "/etc/nfs.conf.d/stateful-nfs.conf",
                                    "/etc/ganesha/stateful-nfs-exports.conf"]
    assert role_files({"nfs_server_kernel_exports_file": "{{ x }}"}) == []


def test_running_programs_finds_this_process_by_its_executable():
    exe = os.readlink("/proc/self/exe")
    assert (os.getpid(), exe) in running_programs([exe])
    assert running_programs(["/nonexistent/program"]) == []
