//! The snapshot file: its bytes (length-prefixed varints behind a checked
//! header), the atomic save and the load that refuses anything not wholly
//! right (see the notes of [`super`]).

use std::fs;
use std::io::{self, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::{
    Entry, FORMAT_VERSION, Folder, HEADER_FIXED, MAGIC, NEWSDESK_VERSION, Snapshot, SnapshotError,
    Stamp, Summary,
};
use crate::article::{Date, Name, Names, SharedStr};
use crate::library::{Problem, Severity};

impl Snapshot {
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
            payload.entry(&entry.path, entry.stamp, entry.summary.as_ref());
        }
        payload.problems(&self.problems);
        let payload = payload.0;
        let mut out = header(payload.len() as u64, crc32fast::hash(&payload));
        out.extend_from_slice(&payload);
        out
    }

    /// Reads a file's bytes (`file` names it in errors).
    pub fn decode(bytes: &[u8], file: &Path) -> Result<Snapshot, SnapshotError> {
        let (start, len, crc) = read_header(bytes, file)?;
        let payload = &bytes[start..];
        let truncated = || SnapshotError::Truncated(file.to_path_buf());
        let corrupt = |why: &str| SnapshotError::Corrupt {
            path: file.to_path_buf(),
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
        decode_payload(payload).map_err(|at| bad_content(file, at as u64))
    }
}

/// The header's bytes for a payload of `len` bytes with checksum `crc`
/// (the payload follows).
pub(super) fn header(len: u64, crc: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.push(NEWSDESK_VERSION.len() as u8);
    out.extend_from_slice(NEWSDESK_VERSION.as_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// The most bytes a header takes (magic, format, version, length, checksum).
pub(super) const HEADER_MAX: usize = HEADER_FIXED + 1 + 255 + 12;

/// Checks the header at the start of `bytes` (at least the whole header,
/// when the file is that long): where the payload starts, its length and
/// checksum. `file` names it in errors.
pub(super) fn read_header(bytes: &[u8], file: &Path) -> Result<(usize, u64, u32), SnapshotError> {
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
    Ok((version_end + 12, len, crc))
}

/// The error for a payload that stops making sense at byte `at`.
pub(super) fn bad_content(file: &Path, at: u64) -> SnapshotError {
    SnapshotError::Corrupt {
        path: file.to_path_buf(),
        why: format!("bad content at byte {at} of the payload"),
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
        let (path, stamp, summary) = d.entry()?;
        files.push(Entry {
            path,
            stamp,
            summary,
        });
    }
    let problems = d.problems()?;
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
pub(super) fn temp_name(file: &Path) -> String {
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

pub(super) struct Encoder(pub(super) Vec<u8>);

impl Encoder {
    /// One file's entry: path, stamp, and its summary (none: skipped).
    pub(super) fn entry(&mut self, path: &Path, stamp: Stamp, summary: Option<&Summary>) {
        self.path(path);
        self.uint(stamp.size);
        self.int(stamp.mtime_ns);
        self.summary(summary);
    }
    /// The summary part of an entry (none: skipped).
    pub(super) fn summary(&mut self, summary: Option<&Summary>) {
        match summary {
            None => self.0.push(0),
            Some(s) => {
                self.0.push(1);
                self.str(&s.title);
                self.strs(&s.authors);
                match s.date {
                    None => self.uint(0),
                    Some(d) => {
                        // Days packed in one varint: year * 512 + month * 32 + day, + 1.
                        let packed =
                            (i64::from(d.year) << 9) | (i64::from(d.month) << 5) | i64::from(d.day);
                        self.uint(packed as u64 + 1);
                    }
                }
                self.strs(&s.locations);
                match &s.source_url {
                    None => self.0.push(0),
                    Some(url) => {
                        self.0.push(1);
                        self.str(url);
                    }
                }
                self.uint(u64::from(s.words));
            }
        }
    }
    /// The problems, counted.
    pub(super) fn problems(&mut self, problems: &[Problem]) {
        self.uint(problems.len() as u64);
        for problem in problems {
            self.path(&problem.path);
            self.uint(problem.line.map_or(0, |l| l as u64 + 1));
            self.0.push(match problem.severity {
                Severity::Warning => 0,
                Severity::Error => 1,
            });
            self.str(&problem.message);
        }
    }
    pub(super) fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    pub(super) fn int(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)) as u64);
    }
    pub(super) fn bytes(&mut self, b: &[u8]) {
        self.uint(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    pub(super) fn path(&mut self, p: &Path) {
        self.bytes(p.as_os_str().as_bytes());
    }
    fn strs(&mut self, list: &[Name]) {
        self.uint(list.len() as u64);
        for s in list {
            self.str(s);
        }
    }
}

/// A summary's fields as decoded, its texts as `T` (see
/// [`Decoder::entry_with`]).
pub(super) struct Fields<T> {
    pub(super) title: T,
    pub(super) authors: Names,
    pub(super) date: Option<Date>,
    pub(super) locations: Names,
    pub(super) source_url: Option<T>,
    pub(super) words: u32,
}

pub(super) struct Decoder<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
}

impl<'a> Decoder<'a> {
    /// One file's entry (see [`Encoder::entry`]), its texts each in a
    /// block of its own.
    pub(super) fn entry(&mut self) -> Result<(PathBuf, Stamp, Option<Summary>), usize> {
        let (path, stamp, fields) = self.entry_with(SharedStr::new)?;
        let summary = fields.map(|f| Summary {
            title: f.title,
            authors: f.authors,
            date: f.date,
            locations: f.locations,
            source_url: f.source_url,
            words: f.words,
        });
        Ok((path, stamp, summary))
    }
    /// One file's entry, its title and source address made by `text` (a
    /// piece's go into one strip: see [`crate::shared_str`]).
    pub(super) fn entry_with<T>(
        &mut self,
        mut text: impl FnMut(&str) -> T,
    ) -> Result<(PathBuf, Stamp, Option<Fields<T>>), usize> {
        let path = self.path()?;
        let stamp = Stamp {
            size: self.uint()?,
            mtime_ns: self.int()?,
        };
        let summary = match self.byte()? {
            0 => None,
            1 => {
                let title = text(self.str()?);
                let authors = self.names()?;
                let date = match self.uint()? {
                    0 => None,
                    packed => {
                        let packed = packed - 1;
                        let year = i32::try_from(packed >> 9).map_err(|_| self.at)?;
                        let date = Date::new(year, ((packed >> 5) & 15) as u8, (packed & 31) as u8);
                        Some(date.ok_or(self.at)?)
                    }
                };
                let locations = self.names()?;
                let source_url = match self.byte()? {
                    0 => None,
                    1 => Some(text(self.str()?)),
                    _ => return Err(self.at),
                };
                let words = u32::try_from(self.uint()?).map_err(|_| self.at)?;
                Some(Fields {
                    title,
                    authors,
                    date,
                    locations,
                    source_url,
                    words,
                })
            }
            _ => return Err(self.at),
        };
        Ok((path, stamp, summary))
    }
    /// Steps over one file's entry without making anything of it.
    pub(super) fn skip_entry(&mut self) -> Result<(), usize> {
        self.bytes()?;
        self.uint()?;
        self.int()?;
        self.skip_summary()
    }
    /// Steps over the summary part of an entry.
    pub(super) fn skip_summary(&mut self) -> Result<(), usize> {
        match self.byte()? {
            0 => return Ok(()),
            1 => {}
            _ => return Err(self.at),
        }
        self.bytes()?;
        for _ in 0..self.count()? {
            self.bytes()?;
        }
        self.uint()?;
        for _ in 0..self.count()? {
            self.bytes()?;
        }
        match self.byte()? {
            0 => {}
            1 => {
                self.bytes()?;
            }
            _ => return Err(self.at),
        }
        self.uint()?;
        Ok(())
    }
    /// The problems, counted.
    pub(super) fn problems(&mut self) -> Result<Vec<Problem>, usize> {
        let count = self.count()?;
        let mut problems = Vec::with_capacity(count);
        for _ in 0..count {
            let path = self.path()?;
            let line = match self.uint()? {
                0 => None,
                l => Some(usize::try_from(l - 1).map_err(|_| self.at)?),
            };
            let severity = match self.byte()? {
                0 => Severity::Warning,
                1 => Severity::Error,
                _ => return Err(self.at),
            };
            problems.push(Problem {
                path,
                line,
                severity,
                message: self.string()?,
            });
        }
        Ok(problems)
    }
    pub(super) fn byte(&mut self) -> Result<u8, usize> {
        let b = *self.bytes.get(self.at).ok_or(self.at)?;
        self.at += 1;
        Ok(b)
    }
    pub(super) fn uint(&mut self) -> Result<u64, usize> {
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
    pub(super) fn int(&mut self) -> Result<i64, usize> {
        let v = self.uint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }
    /// A count of items, each at least one byte: no more than the bytes left
    /// (so garbage cannot ask for a huge allocation).
    pub(super) fn count(&mut self) -> Result<usize, usize> {
        let n = usize::try_from(self.uint()?).map_err(|_| self.at)?;
        if n > self.bytes.len() - self.at {
            return Err(self.at);
        }
        Ok(n)
    }
    pub(super) fn bytes(&mut self) -> Result<&'a [u8], usize> {
        let n = self.count()?;
        let b = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(b)
    }
    /// A string, borrowed from the bytes (the error is where it starts).
    fn str(&mut self) -> Result<&'a str, usize> {
        let start = self.at;
        let b = self.bytes()?;
        std::str::from_utf8(b).map_err(|_| start)
    }
    fn string(&mut self) -> Result<String, usize> {
        self.str().map(str::to_owned)
    }
    /// Names, interned straight from the bytes (no string made per name).
    fn names(&mut self) -> Result<Names, usize> {
        let n = self.count()?;
        // Exactly as many (one is held inline, no allocation).
        let mut names = Names::with_capacity(n);
        for _ in 0..n {
            let start = self.at;
            names.push(Name::from_utf8(self.bytes()?).ok_or(start)?);
        }
        Ok(names)
    }
    pub(super) fn path(&mut self) -> Result<PathBuf, usize> {
        Ok(PathBuf::from(std::ffi::OsStr::from_bytes(self.bytes()?)))
    }
}
