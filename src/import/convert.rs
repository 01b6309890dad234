//! One feed item → one article in the plain export form: text taken out of
//! HTML, fields cleaned so the export parses back to exactly what was meant.

use chrono::Datelike;
use feed_rs::model::{Entry, Feed, Text};

use crate::article::{Article, Block, BlockKind, Date};

/// Lines are never wrapped by the HTML conversion: the reader wraps.
const NO_WRAP: usize = 1 << 16;

/// Longest slug in a file or folder name, in bytes.
const SLUG_MAX: usize = 60;

/// An item ready to be written.
#[derive(Debug, Clone)]
pub struct Item {
    /// The article (its `path` is not set).
    pub article: Article,
    /// The date the file name starts with.
    pub date: Date,
    /// The file name's slug, from the title.
    pub slug: String,
}

impl Item {
    /// `YYYY-MM-DD-slug.txt`, with `-N` before the extension for the Nth of a name.
    pub fn file_name(&self, n: usize) -> String {
        if n <= 1 {
            format!("{}-{}.txt", self.date, self.slug)
        } else {
            format!("{}-{}-{n}.txt", self.date, self.slug)
        }
    }
}

/// HTML to plain text: paragraphs kept (one line each, a blank line between),
/// links as their text, no tags or entities left.
pub fn html_to_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return normalize(html);
    }
    let decorator = html2text::render::TrivialDecorator::new();
    let text = html2text::config::with_decorator(decorator)
        .no_table_borders()
        .string_from_read(html.as_bytes(), NO_WRAP)
        .unwrap_or_default();
    normalize(&text)
}

/// Blocks split by blank lines, each line trimmed, runs of spaces folded;
/// empty blocks dropped; joined with one blank line (two would mark a caption).
fn normalize(text: &str) -> String {
    paragraphs(text).join("\n\n")
}

/// The text's paragraphs: split at blank lines, lines trimmed, inner spaces folded.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut block: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = fold_spaces(line);
        if line.is_empty() {
            if !block.is_empty() {
                out.push(block.join("\n"));
                block.clear();
            }
        } else {
            block.push(line);
        }
    }
    if !block.is_empty() {
        out.push(block.join("\n"));
    }
    out
}

/// Trims and folds each run of whitespace (non-breaking spaces too) to one space.
fn fold_spaces(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A feed text as plain text, whatever its type.
fn text_of(text: &Text) -> String {
    if text.content_type.to_string().contains("html") {
        html_to_text(&text.content)
    } else {
        normalize(&text.content)
    }
}

/// A single-line value (title, name, tag): HTML removed, one line, and none of
/// the characters that would make it a markdown link in the export.
fn one_line(text: &str) -> String {
    fold_spaces(&html_to_text(text).replace(['[', ']'], ""))
}

/// A slug for a file or folder name: lowercase letters and digits (any
/// script), the rest turned into single dashes; "item" when nothing is left.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    // Apostrophes join their word ("almaty's" → "almatys").
    let letters = text.chars().filter(|c| !matches!(c, '\'' | '’' | 'ʼ'));
    for c in letters.flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if slug.len() + c.len_utf8() > SLUG_MAX {
                break;
            }
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            if slug.len() + 1 > SLUG_MAX {
                break;
            }
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "item".to_owned()
    } else {
        slug.to_owned()
    }
}

/// The item's own address: its alternate link, else its first, else an id that is one.
fn source_url(entry: &Entry) -> Option<String> {
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| l.href.clone())
        .or_else(|| {
            (entry.id.starts_with("http://") || entry.id.starts_with("https://"))
                .then(|| entry.id.clone())
        })?;
    let link = link
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    (!link.is_empty() && !link.contains(char::is_whitespace)).then(|| link.to_owned())
}

/// Whether `summary` is only the opening of `body` (an excerpt, often with "…").
fn is_excerpt(summary: &str, body: &str) -> bool {
    let s = summary.trim_end_matches(['.', '…', ' ']);
    let s = s
        .strip_suffix("[...]")
        .unwrap_or(s)
        .trim_end_matches(['.', '…', ' ']);
    !s.is_empty() && body.starts_with(s)
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !value.is_empty() && !list.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
        list.push(value);
    }
}

/// Converts one item. `tags` come from the feed's settings; `today` dates an
/// item that has no date of its own.
pub fn convert(feed: &Feed, entry: &Entry, tags: &[String], today: Date) -> Item {
    let title = entry
        .title
        .as_ref()
        .map(|t| one_line(&t.content))
        .unwrap_or_default();
    let content = entry
        .content
        .as_ref()
        .and_then(|c| {
            let body = c.body.as_deref()?;
            Some(if c.content_type.to_string().contains("html") {
                html_to_text(body)
            } else {
                normalize(body)
            })
        })
        .unwrap_or_default();
    let summary = entry.summary.as_ref().map(text_of).unwrap_or_default();
    let mut content_paras = paragraphs(&content);
    let mut summary_paras = paragraphs(&summary);
    let (standfirst, body) = if content_paras.is_empty() {
        let first = if summary_paras.is_empty() {
            String::new()
        } else {
            summary_paras.remove(0)
        };
        (first, summary_paras)
    } else if !summary.is_empty() && !is_excerpt(&summary, &content) {
        (summary_paras.join(" "), content_paras)
    } else {
        let first = content_paras.remove(0);
        (first, content_paras)
    };
    // A title-less item is named by its opening words.
    let title = if title.is_empty() {
        let words: Vec<&str> = standfirst.split_whitespace().take(10).collect();
        if words.is_empty() {
            "Untitled".to_owned()
        } else {
            words.join(" ")
        }
    } else {
        title
    };
    let mut authors = Vec::new();
    let people = if entry.authors.is_empty() {
        &feed.authors
    } else {
        &entry.authors
    };
    for person in people {
        if let Some(name) = &person.name {
            push_unique(&mut authors, one_line(name));
        }
    }
    let mut locations = Vec::new();
    for category in &entry.categories {
        push_unique(
            &mut locations,
            one_line(category.label.as_deref().unwrap_or(&category.term)),
        );
    }
    for tag in tags {
        push_unique(&mut locations, one_line(tag));
    }
    let date = entry
        .published
        .or(entry.updated)
        .and_then(|d| Date::new(d.year(), d.month() as u8, d.day() as u8))
        .unwrap_or(today);
    let body = body
        .into_iter()
        .map(|text| Block {
            kind: BlockKind::Paragraph,
            text,
            emphasis: Vec::new(),
        })
        .collect();
    let slug = slugify(&title);
    Item {
        article: Article {
            title,
            authors,
            date: Some(date),
            locations,
            source_url: source_url(entry),
            standfirst,
            body,
            ..Article::default()
        },
        date,
        slug,
    }
}
