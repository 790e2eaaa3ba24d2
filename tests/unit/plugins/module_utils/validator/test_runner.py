# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runner: one Validation run with the cluster and DNS replaced by stand-ins (wait,
watch-driven; watch mode; check mode) and what it asks for; the hand-off from the module
(missing libraries, errors for the one handler, the report files)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import gc
import os
import stat
import subprocess
import sys
from xml.etree import ElementTree

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


class Clock:
    """A monotonic clock that moves only when told (or by ``tick`` on every reading)."""

    def __init__(self, tick=0.0):
        self.now = 100.0
        self.tick = tick

    def __call__(self):
        self.now += self.tick
        return self.now


def test_run_measures_each_check():
    shot = load()
    shot["read_seconds"] = {"statefulset": 0.02, "order": 0.03, "storage": 0.04, "dns": 0.01}
    clock = Clock(tick=0.001)

    class SlowProbe(FakeProbe):
        def resolve(self, queries):
            clock.now += 0.5  # the DNS questions take half a second
            return FakeProbe.resolve(self, queries)

    result = Validation(params(), FakeCluster(shot), SlowProbe(shot), monotonic=clock).run()
    spent = result["_durations"]["checks"]
    assert sorted(spent) == ["completion", "dns", "order", "storage"]
    assert 0.03 < spent["order"] < 0.04  # its events, then its step
    assert 0.04 < spent["storage"] < 0.05 and 0 < spent["completion"] < 0.01
    assert 0.51 < spent["dns"] < 0.52  # the service read, the questions, the step
    assert 0.5 < result["_durations"]["run"] < 0.6  # the whole run on this clock, from its start to the verdict
    assert "_durations" not in runner.module_answer(params(), result)[1]


def test_the_junit_report_of_a_run_carries_its_measured_times(tmp_path):
    shot = load()
    validation = Validation(params(junit_path=str(tmp_path / "r.xml")), FakeCluster(shot), FakeProbe(shot),
                            monotonic=Clock(tick=0.0004))
    result = validation.run()
    root = ElementTree.fromstring(validation.reports(result)[str(tmp_path / "r.xml")])
    cases = list(root.iter("testcase"))
    assert len(cases) == 4 * 4 and all(float(c.get("time")) > 0 for c in cases)
    assert float(root.get("time")) == pytest.approx(result["_durations"]["run"], abs=1e-6)


def test_wait_time_is_the_completion_checks_and_the_watch_the_order_checks():
    shot = load()
    before = (shot["statefulset"], shot["pods"][:2] + [unready(shot["pods"][2])])
    clock = Clock()

    class SlowCluster(FakeCluster):
        def stream(self, namespace, name, selector, versions, deadline, wake=None):
            clock.now += 7.0  # the rollout takes seven seconds to complete
            yield from FakeCluster.stream(self, namespace, name, selector, versions, deadline, wake)

    batches = [[("Pod", "MODIFIED", shot["pods"][2], 0.0)]]
    result = Validation(params(wait=True, checks=["order", "completion"]), SlowCluster(shot, batches=batches, before=before),
                        None, monotonic=clock).run()
    assert result["_durations"]["checks"]["completion"] == 7.0 and result["_durations"]["checks"]["order"] == 0.0

    cluster = SlowCluster(shot, batches=batches, before=before)
    result = Validation(params(mode="watch", checks=["order", "completion"]), cluster, None, monotonic=clock).run()
    assert result["_durations"]["checks"]["order"] == 7.0 and result["_durations"]["checks"]["completion"] == 0.0


def test_missing_statefulset_returns_none():
    shot = load()
    shot["statefulset"] = None
    assert Validation(params(checks=["order"]), FakeCluster(shot), None).run() is None


# --------------------------------------------------------------------------- the hand-off

def test_the_dns_check_needs_no_dnspython():
    # dns_wire reads the replies: a host without dnspython (package "dns") runs every check
    code = ("import sys; sys.modules['dns'] = None\n"
            "from ansible_collections.stateful.nfs.plugins.module_utils.validator import runner\n"
            "print(runner.missing_libraries({'checks': ['order', 'dns'], 'dns_transport': 'direct', "
            "'dns_server': '127.0.0.1'}))\n"
            "print(sorted(m for m in sys.modules if m == 'dns' or m.startswith('dns.')))")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["[]", "['dns']"]  # nothing missing; only the blocked entry


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
        def snapshot(self, namespace, name, checks, with_pods=None):
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


def test_run_module_runs_without_the_cyclic_collector_and_gives_it_back(monkeypatch):
    shot = load()
    seen = []

    class Watching(FakeProbe):
        def resolve(self, queries):
            seen.append(gc.isenabled())
            return FakeProbe.resolve(self, queries)

    monkeypatch.setattr(runner, "get_api_client", lambda module: type("C", (), {"client": None})())
    monkeypatch.setattr(runner, "StatefulSetClient", lambda dynamic: FakeCluster(shot))
    monkeypatch.setattr(runner, "DnsProbe", lambda *a: Watching(shot))
    assert gc.isenabled()
    with pytest.raises(FakeModule.Ended):
        runner.run_module(FakeModule(params()))
    assert seen == [False]  # off while it read and judged
    assert gc.isenabled()  # on again however the run ended (here: exit_json's exception)
    with pytest.raises(CoreException):
        runner.run_module(FakeModule(params(dns_port=0)))
    assert gc.isenabled()


def test_unreadable_kubeconfig_follows_the_clients_path_list(tmp_path):
    there = tmp_path / "there"
    there.write_text(u"")
    missing = str(tmp_path / "missing")
    assert runner.unreadable_kubeconfig(missing) == missing
    assert runner.unreadable_kubeconfig(os.pathsep.join([missing, str(tmp_path / "gone")])) is not None
    assert runner.unreadable_kubeconfig(os.pathsep.join([missing, str(there)])) is None  # one file is enough
    assert runner.unreadable_kubeconfig(str(there)) is None
    assert runner.unreadable_kubeconfig(None) is None and runner.unreadable_kubeconfig("") is None
    assert runner.unreadable_kubeconfig({"clusters": []}) is None  # an in-memory configuration
    assert runner.unreadable_kubeconfig("~/k", exists=lambda path: path == os.path.expanduser("~/k")) is None


def test_api_client_names_a_kubeconfig_that_does_not_exist(monkeypatch, tmp_path):
    def refuse(module):
        raise CoreException("Could not create API client: Invalid kube-config file. No configuration found.")

    monkeypatch.setattr(runner, "get_api_client", refuse)
    missing = str(tmp_path / "nowhere.kubeconfig")
    with pytest.raises(CoreException, match="^kubeconfig: no such file: %s \\(Could not create API client" % missing):
        runner.api_client(FakeModule(params(kubeconfig=missing)))
    # any other failure is kubernetes.core's own message, unchanged
    (tmp_path / "present").write_text(u"")
    with pytest.raises(CoreException, match="^Could not create API client"):
        runner.api_client(FakeModule(params(kubeconfig=str(tmp_path / "present"))))
    with pytest.raises(CoreException, match="^Could not create API client"):
        runner.api_client(FakeModule(params()))
