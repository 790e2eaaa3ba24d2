# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SVG timeline of a ``statefulset_validate`` result: one row per ordinal.

A pure function from the module's result to a string; writing the file is the caller's job.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import time
from xml.sax.saxutils import escape

COLORS = {
    "pending": "#f0b429",      # created, not yet Ready
    "ready": "#2f9e44",        # Ready
    "terminating": "#e03131",  # deletion started
    "grid": "#e9ecef",
    "axis": "#495057",
    "text": "#212529",
    "muted": "#868e96",
    "band": "#f8f9fa",
}
_STEPS = (0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400)


def _ticks(span, target=8):
    for step in _STEPS:
        if span / step <= target:
            return step
    return _STEPS[-1]


def _tick_label(seconds, step):
    if step >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return "+%dm" % minutes if minutes < 120 else "+%dh" % (minutes // 60)
    if step < 1:
        return "+%.2fs" % seconds if step < 0.1 else "+%.1fs" % seconds
    return "+%ds" % int(round(seconds))


def svg_timeline(result, end=None):
    """One row per ordinal: created -> Ready (amber), Ready (green), deletion (red),
    with markers at each transition, on a shared time axis."""
    rows = [r for r in result.get("timeline") or [] if r.get("created") is not None or r.get("deleted")]
    title = "StatefulSet %s/%s" % (result["namespace"], result["statefulset"])
    order = result["checks"].get("order") or {}
    subtitle_bits = []
    if order:
        subtitle_bits.append("order: %s (%s evidence, %s)" % (order.get("status"), order.get("evidence") or "-",
                                                              order.get("policy") or "OrderedReady"))
    completion = result.get("completion") or {}
    if "complete" in completion:
        subtitle_bits.append("rollout %s" % ("complete" if completion["complete"] else "incomplete"))
    subtitle_bits.append("%d violation(s)" % len(result.get("violations") or []))
    times = [t for r in rows for t in (r.get("created"), r.get("ready"), r.get("terminating"), r.get("deleted"))
             if t is not None]
    t0 = min(times) if times else 0.0
    t1 = max(times + [end or 0.0]) if times else 1.0
    span = max(t1 - t0, 1.0)
    step = _ticks(span)
    span = math.ceil(span / step) * step

    ordinals = sorted(set(r["ordinal"] for r in rows))
    label_w, right, top = 150, 30, 78
    # rows shrink for large StatefulSets (the picture stays under ~3,000 px); labels thin out
    row_h = 30 if len(ordinals) <= 40 else max(3, min(30, 2400 // len(ordinals)))
    bar_h = max(2, min(14, row_h - 10 if row_h > 16 else row_h - 1))
    label_every = 1 if row_h >= 14 else int(math.ceil(14.0 / row_h))
    width = 980
    plot_w = width - label_w - right
    height = top + max(1, len(ordinals)) * row_h + 90

    def x(t):
        return label_w + (t - t0) / span * plot_w

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">' % (width, height, width, height),
           '<title>%s</title>' % escape(title),
           '<rect width="100%%" height="100%%" fill="#ffffff"/>',
           '<text x="%d" y="28" font-size="18" font-weight="bold" fill="%s">%s</text>'
           % (16, COLORS["text"], escape(title)),
           '<text x="%d" y="50" fill="%s">%s</text>' % (16, COLORS["muted"], escape(" \u00b7 ".join(subtitle_bits)))]
    if times:
        out.append('<text x="%d" y="50" text-anchor="end" fill="%s">t0 = %s UTC</text>'
                   % (width - right, COLORS["muted"], escape(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t0)))))
    plot_bottom = top + max(1, len(ordinals)) * row_h
    for index in range(len(ordinals)):
        if index % 2 == 0 and row_h >= 10:
            out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>'
                       % (8, top + index * row_h, width - 16, row_h, COLORS["band"]))
    n = int(round(span / step))
    for i in range(n + 1):
        tx = x(t0 + i * step)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>'
                   % (tx, top - 4, tx, plot_bottom, COLORS["grid"] if i else COLORS["axis"]))
        out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="%s">%s</text>'
                   % (tx, plot_bottom + 18, COLORS["axis"], escape(_tick_label(i * step, step))))
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>'
               % (label_w, plot_bottom, width - right, plot_bottom, COLORS["axis"]))
    halted = (order.get("halted_at") or {}).get("ordinal") if order else None
    flagged = set(v["pod"] for v in result.get("violations") or [] if v.get("pod"))
    for index, ordinal in enumerate(ordinals):
        mine = sorted((r for r in rows if r["ordinal"] == ordinal), key=lambda r: r.get("created") or 0)
        cy = top + index * row_h + row_h / 2.0
        label = mine[-1]["name"]
        color = COLORS["terminating"] if label in flagged or ordinal == halted else COLORS["text"]
        shown = index % label_every == 0 or label in flagged or ordinal == halted
        if shown:
            out.append('<text x="%d" y="%.1f" fill="%s" font-weight="bold">%s</text>'
                       % (16, cy + 4, color, escape(label)))
        revision = mine[-1].get("revision")
        if revision and label_every == 1:
            out.append('<text x="%d" y="%.1f" fill="%s" font-size="10">%s</text>'
                       % (label_w - 8, cy + 4, COLORS["muted"], escape(revision.rsplit("-", 1)[-1][:12])))
            out[-1] = out[-1].replace('<text ', '<text text-anchor="end" ', 1)
        for row in mine:
            out.extend(_bars(row, x, cy, bar_h, t1))
        if ordinal == halted:
            out.append('<text x="%.1f" y="%.1f" fill="%s" font-size="11" font-weight="bold">halted here</text>'
                       % (min(x(t1) + 6, width - right - 70), cy - 9, COLORS["terminating"]))
    if not ordinals:
        out.append('<text x="%d" y="%d" fill="%s">no pods to show</text>' % (label_w, top + 18, COLORS["muted"]))
    ly = plot_bottom + 50
    lx = label_w
    for key, text in (("pending", "created \u2192 Ready"), ("ready", "Ready"), ("terminating", "terminating \u2192 deleted")):
        out.append('<rect x="%d" y="%d" width="22" height="10" rx="2" fill="%s"/>' % (lx, ly - 9, COLORS[key]))
        out.append('<text x="%d" y="%d" fill="%s">%s</text>' % (lx + 28, ly, COLORS["text"], escape(text)))
        lx += 40 + 8 * len(text)
    out.append('<circle cx="%d" cy="%d" r="4" fill="#ffffff" stroke="%s" stroke-width="2"/>'
               % (lx + 4, ly - 4, COLORS["axis"]))
    out.append('<text x="%d" y="%d" fill="%s">created</text>' % (lx + 14, ly, COLORS["text"]))
    lx += 80
    out.append('<path d="M %d %d l 5 5 l -5 5 l -5 -5 z" fill="%s"/>' % (lx + 4, ly - 9, COLORS["ready"]))
    out.append('<text x="%d" y="%d" fill="%s">Ready</text>' % (lx + 14, ly, COLORS["text"]))
    lx += 70
    out.append('<path d="M %d %d l 8 8 M %d %d l -8 8" stroke="%s" stroke-width="2"/>'
               % (lx, ly - 8, lx + 8, ly - 8, COLORS["terminating"]))
    out.append('<text x="%d" y="%d" fill="%s">deleted</text>' % (lx + 14, ly, COLORS["text"]))
    out.append('<text x="%d" y="%d" fill="%s" font-size="10">%s</text>'
               % (16, height - 12, COLORS["muted"], escape("stateful.nfs.statefulset_validate \u00b7 rows are "
                                                           "ordinals; bars start when the pod was created")))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _bars(row, x, cy, bar_h, t_end):
    parts = []
    created = row.get("created")
    ready = row.get("ready")
    term = row.get("terminating")
    deleted = row.get("deleted")
    stop = deleted if deleted is not None else t_end
    y = cy - bar_h / 2.0
    name = escape(row.get("name") or "")

    def span(a, b, key, tip):
        if a is None or b is None:
            return
        w = max(x(b) - x(a), 2.0)
        parts.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%d" rx="3" fill="%s"><title>%s</title></rect>'
                     % (x(a), y, w, bar_h, COLORS[key], escape(tip)))

    if created is not None:
        first_end = min(v for v in (ready, term, stop) if v is not None)
        span(created, first_end, "pending", "%s created, not yet Ready" % name)
    if ready is not None:
        span(ready, term if term is not None else stop, "ready", "%s Ready" % name)
    if term is not None:
        span(term, stop, "terminating", "%s terminating" % name)
    if bar_h < 8:
        return parts
    if created is not None:
        parts.append('<circle cx="%.1f" cy="%.1f" r="4" fill="#ffffff" stroke="%s" stroke-width="2"/>'
                     % (x(created), cy, COLORS["axis"]))
    if ready is not None:
        parts.append('<path d="M %.1f %.1f l 5 5 l -5 5 l -5 -5 z" fill="%s" stroke="#ffffff"/>'
                     % (x(ready), cy - 5, COLORS["ready"]))
    if deleted is not None:
        dx = x(deleted)
        parts.append('<path d="M %.1f %.1f l 8 8 M %.1f %.1f l -8 8" stroke="%s" stroke-width="2"/>'
                     % (dx - 4, cy - 4, dx + 4, cy - 4, COLORS["terminating"]))
    return parts
