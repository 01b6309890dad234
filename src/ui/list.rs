//! The Articles pane: only the rows on screen are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{centered, focused, pane_block};
use crate::app::App;
use crate::layout::{Focus, inner};
use crate::page::display_width;
use crate::page::{pad, truncate};

/// Draws the article list.
pub fn render_list(app: &App, frame: &mut Frame, area: Rect) {
    let is_focused = focused(app, Focus::List);
    frame.render_widget(pane_block(app, "Articles", is_focused), area);
    let body = inner(area);
    if body.width == 0 || body.height == 0 {
        return;
    }
    if app.visible().is_empty() {
        let (text, hint) = if app.articles().is_empty() {
            (
                format!("No articles in {}", app.root().display()),
                "Open another folder with `newsdesk PATH`, or set articles = \"...\" in config.toml".to_owned(),
            )
        } else {
            let key = app
                .keymap()
                .key_for(crate::message::Message::ClearFilters)
                .unwrap_or_else(|| "c".into());
            (
                "No articles match".to_owned(),
                format!("press {key} to clear the filters"),
            )
        };
        let lines = vec![
            Line::from(text).centered(),
            Line::from(Span::styled(hint, app.theme().dimmed)).centered(),
        ];
        let h = 4.min(body.height);
        let box_area = centered(body, body.width, h);
        frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
            box_area,
        );
        return;
    }
    let width = usize::from(body.width);
    // Columns: title | date (10) | first tag (up to 16), dropped when narrow.
    let show_date = width >= 34;
    let tag_w = if width >= 64 {
        16
    } else if width >= 48 {
        12
    } else {
        0
    };
    let date_w = if show_date { 10 } else { 0 };
    let gaps = usize::from(show_date) + usize::from(tag_w > 0);
    // Two marker columns before the title: unread (•) and starred (★).
    let title_w = width.saturating_sub(date_w + tag_w + gaps + 2);
    let rows = app
        .visible()
        .iter()
        .enumerate()
        .skip(app.list().offset())
        .take(usize::from(body.height));
    let mut lines = Vec::with_capacity(usize::from(body.height));
    for (row, &i) in rows {
        let a = &app.articles()[i];
        let selected = row == app.selected();
        let base = if selected {
            if is_focused {
                app.theme().selection
            } else {
                app.theme().selection_unfocused
            }
        } else {
            Style::new()
        };
        let marks = app.marks(i);
        let unread = if marks.read { " " } else { "•" };
        let star = if marks.starred { "★" } else { " " };
        let title_style = if marks.read || selected {
            base
        } else {
            app.theme().unread
        };
        let title_style = if marks.read {
            title_style
        } else {
            title_style.add_modifier(Modifier::BOLD)
        };
        let mark_style = if selected { base } else { app.theme().marked };
        let mut spans = vec![
            Span::styled(format!("{unread}{star}"), mark_style),
            Span::styled(pad(&truncate(&a.title, title_w), title_w), title_style),
        ];
        if show_date {
            let date = a.date.map_or(String::new(), |d| d.to_string());
            spans.push(Span::styled(
                format!(" {}", pad(&date, date_w)),
                if selected { base } else { app.theme().dimmed },
            ));
        }
        if tag_w > 0 {
            let tag = a
                .locations
                .first()
                .map_or(String::new(), |t| app.index().display_name(t));
            let tag = truncate(&tag, tag_w);
            let tag = format!(" {}", pad(&tag, tag_w));
            spans.push(Span::styled(
                tag,
                if selected { base } else { app.theme().tag },
            ));
        }
        debug_assert!(
            spans
                .iter()
                .map(|s| display_width(&s.content))
                .sum::<usize>()
                <= width + 1
        );
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), body);
}
