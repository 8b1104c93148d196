//! `cargo xtask tidy`: cheap structural rules for the Rust sources, checked
//! before every test run so that they never drift.
//!
//! - Every `.rs` file under `crates/` and `xtask/` (tests, `main.rs` and
//!   `lib.rs` included) begins with a `//!` doc comment saying what the file is
//!   for; leading blank lines are allowed. Whoever opens a file gets its
//!   purpose first.
//! - No `.rs` file is longer than [`MAX_LINES`] lines; split it instead.

use anyhow::{Context, Result, bail};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;

/// Checks the rules, prints every violation and fails if there was any.
pub fn check(root: &Path) -> Result<()> {
    let mut files = Vec::new();
    for dir in ["crates", "xtask"] {
        collect_rs_files(&root.join(dir), &mut files)?;
    }
    files.sort();

    let mut problems = Vec::new();
    for path in &files {
        let text =
            fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let shown = path.strip_prefix(root).unwrap_or(path).display();
        let first_line = text.lines().find(|line| !line.trim().is_empty());
        if !first_line.is_some_and(|line| line.trim_start().starts_with("//!")) {
            problems.push(format!("{shown}: does not begin with a `//!` doc comment"));
        }
        let lines = text.lines().count();
        if lines > MAX_LINES {
            problems.push(format!("{shown}: {lines} lines (at most {MAX_LINES})"));
        }
    }

    for problem in &problems {
        eprintln!("tidy: {problem}");
    }
    if !problems.is_empty() {
        bail!(
            "{} tidy problem(s) in {} .rs files",
            problems.len(),
            files.len()
        );
    }
    eprintln!("tidy: {} .rs files ok", files.len());
    Ok(())
}

/// Adds the `.rs` files below `dir`, skipping `target` and hidden directories.
fn collect_rs_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))?;
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            let name = entry.file_name();
            if name != "target" && !name.to_string_lossy().starts_with('.') {
                collect_rs_files(&path, out)?;
            }
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
    Ok(())
}
