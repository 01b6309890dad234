//! The styles of every element, in one place.

use ratatui::style::{Color, Modifier, Style};

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
    /// Marks of selected regions.
    pub marked: Style,
    /// Warnings and errors.
    pub alert: Style,
}

/// The default theme.
pub const THEME: Theme = Theme {
    border: Style::new().fg(Color::DarkGray),
    focused_border: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    selection: Style::new()
        .fg(Color::Black)
        .bg(Color::Cyan)
        .add_modifier(Modifier::BOLD),
    selection_unfocused: Style::new().add_modifier(Modifier::REVERSED),
    tag: Style::new().fg(Color::Yellow),
    dimmed: Style::new().fg(Color::DarkGray),
    status: Style::new().fg(Color::White).bg(Color::Blue),
    title: Style::new().add_modifier(Modifier::BOLD),
    standfirst: Style::new().add_modifier(Modifier::ITALIC),
    marked: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
    alert: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
};
