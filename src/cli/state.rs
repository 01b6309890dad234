//! `newsdesk state`: the read and starred marks exported, imported, merged
//! and set without the reader.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use super::args::{StateAction, StateArgs};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE};
use crate::state;

/// `newsdesk state ...`: every write goes through [`state::update`], the
/// reader's own save path (lock, read again, merge, replace).
pub(super) fn state_command(args: StateArgs) -> i32 {
    let Some(path) = state::locate(args.state.as_deref(), &|k| std::env::var(k).ok()) else {
        eprintln!(
            "newsdesk state: no state file: pass --state FILE or set $NEWSDESK_STATE or $HOME"
        );
        return EXIT_UNUSABLE;
    };
    let saved = match args.action {
        StateAction::Export { file } => return state_export(&path, file.as_deref()),
        StateAction::Import { file } => {
            let copy = fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))
                .and_then(|text| state::import_text(&text, &file).map_err(|e| e.to_string()));
            match copy {
                Ok(copy) => state::merge_into(&path, &[copy]),
                Err(e) => {
                    eprintln!("newsdesk state import: {e}");
                    return EXIT_UNUSABLE;
                }
            }
        }
        StateAction::Merge { files } => {
            let mut copies = Vec::new();
            for file in &files {
                match state::read(file) {
                    Ok(copy) => copies.push(copy),
                    Err(e) => {
                        eprintln!("newsdesk state merge: {e}");
                        return EXIT_UNUSABLE;
                    }
                }
            }
            state::merge_into(&path, &copies)
        }
        StateAction::Mark {
            read,
            unread,
            star,
            unstar,
            keys,
        } => {
            let mut marks = Vec::new();
            if read || unread {
                marks.push(state::Mark::Read(read));
            }
            if star || unstar {
                marks.push(state::Mark::Starred(star));
            }
            if marks.is_empty() {
                eprintln!(
                    "newsdesk state mark: say what to mark: --read, --unread, --star or --unstar"
                );
                return EXIT_UNUSABLE;
            }
            let at = state::now();
            let changes: Vec<state::Change> = keys
                .iter()
                .flat_map(|key| {
                    marks.iter().map(move |&mark| state::Change {
                        key: key.clone(),
                        mark,
                        at,
                    })
                })
                .collect();
            state::save(&path, &changes)
        }
    };
    match saved {
        Ok(saved) => {
            if let Some(w) = saved.warning {
                eprintln!("newsdesk: {w}");
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("newsdesk: {e}");
            EXIT_PROBLEMS
        }
    }
}

fn state_export(path: &Path, file: Option<&Path>) -> i32 {
    // A missing state file exports as empty; one that does not parse is an
    // error here (export only reads: it moves nothing aside).
    let current = match state::read(path) {
        Ok(s) => s,
        Err(state::LoadError::Read { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            state::State::default()
        }
        Err(e) => {
            eprintln!("newsdesk state export: {e}");
            return EXIT_UNUSABLE;
        }
    };
    let text = state::export_text(&current);
    let written = match file {
        Some(file) => write_whole(file, text.as_bytes()),
        None => io::stdout().lock().write_all(text.as_bytes()),
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let name = file.map_or("standard output".into(), |f| f.display().to_string());
            eprintln!("newsdesk state export: cannot write {name}: {e}");
            EXIT_PROBLEMS
        }
    }
}

/// Writes a file whole or not at all (temporary file beside it, then rename).
fn write_whole(file: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}
