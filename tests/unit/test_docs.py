# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``ansible-doc`` must list and render every module and every role of the collection.

The content is found on disk (plugins/modules/**.py; roles/*/meta/argument_specs.yml),
so each new module or role gets its own test case without touching this file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTION = "stateful.nfs"


def discover_modules(root=REPO_ROOT):
    """FQCNs of the modules under plugins/modules (subfolders become dotted names)."""
    base = os.path.join(root, "plugins", "modules")
    names = []
    for directory, subdirs, files in os.walk(base):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith((".", "_")))
        for filename in files:
            stem, ext = os.path.splitext(filename)
            if ext == ".py" and not stem.startswith("_"):
                relative = os.path.relpath(os.path.join(directory, stem), base)
                names.append("%s.%s" % (COLLECTION, relative.replace(os.sep, ".")))
    return sorted(names)


def discover_roles(root=REPO_ROOT):
    """FQCNs of the roles with an argument spec (the roles ansible-doc can document)."""
    base = os.path.join(root, "roles")
    if not os.path.isdir(base):
        return []
    return sorted(
        "%s.%s" % (COLLECTION, role)
        for role in os.listdir(base)
        if any(os.path.isfile(os.path.join(base, role, "meta", "argument_specs" + ext))
               for ext in (".yml", ".yaml"))
    )


MODULES = discover_modules()
ROLES = discover_roles()
DOCUMENTED = [("module", name) for name in MODULES] + [("role", name) for name in ROLES]


def ansible_doc(collections_root, *args):
    """Run ansible-doc from this Python's environment against this clone."""
    executable = os.path.join(os.path.dirname(sys.executable), "ansible-doc")
    if not os.path.exists(executable):
        executable = shutil.which("ansible-doc")
    assert executable, "ansible-doc not found next to %s nor on PATH" % sys.executable
    env = dict(os.environ)
    env.update(
        ANSIBLE_COLLECTIONS_PATH=collections_root,
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_DEPRECATION_WARNINGS="1",
        PAGER="cat",
    )
    return subprocess.run(
        [executable] + list(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )


def assert_clean(result):
    detail = "rc=%d\nstdout:\n%s\nstderr:\n%s" % (result.returncode, result.stdout, result.stderr)
    assert result.returncode == 0, detail
    assert "ERROR" not in result.stderr, detail
    assert "[WARNING]" not in result.stderr, detail


@pytest.mark.parametrize("kind, on_disk", [("module", MODULES), ("role", ROLES)], ids=["modules", "roles"])
def test_ansible_doc_lists_exactly_what_is_on_disk(collections_root, kind, on_disk):
    """Nothing on disk is invisible to ansible-doc and nothing it lists is unknown here."""
    result = ansible_doc(collections_root, "-t", kind, "--list", "--json", COLLECTION)
    assert_clean(result)
    listed = sorted(json.loads(result.stdout))
    assert listed == on_disk


def test_discovery_finds_modules_in_subfolders_and_skips_private_files(tmp_path):
    modules = tmp_path / "plugins" / "modules"
    (modules / "storage").mkdir(parents=True)
    for path in ("nfs_export.py", "__init__.py", "_old.py", "README.md", "storage/nfs_pv.py"):
        (modules / path).write_text(u"")
    roles = tmp_path / "roles"
    for role in ("nfs_server", "no_spec"):
        (roles / role / "meta").mkdir(parents=True)
    (roles / "nfs_server" / "meta" / "argument_specs.yml").write_text(u"---\nargument_specs: {}\n")
    (roles / "no_spec" / "meta" / "main.yml").write_text(u"---\n")

    assert discover_modules(str(tmp_path)) == ["stateful.nfs.nfs_export", "stateful.nfs.storage.nfs_pv"]
    assert discover_roles(str(tmp_path)) == ["stateful.nfs.nfs_server"]


# With no module and no documented role there is nothing to render; the listing
# test above still checks that ansible-doc agrees. (An empty parameter set would
# be reported as a skip, which pytest.ini turns into an error.)
if DOCUMENTED:
    @pytest.mark.parametrize("kind, name", DOCUMENTED, ids=["%s:%s" % item for item in DOCUMENTED])
    def test_ansible_doc_renders(collections_root, kind, name):
        result = ansible_doc(collections_root, "-t", kind, name)
        assert_clean(result)
        # "> MODULE stateful.nfs.x (path)", "> ROLE: stateful.nfs.x (path)";
        # without colour, bold shows as *name*
        header = re.compile(r"^> %s:? \*?%s\*? \(" % (kind.upper(), re.escape(name)), re.MULTILINE)
        assert header.search(result.stdout), result.stdout
