//! What newsdesk remembers between runs: read and starred marks and the reading
//! position of each article, in a TOML state file that several readers (and
//! several machines) share without losing anything.
//!
//! Every mark carries the time it last changed. Saving never writes a reader's
//! whole memory over the file: under a lock it reads the file again, applies
//! only this reader's own [`Change`]s, and replaces the file atomically. Two
//! copies of the file (a Syncthing conflict, two sides of a git merge) merge
//! field by field, the latest change winning ([`State::merge`]). Files written
//! before marks had times still load: their marks count as older than any
//! timed change.
//!
//! | part | module | what it holds |
//! |---|---|---|
//! | marks, changes, [`State`] | `mod.rs` | the marks, a change to one, merging copies, the TOML text |
//! | [`Stamp`], [`now`] | `stamp` | when a mark changed, as the file writes it |
//! | [`Entry`], [`Field`] | `entry` | one article's timed marks and their form in the file |
//! | [`locate`], [`load`], [`read`] | `loading` | where the file is; reading it, a bad one moved aside |
//! | [`save`], [`update`], [`merge_into`] | `saving` | the lock, reading again, the atomic replace; why a save failed |
//! | [`export_text`], [`import_text`] | `export` | one line per article, for people and `grep` |

mod entry;
mod export;
mod loading;
mod saving;
mod stamp;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::article::Article;

pub use entry::{Entry, Field};
pub use export::{EXPORT_HEADER, ImportError, export_text, import_text};
pub use loading::{LoadError, Loaded, load, locate, read};
pub use saving::{Cause, SaveError, Saved, merge_into, save, update};
pub use stamp::{Stamp, now};

/// The marks of one article, as the reader holds them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Marks {
    /// Opened at least once (or marked read).
    pub read: bool,
    /// Starred.
    pub starred: bool,
    /// Where reading stopped: block index and byte offset in it.
    pub position: Option<Position>,
}

/// Where reading stopped in an article: block index and byte offset in
/// it (32 bits each: a million articles' marks are held at once, and no
/// article has four billion blocks).
pub type Position = [u32; 2];

/// The state file's contents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// The search prompt's recent queries, newest last (the whole list is one
    /// value: the copy changed last wins).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<String>,
    /// When the history last changed.
    #[serde(default, skip_serializing_if = "is_unset")]
    pub history_at: Stamp,
    /// Marks by article key (source URL, else path relative to the folder).
    #[serde(default)]
    pub articles: BTreeMap<String, Entry>,
}

fn is_unset(stamp: &Stamp) -> bool {
    *stamp == Stamp(0)
}

/// One mark set to a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    /// Read (true) or unread.
    Read(bool),
    /// Starred (true) or not.
    Starred(bool),
    /// Where reading stopped (none: at the top).
    Position(Option<Position>),
}

/// One change a reader made: which article, which mark, and when.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Change {
    /// The article's key ([`article_key`]).
    pub key: String,
    /// The mark and its new value.
    pub mark: Mark,
    /// When the person made it ([`now`]).
    pub at: Stamp,
}

impl Change {
    /// The changes that turn `before` into `after`, all made at `at`: only the
    /// marks that differ, so another reader's change to the others survives.
    pub fn diff(key: &str, before: Marks, after: Marks, at: Stamp) -> Vec<Change> {
        let mut out = Vec::new();
        let mut push = |mark| {
            out.push(Change {
                key: key.to_owned(),
                mark,
                at,
            });
        };
        if before.read != after.read {
            push(Mark::Read(after.read));
        }
        if before.starred != after.starred {
            push(Mark::Starred(after.starred));
        }
        if before.position != after.position {
            push(Mark::Position(after.position));
        }
        out
    }
}

/// Keeps only the last change of each mark of each article, so a list of
/// changes waiting for a writable disk does not grow without end.
pub fn compact(changes: &mut Vec<Change>) {
    let mut seen = std::collections::HashSet::new();
    let mut kept: Vec<Change> = changes
        .drain(..)
        .rev()
        .filter(|c| seen.insert((c.key.clone(), std::mem::discriminant(&c.mark))))
        .collect();
    kept.reverse();
    *changes = kept;
}

impl State {
    /// The marks of an article (none stored: all unset).
    pub fn marks(&self, key: &str) -> Marks {
        self.articles.get(key).map(Entry::marks).unwrap_or_default()
    }

    /// [`State::marks`] under the article's [`article_key`], made without
    /// allocating (looked up for every article as it arrives).
    pub fn marks_of(&self, article: &Article) -> Marks {
        if self.articles.is_empty() {
            return Marks::default();
        }
        let key: std::borrow::Cow<'_, str> = match &article.source_url {
            Some(url) if !url.is_empty() => url.as_str().into(),
            _ => article.path.to_string_lossy(),
        };
        self.marks(&key)
    }

    /// Applies changes in order. Each is a timed value like any other, so a
    /// later change already in the file (another reader's) is kept.
    pub fn apply(&mut self, changes: &[Change]) {
        for change in changes {
            let entry = self.articles.entry(change.key.clone()).or_default();
            let at = change.at;
            match change.mark {
                Mark::Read(value) => entry.read.merge(Field { value, at }),
                Mark::Starred(value) => entry.starred.merge(Field { value, at }),
                Mark::Position(value) => entry.position.merge(Field { value, at }),
            }
        }
        self.tidy();
    }

    /// Sets an article's marks as the reader holds them: each mark that
    /// differs from the stored one is a change made at `at`; the others keep
    /// their times (so they cannot undo a later change from another reader).
    pub fn set_marks(&mut self, key: &str, marks: Marks, at: Stamp) {
        let changes = Change::diff(key, self.marks(key), marks, at);
        if !changes.is_empty() {
            self.apply(&changes);
        }
    }

    /// Merges another copy in: per article and mark the later change wins; the
    /// history list changed last wins whole.
    pub fn merge(&mut self, other: &State) {
        for (key, entry) in &other.articles {
            self.articles.entry(key.clone()).or_default().merge(entry);
        }
        if (other.history_at, &other.history) > (self.history_at, &self.history) {
            self.history = other.history.clone();
            self.history_at = other.history_at;
        }
        self.tidy();
    }

    /// Replaces the query history (the search prompt's), as changed at `at`.
    pub fn set_history(&mut self, queries: Vec<String>, at: Stamp) {
        if (at, &queries) > (self.history_at, &self.history) {
            self.history = queries;
            self.history_at = at;
        }
    }

    fn tidy(&mut self) {
        // No article has an empty key (a path is never empty).
        self.articles.retain(|k, e| !k.is_empty() && !e.is_empty());
    }

    /// The state as the file holds it (a comment line, then TOML).
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        let mut text = String::from(HEADER);
        text.push_str(&toml::to_string(self)?);
        Ok(text)
    }

    /// Reads a state file's text (the current form or the older one without times).
    pub fn from_toml(text: &str) -> Result<State, toml::de::Error> {
        let mut state: State = toml::from_str(text)?;
        state.tidy();
        Ok(state)
    }
}

const HEADER: &str = "# newsdesk state: read and starred marks and reading positions, each with\n\
# when it last changed (UTC). Copies merge with `newsdesk state merge FILE`.\n";

/// The key an article's marks are kept under: its source URL, else its path
/// relative to the folder, so moving the archive keeps the marks.
pub fn article_key(article: &Article) -> String {
    match &article.source_url {
        Some(url) if !url.is_empty() => url.to_string(),
        _ => article.path.to_string_lossy().into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn star(key: &str, value: bool, at: i64) -> Change {
        Change {
            key: key.into(),
            mark: Mark::Starred(value),
            at: Stamp(at),
        }
    }

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
    fn marks_of_looks_up_the_article_key() {
        let mut state = State::default();
        let mut a = Article {
            path: "x/y.txt".into(),
            ..Article::default()
        };
        assert_eq!(state.marks_of(&a), Marks::default());
        state.apply(&[star("x/y.txt", true, 1), star("https://e.org/a", true, 1)]);
        assert!(state.marks_of(&a).starred);
        a.source_url = Some("https://e.org/b".into());
        assert!(!state.marks_of(&a).starred, "keyed by its address now");
        a.source_url = Some("https://e.org/a".into());
        assert!(state.marks_of(&a).starred);
        a.source_url = Some(crate::shared_str::SharedStr::default());
        assert!(state.marks_of(&a).starred, "an empty address keys by path");
    }

    #[test]
    fn old_files_without_times_still_load_and_lose_to_any_change() {
        let old = "[articles.\"https://e.org/a\"]\nread = true\nposition = [3, 10]\n\n\
                   [articles.b]\nstarred = true\n";
        let mut state = State::from_toml(old).unwrap();
        assert_eq!(
            state.marks("https://e.org/a"),
            Marks {
                read: true,
                starred: false,
                position: Some([3, 10])
            }
        );
        assert!(state.marks("b").starred);
        state.apply(&[star("b", false, 1)]);
        assert!(!state.marks("b").starred);
        // The unstar is written with its time, so the old star cannot return.
        let text = state.to_toml().unwrap();
        assert!(text.contains("starred = false"), "{text}");
        assert!(
            text.contains("starred_at = 1970-01-01T00:00:00.001Z"),
            "{text}"
        );
        let mut again = State::from_toml(&text).unwrap();
        assert_eq!(again, state);
        again.merge(&State::from_toml(old).unwrap());
        assert!(!again.marks("b").starred);
    }

    #[test]
    fn merging_takes_the_later_change_of_each_mark() {
        let mut laptop = State::default();
        laptop.apply(&[
            star("a", true, 10),
            Change {
                key: "a".into(),
                mark: Mark::Read(true),
                at: Stamp(30),
            },
        ]);
        let mut desktop = State::default();
        desktop.apply(&[
            star("a", false, 20),
            Change {
                key: "a".into(),
                mark: Mark::Read(false),
                at: Stamp(5),
            },
            Change {
                key: "a".into(),
                mark: Mark::Position(Some([1, 2])),
                at: Stamp(7),
            },
        ]);
        let mut one = laptop.clone();
        one.merge(&desktop);
        let mut two = desktop.clone();
        two.merge(&laptop);
        assert_eq!(one, two, "the order of a merge does not matter");
        assert_eq!(
            one.marks("a"),
            Marks {
                read: true,
                starred: false,
                position: Some([1, 2])
            }
        );
        let mut three = one.clone();
        three.merge(&one);
        assert_eq!(three, one, "merging a copy twice changes nothing");
    }

    #[test]
    fn history_of_the_later_copy_wins() {
        let mut a = State::default();
        a.set_history(vec!["old".into()], Stamp(1));
        let mut b = State::default();
        b.set_history(vec!["new".into(), "newer".into()], Stamp(2));
        a.merge(&b);
        assert_eq!(a.history, ["new", "newer"]);
        let text = a.to_toml().unwrap();
        assert_eq!(State::from_toml(&text).unwrap(), a);
    }

    #[test]
    fn diff_names_only_what_changed() {
        let before = Marks::default();
        let after = Marks {
            starred: true,
            ..before
        };
        assert_eq!(
            Change::diff("k", before, after, Stamp(3)),
            [star("k", true, 3)]
        );
    }

    #[test]
    fn compact_keeps_the_last_change_of_each_mark() {
        let mut changes = vec![star("a", true, 1), star("b", true, 2), star("a", false, 3)];
        compact(&mut changes);
        assert_eq!(changes, [star("b", true, 2), star("a", false, 3)]);
    }
}
