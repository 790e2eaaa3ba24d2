# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module_defaults groups of meta/runtime.yml.

``group/stateful.nfs.k8s`` must hold every module of the collection that takes kubernetes.core's auth
options (found on disk, so a new one cannot be forgotten) and extend kubernetes.core's ``k8s`` group;
``group/stateful.nfs.role_k8s`` is the same set for the roles. Real ``ansible-playbook`` runs against
localhost then prove that the defaults reach the modules: each run fails before any connection, on a
kubeconfig or a context that only module_defaults named, and the message says which one. HOME is a
temporary directory and no K8S_AUTH_* or KUBECONFIG variable is passed, so nothing else can supply a
configuration and no cluster is ever contacted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import glob
import os
import subprocess
import sys

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AUTH_FRAGMENT = "kubernetes.core.k8s_auth_options"
GROUP, ROLE_GROUP = "stateful.nfs.k8s", "stateful.nfs.role_k8s"


def _runtime():
    with open(os.path.join(REPO, "meta", "runtime.yml")) as stream:
        return yaml.safe_load(stream)


def _documentation(path):
    with open(path) as stream:
        tree = ast.parse(stream.read(), path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DOCUMENTATION" for t in node.targets):
            return yaml.safe_load(node.value.value), ast.unparse(tree)
    raise AssertionError("%s has no DOCUMENTATION" % path)


def kubernetes_modules(root=REPO):
    """``{name: documentation}`` of the modules that take kubernetes.core's auth options: their
    documentation extends its fragment, or their code uses its AUTH_ARG_SPEC."""
    found = {}
    for path in sorted(glob.glob(os.path.join(root, "plugins", "modules", "*.py"))):
        doc, code = _documentation(path)
        fragments = doc.get("extends_documentation_fragment") or []
        if AUTH_FRAGMENT in fragments or "AUTH_ARG_SPEC" in code:
            found[doc["module"]] = doc
    return found


def _group(name):
    entries = _runtime()["action_groups"][name]
    members = [e for e in entries if isinstance(e, str)]
    extends = [g for e in entries if isinstance(e, dict) for g in e["metadata"].get("extend_group", [])]
    return members, extends


def test_discovery_finds_the_validator_and_not_the_plan_modules():
    found = kubernetes_modules()
    assert "statefulset_validate" in found
    assert "statefulset_manifest" not in found and "nfs_pv_manifest" not in found


def test_every_module_with_kubernetes_auth_options_is_in_the_group():
    members, extends = _group("k8s")
    assert sorted(members) == sorted(kubernetes_modules()), (
        "meta/runtime.yml action_groups.k8s must list exactly the modules that take kubernetes.core's auth options")
    assert extends == ["kubernetes.core.k8s"]


def test_the_roles_group_is_the_same_set():
    members, extends = _group("role_k8s")
    assert members == [] and extends == ["k8s"]


@pytest.mark.parametrize("name", sorted(kubernetes_modules()))
def test_the_module_documents_its_groups(name):
    attribute = kubernetes_modules()[name].get("attributes", {}).get("action_group")
    assert attribute and attribute["support"] == "full", "%s: document attributes.action_group" % name
    assert attribute["membership"] == [GROUP, ROLE_GROUP]


# --------------------------------------------------------------------------- real runs

KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
  - name: unit
    cluster: {server: "https://127.0.0.1:1"}
contexts:
  - name: unit
    context: {cluster: unit, user: unit}
current-context: unit
users:
  - name: unit
    user: {token: unit}
"""


def _play(tasks, module_defaults=None):
    play = {"hosts": "localhost", "gather_facts": False, "tasks": tasks}
    if module_defaults:
        play["module_defaults"] = module_defaults
    return [play]


def run_playbook(tmp_path, collections_root, play, *extra):
    """``ansible-playbook`` on localhost with an empty HOME and no Kubernetes variables; ``(rc, output)``."""
    (tmp_path / "ansible.cfg").write_text(u"[defaults]\nretry_files_enabled = false\n")
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play, sort_keys=False))
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("K8S_AUTH_", "KUBECONFIG", "ANSIBLE_")))
    env.update(HOME=str(tmp_path), ANSIBLE_CONFIG=str(tmp_path / "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_COLLECTIONS_PATH=collections_root)
    env.pop("KUBERNETES_SERVICE_HOST", None)
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local",
         "-e", "ansible_python_interpreter=%s" % sys.executable, "play.yml"] + list(extra),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, env=env, cwd=str(tmp_path),
        timeout=120, check=False)
    return proc.returncode, proc.stdout


VALIDATE = {"name": "validate", "stateful.nfs.statefulset_validate": {"name": "myapp", "checks": ["order"]}}


def test_group_defaults_reach_statefulset_validate(tmp_path, collections_root):
    (tmp_path / "kubeconfig").write_text(KUBECONFIG)
    defaults = {"group/%s" % GROUP: {"kubeconfig": str(tmp_path / "kubeconfig"), "context": "from-module-defaults"}}
    rc, out = run_playbook(tmp_path, collections_root, _play([VALIDATE], defaults))
    assert rc == 2, out
    assert "Expected object with name from-module-defaults in" in out, out

    rc, out = run_playbook(tmp_path, collections_root, _play([VALIDATE]))
    assert rc == 2 and "from-module-defaults" not in out, out
    assert "No configuration found" in out, out


def test_a_kubeconfig_that_does_not_exist_is_named_as_the_option(tmp_path, collections_root):
    # the module masks the value (kubeconfig is no_log in kubernetes.core's spec): the option is named
    defaults = {"group/%s" % GROUP: {"kubeconfig": str(tmp_path / "absent" / "kubeconfig")}}
    rc, out = run_playbook(tmp_path, collections_root, _play([VALIDATE], defaults))
    assert rc == 2 and '"msg": "kubeconfig: no such file: ' in out, out


def test_group_defaults_reach_kubernetes_core_modules(tmp_path, collections_root):
    info = {"name": "info", "kubernetes.core.k8s_info": {"kind": "Pod"}}
    defaults = {"group/%s" % GROUP: {"kubeconfig": "/nonexistent/from-module-defaults.kubeconfig"}}
    rc, out = run_playbook(tmp_path, collections_root, _play([info], defaults))
    assert rc == 2 and "'/nonexistent/from-module-defaults.kubeconfig'" in out, out


ROLE_CASES = {
    # the role's first cluster task: nfs_volumes lists and applies the volumes (nfs_pv_apply), statefulset with
    # state=absent deletes (k8s); the tasks before it only render, so the run fails there
    "nfs_volumes": {"nfs_volumes_list": [{"server": "nfs.example.test", "path": "/nfs-data/v1"}]},
    "statefulset": {"statefulset_state": "absent"},
}


@pytest.mark.parametrize("role", sorted(ROLE_CASES))
@pytest.mark.parametrize("play_level,role_level,expected", [
    (None, "/nonexistent/role.kubeconfig", "/nonexistent/role.kubeconfig"),
    ("/nonexistent/play.kubeconfig", None, "/nonexistent/play.kubeconfig"),
    ("/nonexistent/play.kubeconfig", "/nonexistent/role.kubeconfig", "/nonexistent/role.kubeconfig"),
], ids=["role-variable", "play-module-defaults", "role-variable-wins"])
def test_role_cluster_access(tmp_path, collections_root, role, play_level, role_level, expected):
    """The role's <role>_kubeconfig reaches its cluster tasks through module_defaults, and a play's
    module_defaults for group/stateful.nfs.k8s still does when the variable is unset."""
    role_vars = dict(ROLE_CASES[role])
    if role_level:
        role_vars["%s_kubeconfig" % role] = role_level
    task = {"name": "role", "ansible.builtin.include_role": {"name": "stateful.nfs.%s" % role}, "vars": role_vars}
    defaults = {"group/%s" % GROUP: {"kubeconfig": play_level}} if play_level else None
    rc, out = run_playbook(tmp_path, collections_root, _play([task], defaults))
    assert rc == 2, out
    assert "Could not find or access '%s' on the Ansible Controller" % expected in out, out
