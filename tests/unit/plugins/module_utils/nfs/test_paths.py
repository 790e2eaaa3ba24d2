# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs/paths.py (the refusals: test_exports.py, through validate_exports)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.paths import validate_path


def test_validate_path_accepts_ordinary_directories():
    assert validate_path("/srv/nfs-data/v1", "e") == "/srv/nfs-data/v1"
