//! What the panes, the loop and the tests read of the reader: every part's
//! state, read-only.

use std::path::Path;

use ratatui::layout::Rect;

use super::{
    App, Archive, Effect, Filter, ListPane, Loading, Overlay, Prompt, Reader, RegionsPane,
};
use crate::article::Article;
use crate::config::Layout;
use crate::keymap::{Context, Keymap};
use crate::layout::{self, Focus, Panes};
use crate::library::Problem;
use crate::regions::{Selector, TagIndex};
use crate::state::Marks;
use crate::theme::Theme;

impl App {
    /// The folder read.
    pub fn root(&self) -> &Path {
        self.archive.root()
    }

    /// The articles, their order, index and marks.
    pub fn archive(&self) -> &Archive {
        &self.archive
    }

    /// Every article by id.
    pub fn articles(&self) -> &[Article] {
        self.archive.articles()
    }

    /// The marks of article `i`.
    pub fn marks(&self, i: usize) -> Marks {
        self.archive.marks(i)
    }

    /// The tag index.
    pub fn index(&self) -> &TagIndex {
        self.archive.index()
    }

    /// The problems found.
    pub fn problems(&self) -> &[Problem] {
        self.archive.problems()
    }

    /// The filters set.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// Ids of the articles the list shows, in order.
    pub fn visible(&self) -> &[usize] {
        self.list.visible()
    }

    /// How many of the visible articles are unread (counted once per change
    /// of the list or of the marks, not per frame).
    pub fn unread_visible(&self) -> usize {
        self.list
            .unread(self.archive.marks_version(), |i| self.archive.marks(i).read)
    }

    /// The list pane.
    pub fn list(&self) -> &ListPane {
        &self.list
    }

    /// The selected list row.
    pub fn selected(&self) -> usize {
        self.list.selected()
    }

    /// The article under the list cursor.
    pub fn selected_article(&self) -> Option<usize> {
        self.list.selected_article()
    }

    /// The Regions pane.
    pub fn regions(&self) -> &RegionsPane {
        &self.regions
    }

    /// The reading pane.
    pub fn reader(&self) -> &Reader {
        &self.reader
    }

    /// The article list's columns, left to right (from config).
    pub fn list_columns(&self) -> &[crate::config::Column] {
        &self.columns
    }

    /// The line typed in the Regions pane's find prompt, with its cursor.
    pub fn find_line(&self) -> &crate::line_edit::LineEdit {
        &self.find_line
    }

    /// The prompt taking keys, if any.
    pub fn prompt(&self) -> Option<&Prompt> {
        self.prompt.as_ref()
    }

    /// Whether a prompt is taking typed text.
    pub fn typing(&self) -> bool {
        self.prompt.is_some()
    }

    /// While the first load runs: files reported so far and the total once known.
    pub fn loading(&self) -> Option<Loading> {
        self.jobs.loading
    }

    /// Whether a full reload is running.
    pub fn reloading(&self) -> bool {
        self.jobs.reloading
    }

    /// While a feed import runs: feeds done and feeds in all (so far).
    pub fn importing(&self) -> Option<(usize, usize)> {
        self.jobs.importing
    }

    /// Pane sizes from config.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The key bindings.
    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    /// The styles.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Which pane has the keyboard.
    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// Whether the Regions pane is shown.
    pub fn regions_shown(&self) -> bool {
        self.regions_shown
    }

    /// The overlay on top, if any.
    pub fn overlay(&self) -> Option<Overlay> {
        self.overlay
    }

    /// First line of the overlay on screen.
    pub fn overlay_scroll(&self) -> usize {
        self.overlay_scroll
    }

    /// Keeps the overlay's first line within `max` (what the popup can show
    /// is the drawing's business: the loop asks it and clamps here).
    pub fn clamp_overlay_scroll(&mut self, max: usize) {
        self.overlay_scroll = self.overlay_scroll.min(max);
    }

    /// Sets the overlay's first line to the one drawn (the loop asks
    /// `ui::overlay::first_shown`, which knows how entries wrap).
    pub fn show_overlay_from(&mut self, first: usize) {
        self.overlay_scroll = first;
    }

    /// Terminal size.
    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    /// The status-bar notice, if any.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Whether the person asked to leave.
    pub fn quit(&self) -> bool {
        self.quit
    }

    /// Whether marks changed since the last save.
    pub fn state_dirty(&self) -> bool {
        self.state_dirty
    }

    /// Work for a moment when nothing happens, a piece at a time (the loop
    /// calls it until it says there is no more, or something arrives):
    /// once loading is over, the query engine's view of the articles and the
    /// index's searcher, so the first query does not wait for them.
    pub fn idle_work(&mut self) -> bool {
        /// About 10–20 ms of preparing on this machine.
        const PIECE: usize = 2_000;
        self.loading().is_none() && self.archive.prepare_some(PIECE)
    }

    /// Whether [`App::idle_work`] has anything to do.
    pub fn has_idle_work(&self) -> bool {
        self.loading().is_none() && self.archive.has_idle_work()
    }

    /// The work left for the loop (taken: each effect runs once).
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// The work left for the loop, not taken.
    pub fn effects(&self) -> &[Effect] {
        &self.effects
    }

    /// The frame's pane rectangles (the reader alone in full-screen).
    pub fn panes(&self) -> Panes {
        let area = Rect::new(0, 0, self.size.0, self.size.1);
        let mut panes = layout::panes(area, &self.layout, self.focus, self.regions_shown);
        if self.full_screen && self.focus == Focus::Reader && !panes.too_small {
            let main = Rect {
                height: area.height.saturating_sub(1),
                ..area
            };
            return Panes {
                reader: Some(main),
                status: panes.status,
                ..Panes::default()
            };
        }
        self.place_geo(&mut panes);
        panes
    }

    /// Whether the reader takes the whole screen.
    pub fn full_screen(&self) -> bool {
        self.full_screen && self.focus == Focus::Reader
    }

    /// The count typed so far (digits before a movement key), if any.
    pub fn pending_count(&self) -> Option<usize> {
        self.count
    }

    /// The problem under the cursor in the problems list.
    pub fn problem_cursor(&self) -> usize {
        self.problem_cursor
    }

    /// The key context of the focused pane (an overlay takes the list's keys,
    /// so Enter opens the problem under the cursor from anywhere).
    pub fn context(&self) -> Context {
        if self.overlay.is_some() {
            return Context::List;
        }
        if self.map().is_some() {
            return Context::Map;
        }
        if self.timeline().is_some() {
            return Context::Timeline;
        }
        match self.focus {
            Focus::Regions => Context::Regions,
            Focus::List => Context::List,
            Focus::Reader => Context::Reader,
        }
    }

    /// Whether a selector is selected.
    pub fn is_selected(&self, selector: &Selector) -> bool {
        self.filter.regions.contains(selector)
    }

    /// The selected region names, for the status bar.
    pub fn region_names(&self) -> Vec<String> {
        let index = self.archive.index();
        self.filter
            .regions
            .iter()
            .map(|s| index.name_of(s))
            .collect()
    }

    /// How far through the article the reader is, in percent.
    pub fn reader_percent(&self) -> u16 {
        self.reader.percent()
    }
}
