//! The reader's state and `update`: plain data in, plain data out. No I/O and
//! no terminal here, so every step is tested directly.
//!
//! `App` is a composition of parts, each with its own module:
//!
//! | part | module | what it keeps |
//! |---|---|---|
//! | [`Archive`] | `archive` | articles, ids, archive order, tag index, marks, problems |
//! | [`Filter`] | `filter` | what the person asked for, run over the archive |
//! | [`ListPane`] | `list` | the visible articles, selection, scroll |
//! | [`RegionsPane`] | `regions` | region rows with counts, cursor, open groups; choosing a region |
//! | [`Reader`] | `reader` | the open article's page, scroll, matches |
//! | [`Prompt`] | `prompt` | the status-bar prompt and its keys |
//! | marks | `marks` | read, starred, where reading stopped; `m`, `s`, `A`; the state file |
//! | derived state | `derived` | the visible list after a change, Regions rows, the reader's page, scroll |
//! | background work | `jobs` | loading, reloads, live changes, imports |
//! | focus and mouse | `navigate` | which pane has the keys, counts, clicks, the wheel |
//! | other programs | `outside` | browser, editor, pager, clipboard |
//! | undo | `undo` | the changes of marks `U` takes back |
//! | [`MapPane`], [`TimelinePane`] | `geo` | the world map and the timeline strip |
//! | reading it | `view` | what the panes, the loop and the tests read of every part (read-only) |
//!
//! [`App::update`] takes one [`Event`]: a person's [`Message`] or a
//! background [`Job`], and leaves work for the loop as [`Effect`]s.

mod archive;
mod derived;
mod filter;
mod geo;
mod jobs;
mod list;
mod marks;
mod navigate;
mod outside;
mod prompt;
mod reader;
mod regions;
mod undo;
mod view;

use std::path::PathBuf;

pub use archive::Archive;
pub use filter::{Filter, Filtered};
pub use geo::{MapPane, TimelinePane, with_date_term};
pub use jobs::Loading;
pub use list::ListPane;
pub use outside::Programs;
pub use prompt::Prompt;
pub use reader::Reader;
pub use regions::{RegionRow, RegionsPane, expand_key};

use crate::article::Article;
use crate::config::{Config, Layout};
use crate::handover::Invocation;
use crate::keymap::Keymap;
use crate::layout::{self, Focus, Mode};
use crate::library::{Library, Problem};
use crate::message::{Event, Message};
use crate::sort::SortOrder;
use crate::theme::Theme;

/// An overlay drawn over the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The keys.
    Help,
    /// The problems found while loading.
    Problems,
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
    /// Give the terminal to a program (browser, editor, pager), wait for it,
    /// take the terminal back and redraw.
    RunInTerminal {
        /// What to run.
        command: Invocation,
        /// A file (relative to the folder) to read again if it changed meanwhile.
        reread: Option<PathBuf>,
        /// Text for the program's standard input; `None`: it gets the terminal.
        stdin: Option<String>,
    },
    /// Walk the folder (no reading) for files that came or went while the
    /// watch was being set up: the paths of the articles and problems known now.
    CatchUp {
        /// Paths of the articles known.
        articles: Vec<PathBuf>,
        /// Paths of the problems known.
        problems: Vec<PathBuf>,
    },
    /// Save a view into the person's config file (`views::save`), then
    /// tell the app (`App::view_saved`) or say why not (`set_notice`).
    SaveView {
        /// The person's own config file.
        path: PathBuf,
        /// The view's name.
        name: String,
        /// Its query.
        query: String,
    },
    /// Read the whole article at this path (relative to the folder) and
    /// answer with `Job::Body`: it came without its text (from the snapshot).
    ReadBody(PathBuf),
    /// Check the folder against the snapshot held in the background
    /// (`snapshot::refresh`: stats only) and answer with `Job::Changed`.
    Refresh,
    /// Read these files for their words (a search over the text needs
    /// them) and answer with `Job::Words` batches, then `Job::WordsDone`.
    PrepareWords {
        /// The archive generation the ids belong to.
        generation: u64,
        /// Id and path of each article to read.
        files: Vec<(u32, PathBuf)>,
    },
    /// Read the state file again (on `r`) and hand it to
    /// [`App::merge_saved_state`]: marks other readers saved show here.
    ReadState,
}

/// Everything the reader shows.
#[derive(Debug)]
pub struct App {
    archive: Archive,
    filter: Filter,
    /// Articles passing the filters other than regions (`None`: all), for counts.
    allowed: Option<Vec<bool>>,
    list: ListPane,
    regions: RegionsPane,
    reader: Reader,
    prompt: Option<Prompt>,
    jobs: jobs::Jobs,
    layout: Layout,
    keymap: Keymap,
    theme: Theme,
    focus: Focus,
    /// Whether the Regions pane is shown (beside, or as an overlay in narrower windows).
    regions_shown: bool,
    overlay: Option<Overlay>,
    overlay_scroll: usize,
    /// The world map or the timeline strip, when one is shown.
    geo: geo::Geo,
    size: (u16, u16),
    /// A one-line notice for the status bar (cleared by the next key).
    notice: Option<String>,
    quit: bool,
    /// Marks changed since the last save.
    state_dirty: bool,
    /// The day relative dates in queries count from.
    today: crate::article::Date,
    /// Why the typed query cannot be read, when it cannot.
    query_error: Option<String>,
    effects: Vec<Effect>,
    /// The reader takes the whole screen (while it has the focus).
    full_screen: bool,
    /// Digits typed before a movement key.
    count: Option<usize>,
    /// The changes of marks `U` can take back.
    history: undo::History,
    /// The newest article that arrived by live reload (its path).
    newest_arrival: Option<PathBuf>,
    /// The problem under the cursor in the problems list.
    problem_cursor: usize,
    /// The programs the terminal is handed to.
    programs: Programs,
    /// The order the person chose for the list (see [`App::sort_order`] for
    /// the one in effect).
    sort: SortOrder,
    /// The queries searched before, for Up and Down in the search prompt.
    queries: crate::line_edit::History,
    /// The line typed in the Regions pane's find prompt.
    find_line: crate::line_edit::LineEdit,
    /// The article list's columns, left to right.
    columns: Vec<crate::config::Column>,
    /// The command the last `|` piped to, offered again by the next.
    last_pipe: Option<String>,
}

impl App {
    /// A reader over a loaded library (more may arrive as [`Job`]s), for a
    /// terminal of `size`.
    ///
    /// [`Job`]: crate::message::Job
    pub fn new(library: Library, config: &Config, keymap: Keymap, size: (u16, u16)) -> App {
        let mut app = App {
            archive: Archive::new(library.root, &config.regions),
            filter: Filter::default(),
            allowed: None,
            list: ListPane::default(),
            regions: RegionsPane::default(),
            reader: Reader::default(),
            prompt: None,
            jobs: jobs::Jobs::default(),
            layout: config.layout.clone(),
            keymap,
            theme: Theme::from_config(&config.theme, config.no_color),
            focus: Focus::List,
            regions_shown: config.layout.show_regions && layout::mode_for(size.0) == Mode::Three,
            overlay: None,
            overlay_scroll: 0,
            geo: geo::Geo::default(),
            size,
            notice: None,
            quit: false,
            state_dirty: false,
            today: crate::query::eval::today(),
            query_error: None,
            effects: Vec::new(),
            full_screen: false,
            count: None,
            history: undo::History::default(),
            newest_arrival: None,
            problem_cursor: 0,
            programs: Programs {
                browser_in_terminal: config.browser_in_terminal,
                ..Programs::default()
            },
            sort: config.list.sort,
            queries: crate::line_edit::History::default(),
            find_line: crate::line_edit::LineEdit::default(),
            columns: config.list.columns.clone(),
            last_pipe: None,
        };
        app.add_articles(library.articles, library.problems);
        app
    }

    /// Adds articles and problems at once (merged and shown now): what a
    /// test or a caller with everything in hand does; loading goes through
    /// [`Job::Loaded`](crate::message::Job::Loaded) and is coalesced.
    pub fn add_articles(&mut self, articles: Vec<Article>, problems: Vec<Problem>) {
        self.archive.stage(articles, problems);
        if self.archive.staged() == 0 {
            self.refilter();
        } else {
            self.merge_staged();
        }
    }

    /// The words of the typed query to highlight (none when it cannot be read).
    pub(crate) fn highlights(&self) -> crate::query::text::Highlights {
        crate::query::Query::parse(&self.filter.search)
            .map(|q| q.highlights())
            .unwrap_or_else(|_| crate::query::text::Highlights::new(Vec::new()))
    }

    /// Why the typed query cannot be read (message and column), if it cannot.
    pub fn query_error(&self) -> Option<&str> {
        self.query_error.as_deref()
    }

    /// Sets the day relative dates count from (tests; the reader uses the clock).
    pub fn set_today(&mut self, today: crate::article::Date) {
        self.today = today;
        self.refilter();
    }

    /// Sets the status-bar notice (from outside: a browser that failed, a save error).
    pub fn set_notice(&mut self, notice: impl Into<String>) {
        self.notice = Some(notice.into());
    }

    /// Selects regions by name, as `--region` does; returns the names not found.
    pub fn select_regions(&mut self, names: &[String]) -> Vec<String> {
        let mut missing = Vec::new();
        for name in names {
            match self.archive.index().resolve(name) {
                Some(s) if !self.filter.regions.contains(&s) => self.filter.regions.push(s),
                Some(_) => {}
                None => missing.push(name.clone()),
            }
        }
        self.refilter();
        missing
    }

    /// The queries searched before (Enter in the search prompt), oldest
    /// first, at most [`HISTORY_LIMIT`](crate::line_edit::HISTORY_LIMIT): what
    /// the state file keeps.
    pub fn history(&self) -> Vec<String> {
        self.queries.entries().map(str::to_owned).collect()
    }

    /// Takes back the queries searched before (from the state file), oldest first.
    pub fn restore_history(&mut self, queries: Vec<String>) {
        self.queries = queries.into();
    }

    /// The order the list is in: the one chosen, except relevance while the
    /// search has no words (then newest first).
    pub fn sort_order(&self) -> SortOrder {
        self.filter.effective_sort(self.sort)
    }

    /// Puts the list in `order` (as the config's `sort` or `O` does).
    pub fn set_sort(&mut self, order: SortOrder) {
        self.sort = order;
        self.resort();
    }

    /// Sets the search text and filters by it (as typing it would).
    pub fn set_search(&mut self, search: &str) {
        self.filter.search = search.to_owned();
        self.refilter();
    }

    // ----- update -----

    /// Applies one event: a person's message or a background job's report.
    pub fn update(&mut self, event: impl Into<Event>) {
        match event.into() {
            Event::Message(message) => self.on_message(message),
            Event::Job(job) => self.on_job(job),
        }
    }

    fn on_message(&mut self, message: Message) {
        if !matches!(message, Message::Resize(..)) {
            crate::fault::maybe_panic("update");
            self.notice = None;
        }
        let count = match message {
            Message::Resize(..) => self.count,
            Message::Digit(d) if self.prompt.is_none() && self.overlay.is_none() => {
                // A leading 0 is no count (vi: the start of the line).
                if self.count.is_some() || d != 0 {
                    let n = self.count.unwrap_or(0);
                    self.count = Some(
                        n.saturating_mul(10)
                            .saturating_add(usize::from(d))
                            .min(99_999),
                    );
                }
                return;
            }
            _ => None,
        };
        let count = std::mem::replace(&mut self.count, count);
        if let Some(prompt) = self.prompt.clone() {
            self.update_prompt(prompt, message);
        } else if self.overlay.is_some() {
            self.update_overlay(message);
        } else if !self.update_geo(message) {
            self.update_counted(message, count);
        }
        self.sync();
        if message != Message::Undo {
            self.mark_shown_read();
        }
    }

    fn update_overlay(&mut self, message: Message) {
        let open = self.overlay;
        if open == Some(Overlay::Problems) && self.move_problem_cursor(message) {
            return;
        }
        match message {
            Message::OpenSelected | Message::ToggleRegion | Message::EditArticle
                if open == Some(Overlay::Problems) =>
            {
                self.edit_problem()
            }
            Message::Quit | Message::Back => self.overlay = None,
            Message::ShowHelp if open == Some(Overlay::Help) => self.overlay = None,
            Message::ShowProblems if open == Some(Overlay::Problems) => self.overlay = None,
            Message::ShowHelp => self.open_overlay(Overlay::Help),
            Message::ShowProblems => self.open_overlay(Overlay::Problems),
            Message::SelectNext => self.overlay_scroll += 1,
            Message::SelectPrev => self.overlay_scroll = self.overlay_scroll.saturating_sub(1),
            Message::PageDown | Message::HalfPageDown => self.overlay_scroll += 10,
            Message::PageUp | Message::HalfPageUp => {
                self.overlay_scroll = self.overlay_scroll.saturating_sub(10)
            }
            Message::Top => self.overlay_scroll = 0,
            // Clamped to the end by the loop (see `clamp_overlay_scroll`).
            Message::Bottom => self.overlay_scroll = usize::MAX,
            Message::ForceQuit => self.quit = true,
            Message::Resize(w, h) => self.resize(w, h),
            _ => {}
        }
    }

    /// A message with the count typed before it: movements go that far
    /// (`5j`, `3]`), `G` and `g` go to that row (`10G`).
    fn update_counted(&mut self, message: Message, count: Option<usize>) {
        let Some(n) = count else {
            self.update_panes(message);
            return;
        };
        match message {
            Message::Top | Message::Bottom => self.go_to_row(n.saturating_sub(1)),
            Message::NextUnread
            | Message::PrevUnread
            | Message::NextMatch
            | Message::PrevMatch
            | Message::PageDownOrNextUnread => self.repeat(message, n),
            _ if message.is_movement() => self.repeat(message, n),
            _ => self.update_panes(message),
        }
    }

    /// A message `n` times over, stopping at a notice (no further to go).
    fn repeat(&mut self, message: Message, n: usize) {
        for _ in 0..n {
            self.notice = None;
            self.update_panes(message);
            if self.notice.is_some() {
                // "no more unread articles this way": no further to go.
                break;
            }
        }
    }

    fn update_panes(&mut self, message: Message) {
        match message {
            Message::Quit if self.reader_alone() => self.back(),
            Message::Quit | Message::ForceQuit => self.quit = true,
            Message::Suspend => self.effects.push(Effect::Suspend),
            Message::Reload => {
                // The marks are read again with the folder (not when the
                // reload is refused: the notice says to try again).
                let was_reloading = self.jobs.reloading;
                self.ask_reload();
                if self.jobs.reloading && !was_reloading {
                    self.effects.push(Effect::ReadState);
                }
            }
            Message::Import => self.ask_import(),
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
                    self.regions.current(),
                    Some(RegionRow::Item { expanded: true, .. })
                );
                self.set_expanded(!expanded);
            }
            Message::ClearFilters => {
                self.filter = Filter::default();
                self.regions.clear_find();
                self.refilter();
            }
            Message::FindRegion => {
                if self.focus == Focus::Regions {
                    self.find_line = crate::line_edit::LineEdit::new(self.regions.find());
                    self.prompt = Some(Prompt::FindRegion);
                }
            }
            Message::Search => self.open_search(),
            Message::NextMatch => self.jump_match(true),
            Message::PrevMatch => self.jump_match(false),
            Message::ToggleRead => self.toggle_read(),
            Message::UnreadOnly => {
                self.filter.unread_only = !self.filter.unread_only;
                self.refilter();
            }
            Message::StarredOnly => {
                self.filter.starred_only = !self.filter.starred_only;
                self.refilter();
            }
            Message::NextUnread => self.jump_unread(true),
            Message::PrevUnread => self.jump_unread(false),
            Message::MarkAllRead => self.ask_mark_all_read(),
            Message::ToggleStar => self.toggle_star(),
            Message::OpenLink | Message::CopyLink | Message::CopyCitation => self.use_link(message),
            Message::PageDownOrNextUnread => self.page_or_next_unread(),
            Message::ToggleFullScreen => self.toggle_full_screen(),
            Message::Undo => self.undo(),
            Message::JumpToArrival => self.jump_to_arrival(),
            Message::EditArticle => self.edit_article(),
            Message::PipeArticle => self.pipe_article(),
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
            Message::CycleSort => {
                let next = self.sort_order().next(self.filter.has_words());
                self.set_sort(next);
                self.notice = Some(format!("sorted {}", next.label()));
            }
            Message::None
            | Message::Type(_)
            | Message::Erase
            | Message::Edit(_)
            | Message::HistoryBack
            | Message::HistoryForward
            | Message::Submit
            | Message::Digit(_) => {}
            // The map's and the timeline's own keys (see `geo`), unused elsewhere.
            Message::ToggleMap
            | Message::ToggleTimeline
            | Message::MoveWest
            | Message::MoveEast
            | Message::MoveNorth
            | Message::MoveSouth
            | Message::ZoomIn
            | Message::ZoomOut
            | Message::MarkRange
            | Message::ApplyRange => {}
            Message::SaveView => self.save_view(),
            Message::HideEmptyRegions => {
                let hide = !self.regions.hides_empty();
                self.regions.set_hide_empty(hide);
                self.rebuild_region_rows();
                self.notice = Some(if hide {
                    "regions with no articles hidden".into()
                } else {
                    "regions with no articles shown".into()
                });
            }
            Message::ApplyView(i) => self.apply_view(usize::from(i)),
        }
    }

    fn open_overlay(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
        self.overlay_scroll = 0;
        self.problem_cursor = 0;
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
