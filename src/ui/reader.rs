//! The reading pane: the visible slice of the cached page, a scrollbar and
//! how far through the article you are.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::{focused, pane_block};
use crate::app::App;
use crate::article::Emphasis;
use crate::config::Align;
use crate::layout::{Focus, inner, reader_text};
use crate::page::{LineKind, PageLine};

fn line_style(app: &App, kind: LineKind) -> Style {
    match kind {
        LineKind::Title => app.theme.title,
        LineKind::Meta => app.theme.tag,
        LineKind::Standfirst => app.theme.standfirst,
        LineKind::Caption => app.theme.dimmed.add_modifier(Modifier::ITALIC),
        LineKind::Body | LineKind::Blank => Style::new(),
    }
}

fn emphasis_style(e: Emphasis) -> Style {
    match e {
        Emphasis::Italic => Style::new().add_modifier(Modifier::ITALIC),
        Emphasis::Bold => Style::new().add_modifier(Modifier::BOLD),
        Emphasis::Link => Style::new().add_modifier(Modifier::UNDERLINED),
        Emphasis::Code => Style::new().add_modifier(Modifier::REVERSED),
    }
}

/// A page line as styled spans.
fn styled<'a>(app: &App, line: &'a PageLine) -> Line<'a> {
    let base = line_style(app, line.kind);
    if line.emphasis.is_empty() {
        return Line::from(Span::styled(line.text.as_str(), base));
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for (range, e) in &line.emphasis {
        let (start, end) = (
            range.start.max(at).min(line.text.len()),
            range.end.min(line.text.len()),
        );
        if start >= end || !line.text.is_char_boundary(start) || !line.text.is_char_boundary(end) {
            continue;
        }
        if at < start {
            spans.push(Span::styled(&line.text[at..start], base));
        }
        spans.push(Span::styled(
            &line.text[start..end],
            base.patch(emphasis_style(*e)),
        ));
        at = end;
    }
    if at < line.text.len() {
        spans.push(Span::styled(&line.text[at..], base));
    }
    Line::from(spans)
}

/// Draws the reading pane.
pub fn render_reader(app: &App, frame: &mut Frame, area: Rect) {
    let article = app.reader.article.map(|i| &app.articles[i]);
    let title = article.map_or("Reader", |a| a.title.as_str());
    let title = crate::page::truncate(title, usize::from(area.width.saturating_sub(4)).max(1));
    let mut block = pane_block(app, &title, focused(app, Focus::Reader));
    if article.is_some() {
        block =
            block.title_bottom(Line::from(format!(" {}% ", app.reader_percent())).right_aligned());
    }
    frame.render_widget(block, area);
    let text_area = reader_text(
        area,
        app.layout.reader_max_width,
        app.layout.reader_align == Align::Center,
    );
    if text_area.width == 0 || text_area.height == 0 || article.is_none() {
        return;
    }
    let lines: Vec<Line> = app
        .reader
        .page
        .lines
        .iter()
        .skip(app.reader.scroll)
        .take(usize::from(text_area.height))
        .map(|l| styled(app, l))
        .collect();
    frame.render_widget(Paragraph::new(lines), text_area);
    let total = app.reader.page.lines.len();
    if total > usize::from(text_area.height) {
        let bar_area = Rect {
            x: area.x + area.width.saturating_sub(2),
            width: 1,
            ..inner(area)
        };
        let mut state = ScrollbarState::new(total.saturating_sub(usize::from(text_area.height)))
            .position(app.reader.scroll);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None);
        frame.render_stateful_widget(bar, bar_area, &mut state);
    }
}
