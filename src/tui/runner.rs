//! Running the effects `update` leaves.

use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::Sender;

use super::Incoming;
use super::background::{forward_index, forward_reload, forward_watch, prepare_words};
use super::cache::{CacheOrder, copy_changes, send_changes};
use super::terminal::{Input, run_in_terminal, suspend};
use crate::app::{App, Effect};
use crate::bodies::BodyStore;
use crate::config::Config;
use crate::library::{self, LoadOptions};
use crate::links;
use crate::message::Job;
use crate::watch::{self};

/// When a file was last changed (`None`: it cannot be read).
pub(super) fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Runs the effects `update` leaves, starting background work that reports
/// on the loop's channel.
pub(super) struct Runner<'a> {
    pub(super) sender: Sender<Incoming>,
    pub(super) options: LoadOptions,
    pub(super) input: Input,
    pub(super) watch_started: bool,
    pub(super) config: &'a Config,
    /// Whole articles for those that came without their text.
    pub(super) bodies: BodyStore,
    /// The snapshot's keeper (none with --no-cache).
    pub(super) cache: Option<Sender<CacheOrder>>,
}

impl Runner<'_> {
    /// The watch walks every folder (a second or more on a big archive), so
    /// it starts once the first rows are drawn.
    /// Whether the full-text index's work was started now.
    pub(super) fn start_watch_once(&mut self, root: &Path) -> bool {
        if self.watch_started {
            return false;
        }
        {
            self.watch_started = true;
            forward_watch(
                root.to_path_buf(),
                self.options.clone(),
                self.sender.clone(),
                self.cache.clone(),
            );
            // The index lives in the cache folder too: none with --no-cache.
            if self.cache.is_some() {
                forward_index(
                    root.to_path_buf(),
                    self.options.clone(),
                    self.sender.clone(),
                );
                return true;
            }
        }
        false
    }

    pub(super) fn run(
        &mut self,
        effect: Effect,
        app: &mut App,
        terminal: &mut ratatui::DefaultTerminal,
    ) -> io::Result<()> {
        match effect {
            Effect::OpenUrl(url) => {
                let sender = self.sender.clone();
                links::open_url(&url, move |text| {
                    let _ = sender.send(Incoming::Notice(text));
                });
            }
            Effect::Copy(text) => {
                let mut out = io::stdout();
                out.write_all(links::osc52(&text).as_bytes())?;
                out.flush()?;
            }
            Effect::Suspend => {
                self.input.pause();
                let suspended = suspend(terminal, self.config.mouse);
                self.input.resume();
                suspended?;
            }
            Effect::RunInTerminal {
                command,
                reread,
                stdin,
            } => {
                let full = reread.as_ref().map(|p| app.root().join(p));
                let before = full.as_deref().and_then(modified);
                self.input.pause();
                let outcome = run_in_terminal(terminal, self.config.mouse, &command, stdin);
                self.input.resume();
                if let Err(why) = outcome? {
                    app.handover_failed(&command, &why);
                }
                // Read again what the program changed, as live reload would.
                if let (Some(rel), Some(full)) = (reread, full)
                    && modified(&full) != before
                {
                    let paths = std::iter::once(rel).collect();
                    let changes = watch::read(app.root(), paths, &self.options);
                    if let Some(cache) = &self.cache {
                        let _ = cache.send(CacheOrder::Applied(copy_changes(&changes)));
                    }
                    self.bodies.forget(&changes.paths);
                    app.update(Job::Changed(changes));
                }
            }
            Effect::Reload => forward_reload(
                app.root().to_path_buf(),
                self.options.clone(),
                self.sender.clone(),
                self.cache.clone(),
            ),
            Effect::Import => self.start_import(app),
            // The loop holds the state file and reads it (StateFile::read_again).
            Effect::ReadState => {}
            Effect::SaveView { path, name, query } => {
                match crate::views::save(&path, &name, &query) {
                    Ok(()) => app.view_saved(&name, &query),
                    Err(e) => app.set_notice(e.to_string()),
                }
            }
            Effect::CatchUp { articles, problems } => {
                let (root, options) = (app.root().to_path_buf(), self.options.clone());
                let (sender, cache) = (self.sender.clone(), self.cache.clone());
                let _ = library::spawn_worker(move || {
                    let changes = watch::missed(&root, articles, problems, &options);
                    send_changes(changes, &sender, cache.as_ref());
                });
            }
            // Read on the loop: one file, bounded by max_file_size, from the
            // page cache as a rule; the page then shows whole at the next draw.
            Effect::ReadBody(path) => {
                let article = self.bodies.get(&path);
                app.update(Job::Body { path, article });
            }
            Effect::Refresh => {
                if let Some(cache) = &self.cache {
                    let _ = cache.send(CacheOrder::Refresh);
                }
            }
            Effect::PrepareWords { generation, files } => {
                let (root, options) = (app.root().to_path_buf(), self.options.clone());
                let sender = self.sender.clone();
                let _ = library::spawn_worker(move || {
                    prepare_words(&root, &options, generation, files, &sender);
                });
            }
        }
        Ok(())
    }

    #[cfg(feature = "import")]
    fn start_import(&mut self, app: &mut App) {
        use crate::import;
        let sources = import::sources(Vec::new(), self.config);
        if sources.is_empty() {
            app.set_notice(import::no_feeds_message(self.config));
            return;
        }
        let options = import::Options {
            into: app.root().to_path_buf(),
            timeout: self.config.import_timeout,
            today: import::today(),
            parallel: 4,
        };
        let sender = self.sender.clone();
        let worker = library::spawn_worker(move || {
            let progress = sender.clone();
            let result = import::import(sources, &options, &mut |p| {
                let _ = progress.send(Incoming::Job(Job::ImportProgress(p.clone())));
            });
            let _ = sender.send(Incoming::Job(Job::ImportFinished(
                result.map_err(|e| e.to_string()),
            )));
        });
        match worker {
            Ok(()) => app.import_started(),
            Err(e) => app.set_notice(format!("cannot start the import ({e})")),
        }
    }

    #[cfg(not(feature = "import"))]
    fn start_import(&mut self, app: &mut App) {
        app.set_notice(crate::import::UNAVAILABLE.to_owned());
    }
}
