//! Background work that reports on the loop's channel: the first load, a
//! full reload, the full-text index, the folder watch, and the words for
//! the search.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::SystemTime;

use super::Incoming;
use super::cache::{CacheOrder, send_changes};
use crate::library::{self, LoadEvent, LoadOptions, Problem};
use crate::message::Job;
use crate::snapshot::held::Listed;
use crate::watch::{self};

/// What a full load keeps for the snapshot: each article's path and
/// summary, encoded, and every problem (the articles go to the reader).
#[derive(Default)]
pub(super) struct ForSnapshot {
    pub(super) listed: Listed,
    pub(super) problems: Vec<Problem>,
}

impl ForSnapshot {
    fn keep(&mut self, articles: &[crate::article::Article], problems: &[Problem]) {
        for article in articles {
            self.listed.push(article);
        }
        self.problems.extend_from_slice(problems);
    }
}

/// The first load: its batches go to the loop as they come; with a `cache`,
/// what the snapshot needs goes to it at the end.
pub(super) fn forward_first_load(
    root: PathBuf,
    options: LoadOptions,
    sender: Sender<Incoming>,
    cache: Option<Sender<CacheOrder>>,
) {
    let started = SystemTime::now();
    let events = library::spawn_loader(root, options, library::default_threads());
    std::thread::spawn(move || {
        let mut kept = ForSnapshot::default();
        for event in events {
            let job = match event {
                LoadEvent::Loaded(mut articles, problems, files) => {
                    if cache.is_some() {
                        kept.keep(&articles, &problems);
                    }
                    // The text goes here, off the loop: at a million
                    // articles, keeping it was gigabytes (and the words
                    // made from it more); the file is read when shown.
                    for article in &mut articles {
                        article.drop_text();
                    }
                    Job::Loaded {
                        articles,
                        problems,
                        files,
                        shallow: true,
                    }
                }
                LoadEvent::Problem(p) => {
                    if cache.is_some() {
                        kept.problems.push(p.clone());
                    }
                    Job::Loaded {
                        articles: Vec::new(),
                        problems: vec![p],
                        files: 0,
                        shallow: true,
                    }
                }
                LoadEvent::Total(n) => Job::LoadTotal(n),
                LoadEvent::Done => break,
            };
            if sender.send(Incoming::Job(job)).is_err() {
                return;
            }
        }
        let _ = sender.send(Incoming::Job(Job::LoadDone));
        if let Some(cache) = cache {
            let _ = cache.send(CacheOrder::Built { kept, started });
        }
    });
}

/// A full reload: everything is gathered, then sent as one report (and
/// the snapshot is built anew from it).
pub(super) fn forward_reload(
    root: PathBuf,
    options: LoadOptions,
    sender: Sender<Incoming>,
    cache: Option<Sender<CacheOrder>>,
) {
    let started = SystemTime::now();
    let events = library::spawn_loader(root, options, library::default_threads());
    std::thread::spawn(move || {
        let (mut articles, mut problems) = (Vec::new(), Vec::new());
        for event in events {
            match event {
                LoadEvent::Loaded(mut a, mut p, _) => {
                    articles.append(&mut a);
                    problems.append(&mut p);
                }
                LoadEvent::Problem(p) => problems.push(p),
                LoadEvent::Total(_) => {}
                LoadEvent::Done => break,
            }
        }
        let mut kept = ForSnapshot::default();
        if cache.is_some() {
            kept.keep(&articles, &problems);
        }
        // As the first load: the text is read again when shown.
        for article in &mut articles {
            article.drop_text();
        }
        let _ = sender.send(Incoming::Job(Job::Reloaded { articles, problems }));
        if let Some(cache) = cache {
            let _ = cache.send(CacheOrder::Built { kept, started });
        }
    });
}

/// Starts the full-text index's background work (open, or build on both
/// cores, then follow the folder's changes), passing on what it reports.
pub(super) fn forward_index(root: PathBuf, options: LoadOptions, sender: Sender<Incoming>) {
    let report = sender.clone();
    let spawned = crate::index::spawn(root, options, move |job| {
        report.send(Incoming::Job(Job::Index(job))).is_ok()
    });
    if let Err(e) = spawned {
        let why = crate::index::IndexJob::Failed(e.to_string());
        let _ = sender.send(Incoming::Job(Job::Index(why)));
    }
}

/// Sets up the folder watch on its own thread, then passes on what it reports.
pub(super) fn forward_watch(
    root: PathBuf,
    options: LoadOptions,
    sender: Sender<Incoming>,
    cache: Option<Sender<CacheOrder>>,
) {
    let spawned = library::spawn_worker({
        let sender = sender.clone();
        move || match watch::watch(&root, options) {
            Ok(watch) => {
                if sender.send(Incoming::Job(Job::WatchReady)).is_err() {
                    return;
                }
                for changes in watch.changes.iter() {
                    if !send_changes(changes, &sender, cache.as_ref()) {
                        return;
                    }
                }
            }
            Err(e) => {
                let _ = sender.send(Incoming::Job(Job::WatchFailed(e.to_string())));
            }
        }
    });
    if let Err(e) = spawned {
        let _ = sender.send(Incoming::Job(Job::WatchFailed(e.to_string())));
    }
}

/// How many articles' words go to the loop in one report.
pub(super) const WORDS_BATCH: usize = 512;

/// Reads `files` for their words (on a worker), in batches, then says it is
/// done. A file that cannot be read gives no words: the reader keeps what
/// the list knows of it (title, authors) once the rest is done.
pub(super) fn prepare_words(
    root: &Path,
    options: &LoadOptions,
    generation: u64,
    files: Vec<(u32, PathBuf)>,
    sender: &Sender<Incoming>,
) {
    for chunk in files.chunks(WORDS_BATCH) {
        let words = chunk
            .iter()
            .filter_map(|(id, path)| {
                let candidate = library::Candidate {
                    path: root.join(path),
                    relative: path.clone(),
                    form: library::form_of(path).unwrap_or(crate::article::Form::Plain),
                };
                let (article, _) = library::load_one_guarded(&candidate, options);
                article.map(|a| (*id, crate::query::eval::ArticleWords::new(&a)))
            })
            .collect();
        if sender
            .send(Incoming::Job(Job::Words { generation, words }))
            .is_err()
        {
            return;
        }
    }
    let _ = sender.send(Incoming::Job(Job::WordsDone { generation }));
}
