# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``ansible-galaxy collection build`` puts in the tarball, and the Galaxy import check of
``make lint`` (collection_build.py) failing on what Galaxy would only warn about."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess

import yaml

from ansible_collections.stateful.nfs.tests.packaging.collection_build import REPO, build, import_check, members

# every file of the project under these ships; nothing under DEVELOPMENT does
SHIPPED_DIRS = ("plugins/", "roles/", "playbooks/", "meta/", "docs/", "inventory/", "changelogs/", "tools/", "extensions/gitops/")
SHIPPED_FILES = ("README.md", "COPYING", "MANIFEST.json", "FILES.json")
DEVELOPMENT = (".venv/", ".tmp/", ".tools/", ".collections/", ".cache/", ".ansible/", ".pytest_cache/", ".ci/", "tests/",
               "extensions/molecule/", "bench/", ".gitignore", ".ansible-lint", ".yamllint", "Makefile", "requirements.txt",
               "pytest.ini", "ansible.cfg", "CONTRIBUTING.md")
MAX_BYTES = 1024 * 1024


def project_files():
    """The clone's files: tracked, and untracked but not ignored (what a build from this tree sees)."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, stdout=subprocess.PIPE,
                         universal_newlines=True, check=True).stdout
    return set(path for path in out.splitlines() if os.path.isfile(os.path.join(REPO, path)))


def test_the_tarball_holds_the_collection_and_nothing_of_the_development_tree(tarball):
    shipped = members(tarball)
    project = project_files()
    expected = set(p for p in project if p.startswith(SHIPPED_DIRS) or p in SHIPPED_FILES)
    assert expected - set(shipped) == set(), "missing from the tarball"
    assert [name for name in shipped if name.startswith(DEVELOPMENT)] == []
    # nothing but project files (no caches, no local results) and the two manifests
    assert set(shipped) - project == {"MANIFEST.json", "FILES.json"}
    for needed in ("meta/runtime.yml", "meta/execution-environment.yml", "meta/ee-requirements.txt",
                   "meta/ee-bindep.txt", "changelogs/changelog.yaml", "README.md", "COPYING",
                   "extensions/gitops/gitlab/.gitlab-ci.yml", "playbooks/prove.yml", "tools/plan.py"):
        assert needed in shipped, needed


def test_the_tarball_is_small(tarball):
    assert os.path.getsize(tarball) < MAX_BYTES


def test_galaxy_metadata_has_the_project_links():
    with open(os.path.join(REPO, "galaxy.yml")) as stream:
        galaxy = yaml.safe_load(stream)
    for key in ("repository", "documentation", "homepage", "issues"):
        assert galaxy[key].startswith("https://github.com/stateful-nfs/stateful.nfs"), key
    assert galaxy["dependencies"] == {"kubernetes.core": ">=6.0.0,<7.0.0"}


def _copy_project(destination):
    for path in project_files():
        target = os.path.join(destination, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(os.path.join(REPO, path), "rb") as source, open(target, "wb") as copy:
            copy.write(source.read())


def test_the_import_check_fails_on_what_galaxy_only_warns_about(tmp_path):
    """A tarball whose EE metadata names a missing file and that holds a task ansible-lint refuses: the
    importer still exits 0, the check sees both warnings."""
    source = tmp_path / "src"
    _copy_project(str(source))
    meta = source / "meta" / "execution-environment.yml"
    meta.write_text(meta.read_text().replace("meta/ee-requirements.txt", "meta/missing-requirements.txt"))
    (source / "roles" / "statefulset" / "tasks" / "lint_bait.yml").write_text(u"---\n- shell: echo unnamed\n")
    tarball = build(str(source), str(tmp_path / "out"))
    code, lines, problems = import_check(tarball, str(tmp_path))
    assert code == 0, "\n".join(lines)  # Galaxy would accept it ...
    text = "\n".join(problems)  # ... the check does not
    assert "missing-requirements.txt" in text, "\n".join(lines)
    assert "lint_bait.yml" in text, "\n".join(lines)
