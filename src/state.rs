//! What newsdesk remembers between runs: read and starred marks and the reading
//! position of each article, in a TOML state file written atomically.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::article::Article;

/// The marks of one article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marks {
    /// Opened at least once (or marked read).
    #[serde(default, skip_serializing_if = "is_false")]
    pub read: bool,
    /// Starred.
    #[serde(default, skip_serializing_if = "is_false")]
    pub starred: bool,
    /// Where reading stopped: block index and byte offset in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<[usize; 2]>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Marks {
    fn is_empty(&self) -> bool {
        *self == Marks::default()
    }
}

/// The state file's contents: article key → marks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Marks by article key (source URL, else path relative to the folder).
    #[serde(default)]
    pub articles: BTreeMap<String, Marks>,
}

/// The key an article's marks are kept under: its source URL, else its path
/// relative to the folder, so moving the archive keeps the marks.
pub fn article_key(article: &Article) -> String {
    match &article.source_url {
        Some(url) if !url.is_empty() => url.clone(),
        _ => article.path.to_string_lossy().into_owned(),
    }
}

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

/// Reads the state file. A missing file is an empty state; a file that does not
/// parse is renamed aside (`state.toml.corrupt-<time>`) with a warning, never
/// overwritten.
pub fn load(path: &Path) -> Loaded {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Loaded::default(),
        Err(e) => {
            return Loaded {
                state: State::default(),
                warning: Some(format!(
                    "state file {} cannot be read ({e}); marks will not be kept",
                    path.display()
                )),
            };
        }
    };
    match toml::from_str::<State>(&text) {
        Ok(state) => Loaded {
            state,
            warning: None,
        },
        Err(e) => {
            let stamp = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let aside = PathBuf::from(format!("{}.corrupt-{stamp}", path.display()));
            let warning = match fs::rename(path, &aside) {
                Ok(()) => format!(
                    "state file did not parse ({}); moved aside to {}, starting fresh",
                    e.message().trim(),
                    aside.display()
                ),
                Err(re) => format!(
                    "state file {} did not parse and cannot be moved aside ({re})",
                    path.display()
                ),
            };
            Loaded {
                state: State::default(),
                warning: Some(warning),
            }
        }
    }
}

/// Writes the state atomically: a temporary file in the same folder, flushed
/// to disk, then renamed over the old one. A crash leaves the old or the new
/// file whole, never half.
pub fn save(path: &Path, state: &State) -> io::Result<()> {
    let mut trimmed = state.clone();
    trimmed.articles.retain(|_, m| !m.is_empty());
    let text = toml::to_string(&trimmed).map_err(io::Error::other)?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or("state.toml".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(b"# newsdesk state: read and starred marks, reading positions.\n")?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_by_url_else_path() {
        let mut a = Article {
            path: "x/y.txt".into(),
            ..Article::default()
        };
        assert_eq!(article_key(&a), "x/y.txt");
        a.source_url = Some("https://e.org/a".into());
        assert_eq!(article_key(&a), "https://e.org/a");
    }

    #[test]
    fn round_trip_and_corrupt_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.toml");
        let mut state = State::default();
        state.articles.insert(
            "https://e.org/a".into(),
            Marks {
                read: true,
                starred: false,
                position: Some([3, 10]),
            },
        );
        state.articles.insert("empty".into(), Marks::default());
        save(&path, &state).unwrap();
        let loaded = load(&path);
        assert!(loaded.warning.is_none());
        assert_eq!(
            loaded.state.articles.len(),
            1,
            "empty marks are not written"
        );
        assert_eq!(
            loaded.state.articles["https://e.org/a"].position,
            Some([3, 10])
        );

        fs::write(&path, "articles = [[[").unwrap();
        let loaded = load(&path);
        assert!(loaded.state.articles.is_empty());
        assert!(
            loaded
                .warning
                .as_deref()
                .is_some_and(|w| w.contains("moved aside"))
        );
        assert!(!path.exists());
        let aside: Vec<_> = fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            aside
                .iter()
                .any(|n| n.to_string_lossy().starts_with("state.toml.corrupt-"))
        );
    }

    #[test]
    fn a_crash_before_the_rename_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        let mut old = State::default();
        old.articles.insert(
            "a".into(),
            Marks {
                read: true,
                ..Marks::default()
            },
        );
        save(&path, &old).unwrap();
        // What a crash mid-save leaves: a half-written temporary file beside it.
        let tmp = dir
            .path()
            .join(format!(".state.toml.tmp-{}", std::process::id()));
        fs::write(&tmp, "[articles.b]\nread = tr").unwrap();
        assert_eq!(load(&path).state, old);
        // The next save replaces the leftover and the file.
        let mut new = old.clone();
        new.articles.insert(
            "b".into(),
            Marks {
                starred: true,
                ..Marks::default()
            },
        );
        save(&path, &new).unwrap();
        assert_eq!(load(&path).state, new);
        assert!(!tmp.exists());
    }

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
