//! The `[theme]` table of config as written: a base and a colour per element.
//! Plain data, read by `ui::theme::Theme::from_config`; here so config needs
//! nothing from the ui layer.

use std::str::FromStr;

use ratatui::style::Color;
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
    /// The match `n`/`N` went to last.
    pub current_match: Option<ColorValue>,
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
            current_match: over.current_match.or(self.current_match),
        }
    }
}
