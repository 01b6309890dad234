//! Markdown with TOML front matter between `+++` lines.

use serde::Deserialize;

use super::plain::{block_kind, blocks, clean_url, lines};
use super::*;

pub(super) fn starts_with_front_matter(text: &str) -> bool {
    text.trim_start_matches(['\n', '\r', ' ', '\t'])
        .lines()
        .next()
        .is_some_and(|l| l.trim_end() == "+++")
}

/// The TOML front matter of a `.md` article.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FrontMatter {
    title: Option<String>,
    #[serde(default, alias = "author")]
    authors: OneOrMany,
    date: Option<toml::Value>,
    #[serde(default, alias = "location", alias = "tags", alias = "regions")]
    locations: OneOrMany,
    #[serde(alias = "source", alias = "url")]
    source_url: Option<String>,
    standfirst: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_names(self) -> Names {
        match self {
            OneOrMany::None => Names::new(),
            OneOrMany::One(s) => smallvec::smallvec![Name::new(&s)],
            OneOrMany::Many(v) => v.iter().map(|s| Name::new(s)).collect(),
        }
    }
}

pub(super) fn front_matter_date(value: &toml::Value) -> Option<Date> {
    match value {
        toml::Value::Datetime(dt) => {
            let d = dt.date?;
            Date::new(i32::from(d.year), d.month, d.day)
        }
        toml::Value::String(s) => Date::parse(s),
        _ => None,
    }
}

pub(super) fn parse_front_matter(text: &str) -> Result<Article, ParseError> {
    let all = lines(text);
    let open = all.iter().position(|(_, l)| l.trim() == "+++").unwrap_or(0);
    let Some(close_rel) = all[open + 1..].iter().position(|(_, l)| l.trim() == "+++") else {
        return Err(ParseError::new(
            Some(all[open].0),
            "front matter opened with +++ is never closed; add a line +++ after the last key",
        ));
    };
    let close = open + 1 + close_rel;
    let toml_text: String = all[open + 1..close]
        .iter()
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n");
    let first_toml_line = all[open].0 + 1;
    let front: FrontMatter = toml::from_str(&toml_text).map_err(|e| {
        let line = e
            .span()
            .map(|s| toml_text[..s.start.min(toml_text.len())].matches('\n').count() + first_toml_line);
        let msg = e.message().trim().to_owned();
        ParseError::new(
            line,
            format!(
                "invalid front matter: {msg}; keys are title, authors, date, locations, source_url, standfirst"
            ),
        )
    })?;
    let mut article = Article {
        title: front.title.unwrap_or_default().trim().into(),
        ..Article::default()
    };
    if article.title.is_empty() {
        return Err(ParseError::new(
            Some(all[open].0),
            "no title in the front matter; add title = \"...\" between the +++ lines",
        ));
    }
    article.authors = front.authors.into_names();
    if let Some(value) = &front.date {
        article.date = front_matter_date(value);
        if article.date.is_none() {
            article.text_mut().warnings.push(Warning {
                line: Some(first_toml_line),
                message: format!("date {value} not understood; write it as date = 2003-10-24"),
            });
        }
    }
    article.locations = front.locations.into_names();
    article.source_url = front.source_url.map(|u| clean_url(&u).into());

    let rest = &all[close + 1..];
    let body_blocks = blocks(rest);
    let mut iter = body_blocks.iter();
    match front.standfirst {
        Some(s) => {
            article.text_mut().standfirst = inline_markdown(BlockKind::Paragraph, s.trim()).text
        }
        None => {
            if let Some(b) = iter.next() {
                article.text_mut().standfirst =
                    inline_markdown(BlockKind::Paragraph, &b.text()).text;
            }
        }
    }
    for b in iter {
        let text = b.text();
        let text = text.trim_start_matches('#').trim_start();
        article
            .text_mut()
            .body
            .push(inline_markdown(block_kind(b), text));
    }
    Ok(article)
}
