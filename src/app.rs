//! The reader's state and `update`: plain data in, plain data out. No I/O and
//! no terminal here, so every step is tested directly.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ratatui::layout::{Position, Rect};

use crate::article::Article;
use crate::config::{Align, Config, Layout};
use crate::keymap::{Context, Keymap};
use crate::layout::{self, Focus, Mode, Panes};
use crate::library::{Library, Problem, newest_first};
use crate::message::Message;
use crate::page::Page;
use crate::query::Query;
use crate::regions::{RegionRules, Selector, TagIndex};
use crate::search::{Needle, fold, haystack};
use crate::state::{Marks, State, article_key};
use crate::ui::theme::Theme;
use crate::watch::Changes;

/// An overlay drawn over the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The keys.
    Help,
    /// The problems found while loading.
    Problems,
}

/// A prompt in the status bar taking keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Typing a search over the articles.
    Search,
    /// Typing a filter over the tag rows.
    FindRegion,
    /// Asking y/n before marking the whole view read.
    ConfirmMarkAll,
}

/// Something for the terminal loop to do outside the state: `update` stays pure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open an address in the browser.
    OpenUrl(String),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Give the terminal back and stop until `fg`.
    Suspend,
    /// Read the whole folder again.
    Reload,
    /// Import the configured feeds in the background.
    Import,
}

/// One row of the Regions pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionRow {
    /// `All articles`: clears the selection.
    All,
    /// A group, tag or `No location`.
    Item {
        /// What it selects.
        selector: Selector,
        /// 0 for top level, 1 for a group's member.
        depth: u8,
        /// Articles it would give under the other filters.
        count: usize,
        /// Whether it is a group (with members to show).
        group: bool,
        /// Whether its members are shown.
        expanded: bool,
    },
}

/// The reading pane: which article, wrapped how, scrolled where.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    /// The article shown (index into `App::articles`).
    pub article: Option<usize>,
    /// The article wrapped to the current text width (cached per article and width).
    pub page: Page,
    /// First line shown.
    pub scroll: usize,
    /// Lines that fit in the pane.
    pub height: usize,
    /// Search matches on the page: line index and byte range in that line, in order.
    pub matches: Vec<(usize, std::ops::Range<usize>)>,
    /// What `matches` was computed for: article, width, search.
    matches_for: (Option<usize>, usize, String),
    /// The line of the match last jumped to with n/N.
    match_line: Option<usize>,
    /// The place in the text (block, offset) kept across re-wraps, so a series
    /// of resizes returns to the same line; cleared when the person scrolls.
    anchor: Option<(usize, usize)>,
}

/// Everything the reader shows.
#[derive(Debug)]
pub struct App {
    /// The folder read.
    pub root: PathBuf,
    /// Every article, in the order it arrived (its index is its id).
    pub articles: Vec<Article>,
    /// Article ids in archive order: newest first, then by path.
    pub order: Vec<u32>,
    /// While loading: files reported so far, and the total once the walk is over.
    pub loading: Option<(usize, Option<usize>)>,
    /// `--region` names waiting for their tags to load.
    pending_regions: Vec<String>,
    /// Problems found while loading.
    pub problems: Vec<Problem>,
    /// Tag → articles.
    pub index: TagIndex,
    /// Region rules from config.
    pub rules: RegionRules,
    /// Pane sizes from config.
    pub layout: Layout,
    /// The key bindings.
    pub keymap: Keymap,
    /// The styles.
    pub theme: Theme,
    /// Mouse reporting is on (config `mouse`).
    pub mouse: bool,
    /// The active filters.
    pub query: Query,
    /// Articles passing the non-region filters (`None`: all), kept for counts.
    allowed: Option<Vec<bool>>,
    /// Indices of the articles the filters let through, in order.
    pub visible: Vec<usize>,
    /// Selected row of `visible`.
    pub selected: usize,
    /// First list row on screen.
    pub list_offset: usize,
    /// The Regions pane rows.
    pub region_rows: Vec<RegionRow>,
    /// Cursor in `region_rows`.
    pub region_cursor: usize,
    /// First Regions row on screen.
    pub region_offset: usize,
    /// Groups shown expanded (by key).
    pub expanded: BTreeSet<String>,
    /// The tag-row filter typed after `/` in the Regions pane.
    pub region_find: String,
    /// The prompt taking keys, if any.
    pub prompt: Option<Prompt>,
    /// The search and selected article before a search prompt opened (for Esc).
    saved_search: Option<(String, Option<usize>)>,
    /// Each article's searchable text, folded; built on the first search.
    folded: Vec<String>,
    /// Read/starred/position marks, one per article.
    pub marks: Vec<Marks>,

    /// Marks of articles not in this folder, kept as they were.
    state: State,
    /// Marks changed since the last save.
    pub state_dirty: bool,
    /// Show only unread articles.
    pub unread_only: bool,
    /// Show only starred articles.
    pub starred_only: bool,
    /// Work for the terminal loop.
    pub effects: Vec<Effect>,
    /// Which pane has the keyboard.
    pub focus: Focus,
    /// Whether the Regions pane is shown (beside, or as an overlay in narrower windows).
    pub regions_shown: bool,
    /// The overlay on top, if any.
    pub overlay: Option<Overlay>,
    /// First line of the overlay on screen.
    pub overlay_scroll: usize,
    /// The reading pane.
    pub reader: Reader,
    /// Terminal size.
    pub size: (u16, u16),
    /// A one-line notice for the status bar (cleared by the next key).
    pub notice: Option<String>,
    /// Set when the person asked to leave.
    pub quit: bool,
    /// A full reload (`r`) is running.
    pub reloading: bool,
    /// A feed import is running: feeds done, feeds in all (so far).
    pub importing: Option<(usize, usize)>,
    /// Problems that are failed feeds (by location), kept over reloads.
    feed_problems: BTreeSet<PathBuf>,
}

impl App {
    /// A reader over a loaded library, for a terminal of `size`.
    pub fn new(library: Library, config: &Config, keymap: Keymap, size: (u16, u16)) -> App {
        let mut app = App {
            root: library.root,
            articles: Vec::new(),
            order: Vec::new(),
            loading: None,
            pending_regions: Vec::new(),
            problems: Vec::new(),
            index: TagIndex::new(&config.regions),
            rules: config.regions.clone(),
            layout: config.layout.clone(),
            keymap,
            theme: Theme::from_config(&config.theme, config.no_color),
            mouse: config.mouse,
            query: Query::default(),
            allowed: None,
            visible: Vec::new(),
            selected: 0,
            list_offset: 0,
            region_rows: Vec::new(),
            region_cursor: 0,
            region_offset: 0,
            expanded: BTreeSet::new(),
            region_find: String::new(),
            prompt: None,
            saved_search: None,
            folded: Vec::new(),
            marks: Vec::new(),

            state: State::default(),
            state_dirty: false,
            unread_only: false,
            starred_only: false,
            effects: Vec::new(),
            focus: Focus::List,
            regions_shown: config.layout.show_regions && layout::mode_for(size.0) == Mode::Three,
            overlay: None,
            overlay_scroll: 0,
            reader: Reader::default(),
            size,
            notice: None,
            quit: false,
            reloading: false,
            importing: None,
            feed_problems: BTreeSet::new(),
        };
        app.add_articles(library.articles, library.problems);
        app
    }

    /// Adds loaded articles (and problems): ids stay stable, the archive order
    /// is merged, filters re-run, and the selection stays on its article.
    pub fn add_articles(&mut self, batch: Vec<Article>, problems: Vec<Problem>) {
        let marks = batch.iter().map(|a| self.stored_marks(a)).collect();
        self.add_marked(batch, marks, problems);
    }

    /// The marks the state file holds for an article (none: default).
    fn stored_marks(&self, article: &Article) -> Marks {
        self.state.marks(&article_key(article))
    }

    /// [`App::add_articles`] with each article's marks given.
    fn add_marked(&mut self, batch: Vec<Article>, marks: Vec<Marks>, problems: Vec<Problem>) {
        let first = self.articles.len();
        self.index.add(&batch, first);
        self.marks.extend(marks);
        self.articles.extend(batch);
        let articles = &self.articles;
        let mut new_ids: Vec<u32> = (first as u32..articles.len() as u32).collect();
        let cmp = |a: &u32, b: &u32| newest_first(&articles[*a as usize], &articles[*b as usize]);
        new_ids.sort_by(cmp);
        let old = std::mem::take(&mut self.order);
        let mut merged = Vec::with_capacity(old.len() + new_ids.len());
        let (mut i, mut j) = (0, 0);
        while i < old.len() && j < new_ids.len() {
            if cmp(&new_ids[j], &old[i]).is_lt() {
                merged.push(new_ids[j]);
                j += 1;
            } else {
                merged.push(old[i]);
                i += 1;
            }
        }
        merged.extend_from_slice(&old[i..]);
        merged.extend_from_slice(&new_ids[j..]);
        self.order = merged;
        self.problems.extend(problems);
        // While the first load streams in, a person still on the top row
        // stays on the top row: the newest article, not the first to arrive.
        let on_top = self.loading.is_some() && self.selected == 0 && self.focus != Focus::Reader;
        self.refilter();
        if on_top {
            self.selected = 0;
            self.sync();
        }
        self.resolve_pending_regions();
    }

    /// Applies what changed in the folder (live reload): the articles and
    /// problems under the changed paths are replaced by those read now, and the
    /// selection, reading position and filters stay.
    pub fn apply_changes(&mut self, changes: Changes) {
        if changes.paths.is_empty() {
            return;
        }
        let replaced = |p: &Path| changes.paths.iter().any(|c| p.starts_with(c));
        self.rebuild(
            &replaced,
            &|p: &Problem| replaced(&p.path),
            changes.articles,
            changes.problems,
        );
    }

    /// Replaces every article and problem (after `r`), keeping selection,
    /// reading position, filters and the problems of failed feeds.
    pub fn replace_all(&mut self, articles: Vec<Article>, problems: Vec<Problem>) {
        let before = self.articles.len();
        let after = articles.len();
        let feeds = self.feed_problems.clone();
        self.rebuild(
            &|_| true,
            &|p: &Problem| !feeds.contains(&p.path),
            articles,
            problems,
        );
        self.reloading = false;
        // An import's summary (its reload comes through here when the folder
        // is not watched) stays; otherwise say what the reload found.
        self.notice = self.notice.take().or_else(|| {
            Some(format!(
                "reloaded: {} articles ({:+})",
                crate::ui::status::thousands(after),
                after as i64 - before as i64
            ))
        });
    }

    /// Drops the articles and problems the predicates name and adds `articles`
    /// and `problems`. Kept articles keep their marks and their order (no
    /// re-sorting, no state lookups); dropped ones leave their marks in the
    /// state, for when they come back. The selected article and the reading
    /// position stay where they were.
    fn rebuild(
        &mut self,
        drop_article: &dyn Fn(&Path) -> bool,
        drop_problem: &dyn Fn(&Problem) -> bool,
        articles: Vec<Article>,
        problems: Vec<Problem>,
    ) {
        self.remember_position();
        let path_of = |i: usize| self.articles.get(i).map(|a| a.path.clone());
        let selected_path = self.selected_article().and_then(path_of);
        let selected_row = self.selected;
        let reading = self.reader.article.and_then(path_of).map(|path| {
            let place = self
                .reader
                .page
                .lines
                .get(self.reader.scroll)
                .filter(|_| self.reader.scroll > 0)
                .map(|l| (l.block, l.offset));
            (path, self.reader.anchor.or(place), self.reader.scroll)
        });
        let searching_from = self
            .saved_search
            .as_ref()
            .and_then(|(_, a)| a.and_then(path_of));
        // Ids change below: nothing may point at an article by id meanwhile
        // (the reader would remember its position into another article).
        let height = self.reader.height;
        self.reader = Reader {
            height,
            ..Reader::default()
        };
        // The kept articles in archive order, with their marks.
        let mut slots: Vec<Option<(Article, Marks)>> = std::mem::take(&mut self.articles)
            .into_iter()
            .zip(std::mem::take(&mut self.marks))
            .map(Some)
            .collect();
        // The searchable text folded for a search goes with its article, so a
        // reload under a search does not fold the whole archive again.
        let mut folded: Vec<Option<String>> = if self.folded.len() == slots.len() {
            std::mem::take(&mut self.folded)
                .into_iter()
                .map(Some)
                .collect()
        } else {
            Vec::new()
        };
        let mut kept = Vec::with_capacity(slots.len() + articles.len());
        let mut kept_marks = Vec::with_capacity(slots.len() + articles.len());
        let mut kept_folded = Vec::with_capacity(folded.len());
        for &i in &self.order {
            let i = i as usize;
            let Some((article, marks)) = slots.get_mut(i).and_then(Option::take) else {
                continue;
            };
            if drop_article(&article.path) {
                self.state
                    .set_marks(&article_key(&article), marks, crate::state::now());
            } else {
                kept.push(article);
                kept_marks.push(marks);
                kept_folded.extend(folded.get_mut(i).and_then(Option::take));
            }
        }
        let old_kept = kept.len();
        kept_marks.extend(articles.iter().map(|a| self.stored_marks(a)));
        kept.extend(articles);
        let mut problems: Vec<Problem> = std::mem::take(&mut self.problems)
            .into_iter()
            .filter(|p| !drop_problem(p))
            .chain(problems)
            .collect();
        crate::library::sort_problems(&mut problems);
        self.order.clear();
        // Complete for the kept articles, or empty; new ones fold on the next search.
        self.folded = if kept_folded.len() == old_kept {
            kept_folded
        } else {
            Vec::new()
        };
        self.visible.clear();
        self.allowed = None;
        self.index = TagIndex::new(&self.rules);
        // Built with the list focused, so nothing is marked read on the way.
        let focus = std::mem::replace(&mut self.focus, Focus::List);
        self.add_marked(kept, kept_marks, problems);
        self.selected = selected_path
            .and_then(|path| {
                self.visible
                    .iter()
                    .position(|&i| self.articles[i].path == path)
            })
            .unwrap_or(selected_row.min(self.visible.len().saturating_sub(1)));
        self.focus = focus;
        let id_of = |path: &PathBuf| self.articles.iter().position(|a| &a.path == path);
        if let Some((_, article)) = &mut self.saved_search {
            *article = searching_from.as_ref().and_then(id_of);
        }
        // The refilter above opened the top row in passing; start the reader
        // afresh so leaving that page records no position for it.
        self.reader = Reader {
            height,
            ..Reader::default()
        };
        self.sync();
        if let Some((path, Some((block, offset)), scroll)) = reading
            && self
                .reader
                .article
                .is_some_and(|i| self.articles[i].path == path)
        {
            // The same line when the text there is unchanged, else the line
            // holding the same place in the text.
            let same = self
                .reader
                .page
                .lines
                .get(scroll)
                .is_some_and(|l| (l.block, l.offset) == (block, offset));
            self.reader.scroll = if same {
                scroll
            } else {
                self.line_at(block, offset)
            };
            self.sync();
        }
    }

    /// An import started: failed feeds of the last one are forgotten.
    pub fn import_started(&mut self) {
        let old = std::mem::take(&mut self.feed_problems);
        self.problems.retain(|p| !old.contains(&p.path));
        self.importing = Some((0, 0));
    }

    /// Import progress: counts, and a failed feed joins the problems.
    pub fn import_progress(&mut self, progress: &crate::import::Progress) {
        use crate::import::Progress;
        let (done, total) = self.importing.get_or_insert((0, 0));
        match progress {
            Progress::Fetching(n) => *total += n,
            Progress::Listed { .. } => *done += 1,
            Progress::Done(feed) => {
                *done += 1;
                if let Some(error) = &feed.error {
                    let path = PathBuf::from(&feed.location);
                    self.feed_problems.insert(path.clone());
                    self.problems.push(Problem {
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
        self.importing = None;
        self.notice = Some(match outcome {
            Err(e) => format!("import failed: {e}"),
            Ok(report) => {
                let n = report.written();
                let mut text = format!(
                    "imported {n} new article{} from {} feed{} ({} already there)",
                    if n == 1 { "" } else { "s" },
                    report.feeds.len(),
                    if report.feeds.len() == 1 { "" } else { "s" },
                    report.already()
                );
                let failed = report.failed();
                if failed > 0 {
                    let key = self
                        .keymap
                        .key_for(Message::ShowProblems)
                        .unwrap_or_else(|| "!".into());
                    text.push_str(&format!(
                        "; {failed} feed{} failed ({key} lists why)",
                        if failed == 1 { "" } else { "s" }
                    ));
                }
                text
            }
        });
    }

    /// Applies remembered marks (from the state file).
    pub fn restore_state(&mut self, state: State) {
        for (article, marks) in self.articles.iter().zip(&mut self.marks) {
            *marks = state.marks(&article_key(article));
        }
        self.state = state;
        self.refilter();
    }

    /// The marks to save, merged with those of articles not loaded now; each
    /// mark changed since the last save is stamped now.
    pub fn state_to_save(&mut self) -> State {
        self.remember_position();
        let at = crate::state::now();
        for (article, marks) in self.articles.iter().zip(&self.marks) {
            self.state.set_marks(&article_key(article), *marks, at);
        }
        self.state.clone()
    }

    /// Sets the status-bar notice (from outside: a browser that failed, a save error).
    pub fn set_notice(&mut self, notice: impl Into<String>) {
        self.notice = Some(notice.into());
    }

    /// Selects regions by name as their tags arrive while loading (`--region`).
    pub fn select_regions_when_loaded(&mut self, names: Vec<String>) {
        self.pending_regions = names;
        self.resolve_pending_regions();
    }

    fn resolve_pending_regions(&mut self) {
        if self.pending_regions.is_empty() {
            return;
        }
        let names = std::mem::take(&mut self.pending_regions);
        self.pending_regions = self.select_regions(&names);
    }

    /// Called when loading is over: reports `--region` names no article carries.
    pub fn finish_loading(&mut self) {
        self.loading = None;
        if !self.pending_regions.is_empty() {
            self.notice = Some(format!(
                "no article is tagged {}",
                self.pending_regions.join(", ")
            ));
            self.pending_regions.clear();
        }
        crate::library::sort_problems(&mut self.problems);
    }

    /// Selects regions by name, as `--region` does; returns the names not found.
    pub fn select_regions(&mut self, names: &[String]) -> Vec<String> {
        let mut missing = Vec::new();
        for name in names {
            match self.index.resolve(name) {
                Some(s) if !self.query.regions.contains(&s) => self.query.regions.push(s),
                Some(_) => {}
                None => missing.push(name.clone()),
            }
        }
        self.refilter();
        missing
    }

    /// The frame's pane rectangles.
    pub fn panes(&self) -> Panes {
        let area = Rect::new(0, 0, self.size.0, self.size.1);
        layout::panes(area, &self.layout, self.focus, self.regions_shown)
    }

    /// The key context of the focused pane.
    pub fn context(&self) -> Context {
        match self.focus {
            Focus::Regions => Context::Regions,
            Focus::List => Context::List,
            Focus::Reader => Context::Reader,
        }
    }

    /// The article under the list cursor.
    pub fn selected_article(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// Whether a prompt is taking typed text.
    pub fn typing(&self) -> bool {
        self.prompt.is_some()
    }

    /// Applies one message.
    pub fn update(&mut self, message: Message) {
        if !matches!(message, Message::Resize(..)) {
            crate::fault::maybe_panic("update");
        }
        if !matches!(message, Message::Resize(..)) {
            self.notice = None;
        }
        if let Some(prompt) = self.prompt {
            self.update_prompt(prompt, message);
            self.sync();
            return;
        }
        if self.overlay.is_some() {
            match message {
                Message::Quit | Message::Back => self.overlay = None,
                Message::ShowHelp if self.overlay == Some(Overlay::Help) => self.overlay = None,
                Message::ShowProblems if self.overlay == Some(Overlay::Problems) => {
                    self.overlay = None
                }
                Message::ShowHelp => self.open_overlay(Overlay::Help),
                Message::ShowProblems => self.open_overlay(Overlay::Problems),
                Message::SelectNext => self.overlay_scroll += 1,
                Message::SelectPrev => self.overlay_scroll = self.overlay_scroll.saturating_sub(1),
                Message::PageDown | Message::HalfPageDown => self.overlay_scroll += 10,
                Message::PageUp | Message::HalfPageUp => {
                    self.overlay_scroll = self.overlay_scroll.saturating_sub(10)
                }
                Message::Top => self.overlay_scroll = 0,
                Message::ForceQuit => self.quit = true,
                Message::Resize(w, h) => self.resize(w, h),
                _ => {}
            }
            self.sync();
            return;
        }
        match message {
            Message::Quit | Message::ForceQuit => self.quit = true,
            Message::Suspend => self.effects.push(Effect::Suspend),
            Message::Reload if self.loading.is_some() || self.reloading => {
                self.notice = Some("still reading the folder; try again when it is done".into());
            }
            Message::Reload => {
                self.reloading = true;
                self.effects.push(Effect::Reload);
            }
            Message::Import if self.importing.is_some() => {
                self.notice = Some("an import is already running".into());
            }
            Message::Import => self.effects.push(Effect::Import),
            Message::SelectNext
            | Message::SelectPrev
            | Message::PageDown
            | Message::PageUp
            | Message::HalfPageDown
            | Message::HalfPageUp
            | Message::Top
            | Message::Bottom => self.move_cursor(message),
            Message::FocusNext => self.cycle_focus(1),
            Message::FocusPrev => self.cycle_focus(-1),
            Message::FocusLeft => self.focus_side(-1),
            Message::FocusRight => self.focus_side(1),
            Message::OpenSelected => {
                if self.focus == Focus::Regions {
                    self.toggle_region();
                } else if self.selected_article().is_some() {
                    self.focus = Focus::Reader;
                    self.sync();
                    self.restore_position();
                }
            }
            Message::ToggleRegion => self.toggle_region(),
            Message::ExpandOrRight => {
                if !self.set_expanded(true) {
                    self.focus_side(1);
                }
            }
            Message::CollapseOrLeft => {
                if !self.set_expanded(false) {
                    self.focus_side(-1);
                }
            }
            Message::ToggleGroup => {
                let expanded = matches!(
                    self.region_rows.get(self.region_cursor),
                    Some(RegionRow::Item { expanded: true, .. })
                );
                self.set_expanded(!expanded);
            }
            Message::ClearFilters => {
                self.query = Query::default();
                self.region_find.clear();
                self.unread_only = false;
                self.starred_only = false;
                self.refilter();
            }
            Message::FindRegion => {
                if self.focus == Focus::Regions {
                    self.prompt = Some(Prompt::FindRegion);
                }
            }
            Message::Search => {
                self.saved_search = Some((self.query.search.clone(), self.selected_article()));
                self.prompt = Some(Prompt::Search);
                if self.focus == Focus::Regions {
                    self.focus = Focus::List;
                }
            }
            Message::NextMatch => self.jump_match(true),
            Message::PrevMatch => self.jump_match(false),
            Message::ToggleRead => {
                if let Some(i) = self.selected_article() {
                    let read = !self.marks[i].read;
                    self.set_read(i, read);
                }
            }
            Message::UnreadOnly => {
                self.unread_only = !self.unread_only;
                self.refilter();
            }
            Message::StarredOnly => {
                self.starred_only = !self.starred_only;
                self.refilter();
            }
            Message::NextUnread => self.jump_unread(true),
            Message::PrevUnread => self.jump_unread(false),
            Message::MarkAllRead => {
                if self.visible.iter().any(|&i| !self.marks[i].read) {
                    self.prompt = Some(Prompt::ConfirmMarkAll);
                } else {
                    self.notice = Some("every article in view is read already".into());
                }
            }
            Message::ToggleStar => {
                if let Some(i) = self.selected_article() {
                    self.marks[i].starred = !self.marks[i].starred;
                    self.state_dirty = true;
                }
            }
            Message::OpenLink | Message::CopyLink => {
                let url = self
                    .selected_article()
                    .and_then(|i| self.articles[i].source_url.clone());
                match (url, message) {
                    (None, _) => self.notice = Some("this article has no source URL".into()),
                    (Some(url), Message::OpenLink) => {
                        self.notice = Some(format!("opening {url}"));
                        self.effects.push(Effect::OpenUrl(url));
                    }
                    (Some(url), _) => {
                        self.notice = Some(format!("copied {url}"));
                        self.effects.push(Effect::Copy(url));
                    }
                }
            }
            Message::ToggleRegions => {
                self.regions_shown = !self.regions_shown;
                if self.regions_shown && layout::mode_for(self.size.0) != Mode::Three {
                    self.focus = Focus::Regions;
                } else if !self.regions_shown && self.focus == Focus::Regions {
                    self.focus = Focus::List;
                }
            }
            Message::ShowProblems => self.open_overlay(Overlay::Problems),
            Message::ShowHelp => self.open_overlay(Overlay::Help),
            Message::Back => self.back(),
            Message::Resize(w, h) => self.resize(w, h),
            Message::Click(x, y) => self.click(x, y),
            Message::Scroll(x, y, delta) => self.wheel(x, y, delta),
            Message::None | Message::Type(_) | Message::Erase | Message::Submit => {}
        }
        self.sync();
    }

    fn open_overlay(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
        self.overlay_scroll = 0;
    }

    fn back(&mut self) {
        let mode = layout::mode_for(self.size.0);
        match self.focus {
            Focus::Regions if mode != Mode::Three => {
                self.regions_shown = false;
                self.focus = Focus::List;
            }
            Focus::Reader if mode == Mode::One => self.focus = Focus::List,
            Focus::Regions if !self.region_find.is_empty() => {
                self.region_find.clear();
                self.rebuild_region_rows();
            }
            _ => {}
        }
    }

    fn resize(&mut self, w: u16, h: u16) {
        let was = layout::mode_for(self.size.0);
        self.size = (w, h);
        let now = layout::mode_for(w);
        if was != now {
            self.regions_shown = now == Mode::Three && self.layout.show_regions;
            if self.focus == Focus::Regions && !self.regions_shown {
                self.focus = Focus::List;
            }
        }
    }

    /// The panes that take focus in turn, left to right.
    fn focus_order(&self) -> Vec<Focus> {
        let mut order = Vec::new();
        if self.regions_shown {
            order.push(Focus::Regions);
        }
        order.push(Focus::List);
        order.push(Focus::Reader);
        order
    }

    fn cycle_focus(&mut self, step: isize) {
        let order = self.focus_order();
        let at = order.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        let n = order.len() as isize;
        self.focus = order[((at + step) % n + n) as usize % order.len()];
    }

    fn focus_side(&mut self, step: isize) {
        let order = self.focus_order();
        let at = order.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        let to = (at + step).clamp(0, order.len() as isize - 1) as usize;
        if layout::mode_for(self.size.0) == Mode::One && step < 0 && self.focus == Focus::Reader {
            self.focus = Focus::List;
            return;
        }
        self.focus = order[to];
    }

    fn page_rows(&self, focus: Focus) -> usize {
        let p = self.panes();
        let rect = match focus {
            Focus::Regions => p.regions,
            Focus::List => p.list,
            Focus::Reader => p.reader,
        };
        rect.map_or(1, |r| usize::from(layout::inner(r).height).max(1))
    }

    fn move_cursor(&mut self, message: Message) {
        let page = self.page_rows(self.focus);
        match self.focus {
            Focus::Reader => {
                self.reader.anchor = None;
                let max = self
                    .reader
                    .page
                    .lines
                    .len()
                    .saturating_sub(self.reader.height.max(1));
                self.reader.scroll = step(self.reader.scroll, max, page, message);
            }
            Focus::List => {
                let last = self.visible.len().saturating_sub(1);
                self.selected = step(self.selected, last, page, message);
            }
            Focus::Regions => {
                let last = self.region_rows.len().saturating_sub(1);
                self.region_cursor = step(self.region_cursor, last, page, message);
            }
        }
    }

    fn toggle_region(&mut self) {
        match self.region_rows.get(self.region_cursor).cloned() {
            Some(RegionRow::All) => self.query.regions.clear(),
            Some(RegionRow::Item { selector, .. }) => {
                if let Some(i) = self.query.regions.iter().position(|s| *s == selector) {
                    self.query.regions.remove(i);
                } else {
                    self.query.regions.push(selector);
                }
            }
            None => return,
        }
        self.refilter();
    }

    /// Expands or collapses the group under the cursor; false when it is not a group
    /// or already so.
    fn set_expanded(&mut self, expand: bool) -> bool {
        let Some(RegionRow::Item {
            selector: Selector::Group(key),
            expanded,
            ..
        }) = self.region_rows.get(self.region_cursor).cloned()
        else {
            if !expand {
                // On a member row, ← goes to its group and collapses it.
                if let Some(RegionRow::Item { depth: 1, .. }) =
                    self.region_rows.get(self.region_cursor)
                {
                    let group_row = (0..self.region_cursor)
                        .rev()
                        .find(|&i| matches!(self.region_rows[i], RegionRow::Item { depth: 0, .. }));
                    if let Some(g) = group_row {
                        self.region_cursor = g;
                        return self.set_expanded(false);
                    }
                }
            }
            return false;
        };
        if expanded == expand {
            return false;
        }
        if expand {
            self.expanded.insert(key);
        } else {
            self.expanded.remove(&key);
        }
        self.rebuild_region_rows();
        true
    }

    /// Recomputes the visible list after a filter change, keeping the selected
    /// article when it still matches.
    pub fn refilter(&mut self) {
        let keep = self.selected_article();
        self.allowed = self.other_filters_mask();
        let n = self.articles.len();
        let regions =
            (!self.query.regions.is_empty()).then(|| self.index.mask(&self.query.regions, n));
        let pass = |m: &Option<Vec<bool>>, i: usize| m.as_ref().is_none_or(|m| m[i]);
        self.visible = self
            .order
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| pass(&self.allowed, i) && pass(&regions, i))
            .collect();
        self.selected = keep
            .and_then(|a| self.visible.iter().position(|&v| v == a))
            .unwrap_or(0);
        self.rebuild_region_rows();
        self.sync();
    }

    /// Which articles pass the filters other than regions (search, unread,
    /// starred); `None` when none is active.
    fn other_filters_mask(&mut self) -> Option<Vec<bool>> {
        let needle = Needle::new(&self.query.search);
        if needle.is_empty() && !self.unread_only && !self.starred_only {
            return None;
        }
        if !needle.is_empty() && self.folded.len() < self.articles.len() {
            // Folded once, on the first search (and as articles arrive); every
            // later keystroke reuses it.
            let start = self.folded.len();
            self.folded
                .extend(self.articles[start..].iter().map(haystack));
        }
        let mask = (0..self.articles.len())
            .map(|i| {
                (needle.is_empty() || needle.matches(&self.folded[i]))
                    && (!self.unread_only || !self.marks[i].read)
                    && (!self.starred_only || self.marks[i].starred)
            })
            .collect();
        Some(mask)
    }

    fn update_prompt(&mut self, prompt: Prompt, message: Message) {
        match (prompt, message) {
            (_, Message::ForceQuit) => self.quit = true,
            (_, Message::Resize(w, h)) => self.resize(w, h),
            (Prompt::ConfirmMarkAll, Message::Type('y' | 'Y')) => {
                let mut n = 0;
                for &i in &self.visible {
                    n += usize::from(!self.marks[i].read);
                    self.marks[i].read = true;
                }
                self.state_dirty = true;
                self.prompt = None;
                self.notice = Some(format!("marked {n} articles read"));
            }
            (Prompt::ConfirmMarkAll, _) => {
                self.prompt = None;
                self.notice = Some("nothing marked".into());
            }
            (Prompt::FindRegion, Message::Type(c)) => {
                self.region_find.push(c);
                self.rebuild_region_rows();
                self.region_cursor = self.first_match_row();
            }
            (Prompt::FindRegion, Message::Erase) => {
                self.region_find.pop();
                self.rebuild_region_rows();
            }
            (Prompt::FindRegion, Message::Back) => {
                self.prompt = None;
                self.region_find.clear();
                self.rebuild_region_rows();
            }
            (Prompt::Search, Message::Type(c)) => {
                self.query.search.push(c);
                self.refilter();
            }
            (Prompt::Search, Message::Erase) => {
                self.query.search.pop();
                self.refilter();
            }
            (Prompt::Search, Message::Back) => {
                self.prompt = None;
                let (search, article) = self.saved_search.take().unwrap_or_default();
                self.query.search = search;
                self.refilter();
                if let Some(pos) = article.and_then(|a| self.visible.iter().position(|&v| v == a)) {
                    self.selected = pos;
                }
            }
            (Prompt::FindRegion | Prompt::Search, Message::Submit) => {
                self.prompt = None;
                self.saved_search = None;
            }
            (_, Message::SelectNext | Message::SelectPrev) => self.move_cursor(message),
            _ => {}
        }
    }

    fn set_read(&mut self, i: usize, read: bool) {
        if self.marks[i].read != read {
            self.marks[i].read = read;
            self.state_dirty = true;
        }
    }

    fn jump_unread(&mut self, forward: bool) {
        let found = if forward {
            (self.selected + 1..self.visible.len()).find(|&r| !self.marks[self.visible[r]].read)
        } else {
            (0..self.selected)
                .rev()
                .find(|&r| !self.marks[self.visible[r]].read)
        };
        match found {
            Some(r) => self.selected = r,
            None => self.notice = Some("no more unread articles this way".into()),
        }
    }

    /// Jumps to the next (or previous) search match, on to the next article
    /// with one when the open article has no more.
    fn jump_match(&mut self, forward: bool) {
        if Needle::new(&self.query.search).is_empty() {
            let key = self
                .keymap
                .key_for(Message::Search)
                .unwrap_or_else(|| "/".into());
            self.notice = Some(format!("no search: press {key} to search"));
            return;
        }
        self.sync();
        let here = self.reader.match_line;
        let lines: Vec<usize> = self.reader.matches.iter().map(|(l, _)| *l).collect();
        let target = if forward {
            match here {
                Some(h) => lines.iter().copied().find(|&l| l > h),
                None => lines.iter().copied().find(|&l| l >= self.reader.scroll),
            }
        } else {
            match here {
                Some(h) => lines.iter().copied().rfind(|&l| l < h),
                None => lines.iter().copied().rfind(|&l| l < self.reader.scroll),
            }
        };
        if let Some(line) = target {
            self.show_match(line);
            return;
        }
        // On to the next article in the list that has a match.
        let rows: Vec<usize> = if forward {
            (self.selected + 1..self.visible.len()).collect()
        } else {
            (0..self.selected).rev().collect()
        };
        for r in rows {
            self.selected = r;
            self.sync();
            let mut lines = self.reader.matches.iter().map(|(l, _)| *l);
            let line = if forward {
                lines.next()
            } else {
                lines.next_back()
            };
            if let Some(line) = line {
                self.show_match(line);
                return;
            }
        }
        self.notice = Some("no more matches".into());
    }

    fn show_match(&mut self, line: usize) {
        self.reader.match_line = Some(line);
        self.reader.anchor = None;
        let max = self
            .reader
            .page
            .lines
            .len()
            .saturating_sub(self.reader.height);
        self.reader.scroll = line.saturating_sub(2).min(max);
    }

    /// Stores where reading stopped in the open article.
    fn remember_position(&mut self) {
        let Some(a) = self.reader.article else { return };
        let position = match self.reader.page.lines.get(self.reader.scroll) {
            Some(line) if self.reader.scroll > 0 => Some([line.block, line.offset]),
            _ => None,
        };
        if let Some(marks) = self.marks.get_mut(a)
            && marks.position != position
        {
            marks.position = position;
            self.state_dirty = true;
        }
    }

    /// Scrolls the open article to where reading stopped last time.
    fn restore_position(&mut self) {
        let Some(a) = self.reader.article else { return };
        if let Some([block, offset]) = self.marks.get(a).and_then(|m| m.position)
            && self.reader.scroll == 0
        {
            self.reader.scroll = self.line_at(block, offset);
            self.reader.anchor = None;
            self.sync();
        }
    }

    /// The page line holding a (block, offset) place in the text.
    fn line_at(&self, block: usize, offset: usize) -> usize {
        self.reader
            .page
            .lines
            .iter()
            .rposition(|l| l.block < block || (l.block == block && l.offset <= offset))
            .unwrap_or(0)
    }

    fn region_matches(&self, selector: &Selector, find: &str) -> bool {
        find.is_empty() || fold(&self.index.name_of(selector)).contains(find)
    }

    /// Rebuilds the Regions rows (counts, expansion, the typed tag filter).
    pub fn rebuild_region_rows(&mut self) {
        let cursor_on = self.region_rows.get(self.region_cursor).cloned();
        let find = fold(self.region_find.trim());
        let mut rows = vec![RegionRow::All];
        // Counts say what each row would give under the other filters.
        let allowed = self.allowed.clone();
        let allowed = allowed.as_deref();
        for (selector, count) in self.index.top_level(self.rules.sort, allowed) {
            let Selector::Group(key) = &selector else {
                if self.region_matches(&selector, &find) {
                    rows.push(RegionRow::Item {
                        selector,
                        depth: 0,
                        count,
                        group: false,
                        expanded: false,
                    });
                }
                continue;
            };
            let members = self.index.members(key, self.rules.sort, allowed);
            let matching: Vec<_> = members
                .into_iter()
                .filter(|(m, _)| self.region_matches(m, &find))
                .collect();
            let group_matches = self.region_matches(&selector, &find);
            if !group_matches && matching.is_empty() {
                continue;
            }
            let expanded =
                self.expanded.contains(key) || (!find.is_empty() && !matching.is_empty());
            rows.push(RegionRow::Item {
                selector,
                depth: 0,
                count,
                group: true,
                expanded,
            });
            if expanded {
                // With no find text every member matches: this is all of them.
                for (m, c) in matching {
                    rows.push(RegionRow::Item {
                        selector: m,
                        depth: 1,
                        count: c,
                        group: false,
                        expanded: false,
                    });
                }
            }
        }
        self.region_rows = rows;
        // Keep the cursor on the same row where it still exists.
        self.region_cursor = cursor_on
            .and_then(|c| {
                let same = |r: &RegionRow| match (r, &c) {
                    (RegionRow::All, RegionRow::All) => true,
                    (
                        RegionRow::Item {
                            selector: a,
                            depth: da,
                            ..
                        },
                        RegionRow::Item {
                            selector: b,
                            depth: db,
                            ..
                        },
                    ) => a == b && da == db,
                    _ => false,
                };
                self.region_rows.iter().position(same)
            })
            .unwrap_or(self.region_cursor)
            .min(self.region_rows.len().saturating_sub(1));
    }

    fn first_match_row(&self) -> usize {
        if self.region_rows.len() > 1 { 1 } else { 0 }
    }

    /// Whether a selector is selected.
    pub fn is_selected(&self, selector: &Selector) -> bool {
        self.query.regions.contains(selector)
    }

    /// The selected region names, for the status bar.
    pub fn region_names(&self) -> Vec<String> {
        self.query
            .regions
            .iter()
            .map(|s| self.index.name_of(s))
            .collect()
    }

    fn click(&mut self, x: u16, y: u16) {
        let p = self.panes();
        let at = Position::new(x, y);
        let hit = |r: Option<Rect>| r.is_some_and(|r| r.contains(at));
        let row_in = |r: Option<Rect>| r.map(|r| usize::from(y.saturating_sub(layout::inner(r).y)));
        if hit(p.regions) {
            self.focus = Focus::Regions;
            if let Some(row) = row_in(p.regions).filter(|_| y > p.regions.map_or(0, |r| r.y)) {
                let i = self.region_offset + row;
                if i < self.region_rows.len() {
                    self.region_cursor = i;
                    self.toggle_region();
                }
            }
        } else if hit(p.list) {
            self.focus = Focus::List;
            if let Some(row) = row_in(p.list).filter(|_| y > p.list.map_or(0, |r| r.y)) {
                let i = self.list_offset + row;
                if i < self.visible.len() {
                    self.selected = i;
                }
            }
        } else if hit(p.reader) {
            self.focus = Focus::Reader;
        }
    }

    fn wheel(&mut self, x: u16, y: u16, delta: i8) {
        let p = self.panes();
        let at = Position::new(x, y);
        let hit = |r: Option<Rect>| r.is_some_and(|r| r.contains(at));
        let msg = if delta > 0 {
            Message::SelectNext
        } else {
            Message::SelectPrev
        };
        let saved = self.focus;
        let target = if hit(p.regions) {
            Focus::Regions
        } else if hit(p.list) {
            Focus::List
        } else if hit(p.reader) {
            Focus::Reader
        } else {
            return;
        };
        self.focus = target;
        for _ in 0..3 {
            self.move_cursor(msg);
        }
        self.focus = saved;
    }

    /// Brings derived state in line: reader page for (article, width), scroll
    /// offsets keeping cursors in view.
    fn sync(&mut self) {
        let panes = self.panes();
        let rows = |r: Option<Rect>| r.map_or(1, |r| usize::from(layout::inner(r).height).max(1));
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
        self.list_offset = keep_in_view(
            self.list_offset,
            self.selected,
            rows(panes.list),
            self.visible.len(),
        );
        self.region_offset = keep_in_view(
            self.region_offset,
            self.region_cursor,
            rows(panes.regions),
            self.region_rows.len(),
        );

        let article = self.selected_article();
        let reader_rect = panes.reader.or_else(|| {
            // One-pane mode with the list showing: wrap for the width the reader will have.
            let area = Rect::new(0, 0, self.size.0, self.size.1.saturating_sub(1));
            (!panes.too_small).then_some(area)
        });
        let text = reader_rect.map(|r| {
            layout::reader_text(
                r,
                self.layout.reader_max_width,
                self.layout.reader_align == Align::Center,
            )
        });
        let width = text.map_or(1, |t| usize::from(t.width).max(1));
        self.reader.height = text.map_or(1, |t| usize::from(t.height).max(1));
        if article != self.reader.article {
            self.remember_position();
            self.reader.article = article;
            self.reader.scroll = 0;
            self.reader.match_line = None;
            self.reader.anchor = None;
            self.reader.page = article
                .map(|a| self.build_page(a, width))
                .unwrap_or_default();
        } else if let Some(a) = article
            && self.reader.page.width != width
        {
            // Re-wrap, keeping the first line shown at the same place in the text.
            let anchor = self.reader.anchor.or_else(|| {
                self.reader
                    .page
                    .lines
                    .get(self.reader.scroll)
                    .map(|l| (l.block, l.offset))
            });
            self.reader.anchor = anchor;
            self.reader.page = self.build_page(a, width);
            self.reader.match_line = None;
            if let Some((block, offset)) = anchor {
                self.reader.scroll = self.line_at(block, offset);
            }
        }
        let max = self
            .reader
            .page
            .lines
            .len()
            .saturating_sub(self.reader.height);
        self.reader.scroll = self.reader.scroll.min(max);
        self.sync_matches();
        if self.focus == Focus::Reader
            && self.overlay.is_none()
            && let Some(a) = article
        {
            self.set_read(a, true);
        }
    }

    /// The page of article `a` at `width`, tags shown by their folded names.
    fn build_page(&self, a: usize, width: usize) -> Page {
        let article = &self.articles[a];
        let tags: Vec<String> = article
            .locations
            .iter()
            .map(|t| self.index.display_name(t))
            .collect();
        Page::build_with_tags(article, width, &tags)
    }

    /// Recomputes the search matches of the open page when article, width or search changed.
    fn sync_matches(&mut self) {
        let key = (
            self.reader.article,
            self.reader.page.width,
            self.query.search.clone(),
        );
        if key == self.reader.matches_for {
            return;
        }
        self.reader.matches.clear();
        let needle = Needle::new(&self.query.search);
        if let Some(a) = self.reader.article
            && !needle.is_empty()
        {
            let article = &self.articles[a];
            let lines = &self.reader.page.lines;
            let mut block_matches: Vec<Vec<std::ops::Range<usize>>> = Vec::new();
            for (n, line) in lines.iter().enumerate() {
                while block_matches.len() <= line.block {
                    let text = Page::block_text(article, block_matches.len());
                    block_matches.push(needle.find_in(text));
                }
                let (start, end) = (line.offset, line.offset + line.text.len());
                for r in &block_matches[line.block] {
                    if r.start < end && r.end > start {
                        self.reader
                            .matches
                            .push((n, r.start.max(start) - start..r.end.min(end) - start));
                    }
                }
            }
        }
        self.reader.matches_for = key;
    }

    /// How far through the article the reader is, in percent.
    pub fn reader_percent(&self) -> u16 {
        let total = self.reader.page.lines.len();
        if total <= self.reader.height {
            return 100;
        }
        let max = total - self.reader.height;
        (self.reader.scroll * 100 / max.max(1)).min(100) as u16
    }
}

/// Moves a cursor in `0..=last` for a movement message; `page` rows per page.
fn step(at: usize, last: usize, page: usize, message: Message) -> usize {
    let half = (page / 2).max(1);
    match message {
        Message::SelectNext => at.saturating_add(1).min(last),
        Message::SelectPrev => at.saturating_sub(1),
        Message::PageDown => at.saturating_add(page).min(last),
        Message::PageUp => at.saturating_sub(page),
        Message::HalfPageDown => at.saturating_add(half).min(last),
        Message::HalfPageUp => at.saturating_sub(half),
        Message::Top => 0,
        Message::Bottom => last,
        _ => at,
    }
}

/// The new first row so that `cursor` is on screen in a window of `height`
/// rows, with no empty rows below the last of `len` while rows are above.
fn keep_in_view(offset: usize, cursor: usize, height: usize, len: usize) -> usize {
    let offset = offset.min(len.saturating_sub(height));
    if cursor < offset {
        cursor
    } else if cursor >= offset + height {
        cursor + 1 - height
    } else {
        offset
    }
}
