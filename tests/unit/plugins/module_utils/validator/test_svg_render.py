# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SVG timeline as people see it: built by the module's own ``evaluate`` from realistic histories
(scenario.Scenario), measured from its elements' coordinates, and rendered to PNG by ``rsvg-convert``
(Debian's librsvg2-bin, installed by ``make test-tools``, which ``make units`` runs first).

The order must be visible at a glance however long ago the rollout ended: the staircase of an ordered
rollout spans most of the plot's width, and a scale-down an hour later gets a window of its own."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import shutil
import struct
import subprocess
from xml.etree import ElementTree

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.validator.order_watch import controller_deletes_since
from ansible_collections.stateful.nfs.plugins.module_utils.validator.svg import svg_timeline
from ansible_collections.stateful.nfs.plugins.module_utils.validator.verdict import evaluate
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.scenario import T0, Scenario

SVG = "{http://www.w3.org/2000/svg}"
PLOT_LEFT, PLOT_RIGHT = 150, 980 - 30  # svg.py: label_w, width - right
DIAMOND = re.compile(r"^M ([0-9.]+) ")


def ordered_rollout(replicas=5):
    """The controller's rollout: each pod Ready 2 to 4 s after its creation, the next created 1 s later."""
    case, at = Scenario(replicas=replicas), 0.0
    for ordinal in range(replicas):
        ready = at + 2 + ordinal % 3
        case.create(ordinal, at).ready(ordinal, ready)
        at = ready + 1
    return case, ready


def picture(case, end, mode="audit"):
    params = dict(name="myapp", namespace="default", checks=["order"], mode=mode)
    shot = case.shot()
    watch = None
    if mode == "watch":
        watch = {"records": case.records(), "controller_deletes": controller_deletes_since(shot["events"], "myapp", T0)}
    result = evaluate(params, shot, watch=watch)
    assert result["valid"], result["violations"]
    text = svg_timeline(dict(result, timeline=result["_timeline"]), end=end)
    return text, ElementTree.fromstring(text)


def rows(root):
    """``{pod name: (created x, Ready x)}`` from the row labels, the creation circles and the Ready diamonds."""
    labels = [t for t in root.iter(SVG + "text") if re.match(r"^myapp-\d+$", t.text or "")]
    circles = [c for c in root.iter(SVG + "circle") if float(c.get("cx")) >= PLOT_LEFT]
    diamonds = [p for p in root.iter(SVG + "path") if " l 5 5 l -5 5 l -5 -5 z" in p.get("d")
                and float(DIAMOND.match(p.get("d")).group(1)) >= PLOT_LEFT]
    out = {}
    for label in labels:
        y = float(label.get("y")) - 4  # the label's baseline sits 4 px below the row's middle
        created = [float(c.get("cx")) for c in circles if abs(float(c.get("cy")) - y) < 0.5]
        ready = [float(DIAMOND.match(p.get("d")).group(1)) for p in diamonds
                 if abs(float(p.get("d").split()[2]) + 5 - y) < 0.5]
        out[label.text] = (created, ready)
    return out


def texts(root):
    return [t.text for t in root.iter(SVG + "text")]


def render(text, tmp_path):
    """rsvg-convert's PNG of ``text``: ``(width, height)`` read from its header."""
    program = shutil.which("rsvg-convert")
    if not program:
        pytest.fail("rsvg-convert not found: it comes from Debian's librsvg2-bin, which `make test-tools` installs")
    source, target = tmp_path / "timeline.svg", tmp_path / "timeline.png"
    source.write_text(text)
    proc = subprocess.run([program, "--format", "png", "--output", str(target), str(source)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_a_rollout_ten_minutes_ago_fills_the_width(tmp_path):
    case, last_ready = ordered_rollout(5)
    text, root = picture(case, end=T0 + last_ready + 600)
    found = rows(root)
    assert sorted(found) == ["myapp-%d" % i for i in range(5)]  # one row per ordinal
    for name, (created, ready) in found.items():
        assert len(created) == 1 and len(ready) == 1, name
    first_created = found["myapp-0"][0][0]
    last_ready_x = found["myapp-4"][1][0]
    assert first_created - PLOT_LEFT < 5
    assert (last_ready_x - first_created) / (PLOT_RIGHT - PLOT_LEFT) > 0.85, "the staircase is squeezed"
    # a staircase: each pod created right of its predecessor's Ready
    for ordinal in range(1, 5):
        assert found["myapp-%d" % ordinal][0][0] > found["myapp-%d" % (ordinal - 1)][1][0]
    assert "report written 10 min after the last Ready" in texts(root)
    assert render(text, tmp_path) == (int(root.get("width")), int(root.get("height")))


def test_a_scale_down_an_hour_later_has_its_own_window(tmp_path):
    case, last_ready = ordered_rollout(5)
    case.scale(3, 3600).delete(4, 3600.2).delete(3, 3602.5)
    text, root = picture(case, end=T0 + 3700, mode="watch")
    # the quiet gap: from myapp-4's Ready (+18 s) to its deletion (+3600.2 s)
    assert "\u2248 59 min 42 s" in texts(root)
    plot_bottom = 78 + 5 * 30  # svg.py: top + rows * row height; the legend's cross is below it
    crosses = sorted(float(p.get("d").split()[1]) + 4 for p in root.iter(SVG + "path")
                     if p.get("d").endswith(" l -8 8") and float(p.get("d").split()[2]) < plot_bottom)
    assert len(crosses) == 2 and crosses[0] < crosses[1]  # myapp-4 deleted, then myapp-3
    found = rows(root)
    rollout_width = found["myapp-4"][1][0] - found["myapp-0"][0][0]
    assert rollout_width / (PLOT_RIGHT - PLOT_LEFT) > 0.6, "the rollout is squeezed by the scale-down"
    assert crosses[0] - found["myapp-4"][1][0] > 40  # the deletions are right of the gap, not on top of the rollout
    assert "report written 1 min 38 s after the last deletion" in texts(root)
    assert render(text, tmp_path) == (int(root.get("width")), int(root.get("height")))


def test_a_halted_rollout_says_who_still_waits(tmp_path):
    case = Scenario(replicas=3).create(0, 0).ready(0, 2).create(1, 3)
    params = dict(name="myapp", namespace="default", checks=["order"], mode="audit")
    result = evaluate(params, case.shot())
    text = svg_timeline(dict(result, timeline=result["_timeline"]), end=T0 + 423)
    root = ElementTree.fromstring(text)
    assert "report written 7 min after the last creation; still not Ready then: myapp-1" in texts(root)
    # the bar of the pod that still waits runs to the right edge, with an arrowhead past it
    tips = [t.text for t in root.iter(SVG + "title")]
    assert "myapp-1 still not Ready at the report" in tips
    assert render(text, tmp_path) == (int(root.get("width")), int(root.get("height")))
