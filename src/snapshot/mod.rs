//! A snapshot of an archive in the person's cache folder, so a second start
//! lists every article at once, and the cheap check of what changed since.
//!
//! One file per archive, `$XDG_CACHE_HOME/newsdesk/archive-HASH.snap` (else
//! `~/.cache/newsdesk/`), HASH being of the archive's canonical real path. It
//! holds, for every file: its path, size and mtime, what the list, filters and
//! counts need ([`Summary`]: no body), plus every problem found and every
//! folder's mtime.
//!
//! The format is our own length-prefixed binary (varints, no padding):
//!
//! ```text
//! magic "NEWSDESK-SNAPSHOT\n" | format u32 LE | newsdesk version (u8 length + bytes)
//! | payload length u64 LE | CRC-32 of the payload u32 LE | payload
//! ```
//!
//! Writing is atomic: the whole file goes to a temporary file of its own in the
//! same folder (unique per process and call), is synced, and is renamed over
//! the old one, then the folder is synced. Two readers writing at once each
//! rename a complete file: the last wins, and nothing is ever torn; a writer
//! killed mid-write leaves the old snapshot (or none) plus a stray temporary
//! file that [`clear`] removes. Loading checks everything and refuses any file
//! from another version, truncated, corrupt or of another archive with a typed
//! [`SnapshotError`] whose [`SnapshotError::notice`] is the one-line notice.
//!
//! # What [`check`] looks at, and why that finds every change
//!
//! - Every folder in the snapshot is stat'ed. Gone (or no longer a folder):
//!   its path is given (dropped, or read if it became a file). Its mtime
//!   differs from the snapshot's: it is listed (`read_dir`, no stat of plain
//!   files) and every name that came (a file, or a folder to walk whole) or
//!   went is given. Adding, removing or renaming an entry always changes the
//!   folder's mtime, so an unchanged folder mtime means an unchanged listing.
//! - Every file in the snapshot is stat'ed, whatever its folder did: a file
//!   edited in place does not change its folder's mtime. Size or mtime
//!   different (or gone): its path is given; the snapshot never wins over the
//!   files.
//! - A folder renamed: its old path is gone (dropped) and its parent's mtime
//!   changed, whose listing shows the new name (walked whole).
//! - Racy stamps: an mtime within [`RACY`] of the moment the reading began
//!   may hide a later change in the same clock tick, so such a file or
//!   folder is stored as "unknown" and checked in full next time (as git's
//!   index does).
//!
//! Not seen without reading: a broken symlink mended, or an unreadable file
//! made readable again, without any mtime changing (their problems stay until
//! `r` or `check`).
//!
//! Parts: [`build`] (a snapshot from a load, kept up to date with changes),
//! [`format`] (the file: encode, decode, atomic save and checked load),
//! [`held`] (what the reader's keeper holds: stamps only, the summaries left
//! in the file, read and written in pieces), [`refresh`](mod@refresh) (what
//! changed since, by stat'ing).

use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::article::{Article, Date, Names, SharedStr};
use crate::library::Problem;

pub mod build;
pub mod format;
pub mod held;
pub mod refresh;

pub use held::Held;
pub use refresh::{Known, check, refresh};

/// The first bytes of every snapshot file.
pub const MAGIC: &[u8; 18] = b"NEWSDESK-SNAPSHOT\n";
/// The layout of the payload; any other is refused.
pub const FORMAT_VERSION: u32 = 1;
/// The newsdesk that writes: a snapshot of another one is refused (the
/// parser may read files differently).
pub const NEWSDESK_VERSION: &str = env!("CARGO_PKG_VERSION");
/// An mtime this close to (or after) the moment reading began is not
/// trusted: a change in the same clock tick would not show. Two seconds
/// covers the coarsest common filesystems (FAT, some network mounts).
pub const RACY: Duration = Duration::from_secs(2);
/// The mtime stored for a racy stamp: never equal to a real one.
pub const UNKNOWN: i64 = i64::MIN;

const HEADER_FIXED: usize = MAGIC.len() + 4;

/// Why there is no usable snapshot, or it cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// No snapshot yet (first start, or cleared): not worth a notice.
    #[error("{0}: no snapshot yet")]
    Missing(PathBuf),
    /// The file (or its folder) cannot be read or written.
    #[error("{path}: {source}; check the permissions of the cache folder")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// Not a snapshot at all.
    #[error("{0}: not a newsdesk snapshot (garbage); it is replaced")]
    NotASnapshot(PathBuf),
    /// Written by another newsdesk, or in another layout.
    #[error(
        "{path}: written by newsdesk {newsdesk} in format {format}, this is {NEWSDESK_VERSION} in format {FORMAT_VERSION}; it is replaced"
    )]
    OtherVersion {
        /// The file.
        path: PathBuf,
        /// Its format number.
        format: u32,
        /// The newsdesk that wrote it.
        newsdesk: String,
    },
    /// Shorter than its header says.
    #[error("{0}: truncated (cut short while written, or damaged); it is replaced")]
    Truncated(PathBuf),
    /// The checksum or the content does not hold.
    #[error("{path}: corrupt ({why}); it is replaced")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What does not hold.
        why: String,
    },
    /// A snapshot of another folder (a hash collision, or a copied cache).
    #[error("{path}: is the snapshot of {other}, not of this archive; it is replaced")]
    OtherArchive {
        /// The file.
        path: PathBuf,
        /// The archive it describes.
        other: PathBuf,
    },
    /// No cache folder can be named: neither XDG_CACHE_HOME nor HOME is set.
    #[error("no cache folder: set XDG_CACHE_HOME or HOME, or run with --no-cache")]
    NoCacheFolder,
}

impl SnapshotError {
    /// The one line the reader shows when the snapshot was there but could
    /// not be used; `None` when there simply was none.
    pub fn notice(&self) -> Option<String> {
        match self {
            SnapshotError::Missing(_) => None,
            other => Some(format!(
                "the archive cache was unreadable ({other}); rebuilding it"
            )),
        }
    }
}

/// A file's size and modification time, as the snapshot knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since 1970, or [`UNKNOWN`].
    pub mtime_ns: i64,
}

impl Stamp {
    /// The stamp of `meta`, [`UNKNOWN`] when its mtime is racy against
    /// `started` (when reading began).
    pub fn of(meta: &fs::Metadata, started: SystemTime) -> Stamp {
        Stamp {
            size: meta.len(),
            mtime_ns: trusted_mtime(meta, started),
        }
    }
}

fn mtime_ns(meta: &fs::Metadata) -> i64 {
    meta.mtime()
        .saturating_mul(1_000_000_000)
        .saturating_add(meta.mtime_nsec())
}

fn trusted_mtime(meta: &fs::Metadata, started: SystemTime) -> i64 {
    let limit = started
        .checked_sub(RACY)
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    let mtime = mtime_ns(meta);
    if mtime >= limit { UNKNOWN } else { mtime }
}

/// What the list, the filters and the counts need of an article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// The headline.
    pub title: SharedStr,
    /// Author names, in order.
    pub authors: Names,
    /// Publication date.
    pub date: Option<Date>,
    /// Location tags as written.
    pub locations: Names,
    /// The original address.
    pub source_url: Option<SharedStr>,
    /// Words in the standfirst and body.
    pub words: u32,
}

impl Summary {
    /// The summary of a parsed article.
    pub fn of(article: &Article) -> Summary {
        Summary {
            title: article.title.clone(),
            authors: article.authors.clone(),
            date: article.date,
            locations: article.locations.clone(),
            source_url: article.source_url.clone(),
            words: u32::try_from(article.word_count()).unwrap_or(u32::MAX),
        }
    }

    /// An article with these fields at `path` and no standfirst or body
    /// (a [`BodyStore`](crate::bodies::BodyStore) reads those when shown).
    pub fn to_article(&self, path: PathBuf) -> Article {
        Article {
            path: path.into(),
            title: self.title.clone(),
            authors: self.authors.clone(),
            date: self.date,
            locations: self.locations.clone(),
            source_url: self.source_url.clone(),
            ..Article::default()
        }
    }
}

/// One file of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the archive.
    pub path: PathBuf,
    /// Its size and mtime when read.
    pub stamp: Stamp,
    /// The article, or `None` when the file was skipped (see the problems).
    pub summary: Option<Summary>,
}

/// One folder of the archive (the archive itself is the empty path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// Relative to the archive.
    pub path: PathBuf,
    /// Modification time in nanoseconds, or [`UNKNOWN`].
    pub mtime_ns: i64,
}

/// A snapshot of one archive.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// The archive's canonical real path.
    pub root: PathBuf,
    /// Every folder read.
    pub folders: Vec<Folder>,
    /// Every article file found.
    pub files: Vec<Entry>,
    /// Every problem found, files' and folders'.
    pub problems: Vec<Problem>,
}

/// The cache folder: `$XDG_CACHE_HOME/newsdesk` (when set and absolute),
/// else `$HOME/.cache/newsdesk`.
pub fn cache_dir() -> Result<PathBuf, SnapshotError> {
    if let Some(xdg) = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from)
        && xdg.is_absolute()
    {
        return Ok(xdg.join("newsdesk"));
    }
    match std::env::var_os("HOME") {
        Some(home) if !home.is_empty() => Ok(PathBuf::from(home).join(".cache/newsdesk")),
        _ => Err(SnapshotError::NoCacheFolder),
    }
}

/// FNV-1a, 64 bits: stable across builds and Rust versions (std's hasher is
/// not), and a collision is caught by the root stored inside.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The snapshot file of the archive at `root` (its canonical real path, so
/// `../news`, a symlink and the full path share one).
pub fn path_for(root: &Path) -> Result<PathBuf, SnapshotError> {
    let real = root.canonicalize().map_err(|source| SnapshotError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    Ok(cache_dir()?.join(file_name(&real)))
}

fn file_name(real: &Path) -> String {
    format!("archive-{:016x}.snap", fnv1a(real.as_os_str().as_bytes()))
}

/// Removes every snapshot (and stray temporary file) in the cache folder;
/// returns how many files went. No cache folder is not an error.
pub fn clear() -> Result<usize, SnapshotError> {
    let dir = cache_dir()?;
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(source) => return Err(SnapshotError::Io { path: dir, source }),
    };
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("archive-") || name.starts_with(".archive-") {
            let path = entry.path();
            fs::remove_file(&path).map_err(|source| SnapshotError::Io { path, source })?;
            removed += 1;
        }
    }
    Ok(removed)
}
