//! Live reload: the articles folder is watched (inotify, subscribed to changes
//! only; events are gathered until the folder is quiet for a moment), and what
//! changed is read again on a background thread, ready for
//! [`App::apply_changes`](crate::app::App::apply_changes).
//!
//! Only changes are subscribed to — create, write, delete, move in and out,
//! and the deletion or move of a watched folder itself — never opens or reads:
//! reading the archive (the first load, a reload, the reader) makes no events,
//! so it can never fill the kernel's queue. Should the queue overflow all the
//! same (another program writing a great many files at once), the watch asks
//! for the cheap folder check ([`Changes::check`]), never for a full load.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask, Watches};

use crate::article::Article;
use crate::library::{self, Candidate, LoadOptions, Problem};

/// Events closer together than this are read as one change.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// What every folder is watched for: changes to what is in it, and its own
/// deletion or move. No open, access or close-without-writing: those come from
/// reads.
const CHANGES_ONLY: WatchMask = WatchMask::CREATE
    .union(WatchMask::MODIFY)
    .union(WatchMask::CLOSE_WRITE)
    .union(WatchMask::DELETE)
    .union(WatchMask::MOVED_FROM)
    .union(WatchMask::MOVED_TO)
    .union(WatchMask::DELETE_SELF)
    .union(WatchMask::MOVE_SELF)
    .union(WatchMask::ONLYDIR);

/// Why the folder cannot be watched.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The system gives no inotify instance (too many open, or none at all).
    #[error(
        "the system refused a folder watch ({0}); raise fs.inotify.max_user_instances, or use r to read the folder again"
    )]
    Init(io::Error),
    /// The per-user limit of watched folders is reached.
    #[error(
        "{0}: the system's limit of watched folders is reached; raise fs.inotify.max_user_watches"
    )]
    Limit(PathBuf),
    /// A folder cannot be watched for another reason.
    #[error("{path}: cannot be watched ({source}); check that it exists and can be read")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The thread that reads events could not start.
    #[error("cannot start the watching thread ({0}); too many threads running?")]
    Thread(io::Error),
}

/// What changed in the folder, read again.
#[derive(Debug, Default)]
pub struct Changes {
    /// Paths (relative to the folder) whose articles and problems are
    /// replaced: a file, or a folder and everything under it.
    pub paths: Vec<PathBuf>,
    /// The articles found there now.
    pub articles: Vec<Article>,
    /// The problems found there now.
    pub problems: Vec<Problem>,
    /// Kept so older callers compile; the watch never sets it any more (a
    /// lost event is answered by [`Changes::check`]). To be removed once the
    /// reader acts on `check`.
    pub rescan: bool,
    /// Events were lost (the kernel's queue overflowed, or reading events
    /// failed): what changed is not known, so the folder check
    /// (`snapshot::check`: folder mtimes, then size and mtime of files) must
    /// find it. Never a reason for a full load.
    pub check: bool,
    /// When reading these began (set by [`read`]): a file whose mtime is this
    /// close was perhaps read before its last change, so a snapshot taking
    /// these in stores it as unknown (see `snapshot::RACY`).
    pub started: Option<SystemTime>,
}

impl Changes {
    /// Adds later changes to these (applying both in order gives the same).
    pub fn merge(&mut self, later: Changes) {
        let replaced = |p: &Path| later.paths.iter().any(|c| p.starts_with(c));
        self.articles.retain(|a| !replaced(&a.path));
        self.problems.retain(|p| !replaced(&p.path));
        self.paths.extend(later.paths);
        self.articles.extend(later.articles);
        self.problems.extend(later.problems);
        self.rescan |= later.rescan;
        self.check |= later.check;
        self.started = match (self.started, later.started) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

/// A running watch; dropping it stops watching.
pub struct Watch {
    /// Removing the root's watch wakes the event thread, which then ends.
    watches: Watches,
    root_watch: WatchDescriptor,
    /// Changes, as they are read.
    pub changes: mpsc::Receiver<Changes>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        // The kernel answers with IN_IGNORED, which ends the event thread's
        // blocking read; the debounce thread ends when the event thread does.
        let _ = self.watches.remove(self.root_watch.clone());
    }
}

/// Events closer together than [`DEBOUNCE`] are read as one change, but a
/// steady stream of them is still read at least this often.
const LONGEST_WAIT: Duration = Duration::from_millis(800);

/// What the event thread hands to the debounce thread.
enum Raw {
    /// Something changed at this path (relative to the folder).
    Changed(PathBuf),
    /// Events were lost.
    Lost,
}

/// Starts watching `root` and everything under it, with the error as text
/// (what the reader's loop takes today; [`start`] gives the typed error).
pub fn watch(root: &Path, options: LoadOptions) -> Result<Watch, String> {
    start(root, options).map_err(|e| e.to_string())
}

/// Starts watching `root` and everything under it: every folder (hidden ones
/// skipped, symlinked ones followed, each once) gets a watch now, and folders
/// that appear later get theirs as they appear.
pub fn start(root: &Path, options: LoadOptions) -> Result<Watch, WatchError> {
    let inotify = Inotify::init().map_err(WatchError::Init)?;
    let mut folders = Folders::default();
    let root_watch = folders.add_tree(&mut inotify.watches(), root, PathBuf::new())?;
    let watches = inotify.watches();
    let (raw_sender, raw) = mpsc::channel::<Raw>();
    let events_root = root.to_path_buf();
    library::spawn_worker(move || read_events(inotify, folders, &events_root, raw_sender))
        .map_err(WatchError::Thread)?;
    let (sender, changes) = mpsc::channel();
    let root = root.to_path_buf();
    if let Err(e) = library::spawn_worker(move || debounce(&root, &options, &raw, &sender)) {
        // Ends the event thread.
        let _ = watches.clone().remove(root_watch);
        return Err(WatchError::Thread(e));
    }
    Ok(Watch {
        watches,
        root_watch,
        changes,
    })
}

/// The watched folders, by watch id, relative to the root.
#[derive(Default)]
struct Folders {
    by_watch: HashMap<i32, (WatchDescriptor, PathBuf)>,
}

impl Folders {
    /// Watches `rel` (under `root`) and every folder under it, each folder
    /// once (so a symlink loop ends); returns the watch of `rel` itself.
    fn add_tree(
        &mut self,
        watches: &mut Watches,
        root: &Path,
        rel: PathBuf,
    ) -> Result<WatchDescriptor, WatchError> {
        let full = root.join(&rel);
        let first = self.add_one(watches, &full, &rel)?;
        let mut limit = None;
        library::walk_folders(&full, &mut |sub, _| {
            match self.add_one(watches, &full.join(sub), &rel.join(sub)) {
                Ok(_) => true,
                Err(WatchError::Limit(p)) => {
                    limit = Some(p);
                    false
                }
                // It went, or cannot be read: the loader reports that.
                Err(_) => false,
            }
        });
        if let Some(p) = limit {
            return Err(WatchError::Limit(p));
        }
        Ok(first)
    }

    fn add_one(
        &mut self,
        watches: &mut Watches,
        full: &Path,
        rel: &Path,
    ) -> Result<WatchDescriptor, WatchError> {
        let wd = watches.add(full, CHANGES_ONLY).map_err(|source| {
            // ENOSPC: the per-user watch limit.
            if source.raw_os_error() == Some(28) {
                WatchError::Limit(full.to_path_buf())
            } else {
                WatchError::Folder {
                    path: full.to_path_buf(),
                    source,
                }
            }
        })?;
        // A folder moved within the tree keeps its watch: the new path wins.
        self.by_watch.insert(
            wd.get_watch_descriptor_id(),
            (wd.clone(), rel.to_path_buf()),
        );
        Ok(wd)
    }

    /// Forgets (and stops watching) `rel` and every folder under it: it moved
    /// away or was deleted; where it went, if inside, is watched afresh.
    fn remove_tree(&mut self, watches: &mut Watches, rel: &Path) {
        let gone: Vec<i32> = self
            .by_watch
            .iter()
            .filter(|(_, (_, p))| p.starts_with(rel))
            .map(|(id, _)| *id)
            .collect();
        for id in gone {
            if let Some((wd, _)) = self.by_watch.remove(&id) {
                let _ = watches.remove(wd);
            }
        }
    }
}

/// The size of the buffer events are read into: many events per read.
const EVENT_BUFFER: usize = 64 * 1024;

/// Reads inotify events until the root's watch is removed (the [`Watch`] was
/// dropped, or the root went), handing each changed path on.
fn read_events(mut inotify: Inotify, mut folders: Folders, root: &Path, raw: mpsc::Sender<Raw>) {
    let mut buffer = vec![0u8; EVENT_BUFFER];
    let mut watches = inotify.watches();
    let root_id = folders
        .by_watch
        .iter()
        .find(|(_, (_, p))| p.as_os_str().is_empty())
        .map(|(id, _)| *id);
    loop {
        let events = match inotify.read_events_blocking(&mut buffer) {
            Ok(events) => events,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => {
                let _ = raw.send(Raw::Lost);
                return;
            }
        };
        let mut out: Vec<Raw> = Vec::new();
        let mut stop = false;
        let mut new_folders: Vec<PathBuf> = Vec::new();
        let mut gone_folders: Vec<PathBuf> = Vec::new();
        for event in events {
            if event.mask.contains(EventMask::Q_OVERFLOW) {
                out.push(Raw::Lost);
                continue;
            }
            let id = event.wd.get_watch_descriptor_id();
            if event.mask.contains(EventMask::IGNORED) {
                if Some(id) == root_id {
                    stop = true;
                }
                folders.by_watch.remove(&id);
                continue;
            }
            let Some((_, dir)) = folders.by_watch.get(&id) else {
                continue;
            };
            let path = match &event.name {
                Some(name) => {
                    if name.to_string_lossy().starts_with('.') {
                        continue;
                    }
                    dir.join(name)
                }
                // The watched folder itself was deleted or moved.
                None => dir.clone(),
            };
            let is_dir = event.mask.contains(EventMask::ISDIR);
            if is_dir
                && event
                    .mask
                    .intersects(EventMask::CREATE | EventMask::MOVED_TO)
            {
                new_folders.push(path.clone());
            }
            if is_dir && event.mask.contains(EventMask::MOVED_FROM) {
                gone_folders.push(path.clone());
            }
            out.push(Raw::Changed(path));
        }
        for gone in gone_folders {
            folders.remove_tree(&mut watches, &gone);
        }
        // A new folder is watched before its path goes on: reading it then
        // finds whatever was written in it before its watch was in place.
        for folder in new_folders {
            if let Err(WatchError::Limit(_)) = folders.add_tree(&mut watches, root, folder) {
                out.push(Raw::Lost);
            }
        }
        for item in out {
            if raw.send(item).is_err() {
                return;
            }
        }
        if stop {
            return;
        }
    }
}

/// Gathers changed paths until the folder is quiet, then reads them.
fn debounce(
    root: &Path,
    options: &LoadOptions,
    raw: &mpsc::Receiver<Raw>,
    sender: &mpsc::Sender<Changes>,
) {
    let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
    let mut first: Option<Instant> = None;
    let mut lost = false;
    loop {
        let wait = match first {
            None => Duration::from_secs(3600),
            Some(t) => DEBOUNCE.min(LONGEST_WAIT.saturating_sub(t.elapsed())),
        };
        let (quiet, ended) = match raw.recv_timeout(wait) {
            Ok(Raw::Changed(path)) => {
                paths.insert(path);
                (false, false)
            }
            Ok(Raw::Lost) => {
                lost = true;
                (false, false)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => (true, false),
            // The event thread ended: read what is gathered, then stop.
            Err(mpsc::RecvTimeoutError::Disconnected) => (true, true),
        };
        if paths.is_empty() && !lost {
            if ended {
                return;
            }
            first = None;
            continue;
        }
        // Read once the folder is quiet, or a stream of events has gone on long enough.
        let since = *first.get_or_insert_with(Instant::now);
        if !quiet && since.elapsed() < LONGEST_WAIT {
            continue;
        }
        let batch = std::mem::take(&mut paths);
        first = None;
        let mut changes = read(root, batch, options);
        changes.check = std::mem::take(&mut lost);
        if sender.send(changes).is_err() || ended {
            return;
        }
    }
}

/// Reads what is at each changed path now.
pub fn read(root: &Path, paths: BTreeSet<PathBuf>, options: &LoadOptions) -> Changes {
    let mut changes = Changes {
        started: Some(SystemTime::now()),
        ..Changes::default()
    };
    let mut folders: Vec<PathBuf> = Vec::new();
    // In path order a folder comes before what is in it, which its walk covers.
    for rel in paths {
        if folders.iter().any(|f| rel.starts_with(f)) {
            continue;
        }
        let full = root.join(&rel);
        if rel.as_os_str().is_empty() {
            // The folder itself: only its disappearance matters.
            if !full.exists() {
                changes.paths.push(rel);
            }
            continue;
        }
        match std::fs::metadata(&full) {
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                library::walk(&full, options, &mut |c| found.push(c), &mut |mut p| {
                    p.path = rel.join(&p.path);
                    changes.problems.push(p);
                });
                for mut candidate in found {
                    candidate.relative = rel.join(&candidate.relative);
                    load(&candidate, options, &mut changes);
                }
                folders.push(rel.clone());
                changes.paths.push(rel);
            }
            Ok(_) => {
                let name = rel
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if let Some(form) = library::form_of(&full)
                    && !library::is_readme(&name)
                {
                    let candidate = Candidate {
                        path: full,
                        relative: rel.clone(),
                        form,
                    };
                    load(&candidate, options, &mut changes);
                    changes.paths.push(rel);
                }
            }
            // Gone (or unreadable: then its old article goes too, as `r` would do).
            Err(_) => changes.paths.push(rel),
        }
    }
    changes
}

/// What a walk of the folder (no reading) finds changed against what is
/// loaded: files that came (not among `articles` nor `problems`) and articles
/// whose files went. Changes to a file's content are not seen this way.
pub fn missed(
    root: &Path,
    articles: Vec<PathBuf>,
    problems: Vec<PathBuf>,
    options: &LoadOptions,
) -> Changes {
    let Ok((found, _)) = library::discover(root, options) else {
        return Changes::default();
    };
    let present: HashSet<PathBuf> = found.into_iter().map(|c| c.relative).collect();
    let known: HashSet<&PathBuf> = articles.iter().chain(&problems).collect();
    let mut changed: BTreeSet<PathBuf> = present
        .iter()
        .filter(|p| !known.contains(p))
        .cloned()
        .collect();
    changed.extend(articles.into_iter().filter(|p| !present.contains(p)));
    if changed.is_empty() {
        return Changes::default();
    }
    read(root, changed, options)
}

fn load(candidate: &Candidate, options: &LoadOptions, changes: &mut Changes) {
    let (article, mut problems) = library::load_one_guarded(candidate, options);
    changes.articles.extend(article);
    changes.problems.append(&mut problems);
}
