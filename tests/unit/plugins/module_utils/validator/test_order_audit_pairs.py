# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit's creation order judges only the pairs that are not plainly fine (issue 17): the same
verdicts, counts, notes and their order as judging every pair, on many random StatefulSets."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.validator import order_audit

T0 = 1764600000  # a whole second


def every_pair(facts, start, _min_ready):
    """Every (lower, higher) pair judged, none skipped: how the audit chose its pairs before (the reference)."""
    return [(ordinal, [low for low in range(start, ordinal) if low in facts and facts[low]["born"] is not None], 0)
            for ordinal in sorted(facts) if ordinal >= start and facts[ordinal]["born"] is not None]


def stamp(second, rng):
    return obj.format_time(T0 + second + rng.choice([0.0, 0.25, 0.75]))[:-5] + "Z" if rng.random() < 0.5 \
        else obj.format_time(T0 + second + rng.random())


def random_statefulset(rng):
    """A StatefulSet and its pods in one of many states: creations and Ready times a few seconds apart
    (many in the same second), some pods not Ready, without a Ready condition or time, restarted,
    re-created, missing, or without a creation time."""
    start = rng.choice([0, 0, 1, 3])
    sts = {"metadata": {"name": "web", "uid": "u1"},
           "spec": {"podManagementPolicy": "OrderedReady", "minReadySeconds": rng.choice([0, 0, 1, 3]),
                    "ordinals": {"start": start}}}
    pods, clock = [], 0
    for ordinal in range(start, start + rng.randint(1, 40)):
        if rng.random() < 0.05:
            continue  # a missing pod
        clock += rng.choice([0, 0, 1, 1, 2, 5])
        born = clock if rng.random() > 0.1 else clock - rng.randint(1, 30)  # some re-created out of order
        pod = {"metadata": {"name": "web-%d" % ordinal,
                            "ownerReferences": [{"kind": "StatefulSet", "name": "web", "uid": "u1", "controller": True}]},
               "status": {"conditions": []}}
        if rng.random() > 0.03:
            pod["metadata"]["creationTimestamp"] = stamp(born, rng)
        state = rng.random()
        ready_at = born + rng.choice([0, 0, 1, 1, 2, 4])
        if state < 0.8:
            pod["status"]["conditions"].append({"type": "Ready", "status": "True",
                                                "lastTransitionTime": stamp(ready_at, rng)})
        elif state < 0.88:
            pod["status"]["conditions"].append({"type": "Ready", "status": rng.choice(["False", "Unknown"]),
                                                "lastTransitionTime": stamp(ready_at + rng.randint(-3, 6), rng)})
        elif state < 0.94:
            pod["status"]["conditions"].append({"type": "Ready", "status": "True"})  # no time
        if rng.random() < 0.1:
            pod["status"]["containerStatuses"] = [{"restartCount": 1, "state": {"running": {
                "startedAt": stamp(born + rng.randint(0, 8), rng)}}}]
        clock = max(clock, ready_at)
        pods.append(pod)
    return sts, pods


def test_judging_only_the_pairs_that_are_not_plainly_fine_changes_nothing():
    rng = random.Random(17)
    seen = set()
    for _case in range(600):
        sts, pods = random_statefulset(rng)
        own = obj.owned_pods(sts, pods)
        adopted = set(obj.meta(p)["name"] for p in own if rng.random() < 0.05)
        want = ([], [], [])
        got = ([], [], [])
        expected = order_audit._audit_creations(sts, own, adopted, [], *want, pairs=every_pair)
        assert order_audit._audit_creations(sts, own, adopted, [], *got) == expected
        assert got == want
        seen.update(v["message"].split(" ")[3] for v in want[0])  # "... was created at X, ..."
        seen.update(["undecided"] if expected[1] else [])
        seen.update(["unknown"] if any("(see notes)" in u for u in want[2]) else [])
        seen.update(["replaced"] if any("re-created later" in u for u in want[2]) else [])
    # the random StatefulSets reach every kind of verdict
    assert {"undecided", "unknown", "replaced"} <= seen and len(seen) > 3


def test_a_finished_rollout_of_a_thousand_pods_is_judged_by_lookups_not_pairs():
    # a pod a second, each Ready in the second the next one is created
    facts = dict((i, {"name": "web-%d" % i, "born": float(T0 + i), "ready": "True", "since": float(T0 + i + 1),
                      "restarts": 0, "started": None}) for i in range(1000))
    pairs = order_audit._pairs_to_judge(facts, 0, 0)
    # each pod's only pair to judge (undecided: the same second) is with the pod just below it
    assert [lows for _high, lows, _ok in pairs] == [[]] + [[i - 1] for i in range(1, 1000)]
    assert sum(ok for _high, _lows, ok in pairs) == 1000 * 999 // 2 - 999
