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
    match app.prompt() {
        Some(Prompt::Pipe { line }) => {
            let labels = (" Pipe to command: ", "  (Enter runs, Esc cancels)");
            return render_line_prompt(app, labels, line, frame, area);
        }
        Some(Prompt::NameView { line, .. }) => {
            let labels = (" Save view as: ", "  (Enter saves, Esc cancels)");
            return render_line_prompt(app, labels, line, frame, area);
        }
        _ => {}
    }
    let mut left = format!(
        " {} of {}",
        crate::format::thousands(app.visible().len()),
        crate::format::plural(app.articles().len(), "article", "articles")
    );
    let unread = app.unread_visible();
    if unread > 0 && unread < app.visible().len() {
        left.push_str(&format!(" · {} unread", crate::format::thousands(unread)));
    }
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
        left.push_str(&format!(
            " · importing feeds {}/{}",
            crate::format::thousands(done),
            crate::format::thousands(total)
        ));
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
    if let Some(counter) = match_counter(app) {
        left.push_str(&format!(" · {counter}"));
    }
    if app.full_screen() {
        left.push_str(" · full screen");
    }
    let mut spans = vec![Span::styled(left, app.theme().status)];
    if let Some(count) = app.pending_count() {
        spans.push(Span::styled(
            format!(" · count {count}"),
            app.theme().status.add_modifier(Modifier::BOLD),
        ));
    }

    let prompt = match app.prompt() {
        Some(Prompt::FindRegion) => Some(format!(" · find tag: {}", with_cursor(app.find_line()))),
        Some(Prompt::Search { line, .. }) => Some(match app.query_error() {
            Some(error) => format!(" · /{} {error}", with_cursor(line)),
            None => format!(" · /{} (Enter keeps, Esc cancels)", with_cursor(line)),
        }),
        Some(Prompt::ConfirmMarkAll) => {
            let unread = app
                .visible()
                .iter()
                .filter(|&&i| !app.marks(i).read)
                .count();
            Some(format!(
                " · mark {} read? y/n",
                crate::format::plural(unread, "article", "articles")
            ))
        }
        // Drawn on their own (see `render_line_prompt`).
        Some(Prompt::Pipe { .. } | Prompt::NameView { .. }) | None => None,
    };
    if let Some(prompt) = prompt {
        spans.push(Span::styled(
            prompt,
            app.theme().status.add_modifier(Modifier::BOLD),
        ));
    }
    let problems = (!app.problems().is_empty()).then(|| {
        let key = app
            .keymap()
            .key_for(Message::ShowProblems)
            .unwrap_or_default();
        let n = app.problems().len();
        format!(
            " · {} ({key})",
            crate::format::plural(n, "problem", "problems")
        )
    });
    if let Some(notice) = app.notice() {
        // The notice gets the room the rest leaves, so the problem count
        // stays in view; it is shortened at a word, never mid-word.
        let used: usize = spans
            .iter()
            .map(|s| crate::page::display_width(&s.content))
            .sum::<usize>()
            + problems.as_deref().map_or(0, crate::page::display_width);
        let room = usize::from(area.width).saturating_sub(used + 3);
        spans.push(Span::styled(
            format!(" · {}", shorten(notice, room)),
            app.theme().status.patch(app.theme().alert),
        ));
    }
    if let Some(problems) = problems {
        spans.push(Span::styled(
            problems,
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

/// The pipe prompt takes the whole row, as mutt's does: a command is
/// often long, and the counts are of no use while typing it. A command
/// wider than the row shows its end, where the cursor usually is.
/// A prompt that takes the whole status bar: its label, the line typed
/// (the end before the cursor kept in view), and a hint where it fits.
fn render_line_prompt(
    app: &App,
    (label, hint): (&str, &str),
    line: &crate::line_edit::LineEdit,
    frame: &mut Frame,
    area: Rect,
) {
    let width = usize::from(area.width);
    let (before, after) = line.text().split_at(line.cursor());
    // Columns left for what is typed before the cursor.
    let room = width.saturating_sub(label.len() + 1);
    let typed = if crate::page::display_width(before) <= room {
        format!("{before}▏{after}")
    } else {
        // The end before the cursor, after an ellipsis.
        let mut tail = before;
        while crate::page::display_width(tail) + 1 > room
            && let Some(c) = tail.chars().next()
        {
            tail = &tail[c.len_utf8()..];
        }
        format!("…{tail}▏{after}")
    };
    let mut spans = vec![
        Span::styled(label, app.theme().status),
        Span::styled(typed, app.theme().status.add_modifier(Modifier::BOLD)),
    ];
    let used: usize = spans
        .iter()
        .map(|s| crate::page::display_width(&s.content))
        .sum();
    if used + hint.len() <= width {
        spans.push(Span::styled(hint, app.theme().status));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(app.theme().status),
        area,
    );
}

/// The line typed with the cursor drawn where it is (`▏` between characters).
pub fn with_cursor(line: &crate::line_edit::LineEdit) -> String {
    let (before, after) = line.text().split_at(line.cursor());
    format!("{before}▏{after}")
}

/// Where n/N stand: `match 3 of 17 in this article · article 2 of 212`. The
/// matches are counted in the open article only: counting those of every
/// visible article would scan them all on each key.
pub fn match_counter(app: &App) -> Option<String> {
    let current = app.reader().current_match()?;
    let article = app.reader().article()?;
    let row = if app.list().selected_article() == Some(article) {
        app.selected()
    } else {
        app.list().row_of(article)?
    };
    Some(format!(
        "match {} of {} in this article · article {} of {}",
        crate::format::thousands(current + 1),
        crate::format::thousands(app.reader().matches().len()),
        crate::format::thousands(row + 1),
        crate::format::thousands(app.visible().len()),
    ))
}

pub use crate::page::shorten;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_shortened_at_a_word() {
        let msg = "the browser \"firefox\" failed (exit status: 1); set $BROWSER";
        assert_eq!(shorten(msg, 100), msg);
        assert_eq!(shorten(msg, 30), "the browser \"firefox\" failed…");
        assert_eq!(shorten(msg, 29), "the browser \"firefox\"…");
        assert!(crate::page::display_width(&shorten(msg, 29)) <= 29);
        assert_eq!(shorten("Unbreakable", 6), "Unbre…");
        assert_eq!(shorten("abc", 0), "");
        assert_eq!(shorten("中文 文本很长很长", 8), "中文…");
    }
}
