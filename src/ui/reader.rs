//! The reading pane: the visible slice of the cached page, a scrollbar and
//! how far through the article you are.

use std::ops::Range;

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
        LineKind::Title => app.theme().title,
        LineKind::Meta => app.theme().tag,
        LineKind::Standfirst => app.theme().standfirst,
        LineKind::Caption => app.theme().dimmed.add_modifier(Modifier::ITALIC),
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

/// A page line as styled spans: emphasis, then search matches on top, the
/// current match (`current`, one of `matches`) in its own style.
fn styled<'a>(
    app: &App,
    line: &'a PageLine,
    matches: &[Range<usize>],
    current: Option<&Range<usize>>,
) -> Line<'a> {
    let base = line_style(app, line.kind);
    if line.emphasis.is_empty() && matches.is_empty() {
        return Line::from(Span::styled(line.text.as_str(), base));
    }
    // Cut the line at every boundary, then style each piece.
    let len = line.text.len();
    let mut cuts = vec![0, len];
    for r in line.emphasis.iter().map(|(r, _)| r).chain(matches) {
        cuts.push(r.start.min(len));
        cuts.push(r.end.min(len));
    }
    cuts.retain(|&c| line.text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    let spans = cuts
        .windows(2)
        .map(|w| {
            let (start, end) = (w[0], w[1]);
            let mut style = base;
            for (r, e) in &line.emphasis {
                if r.start <= start && end <= r.end {
                    style = style.patch(emphasis_style(*e));
                }
            }
            if matches.iter().any(|r| r.start <= start && end <= r.end) {
                style = style.patch(app.theme().match_highlight);
            }
            if current.is_some_and(|r| r.start <= start && end <= r.end) {
                style = style.patch(app.theme().current_match);
            }
            Span::styled(&line.text[start..end], style)
        })
        .collect::<Vec<_>>();
    Line::from(spans)
}

/// Draws the reading pane.
pub fn render_reader(app: &App, frame: &mut Frame, area: Rect) {
    let article = app.reader().article().map(|i| &app.articles()[i]);
    // The title is the page's first line, wrapped whole; the border would
    // only repeat it cut short. It says where the article is in the list
    // instead, which the full-screen and one-pane readers hide.
    let mut block = pane_block(app, "Reader", focused(app, Focus::Reader));
    if article.is_some() {
        let row = app.reader().article().and_then(|i| app.list().row_of(i));
        let position = row.map(|r| {
            format!(
                " {} of {} ",
                crate::format::thousands(r + 1),
                crate::format::thousands(app.visible().len())
            )
        });
        // Only where it fits beside the name, leaving a corner of border.
        if let Some(position) = position
            && position.len() + " Reader ".len() + 3 <= usize::from(area.width)
        {
            block = block.title_top(Line::from(position).right_aligned());
        }
        block =
            block.title_bottom(Line::from(format!(" {}% ", app.reader_percent())).right_aligned());
    }
    frame.render_widget(block, area);
    let text_area = reader_text(
        area,
        app.layout().reader_max_width,
        app.layout().reader_align == Align::Center,
    );
    if text_area.width == 0 || text_area.height == 0 || article.is_none() {
        return;
    }
    let current = (app.reader().current_match()).and_then(|i| app.reader().matches().get(i));
    let lines: Vec<Line> = app
        .reader()
        .page()
        .lines
        .iter()
        .skip(app.reader().scroll())
        .take(usize::from(text_area.height))
        .enumerate()
        .map(|(n, l)| {
            let at = n + app.reader().scroll();
            let from = app
                .reader()
                .matches()
                .partition_point(|(line, _)| *line < at);
            let ranges: Vec<Range<usize>> = app.reader().matches()[from..]
                .iter()
                .take_while(|(line, _)| *line == at)
                .map(|(_, r)| r.clone())
                .collect();
            let current = current.filter(|(line, _)| *line == at).map(|(_, r)| r);
            styled(app, l, &ranges, current)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), text_area);
    let total = app.reader().page().lines.len();
    if total > usize::from(text_area.height) {
        let bar_area = Rect {
            x: area.x + area.width.saturating_sub(2),
            width: 1,
            ..inner(area)
        };
        let mut state = ScrollbarState::new(total.saturating_sub(usize::from(text_area.height)))
            .position(app.reader().scroll());
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None);
        frame.render_stateful_widget(bar, bar_area, &mut state);
    }
}
