//! Writing the state file: under a lock, read it again, apply this reader's
//! changes, replace it atomically; and why a save failed, in a person's words.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use thiserror::Error;

use super::loading::move_aside;
use super::{Change, LoadError, State, read};

/// What a save found: the merged state, every reader's marks, to show.
#[derive(Debug, Default)]
pub struct Saved {
    /// The file's state after the save (this reader's changes and everyone else's).
    pub state: State,
    /// Set when the file did not parse and was moved aside before saving.
    pub warning: Option<String>,
}

/// Why a save failed, in terms of what a person can do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// No space left on the disk (or over quota).
    DiskFull,
    /// A file-size limit (`ulimit -f`) stopped the write.
    TooLarge,
    /// The folder or the file is read-only or not ours.
    ReadOnly,
    /// Another process held the lock the whole time we waited.
    Busy,
    /// The path is a folder, not a file.
    NotAFile,
    /// The state cannot be written as TOML (a number too large): a bug.
    Encode,
    /// Any other input/output error.
    Other,
}

/// A save that did not happen. Nothing was changed on disk; the changes are
/// still the caller's, to save again later when [`SaveError::retry`] says so.
#[derive(Debug, Error)]
#[error("{}", self.describe())]
pub struct SaveError {
    /// The state file.
    pub path: PathBuf,
    /// What failed, in a person's words.
    pub cause: Cause,
    /// What we were doing ("writing", "taking the lock on ...").
    step: String,
    /// The system's error, when there is one.
    #[source]
    source: Option<io::Error>,
}

impl SaveError {
    fn io(path: &Path, step: impl Into<String>, e: io::Error) -> SaveError {
        use io::ErrorKind as K;
        let cause = match e.kind() {
            K::StorageFull | K::QuotaExceeded => Cause::DiskFull,
            K::FileTooLarge => Cause::TooLarge,
            K::ReadOnlyFilesystem | K::PermissionDenied => Cause::ReadOnly,
            K::IsADirectory => Cause::NotAFile,
            _ => Cause::Other,
        };
        SaveError {
            path: path.to_path_buf(),
            cause,
            step: step.into(),
            source: Some(e),
        }
    }

    /// Whether saving the same changes again later can succeed (the person
    /// frees space, makes the folder writable, the other process lets go).
    pub fn retry(&self) -> bool {
        !matches!(self.cause, Cause::NotAFile | Cause::Encode)
    }

    fn describe(&self) -> String {
        let file = self.path.display();
        let dir = folder_of(&self.path).display().to_string();
        let why = self
            .source
            .as_ref()
            .map_or(String::new(), |e| format!(" ({e})"));
        let fix = match self.cause {
            Cause::DiskFull => format!(
                "the disk holding {dir} is full: free some space there, or point --state or $NEWSDESK_STATE at another disk"
            ),
            Cause::TooLarge => {
                "a file-size limit stops the write: raise it (ulimit -f unlimited)".to_owned()
            }
            Cause::ReadOnly => format!(
                "{dir} is read-only or not yours: make it writable (chmod u+w, or remount it read-write), or point --state or $NEWSDESK_STATE elsewhere"
            ),
            Cause::Busy => format!(
                "another program held the lock {} for {} s: try again",
                lock_path(&self.path).display(),
                LOCK_WAIT.as_secs()
            ),
            Cause::NotAFile => {
                "it is a folder: name a file with --state or $NEWSDESK_STATE".to_owned()
            }
            Cause::Encode => "a mark cannot be written as TOML; please report this".to_owned(),
            Cause::Other => "check the folder and the disk".to_owned(),
        };
        format!(
            "cannot save marks to {file}: {} failed{why}; {fix}",
            self.step
        )
    }
}

/// How long a save waits for another process's lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(5);

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or("state.toml".into(), |n| n.to_string_lossy().into_owned())
}

/// The lock beside the state file. Not the file itself: saving renames a new
/// file over it, and a lock on the old one would guard nothing.
fn lock_path(path: &Path) -> PathBuf {
    folder_of(path).join(format!(".{}.lock", file_name(path)))
}

/// Saves this reader's changes: under the lock, reads the file again, applies
/// `changes` (each keeps its own time, so a later change another reader saved
/// stays) and replaces the file atomically. Returns the merged state, to show
/// the marks other readers saved. With no changes it only reads (for `r`).
pub fn save(path: &Path, changes: &[Change]) -> Result<Saved, SaveError> {
    update(path, |state| state.apply(changes))
}

/// Merges copies of the state (Syncthing conflicts, another machine's file)
/// into the state file, the later change of each mark winning.
pub fn merge_into(path: &Path, copies: &[State]) -> Result<Saved, SaveError> {
    update(path, |state| {
        for copy in copies {
            state.merge(copy);
        }
    })
}

/// The one way the state file is written: lock, read again, `edit`, and (when
/// that changed anything) replace the file atomically; then unlock. Other
/// writers (the query history) use it the same way.
pub fn update(path: &Path, edit: impl FnOnce(&mut State)) -> Result<Saved, SaveError> {
    // Through a symlink (into a synced folder, say) to the real file, so the
    // rename replaces the file and keeps the link.
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path)
            .or_else(|_| fs::read_link(path).map(|to| folder_of(path).join(to)))
            .unwrap_or(path.into()),
        _ => path.to_path_buf(),
    };
    if target.is_dir() {
        return Err(SaveError {
            path: target,
            cause: Cause::NotAFile,
            step: "opening it".into(),
            source: None,
        });
    }
    let dir = folder_of(&target);
    let lock = match fs::create_dir_all(dir) {
        Ok(()) => take_lock(&target),
        Err(e) => Err(SaveError::io(
            &target,
            format!("creating {}", dir.display()),
            e,
        )),
    };
    let mut saved = Saved::default();
    match read(&target) {
        Ok(state) => saved.state = state,
        Err(LoadError::Read { source, .. }) if source.kind() == io::ErrorKind::NotFound => {}
        Err(LoadError::Read { source, .. }) => {
            return Err(SaveError::io(&target, "reading it", source));
        }
        // Not ours to throw away: moved aside (under the lock), then saved fresh.
        Err(LoadError::Parse { message, .. }) if lock.is_ok() => {
            saved.warning = Some(move_aside(&target, &message));
        }
        Err(LoadError::Parse { .. }) => {}
    }
    let before = saved.state.clone();
    edit(&mut saved.state);
    if saved.state == before && saved.warning.is_none() {
        // Nothing to write: reading needs no lock (writers rename whole files).
        return Ok(saved);
    }
    let _lock = lock?;
    let text = saved.state.to_toml().map_err(|e| SaveError {
        path: target.clone(),
        cause: Cause::Encode,
        step: format!("writing it as TOML ({e})"),
        source: None,
    })?;
    replace(&target, dir, text.as_bytes())?;
    Ok(saved)
}

/// Opens and takes the lock, waiting at most [`LOCK_WAIT`].
fn take_lock(target: &Path) -> Result<fs::File, SaveError> {
    let lock_path = lock_path(target);
    let step = || format!("taking the lock {}", lock_path.display());
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .or_else(|e| fs::File::open(&lock_path).map_err(|_| e))
        .map_err(|e| SaveError::io(target, step(), e))?;
    let deadline = Instant::now() + LOCK_WAIT;
    let mut pause = Duration::from_millis(1);
    loop {
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => return Ok(file),
            Err(fs4::TryLockError::WouldBlock) if Instant::now() < deadline => {
                // Another save takes milliseconds: poll, backing off a little.
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(fs4::TryLockError::WouldBlock) => {
                return Err(SaveError {
                    path: target.to_path_buf(),
                    cause: Cause::Busy,
                    step: step(),
                    source: None,
                });
            }
            Err(fs4::TryLockError::Error(e)) => return Err(SaveError::io(target, step(), e)),
        }
    }
}

/// Writes `bytes` to a temporary file in `dir`, flushes it to disk, renames it
/// over `target` and flushes the folder: a crash leaves the old file or the
/// new one, whole. On failure the temporary file is removed.
fn replace(target: &Path, dir: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let name = file_name(target);
    let write_step = || format!("writing a new copy in {}", dir.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| SaveError::io(target, write_step(), e))?;
    if let Ok(meta) = fs::metadata(target) {
        // Keep the file's permissions (the temporary file is private).
        let _ = fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| SaveError::io(target, write_step(), e))?;
    tmp.persist(target)
        .map_err(|e| SaveError::io(target, "replacing it", e.error))?;
    // The rename itself reaches the disk only when the folder is flushed; an
    // error here leaves the file correct, so it is not reported.
    if let Ok(folder) = fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::load;
    use crate::state::tests::star;

    #[test]
    fn save_merges_with_what_another_reader_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.toml");
        save(&path, &[star("first", true, 1)]).unwrap();
        let saved = save(&path, &[star("second", true, 2)]).unwrap();
        assert!(
            saved.state.marks("first").starred,
            "the other reader's star stays"
        );
        assert!(saved.state.marks("second").starred);
        assert_eq!(load(&path).state, saved.state);
        // A stale change (older than the file's) does not undo a newer one.
        let saved = save(&path, &[star("first", false, 0)]).unwrap();
        assert!(saved.state.marks("first").starred);
        // Nothing to save: only reads.
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        assert_eq!(save(&path, &[]).unwrap().state, saved.state);
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);
    }

    #[test]
    fn corrupt_file_moved_aside_by_load_and_by_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        fs::write(&path, "articles = [[[").unwrap();
        let loaded = load(&path);
        assert!(loaded.state.articles.is_empty());
        assert!(
            loaded
                .warning
                .as_deref()
                .is_some_and(|w| w.contains("moved aside"))
        );
        assert!(!path.exists());
        // A position past 32 bits is no position; the marks beside it stay.
        fs::write(
            &path,
            "[articles.a]\nread = true\nposition = [5000000000, 2]\n",
        )
        .unwrap();
        let loaded = load(&path);
        assert_eq!(loaded.warning, None);
        assert!(loaded.state.marks("a").read);
        assert_eq!(loaded.state.marks("a").position, None);
        fs::write(&path, "[articles.a]\nposition = [1, 2, 3]\n").unwrap();
        let saved = save(&path, &[star("b", true, 1)]).unwrap();
        assert!(
            saved
                .warning
                .as_deref()
                .is_some_and(|w| w.contains("position must be"))
        );
        assert_eq!(load(&path).state.articles.len(), 1);
        let aside = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("state.toml.corrupt-")
            })
            .count();
        assert!(aside >= 1);
    }

    #[test]
    fn a_leftover_temporary_file_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        save(&path, &[star("a", true, 1)]).unwrap();
        // What a crash mid-save leaves: a half-written temporary file beside it.
        fs::write(
            dir.path().join(".state.toml.x.tmp"),
            "[articles.b]\nread = tr",
        )
        .unwrap();
        assert!(load(&path).state.marks("a").starred);
        save(&path, &[star("b", true, 2)]).unwrap();
        let state = load(&path).state;
        assert!(state.marks("a").starred && state.marks("b").starred);
    }

    #[test]
    fn a_symlinked_state_file_stays_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("synced/state.toml");
        fs::create_dir_all(real.parent().unwrap()).unwrap();
        let link = dir.path().join("state.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        save(&link, &[star("a", true, 1)]).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(read(&real).unwrap().marks("a").starred);
    }

    #[test]
    fn a_folder_is_not_a_state_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = save(dir.path(), &[star("a", true, 1)]).unwrap_err();
        assert_eq!(e.cause, Cause::NotAFile);
        assert!(!e.retry());
        assert!(e.to_string().contains("--state"), "{e}");
    }
}
