"""Tracing DeZero (PyPI `dezero` 0.0.13): every Function with a chainrule counterpart, shapes
kept, values and gradients against DeZero's own; mismatches named; bad graphs refused."""

import warnings

import numpy as np
import pytest
import dezero.functions as F
from dezero import Variable

import chainrule


def traced(y, **kwargs):
    """from_dezero with any GradientMismatch an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", chainrule.GradientMismatch)
        return chainrule.from_dezero(y, **kwargs)


def check_against_dezero(s, leaves):
    """Every value chainrule computed is DeZero's, every leaf's gradient too."""
    for node, v in s.ids.items():
        np.testing.assert_allclose(np.asarray(s.value(node)), v.data, rtol=1e-12, atol=0)
        assert np.shape(s.value(node)) == v.data.shape, node
    for v in leaves:
        node = [n for n, w in s.ids.items() if w is v][0]
        np.testing.assert_allclose(np.asarray(s.grad(node)), v.grad.data, rtol=1e-12, atol=1e-15)


def test_scalar_ops():
    x = Variable(np.array(0.5), name="x")
    y = Variable(np.array(2.0), name="y")
    z = ((x + y) * x - y / x + (-x)) ** 3 + F.exp(x) - F.log(y) + F.tanh(x * y) + F.sigmoid(y) + F.relu(x - y) + F.relu(y)
    z = z + x**2 - 1.0 + 2.0 / y - 3.0 * x
    z.name = "z"
    z.backward()
    s = traced(z)
    kinds = {k for _, _, k in s.nodes()}
    assert kinds == {"input", "add", "sub", "mul", "div", "neg", "pow", "exp", "log", "tanh", "sigmoid", "relu"}
    assert s.output == "z" and ("x", "x", "input") in s.nodes()
    assert s.mismatches == []
    check_against_dezero(s, [x, y])


def test_tensor_ops_keep_shapes():
    rng = np.random.default_rng(0)
    x = Variable(rng.normal(size=(2, 3)), name="x")
    W1 = Variable(rng.normal(size=(3, 4)), name="W1")
    b1 = Variable(rng.normal(size=(4,)), name="b1")
    W2 = Variable(rng.normal(size=(4, 3)), name="W2")
    t = np.array([2, 0])
    h = F.sigmoid(F.linear(x, W1, b1))
    a = F.linear(h, W2)
    loss = (
        F.softmax_cross_entropy(a, t)
        + F.sum(F.sum(F.softmax(a), axis=0)) * 0.1
        + F.sum(F.sum(F.matmul(h, W2), axis=1))
    )
    loss.name = "loss"
    loss.backward()
    s = traced(loss)
    kinds = {k for _, _, k in s.nodes()}
    assert {"affine", "matmul", "sigmoid", "softmax", "softmax_with_loss", "sum", "const"} <= kinds
    assert s.value("W1").shape == (3, 4) and s.grad("b1").shape == (4,)
    assert s.mismatches == []
    check_against_dezero(s, [x, W1, b1, W2])
    assert s.figure().svg.startswith("<svg")


def test_a_wrong_gradient_is_named():
    x = Variable(np.array([1.0, 2.0]), name="x")
    y = F.sum(x * x)
    y.backward()
    x.grad = Variable(np.array([2.0, 5.0]))
    with pytest.warns(chainrule.GradientMismatch, match=r"node 'x': DeZero has \[2.0, 5.0\], chainrule \[2.0, 4.0\]"):
        s = chainrule.from_dezero(y)
    assert [m["id"] for m in s.mismatches] == ["x"]


def test_without_backward_nothing_is_compared():
    s = traced(Variable(np.array(3.0)) * 2.0)
    assert s.mismatches == [] and s.value(s.output) == 6.0


def test_unsupported_function_is_named_with_the_closest():
    x = Variable(np.array(1.0), name="x")
    y = F.leaky_relu(x)
    y.name = "y"
    with pytest.raises(ValueError, match=r"DeZero's LeakyReLU \(making the DeZero Variable of shape \(\) named 'y'\) is not supported; did you mean 'ReLU'\?"):
        chainrule.from_dezero(y * 2)
    with pytest.raises(ValueError, match=r"DeZero's Sin .* is not supported; .*chainrule's ops: add, sub"):
        chainrule.from_dezero(F.sin(x))
    with pytest.raises(ValueError, match="keepdims=True is not supported"):
        chainrule.from_dezero(F.sum(Variable(np.ones((2, 2))), axis=0, keepdims=True))
    with pytest.raises(ValueError, match="softmax over axis 0 is not supported"):
        chainrule.from_dezero(F.softmax(Variable(np.ones((2, 2))), axis=0))


def test_not_a_variable_is_a_type_error():
    with pytest.raises(TypeError, match=r"expects a DeZero Variable .* not ndarray"):
        chainrule.from_dezero(np.ones(2))
    from micrograd.engine import Value
    with pytest.raises(TypeError, match="use chainrule.from_micrograd"):
        chainrule.from_dezero(Value(1.0))


def test_float32_is_compared_to_its_precision():
    x = Variable(np.array([0.3, -1.2, 2.5], dtype=np.float32), name="x")
    y = F.sum(F.tanh(x) * F.exp(x) / (x * x + 1.0))
    y.backward()
    assert x.grad.data.dtype == np.float32
    s = traced(y)
    assert s.mismatches == []
    np.testing.assert_allclose(s.grad("x"), x.grad.data, rtol=1e-5)
    x.grad = Variable(x.grad.data * np.float32(1.001))
    with pytest.warns(chainrule.GradientMismatch, match="node 'x'"):
        chainrule.from_dezero(y)
