//! The thread that keeps the archive's snapshot, and what it is told.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime};

use super::Incoming;
use super::background::{ForSnapshot, forward_first_load};
use crate::library::LoadOptions;
use crate::message::Job;
use crate::snapshot::{self, Held};
use crate::watch::Changes;

/// What the thread that keeps the archive's snapshot is told.
pub(super) enum CacheOrder {
    /// A full load (or reload) is over: the snapshot is built from it.
    Built {
        /// What the load gave.
        kept: ForSnapshot,
        /// When the load began (later mtimes are not trusted).
        started: SystemTime,
    },
    /// Changes the reader is given (live reload, a file read again).
    Applied(Changes),
    /// Check the folder against the snapshot; report what changed.
    Refresh,
}

/// How long the snapshot waits after a change before it is written, so a
/// burst of changes is one write.
pub(super) const SNAPSHOT_DELAY: Duration = Duration::from_secs(2);

/// The same changes, for the snapshot (`Changes` is not `Clone`).
pub(super) fn copy_changes(changes: &Changes) -> Changes {
    Changes {
        paths: changes.paths.clone(),
        articles: changes.articles.clone(),
        problems: changes.problems.clone(),
        rescan: changes.rescan,
        check: changes.check,
        started: changes.started,
    }
}

/// Sends `changes` to the loop, and a copy to the snapshot's keeper.
pub(super) fn send_changes(
    changes: Changes,
    sender: &Sender<Incoming>,
    cache: Option<&Sender<CacheOrder>>,
) -> bool {
    if let Some(cache) = cache {
        let _ = cache.send(CacheOrder::Applied(copy_changes(&changes)));
    }
    sender.send(Incoming::Job(Job::Changed(changes))).is_ok()
}

/// Articles of the snapshot sent to the loop at a time.
const PIECE: usize = 65_536;

/// Starts the thread that keeps the archive's snapshot (in `file`): it
/// loads it and sends the whole list at once (`Job::FromSnapshot`), or,
/// when there is none usable, says why in one line and starts the first
/// load; then it takes in every change, checks the folder when asked, and
/// writes the snapshot (at once after a full load, else a moment after
/// the last change). Everything here runs off the loop.
pub(super) fn spawn_cache(
    root: PathBuf,
    file: PathBuf,
    options: LoadOptions,
    sender: Sender<Incoming>,
) -> Option<Sender<CacheOrder>> {
    let (orders, incoming) = mpsc::channel::<CacheOrder>();
    let loader_orders = orders.clone();
    let fallback = (root.clone(), options.clone(), sender.clone());
    let started = std::thread::Builder::new()
        .name("newsdesk-cache".into())
        .spawn(move || {
            let mut keeper = CacheKeeper {
                root,
                file,
                options,
                sender,
                held: None,
                waiting: Vec::new(),
                dirty_since: None,
                save_failed: false,
            };
            keeper.start(loader_orders);
            keeper.serve(&incoming);
        });
    match started {
        Ok(_) => Some(orders),
        // No keeper (no thread to be had): the reader loads as with --no-cache.
        Err(_) => {
            let (root, options, sender) = fallback;
            forward_first_load(root, options, sender, None);
            None
        }
    }
}

/// The snapshot's keeper (see [`spawn_cache`]).
pub(super) struct CacheKeeper {
    root: PathBuf,
    file: PathBuf,
    options: LoadOptions,
    sender: Sender<Incoming>,
    /// The snapshot of what the reader holds, once there is one: stamps
    /// only, its summaries left in the file (see [`Held`]).
    held: Option<Held>,
    /// Changes that came before the first snapshot was built.
    waiting: Vec<Changes>,
    /// When the held snapshot first changed since it was written.
    dirty_since: Option<Instant>,
    /// A write failed once already (said once, not at every change).
    save_failed: bool,
}

impl CacheKeeper {
    fn start(&mut self, orders: Sender<CacheOrder>) {
        // In pieces: the loop stages one while the next is made (at a
        // million articles, half a second of the start).
        let sender = self.sender.clone();
        let mut sent = false;
        crate::trace::point("cache start");
        let loaded = Held::load(&self.file, &self.root, PIECE, |part| {
            sent = true;
            crate::trace::point("part sent");
            let _ = sender.send(Incoming::Job(Job::FromSnapshotPart(part)));
        });
        if loaded.is_err() && sent {
            let _ = self.sender.send(Incoming::Job(Job::SnapshotFailed));
        }
        match loaded {
            Ok((held, articles, problems)) => {
                crate::trace::point("decoded");
                self.held = Some(held);
                let _ = self
                    .sender
                    .send(Incoming::Job(Job::FromSnapshot { articles, problems }));
            }
            Err(e) => {
                if let Some(notice) = e.notice() {
                    let _ = self.sender.send(Incoming::Notice(notice));
                }
                forward_first_load(
                    self.root.clone(),
                    self.options.clone(),
                    self.sender.clone(),
                    Some(orders),
                );
            }
        }
    }

    fn serve(&mut self, orders: &Receiver<CacheOrder>) {
        loop {
            let order = match self.dirty_since {
                Some(since) => orders.recv_timeout(SNAPSHOT_DELAY.saturating_sub(since.elapsed())),
                None => orders.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match order {
                Ok(CacheOrder::Built { kept, started }) => {
                    match Held::build(&self.root, kept.listed, &kept.problems, started) {
                        Ok(mut built) => {
                            for changes in self.waiting.drain(..) {
                                built.apply(&self.root, &changes);
                            }
                            self.held = Some(built);
                            let _ = self.sender.send(Incoming::Job(Job::SnapshotHeld));
                            self.save();
                        }
                        Err(e) => self.say_once(&e.to_string()),
                    }
                }
                Ok(CacheOrder::Applied(changes)) => match &mut self.held {
                    Some(held) => {
                        held.apply(&self.root, &changes);
                        self.dirty_since.get_or_insert_with(Instant::now);
                    }
                    None => self.waiting.push(changes),
                },
                Ok(CacheOrder::Refresh) => {
                    let Some(held) = &mut self.held else {
                        continue;
                    };
                    let changes = snapshot::refresh(&self.root, held, &self.options);
                    if !changes.paths.is_empty() {
                        held.apply(&self.root, &changes);
                        self.dirty_since.get_or_insert_with(Instant::now);
                    }
                    if self
                        .sender
                        .send(Incoming::Job(Job::Changed(changes)))
                        .is_err()
                    {
                        return;
                    }
                }
                Err(RecvTimeoutError::Timeout) => self.save(),
                Err(RecvTimeoutError::Disconnected) => {
                    if self.dirty_since.is_some() {
                        self.save();
                    }
                    return;
                }
            }
        }
    }

    fn save(&mut self) {
        self.dirty_since = None;
        if let Some(held) = &mut self.held
            && let Err(e) = held.save(&self.file)
        {
            self.say_once(&e.to_string());
        }
    }

    fn say_once(&mut self, why: &str) {
        if !self.save_failed {
            self.save_failed = true;
            let _ = self.sender.send(Incoming::Notice(format!(
                "cannot keep the archive cache ({why}); the next start reads every file"
            )));
        }
    }
}
