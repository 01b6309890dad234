//! Finding and loading a folder of articles, with every problem found on the way.
//!
//! Loading never stops at a bad file: each one becomes a [`Problem`] and the
//! rest load. Only a folder that cannot be read at all is an error.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::article::{Article, Form};

/// The default size limit for one article file: 8 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The file was read, with something odd in it.
    Warning,
    /// The file was skipped.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Something wrong with one file or folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The path, relative to the articles folder.
    pub path: PathBuf,
    /// 1-based line, where there is one.
    pub line: Option<usize>,
    /// Whether the file was skipped.
    pub severity: Severity,
    /// What is wrong, and what to do.
    pub message: String,
}

impl fmt::Display for Problem {
    /// `PATH[:LINE]: error|warning: MESSAGE`, the form `newsdesk check` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}: {}", self.severity, self.message)
    }
}

/// Why a folder could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The path does not exist.
    #[error(
        "{0}: no such folder; give the path of a folder of articles (newsdesk PATH), or set articles = \"...\" in config.toml"
    )]
    Missing(PathBuf),
    /// The path is a file, not a folder.
    #[error(
        "{0}: is a file, not a folder; give the folder that holds it, or open it with newsdesk show FILE"
    )]
    NotAFolder(PathBuf),
    /// The folder exists but cannot be listed.
    #[error("{path}: cannot be read ({source}); check its permissions")]
    Unreadable {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

/// What loading needs to know.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Files larger than this are skipped with an error.
    pub max_file_size: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// A loaded folder: the articles, newest first, and the problems.
#[derive(Debug, Default)]
pub struct Library {
    /// The folder read.
    pub root: PathBuf,
    /// Every article that could be read.
    pub articles: Vec<Article>,
    /// Every problem met, in path order.
    pub problems: Vec<Problem>,
}

/// One file to read, found by [`discover`].
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Where to read it.
    pub path: PathBuf,
    /// Its path relative to the articles folder.
    pub relative: PathBuf,
    /// Its form, from the extension.
    pub form: Form,
}

fn relative_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn form_of(path: &Path) -> Option<Form> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" => Some(Form::Plain),
        "md" | "markdown" => Some(Form::Markdown),
        _ => None,
    }
}

/// A README beside the articles describes the folder; it is not an article.
fn is_readme(name: &str) -> bool {
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
/// (so parsing can start before the walk ends) and each problem to `problem`.
pub fn walk(
    root: &Path,
    options: &LoadOptions,
    found: &mut dyn FnMut(Candidate),
    problems: &mut dyn FnMut(Problem),
) {
    struct Push<'a>(&'a mut dyn FnMut(Problem));
    impl Push<'_> {
        fn push(&mut self, p: Problem) {
            (self.0)(p)
        }
    }
    let mut problems = Push(problems);
    let mut seen_dirs: HashSet<(u64, u64)> = HashSet::new();
    if let Ok(m) = fs::metadata(root) {
        seen_dirs.insert((m.dev(), m.ino()));
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                problems.push(problem(
                    root,
                    &dir,
                    Severity::Error,
                    format!("folder cannot be read ({e}); check its permissions"),
                ));
                continue;
            }
        };
        let mut names: Vec<_> = entries.filter_map(Result::ok).collect();
        names.sort_by_key(|e| e.file_name());
        // Pushed in reverse so folders are read in name order.
        let mut subdirs = Vec::new();
        for entry in names {
            let name = entry.file_name();
            let name_text = name.to_string_lossy();
            if name_text.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let is_link = entry.file_type().map(|t| t.is_symlink()).unwrap_or(false);
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
                        problems.push(problem(root, &path, Severity::Error, message));
                    }
                    continue;
                }
            };
            if meta.is_dir() {
                if seen_dirs.insert((meta.dev(), meta.ino())) {
                    subdirs.push(path);
                } else if is_link {
                    problems.push(problem(
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
                problems.push(problem(
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
        stack.extend(subdirs.into_iter().rev());
    }
}

fn too_large_message(len: u64, max: u64) -> String {
    format!(
        "file is {:.1} MiB, over the limit of {:.1} MiB; skipped (raise max_file_size in config.toml to read it)",
        len as f64 / 1048576.0,
        max as f64 / 1048576.0
    )
}

fn problem(root: &Path, path: &Path, severity: Severity, message: String) -> Problem {
    Problem {
        path: relative_to(root, path),
        line: None,
        severity,
        message,
    }
}

/// Reads and parses one file: the article and its warnings, or the error.
pub fn load_one(candidate: &Candidate, options: &LoadOptions) -> (Option<Article>, Vec<Problem>) {
    let at = |line, severity, message| Problem {
        path: candidate.relative.clone(),
        line,
        severity,
        message,
    };
    let bytes = match read_limited(&candidate.path, options.max_file_size) {
        Ok(bytes) => bytes,
        Err(message) => return (None, vec![at(None, Severity::Error, message)]),
    };
    match Article::parse(&bytes, candidate.form) {
        Ok(mut article) => {
            article.path = candidate.relative.clone();
            let warnings = article
                .warnings
                .iter()
                .map(|w| at(w.line, Severity::Warning, w.message.clone()))
                .collect();
            (Some(article), warnings)
        }
        Err(e) => (None, vec![at(e.line, Severity::Error, e.message)]),
    }
}

/// Reads a file, refusing one that has grown past the limit since it was listed.
fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = fs::File::open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => {
            "file disappeared while loading; skipped (load again to pick up changes)".to_owned()
        }
        _ => format!("cannot be read ({e}); check its permissions"),
    })?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read ({e}); check the file"))?;
    if bytes.len() as u64 > max {
        return Err(too_large_message(bytes.len() as u64, max));
    }
    Ok(bytes)
}

/// What one loader thread reports for one file.
pub type Loaded = (usize, Option<Article>, Vec<Problem>);

/// Parses the candidates on `threads` threads, sending each result as it is
/// ready (tagged with the candidate's index). Returns when all are sent.
pub fn load_into(
    candidates: &[Candidate],
    options: &LoadOptions,
    threads: usize,
    sender: &mpsc::Sender<Loaded>,
) {
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            let sender = sender.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(candidate) = candidates.get(i) else {
                        break;
                    };
                    let (article, problems) = load_one(candidate, options);
                    if sender.send((i, article, problems)).is_err() {
                        break;
                    }
                }
            });
        }
    });
}

/// The number of loader threads: one per core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

/// The archive order: newest first (undated after dated), then by path.
pub fn newest_first(a: &Article, b: &Article) -> std::cmp::Ordering {
    b.date
        .is_some()
        .cmp(&a.date.is_some())
        .then(b.date.cmp(&a.date))
        .then_with(|| a.path.cmp(&b.path))
}

/// Orders articles newest first (undated after dated), then by path.
pub fn sort_articles(articles: &mut [Article]) {
    articles.sort_by(newest_first);
}

/// What the background loader reports, in the order it happens.
#[derive(Debug)]
pub enum LoadEvent {
    /// One file read: its article (if it could be read) and its problems.
    Loaded(Option<Box<Article>>, Vec<Problem>),
    /// A problem met while walking the folders.
    Problem(Problem),
    /// The walk is over: this many files will be reported in all.
    Total(usize),
    /// Every file has been reported.
    Done,
}

/// Loads `root` on background threads (one walker, `threads` parsers), sending
/// each result as soon as it is ready. The reader draws while this runs.
pub fn spawn_loader(
    root: PathBuf,
    options: LoadOptions,
    threads: usize,
) -> mpsc::Receiver<LoadEvent> {
    let (events, receiver) = mpsc::channel();
    let (work, queue) = mpsc::channel::<Candidate>();
    let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
    let mut workers = Vec::new();
    for _ in 0..threads.max(1) {
        let queue = std::sync::Arc::clone(&queue);
        let events = events.clone();
        let options = options.clone();
        workers.push(std::thread::spawn(move || {
            loop {
                // A poisoned lock means another worker panicked: stop quietly,
                // the others and the walker go on.
                let next = match queue.lock() {
                    Ok(q) => q.recv(),
                    Err(_) => break,
                };
                let Ok(candidate) = next else { break };
                let (article, problems) = load_one(&candidate, &options);
                if events
                    .send(LoadEvent::Loaded(article.map(Box::new), problems))
                    .is_err()
                {
                    break;
                }
            }
        }));
    }
    std::thread::spawn(move || {
        let mut count = 0;
        {
            let problem_events = events.clone();
            walk(
                &root,
                &options,
                &mut |c| {
                    count += 1;
                    let _ = work.send(c);
                },
                &mut |p| {
                    let _ = problem_events.send(LoadEvent::Problem(p));
                },
            );
        }
        let _ = events.send(LoadEvent::Total(count));
        drop(work);
        for w in workers {
            let _ = w.join();
        }
        let _ = events.send(LoadEvent::Done);
    });
    receiver
}

/// Loads a whole folder, in parallel, and returns it sorted.
pub fn load(root: &Path, options: &LoadOptions) -> Result<Library, LoadError> {
    let (candidates, mut problems) = discover(root, options)?;
    let (sender, receiver) = mpsc::channel();
    let mut slots: Vec<Option<Article>> = vec![None; candidates.len()];
    std::thread::scope(|scope| {
        scope.spawn(|| load_into(&candidates, options, default_threads(), &sender));
        // Every candidate sends exactly one result, so this ends.
        for (i, article, mut found) in receiver.iter().take(candidates.len()) {
            slots[i] = article;
            problems.append(&mut found);
        }
    });
    let mut articles: Vec<Article> = slots.into_iter().flatten().collect();
    sort_articles(&mut articles);
    problems.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    Ok(Library {
        root: root.to_path_buf(),
        articles,
        problems,
    })
}

/// Loads one file on its own (for `newsdesk show`).
pub fn load_file(path: &Path, options: &LoadOptions) -> (Option<Article>, Vec<Problem>) {
    let form = form_of(path).unwrap_or(Form::Plain);
    let candidate = Candidate {
        path: path.to_path_buf(),
        relative: path.to_path_buf(),
        form,
    };
    load_one(&candidate, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Date;

    #[test]
    fn newest_first_then_path() {
        let mk = |p: &str, d: Option<Date>| Article {
            path: p.into(),
            date: d,
            ..Article::default()
        };
        let mut v = vec![
            mk("b", None),
            mk("a", None),
            mk("z", Date::new(2001, 1, 1)),
            mk("y", Date::new(2005, 1, 1)),
        ];
        sort_articles(&mut v);
        let order: Vec<_> = v.iter().map(|a| a.path.display().to_string()).collect();
        assert_eq!(order, ["y", "z", "a", "b"]);
    }

    #[test]
    fn problem_display_matches_check_format() {
        let p = Problem {
            path: "a/b.txt".into(),
            line: Some(3),
            severity: Severity::Warning,
            message: "odd".into(),
        };
        assert_eq!(p.to_string(), "a/b.txt:3: warning: odd");
    }
}
