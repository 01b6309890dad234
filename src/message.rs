//! Message: everything a person can ask the reader for. The snake_case names
//! are also the action names of `[keys.*]` in config.toml.

use serde::Deserialize;
use strum::{EnumMessage, IntoEnumIterator};

/// One request to the reader. Unit variants are key actions, declared in the
/// order help lists them, each with its help text (`message`); the others come
/// from the terminal (size, mouse, typed text) and cannot be bound in config
/// (`disabled`: not listed, no name, no help).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, strum::EnumIter, strum::EnumMessage,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Message {
    /// Move down one row, or scroll the reader down a line.
    #[strum(message = "next row / scroll down")]
    SelectNext,
    /// Move up one row, or scroll the reader up a line.
    #[strum(message = "previous row / scroll up")]
    SelectPrev,
    /// Down one page.
    #[strum(message = "page down")]
    PageDown,
    /// Up one page.
    #[strum(message = "page up")]
    PageUp,
    /// Down half a page.
    #[strum(message = "half a page down")]
    HalfPageDown,
    /// Up half a page.
    #[strum(message = "half a page up")]
    HalfPageUp,
    /// To the top.
    #[strum(message = "to the top")]
    Top,
    /// To the bottom.
    #[strum(message = "to the bottom")]
    Bottom,
    /// Focus the next pane (Regions → Articles → Reader).
    #[strum(message = "focus next pane")]
    FocusNext,
    /// Focus the previous pane.
    #[strum(message = "focus previous pane")]
    FocusPrev,
    /// Focus the pane to the left.
    #[strum(message = "focus pane to the left")]
    FocusLeft,
    /// Focus the pane to the right.
    #[strum(message = "focus pane to the right")]
    FocusRight,
    /// Open the selected article in the reader.
    #[strum(message = "open the selected article")]
    OpenSelected,
    /// Select or unselect the tag or group under the cursor.
    #[strum(message = "select/unselect tag or group")]
    ToggleRegion,
    /// Expand a collapsed group, else focus right.
    #[strum(message = "expand group / focus right")]
    ExpandOrRight,
    /// Collapse an expanded group, else focus left.
    #[strum(message = "collapse group / focus left")]
    CollapseOrLeft,
    /// Expand or collapse the group under the cursor.
    #[strum(message = "expand/collapse group")]
    ToggleGroup,
    /// Filter the tag rows by typing.
    #[strum(message = "find a tag by typing")]
    FindRegion,
    /// Clear all filters.
    #[strum(message = "clear all filters")]
    ClearFilters,
    /// Search the articles by typing.
    #[strum(message = "search titles, authors and text")]
    Search,
    /// Jump to the next search match (across articles).
    #[strum(message = "next search match")]
    NextMatch,
    /// Jump to the previous search match.
    #[strum(message = "previous search match")]
    PrevMatch,
    /// Mark the selected article read or unread.
    #[strum(message = "toggle read")]
    ToggleRead,
    /// Show only unread articles, or all again.
    #[strum(message = "unread only on/off")]
    UnreadOnly,
    /// Select the next unread article.
    #[strum(message = "next unread article")]
    NextUnread,
    /// Select the previous unread article.
    #[strum(message = "previous unread article")]
    PrevUnread,
    /// Mark every article in the view read (asks first).
    #[strum(message = "mark all in view read")]
    MarkAllRead,
    /// Star or unstar the selected article.
    #[strum(message = "star/unstar")]
    ToggleStar,
    /// Show only starred articles, or all again.
    #[strum(message = "starred only on/off")]
    StarredOnly,
    /// Open the source URL in the browser.
    #[strum(message = "open source URL in browser")]
    OpenLink,
    /// Copy the source URL to the clipboard.
    #[strum(message = "copy source URL")]
    CopyLink,
    /// Read the articles folder again.
    #[strum(message = "read the folder again")]
    Reload,
    /// Import the feeds listed in config.toml, in the background.
    #[strum(message = "import the feeds from config")]
    Import,
    /// Show or hide the Regions pane.
    #[strum(message = "show/hide the Regions pane")]
    ToggleRegions,
    /// List the problems found while loading.
    #[strum(message = "problems found while loading")]
    ShowProblems,
    /// Show the keys.
    #[strum(message = "this help")]
    ShowHelp,
    /// Close an overlay, cancel, or go back.
    #[strum(message = "close overlay / back")]
    Back,
    /// Leave newsdesk (from an overlay: close it).
    #[strum(message = "quit (closes an overlay first)")]
    Quit,
    /// Leave newsdesk from anywhere.
    #[strum(message = "quit from anywhere")]
    ForceQuit,
    /// Suspend to the shell (`fg` resumes).
    #[strum(message = "suspend (fg resumes)")]
    Suspend,
    /// Page down in the reader; at the end of the article, on to the next unread one.
    #[strum(message = "page down / next unread at the end")]
    PageDownOrNextUnread,
    /// Show the reader over the whole screen, or the panes again.
    #[strum(message = "full-screen reader on/off")]
    ToggleFullScreen,
    /// Undo the last change of marks (read, star, mark-all).
    #[strum(message = "undo the last change of marks")]
    Undo,
    /// Select the newest article that arrived while reading (live reload).
    #[strum(message = "go to the newest arrival")]
    JumpToArrival,
    /// Open the article's file (or the problem's, at its line) in the editor.
    #[strum(message = "edit the file ($VISUAL/$EDITOR)")]
    EditArticle,
    /// Pipe the article's text to a command (asked for; `$PAGER` first).
    #[strum(message = "pipe the text to a command")]
    PipeArticle,
    /// Copy a citation (authors, title, date, source URL) to the clipboard.
    #[strum(message = "copy a citation")]
    CopyCitation,
    /// Do nothing (unbinds a key in config).
    #[strum(message = "nothing (unbound)")]
    None,
    /// The terminal changed size.
    #[serde(skip)]
    #[strum(disabled)]
    Resize(u16, u16),
    /// A character typed into a prompt.
    #[serde(skip)]
    #[strum(disabled)]
    Type(char),
    /// Backspace in a prompt.
    #[serde(skip)]
    #[strum(disabled)]
    Erase,
    /// Enter in a prompt.
    #[serde(skip)]
    #[strum(disabled)]
    Submit,
    /// A left click at (column, row).
    #[serde(skip)]
    #[strum(disabled)]
    Click(u16, u16),
    /// The wheel turned at (column, row): positive is down.
    #[serde(skip)]
    #[strum(disabled)]
    Scroll(u16, u16, i8),
    /// A digit typed before a movement key: part of a count (`5j`, `10G`).
    #[serde(skip)]
    #[strum(disabled)]
    Digit(u8),
    /// Show the world map in place of the reading pane, or hide it.
    #[strum(message = "show/hide the world map")]
    ToggleMap,
    /// Show the timeline strip above the list, or hide it.
    #[strum(message = "show/hide the timeline")]
    ToggleTimeline,
    /// On the map: to the nearest country west; on the timeline: earlier.
    #[strum(message = "map: west / timeline: earlier")]
    MoveWest,
    /// On the map: to the nearest country east; on the timeline: later.
    #[strum(message = "map: east / timeline: later")]
    MoveEast,
    /// On the map: to the nearest country north.
    #[strum(message = "map: north")]
    MoveNorth,
    /// On the map: to the nearest country south.
    #[strum(message = "map: south")]
    MoveSouth,
    /// On the map: zoom to the cursor's continent.
    #[strum(message = "map: zoom to the continent")]
    ZoomIn,
    /// On the map: back to the whole world.
    #[strum(message = "map: the whole world")]
    ZoomOut,
    /// On the timeline: start a range at the cursor (again: start over).
    #[strum(message = "timeline: mark a range")]
    MarkRange,
    /// On the timeline: filter by the range (a date: term of the search).
    #[strum(message = "timeline: apply the range")]
    ApplyRange,
    /// Put the list in the next order (newest, oldest, title, author, path,
    /// relevance when the search has words).
    #[strum(message = "next sort order")]
    CycleSort,
    /// An editing step in a prompt (move, delete a word, ...).
    #[serde(skip)]
    #[strum(disabled)]
    Edit(crate::line_edit::EditAction),
    /// Up in the search prompt: the query before in the history.
    #[serde(skip)]
    #[strum(disabled)]
    HistoryBack,
    /// Down in the search prompt: the next query in the history.
    #[serde(skip)]
    #[strum(disabled)]
    HistoryForward,
    /// Save the query in use as a view in the person's own config file.
    #[strum(message = "save the query as a view")]
    SaveView,
    /// Hide the Regions rows with no article under the query, or show them.
    #[strum(message = "hide/show regions with no articles")]
    HideEmptyRegions,
    /// Apply saved view number N (`[[views]]` order): what a view's own
    /// `key` sends; not bindable by name.
    #[serde(skip)]
    #[strum(disabled)]
    ApplyView(u16),
}

impl Message {
    /// Every bindable action, in the order help lists them.
    pub fn actions() -> impl Iterator<Item = Message> {
        Message::iter()
    }

    /// Whether this is an action a key can be bound to (only they have help).
    pub fn is_action(self) -> bool {
        self.get_message().is_some()
    }

    /// The config name of an action (the same snake_case as serde's); empty
    /// for what comes from the terminal.
    pub fn name(self) -> &'static str {
        match self.get_serializations() {
            [name, ..] if self.is_action() => name,
            _ => "",
        }
    }

    /// What an action does, for the help overlay; empty for the others.
    pub fn description(self) -> &'static str {
        self.get_message().unwrap_or("")
    }

    /// Whether this moves a cursor or scrolls (what a count prefix repeats).
    pub fn is_movement(self) -> bool {
        matches!(
            self,
            Message::SelectNext
                | Message::SelectPrev
                | Message::PageDown
                | Message::PageUp
                | Message::HalfPageDown
                | Message::HalfPageUp
                | Message::Top
                | Message::Bottom
        )
    }

    /// The action with this config name, if any.
    pub fn from_name(name: &str) -> Option<Message> {
        Message::actions().find(|m| m.name() == name)
    }
}

/// What background work reports to the reader: loader batches, full reloads,
/// folder changes, the watch, feed imports. They reach `App::update` on the
/// same stream as the person's messages.
#[derive(Debug)]
pub enum Job {
    /// A batch of files read by the first load: the articles that could be
    /// read, the problems, and how many files the batch covered.
    Loaded {
        /// The articles read.
        articles: Vec<crate::article::Article>,
        /// The problems met.
        problems: Vec<crate::library::Problem>,
        /// Files the batch covered.
        files: usize,
        /// The articles come without their text (standfirst, body): only
        /// what the list needs is kept, and a file is read again when it is
        /// shown or its words are searched (memory follows the list, not
        /// the size of the text).
        shallow: bool,
    },
    /// The walk is over: the first load reports this many files in all.
    LoadTotal(usize),
    /// The first load has reported every file.
    LoadDone,
    /// A full reload (`r`) read everything again.
    Reloaded {
        /// Every article now.
        articles: Vec<crate::article::Article>,
        /// Every problem now.
        problems: Vec<crate::library::Problem>,
    },
    /// Files changed in the folder (live reload).
    Changed(crate::watch::Changes),
    /// The folder watch is in place.
    WatchReady,
    /// The folder cannot be watched, and why.
    WatchFailed(String),
    /// A feed import moved on.
    ImportProgress(crate::import::Progress),
    /// A feed import is over (or failed as a whole, and why).
    ImportFinished(Result<crate::import::Report, String>),
    /// The start from the archive's snapshot: every article (without its
    /// text) and problem as they were last time, shown at once; the folder is
    /// checked in the background and what changed comes as [`Job::Changed`].
    FromSnapshot {
        /// The articles, without standfirst or body (the last of them, after
        /// any [`Job::FromSnapshotPart`]s).
        articles: Vec<crate::article::Article>,
        /// The problems.
        problems: Vec<crate::library::Problem>,
    },
    /// Some of the snapshot's articles, more to come: staged (they get ids
    /// and marks while the rest are made), shown with [`Job::FromSnapshot`].
    FromSnapshotPart(Vec<crate::article::Article>),
    /// The snapshot turned out unusable after some of its pieces were
    /// sent: they are dropped (the first load reads every file instead).
    SnapshotFailed,
    /// A snapshot of what is loaded is held in the background now, so a
    /// folder check (`snapshot::refresh`) can answer a lost event.
    SnapshotHeld,
    /// The whole article asked for by `Effect::ReadBody`, or why its file
    /// cannot be read now.
    Body {
        /// The path asked for (relative to the folder).
        path: std::path::PathBuf,
        /// The article read, or the problems met.
        article: Result<std::sync::Arc<crate::article::Article>, Vec<crate::library::Problem>>,
    },
    /// Words for the search, read from the files of articles that came
    /// without their text (`Effect::PrepareWords`).
    Words {
        /// The archive generation the ids belong to.
        generation: u64,
        /// Each article's id and its words.
        words: Vec<(u32, crate::query::eval::ArticleWords)>,
    },
    /// Every file asked for by `Effect::PrepareWords` has been read.
    WordsDone {
        /// The archive generation the ids belonged to.
        generation: u64,
    },
    /// The full-text index's background work moved on (started, building,
    /// ready, failed).
    Index(crate::index::IndexJob),
}

/// One thing for `App::update`: a message from the person or the terminal,
/// or a report from background work.
#[derive(Debug)]
pub enum Event {
    /// From the person or the terminal.
    Message(Message),
    /// From background work.
    Job(Job),
}

impl From<Message> for Event {
    fn from(message: Message) -> Event {
        Event::Message(message)
    }
}

impl From<Job> for Event {
    fn from(job: Job) -> Event {
        Event::Job(job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde() {
        for m in Message::actions() {
            let parsed: Message =
                serde_json::from_value(serde_json::Value::String(m.name().into())).unwrap();
            assert_eq!(parsed, m);
            assert!(!m.description().is_empty());
        }
    }

    #[test]
    fn every_action_is_listed_once_and_terminal_messages_never() {
        let names: Vec<&str> = Message::actions().map(Message::name).collect();
        assert_eq!(names.len(), 61);
        assert_eq!(names.first(), Some(&"select_next"));
        assert_eq!(names.last(), Some(&"hide_empty_regions"));
        assert_eq!(Message::ApplyView(0).name(), "");
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        assert_eq!(Message::Resize(1, 2).name(), "");
        assert_eq!(Message::Type('x').description(), "");
        assert_eq!(Message::from_name("resize"), None);
        assert_eq!(Message::HalfPageDown.description(), "half a page down");
    }
}
