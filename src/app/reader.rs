//! The reading pane: which article, wrapped how, scrolled where, and the
//! search matches on its page.

use std::ops::Range;

use crate::article::Article;
use crate::page::Page;
use crate::query::text::Highlights;
use crate::state::Position;

/// The reading pane's own state.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    /// The article shown (its id).
    article: Option<usize>,
    /// The article wrapped to the current text width.
    page: Page,
    /// First line shown.
    scroll: usize,
    /// Lines that fit in the pane.
    height: usize,
    /// Search matches on the page: line index and byte range in that line, in order.
    matches: Vec<(usize, Range<usize>)>,
    /// What `matches` was computed for: article, width, search.
    matches_for: (Option<usize>, usize, String),
    /// The match last jumped to with n/N (its index in `matches`).
    current_match: Option<usize>,
    /// The place in the text (block, offset) kept across re-wraps, so a series
    /// of resizes returns to the same line; cleared when the person scrolls.
    anchor: Option<(usize, usize)>,
}

impl Reader {
    /// An empty pane of `height` lines.
    pub fn with_height(height: usize) -> Reader {
        Reader {
            height,
            ..Reader::default()
        }
    }

    /// The article shown.
    pub fn article(&self) -> Option<usize> {
        self.article
    }

    /// The wrapped page.
    pub fn page(&self) -> &Page {
        &self.page
    }

    /// The first line shown.
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// Lines that fit in the pane.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Search matches on the page: line and byte range in that line, in order.
    pub fn matches(&self) -> &[(usize, Range<usize>)] {
        &self.matches
    }

    /// The index in [`Reader::matches`] of the match last jumped to.
    pub fn current_match(&self) -> Option<usize> {
        self.current_match
    }

    /// Sets the pane height.
    pub fn set_height(&mut self, height: usize) {
        self.height = height;
    }

    /// The last line that can be the first shown.
    fn max_scroll(&self) -> usize {
        self.page.lines.len().saturating_sub(self.height.max(1))
    }

    /// Whether the last line of the page is in view.
    pub fn at_end(&self) -> bool {
        self.scroll >= self.max_scroll()
    }

    /// Shows `article` wrapped as `page`, from the top.
    pub fn open(&mut self, article: Option<usize>, page: Page) {
        self.article = article;
        self.page = page;
        self.scroll = 0;
        self.current_match = None;
        self.anchor = None;
    }

    /// Re-wraps the open article as `page`, keeping the first line shown at
    /// the same place in the text.
    pub fn rewrap(&mut self, page: Page) {
        let anchor = self.anchor.or_else(|| self.place());
        self.anchor = anchor;
        self.page = page;
        self.current_match = None;
        if let Some((block, offset)) = anchor {
            self.scroll = self.line_at(block, offset);
        }
    }

    /// Keeps the scroll inside the page.
    pub fn clamp(&mut self) {
        self.scroll = self.scroll.min(self.max_scroll());
    }

    /// Scrolls to `line` (clamped), as the person did: forgets the anchor.
    pub fn scroll_to(&mut self, line: usize) {
        self.anchor = None;
        self.scroll = line.min(self.max_scroll());
    }

    /// The (block, offset) of the first line shown.
    pub fn place(&self) -> Option<(usize, usize)> {
        self.page
            .lines
            .get(self.scroll)
            .map(|l| (l.block, l.offset))
    }

    /// Where reading stopped, to remember: none at the top.
    pub fn position(&self) -> Option<Position> {
        match self.page.lines.get(self.scroll) {
            Some(line) if self.scroll > 0 => Some([
                u32::try_from(line.block).ok()?,
                u32::try_from(line.offset).ok()?,
            ]),
            _ => None,
        }
    }

    /// Where to come back to after the ids change (a reload): the anchor, or
    /// the place of the first line when scrolled.
    pub fn resume_point(&self) -> Option<(usize, usize)> {
        self.anchor
            .or_else(|| self.place().filter(|_| self.scroll > 0))
    }

    /// The page line holding a (block, offset) place in the text. A blank
    /// line shares its place with the first line of the block after it; the
    /// first of the two is taken, so a position saved on a blank line comes
    /// back there.
    pub fn line_at(&self, block: usize, offset: usize) -> usize {
        let lines = &self.page.lines;
        let at = lines
            .iter()
            .rposition(|l| l.block < block || (l.block == block && l.offset <= offset))
            .unwrap_or(0);
        let place = |i: usize| (lines[i].block, lines[i].offset);
        let mut first = at;
        while first > 0 && place(first - 1) == place(at) && place(at) == (block, offset) {
            first -= 1;
        }
        first
    }

    /// Scrolls to the line of a remembered (block, offset).
    pub fn restore(&mut self, [block, offset]: Position) {
        let (block, offset) = (block as usize, offset as usize);
        let line = self.line_at(block, offset);
        self.scroll_to(line);
    }

    /// Back at `scroll` if the text there is still `place`, else at the line
    /// holding `place` (after a reload).
    pub fn resume(&mut self, scroll: usize, place: (usize, usize)) {
        let same = self
            .page
            .lines
            .get(scroll)
            .is_some_and(|l| (l.block, l.offset) == place);
        self.scroll = if same {
            scroll
        } else {
            self.line_at(place.0, place.1)
        };
        self.clamp();
    }

    /// Recomputes the matches of the query's words (`highlights`, made from
    /// the query `search`) on the page when the article, the width or the
    /// search changed.
    pub fn sync_matches(
        &mut self,
        article: Option<&Article>,
        search: &str,
        highlights: &dyn Fn() -> Highlights,
    ) {
        let key = (self.article, self.page.width, search.to_owned());
        if key == self.matches_for {
            return;
        }
        self.matches.clear();
        self.current_match = None;
        let needle = highlights();
        if let Some(article) = article
            && !needle.is_empty()
        {
            let mut block_matches: Vec<Vec<Range<usize>>> = Vec::new();
            for (n, line) in self.page.lines.iter().enumerate() {
                while block_matches.len() <= line.block {
                    let text = Page::block_text(article, block_matches.len());
                    block_matches.push(needle.find_in(text));
                }
                let (start, end) = (line.offset, line.offset + line.text.len());
                for r in &block_matches[line.block] {
                    if r.start < end && r.end > start {
                        self.matches
                            .push((n, r.start.max(start) - start..r.end.min(end) - start));
                    }
                }
            }
        }
        self.matches_for = key;
    }

    /// The next (or previous) match from the current one, or from the top of
    /// the pane when none is current: its index in the matches.
    pub fn next_match(&self, forward: bool) -> Option<usize> {
        let line = |i: usize| self.matches[i].0;
        let n = self.matches.len();
        match (self.current_match, forward) {
            (Some(c), true) => (c + 1 < n).then_some(c + 1),
            (Some(c), false) => c.checked_sub(1),
            (None, true) => (0..n).find(|&i| line(i) >= self.scroll),
            (None, false) => (0..n).rev().find(|&i| line(i) < self.scroll),
        }
    }

    /// The first (or last) match on the page.
    pub fn edge_match(&self, first: bool) -> Option<usize> {
        if self.matches.is_empty() {
            None
        } else if first {
            Some(0)
        } else {
            Some(self.matches.len() - 1)
        }
    }

    /// Makes match `i` current and scrolls it into view (two lines of context).
    pub fn show_match(&mut self, i: usize) {
        let Some((line, _)) = self.matches.get(i) else {
            return;
        };
        let line = *line;
        self.current_match = Some(i);
        self.anchor = None;
        self.scroll = line.saturating_sub(2).min(self.max_scroll());
    }

    /// How far through the article the reader is, in percent.
    pub fn percent(&self) -> u16 {
        let total = self.page.lines.len();
        if total <= self.height {
            return 100;
        }
        let max = total - self.height;
        (self.scroll * 100 / max.max(1)).min(100) as u16
    }
}
