# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Watch mode and audit mode agree: each case is one history (scenario.Scenario), judged once
from what audit mode reads afterwards and once from what a watch recorded while it happened,
through the module's own ``evaluate``. Both must give the same verdict: ``valid`` and the pods
named by the order violations."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.validator.order_watch import controller_deletes_since
from ansible_collections.stateful.nfs.plugins.module_utils.validator.verdict import evaluate

from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.scenario import T0, Scenario


def ordered(replicas=3):
    """The controller's rollout: each pod created a second after its predecessor turned Ready."""
    case = Scenario(replicas=replicas)
    for ordinal in range(replicas):
        case.create(ordinal, 2.2 * ordinal + 0.1).ready(ordinal, 2.2 * ordinal + 1.2)
    return case


def orphan_before_statefulset():
    """The issue's case: myapp-1, an orphan, Ready seconds before the StatefulSet existed; the
    controller adopts it and creates myapp-0 afterwards."""
    return (Scenario(replicas=2, sts_at=5.0).create(1, 0.2, controller=False).ready(1, 1.3)
            .adopt(1, 5.1).create(0, 5.2).ready(0, 6.3))


def orphan_after_statefulset():
    """Someone creates myapp-1 by hand after the StatefulSet, before the controller would have."""
    return (Scenario(replicas=2).create(0, 0.1).ready(0, 1.2).create(1, 4.5, controller=False)
            .adopt(1, 4.6).ready(1, 5.6))


def created_before_lower_ready():
    """The controller creates myapp-1 while myapp-0 is not Ready (two whole seconds apart)."""
    return Scenario(replicas=2).create(0, 0.1).create(1, 1.5).ready(0, 3.2).ready(1, 4.0)


def lower_recreated_later():
    """myapp-0 deleted by hand after the rollout; the controller re-creates it."""
    return (ordered(replicas=2).delete(0, 10.1, controller=False).create(0, 10.2).ready(0, 11.3))


def lower_restarted_later():
    """myapp-0's container restarts after myapp-1 was created: its Ready time is a later one."""
    return ordered(replicas=2).restart(0, 6.0).ready(0, 7.1)


def scale_down_highest_first():
    return ordered().scale(1, 10.0).delete(2, 10.1).delete(1, 11.4)


def scale_down_lowest_first():
    """The controller deletes myapp-1 while myapp-2 is still there."""
    return ordered().scale(1, 10.0).delete(1, 10.1).delete(2, 12.4)


def same_second():
    """myapp-1 created in the second myapp-0 turned Ready (after it): audit cannot order it."""
    return Scenario(replicas=2).create(0, 0.1).ready(0, 1.2).create(1, 1.6).ready(1, 2.7)


# (case, audit keeps events, the pods both modes must name)
CASES = [
    ("ordered", ordered, True, []),
    ("ordered-events-expired", ordered, False, []),
    ("same-second", same_second, True, []),
    ("orphan-before-statefulset", orphan_before_statefulset, True, ["myapp-1"]),
    ("orphan-before-statefulset-events-expired", orphan_before_statefulset, False, ["myapp-1"]),
    ("orphan-after-statefulset", orphan_after_statefulset, True, ["myapp-1"]),
    ("created-before-lower-ready", created_before_lower_ready, True, ["myapp-1"]),
    ("created-before-lower-ready-events-expired", created_before_lower_ready, False, ["myapp-1"]),
    ("lower-recreated-later", lower_recreated_later, True, []),
    ("lower-restarted-later", lower_restarted_later, True, []),
    ("scale-down-highest-first", scale_down_highest_first, True, []),
]


def _verdicts(case, events):
    params = dict(name="myapp", namespace="default", checks=["order"], mode="audit")
    audit = evaluate(params, case.shot(events=events))
    shot = case.shot()
    watch = {"records": case.records(), "controller_deletes": controller_deletes_since(shot["events"], "myapp", T0)}
    watched = evaluate(dict(params, mode="watch"), shot, watch=watch)
    return audit, watched


@pytest.mark.parametrize("build, events, pods", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_watch_and_audit_agree(build, events, pods):
    audit, watched = _verdicts(build(), events)
    assert audit["checks"]["order"]["evidence"] == "audit" and watched["checks"]["order"]["evidence"] == "watch"
    for result in (audit, watched):
        assert result["valid"] is (not pods), result["violations"]
        assert sorted(set(v["pod"] for v in result["violations"])) == pods, result["violations"]


def test_a_deletion_inversion_fails_in_both_modes_naming_the_pair():
    """Both modes fail it and both messages name the pair; they attribute it differently (audit
    mode to the higher pod deleted after the lower one, watch mode to the lower pod deleted while
    the higher one existed), as they did before: only the verdict is compared here."""
    audit, watched = _verdicts(scale_down_lowest_first(), True)
    assert audit["valid"] is False and watched["valid"] is False
    for result in (audit, watched):
        assert result["checks"]["order"]["status"] == "failed"
        assert all(p in result["violations"][0]["message"] for p in ("myapp-1", "myapp-2"))
    assert [v["pod"] for v in audit["violations"]] == ["myapp-2"]
    assert [v["pod"] for v in watched["violations"]] == ["myapp-1"]


def test_the_orphan_is_named_with_its_evidence_in_both_modes():
    audit, watched = _verdicts(orphan_before_statefulset(), True)
    assert audit["violations"][0]["message"] == (
        "myapp-1 was not created by the StatefulSet controller (no SuccessfulCreate event; created "
        "2026-11-27T07:00:00.000Z, before the StatefulSet at 2026-11-27T07:00:05.000Z): it was adopted, so its "
        "place in the rollout order is not the controller's")
    assert watched["violations"][0]["message"] == (
        "myapp-1 was not created by the StatefulSet controller (it appeared at 2026-11-27T07:00:00.200Z without a "
        "controller reference to the StatefulSet; created 2026-11-27T07:00:00.000Z, before the StatefulSet at "
        "2026-11-27T07:00:05.000Z): it was adopted, so its place in the rollout order is not the controller's")
    for result in (audit, watched):
        assert result["checks"]["order"]["status"] == "failed"
        assert result["checks"]["order"]["adopted"] == ["myapp-1"]


def test_without_events_audit_says_what_it_could_not_check_where_watch_saw_the_orphan():
    """An orphan created after the StatefulSet is only told apart by the controller's events: once
    they expired, audit mode cannot see it - and says so instead of passing silently."""
    case = orphan_after_statefulset()
    params = dict(name="myapp", namespace="default", checks=["order"], mode="audit")
    result = evaluate(params, case.shot(events=False))
    audit = result["checks"]["order"]
    assert result["valid"] is True and audit["status"] == "passed"
    assert audit["summary"].startswith("StatefulSet myapp: no order violation in the audit evidence; not checked: "
                                       "which pods the controller created, and the deletion order (no events of "
                                       "StatefulSet myapp are left")
    assert "the creation order rests on pod timestamps only" in audit["summary"]
    assert audit["basis"]["created by the controller"] == "controller references and creation times only (no " \
                                                          "events left)"
    _audit, watched = _verdicts(case, True)
    assert [v["pod"] for v in watched["violations"]] == ["myapp-1"]


def test_a_lower_pod_recreated_later_is_a_note_with_the_times_in_audit_mode():
    audit, _watched = _verdicts(lower_recreated_later(), True)
    order = audit["checks"]["order"]
    assert audit["valid"] is True and order["status"] == "passed"
    assert ("myapp-0 was re-created later: its current pod was created at 2026-11-27T07:00:10.000Z, after myapp-1 "
            "at 2026-11-27T07:00:02.000Z (the controller's events show the earlier myapp-0 created "
            "2026-11-27T07:00:00.104Z); myapp-1's creation is not judged against the myapp-0 that is gone") \
        in order["notes"]
    assert order["unchecked"] == ["the creation of myapp-1 against the earlier myapp-0 (re-created later)"]
