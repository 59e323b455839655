//! The Python package (`python/`): builds it into the test environment with `maturin develop`
//! and runs its pytest suite (`python/tests/`: the API, micrograd and DeZero tracing, the
//! wheel, the example notebook executed headless), with this build's `chainrule` binary to
//! compare messages and figures against.
//!
//! Needs a virtual environment at `python/.venv` (or the Python of `CHAINRULE_PYTHON`) with
//! maturin, pytest, nbclient, ipykernel, micrograd and DeZero, which `.ci/run` installs. Where
//! it is missing the test says so and passes, except under CI (`CI` set), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The test environment's Python, as an absolute path (not resolved: a virtual
/// environment's `python` is a link that must stay one).
fn python() -> PathBuf {
    let python = std::env::var_os("CHAINRULE_PYTHON")
        .map_or_else(|| PathBuf::from("python/.venv/bin/python"), PathBuf::from);
    std::path::absolute(&python).unwrap_or(python)
}

/// What the environment lacks, if anything.
fn missing(python: &Path) -> Option<String> {
    if !python.exists() {
        return Some(format!("no Python at {}", python.display()));
    }
    let modules = "maturin, pytest, nbclient, ipykernel, micrograd, dezero";
    let probe = match Command::new(python)
        .args(["-c", &format!("import {modules}")])
        .output()
    {
        Ok(probe) => probe,
        Err(err) => return Some(format!("cannot run {}: {err}", python.display())),
    };
    (!probe.status.success()).then(|| {
        format!(
            "{} cannot import {modules}: {}",
            python.display(),
            String::from_utf8_lossy(&probe.stderr).trim()
        )
    })
}

#[test]
fn python_package_and_its_tests() {
    let python = python();
    if let Some(why) = missing(&python) {
        let why = format!("{why} (see .ci/run for the environment)");
        crate::skip("python", &why);
        return;
    }
    let bin = python.parent().expect("python is in a directory");
    let venv = bin.parent().expect("its bin is in the environment");
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH joins");

    let develop = Command::new(bin.join("maturin"))
        .args(["develop", "--release", "--quiet"])
        .current_dir("python")
        .env("VIRTUAL_ENV", venv)
        .env("PATH", &path)
        .output()
        .expect("maturin runs");
    crate::succeeded(&develop, "maturin develop");

    let pytest = Command::new(&python)
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "python/tests",
        ])
        .env("CHAINRULE_BIN", env!("CARGO_BIN_EXE_chainrule"))
        .env("PATH", &path)
        .output()
        .expect("pytest runs");
    let report = String::from_utf8_lossy(&pytest.stdout);
    assert!(
        pytest.status.success(),
        "pytest failed:\n{report}\n{}",
        String::from_utf8_lossy(&pytest.stderr)
    );
    // Skips would hide what is not tested: the suite's own skips need the binary only.
    assert!(
        !report.contains("skipped"),
        "pytest skipped tests:\n{report}"
    );
}
