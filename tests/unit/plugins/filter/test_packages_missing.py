# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The packages_missing filter on dpkg-query output as the NFS roles ask for it
(``--showformat='${Package} ${db:Status-Status}\\n'``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.stateful.nfs.plugins.filter.packages_missing import (
    FilterModule,
    installed_packages,
    packages_missing,
)

# Recorded on this machine: every package installed, one package dpkg does not know (rc 1, so no line).
ALL_INSTALLED = "libnfs-utils installed\nnfs-common installed\nnfs-ganesha installed\n"


def test_nothing_missing_when_everything_is_installed():
    assert packages_missing(ALL_INSTALLED, ["nfs-ganesha", "libnfs-utils"]) == []


def test_a_package_dpkg_does_not_know_is_missing():
    assert packages_missing(ALL_INSTALLED, ["nfs-ganesha", "nfs-ganesha-vfs"]) == ["nfs-ganesha-vfs"]


def test_empty_output_means_all_missing_in_the_order_asked_without_repeats():
    assert packages_missing("", ["b", "a", "b"]) == ["b", "a"]


@pytest.mark.parametrize("status", ["not-installed", "config-files", "half-installed", "unpacked",
                                    "half-configured", "triggers-awaited", "triggers-pending"])
def test_any_state_but_installed_is_missing(status):
    output = "nfs-common %s\nlibnfs-utils installed\n" % status
    assert packages_missing(output, ["nfs-common", "libnfs-utils"]) == ["nfs-common"]


def test_multiarch_lines_count_as_installed_when_one_architecture_is():
    output = "libc6 not-installed\nlibc6 installed\n"
    assert packages_missing(output, ["libc6", "libc6:amd64"]) == []


def test_output_of_a_terminal_with_carriage_returns_is_read():
    # os_packages runs dpkg-query with ansible.builtin.raw, which gives the command a terminal over SSH
    output = "libnfs-utils installed\r\nnfs-common not-installed\r\n"
    assert packages_missing(output, ["nfs-common", "libnfs-utils"]) == ["nfs-common"]


def test_blank_lines_are_ignored():
    assert installed_packages("\n  \nnfs-common installed\n\n") == {"nfs-common"}


@pytest.mark.parametrize("output", ["nfs-common", "ii  nfs-common 1:2.6.2-4 amd64", "nfs-common install ok installed"])
def test_output_in_another_format_is_refused(output):
    with pytest.raises(AnsibleFilterError, match="is not a 'package status' line of dpkg-query"):
        packages_missing(output, ["nfs-common"])


@pytest.mark.parametrize("wanted", ["nfs-common", None, {"nfs-common": 1}])
def test_wanted_must_be_a_list(wanted):
    with pytest.raises(AnsibleFilterError, match="must be a list of names"):
        packages_missing(ALL_INSTALLED, wanted)


@pytest.mark.parametrize("name", ["", "  ", 3, None])
def test_every_wanted_name_must_be_a_name(name):
    with pytest.raises(AnsibleFilterError, match="is not a package name"):
        packages_missing(ALL_INSTALLED, ["nfs-common", name])


def test_registered_under_its_name():
    assert FilterModule().filters()["packages_missing"] is packages_missing
