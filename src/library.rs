//! Finding and loading a folder of articles, with every problem found on the way.
//!
//! Loading never stops at a bad file: each one becomes a [`Problem`] and the
//! rest load. Only a folder that cannot be read at all is an error.
//!
//! Finding the files (the walk, what counts as an article) is in [`walk`](mod@walk).

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::article::{Article, Form};

pub mod walk;

pub use walk::{check_root, discover, form_of, is_readme, walk, walk_folders};

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
    crate::fault::maybe_panic("parse");
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
            article.path = candidate.relative.as_path().into();
            let warnings = article
                .warnings()
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
    // The size from the open file: the walk does not stat every file.
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > max {
        return Err(too_large_message(size, max));
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read ({e}); check the file"))?;
    if bytes.len() as u64 > max {
        return Err(too_large_message(bytes.len() as u64, max));
    }
    Ok(bytes)
}

fn internal_problem(path: &Path) -> Problem {
    Problem {
        path: path.to_path_buf(),
        line: None,
        severity: Severity::Error,
        message: "newsdesk failed while reading this file (a bug); skipped, please report it with the file".to_owned(),
    }
}

/// [`load_one`], with a panic in the parser turned into a problem for that
/// file: one bad file never takes the others down.
pub fn load_one_guarded(
    candidate: &Candidate,
    options: &LoadOptions,
) -> (Option<Article>, Vec<Problem>) {
    std::panic::catch_unwind(|| load_one(candidate, options))
        .unwrap_or_else(|_| (None, vec![internal_problem(&candidate.relative)]))
}

/// The number of loader threads: one per core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

/// The archive order: newest first (undated after dated), then by path in
/// natural order (`reuters-2` before `reuters-10`).
pub fn newest_first(a: &Article, b: &Article) -> std::cmp::Ordering {
    b.date
        .is_some()
        .cmp(&a.date.is_some())
        .then(b.date.cmp(&a.date))
        // Natural order, so an undated archive reads reuters-2 before reuters-10.
        .then_with(|| {
            crate::sort::natural_cmp(&a.path.to_string_lossy(), &b.path.to_string_lossy())
        })
}

/// Orders articles newest first (undated after dated), then by path in natural order.
pub fn sort_articles(articles: &mut [Article]) {
    // By the sort keys (made once per article), in the order
    // `newest_first` gives: comparing paths naturally in every comparison
    // was most of a start from the snapshot.
    use crate::sort::{SortKeys, SortOrder};
    let keys = SortKeys::of(articles);
    let mut ids: Vec<usize> = (0..articles.len()).collect();
    keys.sort(&mut ids, SortOrder::Newest, None, articles);
    let mut taken: Vec<Article> = articles.iter_mut().map(std::mem::take).collect();
    for (slot, id) in articles.iter_mut().zip(ids) {
        *slot = std::mem::take(&mut taken[id]);
    }
}

/// Orders problems by path, then line, as `check` lists them.
pub fn sort_problems(problems: &mut [Problem]) {
    problems.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
}

/// What the background loader reports, in the order it happens.
#[derive(Debug)]
pub enum LoadEvent {
    /// A batch of files read: the articles that could be read, the problems,
    /// and how many files the batch covered.
    Loaded(Vec<Article>, Vec<Problem>, usize),
    /// A problem met while walking the folders.
    Problem(Problem),
    /// The walk is over: this many files will be reported in all.
    Total(usize),
    /// Every file has been reported.
    Done,
}

/// The name of the threads that parse files (the panic hook knows them).
pub const LOADER_THREAD: &str = "newsdesk-loader";

/// Runs `work` on a background thread named [`LOADER_THREAD`], whose panics
/// the reader's panic hook keeps off the screen.
pub fn spawn_worker(work: impl FnOnce() + Send + 'static) -> io::Result<()> {
    std::thread::Builder::new()
        .name(LOADER_THREAD.to_owned())
        .spawn(work)
        .map(drop)
}

/// Files handed to a loader thread at a time.
const WORK_BATCH: usize = 64;

/// Loads `root` on background threads (one walker, `threads` parsers), sending
/// each result as soon as it is ready. The reader draws while this runs.
pub fn spawn_loader(
    root: PathBuf,
    options: LoadOptions,
    threads: usize,
) -> mpsc::Receiver<LoadEvent> {
    spawn_loader_with(root, options, threads, None)
}

/// Where the loader's threads send their events: at once, or (for a
/// consumer slower than the loader) waiting while `bound` are unread, so
/// the articles read ahead never pile up in memory.
#[derive(Clone)]
enum Events {
    Unbounded(mpsc::Sender<LoadEvent>),
    Bounded(mpsc::SyncSender<LoadEvent>),
}

impl Events {
    fn send(&self, event: LoadEvent) -> Result<(), mpsc::SendError<LoadEvent>> {
        match self {
            Events::Unbounded(s) => s.send(event),
            Events::Bounded(s) => s.send(event),
        }
    }
}

/// [`spawn_loader`]; with `bound`, at most that many events wait unread.
fn spawn_loader_with(
    root: PathBuf,
    options: LoadOptions,
    threads: usize,
    bound: Option<usize>,
) -> mpsc::Receiver<LoadEvent> {
    let (events, receiver) = match bound {
        None => {
            let (s, r) = mpsc::channel();
            (Events::Unbounded(s), r)
        }
        Some(n) => {
            let (s, r) = mpsc::sync_channel(n);
            (Events::Bounded(s), r)
        }
    };
    // Work goes out, and results come back, in batches: one lock and one
    // wake-up per batch rather than per file.
    let (work, queue) = mpsc::channel::<Vec<Candidate>>();
    let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
    let mut workers = Vec::new();
    for _ in 0..threads.max(1) {
        let queue = std::sync::Arc::clone(&queue);
        let events = events.clone();
        let options = options.clone();
        let worker = std::thread::Builder::new().name(LOADER_THREAD.to_owned());
        let spawned = worker.spawn(move || {
            loop {
                // A poisoned lock means another worker panicked: stop quietly,
                // the others and the walker go on.
                let next = match queue.lock() {
                    Ok(q) => q.recv(),
                    Err(_) => break,
                };
                let Ok(batch) = next else { break };
                let mut articles = Vec::with_capacity(batch.len());
                let mut problems = Vec::new();
                for candidate in &batch {
                    let (article, mut found) = load_one_guarded(candidate, &options);
                    articles.extend(article);
                    problems.append(&mut found);
                }
                crate::shared_str::share_texts(&mut articles);
                if events
                    .send(LoadEvent::Loaded(articles, problems, batch.len()))
                    .is_err()
                {
                    break;
                }
            }
        });
        // Without threads (a process limit), the walk below parses by itself.
        workers.extend(spawned.ok());
    }
    let inline = workers
        .is_empty()
        .then(|| (events.clone(), options.clone()));
    std::thread::spawn(move || {
        let mut count = 0;
        {
            let problem_events = events.clone();
            let mut pending = Vec::with_capacity(WORK_BATCH);
            walk(
                &root,
                &options,
                &mut |c| {
                    count += 1;
                    pending.push(c);
                    if let Some((events, options)) = &inline {
                        let c = pending.remove(0);
                        let (article, problems) = load_one_guarded(&c, options);
                        let _ = events.send(LoadEvent::Loaded(
                            article.into_iter().collect(),
                            problems,
                            1,
                        ));
                    } else if pending.len() == WORK_BATCH {
                        let _ = work.send(std::mem::replace(
                            &mut pending,
                            Vec::with_capacity(WORK_BATCH),
                        ));
                    }
                },
                &mut |p| {
                    let _ = problem_events.send(LoadEvent::Problem(p));
                },
            );
            if !pending.is_empty() {
                let _ = work.send(pending);
            }
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
    check_root(root)?;
    // The same loader as the reader's: parsing starts while the walk goes on.
    let mut articles = Vec::new();
    let mut problems = Vec::new();
    for event in spawn_loader(root.to_path_buf(), options.clone(), default_threads()) {
        match event {
            LoadEvent::Loaded(mut batch, mut found, _) => {
                articles.append(&mut batch);
                problems.append(&mut found);
            }
            LoadEvent::Problem(p) => problems.push(p),
            LoadEvent::Total(_) => {}
            LoadEvent::Done => break,
        }
    }
    sort_articles(&mut articles);
    sort_problems(&mut problems);
    Ok(Library {
        root: root.to_path_buf(),
        articles,
        problems,
    })
}

/// Every article of `root` as the loader reads it (in no order), none
/// kept: for work that needs each article once, such as building the
/// full-text index, whose memory then does not grow with the archive. The
/// cell holds the number of files once the walk is over (0 before).
pub fn stream(
    root: &Path,
    options: &LoadOptions,
) -> Result<
    (
        impl Iterator<Item = Article> + use<>,
        std::rc::Rc<std::cell::Cell<usize>>,
    ),
    LoadError,
> {
    check_root(root)?;
    let total = std::rc::Rc::new(std::cell::Cell::new(0));
    let files = std::rc::Rc::clone(&total);
    // A few batches read ahead, no more: the consumer (the index writer)
    // is slower than the loader, and the rest would wait in memory.
    let events = spawn_loader_with(
        root.to_path_buf(),
        options.clone(),
        default_threads(),
        Some(16),
    );
    let articles = events
        .into_iter()
        .map_while(move |event| match event {
            LoadEvent::Done => None,
            LoadEvent::Loaded(batch, _, _) => Some(batch),
            LoadEvent::Total(n) => {
                files.set(n);
                Some(Vec::new())
            }
            LoadEvent::Problem(_) => Some(Vec::new()),
        })
        .flatten();
    Ok((articles, total))
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
    fn a_stream_gives_what_a_load_gives_and_counts_the_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        for n in 0..150 {
            let sub = dir.path().join(format!("f{}", n % 3));
            fs::create_dir_all(&sub).expect("folder");
            fs::write(
                sub.join(format!("a{n}.txt")),
                format!("Title {n}\n\nBody {n}.\n"),
            )
            .expect("write");
        }
        fs::write(dir.path().join("bad.txt"), [0xff, 0xfe, 0]).expect("write");
        let options = LoadOptions::default();
        let loaded = load(dir.path(), &options).expect("loads");
        let (articles, files) = stream(dir.path(), &options).expect("streams");
        let mut streamed: Vec<Article> = articles.collect();
        sort_articles(&mut streamed);
        assert_eq!(streamed, loaded.articles);
        assert_eq!(files.get(), 151, "every file, the unreadable one too");
        assert!(stream(&dir.path().join("missing"), &options).is_err());
    }

    #[test]
    fn undated_articles_go_in_natural_path_order() {
        let mut v: Vec<Article> = ["reuters-10", "reuters-2", "reuters-1"]
            .into_iter()
            .map(|p| Article {
                path: p.into(),
                ..Article::default()
            })
            .collect();
        sort_articles(&mut v);
        let paths: Vec<_> = v.iter().map(|a| a.path.display().to_string()).collect();
        assert_eq!(paths, ["reuters-1", "reuters-2", "reuters-10"]);
    }

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
