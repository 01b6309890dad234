//! The index's worker thread: opens (or builds) the index off the loop and
//! applies the folder's changes to it, reporting through [`IndexJob`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

use super::{Opened, TextIndex, dir_for};
use crate::watch::Changes;

/// What the background index work says to the reader (carried by
/// `Job::Index`).
#[derive(Debug)]
pub enum IndexJob {
    /// The worker is running: changes of the folder go to it.
    Started(IndexWorker),
    /// The first build moved on: `done` of `total` articles.
    Progress {
        /// Articles indexed so far.
        done: usize,
        /// Articles in all.
        total: usize,
    },
    /// The index is complete (built, opened, or updated): searches use it.
    Ready(Arc<TextIndex>),
    /// Something for the status bar (an old index was unreadable and is
    /// rebuilt).
    Notice(String),
    /// The index cannot be used (searches keep the scan), and why.
    Failed(String),
}

impl IndexJob {
    /// The status bar's words for a build in progress: `indexing 41%`.
    pub fn progress_text(done: usize, total: usize) -> String {
        format!(
            "indexing {}%",
            (done * 100).checked_div(total).unwrap_or(0).min(100)
        )
    }
}

/// The handle of the background index work: takes the folder's changes.
#[derive(Debug, Clone)]
pub struct IndexWorker {
    changes: mpsc::Sender<Changes>,
}

impl IndexWorker {
    /// Queues a change of the folder for the index (the articles are
    /// copied; the reader keeps its own). Never waits.
    pub fn update(&self, changes: &Changes) {
        // A worker that has stopped (after a failure) takes nothing: the
        // reader then searches by the scan, so nothing is lost.
        let _ = self.changes.send(Changes {
            paths: changes.paths.clone(),
            articles: changes.articles.clone(),
            ..Changes::default()
        });
    }
}

/// Starts the index work for the archive at `root` on a thread of its own:
/// opens the index (milliseconds when complete), else loads the folder and
/// builds it (tantivy's writer on two threads), reporting through `send`;
/// then applies the folder's changes as they come, coalesced, and says
/// [`IndexJob::Ready`] after each. `send` returns false when the reader is gone.
pub fn spawn(
    root: PathBuf,
    options: crate::library::LoadOptions,
    send: impl Fn(IndexJob) -> bool + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("newsdesk-index".into())
        .spawn(move || {
            let (tx, rx) = mpsc::channel();
            if !send(IndexJob::Started(IndexWorker { changes: tx })) {
                return;
            }
            let index = match open_or_build(&root, &options, &send) {
                Ok(index) => Arc::new(index),
                Err(e) => {
                    send(IndexJob::Failed(e.to_string()));
                    return;
                }
            };
            // Failing, the reader's searcher maps documents the slow way.
            let _ = index.prepare_paths();
            if !send(IndexJob::Ready(Arc::clone(&index))) {
                return;
            }
            while let Ok(mut changes) = rx.recv() {
                while let Ok(more) = rx.try_recv() {
                    changes.merge(more);
                }
                if let Err(e) = index.update(&changes) {
                    send(IndexJob::Failed(e.to_string()));
                    return;
                }
                let _ = index.prepare_paths();
                if !send(IndexJob::Ready(Arc::clone(&index))) {
                    return;
                }
            }
        })
}

fn open_or_build(
    root: &Path,
    options: &crate::library::LoadOptions,
    send: &impl Fn(IndexJob) -> bool,
) -> Result<TextIndex, String> {
    let dir = dir_for(root).map_err(|e| e.to_string())?;
    let (index, opened) = TextIndex::open(&dir).map_err(|e| e.to_string())?;
    match opened {
        Opened::Ready => return Ok(index),
        Opened::NeedsBuild { notice: Some(n) } => {
            send(IndexJob::Notice(n));
        }
        Opened::NeedsBuild { notice: None } => {}
    }
    send(IndexJob::Progress { done: 0, total: 0 });
    // Streamed from the loader: the articles are not all held at once.
    let (articles, files) = crate::library::stream(root, options).map_err(|e| e.to_string())?;
    index
        .build(articles, |done| {
            send(IndexJob::Progress {
                done,
                total: files.get(),
            });
        })
        .map_err(|e| e.to_string())?;
    Ok(index)
}
