#!/usr/bin/env python3
# benches/crossings.py: counts the edge crossings of a left-to-right layered drawing between
# adjacent ranks, the same way for chainrule's SVG and for Graphviz's `dot -Tplain` output,
# so benches/compare.sh can put the two side by side.
#
# Usage: python3 crossings.py FIGURE.svg     (a figure from `chainrule render`)
#        python3 crossings.py LAYOUT.plain   (from `dot -Tplain`)
#        add -v for the number of ranks and edge pieces on stderr
#
# Method: the ranks are the columns of node centres (x). Each edge becomes one piece per pair
# of adjacent ranks it spans: its y at the left rank and at the right rank, where the y at its
# own ends is its node's centre and in between the y of the drawn edge where it passes that
# rank (a long edge's bend point). Two pieces between the same ranks cross when their order
# at the left rank is the reverse of their order at the right rank; pieces that meet at a
# node (equal y) do not count. This is the crossing count layered layout minimises.
#
# Where the positions come from:
# - chainrule's SVG: operators are <circle>s (layers <rect rx>), and each forward arrow is a
#   <path class="forward"> from the boundary of its source to its target through a bend at each
#   rank it passes. An arrow end on no circle or box is a name (input or output label): its
#   centre y is the arrow's, its rank the nearest column of operators or bends before (for a
#   tail) or after (for a head) it, or a column of its own where there is none (the inputs'
#   first rank, the output label's last).
# - dot -Tplain: node centres, and each edge's B-spline, sampled where it passes a rank.
#
# Limits: it assumes every edge runs left to right; in chainrule's SVG a rank made only of
# names, other than the first and the last, is counted with the rank before it, and the
# side-by-side bend of a value used twice by one op counts as a rank of its own. Two pieces
# that overlap along a stretch count once if their order flips, like a crossing.

import bisect
import sys
import xml.etree.ElementTree as ET

TOLERANCE = 0.5  # x positions closer than this are one (SVG pixels; dot points: inches × 72)


def cluster(values):
    """Sorted distinct values, those within TOLERANCE of the previous one dropped."""
    columns = []
    for v in sorted(values):
        if not columns or v - columns[-1] > TOLERANCE:
            columns.append(v)
    return columns


def nearest(columns, x):
    i = bisect.bisect_left(columns, x)
    best = min((j for j in (i - 1, i) if 0 <= j < len(columns)),
               key=lambda j: abs(columns[j] - x))
    return best if abs(columns[best] - x) <= TOLERANCE else None


def y_at(points, x):
    """The y where the polyline `points` (left to right) passes x, clamped at its ends."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def from_svg(path):
    """Edges as (tail column, tail y, head column, head y, polyline) from chainrule's SVG."""
    circles, boxes, paths = [], [], []
    for element in ET.parse(path).iter():
        tag = element.tag.rsplit("}", 1)[-1]
        a = element.attrib
        if tag == "circle":
            circles.append((float(a["cx"]), float(a["cy"]), float(a["r"])))
        elif tag == "rect" and "rx" in a:
            x, y, w, h = (float(a[k]) for k in ("x", "y", "width", "height"))
            boxes.append((x + w / 2, y + h / 2, w / 2, h / 2))
        elif tag == "path" and a.get("class") == "forward":
            d = a["d"].replace("M", " ").replace("L", " ").split()
            paths.append([tuple(float(v) for v in p.split(",")) for p in d])

    reach = 12.0  # an arrow ends within this of its node (the gap to the node is 5)
    shapes = [(cx, cy, r + reach, r + reach, True) for cx, cy, r in circles]
    shapes += [(cx, cy, hw + reach, hh + reach, False) for cx, cy, hw, hh in boxes]
    cell = max([max(w, h) for _, _, w, h, _ in shapes], default=1.0)
    grid = {}
    for shape in shapes:
        grid.setdefault((int(shape[0] // cell), int(shape[1] // cell)), []).append(shape)

    def node_at(p):
        """The centre of the circle or box that an arrow end `p` touches, if any."""
        i, j = int(p[0] // cell), int(p[1] // cell)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for cx, cy, w, h, round_ in grid.get((i + di, j + dj), ()):
                    dx, dy = cx - p[0], cy - p[1]
                    if (dx * dx + dy * dy <= w * w) if round_ else (abs(dx) <= w and abs(dy) <= h):
                        return cx, cy
        return None

    ends = [(node_at(p[0]), node_at(p[-1])) for p in paths]
    bends = [q[0] for p in paths for q in p[1:-1]]
    columns = cluster([c[0] for c in circles] + [b[0] for b in boxes] + bends)
    first, last = (columns[0], columns[-1]) if columns else (float("inf"), float("-inf"))
    tails = [p[0][0] for p, (tail, _) in zip(paths, ends) if tail is None and p[0][0] < first]
    heads = [p[-1][0] for p, (_, head) in zip(paths, ends) if head is None and p[-1][0] > last]
    columns = cluster(columns + tails + heads)

    edges = []
    for points, (tail, head) in zip(paths, ends):
        if tail is None:
            at = bisect.bisect_right(columns, points[0][0] + TOLERANCE) - 1
            tail = (columns[at], points[0][1])
        if head is None:
            at = bisect.bisect_left(columns, points[-1][0] - TOLERANCE)
            head = (columns[at], points[-1][1])
        edges.append((nearest(columns, tail[0]), tail[1],
                      nearest(columns, head[0]), head[1], points))
    return columns, edges


def bezier(p0, p1, p2, p3, steps=16):
    out = []
    for k in range(steps + 1):
        t = k / steps
        s = 1 - t
        out.append(tuple(s**3 * a + 3 * s * s * t * b + 3 * s * t * t * c + t**3 * d
                         for a, b, c, d in zip(p0, p1, p2, p3)))
    return out


def from_plain(path):
    """Edges as (tail column, tail y, head column, head y, polyline) from `dot -Tplain`."""
    centres, splines = {}, []
    with open(path) as f:
        for line in f:
            fields = line.split()
            if fields[0] == "node":
                centres[fields[1]] = (72 * float(fields[2]), 72 * float(fields[3]))
            elif fields[0] == "edge":
                n = int(fields[3])
                pts = [(72 * float(fields[4 + 2 * i]), 72 * float(fields[5 + 2 * i]))
                       for i in range(n)]
                curve = []
                for k in range(0, n - 3, 3):
                    curve.extend(bezier(*pts[k : k + 4]))
                splines.append((fields[1], fields[2], curve or pts))
    columns = cluster([x for x, _ in centres.values()])
    edges = []
    for tail, head, curve in splines:
        (tx, ty), (hx, hy) = centres[tail], centres[head]
        edges.append((nearest(columns, tx), ty, nearest(columns, hx), hy, sorted(curve)))
    return columns, edges


def count(columns, edges):
    """Crossings between adjacent ranks, and the number of edge pieces."""
    gaps = [[] for _ in columns]
    for tail_col, tail_y, head_col, head_y, points in edges:
        if tail_col is None or head_col is None or head_col <= tail_col:
            continue
        ys = [tail_y] + [y_at(points, columns[c]) for c in range(tail_col + 1, head_col)] + [head_y]
        for k in range(head_col - tail_col):
            gaps[tail_col + k].append((ys[k], ys[k + 1]))
    total = pieces = 0
    for gap in gaps:
        pieces += len(gap)
        gap.sort()
        rights = sorted({b for _, b in gap})
        tree = [0] * (len(rights) + 1)  # Fenwick tree of right ends seen so far
        seen = i = 0
        while i < len(gap):
            j = i
            while j < len(gap) and gap[j][0] == gap[i][0]:
                j += 1
            for _, b in gap[i:j]:  # earlier pieces (higher on the left) that end lower
                r = bisect.bisect_right(rights, b)
                below = 0
                while r > 0:
                    below += tree[r]
                    r -= r & -r
                total += seen - below
            for _, b in gap[i:j]:
                r = bisect.bisect_right(rights, b)
                while r <= len(rights):
                    tree[r] += 1
                    r += r & -r
            seen += j - i
            i = j
    return total, pieces


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    if len(args) != 1:
        sys.exit("usage: crossings.py FIGURE.svg|LAYOUT.plain [-v]")
    columns, edges = from_svg(args[0]) if args[0].endswith(".svg") else from_plain(args[0])
    total, pieces = count(columns, edges)
    if "-v" in sys.argv:
        print(f"{len(columns)} ranks, {len(edges)} edges, {pieces} pieces", file=sys.stderr)
    print(total)


if __name__ == "__main__":
    main()
