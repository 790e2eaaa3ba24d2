# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""stateful.nfs offline pip bootstrap: a stand-in for ansible-test's get-pip script.

``ansible-test --venv`` creates virtual environments without pip and then runs a
"get-pip" bootstrap script that it downloads from ci-files.testing.ansible.com
and caches as ``~/.ansible/test/cache/get_pip_<X_Y>.py``.  That host is not
reachable from every machine (it is not here), while PyPI is.

This script does the same job with what is at hand:

1. the standard library's ``ensurepip`` installs the pip wheel that ships with
   the interpreter into a throw-away directory (no network, nothing touches the
   target environment yet);
2. that pip then installs the packages ansible-test asked for (``pip==<X.Y>``)
   from the configured index (PyPI) into the environment running this script.

ansible-test runs the cached script as a module (see ``quiet_pip.py``) with the
same arguments it would give get-pip.py: pip options, the requirement
specifiers, and ``--no-setuptools`` / ``--no-wheel``.  Without those two flags
get-pip.py also installs setuptools and wheel; so does this script.

``tests/sanity/run.sh`` installs this file at the cache path for the pip version
that the installed ansible-test requests.  It never replaces a cached script
that is not this one.  See docs/sanity-offline.md.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess
import sys
import tempfile

# run.sh looks for this marker before it updates a cached bootstrap script.
MARKER = "stateful.nfs offline pip bootstrap"

_FLAG_PACKAGES = (("--no-setuptools", "setuptools"), ("--no-wheel", "wheel"))


def pip_install_arguments(argv):
    """The ``pip install`` arguments for get-pip.py style ``argv`` (pure)."""
    args = list(argv)
    for flag, package in _FLAG_PACKAGES:
        if flag in args:
            args = [arg for arg in args if arg != flag]
        else:
            args.append(package)
    return ["install", "--upgrade", "--force-reinstall"] + args


def _find_site_packages(root):
    for directory, subdirs, files in os.walk(root):
        if "pip" in subdirs and os.path.isfile(os.path.join(directory, "pip", "__init__.py")):
            return directory
    raise RuntimeError("ensurepip did not install pip under %s" % root)


def main(argv):
    staging = tempfile.mkdtemp(prefix="stateful-nfs-get-pip-")
    try:
        # `python -m ensurepip` (its command line is the public interface) runs in
        # a child process, so its own PIP_* clean-up does not leak into the
        # second step, which must honour the user's pip settings (index,
        # certificates, PIP_BREAK_SYSTEM_PACKAGES from ansible-test, ...).
        staged = subprocess.run(
            [sys.executable, "-m", "ensurepip", "--root", staging],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            universal_newlines=True,
            check=False,
        )
        if staged.returncode != 0:
            sys.stderr.write(staged.stdout)
            sys.stderr.write("ensurepip failed (rc %d): the Python at %s has no usable ensurepip\n"
                             % (staged.returncode, sys.executable))
            return staged.returncode
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [_find_site_packages(staging)] + [p for p in [env.get("PYTHONPATH")] if p]
        )
        command = [sys.executable, "-m", "pip"] + pip_install_arguments(argv)
        return subprocess.call(command, env=env)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
