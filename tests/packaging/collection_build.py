# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the collection tarball and run Galaxy's import checks on it, offline.

``make lint`` runs this file (``python tests/packaging/collection_build.py``) after ansible-lint; the tests
in this folder import its functions. ``ansible-galaxy collection build`` makes the tarball from a source
tree (galaxy.yml's ``build_ignore`` decides what ships); ``galaxy-importer`` then checks it as Galaxy
would on upload: ansible-doc on every plugin, ansible-lint with the production profile, the changelog,
the execution environment's dependency files. Its settings are ``galaxy-importer.cfg`` beside this file:
no ansible-test (``make sanity`` runs it) and no container engine.

The importer passes a collection with warnings; here any WARNING or ERROR line fails the check, so a lint
finding or a missing dependency file in the tarball cannot go unnoticed. ansible-lint gets an
ANSIBLE_HOME of its own, as in ``make lint``: a stateful.nfs installed in ~/.ansible/collections would
otherwise be checked instead of the tarball.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import subprocess
import sys
import tarfile
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "galaxy-importer.cfg")
BIN = os.path.dirname(sys.executable)
# the importer prints INFO lines bare and every other level as "LEVEL: message"
PROBLEM_PREFIXES = ("WARNING:", "ERROR:", "CRITICAL:")


def build(source, output_dir):
    """``ansible-galaxy collection build`` of ``source`` into ``output_dir``; the tarball's path."""
    proc = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--force",
                           "--output-path", output_dir, source],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    found = glob.glob(os.path.join(output_dir, "*.tar.gz"))
    if proc.returncode != 0 or len(found) != 1:
        raise RuntimeError("ansible-galaxy collection build %s failed (exit %d):\n%s" % (source, proc.returncode, proc.stdout))
    return found[0]


def members(tarball):
    """``{name: size}`` of the regular files in ``tarball``."""
    with tarfile.open(tarball) as archive:
        return dict((m.name, m.size) for m in archive.getmembers() if m.isfile())


def import_check(tarball, work_dir):
    """Run galaxy-importer on ``tarball`` in ``work_dir``: ``(exit code, output lines, problem lines)``."""
    home = os.path.join(work_dir, "ansible-home")
    os.makedirs(os.path.join(home, "tmp"), exist_ok=True)
    env = dict(os.environ)
    env.update(GALAXY_IMPORTER_CONFIG=CONFIG, ANSIBLE_HOME=home, GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP=os.path.join(home, "tmp"),
               PATH=BIN + os.pathsep + env.get("PATH", ""), ANSIBLE_NOCOLOR="1")
    # the importer finds the collection's dependencies (kubernetes.core) in this Python's site-packages
    for name in ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_CONFIG"):
        env.pop(name, None)
    proc = subprocess.run([sys.executable, "-m", "galaxy_importer.main", os.path.abspath(tarball)], cwd=work_dir, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=600,
                          check=False)
    lines = proc.stdout.splitlines()
    problems = [line for line in lines if line.startswith(PROBLEM_PREFIXES) or "Traceback" in line]
    return proc.returncode, lines, problems


def main():
    with tempfile.TemporaryDirectory(prefix="stateful-nfs-galaxy-") as work:
        tarball = build(REPO, work)
        files = members(tarball)
        print("galaxy-importer: %s, %d files, %d KB" % (os.path.basename(tarball), len(files),
                                                        os.path.getsize(tarball) // 1024))
        code, lines, problems = import_check(tarball, work)
        if code != 0 or problems or "Importer processing completed successfully" not in lines:
            print("\n".join(lines), file=sys.stderr)
            print("galaxy-importer: FAILED (exit %d, %d warning or error line(s)):\n%s"
                  % (code, len(problems), "\n".join(problems)), file=sys.stderr)
            return 1
        print("galaxy-importer: passed, no warnings (ansible-doc, ansible-lint, changelog, EE dependency files)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
