# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DNS check: the queries planned for a StatefulSet and the verdict on answers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import reverse_pointer
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns import dns_plan, evaluate_dns

SVC = "statefulset-headless.default.svc.cluster.local"


def cluster_dns(shot, publish=None):
    """What CoreDNS answers for the shot's Ready pods (or the pods in ``publish``)."""
    answers = {}
    ready = []
    for pod in shot["pods"]:
        name, ip = pod["metadata"]["name"], pod["status"].get("podIP")
        is_ready = any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"]["conditions"])
        if not ip or publish is not None and name not in publish or publish is None and not is_ready:
            continue
        fqdn = "%s.%s" % (name, SVC)
        answers[(fqdn, "A")] = {"rcode": "NOERROR", "values": [ip]}
        answers[(reverse_pointer(ip), "PTR")] = {"rcode": "NOERROR", "values": [fqdn]}
        ready.append(ip)
    answers[(SVC, "A")] = {"rcode": "NOERROR", "values": sorted(ready)}
    return answers


def verdict(shot, answers):
    plan = dns_plan(shot["statefulset"], shot["service"], shot["pods"], "cluster.local")
    return evaluate_dns(plan, answers, "127.0.0.1:10053")


def test_plan_asks_a_ptr_and_the_service_name(shot):
    plan = dns_plan(shot["statefulset"], shot["service"], shot["pods"], "cluster.local.")
    assert plan["queries"] == [
        ("myapp-0." + SVC, "A"), ("24.3.244.10.in-addr.arpa", "PTR"),
        ("myapp-1." + SVC, "A"), ("107.4.244.10.in-addr.arpa", "PTR"),
        ("myapp-2." + SVC, "A"), ("25.3.244.10.in-addr.arpa", "PTR"), (SVC, "A")]


def test_tutorial_dns_passes(shot):
    result = verdict(shot, cluster_dns(shot))
    assert result["status"] == "passed", result["violations"]
    assert result["records"][0]["a"]["values"] == ["10.244.3.24"]
    assert result["records"][0]["ptr"]["values"] == ["myapp-0." + SVC]


def test_missing_a_record_fails_and_names_the_server(shot):
    answers = cluster_dns(shot)
    answers[("myapp-1." + SVC, "A")] = {"rcode": "NXDOMAIN", "values": []}
    result = verdict(shot, answers)
    assert result["violations"] == [{"check": "dns", "pod": "myapp-1", "message":
                                     "A myapp-1.%s answered NXDOMAIN with no records at 127.0.0.1:10053; expected "
                                     "10.244.4.107 (the IP of myapp-1)" % SVC}]


def test_wrong_extra_and_timeout_answers(shot):
    answers = cluster_dns(shot)
    answers[("myapp-0." + SVC, "A")] = {"rcode": "NOERROR", "values": ["10.244.3.24", "10.244.9.9"]}
    answers[("25.3.244.10.in-addr.arpa", "PTR")] = {"rcode": "TIMEOUT", "values": [], "error": "no reply within 1.0 s"}
    messages = [v["message"] for v in verdict(shot, answers)["violations"]]
    assert "A myapp-0.%s answered extra address(es) 10.244.9.9 besides 10.244.3.24 at 127.0.0.1:10053" % SVC \
        in messages
    assert any(m.startswith("PTR 25.3.244.10.in-addr.arpa (10.244.3.25, the IP of myapp-2) answered a timeout "
                            "(no reply within 1.0 s)") for m in messages)


def test_duplicate_ptr_is_flagged(shot):
    answers = cluster_dns(shot)
    answers[("24.3.244.10.in-addr.arpa", "PTR")]["values"].append("myapp-0.other.default.svc.cluster.local")
    messages = [v["message"] for v in verdict(shot, answers)["violations"]]
    assert messages == ["PTR 24.3.244.10.in-addr.arpa (10.244.3.24) has 2 names, a duplicate PTR: myapp-0.%s, "
                        "myapp-0.other.default.svc.cluster.local; expected only myapp-0.%s" % (SVC, SVC)]


def test_not_ready_pod_is_a_gap_and_must_not_resolve(shot):
    ready = [c for c in shot["pods"][2]["status"]["conditions"] if c["type"] == "Ready"][0]
    ready["status"] = "False"
    answers = cluster_dns(shot)
    result = verdict(shot, answers)
    assert result["records"][2]["published"] is False
    assert ("myapp-2 is not Ready, so myapp-2.%s does not resolve (no answer at 127.0.0.1:10053): a NotReady gap"
            % SVC) in result["violations"][0]["message"]
    stale = cluster_dns(shot, publish={"myapp-0", "myapp-1", "myapp-2"})
    assert "is not Ready but A myapp-2.%s still resolves to 10.244.3.25" % SVC in \
        verdict(shot, stale)["violations"][0]["message"]


def test_publish_not_ready_addresses_expects_records_for_unready_pods(shot):
    shot["service"]["spec"]["publishNotReadyAddresses"] = True
    ready = [c for c in shot["pods"][2]["status"]["conditions"] if c["type"] == "Ready"][0]
    ready["status"] = "False"
    result = verdict(shot, cluster_dns(shot, publish={"myapp-0", "myapp-1", "myapp-2"}))
    assert result["status"] == "passed", result["violations"]


def test_service_must_be_headless_and_select_the_pods(shot):
    shot["service"]["spec"]["clusterIP"] = "10.96.0.20"
    shot["service"]["spec"]["selector"] = {"app": "other"}
    messages = [v["message"] for v in verdict(shot, cluster_dns(shot))["violations"]]
    assert messages[0] == "Service statefulset-headless is not headless (clusterIP 10.96.0.20): per-pod DNS " \
        "records need clusterIP: None"
    assert messages[1].startswith("Service statefulset-headless selector {'app': 'other'} does not select")


def test_missing_service(shot):
    result = verdict(dict(shot, service=None), {})
    assert result["violations"][0]["message"] == \
        "Service default/statefulset-headless (spec.serviceName of myapp) does not exist"


def with_named_port(shot):
    """The Service's port ``http`` names the pods' port ``web`` (8080): ``(answers, its SRV name)``."""
    shot["service"]["spec"]["ports"] = [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": "web"}]
    for pod in shot["pods"]:
        pod["spec"]["containers"][0]["ports"] = [{"name": "web", "containerPort": 8080, "protocol": "TCP"}]
    return cluster_dns(shot), "_http._tcp." + SVC


def test_srv_for_named_ports(shot):
    answers, qname = with_named_port(shot)
    answers[(qname, "SRV")] = {"rcode": "NOERROR", "values": [
        "myapp-0.%s:8080" % SVC, "myapp-1.%s:8080" % SVC, "myapp-7.%s:8080" % SVC]}
    result = verdict(shot, answers)
    messages = [v["message"] for v in result["violations"]]
    assert messages == [
        "SRV %s lacks myapp-2.%s port 8080 (answered myapp-0.%s:8080, myapp-1.%s:8080, myapp-7.%s:8080) at "
        "127.0.0.1:10053" % (qname, SVC, SVC, SVC, SVC),
        "SRV %s has an extra target myapp-7.%s:8080 that is not a published pod of the StatefulSet at "
        "127.0.0.1:10053" % (qname, SVC)]
    assert result["srv"][0]["expected"] == dict(("myapp-%d.%s" % (i, SVC), 8080) for i in range(3))


TOO_LARGE = {"rcode": "ERROR", "values": [], "truncated": True, "held": 4090,
             "error": "the reply was truncated (TC bit) even over TCP: it does not fit in 65535 bytes"}


def test_a_service_record_too_large_for_dns_is_unchecked_not_a_violation_per_pod(shot):
    # 5,000 pods: the Service's A record does not fit in one DNS message even over TCP; no client can
    # get the whole list, so that comparison is not made, and each pod's own name still is
    answers = cluster_dns(shot)
    answers[(SVC, "A")] = dict(TOO_LARGE)
    result = verdict(shot, answers)
    assert result["status"] == "passed" and result["violations"] == []
    assert result["unchecked"] == [
        "whether A %s lists every published pod (3) at 127.0.0.1:10053: its answer does not fit in one DNS message "
        "even over TCP (65,535 bytes; the reply held 4090 records), so no client gets the whole list" % SVC]
    assert result["summary"].endswith("0 SRV name(s) complete; not checked: " + result["unchecked"][0])
    # the pods' own names are still judged
    answers[("myapp-1." + SVC, "A")] = {"rcode": "NXDOMAIN", "values": []}
    result = verdict(shot, answers)
    assert [v["pod"] for v in result["violations"]] == ["myapp-1"] and result["status"] == "failed"
    assert result["summary"] == result["violations"][0]["message"]  # a violation leads the summary


def test_an_srv_name_too_large_for_dns_is_unchecked(shot):
    answers, qname = with_named_port(shot)
    answers[(qname, "SRV")] = dict(TOO_LARGE, held=1800)
    result = verdict(shot, answers)
    assert result["violations"] == [] and len(result["unchecked"]) == 1
    assert result["unchecked"][0].startswith("whether SRV %s lists every published pod (3)" % qname)
    assert result["srv"][0]["answer"] == {"rcode": "ERROR", "values": []}
    assert "0 SRV name(s) complete" in result["summary"]
    # an SRV error that is not a size limit still fails each pod
    answers[(qname, "SRV")] = {"rcode": "ERROR", "values": [], "error": "connection refused"}
    result = verdict(shot, answers)
    assert [v["pod"] for v in result["violations"]] == ["myapp-0", "myapp-1", "myapp-2"]
    assert result["unchecked"] == []


def test_pod_without_ip_and_wrong_subdomain(shot):
    shot["pods"][1]["status"].pop("podIP")
    shot["pods"][0]["spec"]["subdomain"] = "elsewhere"
    messages = [v["message"] for v in verdict(shot, cluster_dns(shot))["violations"]]
    assert "myapp-0 has hostname 'myapp-0' and subdomain 'elsewhere'; its DNS name needs hostname myapp-0 and " \
        "subdomain statefulset-headless" in messages
    assert "myapp-1 has no IP yet, so myapp-1.%s cannot resolve" % SVC in messages


def test_short_names_are_reported_in_their_search_path_form(shot):
    plan = dns_plan(shot["statefulset"], shot["service"], shot["pods"], "cluster.local")
    assert plan["pods"][0]["search"] == {"name": "myapp-0.statefulset-headless", "form": "search path",
                                         "search_domain": "default.svc.cluster.local", "query": "myapp-0." + SVC,
                                         "type": "A"}
    assert len(plan["queries"]) == 7  # the same question as the A check: asked once
    answers = cluster_dns(shot)
    result = verdict(shot, answers)
    assert [r["search"]["values"] for r in result["records"]] == [["10.244.3.24"], ["10.244.4.107"], ["10.244.3.25"]]
    assert result["summary"] == ("3 pod name(s) resolve forward and back at 127.0.0.1:10053 (and as "
                                 "<pod>.statefulset-headless through the search path default.svc.cluster.local); "
                                 "0 SRV name(s) complete")
    answers[("myapp-2." + SVC, "A")] = {"rcode": "NXDOMAIN", "values": []}
    result = verdict(shot, answers)
    assert result["records"][2]["search"]["rcode"] == "NXDOMAIN"
    assert [v["pod"] for v in result["violations"]] == ["myapp-2"]  # one violation, the A check's


def test_a_service_name_without_an_answer_says_why_it_lists_no_pod(shot):
    # 5,000 pods: the Service's A record does not fit in one DNS message even over TCP
    answers = cluster_dns(shot)
    truncated = "the reply was truncated (TC bit) even over TCP: it does not fit in 65535 bytes"
    answers[(SVC, "A")] = {"rcode": "ERROR", "values": [], "error": truncated}
    result = verdict(shot, answers)
    assert result["status"] == "failed"
    assert [v["message"] for v in result["violations"]][0] == (
        "%s does not list 10.244.3.24 (the IP of myapp-0) at 127.0.0.1:10053 (A got an error (%s))" % (SVC, truncated))
    assert len(result["violations"]) == 3
    # an answer that simply lacks a pod says nothing more
    answers[(SVC, "A")] = {"rcode": "NOERROR", "values": ["10.244.4.107", "10.244.3.25"]}
    assert [v["message"] for v in verdict(shot, answers)["violations"]] == [
        "%s does not list 10.244.3.24 (the IP of myapp-0) at 127.0.0.1:10053" % SVC]
