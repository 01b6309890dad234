//! `newsdesk import`: feeds (RSS 2.0, Atom, JSON Feed, or OPML lists of them)
//! into the archive, one plain-export file per item, in a folder per feed,
//! never the same item twice. A feed that fails is reported and the rest go on.

//!
//! The reports and sources below are plain data and always built, so the
//! reader shows an import's progress in any build; reading feeds (the feed
//! stack: feed-rs, ureq, html2text, quick-xml) needs the `import` feature.

#[cfg(feature = "import")]
pub mod convert;
#[cfg(feature = "import")]
pub mod fetch;
#[cfg(feature = "import")]
pub mod html;
#[cfg(feature = "import")]
pub mod opml;
#[cfg(feature = "import")]
mod run;
#[cfg(feature = "import")]
pub mod text;

#[cfg(feature = "import")]
pub use run::{FeedError, ImportError, ResolveError, import, today};

use std::path::PathBuf;
use std::time::Duration;

use crate::article::Date;
use crate::config::Config;

/// Whether this build reads feeds (the `import` cargo feature).
pub const AVAILABLE: bool = cfg!(feature = "import");

/// What the reader says to `I` in a build without feed import. Short, so it fits the status bar.
pub const UNAVAILABLE: &str = "this build has no feed import (built without the import feature)";

/// A feed to import: where it is, and what its items get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSource {
    /// A file path or an http(s) address, of a feed or an OPML list.
    pub location: String,
    /// Location tags added to every item.
    pub tags: Vec<String>,
    /// The folder name to use (else one from the feed's title).
    pub name: Option<String>,
    /// A title to fall back on (from an OPML outline) when the feed has none.
    pub fallback_title: Option<String>,
}

impl FeedSource {
    /// A source with no settings.
    pub fn new(location: impl Into<String>) -> FeedSource {
        FeedSource {
            location: location.into(),
            tags: Vec::new(),
            name: None,
            fallback_title: None,
        }
    }
}

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    /// The archive folder the feed folders go in.
    pub into: PathBuf,
    /// How long one address may take, start to end.
    pub timeout: Duration,
    /// The date given to items that have none.
    pub today: Date,
    /// Feeds fetched at once.
    pub parallel: usize,
}

/// What happened to one feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedReport {
    /// Where it was read from.
    pub location: String,
    /// Its title (or the location, when it has none).
    pub title: String,
    /// The files written, relative to the archive folder.
    pub written: Vec<PathBuf>,
    /// Items already in the archive (same source URL), not written again.
    pub already: usize,
    /// Why it failed, if it did: a [`FeedError`] in words (the report goes
    /// to the screen and between threads, where words are what is needed).
    pub error: Option<String>,
}

/// What `import` tells as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Fetching this many more feeds (OPML lists add to the count).
    Fetching(usize),
    /// An OPML list (one of the feeds counted) named this many feeds.
    Listed {
        /// The list's location.
        location: String,
        /// Feeds in it.
        feeds: usize,
    },
    /// One feed is done (or failed).
    Done(FeedReport),
}

/// The whole import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Each feed, in the order they finished.
    pub feeds: Vec<FeedReport>,
}

impl Report {
    /// Articles written.
    pub fn written(&self) -> usize {
        self.feeds.iter().map(|f| f.written.len()).sum()
    }
    /// Items skipped as already in the archive.
    pub fn already(&self) -> usize {
        self.feeds.iter().map(|f| f.already).sum()
    }
    /// Feeds that failed.
    pub fn failed(&self) -> usize {
        self.feeds.iter().filter(|f| f.error.is_some()).count()
    }
}

/// The sources to import: those `given`, else the config's `[[feeds]]`.
pub fn sources(given: Vec<String>, config: &Config) -> Vec<FeedSource> {
    if given.is_empty() {
        config
            .feeds
            .iter()
            .map(|f| FeedSource {
                location: f.url.clone(),
                tags: f.tags.clone(),
                name: f.name.clone(),
                fallback_title: None,
            })
            .collect()
    } else {
        given.into_iter().map(FeedSource::new).collect()
    }
}

/// What to do when there is nothing to import.
pub fn no_feeds_message(config: &Config) -> String {
    let file = config
        .source
        .as_ref()
        .map_or("config.toml".to_owned(), |p| p.display().to_string());
    format!(
        "no feeds to import: give a feed file or http(s) address, or add feeds to {file} as [[feeds]] url = \"...\""
    )
}
