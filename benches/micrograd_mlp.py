#!/usr/bin/env python3
# benches/micrograd_mlp.py: the forward and backward pass of a chainrule scenario with
# micrograd (PyPI `micrograd`), for benches/compare.sh to time against `chainrule eval`.
#
# Usage: python3 micrograd_mlp.py SCENARIO.json [--check EVAL.json] [--phases]
#
# It reads the scenario's nodes in file order and builds one micrograd Value per node with the
# same op and the same numbers, so both programs compute the same network (what
# `chainrule gen mlp` writes uses only the ops below). micrograd's Value has no tanh; the
# one here is the lecture's, with micrograd's conventions. `add` of n arguments folds left,
# `sub` is micrograd's a + (-b). It prints the output's value, and with --check compares
# every value and input gradient with `chainrule eval --json` output (relative 1e-9) and
# exits 1 on a mismatch; with --phases it prints how long reading the file, building the
# Values (micrograd's forward pass) and backward() took, to stderr.

import argparse
import functools
import json
import math
import operator
import sys
import threading
import time

from micrograd.engine import Value


def tanh(x):
    t = math.tanh(x.data)
    out = Value(t, (x,), "tanh")

    def _backward():
        x.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out


OPS = {
    "add": lambda args, node: functools.reduce(operator.add, args),
    "sub": lambda args, node: args[0] - args[1],
    "mul": lambda args, node: args[0] * args[1],
    "pow": lambda args, node: args[0] ** node["p"],
    "tanh": lambda args, node: tanh(args[0]),
    "relu": lambda args, node: args[0].relu(),
}


def build(scenario):
    values = {}
    for node in scenario["nodes"]:
        if "input" in node or "const" in node:
            values[node["id"]] = Value(node.get("input", node.get("const")))
        else:
            args = [values[a] for a in node["args"]]
            values[node["id"]] = OPS[node["op"]](args, node)
    output = scenario.get("output", scenario["nodes"][-1]["id"])
    return values, output


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def run(options):
    """Builds and differentiates the scenario; returns the exit code."""
    start = time.perf_counter()
    with open(options.scenario) as f:
        scenario = json.load(f)
    read = time.perf_counter()
    values, output = build(scenario)
    forward = time.perf_counter()
    values[output].backward()
    backward = time.perf_counter()
    if options.phases:
        print(f"micrograd: read {read - start:.3f} s, forward {forward - read:.3f} s, "
              f"backward {backward - forward:.3f} s", file=sys.stderr)
    print(f"{output} = {values[output].data!r}")
    if options.check:
        with open(options.check) as f:
            expected = json.load(f)
        inputs = [n["id"] for n in scenario["nodes"] if "input" in n]
        wrong = [i for i in values if not close(values[i].data, expected["values"][i])]
        wrong += [i for i in inputs if not close(values[i].grad, expected["grads"][i])]
        if wrong:
            print(f"micrograd and chainrule differ at {len(wrong)} nodes, e.g. {wrong[:5]}",
                  file=sys.stderr)
            return 1
        print(f"micrograd agrees with chainrule on {len(values)} values "
              f"and {len(inputs)} gradients")
    return 0


def main():
    parser = argparse.ArgumentParser(description="Forward and backward pass with micrograd.")
    parser.add_argument("scenario")
    parser.add_argument("--check", metavar="EVAL_JSON", help="chainrule eval --json output")
    parser.add_argument("--phases", action="store_true", help="print each phase's time")
    options = parser.parse_args()
    # micrograd's backward() builds its topological order recursively, one frame per node
    # on the longest path: run it in a thread with room for that.
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(512 * 1024 * 1024)
    result = []
    thread = threading.Thread(target=lambda: result.append(run(options)))
    thread.start()
    thread.join()
    sys.exit(result[0] if result else 1)


if __name__ == "__main__":
    main()
