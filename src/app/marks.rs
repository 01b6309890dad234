//! Marks: read, starred and where reading stopped, what `m`, `s`, `A` and the
//! jumps to unread articles do, and the marks going to and from the state file.

use super::{App, Prompt};
use crate::layout::Focus;
use crate::state::State;

impl App {
    /// Applies remembered marks (from the state file).
    pub fn restore_state(&mut self, state: State) {
        self.archive.restore(state);
        self.refilter();
    }

    /// The marks to save (with those of articles not loaded now); the marks
    /// count as saved from here.
    pub fn state_to_save(&mut self) -> State {
        self.remember_position();
        self.state_dirty = false;
        self.archive.state()
    }

    /// Marks another reader saved (the state file read again on `r`):
    /// merged with this reader's by the latest change of each mark, and
    /// shown. Changes not saved yet win when newer and stay to be saved.
    pub fn merge_saved_state(&mut self, saved: &State) {
        self.remember_position();
        let mut merged = self.archive.state();
        merged.merge(saved);
        self.restore_state(merged);
    }

    /// The save failed: the marks stay to be saved later.
    pub fn save_failed(&mut self, notice: impl Into<String>) {
        self.state_dirty = true;
        self.notice = Some(notice.into());
    }

    /// `m`: the selected article read or unread again, undoably.
    pub(super) fn toggle_read(&mut self) {
        if let Some(i) = self.selected_article() {
            let read = !self.archive.marks(i).read;
            let what = if read { "marked read" } else { "marked unread" };
            let title = crate::page::shorten(&self.archive.article(i).title, 40);
            self.record_marks(format!("{what}: {title}"), &[i]);
            self.set_read(i, read);
        }
    }

    /// `s`: the selected article starred or not, undoably.
    pub(super) fn toggle_star(&mut self) {
        if let Some(i) = self.selected_article() {
            let what = if self.archive.marks(i).starred {
                "unstarred"
            } else {
                "starred"
            };
            let title = crate::page::shorten(&self.archive.article(i).title, 40);
            self.record_marks(format!("{what}: {title}"), &[i]);
            self.archive.toggle_star(i);
            self.state_dirty = true;
        }
    }

    /// `A`: asks before marking every article in view read (none unread: says so).
    pub(super) fn ask_mark_all_read(&mut self) {
        let visible = self.list.visible();
        if visible.iter().any(|&i| !self.archive.marks(i).read) {
            self.prompt = Some(Prompt::ConfirmMarkAll);
        } else {
            self.notice = Some("every article in view is read already".into());
        }
    }

    pub(super) fn set_read(&mut self, i: usize, read: bool) {
        if self.archive.set_read(i, read) {
            self.state_dirty = true;
        }
    }

    /// The article shown in the focused reader counts as read: once per
    /// update, for the article finally shown, never for those passed on the way.
    pub(super) fn mark_shown_read(&mut self) {
        if self.focus == Focus::Reader
            && self.overlay.is_none()
            && let Some(a) = self.reader.article()
        {
            self.set_read(a, true);
        }
    }

    pub(super) fn jump_unread(&mut self, forward: bool) {
        let visible = self.list.visible();
        let unread = |r: &usize| !self.archive.marks(visible[*r]).read;
        let selected = self.list.selected();
        let found = if forward {
            (selected + 1..visible.len()).find(unread)
        } else {
            (0..selected).rev().find(unread)
        };
        match found {
            Some(r) => self.list.select(r),
            None => self.notice = Some("no more unread articles this way".into()),
        }
    }

    /// Stores where reading stopped in the open article.
    pub(super) fn remember_position(&mut self) {
        if let Some(a) = self.reader.article()
            && self.archive.set_position(a, self.reader.position())
        {
            self.state_dirty = true;
        }
    }

    /// Scrolls the open article to where reading stopped last time.
    pub(super) fn restore_position(&mut self) {
        let Some(a) = self.reader.article() else {
            return;
        };
        if let Some(position) = self.archive.marks(a).position
            && self.reader.scroll() == 0
        {
            self.reader.restore(position);
            self.sync();
        }
    }
}
