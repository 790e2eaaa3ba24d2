# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The argument spec of a plan action, read from its doc-only stub module's DOCUMENTATION.

Each option of a plan action is declared once, in ``plugins/modules/<action>.py`` (what ``ansible-doc``
shows, with the options of its doc fragments added); the action validates the task's arguments against
the spec derived from it. The shape follows ansible.utils' ``fact_diff`` action and its
``argspec_validate`` (``schema_format="doc"``), without depending on that collection.

Doc fragments are imported by their Python module name (``ns.coll.name`` ->
``ansible_collections.ns.coll.plugins.doc_fragments.name``, ``ansible.builtin.name`` ->
``ansible.plugins.doc_fragments.name``; a ``.var`` suffix picks another variable than DOCUMENTATION),
so the spec does not depend on the state of Ansible's plugin loaders.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib

import yaml

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


def _fragment(name):
    """The parsed YAML of the doc fragment ``name`` (``ns.coll.fragment[.var]``)."""
    parts = name.strip().split(".")
    if len(parts) >= 3 and parts[:2] != ["ansible", "builtin"]:
        package, rest = "ansible_collections.%s.%s.plugins.doc_fragments" % (parts[0], parts[1]), parts[2:]
    else:
        package, rest = "ansible.plugins.doc_fragments", parts[2:] if parts[:2] == ["ansible", "builtin"] else parts
    variable = rest[1].upper() if len(rest) > 1 else "DOCUMENTATION"
    module = importlib.import_module("%s.%s" % (package, rest[0]))
    return yaml.safe_load(getattr(module.ModuleDocFragment, variable)) or {}


def documented_options(documentation):
    """The options of a module's DOCUMENTATION with those of its doc fragments (the module's own win)."""
    doc = yaml.safe_load(documentation) or {}
    fragments = doc.get("extends_documentation_fragment") or []
    if isinstance(fragments, str):
        fragments = fragments.split(",")
    options = {}
    for name in fragments:
        options.update(_fragment(name).get("options") or {})
    options.update(doc.get("options") or {})
    return options


def documented_argspec(documentation):
    """The argument spec of the module whose DOCUMENTATION string is ``documentation``."""
    return options_argspec(documented_options(documentation))
