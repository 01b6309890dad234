//! Message: everything a person can ask the reader for. The snake_case names
//! are also the action names of `[keys.*]` in config.toml.

use serde::Deserialize;

/// One request to the reader. Unit variants are key actions; the others come
/// from the terminal (size, mouse, typed text) and cannot be bound in config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Message {
    /// Leave newsdesk (from an overlay: close it).
    Quit,
    /// Leave newsdesk from anywhere.
    ForceQuit,
    /// Move down one row, or scroll the reader down a line.
    SelectNext,
    /// Move up one row, or scroll the reader up a line.
    SelectPrev,
    /// Down one page.
    PageDown,
    /// Up one page.
    PageUp,
    /// Down half a page.
    HalfPageDown,
    /// Up half a page.
    HalfPageUp,
    /// To the top.
    Top,
    /// To the bottom.
    Bottom,
    /// Focus the next pane (Regions → Articles → Reader).
    FocusNext,
    /// Focus the previous pane.
    FocusPrev,
    /// Focus the pane to the left.
    FocusLeft,
    /// Focus the pane to the right.
    FocusRight,
    /// Open the selected article in the reader.
    OpenSelected,
    /// Select or unselect the tag or group under the cursor.
    ToggleRegion,
    /// Expand a collapsed group, else focus right.
    ExpandOrRight,
    /// Collapse an expanded group, else focus left.
    CollapseOrLeft,
    /// Expand or collapse the group under the cursor.
    ToggleGroup,
    /// Clear all filters.
    ClearFilters,
    /// Filter the tag rows by typing.
    FindRegion,
    /// Show or hide the Regions pane.
    ToggleRegions,
    /// List the problems found while loading.
    ShowProblems,
    /// Show the keys.
    ShowHelp,
    /// Close an overlay, cancel, or go back.
    Back,
    /// Search the articles by typing.
    Search,
    /// Jump to the next search match (across articles).
    NextMatch,
    /// Jump to the previous search match.
    PrevMatch,
    /// Mark the selected article read or unread.
    ToggleRead,
    /// Show only unread articles, or all again.
    UnreadOnly,
    /// Select the next unread article.
    NextUnread,
    /// Select the previous unread article.
    PrevUnread,
    /// Mark every article in the view read (asks first).
    MarkAllRead,
    /// Star or unstar the selected article.
    ToggleStar,
    /// Show only starred articles, or all again.
    StarredOnly,
    /// Open the source URL in the browser.
    OpenLink,
    /// Copy the source URL to the clipboard.
    CopyLink,
    /// Suspend to the shell (`fg` resumes).
    Suspend,
    /// Read the articles folder again.
    Reload,
    /// Import the feeds listed in config.toml, in the background.
    Import,
    /// Do nothing (unbinds a key in config).
    None,
    /// Page down in the reader; at the end of the article, on to the next unread one.
    PageDownOrNextUnread,
    /// Show the reader over the whole screen, or the panes again.
    ToggleFullScreen,
    /// Undo the last change of marks (read, star, mark-all).
    Undo,
    /// Select the newest article that arrived while reading (live reload).
    JumpToArrival,
    /// Open the article's file (or the problem's, at its line) in the editor.
    EditArticle,
    /// Pipe the article's text to the pager.
    PipeArticle,
    /// Copy a citation (authors, title, date, source URL) to the clipboard.
    CopyCitation,
    /// The terminal changed size.
    #[serde(skip)]
    Resize(u16, u16),
    /// A character typed into a prompt.
    #[serde(skip)]
    Type(char),
    /// Backspace in a prompt.
    #[serde(skip)]
    Erase,
    /// Enter in a prompt.
    #[serde(skip)]
    Submit,
    /// A left click at (column, row).
    #[serde(skip)]
    Click(u16, u16),
    /// The wheel turned at (column, row): positive is down.
    #[serde(skip)]
    Scroll(u16, u16, i8),
    /// A digit typed before a movement key: part of a count (`5j`, `10G`).
    #[serde(skip)]
    Digit(u8),
}

impl Message {
    /// Every bindable action, in the order help lists them.
    pub const ACTIONS: [Message; 48] = [
        Message::SelectNext,
        Message::SelectPrev,
        Message::PageDown,
        Message::PageUp,
        Message::HalfPageDown,
        Message::HalfPageUp,
        Message::Top,
        Message::Bottom,
        Message::FocusNext,
        Message::FocusPrev,
        Message::FocusLeft,
        Message::FocusRight,
        Message::OpenSelected,
        Message::ToggleRegion,
        Message::ExpandOrRight,
        Message::CollapseOrLeft,
        Message::ToggleGroup,
        Message::FindRegion,
        Message::ClearFilters,
        Message::Search,
        Message::NextMatch,
        Message::PrevMatch,
        Message::ToggleRead,
        Message::UnreadOnly,
        Message::NextUnread,
        Message::PrevUnread,
        Message::MarkAllRead,
        Message::ToggleStar,
        Message::StarredOnly,
        Message::OpenLink,
        Message::CopyLink,
        Message::Reload,
        Message::Import,
        Message::ToggleRegions,
        Message::ShowProblems,
        Message::ShowHelp,
        Message::Back,
        Message::Quit,
        Message::ForceQuit,
        Message::Suspend,
        Message::None,
        Message::PageDownOrNextUnread,
        Message::ToggleFullScreen,
        Message::Undo,
        Message::JumpToArrival,
        Message::EditArticle,
        Message::PipeArticle,
        Message::CopyCitation,
    ];

    /// The config name of an action.
    pub fn name(self) -> &'static str {
        match self {
            Message::Quit => "quit",
            Message::ForceQuit => "force_quit",
            Message::SelectNext => "select_next",
            Message::SelectPrev => "select_prev",
            Message::PageDown => "page_down",
            Message::PageUp => "page_up",
            Message::HalfPageDown => "half_page_down",
            Message::HalfPageUp => "half_page_up",
            Message::Top => "top",
            Message::Bottom => "bottom",
            Message::FocusNext => "focus_next",
            Message::FocusPrev => "focus_prev",
            Message::FocusLeft => "focus_left",
            Message::FocusRight => "focus_right",
            Message::OpenSelected => "open_selected",
            Message::ToggleRegion => "toggle_region",
            Message::ExpandOrRight => "expand_or_right",
            Message::CollapseOrLeft => "collapse_or_left",
            Message::ToggleGroup => "toggle_group",
            Message::ClearFilters => "clear_filters",
            Message::FindRegion => "find_region",
            Message::ToggleRegions => "toggle_regions",
            Message::ShowProblems => "show_problems",
            Message::ShowHelp => "show_help",
            Message::Back => "back",
            Message::None => "none",
            Message::Suspend => "suspend",
            Message::Reload => "reload",
            Message::Import => "import",
            Message::Search => "search",
            Message::NextMatch => "next_match",
            Message::PrevMatch => "prev_match",
            Message::ToggleRead => "toggle_read",
            Message::UnreadOnly => "unread_only",
            Message::NextUnread => "next_unread",
            Message::PrevUnread => "prev_unread",
            Message::MarkAllRead => "mark_all_read",
            Message::ToggleStar => "toggle_star",
            Message::StarredOnly => "starred_only",
            Message::OpenLink => "open_link",
            Message::CopyLink => "copy_link",
            Message::PageDownOrNextUnread => "page_down_or_next_unread",
            Message::ToggleFullScreen => "toggle_full_screen",
            Message::Undo => "undo",
            Message::JumpToArrival => "jump_to_arrival",
            Message::EditArticle => "edit_article",
            Message::PipeArticle => "pipe_article",
            Message::CopyCitation => "copy_citation",
            Message::Resize(..)
            | Message::Type(_)
            | Message::Erase
            | Message::Submit
            | Message::Click(..)
            | Message::Scroll(..)
            | Message::Digit(_) => "",
        }
    }

    /// What an action does, for the help overlay.
    pub fn description(self) -> &'static str {
        match self {
            Message::Quit => "quit (closes an overlay first)",
            Message::ForceQuit => "quit from anywhere",
            Message::SelectNext => "next row / scroll down",
            Message::SelectPrev => "previous row / scroll up",
            Message::PageDown => "page down",
            Message::PageUp => "page up",
            Message::HalfPageDown => "half a page down",
            Message::HalfPageUp => "half a page up",
            Message::Top => "to the top",
            Message::Bottom => "to the bottom",
            Message::FocusNext => "focus next pane",
            Message::FocusPrev => "focus previous pane",
            Message::FocusLeft => "focus pane to the left",
            Message::FocusRight => "focus pane to the right",
            Message::OpenSelected => "open the selected article",
            Message::ToggleRegion => "select/unselect tag or group",
            Message::ExpandOrRight => "expand group / focus right",
            Message::CollapseOrLeft => "collapse group / focus left",
            Message::ToggleGroup => "expand/collapse group",
            Message::ClearFilters => "clear all filters",
            Message::FindRegion => "find a tag by typing",
            Message::ToggleRegions => "show/hide the Regions pane",
            Message::ShowProblems => "problems found while loading",
            Message::ShowHelp => "this help",
            Message::Back => "close overlay / back",
            Message::None => "nothing (unbound)",
            Message::Suspend => "suspend (fg resumes)",
            Message::Reload => "read the folder again",
            Message::Import => "import the feeds from config",
            Message::Search => "search titles, authors and text",
            Message::NextMatch => "next search match",
            Message::PrevMatch => "previous search match",
            Message::ToggleRead => "toggle read",
            Message::UnreadOnly => "unread only on/off",
            Message::NextUnread => "next unread article",
            Message::PrevUnread => "previous unread article",
            Message::MarkAllRead => "mark all in view read",
            Message::ToggleStar => "star/unstar",
            Message::StarredOnly => "starred only on/off",
            Message::OpenLink => "open source URL in browser",
            Message::CopyLink => "copy source URL",
            Message::PageDownOrNextUnread => "page down / next unread at the end",
            Message::ToggleFullScreen => "full-screen reader on/off",
            Message::Undo => "undo the last change of marks",
            Message::JumpToArrival => "go to the newest arrival",
            Message::EditArticle => "edit the file ($VISUAL/$EDITOR)",
            Message::PipeArticle => "pipe the text to $PAGER",
            Message::CopyCitation => "copy a citation",
            _ => "",
        }
    }

    /// Whether this moves a cursor or scrolls: rows, pages, half pages, the ends.
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
        Message::ACTIONS.into_iter().find(|m| m.name() == name)
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
    #[cfg(feature = "import")]
    ImportProgress(crate::import::Progress),
    /// A feed import is over (or failed as a whole, and why).
    #[cfg(feature = "import")]
    ImportFinished(Result<crate::import::Report, String>),
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
        for m in Message::ACTIONS {
            let parsed: Message =
                serde_json::from_value(serde_json::Value::String(m.name().into())).unwrap();
            assert_eq!(parsed, m);
            assert!(!m.description().is_empty());
        }
    }
}
