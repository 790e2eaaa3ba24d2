# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one base class of the collection's refusals of bad input.

Every domain error (``SpecError`` of the manifests, ``ExportError`` of the NFS exports, ...) derives
from ``PlanError``: its message starts with the field (or role variable) it refuses, and raising it
means nothing was changed. The plan actions (``plugin_utils/plan_action.py``) catch this one class. It
lives in module_utils, not plugin_utils, because modules that run on the target raise the same errors.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class PlanError(ValueError):
    """Bad input, refused before anything is changed; the message names the field."""
