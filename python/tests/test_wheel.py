"""The wheel maturin builds: it holds the package, the extension and the example notebook,
needs no system library but libc, and draws a figure installed on its own."""

import os
import pathlib
import subprocess
import sys
import zipfile

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    maturin = pathlib.Path(sys.executable).with_name("maturin")
    if not maturin.exists():
        pytest.fail(f"maturin is not installed beside {sys.executable}: pip install maturin")
    subprocess.run(
        [str(maturin), "build", "--release", "--quiet", "--out", str(out)],
        cwd=PACKAGE, check=True,
    )
    (built,) = out.glob("chainrule-*.whl")
    return built


def test_wheel_contents(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "chainrule/__init__.py" in names and "chainrule/_trace.py" in names
    assert [n for n in names if n.startswith("chainrule/_native") and n.endswith(".so")]
    assert "chainrule/examples/backprop.ipynb" in names
    assert all(n.startswith(("chainrule/", "chainrule-")) for n in names), names
    assert "-abi3-" in wheel.name


def test_wheel_needs_no_system_library(wheel, tmp_path):
    with zipfile.ZipFile(wheel) as z:
        (native,) = [n for n in z.namelist() if n.startswith("chainrule/_native")]
        z.extract(native, tmp_path)
    ldd = subprocess.run(["ldd", str(tmp_path / native)], capture_output=True, text=True)
    assert ldd.returncode == 0, ldd.stderr
    libraries = {line.split()[0] for line in ldd.stdout.splitlines() if line.strip()}
    # The C library and the compiler's runtime, which every Linux has; nothing else.
    libc = {"linux-vdso.so.1", "libc.so.6", "libm.so.6", "libgcc_s.so.1", "libpthread.so.0",
            "libdl.so.2", "librt.so.1", "/lib64/ld-linux-x86-64.so.2"}
    assert libraries <= libc, libraries - libc


def test_installed_wheel_draws_in_three_lines(wheel, tmp_path):
    # Installed alone into a directory (numpy from this environment), away from the source.
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(tmp_path / "site"), str(wheel)],
        check=True,
    )
    script = (
        "import chainrule\n"
        "s = chainrule.load({'nodes': [{'id': 'x', 'input': 3}, {'id': 'y', 'op': 'pow', 'args': ['x'], 'p': 2}]})\n"
        "svg = s._repr_svg_()\n"
        "assert chainrule.__file__.startswith(%r), chainrule.__file__\n"
        "print(svg[:4], s.grad('x'))\n" % str(tmp_path / "site")
    )
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "site"))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "<svg 6.0\n"
