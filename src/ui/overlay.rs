//! Overlays: help (generated from the keymap) and the problems list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{centered, pane_block};
use crate::app::{App, Overlay};
use crate::library::Severity;

/// Draws an overlay over the panes. Only the lines on screen are built, so a
/// list of ten thousand problems costs what a screenful does.
pub fn render_overlay(app: &App, overlay: Overlay, frame: &mut Frame, area: Rect) {
    let help = (overlay == Overlay::Help).then(|| help_lines(app));
    let (title, total) = match &help {
        Some(lines) => ("Help — Esc closes".to_owned(), lines.len()),
        None => (
            format!(
                "Problems ({}) — Esc closes",
                crate::format::thousands(app.problems().len())
            ),
            app.problems().len().max(1),
        ),
    };
    let height = u16::try_from(total + 2).unwrap_or(u16::MAX);
    let (lines, width) = match help {
        Some(lines) => {
            let width = lines.iter().map(Line::width).max().unwrap_or(20);
            (lines, width)
        }
        None => {
            let rows = usize::from(height.min(area.height).saturating_sub(2));
            let scroll = app.overlay_scroll().min(total.saturating_sub(rows));
            (problem_lines(app, scroll, rows), usize::from(area.width))
        }
    };
    let width = u16::try_from(width.max(title.chars().count() + 4) + 4).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = pane_block(app, &title, true);
    let scroll = match overlay {
        Overlay::Help => {
            let max_scroll = lines
                .len()
                .saturating_sub(usize::from(rect.height.saturating_sub(2)));
            u16::try_from(app.overlay_scroll().min(max_scroll)).unwrap_or(0)
        }
        Overlay::Problems => 0,
    };
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), rect);
}

fn help_lines(app: &App) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut context = None;
    for entry in app.keymap().help() {
        if context != Some(entry.context) {
            if context.is_some() {
                lines.push(Line::from(""));
            }
            let heading = match entry.context.name() {
                "global" => "Everywhere",
                "list" => "Articles pane",
                "reader" => "Reading pane",
                _ => "Regions pane",
            };
            lines.push(Line::from(Span::styled(heading, app.theme().title)));
            context = Some(entry.context);
        }
        let keys = entry.keys.join(" ");
        lines.push(Line::from(vec![
            Span::styled(format!("  {keys:<18}"), app.theme().tag),
            Span::raw(format!(" {}", entry.action.description())),
        ]));
    }
    lines
}

fn problem_lines(app: &App, from: usize, rows: usize) -> Vec<Line<'static>> {
    if app.problems().is_empty() {
        return vec![Line::from("No problems: every file was read.")];
    }
    app.problems()
        .iter()
        .skip(from)
        .take(rows)
        .map(|p| {
            let style = if p.severity == Severity::Error {
                app.theme().alert
            } else {
                app.theme().tag
            };
            let place = match p.line {
                Some(l) => format!("{}:{l}", p.path.display()),
                None => p.path.display().to_string(),
            };
            Line::from(vec![
                Span::styled(format!("{} ", p.severity), style),
                Span::raw(format!("{place}: {}", p.message)),
            ])
        })
        .collect()
}
