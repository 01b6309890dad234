//! An article and its parser, for both forms of `article-format.md`: the plain
//! export (`.txt`) and markdown with TOML front matter (`.md`). No terminal here.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;

/// A calendar date, as articles carry it (no time, no zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2003.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(name: &str) -> Option<u8> {
    let name = name.trim_end_matches('.').to_lowercase();
    if name.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&name) && (name.len() == 3 || *m == name || name == "sept"))
        .map(|i| i as u8 + 1)
}

impl Date {
    /// Builds a date when the day exists in that month.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days && (1..=9999).contains(&year)).then_some(Date { year, month, day })
    }

    /// Parses `2003-10-24`, `24 October 2003`, `Oct 24, 2003` or `October 24, 2003`.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        if parts.len() == 3 && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
            return Date::new(
                parts[0].parse().ok()?,
                parts[1].parse().ok()?,
                parts[2].parse().ok()?,
            );
        }
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() != 3 {
            return None;
        }
        if let Some(month) = month_number(words[0]) {
            return Date::new(words[2].parse().ok()?, month, words[1].parse().ok()?);
        }
        let month = month_number(words[1])?;
        Date::new(words[2].parse().ok()?, month, words[0].parse().ok()?)
    }
}

/// How a body block is meant to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// Running text.
    Paragraph,
    /// A photo caption or photo credit: shown dimmed.
    Caption,
}

/// Inline emphasis inside a block, from markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    /// `*em*` or `_em_`.
    Italic,
    /// `**strong**`.
    Bold,
    /// The text of a `[text](url)` link.
    Link,
    /// `` `code` ``.
    Code,
}

/// One block of text: a paragraph or a caption, its own line breaks kept as `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Paragraph or caption.
    pub kind: BlockKind,
    /// The text as shown, markdown punctuation removed.
    pub text: String,
    /// Styled byte ranges of `text` (markdown emphasis), in order.
    pub emphasis: Vec<(Range<usize>, Emphasis)>,
}

impl Block {
    fn plain(kind: BlockKind, text: String) -> Block {
        Block {
            kind,
            text,
            emphasis: Vec::new(),
        }
    }
}

/// A `Key: value` line from the header that newsdesk has no field for, kept as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraField {
    /// The key as written.
    pub key: String,
    /// The value, links reduced to their text.
    pub value: String,
}

/// Something odd in a file that did not stop it from being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based line, where there is one.
    pub line: Option<usize>,
    /// What is odd, and what to do about it.
    pub message: String,
}

/// An article, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    /// Where it was read from, relative to the articles folder (set by the loader).
    pub path: std::path::PathBuf,
    /// The headline.
    pub title: String,
    /// Author names, in order.
    pub authors: Vec<String>,
    /// Publication date, when given.
    pub date: Option<Date>,
    /// Location tags as written (links reduced to their text).
    pub locations: Vec<String>,
    /// The original address, without angle brackets.
    pub source_url: Option<String>,
    /// The first paragraph after the header.
    pub standfirst: String,
    /// Every body block, in order.
    pub body: Vec<Block>,
    /// Header lines with keys newsdesk does not know.
    pub extra: Vec<ExtraField>,
    /// Link targets of author and location values, in order (kept, not shown;
    /// the placeholder `#` carries nothing and is not kept).
    pub link_targets: Vec<String>,
    /// Non-fatal problems met while reading.
    pub warnings: Vec<Warning>,
}

/// Why a file could not be read as an article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// 1-based line, where there is one.
    pub line: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

impl ParseError {
    fn new(line: Option<usize>, message: impl Into<String>) -> ParseError {
        ParseError {
            line,
            message: message.into(),
        }
    }
}

/// Which of the two forms a file is in, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Plain export (`.txt`).
    Plain,
    /// Markdown, with TOML front matter when it starts with `+++` (`.md`).
    Markdown,
}

impl Article {
    /// Number of words in the standfirst and the body.
    pub fn word_count(&self) -> usize {
        let count = |s: &str| s.split_whitespace().count();
        count(&self.standfirst) + self.body.iter().map(|b| count(&b.text)).sum::<usize>()
    }

    /// The article written out in the plain export form (what `parse` reads back).
    pub fn to_export(&self) -> String {
        let link = |v: &String| format!("[{v}](#)");
        let mut out = format!("{}\n\n", self.title);
        if !self.authors.is_empty() {
            out.push_str(&format!(
                "Author: {}\n",
                self.authors.iter().map(link).collect::<Vec<_>>().join(" ")
            ));
        }
        if let Some(date) = self.date {
            out.push_str(&format!("Date: {date}\n"));
        }
        for extra in &self.extra {
            out.push_str(&format!("{}: {}\n", extra.key, extra.value));
        }
        if !self.authors.is_empty() || self.date.is_some() || !self.extra.is_empty() {
            out.push('\n');
        }
        out.push_str(&self.standfirst);
        out.push_str("\n\n");
        for block in &self.body {
            // A caption is set off by two blank lines, as exports do.
            if block.kind == BlockKind::Caption {
                out.push('\n');
            }
            out.push_str(&block.text);
            out.push_str(if block.kind == BlockKind::Caption {
                "\n\n\n"
            } else {
                "\n\n"
            });
        }
        if let Some((first, rest)) = self.locations.split_first() {
            out.push_str(&format!("Location: {}\n", link(first)));
            for tag in rest {
                out.push_str(&format!("{}\n", link(tag)));
            }
            out.push('\n');
        }
        if let Some(url) = &self.source_url {
            out.push_str(&format!("Source URL: <{url}>\n"));
        }
        out
    }

    /// Parses raw file bytes in the given form.
    pub fn parse(bytes: &[u8], form: Form) -> Result<Article, ParseError> {
        if bytes.contains(&0) {
            let line = bytes[..bytes.iter().position(|&b| b == 0).unwrap_or(0)]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            return Err(ParseError::new(
                Some(line),
                "binary file (contains NUL bytes), not an article; move it out of the articles folder",
            ));
        }
        let (text, warning) = decode(bytes);
        let mut article = match form {
            Form::Markdown if starts_with_front_matter(&text) => parse_front_matter(&text)?,
            Form::Markdown => parse_plain(&text, true)?,
            Form::Plain => parse_plain(&text, false)?,
        };
        if let Some(w) = warning {
            article.warnings.insert(0, w);
        }
        Ok(article)
    }
}

/// Decodes UTF-8 (BOM dropped); invalid bytes become U+FFFD with a warning.
fn decode(bytes: &[u8]) -> (String, Option<Warning>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), None),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            let warning = Warning {
                line: Some(line),
                message: "invalid UTF-8, shown with replacement characters (�); re-save the file as UTF-8".into(),
            };
            (String::from_utf8_lossy(bytes).into_owned(), Some(warning))
        }
    }
}

/// The lines of a text, CR before LF removed, with 1-based numbers.
fn lines(text: &str) -> Vec<(usize, &str)> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .collect()
}

/// A run of non-blank lines, with the count of blank lines around it.
#[derive(Debug)]
struct RawBlock<'a> {
    lines: Vec<(usize, &'a str)>,
    blank_before: usize,
    blank_after: usize,
}

impl RawBlock<'_> {
    fn text(&self) -> String {
        self.lines
            .iter()
            .map(|(_, l)| l.trim())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn blocks<'a>(lines: &[(usize, &'a str)]) -> Vec<RawBlock<'a>> {
    let mut out: Vec<RawBlock<'a>> = Vec::new();
    let mut blank = 0;
    let mut current: Vec<(usize, &'a str)> = Vec::new();
    for &(n, line) in lines {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(RawBlock {
                    lines: std::mem::take(&mut current),
                    blank_before: blank,
                    blank_after: 0,
                });
                blank = 0;
            }
            blank += 1;
        } else {
            if current.is_empty()
                && let Some(prev) = out.last_mut()
            {
                prev.blank_after = blank;
            }
            current.push((n, line));
        }
    }
    if !current.is_empty() {
        out.push(RawBlock {
            lines: current,
            blank_before: blank,
            blank_after: 0,
        });
    } else if let Some(prev) = out.last_mut() {
        prev.blank_after = blank;
    }
    out
}

/// Splits `Key: value` when the key looks like a field name (1–3 words of letters).
fn split_field(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    let words = key.split_whitespace().count();
    let looks_like_key = (1..=3).contains(&words)
        && key.len() <= 30
        && key
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '_')
        && !value.starts_with("//");
    looks_like_key.then(|| (key, value.trim()))
}

/// Whether a line would be read as a `Key: value` field where fields may be.
pub fn looks_like_field(line: &str) -> bool {
    split_field(line).is_some()
}

/// Whether a line would be read as a footer field (`Location:`, `Source:` …).
pub fn looks_like_footer_field(line: &str) -> bool {
    split_field(line).is_some_and(|(k, _)| footer_field(k).is_some())
}

fn field_name(key: &str) -> String {
    key.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HeaderField {
    Authors,
    Date,
}

fn header_field(key: &str) -> Option<HeaderField> {
    match field_name(key).as_str() {
        "author" | "authors" | "by" => Some(HeaderField::Authors),
        "date" => Some(HeaderField::Date),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FooterField {
    Locations,
    Source,
}

fn footer_field(key: &str) -> Option<FooterField> {
    match field_name(key).as_str() {
        "location" | "locations" | "region" | "regions" | "tags" | "tag" => {
            Some(FooterField::Locations)
        }
        "source url" | "source" | "url" => Some(FooterField::Source),
        _ => None,
    }
}

/// Values of a field: markdown links (`[Text](target)`) give their text, several
/// per line; plain text is split on commas, semicolons and " and ".
fn field_values(value: &str, split_and: bool) -> Vec<(String, Option<String>)> {
    let links = parse_links(value);
    if !links.is_empty() {
        return links;
    }
    let mut parts: Vec<String> = vec![value.to_owned()];
    for sep in [";", ","] {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_owned))
            .collect();
    }
    if split_and {
        parts = parts
            .iter()
            .flat_map(|p| p.split(" and ").map(str::to_owned))
            .collect();
    }
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .map(|p| (p, None))
        .collect()
}

/// A `[text](target)` link at the start of `s`: its text, target and length in bytes.
fn link_at_start(s: &str) -> Option<(&str, &str, usize)> {
    let inner = s.strip_prefix('[')?;
    let close = inner.find("](")?;
    let label = &inner[..close];
    if label.contains('[') || label.contains('\n') {
        return None;
    }
    let target_start = &inner[close + 2..];
    let end = target_start.find(')')?;
    Some((label, &target_start[..end], 1 + close + 2 + end + 1))
}

/// Every `[text](target)` in a line; empty when the line has none.
fn parse_links(value: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('[') {
        match link_at_start(&rest[open..]) {
            Some((text, target, len)) => {
                if !text.trim().is_empty() {
                    out.push((text.trim().to_owned(), Some(target.trim().to_owned())));
                }
                rest = &rest[open + len..];
            }
            None => rest = &rest[open + 1..],
        }
    }
    out
}

fn clean_url(value: &str) -> String {
    let v = value.trim();
    let v = v
        .strip_prefix('<')
        .and_then(|v| v.strip_suffix('>'))
        .unwrap_or(v);
    match parse_links(v).into_iter().next() {
        Some((_, Some(target))) if target != "#" => target,
        Some((text, _)) => text,
        None => v.to_owned(),
    }
}

/// A line in a location list after the `Location:` line: a link, or plain text.
fn tag_line_values(line: &str) -> Vec<(String, Option<String>)> {
    field_values(line.trim(), false)
}

/// Footer blocks, read from the end: returns the index of the first footer block.
fn parse_footer(blocks: &[RawBlock<'_>], start: usize, article: &mut Article) -> usize {
    let mut first_footer = blocks.len();
    while first_footer > start {
        let block = &blocks[first_footer - 1];
        let Some(fields) = footer_block(block) else {
            break;
        };
        // Fields read from the end: prepend so the final order is file order.
        let mut locations = Vec::new();
        let mut targets = Vec::new();
        for field in fields {
            match field {
                FooterValue::Location(text, target) => {
                    locations.push(text);
                    targets.extend(target.filter(|t| t != "#"));
                }
                FooterValue::Source(url) => {
                    if article.source_url.is_none() {
                        article.source_url = Some(url);
                    }
                }
            }
        }
        locations.append(&mut article.locations);
        article.locations = locations;
        targets.append(&mut article.link_targets);
        article.link_targets = targets;
        first_footer -= 1;
    }
    first_footer
}

enum FooterValue {
    Location(String, Option<String>),
    Source(String),
}

/// Reads a block as footer fields, or `None` when it is body text.
fn footer_block(block: &RawBlock<'_>) -> Option<Vec<FooterValue>> {
    let mut out = Vec::new();
    let mut in_locations = false;
    for &(_, line) in &block.lines {
        match split_field(line).and_then(|(k, v)| footer_field(k).map(|f| (f, v))) {
            Some((FooterField::Locations, value)) => {
                in_locations = true;
                for (text, target) in field_values(value, false) {
                    out.push(FooterValue::Location(text, target));
                }
            }
            Some((FooterField::Source, value)) => {
                in_locations = false;
                out.push(FooterValue::Source(clean_url(value)));
            }
            None if in_locations => {
                for (text, target) in tag_line_values(line) {
                    out.push(FooterValue::Location(text, target));
                }
            }
            None => return None,
        }
    }
    Some(out)
}

/// Longest caption, in characters: captions are short lines under a photo.
const CAPTION_MAX_CHARS: usize = 200;

fn is_credit(line: &str) -> bool {
    split_field(line).is_some_and(|(k, _)| {
        matches!(
            field_name(k).as_str(),
            "photo" | "photos" | "photo credit" | "picture" | "pictures"
        )
    })
}

fn block_kind(block: &RawBlock<'_>) -> BlockKind {
    let short = block
        .lines
        .iter()
        .all(|(_, l)| l.chars().count() <= CAPTION_MAX_CHARS);
    let set_off = block.blank_before >= 2 || block.blank_after >= 2;
    let credited = block.lines.iter().any(|(_, l)| is_credit(l));
    if short && (set_off || credited) {
        BlockKind::Caption
    } else {
        BlockKind::Paragraph
    }
}

/// A title written by hand as a markdown heading (`# Title`, `## Title`): the
/// text without the `#` marks and the space after them. Anything else, such as
/// `#hashtag` (no space) or a title that merely contains `#`, is kept as it is.
fn heading_text(line: &str) -> &str {
    let rest = line.trim_start_matches('#');
    if rest.len() == line.len() {
        return line;
    }
    rest.strip_prefix([' ', '\t']).unwrap_or(line)
}

/// The plain export form (and markdown files without front matter).
fn parse_plain(text: &str, markdown: bool) -> Result<Article, ParseError> {
    let lines = lines(text);
    let blocks = blocks(&lines);
    let Some(first) = blocks.first() else {
        return Err(ParseError::new(
            None,
            "no title: the file is empty or only blank lines; write the title on the first line",
        ));
    };
    let mut article = Article::default();
    let (title_line_no, title_line) = first.lines[0];
    article.title = if markdown {
        title_line.trim().trim_start_matches('#').trim().to_owned()
    } else {
        heading_text(title_line.trim_start()).trim().to_owned()
    };
    if article.title.is_empty() {
        return Err(ParseError::new(
            Some(title_line_no),
            "no title: the first line is empty after removing markup; write the title on the first line",
        ));
    }

    // Header: the rest of the title block and following blocks made only of fields.
    let mut header_lines: Vec<(usize, &str)> = first.lines[1..].to_vec();
    let mut next = 1;
    while next < blocks.len()
        && blocks[next]
            .lines
            .iter()
            .all(|(_, l)| split_field(l).is_some())
    {
        // A block that is all fields but is the last one before the footer could
        // only be the footer itself; leave footer fields to the footer.
        if footer_block(&blocks[next]).is_some() {
            break;
        }
        header_lines.extend(blocks[next].lines.iter().copied());
        next += 1;
    }
    let mut title_extra = Vec::new();
    for (n, line) in header_lines {
        match split_field(line) {
            Some((key, value)) => read_header_field(&mut article, n, key, value),
            // A non-field line right under the title continues the title block
            // (a subtitle); keep it as the start of the text rather than lose it.
            None => title_extra.push(line.trim().to_owned()),
        }
    }

    let first_footer = parse_footer(&blocks, next, &mut article);
    let body_blocks = &blocks[next..first_footer];
    let mut body_iter = body_blocks.iter();
    if !title_extra.is_empty() {
        article.standfirst = title_extra.join("\n");
    } else if let Some(b) = body_iter.next() {
        article.standfirst = b.text();
    }
    for b in body_iter {
        let kind = block_kind(b);
        if markdown {
            article.body.push(inline_markdown(kind, &b.text()));
        } else {
            article.body.push(Block::plain(kind, b.text()));
        }
    }
    if markdown {
        article.standfirst = inline_markdown(BlockKind::Paragraph, &article.standfirst).text;
    }
    Ok(article)
}

fn read_header_field(article: &mut Article, line: usize, key: &str, value: &str) {
    match header_field(key) {
        Some(HeaderField::Authors) => {
            for (name, target) in field_values(value, true) {
                article.authors.push(name);
                article.link_targets.extend(target.filter(|t| t != "#"));
            }
        }
        Some(HeaderField::Date) => match Date::parse(value) {
            Some(date) => article.date = Some(date),
            None => article.warnings.push(Warning {
                line: Some(line),
                message: format!(
                    "date \"{value}\" not understood; write it as 2003-10-24, 24 October 2003 or Oct 24, 2003"
                ),
            }),
        },
        None => article.extra.push(ExtraField {
            key: key.to_owned(),
            value: field_values(value, false)
                .into_iter()
                .map(|(t, _)| t)
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

fn starts_with_front_matter(text: &str) -> bool {
    text.trim_start_matches(['\n', '\r', ' ', '\t'])
        .lines()
        .next()
        .is_some_and(|l| l.trim_end() == "+++")
}

/// The TOML front matter of a `.md` article.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
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
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

fn front_matter_date(value: &toml::Value) -> Option<Date> {
    match value {
        toml::Value::Datetime(dt) => {
            let d = dt.date?;
            Date::new(i32::from(d.year), d.month, d.day)
        }
        toml::Value::String(s) => Date::parse(s),
        _ => None,
    }
}

fn parse_front_matter(text: &str) -> Result<Article, ParseError> {
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
        title: front.title.unwrap_or_default().trim().to_owned(),
        ..Article::default()
    };
    if article.title.is_empty() {
        return Err(ParseError::new(
            Some(all[open].0),
            "no title in the front matter; add title = \"...\" between the +++ lines",
        ));
    }
    article.authors = front.authors.into_vec();
    if let Some(value) = &front.date {
        article.date = front_matter_date(value);
        if article.date.is_none() {
            article.warnings.push(Warning {
                line: Some(first_toml_line),
                message: format!("date {value} not understood; write it as date = 2003-10-24"),
            });
        }
    }
    article.locations = front.locations.into_vec();
    article.source_url = front.source_url.map(|u| clean_url(&u));

    let rest = &all[close + 1..];
    let body_blocks = blocks(rest);
    let mut iter = body_blocks.iter();
    match front.standfirst {
        Some(s) => article.standfirst = inline_markdown(BlockKind::Paragraph, s.trim()).text,
        None => {
            if let Some(b) = iter.next() {
                article.standfirst = inline_markdown(BlockKind::Paragraph, &b.text()).text;
            }
        }
    }
    for b in iter {
        let text = b.text();
        let text = text.trim_start_matches('#').trim_start();
        article.body.push(inline_markdown(block_kind(b), text));
    }
    Ok(article)
}

/// Removes inline markdown punctuation, recording what it styled.
pub fn inline_markdown(kind: BlockKind, source: &str) -> Block {
    let mut text = String::with_capacity(source.len());
    let mut emphasis = Vec::new();
    let mut open: Vec<(&str, usize)> = Vec::new();
    let mut rest = source;
    while let Some(c) = rest.chars().next() {
        let marker = if rest.starts_with("**") {
            Some("**")
        } else if rest.starts_with("__") {
            Some("__")
        } else if c == '*' || c == '_' || c == '`' {
            Some(&rest[..1])
        } else {
            None
        };
        if let Some(m) = marker {
            if let Some(pos) = open.iter().rposition(|(o, _)| *o == m) {
                let (_, start) = open.remove(pos);
                let style = match m {
                    "**" | "__" => Emphasis::Bold,
                    "`" => Emphasis::Code,
                    _ => Emphasis::Italic,
                };
                if start < text.len() {
                    emphasis.push((start..text.len(), style));
                }
                rest = &rest[m.len()..];
                continue;
            }
            let next = rest[m.len()..].chars().next();
            // An opening marker must touch a word and have a closing partner.
            let word_inside = next.is_some_and(|n| !n.is_whitespace());
            let word_before = text.chars().last().is_some_and(char::is_alphanumeric);
            if word_inside && !(m == "_" && word_before) && rest[m.len()..].contains(m) {
                open.push((m, text.len()));
                rest = &rest[m.len()..];
                continue;
            }
        }
        if c == '['
            && let Some((label, _target, len)) = link_at_start(rest)
        {
            let label = inline_markdown(kind, label);
            let start = text.len();
            for (r, e) in label.emphasis {
                emphasis.push((r.start + start..r.end + start, e));
            }
            text.push_str(&label.text);
            emphasis.push((start..text.len(), Emphasis::Link));
            rest = &rest[len..];
            continue;
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    emphasis.sort_by_key(|(r, _)| r.start);
    Block {
        kind,
        text,
        emphasis,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_three_forms() {
        let want = Date::new(2003, 10, 24);
        assert_eq!(Date::parse("2003-10-24"), want);
        assert_eq!(Date::parse("24 October 2003"), want);
        assert_eq!(Date::parse("Oct 24, 2003"), want);
        assert_eq!(Date::parse("October 24, 2003"), want);
        assert_eq!(Date::parse("2003-02-30"), None);
        assert_eq!(Date::parse("someday"), None);
    }

    #[test]
    fn a_heading_title_in_a_note_loses_its_marks() {
        let title = |text: &str| Article::parse(text.as_bytes(), Form::Plain).map(|a| a.title);
        assert_eq!(
            title("# Kant base opens\n\nText.").ok().as_deref(),
            Some("Kant base opens")
        );
        assert_eq!(
            title("\n## Two marks\n\nText.").ok().as_deref(),
            Some("Two marks")
        );
        assert_eq!(
            title("#hashtag day\n\nText.").ok().as_deref(),
            Some("#hashtag day")
        );
        assert_eq!(
            title("C# at work\n\nText.").ok().as_deref(),
            Some("C# at work")
        );
        assert!(
            title("#  \n\nText.").is_err(),
            "a heading with no text is no title"
        );
    }

    #[test]
    fn links_give_their_text_and_keep_targets() {
        let v = field_values("[A B](#) [C](http://x)", true);
        assert_eq!(
            v,
            vec![
                ("A B".to_owned(), Some("#".to_owned())),
                ("C".to_owned(), Some("http://x".to_owned()))
            ]
        );
    }

    #[test]
    fn plain_authors_split_on_and_and_commas() {
        let v: Vec<String> = field_values("Jane Doe and John Roe, Ann Poe", true)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(v, ["Jane Doe", "John Roe", "Ann Poe"]);
    }

    #[test]
    fn inline_markdown_styles_and_strips() {
        let b = inline_markdown(BlockKind::Paragraph, "a *b* **c** [d](http://e) snake_case");
        assert_eq!(b.text, "a b c d snake_case");
        assert_eq!(
            b.emphasis,
            vec![
                (2..3, Emphasis::Italic),
                (4..5, Emphasis::Bold),
                (6..7, Emphasis::Link)
            ]
        );
    }

    #[test]
    fn url_angle_brackets_removed() {
        assert_eq!(clean_url(" <https://x.org/a> "), "https://x.org/a");
        assert_eq!(clean_url("https://x.org/a"), "https://x.org/a");
    }
}
