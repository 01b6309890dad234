//! A single-line editor for the prompt that edits like a shell (readline's
//! emacs keys), and the history of queries Up and Down walk.
//!
//! Pure data: the keymap turns a key into an [`EditAction`], [`LineEdit::apply`]
//! changes the line. The cursor is a byte offset that always sits on a
//! grapheme boundary, so `é` written as `e` + combining accent, or a flag
//! emoji, moves and deletes as one character.

use std::collections::VecDeque;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// One editing step, as the keymap produces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EditAction {
    /// Type a character at the cursor.
    Insert(char),
    /// To the end (End, Ctrl-E).
    #[default]
    End,
    /// One character left (Left, Ctrl-B).
    Left,
    /// One character right (Right, Ctrl-F).
    Right,
    /// To the start of the word before the cursor (Alt-B, Ctrl-Left).
    WordLeft,
    /// To the end of the word after the cursor (Alt-F, Ctrl-Right).
    WordRight,
    /// To the start (Home, Ctrl-A).
    Home,
    /// Delete the character before the cursor (Backspace, Ctrl-H).
    Backspace,
    /// Delete the character under the cursor (Delete, Ctrl-D).
    Delete,
    /// Delete from the start to the cursor (Ctrl-U).
    DeleteToStart,
    /// Delete from the cursor to the end (Ctrl-K).
    DeleteToEnd,
    /// Delete the space-separated word before the cursor (Ctrl-W).
    DeleteWordBack,
    /// Delete the word after the cursor (Alt-D).
    DeleteWordForward,
}

impl EditAction {
    /// The editing step a key means in a prompt, if any (Enter, Esc, Up and
    /// Down are the prompt's own business).
    pub fn from_key(key: &KeyEvent) -> Option<EditAction> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        Some(match key.code {
            KeyCode::Left if ctrl || alt => EditAction::WordLeft,
            KeyCode::Right if ctrl || alt => EditAction::WordRight,
            KeyCode::Left => EditAction::Left,
            KeyCode::Right => EditAction::Right,
            KeyCode::Home => EditAction::Home,
            KeyCode::End => EditAction::End,
            KeyCode::Backspace if ctrl || alt => EditAction::DeleteWordBack,
            KeyCode::Backspace => EditAction::Backspace,
            KeyCode::Delete => EditAction::Delete,
            KeyCode::Char(c) if ctrl => match c.to_ascii_lowercase() {
                'a' => EditAction::Home,
                'e' => EditAction::End,
                'b' => EditAction::Left,
                'f' => EditAction::Right,
                'h' => EditAction::Backspace,
                'd' => EditAction::Delete,
                'u' => EditAction::DeleteToStart,
                'k' => EditAction::DeleteToEnd,
                'w' => EditAction::DeleteWordBack,
                _ => return None,
            },
            KeyCode::Char(c) if alt => match c.to_ascii_lowercase() {
                'b' => EditAction::WordLeft,
                'f' => EditAction::WordRight,
                'd' => EditAction::DeleteWordForward,
                _ => return None,
            },
            KeyCode::Char(c) if !c.is_control() => EditAction::Insert(c),
            _ => return None,
        })
    }
}

/// A line being edited and its cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    text: String,
    /// Byte offset, on a grapheme boundary.
    cursor: usize,
}

fn is_word(g: &str) -> bool {
    g.chars().any(char::is_alphanumeric)
}

impl LineEdit {
    /// A line holding `text`, the cursor at its end.
    pub fn new(text: &str) -> LineEdit {
        LineEdit {
            text: text.to_owned(),
            cursor: text.len(),
        }
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor, as a byte offset into [`text`](LineEdit::text).
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The cursor's column: the display width of the text before it.
    pub fn cursor_column(&self) -> usize {
        self.text[..self.cursor].width()
    }

    /// Replaces the text (history, a saved view); the cursor goes to the end.
    pub fn set(&mut self, text: &str) {
        self.text = text.to_owned();
        self.cursor = self.text.len();
    }

    /// Empties the line.
    pub fn clear(&mut self) {
        self.set("");
    }

    fn prev_boundary(&self, at: usize) -> usize {
        self.text[..at]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self, at: usize) -> usize {
        self.text[at..]
            .graphemes(true)
            .next()
            .map_or(self.text.len(), |g| at + g.len())
    }

    /// Start of the word before `at`: back over non-word, then over word
    /// characters (`word` says which graphemes count as word).
    fn word_start(&self, at: usize, word: impl Fn(&str) -> bool) -> usize {
        let mut i = at;
        let gs: Vec<(usize, &str)> = self.text[..at].grapheme_indices(true).collect();
        let mut k = gs.len();
        while k > 0 && !word(gs[k - 1].1) {
            k -= 1;
            i = gs[k].0;
        }
        while k > 0 && word(gs[k - 1].1) {
            k -= 1;
            i = gs[k].0;
        }
        i
    }

    /// End of the word after `at`: over non-word, then over word characters.
    fn word_end(&self, at: usize) -> usize {
        let mut i = at;
        let mut gs = self.text[at..].graphemes(true).peekable();
        while let Some(g) = gs.peek().filter(|g| !is_word(g)) {
            i += g.len();
            gs.next();
        }
        while let Some(g) = gs.peek().filter(|g| is_word(g)) {
            i += g.len();
            gs.next();
        }
        i
    }

    /// Applies one editing step. Returns whether the text changed (the
    /// query is re-run only then).
    pub fn apply(&mut self, action: EditAction) -> bool {
        let before = self.text.len();
        let cut = |s: &mut LineEdit, from: usize, to: usize| {
            s.text.replace_range(from..to, "");
            s.cursor = from;
        };
        match action {
            EditAction::Insert(c) => {
                self.text.insert(self.cursor, c);
                // A combining mark typed here joins the grapheme before it,
                // so the cursor after it is still on a boundary.
                self.cursor += c.len_utf8();
                return true;
            }
            EditAction::Left => self.cursor = self.prev_boundary(self.cursor),
            EditAction::Right => self.cursor = self.next_boundary(self.cursor),
            EditAction::WordLeft => self.cursor = self.word_start(self.cursor, is_word),
            EditAction::WordRight => self.cursor = self.word_end(self.cursor),
            EditAction::Home => self.cursor = 0,
            EditAction::End => self.cursor = self.text.len(),
            EditAction::Backspace => {
                let from = self.prev_boundary(self.cursor);
                cut(self, from, self.cursor);
            }
            EditAction::Delete => {
                let to = self.next_boundary(self.cursor);
                let at = self.cursor;
                cut(self, at, to);
            }
            EditAction::DeleteToStart => cut(self, 0, self.cursor),
            EditAction::DeleteToEnd => {
                let at = self.cursor;
                let end = self.text.len();
                cut(self, at, end);
            }
            EditAction::DeleteWordBack => {
                let from = self.word_start(self.cursor, |g| !g.chars().all(char::is_whitespace));
                cut(self, from, self.cursor);
            }
            EditAction::DeleteWordForward => {
                let to = self.word_end(self.cursor);
                let at = self.cursor;
                cut(self, at, to);
            }
        }
        self.text.len() != before
    }
}

/// The queries run before, newest last: Up and Down walk them like a shell's
/// history, keeping the line being typed to come back to. Saved in the state
/// file as a plain list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct History {
    entries: VecDeque<String>,
    /// Where Up and Down are: an index into `entries`; `None` at the draft.
    walking: Option<usize>,
    /// What was being typed when the walk began.
    draft: String,
}

/// How many queries the history keeps.
pub const HISTORY_LIMIT: usize = 100;

impl From<Vec<String>> for History {
    fn from(list: Vec<String>) -> History {
        let mut h = History::default();
        for line in list {
            h.push(&line);
        }
        h
    }
}

impl From<History> for Vec<String> {
    fn from(h: History) -> Vec<String> {
        h.entries.into()
    }
}

impl History {
    /// Remembers a query that was run (Enter): blank lines and a repeat of
    /// the last entry are not kept; the oldest go past [`HISTORY_LIMIT`].
    /// Ends any walk.
    pub fn push(&mut self, line: &str) {
        self.walking = None;
        self.draft.clear();
        let line = line.trim();
        if line.is_empty() || self.entries.back().is_some_and(|l| l == line) {
            return;
        }
        self.entries.push_back(line.to_owned());
        while self.entries.len() > HISTORY_LIMIT {
            self.entries.pop_front();
        }
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(String::as_str)
    }

    /// One step back (Up) from `current`, the line as it is now: the older
    /// entry to show, or `None` at the oldest (the line stays).
    pub fn up(&mut self, current: &str) -> Option<&str> {
        let next = match self.walking {
            None => {
                let last = self.entries.len().checked_sub(1)?;
                self.draft = current.to_owned();
                last
            }
            Some(0) => return None,
            Some(i) => i - 1,
        };
        self.walking = Some(next);
        self.entries.get(next).map(String::as_str)
    }

    /// One step forward (Down): the newer entry, then the draft that was
    /// being typed; `None` when not walking.
    pub fn down(&mut self) -> Option<&str> {
        let i = self.walking?;
        if i + 1 < self.entries.len() {
            self.walking = Some(i + 1);
            self.entries.get(i + 1).map(String::as_str)
        } else {
            self.walking = None;
            Some(&self.draft)
        }
    }

    /// Stops walking (Esc, or the line was edited by hand).
    pub fn reset(&mut self) {
        self.walking = None;
        self.draft.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, cursor: usize, actions: &[EditAction]) -> (String, usize) {
        let mut e = LineEdit::new(text);
        e.cursor = cursor;
        for &a in actions {
            e.apply(a);
        }
        (e.text().to_owned(), e.cursor())
    }

    #[test]
    fn moves_and_inserts_at_the_cursor() {
        use EditAction::*;
        assert_eq!(run("water", 5, &[Home, Insert('x')]), ("xwater".into(), 1));
        assert_eq!(
            run("water", 5, &[Left, Left, Insert('-')]),
            ("wat-er".into(), 4)
        );
        assert_eq!(
            run("ab", 0, &[Left, Right, Right, Right, Insert('c')]),
            ("abc".into(), 3)
        );
        assert_eq!(run("ab", 1, &[End]), ("ab".into(), 2));
    }

    #[test]
    fn word_moves_like_readline() {
        use EditAction::*;
        let t = "tag:\"Central Asia\" water";
        assert_eq!(run(t, t.len(), &[WordLeft]).1, t.len() - 5);
        assert_eq!(run(t, t.len(), &[WordLeft, WordLeft]).1, 13);
        assert_eq!(run(t, 0, &[WordRight]).1, 3);
        assert_eq!(run(t, 0, &[WordRight, WordRight]).1, 12);
    }

    #[test]
    fn deletions() {
        use EditAction::*;
        assert_eq!(
            run("water talks", 11, &[DeleteWordBack]),
            ("water ".into(), 6)
        );
        assert_eq!(
            run("water talks  ", 13, &[DeleteWordBack]),
            ("water ".into(), 6)
        );
        assert_eq!(run("a tag:x-y", 9, &[DeleteWordBack]), ("a ".into(), 2));
        assert_eq!(
            run("water talks", 5, &[DeleteToStart]),
            (" talks".into(), 0)
        );
        assert_eq!(run("water talks", 5, &[DeleteToEnd]), ("water".into(), 5));
        assert_eq!(
            run("water talks", 0, &[DeleteWordForward]),
            (" talks".into(), 0)
        );
        assert_eq!(run("ab", 0, &[Backspace]), ("ab".into(), 0));
        assert_eq!(run("ab", 2, &[Delete]), ("ab".into(), 2));
        assert_eq!(run("ab", 0, &[Delete]), ("b".into(), 0));
    }

    #[test]
    fn graphemes_and_widths() {
        use EditAction::*;
        // e + combining acute is one grapheme; 東 is two columns wide.
        let t = "e\u{301}東x";
        assert_eq!(run(t, t.len(), &[Left, Left]).1, 3);
        assert_eq!(run(t, t.len(), &[Left, Left, Backspace]), ("東x".into(), 0));
        let mut e = LineEdit::new(t);
        assert_eq!(e.cursor_column(), 4);
        e.apply(Left);
        assert_eq!(e.cursor_column(), 3);
        let mut e = LineEdit::new("e");
        e.apply(Insert('\u{301}'));
        assert_eq!(e.cursor(), e.text().len());
        assert!(!e.apply(Right), "moving changes no text");
    }

    #[test]
    fn keys_map_to_actions() {
        let k = |code, m| EditAction::from_key(&KeyEvent::new(code, m));
        assert_eq!(
            k(KeyCode::Char('w'), KeyModifiers::CONTROL),
            Some(EditAction::DeleteWordBack)
        );
        assert_eq!(
            k(KeyCode::Char('b'), KeyModifiers::ALT),
            Some(EditAction::WordLeft)
        );
        assert_eq!(
            k(KeyCode::Char('B'), KeyModifiers::SHIFT),
            Some(EditAction::Insert('B'))
        );
        assert_eq!(k(KeyCode::Enter, KeyModifiers::NONE), None);
    }

    #[test]
    fn history_walks_and_keeps_the_draft() {
        let mut h = History::default();
        for q in ["water", "water", "  ", "tag:georgia", "is:unread"] {
            h.push(q);
        }
        assert_eq!(
            h.entries().collect::<Vec<_>>(),
            ["water", "tag:georgia", "is:unread"]
        );
        assert_eq!(h.down(), None, "not walking");
        assert_eq!(h.up("typ"), Some("is:unread"));
        assert_eq!(h.up("is:unread"), Some("tag:georgia"));
        assert_eq!(h.up("tag:georgia"), Some("water"));
        assert_eq!(h.up("water"), None, "the oldest stays");
        assert_eq!(h.down(), Some("tag:georgia"));
        assert_eq!(h.down(), Some("is:unread"));
        assert_eq!(h.down(), Some("typ"), "back to what was typed");
        assert_eq!(h.down(), None);
    }

    #[test]
    fn history_keeps_the_last_hundred_and_serializes_as_a_list() {
        let mut h = History::default();
        for i in 0..150 {
            h.push(&format!("q{i}"));
        }
        assert_eq!(h.entries().count(), HISTORY_LIMIT);
        assert_eq!(h.entries().next(), Some("q50"));
        #[derive(Serialize, Deserialize)]
        struct S {
            history: History,
        }
        let text = toml::to_string(&S { history: h.clone() }).unwrap();
        assert!(text.starts_with("history = ["));
        let back: S = toml::from_str(&text).unwrap();
        assert_eq!(
            back.history.entries().collect::<Vec<_>>(),
            h.entries().collect::<Vec<_>>()
        );
    }
}
