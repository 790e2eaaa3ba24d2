# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether a running lab already is what its inputs describe (the rules behind ``lab_status``).
Pure functions: the module reads pid files, ``/proc``, files, health endpoints and the API, and
these decide.

The lab role asks once, at the start of ``lab_state=present``: when every process runs with the
arguments it would be started with, every file it would write has the content it would write,
every object it would apply is in the cluster as it would apply it, and the health checks it would
wait for already pass, there is nothing to do and the role skips its converge steps. Anything else
is a *problem*, a sentence naming what is wrong, and the role converges (doing, as before, only
what differs).

An object is as the role would apply it when every field the role sets has that value in the live
object (``contains``): the API server adds defaults and other managers add fields, which server-side
apply leaves alone too. Lists of scalars (a node's ``podCIDRs``, a rule's ``verbs``) must be equal;
each mapping of a list of mappings (ports, tolerations, subjects) must be contained in its own live
item, in order (admission adds tolerations after the role's).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.common.errors import PlanError
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.objects import is_ready

# The kinds the lab applies: (API group path, plural). A namespaced object names its namespace.
KINDS = {
    ("v1", "Node"): ("/api/v1", "nodes"),
    ("v1", "Pod"): ("/api/v1", "pods"),
    ("v1", "Service"): ("/api/v1", "services"),
    ("v1", "ServiceAccount"): ("/api/v1", "serviceaccounts"),
    ("v1", "ConfigMap"): ("/api/v1", "configmaps"),
    ("v1", "Namespace"): ("/api/v1", "namespaces"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"): ("/apis/rbac.authorization.k8s.io/v1", "clusterroles"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): ("/apis/rbac.authorization.k8s.io/v1",
                                                             "clusterrolebindings"),
    ("rbac.authorization.k8s.io/v1", "Role"): ("/apis/rbac.authorization.k8s.io/v1", "roles"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"): ("/apis/rbac.authorization.k8s.io/v1", "rolebindings"),
}
# Kinds whose objects the lab waits for until their Ready condition is True.
READY_KINDS = ("Node", "Pod")


class LabStatusError(PlanError):
    """An option of ``lab_status`` that cannot be checked; the message names it."""


def _scalar(value):
    return not isinstance(value, (dict, list))


def contains(wanted, live, path=""):
    """None when ``live`` holds every field of ``wanted`` with the same value, else the first
    difference as ``"<path>: wanted <w>, found <l>"`` (``<path>`` dotted, list items ``[i]``)."""
    where = path or "the object"
    if isinstance(wanted, dict):
        if not isinstance(live, dict):
            return "%s: wanted a mapping, found %r" % (where, live)
        for key in wanted:
            sub = "%s.%s" % (path, key) if path else str(key)
            if key not in live:
                if wanted[key] in (None, [], {}):  # the API server leaves empty fields out
                    continue
                return "%s: wanted %r, missing" % (sub, wanted[key])
            difference = contains(wanted[key], live[key], sub)
            if difference:
                return difference
        return None
    if isinstance(wanted, list):
        if not isinstance(live, list):
            return "%s: wanted a list, found %r" % (where, live)
        if all(_scalar(item) for item in wanted):
            return None if wanted == live else "%s: wanted %r, found %r" % (where, wanted, live)
        position = 0
        for index, item in enumerate(wanted):
            while position < len(live) and contains(item, live[position]) is not None:
                position += 1
            if position == len(live):
                return "%s[%d]: wanted %r, not found" % (where, index, item)
            position += 1
        return None
    if wanted != live:
        return "%s: wanted %r, found %r" % (where, wanted, live)
    return None


def describe(obj):
    """``Kind namespace/name`` (or ``Kind name``) of an object, for messages."""
    meta = obj.get("metadata") or {}
    name = meta.get("name")
    return "%s %s" % (obj.get("kind"), "%s/%s" % (meta["namespace"], name) if meta.get("namespace") else name)


def api_path(obj, where="objects"):
    """The API path of ``obj`` (a manifest: apiVersion, kind, metadata.name, metadata.namespace)."""
    if not isinstance(obj, dict):
        raise LabStatusError("%s: must be a mapping (a Kubernetes object), got %r" % (where, obj))
    key = (obj.get("apiVersion"), obj.get("kind"))
    if key not in KINDS:
        raise LabStatusError("%s: apiVersion %r kind %r is not one lab_status reads (%s)"
                             % (where, key[0], key[1], ", ".join(sorted(kind for _v, kind in KINDS))))
    meta = obj.get("metadata") or {}
    if not meta.get("name"):
        raise LabStatusError("%s.metadata.name: required" % where)
    prefix, plural = KINDS[key]
    if meta.get("namespace"):
        return "%s/namespaces/%s/%s/%s" % (prefix, meta["namespace"], plural, meta["name"])
    return "%s/%s/%s" % (prefix, plural, meta["name"])


def object_problem(wanted, live):
    """What is wrong with the live object ``live`` (None: not there) for the manifest ``wanted``;
    None when nothing is."""
    if live is None:
        return "%s: missing" % describe(wanted)
    difference = contains(wanted, live)
    if difference:
        return "%s differs: %s" % (describe(wanted), difference)
    if wanted.get("kind") in READY_KINDS and not is_ready(live):
        return "%s: not Ready" % describe(wanted)
    return None


def process_problem(name, running, recorded_args, wanted_args):
    """What is wrong with a lab process: not running, or running with other arguments than it would
    be started with now (``recorded_args``: what its args file holds, None when there is none)."""
    if not running:
        return "%s: not running" % name
    if recorded_args is None:
        return "%s: no record of the arguments it runs with" % name
    if recorded_args.strip() != wanted_args.strip():
        return "%s: runs with other arguments, configuration or certificates than it would be started with" % name
    return None


def file_problem(path, checksum, wanted):
    """What is wrong with a file the role writes (``checksum``: SHA-1 of its content, None when absent)."""
    if checksum is None:
        return "%s: missing" % path
    if checksum != wanted:
        return "%s: content differs from what the role writes" % path
    return None


def directory_problem(path, mode, wanted_mode):
    """What is wrong with a directory (``mode``: its permission bits, None when it is not a directory);
    ``wanted_mode`` an octal string such as ``"0700"``."""
    if mode is None:
        return "%s: not a directory" % path
    if wanted_mode and mode != int(wanted_mode, 8):
        return "%s: mode %04o, wanted %s" % (path, mode, wanted_mode)
    return None


def link_problem(path, target, wanted):
    """What is wrong with a symbolic link (``target``: what it points at, None when it is no link)."""
    if target is None:
        return "%s: not a symbolic link" % path
    if target != wanted:
        return "%s: points at %s, wanted %s" % (path, target, wanted)
    return None


def summary(sections):
    """The module's result from ``sections`` (name -> list of problems, None entries dropped):
    every section's problems, ``problems`` all of them in order, ``converged`` when there are none."""
    result = dict((name, [p for p in problems if p]) for name, problems in sections)
    result["problems"] = [p for name, _problems in sections for p in result[name]]
    result["converged"] = not result["problems"]
    return result
