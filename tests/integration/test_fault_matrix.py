# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault and bad-input matrix (issue 7) on the lab: each fault is caused for real, the
roles, playbooks and the validator must say what is wrong (naming the pod, export or field),
and nothing may be lost. docs/fault-matrix.md lists every row with the test that covers it,
including the rows covered elsewhere (tests/integration/test_k8s_roles.py, the NFS Molecule
scenarios, tests/integration/test_statefulset_validate.py).

Each test works in its own namespace ``it-fault-<case>-<random>`` with its own volume set, PV
names and storage class (FaultStack in helpers/stacks.py), and removes them. The NFS fault
uses an NFS-Ganesha of its own (the fixture own_nfs, OwnNfs in helpers/nfs.py: its own port,
configuration, pid file and exports under a temporary directory, started and stopped by the nfs_server
role's mechanism), so the lab's shared server on 127.0.0.1:2049 is never stopped. The "API server unreachable" fault points a
copy of the lab's kubeconfig at a closed loopback port; the lab itself is never touched.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import uuid

import pytest

from ansible_collections.stateful.nfs.tests.integration.helpers.ansible_runs import LOCAL_INVENTORY, ok, refused, run, run_module
from ansible_collections.stateful.nfs.tests.integration.helpers.nfs import host_state, lab_ganesha_pid, listening
from ansible_collections.stateful.nfs.tests.integration.helpers.stacks import (
    UNSET,
    FaultStack,
    StackMaker,
    assert_markers_through_claims,
    claim,
    ready_pods,
    uids,
    vct,
    wait_gone,
    write_markers,
)
from ansible_collections.stateful.nfs.tests.integration.helpers.validate import NEVER_READY, validate

pytestmark = pytest.mark.lab

NFS_CLIENT_PLAYBOOK = "tests/integration/fault_matrix/nfs_client.yml"
TRACEBACK = "Traceback (most recent call last)"


@pytest.fixture
def fault_stacks(lab, kube, playbook, lab_exports):
    """``make(case, exports=None, **kwargs)``: a FaultStack (on ``exports``, the lab's by default), removed
    at the end of the test."""
    made = StackMaker(lambda case, exports=None, **kwargs: FaultStack(
        lab, kube, playbook, lab_exports if exports is None else exports, case, **kwargs))
    yield made
    made.cleanup()


# =========================================================================== a pod that never becomes Ready
def test_never_ready_pod_halts_the_rollout_at_its_ordinal(lab, fault_stacks):
    """Scale 2 -> 4 with a canary template whose pods stay un-Ready: the role's wait fails naming
    myapp-2, the controller creates no myapp-3, myapp-0/1 and their data are untouched; after the
    template is fixed and the stuck pod deleted (Kubernetes' forced rollback) all four come up."""
    stack = fault_stacks("halt", replicas=2)
    ok(stack.deploy())
    markers = write_markers(stack, range(2))
    pods_before, binding_before = uids(stack.pods()), stack.binding()

    halted = stack.deploy(statefulset_replicas=4, statefulset_update_partition=2, statefulset_wait_timeout=15,
                          statefulset_pod_labels={"app": "myapp-pod", NEVER_READY: "true"})
    text = refused(halted, "did not complete within 15 s", "myapp-2 is not Ready")
    assert "kept un-Ready on purpose" in text
    assert sorted(stack.pods()) == ["myapp-0", "myapp-1", "myapp-2"], "a higher ordinal was created"
    assert claim(3) not in stack.claims()
    assert ready_pods(stack) == ["myapp-0", "myapp-1"]
    assert dict((n, u) for n, u in uids(stack.pods()).items() if n != "myapp-2") == pods_before
    assert dict((c, v) for c, v in stack.binding().items() if c != claim(2)) == binding_before

    verdict = validate(lab, name="myapp", namespace=stack.namespace, checks=["order", "completion"],
                       fail_on_violation=False)
    order = verdict["checks"]["order"]
    assert verdict["valid"] is False and order["status"] == "halted", order
    assert order["halted_at"]["pod"] == "myapp-2" and order["halted_at"]["higher_ordinals"] == []
    assert order["summary"].endswith("no higher ordinal was created")

    # Recovery: fix the template (no wait: the stuck pod blocks the controller), delete that pod.
    claim2_uid = stack.claims()[claim(2)]["metadata"]["uid"]
    ok(stack.deploy(statefulset_replicas=4, statefulset_wait=False))
    stack.kube.run("-n", stack.namespace, "delete", "pod", "myapp-2", "--wait=true")
    ok(stack.deploy(statefulset_replicas=4))
    assert ready_pods(stack) == ["myapp-0", "myapp-1", "myapp-2", "myapp-3"]
    assert stack.claims()[claim(2)]["metadata"]["uid"] == claim2_uid
    assert dict((c, v) for c, v in stack.binding().items() if c in binding_before) == binding_before
    assert_markers_through_claims(stack, markers)


# =========================================================================== NFS server stopped before verify
def test_nfs_server_stopped_before_verify_names_the_export(fault_stacks, own_nfs):
    """site.yml on an inventory with a Ganesha of the test's own; the server stops; the verify run
    (``--tags verify``) fails naming every export and the reason, the NFS clients' preflight names
    the node and the exports, PVs, claims and pods are untouched; site.yml brings the server back
    and every ordinal reads its data."""
    stack = fault_stacks("nfs")
    extra = stack.vars()
    del extra["nfs_volumes_exports"]  # site.yml takes them from the nfs_server role's facts
    lab_pid = lab_ganesha_pid()

    def site(**kwargs):
        return stack.runner("playbooks/site.yml", extra_vars=extra, inventory=own_nfs.inventory, **kwargs)

    first = site()
    assert first.rc == 0, first.tail(80)
    assert listening(own_nfs.port)
    pvs = stack.pvs()
    assert sorted(pv["spec"]["nfs"]["path"] for pv in pvs.values()) == [
        "%s/data/%s" % (own_nfs.root, n) for n in own_nfs.names]
    assert all("port=%d" % own_nfs.port in pv["spec"]["mountOptions"] for pv in pvs.values())
    markers = write_markers(stack, range(3))
    cluster, files = stack.snapshot(), own_nfs.tree()

    assert own_nfs.stop().changed() == 1
    assert not listening(own_nfs.port)

    # the server's own verification, then the nodes' preflight: each fails on its host, naming every export
    for tags, host in ((["verify"], "it-fault-nfs"), (["preflight"], "it-fault-node")):
        outcome = site(tags=tags)
        assert outcome.rc != 0, outcome.tail(80)
        failures = outcome.failures_by_host()
        assert list(failures) == [host], failures
        own_nfs.assert_every_export_named(failures[host])
        assert TRACEBACK not in outcome.output

    assert stack.snapshot() == cluster, "a failed verify changed the cluster"
    assert own_nfs.tree() == files, "a failed verify changed the server's files"
    assert lab_ganesha_pid() == lab_pid, "the lab's own NFS server was disturbed"

    again = site()
    assert again.rc == 0, again.tail(80)
    assert listening(own_nfs.port)
    assert stack.snapshot() == cluster
    assert_markers_through_claims(stack, markers)


# =========================================================================== API server unreachable
@pytest.fixture(scope="module")
def dead_kubeconfig(lab, tmp_path_factory):
    """The lab's kubeconfig with its server moved to a closed loopback port."""
    with open(lab.kubeconfig) as stream:
        text = stream.read()
    dead, count = re.subn(r"(?m)^(\s*server:\s*).*$", r"\g<1>https://127.0.0.1:1", text)
    assert count == 1, "expected one cluster in %s" % lab.kubeconfig
    path = tmp_path_factory.mktemp("it-fault-api") / "kubeconfig"
    path.write_text(dead)
    return str(path)


UNREACHABLE = [
    ("nfs_volumes", "tests/integration/k8s_roles/deploy.yml", {"it_deploy_statefulset": False}),
    ("statefulset", "tests/integration/k8s_roles/deploy.yml", {"it_deploy_volumes": False}),
    ("scale.yml", "playbooks/scale.yml", {"statefulset_replicas": 2}),
    ("reclaim.yml", "playbooks/reclaim.yml", {}),
    ("teardown.yml", "playbooks/teardown.yml", {"teardown_purge": True}),
    ("statefulset_validate", None, {}),
]


@pytest.mark.parametrize("entry, playbook_path, overrides", UNREACHABLE, ids=[u[0] for u in UNREACHABLE])
def test_unreachable_api_server_is_a_clean_error(request, lab, kube, playbook, lab_exports, dead_kubeconfig, tmp_path,
                                                 entry, playbook_path, overrides):
    stack = FaultStack(lab, kube, playbook, lab_exports, "api")
    request.addfinalizer(stack.cleanup)
    report = tmp_path / "report.xml"
    if playbook_path is None:
        rc, output = run_module({"_module": "stateful.nfs.statefulset_validate", "name": "myapp",
                                 "namespace": stack.namespace, "kubeconfig": dead_kubeconfig,
                                 "junit_path": str(report)})
        messages = output
    else:
        outcome = playbook(playbook_path, extra_vars=stack.vars(stateful_nfs_kubeconfig=dead_kubeconfig, **overrides))
        rc, output = outcome.rc, outcome.output
        messages = "\n".join(str(r.get("msg")) for p in outcome.plays for t in p["tasks"] for r in t["hosts"].values()
                             if r.get("failed"))
        assert outcome.failed() == 1
    assert rc != 0
    assert "host='127.0.0.1', port=1" in messages and "Connection refused" in messages, messages
    assert TRACEBACK not in output
    assert not report.exists()
    # nothing reached the real cluster under this test's names
    assert kube.get("namespace", stack.namespace) is None and stack.pvs() == {}


# =========================================================================== out-of-band deletions
def test_out_of_band_deletions_keep_every_ordinals_data(fault_stacks, kube):
    """Someone deletes the StatefulSet with kubectl; later the StatefulSet and all its claims. Re-running
    the roles gives every ordinal the same claim (first case) or, after the reclaim action, the same
    volume (second case), and its data. (The same through teardown.yml and the role's
    statefulset_delete_claims: test_k8s_roles.py.)"""
    stack = fault_stacks("oob")
    ok(stack.deploy())
    binding, claims_before = stack.binding(), uids(stack.claims())
    markers = write_markers(stack, range(3))

    kube.run("-n", stack.namespace, "delete", "statefulset", "myapp")
    wait_gone(stack)
    assert uids(stack.claims()) == claims_before
    ok(stack.deploy())
    assert ready_pods(stack) == ["myapp-0", "myapp-1", "myapp-2"]
    assert uids(stack.claims()) == claims_before and stack.binding() == binding
    assert_markers_through_claims(stack, markers)

    kube.run("-n", stack.namespace, "delete", "statefulset", "myapp")
    wait_gone(stack)
    kube.run("-n", stack.namespace, "delete", "pvc", "--all")
    wait_gone(stack, "claims")
    released = sorted(binding.values())
    kube.wait_for(lambda: all(stack.pvs()[n]["status"]["phase"] == "Released" for n in released),
                  what="the volumes to turn Released")
    before = stack.snapshot()
    refused(stack.deploy(), "run the reclaim action")
    assert stack.snapshot() == before, "a refused deploy changed the cluster"

    ok(stack.playbook("reclaim.yml"))
    kube.wait_for(lambda: all(stack.pvs()[n]["status"]["phase"] == "Available" for n in released),
                  what="the reclaimed volumes to turn Available")
    ok(stack.deploy())
    assert ready_pods(stack) == ["myapp-0", "myapp-1", "myapp-2"]
    assert stack.binding() == binding, "an ordinal landed on another ordinal's volume"
    assert_markers_through_claims(stack, markers)


# =========================================================================== two volume sets on one export
def test_second_volume_set_on_an_export_is_refused(fault_stacks):
    """Set A holds an export. The nfs_volumes role for set B (another nfs_volumes_set and name prefix) on
    the same export fails naming both PersistentVolumes and the export, under --check too, and creates
    nothing; with nfs_volumes_allow_shared_exports=true it creates B's volume and warns.

    The export is the test's own (a path nothing else in the lab uses, on the lab's server address and
    port; no pod mounts it), so A's volume is the only one B can collide with, whatever else the lab holds
    (make demo's volumes, a finished test's volumes still being deleted). Both sets run with the opt-in
    off (Stack turns it on for the lab's shared exports)."""
    path = "/it-fault/shared-%s" % uuid.uuid4().hex[:6]
    export = {"name": "shared", "path": path, "pseudo": path, "server": "127.0.0.1", "port": 2049,
              "clients": [], "options": []}
    strict = {"it_deploy_statefulset": False, "nfs_volumes_allow_shared_exports": False}
    first = fault_stacks("share-a", exports=[export])
    second = fault_stacks("share-b", exports=[export])
    assert first.volume_set != second.volume_set and first.pv_prefix != second.pv_prefix

    ok(first.deploy(**strict))
    assert sorted(first.pvs()) == [first.pv_name(1)]
    assert first.pvs()[first.pv_name(1)]["spec"]["nfs"] == {"server": "127.0.0.1", "path": path}
    # the PV controller's status update (phase Available) must not read as a change made by a refused run
    first.kube.wait_for(lambda: first.pvs()[first.pv_name(1)].get("status", {}).get("phase") == "Available",
                        what="%s to turn Available" % first.pv_name(1))
    before = first.snapshot()

    collision = ("nfs_volumes_exports[0]: PersistentVolume %s would use export 127.0.0.1:%s, which PersistentVolume %s "
                 "(volume set %s" % (second.pv_name(1), path, first.pv_name(1), first.volume_set))
    for check in (False, True):
        outcome = second.deploy(check=check, **strict)
        refused(outcome, collision, "nothing was changed", "nfs_volumes_allow_shared_exports=true")
        assert outcome.failed == 1, str(outcome)
        assert TRACEBACK not in outcome.output
        assert second.pvs() == {}, "set B was created on an export set A uses (check=%s)" % check
        assert first.snapshot() == before, "a refused run changed set A (check=%s)" % check

    shared = ok(second.deploy(it_deploy_statefulset=False, nfs_volumes_allow_shared_exports=True))
    assert collision in shared.output and "shared on purpose (nfs_volumes_allow_shared_exports=true)" in shared.output
    assert sorted(second.pvs()) == [second.pv_name(1)]
    assert second.pvs()[second.pv_name(1)]["spec"]["nfs"] == {"server": "127.0.0.1", "path": path}
    assert first.snapshot() == before


# =========================================================================== invalid input
# (case id, where, variables or module options, text the refusal must contain). "deploy-volumes" runs
# only the nfs_volumes role of tests/integration/k8s_roles/deploy.yml, "deploy-sts" only the
# statefulset role; both on the deployed baseline. 16 more role cases: test_k8s_roles.py INVALID;
# 26 nfs_server cases: the nfs_ganesha and nfs_kernel Molecule scenarios.
INVALID = [
    # stateful.nfs.statefulset_validate (module options)
    ("module-name", "module", {"name": "My_App"}, "name: 'My_App' must be lower case"),
    ("module-namespace", "module", {"namespace": "Bad_NS"}, "namespace: 'Bad_NS' must be lower case"),
    ("module-checks-empty", "module", {"checks": []}, "checks: select at least one of"),
    ("module-checks-unknown", "module", {"checks": ["order", "speed"]}, "value of checks must be one or more of"),
    ("module-mode", "module", {"mode": "replay"}, "value of mode must be one of: audit, watch"),
    ("module-wait-timeout", "module", {"wait_timeout": 0}, "wait_timeout: must be a positive number of seconds"),
    ("module-dns-port", "module", {"dns_port": 70000}, "dns_port: must be between 1 and 65535, got 70000"),
    ("module-dns-timeout", "module", {"dns_timeout": -1}, "dns_timeout: must be a positive number of seconds"),
    ("module-cluster-domain", "module", {"cluster_domain": "cluster..local"}, "cluster_domain (part 2 of 3"),
    ("module-expected-volumes", "module", {"expected_volumes": {"first": "pv1"}},
     "expected_volumes['first']: the key must be a pod ordinal"),
    # stateful.nfs.nfs_volumes
    ("volumes-name-prefix", "deploy-volumes", {"nfs_volumes_name_prefix": "PV_"},
     "nfs_volumes_name_prefix (part 1 of 1 in 'PV_001'): 'PV_001' must be lower case"),
    ("volumes-name-digits", "deploy-volumes", {"nfs_volumes_name_digits": 0}, "nfs_volumes_name_digits: must be >= 1"),
    ("volumes-access-mode", "deploy-volumes", {"nfs_volumes_access_modes": ["ReadWriteSometimes"]},
     "nfs_volumes_access_modes[0]: must be one of ReadWriteOnce"),
    ("volumes-label-key", "deploy-volumes", {"nfs_volumes_labels": {"bad key!": "x"}},
     "nfs_volumes_labels: label key 'bad key!'"),
    ("volumes-pin", "deploy-volumes", {"nfs_volumes_pin": {"statefulset": "My_App", "claim_template": "myappdata"}},
     "nfs_volumes_pin.statefulset: 'My_App' must be lower case"),
    ("volumes-state", "deploy-volumes", {"nfs_volumes_state": "gone"}, "value of nfs_volumes_state must be one of"),
    ("volumes-list-server", "deploy-volumes",
     {"nfs_volumes_exports": [], "nfs_volumes_list": [{"server": "nfs://127.0.0.1", "path": "/a"}]},
     "nfs_volumes_list[0].server: 'nfs://127.0.0.1' must be a host name or address"),
    ("volumes-list-key", "deploy-volumes",
     {"nfs_volumes_exports": [], "nfs_volumes_list": [{"server": "127.0.0.1", "path": "/a", "size": "1Gi"}]},
     "nfs_volumes_list[0]: unknown keys size"),
    ("reclaim-mode", "reclaim.yml", {"nfs_volumes_reclaim_mode": "wipe"},
     "value of nfs_volumes_reclaim_mode must be one of: keep_claim_name, release"),
    # stateful.nfs.statefulset
    ("sts-replicas-type", "deploy-sts", {"statefulset_replicas": "three"},
     "argument 'statefulset_replicas' is of type str"),
    ("sts-image", "deploy-sts", {"statefulset_image": "nginx latest"}, "statefulset_image: 'nginx latest' must not contain"),
    ("sts-container-port", "deploy-sts", {"statefulset_container_ports": [{"name": "http", "containerPort": 70000}]},
     "statefulset_container_ports[0].containerPort: must be <= 65535, got 70000"),
    ("sts-mount-path", "deploy-sts", {"statefulset_volume_claim_templates": [vct(mount_path="usr/share/nginx/html")]},
     "statefulset_volume_claim_templates[0].mount_path: 'usr/share/nginx/html' must be an absolute path"),
    ("sts-claim-access-mode", "deploy-sts",
     {"statefulset_volume_claim_templates": [vct(access_modes=["ReadWriteSometimes"])]},
     "statefulset_volume_claim_templates[0].access_modes[0]: must be one of"),
    ("sts-update-strategy", "deploy-sts", {"statefulset_update_strategy": "Rolling"},
     "value of statefulset_update_strategy must be one of: RollingUpdate, OnDelete"),
    ("sts-min-ready", "deploy-sts", {"statefulset_min_ready_seconds": -1}, "statefulset_min_ready_seconds: must be >= 0"),
    ("sts-ordinals-start", "deploy-sts", {"statefulset_ordinals_start": -1}, "statefulset_ordinals_start: must be >= 0"),
    ("sts-annotation", "deploy-sts", {"statefulset_pod_annotations": {"a": 1}},
     "statefulset_pod_annotations[a]: annotation value must be a string"),
    ("sts-service-ports", "deploy-sts", {"statefulset_service_ports": []},
     "statefulset_service_ports: a headless Service for a StatefulSet needs at least one port"),
    ("sts-env-value", "deploy-sts", {"statefulset_env": [{"name": "A", "value": 1}]},
     "statefulset_env[0].value: must be a string (quote it)"),
    ("sts-selector-expression", "deploy-sts",
     {"statefulset_selector_expressions": [{"key": "tier", "operator": "In", "values": []}]},
     "statefulset_selector_expressions[0].values: must not be empty for operator In"),
    ("sts-pvc-retention", "deploy-sts", {"statefulset_pvc_retention_when_deleted": "Keep"},
     "value of statefulset_pvc_retention_when_deleted must be one of: Retain, Delete"),
    ("sts-wait-timeout", "deploy-sts", {"statefulset_wait_timeout": 0},
     "statefulset_wait_timeout: must be a positive number of seconds, got 0; nothing was changed"),
    # playbooks/scale.yml without the new count must not quietly apply the role's default (3)
    ("scale-replicas-missing", "scale.yml", {"statefulset_replicas": UNSET},
     "statefulset_replicas: pass the new replica count, e.g. -e statefulset_replicas=5; nothing was changed"),
    # playbooks/teardown.yml (a typo must not turn a purge into a plain teardown)
    ("teardown-purge", "teardown.yml", {"teardown_purge": "sure"},
     'teardown_purge: "sure" is not a boolean (true or false); nothing was deleted'),
    # stateful.nfs.nfs_client (on the lab inventory's node: refused before apt or a probe runs)
    ("client-probe-uid", "nfs_client", {"nfs_client_probe_uid": "root"}, "argument 'nfs_client_probe_uid' is of type str"),
    ("client-probe-write", "nfs_client", {"nfs_client_probe_write": "maybe"},
     "argument 'nfs_client_probe_write' is of type str and we were unable to convert to bool"),
    ("client-probe-timeout", "nfs_client", {"nfs_client_probe_timeout": 0},
     "nfs_client_probe_timeout: must be a positive number of seconds, got 0; nothing was changed"),
    ("client-exports-server", "nfs_client",
     {"nfs_client_exports": [{"name": "v1", "path": "/nfs-data/v1", "pseudo": "/nfs-data/v1"}]},
     "missing required arguments: server found in nfs_client_exports"),
]


@pytest.fixture(scope="module")
def fault_baseline(lab, kube, playbook, lab_exports):
    """A deployed tutorial (3 pods, 4 volumes) that every refused run must leave exactly as it was."""
    stack = FaultStack(lab, kube, playbook, lab_exports, "refuse")
    try:
        ok(stack.deploy())
        yield stack
    finally:
        stack.cleanup()


@pytest.mark.parametrize("where, values, needle", [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_input_is_refused_naming_the_field(lab, fault_baseline, tmp_path, where, values, needle):
    cluster, host = fault_baseline.snapshot(), host_state()
    values = dict(values)
    if "statefulset_volume_claim_templates" in values:
        values["statefulset_volume_claim_templates"] = [dict(t, storage_class_name=fault_baseline.storage_class)
                                                        for t in values["statefulset_volume_claim_templates"]]
    report = tmp_path / "reports" / "myapp.xml"
    if where == "module":
        result = validate(lab, **dict({"name": "myapp", "namespace": fault_baseline.namespace, "junit_path": str(report)},
                                      **values))
        assert result.get("failed"), result
        text = str(result.get("msg"))
    else:
        if where == "deploy-volumes":
            outcome = fault_baseline.deploy(it_deploy_statefulset=False, **values)
        elif where == "deploy-sts":
            outcome = fault_baseline.deploy(it_deploy_volumes=False, **values)
        elif where == "nfs_client":
            outcome = run(fault_baseline.runner, NFS_CLIENT_PLAYBOOK, values, inventory=LOCAL_INVENTORY)
        else:
            outcome = fault_baseline.playbook(where, **values)
        assert outcome.rc != 0, "expected a refusal\n%s" % outcome
        text = "\n".join(outcome.failure_messages)
    assert needle in text, "%r not in %r" % (needle, text)
    assert fault_baseline.snapshot() == cluster, "a refused run changed the cluster"
    assert host_state() == host, "a refused run changed the host"
    assert not report.exists(), "a refused run wrote a report"
