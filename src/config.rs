//! Config: the shipped `config.toml` is the default (embedded), a user's file is
//! merged over it, and every mistake is reported with file, line and column.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

mod file;
pub mod theme;

use crate::regions::RegionRules;
pub use theme::ThemeConfig;

/// The shipped `config.toml`, which is also the built-in default.
pub const DEFAULT_CONFIG: &str = include_str!("../config.toml");

/// Where the reader's text column sits in a wide pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Against the left border.
    Left,
    /// In the middle.
    Center,
}

/// Pane sizes and placement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Regions pane width in columns.
    pub regions_width: u16,
    /// Articles pane width in percent of what remains.
    pub list_width: u16,
    /// Most columns the reader wraps to.
    pub reader_max_width: u16,
    /// Text column placement.
    pub reader_align: Align,
    /// Regions pane shown at start.
    pub show_regions: bool,
}

/// A column of the article list, as `[list] columns` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// The date (10 columns), where any row on screen has one.
    Date,
    /// The title: takes the room the others leave.
    Title,
    /// The authors, joined by commas.
    Authors,
    /// The location tags, joined by commas.
    Tags,
    /// The source URL's host.
    Source,
}

/// The article list: its order and columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListConfig {
    /// The order the list starts in.
    pub sort: crate::sort::SortOrder,
    /// The columns, left to right (after the unread and star marks).
    pub columns: Vec<Column>,
}

impl Default for ListConfig {
    fn default() -> ListConfig {
        ListConfig {
            sort: crate::sort::SortOrder::Newest,
            columns: vec![Column::Title, Column::Date, Column::Tags],
        }
    }
}

/// Key bindings as written in config: context → key name → action name.
pub type KeyTables = BTreeMap<String, BTreeMap<String, String>>;

/// Every setting, defaults filled in.
#[derive(Debug, Clone)]
pub struct Config {
    /// The articles folder, resolved against the config file's folder.
    pub articles: PathBuf,
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Region groups, aliases and order.
    pub regions: RegionRules,
    /// Mouse support.
    pub mouse: bool,
    /// The browser draws in the terminal (runs in the foreground, `o`).
    pub browser_in_terminal: bool,
    /// Pane layout.
    pub layout: Layout,
    /// The article list's order and columns.
    pub list: ListConfig,
    /// The default key bindings (the shipped file's).
    pub keys: KeyTables,
    /// The user's key bindings, applied over the defaults key by key.
    pub user_keys: KeyTables,
    /// Colours, defaults merged with the user's.
    pub theme: ThemeConfig,
    /// `NO_COLOR` was set: send no colour at all.
    pub no_color: bool,
    /// The file the settings came from, `None` for built-in defaults.
    pub source: Option<PathBuf>,
    /// The text of that file, kept to point at lines in later checks.
    pub source_text: String,
    /// Feeds `newsdesk import` brings in (file paths resolved like `articles`).
    pub feeds: Vec<FeedConfig>,
    /// How long one feed address may take.
    pub import_timeout: std::time::Duration,
    /// Saved views (`[[views]]`), their queries checked: the shipped ones,
    /// then the user's (a user's view replaces a shipped one of its name).
    pub views: Vec<crate::views::View>,
}

/// One `[[feeds]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// An http(s) address or a file path of a feed or an OPML list.
    pub url: String,
    /// Location tags given to every item.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The folder name for its articles (default: from the feed's title).
    #[serde(default)]
    pub name: Option<String>,
}

/// A mistake in a config file, located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The file (or `built-in defaults`).
    pub path: String,
    /// 1-based line and column, where known.
    pub position: Option<(usize, usize)>,
    /// What is wrong and the valid choices.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The valid values of each numeric setting. Values outside are refused with
/// their place in the file rather than clamped, so a typo is seen, not obeyed
/// halfway.
pub mod ranges {
    use std::ops::RangeInclusive;
    /// `[layout] regions_width`, columns (the pane also never takes more
    /// than a third of the window).
    pub const REGIONS_WIDTH: RangeInclusive<u16> = 10..=80;
    /// `[layout] list_width`, percent of what remains beside Regions.
    pub const LIST_WIDTH: RangeInclusive<u16> = 10..=90;
    /// `[layout] reader_max_width`, columns.
    pub const READER_MAX_WIDTH: RangeInclusive<u16> = 10..=1000;
    /// `max_file_size`, bytes: 1 KiB to 1 GiB.
    pub const MAX_FILE_SIZE: RangeInclusive<u64> = 1024..=1024 * 1024 * 1024;
    /// `[import] timeout`, seconds.
    pub const IMPORT_TIMEOUT: RangeInclusive<f64> = 0.1..=3600.0;
}

impl Config {
    /// The built-in defaults.
    pub fn defaults() -> Config {
        // The embedded file is checked by a test; parsing it cannot fail in a build that passed.
        Config::from_text(DEFAULT_CONFIG, None)
            .unwrap_or_else(|e| panic!("built-in config.toml is invalid: {e}"))
    }

    /// The person's own config file, where a view is saved: the file loaded,
    /// unless it is the shipped one word for word (`./config.toml` in
    /// newsdesk's own folder), which is never written.
    pub fn own_file(&self) -> Option<&Path> {
        self.source
            .as_deref()
            .filter(|_| self.source_text != DEFAULT_CONFIG)
    }

    /// Reads and parses a config file.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.display().to_string(),
            position: None,
            message: format!(
                "cannot be read ({e}); check the path given with --config or $NEWSDESK_CONFIG"
            ),
        })?;
        Config::from_text(&text, Some(path))
    }

    /// Finds the config to use: `--config`, `$NEWSDESK_CONFIG`, `./config.toml`,
    /// `$XDG_CONFIG_HOME/newsdesk/config.toml`, else built-in defaults. `env`
    /// reads the environment and `cwd` is the working folder (both given, for tests).
    pub fn locate(
        explicit: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
        cwd: &Path,
    ) -> Option<PathBuf> {
        if let Some(p) = explicit {
            return Some(p.to_path_buf());
        }
        if let Some(p) = env("NEWSDESK_CONFIG").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p));
        }
        if cwd.join("config.toml").is_file() {
            return Some(PathBuf::from("config.toml"));
        }
        let user = crate::paths::config_home(env)?
            .join("newsdesk")
            .join("config.toml");
        user.is_file().then_some(user)
    }

    /// Loads the config as [`Config::locate`] finds it.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let mut config = match Config::locate(explicit, &|k| std::env::var(k).ok(), Path::new("."))
        {
            Some(path) => Config::from_file(&path)?,
            None => Config::defaults(),
        };
        // NO_COLOR (https://no-color.org): set to anything, no colour is sent.
        config.no_color = std::env::var_os("NO_COLOR").is_some();
        Ok(config)
    }
}
