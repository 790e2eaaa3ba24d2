# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SVG timeline of a validation result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from xml.etree import ElementTree

from ansible_collections.stateful.nfs.plugins.module_utils.validator.svg import svg_timeline
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
