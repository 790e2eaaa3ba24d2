# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The validation_report filter on results shaped like stateful.nfs.statefulset_validate's."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.stateful.nfs.plugins.filter.validation_report import (
    FilterModule,
    report_time,
    validation_report,
)


def _pod(ordinal, created, ready, ip, node="node1", **extra):
    pod = {"ordinal": ordinal, "name": "myapp-%d" % ordinal, "created": created, "ready": ready,
           "terminating": None, "deleted": None, "ip": ip, "node": node, "revision": "myapp-f459d477d",
           "source": "pod", "uid": "uid-%d" % ordinal}
    pod.update(extra)
    return pod


def _claim(ordinal, volume, capacity="1Gi", phase="Bound", reason=None):
    return {"pod": "myapp-%d" % ordinal, "ordinal": ordinal, "template": "myappdata",
            "claim": "myappdata-myapp-%d" % ordinal, "phase": phase, "volume": volume, "capacity": capacity,
            "request": "1Gi", "access_modes": ["ReadWriteOnce"], "storage_class": "", "expected_volume": None,
            "reason": reason}


def _dns(ordinal, ip, ptr_query):
    fqdn = "myapp-%d.statefulset-headless.default.svc.cluster.local" % ordinal
    return {"pod": "myapp-%d" % ordinal, "ordinal": ordinal, "ip": ip, "fqdn": fqdn, "published": True,
            "a": {"query": fqdn, "type": "A", "rcode": "NOERROR", "values": [ip]},
            "ptr": {"query": ptr_query, "type": "PTR", "rcode": "NOERROR", "values": [fqdn]}}


TUTORIAL = {
    "changed": False,
    "valid": True,
    "pods": [  # deliberately out of order: the report sorts by ordinal
        _pod(2, "2026-11-27T07:04:26.862Z", "2026-11-27T07:04:27.000Z", "10.244.2.3", node="node2"),
        _pod(0, "2026-11-27T07:04:24.629Z", "2026-11-27T07:04:25.000Z", "10.244.2.2", node="node2"),
        _pod(1, "2026-11-27T07:04:25.741Z", "2026-11-27T07:04:26.000Z", "10.244.1.3"),
    ],
    "storage": [_claim(0, "pv001"), _claim(1, "pv002"), _claim(2, "pv003", capacity="2Gi")],
    "dns": [_dns(0, "10.244.2.2", "2.2.244.10.in-addr.arpa"), _dns(1, "10.244.1.3", "3.1.244.10.in-addr.arpa"),
            _dns(2, "10.244.2.3", "3.2.244.10.in-addr.arpa")],
    "checks": {
        "order": {"selected": True, "status": "passed", "evidence": "audit",
                  "summary": "StatefulSet myapp: pods were created, deleted and updated in order (audit evidence)"},
        "completion": {"selected": True, "status": "passed",
                       "summary": "StatefulSet myapp: rollout complete: 3 pods Ready at revision myapp-f459d477d"},
        "storage": {"selected": True, "status": "passed", "summary": "3 of 3 claims Bound"},
        "dns": {"selected": True, "status": "passed", "server": "127.0.0.1:10053",
                "summary": "3 pod name(s) resolve forward and back at 127.0.0.1:10053; 0 SRV name(s) complete"},
    },
    "violations": [],
    "junit_path": "/reports/myapp.junit.xml",
    "svg_path": "/reports/myapp.svg",
}


def test_the_tutorial_report_line_by_line():
    assert validation_report(TUTORIAL, "StatefulSet default/myapp") == [
        "StatefulSet default/myapp",
        "Rollout, per ordinal:",
        "  myapp-0  created 07:04:24.629 (+0.0s)  Ready 07:04:25 (+0.4s)  on node2",
        "  myapp-1  created 07:04:25.741 (+1.1s)  Ready 07:04:26 (+1.4s)  on node1",
        "  myapp-2  created 07:04:26.862 (+2.2s)  Ready 07:04:27 (+2.4s)  on node2",
        "  (API timestamps: Ready times have whole seconds; t=0 is the first creation)",
        "Claims (PVC -> PV):",
        "  myapp-0  myappdata-myapp-0 -> pv001  (Bound, 1Gi, RWO)",
        "  myapp-1  myappdata-myapp-1 -> pv002  (Bound, 1Gi, RWO)",
        "  myapp-2  myappdata-myapp-2 -> pv003  (Bound, 2Gi, RWO)",
        "DNS (asked 127.0.0.1:10053):",
        "  myapp-0  A    myapp-0.statefulset-headless.default.svc.cluster.local -> 10.244.2.2",
        "           PTR  2.2.244.10.in-addr.arpa -> myapp-0.statefulset-headless.default.svc.cluster.local",
        "  myapp-1  A    myapp-1.statefulset-headless.default.svc.cluster.local -> 10.244.1.3",
        "           PTR  3.1.244.10.in-addr.arpa -> myapp-1.statefulset-headless.default.svc.cluster.local",
        "  myapp-2  A    myapp-2.statefulset-headless.default.svc.cluster.local -> 10.244.2.3",
        "           PTR  3.2.244.10.in-addr.arpa -> myapp-2.statefulset-headless.default.svc.cluster.local",
        "Verdict: valid",
        "  order      passed    StatefulSet myapp: pods were created, deleted and updated in order (audit evidence)",
        "  completion passed    StatefulSet myapp: rollout complete: 3 pods Ready at revision myapp-f459d477d",
        "  storage    passed    3 of 3 claims Bound",
        "  dns        passed    3 pod name(s) resolve forward and back at 127.0.0.1:10053; 0 SRV name(s) complete",
        "Reports:",
        "  JUnit XML    /reports/myapp.junit.xml",
        "  SVG timeline /reports/myapp.svg",
    ]


def test_the_short_name_in_the_search_path_form_follows_each_pod():
    result = copy.deepcopy(TUTORIAL)
    for item in result["dns"]:
        item["search"] = {"name": "%s.statefulset-headless" % item["pod"], "form": "search path",
                          "search_domain": "default.svc.cluster.local", "query": item["fqdn"], "type": "A",
                          "rcode": "NOERROR", "values": [item["ip"]]}
    result["dns"][1]["search"].update(rcode="NXDOMAIN", values=[])
    result["checks"]["dns"]["server"] = "kube-system/coredns-a:53 (port-forward through the API server)"
    lines = validation_report(result)
    dns = lines[lines.index("DNS (asked kube-system/coredns-a:53 (port-forward through the API server)):") + 1:
                lines.index("Verdict: valid")]
    assert dns[2] == "           A    myapp-0.statefulset-headless (search path default.svc.cluster.local) -> 10.244.2.2"
    assert dns[5] == "           A    myapp-1.statefulset-headless (search path default.svc.cluster.local) -> NXDOMAIN"


def test_a_deleted_incarnation_comes_before_its_successor_and_shows_its_deletion():
    result = copy.deepcopy(TUTORIAL)
    result["pods"].append(_pod(1, "2026-11-27T07:00:00Z", "2026-11-27T07:00:01Z", None,
                               terminating="2026-11-27T07:04:20Z", deleted="2026-11-27T07:04:21.500Z",
                               source="event", node=None))
    lines = validation_report(result)
    rollout = lines[lines.index("Rollout, per ordinal:") + 1:lines.index("Claims (PVC -> PV):")]
    assert rollout[1] == "  myapp-1  created 07:00:00 (+0.0s)  Ready 07:00:01 (+1.0s)  deleted 07:04:21.500 (+261.5s)"
    assert rollout[2].startswith("  myapp-1  created 07:04:25.741 (+265.7s)")
    assert lines[0] == "Rollout, per ordinal:"  # no heading given


def test_a_pending_claim_a_pod_not_ready_and_the_violations_are_shown():
    result = copy.deepcopy(TUTORIAL)
    result["valid"] = False
    result["pods"].append(_pod(3, "2026-11-27T07:04:28Z", None, None, node=None))
    result["storage"].append(_claim(3, None, capacity=None, phase="Pending",
                                    reason="FailedBinding: no persistent volumes available for this claim"))
    result["checks"]["storage"].update(status="failed", summary="3 of 4 claims Bound")
    result["violations"] = [{"check": "storage", "pod": "myapp-3",
                             "message": "claim myappdata-myapp-3 of myapp-3 is Pending"},
                            {"check": "completion", "pod": None, "message": "rollout incomplete"}]
    lines = validation_report(result)
    assert "  myapp-3  created 07:04:28 (+3.4s)  not Ready" in lines
    assert ("  myapp-3  myappdata-myapp-3 -> no volume  (Pending, RWO): "
            "FailedBinding: no persistent volumes available for this claim") in lines
    assert "Verdict: INVALID" in lines
    assert "  storage    failed    3 of 4 claims Bound" in lines
    assert "  violation (storage, myapp-3): claim myappdata-myapp-3 of myapp-3 is Pending" in lines
    assert "  violation (completion, StatefulSet): rollout incomplete" in lines


def test_dns_answers_without_values_show_the_rcode_and_unpublished_pods_are_marked():
    result = copy.deepcopy(TUTORIAL)
    result["dns"] = [_dns(0, "10.244.2.2", "2.2.244.10.in-addr.arpa")]
    result["dns"][0]["a"].update(rcode="NXDOMAIN", values=[])
    result["dns"][0]["ptr"] = None
    result["dns"][0]["published"] = False
    lines = validation_report(result)
    start = lines.index("DNS (asked 127.0.0.1:10053):")
    assert lines[start + 1:start + 4] == [
        "  myapp-0  A    myapp-0.statefulset-headless.default.svc.cluster.local -> NXDOMAIN",
        "           PTR  10.244.2.2 -> not asked",
        "           (not published: the pod is not Ready)",
    ]


def test_unselected_checks_no_objects_and_no_report_files():
    result = {"changed": False, "valid": True, "pods": [], "storage": [], "dns": [],
              "checks": {"order": {"selected": False, "status": "skipped"},
                         "completion": {"selected": True, "status": "passed", "summary": "done"},
                         "storage": {"selected": False, "status": "skipped"},
                         "dns": {"selected": False, "status": "skipped"}},
              "violations": [], "junit_path": None, "svg_path": None}
    assert validation_report(result) == [
        "Rollout, per ordinal:", "  (no pods)",
        "Claims (PVC -> PV):", "  (no claims)",
        "DNS:", "  (no pod addresses)",
        "Verdict: valid", "  completion passed    done",
        "Reports:", "  JUnit XML    not written", "  SVG timeline not written",
    ]


def test_watch_evidence_is_explained():
    result = copy.deepcopy(TUTORIAL)
    result["checks"]["order"]["evidence"] = "watch"
    assert "  (times the watch events arrived; t=0 is the first creation)" in validation_report(result)


@pytest.mark.parametrize("bad, message", [
    (None, "expected the registered result of stateful.nfs.statefulset_validate (a dict), got NoneType"),
    ("text", "got str"),
    ({"failed": True, "msg": "StatefulSet default/myapp: Unauthorized"},
     "the validation itself failed: StatefulSet default/myapp: Unauthorized"),
])
def test_input_that_is_not_a_validation_result_is_refused(bad, message):
    with pytest.raises(AnsibleFilterError, match="validation_report: .*") as caught:
        validation_report(bad)
    assert message in str(caught.value)


def test_times_are_parsed_strictly():
    assert report_time("2026-11-27T07:04:24.629Z").microsecond == 629000
    assert report_time("2026-11-27T07:04:24Z").second == 24
    assert report_time(None) is None
    with pytest.raises(AnsibleFilterError, match="'yesterday' is not an RFC 3339 UTC time"):
        report_time("yesterday")


def test_the_plugin_exposes_the_filter():
    assert FilterModule().filters() == {"validation_report": validation_report}
