//! Live reload: the articles folder is watched (notify; events are gathered
//! until the folder is quiet for a moment), and what changed is read again on
//! a background thread, ready for [`App::apply_changes`](crate::app::App::apply_changes).

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::article::Article;
use crate::library::{self, Candidate, LoadOptions, Problem};

/// Events closer together than this are read as one change.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

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
    /// Events were lost (the system's event queue overflowed, or the watch
    /// failed): only reading the whole folder again is sure to be right.
    pub rescan: bool,
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
    }
}

/// A running watch; dropping it stops watching.
pub struct Watch {
    _watcher: RecommendedWatcher,
    /// Changes, as they are read.
    pub changes: mpsc::Receiver<Changes>,
}

/// Whether an event means the folder's content changed. Reading a file is an
/// event too (open, close): taking those as changes would make every read
/// cause another read, for ever.
pub fn is_change(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
    )
}

/// Events closer together than [`DEBOUNCE`] are read as one change, but a
/// steady stream of them is still read at least this often.
const LONGEST_WAIT: Duration = Duration::from_millis(800);

/// Starts watching `root` and everything under it.
pub fn watch(root: &Path, options: LoadOptions) -> Result<Watch, String> {
    // Events name the folder as it was watched, joined to the working folder
    // when relative and not normalised (`../news` stays `/cwd/../news`):
    // watch it by that absolute form and strip it, or its real path, off.
    let watched = std::path::absolute(root).map_err(|e| e.to_string())?;
    let (events, raw) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(events).map_err(|e| e.to_string())?;
    watcher.watch(&watched, RecursiveMode::Recursive).map_err(|e| {
        let text = e.to_string();
        if text.contains("max_user_watches") || text.contains("No space left") {
            "the system's limit of watched folders is reached (raise fs.inotify.max_user_watches)"
                .to_owned()
        } else {
            text
        }
    })?;
    let (sender, changes) = mpsc::channel();
    let root = root.to_path_buf();
    let real = root.canonicalize().ok();
    library::spawn_worker(move || {
        let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
        let mut first: Option<Instant> = None;
        let mut rescan = false;
        loop {
            let wait = match first {
                None => Duration::from_secs(3600),
                Some(t) => DEBOUNCE.min(LONGEST_WAIT.saturating_sub(t.elapsed())),
            };
            let quiet = match raw.recv_timeout(wait) {
                Ok(Ok(event)) if !event.need_rescan() => {
                    if is_change(&event.kind) {
                        paths.extend(
                            event
                                .paths
                                .iter()
                                .filter_map(|p| relative(&watched, real.as_deref(), p)),
                        );
                    }
                    false
                }
                // Events were lost, or the watch failed.
                Ok(_) => {
                    rescan = true;
                    false
                }
                Err(mpsc::RecvTimeoutError::Timeout) => true,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            if paths.is_empty() && !rescan {
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
            let mut changes = read(&root, batch, &options);
            changes.rescan = std::mem::take(&mut rescan);
            if sender.send(changes).is_err() {
                break;
            }
        }
    })
    .map_err(|e| format!("cannot start the watching thread ({e})"))?;
    Ok(Watch {
        _watcher: watcher,
        changes,
    })
}

/// `path` relative to the folder; `None` for a hidden entry (editor swap
/// files, `.git`, the importer's partial files) or one outside the folder.
fn relative(root: &Path, real: Option<&Path>, path: &Path) -> Option<PathBuf> {
    let rel = path
        .strip_prefix(root)
        .ok()
        .or_else(|| real.and_then(|r| path.strip_prefix(r).ok()))?;
    let hidden = rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    (!hidden).then(|| rel.to_path_buf())
}

/// Reads what is at each changed path now.
pub fn read(root: &Path, paths: BTreeSet<PathBuf>, options: &LoadOptions) -> Changes {
    let mut changes = Changes::default();
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
