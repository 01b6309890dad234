//! Where the state file is, and reading it: a missing file is an empty state,
//! one that does not parse is moved aside, never overwritten.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use thiserror::Error;

use super::State;

/// Where the state file is: `--state`, `$NEWSDESK_STATE`,
/// `$XDG_STATE_HOME/newsdesk/state.toml`, `~/.local/state/newsdesk/state.toml`.
pub fn locate(explicit: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = env("NEWSDESK_STATE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let base = env("XDG_STATE_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(base.join("newsdesk").join("state.toml"))
}

/// What loading the state file found.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The state (empty when there was none).
    pub state: State,
    /// A warning for the status bar, when something was wrong.
    pub warning: Option<String>,
}

/// A state file (or a copy to merge) that cannot be used.
#[derive(Debug, Error)]
pub enum LoadError {
    /// It cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// It is not a state file.
    #[error("{} is not a newsdesk state file: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line and column.
        message: String,
    },
}

/// Reads a state file (or a copy of one) and leaves it as it is. A missing
/// file is an error here: a copy named to merge must exist.
pub fn read(path: &Path) -> Result<State, LoadError> {
    let text = fs::read_to_string(path).map_err(|source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    State::from_toml(&text).map_err(|e| LoadError::Parse {
        path: path.to_path_buf(),
        message: e.to_string().trim().to_owned(),
    })
}

/// Reads the state file. A missing file is an empty state; a file that does not
/// parse is renamed aside (`state.toml.corrupt-<time>`) with a warning, never
/// overwritten.
pub fn load(path: &Path) -> Loaded {
    match read(path) {
        Ok(state) => Loaded {
            state,
            warning: None,
        },
        Err(LoadError::Read { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            Loaded::default()
        }
        Err(LoadError::Read { source, .. }) => Loaded {
            state: State::default(),
            warning: Some(format!(
                "state file {} cannot be read ({source}); marks will not be kept",
                path.display()
            )),
        },
        Err(LoadError::Parse { message, .. }) => Loaded {
            state: State::default(),
            warning: Some(move_aside(path, &message)),
        },
    }
}

/// Renames a state file that does not parse out of the way; says so.
pub(super) fn move_aside(path: &Path, message: &str) -> String {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let aside = PathBuf::from(format!("{}.corrupt-{stamp}", path.display()));
    // toml's message: "at line L, column C", the line quoted, then what is wrong.
    let lines: Vec<&str> = message.lines().filter(|l| !l.trim().is_empty()).collect();
    let first_line = match (lines.first(), lines.last()) {
        (Some(first), Some(last)) if lines.len() > 1 => format!("{first}: {}", last.trim()),
        _ => message.to_owned(),
    };
    match fs::rename(path, &aside) {
        Ok(()) => format!(
            "state file did not parse ({first_line}); moved aside to {}, starting fresh",
            aside.display()
        ),
        Err(re) => format!(
            "state file {} did not parse and cannot be moved aside ({re})",
            path.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_order() {
        let env = |k: &str| match k {
            "XDG_STATE_HOME" => Some("/xdg".to_owned()),
            "HOME" => Some("/home/u".to_owned()),
            _ => None,
        };
        assert_eq!(
            locate(None, &env),
            Some(PathBuf::from("/xdg/newsdesk/state.toml"))
        );
        let home = |k: &str| (k == "HOME").then(|| "/home/u".to_owned());
        assert_eq!(
            locate(None, &home),
            Some(PathBuf::from("/home/u/.local/state/newsdesk/state.toml"))
        );
        let st = |k: &str| (k == "NEWSDESK_STATE").then(|| "/s.toml".to_owned());
        assert_eq!(locate(None, &st), Some(PathBuf::from("/s.toml")));
        assert_eq!(
            locate(Some(Path::new("/e.toml")), &st),
            Some(PathBuf::from("/e.toml"))
        );
    }
}
