# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``stateful.nfs.packages_missing`` filter (documented in packages_missing.yml).

Which of the wanted packages ``dpkg-query`` does not report as installed. The NFS roles ask
``dpkg-query`` first and call the apt module only for a non-empty answer: the apt module opens
the whole apt cache (about 2 s here), even when every package is installed.
Pure function over the command's output; no I/O.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.six import string_types


def installed_packages(output):
    """Names dpkg-query reports with status ``installed``, from ``${Package} ${db:Status-Status}`` lines."""
    installed = set()
    for line in to_text(output).splitlines():
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2:
            raise AnsibleFilterError("packages_missing: %r is not a 'package status' line of dpkg-query" % line)
        if fields[1] == "installed":
            installed.add(fields[0])
    return installed


def packages_missing(output, wanted):
    """The names of ``wanted`` (in their order, without repeats) that ``output`` does not list as installed.

    A name with an architecture (``libfoo:amd64``) is compared by its package name, as
    ``${Package}`` prints it.
    """
    if isinstance(wanted, string_types) or not isinstance(wanted, (list, tuple)):
        raise AnsibleFilterError("packages_missing: the wanted packages must be a list of names, got %r" % (wanted,))
    installed = installed_packages(output)
    missing = []
    for name in wanted:
        if not isinstance(name, string_types) or not name.strip():
            raise AnsibleFilterError("packages_missing: %r is not a package name" % (name,))
        if name.split(":", 1)[0] not in installed and name not in missing:
            missing.append(name)
    return missing


class FilterModule(object):
    def filters(self):
        return {"packages_missing": packages_missing}
