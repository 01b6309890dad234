//! `newsdesk list`: the articles the filters select, as lines or JSON.

use std::io::{self, Write};

use serde::Serialize;

use super::args::ListArgs;
use super::{EXIT_OK, load_filtered};
use crate::article::{Article, Name};
use crate::config::Config;
use crate::page::{display_width, pad, truncate};

/// The fields `list --json` prints for each article.
#[derive(Debug, Serialize)]
pub struct ArticleJson<'a> {
    path: String,
    title: &'a str,
    authors: &'a [Name],
    date: Option<String>,
    locations: &'a [Name],
    source_url: Option<&'a str>,
    standfirst: &'a str,
    words: usize,
}

impl<'a> ArticleJson<'a> {
    /// The list fields of an article.
    pub fn new(article: &'a Article) -> ArticleJson<'a> {
        ArticleJson {
            path: article.path.display().to_string(),
            title: &article.title,
            authors: &article.authors,
            date: article.date.map(|d| d.to_string()),
            locations: &article.locations,
            source_url: article.source_url.as_deref(),
            standfirst: article.standfirst(),
            words: article.word_count(),
        }
    }
}

pub(super) fn list(args: ListArgs, config: &Config) -> io::Result<i32> {
    let queries = vec![args.search, args.query];
    let (mut archive, filter, mut matching) = match load_filtered(
        args.path,
        &args.regions,
        queries,
        args.view.as_deref(),
        config,
    ) {
        Ok(found) => found,
        Err(code) => return Ok(code),
    };
    let today = crate::query::eval::today();
    let order = args.sort.unwrap_or(config.list.sort);
    filter.sort(&mut archive, &mut matching, order, today);
    let lib = archive;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        for &i in &matching {
            serde_json::to_writer(&mut out, &ArticleJson::new(lib.article(i)))?;
            writeln!(out)?;
        }
    } else {
        let rows: Vec<[String; 4]> = matching
            .iter()
            .map(|&i| {
                let a = lib.article(i);
                [
                    truncate(&a.title, 60),
                    a.date.map_or(String::new(), |d| d.to_string()),
                    truncate(&a.locations.join(", "), 30),
                    a.path.display().to_string(),
                ]
            })
            .collect();
        let widths: Vec<usize> = (0..3)
            .map(|c| rows.iter().map(|r| display_width(&r[c])).max().unwrap_or(0))
            .collect();
        for r in rows {
            for (c, w) in widths.iter().enumerate() {
                write!(out, "{}  ", pad(&r[c], *w))?;
            }
            writeln!(out, "{}", r[3])?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
