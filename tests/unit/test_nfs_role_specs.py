# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meta/argument_specs.yml of the NFS roles (and of os_packages, which installs their packages) stays in sync
with defaults/main.yml (and nfs_client_exports with the shape the nfs_probe module accepts)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest
import yaml

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.exports import EXPORTED_ARG_SPEC

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(role, *parts):
    with open(os.path.join(REPO, "roles", role, *parts)) as handle:
        return yaml.safe_load(handle)


@pytest.mark.parametrize("role", ["nfs_server", "nfs_client"])
def test_per_os_vars_define_the_same_names(role):
    debian = load(role, "vars", "Debian.yml")
    redhat = load(role, "vars", "RedHat.yml")
    assert sorted(debian) == sorted(redhat)
    assert all(name.startswith("__" + role + "_") for name in debian)


def test_nfs_client_exports_has_the_shape_nfs_probe_accepts():
    """The role refuses a malformed entry before installing anything; nfs_probe must accept every entry
    the role lets through (and the nfs_server_exported facts the role reads by default)."""
    options = load("nfs_client", "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    role = options["nfs_client_exports"]
    assert (role["type"], role["elements"]) == (EXPORTED_ARG_SPEC["type"], EXPORTED_ARG_SPEC["elements"])
    assert sorted(role["options"]) == sorted(EXPORTED_ARG_SPEC["options"])
    for key, spec in EXPORTED_ARG_SPEC["options"].items():
        documented = role["options"][key]
        for field in ("type", "elements", "required", "default"):
            assert documented.get(field) == spec.get(field), (key, field)


def _wanted_packages(role, os_family="Debian", **settings):
    """The role's ``__<role>_wanted_packages`` rendered by Ansible's own loader and templar from its vars files."""
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar, trust_as_template

    loader = DataLoader()
    variables = {}
    for parts in (("defaults", "main.yml"), ("vars", os_family + ".yml"), ("vars", "main.yml")):
        # role files are trusted templates, as when Ansible loads the role
        variables.update((name, trust_as_template(value) if isinstance(value, str) else value)
                         for name, value in loader.load_from_file(os.path.join(REPO, "roles", role, *parts)).items())
    variables.update(settings)
    return Templar(loader=loader, variables=variables).template(trust_as_template("{{ __%s_wanted_packages }}" % role))


@pytest.mark.parametrize("settings, expected", [
    ({"nfs_server_backend": "kernel"}, ["nfs-kernel-server", "libnfs-utils"]),
    ({"nfs_server_backend": "kernel", "nfs_server_verify_io": False}, ["nfs-kernel-server"]),
    ({"nfs_server_backend": "ganesha"}, ["nfs-ganesha", "nfs-ganesha-vfs", "libnfs-utils"]),
    # the Ganesha verification lists the served exports with nfs-ls even without the I/O probe
    ({"nfs_server_backend": "ganesha", "nfs_server_verify_io": False}, ["nfs-ganesha", "nfs-ganesha-vfs", "libnfs-utils"]),
    ({"nfs_server_backend": "ganesha", "nfs_server_verify_io": False, "nfs_server_verify": False},
     ["nfs-ganesha", "nfs-ganesha-vfs"]),
])
def test_nfs_server_installs_every_program_its_tasks_run(settings, expected):
    assert _wanted_packages("nfs_server", **settings) == expected


@pytest.mark.parametrize("probe_tools, expected", [(True, ["nfs-common", "libnfs-utils"]), (False, ["nfs-common"])])
def test_nfs_client_installs_the_probe_tools_when_asked(probe_tools, expected):
    assert _wanted_packages("nfs_client", nfs_client_install_probe_tools=probe_tools) == expected


def _tasks(role):
    """Every task of the role's tasks/*.yml, blocks flattened."""
    found = []
    directory = os.path.join(REPO, "roles", role, "tasks")
    for name in sorted(os.listdir(directory)):
        pending = list(load(role, "tasks", name) or [])
        while pending:
            task = pending.pop(0)
            found.append(task)
            pending[:0] = task.get("block", []) + task.get("rescue", []) + task.get("always", [])
    return found


@pytest.mark.parametrize("role", ["nfs_server", "nfs_client"])
def test_the_nfs_roles_install_their_packages_through_os_packages(role):
    """One home for the dpkg-query/apt logic: each NFS role includes os_packages with its own package list
    and runs no package task itself."""
    tasks = _tasks(role)
    includes = [t for t in tasks if (t.get("ansible.builtin.include_role") or {}).get("name") == "stateful.nfs.os_packages"]
    assert len(includes) == 1
    assert includes[0]["vars"] == {"os_packages_names": "{{ __%s_wanted_packages }}" % role,
                                   "os_packages_apt_cache_valid_time": "{{ %s_apt_cache_valid_time }}" % role}
    modules = set(key for t in tasks for key in t)
    assert not modules & set(["ansible.builtin.apt", "ansible.builtin.package", "ansible.builtin.dnf"])
    assert not [t for t in tasks if "dpkg-query" in str(t.get("ansible.builtin.command", "")) + str(t.get("ansible.builtin.raw", ""))]


def test_os_packages_is_the_one_package_installer():
    tasks = _tasks("os_packages")
    assert [next(k for k in t if k.startswith("ansible.builtin.")) for t in tasks if "block" not in t] == [
        "ansible.builtin.raw", "ansible.builtin.apt", "ansible.builtin.package", "ansible.builtin.set_fact"]
    lookup = tasks[1]
    assert lookup["check_mode"] is False and lookup["changed_when"] is False  # dpkg-query also runs in check mode
    # raw without a terminal: dpkg-query's complaints stay on stderr, its output has no carriage returns
    assert lookup["vars"] == {"ansible_ssh_use_tty": False}
