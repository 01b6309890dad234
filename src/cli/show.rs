//! `newsdesk show`: one article, laid out as the reader shows it, or as JSON.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::list::ArticleJson;
use super::{EXIT_OK, EXIT_UNUSABLE, load_options};
use crate::config::Config;
use crate::library::{self};
use crate::page::Page;

#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    fields: ArticleJson<'a>,
    body: Vec<&'a str>,
    warnings: Vec<String>,
}

fn terminal_width() -> usize {
    ratatui::crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w))
}

/// The file `show` reads: `file` as given when it exists, else `file` inside
/// the articles folder (`list --json` prints paths relative to it); `None`
/// when neither exists.
pub fn resolve_show_path(file: &Path, articles: &Path) -> Option<PathBuf> {
    if file.exists() {
        return Some(file.to_path_buf());
    }
    let inside = articles.join(file);
    (file.is_relative() && inside.exists()).then_some(inside)
}

pub(super) fn show(
    file: &Path,
    width: Option<usize>,
    json: bool,
    config: &Config,
) -> io::Result<i32> {
    let Some(resolved) = resolve_show_path(file, &config.articles) else {
        eprintln!(
            "newsdesk: no such file: {} (looked here and in the articles folder {}; newsdesk list shows the paths)",
            file.display(),
            config.articles.display()
        );
        return Ok(EXIT_UNUSABLE);
    };
    let file = resolved.as_path();
    if file.is_dir() {
        eprintln!(
            "newsdesk: {}: is a folder; give one article file (newsdesk list shows their paths)",
            file.display()
        );
        return Ok(EXIT_UNUSABLE);
    }
    let (article, problems) = library::load_file(file, &load_options(config));
    let Some(article) = article else {
        for p in &problems {
            eprintln!("{p}");
        }
        return Ok(EXIT_UNUSABLE);
    };
    let mut out = io::stdout().lock();
    if json {
        let body = article.body().iter().map(|b| b.text.as_str()).collect();
        let warnings = problems.iter().map(ToString::to_string).collect();
        serde_json::to_writer(
            &mut out,
            &ShowJson {
                fields: ArticleJson::new(&article),
                body,
                warnings,
            },
        )?;
        writeln!(out)?;
    } else {
        let width = width.unwrap_or_else(|| terminal_width().min(80)).max(1);
        write!(out, "{}", Page::build(&article, width).to_text())?;
        for p in &problems {
            eprintln!("{p}");
        }
    }
    Ok(EXIT_OK)
}
