# -*- coding: utf-8 -*-
"""Fixtures shared by the integration tests: the lab, running playbooks, its kubectl and its exports.
The helpers behind them are in tests/integration/helpers/.

Integration tests run against the real lab (roles/lab): a control plane built from
the upstream Kubernetes Go modules, KWOK nodes and CoreDNS on loopback. Under CI
(CI=true) or with STATEFUL_NFS_LAB_RESET=1 the session starts from a clean cluster
(etcd wiped) and takes the lab down at the end; otherwise a running lab is reused.
"""

from __future__ import annotations

import json
import os

import pytest

# The helpers' asserts report as the tests' own do (registered before the helpers are imported).
pytest.register_assert_rewrite("ansible_collections.stateful.nfs.tests.integration.helpers")

from ansible_collections.stateful.nfs.tests.integration.helpers.ansible_runs import (  # noqa: E402
    HELPERS,
    LOCAL_INVENTORY,
    run,
    run_playbook,
)
from ansible_collections.stateful.nfs.tests.integration.helpers.kube import LAB_STATE_DIR, Kube, Lab, truthy  # noqa: E402
from ansible_collections.stateful.nfs.tests.integration.helpers.nfs import OwnNfs  # noqa: E402


@pytest.fixture(scope="session")
def lab():
    """The lab, up and healthy (built on first use; a warm start takes seconds)."""
    ci = truthy(os.environ.get("CI", ""))
    reset = truthy(os.environ.get("STATEFUL_NFS_LAB_RESET", "1" if ci else "0"))
    result = run_playbook("playbooks/lab_up.yml", extra_vars={"lab_reset": reset})
    if result.rc != 0:
        pytest.fail("lab_up.yml failed (rc %d):\n%s" % (result.rc, result.tail()))
    yield Lab(state_dir=LAB_STATE_DIR)
    if ci:
        run_playbook("playbooks/lab_down.yml")


@pytest.fixture(scope="session")
def playbook():
    """``run_playbook`` as a fixture."""
    return run_playbook


@pytest.fixture(scope="session")
def kube(lab):
    """A kubectl reader for the lab (helpers.kube.Kube)."""
    return Kube(lab.kubectl_path, lab.kubeconfig)


@pytest.fixture(scope="session")
def lab_exports(lab, playbook, tmp_path_factory):
    """The lab's nfs_server_exported facts (the nfs_server role run on the lab inventory)."""
    path = tmp_path_factory.mktemp("exports") / "exports.json"
    outcome = run(playbook, HELPERS + "/exports.yml", {"it_exports_file": str(path)}, inventory=LOCAL_INVENTORY,
                  tags=["it-k8s-facts-only"])
    assert outcome.rc == 0, str(outcome)
    with open(str(path)) as stream:
        exports = json.load(stream)
    assert len(exports) >= 4, exports
    return exports[:4]


@pytest.fixture
def own_nfs(lab, playbook, tmp_path_factory):
    """An inventory whose NFS server is an NFS-Ganesha of the test's own (helpers.nfs.OwnNfs), stopped at
    the end of the test when it was started."""
    server = OwnNfs(str(tmp_path_factory.mktemp("own-nfs")), playbook)
    try:
        yield server
    finally:
        if os.path.exists(server.daemon["pid_file"]):
            server.stop()
