"""chainrule in Python: backpropagation drawn the way the textbook draws it, inline in Jupyter.

    import chainrule
    s = chainrule.load("apple.json")   # a file, a JSON string or a dict
    s.figure()                          # shows itself in a notebook

``chainrule.from_micrograd(value)`` and ``chainrule.from_dezero(variable)`` turn the graph a
student built with micrograd or DeZero into a scenario, and compare the gradients their
``backward()`` computed with chainrule's.
"""

import json
import os
import pathlib
import re
from html import escape as _escape

import numpy as np

from . import _native
from ._native import ChainruleError, NumericError, ScenarioError
from ._trace import GradientMismatch, from_dezero, from_micrograd

__all__ = [
    "load",
    "Scenario",
    "Figure",
    "Stepper",
    "from_micrograd",
    "from_dezero",
    "op_names",
    "ChainruleError",
    "ScenarioError",
    "NumericError",
    "GradientMismatch",
]

#: Defaults of ``chainrule render`` and ``chainrule frames``.
DEFAULT_PRECISION = 4
DEFAULT_EDGE_LABELS = 200
DEFAULT_DELAY_MS = 1500


def op_names():
    """Every operator a scenario may use, in the order the README lists them."""
    return list(_native.op_names())


def load(source):
    """A validated scenario from a file path (``str`` or ``os.PathLike``), scenario text (a
    ``str`` holding JSON or the text format, ``"x = 3; y = x ** 2"``) or a ``dict`` in the
    JSON's shape.

    Raises ``ScenarioError`` (with the command line's message) for a scenario that is not
    valid, and ``TypeError`` for anything else.
    """
    if isinstance(source, Scenario):
        return source
    if isinstance(source, dict):
        try:
            text = json.dumps(source, allow_nan=False)
        except (TypeError, ValueError) as err:
            raise ScenarioError(f"<dict>: cannot be written as JSON: {err}") from None
        return Scenario(_native.Scenario.parse(text))
    if isinstance(source, os.PathLike):
        return Scenario(_native.Scenario.open(os.fspath(source)))
    if isinstance(source, str):
        # Scenario text has a brace or a line break, or, on one line of the text format, "="
        # or ";"; a file name has neither of the first two, and one with "=" or ";" is read
        # if it exists.
        text = "\n" in source or source.lstrip().startswith("{")
        one_line = ("=" in source or ";" in source) and not os.path.exists(source)
        if text or one_line:
            return Scenario(_native.Scenario.parse(source))
        return Scenario(_native.Scenario.open(source))
    raise TypeError(
        "chainrule.load expects a scenario: a file path, scenario text or a dict, "
        f"not {type(source).__name__}"
    )


def _tensor(shape, data):
    """A float for a scalar, else a numpy array of that shape."""
    if not shape:
        return float(data[0])
    return np.array(data, dtype=np.float64).reshape(shape)


class Scenario:
    """A validated scenario: evaluate it, read its numbers, draw it, step through it."""

    def __init__(self, native):
        self._native = native
        self._evaluated = None

    @property
    def title(self):
        """The scenario's title, or ``""``."""
        return self._native.title

    @property
    def output(self):
        """The id of the node whose gradient is taken."""
        return self._native.output

    def nodes(self):
        """Every node in file order, as ``(id, label, kind)``; kind is ``"input"``,
        ``"const"`` or the operator's name."""
        return list(self._native.nodes())

    def evaluate(self):
        """Runs the forward and backward passes (once; later calls reuse them) and returns
        ``(values, grads)``: dicts from node id to a float (a scalar) or a numpy array.

        Raises ``NumericError`` for a value or gradient that is not finite, ``ScenarioError``
        for shapes that do not fit or a scenario without numbers."""
        if self._evaluated is None:
            values, grads = {}, {}
            for node, (vshape, vdata), (gshape, gdata) in self._native.evaluate():
                values[node] = _tensor(vshape, vdata)
                grads[node] = _tensor(gshape, gdata)
            self._evaluated = (values, grads)
        values, grads = self._evaluated
        return dict(values), dict(grads)

    @property
    def values(self):
        """Every node's forward value, by id."""
        return self.evaluate()[0]

    @property
    def grads(self):
        """The gradient of the output with respect to every node, by id."""
        return self.evaluate()[1]

    def value(self, node):
        """The forward value of one node (``KeyError`` for an unknown id)."""
        return self._lookup(self.evaluate()[0], node)

    def grad(self, node):
        """The gradient of the output with respect to one node."""
        return self._lookup(self.evaluate()[1], node)

    def _lookup(self, table, node):
        if node not in table:
            raise KeyError(f"no node {node!r} in the scenario")
        return table[node]

    def figure(
        self,
        view="backward",
        annotate=None,
        precision=DEFAULT_PRECISION,
        collapse=False,
        edge_labels=DEFAULT_EDGE_LABELS,
        scale=1.0,
    ):
        """The figure ``chainrule render`` draws, with its options: ``view`` ``"forward"`` or
        ``"backward"``, ``annotate`` ``"numeric"``, ``"symbolic"`` or ``"both"`` (default: as
        the scenario says), significant digits, ``collapse`` groups, edge labels only up to
        this many edges, and the PNG's ``scale``."""
        svg = self._native.svg(view, annotate, precision, collapse, edge_labels)
        return Figure(svg, scale)

    def stepper(
        self,
        pass_=None,
        annotate=None,
        precision=DEFAULT_PRECISION,
        lang="en",
        delay=DEFAULT_DELAY_MS,
        edge_labels=DEFAULT_EDGE_LABELS,
    ):
        """The frames of ``chainrule frames`` as its web page: ``pass_`` ``"backward"``,
        ``"forward"`` or ``"both"`` (default: as the scenario says), the captions' ``lang``
        ``"en"`` or ``"zh"``, ``delay`` in milliseconds a frame when playing."""
        page = self._native.stepper(pass_, annotate, precision, lang, delay, edge_labels)
        return Stepper(page)

    def __repr__(self):
        nodes = len(self._native.nodes())
        return f"<chainrule.Scenario {self.title or self.output!r}: {nodes} nodes>"

    def _repr_svg_(self):
        return self.figure().svg


class Figure:
    """One figure: shows itself inline in Jupyter, saves as SVG, PNG or PDF."""

    def __init__(self, svg, scale=1.0):
        self.svg = svg
        self.scale = scale

    def __repr__(self):
        size = re.search(r'width="([0-9.]+)" height="([0-9.]+)"', self.svg)
        return f"<chainrule.Figure {size[1]} × {size[2]}>" if size else "<chainrule.Figure>"

    def _repr_svg_(self):
        return self.svg

    def png(self, scale=None):
        """The figure rasterised, as PNG bytes."""
        return _native.svg_to_png(self.svg, float(self.scale if scale is None else scale))

    def pdf(self):
        """The figure as a one-page vector PDF, as bytes."""
        return _native.svgs_to_pdf([self.svg])

    def save(self, path, scale=None):
        """Writes the figure as SVG, PNG or PDF, by the file's extension."""
        path = pathlib.Path(path)
        kind = path.suffix.lower()
        if kind == ".svg":
            data = self.svg.encode("utf-8")
        elif kind == ".png":
            data = self.png(scale)
        elif kind == ".pdf":
            data = self.pdf()
        else:
            raise ValueError(f"{path}: cannot tell the format: the name must end in .svg, .png or .pdf")
        path.write_bytes(data)
        return path


#: Room the page takes besides the frame: its title, the caption and the controls, in px.
_PAGE_CHROME_PX = 260


#: Lets the page step where it may not write the frame number into its URL.
_KEEP_STEPPING = (
    "<script>const replaceState = history.replaceState.bind(history);"
    "history.replaceState = (...args) => { try { replaceState(...args); } catch (e) {} };"
    "</script>\n"
)


class Stepper:
    """The backward (or forward) pass, one frame per step, with the frames page's controls.

    In a notebook it shows itself in an ``<iframe srcdoc>``: the page and its script live in
    the output, needing nothing from the notebook server, and so work in JupyterLab, in
    Notebook and in a notebook exported to HTML."""

    def __init__(self, page):
        self.html = page

    def __len__(self):
        return self.html.count("<figure id=")

    def __repr__(self):
        return f"<chainrule.Stepper: {len(self)} frames>"

    def _height(self):
        sizes = re.findall(r'<svg[^>]*?\sheight="([0-9.]+)', self.html)
        return int(max((float(h) for h in sizes), default=300)) + _PAGE_CHROME_PX

    def _repr_html_(self):
        # In an iframe the page's URL is not its own (about:srcdoc; with the origin `null` for
        # a file:// notebook), and the browser may refuse to put the frame number in it.
        page = self.html.replace("</head>", _KEEP_STEPPING + "</head>", 1)
        return (
            f'<iframe srcdoc="{_escape(page, quote=True)}" '
            f'style="width:100%;height:{self._height()}px;border:0" '
            'title="chainrule frames"></iframe>'
        )

    def save(self, path):
        """Writes the page as a self-contained HTML file."""
        path = pathlib.Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path
