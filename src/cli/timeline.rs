//! `newsdesk timeline`: articles per day, week, month or year.

use std::io::{self, Write};

use super::args::TimelineArgs;
use super::{EXIT_OK, load_filtered};
use crate::config::Config;
use crate::timeline::Granularity;

pub(super) fn timeline(args: TimelineArgs, config: &Config) -> io::Result<i32> {
    let (archive, _, visible) = match load_filtered(
        args.path,
        &args.regions,
        vec![args.search],
        args.view.as_deref(),
        config,
    ) {
        Ok(found) => found,
        Err(code) => return Ok(code),
    };
    let by = match args.by.as_deref() {
        Some("day") => Some(Granularity::Day),
        Some("month") => Some(Granularity::Month),
        Some("year") => Some(Granularity::Year),
        _ => None,
    };
    let counts = crate::timeline::timeline(visible.iter().map(|&i| archive.article(i).date), by);
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &counts)?;
        writeln!(out)?;
    } else {
        let max = counts
            .buckets
            .iter()
            .map(|b| b.count)
            .max()
            .unwrap_or(0)
            .max(1);
        let width = counts
            .buckets
            .iter()
            .map(|b| b.count.to_string().len())
            .max()
            .unwrap_or(1);
        for b in &counts.buckets {
            // Bars to 50 columns at most; any count above zero shows.
            let bar = (b.count * 50).div_ceil(max);
            writeln!(out, "{}  {:>width$}  {}", b.label, b.count, "█".repeat(bar))?;
        }
        if counts.undated > 0 {
            writeln!(out, "undated  {}", counts.undated)?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
