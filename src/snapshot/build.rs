//! A snapshot made from what the loader read, and kept true as files change.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{Entry, Folder, Snapshot, SnapshotError, Stamp, Summary, trusted_mtime};
use crate::article::Article;
use crate::library::{self, Problem, Severity};
use crate::watch::Changes;

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
            .map(|a| (a.path.to_path_buf(), Summary::of(a)))
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
        let (real, folders) = root_and_folders(root, started)?;
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
        add_skipped(root, problems, started, |p| seen.contains(p), &mut files);
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
        apply(
            root,
            changes,
            &mut self.folders,
            &mut self.files,
            &mut self.problems,
        );
    }

    /// The articles (no bodies) and problems, as a fresh load would give
    /// them, articles in archive order.
    pub fn library(&self) -> (Vec<Article>, Vec<Problem>) {
        let (mut articles, problems) = self.library_unordered();
        library::sort_articles(&mut articles);
        (articles, problems)
    }

    /// [`Snapshot::library_unordered`] in pieces of at most `piece`
    /// articles, each given to `part` as it is made (the reader stages one
    /// while the next is made); the last piece and the problems are returned.
    pub fn library_in_parts(
        &self,
        piece: usize,
        mut part: impl FnMut(Vec<Article>),
    ) -> (Vec<Article>, Vec<Problem>) {
        let mut articles = Vec::with_capacity(piece.min(self.files.len()));
        for e in &self.files {
            if let Some(s) = &e.summary {
                if articles.len() == piece.max(1) {
                    part(std::mem::replace(&mut articles, Vec::with_capacity(piece)));
                }
                articles.push(s.to_article(e.path.clone()));
            }
        }
        let mut problems = self.problems.clone();
        library::sort_problems(&mut problems);
        (articles, problems)
    }

    /// [`Snapshot::library`] with the articles in the snapshot's own order:
    /// for the reader, whose archive orders what it is given (sorting here
    /// too was a fifth of a start from the snapshot).
    pub fn library_unordered(&self) -> (Vec<Article>, Vec<Problem>) {
        self.library_in_parts(usize::MAX, |_| {})
    }
}

/// Every folder under `root` (hidden ones skipped, symlinks followed, each
/// folder once, as the loader walks), with its trusted mtime.
pub(super) fn walk_folders(root: &Path, started: SystemTime) -> Vec<Folder> {
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

/// The archive's canonical real path and every folder with its trusted
/// mtime: where a snapshot of a load begins.
pub(super) fn root_and_folders(
    root: &Path,
    started: SystemTime,
) -> Result<(PathBuf, Vec<Folder>), SnapshotError> {
    let real = root.canonicalize().map_err(|source| SnapshotError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    Ok((real, walk_folders(root, started)))
}

/// Files skipped with an error get a stamp too, so they are not read
/// again at every start; folders with problems get none. `listed` says
/// whether a path is an entry already; each file is added once.
pub(super) fn add_skipped(
    root: &Path,
    problems: &[Problem],
    started: SystemTime,
    listed: impl Fn(&Path) -> bool,
    files: &mut impl Files,
) {
    let mut added: HashSet<&Path> = HashSet::new();
    for problem in problems {
        let path = problem.path.as_path();
        if problem.severity != Severity::Error
            || listed(path)
            || added.contains(path)
            || library::form_of(path).is_none()
        {
            continue;
        }
        if let Ok(meta) = fs::metadata(root.join(path))
            && meta.is_file()
        {
            added.insert(path);
            files.add(path.to_path_buf(), Stamp::of(&meta, started), None);
        }
    }
}

/// The files of a snapshot, as [`apply`] changes them: a full snapshot's
/// entries, or the keeper's stamps ([`super::held::Held`]).
pub(super) trait Files {
    /// Keeps only the files `keep` says yes to.
    fn keep(&mut self, keep: &dyn Fn(&Path) -> bool);
    /// Adds a file read now (`summary` none: skipped with an error).
    fn add(&mut self, path: PathBuf, stamp: Stamp, summary: Option<Summary>);
}

impl Files for Vec<Entry> {
    fn keep(&mut self, keep: &dyn Fn(&Path) -> bool) {
        self.retain(|e| keep(&e.path));
    }
    fn add(&mut self, path: PathBuf, stamp: Stamp, summary: Option<Summary>) {
        self.push(Entry {
            path,
            stamp,
            summary,
        });
    }
}

/// [`Snapshot::apply`] on the parts of a snapshot.
pub(super) fn apply(
    root: &Path,
    changes: &Changes,
    folders: &mut Vec<Folder>,
    files: &mut impl Files,
    problems: &mut Vec<Problem>,
) {
    if changes.paths.is_empty() {
        return;
    }
    let started = changes.started.unwrap_or_else(SystemTime::now);
    let under = |p: &Path| changes.paths.iter().any(|c| p.starts_with(c));
    files.keep(&|p| !under(p));
    problems.retain(|p| !under(&p.path));
    // A changed folder's subfolders come back from a fresh walk of it.
    folders.retain(|f| f.path.as_os_str().is_empty() || !under(&f.path));
    let known: HashSet<PathBuf> = folders.iter().map(|f| f.path.clone()).collect();
    for path in &changes.paths {
        let full = root.join(path);
        if !path.as_os_str().is_empty() && full.is_dir() {
            for mut folder in walk_folders(&full, started) {
                folder.path = path.join(&folder.path);
                if !known.contains(&folder.path) {
                    folders.push(folder);
                }
            }
        }
    }
    let mut seen: HashSet<&Path> = HashSet::new();
    for article in &changes.articles {
        if seen.insert(&article.path)
            && let Ok(meta) = fs::metadata(root.join(&article.path))
        {
            files.add(
                article.path.to_path_buf(),
                Stamp::of(&meta, started),
                Some(Summary::of(article)),
            );
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
            files.add(problem.path.clone(), Stamp::of(&meta, started), None);
        }
    }
    problems.extend(changes.problems.iter().cloned());
}
