//! `newsdesk check`: reads the folder and reports every problem found.

use std::io::{self, Write};
use std::path::Path;

use super::{EXIT_OK, EXIT_PROBLEMS, load_or_report};
use crate::config::Config;
use crate::format::plural;
use crate::library::Severity;

pub(super) fn check(path: &Path, config: &Config) -> io::Result<i32> {
    let lib = match load_or_report(path, config) {
        Ok(lib) => lib,
        Err(code) => return Ok(code),
    };
    let mut out = io::stdout().lock();
    for p in &lib.problems {
        writeln!(out, "{p}")?;
    }
    let errors = lib
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = lib.problems.len() - errors;
    writeln!(
        out,
        "{}, {}, {}",
        plural(lib.articles.len(), "article", "articles"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    )?;
    Ok(if lib.problems.is_empty() {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    })
}
