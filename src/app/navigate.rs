//! Focus, cursor movement and counts, going back, the full-screen reader,
//! resizing, and the mouse.

use ratatui::layout::{Position, Rect};

use super::{App, Overlay};
use crate::layout::{self, Focus, Mode};
use crate::message::Message;

impl App {
    /// Esc: leave the Regions overlay, go back to the list from the reader
    /// (in every layout, full-screen too), or clear the typed tag filter.
    pub(super) fn back(&mut self) {
        let mode = layout::mode_for(self.size.0);
        match self.focus {
            Focus::Regions if mode != Mode::Three => {
                self.regions_shown = false;
                self.focus = Focus::List;
            }
            Focus::Reader => {
                self.full_screen = false;
                self.focus = Focus::List;
            }
            Focus::Regions if !self.regions.find().is_empty() => {
                self.regions.end_find();
                self.rebuild_region_rows();
            }
            // A search kept with Enter: Esc in the list lets it go.
            Focus::List if !self.filter.search.is_empty() => {
                self.filter.search.clear();
                self.refilter();
                self.notice = Some("search cleared".into());
            }
            _ => {}
        }
    }

    pub(super) fn resize(&mut self, w: u16, h: u16) {
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

    pub(super) fn cycle_focus(&mut self, step: isize) {
        let order = self.focus_order();
        let at = order.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        let n = order.len() as isize;
        self.focus = order[((at + step) % n + n) as usize % order.len()];
    }

    pub(super) fn focus_side(&mut self, step: isize) {
        let order = self.focus_order();
        let at = order.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        let to = (at + step).clamp(0, order.len() as isize - 1) as usize;
        if layout::mode_for(self.size.0) == Mode::One && step < 0 && self.focus == Focus::Reader {
            self.focus = Focus::List;
            return;
        }
        self.focus = order[to];
    }

    /// Rows a page holds in the pane `focus`.
    pub(super) fn page_rows(&self, focus: Focus) -> usize {
        let p = self.panes();
        let rect = match focus {
            Focus::Regions => p.regions,
            Focus::List => p.list,
            Focus::Reader => p.reader,
        };
        rect.map_or(1, |r| usize::from(layout::inner(r).height).max(1))
    }

    /// Whether the reader is all there is on screen (one-pane layout or
    /// full-screen): `q` then goes back to the list rather than quitting.
    pub(super) fn reader_alone(&self) -> bool {
        self.focus == Focus::Reader
            && (self.full_screen || layout::mode_for(self.size.0) == Mode::One)
    }

    /// `f`: the reader over the whole screen, or the panes again; the first
    /// line shown stays the same place in the text (the page re-wraps).
    pub(super) fn toggle_full_screen(&mut self) {
        if self.full_screen() {
            self.full_screen = false;
            return;
        }
        if self.selected_article().is_none() {
            self.notice = Some("no article to read".into());
            return;
        }
        let opening = self.focus != Focus::Reader;
        self.full_screen = true;
        self.focus = Focus::Reader;
        self.sync();
        if opening {
            self.restore_position();
        }
    }

    /// Space in the reader: a page down (one line kept), or at the end of the
    /// article, on to the next unread article (as in mutt and newsboat).
    pub(super) fn page_or_next_unread(&mut self) {
        if self.focus != Focus::Reader || !self.reader.at_end() {
            self.move_cursor(Message::PageDown);
            return;
        }
        let before = self.selected_article();
        self.jump_unread(true);
        if self.selected_article() != before {
            self.sync();
            self.restore_position();
        }
    }

    /// A count before `G` or `g`: row `row` (0-based) in the list or the
    /// Regions pane, line `row` in the reader.
    pub(super) fn go_to_row(&mut self, row: usize) {
        match self.focus {
            Focus::Reader => self.reader.scroll_to(row),
            Focus::List => {
                let last = self.list.visible().len().saturating_sub(1);
                self.list.select(row.min(last));
            }
            Focus::Regions => {
                let last = self.regions.rows().len().saturating_sub(1);
                self.regions.set_cursor(row.min(last));
            }
        }
    }

    /// The key to the newest article that arrived by live reload.
    pub(super) fn jump_to_arrival(&mut self) {
        let Some(path) = self.newest_arrival.clone() else {
            self.notice = Some("no new articles have arrived".into());
            return;
        };
        match self.archive.id_of(&path).map(|id| self.list.row_of(id)) {
            None => {
                self.newest_arrival = None;
                self.notice = Some("the newest arrival is gone again".into());
            }
            Some(None) => {
                let key = self
                    .keymap
                    .key_for(Message::ClearFilters)
                    .unwrap_or_else(|| "c".into());
                self.notice = Some(format!(
                    "the newest arrival is hidden by the filters ({key} clears them)"
                ));
            }
            Some(Some(row)) => {
                self.list.select(row);
                if self.focus == Focus::Regions {
                    self.focus = Focus::List;
                }
            }
        }
    }

    /// j/k, PgUp/PgDn, g/G in the problems list move its cursor (the entry
    /// Enter opens), the scroll following; false for other messages.
    pub(super) fn move_problem_cursor(&mut self, message: Message) -> bool {
        if !message.is_movement() {
            return false;
        }
        let last = self.archive.problems().len().saturating_sub(1);
        // The popup's rows: the screen less the status bar and two borders.
        let rows = usize::from(self.size.1.saturating_sub(3)).max(1);
        self.problem_cursor = step(self.problem_cursor, last, rows, message);
        let cursor = self.problem_cursor;
        // The drawing brings the cursor into view when entries wrap; the
        // ends are exact (the loop clamps the bottom).
        if message == Message::Bottom {
            self.overlay_scroll = usize::MAX;
        } else if cursor < self.overlay_scroll {
            self.overlay_scroll = cursor;
        } else if cursor >= self.overlay_scroll + rows {
            self.overlay_scroll = cursor + 1 - rows;
        }
        debug_assert_eq!(self.overlay, Some(Overlay::Problems));
        true
    }

    pub(super) fn move_cursor(&mut self, message: Message) {
        let page = self.page_rows(self.focus);
        match self.focus {
            Focus::Reader => {
                let max = self.reader.page().lines.len();
                // A page keeps one line of the last in view, to read on from.
                let page = match message {
                    Message::PageDown | Message::PageUp => page.saturating_sub(1).max(1),
                    _ => page,
                };
                let line = step(self.reader.scroll(), max, page, message);
                self.reader.scroll_to(line);
            }
            Focus::List => {
                let last = self.list.visible().len().saturating_sub(1);
                self.list
                    .select(step(self.list.selected(), last, page, message));
            }
            Focus::Regions => {
                let last = self.regions.rows().len().saturating_sub(1);
                self.regions
                    .set_cursor(step(self.regions.cursor(), last, page, message));
            }
        }
    }

    pub(super) fn click(&mut self, x: u16, y: u16) {
        let p = self.panes();
        let at = Position::new(x, y);
        let hit = |r: Option<Rect>| r.is_some_and(|r| r.contains(at));
        let row_in = |r: Option<Rect>| r.map(|r| usize::from(y.saturating_sub(layout::inner(r).y)));
        if hit(p.regions) {
            self.focus = Focus::Regions;
            if let Some(row) = row_in(p.regions).filter(|_| y > p.regions.map_or(0, |r| r.y)) {
                let i = self.regions.offset() + row;
                if i < self.regions.rows().len() {
                    self.regions.set_cursor(i);
                    self.toggle_region();
                }
            }
        } else if hit(p.list) {
            self.focus = Focus::List;
            if let Some(row) = row_in(p.list).filter(|_| y > p.list.map_or(0, |r| r.y)) {
                let i = self.list.offset() + row;
                if i < self.list.visible().len() {
                    self.list.select(i);
                }
            }
        } else if hit(p.reader) {
            self.focus = Focus::Reader;
        }
    }

    pub(super) fn wheel(&mut self, x: u16, y: u16, delta: i8) {
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
