# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SVG timeline of a validation result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from xml.etree import ElementTree

from ansible_collections.stateful.nfs.plugins.module_utils.validator.svg import (
    duration_text,
    now_text,
    svg_timeline,
    time_windows,
)
from ansible_collections.stateful.nfs.plugins.module_utils.validator.verdict import evaluate
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.fakes import report_params as params

SVG = "{http://www.w3.org/2000/svg}"


def test_svg_has_a_row_per_ordinal_and_an_axis(shot):
    result = evaluate(params(), shot)
    text = svg_timeline(dict(result, timeline=result["_timeline"]), end=shot["taken"])
    root = ElementTree.fromstring(text)
    labels = [t.text for t in root.iter(SVG + "text")]
    assert "StatefulSet default/myapp" in labels
    assert [t for t in labels if t in ("myapp-0", "myapp-1", "myapp-2")] == ["myapp-0", "myapp-1", "myapp-2"]
    assert "+0s" in labels and any(t.startswith("+") and t.endswith("s") and t != "+0s" for t in labels)
    tips = [t.text for t in root.iter(SVG + "title")]
    assert tips.count("myapp-1 Ready") == 1 and tips.count("myapp-1 created, not yet Ready") == 1


def test_svg_marks_the_halt_and_deleted_rows(shot):
    ready = [c for c in shot["pods"][1]["status"]["conditions"] if c["type"] == "Ready"][0]
    ready["status"] = "False"
    pods = shot["pods"][:2]
    result = evaluate(params(checks=["order"]), dict(shot, pods=pods))
    text = svg_timeline(dict(result, timeline=result["_timeline"]), end=shot["taken"])
    assert "halted here" in text
    assert "order: halted (audit evidence, OrderedReady)" in text


def test_svg_without_pods(shot):
    result = evaluate(params(checks=["order"]), dict(shot, pods=[], events=[]))
    text = svg_timeline(dict(result, timeline=result["_timeline"]))
    ElementTree.fromstring(text)
    assert "no pods to show" in text


def test_svg_of_a_large_statefulset_stays_readable():
    rows = [{"ordinal": i, "name": "mass-%d" % i, "created": 1000 + i * 0.01, "ready": 1001 + i * 0.01,
             "terminating": None, "deleted": None, "revision": "mass-5c85b756b"} for i in range(1000)]
    result = {"namespace": "bench", "statefulset": "mass", "checks": {}, "completion": {}, "violations": [
        {"check": "dns", "pod": "mass-517", "message": "duplicate PTR"}], "timeline": rows}
    root = ElementTree.fromstring(svg_timeline(result, end=1020))
    assert int(root.get("height")) < 3200
    labels = [t.text for t in root.iter(SVG + "text") if (t.text or "").startswith("mass-")]
    assert 100 < len(labels) < 300
    assert "mass-0" in labels and "mass-517" in labels  # a row with a violation is always named


def _row(ordinal, created, ready=None, terminating=None, deleted=None):
    return {"ordinal": ordinal, "name": "web-%d" % ordinal, "created": created, "ready": ready,
            "terminating": terminating, "deleted": deleted}


def test_duration_text():
    assert [duration_text(s) for s in (0.4, 42, 60, 603, 7500, 3 * 86400 + 4 * 3600 + 59)] == \
        ["0 s", "42 s", "1 min", "10 min 3 s", "2 h 5 min", "3 d 4 h"]


def test_a_slow_pod_does_not_break_the_axis():
    # web-1 waits five minutes for its image: the rollout is one window, the wait is in it
    rows = [_row(0, 0, 2), _row(1, 3, 303), _row(2, 304, 306)]
    windows = time_windows(rows)
    assert len(windows) == 1 and windows[0][0] == 0 and 306 < windows[0][1] < 320


def test_quiet_gaps_break_the_axis_only_when_long():
    rollout = [_row(0, 0, 2), _row(1, 3, 5)]
    # a scale-down 20 s after the rollout: one window
    assert len(time_windows(rollout + [_row(2, 6, 8, 28, 29)])) == 1
    # an update an hour later (each pod deleted and re-created): a second window
    later = [_row(1, 3, 5, 3600, 3601), _row(1, 3602, 3604)]
    assert [round(w[0]) for w in time_windows(rollout + later)] == [0, 3600]
    # never more than four windows: the shortest gaps close first
    many = [_row(i, 3600.0 * i, 3600.0 * i + 2) for i in range(7)]
    assert len(time_windows(many)) == 4


def test_now_is_said_not_drawn():
    rows = [_row(0, 0, 2), _row(1, 3, 5)]
    assert now_text(rows, None) is None
    assert now_text(rows, 5.2) == "report written at the last Ready"
    assert now_text(rows, 3605) == "report written 1 h after the last Ready"
    waiting = rows + [_row(2, 6), _row(3, 1, 2, 7)]
    assert now_text(waiting, 66) == ("report written 59 s after the last termination; still not Ready then: web-2; "
                                     "still terminating then: web-3")
    assert time_windows(waiting)[-1][1] < 10  # the wait itself is not drawn to scale
