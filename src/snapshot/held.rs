//! What the snapshot's keeper holds while the reader runs: every folder's
//! and file's stamp, for the check, but not the summaries. Those stay in
//! the snapshot file, which is kept open, and a save copies them from it.
//! At a million articles, the decoded snapshot was as much memory again
//! as the reader's whole list, and a save encoded all of it in memory.
//!
//! - The file is read in pieces, once: the articles are made and the
//!   checksum taken on the way; it is read again only to tell a file that
//!   is not what was written from one that fails to decode. No copy of the
//!   whole file is ever held. Pieces given out before a mismatch is found
//!   are dropped by the reader, unshown.
//! - A save writes the new file in pieces, in the format of [`super::format`]:
//!   the header first with no length, then the payload (unchanged entries
//!   copied from the open file as they are), then the length and checksum.
//!   The usual temporary file, sync and rename follow.
//! - The open handle is what is read, not the path. If another reader
//!   renames its own snapshot over the path, this one still reads the file
//!   it loaded or wrote: two readers never mix their entries.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::build::{Files, add_skipped, apply, root_and_folders};
use super::format::{
    Decoder, Encoder, Fields, HEADER_MAX, bad_content, header, read_header, temp_name,
};
use super::refresh::Known;
use super::{Folder, Snapshot, SnapshotError, Stamp, Summary};
use crate::article::Article;
use crate::library::{self, Problem};
use crate::shared_str::{Cut, Strip};
use crate::watch::Changes;

/// Bytes read from the file at a time.
const CHUNK: usize = 1 << 20;

/// A snapshot without its summaries: see the module's notes.
#[derive(Debug)]
pub struct Held {
    root: PathBuf,
    folders: Vec<Folder>,
    files: HeldFiles,
    problems: Vec<Problem>,
    /// The file last loaded or written, which the `Saved` entries are in.
    saved: Option<Saved>,
    /// What a load listed, encoded, which the `Listed` entries are in
    /// (until the first save).
    listed: Vec<u8>,
}

/// What a load gives the snapshot: each article's path and summary,
/// encoded as it comes (a third of the memory of the summaries, at a
/// million articles, and no allocation per field).
#[derive(Debug, Default)]
pub struct Listed {
    bytes: Vec<u8>,
}

impl Listed {
    /// Adds an article as read (before its text is dropped: the summary
    /// counts its words).
    pub fn push(&mut self, article: &Article) {
        let mut enc = Encoder(std::mem::take(&mut self.bytes));
        enc.path(&article.path);
        enc.summary(Some(&Summary::of(article)));
        self.bytes = enc.0;
    }
}

/// Every file's path, stamp and summary's place, the paths one after
/// another in one buffer (at a million files, a million allocations fewer
/// to make and free, and 40 bytes fewer each).
#[derive(Debug, Default)]
struct HeldFiles {
    paths: Vec<u8>,
    list: Vec<HeldFile>,
    /// Bytes of `paths` no file uses any more (made again when they are
    /// half of it).
    unused: usize,
}

#[derive(Debug)]
struct HeldFile {
    /// Where its path is in [`HeldFiles::paths`].
    path: std::ops::Range<usize>,
    stamp: Stamp,
    source: Source,
}

impl HeldFiles {
    fn with_capacity(n: usize) -> HeldFiles {
        HeldFiles {
            paths: Vec::new(),
            list: Vec::with_capacity(n),
            unused: 0,
        }
    }

    fn len(&self) -> usize {
        self.list.len()
    }

    fn push(&mut self, path: &[u8], stamp: Stamp, source: Source) {
        let start = self.paths.len();
        self.paths.extend_from_slice(path);
        self.list.push(HeldFile {
            path: start..self.paths.len(),
            stamp,
            source,
        });
    }

    fn path_bytes(&self, f: &HeldFile) -> &[u8] {
        &self.paths[f.path.clone()]
    }

    fn path(&self, f: &HeldFile) -> &Path {
        Path::new(std::ffi::OsStr::from_bytes(self.path_bytes(f)))
    }

    fn iter(&self) -> impl Iterator<Item = (&Path, &HeldFile)> {
        self.list.iter().map(|f| (self.path(f), f))
    }
}

#[derive(Debug)]
enum Source {
    /// The saved file's entry of this number.
    Saved(u32),
    /// Read since the last save. None means the file was skipped with an error.
    New(Option<Box<Summary>>),
    /// Listed by the load, its summary at this byte of `listed`.
    Listed(usize),
}

#[derive(Debug)]
struct Saved {
    file: File,
    /// Where its first file entry starts, and where its payload ends.
    entries_at: u64,
    end: u64,
}

/// What went wrong while reading a snapshot in pieces: reading, or its content.
enum Fault {
    Io(io::Error),
    /// The payload stops making sense at this byte of the file.
    Bad(u64),
    /// A snapshot of this other folder.
    Other(PathBuf),
}

impl From<io::Error> for Fault {
    fn from(e: io::Error) -> Fault {
        Fault::Io(e)
    }
}

impl Fault {
    fn at(self, file: &Path, payload: u64) -> SnapshotError {
        match self {
            Fault::Io(source) => SnapshotError::Io {
                path: file.to_path_buf(),
                source,
            },
            Fault::Bad(at) => bad_content(file, at.saturating_sub(payload)),
            Fault::Other(other) => SnapshotError::OtherArchive {
                path: file.to_path_buf(),
                other,
            },
        }
    }
}

/// A part of an open file, read in pieces, each item decoded from the bytes
/// held (more are read when an item runs past them).
struct Chunks<'f> {
    file: &'f File,
    buf: Vec<u8>,
    /// Decoded up to here in `buf`.
    at: usize,
    /// Where `buf` starts in the file.
    base: u64,
    /// Bytes of the part not read into `buf` yet.
    left: u64,
    /// The checksum of every byte read so far, when asked for.
    crc: Option<crc32fast::Hasher>,
}

impl<'f> Chunks<'f> {
    fn new(file: &'f File, from: u64, to: u64) -> io::Result<Chunks<'f>> {
        let mut f = file;
        f.seek(SeekFrom::Start(from))?;
        Ok(Chunks {
            file,
            buf: Vec::new(),
            at: 0,
            base: from,
            left: to.saturating_sub(from),
            crc: None,
        })
    }

    /// [`Chunks::new`], keeping the checksum of the bytes as they are read
    /// (see [`Chunks::checksum`]).
    fn checked(file: &'f File, from: u64, to: u64) -> io::Result<Chunks<'f>> {
        let mut chunks = Chunks::new(file, from, to)?;
        chunks.crc = Some(crc32fast::Hasher::new());
        Ok(chunks)
    }

    /// The checksum of the whole part, once every byte is read (none before,
    /// or when not asked for).
    fn checksum(&self) -> Option<u32> {
        match &self.crc {
            Some(crc) if self.left == 0 => Some(crc.clone().finalize()),
            _ => None,
        }
    }

    /// The next item, and where its bytes are in the buffer (see [`Chunks::raw`]).
    fn next<T>(
        &mut self,
        mut item: impl FnMut(&mut Decoder<'_>) -> Result<T, usize>,
    ) -> Result<(T, std::ops::Range<usize>), Fault> {
        loop {
            let mut d = Decoder {
                bytes: &self.buf[self.at..],
                at: 0,
            };
            match item(&mut d) {
                Ok(value) => {
                    let start = self.at;
                    self.at += d.at;
                    return Ok((value, start..self.at));
                }
                // Perhaps cut off at the end of what is held: read more.
                Err(_) if self.left > 0 => self.more()?,
                Err(at) => return Err(Fault::Bad(self.base + (self.at + at) as u64)),
            }
        }
    }

    /// The bytes of an item [`Chunks::next`] just gave.
    fn raw(&self, range: std::ops::Range<usize>) -> &[u8] {
        &self.buf[range]
    }

    /// Whether every byte of the part has been decoded.
    fn done(&self) -> bool {
        self.left == 0 && self.at == self.buf.len()
    }

    /// Where the next item starts in the file.
    fn position(&self) -> u64 {
        self.base + self.at as u64
    }

    fn more(&mut self) -> io::Result<()> {
        self.buf.drain(..self.at);
        self.base += self.at as u64;
        self.at = 0;
        // At least as much again as is held: an item bigger than a chunk
        // is read whole in a few steps.
        let want = CHUNK.max(self.buf.len());
        let n = usize::try_from(self.left).map_or(want, |left| left.min(want));
        let old = self.buf.len();
        self.buf.resize(old + n, 0);
        let mut f = self.file;
        f.read_exact(&mut self.buf[old..])?;
        if let Some(crc) = &mut self.crc {
            crc.update(&self.buf[old..]);
        }
        self.left -= n as u64;
        Ok(())
    }
}

/// The payload as it is written: counted and checksummed on the way.
struct Payload<W: Write> {
    out: W,
    len: u64,
    crc: crc32fast::Hasher,
}

impl<W: Write> Payload<W> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.crc.update(bytes);
        self.len += bytes.len() as u64;
        self.out.write_all(bytes)
    }
}

/// The most articles in the first piece [`Held::load`] hands out.
const FIRST_PIECE: usize = 4_096;

impl Held {
    /// Reads the snapshot in `file` of the archive at `root`, refusing one
    /// that is not wholly right, as [`Snapshot::load`] does. The articles
    /// (no text) go to `part` in pieces of at most `piece` (the first of at
    /// most 4,096, each after twice the one before). The last piece
    /// (empty when the articles filled the pieces before and only skipped
    /// files followed) and the problems, in path order, are returned with
    /// what is held.
    pub fn load(
        file: &Path,
        root: &Path,
        piece: usize,
        mut part: impl FnMut(Vec<Article>),
    ) -> Result<(Held, Vec<Article>, Vec<Problem>), SnapshotError> {
        let io_err = |source: io::Error| SnapshotError::Io {
            path: file.to_path_buf(),
            source,
        };
        let handle = match File::open(file) {
            Ok(handle) => handle,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(SnapshotError::Missing(file.to_path_buf()));
            }
            Err(e) => return Err(io_err(e)),
        };
        let size = handle.metadata().map_err(io_err)?.len();
        let mut head = Vec::with_capacity(HEADER_MAX);
        (&handle)
            .take(HEADER_MAX as u64)
            .read_to_end(&mut head)
            .map_err(io_err)?;
        let (start, len, crc) = read_header(&head, file)?;
        // The length is the file's word: past any real file, it is cut short.
        let end = (start as u64)
            .checked_add(len)
            .ok_or_else(|| SnapshotError::Truncated(file.to_path_buf()))?;
        match size.cmp(&end) {
            std::cmp::Ordering::Less => return Err(SnapshotError::Truncated(file.to_path_buf())),
            std::cmp::Ordering::Greater => {
                return Err(SnapshotError::Corrupt {
                    path: file.to_path_buf(),
                    why: "longer than its header says".to_owned(),
                });
            }
            std::cmp::Ordering::Equal => {}
        }
        let mismatch = || SnapshotError::Corrupt {
            path: file.to_path_buf(),
            why: "checksum mismatch".to_owned(),
        };
        let payload = start as u64;
        let real = root.canonicalize().map_err(|source| SnapshotError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        // The checksum is taken as the payload is read for the articles,
        // not in a pass of its own before (a million articles' snapshot is
        // 200 MB). Pieces given to `part` before a mismatch is found are
        // the caller's to drop (the reader stages them, unshown, until
        // the load returns).
        let read = (|| -> Result<_, Fault> {
            let mut chunks = Chunks::checked(&handle, payload, end)?;
            let (stored, _) = chunks.next(|d| {
                Ok(PathBuf::from(std::ffi::OsString::from_vec(
                    d.bytes()?.to_vec(),
                )))
            })?;
            // Before any article is made (they go to the reader as they are).
            if stored != real {
                return Err(Fault::Other(stored));
            }
            let count = counted(&mut chunks, end)?;
            let mut folders = Vec::with_capacity(count);
            for _ in 0..count {
                let (folder, _) = chunks.next(|d| {
                    Ok(Folder {
                        path: d.path()?,
                        mtime_ns: d.int()?,
                    })
                })?;
                folders.push(folder);
            }
            let count = counted(&mut chunks, end)?;
            let entries_at = chunks.position();
            let mut files = HeldFiles::with_capacity(count);
            // The first piece has room for them all: the reader takes it as
            // its list and the later pieces go on its end (no doubling of a
            // list of a million as it grows).
            let mut articles = Vec::with_capacity(count);
            // A piece's titles and addresses go into one strip, made its
            // block when the piece is whole (see `crate::shared_str`).
            // The first pieces are small, each twice the one before up to
            // `piece`: the loop starts on the first while the rest is
            // decoded (a small archive comes in a few pieces, not one).
            let piece = piece.max(1);
            let mut size = piece.min(FIRST_PIECE);
            let mut pending = Vec::with_capacity(piece.min(count));
            let mut strip = Strip::with_capacity(size.min(count) * 128);
            for k in 0..count {
                // A piece is whole: sent before the next entry's texts
                // go into a strip (the next piece's).
                if pending.len() == size {
                    let next = (size * 2).min(piece);
                    let room = strip.len() * next / size;
                    size = next;
                    let whole = std::mem::replace(&mut strip, Strip::with_capacity(room));
                    cut_out(&mut pending, whole, &mut articles);
                    part(std::mem::replace(&mut articles, Vec::with_capacity(size)));
                }
                let ((path, stamp, fields), _) =
                    chunks.next(|d| d.entry_with(|text| strip.push(text)))?;
                let source = Source::Saved(u32::try_from(k).map_err(|_| Fault::Bad(entries_at))?);
                files.push(path.as_os_str().as_bytes(), stamp, source);
                if let Some(fields) = fields {
                    pending.push((strip.push_path(&path), fields));
                }
            }
            cut_out(&mut pending, strip, &mut articles);
            let (problems, _) = chunks.next(|d| d.problems())?;
            if !chunks.done() {
                return Err(Fault::Bad(chunks.position()));
            }
            Ok((
                folders,
                files,
                articles,
                problems,
                entries_at,
                chunks.checksum(),
            ))
        })();
        let (folders, files, articles, problems, entries_at, read_crc) = match read {
            Ok(read) => read,
            // A file that is not what was written is told as such, however
            // its bytes then read.
            Err(fault) => {
                if checksum(&handle, payload, end).map_err(io_err)? != crc {
                    return Err(mismatch());
                }
                return Err(fault.at(file, payload));
            }
        };
        if read_crc != Some(crc) {
            return Err(mismatch());
        }
        let mut sorted = problems.clone();
        library::sort_problems(&mut sorted);
        let held = Held {
            root: real,
            folders,
            files,
            problems,
            saved: Some(Saved {
                file: handle,
                entries_at,
                end,
            }),
            listed: Vec::new(),
        };
        Ok((held, articles, sorted))
    }

    /// A whole snapshot, held until its first save (which keeps its
    /// summaries in the file only).
    pub fn from_snapshot(snapshot: Snapshot) -> Held {
        Held {
            root: snapshot.root,
            folders: snapshot.folders,
            files: {
                let mut files = HeldFiles::with_capacity(snapshot.files.len());
                for e in snapshot.files {
                    let source = Source::New(e.summary.map(Box::new));
                    files.push(e.path.as_os_str().as_bytes(), e.stamp, source);
                }
                files
            },
            problems: snapshot.problems,
            saved: None,
            listed: Vec::new(),
        }
    }

    /// The snapshot of what a load of `root` listed, as
    /// [`Snapshot::build_from`] makes it, without making a summary of
    /// anything: every file and folder is stat'ed (call it off the loop),
    /// and a file changed since `started` is stored racy.
    pub fn build(
        root: &Path,
        listed: Listed,
        problems: &[Problem],
        started: SystemTime,
    ) -> Result<Held, SnapshotError> {
        let (real, folders) = root_and_folders(root, started)?;
        let bytes = listed.bytes;
        let mut files = HeldFiles::default();
        let mut seen: HashSet<&[u8]> = HashSet::new();
        let mut d = Decoder {
            bytes: &bytes,
            at: 0,
        };
        while d.at < bytes.len() {
            let Ok(path) = d.bytes() else {
                break;
            };
            let at = d.at;
            if d.skip_summary().is_err() {
                break;
            }
            if !seen.insert(path) {
                continue;
            }
            // A file gone since it was read is left out (as `build_from`).
            if let Ok(meta) = fs::metadata(root.join(std::ffi::OsStr::from_bytes(path))) {
                files.push(path, Stamp::of(&meta, started), Source::Listed(at));
            }
        }
        let listed = |p: &Path| seen.contains(p.as_os_str().as_bytes());
        add_skipped(root, problems, started, listed, &mut files);
        drop(seen);
        Ok(Held {
            root: real,
            folders,
            files,
            problems: problems.to_vec(),
            saved: None,
            listed: bytes,
        })
    }

    /// Takes in what live reload (or the check) read, as [`Snapshot::apply`] does.
    pub fn apply(&mut self, root: &Path, changes: &Changes) {
        apply(
            root,
            changes,
            &mut self.folders,
            &mut self.files,
            &mut self.problems,
        );
    }

    /// Files whose summaries are held in memory (read or listed since the
    /// last save); removals are not counted (the keeper knows a change from
    /// being told of it, not from this).
    pub fn unsaved(&self) -> usize {
        (self.files.list.iter())
            .filter(|f| !matches!(f.source, Source::Saved(_)))
            .count()
    }

    /// Writes the snapshot to `file` atomically, in pieces (see the
    /// module's notes); from then on its summaries are read from there.
    pub fn save(&mut self, file: &Path) -> Result<(), SnapshotError> {
        let dir = file.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|source| SnapshotError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let temp = dir.join(temp_name(file));
        let written = self.write(&temp).and_then(|saved| {
            fs::rename(&temp, file)?;
            Ok(saved)
        });
        let saved = match written {
            Ok(saved) => saved,
            Err(fault) => {
                let _ = fs::remove_file(&temp);
                return Err(fault.at(file, 0));
            }
        };
        for (k, f) in self.files.list.iter_mut().enumerate() {
            // Fewer than 2^32 files: `write` refused more.
            f.source = Source::Saved(k as u32);
        }
        self.saved = Some(saved);
        self.listed = Vec::new();
        // The rename itself survives a power cut only once the folder is synced.
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|source| SnapshotError::Io {
                path: dir.to_path_buf(),
                source,
            })
    }

    /// The whole file at `temp`, synced; its handle, to read it from.
    fn write(&self, temp: &Path) -> Result<Saved, Fault> {
        if u32::try_from(self.files.len()).is_err() {
            return Err(Fault::Io(io::Error::other("too many files")));
        }
        let out = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(temp)?;
        let (head_len, entries_at, len, crc) = (|| -> Result<_, Fault> {
            let head = header(0, 0);
            let mut buffered = BufWriter::with_capacity(CHUNK, &out);
            buffered.write_all(&head)?;
            let mut w = Payload {
                out: buffered,
                len: 0,
                crc: crc32fast::Hasher::new(),
            };
            let mut enc = Encoder(Vec::with_capacity(4096));
            enc.bytes(self.root.as_os_str().as_encoded_bytes());
            enc.uint(self.folders.len() as u64);
            for folder in &self.folders {
                enc.path(&folder.path);
                enc.int(folder.mtime_ns);
            }
            enc.uint(self.files.len() as u64);
            w.put(&enc.0)?;
            let entries_at = (head.len() as u64) + w.len;
            let mut old = match &self.saved {
                Some(s) => Some((Chunks::new(&s.file, s.entries_at, s.end)?, 0u32, s)),
                None => None,
            };
            for (path, f) in self.files.iter() {
                match &f.source {
                    Source::Saved(k) => {
                        let (chunks, next, saved) = old.as_mut().ok_or(Fault::Bad(0))?;
                        if *k < *next {
                            // Out of order: from the first entry again.
                            *chunks = Chunks::new(&saved.file, saved.entries_at, saved.end)?;
                            *next = 0;
                        }
                        while *next < *k {
                            chunks.next(|d| d.skip_entry())?;
                            *next += 1;
                        }
                        // The entry's own path, checked: a file changed
                        // under the open handle is never copied blindly.
                        let at = chunks.position();
                        let (same, raw) = chunks.next(|d| {
                            let start = d.at;
                            let path = d.bytes()?;
                            let same = path == self.files.path_bytes(f);
                            d.at = start;
                            d.skip_entry()?;
                            Ok(same)
                        })?;
                        if !same {
                            return Err(Fault::Bad(at));
                        }
                        *next += 1;
                        w.put(chunks.raw(raw))?;
                    }
                    Source::New(summary) => {
                        enc.0.clear();
                        enc.entry(path, f.stamp, summary.as_deref());
                        w.put(&enc.0)?;
                    }
                    Source::Listed(at) => {
                        let mut d = Decoder {
                            bytes: &self.listed,
                            at: *at,
                        };
                        d.skip_summary().map_err(|_| Fault::Bad(0))?;
                        enc.0.clear();
                        enc.path(path);
                        enc.uint(f.stamp.size);
                        enc.int(f.stamp.mtime_ns);
                        enc.0.extend_from_slice(&self.listed[*at..d.at]);
                        w.put(&enc.0)?;
                    }
                }
            }
            drop(old);
            enc.0.clear();
            enc.problems(&self.problems);
            w.put(&enc.0)?;
            let Payload { out, len, crc } = w;
            out.into_inner().map_err(|e| e.into_error())?;
            Ok((head.len() as u64, entries_at, len, crc.finalize()))
        })()?;
        let mut f = &out;
        f.seek(SeekFrom::Start(head_len - 12))?;
        f.write_all(&len.to_le_bytes())?;
        f.write_all(&crc.to_le_bytes())?;
        out.sync_all()?;
        Ok(Saved {
            file: out,
            entries_at,
            end: head_len + len,
        })
    }
}

/// A count of items that each take at least one byte of what is left.
fn counted(chunks: &mut Chunks<'_>, end: u64) -> Result<usize, Fault> {
    let at = chunks.position();
    let (n, _) = chunks.next(|d| d.uint())?;
    if n > end.saturating_sub(chunks.position()) {
        return Err(Fault::Bad(at));
    }
    usize::try_from(n).map_err(|_| Fault::Bad(at))
}

/// The CRC-32 of the file's bytes from `from` to `to`, read in pieces.
fn checksum(file: &File, from: u64, to: u64) -> io::Result<u32> {
    let mut f = file;
    f.seek(SeekFrom::Start(from))?;
    let mut hasher = crc32fast::Hasher::new();
    let mut buf = vec![0u8; CHUNK];
    let mut left = to.saturating_sub(from);
    while left > 0 {
        let n = usize::try_from(left).map_or(CHUNK, |l| l.min(CHUNK));
        f.read_exact(&mut buf[..n])?;
        hasher.update(&buf[..n]);
        left -= n as u64;
    }
    Ok(hasher.finalize())
}

impl Files for HeldFiles {
    fn keep(&mut self, keep: &dyn Fn(&Path) -> bool) {
        let paths = &self.paths;
        let path = |f: &HeldFile| Path::new(std::ffi::OsStr::from_bytes(&paths[f.path.clone()]));
        let before = self.list.len();
        let mut unused = 0;
        self.list.retain(|f| {
            let kept = keep(path(f));
            if !kept {
                unused += f.path.len();
            }
            kept
        });
        self.unused += unused;
        if self.list.len() < before && self.unused > self.paths.len() / 2 {
            let mut paths = Vec::with_capacity(self.paths.len() - self.unused);
            for f in &mut self.list {
                let start = paths.len();
                paths.extend_from_slice(&self.paths[f.path.clone()]);
                f.path = start..paths.len();
            }
            self.paths = paths;
            self.unused = 0;
        }
    }
    fn add(&mut self, path: PathBuf, stamp: Stamp, summary: Option<Summary>) {
        let source = Source::New(summary.map(Box::new));
        self.push(path.as_os_str().as_bytes(), stamp, source);
    }
}

impl Known for Held {
    fn folders(&self) -> &[Folder] {
        &self.folders
    }
    fn files(&self) -> impl Iterator<Item = (&Path, Stamp)> {
        self.files.iter().map(|(path, f)| (path, f.stamp))
    }
    fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

/// The articles of `pending`, their texts and paths cut from `strip`'s block, onto
/// the end of `into`.
fn cut_out(pending: &mut Vec<(Cut, Fields<Cut>)>, strip: Strip, into: &mut Vec<Article>) {
    let block = strip.finish();
    into.extend(pending.drain(..).map(|(path, f)| Article {
        path: block.path(&path),
        title: block.get(&f.title),
        authors: f.authors,
        date: f.date,
        locations: f.locations,
        source_url: f.source_url.as_ref().map(|cut| block.get(cut)),
        text: None,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_removed_leave_the_rest_whole_and_the_buffer_is_made_again() {
        let mut files = HeldFiles::default();
        let stamp = |size| Stamp { size, mtime_ns: 1 };
        for (i, p) in ["a/one.txt", "a/two.txt", "b/three.md", "b/four.txt"]
            .iter()
            .enumerate()
        {
            files.add(PathBuf::from(p), stamp(i as u64), None);
        }
        files.keep(&|p| !p.starts_with("a"));
        let left = |files: &HeldFiles| -> Vec<(PathBuf, u64)> {
            files
                .iter()
                .map(|(p, f)| (p.to_path_buf(), f.stamp.size))
                .collect()
        };
        assert_eq!(
            left(&files),
            [("b/three.md".into(), 2), ("b/four.txt".into(), 3)]
        );
        // Half the bytes were unused: the buffer holds only what is left.
        files.keep(&|p| p != Path::new("b/three.md"));
        assert_eq!(left(&files), [("b/four.txt".into(), 3)]);
        assert_eq!(files.paths, b"b/four.txt");
        assert_eq!(files.unused, 0);
        files.add(PathBuf::from("c/five.txt"), stamp(5), None);
        assert_eq!(left(&files).len(), 2);
        assert_eq!(files.len(), 2);
    }
}
