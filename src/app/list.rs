//! The list pane: the visible articles, the selected row and the first row on
//! screen.

/// The list pane's own state.
#[derive(Debug, Clone, Default)]
pub struct ListPane {
    /// Ids of the articles shown, in order.
    visible: Vec<usize>,
    selected: usize,
    offset: usize,
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
    pub fn show(&mut self, visible: Vec<usize>, keep: Option<usize>) {
        self.visible = visible;
        self.selected = keep.and_then(|a| self.row_of(a)).unwrap_or(0);
    }

    /// Selects row `row` (clamped to the list).
    pub fn select(&mut self, row: usize) {
        self.selected = row.min(self.visible.len().saturating_sub(1));
    }

    /// Forgets every row (ids are about to change).
    pub fn clear(&mut self) {
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
