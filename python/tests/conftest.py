"""Shared fixtures: the repository's scenarios and the chainrule command line, whose messages
and figures the package must match."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture
def scenarios():
    return SCENARIOS


@pytest.fixture
def cli():
    """Runs the `chainrule` binary (CHAINRULE_BIN, which the Rust test sets, or the release
    build); returns (exit code, stdout, stderr)."""
    binary = pathlib.Path(os.environ.get("CHAINRULE_BIN", ROOT / "target" / "release" / "chainrule"))
    if not binary.exists():
        pytest.skip(f"needs the chainrule binary ({binary}): cargo build --release")

    def run(*args):
        done = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True)
        return done.returncode, done.stdout, done.stderr

    return run
