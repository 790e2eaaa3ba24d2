# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for tests/sanity/get_pip_offline.py (the offline get-pip stand-in)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.tests.sanity.get_pip_offline import (
    _find_site_packages,
    pip_install_arguments,
)


@pytest.mark.parametrize("argv, expected", [
    # what ansible-test 2.19 passes (requirements.py bootstrap())
    (["--disable-pip-version-check", "pip==24.2", "--no-setuptools", "--no-wheel"],
     ["install", "--upgrade", "--force-reinstall", "--disable-pip-version-check", "pip==24.2"]),
    # get-pip.py semantics: without the flags, setuptools and wheel come along
    (["pip==24.2"], ["install", "--upgrade", "--force-reinstall", "pip==24.2", "setuptools", "wheel"]),
    (["pip==24.2", "--no-wheel"], ["install", "--upgrade", "--force-reinstall", "pip==24.2", "setuptools"]),
    (["--no-setuptools", "pip==25.0"], ["install", "--upgrade", "--force-reinstall", "pip==25.0", "wheel"]),
])
def test_pip_install_arguments(argv, expected):
    assert pip_install_arguments(argv) == expected


def test_pip_install_arguments_does_not_change_its_input():
    argv = ["pip==24.2", "--no-setuptools", "--no-wheel"]
    pip_install_arguments(argv)
    assert argv == ["pip==24.2", "--no-setuptools", "--no-wheel"]


def test_find_site_packages(tmp_path):
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    (site / "pip").mkdir(parents=True)
    (site / "pip" / "__init__.py").write_text(u"")
    (tmp_path / "venv" / "bin").mkdir()
    assert _find_site_packages(str(tmp_path)) == str(site)


def test_find_site_packages_without_pip(tmp_path):
    (tmp_path / "lib" / "pip").mkdir(parents=True)  # a directory named pip, not the package
    with pytest.raises(RuntimeError, match="ensurepip did not install pip under"):
        _find_site_packages(str(tmp_path))
