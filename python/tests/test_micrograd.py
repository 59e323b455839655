"""Tracing micrograd (PyPI `micrograd`): every op its Value has, and the lecture's tanh and
exp (ops of the same shape, as the lecture adds them); values and gradients against
micrograd's own; mismatches named; bad graphs refused with a clear error."""

import math
import random
import warnings

import pytest
from micrograd import nn
from micrograd.engine import Value

import chainrule


def tanh(x):
    """The lecture's tanh, with micrograd's conventions (the registry's Value has none)."""
    t = math.tanh(x.data)
    out = Value(t, (x,), "tanh")

    def _backward():
        x.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out


def exp(x):
    """The lecture's exp."""
    e = math.exp(x.data)
    out = Value(e, (x,), "exp")

    def _backward():
        x.grad += e * out.grad

    out._backward = _backward
    return out


def every_op():
    """micrograd's README expression (+, *, **k, relu, neg, sub, div, and their reflected
    forms) with x + x, x * x, a float power and the lecture's tanh and exp."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    h = g * g + (g + g) ** 0.5 + tanh(a / 10) - exp(b / 4) + (a - b).relu()
    return h


def walk(root):
    seen, stack = {id(root): root}, [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen[id(child)] = child
                stack.append(child)
    return list(seen.values())


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def test_every_op_values_and_grads_match_micrograd():
    h = every_op()
    h.backward()
    ops = {v._op for v in walk(h)}
    assert {"+", "*", "**3", "**2", "**-1", "**0.5", "ReLU", "tanh", "exp", ""} <= ops
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = chainrule.from_micrograd(h)
    assert s.mismatches == []
    kinds = {k for _, _, k in s.nodes()}
    assert kinds == {"input", "add", "mul", "pow", "relu", "tanh", "exp"}
    assert len(s.ids) == len(walk(h)) == len(s.nodes())
    for node, v in s.ids.items():
        assert close(s.value(node), v.data), node
        assert close(s.grad(node), v.grad), node
    assert s.output == [n for n, v in s.ids.items() if v is h][0]
    assert s.figure().svg.startswith("<svg") and len(s.stepper()) > 2


def unary(x, op, f, df):
    """An op micrograd's variants add as the lecture adds tanh: `Value(f(x), (x,), op)`."""
    out = Value(f(x.data), (x,), op)

    def _backward():
        x.grad += df(x.data) * out.grad

    out._backward = _backward
    return out


def test_log_and_sigmoid_of_other_micrograd_variants():
    x = Value(0.7)
    s = 1 / (1 + math.exp(-0.7))
    y = unary(x, "log", math.log, lambda v: 1 / v) + unary(x, "sigmoid", lambda v: s, lambda v: s * (1 - s))
    y.backward()
    traced = chainrule.from_micrograd(y)
    assert {k for _, _, k in traced.nodes()} == {"input", "log", "sigmoid", "add"}
    assert traced.mismatches == [] and close(traced.grad("v0"), x.grad)


def test_an_arg_used_twice_by_one_op():
    x = Value(3.0)
    y = x * x + x + x
    y.backward()
    s = chainrule.from_micrograd(y)
    assert s.mismatches == [] and s.grad("v0") == 8.0 == x.grad


def test_labels_become_ids_and_labels():
    x, w, b = Value(2.0), Value(-3.0), Value(6.8813735870195432)
    x.label, w.label, b.label = "x", "w", "b"
    n = x * w + b
    n.label = "n"
    o = tanh(n)
    o.label = "o"
    o.backward()
    s = chainrule.from_micrograd(o)
    # The deeper argument of + first (x·w before b); w before x by label.
    assert s.nodes() == [
        ("w", "w", "input"), ("x", "x", "input"), ("v0", None, "mul"),
        ("b", "b", "input"), ("n", "n", "add"), ("o", "o", "tanh"),
    ]
    assert s.output == "o" and close(s.grad("x"), w.data * (1 - o.data**2))


def test_tracing_is_deterministic():
    first = [chainrule.from_micrograd(every_op()).figure().svg for _ in range(3)]
    assert first[0] == first[1] == first[2]


def test_the_readme_neuron_and_an_mlp():
    random.seed(4)
    n = nn.Neuron(2)
    y = n([Value(1.0), Value(-2.0)])
    y.backward()
    s = chainrule.from_micrograd(y)
    assert s.mismatches == [] and s.value(s.output) == pytest.approx(y.data)
    random.seed(1)
    mlp = nn.MLP(2, [8, 8, 1])
    loss = (mlp([Value(0.5), Value(-1.0)]) - 1.0) ** 2
    loss.backward()
    s = chainrule.from_micrograd(loss)
    assert s.mismatches == [] and 250 < len(s.nodes()) < 350


def test_without_backward_nothing_is_compared():
    y = Value(2.0) * Value(3.0)
    s = chainrule.from_micrograd(y)
    assert s.mismatches == [] and s.grad(s.output) == 1.0


def test_a_wrong_gradient_is_named():
    a, b = Value(2.0), Value(3.0)
    a.label, b.label = "a", "b"
    y = a * b
    y.label = "y"
    y.backward()
    a.grad = 2.5
    with pytest.warns(chainrule.GradientMismatch, match=r"node 'a': micrograd has 2.5, chainrule 3.0"):
        s = chainrule.from_micrograd(y)
    assert s.mismatches == [{"id": "a", "theirs": 2.5, "ours": 3.0}]


def test_backward_twice_without_zeroing_is_caught():
    a = Value(2.0)
    y = a * a
    y.backward()
    y.backward()
    with pytest.warns(chainrule.GradientMismatch, match="node .v0.: micrograd has 8.0, chainrule 4.0"):
        chainrule.from_micrograd(y)


def test_unsupported_op_is_named_with_the_closest():
    x = Value(0.5)
    x.label = "x"
    y = Value(1 / (1 + math.exp(-0.5)), (x,), "sigmoidd")
    y.label = "s"
    z = y * 2
    with pytest.raises(ValueError, match=r"micrograd op 'sigmoidd' \(1 argument\(s\)\) of the micrograd Value\(data=0.62\d*\) labelled 's' is not supported; did you mean 'sigmoid'\?"):
        chainrule.from_micrograd(z)
    odd = Value(1.0, (x, Value(2.0)), "-")
    with pytest.raises(ValueError, match="'-' of the micrograd Value.*order of a non-commutative op is lost"):
        chainrule.from_micrograd(odd)


def test_not_a_value_is_a_type_error():
    with pytest.raises(TypeError, match="expects a micrograd Value .* not float"):
        chainrule.from_micrograd(1.5)
    from dezero import Variable
    import numpy as np
    with pytest.raises(TypeError, match="not Variable .*use chainrule.from_dezero"):
        chainrule.from_micrograd(Variable(np.array(1.0)))


def test_non_finite_data_is_named():
    y = Value(float("nan")) * Value(2.0)
    with pytest.raises(ValueError, match=r"Value\(data=nan\) holds nan, which is not a finite number"):
        chainrule.from_micrograd(y)
