# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection in an execution environment.

meta/execution-environment.yml names the Python packages (meta/ee-requirements.txt) and system packages
(meta/ee-bindep.txt) the collection needs where its modules run. The Python list must be exactly what the
code under plugins/ imports beyond the standard library and ansible-core's own dependencies, so neither a
new import nor a test tool can slip in unnoticed.

``ansible-builder create`` writes the build context of tests/packaging/ee/execution-environment.yml (no
container engine is involved). Its builder stage installs the collections and runs the context's own
``introspect.py`` over them; the test runs that same script over the built tarball, installed, and checks
that kubernetes, websocket-client and the system packages come out of it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import glob
import os
import subprocess
import sys

import pytest
import yaml
from importlib import metadata
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ansible_collections.stateful.nfs.tests.packaging.collection_build import BIN, REPO

EE_DEFINITION = os.path.join(REPO, "tests", "packaging", "ee", "execution-environment.yml")
IGNORED_IMPORTS = ("__future__", "ansible", "ansible_collections")


def _read(*parts):
    with open(os.path.join(REPO, *parts)) as stream:
        return stream.read()


def requirement_lines(text):
    return [Requirement(line.split("#", 1)[0].strip()) for line in text.splitlines()
            if line.split("#", 1)[0].strip()]


def third_party_imports(root=REPO):
    """Top-level module names imported anywhere under plugins/ that are neither the standard library
    nor Ansible itself (imports inside ``try`` blocks count: they are optional only in name)."""
    names = set()
    for path in glob.glob(os.path.join(root, "plugins", "**", "*.py"), recursive=True):
        with open(path) as stream:
            tree = ast.parse(stream.read(), path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                found = [node.module]
            else:
                continue
            for name in found:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in IGNORED_IMPORTS:
                    names.add(top)
    return names


def runtime_distributions(imports):
    """The distributions that provide ``imports``, less those ansible-core already requires."""
    providers = metadata.packages_distributions()
    core = set(canonicalize_name(Requirement(r).name) for r in metadata.requires("ansible-core") or [])
    wanted = set()
    for name in imports:
        assert name in providers, "plugins/ imports %s, which no installed distribution provides" % name
        wanted.update(canonicalize_name(d) for d in providers[name])
    return wanted - core


def test_the_import_scan_sees_the_validators_libraries():
    found = third_party_imports()
    assert {"kubernetes", "websocket"} <= found and "os" not in found and "ansible" not in found
    assert "dns" not in found  # DNS messages are read by the collection itself (validator/dns_wire)


def test_ee_requirements_are_exactly_the_runtime_imports():
    listed = set(canonicalize_name(r.name) for r in requirement_lines(_read("meta", "ee-requirements.txt")))
    assert listed == runtime_distributions(third_party_imports()), (
        "meta/ee-requirements.txt must list the distributions that plugins/ imports (not ansible-core's, "
        "not the test toolchain)")
    assert listed == {"kubernetes", "websocket-client"}


def test_the_pinned_toolchain_satisfies_the_ee_requirements():
    pins = dict((canonicalize_name(r.name), r) for r in requirement_lines(_read("requirements.txt")))
    for wanted in requirement_lines(_read("meta", "ee-requirements.txt")):
        pinned = pins[canonicalize_name(wanted.name)]
        version = next(iter(pinned.specifier)).version
        assert wanted.specifier.contains(version), "%s: requirements.txt pins %s" % (wanted, version)


def test_the_collection_metadata_points_at_its_files():
    meta = yaml.safe_load(_read("meta", "execution-environment.yml"))
    assert meta["version"] == 3
    assert meta["dependencies"] == {"python": "meta/ee-requirements.txt", "system": "meta/ee-bindep.txt"}


def test_the_bindep_file_parses_and_names_the_ssh_client_on_both_families():
    from bindep.depends import Depends

    depends = Depends(_read("meta", "ee-bindep.txt"))  # a syntax error raises here
    assert [rule[0] for rule in depends.active_rules(["platform:dpkg"])] == ["openssh-client"]
    assert [rule[0] for rule in depends.active_rules(["platform:rpm"])] == ["openssh-clients"]


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    """``ansible-builder create`` of the example definition: the build context directory."""
    out = tmp_path_factory.mktemp("ee") / "context"
    proc = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "--file", EE_DEFINITION, "--context", str(out),
                           "--output-filename", "Containerfile"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    assert proc.returncode == 0, proc.stdout
    return out


def test_create_writes_a_containerfile_that_installs_the_collection(context):
    containerfile = (context / "Containerfile").read_text()
    assert 'ARG PYCMD="/usr/bin/python3.11"' in containerfile
    assert "ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml" in containerfile
    # the builder stage reads the installed collections' needs, the final stage installs them
    assert "/output/scripts/introspect.py introspect --write-bindep=/tmp/src/bindep.txt " \
           "--write-pip=/tmp/src/requirements.txt" in containerfile
    assert "RUN /output/scripts/install-from-bindep" in containerfile
    galaxy = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert [c["name"] for c in galaxy["collections"]] == ["stateful.nfs"]


def test_the_build_contexts_introspection_finds_the_collections_needs(context, installed, tmp_path):
    """What the builder stage computes, from the built tarball as installed."""
    pip_file, bindep_file = tmp_path / "requirements.txt", tmp_path / "bindep.txt"
    proc = subprocess.run([sys.executable, str(context / "_build" / "scripts" / "introspect.py"), "introspect",
                           str(installed), "--write-pip=%s" % pip_file, "--write-bindep=%s" % bindep_file],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    assert proc.returncode == 0, proc.stdout
    python = pip_file.read_text().splitlines()
    system = bindep_file.read_text().splitlines()
    ours = "  # from collection stateful.nfs"
    assert "kubernetes>=24.2.0" + ours in python and "websocket-client>=1.0.0" + ours in python
    assert "openssh-client [platform:dpkg]" + ours in system and "openssh-clients [platform:rpm]" + ours in system
    # kubernetes.core's needs come along the same way
    assert any(line.endswith("# from collection kubernetes.core") for line in python)
