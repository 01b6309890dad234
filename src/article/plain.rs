//! The plain export form (and the body of the markdown form): header fields,
//! blocks, captions, the footer of tags and source.

use super::*;

/// Decodes UTF-8 (BOM dropped); invalid bytes become U+FFFD with a warning.
pub(super) fn decode(bytes: &[u8]) -> (String, Option<Warning>) {
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
pub(super) fn lines(text: &str) -> Vec<(usize, &str)> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .collect()
}

/// A run of non-blank lines, with the count of blank lines around it.
#[derive(Debug)]
pub(super) struct RawBlock<'a> {
    lines: Vec<(usize, &'a str)>,
    blank_before: usize,
    blank_after: usize,
}

impl RawBlock<'_> {
    pub(super) fn text(&self) -> String {
        self.lines
            .iter()
            .map(|(_, l)| l.trim())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

pub(super) fn blocks<'a>(lines: &[(usize, &'a str)]) -> Vec<RawBlock<'a>> {
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
pub(super) fn split_field(line: &str) -> Option<(&str, &str)> {
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

pub(super) fn field_name(key: &str) -> String {
    key.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum HeaderField {
    Authors,
    Date,
}

pub(super) fn header_field(key: &str) -> Option<HeaderField> {
    match field_name(key).as_str() {
        "author" | "authors" | "by" => Some(HeaderField::Authors),
        "date" => Some(HeaderField::Date),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FooterField {
    Locations,
    Source,
}

pub(super) fn footer_field(key: &str) -> Option<FooterField> {
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
pub(super) fn field_values(value: &str, split_and: bool) -> Vec<(String, Option<String>)> {
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
pub(super) fn link_at_start(s: &str) -> Option<(&str, &str, usize)> {
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
pub(super) fn parse_links(value: &str) -> Vec<(String, Option<String>)> {
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

pub(super) fn clean_url(value: &str) -> String {
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
pub(super) fn tag_line_values(line: &str) -> Vec<(String, Option<String>)> {
    field_values(line.trim(), false)
}

/// Footer blocks, read from the end: returns the index of the first footer block.
pub(super) fn parse_footer(blocks: &[RawBlock<'_>], start: usize, article: &mut Article) -> usize {
    let mut first_footer = blocks.len();
    while first_footer > start {
        let block = &blocks[first_footer - 1];
        let Some(fields) = footer_block(block) else {
            break;
        };
        // Fields read from the end: prepend so the final order is file order.
        let mut locations = Names::new();
        let mut targets = Vec::new();
        for field in fields {
            match field {
                FooterValue::Location(text, target) => {
                    locations.push(Name::new(&text));
                    targets.extend(target.filter(|t| t != "#"));
                }
                FooterValue::Source(url) => {
                    if article.source_url.is_none() {
                        article.source_url = Some(url.into());
                    }
                }
            }
        }
        locations.extend(article.locations.drain(..));
        article.locations = locations;
        let text = article.text_mut();
        targets.append(&mut text.link_targets);
        text.link_targets = targets;
        first_footer -= 1;
    }
    first_footer
}

pub(super) enum FooterValue {
    Location(String, Option<String>),
    Source(String),
}

/// Reads a block as footer fields, or `None` when it is body text.
pub(super) fn footer_block(block: &RawBlock<'_>) -> Option<Vec<FooterValue>> {
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
pub(super) const CAPTION_MAX_CHARS: usize = 200;

pub(super) fn is_credit(line: &str) -> bool {
    split_field(line).is_some_and(|(k, _)| {
        matches!(
            field_name(k).as_str(),
            "photo" | "photos" | "photo credit" | "picture" | "pictures"
        )
    })
}

pub(super) fn block_kind(block: &RawBlock<'_>) -> BlockKind {
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
pub(super) fn heading_text(line: &str) -> &str {
    let rest = line.trim_start_matches('#');
    if rest.len() == line.len() {
        return line;
    }
    rest.strip_prefix([' ', '\t']).unwrap_or(line)
}

/// The plain export form (and markdown files without front matter).
pub(super) fn parse_plain(text: &str, markdown: bool) -> Result<Article, ParseError> {
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
        title_line.trim().trim_start_matches('#').trim().into()
    } else {
        heading_text(title_line.trim_start()).trim().into()
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
        article.text_mut().standfirst = title_extra.join("\n");
    } else if let Some(b) = body_iter.next() {
        article.text_mut().standfirst = b.text();
    }
    for b in body_iter {
        let kind = block_kind(b);
        if markdown {
            article
                .text_mut()
                .body
                .push(inline_markdown(kind, &b.text()));
        } else {
            article.text_mut().body.push(Block::plain(kind, b.text()));
        }
    }
    if markdown {
        let text = article.text_mut();
        text.standfirst = inline_markdown(BlockKind::Paragraph, &text.standfirst).text;
    }
    Ok(article)
}

pub(super) fn read_header_field(article: &mut Article, line: usize, key: &str, value: &str) {
    match header_field(key) {
        Some(HeaderField::Authors) => {
            for (name, target) in field_values(value, true) {
                article.authors.push(Name::new(&name));
                if let Some(target) = target.filter(|t| t != "#") {
                    article.text_mut().link_targets.push(target);
                }
            }
        }
        Some(HeaderField::Date) => match Date::parse(value) {
            Some(date) => article.date = Some(date),
            None => article.text_mut().warnings.push(Warning {
                line: Some(line),
                message: format!(
                    "date \"{value}\" not understood; write it as 2003-10-24, 24 October 2003 or Oct 24, 2003"
                ),
            }),
        },
        None => article.text_mut().extra.push(ExtraField {
            key: key.to_owned(),
            value: field_values(value, false)
                .into_iter()
                .map(|(t, _)| t)
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}
