//! The Articles pane: only the rows on screen are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{centered, focused, pane_block};
use crate::app::App;
use crate::config::Column;
use crate::layout::{Focus, inner};
use crate::page::display_width;
use crate::page::{pad, truncate};

/// Draws the article list.
pub fn render_list(app: &App, frame: &mut Frame, area: Rect) {
    let is_focused = focused(app, Focus::List);
    let title = format!("Articles · {}", app.sort_order().label());
    frame.render_widget(pane_block(app, &title, is_focused), area);
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
    let rows: Vec<(usize, usize)> = app
        .visible()
        .iter()
        .copied()
        .enumerate()
        .skip(app.list().offset())
        .take(usize::from(body.height))
        .collect();
    let values = |i: usize| RowValues::of(app, &app.articles()[i]);
    let on_screen: Vec<RowValues> = rows.iter().map(|&(_, i)| values(i)).collect();
    let widths = column_widths(app.list_columns(), width, &on_screen);
    let mut lines = Vec::with_capacity(rows.len());
    for (&(row, i), values) in rows.iter().zip(&on_screen) {
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
        let mut spans = vec![Span::styled(format!("{unread}{star}"), mark_style)];
        for (n, &(column, w)) in widths.iter().enumerate() {
            let (text, style) = match column {
                Column::Title => (a.title.as_str(), title_style),
                Column::Date => (values.date.as_str(), app.theme().dimmed),
                Column::Authors => (values.authors.as_str(), Style::new()),
                Column::Tags => (values.tags.as_str(), app.theme().tag),
                Column::Source => (values.source.as_str(), app.theme().dimmed),
            };
            let style = if selected { base } else { style };
            let gap = if n == 0 { "" } else { " " };
            spans.push(Span::styled(
                format!("{gap}{}", pad(&truncate(text, w), w)),
                style,
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

/// A row's values for the columns other than the title, as shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowValues {
    /// `2003-10-24`, or empty.
    pub date: String,
    /// The authors, joined by commas.
    pub authors: String,
    /// The location tags by their shown names, joined by commas.
    pub tags: String,
    /// The source URL's host.
    pub source: String,
}

impl RowValues {
    fn of(app: &App, a: &crate::article::Article) -> RowValues {
        let tags: Vec<String> = (a.locations.iter())
            .map(|t| app.index().display_name(t))
            .collect();
        RowValues {
            date: a.date.map_or(String::new(), |d| d.to_string()),
            authors: a.authors.join(", "),
            tags: tags.join(", "),
            source: (a.source_url.as_deref())
                .and_then(crate::query::eval::host_of)
                .unwrap_or_default(),
        }
    }

    fn get(&self, column: Column) -> &str {
        match column {
            Column::Date => &self.date,
            Column::Authors => &self.authors,
            Column::Tags => &self.tags,
            Column::Source => &self.source,
            Column::Title => "",
        }
    }
}

/// Columns the title keeps at least beside the date.
const TITLE_MIN: usize = 21;

/// Columns the title keeps at least beside authors, tags and source (and
/// half the list, where that is more): they are extras, the title is not.
const TITLE_MIN_BESIDE_EXTRAS: usize = 24;

/// The width of each column shown, in `columns`' order, for a list `width`
/// wide whose rows on screen have `rows`' values. A column no row has a value
/// for takes no room (an undated archive gives the title the date's room);
/// the others come in turn (date, tags, authors, source), each as wide as its
/// widest value up to a cap, narrower or not at all when the title would keep
/// fewer than [`TITLE_MIN`] columns (beside the date) or
/// [`TITLE_MIN_BESIDE_EXTRAS`] or half the list (beside the others). The
/// title takes what is left. The two
/// mark columns before it and a space between columns are counted.
pub fn column_widths(columns: &[Column], width: usize, rows: &[RowValues]) -> Vec<(Column, usize)> {
    let widest = |c: Column| {
        (rows.iter())
            .map(|r| display_width(r.get(c)))
            .max()
            .unwrap_or(0)
    };
    let has_title = columns.contains(&Column::Title);
    let title_min = |column: Column| match column {
        _ if !has_title => 0,
        Column::Date => TITLE_MIN,
        _ => TITLE_MIN_BESIDE_EXTRAS.max(width / 2),
    };
    // The marks, and a space before every column after the first.
    let mut room = width.saturating_sub(2 + columns.len().saturating_sub(1));
    let mut taken: Vec<(Column, usize)> = Vec::new();
    // (column, narrowest worth showing, widest shown)
    let wide = width / 6;
    let turns = [
        (Column::Date, 10, 10),
        (Column::Tags, 12, wide.max(16)),
        (Column::Authors, 10, wide.max(18)),
        (Column::Source, 10, (width / 8).max(16)),
    ];
    for (column, least, most) in turns {
        let natural = widest(column);
        if !columns.contains(&column) || natural == 0 {
            continue;
        }
        let fits = |w: usize| room >= w + title_min(column);
        let want = natural.min(most);
        let w = if fits(want) {
            want
        } else if fits(natural.min(least)) {
            natural.min(least)
        } else {
            continue;
        };
        room -= w;
        taken.push((column, w));
    }
    // A column left out also leaves its space.
    let left_out = columns.len() - taken.len() - usize::from(has_title);
    room += left_out;
    (columns.iter())
        .filter_map(|&c| match c {
            Column::Title => Some((c, room)),
            _ => taken.iter().find(|(t, _)| *t == c).copied(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(date: &str, authors: &str, tags: &str) -> RowValues {
        RowValues {
            date: date.into(),
            authors: authors.into(),
            tags: tags.into(),
            source: String::new(),
        }
    }

    fn total(widths: &[(Column, usize)]) -> usize {
        2 + widths.iter().map(|(_, w)| w).sum::<usize>() + widths.len().saturating_sub(1)
    }

    #[test]
    fn an_undated_screen_gives_the_date_room_to_the_title() {
        use Column::*;
        let default = [Title, Date, Tags];
        let dated = [row("2003-10-24", "", "Georgia")];
        let undated = [row("", "", "Georgia")];
        assert_eq!(
            column_widths(&default, 60, &dated),
            [(Title, 39), (Date, 10), (Tags, 7)]
        );
        assert_eq!(
            column_widths(&default, 60, &undated),
            [(Title, 50), (Tags, 7)]
        );
        for rows in [&dated[..], &undated[..]] {
            for w in [30, 34, 48, 80, 160] {
                assert_eq!(total(&column_widths(&default, w, rows)), w, "{w}");
            }
        }
    }

    #[test]
    fn optional_columns_show_when_the_title_keeps_room() {
        use Column::*;
        let all = [Date, Title, Authors, Tags, Source];
        let rows = [row(
            "2003-10-24",
            "Aliya Saralaeva, Daniyar Kassymov",
            "Central Asia, Kazakhstan, Kyrgyzstan",
        )];
        let narrow = column_widths(&all, 40, &rows);
        assert_eq!(
            narrow,
            [(Date, 10), (Title, 27)],
            "no room: no tags or authors"
        );
        let wide = column_widths(&all, 160, &rows);
        assert_eq!(
            wide,
            [(Date, 10), (Title, 93), (Authors, 26), (Tags, 26)],
            "no source on screen: no room kept"
        );
        assert_eq!(total(&wide), 160);
        let mid = column_widths(&all, 80, &rows);
        assert!(mid.iter().any(|&(c, w)| c == Tags && w == 16), "{mid:?}");
        assert!(
            mid.iter().any(|&(c, w)| c == Title && w >= TITLE_MIN),
            "{mid:?}"
        );
    }
}
