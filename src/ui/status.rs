//! The status bar: counts, filters, problems, the most useful keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{App, Prompt};
use crate::message::Message;
use ratatui::style::Modifier;

/// Draws the last row.
pub fn render_status(app: &App, frame: &mut Frame, area: Rect) {
    let mut left = format!(
        " {} of {} articles",
        app.visible().len(),
        app.articles().len()
    );
    if let Some(crate::app::Loading { seen, total }) = app.loading() {
        let total = total.map_or("…".to_owned(), crate::format::thousands);
        left.push_str(&format!(
            " · loading {} / {total}",
            crate::format::thousands(seen)
        ));
    }
    if app.reloading() {
        left.push_str(" · reloading…");
    }
    if let Some((done, total)) = app.importing() {
        left.push_str(&format!(" · importing feeds {done}/{total}"));
    }
    let regions = app.region_names();
    if !regions.is_empty() {
        left.push_str(&format!(" · Regions: {}", regions.join(", ")));
    }
    if !app.filter().search.is_empty() && !app.prompt().is_some_and(Prompt::is_search) {
        left.push_str(&format!(" · Search: {}", app.filter().search));
    }
    if app.filter().unread_only {
        left.push_str(" · unread only");
    }
    if app.filter().starred_only {
        left.push_str(" · starred only");
    }
    let mut spans = vec![Span::styled(left, app.theme().status)];
    let prompt = match app.prompt() {
        Some(Prompt::FindRegion) => Some(format!(" · find tag: {}▏", app.regions().find())),
        Some(Prompt::Search { .. }) => Some(format!(
            " · /{}▏ (Enter keeps, Esc cancels)",
            app.filter().search
        )),
        Some(Prompt::ConfirmMarkAll) => {
            let unread = app
                .visible()
                .iter()
                .filter(|&&i| !app.marks(i).read)
                .count();
            Some(format!(" · mark {unread} articles read? y/n"))
        }
        None => None,
    };
    if let Some(prompt) = prompt {
        spans.push(Span::styled(
            prompt,
            app.theme().status.add_modifier(Modifier::BOLD),
        ));
    }
    if let Some(notice) = app.notice() {
        spans.push(Span::styled(
            format!(" · {notice}"),
            app.theme().status.patch(app.theme().alert),
        ));
    }
    if !app.problems().is_empty() {
        let key = app
            .keymap()
            .key_for(Message::ShowProblems)
            .unwrap_or_default();
        let n = app.problems().len();
        let noun = if n == 1 { "problem" } else { "problems" };
        spans.push(Span::styled(
            format!(" · {n} {noun} ({key})"),
            app.theme().status.patch(app.theme().alert),
        ));
    }
    let hint_keys = [
        (Message::ShowHelp, "help"),
        (Message::ToggleRegions, "regions"),
        (Message::ClearFilters, "clear"),
        (Message::Quit, "quit"),
    ];
    let hints: Vec<String> = hint_keys
        .iter()
        .filter_map(|(m, what)| app.keymap().key_for(*m).map(|k| format!("{k} {what}")))
        .collect();
    let right = format!("{} ", hints.join("  "));
    let used: usize = spans
        .iter()
        .map(|s| crate::page::display_width(&s.content))
        .sum();
    let width = usize::from(area.width);
    if used + crate::page::display_width(&right) < width {
        spans.push(Span::styled(
            " ".repeat(width - used - crate::page::display_width(&right)),
            app.theme().status,
        ));
        spans.push(Span::styled(right, app.theme().status));
    } else {
        spans.push(Span::styled(
            " ".repeat(width.saturating_sub(used)),
            app.theme().status,
        ));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(app.theme().status),
        area,
    );
}
