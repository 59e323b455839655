"""Tracing the graph a student built with micrograd or DeZero into a chainrule scenario.

Both walk the graph from the output back to its leaves, give every node an id (its label or
name where that is unique, else ``v0``, ``v1``, … in the order the forward pass computes
them), map each op to chainrule's, and keep the numbers exactly (floats are written with
``repr``, which round-trips). Where the student ran ``backward()``, their gradients are held
against chainrule's and every node that disagrees is named in a ``GradientMismatch``
warning (and listed in ``scenario.mismatches``).
"""

import difflib
import json
import math
import warnings
import zlib

import numpy as np

from . import _native

#: Relative tolerance of the gradient comparison, by the precision the framework computed in:
#: float64 agrees with chainrule's float64 to rounding; float32 to its 24 bits.
_RTOL = {np.dtype(np.float64): 1e-9, np.dtype(np.float32): 1e-5}


class GradientMismatch(UserWarning):
    """The student's framework and chainrule computed different gradients for some nodes."""


class _Graph:
    """A scenario being built: nodes in forward order, each with an id."""

    def __init__(self, framework):
        self.framework = framework
        self.nodes = []
        self.used_ids = set()

    def add(self, node):
        self.nodes.append(node)

    def scenario(self, output, title):
        from . import Scenario  # the package imports this module first

        text = json.dumps(
            {"title": title, "nodes": self.nodes, "output": output}, allow_nan=False
        )
        return Scenario(_native.Scenario.parse(text))


def _ids(order, name_of):
    """An id per node: its name where that is unique and not empty, else ``v<i>`` (skipping
    names taken)."""
    names = [name_of(n) for n in order]
    count = {}
    for name in names:
        if name:
            count[name] = count.get(name, 0) + 1
    taken = {name for name, k in count.items() if k == 1}
    ids, i = [], 0
    for name in names:
        if name and count[name] == 1:
            ids.append(name)
            continue
        while f"v{i}" in taken:
            i += 1
        ids.append(f"v{i}")
        taken.add(f"v{i}")
        i += 1
    return ids


def _closest(op, known):
    """Says which supported op is nearest in spelling to ``op``."""
    lowered = {k.lower(): k for k in known}
    near = difflib.get_close_matches(str(op).lower(), list(lowered), n=1, cutoff=0.4)
    if near:
        return f"did you mean {lowered[near[0]]!r}?"
    return "supported: " + ", ".join(repr(k) for k in known)


def _number(x, where):
    """A finite float, or a ValueError naming the node."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{where} holds {x}, which is not a finite number")
    return x


def _topological(root, children_of):
    """Nodes reachable from ``root``, each after its children (iteratively: graphs may be
    deeper than Python's recursion limit)."""
    order, seen = [], {id(root)}
    stack = [(root, iter(children_of(root)))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append((child, iter(children_of(child))))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def _report(mismatches, framework):
    if mismatches:
        shown = "; ".join(
            f"node {m['id']!r}: {framework} has {m['theirs']}, chainrule {m['ours']}"
            for m in mismatches[:5]
        )
        more = f" (and {len(mismatches) - 5} more)" if len(mismatches) > 5 else ""
        warnings.warn(
            f"{len(mismatches)} gradient(s) from {framework}'s backward() differ from "
            f"chainrule's: {shown}{more}",
            GradientMismatch,
            stacklevel=3,
        )


# ---------------------------------------------------------------------------------------------
# micrograd

#: micrograd's `_op` strings → chainrule's ops, for the ops micrograd's Value has (its
#: lecture's version adds tanh and exp); `-` and `/` are built from these (a + (-1 · b),
#: a · b**-1).
_MICROGRAD_UNARY = {"ReLU": "relu", "relu": "relu", "tanh": "tanh", "exp": "exp",
                    "log": "log", "sigmoid": "sigmoid"}
_MICROGRAD_KNOWN = ["+", "*", "**k", *_MICROGRAD_UNARY]


def _is_micrograd(v):
    return all(hasattr(v, a) for a in ("data", "_prev", "_op"))


def _micrograd_keys(value):
    """A sort key per Value reachable from ``value``, by ``id``: micrograd keeps an op's
    arguments in a set (ordered by memory address), so they are ordered by what they
    compute instead: the deeper subexpression first (x·w + b), then by label, value, op and
    a digest of the whole subgraph."""
    keys = {}
    for v in _topological(value, lambda v: v._prev):
        if not _is_micrograd(v):
            raise TypeError(
                f"an argument in the micrograd graph is a {type(v).__name__}, not a Value"
            )
        children = sorted(keys[id(c)] for c in v._prev)
        height = 1 + max((-c[0] for c in children), default=-1)
        label = str(getattr(v, "label", "") or "")
        digest = zlib.crc32(repr((v._op, v.data, label, children)).encode())
        keys[id(v)] = (-height, label, float(v.data), str(v._op), digest)
    return keys


def _micrograd_where(v):
    label = getattr(v, "label", "")
    named = f" labelled {label!r}" if label else ""
    return f"the micrograd Value(data={v.data!r}){named}"


def _micrograd_node(v, node_id, args):
    """The scenario node of one micrograd Value whose arguments have ids ``args``."""
    op = v._op
    where = _micrograd_where(v)
    node = {"id": node_id}
    label = getattr(v, "label", "")
    if label:
        node["label"] = str(label)
    if not v._prev:
        node["input"] = _number(v.data, where)
        return node
    if op in ("+", "*"):
        # `a + a` keeps one child in micrograd's set: the op still has two arguments.
        node.update(op="add" if op == "+" else "mul", args=args * 2 if len(args) == 1 else args)
    elif isinstance(op, str) and op.startswith("**") and len(args) == 1:
        try:
            p = float(op[2:])
        except ValueError:
            p = None
        if p is None or not math.isfinite(p):
            raise ValueError(f"micrograd op {op!r} of {where}: the power is not a number")
        node.update(op="pow", args=args, p=p)
    elif op in _MICROGRAD_UNARY and len(args) == 1:
        node.update(op=_MICROGRAD_UNARY[op], args=args)
    elif op in ("-", "/"):
        raise ValueError(
            f"micrograd op {op!r} of {where} cannot be traced: micrograd keeps an op's "
            "arguments in a set, so the order of a non-commutative op is lost; build it as "
            "micrograd's Value does (a + (-b), a * b**-1)"
        )
    else:
        raise ValueError(
            f"micrograd op {op!r} ({len(args)} argument(s)) of {where} is not supported; "
            f"{_closest(op, _MICROGRAD_KNOWN)}"
        )
    return node


def from_micrograd(value, title="micrograd"):
    """The graph that made micrograd's ``Value`` ``value``, as a scenario whose output is it.

    Walks ``_prev`` and ``_op`` from ``value`` back to the leaves (each an input holding
    ``data``); ``label`` (the lecture's Value has one) becomes the node's id and label. If
    ``backward()`` ran, every node's ``grad`` is compared with chainrule's; the nodes that
    differ are in ``scenario.mismatches`` and a ``GradientMismatch`` warning.

    Raises ``TypeError`` for an object that is not a micrograd Value, ``ValueError`` for an
    op chainrule has no counterpart of (naming it, the Value it made and the closest op).
    """
    if not _is_micrograd(value):
        hint = " (a DeZero Variable: use chainrule.from_dezero)" if hasattr(value, "creator") else ""
        raise TypeError(
            "chainrule.from_micrograd expects a micrograd Value (with data, _prev and _op), "
            f"not {type(value).__name__}{hint}"
        )
    keys = _micrograd_keys(value)

    def children(v):
        return sorted(v._prev, key=lambda c: keys[id(c)])

    order = _topological(value, children)
    ids = _ids(order, lambda v: str(getattr(v, "label", "") or ""))
    id_of = {id(v): i for v, i in zip(order, ids)}
    graph = _Graph("micrograd")
    for v, node_id in zip(order, ids):
        graph.add(_micrograd_node(v, node_id, [id_of[id(c)] for c in children(v)]))
    scenario = graph.scenario(id_of[id(value)], title)
    scenario.ids = {node_id: v for v, node_id in zip(order, ids)}
    scenario.mismatches = []
    if value.grad != 0:
        grads = scenario.grads
        for v, node_id in zip(order, ids):
            theirs, ours = float(v.grad), grads[node_id]
            if abs(theirs - ours) > 1e-9 * max(1.0, abs(theirs), abs(ours)):
                scenario.mismatches.append({"id": node_id, "theirs": theirs, "ours": ours})
        _report(scenario.mismatches, "micrograd")
    return scenario


# ---------------------------------------------------------------------------------------------
# DeZero

#: DeZero's Function classes → chainrule's ops, where the arguments match one for one.
_DEZERO_OPS = {
    "Add": "add", "Sub": "sub", "Mul": "mul", "Div": "div", "Neg": "neg",
    "Exp": "exp", "Log": "log", "Tanh": "tanh", "Sigmoid": "sigmoid", "ReLU": "relu",
    "MatMul": "matmul",
}
_DEZERO_KNOWN = [*_DEZERO_OPS, "Pow", "Linear", "Sum", "Softmax", "SoftmaxCrossEntropy"]


def _is_dezero(v):
    return all(hasattr(v, a) for a in ("data", "creator", "grad", "name"))


def _dezero_children(v):
    """The creator's inputs that are nodes: not a Linear's missing bias, not the class
    indices of SoftmaxCrossEntropy (they become one-hot rows of a constant)."""
    f = v.creator
    if f is None:
        return []
    if type(f).__name__ == "SoftmaxCrossEntropy":
        return [f.inputs[0]]
    return [x for x in f.inputs if x.data is not None]


def _dezero_where(v):
    named = f" named {v.name!r}" if v.name else ""
    return f"the DeZero Variable of shape {np.shape(v.data)}{named}"


def _dezero_array(v, where):
    data = np.asarray(v.data, dtype=np.float64)
    if not np.all(np.isfinite(data)):
        raise ValueError(f"{where} holds a value that is not a finite number")
    return data.tolist()


def _dezero_node(v, node_id, args, graph):
    """The scenario node of one DeZero Variable whose creator's inputs have ids ``args``."""
    where = _dezero_where(v)
    node = {"id": node_id}
    if v.name:
        node["label"] = str(v.name)
    f = v.creator
    if f is None:
        node["input"] = _dezero_array(v, where)
        return node
    kind = type(f).__name__
    made = f"DeZero's {kind} (making {where})"
    if kind in _DEZERO_OPS:
        node.update(op=_DEZERO_OPS[kind], args=args)
    elif kind == "Pow":
        node.update(op="pow", args=args, p=_number(f.c, f"the power of {made}"))
    elif kind == "Linear":
        has_bias = f.inputs[2].data is not None
        node.update(op="affine" if has_bias else "matmul", args=args if has_bias else args[:2])
    elif kind == "Sum":
        if f.keepdims:
            raise ValueError(f"{made}: sum with keepdims=True is not supported; chainrule's sum drops the axis")
        node.update(op="sum", args=args)
        axis = f.axis
        if isinstance(axis, tuple) and len(axis) == 1:
            axis = axis[0]
        if axis is not None:
            ndim = np.ndim(f.inputs[0].data)
            if not isinstance(axis, (int, np.integer)) or axis % max(ndim, 1) not in (0, 1):
                raise ValueError(f"{made}: sum over axis {f.axis!r} is not supported; chainrule sums all elements or along axis 0 or 1")
            node["axis"] = int(axis % ndim)
    elif kind == "Softmax":
        ndim = np.ndim(f.inputs[0].data)
        if f.axis not in (-1, ndim - 1):
            raise ValueError(f"{made}: softmax over axis {f.axis!r} is not supported; chainrule's softmax is over the last axis")
        node.update(op="softmax", args=args)
    elif kind == "SoftmaxCrossEntropy":
        # DeZero's labels are class indices; chainrule's are one-hot rows.
        x, t = f.inputs
        classes = np.shape(x.data)[-1]
        onehot = np.eye(classes)[np.asarray(t.data).ravel()]
        target = f"{node_id}_t"
        graph.add({"id": target, "const": onehot.tolist(), "label": "t (one-hot)"})
        node.update(op="softmax_with_loss", args=[args[0], target])
    else:
        raise ValueError(
            f"{made} is not supported; {_closest(kind, _DEZERO_KNOWN)} "
            f"(chainrule's ops: {', '.join(_native.op_names())})"
        )
    return node


def from_dezero(variable, title="DeZero"):
    """The graph that made DeZero's ``Variable`` ``variable``, as a scenario whose output is
    it, shapes and numbers kept.

    Walks ``creator`` and its ``inputs`` back to the leaves (each an input holding its
    array); a Variable's ``name`` becomes its id and label; each Function's class maps to
    chainrule's op (``Linear`` to ``affine``, ``SoftmaxCrossEntropy`` to
    ``softmax_with_loss`` with its labels made one-hot). Where ``backward()`` left a
    gradient (DeZero keeps the leaves'), it is compared with chainrule's; the nodes that
    differ are in ``scenario.mismatches`` and a ``GradientMismatch`` warning.

    Raises ``TypeError`` for an object that is not a DeZero Variable, ``ValueError`` for a
    Function chainrule has no counterpart of (naming it, the Variable it made and the
    closest op).
    """
    if not _is_dezero(variable):
        hint = " (a micrograd Value: use chainrule.from_micrograd)" if _is_micrograd(variable) else ""
        raise TypeError(
            "chainrule.from_dezero expects a DeZero Variable (with data, creator, grad and "
            f"name), not {type(variable).__name__}{hint}"
        )
    order = _topological(variable, _dezero_children)
    ids = _ids(order, lambda v: str(v.name or ""))
    id_of = {id(v): i for v, i in zip(order, ids)}
    graph = _Graph("DeZero")
    for v, node_id in zip(order, ids):
        args = [id_of[id(x)] for x in _dezero_children(v)]
        graph.add(_dezero_node(v, node_id, args, graph))
    scenario = graph.scenario(id_of[id(variable)], title)
    scenario.ids = {node_id: v for v, node_id in zip(order, ids)}
    scenario.mismatches = []
    theirs_all = [(v, node_id) for v, node_id in zip(order, ids) if v.grad is not None]
    if theirs_all:
        grads = scenario.grads
        for v, node_id in theirs_all:
            theirs = np.asarray(v.grad.data)
            ours = np.asarray(grads[node_id])
            rtol = _RTOL.get(theirs.dtype, 1e-9)
            same = theirs.shape == ours.shape and np.all(
                np.abs(theirs - ours) <= rtol * np.maximum(1.0, np.maximum(np.abs(theirs), np.abs(ours)))
            )
            if not same:
                scenario.mismatches.append(
                    {"id": node_id, "theirs": theirs.tolist(), "ours": ours.tolist()}
                )
        _report(scenario.mismatches, "DeZero")
    return scenario
