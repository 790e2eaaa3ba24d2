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
# The axis breaks over a quiet gap (no pod between creation and Ready, none terminating) longer than this
# and longer than the windows on either side, so a scale-down an hour after the rollout gets its own window.
BREAK_MIN_GAP = 30.0
MAX_WINDOWS = 4
MIN_SHARE = 0.15  # the least part of the plot's width a window gets
GAP_W = 34        # pixels between two windows


def _ticks(span, target=8):
    for step in _STEPS:
        if span / step <= target:
            return step
    return _STEPS[-1]


def _tick_label(seconds, step):
    if step >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return "+%dm" % minutes if minutes < 120 else "+%dh" % (minutes // 60)
    if seconds >= 60 and step >= 1:
        whole = int(round(seconds))
        if whole >= 3600:
            return "+%d:%02d:%02d" % (whole // 3600, whole % 3600 // 60, whole % 60)
        return "+%d:%02d" % (whole // 60, whole % 60)
    if step < 1:
        return "+%ss" % (("%.2f" if step < 0.1 else "%.1f") % seconds).rstrip("0").rstrip(".")
    return "+%ds" % int(round(seconds))


def duration_text(seconds):
    """``42 s``, ``10 min``, ``10 min 3 s``, ``2 h 5 min``, ``3 d 4 h``: how long, for people."""
    whole = int(round(seconds))
    if whole < 60:
        return "%d s" % whole
    for unit, size, sub, sub_size in (("d", 86400, "h", 3600), ("h", 3600, "min", 60), ("min", 60, "s", 1)):
        if whole >= size:
            rest = (whole % size) // sub_size
            return "%d %s" % (whole // size, unit) + (" %d %s" % (rest, sub) if rest else "")
    return "%d s" % whole  # pragma: no cover - every whole >= 60 matched above


def _activity(rows):
    """The spans in which the rollout moved: each pod from creation to Ready (or to its termination or
    deletion), from termination to deletion, and the instants of its events. A pod still not Ready, or
    still terminating, moves no further here: its bar runs on to the right edge."""
    spans = []
    for row in rows:
        created, ready, term, deleted = (row.get(k) for k in ("created", "ready", "terminating", "deleted"))
        if created is not None:
            until = next((t for t in (ready, term, deleted) if t is not None), created)
            spans.append((created, max(created, until)))
        for instant in (ready, deleted):
            if instant is not None:
                spans.append((instant, instant))
        if term is not None:
            spans.append((term, max(term, deleted if deleted is not None else term)))
    return sorted(spans)


def open_rows(rows):
    """``(names still not Ready, names still terminating)`` when the report was written."""
    pending = [r["name"] for r in rows if r.get("created") is not None and r.get("ready") is None
               and r.get("terminating") is None and r.get("deleted") is None]
    terminating = [r["name"] for r in rows if r.get("terminating") is not None and r.get("deleted") is None]
    return pending, terminating


def time_windows(rows):
    """The windows of time the picture draws, ``[(start, stop)]``: the rollout (first creation to last
    Ready) and, apart from it when a quiet gap separates them, each later scale-down or update. The moment
    the report is written is not drawn (a rollout that ended an hour ago would be squeezed into the first
    pixels); the caption says when it was."""
    phases = []
    for start, stop in _activity(rows):
        if phases and start - phases[-1][1] <= BREAK_MIN_GAP:
            phases[-1][1] = max(phases[-1][1], stop)
        else:
            phases.append([start, stop])
    # [start, stop, busy seconds]: a phase merged over a long gap stays as busy as its parts were
    phases = [[start, stop, stop - start] for start, stop in phases]

    def worth_a_break(i):  # the gap after phases[i]
        return phases[i + 1][0] - phases[i][1] > max(phases[i][2], phases[i + 1][2])

    while len(phases) > 1:
        gaps = [(phases[i + 1][0] - phases[i][1], i) for i in range(len(phases) - 1)
                if len(phases) > MAX_WINDOWS or not worth_a_break(i)]
        if not gaps:
            break
        i = min(gaps)[1]
        phases[i:i + 2] = [[phases[i][0], max(phases[i][1], phases[i + 1][1]), phases[i][2] + phases[i + 1][2]]]
    windows = []
    waiting = any(open_rows(rows))  # room on the right for the bars of pods still waiting
    for start, stop, _busy in phases:
        span = max(stop - start, 1.0)
        windows.append((start, start + span + max((0.1 if waiting else 0.03) * span, 0.5)))
    return windows


def _layout(windows, left, width):
    """``[(start, stop, x0, pixels)]``: the plot's width shared by the windows by their lengths, each at
    least MIN_SHARE of it, with GAP_W pixels between two windows."""
    usable = width - GAP_W * (len(windows) - 1)
    total = sum(stop - start for start, stop in windows)
    shares = [max((stop - start) / total, MIN_SHARE) for start, stop in windows]
    out, x0 = [], float(left)
    for (start, stop), share in zip(windows, shares):
        pixels = usable * share / sum(shares)
        out.append((start, stop, x0, pixels))
        x0 += pixels + GAP_W
    return out


def _last_event(rows):
    """``(time, word)`` of the last event shown (``Ready``, ``deletion``, ...), or None."""
    # at the same instant, the later step of a pod's life is the one to name
    words = (("created", "creation"), ("ready", "Ready"), ("terminating", "termination"), ("deleted", "deletion"))
    found = [(row[key], rank, word) for row in rows for rank, (key, word) in enumerate(words) if row.get(key) is not None]
    return max(found)[::2] if found else None


def _names(names):
    return ", ".join(names[:3]) + (" and %d more" % (len(names) - 3) if len(names) > 3 else "")


def now_text(rows, end):
    """When the report was written, in words: the axis ends at the last event, not at that moment."""
    last = _last_event(rows)
    if end is None or last is None:
        return None
    text = ("report written at the last %s" % last[1] if end <= last[0] + 0.5
            else "report written %s after the last %s" % (duration_text(end - last[0]), last[1]))
    pending, terminating = open_rows(rows)
    if pending:
        text += "; still not Ready then: %s" % _names(pending)
    if terminating:
        text += "; still terminating then: %s" % _names(terminating)
    return text


def svg_timeline(result, end=None):
    """One row per ordinal: created -> Ready (amber), Ready (green), deletion (red), with markers at each
    transition, on a time axis that covers the rollout and, broken over quiet gaps, any later scale-down
    or update. ``end`` (when the report is written) is said in a caption, not drawn; bars still open then
    run to the right edge, a pod still not Ready or terminating with an arrowhead."""
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
    windows = time_windows(rows) if rows else [(0.0, 1.0)]
    t0 = windows[0][0]

    ordinals = sorted(set(r["ordinal"] for r in rows))
    label_w, right, top = 150, 30, 78
    # rows shrink for large StatefulSets (the picture stays under ~3,000 px); labels thin out
    row_h = 30 if len(ordinals) <= 40 else max(3, min(30, 2400 // len(ordinals)))
    bar_h = max(2, min(14, row_h - 10 if row_h > 16 else row_h - 1))
    label_every = 1 if row_h >= 14 else int(math.ceil(14.0 / row_h))
    width = 980
    plot_w = width - label_w - right
    height = top + max(1, len(ordinals)) * row_h + 100
    layout = _layout(windows, label_w, plot_w)

    def x(t):
        """The x of ``t``, or None in a gap between windows."""
        for start, stop, x0, pixels in layout:
            if start - 1e-9 <= t <= stop + 1e-9:
                return x0 + (t - start) / (stop - start) * pixels
        return None

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">' % (width, height, width, height),
           '<title>%s</title>' % escape(title),
           '<rect width="100%%" height="100%%" fill="#ffffff"/>',
           '<text x="%d" y="28" font-size="18" font-weight="bold" fill="%s">%s</text>'
           % (16, COLORS["text"], escape(title)),
           '<text x="%d" y="50" fill="%s">%s</text>' % (16, COLORS["muted"], escape(" \u00b7 ".join(subtitle_bits)))]
    if rows:
        out.append('<text x="%d" y="50" text-anchor="end" fill="%s">t0 = %s UTC</text>'
                   % (width - right, COLORS["muted"], escape(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t0)))))
    plot_bottom = top + max(1, len(ordinals)) * row_h
    for index in range(len(ordinals)):
        if index % 2 == 0 and row_h >= 10:
            out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>'
                       % (8, top + index * row_h, width - 16, row_h, COLORS["band"]))
    for number, (start, stop, x0, pixels) in enumerate(layout):
        step = _ticks(stop - start, target=max(2, int(8 * pixels / plot_w + 0.5)))
        first = math.ceil((start - t0) / step - 1e-9)
        for i in range(first, int(math.floor((stop - t0) / step + 1e-9)) + 1):
            tx = x(t0 + i * step)
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>'
                       % (tx, top - 4, tx, plot_bottom, COLORS["axis"] if i == first and number == 0 else COLORS["grid"]))
            out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="%s">%s</text>'
                       % (tx, plot_bottom + 18, COLORS["axis"], escape(_tick_label(i * step, step))))
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>'
                   % (x0, plot_bottom, x0 + pixels, plot_bottom, COLORS["axis"]))
        if number:
            gx = x0 - GAP_W / 2.0
            out.append('<path d="M %.1f %d l 6 -8 M %.1f %d l 6 -8" stroke="%s" stroke-width="1.5"/>'
                       % (gx - 6, plot_bottom + 4, gx, plot_bottom + 4, COLORS["axis"]))
            out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="%s" font-size="10">\u2248 %s</text>'
                       % (gx, top - 8, COLORS["muted"], escape(duration_text(start - layout[number - 1][1]))))
    halted = (order.get("halted_at") or {}).get("ordinal") if order else None
    flagged = set(v["pod"] for v in result.get("violations") or [] if v.get("pod"))
    right_edge = layout[-1][2] + layout[-1][3]
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
            out.append('<text text-anchor="end" x="%d" y="%.1f" fill="%s" font-size="10">%s</text>'
                       % (label_w - 8, cy + 4, COLORS["muted"], escape(revision.rsplit("-", 1)[-1][:12])))
        for row in mine:
            out.extend(_bars(row, x, layout, cy, bar_h, windows[-1][1]))
        if ordinal == halted:
            out.append('<text x="%.1f" y="%.1f" fill="%s" font-size="11" font-weight="bold">halted here</text>'
                       % (min(right_edge + 6, width - right - 70), cy - 9, COLORS["terminating"]))
    if not ordinals:
        out.append('<text x="%d" y="%d" fill="%s">no pods to show</text>' % (label_w, top + 18, COLORS["muted"]))
    caption = now_text(rows, end)
    if caption:
        out.append('<text x="%d" y="%d" text-anchor="end" fill="%s">%s</text>'
                   % (width - right, plot_bottom + 38, COLORS["muted"], escape(caption)))
    ly = plot_bottom + 62
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
                                                           "ordinals; bars start when the pod was created; "
                                                           "\u2248 marks a quiet gap left out of the axis")))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _bars(row, x, layout, cy, bar_h, t_end):
    """The bars and markers of one pod incarnation; a bar that crosses a gap between windows is drawn
    in each window it reaches."""
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
        for start, end, x0, pixels in layout:
            lo, hi = max(a, start), min(b, end)
            if lo > hi or (lo == hi and a != b):
                continue
            w = max(x(hi) - x(lo), 2.0)
            parts.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%d" rx="3" fill="%s"><title>%s</title></rect>'
                         % (x(lo), y, w, bar_h, COLORS[key], escape(tip)))

    if created is not None:
        first_end = min(v for v in (ready, term, stop) if v is not None)
        span(created, max(first_end, created), "pending", "%s created, not yet Ready" % name)
    if ready is not None:
        span(ready, max(term if term is not None else stop, ready), "ready", "%s Ready" % name)
    if term is not None:
        span(term, max(stop, term), "terminating", "%s terminating" % name)
    still = "terminating" if term is not None else "pending" if ready is None and created is not None else None
    if deleted is None and still and x(t_end) is not None:
        # still waiting when the report was written: the bar goes on past the axis
        parts.append('<path d="M %.1f %.1f l %d %.1f l %d %.1f z" fill="%s"><title>%s still %s at the report</title></path>'
                     % (x(t_end) + 2, y, max(4, bar_h // 2), bar_h / 2.0, -max(4, bar_h // 2), bar_h / 2.0, COLORS[still],
                        name, "terminating" if still == "terminating" else "not Ready"))
    if bar_h < 8:
        return parts
    marks = dict((key, x(row[key])) for key in ("created", "ready", "deleted") if row.get(key) is not None)
    if marks.get("created") is not None:
        parts.append('<circle cx="%.1f" cy="%.1f" r="4" fill="#ffffff" stroke="%s" stroke-width="2"/>'
                     % (marks["created"], cy, COLORS["axis"]))
    if marks.get("ready") is not None:
        parts.append('<path d="M %.1f %.1f l 5 5 l -5 5 l -5 -5 z" fill="%s" stroke="#ffffff"/>'
                     % (marks["ready"], cy - 5, COLORS["ready"]))
    if marks.get("deleted") is not None:
        dx = marks["deleted"]
        parts.append('<path d="M %.1f %.1f l 8 8 M %.1f %.1f l -8 8" stroke="%s" stroke-width="2"/>'
                     % (dx - 4, cy - 4, dx + 4, cy - 4, COLORS["terminating"]))
    return parts
