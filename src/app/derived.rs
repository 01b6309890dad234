//! Derived state, recomputed in `update` when its inputs change (never per
//! frame): the visible list after a filter or order change, the Regions rows,
//! the reader's page, and scroll offsets that keep the cursors in view.

use ratatui::layout::Rect;

use super::{App, Effect, Filter, Filtered, jobs};
use crate::config::Align;
use crate::layout::{self, Focus};
use crate::page::Page;

impl App {
    /// Recomputes the visible list after a filter change, keeping the selected
    /// article when it still matches.
    pub(super) fn refilter(&mut self) {
        let keep = self.selected_article();
        // Never a wrong list: until every article's words are read, the text
        // is not searched (the other filters are), and the status bar says so.
        let filter = if self.waiting_for_words() {
            Filter {
                search: String::new(),
                ..self.filter.clone()
            }
        } else {
            self.filter.clone()
        };
        match filter.run(&mut self.archive, self.today) {
            Ok(Filtered {
                mut visible,
                allowed,
            }) => {
                self.query_error = None;
                self.allowed = allowed;
                // The filter gives the archive order, newest first already.
                if self.filter.effective_sort(self.sort) != crate::sort::SortOrder::Newest {
                    (self.filter).sort(&mut self.archive, &mut visible, self.sort, self.today);
                }
                self.list.show(visible, keep);
            }
            // A query that cannot be read is never an empty list: the list
            // keeps the last good result and the prompt says what is wrong.
            Err(e) => self.query_error = Some(e.report(&self.filter.search)),
        }
        self.rebuild_region_rows();
        self.refresh_geo();
        self.sync();
    }

    /// Puts the visible articles in the chosen order again (the order
    /// changed, not the filter: no query runs), keeping the selected article
    /// selected and in view.
    pub(super) fn resort(&mut self) {
        let keep = self.selected_article();
        let mut visible = self.list.visible().to_vec();
        (self.filter).sort(&mut self.archive, &mut visible, self.sort, self.today);
        self.list.show(visible, keep);
        self.sync();
    }

    /// Whether the query searches the text while some articles' words are
    /// not read yet (they came from the snapshot): asks for them once.
    pub(super) fn waiting_for_words(&mut self) -> bool {
        let needs_text = self.filter.query().is_ok_and(|q| {
            q.words()
                .iter()
                .any(|(field, _)| *field == crate::query::parse::TextField::Any)
        });
        if !needs_text {
            return false;
        }
        if self.jobs.index_opening && !self.archive.has_text_index() {
            // A moment away: its `Ready` filters again.
            self.say_preparing(jobs::OPENING_INDEX.to_owned());
            return true;
        }
        self.archive.prepared();
        let missing = self.archive.shallow_words();
        // The index has every article's words: nothing to read.
        if missing == 0 || self.archive.index_answers_now() {
            return false;
        }
        let generation = self.archive.generation();
        if self.jobs.preparing_words != Some(generation) {
            self.jobs.preparing_words = Some(generation);
            self.effects.push(Effect::PrepareWords {
                generation,
                files: self.archive.missing_words(),
            });
        }
        self.say_preparing(format!(
            "{}: reading the text of {} (the list is not searched yet)",
            jobs::PREPARING_SEARCH,
            crate::format::plural(missing, "article", "articles")
        ));
        true
    }

    /// Says how a search is being prepared, unless the status bar says
    /// something else (what the person just did, as "saved view"): that
    /// stays, and the search's end clears only its own notice.
    fn say_preparing(&mut self, text: String) {
        let ours = |n: &str| n.starts_with(jobs::PREPARING_SEARCH);
        if self.notice.as_deref().is_none_or(ours) {
            self.notice = Some(text);
        }
    }

    pub(super) fn rebuild_region_rows(&mut self) {
        self.count_views();
        let all = (self.allowed.as_ref())
            .map_or(self.archive.len(), |a| a.iter().filter(|&&x| x).count());
        self.regions.set_selection(&self.filter.regions, all);
        let index = self.archive.index();
        let sort = self.archive.rules().sort;
        let tree = self.archive.tree();
        self.regions
            .rebuild(index, tree, sort, self.allowed.as_deref());
    }

    /// Brings derived state in line: the reader's page for (article, width),
    /// scroll offsets keeping cursors in view, the matches on the page.
    pub(super) fn sync(&mut self) {
        if self.focus != Focus::Reader {
            self.full_screen = false;
        }
        let panes = self.panes();
        let rows = |r: Rect| usize::from(layout::inner(r).height).max(1);
        // A pane not on screen (one-pane layout, full screen) keeps its scroll
        // for when it comes back.
        if let Some(list) = panes.list {
            self.list.keep_in_view(rows(list));
        }
        if let Some(regions) = panes.regions {
            self.regions.keep_in_view(rows(regions));
        }

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
        self.reader
            .set_height(text.map_or(1, |t| usize::from(t.height).max(1)));
        if article != self.reader.article() {
            self.ask_body(article);
            self.remember_position();
            let page = article
                .map(|a| self.build_page(a, width))
                .unwrap_or_default();
            self.reader.open(article, page);
        } else if let Some(a) = article
            && self.reader.page().width != width
        {
            let page = self.build_page(a, width);
            self.reader.rewrap(page);
        }
        self.reader.clamp();
        let shown = self.reader.article().map(|a| self.archive.article(a));
        let search = &self.filter.search;
        let highlights = || {
            crate::query::Query::parse(search)
                .map(|q| q.highlights())
                .unwrap_or_else(|_| crate::query::text::Highlights::new(Vec::new()))
        };
        self.reader.sync_matches(shown, search, &highlights);
    }

    /// An article that came without its text is read when it is shown (once).
    pub(super) fn ask_body(&mut self, article: Option<usize>) {
        let Some(a) = article.filter(|&a| self.archive.is_shallow(a)) else {
            return;
        };
        let path = self.archive.article(a).path.as_path();
        if self.jobs.asked_body.as_deref() != Some(path) {
            self.jobs.asked_body = Some(path.to_path_buf());
            self.effects.push(Effect::ReadBody(path.to_path_buf()));
        }
    }

    /// The page of article `a` at `width`, tags shown by their folded names.
    pub(super) fn build_page(&self, a: usize, width: usize) -> Page {
        let article = self.archive.article(a);
        let index = self.archive.index();
        let tags: Vec<String> = article
            .locations
            .iter()
            .map(|t| index.display_name(t))
            .collect();
        Page::build_with_tags(article, width, &tags)
    }
}
