# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Argument rules that Ansible's own validation does not apply (pure, no I/O).

Ansible's ``list`` type turns a string into a list: ``"a,b"`` becomes ``["a", "b"]`` and ``"a"``
becomes ``["a"]``, silently. For this collection's options that is never what the user meant (a
capacity list, container arguments, the checks to run, exports), and the roles mean to refuse it, so
every list option refuses a string before Ansible's validation sees it: the plan actions on the raw
task arguments, the modules on their raw parameters. Messages name the option with the caller's
prefix (the roles pass their variable prefix) and the value's plain type name, never an internal
class such as a tagged string.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six import string_types

_TYPE_NAMES = ((bool, "bool"), (string_types, "str"), (int, "int"), (float, "float"), (dict, "dict"),
               ((list, tuple), "list"))


class StringForList(ValueError):
    """A list option was given a string; the message names every such option."""


def type_name(value):
    """The plain type name of ``value`` (``str`` for a tagged or unicode string, ``dict``, ...)."""
    if value is None:
        return "null"
    for types, name in _TYPE_NAMES:
        if isinstance(value, types):
            return name
    return type(value).__name__.lstrip("_")


def _given(params, name, spec):
    for key in [name] + list(spec.get("aliases") or []):
        if key in params:
            return True, params[key]
    return False, None


def strings_for_lists(argument_spec, params, prefix=""):
    """Messages, one per list option of ``argument_spec`` that ``params`` gives as a string.

    Suboptions are followed into dict values and into the dict elements of lists, with their path
    (``exports[1].clients``).
    """
    problems = []
    if not isinstance(params, dict):
        return problems
    for name, spec in argument_spec.items():
        present, value = _given(params, name, spec)
        if not present or value is None:
            continue
        field = prefix + name
        if spec.get("type") == "list" and isinstance(value, string_types):
            problems.append("%s: must be a list, got the string %r (a string is not split into a list)"
                            % (field, value))
            continue
        suboptions = spec.get("options")
        if not suboptions:
            continue
        if isinstance(value, dict):
            problems.extend(strings_for_lists(suboptions, value, field + "."))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                problems.extend(strings_for_lists(suboptions, item, "%s[%d]." % (field, index)))
    return problems


def refuse_strings_for_lists(argument_spec, params, prefix=""):
    """Raise ``StringForList`` naming every list option given a string."""
    problems = strings_for_lists(argument_spec, params, prefix)
    if problems:
        raise StringForList("; ".join(problems))


def fail_on_strings_for_lists(argument_spec):
    """In a module, before it is constructed: fail, changing nothing, when the task gave a string for a
    list option.

    It must come first: AnsibleModule converts the string (or fails on it with a message that does not
    name the option). To fail cleanly, a module that accepts every option as it is reports the refusal.
    """
    from ansible.module_utils.basic import AnsibleModule, _load_params

    problems = strings_for_lists(argument_spec, _load_params())
    if problems:
        accept_all = dict((name, dict(type="raw", aliases=spec.get("aliases") or [], no_log=spec.get("no_log", False)))
                          for name, spec in argument_spec.items())
        AnsibleModule(argument_spec=accept_all, supports_check_mode=True).fail_json(
            msg="%s. Nothing was changed" % "; ".join(problems))
