//! Background work as the reader sees it: the first load's batches (merged in
//! coalesced steps), full reloads, live changes, the watch and feed imports.
//! Each arrives as a [`Job`] through [`App::update`].

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::{App, Effect, Prompt, Reader};
use crate::article::Article;
use crate::index::IndexJob;
use crate::layout::Focus;
use crate::library::Problem;
use crate::message::{Job, Message};
use crate::watch::Changes;

/// The first load's progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loading {
    /// Files reported so far.
    pub seen: usize,
    /// The number of files in all, once the walk is over.
    pub total: Option<usize>,
}

/// What the reader knows of its background work.
#[derive(Debug, Default)]
pub(super) struct Jobs {
    /// The first load, while it runs.
    pub(super) loading: Option<Loading>,
    /// A full reload is running.
    pub(super) reloading: bool,
    /// A feed import is running: feeds done, feeds in all (so far).
    pub(super) importing: Option<(usize, usize)>,
    /// The folder watch is in place.
    watching: bool,
    /// The catch-up walk has been asked for.
    caught_up: bool,
    /// Changes that came while the first load or a reload ran.
    pending: Option<Changes>,
    /// `--region` names waiting for their tags to load.
    pending_regions: Vec<String>,
    /// Problems that are failed feeds (by location), kept over reloads.
    feed_problems: BTreeSet<PathBuf>,
    /// A snapshot of what is loaded is held in the background, so a lost
    /// event is answered by the folder check (`Effect::Refresh`).
    pub(super) snapshot_held: bool,
    /// The file asked for by the last `Effect::ReadBody` (asked once).
    pub(super) asked_body: Option<PathBuf>,
    /// The archive generation words are being read for (`Effect::PrepareWords`).
    pub(super) preparing_words: Option<u64>,
    /// A complete full-text index is being opened (no build reported yet):
    /// a search over the text waits the moment for it instead of making
    /// every article's words (seconds at a million articles).
    pub(super) index_opening: bool,
}

/// What the status bar says while a search over the text waits for words.
pub(super) const PREPARING_SEARCH: &str = "preparing search";

/// What it says while such a search waits for the index to open.
pub(super) const OPENING_INDEX: &str = "preparing search: opening the index";

impl Jobs {
    /// Whether a problem's path is a failed feed's address, not a file.
    pub(super) fn is_feed_problem(&self, path: &Path) -> bool {
        self.feed_problems.contains(path)
    }
}

impl App {
    /// The full-text index's background work has been started: until it
    /// says it builds (or fails), the index is a moment away.
    pub fn index_coming(&mut self) {
        self.jobs.index_opening = true;
    }

    /// The first load has started (its batches come as [`Job::Loaded`]).
    pub fn start_loading(&mut self) {
        self.jobs.loading = Some(Loading::default());
        if self.archive.rules().geography {
            // The gazetteer's name map takes tens of milliseconds to build:
            // built beside the first frame and the first files' reading, the
            // first merge finds it ready instead of the first frame waiting.
            std::thread::spawn(|| {
                crate::gazetteer::Gazetteer::get();
            });
        }
    }

    /// Selects regions by name as their tags arrive while loading (`--region`).
    pub fn select_regions_when_loaded(&mut self, names: Vec<String>) {
        self.jobs.pending_regions = names;
        self.resolve_pending_regions();
    }

    fn resolve_pending_regions(&mut self) {
        if self.jobs.pending_regions.is_empty() {
            return;
        }
        let names = std::mem::take(&mut self.jobs.pending_regions);
        self.jobs.pending_regions = self.select_regions(&names);
    }

    pub(super) fn on_job(&mut self, job: Job) {
        match job {
            Job::Loaded {
                articles,
                problems,
                files,
                shallow,
            } => {
                if let Some(loading) = &mut self.jobs.loading {
                    loading.seen += files;
                }
                if shallow {
                    self.archive.stage_shallow(articles, problems);
                } else {
                    self.archive.stage(articles, problems);
                }
                if self.archive.merge_due() {
                    self.merge_staged();
                }
            }
            Job::LoadTotal(total) => {
                if let Some(loading) = &mut self.jobs.loading {
                    loading.total = Some(total);
                }
            }
            Job::LoadDone => {
                self.merge_staged();
                self.finish_loading();
            }
            Job::Reloaded { articles, problems } => self.replace_all(articles, problems),
            Job::Changed(changes) => self.take_changes(changes),
            Job::WatchReady => {
                self.jobs.watching = true;
                self.catch_up_when_ready();
            }
            Job::WatchFailed(why) if self.jobs.snapshot_held && !self.jobs.caught_up => {
                // No watch: the folder is still checked once against the snapshot.
                self.jobs.caught_up = true;
                self.effects.push(Effect::Refresh);
                self.on_job(Job::WatchFailed(why));
                return;
            }
            Job::WatchFailed(why) => {
                self.jobs.watching = false;
                let key = self
                    .keymap
                    .key_for(Message::Reload)
                    .unwrap_or_else(|| "r".into());
                self.notice = Some(format!(
                    "live reload is off ({why}); {key} reads the folder again"
                ));
            }
            Job::FromSnapshotPart(articles) => {
                crate::trace::point("part in");
                self.archive.stage_shallow(articles, Vec::new());
                crate::trace::point("part staged");
                return;
            }
            Job::SnapshotFailed => {
                self.archive.discard_staged();
                return;
            }
            Job::FromSnapshot { articles, problems } => {
                crate::trace::point("last in");
                self.archive.stage_shallow(articles, problems);
                crate::trace::point("last staged");
                self.jobs.snapshot_held = true;
                self.merge_staged();
                crate::trace::point("merged+refiltered");
                self.finish_loading();
                crate::trace::point("finished");
            }
            Job::SnapshotHeld => self.jobs.snapshot_held = true,
            Job::Body { path, article } => self.body_read(&path, article),
            Job::Words { generation, words } => {
                self.archive.set_words(generation, words);
            }
            Job::WordsDone { generation } => {
                if self.jobs.preparing_words == Some(generation) {
                    self.jobs.preparing_words = None;
                    // Files that could not be read keep their title and authors.
                    self.archive.settle_words(generation);
                }
                if self
                    .notice
                    .as_deref()
                    .is_some_and(|n| n.starts_with(PREPARING_SEARCH))
                {
                    self.notice = None;
                }
                // Filters again with the words in (asks again if ids changed meanwhile).
                self.refilter();
            }
            Job::ImportProgress(progress) => self.import_progress(&progress),
            Job::ImportFinished(result) => {
                self.import_finished(result.as_ref().map_err(String::as_str));
                // Without a watch, the new files come in by a full reload.
                if !self.jobs.watching
                    && result.is_ok_and(|r| r.written() > 0)
                    && self.jobs.loading.is_none()
                {
                    self.start_reload();
                }
            }
            Job::Index(job) => self.index_job(job),
        }
        self.sync();
    }

    /// The full-text index's background work: while it builds, searches
    /// scan and the status bar says how far it is; once ready, searches use it.
    fn index_job(&mut self, job: IndexJob) {
        let progress_shown = |n: &Option<String>| n.as_deref().is_some_and(is_index_progress);
        match job {
            IndexJob::Started(worker) => self.archive.set_index_worker(Some(worker)),
            IndexJob::Progress { done, total } => {
                if std::mem::take(&mut self.jobs.index_opening) {
                    // Built, not opened: a search waiting for it reads
                    // the files for their words meanwhile.
                    self.refilter();
                }
                if self.notice.is_none()
                    || progress_shown(&self.notice)
                    || self.notice.as_deref() == Some(OPENING_INDEX)
                {
                    self.notice = Some(IndexJob::progress_text(done, total));
                }
            }
            IndexJob::Notice(notice) => self.notice = Some(notice),
            IndexJob::Ready(index) => {
                self.jobs.index_opening = false;
                if progress_shown(&self.notice) || self.notice.as_deref() == Some(OPENING_INDEX) {
                    self.notice = None;
                }
                self.archive.set_text_index(Some(index));
                // The index now holds the latest changes of the folder.
                self.refilter();
            }
            IndexJob::Failed(why) => {
                self.archive.set_text_index(None);
                self.archive.set_index_worker(None);
                if std::mem::take(&mut self.jobs.index_opening) {
                    self.refilter();
                }
                self.notice = Some(format!("search index off ({why}); searching without it"));
            }
        }
    }

    /// Merges the staged articles into the list: the selection stays on its
    /// article, and a person still on the top row while the first load
    /// streams in stays on the top row (the newest article, not the first to
    /// arrive).
    pub(super) fn merge_staged(&mut self) {
        if self.archive.staged() == 0 {
            return;
        }
        self.archive.merge_staged();
        let on_top =
            self.jobs.loading.is_some() && self.list.selected() == 0 && self.focus != Focus::Reader;
        self.refilter();
        if on_top {
            self.list.select(0);
            self.sync();
        }
        self.resolve_pending_regions();
    }

    /// Loading is over: reports `--region` names no article carries, and
    /// takes the changes that waited.
    pub fn finish_loading(&mut self) {
        self.merge_staged();
        self.jobs.loading = None;
        if !self.jobs.pending_regions.is_empty() {
            self.notice = Some(format!(
                "no article is tagged {}",
                self.jobs.pending_regions.join(", ")
            ));
            self.jobs.pending_regions.clear();
        }
        self.archive.sort_problems();
        self.take_pending_changes();
        self.catch_up_when_ready();
    }

    /// Once the watch is in place and the first load is over, a file added or
    /// removed between the two would be missed: ask the loop to walk the
    /// folder (not read it) for what came or went.
    fn catch_up_when_ready(&mut self) {
        if self.jobs.watching && self.jobs.loading.is_none() && !self.jobs.caught_up {
            self.jobs.caught_up = true;
            self.check_folder();
        }
    }

    /// Finds what changed unseen: with a snapshot held, the folder check
    /// against it (edits too, stats only); else a walk for what came or went.
    fn check_folder(&mut self) {
        if self.jobs.snapshot_held {
            self.effects.push(Effect::Refresh);
        } else {
            self.effects.push(Effect::CatchUp {
                articles: self
                    .articles()
                    .iter()
                    .map(|a| a.path.to_path_buf())
                    .collect(),
                problems: self.problems().iter().map(|p| p.path.clone()).collect(),
            });
        }
    }

    /// The whole article asked for arrived: the open article gets its text
    /// (when it is still the one open) and its page is built again.
    fn body_read(&mut self, path: &Path, article: Result<std::sync::Arc<Article>, Vec<Problem>>) {
        if self.jobs.asked_body.as_deref() == Some(path) {
            self.jobs.asked_body = None;
        }
        let Some(i) = self.reader.article() else {
            return;
        };
        if self.archive.article(i).path != path || !self.archive.is_shallow(i) {
            return;
        }
        match article {
            Ok(whole) => {
                self.archive.fill_text(i, &whole);
                let page = self.build_page(i, self.reader.page().width.max(1));
                self.reader.open(Some(i), page);
                if self.focus == Focus::Reader {
                    self.restore_position();
                }
            }
            Err(problems) => {
                let why = problems
                    .first()
                    .map_or_else(|| "it cannot be read".to_owned(), |p| p.message.clone());
                self.notice = Some(format!(
                    "cannot show the text of {} ({why})",
                    path.display()
                ));
            }
        }
    }

    /// Live changes: applied now, or kept until the first load or a reload is over.
    fn take_changes(&mut self, changes: Changes) {
        match &mut self.jobs.pending {
            Some(pending) => pending.merge(changes),
            None => self.jobs.pending = Some(changes),
        }
        if self.jobs.loading.is_none() && !self.jobs.reloading {
            self.take_pending_changes();
        }
    }

    fn take_pending_changes(&mut self) {
        match self.jobs.pending.take() {
            // Events were lost: read everything again.
            Some(changes) if changes.rescan => self.start_reload(),
            // The watch lost events (its queue overflowed): what it did see
            // is applied, and a walk of the folder (no reading) finds the
            // files that came or went meanwhile. Never a full load.
            Some(changes) if changes.check => {
                self.apply_changes(changes);
                self.check_folder();
            }
            Some(changes) => self.apply_changes(changes),
            None => {}
        }
    }

    /// `r`: a full reload, unless one (or the first load) is running.
    pub(super) fn ask_reload(&mut self) {
        if self.jobs.loading.is_some() || self.jobs.reloading {
            self.notice = Some("still reading the folder; try again when it is done".into());
        } else {
            self.start_reload();
        }
    }

    fn start_reload(&mut self) {
        if !self.jobs.reloading {
            self.jobs.reloading = true;
            self.effects.push(Effect::Reload);
        }
    }

    /// `I`: a feed import, unless one is running.
    pub(super) fn ask_import(&mut self) {
        if self.jobs.importing.is_some() {
            self.notice = Some("an import is already running".into());
        } else if crate::import::AVAILABLE {
            self.effects.push(Effect::Import);
        } else {
            self.notice = Some(crate::import::UNAVAILABLE.to_owned());
        }
    }

    /// Applies what changed in the folder (live reload): the articles and
    /// problems under the changed paths are replaced by those read now, and the
    /// selection, reading position and filters stay.
    pub fn apply_changes(&mut self, changes: Changes) {
        if changes.paths.is_empty() {
            return;
        }
        self.archive.index_changes(&changes);
        let replaced = |p: &Path| {
            changes
                .paths
                .iter()
                .any(|c| crate::paths::is_at_or_under(p, c))
        };
        let reading = self
            .reader
            .article()
            .map(|i| self.archive.article(i).path.clone());
        // Arrivals: articles at paths not known before. A known one is
        // under a changed path, so only those are looked at (a table of
        // every path took a third of a second at a million articles).
        let known: HashSet<&Path> = self
            .archive
            .articles()
            .iter()
            .map(|a| a.path.as_path())
            .filter(|p| replaced(p))
            .collect();
        let arrivals: Vec<&Article> = changes
            .articles
            .iter()
            .filter(|a| !known.contains(a.path.as_path()))
            .collect();
        let arrived = arrivals.len();
        let newest = arrivals
            .into_iter()
            .min_by(|a, b| crate::library::newest_first(a, b))
            .map(|a| a.path.to_path_buf());
        drop(known);
        self.rebuild(
            &replaced,
            &|p: &Problem| replaced(&p.path),
            changes.articles,
            changes.problems,
        );
        let mut said = Vec::new();
        if arrived > 0 {
            self.newest_arrival = newest;
            let key = self
                .keymap
                .key_for(Message::JumpToArrival)
                .map(|k| format!(" ({k} goes to the newest)"))
                .unwrap_or_default();
            said.push(format!(
                "{}{key}",
                crate::format::plural(arrived, "new article", "new articles")
            ));
        }
        if let Some(path) = reading
            && self.archive.id_of(&path).is_none()
        {
            said.push(format!(
                "the article you were reading ({}) was deleted",
                path.display()
            ));
        }
        if !said.is_empty() {
            self.notice = Some(said.join("; "));
        }
    }

    /// Replaces every article and problem (after `r`), keeping selection,
    /// reading position, filters and the problems of failed feeds.
    pub fn replace_all(&mut self, articles: Vec<Article>, problems: Vec<Problem>) {
        let before = self.archive.len();
        let after = articles.len();
        let feeds = self.jobs.feed_problems.clone();
        self.rebuild(
            &|_| true,
            &|p: &Problem| !feeds.contains(&p.path),
            articles,
            problems,
        );
        self.jobs.reloading = false;
        // An import's summary (its reload comes through here when the folder
        // is not watched) stays; otherwise say what the reload found (over
        // the index's progress too, which comes back with its next step).
        let progress = self.notice.as_deref().is_some_and(is_index_progress);
        self.notice = self.notice.take().filter(|_| !progress).or_else(|| {
            Some(format!(
                "reloaded: {} articles ({:+})",
                crate::format::thousands(after),
                after as i64 - before as i64
            ))
        });
        self.take_pending_changes();
    }

    /// Drops the articles and problems the predicates name and adds
    /// `articles` and `problems` (see [`Archive::replace`]); the selected
    /// article, the reading position and a search's saved article stay where
    /// they were, found again by path.
    ///
    /// [`Archive::replace`]: super::Archive::replace
    fn rebuild(
        &mut self,
        drop_article: &dyn Fn(&Path) -> bool,
        drop_problem: &dyn Fn(&Problem) -> bool,
        articles: Vec<Article>,
        problems: Vec<Problem>,
    ) {
        self.remember_position();
        let path_of = |i: usize| self.archive.articles().get(i).map(|a| a.path.clone());
        let selected_path = self.selected_article().and_then(path_of);
        let selected_row = self.list.selected();
        let reading = self
            .reader
            .article()
            .and_then(path_of)
            .map(|path| (path, self.reader.resume_point(), self.reader.scroll()));
        let searching_from = match &self.prompt {
            Some(Prompt::Search { article, .. }) => article.and_then(path_of),
            _ => None,
        };
        // Ids change below: nothing may point at an article by id meanwhile
        // (the reader would remember its position into another article).
        let height = self.reader.height();
        self.reader = Reader::with_height(height);
        self.list.clear();
        // A few files edited or added: in place, ids kept; else everything anew.
        if let Err((articles, problems)) =
            self.archive
                .replace_in_place(drop_article, drop_problem, articles, problems)
        {
            self.archive
                .replace(drop_article, drop_problem, articles, problems);
        }
        // Built with the list focused, so nothing is marked read on the way.
        let focus = std::mem::replace(&mut self.focus, Focus::List);
        self.refilter();
        let row = selected_path
            .and_then(|path| self.archive.id_of(&path))
            .and_then(|id| self.list.row_of(id))
            .unwrap_or(selected_row);
        self.list.select(row);
        self.focus = focus;
        if let Some(Prompt::Search { article, .. }) = &mut self.prompt {
            *article = searching_from.as_ref().and_then(|p| self.archive.id_of(p));
        }
        // The refilter above opened the top row in passing; start the reader
        // afresh so leaving that page records no position for it.
        self.reader = Reader::with_height(height);
        self.sync();
        if let Some((path, Some(place), scroll)) = reading
            && self
                .reader
                .article()
                .is_some_and(|i| self.archive.article(i).path == path)
        {
            // The same line when the text there is unchanged, else the line
            // holding the same place in the text.
            self.reader.resume(scroll, place);
            self.sync();
        }
    }

    /// An import started: failed feeds of the last one are forgotten.
    pub fn import_started(&mut self) {
        let old = std::mem::take(&mut self.jobs.feed_problems);
        self.archive.retain_problems(|p| !old.contains(&p.path));
        self.jobs.importing = Some((0, 0));
    }

    /// Import progress: counts, and a failed feed joins the problems.
    pub fn import_progress(&mut self, progress: &crate::import::Progress) {
        use crate::import::Progress;
        let (done, total) = self.jobs.importing.get_or_insert((0, 0));
        match progress {
            Progress::Fetching(n) => *total += n,
            Progress::Listed { .. } => *done += 1,
            Progress::Done(feed) => {
                *done += 1;
                if let Some(error) = &feed.error {
                    let path = PathBuf::from(&feed.location);
                    self.jobs.feed_problems.insert(path.clone());
                    self.archive.add_problem(Problem {
                        path,
                        line: None,
                        severity: crate::library::Severity::Error,
                        message: format!("feed not imported: {error}"),
                    });
                }
            }
        }
    }

    /// The import is over: what it did, in the status bar.
    pub fn import_finished(&mut self, outcome: Result<&crate::import::Report, &str>) {
        use crate::format::plural;
        self.jobs.importing = None;
        self.notice = Some(match outcome {
            Err(e) => format!("import failed: {e}"),
            Ok(report) => {
                let mut text = format!(
                    "imported {} from {} ({} already there)",
                    plural(report.written(), "new article", "new articles"),
                    plural(report.feeds.len(), "feed", "feeds"),
                    crate::format::thousands(report.already())
                );
                let failed = report.failed();
                if failed > 0 {
                    let key = self
                        .keymap
                        .key_for(Message::ShowProblems)
                        .unwrap_or_else(|| "!".into());
                    text.push_str(&format!(
                        "; {} failed ({key} lists why)",
                        plural(failed, "feed", "feeds")
                    ));
                }
                text
            }
        });
    }
}

/// Whether a notice is the index's progress (`indexing 41%`), which any
/// other notice may replace.
fn is_index_progress(notice: &str) -> bool {
    notice.starts_with("indexing ")
}
