"""The package's API: loading, numbers, figures in every format, the stepper, and errors with
the command line's messages."""

import json
import pathlib
import re
import struct

import numpy as np
import pytest

import chainrule

APPLE = {
    "nodes": [
        {"id": "apple", "input": 100},
        {"id": "apple_num", "input": 2},
        {"id": "tax", "input": 1.1},
        {"id": "apple_price", "op": "mul", "args": ["apple", "apple_num"]},
        {"id": "price", "op": "mul", "args": ["apple_price", "tax"]},
    ]
}


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_load_from_path_str_pathlike_json_and_dict(scenarios):
    path = scenarios / "apple.json"
    loaded = [
        chainrule.load(str(path)),
        chainrule.load(path),
        chainrule.load(path.read_text()),
        chainrule.load(json.loads(path.read_text())),
    ]
    for s in loaded:
        assert s.title == "Apples with consumption tax"
        assert s.output == "price"
        assert s.value("price") == pytest.approx(220)
        assert s.grad("apple") == pytest.approx(2.2)
        assert s.grad("tax") == pytest.approx(200)
    assert chainrule.load(loaded[0]) is loaded[0]
    assert loaded[0].nodes()[0] == ("apple", "apple", "input")
    assert loaded[0].nodes()[3] == ("apple_price", None, "mul")


def test_load_from_the_text_format_on_one_line_or_more():
    for text in ["x = 3; y = x ** 2", "x = 3\ny = x ** 2\n"]:
        s = chainrule.load(text)
        assert s.output == "y"
        assert s.grad("x") == pytest.approx(6)
    with pytest.raises(chainrule.ScenarioError, match="not defined"):
        chainrule.load("y = x ** 2")


def test_not_a_scenario_is_a_type_error():
    with pytest.raises(TypeError, match="a file path, scenario text or a dict, not int"):
        chainrule.load(3)


def test_values_and_grads_are_floats_and_numpy_arrays(scenarios):
    s = chainrule.load(scenarios / "affine.json")
    values, grads = s.evaluate()
    assert set(values) == {n for n, _, _ in s.nodes()} == set(grads)
    for node, kind in [(n, k) for n, _, k in s.nodes()]:
        v, g = values[node], grads[node]
        assert isinstance(v, (float, np.ndarray)) and isinstance(g, (float, np.ndarray))
        if isinstance(v, np.ndarray):
            assert v.dtype == np.float64 and g.shape == v.shape
    np.testing.assert_array_equal(values["W"], [[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]])
    np.testing.assert_allclose(values["Y"], [0.3, 0.7, 1.1])
    # dL/dW = X^T seed
    np.testing.assert_allclose(grads["W"], np.outer([1.0, 0.5], [1, 2, 3]))
    scalar = chainrule.load(scenarios / "apple.json")
    assert type(scalar.value("price")) is float and type(scalar.grad("tax")) is float
    # The dicts are copies: changing one leaves the scenario's numbers alone.
    values.clear()
    assert s.values


def test_evaluation_matches_the_command_line(cli, scenarios):
    code, out, _ = cli("eval", "--json", scenarios / "affine_batch.json")
    assert code == 0
    expected = json.loads(out)
    s = chainrule.load(scenarios / "affine_batch.json")
    for node, value in expected["values"].items():
        np.testing.assert_array_equal(np.asarray(s.value(node)), np.asarray(value))
    for node, grad in expected["grads"].items():
        np.testing.assert_array_equal(np.asarray(s.grad(node)), np.asarray(grad))


def test_unknown_node_is_a_key_error(scenarios):
    with pytest.raises(KeyError, match="no node 'pear'"):
        chainrule.load(scenarios / "apple.json").value("pear")


def test_figure_is_what_render_writes(cli, scenarios, tmp_path):
    # A scenario without "figures" renders one backward figure, <scenario>.svg.
    path = tmp_path / "apple.json"
    path.write_text(json.dumps(APPLE))
    code, _, err = cli("render", path, "-o", tmp_path / "out", "--format", "svg")
    assert code == 0, err
    assert chainrule.load(path).figure().svg == (tmp_path / "out" / "apple.svg").read_text()
    code, _, err = cli("render", path, "-o", tmp_path / "fwd", "--format", "svg",
                       "--view", "forward", "--annotate", "both", "--precision", "2")
    assert code == 0, err
    figure = chainrule.load(path).figure(view="forward", annotate="both", precision=2)
    assert figure.svg == (tmp_path / "fwd" / "apple.svg").read_text()


def test_figure_options(scenarios):
    s = chainrule.load(scenarios / "apple.json")
    backward = s.figure().svg
    assert backward.startswith("<svg") and s._repr_svg_() == backward
    assert s.figure()._repr_svg_() == backward
    assert s.figure(view="forward").svg != backward
    assert "2.2" in backward and "2.2" not in s.figure(view="forward").svg
    assert "∂" in s.figure(annotate="symbolic").svg
    assert "220.0" not in s.figure(precision=2).svg
    sigmoid = chainrule.load(scenarios / "sigmoid.json")
    assert sigmoid.figure(collapse=True).svg != sigmoid.figure().svg
    assert "sigmoid" in sigmoid.figure(collapse=True).svg
    assert s.figure(edge_labels=0).svg.count("<text") < backward.count("<text")
    assert re.match(r"<chainrule.Figure \d", repr(s.figure()))


def test_bad_option_is_a_value_error(scenarios):
    s = chainrule.load(scenarios / "apple.json")
    with pytest.raises(ValueError, match="view must be one of 'forward', 'backward', not 'sideways'"):
        s.figure(view="sideways")
    with pytest.raises(ValueError, match="annotate must be one of"):
        s.figure(annotate="words")
    with pytest.raises(ValueError, match="lang must be one of 'en', 'zh'"):
        s.stepper(lang="fr")
    with pytest.raises(ValueError, match="scale must be a positive number"):
        s.figure().png(scale=0)
    with pytest.raises(ValueError, match=r"x\.gif: cannot tell the format"):
        s.figure().save("x.gif")


def test_save_svg_png_pdf(scenarios, tmp_path):
    figure = chainrule.load(scenarios / "apple.json").figure()
    assert figure.save(tmp_path / "a.svg").read_text() == figure.svg
    one = png_size(figure.save(tmp_path / "a.png").read_bytes())
    two = png_size(figure.save(tmp_path / "b.PNG", scale=2).read_bytes())
    assert two == (2 * one[0], 2 * one[1])
    assert png_size(chainrule.load(scenarios / "apple.json").figure(scale=3).png()) == (3 * one[0], 3 * one[1])
    pdf = figure.save(tmp_path / "a.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-10:]
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1


def test_stepper_is_the_frames_page_in_an_iframe(cli, scenarios, tmp_path):
    s = chainrule.load(scenarios / "apple.json")
    stepper = s.stepper()
    code, _, err = cli("frames", scenarios / "apple.json", "-o", tmp_path, "--format", "html")
    assert code == 0, err
    assert stepper.html == (tmp_path / "apple.html").read_text()
    code, out, _ = cli("eval", "--steps", scenarios / "apple.json")
    assert len(stepper) == 4 and repr(stepper) == "<chainrule.Stepper: 4 frames>"
    cell = stepper._repr_html_()
    assert cell.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert "<script" not in cell and cell.count("&lt;script&gt;") == 2
    assert 'id="next"' not in cell and "id=&quot;next&quot;" in cell
    assert stepper.save(tmp_path / "s.html").read_text() == stepper.html


def test_stepper_options(scenarios):
    s = chainrule.load(scenarios / "apple.json")
    assert len(s.stepper(pass_="both")) > len(s.stepper()) > len(s.stepper(pass_="forward"))
    zh = s.stepper(lang="zh").html
    assert re.search("[\u4e00-\u9fff]", zh) and not re.search("[\u4e00-\u9fff]", s.stepper().html)
    assert "∂" in s.stepper(annotate="symbolic").html
    assert 'data-delay="250"' in s.stepper(delay=250).html


def test_errors_carry_the_command_lines_message(cli, tmp_path):
    cases = [
        ('{"nodes": [{"id": "x", "input": 1}, {"id": "y", "op": "sinh", "args": ["x"]}]}',
         chainrule.ScenarioError, 2),
        ('{"nodes": [{"id": "x", "input": -1}, {"id": "y", "op": "log", "args": ["x"]}]}',
         chainrule.NumericError, 1),
        ('{"nodes": [', chainrule.ScenarioError, 2),
    ]
    for text, error, exit_code in cases:
        path = tmp_path / "bad.json"
        path.write_text(text)
        code, _, err = cli("eval", path)
        assert code == exit_code
        with pytest.raises(error) as raised:
            chainrule.load(path).evaluate()
        assert f"chainrule: {raised.value}\n" == err
        assert issubclass(error, chainrule.ChainruleError)
    with pytest.raises(chainrule.ScenarioError, match=r"^<json>:1:11: EOF while parsing"):
        chainrule.load('{"nodes": [')
    # A scenario given as text is named by its format, in every message, the stepper's too.
    with pytest.raises(chainrule.ScenarioError, match=r'^<text>:2:5: unknown function "mull"'):
        chainrule.load("x = 1\ny = mull(x, 2)\n")
    bad = chainrule.load("x = -1\ny = log(x)\n")
    for draw in (bad.evaluate, bad.stepper):
        with pytest.raises(chainrule.NumericError, match=r'^<text>: node "y": log\(−1\)'):
            draw()
    with pytest.raises(chainrule.ScenarioError, match="cannot read"):
        chainrule.load(tmp_path / "missing.json")


def test_op_names():
    names = chainrule.op_names()
    assert names[:3] == ["add", "sub", "mul"] and "softmax_with_loss" in names
