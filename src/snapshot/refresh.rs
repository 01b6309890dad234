//! What changed in the archive since a snapshot, found by stat'ing (see the
//! notes of [`super`] on what is looked at, and why that finds every change).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::{Folder, Snapshot, Stamp, UNKNOWN, mtime_ns};
use crate::library::Problem;

/// What [`check`] compares the folder with: a snapshot's folders, files
/// and problems (a whole [`Snapshot`], or the keeper's
/// [`Held`](super::held::Held) stamps).
pub trait Known {
    /// Every folder read, with its mtime.
    fn folders(&self) -> &[Folder];
    /// Every file, with its stamp.
    fn files(&self) -> impl Iterator<Item = (&Path, Stamp)>;
    /// Every problem found.
    fn problems(&self) -> &[Problem];
}

impl Known for Snapshot {
    fn folders(&self) -> &[Folder] {
        &self.folders
    }
    fn files(&self) -> impl Iterator<Item = (&Path, Stamp)> {
        self.files.iter().map(|e| (e.path.as_path(), e.stamp))
    }
    fn problems(&self) -> &[Problem] {
        &self.problems
    }
}
use crate::library::{self, LoadOptions};
use crate::watch::{self, Changes};

/// The paths that changed since `snapshot` was taken, in the form
/// [`watch::read`] takes: files to read again, folders to walk whole, and
/// paths that are gone. Stats only, no reading (see the module's notes on
/// what is checked when).
pub fn check(root: &Path, snapshot: &impl Known) -> BTreeSet<PathBuf> {
    let mut changed: BTreeSet<PathBuf> = BTreeSet::new();
    let mut gone: Vec<&Path> = Vec::new();
    // The folders whose listing is looked at (first, so the names of the
    // files are gathered for those alone: at a million files in folders
    // that did not change, none).
    let mut listed: Vec<&Path> = Vec::new();
    for folder in snapshot.folders() {
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
        listed.push(&folder.path);
    }
    let mut by_folder: HashMap<&Path, HashSet<&std::ffi::OsStr>> =
        listed.iter().map(|path| (*path, HashSet::new())).collect();
    // Skipped files without a stamp (unreadable, broken links) are known too:
    // not new when their folder is listed.
    // (No folder to list, as at most starts: no walk.)
    if !listed.is_empty() {
        let known_files = snapshot.files().map(|(path, _)| path);
        for path in known_files.chain(snapshot.problems().iter().map(|p| p.path.as_path())) {
            let parent = path.parent().unwrap_or(Path::new(""));
            if let (Some(names), Some(name)) = (by_folder.get_mut(parent), path.file_name()) {
                names.insert(name);
            }
        }
    }
    let folders: HashSet<&Path> = if listed.is_empty() {
        HashSet::new()
    } else {
        snapshot
            .folders()
            .iter()
            .map(|f| f.path.as_path())
            .collect()
    };
    for folder in listed {
        let Ok(entries) = fs::read_dir(root.join(folder)) else {
            // Unreadable now: read it as the watch would (its problem comes back).
            changed.insert(folder.to_path_buf());
            continue;
        };
        let known = by_folder.get(folder);
        let mut present: HashSet<std::ffi::OsString> = HashSet::new();
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            if name.as_bytes().starts_with(b".") {
                continue;
            }
            let rel = folder.join(&name);
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
                changed.insert(folder.join(name));
            }
        }
    }
    for (path, stamp) in snapshot.files() {
        if gone.iter().any(|g| path.starts_with(g)) || changed.contains(path) {
            continue;
        }
        let same = fs::metadata(root.join(path)).is_ok_and(|meta| {
            stamp.mtime_ns != UNKNOWN
                && meta.len() == stamp.size
                && mtime_ns(&meta) == stamp.mtime_ns
        });
        if !same {
            changed.insert(path.to_path_buf());
        }
    }
    changed
}

/// [`check`], then what changed read as live reload reads it: ready for
/// `App::apply_changes`.
pub fn refresh(root: &Path, snapshot: &impl Known, options: &LoadOptions) -> Changes {
    watch::read(root, check(root, snapshot), options)
}
