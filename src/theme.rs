//! The styles of every element, in one place: built from `[theme]` in config,
//! or without any colour (`base = "mono"`, or `NO_COLOR` set).

use ratatui::style::{Color, Modifier, Style};

pub use crate::config::theme::{ColorValue, ThemeBase, ThemeConfig};

/// Styles for each named element of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Pane borders.
    pub border: Style,
    /// The focused pane's border.
    pub focused_border: Style,
    /// The selected row.
    pub selection: Style,
    /// The selected row when its pane has no focus.
    pub selection_unfocused: Style,
    /// Unread rows.
    pub unread: Style,
    /// Location tags.
    pub tag: Style,
    /// Dates, counts, captions.
    pub dimmed: Style,
    /// The status bar.
    pub status: Style,
    /// Article title in the reader.
    pub title: Style,
    /// The standfirst.
    pub standfirst: Style,
    /// Marks of selected regions, stars.
    pub marked: Style,
    /// Warnings and errors.
    pub alert: Style,
    /// Search matches.
    pub match_highlight: Style,
    /// The match `n`/`N` went to last, over `match_highlight`.
    pub current_match: Style,
}

impl Theme {
    /// Builds the theme; `no_color` (the `NO_COLOR` variable) wins over everything.
    pub fn from_config(config: &ThemeConfig, no_color: bool) -> Theme {
        if no_color || config.base == Some(ThemeBase::Mono) {
            return Theme::mono();
        }
        let c = |v: Option<ColorValue>, d: Color| v.map_or(d, |v| v.0);
        Theme {
            border: Style::new().fg(c(config.border, Color::DarkGray)),
            focused_border: Style::new()
                .fg(c(config.focused_border, Color::Cyan))
                .add_modifier(Modifier::BOLD),
            selection: Style::new()
                .fg(Color::Black)
                .bg(c(config.selection, Color::Cyan))
                .add_modifier(Modifier::BOLD),
            selection_unfocused: Style::new().add_modifier(Modifier::REVERSED),
            unread: Style::new()
                .fg(c(config.unread, Color::White))
                .add_modifier(Modifier::BOLD),
            tag: Style::new().fg(c(config.tag, Color::Yellow)),
            dimmed: Style::new().fg(c(config.dimmed, Color::DarkGray)),
            status: Style::new()
                .fg(Color::White)
                .bg(c(config.status_bar, Color::Blue)),
            title: Style::new().add_modifier(Modifier::BOLD),
            standfirst: Style::new().add_modifier(Modifier::ITALIC),
            marked: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            alert: Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            match_highlight: Style::new()
                .fg(Color::Black)
                .bg(c(config.match_highlight, Color::Yellow)),
            current_match: Style::new()
                .fg(Color::Black)
                .bg(c(config.current_match, Color::LightRed))
                .add_modifier(Modifier::BOLD),
        }
    }

    /// No colour at all: emphasis with bold, reverse and underline only.
    pub fn mono() -> Theme {
        let plain = Style::new();
        Theme {
            border: plain,
            focused_border: plain.add_modifier(Modifier::BOLD),
            selection: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selection_unfocused: plain.add_modifier(Modifier::REVERSED),
            unread: plain.add_modifier(Modifier::BOLD),
            tag: plain,
            dimmed: plain,
            status: plain.add_modifier(Modifier::REVERSED),
            title: plain.add_modifier(Modifier::BOLD),
            standfirst: plain.add_modifier(Modifier::ITALIC),
            marked: plain.add_modifier(Modifier::BOLD),
            alert: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            match_highlight: plain.add_modifier(Modifier::UNDERLINED | Modifier::REVERSED),
            current_match: plain
                .add_modifier(Modifier::UNDERLINED | Modifier::REVERSED | Modifier::BOLD),
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::from_config(&ThemeConfig::default(), false)
    }
}
