#!/usr/bin/env python3
# benches/python_trace.py: tracing and drawing micrograd's 2-layer MLP on one sample with the
# chainrule Python package, against micrograd's own `draw_dot` (the graphviz Python package
# and Graphviz's `dot`) on the same graph.
#
# Usage: python3 benches/python_trace.py [--runs N] [--sizes 2,8,8,1]
#
# Needs the package (`maturin develop --release` in python/, or the wheel), micrograd, and,
# for the comparison, the `graphviz` Python package and the `dot` program. The network is
# micrograd's MLP (README: nn.MLP) with the given sizes, one sample and a squared-error loss
# after backward(). Each run starts from the graph the student has: chainrule's time is
# from_micrograd (walking, building and validating the scenario, evaluating it to compare
# gradients) plus drawing the backward figure as SVG; draw_dot's is building the Digraph
# plus rendering it to SVG with `dot`, as a notebook shows it. Prints the median of N runs
# of each.

import argparse
import random
import statistics
import time

import chainrule
from micrograd import nn
from micrograd.engine import Value


def trace(node):
    # micrograd's draw_dot, from its README's demo notebook (trace_graph.ipynb).
    nodes, edges = set(), set()

    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(node)
    return nodes, edges


def draw_dot(root, format="svg", rankdir="LR"):
    from graphviz import Digraph

    nodes, edges = trace(root)
    dot = Digraph(format=format, graph_attr={"rankdir": rankdir})
    for n in nodes:
        dot.node(name=str(id(n)), label="{ data %.4f | grad %.4f }" % (n.data, n.grad), shape="record")
        if n._op:
            dot.node(name=str(id(n)) + n._op, label=n._op)
            dot.edge(str(id(n)) + n._op, str(id(n)))
    for n1, n2 in edges:
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)
    return dot


def network(sizes):
    random.seed(1)
    model = nn.MLP(sizes[0], sizes[1:])
    x = [Value(random.uniform(-1, 1)) for _ in range(sizes[0])]
    loss = (model(x) - 1.0) ** 2
    loss.backward()
    return loss


def median_time(f, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="2,8,8,1")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    loss = network(sizes)
    nodes = len(trace(loss)[0])

    def ours():
        scenario = chainrule.from_micrograd(loss)
        assert not scenario.mismatches
        return scenario.figure().svg

    ours_s = median_time(ours, options.runs)
    print(f"MLP {options.sizes}, one sample: {nodes} micrograd Values")
    print(f"chainrule from_micrograd + figure SVG: median {ours_s:.3f} s of {options.runs}")
    try:
        theirs_s = median_time(lambda: draw_dot(loss).pipe(format="svg"), options.runs)
    except Exception as err:  # graphviz missing: the comparison is skipped, not ours
        print(f"draw_dot: not run ({type(err).__name__}: {err})")
        return
    print(f"micrograd draw_dot + Graphviz dot SVG:  median {theirs_s:.3f} s of {options.runs}")


if __name__ == "__main__":
    main()
