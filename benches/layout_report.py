#!/usr/bin/env python3
# benches/layout_report.py: a layout report of every figure of a set of scenarios, chainrule's
# drawing beside Graphviz's `dot -Tsvg` run on chainrule's own DOT of the same figure: edge
# crossings and area per node, counted the same way from both SVGs, and the labels that
# overlap in our SVG as a browser lays their text out. A sibling of benches/compare.sh, which
# times the two on generated MLPs; this one looks at the figures people draw.
#
# Usage: python3 benches/layout_report.py                 (scenarios/ and tests/corpus/)
#        python3 benches/layout_report.py FILE DIR ...  (files, or every *.json and *.chain in DIR)
#        python3 benches/layout_report.py --self-test        (checks the geometry; 1 on failure)
# Options:
#   --chainrule PATH  the binary (default target/release/chainrule; it is not built here)
#   --work DIR        where the figures go, a directory per scenario (target/layout-report)
#   --no-browser      leave the overlaps column out ("-") without trying node
#   --points          also list each figure's crossing points on stderr (x,y in its SVG's units)
# Prints a Markdown table on stdout, one row per figure (sorted by scenario file, then figure),
# then for each positional argument (the gallery, scenarios/, and the corpus, tests/corpus/)
# the median and largest area ratio, how many figures cross more than dot, and the overlaps.
# Notes (a figure whose drawings differ in edges, a missing tool) and the time go to stderr.
#
# Method: `chainrule render FILE --format svg,dot` writes each figure as SVG and as DOT; `dot
# -Tsvg` lays the DOT out. From both SVGs:
# - Crossings, between the forward edges only, as drawn. Ours: each <path class="forward"> is a
#   polyline (backward arrows are ignored). Dot's: each <g class="edge"> holds a <path> of
#   cubic Béziers, each cut into 16 segments, and <g id="graph0">'s transform is applied so
#   that the coordinates are those of the viewBox. Every pair of segments of two different
#   edges that properly intersect gives a point (each edge is first moved by a distinct
#   millionth of a unit, so that a line through a bend point of another is not missed nor
#   counted twice). Points of one pair of edges closer than 1 unit are one point; one made of
#   an even number of hits is a touch (the lines meet and part on the same sides) and does not
#   count. Where the two edges share a source or a target node, points within 1 unit of either
#   edge's end at that node, or inside the node, do not count. Each remaining point is one.
#   Our nodes: an arrow end within 12 units of a <circle> or a box (<rect rx>, not a dashed
#   group) is at that node; any other end is at a name (input or output label), one name per
#   point. Dot's nodes: the <title> of each edge ("n0->n2").
# - Area per node: width × height of the whole drawing (nothing subtracted) over the nodes of
#   the figure, counted in the DOT file (lines "nK ["). Ours: the SVG's width and height (px);
#   dot's: the viewBox's size (points). The DOT asks for 16-point node and 14-point edge
#   labels where our SVG draws 16 px text, so one unit is comparable. ratio = ours / dot.
# - Overlaps (browser): benches/label_overlaps.mjs opens each of our SVGs in headless Chromium
#   and counts the pairs of <text> elements and <g class="math"> groups (typeset formulas)
#   whose boxes (getBBox, in the SVG's user units) overlap by more than 0.5 px both ways. The
#   box of a text is its font's full line height, not its ink.
# Not measured: whether a label is nearer another edge than its own (the SVG does not say
# which label belongs to which edge; the Rust tests check it).
#
# Limits: dot's DOT of a collapsed figure has every node and edge of the group, our drawing one
# box, so such a row compares different graphs (a note on stderr says which). Curves are cut
# into segments, so two curves that graze within a hair may gain or lose a point.
#
# Needs python3 (standard library only), the chainrule binary and Graphviz's dot (Debian:
# apt-get install graphviz); for the overlaps column node and Chromium (/usr/bin/chromium, or
# $CHROMIUM) with playwright-core (`npm ci` in tests/browser, or $PLAYWRIGHT_CORE naming its
# directory); without them the column says "-" and stderr says why.

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEPS = 16        # segments per cubic Bézier
NEAR = 1.0        # units: points closer than this are one; the reach of a shared end
REACH = 12.0      # units: an arrow of ours ends within this of its node (the gap is 5)
NUDGE = 1e-6      # units: edge k is moved by k times this (times (1, golden ratio))


# ---- geometry -------------------------------------------------------------------------------

def cubic(p0, p1, p2, p3, steps=STEPS):
    """The cubic Bézier p0..p3 as steps + 1 points, its ends exactly p0 and p3."""
    out = [p0]
    for k in range(1, steps):
        t = k / steps
        s = 1 - t
        a, b, c, d = s * s * s, 3 * s * s * t, 3 * s * t * t, t * t * t
        out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                    a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    out.append(p3)
    return out


NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def path_polylines(d, transform=lambda p: p):
    """The polylines of an SVG path's d (M, L, H, V, C and Z, absolute or relative), each
    cubic cut into STEPS segments, every point through `transform`."""
    tokens = re.findall(r"[MmLlHhVvCcZz]|" + NUMBER, d)
    lines, line, cmd, i = [], [], None, 0
    x = y = 0.0
    start = (0.0, 0.0)

    def nums(n):
        nonlocal i
        if len(tokens) < i + n or any(v.isalpha() for v in tokens[i:i + n]):
            raise ValueError(f"path data ends early: {d[:60]}")
        values = [float(v) for v in tokens[i:i + n]]
        i += n
        return values

    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd in "Zz":
                if line:
                    line.append(start)
                    x, y = start
                continue
        elif cmd is None:
            raise ValueError(f"path data starts with a number: {d[:60]}")
        rel = cmd.islower()
        ox, oy = (x, y) if rel else (0.0, 0.0)
        c = cmd.upper()
        if c == "M":
            px, py = nums(2)
            x, y = ox + px, oy + py
            if len(line) > 1:
                lines.append(line)
            line = [(x, y)]
            start = (x, y)
            cmd = "l" if rel else "L"  # further pairs are lines
        elif c == "L":
            px, py = nums(2)
            x, y = ox + px, oy + py
            line.append((x, y))
        elif c == "H":
            (px,) = nums(1)
            x = ox + px
            line.append((x, y))
        elif c == "V":
            (py,) = nums(1)
            y = oy + py
            line.append((x, y))
        elif c == "C":
            v = nums(6)
            p1, p2, p3 = (ox + v[0], oy + v[1]), (ox + v[2], oy + v[3]), (ox + v[4], oy + v[5])
            line.extend(cubic((x, y), p1, p2, p3)[1:])
            x, y = p3
        else:
            raise ValueError(f"path command {cmd} not handled: {d[:60]}")
    if len(line) > 1:
        lines.append(line)
    return [[transform(p) for p in line] for line in lines]


def parse_transform(text):
    """An SVG transform list as a function of a point (scale, translate, rotate, matrix)."""
    a, b, c, d, e, f = 1.0, 0.0, 0.0, 1.0, 0.0, 0.0  # the matrix [a c e; b d f]
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", text or ""):
        v = [float(x) for x in re.findall(NUMBER, args)]
        if name == "translate":
            m = (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0)
        elif name == "scale":
            m = (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        elif name == "rotate":
            r = math.radians(v[0])
            m = (math.cos(r), math.sin(r), -math.sin(r), math.cos(r), 0, 0)
            if len(v) == 3:  # rotate(a, cx, cy) = translate(c) rotate(a) translate(-c)
                cx, cy = v[1], v[2]
                m = (m[0], m[1], m[2], m[3],
                     cx - m[0] * cx - m[2] * cy, cy - m[1] * cx - m[3] * cy)
        elif name == "matrix":
            m = tuple(v)
        else:
            raise ValueError(f"transform {name} not handled")
        # The list applies right to left: current = current × m.
        a, b, c, d, e, f = (a * m[0] + c * m[1], b * m[0] + d * m[1],
                            a * m[2] + c * m[3], b * m[2] + d * m[3],
                            a * m[4] + c * m[5] + e, b * m[4] + d * m[5] + f)
    return lambda p: (a * p[0] + c * p[1] + e, b * p[0] + d * p[1] + f)


def segment_hit(p, q, r, s):
    """The point where segments pq and rs properly intersect (each crosses the other's line
    strictly between its ends), or None; parallel and touching segments give None."""
    dx1, dy1 = q[0] - p[0], q[1] - p[1]
    dx2, dy2 = s[0] - r[0], s[1] - r[1]
    den = dx1 * dy2 - dy1 * dx2
    if den == 0:
        return None
    ex, ey = r[0] - p[0], r[1] - p[1]
    t = (ex * dy2 - ey * dx2) / den
    u = (ex * dy1 - ey * dx1) / den
    if 0 < t < 1 and 0 < u < 1:
        return (p[0] + t * dx1, p[1] + t * dy1)
    return None


def clusters(points):
    """Sizes of the groups of points chained by distances under NEAR."""
    groups = []
    left = list(points)
    while left:
        group = [left.pop()]
        k = 0
        while k < len(group):
            g = group[k]
            near = [p for p in left if math.dist(p, g) < NEAR]
            left = [p for p in left if math.dist(p, g) >= NEAR]
            group.extend(near)
            k += 1
        groups.append(group)
    return groups


def crossings(edges):
    """The crossing points between edges (a list). Each edge is a dict: lines (its polylines),
    tail and head (keys of its nodes), tail_at and head_at (its end points), tail_shape and
    head_shape (its nodes' shapes for the 'inside the node' test, or None)."""
    golden = (1 + 5 ** 0.5) / 2
    segments = []  # (edge index, p, q)
    for k, edge in enumerate(edges):
        dx, dy = k * NUDGE, k * NUDGE * golden
        for line in edge["lines"]:
            pts = [(x + dx, y + dy) for x, y in line]
            segments.extend((k, a, b) for a, b in zip(pts, pts[1:]) if a != b)
    if not segments:
        return []
    # A grid of cells as large as the longest segment's extent (at least 20 units), so that
    # only segments in the same or neighbouring cells are compared.
    cell = max(20.0, max(max(abs(q[0] - p[0]), abs(q[1] - p[1])) for _, p, q in segments))
    grid = {}
    for n, (_, p, q) in enumerate(segments):
        for i in range(int(min(p[0], q[0]) // cell), int(max(p[0], q[0]) // cell) + 1):
            for j in range(int(min(p[1], q[1]) // cell), int(max(p[1], q[1]) // cell) + 1):
                grid.setdefault((i, j), []).append(n)
    hits = {}  # (edge, edge) → points
    seen = set()
    for members in grid.values():
        for x, m in enumerate(members):
            k1, p, q = segments[m]
            for n in members[x + 1:]:
                k2, r, s = segments[n]
                if k1 == k2 or (m, n) in seen:
                    continue
                seen.add((m, n))
                if (max(p[0], q[0]) < min(r[0], s[0]) or max(r[0], s[0]) < min(p[0], q[0]) or
                        max(p[1], q[1]) < min(r[1], s[1]) or max(r[1], s[1]) < min(p[1], q[1])):
                    continue
                point = segment_hit(p, q, r, s)
                if point:
                    hits.setdefault((min(k1, k2), max(k1, k2)), []).append(point)
    found = []
    for (i, j), points in sorted(hits.items()):
        a, b = edges[i], edges[j]
        shared = []  # (end of a, end of b, the node's shape) at each node they share
        for end_a in ("tail", "head"):
            for end_b in ("tail", "head"):
                if a[end_a] is not None and a[end_a] == b[end_b]:
                    shared.append((a[end_a + "_at"], b[end_b + "_at"], a[end_a + "_shape"]))

        def at_shared_node(pt):
            for pa, pb, shape in shared:
                if math.dist(pt, pa) <= NEAR or math.dist(pt, pb) <= NEAR:
                    return True
                if shape is not None and inside(shape, pt, NEAR):
                    return True
            return False

        points = [pt for pt in points if not at_shared_node(pt)]
        found.extend(g[0] for g in clusters(points) if len(g) % 2)
    return found


def inside(shape, p, grow):
    """Whether p is inside an ellipse ("e", cx, cy, rx, ry) or box ("b", x0, y0, x1, y1)
    grown by `grow`."""
    if shape[0] == "e":
        _, cx, cy, rx, ry = shape
        return ((p[0] - cx) / (rx + grow)) ** 2 + ((p[1] - cy) / (ry + grow)) ** 2 <= 1
    _, x0, y0, x1, y1 = shape
    return x0 - grow <= p[0] <= x1 + grow and y0 - grow <= p[1] <= y1 + grow


# ---- reading the two SVGs -------------------------------------------------------------------

def local(tag):
    return tag.rsplit("}", 1)[-1]


def number(text):
    return float(re.match(NUMBER, text.strip()).group())


def ours(path):
    """(width, height, edges) of a chainrule SVG."""
    root = ET.parse(path).getroot()
    width, height = number(root.get("width")), number(root.get("height"))
    shapes, lines = [], []
    for el in root.iter():
        tag, a = local(el.tag), el.attrib
        if tag == "circle":
            cx, cy, r = (float(a[k]) for k in ("cx", "cy", "r"))
            shapes.append(("e", cx, cy, r, r))
        elif tag == "rect" and "rx" in a and "group" not in a.get("class", "").split():
            x, y, w, h = (float(a[k]) for k in ("x", "y", "width", "height"))
            shapes.append(("b", x, y, x + w, y + h))
        elif tag == "path" and "forward" in a.get("class", "").split():
            lines.append(path_polylines(a["d"]))
        elif tag == "g" and a.get("transform"):
            raise ValueError(f"{path}: a transformed group, which this script does not follow")

    def node_at(p):
        for n, shape in enumerate(shapes):
            if inside(shape, p, REACH):
                return ("node", n), shape
        return ("name", round(p[0], 1), round(p[1], 1)), None

    edges = []
    for polylines in lines:
        if not polylines:
            continue
        first, last = polylines[0][0], polylines[-1][-1]
        (tail, tail_shape), (head, head_shape) = node_at(first), node_at(last)
        edges.append(dict(lines=polylines, tail=tail, head=head, tail_at=first, head_at=last,
                          tail_shape=tail_shape, head_shape=head_shape))
    return width, height, edges


def theirs(path):
    """(width, height, edges) of dot's SVG, in the viewBox's units."""
    root = ET.parse(path).getroot()
    view = [float(v) for v in re.findall(NUMBER, root.get("viewBox", ""))]
    if len(view) == 4:
        width, height = view[2], view[3]
    else:
        width, height = number(root.get("width")), number(root.get("height"))
    graph = next((g for g in root.iter() if local(g.tag) == "g" and g.get("id") == "graph0"),
                 root)
    move = parse_transform(graph.get("transform"))
    shapes, edges = {}, []
    for g in graph.iter():
        if local(g.tag) != "g" or g.get("class") not in ("node", "edge"):
            continue
        title = next((c.text or "" for c in g if local(c.tag) == "title"), "")
        if g.get("class") == "node":
            for c in g.iter():
                if local(c.tag) == "ellipse":
                    cx, cy = move((float(c.get("cx")), float(c.get("cy"))))
                    rx, ry = float(c.get("rx")), float(c.get("ry"))
                    sx = math.dist(move((1, 0)), move((0, 0)))  # the transform's scale
                    shapes[title] = ("e", cx, cy, rx * sx, ry * sx)
                elif local(c.tag) == "polygon":
                    pts = [move((float(x), float(y))) for x, y in
                           re.findall(f"({NUMBER}),({NUMBER})", c.get("points", ""))]
                    if pts:
                        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                        shapes[title] = ("b", min(xs), min(ys), max(xs), max(ys))
            continue
        polylines = [line for c in g.iter() if local(c.tag) == "path"
                     for line in path_polylines(c.get("d", ""), move)]
        if not polylines:
            continue
        tail, _, head = title.partition("->")
        edges.append(dict(lines=polylines, tail=tail.strip(), head=head.strip(),
                          tail_at=polylines[0][0], head_at=polylines[-1][-1]))
    for e in edges:
        e["tail_shape"], e["head_shape"] = shapes.get(e["tail"]), shapes.get(e["head"])
    return width, height, edges


def dot_nodes(path):
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if re.match(r"\s*n\d+ \[", line))


# ---- self-test ------------------------------------------------------------------------------

def self_test():
    failures = []

    def check(what, got, want):
        ok = (abs(got - want) < 1e-9 if isinstance(want, float) else got == want)
        if not ok:
            failures.append(f"{what}: got {got!r}, want {want!r}")

    def close(a, b):
        return a is not None and b is not None and math.dist(a, b) < 1e-9

    # Segments: an X, parallels, a T (an end on the other), shared ends, collinear overlap.
    check("X crosses", close(segment_hit((0, 0), (2, 2), (0, 2), (2, 0)), (1, 1)), True)
    check("parallels", segment_hit((0, 0), (2, 0), (0, 1), (2, 1)), None)
    check("T touch", segment_hit((0, 0), (2, 0), (1, 0), (1, 2)), None)
    check("shared end", segment_hit((0, 0), (2, 0), (0, 0), (2, 2)), None)
    check("collinear", segment_hit((0, 0), (2, 0), (1, 0), (3, 0)), None)
    check("apart", segment_hit((0, 0), (1, 1), (2, 0), (3, -1)), None)
    # Bézier: exact ends, a straight cubic stays on its line, the midpoint of a known curve.
    pts = cubic((0, 0), (0, 10), (10, 10), (10, 0))
    check("cubic points", len(pts), STEPS + 1)
    check("cubic start", pts[0], (0, 0))
    check("cubic end", pts[-1], (10, 0))
    check("cubic middle", close(pts[STEPS // 2], (5.0, 7.5)), True)
    check("cubic quarter", close(pts[STEPS // 4], (1.5625, 5.625)), True)
    check("straight cubic", all(abs(y - 2 * x) < 1e-9 for x, y in
                                cubic((0, 0), (1, 2), (2, 4), (3, 6))), True)
    # Path data as dot writes it (C with several triples) and as we do (M … L …), and
    # dot's transform: scale, then the translation that puts y below zero on the page.
    lines = path_polylines("M0,0C0,10 10,10 10,0 10,-10 20,-10 20,0")
    check("two cubics", len(lines[0]), 2 * STEPS + 1)
    check("polyline", path_polylines("M30.5,199.0 L198.5,199.0 L367.1,161.3"),
          [[(30.5, 199.0), (198.5, 199.0), (367.1, 161.3)]])
    move = parse_transform("scale(2 2) rotate(0) translate(4 157)")
    check("transform", close(move((1, -150)), (10.0, 14.0)), True)

    def edge(points, tail, head):
        return dict(lines=[points], tail=tail, head=head, tail_at=points[0],
                    head_at=points[-1], tail_shape=None, head_shape=None)

    def count(*edges):
        return len(crossings([edge(points, tail, head) for points, tail, head in edges]))

    # Whole edges: an X; a line through the other's bend point (once, not twice); two bends at
    # one point, crossing and touching; a touch at a bend (not at all); two edges from one
    # node; an X of two edges into the same node, far from it (counted); a curve crossing a
    # line twice.
    check("edges X", count(([(0, 0), (10, 10)], "a", "b"), ([(0, 10), (10, 0)], "c", "d")), 1)
    check("through a bend", count(([(0, 0), (5, 5), (10, 2)], "a", "b"),
                                  ([(0, 10), (10, 0)], "c", "d")), 1)
    check("bends at one point, X", count(([(0, 0), (5, 5), (10, 9)], "a", "b"),
                                         ([(0, 10), (5, 5), (10, 1)], "c", "d")), 1)
    check("bends at one point, touch", count(([(0, 0), (5, 5), (10, 0)], "a", "b"),
                                             ([(0, 10), (5, 5), (10, 10)], "c", "d")), 0)
    check("touch at a bend", count(([(0, 0), (5, 5), (10, 0)], "a", "b"),
                                   ([(0, 5), (10, 5)], "c", "d")), 0)
    check("shared source", count(([(0, 0), (10, 10)], "a", "b"),
                                 ([(0, 0), (10, -10)], "a", "d")), 0)
    check("shared head, X far", count(([(0, 0), (10, 10), (20, 5)], "a", "h"),
                                      ([(0, 10), (10, 0), (20, 5.5)], "c", "h")), 1)
    wave = path_polylines("M0,0 C10,30 20,-30 30,0")[0]
    check("curve twice", count((wave, "a", "b"), ([(0, 2), (30, 2)], "c", "d")), 2)
    for f in failures:
        print("self-test:", f, file=sys.stderr)
    print(f"self-test: {'FAILED' if failures else 'ok'} "
          f"({len(failures)} failure{'s' * (len(failures) != 1)})", file=sys.stderr)
    return 1 if failures else 0


# ---- the report -----------------------------------------------------------------------------

def scenario_json(chainrule, file):
    """The scenario in `file` as JSON: as written, or converted from the text format."""
    if file.endswith(".chain"):
        out = subprocess.run([chainrule, "convert", file, "--to", "json"], check=True,
                             capture_output=True, text=True).stdout
        return json.loads(out)
    with open(file, encoding="utf-8") as f:
        return json.load(f)


def scenario_files(arg):
    """The scenario files of an argument: itself, or the *.chain in a directory and the *.json
    that have "nodes" (a corpus may keep other JSON beside its scenarios, such as reference
    values)."""
    if not os.path.isdir(arg):
        return [arg]
    files = []
    for f in sorted(os.listdir(arg)):
        path = os.path.join(arg, f)
        if f.endswith(".chain"):
            files.append(path)
            continue
        if not f.endswith(".json"):
            continue
        try:
            with open(path, encoding="utf-8") as j:
                data = json.load(j)
            scenario = not isinstance(data, dict) or "nodes" in data
        except (OSError, ValueError):
            scenario = True  # chainrule says what is wrong with it
        if scenario:
            files.append(path)
        else:
            print(f"layout_report: {path} has no \"nodes\", not a scenario: left out",
                  file=sys.stderr)
    return files


def fmt(x):
    return "-" if x is None else str(x)


def main():
    parser = argparse.ArgumentParser(
        description="A layout report: crossings, area per node and overlaps, ours and dot's.")
    parser.add_argument("inputs", nargs="*", help="scenario files or directories")
    parser.add_argument("--chainrule", default=os.path.join(ROOT, "target/release/chainrule"))
    parser.add_argument("--work", default=os.path.join(ROOT, "target/layout-report"))
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--points", action="store_true")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        sys.exit(self_test())
    started = time.monotonic()
    inputs = args.inputs
    if not inputs:
        inputs = [d for d in ("scenarios", "tests/corpus") if os.path.isdir(os.path.join(ROOT, d))]
        for d in ("scenarios", "tests/corpus"):
            if d not in inputs:
                print(f"layout_report: no {d}/ yet, left out", file=sys.stderr)
        inputs = [os.path.join(ROOT, d) for d in inputs]
    if not shutil.which("dot"):
        sys.exit("layout_report: dot not found (install Graphviz: apt-get install graphviz)")
    if not os.access(args.chainrule, os.X_OK):
        sys.exit(f"layout_report: no chainrule at {args.chainrule} (cargo build --release)")

    # Draw every scenario into its own directory: stems from different inputs cannot clash.
    figures = []  # (group, scenario file, figure stem, our svg, dot file)
    for g, arg in enumerate(inputs):
        for file in scenario_files(arg):
            name = os.path.splitext(os.path.basename(file))[0]
            out = os.path.join(args.work, f"{g}-{os.path.basename(os.path.normpath(arg))}", name)
            shutil.rmtree(out, ignore_errors=True)
            run = subprocess.run([args.chainrule, "render", file, "-o", out, "--format", "svg,dot"],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                print(f"layout_report: chainrule render {file} failed ({run.returncode}): "
                      f"{run.stderr.strip()}", file=sys.stderr)
                continue
            for dot in sorted(f for f in os.listdir(out) if f.endswith(".dot")):
                stem = dot[:-4]
                figures.append((g, file, stem, os.path.join(out, stem + ".svg"),
                                os.path.join(out, dot)))
    figures.sort(key=lambda f: (f[0], f[1], f[2]))

    # The browser counts overlaps while dot lays out and the crossings are counted here.
    browser = None
    if args.no_browser:
        why = "--no-browser"
    elif not shutil.which("node"):
        why = "node not found"
    elif not os.path.exists(os.environ.get("CHROMIUM", "/usr/bin/chromium")):
        why = "Chromium not found at " + os.environ.get("CHROMIUM", "/usr/bin/chromium") + \
            " (set CHROMIUM)"
    else:
        why = None
        browser = subprocess.Popen(
            ["node", os.path.join(ROOT, "benches", "label_overlaps.mjs"),
             *[f[3] for f in figures]],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    rows = []
    for g, file, stem, svg, dot in figures:
        dot_svg = dot + ".svg"
        run = subprocess.run(["dot", "-Tsvg", dot, "-o", dot_svg], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"layout_report: dot -Tsvg {dot} failed: {run.stderr.strip()}", file=sys.stderr)
            continue
        nodes = dot_nodes(dot)
        try:
            w1, h1, e1 = ours(svg)
            w2, h2, e2 = theirs(dot_svg)
        except (ET.ParseError, ValueError, KeyError, TypeError) as e:
            print(f"layout_report: {stem} left out: {e}", file=sys.stderr)
            continue
        if nodes == 0:
            print(f"layout_report: {stem} left out: no node in {dot}", file=sys.stderr)
            continue
        if len(e1) != len(e2):
            print(f"layout_report: {stem}: our drawing has {len(e1)} forward edges, dot's "
                  f"{len(e2)}", file=sys.stderr)
        a1, a2 = w1 * h1 / nodes, w2 * h2 / nodes
        c1, c2 = crossings(e1), crossings(e2)
        if args.points:
            for who, points in (("ours", c1), ("dot", c2)):
                print(f"layout_report: {stem} {who} crosses at "
                      f"{' '.join(f'{x:.1f},{y:.1f}' for x, y in points) or 'no point'}",
                      file=sys.stderr)
        layout = scenario_json(args.chainrule, file).get("layout", "compact")
        rows.append(dict(group=g, svg=svg, figure=stem, nodes=nodes, ours=len(c1), dot=len(c2),
                         area_ours=a1, area_dot=a2, ratio=a1 / a2, layout=layout))

    overlaps = {}
    if browser:
        out, err = browser.communicate()
        if browser.returncode != 0:
            why = "label_overlaps.mjs failed: " + (err.strip().splitlines() or ["?"])[-1]
        else:
            overlaps = json.loads(out)
    if why:
        print(f"layout_report: no overlaps column: {why}", file=sys.stderr)

    version = subprocess.run([args.chainrule, "--version"], capture_output=True, text=True)
    print(f"Layout report: {version.stdout.strip() or args.chainrule} against "
          f"{subprocess.run(['dot', '-V'], capture_output=True, text=True).stderr.strip()} "
          "on chainrule's DOT of the same figure.")
    print("Crossings: forward edges only, as drawn. Area per node: the whole drawing's width × "
          "height over the DOT's nodes; ours in px, dot's in points (the DOT asks for 16 pt "
          "text where we draw 16 px, so one unit is comparable). Layout: the scenario's "
          "(compact, or book: the text's own look). "
          "Overlaps: pairs of our labels whose boxes overlap in Chromium.")
    print()
    print("| figure | layout | nodes | crossings ours | crossings dot | area/node ours "
          "| area/node dot | ratio | overlaps (browser) |")
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        r["overlaps"] = overlaps.get(r["svg"])
        print(f"| {r['figure']} | {r['layout']} | {r['nodes']} | {r['ours']} | {r['dot']} | "
              f"{r['area_ours']:.0f} | {r['area_dot']:.0f} | {r['ratio']:.2f} | "
              f"{fmt(r['overlaps'])} |")
    print()
    for g, arg in enumerate(inputs):
        mine = [r for r in rows if r["group"] == g]
        if not mine:
            continue
        rel = os.path.relpath(os.path.abspath(arg), ROOT)
        what = {"scenarios": "gallery", os.path.join("tests", "corpus"): "corpus"}.get(
            os.path.normpath(rel), arg)
        ratios = [r["ratio"] for r in mine]
        worst = max(mine, key=lambda r: r["ratio"])
        more = [r["figure"] for r in mine if r["ours"] > r["dot"]]
        counts = [r["overlaps"] for r in mine]
        total = "-" if any(c is None for c in counts) else sum(counts)
        print(f"- {what} ({len(mine)} figures): area ratio median {statistics.median(ratios):.2f}, "
              f"max {worst['ratio']:.2f} ({worst['figure']}); ours crosses more than dot in "
              f"{len(more)}{' (' + ', '.join(more) + ')' if more else ''}; "
              f"crossings {sum(r['ours'] for r in mine)} ours, {sum(r['dot'] for r in mine)} dot; "
              f"overlaps {total}")
    print(f"layout_report: {len(rows)} figures in {time.monotonic() - started:.1f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
