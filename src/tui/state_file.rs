//! The reader's marks on disk: when they are due to be written, and
//! reading them again for what other readers saved.

use std::io::{self};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::app::App;
use crate::state;

/// Where the reader keeps its marks, and when they are due to be written.
pub(super) struct StateFile {
    pub(super) path: Option<PathBuf>,
    /// When the marks first changed since the last save.
    pub(super) changed: Option<Instant>,
}

/// How long marks wait before being written, so a burst of keys is one write.
pub(super) const SAVE_DELAY: Duration = Duration::from_millis(500);

impl StateFile {
    /// How long until a save is due; `None` when nothing waits.
    pub(super) fn due_in(&mut self, app: &App) -> Option<Duration> {
        if !app.state_dirty() {
            self.changed = None;
            return None;
        }
        let changed = *self.changed.get_or_insert_with(Instant::now);
        Some(SAVE_DELAY.saturating_sub(changed.elapsed()))
    }

    /// Reads the file again (on `r`) for what other readers saved. Nothing
    /// is written: a missing file has nothing to add, and a broken one is
    /// only reported (the next save sets it aside).
    pub(super) fn read_again(&self, app: &mut App) {
        let Some(path) = &self.path else { return };
        match state::read(path) {
            Ok(saved) => app.merge_saved_state(&saved),
            Err(state::LoadError::Read { source, .. })
                if source.kind() == io::ErrorKind::NotFound => {}
            Err(e) => app.set_notice(format!("{e}; the marks here are kept")),
        }
    }

    /// Saves when marks changed and have settled (or at once when `now_anyway`).
    pub(super) fn save_if_due(&mut self, app: &mut App, now_anyway: bool) {
        match self.due_in(app) {
            Some(wait) if now_anyway || wait.is_zero() => {}
            _ => return,
        }
        self.changed = None;
        let state = app.state_to_save();
        let Some(path) = &self.path else { return };
        // Merged under a lock with what other readers saved meanwhile; their
        // marks come back to show here too.
        match state::merge_into(path, std::slice::from_ref(&state)) {
            Ok(saved) => {
                app.restore_state(saved.state);
                if let Some(warning) = saved.warning {
                    app.set_notice(warning);
                }
            }
            Err(e) if e.retry() => {
                app.save_failed(format!("{e}; the marks are kept meanwhile"));
            }
            Err(e) => app.set_notice(e.to_string()),
        }
    }
}
