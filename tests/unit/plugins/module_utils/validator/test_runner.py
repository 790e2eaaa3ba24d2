# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runner: one Validation run with the cluster and DNS replaced by stand-ins (wait,
watch-driven; watch mode; check mode) and what it asks for; the hand-off from the module
(missing libraries, errors for the one handler, the report files)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os
import stat

import pytest

from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.stateful.nfs.plugins.module_utils.validator import runner
from ansible_collections.stateful.nfs.plugins.module_utils.validator.client import ApiException
from ansible_collections.stateful.nfs.plugins.module_utils.validator.client import StatefulSetClient
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_probe import DnsProbe
from ansible_collections.stateful.nfs.plugins.module_utils.validator.portforward import ApiDnsProbe
from ansible_collections.stateful.nfs.plugins.module_utils.validator.runner import Validation
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.fake_apiserver import (
    FakeApiServer,
    RawDynamic,
)
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.fakes import (
    SVC,
    FakeCluster,
    FakeProbe,
    load,
    params,
    unready,
)

DNS_POD = {"metadata": {"name": "coredns-7db6d8ff4d-x2m4q", "namespace": "kube-system"},
           "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}}


def test_audit_run_on_the_tutorial_is_valid():
    shot = load()
    probe = FakeProbe(shot)
    cluster = FakeCluster(shot)
    result = Validation(params(), cluster, probe).run()
    assert result["valid"], result["violations"]
    assert cluster.calls == ["snapshot"]
    assert len(probe.asked) == 7
    assert result["checks"]["dns"]["status"] == "passed"
    assert result["completion"]["complete"] is True and result["completion"]["waited"] is None


def test_wait_returns_at_once_when_complete_and_on_the_event_that_completes():
    shot = load()
    cluster = FakeCluster(shot)
    validation = Validation(params(wait=True, checks=["completion"]), cluster, None)
    result = validation.run()
    assert cluster.calls == ["initial_state", "snapshot"]
    assert result["completion"]["complete"]

    before = (shot["statefulset"], shot["pods"][:2] + [unready(shot["pods"][2])])
    cluster = FakeCluster(shot, batches=[[("Pod", "MODIFIED", shot["pods"][2], 0.0)], [("Pod", "MODIFIED", {}, 0.0)]],
                          before=before)
    result = Validation(params(wait=True, checks=["completion"]), cluster, None).run()
    assert cluster.calls == ["initial_state", "stream", "snapshot"]
    assert result["valid"]


def test_wait_timeout_gives_the_reason():
    shot = load()
    shot["pods"][2] = unready(shot["pods"][2])
    cluster = FakeCluster(shot, batches=[])
    result = Validation(params(wait=True, checks=["completion"]), cluster, None).run()
    assert not result["valid"]
    assert result["completion"]["reason"].startswith("timed out after 0 s waiting for the rollout: myapp-2 is not "
                                                     "Ready")


def test_check_mode_neither_waits_nor_watches_nor_writes(tmp_path):
    shot = load()
    cluster = FakeCluster(shot)
    validation = Validation(params(wait=True, mode="watch", junit_path=str(tmp_path / "j.xml")),
                            cluster, FakeProbe(shot), check_mode=True)
    result = validation.run()
    assert cluster.calls == ["snapshot"]
    assert validation.reports(result) == {}
    assert result["valid"]


def test_watch_mode_records_until_complete_after_a_change():
    shot = load()
    start_pods = shot["pods"][:2]
    new = unready(shot["pods"][2])
    sts2 = copy.deepcopy(shot["statefulset"])
    batches = [[("Pod", "ADDED", new, 100.0)],
               [("Pod", "MODIFIED", shot["pods"][2], 101.0), ("StatefulSet", "MODIFIED", sts2, 101.1)],
               [("Pod", "MODIFIED", {"metadata": {"name": "never-reached"}}, 102.0)]]
    before_sts = copy.deepcopy(shot["statefulset"])
    before_sts["status"].update(replicas=2, readyReplicas=2, availableReplicas=2)
    cluster = FakeCluster(shot, batches=batches, before=(before_sts, start_pods))
    shot["statefulset"] = sts2
    validation = Validation(params(mode="watch", checks=["order", "completion"]), cluster, None)
    result = validation.run()
    assert result["checks"]["order"]["evidence"] == "watch"
    assert [(e["event"], e["pod"]) for e in result["events"]] == [("ADDED", "myapp-2"), ("READY", "myapp-2")]
    assert result["watch"]["stopped"] == "complete"  # the third batch is never read
    assert result["watch"]["records"] == 1 + 2 + 3


def test_missing_statefulset_returns_none():
    shot = load()
    shot["statefulset"] = None
    assert Validation(params(checks=["order"]), FakeCluster(shot), None).run() is None


# --------------------------------------------------------------------------- the hand-off

def test_missing_libraries_only_for_the_checks_that_need_them(monkeypatch):
    monkeypatch.setattr(runner, "HAS_DNSPYTHON", False)
    monkeypatch.setattr(runner, "DNSPYTHON_IMPORT_ERROR", "Traceback: no module named dns")
    assert runner.missing_libraries(params()) == [("dnspython", "Traceback: no module named dns")]
    assert runner.missing_libraries(params(checks=["order", "completion"])) == []
    monkeypatch.setattr(runner, "HAS_DNSPYTHON", True)
    assert runner.missing_libraries(params()) == []


def test_missing_kubernetes_stream_matters_only_on_the_api_path(monkeypatch):
    monkeypatch.setattr(runner, "HAS_PORTFORWARD", False)
    monkeypatch.setattr(runner, "PORTFORWARD_IMPORT_ERROR", "Traceback: no module named websocket")
    missing = runner.missing_libraries(params(dns_server=None))
    assert [m[0] for m in missing] == ["kubernetes (kubernetes.stream and websocket-client, for dns_transport=api)"]
    assert runner.missing_libraries(params()) == []  # dns_server set: the direct path
    assert runner.missing_libraries(params(dns_server=None, checks=["order"])) == []


def test_the_probe_follows_the_dns_path():
    direct = runner.make_probe(params(), None, None)
    assert isinstance(direct, DnsProbe) and (direct.server, direct.port, direct.timeout) == ("127.0.0.1", 10053, 1.0)
    api = runner.make_probe(params(dns_server=None, dns_pod_namespace="dns", dns_pod_label_selectors=["app==coredns"],
                                   dns_pod_port=5353), None, None)
    assert isinstance(api, ApiDnsProbe)
    assert (api.namespace, api.terms, api.port, api.timeout) == ("dns", ["app=coredns"], 5353, 1.0)


def test_api_path_end_to_end_through_a_port_forward():
    """The tutorial judged with its DNS answers coming through a real kubernetes.stream port-forward."""
    shot = load()
    server = FakeApiServer([DNS_POD], "dns", FakeProbe(shot).records())
    try:
        dynamic = RawDynamic(server.host)
        probe = runner.make_probe(params(dns_server=None), StatefulSetClient(dynamic), dynamic)
        result = Validation(params(dns_server=None, checks=["dns"]), FakeCluster(shot), probe).run()
    finally:
        server.close()
    dns = result["checks"]["dns"]
    assert result["valid"], result["violations"]
    assert dns["transport"] == "api"
    assert dns["server"] == "kube-system/coredns-7db6d8ff4d-x2m4q:53 (port-forward through the API server)"
    assert dns["dns_pod"] == {"namespace": "kube-system", "name": "coredns-7db6d8ff4d-x2m4q", "port": 53,
                              "label_selector": "k8s-app=kube-dns", "streams": 1}
    assert dns["summary"] == ("3 pod name(s) resolve forward and back at kube-system/coredns-7db6d8ff4d-x2m4q:53 "
                              "(port-forward through the API server) (and as <pod>.statefulset-headless through the "
                              "search path default.svc.cluster.local); 0 SRV name(s) complete")
    assert result["dns"][0]["search"] == {
        "name": "myapp-0.statefulset-headless", "form": "search path", "search_domain": "default.svc.cluster.local",
        "query": "myapp-0." + SVC, "type": "A", "rcode": "NOERROR", "values": [result["dns"][0]["ip"]]}
    assert len(server.responders[0].asked) == 7


def test_a_wrong_answer_through_the_api_names_the_pod_it_came_from():
    shot = load()

    class ApiProbe(FakeProbe):
        source = {"transport": "api", "server": "kube-system/coredns-a:53 (port-forward through the API server)",
                  "dns_pod": {"namespace": "kube-system", "name": "coredns-a", "port": 53}}

    probe = ApiProbe(shot)
    del probe.table[("myapp-1." + SVC, "A")]
    result = Validation(params(dns_server=None, checks=["dns"]), FakeCluster(shot), probe).run()
    assert result["violations"][0]["message"] == (
        "A myapp-1.%s answered NXDOMAIN with no records at kube-system/coredns-a:53 (port-forward through the API "
        "server); expected 10.244.4.107 (the IP of myapp-1)" % SVC)
    assert result["dns"][1]["search"]["rcode"] == "NXDOMAIN"  # the short name's search-path form fails with it
    assert result["checks"]["dns"]["dns_pod"]["name"] == "coredns-a"


def test_the_direct_path_says_so_in_the_report():
    shot = load()

    class DirectProbe(FakeProbe):
        source = DnsProbe("127.0.0.1", 10053, 1.0).source

    result = Validation(params(checks=["dns"]), FakeCluster(shot), DirectProbe(shot)).run()
    assert (result["checks"]["dns"]["transport"], result["checks"]["dns"]["server"],
            result["checks"]["dns"]["dns_pod"]) == ("direct", "127.0.0.1:10053", None)
    assert result["checks"]["dns"]["summary"].startswith("3 pod name(s) resolve forward and back at 127.0.0.1:10053 (")


def test_is_change_ignores_status_noise():
    shot = load()
    sts, pod = shot["statefulset"], shot["pods"][0]
    assert not runner.is_change("StatefulSet", "MODIFIED", sts, None, sts["metadata"]["generation"])
    assert runner.is_change("StatefulSet", "MODIFIED", sts, None, sts["metadata"]["generation"] - 1)
    assert runner.is_change("Pod", "ADDED", pod, None, None)
    assert not runner.is_change("Pod", "MODIFIED", copy.deepcopy(pod), pod, None)
    assert runner.is_change("Pod", "MODIFIED", unready(pod), pod, None)


def test_write_file_creates_the_directory_and_replaces_atomically(tmp_path):
    path = tmp_path / "reports" / "r.xml"
    runner.write_file(str(path), "one")
    runner.write_file(str(path), "two")
    assert path.read_text() == "two"
    assert os.listdir(str(path.parent)) == ["r.xml"]  # no temporary file left
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644 & ~umask


class FakeModule:
    """What run_module reads of an AnsibleK8SModule; exit_json/fail_json end it with ``Ended``."""

    class Ended(Exception):
        pass

    def __init__(self, module_params, check_mode=False):
        self.params = module_params
        self.check_mode = check_mode

    def exit_json(self, **fields):
        raise self.Ended(False, fields)

    def fail_json(self, **fields):
        raise self.Ended(True, fields)


def test_run_module_hands_option_and_api_errors_to_the_one_handler(monkeypatch):
    monkeypatch.setattr(runner, "get_api_client", lambda module: type("C", (), {"client": None})())
    monkeypatch.setattr(runner, "DnsProbe", lambda *a: None)
    with pytest.raises(CoreException, match="^dns_port: must be between 1 and 65535"):
        runner.run_module(FakeModule(params(dns_port=0)))

    class Refusing(FakeCluster):
        def snapshot(self, namespace, name, checks):
            raise ApiException(status=403, reason="Forbidden")

    monkeypatch.setattr(runner, "StatefulSetClient", lambda dynamic: Refusing(load()))
    with pytest.raises(CoreException, match="^Kubernetes API error: 403 Forbidden$"):
        runner.run_module(FakeModule(params()))


def test_run_module_fails_clearly_when_the_cluster_dns_cannot_be_asked(monkeypatch):
    monkeypatch.setattr(runner, "get_api_client", lambda module: type("C", (), {"client": None})())
    cluster = FakeCluster(load(), dns_pods=[])
    monkeypatch.setattr(runner, "StatefulSetClient", lambda dynamic: cluster)
    with pytest.raises(CoreException) as err:
        runner.run_module(FakeModule(params(dns_server=None)))
    assert str(err.value).startswith("dns check: no pod in namespace kube-system matches the label selector "
                                     "k8s-app=kube-dns (dns_pod_namespace, dns_pod_label_selectors)")
    assert ("pods", "kube-system", "k8s-app=kube-dns") in cluster.calls


def test_run_module_ends_with_the_verdict(monkeypatch):
    shot = load()
    monkeypatch.setattr(runner, "get_api_client", lambda module: type("C", (), {"client": None})())
    monkeypatch.setattr(runner, "StatefulSetClient", lambda dynamic: FakeCluster(shot))
    monkeypatch.setattr(runner, "DnsProbe", lambda *a: FakeProbe(shot))
    with pytest.raises(FakeModule.Ended) as ended:
        runner.run_module(FakeModule(params()))
    failed, fields = ended.value.args
    assert not failed and fields["valid"] is True and fields["junit_path"] is None
