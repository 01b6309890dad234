//! The saved views (`[[views]]`) at the top of the Regions pane: their
//! counts, applying one, and saving the query in use as a new one (`V`).

use std::path::PathBuf;

use crate::search::fold;
use crate::views::View;

impl crate::app::App {
    /// Sets the saved views and the person's own config file (where `V`
    /// saves one; `None` where there is none, see [`Config::own_file`]).
    ///
    /// [`Config::own_file`]: crate::config::Config::own_file
    pub fn set_views(&mut self, views: Vec<View>, own_config: Option<PathBuf>) {
        self.regions.views = views;
        self.regions.own_config = own_config;
        self.refilter();
    }

    /// The saved views.
    pub fn views(&self) -> &[View] {
        &self.regions.views
    }

    /// Counts each view's query alone (no region, unread or starred filter):
    /// before the rows are rebuilt, as the marks (`is:unread`) may have moved.
    pub(in crate::app) fn count_views(&mut self) {
        let mut counts = Vec::with_capacity(self.regions.views.len());
        for view in &self.regions.views {
            let alone = crate::app::Filter {
                search: view.query.clone(),
                ..crate::app::Filter::default()
            };
            // Queries were checked when the config was read.
            let n = alone
                .run(&mut self.archive, self.today)
                .map_or(0, |f| f.visible.len());
            counts.push(n);
        }
        self.regions.view_counts = counts;
    }

    /// Applies view `i`: its query becomes the search (the region
    /// selection, unread-only and starred-only are left as they are).
    pub(in crate::app) fn apply_view(&mut self, i: usize) {
        let Some(view) = self.regions.views.get(i) else {
            return;
        };
        let (name, query) = (view.name.clone(), view.query.clone());
        self.set_search(&query);
        self.notice = Some(format!("view \"{name}\": {query}"));
    }

    /// Whether view `i`'s query is the search now (its row shows a mark).
    pub fn is_view_applied(&self, i: usize) -> bool {
        self.regions
            .views
            .get(i)
            .is_some_and(|v| v.query.trim() == self.filter.search.trim())
    }

    /// `V`: asks for a name for the query in use (prefilled with the query
    /// itself); Enter saves it ([`App::save_view_named`]).
    ///
    /// [`App::save_view_named`]: crate::app::App
    pub(in crate::app) fn save_view(&mut self) {
        let query = self.filter.search.trim().to_owned();
        if query.is_empty() {
            self.notice = Some("no query to save as a view: type one with / first".into());
            return;
        }
        if let Some(e) = &self.query_error {
            self.notice = Some(format!("this query cannot be saved: {e}"));
            return;
        }
        self.prompt = Some(crate::app::Prompt::NameView {
            line: crate::line_edit::LineEdit::new(&query),
            query,
        });
    }

    /// Saves `query` as the view `name` into the person's own config file
    /// (an [`Effect::SaveView`] for the loop); with no such file, the
    /// notice gives the lines to add. An empty name is the query itself.
    ///
    /// [`Effect::SaveView`]: crate::app::Effect::SaveView
    pub(in crate::app) fn save_view_named(&mut self, name: &str, query: &str) {
        let name = if name.is_empty() { query } else { name }.to_owned();
        let query = query.to_owned();
        match self.regions.own_config.clone() {
            Some(path) => self
                .effects
                .push(crate::app::Effect::SaveView { path, name, query }),
            None => {
                let lines = crate::views::lines_to_add(&name, &query);
                self.notice = Some(format!(
                    "no config file of your own to save into; add to one: {}",
                    lines.trim_end().replace('\n', " ⏎ ")
                ));
            }
        }
    }

    /// The loop saved view (`name`, `query`): it shows at once.
    pub fn view_saved(&mut self, name: &str, query: &str) {
        let view = View {
            name: name.to_owned(),
            query: query.to_owned(),
            key: None,
        };
        match self
            .regions
            .views
            .iter_mut()
            .find(|v| fold(v.name.trim()) == fold(name.trim()))
        {
            Some(same) => same.query = view.query,
            None => self.regions.views.push(view),
        }
        self.notice = Some(format!("saved view \"{name}\""));
        self.refilter();
    }
}
