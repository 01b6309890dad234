//! The styles of every element, in one place: built from `[theme]` in config,
//! or without any colour (`base = "mono"`, or `NO_COLOR` set).

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// A colour as written in config: a name, `#rrggbb`, or an index 0–255.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColorValue(pub Color);

const COLOR_CHOICES: &str = "a name (black red green yellow blue magenta cyan gray darkgray lightred lightgreen lightyellow lightblue lightmagenta lightcyan white), \"#rrggbb\", or an index 0-255";

impl<'de> Deserialize<'de> for ColorValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Index(i64),
            Name(String),
        }
        let raw = Raw::deserialize(d)
            .map_err(|_| serde::de::Error::custom(format!("a colour must be {COLOR_CHOICES}")))?;
        match raw {
            Raw::Index(i) => u8::try_from(i)
                .map(|i| ColorValue(Color::Indexed(i)))
                .map_err(|_| {
                    serde::de::Error::custom(format!(
                        "colour index {i} is out of range; use {COLOR_CHOICES}"
                    ))
                }),
            Raw::Name(name) => match Color::from_str(&name) {
                Ok(Color::Reset) | Err(_) => Err(serde::de::Error::custom(format!(
                    "unknown colour \"{name}\"; use {COLOR_CHOICES}"
                ))),
                Ok(c) => Ok(ColorValue(c)),
            },
        }
    }
}

/// Which built-in theme a config starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeBase {
    /// Colours.
    #[default]
    Default,
    /// No colour: bold, reverse and underline only.
    Mono,
}

/// The `[theme]` table: a base and a colour per element.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    /// The base theme.
    pub base: Option<ThemeBase>,
    /// Pane borders.
    pub border: Option<ColorValue>,
    /// The focused pane's border.
    pub focused_border: Option<ColorValue>,
    /// Background of the selected row.
    pub selection: Option<ColorValue>,
    /// Unread article titles.
    pub unread: Option<ColorValue>,
    /// Location tags.
    pub tag: Option<ColorValue>,
    /// Dates, counts, captions.
    pub dimmed: Option<ColorValue>,
    /// Background of the status bar.
    pub status_bar: Option<ColorValue>,
    /// Search matches in the reader.
    pub match_highlight: Option<ColorValue>,
}

impl ThemeConfig {
    /// This table with `over`'s settings on top.
    pub fn merged(&self, over: &ThemeConfig) -> ThemeConfig {
        ThemeConfig {
            base: over.base.or(self.base),
            border: over.border.or(self.border),
            focused_border: over.focused_border.or(self.focused_border),
            selection: over.selection.or(self.selection),
            unread: over.unread.or(self.unread),
            tag: over.tag.or(self.tag),
            dimmed: over.dimmed.or(self.dimmed),
            status_bar: over.status_bar.or(self.status_bar),
            match_highlight: over.match_highlight.or(self.match_highlight),
        }
    }
}

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
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::from_config(&ThemeConfig::default(), false)
    }
}
