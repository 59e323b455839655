#!/usr/bin/env python3
"""Reference numbers for the corpus of graphs in this directory, computed without chainrule.

Each graph's formula is written out here by hand, in plain Python (standard library only, no
numpy), from what the graph means, not by reading its JSON file. For every graph this computes
the output and the gradient of sum(seed * output) with respect to every input (the seed is 1
unless the scenario gives one, as chainrule does), by central finite differences with one step
of Richardson extrapolation, in double precision. Where the gradient is known in closed form
(the textbook examples, and a few derivations done by hand), that is checked too, so that a
mistake in a formula below is caught here and not blamed on chainrule.

Run with `python3 tests/corpus/reference.py`; it writes `reference/reference.json` (in a
directory of its own, so that `chainrule render tests/corpus` and `chainrule check tests/corpus`,
which take every *.json file of the directory for a scenario, see only the graphs):

    { "<file stem>": { "output": <number or nested list>,
                       "gradients": { "<input id>": <number or nested list>, ... } } }
"""

import json
import math
import os
import sys

# ---------------------------------------------------------------------------------------------
# Helpers on nested lists


def shape(v):
    """The shape of a number (()) or a nested list."""
    if isinstance(v, list):
        return (len(v),) + shape(v[0])
    return ()


def flat(v):
    """The numbers of a nested list in row-major order."""
    if isinstance(v, list):
        return [x for item in v for x in flat(item)]
    return [float(v)]


def unflat(numbers, shp):
    """Numbers in row-major order back into a nested list of shape `shp`."""
    if not shp:
        return numbers[0]
    size = len(numbers) // shp[0]
    return [unflat(numbers[i * size:(i + 1) * size], shp[1:]) for i in range(shp[0])]


def ones_like(v):
    return unflat([1.0] * len(flat(v)), shape(v))


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def relu(z):
    return z if z > 0 else 0.0


def matvec(m, v):
    """m (n, k) times v (k,): (n,)."""
    return [sum(row[k] * v[k] for k in range(len(v))) for row in m]


def vecmat(v, m):
    """v (k,) times m (k, n): (n,)."""
    return [sum(v[k] * m[k][j] for k in range(len(v))) for j in range(len(m[0]))]


def matmat(a, b):
    """a (n, k) times b (k, m): (n, m)."""
    return [vecmat(row, b) for row in a]


def add_row(m, r):
    """Each row of m plus the vector r (numpy broadcasting of (n, k) + (k,))."""
    return [[x + y for x, y in zip(row, r)] for row in m]


def softmax(a):
    top = max(a)
    e = [math.exp(x - top) for x in a]
    s = sum(e)
    return [x / s for x in e]


def cross_entropy_rows(y_rows, t_rows):
    """Mean over rows of −Σ t log y."""
    total = 0.0
    for y, t in zip(y_rows, t_rows):
        total -= sum(ti * math.log(yi) for yi, ti in zip(y, t))
    return total / len(y_rows)


# ---------------------------------------------------------------------------------------------
# The graphs: inputs, seed and the formula of each, written from what the graph computes.

GRAPHS = {}


def graph(stem, inputs, seed=None):
    """Registers `fn(**inputs)` as the formula of the corpus file `<stem>.json`."""

    def register(fn):
        GRAPHS[stem] = (fn, inputs, seed)
        return fn

    return register


@graph("cs231n_add_mul", {"x": -2.0, "y": 5.0, "z": -4.0})
def _(x, y, z):
    return (x + y) * z


@graph("cs231n_sigmoid_neuron",
       {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0})
def _(w0, x0, w1, x1, w2):
    return 1.0 / (1.0 + math.exp(-(w0 * x0 + w1 * x1 + w2)))


@graph("cs231n_staged", {"x": 3.0, "y": -4.0})
def _(x, y):
    return (x + sigmoid(y)) / (sigmoid(x) + (x + y) ** 2)


MICROGRAD_B = 6.8813735870195432


@graph("micrograd_tanh_neuron",
       {"x1": 2.0, "w1": -3.0, "x2": 0.0, "w2": 1.0, "b": MICROGRAD_B})
def _(x1, w1, x2, w2, b):
    return math.tanh(x1 * w1 + x2 * w2 + b)


@graph("micrograd_tanh_expanded",
       {"x1": 2.0, "w1": -3.0, "x2": 0.0, "w2": 1.0, "b": MICROGRAD_B})
def _(x1, w1, x2, w2, b):
    e = math.exp(2.0 * (x1 * w1 + x2 * w2 + b))
    return (e - 1.0) / (e + 1.0)


@graph("xy_plus_x", {"x": 3.0, "y": -2.0})
def _(x, y):
    return x * y + x


@graph("x_times_x_plus_x", {"x": 3.0})
def _(x):
    return x * x + x


@graph("a_plus_a", {"a": 3.0, "c": -2.0})
def _(a, c):
    return (a + a) * c


@graph("micrograd_reuse", {"a": -2.0, "b": 3.0})
def _(a, b):
    return (a * b) * (a + b)


@graph("diamond", {"x": 1.5})
def _(x):
    return math.exp(x) * math.log(x)


@graph("colah_e", {"a": 2.0, "b": 1.0})
def _(a, b):
    return (a + b) * (b + 1.0)


@graph("karpathy_abcf", {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0})
def _(a, b, c, f):
    return (a * b + c) * f


@graph("apple_orange_banana",
       {"apple": 100.0, "apple_num": 2.0, "orange": 150.0, "orange_num": 3.0,
        "banana": 80.0, "banana_num": 4.0, "tax": 1.1})
def _(apple, apple_num, orange, orange_num, banana, banana_num, tax):
    return (apple * apple_num + orange * orange_num + banana * banana_num) * tax


@graph("exp_exp_exp", {"w": 0.2})
def _(w):
    return math.exp(math.exp(math.exp(w)))


@graph("parallel_resistors", {"R1": 2.0, "R2": 3.0})
def _(R1, R2):
    return 1.0 / (1.0 / R1 + 1.0 / R2)


HORNER = {"a0": 1.0, "a1": -2.0, "a2": 0.5, "a3": 3.0, "a4": -1.5, "a5": 0.25, "a6": 2.0,
          "a7": -0.75, "a8": 1.25, "a9": -0.5, "a10": 0.3}


@graph("horner_degree10", dict(HORNER, x=0.8))
def _(x, **a):
    # The polynomial summed term by term, not by Horner's rule as the graph does it.
    return sum(a[f"a{k}"] * x ** k for k in range(11))


@graph("logistic_regression",
       {"X": [[1.0, 2.0], [-1.5, 0.5], [0.5, -1.0]], "w": [0.4, -0.3], "b": 0.1})
def _(X, w, b):
    t = [1.0, 0.0, 1.0]
    total = 0.0
    for row, ti in zip(X, t):
        p = sigmoid(row[0] * w[0] + row[1] * w[1] + b)
        total += ti * math.log(p) + (1.0 - ti) * math.log(1.0 - p)
    return -total * (1.0 / 3.0)


@graph("affine_softmax_with_loss",
       {"X": [[0.6, -0.2, 1.0], [-0.5, 0.9, 0.3]],
        "W": [[0.2, -0.4, 0.1], [0.5, 0.3, -0.2], [-0.3, 0.8, 0.6]],
        "B": [0.1, -0.1, 0.05]})
def _(X, W, B):
    T = [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    A = add_row(matmat(X, W), B)
    return cross_entropy_rows([softmax(a) for a in A], T)


@graph("two_layer_net",
       {"X": [[0.6, -0.2, 1.0], [-0.5, 0.9, 0.3]],
        "W1": [[0.3, -0.6, 0.8, 0.1], [-0.4, 0.5, 0.2, -0.7], [0.9, -0.1, -0.5, 0.4]],
        "b1": [0.1, -0.2, 0.15, 0.3],
        "W2": [[0.5, -0.3], [-0.8, 0.6], [0.2, 0.9], [0.7, -0.4]],
        "b2": [0.05, -0.05]})
def _(X, W1, b1, W2, b2):
    T = [[1.0, 0.0], [0.0, 1.0]]
    H = add_row(matmat(X, W1), b1)
    R = [[relu(h) for h in row] for row in H]
    S = add_row(matmat(R, W2), b2)
    return cross_entropy_rows([softmax(s) for s in S], T)


@graph("mlp_layer",
       {"X": [[0.5, -1.0, 2.0], [1.5, 0.4, -0.8]],
        "W": [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]],
        "b": [0.05, -0.1]},
       seed=[[1.0, -0.5], [0.25, 2.0]])
def _(X, W, b):
    return [[math.tanh(z) for z in row] for row in add_row(matmat(X, W), b)]


@graph("batchnorm_like",
       {"X": [[1.0, 2.0], [3.0, -1.0], [0.5, 0.0], [-1.5, 1.0]],
        "gamma": [1.5, 0.5], "beta": [0.1, -0.2]},
       seed=[[1.0, -1.0], [0.5, 2.0], [-2.0, 0.5], [1.0, 1.0]])
def _(X, gamma, beta):
    n, eps = len(X), 1e-5
    out = [[0.0, 0.0] for _ in X]
    for j in range(2):
        column = [row[j] for row in X]
        mu = sum(column) / n
        var = sum((x - mu) ** 2 for x in column) / n
        for i, x in enumerate(column):
            out[i][j] = gamma[j] * (x - mu) / math.sqrt(var + eps) + beta[j]
    return out


@graph("residual_block",
       {"X": [[0.5, -1.0, 2.0], [1.5, 0.4, -0.8]],
        "W": [[0.6, -0.4, 0.3], [-0.2, 0.9, 0.5], [0.7, 0.1, -0.6]]})
def _(X, W):
    total = 0.0
    for x, h in zip(X, matmat(X, W)):
        total += sum((xi + relu(hi)) ** 2 for xi, hi in zip(x, h))
    return 0.5 * total


@graph("linear_regression_mse",
       {"X": [[1.0, 2.0], [2.0, 0.5], [-1.0, 1.0], [0.5, -2.0]], "w": [0.7, -0.4], "b": 0.2})
def _(X, w, b):
    y = [0.5, 1.8, -1.0, 1.5]
    return sum((p + b - yi) ** 2 for p, yi in zip(matvec(X, w), y)) / 4.0


@graph("softmax_with_loss_5_classes",
       {"a1": 1.2, "a2": -0.4, "a3": 2.5, "a4": 0.3, "a5": -1.1})
def _(a1, a2, a3, a4, a5):
    e = [math.exp(a) for a in (a1, a2, a3, a4, a5)]
    # The label is class 3: the loss is −log y3.
    return -math.log(e[2] / sum(e))


@graph("softmax_cross_entropy",
       {"A": [[1.0, 2.0, 0.5, -1.0], [0.2, -0.3, 1.5, 0.0]]})
def _(A):
    T = [[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
    return cross_entropy_rows([softmax(a) for a in A], T)


ATTENTION_SCALE = 0.7071067811865476  # 1/√2 as the scenario writes it


@graph("attention",
       {"q": [1.0, 0.5], "K": [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
        "V": [[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]]},
       seed=[1.0, -1.0])
def _(q, K, V):
    a = softmax([ATTENTION_SCALE * s for s in matvec(K, q)])
    return vecmat(a, V)


@graph("l2_regularised_loss", {"x1": 1.5, "x2": -0.5, "w1": 0.8, "w2": -1.2, "b": 0.3})
def _(x1, x2, w1, w2, b):
    t, lam = 2.0, 0.1
    return (w1 * x1 + w2 * x2 + b - t) ** 2 + lam * (w1 ** 2 + w2 ** 2)


@graph("pseudo_huber_loss", {"x": 2.0, "w": 1.5, "b": -0.5})
def _(x, w, b):
    y, delta = 0.5, 1.5
    r = w * x + b - y
    return delta ** 2 * (math.sqrt(1.0 + (r / delta) ** 2) - 1.0)


@graph("rnn_unrolled", {"w": 0.5, "u": 1.2, "b": -0.1, "x1": 1.0, "x2": -0.5, "x3": 2.0})
def _(w, u, b, x1, x2, x3):
    h = 0.0
    for x in (x1, x2, x3):
        h = math.tanh(w * h + u * x + b)
    return (h - 0.8) ** 2


@graph("tanh_net_2_2_1",
       {"x1": 0.5, "x2": -1.0, "w11": 0.4, "w21": -0.6, "b1": 0.1, "w12": 0.7, "w22": 0.3,
        "b2": -0.2, "v1": 1.2, "v2": -0.8, "c": 0.05})
def _(x1, x2, w11, w21, b1, w12, w22, b2, v1, v2, c):
    h1 = math.tanh(w11 * x1 + w21 * x2 + b1)
    h2 = math.tanh(w12 * x1 + w22 * x2 + b2)
    return (v1 * h1 + v2 * h2 + c - 0.6) ** 2


MLP_232 = {
    "x1": 1.0, "x2": -0.5,
    "w11": 0.2, "w12": -0.5, "w13": 0.8, "w21": 0.6, "w22": 0.3, "w23": -0.4,
    "b1": 0.1, "b2": -0.3, "b3": 0.2,
    "v11": 0.7, "v12": -0.2, "v21": -0.6, "v22": 0.9, "v31": 0.4, "v32": 0.5,
    "c1": 0.05, "c2": -0.1,
}


@graph("mlp_2_3_2", MLP_232)
def _(**p):
    x = [p["x1"], p["x2"]]
    h = [sigmoid(sum(x[i] * p[f"w{i + 1}{j + 1}"] for i in range(2)) + p[f"b{j + 1}"])
         for j in range(3)]
    y = [sum(h[j] * p[f"v{j + 1}{k + 1}"] for j in range(3)) + p[f"c{k + 1}"]
         for k in range(2)]
    t = [1.0, 0.0]
    return 0.5 * sum((y[k] - t[k]) ** 2 for k in range(2))


@graph("cs231n_max_gate", {"x": 3.0, "y": -4.0, "z": 2.0, "w": -1.0})
def _(x, y, z, w):
    return 2.0 * (x * y + max(z, w))


@graph("polar_distance", {"r": 2.0, "theta": 0.6})
def _(r, theta):
    dx = r * math.cos(theta) - 1.0
    dy = r * math.sin(theta) - 0.5
    return min(math.hypot(dx, dy), 2.5) + 0.1 * abs(r - 1.0)


SVM_LABELS = [1.0, -1.0, -1.0]


@graph("svm_hinge_loss",
       {"X": [[3.0, 1.0], [2.0, -1.0], [-1.0, 0.5]], "w": [0.5, -0.25], "b": 0.1})
def _(X, w, b):
    margins = [1.0 - yi * (s + b) for yi, s in zip(SVM_LABELS, matvec(X, w))]
    return sum(max(0.0, m) for m in margins) / len(margins)


RMS_WEIGHTS = [[1.0, -1.0], [0.5, 2.0], [-2.0, 1.0]]


@graph("rms_norm", {"X": [[1.0, 2.0, 4.0], [-1.0, 0.5, 3.0]]})
def _(X):
    # Sample i (a row of X) is divided by its root mean square and scored by column i of C.
    total, count = 0.0, 0
    for i, row in enumerate(X):
        rms = math.sqrt(sum(x * x for x in row) / len(row))
        for j, x in enumerate(row):
            total += RMS_WEIGHTS[j][i] * x / rms
            count += 1
    return total / count


# ---------------------------------------------------------------------------------------------
# Finite differences


def objective(fn, inputs, seed):
    """Σ seed ⊙ fn(inputs)."""
    out = flat(fn(**inputs))
    weights = [1.0] * len(out) if seed is None else flat(seed)
    assert len(weights) == len(out)
    return math.fsum(w * o for w, o in zip(weights, out))


def derivative(g, x):
    """dg/dx at x: central differences at steps h and h/2, combined by Richardson
    extrapolation (error O(h⁴))."""
    h = 1e-3 * max(1.0, abs(x))

    def central(step):
        return (g(x + step) - g(x - step)) / (2.0 * step)

    return (4.0 * central(h / 2.0) - central(h)) / 3.0


def gradients(fn, inputs, seed):
    """The gradient of Σ seed ⊙ output with respect to each element of each input."""
    grads = {}
    for name, value in inputs.items():
        numbers, shp = flat(value), shape(value)
        result = []
        for k, x0 in enumerate(numbers):

            def g(x):
                moved = list(numbers)
                moved[k] = x
                return objective(fn, dict(inputs, **{name: unflat(moved, shp)}), seed)

            result.append(derivative(g, x0))
        grads[name] = unflat(result, shp)
    return grads


# ---------------------------------------------------------------------------------------------
# Gradients known in closed form, to check the finite differences and the formulas above.


def known_gradients(stem, inputs, out):
    """Hand-derived gradients (where derived), by input, in the shapes of the inputs."""
    v = inputs
    if stem == "cs231n_add_mul":
        return {"x": v["z"], "y": v["z"], "z": v["x"] + v["y"]}
    if stem == "cs231n_sigmoid_neuron":
        d = out * (1.0 - out)
        return {"w0": d * v["x0"], "x0": d * v["w0"], "w1": d * v["x1"], "x1": d * v["w1"],
                "w2": d}
    if stem in ("micrograd_tanh_neuron", "micrograd_tanh_expanded"):
        d = 1.0 - out ** 2
        return {"x1": d * v["w1"], "w1": d * v["x1"], "x2": d * v["w2"], "w2": d * v["x2"],
                "b": d}
    if stem == "xy_plus_x":
        return {"x": v["y"] + 1.0, "y": v["x"]}
    if stem == "x_times_x_plus_x":
        return {"x": 2.0 * v["x"] + 1.0}
    if stem == "a_plus_a":
        return {"a": 2.0 * v["c"], "c": 2.0 * v["a"]}
    if stem == "micrograd_reuse":
        a, b = v["a"], v["b"]
        return {"a": (a + b) * b + a * b, "b": (a + b) * a + a * b}
    if stem == "diamond":
        x = v["x"]
        return {"x": math.exp(x) * math.log(x) + math.exp(x) / x}
    if stem == "colah_e":
        return {"a": v["b"] + 1.0, "b": (v["b"] + 1.0) + (v["a"] + v["b"])}
    if stem == "karpathy_abcf":
        return {"a": v["f"] * v["b"], "b": v["f"] * v["a"], "c": v["f"],
                "f": v["a"] * v["b"] + v["c"]}
    if stem == "apple_orange_banana":
        return {"apple": v["apple_num"] * v["tax"], "apple_num": v["apple"] * v["tax"],
                "orange": v["orange_num"] * v["tax"], "orange_num": v["orange"] * v["tax"],
                "banana": v["banana_num"] * v["tax"], "banana_num": v["banana"] * v["tax"],
                "tax": v["apple"] * v["apple_num"] + v["orange"] * v["orange_num"]
                + v["banana"] * v["banana_num"]}
    if stem == "exp_exp_exp":
        x = math.exp(v["w"])
        y = math.exp(x)
        return {"w": out * y * x}
    if stem == "parallel_resistors":
        return {"R1": (out / v["R1"]) ** 2, "R2": (out / v["R2"]) ** 2}
    if stem == "horner_degree10":
        x = v["x"]
        grads = {f"a{k}": x ** k for k in range(11)}
        grads["x"] = sum(k * v[f"a{k}"] * x ** (k - 1) for k in range(1, 11))
        return grads
    if stem == "softmax_with_loss_5_classes":
        y = softmax([v[f"a{k}"] for k in range(1, 6)])
        return {f"a{k}": y[k - 1] - (1.0 if k == 3 else 0.0) for k in range(1, 6)}
    if stem == "logistic_regression":
        t = [1.0, 0.0, 1.0]
        r = [sigmoid(row[0] * v["w"][0] + row[1] * v["w"][1] + v["b"]) - ti
             for row, ti in zip(v["X"], t)]
        return {"X": [[ri * wj / 3.0 for wj in v["w"]] for ri in r],
                "w": [sum(r[i] * v["X"][i][j] for i in range(3)) / 3.0 for j in range(2)],
                "b": sum(r) / 3.0}
    if stem == "affine_softmax_with_loss":
        T = [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
        Y = [softmax(a) for a in add_row(matmat(v["X"], v["W"]), v["B"])]
        G = [[(y - t) / 2.0 for y, t in zip(yr, tr)] for yr, tr in zip(Y, T)]
        Wt = [list(col) for col in zip(*v["W"])]
        Xt = [list(col) for col in zip(*v["X"])]
        return {"X": matmat(G, Wt), "W": matmat(Xt, G),
                "B": [sum(col) for col in zip(*G)]}
    if stem == "linear_regression_mse":
        r = [p + v["b"] - yi for p, yi in zip(matvec(v["X"], v["w"]), [0.5, 1.8, -1.0, 1.5])]
        return {"X": [[2.0 * ri * wj / 4.0 for wj in v["w"]] for ri in r],
                "w": [sum(2.0 * r[i] * v["X"][i][j] for i in range(4)) / 4.0
                      for j in range(2)],
                "b": sum(2.0 * ri for ri in r) / 4.0}
    if stem == "softmax_cross_entropy":
        T = [[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
        return {"A": [[(y - t) / 2.0 for y, t in zip(softmax(a), tr)]
                      for a, tr in zip(v["A"], T)]}
    if stem == "mlp_layer":
        seed = [[1.0, -0.5], [0.25, 2.0]]
        Z = add_row(matmat(v["X"], v["W"]), v["b"])
        G = [[s * (1.0 - math.tanh(z) ** 2) for s, z in zip(sr, zr)]
             for sr, zr in zip(seed, Z)]
        Wt = [list(col) for col in zip(*v["W"])]
        Xt = [list(col) for col in zip(*v["X"])]
        return {"X": matmat(G, Wt), "W": matmat(Xt, G), "b": [sum(c) for c in zip(*G)]}
    if stem == "l2_regularised_loss":
        r = v["w1"] * v["x1"] + v["w2"] * v["x2"] + v["b"] - 2.0
        return {"x1": 2 * r * v["w1"], "x2": 2 * r * v["w2"],
                "w1": 2 * r * v["x1"] + 0.2 * v["w1"], "w2": 2 * r * v["x2"] + 0.2 * v["w2"],
                "b": 2 * r}
    if stem == "pseudo_huber_loss":
        r = v["w"] * v["x"] + v["b"] - 0.5
        d = r / math.sqrt(1.0 + (r / 1.5) ** 2)
        return {"x": d * v["w"], "w": d * v["x"], "b": d}
    if stem == "cs231n_max_gate":
        return {"x": 2.0 * v["y"], "y": 2.0 * v["x"],
                "z": 2.0 if v["z"] > v["w"] else 0.0, "w": 2.0 if v["w"] > v["z"] else 0.0}
    if stem == "polar_distance":
        r, th = v["r"], v["theta"]
        dx, dy = r * math.cos(th) - 1.0, r * math.sin(th) - 0.5
        d = math.hypot(dx, dy)
        assert d < 2.5 and r > 1.0
        return {"r": (dx * math.cos(th) + dy * math.sin(th)) / d + 0.1,
                "theta": (-dx * r * math.sin(th) + dy * r * math.cos(th)) / d}
    if stem == "svm_hinge_loss":
        scores = [s + v["b"] for s in matvec(v["X"], v["w"])]
        active = [1.0 - yi * s > 0.0 for yi, s in zip(SVM_LABELS, scores)]
        n = len(scores)
        return {"X": [[-yi * wj / n if a else 0.0 for wj in v["w"]]
                      for yi, a in zip(SVM_LABELS, active)],
                "w": [sum(-yi * row[j] / n for yi, row, a in zip(SVM_LABELS, v["X"], active) if a)
                      for j in range(2)],
                "b": sum(-yi / n for yi, a in zip(SVM_LABELS, active) if a)}
    if stem == "rms_norm":
        grads = []
        for i, row in enumerate(v["X"]):
            n = len(row)
            rms = math.sqrt(sum(x * x for x in row) / n)
            c = [RMS_WEIGHTS[j][i] for j in range(n)]
            # ∂(x_j/ρ)/∂x_k = δ_jk/ρ − x_j x_k/(n ρ³), scored by c_j and averaged over 6.
            dot = sum(cj * xj for cj, xj in zip(c, row))
            grads.append([(c[k] / rms - dot * row[k] / (n * rms ** 3)) / 6.0
                          for k in range(n)])
        return {"X": grads}
    return None


def close(a, b, rel=1e-8, abs_=1e-9):
    return all(abs(x - y) <= abs_ + rel * max(abs(x), abs(y)) for x, y in zip(flat(a), flat(b)))


# ---------------------------------------------------------------------------------------------


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    stems = sorted(f[:-5] for f in os.listdir(here) if f.endswith(".json"))
    if sorted(GRAPHS) != stems:
        sys.exit(f"graphs here {sorted(GRAPHS)} differ from the corpus files {stems}")

    reference = {}
    failures = []
    for stem in stems:
        fn, inputs, seed = GRAPHS[stem]
        out = fn(**inputs)
        grads = gradients(fn, inputs, seed)
        known = known_gradients(stem, inputs, out)
        if known is not None:
            if sorted(known) != sorted(grads):
                failures.append(f"{stem}: hand-derived inputs {sorted(known)}")
            for name, g in known.items():
                if shape(g) != shape(grads[name]) or not close(g, grads[name]):
                    failures.append(f"{stem}: {name}: by hand {g}, numerically {grads[name]}")
        reference[stem] = {"output": out, "gradients": grads}

    # The numbers the lecture notes print, to the digits they print them.
    printed = [
        ("cs231n_add_mul", "output", -12.0),
        ("cs231n_sigmoid_neuron", "output", 0.73),
        ("cs231n_sigmoid_neuron", "w0", -0.20), ("cs231n_sigmoid_neuron", "x0", 0.39),
        ("cs231n_sigmoid_neuron", "w1", -0.39), ("cs231n_sigmoid_neuron", "x1", -0.59),
        ("cs231n_sigmoid_neuron", "w2", 0.20),
        ("micrograd_tanh_neuron", "output", 0.7071), ("micrograd_tanh_neuron", "x1", -1.5),
        ("micrograd_tanh_neuron", "w1", 1.0), ("micrograd_tanh_neuron", "x2", 0.5),
        ("micrograd_tanh_neuron", "w2", 0.0), ("micrograd_tanh_neuron", "b", 0.5),
        ("micrograd_reuse", "a", -3.0), ("micrograd_reuse", "b", -8.0),
        ("colah_e", "output", 6.0), ("colah_e", "a", 2.0), ("colah_e", "b", 5.0),
        ("karpathy_abcf", "output", -8.0), ("karpathy_abcf", "a", 6.0),
        ("karpathy_abcf", "b", -4.0), ("karpathy_abcf", "c", -2.0),
        ("karpathy_abcf", "f", 4.0),
        ("apple_orange_banana", "output", 1067.0), ("apple_orange_banana", "tax", 970.0),
        ("parallel_resistors", "output", 1.2), ("parallel_resistors", "R1", 0.36),
        ("parallel_resistors", "R2", 0.16),
        ("cs231n_max_gate", "output", -20.0), ("cs231n_max_gate", "x", -8.0),
        ("cs231n_max_gate", "y", 6.0), ("cs231n_max_gate", "z", 2.0),
        ("cs231n_max_gate", "w", 0.0),
    ]
    for stem, what, want in printed:
        got = reference[stem]["output"] if what == "output" else reference[stem]["gradients"][what]
        digits = len(repr(want).split(".")[1]) if "." in repr(want) else 0
        if abs(got - want) > 0.5 * 10 ** -max(digits, 2) + 1e-9:
            failures.append(f"{stem}: {what} is {got}, the notes print {want}")

    if failures:
        sys.exit("\n".join(failures))
    # One line for each output and each gradient, so that a change shows as a one-line diff.
    lines = []
    for i, stem in enumerate(stems):
        entry = reference[stem]
        grads = [f"      {json.dumps(name)}: {json.dumps(g)}"
                 for name, g in entry["gradients"].items()]
        lines.append(f"  {json.dumps(stem)}: {{")
        lines.append(f"    \"output\": {json.dumps(entry['output'])},")
        lines.append("    \"gradients\": {")
        lines.append(",\n".join(grads))
        lines.append("    }")
        lines.append("  }" + ("," if i < len(stems) - 1 else ""))
    text = "{\n" + "\n".join(lines) + "\n}\n"
    if json.loads(text) != reference:
        sys.exit("reference.json would not read back as written")
    os.makedirs(os.path.join(here, "reference"), exist_ok=True)
    with open(os.path.join(here, "reference", "reference.json"), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote reference/reference.json: {len(reference)} graphs")


if __name__ == "__main__":
    main()
