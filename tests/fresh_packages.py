# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Put this machine back in the state of a fresh one for the packages the NFS roles install.

CI (``.ci/run`` with CI=true, through ``make fresh-packages``) runs this before ``make test``, so a
test can no longer pass on an NFS package that an earlier run or a person installed by hand: the
roles and the tests must install what they use. The package names come from the roles' own
``vars/Debian.yml`` (one home for them); whether a package is installed is read from dpkg-query with
the roles' own ``packages_missing`` rule. The packages are purged with the dependencies that only they
needed (``apt-get purge --autoremove``), and the files the ``nfs_server`` role writes at its default
paths go with them. Afterwards none of their commands may be left on the PATH.

It refuses (exit 2, nothing removed) while a process runs one of those packages' programs, for
example the lab's NFS-Ganesha: stop it first (``make lab-down``).

Usage: ``python tests/fresh_packages.py [--dry-run]`` as root, from the virtualenv (it reads YAML).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import os
import shutil
import subprocess
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The commands these packages bring that the project calls: none of them may survive the purge.
COMMANDS = ("exportfs", "showmount", "ganesha.nfsd", "nfs-ls", "nfs-cat", "nfs-cp")
# Variables of roles/nfs_server/defaults/main.yml that name files the role writes (not package files).
ROLE_FILES = ("nfs_server_kernel_exports_file", "nfs_server_kernel_nfs_conf_file",
              "nfs_server_ganesha_exports_file")
DPKG_FORMAT = "--showformat=${Package} ${db:Status-Status}\\n"


def _load(relative):
    with open(os.path.join(REPO, relative)) as stream:
        return yaml.safe_load(stream) or {}


def _flatten(value):
    if isinstance(value, dict):
        return [name for item in value.values() for name in _flatten(item)]
    if isinstance(value, list):
        return [name for item in value for name in _flatten(item)]
    return [value]


def role_packages(server_vars, client_vars):
    """Every Debian package the nfs_server and nfs_client roles may install, in order, without repeats."""
    names = []
    for found in (_flatten(server_vars.get("__nfs_server_packages", {}))
                  + _flatten(server_vars.get("__nfs_server_probe_packages", []))
                  + _flatten(client_vars.get("__nfs_client_packages", []))
                  + _flatten(client_vars.get("__nfs_client_probe_packages", []))):
        if found not in names:
            names.append(found)
    if not names:
        raise ValueError("no package names found in roles/nfs_server/vars/Debian.yml and roles/nfs_client/vars/Debian.yml")
    return names


def role_files(defaults):
    """The files the nfs_server role writes at its default paths (literal paths only)."""
    return [defaults[name] for name in ROLE_FILES if "{{" not in str(defaults.get(name, "{{"))]


def running_programs(files):
    """``(pid, executable)`` of every process whose executable is one of ``files``."""
    wanted = set(files)
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            exe = os.readlink("/proc/%s/exe" % pid)
        except OSError:
            continue
        if exe in wanted:
            found.append((int(pid), exe))
    return found


def package_files(packages):
    """The files dpkg lists for the installed ``packages``."""
    if not packages:
        return []
    proc = subprocess.run(["dpkg-query", "--listfiles"] + packages, stdout=subprocess.PIPE,
                          universal_newlines=True, check=True)
    return [line for line in proc.stdout.splitlines() if line.startswith("/")]


def installed(packages):
    """The names of ``packages`` that dpkg reports as installed (the roles' packages_missing rule)."""
    from ansible_collections.stateful.nfs.plugins.filter.packages_missing import packages_missing

    proc = subprocess.run(["dpkg-query", "--show", DPKG_FORMAT] + packages, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, universal_newlines=True, check=False)
    if proc.returncode not in (0, 1):
        raise RuntimeError("dpkg-query failed with exit code %d" % proc.returncode)
    missing = packages_missing(proc.stdout, packages)
    return [name for name in packages if name not in missing]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="say what would be removed, remove nothing")
    args = parser.parse_args(argv)
    sys.path.insert(0, os.path.join(REPO, ".collections"))

    packages = role_packages(_load("roles/nfs_server/vars/Debian.yml"), _load("roles/nfs_client/vars/Debian.yml"))
    present = installed(packages)
    files = [path for path in role_files(_load("roles/nfs_server/defaults/main.yml")) if os.path.lexists(path)]
    print("fresh-packages: the NFS roles install %s; installed now: %s"
          % (", ".join(packages), ", ".join(present) or "none"))

    busy = running_programs([path for path in package_files(present) if os.path.isfile(path)])
    if busy:
        print("fresh-packages: refusing, these processes run programs of those packages (stop them first, "
              "for the lab: make lab-down): %s" % ", ".join("%s (pid %d)" % (exe, pid) for pid, exe in busy),
              file=sys.stderr)
        return 2
    if args.dry_run:
        print("fresh-packages: dry run; would purge %s and remove %s"
              % (", ".join(present) or "nothing", ", ".join(files) or "no role files"))
        return 0

    if present:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "purge", "--autoremove", "-y", "-q"] + present, env=env, check=True)
    for path in files:
        os.remove(path)
        print("fresh-packages: removed %s" % path)

    left = installed(packages)
    commands = [name for name in COMMANDS if shutil.which(name)]
    if left or commands:
        print("fresh-packages: still installed after the purge: %s" % ", ".join(left + commands), file=sys.stderr)
        return 1
    print("fresh-packages: none of %s is installed; %s are not on the PATH" % (", ".join(packages), ", ".join(COMMANDS)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
