//! Overlays: help (generated from the keymap) and the problems list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{centered, pane_block};
use crate::app::{App, Overlay};
use crate::keymap::Context;
use crate::library::Severity;

/// The rows an overlay may use: the screen above the status bar, which stays
/// in view (it counts problems and shows prompts).
fn overlay_area(area: Rect) -> Rect {
    Rect {
        height: area.height.saturating_sub(1),
        ..area
    }
}

/// What an overlay holds, without building every line: the problems list may
/// be ten thousand entries long. Its scroll unit is one entry (a help line or
/// a problem), each of which wraps to one or more rows.
struct Content<'a> {
    app: &'a App,
    help: Option<Vec<Line<'static>>>,
}

impl Content<'_> {
    fn new(app: &App, overlay: Overlay) -> Content<'_> {
        let help = (overlay == Overlay::Help).then(|| help_lines(app));
        Content { app, help }
    }

    fn title(&self) -> String {
        match &self.help {
            Some(_) => "Help — Esc closes".to_owned(),
            None if self.app.problems().is_empty() => "Problems (0) — Esc closes".to_owned(),
            None => format!(
                "Problems ({}) — Enter edits, Esc closes",
                crate::format::thousands(self.app.problems().len())
            ),
        }
    }

    fn len(&self) -> usize {
        match &self.help {
            Some(lines) => lines.len(),
            None => self.app.problems().len().max(1),
        }
    }

    fn item(&self, i: usize) -> Line<'static> {
        match &self.help {
            Some(lines) => lines.get(i).cloned().unwrap_or_default(),
            None if i == self.app.problem_cursor() && !self.app.problems().is_empty() => {
                // The cursor: Enter opens this problem's file at its line.
                let mut line = problem_line(self.app, i);
                line.spans[0] = Span::styled("▸ ", self.app.theme().selection);
                line
            }
            None => problem_line(self.app, i),
        }
    }

    /// The widest entry, in columns (the problems list takes the full width).
    fn width(&self) -> usize {
        match &self.help {
            Some(lines) => lines.iter().map(Line::width).max().unwrap_or(20),
            None => usize::MAX,
        }
    }
}

/// Where the popup goes in `area` and the width its text wraps to.
fn geometry(content: &Content<'_>, area: Rect) -> (Rect, usize) {
    let area = overlay_area(area);
    let title = content.title().chars().count() + 4;
    // Two borders, a space each side, and a column for the "more" marks.
    let width = content.width().max(title).saturating_add(4);
    let width = u16::try_from(width).unwrap_or(u16::MAX);
    let height = u16::try_from(content.len().saturating_add(2)).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    let text_width = usize::from(rect.width.saturating_sub(4)).max(1);
    // A taller popup is needed when entries wrap; grow it as far as the screen goes.
    let rect = if rect.height < area.height {
        let rows: usize = (0..content.len())
            .take(usize::from(area.height))
            .map(|i| wrapped(&content.item(i), text_width).len())
            .sum();
        let height = u16::try_from(rows.saturating_add(2)).unwrap_or(u16::MAX);
        centered(area, rect.width, height.max(rect.height))
    } else {
        rect
    };
    (rect, text_width)
}

/// The first entry that can be on top with the last entry still in view.
fn max_scroll_of(content: &Content<'_>, rows: usize, text_width: usize) -> usize {
    let mut used = 0;
    let mut first = content.len();
    while first > 0 {
        let height = wrapped(&content.item(first - 1), text_width).len();
        if used + height > rows {
            break;
        }
        used += height;
        first -= 1;
    }
    // An entry taller than the whole popup still gets its turn on top.
    first.min(content.len().saturating_sub(1))
}

/// The first entry to draw from `scroll` on so that entry `cursor` is in
/// view in `rows` rows (entries wrap to several rows, which `update` cannot know).
fn showing_cursor(
    content: &Content<'_>,
    scroll: usize,
    cursor: usize,
    rows: usize,
    text_width: usize,
) -> usize {
    if cursor < scroll {
        return cursor;
    }
    let mut first = cursor;
    let mut used = wrapped(&content.item(cursor), text_width).len();
    while first > scroll {
        let height = wrapped(&content.item(first - 1), text_width).len();
        if used + height > rows {
            break;
        }
        used += height;
        first -= 1;
    }
    first
}

/// The largest useful `overlay_scroll` for `overlay` on a screen of `area`:
/// call it after `update` moves the scroll (j/k, PgUp/PgDn, g/G, Home/End)
/// and clamp with `min`, so `G` then `k` moves up at once. Rendering clamps
/// the same way, so a larger value is never drawn past the end.
pub fn max_scroll(app: &App, overlay: Overlay, area: Rect) -> usize {
    let content = Content::new(app, overlay);
    let (rect, text_width) = geometry(&content, area);
    max_scroll_of(
        &content,
        usize::from(rect.height.saturating_sub(2)),
        text_width,
    )
}

/// The first entry drawn for `overlay` on a screen of `area`: the scroll
/// clamped to the end (see [`max_scroll`]) and, in the problems list, moved
/// just enough to show the cursor. The loop gives it back to the app
/// ([`App::show_overlay_from`]) so the next move starts from what is seen.
pub fn first_shown(app: &App, overlay: Overlay, area: Rect) -> usize {
    let content = Content::new(app, overlay);
    let (rect, text_width) = geometry(&content, area);
    first_shown_of(app, overlay, &content, rect, text_width)
}

fn first_shown_of(
    app: &App,
    overlay: Overlay,
    content: &Content<'_>,
    rect: Rect,
    text_width: usize,
) -> usize {
    let rows = usize::from(rect.height.saturating_sub(2));
    let scroll = app
        .overlay_scroll()
        .min(max_scroll_of(content, rows, text_width));
    if overlay == Overlay::Problems {
        showing_cursor(content, scroll, app.problem_cursor(), rows, text_width)
    } else {
        scroll
    }
}

/// Draws an overlay over the panes (never over the status bar). Only the
/// entries on screen (and, for the end of the list, those at the end) are
/// built and wrapped, so ten thousand problems cost what a screenful does.
pub fn render_overlay(app: &App, overlay: Overlay, frame: &mut Frame, area: Rect) {
    let content = Content::new(app, overlay);
    let (rect, text_width) = geometry(&content, area);
    let rows = usize::from(rect.height.saturating_sub(2));
    let scroll = first_shown_of(app, overlay, &content, rect, text_width);
    let mut lines = Vec::with_capacity(rows);
    let mut last = scroll;
    for i in scroll..content.len() {
        if lines.len() >= rows {
            break;
        }
        lines.extend(
            wrapped(&content.item(i), text_width)
                .into_iter()
                .take(rows - lines.len()),
        );
        last = i + 1;
    }
    let title = content.title();
    let mut block = pane_block(app, &title, true);
    let more_above = scroll > 0;
    let more_below = last < content.len();
    if more_above || more_below {
        let marks = match (more_above, more_below) {
            (true, true) => "↑↓",
            (true, false) => "↑",
            _ => "↓",
        };
        block = block.title_bottom(
            Line::from(format!(
                " {marks} {}–{} of {} ",
                scroll + 1,
                last,
                crate::format::thousands(content.len())
            ))
            .right_aligned(),
        );
    }
    frame.render_widget(Clear, rect);
    let inner = Rect {
        x: rect.x.saturating_add(2),
        y: rect.y.saturating_add(1),
        width: rect.width.saturating_sub(4),
        height: rect.height.saturating_sub(2),
    };
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One entry wrapped to `width` columns, its styles kept piece by piece.
fn wrapped(line: &Line<'static>, width: usize) -> Vec<Line<'static>> {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    if crate::page::display_width(&text) <= width {
        return vec![line.clone()];
    }
    // Byte ranges of the spans in `text`, to style each wrapped piece.
    let mut bounds = Vec::with_capacity(line.spans.len());
    let mut at = 0;
    for span in &line.spans {
        bounds.push((at, at + span.content.len(), span.style));
        at += span.content.len();
    }
    crate::page::wrap_with_offsets(&text, width)
        .into_iter()
        .map(|(offset, piece)| {
            let end = offset + piece.len();
            let spans: Vec<Span<'static>> = bounds
                .iter()
                .filter(|(from, to, _)| *from < end && *to > offset)
                .filter_map(|(from, to, style)| {
                    let piece = text.get((*from).max(offset)..(*to).min(end))?;
                    Some(Span::styled(piece.to_owned(), *style))
                })
                .collect();
            Line::from(spans)
        })
        .collect()
}

fn help_lines(app: &App) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut context = None;
    for entry in app.keymap().help() {
        if context != Some(entry.context) {
            if context.is_some() {
                lines.push(Line::from(""));
            }
            let heading = match entry.context {
                Context::Global => "Everywhere",
                Context::List => "Articles pane",
                Context::Reader => "Reading pane",
                Context::Regions => "Regions pane",
                Context::Map => "World map",
                Context::Timeline => "Timeline",
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
    // Counts are no binding of their own: digits nothing is bound to.
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("Counts", app.theme().title)));
    lines.push(Line::from(vec![
        Span::styled(format!("  {:<18}", "digits, then a key"), app.theme().tag),
        Span::raw(" that far: 5j, 3], 10G (row 10)"),
    ]));
    lines
}

fn problem_line(app: &App, i: usize) -> Line<'static> {
    let Some(p) = app.problems().get(i) else {
        return Line::from("No problems: every file was read.");
    };
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
        Span::raw("  "),
        Span::styled(format!("{} ", p.severity), style),
        Span::raw(format!("{place}: {}", p.message)),
    ])
}
