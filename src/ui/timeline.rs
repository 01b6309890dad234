//! The timeline strip: one bar per bucket, the selected range and the cursor
//! highlighted, and a line of labels below. Pure render from a
//! [`Timeline`] and a [`RangeSelection`].

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::page::display_width;
use crate::timeline::{RangeSelection, Timeline};

/// Colours of the strip.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimelineStyle {
    /// A bar.
    pub bar: Style,
    /// A bar in the selected range.
    pub selected: Style,
    /// The bar under the cursor.
    pub cursor: Style,
    /// The labels.
    pub label: Style,
}

impl Default for TimelineStyle {
    fn default() -> Self {
        TimelineStyle {
            bar: Style::new().fg(Color::Cyan),
            selected: Style::new().fg(Color::Yellow),
            cursor: Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::REVERSED),
            label: Style::new().fg(Color::DarkGray),
        }
    }
}

const EIGHTHS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/// The first bucket shown so the cursor stays on screen in `width` columns:
/// the strip scrolls by whole screens' halves.
pub fn first_visible(timeline: &Timeline, selection: &RangeSelection, width: usize) -> usize {
    let len = timeline.buckets.len();
    if width == 0 || len <= width {
        return 0;
    }
    let half = (width / 2).max(1);
    let start = selection.cursor.saturating_sub(half) / half * half;
    start.min(len - width)
}

/// Draws the strip: bars in all rows but the last, labels in the last.
pub fn render_timeline(
    timeline: &Timeline,
    selection: &RangeSelection,
    style: &TimelineStyle,
    area: Rect,
    buf: &mut Buffer,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = usize::from(area.width);
    let bar_rows = usize::from(area.height.saturating_sub(1)).max(1);
    // A short strip gets wider bars (up to six columns), so a few months
    // do not sit in a corner.
    let per = (width / timeline.buckets.len().max(1)).clamp(1, 6);
    let slots = width / per;
    let first = first_visible(timeline, selection, slots);
    let shown = &timeline.buckets[first..timeline.buckets.len().min(first + slots)];
    let max = shown.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let mut lines: Vec<Line> = Vec::with_capacity(bar_rows + 1);
    for row in 0..bar_rows {
        // Rows count down: the top row holds the top eighths.
        let floor = (bar_rows - 1 - row) * 8;
        let spans: Vec<Span> = shown
            .iter()
            .enumerate()
            .map(|(j, b)| {
                let i = first + j;
                // A bucket with articles always shows at least one eighth.
                let height = if b.count == 0 {
                    0
                } else {
                    (b.count * bar_rows * 8).div_ceil(max).max(1)
                };
                let cell = EIGHTHS[height.saturating_sub(floor).min(8)];
                let s = if i == selection.cursor {
                    style.cursor
                } else if selection.anchor.is_some() && selection.contains(i) {
                    style.selected
                } else {
                    style.bar
                };
                Span::styled(cell.repeat(per), s)
            })
            .collect();
        lines.push(Line::from(spans));
    }
    if area.height >= 2 {
        lines.push(label_line(
            timeline,
            selection,
            first,
            shown.len(),
            width,
            style,
        ));
    }
    Paragraph::new(lines).render(area, buf);
}

/// First and last visible labels at the ends, the selection and its count
/// in the middle when there is room.
fn label_line<'a>(
    timeline: &Timeline,
    selection: &RangeSelection,
    first: usize,
    shown: usize,
    width: usize,
    style: &TimelineStyle,
) -> Line<'a> {
    let Some(left) = timeline.buckets.get(first).map(|b| b.label.clone()) else {
        return Line::styled("no dated articles", style.label);
    };
    let right = timeline
        .buckets
        .get(first + shown.saturating_sub(1))
        .map(|b| b.label.clone())
        .unwrap_or_default();
    let (lo, hi) = selection.range();
    let middle = match (timeline.buckets.get(lo), timeline.buckets.get(hi)) {
        (Some(a), Some(_)) if lo == hi => format!("{}: {}", a.label, a.count),
        (Some(a), Some(b)) => format!("{}..{}: {}", a.label, b.label, selection.count(timeline)),
        _ => String::new(),
    };
    let used = display_width(&left) + display_width(&right) + display_width(&middle);
    let text = if used + 2 <= width {
        let gap = width - used;
        format!(
            "{left}{}{middle}{}{right}",
            " ".repeat(gap / 2),
            " ".repeat(gap - gap / 2)
        )
    } else if display_width(&middle) <= width {
        middle
    } else {
        left
    };
    Line::styled(text, style.label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Date;
    use crate::timeline::timeline;

    #[test]
    fn the_window_follows_the_cursor() {
        let t = timeline((1..=28).map(|d| Date::new(2003, 2, d)), None);
        let mut s = RangeSelection::default();
        assert_eq!(first_visible(&t, &s, 10), 0);
        s.move_to(27, t.buckets.len());
        let first = first_visible(&t, &s, 10);
        assert!(first <= 27 && 27 < first + 10, "{first}");
        assert_eq!(first_visible(&t, &s, 100), 0);
    }
}
