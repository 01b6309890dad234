//! `newsdesk config`: the default config, its path, or a check of it.

use std::io::{self, Write};
use std::path::PathBuf;

use super::{EXIT_OK, EXIT_UNUSABLE};
use crate::config::{Config, DEFAULT_CONFIG};

pub(super) fn config_command(
    print_default: bool,
    path: bool,
    check: Option<Option<PathBuf>>,
    config: &Config,
) -> io::Result<i32> {
    let mut out = io::stdout().lock();
    if print_default {
        write!(out, "{DEFAULT_CONFIG}")?;
    }
    if path {
        match &config.source {
            Some(p) => writeln!(out, "{}", p.display())?,
            None => writeln!(out, "built-in defaults")?,
        }
    }
    let checking = check.is_some();
    if let Some(file) = check {
        let result = match file {
            Some(f) => Config::from_file(&f)
                .and_then(|c| crate::keymap::Keymap::from_config(&c))
                .map(|_| f.display().to_string()),
            None => Ok(config
                .source
                .as_ref()
                .map_or("built-in defaults".into(), |p| p.display().to_string())),
        };
        match result {
            Ok(name) => writeln!(out, "{name}: ok")?,
            Err(e) => {
                eprintln!("{e}");
                return Ok(EXIT_UNUSABLE);
            }
        }
    }
    if !print_default && !path && !checking {
        eprintln!("newsdesk config: say what to do: --print-default, --path or --check [FILE]");
        return Ok(EXIT_UNUSABLE);
    }
    Ok(EXIT_OK)
}
