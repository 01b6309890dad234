//! The list pane: the visible articles, the selected row and the first row on
//! screen.

/// The list pane's own state.
#[derive(Debug, Clone, Default)]
pub struct ListPane {
    /// Ids of the articles shown, in order.
    visible: Vec<usize>,
    selected: usize,
    offset: usize,
    /// How many of `visible` are unread, counted for a version of the marks
    /// (the status bar shows it every frame; counting a million rows each
    /// time was a fifth of a keystroke). Forgotten when `visible` changes.
    unread: std::cell::Cell<Option<(u64, usize)>>,
}

impl ListPane {
    /// Ids of the articles shown, in order.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    /// The selected row.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The first row on screen.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The article under the cursor.
    pub fn selected_article(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// The row showing article `id`.
    pub fn row_of(&self, id: usize) -> Option<usize> {
        self.visible.iter().position(|&v| v == id)
    }

    /// Shows `visible`, keeping the selection on `keep` when it is still
    /// there, else on the first row.
    /// How many shown articles are unread under `marks_version` of the
    /// marks (`is_read` says for one id); counted once per version.
    pub fn unread(&self, marks_version: u64, is_read: impl Fn(usize) -> bool) -> usize {
        if let Some((version, n)) = self.unread.get()
            && version == marks_version
        {
            return n;
        }
        let n = self.visible.iter().filter(|&&i| !is_read(i)).count();
        self.unread.set(Some((marks_version, n)));
        n
    }

    pub fn show(&mut self, visible: Vec<usize>, keep: Option<usize>) {
        self.unread.set(None);
        self.visible = visible;
        self.selected = keep.and_then(|a| self.row_of(a)).unwrap_or(0);
    }

    /// Selects row `row` (clamped to the list).
    pub fn select(&mut self, row: usize) {
        self.selected = row.min(self.visible.len().saturating_sub(1));
    }

    /// Forgets every row (ids are about to change).
    pub fn clear(&mut self) {
        self.unread.set(None);
        self.visible.clear();
    }

    /// Keeps the selected row on screen in a pane of `height` rows.
    pub fn keep_in_view(&mut self, height: usize) {
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
        self.offset = super::keep_in_view(self.offset, self.selected, height, self.visible.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_follows_its_article_or_goes_to_the_top() {
        let mut list = ListPane::default();
        list.show(vec![5, 6, 7], None);
        list.select(2);
        assert_eq!(list.selected_article(), Some(7));
        list.show(vec![7, 8], Some(7));
        assert_eq!(list.selected(), 0, "article 7 is now on row 0");
        list.show(vec![1, 2], Some(7));
        assert_eq!(list.selected_article(), Some(1), "gone: the top row");
        list.select(99);
        assert_eq!(list.selected(), 1, "clamped");
    }

    #[test]
    fn the_unread_count_is_counted_again_for_new_marks_or_rows() {
        let mut list = ListPane::default();
        list.show(vec![1, 2, 3, 4], None);
        let read = std::cell::RefCell::new(vec![2]);
        let is_read = |i: usize| read.borrow().contains(&i);
        assert_eq!(list.unread(0, is_read), 3);
        read.borrow_mut().push(3);
        assert_eq!(list.unread(0, is_read), 3, "same version: kept");
        assert_eq!(list.unread(1, is_read), 2, "new marks: counted");
        list.show(vec![2, 3], None);
        assert_eq!(list.unread(1, is_read), 0, "new rows: counted");
    }

    #[test]
    fn the_selected_row_stays_on_screen() {
        let mut list = ListPane::default();
        list.show((0..100).collect(), None);
        list.select(50);
        list.keep_in_view(10);
        assert!(list.offset() <= 50 && 50 < list.offset() + 10);
        list.select(0);
        list.keep_in_view(10);
        assert_eq!(list.offset(), 0);
    }
}
