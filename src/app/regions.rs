//! The Regions pane: its rows (with counts under the other filters), the
//! cursor, which groups are open, and the typed tag filter. The saved views
//! listed at its top are in [`views`].

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::geo_tree::GeoNode;
use crate::regions::{RegionSort, Selector, TagIndex};
use crate::search::fold;
use crate::views::View;

mod views;

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

/// The node of the place `id` ([`crate::geo_tree::NodeKind::place_id`]).
fn find_node<'a>(n: &'a GeoNode, id: &str) -> Option<&'a GeoNode> {
    if n.kind.place_id().as_deref() == Some(id) {
        return Some(n);
    }
    n.children.iter().find_map(|c| find_node(c, id))
}

/// Whether a node below `n` is selected.
fn selected_within(n: &GeoNode, selected: &[Selector]) -> bool {
    n.children.iter().any(|c| {
        c.kind.selector().is_some_and(|s| selected.contains(&s)) || selected_within(c, selected)
    })
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
    /// The region selection, as of the last rebuild (for partial marks).
    selected: Vec<Selector>,
    /// Rows (by index) of closed groups or places with a selection inside.
    partial: BTreeSet<usize>,
    /// Whether rows with no article under the rest of the query are left
    /// out (selected ones always show, and a typed tag filter shows all).
    hide_empty: bool,
    /// The articles under the rest of the query (`All articles`' count).
    all_count: usize,
    /// The first row whose own name matches the typed tag filter.
    first_match: Option<usize>,
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

    /// The first row whose own name matches the tag filter (not a group or
    /// continent shown only as the way to it), else the first after `All`.
    pub fn first_match_row(&self) -> usize {
        self.first_match
            .or_else(|| (self.rows.iter()).position(|r| matches!(r, RegionRow::Item { .. })))
            .unwrap_or(0)
    }

    /// The saved views, in `[[views]]` order.
    pub fn views(&self) -> &[View] {
        &self.views
    }

    /// Whether row `row` is a closed group (or place) with a selected row
    /// inside it: it shows a partial mark.
    pub fn partly_selected(&self, row: usize) -> bool {
        self.partial.contains(&row)
    }

    /// Whether rows with no article under the query are hidden.
    pub fn hides_empty(&self) -> bool {
        self.hide_empty
    }

    /// The count `All articles` shows: every article under the rest of the
    /// query (search, unread-only, starred-only), any region.
    pub fn all_count(&self) -> usize {
        self.all_count
    }

    /// Hides or shows the rows with no article under the query.
    pub fn set_hide_empty(&mut self, hide: bool) {
        self.hide_empty = hide;
    }

    /// Takes the region selection and the count under the rest of the query
    /// for the next [`RegionsPane::rebuild`].
    pub fn set_selection(&mut self, selected: &[Selector], all_count: usize) {
        self.selected = selected.to_vec();
        self.all_count = all_count;
    }

    /// Ends a tag find keeping the cursor on the row it found: the groups
    /// around that row (open only because they held a match) stay open.
    /// The caller rebuilds the rows.
    pub fn end_find(&mut self) {
        let mut at = self.cursor;
        while let Some(group) = self.group_row_of(at) {
            if let Some(RegionRow::Item { selector, .. }) = self.rows.get(group)
                && let Some(key) = expand_key(selector)
            {
                self.expanded.insert(key.to_owned());
            }
            at = group;
        }
        self.find.clear();
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
        let find = fold(self.find.trim());
        self.first_match = (!find.is_empty())
            .then(|| {
                self.rows.iter().position(|r| {
                    matches!(r, RegionRow::Item { selector, .. }
                        if fold(&index.name_of(selector)).contains(&find))
                })
            })
            .flatten();
        self.partial = self.closed_with_selection_inside(index, tree);
        self.keep_cursor_on(cursor_on);
    }

    /// The rows of closed groups and places with a selected row inside.
    fn closed_with_selection_inside(
        &self,
        index: &TagIndex,
        tree: Option<&GeoNode>,
    ) -> BTreeSet<usize> {
        if self.selected.is_empty() {
            return BTreeSet::new();
        }
        let mut partial = BTreeSet::new();
        for (i, row) in self.rows.iter().enumerate() {
            let RegionRow::Item {
                selector,
                group: true,
                expanded: false,
                ..
            } = row
            else {
                continue;
            };
            let has = match (tree, selector) {
                (Some(tree), Selector::Place(key)) => {
                    find_node(tree, key).is_some_and(|n| selected_within(n, &self.selected))
                }
                (None, Selector::Group(key)) => index
                    .members(key, RegionSort::Name, None)
                    .iter()
                    .any(|(m, _)| self.selected.contains(m)),
                _ => false,
            };
            if has && !self.selected.contains(selector) {
                partial.insert(i);
            }
        }
        partial
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
            // Rows with articles first, the empty ones after (dimmed).
            let mut children: Vec<(&GeoNode, Selector, usize)> = (n.children.iter())
                .filter_map(|c| Some((c, c.kind.selector()?, c.count_in(allowed))))
                .collect();
            children.sort_by_key(|&(_, _, count)| count == 0);
            for (c, selector, count) in children {
                let inside = !find.is_empty() && c.children.iter().any(|k| matches_within(k, find));
                if !find.is_empty() && !inside && !fold(&c.name).contains(find) {
                    continue;
                }
                if count == 0
                    && find.is_empty()
                    && pane.hides(&selector, || selected_within(c, &pane.selected))
                {
                    continue;
                }
                let group = !c.children.is_empty();
                let expanded = group
                    && (inside || expand_key(&selector).is_some_and(|k| pane.expanded.contains(k)));
                rows.push(RegionRow::Item {
                    selector,
                    depth,
                    count,
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
        let mut top = index.top_level(sort, allowed);
        // Rows with articles first, the empty ones after (dimmed).
        top.sort_by_key(|&(_, count)| count == 0);
        let members_selected = |key: &str| {
            (index.members(key, sort, None).iter()).any(|(m, _)| self.selected.contains(m))
        };
        for (selector, count) in top {
            let hidden = count == 0
                && find.is_empty()
                && self.hides(
                    &selector,
                    || matches!(&selector, Selector::Group(key) if members_selected(key)),
                );
            if hidden {
                continue;
            }
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
            let mut matching: Vec<_> = index
                .members(key, sort, allowed)
                .into_iter()
                .filter(|(m, _)| matches(m))
                .filter(|(m, c)| *c > 0 || !find.is_empty() || !self.hides(m, || false))
                .collect();
            matching.sort_by_key(|&(_, count)| count == 0);
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

    /// Whether an empty row for `selector` is left out: when empty rows are
    /// hidden, unless it is selected or (`selection_inside`) holds a
    /// selected row.
    fn hides(&self, selector: &Selector, selection_inside: impl FnOnce() -> bool) -> bool {
        self.hide_empty && !self.selected.contains(selector) && !selection_inside()
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

    #[test]
    fn flat_rows_mark_a_closed_group_with_a_selected_member_and_hide_empty_ones() {
        let index = index();
        let mut pane = RegionsPane::default();
        let kyrgyzstan = Selector::Tag("kyrgyzstan".into());
        pane.set_selection(std::slice::from_ref(&kyrgyzstan), 3);
        pane.rebuild(&index, None, RegionSort::Count, None);
        assert!(pane.partly_selected(1), "Central Asia, closed");
        assert!(!pane.partly_selected(2), "Georgia");
        // Only Georgia's article passes the rest of the query.
        let allowed = [false, false, true];
        pane.set_hide_empty(true);
        pane.rebuild(&index, None, RegionSort::Count, Some(&allowed));
        assert_eq!(
            pane.rows().len(),
            3,
            "All, Georgia, the group of the selection"
        );
        assert!(
            matches!(&pane.rows()[1], RegionRow::Item { count: 1, .. }),
            "first"
        );
        pane.set_selection(&[], 1);
        pane.rebuild(&index, None, RegionSort::Count, Some(&allowed));
        assert_eq!(pane.rows().len(), 2, "All, Georgia");
    }
}
