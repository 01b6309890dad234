//! The Regions pane: `All articles`, groups with their members, tags, `No location`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{focused, pane_block};
use crate::app::{App, RegionRow};
use crate::layout::{Focus, inner};
use crate::page::{display_width, truncate};

/// Draws the region filter.
pub fn render_regions(app: &App, frame: &mut Frame, area: Rect) {
    let is_focused = focused(app, Focus::Regions);
    let title = if app.prompt() == Some(&crate::app::Prompt::FindRegion)
        || !app.regions().find().is_empty()
    {
        format!("Regions /{}", app.regions().find())
    } else if app.regions().hides_empty() {
        "Regions with articles".to_owned()
    } else {
        "Regions".to_owned()
    };
    frame.render_widget(pane_block(app, &title, is_focused), area);
    let body = inner(area);
    let width = usize::from(body.width);
    if width == 0 {
        return;
    }
    let tree = app.archive().tree().is_some();
    let mut lines = Vec::new();
    for (i, row) in app
        .regions()
        .rows()
        .iter()
        .enumerate()
        .skip(app.regions().offset())
        .take(usize::from(body.height))
    {
        let (mark, indent, name, count) = match row {
            RegionRow::View { view, count } => (
                if app.is_view_applied(*view) {
                    "●"
                } else {
                    " "
                },
                // A view is a query, not a place: the search glass says so.
                "⌕ ".to_owned(),
                app.views()
                    .get(*view)
                    .map_or_else(String::new, |v| v.name.clone()),
                *count,
            ),
            RegionRow::All => (
                if app.filter().regions.is_empty() {
                    "●"
                } else {
                    " "
                },
                String::new(),
                "All articles".to_owned(),
                app.regions().all_count(),
            ),
            RegionRow::Item {
                selector,
                depth,
                count,
                group,
                expanded,
            } => {
                let mark = if app.is_selected(selector) {
                    "●"
                } else if app.regions().partly_selected(i) {
                    // A closed group with a selected row inside.
                    "◐"
                } else {
                    " "
                };
                let open = match (group, expanded) {
                    (true, true) => "▾ ",
                    (true, false) => "▸ ",
                    _ => "  ",
                };
                let indent = if tree {
                    // Every level two columns in, names aligned under their parent's.
                    format!("{}{open}", "  ".repeat(usize::from(*depth)))
                } else if *depth > 0 {
                    "   ".to_owned()
                } else {
                    open.to_owned()
                };
                (mark, indent, app.index().name_of(selector), *count)
            }
        };
        let count = count.to_string();
        let name_w = width.saturating_sub(2 + display_width(&indent) + count.len() + 1);
        let name = truncate(&name, name_w);
        let gap =
            width.saturating_sub(2 + display_width(&indent) + display_width(&name) + count.len());
        let selected = i == app.regions().cursor();
        let base = match (selected, is_focused) {
            (true, true) => app.theme().selection,
            (true, false) => app.theme().selection_unfocused,
            _ => Style::new(),
        };
        // A row with no article under the query is dimmed (`z` hides them).
        let empty = matches!(row, RegionRow::Item { count: 0, .. });
        let name_style = if empty && !selected {
            app.theme().dimmed
        } else {
            base
        };
        let mark_style = if selected { base } else { app.theme().marked };
        let count_style = if selected { base } else { app.theme().dimmed };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), mark_style),
            Span::styled(format!("{indent}{name}{}", " ".repeat(gap)), name_style),
            Span::styled(count, count_style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), body);
}
