//! An article and its parser, for both forms of `article-format.md`: the plain
//! export (`.txt`) and markdown with TOML front matter (`.md`). No terminal here.

use std::ops::Range;

mod date;
mod front_matter;
mod inline;
mod plain;

pub use crate::name::Name;
pub use crate::shared_str::{SharedPath, SharedStr};
pub use date::Date;
use front_matter::{parse_front_matter, starts_with_front_matter};
pub use inline::inline_markdown;
use plain::{decode, parse_plain};
pub use plain::{looks_like_field, looks_like_footer_field};

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
    /// A paragraph of running text, without emphasis.
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block::plain(BlockKind::Paragraph, text.into())
    }

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

/// An article's authors or location tags: up to four held inline (no
/// allocation; a name is a 4-byte number, so four take the room of the
/// pointer and length a longer list needs), more on the heap.
pub type Names = smallvec::SmallVec<[Name; 4]>;

/// An article, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    /// Where it was read from, relative to the articles folder (set by the loader).
    pub path: SharedPath,
    /// The headline (in a block shared with other articles' when it came
    /// from a snapshot: see [`SharedStr`]).
    pub title: SharedStr,
    /// Author names, in order.
    pub authors: Names,
    /// Publication date, when given.
    pub date: Option<Date>,
    /// Location tags as written (links reduced to their text).
    pub locations: Names,
    /// The original address, without angle brackets.
    pub source_url: Option<SharedStr>,
    /// Its text and what else the list never shows; `None` when there is
    /// none (an article listed without its text: see [`Text`]).
    pub text: Option<Box<Text>>,
}

/// What an article holds beyond what the list shows: its text, and the
/// parts that most articles have none of. Boxed, so a listed article (read
/// without its text) carries 8 bytes for it, not 120 (a million are held
/// at once).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
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

impl Text {
    /// The box of an article whose text is `standfirst` and `body`; none
    /// when both are empty (as [`Article::parse`] leaves it).
    pub fn boxed(standfirst: impl Into<String>, body: Vec<Block>) -> Option<Box<Text>> {
        let text = Text {
            standfirst: standfirst.into(),
            body,
            ..Text::default()
        };
        (!text.is_empty()).then(|| Box::new(text))
    }

    fn is_empty(&self) -> bool {
        self.standfirst.is_empty()
            && self.body.is_empty()
            && self.extra.is_empty()
            && self.link_targets.is_empty()
            && self.warnings.is_empty()
    }
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
    /// Whether it has no standfirst and no body (read without its text,
    /// or a file with none).
    pub fn lacks_text(&self) -> bool {
        self.standfirst().is_empty() && self.body().is_empty()
    }

    /// Drops what the list does not need (standfirst, body, unknown header
    /// lines, link targets, warnings), keeping path, title, authors, date,
    /// tags and source: the form an article is listed in, its file read
    /// again when it is shown.
    pub fn drop_text(&mut self) {
        self.text = None;
    }

    /// The first paragraph after the header.
    pub fn standfirst(&self) -> &str {
        self.text.as_ref().map_or("", |t| &t.standfirst)
    }

    /// Every body block, in order.
    pub fn body(&self) -> &[Block] {
        self.text.as_ref().map_or(&[], |t| &t.body)
    }

    /// This article with `standfirst` and `body` as its text.
    pub fn with_text(mut self, standfirst: impl Into<String>, body: Vec<Block>) -> Article {
        let text = self.text_mut();
        text.standfirst = standfirst.into();
        text.body = body;
        self.tidy();
        self
    }

    /// Header lines with keys newsdesk does not know.
    pub fn extra(&self) -> &[ExtraField] {
        self.text.as_ref().map_or(&[], |t| &t.extra)
    }

    /// Link targets of author and location values, in order.
    pub fn link_targets(&self) -> &[String] {
        self.text.as_ref().map_or(&[], |t| &t.link_targets)
    }

    /// Non-fatal problems met while reading.
    pub fn warnings(&self) -> &[Warning] {
        self.text.as_ref().map_or(&[], |t| &t.warnings)
    }

    /// The text and the rest, to add to or change (made when there was none).
    pub fn text_mut(&mut self) -> &mut Text {
        self.text.get_or_insert_with(Box::default)
    }

    /// Drops an empty box of text, so articles equal as read compare
    /// equal however they were made, and the room for names not used (a
    /// list pushed to has room for four).
    fn tidy(&mut self) {
        self.authors.shrink_to_fit();
        self.locations.shrink_to_fit();
        if self.text.as_ref().is_some_and(|t| t.is_empty()) {
            self.text = None;
        }
    }

    /// Number of words in the standfirst and the body.
    pub fn word_count(&self) -> usize {
        let count = |s: &str| s.split_whitespace().count();
        count(self.standfirst()) + self.body().iter().map(|b| count(&b.text)).sum::<usize>()
    }

    /// The article written out in the plain export form (what `parse` reads back).
    pub fn to_export(&self) -> String {
        let link = |v: &Name| format!("[{v}](#)");
        // A title that reads as a markdown heading (`# x`) would lose its
        // marks: written as a heading itself, it reads back whole.
        let heading = if plain::heading_text(&self.title) == self.title {
            ""
        } else {
            "# "
        };
        let mut out = format!("{heading}{}\n\n", self.title);
        if !self.authors.is_empty() {
            out.push_str(&format!(
                "Author: {}\n",
                self.authors.iter().map(link).collect::<Vec<_>>().join(" ")
            ));
        }
        if let Some(date) = self.date {
            out.push_str(&format!("Date: {date}\n"));
        }
        for extra in self.extra() {
            out.push_str(&format!("{}: {}\n", extra.key, extra.value));
        }
        if !self.authors.is_empty() || self.date.is_some() || !self.extra().is_empty() {
            out.push('\n');
        }
        out.push_str(self.standfirst());
        out.push_str("\n\n");
        for block in self.body() {
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
            article.text_mut().warnings.insert(0, w);
        }
        article.tidy();
        Ok(article)
    }
}

#[cfg(test)]
mod tests {
    use super::plain::*;
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
    fn a_title_that_reads_as_a_heading_is_exported_so_it_reads_back_whole() {
        for title in ["# /rss> B", "## Two", "#\tTab", "#hashtag day", "Plain"] {
            let article = Article {
                title: title.into(),
                ..Article::default()
            };
            let back = Article::parse(article.to_export().as_bytes(), Form::Plain);
            assert_eq!(back.map(|a| a.title).ok().as_deref(), Some(title));
        }
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
    fn a_parsed_article_holds_no_spare_room_or_empty_box() {
        let text = "Title\n\nAuthor: [A](#)\n\nBody.\n\nLocation: [Chile](#)\n";
        let a = Article::parse(text.as_bytes(), Form::Plain).expect("parses");
        assert_eq!(a.authors[..], ["A"]);
        assert!(
            !a.authors.spilled() && !a.locations.spilled(),
            "held inline"
        );
        // The placeholder link target is not kept: only the text is boxed.
        let text = a.text.as_deref().expect("has text");
        assert!(
            text.link_targets.is_empty() && text.extra.is_empty(),
            "{text:?}"
        );
        let b = Article::parse(b"Title\n\nMood: calm\n\nBody.\n", Form::Plain).expect("parses");
        assert_eq!(b.extra().len(), 1);
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
