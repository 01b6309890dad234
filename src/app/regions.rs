//! The Regions pane: its rows (with counts under the other filters), the
//! cursor, which groups are open, and the typed tag filter.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::geo_tree::GeoNode;
use crate::regions::{RegionSort, Selector, TagIndex};
use crate::search::fold;
use crate::views::View;

/// One row of the Regions pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionRow {
    /// A saved view (`[[views]]`), listed first: choosing it applies its query.
    View {
        /// Its place in [`RegionsPane::views`].
        view: usize,
        /// The articles its query gives under nothing else.
        count: usize,
    },
    /// `All articles`: clears the selection.
    All,
    /// A group, tag or `No location`.
    Item {
        /// What it selects.
        selector: Selector,
        /// 0 for top level, 1 for a group's member or a continent's
        /// subregion, and so on down the place hierarchy.
        depth: u8,
        /// Articles it would give under the other filters.
        count: usize,
        /// Whether it is a group or a place with rows inside (to show).
        group: bool,
        /// Whether its members are shown.
        expanded: bool,
    },
}

/// The key a row's open/closed state is kept under: a group's key or a
/// place's id; `None` for what never has rows inside.
pub fn expand_key(selector: &Selector) -> Option<&str> {
    match selector {
        Selector::Group(key) | Selector::Place(key) => Some(key),
        Selector::Tag(_) | Selector::NoLocation => None,
    }
}

/// The Regions pane's own state.
#[derive(Debug, Clone, Default)]
pub struct RegionsPane {
    rows: Vec<RegionRow>,
    cursor: usize,
    offset: usize,
    /// Groups shown expanded (by key).
    expanded: BTreeSet<String>,
    /// The tag-row filter typed after `/`.
    find: String,
    /// The saved views, listed at the top.
    views: Vec<View>,
    /// The count of each view's query alone, as of the last rebuild.
    view_counts: Vec<usize>,
    /// The person's own config file, where `V` saves a view (`None`: only
    /// built-in defaults or the shipped file: the notice prints the lines).
    own_config: Option<PathBuf>,
}

impl RegionsPane {
    /// The rows, `All articles` first.
    pub fn rows(&self) -> &[RegionRow] {
        &self.rows
    }

    /// The row under the cursor.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The first row on screen.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The typed tag filter.
    pub fn find(&self) -> &str {
        &self.find
    }

    /// The row under the cursor, if any.
    pub fn current(&self) -> Option<&RegionRow> {
        self.rows.get(self.cursor)
    }

    /// Moves the cursor to `row` (clamped).
    pub fn set_cursor(&mut self, row: usize) {
        self.cursor = row.min(self.rows.len().saturating_sub(1));
    }

    /// Keeps the cursor on screen in a pane of `height` rows.
    pub fn keep_in_view(&mut self, height: usize) {
        self.offset = super::keep_in_view(self.offset, self.cursor, height, self.rows.len());
    }

    /// Types a character of the tag filter.
    pub fn push_find(&mut self, c: char) {
        self.find.push(c);
    }

    /// Erases the last character of the tag filter.
    pub fn pop_find(&mut self) {
        self.find.pop();
    }

    /// Clears the tag filter.
    pub fn clear_find(&mut self) {
        self.find.clear();
    }

    /// The first row that matched the tag filter (the one after `All`).
    pub fn first_match_row(&self) -> usize {
        self.rows
            .iter()
            .position(|r| matches!(r, RegionRow::Item { .. }))
            .unwrap_or(0)
    }

    /// The saved views, in `[[views]]` order.
    pub fn views(&self) -> &[View] {
        &self.views
    }

    /// Opens or closes group `key`; false when nothing changed.
    pub fn set_group_open(&mut self, key: &str, open: bool) -> bool {
        if open {
            self.expanded.insert(key.to_owned())
        } else {
            self.expanded.remove(key)
        }
    }

    /// The row of the group (or place) that row `at` (a member) belongs to.
    pub fn group_row_of(&self, at: usize) -> Option<usize> {
        let Some(RegionRow::Item { depth, .. }) = self.rows.get(at) else {
            return None;
        };
        let depth = *depth;
        if depth == 0 {
            return None;
        }
        (0..at)
            .rev()
            .find(|&i| matches!(self.rows[i], RegionRow::Item { depth: d, .. } if d < depth))
    }

    /// Rebuilds the rows: counts under `allowed` (the other filters), open
    /// groups, the typed filter. With a place hierarchy (`tree`), its rows;
    /// else the flat tags and groups of `index`. The cursor stays on the same
    /// row where it still exists.
    pub fn rebuild(
        &mut self,
        index: &TagIndex,
        tree: Option<&GeoNode>,
        sort: RegionSort,
        allowed: Option<&[bool]>,
    ) {
        let cursor_on = self.rows.get(self.cursor).cloned();
        let rows = match tree {
            Some(tree) => self.tree_rows(tree, allowed),
            None => self.flat_rows(index, sort, allowed),
        };
        // Views first, like smart folders; not while finding a tag (`/`
        // looks for tags, and the first match stays under the cursor).
        let views = (0..self.views.len())
            .filter(|_| self.find.trim().is_empty())
            .map(|view| RegionRow::View {
                view,
                count: self.view_counts.get(view).copied().unwrap_or(0),
            });
        self.rows = views.chain(rows).collect();
        self.keep_cursor_on(cursor_on);
    }

    /// The rows of the place hierarchy: open nodes show their children; a
    /// typed filter shows every node whose name matches, with the way to it
    /// open.
    fn tree_rows(&self, tree: &GeoNode, allowed: Option<&[bool]>) -> Vec<RegionRow> {
        fn matches_within(n: &GeoNode, find: &str) -> bool {
            fold(&n.name).contains(find) || n.children.iter().any(|c| matches_within(c, find))
        }
        fn go(
            pane: &RegionsPane,
            n: &GeoNode,
            depth: u8,
            find: &str,
            allowed: Option<&[bool]>,
            rows: &mut Vec<RegionRow>,
        ) {
            for c in &n.children {
                let Some(selector) = c.kind.selector() else {
                    continue;
                };
                let inside = !find.is_empty() && c.children.iter().any(|k| matches_within(k, find));
                if !find.is_empty() && !inside && !fold(&c.name).contains(find) {
                    continue;
                }
                let group = !c.children.is_empty();
                let expanded = group
                    && (inside || expand_key(&selector).is_some_and(|k| pane.expanded.contains(k)));
                rows.push(RegionRow::Item {
                    selector,
                    depth,
                    count: c.count_in(allowed),
                    group,
                    expanded,
                });
                if expanded {
                    go(pane, c, depth.saturating_add(1), find, allowed, rows);
                }
            }
        }
        let find = fold(self.find.trim());
        let mut rows = vec![RegionRow::All];
        go(self, tree, 0, &find, allowed, &mut rows);
        rows
    }

    /// The flat rows: groups with their members, tags, `No location`.
    fn flat_rows(
        &self,
        index: &TagIndex,
        sort: RegionSort,
        allowed: Option<&[bool]>,
    ) -> Vec<RegionRow> {
        let find = fold(self.find.trim());
        let matches = |s: &Selector| find.is_empty() || fold(&index.name_of(s)).contains(&find);
        let mut rows = vec![RegionRow::All];
        for (selector, count) in index.top_level(sort, allowed) {
            let Selector::Group(key) = &selector else {
                if matches(&selector) {
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
            let matching: Vec<_> = index
                .members(key, sort, allowed)
                .into_iter()
                .filter(|(m, _)| matches(m))
                .collect();
            if !matches(&selector) && matching.is_empty() {
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
        rows
    }

    fn keep_cursor_on(&mut self, cursor_on: Option<RegionRow>) {
        let same = |a: &RegionRow, b: &RegionRow| match (a, b) {
            (RegionRow::All, RegionRow::All) => true,
            (RegionRow::View { view: a, .. }, RegionRow::View { view: b, .. }) => a == b,
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
        self.cursor = cursor_on
            .and_then(|c| self.rows.iter().position(|r| same(r, &c)))
            .unwrap_or(self.cursor)
            .min(self.rows.len().saturating_sub(1));
    }
}

impl super::App {
    pub(super) fn toggle_region(&mut self) {
        match self.regions.current().cloned() {
            Some(RegionRow::View { view, .. }) => return self.apply_view(view),
            Some(RegionRow::All) => self.filter.regions.clear(),
            Some(RegionRow::Item { selector, .. }) => {
                if let Some(i) = self.filter.regions.iter().position(|s| *s == selector) {
                    self.filter.regions.remove(i);
                } else {
                    self.filter.regions.push(selector);
                }
            }
            None => return,
        }
        self.refilter();
    }

    /// Expands or collapses the group under the cursor; false when it is not a
    /// group or already so. On a member row (or a closed place inside
    /// another), collapsing goes to its group and closes it.
    pub(super) fn set_expanded(&mut self, expand: bool) -> bool {
        let current = self.regions.current().and_then(|row| match row {
            RegionRow::Item {
                selector,
                group: true,
                expanded,
                ..
            } => expand_key(selector).map(|k| (k.to_owned(), *expanded)),
            _ => None,
        });
        match current {
            Some((key, expanded)) if expanded != expand => {
                self.regions.set_group_open(&key, expand);
                self.rebuild_region_rows();
                true
            }
            _ if !expand => match self.regions.group_row_of(self.regions.cursor()) {
                Some(group) => {
                    self.regions.set_cursor(group);
                    self.set_expanded(false)
                }
                None => false,
            },
            _ => false,
        }
    }

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
    pub(super) fn count_views(&mut self) {
        let mut counts = Vec::with_capacity(self.regions.views.len());
        for view in &self.regions.views {
            let alone = super::Filter {
                search: view.query.clone(),
                ..super::Filter::default()
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
    pub(super) fn apply_view(&mut self, i: usize) {
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

    /// `V`: saves the query in use as a view named by its text, into the
    /// person's own config file (an [`Effect::SaveView`] for the loop); with
    /// no such file, the notice gives the lines to add.
    ///
    /// [`Effect::SaveView`]: super::Effect::SaveView
    pub(super) fn save_view(&mut self) {
        let query = self.filter.search.trim().to_owned();
        if query.is_empty() {
            self.notice = Some("no query to save as a view: type one with / first".into());
            return;
        }
        if let Some(e) = &self.query_error {
            self.notice = Some(format!("this query cannot be saved: {e}"));
            return;
        }
        let name = query.clone();
        match self.regions.own_config.clone() {
            Some(path) => self
                .effects
                .push(super::Effect::SaveView { path, name, query }),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regions::RegionRules;

    fn index() -> TagIndex {
        let mut rules = RegionRules::default();
        rules.groups.insert(
            "Central Asia".into(),
            vec!["Kazakhstan".into(), "Kyrgyzstan".into()],
        );
        let text = |tag: &str| format!("T\n\nBody.\n\nLocation: [{tag}](#)\n");
        let articles: Vec<_> = ["Kazakhstan", "Kyrgyzstan", "Georgia"]
            .iter()
            .map(|t| {
                crate::article::Article::parse(text(t).as_bytes(), crate::article::Form::Plain)
                    .expect("parses")
            })
            .collect();
        TagIndex::build(&articles, &rules)
    }

    #[test]
    fn groups_open_and_close_and_the_cursor_stays_on_its_row() {
        let index = index();
        let mut pane = RegionsPane::default();
        pane.rebuild(&index, None, RegionSort::Count, None);
        let names = |p: &RegionsPane| p.rows().len();
        assert_eq!(names(&pane), 3, "All, Central Asia (closed), Georgia");
        pane.set_cursor(2);
        let on = pane.current().cloned();
        assert!(pane.set_group_open("central asia", true));
        pane.rebuild(&index, None, RegionSort::Count, None);
        assert_eq!(pane.rows().len(), 5, "members shown");
        assert_eq!(pane.current().cloned(), on, "the cursor followed Georgia");
        assert_eq!(pane.group_row_of(2), Some(1), "a member's group");
    }

    #[test]
    fn typing_a_tag_filter_opens_groups_with_matching_members() {
        let index = index();
        let mut pane = RegionsPane::default();
        for c in "kyrg".chars() {
            pane.push_find(c);
        }
        pane.rebuild(&index, None, RegionSort::Count, None);
        assert_eq!(pane.rows().len(), 3, "All, the group, Kyrgyzstan");
        assert!(matches!(
            pane.rows()[2],
            RegionRow::Item {
                depth: 1,
                count: 1,
                ..
            }
        ));
        pane.clear_find();
        pane.rebuild(&index, None, RegionSort::Count, None);
        assert_eq!(pane.rows().len(), 3, "closed again");
    }
}
