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

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

use crate::article::Article;

/// The marks of one article, as the reader holds them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Marks {
    /// Opened at least once (or marked read).
    pub read: bool,
    /// Starred.
    pub starred: bool,
    /// Where reading stopped: block index and byte offset in it.
    pub position: Option<[usize; 2]>,
}

/// When a mark changed: milliseconds since 1970 (UTC). Zero means "some time
/// before marks had times" (files from older versions), older than any change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp(pub i64);

/// The last moment a TOML date can name (9999-12-31T23:59:59.999Z): stamps are
/// kept inside it so every stamp can be written back.
const LAST_STAMP: i64 = 253_402_300_799_999;

impl Stamp {
    /// A stamp clamped to what the file can hold.
    pub fn from_millis(ms: i64) -> Stamp {
        Stamp(ms.clamp(0, LAST_STAMP))
    }

    /// RFC 3339 in UTC with milliseconds, as the file and the export write it.
    pub fn to_rfc3339(self) -> String {
        DateTime::from_timestamp_millis(self.0)
            .unwrap_or_default()
            .to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    /// Reads an RFC 3339 time; one without an offset is taken as UTC, a bare
    /// date as its midnight.
    pub fn parse(text: &str) -> Option<Stamp> {
        let text = text.trim();
        let ms = if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            t.timestamp_millis()
        } else if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
            t.and_utc().timestamp_millis()
        } else {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)?
                .and_utc()
                .timestamp_millis()
        };
        Some(Stamp::from_millis(ms))
    }
}

/// The time of a change made now. Strictly increasing within the process, so
/// two changes of one mark in the same millisecond keep their order.
pub fn now() -> Stamp {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let clock = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(LAST_STAMP));
    let mut last = LAST.load(Ordering::Relaxed);
    loop {
        let next = clock.max(last + 1).min(LAST_STAMP);
        match LAST.compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return Stamp(next),
            Err(seen) => last = seen,
        }
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A TOML date-time (unquoted), so a person reads it as a time.
        match self.to_rfc3339().parse::<toml::value::Datetime>() {
            Ok(datetime) => datetime.serialize(serializer),
            Err(e) => Err(serde::ser::Error::custom(e)),
        }
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Stamp, D::Error> {
        let datetime = toml::value::Datetime::deserialize(deserializer)?;
        Stamp::parse(&datetime.to_string()).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{datetime} is not a time newsdesk can use; write it as 2025-01-31T12:00:00Z"
            ))
        })
    }
}

/// One value with the time it last changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Field<T> {
    /// The value.
    pub value: T,
    /// When it was set.
    pub at: Stamp,
}

impl<T: Ord + Copy + Default> Field<T> {
    /// Takes `other` when it is later. Ties go to the larger value, so merging
    /// is the same in any order and merging a copy twice changes nothing.
    fn merge(&mut self, other: Field<T>) {
        if (other.at, other.value) > (self.at, self.value) {
            *self = other;
        }
    }

    /// Whether the field says anything (a value, or the time it was cleared).
    fn is_set(&self) -> bool {
        self.at != Stamp(0) || self.value != T::default()
    }
}

/// The stored marks of one article, each with when it last changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "EntryText", into = "EntryText")]
pub struct Entry {
    /// Read or not.
    pub read: Field<bool>,
    /// Starred or not.
    pub starred: Field<bool>,
    /// Where reading stopped (none: at the top).
    pub position: Field<Option<[usize; 2]>>,
}

impl Entry {
    /// The marks without their times.
    pub fn marks(&self) -> Marks {
        Marks {
            read: self.read.value,
            starred: self.starred.value,
            position: self.position.value,
        }
    }

    /// Takes, field by field, whichever of the two changed last.
    pub fn merge(&mut self, other: &Entry) {
        self.read.merge(other.read);
        self.starred.merge(other.starred);
        self.position.merge(other.position);
    }

    fn is_empty(&self) -> bool {
        !self.read.is_set() && !self.starred.is_set() && !self.position.is_set()
    }
}

/// An entry as the file spells it: `read = true`, `read_at = <time>`, ...; a
/// cleared position is `position = []`. An unset mark with a time is written
/// too (`starred = false`), so an older copy's star cannot come back.
#[derive(Default, Serialize, Deserialize)]
struct EntryText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    read: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    read_at: Option<Stamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    starred: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    starred_at: Option<Stamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<Vec<usize>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position_at: Option<Stamp>,
}

impl TryFrom<EntryText> for Entry {
    type Error = String;
    fn try_from(text: EntryText) -> Result<Entry, String> {
        let position = match text.position.as_deref() {
            None | Some([]) => None,
            Some(&[block, offset]) => Some([block, offset]),
            Some(other) => {
                return Err(format!(
                    "position must be [block, offset] or [] (none), not {} numbers",
                    other.len()
                ));
            }
        };
        Ok(Entry {
            read: Field {
                value: text.read.unwrap_or(false),
                at: text.read_at.unwrap_or_default(),
            },
            starred: Field {
                value: text.starred.unwrap_or(false),
                at: text.starred_at.unwrap_or_default(),
            },
            position: Field {
                value: position,
                at: text.position_at.unwrap_or_default(),
            },
        })
    }
}

impl From<Entry> for EntryText {
    fn from(e: Entry) -> EntryText {
        let at = |s: Stamp| (s != Stamp(0)).then_some(s);
        EntryText {
            read: e.read.is_set().then_some(e.read.value),
            read_at: at(e.read.at),
            starred: e.starred.is_set().then_some(e.starred.value),
            starred_at: at(e.starred.at),
            position: e
                .position
                .is_set()
                .then(|| e.position.value.map_or(Vec::new(), Vec::from)),
            position_at: at(e.position.at),
        }
    }
}

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
    Position(Option<[usize; 2]>),
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
fn move_aside(path: &Path, message: &str) -> String {
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

/// What a save found: the merged state, every reader's marks, to show.
#[derive(Debug, Default)]
pub struct Saved {
    /// The file's state after the save (this reader's changes and everyone else's).
    pub state: State,
    /// Set when the file did not parse and was moved aside before saving.
    pub warning: Option<String>,
}

/// Why a save failed, in terms of what a person can do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// No space left on the disk (or over quota).
    DiskFull,
    /// A file-size limit (`ulimit -f`) stopped the write.
    TooLarge,
    /// The folder or the file is read-only or not ours.
    ReadOnly,
    /// Another process held the lock the whole time we waited.
    Busy,
    /// The path is a folder, not a file.
    NotAFile,
    /// The state cannot be written as TOML (a number too large): a bug.
    Encode,
    /// Any other input/output error.
    Other,
}

/// A save that did not happen. Nothing was changed on disk; the changes are
/// still the caller's, to save again later when [`SaveError::retry`] says so.
#[derive(Debug, Error)]
#[error("{}", self.describe())]
pub struct SaveError {
    /// The state file.
    pub path: PathBuf,
    /// What failed, in a person's words.
    pub cause: Cause,
    /// What we were doing ("writing", "taking the lock on ...").
    step: String,
    /// The system's error, when there is one.
    #[source]
    source: Option<io::Error>,
}

impl SaveError {
    fn io(path: &Path, step: impl Into<String>, e: io::Error) -> SaveError {
        use io::ErrorKind as K;
        let cause = match e.kind() {
            K::StorageFull | K::QuotaExceeded => Cause::DiskFull,
            K::FileTooLarge => Cause::TooLarge,
            K::ReadOnlyFilesystem | K::PermissionDenied => Cause::ReadOnly,
            K::IsADirectory => Cause::NotAFile,
            _ => Cause::Other,
        };
        SaveError {
            path: path.to_path_buf(),
            cause,
            step: step.into(),
            source: Some(e),
        }
    }

    /// Whether saving the same changes again later can succeed (the person
    /// frees space, makes the folder writable, the other process lets go).
    pub fn retry(&self) -> bool {
        !matches!(self.cause, Cause::NotAFile | Cause::Encode)
    }

    fn describe(&self) -> String {
        let file = self.path.display();
        let dir = folder_of(&self.path).display().to_string();
        let why = self
            .source
            .as_ref()
            .map_or(String::new(), |e| format!(" ({e})"));
        let fix = match self.cause {
            Cause::DiskFull => format!(
                "the disk holding {dir} is full: free some space there, or point --state or $NEWSDESK_STATE at another disk"
            ),
            Cause::TooLarge => {
                "a file-size limit stops the write: raise it (ulimit -f unlimited)".to_owned()
            }
            Cause::ReadOnly => format!(
                "{dir} is read-only or not yours: make it writable (chmod u+w, or remount it read-write), or point --state or $NEWSDESK_STATE elsewhere"
            ),
            Cause::Busy => format!(
                "another program held the lock {} for {} s: try again",
                lock_path(&self.path).display(),
                LOCK_WAIT.as_secs()
            ),
            Cause::NotAFile => {
                "it is a folder: name a file with --state or $NEWSDESK_STATE".to_owned()
            }
            Cause::Encode => "a mark cannot be written as TOML; please report this".to_owned(),
            Cause::Other => "check the folder and the disk".to_owned(),
        };
        format!(
            "cannot save marks to {file}: {} failed{why}; {fix}",
            self.step
        )
    }
}

/// How long a save waits for another process's lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(5);

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or("state.toml".into(), |n| n.to_string_lossy().into_owned())
}

/// The lock beside the state file. Not the file itself: saving renames a new
/// file over it, and a lock on the old one would guard nothing.
fn lock_path(path: &Path) -> PathBuf {
    folder_of(path).join(format!(".{}.lock", file_name(path)))
}

/// Saves this reader's changes: under the lock, reads the file again, applies
/// `changes` (each keeps its own time, so a later change another reader saved
/// stays) and replaces the file atomically. Returns the merged state, to show
/// the marks other readers saved. With no changes it only reads (for `r`).
pub fn save(path: &Path, changes: &[Change]) -> Result<Saved, SaveError> {
    update(path, |state| state.apply(changes))
}

/// Merges copies of the state (Syncthing conflicts, another machine's file)
/// into the state file, the later change of each mark winning.
pub fn merge_into(path: &Path, copies: &[State]) -> Result<Saved, SaveError> {
    update(path, |state| {
        for copy in copies {
            state.merge(copy);
        }
    })
}

/// The one way the state file is written: lock, read again, `edit`, and (when
/// that changed anything) replace the file atomically; then unlock. Other
/// writers (the query history) use it the same way.
pub fn update(path: &Path, edit: impl FnOnce(&mut State)) -> Result<Saved, SaveError> {
    // Through a symlink (into a synced folder, say) to the real file, so the
    // rename replaces the file and keeps the link.
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path)
            .or_else(|_| fs::read_link(path).map(|to| folder_of(path).join(to)))
            .unwrap_or(path.into()),
        _ => path.to_path_buf(),
    };
    if target.is_dir() {
        return Err(SaveError {
            path: target,
            cause: Cause::NotAFile,
            step: "opening it".into(),
            source: None,
        });
    }
    let dir = folder_of(&target);
    let lock = match fs::create_dir_all(dir) {
        Ok(()) => take_lock(&target),
        Err(e) => Err(SaveError::io(
            &target,
            format!("creating {}", dir.display()),
            e,
        )),
    };
    let mut saved = Saved::default();
    match read(&target) {
        Ok(state) => saved.state = state,
        Err(LoadError::Read { source, .. }) if source.kind() == io::ErrorKind::NotFound => {}
        Err(LoadError::Read { source, .. }) => {
            return Err(SaveError::io(&target, "reading it", source));
        }
        // Not ours to throw away: moved aside (under the lock), then saved fresh.
        Err(LoadError::Parse { message, .. }) if lock.is_ok() => {
            saved.warning = Some(move_aside(&target, &message));
        }
        Err(LoadError::Parse { .. }) => {}
    }
    let before = saved.state.clone();
    edit(&mut saved.state);
    if saved.state == before && saved.warning.is_none() {
        // Nothing to write: reading needs no lock (writers rename whole files).
        return Ok(saved);
    }
    let _lock = lock?;
    let text = saved.state.to_toml().map_err(|e| SaveError {
        path: target.clone(),
        cause: Cause::Encode,
        step: format!("writing it as TOML ({e})"),
        source: None,
    })?;
    replace(&target, dir, text.as_bytes())?;
    Ok(saved)
}

/// Opens and takes the lock, waiting at most [`LOCK_WAIT`].
fn take_lock(target: &Path) -> Result<fs::File, SaveError> {
    let lock_path = lock_path(target);
    let step = || format!("taking the lock {}", lock_path.display());
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .or_else(|e| fs::File::open(&lock_path).map_err(|_| e))
        .map_err(|e| SaveError::io(target, step(), e))?;
    let deadline = Instant::now() + LOCK_WAIT;
    let mut pause = Duration::from_millis(1);
    loop {
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => return Ok(file),
            Err(fs4::TryLockError::WouldBlock) if Instant::now() < deadline => {
                // Another save takes milliseconds: poll, backing off a little.
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(fs4::TryLockError::WouldBlock) => {
                return Err(SaveError {
                    path: target.to_path_buf(),
                    cause: Cause::Busy,
                    step: step(),
                    source: None,
                });
            }
            Err(fs4::TryLockError::Error(e)) => return Err(SaveError::io(target, step(), e)),
        }
    }
}

/// Writes `bytes` to a temporary file in `dir`, flushes it to disk, renames it
/// over `target` and flushes the folder: a crash leaves the old file or the
/// new one, whole. On failure the temporary file is removed.
fn replace(target: &Path, dir: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let name = file_name(target);
    let write_step = || format!("writing a new copy in {}", dir.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| SaveError::io(target, write_step(), e))?;
    if let Ok(meta) = fs::metadata(target) {
        // Keep the file's permissions (the temporary file is private).
        let _ = fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| SaveError::io(target, write_step(), e))?;
    tmp.persist(target)
        .map_err(|e| SaveError::io(target, "replacing it", e.error))?;
    // The rename itself reaches the disk only when the folder is flushed; an
    // error here leaves the file correct, so it is not reported.
    if let Ok(folder) = fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// The first line of an export.
pub const EXPORT_HEADER: &str = "# newsdesk state export: MARKS -- KEY, one article a line; \
+read/-read, +starred/-starred, pos=BLOCK:OFFSET or pos=none, each @ when it changed";

/// One line per article, sorted by key: `+read@TIME -starred@TIME pos=3:10@TIME -- KEY`
/// (a mark from a file without times has no `@`). Stable and greppable, like
/// `notmuch dump`; [`import_text`] reads it back.
pub fn export_text(state: &State) -> String {
    let mut out = String::from(EXPORT_HEADER);
    out.push('\n');
    for (key, entry) in &state.articles {
        let at = |s: Stamp| {
            if s == Stamp(0) {
                String::new()
            } else {
                format!("@{}", s.to_rfc3339())
            }
        };
        let mut words = Vec::new();
        for (name, field) in [("read", entry.read), ("starred", entry.starred)] {
            if field.is_set() {
                let sign = if field.value { '+' } else { '-' };
                words.push(format!("{sign}{name}{}", at(field.at)));
            }
        }
        if entry.position.is_set() {
            let pos = entry
                .position
                .value
                .map_or("none".to_owned(), |[b, o]| format!("{b}:{o}"));
            words.push(format!("pos={pos}{}", at(entry.position.at)));
        }
        words.push("--".into());
        words.push(escape_key(key));
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    out
}

/// A line of an export that cannot be read.
#[derive(Debug, Error)]
#[error("{}:{line}: {message}", path.display())]
pub struct ImportError {
    /// The export file.
    pub path: PathBuf,
    /// The line (from 1).
    pub line: usize,
    /// What is wrong and how a good line looks.
    pub message: String,
}

/// Reads an export ([`export_text`]); `path` names the file in errors.
pub fn import_text(text: &str, path: &Path) -> Result<State, ImportError> {
    let mut state = State::default();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_end_matches('\r');
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let fail = |message: String| ImportError {
            path: path.to_path_buf(),
            line: n + 1,
            message,
        };
        let (words, key) = if let Some(key) = trimmed.strip_prefix("-- ") {
            ("", key)
        } else {
            trimmed.split_once(" -- ").ok_or_else(|| {
                fail(
                    "no \" -- KEY\" on the line; a line reads +read@TIME +starred@TIME -- KEY"
                        .into(),
                )
            })?
        };
        let key =
            unescape_key(key).ok_or_else(|| fail(format!("bad escape in the key {key:?}")))?;
        if key.is_empty() {
            return Err(fail("the key after \" -- \" is empty".into()));
        }
        let mut entry = Entry::default();
        for word in words.split_whitespace() {
            let (mark, at) = match word.split_once('@') {
                Some((mark, time)) => {
                    let at = Stamp::parse(time).ok_or_else(|| {
                        fail(format!(
                            "{time:?} is not a time; write it as 2025-01-31T12:00:00.000Z"
                        ))
                    })?;
                    (mark, at)
                }
                None => (word, Stamp(0)),
            };
            match mark {
                "+read" | "-read" => {
                    entry.read.merge(Field {
                        value: mark.starts_with('+'),
                        at,
                    });
                }
                "+starred" | "-starred" => entry.starred.merge(Field {
                    value: mark.starts_with('+'),
                    at,
                }),
                _ => {
                    let value = match mark.strip_prefix("pos=") {
                        Some("none") => None,
                        Some(pos) => {
                            let parsed = pos
                                .split_once(':')
                                .and_then(|(b, o)| Some([b.parse().ok()?, o.parse().ok()?]));
                            Some(parsed.ok_or_else(|| {
                                fail(format!("{mark:?} is not pos=BLOCK:OFFSET or pos=none"))
                            })?)
                        }
                        None => {
                            return Err(fail(format!(
                                "{word:?} is not a mark; marks are +read, -read, +starred, -starred, pos=B:O, pos=none"
                            )));
                        }
                    };
                    entry.position.merge(Field { value, at });
                }
            }
        }
        state.articles.entry(key).or_default().merge(&entry);
    }
    state.tidy();
    Ok(state)
}

/// Keys go last on the line as they are, except a backslash and control
/// characters (a path may hold a newline), written `\\`, `\n`, `\u{..}`.
fn escape_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn unescape_key(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            'u' => {
                if chars.next()? != '{' {
                    return None;
                }
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn star(key: &str, value: bool, at: i64) -> Change {
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

    #[test]
    fn now_never_repeats() {
        let a = now();
        let b = now();
        assert!(b > a);
    }

    #[test]
    fn save_merges_with_what_another_reader_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.toml");
        save(&path, &[star("first", true, 1)]).unwrap();
        let saved = save(&path, &[star("second", true, 2)]).unwrap();
        assert!(
            saved.state.marks("first").starred,
            "the other reader's star stays"
        );
        assert!(saved.state.marks("second").starred);
        assert_eq!(load(&path).state, saved.state);
        // A stale change (older than the file's) does not undo a newer one.
        let saved = save(&path, &[star("first", false, 0)]).unwrap();
        assert!(saved.state.marks("first").starred);
        // Nothing to save: only reads.
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        assert_eq!(save(&path, &[]).unwrap().state, saved.state);
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);
    }

    #[test]
    fn corrupt_file_moved_aside_by_load_and_by_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
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
        fs::write(&path, "[articles.a]\nposition = [1, 2, 3]\n").unwrap();
        let saved = save(&path, &[star("b", true, 1)]).unwrap();
        assert!(
            saved
                .warning
                .as_deref()
                .is_some_and(|w| w.contains("position must be"))
        );
        assert_eq!(load(&path).state.articles.len(), 1);
        let aside = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("state.toml.corrupt-")
            })
            .count();
        assert!(aside >= 1);
    }

    #[test]
    fn a_leftover_temporary_file_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        save(&path, &[star("a", true, 1)]).unwrap();
        // What a crash mid-save leaves: a half-written temporary file beside it.
        fs::write(
            dir.path().join(".state.toml.x.tmp"),
            "[articles.b]\nread = tr",
        )
        .unwrap();
        assert!(load(&path).state.marks("a").starred);
        save(&path, &[star("b", true, 2)]).unwrap();
        let state = load(&path).state;
        assert!(state.marks("a").starred && state.marks("b").starred);
    }

    #[test]
    fn a_symlinked_state_file_stays_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("synced/state.toml");
        fs::create_dir_all(real.parent().unwrap()).unwrap();
        let link = dir.path().join("state.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        save(&link, &[star("a", true, 1)]).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(read(&real).unwrap().marks("a").starred);
    }

    #[test]
    fn a_folder_is_not_a_state_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = save(dir.path(), &[star("a", true, 1)]).unwrap_err();
        assert_eq!(e.cause, Cause::NotAFile);
        assert!(!e.retry());
        assert!(e.to_string().contains("--state"), "{e}");
    }

    #[test]
    fn export_import_round_trip_with_odd_keys() {
        let mut state = State::from_toml("[articles.old]\nread = true\n").unwrap();
        state.apply(&[
            star("https://e.org/a b", true, 1_700_000_000_123),
            star("line\nbreak\\x", false, 5),
            Change {
                key: "p".into(),
                mark: Mark::Position(Some([3, 10])),
                at: Stamp(9),
            },
            Change {
                key: "q".into(),
                mark: Mark::Position(None),
                at: Stamp(9),
            },
        ]);
        let text = export_text(&state);
        assert!(
            text.contains("+starred@2023-11-14T22:13:20.123Z -- https://e.org/a b\n"),
            "{text}"
        );
        assert!(text.contains("+read -- old\n"), "{text}");
        assert!(text.contains("-- line\\nbreak\\\\x\n"), "{text}");
        assert!(text.contains("pos=none@"), "{text}");
        assert_eq!(import_text(&text, Path::new("x")).unwrap(), state);
    }

    #[test]
    fn import_errors_name_the_line_and_the_fix() {
        let e = import_text("# c\n+read -- a\n+red -- b\n", Path::new("dump.txt")).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(
            e.to_string()
                .starts_with("dump.txt:3: \"+red\" is not a mark"),
            "{e}"
        );
        let e = import_text("+read a\n", Path::new("d")).unwrap_err();
        assert!(e.to_string().contains("-- KEY"), "{e}");
        let e = import_text("+read@yesterday -- a\n", Path::new("d")).unwrap_err();
        assert!(e.to_string().contains("not a time"), "{e}");
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
