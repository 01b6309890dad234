//! An article laid out for reading at a given width: wrapped once with textwrap
//! (by display width, so CJK and emoji count as two columns), each line tagged
//! with what it is so the reader can style it and `show` can print it.

use std::ops::Range;

use unicode_truncate::UnicodeTruncateStr;
use unicode_width::UnicodeWidthStr;

use crate::article::{Article, BlockKind, Emphasis};

/// What a line of a page is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// The headline.
    Title,
    /// Authors, date, tags, source.
    Meta,
    /// The standfirst.
    Standfirst,
    /// Running text.
    Body,
    /// A photo caption or credit.
    Caption,
    /// Space between blocks.
    Blank,
}

/// One wrapped line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLine {
    /// What it is part of.
    pub kind: LineKind,
    /// The text, no wider than the page.
    pub text: String,
    /// Inline emphasis, as byte ranges of `text`.
    pub emphasis: Vec<(Range<usize>, Emphasis)>,
    /// Index of the block this line came from (0 = title, 1 = the other
    /// header lines, 2 = standfirst, 3.. = body blocks), to find search
    /// matches and keep reading positions by block.
    pub block: usize,
    /// Byte offset of `text` inside that block's text.
    pub offset: usize,
}

/// An article wrapped to a width.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The width it was wrapped to.
    pub width: usize,
    /// The lines, top to bottom.
    pub lines: Vec<PageLine>,
}

/// Wraps one paragraph of text to `width` columns; returns each line with its
/// byte offset in `text`. Words longer than the width are broken, never cut.
pub fn wrap_with_offsets(text: &str, width: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for raw in text.split('\n') {
        // A tab or another control character is a space here: the wrapper
        // counts them zero columns wide while the screen and
        // `display_width` count one, so lines full of tabs ran past the
        // page (found by the article fuzz target). Byte for byte, so
        // offsets into the block's text hold.
        let cleaned = spaced_controls(raw);
        let raw = cleaned.as_ref();
        if raw.trim().is_empty() {
            out.push((line_start, String::new()));
        } else {
            // Words split only at spaces and never at hyphens, so an address
            // or a compound stays whole unless it is wider than the line (then
            // it is broken, as CJK text without spaces must be).
            let options = textwrap::Options::new(width.max(1))
                .break_words(true)
                .word_splitter(textwrap::WordSplitter::NoHyphenation)
                .word_separator(textwrap::WordSeparator::Custom(words_keeping_dashes))
                .wrap_algorithm(textwrap::WrapAlgorithm::OptimalFit(never_overflow()));
            let mut search_from = 0;
            for piece in textwrap::wrap(raw, options) {
                let offset = match &piece {
                    std::borrow::Cow::Borrowed(s) => s.as_ptr() as usize - raw.as_ptr() as usize,
                    std::borrow::Cow::Owned(s) => raw[search_from..]
                        .find(s.as_str())
                        .map_or(search_from, |i| i + search_from),
                };
                search_from = offset + piece.len();
                out.push((line_start + offset, piece.into_owned()));
            }
        }
        line_start += raw.len() + 1;
    }
    out
}

/// Optimal-fit penalties under which a line never runs past the width.
/// textwrap's default lets a line overflow by a column or two when that
/// costs less than a short line (2,500 a column against the square of the
/// gap): found by the article fuzz target, a 100-column line at width 98.
/// Words wider than the line are broken first, so a fitting layout always
/// exists; this penalty outweighs any layout's squared gaps (a page of a
/// million lines of 1,000-column gaps is 10^12) and still sums in 64 bits.
fn never_overflow() -> textwrap::wrap_algorithms::Penalties {
    textwrap::wrap_algorithms::Penalties {
        overflow_penalty: 1 << 40,
        ..textwrap::wrap_algorithms::Penalties::new()
    }
}

/// `line` with every control character a blank of the same byte length: a
/// one-byte one (tab, escape, DEL) a space, a two-byte C1 one (U+0080 to
/// U+009F, met in mis-decoded files) a no-break space.
fn spaced_controls(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains(char::is_control) {
        return std::borrow::Cow::Borrowed(line);
    }
    let blank = |c: char| match c {
        c if c.is_ascii_control() => ' ',
        c if c.is_control() => '\u{a0}',
        c => c,
    };
    std::borrow::Cow::Owned(line.chars().map(blank).collect())
}

/// A dash standing alone between words (` - `, ` – `, ` — `).
fn is_lone_dash(word: &str) -> bool {
    matches!(word, "-" | "–" | "—")
}

/// Words as textwrap's `AsciiSpace` finds them (a word and the spaces after
/// it), except that a dash standing alone joins the word before it: a line
/// that began `- ` would read as a list item.
fn words_keeping_dashes(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut chunks: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut after_space = false;
    for (i, c) in line.char_indices() {
        if after_space && c != ' ' {
            chunks.push((start, i));
            start = i;
        }
        after_space = c == ' ';
    }
    if start < line.len() {
        chunks.push((start, line.len()));
    }
    let mut words: Vec<(usize, usize)> = Vec::with_capacity(chunks.len());
    for (from, to) in chunks {
        let dash = is_lone_dash(line[from..to].trim_end_matches(' '));
        match words.last_mut() {
            Some(last) if dash && !line[last.0..last.1].trim().is_empty() => last.1 = to,
            _ => words.push((from, to)),
        }
    }
    Box::new(
        words
            .into_iter()
            .map(move |(from, to)| textwrap::core::Word::from(&line[from..to])),
    )
}

/// The display width of a string (CJK and emoji count as two).
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `text` to at most `width` display columns, with `…` when cut. Cuts
/// between graphemes, so an accent or an emoji sequence is never split.
pub fn truncate(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_owned();
    }
    let (kept, _) = text.unicode_truncate(width.saturating_sub(1));
    format!("{kept}…")
}

/// Pads `text` with spaces to `width` display columns.
pub fn pad(text: &str, width: usize) -> String {
    let w = display_width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

fn clip_emphasis(
    emphasis: &[(Range<usize>, Emphasis)],
    start: usize,
    len: usize,
) -> Vec<(Range<usize>, Emphasis)> {
    let end = start + len;
    emphasis
        .iter()
        .filter(|(r, _)| r.start < end && r.end > start)
        .map(|(r, e)| (r.start.max(start) - start..r.end.min(end) - start, *e))
        .collect()
}

impl Page {
    /// Lays `article` out at `width` columns.
    pub fn build(article: &Article, width: usize) -> Page {
        Page::build_with_tags(article, width, &article.locations)
    }

    /// Lays `article` out at `width` columns, showing `tags` as its location tags
    /// (the reader passes them with aliases applied).
    pub fn build_with_tags(article: &Article, width: usize, tags: &[impl AsRef<str>]) -> Page {
        let width = width.max(1);
        let mut lines = Vec::new();
        let push_wrapped = |lines: &mut Vec<PageLine>,
                            kind,
                            text: &str,
                            emphasis: &[(Range<usize>, Emphasis)],
                            block| {
            for (offset, line) in wrap_with_offsets(text, width) {
                let emphasis = clip_emphasis(emphasis, offset, line.len());
                lines.push(PageLine {
                    kind,
                    text: line,
                    emphasis,
                    block,
                    offset,
                });
            }
        };
        push_wrapped(&mut lines, LineKind::Title, &article.title, &[], 0);
        let mut meta = Vec::new();
        if !article.authors.is_empty() {
            meta.push(format!("By {}", article.authors.join(", ")));
        }
        if let Some(date) = article.date {
            meta.push(date.to_string());
        }
        if !tags.is_empty() {
            let tags: Vec<&str> = tags.iter().map(AsRef::as_ref).collect();
            meta.push(format!("Tags: {}", tags.join(" · ")));
        }
        if let Some(url) = &article.source_url {
            meta.push(format!("Source: {url}"));
        }
        for m in meta {
            push_wrapped(&mut lines, LineKind::Meta, &m, &[], 1);
        }
        // A blank line belongs to the block after it, so blocks stay in order.
        let blank = |lines: &mut Vec<PageLine>, block| {
            lines.push(PageLine {
                kind: LineKind::Blank,
                text: String::new(),
                emphasis: Vec::new(),
                block,
                offset: 0,
            });
        };
        if !article.standfirst().is_empty() {
            blank(&mut lines, 2);
            push_wrapped(
                &mut lines,
                LineKind::Standfirst,
                article.standfirst(),
                &[],
                2,
            );
        }
        for (i, block) in article.body().iter().enumerate() {
            blank(&mut lines, i + 3);
            let kind = match block.kind {
                BlockKind::Paragraph => LineKind::Body,
                BlockKind::Caption => LineKind::Caption,
            };
            push_wrapped(&mut lines, kind, &block.text, &block.emphasis, i + 3);
        }
        Page { width, lines }
    }

    /// The text of a block by the index [`PageLine::block`] uses.
    pub fn block_text(article: &Article, block: usize) -> &str {
        match block {
            0 => &article.title,
            1 => "",
            2 => article.standfirst(),
            n => article.body().get(n - 3).map_or("", |b| b.text.as_str()),
        }
    }

    /// The page as plain text, one line each.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(&line.text);
            out.push('\n');
        }
        out
    }
}

/// `text` in at most `width` columns: whole when it fits, else cut at the
/// last space that leaves room for `…` (a single word too long is cut inside
/// it, as nothing better is possible).
pub fn shorten(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut best = None;
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + 1 > width {
            break;
        }
        if c == ' ' {
            best = Some(i);
        }
    }
    match best.map(|i| text[..i].trim_end()).filter(|t| !t.is_empty()) {
        Some(head) => format!("{head}…"),
        None => truncate(text, width),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Block, Text};

    #[test]
    fn truncates_to_display_width_between_graphemes() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("Danube Ports", 8), "Danube …");
        // Wide characters: never past the width, even when one cannot fit.
        assert_eq!(truncate("中文标题很长", 6), "中文…");
        assert_eq!(display_width(&truncate("中文标题很长", 6)), 5);
        // An accent written as a combining mark stays on its letter.
        assert_eq!(truncate("Cafe\u{301} Society", 5), "Cafe\u{301}…");
        assert_eq!(truncate("anything", 0), "…");
    }

    #[test]
    fn wraps_by_display_width_and_breaks_long_words() {
        let cjk = "中文文本没有空格也必须正确换行显示";
        for (_, line) in wrap_with_offsets(cjk, 10) {
            assert!(display_width(&line) <= 10, "{line}");
        }
        let joined: String = wrap_with_offsets(cjk, 10)
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert_eq!(joined, cjk, "nothing is cut");
    }

    #[test]
    fn hyphens_never_split_a_word_and_urls_stay_whole() {
        let text = "See https://example.org/newsdesk/batumi-seasonal-workers for the well-known cross-border story.";
        for width in 52..70 {
            let lines: Vec<String> = wrap_with_offsets(text, width)
                .into_iter()
                .map(|(_, l)| l)
                .collect();
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains("https://example.org/newsdesk/batumi-seasonal-workers")),
                "the address fits a line of {width}, so it is whole: {lines:?}"
            );
        }
        let words: Vec<&str> = text.split(' ').collect();
        for (_, line) in wrap_with_offsets(text, 12) {
            for word in line.split(' ') {
                let whole = words.contains(&word);
                let long = words
                    .iter()
                    .any(|w| display_width(w) > 12 && w.contains(word));
                assert!(
                    whole || long,
                    "{word:?} is a piece of a word that fits: {line:?}"
                );
            }
        }
    }

    #[test]
    fn tabs_count_as_the_columns_they_take() {
        // Found by the article fuzz target: the wrapper counted each tab as
        // zero columns, so this title came out as one line of 98 at width 73.
        let title = format!("Harbour Reopens After{} Storm", "\t".repeat(71));
        let article = Article {
            title: title.clone().into(),
            ..Article::default()
        };
        let page = Page::build(&article, 73);
        assert!(page.lines.len() > 1, "{:?}", page.lines);
        for line in &page.lines {
            assert!(display_width(&line.text) <= 73, "{:?}", line.text);
            assert!(!line.text.contains('\t'));
        }
        assert_eq!(page.lines[0].text, "Harbour Reopens After");
        // Offsets still point into the title as written.
        let last = page
            .lines
            .iter()
            .find(|l| l.text.contains("Storm"))
            .unwrap();
        assert!(title[last.offset..].trim_start().starts_with("Storm"));
    }

    #[test]
    fn c1_controls_count_as_the_column_they_take() {
        // Found by the article fuzz target: U+0098 counted zero columns when
        // wrapping and one when drawn, so this line was 17 wide at 16.
        let text = "\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}ltle\u{fffd}\u{98}gain.u";
        let lines = wrap_with_offsets(text, 16);
        assert!(lines.len() > 1, "{lines:?}");
        for (_, l) in &lines {
            assert!(display_width(l) <= 16, "{l:?}");
        }
    }

    #[test]
    fn optimal_fit_never_runs_past_the_width() {
        // Found by the article fuzz target: this line came out 100 columns
        // wide at width 98 (an overflow was cheaper than a short line).
        let line = format!(
            "source_url = \"https://e{}xample.org/kant\"",
            ";".repeat(62)
        );
        let lines = wrap_with_offsets(&line, 98);
        assert_eq!(lines.len(), 2, "{lines:?}");
        for (_, l) in &lines {
            assert!(display_width(l) <= 98, "{l:?}");
        }
    }

    #[test]
    fn an_address_wider_than_the_line_is_broken_not_cut() {
        let url = "https://example.org/newsdesk/a-very-long-address-indeed";
        let lines = wrap_with_offsets(url, 20);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|(_, l)| display_width(l) <= 20));
        let joined: String = lines.into_iter().map(|(_, l)| l).collect();
        assert_eq!(joined, url);
    }

    #[test]
    fn a_dash_between_words_never_starts_a_line() {
        let text =
            "The ports - and the roads to them – matter more now — say traders - as grain moves.";
        // From 10 columns the longest "word -" here ("traders -") fits a line;
        // narrower, a word with its dash is too long and breaks like any other.
        for width in 10..40 {
            for (offset, line) in wrap_with_offsets(text, width) {
                assert!(
                    !["- ", "– ", "— "].iter().any(|d| line.starts_with(d)) && !is_lone_dash(&line),
                    "width {width}: {line:?}"
                );
                assert_eq!(
                    &text[offset..offset + line.len()],
                    line,
                    "offsets still hold"
                );
            }
        }
        let list = wrap_with_offsets("- a real list item", 40);
        assert_eq!(
            list[0].1, "- a real list item",
            "a dash opening the text stays"
        );
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "alpha beta gamma delta\nsecond line";
        for (offset, line) in wrap_with_offsets(text, 11) {
            assert_eq!(&text[offset..offset + line.len()], line);
        }
    }

    #[test]
    fn page_has_header_standfirst_and_body() {
        let article = Article {
            title: "A title".into(),
            authors: vec!["Jane Doe".into()].into(),
            text: Text::boxed(
                "Stand.",
                vec![Block {
                    kind: BlockKind::Caption,
                    text: "Cap".into(),
                    emphasis: vec![],
                }],
            ),
            ..Article::default()
        };
        let page = Page::build(&article, 40);
        let kinds: Vec<_> = page.lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LineKind::Title,
                LineKind::Meta,
                LineKind::Blank,
                LineKind::Standfirst,
                LineKind::Blank,
                LineKind::Caption
            ]
        );
    }
}
