//! One feed item → one article in the plain export form: text taken out of
//! HTML, fields cleaned so the export parses back to exactly what was meant.

use chrono::Datelike;
use feed_rs::model::{Entry, Feed, Text};

use super::html::html_to_text;
use super::text::{fold_spaces, normalize, paragraphs};
use crate::article::{
    Article, Block, BlockKind, Date, ExtraField, Name, looks_like_field, looks_like_footer_field,
};

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
    normalize_url(link)
}

/// An http(s) address in its normal form (lowercase scheme and host, `%`
/// escapes where needed), so the same page is the same string however a feed
/// spells it; `None` for anything else (`javascript:`, `file:`, text).
pub fn normalize_url(link: &str) -> Option<String> {
    let url = url::Url::parse(link).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.into())
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

/// A person's name as feed-rs gives it. RSS writes `mail@example.org (Name)`;
/// feed-rs takes an address it knows out and leaves `(Name)`, brackets and all,
/// and one it does not (`a@b.c`) stays in front.
fn person_name(raw: &str) -> String {
    let name = one_line(raw);
    let bracketed = match name.split_once(' ') {
        Some((address, rest)) if address.contains('@') && rest.starts_with('(') => rest,
        _ => name.as_str(),
    };
    match bracketed
        .strip_prefix('(')
        .and_then(|n| n.strip_suffix(')'))
    {
        Some(inner) if !inner.contains(['(', ')']) => inner.trim().to_owned(),
        _ => name,
    }
}

fn push_unique(list: &mut Vec<Name>, value: String) {
    if !value.is_empty() && !list.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
        list.push(Name::new(&value));
    }
}

/// Reads feed bytes with feed-rs. A panic inside feed-rs (3.0 slices text
/// at a byte that is not a character boundary on some malformed feeds,
/// found by the `feed` fuzz target) is caught and becomes an error: the feed
/// is reported unreadable and the import goes on with the next one. The
/// panic hook stays silent for panics in feed-rs ([`crate::panics`]).
pub fn parse_feed(bytes: &[u8]) -> Result<feed_rs::model::Feed, String> {
    match std::panic::catch_unwind(|| feed_rs::parser::parse(bytes)) {
        Ok(parsed) => parsed.map_err(|e| e.to_string()),
        Err(_) => Err("the feed parser (feed-rs) failed on it".to_owned()),
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
            push_unique(&mut authors, person_name(name));
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
    let mut item = Item {
        article: Article {
            title: title.into(),
            authors: authors.into(),
            date: Some(date),
            locations: locations.into(),
            source_url: source_url(entry).map(crate::shared_str::SharedStr::from),
            ..Article::default()
        }
        .with_text(standfirst, body),
        date,
        slug,
    };
    if item.article.source_url.is_none() {
        // Without an address, the feed's id for the item keeps it from being
        // written again (the date in its file name may be the day of import).
        let id: String = entry
            .id
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || "-_.:/#?=&+@~".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        if !id.is_empty() {
            item.article.text_mut().extra.push(ExtraField {
                key: FEED_ID.to_owned(),
                value: id,
            });
        }
    }
    defuse_fields(&mut item.article);
    item
}

/// The header field naming a feed item's id, for items without an address.
pub const FEED_ID: &str = "Feed ID";

/// Text that would read as a field where the export puts fields loses its
/// colon, so it stays text: a standfirst made only of `Key: value` lines
/// (it would join the header), and a last paragraph starting `Source: …` or
/// `Tags: …` (it would join the footer).
fn defuse_fields(article: &mut Article) {
    let defuse = |text: &mut String| *text = text.replacen(':', " —", 1);
    let Some(text) = article.text.as_deref_mut() else {
        return;
    };
    if !text.standfirst.is_empty() && text.standfirst.lines().all(looks_like_field) {
        defuse(&mut text.standfirst);
    }
    let last = match text.body.last_mut() {
        Some(block) => &mut block.text,
        None => &mut text.standfirst,
    };
    if last.lines().next().is_some_and(looks_like_footer_field) {
        defuse(last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Form;

    fn rss_xml(items: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>"#
        )
    }

    fn rss(items: &str) -> Feed {
        feed_rs::parser::parse(rss_xml(items).as_bytes()).unwrap()
    }

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 30,
    };

    /// The item as written, read back by the parser.
    fn round_trip(item: &Item) -> Article {
        Article::parse(item.article.to_export().as_bytes(), Form::Plain).unwrap()
    }

    #[test]
    fn html_becomes_paragraphs_of_plain_text() {
        let text = super::super::html::html_to_text(
            "<div><p>One &amp; two&nbsp;three</p>\n<p>See <a href=\"https://x.example/\">the <b>site</b></a>.</p><ul><li>a</li></ul><ol start=\"2\"><li>b</li></ol><img src=\"p.jpg\" alt=\"photo\"></div>",
        );
        assert_eq!(text, "One & two three\n\nSee the site.\n* a\n2. b");
        assert!(!text.contains('<') && !text.contains("&amp;"));
    }

    #[test]
    fn plain_text_keeps_its_paragraphs() {
        assert_eq!(
            html_to_text("First  line.\n\n\n\nSecond."),
            "First line.\n\nSecond."
        );
    }

    #[test]
    fn rss_author_with_address_gives_the_name() {
        let feed = rss(
            r#"<item><title>T</title><author>anna@example.org (Anna Grigoryan)</author></item>"#,
        );
        let item = convert(&feed, &feed.entries[0], &[], TODAY);
        assert_eq!(item.article.authors[..], ["Anna Grigoryan"]);
        assert_eq!(person_name("(Anna Grigoryan)"), "Anna Grigoryan");
        assert_eq!(person_name("Anna (Ani) Grigoryan"), "Anna (Ani) Grigoryan");
        assert_eq!(person_name("(Ann) and (Bo)"), "(Ann) and (Bo)");
        assert_eq!(person_name("a@b.c (Jo Desk)"), "Jo Desk");
        assert_eq!(person_name("Jo@Desk"), "Jo@Desk");
    }

    #[test]
    fn slugs_are_short_lowercase_and_safe() {
        assert_eq!(slugify("Almaty’s Café: Floods!"), "almatys-café-floods");
        assert_eq!(slugify("  ?? "), "item");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        let long = slugify(&"word ".repeat(40));
        assert!(long.len() <= SLUG_MAX && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn an_item_becomes_every_field() {
        let feed = rss(
            r#"<item><title>Rail &amp; grain</title><link>https://e.example/a</link>
            <author>x@e.example (Ann Lee)</author><category>Kazakhstan</category><category>central asia</category>
            <pubDate>Mon, 04 Mar 2024 08:15:00 +0000</pubDate>
            <description>&lt;p&gt;Short &lt;i&gt;summary&lt;/i&gt;.&lt;/p&gt;</description></item>"#,
        );
        let item = convert(&feed, &feed.entries[0], &["Central Asia".into()], TODAY);
        assert_eq!(item.file_name(1), "2024-03-04-rail-grain.txt");
        assert_eq!(item.file_name(2), "2024-03-04-rail-grain-2.txt");
        let back = round_trip(&item);
        assert_eq!(back.title, "Rail & grain");
        assert_eq!(
            back.authors[..],
            ["Ann Lee"],
            "the address and its brackets go"
        );
        assert_eq!(back.date, Date::new(2024, 3, 4));
        assert_eq!(back.locations[..], ["Kazakhstan", "central asia"]);
        assert_eq!(back.standfirst(), "Short summary.");
        assert_eq!(back.source_url.as_deref(), Some("https://e.example/a"));
        assert!(back.warnings().is_empty() && back.extra().is_empty());
    }

    #[test]
    fn an_excerpt_summary_is_not_repeated() {
        let feed = rss(
            r#"<item xmlns:content="http://purl.org/rss/1.0/modules/content/"><title>X</title>
            <description>Opening words of the story…</description>
            <content:encoded><![CDATA[<p>Opening words of the story go on.</p><p>Second.</p>]]></content:encoded></item>"#,
        );
        let item = convert(&feed, &feed.entries[0], &[], TODAY);
        assert_eq!(
            item.article.standfirst(),
            "Opening words of the story go on."
        );
        assert_eq!(item.article.body().len(), 1);
        assert_eq!(item.article.body()[0].text, "Second.");
        // No date of its own: today's.
        assert_eq!(item.date, TODAY);
    }

    #[test]
    fn text_that_looks_like_a_field_stays_text() {
        let feed = rss(
            r#"<item xmlns:content="http://purl.org/rss/1.0/modules/content/"><title>Y</title>
            <link>https://e.example/y</link>
            <content:encoded><![CDATA[<p>Update: the minister resigned</p><p>More.</p><p>Source: Wire Service</p>]]></content:encoded></item>"#,
        );
        let item = convert(&feed, &feed.entries[0], &[], TODAY);
        let back = round_trip(&item);
        assert_eq!(back.standfirst(), "Update — the minister resigned");
        let body: Vec<&str> = back.body().iter().map(|b| b.text.as_str()).collect();
        assert_eq!(body, ["More.", "Source — Wire Service"]);
        assert_eq!(back.source_url.as_deref(), Some("https://e.example/y"));
        assert!(back.extra().is_empty());
    }

    #[test]
    fn control_characters_never_reach_the_file() {
        let feed = rss(
            "<item><title>&#xFEFF;A&#x1;B</title><link>https://e.example/&#x1;x</link><description>one&#x7;two</description></item>",
        );
        let item = convert(&feed, &feed.entries[0], &[], TODAY);
        let text = item.article.to_export();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert_eq!(item.article.title, "A B");
        let back = round_trip(&item);
        assert_eq!(back.title, "A B");
        assert_eq!(back.standfirst(), "one two");
    }

    #[test]
    fn a_feed_that_panics_feed_rs_is_an_error_not_a_crash() {
        // Found by the `feed` fuzz target (2026-12-01): feed-rs 3.0 slices an
        // author's address inside a U+FEFF and panics.
        let bytes = include_bytes!("../../tests/fixtures/feeds/feed-rs-panics.xml");
        let err = parse_feed(bytes).expect_err("unreadable");
        assert!(err.contains("feed-rs"), "{err}");
        assert!(parse_feed(rss_xml("<item><title>T</title></item>").as_bytes()).is_ok());
    }

    #[test]
    fn a_title_like_a_markdown_heading_survives_the_round_trip() {
        // Found by the `feed` fuzz target (2026-12-01): the export wrote
        // "# /rss> B" as the title line, which reads back as a heading.
        let feed = rss("<item><title># /rss> B</title><link>zttps:/./gor/e1</link></item>");
        let item = convert(&feed, &feed.entries[0], &[], TODAY);
        assert_eq!(item.article.title, "# /rss> B");
        assert_eq!(round_trip(&item).title, "# /rss> B");
    }

    #[test]
    fn only_web_addresses_become_the_source_url() {
        let link = |href: &str| {
            let feed = rss(&format!("<item><title>L</title><link>{href}</link></item>"));
            convert(&feed, &feed.entries[0], &[], TODAY)
                .article
                .source_url
        };
        assert_eq!(link("javascript:alert(1)"), None);
        assert_eq!(link("file:///etc/passwd"), None);
        assert_eq!(link("[x](https://e.example/f)"), None);
        assert_eq!(
            link("HTTPS://E.Example/a"),
            Some("https://e.example/a".into())
        );
        assert_eq!(link("https://e.example"), Some("https://e.example/".into()));
    }

    #[test]
    fn brackets_cannot_break_the_link_syntax() {
        let feed = rss(
            r#"<item><title>[Live] Vote</title><author>a@b.c (Jo [Desk])</author><category>Geor]gia</category><description>x</description></item>"#,
        );
        let item = convert(&feed, &feed.entries[0], &[], TODAY);
        let back = round_trip(&item);
        assert_eq!(back.title, "Live Vote");
        assert_eq!(back.authors[..], ["Jo Desk"]);
        assert_eq!(back.locations[..], ["Georgia"]);
        assert_eq!(back.source_url, None);
        // No address: the feed's id is kept in the header instead.
        assert_eq!(back.extra().len(), 1);
        assert_eq!(back.extra()[0].key, FEED_ID);
        assert_eq!(back.extra()[0].value, item.article.extra()[0].value);
    }
}
