//! Finding a folder's articles: the walk (hidden entries skipped, symlinks
//! followed, each folder once), what counts as an article file, and the
//! problems met on the way.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::{
    Candidate, LoadError, LoadOptions, Problem, Severity, problem, relative_to, too_large_message,
};
use crate::article::Form;

/// The form of an article file, from its extension; `None` for any other file.
pub fn form_of(path: &Path) -> Option<Form> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" => Some(Form::Plain),
        "md" | "markdown" => Some(Form::Markdown),
        _ => None,
    }
}

/// A README beside the articles describes the folder; it is not an article.
pub fn is_readme(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "readme.md" || lower == "readme.txt"
}

/// Checks that `root` is a readable folder.
pub fn check_root(root: &Path) -> Result<(), LoadError> {
    match fs::metadata(root) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(LoadError::Missing(root.into())),
        Err(source) => Err(LoadError::Unreadable {
            path: root.into(),
            source,
        }),
        Ok(m) if !m.is_dir() => Err(LoadError::NotAFolder(root.into())),
        Ok(_) => fs::read_dir(root)
            .map(drop)
            .map_err(|source| LoadError::Unreadable {
                path: root.into(),
                source,
            }),
    }
}

/// Walks `root` recursively for `.txt` and `.md` files: hidden entries skipped,
/// symlinks followed, each folder read once (so symlink loops end).
pub fn discover(
    root: &Path,
    options: &LoadOptions,
) -> Result<(Vec<Candidate>, Vec<Problem>), LoadError> {
    check_root(root)?;
    let mut found = Vec::new();
    let mut problems = Vec::new();
    walk(root, options, &mut |c| found.push(c), &mut |p| {
        problems.push(p)
    });
    Ok((found, problems))
}

/// Walks `root`, handing each file to read to `found` as soon as it is seen
/// (so parsing can start before the walk ends) and each problem to `report`.
pub fn walk(
    root: &Path,
    options: &LoadOptions,
    found: &mut dyn FnMut(Candidate),
    report: &mut dyn FnMut(Problem),
) {
    let mut seen_dirs: HashSet<(u64, u64)> = HashSet::new();
    if let Ok(m) = fs::metadata(root) {
        seen_dirs.insert((m.dev(), m.ino()));
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                report(problem(
                    root,
                    &dir,
                    Severity::Error,
                    format!("folder cannot be read ({e}); check its permissions"),
                ));
                continue;
            }
        };
        // Entries go out as the folder is read (no sort: the articles are
        // ordered once loaded), so parsing starts at once even in a folder of
        // tens of thousands of files.
        let mut subdirs = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            let name_text = name.to_string_lossy();
            if name_text.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let file_type = entry.file_type().ok();
            let is_link = file_type.is_some_and(|t| t.is_symlink());
            // A plain file needs no stat here: its size is checked when it is read.
            if file_type.is_some_and(|t| t.is_file()) {
                if let Some(form) = form_of(&path)
                    && !is_readme(&name_text)
                {
                    found(Candidate {
                        relative: relative_to(root, &path),
                        path,
                        form,
                    });
                }
                continue;
            }
            let meta = match fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    let message = if e.raw_os_error() == Some(40) {
                        "symlink loop (the link leads back to itself); skipped, remove or fix the link".to_owned()
                    } else if is_link && e.kind() == io::ErrorKind::NotFound {
                        "broken symlink (its target does not exist); skipped, remove or fix the link".to_owned()
                    } else {
                        format!("cannot be read ({e}); check its permissions")
                    };
                    if is_link || form_of(&path).is_some() {
                        report(problem(root, &path, Severity::Error, message));
                    }
                    continue;
                }
            };
            if meta.is_dir() {
                if seen_dirs.insert((meta.dev(), meta.ino())) {
                    subdirs.push(path);
                } else if is_link {
                    report(problem(
                        root,
                        &path,
                        Severity::Warning,
                        "symlink to a folder already read (a loop or a second path to it); skipped"
                            .to_owned(),
                    ));
                }
                continue;
            }
            let Some(form) = form_of(&path) else { continue };
            if is_readme(&name_text) {
                continue;
            }
            if meta.len() > options.max_file_size {
                report(problem(
                    root,
                    &path,
                    Severity::Error,
                    too_large_message(meta.len(), options.max_file_size),
                ));
                continue;
            }
            found(Candidate {
                relative: relative_to(root, &path),
                path,
                form,
            });
        }
        subdirs.sort();
        stack.extend(subdirs.into_iter().rev());
    }
}

/// Walks the folders under `root` (not `root` itself) as [`walk`] does:
/// hidden ones skipped, symlinks followed, each folder once (so a loop ends).
/// `visit` gets each folder's path relative to `root` and its metadata, and
/// says whether to go into it.
pub fn walk_folders(root: &Path, visit: &mut dyn FnMut(&Path, &fs::Metadata) -> bool) {
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    if let Ok(m) = fs::metadata(root) {
        seen.insert((m.dev(), m.ino()));
    }
    let mut stack = vec![PathBuf::new()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            // Only folders and links need a stat: plain files are skipped by type.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if !(kind.is_dir() || kind.is_symlink()) {
                continue;
            }
            let Ok(meta) = entry.path().metadata() else {
                continue;
            };
            if meta.is_dir() && seen.insert((meta.dev(), meta.ino())) {
                let rel = dir.join(&name);
                if visit(&rel, &meta) {
                    stack.push(rel);
                }
            }
        }
    }
}
