//! `U`: the changes of marks a person made (toggle read, star, mark-all),
//! kept so they can be taken back one by one. Kept by path, so a reload or a
//! live change (which gives articles new ids) leaves them valid.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::App;

/// How many changes `U` can take back.
const DEPTH: usize = 100;

/// One change of marks: what it was, and the marks before it.
#[derive(Debug, Clone)]
struct Step {
    /// What was done, for the notice ("star on ...").
    what: String,
    /// Each article changed: its path, and read and starred before.
    before: Vec<(PathBuf, bool, bool)>,
}

/// The changes that can be undone, oldest first.
#[derive(Debug, Default)]
pub(super) struct History {
    steps: Vec<Step>,
}

impl App {
    /// Records the marks of `ids` before a change described as `what`.
    pub(super) fn record_marks(&mut self, what: String, ids: &[usize]) {
        let before: Vec<_> = ids
            .iter()
            .map(|&i| {
                let marks = self.archive.marks(i);
                (
                    self.archive.article(i).path.to_path_buf(),
                    marks.read,
                    marks.starred,
                )
            })
            .collect();
        if before.is_empty() {
            return;
        }
        let steps = &mut self.history.steps;
        if steps.len() == DEPTH {
            steps.remove(0);
        }
        steps.push(Step { what, before });
    }

    /// Takes back the last change of marks, with a notice of what it was.
    pub(super) fn undo(&mut self) {
        let Some(step) = self.history.steps.pop() else {
            self.notice = Some("nothing to undo".into());
            return;
        };
        let ids: HashMap<&Path, usize> = self
            .archive
            .articles()
            .iter()
            .enumerate()
            .map(|(i, a)| (a.path.as_path(), i))
            .collect();
        let found: Vec<(usize, bool, bool)> = step
            .before
            .iter()
            .filter_map(|(path, read, starred)| Some((*ids.get(path.as_path())?, *read, *starred)))
            .collect();
        for (i, read, starred) in found {
            self.archive.set_read(i, read);
            self.archive.set_starred(i, starred);
        }
        self.state_dirty = true;
        self.notice = Some(format!("undid: {}", step.what));
        // Filters by read or starred may show other rows now.
        if self.filter.unread_only || self.filter.starred_only {
            self.refilter();
        }
    }

    /// How many changes `U` can take back.
    pub fn undo_depth(&self) -> usize {
        self.history.steps.len()
    }
}
