//! `newsdesk import`: feeds fetched into the archive, a line per feed.

use std::io::{self, Write};
use std::path::PathBuf;

use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, articles_folder};
use crate::config::Config;
use crate::import::{self, FeedReport, Progress};

/// One line of import progress for a finished feed.
pub fn feed_line(feed: &FeedReport) -> String {
    match &feed.error {
        Some(error) => format!("{}: failed: {error}", feed.location),
        None => format!(
            "{}: {} new, {} already in the archive",
            feed.title,
            feed.written.len(),
            feed.already
        ),
    }
}

pub(super) fn import(sources: Vec<String>, into: Option<PathBuf>, config: &Config) -> i32 {
    let sources = import::sources(sources, config);
    if sources.is_empty() {
        eprintln!("newsdesk import: {}", import::no_feeds_message(config));
        return EXIT_UNUSABLE;
    }
    let options = import::Options {
        into: articles_folder(into, config),
        timeout: config.import_timeout,
        today: import::today(),
        parallel: 4,
    };
    // The HTML library's panics are caught (the item keeps its text without
    // tags); they must not print a panic message over the progress.
    crate::panics::install_hook(|| {});
    let (mut done, mut total) = (0, 0);
    let mut out = io::stdout();
    // Progress lines as each feed finishes; a closed pipe only stops the printing.
    let result = import::import(sources, &options, &mut |progress| {
        let line = match progress {
            Progress::Fetching(n) => {
                total += n;
                format!("fetching {n} feed{}…", if *n == 1 { "" } else { "s" })
            }
            Progress::Listed { location, feeds } => {
                done += 1;
                format!("[{done}/{total}] {location}: lists {feeds} feeds")
            }
            Progress::Done(feed) => {
                done += 1;
                format!("[{done}/{total}] {}", feed_line(feed))
            }
        };
        let _ = writeln!(out, "{line}");
    });
    match result {
        Err(e) => {
            eprintln!("newsdesk import: {e}");
            EXIT_UNUSABLE
        }
        Ok(report) => {
            let failed = report.failed();
            let _ = writeln!(
                out,
                "imported {} new article{} into {} ({} already there){}",
                report.written(),
                if report.written() == 1 { "" } else { "s" },
                options.into.display(),
                report.already(),
                if failed == 0 {
                    String::new()
                } else {
                    format!("; {failed} of {} feeds failed", report.feeds.len())
                }
            );
            if failed == 0 { EXIT_OK } else { EXIT_PROBLEMS }
        }
    }
}
