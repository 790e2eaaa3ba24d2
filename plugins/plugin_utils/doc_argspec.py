# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The argument spec of a plan action, read from its doc-only stub module's DOCUMENTATION.

Each option of a plan action is declared once, in ``plugins/modules/<action>.py`` (what ``ansible-doc``
shows, with its doc fragments merged the way ``ansible-doc`` merges them); the action validates the
task's arguments against the spec derived from it. The shape follows ansible.utils' ``fact_diff``
action and its ``argspec_validate`` (``schema_format="doc"``), without depending on that collection.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import yaml
from ansible.plugins.loader import fragment_loader
from ansible.utils.plugin_docs import add_fragments

# The keys of a documented option that are also keys of an AnsibleModule argument spec.
ARGSPEC_KEYS = ("type", "elements", "default", "choices", "required", "aliases", "no_log")


def options_argspec(options):
    """Documented ``options`` (``suboptions`` nested) as an argument spec (``options`` nested)."""
    spec = {}
    for name, documented in (options or {}).items():
        entry = dict((key, documented[key]) for key in ARGSPEC_KEYS if key in documented)
        if documented.get("suboptions"):
            entry["options"] = options_argspec(documented["suboptions"])
        spec[name] = entry
    return spec


def documented_argspec(documentation, source):
    """The argument spec of the module whose DOCUMENTATION string is ``documentation``.

    ``source`` (the module's file name) only appears in messages about its doc fragments.
    """
    doc = yaml.safe_load(documentation)
    add_fragments(doc, source, fragment_loader=fragment_loader, is_module=True)
    return options_argspec(doc.get("options"))
