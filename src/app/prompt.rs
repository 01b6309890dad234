//! The status-bar prompt: typing a search, finding a tag row, answering y/n;
//! and n/N through the matches of a search.

use super::{App, Overlay};
use crate::layout::Focus;
use crate::line_edit::{EditAction, LineEdit};
use crate::message::Message;

/// A prompt in the status bar taking keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// Typing a search over the articles; Esc goes back to `saved` with
    /// `article` selected.
    Search {
        /// The search before the prompt opened.
        saved: String,
        /// The article selected before the prompt opened.
        article: Option<usize>,
        /// The line being typed and its cursor (the text is the filter's search).
        line: LineEdit,
    },
    /// Typing a filter over the tag rows.
    FindRegion,
    /// Asking y/n before marking the whole view read.
    ConfirmMarkAll,
    /// Typing the command `|` pipes the open article's text to (mutt's
    /// "Pipe to command:"), prefilled with the last one or the pager.
    Pipe {
        /// The command being typed and its cursor.
        line: LineEdit,
    },
    /// Naming the view `V` saves (prefilled with its query).
    NameView {
        /// The query saved.
        query: String,
        /// The name being typed and its cursor.
        line: LineEdit,
    },
}

impl Prompt {
    /// Whether this is the search prompt.
    pub fn is_search(&self) -> bool {
        matches!(self, Prompt::Search { .. })
    }
}

/// The editing step a prompt message means: typed text and Backspace come
/// as `Type` and `Erase` too (the y/n prompt reads `Type`).
fn edit_of(message: Message) -> Option<EditAction> {
    match message {
        Message::Type(c) => Some(EditAction::Insert(c)),
        Message::Erase => Some(EditAction::Backspace),
        Message::Edit(action) => Some(action),
        _ => None,
    }
}

impl App {
    pub(super) fn open_search(&mut self) {
        self.queries.reset();
        self.prompt = Some(Prompt::Search {
            saved: self.filter.search.clone(),
            article: self.selected_article(),
            line: LineEdit::new(&self.filter.search),
        });
        if self.focus == Focus::Regions {
            self.focus = Focus::List;
        }
    }

    pub(super) fn update_prompt(&mut self, prompt: Prompt, message: Message) {
        match (prompt, message) {
            (_, Message::ForceQuit) => self.quit = true,
            (_, Message::Resize(w, h)) => self.resize(w, h),
            (Prompt::ConfirmMarkAll, Message::Type('y' | 'Y')) => {
                let unread: Vec<usize> = (self.list.visible().iter().copied())
                    .filter(|&i| !self.archive.marks(i).read)
                    .collect();
                let what = format!(
                    "marked {} read",
                    crate::format::plural(unread.len(), "article", "articles")
                );
                self.record_marks(what, &unread);
                let mut n = 0;
                for &i in &unread {
                    n += usize::from(self.archive.set_read(i, true));
                }
                self.state_dirty = true;
                self.prompt = None;
                self.notice = Some(format!(
                    "marked {} read",
                    crate::format::plural(n, "article", "articles")
                ));
            }
            (Prompt::ConfirmMarkAll, _) => {
                self.prompt = None;
                self.notice = Some("nothing marked".into());
            }
            (Prompt::FindRegion, Message::Back) => {
                self.prompt = None;
                self.find_line.clear();
                self.regions.end_find();
                self.rebuild_region_rows();
            }
            (Prompt::FindRegion, m) if edit_of(m).is_some() => {
                let Some(action) = edit_of(m) else { return };
                if self.find_line.apply(action) {
                    // The pane keeps the text it filters by; it is given the
                    // edited line afresh.
                    self.regions.clear_find();
                    for c in self.find_line.text().chars() {
                        self.regions.push_find(c);
                    }
                    self.rebuild_region_rows();
                    let first = self.regions.first_match_row();
                    self.regions.set_cursor(first);
                }
            }
            (
                Prompt::Search {
                    saved,
                    article,
                    mut line,
                },
                m,
            ) if edit_of(m).is_some() => {
                let Some(action) = edit_of(m) else { return };
                let changed = line.apply(action);
                if changed {
                    self.queries.reset();
                    self.filter.search = line.text().to_owned();
                }
                self.prompt = Some(Prompt::Search {
                    saved,
                    article,
                    line,
                });
                if changed {
                    self.refilter();
                }
            }
            (
                Prompt::Search {
                    saved,
                    article,
                    mut line,
                },
                Message::HistoryBack | Message::HistoryForward,
            ) => {
                let step = if message == Message::HistoryBack {
                    self.queries.up(line.text())
                } else {
                    self.queries.down()
                };
                let Some(query) = step.map(str::to_owned) else {
                    return;
                };
                line.set(&query);
                self.filter.search = query;
                self.prompt = Some(Prompt::Search {
                    saved,
                    article,
                    line,
                });
                self.refilter();
            }
            (Prompt::Search { saved, article, .. }, Message::Back) => {
                self.prompt = None;
                self.queries.reset();
                self.filter.search = saved;
                self.refilter();
                if let Some(row) = article.and_then(|a| self.list.row_of(a)) {
                    self.list.select(row);
                }
            }
            (Prompt::Search { .. }, Message::Submit) => {
                self.queries.push(&self.filter.search);
                self.prompt = None;
            }
            (Prompt::FindRegion, Message::Submit) => self.prompt = None,
            (Prompt::Pipe { mut line }, m) if edit_of(m).is_some() => {
                let Some(action) = edit_of(m) else { return };
                line.apply(action);
                self.prompt = Some(Prompt::Pipe { line });
            }
            (Prompt::Pipe { .. }, Message::Back) => self.prompt = None,
            (Prompt::NameView { query, mut line }, m) if edit_of(m).is_some() => {
                let Some(action) = edit_of(m) else { return };
                line.apply(action);
                self.prompt = Some(Prompt::NameView { query, line });
            }
            (Prompt::NameView { .. }, Message::Back) => {
                self.prompt = None;
                self.notice = Some("no view saved".into());
            }
            (Prompt::NameView { query, line }, Message::Submit) => {
                self.prompt = None;
                self.save_view_named(line.text().trim(), &query);
            }
            (Prompt::NameView { .. }, _) => {}
            (Prompt::Pipe { line }, Message::Submit) => {
                self.prompt = None;
                self.run_pipe(line.text());
            }
            // Up and Down would move the list under the prompt: the article
            // piped is the one open when `|` was pressed.
            (Prompt::Pipe { .. }, _) => {}
            (_, Message::SelectNext | Message::SelectPrev) => self.move_cursor(message),
            _ => {}
        }
    }

    /// Jumps to the next (or previous) search match, on to the next article
    /// with one when the open article has no more. Articles passed on the way
    /// are not opened, so none of them is marked read.
    pub(super) fn jump_match(&mut self, forward: bool) {
        if self.filter.search.trim().is_empty() {
            let key = self
                .keymap
                .key_for(Message::Search)
                .unwrap_or_else(|| "/".into());
            self.notice = Some(format!("no search: press {key} to search"));
            return;
        }
        if self.highlights().is_empty() {
            self.notice = Some("the query has no words to jump to".into());
            return;
        }
        self.sync();
        if let Some(i) = self.reader.next_match(forward) {
            self.reader.show_match(i);
            return;
        }
        // On to the next article in the list that has a match. Only the
        // article that has one is shown; `update` marks it read if the
        // reader has the focus.
        let selected = self.list.selected();
        // Kept to come back to, scroll and current match and all, when no
        // article further on has a match.
        let here = self.reader.clone();
        let rows: Vec<usize> = if forward {
            (selected + 1..self.list.visible().len()).collect()
        } else {
            (0..selected).rev().collect()
        };
        for r in rows {
            self.list.select(r);
            self.sync();
            if let Some(i) = self.reader.edge_match(forward) {
                self.reader.show_match(i);
                return;
            }
        }
        self.list.select(selected);
        self.reader = here;
        self.sync();
        let way = if forward { "after" } else { "before" };
        self.notice = Some(format!("no more matches {way} this one"));
    }

    /// Whether the overlay `overlay` is open.
    pub fn showing(&self, overlay: Overlay) -> bool {
        self.overlay == Some(overlay)
    }
}
