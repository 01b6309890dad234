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

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::article::{Article, Date};
use crate::library::{self, LoadOptions, Problem, Severity};
use crate::watch::{self, Changes};

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
    pub title: String,
    /// Author names, in order.
    pub authors: Vec<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// Location tags as written.
    pub locations: Vec<String>,
    /// The original address.
    pub source_url: Option<String>,
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
            path,
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

impl Snapshot {
    /// The snapshot of what was loaded from `root`: `articles` and `problems`
    /// as the loader gave them (relative paths), `started` the moment the
    /// load began. Every file and folder is stat'ed here (no reading), so call
    /// it off the loop. A file changed since `started` is stored racy and read
    /// again by the next [`check`].
    pub fn build(
        root: &Path,
        articles: &[Article],
        problems: &[Problem],
        started: SystemTime,
    ) -> Result<Snapshot, SnapshotError> {
        let summaries = articles
            .iter()
            .map(|a| (a.path.clone(), Summary::of(a)))
            .collect();
        Snapshot::build_from(root, summaries, problems, started)
    }

    /// [`Snapshot::build`] from the summaries alone (path and [`Summary`] of
    /// every article loaded), so the loader's thread can keep those and let
    /// the whole articles go to the reader.
    pub fn build_from(
        root: &Path,
        summaries: Vec<(PathBuf, Summary)>,
        problems: &[Problem],
        started: SystemTime,
    ) -> Result<Snapshot, SnapshotError> {
        let real = root.canonicalize().map_err(|source| SnapshotError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        let folders = walk_folders(root, started);
        let mut files = Vec::with_capacity(summaries.len());
        let mut seen: HashSet<PathBuf> = HashSet::with_capacity(summaries.len());
        for (path, summary) in summaries {
            if !seen.insert(path.clone()) {
                continue;
            }
            // A file gone since it was read is left out: the check then finds
            // it missing from its folder's listing, or not at all (gone).
            if let Ok(meta) = fs::metadata(root.join(&path)) {
                files.push(Entry {
                    path,
                    stamp: Stamp::of(&meta, started),
                    summary: Some(summary),
                });
            }
        }
        // Files skipped with an error have a stamp too, so they are not read
        // again at every start; folders with problems have none.
        for problem in problems {
            if problem.severity != Severity::Error || seen.contains(problem.path.as_path()) {
                continue;
            }
            if library::form_of(&problem.path).is_none() {
                continue;
            }
            if let Ok(meta) = fs::metadata(root.join(&problem.path))
                && meta.is_file()
            {
                seen.insert(problem.path.clone());
                files.push(Entry {
                    path: problem.path.clone(),
                    stamp: Stamp::of(&meta, started),
                    summary: None,
                });
            }
        }
        Ok(Snapshot {
            root: real,
            folders,
            files,
            problems: problems.to_vec(),
        })
    }

    /// Takes in what live reload (or [`refresh`]) read, so this stays the
    /// snapshot of what is loaded: what was under `changes.paths` goes, what
    /// was read there comes, stamped now (racy against `changes.started`).
    /// The folders' own mtimes are left as they were, so the next [`check`]
    /// lists the folders that changed (cheap) rather than trusting them.
    pub fn apply(&mut self, root: &Path, changes: &Changes) {
        if changes.paths.is_empty() {
            return;
        }
        let started = changes.started.unwrap_or_else(SystemTime::now);
        let under = |p: &Path| changes.paths.iter().any(|c| p.starts_with(c));
        self.files.retain(|e| !under(&e.path));
        self.problems.retain(|p| !under(&p.path));
        // A changed folder's subfolders come back from a fresh walk of it.
        self.folders
            .retain(|f| f.path.as_os_str().is_empty() || !under(&f.path));
        let known: HashSet<PathBuf> = self.folders.iter().map(|f| f.path.clone()).collect();
        for path in &changes.paths {
            let full = root.join(path);
            if !path.as_os_str().is_empty() && full.is_dir() {
                for mut folder in walk_folders(&full, started) {
                    folder.path = path.join(&folder.path);
                    if !known.contains(&folder.path) {
                        self.folders.push(folder);
                    }
                }
            }
        }
        let mut seen: HashSet<&Path> = HashSet::new();
        for article in &changes.articles {
            if seen.insert(&article.path)
                && let Ok(meta) = fs::metadata(root.join(&article.path))
            {
                self.files.push(Entry {
                    path: article.path.clone(),
                    stamp: Stamp::of(&meta, started),
                    summary: Some(Summary::of(article)),
                });
            }
        }
        for problem in &changes.problems {
            if problem.severity == Severity::Error
                && library::form_of(&problem.path).is_some()
                && !seen.contains(problem.path.as_path())
                && let Ok(meta) = fs::metadata(root.join(&problem.path))
                && meta.is_file()
            {
                seen.insert(&problem.path);
                self.files.push(Entry {
                    path: problem.path.clone(),
                    stamp: Stamp::of(&meta, started),
                    summary: None,
                });
            }
        }
        self.problems.extend(changes.problems.iter().cloned());
    }

    /// The articles (no bodies) and problems, as a fresh load would give
    /// them, articles in archive order.
    pub fn library(&self) -> (Vec<Article>, Vec<Problem>) {
        let mut articles: Vec<Article> = self
            .files
            .iter()
            .filter_map(|e| e.summary.as_ref().map(|s| s.to_article(e.path.clone())))
            .collect();
        library::sort_articles(&mut articles);
        let mut problems = self.problems.clone();
        library::sort_problems(&mut problems);
        (articles, problems)
    }

    /// Writes the snapshot to `file` atomically (see the module's notes).
    pub fn save(&self, file: &Path) -> Result<(), SnapshotError> {
        let dir = file.parent().unwrap_or(Path::new("."));
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| SnapshotError::Io { path, source }
        };
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        let bytes = self.encode();
        let temp = dir.join(temp_name(file));
        let written = (|| {
            let mut out = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)?;
            out.write_all(&bytes)?;
            out.sync_all()?;
            drop(out);
            fs::rename(&temp, file)
        })();
        if let Err(source) = written {
            let _ = fs::remove_file(&temp);
            return Err(SnapshotError::Io {
                path: file.to_path_buf(),
                source,
            });
        }
        // The rename itself survives a power cut only once the folder is synced.
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io_err(dir))
    }

    /// Reads the snapshot in `file`, refusing one that is not wholly right,
    /// or that describes an archive other than `root`.
    pub fn load(file: &Path, root: &Path) -> Result<Snapshot, SnapshotError> {
        let bytes = match fs::read(file) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(SnapshotError::Missing(file.to_path_buf()));
            }
            Err(source) => {
                return Err(SnapshotError::Io {
                    path: file.to_path_buf(),
                    source,
                });
            }
        };
        let snapshot = Snapshot::decode(&bytes, file)?;
        let real = root.canonicalize().map_err(|source| SnapshotError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        if snapshot.root != real {
            return Err(SnapshotError::OtherArchive {
                path: file.to_path_buf(),
                other: snapshot.root,
            });
        }
        Ok(snapshot)
    }

    /// The file's bytes: header and payload.
    pub fn encode(&self) -> Vec<u8> {
        let mut payload = Encoder(Vec::with_capacity(64 * (self.files.len() + 16)));
        payload.bytes(self.root.as_os_str().as_bytes());
        payload.uint(self.folders.len() as u64);
        for folder in &self.folders {
            payload.path(&folder.path);
            payload.int(folder.mtime_ns);
        }
        payload.uint(self.files.len() as u64);
        for entry in &self.files {
            payload.path(&entry.path);
            payload.uint(entry.stamp.size);
            payload.int(entry.stamp.mtime_ns);
            match &entry.summary {
                None => payload.0.push(0),
                Some(s) => {
                    payload.0.push(1);
                    payload.str(&s.title);
                    payload.strs(&s.authors);
                    match s.date {
                        None => payload.uint(0),
                        Some(d) => {
                            // Days packed in one varint: year * 512 + month * 32 + day, + 1.
                            let packed = (i64::from(d.year) << 9)
                                | (i64::from(d.month) << 5)
                                | i64::from(d.day);
                            payload.uint(packed as u64 + 1);
                        }
                    }
                    payload.strs(&s.locations);
                    match &s.source_url {
                        None => payload.0.push(0),
                        Some(url) => {
                            payload.0.push(1);
                            payload.str(url);
                        }
                    }
                    payload.uint(u64::from(s.words));
                }
            }
        }
        payload.uint(self.problems.len() as u64);
        for problem in &self.problems {
            payload.path(&problem.path);
            payload.uint(problem.line.map_or(0, |l| l as u64 + 1));
            payload.0.push(match problem.severity {
                Severity::Warning => 0,
                Severity::Error => 1,
            });
            payload.str(&problem.message);
        }
        let payload = payload.0;
        let mut out = Vec::with_capacity(payload.len() + 64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.push(NEWSDESK_VERSION.len() as u8);
        out.extend_from_slice(NEWSDESK_VERSION.as_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        out
    }

    /// Reads a file's bytes (`file` names it in errors).
    pub fn decode(bytes: &[u8], file: &Path) -> Result<Snapshot, SnapshotError> {
        let path = || file.to_path_buf();
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            // A cut-off magic is a truncated file, anything else garbage.
            return Err(if MAGIC.starts_with(bytes) {
                SnapshotError::Truncated(path())
            } else {
                SnapshotError::NotASnapshot(path())
            });
        }
        let truncated = || SnapshotError::Truncated(path());
        let head = bytes.get(..HEADER_FIXED + 1).ok_or_else(truncated)?;
        let format = u32::from_le_bytes(
            head[MAGIC.len()..HEADER_FIXED]
                .try_into()
                .map_err(|_| truncated())?,
        );
        let version_len = usize::from(head[HEADER_FIXED]);
        let version_end = HEADER_FIXED + 1 + version_len;
        let version = bytes
            .get(HEADER_FIXED + 1..version_end)
            .ok_or_else(truncated)?;
        let newsdesk = String::from_utf8_lossy(version).into_owned();
        if format != FORMAT_VERSION || newsdesk != NEWSDESK_VERSION {
            return Err(SnapshotError::OtherVersion {
                path: path(),
                format,
                newsdesk,
            });
        }
        let lengths = bytes
            .get(version_end..version_end + 12)
            .ok_or_else(truncated)?;
        let (len, crc) = lengths.split_at(8);
        let len = u64::from_le_bytes(len.try_into().map_err(|_| truncated())?);
        let crc = u32::from_le_bytes(crc.try_into().map_err(|_| truncated())?);
        let payload = &bytes[version_end + 12..];
        let corrupt = |why: &str| SnapshotError::Corrupt {
            path: path(),
            why: why.to_owned(),
        };
        match (payload.len() as u64).cmp(&len) {
            std::cmp::Ordering::Less => return Err(truncated()),
            std::cmp::Ordering::Greater => return Err(corrupt("longer than its header says")),
            std::cmp::Ordering::Equal => {}
        }
        if crc32fast::hash(payload) != crc {
            return Err(corrupt("checksum mismatch"));
        }
        decode_payload(payload).map_err(|at| SnapshotError::Corrupt {
            path: path(),
            why: format!("bad content at byte {at} of the payload"),
        })
    }
}

/// The payload, or the offset where it stops making sense.
fn decode_payload(payload: &[u8]) -> Result<Snapshot, usize> {
    let mut d = Decoder {
        bytes: payload,
        at: 0,
    };
    let root = PathBuf::from(std::ffi::OsString::from_vec(d.bytes()?.to_vec()));
    let count = d.count()?;
    let mut folders = Vec::with_capacity(count);
    for _ in 0..count {
        folders.push(Folder {
            path: d.path()?,
            mtime_ns: d.int()?,
        });
    }
    let count = d.count()?;
    let mut files = Vec::with_capacity(count);
    for _ in 0..count {
        let path = d.path()?;
        let stamp = Stamp {
            size: d.uint()?,
            mtime_ns: d.int()?,
        };
        let summary = match d.byte()? {
            0 => None,
            1 => {
                let title = d.string()?;
                let authors = d.strings()?;
                let date = match d.uint()? {
                    0 => None,
                    packed => {
                        let packed = packed - 1;
                        let year = i32::try_from(packed >> 9).map_err(|_| d.at)?;
                        let date = Date::new(year, ((packed >> 5) & 15) as u8, (packed & 31) as u8);
                        Some(date.ok_or(d.at)?)
                    }
                };
                let locations = d.strings()?;
                let source_url = match d.byte()? {
                    0 => None,
                    1 => Some(d.string()?),
                    _ => return Err(d.at),
                };
                let words = u32::try_from(d.uint()?).map_err(|_| d.at)?;
                Some(Summary {
                    title,
                    authors,
                    date,
                    locations,
                    source_url,
                    words,
                })
            }
            _ => return Err(d.at),
        };
        files.push(Entry {
            path,
            stamp,
            summary,
        });
    }
    let count = d.count()?;
    let mut problems = Vec::with_capacity(count);
    for _ in 0..count {
        let path = d.path()?;
        let line = match d.uint()? {
            0 => None,
            l => Some(usize::try_from(l - 1).map_err(|_| d.at)?),
        };
        let severity = match d.byte()? {
            0 => Severity::Warning,
            1 => Severity::Error,
            _ => return Err(d.at),
        };
        problems.push(Problem {
            path,
            line,
            severity,
            message: d.string()?,
        });
    }
    if d.at != payload.len() {
        return Err(d.at);
    }
    Ok(Snapshot {
        root,
        folders,
        files,
        problems,
    })
}

/// A temporary name beside `file`, unique to this process and call: two
/// writers never share one, so neither can tear the other's.
fn temp_name(file: &Path) -> String {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let name = file
        .file_name()
        .map_or_else(|| "archive".into(), |n| n.to_string_lossy().into_owned());
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        ".{name}.{}.{}.{nanos}.tmp",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    )
}

struct Encoder(Vec<u8>);

impl Encoder {
    fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    fn int(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)) as u64);
    }
    fn bytes(&mut self, b: &[u8]) {
        self.uint(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn path(&mut self, p: &Path) {
        self.bytes(p.as_os_str().as_bytes());
    }
    fn strs(&mut self, list: &[String]) {
        self.uint(list.len() as u64);
        for s in list {
            self.str(s);
        }
    }
}

struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Decoder<'a> {
    fn byte(&mut self) -> Result<u8, usize> {
        let b = *self.bytes.get(self.at).ok_or(self.at)?;
        self.at += 1;
        Ok(b)
    }
    fn uint(&mut self) -> Result<u64, usize> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(self.at)
    }
    fn int(&mut self) -> Result<i64, usize> {
        let v = self.uint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }
    /// A count of items, each at least one byte: no more than the bytes left
    /// (so garbage cannot ask for a huge allocation).
    fn count(&mut self) -> Result<usize, usize> {
        let n = usize::try_from(self.uint()?).map_err(|_| self.at)?;
        if n > self.bytes.len() - self.at {
            return Err(self.at);
        }
        Ok(n)
    }
    fn bytes(&mut self) -> Result<&'a [u8], usize> {
        let n = self.count()?;
        let b = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(b)
    }
    fn string(&mut self) -> Result<String, usize> {
        let start = self.at;
        let b = self.bytes()?;
        std::str::from_utf8(b).map(str::to_owned).map_err(|_| start)
    }
    fn strings(&mut self) -> Result<Vec<String>, usize> {
        let n = self.count()?;
        (0..n).map(|_| self.string()).collect()
    }
    fn path(&mut self) -> Result<PathBuf, usize> {
        Ok(PathBuf::from(std::ffi::OsStr::from_bytes(self.bytes()?)))
    }
}

/// Every folder under `root` (hidden ones skipped, symlinks followed, each
/// folder once, as the loader walks), with its trusted mtime.
fn walk_folders(root: &Path, started: SystemTime) -> Vec<Folder> {
    let Ok(meta) = fs::metadata(root) else {
        return Vec::new();
    };
    let mut folders = vec![Folder {
        path: PathBuf::new(),
        mtime_ns: trusted_mtime(&meta, started),
    }];
    library::walk_folders(root, &mut |rel, meta| {
        folders.push(Folder {
            path: rel.to_path_buf(),
            mtime_ns: trusted_mtime(meta, started),
        });
        true
    });
    folders
}

/// The paths that changed since `snapshot` was taken, in the form
/// [`watch::read`] takes: files to read again, folders to walk whole, and
/// paths that are gone. Stats only, no reading (see the module's notes on
/// what is checked when).
pub fn check(root: &Path, snapshot: &Snapshot) -> BTreeSet<PathBuf> {
    let mut changed: BTreeSet<PathBuf> = BTreeSet::new();
    let mut by_folder: HashMap<&Path, HashSet<&std::ffi::OsStr>> = HashMap::new();
    for entry in &snapshot.files {
        let parent = entry.path.parent().unwrap_or(Path::new(""));
        if let Some(name) = entry.path.file_name() {
            by_folder.entry(parent).or_default().insert(name);
        }
    }
    // Skipped files without a stamp (unreadable, broken links) are known too:
    // not new when their folder is listed.
    for problem in &snapshot.problems {
        let parent = problem.path.parent().unwrap_or(Path::new(""));
        if let Some(name) = problem.path.file_name() {
            by_folder.entry(parent).or_default().insert(name);
        }
    }
    let folders: HashSet<&Path> = snapshot.folders.iter().map(|f| f.path.as_path()).collect();
    let mut gone: Vec<&Path> = Vec::new();
    for folder in &snapshot.folders {
        if gone.iter().any(|g| folder.path.starts_with(g)) {
            continue;
        }
        let full = root.join(&folder.path);
        let meta = match fs::metadata(&full) {
            Ok(meta) if meta.is_dir() => meta,
            // Gone, or now a file: `read` drops it, or reads the file.
            _ => {
                changed.insert(folder.path.clone());
                gone.push(&folder.path);
                continue;
            }
        };
        if folder.mtime_ns != UNKNOWN && mtime_ns(&meta) == folder.mtime_ns {
            continue;
        }
        let Ok(entries) = fs::read_dir(&full) else {
            // Unreadable now: read it as the watch would (its problem comes back).
            changed.insert(folder.path.clone());
            continue;
        };
        let known = by_folder.get(folder.path.as_path());
        let mut present: HashSet<std::ffi::OsString> = HashSet::new();
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            if name.as_bytes().starts_with(b".") {
                continue;
            }
            let rel = folder.path.join(&name);
            let is_known = known.is_some_and(|k| k.contains(name.as_os_str()));
            present.insert(name);
            if is_known || folders.contains(rel.as_path()) {
                continue;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let is_dir = kind.is_dir()
                || (kind.is_symlink() && entry.path().metadata().is_ok_and(|m| m.is_dir()));
            if is_dir || library::form_of(&rel).is_some() {
                changed.insert(rel);
            }
        }
        for name in known.into_iter().flatten() {
            if !present.contains(*name) {
                changed.insert(folder.path.join(name));
            }
        }
    }
    for entry in &snapshot.files {
        if gone.iter().any(|g| entry.path.starts_with(g)) || changed.contains(&entry.path) {
            continue;
        }
        let same = fs::metadata(root.join(&entry.path)).is_ok_and(|meta| {
            entry.stamp.mtime_ns != UNKNOWN
                && meta.len() == entry.stamp.size
                && mtime_ns(&meta) == entry.stamp.mtime_ns
        });
        if !same {
            changed.insert(entry.path.clone());
        }
    }
    changed
}

/// [`check`], then what changed read as live reload reads it: ready for
/// `App::apply_changes`.
pub fn refresh(root: &Path, snapshot: &Snapshot, options: &LoadOptions) -> Changes {
    watch::read(root, check(root, snapshot), options)
}
