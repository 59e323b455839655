"""The example notebook, executed headless (nbclient, ipykernel): every cell runs, the figures
come out as inline SVG and the steppers as self-contained iframes."""

import pathlib

import nbclient
import nbformat

NOTEBOOK = pathlib.Path(__file__).resolve().parents[1] / "chainrule" / "examples" / "backprop.ipynb"


def test_example_notebook_runs_and_shows_svg(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    svgs = [o.data["image/svg+xml"] for o in outputs if "image/svg+xml" in o.get("data", {})]
    # apple forward and backward, the neuron
    assert len(svgs) == 3
    assert all(s.startswith("<svg") and "</svg>" in s for s in svgs)
    assert "payment" in svgs[0] and "2.2" in svgs[1] and "ReLU" in svgs[2]
    assert "x1" in svgs[2] and "w2" in svgs[2]
    pages = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert len(pages) == 2
    assert all(p.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') for p in pages)
    assert all("id=&quot;next&quot;" in p for p in pages)
    assert (tmp_path / "neuron.png").read_bytes()[:4] == b"\x89PNG"
    # The notebook is committed without outputs.
    assert not any(c.get("outputs") for c in nbformat.read(NOTEBOOK, as_version=4).cells)
