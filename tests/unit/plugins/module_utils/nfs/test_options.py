# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/nfs/options.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.nfs.options import (
    ganesha_client_settings,
    normalise_options,
)


def test_aliases_are_rewritten_and_order_is_canonical():
    options = normalise_options(["no_auth_nlm", "rw", "mp=/srv", "fsid=root", "async"], "e", "f", "kernel")
    assert options == ["rw", "async", "root_squash", "no_subtree_check", "insecure_locks", "mountpoint=/srv",
                       "fsid=0"]


def test_ganesha_defaults_match_kernel_semantics():
    settings = ganesha_client_settings(["ro", "sync", "root_squash", "no_subtree_check"])
    assert settings == {"access_type": "RO", "squash": "root_squash", "anonymous_uid": 65534,
                        "anonymous_gid": 65534, "sectype": ["sys"], "privileged_port": True}
