# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the module_utils tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os

import pytest

SYNTHETIC = os.path.join(os.path.dirname(__file__), "fixtures", "statefulset", "tutorial-synthetic.json")


@pytest.fixture
def shot():
    """A fresh copy of the synthetic tutorial snapshot (StatefulSet, pods, claims, events...)."""
    with open(SYNTHETIC) as stream:
        return copy.deepcopy(json.load(stream))
