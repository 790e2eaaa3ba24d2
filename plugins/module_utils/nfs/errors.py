# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The exceptions of the NFS area, and ``fail``, the one way the export validators refuse a field.

A module hands off to this package and has one exception handler: ``NfsError``, whose message is
the module's ``msg`` and whose ``result`` holds the return values that go with the failure.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError


class NfsError(Exception):
    """A refusal or failure of the NFS area; ``result`` holds the return values that go with it."""

    def __init__(self, msg, **result):
        super(NfsError, self).__init__(msg)
        self.result = result


class ExportError(NfsError, PlanError):
    """Invalid export input; the message names the export and the field."""


class ProbeError(NfsError, ValueError):
    """Invalid probe input, or a probe that failed; the message names the field or the exports."""


class GaneshaError(NfsError):
    """An NFS-Ganesha instance did not start, stop or reload as asked; the message says how it ended."""


def fail(where, field, msg):
    """Refuse ``field`` of ``where`` (an export, or a variable) with ``msg``."""
    raise ExportError("%s: %s: %s" % (where, field, msg))
