//! `newsdesk index` and `newsdesk cache`: the full-text index and the
//! snapshot cache beside the archive.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, load_options};
use crate::article::Article;
use crate::config::Config;
use crate::library::{self};

/// `newsdesk index [PATH] [--rebuild]`: opens the index (rebuilding a
/// corrupt one), builds it when asked or when it is not complete, and says
/// what it holds, with the build's time and size against the text.
pub(super) fn index_command(archive: &Path, rebuild: bool, config: &Config) -> io::Result<i32> {
    use crate::index::{self, Opened, TextIndex};
    let mut out = io::stdout().lock();
    if let Err(e) = library::check_root(archive) {
        eprintln!("newsdesk index: {e}");
        return Ok(EXIT_UNUSABLE);
    }
    let opened = index::dir_for(archive).and_then(|dir| TextIndex::open(&dir));
    let (text_index, opened) = match opened {
        Ok(pair) => pair,
        Err(e) => {
            eprintln!("newsdesk index: {e}");
            return Ok(EXIT_UNUSABLE);
        }
    };
    if let Opened::NeedsBuild { notice: Some(n) } = &opened {
        eprintln!("newsdesk index: {n}");
    }
    if opened == Opened::Ready && !rebuild {
        writeln!(
            out,
            "{}: {} articles indexed",
            text_index.dir().display(),
            text_index.len()
        )?;
        return Ok(EXIT_OK);
    }
    // Streamed from the loader, as the reader builds it: memory stays the
    // writer's, whatever the size of the archive.
    let (articles, files) = match library::stream(archive, &load_options(config)) {
        Ok(stream) => stream,
        Err(e) => {
            eprintln!("newsdesk: {e}");
            return Ok(EXIT_UNUSABLE);
        }
    };
    let started = std::time::Instant::now();
    let text = std::cell::Cell::new(0usize);
    let counted = articles.inspect(|a| text.set(text.get() + article_text_bytes(a)));
    // Progress for a person watching: on a terminal only (a log gets the
    // result line alone), and only when the figure changes.
    let watched = std::io::stderr().is_terminal();
    let mut shown = String::new();
    let built = text_index.build(counted, |done| {
        let now = crate::index::IndexJob::progress_text(done, files.get());
        if watched && now != shown {
            eprint!("\r{now}");
            shown = now;
        }
    });
    if watched {
        eprint!("\r");
    }
    if let Err(e) = built {
        eprintln!("newsdesk index: {e}");
        return Ok(EXIT_PROBLEMS);
    }
    let seconds = started.elapsed().as_secs_f64();
    let text = text.get();
    let size = text_index.size_on_disk().unwrap_or(0);
    writeln!(
        out,
        "{}: {} articles indexed in {seconds:.2} s; {:.1} MB on disk, {:.2} x the text ({:.1} MB)",
        text_index.dir().display(),
        text_index.len(),
        size as f64 / 1e6,
        size as f64 / text.max(1) as f64,
        text as f64 / 1e6,
    )?;
    Ok(EXIT_OK)
}

/// Bytes of an article's searchable text (title, authors, standfirst, body).
fn article_text_bytes(a: &Article) -> usize {
    a.title.len()
        + a.authors.iter().map(|a| a.len()).sum::<usize>()
        + a.standfirst().len()
        + a.body().iter().map(|b| b.text.len()).sum::<usize>()
}

/// `newsdesk cache --path | --clear`.
pub(super) fn cache_command(archive: &Path, show_path: bool, clear: bool) -> io::Result<i32> {
    use crate::snapshot;
    let mut out = io::stdout().lock();
    if clear {
        let both = snapshot::clear()
            .map_err(|e| e.to_string())
            .and_then(|n| Ok((n, crate::index::clear().map_err(|e| e.to_string())?)));
        return match both {
            Ok((removed, indexes)) => {
                let dir = snapshot::cache_dir().map(|d| d.display().to_string());
                writeln!(
                    out,
                    "removed {removed} snapshot file{} from {} and {}",
                    if removed == 1 { "" } else { "s" },
                    dir.unwrap_or_default(),
                    crate::format::plural(indexes, "search index", "search indexes")
                )?;
                Ok(EXIT_OK)
            }
            Err(e) => {
                eprintln!("newsdesk cache: {e}");
                Ok(EXIT_PROBLEMS)
            }
        };
    }
    debug_assert!(show_path, "clap requires --path or --clear");
    if let Err(e) = library::check_root(archive) {
        eprintln!("newsdesk cache: {e}");
        return Ok(EXIT_UNUSABLE);
    }
    match snapshot::path_for(archive) {
        Ok(file) => {
            writeln!(out, "{}", file.display())?;
            Ok(EXIT_OK)
        }
        Err(e) => {
            eprintln!("newsdesk cache: {e}");
            Ok(EXIT_UNUSABLE)
        }
    }
}
